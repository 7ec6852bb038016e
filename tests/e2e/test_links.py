# griot: end-to-end tests of the links menus.  Copyright (c) 2026 the griot developers; ISC licence.
"""The links of an article as a Gopher menu, over a real socket.

The sample capsule (capsule/articles) has an article with a web, a
gopher and a gemini link: every list that names it is followed by an
item of its links menu /links/ID, in every view; the menu's items are
real (h with URL:, a gopher item on its own host and port with the
URL's type and selector), and following them gets the right answers,
the gopher one from griotd itself.  An article with many links is
paged.  Texts end without the "." terminator and name their menu.
"""

import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402

ID = "2026-02-01-coniia-renaji-gabon-ia"
VIEWS = (("", "utf-8"), ("/utf8", "utf-8"), ("/latin1", "latin-1"),
         ("/ascii", "ascii"))


def lines(menu):
    """The lines of a menu without its "." line, each split on TAB."""
    ok = menu.endswith(b"\r\n.\r\n")
    return ok, [ln.split(b"\t") for ln in menu[:-5].split(b"\r\n")] if ok else []


def follows(menu, sel, links_sel):
    """Is the item of "sel" followed at once by a type-1 item to "links_sel"?"""
    _, items = lines(menu)
    for i, f in enumerate(items[:-1]):
        if len(f) == 4 and f[1] == sel.encode():
            n = items[i + 1]
            return (len(n) == 4 and n[0][:1] == b"1" and n[1] == links_sel.encode()
                    and re.match(rb"^1  (Liens|Links|Liens de l'article) \(3\)$", n[0]) is not None)
    return False


def main():
    with gt.Daemon(articles=os.path.join(gt.srcdir(), "capsule", "articles"),
                   start=False) as d:
        port = d.gopher_port
        # An article whose link is a gopher item on griotd itself, and one
        # with 40 links (three pages of 16).
        many = "".join("=> https://example.org/%d Lien %d\n" % (i, i) for i in range(40))
        with open(os.path.join(d.dir, "articles", "2026-02-02-local.txt"), "w") as f:
            f.write("Title: Lien local\nDate: 2026-02-02\nCategory: Essais\n\n"
                    "Un paragraphe.\n\n=> gopher://127.0.0.1:%d/0/articles/%s.txt "
                    "L'autre article\n" % (port, ID))
        with open(os.path.join(d.dir, "articles", "2026-02-02-beaucoup.txt"), "w") as f:
            f.write("Title: Beaucoup de liens\nDate: 2026-02-02\nCategory: Essais\n\n"
                    "Un paragraphe.\n\n" + many)
        d.start()

        for prefix, enc in VIEWS:
            art = "%s/articles/%s.txt" % (prefix, ID)
            links = "%s/links/%s" % (prefix, ID)
            # Every list that names the article: root, category, month, search.
            for where in ("/", "/categories/technologie", "/archive/2026-02",
                          "/search\tCONIIA"):
                menu = gt.gopher(port, prefix + where)
                gt.ok(follows(menu, art, links),
                      "%s%s: the article, then its links item" % (prefix, where.split("\t")[0]))
            # An article without links has no such item.
            menu = gt.gopher(port, prefix + "/categories/societe")
            gt.ok(b"/links/" not in menu and b"\t" + prefix.encode() + b"/articles/" in menu,
                  "%s: no links item for articles without links" % prefix)

            menu = gt.gopher(port, links)
            good, items = lines(menu)
            gt.ok(good and all(len(f) == 4 for f in items),
                  "%s: a menu of four-field lines ending with ." % links)
            title = items[0][0].decode(enc) if items else ""
            gt.ok(title in ("iLiens de l\u2019article", "iLiens de l'article"),
                  "%s: its title" % links, title)
            types = [f[0][:1] for f in items if f[0][:1] not in (b"i", b"")]
            gt.ok(types == [b"0", b"h", b"1", b"h", b"1"],
                  "%s: the text, the three links, home" % links, types)
            first = [f for f in items if f[0][:1] == b"0"]
            gt.ok(first and first[0][1] == art.encode() and
                  first[0][2] == b"localhost" and first[0][3] == str(port).encode(),
                  "%s: the text first" % links, first)
            web = [f for f in items if f[0][:1] == b"h"]
            gt.ok(len(web) == 2 and web[0][1] == b"URL:https://example.org/coniia-renaji"
                  and web[1][1] == b"URL:gemini://geminiprotocol.net/"
                  and all(f[2] == b"localhost" and f[3] == str(port).encode() for f in web),
                  "%s: web and gemini links are h items with URL:" % links, web)
            goph = [f for f in items if f[0][:1] == b"1" and f[2] != b"localhost"]
            gt.ok(len(goph) == 1 and goph[0][1:] == [b"/world", b"gopher.floodgap.com", b"70"],
                  "%s: the gopher link on its own host, port 70, selector /world" % links,
                  goph)

        # Following the items.
        _, items = lines(gt.gopher(port, "/links/" + ID))
        web = [f for f in items if f[0][:1] == b"h"][0]
        page = gt.gopher(port, web[1].decode())
        gt.ok(b'href="https://example.org/coniia-renaji"' in page,
              "the h item's URL: selector answers with a page linking to the URL")
        text = gt.gopher(port, "/articles/%s.txt" % ID)
        gt.ok(text.endswith(b"\r\n") and not text.endswith(b"\r\n.\r\n"),
              "the text ends without the . terminator", text[-30:])
        gt.ok(b"/links/" + ID.encode() + b"\r\n" in text,
              "the text names its links menu on its last line", text[-80:])
        gt.ok(all(ln != b"." for ln in text.split(b"\r\n")),
              "no line of the text is a lone .")

        # The gopher item of the local article: host, port, type, selector.
        _, items = lines(gt.gopher(port, "/links/2026-02-02-local"))
        loc = [f for f in items if f[0][:1] == b"0" and f[1] != b"/articles/2026-02-02-local.txt"]
        want = [b"/articles/%s.txt" % ID.encode(), b"127.0.0.1", str(port).encode()]
        gt.ok(len(loc) == 1 and loc[0][1:] == want,
              "a gopher://127.0.0.1:PORT/0/... link is a type-0 item there", loc)
        if len(loc) == 1:
            other = gt.gopher(int(loc[0][3]), loc[0][1].decode(), host=loc[0][2].decode())
            gt.ok(other.startswith(b"CONIIA et RENAJI-Gabon"),
                  "following it gets the other article", other[:40])

        # Paging: 40 links, 16 a page.
        sel = "/links/2026-02-02-beaucoup"
        p1 = gt.gopher(port, sel)
        p3 = gt.gopher(port, sel + "/3")
        gt.ok(p1.count(b"\r\nh") == 16 and (sel + "/2\t").encode() in p1,
              "page 1: 16 links and the next page")
        gt.ok(p3.count(b"\r\nh") == 8 and (sel + "/2\t").encode() in p3
              and (sel + "/4\t").encode() not in p3, "page 3: the last 8, the previous page")
        for bad in (sel + "/4", sel + "/0", sel + "/01", "/links/", "/links/nope",
                    "/links/2024-11-28-gpsa-paix-securite"):
            ans = gt.gopher(port, bad)
            gt.ok(ans.startswith(b"3"), "%s: not found" % bad, ans[:40])
        gt.ok(max(len(gt.gopher(port, sel + s)) for s in ("", "/2", "/3")) <= 16384,
              "every page within 16 KiB")
        # The search selector's percent-encoded form gets the item too.
        menu = gt.gopher(port, "/search?" + urllib.parse.quote("CONIIA"))
        gt.ok(follows(menu, "/articles/%s.txt" % ID, "/links/" + ID),
              "/search?CONIIA: the article, then its links item")
    gt.done()


if __name__ == "__main__":
    main()
