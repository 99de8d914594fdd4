#!/usr/bin/env bash
# Runs the job on an embedded Flink (MiniCluster) with the same options as a cluster submission:
#   deploy/run-local.sh --bootstrap-servers host:9092 --topics orders --table-path /data/orders [...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_job
run_main io.exactlyonce.job.local.LocalJobRunner "$@"
