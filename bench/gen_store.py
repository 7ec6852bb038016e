#!/usr/bin/env python3
# griot: synthetic article store generator.  Copyright (c) 2026 the griot developers; ISC licence.
"""Write a synthetic store of French news articles for bench/bench_store.

Deterministic for a given seed: the same arguments write the same bytes.
Articles are 1 to 5 KB of French-looking text with accents, guillemets,
curly apostrophes, French punctuation, headings, quotes, lists, links and
preformatted blocks; categories, tags, authors and dates over several
years.  A few are drafts.

    bench/gen_store.py [-n COUNT] [-s SEED] OUTPUT_FOLDER
"""

import argparse
import bisect
import itertools
import os
import random
import sys

COMMON = """le la les un une des de du au aux et ou mais donc or ni car
que qui dont où ce cet cette ces son sa ses leur leurs notre nos votre vos
il elle ils elles on nous vous se en y ne pas plus très aussi déjà encore
toujours jamais bien peu beaucoup trop avec sans pour par sur sous dans
entre vers chez contre après avant depuis pendant selon malgré comme
est sont était été être avoir a ont avait fait faire dit dire va vont
peut doit faut veut sait voit prend met donne trouve reste devient
gouvernement ministre président présidente Assemblée nationale député
députée conseil région commune préfecture mairie maire citoyens
population jeunes femmes enfants élèves étudiants enseignants école
université santé hôpital médecins marché commerçants prix économie
croissance budget impôts entreprises emploi chômage agriculture récolte
maïs igname coton café cacao pluie saison sécheresse route routière
accident sécurité paix justice tribunal police gendarmerie frontière
Lomé Kara Sokodé Kpalimé Atakpamé Dapaong Aného Tsévié Togo Bénin Ghana
Burkina Niger Nigeria Afrique CEDEAO Union africaine Nations unies
réforme projet programme initiative plan stratégie développement
coopération partenaires bailleurs financement investissement énergie
solaire électricité eau potable numérique internet téléphone réseau
journalistes presse médias liberté élection scrutin campagne vote
candidat parti opposition majorité dialogue concertation communiqué
cérémonie lancement inauguration atelier formation séminaire rencontre
forum sommet visite délégation ambassadeur diplomatie coopération
culture musique festival théâtre cinéma livre écrivain artiste sport
football Éperviers championnat match victoire défaite entraîneur
joueurs stade œuvre cœur sœur vœux manœuvre nœud bœuf Œuvre
aujourd’hui hier demain semaine mois année janvier février mars avril
mai juin juillet août septembre octobre novembre décembre lundi mardi
mercredi jeudi vendredi samedi dimanche matin soir nuit heure""".split()

ELIDED = ["l’", "d’", "qu’", "n’", "s’", "c’", "j’", "jusqu’"]
VOWEL_WORDS = ["ensemble", "objectif", "initiative", "occasion", "économie",
               "État", "Afrique", "avenir", "énergie", "école", "hôpital",
               "usine", "opposition", "élection", "Assemblée", "enfants",
               "agriculture", "ambassadeur", "artiste", "œuvre", "été"]

CATEGORIES = ["À la une", "A la une", "Politique", "Société", "Économie",
              "Éducation", "Santé", "Sport", "Culture", "Technologie",
              "International", "Environnement", "Faits divers", "Régions"]

TAGS = ["paix", "sécurité", "Togo", "CEDEAO", "élections", "jeunesse",
        "agriculture", "santé publique", "éducation", "numérique",
        "énergie", "eau", "routes", "football", "Éperviers", "culture",
        "diplomatie", "justice", "presse", "économie", "budget", "emploi",
        "femmes", "climat", "pluies", "coton", "café", "cacao", "port",
        "Lomé", "Kara", "Sokodé", "Kpalimé", "Dapaong", "Aného", "Bénin",
        "Ghana", "Burkina Faso", "Nigeria", "Union africaine", "ONU",
        "commerce", "douane", "impôts", "entreprises", "start-up",
        "intelligence artificielle", "téléphonie", "électricité",
        "solaire", "transport", "sécurité routière", "hôpitaux",
        "université", "examens", "BEPC", "baccalauréat", "festival",
        "musique", "cinéma"]

FIRST = ["Kossi", "Ama", "Komlan", "Akossiwa", "Yao", "Afi", "Koffi",
         "Adjoa", "Edem", "Sélom", "Mawuli", "Essi", "Kodjo", "Abla",
         "Moïse", "Éric", "Hélène", "Françoise", "Jérôme", "Noël"]
LAST = ["AKAKPO", "GNAZOU", "MENSAH", "AGBÉKO", "KOUDJO", "AMÉGAN",
        "ADJAMAGBO", "DOSSEH", "LAWSON", "OLYMPIO", "KPÉGBA", "TCHALLA",
        "ATCHOLI", "BAWA", "ÉDORH", "SAMA", "ALI", "DJOBO"]

SYLLABLES = ["ka", "ko", "lo", "mé", "zo", "ta", "gbé", "dé", "vi", "ra",
             "ni", "sa", "pa", "ba", "tè", "ho", "wa", "yé", "fo", "ku",
             "an", "on", "in", "ou", "é", "è", "ê", "ç", "ri", "mu",
             "gné", "tsi", "dzo", "kpa", "gbo", "nyi", "ssa", "llé", "ô"]


def make_lexicon(rng, n):
    """Rare words: invented, with accents, ranked for a Zipf law."""
    words = set()
    while len(words) < n:
        k = rng.choice((2, 2, 3, 3, 3, 4, 4, 5))
        words.add("".join(rng.choice(SYLLABLES) for _ in range(k)))
    words = sorted(words)
    rng.shuffle(words)
    cum = list(itertools.accumulate(1.0 / (i + 1) for i in range(n)))
    return words, cum


def make_sentences(rng, count, lexicon, cum):
    """A pool of sentences, cheap to assemble into many articles."""
    total = cum[-1]
    out = []
    for _ in range(count):
        n = rng.randint(8, 28)
        words = []
        for _ in range(n):
            r = rng.random()
            if r < 0.62:
                w = rng.choice(COMMON)
            elif r < 0.70:
                w = rng.choice(ELIDED) + rng.choice(VOWEL_WORDS)
            elif r < 0.74:
                w = str(rng.randint(1, 2025))
            else:
                w = lexicon[bisect.bisect_left(cum, rng.random() * total)]
            words.append(w)
        # Punctuation the French way, and the web-copied way.
        if rng.random() < 0.25:
            i = rng.randint(1, n - 1)
            sp = " " if rng.random() < 0.7 else "\u00a0"
            words[i] = words[i] + sp + rng.choice(":;")
        if rng.random() < 0.2:
            i = rng.randint(0, n - 3)
            j = rng.randint(i + 1, n - 1)
            words[i] = "«\u00a0" + words[i] if rng.random() < 0.5 else "« " + words[i]
            words[j] = words[j] + " »"
        s = " ".join(words)
        s = s[0].upper() + s[1:]
        end = rng.choice([".", ".", ".", ".", " !", " ?", "…"])
        out.append(s + end)
    return out


def wrap(text, width=72):
    lines, line = [], ""
    for w in text.split(" "):
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = line + " " + w if line else w
    if line:
        lines.append(line)
    return "\n".join(lines)


def article(rng, i, sentences):
    year = rng.randint(2019, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    date = "%04d-%02d-%02d" % (year, month, day)
    if rng.random() < 0.8:
        date += " %02d:%02d" % (rng.randint(6, 22), rng.choice((0, 15, 30, 45)))
    title = rng.choice(sentences).rstrip(".!?… ")
    title = " ".join(title.split(" ")[:rng.randint(6, 14)])
    head = ["Title: " + title, "Date: " + date]
    for _ in range(rng.choice((1, 1, 1, 2))):
        head.append("Author: %s %s" % (rng.choice(FIRST), rng.choice(LAST)))
    head.append("Category: " + rng.choice(CATEGORIES))
    head.append("Tags: " + ", ".join(rng.sample(TAGS, rng.randint(1, 4))))
    if rng.random() < 0.3:
        head.append("Summary: " + rng.choice(sentences))
    if rng.random() < 0.005:
        head.append("Draft: yes")
    target = rng.randint(1000, 5000)
    body, size = [], sum(len(h) + 1 for h in head)
    hard = rng.random() < 0.3
    while size < target:
        r = rng.random()
        if r < 0.06:
            block = "## " + rng.choice(sentences).rstrip(".!?… ")[:60]
        elif r < 0.10:
            block = "> " + rng.choice(sentences)
        elif r < 0.14:
            block = "\n".join("* " + rng.choice(sentences)[:80]
                              for _ in range(rng.randint(2, 4)))
        elif r < 0.16:
            block = "=> https://exemple.tg/%d/%d Lire aussi : %s" % (
                year, rng.randint(1, 99999), rng.choice(sentences)[:50])
        elif r < 0.17:
            block = "```tableau\nVille      | Valeur\n-----------+-------\n" + \
                "\n".join("%-10s | %d" % (rng.choice(("Lomé", "Kara", "Sokodé")),
                                          rng.randint(1, 999)) for _ in range(3)) + "\n```"
        else:
            para = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
            block = wrap(para) if hard else para
        body.append(block)
        size += len(block.encode("utf-8")) + 2
    slug = "-".join(title.split(" ")[:3]).lower()
    slug = "".join(c for c in slug if c.isascii() and (c.isalnum() or c == "-"))
    name = "%s-%s-%06d.txt" % (date[:10], slug.strip("-") or "article", i)
    return name, "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--count", type=int, default=100000)
    ap.add_argument("-s", "--seed", type=int, default=1)
    ap.add_argument("output")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    lexicon, cum = make_lexicon(rng, 40000)
    sentences = make_sentences(rng, 30000, lexicon, cum)
    os.makedirs(args.output, exist_ok=True)
    total = 0
    for i in range(args.count):
        name, text = article(rng, i, sentences)
        data = text.encode("utf-8")
        with open(os.path.join(args.output, name), "wb") as fp:
            fp.write(data)
        total += len(data)
    print("%d articles, %d bytes in %s" % (args.count, total, args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
