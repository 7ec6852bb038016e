# griot: end-to-end tests of the Gopher side.  Copyright (c) 2026 the griot developers; ISC licence.
"""The real griotd over real sockets, read by real clients (curl, lynx).

Every menu line has four TAB-separated fields and the menu ends with ".";
every text line fits the width in display columns and none begins with
"."; the ASCII view is pure 7-bit; the Latin-1 view decodes as ISO-8859-1
to the expected French; bad requests get a type-3 answer and the daemon
stays alive, also when clients vanish in the middle of a response.
"""

import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

GPSA = "/articles/2024-11-28-gpsa-paix-securite.txt"
TYPO = "/articles/2025-03-14-typographie.txt"
PRE = "/articles/2025-03-19-paragraphes-et-preformate.txt"
VIEWS = (("", "utf-8"), ("/utf8", "utf-8"), ("/latin1", "latin-1"),
         ("/ascii", "ascii"))
REFERENCE = re.compile(r"^\[\d+\] \S+$")
# The root of a view, where the root menu's view chooser points.
VIEW_ROOT = re.compile(r"^(/(utf8|latin1|ascii))?(/(40|80))?/$")
# The width views: prefix, charset, menu display and text columns.
WIDTH_VIEWS = (("/40", "utf-8", 27, 39), ("/ascii/40", "ascii", 27, 39),
               ("/latin1/40", "latin-1", 27, 39), ("/80", "utf-8", 67, 79),
               ("/ascii/80", "ascii", 67, 79), ("/utf8/80", "utf-8", 67, 79))


def cols(s):
    """Terminal columns of a decoded string (wide and fullwidth count 2)."""
    n = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def curl(port, path):
    r = subprocess.run(["curl", "-s", "--max-time", "10",
                        "gopher://127.0.0.1:%d%s" % (port, path)],
                       capture_output=True, timeout=30)
    return r.stdout


def lynx(port, path, *args):
    r = subprocess.run(["lynx", "-dump", "-nolist"] + list(args) +
                       ["gopher://127.0.0.1:%d%s" % (port, path)],
                       capture_output=True, timeout=30,
                       env=dict(os.environ, HOME=os.environ.get("TMPDIR", "/tmp")))
    return r.stdout


def menu_problems(data, enc, width, host, port, prefix=None):
    """Everything wrong with a menu, as a list of strings (empty: fine)."""
    bad = []
    if not data.endswith(b"\r\n.\r\n"):
        return ["does not end with CRLF . CRLF: %r" % data[-20:]]
    for line in data[:-3].split(b"\r\n")[:-1]:
        fields = line.split(b"\t")
        if len(fields) != 4 or b"\r" in line or b"\n" in line:
            bad.append("not four fields: %r" % line)
            continue
        if fields[2] != host.encode() or fields[3] != str(port).encode():
            bad.append("host or port not from the ini: %r" % line)
        try:
            display = fields[0][1:].decode(enc)
        except UnicodeDecodeError:
            bad.append("display not %s: %r" % (enc, line))
            continue
        if cols(display) > width - 1:
            bad.append("display wider than %d: %r" % (width - 1, line))
        sel = fields[1].decode("ascii", "replace")
        if prefix is not None and line[:1] in b"017" and not (
                sel.startswith(prefix) or VIEW_ROOT.match(sel)):
            bad.append("selector outside the view %s: %r" % (prefix, line))
    return bad


def text_problems(data, enc, width):
    bad = []
    if not data.endswith(b"\r\n.\r\n"):
        return ["does not end with CRLF . CRLF: %r" % data[-20:]]
    for line in data[:-3].split(b"\r\n")[:-1]:
        if line.startswith(b"."):
            bad.append("begins with a dot: %r" % line)
        if b"\r" in line or b"\n" in line:
            bad.append("stray CR or LF: %r" % line)
        try:
            s = line.decode(enc)
        except UnicodeDecodeError:
            bad.append("not %s: %r" % (enc, line))
            continue
        if enc == "latin-1" and any(0x80 <= b < 0xa0 for b in line):
            bad.append("C1 control in Latin-1: %r" % line)
        if cols(s) > width and not REFERENCE.match(s):
            bad.append("wider than %d: %r" % (width, line))
    return bad


def selectors(data):
    out = []
    for line in data.split(b"\r\n"):
        f = line.split(b"\t")
        if len(f) == 4 and line[:1] in b"01":
            out.append((line[:1].decode(), f[1].decode()))
    return out


def article_files():
    """The sample articles plus two torture cases (and a refused name)."""
    files = {}
    for sub, names in (("articles", None),
                       ("torture", ("2025-03-14-typographie.txt",
                                    "2025-03-19-paragraphes-et-preformate.txt",
                                    "2025-03-16-sans-titre.txt",
                                    "Sécurité à Lomé.txt"))):
        d = gt.testdata(sub)
        for f in sorted(os.listdir(d)):
            if names is None or f in names:
                with open(os.path.join(d, f), "rb") as fp:
                    files[f] = fp.read()
    return files


def with_public_port(d, public_port):
    """Rewrite a Daemon's generated ini with [gopher] public_port."""
    with open(d.ini) as f:
        ini = f.read()
    ini = ini.replace("\nwidth = ", "\npublic_port = %d\nwidth = " % public_port, 1)
    with open(d.ini, "w") as f:
        f.write(ini)


def raw(port, payload, timeout=10):
    return gt.gopher(port, None, raw=payload, timeout=timeout)


def vanish(port, payload, keep=64):
    """Send a request, read a few bytes, reset the connection."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.settimeout(10)
        s.connect(("127.0.0.1", port))
        if payload:
            s.sendall(payload)
        if keep:
            s.recv(keep)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    finally:
        s.close()


def test_views(d, width, default_enc="utf-8"):
    host, port = d.hostname, d.gopher_port
    for prefix, enc in VIEWS:
        enc = enc if prefix else default_enc
        root = curl(port, "/1%s/" % prefix)
        bad = menu_problems(root, enc, width, host, port, (prefix or "") + "/")
        gt.ok(not bad, "width %d: root %s/ is a valid %s menu" % (width, prefix, enc),
              got=bad[:3], want=[])
        items = selectors(root)
        gt.ok(len([t for t, s in items if t == "0"]) >= 5,
              "root %s/ lists articles" % prefix, got=items)
        for sel in ("/categories/", "/categories/a-la-une", "/archive/", "/archive/2024-11"):
            data = curl(port, "/1%s%s" % (prefix, sel))
            bad = menu_problems(data, enc, width, host, port, (prefix or "") + "/")
            gt.ok(not bad and (b"\t" in data), "width %d: %s%s valid menu" % (width, prefix, sel),
                  got=bad[:3], want=[])
        texts = [s for t, s in items if t == "0"] + [prefix + GPSA, prefix + TYPO, prefix + PRE]
        allbad = []
        for sel in texts:
            data = curl(port, "/0" + sel)
            allbad += ["%s: %s" % (sel, b) for b in text_problems(data, enc, width)]
        gt.ok(not allbad, "width %d: every %s/ text fits, no line begins with ." % (width, prefix),
              got=allbad[:5], want=[])
        if enc == "ascii":
            blob = root + b"".join(curl(port, "/0" + s) for s in texts[-3:])
            gt.ok(all(b < 0x80 for b in blob), "ascii view is pure 7-bit")


def test_content(d):
    port = d.gopher_port
    data = curl(port, "/0" + GPSA)
    gt.ok(data.startswith("Pour la paix et la sécurité".encode()),
          "utf8 article begins with its title", got=data[:60])
    data = curl(port, "/0/latin1" + GPSA)
    text = data.decode("latin-1")
    gt.ok("Pour la paix et la sécurité" in text and "Moïse" in text and "oeuvrent" in text,
          "latin1 article decodes as ISO-8859-1 to the French", got=text[:80])
    gt.ok(b"\xe9" in data and "é".encode() not in data, "latin1 article is real ISO-8859-1 bytes")
    data = curl(port, "/0/ascii" + TYPO)
    gt.ok(b"l'OEuvre des coeurs" in data and b"<<" in data and b"EUR" in data,
          "ascii article transliterated", got=data[:300])
    data = curl(port, "/0" + TYPO)
    gt.ok(b"\r\n .Une ligne qui commence par un point.\r\n" in data,
          "a line that began with a dot is shifted by one space")
    gt.ok(b"\r\n[1] https://exemple.tg/source?id=1&lang=fr" in data, "links listed at the end")
    data = curl(port, "/0" + PRE)
    gt.ok("\r\nVille      | Température\r\n-----------+------------\r\n".encode() in data,
          "preformatted block byte for byte")

    data = curl(port, "/7/search%09securite")
    gt.ok(("\t%s\t" % GPSA).encode() in data, "search securite finds the GPSA article",
          got=data[:300])
    gt.ok(not menu_problems(data, "utf-8", 67, d.hostname, port, "/"), "search answer is a valid menu")
    data = curl(port, "/7/latin1/search%09s%E9curit%E9")
    gt.ok(("\t/latin1%s\t" % GPSA).encode() in data, "latin1 search with Latin-1 words",
          got=data[:300])
    data = curl(port, "/1/search?securite")
    gt.ok(GPSA.encode() in data, "/search?securite also works")

    data = curl(port, "/0/caps.txt")
    gt.ok(data.startswith(b"CAPS\r\n") and b"\r\nServerDefaultEncoding=utf-8\r\n" in data
          and b"\r\nPathDelimeter=/\r\n" in data and data.endswith(b"\r\n.\r\n"), "caps.txt",
          got=data[:200])
    data = curl(port, "/0/latin1/caps.txt")
    gt.ok(b"\r\nServerDefaultEncoding=iso-8859-1\r\n" in data, "caps.txt of the latin1 view")
    data = curl(port, "/0/robots.txt")
    gt.ok(data.startswith(b"User-agent: *\r\n"), "robots.txt", got=data[:60])
    data = curl(port, "/hURL:https://example.org/?a=1&b=<2>")
    gt.ok(b'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in data and b"<2>" not in data,
          "URL: selector answers an escaped HTML page", got=data[:400])
    data = curl(port, "/0/nope.txt")
    gt.ok(data.startswith(b"3") and b"\r\ni" in data and data.endswith(b"\r\n.\r\n"),
          "unknown selector: type-3 line, i line, dot", got=data)


def test_lynx(d):
    port = d.gopher_port
    if shutil.which("lynx") is None:
        gt.ok(True, "lynx checks # SKIP lynx not installed")
        return
    # Lynx shows menu bytes as they come: on a Latin-1 display, the
    # Latin-1 view reads right.
    out = lynx(port, "/1/latin1/", "-display_charset=iso-8859-1").decode("latin-1")
    gt.ok("Articles récents" in out and "Société" in out, "lynx: latin1 menu on a Latin-1 display",
          got=out[:400])
    out = lynx(port, "/0/latin1" + GPSA, "-display_charset=utf-8",
               "-assume_charset=iso-8859-1").decode("utf-8", "replace")
    gt.ok("Pour la paix et la sécurité" in out and "Moïse" in out,
          "lynx: latin1 text converted to a UTF-8 display", got=out[:300])
    out = lynx(port, "/1/", "-display_charset=utf-8").decode("utf-8", "replace")
    gt.ok("Articles récents" in out and "Rubriques" in out, "lynx: utf8 menu",
          got=out[:400])
    out = lynx(port, "/0" + GPSA, "-display_charset=utf-8",
               "-assume_charset=utf-8").decode("utf-8", "replace")
    gt.ok("œuvrent pour la paix" in out.replace("\n", " "), "lynx: utf8 text", got=out[:300])
    out = lynx(port, "/1/ascii/", "-display_charset=us-ascii")
    gt.ok(b"Articles recents" in out and all(b < 0x80 for b in out), "lynx: ascii menu",
          got=out[:300])


def test_raw(d):
    port = d.gopher_port
    root = raw(port, b"/\r\n")
    gt.ok(raw(port, b"/\n") == root and raw(port, b"\r\n") == root,
          "bare LF and empty selector give the root")
    gt.ok(curl(port, "/1/") == root, "curl and a raw socket agree")
    data = raw(port, b"/" + b"a" * 300 + b"\r\n")
    gt.ok(data.startswith(b"3") and data.endswith(b"\r\n.\r\n"), "overlong selector: error",
          got=data[:120])
    data = raw(port, b"a" * 5000)
    gt.ok(data == b"" or (data.startswith(b"3") and data.endswith(b"\r\n.\r\n")),
          "request longer than 1024 bytes: error or closed", got=data[:120])
    for what, payload in (("binary garbage", b"\xff\xfe\x00\x01\x80garbage\r\n"),
                          ("NUL", b"/articles/\x00.txt\r\n"),
                          ("..", b"/../../etc/passwd\r\n"),
                          ("%2e%2e", b"/%2e%2e/%2e%2e/etc/passwd\r\n"),
                          ("backslash", b"\\..\\..\\etc\\passwd\r\n"),
                          ("non-UTF-8", b"/caf\xe9\r\n"),
                          ("HTTP", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")):
        data = raw(port, payload)
        gt.ok(data.startswith(b"3") and data.endswith(b"\r\n.\r\n") and b"root:" not in data,
              "%s: type-3 error" % what, got=data[:120])
    for i in range(20):
        try:
            vanish(port, ("/0%s\r\n" % (GPSA if i % 2 else TYPO)).encode())
            vanish(port, b"/0/arti", keep=0)
            vanish(port, b"", keep=0)
        except OSError:
            pass
    gt.ok(d.alive() and raw(port, b"/\r\n") == root,
          "clients vanishing mid-response: the daemon still answers")


def test_width_views(d):
    """/40 and /80, alone and after a charset: every menu, text and search
    stays in the view, within its widths."""
    host, port = d.hostname, d.gopher_port
    root = curl(port, "/1/")
    chooser = [line for line in root.split(b"\r\n") if VIEW_ROOT.match(
        (line.split(b"\t") + [b"", b""])[1].decode("ascii", "replace"))]
    gt.ok(any(b"\t/40/\t" in x for x in chooser) and any(b"\t/80/\t" in x for x in chooser)
          and all(b < 0x80 for x in chooser for b in x),
          "root: the chooser offers /40/ and /80/, in ASCII", got=chooser)
    for prefix, enc, menu, text in WIDTH_VIEWS:
        allbad = []
        for sel in ("/", "/categories/", "/categories/societe", "/archive/",
                    "/archive/2024-11", "/search%09securite"):
            data = curl(port, "/1%s%s" % (prefix, sel))
            allbad += ["%s%s: %s" % (prefix, sel, b) for b in
                       menu_problems(data, enc, menu + 1, host, port, prefix + "/")]
            if sel == "/search%09securite":
                gt.ok(("\t%s%s\t" % (prefix, GPSA)).encode() in data,
                      "%s: search results in the view" % prefix, got=data[:300])
        gt.ok(not allbad, "%s: menus within %d columns, items in the view" % (prefix, menu),
              got=allbad[:3], want=[])
        items = selectors(curl(port, "/1%s/" % prefix))
        texts = [s for t, s in items if t == "0"] + [prefix + GPSA, prefix + TYPO]
        allbad = []
        for sel in texts:
            allbad += ["%s: %s" % (sel, b) for b in
                       text_problems(curl(port, "/0" + sel), enc, text)]
        gt.ok(texts and not allbad, "%s: every text within %d columns" % (prefix, text),
              got=allbad[:3], want=[])
    data = curl(port, "/1/ascii/40/")
    gt.ok(b"\t/ascii/\t" in data and b"\t/ascii/80/\t" in data and b"\t/utf8/40/\t" in data,
          "/ascii/40/ root: back to the usual width, 80, the charsets at 40", got=data[-600:])
    data = curl(port, "/1/50/")
    gt.ok(data.startswith(b"3"), "no /50 view", got=data[:80])


def test_latin1_input(d):
    """Words typed on a Latin-1 machine, from any view."""
    port = d.gopher_port
    data = raw(port, b"/search\ts\xe9curit\xe9\r\n")
    gt.ok(("\t%s\t" % GPSA).encode() in data,
          "a Latin-1 search from / finds the article on s\u00e9curit\u00e9", got=data[:300])
    gt.ok(b"\r\n1Ces resultats en Latin-1\t/latin1/search?s%C3%A9curit%C3%A9\t" in data
          or data.startswith(b"iVotre machine ecrit en Latin-1.\t\t"),
          "... and points to the Latin-1 view, in ASCII", got=data[:300])
    gt.ok(b"\t/latin1/search?s%C3%A9curit%C3%A9\t" in data, "... the same search there",
          got=data[:300])
    gt.ok(not menu_problems(data, "utf-8", 67, d.hostname, port, "/"),
          "... a valid menu", got=menu_problems(data, "utf-8", 67, d.hostname, port, "/"))
    data = raw(port, b"/ascii/40/search?s%E9curit%E9\r\n")
    gt.ok(("\t/ascii/40%s\t" % GPSA).encode() in data and
          b"\t/latin1/40/search?s%C3%A9curit%C3%A9\t" in data,
          "/ascii/40/search?s%E9...: found, and the Latin-1 view of 40 columns offered",
          got=data[:400])
    data = raw(port, b"/latin1/search\ts\xe9curit\xe9\r\n")
    gt.ok(("\t/latin1%s\t" % GPSA).encode() in data and b"Latin-1 view" not in data
          and b"Ces resultats" not in data, "in the Latin-1 view: no pointer to itself",
          got=data[:300])
    data = raw(port, b"/s\xe9curit\xe9\r\n")
    gt.ok(data.startswith(b"3"), "a selector that is not UTF-8 is still refused", got=data[:80])


def plus_lines(data):
    """The +INFO lines of a Gopher+ block, or None if not framed as one."""
    if not (data.startswith(b"+-1\r\n") and data.endswith(b"\r\n.\r\n")):
        return None
    lines = data[5:-3].split(b"\r\n")[:-1]
    if not all(x.startswith(b"+INFO: ") for x in lines):
        return None
    return [x[7:] for x in lines]


def test_gopher_plus(d):
    """The Gopher+ probes UMN gopher sends, answered as a Gopher+ server."""
    port = d.gopher_port
    root = raw(port, b"\r\n")
    plain = root[:-3].split(b"\r\n")[:-1]
    data = raw(port, b"\t$\r\n")
    info = plus_lines(data)
    gt.ok(info is not None, "TAB $: +-1, +INFO: lines, then .", got=data[:200])
    info = info or []
    gt.ok(len(info) == len(plain), "TAB $: one +INFO block per item of the root menu",
          got=len(info), want=len(plain))
    gt.ok([x[:-2] if x.endswith(b"\t+") else x for x in info] == plain,
          "TAB $: each +INFO holds the root menu's line")
    gt.ok(all(x.endswith(b"\t+") == x.startswith(b"1") for x in info),
          "TAB $: TAB + after each menu (answered in Gopher+ too), not after texts",
          got=[x for x in info if x.endswith(b"\t+") != x.startswith(b"1")][:3])
    menus = [x.split(b"\t")[1] for x in info if x.startswith(b"1")]
    gt.ok(b"/categories/societe" in menus and b"/archive/" in menus, "TAB $: the menus listed",
          got=menus)
    data = raw(port, b"/categories/societe\t$\r\n")
    gt.ok(plus_lines(data) and plus_lines(data)[0].startswith("iRubrique".encode()),
          "TAB $ on a category: its items", got=data[:120])
    data = raw(port, b"/40/\t$\r\n")
    gt.ok(plus_lines(data) and b"\t/40/archive/\t" in data, "TAB $ in the /40 view: its items",
          got=data[:120])
    data = raw(port, b"\t!\r\n")
    gt.ok(plus_lines(data) is not None and len(plus_lines(data)) == 1
          and plus_lines(data)[0].startswith(b"1" + plain[0][1:].split(b"\t")[0] + b"\t\t")
          and plus_lines(data)[0].endswith(b"\t+"),
          "TAB !: the root's own +INFO block", got=data)
    data = raw(port, ("%s\t!\r\n" % GPSA).encode())
    gt.ok(plus_lines(data) is not None and plus_lines(data)[0].startswith(b"0Pour la paix"),
          "TAB ! on an article: a type-0 item with its title", got=data[:200])
    data = raw(port, ("%s\t+\r\n" % GPSA).encode())
    gt.ok(data == b"+-1\r\n" + raw(port, ("%s\r\n" % GPSA).encode()),
          "TAB +: +-1, then the text", got=data[:80])
    data = raw(port, b"/nope\t$\r\n")
    gt.ok(data.startswith(b"--1\r\n3") and data.endswith(b"\r\n.\r\n"),
          "TAB $ on nothing: --1 and an error", got=data[:80])
    gt.ok(d.alive(), "griotd alive after the Gopher+ probes")


def test_pure(files):
    """Two daemons, the same store and ini (public_port), the same bytes."""
    ds = []
    try:
        for _ in range(2):
            d = gt.Daemon(articles=files, gemini=False, start=False)
            with_public_port(d, 70)
            d.start()
            ds.append(d)
        for sel in ("/", GPSA, "/latin1/categories/societe", "/ascii" + TYPO,
                    "/search\tsecurite", "/nope"):
            a = raw(ds[0].gopher_port, sel.encode() + b"\r\n")
            b = raw(ds[1].gopher_port, sel.encode() + b"\r\n")
            gt.ok(a and a == b, "two instances, same bytes for %r" % sel)
        a = raw(ds[0].gopher_port, b"/\r\n")
        gt.ok(b"\tlocalhost\t70\r\n" in a and
              ("\t%d\r\n" % ds[0].gopher_port).encode() not in a,
              "menus carry public_port, not the listening port")
        q = subprocess.run([gt.griotd(), "-c", ds[0].ini, "-q", "gopher://localhost/1/"],
                           capture_output=True, timeout=30, cwd=ds[0].dir)
        gt.ok(q.stdout == a, "griotd -q prints the same bytes as the socket",
              got=q.stdout[:100], want=a[:100])
    finally:
        for d in ds:
            d.__exit__(None, None, None)


def main():
    if not os.access(gt.griotd(), os.X_OK):
        gt.skip_all("griotd is not built")
    if shutil.which("curl") is None:
        gt.skip_all("curl is not installed")
    files = article_files()
    with gt.Daemon(articles=files, gemini=False) as d:
        test_views(d, 67)
        test_content(d)
        test_lynx(d)
        test_raw(d)
        test_width_views(d)
        test_latin1_input(d)
        test_gopher_plus(d)
    with gt.Daemon(articles=files, gemini=False, width=40, charset="latin1") as d:
        test_views(d, 40, "latin-1")
        data = curl(d.gopher_port, "/1/")
        gt.ok("Articles récents".encode("latin-1") in data,
              "charset = latin1: the default view is Latin-1")
    test_pure(files)
    gt.done()


main()
