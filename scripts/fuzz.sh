#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, AddressSanitizer + UndefinedBehaviorSanitizer, in
# $FUZZ_BUILD_DIR, default build/fuzz: the same configuration as scripts/test.sh's sanitizer build)
# and runs each for SECONDS (default 60) from its seed corpus (tests/fuzz/corpus/<target>) with its dictionary
# (tests/fuzz/dict/<target>.dict). New inputs go to a scratch copy of the corpus; MERGE=1 merges the ones that add
# coverage back into the repository's corpus. A crash is kept as <build>/crash-<target>-<hash> and fails the
# script: turn it into a unit test, then fix it.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]    targets: registry compiled_registry netsh_import reg_import batch
#                                                          command_line certificate client_hello http http2
#                                                          etcd_range
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(registry compiled_registry netsh_import reg_import batch command_line certificate
  client_hello http http2 etcd_range)

build=${FUZZ_BUILD_DIR:-build/fuzz}
scripts/install-deps.sh clang libclang-rt-14-dev
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS=-O1 -DSSLBIND_SANITIZE=ON \
  -DSSLBIND_FUZZ=ON -DSSLBIND_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${targets[@]/#/fuzz_}"

scratch=$(mktemp -d /tmp/sslbind-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
summary=""
failed=0
for t in "${targets[@]}"; do
  corpus=$scratch/$t
  mkdir -p "$corpus"
  cp tests/fuzz/corpus/"$t"/* "$corpus"/
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
           -artifact_prefix="$PWD/$build/crash-$t-")
  [ -f tests/fuzz/dict/"$t".dict ] && options+=(-dict=tests/fuzz/dict/"$t".dict)
  echo "== fuzz_$t for ${seconds} s"
  status=0
  "$build"/tests/fuzz/fuzz_"$t" "${options[@]}" "$corpus" > "$scratch/$t.log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t.log" | tail -n 1)
  if [ "$status" -ne 0 ]; then
    failed=1
    tail -n 40 "$scratch/$t.log"
    summary+=$(printf '%-14s %10s inputs  CRASH (%s/crash-%s-*)' "$t" "${runs:-?}" "$build" "$t")$'\n'
  else
    summary+=$(printf '%-14s %10s inputs  %5s in corpus  no crash' "$t" "${runs:-?}" "$(ls "$corpus" | wc -l)")$'\n'
  fi
  if [ "${MERGE:-0}" = 1 ]; then
    "$build"/tests/fuzz/fuzz_"$t" -merge=1 tests/fuzz/corpus/"$t" "$corpus" > /dev/null 2>&1
  fi
done
echo "== fuzzing, ${seconds} s a target"
printf '%s' "$summary"
exit "$failed"
