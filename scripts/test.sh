#!/usr/bin/env bash
# Installs what is missing, builds sslbind twice (Release with warnings as errors, and Debug with
# AddressSanitizer + UndefinedBehaviorSanitizer) and runs every test in both under ctest; checks the Debian
# package; runs every fuzz target for 15 s on its corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh lintian man-db
echo "== Format and layer rules"
scripts/check-style.sh
jobs=$(nproc 2>/dev/null || echo 2)

build_and_test() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DSSLBIND_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  (cd "$dir" && ctest --output-on-failure --timeout 600)
}

echo "== Release build, warnings as errors"
build_and_test build/release -DCMAKE_BUILD_TYPE=Release -DSSLBIND_BENCH=ON

echo "== Install and Debian package"
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

echo "== ASan/UBSan build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build_and_test build/asan -DCMAKE_BUILD_TYPE=Debug -DSSLBIND_SANITIZE=ON -DCMAKE_CXX_FLAGS=-O1

echo "== Fuzz targets, briefly, on their corpora"
scripts/fuzz.sh 15

echo "All tests passed."
