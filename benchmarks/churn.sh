#!/usr/bin/env bash
# Runs the thread-churn and many-live-threads comparison (dev.optionchain.benchmarks.ThreadChurn) on a JDK with
# virtual threads, side by side with Resilience4j, Failsafe and the bare call, and writes the Markdown tables of
# docs/benchmarks.md ("Thread churn").
#
#   (cd .. && mvn -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests)   # builds target/benchmarks.jar
#   ./churn.sh                      # the official run: 5 measured rounds of 200,000 calls per subject, ~2 minutes
#   SMOKE=1 ./churn.sh              # a few seconds: checks that everything runs, figures meaningless
#
# Output: target/results/churn-<UTC time>/ with churn.md (the tables), env.txt and load.txt. The library is compiled
# with --release 17; only this harness needs Java 21+ (for virtual threads): JAVA defaults to the Temurin 25 JDK.
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/benchmarks.jar
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
if [[ ! -f $JAR ]]; then
  echo "no $JAR: build it with (cd .. && mvn -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests)" >&2
  exit 1
fi
if [[ ! -x $JAVA ]]; then
  echo "no JDK 21+ at $JAVA: set JAVA=/path/to/bin/java (with an older JDK the harness falls back to platform threads)" >&2
  exit 1
fi
OUT=${OUT:-target/results/churn-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
if [[ -n ${SMOKE:-} ]]; then
  ARGS=(--smoke)
else
  ARGS=(--calls "${CALLS:-200000}" --alive 1000 --threads 10000 --per-thread "${PER_THREAD:-20}" \
        --warmup "${WARMUP:-3}" --rounds "${ROUNDS:-5}" ${ALTERNATIVES:+--alternatives})
fi
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc)"
  echo "java: $("$JAVA" -version 2>&1 | head -2 | tail -1)"
  echo "options: -Xms1g -Xmx1g ${ARGS[*]}"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/env.txt"
(while sleep 5; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; done) >"$OUT/load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT
"$JAVA" -Xms1g -Xmx1g -cp "$JAR" dev.optionchain.benchmarks.ThreadChurn "${ARGS[@]}" | tee "$OUT/churn.md"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/env.txt"
echo "tables: $OUT/churn.md"
