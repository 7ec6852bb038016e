# griot: walk every menu and index page of a running griotd.  Copyright (c) 2026 the griot developers; ISC licence.
"""Crawl the lists of a capsule over Gopher or HTTP (one view) or Gemini.

Used by tests/e2e/test_scale.py (sizes, page links, every article listed
once) and bench/crawl.py (the largest answer of each kind).  A crawl
starts at the root, follows every link to a menu or an index page of the
same capsule (never an article, a static page or another charset view),
and records each answer:

    page.kind      "root", "categories", "category", "archive", "year",
                   "month", "search", "feed", "other"
    page.url       the selector (Gopher) or the path (Gemini, HTTP)
    page.size      bytes of the whole answer (Gemini: header included;
                   HTTP: status line and headers included, never gzipped)
    page.seconds   how long it took
    page.articles  ids of the articles it lists, in order
    page.links     the menu and index addresses it links to
    page.page      its "Page N sur M" (N, M), or None
    page.nav       {"next": address, "previous": address} found on it

Bounded: at most "limit" answers per crawl.  fetch_gopher() and
fetch_http() read a given list of addresses instead, following nothing.
"""

import html
import http.client
import re
import socket
import ssl
import time
import urllib.parse

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
HTTP_KINDS = (
    (re.compile(r"^/$"), "root"),
    (re.compile(r"^/categories/$|^/categories/_/\d+\.html$"), "categories"),
    (re.compile(r"^/categories/[a-z0-9-]+/atom\.xml$|^/atom\.xml$"), "feed"),
    (re.compile(r"^/categories/[a-z0-9-]+/(\d+\.html)?$"), "category"),
    (re.compile(r"^/archive/$|^/archive/_/\d+\.html$"), "archive"),
    (re.compile(r"^/archive/\d{4}/$"), "year"),
    (re.compile(r"^/archive/\d{4}-\d{2}/(\d+\.html)?$"), "month"),
    (re.compile(r"^/search"), "search"),
)
# The charset each HTTP view declares, and the codec that reads it.
HTTP_CHARSETS = {"utf-8": "utf-8", "iso-8859-1": "latin-1", "us-ascii": "ascii"}
HTTP_VIEWS = ("/utf8", "/latin1", "/ascii")
VIEWS = ("/utf8", "/latin1", "/ascii", "/40", "/80")
PAGE_LINE = re.compile(r"^Page (\d+) (?:sur|of) (\d+)$")
NEXT = ("Page suivante", "Next page")
PREVIOUS = ("Page précédente", "Page precedente", "Previous page")
GOPHER_ARTICLE = re.compile(r"/articles/(.+)\.txt$")
GEMINI_ARTICLE = re.compile(r"^/articles/(.+)\.gmi$")
HTTP_ARTICLE = re.compile(r"^/articles/([^/?]+)\.html$")


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


def gopher_page(port, sel, prefix="", enc="utf-8", keep=False):
    """One menu of the view "prefix", read into a Page."""
    t0 = time.monotonic()
    data = gopher_get(port, sel)
    page = Page(kind_of(sel[len(prefix):].split("\t")[0], GOPHER_KINDS),
                sel, len(data), time.monotonic() - t0)
    if keep:
        page.body = data
    parse_gopher(page, data, prefix, enc)
    return page


def fetch_gopher(port, sels, prefix="", enc="utf-8", keep=False):
    """The menus "sels" of the view "prefix", without following links."""
    return [gopher_page(port, sel, prefix, enc, keep) for sel in sels]


def crawl_gopher(port, prefix="", enc="utf-8", extra=(), limit=50000,
                 keep=False):
    """Every menu of one view reachable from its root; a list of Page."""
    start = prefix + "/"
    queue = [start] + list(extra)
    seen = set(queue)
    pages = []
    while queue and len(pages) < limit:
        page = gopher_page(port, queue.pop(0), prefix, enc, keep)
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


# griotd writes every link of its pages as <a href="...">, the text
# of the link before </a>: these two patterns read them, and the text
# between two tags, several times faster than html.parser.
HTML_ANCHOR = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
HTML_TEXT = re.compile(r">([^<]+)<")
HTML_TAG = re.compile(r"<[^>]*>")


def parse_html(page, text, prefix):
    """Fill "page" from an HTML list page of the view "prefix"."""
    for m in HTML_TEXT.finditer(text):
        t = m.group(1).strip()
        if t.startswith("Page"):
            n = PAGE_LINE.match(html.unescape(t).replace("\xa0", " "))
            if n:
                page.page = (int(n.group(1)), int(n.group(2)))
    for href, label in HTML_ANCHOR.findall(text):
        if "&" in href:
            href = html.unescape(href)
        if not href.startswith("/"):
            continue
        # The choice of charsets on the home page leaves the view on
        # purpose; any other link out of it is a fault.
        if not href.startswith(prefix + "/"):
            if href not in [v + "/" for v in HTTP_VIEWS]:
                page.problems.append("link out of the view: %s" % href)
            continue
        rest = href[len(prefix):]
        if prefix == "" and any(rest.startswith(v + "/") for v in HTTP_VIEWS):
            continue
        a = HTTP_ARTICLE.match(rest)
        if a:
            page.articles.append(urllib.parse.unquote(a.group(1)))
            continue
        label = html.unescape(HTML_TAG.sub("", label)).strip()
        if label in NEXT:
            page.nav["next"] = href
        elif label in PREVIOUS:
            page.nav["previous"] = href
        page.links.append(href)


class HttpClient:
    """One kept-alive HTTP/1.1 connection, opened again if the server
    closed it between two requests."""

    def __init__(self, port, host="127.0.0.1", timeout=30, headers=None):
        self.port = port
        self.host = host
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.conn = None

    def get(self, path):
        """(status, [(name, value)], body, bytes of the whole answer)."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port,
                                                       timeout=self.timeout)
            try:
                self.conn.request("GET", path, headers=self.headers)
                r = self.conn.getresponse()
                body = r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError, http.client.BadStatusLine):
                self.close()
                if attempt == 2:
                    raise
                continue
            heads = r.getheaders()
            if r.will_close:
                self.close()
            size = len("HTTP/1.1 %d %s\r\n" % (r.status, r.reason)) + sum(
                len(k) + len(v) + 4 for k, v in heads) + 2 + len(body)
            return r.status, heads, body, size
        raise ConnectionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def http_get(port, path, headers=None, host="127.0.0.1", timeout=30):
    """One HTTP request on a connection of its own: (status, headers, body)."""
    c = HttpClient(port, host, timeout, headers)
    try:
        return c.get(path)[:3]
    finally:
        c.close()


def http_page(client, path, prefix="", charset="utf-8", keep=False):
    """One page of the view "prefix" over "client", read into a Page:
    a list must be a 200 in "charset", a feed a 200 in Atom."""
    t0 = time.monotonic()
    status, heads, body, size = client.get(path)
    page = Page(kind_of(path[len(prefix):], HTTP_KINDS), path, size,
                time.monotonic() - t0)
    if keep:
        page.body = body
    ctype = dict((k.lower(), v) for k, v in heads).get("content-type", "")
    if status != 200:
        page.problems.append("status %d" % status)
    elif page.kind == "feed":
        if not ctype.startswith("application/atom+xml"):
            page.problems.append("feed as %r" % ctype)
    elif ctype != "text/html; charset=" + charset:
        page.problems.append("Content-Type %r" % ctype)
    else:
        try:
            text = body.decode(HTTP_CHARSETS[charset])
        except UnicodeDecodeError as e:
            page.problems.append("not %s: %s" % (charset, e))
            text = body.decode(HTTP_CHARSETS[charset], "replace")
        if not text.endswith("</html>\n"):
            page.problems.append("page does not end with </html>")
        if 'charset=%s">' % charset not in text[:400]:
            page.problems.append("no <meta> with charset=%s" % charset)
        parse_html(page, text, prefix)
    return page


def crawl_http(port, prefix="", charset="utf-8", headers=None, extra=(),
               limit=50000, keep=False):
    """Every HTML list and feed of the view "prefix" reachable from its
    home page; "charset" is the one each page must declare (the view's,
    or for the view without a prefix the one "headers" asks for)."""
    client = HttpClient(port, headers=headers)
    queue = [prefix + "/"] + list(extra)
    seen = set(queue)
    pages = []
    try:
        while queue and len(pages) < limit:
            page = http_page(client, queue.pop(0), prefix, charset, keep)
            pages.append(page)
            for link in page.links:
                if kind_of(link[len(prefix):], HTTP_KINDS) in ("other", "search"):
                    continue
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
            for link in page.nav.values():
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    finally:
        client.close()
    return pages


def fetch_http(port, paths, prefix="", charset="utf-8", headers=None,
               keep=False):
    """The pages "paths" of the view "prefix", without following links."""
    client = HttpClient(port, headers=headers)
    try:
        return [http_page(client, path, prefix, charset, keep) for path in paths]
    finally:
        client.close()
