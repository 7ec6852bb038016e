# griot: walk every menu and index page of a running griotd.  Copyright (c) 2026 the griot developers; ISC licence.
"""Crawl the lists of a capsule over Gopher (one charset view) or Gemini.

Used by tests/e2e/test_scale.py (sizes, page links, every article listed
once) and bench/crawl.py (the largest answer of each kind).  A crawl
starts at the root, follows every link to a menu or an index page of the
same capsule (never an article, a static page or another charset view),
and records each answer:

    page.kind      "root", "categories", "category", "archive", "year",
                   "month", "search", "feed", "other"
    page.url       the selector (Gopher) or the path (Gemini)
    page.size      bytes of the whole answer (Gemini: header included)
    page.seconds   how long it took
    page.articles  ids of the articles it lists, in order
    page.links     the menu and index addresses it links to
    page.page      its "Page N sur M" (N, M), or None
    page.nav       {"next": address, "previous": address} found on it

Bounded: at most "limit" answers per crawl.
"""

import re
import socket
import ssl
import time

GOPHER_KINDS = (
    (re.compile(r"^/?$"), "root"),
    (re.compile(r"^/categories/?$|^/categories/_(/\d+)?/?$"), "categories"),
    (re.compile(r"^/categories/[a-z0-9-]+(/\d+)?/?$"), "category"),
    (re.compile(r"^/archive/?$|^/archive/_(/\d+)?/?$"), "archive"),
    (re.compile(r"^/archive/\d{4}/?$"), "year"),
    (re.compile(r"^/archive/\d{4}-\d{2}(/\d+)?/?$"), "month"),
    (re.compile(r"^/search"), "search"),
)
GEMINI_KINDS = (
    (re.compile(r"^/$"), "root"),
    (re.compile(r"^/categories/$|^/categories/_/\d+\.gmi$"), "categories"),
    (re.compile(r"^/categories/[a-z0-9-]+(/\d+)?\.gmi$"), "category"),
    (re.compile(r"^/categories/[a-z0-9-]+/atom\.xml$|^/atom\.xml$"), "feed"),
    (re.compile(r"^/archive/$|^/archive/_/\d+\.gmi$"), "archive"),
    (re.compile(r"^/archive/\d{4}\.gmi$"), "year"),
    (re.compile(r"^/archive/\d{4}-\d{2}(/\d+)?\.gmi$"), "month"),
    (re.compile(r"^/search"), "search"),
)
VIEWS = ("/utf8", "/latin1", "/ascii", "/40", "/80")
PAGE_LINE = re.compile(r"^Page (\d+) (?:sur|of) (\d+)$")
NEXT = ("Page suivante", "Next page")
PREVIOUS = ("Page précédente", "Page precedente", "Previous page")
GOPHER_ARTICLE = re.compile(r"/articles/(.+)\.txt$")
GEMINI_ARTICLE = re.compile(r"^/articles/(.+)\.gmi$")


class Page:
    def __init__(self, kind, url, size, seconds):
        self.kind = kind
        self.url = url
        self.size = size
        self.seconds = seconds
        self.articles = []
        self.links = []
        self.page = None
        self.nav = {}
        self.problems = []
        self.body = b""


def kind_of(path, kinds):
    for rx, kind in kinds:
        if rx.search(path):
            return kind
    return "other"


def gopher_get(port, selector, host="127.0.0.1", timeout=30):
    """One Gopher request; every byte until the server closes."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(selector.encode("latin-1") + b"\r\n")
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)


_tls = {}


def gemini_get(port, url, host="127.0.0.1", timeout=30):
    """One Gemini request; every byte of the answer, header included.

    The TLS session of the previous request to the same port is resumed,
    as a browsing reader's client does: a crawl of thousands of pages
    then costs few full handshakes.
    """
    ctx, session = _tls.get(port, (None, None))
    if ctx is None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost",
                             session=session) as s:
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
            _tls[port] = (ctx, s.session)
            return b"".join(got)


def parse_gopher(page, data, prefix, enc):
    """Fill "page" from a Gopher menu of the view "prefix"."""
    if not data.endswith(b".\r\n"):
        page.problems.append("menu does not end with a lone '.'")
    for line in data.split(b"\r\n"):
        if line in (b".", b""):
            continue
        fields = line.split(b"\t")
        if len(fields) < 4:
            page.problems.append("not a menu line: %r" % line[:80])
            continue
        kind = chr(line[0])
        display = fields[0][1:].decode(enc, "replace")
        sel = fields[1].decode("latin-1")
        if kind == "3":
            page.problems.append("error item: %s" % display)
        m = PAGE_LINE.match(display)
        if kind == "i" and m:
            page.page = (int(m.group(1)), int(m.group(2)))
        if kind == "0":
            a = GOPHER_ARTICLE.search(sel)
            if a and sel.startswith(prefix + "/articles/"):
                page.articles.append(a.group(1))
        if kind == "1" and sel.startswith(prefix + "/"):
            rest = sel[len(prefix):]
            if prefix == "" and any(rest == v or rest.startswith(v + "/")
                                    for v in VIEWS):
                continue
            if display in NEXT:
                page.nav["next"] = sel
            elif display in PREVIOUS:
                page.nav["previous"] = sel
            page.links.append(sel)


def parse_gemini(page, body):
    """Fill "page" from a gemtext body."""
    for line in body.decode("utf-8", "replace").split("\n"):
        m = PAGE_LINE.match(line)
        if m:
            page.page = (int(m.group(1)), int(m.group(2)))
        if not line.startswith("=> "):
            continue
        parts = line[3:].split(" ", 1)
        target = parts[0]
        label = parts[1] if len(parts) > 1 else ""
        a = GEMINI_ARTICLE.match(target)
        if a:
            page.articles.append(a.group(1))
            continue
        if not target.startswith("/"):
            continue
        if label in NEXT:
            page.nav["next"] = target
        elif label in PREVIOUS:
            page.nav["previous"] = target
        page.links.append(target)


def crawl_gopher(port, prefix="", enc="utf-8", extra=(), limit=50000,
                 keep=False):
    """Every menu of one view reachable from its root; a list of Page."""
    start = prefix + "/"
    queue = [start] + list(extra)
    seen = set(queue)
    pages = []
    while queue and len(pages) < limit:
        sel = queue.pop(0)
        t0 = time.monotonic()
        data = gopher_get(port, sel)
        page = Page(kind_of(sel[len(prefix):].split("\t")[0], GOPHER_KINDS),
                    sel, len(data), time.monotonic() - t0)
        if keep:
            page.body = data
        parse_gopher(page, data, prefix, enc)
        pages.append(page)
        for link in page.links:
            rest = link[len(prefix):]
            if kind_of(rest, GOPHER_KINDS) in ("other", "search"):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
        # The pages of a search carry its words: follow those too.
        for link in page.nav.values():
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def crawl_gemini(port, extra=(), limit=50000, keep=False):
    """Every gemtext list and feed reachable from the home page."""
    base = "gemini://localhost:%d" % port
    queue = ["/"] + list(extra)
    seen = set(queue)
    pages = []
    while queue and len(pages) < limit:
        path = queue.pop(0)
        t0 = time.monotonic()
        data = gemini_get(port, base + path)
        page = Page(kind_of(path, GEMINI_KINDS), path, len(data),
                    time.monotonic() - t0)
        head, _, body = data.partition(b"\r\n")
        if keep:
            page.body = data
        if not head.startswith(b"20 "):
            page.problems.append("status %r" % head[:60])
        elif head.startswith(b"20 text/gemini"):
            parse_gemini(page, body)
        pages.append(page)
        for link in page.links:
            if kind_of(link, GEMINI_KINDS) in ("other", "search"):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
        for link in page.nav.values():
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages
