#!/usr/bin/env bash
# Runs the breaker benchmarks side by side with Resilience4j, Failsafe and the naive lock-based breaker, and writes
# the Markdown tables of docs/benchmarks.md.
#
#   (cd .. && mvn -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests)   # builds target/benchmarks.jar
#   ./run.sh                                   # full run: 3 forks, 12-16 minutes on 2 cores
#   FORKS=1 WI=1 W=200ms I=1 R=200ms ./run.sh  # smoke run: checks every benchmark works, figures meaningless
#
# Output: target/results/<UTC time>/ with t1.json, t2.json, t8.json (JMH), run.log, env.txt, load.txt and table.md.
# CLOSED rows (success, 10% failures, with a listener) run at 1, 2 and 8 threads; OPEN and HALF_OPEN rejection rows
# at 1 and 2. One thread is measured as ns/op (-bm avgt), more threads as total ops/µs (-bm thrpt). Every run
# profiles allocation (-prof gc). The machine should be otherwise idle: the script prints the load average.
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/benchmarks.jar
if [[ ! -f $JAR ]]; then
  echo "no $JAR: build it with (cd .. && mvn -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests)" >&2
  exit 1
fi

FORKS=${FORKS:-3}
WI=${WI:-2}
W=${W:-400ms}
I=${I:-3}
R=${R:-250ms}
JVM_ARGS=${JVM_ARGS:--Xms128m -Xmx128m -XX:+AlwaysPreTouch}
OUT=${OUT:-target/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

CLOSED='dev\.optionchain\.benchmarks\.(Closed|ClosedFailing)\.'
REJECT='dev\.optionchain\.benchmarks\.(Open|HalfOpen)\.'
COMMON=(-f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" -prof gc -jvmArgsAppend "$JVM_ARGS")

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc)"
  echo "java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "options: ${COMMON[*]}"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/env.txt"

# the load average every 15 s, to judge the noise afterwards (our own benchmark threads count: 1, 2 or 8)
(while sleep 15; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; done) >"$OUT/load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

start=$(date +%s)
run() { # threads mode unit json patterns...
  local threads=$1 mode=$2 unit=$3 json=$4
  shift 4
  echo "== $threads thread(s), $(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/env.txt"
  java -jar "$JAR" "${COMMON[@]}" -t "$threads" -bm "$mode" -tu "$unit" -rf json -rff "$OUT/$json" "$@" \
    >>"$OUT/run.log" 2>&1
}
run 1 avgt ns t1.json "$CLOSED" "$REJECT"
run 2 thrpt us t2.json "$CLOSED" "$REJECT"
run 8 thrpt us t8.json "$CLOSED"
end=$(date +%s)

{
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wall time: $(((end - start) / 60)) min $(((end - start) % 60)) s"
} | tee -a "$OUT/env.txt"

java -cp "$JAR" dev.optionchain.benchmarks.Report "$OUT/t1.json" "$OUT/t2.json" "$OUT/t8.json" >"$OUT/table.md"
echo "tables: $OUT/table.md"
