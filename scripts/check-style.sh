#!/usr/bin/env bash
# The rules machines keep (CONTRIBUTING.md, ARCHITECTURE.md): clang-format has nothing to change, and no layer
# reaches up: core includes nothing of store, serve or cli and does no I/O; store includes nothing of serve or cli;
# serve nothing of cli; only cli and serve print or exit. Prints every violation and exits 1 if there is one.
set -uo pipefail
cd "$(dirname "$0")/.."

mapfile -t sources < <(find core store serve cli tests bench -name '*.cpp' -o -name '*.hpp' 2>/dev/null | sort)
failed=0

if ! clang-format --dry-run -Werror "${sources[@]}" 2>/tmp/sslbind-format.$$; then
  grep -E '^[^ ].*(warning|error):' /tmp/sslbind-format.$$ | head -n 20 >&2
  echo "check-style: clang-format would change the files above; run: clang-format -i <file>" >&2
  failed=1
fi
rm -f /tmp/sslbind-format.$$

# layer <folder> <regex> <rule>: every line of the folder's sources that matches breaks the rule.
layer() {
  local hits
  hits=$(grep -rnE "$2" "$1" --include='*.cpp' --include='*.hpp' 2>/dev/null)
  if [ -n "$hits" ]; then
    printf '%s\n' "$hits" >&2
    echo "check-style: $3" >&2
    failed=1
  fi
}
layer core '#include "(store|serve|cli)/' "core may include only core (ARCHITECTURE.md: layers)"
layer core '#include <(iostream|fstream|filesystem|unistd\.h|fcntl\.h|sys/[a-z]+\.h)>' "core does no I/O"
layer store '#include "(serve|cli)/' "store may include only store and core"
layer serve '#include "cli/' "serve may include serve, store and core"
for lower in core store; do
  layer "$lower" 'std::(cout|cerr|clog|exit|abort)\b|[^_a-z]printf\(' "only cli and serve print or exit"
done

# ctest registers each doctest case by name (doctest_discover_tests); a ';' splits a name into two filters that
# match nothing, and the case would pass without running.
if grep -rnE 'TEST_CASE\("[^"]*;' tests >&2; then
  echo "check-style: a test case name holds ';', which ctest cannot run by name; use ',' instead" >&2
  failed=1
fi

# No include cycle between headers (serve's layers: a TLS stream under sessions under the exchange): tsort names the
# loop when there is one.
edges=$(grep -rHoE '^#include "(core|store|serve|cli)/[a-z0-9_]+\.hpp"' core store serve cli --include='*.hpp' |
  sed -E 's/:#include "(.*)"/ \1/')
if ! printf '%s\n' "$edges" | tsort >/dev/null 2>/tmp/sslbind-tsort.$$; then
  cat /tmp/sslbind-tsort.$$ >&2
  echo "check-style: headers include each other in a loop" >&2
  failed=1
fi
rm -f /tmp/sslbind-tsort.$$

# ARCHITECTURE.md has a paragraph for every folder of the repository, and names no folder that is gone.
tracked=$(git ls-files | grep / | cut -d/ -f1 | sort -u)
documented=$(grep -E '^### [^ ]+/$' ARCHITECTURE.md | sed -E 's/^### (.*)\/$/\1/' | sort -u)
if [ "$tracked" != "$documented" ]; then
  diff <(echo "$tracked") <(echo "$documented") >&2
  echo "check-style: ARCHITECTURE.md's folders (right) differ from the repository's (left)" >&2
  failed=1
fi

[ "$failed" -eq 0 ] && echo "check-style: format and layers OK (${#sources[@]} files)"
exit "$failed"
