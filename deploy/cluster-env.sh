# Shared by cluster.sh, flink-rest.sh and upgrade.sh: where the local cluster lives, its ports, and
# the two class paths — Flink's own jars for the cluster processes (deploy/cluster/pom.xml, resolved
# by Maven; nothing of the job), and the deploy module's for the tools (Kafka broker, REST client).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/deploy/cluster-run}"
FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"
export FLINK_REST_URL="${FLINK_REST_URL:-http://127.0.0.1:$FLINK_REST_PORT}"
CONF_DIR="$ROOT/deploy/cluster-conf"
JOB_JAR="${JOB_JAR:-$ROOT/flink-job/target/flink-job-0.1.0-SNAPSHOT-job.jar}"
TOOLS_CP_FILE="$ROOT/deploy/target/tools-classpath.txt"

# Builds the job jar and the deploy tools when a source or POM is newer than what was built.
build_tools() {
  if [ -n "${TOOLS_CLASSPATH:-}" ]; then return; fi
  if [ ! -f "$TOOLS_CP_FILE" ] || [ ! -f "$JOB_JAR" ] || [ -n "$(find "$ROOT/deploy/src/main" "$ROOT/flink-job/src/main" \
      "$ROOT/sink-delta/src/main" "$ROOT/pom.xml" "$ROOT/deploy/pom.xml" "$ROOT/flink-job/pom.xml" \
      -newer "$TOOLS_CP_FILE" -type f 2>/dev/null | head -1)" ]; then
    echo "Building the job jar and the deploy tools (first run downloads the dependencies)..." >&2
    (cd "$ROOT" && mvn -q -B -ntp -DskipTests -pl deploy -am package dependency:build-classpath \
        -Dmdep.outputFile=target/tools-classpath.txt -Dmdep.includeScope=runtime >&2)
    touch "$TOOLS_CP_FILE" # the plugin leaves an unchanged file as it was
  fi
}

tools_classpath() {
  if [ -n "${TOOLS_CLASSPATH:-}" ]; then
    echo "$TOOLS_CLASSPATH"
  else
    echo "$ROOT/deploy/target/classes:$(cat "$TOOLS_CP_FILE")"
  fi
}

# Runs a main class of the deploy module; log lines go to $CLUSTER_DIR/logs/<name>.log.
run_tool() {
  local name="$1" main="$2"; shift 2
  mkdir -p "$CLUSTER_DIR/logs"
  "$JAVA" -Xmx512m "${JDK_OPENS[@]}" -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" \
      -Dlog.file="$CLUSTER_DIR/logs/$name.log" -cp "$(tools_classpath)" "$main" "$@"
}
