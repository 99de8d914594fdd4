#!/usr/bin/env bash
# Checks a topic against the orders and dead-letter tables; exit 0 only when nothing is missing or
# duplicated. Takes the job's options:
#   deploy/reconcile.sh --bootstrap-servers host:9092 --topics orders --table-path /data/orders [--json]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_job
run_main io.exactlyonce.job.reconcile.ReconcileTool "$@"
