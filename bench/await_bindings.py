#!/usr/bin/env python3
"""Waits until every front end (admin sockets) serves at least WANT bindings; prints the milliseconds since SINCE_NS
(a time.time_ns() / date +%s%N stamp). Polls each admin socket every millisecond, 30 s at most (then exits 1).
Usage: await_bindings.py SINCE_NS WANT SOCKET..."""
import json
import socket
import sys
import time


def bindings(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path)
        s.sendall(b"status\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data)["bindings"]


def main():
    since, want, sockets = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    waiting = set(sockets)
    deadline = time.monotonic() + 30
    while waiting and time.monotonic() < deadline:
        for path in list(waiting):
            if bindings(path) >= want:
                waiting.discard(path)
        if waiting:
            time.sleep(0.001)
    if waiting:
        sys.exit("not applied after 30 s by: " + " ".join(sorted(waiting)))
    print(f"{(time.time_ns() - since) / 1e6:.1f}")


main()
