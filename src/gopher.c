/* griot: Gopher requests.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Turns the bytes of one Gopher request into the bytes of its response:
 * parses and checks the selector, picks the charset view, and routes to
 * the renderers of gophermap.c.  Everything served comes from the store
 * snapshot; no file is ever opened here.
 *
 * Selectors (each also under a view prefix "[/CHARSET][/WIDTH]":
 * /utf8, /latin1, /ascii, then /40 or /80, gophermap.h; the default view
 * at "/" uses the ini's charset and width):
 *	"" or "/"		root menu
 *	/articles/ID.txt	an article (type 0)
 *	/categories/		category list (page 1)
 *	/categories/_/N		its page N
 *	/categories/SLUG[/N]	one category (page 1, page N)
 *	/archive/		the years (page 1); /archive/_/N: page N
 *	/archive/YYYY		the months of a year
 *	/archive/YYYY-MM[/N]	one month (page 1, page N)
 *	/search[/N]		type 7; words after a TAB, or /search?words
 *				(page 1, page N of the results)
 *	/pages/NAME.txt		a static page (type 0)
 *	/links/ID[/N]		the links of an article (page 1, page N)
 *	/caps.txt, /robots.txt	(also without the leading "/")
 *	URL:<url>		small HTML page pointing to an external link
 * A leading "/" may be left out.  What follows the first TAB is the
 * search string, except for the Gopher+ requests "+", "!", "$" (plus()).
 * Search words that are not UTF-8 are read as ISO-8859-1 in every view;
 * the selector itself must be UTF-8.
 */

#include "griot-config.h"

#include <string.h>

#include "buf.h"
#include "config.h"
#include "gopher.h"
#include "gophermap.h"
#include "gopherlinks.h"
#include "gophertext.h"
#include "paging.h"
#include "store.h"
#include "text.h"
#include "url.h"

/* Answer a type-3 error menu and return "status". */
static int
fail(struct buf *out, const struct gophermap_view *v, enum gophermap_msg msg,
    int status)
{
	if (gophermap_error(out, v, msg) == -1)
		return GOPHER_SERVER_ERROR;
	return status;
}

long
gopher_request_complete(const char *data, size_t len)
{
	const char	*nl;
	size_t		 scan, line;

	scan = len < GOPHER_REQUEST_MAX + 2 ? len : GOPHER_REQUEST_MAX + 2;
	nl = memchr(data, '\n', scan);
	if (nl == NULL)
		return len >= GOPHER_REQUEST_MAX + 2 ? -1 : 0;
	line = (size_t)(nl - data);
	if (line > 0 && data[line - 1] == '\r')
		line--;
	if (line > GOPHER_REQUEST_MAX)
		return -1;
	return (long)(nl - data) + 1;
}

/* Percent-decode the "?query" of a search selector; -1 if malformed. */
static int
unpercent(struct buf *dst, const char *s)
{
	size_t	 n = strlen(s);

	if (buf_reserve(dst, n) == -1)
		return -1;
	if (url_decode(dst->data + dst->len, &n, s, n,
	    URL_NO_NUL | URL_STRICT) == -1)
		return -1;
	dst->len += n;
	dst->data[dst->len] = '\0';
	return 0;
}

/*
 * Only what griot's own selectors use: letters, digits, "-", "_", ".",
 * "/"; never an empty, "." or ".." segment after the first "/".
 */
static int
is_path_safe(const char *p)
{
	const char	*seg;
	size_t		 i, len;

	for (i = 0; p[i] != '\0'; i++) {
		unsigned char	 c = (unsigned char)p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '/'))
			return 0;
	}
	for (seg = p; *seg != '\0'; seg += len) {
		if (*seg == '/')
			seg++;
		len = strcspn(seg, "/");
		if ((len == 1 && seg[0] == '.') ||
		    (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
	}
	return 1;
}

/* "path" starts with "prefix"; the rest (NUL-terminated) is returned. */
static const char *
after(const char *path, const char *prefix)
{
	size_t	 n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 ? path + n : NULL;
}

/* The name in "/dir/NAME.txt", copied into "name"; -1 if not that. */
static int
txt_name(const char *rest, char *name, size_t size)
{
	size_t	 len = strlen(rest);

	if (len <= 4 || strcmp(rest + len - 4, ".txt") != 0 ||
	    strchr(rest, '/') != NULL || len - 4 >= size)
		return -1;
	memcpy(name, rest, len - 4);
	name[len - 4] = '\0';
	return 0;
}

/*
 * One name after "/dir/", then a trailing "/" or "/N" (a page number,
 * paging.h); "*page" is 1 without one.
 */
static int
dir_name(const char *rest, char *name, size_t size, size_t *page)
{
	size_t	 len = strcspn(rest, "/");

	if (len == 0 || len >= size)
		return -1;
	memcpy(name, rest, len);
	name[len] = '\0';
	*page = 1;
	if (rest[len] == '\0' || rest[len + 1] == '\0')
		return 0;
	rest += len + 1;
	return paging_parse(rest, strlen(rest), page);
}

/* "/N" after a list's own path: its page N ("" is page 1). */
static int
page_after(const char *rest, size_t *page)
{
	*page = 1;
	if (*rest == '\0')
		return 0;
	if (*rest != '/')
		return -1;
	rest++;
	return paging_parse(rest, strlen(rest), page);
}

/*
 * The answer of a paged menu: -1 from its renderer without running out
 * of memory means the list has no such page.
 */
static int
paged(struct buf *out, const struct gophermap_view *v, int rc)
{
	if (rc == 0)
		return GOPHER_OK;
	if (out->failed)
		return GOPHER_SERVER_ERROR;
	return fail(out, v, GOPHERMAP_NOT_FOUND, GOPHER_NOT_FOUND);
}

/* "YYYY": a year of the archive (its months follow). */
static int
is_year(const char *s)
{
	size_t	 i;

	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[4] == '\0';
}

static int
search(struct buf *out, const struct gophermap_view *v, const char *words,
    size_t wlen, const char *qs, size_t page)
{
	struct buf	 raw = BUF_INIT, q = BUF_INIT;
	size_t		 npages;
	int		 rc, latin1;

	if (words == NULL && qs != NULL) {
		if (unpercent(&raw, qs) == -1) {
			rc = raw.failed ? GOPHER_SERVER_ERROR :
			    fail(out, v, GOPHERMAP_BAD_REQUEST,
			    GOPHER_BAD_REQUEST);
			goto done;
		}
		words = raw.data != NULL ? raw.data : "";
		wlen = raw.len;
	}
	if (words == NULL)
		words = "";
	if (text_from_input(&q, words, wlen, &latin1) == -1) {
		rc = q.failed ? GOPHER_SERVER_ERROR :
		    fail(out, v, GOPHERMAP_BAD_REQUEST, GOPHER_BAD_REQUEST);
		goto done;
	}
	/*
	 * Only memory fails a search itself: say so, never "nothing
	 * found"; a page past the results is no page at all.
	 */
	rc = gophermap_search(out, v, q.data != NULL ? q.data : "", q.len,
	    latin1, page, &npages);
	if (rc == 0)
		rc = GOPHER_OK;
	else if (out->failed)
		rc = GOPHER_SERVER_ERROR;
	else if (npages == 0)
		rc = fail(out, v, GOPHERMAP_TEMPORARY, GOPHER_TEMPORARY);
	else
		rc = fail(out, v, GOPHERMAP_NOT_FOUND, GOPHER_NOT_FOUND);
done:
	buf_release(&raw);
	buf_release(&q);
	return rc;
}

/* The routes of one view; "path" is "" or starts with "/". */
static int
route(struct buf *out, const struct gophermap_view *v, const char *path,
    const char *words, size_t wlen, const char *qs)
{
	const struct store	*st = v->store;
	const struct article	*a;
	const struct store_category *c;
	const struct store_month *m;
	const struct store_page	*p;
	const char		*rest;
	char			 name[GOPHER_SELECTOR_MAX + 1];
	size_t			 page;
	int			 rc;

	if ((rest = after(path, "/search")) != NULL) {
		if (page_after(rest, &page) == -1)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		return search(out, v, words, wlen, qs, page);
	}
	if (qs != NULL)
		return fail(out, v, GOPHERMAP_NOT_FOUND, GOPHER_NOT_FOUND);
	if (strcmp(path, "") == 0 || strcmp(path, "/") == 0)
		rc = gophermap_root(out, v);
	else if (strcmp(path, "/categories") == 0 ||
	    strcmp(path, "/categories/") == 0)
		rc = gophermap_categories(out, v, 1);
	else if (strcmp(path, "/archive") == 0 ||
	    strcmp(path, "/archive/") == 0)
		rc = gophermap_archive(out, v, 1);
	else if (strcmp(path, "/caps.txt") == 0)
		rc = gophermap_caps(out, v);
	else if (strcmp(path, "/robots.txt") == 0)
		rc = gophermap_robots(out, v);
	else if ((rest = after(path, "/articles/")) != NULL) {
		if (txt_name(rest, name, sizeof(name)) == -1 ||
		    (a = store_article_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		rc = gophertext_article(out, v, a);
	} else if ((rest = after(path, "/pages/")) != NULL) {
		if (txt_name(rest, name, sizeof(name)) == -1 ||
		    (p = store_page_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		rc = gophertext_page(out, v, p);
	} else if ((rest = after(path, "/links/")) != NULL) {
		if (dir_name(rest, name, sizeof(name), &page) == -1 ||
		    (a = store_article_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		return paged(out, v, gopherlinks_menu(out, v, a, page));
	} else if ((rest = after(path, "/categories/")) != NULL) {
		/* No slug has a "_": "/categories/_/N" is the list's page N. */
		if (dir_name(rest, name, sizeof(name), &page) == -1)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		if (strcmp(name, "_") == 0)
			return paged(out, v, gophermap_categories(out, v,
			    page));
		if ((c = store_category_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		return paged(out, v, gophermap_category(out, v, c, page));
	} else if ((rest = after(path, "/archive/")) != NULL) {
		if (dir_name(rest, name, sizeof(name), &page) == -1)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		if (strcmp(name, "_") == 0)
			return paged(out, v, gophermap_archive(out, v, page));
		/* A year is one page: its months. */
		if (is_year(name))
			return paged(out, v, page != 1 ? -1 :
			    gophermap_year(out, v, name));
		if ((m = store_month_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		return paged(out, v, gophermap_month(out, v, m, page));
	} else
		return fail(out, v, GOPHERMAP_NOT_FOUND, GOPHER_NOT_FOUND);
	return rc == -1 ? GOPHER_SERVER_ERROR : GOPHER_OK;
}

/*
 * One request line taken apart, once: gopher_respond() answers from it
 * and gopher_cache_key() builds its key from it, so that the two cannot
 * disagree on what a request says.
 */
struct gopher_request {
	int		 status;	/* GOPHER_OK, or the error to answer */
	enum gophermap_msg why;		/* the error's words */
	size_t		 line;		/* the line, without its end */
	char		 sel[GOPHER_SELECTOR_MAX + 2];	/* leading "/" */
	size_t		 sellen;
	const char	*url;		/* after "/URL:" in sel, or NULL */
	const char	*view;		/* gophermap_view_prefix(): "", "/40"... */
	char		 path[GOPHER_SELECTOR_MAX + 2];	/* no view, no "?" */
	const char	*qs;		/* after "?" in sel, or NULL */
	const char	*words;		/* after the TAB, in the caller's bytes */
	size_t		 wlen;		/* up to a second TAB */
	int		 probe;		/* a Gopher+ probe: '+', '!', '$' or 0 */
};

/* Take the request in data[0..len) apart; the errors go in r->status. */
static void
request_parse(struct gopher_request *r, const char *data, size_t len)
{
	const char	*nl, *tab, *rest, *p;
	size_t		 n, sellen;

	memset(r, 0, sizeof(*r));
	r->status = GOPHER_BAD_REQUEST;
	r->view = "";
	nl = memchr(data, '\n', len);
	r->line = nl != NULL ? (size_t)(nl - data) : len;
	if (r->line > 0 && data[r->line - 1] == '\r')
		r->line--;
	if (r->line > GOPHER_REQUEST_MAX) {
		r->why = GOPHERMAP_TOO_LONG;
		return;
	}
	r->why = GOPHERMAP_BAD_REQUEST;
	if (memchr(data, '\0', r->line) != NULL)
		return;
	tab = memchr(data, '\t', r->line);
	sellen = tab != NULL ? (size_t)(tab - data) : r->line;
	if (sellen > GOPHER_SELECTOR_MAX) {
		r->why = GOPHERMAP_TOO_LONG;
		return;
	}
	if (!text_is_utf8(data, sellen))
		return;
	if (tab != NULL) {
		r->words = tab + 1;
		r->wlen = r->line - sellen - 1;
		/* A Gopher+ client may add "TAB +" after the words. */
		if ((rest = memchr(r->words, '\t', r->wlen)) != NULL)
			r->wlen = (size_t)(rest - r->words);
		if (r->line > sellen + 1 && (r->words[0] == '+' ||
		    r->words[0] == '!' || r->words[0] == '$'))
			r->probe = r->words[0];
	}
	r->status = GOPHER_OK;

	/* Always a leading "/", so that "caps.txt" is "/caps.txt". */
	if (sellen > 0 && data[0] != '/')
		r->sel[r->sellen++] = '/';
	memcpy(r->sel + r->sellen, data, sellen);
	r->sellen += sellen;
	r->sel[r->sellen] = '\0';
	if ((r->url = after(r->sel, "/URL:")) != NULL)
		return;

	r->view = gophermap_view_prefix(r->sel);
	p = r->sel + strlen(r->view);
	n = strcspn(p, "?");
	memcpy(r->path, p, n);
	r->path[n] = '\0';
	if (p[n] == '?')
		r->qs = p + n + 1;
}

/* Is "path" (no view) one of the type-0 texts? */
static int
is_text(const char *path)
{
	size_t	 n = strlen(path);

	return n > 4 && strcmp(path + n - 4, ".txt") == 0;
}

/*
 * A Gopher+ request (RFC 1436 servers ignore what follows the TAB; the
 * Gopher+ specification of 1993 says what to send):
 *	"$"	a menu's items as "+INFO: " blocks, each the menu line with
 *		"TAB +" appended, then "."; any other item: as "!"
 *	"!"	the item's own "+INFO: " block (its menu line), then "."
 *	"+"	the item itself after "+-1" (it ends with "."), or "+-2"
 *		(read to the end: the HTML page of a "URL:" selector)
 * Errors answer "--1" and the error menu.  Each is preceded by the
 * plain answer's status.
 */
static int
plus(struct buf *out, const struct gophermap_view *v,
    const struct gopher_request *r)
{
	struct buf	 body = BUF_INIT;
	int		 rc, type;

	if (!is_path_safe(r->path))
		rc = fail(&body, v, GOPHERMAP_BAD_REQUEST, GOPHER_BAD_REQUEST);
	else
		rc = route(&body, v, r->path, NULL, 0, r->qs);
	if (rc == GOPHER_SERVER_ERROR || body.failed) {
		rc = GOPHER_SERVER_ERROR;
		goto done;
	}
	if (rc != GOPHER_OK) {
		if (buf_puts(out, "--1\r\n") == -1 ||
		    buf_add(out, body.data, body.len) == -1)
			rc = GOPHER_SERVER_ERROR;
		goto done;
	}
	if (r->probe == '+') {
		if (buf_puts(out, "+-1\r\n") == -1 ||
		    buf_add(out, body.data, body.len) == -1)
			rc = GOPHER_SERVER_ERROR;
		goto done;
	}
	type = is_text(r->path) ? '0' : '1';
	if (type == '1' && r->probe == '$') {
		if (gophermap_plus_menu(out, v, body.data, body.len) == -1)
			rc = GOPHER_SERVER_ERROR;
		goto done;
	}
	/* A search's own line is its prompt, type 7. */
	if (strcmp(r->path, "/search") == 0 && r->qs == NULL)
		type = '7';
	if (gophermap_plus(out, v, type, r->sel, body.data, body.len) == -1)
		rc = out->failed ? GOPHER_SERVER_ERROR :
		    fail(out, v, GOPHERMAP_BAD_REQUEST, GOPHER_BAD_REQUEST);
done:
	buf_release(&body);
	return rc;
}

int
gopher_respond(const char *data, size_t len, const struct conf *conf,
    const struct store *st, struct buf *out)
{
	struct gopher_request	 r;
	struct gophermap_view	 v;
	size_t			 start = out->len;
	int			 rc;

	if (gophermap_view_init(&v, conf, st, "") == -1)
		return GOPHER_SERVER_ERROR;
	request_parse(&r, data, len);
	if (r.status != GOPHER_OK)
		return fail(out, &v, r.why, r.status);
	if (r.url != NULL) {
		if (!url_is_external(r.url))
			return fail(out, &v, GOPHERMAP_BAD_URL,
			    GOPHER_BAD_REQUEST);
		if (gophermap_url(out, &v, r.url, strlen(r.url)) == -1)
			return GOPHER_SERVER_ERROR;
		return GOPHER_OK;
	}
	if (gophermap_view_init(&v, conf, st, r.view) == -1)
		return GOPHER_SERVER_ERROR;
	if (r.probe != 0)
		rc = plus(out, &v, &r);
	else if (!is_path_safe(r.path))
		return fail(out, &v, GOPHERMAP_BAD_REQUEST, GOPHER_BAD_REQUEST);
	else
		rc = route(out, &v, r.path, r.words, r.wlen, r.qs);
	if (rc == GOPHER_SERVER_ERROR)
		buf_truncate(out, start);
	return rc;
}

/*
 * What the answer depends on goes into the key, what it ignores does
 * not: the view and path of a search and its words, the view of a
 * Gopher+ probe and its byte, the selector alone otherwise.
 */
long
gopher_cache_key(const char *data, size_t len, char *key)
{
	struct gopher_request	 r;
	size_t			 klen;

	request_parse(&r, data, len);
	if (r.status != GOPHER_OK)
		return -1;
	memcpy(key, r.sel, r.sellen);
	klen = r.sellen;
	key[klen] = '\0';
	if (r.url != NULL || r.words == NULL)
		return (long)klen;
	if (r.probe != 0) {
		key[klen++] = '\t';
		key[klen++] = (char)r.probe;
		return (long)klen;
	}
	/* "/search" and its pages "/search/N" read the words. */
	if (strcmp(r.path, "/search") != 0 &&
	    strncmp(r.path, "/search/", 8) != 0)
		return (long)klen;
	key[klen++] = '\t';
	memcpy(key + klen, r.words, r.wlen);
	klen += r.wlen;
	return (long)klen;
}

int
gopher_slow_down(const struct conf *conf, struct buf *out)
{
	struct gophermap_view	 v;

	if (gophermap_view_init(&v, conf, NULL, "") == -1 ||
	    gophermap_error(out, &v, GOPHERMAP_SLOW_DOWN) == -1)
		return GOPHER_SERVER_ERROR;
	return GOPHER_SLOW_DOWN;
}
