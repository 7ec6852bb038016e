/* griot: fuzz harness of the gemtext and Gopher renderers.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Any bytes as an article file (article_parse()), then that article
 * rendered by gemtext.c (its page, and the category, month and search
 * pages listing it) and by gophermap.c (its text, and the category and
 * month menus listing it) in the three charset views, asserting what
 * must always hold:
 * - no bidirectional control nor U+2028, U+2029 in UTF-8 output;
 * - gemtext is UTF-8, LF-only, ends in LF, has no control but TAB inside
 *   preformatted lines; its line types are those of the article (as
 *   many headings, list items, quotes and links, plus the page's own),
 *   its preformatted blocks are the article's byte for byte, and a list
 *   shows the article as "=> /articles/ID.gmi DATE TITLE";
 * - a Gopher text has CRLF lines, none that is ".", none wider than
 *   the width in the view's charset but a preformatted line, a "[n] URL"
 *   reference or a line holding a URL (gophermap.h, text.h), and no
 *   ".\r\n" terminator;
 * - a Gopher menu has lines of four fields, a display within width - 1
 *   columns, the ini's host and port, the article's selector in the view;
 * - every Gopher answer is in its view's charset: ASCII bytes < 0x80,
 *   Latin-1 without C1 bytes, UTF-8 valid; no control but CR, LF, TAB.
 * The first byte picks the options: bits 0-1 the width (20, 40, 67, 80),
 * 2-3 the ini's charset (the default view "" takes it, the two others
 * are rendered under their prefix), 4 French spacing of the article,
 * 5 French spacing of the ini, 6-7 the language.  Without
 * --enable-fuzzing it is linked with replay.c and replays
 * tests/fuzz/corpus/render/ under make check.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "buf.h"
#include "config.h"
#include "gemtext.h"
#include "gophermap.h"
#include "gophertext.h"
#include "paging.h"
#include "store.h"
#include "text.h"
#include "invariants.h"

#define S(x)	((char *)(uintptr_t)(x))	/* a literal in a char * field */

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

#define ID	"2025-03-21-fuzz"
#define HOST	"gopher.example"
#define PORT	7070

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
report(void *arg, int error, const char *msg)
{
	(void)arg;
	(void)error;
	(void)msg;
}

/* No byte the view's charset should not carry; controls: CR, LF, TAB. */
static void
check_charset(const char *s, size_t len, enum text_charset cs)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)s[i];

		CHECK(c >= 0x20 || c == '\r' || c == '\n' || c == '\t');
		CHECK(c != 0x7f);
		if (cs == TEXT_ASCII)
			CHECK(c < 0x80);
		else if (cs == TEXT_LATIN1)
			CHECK(c < 0x80 || c > 0x9f);
		else if (c == 0xc2 && i + 1 < len)	/* U+0080-U+009F */
			CHECK((unsigned char)s[i + 1] > 0x9f);
	}
	if (cs == TEXT_UTF8) {
		CHECK(text_is_utf8(s, len));
		/* Nothing that could show a reader text out of order. */
		CHECK(!fuzz_has_bidi(s, len));
	}
}

/* Columns of one line in the view's charset. */
static size_t
columns(const char *s, size_t len, enum text_charset cs)
{
	if (cs == TEXT_UTF8)
		return text_width(s, len, TEXT_UTF8);
	return len;	/* one byte, one column in ASCII and Latin-1 */
}

/* The URL of a link as the view shows it (gophermap.h). */
static void
url_shown(struct buf *b, const char *url, enum text_charset cs)
{
	size_t	 i;

	for (i = 0; url[i] != '\0'; i++) {
		unsigned char	 c = (unsigned char)url[i];

		if (cs != TEXT_UTF8 && c >= 0x80)
			buf_printf(b, "%%%02X", c);
		else
			buf_addc(b, c);
	}
}

/*
 * The lines a text may hold wider than the width, each ended by LF in
 * "wide": the preformatted lines in the view's charset (a line that is
 * "." gets a leading space), then the "[n] URL" references.
 */
static void
wide_lines(struct buf *wide, const struct article *a, enum text_charset cs)
{
	const struct block	*b;
	const char		*s, *nl;
	size_t			 i, n = 0, start;

	for (i = 0; i < a->nblocks; i++) {
		b = &a->blocks[i];
		if (b->type == BLOCK_LINK) {
			buf_printf(wide, "[%zu] ", ++n);
			url_shown(wide, b->url, cs);
			buf_addc(wide, '\n');
		} else if (b->type == BLOCK_PRE) {
			for (s = b->text;; s = nl + 1) {
				nl = strchr(s, '\n');
				start = wide->len;
				text_encode(wide, s, nl != NULL ?
				    (size_t)(nl - s) : strlen(s), cs);
				if (wide->len == start + 1 &&
				    wide->data[start] == '.') {
					buf_addc(wide, '.');
					memmove(wide->data + start + 1,
					    wide->data + start,
					    wide->len - start - 1);
					wide->data[start] = ' ';
				}
				buf_addc(wide, '\n');
				if (nl == NULL)
					break;
			}
		}
	}
	CHECK(!wide->failed);
}

/* Is the line the selector of the links menu (never cut)? gophertext.c */
static int
is_links_selector(const char *s, size_t len)
{
	return len > 0 && s[0] == '/' && memchr(s, ' ', len) == NULL &&
	    memmem(s, len, "/links/", 7) != NULL;
}

static int
is_wide_line(const struct buf *wide, const char *s, size_t len)
{
	size_t	 i, j;

	for (i = 0; i < wide->len; i = j + 1) {
		j = i;
		while (j < wide->len && wide->data[j] != '\n')
			j++;
		if (j - i == len && memcmp(wide->data + i, s, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * A type-0 text: CRLF lines, no line that is ".", within width but for
 * the wide lines and lines holding a URL; no ".\r\n" terminator.
 */
static void
check_text(const struct buf *b, const struct gophermap_view *v,
    const struct buf *wide)
{
	size_t	 i, j, len;

	CHECK(!b->failed && b->len >= 2);
	CHECK(memcmp(b->data + b->len - 2, "\r\n", 2) == 0);
	check_charset(b->data, b->len, v->charset);
	for (i = 0; i < b->len; i = j + 1) {
		const char	*line = b->data + i;

		j = i;
		while (j < b->len && b->data[j] != '\n')
			j++;
		CHECK(j < b->len && j > i && b->data[j - 1] == '\r');
		len = j - 1 - i;
		CHECK(memchr(line, '\r', len) == NULL);
		CHECK(len != 1 || line[0] != '.');
		if (columns(line, len, v->charset) > (size_t)v->conf->width &&
		    !fuzz_has_url(line, len) && !is_links_selector(line, len))
			CHECK(is_wide_line(wide, line, len));
		/* TAB only in preformatted text, kept as it is. */
		if (memchr(line, '\t', len) != NULL)
			CHECK(is_wide_line(wide, line, len));
	}
}

/* A menu: lines of four fields, fitted displays, ".\r\n" at the end. */
static void
check_menu(const struct buf *b, const struct gophermap_view *v,
    const char *article_sel)
{
	char	 tail[64];
	size_t	 i, j, k, tabs, taillen, sellen = strlen(article_sel);
	int	 found = 0, n;

	CHECK(!b->failed && b->len >= 3);
	CHECK(memcmp(b->data + b->len - 3, ".\r\n", 3) == 0);
	check_charset(b->data, b->len, v->charset);
	n = snprintf(tail, sizeof(tail), "\t%s\t%d", HOST, PORT);
	CHECK(n >= 0 && (size_t)n < sizeof(tail));
	taillen = (size_t)n;
	for (i = 0; i < b->len - 3; i = j + 1) {
		const char	*line = b->data + i, *t1, *t2;

		j = i;
		while (j < b->len && b->data[j] != '\n')
			j++;
		CHECK(j < b->len && j > i + 1 && b->data[j - 1] == '\r');
		CHECK(memchr(line, '\r', j - 1 - i) == NULL);
		for (k = i, tabs = 0; k < j; k++)
			if (b->data[k] == '\t')
				tabs++;
		CHECK(tabs == 3);
		CHECK(line[0] > 0x20 && line[0] < 0x7f);
		CHECK(j - 1 - i >= taillen && memcmp(b->data + j - 1 - taillen,
		    tail, taillen) == 0);
		t1 = memchr(line, '\t', j - i);
		CHECK(columns(line + 1, (size_t)(t1 - line) - 1, v->charset) <=
		    (size_t)v->conf->width - 1);
		t2 = memchr(t1 + 1, '\t', (size_t)(b->data + j - t1 - 1));
		if (line[0] == '0' && (size_t)(t2 - t1 - 1) == sellen &&
		    memcmp(t1 + 1, article_sel, sellen) == 0)
			found++;
	}
	CHECK(found == 1);
}

/* The lines of a gemtext list showing the article. */
static void
check_gemtext(const struct buf *b)
{
	CHECK(!b->failed && b->len > 0 && b->data[b->len - 1] == '\n');
	CHECK(memchr(b->data, '\r', b->len) == NULL);
	CHECK(text_is_utf8(b->data, b->len));
	CHECK(!fuzz_has_bidi(b->data, b->len));
}

static int
count_line(const struct buf *b, const char *want)
{
	size_t	 i, j, n = 0, len = strlen(want);

	for (i = 0; i < b->len; i = j + 1) {
		j = i;
		while (j < b->len && b->data[j] != '\n')
			j++;
		if (j - i == len && memcmp(b->data + i, want, len) == 0)
			n++;
	}
	return (int)n;
}

/*
 * The article's gemtext page: its line types are the article's, its
 * preformatted blocks the article's byte for byte.
 */
static void
check_article_gemtext(const struct buf *b, const struct article *a)
{
	const struct block	*pb = NULL;
	struct buf		 pre = BUF_INIT;
	size_t			 i, j, k, len, nb = 0, npre = 0;
	size_t			 want[4] = { 1, 0, 0, 1 }, got[4] = { 0 };
	int			 in_pre = 0;

	check_gemtext(b);
	if (a->category != NULL)
		want[3] += 2;	/* the category, "more in" */
	for (i = 0; i < a->nblocks; i++)
		switch (a->blocks[i].type) {
		case BLOCK_HEADING1:
		case BLOCK_HEADING2:
		case BLOCK_HEADING3:
			want[0]++;
			break;
		case BLOCK_LIST:
			want[1]++;
			break;
		case BLOCK_QUOTE:
			want[2]++;
			break;
		case BLOCK_LINK:
			want[3]++;
			break;
		default:
			break;
		}

	for (i = 0; i < b->len; i = j + 1) {
		const char	*line = b->data + i;

		j = i;
		while (j < b->len && b->data[j] != '\n')
			j++;
		len = j - i;
		if (len >= 3 && memcmp(line, "```", 3) == 0) {
			if (!in_pre) {
				/* The article's next preformatted block. */
				while (nb < a->nblocks &&
				    a->blocks[nb].type != BLOCK_PRE)
					nb++;
				CHECK(nb < a->nblocks);
				pb = &a->blocks[nb++];
				CHECK(len - 3 == strlen(pb->alt) &&
				    memcmp(line + 3, pb->alt, len - 3) == 0);
				buf_reset(&pre);
				npre = 0;
			} else {
				CHECK(len == 3);
				CHECK(pre.len == strlen(pb->text) &&
				    (pre.len == 0 ||
				    memcmp(pre.data, pb->text, pre.len) == 0));
			}
			in_pre = !in_pre;
			continue;
		}
		for (k = 0; k < len; k++)
			CHECK(((unsigned char)line[k] >= 0x20 ||
			    (in_pre && line[k] == '\t')) && line[k] != 0x7f);
		if (in_pre) {
			if (npre++ > 0)
				buf_addc(&pre, '\n');
			buf_add(&pre, line, len);
			CHECK(!pre.failed);
			continue;
		}
		if (len >= 2 && memcmp(line, "=>", 2) == 0) {
			k = 2;
			while (k < len && (line[k] == ' ' || line[k] == '\t'))
				k++;
			CHECK(k < len);	/* a URL */
			got[3]++;
		} else if (len >= 1 && line[0] == '#')
			got[0]++;
		else if (len >= 2 && memcmp(line, "* ", 2) == 0)
			got[1]++;
		else if (len >= 1 && line[0] == '>')
			got[2]++;
	}
	CHECK(!in_pre);
	while (nb < a->nblocks && a->blocks[nb].type != BLOCK_PRE)
		nb++;
	CHECK(nb == a->nblocks);	/* no block left out */
	for (i = 0; i < 4; i++)
		CHECK(got[i] == want[i]);
	buf_release(&pre);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const int	 widths[] = { 20, 40, 67, 80 };
	static const char	*langs[] = { "fr", "en", "EN_gb", "de" };
	static const char	*prefixes[] = { "/utf8", "/latin1", "/ascii" };
	struct article_opts	 ao;
	struct article_report	 r = { report, NULL };
	struct conf		 c;
	struct gophermap_view	 v;
	struct store_category	 cat;
	struct store_month	 month;
	struct paging		 pages;
	struct buf		 out = BUF_INIT, wide = BUF_INIT;
	struct buf		 want = BUF_INIT;
	const struct article	*list[1];
	struct article		*a;
	char			 sel[256];
	int			 cs;

	if (len == 0)
		return 0;
	memset(&ao, 0, sizeof(ao));
	ao.french_spacing = (data[0] & 0x10) != 0;
	a = article_parse(ID, ID ".txt", (const char *)data + 1, len - 1, &ao,
	    &r);
	if (a == NULL)
		return 0;
	list[0] = a;

	memset(&c, 0, sizeof(c));
	c.name = S("Fuzz : « essai » de rendu");
	c.hostname = S(HOST);
	c.lang = S(langs[data[0] >> 6]);
	c.description = S("");
	c.latest = 5;
	c.french_spacing = (data[0] & 0x20) != 0;
	c.gemini_enabled = 1;
	c.gemini_port = c.gemini_public_port = 1965;
	c.gopher_port = c.gopher_public_port = PORT;
	c.width = widths[data[0] & 3];
	c.charset = (enum text_charset)((data[0] >> 2 & 3) % 3);

	/* Gemtext: the article's page, and the lists showing it. */
	CHECK(gemtext_article(&out, &c, a) == 0);
	check_article_gemtext(&out, a);
	buf_printf(&want, "=> /articles/%s.gmi %s %s", a->id, a->date,
	    a->title);
	buf_add(&want, "", 0);
	CHECK(!want.failed);
	month.articles = list;
	month.narticles = 1;
	memcpy(month.month, a->month, sizeof(month.month));
	buf_reset(&out);
	CHECK(gemtext_month(&out, &c, &month, 1) == 0);
	check_gemtext(&out);
	CHECK(count_line(&out, want.data) == 1);
	if (a->category != NULL) {
		cat.name = a->category;
		cat.slug = a->category_slug;
		cat.articles = list;
		cat.narticles = 1;
		buf_reset(&out);
		CHECK(gemtext_category(&out, &c, &cat, 1) == 0);
		check_gemtext(&out);
		CHECK(count_line(&out, want.data) == 1);
	}
	buf_reset(&out);
	CHECK(paging_init(&pages, 1, 10, 1) == 0);
	CHECK(gemtext_search(&out, &c, a->title, strlen(a->title), list, 1,
	    &pages) == 0);
	check_gemtext(&out);
	CHECK(count_line(&out, want.data) == 1);

	/* Gopher: the default view and the two others. */
	for (cs = 0; cs < 3; cs++) {
		const char	*prefix = cs == (int)c.charset ? "" :
		    prefixes[cs];

		CHECK(gophermap_view_init(&v, &c, NULL, prefix) == 0);
		CHECK(v.charset == (enum text_charset)cs);
		buf_reset(&wide);
		wide_lines(&wide, a, v.charset);
		buf_reset(&out);
		CHECK(gophertext_article(&out, &v, a) == 0);
		check_text(&out, &v, &wide);

		CHECK((size_t)snprintf(sel, sizeof(sel), "%s/articles/%s.txt",
		    prefix, a->id) < sizeof(sel));
		buf_reset(&out);
		CHECK(gophermap_month(&out, &v, &month, 1) == 0);
		check_menu(&out, &v, sel);
		if (a->category != NULL) {
			buf_reset(&out);
			CHECK(gophermap_category(&out, &v, &cat, 1) == 0);
			check_menu(&out, &v, sel);
		}
	}
	buf_release(&out);
	buf_release(&wide);
	buf_release(&want);
	article_free(a);
	return 0;
}
