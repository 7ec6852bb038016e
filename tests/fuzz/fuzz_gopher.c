/* griot: fuzz harness of the Gopher handler.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * libFuzzer entry point for gopher_request_complete() and gopher_respond()
 * on the store in tests/data, asserting what must always hold: a known
 * status; an answer that is a menu (lines of four TAB-separated fields,
 * displays within width - 1 columns, host and port from the ini), a text
 * (CRLF lines, none beginning with ".", none wider than the width but a
 * "[n] URL" reference), each within the width of its view (the ini's,
 * or that of a /40 or /80 prefix), a Gopher+ block (the "+INFO: " lines
 * of a menu), a plain answer after "+-1" or "--1", or an HTML page,
 * each ending as
 * it should; every answer in its view's charset (/ascii/ all bytes below
 * 0x80, /latin1/ no C1 byte, UTF-8 valid and without bidirectional
 * controls or U+2028, U+2029; no control but CR, LF, TAB;
 * the HTML page of a "URL:" selector and caps.txt naming that charset);
 * bytes after the first LF never change the answer; and two requests
 * with the same cache key (gopher_cache_key()) get byte-equal answers,
 * the second one derived from the first by changing what the key
 * leaves out (the leading "/", search words, a Gopher+ tail, the line
 * end).  The first
 * input byte picks the width, the ini's charset and the language.
 * Without --enable-fuzzing it is linked with replay.c and replays
 * tests/fuzz/corpus/gopher/ under make check.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "config.h"
#include "gopher.h"
#include "store.h"
#include "text.h"
#include "invariants.h"

#define S(x)	((char *)(uintptr_t)(x))	/* a literal in a char * field */

#ifndef TESTDATA
#define TESTDATA	"tests/data"
#endif

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct store	*st;

static void
setup(void)
{
	static char		 dir[4096], pages[4096];
	const char		*data = getenv("GRIOT_TESTDATA");
	struct store_opts	 so;

	if (st != NULL)
		return;
	if (data == NULL)
		data = TESTDATA;
	if ((size_t)snprintf(dir, sizeof(dir), "%s/articles", data) >=
	    sizeof(dir) ||
	    (size_t)snprintf(pages, sizeof(pages), "%s/pages", data) >=
	    sizeof(pages))
		abort();
	memset(&so, 0, sizeof(so));
	so.dir = dir;
	so.pages = pages;
	so.french_spacing = 1;
	if ((st = store_open(&so, NULL, NULL)) == NULL)
		abort();
}

/* Columns of a display or text line in the view's charset. */
static size_t
columns(const char *s, size_t len, enum text_charset cs)
{
	if (cs == TEXT_UTF8)
		return text_width(s, len, TEXT_UTF8);
	return len;	/* one byte, one column in ASCII and Latin-1 */
}

/*
 * The request line's length without its end, and the selector's (up to
 * the first TAB), as the Gopher handler reads them.
 */
static void
split(const char *req, size_t len, size_t *line, size_t *sellen)
{
	const char	*nl, *tab;

	nl = memchr(req, '\n', len);
	*line = nl != NULL ? (size_t)(nl - req) : len;
	if (*line > 0 && req[*line - 1] == '\r')
		--*line;
	tab = memchr(req, '\t', *line);
	*sellen = tab != NULL ? (size_t)(tab - req) : *line;
}

/*
 * The view answering "req", as gopher_respond() picks it: the ini's
 * charset and width for a request it refuses before reading the
 * selector, for "URL:" and for the default view; else those of the
 * "[/CHARSET][/WIDTH]" prefix (gophermap_view_prefix()).
 */
static void
view_of(const char *req, size_t len, const struct conf *c,
    struct gophermap_view *v)
{
	char		 sel[GOPHER_SELECTOR_MAX + 2];
	size_t		 line, sellen, n = 0;

	CHECK(gophermap_view_init(v, c, NULL, "") == 0);
	split(req, len, &line, &sellen);
	if (line > GOPHER_REQUEST_MAX || memchr(req, '\0', line) != NULL ||
	    sellen > GOPHER_SELECTOR_MAX || !text_is_utf8(req, sellen))
		return;
	if (sellen == 0 || req[0] != '/')
		sel[n++] = '/';
	memcpy(sel + n, req, sellen);
	sel[n + sellen] = '\0';
	if (strncmp(sel, "/URL:", 5) == 0)
		return;
	CHECK(gophermap_view_init(v, c, NULL, gophermap_view_prefix(sel)) ==
	    0);
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

static int
is_reference(const char *s, size_t len)
{
	size_t	 i = 1;

	if (len < 4 || s[0] != '[')
		return 0;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 1 || i + 2 >= len || s[i] != ']' || s[i + 1] != ' ')
		return 0;
	return memchr(s + i + 2, ' ', len - i - 2) == NULL;
}

/*
 * Lines of "b" from "off": a menu to its final ".\r\n", a text to its
 * end (no terminator: gophermap.h).
 */
static void
check_lines(const struct buf *b, size_t off, const struct conf *c,
    const struct gophermap_view *v, int menu)
{
	enum text_charset	 cs = v->charset;
	char	 tail[32];
	size_t	 i, j, k, tabs, taillen, end;
	int	 n;

	if (menu) {
		CHECK(b->len >= off + 3);
		CHECK(memcmp(b->data + b->len - 3, ".\r\n", 3) == 0);
		end = b->len - 3;
	} else {
		CHECK(b->len >= off + 2);
		CHECK(memcmp(b->data + b->len - 2, "\r\n", 2) == 0);
		end = b->len;
	}
	n = snprintf(tail, sizeof(tail), "\t%s\t%d", c->hostname,
	    c->gopher_public_port);
	CHECK(n >= 0 && (size_t)n < sizeof(tail));
	taillen = (size_t)n;
	for (i = off; i < end; i = j + 1) {
		const char	*line = b->data + i;

		j = i;
		while (j < b->len && b->data[j] != '\n')
			j++;
		CHECK(j < b->len && j > i && b->data[j - 1] == '\r');
		CHECK(memchr(line, '\r', j - 1 - i) == NULL);
		if (!menu) {
			CHECK(j - 1 - i != 1 || line[0] != '.');
			CHECK(columns(line, j - 1 - i, cs) <= v->width ||
			    is_reference(line, j - 1 - i) ||
			    fuzz_has_url(line, j - 1 - i) ||
			    (line[0] == '/' && memchr(line, ' ', j - 1 - i) == NULL &&
			    memmem(line, j - 1 - i, "/links/", 7) != NULL));
			continue;
		}
		for (k = i, tabs = 0; k < j; k++)
			if (b->data[k] == '\t')
				tabs++;
		CHECK(tabs == 3);
		CHECK(line[0] > 0x20 && line[0] < 0x7f);
		/* Only an item of a links menu may be on another server. */
		CHECK((j - 1 - i >= taillen && memcmp(b->data + j - 1 - taillen,
		    tail, taillen) == 0) || (line[0] != 'i' && line[0] != '3' &&
		    memmem(b->data, b->len, "/links/", 7) != NULL));
		k = (size_t)((const char *)memchr(line, '\t', j - i) - line);
		/* A URL on an i line of a links menu is whole (gopherlinks.h). */
		CHECK(columns(line + 1, k - 1, cs) <= v->menu_width ||
		    (line[0] == 'i' && fuzz_has_url(line + 1, k - 1)));
	}
}

/* Is every line of the answer a menu line (before the final dot)? */
static int
looks_like_menu(const struct buf *b)
{
	size_t	 i, tabs = 0;

	for (i = 0; i + 3 < b->len; i++) {
		if (b->data[i] == '\t')
			tabs++;
		else if (b->data[i] == '\n') {
			if (tabs != 3)
				return 0;
			tabs = 0;
		}
	}
	return 1;
}

/*
 * The cache key's promise: "req2" has the same key as "req" (key, klen)
 * only if its answer is the same bytes as "out" (status "status").
 */
static void
check_same_key(const char *req2, size_t len2, const char *key, long klen,
    const struct conf *c, int status, const struct buf *out)
{
	char		 key2[GOPHER_CACHE_KEY_MAX];
	struct buf	 b = BUF_INIT;
	long		 klen2;
	int		 status2;

	if (req2 == NULL)	/* an empty struct buf */
		req2 = "";
	klen2 = gopher_cache_key(req2, len2, key2);
	CHECK(klen2 >= -1 && klen2 <= GOPHER_CACHE_KEY_MAX);
	if (klen2 != klen || memcmp(key, key2, (size_t)klen) != 0)
		return;
	status2 = gopher_respond(req2, len2, c, st, &b);
	CHECK(status2 == status && b.len == out->len &&
	    (b.len == 0 || memcmp(b.data, out->data, b.len) == 0));
	buf_release(&b);
}

/* Requests that differ from "req" where its cache key may not look. */
static void
check_cache_key(const char *req, size_t len, const struct conf *c,
    int status, const struct buf *out)
{
	static const struct {
		int		 whole;		/* the line, or the selector */
		const char	*tail;
	} variants[] = {
		{ 1, "" }, { 1, "\n" }, { 1, "\r\n" }, { 1, "\t+\r\n" },
		{ 0, "\r\n" }, { 0, "\tautres mots\r\n" }
	};
	char		 key[GOPHER_CACHE_KEY_MAX];
	struct buf	 v = BUF_INIT;
	size_t		 line, sellen, i;
	long		 klen;

	klen = gopher_cache_key(req, len, key);
	CHECK(klen >= -1 && klen <= GOPHER_CACHE_KEY_MAX);
	if (klen == -1)
		return;
	/* The selector with its leading "/", or only the words. */
	CHECK(klen == 0 || key[0] == '/' || key[0] == '\t');
	split(req, len, &line, &sellen);

	/*
	 * The same line ended by nothing, LF, CRLF, or with a Gopher+ tail
	 * after the words; the selector alone, and with other words.
	 */
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		buf_reset(&v);
		buf_add(&v, req, variants[i].whole ? line : sellen);
		buf_puts(&v, variants[i].tail);
		check_same_key(v.data, v.len, key, klen, c, status, out);
	}

	/* The leading "/" added or taken away. */
	buf_reset(&v);
	if (line > 0 && req[0] == '/')
		buf_add(&v, req + 1, line - 1);
	else {
		buf_addc(&v, '/');
		buf_add(&v, req, line);
	}
	buf_add(&v, "\r\n", 2);
	check_same_key(v.data, v.len, key, klen, c, status, out);
	CHECK(!v.failed);
	buf_release(&v);
}

/*
 * A whole answer: a Gopher+ block of "+INFO: " lines (each a menu line,
 * "TAB +" after a menu's), "+-1" or "--1" before a plain answer, an
 * HTML page, caps.txt, robots.txt, a menu or a text.
 */
static void
check_answer(const struct buf *out, const struct conf *c,
    const struct gophermap_view *v, int status)
{
	static const char	*labels[] = {
		"utf-8", "iso-8859-1", "us-ascii"	/* by enum text_charset */
	};
	struct buf		 menu = BUF_INIT;
	char			 label[64];
	size_t			 i, j, n;

	if (out->len >= 12 && memcmp(out->data, "+-1\r\n+INFO: ", 12) == 0) {
		CHECK(status == GOPHER_OK);
		/* Back to the menu lines they hold. */
		for (i = 5; i < out->len; i = j + 1) {
			j = i;
			while (j < out->len && out->data[j] != '\n')
				j++;
			CHECK(j < out->len);
			if (j - i == 2 && out->data[i] == '.') {
				CHECK(j + 1 == out->len);
				break;
			}
			CHECK(j - i > 7 + 2 &&
			    memcmp(out->data + i, "+INFO: ", 7) == 0);
			n = j - 1 - (i + 7);
			if (n >= 2 && memcmp(out->data + j - 3, "\t+", 2) == 0) {
				CHECK(out->data[i + 7] == '1');
				n -= 2;
			}
			buf_add(&menu, out->data + i + 7, n);
			buf_add(&menu, "\r\n", 2);
		}
		buf_add(&menu, ".\r\n", 3);
		CHECK(!menu.failed);
		check_lines(&menu, 0, c, v, 1);
		buf_release(&menu);
		return;
	}
	if (out->len >= 5 && (memcmp(out->data, "+-1\r\n", 5) == 0 ||
	    memcmp(out->data, "--1\r\n", 5) == 0)) {
		CHECK((out->data[0] == '+') == (status == GOPHER_OK));
		buf_add(&menu, out->data + 5, out->len - 5);
		CHECK(!menu.failed);
		check_answer(&menu, c, v, status);
		buf_release(&menu);
		return;
	}
	if (out->len >= 15 && memcmp(out->data, "<!DOCTYPE html>", 15) == 0) {
		CHECK(out->len >= 9 &&
		    memcmp(out->data + out->len - 9, "</html>\r\n", 9) == 0);
		CHECK((size_t)snprintf(label, sizeof(label),
		    "<meta charset=\"%s\">", labels[v->charset]) <
		    sizeof(label));
		CHECK(memmem(out->data, out->len, label, strlen(label)) != NULL);
	} else {
		int	 is_menu = looks_like_menu(out);

		CHECK(out->len > 0);
		if (is_menu && out->data[0] == '3')
			CHECK(status != GOPHER_OK);
		/* caps.txt and robots.txt are read by programs: not wrapped. */
		if (!((out->len > 6 && memcmp(out->data, "CAPS\r\n", 6) == 0) ||
		    (out->len > 12 &&
		    memcmp(out->data, "User-agent: ", 12) == 0)))
			check_lines(out, 0, c, v, is_menu);
		else if (out->len > 6 && memcmp(out->data, "CAPS\r\n", 6) == 0) {
			CHECK((size_t)snprintf(label, sizeof(label),
			    "\r\nServerDefaultEncoding=%s\r\n",
			    labels[v->charset]) < sizeof(label));
			CHECK(memmem(out->data, out->len, label, strlen(label)) !=
			    NULL);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const int	 widths[] = { 20, 40, 67, 80 };
	struct conf		 c;
	struct buf		 out = BUF_INIT, again = BUF_INIT;
	struct gophermap_view	 v;
	enum text_charset	 cs;
	const char		*req;
	const char		*nl;
	long			 n;
	int			 status, status2;

	setup();
	if (len == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	c.name = S("Fuzz : « essai » de la capsule");
	c.hostname = S("gopher.example");
	c.lang = (data[0] & 0x10) ? S("en") : S("fr");
	c.description = S("Une description assez longue pour être coupée "
	    "en plusieurs lignes : « d’accord ! »");
	c.latest = 5;
	/* Pages of 2 items, so that the 7 articles make lists of pages. */
	c.page_size = (data[0] & 0x20) ? 2 : 0;
	c.french_spacing = !(data[0] & 0x10);
	c.gemini_enabled = 1;
	c.gemini_port = c.gemini_public_port = 1965;
	c.gopher_public_port = 70;
	c.width = widths[data[0] & 3];
	c.charset = (enum text_charset)((data[0] >> 2) % 3);
	req = (const char *)data + 1;
	len--;

	n = gopher_request_complete(req, len);
	CHECK(n >= -1 && n <= (long)len);
	if (n > 0)
		CHECK(req[n - 1] == '\n' && memchr(req, '\n', (size_t)n - 1) ==
		    NULL);

	status = gopher_respond(req, len, &c, st, &out);
	view_of(req, len, &c, &v);
	cs = v.charset;
	if (out.len > 0)
		check_charset(out.data, out.len, cs);
	CHECK(status == GOPHER_OK || status == GOPHER_BAD_REQUEST ||
	    status == GOPHER_NOT_FOUND || status == GOPHER_SERVER_ERROR);
	if (status == GOPHER_SERVER_ERROR)
		CHECK(out.len == 0);
	else
		check_answer(&out, &c, &v, status);

	/* What follows the first LF never matters. */
	if ((nl = memchr(req, '\n', len)) != NULL) {
		status2 = gopher_respond(req, (size_t)(nl - req) + 1, &c, st,
		    &again);
		CHECK(status2 == status && again.len == out.len &&
		    memcmp(again.data, out.data, out.len) == 0);
	}
	check_cache_key(req, len, &c, status, &out);
	buf_release(&out);
	buf_release(&again);
	return 0;
}
