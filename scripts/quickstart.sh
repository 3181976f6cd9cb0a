#!/usr/bin/env bash
# Installs what is missing, builds sslbind (Release) and runs a short demo on a throw-away root:
# the two default bindings of a hosting front end, the replacement of the default certificate, then the
# front end itself (sslbind serve) on loopback, with openssl s_client receiving the certificates resolve names.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)"

sslbind=build/release/cli/sslbind
root=$(mktemp -d)
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$root"
}
trap cleanup EXIT
export SSLBIND_ROOT=$root
appid='{4dc3e181-e14b-4a21-b022-59fc669b0914}'
run() { echo "\$ sslbind $*"; "$sslbind" "$@" || echo "(exit code $?)"; echo; }

# A wildcard certificate made with the openssl command line, and its Windows-style SHA-1 thumbprint.
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj '/CN=*.contoso.com' \
  -addext 'subjectAltName=DNS:*.contoso.com' -keyout "$root/wild.key" -out "$root/wild.pem" 2>/dev/null
wildcard_hash=$(openssl x509 -in "$root/wild.pem" -noout -fingerprint -sha1 | cut -d= -f2 | tr -d :)
# A Central Certificate Store folder with one site's PFX.
mkdir "$root/ccs"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj '/CN=shop.fabrikam.com' \
  -addext 'subjectAltName=DNS:shop.fabrikam.com' -keyout "$root/shop.key" -out "$root/shop.pem" 2>/dev/null
openssl pkcs12 -export -in "$root/shop.pem" -inkey "$root/shop.key" -out "$root/ccs/shop.fabrikam.com.pfx" \
  -passout pass:ccspass
echo ccspass > "$root/ccs.pass"

echo "Demo root: $root"
echo
# The front end as installed: self-signed Default certificate, 0.0.0.0:443 and ccs=443.
run init
run init
run add ccs location="$root/ccs" passwordfile="$root/ccs.pass"
run show ccs
run check
run resolve ipport=10.0.0.5:443 hostname=mysite.contoso.com
# Replace the self-signed default with the wildcard certificate, as the hosting seed describes.
run add cert file="$root/wild.pem" keyfile="$root/wild.key" certstorename=MY
run http delete sslcert ipport=0.0.0.0:443
run http add sslcert ipport=0.0.0.0:443 certhash="$wildcard_hash" appid="$appid" certstorename=MY
run http show sslcert ipport=0.0.0.0:443
run resolve ipport=10.0.0.5:443 hostname=mysite.contoso.com
run resolve ipport=10.0.0.5:443 hostname=shop.fabrikam.com
run check
# netsh's errors: add never overwrites (183), a copied thumbprint with U+200E (87), a certificate not in the store (1312).
run http add sslcert ipport=0.0.0.0:443 certhash="$wildcard_hash" appid="$appid"
run http add sslcert ipport=0.0.0.0:8443 certhash="$(printf '\xe2\x80\x8e')$wildcard_hash" appid="$appid"
run http add sslcert ipport=0.0.0.0:8443 certhash="$wildcard_hash" appid="$appid" certstorename=WebHosting
run --json show sslcert ipport=0.0.0.0:443

# The front end. Port 443 needs CAP_NET_BIND_SERVICE; the demo serves the same bindings on a free high port.
port=$((20000 + RANDOM % 20000))
run add sslcert ipport=0.0.0.0:$port certhash="$wildcard_hash" appid="$appid"
run add sslcert ccs=$port appid="$appid"
echo "\$ sslbind serve threads=1 &    (its log:)"
"$sslbind" serve threads=1 &
serve_pid=$!
for _ in $(seq 1 500); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.01; done
for host in mysite.contoso.com shop.fabrikam.com; do
  echo
  echo "\$ openssl s_client -connect 127.0.0.1:$port -servername $host   (and resolve for the same client)"
  echo | openssl s_client -connect "127.0.0.1:$port" -servername "$host" 2>/dev/null |
    openssl x509 -noout -subject -fingerprint -sha1
  "$sslbind" resolve ipport="127.0.0.1:$port" hostname="$host" | grep -E 'Selected|Certificate Hash'
done
echo
echo "\$ curl -k https://shop.fabrikam.com:$port/   (the built-in page: no backend= was given)"
curl -sk --resolve "shop.fabrikam.com:$port:127.0.0.1" "https://shop.fabrikam.com:$port/" || echo "(curl is not installed)"
run show frontend
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=""
echo "Registry written to $root/registry.json (removed on exit)."
