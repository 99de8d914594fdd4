#!/usr/bin/env bash
# Checks a topic against the orders and dead-letter tables; exit 0 only when nothing is missing or
# duplicated, 1 otherwise, 2 for bad options. Takes the job's options:
#   deploy/reconcile.sh --bootstrap-servers host:9092 --topics orders --table-path /data/orders [--json] [--positions]
# The same as: deploy/state-tools.sh reconcile …
exec "$(dirname "${BASH_SOURCE[0]}")/state-tools.sh" reconcile "$@"
