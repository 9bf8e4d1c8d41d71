#!/usr/bin/env bash
# Starts the Option Chain Dashboard on http://localhost:8080 with the embedded market simulator,
# building it first when the jar is missing or older than the sources. Arguments go to the service
# (java -jar dashboard/target/dashboard.jar --help). Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")"
jar=dashboard/target/dashboard.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml breaker marketsim dashboard -path '*/target' -prune -o -newer "$jar" -type f -print -quit)" ]; then
  echo "Building the dashboard (the first build downloads dependencies and takes a few minutes)..." >&2
  mvn -B -q -ntp -pl dashboard -am package -DskipTests >&2
fi
exec java -jar "$jar" "$@"
