#!/usr/bin/env bash
# Scale benchmark of the real binary: registries of 1k, 10k and 100k bindings.
# For each size it times (median of RUNS runs, each on a fresh copy where the step writes):
#   batch   - sslbind -f with every binding as one transaction, on an empty registry
#   add     - one add sslcert on the full registry
#   show    - show sslcert --json of the full registry
#   resolve - resolve of an SNI name on the full registry
# and reports the peak resident memory of each step. Usage: bench/scale.sh [sizes...]  (RUNS=5 by default;
# SSLBIND=path measures another build of the binary, e.g. an older commit's, instead of building this tree)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SSLBIND:-}" ]; then
  scripts/install-deps.sh
  cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)" --target sslbind >/dev/null
fi
sslbind=${SSLBIND:-$PWD/build/release/cli/sslbind}
runs=${RUNS:-5}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
appid='{4dc3e181-e14b-4a21-b022-59fc669b0914}'

# Two certificates every binding uses (a front end binds few distinct certificates to many keys).
base=$work/base
for name in site wild; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj "/CN=$name.contoso.com" \
    -keyout "$work/$name.key" -out "$work/$name.pem" 2>/dev/null
  "$sslbind" --root "$base" add cert file="$work/$name.pem" keyfile="$work/$name.key" certstorename=MY >/dev/null
done
hash_site=$(openssl x509 -in "$work/site.pem" -noout -fingerprint -sha1 | cut -d= -f2 | tr -d :)
hash_wild=$(openssl x509 -in "$work/wild.pem" -noout -fingerprint -sha1 | cut -d= -f2 | tr -d :)

# Half SNI sites, half specific IPv4 bindings.
make_script() {
  awk -v n="$1" -v h1="$hash_site" -v h2="$hash_wild" -v appid="$appid" 'BEGIN {
    for (i = 0; i < n; i++) {
      if (i % 2 == 0) printf "http add sslcert hostnameport=site%d.contoso.com:443 certhash=%s appid=%s certstorename=MY\n", i, h1, appid
      else printf "http add sslcert ipport=10.%d.%d.%d:443 certhash=%s appid=%s\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256, h2, appid
    }
  }'
}

# Prints "<seconds> <peak KiB>" of one run of the command (wall time from bash, peak memory from GNU time).
measure() {
  local start=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  local end=$EPOCHREALTIME
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }') $(cat "$work/time")"
}

# Median of the first column and the maximum of the second over the lines on stdin.
summarise() { sort -n | awk '{ t[NR] = $1; if ($2 > m) m = $2 } END { printf "%.3f s (median of %d), peak %.0f MB", t[int((NR + 1) / 2)], NR, m / 1024 }'; }

printf "%-8s %-8s %s\n" bindings step result
for n in "${sizes[@]}"; do
  make_script "$n" > "$work/script.txt"
  full=$work/full-$n
  rm -rf "$full" && cp -a "$base" "$full"
  "$sslbind" --root "$full" -f "$work/script.txt" >/dev/null
  bytes=$(stat -c %s "$full/registry.json")

  for _ in $(seq "$runs"); do
    rm -rf "$work/r" && cp -a "$base" "$work/r"
    measure "$sslbind" --root "$work/r" -f "$work/script.txt"
  done | summarise | xargs -0 printf "%-8s %-8s %s\n" "$n" batch
  for _ in $(seq "$runs"); do
    rm -rf "$work/r" && cp -a "$full" "$work/r"
    measure "$sslbind" --root "$work/r" add sslcert ipport=192.168.0.1:443 certhash="$hash_wild" appid="$appid"
  done | summarise | xargs -0 printf "%-8s %-8s %s\n" "$n" add
  for _ in $(seq "$runs"); do measure "$sslbind" --root "$full" --json show sslcert; done |
    summarise | xargs -0 printf "%-8s %-8s %s\n" "$n" show
  for _ in $(seq "$runs"); do measure "$sslbind" --root "$full" resolve ipport=10.9.9.9:443 hostname=site0.contoso.com; done |
    summarise | xargs -0 printf "%-8s %-8s %s\n" "$n" resolve
  echo "         (registry.json: $((bytes / 1024)) KiB)"
done
