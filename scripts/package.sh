#!/usr/bin/env bash
# Builds the Debian package (build/release/sslbind_<version>_<arch>.deb) with CPack and lists what it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)" --target sslbind manpage
(cd build/release && rm -f sslbind_*.deb && cpack -G DEB >/dev/null)
deb=$(ls build/release/sslbind_*.deb)
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb --contents "$deb" | awk '{ print $NF }'
echo "$deb"
