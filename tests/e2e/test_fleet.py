# griot: end-to-end test of two griotd behind HAProxy.  Copyright (c) 2026 the griot developers; ISC licence.
"""Debian's HAProxy, with the shipped contrib/haproxy.cfg, in front of two
griotd on loopback, as one capsule.

Only addresses, ports, the log target and the check interval of the
shipped file are changed in the copy the test runs (its structure is what
is tested): TCP mode, send-proxy-v2, health checks that send a real
request, balance source, retries with redispatch.  The two instances share
their certificate and ticket key file.  The test shows:
- each instance's access log has the reader's address (127.0.0.x, not
  HAProxy's 127.0.0.1), from the PROXY header;
- a TLS session issued through one instance resumes on the other;
- SIGTERM to one instance: every request after it is answered by the
  other instance, before and after the health check notices.
HAProxy runs in the foreground (-db) as a child of the test and is
stopped by pid.  Without /usr/sbin/haproxy the file is skipped.
"""

import base64
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

HAPROXY = os.environ.get("HAPROXY", "/usr/sbin/haproxy")
HOST = "griot.example.org"      # the name the shipped health check asks for
# Readers: distinct loopback addresses, so that "balance source" spreads
# them and the logs can tell them from HAProxy (127.0.0.1).
READERS = ["127.0.0.%d" % i for i in range(2, 34)]


def client_ctx():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


CTX = client_ctx()


def connect(port, source, session=None, timeout=10):
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.settimeout(timeout)
    raw.bind((source, 0))
    raw.connect(("127.0.0.1", port))
    return CTX.wrap_socket(raw, server_hostname=HOST, session=session)


def read_all(t, timeout=10):
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            b = t.recv(65536)
        except (ssl.SSLError, OSError):
            break
        if not b:
            break
        chunks.append(b)
    return b"".join(chunks)


def gemini(port, source, path="/", session=None):
    """One request through HAProxy from "source": (answer, session, reused)."""
    try:
        with connect(port, source, session) as t:
            reused = t.session_reused
            t.sendall(("gemini://%s%s\r\n" % (HOST, path)).encode())
            data = read_all(t)
            return data, t.session, reused
    except (ssl.SSLError, OSError) as e:
        return ("failed: %s" % e).encode(), None, False


def gopher(port, source, selector):
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(10)
            s.bind((source, 0))
            s.connect(("127.0.0.1", port))
            s.sendall(selector.encode() + b"\r\n")
            chunks = []
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
            return b"".join(chunks)
    except OSError as e:
        return ("failed: %s" % e).encode()


def for_daemon(path):
    if os.geteuid() == 0:
        pw = pwd.getpwnam("nobody")
        os.chown(path, pw.pw_uid, pw.pw_gid)


def access_lines(d, path):
    """The access log lines of "d" for a request of "path": [(address, status)]."""
    out = []
    for line in d.read_log().splitlines():
        m = re.match(r'\S+Z (\S+) \S+ "[^"]*?%s" (\d+) ' % re.escape(path), line)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def listening(port):
    """Is a socket listening on 127.0.0.1:port?  (/proc/net/tcp, state 0A)"""
    want = "0100007F:%04X" % port
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == want and fields[3] == "0A":
                return True
    return False


def logged(d, path, want):
    """Wait until the access log of "d" has exactly "want" for "path"."""
    return wait_for(lambda: access_lines(d, path) == want, timeout=5)


def wait_for(cond, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def has_ipv6():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


class HAProxy:
    """contrib/haproxy.cfg with loopback addresses, in the foreground."""

    def __init__(self, work, gem_port, gop_port, a, b):
        with open(os.path.join(gt.srcdir(), "contrib", "haproxy.cfg")) as f:
            cfg = f.read()
        subs = [
            ("log /dev/log local0", "log stderr format raw local0 info"),
            ("bind :1965\n", "bind 127.0.0.1:%d\n" % gem_port),
            ("bind :::1965 v6only\n", "bind ::1:%d v6only\n" % gem_port),
            ("bind :70\n", "bind 127.0.0.1:%d\n" % gop_port),
            ("bind :::70 v6only\n", "bind ::1:%d v6only\n" % gop_port),
            ("10.0.0.11:11965", "127.0.0.1:%d" % a.gemini_port),
            ("10.0.0.12:11965", "127.0.0.1:%d" % b.gemini_port),
            ("10.0.0.11:7070", "127.0.0.1:%d" % a.gopher_port),
            ("10.0.0.12:7070", "127.0.0.1:%d" % b.gopher_port),
            # Checks every 200 ms rather than 10 s: the test waits less.
            ("inter 10s", "inter 200ms"),
        ]
        if not has_ipv6():
            subs[2] = ("bind :::1965 v6only\n", "")
            subs[4] = ("bind :::70 v6only\n", "")
        for old, new in subs:
            if old not in cfg:
                raise RuntimeError("contrib/haproxy.cfg has no %r any more" % old)
            cfg = cfg.replace(old, new)
        self.cfg = os.path.join(work, "haproxy.cfg")
        with open(self.cfg, "w") as f:
            f.write(cfg)
        self.logpath = os.path.join(work, "haproxy.log")
        self.log = open(self.logpath, "ab")
        check = subprocess.run([HAPROXY, "-c", "-f", self.cfg], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
        self.check = check.stdout.decode("utf-8", "replace")
        self.check_rc = check.returncode
        self.proc = None
        if check.returncode == 0:
            self.proc = subprocess.Popen([HAPROXY, "-db", "-f", self.cfg],
                                         stdin=subprocess.DEVNULL, stdout=self.log,
                                         stderr=subprocess.STDOUT)
        self.ports = (gem_port, gop_port)

    def ready(self):
        return self.proc is not None and self.proc.poll() is None and \
            all(listening(p) for p in self.ports)

    def read_log(self):
        try:
            with open(self.logpath, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # by pid: our child
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


def instance(cert, key, keyfile):
    d = gt.Daemon(start=False, hostname=HOST)
    with open(d.ini) as f:
        ini = f.read()
    gem = ("cert = %s\nkey = %s\nauto_cert = no\nticket_keys = %s\n"
           "proxy_protocol = yes\npublic_port = 1965\n" % (cert, key, keyfile))
    ini = ini.replace("cert = certs/cert.pem\nkey = certs/key.pem\nauto_cert = yes\n", gem)
    ini = ini.replace("width = 67\n", "width = 67\nproxy_protocol = yes\npublic_port = 70\n")
    with open(d.ini, "w") as f:
        f.write(ini)
    d.start()
    return d


def main():
    if not os.access(HAPROXY, os.X_OK):
        gt.skip_all("%s is not installed (apt-get install haproxy)" % HAPROXY)
    if shutil.which("openssl") is None:
        gt.skip_all("the openssl command is not installed")
    try:
        socket.socket().bind(("127.0.0.2", 0))
    except OSError:
        gt.skip_all("127.0.0.2 cannot be bound here")

    work = tempfile.mkdtemp(prefix="griot-haproxy-")
    os.chmod(work, 0o755)
    cert = os.path.join(work, "cert.pem")
    key = os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "30", "-subj", "/CN=" + HOST],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    keyfile = os.path.join(work, "ticket.keys")
    with open(keyfile, "w") as f:
        for _ in range(3):
            f.write(base64.b64encode(os.urandom(80)).decode() + "\n")
    for p in (cert, key, keyfile):
        os.chmod(p, 0o600)
        for_daemon(p)

    a = instance(cert, key, keyfile)
    b = instance(cert, key, keyfile)
    hp = HAProxy(work, gt.free_port(), gt.free_port(), a, b)
    gem, gop = hp.ports
    try:
        gt.ok(hp.check_rc == 0, "haproxy -c accepts the shipped file (addresses changed)",
              got=hp.check)
        gt.ok(wait_for(hp.ready), "haproxy listens", got=hp.read_log()[-2000:])
        # Health checks: a real request with a PROXY header, on both.
        gt.ok(wait_for(lambda: access_lines(a, "/robots.txt") and access_lines(b, "/robots.txt")),
              "the Gemini health check reaches both instances",
              got=(access_lines(a, "/robots.txt")[:2], access_lines(b, "/robots.txt")[:2]))
        checks = access_lines(a, "/robots.txt") + access_lines(b, "/robots.txt")
        gt.ok(all(st == "20" for _, st in checks), "and is answered 20", got=checks[:4])
        gt.ok(wait_for(lambda: a.read_log().count('"/caps.txt" 200 ') > 0
                       and b.read_log().count('"/caps.txt" 200 ') > 0),
              "the Gopher health check reaches both instances")

        # The readers' own addresses, in the log of the one that served.
        served = {}
        for src in READERS:
            data, _, _ = gemini(gem, src, "/?%s" % src)
            if not data.startswith(b"20 "):
                served[src] = "failed: %r" % data[:60]
                continue
            # The line is written once the answer left: wait for it.
            wait_for(lambda: access_lines(a, "/?%s" % src) or access_lines(b, "/?%s" % src),
                     timeout=5)
            in_a = [x for x, _ in access_lines(a, "/?%s" % src)]
            in_b = [x for x, _ in access_lines(b, "/?%s" % src)]
            served[src] = "a" if in_a == [src] and not in_b else \
                "b" if in_b == [src] and not in_a else "?%r %r" % (in_a, in_b)
        gt.ok(all(v in ("a", "b") for v in served.values()),
              "every request logged once, with the reader's address, by the instance "
              "that served it", got=served)
        on_a = [s for s, v in served.items() if v == "a"]
        on_b = [s for s, v in served.items() if v == "b"]
        gt.ok(on_a and on_b, "balance source spreads readers over both instances",
              got=(len(on_a), len(on_b)))
        readers = [line for line in (a.read_log() + b.read_log()).splitlines()
                   if '/?127.0.0.' in line]
        gt.ok(len(readers) == len(READERS) and not any(" 127.0.0.1 " in line for line in readers),
              "no reader's request logged with HAProxy's address", got=readers[:3])
        menu = gopher(gop, READERS[0], "/caps.txt")
        gt.ok(menu.startswith(b"CAPS"), "Gopher through HAProxy", got=menu[:40])
        gt.ok(any(READERS[0] in line and '"/caps.txt"' in line
                  for line in (a.read_log() + b.read_log()).splitlines()),
              "Gopher logged with the reader's address")
        if not (on_a and on_b):
            return

        # A session issued through A resumes through B.
        x, y = on_a[0], on_b[0]
        data, sess, _ = gemini(gem, x, "/?issued")
        gt.ok(data.startswith(b"20 ") and logged(a, "/?issued", [(x, "20")]),
              "a session issued by A", got=access_lines(a, "/?issued"))
        data, sess2, reused = gemini(gem, y, "/?resumed", session=sess)
        gt.ok(reused and data.startswith(b"20 ") and logged(b, "/?resumed", [(y, "20")]),
              "resumes on B, through HAProxy",
              got=(reused, data[:20], access_lines(b, "/?resumed")))
        data, _, reused = gemini(gem, x, "/?back", session=sess2)
        gt.ok(reused and logged(a, "/?back", [(x, "20")]),
              "and B's ticket resumes on A", got=(reused, access_lines(a, "/?back")))

        # SIGTERM to A: its port closes at once, and HAProxy, which has
        # not seen it fail a health check yet, retries on B.
        a.signal(signal.SIGTERM)
        gt.ok(a.wait_log("stopping:"), "A stops")
        gt.ok(wait_for(lambda: not listening(a.gemini_port)), "A closed its port")
        during = [gemini(gem, src, "/?during-%s" % src)[0][:3] for src in on_a]
        gt.ok(during == [b"20 "] * len(on_a),
              "every request of A's readers after SIGTERM is answered", got=during)
        gt.ok(all(logged(b, "/?during-%s" % src, [(src, "20")]) for src in on_a),
              "by B, with the reader's address")
        gt.ok(not any(access_lines(a, "/?during-%s" % src) for src in on_a), "none by A")
        try:
            a.proc.wait(15)
        except subprocess.TimeoutExpired:
            pass
        gt.ok(a.proc.poll() == 0, "A exits 0", got=a.proc.poll())
        after = [gemini(gem, src, "/?after-%s" % src)[0][:3] for src in READERS]
        gt.ok(after == [b"20 "] * len(READERS), "with A gone, every request is answered",
              got=after)
        gt.ok(all(logged(b, "/?after-%s" % src, [(src, "20")]) for src in READERS), "by B")
        data, _, reused = gemini(gem, x, "/?resumed-after", session=sess)
        gt.ok(reused and data.startswith(b"20 "),
              "a session A issued resumes on B after A stopped", got=(reused, data[:20]))
        gt.ok(hp.proc.poll() is None, "haproxy still running")
    finally:
        hp.stop()
        if gt._failed:
            gt.diag("haproxy log:\n" + hp.read_log()[-5000:])
        for d in (a, b):
            if d.proc is not None and d.proc.poll() is None:
                gt.ok(True, "griotd still alive at the end")
            d.stop()
            if gt._failed:
                gt.diag("griotd log:\n" + d.read_log()[-8000:])
            shutil.rmtree(d.dir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


main()
gt.done()
