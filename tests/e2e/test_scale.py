# griot: end-to-end tests of a newsroom-sized store.  Copyright (c) 2026 the griot developers; ISC licence.
"""The real griotd on a generated store of 20,000 articles.

Every menu and index page, over Gopher in eight of its twelve views,
over Gemini, and over HTTP (the web door) in the view without a prefix
(ISO-8859-1, as a browser naming no charset gets it), /utf8/ and
/ascii/, is walked from the root by following its links: each answer
but the Atom feeds is within the 16 KiB budget, every list is cut into
pages that say "Page N sur M" and link to the next and previous ones,
which say N+1 and N-1, and the pages of the categories, of the months
and of a search together list every published article exactly once.
In the four other Gopher views and two other HTTP ones (the view
without a prefix in UTF-8, /latin1/), the root, the lists and the first
and last page of every paged list are read: within the budget, and
with the page numbers, links and articles of the view walked whole.
Page numbers that name no page get an error (Gopher type 3, Gemini
51), never an empty page; old addresses without a number are page 1;
each category has its Atom feed.  A second capsule has an over-long
category, a category whose slug passes 255 bytes and a 247-byte host
name: griotd -t names them, and every menu still answers with the rest.
"""

import os
import random
import re
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import griottest as gt  # noqa: E402
import griotcrawl as gc  # noqa: E402

BUDGET = 16 * 1024
COUNT = 20000
RARE = "zéphyrin"       # in the title of one article in 50
# Every Gopher view, [/utf8|/latin1|/ascii][/40|/80] (griotd(8)), and
# the codec of its menus.  The views in GOPHER_SPOT are not walked
# whole, to keep the test short: the menus that are not a middle page of
# a list (root, categories, archive, years, first and last page of each
# category, month and search) are read at the addresses their sibling
# view, walked whole, has, and must carry the same articles.
VIEWS = tuple((cs + w, enc) for cs, enc in (("", "utf-8"), ("/utf8", "utf-8"),
                                            ("/latin1", "latin-1"), ("/ascii", "ascii"))
              for w in ("", "/40", "/80"))
GOPHER_SPOT = {"/80": "", "/utf8/40": "/utf8", "/latin1/40": "/latin1",
               "/ascii/80": "/ascii"}
# The HTTP views: the one without a prefix as a browser of the 1990s
# gets it (no Accept-Charset: ISO-8859-1) and as a modern one does
# (UTF-8), and the three charset views; (prefix, charset, request
# headers, the sibling view walked whole for a view only sampled).
HTTP_VIEWS = (("", "iso-8859-1", {}, None),
              ("/utf8", "utf-8", {}, None),
              ("/ascii", "us-ascii", {}, None),
              ("", "utf-8", {"Accept-Charset": "utf-8"}, "/utf8"),
              ("/latin1", "iso-8859-1", {}, ""))
ATOM = "{http://www.w3.org/2005/Atom}"

WORDS = """le la les un une des de du au et ou mais pour par sur dans avec
sans entre vers chez après avant depuis pendant selon malgré gouvernement
ministre présidente Assemblée nationale députée conseil région commune
préfecture mairie citoyens jeunesse femmes enfants élèves étudiants école
université santé hôpital médecins marché commerçants économie croissance
budget impôts entreprises emploi agriculture récolte maïs igname coton
café cacao saison sécheresse routière accident sécurité paix justice
tribunal frontière Lomé Kara Sokodé Kpalimé Atakpamé Dapaong Aného Tsévié
Togo Bénin Ghana Burkina Niger CEDEAO réforme projet programme initiative
stratégie développement coopération partenaires financement énergie
solaire électricité numérique réseau journalistes presse liberté élection
scrutin campagne candidat opposition dialogue concertation cérémonie
lancement inauguration atelier formation séminaire forum sommet visite
délégation diplomatie culture musique festival théâtre cinéma écrivain
football Éperviers championnat victoire entraîneur stade œuvre cœur vœux
aujourd’hui « bilan » l’État d’Afrique qu’il n’est""".split()
CATEGORIES = ["À la une", "Politique", "Société", "Économie", "Éducation",
              "Santé", "Sport", "Culture", "International", "Technologie",
              "Environnement", "Faits divers", "Régions"]
TAGS = ["paix", "sécurité", "Togo", "CEDEAO", "élections", "jeunesse",
        "agriculture", "santé publique", "numérique", "énergie", "budget"]


def make_store(n, seed=1):
    """n article files (short bodies, realistic headers); the ids published."""
    rng = random.Random(seed)
    files, published, rare = {}, set(), set()
    for i in range(n):
        date = "%04d-%02d-%02d" % (rng.randint(2019, 2025), rng.randint(1, 12),
                                   rng.randint(1, 28))
        stamp = date
        if rng.random() < 0.8:
            stamp += " %02d:%02d" % (rng.randint(6, 22), rng.choice((0, 15, 30, 45)))
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
        if i % 50 == 0:
            words.insert(rng.randint(0, len(words)), RARE)
        title = " ".join(words)
        title = title[0].upper() + title[1:]
        draft = rng.random() < 0.005
        aid = "%s-%s-%06d" % (date, "-".join(w for w in words[:2] if w.isascii() and w.isalpha()).lower() or "article", i)
        head = ["Title: " + title, "Date: " + stamp,
                "Author: Ama MENSAH", "Category: " + rng.choice(CATEGORIES),
                "Tags: " + ", ".join(rng.sample(TAGS, rng.randint(1, 3)))]
        if draft:
            head.append("Draft: yes")
        files[aid + ".txt"] = "\n".join(head) + "\n\nL’article numéro %d, court.\n" % i
        if not draft:
            published.add(aid)
            if i % 50 == 0:
                rare.add(aid)
    return files, published, rare


def check_pages(pages, what):
    """Budget, well-formed answers, and consistent page links."""
    over = [(p.url, p.size) for p in pages if p.size > BUDGET and p.kind != "feed"]
    gt.ok(not over, "%s: every menu and index page within %d bytes" % (what, BUDGET),
          got=over[:5], want=[])
    bad = [(p.url, p.problems[:2]) for p in pages if p.problems]
    gt.ok(not bad, "%s: every page answered, well formed" % what, got=bad[:5], want=[])
    # A page N of M links to N-1 (when N > 1) and N+1 (when N < M).
    by_url = dict((p.url, p) for p in pages)
    wrong = []
    for p in pages:
        if p.page is None:
            if p.nav:
                wrong.append((p.url, "links without 'Page N sur M'"))
            continue
        n, m = p.page
        if not 1 <= n <= m or m < 2:
            wrong.append((p.url, p.page))
        if ("next" in p.nav) != (n < m) or ("previous" in p.nav) != (n > 1):
            wrong.append((p.url, p.page, sorted(p.nav)))
        # And the pages they lead to are N+1 and N-1 of the same M.
        for rel, step in (("next", 1), ("previous", -1)):
            if rel in p.nav:
                to = by_url.get(p.nav[rel])
                if to is None or to.page != (n + step, m):
                    wrong.append((p.url, rel, p.nav[rel], to and to.page))
    gt.ok(not wrong, "%s: 'Page N sur M' and the previous/next links agree" % what,
          got=wrong[:5], want=[])


def spot_pages(pages):
    """The pages of a walk that are not a middle page of a list (feeds
    left out): what is read of a view only sampled."""
    return [p for p in pages if p.kind != "feed" and (
        p.page is None or p.page[0] in (1, p.page[1]))]


def check_spot(pages, ref, what):
    """Sampled pages: the budget, well formed, and the same page numbers,
    page links and articles as the sibling view's pages "ref"."""
    over = [(p.url, p.size) for p in pages if p.size > BUDGET]
    gt.ok(not over, "%s: root, lists, first and last pages within %d bytes" % (what, BUDGET),
          got=over[:5], want=[])
    bad = [(p.url, p.problems[:2]) for p in pages if p.problems]
    gt.ok(not bad, "%s: every page answered, well formed" % what, got=bad[:5], want=[])
    differ = [(p.url, p.page, r.page, sorted(p.nav), sorted(r.nav))
              for p, r in zip(pages, ref)
              if p.page != r.page or sorted(p.nav) != sorted(r.nav)]
    gt.ok(not differ and len(pages) == len(ref),
          "%s: the same 'Page N sur M' and page links as the view walked whole" % what,
          got=differ[:3], want=[])
    differ = [p.url for p, r in zip(pages, ref) if p.articles != r.articles]
    gt.ok(not differ, "%s: the same articles as the view walked whole" % what,
          got=differ[:3], want=[])


def check_listing(pages, kind, published, what):
    """The pages of one kind list every published article exactly once."""
    seen = Counter()
    for p in pages:
        if p.kind == kind:
            seen.update(p.articles)
    twice = [a for a, c in seen.items() if c != 1]
    missing = published - set(seen)
    extra = set(seen) - published
    gt.ok(not twice and not missing and not extra,
          "%s: the %s pages list each of the %d articles once" % (what, kind, len(published)),
          got=(len(missing), len(extra), twice[:3]), want=(0, 0, []))


def list_of(url):
    """The list a page address belongs to, without its page number:
    Gopher ".../N", Gemini ".../N.gmi" or ".gmi", HTTP ".../N.html" or "/"."""
    return re.sub(r"(/\d+)?(\.gmi)?$|/(\d+\.html)?$", "", url)


def check_newest_first(pages, what):
    """Within each paged list, pages run newest first (ids start with the date)."""
    lists = {}
    for p in pages:
        if p.kind in ("category", "month") and p.page is not None:
            base = list_of(p.url)
            lists.setdefault(base, {})[p.page[0]] = p.articles
    bad = []
    for base, by in lists.items():
        ids = [a for n in sorted(by) for a in by[n]]
        dates = [a[:10] for a in ids]
        if dates != sorted(dates, reverse=True):
            bad.append(base)
    gt.ok(not bad, "%s: paged lists run newest first across pages" % what,
          got=bad[:3], want=[])


def gopher_kind(data):
    return data[:1]


def main():
    t0 = time.monotonic()
    files, published, rare = make_store(COUNT)
    gt.diag("store of %d articles generated in %.1f s" % (COUNT, time.monotonic() - t0))
    q = urllib.parse.quote(RARE, safe="")

    hp = gt.free_port()
    web = "\n[http]\nenabled = yes\nlisten = 127.0.0.1\nport = %d\n" % hp
    with gt.Daemon(articles=files, pages={}, workers=2, timeout=30, extra=web) as d:
        gt.ok(d.wait_log("port %d (http)" % hp), "listening on the HTTP port")
        gt.diag("griotd up after %.1f s" % (time.monotonic() - t0))
        gp, port = d.gopher_port, d.gemini_port
        base = "gemini://localhost:%d" % port

        # Gopher: the views walked whole, then the ones sampled.
        walked = {}
        for prefix, enc in VIEWS:
            if prefix in GOPHER_SPOT:
                continue
            t1 = time.monotonic()
            pages = gc.crawl_gopher(gp, prefix, enc, extra=[prefix + "/search?" + q])
            walked[prefix] = pages
            what = "gopher %s" % (prefix or "/")
            gt.diag("%s: %d menus in %.1f s, largest %d bytes" % (
                what, len(pages), time.monotonic() - t1, max(p.size for p in pages)))
            kinds = Counter(p.kind for p in pages)
            gt.ok(kinds["category"] > 13 and kinds["month"] > 84 and kinds["year"] == 7,
                  "%s: categories, years and months reached" % what, got=dict(kinds))
            check_pages(pages, what)
            check_listing(pages, "category", published, what)
            check_listing(pages, "month", published, what)
            check_listing(pages, "search", rare, what + " search")
            check_newest_first(pages, what)
            gt.ok(d.alive(), "%s: griotd alive after the crawl" % what)
        for prefix, enc in VIEWS:
            if prefix not in GOPHER_SPOT:
                continue
            t1 = time.monotonic()
            sib = GOPHER_SPOT[prefix]
            ref = spot_pages(walked[sib])
            pages = gc.fetch_gopher(gp, [prefix + r.url[len(sib):] for r in ref],
                                    prefix, enc)
            what = "gopher %s" % prefix
            gt.diag("%s: %d menus sampled in %.1f s, largest %d bytes" % (
                what, len(pages), time.monotonic() - t1, max(p.size for p in pages)))
            check_spot(pages, ref, what)
            gt.ok(d.alive(), "%s: griotd alive after the sample" % what)

        # Gemini.
        t1 = time.monotonic()
        pages = gc.crawl_gemini(port, extra=["/search?" + q])
        gt.diag("gemini: %d pages in %.1f s" % (len(pages), time.monotonic() - t1))
        check_pages(pages, "gemini")
        check_listing(pages, "category", published, "gemini")
        check_listing(pages, "month", published, "gemini")
        check_listing(pages, "search", rare, "gemini search")
        check_newest_first(pages, "gemini")

        # HTTP: the views walked whole, then the ones sampled.
        hwalked = {}
        for prefix, charset, headers, sib in HTTP_VIEWS:
            t1 = time.monotonic()
            what = "http %s (%s)" % (prefix or "/", charset)
            if sib is not None:
                ref = spot_pages(hwalked[sib])
                hpages = gc.fetch_http(hp, [prefix + r.url[len(sib):] for r in ref],
                                       prefix, charset, headers)
                gt.diag("%s: %d pages sampled in %.1f s, largest %d bytes" % (
                    what, len(hpages), time.monotonic() - t1, max(p.size for p in hpages)))
                check_spot(hpages, ref, what)
                gt.ok(d.alive(), "%s: griotd alive after the sample" % what)
                continue
            hpages = gc.crawl_http(hp, prefix, charset, headers,
                                   extra=[prefix + "/search?q=" + q])
            hwalked[prefix] = hpages
            gt.diag("%s: %d pages in %.1f s, largest list %d bytes" % (
                what, len(hpages), time.monotonic() - t1,
                max(p.size for p in hpages if p.kind != "feed")))
            kinds = Counter(p.kind for p in hpages)
            gt.ok(kinds["category"] > 13 and kinds["month"] > 84 and kinds["year"] == 7
                  and kinds["feed"] == 14,
                  "%s: categories, years, months and feeds reached" % what,
                  got=dict(kinds))
            check_pages(hpages, what)
            check_listing(hpages, "category", published, what)
            check_listing(hpages, "month", published, what)
            check_listing(hpages, "search", rare, what + " search")
            check_newest_first(hpages, what)
            gt.ok(d.alive(), "%s: griotd alive after the crawl" % what)

        # Each category's feed: linked from its first page, its newest 50.
        firsts = [p for p in pages if re.match(r"^/categories/[a-z0-9-]+\.gmi$", p.url)]
        feeds = set(p.url for p in pages if p.kind == "feed")
        gt.ok(len(firsts) == len(CATEGORIES) and all(
            p.url[:-4] + "/atom.xml" in p.links and p.url[:-4] + "/atom.xml" in feeds
            for p in firsts),
            "gemini: each category's first page links to its feed",
            got=len(firsts), want=len(CATEGORIES))
        bycat = {}
        for p in pages:
            if p.kind == "category":
                slug = re.match(r"/categories/([a-z0-9-]+)", p.url).group(1)
                bycat.setdefault(slug, {})[p.page[0] if p.page else 1] = p.articles
        slug = "economie"
        data = gc.gemini_get(port, base + "/categories/%s/atom.xml" % slug)
        head, _, body = data.partition(b"\r\n")
        gt.ok(head == b"20 application/atom+xml", "category feed: 20 application/atom+xml",
              got=head)
        try:
            feed = ET.fromstring(body)
            ids = [e.find(ATOM + "id").text.rsplit("/", 1)[1][:-4]
                   for e in feed.findall(ATOM + "entry")]
            title = feed.find(ATOM + "title").text
        except (ET.ParseError, AttributeError) as e:
            ids, title = [], str(e)
        newest = [a for n in sorted(bycat[slug]) for a in bycat[slug][n]][:50]
        gt.ok(ids == newest, "category feed: the category's newest 50, in order",
              got=ids[:3], want=newest[:3])
        gt.ok("Économie" in (title or ""), "category feed: titled with the category",
              got=title)

        # Old addresses are page 1.
        for old, new in (("/categories/societe", "/categories/societe/1"),
                         ("/archive/2024-11", "/archive/2024-11/1"),
                         ("/categories/", "/categories/_/1"),
                         ("/archive/", "/archive/_/1")):
            a, b = gc.gopher_get(gp, old), gc.gopher_get(gp, new)
            gt.ok(a == b and a[:1] == b"i" and len(a) > 100,
                  "gopher %s is page 1 (%s)" % (old, new), got=a[:60])
        for old, new in (("/categories/societe.gmi", "/categories/societe/1.gmi"),
                         ("/archive/2024-11.gmi", "/archive/2024-11/1.gmi"),
                         ("/categories/", "/categories/_/1.gmi"),
                         ("/archive/", "/archive/_/1.gmi")):
            a, b = gc.gemini_get(port, base + old), gc.gemini_get(port, base + new)
            gt.ok(a == b and a.startswith(b"20 "), "gemini %s is page 1 (%s)" % (old, new),
                  got=a[:40])

        gt.diag("crawls, feeds and old addresses done after %.1f s" % (time.monotonic() - t0))

        # Page numbers that name no page: an error, never an empty page.
        npages = max(p.page[1] for p in pages if p.kind == "category" and p.page
                     and p.url.startswith("/categories/societe"))
        bad = ["0", "-1", "01", "+2", "2x", "abc", "1.5", " 2", str(npages + 1),
               "99999999", "100000000", "18446744073709551617", "9" * 40, "", "2/3"]
        for b in bad:
            for sel in ("/categories/societe/" + b, "/ascii/archive/2024-11/" + b,
                        "/categories/_/" + b, "/latin1/archive/_/" + b,
                        "/search/" + b + "?" + q):
                if b == "" and not sel.startswith("/search"):
                    continue        # "/categories/societe/" is page 1
                data = gc.gopher_get(gp, sel)
                gt.ok(gopher_kind(data) == b"3" and data.endswith(b".\r\n"),
                      "gopher %r: an error item" % sel, got=data[:60])
            for path in ("/categories/societe/{}.gmi", "/archive/2024-11/{}.gmi",
                         "/categories/_/{}.gmi", "/archive/_/{}.gmi",
                         "/search/{}?" + q):
                path = path.replace("{}", urllib.parse.quote(b, safe="/"))
                data = gc.gemini_get(port, base + path)
                gt.ok(data.startswith(b"51 "), "gemini %s: 51" % path, got=data[:60])
        for sel in ("/archive/2024/2", "/archive/1999", "/archive/2024-13"):
            data = gc.gopher_get(gp, sel)
            gt.ok(gopher_kind(data) == b"3", "gopher %s: an error item" % sel, got=data[:60])
        for path in ("/archive/1999.gmi", "/archive/2024-13.gmi", "/categories/_.gmi"):
            data = gc.gemini_get(port, base + path)
            gt.ok(data.startswith(b"51 "), "gemini %s: 51" % path, got=data[:60])
        gt.ok(d.alive(), "griotd alive after the bad page numbers")
        gt.diag("bad page numbers done after %.1f s" % (time.monotonic() - t0))
        log = d.read_log()
        gt.ok(" 500 " not in log and "\t500\t" not in log,
              "no 500 in the access log", got=[l for l in log.splitlines() if "500" in l][:3])
    gt.diag("whole scale test: %.1f s" % (time.monotonic() - t0))

    long_items()
    gt.diag("long items done after %.1f s" % (time.monotonic() - t0))
    gt.done()


def long_items():
    """One item that cannot be written never empties a menu."""
    long_cat = ("Économie " + "très longue rubrique " * 15)[:300]
    cjk = "日本語中文漢字" * 6
    cjk = cjk[:40]
    host = ".".join(["h" * 61] * 4)[:247]
    files = {
        "2025-01-01-long.txt": "Title: Longue rubrique\nDate: 2025-01-01\nCategory: %s\n\nCorps.\n" % long_cat,
        "2025-01-02-cjk.txt": "Title: Rubrique CJK\nDate: 2025-01-02\nCategory: %s\n\nCorps.\n" % cjk,
        "2025-01-03-ok.txt": "Title: Bien rangé\nDate: 2025-01-03\nCategory: Politique\n\nCorps.\n",
        "2025-01-04-ok.txt": "Title: Aussi rangé\nDate: 2025-01-04\nCategory: Sport\n\nCorps.\n",
    }
    with gt.Daemon(articles=files, pages={}, hostname=host, start=False) as d:
        # Before the daemon binds its ports, which -t checks are free.
        r = subprocess.run([gt.griotd(), "-t", "-c", d.ini], capture_output=True,
                           timeout=60, env=dict(os.environ, GRIOT_ALLOW_ROOT="1"))
        out = (r.stdout + r.stderr).decode("utf-8", "replace")
        gt.ok(r.returncode == 0, "griotd -t: the capsule still serves (exit 0)",
              got=out[-300:])
        gt.ok("hostname" in out and "255" in out, "griotd -t names the long host name",
              got=out[-600:])
        gt.ok(long_cat[:20] in out, "griotd -t names the over-long category", got=out[-600:])
        gt.ok(cjk[:7] in out, "griotd -t names the category whose slug passes 255 bytes",
              got=out[-600:])
        d.start()
        gt.ok(d.wait_log("hostname"), "the long host name is warned about at load")
        for view, enc in VIEWS:
            for sel, want in (("/", "/categories/politique"),
                              ("/categories/", "/categories/sport"),
                              ("/archive/2025-01", "/articles/2025-01-03-ok.txt")):
                data = gc.gopher_get(d.gopher_port, view + sel)
                text = data.decode(enc, "replace")
                gt.ok(data.endswith(b"\r\n.\r\n") and data[:1] == b"i" and
                      view + want in text,
                      "gopher %s%s: served with the rest" % (view, sel), got=data[:80])
        root = gc.gopher_get(d.gopher_port, "/").decode("utf-8", "replace")
        gt.ok("URL:gemini://" not in root and "Texte en UTF-8" in root,
              "gopher /: the Gemini link left out, the rest served", got=root[-300:])
        home = gc.gemini_get(d.gemini_port, "gemini://%s:%d/" % (host, d.gemini_port))
        gt.ok(home.startswith(b"20 "), "gemini /: served", got=home[:60])
        cats = gc.gemini_get(d.gemini_port, "gemini://%s:%d/categories/" % (host, d.gemini_port))
        gt.ok(cats.startswith(b"20 ") and "Économie très".encode() in cats,
              "gemini /categories/: every category, the long one too", got=cats[:80])
        log = d.read_log()
        gt.ok(" 500 " not in log and "\t500\t" not in log, "no 500 in the access log",
              got=[l for l in log.splitlines() if "500" in l][:3])


if __name__ == "__main__":
    main()
