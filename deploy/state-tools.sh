#!/usr/bin/env bash
# The state tools (see the README, "State tools"): inspect a savepoint, seed dedup state from a
# table, check that a savepoint restores into the job built from given options, reconcile a topic
# with the job's tables, show a table's status and commits, list or delete the files its log does
# not reference.
#   deploy/state-tools.sh inspect /savepoints/savepoint-4f2a1c --key o-1042
#   deploy/state-tools.sh bootstrap-dedup --table /data/orders --out /savepoints/seeded
#   deploy/state-tools.sh check-restore /savepoints/savepoint-4f2a1c --bootstrap-servers kafka:9092 --topics orders --table-path /data/orders
#   deploy/state-tools.sh reconcile --bootstrap-servers kafka:9092 --topics orders --table-path /data/orders
#   deploy/state-tools.sh table-status /data/orders --commits 5
#   deploy/state-tools.sh orphans /data/orders --delete --older-than 7d
# Exit codes: 0 done or restorable, 1 not restorable, 2 bad input.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
JAR="$ROOT/state-tools/target/state-tools-0.1.0-SNAPSHOT-cli.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/state-tools/src/main" "$ROOT/flink-job/src/main" "$ROOT/sink-delta/src/main" \
    "$ROOT/pom.xml" "$ROOT/state-tools/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
  echo "Building the state tools (first run downloads the dependencies)..." >&2
  (cd "$ROOT" && mvn -q -B -ntp -DskipTests -pl state-tools -am package >&2)
fi
exec "$JAVA" "${JVM_FLAGS[@]}" -Dlog4j.configurationFile="$ROOT/deploy/log4j2-tools.properties" -jar "$JAR" "$@"
