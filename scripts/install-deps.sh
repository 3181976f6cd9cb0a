#!/usr/bin/env bash
# Installs the Debian packages sslbind builds with, if any is missing, and the extra packages named as arguments
# (test.sh adds the package checker's). Called by quickstart.sh and test.sh.
set -euo pipefail

packages=(build-essential cmake libcli11-dev nlohmann-json3-dev libssl-dev openssl doctest-dev libbenchmark-dev time dpkg-dev gzip
          libasio-dev libnghttp2-dev curl clang-format git "$@")

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == *"install ok installed"* ]] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
