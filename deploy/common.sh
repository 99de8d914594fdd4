# Shared by the deploy scripts: builds the job (or the deploy module: demo, benchmark harness) and runs
# a main class of it on an embedded Flink (all Flink jars on the classpath, JDK flags Flink needs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$JAVA" -version 2>&1 | grep -q 'version "17'; then
  echo "Java 17 is required (Flink 1.20 with Hadoop fails on newer JDKs); set JAVA_HOME." >&2
  exit 2
fi

build_job() {
  echo "Building (first run downloads the dependencies, ~300 MB)..." >&2
  (cd "$ROOT" && mvn -q -B -ntp -DskipTests -pl flink-job -am package \
      dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile >&2)
}

# the JDK flags Flink, Hadoop and Kafka need on Java 17
JDK_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.sql/java.sql=ALL-UNNAMED
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
)
JVM_FLAGS=(-Xmx2g "${JDK_OPENS[@]}" -Dlog4j.configurationFile="$ROOT/deploy/log4j2-local.properties")

run_main() {
  local main="$1"; shift
  local cp="$ROOT/flink-job/target/classes:$(cat "$ROOT/flink-job/target/classpath.txt")"
  exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$cp" "$main" "$@"
}

# The deploy module (the demo and the benchmark harness) with the job, the state tools and the broker.
build_deploy() {
  echo "Building (first run downloads the dependencies, ~350 MB)..." >&2
  (cd "$ROOT" && mvn -q -B -ntp -DskipTests -pl deploy -am package \
      dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2)
}

run_deploy_main() {
  local main="$1"; shift
  local cp="$ROOT/deploy/target/classes:$(cat "$ROOT/deploy/target/classpath.txt")"
  exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$cp" "$main" "$@"
}
