#!/usr/bin/env bash
# Does a storm of cold CCS loads stall handshakes for a name already cached? One sslbind serve (one I/O thread,
# pinned to CPU 0 with its loader threads) serves a CCS folder of COLD .pfx files made slow to open (PBKDF2_ITER
# key-derivation rounds, default 20000: tens of ms of CPU each). A probe makes PROBES sequential handshakes to a
# cached name, alone (idle) and while a client (CPU 1) asks for every cold name (storm); the server is restarted
# for each run, and the idle and storm probes run back to back on it. The storm's connections send their
# ClientHello and wait for the server's first flight: the server does all of its work for them (the load, the key
# exchange, the signature) while the storm's client, which shares CPU 1 with the probe, does almost none, so that
# the probe measures the server. Reports the probe's p50/p99 both ways over RUNS interleaved runs, the ratio of the
# p99 medians (the bound: 1.5) and each run's ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
COLD=${COLD:-1000}
PROBES=${PROBES:-2000}
export PBKDF2_ITER=${PBKDF2_ITER:-20000}

scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DSSLBIND_BENCH=ON >/dev/null
cmake --build build/release -j"$(nproc)" --target sslbind sslbind_make_certs sslbind_handshake_client >/dev/null
sslbind=$PWD/build/release/cli/sslbind
client=$PWD/build/release/bench/sslbind_handshake_client
BENCH_NAME=stall
. bench/lib.sh
port=$((20000 + RANDOM % 20000))

"$PWD/build/release/bench/sslbind_make_certs" "$work" $((COLD + 1)) 0 ccs >/dev/null
"$sslbind" --root "$work/root" add ccs location="$work/ccs" >/dev/null
"$sslbind" --root "$work/root" add sslcert ccs="$port" appid='{4dc3e181-e14b-4a21-b022-59fc669b0914}' >/dev/null

start() {
  taskset -c 0 "$sslbind" --root "$work/root" serve threads=1 >/dev/null 2>>"$work/serve.log" &
  server=$!
  pids=("$server")
  for _ in $(seq 1 1000); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.01; done
  taskset -c 1 "$client" probe 127.0.0.1 "$port" site0.bench.test 10 5 0 >/dev/null  # site0 is now cached
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; pids=(); }
probe() { taskset -c 1 "$client" probe 127.0.0.1 "$port" site0.bench.test 60 "$PROBES" 0; }

idle50=""; idle99=""; storm50=""; storm99=""; loads=""; spans=""; ratios=""
for _ in $(seq 1 "$RUNS"); do
  # Idle and storm probes back to back on one fresh server (the idle probe touches only site0, so every other name
  # is still cold): a few seconds apart, both see the same state of this noisy machine.
  start
  out=$(probe); i50=$(echo "$out" | json_field p50_ms); i99=$(echo "$out" | json_field p99_ms)
  # Names 1..COLD: every one a cold load; two client threads keep both loader threads busy. Stopped once the probe
  # has its figures: the rest of the storm would measure nothing.
  taskset -c 1 "$client" hello 127.0.0.1 "$port" "site%.bench.test:$((COLD + 1))" 2 120 "$COLD" > "$work/storm.json" &
  storm=$!
  pids+=("$storm")
  sleep 0.2
  out=$(probe); s50=$(echo "$out" | json_field p50_ms); s99=$(echo "$out" | json_field p99_ms)
  spans="$spans $(echo "$out" | json_field seconds)s"
  kill "$storm"; wait "$storm" 2>/dev/null || true
  stats=$("$sslbind" --root "$work/root" --json show frontend 2>/dev/null || true)
  loads="$loads $(echo "$stats" | python3 -c "import json,sys
try: print(json.load(sys.stdin)['frontend']['cache']['loads'])
except Exception: print('?')")"
  stop
  idle50="$idle50 $i50"; idle99="$idle99 $i99"; storm50="$storm50 $s50"; storm99="$storm99 $s99"
  ratios="$ratios $(awk -v a="$s99" -v b="$i99" 'BEGIN {printf "%.2f", a / b}')"
done
i99=$(echo "$idle99" | median); s99=$(echo "$storm99" | median)
echo "probe to a cached name, $PROBES sequential handshakes, medians of $RUNS runs (ms):"
echo "  idle:                    p50 $(echo "$idle50" | median)  p99 $i99   (p99 runs:$idle99)"
echo "  during $COLD cold loads: p50 $(echo "$storm50" | median)  p99 $s99   (p99 runs:$storm99)"
echo "  certificates loaded by the end of each storm probe:$loads"
echo "  the probe's length during each storm (it starts 0.2 s after the storm):$spans"
echo "  p99 ratio of each run:$ratios (median $(echo "$ratios" | median))"
awk -v a="$s99" -v b="$i99" 'BEGIN {printf "  p99 ratio storm/idle: %.2f (bound 1.5)\n", a / b}'
