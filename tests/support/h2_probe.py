#!/usr/bin/python3
"""An HTTP/2 client that misbehaves on purpose, for serve's end-to-end tests (Debian's python3-h2 brings hpack and
hyperframe; frames are written by hand so that nothing checks them first). It prints one JSON object: what the
server answered per stream, which streams it reset, whether it sent GOAWAY (and its error code) and closed.

  h2_probe.py PORT HOST MODE [ARG]
    malformed            one request per malformed form of RFC 9113 8.2, each on its own stream
    rapid-reset N        N streams, each reset right after its HEADERS (CVE-2023-44487)
    continuation N       one HEADERS without END_HEADERS and N empty CONTINUATION frames (CVE-2024-28182)
    settings N E         N SETTINGS frames of E entries each (PropertyId 1's limits)
    made-you-reset N     N streams, each made to be reset by the server (a malformed field) (CVE-2025-8671)
    requests N           N plain GETs on one connection, all at once
    websocket TEXT       an extended CONNECT (RFC 8441) to /ws, then TEXT as DATA; prints what came back as "echo"
    get PATH...          one GET per path, each on its stream; prints also "interim" (1xx statuses) and "trailers"
    reset-slow           GET /slow?ms=1500, reset after 200 ms, then GET /echo on the same connection
    post-trailers        POST /body with DATA "abc" and a trailing HEADERS (x-checksum, x-forwarded-for, authorization)
    slow-headers N       a HEADERS frame without END_HEADERS, then an empty CONTINUATION every 0.7 s, N times
                         (slowloris); prints "closed_after", the seconds until the server closed
"""
import json
import socket
import ssl
import sys
import time

from hpack import Decoder, Encoder
from hyperframe.frame import (ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame, RstStreamFrame,
                              SettingsFrame, WindowUpdateFrame)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def connect(port, host):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(["h2"])
    sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5), server_hostname=host)
    if sock.selected_alpn_protocol() != "h2":
        raise SystemExit("ALPN did not agree on h2: %r" % sock.selected_alpn_protocol())
    sock.sendall(PREFACE + SettingsFrame(0).serialize())
    return sock


def request_fields(host, path="/echo", method="GET", extra=()):
    return [(":method", method), (":scheme", "https"), (":authority", host), (":path", path)] + list(extra)


def headers(encoder, stream, fields, end_stream=True):
    frame = HeadersFrame(stream)
    frame.data = encoder.encode(fields)
    frame.flags.add("END_HEADERS")
    if end_stream:
        frame.flags.add("END_STREAM")
    return frame.serialize()


def send(sock, data):
    """Writes what the server still takes: a probe goes on reading after the server has had enough."""
    try:
        sock.sendall(data)
    except (OSError, ssl.SSLError):
        pass


def collect(sock, seconds, ended=None):
    """Reads frames until the server closes, `seconds` pass, or `ended` streams have ended."""
    result = {"responses": {}, "resets": {}, "goaway": None, "closed": False, "data": {}, "ended": 0}
    buf = b""
    deadline = time.time() + seconds
    decoder = Decoder()
    decoder.max_allowed_table_size = 65536
    while time.time() < deadline and (ended is None or result["ended"] < ended):
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except (ConnectionError, ssl.SSLError, OSError):
            result["closed"] = True
            break
        if not chunk:
            result["closed"] = True
            break
        buf += chunk
        while len(buf) >= 9:
            frame, length = Frame.parse_frame_header(memoryview(buf[:9]))
            if len(buf) < 9 + length:
                break
            frame.parse_body(memoryview(buf[9:9 + length]))
            buf = buf[9 + length:]
            if frame.stream_id != 0 and ("END_STREAM" in frame.flags or isinstance(frame, RstStreamFrame)):
                result["ended"] += 1
            if isinstance(frame, HeadersFrame):
                fields = dict((k.decode() if isinstance(k, bytes) else k, v.decode() if isinstance(v, bytes) else v)
                              for k, v in decoder.decode(frame.data))
                key = str(frame.stream_id)
                if ":status" in fields and not fields[":status"].startswith("1"):
                    result["responses"][key] = int(fields[":status"])
                elif ":status" in fields:
                    result.setdefault("interim", {}).setdefault(key, []).append(int(fields[":status"]))
                else:
                    result.setdefault("trailers", {})[key] = fields
            elif isinstance(frame, DataFrame):
                key = str(frame.stream_id)
                result.setdefault("bytes", {}).setdefault(key, "")
                result["bytes"][key] += frame.data.decode("latin-1")
                result["data"][key] = result["data"].get(key, 0) + len(frame.data)
                if frame.data:  # keep the window open: the server must not stall on a probe
                    send(sock, WindowUpdateFrame(0, window_increment=len(frame.data)).serialize() +
                                 WindowUpdateFrame(frame.stream_id, window_increment=len(frame.data)).serialize())
            elif isinstance(frame, RstStreamFrame):
                result["resets"][str(frame.stream_id)] = frame.error_code
            elif isinstance(frame, GoAwayFrame):
                result["goaway"] = frame.error_code
            elif isinstance(frame, SettingsFrame) and "ACK" not in frame.flags:
                result["settings"] = dict((str(k), v) for k, v in frame.settings.items())
                ack = SettingsFrame(0)
                ack.flags.add("ACK")
                send(sock, ack.serialize())
    return result


# RFC 9113, 8.2 and 8.3: each form is malformed; the server resets the stream or answers 400.
MALFORMED = {
    "upper-case name": lambda h: request_fields(h, extra=[("X-Upper", "1")]),
    "connection field": lambda h: request_fields(h, extra=[("connection", "keep-alive")]),
    "keep-alive field": lambda h: request_fields(h, extra=[("keep-alive", "300")]),
    "transfer-encoding field": lambda h: request_fields(h, extra=[("transfer-encoding", "chunked")]),
    "upgrade field": lambda h: request_fields(h, extra=[("upgrade", "websocket")]),
    "te other than trailers": lambda h: request_fields(h, extra=[("te", "gzip")]),
    "no :path": lambda h: [(":method", "GET"), (":scheme", "https"), (":authority", h)],
    "no :method": lambda h: [(":scheme", "https"), (":authority", h), (":path", "/")],
    "empty :path": lambda h: [(":method", "GET"), (":scheme", "https"), (":authority", h), (":path", "")],
    "pseudo after regular": lambda h: [(":method", "GET"), (":scheme", "https"), ("accept", "*/*"),
                                       (":authority", h), (":path", "/")],
    "repeated :method": lambda h: [(":method", "GET"), (":method", "POST"), (":scheme", "https"),
                                   (":authority", h), (":path", "/")],
    "unknown pseudo": lambda h: request_fields(h) + [(":foo", "bar")],
    "response pseudo": lambda h: request_fields(h) + [(":status", "200")],
    "host differs from :authority": lambda h: request_fields(h, extra=[("host", "other.test")]),
    "newline in a value": lambda h: request_fields(h, extra=[("x-a", "1\r\nx-b: 2")]),
    "nul in a value": lambda h: request_fields(h, extra=[("x-a", "1\x002")]),
    "space in a name": lambda h: request_fields(h, extra=[("x a", "1")]),
    "scheme http on TLS": lambda h: [(":method", "GET"), (":scheme", "http"), (":authority", h), (":path", "/")],
    "plain CONNECT": lambda h: [(":method", "CONNECT"), (":authority", "other.test:443")],
}


def run(port, host, mode, args):
    sock = connect(port, host)
    enc = Encoder()
    out = b""
    if mode == "malformed":
        names = list(MALFORMED)
        streams = {}
        for i, name in enumerate(names):
            stream = 1 + 2 * i
            streams[str(stream)] = name
            out += headers(enc, stream, MALFORMED[name](host))
        # content-length that the DATA does not match (RFC 9113, 8.1.1)
        stream = 1 + 2 * len(names)
        streams[str(stream)] = "content-length not the DATA's"
        out += headers(enc, stream, request_fields(host, "/echo", "POST", [("content-length", "10")]), False)
        data = DataFrame(stream, data=b"abc")
        data.flags.add("END_STREAM")
        out += data.serialize()
        sock.sendall(out)
        result = collect(sock, 3)
        result["forms"] = streams
    elif mode == "rapid-reset":
        for i in range(int(args[0])):
            stream = 1 + 2 * i
            out += headers(enc, stream, request_fields(host)) + RstStreamFrame(stream, error_code=8).serialize()
            if len(out) > 60000:
                send(sock, out)
                out = b""
        send(sock, out)
        result = collect(sock, 3)
    elif mode == "continuation":
        frame = HeadersFrame(1)
        frame.data = enc.encode(request_fields(host))
        out += frame.serialize()
        for _ in range(int(args[0])):
            out += ContinuationFrame(1, data=b"").serialize()
        send(sock, out)
        result = collect(sock, 3)
    elif mode == "settings":
        frames, entries = int(args[0]), int(args[1])
        for _ in range(frames):
            # Written by hand: hyperframe keeps the entries in a dict, and these repeat one (ENABLE_PUSH = 0).
            body = b"".join((0x2).to_bytes(2, "big") + (0).to_bytes(4, "big") for _ in range(entries))
            s_bytes = len(body).to_bytes(3, "big") + b"\x04\x00" + (0).to_bytes(4, "big") + body
            out += s_bytes
        send(sock, out)
        result = collect(sock, 3)
    elif mode == "made-you-reset":
        for i in range(int(args[0])):
            stream = 1 + 2 * i
            # A stream error the server itself must answer with RST_STREAM (RFC 9113, 8.2.1).
            out += headers(enc, stream, request_fields(host, extra=[("X-Upper", "1")]))
        send(sock, out)
        result = collect(sock, 3)
    elif mode == "requests":
        for i in range(int(args[0])):
            out += headers(enc, 1 + 2 * i, request_fields(host, "/echo?n=%d" % i))
        sock.sendall(out)
        result = collect(sock, 10, int(args[0]))
    elif mode == "websocket":
        fields = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":authority", host),
                  (":path", "/ws"), ("sec-websocket-version", "13")]
        sock.sendall(headers(enc, 1, fields, False))
        result = collect(sock, 1.0)
        sock.sendall(DataFrame(1, data=args[0].encode()).serialize())
        later = collect(sock, 2.0)
        result["responses"].update(later["responses"])
        result["echo"] = later.get("bytes", {}).get("1", "")
    elif mode == "get":
        for i, path in enumerate(args):
            out += headers(enc, 1 + 2 * i, request_fields(host, path))
        sock.sendall(out)
        result = collect(sock, 10, len(args))
    elif mode == "reset-slow":
        sock.sendall(headers(enc, 1, request_fields(host, "/slow?ms=1500")))
        collect(sock, 0.2)
        sock.sendall(RstStreamFrame(1, error_code=8).serialize())  # CANCEL
        collect(sock, 2.0)
        sock.sendall(headers(enc, 3, request_fields(host, "/echo")))
        result = collect(sock, 5, 1)
    elif mode == "post-trailers":
        out += headers(enc, 1, request_fields(host, "/body", "POST"), False)
        out += DataFrame(1, data=b"abc").serialize()
        out += headers(enc, 1, [("x-checksum", "1234"), ("x-forwarded-for", "6.6.6.6"), ("authorization", "x")])
        sock.sendall(out)
        result = collect(sock, 5, 1)
    elif mode == "slow-headers":
        collect(sock, 0.3)  # the server's SETTINGS acknowledged first: no other frame may come inside a header block
        start = time.time()
        frame = HeadersFrame(1)
        frame.data = enc.encode(request_fields(host))
        sock.sendall(frame.serialize())
        result = {"closed": False}
        for _ in range(int(args[0])):
            part = collect(sock, 0.7)
            if part["closed"]:
                result = part
                break
            send(sock, ContinuationFrame(1, data=b"").serialize())
        else:
            result = collect(sock, 0.7)
        result["closed_after"] = round(time.time() - start, 2)
    else:
        raise SystemExit("unknown mode " + mode)
    if mode not in ("websocket", "get", "reset-slow", "post-trailers"):
        result.pop("bytes", None)
    print(json.dumps(result))


if __name__ == "__main__":
    run(int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:])
