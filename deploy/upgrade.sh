#!/usr/bin/env bash
# Savepoint upgrade of a job on the session cluster ($FLINK_REST_URL, default http://127.0.0.1:8081):
#   deploy/upgrade.sh <job id> [--jar new-job.jar] [--parallelism N] [--savepoint-dir file:///savepoints]
#                     [--timeout-s 300] -- <the new job's arguments>
# 1. stop-with-savepoint of the running job (it ends only once its savepoint is complete);
# 2. deploy/state-tools.sh check-restore: does every state of the savepoint map onto the new job graph,
#    and is no table ahead of the savepoint (a rewind)? — before anything new runs;
# 3. submit the jar (default: the project's job jar) from the savepoint, with the new parallelism;
# 4. wait until the new job runs all its tasks and completes a checkpoint.
# Prints "savepoint <path>" and "job <new job id>" on stdout. Exit codes: 0 upgraded; 1 refused or failed
# (the message says where the old job and the savepoint are, and how to go back); 2 bad usage.
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
say() { echo "$(date -u +%H:%M:%S) $*" >&2; }

[ $# -ge 1 ] || usage
OLD_JOB="$1"; shift
JAR="$JOB_JAR"; PARALLELISM=""; SAVEPOINT_DIR="file://$CLUSTER_DIR/savepoints"; TIMEOUT=300
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --parallelism) PARALLELISM="$2"; shift 2 ;;
    --savepoint-dir) SAVEPOINT_DIR="$2"; shift 2 ;;
    --timeout-s) TIMEOUT="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "Unknown option '$1'" >&2; usage ;;
  esac
done
[ $# -gt 0 ] || { echo "Give the new job's arguments after '--' (the same options as at its first submission)." >&2; exit 2; }
[ -f "$JAR" ] || { echo "No jar at '$JAR' ('--jar'): build it with mvn -pl flink-job -am package" >&2; exit 2; }
JOB_ARGS=("$@")
build_tools
rest() { run_tool flink-rest io.exactlyonce.deploy.cluster.FlinkRest "$@"; }

say "Stopping job $OLD_JOB with a savepoint under $SAVEPOINT_DIR"
if ! SAVEPOINT="$(rest stop "$OLD_JOB" --savepoint-dir "$SAVEPOINT_DIR" --timeout-s "$TIMEOUT")"; then
  echo "REFUSED: the savepoint of job $OLD_JOB failed (see above); the job was not stopped by it and nothing new was submitted." >&2
  exit 1
fi
say "Savepoint $SAVEPOINT"

say "Checking that the savepoint restores into the new job (state-tools check-restore)"
set +e
"$ROOT/deploy/state-tools.sh" check-restore "$SAVEPOINT" "${JOB_ARGS[@]}" >&2
CHECK=$?
set -e
if [ "$CHECK" -ne 0 ]; then
  echo "REFUSED: savepoint $SAVEPOINT does not restore into the new job (report above); nothing new was submitted." >&2
  echo "Job $OLD_JOB is stopped. To run the previous version again from the savepoint:" >&2
  echo "  deploy/flink-rest.sh submit <previous jar> --savepoint $SAVEPOINT -- <previous arguments>" >&2
  exit $(( CHECK == 2 ? 2 : 1 ))
fi

say "Submitting $(basename "$JAR") from the savepoint${PARALLELISM:+ at parallelism $PARALLELISM}"
if ! NEW_JOB="$(rest submit "$JAR" ${PARALLELISM:+--parallelism "$PARALLELISM"} --savepoint "$SAVEPOINT" -- "${JOB_ARGS[@]}")"; then
  echo "FAILED: the cluster did not accept the new job; job $OLD_JOB is stopped at savepoint $SAVEPOINT." >&2
  exit 1
fi
say "Job $NEW_JOB submitted; waiting until it runs and completes a checkpoint"
if ! rest await "$NEW_JOB" --checkpoints 1 --fail-on-restart --timeout-s "$TIMEOUT" >/dev/null; then
  rest cancel "$NEW_JOB" >/dev/null 2>&1 || true
  echo "FAILED: job $NEW_JOB did not restore and checkpoint (reason above); it was cancelled." >&2
  echo "Job $OLD_JOB is stopped at savepoint $SAVEPOINT; resubmit the previous version from it to go back." >&2
  exit 1
fi
say "Upgrade done"
echo "savepoint $SAVEPOINT"
echo "job $NEW_JOB"
