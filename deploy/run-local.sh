#!/usr/bin/env bash
# Runs the job on an embedded Flink (MiniCluster) with the same options as a cluster submission:
#   deploy/run-local.sh --bootstrap-servers host:9092 --topics orders --table-path /data/orders [...]
# Run again with the same options (after a crash or kill -9), it continues from the job's latest complete
# retained checkpoint in --checkpoint-dir by itself (README, "Running the same command again"). To restore
# a given checkpoint or savepoint instead:
#   deploy/run-local.sh ... --restore-from file:///tmp/exactly-once-delta/checkpoints/<job id>/chk-<n>
# '--auto-resume false' starts without state; from committed offsets ('--starting-offsets committed', the
# default) against a table that already has data that is refused (see README, "The Kafka boundary").
# Every port of the embedded Flink listens on 127.0.0.1 only (see EmbeddedFlink).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_job
run_main io.exactlyonce.job.local.LocalJobRunner "$@"
