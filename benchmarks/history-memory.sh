#!/usr/bin/env bash
# Resident memory of the dashboard after a burst of twenty-year price histories (issue 11: 1.58 GB without a DuckDB
# memory limit). Starts dashboard.jar on a fresh data directory with the given --set options, sends REQUESTS history
# requests for 20 years of daily bars (cycling through the simulator's symbols and shifting the dates, so that each
# one reaches DuckDB), CLIENTS at a time, and prints the process's resident memory before, after, and at its peak.
#
#   benchmarks/history-memory.sh                                           # the defaults (256MB, 2 threads, 32MB)
#   benchmarks/history-memory.sh --set cache.memory-limit=1GB               # about no byte bound (2000 entries)
#   benchmarks/history-memory.sh --set duckdb.memory-limit=16GB --set duckdb.threads=8   # about no limit
#
# JAVA_OPTS are passed to the JVM (e.g. JAVA_OPTS=-Xmx256m, to tell the heap from DuckDB's own memory).
# Needs dashboard/target/dashboard.jar (mvn -B -ntp -pl dashboard -am package -DskipTests), curl and Linux /proc.
set -euo pipefail
REQUESTS=${REQUESTS:-414}
CLIENTS=${CLIENTS:-8}
JAR=${JAR:-dashboard/target/dashboard.jar}
DATA=$(mktemp -d)
LOG="$DATA/service.log"
java ${JAVA_OPTS:-} -jar "$JAR" --port 0 --data-dir "$DATA" "$@" > "$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  URL=$(grep -o 'Listening on http://localhost:[0-9]*' "$LOG" | sed 's/Listening on //' || true)
  [ -n "$URL" ] && break
  sleep 0.5
done
[ -n "$URL" ] || { echo "the service did not start:"; cat "$LOG"; exit 1; }
# as a load balancer would: the load starts once the start-up warm-up is done
for _ in $(seq 1 600); do curl -sf -o /dev/null "$URL/health/ready" && break; sleep 0.1; done
curl -sf -o /dev/null "$URL/health/ready" || { echo "the service did not become ready:"; cat "$LOG"; exit 1; }
rss() { awk '/^VmRSS/ {print int($2/1024) " MB"}' "/proc/$PID/status"; }
peak() { awk '/^VmHWM/ {print int($2/1024) " MB"}' "/proc/$PID/status"; }
SYMBOLS=$(curl -s "$URL/api/sim/universe" | grep -o '"symbol":"[^"]*"' | cut -d'"' -f4)
echo "settings: ${*:-defaults}; $(grep -o 'DuckDB limits: .*' "$LOG")"
echo "before: $(rss)"
START=$(date -u +%s)
seq 0 $((REQUESTS - 1)) | while read -r i; do
  SYMBOL=$(echo "$SYMBOLS" | sed -n "$((i % $(echo "$SYMBOLS" | wc -l) + 1))p")
  END=$(date -u -d "@$((START - 86400 * (i / 40)))" +%F)
  BEGIN=$(date -u -d "$END - 20 years + 8 days" +%F)
  echo "$URL/api/history/$SYMBOL?start=$BEGIN&end=$END"
done | xargs -P "$CLIENTS" -n 1 curl -s -o /dev/null -w '%{http_code}\n' | sort | uniq -c | sed 's/^/  status /'
echo "after $REQUESTS requests: $(rss), peak $(peak)"
curl -s "$URL/metrics" | grep '^market_unavailable_total{' | grep -v ' 0.0$' | sed 's/^/  /' || true
if command -v jcmd > /dev/null; then
  jcmd "$PID" GC.run > /dev/null
  echo "heap used after a full GC: $(jcmd "$PID" GC.heap_info | grep -o 'used [0-9]*K' | head -1 \
    | awk '{print int($2 / 1024) " MB"}')"
fi
