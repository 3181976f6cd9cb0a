#!/usr/bin/env python3
# A smuggling probe of serve from outside lists: runs a mutation list written in defparam/smuggler's config form
# (a file that fills `mutations[name] = render_template(gadget)` with a Payload of .header) against a fresh serve on
# loopback, over TLS, in front of a recording web worker, each gadget in a CL.TE and a TE.CL probe. Reports the
# answers and any probe whose forwarded bytes hold a second request head or a framing that does not match its body.
# Usage: scripts/smuggling-probe.py build/release/cli/sslbind CONFIG.py
import os, re, shutil, socket, ssl, subprocess, sys, tempfile, threading, time, json
SSLBIND = sys.argv[1]; MUT = sys.argv[2]
WORK = tempfile.mkdtemp(prefix="sslbind-probe.")
root = WORK + "/root"; os.makedirs(root, mode=0o700)
subprocess.run(["openssl","req","-x509","-newkey","ec","-pkeyopt","ec_paramgen_curve:P-256","-nodes","-days","2",
  "-subj","/CN=probe.test","-keyout",WORK + "/k.pem","-out",WORK + "/c.pem"],check=True,capture_output=True)
open(WORK + "/p.pem","w").write(open(WORK + "/c.pem").read()+open(WORK + "/k.pem").read())
def sb(*a): return subprocess.run([SSLBIND,"--root",root,*a],check=True,capture_output=True,text=True).stdout
th = json.loads(sb("--json","add","cert","file=/tmp/probe/p.pem"))["certificate"]["certhash"]
# recording worker
received = []; lock = threading.Lock()
ws = socket.socket(); ws.bind(("127.0.0.1",0)); ws.listen(64); wport = ws.getsockname()[1]
def conn(c):
    c.settimeout(0.08); buf=b""
    while True:
        try:
            d = c.recv(65536)
            if not d: break
            with lock: received.append(d)
            buf += d
        except socket.timeout:
            if buf:
                buf=b""
                try: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                except OSError: break
        except OSError: break
def acc():
    while True:
        try: c,_ = ws.accept()
        except OSError: return
        threading.Thread(target=conn,args=(c,),daemon=True).start()
threading.Thread(target=acc,daemon=True).start()
probe_port = socket.socket(); probe_port.bind(("127.0.0.1", 0)); port = probe_port.getsockname()[1]; probe_port.close()
sb("add","sslcert",f"ipport=127.0.0.1:{port}",f"certhash={th}","appid={4dc3e181-e14b-4a21-b022-59fc669b0914}")
sb("add","webfarm","name=w",f"server=127.0.0.1:{wport}","arrssl=disable")
sb("add","route","host=*","webfarm=w")
srv = subprocess.Popen([SSLBIND,"--root",root,"serve","threads=1"],stdout=subprocess.DEVNULL,stderr=open(WORK + "/serve.log","w"))
for _ in range(300):
    try: socket.create_connection(("127.0.0.1",port),timeout=0.2).close(); break
    except OSError: time.sleep(0.02)
class Payload:
    def __init__(self): self.header=""; self.body=""
mutations = {}
g = {"Payload": Payload, "mutations": mutations}
exec(open(MUT).read(), g)
ctx = ssl.create_default_context(); ctx.check_hostname=False; ctx.verify_mode=ssl.CERT_NONE
def send(raw):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1",port),timeout=5),server_hostname="probe.test")
    s.sendall(raw); out=b""
    try:
        while True:
            d=s.recv(65536)
            if not d: break
            out+=d
    except (socket.timeout, ssl.SSLError, ConnectionResetError): pass
    s.close(); return out
smuggled = "GET /smuggled HTTP/1.1\r\nHost: probe.test\r\n\r\n"
bodies = {"CL.TE": "0\r\n\r\n" + smuggled, "TE.CL": "5c\r\n" + smuggled + "\r\n0\r\n\r\n"}
bad = []; statuses = {}; n = 0
for name, p in mutations.items():
    for form, body in bodies.items():
        head = p.header.replace("__METHOD__","POST").replace("__ENDPOINT__","/probe").replace("__RANDOM__","1") \
                       .replace("__HOST__","probe.test")
        cl = len(body) if form == "CL.TE" else 4
        head = head.replace("__REPLACE_CL__", str(cl))
        raw = (head + "Connection: close\r\n\r\n" + body).encode("latin-1")
        with lock: received.clear()
        ans = send(raw); time.sleep(0.1); n += 1
        with lock: got = b"".join(received)
        st = ans.split(b"\r\n",1)[0].decode("latin-1")
        statuses[st] = statuses.get(st,0)+1
        problem = None
        if got:
            if got.count(b"\r\n\r\n") and len(re.findall(rb"(?m)^[A-Za-z]+ \S+ HTTP/1\.1\r$", got.partition(b"\r\n\r\n")[0])) != 1: problem = "head"
            h, _, b = got.partition(b"\r\n\r\n")
            m = re.search(rb"(?im)^content-length: (\d+)\r?$", h)
            if m and int(m.group(1)) != len(b): problem = f"length {m.group(1)} but {len(b)} body bytes"
            if re.search(rb"(?im)^transfer-encoding:", h) and not b.endswith(b"0\r\n\r\n"): problem = "chunked body not ended"
            if re.search(rb"(?im)^transfer-encoding:", h) and m: problem = "both framings"
        if problem: bad.append((name, form, problem, raw[:200], got[:300]))
srv.terminate(); srv.wait()  # by its pid
shutil.rmtree(WORK)
print(f"{n} probes ({len(mutations)} mutations x 2 forms); answers: {statuses}")
print(f"problems: {len(bad)}")
for b in bad[:20]: print(b)
