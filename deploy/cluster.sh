#!/usr/bin/env bash
# A Flink 1.20 standalone session cluster on this machine: a JobManager and TaskManagers as separate
# JVM processes, configured by deploy/cluster-conf/config.yaml, Web UI and REST API on
# http://127.0.0.1:$FLINK_REST_PORT (default 8081), plus the project's Kafka broker (loopback only).
#   deploy/cluster.sh start [--taskmanagers N] [--no-kafka]   # Kafka, JobManager, N TaskManagers (default 1)
#   deploy/cluster.sh add-taskmanager                         # one more TaskManager
#   deploy/cluster.sh status                                  # processes, TaskManagers, running jobs
#   deploy/cluster.sh kafka                                   # prints the broker's bootstrap servers
#   deploy/cluster.sh stop                                    # stops every process it started, by pid
# With FLINK_HOME set to a Flink 1.20 distribution, its bin/ scripts run the JobManager and TaskManagers;
# otherwise Flink's entry points run from Maven-resolved Flink jars (deploy/cluster/pom.xml).
# Pids, logs, Kafka data and savepoints live under $CLUSTER_DIR (default deploy/cluster-run, git-ignored).
# Other settings: FLINK_RPC_PORT (default 6123), FLINK_REST_PORT.
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"

PIDS="$CLUSTER_DIR/pids"
LOGS="$CLUSTER_DIR/logs"
FLINK_CP_FILE="$CLUSTER_DIR/flink-classpath.txt"
DYNAMIC=(-D "rest.port=$FLINK_REST_PORT" -D "jobmanager.rpc.port=$FLINK_RPC_PORT"
         -D "io.tmp.dirs=$CLUSTER_DIR/tmp" -D "state.savepoints.dir=file://$CLUSTER_DIR/savepoints")

# a pid file's process is alive and still ours (its command line names this run folder: a pid the system
# gave to another process after ours died is never signalled)
alive() { [ -f "$1" ] && ours "$(cat "$1")"; }
ours() { kill -0 "$1" 2>/dev/null && ps -ww -o args= -p "$1" | grep -qF -- "$CLUSTER_DIR"; }

flink_classpath() {
  if [ ! -f "$FLINK_CP_FILE" ] || [ "$ROOT/deploy/cluster/pom.xml" -nt "$FLINK_CP_FILE" ]; then
    echo "Resolving the Flink $(grep -m1 '<flink.version>' "$ROOT/pom.xml" | sed 's/[^0-9.]//g; s/^\.//; s/\.$//') jars with Maven..." >&2
    mvn -q -B -ntp -f "$ROOT/deploy/cluster/pom.xml" dependency:build-classpath \
        -Dmdep.outputFile="$FLINK_CP_FILE" >&2
  fi
  cat "$FLINK_CP_FILE"
}

# The JVM options and memory settings Flink's own scripts derive from config.yaml (BashJavaUtils).
memory_params() {
  local kind="$1" out
  out="$("$JAVA" -cp "$(flink_classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils "$kind" \
      --configDir "$CONF_DIR" "${DYNAMIC[@]}" 2>&1 | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  [ "$(echo "$out" | wc -l)" -eq 2 ] || { echo "Cannot derive the $kind memory settings from $CONF_DIR/config.yaml" >&2; exit 1; }
  echo "$out"
}

# start_process <name> <main class> <jvm params> <flink args...>: in the background, pid to pids/<name>.pid
start_process() {
  local name="$1" main="$2" jvm="$3"; shift 3
  # shellcheck disable=SC2086 # the JVM parameters are words
  nohup "$JAVA" $jvm "${JDK_OPENS[@]}" -Dlog.file="$LOGS/$name.log" \
      -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" -cp "$(flink_classpath)" \
      "$main" --configDir "$CONF_DIR" "${DYNAMIC[@]}" "$@" >"$LOGS/$name.out" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
  echo "Started $name (pid $!, log $LOGS/$name.log)"
}

start_jobmanager() {
  if [ -n "${FLINK_HOME:-}" ]; then
    FLINK_CONF_DIR="$CONF_DIR" FLINK_LOG_DIR="$LOGS" FLINK_PID_DIR="$PIDS" "$FLINK_HOME/bin/jobmanager.sh" start "${DYNAMIC[@]}"
    return
  fi
  local params
  params="$(memory_params GET_JM_RESOURCE_PARAMS)"
  # shellcheck disable=SC2046 # the dynamic properties are words
  start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
      "$(echo "$params" | head -1)" $(echo "$params" | tail -1)
}

start_taskmanager() {
  if [ -n "${FLINK_HOME:-}" ]; then
    FLINK_CONF_DIR="$CONF_DIR" FLINK_LOG_DIR="$LOGS" FLINK_PID_DIR="$PIDS" "$FLINK_HOME/bin/taskmanager.sh" start "${DYNAMIC[@]}"
    return
  fi
  local n=1 params
  while [ -f "$PIDS/taskmanager-$n.pid" ]; do n=$((n + 1)); done
  params="$(memory_params GET_TM_RESOURCE_PARAMS)"
  # shellcheck disable=SC2046
  start_process "taskmanager-$n" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
      "$(echo "$params" | head -1)" $(echo "$params" | tail -1) -D "taskmanager.resource-id=taskmanager-$n"
}

start_kafka() {
  rm -f "$CLUSTER_DIR/kafka/bootstrap-servers"
  mkdir -p "$CLUSTER_DIR/kafka"
  nohup "$JAVA" -Xmx256m "${JDK_OPENS[@]}" -Dlog.file="$LOGS/kafka.log" \
      -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" -cp "$(tools_classpath)" \
      io.exactlyonce.deploy.cluster.ClusterKafka "$CLUSTER_DIR/kafka" orders:3 >"$LOGS/kafka.out" 2>&1 </dev/null &
  echo $! >"$PIDS/kafka.pid"
  for _ in $(seq 1 400); do
    if [ -f "$CLUSTER_DIR/kafka/bootstrap-servers" ]; then
      echo "Started kafka (pid $(cat "$PIDS/kafka.pid"), bootstrap servers $(cat "$CLUSTER_DIR/kafka/bootstrap-servers"))"
      return
    fi
    alive "$PIDS/kafka.pid" || break
    sleep 0.5
  done
  echo "The Kafka broker did not start; see $LOGS/kafka.log and $CLUSTER_DIR/kafka/broker.log" >&2
  exit 1
}

stop_pid_file() {
  local file="$1" name pid
  name="$(basename "$file" .pid)"
  pid="$(cat "$file")"
  if ours "$pid"; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name (pid $pid) did not stop within 30 s; killing it" >&2
      kill -9 "$pid"
    fi
    echo "Stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

cmd_start() {
  local taskmanagers=1 kafka=true
  while [ $# -gt 0 ]; do
    case "$1" in
      --taskmanagers) taskmanagers="$2"; shift 2 ;;
      --no-kafka) kafka=false; shift ;;
      *) echo "Unknown option '$1' of start" >&2; exit 2 ;;
    esac
  done
  if alive "$PIDS/jobmanager.pid"; then
    echo "The cluster already runs (JobManager pid $(cat "$PIDS/jobmanager.pid")); deploy/cluster.sh stop first" >&2
    exit 1
  fi
  mkdir -p "$PIDS" "$LOGS" "$CLUSTER_DIR/tmp" "$CLUSTER_DIR/savepoints"
  build_tools
  if [ "$kafka" = true ]; then start_kafka; fi
  start_jobmanager
  for _ in $(seq 1 "$taskmanagers"); do start_taskmanager; done
  run_tool flink-rest io.exactlyonce.deploy.cluster.FlinkRest await-taskmanagers "$taskmanagers" --timeout-s 120 >/dev/null \
      || { echo "The cluster did not come up; see $LOGS" >&2; exit 1; }
  echo "Flink Web UI: $FLINK_REST_URL   (logs: $LOGS)"
}

cmd_status() {
  local file
  for file in "$PIDS"/*.pid; do
    [ -f "$file" ] || continue
    if alive "$file"; then state=running; else state=gone; fi
    printf '%-16s pid %-8s %s\n' "$(basename "$file" .pid)" "$(cat "$file")" "$state"
  done
  if alive "$PIDS/jobmanager.pid"; then
    echo "Web UI / REST: $FLINK_REST_URL"
    echo "Running jobs:"
    build_tools
    run_tool flink-rest io.exactlyonce.deploy.cluster.FlinkRest jobs RUNNING | sed 's/^/  /'
  fi
  if [ -f "$CLUSTER_DIR/kafka/bootstrap-servers" ] && alive "$PIDS/kafka.pid"; then
    echo "Kafka: $(cat "$CLUSTER_DIR/kafka/bootstrap-servers")"
  fi
}

cmd_stop() {
  local file
  if [ -n "${FLINK_HOME:-}" ]; then
    FLINK_CONF_DIR="$CONF_DIR" FLINK_PID_DIR="$PIDS" "$FLINK_HOME/bin/taskmanager.sh" stop-all || true
    FLINK_CONF_DIR="$CONF_DIR" FLINK_PID_DIR="$PIDS" "$FLINK_HOME/bin/jobmanager.sh" stop || true
  fi
  for file in "$PIDS"/taskmanager-*.pid "$PIDS/jobmanager.pid" "$PIDS/kafka.pid"; do
    [ -f "$file" ] && stop_pid_file "$file"
  done
  return 0
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  add-taskmanager) mkdir -p "$PIDS" "$LOGS"; start_taskmanager ;;
  status) cmd_status ;;
  kafka) cat "$CLUSTER_DIR/kafka/bootstrap-servers" ;;
  stop) cmd_stop ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
