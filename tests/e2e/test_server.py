# griot: end-to-end tests of the network layer.  Copyright (c) 2026 the griot developers; ISC licence.
"""The network layer of the real griotd, over real sockets.

Deadlines, close_notify on every close, TLS settings and the generated
certificate, the connection cap, many idle clients, clients that leave
mid-response, SIGTERM with a transfer in flight, the rate limit, reloads,
IPv6.  Every daemon must end with exit status 0 and a log free of
sanitizer reports.
"""

import os
import re
import select
import shutil
import signal
import socket
import hashlib
import ssl
import stat
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

TIMEOUT = 2     # request_timeout of the daemons that test deadlines


def client_ctx(maxver=None, ciphers=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if maxver is not None:
        ctx.maximum_version = maxver
    if ciphers is not None:
        ctx.set_ciphers(ciphers)
    return ctx


def tls_connect(port, sni="localhost", ctx=None, session=None, timeout=10,
                host="127.0.0.1", rcvbuf=None):
    """A TLS connection whose recv() tells close_notify (b'') from a bare EOF (raises)."""
    raw = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    raw.settimeout(timeout)
    raw.connect((host, port))
    ctx = ctx or client_ctx()
    return ctx.wrap_socket(raw, server_hostname=sni, suppress_ragged_eofs=False,
                           session=session)


def read_all(t, timeout=15):
    """Read until the server closes: (bytes, how) with how one of
    "close_notify", "no close_notify", "reset", "timeout"."""
    chunks = []
    deadline = time.monotonic() + timeout
    how = "timeout"
    while time.monotonic() < deadline:
        t.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            b = t.recv(65536)
        except ssl.SSLEOFError:
            how = "no close_notify"
            break
        except (ConnectionResetError, BrokenPipeError):
            how = "reset"
            break
        except ssl.SSLError as e:
            how = "tls error %s" % e
            break
        except socket.timeout:
            continue
        if not b:
            how = "close_notify"
            break
        chunks.append(b)
    return b"".join(chunks), how


def gemini(port, url, **kw):
    t = tls_connect(port, **kw)
    try:
        t.sendall(url.encode("utf-8") + b"\r\n")
        data, how = read_all(t)
        return data, how, t
    finally:
        t.close()


def raw_wait_close(s, timeout):
    """Read a plain socket until EOF or reset: (bytes, how, seconds)."""
    start = time.monotonic()
    chunks = []
    how = "timeout"
    deadline = start + timeout
    while time.monotonic() < deadline:
        s.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            b = s.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            how = "reset"
            break
        if not b:
            how = "eof"
            break
        chunks.append(b)
    return b"".join(chunks), how, time.monotonic() - start


def still_open(t):
    """A TLS socket the server has neither written to nor closed."""
    t.setblocking(False)
    try:
        b = t.recv(1)
        return False if not b else "data"
    except ssl.SSLWantReadError:
        return True
    except (ssl.SSLError, OSError):
        return False
    finally:
        t.setblocking(True)


def rst_close(s):
    """Close with a reset (SO_LINGER 0): a client that vanishes."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def nfds(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return -1


def sanitizer_clean(log):
    return ("Sanitizer" not in log and "runtime error" not in log
            and "AddressSanitizer" not in log)


class Run:
    """A griotd for one block: checked alive at the end, stopped by
    SIGTERM, exit status 0 and no sanitizer report required."""

    def __init__(self, daemon=None, **kw):
        self.d = daemon if daemon is not None else gt.Daemon(**kw)
        self.old_logs = ""

    def restart(self):
        """Stop, keep the log aside, start again on the same folder."""
        d = self.d
        rc = d.stop()
        gt.ok(rc == 0, "griotd exited 0 before the restart", got=rc)
        self.old_logs += d.read_log()
        os.unlink(d.logpath)
        d.start()

    def __enter__(self):
        return self.d

    def __exit__(self, *exc):
        d = self.d
        failed_before = d.failed_before
        gt.ok(d.alive(), "griotd still alive at the end of the block")
        rc = d.stop()
        gt.ok(rc == 0, "griotd exits 0 on SIGTERM", got=rc, want=0)
        log = self.old_logs + d.read_log()
        gt.ok(sanitizer_clean(log), "no sanitizer report in the daemon log")
        if gt._failed > failed_before or exc[0] is not None:
            gt.diag("griotd log:\n" + log[-20000:])
        shutil.rmtree(d.dir, ignore_errors=True)
        return False


BIG_ID = "2026-01-15-grand-article"


def big_article(target=300 * 1024):
    para = ("Le 15 janvier 2026, à Lomé, l’assemblée a débattu longuement ; "
            "« les œuvres publiques doivent être achevées », a déclaré le "
            "ministre : les travaux reprendront dès février ! Qu’en pensez-vous ? ")
    body = []
    n = 0
    i = 0
    while n < target:
        p = "%d. %s" % (i, para * 6)
        body.append(p)
        n += len(p.encode("utf-8")) + 2
        i += 1
    return ("Title: Un très grand article\nDate: 2026-01-15\nAuthor: Test\n"
            "Category: Essais\n\n" + "\n\n".join(body) + "\n")


# ---------------------------------------------------------------------------
# TLS, deadlines, close_notify (one worker, so a staller would block it).

with Run(timeout=TIMEOUT, workers=1) as d:
    port = d.gemini_port
    url = "gemini://localhost:%d/" % port

    data, how, t = gemini(port, url)
    gt.ok(data.startswith(b"20 "), "Gemini root answered 20", got=data[:60])
    gt.ok(how == "close_notify", "close_notify after a normal response", got=how)

    t = tls_connect(port)
    gt.ok(t.version() == "TLSv1.3", "TLS 1.3 negotiated", got=t.version())
    t.sendall(b"not a url\r\n")
    data, how = read_all(t)
    t.close()
    gt.ok(data.startswith(b"59"), "garbage request answered 59", got=data[:60])
    gt.ok(how == "close_notify", "close_notify after a 59", got=how)

    t = tls_connect(port)
    t.sendall(b"gemini://localhost/" + b"a" * 1100)
    data, how = read_all(t)
    t.close()
    gt.ok(data.startswith(b"59"), "an overlong request without CRLF answered 59", got=data[:60])
    gt.ok(how == "close_notify", "close_notify after the overlong request", got=how)

    t = tls_connect(port, ctx=client_ctx(maxver=ssl.TLSVersion.TLSv1_2))
    gt.ok(t.version() == "TLSv1.2", "TLS 1.2 still accepted", got=t.version())
    gt.ok(t.cipher()[0].startswith("ECDHE-"), "TLS 1.2 uses ECDHE", got=t.cipher())
    t.sendall(url.encode() + b"\r\n")
    data, how = read_all(t)
    t.close()
    gt.ok(data.startswith(b"20 ") and how == "close_notify", "TLS 1.2 request served",
          got=(data[:20], how))

    try:
        t = tls_connect(port, ctx=client_ctx(maxver=ssl.TLSVersion.TLSv1_2,
                                             ciphers="AES128-GCM-SHA256:AES256-SHA"))
        got = t.cipher()
        t.close()
    except (ssl.SSLError, OSError) as e:
        got = "refused: %s" % e.__class__.__name__
    gt.ok(str(got).startswith("refused"), "a client without ECDHE is refused", got=got)

    # Resumption with the session of a first connection (a TLS 1.3
    # ticket, a TLS 1.2 session id: both from the server's cache).
    for ver in (ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2):
        ctx = client_ctx(maxver=ver)
        t = tls_connect(port, ctx=ctx)
        t.sendall(url.encode() + b"\r\n")
        read_all(t)
        sess = t.session
        t.close()
        t = tls_connect(port, ctx=ctx, session=sess)
        reused = t.session_reused
        t.sendall(url.encode() + b"\r\n")
        data, how = read_all(t)
        t.close()
        gt.ok(reused and data.startswith(b"20 "), "%s session resumed" % ver.name,
              got=(reused, data[:10]))

    # SNI: another name or none still gets the certificate and an answer.
    data, how, t = gemini(port, url, sni="other.example")
    gt.ok(data.startswith(b"20 ") and how == "close_notify", "a foreign SNI name still served",
          got=(data[:20], how))
    data, how, t = gemini(port, url, sni=None)
    gt.ok(data.startswith(b"20 ") and how == "close_notify", "no SNI still served",
          got=(data[:20], how))
    data, how, t = gemini(port, "gemini://other.example:%d/" % port, sni="other.example")
    gt.ok(data.startswith(b"53"), "a request for another host gets 53", got=data[:40])

    # One byte then silence; a second client is served meanwhile.
    start = time.monotonic()
    staller = tls_connect(port)
    staller.sendall(b"g")
    data, how, t = gemini(port, url)
    gt.ok(data.startswith(b"20 ") and how == "close_notify",
          "a second client is served while the first stalls", got=(data[:20], how))
    gt.ok(still_open(staller) is True, "the staller is still open when the other is done")
    data, how = read_all(staller, timeout=TIMEOUT + 8)
    elapsed = time.monotonic() - start
    staller.close()
    gt.ok(data == b"" and how == "close_notify", "the staller is closed with close_notify",
          got=(data[:40], how))
    gt.ok(TIMEOUT - 0.5 <= elapsed <= TIMEOUT + 6, "the staller is closed at its deadline",
          got=round(elapsed, 2), want="about %d s" % TIMEOUT)

    # A bare LF cannot end a Gemini request (CRLF must): 59 at once.
    start = time.monotonic()
    t = tls_connect(port)
    t.sendall(url.encode() + b"\n")
    data, how = read_all(t, timeout=TIMEOUT + 8)
    elapsed = time.monotonic() - start
    t.close()
    gt.ok(data.startswith(b"59 ") and how == "close_notify",
          "a request ended by a bare LF gets 59, then close_notify", got=(data[:40], how))
    gt.ok(elapsed < TIMEOUT - 0.5, "the bare-LF request did not wait for the deadline",
          got=round(elapsed, 2))

    # A handshake that never finishes, and a client that says nothing.
    hello = b"\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03\x03" + os.urandom(16)
    for what, payload in (("a handshake that never finishes", hello),
                          ("a silent client", b""),
                          ("a client that sends one byte", b"\x16")):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        if payload:
            s.sendall(payload)
        data, how, elapsed = raw_wait_close(s, TIMEOUT + 8)
        s.close()
        gt.ok(how in ("eof", "reset") and TIMEOUT - 0.5 <= elapsed <= TIMEOUT + 6,
              "%s is closed at the deadline" % what, got=(how, round(elapsed, 2)))

    # Not TLS at all on the TLS port.
    for what, payload in (("plain HTTP", b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"),
                          ("a plain Gemini request", url.encode() + b"\r\n"),
                          ("random bytes", os.urandom(4000)),
                          ("a TLS record of garbage", b"\x16\x03\x01\x00\x20" + os.urandom(32))):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        try:
            s.sendall(payload)
        except OSError:
            pass
        data, how, elapsed = raw_wait_close(s, 10)
        s.close()
        gt.ok(how in ("eof", "reset") and elapsed < TIMEOUT + 1,
              "%s on the TLS port is closed promptly" % what, got=(how, round(elapsed, 2)))
    data, how, t = gemini(port, url)
    gt.ok(data.startswith(b"20 ") and how == "close_notify",
          "still serving after the garbage", got=(data[:20], how))

    # Gopher: the same deadlines on plain TCP.
    gp = d.gopher_port
    menu = gt.gopher(gp, "")
    gt.ok(menu.endswith(b".\r\n") and len(menu) > 3, "Gopher root menu served", got=menu[-20:])
    with socket.create_connection(("127.0.0.1", gp), timeout=10) as s:
        s.sendall(b"/caps.txt")
        s.shutdown(socket.SHUT_WR)
        data, how, elapsed = raw_wait_close(s, 10)
    gt.ok(data.startswith(b"CAPS") and how == "eof",
          "a Gopher selector without line end is answered at the half-close", got=(data[:20], how))
    with socket.create_connection(("127.0.0.1", gp), timeout=10) as s:
        s.sendall(b"/")
        data, how, elapsed = raw_wait_close(s, TIMEOUT + 8)
    gt.ok(data == b"" and how == "eof" and TIMEOUT - 0.5 <= elapsed <= TIMEOUT + 6,
          "a stalled Gopher client is closed at the deadline", got=(data[:40], how, round(elapsed, 2)))
    with socket.create_connection(("127.0.0.1", gp), timeout=10) as s:
        s.sendall(b"x" * 3000)
        data, how, elapsed = raw_wait_close(s, 10)
    gt.ok(len(data) > 0 and how in ("eof", "reset") and elapsed < TIMEOUT,
          "an overlong Gopher request is answered and closed", got=(data[:40], how))
    log = d.read_log()
    gt.ok(re.search(r'127\.0\.0\.1 gemini "gemini://localhost:%d/" 20 \d+ ' % port, log),
          "a Gemini access-log line: client, protocol, request, status, bytes")
    gt.ok(re.search(r'127\.0\.0\.1 gopher "/caps\.txt" \d+ \d+ ', log),
          "a Gopher access-log line: client, protocol, request, status, bytes")


# ---------------------------------------------------------------------------
# The certificate made on first start.

def openssl(*args):
    r = subprocess.run(("openssl",) + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=30)
    return r.stdout.decode("utf-8", "replace")


def norm_fp(s):
    m = re.search(r"(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{64}", s)
    return m.group(0).replace(":", "").lower() if m else None


def griotd_F(d):
    r = subprocess.run([gt.griotd(), "-F", "-c", d.ini], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=30, cwd=d.dir)
    return r.returncode, r.stdout.decode("utf-8", "replace")


run = Run(hostname="capsule.example", timeout=TIMEOUT)
with run as d:
    cert = os.path.join(d.dir, "certs", "cert.pem")
    key = os.path.join(d.dir, "certs", "key.pem")
    gt.ok(os.path.isfile(cert) and os.path.isfile(key), "certificate and key generated")
    mode = stat.S_IMODE(os.stat(key).st_mode)
    gt.ok(mode == 0o600, "the key has mode 0600", got=oct(mode), want="0o600")
    text = openssl("x509", "-noout", "-text", "-in", cert)
    gt.ok("id-ecPublicKey" in text and ("P-256" in text or "prime256v1" in text),
          "the key is ECDSA P-256", got=text[:400])
    gt.ok("DNS:capsule.example" in text, "subjectAltName is the hostname")
    gt.ok("Version: 3" in text, "an X.509 v3 certificate")
    gt.ok("ecdsa-with-SHA256" in text, "signed with SHA-256")
    end = openssl("x509", "-noout", "-enddate", "-in", cert)
    m = re.search(r"(\d{4}) GMT", end)
    year = int(m.group(1)) if m else 0
    gt.ok(year >= time.gmtime().tm_year + 19, "valid for about 20 years", got=end.strip())
    keytext = openssl("pkey", "-noout", "-text", "-in", key)
    gt.ok("P-256" in keytext or "prime256v1" in keytext, "the key file is P-256")

    want = norm_fp(openssl("x509", "-noout", "-fingerprint", "-sha256", "-in", cert))
    rc, out = griotd_F(d)
    gt.ok(rc == 0 and norm_fp(out) == want, "griotd -F prints the certificate's SHA-256",
          got=(rc, out.strip()), want=want)
    gt.ok("SHA256:" + (want or "?") in d.read_log(), "the fingerprint was logged at generation")
    data, how, t = gemini(d.gemini_port, "gemini://capsule.example:%d/" % d.gemini_port,
                          sni="capsule.example")
    gt.ok(data.startswith(b"20 "), "served for its hostname", got=data[:30])
    t = tls_connect(d.gemini_port, sni="capsule.example")
    served = hashlib.sha256(t.getpeercert(binary_form=True)).hexdigest()
    t.close()
    gt.ok(served == want, "the served certificate is the one in the file", got=served, want=want)

    keybytes = open(key, "rb").read()
    run.restart()
    rc, out = griotd_F(d)
    gt.ok(norm_fp(out) == want, "same fingerprint after a restart", got=out.strip(), want=want)
    gt.ok("new self-signed" not in d.read_log(), "no certificate made on restart")
    gt.ok(open(key, "rb").read() == keybytes, "the key is unchanged on restart")

    # The certificate alone lost: a new one for the same key.
    pub = openssl("x509", "-noout", "-pubkey", "-in", cert)
    os.unlink(cert)
    run.restart()
    pub2 = openssl("x509", "-noout", "-pubkey", "-in", cert)
    gt.ok(pub2 == pub and "BEGIN PUBLIC KEY" in pub, "a lost certificate is made again for the same key")
    gt.ok(open(key, "rb").read() == keybytes, "an existing key is never overwritten")
    certbytes = open(cert, "rb").read()

    # The key alone lost: refuse to start, overwrite nothing.
    rc = d.stop()
    gt.ok(rc == 0, "griotd exited 0", got=rc)
    run.old_logs += d.read_log()
    os.unlink(d.logpath)
    os.rename(key, key + ".aside")
    try:
        d.start(timeout=10)
        started = True
    except RuntimeError:
        started = False
    gt.ok(not started, "griotd refuses to start with a certificate but no key")
    if started:
        d.stop()
    gt.ok(open(cert, "rb").read() == certbytes and not os.path.exists(key),
          "the lone certificate is left alone")
    run.old_logs += d.read_log()
    d.proc = None
    os.unlink(d.logpath)
    os.rename(key + ".aside", key)
    d.start()


# ---------------------------------------------------------------------------
# The connection cap.

# One address fills the cap here: max_per_address is off (see test_flood.py).
with Run(max_connections=50, timeout=30, extra="max_per_address = 0\n") as d:
    pid = d.proc.pid
    base_fds = nfds(pid)
    idle = []
    for i in range(50):
        idle.append(socket.create_connection(("127.0.0.1", d.gopher_port if i % 2 else d.gemini_port),
                                             timeout=10))
    # Both listeners must have handed their 25 over before the 51st comes.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and nfds(pid) < base_fds + 50:
        time.sleep(0.02)
    gt.ok(nfds(pid) >= base_fds + 50, "the daemon holds 50 idle connections",
          got=nfds(pid) - base_fds)
    s = socket.create_connection(("127.0.0.1", d.gopher_port), timeout=10)
    try:
        s.sendall(b"\r\n")
    except OSError:
        pass
    data, how, elapsed = raw_wait_close(s, 10)
    s.close()
    gt.ok(data.endswith(b".\r\n") and how == "eof",
          "connection 51 of 50 is served: the oldest idle one made room", got=(data[-20:], how))
    try:
        data, how, t = gemini(d.gemini_port, "gemini://localhost:%d/" % d.gemini_port)
        got = (data[:20], how)
    except (ssl.SSLError, OSError) as e:
        got = "refused: " + e.__class__.__name__
    gt.ok(got[0].startswith(b"20 "), "so is a Gemini client", got=got)
    gt.ok(d.wait_log("max_connections (50) reached", timeout=5), "the cap is logged")
    gt.ok(nfds(pid) <= base_fds + 50, "the cap holds", got=nfds(pid) - base_fds)
    for s in idle:
        s.close()
    menu = b""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            menu = gt.gopher(d.gopher_port, "")
        except OSError:
            menu = b""
        if menu:
            break
        time.sleep(0.05)
    gt.ok(menu.endswith(b".\r\n"), "service resumes once the idle clients left", got=menu[-20:])


# ---------------------------------------------------------------------------
# Many idle clients; per-connection memory.

N_IDLE = 2000
N_TLS_IDLE = 200
with Run(max_connections=N_IDLE + N_TLS_IDLE + 100, timeout=60,
         extra="max_per_address = 0\n") as d:
    pid = d.proc.pid
    base_fds = nfds(pid)
    gemini(d.gemini_port, "gemini://localhost:%d/" % d.gemini_port)
    gt.gopher(d.gopher_port, "")
    rss0 = rss_kib(pid)
    socks = []
    for i in range(N_IDLE):
        socks.append(socket.create_connection(
            ("127.0.0.1", d.gemini_port if i % 2 == 0 else d.gopher_port), timeout=10))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and nfds(pid) < base_fds + N_IDLE:
        time.sleep(0.05)
    gt.ok(nfds(pid) >= base_fds + N_IDLE, "the daemon holds %d idle connections" % N_IDLE,
          got=nfds(pid) - base_fds)
    rss1 = rss_kib(pid)
    per = (rss1 - rss0) * 1024.0 / N_IDLE
    gt.diag("RSS %d KiB before, %d KiB with %d idle connections: %.0f bytes each"
            % (rss0, rss1, N_IDLE, per))
    gt.ok(per < 64 * 1024, "an idle connection costs well under 64 KiB", got="%.0f bytes" % per)
    data, how, t = gemini(d.gemini_port, "gemini://localhost:%d/" % d.gemini_port)
    gt.ok(data.startswith(b"20 ") and how == "close_notify",
          "Gemini still answers with %d idle connections" % N_IDLE, got=(data[:20], how))
    menu = gt.gopher(d.gopher_port, "")
    gt.ok(menu.endswith(b".\r\n"), "Gopher still answers with %d idle connections" % N_IDLE)
    tls = []
    for i in range(N_TLS_IDLE):
        tls.append(tls_connect(d.gemini_port))
    time.sleep(0.2)     # let the last handshakes settle before measuring (a figure, not a check)
    rss2 = rss_kib(pid)
    gt.diag("RSS %d KiB with %d more idle connections past the TLS handshake: %.0f bytes each"
            % (rss2, N_TLS_IDLE, (rss2 - rss1) * 1024.0 / N_TLS_IDLE))
    gt.diag("(under AddressSanitizer freed memory stays in quarantine: the TLS figure is then "
            "an upper bound; measure a plain build)")
    for t in tls:
        t.close()
    for s in socks:
        s.close()


# ---------------------------------------------------------------------------
# Clients that leave mid-response; SIGTERM with a slow reader.

BIG = big_article()
with Run(articles={BIG_ID + ".txt": BIG}, timeout=TIMEOUT) as d:
    gurl = "gemini://localhost:%d/articles/%s.gmi" % (d.gemini_port, BIG_ID)
    gsel = "/articles/%s.txt" % BIG_ID
    full, how, t = gemini(d.gemini_port, gurl)
    gt.ok(full.startswith(b"20 ") and len(full) > 200000 and how == "close_notify",
          "the big article is served whole over Gemini", got=(full[:30], len(full), how))
    gfull = gt.gopher(d.gopher_port, gsel)
    gt.ok(len(gfull) > 200000 and gfull == gt.gopher_text(d, gsel),
          "the big article is served whole over Gopher", got=(len(gfull), gfull[-10:]))

    for i in range(5):
        t = tls_connect(d.gemini_port, rcvbuf=4096)
        t.sendall(gurl.encode() + b"\r\n")
        t.recv(100)
        rst_close(t)
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(10)
        s.connect(("127.0.0.1", d.gopher_port))
        s.sendall(gsel.encode() + b"\r\n")
        s.recv(100)
        rst_close(s)
    # And some that leave before reading anything.
    for i in range(3):
        t = tls_connect(d.gemini_port)
        t.sendall(gurl.encode() + b"\r\n")
        rst_close(t)
        s = socket.create_connection(("127.0.0.1", d.gopher_port), timeout=10)
        s.sendall(gsel.encode() + b"\r\n")
        rst_close(s)
    data, how, t = gemini(d.gemini_port, gurl)
    gt.ok(data == full and how == "close_notify", "Gemini serves on after clients reset mid-response",
          got=(len(data), how), want=len(full))
    data = gt.gopher(d.gopher_port, gsel)
    gt.ok(data == gfull, "Gopher serves on after clients reset mid-response",
          got=len(data), want=len(gfull))

d = gt.Daemon(articles={BIG_ID + ".txt": BIG}, timeout=TIMEOUT)
try:
    gurl = "gemini://localhost:%d/articles/%s.gmi" % (d.gemini_port, BIG_ID)
    gsel = "/articles/%s.txt" % BIG_ID
    full, how, t = gemini(d.gemini_port, gurl)
    gfull = gt.gopher(d.gopher_port, gsel)
    slow = tls_connect(d.gemini_port, rcvbuf=8192)
    slow.sendall(gurl.encode() + b"\r\n")
    gslow = socket.socket()
    gslow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    gslow.settimeout(10)
    gslow.connect(("127.0.0.1", d.gopher_port))
    gslow.sendall(gsel.encode() + b"\r\n")
    got = slow.recv(4096)
    ggot = gslow.recv(4096)
    d.signal(signal.SIGTERM)
    gt.ok(d.wait_log("stopping", timeout=5), "SIGTERM seen")
    refused = False
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not refused:
        try:
            socket.create_connection(("127.0.0.1", d.gopher_port), timeout=2).close()
            time.sleep(0.05)
        except ConnectionRefusedError:
            refused = True
    gt.ok(refused, "no new connections after SIGTERM")
    # Read both slowly, in turn, until the ends.
    chunks, gchunks = [got], [ggot]
    how, ghow = None, None
    deadline = time.monotonic() + 12
    slow.settimeout(5)
    gslow.settimeout(5)
    while time.monotonic() < deadline and (how is None or ghow is None):
        if how is None:
            try:
                b = slow.recv(8192)
                if b:
                    chunks.append(b)
                else:
                    how = "close_notify"
            except ssl.SSLEOFError:
                how = "no close_notify"
            except OSError as e:
                how = "error %s" % e
        if ghow is None:
            try:
                b = gslow.recv(8192)
                if b:
                    gchunks.append(b)
                else:
                    ghow = "eof"
            except OSError as e:
                ghow = "error %s" % e
        time.sleep(0.005)
    slow.close()
    gslow.close()
    data = b"".join(chunks)
    gdata = b"".join(gchunks)
    gt.ok(data == full and how == "close_notify",
          "a slow Gemini reader gets the whole response after SIGTERM", got=(len(data), how),
          want=len(full))
    gt.ok(gdata == gfull and ghow == "eof",
          "a slow Gopher reader gets the whole response after SIGTERM", got=(len(gdata), ghow),
          want=len(gfull))
    try:
        rc = d.proc.wait(15)
    except subprocess.TimeoutExpired:
        rc = "still running"
    gt.ok(rc == 0, "griotd exits 0 once the transfers ended", got=rc, want=0)
    log = d.read_log()
    gt.ok("stopped" in log, "the stop is logged")
    gt.ok(sanitizer_clean(log), "no sanitizer report in the daemon log")
    if gt._failed > d.failed_before:
        gt.diag("griotd log:\n" + log[-20000:])
finally:
    d.stop()
    shutil.rmtree(d.dir, ignore_errors=True)


# ---------------------------------------------------------------------------
# The per-address rate limit.

with Run(extra="rate_limit = 3\n") as d:
    url = "gemini://localhost:%d/" % d.gemini_port
    answers = []
    for i in range(3):
        data, how, t = gemini(d.gemini_port, url)
        answers.append(data[:2])
    gt.ok(answers == [b"20"] * 3, "requests within the limit are served", got=answers)
    data, how, t = gemini(d.gemini_port, url)
    gt.ok(data == b"44 60\r\n" and how == "close_notify", "over the limit: 44 60 on Gemini",
          got=(data[:40], how))
    data = gt.gopher(d.gopher_port, "")
    gt.ok(data.startswith(b"3"), "over the limit: a type-3 line on Gopher", got=data[:60])
    gt.ok(d.wait_log_re(r'gemini "[^"]*" 44 '), "the 44 is in the access log")


# ---------------------------------------------------------------------------
# The PROXY protocol: [gemini] and [gopher] proxy_protocol = yes.

def proxy_v1(src, sport=40000, dst="192.0.2.254", dport=70):
    fam = "TCP6" if ":" in src else "TCP4"
    return ("PROXY %s %s %s %d %d\r\n" % (fam, src, dst, sport, dport)).encode()


def proxy_v2(src=None, sport=40000, dst=None, dport=70, tlvs=b""):
    """A version 2 header: PROXY with "src", or LOCAL when src is None."""
    sig = b"\r\n\r\n\x00\r\nQUIT\n"
    if src is None:
        return sig + b"\x20\x00" + struct.pack(">H", len(tlvs)) + tlvs
    if ":" in src:
        fam, af = 0x21, socket.AF_INET6
        dst = dst or "2001:db8::fe"
    else:
        fam, af = 0x11, socket.AF_INET
        dst = dst or "192.0.2.254"
    body = (socket.inet_pton(af, src) + socket.inet_pton(af, dst)
            + struct.pack(">HH", sport, dport) + tlvs)
    return sig + bytes([0x21, fam]) + struct.pack(">H", len(body)) + body


def gopher_via(port, header, request, pieces=1):
    """A Gopher request behind a PROXY header, the header cut in "pieces"
    sends; every byte until the server closes (b"" when it closes first)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        step = max(1, len(header) // pieces)
        for i in range(0, len(header), step):
            s.sendall(header[i:i + step])
            if pieces > 1:
                time.sleep(0.05)    # separate segments, not a readiness wait
        try:
            s.sendall(request)
        except OSError:
            pass
        data, how, elapsed = raw_wait_close(s, 10)
    return data


def gemini_via(port, header, url):
    """A Gemini request behind a PROXY header: (answer, how it ended)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    raw.sendall(header)
    t = client_ctx().wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False)
    try:
        t.sendall(url.encode() + b"\r\n")
        return read_all(t)
    finally:
        t.close()


d0 = gt.Daemon(start=False, timeout=TIMEOUT, extra="rate_limit = 3\n")
with open(d0.ini) as f:
    ini = f.read()
ini = ini.replace("auto_cert = yes\n", "auto_cert = yes\nproxy_protocol = yes\n")
ini = ini.replace("charset = utf-8\n", "charset = utf-8\nproxy_protocol = yes\n")
with open(d0.ini, "w") as f:
    f.write(ini)
d0.start()
with Run(daemon=d0) as d:
    gp, gm = d.gopher_port, d.gemini_port
    home = "gemini://localhost:%d/" % gm

    data = gopher_via(gp, proxy_v1("192.0.2.10"), b"/caps.txt\r\n")
    gt.ok(data.startswith(b"CAPS"), "Gopher behind a v1 header is served", got=data[:40])
    data = gopher_via(gp, proxy_v2("2001:db8::7", 1234), b"/robots.txt\r\n")
    gt.ok(data.startswith(b"User-agent"), "Gopher behind a v2 header (IPv6) is served",
          got=data[:40])
    data = gopher_via(gp, proxy_v2("192.0.2.11", tlvs=b"\x04\x00\x03abc"), b"/\r\n")
    gt.ok(data.endswith(b".\r\n"), "a v2 header with TLVs: they are skipped", got=data[-20:])
    data = gopher_via(gp, proxy_v1("192.0.2.12"), b"/archive/\r\n", pieces=4)
    gt.ok(data.endswith(b".\r\n"), "a v1 header that arrives in four pieces", got=data[-20:])
    data = gopher_via(gp, proxy_v2("192.0.2.13"), b"/categories/\r\n", pieces=5)
    gt.ok(data.endswith(b".\r\n"), "a v2 header that arrives in five pieces", got=data[-20:])
    ans, how = gemini_via(gm, proxy_v1("198.51.100.20", dport=1965), home + "?v1")
    gt.ok(ans.startswith(b"20 ") and how == "close_notify",
          "Gemini behind a v1 header: TLS, then the request", got=(ans[:20], how))
    ans, how = gemini_via(gm, proxy_v2("203.0.113.5", dport=1965), home + "?v2")
    gt.ok(ans.startswith(b"20 ") and how == "close_notify",
          "Gemini behind a v2 header", got=(ans[:20], how))
    ans, how = gemini_via(gm, proxy_v2(None), home + "?local")
    gt.ok(ans.startswith(b"20 "), "Gemini behind a v2 LOCAL header", got=(ans[:20], how))
    data = gopher_via(gp, b"PROXY UNKNOWN\r\n", b"/pages/\r\n")
    gt.ok(len(data) > 0, "Gopher behind a v1 UNKNOWN header is answered", got=data[:40])

    log = d.read_log()
    for addr, proto, req in (("192.0.2.10", "gopher", "/caps.txt"),
                             ("2001:db8::7", "gopher", "/robots.txt"),
                             ("192.0.2.12", "gopher", "/archive/"),
                             ("198.51.100.20", "gemini", home + "?v1"),
                             ("203.0.113.5", "gemini", home + "?v2"),
                             ("127.0.0.1", "gemini", home + "?local"),
                             ("127.0.0.1", "gopher", "/pages/")):
        gt.ok(re.search(r'Z %s %s "%s" \d+ ' % (re.escape(addr), proto, re.escape(req)), log),
              "the access log names %s for %s %s" % (addr, proto, req))

    # The rate limit (3 a minute) counts per address in the header.
    answers = [gopher_via(gp, proxy_v1("192.0.2.50"), b"/caps.txt\r\n")[:4] for i in range(3)]
    gt.ok(answers == [b"CAPS"] * 3, "three requests from 192.0.2.50 are served", got=answers)
    data = gopher_via(gp, proxy_v1("192.0.2.50"), b"/caps.txt\r\n")
    gt.ok(data.startswith(b"3"), "the fourth from 192.0.2.50 is over the limit", got=data[:40])
    ans, how = gemini_via(gm, proxy_v2("192.0.2.50"), home)
    gt.ok(ans == b"44 60\r\n", "and so is a Gemini one from the same address", got=ans[:40])
    data = gopher_via(gp, proxy_v1("192.0.2.51"), b"/caps.txt\r\n")
    gt.ok(data.startswith(b"CAPS"), "another address behind the same balancer is served",
          got=data[:40])

    # Anything but a valid header: closed, unanswered, logged once a minute.
    for what, payload in (("a Gopher request without a header", b"/caps.txt\r\n"),
                          ("a TLS ClientHello without a header",
                           b"\x16\x03\x01\x00\xc8\x01\x00\x00\xc4\x03\x03" + os.urandom(16)),
                          ("a v1 header with a bad address",
                           b"PROXY TCP4 192.0.2.300 192.0.2.1 1 2\r\n/\r\n"),
                          ("a v1 header without CRLF in 107 bytes",
                           b"PROXY UNKNOWN " + b"x" * 120 + b"\r\n/\r\n"),
                          ("a v1 header ended by LF", b"PROXY TCP4 192.0.2.1 192.0.2.2 1 2\n/\n"),
                          ("a v2 header longer than 1024 bytes",
                           b"\r\n\r\n\x00\r\nQUIT\n\x21\x11\x04\x00" + b"\x00" * 1100)):
        with socket.create_connection(("127.0.0.1", gp), timeout=10) as s:
            try:
                s.sendall(payload)
            except OSError:
                pass
            data, how, elapsed = raw_wait_close(s, 10)
        gt.ok(data == b"" and how in ("eof", "reset") and elapsed < TIMEOUT,
              "%s: closed at once, unanswered" % what, got=(data[:40], how, round(elapsed, 2)))
    try:
        t = tls_connect(gm)
        t.sendall(home.encode() + b"\r\n")
        got = read_all(t)
        t.close()
    except (ssl.SSLError, OSError) as e:
        got = "refused: " + e.__class__.__name__
    gt.ok(str(got).startswith("refused"), "a Gemini client without a header gets no TLS",
          got=got)
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", gp), timeout=10) as s:
        s.sendall(b"PROXY TCP4 192.0.2.")
        data, how, elapsed = raw_wait_close(s, TIMEOUT + 8)
    gt.ok(data == b"" and TIMEOUT - 0.5 <= elapsed <= TIMEOUT + 6,
          "a header that never ends is closed at request_timeout",
          got=(data[:40], how, round(elapsed, 2)))
    data = gopher_via(gp, proxy_v1("192.0.2.60"), b"/caps.txt\r\n")
    gt.ok(data.startswith(b"CAPS"), "still serving after the bad headers", got=data[:40])
    log = d.read_log()
    gt.ok(log.count("no valid PROXY protocol header") == 1,
          "eight bad headers, one warning in the log (once a minute)",
          got=log.count("no valid PROXY protocol header"))
    gt.ok("127.0.0.1: gopher connection closed: no valid PROXY protocol header" in log
          and "not a PROXY header" in log, "the warning says which listener and why",
          got=[l for l in log.splitlines() if "PROXY" in l])
    # The one over the rate limit was answered before its selector was
    # read: its line has an empty request.
    gt.ok(log.count('gopher "/caps.txt"') == 6 and
          re.search(r'Z 192\.0\.2\.50 gopher "" 429 ', log) is not None,
          "six answers to /caps.txt logged, the limited one without its selector, none for "
          "the connections closed unanswered", got=log.count('gopher "/caps.txt"'))


# ---------------------------------------------------------------------------
# The response cache key: bytes the answer does not depend on make no new
# entry (counted from the "cache hit" / "cache miss" debug lines of one
# worker, -v).

with Run(workers=1, args=("-v",)) as d:
    gp, gm = d.gopher_port, d.gemini_port
    gid = "2024-11-28-gpsa-paix-securite"
    sel = "/articles/%s.txt" % gid

    def misses():
        return d.read_log().count("cache miss")

    def hits():
        return d.read_log().count("cache hit")

    first = gt.gopher(gp, sel)
    m0, h0 = misses(), hits()
    variants = [(sel + "\tjunk%d\r\n" % i).encode() for i in range(30)]
    variants += [(sel + "\n").encode(), sel[1:].encode() + b"\r\n",
                 (sel + "\t\r\n").encode(), (sel + "\tmore\t+\r\n").encode()]
    answers = set(gt.gopher(gp, "", raw=v) for v in variants)
    gt.ok(answers == {first} and first.endswith(b".\r\n"),
          "a Gopher article with search words, another line end or no leading / "
          "is the same answer", got=[a[:40] for a in answers])
    gt.ok(d.wait_log("cache hit", count=h0 + len(variants)) and misses() == m0,
          "%d variants of an article selector are all cache hits, no new entry" % len(variants),
          got=(misses() - m0, hits() - h0), want=(0, len(variants)))

    m0 = misses()
    a1 = gt.gopher(gp, "", raw=b"/search\tsecurite\r\n")
    a2 = gt.gopher(gp, "", raw=b"/search\tpaix\r\n")
    a3 = gt.gopher(gp, "", raw=b"/search\tsecurite\r\n")
    gt.ok(a1 != a2 and a1 == a3 and b"paix" in a2.lower(),
          "search words still make the answer of a search", got=(a1[:60], a2[:60]))
    gt.ok(misses() == m0 + 2, "two searches, two cache entries; the same one again is a hit",
          got=misses() - m0, want=2)
    m0 = misses()
    p1 = gt.gopher(gp, "", raw=b"/ascii\t+\r\n")
    p2 = gt.gopher(gp, "", raw=b"/ascii\t+more\r\n")
    gt.ok(p1 == p2 and p1.startswith(b"+") and misses() == m0 + 1,
          "a Gopher+ probe is one entry per view", got=(p1[:20], misses() - m0))

    url = "gemini://localhost:%d/articles/%s.gmi" % (gm, gid)
    first = gemini(gm, url)[0]
    m0, h0 = misses(), hits()
    urls = [url + "?junk%d" % i for i in range(10)]
    urls += ["gemini://LOCALHOST:%d/articles/%s.gmi" % (gm, gid),
             "gemini://localhost:%d/articles/%%32%s.gmi" % (gm, gid[1:]),
             "GEMINI://localhost.:%d/articles/%s.gmi?" % (gm, gid)]
    answers = set(gemini(gm, u)[0] for u in urls)
    gt.ok(answers == {first} and first.startswith(b"20 "),
          "a Gemini article with a query, another case or an escape is the same answer",
          got=[a[:40] for a in answers])
    gt.ok(d.wait_log("cache hit", count=h0 + len(urls)) and misses() == m0,
          "%d variants of a Gemini URL are all cache hits, no new entry" % len(urls),
          got=(misses() - m0, hits() - h0), want=(0, len(urls)))
    data = gt.gopher(gp, "", raw=proxy_v1("192.0.2.1") + b"/caps.txt\r\n")
    gt.ok(data.startswith(b"3"), "without proxy_protocol, a PROXY line is a selector: an error",
          got=data[:60])
    s1 = gemini(gm, "gemini://localhost:%d/search?securite" % gm)[0]
    s2 = gemini(gm, "gemini://localhost:%d/search?paix" % gm)[0]
    gt.ok(s1 != s2 and s1.startswith(b"20 ") and s2.startswith(b"20 "),
          "a Gemini search still depends on its query", got=(s1[:60], s2[:60]))


# ---------------------------------------------------------------------------
# Reloads: SIGHUP and a store change seen without a signal; IPv6.

d0 = gt.Daemon(start=False)
with open(d0.ini) as f:
    ini = f.read()
with open(d0.ini, "w") as f:
    f.write(ini.replace("listen = 127.0.0.1", "listen = 127.0.0.1, ::1"))
d0.start()
with Run(daemon=d0) as d:
    gt.ok(d.wait_log("listening on", count=4), "four listeners: IPv4 and IPv6 for each protocol")
    try:
        data, how, t = gemini(d.gemini_port, "gemini://localhost:%d/" % d.gemini_port, host="::1")
    except OSError as e:
        data, how = b"", str(e)
    gt.ok(data.startswith(b"20 "), "Gemini answers on ::1", got=(data[:20], how))
    try:
        menu = gt.gopher(d.gopher_port, "", host="::1")
    except OSError as e:
        menu = str(e).encode()
    gt.ok(menu.endswith(b".\r\n"), "Gopher answers on ::1", got=menu[-20:])

    n = d.read_log().count("reloaded")
    d.signal(signal.SIGHUP)
    gt.ok(d.wait_log("reloaded", count=n + 1), "SIGHUP reloads")
    data, how, t = gemini(d.gemini_port, "gemini://localhost:%d/" % d.gemini_port)
    gt.ok(data.startswith(b"20 "), "served after the reload", got=data[:20])

    n = d.read_log().count("store changed")
    path = os.path.join(d.dir, "articles", "2026-03-01-nouveau.txt")
    with open(path + ".tmp", "w") as f:
        f.write("Title: Un article tout neuf\nDate: 2026-03-01\n\nBonjour.\n")
    os.rename(path + ".tmp", path)
    gt.ok(d.wait_log("store changed", count=n + 1), "a new article is seen without a signal")
    data, how, t = gemini(d.gemini_port, "gemini://localhost:%d/articles/2026-03-01-nouveau.gmi"
                          % d.gemini_port)
    gt.ok(data.startswith(b"20 ") and "tout neuf".encode() in data, "the new article is served",
          got=data[:80])
    os.unlink(path)
    gt.ok(d.wait_log("store changed", count=n + 2), "a removed article is seen without a signal")
    data, how, t = gemini(d.gemini_port, "gemini://localhost:%d/articles/2026-03-01-nouveau.gmi"
                          % d.gemini_port)
    gt.ok(data.startswith(b"51"), "the removed article is gone", got=data[:40])


# ---------------------------------------------------------------------------
# Both workers accept (SO_REUSEPORT); the response cache never serves stale
# or foreign bytes.

def listen_sockets(pid, port):
    """How many LISTEN sockets on "port" the process holds."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if (fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port
                            and fields[9] in inodes):
                        n += 1
        except OSError:
            pass
    return n


def tls_exchange(port, url, ctx, session=None, timeout=10):
    """One Gemini request through a TLS object on memory buffers, so that
    every byte the server sent is seen: (answer, server bytes, session,
    resumed, version)."""
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname="localhost", session=session)
    raw = bytearray()
    answer = bytearray()
    deadline = time.monotonic() + timeout
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        def more():
            pending = out.read()
            if pending:
                s.sendall(pending)
            b = s.recv(65536)
            if b:
                raw.extend(b)
                inc.write(b)
            else:
                inc.write_eof()
        while time.monotonic() < deadline:
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                more()
        obj.write(url.encode() + b"\r\n")
        while time.monotonic() < deadline:
            try:
                b = obj.read(65536)
            except ssl.SSLWantReadError:
                more()
                continue
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                break
            if not b:
                break
            answer.extend(b)
    return bytes(answer), bytes(raw), obj.session, obj.session_reused, obj.version()


def tls_records(raw):
    """The TLS record types in a byte stream (20 change_cipher_spec,
    22 handshake, 23 application data, 21 alert)."""
    types = []
    i = 0
    while i + 5 <= len(raw):
        types.append(raw[i])
        i += 5 + struct.unpack(">H", raw[i + 3:i + 5])[0]
    return types


def thread_cpu(pid):
    """Nanoseconds on CPU per thread id (schedstat), or ticks (stat)."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                out[int(tid)] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            try:
                with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                out[int(tid)] = int(fields[11]) + int(fields[12])
            except (OSError, ValueError, IndexError):
                pass
    return out


def griotd_q(d, url):
    r = subprocess.run([gt.griotd(), "-q", url, "-c", d.ini], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30, cwd=d.dir)
    return r.stdout


def fetch_many(fn, n):
    """n answers of fn(): the set of distinct answers."""
    seen = set()
    for i in range(n):
        seen.add(fn())
    return seen


GPSA_ID = "2024-11-28-gpsa-paix-securite"
HUGE_ID = "2026-01-16-article-geant"
d0 = gt.Daemon(start=False, workers=2,
               articles={BIG_ID + ".txt": BIG, HUGE_ID + ".txt": big_article(1300 * 1024),
                         GPSA_ID + ".txt": open(gt.testdata("articles", GPSA_ID + ".txt"),
                                                encoding="utf-8").read()})
with open(d0.ini) as f:
    ini = f.read()
with open(d0.ini, "w") as f:
    f.write(ini.replace("[capsule]\n", "[capsule]\nmax_article_size = 4M\n", 1))
d0.start()
with Run(daemon=d0) as d:
    pid = d.proc.pid
    gp, gm = d.gopher_port, d.gemini_port
    gt.ok(listen_sockets(pid, gp) == 2 and listen_sockets(pid, gm) == 2,
          "one listening socket per worker and protocol",
          got=(listen_sockets(pid, gp), listen_sockets(pid, gm)), want=(2, 2))
    gt.ok(d.read_log().count("listening on") == 2, "still one \"listening on\" line per address")

    # Many connections: the kernel spreads them over both workers' sockets.
    before = thread_cpu(pid)
    gsel = "/articles/%s.txt" % BIG_ID
    answers = fetch_many(lambda: gt.gopher(gp, gsel), 150)
    after = thread_cpu(pid)
    busy = [t for t in after if t != pid and after[t] > before.get(t, 0)]
    gt.ok(len(answers) == 1 and next(iter(answers)) == gt.gopher_text(d, gsel),
          "150 Gopher answers for the big article, all the same", got=len(answers))
    gt.ok(len(busy) >= 2, "both worker threads served connections",
          got={t: after[t] - before.get(t, 0) for t in after})

    # Cached bytes are exactly the handler's bytes (griotd -q, no cache).
    home = "gemini://localhost:%d/" % gm
    art = "gemini://localhost:%d/articles/%s.gmi" % (gm, GPSA_ID)
    for what, fn, url in (
            ("Gopher root menu", lambda: gt.gopher(gp, ""), "gopher://localhost:%d/1/" % gp),
            ("Gopher article", lambda: gt.gopher(gp, "/articles/%s.txt" % GPSA_ID),
             "gopher://localhost:%d/0/articles/%s.txt" % (gp, GPSA_ID)),
            ("Gopher ASCII article", lambda: gt.gopher(gp, "/ascii/articles/%s.txt" % GPSA_ID),
             "gopher://localhost:%d/0/ascii/articles/%s.txt" % (gp, GPSA_ID)),
            ("Gemini home", lambda: gemini(gm, home)[0], home),
            ("Gemini article", lambda: gemini(gm, art)[0], art)):
        seen = fetch_many(fn, 12)
        want = griotd_q(d, url)
        gt.ok(seen == {want} and len(want) > 100,
              "%s: 12 answers from the cache equal griotd -q" % what,
              got=[x[:60] for x in seen], want=want[:60])
    gt.ok(gt.gopher(gp, "/ascii/articles/%s.txt" % GPSA_ID) !=
          gt.gopher(gp, "/articles/%s.txt" % GPSA_ID), "different selectors, different answers")

    # The same bytes on both protocols are different requests.
    line = home.encode() + b"\r\n"
    g1 = fetch_many(lambda: gt.gopher(gp, "", raw=line), 6)
    m1 = fetch_many(lambda: gemini(gm, home)[0], 6)
    gt.ok(len(g1) == 1 and len(m1) == 1 and not next(iter(g1)).startswith(b"20 ")
          and next(iter(m1)).startswith(b"20 "),
          "a Gemini URL sent over Gopher is not answered from the Gemini cache",
          got=[x[:30] for x in g1 | m1])

    # Over SERVER_CACHE_ITEM_MAX: served whole each time, not kept.
    hsel = "/articles/%s.txt" % HUGE_ID
    h1 = gt.gopher(gp, hsel, timeout=30)
    h2 = gt.gopher(gp, hsel, timeout=30)
    hurl = "gemini://localhost:%d/articles/%s.gmi" % (gm, HUGE_ID)
    m1, how1, t = gemini(gm, hurl)
    m2, how2, t = gemini(gm, hurl)
    gt.ok(len(h1) > 1024 * 1024 and h1 == h2 and h1 == gt.gopher_text(d, hsel),
          "a Gopher answer over 1 MiB is served whole, twice", got=(len(h1), len(h2)))
    gt.ok(len(m1) > 1024 * 1024 and m1 == m2 and how1 == how2 == "close_notify",
          "a Gemini answer over 1 MiB is served whole, twice", got=(len(m1), len(m2), how1, how2))

    # Extra bytes after the request line: still answered, and closed cleanly.
    data = gt.gopher(gp, "", raw=b"/caps.txt\r\nsomething more\r\n")
    gt.ok(data.startswith(b"CAPS") and data.endswith(b".\r\n"),
          "a Gopher request followed by more bytes is answered whole", got=data[:20])
    t = tls_connect(gm)
    t.sendall(home.encode() + b"\r\nmore bytes\r\n")
    data, how = read_all(t)
    t.close()
    gt.ok(data.startswith(b"20 ") and how == "close_notify",
          "a Gemini request followed by more bytes is answered, then close_notify",
          got=(data[:20], how))

    # SIGHUP with a changed ini: every answer is new, from both workers.
    old_root = gt.gopher(gp, "")
    old_home = gemini(gm, home)[0]
    gt.ok(b"Capsule de test" in old_root and b"Capsule de test" in old_home,
          "the capsule name is in the cached root pages")
    with open(d.ini) as f:
        ini = f.read()
    with open(d.ini, "w") as f:
        f.write(ini.replace("name = Capsule de test", "name = Capsule rebaptis\u00e9e"))
    n = d.read_log().count("reloaded")
    d.signal(signal.SIGHUP)
    gt.ok(d.wait_log("reloaded", count=n + 1), "SIGHUP reloads the changed ini")
    roots = fetch_many(lambda: gt.gopher(gp, ""), 20)
    homes = fetch_many(lambda: gemini(gm, home)[0], 20)
    gt.ok(roots == {griotd_q(d, "gopher://localhost:%d/1/" % gp)}
          and "Capsule rebaptisée".encode() in next(iter(roots)),
          "after SIGHUP every Gopher root menu has the new name (no stale cache entry)",
          got=[x[:80] for x in roots])
    gt.ok(homes == {griotd_q(d, home)} and "Capsule rebaptisée".encode() in next(iter(homes)),
          "after SIGHUP every Gemini home page has the new name (no stale cache entry)",
          got=[x[:80] for x in homes])

    # A store change seen by inotify: the changed article, never the old one.
    gsel = "/articles/%s.txt" % GPSA_ID
    old_g = gt.gopher(gp, gsel)
    old_m = gemini(gm, art)[0]
    path = os.path.join(d.dir, "articles", GPSA_ID + ".txt")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    n = d.read_log().count("store changed")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text.replace("\n\n", "\n\nUn paragraphe ajouté après coup.\n\n", 1))
    os.rename(path + ".tmp", path)
    gt.ok(d.wait_log("store changed", count=n + 1), "the changed article is seen without a signal")
    gs = fetch_many(lambda: gt.gopher(gp, gsel), 20)
    ms = fetch_many(lambda: gemini(gm, art)[0], 20)
    gt.ok(len(gs) == 1 and old_g not in gs and "ajouté après coup".encode() in next(iter(gs)),
          "after a store change every Gopher answer is the new article", got=[x[:60] for x in gs])
    gt.ok(len(ms) == 1 and old_m not in ms and "ajouté après coup".encode() in next(iter(ms)),
          "after a store change every Gemini answer is the new article", got=[x[:60] for x in ms])

    # TLS 1.3: a resumed handshake still gets a fresh ticket (the server
    # speaks after the client's Finished, so its request is not held back).
    ctx = client_ctx(maxver=ssl.TLSVersion.TLSv1_3)
    t = tls_connect(gm, ctx=ctx)
    t.sendall(home.encode() + b"\r\n")
    read_all(t)
    s1 = t.session
    t.close()
    t = tls_connect(gm, ctx=ctx, session=s1)
    t.sendall(home.encode() + b"\r\n")
    data, how = read_all(t)
    s2 = t.session
    reused = t.session_reused
    t.close()
    gt.ok(reused and data.startswith(b"20 ") and s2 is not None and s2.id != s1.id,
          "a resumed TLS 1.3 session gets a fresh ticket", got=(reused, data[:10]))
    start = time.monotonic()
    for i in range(5):
        t = tls_connect(gm, ctx=ctx, session=s2)
        t.sendall(home.encode() + b"\r\n")
        read_all(t)
        s2 = t.session
        t.close()
    gt.diag("5 resumed TLS 1.3 requests: %.1f ms each (a figure, not a check)"
            % ((time.monotonic() - start) * 200))

    # What TLS costs a reader on a slow link, in bytes from the server
    # beyond the answer (bench/slowlink.sh: 850 for a new session, 350
    # for a resumed one): a small session id as the ticket, a small
    # certificate, no dummy change_cipher_spec.
    ctx = client_ctx(maxver=ssl.TLSVersion.TLSv1_3)
    ans, raw, sess, reused, ver = tls_exchange(gm, art, ctx)
    gt.ok(ans.startswith(b"20 ") and ver == "TLSv1.3" and not reused,
          "a new TLS 1.3 session through memory buffers", got=(ans[:10], ver, reused))
    gt.ok(len(raw) - len(ans) <= 850, "a new TLS 1.3 session costs at most 850 bytes",
          got=len(raw) - len(ans), want="<= 850")
    gt.ok(20 not in tls_records(raw), "no change_cipher_spec record from the server in TLS 1.3",
          got=tls_records(raw))
    der = open(os.path.join(d.dir, "certs", "cert.pem")).read()
    der = ssl.PEM_cert_to_DER_cert(der)
    # 340 bytes for a host name; localhost's names 127.0.0.1 and ::1 too
    # (26 bytes more), so that clients that check the name accept it there.
    gt.ok(len(der) <= 366, "the generated certificate is small (DER)", got=len(der), want="<= 366")
    ans, raw, sess2, reused, ver = tls_exchange(gm, art, ctx, session=sess)
    gt.ok(ans.startswith(b"20 ") and reused, "the session resumes", got=(ans[:10], reused))
    gt.ok(len(raw) - len(ans) <= 350, "a resumed TLS 1.3 session costs at most 350 bytes",
          got=len(raw) - len(ans), want="<= 350")
    gt.ok(sess2 is not None and sess2.has_ticket and sess2.id != sess.id,
          "the resumed session brought a fresh ticket")

    # One session cache for both workers: whichever worker the kernel
    # gives the next connection to, the session resumes.
    before = thread_cpu(pid)
    resumed = []
    sess = sess2
    for i in range(24):
        ans, raw, nsess, reused, ver = tls_exchange(gm, art, ctx, session=sess)
        resumed.append(bool(reused) and ans.startswith(b"20 "))
        sess = nsess
    after = thread_cpu(pid)
    busy = [t for t in after if t != pid and after[t] > before.get(t, 0)]
    gt.ok(all(resumed), "24 resumptions in a row, each from the last one's ticket, all resume",
          got=resumed)
    gt.ok(len(busy) >= 2, "both workers resumed sessions",
          got={t: after[t] - before.get(t, 0) for t in after})

gt.done()
