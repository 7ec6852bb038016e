/* griot: unit tests of the Gopher side.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Calls gopher_respond() and gophermap_item() directly, with a struct
 * conf filled by hand and stores opened on tests/data: the shape of every
 * menu line and text line, widths in the view's charset, the three
 * charsets, searches, Gopher+ probes, URL: pages and every bad request.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "tap.h"

#include "buf.h"
#include "config.h"
#include "gopher.h"
#include "gophermap.h"
#include "gophertext.h"
#include "search.h"
#include "store.h"
#include "text.h"

#define GPSA_SEL	"/articles/2024-11-28-gpsa-paix-securite.txt"
#define TYPO_SEL	"/articles/2025-03-14-typographie.txt"
#define PRE_SEL		"/articles/2025-03-19-paragraphes-et-preformate.txt"

static struct store	*articles, *torture;

static void
report(void *arg, int error, const char *msg)
{
	(void)arg;
	(void)error;
	(void)msg;
}

static struct store *
open_store(const char *sub)
{
	const char		*data = getenv("GRIOT_TESTDATA");
	struct article_report	 r = { report, NULL };
	struct store_opts	 o;
	char			 dir[1024], pages[1024];
	struct store		*st;

	if (data == NULL)
		data = "tests/data";
	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", data, sub) >=
	    sizeof(dir) || (size_t)snprintf(pages, sizeof(pages), "%s/pages",
	    data) >= sizeof(pages)) {
		printf("Bail out! test data path too long: %s\n", data);
		exit(1);
	}
	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.pages = pages;
	o.french_spacing = 1;
	if ((st = store_open(&o, &r, NULL)) == NULL) {
		printf("Bail out! cannot open the store %s\n", dir);
		exit(1);
	}
	return st;
}

static void
conf_init(struct conf *c, int width, enum text_charset cs, const char *lang)
{
	memset(c, 0, sizeof(*c));
	c->name = (char *)(uintptr_t)"Griot, capsule de référence";
	c->hostname = (char *)(uintptr_t)"griot.example";
	c->lang = (char *)(uintptr_t)lang;
	c->description = (char *)(uintptr_t)"La capsule des tests de "
	    "référence : « tout doit être exact », même sur les machines "
	    "d’hier et d’avant-hier.";
	c->latest = 5;
	c->french_spacing = strcmp(lang, "fr") == 0;
	c->gemini_enabled = 1;
	c->gemini_port = c->gemini_public_port = 1965;
	c->gopher_enabled = 1;
	c->gopher_port = 7070;
	c->gopher_public_port = 70;
	c->width = width;
	c->charset = cs;
}

/* One response for a NUL-terminated request (sent with CRLF). */
static int
ask(const char *req, const struct conf *c, const struct store *st,
    struct buf *out)
{
	struct buf	 r = BUF_INIT;
	int		 status;

	buf_reset(out);
	buf_puts(&r, req);
	buf_puts(&r, "\r\n");
	status = gopher_respond(r.data, r.len, c, st, out);
	buf_add(out, "", 0);
	buf_release(&r);
	return status;
}

static int
askn(const char *req, size_t len, const struct conf *c,
    const struct store *st, struct buf *out)
{
	int	 status;

	buf_reset(out);
	status = gopher_respond(req, len, c, st, out);
	buf_add(out, "", 0);
	return status;
}

static void
diag_line(const char *why, const char *s, size_t len)
{
	printf("# %s: ", why);
	tap_escape(stdout, s, len);
	printf("\n");
}

/* Latin-1 bytes to UTF-8 (for comparing with the expected French). */
static void
latin1_to_utf8(struct buf *dst, const char *s, size_t len)
{
	uint8_t	 u[6];
	size_t	 i;
	int	 n;

	buf_reset(dst);
	for (i = 0; i < len; i++) {
		n = u8_uctomb(u, (ucs4_t)(unsigned char)s[i], (int)sizeof(u));
		if (n > 0)
			buf_add(dst, u, (size_t)n);
	}
	buf_add(dst, "", 0);
}

/* Columns of output-charset bytes; (size_t)-1 when not that charset. */
static size_t
columns(const char *s, size_t len, enum text_charset cs)
{
	size_t	 i;

	switch (cs) {
	case TEXT_UTF8:
		if (!text_is_utf8(s, len))
			return (size_t)-1;
		return text_width(s, len, TEXT_UTF8);
	case TEXT_LATIN1:
		for (i = 0; i < len; i++)
			if ((unsigned char)s[i] >= 0x80 &&
			    (unsigned char)s[i] < 0xa0)
				return (size_t)-1;	/* C1: not text */
		return len;
	case TEXT_ASCII:
		for (i = 0; i < len; i++)
			if ((unsigned char)s[i] >= 0x80)
				return (size_t)-1;
		return len;
	}
	return (size_t)-1;
}

/*
 * A menu: CRLF lines of exactly four TAB-separated fields, the host and
 * port from the ini, displays within width - 1 columns of the charset,
 * then ".\r\n" and nothing after.  "prefix": every selector of a 0, 1 or
 * 7 item starts with it, except the charset choices.
 */
/* The display columns of a menu in the view "prefix" ("/40/"...). */
static size_t
menu_width(const struct conf *c, const char *prefix)
{
	if (prefix != NULL && strstr(prefix, "40/") != NULL)
		return GOPHERMAP_NARROW_MENU;
	if (prefix != NULL && strstr(prefix, "80/") != NULL)
		return GOPHERMAP_WIDE_MENU;
	return (size_t)c->width - 1;
}

/* A selector into another view: the chooser's, the Latin-1 hint's. */
static int
is_other_view(const char *sel, size_t len)
{
	static const char *const views[] = {
		"/utf8/", "/ascii/", "/latin1/", "/40/", "/80/"
	};
	size_t	 i;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (len >= strlen(views[i]) &&
		    memcmp(sel, views[i], strlen(views[i])) == 0)
			return 1;
	/* Back to the default view. */
	return len == 1 && sel[0] == '/';
}

static int
is_menu(const struct buf *b, const struct conf *c, enum text_charset cs,
    const char *prefix)
{
	char	 port[16];
	size_t	 i = 0, j, k, tabs, w;
	int	 good = 1;

	tap_snprintf(port, sizeof(port), "%d", c->gopher_public_port);
	if (b->len < 3 || memcmp(b->data + b->len - 3, ".\r\n", 3) != 0) {
		diag_line("menu does not end with .CRLF", b->data, b->len);
		return 0;
	}
	while (i < b->len - 3) {
		const char	*line = b->data + i, *f[4];
		size_t		 flen[4];

		for (j = i; j < b->len && b->data[j] != '\n'; j++)
			;
		if (j == b->len || j == i || b->data[j - 1] != '\r') {
			diag_line("line without CRLF", line, j - i);
			return 0;
		}
		tabs = 0;
		f[0] = line + 1;
		for (k = i; k < j - 1; k++) {
			if (b->data[k] == '\r') {
				diag_line("CR inside a line", line, j - i);
				return 0;
			}
			if (b->data[k] == '\t') {
				if (tabs < 3) {
					flen[tabs] = (size_t)(b->data + k -
					    f[tabs]);
					f[tabs + 1] = b->data + k + 1;
				}
				tabs++;
			}
		}
		if (tabs != 3) {
			diag_line("not four fields", line, j - i);
			return 0;
		}
		flen[3] = (size_t)(b->data + j - 1 - f[3]);
		w = columns(f[0], flen[0], cs);
		if (w == (size_t)-1 || w > menu_width(c, prefix)) {
			diag_line("display too wide or not in the charset",
			    line, j - i);
			good = 0;
		}
		if (flen[2] != strlen(c->hostname) ||
		    memcmp(f[2], c->hostname, flen[2]) != 0 ||
		    flen[3] != strlen(port) || memcmp(f[3], port, flen[3]) != 0) {
			diag_line("host or port not from the ini", line, j - i);
			good = 0;
		}
		if (strchr("017", line[0]) != NULL && prefix != NULL &&
		    (flen[1] < strlen(prefix) ||
		    memcmp(f[1], prefix, strlen(prefix)) != 0) &&
		    !is_other_view(f[1], flen[1])) {
			diag_line("selector outside the view", line, j - i);
			good = 0;
		}
		if ((line[0] == 'i' || line[0] == '3') && flen[1] != 0) {
			diag_line("i or 3 line with a selector", line, j - i);
			good = 0;
		}
		i = j + 1;
	}
	return good;
}

/* "[n] URL" alone on its line: the one line allowed to be too wide. */
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

/* Does the line hold a URL ("://", "www." or "mailto:")? text.h */
static int
has_url(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((i + 3 <= len && memcmp(s + i, "://", 3) == 0) ||
		    (i + 4 <= len && memcmp(s + i, "www.", 4) == 0) ||
		    (i + 7 <= len && memcmp(s + i, "mailto:", 7) == 0))
			return 1;
	return 0;
}

/*
 * A text: CRLF lines, none that is ".", none wider than the width
 * except a link reference "[n] URL", a line holding a URL or the
 * selector of the links menu (never cut), in the charset; no ".\r\n" terminator (gophermap.h), but for
 * caps.txt and robots.txt, which keep it.
 */
static int
is_text(const struct buf *b, int width, enum text_charset cs)
{
	size_t	 i = 0, j, w, end;
	int	 good = 1;

	if (b->len < 2 || memcmp(b->data + b->len - 2, "\r\n", 2) != 0) {
		diag_line("text does not end with CRLF", b->data, b->len);
		return 0;
	}
	end = b->len;
	if (b->len >= 4 && memcmp(b->data + b->len - 4, "\n.\r\n", 4) == 0 &&
	    (strncmp(b->data, "CAPS\r\n", 6) == 0 ||
	    strncmp(b->data, "User-agent:", 11) == 0))
		end = b->len - 3;
	while (i < end) {
		const char	*line = b->data + i;

		for (j = i; j < b->len && b->data[j] != '\n'; j++)
			;
		if (j == b->len || j == i || b->data[j - 1] != '\r') {
			diag_line("line without CRLF", line, j - i);
			return 0;
		}
		if (j - 1 - i == 1 && line[0] == '.') {
			diag_line("line that is a dot", line, j - i);
			good = 0;
		}
		if (memchr(line, '\r', j - 1 - i) != NULL) {
			diag_line("CR inside a line", line, j - i);
			good = 0;
		}
		w = columns(line, j - 1 - i, cs);
		if (w == (size_t)-1) {
			diag_line("not in the charset", line, j - i);
			good = 0;
		} else if (w > (size_t)width &&
		    !is_reference(line, j - 1 - i) && !has_url(line, j - 1 - i) &&
		    !(line[0] == '/' && memchr(line, ' ', j - 1 - i) == NULL)) {
			diag_line("line too wide", line, j - i);
			good = 0;
		}
		i = j + 1;
	}
	return good;
}

/* An error answer: a 3 line, an i line with the same words, ".". */
static int
is_error(const struct buf *b, const struct conf *c)
{
	const char	*nl1, *nl2, *t1, *t2;

	if (!is_menu(b, c, c->charset, NULL) || b->data[0] != '3')
		return 0;
	nl1 = strchr(b->data, '\n');
	nl2 = strchr(nl1 + 1, '\n');
	if (nl2 == NULL || nl1[1] != 'i' || strcmp(nl2 + 1, ".\r\n") != 0)
		return 0;
	t1 = strchr(b->data, '\t');
	t2 = strchr(nl1 + 1, '\t');
	return t1 - b->data == t2 - (nl1 + 1) &&
	    memcmp(b->data + 1, nl1 + 2, (size_t)(t1 - b->data - 1)) == 0;
}

static int
starts(const struct buf *b, const char *s)
{
	return b->data != NULL && b->len >= strlen(s) &&
	    memcmp(b->data, s, strlen(s)) == 0;
}

static int
has(const struct buf *b, const char *s)
{
	return b->data != NULL && memmem(b->data, b->len, s, strlen(s)) != NULL;
}

static int
has_latin1(const struct buf *b, const char *utf8)
{
	struct buf	 u = BUF_INIT;
	int		 rc;

	latin1_to_utf8(&u, b->data, b->len);
	rc = has(&u, utf8);
	buf_release(&u);
	return rc;
}

static int
is_7bit(const struct buf *b)
{
	size_t	 i;

	for (i = 0; i < b->len; i++)
		if ((unsigned char)b->data[i] >= 0x80)
			return 0;
	return 1;
}

static void
test_request_complete(void)
{
	char	 big[GOPHER_REQUEST_MAX + 8];

	is_int(gopher_request_complete("", 0), 0, "empty: more needed");
	is_int(gopher_request_complete("/abc", 4), 0, "no line end yet");
	is_int(gopher_request_complete("/abc\r", 5), 0, "CR alone: more");
	is_int(gopher_request_complete("/abc\r\n", 6), 6, "CRLF");
	is_int(gopher_request_complete("/abc\n", 5), 5, "bare LF");
	is_int(gopher_request_complete("\r\n", 2), 2, "empty selector");
	is_int(gopher_request_complete("/s\tq\r\nrest", 10), 6,
	    "bytes after the line are not counted");
	memset(big, 'a', sizeof(big));
	big[GOPHER_REQUEST_MAX] = '\r';
	big[GOPHER_REQUEST_MAX + 1] = '\n';
	is_int(gopher_request_complete(big, GOPHER_REQUEST_MAX + 2),
	    GOPHER_REQUEST_MAX + 2, "longest request");
	big[GOPHER_REQUEST_MAX] = 'a';
	big[GOPHER_REQUEST_MAX + 1] = '\n';
	is_int(gopher_request_complete(big, GOPHER_REQUEST_MAX + 2), -1,
	    "one byte too long");
	memset(big, 'a', sizeof(big));
	is_int(gopher_request_complete(big, GOPHER_REQUEST_MAX + 2), -1,
	    "no line end in time");
}

static void
test_item(void)
{
	struct conf		 c;
	struct gophermap_view	 v;
	struct buf		 b = BUF_INIT;
	char			 sel[GOPHER_SELECTOR_MAX + 2];

	conf_init(&c, 40, TEXT_UTF8, "fr");
	gophermap_view_init(&v, &c, articles, "");
	ok(gophermap_item(&b, &v, '0', "a\tb\rc\nd", "/x") == 0 &&
	    strcmp(b.data, "0a b c d\t/x\tgriot.example\t70\r\n") == 0,
	    "item: TAB, CR, LF in the display become spaces");
	buf_reset(&b);
	ok(gophermap_item(&b, &v, 'i', "", NULL) == 0 &&
	    strcmp(b.data, "i\t\tgriot.example\t70\r\n") == 0,
	    "item: i line with an empty selector, host and port");
	buf_reset(&b);
	ok(gophermap_item(&b, &v, '0', "x", "/a\tb") == -1 && b.len == 0,
	    "item: a TAB in a selector is refused, nothing written");
	ok(gophermap_item(&b, &v, '0', "x", "/a b") == -1 && b.len == 0,
	    "item: a space in a selector is refused");
	ok(gophermap_item(&b, &v, '0', "x", "/caf\xc3\xa9") == -1 && b.len == 0,
	    "item: a non-ASCII selector is refused");
	memset(sel, 'a', sizeof(sel));
	sel[0] = '/';
	sel[GOPHER_SELECTOR_MAX] = '\0';
	ok(gophermap_item(&b, &v, '0', "x", sel) == 0,
	    "item: a selector of 255 bytes");
	buf_reset(&b);
	sel[GOPHER_SELECTOR_MAX] = 'a';
	sel[GOPHER_SELECTOR_MAX + 1] = '\0';
	ok(gophermap_item(&b, &v, '0', "x", sel) == -1 && b.len == 0,
	    "item: a selector of 256 bytes is refused");
	buf_reset(&b);
	ok(gophermap_item(&b, &v, '0',
	    "Une très longue ligne de menu qui dépasse largement quarante "
	    "colonnes", "/x") == 0, "item: a long display");
	buf_puts(&b, ".\r\n");
	ok(is_menu(&b, &c, TEXT_UTF8, ""), "item: long display fitted to 39 "
	    "columns");
	ok(has(&b, "…\t"), "item: shortened display ends with an ellipsis");
	buf_reset(&b);
	gophermap_view_init(&v, &c, articles, "/ascii");
	gophermap_item(&b, &v, '1', "Œuvre « complète » — 5 €", "/y");
	is_str(b.data, "1OEuvre << complete >> -- 5 EUR\t/y\tgriot.example\t70"
	    "\r\n", NULL, "item: display transliterated in the ASCII view");
	ok(gophermap_view_init(&v, &c, articles, "/koi8") == -1,
	    "no other view");
	buf_release(&b);
}

static void
test_root(void)
{
	static const struct {
		const char		*req;
		enum text_charset	 cs;
		const char		*prefix;
	} views[] = {
		{ "", TEXT_UTF8, "/" },
		{ "/utf8/", TEXT_UTF8, "/utf8/" },
		{ "/latin1/", TEXT_LATIN1, "/latin1/" },
		{ "/ascii/", TEXT_ASCII, "/ascii/" },
	};
	static const int	 widths[] = { 67, 40, 80 };
	struct conf		 c;
	struct buf		 b = BUF_INIT, b2 = BUF_INIT;
	size_t			 i, k;
	char			 what[128];

	for (k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
		conf_init(&c, widths[k], TEXT_UTF8, "fr");
		for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
			tap_snprintf(what, sizeof(what), "root %s at width %d: "
			    "a valid menu", views[i].prefix, widths[k]);
			is_int(ask(views[i].req, &c, articles, &b), GOPHER_OK,
			    what);
			ok(is_menu(&b, &c, views[i].cs, views[i].prefix), "%s",
			    what);
		}
	}
	conf_init(&c, 67, TEXT_UTF8, "fr");
	ask("", &c, articles, &b);
	ok(has(&b, "iArticles récents\t") && has(&b, "1Rubriques") == 0 &&
	    has(&b, "iRubriques\t") && has(&b, "7Rechercher\t/search\t") &&
	    has(&b, "1Archives\t/archive/\t"), "root: French words");
	ok(has(&b, "\t" GPSA_SEL "\t") == 0, "root: only the latest 5");
	ok(has(&b, "0" "2026-02-01 "), "root: latest articles, dated");
	ok(has(&b, "1A la une (") && has(&b, "\t/categories/a-la-une\t"),
	    "root: categories listed");
	ok(has(&b, "0À propos\t/pages/a-propos.txt\t"), "root: pages");
	ok(has(&b, "1Texte sans accents (ASCII, pour les vieilles machines)"
	    "\t/ascii/\t") && has(&b, "1Texte en Latin-1 (ISO-8859-1)\t/latin1/"
	    "\t") && has(&b, "1Texte en UTF-8\t/utf8/\t"),
	    "root: charset views in plain words");
	conf_init(&c, 40, TEXT_UTF8, "fr");
	ask("", &c, articles, &b2);
	ok(has(&b2, "1Texte sans accents (ASCII)\t/ascii/\t") &&
	    has(&b2, "iAccents illisibles ? Choisissez :\t"),
	    "root at 40 columns: the short charset words, never cut");
	conf_init(&c, 67, TEXT_UTF8, "fr");
	ok(has(&b, "hLa même capsule en Gemini\tURL:gemini://griot.example/\t"),
	    "root: h item to the Gemini capsule");
	ok(has(&b, "iLa capsule des tests de référence\xc2\xa0: "
	    "«\xc2\xa0tout doit être exact\xe2\x80\xaf»"),
	    "root: description with French spacing");
	ok(strncmp(b.data, "iGriot, capsule de référence\t\t", 30) == 0,
	    "root: the capsule name first");
	ok(has(&b, "\t+") == 0, "root: no Gopher+ field");

	ask("\r\n", &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "empty selector and CRLF alone: the root");
	ask("/", &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "\"/\" is the root");
	askn("", 0, &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "an empty request (no line end) is the root");
	askn("/\n", 2, &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "bare LF accepted");
	askn("/\r\nGARBAGE\xff\x00", 13, &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "bytes after the line end are ignored");
	ask("/utf8/", &c, articles, &b2);
	ok(has(&b2, "\t/utf8/articles/") && has(&b2, "\t/utf8/categories/") &&
	    has(&b2, "\t/utf8/search\t"), "utf8 view: items stay in the view");

	ask("/latin1/", &c, articles, &b2);
	ok(has_latin1(&b2, "iArticles récents\t") && has(&b2, "r\xe9" "cents"),
	    "latin1 view: real ISO-8859-1 bytes");
	ok(has(&b2, "\t/latin1/articles/") && has(&b2, "\t/latin1/search\t"),
	    "latin1 view: items stay in the view");
	ask("/ascii/", &c, articles, &b2);
	ok(is_7bit(&b2) && has(&b2, "iArticles recents\t") &&
	    has(&b2, "iGriot, capsule de reference\t"), "ascii view: 7-bit");
	ok(has(&b2, "\t/ascii/articles/") && has(&b2, "\t/ascii/archive/\t"),
	    "ascii view: items stay in the view");

	/* The default view follows the ini's charset. */
	conf_init(&c, 67, TEXT_LATIN1, "fr");
	ask("", &c, articles, &b2);
	ok(is_menu(&b2, &c, TEXT_LATIN1, "/") && has(&b2, "r\xe9" "cents") &&
	    has(&b2, "\t" "/articles/"), "charset = latin1: \"/\" in Latin-1");
	c.gopher_public_port = 7070;
	ask("", &c, articles, &b2);
	ok(is_menu(&b2, &c, TEXT_LATIN1, "/") &&
	    has(&b2, "\tgriot.example\t7070\r\n") &&
	    has(&b2, "\tgriot.example\t70\r\n") == 0,
	    "public_port in every line");

	conf_init(&c, 67, TEXT_UTF8, "en");
	ask("", &c, articles, &b2);
	ok(is_menu(&b2, &c, TEXT_UTF8, "/") && has(&b2, "iLatest articles\t") &&
	    has(&b2, "7Search\t/search\t") && has(&b2, "1Archive\t/archive/\t"),
	    "lang = en: English words");
	buf_release(&b);
	buf_release(&b2);
}

static void
test_lists(void)
{
	struct conf	 c;
	struct buf	 b = BUF_INIT;
	const char	*views[] = { "", "/latin1", "/ascii" };
	enum text_charset cs[] = { TEXT_UTF8, TEXT_LATIN1, TEXT_ASCII };
	char		 req[128], what[160];
	size_t		 i;

	conf_init(&c, 40, TEXT_UTF8, "fr");
	for (i = 0; i < 3; i++) {
		tap_snprintf(req, sizeof(req), "%s/categories/", views[i]);
		tap_snprintf(what, sizeof(what), "%s: valid menu", req);
		is_int(ask(req, &c, articles, &b), GOPHER_OK, what);
		ok(is_menu(&b, &c, cs[i], views[i][0] ? views[i] : "/"), "%s",
		    what);
		tap_snprintf(req, sizeof(req), "%s/categories/a-la-une", views[i]);
		tap_snprintf(what, sizeof(what), "%s: valid menu", req);
		is_int(ask(req, &c, articles, &b), GOPHER_OK, what);
		ok(is_menu(&b, &c, cs[i], views[i][0] ? views[i] : "/"), "%s",
		    what);
		tap_snprintf(what, sizeof(what), "%s" GPSA_SEL "\t", views[i]);
		ok(has(&b, what), "%s lists the GPSA article", req);
		tap_snprintf(req, sizeof(req), "%s/archive/", views[i]);
		tap_snprintf(what, sizeof(what), "%s: valid menu", req);
		is_int(ask(req, &c, articles, &b), GOPHER_OK, what);
		ok(is_menu(&b, &c, cs[i], views[i][0] ? views[i] : "/"), "%s",
		    what);
		tap_snprintf(what, sizeof(what), "%s/archive/2024\t", views[i]);
		ok(has(&b, what), "%s lists 2024", req);
		tap_snprintf(req, sizeof(req), "%s/archive/2024", views[i]);
		tap_snprintf(what, sizeof(what), "%s: valid menu", req);
		is_int(ask(req, &c, articles, &b), GOPHER_OK, what);
		ok(is_menu(&b, &c, cs[i], views[i][0] ? views[i] : "/"), "%s",
		    what);
		tap_snprintf(what, sizeof(what), "%s/archive/2024-11\t", views[i]);
		ok(has(&b, what), "%s lists 2024-11", req);
		tap_snprintf(req, sizeof(req), "%s/archive/2024-11", views[i]);
		tap_snprintf(what, sizeof(what), "%s: valid menu", req);
		is_int(ask(req, &c, articles, &b), GOPHER_OK, what);
		ok(is_menu(&b, &c, cs[i], views[i][0] ? views[i] : "/"), "%s",
		    what);
		tap_snprintf(what, sizeof(what), "%s" GPSA_SEL "\t", views[i]);
		ok(has(&b, what), "%s lists the GPSA article", req);
	}
	ask("/categories", &c, articles, &b);
	ok(has(&b, "\t/categories/a-la-une\t"), "/categories without slash");
	ask("/categories/a-la-une/", &c, articles, &b);
	ok(has(&b, GPSA_SEL), "/categories/SLUG/ with a slash");
	ask("/archive/", &c, articles, &b);
	ok(has(&b, "12024 (1)\t/archive/2024\t"), "archive: the years");
	ask("/archive/2024", &c, articles, &b);
	ok(has(&b, "1Novembre 2024 (1)\t/archive/2024-11\t"),
	    "archive of a year: month names in words");
	ask("/archive/2024-11", &c, articles, &b);
	ok(has(&b, "iArchives\xc2\xa0: novembre 2024\t"),
	    "month menu titled in words");
	ok(has(&b, "1Retour à l’accueil\t/\t") &&
	    has(&b, "1Archives\xc2\xa0: 2024\t/archive/2024\t") &&
	    has(&b, "1Toutes les archives\t/archive/\t"),
	    "month menu: back links, up to its year");
	buf_release(&b);
}

static void
test_articles(void)
{
	static const struct {
		const char		*prefix;
		enum text_charset	 cs;
	} views[] = {
		{ "", TEXT_UTF8 }, { "/utf8", TEXT_UTF8 },
		{ "/latin1", TEXT_LATIN1 }, { "/ascii", TEXT_ASCII },
	};
	static const char *const sels[] = { GPSA_SEL, TYPO_SEL, PRE_SEL };
	static const int	 widths[] = { 67, 40, 72 };
	struct conf		 c;
	struct buf		 b = BUF_INIT;
	char			 req[256];
	size_t			 i, j, k;

	for (k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
		conf_init(&c, widths[k], TEXT_UTF8, "fr");
		for (i = 0; i < sizeof(views) / sizeof(views[0]); i++)
			for (j = 0; j < sizeof(sels) / sizeof(sels[0]); j++) {
				const struct store *st = j == 0 ? articles :
				    torture;

				tap_snprintf(req, sizeof(req), "%s%s",
				    views[i].prefix, sels[j]);
				is_int(ask(req, &c, st, &b), GOPHER_OK, req);
				ok(is_text(&b, widths[k], views[i].cs),
				    "%s at width %d: a valid text", req,
				    widths[k]);
			}
	}

	conf_init(&c, 67, TEXT_UTF8, "fr");
	ask(GPSA_SEL, &c, articles, &b);
	ok(strncmp(b.data, "Pour la paix et la sécurité, le ministre Robert "
	    "Dussey veut créer\r\nun cadre fédérateur\r\n====", 85) == 0,
	    "article: title wrapped and underlined");
	ok(has(&b, "\r\nDate\xc2\xa0: 28 novembre 2024\r\n") &&
	    has(&b, "\r\nAuteurs\xc2\xa0: AKAKPO K. Moïse, Marc GNAZOU\r\n") &&
	    has(&b, "\r\nRubrique\xc2\xa0: A la une\r\n") &&
	    has(&b, "\r\nMots-clés\xc2\xa0: paix, sécurité, Togo, GPSA, "
	    "diplomatie\r\n"), "article: header block");
	ok(has(&b, "\r\n\r\nLe 28 novembre 2024, le projet ambitieux dénommé"),
	    "article: a blank line, then the body");
	ok(has(&b, "œuvrent"), "utf8: œ kept");
	ask("/latin1" GPSA_SEL, &c, articles, &b);
	ok(has_latin1(&b, "Pour la paix et la sécurité") &&
	    has_latin1(&b, "oeuvrent") && has_latin1(&b, "Moïse"),
	    "latin1: decodes to the French (œ -> oe)");
	ask("/ascii" GPSA_SEL, &c, articles, &b);
	ok(is_7bit(&b) && has(&b, "Pour la paix et la securite") &&
	    has(&b, "oeuvrent") && has(&b, "<< De nombreux"),
	    "ascii: transliterated");

	ask(TYPO_SEL, &c, torture, &b);
	/* No terminator, no escape: no client tested strips a dot. */
	ok(has(&b, "\r\n.Une ligne qui commence par un point.\r\n"),
	    "a line beginning with a dot is left as it is");
	ok(has(&b, "\r\n .\r\n"), "a lone dot too");
	ok(has(&b, "Lien vers la source (avec accents é) [1]\r\n"),
	    "link: label and number in the text");
	ok(has(&b, "\r\nLiens\r\n-----\r\n[1] https://exemple.tg/source?id=1"
	    "&lang=fr\r\n    Lien vers la source (avec accents é)\r\n"
	    "[2] gopher://exemple.tg/1/ Le même site en Gopher\r\n"
	    "[3] gemini://exemple.tg/ Le même site en Gemini\r\n\r\n"
	    "Les liens, en menu Gopher\xC2\xA0:\r\n/links/2025-03-14-typographie"
	    "\r\n") && b.len > 34 && memcmp(b.data + b.len - 34,
	    ":\r\n/links/2025-03-14-typographie\r\n", 34) == 0,
	    "links: numbered list, then the links menu, at the end");
	ask("/ascii" TYPO_SEL, &c, torture, &b);
	ok(is_7bit(&b) && has(&b, "l'OEuvre des coeurs") && has(&b, "EUR") &&
	    has(&b, "<<"), "ascii typography: OE, EUR, <<");
	ok(has(&b, "\r\n...et la phrase") && !has(&b, " ...et la phrase"),
	    "ascii: an ellipsis beginning a line gets no leading space");

	ask(PRE_SEL, &c, torture, &b);
	ok(has(&b, "\r\nVille      | Température\r\n-----------+------------\r\n"
	    "Lomé       | 31 °C\r\nKara       | 34 °C\r\n"),
	    "preformatted block byte for byte");
	ok(has(&b, "\r\n## Un intertitre") == 0 &&
	    has(&b, "\r\nUn intertitre\r\n-------------\r\n"),
	    "level-2 heading underlined with -");
	ok(has(&b, "\r\n> «\xc2\xa0Une citation qui doit rester une citation."
	    "\xe2\x80\xaf»\r\n"), "quote with \"> \"");
	ok(has(&b, "\r\n* premier élément\r\n* second élément"),
	    "list items with \"* \", no blank line between");
	ok(has(&b, "\r\n  ") , "list: hanging indent");
	ok(has(&b, "Ce paragraphe a été coupé à la main, comme dans un "
	    "courriel, et\r\n"), "hard-wrapped paragraph joined and rewrapped");
	ask("/latin1" PRE_SEL, &c, torture, &b);
	ok(has(&b, "\r\nLom\xe9       | 31 \xb0" "C\r\n"),
	    "latin1: preformatted block converted only");

	ask("/pages/a-propos.txt", &c, articles, &b);
	ok(is_text(&b, 67, TEXT_UTF8) && strncmp(b.data, "À propos\r\n"
	    "========\r\n", 20) == 0, "page: a text, heading underlined");
	ok(has(&b, "[1] gemini://localhost/ Accueil de la capsule\r\n"),
	    "page: links listed");
	ask("/ascii/pages/a-propos.txt", &c, articles, &b);
	ok(is_text(&b, 67, TEXT_ASCII), "ascii page");

	conf_init(&c, 67, TEXT_UTF8, "en");
	ask(GPSA_SEL, &c, articles, &b);
	ok(has(&b, "\r\nDate: 28 November 2024\r\n") &&
	    has(&b, "\r\nAuthors: AKAKPO"), "lang = en: English header");
	buf_release(&b);
}

static void
test_search(void)
{
	struct conf	 c;
	struct buf	 b = BUF_INIT, b2 = BUF_INIT;

	conf_init(&c, 67, TEXT_UTF8, "fr");
	is_int(ask("/search\tsecurite", &c, articles, &b), GOPHER_OK,
	    "search securite");
	ok(is_menu(&b, &c, TEXT_UTF8, "/") && has(&b, "\t" GPSA_SEL "\t"),
	    "search: securite finds the GPSA article");
	ok(has(&b, "iRésultats pour «\xc2\xa0securite\xe2\x80\xaf»\xc2\xa0: "),
	    "search: results titled");
	ok(has(&b, "7Nouvelle recherche\t/search\t"), "search: search again");
	ask("/search?securite", &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "/search?securite is the same");
	ask("search\tsecurite\t+", &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "without the leading /, and a Gopher+ flag after the words");
	ask("/search?s%C3%A9curit%C3%A9", &c, articles, &b2);
	ok(has(&b2, GPSA_SEL), "?query percent-decoded");
	ask("/search\tSÉCURITÉ", &c, articles, &b2);
	ok(has(&b2, GPSA_SEL), "search folds case and accents");
	ask("/latin1/search\ts\xe9" "curit\xe9", &c, articles, &b2);
	ok(is_menu(&b2, &c, TEXT_LATIN1, "/latin1/") &&
	    has(&b2, "\t/latin1" GPSA_SEL "\t"),
	    "latin1 view: a Latin-1 query is understood");
	ok(has(&b2, "iVotre machine") == 0,
	    "... without pointing to the view it is in");
	is_int(ask("/search\ts\xe9" "curit\xe9", &c, articles, &b2),
	    GOPHER_OK, "default view: a non-UTF-8 query is read as Latin-1");
	ok(is_menu(&b2, &c, TEXT_UTF8, "/") && has(&b2, "\t" GPSA_SEL "\t"),
	    "... and finds the article");
	ok(has(&b2, "iVotre machine ecrit en Latin-1.\t") &&
	    has(&b2, "1Ces resultats en Latin-1\t"
	    "/latin1/search?s%C3%A9curit%C3%A9\t"),
	    "... pointing, in ASCII, to the same search in the Latin-1 view");
	ask("/ascii/40/search?s%E9curit%E9", &c, articles, &b2);
	ok(is_7bit(&b2) && has(&b2, "\t/ascii/40" GPSA_SEL "\t") &&
	    has(&b2, "\t/latin1/40/search?s%C3%A9curit%C3%A9\t"),
	    "?query in Latin-1 from /ascii/40: the Latin-1 view of 40 columns");
	is_int(ask("/search\xe9\tx", &c, articles, &b2), GOPHER_BAD_REQUEST,
	    "a selector that is not UTF-8 is still refused");
	ok(is_error(&b2, &c), "... with an error menu");
	ask("/ascii/search\tsecurite", &c, articles, &b2);
	ok(is_menu(&b2, &c, TEXT_ASCII, "/ascii/") && is_7bit(&b2) &&
	    has(&b2, "\t/ascii" GPSA_SEL "\t"), "ascii view search");
	ask("/search\tzzqxw", &c, articles, &b2);
	ok(is_menu(&b2, &c, TEXT_UTF8, "/") && has(&b2, "iAucun article") &&
	    has(&b2, "\t/articles/") == 0, "search: nothing found");
	/* Out of memory is not "nothing found": an error item, not kept. */
	search_fail_next(1);
	is_int(ask("/search\tsecurite", &c, articles, &b2), GOPHER_TEMPORARY,
	    "search out of memory: GOPHER_TEMPORARY (conn.c never caches it)");
	ok(is_error(&b2, &c) && has(&b2, "3Erreur temporaire") &&
	    !has(&b2, "Aucun article"),
	    "... a type-3 item saying to try again, not 'nothing found'");
	is_int(ask("/search\tsecurite", &c, articles, &b2), GOPHER_OK,
	    "the next search is answered again");
	is_int(ask("/search", &c, articles, &b2), GOPHER_OK, "search: no words");
	ok(is_menu(&b2, &c, TEXT_UTF8, "/") && has(&b2, "7Rechercher\t/search\t"),
	    "search: no words gives a prompt menu");
	ask("/search\t\x01\x02  ", &c, articles, &b2);
	ok(is_menu(&b2, &c, TEXT_UTF8, "/") && has(&b2, "7Rechercher\t/search\t"),
	    "search: controls only is an empty query");
	ask("/search\tla", &c, articles, &b2);
	ok(is_menu(&b2, &c, TEXT_UTF8, "/"), "search matching everything");
	is_int(ask("/search?a%zz", &c, articles, &b2), GOPHER_BAD_REQUEST,
	    "bad percent-encoding in ?query");
	is_int(ask("/search?a%00b", &c, articles, &b2), GOPHER_BAD_REQUEST,
	    "%00 in ?query");
	buf_release(&b);
	buf_release(&b2);
}

static void
test_bad(void)
{
	static const struct {
		const char	*req;
		size_t		 len;	/* 0: strlen */
		int		 status;
		const char	*what;
	} cases[] = {
		{ "/nope", 0, GOPHER_NOT_FOUND, "unknown selector" },
		{ "/articles/nope.txt", 0, GOPHER_NOT_FOUND, "unknown article" },
		{ GPSA_SEL "x", 0, GOPHER_NOT_FOUND, "article without .txt" },
		{ "/articles/2024-11-28-gpsa-paix-securite", 0,
		    GOPHER_NOT_FOUND, "article id without .txt" },
		{ "/articles/", 0, GOPHER_NOT_FOUND, "/articles/" },
		{ "/articles/.txt", 0, GOPHER_NOT_FOUND, "empty id" },
		{ "/categories/nope", 0, GOPHER_NOT_FOUND, "unknown category" },
		{ "/categories/a-la-une/x", 0, GOPHER_NOT_FOUND,
		    "below a category" },
		{ "/archive/1999-01", 0, GOPHER_NOT_FOUND, "unknown month" },
		{ "/pages/nope.txt", 0, GOPHER_NOT_FOUND, "unknown page" },
		{ "/utf8/ascii/", 0, GOPHER_NOT_FOUND, "two views" },
		{ "/utf8x/", 0, GOPHER_NOT_FOUND, "not a view" },
		{ "//", 0, GOPHER_NOT_FOUND, "double slash" },
		{ GPSA_SEL "?x", 0, GOPHER_NOT_FOUND, "query on an article" },
		{ "/../etc/passwd", 0, GOPHER_BAD_REQUEST, ".." },
		{ "/articles/../../etc/passwd.txt", 0, GOPHER_BAD_REQUEST,
		    ".. in articles" },
		{ "/utf8/../articles/x.txt", 0, GOPHER_BAD_REQUEST,
		    ".. after a view" },
		{ "/./", 0, GOPHER_BAD_REQUEST, "." },
		{ "..", 0, GOPHER_BAD_REQUEST, ".. alone" },
		{ "/%2e%2e/etc/passwd", 0, GOPHER_BAD_REQUEST, "%2e%2e" },
		{ "/articles/%2E%2E%2Fx.txt", 0, GOPHER_BAD_REQUEST, "%2E%2F" },
		{ "/articles\\..\\x.txt", 0, GOPHER_BAD_REQUEST, "backslash" },
		{ "/articles/a\0b.txt", 16, GOPHER_BAD_REQUEST, "NUL" },
		{ "\0", 1, GOPHER_BAD_REQUEST, "NUL alone" },
		{ "/caf\xe9", 0, GOPHER_BAD_REQUEST, "non-UTF-8" },
		{ "\xff\xfe\x01\x02\x80\x81", 0, GOPHER_BAD_REQUEST,
		    "binary garbage" },
		{ "/caf\xc3\xa9", 0, GOPHER_BAD_REQUEST, "UTF-8 but not ours" },
		{ "/articles/x y.txt", 0, GOPHER_BAD_REQUEST, "space" },
		{ "GET / HTTP/1.0", 0, GOPHER_BAD_REQUEST, "HTTP request" },
		{ "/etc/passwd", 0, GOPHER_NOT_FOUND, "a file system path" },
		{ "URL:javascript:alert(1)", 0, GOPHER_BAD_REQUEST,
		    "URL: javascript refused" },
		{ "URL:file:///etc/passwd", 0, GOPHER_BAD_REQUEST,
		    "URL: file refused" },
		{ "URL:ftp://exemple.tg/", 0, GOPHER_BAD_REQUEST,
		    "URL: ftp refused" },
		{ "URL:http://", 0, GOPHER_BAD_REQUEST, "URL: no host" },
		{ "URL:https://exemple.tg/a b", 0, GOPHER_BAD_REQUEST,
		    "URL: with a space" },
		{ "URL:", 0, GOPHER_BAD_REQUEST, "URL: empty" },
	};
	struct conf	 c;
	struct buf	 b = BUF_INIT, r = BUF_INIT;
	char		 sel[GOPHER_REQUEST_MAX + 64];
	size_t		 i, len;
	int		 st;

	conf_init(&c, 67, TEXT_UTF8, "fr");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].req);
		buf_reset(&r);
		buf_add(&r, cases[i].req, len);
		buf_puts(&r, "\r\n");
		st = askn(r.data, r.len, &c, articles, &b);
		is_int(st, cases[i].status, cases[i].what);
		ok(is_error(&b, &c), "%s: a 3 line, the same words as i, .",
		    cases[i].what);
	}
	ask("/nope", &c, articles, &b);
	is_str(b.data, "3Document introuvable.\t\tgriot.example\t70\r\n"
	    "iDocument introuvable.\t\tgriot.example\t70\r\n.\r\n", "/nope",
	    "not found: exact bytes");

	memset(sel, 'a', sizeof(sel));
	sel[0] = '/';
	sel[GOPHER_SELECTOR_MAX] = '\0';
	is_int(ask(sel, &c, articles, &b), GOPHER_NOT_FOUND,
	    "255-byte selector: looked up");
	sel[GOPHER_SELECTOR_MAX] = 'a';
	sel[GOPHER_SELECTOR_MAX + 1] = '\0';
	is_int(ask(sel, &c, articles, &b), GOPHER_BAD_REQUEST,
	    "256-byte selector: too long");
	ok(is_error(&b, &c) && has(&b, "3Requête trop longue."),
	    "too long: error menu");
	memset(sel, 'a', sizeof(sel));
	is_int(askn(sel, GOPHER_REQUEST_MAX + 2, &c, articles, &b),
	    GOPHER_BAD_REQUEST, "overlong request without line end");
	ok(is_error(&b, &c), "overlong request: error menu");
	memcpy(sel, "/search\t", 8);
	sel[GOPHER_REQUEST_MAX + 1] = '\n';
	is_int(askn(sel, GOPHER_REQUEST_MAX + 2, &c, articles, &b),
	    GOPHER_BAD_REQUEST, "overlong search line");

	conf_init(&c, 67, TEXT_LATIN1, "fr");
	ask("/nope", &c, articles, &b);
	ok(is_error(&b, &c), "errors in the ini's charset");
	ask("/ascii/nope", &c, articles, &b);
	ok(is_error(&b, &c) && is_7bit(&b), "errors in the view's charset");

	buf_reset(&b);
	st = gopher_slow_down(&c, &b);	/* is_int() evaluates twice */
	is_int(st, GOPHER_SLOW_DOWN, "slow down: 429");
	buf_add(&b, "", 0);
	ok(is_error(&b, &c) && has_latin1(&b, "3Trop de requêtes"),
	    "slow down: an error menu");
	buf_release(&b);
	buf_release(&r);
}

/* The width views: /40 and /80, alone and after a charset. */
static void
test_widths(void)
{
	static const struct {
		const char		*prefix;
		enum text_charset	 cs;
		int			 text;
	} views[] = {
		{ "/40/", TEXT_UTF8, GOPHERMAP_NARROW_TEXT },
		{ "/80/", TEXT_UTF8, GOPHERMAP_WIDE_TEXT },
		{ "/utf8/40/", TEXT_UTF8, GOPHERMAP_NARROW_TEXT },
		{ "/ascii/40/", TEXT_ASCII, GOPHERMAP_NARROW_TEXT },
		{ "/latin1/40/", TEXT_LATIN1, GOPHERMAP_NARROW_TEXT },
		{ "/ascii/80/", TEXT_ASCII, GOPHERMAP_WIDE_TEXT },
		{ "/latin1/80/", TEXT_LATIN1, GOPHERMAP_WIDE_TEXT },
	};
	static const char *const menus[] = {
		"", "categories/", "categories/societe", "archive/",
		"archive/2026", "archive/2026-02", "search\tsecurite", "search"
	};
	struct conf		 c;
	struct buf		 b = BUF_INIT, b2 = BUF_INIT;
	char			 req[256], key[GOPHER_CACHE_KEY_MAX];
	char			 key2[GOPHER_CACHE_KEY_MAX];
	long			 n, n2;
	size_t			 i, j;

	conf_init(&c, 67, TEXT_UTF8, "fr");
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		for (j = 0; j < sizeof(menus) / sizeof(menus[0]); j++) {
			tap_snprintf(req, sizeof(req), "%s%s", views[i].prefix,
			    menus[j]);
			ok(ask(req, &c, articles, &b) == GOPHER_OK, "%s", req);
			ok(is_menu(&b, &c, views[i].cs, views[i].prefix),
			    "%s: a menu within %zu columns, in the view", req,
			    menu_width(&c, views[i].prefix));
		}
		tap_snprintf(req, sizeof(req), "%s%s", views[i].prefix,
		    GPSA_SEL + 1);
		ok(ask(req, &c, articles, &b) == GOPHER_OK, "%s", req);
		ok(is_text(&b, views[i].text, views[i].cs),
		    "%s: a text within %d columns", req, views[i].text);
		tap_snprintf(req, sizeof(req), "%spages/a-propos.txt",
		    views[i].prefix);
		ask(req, &c, articles, &b);
		ok(is_text(&b, views[i].text, views[i].cs),
		    "%s: a text within %d columns", req, views[i].text);
	}

	/* The chooser: in ASCII, each dimension kept while the other changes. */
	ask("", &c, articles, &b);
	ok(has(&b, "1Ecran de 40 colonnes\t/40/\t") &&
	    has(&b, "1Ecran de 80 colonnes\t/80/\t") &&
	    has(&b, "Retour a") == 0, "root: the widths offered");
	ask("/ascii/40/", &c, articles, &b);
	ok(has(&b, "1Retour a 67 colonnes\t/ascii/\t") &&
	    has(&b, "1Ecran de 80 colonnes\t/ascii/80/\t") &&
	    has(&b, "\t/ascii/40/\t") &&
	    has(&b, "1Texte en UTF-8\t/utf8/40/\t") &&
	    has(&b, "Ecran de 40") == 0,
	    "/ascii/40/ root: back to 67 columns, 80, the charsets at 40");
	ask("/80/", &c, articles, &b);
	ok(has(&b, "1Retour a 67 colonnes\t/\t") &&
	    has(&b, "\t/40/\t") && has(&b, "1Texte en Latin-1 (ISO-8859-1)\t"
	    "/latin1/80/\t"), "/80/ root: back to the default view");
	ok(has(&b, "\t/80/categories/") && has(&b, "\t/80/articles/") &&
	    has(&b, "\t/80/archive/\t") && has(&b, "\t/80/search\t"),
	    "/80/ root: every item stays in the view");
	ask("/40/search?securite", &c, articles, &b);
	ok(has(&b, "\t/40" GPSA_SEL "\t") && has(&b, "7Nouvelle recherche\t"
	    "/40/search\t") && has(&b, "\t/40/\t"),
	    "/40/ search: results, new search and home in the view");

	/* A long name is wrapped in a width view, cut in the default one. */
	c.name = (char *)(uintptr_t)"Griot, les nouvelles du Togo et du monde";
	ask("/40/", &c, articles, &b);
	ok(has(&b, "iGriot, les nouvelles du\t") &&
	    has(&b, "iTogo et du monde\t"),
	    "/40/ root: the capsule's name wrapped, not cut");
	c.width = 20;
	ask("", &c, articles, &b);
	ok(has(&b, "\xe2\x80\xa6\t") && has(&b, "et du monde") == 0,
	    "default root at width 20: the name cut on its one line");
	c.width = 67;
	c.name = (char *)(uintptr_t)"Griot, capsule de référence";

	/* Only these widths, only after the charset. */
	is_int(ask("/50/", &c, articles, &b), GOPHER_NOT_FOUND, "no /50 view");
	is_int(ask("/40/ascii/", &c, articles, &b), GOPHER_NOT_FOUND,
	    "the width after the charset only");
	is_int(ask("/40x/", &c, articles, &b), GOPHER_NOT_FOUND,
	    "a view prefix is a whole segment");
	is_int(ask("/40", &c, articles, &b), GOPHER_OK, "/40: its root");
	ask("/40/", &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "/40 and /40/ are the same root");

	/* The cache key tells the widths apart. */
	n = gopher_cache_key("/40/categories/\r\n", 17, key);
	n2 = gopher_cache_key("/categories/\r\n", 14, key2);
	ok(n > 0 && n2 > 0 && (n != n2 || memcmp(key, key2, (size_t)n) != 0),
	    "cache key: /40/categories/ is not /categories/");
	n2 = gopher_cache_key("/80/categories/\r\n", 17, key2);
	ok(n == n2 && memcmp(key, key2, (size_t)n) != 0,
	    "cache key: /40/ is not /80/");
	buf_release(&b);
	buf_release(&b2);
}

static void
test_plus(void)
{
	struct conf	 c;
	struct buf	 b = BUF_INIT, plain = BUF_INIT;

	conf_init(&c, 67, TEXT_UTF8, "fr");
	ask("", &c, articles, &plain);
	is_int(ask("\t$", &c, articles, &b), GOPHER_OK, "UMN probe TAB $");
	ok(starts(&b, "+-1\r\n+INFO: iGriot, capsule de référence\t\t"
	    "griot.example\t70\r\n") &&
	    b.len > 8 && memcmp(b.data + b.len - 4, "\n.\r\n", 4) == 0,
	    "TAB $: the root's items as +INFO blocks, then \".\"");
	ok(has(&b, "+INFO: 1Archives\t/archive/\tgriot.example\t70\t+\r\n") &&
	    has(&b, "+INFO: 0À propos\t/pages/a-propos.txt\tgriot.example\t"
	    "70\r\n") && has(&b, "+INFO: 7Rechercher\t/search\t"
	    "griot.example\t70\r\n"),
	    "TAB $: menus marked Gopher+ (TAB +), texts and searches plain");
	/* As many +INFO blocks as the plain menu has lines. */
	{
		size_t	 i, nplain = 0, ninfo = 0;

		for (i = 0; i < plain.len; i++)
			nplain += plain.data[i] == '\n';
		for (i = 0; i + 7 <= b.len; i++)
			ninfo += memcmp(b.data + i, "+INFO: ", 7) == 0;
		is_int((long)ninfo, (long)nplain - 1,
		    "TAB $: one +INFO block per line of the menu");
	}
	ask("/categories/societe\t$", &c, articles, &b);
	ok(starts(&b, "+-1\r\n+INFO: iRubrique"),
	    "TAB $ on another menu: its items");
	ask("/\t!", &c, articles, &b);
	is_str(b.data, "+-1\r\n+INFO: 1Griot, capsule de référence\t/\t"
	    "griot.example\t70\t+\r\n.\r\n", "/\\t!",
	    "TAB !: the root's own item");
	ask("/ascii" GPSA_SEL "\t!", &c, articles, &b);
	ok(starts(&b, "+-1\r\n+INFO: 0") &&
	    has(&b, "\t/ascii" GPSA_SEL "\t"
	    "griot.example\t70\r\n.\r\n"), "TAB ! on a text: type 0");
	ask("/latin1/", &c, articles, &plain);
	ask("/latin1/\t+", &c, articles, &b);
	ok(b.len == plain.len + 5 && strncmp(b.data, "+-1\r\n", 5) == 0 &&
	    memcmp(b.data + 5, plain.data, plain.len) == 0,
	    "TAB +: +-1, then the item itself");
	is_int(ask("/nope\t$", &c, articles, &b), GOPHER_NOT_FOUND,
	    "TAB $ on no item: 404");
	ok(starts(&b, "--1\r\n3"), "... answered --1 and why");
	ask("\t$+VIEWS", &c, articles, &b);
	ok(strncmp(b.data, "+-1\r\n", 5) == 0, "probe with more after it");
	buf_release(&b);
	buf_release(&plain);
}

static void
test_url(void)
{
	struct conf	 c;
	struct buf	 b = BUF_INIT;

	conf_init(&c, 67, TEXT_UTF8, "fr");
	is_int(ask("URL:https://exemple.tg/a?b=1&c=<x>\"'", &c, articles, &b),
	    GOPHER_OK, "URL: https");
	ok(has(&b, "<a href=\"https://exemple.tg/a?b=1&amp;c=&lt;x&gt;&quot;"
	    "&#39;\">") && has(&b, "<x>") == 0, "URL: HTML-escaped");
	ok(strncmp(b.data, "<!DOCTYPE html>\r\n<html lang=\"fr\">", 32) == 0 &&
	    has(&b, "<meta charset=\"utf-8\">") && has(&b, "http-equiv") &&
	    has(&b, "Ce lien mène hors de Gopher"), "URL: a small HTML page");
	ok(b.len > 3 && strcmp(b.data + b.len - 9, "</html>\r\n") == 0,
	    "URL: no dot line after the HTML");
	is_int(ask("/URL:gemini://exemple.tg/", &c, articles, &b), GOPHER_OK,
	    "/URL:gemini");
	ok(has(&b, "href=\"gemini://exemple.tg/\"") && has(&b, "http-equiv") == 0,
	    "URL: gemini link, no refresh");
	ask("URL:gopher://exemple.tg/1/caf\xc3\xa9", &c, articles, &b);
	ok(has(&b, "href=\"gopher://exemple.tg/1/caf%C3%A9\""),
	    "URL: non-ASCII percent-encoded");
	ask("URL:HTTP://EXEMPLE.TG/", &c, articles, &b);
	ok(has(&b, "href=\"HTTP://EXEMPLE.TG/\""), "URL: scheme in capitals");
	conf_init(&c, 67, TEXT_ASCII, "fr");
	ask("URL:https://exemple.tg/", &c, articles, &b);
	ok(is_7bit(&b) && has(&b, "charset=\"us-ascii\"") &&
	    has(&b, "Ce lien mene hors"), "URL: page in the ini's charset");
	buf_release(&b);
}

static void
test_files(void)
{
	struct conf	 c;
	struct buf	 b = BUF_INIT, b2 = BUF_INIT;

	conf_init(&c, 67, TEXT_UTF8, "fr");
	is_int(ask("/caps.txt", &c, articles, &b), GOPHER_OK, "caps.txt");
	ok(strncmp(b.data, "CAPS\r\n", 6) == 0 && has(&b, "\r\nCapsVersion=1\r\n")
	    && has(&b, "\r\nExpireCapsAfter=3600\r\n") &&
	    has(&b, "\r\nPathDelimeter=/\r\n") &&
	    has(&b, "\r\nPathIdentity=.\r\n") &&
	    has(&b, "\r\nPathParent=..\r\n") &&
	    has(&b, "\r\nPathParentDouble=FALSE\r\n") &&
	    has(&b, "\r\nPathKeepPreDelimeter=FALSE\r\n") &&
	    has(&b, "\r\nServerSoftware=griot\r\n") &&
	    has(&b, "\r\nServerDefaultEncoding=utf-8\r\n") &&
	    has(&b, "\r\nServerSupportsStdinScripts=FALSE\r\n"),
	    "caps.txt: the keys");
	ok(is_text(&b, 67, TEXT_ASCII), "caps.txt: a text");
	ask("caps.txt", &c, articles, &b2);
	ok(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "caps.txt without the /");
	ask("/latin1/caps.txt", &c, articles, &b);
	ok(has(&b, "\r\nServerDefaultEncoding=iso-8859-1\r\n"),
	    "caps.txt in the latin1 view");
	ask("/ascii/caps.txt", &c, articles, &b);
	ok(has(&b, "\r\nServerDefaultEncoding=us-ascii\r\n"),
	    "caps.txt in the ascii view");
	is_int(ask("robots.txt", &c, articles, &b), GOPHER_OK, "robots.txt");
	ok(is_text(&b, 67, TEXT_ASCII) && strncmp(b.data, "User-agent: *\r\n",
	    15) == 0 && has(&b, "Disallow: /search\r\n"),
	    "robots.txt: the rules");
	buf_release(&b);
	buf_release(&b2);
}

/* Renderers called directly on an article parsed from memory. */
static void
test_direct(void)
{
	static const char src[] =
	    "Title: .Liens\n"
	    "Date: 2025-04-01\n"
	    "\n"
	    "# Premier niveau\n"
	    "### Troisième niveau\n"
	    "=> https://exemple.tg/été?q=œ Un lien accentué\n"
	    "=> gemini://exemple.tg/un/chemin/tres/long/qui/ne/tient/pas/dans/"
	    "la/largeur/de/quarante/colonnes.gmi\n"
	    "```\n"
	    ".commence par un point\n"
	    "```\n";
	struct article_opts	 o = { 1, 0 };
	struct article_report	 r = { report, NULL };
	struct article		*a;
	struct conf		 c;
	struct gophermap_view	 v;
	struct buf		 b = BUF_INIT;

	a = article_parse("liens", "liens.txt", src, sizeof(src) - 1, &o, &r);
	ok(a != NULL, "article parsed from memory");
	if (a == NULL)
		return;
	conf_init(&c, 40, TEXT_UTF8, "fr");
	gophermap_view_init(&v, &c, articles, "/ascii");
	ok(gophertext_article(&b, &v, a) == 0 && is_text(&b, 40, TEXT_ASCII),
	    "direct: a valid ASCII text");
	ok(strncmp(b.data, ".Liens\r\n======\r\nDate : 1er avril", 32) == 0,
	    "direct: a title beginning with a dot, underlined");
	ok(has(&b, "\r\nPremier niveau\r\n==============\r\n") &&
	    has(&b, "\r\nTroisieme niveau\r\n~~~~~~~~~~~~~~~~\r\n"),
	    "direct: headings underlined with = and ~");
	ok(has(&b, "\r\n[1] https://exemple.tg/%C3%A9t%C3%A9?q=%C5%93\r\n"
	    "    Un lien accentue\r\n"),
	    "direct: URL percent-encoded in the ASCII view");
	ok(has(&b, "\r\n[2] gemini://exemple.tg/un/chemin/tres/long/qui/ne/"
	    "tient/pas/dans/la/largeur/de/quarante/colonnes.gmi\r\n\r\n"
	    "Les liens, en menu Gopher :\r\n/ascii/links/liens\r\n"),
	    "direct: a long URL is never cut in the list of links");
	ok(has(&b, "\r\n.commence par un point\r\n"),
	    "direct: a preformatted line beginning with a dot, as it is");
	buf_reset(&b);
	gophermap_view_init(&v, &c, articles, "/utf8");
	ok(gophertext_article(&b, &v, a) == 0 && is_text(&b, 40, TEXT_UTF8) &&
	    has(&b, "[1] https://exemple.tg/été?q=œ\r\n"),
	    "direct: URL as written in the UTF-8 view");
	article_free(a);
	buf_release(&b);
}

/* The Source: header: the last numbered link of the text. */
static void
test_source(void)
{
	static const char src[] =
	    "Title: Avec source\n"
	    "Date: 2025-04-01\n"
	    "Source: https://journal.example/2025/04/01/avec-source/\n"
	    "\n"
	    "Texte.\n"
	    "=> https://exemple.tg/a Un lien\n";
	struct article_opts	 o = { 1, 0 };
	struct article_report	 r = { report, NULL };
	struct article		*a;
	struct conf		 c;
	struct gophermap_view	 v;
	struct buf		 b = BUF_INIT;

	a = article_parse("src", "src.txt", src, sizeof(src) - 1, &o, &r);
	ok(a != NULL && a->source != NULL, "Source: parsed");
	if (a == NULL)
		return;
	conf_init(&c, 67, TEXT_UTF8, "fr");
	gophermap_view_init(&v, &c, articles, "/utf8");
	ok(gophertext_article(&b, &v, a) == 0 && is_text(&b, 67, TEXT_UTF8),
	    "Source: a valid text");
	ok(has(&b, "Texte.\r\n\r\nUn lien [1]\r\nSource [2]\r\n"),
	    "Source: a link after the body");
	ok(has(&b, "[2] https://journal.example/2025/04/01/avec-source/ "
	    "Source\r\n\r\nLes liens, en menu Gopher\xC2\xA0:\r\n/utf8/links/src\r\n"),
	    "Source: the last numbered link, then the links menu");
	article_free(a);
	buf_release(&b);
}

/* Two snapshots of the same store, same ini: the same bytes. */
static void
test_pure(void)
{
	static const char *const reqs[] = {
		"", "/latin1/", GPSA_SEL, "/ascii" GPSA_SEL, "/search\tsecurite",
		"/categories/", "/archive/2026-02", "/nope",
	};
	struct store	*again = open_store("articles");
	struct conf	 c;
	struct buf	 b = BUF_INIT, b2 = BUF_INIT;
	size_t		 i;

	conf_init(&c, 67, TEXT_UTF8, "fr");
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		ask(reqs[i], &c, articles, &b);
		ask(reqs[i], &c, again, &b2);
		ok(b.len > 0 && b.len == b2.len &&
		    memcmp(b.data, b2.data, b.len) == 0,
		    "same store, same ini, same bytes: \"%s\"", reqs[i]);
	}
	store_unref(again);
	buf_release(&b);
	buf_release(&b2);
}

/*
 * The cache key: what the answer depends on, and nothing else.  A NULL
 * key is -1 (an error answer, not kept).
 */
static void
test_cache_key(void)
{
	static const struct {
		const char	*req;
		const char	*key;
	} cases[] = {
		{ "\r\n", "" },
		{ "/\r\n", "/" },
		{ "caps.txt\r\n", "/caps.txt" },
		{ "/caps.txt\n", "/caps.txt" },
		{ "/caps.txt", "/caps.txt" },
		{ "/caps.txt\twords\r\n", "/caps.txt" },
		{ "/search\r\n", "/search" },
		{ "/search\t\r\n", "/search\t" },
		{ "/search\tlomé\r\n", "/search\tlomé" },
		{ "search\tlomé\t+\r\n", "/search\tlomé" },
		{ "/utf8/search\tx\r\n", "/utf8/search\tx" },
		{ "/search?x\r\n", "/search?x" },
		{ "/search?x\ty\r\n", "/search?x\ty" },
		{ "/search/2\tlomé\r\n", "/search/2\tlomé" },
		{ "/latin1/search/2?x\ty\r\n", "/latin1/search/2?x\ty" },
		{ "/searchx\ty\r\n", "/searchx" },
		{ "/categories/societe/2\ty\r\n", "/categories/societe/2" },
		{ "/latin1/\t+\r\n", "/latin1/\t+" },
		{ "/latin1/\t$more\r\n", "/latin1/\t$" },
		{ "\t!\r\n", "\t!" },
		{ "URL:http://x.tg/\tw\r\n", "/URL:http://x.tg/" },
		{ "/a\0b\r\n", NULL },
		{ "/\xff\r\n", NULL },
	};
	char	 key[GOPHER_CACHE_KEY_MAX], big[GOPHER_REQUEST_MAX + 8];
	long	 n;
	size_t	 i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = strlen(cases[i].req);
		if (strncmp(cases[i].req, "/a", 2) == 0)
			len = 7;	/* the NUL inside */
		n = gopher_cache_key(cases[i].req, len, key);
		if (cases[i].key == NULL) {
			is_int(n, -1, "cache key of an error: none");
			continue;
		}
		if (is_int(n >= 0, 1, "cache key made"))
			is_mem(key, (size_t)n, cases[i].key,
			    strlen(cases[i].key), cases[i].req, "cache key");
	}

	/* Too long a selector or line: an error, no key. */
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	is_int(gopher_cache_key(big, GOPHER_SELECTOR_MAX + 1, key), -1,
	    "cache key of a selector one byte too long: none");
	is_int(gopher_cache_key(big, GOPHER_SELECTOR_MAX, key),
	    GOPHER_SELECTOR_MAX, "cache key of the longest selector");
	is_int(gopher_cache_key(big, GOPHER_REQUEST_MAX + 1, key), -1,
	    "cache key of a line one byte too long: none");
}

/*
 * Lists cut into pages (page_size 2 on the 7 articles of tests/data:
 * 5 categories, 2026-01 holds 3 articles, 2 years).
 */
static void
test_pages(void)
{
	static const char *const nopage[] = {
		"/categories/_/4", "/categories/_/0", "/categories/politique/2",
		"/archive/2026-01/3", "/archive/2026-01/0", "/archive/2026-01/01",
		"/archive/2026-01/-1", "/archive/2026-01/x",
		"/archive/2026-01/99999999", "/archive/2026-01/999999999",
		"/archive/_/2", "/archive/2026/2", "/archive/1999",
		"/search/0\tla", "/search/99\tla", "/search/2", "/search/x?la",
	};
	struct conf	 c;
	struct buf	 b = BUF_INIT;
	size_t		 i;

	conf_init(&c, 67, TEXT_UTF8, "fr");
	c.page_size = 2;
	is_int(ask("/categories/", &c, articles, &b), GOPHER_OK,
	    "categories, page 1");
	ok(has(&b, "iPage 1 sur 3\t") &&
	    has(&b, "1Page suivante\t/categories/_/2\t") &&
	    !has(&b, "Page précédente"), "categories, page 1: next only");
	is_int(ask("/categories/_/3", &c, articles, &b), GOPHER_OK,
	    "categories, page 3");
	ok(has(&b, "\t/categories/technologie\t") &&
	    !has(&b, "\t/categories/societe\t") &&
	    has(&b, "iPage 3 sur 3\t") &&
	    has(&b, "1Page précédente\t/categories/_/2\t") &&
	    !has(&b, "Page suivante"), "categories, page 3: the last, back");
	ask("/categories/_/2", &c, articles, &b);
	ok(has(&b, "1Page précédente\t/categories/\t"),
	    "page 2 links back to the list's old address");
	ask("/categories/politique", &c, articles, &b);
	ok(!has(&b, "Page "), "a list of one page says nothing of pages");
	ask("/archive/2026-01", &c, articles, &b);
	ok(has(&b, "iPage 1 sur 2\t") &&
	    has(&b, "1Page suivante\t/archive/2026-01/2\t"),
	    "month, page 1 of 2");
	ask("/latin1/archive/2026-01/2", &c, articles, &b);
	ok(has(&b, "iPage 2 sur 2\t") &&
	    has(&b, "1Page pr\xe9" "c\xe9" "dente\t/latin1/archive/2026-01\t") &&
	    has(&b, "1Archives\xa0: 2026\t/latin1/archive/2026\t"),
	    "month, page 2 of 2 in the Latin-1 view");
	c.page_size = 1;
	ask("/archive/_/2", &c, articles, &b);
	ok(has(&b, "12024 (1)\t/archive/2024\t") &&
	    has(&b, "1Page précédente\t/archive/\t"), "years, page 2");
	ask("/search/3\tla", &c, articles, &b);
	ok(has(&b, "iPage 3 sur ") &&
	    has(&b, "1Page précédente\t/search/2?la\t") &&
	    has(&b, "1Page suivante\t/search/4?la\t"),
	    "search, page 3: links carry the words");
	ask("/ascii/search/2?d%C3%A9", &c, articles, &b);
	ok(has(&b, "\t/ascii/search?d%C3%A9\t"),
	    "search pages: the words percent-encoded");
	/* Out of memory on page 2 is no "no such page", nor "nothing". */
	search_fail_next(1);
	is_int(ask("/search/2\tla", &c, articles, &b), GOPHER_TEMPORARY,
	    "search page 2 out of memory: GOPHER_TEMPORARY");
	ok(has(&b, "3Erreur temporaire"), "... the type-3 item says so");
	c.page_size = 2;
	for (i = 0; i < sizeof(nopage) / sizeof(nopage[0]); i++) {
		is_int(ask(nopage[i], &c, articles, &b), GOPHER_NOT_FOUND,
		    nopage[i]);
		ok(b.data[0] == '3' && has(&b, "\r\n.\r\n"),
		    "%s: an error menu", nopage[i]);
	}
	buf_release(&b);
}

int
main(void)
{
	articles = open_store("articles");
	torture = open_store("torture");

	test_request_complete();
	test_item();
	test_root();
	test_lists();
	test_pages();
	test_articles();
	test_search();
	test_bad();
	test_widths();
	test_plus();
	test_url();
	test_files();
	test_direct();
	test_source();
	test_pure();
	test_cache_key();

	store_unref(articles);
	store_unref(torture);
	return tap_done();
}
