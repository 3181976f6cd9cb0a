# Sourced by the benchmarks: a scratch folder whose servers are stopped by pid when the script ends, and the
# arithmetic of the reports. Servers started in the background are added to `pids`.
work=$(mktemp -d "/tmp/sslbind-${BENCH_NAME:-bench}.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system time of a process, in clock ticks
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
range() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%s-%s", lo, hi}'; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
json_field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$1'])"; }
# Bytes of RSS one held connection costs a server: $client (bench/handshake_client) holds COUNT connections of KIND
# (tcp, request, h2) to PORT with SNI NAME; RSS after minus RSS before, over COUNT. One connection of the same kind
# (a TLS one for tcp) is made first, so that first-use allocations are not counted.
rss_per_held_connection() {  # pid port name count kind
  local before after out holder warm
  warm=$([ "$5" = tcp ] && echo request || echo "$5")
  taskset -c 1 "$client" hold 127.0.0.1 "$2" "$3" 1 "$warm" 0 >/dev/null
  sleep 0.5
  before=$(rss_kib "$1")
  taskset -c 1 "$client" hold 127.0.0.1 "$2" "$3" "$4" "$5" 120 > "$work/hold.out" &
  holder=$!
  for _ in $(seq 1 1200); do [ -s "$work/hold.out" ] && break; sleep 0.1; done
  sleep 1
  after=$(rss_kib "$1")
  out=$(cat "$work/hold.out")
  kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
  : > "$work/hold.out"
  [ "$(echo "$out" | json_field failed)" = 0 ] || echo "warning: connections failed: $out" >&2
  awk -v a="$after" -v b="$before" -v n="$4" 'BEGIN {printf "%.0f", (a - b) * 1024 / n}'
}
