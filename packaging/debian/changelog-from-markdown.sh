#!/usr/bin/env bash
# Writes the Debian changelog of a native package from CHANGELOG.md (Keep a Changelog form), so that the two
# never disagree: one entry per released section ("## [X.Y.Z] - YYYY-MM-DD"), its bullets as "*" items wrapped
# at 78 columns. Fails when the newest released section is not VERSION, the version CMake builds.
# Usage: changelog-from-markdown.sh CHANGELOG.md VERSION "Name <address>" OUTPUT
set -euo pipefail
changelog=$1 version=$2 maintainer=$3 output=$4

newest=$(sed -n 's/^## \[\([0-9][^]]*\)\] - .*/\1/p' "$changelog" | head -n 1)
if [ "$newest" != "$version" ]; then
  echo "$changelog: the newest released section is '${newest:-none}', but the project version is $version;" \
       "add a '## [$version] - YYYY-MM-DD' section" >&2
  exit 1
fi

# Sections and bullets out of the Markdown: "V <version> <date>" and "B <bullet text>" lines.
awk '
  /^## \[[0-9]/ { flush(); match($0, /\[[^]]*\]/); v = substr($0, RSTART + 1, RLENGTH - 2);
                  d = $NF; print "V " v " " d; inside = 1; next }
  /^## /        { flush(); inside = 0; next }
  !inside       { next }
  /^- /         { flush(); item = substr($0, 3); next }
  /^  [^ ]/     { if (item != "") { sub(/^ +/, ""); item = item " " $0 }; next }
                { flush() }
  function flush() { if (item != "") print "B " item; item = "" }
  END { flush() }
' "$changelog" | {
  first=1
  while IFS= read -r line; do
    case $line in
      "V "*)
        read -r _ v d <<< "$line"
        [ "$first" = 1 ] || printf '\n -- %s  %s\n\n' "$maintainer" "$stamp"
        first=0
        stamp=$(LC_ALL=C date -u -d "$d" '+%a, %d %b %Y %H:%M:%S +0000')
        printf 'sslbind (%s) unstable; urgency=medium\n\n' "$v"
        ;;
      "B "*)
        # Markdown code marks mean nothing in a Debian changelog.
        printf '%s\n' "${line#B }" | tr -d '`' | fold -s -w 74 | sed -e 's/ *$//' -e '1s/^/  * /' -e '2,$s/^/    /'
        ;;
    esac
  done
  [ "$first" = 1 ] || printf '\n -- %s  %s\n' "$maintainer" "$stamp"
} > "$output"
