#!/usr/bin/env bash
# Job submission and control on a Flink session cluster through its REST API (the calls of a CI/CD
# pipeline); the cluster is $FLINK_REST_URL or --url (default http://127.0.0.1:8081).
#   deploy/flink-rest.sh submit flink-job/target/flink-job-0.1.0-SNAPSHOT-job.jar --parallelism 2 -- \
#       --bootstrap-servers 127.0.0.1:9092 --topics orders --table-path /data/orders     # prints the job id
#   deploy/flink-rest.sh submit <jar> --savepoint <path> --parallelism 3 -- <job args>     # resume from a savepoint
#   deploy/flink-rest.sh status <job id>
#   deploy/flink-rest.sh await <job id> --checkpoints 1 --timeout-s 300
#   deploy/flink-rest.sh stop <job id> [--savepoint-dir file:///savepoints] [--drain]    # prints the savepoint path
#   deploy/flink-rest.sh cancel <job id> | jobs [STATE] | taskmanagers
# Exit codes: 0 done, 1 the operation failed (the cluster's reason on stderr), 2 bad usage.
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"
build_tools
run_tool flink-rest io.exactlyonce.deploy.cluster.FlinkRest "$@"
