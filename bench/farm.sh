#!/usr/bin/env bash
# A farm's registry on a real etcd (Debian's etcd-server) on loopback, for SIZES bindings (default 10000 100000):
#   1. cold start: sslbind --store etcd://... serve, from exec to its first served handshake (target at 100k: 0.5 s);
#   1b. restart: the same, on a root that keeps its local copy of the farm (<root>/farm/<farm>.idx): what a front end
#      restarted by systemd or an upgrade does;
#   2. add: one `add sslcert` on the full farm, the command's whole run (target: under 50 ms; the file backend's,
#      measured the same way on a registry.json of the same bindings, beside it);
#   3. reach: from that add's return until each of FRONTENDS (default 3) front ends has applied it, read from their
#      admin sockets every millisecond (bench/await_bindings.py);
#   3b. reach percentiles: REACH_CHANGES (default 100) adds one after another, each timed until applied by every front
#      end (bench/reach_percentiles.py: p50, p90, p99; target: 1 s at p99 with 10k bindings);
#   4. compaction: etcd's compaction of every revision, then the time a front end takes to list the farm again (a
#      front end started after it: what a follower whose watch was compacted away does).
# RUNS (default 5) runs of each, medians and ranges. etcd and every front end are stopped by their pids.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIZES=${SIZES:-"10000 100000"}
FRONTENDS=${FRONTENDS:-3}
REACH_CHANGES=${REACH_CHANGES:-100}

scripts/install-deps.sh etcd-server
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DSSLBIND_BENCH=ON >/dev/null
cmake --build build/release -j"$(nproc)" --target sslbind sslbind_make_certs sslbind_handshake_client >/dev/null
sslbind=$PWD/build/release/cli/sslbind
make_certs=$PWD/build/release/bench/sslbind_make_certs
client=$PWD/build/release/bench/sslbind_handshake_client
BENCH_NAME=farm
. bench/lib.sh
appid='{4dc3e181-e14b-4a21-b022-59fc669b0914}'
now_ns() { date +%s%N; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
next_port=$((20000 + RANDOM % 10000))
new_port() { next_port=$((next_port + 1)); }

# etcd with room for one transaction of 100k bindings (the batch that fills the farm is one, never split).
new_port; etcd_port=$next_port; new_port; peer_port=$next_port
etcd --data-dir "$work/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "default=http://127.0.0.1:$peer_port" \
  --max-txn-ops 300000 --max-request-bytes 268435456 --quota-backend-bytes 8589934592 > "$work/etcd.log" 2>&1 &
etcd_pid=$!
pids+=("$etcd_pid")
for _ in $(seq 1 100); do grep -q "ready to serve client requests" "$work/etcd.log" && break; sleep 0.1; done

one=$work/one
"$make_certs" "$one" 1 0 store >/dev/null
hash=$(ls "$one/stores/MY" | head -1); hash=${hash%.*}
# A front end's root: its own stores and admin socket; the registry is the farm's.
make_root() { mkdir -p "$1/stores" && cp -r "$one/stores/MY" "$1/stores/"; }
# Appends to the variable named $1 the milliseconds from exec of a front end on root $2 (pinned to core 0) to its
# first handshake on port $3 (the client on core 1), then stops it. $4: fresh (default: a new root each run) or kept.
first_handshake() {
  local into=$1 r=$2 port=$3 mode=${4:-fresh} since started ms
  if [ "$mode" = fresh ]; then rm -rf "$r"; make_root "$r"; fi
  since=$(now_ns)
  taskset -c 0 "$sslbind" --root "$r" --store "$store" serve threads=1 >/dev/null 2>>"$work/serve.log" &
  started=$!; pids+=("$started")
  ms=$(taskset -c 1 "$client" first 127.0.0.1 "$port" site0.bench.test "$since" 60 | json_field first_handshake_ms)
  stop "$started"
  printf -v "$into" '%s %s' "${!into}" "$ms"
}

for n in $SIZES; do
  farm=f$n
  store="etcd://127.0.0.1:$etcd_port/$farm"
  new_port; p=$next_port
  awk -v n="$n" -v p="$p" -v h="$hash" -v a="$appid" 'BEGIN {for (i = 0; i < n; i++)
    printf "add sslcert hostnameport=site%d.bench.test:%d certhash=%s appid=%s certstorename=MY\n", i, p, h, a}' \
    > "$work/$farm.txt"
  admin=$work/admin-$farm; make_root "$admin"
  fill=$(now_ns)
  "$sslbind" --root "$admin" --store "$store" -f "$work/$farm.txt" >/dev/null
  echo "== $n bindings (filled in one transaction in $(ms_since "$fill") ms)"
  file_root=$work/file-$farm; make_root "$file_root"
  "$sslbind" --root "$file_root" -f "$work/$farm.txt" >/dev/null

  # 1. cold start
  times=""
  for _ in $(seq 1 "$RUNS"); do first_handshake times "$work/cold-$farm" "$p"; done
  printf '   cold start to first handshake   %8s ms (%s)\n' "$(echo "$times" | median)" "$(echo "$times" | range)"

  # 1b. restart with the local copy: one start makes it, then each run starts from it (and lists etcd behind it).
  r=$work/warm-$farm; rm -rf "$r"; make_root "$r"
  "$sslbind" --root "$r" --store "$store" serve threads=1 >/dev/null 2>>"$work/serve.log" &
  started=$!; pids+=("$started")
  for _ in $(seq 1 600); do [ -f "$r/farm/$farm.idx" ] && break; sleep 0.1; done
  stop "$started"
  [ -f "$r/farm/$farm.idx" ] || { echo "no compiled local copy after 60 s: $r/farm/$farm.idx" >&2; exit 1; }
  times=""
  for _ in $(seq 1 "$RUNS"); do first_handshake times "$r" "$p" kept; done
  printf '   restart with its local copy     %8s ms (%s)\n' "$(echo "$times" | median)" "$(echo "$times" | range)"

  # Front ends that follow the farm for 2 and 3.
  fronts=()
  for i in $(seq 1 "$FRONTENDS"); do
    r=$work/front-$farm-$i; make_root "$r"
    "$sslbind" --root "$r" --store "$store" serve threads=1 >/dev/null 2>>"$work/serve.log" &
    pids+=("$!"); fronts+=("$r")
  done
  for r in "${fronts[@]}"; do
    for _ in $(seq 1 600); do "$sslbind" --root "$r" show frontend >/dev/null 2>&1 && break; sleep 0.1; done
  done

  # 2. add, and 3. reach
  adds=""; file_adds=""; reach=""
  for i in $(seq 1 "$RUNS"); do
    since=$(now_ns)
    "$sslbind" --root "$admin" --store "$store" add sslcert hostnameport=new$i.bench.test:$p certhash="$hash" \
      appid="$appid" certstorename=MY >/dev/null
    adds="$adds $(ms_since "$since")"
    want=$(( n + i ))
    added=$(now_ns)
    reach="$reach $(python3 bench/await_bindings.py "$added" "$want" "${fronts[@]/%//admin.sock}")"
    since=$(now_ns)
    "$sslbind" --root "$file_root" add sslcert hostnameport=new$i.bench.test:$p certhash="$hash" appid="$appid" \
      certstorename=MY >/dev/null
    file_adds="$file_adds $(ms_since "$since")"
  done
  printf '   one add, etcd                   %8s ms (%s)\n' "$(echo "$adds" | median)" "$(echo "$adds" | range)"
  printf '   one add, registry file          %8s ms (%s)\n' "$(echo "$file_adds" | median)" "$(echo "$file_adds" | range)"
  printf '   add to applied by %d front ends  %8s ms (%s)\n' "$FRONTENDS" "$(echo "$reach" | median)" "$(echo "$reach" | range)"
  floor=$(python3 bench/await_bindings.py "$(now_ns)" 0 "${fronts[@]/%//admin.sock}")
  printf '     (of which the waiter starting and asking once: %s ms)\n' "$floor"
  sockets=$(printf '%s/admin.sock,' "${fronts[@]}"); sockets=${sockets%,}
  percentiles=$(python3 bench/reach_percentiles.py "$REACH_CHANGES" $(( n + RUNS )) "$sockets" "$sslbind" --root "$admin" \
    --store "$store" add sslcert "hostnameport=reach{i}.bench.test:$p" certhash="$hash" appid="$appid" certstorename=MY)
  printf '   %s changes, each until applied by all: from the command'"'"'s return %s; from its start %s\n' \
    "$REACH_CHANGES" "$(echo "$percentiles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reach"])')" \
    "$(echo "$percentiles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"

  for pid in "${pids[@]}"; do [ "$pid" = "$etcd_pid" ] || stop "$pid"; done
  pids=("$etcd_pid")

  # 4. compaction
  revision=$(curl -s "http://127.0.0.1:$etcd_port/v3/kv/range" -d '{"key":"AA=="}' |
    python3 -c "import json,sys; print(json.load(sys.stdin)['header']['revision'])")
  since=$(now_ns)
  curl -s "http://127.0.0.1:$etcd_port/v3/kv/compaction" -d "{\"revision\":\"$revision\",\"physical\":true}" >/dev/null
  printf '   etcd compaction                 %8s ms\n' "$(ms_since "$since")"
  lists=""
  for _ in $(seq 1 "$RUNS"); do first_handshake lists "$work/cold-$farm" "$p"; done
  printf '   list again after it             %8s ms (%s)\n' "$(echo "$lists" | median)" "$(echo "$lists" | range)"
  pids=("$etcd_pid")
done
