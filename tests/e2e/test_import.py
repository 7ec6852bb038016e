# griot: end-to-end tests of griot-import.  Copyright (c) 2026 the griot developers; ISC licence.
"""griot-import on the project's fixtures (tests/data/import/), on a local
HTTP server (Python's http.server on 127.0.0.1), and into the store of a
running griotd.

The articles that come out are compared with tests/data/import/expected/
header by header and block by block, so that a failure names the line.
Dates are written in the capsule's local time: the runs set TZ.
"""

import ctypes
import ctypes.util
import http.server
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

DATA = gt.testdata("import")
EXPECTED = os.path.join(DATA, "expected")
FEED = os.path.join(DATA, "wordpress-feed.xml")
ATOM = os.path.join(DATA, "atom.xml")
GPSA = os.path.join(DATA, "gpsa-paix-securite.html")
CP1252 = os.path.join(DATA, "windows-1252.html")
TABLE = os.path.join(DATA, "table-and-lists.html")
ALL = [FEED, ATOM, GPSA, CP1252, TABLE]

ID_FIRE = "2026-02-01-togo-un-incendie-ravage-plusieurs-etalages-au-marche-de-hedzranawoe"
ID_EPL = "2026-01-30-licence-et-master-en-ingenierie-l-epl-honore-ses-premiers-diplomes"
ID_IA = "2026-02-01-l-ia-au-service-des-redactions-coniia-et-renaji-gabon-s-associent"
ID_GPSA = "2024-11-28-pour-la-paix-et-la-securite-le-ministre-robert-dussey-veut-creer-un-cadre-federateur"
ID_LACS = "2026-01-30-grands-lacs-faure-gnassingbe-a-kigali-pour-une-mediation"
ID_RN1 = "2026-01-30-tragedie-routiere-sur-la-rn1-la-sorad-mise-en-cause"
ID_REDDITION = "2026-02-01-reddition-de-comptes-adjamagbo-johnson-interpelle-le-gouvernement"
ID_BEPC = "2025-07-12-bepc-2025-les-resultats-region-par-region"
# The expected articles, under short names (a release tarball's names
# must fit 99 bytes with their path).
EXPECTED_FILES = {
    ID_FIRE: "fire.txt", ID_EPL: "epl.txt", ID_IA: "ia.txt", ID_LACS: "grands-lacs.txt",
    ID_RN1: "rn1.txt", ID_GPSA: "gpsa.txt", ID_REDDITION: "reddition.txt", ID_BEPC: "bepc.txt",
}


def importer():
    top = os.environ.get("top_builddir", os.path.join(gt.srcdir()))
    return os.path.join(top, "src", "griot-import")


def run(args, tz="Africa/Lome", stdin=None, timeout=60):
    """Run griot-import; return (status, stdout text, stderr text)."""
    env = dict(os.environ, TZ=tz)
    p = subprocess.run([importer()] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout, env=env,
                       input=stdin if stdin is not None else b"")
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def read(path):
    """A file's text; "" when it is missing (the check comparing it fails)."""
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8")
    except FileNotFoundError:
        return ""


def store_files(store):
    return sorted(os.listdir(store))


def split_article(text):
    head, _, body = text.partition("\n\n")
    return head.split("\n"), [b for b in body.split("\n\n")]


def compare_article(got_text, want_text, name):
    """Header by header, then block by block (blank-line separated)."""
    gh, gb = split_article(got_text)
    wh, wb = split_article(want_text)
    for i in range(max(len(gh), len(wh))):
        g = gh[i] if i < len(gh) else None
        w = wh[i] if i < len(wh) else None
        key = (w or g or "").split(":")[0]
        gt.ok(g == w, "%s: header %d (%s)" % (name, i + 1, key), got=g, want=w)
    for i in range(max(len(gb), len(wb))):
        g = gb[i] if i < len(gb) else None
        w = wb[i] if i < len(wb) else None
        first = (w or g or "").split("\n")[0][:40]
        gt.ok(g == w, "%s: block %d (%s)" % (name, i + 1, first), got=g, want=w)
    gt.ok(got_text == want_text, "%s: byte for byte" % name)


class Watch:
    """inotify on a folder (what griotd watches), read after the fact."""
    IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
    IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
    NAMES = {0x2: "MODIFY", 0x4: "ATTRIB", 0x8: "CLOSE_WRITE", 0x40: "MOVED_FROM",
             0x80: "MOVED_TO", 0x100: "CREATE", 0x200: "DELETE"}

    def __init__(self, folder):
        self.libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        mask = sum(self.NAMES)
        if self.fd < 0 or self.libc.inotify_add_watch(self.fd, folder.encode(), mask) < 0:
            raise OSError(ctypes.get_errno(), "inotify")

    def events(self):
        """Every event queued so far: [(NAME, file)]; the kernel queues them
        during the writer's system calls, so none can be late."""
        out = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            i = 0
            while i < len(data):
                wd, mask, cookie, n = struct.unpack_from("iIII", data, i)
                name = data[i + 16:i + 16 + n].rstrip(b"\0").decode()
                out += [(v, name) for k, v in self.NAMES.items() if mask & k]
                i += 16 + n
        return out

    def close(self):
        os.close(self.fd)


def stat_all(store):
    out = {}
    for f in store_files(store):
        st = os.stat(os.path.join(store, f))
        out[f] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


# ---------------------------------------------------------------------

def test_fixtures():
    store = tempfile.mkdtemp(prefix="griot-import-")
    try:
        w = Watch(store)
        rc, out, err = run(["-s", store] + ALL)
        gt.ok(rc == 0, "fixtures: exit 0", got=(rc, err))
        ev = w.events()
        w.close()
        bad = [e for e in ev if not e[1].startswith(".") and e[0] != "CREATE"]
        gt.ok(bad == [] and len([e for e in ev if e[0] == "CREATE" and not e[1].startswith(".")]) == 8,
              "new files appear whole: under their name only a link (CREATE), never a write",
              got=bad or ev)
        lines = out.splitlines()
        want_lines = [
            "new " + ID_FIRE,
            "new " + ID_EPL,
            "skipped https://presse-du-golfe.example/?p=5090: no date",
            "new " + ID_IA,
            "new 2026-01-30-grands-lacs-faure-gnassingbe-a-kigali-pour-une-mediation",
            "new 2026-01-30-tragedie-routiere-sur-la-rn1-la-sorad-mise-en-cause",
            "skipped Sans lien: no link to the original",
            "new " + ID_GPSA,
            "new 2026-02-01-reddition-de-comptes-adjamagbo-johnson-interpelle-le-gouvernement",
            "new 2025-07-12-bepc-2025-les-resultats-region-par-region",
            "8 new, 0 updated, 0 unchanged, 2 skipped",
        ]
        gt.ok(lines == want_lines, "fixtures: one line per item, then the summary",
              got=lines, want=want_lines)
        want_files = sorted(i + ".txt" for i in EXPECTED_FILES)
        gt.ok(store_files(store) == want_files, "fixtures: exactly the expected files, no temporary left",
              got=store_files(store), want=want_files)
        gt.ok(sorted(os.listdir(EXPECTED)) == sorted(EXPECTED_FILES.values()),
              "every expected article is compared")
        for i, short in sorted(EXPECTED_FILES.items()):
            compare_article(read(os.path.join(store, i + ".txt")),
                            read(os.path.join(EXPECTED, short)), i)

        # The GPSA page as its site serves it gives the capsule's sample back.
        got_head, got_body = split_article(read(os.path.join(store, ID_GPSA + ".txt")))
        sample = read(gt.testdata("articles", "2024-11-28-gpsa-paix-securite.txt"))
        s_head, s_body = split_article(sample)
        gt.ok(got_body == [b for b in s_body], "GPSA page: the body is the sample article's, theme left out",
              got=got_body[:2], want=s_body[:2])
        for key in ("Title:", "Author:", "Category:", "Tags:"):
            g = [h for h in got_head if h.startswith(key)]
            w = [h for h in s_head if h.startswith(key)]
            gt.ok(g == w, "GPSA page: %s as in the sample" % key, got=g, want=w)
        gt.ok("Date: 2024-11-28 09:12" in got_head, "GPSA page: date from article:published_time", got=got_head)
        body = read(os.path.join(store, ID_GPSA + ".txt"))
        for junk in ("Partager", "Recent Posts", "Laisser un commentaire", "Accueil", "jQuery", "Similaire"):
            gt.ok(junk not in body, "GPSA page: no %r from the theme" % junk)
    finally:
        shutil.rmtree(store, ignore_errors=True)


def test_time_zones():
    store = tempfile.mkdtemp(prefix="griot-import-")
    try:
        rc, out, err = run(["-s", store, FEED], tz="Europe/Paris")
        gt.ok(rc == 0, "TZ=Europe/Paris: exit 0", got=err)
        epl = read(os.path.join(store, ID_EPL + ".txt"))
        fire = read(os.path.join(store, ID_FIRE + ".txt"))
        gt.ok("\nDate: 2026-01-30 18:00\n" in epl, "pubDate +0100 -> Paris time",
              got=epl.split("\n")[1])
        gt.ok("\nDate: 2026-02-01 22:30\n" in fire, "pubDate +0000 -> Paris time",
              got=fire.split("\n")[1])
    finally:
        shutil.rmtree(store, ignore_errors=True)


def test_idempotent_and_updates():
    store = tempfile.mkdtemp(prefix="griot-import-")
    work = tempfile.mkdtemp(prefix="griot-import-src-")
    try:
        run(["-s", store] + ALL)
        before = stat_all(store)
        w = Watch(store)
        rc, out, err = run(["-s", store] + ALL)
        gt.ok(rc == 0 and out.splitlines()[-1] == "0 new, 0 updated, 8 unchanged, 2 skipped",
              "second import: everything unchanged", got=out)
        gt.ok(stat_all(store) == before, "second import: no file touched (inode, mtime, size)")
        ev = w.events()
        gt.ok(ev == [], "second import: no inotify event in the store", got=ev)

        # -n on a changed feed says what would happen and writes nothing.
        feed = read(FEED).replace("Une enquête a été ouverte.", "Une enquête judiciaire a été ouverte.")
        changed = os.path.join(work, "feed.xml")
        with open(changed, "w", encoding="utf-8") as f:
            f.write(feed)
        rc, out, err = run(["-n", "-s", store, changed])
        gt.ok(("updated " + ID_FIRE) in out.splitlines() and "dry run: 0 new, 1 updated, 2 unchanged, 1 skipped" in out,
              "-n: says updated", got=out)
        gt.ok(stat_all(store) == before, "-n: writes nothing")

        rc, out, err = run(["-s", store, changed])
        gt.ok(rc == 0 and out.splitlines()[0] == "updated " + ID_FIRE,
              "an updated item replaces its file, same name", got=out)
        ev = w.events()
        w.close()
        visible = [e for e in ev if not e[1].startswith(".")]
        gt.ok(visible == [("MOVED_TO", ID_FIRE + ".txt")],
              "update: the only event under a visible name is the rename into place", got=ev)
        gt.ok(any(e[0] == "CLOSE_WRITE" and e[1].startswith("." + ID_FIRE) for e in ev),
              "update: written under a name starting with \".\" first", got=ev)
        fire = read(os.path.join(store, ID_FIRE + ".txt"))
        gt.ok("Une enquête judiciaire a été ouverte." in fire, "the file has the new text")
        after = stat_all(store)
        gt.ok(after[ID_FIRE + ".txt"][0] != before[ID_FIRE + ".txt"][0],
              "replaced by rename (a new inode): griotd never reads half a file")
        same = all(after[f] == before[f] for f in before if f != ID_FIRE + ".txt")
        gt.ok(same, "the other files are untouched")
        gt.ok(not any(f.startswith(".") for f in store_files(store)), "no temporary file left")

        # A changed title keeps the file: it is found by its Source:.
        feed2 = feed.replace("Togo : un incendie ravage", "Togo : un violent incendie ravage")
        with open(changed, "w", encoding="utf-8") as f:
            f.write(feed2)
        rc, out, err = run(["-s", store, changed])
        gt.ok(out.splitlines()[0] == "updated " + ID_FIRE, "a new title: same file (found by Source:)", got=out)
        gt.ok(len(store_files(store)) == 8, "and no second file", got=store_files(store))
    finally:
        shutil.rmtree(store, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


def test_hand_written():
    store = tempfile.mkdtemp(prefix="griot-import-")
    try:
        hand = "Title: Écrit à la main\nDate: 2026-02-01\n\nUn article d’un rédacteur.\n"
        other = ("Title: Une autre source\nDate: 2026-01-30\n"
                 "Source: https://ailleurs.example/epl\n\nTexte.\n")
        with open(os.path.join(store, ID_FIRE + ".txt"), "w", encoding="utf-8") as f:
            f.write(hand)
        with open(os.path.join(store, ID_EPL + ".txt"), "w", encoding="utf-8") as f:
            f.write(other)
        rc, out, err = run(["-s", store, FEED])
        lines = out.splitlines()
        gt.ok(rc == 0 and "new %s-2" % ID_FIRE in lines and "new %s-2" % ID_EPL in lines,
              "a name taken by another file: the import gets -2", got=out)
        gt.ok(read(os.path.join(store, ID_FIRE + ".txt")) == hand, "the hand-written file is untouched")
        gt.ok(read(os.path.join(store, ID_EPL + ".txt")) == other, "a file with another Source: is untouched")
        rc, out, err = run(["-s", store, FEED])
        gt.ok("unchanged %s-2" % ID_FIRE in out.splitlines(), "next run: the -2 file is found again", got=out)
        gt.ok(read(os.path.join(store, ID_FIRE + ".txt")) == hand, "and the hand-written file still untouched")

        # An editor withdraws an imported article with "Draft: yes": a
        # changed item does not bring it back.
        ia = os.path.join(store, ID_IA + ".txt")
        held = read(ia).replace("\nSource:", "\nDraft: yes\nSource:")
        with open(ia, "w", encoding="utf-8") as f:
            f.write(held)
        work = tempfile.mkdtemp(prefix="griot-import-src-")
        changed = os.path.join(work, "feed.xml")
        with open(changed, "w", encoding="utf-8") as f:
            f.write(read(FEED).replace("Premier atelier", "Deuxième atelier"))
        rc, out, err = run(["-s", store, changed])
        shutil.rmtree(work, ignore_errors=True)
        gt.ok(rc == 0 and ("skipped https://presse-du-golfe.example/2026/02/01/coniia-renaji-gabon-ia/: "
                           "%s is a draft in the store (Draft: yes), kept as it is" % ID_IA) in out.splitlines(),
              "a file set to Draft: yes is not replaced", got=out)
        gt.ok(read(ia) == held, "and stays as the editor left it")
    finally:
        shutil.rmtree(store, ignore_errors=True)


def test_bad_input():
    store = tempfile.mkdtemp(prefix="griot-import-")
    work = tempfile.mkdtemp(prefix="griot-import-src-")
    try:
        reasons = {
            "truncated.xml": "not well-formed XML: line 34",
            "mismatched.xml": "not well-formed XML: line 2: Opening and ending tag mismatch",
            "unknown-encoding.xml": "cannot read its encoding",
            "unknown-charset.html": "cannot read the page's encoding: line 1: htmlCheckEncoding: unknown encoding x-klingon",
            "error-page.html": "not a feed, and an HTML page without an article's date",
            "not-a-feed.xml": "the root element is <opml>",
        }
        for name, why in sorted(reasons.items()):
            src = os.path.join(DATA, "broken", name)
            rc, out, err = run(["-s", store, src])
            gt.ok(rc == 1, "%s: exit 1" % name, got=(rc, out, err))
            gt.ok(src in err and why in err and "nothing imported" in err,
                  "%s: the message names the source and why" % name, got=err, want=why)
            gt.ok(store_files(store) == [], "%s: nothing written" % name, got=store_files(store))

        # 10,000 levels of nesting in one item: that item is refused, the rest imported.
        deep = "<div>" * 10000 + "au fond" + "</div>" * 10000
        feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                '<item><title>Profond</title><link>https://ex.example/profond</link>'
                '<pubDate>Mon, 02 Feb 2026 08:00:00 +0000</pubDate>'
                '<content:encoded><![CDATA[%s]]></content:encoded></item>'
                '<item><title>Normal</title><link>https://ex.example/normal</link>'
                '<pubDate>Mon, 02 Feb 2026 09:00:00 +0000</pubDate>'
                '<description>&lt;p&gt;Rien de spécial.&lt;/p&gt;</description></item>'
                '</channel></rss>') % deep
        deep_path = os.path.join(work, "deep.xml")
        with open(deep_path, "w") as f:
            f.write(feed)
        rc, out, err = run(["-s", store, deep_path])
        gt.ok(rc == 1, "10,000 nested elements: exit 1", got=(rc, err))
        gt.ok("deep.xml: https://ex.example/profond: its HTML: HTML nested deeper than 256 elements" in err,
              "10,000 nested elements: the message names the source and the item", got=err)
        gt.ok(store_files(store) == ["2026-02-02-normal.txt"], "the other item is imported",
              got=store_files(store))

        # A bad source among good ones: the good ones still import.
        rc, out, err = run(["-s", store, os.path.join(DATA, "broken", "truncated.xml"), ATOM])
        gt.ok(rc == 1 and "2 new" in out, "a broken source does not stop the next one", got=(rc, out))

        # Standard input.
        rc, out, err = run(["-s", store, "-"], stdin=open(CP1252, "rb").read())
        gt.ok(rc == 0 and "new 2026-02-01-reddition-de-comptes-adjamagbo-johnson-interpelle-le-gouvernement" in out,
              "- reads standard input", got=(rc, out, err))

        # Usage.
        rc, out, err = run([])
        gt.ok(rc == 2 and "usage: griot-import" in err, "no source: usage, exit 2", got=(rc, err))
        rc, out, err = run(["-s", os.path.join(work, "nowhere"), FEED])
        gt.ok(rc == 1 and "nowhere" in err, "a missing store: named, exit 1", got=(rc, err))
    finally:
        shutil.rmtree(store, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------
# over HTTP

class Site:
    """What the local server serves; handlers read it under a lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.feed = open(FEED, "rb").read()
        self.etag = '"v1"'
        self.requests = []     # (path, If-None-Match, User-Agent, status)
        self.release = threading.Event()


def make_handler(site):
    page1252 = open(CP1252, "rb").read().replace(
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">\n', b"")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def note(self, status):
            with site.lock:
                site.requests.append((self.path, self.headers.get("If-None-Match"),
                                      self.headers.get("User-Agent"), status))

        def send(self, status, body, ctype="application/rss+xml; charset=UTF-8", extra=()):
            self.note(status)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            p = self.path
            if p == "/feed/":
                with site.lock:
                    feed, etag = site.feed, site.etag
                if self.headers.get("If-None-Match") == etag:
                    self.note(304)
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send(200, feed, extra=[("ETag", etag)])
            elif p == "/moved":
                self.send(301, b"", "text/html", [("Location", "/feed/")])
            elif p == "/loop":
                self.send(302, b"", "text/html", [("Location", "/loop")])
            elif p == "/missing":
                self.send(404, b"<html><body><h1>404</h1></body></html>", "text/html")
            elif p == "/feed-is-html":
                self.send(200, open(os.path.join(DATA, "broken", "error-page.html"), "rb").read(), "text/html")
            elif p == "/page-1252":
                self.send(200, page1252, "text/html; charset=windows-1252")
            elif p in ("/huge", "/huge-chunked"):
                # A 1 GB answer: stream until the client gives up (bounded).
                self.note(200)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                if p == "/huge":
                    self.send_header("Content-Length", str(1 << 30))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<item>" + b"x" * 65530
                try:
                    for _ in range(2048):      # 128 MiB at most
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
            elif p == "/silent":
                self.note(0)
                site.release.wait(30)       # never answers while the test waits
                self.close_connection = True
            else:
                self.send(404, b"", "text/plain")

    return Handler


def test_http():
    site = Site()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    srv.daemon_threads = True
    port = srv.server_address[1]
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    base = "http://127.0.0.1:%d" % port
    store = tempfile.mkdtemp(prefix="griot-import-")
    try:
        rc, out, err = run(["-s", store, base + "/feed/"])
        gt.ok(rc == 0 and "3 new, 0 updated, 0 unchanged, 1 skipped" in out, "HTTP: the feed imports",
              got=(rc, out, err))
        with site.lock:
            first = list(site.requests)
        gt.ok(len(first) == 1 and first[0][2].startswith("griot-import/"),
              "HTTP: one request, a User-Agent naming griot", got=first)
        before = stat_all(store)
        gt.ok(".griot-import.memo" in before, "HTTP: the ETag is remembered in the store (a dot file)")

        rc, out, err = run(["-s", store, base + "/feed/"])
        with site.lock:
            second = site.requests[len(first):]
        gt.ok(second == [("/feed/", '"v1"', second[0][2] if second else None, 304)],
              "HTTP: the second run asks with If-None-Match and gets 304", got=second)
        gt.ok(rc == 0 and ("unchanged %s/feed/: not modified since the last run" % base) in out,
              "HTTP: 304 said as unchanged", got=out)
        gt.ok(stat_all(store) == before, "HTTP: 304 touches nothing")

        with site.lock:
            site.feed = site.feed.replace("Une enquête a été ouverte.".encode(), "L’enquête avance.".encode())
            site.etag = '"v2"'
        rc, out, err = run(["-s", store, base + "/moved"])
        gt.ok(rc == 0 and ("updated " + ID_FIRE) in out, "HTTP: a redirect is followed; a new ETag brings the update",
              got=(out, err))

        rc, out, err = run(["-s", store, base + "/page-1252"])
        got = read(os.path.join(store, "2026-02-01-reddition-de-comptes-adjamagbo-johnson-interpelle-le-gouvernement.txt")) \
            if rc == 0 else ""
        gt.ok(rc == 0 and "275 M€) reste “sans justification”…" in got and "Œuvre collective" in got,
              "HTTP: the charset of the Content-Type header reads a Windows-1252 page", got=(out, err, got[-300:]))

        cases = [
            ("/loop", [], "more than 5 redirects"),
            ("/missing", [], "HTTP 404"),
            ("/feed-is-html", [], "not a feed, and an HTML page without an article's date"),
            ("/huge", [], "announces more than 16777216 bytes"),
            ("/huge-chunked", [], "larger than 16777216 bytes"),
            ("/silent", ["-t", "2"], "no complete answer within 2 s"),
        ]
        for path, opts, why in cases:
            before = stat_all(store)
            t0 = time.monotonic()
            rc, out, err = run(opts + ["-s", store, base + path])
            took = time.monotonic() - t0
            gt.ok(rc == 1 and (base + path) in err and why in err,
                  "HTTP %s: exit 1, %r" % (path, why), got=(rc, err))
            gt.ok(stat_all(store) == before, "HTTP %s: nothing written" % path)
            gt.ok(took < 20, "HTTP %s: gives up in time" % path, got=took)
        rc, out, err = run(["-s", store, "ftp://127.0.0.1:%d/x" % port])
        gt.ok(rc == 1 and "ftp://" in err, "a source that is neither a file nor http(s): refused", got=err)
    finally:
        site.release.set()
        srv.shutdown()
        srv.server_close()
        shutil.rmtree(store, ignore_errors=True)


# ---------------------------------------------------------------------
# into a running griotd


def wait_for(cond, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def test_daemon():
    with gt.Daemon() as d:
        store = os.path.join(d.dir, "articles")
        rc, out, err = run(["-c", d.ini, FEED, GPSA])
        gt.ok(rc == 0 and "4 new" in out, "-c: imports into the ini's store", got=(rc, out, err))
        found = wait_for(lambda: "Les causes encore inconnues".encode() in gt.gopher(
            d.gopher_port, "/articles/%s.txt" % ID_FIRE), timeout=15)
        gt.ok(found, "imported articles appear over Gopher without a signal")
        page = gt.gemini(d.gemini_port, "gemini://localhost:%d/articles/%s.gmi" % (d.gemini_port, ID_GPSA))
        gt.ok(page.startswith(b"20 ") and "Global Peace and Security Alliance".encode() in page,
              "and over Gemini", got=page[:200])
        gt.ok(b"\n=> https://presse-du-golfe.example/2024/11/28/gpsa-paix-securite/ Source\n" in page,
              "Gemini: the Source: header as a link after the body", got=page[-400:])
        text = gt.gopher(d.gopher_port, "/articles/%s.txt" % ID_GPSA)
        gt.ok(b"\r\nSource [1]\r\n" in text and
              b"[1] https://presse-du-golfe.example/2024/11/28/gpsa-paix-securite/" in text,
              "Gopher: the Source: header as the last numbered link", got=text[-300:])
        home = gt.gemini(d.gemini_port, "gemini://localhost:%d/" % d.gemini_port)
        gt.ok(("/articles/%s.gmi" % ID_FIRE).encode() in home, "on the Gemini home page", got=home[:600])
        log = d.read_log()
        gt.ok(not any(i + ".txt:" in log for i in (ID_FIRE, ID_EPL, ID_IA, ID_GPSA)),
              "griotd reports no problem with the imported files", got=log[-800:])
        gt.ok(os.path.exists(os.path.join(store, "2024-11-28-gpsa-paix-securite.txt")),
              "the hand-written sample is still there")
        rc, out, err = run(["-c", d.ini, FEED, GPSA])
        gt.ok(rc == 0 and "0 new, 0 updated, 4 unchanged" in out, "a second import changes nothing", got=out)


def main():
    if not os.path.exists(importer()):
        gt.skip_all("griot-import was not built")
    for t in (test_fixtures, test_time_zones, test_idempotent_and_updates, test_hand_written,
              test_bad_input, test_http, test_daemon):
        try:
            t()
        except Exception as e:     # one broken block must not hide the others
            gt.ok(False, "%s ran to its end" % t.__name__, got=repr(e))
    gt.done()


if __name__ == "__main__":
    main()
