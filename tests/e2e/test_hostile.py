# griot: hostile-client tests against the real daemon.  Copyright (c) 2026 the griot developers; ISC licence.
"""Hostile clients against the real griotd, over real sockets.

Slowloris at the connection cap and under it, half-open TLS handshakes,
request floods from one address (the per-address rate limit), clients
that never read a large response, random bytes on both ports, a client
that never stops sending.  Every daemon must stay alive, exit 0 on
SIGTERM and leave a log free of sanitizer reports (run it on a
--enable-sanitizers build: AddressSanitizer, LeakSanitizer, UBSan).

The seed of the random-bytes block is printed; set GRIOT_HOSTILE_SEED to
replay one.  Timings are printed as figures, never tested, except the
deadlines themselves, checked with wide margins.
"""

import os
import random
import re
import resource
import selectors
import shutil
import socket
import ssl
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

T = 3           # request_timeout of the slowloris daemon, s
TW = 2          # request_timeout of the other daemons, s
LINGER = 2      # CONN_LINGER_SECS in src/conn.h: a closing socket drains at most this long
SLACK = 4       # s allowed past a deadline before calling it missed (2 shared cores, ASan)
N = 200         # max_connections of the slowloris daemon
LOCAL = "127.0.0.1"
OTHER = "127.0.0.2"     # a second source address: Linux routes all of 127/8 to lo
THIRD = "127.0.0.3"

now = time.monotonic
START = now()


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        gt.skip_all("RLIMIT_NOFILE hard limit %d is below the %d descriptors needed" % (hard, need))
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


raise_nofile(2048)


# ---------------------------------------------------------------------------
# Client helpers.

def client_ctx():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


CTX = client_ctx()


def client_hello(sni="localhost"):
    """The bytes of a real TLS ClientHello (a fresh one each time)."""
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = CTX.wrap_bio(inc, out, server_hostname=sni)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def sock_to(port, src=None, rcvbuf=None, mss=None, timeout=10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if mss:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
        if src:
            s.bind((src, 0))
        s.settimeout(timeout)
        s.connect((LOCAL, port))
    except BaseException:
        s.close()
        raise
    return s


def tls_to(port, src=None, rcvbuf=None, mss=None, timeout=10):
    raw = sock_to(port, src=src, rcvbuf=rcvbuf, mss=mss, timeout=timeout)
    try:
        return CTX.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False)
    except BaseException:
        raw.close()
        raise


def rst_close(s):
    """Close with a reset (SO_LINGER 0): a client that vanishes."""
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    s.close()


def read_all(s, timeout=15):
    """Read a raw or TLS socket until the end: (bytes, how), how one of
    "eof" (raw), "close_notify", "no close_notify", "reset", "timeout",
    "tls error ..."."""
    tls = isinstance(s, ssl.SSLSocket)
    chunks = []
    deadline = now() + timeout
    how = "timeout"
    while now() < deadline:
        s.settimeout(max(0.05, deadline - now()))
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
            how = "close_notify" if tls else "eof"
            break
        chunks.append(b)
    return b"".join(chunks), how


def gemini(port, url, src=None, timeout=15):
    """One Gemini request: (bytes, how); how "refused: ..." when no TLS session came."""
    try:
        t = tls_to(port, src=src, timeout=timeout)
    except (OSError, ssl.SSLError) as e:
        return b"", "refused: %s" % e.__class__.__name__
    try:
        t.sendall(url.encode("utf-8") + b"\r\n")
        return read_all(t, timeout)
    except OSError as e:
        return b"", "error: %s" % e.__class__.__name__
    finally:
        t.close()


def gopher(port, selector, src=None, timeout=15):
    try:
        s = sock_to(port, src=src, timeout=timeout)
    except OSError as e:
        return b"", "refused: %s" % e.__class__.__name__
    try:
        s.sendall(selector.encode("utf-8") + b"\r\n")
        return read_all(s, timeout)
    except OSError as e:
        return b"", "error: %s" % e.__class__.__name__
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


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def wait_until(pred, timeout, step=0.02):
    deadline = now() + timeout
    while now() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def sanitizer_lines(log):
    return [ln for ln in log.splitlines()
            if "Sanitizer" in ln or "runtime error" in ln or "SUMMARY: " in ln]


GEMINI_CODES = {10, 11, 20, 30, 31, 40, 41, 42, 43, 44, 50, 51, 52, 53, 59, 60, 61, 62}


def gemini_header_ok(data):
    """A complete Gemini response: a valid header, a body only after a 2x."""
    m = re.match(rb"([0-9]{2})(?: ([^\r\n]*))?\r\n", data)
    if not m:
        return False
    code = int(m.group(1))
    meta = m.group(2) or b""
    try:
        meta.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if code not in GEMINI_CODES or len(meta) > 1024:
        return False
    return code // 10 == 2 or len(data) == m.end()


def gopher_menu_ok(data):
    """A Gopher menu (or the Gopher+ fallback block) ended by a lone '.'."""
    if not data.endswith(b"\r\n.\r\n") and data != b".\r\n":
        return False
    lines = data[:-3].split(b"\r\n")[:-1]
    for line in lines:
        if b"\n" in line or b"\r" in line:
            return False
        if data.startswith(b"+"):
            continue
        f = line.split(b"\t")
        if len(f) != 4 or not f[0] or not f[3].isdigit():
            return False
    return True


def gopher_answer_ok(data, request):
    """What griot may answer to any Gopher request."""
    if data.startswith(b"<!DOCTYPE html>") and request.startswith(b"URL:"):
        return data.endswith(b"</html>\r\n")
    # A Gopher+ request (TAB then "+", "!" or "$" after the selector)
    # gets "+-1" before its answer, or "--1" before an error (griotd(8)).
    tab = request.find(b"\t")
    if tab >= 0 and request[tab + 1:tab + 2] in (b"+", b"!", b"$"):
        for head in (b"+-1\r\n", b"--1\r\n"):
            if data.startswith(head) and data != head:
                data = data[len(head):]
                break
    if gopher_menu_ok(data):
        return True
    # caps.txt and robots.txt keep their ". CRLF"; other text items (a
    # selector that happened to name one) have none, nor a lone "." line
    # (gophermap.h).
    if data.startswith(b"CAPS\r\n") or data.startswith(b"User-agent: "):
        return data.endswith(b"\r\n.\r\n")
    return data.endswith(b"\r\n") and b"\n.\r\n" not in data and not data.startswith(b".\r\n")


class Run:
    """A griotd for one block: alive at the end, exit 0 on SIGTERM, and no
    sanitizer report in its log."""

    def __init__(self, what, **kw):
        self.what = what
        # These attacks come from one to three loopback addresses:
        # max_per_address, which would refuse most of their connections
        # at once, is off here and tested in test_flood.py.
        kw["extra"] = kw.get("extra", "") + "max_per_address = 0\n"
        self.d = gt.Daemon(**kw)
        self.t0 = now()

    def __enter__(self):
        gt.diag("--- %s" % self.what)
        return self.d

    def __exit__(self, *exc):
        d = self.d
        gt.ok(d.alive(), "%s: griotd still alive at the end" % self.what)
        rc = d.stop()
        gt.ok(rc == 0, "%s: griotd exits 0 on SIGTERM" % self.what, got=rc, want=0)
        log = d.read_log()
        bad = sanitizer_lines(log)
        gt.ok(not bad, "%s: no sanitizer report in the daemon log" % self.what, got=bad[:5])
        if gt._failed > d.failed_before or exc[0] is not None:
            gt.diag("griotd log:\n" + log[-20000:])
        keep = os.environ.get("GRIOT_HOSTILE_LOGDIR")
        if keep:
            with open(os.path.join(keep, "griotd-%s.log" % self.what.replace(" ", "-")), "w") as f:
                f.write(log)
        gt.diag("%s: %.1f s" % (self.what, now() - self.t0))
        shutil.rmtree(d.dir, ignore_errors=True)
        return False


# ---------------------------------------------------------------------------
# Many hostile connections at once.

class Peer:
    """One hostile connection: what it trickles (one byte a second), what
    it got back, how and when it ended."""

    def __init__(self, kind, sock, trickle=b"", send_now=b""):
        self.kind = kind
        self.sock = sock
        self.tls = isinstance(sock, ssl.SSLSocket)
        self.trickle = trickle
        self.sent = 0
        self.last_send = 0.0
        self.data = bytearray()
        self.how = None
        self.ended = None
        self.opened = now()
        sock.setblocking(False)
        if send_now:
            sock.setblocking(True)
            sock.settimeout(5)
            try:
                sock.sendall(send_now)
            except OSError:
                pass
            sock.setblocking(False)

    def life(self):
        return (self.ended or now()) - self.opened

    def finish(self, how):
        if self.how is None:
            self.how = how
            self.ended = now()

    def feed(self, t):
        if self.how is not None or self.sent >= len(self.trickle) or t - self.last_send < 1.0:
            return
        try:
            n = self.sock.send(self.trickle[self.sent:self.sent + 1])
        except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
            return
        except OSError:
            self.finish("reset on send")
            return
        self.sent += n
        self.last_send = t

    def on_read(self):
        for _ in range(64):
            try:
                b = self.sock.recv(65536)
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                return
            except ssl.SSLEOFError:
                self.finish("no close_notify")
                return
            except (ConnectionResetError, BrokenPipeError):
                self.finish("reset")
                return
            except ssl.SSLError as e:
                self.finish("tls error %s" % (e.reason or e))
                return
            except OSError as e:
                self.finish("error %s" % e.__class__.__name__)
                return
            if not b:
                self.finish("close_notify" if self.tls else "eof")
                return
            self.data += b


def pump(peers, deadline, stop=None, trickle=True):
    """Serve the peers (read what comes, trickle their bytes) until every
    one ended, stop() is true, or the deadline; ended peers are closed."""
    sel = selectors.DefaultSelector()
    live = {}
    for p in peers:
        if p.how is None:
            sel.register(p.sock, selectors.EVENT_READ, p)
            live[id(p)] = p
    try:
        while live and now() < deadline:
            if stop is not None and stop():
                break
            for key, _ in sel.select(0.05):
                key.data.on_read()
            t = now()
            if trickle:
                for p in list(live.values()):
                    p.feed(t)
            for k, p in list(live.items()):
                if p.how is not None:
                    sel.unregister(p.sock)
                    p.sock.close()
                    del live[k]
    finally:
        sel.close()
    return not live


def close_peers(peers):
    for p in peers:
        try:
            p.sock.close()
        except OSError:
            pass


def span(values):
    if not values:
        return "none"
    v = sorted(values)
    return "min %.2f, median %.2f, max %.2f s" % (v[0], v[len(v) // 2], v[-1])


ARTICLE_ID = "2024-11-28-gpsa-paix-securite"


def gemini_url(d, path="/"):
    return "gemini://localhost:%d%s" % (d.gemini_port, path)


def served_normally(d, what, src=None):
    """A normal client on each protocol gets its full answer."""
    t = now()
    data, how = gemini(d.gemini_port, gemini_url(d), src=src)
    tg = now() - t
    gt.ok(data.startswith(b"20 text/gemini") and how == "close_notify" and b"=> " in data,
          "%s: a normal Gemini client is served" % what, got=(data[:40], how))
    t = now()
    menu, how2 = gopher(d.gopher_port, "", src=src)
    tp = now() - t
    gt.ok(gopher_menu_ok(menu) and menu.startswith(b"i") and how2 == "eof",
          "%s: a normal Gopher client is served" % what, got=(menu[:40], menu[-10:], how2))
    gt.diag("%s: Gemini root in %.3f s, Gopher root in %.3f s" % (what, tg, tp))


def settle(d, base, what, timeout=LINGER + SLACK + 2):
    """The daemon is back to the sockets it held before the block."""
    pid = d.proc.pid
    ok = wait_until(lambda: nsocks(pid) <= base, timeout)
    gt.ok(ok, "%s: the daemon holds no client socket afterwards" % what,
          got=nsocks(pid) - base, want=0)


# ---------------------------------------------------------------------------
# Slowloris at the cap, slowloris under it, half-open TLS handshakes.

with Run("slowloris", max_connections=N, timeout=T, workers=2) as d:
    pid = d.proc.pid
    gp, mp = d.gopher_port, d.gemini_port
    base = nsocks(pid)
    served_normally(d, "before")
    settle(d, base, "warm-up")
    sel_bytes = ("/articles/%s.txt" % ARTICLE_ID).encode()
    url_bytes = gemini_url(d, "/articles/%s.gmi" % ARTICLE_ID).encode()

    def slowloris(n_tls, n_gopher, n_hello):
        """Connections trickling one byte a second, never a whole request:
        a URL inside TLS, a Gopher selector, a ClientHello."""
        peers = []
        for i in range(n_tls):
            peers.append(Peer("tls", tls_to(mp), trickle=url_bytes))
        for i in range(max(n_gopher, n_hello)):
            if i < n_gopher:
                peers.append(Peer("gopher", sock_to(gp), trickle=sel_bytes))
            if i < n_hello:
                peers.append(Peer("hello", sock_to(mp), trickle=client_hello()))
        return peers

    # 1. N trickling connections: the cap is reached and holds.
    peers = slowloris(20, 90, 90)
    gt.ok(len(peers) == N, "%d slowloris connections opened" % N, got=len(peers))
    pump(peers, now() + 10, stop=lambda: nsocks(pid) >= base + N)
    held = nsocks(pid) - base
    gt.ok(held == N, "the daemon holds the %d slow connections" % N, got=held, want=N)
    first = min(p.opened for p in peers)
    extra, most = [], held
    for i in range(10):
        if i % 2:
            data, how = gopher(gp, "")
            extra.append((gopher_menu_ok(data) and how == "eof", data[-10:], how))
        else:
            data, how = gemini(mp, gemini_url(d))
            extra.append((data.startswith(b"20 ") and how == "close_notify", data[:20], how))
        most = max(most, nsocks(pid) - base)
        pump(peers, now() + 0.01)
    late = now() - first
    # Closed before their deadline: to make room.  (Those the loop above
    # outlived, on a slow machine, were closed at their deadline.)
    ended = [p for p in peers if p.how is not None and p.life() < T - 0.3]
    gt.diag("the 10 clients at the cap were done %.2f s after the first slow one "
            "(its deadline: %d s); %d slow ones were closed to make room" % (late, T, len(ended)))
    # The first takes an oldest slow connection's place; the next ones
    # find the place the one before left.
    gt.ok(1 <= len(ended) <= 10 and all(p.data == b"" for p in ended),
          "slow connections closed unanswered to make room: at least one, at most 10",
          got=[(p.kind, p.how, bytes(p.data[:10])) for p in ended[:5]])
    bad = [e for e in extra if not e[0]]
    gt.ok(not bad, "10 clients at the cap (5 Gemini, 5 Gopher) are served", got=bad[:3])
    # A connection over the cap is accepted, then one is closed: the
    # sample may catch that one descriptor, never more.
    gt.ok(most <= N + 1, "the cap holds: the daemon never holds more than %d connections" % N,
          got=most, want="<= %d" % (N + 1))
    evicted = set(id(p) for p in ended)
    gt.ok(d.wait_log("max_connections (%d) reached" % N, timeout=5), "the cap is logged")

    # All closed at their deadline, answered nothing.
    pump(peers, first + T + SLACK + 6)
    open_left = [p for p in peers if p.how is None]
    gt.ok(not open_left, "every slow connection is closed by the daemon", got=len(open_left), want=0)
    lives = [p.life() for p in peers if p.how is not None]
    gt.diag("slow connections closed after: %s (request_timeout %d s)" % (span(lives), T))
    early = [round(p.life(), 2) for p in peers if p.life() < T - 0.3 and id(p) not in evicted]
    late_ = [round(p.life(), 2) for p in peers if p.life() > T + SLACK]
    gt.ok(not early and not late_ and not open_left, "each one at its deadline (%d s after the accept)" % T,
          got=(early[:5], late_[:5]))
    g = [p for p in peers if p.kind == "gopher" and id(p) not in evicted]
    gt.ok(all(p.data == b"" and p.how == "eof" for p in g), "slow Gopher clients: no answer, then FIN",
          got=[(bytes(p.data[:30]), p.how) for p in g if p.data or p.how != "eof"][:3])
    tl = [p for p in peers if p.kind == "tls" and id(p) not in evicted]
    gt.ok(all(p.data == b"" and p.how == "close_notify" for p in tl),
          "slow TLS clients: no answer, then close_notify",
          got=[(bytes(p.data[:30]), p.how) for p in tl if p.data or p.how != "close_notify"][:3])
    h = [p for p in peers if p.kind == "hello" and id(p) not in evicted]
    gt.ok(all((p.data == b"" or p.data[:1] == b"\x15") and p.how in ("eof", "reset") for p in h),
          "slow ClientHellos: nothing (or an alert), then the close",
          got=[(bytes(p.data[:10]), p.how) for p in h if p.how not in ("eof", "reset")][:3])
    last = max(p.ended for p in peers if p.ended is not None) if lives else now()

    # A new client once they are gone.
    def served_after():
        data, how = gemini(mp, gemini_url(d))
        menu, how2 = gopher(gp, "")
        return data.startswith(b"20 ") and gopher_menu_ok(menu), (data[:20], how, menu[-10:], how2)
    served, got = False, None
    deadline = now() + LINGER + SLACK
    tries = 0
    while not served and now() < deadline:
        tries += 1
        served, got = served_after()
    gt.diag("a new client served %.3f s after the last slow one was closed (%d tries)"
            % (now() - last, tries))
    gt.ok(served and tries == 1, "a new client is served at once after the slow ones are gone",
          got=(tries, got))
    close_peers(peers)
    settle(d, base, "slowloris at the cap")

    # 2. N/2 trickling connections and 60 half-open TLS handshakes: the
    # cap is not reached, normal clients are served meanwhile.
    rng = random.Random(1965)
    peers = slowloris(20, 40, 40)
    halfopen = []
    for i in range(20):
        halfopen.append(Peer("full hello", sock_to(mp), send_now=client_hello()))
    for i in range(20):
        hello = client_hello()
        halfopen.append(Peer("hello fragment", sock_to(mp), send_now=hello[:rng.randrange(1, len(hello))]))
    for i in range(20):
        # A record header that announces 512 bytes, then 0 to 4 of them.
        halfopen.append(Peer("record header", sock_to(mp),
                             send_now=b"\x16\x03\x01\x02\x00" + b"\x01\x00\x01\xfc"[:i % 5]))
    allp = peers + halfopen
    pump(allp, now() + 10, stop=lambda: nsocks(pid) >= base + len(allp))
    gt.ok(nsocks(pid) - base == len(allp), "the daemon holds %d slow and half-open connections" % len(allp),
          got=nsocks(pid) - base)
    served_normally(d, "during slowloris of %d and %d half-open handshakes" % (len(peers), len(halfopen)))
    data, how = gopher(gp, "/articles/%s.txt" % ARTICLE_ID)
    gt.ok(data == gt.gopher_text(d, "/articles/%s.txt" % ARTICLE_ID) and len(data) > 1000
          and how == "eof", "an article is served over Gopher meanwhile", got=(data[:30], len(data), how))
    data, how = gemini(mp, url_bytes.decode())
    gt.ok(data.startswith(b"20 text/gemini") and how == "close_notify",
          "an article is served over Gemini meanwhile", got=(data[:30], how))
    pump(allp, now() + 0.05)
    ended = [(p.kind, p.how, round(p.life(), 2)) for p in allp if p.how is not None]
    gt.ok(not ended, "the slow and half-open connections are all still open then", got=ended[:5])
    first = min(p.opened for p in allp)
    pump(allp, first + T + SLACK + 6)
    open_left = [p for p in allp if p.how is None]
    gt.ok(not open_left, "all of them are closed by the daemon", got=len(open_left), want=0)
    gt.diag("slowloris closed after: %s" % span([p.life() for p in peers]))
    gt.diag("half-open handshakes closed after: %s" % span([p.life() for p in halfopen]))
    off = [(p.kind, round(p.life(), 2)) for p in allp if not T - 0.3 <= p.life() <= T + SLACK]
    gt.ok(not off and not open_left, "each one at its deadline", got=off[:5])
    full = [p for p in halfopen if p.kind == "full hello"]
    gt.ok(all(p.data[:2] == b"\x16\x03" and p.how in ("eof", "reset") for p in full),
          "an unanswered ServerHello: the daemon waits, then closes",
          got=[(bytes(p.data[:5]), p.how) for p in full][:3])
    frag = [p for p in halfopen if p.kind != "full hello"]
    gt.ok(all((p.data == b"" or p.data[:1] == b"\x15") and p.how in ("eof", "reset") for p in frag),
          "a ClientHello cut short: nothing (or an alert), then the close",
          got=[(bytes(p.data[:10]), p.how) for p in frag if p.how not in ("eof", "reset")][:3])
    close_peers(allp)
    settle(d, base, "slowloris under the cap")
    served_normally(d, "after")


# ---------------------------------------------------------------------------
# Floods from one address: the per-address rate limit.

RATE = 30
with Run("rate limit", extra="rate_limit = %d\n" % RATE, timeout=5) as d:
    mp, gp = d.gemini_port, d.gopher_port
    url = gemini_url(d)
    codes, bad = [], []
    t0 = now()
    for i in range(2 * RATE):
        data, how = gemini(mp, url)
        codes.append(data[:3])
        if data[:3] == b"44 ":
            if data != b"44 60\r\n" or how != "close_notify":
                bad.append((data[:40], how))
        elif not (data.startswith(b"20 text/gemini") and how == "close_notify"):
            bad.append((data[:40], how))
    flood = now() - t0
    last1 = now()
    n20 = codes.count(b"20 ")
    n44 = codes.count(b"44 ")
    # The bucket holds RATE tokens and refills at RATE per minute.
    refill = int(flood * RATE / 60.0) + 1
    gt.diag("%d Gemini requests from %s in %.2f s: %d answered 20, %d answered 44"
            % (2 * RATE, LOCAL, flood, n20, n44))
    gt.ok(not bad, "every flood answer is a whole 20 or exactly '44 60' with close_notify", got=bad[:3])
    gt.ok(codes[:RATE] == [b"20 "] * RATE, "the first %d requests are served" % RATE,
          got=codes[:RATE])
    gt.ok(RATE <= n20 <= RATE + refill and n20 + n44 == 2 * RATE,
          "then SLOW DOWN: at most %d more served while the bucket refills" % refill,
          got=(n20, n44))
    gt.ok(codes[RATE] == b"44 ", "request %d gets 44" % (RATE + 1), got=codes[RATE])
    # (The line of the last one may come just after its close.)
    def n_logged():
        return len(re.findall(r'%s gemini "[^"]*" 44 ' % re.escape(LOCAL), d.read_log()))
    wait_until(lambda: n_logged() >= n44, 5)
    gt.ok(n_logged() == n44, "each 44 is in the access log", got=n_logged(), want=n44)

    # The bucket is shared by both protocols.  It may have gained a token
    # since the last 44, but less than two: of three quick requests, two
    # at least are refused.
    gans = []
    for i in range(3):
        data, how = gopher(gp, "")
        gans.append((data, how, now()))
    limited = [a for a in gans if a[0].startswith(b"3")]
    gt.ok(len(limited) >= 2 and all(gopher_menu_ok(a[0]) and a[1] == "eof" for a in gans),
          "the same address on Gopher: type-3 lines in well-formed menus",
          got=[(a[0][:60], a[1]) for a in gans])
    data = limited[-1][0] if limited else b""
    last_limited = limited[-1][2] if limited else now()
    lines = data.split(b"\r\n")
    gt.ok(len(lines) >= 3 and lines[1].startswith(b"i") and
          lines[1].split(b"\t")[0][1:] == lines[0].split(b"\t")[0][1:],
          "with an i line saying the same words", got=lines[:2])
    gt.ok(wait_until(lambda: re.search(r'%s gopher "" \d+ ' % re.escape(LOCAL), d.read_log()), 5),
          "the Gopher refusals are in the access log")

    served_normally(d, "from %s during the flood" % OTHER, src=OTHER)

    # A Gopher flood from a third address, all at once.
    socks = []
    for i in range(2 * RATE):
        s = sock_to(gp, src=THIRD)
        socks.append(s)
    for s in socks:
        s.sendall(b"/\r\n")
    answers = []
    for s in socks:
        answers.append(read_all(s, 10))
        s.close()
    menus = sum(1 for a, how in answers if a.startswith(b"i") and gopher_menu_ok(a))
    threes = sum(1 for a, how in answers if a.startswith(b"3") and gopher_menu_ok(a))
    gt.diag("%d simultaneous Gopher requests from %s: %d menus, %d type-3 answers"
            % (2 * RATE, THIRD, menus, threes))
    gt.ok(menus + threes == 2 * RATE and RATE <= menus <= RATE + 2,
          "a simultaneous Gopher flood: %d menus, then type-3 lines" % RATE, got=(menus, threes))

    # The bucket refills at RATE per minute and no faster: the address is
    # served again only for the tokens that came back since its last
    # refusal, then refused.  (The refill over time is checked with a
    # simulated clock in tests/unit/test_ratelimit.c: no sleeping here.)
    again = []
    while len(again) < RATE and b"44 " not in again:
        again.append(gemini(mp, url)[0][:3])
    back = int((now() - last_limited) * RATE / 60.0) + 1
    gt.ok(again[-1:] == [b"44 "] and len(again) - 1 <= back,
          "%s is still limited: at most %d served before the next 44" % (LOCAL, back),
          got=again)


# ---------------------------------------------------------------------------
# Clients that never read a large response.

BIG_ID = "2026-02-10-grand-dossier"


def french_article(target):
    rng = random.Random(20260210)
    phrases = [
        "À Lomé, l’assemblée a débattu longuement du budget de l’État",
        "« Les œuvres publiques doivent être achevées avant la saison des pluies », a déclaré le ministre",
        "Les élèves de l’École polytechnique ont reçu leurs diplômes",
        "Qu’en pensent les commerçants du marché de Hédzranawoé ?",
        "Le cœur de la ville bat au rythme des zémidjans",
        "Les travaux reprendront dès février : chacun l’espère",
        "La sécurité routière reste une préoccupation majeure sur la RN1",
        "Un accord a été signé ; il prévoit 1 200 000 € d’investissements",
        "Les habitants ont salué une « décision courageuse » !",
        "Ça ne s’arrêtera pas là, préviennent les syndicats…",
    ]
    body, n, i = [], 0, 0
    while n < target:
        k = rng.randrange(4, 9)
        p = ". ".join(rng.choice(phrases) for _ in range(k)) + "."
        if i % 7 == 3:
            p = "## Partie %d\n\n%s" % (i, p)
        body.append(p)
        n += len(p.encode("utf-8")) + 2
        i += 1
    return ("Title: Un très grand dossier sur l’œuvre publique\nDate: 2026-02-10\n"
            "Author: Rédaction\nCategory: Société\n\n" + "\n\n".join(body) + "\n")


NREAD = 200
TWR = 5         # request_timeout of the non-readers' daemon: all set up before the first stalls
BIG = french_article(800 * 1024)


def readable(socks, timeout=0):
    """The sockets with something to read (data or the end), not reading it."""
    sel = selectors.DefaultSelector()
    try:
        for s in socks:
            sel.register(s.fileno(), selectors.EVENT_READ, s)
        return [k.data for k, _ in sel.select(timeout)]
    finally:
        sel.close()


def non_reader(d, proto, path):
    """A client that asks for "path" and then never reads.  A small MSS
    and receive buffer keep the kernel from taking the whole response off
    the daemon's hands (loopback's 64 KiB segments would let it queue
    megabytes), as a far client on a slow link would."""
    if proto == "gemini":
        t = tls_to(d.gemini_port, rcvbuf=4096, mss=536)
        t.sendall(gemini_url(d, path).encode() + b"\r\n")
        return t
    s = sock_to(d.gopher_port, rcvbuf=4096, mss=536)
    s.sendall(path.encode() + b"\r\n")
    return s


# Under AddressSanitizer freed memory waits in a quarantine (256 MiB by
# default) that counts in RSS: this daemon gets a small one, so that what
# is measured is what it holds.
QUARANTINE = 16
_asan = os.environ.get("ASAN_OPTIONS")
if "quarantine_size_mb" not in (_asan or ""):
    os.environ["ASAN_OPTIONS"] = (_asan + ":" if _asan else "") + "quarantine_size_mb=%d" % QUARANTINE
try:
    run = Run("clients that never read", args=["-v"], timeout=TWR, max_connections=1024,
              articles={BIG_ID + ".txt": BIG})
finally:
    if _asan is None:
        os.environ.pop("ASAN_OPTIONS", None)
    else:
        os.environ["ASAN_OPTIONS"] = _asan
with run as d:
    pid = d.proc.pid
    mp, gp = d.gemini_port, d.gopher_port
    gpath = "/articles/%s.gmi" % BIG_ID
    bsel = "/articles/%s.txt" % BIG_ID
    base = nsocks(pid)
    gfull, how = gemini(mp, gemini_url(d, gpath))
    gt.ok(gfull.startswith(b"20 ") and len(gfull) > 800 * 1024 and how == "close_notify",
          "the big article over Gemini", got=(gfull[:30], len(gfull), how))
    pfull, how = gopher(gp, bsel)
    gt.ok(len(pfull) > 800 * 1024 and pfull == gt.gopher_text(d, bsel), "the big article over Gopher",
          got=(len(pfull), pfull[-10:], how))
    settle(d, base, "warm-up")
    rss0 = rss_kib(pid)
    stalled0 = d.read_log().count("response stalled")
    # In batches, each one answered (its first bytes readable, left
    # unread) before the next: what is measured is the cost of holding
    # them, not of rendering 200 big articles at once (see the burst below).
    sleepers = []
    t0 = now()
    started = True
    for b in range(NREAD // 20):
        batch = [non_reader(d, "gemini" if i % 2 == 0 else "gopher", gpath if i % 2 == 0 else bsel)
                 for i in range(20)]
        sleepers += batch
        started = started and wait_until(lambda: len(readable(batch)) == len(batch), 10)
    t_sent = now()
    peak = rss_kib(pid)
    gt.ok(started, "%d non-readers got the first bytes of their answer" % NREAD,
          got=len(readable(sleepers)), want=NREAD)
    gt.diag("%d non-readers set up in %.2f s" % (NREAD, t_sent - t0))
    # Others are served meanwhile, the big article whole.
    t = now()
    data, how = gemini(mp, gemini_url(d, gpath))
    tg = now() - t
    gt.ok(data == gfull and how == "close_notify",
          "the big article is served whole over Gemini while %d clients do not read" % NREAD,
          got=(len(data), how), want=len(gfull))
    t = now()
    data, how = gopher(gp, bsel)
    tp = now() - t
    gt.ok(data == pfull, "the big article is served whole over Gopher meanwhile",
          got=(len(data), how), want=len(pfull))
    gt.diag("the big article meanwhile: Gemini %.2f s, Gopher %.2f s" % (tg, tp))
    peak = max(peak, rss_kib(pid))
    served_normally(d, "while %d clients do not read" % NREAD)
    # (The normal clients just served may still be lingering: at least.)
    held = nsocks(pid) - base
    writing = NREAD - (d.read_log().count("response stalled") - stalled0)
    gt.diag("the daemon holds %d connections, %d non-readers still being written to"
            % (held, writing))
    gt.ok(held >= NREAD and writing >= NREAD // 2, "most non-readers are still held then",
          got=(held, writing), want=(NREAD, ">= %d" % (NREAD // 2)))

    def gone():
        global peak
        peak = max(peak, rss_kib(pid))
        return nsocks(pid) <= base
    closed = wait_until(gone, TWR + LINGER + SLACK + 6, step=0.05)
    t_closed = now() - t_sent
    gt.diag("all closed %.2f s after the last one was answered (request_timeout %d s, linger %d s)"
            % (t_closed, TWR, LINGER))
    gt.ok(closed and t_closed <= TWR + LINGER + SLACK,
          "the non-readers are closed by the write deadline", got=(closed, round(t_closed, 2)))
    stalls = re.findall(r"response stalled after (\d+) of (\d+) bytes", d.read_log())[stalled0:]
    gt.ok(len(stalls) == NREAD, "each one logged as a stalled response", got=len(stalls), want=NREAD)
    kept = sum(int(y) - int(x) for x, y in stalls)
    rss1 = rss_kib(pid)
    grow = (peak - rss0) / 1024.0
    gt.diag("RSS %d KiB before, peak %d KiB with %d non-readers (+%.1f MiB, %.0f KiB each), "
            "%d KiB after they left" % (rss0, peak, NREAD, grow, (peak - rss0) / NREAD, rss1))
    gt.diag("each response is built whole before it is written (%d KiB Gemini, %d KiB Gopher): "
            "the kernel took %.0f KiB of each on average, the daemon kept %.1f MiB in all"
            % (len(gfull) // 1024, len(pfull) // 1024,
               ((len(gfull) + len(pfull)) * NREAD / 2 - kept) / 1024.0 / max(1, len(stalls)),
               kept / 1048576.0))
    # Bounded: what must be held is the unsent part of each response
    # (reported by the daemon itself); allow a quarter more for allocator
    # slack, TLS state and buffers, 64 MiB more, and the sanitizer's
    # quarantine when there is one.
    try:
        with open("/proc/%d/maps" % pid) as f:
            asan = "libasan" in f.read()
    except OSError:
        asan = False
    bound = kept * 1.25 / 1048576.0 + 64 + (QUARANTINE if asan else 0)
    gt.ok(grow < bound, "memory stays bounded by what the non-readers hold (%.0f MiB%s)"
          % (bound, ", AddressSanitizer" if asan else ""), got="%.1f MiB" % grow)
    for s in sleepers:
        rst_close(s)
    served_normally(d, "after the non-readers")

    # A second wave: the memory of the first is reused, not added to.
    sleepers = []
    for b in range(NREAD // 40):
        batch = [non_reader(d, "gopher", bsel) for i in range(20)]
        sleepers += batch
        wait_until(lambda: len(readable(batch)) == len(batch), 10)
    peak2 = rss_kib(pid)
    for s in sleepers:
        rst_close(s)    # a reset ends a stalled write at once
    settle(d, base, "second wave")
    rss2 = rss_kib(pid)
    gt.diag("a second wave of %d Gopher non-readers: %d KiB with them, %d KiB after"
            % (len(sleepers), peak2, rss2))
    gt.ok(peak2 <= peak + 16 * 1024, "a second, smaller wave reuses the memory of the first",
          got="%d KiB" % peak2, want="<= %d KiB" % (peak + 16 * 1024))


# ---------------------------------------------------------------------------
# A burst of expensive requests: a cheap one behind it.
#
# The Gopher wrapping of an 800 KiB article takes milliseconds; the
# response cache serves the same request bytes again, so a hostile client
# varies them (the words after a TAB are ignored for a text item).
# Enough such requests keep both workers busy past request_timeout.  A
# client already connected whose request reaches the daemon meanwhile,
# well before its deadline, must be answered once the daemon gets to it,
# not dropped as if it had been silent.

with open(gt.testdata("articles", ARTICLE_ID + ".txt"), "rb") as f:
    SMALL = f.read()
with Run("burst", args=["-v"], timeout=1, max_connections=1024, workers=2,
         articles={BIG_ID + ".txt": BIG, ARTICLE_ID + ".txt": SMALL}) as d:
    pid = d.proc.pid
    mp, gp = d.gemini_port, d.gopher_port
    base = nsocks(pid)
    bsel = "/articles/%s.txt\t%%d\r\n" % BIG_ID

    # Time to the first byte of the big Gopher article: the render time.
    ttfb = []
    for i in range(3):
        s = sock_to(gp)
        t = now()
        s.sendall((bsel % i).encode())
        s.recv(1)
        ttfb.append(now() - t)
        rst_close(s)
    render = max(min(ttfb), 0.001)
    k = max(20, min(400, int(4.0 / render) + 1))
    gt.diag("the big Gopher article takes %.1f ms to the first byte: a burst of %d "
            "is about %.1f s of work for each of the 2 workers" % (render * 1000, k, k * render / 2))
    heavy = [sock_to(gp) for i in range(k)]
    lights = [sock_to(gp) for i in range(4)]
    accepted = wait_until(lambda: nsocks(pid) - base >= k + len(lights), 10)
    t_acc = now()
    gt.ok(accepted, "%d connections accepted before any request" % (k + len(lights)),
          got=nsocks(pid) - base)
    for i, s in enumerate(heavy):
        s.sendall((bsel % (1000 + i)).encode())
    # The light requests come once the workers are busy: when the first
    # heavy answer arrives, well within their deadline.
    busy = wait_until(lambda: len(readable(heavy)) > 0, 10)
    for s in lights:
        s.sendall(b"/articles/%s.txt\r\n" % ARTICLE_ID.encode())
    t_light = now() - t_acc
    gt.ok(busy and t_light < 0.8, "the light requests are sent while the burst is answered, "
          "within their deadline", got=(busy, round(t_light, 2)))
    for s in heavy:
        s.close()       # the daemon still renders each, then meets a reset
    t = now()
    answers = [read_all(s, 20) for s in lights]
    took = now() - t
    for s in lights:
        s.close()
    gt.diag("light requests sent %.2f s after their accept, behind the burst: %s after %.2f s"
            % (t_light, [len(a) for a, how in answers], took))
    whole = gt.gopher_text(d, "/articles/%s.txt" % ARTICLE_ID)
    gt.ok(all(a == whole and len(a) > 1000 for a, how in answers),
          "Gopher requests queued behind %d expensive ones are answered, not dropped" % k,
          got=[(a[:30], len(a), how) for a, how in answers])
    log = d.read_log()
    dropped = log.count("no complete gopher request")
    gt.ok(dropped == 0, "no request that arrived in time is dropped as incomplete", got=dropped, want=0)
    settle(d, base, "burst")
    served_normally(d, "after the burst")


# ---------------------------------------------------------------------------
# Random bytes on both ports; a client that never stops sending.

SEED = int(os.environ.get("GRIOT_HOSTILE_SEED", "0")) or (int(time.time() * 1000) % 1000000007)
gt.diag("random-bytes seed: %d (GRIOT_HOSTILE_SEED=%d to replay)" % (SEED, SEED))
rng = random.Random(SEED)

PIECES = [b"\x00", b"\r", b"\n", b"\t", b"\xff", b"\xfe", b"\xc3", b"\xe2\x80", b"\xf0\x9f\x98",
          b"\xed\xa0\x80", b"\xc0\xaf", b"\r\n", b"%", b"%00", b"%2F", b"%2e%2e", b"..", b"/",
          b"?", b"+", b"$", b"!", b"#", b"@", b"URL:", b"\x16\x03\x01", b"\x16\x03\x03\x00\x05",
          b"\xef\xbb\xbf", "é".encode(), "œ".encode(), "’".encode(), "\u202f".encode(), b" ",
          b"gemini://", b"gopher://", b"localhost", b"\x1b[2J", b"\x7f", b"\x08", b"a", b"0"]
GOPHER_PREFIXES = [b"", b"/", b"/articles/", b"/latin1/", b"/ascii/", b"/utf8/", b"/search\t",
                   b"/utf8/search\t", b"/latin1/articles/", b"/categories/", b"/archive/",
                   b"/pages/", b"URL:", b"URL:https://", b"\t", b"/caps.txt"]
GEMINI_PREFIXES = [b"gemini://localhost/", b"gemini://localhost:%d", b"gemini://localhost:%d/",
                   b"gemini://localhost:%d/search?", b"gemini://localhost:%d/articles/",
                   b"gemini://LOCALHOST:%d/categories/", b"gemini://localhost:%d/archive/",
                   b"gemini://localhost:%d/pages/", b"gemini://localhost:%d/atom.xml",
                   b"gemini://user@localhost:%d/", b"gemini://[::1]:%d/", b"GEMINI://localhost:%d/"]
URLISH = [b"a", b"z", b"0", b"9", b"-", b"_", b".", b"..", b"/", b"//", b"?", b"%", b"%00", b"%2F",
          b"%2f", b"%2E%2E", b"%C3%A9", b"%C5%93", b"%E2%80%99", b"%FF", b"%C3", b"%20", b"+",
          b"2026-02", b"2024-11-28-gpsa-paix-securite", b".txt", b".gmi", b"securite", b"OEUVRE",
          "é".encode(), "œ".encode(), b"#", b"@", b":", b";", b"=", b"&"]


def rand_len():
    return rng.choice([0, 1, 2, rng.randrange(3, 64), rng.randrange(64, 1000),
                       rng.randrange(1020, 1032), rng.randrange(1032, 4000)])


def rand_payload(port, gemini=False):
    """Random bytes; random pieces of bytes that matter; or a plausible
    request (a real prefix, URL-like words) ended by a line end or not."""
    n = rand_len()
    style = rng.randrange(5)
    if style == 0:
        return rng.randbytes(n)
    parts = []
    if style >= 2:
        own, other = (GEMINI_PREFIXES, GOPHER_PREFIXES) if gemini else (GOPHER_PREFIXES, GEMINI_PREFIXES)
        pre = rng.choice(own if rng.random() < 0.85 else other)
        parts.append(pre.replace(b"%d", str(port).encode()) if b"%d" in pre else pre)
    size = sum(len(p) for p in parts)
    if style == 4:
        n = min(n, rng.randrange(0, 80))
    while size < n:
        if style == 4:
            p = rng.choice(URLISH)
        elif rng.random() < 0.6:
            p = rng.choice(PIECES)
        else:
            p = rng.randbytes(rng.randrange(1, 8))
        parts.append(p)
        size += len(p)
    out = b"".join(parts)
    if style != 4:
        out = out[:max(n, len(parts[0]) if parts else 0)]
    if style >= 3:
        out += rng.choice([b"\r\n", b"\r\n", b"\n", b"\r", b"\t$\r\n", b"\t+\r\n", b""])
    return out


def mutate(hello):
    """A ClientHello with a few bytes changed, or cut, or with junk after it."""
    b = bytearray(hello)
    how = rng.randrange(3)
    if how == 0:
        for _ in range(rng.randrange(1, 6)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif how == 1:
        b = b[:rng.randrange(1, len(b))] + rng.randbytes(rng.randrange(0, 200))
    else:
        b += rng.randbytes(rng.randrange(1, 2000))
    return bytes(b)


with Run("random bytes", timeout=TW, max_connections=1024) as d:
    pid = d.proc.pid
    mp, gp = d.gemini_port, d.gopher_port
    base = nsocks(pid)
    t0 = now()
    peers = []
    kinds = {}
    for i in range(400):
        k = rng.choice(["gopher"] * 4 + ["tls raw"] * 2 + ["tls request"] * 3 +
                       ["hello mutant", "reset at once"])
        kinds[k] = kinds.get(k, 0) + 1
        try:
            if k == "reset at once":
                rst_close(sock_to(rng.choice([mp, gp])))
                continue
            if k == "tls request":
                sock = tls_to(mp)
                payload = rand_payload(mp, gemini=True)
            elif k == "gopher":
                sock = sock_to(gp)
                payload = rand_payload(gp)
            elif k == "tls raw":
                sock = sock_to(mp)
                payload = (rng.choice([b"\x16\x03\x01", b"\x17\x03\x03", b"\x15\x03\x03", b""]) +
                           rand_payload(mp))
            else:
                sock = sock_to(mp)
                payload = mutate(client_hello())
        except (OSError, ssl.SSLError) as e:
            gt.ok(False, "connection %d (%s) could be made" % (i, k), got=repr(e))
            continue
        end = rng.choice(["open", "open", "half-close", "reset"])
        if k == "tls request" and end == "half-close":
            end = "open"
        p = Peer(k, sock)
        p.payload = payload
        p.end = end
        sock.setblocking(True)
        sock.settimeout(5)
        try:
            sock.sendall(payload)
            if end == "half-close":
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        sock.setblocking(False)
        if end == "reset":
            rst_close(sock)
            continue
        peers.append(p)
    gt.diag("random bytes: %s; %d connections kept for their answers, sent in %.2f s"
            % (", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items())), len(peers), now() - t0))
    pump(peers, now() + TW + LINGER + SLACK + 6, trickle=False)
    open_left = [p for p in peers if p.how is None]
    gt.ok(not open_left, "the daemon closes every random-bytes connection",
          got=[(p.kind, p.end, p.payload[:40]) for p in open_left][:3])
    gt.diag("random-bytes connections closed after: %s" % span([p.life() for p in peers]))

    bad_gopher, bad_tls, bad_raw, answered, silent = [], [], [], 0, 0
    for p in peers:
        data, pl = bytes(p.data), p.payload
        if p.kind == "gopher":
            must = b"\n" in pl or len(pl) >= 1026 or (p.end == "half-close" and pl != b"")
            must_not = b"\n" not in pl and len(pl) <= 1024 and p.end == "open"
            good = gopher_answer_ok(data, pl) if data else not must
            if must_not and data:
                good = False
            if not good or p.how not in ("eof", "reset"):
                bad_gopher.append((pl[:60], len(pl), p.end, data[:60], data[-8:], p.how))
        elif p.kind == "tls request":
            # An LF ends the wait: after a CR it ends the request, bare it is 59.
            must = b"\n" in pl[:1026] or len(pl) >= 1026
            good = gemini_header_ok(data) if data else not must
            if not must and data:
                good = False
            if not good or p.how != "close_notify":
                bad_tls.append((pl[:60], len(pl), data[:60], p.how))
        else:
            # Not TLS, or a damaged ClientHello: only TLS records come
            # back (a ServerHello when the damage was harmless, an alert).
            good = data == b"" or (data[:1] in (b"\x15", b"\x16") and data[1:2] == b"\x03")
            if not good or p.how not in ("eof", "reset"):
                bad_raw.append((p.kind, pl[:20], data[:20], p.how))
        if data:
            answered += 1
        else:
            silent += 1
    gt.diag("%d answered, %d closed without an answer" % (answered, silent))
    gt.ok(not bad_gopher, "Gopher: every answer to random bytes is a well-formed menu, "
          "or nothing when no request line came", got=bad_gopher[:3])
    gt.ok(not bad_tls, "Gemini: random requests inside TLS get a valid header (or nothing "
          "without an LF), then close_notify", got=bad_tls[:3])
    gt.ok(not bad_raw, "Gemini: random and damaged TLS bytes get TLS records or nothing, then a close",
          got=bad_raw[:3])
    settle(d, base, "random bytes")
    served_normally(d, "after the random bytes")

    # Clients that never stop sending: the answer comes whole and the
    # daemon stops draining them after its linger time.
    for proto in ("gopher", "gemini"):
        if proto == "gopher":
            s = sock_to(gp)
            s.sendall(b"/\r\n")
        else:
            s = tls_to(mp)
            s.sendall(gemini_url(d).encode() + b"\r\n")
        # The junk goes raw, under TLS: a client gone mad after its request.
        raw = socket.socket(fileno=os.dup(s.fileno()))
        raw.setblocking(False)
        s.setblocking(False)
        junk = os.urandom(16384)
        got = bytearray()
        how, sent = None, 0
        t0 = now()
        deadline = t0 + TW + LINGER + SLACK + 6
        while how is None and now() < deadline:
            try:
                sent += raw.send(junk)
            except BlockingIOError:
                time.sleep(0.005)
            except (BrokenPipeError, ConnectionResetError):
                how = "reset"
            except OSError as e:
                how = "send error %s" % e.__class__.__name__
            for _ in range(8):
                try:
                    b = s.recv(65536)
                except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    break
                except (ConnectionResetError, BrokenPipeError):
                    how = "reset"
                    break
                except ssl.SSLError as e:
                    how = "tls %s" % (e.reason or e)
                    break
                if not b:
                    # Our answer is complete; keep sending until the daemon drops us.
                    break
                got += b
        took = now() - t0
        rst_close(raw)
        s.close()
        gt.diag("%s: a client sending without end was dropped after %.2f s and %d KiB of junk (%s)"
                % (proto, took, sent // 1024, how))
        if proto == "gopher":
            gt.ok(gopher_menu_ok(bytes(got)), "Gopher: a client that never stops sending gets its whole menu",
                  got=bytes(got[-20:]))
        else:
            gt.ok(bytes(got).startswith(b"20 text/gemini") and b"=> " in got,
                  "Gemini: a client that never stops sending gets its whole page", got=bytes(got[:30]))
        gt.ok(how is not None and took <= LINGER + SLACK,
              "%s: and is dropped within the linger time (%d s)" % (proto, LINGER),
              got=(how, round(took, 2)))
    settle(d, base, "endless senders")
    served_normally(d, "at the end")

gt.diag("whole file: %.1f s" % (now() - START))
gt.done()
