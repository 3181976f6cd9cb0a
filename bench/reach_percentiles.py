#!/usr/bin/env python3
"""COUNT changes, one after another, each an `add sslcert` run as a command; after each, the time until every front end
(admin sockets) serves it, polled every millisecond (30 s at most a change, then exits 1). Prints one line of JSON:
the percentiles of that time from the command's return ("reach") and from its start ("total"), in milliseconds.
Usage: reach_percentiles.py COUNT HAVE SOCKETS(comma-separated) COMMAND...   ({i} in COMMAND: the change's number;
HAVE: the bindings every front end serves before the first)."""
import json
import subprocess
import sys
import time

from admin_status import await_bindings


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]  # nearest rank


def main():
    count, have, sockets, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4:]
    reach, total = [], []
    for i in range(1, count + 1):
        started = time.monotonic_ns()
        subprocess.run([part.replace("{i}", str(i)) for part in command], check=True, stdout=subprocess.DEVNULL)
        returned = time.monotonic_ns()
        waiting = await_bindings(sockets, have + i)
        if waiting:
            sys.exit(f"change {i} not applied after 30 s by: " + " ".join(sorted(waiting)))
        done = time.monotonic_ns()
        reach.append((done - returned) / 1e6)
        total.append((done - started) / 1e6)
    out = {"changes": count}
    for name, values in (("reach", reach), ("total", total)):
        out[name] = {f"p{p}": round(percentile(values, p), 1) for p in (50, 90, 99)} | {"max": round(max(values), 1)}
    print(json.dumps(out))


main()
