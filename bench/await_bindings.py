#!/usr/bin/env python3
"""Waits until every front end (admin sockets) serves at least WANT bindings; prints the milliseconds since SINCE_NS
(a time.time_ns() / date +%s%N stamp). Polls each admin socket every millisecond, 30 s at most (then exits 1).
Usage: await_bindings.py SINCE_NS WANT SOCKET..."""
import sys
import time

from admin_status import await_bindings


def main():
    since, want, sockets = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    waiting = await_bindings(sockets, want)
    if waiting:
        sys.exit("not applied after 30 s by: " + " ".join(sorted(waiting)))
    print(f"{(time.time_ns() - since) / 1e6:.1f}")


main()
