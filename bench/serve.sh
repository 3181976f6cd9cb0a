#!/usr/bin/env bash
# sslbind serve side by side with Debian's HAProxy (and nginx for CCS names), on loopback, in one run:
#   1. server CPU per full TLS 1.3 handshake, SNI rotating over N names (SIZES, default 1000 10000): sslbind with
#      N hostnameport bindings to N store certificates, HAProxy with a crt directory of the same N certificates;
#   2. CCS names: sslbind's ccs= binding over N .pfx files against nginx's `ssl_certificate $ssl_server_name`
#      (a certificate loaded per handshake), N = CCS_SIZE (default 1000);
#   3. exec to first served handshake with START_SIZES bindings and CCS files (default 10000 100000), and HAProxy
#      with HAPROXY_START_SIZE certificates (default 10000);
#   4. memory per cached certificate: RSS after one handshake per name minus RSS before, over N;
#   5. memory per open connection: CONNECTIONS (default 10000) silent TCP connections, then as many idle TLS
#      connections after one keep-alive request each, RSS with them held minus RSS before, over CONNECTIONS.
# Method: server pinned to CPU 0 with one I/O thread, client (4 threads) pinned to CPU 1, SECONDS per run
# (default 10), RUNS interleaved runs (default 5) per server; CPU from /proc/<pid>/stat. Prints medians, ranges
# and ratios; docs/performance.md holds a run's figures. Every server is stopped by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SECS=${SECONDS_PER_RUN:-10}
SIZES=${SIZES:-"1000 10000"}
CCS_SIZE=${CCS_SIZE:-1000}
START_SIZES=${START_SIZES:-"10000 100000"}
HAPROXY_START_SIZE=${HAPROXY_START_SIZE:-10000}
CONNECTIONS=${CONNECTIONS:-10000}
SECTIONS=${SECTIONS:-"1 2 5 3"}  # 2 includes 4 (memory), which also runs alone: SECTIONS=4

scripts/install-deps.sh
for p in haproxy nginx-light; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DSSLBIND_BENCH=ON >/dev/null
cmake --build build/release -j"$(nproc)" --target sslbind sslbind_make_certs sslbind_handshake_client >/dev/null
sslbind=$PWD/build/release/cli/sslbind
make_certs=$PWD/build/release/bench/sslbind_make_certs
client=$PWD/build/release/bench/sslbind_handshake_client

BENCH_NAME=bench
. bench/lib.sh
appid='{4dc3e181-e14b-4a21-b022-59fc669b0914}'

now_ns() { date +%s%N; }
wait_port() {  # port pid: until a TCP connection to 127.0.0.1:port succeeds, 120 s at most, while pid lives
  for _ in $(seq 1 12000); do
    kill -0 "$2" 2>/dev/null || { echo "the server on port $1 exited; logs:" >&2; tail -n 5 "$work"/*.log "$work"/nginx-*/error.log >&2 2>/dev/null; exit 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.01
  done
  echo "nothing listens on port $1 after 120 s" >&2
  exit 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# Below the kernel's ephemeral range (32768 and up): section 5's 10,000 client sockets must not take a listening port.
next_port=$((20000 + RANDOM % 10000))
new_port() { next_port=$((next_port + 1)); }  # sets $next_port (a command substitution could not)

# The start_* functions set $started to the server's pid (not printed: a command substitution would wait for the
# server's output to end).
start_sslbind() {  # root port [serve parameter]
  taskset -c 0 "$sslbind" --root "$1" serve threads=1 admin="$1/admin.sock" ${3:-} >/dev/null 2>>"$work/sslbind.log" &
  started=$!
  pids+=("$started")
}
start_haproxy() {  # crt-dir port
  cat > "$work/haproxy-$2.cfg" <<CFG
global
  nbthread 1
  maxconn ${HAPROXY_MAXCONN:-4000}
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend fe
  bind 127.0.0.1:$2 ssl crt $1 strict-sni no-tls-tickets
  http-request return status 200
CFG
  taskset -c 0 haproxy -f "$work/haproxy-$2.cfg" -db >/dev/null 2>>"$work/haproxy.log" &
  started=$!
  pids+=("$started")
}
start_nginx() {  # pem-dir port
  mkdir -p "$work/nginx-$2"
  cat > "$work/nginx-$2/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx-$2/nginx.pid;
error_log $work/nginx-$2/error.log;
events { worker_connections 4000; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$2 ssl;
    ssl_protocols TLSv1.3;
    ssl_session_tickets off;
    ssl_certificate $1/\$ssl_server_name.pem;
    ssl_certificate_key $1/\$ssl_server_name.pem;
    return 200;
  }
}
CONF
  taskset -c 0 nginx -c "$work/nginx-$2/nginx.conf" -g 'daemon off; master_process off;' >/dev/null \
    2>>"$work/nginx.log" &
  started=$!
  pids+=("$started")
}
# Server CPU microseconds per handshake over one run of the client.
measure() {  # pid port names
  local t0 t1 out n
  t0=$(cpu_ticks "$1")
  out=$(taskset -c 1 "$client" load 127.0.0.1 "$2" "$3" 4 "$SECS" 100000000)
  t1=$(cpu_ticks "$1")
  n=$(echo "$out" | json_field handshakes)
  [ "$(echo "$out" | json_field failures)" = 0 ] || echo "warning: failed handshakes: $out" >&2
  awk -v d=$((t1 - t0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.1f", d * 1e6 / hz / n}'
}
report() {  # label ours-list peers-list peer-name
  local mo mp
  mo=$(echo "$2" | median); mp=$(echo "$3" | median)
  printf '%-46s sslbind %7s us (%s)  %s %7s us (%s)  ratio %.2f\n' "$1" "$mo" "$(echo "$2" | range)" "$4" "$mp" \
    "$(echo "$3" | range)" "$(awk -v a="$mo" -v b="$mp" 'BEGIN {print a / b}')"
}

echo "== 1. Server CPU per full TLS 1.3 handshake, SNI over N names (runs: $RUNS x ${SECS}s, interleaved)"
[[ " $SECTIONS " == *" 1 "* ]] || SIZES=""
for n in $SIZES; do
  dir=$work/certs-$n
  "$make_certs" "$dir" "$n" 0 pem,store >/dev/null
  new_port; p_ours=$next_port; new_port; p_peer=$next_port
  root=$work/root-$n
  mkdir -p "$root/stores" && cp -r "$dir/stores/MY" "$root/stores/"
  sed "s/:0 certhash/:$p_ours certhash/" "$dir/bindings.txt" > "$dir/bindings-$p_ours.txt"
  "$sslbind" --root "$root" -f "$dir/bindings-$p_ours.txt" >/dev/null
  start_sslbind "$root" "$p_ours"; ours=$started
  start_haproxy "$dir/pem" "$p_peer"; peer=$started
  wait_port "$p_ours" "$ours"; wait_port "$p_peer" "$peer"
  names="site%.bench.test:$n"
  taskset -c 1 "$client" warm 127.0.0.1 "$p_ours" "$names" >/dev/null
  taskset -c 1 "$client" warm 127.0.0.1 "$p_peer" "$names" >/dev/null
  a=""; b=""
  for _ in $(seq 1 "$RUNS"); do a="$a $(measure "$ours" "$p_ours" "$names")"; b="$b $(measure "$peer" "$p_peer" "$names")"; done
  report "$n names" "$a" "$b" HAProxy
  echo "   memory: sslbind $(rss_kib "$ours") KiB after warming $n names; HAProxy $(rss_kib "$peer") KiB with $n loaded"
  stop "$ours"; stop "$peer"
done

if [[ " $SECTIONS " == *" 2 "* || " $SECTIONS " == *" 4 "* ]]; then
dir=$work/ccs-$CCS_SIZE
"$make_certs" "$dir" "$CCS_SIZE" 0 pem,ccs >/dev/null
new_port; p_ours=$next_port; new_port; p_peer=$next_port
names="site%.bench.test:$CCS_SIZE"
fi
if [[ " $SECTIONS " == *" 2 "* ]]; then
echo "== 2. CCS names, warm: sslbind ccs= over $CCS_SIZE .pfx files vs nginx ssl_certificate \$ssl_server_name"
root=$work/root-ccs
"$sslbind" --root "$root" add ccs location="$dir/ccs" >/dev/null
"$sslbind" --root "$root" add sslcert ccs="$p_ours" appid="$appid" >/dev/null
start_sslbind "$root" "$p_ours"; ours=$started
start_nginx "$dir/pem" "$p_peer"; peer=$started
wait_port "$p_ours" "$ours"; wait_port "$p_peer" "$peer"
taskset -c 1 "$client" warm 127.0.0.1 "$p_ours" "$names" >/dev/null
taskset -c 1 "$client" warm 127.0.0.1 "$p_peer" "$names" >/dev/null
a=""; b=""
for _ in $(seq 1 "$RUNS"); do a="$a $(measure "$ours" "$p_ours" "$names")"; b="$b $(measure "$peer" "$p_peer" "$names")"; done
report "$CCS_SIZE CCS names" "$a" "$b" nginx
stop "$ours"; stop "$peer"

fi
if [[ " $SECTIONS " == *" 2 "* || " $SECTIONS " == *" 4 "* ]]; then
# Memory: RSS before and after one handshake per name, with disablesessionid=enable so that the session cache (which
# grows with handshakes, not certificates) stays empty; HAProxy's per-certificate cost from its RSS with N and 1.
echo "== 4. Memory per cached certificate ($CCS_SIZE names)"
root=$work/root-memory
"$sslbind" --root "$root" add ccs location="$dir/ccs" >/dev/null
"$sslbind" --root "$root" add sslcert ccs="$p_ours" appid="$appid" disablesessionid=enable >/dev/null
start_sslbind "$root" "$p_ours"; ours=$started
wait_port "$p_ours" "$ours"
taskset -c 1 "$client" probe 127.0.0.1 "$p_ours" site0.bench.test 5 20 0 >/dev/null  # the first loads and threads
fresh=$(rss_kib "$ours")
# As many connections as the warm-up makes, all to the one cached name: what connections leave behind (malloc's
# free lists, OpenSSL's per-thread state; it levels off after about 1,000) is then not counted per certificate.
taskset -c 1 "$client" probe 127.0.0.1 "$p_ours" site0.bench.test 60 "$CCS_SIZE" 0 >/dev/null
sleep 2
idle=$(rss_kib "$ours")
taskset -c 1 "$client" warm 127.0.0.1 "$p_ours" "$names" >/dev/null
sleep 2  # the loaders give their parsing scratch back (malloc_trim) once loads have stopped for 1 s
warm=$(rss_kib "$ours")
stop "$ours"
echo "   sslbind RSS: $fresh KiB after the first handshake, $idle KiB after $CCS_SIZE connections to one name," \
  "$warm KiB after one more per name"
one_pem=$work/one-pem; mkdir -p "$one_pem"; cp "$dir/pem/site0.bench.test.pem" "$one_pem/"
start_haproxy "$one_pem" "$p_peer"; peer=$started; wait_port "$p_peer" "$peer"; h1=$(rss_kib "$peer"); stop "$peer"
start_haproxy "$dir/pem" "$p_peer"; peer=$started; wait_port "$p_peer" "$peer"; hn=$(rss_kib "$peer"); stop "$peer"
printf '   sslbind: (%s - %s) KiB / %s = %.1f KiB per certificate; HAProxy: (%s - %s) KiB / %s = %.1f KiB\n' \
  "$warm" "$idle" "$CCS_SIZE" "$(awk -v w="$warm" -v i="$idle" -v n="$CCS_SIZE" 'BEGIN {print (w - i) / n}')" \
  "$hn" "$h1" "$((CCS_SIZE - 1))" "$(awk -v w="$hn" -v i="$h1" -v n="$CCS_SIZE" 'BEGIN {print (w - i) / (n - 1)}')"
fi
if [[ " $SECTIONS " == *" 5 "* ]]; then
# What an open connection costs each server: RSS with CONNECTIONS held open minus RSS before, over CONNECTIONS.
# Both answer the request themselves (sslbind's built-in page, HAProxy's http-request return), over one certificate.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# HAProxy refuses to start unless it may open two descriptors per connection of its maxconn, and a few more.
fits=$(( ($(ulimit -n) - 100) / 2 - 50 ))
if [ "$CONNECTIONS" -gt "$fits" ]; then
  echo "   (ulimit -Hn is $(ulimit -Hn): HAProxy can hold $fits connections, so both are measured with $fits)"
  CONNECTIONS=$fits
fi
echo "== 5. RSS per connection, $CONNECTIONS connections held open (runs: $RUNS, interleaved)"
dir=$work/held
"$make_certs" "$dir" 1 0 pem,store >/dev/null
new_port; p_ours=$next_port; new_port; p_peer=$next_port
root=$work/root-held
mkdir -p "$root/stores" && cp -r "$dir/stores/MY" "$root/stores/"
sed "s/:0 certhash/:$p_ours certhash/" "$dir/bindings.txt" > "$dir/bindings-$p_ours.txt"
"$sslbind" --root "$root" -f "$dir/bindings-$p_ours.txt" >/dev/null
for kind in tcp request; do
  a=""; b=""
  for _ in $(seq 1 "$RUNS"); do
    start_sslbind "$root" "$p_ours" maxconnections=$((CONNECTIONS * 2)); ours=$started; wait_port "$p_ours" "$ours"
    a="$a $(rss_per_held_connection "$ours" "$p_ours" site0.bench.test "$CONNECTIONS" "$kind")"; stop "$ours"
    HAPROXY_MAXCONN=$((CONNECTIONS + 50)) start_haproxy "$dir/pem" "$p_peer"; peer=$started; wait_port "$p_peer" "$peer"
    b="$b $(rss_per_held_connection "$peer" "$p_peer" site0.bench.test "$CONNECTIONS" "$kind")"; stop "$peer"
  done
  label=$([ "$kind" = tcp ] && echo "silent TCP connections (no byte sent)" || echo "idle TLS after one keep-alive request")
  mo=$(echo "$a" | median); mp=$(echo "$b" | median)
  printf '   %-40s sslbind %6s B (%s)  HAProxy %6s B (%s)  ratio %.2f\n' "$label" "$mo" "$(echo "$a" | range)" \
    "$mp" "$(echo "$b" | range)" "$(awk -v a="$mo" -v b="$mp" 'BEGIN {print a / b}')"
done
fi
[[ " $SECTIONS " == *" 3 "* ]] || exit 0

echo "== 3. exec to first served handshake (median of $RUNS)"
one=$work/one
"$make_certs" "$one" 1 0 pem,ccs,store >/dev/null
for n in $START_SIZES; do
  new_port; p=$next_port
  # N bindings: hostnameport bindings for N names, all bound to one certificate (certificates load lazily).
  root=$work/start-sni-$n
  mkdir -p "$root/stores" && cp -r "$one/stores/MY" "$root/stores/"
  hash=$(ls "$one/stores/MY" | head -1); hash=${hash%.*}
  awk -v n="$n" -v p="$p" -v h="$hash" -v a="$appid" 'BEGIN {for (i = 0; i < n; i++)
    printf "add sslcert hostnameport=site%d.bench.test:%d certhash=%s appid=%s certstorename=MY\n", i, p, h, a}' > "$root.txt"
  "$sslbind" --root "$root" -f "$root.txt" >/dev/null
  # N CCS files: copies of one real .pfx (listing is what start-up costs; nothing is parsed).
  croot=$work/start-ccs-$n; cdir=$work/start-ccs-files-$n
  mkdir -p "$cdir"; cp "$one/ccs/site0.bench.test.pfx" "$cdir/"
  python3 -c "import os, sys
data = open(sys.argv[1] + '/site0.bench.test.pfx', 'rb').read()
for i in range(1, int(sys.argv[2])): open(sys.argv[1] + f'/site{i}.bench.test.pfx', 'wb').write(data)" "$cdir" "$n"
  "$sslbind" --root "$croot" add ccs location="$cdir" >/dev/null
  "$sslbind" --root "$croot" add sslcert ccs="$p" appid="$appid" >/dev/null
  for kind in sni ccs; do
    r=$root; [ "$kind" = ccs ] && r=$croot
    times=""
    for _ in $(seq 1 "$RUNS"); do
      since=$(now_ns)
      start_sslbind "$r" "$p"
      times="$times $(taskset -c 1 "$client" first 127.0.0.1 "$p" site0.bench.test "$since" 60 | json_field first_handshake_ms)"
      stop "$started"
    done
    printf '   sslbind, %6d %-12s %8s ms (%s)\n' "$n" "$([ $kind = sni ] && echo bindings || echo 'CCS files')" \
      "$(echo "$times" | median)" "$(echo "$times" | range)"
  done
done
n=$HAPROXY_START_SIZE
dir=$work/certs-$n
[ -d "$dir/pem" ] || "$make_certs" "$dir" "$n" 0 pem >/dev/null
new_port; p=$next_port; times=""
for _ in $(seq 1 "$RUNS"); do
  since=$(now_ns)
  start_haproxy "$dir/pem" "$p"
  times="$times $(taskset -c 1 "$client" first 127.0.0.1 "$p" site0.bench.test "$since" 300 | json_field first_handshake_ms)"
  stop "$started"
done
printf '   HAProxy, %6d certificates %8s ms (%s)\n' "$n" "$(echo "$times" | median)" "$(echo "$times" | range)"
