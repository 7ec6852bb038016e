# griot: end-to-end tests of the store updated file by file.  Copyright (c) 2026 the griot developers; ISC licence.
"""A store of 20,000 generated articles served by the real griotd, changed
without a signal: a new, a changed and a removed article are each seen on
Gopher, on Gemini and in the search of both, by an update that reads that
one file (the log says so); a file written in place is not served while
it is half-written, and is once it is closed; a file renamed over another
is seen under its new name only; a SIGHUP still reads the whole store.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

COUNT = 20000

ARTICLE = """\
Title: {title}
Date: 2031-02-03 10:00
Category: Essais
Tags: mise à jour

{body}
"""


def wait_for(cond, timeout=10.0):
    """Poll "cond" every 20 ms until true or "timeout" seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


class Served:
    """What both protocols answer for an article id and a search word."""

    def __init__(self, d):
        self.d = d

    def gopher_article(self, aid):
        return gt.gopher(self.d.gopher_port, "/articles/%s.txt" % aid)

    def gemini_article(self, aid):
        return gt.gemini(self.d.gemini_port, "gemini://localhost:%d/articles/%s.gmi"
                      % (self.d.gemini_port, aid))

    def gopher_search(self, word):
        return gt.gopher(self.d.gopher_port, "/search\t" + word)

    def gemini_search(self, word):
        return gt.gemini(self.d.gemini_port, "gemini://localhost:%d/search?%s"
                      % (self.d.gemini_port, urllib.parse.quote(word)))

    def everywhere(self, aid, word, text):
        """(gopher text, gemini text, gopher search, gemini search) show it."""
        return (text.encode() in self.gopher_article(aid),
                text.encode() in self.gemini_article(aid),
                aid.encode() in self.gopher_search(word),
                aid.encode() in self.gemini_search(word))

    def nowhere(self, aid, word):
        """(gopher error, gemini 51, no gopher hit, no gemini hit)."""
        return (self.gopher_article(aid).startswith(b"3"),
                self.gemini_article(aid).startswith(b"51"),
                aid.encode() not in self.gopher_search(word),
                aid.encode() not in self.gemini_search(word))


def updates(d):
    """The updates that read a few files: "store changed: DIR; updated: ..."."""
    return d.read_log().count("; updated: ")


def last_update(d):
    lines = [l for l in d.read_log().splitlines() if "; updated: " in l]
    return lines[-1] if lines else ""


def full_reads(d):
    """Reads of the whole store, on a change or on SIGHUP."""
    return len([l for l in d.read_log().splitlines()
                if ("store changed:" in l and "; updated: " not in l) or "reloaded:" in l])


def test_updates():
    d = gt.Daemon(articles={}, start=False)
    art = os.path.join(d.dir, "articles")
    subprocess.run([sys.executable, os.path.join(gt.srcdir(), "bench", "gen_store.py"),
                    "-n", str(COUNT), "-s", "3", art], check=True,
                   stdout=subprocess.DEVNULL)
    for f in os.listdir(art):
        os.chmod(os.path.join(art, f), 0o644)
    d.start(timeout=120)
    with d:
        srv = Served(d)
        loaded = [l for l in d.read_log().splitlines() if "articles" in l]
        gt.diag("start: " + (loaded[-1] if loaded else "?"))

        # A new article.
        aid = "2031-02-03-nouvel-article"
        path = os.path.join(art, aid + ".txt")
        n = updates(d)
        gt.write_atomic(path, ARTICLE.format(
            title="Un article tout neuf", body="Le mot zorglubienne est neuf."))
        gt.ok(wait_for(lambda: all(srv.everywhere(aid, "zorglubienne", "tout neuf"))),
              "new article: on Gopher, on Gemini and in both searches without a signal",
              got=srv.everywhere(aid, "zorglubienne", "tout neuf"))
        gt.ok(updates(d) == n + 1 and "1 file read" in last_update(d),
              "new article: one update that read one file", got=last_update(d))
        gt.ok(full_reads(d) == 0, "new article: the store was not read whole")
        home = gt.gopher(d.gopher_port, "")
        gt.ok(aid.encode() in home, "new article: first of the Gopher home page",
              got=home[:600])

        # The same article changed: the new words in, the old ones out.
        n = updates(d)
        gt.write_atomic(path, ARTICLE.format(
            title="Un article corrigé", body="Le mot blastonique remplace l’autre."))
        gt.ok(wait_for(lambda: all(srv.everywhere(aid, "blastonique", "corrigé"))),
              "changed article: the new text on both protocols and in both searches",
              got=srv.everywhere(aid, "blastonique", "corrigé"))
        gt.ok(aid.encode() not in srv.gopher_search("zorglubienne") and
              aid.encode() not in srv.gemini_search("zorglubienne") and
              b"tout neuf" not in srv.gopher_article(aid),
              "changed article: the old words are no longer found")
        gt.ok(updates(d) == n + 1 and "1 file read" in last_update(d),
              "changed article: one update that read one file", got=last_update(d))

        # An article of the generated store changed in place (not renamed).
        victim = sorted(f for f in os.listdir(art) if f.endswith(".txt"))[100]
        vid = victim[:-4]
        with open(os.path.join(art, victim), "a", encoding="utf-8") as f:
            f.write("\nAjout final : quintessencier.\n")
        gt.ok(wait_for(lambda: all(srv.everywhere(vid, "quintessencier", "Ajout final"))),
              "an existing article appended to in place is served with its addition",
              got=srv.everywhere(vid, "quintessencier", "Ajout final"))

        # Removed.
        n = updates(d)
        os.unlink(path)
        gt.ok(wait_for(lambda: all(srv.nowhere(aid, "blastonique"))),
              "removed article: gone from both protocols and both searches",
              got=srv.nowhere(aid, "blastonique"))
        gt.ok(updates(d) == n + 1, "removed article: one update", got=last_update(d))

        # Renamed: seen under the new name only.
        old = os.path.join(art, "2031-02-04-avant.txt")
        new = os.path.join(art, "2031-02-04-apres.txt")
        gt.write_atomic(old, ARTICLE.format(title="Renommé", body="Mot pérégrinatoire."))
        gt.ok(wait_for(lambda: b"2031-02-04-avant" in srv.gopher_search("peregrinatoire")),
              "renamed: first under its first name")
        os.rename(old, new)
        gt.ok(wait_for(lambda: b"2031-02-04-apres" in srv.gopher_search("peregrinatoire") and
                       b"2031-02-04-avant" not in srv.gopher_search("peregrinatoire")),
              "renamed: then under its new name only",
              got=srv.gopher_search("peregrinatoire")[:400])

        # Written in place, slowly: never served half.
        half = "2031-02-05-en-cours"
        hpath = os.path.join(art, half + ".txt")
        f = open(hpath, "w", encoding="utf-8")
        f.write("Title: Écrit lentement\nDate: 2031-02-05\n\nPremière moitié, ")
        f.flush()
        os.fsync(f.fileno())
        # Another change after it, seen: the watch has been through both.
        marker = "2031-02-05-temoin"
        gt.write_atomic(os.path.join(art, marker + ".txt"), ARTICLE.format(
            title="Témoin", body="Mot cryptobalistique."))
        gt.ok(wait_for(lambda: marker.encode() in srv.gopher_search("cryptobalistique")),
              "half-written: a later change is seen")
        gt.ok(srv.gopher_article(half).startswith(b"3") and
              half.encode() not in srv.gopher_search("moitie"),
              "half-written: the file still open for writing is not served",
              got=srv.gopher_article(half)[:200])
        f.write("seconde moitié : fin de l’écriture.\n")
        f.close()
        gt.ok(wait_for(lambda: b"fin de l" in srv.gopher_article(half) and
                       half.encode() in srv.gemini_search("seconde moitie")),
              "half-written: once closed, it is served whole",
              got=srv.gopher_article(half)[:300])

        gt.ok(full_reads(d) == 0, "no change read the whole store",
              got=[l for l in d.read_log().splitlines() if "store changed" in l][-5:])

        # SIGHUP still reads everything.
        n = d.read_log().count("reloaded:")
        d.signal(signal.SIGHUP)
        gt.ok(d.wait_log("reloaded:", n + 1, timeout=120), "SIGHUP reloads the whole store")
        gt.ok(all(srv.everywhere(half, "seconde", "fin de l")) and
              all(srv.nowhere(aid, "blastonique")),
              "after SIGHUP the same articles are served")


def main():
    test_updates()
    gt.done()


if __name__ == "__main__":
    main()
