#!/usr/bin/env bash
# Runs Debian's testssl.sh against `sslbind serve` on loopback under each of Mozilla's profiles and asserts its JSON:
# the protocols offered are exactly the profile's, the suites offered per protocol exactly the profile's that an RSA
# certificate can use, and the intermediate profile offers no static-RSA key exchange and no CBC-SHA1 suite.
# Usage: tests/tls/testssl_profiles.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: testssl_profiles.sh BUILD_DIR}
sslbind="$build/cli/sslbind"
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

root="$work/root"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$sslbind" --root "$root" init >/dev/null
hash=$("$sslbind" --root "$root" --json show sslcert ipport=0.0.0.0:443 | python3 -c \
  'import json, sys; print(json.load(sys.stdin)["bindings"][0]["certhash"])')
"$sslbind" --root "$root" add sslcert "ipport=127.0.0.1:$port" "certhash=$hash" \
  "appid={4dc3e181-e14b-4a21-b022-59fc669b0914}" >/dev/null
"$sslbind" --root "$root" serve threads=1 admin="$work/admin.sock" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

for profile in intermediate modern old; do
  "$sslbind" --root "$root" set tlspolicy "profile=$profile" >/dev/null
  "$sslbind" --root "$root" --json show tlspolicy >"$work/policy.json"
  sleep 1.5  # serve applies a registry change within 1 s
  rm -f "$work/testssl.json"
  timeout 180 testssl --quiet --warnings off --color 0 --ip one -p -E --jsonfile "$work/testssl.json" \
    "127.0.0.1:$port" >"$work/testssl.out" 2>&1 || true
  python3 - "$profile" "$work/policy.json" "$work/testssl.json" <<'PY'
import json
import sys

profile, policy_file, result_file = sys.argv[1:]
policy = json.load(open(policy_file))["tlsPolicy"]
findings = {e["id"]: e["finding"] for e in json.load(open(result_file))}
ids = {"TLSv1": "TLS1", "TLSv1.1": "TLS1_1", "TLSv1.2": "TLS1_2", "TLSv1.3": "TLS1_3"}
failures = []
for version, fid in ids.items():
    offered = findings.get(fid, "").startswith("offered")
    if offered != (version in policy["protocols"]):
        failures.append(f"{version}: testssl says {findings.get(fid)!r}, the profile {'has' if not offered else 'lacks'} it")
for old in ("SSLv2", "SSLv3"):
    if findings.get(old) != "not offered":
        failures.append(f"{old}: {findings.get(old)!r}")

def offered(prefix):
    return {f.split()[3] for i, f in findings.items() if i.startswith(prefix)}

# The profile's suites an RSA certificate can use (OpenSSL's names), per protocol.
tls12 = {c for c in policy["ciphers"].split(":") if c and not c.startswith("@") and "ECDSA" not in c}
expected = {
    "cipher-tls1_3_": set(policy["ciphersuites"].split(":")) if "TLSv1.3" in policy["protocols"] else set(),
    "cipher-tls1_2_": tls12 if "TLSv1.2" in policy["protocols"] else set(),
    # TLS 1.0 and 1.1 have neither AEAD nor SHA-2 MACs: their suites are the CBC-SHA1 ones.
    "cipher-tls1_1_": {c for c in tls12 if c.endswith("-SHA")} if "TLSv1.1" in policy["protocols"] else set(),
    "cipher-tls1_x": {c for c in tls12 if c.endswith("-SHA")} if "TLSv1" in policy["protocols"] else set(),
}
for prefix, want in expected.items():
    got = offered(prefix)
    if got != want:
        failures.append(f"{prefix}: offered {sorted(got)}, the profile has {sorted(want)}")
if profile == "intermediate":
    for i, f in findings.items():
        if not i.startswith("cipher-"):
            continue
        name = f.split()[3]
        if not name.startswith(("ECDHE-", "DHE-", "TLS_")):
            failures.append(f"static-RSA key exchange offered: {name}")
        if name.endswith("-SHA"):
            failures.append(f"CBC with SHA-1 offered: {name}")
if failures:
    print(f"profile {profile}: " + "\n  ".join(failures))
    sys.exit(1)
print(f"profile {profile}: testssl.sh sees exactly its protocols ({', '.join(policy['protocols'])}) and suites")
PY
done
