#!/usr/bin/env bash
# Runs the job on an embedded Flink (MiniCluster) with the same options as a cluster submission:
#   deploy/run-local.sh --bootstrap-servers host:9092 --topics orders --table-path /data/orders [...]
# To continue a previous run, restore its last retained checkpoint (or a savepoint):
#   deploy/run-local.sh ... --restore-from file:///tmp/exactly-once-delta/checkpoints/<job id>/chk-<n>
# A start without it from committed offsets ('--starting-offsets committed', the default) against a table
# that already has data is refused (see README, "The Kafka boundary").
# Every port of the embedded Flink listens on 127.0.0.1 only (see EmbeddedFlink).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_job
run_main io.exactlyonce.job.local.LocalJobRunner "$@"
