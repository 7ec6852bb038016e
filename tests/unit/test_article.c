/* griot: unit tests of the article parser.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Every rule of DESIGN.md "Article files", table-driven: an input file,
 * the parsed article dumped as text and the messages, compared byte for
 * byte; then the torture files and the file-system refusals.
 */

#include "griot-config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "tap.h"

#define NBSP	"\xc2\xa0"		/* U+00A0 */
#define NNBSP	"\xe2\x80\xaf"		/* U+202F */
#define FFFD	"\xef\xbf\xbd"		/* U+FFFD */

/* Messages: one line each, "E " (refused) or "W " (warning) first. */
static void
collect(void *arg, int error, const char *msg)
{
	struct buf	*b = arg;

	buf_puts(b, error ? "E " : "W ");
	buf_puts(b, msg);
	buf_addc(b, '\n');
}

static const char *
block_name(enum block_type t)
{
	switch (t) {
	case BLOCK_PARAGRAPH:
		return "P";
	case BLOCK_HEADING1:
		return "H1";
	case BLOCK_HEADING2:
		return "H2";
	case BLOCK_HEADING3:
		return "H3";
	case BLOCK_QUOTE:
		return "Q";
	case BLOCK_LIST:
		return "L";
	case BLOCK_LINK:
		return "=>";
	case BLOCK_PRE:
		return "PRE";
	}
	return "?";
}

static void
dump_blocks(struct buf *b, const struct block *bl, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (bl[i].type == BLOCK_LINK)
			buf_printf(b, "=> [%s] [%s]\n", bl[i].url, bl[i].text);
		else if (bl[i].type == BLOCK_PRE)
			buf_printf(b, "PRE(%s) [%s]\n", bl[i].alt, bl[i].text);
		else
			buf_printf(b, "%s [%s]\n", block_name(bl[i].type),
			    bl[i].text);
	}
}

/* The whole article as text, one field a line. */
static void
dump(struct buf *b, const struct article *a)
{
	size_t	 i;

	if (a == NULL) {
		buf_puts(b, "(refused)\n");
		return;
	}
	buf_printf(b, "id=%s title=[%s]\n", a->id, a->title);
	buf_printf(b, "date=%s time=%s month=%s stamp=%lld\n", a->date,
	    a->time, a->month, (long long)a->stamp);
	for (i = 0; i < a->nauthors; i++)
		buf_printf(b, "author=[%s]\n", a->authors[i]);
	if (a->category != NULL)
		buf_printf(b, "category=[%s] slug=%s\n", a->category,
		    a->category_slug);
	for (i = 0; i < a->ntags; i++)
		buf_printf(b, "tag=[%s]\n", a->tags[i]);
	if (a->summary != NULL)
		buf_printf(b, "summary=[%s]\n", a->summary);
	if (a->lang != NULL)
		buf_printf(b, "lang=%s\n", a->lang);
	if (a->draft)
		buf_puts(b, "draft\n");
	if (a->source != NULL)
		buf_printf(b, "source=%s\n", a->source);
	dump_blocks(b, a->blocks, a->nblocks);
}

struct parse_case {
	const char	*what;
	int		 french;
	const char	*in;
	const char	*want;	/* dump */
	const char	*msgs;
};

#define HDR	"Title: T\nDate: 2025-01-02\n\n"
#define HDR_DUMP "id=x title=[T]\ndate=2025-01-02 time= month=2025-01 stamp=1735776000\n"

static const struct parse_case parse_cases[] = {
	{ "minimal article", 0, HDR "Corps.\n", HDR_DUMP "P [Corps.]\n", "" },
	{ "every header, keys in any case", 0,
	  "TITLE: Le titre\ndate: 2025-01-02 10:30\nauthor: A. Un\n"
	  "AUTHOR: B. Deux\ncategory: A la une\nTags: paix, sécurité ,, paix,Togo\n"
	  "summary: Le résumé\nLANG: fr-TG\nDraft: no\n\nTexte.\n",
	  "id=x title=[Le titre]\ndate=2025-01-02 time=10:30 month=2025-01 stamp=1735813800\n"
	  "author=[A. Un]\nauthor=[B. Deux]\ncategory=[A la une] slug=a-la-une\n"
	  "tag=[paix]\ntag=[sécurité]\ntag=[Togo]\nsummary=[Le résumé]\nlang=fr-TG\n"
	  "P [Texte.]\n", "" },
	{ "values trimmed, TAB after the colon", 0,
	  "Title:\t  Un titre \t \nDate:   2025-01-02  \n\n",
	  "id=x title=[Un titre]\ndate=2025-01-02 time= month=2025-01 stamp=1735776000\n", "" },
	{ "missing Title", 0, "Date: 2025-01-02\n\nx\n", "(refused)\n",
	  "E x.txt:0: missing \"Title:\" header\n" },
	{ "missing Date", 0, "Title: T\n\nx\n", "(refused)\n",
	  "E x.txt:0: missing \"Date:\" header\n" },
	{ "missing both", 0, "", "(refused)\n",
	  "E x.txt:0: missing \"Title:\" header\n"
	  "E x.txt:0: missing \"Date:\" header\n" },
	{ "empty Title", 0, "Title:  \nDate: 2025-01-02\n\n", "(refused)\n",
	  "E x.txt:1: empty \"Title:\" header\n" },
	{ "date not YYYY-MM-DD", 0, "Title: T\nDate: 17/03/2025\n\n",
	  "(refused)\n",
	  "E x.txt:2: Date \"17/03/2025\" is not YYYY-MM-DD [HH:MM]\n" },
	{ "date with one-digit month", 0, "Title: T\nDate: 2025-3-14\n",
	  "(refused)\n",
	  "E x.txt:2: Date \"2025-3-14\" is not YYYY-MM-DD [HH:MM]\n" },
	{ "date with a T", 0, "Title: T\nDate: 2025-03-14T07:45\n",
	  "(refused)\n",
	  "E x.txt:2: Date \"2025-03-14T07:45\" is not YYYY-MM-DD [HH:MM]\n" },
	{ "date with seconds", 0, "Title: T\nDate: 2025-03-14 07:45:00\n",
	  "(refused)\n",
	  "E x.txt:2: Date \"2025-03-14 07:45:00\" is not YYYY-MM-DD [HH:MM]\n" },
	{ "February 30th", 0, "Title: T\nDate: 2025-02-30\n", "(refused)\n",
	  "E x.txt:2: Date \"2025-02-30\" is not a calendar date\n" },
	{ "month 13", 0, "Title: T\nDate: 2025-13-01\n", "(refused)\n",
	  "E x.txt:2: Date \"2025-13-01\" is not a calendar date\n" },
	{ "day 0", 0, "Title: T\nDate: 2025-01-00\n", "(refused)\n",
	  "E x.txt:2: Date \"2025-01-00\" is not a calendar date\n" },
	{ "2023 is no leap year", 0, "Title: T\nDate: 2023-02-29\n",
	  "(refused)\n",
	  "E x.txt:2: Date \"2023-02-29\" is not a calendar date\n" },
	{ "1900 is no leap year", 0, "Title: T\nDate: 1900-02-29\n",
	  "(refused)\n",
	  "E x.txt:2: Date \"1900-02-29\" is not a calendar date\n" },
	{ "2024 is a leap year", 0, "Title: T\nDate: 2024-02-29\n",
	  "id=x title=[T]\ndate=2024-02-29 time= month=2024-02 stamp=1709164800\n",
	  "" },
	{ "2000 is a leap year", 0, "Title: T\nDate: 2000-02-29\n",
	  "id=x title=[T]\ndate=2000-02-29 time= month=2000-02 stamp=951782400\n",
	  "" },
	{ "24:00 is no time", 0, "Title: T\nDate: 2025-03-14 24:00\n",
	  "(refused)\n",
	  "E x.txt:2: Date \"2025-03-14 24:00\" has no such time of day "
	  "(00:00 to 23:59)\n" },
	{ "minute 60", 0, "Title: T\nDate: 2025-03-14 12:60\n",
	  "(refused)\n",
	  "E x.txt:2: Date \"2025-03-14 12:60\" has no such time of day "
	  "(00:00 to 23:59)\n" },
	{ "before 1970", 0, "Title: T\nDate: 1969-12-31 23:59\n",
	  "id=x title=[T]\ndate=1969-12-31 time=23:59 month=1969-12 stamp=-60\n",
	  "" },
	{ "long bad date quoted shortened", 0,
	  "Title: T\nDate: le quatorze mars deux mille vingt-cinq, au petit "
	  "matin, vers sept heures\n", "(refused)\n",
	  "E x.txt:2: Date \"le quatorze mars deux mille vingt-cinq, au petit "
	  "matin, ver…\" is not YYYY-MM-DD [HH:MM]\n" },
	{ "unknown header warned", 0, "Title: T\nDate: 2025-01-02\nSignature: AFP\n\n",
	  HDR_DUMP, "W x.txt:3: unknown header \"Signature\", ignored\n" },
	{ "repeated Title", 0, "Title: T\nTitle: U\nDate: 2025-01-02\n",
	  HDR_DUMP, "W x.txt:2: repeated \"Title:\" header ignored\n" },
	{ "empty optional header", 0, "Title: T\nDate: 2025-01-02\nCategory:\n",
	  HDR_DUMP, "W x.txt:3: empty \"Category:\" header ignored\n" },
	{ "no blank line after the header", 0,
	  "Title: T\nDate: 2025-01-02\nLe texte commence : ici.\nSuite.\n",
	  HDR_DUMP "P [Le texte commence : ici. Suite.]\n",
	  "W x.txt:3: not a \"Key: value\" header line: the body starts here "
	  "(a blank line should end the header)\n" },
	{ "blank line of spaces ends the header", 0,
	  "Title: T\nDate: 2025-01-02\n \t \nCorps.\n", HDR_DUMP "P [Corps.]\n", "" },
	{ "Draft: yes", 0, "Title: T\nDate: 2025-01-02\nDraft: yes\n",
	  HDR_DUMP "draft\n", "" },
	{ "Draft: NON", 0, "Title: T\nDate: 2025-01-02\nDraft: NON\n",
	  HDR_DUMP, "" },
	{ "Draft: oui", 0, "Title: T\nDate: 2025-01-02\ndraft: Oui\n",
	  HDR_DUMP "draft\n", "" },
	{ "Draft neither yes nor no", 0, "Title: T\nDate: 2025-01-02\nDraft: bientôt\n",
	  HDR_DUMP "draft\n",
	  "W x.txt:3: Draft \"bientôt\" is neither yes nor no; the article is "
	  "kept as a draft\n" },
	{ "Lang that is no tag", 0, "Title: T\nDate: 2025-01-02\nLang: fr_FR\n",
	  HDR_DUMP, "W x.txt:3: Lang \"fr_FR\" is not a language tag such as "
	  "\"fr\" or \"fr-TG\", ignored\n" },
	{ "Lang: a word is no tag (2 or 3 letters first)", 0,
	  "Title: T\nDate: 2025-01-02\nLang: french\n",
	  HDR_DUMP, "W x.txt:3: Lang \"french\" is not a language tag such "
	  "as \"fr\" or \"fr-TG\", ignored\n" },
	{ "Lang: script and region subtags", 0,
	  "Title: T\nDate: 2025-01-02\nLang: zh-Hant-TW\n",
	  HDR_DUMP "lang=zh-Hant-TW\n", "" },
	{ "Lang with a CR LF injection attempt is refused", 0,
	  "Title: T\nDate: 2025-01-02\nLang: fr; charset=x\n",
	  HDR_DUMP, "W x.txt:3: Lang \"fr; charset=x\" is not a language tag "
	  "such as \"fr\" or \"fr-TG\", ignored\n" },
	{ "category slugs", 0, "Title: T\nDate: 2025-01-02\nCategory: Éducation & Santé\n",
	  HDR_DUMP "category=[Éducation & Santé] slug=education-sante\n", "" },
	{ "category without ASCII gets a hex slug", 0,
	  "Title: T\nDate: 2025-01-02\nCategory: 日本\n",
	  HDR_DUMP "category=[日本] slug=e697a5e69cac\n", "" },
	{ "hard-wrapped paragraph joined with one space", 0,
	  HDR "Une ligne,\n  une autre\t\net la fin.\n\n\nSecond.\n",
	  HDR_DUMP "P [Une ligne, une autre et la fin.]\nP [Second.]\n", "" },
	{ "TAB inside a paragraph becomes a space", 0, HDR "a\tb\n",
	  HDR_DUMP "P [a b]\n", "" },
	{ "headings", 0, HDR "# Un\n## Deux\n### Trois\n#### Quatre\n#Collé\n",
	  HDR_DUMP "H1 [Un]\nH2 [Deux]\nH3 [Trois]\nH3 [# Quatre]\nH1 [Collé]\n", "" },
	{ "a heading ends a paragraph", 0, HDR "texte\n## Titre\nsuite\n",
	  HDR_DUMP "P [texte]\nH2 [Titre]\nP [suite]\n", "" },
	{ "quotes, one block per line", 0, HDR "> « Un. »\n>Deux\n>\n",
	  HDR_DUMP "Q [« Un. »]\nQ [Deux]\nQ []\n", "" },
	{ "list items", 0, HDR "* un\n* deux  \n*gras*\n",
	  HDR_DUMP "L [un]\nL [deux]\nP [*gras*]\n", "" },
	{ "links", 0,
	  HDR "=> https://exemple.tg/a?b=1&c=2 Le lien : ici\n=>gemini://x/\n"
	  "=>\thttps://y/\t label \n=>   \n",
	  HDR_DUMP "=> [https://exemple.tg/a?b=1&c=2] [Le lien : ici]\n"
	  "=> [gemini://x/] []\n=> [https://y/] [label]\n",
	  "W x.txt:7: link line without a URL, ignored\n" },
	{ "preformatted kept byte for byte", 1,
	  HDR "Avant :\n```tableau : « x »\n\tcol1 | col2  \n\n  * pas une liste\n"
	  "# pas un titre\nPrix : 3 € ! \n```fin ignorée\nAprès !\n",
	  HDR_DUMP "P [Avant" NBSP ":]\n"
	  "PRE(tableau : « x ») [\tcol1 | col2  \n\n  * pas une liste\n"
	  "# pas un titre\nPrix : 3 € ! ]\nP [Après" NNBSP "!]\n", "" },
	{ "empty preformatted block", 0, HDR "```\n```\n",
	  HDR_DUMP "PRE() []\n", "" },
	{ "unclosed fence runs to the end", 0,
	  HDR "texte\n\n```\nligne 1\n\nligne 3\n",
	  HDR_DUMP "P [texte]\nPRE() [ligne 1\n\nligne 3]\n",
	  "W x.txt:6: preformatted block never closed by \"```\"; it runs to "
	  "the end of the file\n" },
	{ "BOM dropped and CRLF accepted", 0,
	  "\xef\xbb\xbfTitle: T\r\nDate: 2025-01-02\r\n\r\nUn\r\ndeux\r\n",
	  HDR_DUMP "P [Un deux]\n", "" },
	{ "controls dropped, DEL too", 0, HDR "a\x07" "b\x7f" "c\x1b[0m\n",
	  HDR_DUMP "P [abc[0m]\n", "" },
	{ "NFC", 0, "Title: Cre\xcc\x80me\nDate: 2025-01-02\n\nNoe\xcc\x88l\n",
	  "id=x title=[Crème]\ndate=2025-01-02 time= month=2025-01 stamp=1735776000\n"
	  "P [Noël]\n", "" },
	{ "invalid UTF-8: one warning per sequence, line and offset", 0,
	  "Title: a\xff" "b\nDate: 2025-01-02\n\nx\xc3(\n\xe9\xe9\n",
	  "id=x title=[a" FFFD "b]\ndate=2025-01-02 time= month=2025-01 stamp=1735776000\n"
	  "P [x" FFFD "( " FFFD FFFD "]\n",
	  "W x.txt:1: invalid UTF-8 at byte 8, replaced by U+FFFD\n"
	  "W x.txt:4: invalid UTF-8 at byte 30, replaced by U+FFFD\n"
	  "W x.txt:5: invalid UTF-8 at byte 33, replaced by U+FFFD\n"
	  "W x.txt:5: invalid UTF-8 at byte 34, replaced by U+FFFD\n" },
	{ "French spacing off: text as written", 0,
	  "Title: Quoi ? « Ceci » : cela !\nDate: 2025-01-02\n\nA ; b\n",
	  "id=x title=[Quoi ? « Ceci » : cela !]\n"
	  "date=2025-01-02 time= month=2025-01 stamp=1735776000\nP [A ; b]\n", "" },
	{ "French spacing where it belongs, never in URLs, ids, dates, tags", 1,
	  "Title: Quoi ? « Ceci » : cela !\nDate: 2025-01-02 10:30\n"
	  "Author: M. Qui ?\nCategory: Vrai ?\nTags: oui ?, non !\n"
	  "Summary: Bref : oui.\n\nA ; b\n# Titre : un\n## Deux !\n### Trois ?\n"
	  "> « Cite »\n* Item : un\n=> https://x.tg/?q=a ;b Lien ?\n"
	  "```alt : x\nPre : x ; y\n```\n",
	  "id=x title=[Quoi" NNBSP "? «" NBSP "Ceci" NNBSP "»" NBSP ": cela" NNBSP "!]\n"
	  "date=2025-01-02 time=10:30 month=2025-01 stamp=1735813800\n"
	  "author=[M. Qui ?]\ncategory=[Vrai ?] slug=vrai\n"
	  "tag=[oui ?]\ntag=[non !]\nsummary=[Bref" NBSP ": oui.]\n"
	  "P [A" NNBSP "; b]\nH1 [Titre" NBSP ": un]\nH2 [Deux" NNBSP "!]\n"
	  "H3 [Trois" NNBSP "?]\nQ [«" NBSP "Cite" NNBSP "»]\nL [Item" NBSP ": un]\n"
	  "=> [https://x.tg/?q=a] [;b Lien" NNBSP "?]\n"
	  "PRE(alt : x) [Pre : x ; y]\n", "" },
	{ "header line with a space in the key starts the body", 0,
	  "Title: T\nDate: 2025-01-02\nLe ministre a dit: oui\n",
	  HDR_DUMP "P [Le ministre a dit: oui]\n",
	  "W x.txt:3: not a \"Key: value\" header line: the body starts here "
	  "(a blank line should end the header)\n" },
	{ "no newline at the end", 0, HDR "fin", HDR_DUMP "P [fin]\n", "" },
	{ "Source: the original's URL, never retypeset", 1,
	  "Title: T\nDate: 2025-01-02\nsource:  https://ex.tg/a?b=1;c=2 \n\nX.\n",
	  HDR_DUMP "source=https://ex.tg/a?b=1;c=2\nP [X.]\n", "" },
	{ "a Source: with a space is no URL", 0,
	  "Title: T\nDate: 2025-01-02\nSource: https://ex.tg/a b\n\nX.\n",
	  HDR_DUMP "P [X.]\n",
	  "W x.txt:3: Source \"https://ex.tg/a b\" is not a URL (scheme:, "
	  "no space), ignored\n" },
	{ "a Source: naming an agency is no URL", 0,
	  "Title: T\nDate: 2025-01-02\nSource: AFP\n\nX.\n",
	  HDR_DUMP "P [X.]\n",
	  "W x.txt:3: Source \"AFP\" is not a URL (scheme:, no space), "
	  "ignored\n" },
	{ "CR-only line ends (old Mac files) are line ends", 0,
	  "Title: T\rDate: 2025-01-02\r\rUn\rdeux\r\r# H\r",
	  HDR_DUMP "P [Un deux]\nH1 [H]\n", "" },
	{ "CR-only line ends: warnings name the right line", 0,
	  "Title: T\rDate: 2025-01-02\r\rx\xff\r\r\ry\xff\r\n\xff",
	  HDR_DUMP "P [x" FFFD "]\nP [y" FFFD " " FFFD "]\n",
	  "W x.txt:4: invalid UTF-8 at byte 28, replaced by U+FFFD\n"
	  "W x.txt:7: invalid UTF-8 at byte 33, replaced by U+FFFD\n"
	  "W x.txt:8: invalid UTF-8 at byte 36, replaced by U+FFFD\n" },
	{ "U+FFFE and U+FFFF, which XML forbids, become U+FFFD", 0,
	  "Title: A\xef\xbf\xbe" "B\xef\xbf\xbf\nDate: 2025-01-02\n\n",
	  "id=x title=[A" FFFD "B" FFFD "]\ndate=2025-01-02 time= "
	  "month=2025-01 stamp=1735776000\n",
	  "W x.txt:1: noncharacter U+FFFE at byte 8 (XML forbids it) "
	  "replaced by U+FFFD\n"
	  "W x.txt:1: noncharacter U+FFFF at byte 12 (XML forbids it) "
	  "replaced by U+FFFD\n" },
	{ "bidirectional controls dropped, line separators made spaces", 0,
	  "Title: \xe2\x80\xaeLe Togo\nDate: 2025-01-02\n\n"
	  "# Tit\xe2\x81\xa6re\nun\xe2\x80\xa8" "deux\xe2\x80\xa9trois\n",
	  "id=x title=[Le Togo]\ndate=2025-01-02 time= month=2025-01 "
	  "stamp=1735776000\nH1 [Titre]\nP [un deux trois]\n",
	  "W x.txt:1: bidirectional control U+202E at byte 7 dropped: it "
	  "would show readers the text in another order\n"
	  "W x.txt:4: bidirectional control U+2066 at byte 41 dropped: it "
	  "would show readers the text in another order\n"
	  "W x.txt:5: U+2028 (line separator) at byte 49 made a space\n"
	  "W x.txt:5: U+2029 (paragraph separator) at byte 56 made a space\n" },
};

static const char nul_in[] =
    "Title: Le\0Togo\nDate: 2025-01-02\n\nmots\0\0\0joints\n";

static void
test_parse(void)
{
	struct article_opts	 opts;
	struct article_report	 r;
	struct buf		 got = BUF_INIT, msgs = BUF_INIT;
	struct article		*a;
	size_t			 i;

	r.fn = collect;
	r.arg = &msgs;
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];

		memset(&opts, 0, sizeof(opts));
		opts.french_spacing = c->french;
		buf_reset(&got);
		buf_reset(&msgs);
		a = article_parse("x", "x.txt", c->in, strlen(c->in), &opts, &r);
		dump(&got, a);
		is_mem(got.data, got.len, c->want, strlen(c->want), c->in, c->what);
		is_mem(msgs.len ? msgs.data : "", msgs.len, c->msgs,
		    strlen(c->msgs), c->in, c->what);
		article_free(a);
	}

	/* NUL bytes, which the table's C strings cannot hold. */
	buf_reset(&got);
	buf_reset(&msgs);
	memset(&opts, 0, sizeof(opts));
	a = article_parse("x", "x.txt", nul_in, sizeof(nul_in) - 1, &opts, &r);
	dump(&got, a);
	is_str(got.data, "id=x title=[Le Togo]\ndate=2025-01-02 time= "
	    "month=2025-01 stamp=1735776000\nP [mots joints]\n", NULL,
	    "NUL bytes keep the words around them apart");
	is_str(msgs.data, "W x.txt:1: NUL byte at byte 9, made a space\n"
	    "W x.txt:4: NUL byte at byte 37, made a space\n", NULL,
	    "NUL bytes: one warning per run");
	article_free(a);
	buf_release(&got);
	buf_release(&msgs);
}

static void
test_ids(void)
{
	static const struct {
		const char	*id;
		int		 ok;
	} cases[] = {
		{ "2024-11-28-gpsa-paix-securite", 1 },
		{ "a", 1 },
		{ "A_b-C.d", 1 },
		{ "v1.2.3", 1 },
		{ "", 0 },
		{ ".cache", 0 },
		{ "a..b", 0 },
		{ "..", 0 },
		{ "a/b", 0 },
		{ "a b", 0 },
		{ "Sécurité", 0 },
		{ "a%2e", 0 },
		{ "a\tb", 0 },
		{ "a~", 0 },
		{ "a:b", 0 },
	};
	char	 longid[ARTICLE_ID_MAX + 1];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(article_is_valid_id(cases[i].id), cases[i].ok,
		    cases[i].id);
	memset(longid, 'a', sizeof(longid));
	longid[ARTICLE_ID_MAX - 1] = '\0';
	is_int(article_is_valid_id(longid), 1, "id of ARTICLE_ID_MAX - 1 bytes");
	longid[ARTICLE_ID_MAX - 1] = 'a';
	longid[ARTICLE_ID_MAX] = '\0';
	is_int(article_is_valid_id(longid), 0, "id of ARTICLE_ID_MAX bytes");
	is_int(article_is_valid_id(NULL), 0, "NULL id");
}

/* Load one file of a folder; its dump and messages. */
static struct article *
load(int dirfd, const char *name, int french, size_t max, struct buf *got,
    struct buf *msgs)
{
	struct article_opts	 opts;
	struct article_report	 r = { collect, msgs };
	struct article		*a;

	memset(&opts, 0, sizeof(opts));
	opts.french_spacing = french;
	opts.max_size = max;
	buf_reset(got);
	buf_reset(msgs);
	a = article_load(dirfd, name, &opts, &r);
	dump(got, a);
	if (msgs->data == NULL)
		buf_puts(msgs, "");
	return a;
}

static const struct {
	const char	*name;
	int		 french;
	const char	*want;
	const char	*msgs;
} torture_cases[] = {
	{ "2025-03-14-typographie.txt", 1,
	  "id=2025-03-14-typographie title=[Typographie" NBSP ": «" NBSP
	  "espaces" NNBSP "», ligatures et accents décomposés]\n"
	  "date=2025-03-14 time=07:45 month=2025-03 stamp=1741938300\n"
	  "author=[Rédaction]\ncategory=[Société] slug=societe\n"
	  "tag=[typographie]\ntag=[œuvre]\ntag=[cœur]\n"
	  "P [Le ministre a déclaré" NBSP ": «" NBSP "Nous devons agir "
	  "ensemble" NNBSP "!" NNBSP "» Puis il a ajouté" NBSP ": «" NBSP
	  "Pourquoi attendre" NNBSP "?" NNBSP "» Les espaces avant les "
	  "deux-points, points-virgules" NNBSP "; points d’exclamation" NNBSP
	  "! et points d’interrogation" NNBSP "? sont ici des espaces "
	  "ordinaires, comme dans la plupart des textes copiés du web.]\n"
	  "P [Ici, au contraire, les espaces sont correctes" NNBSP ": «" NBSP
	  "Grâce à des actions concertées" NNBSP "» et «" NNBSP "Voilà"
	  NNBSP "!" NNBSP "»]\n"
	  "P [Accents décomposés" NBSP ": été, Crème brûlée, Noël, ça.]\n"
	  "P [Ligatures" NBSP ": l’Œuvre des cœurs, les sœurs et les bœufs"
	  NNBSP "; Æsop et l’ex æquo.]\n"
	  "P […et la phrase qui commence par des points de suspension, puis "
	  "une autre.]\n"
	  "P [.Une ligne qui commence par un point.]\n"
	  "P [.]\n"
	  "P [Un mot très long" NBSP ": https://exemple.tg/actualites/2025/03/14/"
	  "un-chemin-vraiment-tres-long-qui-depasse-largement-la-largeur-de-"
	  "ligne-autorisee.html fin.]\n"
	  "P [Tabulation au milieu et caractère de contrôle  à nettoyer. "
	  "Prix" NBSP ": 1" NNBSP "500" NBSP "€, température" NBSP ": 30"
	  NBSP "°C, n°" NBSP "1, émoji 🌍 et 東京.]\n"
	  "=> [https://exemple.tg/source?id=1&lang=fr] [Lien vers la source "
	  "(avec accents é)]\n"
	  "=> [gopher://exemple.tg/1/] [Le même site en Gopher]\n"
	  "=> [gemini://exemple.tg/] [Le même site en Gemini]\n", "" },
	{ "2025-03-15-octets-invalides.txt", 0,
	  "id=2025-03-15-octets-invalides title=[Octets invalides et " FFFD
	  " latin-1]\ndate=2025-03-15 time= month=2025-03 stamp=1741996800\n"
	  "category=[Société] slug=societe\n"
	  "P [Une séquence invalide ici : " FFFD "( puis " FFFD FFFD ", une "
	  "forme trop longue " FFFD ", un demi-substitut " FFFD " et un "
	  FFFD " cod" FFFD " en Latin-1, puis une fin tronqu" FFFD "]\n",
	  "W 2025-03-15-octets-invalides.txt:1: invalid UTF-8 at byte 27, replaced by U+FFFD\n"
	  "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 104, replaced by U+FFFD\n"
	  "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 112, replaced by U+FFFD\n"
	  "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 113, replaced by U+FFFD\n"
	  "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 138, replaced by U+FFFD\n"
	  "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 160, replaced by U+FFFD\n"
	  "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 170, replaced by U+FFFD\n"
	  "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 175, replaced by U+FFFD\n"
	  "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 208, replaced by U+FFFD\n" },
	{ "2025-03-16-sans-titre.txt", 0, "(refused)\n",
	  "E 2025-03-16-sans-titre.txt:0: missing \"Title:\" header\n" },
	{ "2025-03-17-date-invalide.txt", 0, "(refused)\n",
	  "E 2025-03-17-date-invalide.txt:2: Date \"17/03/2025\" is not "
	  "YYYY-MM-DD [HH:MM]\n" },
	{ "Sécurité à Lomé.txt", 0, "(refused)\n",
	  "E Sécurité à Lomé.txt:0: file name refused: an article id has "
	  "only ASCII letters, digits, \"-\", \"_\" and \".\" (not first, "
	  "never \"..\"), at most 127 bytes\n" },
	{ "2025-03-19-paragraphes-et-preformate.txt", 0,
	  "id=2025-03-19-paragraphes-et-preformate title=[Paragraphes coupés "
	  "à la main et bloc préformaté]\n"
	  "date=2025-03-19 time= month=2025-03 stamp=1742342400\n"
	  "category=[Société] slug=societe\n"
	  "P [Ce paragraphe a été coupé à la main, comme dans un courriel, "
	  "et doit être rejoint en une seule ligne en gemtext, puis recoupé "
	  "à la bonne largeur pour Gopher.]\n"
	  "H2 [Un intertitre]\n"
	  "Q [« Une citation qui doit rester une citation. »]\n"
	  "L [premier élément]\n"
	  "L [second élément, plus long, qui devra être replié proprement en "
	  "Gopher sur plusieurs lignes avec un retrait]\n"
	  "PRE(tableau) [Ville      | Température\n-----------+------------\n"
	  "Lomé       | 31 °C\nKara       | 34 °C]\n"
	  "P [Dernier paragraphe.]\n", "" },
	{ "2025-03-20-brouillon.txt", 0,
	  "id=2025-03-20-brouillon title=[Un brouillon]\n"
	  "date=2025-03-20 time= month=2025-03 stamp=1742428800\ndraft\n"
	  "P [Un brouillon n’est jamais publié.]\n", "" },
};

static int
open_dir(const char *sub)
{
	char		 path[PATH_MAX];
	const char	*data = getenv("GRIOT_TESTDATA"), *top;
	int		 n, fd;

	if (data != NULL)
		n = snprintf(path, sizeof(path), "%s/%s", data, sub);
	else {
		top = getenv("top_srcdir");
		n = snprintf(path, sizeof(path), "%s/tests/data/%s",
		    top != NULL ? top : ".", sub);
	}
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		printf("# %s: %s\n", path, strerror(errno));
	return fd;
}

static void
test_torture(void)
{
	struct buf	 got = BUF_INIT, msgs = BUF_INIT;
	struct article	*a;
	size_t		 i;
	int		 fd;

	fd = open_dir("torture");
	ok(fd != -1, "torture folder found (GRIOT_TESTDATA)");
	for (i = 0; i < sizeof(torture_cases) / sizeof(torture_cases[0]); i++) {
		a = load(fd, torture_cases[i].name, torture_cases[i].french, 0,
		    &got, &msgs);
		is_mem(got.data, got.len, torture_cases[i].want,
		    strlen(torture_cases[i].want), torture_cases[i].name,
		    torture_cases[i].name);
		is_mem(msgs.data, msgs.len, torture_cases[i].msgs,
		    strlen(torture_cases[i].msgs), torture_cases[i].name,
		    torture_cases[i].name);
		article_free(a);
	}

	/* The sample articles all load, without a message. */
	if (fd != -1)
		close(fd);
	fd = open_dir("articles");
	a = load(fd, "2024-11-28-gpsa-paix-securite.txt", 1, 0, &got, &msgs);
	ok(a != NULL && a->nauthors == 2 && a->ntags == 5 &&
	    a->nblocks == 7 && strcmp(a->category_slug, "a-la-une") == 0,
	    "GPSA article: 2 authors, 5 tags, 7 paragraphs, slug a-la-une");
	is_str(msgs.data, "", NULL, "GPSA article: no message");
	ok(a != NULL && a->size == 2679, "size is the file's");
	article_free(a);
	if (fd != -1)
		close(fd);
	buf_release(&got);
	buf_release(&msgs);
}

static int
write_file(int dirfd, const char *name, const char *s, size_t len)
{
	int	 fd;

	if ((fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		return -1;
	if (write(fd, s, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* File-system refusals, in a temporary folder. */
static void
test_files(void)
{
	char		 tmpl[] = "/tmp/griot-test-article.XXXXXX";
	const char	*good = "Title: Bon\nDate: 2025-01-02\n\nTexte.\n";
	char		 big[300];
	struct buf	 got = BUF_INIT, msgs = BUF_INIT;
	struct article	*a;
	int		 fd;

	if (mkdtemp(tmpl) == NULL ||
	    (fd = open(tmpl, O_RDONLY | O_DIRECTORY)) == -1) {
		ok(0, "temporary folder: %s", strerror(errno));
		return;
	}
	ok(write_file(fd, "bon.txt", good, strlen(good)) == 0, "write bon.txt");
	ok(symlinkat("bon.txt", fd, "lien.txt") == 0, "symlink lien.txt");
	ok(symlinkat("/etc/passwd", fd, "dehors.txt") == 0, "symlink dehors.txt");
	ok(mkdirat(fd, "dossier.txt", 0755) == 0, "folder dossier.txt");
	ok(mkfifoat(fd, "tube.txt", 0644) == 0, "FIFO tube.txt");
	memset(big, 'x', sizeof(big));
	memcpy(big, good, strlen(good));
	ok(write_file(fd, "gros.txt", big, sizeof(big)) == 0, "write gros.txt");
	ok(write_file(fd, "vide.txt", "", 0) == 0, "write vide.txt");

	a = load(fd, "bon.txt", 0, 0, &got, &msgs);
	is_str(got.data, "id=bon title=[Bon]\ndate=2025-01-02 time= "
	    "month=2025-01 stamp=1735776000\nP [Texte.]\n", NULL, "bon.txt loads");
	article_free(a);

	a = load(fd, "lien.txt", 0, 0, &got, &msgs);
	ok(a == NULL, "symlink inside the store refused");
	is_str(msgs.data, "E lien.txt:0: symbolic link refused: not a regular "
	    "file of the store\n", NULL, "symlink message");
	article_free(a);

	a = load(fd, "dehors.txt", 0, 0, &got, &msgs);
	ok(a == NULL, "symlink out of the store refused");
	is_str(msgs.data, "E dehors.txt:0: symbolic link refused: not a "
	    "regular file of the store\n", NULL, "symlink out message");
	article_free(a);

	a = load(fd, "dossier.txt", 0, 0, &got, &msgs);
	ok(a == NULL, "folder refused");
	is_str(msgs.data, "E dossier.txt:0: not a regular file\n", NULL,
	    "folder message");
	article_free(a);

	a = load(fd, "tube.txt", 0, 0, &got, &msgs);
	ok(a == NULL, "FIFO refused without blocking");
	is_str(msgs.data, "E tube.txt:0: not a regular file\n", NULL,
	    "FIFO message");
	article_free(a);

	a = load(fd, "gros.txt", 0, 299, &got, &msgs);
	ok(a == NULL, "file over the size limit refused");
	is_str(msgs.data, "E gros.txt:0: 300 bytes, over the limit of 299 "
	    "bytes\n", NULL, "size message");
	article_free(a);

	a = load(fd, "gros.txt", 0, 300, &got, &msgs);
	ok(a != NULL, "file at the size limit loads");
	article_free(a);

	a = load(fd, "absent.txt", 0, 0, &got, &msgs);
	ok(a == NULL && errno == EINVAL, "missing file refused (errno EINVAL)");
	is_str(msgs.data, "E absent.txt:0: cannot open: No such file or "
	    "directory\n", NULL, "missing file message");
	article_free(a);

	a = load(fd, "vide.txt", 0, 0, &got, &msgs);
	ok(a == NULL, "empty file refused");
	is_str(msgs.data, "E vide.txt:0: missing \"Title:\" header\n"
	    "E vide.txt:0: missing \"Date:\" header\n", NULL, "empty file messages");
	article_free(a);

	a = load(fd, "../bon.txt", 0, 0, &got, &msgs);
	ok(a == NULL, "a path is no id");
	article_free(a);

	a = load(fd, "bad\n\xff.txt", 0, 0, &got, &msgs);
	is_str(msgs.data, "E bad\\x0a\\xff.txt:0: file name refused: an article "
	    "id has only ASCII letters, digits, \"-\", \"_\" and \".\" (not "
	    "first, never \"..\"), at most 127 bytes\n", NULL,
	    "a file name is escaped in messages");
	article_free(a);

	unlinkat(fd, "bon.txt", 0);
	unlinkat(fd, "lien.txt", 0);
	unlinkat(fd, "dehors.txt", 0);
	unlinkat(fd, "dossier.txt", AT_REMOVEDIR);
	unlinkat(fd, "tube.txt", 0);
	unlinkat(fd, "gros.txt", 0);
	unlinkat(fd, "vide.txt", 0);
	close(fd);
	ok(rmdir(tmpl) == 0, "temporary folder removed");
	buf_release(&got);
	buf_release(&msgs);
}

static void
test_body(void)
{
	static const char	 page[] = "\xef\xbb\xbf# À propos\r\n\r\n"
	    "Texte : ici.\n## Sous-titre\n# Second\n=> /x Lien";
	struct article_opts	 opts = { 1, 0 };
	struct article_report	 r;
	struct buf		 got = BUF_INIT, msgs = BUF_INIT;
	struct block		*b;
	size_t			 n;
	char			*title;

	r.fn = collect;
	r.arg = &msgs;
	ok(article_parse_body("a-propos.gmi", page, sizeof(page) - 1, &opts,
	    &r, &b, &n, &title) == 0, "page parses");
	dump_blocks(&got, b, n);
	is_str(got.data, "H1 [À propos]\nP [Texte" NBSP ": ici.]\n"
	    "H2 [Sous-titre]\nH1 [Second]\n=> [/x] [Lien]\n", page, "page blocks");
	is_str(title, "À propos", page, "page title: first level-1 heading");
	ok(msgs.len == 0, "page: no message");
	article_blocks_free(b, n);
	free(title);

	ok(article_parse_body("p.gmi", "## Pas de titre\n```\nx", 21, NULL,
	    &r, &b, &n, &title) == 0 && title == NULL && n == 2,
	    "page without level-1 heading: NULL title");
	is_str(msgs.data, "W p.gmi:2: preformatted block never closed by "
	    "\"```\"; it runs to the end of the file\n", NULL, "page warning");
	article_blocks_free(b, n);
	buf_release(&got);
	buf_release(&msgs);
}

int
main(void)
{
	test_ids();
	test_parse();
	test_torture();
	test_files();
	test_body();
	return tap_done();
}
