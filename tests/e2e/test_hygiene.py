# griot: what enters and what leaves, against the real daemon.  Copyright (c) 2026 the griot developers; ISC licence.
"""Hostile text in articles and requests, over Gemini (TLS) and Gopher.

Articles holding U+FFFE and U+FFFF (the Atom feed must still parse),
bidirectional controls and line separators (never shown to a reader,
escaped in the access log), CR-only line ends (accepted), NUL bytes
(a space between words); a search crafted with bidirectional controls
over both protocols; a Gemini request ended by a bare LF (59 at once,
not at the timeout); and an IPv6 literal hostname (the Gopher root's
link to the capsule is gemini://[::1]:PORT/).
"""

import os
import socket
import ssl
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"

# Every character griot keeps from readers: the Bidi_Control property
# (UAX #9) and the line and paragraph separators.
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
           "\u2066\u2067\u2068\u2069\u2028\u2029")

ARTICLES = {
    # Spoofing: a title that would show "exe.file" reversed, and every
    # kind of bidirectional control in every kind of block.
    "2026-03-01-bidi.txt":
        "Title: Alerte \u202eelif.exe\u202c officielle\n"
        "Date: 2026-03-01\n"
        "Category: Soci\u2067ét\u2069é\n"
        "Tags: a\u200fb\n"
        "\n"
        "# Inter\u2066titre\u2069\n"
        "\n"
        "Première\u2028ligne\u2029suite \u202bdu\u202c texte.\n"
        "\n"
        "* item \u202dx\u202c\n"
        "> cite \u061c\u200e\n"
        "=> gemini://example.org/ lien \u202e\n".encode("utf-8"),
    # The two characters XML 1.0 forbids that valid UTF-8 can carry.
    "2026-03-02-xml.txt":
        "Title: Titre \ufffe avec \uffff non-caractères\n"
        "Date: 2026-03-02\n"
        "Author: Rédaction \uffff\n"
        "Summary: Résumé \ufffe du jour.\n"
        "\n"
        "Corps.\n".encode("utf-8"),
    # An old Mac editor: CR alone ends each line.
    "2026-03-03-mac.txt":
        "Title: Fichier Mac\rDate: 2026-03-03\r\rLigne un\rligne deux.\r"
        .encode("utf-8"),
    # NUL bytes between words (a file half-written, or from a binary tool).
    "2026-03-04-nul.txt":
        b"Title: Octets\x00nuls\nDate: 2026-03-04\n\nzanzibar\x00\x00quetzal fin.\n",
}


def gemini(port, request, timeout=10):
    """One raw Gemini request over TLS: (response bytes, seconds taken)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    start = time.monotonic()
    got = []
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(request)
            for _ in range(10000):
                try:
                    b = s.recv(65536)
                except socket.timeout:
                    break
                except (ssl.SSLError, ConnectionResetError):
                    break
                if not b:
                    break
                got.append(b)
    return b"".join(got), time.monotonic() - start


def get(d, path):
    """A Gemini page of the capsule: (header line, body as text)."""
    resp, _ = gemini(d.gemini_port, ("gemini://localhost:%d%s\r\n" %
                                     (d.gemini_port, path)).encode("utf-8"))
    head, _, body = resp.partition(b"\r\n")
    return head.decode("utf-8", "replace"), body.decode("utf-8", "replace")


def bidi_in(text):
    return sorted("U+%04X" % ord(c) for c in set(text) & BIDI)


def gopher_selectors(menu):
    """The (type, selector) of the menu's items served by this capsule."""
    out = []
    for line in menu.split("\r\n"):
        fields = line.split("\t")
        if len(fields) >= 4 and fields[0][:1] in ("0", "1"):
            out.append((fields[0][:1], fields[1]))
    return out


def test_articles_and_search():
    with gt.Daemon(articles=ARTICLES) as d:
        log = d.read_log()
        for what in ("bidirectional control U+202E at byte 14 dropped",
                     "U+2028 (line separator) at byte",
                     "noncharacter U+FFFE at byte 13 (XML forbids it) "
                     "replaced by U+FFFD",
                     "2026-03-04-nul.txt:1: NUL byte at byte 13, made a space"):
            gt.ok(what in log, "warned at load: " + what)
        gt.ok("missing" not in log, "no article refused (CR-only included)")

        # Defect 2: the feed is XML whatever the titles hold.
        head, body = get(d, "/atom.xml")
        gt.ok(head.startswith("20 application/atom+xml"), "atom.xml: 20",
              got=head)
        try:
            feed = ET.fromstring(body.encode("utf-8"))
            titles = [e.findtext(ATOM + "title") for e in feed.iter(ATOM + "entry")]
        except ET.ParseError as e:
            titles = None
            gt.diag("ParseError: %s" % e)
        gt.ok(titles is not None, "atom.xml parses with xml.etree")
        gt.ok(titles is not None and
              "Titre \ufffd avec \ufffd non-caractères" in titles,
              "U+FFFE and U+FFFF reach the feed as U+FFFD", got=titles)
        gt.ok("\ufffe" not in body and "\uffff" not in body,
              "no noncharacter anywhere in the feed")

        # Defect 8: no bidirectional control reaches a reader.
        pages = ["/", "/articles/2026-03-01-bidi.gmi", "/categories/",
                 "/archive/", "/archive/2026-03.gmi"]
        head, body = get(d, "/categories/")
        pages += [line.split()[1] for line in body.splitlines()
                  if line.startswith("=> /categories/")]
        for path in pages:
            head, body = get(d, path)
            gt.ok(head.startswith("20 ") and not bidi_in(body),
                  "gemini %s: 20, no bidi control" % path,
                  got=(head, bidi_in(body)))
        head, body = get(d, "/articles/2026-03-01-bidi.gmi")
        for want in ("# Alerte elif.exe officielle", "\n# Intertitre\n",
                     "Première ligne suite du texte.", "* item x"):
            gt.ok(want in body, "gemini article shows %r" % want, got=body)

        # A crafted search, raw UTF-8 and percent-encoded.
        for query in ("\u202eelif\u2066", urllib.parse.quote("\u202eelif\u2066")):
            resp, _ = gemini(d.gemini_port, ("gemini://localhost:%d/search?%s\r\n"
                                             % (d.gemini_port, query)).encode("utf-8"))
            text = resp.decode("utf-8", "replace")
            gt.ok(text.startswith("20 ") and not bidi_in(text) and
                  "\xa0elif\u202f»" in text and "2026-03-01-bidi.gmi" in text,
                  "gemini search %r: echoed without bidi controls, found" % query,
                  got=text[:600])
        gt.ok(d.wait_log('/search?\\u202eelif\\u2066" 20 '),
              "gemini access log: bidi controls escaped as \\uHHHH")

        # Gopher: every menu and text one level from the root.
        root = gt.gopher(d.gopher_port, "").decode("utf-8", "replace")
        gt.ok(not bidi_in(root), "gopher root: no bidi control")
        seen = set()
        todo = gopher_selectors(root)
        while todo and len(seen) < 60:
            kind, sel = todo.pop(0)
            if sel in seen:
                continue
            seen.add(sel)
            data = gt.gopher(d.gopher_port, sel).decode("utf-8", "replace")
            gt.ok(data and not bidi_in(data), "gopher %s: no bidi control" % sel,
                  got=bidi_in(data))
            if kind == "1" and sel.count("/") <= 2:
                todo += gopher_selectors(data)
        gt.ok(len(seen) >= 10, "gopher menus followed", got=sorted(seen))
        text = gt.gopher(d.gopher_port, "/articles/2026-03-01-bidi.txt")
        text = text.decode("utf-8", "replace")
        gt.ok("Alerte elif.exe officielle" in text and not bidi_in(text),
              "gopher article without bidi controls", got=text[:300])
        menu = gt.gopher(d.gopher_port, None,
                         raw="/search\t\u202eelif\u2066\r\n".encode("utf-8"))
        menu = menu.decode("utf-8", "replace")
        gt.ok("elif" in menu and not bidi_in(menu) and "2026-03-01-bidi" in menu,
              "gopher search echoed without bidi controls, found", got=menu)
        gt.ok(d.wait_log('gopher "/search\\x09\\u202eelif\\u2066" 200 '),
              "gopher access log: bidi controls escaped as \\uHHHH")
        gt.ok(not bidi_in(d.read_log()), "no raw bidi control anywhere in the logs")

        # Defect 11: CR-only line ends and NUL bytes.
        head, body = get(d, "/articles/2026-03-03-mac.gmi")
        gt.ok(head.startswith("20 ") and "# Fichier Mac" in body and
              "Ligne un ligne deux." in body, "CR-only article served",
              got=(head, body))
        head, body = get(d, "/articles/2026-03-04-nul.gmi")
        gt.ok("# Octets nuls" in body and "zanzibar quetzal fin." in body,
              "NUL bytes made spaces between words", got=body)
        head, body = get(d, "/search?quetzal")
        gt.ok("2026-03-04-nul.gmi" in body, "the word after NUL bytes is found",
              got=body)


def test_bare_lf():
    # A long request timeout: an answer only at the timeout is a failure.
    with gt.Daemon(gopher=False, timeout=30) as d:
        for req in (b"gemini://localhost:%d/\n" % d.gemini_port, b"\n",
                    b"gemini://localhost:%d/\nx\r\n" % d.gemini_port):
            resp, took = gemini(d.gemini_port, req, timeout=10)
            gt.ok(resp.startswith(b"59 ") and took < 5,
                  "bare LF %r: 59 at once" % req, got=(resp[:80], round(took, 2)))
        resp, _ = gemini(d.gemini_port, b"gemini://localhost:%d/\r\n" % d.gemini_port)
        gt.ok(resp.startswith(b"20 "), "CRLF still served", got=resp[:80])


def test_ipv6_hostname():
    with gt.Daemon(hostname="::1") as d:
        gp = d.gemini_port
        root = gt.gopher(d.gopher_port, "").decode("utf-8", "replace")
        links = [l for l in root.split("\r\n") if l.startswith("h")]
        want = "URL:gemini://[::1]:%d/" % gp
        gt.ok(any(l.split("\t")[1:2] == [want] for l in links),
              "gopher root: h item to %s" % want, got=links)
        resp, _ = gemini(gp, b"gemini://[::1]:%d/categories\r\n" % gp)
        gt.ok(resp == b"31 gemini://[::1]:%d/categories/\r\n" % gp,
              "gemini redirect keeps the brackets", got=resp)
        resp, _ = gemini(gp, b"gemini://[::1]:%d/\r\n" % gp)
        gt.ok(resp.startswith(b"20 "), "gemini://[::1]:PORT/ served", got=resp[:80])
        resp, _ = gemini(gp, b"gemini://[::1]:%d/atom.xml\r\n" % gp)
        body = resp.partition(b"\r\n")[2]
        try:
            feed = ET.fromstring(body)
            fid = feed.findtext(ATOM + "id")
        except ET.ParseError:
            fid = None
        gt.ok(fid == "gemini://[::1]:%d/" % gp, "atom.xml id with brackets",
              got=fid)


def main():
    test_articles_and_search()
    test_bare_lf()
    test_ipv6_hostname()
    gt.done()


if __name__ == "__main__":
    main()
