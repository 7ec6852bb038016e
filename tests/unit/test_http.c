/* griot: unit tests of the HTTP handler.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * http_respond(), http_cache_key() and http_prelude() called directly,
 * with a struct conf filled by hand and the store in tests/data: the
 * request-parsing edge cases and their statuses, the charset chosen from
 * Accept-Charset, the percent-encoding of every link, ETag and
 * Last-Modified with their 304 answers, gzip undone by zlib, HEAD, the
 * cache keys and the keep-alive rule.
 */

#include "griot-config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <unistd.h>

#include <zlib.h>

#include "buf.h"
#include "config.h"
#include "http.h"
#include "store.h"
#include "tap.h"

#ifndef TESTDATA
#define TESTDATA	"tests/data"
#endif

#define S(x)	((char *)(uintptr_t)(x))	/* a literal in a char * field */
#define GPSA	"2024-11-28-gpsa-paix-securite"

static struct conf	 conf;
static struct store	*st;

/* One answer: the cacheable tail, its head and body apart. */
struct resp {
	struct buf	 b;
	int		 status;
	size_t		 hlen;		/* through the empty line */
};

static void
ask_in(struct resp *r, const struct store *s, const char *req)
{
	const char	*e;

	buf_init(&r->b);
	r->status = http_respond(req, strlen(req), &conf, s, &r->b);
	e = r->b.data != NULL ? strstr(r->b.data, "\r\n\r\n") : NULL;
	r->hlen = e != NULL ? (size_t)(e - r->b.data) + 4 : r->b.len;
}

static void
ask(struct resp *r, const char *req)
{
	ask_in(r, st, req);
}

/* The value of header "name" in the tail ("" when absent), in "v". */
static const char *
header(const struct resp *r, const char *name, char *v, size_t vlen)
{
	const char	*s = r->b.data, *end = r->b.data + r->hlen, *e;
	size_t		 n = strlen(name);

	v[0] = '\0';
	for (; s != NULL && s < end; s = e + 2) {
		if ((e = strstr(s, "\r\n")) == NULL || e >= end)
			break;
		if ((size_t)(e - s) > n + 2 && strncasecmp(s, name, n) == 0 &&
		    s[n] == ':' && s[n + 1] == ' ' && (size_t)(e - s - n - 2) <
		    vlen) {
			memcpy(v, s + n + 2, (size_t)(e - s) - n - 2);
			v[e - s - n - 2] = '\0';
			break;
		}
	}
	return v;
}

/* A request as one printable line for the TAP output (CR and LF shown). */
static const char *
shown(const char *req)
{
	static char	 out[4][512];
	static int	 k;
	char		*o = out[k++ % 4];
	size_t		 i, j = 0;

	for (i = 0; req[i] != '\0' && j + 8 < sizeof(out[0]); i++) {
		if (req[i] == '\r' || req[i] == '\n') {
			o[j++] = '\\';
			o[j++] = req[i] == '\r' ? 'r' : 'n';
		} else
			o[j++] = req[i];
	}
	o[j] = '\0';
	return o;
}

static void
release(struct resp *r)
{
	buf_release(&r->b);
}

static void
test_complete(void)
{
	static const struct {
		const char	*in;
		long		 want;
	} t[] = {
		{ "", 0 },
		{ "GET / HTTP/1.1\r\n", 0 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n", 0 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\n", 27 },
		{ "GET / HTTP/1.0\n\n", 16 },
		{ "GET / HTTP/1.0\r\n\n", 17 },
		{ "GET / HTTP/1.0\n\r\n", 17 },
	};
	char	*big;
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(http_request_complete(t[i].in, strlen(t[i].in)),
		    t[i].want, shown(t[i].in));
	if ((big = malloc(HTTP_HEAD_MAX + 10)) == NULL)
		exit(1);
	memset(big, 'a', HTTP_HEAD_MAX + 10);
	is_int(http_request_complete(big, HTTP_HEAD_MAX - 1), 0,
	    "a long head still coming: 0");
	is_int(http_request_complete(big, HTTP_HEAD_MAX), -1,
	    "HTTP_HEAD_MAX bytes without an end: -1");
	memcpy(big + HTTP_HEAD_MAX - 2, "\n\n", 2);
	is_int(http_request_complete(big, HTTP_HEAD_MAX + 10), HTTP_HEAD_MAX,
	    "a head ending at the last byte allowed");
	free(big);
}

static void
test_statuses(void)
{
	static const struct {
		const char	*req;
		int		 status;
	} t[] = {
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET / HTTP/1.0\r\n\r\n", 200 },
		{ "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET / HTTP/1.1\r\n\r\n", 400 },		/* no Host */
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: a\r\n\r\n", 405 },
		{ "DELETE / HTTP/1.1\r\nHost: a\r\n\r\n", 405 },
		{ "BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 501 },
		{ "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505 },
		{ "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505 },
		{ "GET /\r\n\r\n", 505 },			/* HTTP/0.9 */
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n",
		  400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
		  200 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"
		  "\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
		  "Transfer-Encoding: chunked\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
		  "Content-Length: 2\r\n\r\n", 400 },
		{ "GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /articles/./x.html HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /%2e%2e/x HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /articles%2F" GPSA ".html HTTP/1.1\r\nHost: a\r\n\r\n",
		  404 },
		{ "GET /a%00b HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /a%4 HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /#x HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n", 404 },
		{ "GET /articles/nope.html HTTP/1.1\r\nHost: a\r\n\r\n", 404 },
		{ "GET /articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n\r\n",
		  200 },
		{ "GET /articles/" GPSA ".gmi HTTP/1.1\r\nHost: a\r\n\r\n",
		  404 },
		{ "GET /categories HTTP/1.1\r\nHost: a\r\n\r\n", 301 },
		{ "GET /categories/_/1.html HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET /categories/_/99.html HTTP/1.1\r\nHost: a\r\n\r\n",
		  404 },
		{ "GET /categories/_/01.html HTTP/1.1\r\nHost: a\r\n\r\n",
		  404 },
		{ "GET /archive/2026/ HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET /archive/1999/ HTTP/1.1\r\nHost: a\r\n\r\n", 404 },
		{ "GET /archive/2026-02/ HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET /search HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET /search?q=paix HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET /search?q=paix%00 HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /atom.xml HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET /robots.txt HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET /latin1/ HTTP/1.1\r\nHost: a\r\n\r\n", 200 },
		{ "GET /latin1 HTTP/1.1\r\nHost: a\r\n\r\n", 404 },
		{ "GET /ascii/articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n\r\n",
		  200 },
		{ "GET / HTTP/1.1\r\nX-Empty:\r\nHost: a\r\n\r\n", 200 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nX-Fold: a\r\n  b\r\n\r\n",
		  200 },
		{ "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },
		{ "GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "garbage\r\n\r\n", 501 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n", 400 },	/* cut short */
		/* A bare CR: no end of the head before the real one. */
		{ "GET / HTTP/1.1\r\nHost: a\r\n\rXContent-Length: 5\r\n\r\n",
		  400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\rXGET /robots.txt HTTP/1.1\r\n"
		  "Host: a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\nHost: a\n\n", 200 },
	};
	struct resp	 r;
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ask(&r, t[i].req);
		is_int(r.status, t[i].status, shown(t[i].req));
		release(&r);
	}
}

/* Statuses that need long or many-headed requests. */
static void
test_limits(void)
{
	struct buf	 req = BUF_INIT;
	struct resp	 r;
	char		 v[64];
	int		 i;

	buf_puts(&req, "GET /");
	for (i = 0; i < HTTP_TARGET_MAX; i++)
		buf_addc(&req, 'a');
	buf_puts(&req, " HTTP/1.1\r\nHost: a\r\n\r\n");
	ask(&r, req.data);
	is_int(r.status, 414, "a target over HTTP_TARGET_MAX: 414");
	release(&r);

	buf_reset(&req);
	buf_puts(&req, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 0; i < HTTP_HEADERS_MAX; i++)
		buf_printf(&req, "X-%d: y\r\n", i);
	buf_puts(&req, "\r\n");
	ask(&r, req.data);
	is_int(r.status, 431, "more than HTTP_HEADERS_MAX headers: 431");
	release(&r);

	buf_reset(&req);
	buf_puts(&req, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
	while (req.len < HTTP_HEAD_MAX + 100)
		buf_addc(&req, 'z');
	ask(&r, req.data);
	is_int(r.status, 431, "a head over HTTP_HEAD_MAX: 431");
	ok(header(&r, "Content-Length", v, sizeof(v))[0] != '\0',
	    "431 has a Content-Length");
	release(&r);
	buf_release(&req);
}

static void
test_charsets(void)
{
	static const struct {
		const char	*req;
		const char	*ctype;
	} t[] = {
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		  "text/html; charset=iso-8859-1" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: utf-8\r\n\r\n",
		  "text/html; charset=utf-8" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: UTF-8;q=0.7,"
		  " iso-8859-1\r\n\r\n", "text/html; charset=iso-8859-1" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: "
		  "iso-8859-1;q=0.5, utf-8\r\n\r\n", "text/html; charset=utf-8" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: utf-8, "
		  "iso-8859-1\r\n\r\n", "text/html; charset=utf-8" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: iso-8859-1, "
		  "utf-8\r\n\r\n", "text/html; charset=iso-8859-1" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: utf-8;q=0\r\n\r\n",
		  "text/html; charset=iso-8859-1" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: *\r\n\r\n",
		  "text/html; charset=utf-8" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: iso-8859-1, *"
		  "\r\n\r\n", "text/html; charset=iso-8859-1" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: windows-1252"
		  "\r\n\r\n", "text/html; charset=iso-8859-1" },
		{ "GET /utf8/ HTTP/1.1\r\nHost: a\r\n\r\n",
		  "text/html; charset=utf-8" },
		{ "GET /ascii/ HTTP/1.1\r\nHost: a\r\nAccept-Charset: utf-8"
		  "\r\n\r\n", "text/html; charset=us-ascii" },
		{ "GET /latin1/ HTTP/1.1\r\nHost: a\r\nAccept-Charset: utf-8"
		  "\r\n\r\n", "text/html; charset=iso-8859-1" },
	};
	struct resp	 r;
	char		 v[128], meta[160];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ask(&r, t[i].req);
		is_str(header(&r, "Content-Type", v, sizeof(v)), t[i].ctype,
		    shown(t[i].req), "Content-Type");
		tap_snprintf(meta, sizeof(meta), "<meta http-equiv=\"Content-Type\""
		    " content=\"%s\">", t[i].ctype);
		ok(strstr(r.b.data + r.hlen, meta) != NULL,
		    "the <meta> says the same: %s", shown(t[i].req));
		release(&r);
	}

	/* The GPSA article in each charset. */
	ask(&r, "GET /latin1/articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(strstr(r.b.data, "s\xe9" "curit\xe9") != NULL,
	    "Latin-1: é as one byte");
	ok(strstr(r.b.data, "oeuvrent") != NULL, "Latin-1: œ becomes oe");
	ok(strstr(r.b.data, "L'objectif") != NULL, "Latin-1: ’ becomes '");
	ok(strstr(r.b.data, "&nbsp;:") != NULL,
	    "Latin-1: the no-break space before a colon is &nbsp;");
	ok(strstr(r.b.data, "&#") == NULL, "Latin-1: no numeric reference");
	release(&r);
	ask(&r, "GET /utf8/articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(strstr(r.b.data, "\xc5\x93uvrent") != NULL, "UTF-8: œ stays");
	ok(strstr(r.b.data, "\xc2\xa0:") != NULL,
	    "UTF-8: French spacing as in the store");
	release(&r);
	ask(&r, "GET /ascii/articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n\r\n");
	for (i = 0; i < r.b.len && (unsigned char)r.b.data[i] < 0x80; i++)
		continue;
	is_int(i, r.b.len, "ASCII: every byte below 0x80");
	ok(strstr(r.b.data, "securite") != NULL && strstr(r.b.data,
	    "&nbsp;") == NULL, "ASCII: transliterated, plain spaces");
	release(&r);
}

static int
is_unreserved_or_delim(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("-._~/?=", c) != NULL;
}

/* Every href of the site's pages: "%XX", unreserved, "/", "?", "=" only. */
static void
test_links(void)
{
	static const char *const paths[] = {
		"/", "/latin1/", "/categories/", "/archive/", "/archive/2026/",
		"/archive/2026-02/", "/search?q=s%E9curit%E9+%22%3C%3E",
		"/search?q=togo", "/pages/a-propos.html",
		"/articles/" GPSA ".html",
	};
	struct resp	 r;
	char		 req[256];
	const char	*s, *e;
	size_t		 i, nlinks = 0, bad = 0, k;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		tap_snprintf(req, sizeof(req),
		    "GET %s HTTP/1.1\r\nHost: a\r\n\r\n", paths[i]);
		ask(&r, req);
		is_int(r.status, 200, shown(req));
		for (s = r.b.data; (s = strstr(s, "<a href=\"/")) != NULL;
		    s = e) {
			s += 9;
			if ((e = strchr(s, '"')) == NULL)
				break;
			nlinks++;
			for (k = 0; s + k < e; k++)
				if (s[k] == '%' ? !(s + k + 2 < e &&
				    strchr("0123456789ABCDEF", s[k + 1]) &&
				    strchr("0123456789ABCDEF", s[k + 2])) :
				    s[k] == '&' ? strncmp(s + k, "&amp;", 5) != 0 :
				    !is_unreserved_or_delim((unsigned char)s[k])) {
					bad++;
					ok(0, "link %.*s in %s", (int)(e - s),
					    s, paths[i]);
					break;
				}
		}
		release(&r);
	}
	ok(nlinks > 50, "links checked: %zu", nlinks);
	is_int(bad, 0, "links not strictly percent-encoded");

	/* A search carries its words, encoded, into its form and pages. */
	conf.page_size = 1;
	ask(&r, "GET /search?q=Lom%E9 HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(strstr(r.b.data, "href=\"/search/2?q=Lom%C3%A9\"") != NULL,
	    "Latin-1 words read as Latin-1, linked as UTF-8");
	ok(strstr(r.b.data, "value=\"Lom\xe9\"") != NULL,
	    "the words back in the form, in Latin-1");
	release(&r);
	ask(&r, "GET /search/2?q=Lom%C3%A9 HTTP/1.1\r\nHost: a\r\n\r\n");
	is_int(r.status, 200, "page 2 of the results");
	release(&r);
	ask(&r, "GET /search?Lom%C3%A9 HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(strstr(r.b.data, "href=\"/search/2?q=Lom%C3%A9\"") != NULL,
	    "an <isindex> query (no q=) is read too");
	release(&r);
	ask(&r, "GET /search HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(strstr(r.b.data, "<isindex>") != NULL &&
	    strstr(r.b.data, "<form method=\"get\" action=\"/search\">") != NULL,
	    "the search page has a form and an <isindex>");
	release(&r);
	ask(&r, "GET /search?q=%3Cb%3E%22 HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(strstr(r.b.data, "<b>") == NULL && strstr(r.b.data,
	    "&lt;b&gt;&quot;") != NULL, "the words are escaped");
	release(&r);
	/*
	 * In Latin-1 and ASCII, "‹" and "“" become "<" and '"': escaped
	 * after that, never before.
	 */
	ask(&r, "GET /search?q=%E2%80%B9script%E2%80%BA+%E2%80%9C+x%3D"
	    " HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(strstr(r.b.data, "<script") == NULL && strstr(r.b.data,
	    "&lt;script&gt;") != NULL && strstr(r.b.data, "\" x=") == NULL,
	    "Latin-1: the words made ASCII by the French table are escaped");
	release(&r);
	ask(&r, "GET /ascii/search?q=%C2%AB+%E2%80%B9b%E2%80%BA HTTP/1.1\r\n"
	    "Host: a\r\n\r\n");
	ok(strstr(r.b.data, "<b>") == NULL && strstr(r.b.data, "<<") == NULL &&
	    strstr(r.b.data, "&lt;&lt;") != NULL,
	    "ASCII: \"«\" and \"‹b›\" are escaped once made ASCII");
	release(&r);
	conf.page_size = 0;
}

static void
test_validators(const char *dir)
{
	struct resp	 r, r2;
	struct buf	 req = BUF_INIT;
	struct stat	 sb;
	struct tm	 tm;
	time_t		 t;
	char		 tag[64], lm[64], tag2[64], v[64], want[64];
	char		 path[4096 + 64];
	static const char	 art[] =
	    "GET /articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n";

	/* Last-Modified: the latest of the file's time, its date, the load. */
	tap_snprintf(path, sizeof(path), "%s/%s.txt", dir, GPSA);
	t = 1732752000;		/* 2024-11-28, its Date: */
	if (stat(path, &sb) == 0 && sb.st_mtime > t)
		t = sb.st_mtime;
	if (store_loaded(st) > t)
		t = store_loaded(st);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(want, sizeof(want), "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
		want[0] = '\0';

	buf_printf(&req, "%s\r\n", art);
	ask(&r, req.data);
	header(&r, "ETag", tag, sizeof(tag));
	header(&r, "Last-Modified", lm, sizeof(lm));
	ok(tag[0] == '"' && strlen(tag) == 18, "a strong ETag: %s", tag);
	is_str(lm, want, NULL, "Last-Modified: the latest of the file's "
	    "time, the article's date and the snapshot's load");
	is_str(header(&r, "Vary", v, sizeof(v)),
	    "Accept-Encoding, Accept-Charset", NULL, "Vary");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-None-Match: %s\r\n\r\n", art, tag);
	ask(&r, req.data);
	is_int(r.status, 304, "If-None-Match with the tag: 304");
	is_int(r.b.len, r.hlen, "304: no body");
	is_str(header(&r, "ETag", v, sizeof(v)), tag, NULL, "304: its ETag");
	ok(strstr(r.b.data, "Content-Length") == NULL,
	    "304: no Content-Length");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-None-Match: \"x\", W/%s\r\n\r\n", art, tag);
	ask(&r, req.data);
	is_int(r.status, 304, "a weak match in a list: 304");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-None-Match: *\r\n\r\n", art);
	ask(&r, req.data);
	is_int(r.status, 304, "If-None-Match: * on an article: 304");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-None-Match: \"0000\"\r\n"
	    "If-Modified-Since: %s\r\n\r\n", art, lm);
	ask(&r, req.data);
	is_int(r.status, 200, "If-None-Match takes precedence: 200");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-Modified-Since: %s\r\n\r\n", art, lm);
	ask(&r, req.data);
	is_int(r.status, 304, "If-Modified-Since the Last-Modified: 304");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-Modified-Since: Sunday, 06-Nov-94 08:49:37 GMT"
	    "\r\n\r\n", art);
	ask(&r, req.data);
	is_int(r.status, 200, "an older date (RFC 850 form): 200");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-Modified-Since: Sun Nov  6 08:49:37 1994"
	    "\r\n\r\n", art);
	ask(&r, req.data);
	is_int(r.status, 200, "an older date (asctime form): 200");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-Modified-Since: Fri Dec 31 23:59:59 2100"
	    "\r\n\r\n", art);
	ask(&r, req.data);
	is_int(r.status, 304, "a later date (asctime form): 304");
	release(&r);

	buf_reset(&req);
	buf_printf(&req, "%sIf-Modified-Since: %s; length=3420\r\n\r\n", art,
	    lm);
	ask(&r, req.data);
	is_int(r.status, 304, "Netscape's date with a length: 304");
	release(&r);

	/* Another view, another charset, another encoding: another tag. */
	ask(&r, "GET /utf8/articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n\r\n");
	ask(&r2, "GET /articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n"
	    "Accept-Encoding: gzip\r\n\r\n");
	header(&r, "ETag", v, sizeof(v));
	header(&r2, "ETag", tag2, sizeof(tag2));
	ok(strcmp(v, tag) != 0 && strcmp(tag2, tag) != 0 &&
	    strcmp(v, tag2) != 0, "tags differ by view and encoding");
	release(&r);
	release(&r2);

	/* A list is validated by its bytes. */
	ask(&r, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	header(&r, "ETag", tag2, sizeof(tag2));
	release(&r);
	buf_reset(&req);
	buf_printf(&req, "GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: %s"
	    "\r\n\r\n", tag2);
	ask(&r, req.data);
	is_int(r.status, 304, "the home page's tag: 304");
	release(&r);
	buf_release(&req);
}

/*
 * The article's tag does not move when another article comes or goes,
 * while the home page's does: a store of the article alone.
 */
static void
test_stable_tag(const char *dir)
{
	struct store_opts	 so;
	struct store		*one;
	struct resp		 a, b;
	char			 tmp[] = "/tmp/griot-http.XXXXXX", src[4096 + 64];
	char			 dst[4096], ta[64], tb[64];
	FILE			*in, *out;
	struct stat		 sb;
	struct timespec		 ts[2];
	int			 c;

	if (mkdtemp(tmp) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	tap_snprintf(src, sizeof(src), "%s/%s.txt", dir, GPSA);
	tap_snprintf(dst, sizeof(dst), "%s/%s.txt", tmp, GPSA);
	if ((in = fopen(src, "r")) == NULL || (out = fopen(dst, "w")) == NULL)
		exit(1);
	while ((c = getc(in)) != EOF)
		putc(c, out);
	fclose(in);
	fclose(out);
	/* The same file, so the same time (it is the Last-Modified). */
	if (stat(src, &sb) == 0) {
		ts[0] = sb.st_atim;
		ts[1] = sb.st_mtim;
		(void)utimensat(AT_FDCWD, dst, ts, 0);
	}
	memset(&so, 0, sizeof(so));
	so.dir = tmp;
	so.french_spacing = 1;
	one = store_open(&so, NULL, NULL);
	if (ok(one != NULL, "a store of one article")) {
		ask_in(&a, st, "GET /articles/" GPSA ".html HTTP/1.1\r\nHost: a"
		    "\r\n\r\n");
		ask_in(&b, one, "GET /articles/" GPSA ".html HTTP/1.1\r\n"
		    "Host: a\r\n\r\n");
		is_str(header(&b, "ETag", tb, sizeof(tb)),
		    header(&a, "ETag", ta, sizeof(ta)), NULL,
		    "the article's tag in another snapshot");
		/* The Last-Modified of each is its own snapshot's load. */
		is_mem(a.b.data + a.hlen, a.b.len - a.hlen, b.b.data + b.hlen,
		    b.b.len - b.hlen, NULL, "and its body");
		release(&a);
		release(&b);
		ask_in(&a, st, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
		ask_in(&b, one, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
		ok(strcmp(header(&a, "ETag", ta, sizeof(ta)),
		    header(&b, "ETag", tb, sizeof(tb))) != 0,
		    "the home page's tag changes with the store");
		release(&a);
		release(&b);
		store_unref(one);
	}
	unlink(dst);
	rmdir(tmp);
}

static void
test_gzip(void)
{
	struct resp	 plain, gz;
	z_stream	 z;
	char		 v[64];
	unsigned char	*out;
	size_t		 n;
	int		 rc;

	ask(&plain, "GET /articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n\r\n");
	ask(&gz, "GET /articles/" GPSA ".html HTTP/1.1\r\nHost: a\r\n"
	    "Accept-Encoding: deflate, gzip;q=0.5\r\n\r\n");
	is_str(header(&gz, "Content-Encoding", v, sizeof(v)), "gzip", NULL,
	    "Content-Encoding");
	is_int(strtoul(header(&gz, "Content-Length", v, sizeof(v)), NULL, 10),
	    gz.b.len - gz.hlen, "Content-Length is the gzip body's");
	ok(gz.b.len - gz.hlen < (plain.b.len - plain.hlen) / 2,
	    "gzip halves the article at least");
	n = plain.b.len - plain.hlen;
	if ((out = malloc(n + 1)) == NULL)
		exit(1);
	memset(&z, 0, sizeof(z));
	rc = inflateInit2(&z, 15 + 16);
	z.next_in = (Bytef *)gz.b.data + gz.hlen;
	z.avail_in = (uInt)(gz.b.len - gz.hlen);
	z.next_out = out;
	z.avail_out = (uInt)n + 1;
	if (rc == Z_OK)
		rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	is_int(rc, Z_STREAM_END, "inflate ends the stream");
	is_mem((char *)out, z.total_out, plain.b.data + plain.hlen, n, NULL,
	    "gzip round trip");
	free(out);
	release(&gz);

	ask(&gz, "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip;q=0, "
	    "*\r\n\r\n");
	is_str(header(&gz, "Content-Encoding", v, sizeof(v)), "", NULL,
	    "gzip;q=0 refuses gzip even with *");
	release(&gz);
	release(&plain);
}

static void
test_head(void)
{
	struct resp	 get, head;

	ask(&get, "GET /archive/ HTTP/1.1\r\nHost: a\r\n\r\n");
	ask(&head, "HEAD /archive/ HTTP/1.1\r\nHost: a\r\n\r\n");
	is_int(head.status, 200, "HEAD: 200");
	is_mem(head.b.data, head.b.len, get.b.data, get.hlen, NULL,
	    "HEAD: GET's headers, no body");
	release(&get);
	release(&head);
}

static void
test_keys(void)
{
	char	 a[HTTP_CACHE_KEY_MAX], b[HTTP_CACHE_KEY_MAX];
	long	 na, nb;

#define KEY(k, r)	http_cache_key((r), strlen(r), &conf, (k))
	na = KEY(a, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	nb = KEY(b, "GET /?x=1 HTTP/1.0\r\nHost: b\r\nUser-Agent: z\r\n\r\n");
	ok(na > 0 && na == nb && memcmp(a, b, (size_t)na) == 0,
	    "host, version, query and other headers share a key");
	nb = KEY(b, "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(nb > 0 && (na != nb || memcmp(a, b, (size_t)na) != 0),
	    "HEAD has its own key");
	nb = KEY(b, "GET / HTTP/1.1\r\nHost: a\r\nAccept-Charset: utf-8\r\n\r\n");
	ok(nb > 0 && (na != nb || memcmp(a, b, (size_t)na) != 0),
	    "the charset is in the key");
	nb = KEY(b, "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
	ok(nb > 0 && (na != nb || memcmp(a, b, (size_t)na) != 0),
	    "gzip is in the key");
	nb = KEY(b, "GET /latin1/ HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(nb > 0 && (na != nb || memcmp(a, b, (size_t)na) != 0),
	    "the view is in the key");
	nb = KEY(b, "GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"x\"\r\n\r\n");
	is_int(nb, -1, "a conditional request: no key");
	nb = KEY(b, "POST / HTTP/1.1\r\nHost: a\r\n\r\n");
	is_int(nb, -1, "a refusal: no key");
	na = KEY(a, "GET /search?q=a+b HTTP/1.1\r\nHost: a\r\n\r\n");
	nb = KEY(b, "GET /search?a%20b HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(na > 0 && na == nb && memcmp(a, b, (size_t)na) == 0,
	    "a form's words and <isindex>'s share a key");
	nb = KEY(b, "GET /search?q=a HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(nb > 0 && (na != nb || memcmp(a, b, (size_t)na) != 0),
	    "other words, another key");
#undef KEY
}

static void
test_prelude(void)
{
	static const struct {
		const char	*req;
		int		 status, may_keep, want;
		const char	*conn;
	} t[] = {
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 200, 1, 1, "keep-alive" },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 200, 0, 0, "close" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
		  200, 1, 0, "close" },
		{ "GET / HTTP/1.0\r\n\r\n", 200, 1, 0, "close" },
		{ "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200, 1, 1,
		  "keep-alive" },
		{ "GET /x HTTP/1.1\r\nHost: a\r\n\r\n", 404, 1, 1,
		  "keep-alive" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n",
		  400, 1, 0, "close" },
		{ "GET / HTTP/1.1\r\n\r\n", 400, 1, 0, "close" },
		{ "GET / HTTP/1.1\r\nHost: a\r\n", 431, 1, 0, "close" },
	};
	struct buf	 b = BUF_INIT;
	char		 want[256];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&b);
		is_int(http_prelude(&b, t[i].req, strlen(t[i].req), t[i].status,
		    784111777, t[i].may_keep), t[i].want, shown(t[i].req));
		tap_snprintf(want, sizeof(want), "HTTP/1.1 %d %s\r\n"
		    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
		    "Connection: %s\r\n", t[i].status, t[i].status == 200 ?
		    "OK" : t[i].status == 404 ? "Not Found" :
		    t[i].status == 400 ? "Bad Request" :
		    "Request Header Fields Too Large", t[i].conn);
		is_str(b.data, want, shown(t[i].req), "the prelude");
	}
	buf_reset(&b);
	is_int(http_slow_down(&conf, &b), 429, "http_slow_down: 429");
	ok(strstr(b.data, "Retry-After: ") != NULL, "with Retry-After");
	buf_release(&b);
}

static void
test_no_store(void)
{
	struct buf	 b = BUF_INIT;
	const char	*req = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

	is_int(http_respond(req, strlen(req), &conf, NULL, &b), 503,
	    "no store: 503");
	buf_release(&b);
}

int
main(void)
{
	const char	*data = getenv("GRIOT_TESTDATA");
	char		 dir[4096], pages[4096];
	struct store_opts so;

	if (data == NULL)
		data = TESTDATA;
	tap_snprintf(dir, sizeof(dir), "%s/articles", data);
	tap_snprintf(pages, sizeof(pages), "%s/pages", data);
	memset(&conf, 0, sizeof(conf));
	conf.name = S("Capsule de test");
	conf.hostname = S("griot.example");
	conf.lang = S("fr");
	conf.description = S("Une capsule de test : « essai ».");
	conf.latest = 10;
	conf.french_spacing = 1;
	conf.gemini_port = conf.gemini_public_port = 1965;
	memset(&so, 0, sizeof(so));
	so.dir = dir;
	so.pages = pages;
	so.french_spacing = 1;
	st = store_open(&so, NULL, NULL);
	if (!ok(st != NULL, "store_open(%s)", dir))
		return tap_done();

	test_complete();
	test_statuses();
	test_limits();
	test_charsets();
	test_links();
	test_validators(dir);
	test_stable_tag(dir);
	test_gzip();
	test_head();
	test_keys();
	test_prelude();
	test_no_store();
	store_unref(st);
	return tap_done();
}
