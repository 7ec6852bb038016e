# griot: end-to-end tests of the web door.  Copyright (c) 2026 the griot developers; ISC licence.
"""The real griotd serving the sample capsule over HTTP, read by real clients.

curl (GET, HEAD, gzip, 304 round trips), Python's http.client and a raw
socket (keep-alive, pipelining), lynx, w3m and links (-dump of the GPSA
article in the three charset views), headless Chromium (a screenshot and
the DOM), tidy (every page type is valid HTML 3.2 or 4.01 Transitional),
and the hostile requests: each gets its 4xx or a closed connection, and
none of them holds up a reader served at the same time.  A client whose
binary is missing is skipped, with the reason.
"""

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

GPSA_ID = "2024-11-28-gpsa-paix-securite"
GPSA = "/articles/%s.html" % GPSA_ID
TITLE = "Pour la paix et la sécurité, le ministre Robert Dussey veut créer un cadre fédérateur"
TIMEOUT = 2     # [server] request_timeout: the slowloris test waits for it
HOME = tempfile.mkdtemp(prefix="griot-http-home-")
ENV = dict(os.environ, HOME=HOME, LC_ALL="C.UTF-8")


def capsule(*parts):
    return os.path.join(gt.srcdir(), "capsule", *parts)


def skip(what, binary):
    """One skipped check when a client is missing; 1 when it is there."""
    if shutil.which(binary) is not None:
        return 1
    print("ok %d - %s # SKIP %s is not installed" % (gt._n + 1, what, binary), flush=True)
    gt._n += 1
    return 0


def run(argv, timeout=60, **kw):
    return subprocess.run(argv, capture_output=True, timeout=timeout, env=ENV, **kw)


def is_kept(data):
    """One whole response that keeps the connection open."""
    r = responses(data)
    return (len(r) == 1 and r[0][1].get("connection", "").lower() == "keep-alive" and
            len(data.partition(b"\r\n\r\n")[2]) >= int(r[0][1].get("content-length", "0")))


def raw(port, data, timeout=5, heads=(), until_close=False):
    """Send "data", read until the server closes or "timeout" passes, or
    (unless "until_close") until one whole response that keeps the
    connection open came."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                b = s.recv(65536)
                if not b:
                    return out, True
                out += b
                if not until_close and not heads and is_kept(out):
                    return out, False
        except socket.timeout:
            pass
        except ConnectionResetError:
            return out, True
        return out, False


def responses(data, heads=()):
    """Split the bytes of responses (each with Content-Length or no body);
    "heads" are the indexes of the answers to HEAD requests."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.split(b"\r\n")
        hdrs = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            hdrs[k.strip().lower().decode()] = v.strip().decode("latin-1")
        status = int(lines[0].split()[1])
        n = int(hdrs.get("content-length", "0"))
        if status == 304 or len(out) in heads:
            n = 0
        out.append((status, hdrs, rest[:n]))
        data = rest[n:]
    return out


def status_of(data):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", data)
    return int(m.group(1)) if m else None


def curl(port, path, *args):
    dump = [] if "-I" in args else ["-D", "-"]
    r = run(["curl", "-s", "--max-time", "10"] + dump + list(args) +
            ["http://127.0.0.1:%d%s" % (port, path)], timeout=30)
    return responses(r.stdout, heads=(0,) if "-I" in args else ())


def main():
    if shutil.which("curl") is None:
        gt.skip_all("curl is not installed")
    port = gt.free_port()
    extra = "\n[http]\nenabled = yes\nlisten = 127.0.0.1\nport = %d\n" % port
    with gt.Daemon(articles=capsule("articles"), pages=capsule("pages"),
                   gemini=False, timeout=TIMEOUT, extra=extra,
                   args=("-v",)) as d:
        gt.ok(d.wait_log("port %d (http)" % port), "listening on the HTTP port")
        basics(d, port)
        keepalive(d, port)
        conditional(port)
        text_browsers(port)
        chromium(port)
        tidy(port)
        hostile(d, port)
    ratelimit()
    reload_and_stop()
    shutil.rmtree(HOME, ignore_errors=True)
    gt.done()


def basics(d, port):
    r = curl(port, "/")
    gt.ok(len(r) == 1 and r[0][0] == 200, "GET / is 200", got=[x[0] for x in r])
    status, hdrs, body = r[0]
    gt.ok(hdrs.get("content-type", "").lower().replace(" ", "") ==
          "text/html;charset=iso-8859-1",
          "no Accept-Charset: ISO-8859-1, declared in Content-Type",
          got=hdrs.get("content-type"))
    gt.ok(re.search(rb'<meta http-equiv="?content-type"?[^>]*charset=iso-8859-1', body, re.I) is not None,
          "and in a <meta http-equiv>")
    gt.ok(b"<meta name=" in body.lower() and b"viewport" in body.lower(), "a <meta name=viewport>")
    gt.ok(len(body) <= 16384, "the home page within 16 KiB", got=len(body))
    h = curl(port, "/", "-I")
    gt.ok(len(h) == 1 and h[0][0] == 200 and h[0][2] == b"", "HEAD / is 200, no body")
    gt.ok(h and h[0][1].get("content-length") == str(len(body)),
          "HEAD gives GET's Content-Length",
          got=h and h[0][1].get("content-length"), want=len(body))
    u = curl(port, "/", "-H", "Accept-Charset: utf-8, iso-8859-1;q=0.5")
    gt.ok(u and "utf-8" in u[0][1].get("content-type", "").lower(),
          "Accept-Charset utf-8 first: UTF-8", got=u and u[0][1].get("content-type"))
    a = curl(port, "/utf8" + GPSA)
    gt.ok(a and a[0][0] == 200 and TITLE.encode() in a[0][2], "/utf8/ article has its title in UTF-8")
    a = curl(port, "/latin1" + GPSA)
    gt.ok(a and a[0][0] == 200 and TITLE.encode("latin-1") in a[0][2] and
          b"&#" not in a[0][2].split(b"<body", 1)[-1],
          "/latin1/ article: ISO-8859-1 bytes, no numeric references")
    gt.ok(d.wait_log_re(r'127\.0\.0\.1 http "GET / HTTP/1\.1" 200 \d+ '),
          "the access log has the request line, protocol http")

    # gzip: decoded, the same bytes as without.
    plain = curl(port, "/utf8" + GPSA)
    z = run(["curl", "-s", "--max-time", "10", "-D", "-", "-o", "-", "-H",
             "Accept-Encoding: gzip", "http://127.0.0.1:%d/utf8%s" % (port, GPSA)]).stdout
    zr = responses(z)
    gt.ok(zr and zr[0][1].get("content-encoding") == "gzip", "Accept-Encoding gzip: Content-Encoding gzip")
    gt.ok(zr and plain and gzip.decompress(zr[0][2]) == plain[0][2] and
          len(zr[0][2]) < len(plain[0][2]) // 2,
          "gzip decodes to the plain body, in less than half the bytes",
          got=zr and len(zr[0][2]), want=plain and len(plain[0][2]))
    c = run(["curl", "-s", "--compressed", "--max-time", "10",
             "http://127.0.0.1:%d/utf8%s" % (port, GPSA)]).stdout
    gt.ok(plain and c == plain[0][2], "curl --compressed gets the plain body")


def keepalive(d, port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/")
    r1 = conn.getresponse()
    b1 = r1.read()
    sock = conn.sock
    conn.request("GET", GPSA)
    r2 = conn.getresponse()
    b2 = r2.read()
    gt.ok(r1.status == 200 and r2.status == 200 and b1 and b2,
          "http.client: two requests on one connection", got=(r1.status, r2.status))
    gt.ok(sock is not None and conn.sock is sock, "the same socket answered both")
    conn.close()

    # HTTP/1.0 without keep-alive: closed after the response.
    out, closed = raw(port, b"GET / HTTP/1.0\r\n\r\n")
    gt.ok(status_of(out) == 200 and closed, "HTTP/1.0: answered, then closed")

    # Pipelining: three requests in one write, three answers in order.
    reqs = (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
            b"HEAD /utf8" + GPSA.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /utf8" + GPSA.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    out, closed = raw(port, reqs, heads=(1,), until_close=True)
    rs = responses(out, heads=(1,))
    gt.ok([x[0] for x in rs] == [200, 200, 200] and closed,
          "pipelined: three answers, then closed after Connection: close",
          got=[x[0] for x in rs])
    gt.ok(len(rs) == 3 and b"<html" in rs[0][2].lower() and rs[1][2] == b"" and
          TITLE.encode() in rs[2][2], "pipelined answers in order (home, HEAD, article)")


def conditional(port):
    r = curl(port, "/utf8" + GPSA)
    etag = r and r[0][1].get("etag")
    lm = r and r[0][1].get("last-modified")
    gt.ok(etag and lm, "ETag and Last-Modified", got=r and r[0][1])
    if not (etag and lm):
        return
    n = curl(port, "/utf8" + GPSA, "-H", "If-None-Match: " + etag)
    gt.ok(n and n[0][0] == 304 and n[0][2] == b"", "If-None-Match: 304, no body",
          got=n and n[0][0])
    n = curl(port, "/utf8" + GPSA, "-H", "If-Modified-Since: " + lm)
    gt.ok(n and n[0][0] == 304, "If-Modified-Since: 304", got=n and n[0][0])
    n = curl(port, "/utf8" + GPSA, "-H", 'If-None-Match: "not-it"')
    gt.ok(n and n[0][0] == 200, "another ETag: 200", got=n and n[0][0])


# The dump of the GPSA article per view: what each client is told to
# output, and what the text must then hold.
VIEWS = (
    ("/utf8", "utf-8", ("sécurité", "œuvrent", "« De nombreux", "Lomé")),
    ("/latin1", "iso-8859-1", ("sécurité", "oeuvrent", "« De nombreux", "Lomé")),
    ("/ascii", "us-ascii", ("securite", "oeuvrent", "De nombreux", "Lome")),
)


def text_browsers(port):
    clients = (
        ("lynx", lambda cs, url: ["lynx", "-dump", "-nolist", "-display_charset=" + cs, url]),
        ("w3m", lambda cs, url: ["w3m", "-dump", "-O", cs, url]),
        ("links", lambda cs, url: ["links", "-dump", "-codepage", cs, url]),
    )
    for name, argv in clients:
        if not skip("%s -dump of the GPSA article" % name, name):
            continue
        for view, cs, want in VIEWS:
            url = "http://127.0.0.1:%d%s%s" % (port, view, GPSA)
            out = run(argv(cs, url), timeout=30).stdout
            text = " ".join(out.decode("latin-1" if cs == "iso-8859-1" else "utf-8",
                                       "replace").split())
            missing = [w for w in want if w not in text]
            gt.ok(not missing, "%s %s: the accents right" % (name, view or "/"),
                  got=text[:300], want=missing)
            if view == "/ascii":
                gt.ok(all(b < 128 for b in out), "%s /ascii: pure ASCII" % name)


def chromium(port):
    if not skip("headless Chromium", "chromium"):
        return
    base = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--user-data-dir=" + os.path.join(HOME, "chromium")]
    png = os.path.join(HOME, "home.png")
    run(base + ["--screenshot=" + png, "--window-size=800,600",
                "http://127.0.0.1:%d/" % port], timeout=120)
    data = open(png, "rb").read() if os.path.exists(png) else b""
    w = int.from_bytes(data[16:20], "big") if len(data) > 24 else 0
    h = int.from_bytes(data[20:24], "big") if len(data) > 24 else 0
    gt.ok(data[:8] == b"\x89PNG\r\n\x1a\n" and (w, h) == (800, 600) and len(data) > 4000,
          "Chromium: a screenshot of the home page, 800x600, not blank",
          got=(len(data), w, h))
    dom = run(base + ["--dump-dom", "http://127.0.0.1:%d%s" % (port, GPSA)],
              timeout=120).stdout.decode("utf-8", "replace")
    gt.ok(TITLE in " ".join(dom.split()), "Chromium: the article's DOM has its title",
          got=dom[:300])


PAGES = ("/", GPSA, "/categories/", "/archive/", "/archive/2024/",
         "/archive/2024-11/", "/search?q=paix", "/search?paix",
         "/pages/a-propos.html", "/ascii/", "/utf8" + GPSA, "/no-such-page")


def tidy(port):
    if not skip("tidy validates every page type", "tidy"):
        return
    cats = curl(port, "/categories/")
    m = cats and re.search(rb'href="(/categories/[^"/]+/)"', cats[0][2])
    pages = PAGES + ((m.group(1).decode(),) if m else ())
    gt.ok(m is not None, "a category's link on /categories/")
    for path in pages:
        r = curl(port, path)
        body = r[0][2] if r else b""
        doctype = re.match(rb"\s*<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML (3\.2|4\.01 Transitional)//EN\"", body, re.I)
        t = run(["tidy", "-e", "-q"], input=body, timeout=30)
        errors = [l for l in t.stderr.decode("utf-8", "replace").splitlines() if "Error:" in l]
        gt.ok(r and doctype is not None and t.returncode in (0, 1) and not errors,
              "tidy: %s is valid HTML 3.2 or 4.01 Transitional" % path,
              got=(r and r[0][0], body[:80], t.returncode, errors[:5]))


def hostile(d, port):
    """Each hostile request alone, then all at once beside a reader.
    After an error that leaves the stream unsure (400, 414, 431, 501),
    the connection must close; after 404, 405 or 505 it may stay."""
    target = b"/" + b"a" * 9000
    cases = (
        ("an over-long request line", b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n", (414, 431, None)),
        ("an over-long header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"b" * 9000 + b"\r\n\r\n", (431, None)),
        ("too many headers", b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(60)) + b"\r\n", (431,)),
        ("a body on GET", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", (400,)),
        ("Content-Length with Transfer-Encoding",
         b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"0\r\n\r\nGET /robots.txt HTTP/1.1\r\n\r\n", (400,)),
        ("GET with Content-Length and Transfer-Encoding",
         b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", (400,)),
        ("..", b"GET /articles/../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", (400, 404)),
        ("%2F", b"GET /articles%2F..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: x\r\n\r\n", (400, 404)),
        ("%2e%2e", b"GET /utf8/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", (400, 404)),
        ("invalid percent-encoding", b"GET /articles/%zz.html HTTP/1.1\r\nHost: x\r\n\r\n", (400,)),
        ("a truncated percent-encoding", b"GET /search?q=%e HTTP/1.1\r\nHost: x\r\n\r\n", (400, 200)),
        ("POST", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", (405,)),
        ("DELETE", b"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", (405,)),
        ("HTTP/2.0", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", (505,)),
        ("not HTTP at all", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", (400, 501, None)),
    )
    for what, req, want in cases:
        out, closed = raw(port, req)
        st = status_of(out)
        must_close = st is None or st in (400, 414, 431, 501)
        gt.ok(st in want and (closed or not must_close) and b"root:" not in out,
              "%s: %s%s" % (what, " or ".join(str(w) for w in want if w) or "closed",
                            ", then closed" if must_close else ""),
              got=(st, closed, out[:120]))
        # Nothing smuggled: one answer only.
        gt.ok(out.count(b"HTTP/1.") <= 1, "%s: a single answer" % what, got=out[:300])

    # A query that is not UTF-8 is read as Latin-1: "sécurité" finds GPSA.
    out, _ = raw(port, b"GET /utf8/search?q=s%E9curit%E9+GPSA HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    gt.ok(status_of(out) == 200 and GPSA_ID.encode() in out,
          "a Latin-1 query finds the article", got=out[:200])

    # Slowloris: headers a byte at a time, and every hostile request at
    # once, while a reader is served.
    stop = threading.Event()
    result = {}

    def loris():
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        start = time.monotonic()
        msg = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"z" * 200
        try:
            for b in msg:
                if stop.is_set():
                    break
                s.send(bytes([b]))
                time.sleep(0.05)
                try:
                    got = s.recv(100, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    continue
                result["loris"] = (got, time.monotonic() - start)
                return
            result["loris"] = (None, time.monotonic() - start)
        except OSError as e:
            result["loris"] = (b"", time.monotonic() - start, repr(e))
        finally:
            s.close()

    t = threading.Thread(target=loris)
    t.start()
    opened = []
    for _, req, _ in cases:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(req[:len(req) // 2])   # half sent: they wait
        opened.append(s)
    start = time.monotonic()
    r = curl(port, "/utf8" + GPSA)
    took = time.monotonic() - start
    gt.ok(r and r[0][0] == 200 and took < TIMEOUT,
          "a reader is served at once while hostile requests are pending",
          got=took)
    gt.ok(d.wait_log("no complete http request within %d s" % TIMEOUT, timeout=10),
          "slowloris: the log says the deadline closed it")
    t.join(15)
    stop.set()
    lo = result.get("loris", (None, 99))
    gt.ok(lo[0] == b"" and lo[1] < TIMEOUT + 3, "slowloris: closed at the request deadline",
          got=lo)
    for s in opened:
        s.close()


def kept_connection(port):
    """A connection answered once and kept open, idle."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")
    out = b""
    while not is_kept(out):
        b = s.recv(65536)
        if not b:
            break
        out += b
    return s, is_kept(out)


def closed_within(s, seconds):
    s.settimeout(seconds)
    try:
        return s.recv(100) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


def reload_and_stop():
    """SIGHUP and SIGTERM close a kept idle connection at once (the idle
    limit, request_timeout, is 30 s here: it cannot be what closed it)."""
    port = gt.free_port()
    extra = "\n[http]\nenabled = yes\nlisten = 127.0.0.1\nport = %d\n" % port
    d = gt.Daemon(articles=capsule("articles"), pages=capsule("pages"),
                  gemini=False, timeout=30, extra=extra)
    try:
        gt.ok(d.wait_log("port %d (http)" % port), "request_timeout = 30: listening")
        s, kept = kept_connection(port)
        gt.ok(kept, "a connection kept open after its answer")
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("reloaded:"), "SIGHUP: reloaded")
        gt.ok(closed_within(s, 5), "SIGHUP: the idle kept connection is closed")
        s.close()
        s, kept = kept_connection(port)
        gt.ok(kept, "a new connection kept open after its answer")
        start = time.monotonic()
        d.signal(signal.SIGTERM)
        gt.ok(closed_within(s, 5), "SIGTERM: the idle kept connection is closed")
        try:
            rc = d.proc.wait(8)
        except subprocess.TimeoutExpired:
            rc = None
        took = time.monotonic() - start
        gt.ok(rc == 0 and took < 5, "SIGTERM: griotd exits without waiting for its grace",
              got=(rc, took))
        s.close()
    finally:
        d.stop()
        shutil.rmtree(d.dir, ignore_errors=True)


def ratelimit():
    """rate_limit counts requests, also on a kept connection."""
    port = gt.free_port()
    extra = ("rate_limit = 3\n\n[http]\nenabled = yes\nlisten = 127.0.0.1\n"
             "port = %d\n" % port)
    with gt.Daemon(articles=capsule("articles"), pages=capsule("pages"),
                   gemini=False, timeout=TIMEOUT, extra=extra) as d:
        gt.ok(d.wait_log("port %d (http)" % port), "rate_limit = 3: listening")
        req = b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"
        out, closed = raw(port, req * 5, until_close=True)
        st = [x[0] for x in responses(out)]
        gt.ok(st == [200, 200, 200, 429] and closed,
              "five pipelined requests: three answered, the fourth 429, then closed",
              got=(st, closed))


if __name__ == "__main__":
    main()
