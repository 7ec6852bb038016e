# griot: helpers for the end-to-end tests.  Copyright (c) 2026 the griot developers; ISC licence.
"""Start the real griotd on free loopback ports and count checks as TAP.

Every test file does:

    import griottest as gt
    with gt.Daemon(...) as d:
        gt.ok(cond, "what", got=..., want=...)
    gt.done()

A Daemon writes a generated ini (and store) into a private temporary
folder, starts $GRIOTD in the foreground, waits for its "listening" log
lines (never a bare sleep), checks that it is still alive after each
block, stops it by pid, and dumps its log when a check failed.
"""

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

_n = 0
_failed = 0
_skipped = False


def ok(cond, what, got=None, want=None):
    """One TAP check; on failure print what was got and wanted."""
    global _n, _failed
    _n += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (_n, what), flush=True)
    if not cond:
        _failed += 1
        if got is not None or want is not None:
            print("#    got: %r" % (got,))
            print("#   want: %r" % (want,), flush=True)
    return cond


def diag(msg):
    for line in str(msg).splitlines():
        print("# " + line)
    sys.stdout.flush()


def skip_all(why):
    """Nothing of this file can run here: say so in TAP and exit."""
    print("1..0 # SKIP " + why, flush=True)
    sys.exit(0)


def done():
    print("1..%d" % _n, flush=True)
    sys.exit(1 if _failed else 0)


def root_group():
    """The unprivileged group Debian calls nogroup (nobody elsewhere)."""
    import grp
    for name in ("nogroup", "nobody"):
        try:
            grp.getgrnam(name)
            return name
        except KeyError:
            pass
    return "nogroup"


_given_ports = set()


def free_port(family=socket.AF_INET):
    """A loopback port that is free now (the daemon binds it soon after),
    and never one this process was given before: the kernel may hand the
    same ephemeral port out twice once the probe socket is closed, which
    made a daemon's Gemini and Gopher ports one (bounded: 100 tries)."""
    host = "127.0.0.1" if family == socket.AF_INET else "::1"
    for _ in range(100):
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
        if port not in _given_ports:
            break
    _given_ports.add(port)
    return port


def srcdir():
    return os.environ.get("top_srcdir", os.path.join(os.path.dirname(__file__), "..", ".."))


def testdata(*parts):
    return os.path.join(os.environ.get("GRIOT_TESTDATA", os.path.join(srcdir(), "tests", "data")), *parts)


def griotd():
    return os.environ.get("GRIOTD", os.path.join(srcdir(), "src", "griotd"))


DEFAULT_INI = """\
[capsule]
name = {name}
hostname = {hostname}
lang = {lang}
store = articles
pages = pages
description = Une capsule de test.

[gemini]
enabled = {gemini}
listen = 127.0.0.1
port = {gemini_port}
cert = certs/cert.pem
key = certs/key.pem
auto_cert = yes

[gopher]
enabled = {gopher}
listen = 127.0.0.1
port = {gopher_port}
width = {width}
charset = {charset}

[server]
log = stderr
access_log = stderr
request_timeout = {timeout}
max_connections = {max_connections}
workers = {workers}
{extra}
"""


class Daemon:
    """The real griotd, on free loopback ports, in a private folder."""

    def __init__(self, articles=None, pages=None, name="Capsule de test",
                 hostname="localhost", lang="fr", gemini=True, gopher=True,
                 width=67, charset="utf-8", timeout=5, max_connections=1024,
                 workers=2, extra="", ini=None, args=(), start=True):
        self.dir = tempfile.mkdtemp(prefix="griot-e2e-")
        # griotd refuses to keep running as root: under root (CI), the
        # daemon drops to nobody, who must be able to read the folder.
        os.chmod(self.dir, 0o755)
        if os.geteuid() == 0 and "user" not in extra and ini is None:
            extra = "user = nobody\ngroup = %s\n" % root_group() + extra
        self.gemini_port = free_port() if gemini else 0
        self.gopher_port = free_port() if gopher else 0
        self.hostname = hostname
        os.makedirs(os.path.join(self.dir, "articles"))
        os.makedirs(os.path.join(self.dir, "pages"))
        os.makedirs(os.path.join(self.dir, "certs"))
        if articles is None:
            articles = testdata("articles")
        if isinstance(articles, str):
            for f in sorted(os.listdir(articles)):
                shutil.copy(os.path.join(articles, f), os.path.join(self.dir, "articles", f))
        else:
            for fname, body in articles.items():
                mode = "wb" if isinstance(body, bytes) else "w"
                with open(os.path.join(self.dir, "articles", fname), mode) as f:
                    f.write(body)
        if pages is None:
            pages = testdata("pages")
        if isinstance(pages, str):
            if os.path.isdir(pages):
                for f in sorted(os.listdir(pages)):
                    shutil.copy(os.path.join(pages, f), os.path.join(self.dir, "pages", f))
        else:
            for fname, body in pages.items():
                with open(os.path.join(self.dir, "pages", fname), "w") as f:
                    f.write(body)
        self.ini = os.path.join(self.dir, "griot.ini")
        if ini is None:
            ini = DEFAULT_INI.format(
                name=name, hostname=hostname, lang=lang,
                gemini="yes" if gemini else "no", gemini_port=self.gemini_port or 1965,
                gopher="yes" if gopher else "no", gopher_port=self.gopher_port or 70,
                width=width, charset=charset, timeout=timeout,
                max_connections=max_connections, workers=workers, extra=extra)
        with open(self.ini, "w") as f:
            f.write(ini)
        self.args = list(args)
        self.proc = None
        self.logpath = os.path.join(self.dir, "griotd.log")
        self.log = None
        self.failed_before = _failed
        if start:
            self.start()

    def start(self, timeout=20):
        """Start griotd and wait until every enabled listener is up."""
        # A restart appends to the same log: count only the lines this
        # start adds, or the first run's lines would answer at once.
        already = self.read_log().count("listening on")
        self.log = open(self.logpath, "ab")
        self.proc = subprocess.Popen([griotd(), "-c", self.ini] + self.args,
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=self.dir)
        want = already + (1 if self.gemini_port else 0) + (1 if self.gopher_port else 0)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("griotd exited with %s:\n%s" % (self.proc.returncode, self.read_log()))
            if self.read_log().count("listening on") >= want:
                return self
            time.sleep(0.02)
        raise RuntimeError("griotd did not say it was listening:\n" + self.read_log())

    def read_log(self):
        try:
            with open(self.logpath, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait_log(self, text, count=1, timeout=10):
        """Wait until "text" appears "count" times in the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.read_log().count(text) >= count:
                return True
            time.sleep(0.02)
        return False

    def wait_log_re(self, pattern, timeout=10):
        """Wait until the regular expression "pattern" matches the log.

        The access log is written once per turn of a worker's loop, so a
        line may come a moment after the client has its answer."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.read_log()) is not None:
                return True
            time.sleep(0.02)
        return False

    def stop(self, timeout=10):
        """SIGTERM by pid, then SIGKILL if it does not exit in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        rc = self.proc.returncode
        self.proc = None
        if self.log:
            self.log.close()
        return rc

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        ok(self.alive(), "griotd still alive at the end of the block")
        self.stop()
        if _failed > self.failed_before or exc[0] is not None:
            diag("griotd log:\n" + self.read_log()[-20000:])
        shutil.rmtree(self.dir, ignore_errors=True)
        return False


def gopher(port, selector, host="127.0.0.1", timeout=10, raw=None):
    """Send one Gopher request line; return every byte until the server closes."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(raw if raw is not None else selector.encode("utf-8") + b"\r\n")
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)


def gemini(port, url, timeout=10):
    """One Gemini request on 127.0.0.1 (no certificate check); every byte
    of the answer until the server closes."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(url.encode("utf-8") + b"\r\n")
            got = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    b = s.recv(65536)
                except (ssl.SSLError, ConnectionResetError):
                    break
                if not b:
                    break
                got.append(b)
            return b"".join(got)


def write_atomic(path, text):
    """Write next to "path" under a hidden name, then rename into place."""
    d, name = os.path.split(path)
    tmp = os.path.join(d, "." + name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.rename(tmp, path)


def gopher_text(d, sel, timeout=60):
    """The Gopher text at "sel" as `griotd -q` renders it for daemon "d".

    Texts have no ". CRLF" terminator (gophermap.h): an answer is whole
    when it is exactly these bytes."""
    r = subprocess.run([griotd(), "-q", "gopher://%s:%d/0%s" % (d.hostname, d.gopher_port, sel),
                        "-c", d.ini], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, cwd=d.dir)
    return r.stdout
