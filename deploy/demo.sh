#!/usr/bin/env bash
# The demo: a Kafka broker of its own, ~200k orders with duplicates and malformed records, the job
# on an embedded Flink (Web UI on http://127.0.0.1:8081), progress, and a final reconciliation.
#   deploy/demo.sh [--records N] [--duplicates 0.10] [--malformed 0.005] [--fail-after-records N]
#                  [--parallelism 2] [--checkpoint-interval-ms 5000] [--data-dir demo-data] ...
# Exit code 0 only when the tables hold every distinct order exactly once.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_deploy
cd "$ROOT"
run_deploy_main io.exactlyonce.deploy.demo.DemoRunner "$@"
