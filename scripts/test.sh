#!/usr/bin/env bash
# Installs what is missing, builds sslbind twice and runs every test in both under ctest: Release with GCC and
# warnings as errors, and Debug with clang, AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer's
# instrumentation (warnings as errors too: a second compiler's). Runs testssl.sh against serve under each TLS
# profile, checks the Debian package, then runs every fuzz target of the sanitizer build for 10 s on its corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh lintian man-db clang libclang-rt-14-dev nginx-light nghttp2-client python3-h2 chromium \
  testssl.sh etcd-server
step() { echo "== $* ($(date +%T))"; }
step "Format and layer rules"
scripts/check-style.sh
jobs=$(nproc 2>/dev/null || echo 2)

build_and_test() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DSSLBIND_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  (cd "$dir" && ctest --output-on-failure --timeout 600 -j"$jobs")
}

step "Release build, warnings as errors"
build_and_test build/release -DCMAKE_BUILD_TYPE=Release -DSSLBIND_BENCH=ON

step "TLS profiles: testssl.sh against serve"
tests/tls/testssl_profiles.sh build/release

step "Install and Debian package"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cmake --install build/release --prefix "$stage" >/dev/null
for f in bin/sslbind share/man/man1/sslbind.1.gz share/doc/sslbind/copyright share/doc/sslbind/changelog.gz share/bash-completion/completions/sslbind \
         share/zsh/vendor-completions/_sslbind share/fish/vendor_completions.d/sslbind.fish share/doc/sslbind/README.md \
         lib/systemd/system/sslbind.service; do
  [ -f "$stage/$f" ] || { echo "cmake --install did not install $f" >&2; exit 1; }
done
"$stage/bin/sslbind" --version
(cd build/release && rm -f sslbind_*.deb && cpack -G DEB >/dev/null)
# Read whole, then searched: `grep -q` on a pipe would stop reading early and fail dpkg-deb under pipefail.
contents=$(dpkg-deb --contents build/release/sslbind_*.deb)
grep -q './usr/share/man/man1/sslbind.1.gz' <<< "$contents"
grep -q './usr/lib/systemd/system/sslbind.service' <<< "$contents"
scripts/check-package.sh
echo "Installed to a staging prefix and packaged: $(ls build/release/sslbind_*.deb)"

step "clang build with ASan/UBSan and the fuzz targets"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
CC=clang CXX=clang++ build_and_test build/sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS=-O1 -DSSLBIND_SANITIZE=ON \
  -DSSLBIND_FUZZ=ON

step "Fuzz targets, briefly, on their corpora"
FUZZ_BUILD_DIR=build/sanitize scripts/fuzz.sh 10

echo "All tests passed. ($(date +%T))"
