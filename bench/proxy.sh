#!/usr/bin/env bash
# sslbind serve as an HTTP reverse proxy (web farms, ARR's headers) side by side with Debian's HAProxy (mode http,
# option forwardfor), both in front of the same nginx web worker, on loopback, in one run:
#   server CPU per proxied keep-alive HTTPS request, and the client's p99 latency, with wrk over HTTP/1.1 and with
#   h2load over HTTP/2 (H2_CONNECTIONS connections of H2_STREAMS concurrent streams; HTTP/1.1 keep-alive to nginx);
#   RSS per idle HTTP/2 connection after one request (IDLE_CONNECTIONS held open).
# Method: each proxy pinned to CPU 0 with one thread; wrk (one thread, CONNECTIONS keep-alive connections) and nginx
# pinned to CPU 1; SECONDS per run (default 10), RUNS interleaved runs (default 5) per proxy; CPU from
# /proc/<pid>/stat. Prints medians, ranges and ratios; docs/performance.md holds a run's figures. Every server is
# stopped by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SECS=${SECONDS_PER_RUN:-10}
CONNECTIONS=${CONNECTIONS:-16}
H2_CONNECTIONS=${H2_CONNECTIONS:-16}
H2_STREAMS=${H2_STREAMS:-8}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-2000}

scripts/install-deps.sh
for p in haproxy nginx-light wrk nghttp2-client; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# SSLBIND_BINARY=path measures another build of sslbind (an older commit's, to compare two builds' figures).
if [ -z "${SSLBIND_BINARY:-}" ]; then
  cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/release -j"$(nproc)" --target sslbind >/dev/null
fi
sslbind=${SSLBIND_BINARY:-$PWD/build/release/cli/sslbind}
cmake -S . -B build/release -DSSLBIND_BENCH=ON >/dev/null
cmake --build build/release -j"$(nproc)" --target sslbind_handshake_client >/dev/null
client=$PWD/build/release/bench/sslbind_handshake_client

BENCH_NAME=proxy-bench
. bench/lib.sh
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # the idle HTTP/2 connections, and HAProxy's two descriptors each
wait_port() {  # port pid
  for _ in $(seq 1 3000); do
    kill -0 "$2" 2>/dev/null || { echo "the server on port $1 exited; logs:" >&2; tail -n 5 "$work"/*.log >&2; exit 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.01
  done
  echo "nothing listens on port $1 after 30 s" >&2
  exit 1
}
base=$((20000 + RANDOM % 20000))
p_web=$base; p_ours=$((base + 1)); p_peer=$((base + 2))

# The web worker: nginx answering a small page, keep-alive without a request limit (both proxies reuse connections).
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4000; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$p_web;
    location / { return 200 "hello from the web worker\n"; }
  }
}
CONF
taskset -c 1 nginx -c "$work/nginx/nginx.conf" -g 'daemon off; master_process off;' >/dev/null 2>>"$work/nginx.log" &
pids+=($!); web=$!

# One certificate for both proxies.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=proxy.bench.test \
  -addext subjectAltName=DNS:proxy.bench.test -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cat "$work/cert.pem" "$work/key.pem" > "$work/proxy.pem"

root=$work/root
mkdir -p "$root" && chmod 700 "$root"
thumbprint=$("$sslbind" --root "$root" --json add cert file="$work/proxy.pem" | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["certificate"]["certhash"])')
"$sslbind" --root "$root" add sslcert ipport=127.0.0.1:$p_ours certhash="$thumbprint" \
  appid='{4dc3e181-e14b-4a21-b022-59fc669b0914}' >/dev/null
"$sslbind" --root "$root" add webfarm name=web server=127.0.0.1:$p_web >/dev/null
"$sslbind" --root "$root" add route host='*' webfarm=web >/dev/null
start_ours() {
  taskset -c 0 "$sslbind" --root "$root" serve threads=1 admin="$root/admin.sock" >/dev/null 2>>"$work/sslbind.log" &
  pids+=($!); ours=$!
}
start_ours

cat > "$work/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn $((IDLE_CONNECTIONS + 100))
defaults
  mode http
  option forwardfor
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend fe
  bind 127.0.0.1:$p_peer ssl crt $work/proxy.pem no-tls-tickets alpn h2,http/1.1
  http-request set-header X-Forwarded-Proto https
  default_backend web
backend web
  http-reuse always
  server web 127.0.0.1:$p_web
CFG
start_peer() {
  taskset -c 0 haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>>"$work/haproxy.log" &
  pids+=($!); peer=$!
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
start_peer
wait_port "$p_web" "$web"; wait_port "$p_ours" "$ours"; wait_port "$p_peer" "$peer"

# One run: server CPU microseconds per request, requests per second, and p99 latency in ms.
measure() {  # pid port
  local t0 t1 out n
  t0=$(cpu_ticks "$1")
  out=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${SECS}s" --latency "https://127.0.0.1:$2/")
  t1=$(cpu_ticks "$1")
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}')
  [ -z "$errors" ] || echo "warning: $errors" >&2
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000} print v}')
  awk -v d=$((t1 - t0)) -v n="$n" -v hz="$hz" -v s="$SECS" -v p="$p99" 'BEGIN {printf "%.2f %.0f %.3f", d * 1e6 / hz / n, n / s, p}'
}

echo "== Proxied keep-alive HTTPS requests ($CONNECTIONS connections, runs: $RUNS x ${SECS}s, interleaved)"
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d2s "https://127.0.0.1:$p_ours/" >/dev/null  # warm both
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d2s "https://127.0.0.1:$p_peer/" >/dev/null
cpu_a=""; rps_a=""; p99_a=""; cpu_b=""; rps_b=""; p99_b=""
for _ in $(seq 1 "$RUNS"); do
  read -r c r p <<< "$(measure "$ours" "$p_ours")"; cpu_a="$cpu_a $c"; rps_a="$rps_a $r"; p99_a="$p99_a $p"
  read -r c r p <<< "$(measure "$peer" "$p_peer")"; cpu_b="$cpu_b $c"; rps_b="$rps_b $r"; p99_b="$p99_b $p"
done
row() {  # label unit ours peers
  local mo mp
  mo=$(echo "$3" | median); mp=$(echo "$4" | median)
  printf '%-28s sslbind %9s %s (%s)  HAProxy %9s %s (%s)  ratio %.2f\n' "$1" "$mo" "$2" "$(echo "$3" | range)" "$mp" \
    "$2" "$(echo "$4" | range)" "$(awk -v a="$mo" -v b="$mp" 'BEGIN {print a / b}')"
}
row "server CPU per request" us "$cpu_a" "$cpu_b"
row "requests per second" "/s" "$rps_a" "$rps_b"
row "p99 latency" ms "$p99_a" "$p99_b"

# HTTP/2 to the front (h2load), HTTP/1.1 keep-alive to nginx. p99 from h2load's per-request log (microseconds).
measure_h2() {  # pid port
  local t0 t1 out n
  t0=$(cpu_ticks "$1")
  out=$(taskset -c 1 h2load -c"$H2_CONNECTIONS" -m"$H2_STREAMS" -D"$SECS" --log-file="$work/h2.log" \
    --connect-to=127.0.0.1:"$2" "https://proxy.bench.test:$2/")
  t1=$(cpu_ticks "$1")
  n=$(echo "$out" | awk '/^requests:/ {print $8}')
  echo "$out" | grep -q " 0 failed, 0 errored" || echo "warning: $(echo "$out" | grep '^requests:')" >&2
  p99=$(awk '{print $3}' "$work/h2.log" | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; print a[i]/1000}')
  awk -v d=$((t1 - t0)) -v n="$n" -v hz="$hz" -v s="$SECS" -v p="$p99" 'BEGIN {printf "%.2f %.0f %.3f", d * 1e6 / hz / n, n / s, p}'
}

echo "== Proxied HTTP/2 requests ($H2_CONNECTIONS connections x $H2_STREAMS streams, runs: $RUNS x ${SECS}s, interleaved)"
cpu_a=""; rps_a=""; p99_a=""; cpu_b=""; rps_b=""; p99_b=""
for _ in $(seq 1 "$RUNS"); do
  read -r c r p <<< "$(measure_h2 "$ours" "$p_ours")"; cpu_a="$cpu_a $c"; rps_a="$rps_a $r"; p99_a="$p99_a $p"
  read -r c r p <<< "$(measure_h2 "$peer" "$p_peer")"; cpu_b="$cpu_b $c"; rps_b="$rps_b $r"; p99_b="$p99_b $p"
done
row "server CPU per request" us "$cpu_a" "$cpu_b"
row "requests per second" "/s" "$rps_a" "$rps_b"
row "p99 latency" ms "$p99_a" "$p99_b"

# What an idle HTTP/2 connection costs: RSS with IDLE_CONNECTIONS open after one request each, minus RSS before,
# each run on a server started for it (memory a server freed before would be used again without showing in RSS).
echo "== RSS per idle HTTP/2 connection after one request ($IDLE_CONNECTIONS held open, runs: $RUNS, interleaved)"
stop "$ours"; stop "$peer"
a=""; b=""
for _ in $(seq 1 "$RUNS"); do
  start_ours; wait_port "$p_ours" "$ours"; a="$a $(rss_per_held_connection "$ours" "$p_ours" proxy.bench.test "$IDLE_CONNECTIONS" h2)"; stop "$ours"
  start_peer; wait_port "$p_peer" "$peer"; b="$b $(rss_per_held_connection "$peer" "$p_peer" proxy.bench.test "$IDLE_CONNECTIONS" h2)"; stop "$peer"
done
row "RSS per idle connection" B "$a" "$b"
