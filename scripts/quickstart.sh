#!/usr/bin/env bash
# Installs what is missing, builds sslbind (Release) and runs a short demo on a throw-away root:
# the two default bindings of a hosting front end, then the replacement of the default certificate.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)"

sslbind=build/release/cli/sslbind
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
export SSLBIND_ROOT=$root
appid='{4dc3e181-e14b-4a21-b022-59fc669b0914}'
run() { echo "\$ sslbind $*"; "$sslbind" "$@" || echo "(exit code $?)"; echo; }

# Two certificates to bind: a self-signed "Default" and a wildcard, with their Windows-style SHA-1 thumbprints.
for name in Default '*.contoso.com'; do
  file=$root/$(echo "$name" | tr '*' '_')
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$name" -keyout "$file.key" -out "$file.pem" 2>/dev/null
done
thumb() { openssl x509 -in "$1" -noout -fingerprint -sha1 | cut -d= -f2 | tr -d :; }
default_hash=$(thumb "$root/Default.pem")
wildcard_hash=$(thumb "$root/_.contoso.com.pem")

echo "Demo root: $root"
echo
run add cert file="$root/Default.pem" keyfile="$root/Default.key" certstorename=MY
run add cert file="$root/_.contoso.com.pem" keyfile="$root/_.contoso.com.key" certstorename=MY
run show cert
run http add sslcert ipport=0.0.0.0:443 certhash="$default_hash" appid="$appid" certstorename=MY
run http add sslcert ccs=443 appid="$appid"
run http add sslcert ipport=0.0.0.0:443 certhash="$default_hash" appid="$appid"
run http show sslcert ipport=0.0.0.0:443
# Replace the self-signed default with the wildcard certificate, as the hosting seed describes.
run http delete sslcert ipport=0.0.0.0:443
run http add sslcert ipport=0.0.0.0:443 certhash="$wildcard_hash" appid="$appid" certstorename=MY
run --json show sslcert ipport=0.0.0.0:443
run http add sslcert ipport=0.0.0.0:8443 certhash="$(printf '\xe2\x80\x8e')$wildcard_hash" appid="$appid"
run http add sslcert ipport=0.0.0.0:8443 certhash="$wildcard_hash" appid="$appid" certstorename=WebHosting
echo "Registry written to $root/registry.json (removed on exit)."
