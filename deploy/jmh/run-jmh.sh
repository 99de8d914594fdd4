#!/usr/bin/env bash
# Builds and runs the JMH microbenchmarks of deploy/jmh/ (Maven profile "jmh"; the default build never
# compiles them). Arguments go to JMH: a benchmark name pattern and options, e.g.
#   deploy/jmh/run-jmh.sh                                   # all of them, short default settings (~6 min)
#   deploy/jmh/run-jmh.sh OrderParse -f 3 -wi 5 -i 10      # one class, longer and with 3 forks
#   SKIP_BUILD=1 deploy/jmh/run-jmh.sh -l                  # list them without rebuilding
# Results: the JMH table on stdout and deploy/jmh/target/jmh-result.json.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
if [[ "$version" != "17" ]]; then
    echo "run-jmh.sh: Java 17 is required (found '${version:-none}' from 'java -version'); set JAVA_HOME/PATH to a JDK 17." >&2
    exit 2
fi
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    mvn -B -ntp -q -Pjmh -DskipTests -pl deploy/jmh -am package
fi
exec java -jar deploy/jmh/target/benchmarks.jar -rf json -rff deploy/jmh/target/jmh-result.json "$@"
