/* griot: Gemini requests.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Checks one request line, routes its path, and writes header and body. */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "atom.h"
#include "buf.h"
#include "config.h"
#include "gemini.h"
#include "gemtext.h"
#include "paging.h"
#include "store.h"
#include "text.h"
#include "url.h"

#define GEMINI_PORT_MAX		65535

/* A request that passed every check, its path and query decoded. */
struct request {
	char	 path[GEMINI_URL_MAX + 1];	/* "/" at least; no "/" made by %2F */
	size_t	 pathlen;
	int	 has_query;
	char	 query[GEMINI_URL_MAX + 1];
	size_t	 querylen;
};

/* Why a request was refused: status and words for the META. */
struct refusal {
	int			 status;
	enum gemtext_msg	 msg;
};

long
gemini_request_complete(const char *data, size_t len)
{
	size_t	 i, lim;

	lim = len < GEMINI_URL_MAX + 2 ? len : GEMINI_URL_MAX + 2;
	for (i = 0; i < lim; i++)
		if (data[i] == '\n')	/* a bare LF: no CRLF can come */
			return i > 0 && data[i - 1] == '\r' ? (long)i + 1 : -1;
	return len >= GEMINI_URL_MAX + 2 ? -1 : 0;
}

static int
is_status(int s)
{
	switch (s) {
	case 10: case 11:
	case 20:
	case 30: case 31:
	case 40: case 41: case 42: case 43: case 44:
	case 50: case 51: case 52: case 53: case 59:
	case 60: case 61: case 62:
		return 1;
	default:
		return 0;
	}
}

int
gemini_header(struct buf *b, int status, const char *meta)
{
	size_t	 n;

	if (meta == NULL)
		meta = "";
	n = strlen(meta);
	if (!is_status(status) || n > GEMINI_META_MAX ||
	    strpbrk(meta, "\r\n") != NULL)
		return -1;
	return buf_printf(b, "%02d %s\r\n", status, meta);
}

static int
refuse(struct refusal *why, int status, enum gemtext_msg msg)
{
	why->status = status;
	why->msg = msg;
	return -1;
}

static int
is_scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* Is "a" (an address of [gemini] listen) a loopback address or "*"? */
static int
is_loopback_listen(const char *a)
{
	return strcmp(a, "*") == 0 || strncmp(a, "127.", 4) == 0 ||
	    strcmp(a, "::1") == 0 || strcmp(a, "[::1]") == 0;
}

/*
 * Is the host "h" an address literal griotd listens on?  One of
 * [gemini] listen, or a loopback address when griotd listens on one
 * (or on every address): "gemini://127.0.0.1/" is what a local tester
 * types first.  Pure: the addresses of the machine behind "*" are not
 * known here, so only loopback ones are taken for ours.
 */
static int
is_our_address(const struct conf *conf, const char *h, size_t n)
{
	unsigned char	 addr[16];
	char		 lit[64];
	size_t		 i;
	int		 v4, v6;

	if (n == 0 || n >= sizeof(lit))
		return 0;
	memcpy(lit, h, n);
	lit[n] = '\0';
	v4 = inet_pton(AF_INET, lit, addr) == 1;
	v6 = !v4 && inet_pton(AF_INET6, lit, addr) == 1;
	if (!v4 && !v6)
		return 0;
	for (i = 0; i < conf->gemini_listen.naddrs; i++)
		if (strcasecmp(conf->gemini_listen.addrs[i], lit) == 0)
			return 1;
	if (!(v4 ? addr[0] == 127 : memcmp(addr, &in6addr_loopback, 16) == 0))
		return 0;
	for (i = 0; i < conf->gemini_listen.naddrs; i++)
		if (is_loopback_listen(conf->gemini_listen.addrs[i]))
			return 1;
	return 0;
}

/*
 * Does the URL's host name the capsule?  Its hostname (case-insensitive;
 * one final dot), or an address it listens on (is_our_address()).
 */
static int
is_our_host(const struct conf *conf, const char *h, size_t n)
{
	const char	*ours = conf->hostname != NULL ? conf->hostname : "localhost";
	size_t		 olen = strlen(ours);

	if (is_our_address(conf, h, n))
		return 1;

	if (olen >= 2 && ours[0] == '[' && ours[olen - 1] == ']') {
		ours++;
		olen -= 2;
	}
	if (n > 1 && h[n - 1] == '.')
		n--;
	if (olen > 1 && ours[olen - 1] == '.')
		olen--;
	return n == olen && strncasecmp(h, ours, n) == 0;
}

/* Split and check the authority "a" (up to "end"): 0 or a refusal. */
static int
check_authority(const struct conf *conf, const char *a, const char *end,
    struct refusal *why)
{
	const char	*host, *hend, *p;
	long		 port;

	if (memchr(a, '@', (size_t)(end - a)) != NULL)
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_USERINFO);
	if (a < end && *a == '[') {
		host = a + 1;
		if ((hend = memchr(host, ']', (size_t)(end - host))) == NULL)
			return refuse(why, GEMINI_BAD_REQUEST,
			    GEMTEXT_MSG_BAD_REQUEST);
		p = hend + 1;
		if (p < end && *p != ':')
			return refuse(why, GEMINI_BAD_REQUEST,
			    GEMTEXT_MSG_BAD_REQUEST);
	} else {
		host = a;
		if ((hend = memchr(a, ':', (size_t)(end - a))) == NULL)
			hend = end;
		p = hend;
	}
	if (hend == host)
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_NOT_ABSOLUTE);

	/* An empty port is the default one (RFC 3986 section 6.2.3). */
	port = URL_GEMINI_PORT;
	if (p < end) {
		p++;	/* ':' */
		if (p < end)
			port = 0;
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return refuse(why, GEMINI_BAD_REQUEST,
				    GEMTEXT_MSG_BAD_REQUEST);
			port = port * 10 + (*p - '0');
			if (port > GEMINI_PORT_MAX)
				return refuse(why, GEMINI_BAD_REQUEST,
				    GEMTEXT_MSG_BAD_REQUEST);
		}
	}
	if (!is_our_host(conf, host, (size_t)(hend - host)) ||
	    port != conf->gemini_public_port)
		return refuse(why, GEMINI_PROXY_REFUSED,
		    GEMTEXT_MSG_OTHER_HOST);
	return 0;
}

/*
 * Decode the path segment by segment into r->path.  A decoded segment is
 * never "." or "..", and one holding a "/" (from %2F) names nothing here.
 */
static int
decode_path(struct request *r, const char *p, const char *end,
    struct refusal *why)
{
	const char	*seg, *send;
	size_t		 n;
	char		*d;

	r->pathlen = 0;
	if (p == end) {
		r->path[r->pathlen++] = '/';
		r->path[r->pathlen] = '\0';
		return 0;
	}
	while (p < end) {
		/* *p == '/' */
		seg = p + 1;
		if ((send = memchr(seg, '/', (size_t)(end - seg))) == NULL)
			send = end;
		r->path[r->pathlen++] = '/';
		d = r->path + r->pathlen;
		if (url_decode(d, &n, seg, (size_t)(send - seg),
		    URL_NO_NUL | URL_STRICT) == -1)
			return refuse(why, GEMINI_BAD_REQUEST,
			    GEMTEXT_MSG_BAD_ENCODING);
		if ((n == 1 && d[0] == '.') ||
		    (n == 2 && d[0] == '.' && d[1] == '.'))
			return refuse(why, GEMINI_BAD_REQUEST,
			    GEMTEXT_MSG_DOT_SEGMENT);
		if (memchr(d, '/', n) != NULL)
			return refuse(why, GEMINI_NOT_FOUND,
			    GEMTEXT_MSG_NOT_FOUND);
		r->pathlen += n;
		p = send;
	}
	r->path[r->pathlen] = '\0';
	if (!text_is_utf8(r->path, r->pathlen))
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_NOT_UTF8);
	return 0;
}

/*
 * Input typed on a machine that writes ISO-8859-1 arrives percent-encoded
 * as Latin-1 bytes (a search from an old machine, "%E9" for "é"): the
 * specification asks for UTF-8, but every byte string is Latin-1, so
 * read it as such rather than refuse the reader.  Each such byte came
 * as three bytes of the URL and takes two in UTF-8: it fits.
 */
static int
query_from_latin1(struct request *r)
{
	struct buf	 u = BUF_INIT;
	int		 rc = -1;

	if (text_from_latin1(&u, r->query, r->querylen) == -1 ||
	    u.len > GEMINI_URL_MAX)
		goto done;
	memcpy(r->query, u.data, u.len);
	r->querylen = u.len;
	r->query[r->querylen] = '\0';
	rc = 0;
done:
	buf_release(&u);
	return rc;
}

/* Check the request line in "data"; fill "r" or say why not. */
static int
parse(const char *data, size_t len, const struct conf *conf,
    struct request *r, struct refusal *why)
{
	const char	*end, *p, *auth, *aend, *q;
	size_t		 n, i, lim;

	/* The line up to the first CRLF; whatever follows is ignored. */
	lim = len < GEMINI_URL_MAX + 2 ? len : GEMINI_URL_MAX + 2;
	for (n = 0; n + 1 < lim; n++)
		if (data[n] == '\r' && data[n + 1] == '\n')
			break;
	if (n + 1 >= lim)
		return refuse(why, GEMINI_BAD_REQUEST, len > GEMINI_URL_MAX ?
		    GEMTEXT_MSG_TOO_LONG : GEMTEXT_MSG_BAD_REQUEST);
	if (n > GEMINI_URL_MAX)
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_TOO_LONG);
	if (n == 0)
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_NOT_ABSOLUTE);
	end = data + n;

	if (n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_BAD_REQUEST);
	if (!text_is_utf8(data, n))
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_NOT_UTF8);
	/* Spaces and controls are never part of a URL (NUL included). */
	for (i = 0; i < n; i++)
		if ((unsigned char)data[i] <= 0x20 || data[i] == 0x7f)
			return refuse(why, GEMINI_BAD_REQUEST,
			    GEMTEXT_MSG_BAD_REQUEST);
	if (memchr(data, '#', n) != NULL)
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_FRAGMENT);

	/* scheme ":" */
	p = data;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_NOT_ABSOLUTE);
	while (p < end && is_scheme_char(*p))
		p++;
	if (p == end || *p != ':')
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_NOT_ABSOLUTE);
	if (p - data != 6 || strncasecmp(data, "gemini", 6) != 0)
		return refuse(why, GEMINI_PROXY_REFUSED,
		    GEMTEXT_MSG_OTHER_SCHEME);
	p++;

	/* "//" authority */
	if (end - p < 2 || p[0] != '/' || p[1] != '/')
		return refuse(why, GEMINI_BAD_REQUEST, GEMTEXT_MSG_NOT_ABSOLUTE);
	auth = p + 2;
	for (aend = auth; aend < end && *aend != '/' && *aend != '?'; aend++)
		continue;
	if (check_authority(conf, auth, aend, why) == -1)
		return -1;

	/* path [ "?" query ] */
	if ((q = memchr(aend, '?', (size_t)(end - aend))) == NULL)
		q = end;
	if (decode_path(r, aend, q, why) == -1)
		return -1;
	r->has_query = q < end;
	r->querylen = 0;
	r->query[0] = '\0';
	if (r->has_query) {
		q++;
		if (url_decode(r->query, &r->querylen, q, (size_t)(end - q),
		    URL_NO_NUL | URL_STRICT) == -1)
			return refuse(why, GEMINI_BAD_REQUEST,
			    GEMTEXT_MSG_BAD_ENCODING);
		r->query[r->querylen] = '\0';
		if (!text_is_utf8(r->query, r->querylen) &&
		    query_from_latin1(r) == -1)
			return refuse(why, GEMINI_BAD_REQUEST,
			    GEMTEXT_MSG_NOT_UTF8);
	}
	return 0;
}

/*
 * Is "path" DIR + NAME + ".gmi" with a non-empty NAME free of "/"?  Then
 * copy NAME into "name" (room for GEMINI_URL_MAX + 1 bytes).
 */
static int
is_leaf(const char *path, const char *dir, char *name)
{
	size_t	 dlen = strlen(dir), n;

	if (strncmp(path, dir, dlen) != 0)
		return 0;
	path += dlen;
	n = strlen(path);
	if (n <= 4 || strcmp(path + n - 4, ".gmi") != 0 ||
	    memchr(path, '/', n) != NULL)
		return 0;
	memcpy(name, path, n - 4);
	name[n - 4] = '\0';
	return 1;
}

/*
 * The header of a gemtext page in "lang".  config.c and article.c keep
 * only language tags (text_is_lang_tag()); checked here once more, as
 * what goes into the META must never carry a ";" or a quote.
 */
static int
header_gemtext(struct buf *out, const char *lang)
{
	struct buf	 meta = BUF_INIT;
	int		 r;

	buf_puts(&meta, "text/gemini; charset=utf-8");
	if (lang != NULL && text_is_lang_tag(lang, strlen(lang)))
		buf_printf(&meta, "; lang=%s", lang);
	r = meta.failed ? -1 : gemini_header(out, GEMINI_SUCCESS, meta.data);
	buf_release(&meta);
	return r;
}

static int
redirect(struct buf *out, const struct conf *conf, const char *path)
{
	struct buf	 url = BUF_INIT;
	int		 r;

	if (gemtext_url(&url, conf, path) == -1) {
		buf_release(&url);
		return -1;
	}
	r = gemini_header(out, GEMINI_REDIRECT_PERMANENT, url.data);
	buf_release(&url);
	return r;
}

static int
not_found(struct buf *out, const struct conf *conf)
{
	gemini_header(out, GEMINI_NOT_FOUND,
	    gemtext_msg(conf, GEMTEXT_MSG_NOT_FOUND));
	return GEMINI_NOT_FOUND;
}

/*
 * Is "path" DIR + NAME + "/" + N + ".gmi", a page number N (paging.h)?
 * Then copy NAME into "name" (room for GEMINI_URL_MAX + 1 bytes).  A
 * NAME with a "/" is none.
 */
static int
is_paged_leaf(const char *path, const char *dir, char *name, size_t *page)
{
	const char	*slash;
	size_t		 dlen = strlen(dir), n;

	if (strncmp(path, dir, dlen) != 0)
		return 0;
	path += dlen;
	n = strlen(path);
	if (n <= 4 || strcmp(path + n - 4, ".gmi") != 0 ||
	    (slash = strchr(path, '/')) == NULL || slash == path ||
	    strchr(slash + 1, '/') != NULL ||
	    paging_parse(slash + 1, (size_t)(path + n - 4 - slash - 1),
	    page) == -1)
		return 0;
	memcpy(name, path, (size_t)(slash - path));
	name[slash - path] = '\0';
	return 1;
}

/* Is "path" DIR + NAME + "/atom.xml"?  Then NAME is copied as above. */
static int
is_feed(const char *path, const char *dir, char *name)
{
	const char	*slash;
	size_t		 dlen = strlen(dir);

	if (strncmp(path, dir, dlen) != 0)
		return 0;
	path += dlen;
	if ((slash = strchr(path, '/')) == NULL || slash == path ||
	    strcmp(slash, "/atom.xml") != 0)
		return 0;
	memcpy(name, path, (size_t)(slash - path));
	name[slash - path] = '\0';
	return 1;
}

/* "YYYY": a year of the archive. */
static int
is_year(const char *s)
{
	size_t	 i;

	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[4] == '\0';
}

/*
 * The answer of a paged page: a renderer's -1 without running out of
 * memory means the list has no such page, answered 51 (the header it
 * follows, at "start", dropped).
 */
static int
paged(struct buf *out, const struct conf *conf, size_t start, int rc)
{
	if (rc == 0 || out->failed)
		return GEMINI_SUCCESS;	/* gemini_respond() makes it 40 */
	buf_truncate(out, start);
	return not_found(out, conf);
}

/* "/search" (page 1) and "/search/N": N, or 0 for any other path. */
static size_t
search_page(const char *path)
{
	size_t	 page;

	if (strcmp(path, "/search") == 0)
		return 1;
	if (strncmp(path, "/search/", 8) != 0 ||
	    paging_parse(path + 8, strlen(path + 8), &page) == -1)
		return 0;
	return page;
}

static int
search(struct buf *out, const struct conf *conf, const struct store *st,
    const struct request *r, size_t page)
{
	const struct article	**found;
	struct paging		 p;
	size_t			 per, total;

	if (!r->has_query || r->querylen == 0) {
		gemini_header(out, GEMINI_INPUT,
		    gemtext_msg(conf, GEMTEXT_MSG_SEARCH_PROMPT));
		return GEMINI_INPUT;
	}
	/*
	 * The results up to the end of that page; no list is longer than
	 * the store, so a page past it is refused before searching.
	 */
	per = paging_size(conf->page_size);
	if ((page - 1) > store_count(st) / per)
		return not_found(out, conf);
	/* Out of memory: 40 (never cached), not "nothing found". */
	if ((found = calloc(page, per * sizeof(*found))) == NULL) {
		out->failed = 1;
		return GEMINI_TEMPORARY_FAILURE;
	}
	if (store_search(st, r->query, r->querylen, found, page * per,
	    &total) == -1) {
		free(found);
		out->failed = 1;
		return GEMINI_TEMPORARY_FAILURE;
	}
	if (paging_init(&p, total, per, page) == -1) {
		free(found);
		return not_found(out, conf);
	}
	if (header_gemtext(out, conf->lang) == -1 ||
	    gemtext_search(out, conf, r->query, r->querylen, found, total,
	    &p) == -1)
		out->failed = 1;
	free(found);
	return GEMINI_SUCCESS;
}

/*
 * Serve the decoded path; returns the status.  A renderer that fails
 * marks "out" failed, and gemini_respond() turns that into 40.
 */
static int
route(struct buf *out, const struct conf *conf, const struct store *st,
    const struct request *r)
{
	const struct article		*a;
	const struct store_category	*c;
	const struct store_month	*m;
	const struct store_page		*pg;
	const char			*path = r->path;
	char				 name[GEMINI_URL_MAX + 1];
	size_t				 page, start = out->len;
	int				 rc;

	if (strcmp(path, "/") == 0) {
		rc = header_gemtext(out, conf->lang);
		rc |= gemtext_home(out, conf, st);
	} else if (is_leaf(path, "/articles/", name)) {
		if ((a = store_article_get(st, name)) == NULL)
			return not_found(out, conf);
		rc = header_gemtext(out, a->lang != NULL ? a->lang :
		    conf->lang);
		rc |= gemtext_article(out, conf, a);
	} else if (strcmp(path, "/categories") == 0) {
		rc = redirect(out, conf, "/categories/");
		if (rc == 0)
			return GEMINI_REDIRECT_PERMANENT;
	} else if (strcmp(path, "/categories/") == 0 ||
	    (is_paged_leaf(path, "/categories/", name, &page) &&
	    strcmp(name, "_") == 0)) {
		/* No slug has a "_": /categories/_/N.gmi is the list's. */
		if (strcmp(path, "/categories/") == 0)
			page = 1;
		if (header_gemtext(out, conf->lang) == -1)
			out->failed = 1;
		return paged(out, conf, start, gemtext_categories(out, conf,
		    st, page));
	} else if (is_leaf(path, "/categories/", name) ||
	    is_paged_leaf(path, "/categories/", name, &page)) {
		if (is_leaf(path, "/categories/", name))
			page = 1;
		if ((c = store_category_get(st, name)) == NULL)
			return not_found(out, conf);
		if (header_gemtext(out, conf->lang) == -1)
			out->failed = 1;
		return paged(out, conf, start, gemtext_category(out, conf, c,
		    page));
	} else if (is_feed(path, "/categories/", name)) {
		if ((c = store_category_get(st, name)) == NULL)
			return not_found(out, conf);
		rc = gemini_header(out, GEMINI_SUCCESS, "application/atom+xml");
		rc |= atom_category(out, conf, c);
	} else if (strcmp(path, "/archive") == 0) {
		rc = redirect(out, conf, "/archive/");
		if (rc == 0)
			return GEMINI_REDIRECT_PERMANENT;
	} else if (strcmp(path, "/archive/") == 0 ||
	    (is_paged_leaf(path, "/archive/", name, &page) &&
	    strcmp(name, "_") == 0)) {
		if (strcmp(path, "/archive/") == 0)
			page = 1;
		if (header_gemtext(out, conf->lang) == -1)
			out->failed = 1;
		return paged(out, conf, start, gemtext_archive(out, conf, st,
		    page));
	} else if (is_leaf(path, "/archive/", name) && is_year(name)) {
		if (header_gemtext(out, conf->lang) == -1)
			out->failed = 1;
		return paged(out, conf, start, gemtext_year(out, conf, st,
		    name));
	} else if (is_leaf(path, "/archive/", name) ||
	    is_paged_leaf(path, "/archive/", name, &page)) {
		if (is_leaf(path, "/archive/", name))
			page = 1;
		if ((m = store_month_get(st, name)) == NULL)
			return not_found(out, conf);
		if (header_gemtext(out, conf->lang) == -1)
			out->failed = 1;
		return paged(out, conf, start, gemtext_month(out, conf, m,
		    page));
	} else if (is_leaf(path, "/pages/", name)) {
		if ((pg = store_page_get(st, name)) == NULL)
			return not_found(out, conf);
		rc = header_gemtext(out, conf->lang);
		rc |= gemtext_page(out, conf, pg);
	} else if ((page = search_page(path)) != 0) {
		return search(out, conf, st, r, page);
	} else if (strcmp(path, "/atom.xml") == 0) {
		rc = gemini_header(out, GEMINI_SUCCESS, "application/atom+xml");
		rc |= atom_feed(out, conf, st);
	} else if (strcmp(path, "/robots.txt") == 0) {
		rc = gemini_header(out, GEMINI_SUCCESS,
		    "text/plain; charset=utf-8");
		rc |= gemtext_robots(out, conf);
	} else
		return not_found(out, conf);
	if (rc != 0)
		out->failed = 1;
	return GEMINI_SUCCESS;
}

/*
 * The answer is a function of the checked request: the decoded path,
 * and for /search whether a query came and its decoded bytes (route()).
 * A decoded path never holds a NUL (%00 is refused), so a NUL separates
 * it from the query.
 */
long
gemini_cache_key(const char *data, size_t len, const struct conf *conf,
    char *key)
{
	struct request	 r;
	struct refusal	 why;
	size_t		 klen;

	if (parse(data, len, conf, &r, &why) == -1)
		return -1;
	memcpy(key, r.path, r.pathlen);
	klen = r.pathlen;
	if (search_page(r.path) != 0) {
		key[klen++] = '\0';
		if (r.has_query) {
			key[klen++] = '?';
			memcpy(key + klen, r.query, r.querylen);
			klen += r.querylen;
		}
	}
	return (long)klen;
}

int
gemini_respond(const char *data, size_t len, const struct conf *conf,
    const struct store *st, struct buf *out)
{
	struct request	 r;
	struct refusal	 why;
	size_t		 start = out->len;
	int		 status;

	if (out->failed)
		return GEMINI_TEMPORARY_FAILURE;
	if (parse(data, len, conf, &r, &why) == -1) {
		status = why.status;
		gemini_header(out, status, gemtext_msg(conf, why.msg));
	} else if (st == NULL) {
		status = GEMINI_SERVER_UNAVAILABLE;
		gemini_header(out, status,
		    gemtext_msg(conf, GEMTEXT_MSG_UNAVAILABLE));
	} else
		status = route(out, conf, st, &r);

	if (out->failed || out->len == start) {
		/* Out of memory: drop the partial answer, say 40. */
		buf_truncate(out, start);
		out->failed = 0;
		status = GEMINI_TEMPORARY_FAILURE;
		gemini_header(out, status,
		    gemtext_msg(conf, GEMTEXT_MSG_TEMPORARY));
	}
	return status;
}
