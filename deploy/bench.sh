#!/usr/bin/env bash
# The benchmark harness (README, "Performance"): a Kafka broker of its own, N records loaded once, then
# (a) the job, (b) the job at-least-once without dedup, (c) Flink's FileSink writing Parquet, (d) a plain
# Kafka consumer, each at each parallelism in its own JVM, a streaming phase for latency and freshness,
# results and charts in deploy/bench-results/<timestamp>/.
#   deploy/bench.sh [--records 2000000] [--parallelism 1,2] [--variants a,b,c,d] [--heap 2g]
#                   [--checkpoint-interval-ms 5000] [--streaming true] [--stream-rate 20000]
#                   [--stream-seconds 15] [--duplicates 0.10] [--malformed 0.005] [--out-dir ...]
#   deploy/bench.sh --scenario state-scale --keys 10000000
# Exit code 0 only when every run's output was exactly its input; 2 for a bad option.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_deploy
cd "$ROOT"
run_deploy_main io.exactlyonce.deploy.bench.BenchRunner "$@"
