# griot: connection floods against the real daemon.  Copyright (c) 2026 the griot developers; ISC licence.
"""Floods of idle connections against the real griotd, over real sockets.

One address, then fifty, open far more idle connections than a daemon
should give them, on both protocols; a reader from another address must
still be served, on both protocols, while they are held.  Checked:

- with the default settings, one address holding 1,000 idle connections
  on each protocol gets at most max_per_address of them (the real client
  behind a PROXY header counts, not the balancer), and a reader from
  another address is served;
- at max_connections, with max_per_address off, the oldest connection
  without a request is closed to make room for the reader;
- 50 addresses (127.0.1.1 to 127.0.1.50: Linux routes all of 127/8 to
  lo, so each is a source address of its own) holding 1,000 idle
  connections on each protocol, the reader is served;
- a connection over the rate limit is answered at once, not at its
  deadline: Gopher without a selector, Gemini right after the
  handshake, and a Gemini socket that never says hello is closed within
  CONN_LIMITED_SECS.

Timings are printed, never tested (bench/flood.py measures the 100 ms
target); the deadlines of the rate-limited connections are checked with
wide margins.  Every socket is closed, every daemon stopped by pid.
"""

import os
import re
import resource
import shutil
import socket
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

now = time.monotonic
FLOOD = "127.0.0.1"
READER = "127.0.0.2"
LIMITED = "127.0.0.3"
N = 1000                # idle connections per protocol
ADDRS = ["127.0.1.%d" % i for i in range(1, 51)]
PER_ADDR = 32           # the default max_per_address (src/config.c)
LIMITED_SECS = 2        # CONN_LIMITED_SECS in src/conn.h
SLACK = 3               # s past a deadline before calling it missed (2 shared cores, ASan)


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        gt.skip_all("RLIMIT_NOFILE hard limit %d is below the %d descriptors needed" % (hard, need))
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


raise_nofile(2 * N + 512)


def client_ctx():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


CTX = client_ctx()


def sock_from(src, port, timeout=5):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((src, 0))
        s.settimeout(timeout)
        s.connect(("127.0.0.1", port))
    except BaseException:
        s.close()
        raise
    return s


def read_all(s, timeout):
    """Read a raw or TLS socket to its end: (bytes, how, seconds)."""
    t0 = now()
    chunks, how = [], "timeout"
    while now() - t0 < timeout:
        s.settimeout(max(0.05, timeout - (now() - t0)))
        try:
            b = s.recv(65536)
        except ssl.SSLEOFError:
            how = "no close_notify"
            break
        except (ConnectionResetError, BrokenPipeError):
            how = "reset"
            break
        except ssl.SSLError as e:
            how = "tls error %s" % (e.reason or e)
            break
        except socket.timeout:
            continue
        if not b:
            how = "close_notify" if isinstance(s, ssl.SSLSocket) else "eof"
            break
        chunks.append(b)
    return b"".join(chunks), how, now() - t0


def gemini(port, src, path="/", timeout=10):
    """One Gemini request from "src": (bytes, how, seconds)."""
    t0 = now()
    try:
        raw = sock_from(src, port, timeout)
    except OSError as e:
        return b"", "refused: %s" % e.__class__.__name__, now() - t0
    try:
        t = CTX.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False)
    except (OSError, ssl.SSLError) as e:
        raw.close()
        return b"", "handshake: %s" % e.__class__.__name__, now() - t0
    try:
        t.sendall(("gemini://localhost:%d%s\r\n" % (port, path)).encode())
        data, how, _ = read_all(t, timeout)
        return data, how, now() - t0
    except OSError as e:
        return b"", "error: %s" % e.__class__.__name__, now() - t0
    finally:
        t.close()


def gopher(port, src, selector="", timeout=10):
    """One Gopher request from "src": (bytes, how, seconds)."""
    t0 = now()
    try:
        s = sock_from(src, port, timeout)
    except OSError as e:
        return b"", "refused: %s" % e.__class__.__name__, now() - t0
    try:
        s.sendall(selector.encode() + b"\r\n")
        data, how, _ = read_all(s, timeout)
        return data, how, now() - t0
    except OSError as e:
        return b"", "error: %s" % e.__class__.__name__, now() - t0
    finally:
        s.close()


def nsocks(pid):
    """Sockets the daemon holds open (listeners and internal ones included)."""
    n = 0
    try:
        names = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return -1
    for f in names:
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, f)).startswith("socket:"):
                n += 1
        except OSError:
            pass
    return n


def wait_until(pred, timeout, step=0.02):
    deadline = now() + timeout
    while now() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


# The first bytes of a request, never a whole one: a selector without its
# line end, a TLS record header announcing 512 bytes that never come.
PARTIAL = (b"/artic", b"\x16\x03\x01\x02\x00")


def flood(d, src, n, partial=False):
    """n idle connections from "src" to each protocol, alternating; with
    "partial", every other pair sends the first bytes of a request."""
    socks = []
    try:
        for i in range(n):
            g = sock_from(src, d.gopher_port)
            socks.append(g)
            m = sock_from(src, d.gemini_port)
            socks.append(m)
            if partial and i % 2:
                for s, b in zip((g, m), PARTIAL):
                    try:
                        s.sendall(b)
                    except OSError:
                        pass
    except BaseException:
        close_all(socks)
        raise
    return socks


def close_all(socks):
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


def closed_by_daemon(s):
    """Has the daemon closed this idle socket (EOF or reset waiting)?"""
    s.setblocking(False)
    try:
        return s.recv(1, socket.MSG_PEEK) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True


def reader_served(d, what):
    """A reader from READER is served on both protocols; prints the times."""
    data, how, tg = gemini(d.gemini_port, READER)
    gt.ok(data.startswith(b"20 text/gemini") and how == "close_notify",
          "%s: a Gemini reader from %s is served" % (what, READER), got=(data[:40], how))
    menu, how2, tp = gopher(d.gopher_port, READER)
    gt.ok(menu.startswith(b"i") and menu.endswith(b"\r\n.\r\n") and how2 == "eof",
          "%s: a Gopher reader from %s is served" % (what, READER), got=(menu[:40], menu[-10:], how2))
    gt.diag("%s: Gemini root in %.3f s, Gopher root in %.3f s" % (what, tg, tp))


def defaults_ini(d):
    """The daemon's ini with the defaults of max_connections and max_per_address."""
    with open(d.ini) as f:
        ini = f.read()
    ini = re.sub(r"(?m)^max_connections = .*\n", "", ini)
    with open(d.ini, "w") as f:
        f.write(ini)


class Run:
    """A griotd for one block: alive at the end, exit 0 on SIGTERM."""

    def __init__(self, what, defaults=False, **kw):
        self.what = what
        self.d = gt.Daemon(start=False, **kw)
        if defaults:
            defaults_ini(self.d)
        self.d.start()

    def __enter__(self):
        gt.diag("--- %s" % self.what)
        return self.d

    def __exit__(self, *exc):
        d = self.d
        gt.ok(d.alive(), "%s: griotd still alive at the end" % self.what)
        rc = d.stop()
        gt.ok(rc == 0, "%s: griotd exits 0 on SIGTERM" % self.what, got=rc, want=0)
        log = d.read_log()
        bad = [ln for ln in log.splitlines() if "Sanitizer" in ln or "runtime error" in ln]
        gt.ok(not bad, "%s: no sanitizer report in the daemon log" % self.what, got=bad[:5])
        if gt._failed > d.failed_before or exc[0] is not None:
            gt.diag("griotd log:\n" + log[-12000:])
        shutil.rmtree(d.dir, ignore_errors=True)
        return False


# ---------------------------------------------------------------------------
# One address, 1,000 idle connections on each protocol, the defaults.

with Run("one address, defaults", defaults=True, timeout=30, workers=2) as d:
    pid = d.proc.pid
    base = nsocks(pid)
    t0 = now()
    socks = flood(d, FLOOD, N)
    try:
        gt.diag("%d idle connections opened from %s in %.2f s" % (2 * N, FLOOD, now() - t0))
        reader_served(d, "one address holding %d idle connections a protocol" % N)
        wait_until(lambda: sum(1 for s in socks if not closed_by_daemon(s)) <= PER_ADDR, 10)
        held = sum(1 for s in socks if not closed_by_daemon(s))
        gt.ok(held == PER_ADDR, "%s keeps max_per_address (%d) of its %d connections" % (FLOOD, PER_ADDR, 2 * N),
              got=held, want=PER_ADDR)
        gt.ok(nsocks(pid) - base <= PER_ADDR + 2, "the daemon holds no more than that",
              got=nsocks(pid) - base, want="<= %d" % (PER_ADDR + 2))
        gt.ok(d.wait_log("connections open from this address", timeout=5),
              "the refusals are logged")
    finally:
        close_all(socks)


# Behind a PROXY header, the limit counts the real client, not the balancer.

# (proxy_protocol is a [gopher] key: the ini is edited before the start.)
d0 = gt.Daemon(start=False, timeout=30, workers=2)
defaults_ini(d0)
with open(d0.ini) as f:
    ini = f.read()
with open(d0.ini, "w") as f:
    f.write(ini.replace("charset = utf-8\n", "charset = utf-8\nproxy_protocol = yes\n"))


def proxy_v1(src):
    return ("PROXY TCP4 %s 192.0.2.254 40000 70\r\n" % src).encode()


class RunDaemon(Run):
    def __init__(self, what, d):
        self.what = what
        self.d = d
        d.start()


with RunDaemon("proxy protocol, per client", d0) as d:
    socks = []
    try:
        for i in range(PER_ADDR + 8):
            s = sock_from(FLOOD, d.gopher_port)
            socks.append(s)
            s.sendall(proxy_v1("192.0.2.7"))
        wait_until(lambda: sum(1 for s in socks if not closed_by_daemon(s)) <= PER_ADDR, 10)
        held = sum(1 for s in socks if not closed_by_daemon(s))
        gt.ok(held == PER_ADDR, "the client named by the PROXY header keeps %d connections" % PER_ADDR,
              got=held, want=PER_ADDR)
        with sock_from(FLOOD, d.gopher_port) as s:
            s.sendall(proxy_v1("192.0.2.8") + b"\r\n")
            menu, how, t = read_all(s, 10)
        gt.ok(menu.startswith(b"i") and menu.endswith(b"\r\n.\r\n"),
              "another client behind the same balancer is served", got=(menu[:40], how))
    finally:
        close_all(socks)


# ---------------------------------------------------------------------------
# At max_connections: the oldest connection without a request makes room.

CAP = 200
with Run("at the cap", timeout=30, workers=2, max_connections=CAP,
         extra="max_per_address = 0\n") as d:
    pid = d.proc.pid
    base = nsocks(pid)
    socks = flood(d, FLOOD, CAP // 2, partial=True)
    try:
        gt.ok(wait_until(lambda: nsocks(pid) - base >= CAP, 10),
              "one address holds all %d slots (max_per_address off)" % CAP, got=nsocks(pid) - base)
        reader_served(d, "%d idle connections at max_connections %d" % (CAP, CAP))
        gt.ok(d.wait_log("max_connections (%d) reached" % CAP, timeout=5), "the cap is logged")
        gone = [i for i, s in enumerate(socks) if closed_by_daemon(s)]
        # The Gemini reader took the place of the oldest connection of
        # its worker (the kernel spreads them over the two); the Gopher
        # one came after it had left, below the cap again.
        gt.ok(len(gone) >= 1 and all(i < 16 for i in gone),
              "an oldest idle connection was closed to make room", got=gone[:10])
        gt.ok(nsocks(pid) - base <= CAP + 1, "the cap holds", got=nsocks(pid) - base,
              want="<= %d" % (CAP + 1))
    finally:
        close_all(socks)


# ---------------------------------------------------------------------------
# Fifty addresses, 1,000 idle connections on each protocol, the defaults.

with Run("fifty addresses, defaults", defaults=True, timeout=30, workers=2) as d:
    socks = []
    try:
        t0 = now()
        for a in ADDRS:
            socks += flood(d, a, N // len(ADDRS))
        gt.diag("%d idle connections opened from %d addresses in %.2f s"
                % (len(socks), len(ADDRS), now() - t0))
        reader_served(d, "%d addresses holding %d idle connections a protocol" % (len(ADDRS), N))
    finally:
        close_all(socks)


# ---------------------------------------------------------------------------
# Over the rate limit: answered at once, not at the deadline.

RATE = 2
T = 10      # request_timeout: the old behaviour would hold them this long
with Run("rate limit", timeout=T, workers=2, extra="rate_limit = %d\n" % RATE) as d:
    pid = d.proc.pid
    for i in range(RATE):
        menu, how, t = gopher(d.gopher_port, LIMITED)
    gt.ok(menu.startswith(b"i"), "the first %d requests from %s are served" % (RATE, LIMITED), got=menu[:30])
    base = nsocks(pid)
    with sock_from(LIMITED, d.gopher_port) as s:
        data, how, t = read_all(s, LIMITED_SECS + SLACK)
    gt.ok(data.startswith(b"3") and data.endswith(b"\r\n.\r\n") and how == "eof",
          "Gopher over the limit: the type-3 answer comes before any selector", got=(data[:40], how))
    gt.diag("Gopher over the rate limit: answered and closed in %.3f s" % t)
    raw = sock_from(LIMITED, d.gemini_port)
    t0 = now()
    try:
        tls = CTX.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False)
        data, how, _ = read_all(tls, LIMITED_SECS + SLACK)
        tls.close()
    except (OSError, ssl.SSLError) as e:
        raw.close()
        data, how = b"", "handshake: %s" % e
    gt.ok(data == b"44 60\r\n" and how == "close_notify",
          "Gemini over the limit: 44 60 right after the handshake, before any request",
          got=(data[:40], how))
    gt.diag("Gemini over the rate limit: answered and closed in %.3f s" % (now() - t0))
    with sock_from(LIMITED, d.gemini_port) as s:
        data, how, t = read_all(s, LIMITED_SECS + SLACK)
    gt.ok(data == b"" and how in ("eof", "reset"),
          "a Gemini socket over the limit that never says hello is closed within %d s, not %d"
          % (LIMITED_SECS, T), got=(data[:20], how, round(t, 2)))
    gt.ok(wait_until(lambda: nsocks(pid) <= base, 5), "the daemon holds none of them afterwards",
          got=nsocks(pid) - base)
    reader_served(d, "after the limited ones")

gt.done()
