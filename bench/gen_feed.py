#!/usr/bin/env python3
# griot: generate a WordPress-style RSS feed for the import benchmark.  Copyright (c) 2026 the griot developers; ISC licence.
"""Write an RSS 2.0 feed of N items (default 1,000), each with about 5 KB
of HTML in content:encoded (paragraphs of French text with entities and
links, a heading, a list, a figure, every tenth item a table, a share
block to leave out), to standard output.  The total bytes of HTML go to
standard error, for MB/s.  Deterministic: the same N gives the same feed.

    python3 bench/gen_feed.py 1000 > feed.xml
"""

import random
import sys

WORDS = ("le la les un une des de du et à pour par dans sur avec sans "
         "gouvernement ministre sécurité paix Togo Lomé marché école "
         "université journalistes œuvre développement région santé "
         "élection réforme économie agriculture jeunesse « » ’ – …").split()


def sentence(rnd, n):
    w = [rnd.choice(WORDS) for _ in range(n)]
    w[0] = w[0].capitalize()
    return " ".join(w).replace("’ ", "&#8217;") + "."


def paragraph(rnd, i):
    s = " ".join(sentence(rnd, rnd.randint(8, 18)) for _ in range(rnd.randint(3, 5)))
    cut = s.find(" ", len(s) // 2)
    return ('<p>%s <a href="/2026/01/%02d/article-%d/">%s</a> %s</p>\n'
            % (s[:cut], (i % 28) + 1, i, "lire aussi", s[cut:]))


def item(rnd, i):
    parts = []
    size = 0
    while size < 4200:
        p = paragraph(rnd, i)
        parts.append(p)
        size += len(p.encode())
    parts.insert(2, '<h2 class="wp-block-heading">%s</h2>\n' % sentence(rnd, 5))
    parts.insert(3, "<ul>%s</ul>\n" % "".join("<li>%s</li>" % sentence(rnd, 6) for _ in range(3)))
    parts.insert(4, '<figure class="wp-block-image"><img src="/wp-content/uploads/2026/01/%d.jpg" '
                 'alt="photo %d"/><figcaption>%s</figcaption></figure>\n' % (i, i, sentence(rnd, 6)))
    if i % 10 == 0:
        parts.append("<table><tr><th>Région</th><th>Taux</th></tr>%s</table>\n" % "".join(
            "<tr><td>%s</td><td>%d,%d %%</td></tr>" % (rnd.choice(WORDS), rnd.randint(50, 99), rnd.randint(0, 9))
            for _ in range(5)))
    parts.append('<div class="sharedaddy"><h3>Partager :</h3><ul><li><a href="?share=x">X</a></li></ul></div>\n')
    return "".join(parts)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rnd = random.Random(n)
    out = sys.stdout
    total = 0
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
              'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
              'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
              '<title>Banc d’essai</title><link>https://bench.example</link>\n')
    for i in range(n):
        html = item(rnd, i)
        total += len(html.encode())
        day = 1 + i % 28
        out.write("<item><title>Article %d : %s</title>\n"
                  "<link>https://bench.example/2026/01/%02d/article-%d/</link>\n"
                  "<dc:creator><![CDATA[Rédaction]]></dc:creator>\n"
                  "<pubDate>%s, %02d Jan 2026 %02d:%02d:00 +0000</pubDate>\n"
                  "<category><![CDATA[Société]]></category>\n"
                  "<content:encoded><![CDATA[%s]]></content:encoded></item>\n"
                  % (i, sentence(rnd, 6).rstrip("."), day, i,
                     ("Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed")[(day - 1) % 7],
                     day, i % 24, i % 60, html))
    out.write("</channel>\n</rss>\n")
    sys.stderr.write("%d\n" % total)


if __name__ == "__main__":
    main()
