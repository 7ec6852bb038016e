#!/usr/bin/env python3
# griot: a reader's latency while connections flood.  Copyright (c) 2026 the griot developers; ISC licence.
"""How long a reader waits while a flood of idle connections holds griotd.

    python3 bench/flood.py BUILD          (BUILD/src/griotd, or GRIOTD=...)

Starts griotd on free loopback ports (2 workers, request_timeout 10,
access log off) with capsule/, then, for each scenario, a flooder process
that opens idle connections (nothing sent) to both ports and opens a new
one whenever the daemon closes one, at most FLOOD_REOPEN a second
(default 200: "about 100 connections a second from one host" is enough
to fill 1024 slots at request_timeout 10); while it runs, a reader from
127.0.0.2 asks FLOOD_SAMPLES times (default 50) for the Gemini home page
(a new TLS session each time) and the Gopher root menu, one after the
other.  Prints a markdown table: the reader's answered count and its
p50 / p90 / max in ms for each protocol, and the connections the daemon
held.  Target: the max under 100 ms on both protocols.  Linux routes
all of 127/8 to lo, so 127.0.0.1 and 127.0.1.1-50 are distinct source
addresses without any set-up.  Nothing here is a test.
"""

import multiprocessing as mp
import os
import resource
import selectors
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

now = time.monotonic
LOCAL = "127.0.0.1"
READER = "127.0.0.2"
SAMPLES = int(os.environ.get("FLOOD_SAMPLES", "50"))
REOPEN = float(os.environ.get("FLOOD_REOPEN", "200"))
PER_PROTO = int(os.environ.get("FLOOD_CONNECTIONS", "1000"))

INI = """\
[capsule]
name = Flood
hostname = localhost
store = {dir}/articles

[gemini]
listen = 127.0.0.1
port = {gemini}
cert = {dir}/cert.pem
key = {dir}/key.pem

[gopher]
listen = 127.0.0.1
port = {gopher}

[server]
log = stderr
access_log = off
request_timeout = 10
workers = 2
{extra}"""


def free_port():
    with socket.socket() as s:
        s.bind((LOCAL, 0))
        return s.getsockname()[1]


def flooder(ports, addrs, per_addr, ready, stop, opened):
    """Hold per_addr idle connections from each address to each port;
    reopen the ones the daemon closes, at most REOPEN a second."""
    sel = selectors.DefaultSelector()
    todo = []

    def open_one(src, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.bind((src, 0))
            s.connect_ex((LOCAL, port))
        except OSError:
            s.close()
            todo.append((src, port))
            return
        sel.register(s, selectors.EVENT_READ, (src, port))
        opened.value += 1

    for a in addrs:
        for i in range(per_addr):
            for p in ports:
                open_one(a, p)
    ready.set()
    last = now()
    budget = 0.0
    while not stop.is_set():
        for key, _ in sel.select(0.02):
            s = key.fileobj
            try:
                b = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                b = b""
            if not b:
                sel.unregister(s)
                s.close()
                todo.append(key.data)
        t = now()
        budget = min(budget + (t - last) * REOPEN, REOPEN)
        last = t
        while todo and budget >= 1:
            budget -= 1
            open_one(*todo.pop(0))
    for key in list(sel.get_map().values()):
        key.fileobj.close()


def ask_gemini(port, ctx):
    t0 = now()
    try:
        raw = socket.socket()
        raw.bind((READER, 0))
        raw.settimeout(5)
        raw.connect((LOCAL, port))
        with ctx.wrap_socket(raw, server_hostname="localhost") as t:
            t.sendall(b"gemini://localhost:%d/\r\n" % port)
            data = b""
            while True:
                b = t.recv(65536)
                if not b:
                    break
                data += b
        return now() - t0 if data.startswith(b"20 ") else None
    except (OSError, ssl.SSLError):
        return None


def ask_gopher(port):
    t0 = now()
    try:
        with socket.socket() as s:
            s.bind((READER, 0))
            s.settimeout(5)
            s.connect((LOCAL, port))
            s.sendall(b"\r\n")
            data = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
        return now() - t0 if data.endswith(b".\r\n") else None
    except OSError:
        return None


def nsocks(pid):
    n = 0
    for f in os.listdir("/proc/%d/fd" % pid):
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, f)).startswith("socket:"):
                n += 1
        except OSError:
            pass
    return n


def nogroup():
    import grp
    for name in ("nogroup", "nobody"):
        try:
            grp.getgrnam(name)
            return name
        except KeyError:
            pass
    return "nogroup"


def figures(times):
    ok = sorted(t for t in times if t is not None)
    if not ok:
        return "%d/%d" % (0, len(times)), "-"
    pick = lambda q: ok[min(len(ok) - 1, int(q * len(ok)))] * 1000
    return ("%d/%d" % (len(ok), len(times)),
            "%.1f / %.1f / %.1f" % (pick(0.5), pick(0.9), ok[-1] * 1000))


def scenario(griotd, tmp, what, extra, addrs, per_addr):
    gem, gop = free_port(), free_port()
    ini = os.path.join(tmp, "griot.ini")
    if os.geteuid() == 0:
        # griotd will not serve as root.
        extra = "user = nobody\ngroup = %s\n" % nogroup() + extra
    with open(ini, "w") as f:
        f.write(INI.format(dir=tmp, gemini=gem, gopher=gop, extra=extra))
    log = open(os.path.join(tmp, "griotd.log"), "w")
    proc = subprocess.Popen([griotd, "-c", ini], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = now() + 20
        while now() < deadline:
            with open(os.path.join(tmp, "griotd.log")) as f:
                if f.read().count("listening on") >= 2:
                    break
            if proc.poll() is not None:
                with open(os.path.join(tmp, "griotd.log")) as f:
                    sys.exit("griotd exited:\n" + f.read())
            time.sleep(0.05)
        base = nsocks(proc.pid)
        ready, stop, opened = mp.Event(), mp.Event(), mp.Value("i", 0, lock=False)
        fl = mp.Process(target=flooder, args=((gop, gem), addrs, per_addr, ready, stop, opened))
        fl.start()
        ready.wait(60)
        time.sleep(1)       # let the daemon take the whole first wave
        held = nsocks(proc.pid) - base
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        tg, tp = [], []
        for i in range(SAMPLES):
            tg.append(ask_gemini(gem, ctx))
            tp.append(ask_gopher(gop))
        stop.set()
        fl.join(30)
        sg, fg = figures(tg)
        sp, fp = figures(tp)
        print("| %s | %d | %d | %s | %s | %s | %s |" % (what, opened.value, held, sg, fg, sp, fp),
              flush=True)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def main():
    if len(sys.argv) > 1:
        griotd = os.path.join(sys.argv[1], "src", "griotd")
    else:
        griotd = os.environ.get("GRIOTD", "src/griotd")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 2 * PER_PROTO + 1024
    if hard != resource.RLIM_INFINITY and hard < need:
        sys.exit("ulimit -Hn is %d: %d descriptors are needed" % (hard, need))
    resource.setrlimit(resource.RLIMIT_NOFILE, (need if hard == resource.RLIM_INFINITY else hard, hard))
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tmp = tempfile.mkdtemp(prefix="griot-flood-")
    os.chmod(tmp, 0o755)
    try:
        shutil.copytree(os.path.join(top, "capsule", "articles"), os.path.join(tmp, "articles"))
        many = ["127.0.1.%d" % i for i in range(1, 51)]
        print("| flood | connections opened | held by griotd | Gemini answered | Gemini p50 / p90 / max ms "
              "| Gopher answered | Gopher p50 / p90 / max ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        scenario(griotd, tmp, "none", "", [], 0)
        scenario(griotd, tmp, "1 address, %d idle per protocol, defaults" % PER_PROTO, "",
                 [LOCAL], PER_PROTO)
        scenario(griotd, tmp, "50 addresses, %d idle per protocol, defaults" % PER_PROTO, "",
                 many, PER_PROTO // len(many))
        scenario(griotd, tmp, "1 address, %d idle per protocol, max_connections 200, "
                 "max_per_address 0" % PER_PROTO,
                 "max_connections = 200\nmax_per_address = 0\n", [LOCAL], PER_PROTO)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
