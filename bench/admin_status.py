"""What the benchmarks ask a running front end through its admin socket (docs/serve.md, "The admin socket")."""
import json
import socket
import time


def bindings(path):
    """The bindings the front end behind the admin socket `path` serves now."""
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


def await_bindings(sockets, want, seconds=30):
    """Polls every admin socket each millisecond until each serves at least `want` bindings, `seconds` at most;
    returns the sockets still short of it (empty: all reached it)."""
    waiting = set(sockets)
    deadline = time.monotonic() + seconds
    while waiting and time.monotonic() < deadline:
        for path in list(waiting):
            if bindings(path) >= want:
                waiting.discard(path)
        if waiting:
            time.sleep(0.001)
    return waiting
