/* griot: Gopher requests.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Turns the bytes of one Gopher request into the bytes of its response:
 * parses and checks the selector, picks the charset view, and routes to
 * the renderers of gophermap.c.  Everything served comes from the store
 * snapshot; no file is ever opened here.
 *
 * Selectors (each also under /utf8, /latin1 and /ascii; the default view
 * at "/" uses the ini's charset):
 *	"" or "/"		root menu
 *	/articles/ID.txt	an article (type 0)
 *	/categories/[SLUG]	category list, one category
 *	/archive/[YYYY-MM]	month list, one month
 *	/search			type 7; words after a TAB, or /search?words
 *	/pages/NAME.txt		a static page (type 0)
 *	/caps.txt, /robots.txt	(also without the leading "/")
 *	URL:<url>		small HTML page pointing to an external link
 * A leading "/" may be left out.  What follows the first TAB is the
 * search string, except for the Gopher+ probes "+", "!", "$".
 */

#include "griot-config.h"

#include <string.h>
#include <strings.h>


#include "buf.h"
#include "config.h"
#include "gopher.h"
#include "gophermap.h"
#include "store.h"
#include "text.h"

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

/*
 * Is this an external link griot points to: http, https, gemini or
 * gopher, "//" and a host, no space, control or backslash?
 */
static int
is_url_allowed(const char *url)
{
	static const char *const schemes[] = {
		"http://", "https://", "gemini://", "gopher://"
	};
	size_t	 i, n;

	for (i = 0; url[i] != '\0'; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f ||
		    url[i] == '\\')
			return 0;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(url, schemes[i], n) == 0)
			return url[n] != '\0' && url[n] != '/';
	}
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode the "?query" of a search selector; -1 if malformed. */
static int
unpercent(struct buf *dst, const char *s)
{
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			if (buf_addc(dst, *s) == -1)
				return -1;
			continue;
		}
		if ((hi = hexval(s[1])) == -1 || (lo = hexval(s[2])) == -1 ||
		    (hi == 0 && lo == 0))
			return -1;
		if (buf_addc(dst, hi * 16 + lo) == -1)
			return -1;
		s += 2;
	}
	return 0;
}

/*
 * The search words as UTF-8.  Readers of the Latin-1 view type Latin-1:
 * there, bytes that are not UTF-8 are taken as ISO-8859-1.
 */
static int
query_utf8(struct buf *dst, const struct gophermap_view *v, const char *q,
    size_t len)
{
	if (text_is_utf8(q, len))
		return buf_add(dst, q, len);
	if (v->charset != TEXT_LATIN1)
		return -1;
	return text_from_latin1(dst, q, len);
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

/* One name after "/dir/", a trailing "/" allowed. */
static int
dir_name(const char *rest, char *name, size_t size)
{
	size_t	 len = strcspn(rest, "/");

	if (len == 0 || len >= size ||
	    (rest[len] == '/' && rest[len + 1] != '\0'))
		return -1;
	memcpy(name, rest, len);
	name[len] = '\0';
	return 0;
}

static int
search(struct buf *out, const struct gophermap_view *v, const char *words,
    size_t wlen, const char *qs)
{
	struct buf	 raw = BUF_INIT, q = BUF_INIT;
	int		 rc;

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
	if (query_utf8(&q, v, words, wlen) == -1) {
		rc = q.failed ? GOPHER_SERVER_ERROR :
		    fail(out, v, GOPHERMAP_BAD_REQUEST, GOPHER_BAD_REQUEST);
		goto done;
	}
	if (gophermap_search(out, v, q.data != NULL ? q.data : "", q.len) == -1)
		rc = GOPHER_SERVER_ERROR;
	else
		rc = GOPHER_OK;
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
	int			 rc;

	if (qs != NULL && strcmp(path, "/search") != 0)
		return fail(out, v, GOPHERMAP_NOT_FOUND, GOPHER_NOT_FOUND);
	if (strcmp(path, "") == 0 || strcmp(path, "/") == 0)
		rc = gophermap_root(out, v);
	else if (strcmp(path, "/search") == 0)
		return search(out, v, words, wlen, qs);
	else if (strcmp(path, "/categories") == 0 ||
	    strcmp(path, "/categories/") == 0)
		rc = gophermap_categories(out, v);
	else if (strcmp(path, "/archive") == 0 ||
	    strcmp(path, "/archive/") == 0)
		rc = gophermap_archive(out, v);
	else if (strcmp(path, "/caps.txt") == 0)
		rc = gophermap_caps(out, v);
	else if (strcmp(path, "/robots.txt") == 0)
		rc = gophermap_robots(out, v);
	else if ((rest = after(path, "/articles/")) != NULL) {
		if (txt_name(rest, name, sizeof(name)) == -1 ||
		    (a = store_article_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		rc = gophermap_article(out, v, a);
	} else if ((rest = after(path, "/pages/")) != NULL) {
		if (txt_name(rest, name, sizeof(name)) == -1 ||
		    (p = store_page_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		rc = gophermap_page(out, v, p);
	} else if ((rest = after(path, "/categories/")) != NULL) {
		if (dir_name(rest, name, sizeof(name)) == -1 ||
		    (c = store_category_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		rc = gophermap_category(out, v, c);
	} else if ((rest = after(path, "/archive/")) != NULL) {
		if (dir_name(rest, name, sizeof(name)) == -1 ||
		    (m = store_month_get(st, name)) == NULL)
			return fail(out, v, GOPHERMAP_NOT_FOUND,
			    GOPHER_NOT_FOUND);
		rc = gophermap_month(out, v, m);
	} else
		return fail(out, v, GOPHERMAP_NOT_FOUND, GOPHER_NOT_FOUND);
	return rc == -1 ? GOPHER_SERVER_ERROR : GOPHER_OK;
}

int
gopher_respond(const char *data, size_t len, const struct conf *conf,
    const struct store *st, struct buf *out)
{
	static const char *const prefixes[] = { "/utf8", "/latin1", "/ascii" };
	struct gophermap_view	 v;
	const char		*nl, *tab, *words = NULL, *path, *rest;
	char			 sel[GOPHER_SELECTOR_MAX + 2];
	char			*qs;
	size_t			 line, sellen, wlen = 0, i, start = out->len;
	int			 rc;

	if (gophermap_view_init(&v, conf, st, "") == -1)
		return GOPHER_SERVER_ERROR;
	nl = memchr(data, '\n', len);
	line = nl != NULL ? (size_t)(nl - data) : len;
	if (line > 0 && data[line - 1] == '\r')
		line--;
	if (line > GOPHER_REQUEST_MAX)
		return fail(out, &v, GOPHERMAP_TOO_LONG, GOPHER_BAD_REQUEST);
	if (memchr(data, '\0', line) != NULL)
		return fail(out, &v, GOPHERMAP_BAD_REQUEST, GOPHER_BAD_REQUEST);
	tab = memchr(data, '\t', line);
	sellen = tab != NULL ? (size_t)(tab - data) : line;
	if (sellen > GOPHER_SELECTOR_MAX)
		return fail(out, &v, GOPHERMAP_TOO_LONG, GOPHER_BAD_REQUEST);
	if (!text_is_utf8(data, sellen))
		return fail(out, &v, GOPHERMAP_BAD_REQUEST, GOPHER_BAD_REQUEST);
	if (tab != NULL) {
		words = tab + 1;
		wlen = line - sellen - 1;
		/* A Gopher+ client may add "TAB +" after the words. */
		if ((rest = memchr(words, '\t', wlen)) != NULL)
			wlen = (size_t)(rest - words);
	}

	/* Always a leading "/", so that "caps.txt" is "/caps.txt". */
	i = 0;
	if (sellen > 0 && data[0] != '/')
		sel[i++] = '/';
	memcpy(sel + i, data, sellen);
	sel[i + sellen] = '\0';

	if ((path = after(sel, "/URL:")) != NULL) {
		if (!is_url_allowed(path))
			return fail(out, &v, GOPHERMAP_BAD_URL,
			    GOPHER_BAD_REQUEST);
		if (gophermap_url(out, &v, path, strlen(path)) == -1)
			return GOPHER_SERVER_ERROR;
		return GOPHER_OK;
	}

	path = sel;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t	 n = strlen(prefixes[i]);

		if (strncmp(sel, prefixes[i], n) == 0 &&
		    (sel[n] == '\0' || sel[n] == '/')) {
			if (gophermap_view_init(&v, conf, st,
			    prefixes[i]) == -1)
				return GOPHER_SERVER_ERROR;
			path = sel + n;
			break;
		}
	}

	/* Gopher+ probes: the answer that makes the client speak Gopher. */
	if (words != NULL && line > sellen + 1 && (words[0] == '+' ||
	    words[0] == '!' || words[0] == '$')) {
		if (gophermap_plus(out, &v) == -1)
			return GOPHER_SERVER_ERROR;
		return GOPHER_OK;
	}

	if ((qs = strchr(sel + (path - sel), '?')) != NULL)
		*qs++ = '\0';
	if (!is_path_safe(path))
		return fail(out, &v, GOPHERMAP_BAD_REQUEST, GOPHER_BAD_REQUEST);
	rc = route(out, &v, path, words, wlen, qs);
	if (rc == GOPHER_SERVER_ERROR)
		buf_truncate(out, start);
	return rc;
}

/*
 * Follows gopher_respond() step by step: what it reads of the request
 * goes into the key, what it ignores does not.
 */
long
gopher_cache_key(const char *data, size_t len, char *key)
{
	static const char *const prefixes[] = { "/utf8", "/latin1", "/ascii" };
	const char	*nl, *tab, *words = NULL, *rest, *path, *q;
	size_t		 line, sellen, wlen = 0, i, n, klen = 0;

	nl = memchr(data, '\n', len);
	line = nl != NULL ? (size_t)(nl - data) : len;
	if (line > 0 && data[line - 1] == '\r')
		line--;
	if (line > GOPHER_REQUEST_MAX || memchr(data, '\0', line) != NULL)
		return -1;
	tab = memchr(data, '\t', line);
	sellen = tab != NULL ? (size_t)(tab - data) : line;
	if (tab != NULL) {
		words = tab + 1;
		wlen = line - sellen - 1;
		if ((rest = memchr(words, '\t', wlen)) != NULL)
			wlen = (size_t)(rest - words);
	}

	if (sellen > 0 && data[0] != '/')
		key[klen++] = '/';
	memcpy(key + klen, data, sellen);
	klen += sellen;
	key[klen] = '\0';
	if (sellen > GOPHER_SELECTOR_MAX || after(key, "/URL:") != NULL ||
	    words == NULL)
		return (long)klen;

	path = key;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (strncmp(key, prefixes[i], n) == 0 &&
		    (key[n] == '\0' || key[n] == '/')) {
			path = key + n;
			break;
		}
	}
	if (line > sellen + 1 && (words[0] == '+' || words[0] == '!' ||
	    words[0] == '$')) {
		/* A Gopher+ probe: its answer depends on the view only. */
		key[klen++] = '\t';
		key[klen++] = words[0];
		return (long)klen;
	}
	q = strchr(path, '?');
	n = q != NULL ? (size_t)(q - path) : strlen(path);
	if (n != strlen("/search") || strncmp(path, "/search", n) != 0)
		return (long)klen;
	key[klen++] = '\t';
	memcpy(key + klen, words, wlen);
	klen += wlen;
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
