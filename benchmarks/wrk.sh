#!/usr/bin/env bash
# The healthy-path figures of issue 10, item 6, side by side with the simulator in one run:
#   1. a hot quote at 32 connections: the simulator's own throughput and latency, then the dashboard's;
#   2. upstream calls per second for that one hot key while the dashboard is under load;
#   3. the first request for data never seen before (expirations of a new symbol), simulator vs dashboard, each round
#      on a fresh pair of processes (FIRST_ROUNDS rounds with the dashboard's defaults, start-up warm-up included, and
#      as many with upstream.warm-up-requests=0, taken in turn; FIRST_WARM_UPS lists other counts to compare), with the
#      time from start to /health/ready; each round first serves five seconds of hot quotes and eight first requests,
#      then FIRST_COLD_ROUNDS rounds measure the first requests right after /health/ready, with no traffic before;
#   4. many keys and many clients: every symbol's quote, round robin, from 256 connections (MANY_CONNECTIONS), the
#      dashboard's answers by source and its upstream calls meanwhile, then the same against the simulator;
#   5. the count of upstream calls of the whole run.
#
#   (cd .. && mvn -B -ntp -pl dashboard -am package -DskipTests)   # dashboard/target/dashboard.jar, marketsim/target/marketsim.jar
#   ./wrk.sh                         # 30 s per wrk run (the official figures)
#   DURATION=5s ./wrk.sh             # a short run, for direction only
#   FIRST_ONLY=1 FIRST_ROUNDS=6 FIRST_WARM_UPS="300 1500 2500 0" ./wrk.sh   # step 3 alone: warm-up counts compared
#
# Needs wrk and curl. Starts the simulator and the dashboard as separate processes on free ports (the dashboard
# pointed at the simulator, its defaults otherwise: fresh-for 2 s for quotes, budget 120 calls a minute), stops them
# at the end. Prints Markdown tables; keeps the raw wrk output in target/wrk-<UTC time>/.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=..
SIM_JAR=$ROOT/marketsim/target/marketsim.jar
DASH_JAR=$ROOT/dashboard/target/dashboard.jar
for jar in "$SIM_JAR" "$DASH_JAR"; do
  [[ -f $jar ]] || { echo "no $jar: build with (cd .. && mvn -B -ntp -pl dashboard -am package -DskipTests)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-32}
MANY_CONNECTIONS=${MANY_CONNECTIONS:-256}
THREADS=${THREADS:-2}
FIRST_SYMBOLS=${FIRST_SYMBOLS:-20}
FIRST_ROUNDS=${FIRST_ROUNDS:-5}
FIRST_WARM_UPS=${FIRST_WARM_UPS:-default 0}
FIRST_COLD_ROUNDS=${FIRST_COLD_ROUNDS:-3}
FIRST_ONLY=${FIRST_ONLY:-}
OUT=${OUT:-target/wrk-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
SIM_PORT=$(free_port)
DASH_PORT=$(free_port)
DATA=$(mktemp -d)
SIM=http://localhost:$SIM_PORT
DASH=http://localhost:$DASH_PORT
# every process this script started (a round's pair, the main pair), whatever ends it
cleanup() { local p; p=$(jobs -p); [[ -z $p ]] || { kill $p 2>/dev/null || true; wait $p 2>/dev/null || true; }; rm -rf "$DATA"; }
trap cleanup EXIT

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "wrk: -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/env.txt"

sim_requests() { curl -s "$SIM/sim/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin)["endpoints"]; print(d[sys.argv[1]]["requests"] if len(sys.argv)>1 else sum(e["requests"] for e in d.values()))' "$@"; }
wrk_row() { # name file -> | name | req/s | p50 | p99 |
  python3 - "$1" "$2" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
t = open(path).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)
def pct(p):
    m = re.search(r"^\s+" + p + r"%\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
print(f"| {name} | {float(rps):,.0f} | {pct('50'):.2f} | {pct('99'):.2f} | {non2xx.group(1) if non2xx else 0} |")
PY
}

# 3: first requests for data never asked before, each round on a fresh simulator and a fresh dashboard (so that the
# first requests are the first after a start), in turn with the defaults (start-up warm-up included) and with
# upstream.warm-up-requests=0. The simulator keeps per-symbol price paths once computed, so a symbol asked of it once
# is no longer cold: the symbols alternate, even ones straight to the simulator, odd ones through the dashboard (whose
# one upstream call is then the simulator's first for that symbol too). Both JVMs are warmed first (JIT, connection
# pools): a few seconds of quotes and the expirations of symbols that are then left out of the measurement.
first_round() { # label, extra dashboard arguments... -> appends "label sim|dashboard symbol seconds" lines
  local label=$1; shift
  local sp dp data t0 ready s i t
  sp=$(free_port); dp=$(free_port); data=$(mktemp -d)
  t0=$(date +%s.%N)
  java -jar "$SIM_JAR" --port "$sp" >"$OUT/first-$label-sim.log" 2>&1 &
  local spid=$!
  java -jar "$DASH_JAR" --port "$dp" --data-dir "$data" --set "upstream.base-url=http://localhost:$sp" "$@" \
    >"$OUT/first-$label-dashboard.log" 2>&1 &
  local dpid=$!
  for _ in $(seq 1 1500); do curl -sf -o /dev/null "http://localhost:$dp/health/ready" && break; sleep 0.02; done
  curl -sf -o /dev/null "http://localhost:$dp/health/ready" \
    || { echo "round $label: the dashboard was not ready within 30 s ($OUT/first-$label-dashboard.log)" >&2; exit 1; }
  ready=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.2f}')")
  echo "$label ready $ready" >>"$OUT/first-ready.txt"
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://localhost:$sp/sim/stats" && break; sleep 0.2; done
  if [[ ${TRAFFIC:-1} == 1 ]]; then # else the measured requests are the first either process ever serves
    wrk -t"$THREADS" -c8 -d5s "http://localhost:$dp/api/quote/AAPL" >/dev/null
    for s in $warmup; do
      curl -s -o /dev/null "http://localhost:$dp/api/options/$s/expirations"
      curl -s -o /dev/null -H 'Accept: application/json' \
        "http://localhost:$sp/v1/markets/options/expirations?symbol=$s&includeAllRoots=true"
    done
  fi
  i=0
  for s in $symbols; do
    if (( i % 2 == 0 )); then
      t=$(curl -s -o /dev/null -w '%{time_total}' -H 'Accept: application/json' \
        "http://localhost:$sp/v1/markets/options/expirations?symbol=$s&includeAllRoots=true")
      echo "$label sim $s $t" >>"$OUT/first-requests.txt"
    else
      t=$(curl -s -o /dev/null -w '%{time_total}' "http://localhost:$dp/api/options/$s/expirations")
      echo "$label dashboard $s $t" >>"$OUT/first-requests.txt"
    fi
    i=$((i + 1))
  done
  kill "$dpid" "$spid" 2>/dev/null || true; wait "$dpid" "$spid" 2>/dev/null || true; rm -rf "$data"
}
universe_of_the_simulator() { # every symbol but AAPL, from a simulator started for the purpose
  local p pid
  p=$(free_port)
  java -jar "$SIM_JAR" --port "$p" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://localhost:$p/sim/stats" && break; sleep 0.2; done
  curl -s "http://localhost:$p/sim/universe" \
    | python3 -c "import json,sys; print(' '.join(s['symbol'] for s in json.load(sys.stdin) if s['symbol'] != 'AAPL'))"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
}
universe=$(universe_of_the_simulator)
symbols=$(echo "$universe" | tr ' ' '\n' | head -n $((2 * FIRST_SYMBOLS)) | tr '\n' ' ')
warmup=$(echo "$universe" | tr ' ' '\n' | tail -n +$((2 * FIRST_SYMBOLS + 1)) | tr '\n' ' ')
for r in $(seq 1 "$FIRST_ROUNDS"); do
  for w in $FIRST_WARM_UPS; do
    if [[ $w == default ]]; then
      first_round "warm-up-default-$r"
    else
      first_round "warm-up-$w-$r" --set "upstream.warm-up-requests=$w"
    fi
  done
done
# the same, the measured requests right after /health/ready, with no traffic before them: what a user sends first
for r in $(seq 1 "$FIRST_COLD_ROUNDS"); do
  for w in $FIRST_WARM_UPS; do
    if [[ $w == default ]]; then
      TRAFFIC=0 first_round "right-after-ready-warm-up-default-$r"
    else
      TRAFFIC=0 first_round "right-after-ready-warm-up-$w-$r" --set "upstream.warm-up-requests=$w"
    fi
  done
done
echo
echo "### First request: expirations of a symbol not seen before, one curl each, $FIRST_ROUNDS rounds of fresh processes each (after five seconds of traffic), then $FIRST_COLD_ROUNDS right after ready"
echo
python3 - "$OUT/first-requests.txt" "$OUT/first-ready.txt" <<'PY'
import sys, collections
rows = [l.split() for l in open(sys.argv[1])]
ready = {l.split()[0]: float(l.split()[2]) for l in open(sys.argv[2])}
by = collections.defaultdict(lambda: collections.defaultdict(list))
for label, target, _, t in rows:
    by[label][target].append(float(t) * 1000)
mean = lambda v: sum(v) / len(v)
print("| dashboard | round | start to ready (s) | simulator mean (ms) | dashboard mean (ms) | dashboard minus simulator (ms) |")
print("|---|---:|---:|---:|---:|---:|")
total = collections.defaultdict(lambda: {"sim": [], "dashboard": [], "ready": []})
for label in by:
    kind, r = label.rsplit("-", 1)
    s, d = by[label]["sim"], by[label]["dashboard"]
    print(f"| {kind} | {r} | {ready[label]:.2f} | {mean(s):.2f} | {mean(d):.2f} | {mean(d) - mean(s):+.2f} |")
    total[kind]["sim"] += s; total[kind]["dashboard"] += d; total[kind]["ready"].append(ready[label])
for kind, t in total.items():
    print(f"| {kind}, all rounds ({len(t['dashboard'])} + {len(t['sim'])} requests) | | {mean(t['ready']):.2f} | "
          f"{mean(t['sim']):.2f} | {mean(t['dashboard']):.2f} | **{mean(t['dashboard']) - mean(t['sim']):+.2f}** |")
PY

[[ -z $FIRST_ONLY ]] || exit 0

# The pair of processes of steps 1, 2 and 4, started after step 3 (whose rounds have the machine to themselves).
java -jar "$SIM_JAR" --port "$SIM_PORT" >"$OUT/sim.log" 2>&1 &
sim_pid=$!
java -jar "$DASH_JAR" --port "$DASH_PORT" --data-dir "$DATA" --set "upstream.base-url=$SIM" >"$OUT/dashboard.log" 2>&1 &
dash_pid=$!

for url in "$SIM/sim/stats" "$DASH/health/ready"; do
  for _ in $(seq 1 100); do curl -sf -o /dev/null "$url" && break; sleep 0.2; done
  curl -sf -o /dev/null "$url" || { echo "not ready: $url" >&2; exit 1; }
done

# 2 + 1: the hot quote, the dashboard first: the wrk run against the simulator spends the simulator's reported
# per-minute allowance of this address (X-Ratelimit-Available: 0), which the dashboard honours by not calling it.
curl -s -o /dev/null "$DASH/api/quote/AAPL"
cache_before=$(curl -s "$DASH/metrics" | python3 -c 'import sys,re; print(sum(float(m) for m in re.findall(r"^market_responses_total\{endpoint=\"current_price\",source=\"cache\"\} (\S+)", sys.stdin.read(), re.M)))')
before=$(sim_requests quotes)
start=$(date +%s.%N)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$DASH/api/quote/AAPL" >"$OUT/dashboard-quote.txt"
end=$(date +%s.%N)
after=$(sim_requests quotes)
cache_after=$(curl -s "$DASH/metrics" | python3 -c 'import sys,re; print(sum(float(m) for m in re.findall(r"^market_responses_total\{endpoint=\"current_price\",source=\"cache\"\} (\S+)", sys.stdin.read(), re.M)))')
calls_per_second=$(python3 -c "print(f'{($after - $before) / ($end - $start):.2f}')")

# 4: many keys, many clients: every symbol's quote, round robin, from MANY_CONNECTIONS connections; the dashboard
# first (before any wrk run against the simulator spends its reported allowance), then the simulator. Each quote is
# fresh for 2 s and the budget is 120 calls a minute, so most answers must come from memory or the last good answer.
sources() { curl -s "$DASH/metrics" | python3 -c 'import sys,re; d={}
for s,v in re.findall(r"^market_responses_total\{endpoint=\"current_price\",source=\"(\w+)\"\} (\S+)", sys.stdin.read(), re.M): d[s]=d.get(s,0)+float(v)
print(" ".join(f"{k}={int(v)}" for k,v in sorted(d.items())))'; }
all_symbols="AAPL $universe"
dash_paths=$(for s in $all_symbols; do printf '/api/quote/%s ' "$s"; done)
sim_paths=$(for s in $all_symbols; do printf '/v1/markets/quotes?symbols=%s ' "$s"; done)
keys_sources_before=$(sources)
keys_before=$(sim_requests quotes)
keys_start=$(date +%s.%N)
# shellcheck disable=SC2086
wrk -t"$THREADS" -c"$MANY_CONNECTIONS" -d"$DURATION" --latency -s wrk-paths.lua "$DASH" -- $dash_paths \
  >"$OUT/dashboard-many-keys.txt"
keys_end=$(date +%s.%N)
keys_after=$(sim_requests quotes)
keys_sources_after=$(sources)

curl -s -o /dev/null -H 'Accept: application/json' "$SIM/v1/markets/quotes?symbols=AAPL"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Accept: application/json' \
  "$SIM/v1/markets/quotes?symbols=AAPL" >"$OUT/sim-quote.txt"
# shellcheck disable=SC2086
wrk -t"$THREADS" -c"$MANY_CONNECTIONS" -d"$DURATION" --latency -s wrk-paths.lua "$SIM" -- $sim_paths \
  >"$OUT/sim-many-keys.txt"

echo
echo "### Hot quote, $CONNECTIONS connections, $DURATION each, one run"
echo
echo "| target | req/s | p50 (ms) | p99 (ms) | non-2xx |"
echo "|---|---:|---:|---:|---:|"
wrk_row "simulator: GET /v1/markets/quotes?symbols=AAPL" "$OUT/sim-quote.txt"
wrk_row "dashboard: GET /api/quote/AAPL" "$OUT/dashboard-quote.txt"
echo
echo "Upstream quote calls while the dashboard was under load: $((after - before)) in $(python3 -c "print(f'{$end - $start:.1f}')") s = $calls_per_second per second (one hot key); answers from the cache (stale) meanwhile: $(python3 -c "print(int($cache_after - $cache_before))")."
echo
echo "### Many keys: every symbol's quote ($(echo $all_symbols | wc -w) keys), $MANY_CONNECTIONS connections, $DURATION each"
echo
echo "| target | req/s | p50 (ms) | p99 (ms) | non-2xx |"
echo "|---|---:|---:|---:|---:|"
wrk_row "simulator: GET /v1/markets/quotes?symbols={symbol}" "$OUT/sim-many-keys.txt"
wrk_row "dashboard: GET /api/quote/{symbol}" "$OUT/dashboard-many-keys.txt"
echo
echo "Upstream quote calls during the dashboard's run: $((keys_after - keys_before)) in $(python3 -c "print(f'{$keys_end - $keys_start:.1f}')") s; the dashboard's answers by source, before: $keys_sources_before; after: $keys_sources_after."
echo
echo "Upstream calls of the whole run: $(sim_requests) (the simulator's /sim/stats)."
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/env.txt"
echo "raw output: $OUT"
