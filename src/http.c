/* griot: HTTP requests.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Checks one request head, routes its target, and writes the response. */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <http_parser.h>
#include <zlib.h>

#include "article.h"
#include "atom.h"
#include "buf.h"
#include "config.h"
#include "gemtext.h"
#include "http.h"
#include "paging.h"
#include "store.h"
#include "text.h"
#include "url.h"
#include "web.h"
#include "words.h"

/* A piece of the request head (pointers into the caller's bytes). */
struct span {
	const char	*s;
	size_t		 n;
};

/* The headers read here; any other is counted and ignored. */
enum hdr {
	HDR_OTHER = -1,
	HDR_HOST,
	HDR_ACCEPT_CHARSET,
	HDR_ACCEPT_ENCODING,
	HDR_IF_NONE_MATCH,
	HDR_IF_MODIFIED_SINCE,
	HDR_COUNT
};

static const char *const hdr_names[HDR_COUNT] = {
	"Host", "Accept-Charset", "Accept-Encoding", "If-None-Match",
	"If-Modified-Since"
};

/* One request head, taken apart; "status" is 0 while nothing is wrong. */
struct request {
	int		 status;
	int		 method;	/* enum http_method */
	int		 major, minor;
	int		 keep;		/* http_should_keep_alive() */
	int		 head_done;
	size_t		 nheaders;
	struct span	 url;
	struct span	 field;		/* the name being read */
	int		 in_value;
	enum hdr	 cur;
	struct span	 hdr[HDR_COUNT];
	int		 nhdr[HDR_COUNT];

	/* From the target and the headers, once the head is valid. */
	struct web_view	 view;
	int		 gzip;
	char		 path[HTTP_TARGET_MAX + 1];	/* decoded, view cut */
	size_t		 pathlen;
	struct span	 query;				/* raw, NULL when none */
	int		 has_query;
};

/* What route() found for the request, before the head is written. */
struct answer {
	int		 status;
	struct buf	 body;
	const char	*ctype;		/* NULL: text/html in the view's charset */
	int		 has_etag;
	uint64_t	 etag;		/* the content's digest */
	int		 has_mtime;
	time_t		 mtime;
	char		 location[HTTP_TARGET_MAX * 3 + 16];
	int		 allow;		/* 405: say "Allow" */
	int		 digest_only;	/* an article: no body rendered yet */
	const struct article	*article;
};

static const struct web_view views[] = {
	{ TEXT_UTF8, "/utf8" },
	{ TEXT_LATIN1, "/latin1" },
	{ TEXT_ASCII, "/ascii" },
};

long
http_request_complete(const char *data, size_t len)
{
	size_t	 i, lim;

	/* The head ends at an LF followed by LF or CR LF. */
	lim = len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX;
	for (i = 0; i < lim; i++) {
		if (data[i] != '\n')
			continue;
		if (i + 1 < lim && data[i + 1] == '\n')
			return (long)i + 2;
		if (i + 2 < lim && data[i + 1] == '\r' && data[i + 2] == '\n')
			return (long)i + 3;
	}
	return len >= HTTP_HEAD_MAX ? -1 : 0;
}

/* http-parser's callbacks: spans of the caller's bytes. */
static int
on_url(http_parser *hp, const char *at, size_t n)
{
	struct request	*r = hp->data;

	if (r->url.s == NULL)
		r->url.s = at;
	else if (r->url.s + r->url.n != at)
		return -1;	/* one buffer: the pieces are contiguous */
	r->url.n += n;
	return 0;
}

static int
on_header_field(http_parser *hp, const char *at, size_t n)
{
	struct request	*r = hp->data;

	if (r->in_value || r->field.s == NULL) {
		r->in_value = 0;
		r->nheaders++;
		r->field.s = at;
		r->field.n = 0;
	} else if (r->field.s + r->field.n != at)
		return -1;
	r->field.n += n;
	return 0;
}

static int
on_header_value(http_parser *hp, const char *at, size_t n)
{
	struct request	*r = hp->data;
	struct span	*v;
	int		 i;

	if (!r->in_value) {
		r->in_value = 1;
		r->cur = HDR_OTHER;
		for (i = 0; i < HDR_COUNT; i++)
			if (strlen(hdr_names[i]) == r->field.n &&
			    strncasecmp(hdr_names[i], r->field.s,
			    r->field.n) == 0)
				r->cur = (enum hdr)i;
		if (r->cur == HDR_OTHER)
			return 0;
		r->nhdr[r->cur]++;
		r->hdr[r->cur].s = at;
		r->hdr[r->cur].n = n;
		return 0;
	}
	if (r->cur == HDR_OTHER)
		return 0;
	v = &r->hdr[r->cur];
	if (v->s + v->n != at)
		return -1;
	v->n += n;
	return 0;
}

static int
on_headers_complete(http_parser *hp)
{
	struct request	*r = hp->data;

	r->head_done = 1;
	r->method = (int)hp->method;
	r->major = hp->http_major;
	r->minor = hp->http_minor;
	r->keep = http_should_keep_alive(hp);
	/* A body on GET or HEAD: the stream is unsure after it. */
	if (hp->uses_transfer_encoding || (hp->flags & F_CHUNKED) ||
	    ((hp->flags & F_CONTENTLENGTH) && hp->content_length > 0))
		r->status = 400;
	/* Nothing after the head is read here: not a body, not a request. */
	http_parser_pause(hp, 1);
	return 0;
}

/* The length of the first line of "data", up to its LF or the end. */
static size_t
first_line(const char *data, size_t len)
{
	const char	*lf = memchr(data, '\n', len);

	return lf != NULL ? (size_t)(lf - data) : len;
}

/*
 * Run http-parser over the head; fill "r" (its "status" set when the
 * request is refused).  Only the head's bytes are given to the parser.
 */
static void
parse_head(const char *data, size_t len, struct request *r)
{
	http_parser_settings	 cb;
	http_parser		 hp;
	enum http_errno		 e;
	size_t			 parsed;
	long			 n;

	memset(r, 0, sizeof(*r));
	n = http_request_complete(data, len);
	if (n <= 0) {
		/* No whole head: too long, or the client stopped. */
		if (first_line(data, len) > HTTP_TARGET_MAX + 32)
			r->status = 414;
		else
			r->status = len >= HTTP_HEAD_MAX ? 431 : 400;
		return;
	}
	http_parser_settings_init(&cb);
	cb.on_url = on_url;
	cb.on_header_field = on_header_field;
	cb.on_header_value = on_header_value;
	cb.on_headers_complete = on_headers_complete;
	http_parser_init(&hp, HTTP_REQUEST);
	hp.data = r;
	parsed = http_parser_execute(&hp, &cb, data, (size_t)n);
	e = HTTP_PARSER_ERRNO(&hp);
	if (e == HPE_INVALID_METHOD) {
		r->status = 501;
		return;
	}
	if ((e != HPE_PAUSED && e != HPE_OK) || !r->head_done) {
		r->status = e == HPE_HEADER_OVERFLOW ? 431 : 400;
		return;
	}
	/*
	 * The parser pauses on the last byte of the head: a head it saw
	 * end sooner (it takes "CR X" as the end of the headers, a bare CR
	 * RFC 9112 forbids) would leave bytes of this one unread, or make
	 * two requests one: refused.
	 */
	if (parsed + 1 != (size_t)n) {
		r->status = 400;
		return;
	}
	if (r->major != 1 || r->minor > 1) {
		r->status = 505;
		return;
	}
	if (r->method != HTTP_GET && r->method != HTTP_HEAD) {
		r->status = 405;
		return;
	}
	if (r->url.n > HTTP_TARGET_MAX) {
		r->status = 414;
		return;
	}
	if (r->nheaders > HTTP_HEADERS_MAX) {
		r->status = 431;
		return;
	}
	if (r->status != 0)
		return;		/* a body */
	if (r->nhdr[HDR_HOST] > 1 || (r->minor == 1 && r->nhdr[HDR_HOST] == 0))
		r->status = 400;
}

/* Is the list "s" (RFC 9110 "#" rule) naming "name" (or "*" when NULL)? */
struct token {
	const char	*name;
	size_t		 n;
	int		 q;		/* thousandths */
};

/* The next element of a comma list, its q value read; 0 or -1 at the end. */
static int
next_token(const char **sp, const char *end, struct token *t)
{
	const char	*s = *sp, *e, *p;
	int		 q, d;

	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t' || *s == ','))
			s++;
		if (s >= end)
			return -1;
		for (e = s; e < end && *e != ','; e++)
			continue;
		*sp = e;
		t->name = s;
		for (p = s; p < e && *p != ';' && *p != ' ' && *p != '\t'; p++)
			continue;
		t->n = (size_t)(p - s);
		t->q = 1000;
		/* Parameters: only q counts; a malformed q is q=0. */
		while (p < e) {
			while (p < e && (*p == ' ' || *p == '\t' || *p == ';'))
				p++;
			if (e - p >= 2 && (p[0] == 'q' || p[0] == 'Q') &&
			    p[1] == '=') {
				p += 2;
				q = 0;
				if (p < e && (*p == '0' || *p == '1')) {
					q = (*p - '0') * 1000;
					p++;
					if (p < e && *p == '.') {
						p++;
						for (d = 100; p < e && d > 0 &&
						    *p >= '0' && *p <= '9';
						    d /= 10, p++)
							q += (*p - '0') * d;
					}
				}
				t->q = q > 1000 ? 1000 : q;
			}
			while (p < e && *p != ';')
				p++;
		}
		if (t->n > 0)
			return 0;
		s = e;
	}
}

static int
is_token(const struct token *t, const char *name)
{
	return strlen(name) == t->n && strncasecmp(t->name, name, t->n) == 0;
}

/*
 * The charset of the default view (http.h): UTF-8 when Accept-Charset
 * gives utf-8 a q above 0 and iso-8859-1 no higher one (a tie goes to
 * the one named first); "*" stands for utf-8 when utf-8 is not named
 * and iso-8859-1 is not, or is refused (q=0).  ISO-8859-1 otherwise,
 * the header absent included.
 */
static enum text_charset
negotiate_charset(const struct span *h)
{
	struct token	 t;
	const char	*s, *end;
	int		 u = -1, l = -1, star = -1, upos = 0, lpos = 0, spos = 0;
	int		 pos = 0;

	if (h->s == NULL)
		return TEXT_LATIN1;
	s = h->s;
	end = h->s + h->n;
	while (next_token(&s, end, &t) == 0) {
		pos++;
		if (is_token(&t, "utf-8") && u < 0) {
			u = t.q;
			upos = pos;
		} else if ((is_token(&t, "iso-8859-1") ||
		    is_token(&t, "latin1")) && l < 0) {
			l = t.q;
			lpos = pos;
		} else if (is_token(&t, "*") && star < 0) {
			star = t.q;
			spos = pos;
		}
	}
	/* "*" stands for utf-8 unless utf-8 is named, even with q=0. */
	if (u < 0 && star >= 0 && (l < 0 || l == 0)) {
		u = star;
		upos = spos;
	}
	if (u <= 0)
		return TEXT_LATIN1;
	if (l < 0 || u > l || (u == l && upos < lpos))
		return TEXT_UTF8;
	return TEXT_LATIN1;
}

/* gzip when Accept-Encoding gives it (or "*") a q above 0. */
static int
accepts_gzip(const struct span *h)
{
	struct token	 t;
	const char	*s, *end;
	int		 g = -1, star = -1;

	if (h->s == NULL)
		return 0;
	s = h->s;
	end = h->s + h->n;
	while (next_token(&s, end, &t) == 0) {
		if ((is_token(&t, "gzip") || is_token(&t, "x-gzip")) && g < 0)
			g = t.q;
		else if (is_token(&t, "*") && star < 0)
			star = t.q;
	}
	return g > 0 || (g < 0 && star > 0);
}

/*
 * Decode the target's path segment by segment into r->path (as in
 * gemini.c): never a "." or ".." segment, a segment holding "/" (from
 * %2F) names nothing, and the path must be UTF-8.
 */
static int
decode_path(struct request *r, const char *p, const char *end)
{
	const char	*seg, *send;
	size_t		 n;
	char		*d;

	r->pathlen = 0;
	while (p < end) {
		if (*p != '/')
			return 400;
		seg = p + 1;
		if ((send = memchr(seg, '/', (size_t)(end - seg))) == NULL)
			send = end;
		r->path[r->pathlen++] = '/';
		d = r->path + r->pathlen;
		if (url_decode(d, &n, seg, (size_t)(send - seg),
		    URL_NO_NUL | URL_STRICT) == -1)
			return 400;
		if ((n == 1 && d[0] == '.') ||
		    (n == 2 && d[0] == '.' && d[1] == '.'))
			return 400;
		if (memchr(d, '/', n) != NULL)
			return 404;
		r->pathlen += n;
		p = send;
	}
	if (r->pathlen == 0)
		r->path[r->pathlen++] = '/';
	r->path[r->pathlen] = '\0';
	if (!text_is_utf8(r->path, r->pathlen))
		return 404;
	return 0;
}

/* The target, the view and the negotiated charset and encoding. */
static void
parse_target(struct request *r)
{
	struct http_parser_url	 u;
	const char		*path, *pend;
	size_t			 i, n;
	int			 rc;

	http_parser_url_init(&u);
	if (r->url.n == 0 || http_parser_parse_url(r->url.s, r->url.n, 0,
	    &u) != 0 || (u.field_set & (1 << UF_FRAGMENT)) ||
	    (u.field_set & (1 << UF_USERINFO))) {
		r->status = 400;
		return;
	}
	/* Controls and spaces never belong to a target. */
	for (i = 0; i < r->url.n; i++)
		if ((unsigned char)r->url.s[i] <= 0x20 ||
		    (unsigned char)r->url.s[i] >= 0x7f) {
			r->status = 400;
			return;
		}
	if (u.field_set & (1 << UF_PATH)) {
		path = r->url.s + u.field_data[UF_PATH].off;
		pend = path + u.field_data[UF_PATH].len;
	} else
		path = pend = r->url.s;
	if ((rc = decode_path(r, path, pend)) != 0) {
		r->status = rc;
		return;
	}
	if (u.field_set & (1 << UF_QUERY)) {
		r->has_query = 1;
		r->query.s = r->url.s + u.field_data[UF_QUERY].off;
		r->query.n = u.field_data[UF_QUERY].len;
	}
	r->gzip = accepts_gzip(&r->hdr[HDR_ACCEPT_ENCODING]);
	r->view.prefix = "";
	r->view.charset = negotiate_charset(&r->hdr[HDR_ACCEPT_CHARSET]);
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		n = strlen(views[i].prefix);
		if (strncmp(r->path, views[i].prefix, n) == 0 &&
		    r->path[n] == '/') {
			r->view = views[i];
			memmove(r->path, r->path + n, r->pathlen - n + 1);
			r->pathlen -= n;
			break;
		}
	}
}

static void
request_read(const char *data, size_t len, struct request *r)
{
	parse_head(data, len, r);
	if (r->status == 0)
		parse_target(r);
	if (r->view.prefix == NULL) {
		r->view.prefix = "";
		r->view.charset = TEXT_LATIN1;
	}
}

/*
 * The search words of "/search?q=WORDS" (a form: "+" is a space, the
 * first "q" counts) or "/search?WORDS" (<isindex>: no "="), decoded;
 * read as Latin-1 when they are not UTF-8.  Appends nothing and returns
 * 0 when there is no query; -1 when it cannot be decoded or memory ran
 * out (then "out" is failed).
 */
static int
search_words(const struct request *r, struct buf *out, int *has_words)
{
	const char	*s, *e, *end, *v = NULL;
	char		*tmp;
	size_t		 n, i, vn = 0;
	int		 rc = -1;

	*has_words = 0;
	if (!r->has_query)
		return 0;
	s = r->query.s;
	end = s + r->query.n;
	if (memchr(s, '=', r->query.n) == NULL) {
		v = s;
		vn = r->query.n;
	} else {
		for (; s < end; s = e + 1) {
			if ((e = memchr(s, '&', (size_t)(end - s))) == NULL)
				e = end;
			if (e - s >= 2 && s[0] == 'q' && s[1] == '=') {
				v = s + 2;
				vn = (size_t)(e - s - 2);
				break;
			}
		}
	}
	if (v == NULL)
		return 0;
	if ((tmp = malloc(vn + 1)) == NULL) {
		out->failed = 1;
		return -1;
	}
	for (i = 0; i < vn; i++)
		tmp[i] = v[i] == '+' ? ' ' : v[i];
	if (url_decode(tmp, &n, tmp, vn, URL_NO_NUL | URL_STRICT) == -1)
		goto done;
	/* Only blanks: the form came back empty. */
	for (i = 0; i < n && (tmp[i] == ' ' || tmp[i] == '\t'); i++)
		continue;
	rc = 0;
	if (i == n)
		goto done;
	*has_words = 1;
	rc = text_from_input(out, tmp, n, NULL);
done:
	free(tmp);
	return rc;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

static const char *const wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const mon[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), never the locale's. */
static int
http_date(struct buf *b, time_t t)
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0)
		return -1;
	return buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    wday[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * Read an IMF-fixdate, or the RFC 850 form old browsers send
 * ("Sunday, 06-Nov-94 08:49:37 GMT"); what follows (Netscape's
 * "; length=N") is ignored.  0 and "*t", or -1.
 */
static int
parse_date(const struct span *h, time_t *t)
{
	char		 s[64], m[4];
	struct tm	 tm;
	const char	*p;
	int		 i, d, y, hh, mm, ss;

	if (h->s == NULL || h->n >= sizeof(s))
		return -1;
	memcpy(s, h->s, h->n);
	s[h->n] = '\0';
	/*
	 * RFC 9110's three forms: "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850's
	 * "Sunday, 06-Nov-94 08:49:37 GMT" and asctime()'s "Sun Nov  6
	 * 08:49:37 1994".
	 */
	if ((p = strchr(s, ',')) == NULL) {
		if (sscanf(s, "%*3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d", m, &d,
		    &hh, &mm, &ss, &y) != 6)
			return -1;
	} else if (sscanf(p + 1, " %2d %3s %4d %2d:%2d:%2d GMT", &d, m, &y,
	    &hh, &mm, &ss) != 6 && sscanf(p + 1,
	    " %2d-%3[A-Za-z]-%4d %2d:%2d:%2d GMT", &d, m, &y, &hh, &mm,
	    &ss) != 6)
		return -1;
	if (y < 100)
		y += y < 70 ? 2000 : 1900;
	for (i = 0; i < 12; i++)
		if (strcasecmp(m, mon[i]) == 0)
			break;
	if (i == 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 ||
	    y < 1970 || y > 9999 || hh < 0 || mm < 0 || ss < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = i;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	*t = timegm(&tm);
	return *t == (time_t)-1 ? -1 : 0;
}

/* The validator: the content's digest, the view, the encoding, griot's version. */
static uint64_t
etag_of(const struct request *r, uint64_t content)
{
	uint64_t	 h = WEB_DIGEST_INIT;
	char		 c[2];

	h = web_digest(h, PACKAGE_VERSION, strlen(PACKAGE_VERSION) + 1);
	h = web_digest(h, r->view.prefix, strlen(r->view.prefix) + 1);
	c[0] = (char)('0' + (int)r->view.charset);
	c[1] = (char)('0' + r->gzip);
	h = web_digest(h, c, 2);
	return web_digest(h, &content, sizeof(content));
}

/* Does If-None-Match name "tag" ("*" names any)?  Weak comparison. */
static int
has_etag_match(const struct span *h, const char *tag)
{
	struct token	 t;
	const char	*s = h->s, *end = h->s + h->n;
	size_t		 n = strlen(tag);

	while (next_token(&s, end, &t) == 0) {
		/* The whole element, up to its comma, is the tag. */
		t.n = 0;
		while (t.name + t.n < s && t.name[t.n] != ' ' &&
		    t.name[t.n] != '\t')
			t.n++;
		if (t.n == 1 && t.name[0] == '*')
			return 1;
		if (t.n > 2 && t.name[0] == 'W' && t.name[1] == '/') {
			t.name += 2;
			t.n -= 2;
		}
		if (t.n == n && memcmp(t.name, tag, n) == 0)
			return 1;
	}
	return 0;
}

/* Should "a" be answered 304 (RFC 9110 section 13.2.2)? */
static int
is_not_modified(const struct request *r, const struct answer *a,
    const char *tag)
{
	time_t	 since;

	if (a->status != 200)
		return 0;
	if (r->nhdr[HDR_IF_NONE_MATCH] > 0)
		return a->has_etag && has_etag_match(&r->hdr[HDR_IF_NONE_MATCH],
		    tag);
	if (r->nhdr[HDR_IF_MODIFIED_SINCE] == 1 && a->has_mtime &&
	    parse_date(&r->hdr[HDR_IF_MODIFIED_SINCE], &since) == 0)
		return a->mtime <= since;
	return 0;
}

/* Compress "in" as one gzip member (deterministic: no name, no time). */
static int
gzip_body(struct buf *out, const char *in, size_t n)
{
	z_stream	 z;
	uLong		 bound;
	int		 rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		out->failed = 1;
		return -1;
	}
	bound = deflateBound(&z, (uLong)n) + 32;
	if (buf_reserve(out, bound) == -1) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->data + out->len;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	if (rc == Z_STREAM_END)
		out->len += z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		out->failed = 1;
		return -1;
	}
	out->data[out->len] = '\0';
	return 0;
}

static int
is_year(const char *s, size_t n)
{
	size_t	 i;

	if (n != 4)
		return 0;
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Is "path" DIR NAME "/" REST with a NAME free of "/"?  Then NAME is
 * copied into "name" (room for HTTP_TARGET_MAX + 1) and "*rest" points
 * after its slash; a NAME without the slash after it sets *rest to NULL.
 */
static int
is_under(const char *path, const char *dir, char *name, const char **rest)
{
	const char	*slash;
	size_t		 dlen = strlen(dir), n;

	if (strncmp(path, dir, dlen) != 0)
		return 0;
	path += dlen;
	if ((slash = strchr(path, '/')) == NULL) {
		n = strlen(path);
		*rest = NULL;
	} else {
		n = (size_t)(slash - path);
		*rest = slash + 1;
	}
	if (n == 0)
		return 0;
	memcpy(name, path, n);
	name[n] = '\0';
	return 1;
}

/* "N.html" with a page number N (paging.h): 0 and *page, or -1. */
static int
page_html(const char *s, size_t *page)
{
	size_t	 n = strlen(s);

	if (n <= 5 || strcmp(s + n - 5, ".html") != 0)
		return -1;
	return paging_parse(s, n - 5, page);
}

/* "NAME.html" with a non-empty NAME: NAME into "name", or 0. */
static int
is_html_leaf(const char *path, const char *dir, char *name)
{
	size_t	 dlen = strlen(dir), n;

	if (strncmp(path, dir, dlen) != 0)
		return 0;
	path += dlen;
	n = strlen(path);
	if (n <= 5 || strcmp(path + n - 5, ".html") != 0 ||
	    memchr(path, '/', n) != NULL)
		return 0;
	memcpy(name, path, n - 5);
	name[n - 5] = '\0';
	return 1;
}

/* 301 to the view's prefix, "path", "/": the names re-encoded. */
static int
redirect(struct answer *a, const struct request *r, const char *path)
{
	struct buf	 b = BUF_INIT;
	const char	*s, *e;

	buf_puts(&b, r->view.prefix);
	for (s = path; *s == '/'; s = e) {
		buf_addc(&b, '/');
		s++;
		if ((e = strchr(s, '/')) == NULL)
			e = s + strlen(s);
		gemtext_encode_segment(&b, s, (size_t)(e - s));
	}
	buf_addc(&b, '/');
	if (b.failed || b.len >= sizeof(a->location)) {
		buf_release(&b);
		a->body.failed = 1;
		return 503;
	}
	memcpy(a->location, b.data, b.len + 1);
	buf_release(&b);
	a->status = 301;
	return 301;
}

/* A list renderer's -1 without a memory failure: no such page, 404. */
static int
listed(struct answer *a, int rc)
{
	if (rc == 0 || a->body.failed)
		return a->status = 200;
	return a->status = 404;
}

static int
search(struct answer *a, const struct conf *conf, const struct store *st,
    const struct request *r, size_t page)
{
	const struct article	**found;
	struct buf		 q = BUF_INIT;
	struct paging		 p;
	size_t			 per, total;
	int			 has, rc;

	if (search_words(r, &q, &has) == -1) {
		rc = q.failed ? 503 : 400;
		buf_release(&q);
		if (rc == 503)
			a->body.failed = 1;
		return a->status = rc;
	}
	if (!has) {
		buf_release(&q);
		if (page != 1)
			return a->status = 404;
		return listed(a, web_search(&a->body, conf, &r->view, NULL, 0,
		    NULL, 0, NULL));
	}
	per = paging_size(conf->page_size);
	if ((page - 1) > store_count(st) / per) {
		buf_release(&q);
		return a->status = 404;
	}
	if ((found = calloc(page, per * sizeof(*found))) == NULL ||
	    store_search(st, q.data, q.len, found, page * per, &total) == -1) {
		free(found);
		buf_release(&q);
		a->body.failed = 1;
		return a->status = 503;
	}
	if (paging_init(&p, total, per, page) == -1)
		a->status = 404;
	else
		listed(a, web_search(&a->body, conf, &r->view, q.data, q.len,
		    found, total, &p));
	free(found);
	buf_release(&q);
	return a->status;
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

/*
 * A list's Last-Modified: when the snapshot last changed
 * (store_changed(): its load, its latest update, or a later file time),
 * so that it never goes back, not even when the newest article is
 * removed and griotd restarted.  An article's is its file's time, its
 * date or the snapshot's load (the ini may have changed the page),
 * whichever is latest.  The ETag, which If-None-Match compares first,
 * follows the bytes in any case.
 */
static void
store_mtime(struct answer *a, const struct store *st)
{
	if (store_count(st) > 0) {
		a->has_mtime = 1;
		a->mtime = store_changed(st);
	}
}

/*
 * Serve the decoded path into "a"; returns the status.  A renderer that
 * fails leaves a->body failed, and http_respond() makes that a 503.  An
 * article is only looked up (digest_only): its page is written once it
 * is known that no 304 answers it.
 */
static int
route(struct answer *a, const struct conf *conf, const struct store *st,
    const struct request *r)
{
	const struct store_category	*c;
	const struct store_month	*m;
	const struct store_page		*pg;
	const char			*path = r->path, *rest;
	char				 name[HTTP_TARGET_MAX + 1];
	size_t				 page;

	a->status = 200;
	if (strcmp(path, "/") == 0) {
		store_mtime(a, st);
		return listed(a, web_home(&a->body, conf, &r->view, st));
	}
	if (is_html_leaf(path, "/articles/", name)) {
		if ((a->article = store_article_get(st, name)) == NULL)
			return a->status = 404;
		a->digest_only = 1;
		a->has_etag = 1;
		a->etag = web_article_digest(WEB_DIGEST_INIT, conf, a->article);
		a->has_mtime = 1;
		a->mtime = a->article->mtime > a->article->stamp ?
		    a->article->mtime : a->article->stamp;
		if (store_loaded(st) > a->mtime)
			a->mtime = store_loaded(st);
		return 200;
	}
	if (strcmp(path, "/categories") == 0 || strcmp(path, "/archive") == 0)
		return redirect(a, r, path);
	if (strcmp(path, "/categories/") == 0) {
		store_mtime(a, st);
		return listed(a, web_categories(&a->body, conf, &r->view, st, 1));
	}
	if (is_under(path, "/categories/", name, &rest)) {
		if (strcmp(name, "_") == 0) {
			/* No slug has a "_": the pages of the list. */
			if (rest == NULL || page_html(rest, &page) == -1)
				return a->status = 404;
			store_mtime(a, st);
			return listed(a, web_categories(&a->body, conf,
			    &r->view, st, page));
		}
		if ((c = store_category_get(st, name)) == NULL)
			return a->status = 404;
		if (rest == NULL)
			return redirect(a, r, path);
		if (strcmp(rest, "atom.xml") == 0) {
			a->ctype = "application/atom+xml; charset=utf-8";
			return listed(a, atom_category(&a->body, conf, c));
		}
		if (rest[0] == '\0')
			page = 1;
		else if (page_html(rest, &page) == -1)
			return a->status = 404;
		store_mtime(a, st);
		return listed(a, web_category(&a->body, conf, &r->view, c,
		    page));
	}
	if (strcmp(path, "/archive/") == 0) {
		store_mtime(a, st);
		return listed(a, web_archive(&a->body, conf, &r->view, st, 1));
	}
	if (is_under(path, "/archive/", name, &rest)) {
		if (strcmp(name, "_") == 0) {
			if (rest == NULL || page_html(rest, &page) == -1)
				return a->status = 404;
			store_mtime(a, st);
			return listed(a, web_archive(&a->body, conf, &r->view,
			    st, page));
		}
		if (is_year(name, strlen(name))) {
			struct paging_year	 y;

			if (paging_year_get(st, name, &y) == -1)
				return a->status = 404;
			if (rest == NULL)
				return redirect(a, r, path);
			if (rest[0] != '\0')
				return a->status = 404;
			store_mtime(a, st);
			return listed(a, web_year(&a->body, conf, &r->view, st,
			    name));
		}
		if ((m = store_month_get(st, name)) == NULL)
			return a->status = 404;
		if (rest == NULL)
			return redirect(a, r, path);
		if (rest[0] == '\0')
			page = 1;
		else if (page_html(rest, &page) == -1)
			return a->status = 404;
		store_mtime(a, st);
		return listed(a, web_month(&a->body, conf, &r->view, m, page));
	}
	if (is_html_leaf(path, "/pages/", name)) {
		if ((pg = store_page_get(st, name)) == NULL)
			return a->status = 404;
		return listed(a, web_page(&a->body, conf, &r->view, pg));
	}
	if ((page = search_page(path)) != 0)
		return search(a, conf, st, r, page);
	if (strcmp(path, "/atom.xml") == 0) {
		a->ctype = "application/atom+xml; charset=utf-8";
		store_mtime(a, st);
		return listed(a, atom_feed(&a->body, conf, st));
	}
	if (strcmp(path, "/robots.txt") == 0) {
		a->ctype = "text/plain; charset=us-ascii";
		return listed(a, web_robots(&a->body, conf));
	}
	return a->status = 404;
}

/* The words of an error page, in the site's language. */
static const char *
error_words(const struct conf *conf, int status)
{
	const struct words	*w = words_for_lang(conf->lang);

	switch (status) {
	case 404:
		return w->word[WORDS_GEMINI_NOT_FOUND];
	case 503:
		return w->word[WORDS_GEMINI_TEMPORARY];
	default:
		return reason(status);
	}
}

/* Write the headers and the body (or only its length) of "a". */
static void
write_tail(struct buf *out, const struct request *r, struct answer *a,
    const char *tag, int gz)
{
	const char	*body = a->body.data;
	size_t		 n = a->body.len;

	if (a->ctype != NULL)
		buf_printf(out, "Content-Type: %s\r\n", a->ctype);
	else if (a->status != 301)
		buf_printf(out, "Content-Type: text/html; charset=%s\r\n",
		    web_charset_name(r->view.charset));
	if (a->status != 304)
		buf_printf(out, "Content-Length: %zu\r\n", n);
	if (gz)
		buf_puts(out, "Content-Encoding: gzip\r\n");
	if (tag != NULL)
		buf_printf(out, "ETag: %s\r\n", tag);
	if (a->has_mtime && (a->status == 200 || a->status == 304)) {
		buf_puts(out, "Last-Modified: ");
		if (http_date(out, a->mtime) == -1)
			out->failed = 1;
		buf_puts(out, "\r\n");
	}
	/* Error pages and redirections are in the negotiated charset too. */
	buf_puts(out, "Vary: Accept-Encoding, Accept-Charset\r\n");
	if (a->status == 301)
		buf_printf(out, "Location: %s\r\n", a->location);
	if (a->status == 405)
		buf_puts(out, "Allow: GET, HEAD\r\n");
	buf_puts(out, "\r\n");
	if (a->status != 304 && r->method != HTTP_HEAD && n > 0)
		buf_add(out, body, n);
}

int
http_respond(const char *data, size_t len, const struct conf *conf,
    const struct store *st, struct buf *out)
{
	struct request	 r;
	struct answer	 a;
	struct buf	 gz = BUF_INIT;
	char		 tag[24];
	size_t		 start = out->len;
	int		 zipped = 0;

	if (out->failed)
		return 503;
	memset(&a, 0, sizeof(a));
	buf_init(&a.body);
	request_read(data, len, &r);
	if (r.status != 0) {
		a.status = r.status;
		if (r.status == 405)
			a.allow = 1;
	} else if (st == NULL)
		a.status = 503;
	else
		route(&a, conf, st, &r);

	if (a.body.failed)
		a.status = 503;
	if (a.status == 200) {
		if (!a.has_etag) {
			a.has_etag = 1;
			a.etag = web_digest(WEB_DIGEST_INIT, a.body.data,
			    a.body.len);
			a.etag = web_digest(a.etag, a.ctype != NULL ? a.ctype :
			    "", a.ctype != NULL ? strlen(a.ctype) : 0);
		}
		if (snprintf(tag, sizeof(tag), "\"%016llx\"",
		    (unsigned long long)etag_of(&r, a.etag)) >=
		    (int)sizeof(tag))
			a.status = 503;
		else if (is_not_modified(&r, &a, tag))
			a.status = 304;
		else if (a.digest_only && web_article(&a.body, conf, &r.view,
		    a.article) == -1)
			a.status = 503;
	}
	if (a.status == 200 && r.gzip && a.body.len > 0) {
		if (gzip_body(&gz, a.body.data, a.body.len) == -1)
			a.status = 503;
		else {
			buf_release(&a.body);
			a.body = gz;
			zipped = 1;
		}
	}
	if (a.status != 200 && a.status != 304) {
		buf_release(&a.body);
		a.ctype = NULL;
		a.has_mtime = 0;
		if (a.status != 301 && web_error(&a.body, conf, &r.view,
		    a.status, error_words(conf, a.status)) == -1) {
			buf_release(&a.body);
			a.status = 503;
			a.ctype = "text/plain; charset=us-ascii";
			buf_puts(&a.body, "503 Service Unavailable\n");
		}
	}
	write_tail(out, &r, &a, a.status == 200 || a.status == 304 ? tag :
	    NULL, zipped);
	buf_release(&a.body);
	if (out->failed) {
		/* Out of memory: the shortest answer, if even that fits. */
		buf_truncate(out, start);
		out->failed = 0;
		buf_puts(out, "Content-Type: text/plain; charset=us-ascii\r\n"
		    "Content-Length: 0\r\n\r\n");
		return 503;
	}
	return a.status;
}

long
http_cache_key(const char *data, size_t len, const struct conf *conf,
    char *key)
{
	struct request	 r;
	struct buf	 q = BUF_INIT;
	size_t		 klen, n;
	int		 has, rc;

	(void)conf;
	request_read(data, len, &r);
	if (r.status != 0 || r.nhdr[HDR_IF_NONE_MATCH] > 0 ||
	    r.nhdr[HDR_IF_MODIFIED_SINCE] > 0)
		return -1;
	/* Method, charset, encoding, view, then the decoded path. */
	rc = snprintf(key, HTTP_CACHE_KEY_MAX, "%s %d %d %s",
	    r.method == HTTP_HEAD ? "HEAD" : "GET", (int)r.view.charset,
	    r.gzip, r.view.prefix);
	if (rc < 0 || (size_t)rc + r.pathlen + 1 >= HTTP_CACHE_KEY_MAX)
		return -1;
	klen = (size_t)rc;
	memcpy(key + klen, r.path, r.pathlen);
	klen += r.pathlen;
	/* Only a search reads the query: the decoded words follow a NUL. */
	if (search_page(r.path) != 0) {
		if (search_words(&r, &q, &has) == -1) {
			buf_release(&q);
			return -1;
		}
		n = has ? q.len : 0;
		if (klen + 2 + n > HTTP_CACHE_KEY_MAX) {
			buf_release(&q);
			return -1;
		}
		key[klen++] = '\0';
		key[klen++] = has ? '?' : '-';
		if (n > 0)
			memcpy(key + klen, q.data, n);
		klen += n;
	}
	buf_release(&q);
	return (long)klen;
}

/*
 * Does the connection stay open after this answer?  Never after a
 * refusal that may leave bytes of the request in the stream.
 */
static int
is_keep(const struct request *r, int status)
{
	switch (status) {
	case 400: case 405: case 413: case 414: case 429: case 431:
	case 501: case 505:
		return 0;
	default:
		return r->head_done && r->keep;
	}
}

int
http_prelude(struct buf *out, const char *data, size_t len, int status,
    time_t now, int may_keep)
{
	struct request	 r;
	size_t		 start = out->len;
	int		 keep;

	parse_head(data, len, &r);
	keep = may_keep && is_keep(&r, status);
	buf_printf(out, "HTTP/1.1 %d %s\r\nDate: ", status, reason(status));
	if (http_date(out, now) == -1)
		out->failed = 1;
	buf_printf(out, "\r\nConnection: %s\r\n", keep ? "keep-alive" :
	    "close");
	if (out->failed) {
		buf_truncate(out, start);
		out->failed = 0;
		return -1;
	}
	return keep;
}

int
http_slow_down(const struct conf *conf, struct buf *out)
{
	(void)conf;
	if (buf_puts(out, "Content-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Length: 18\r\nRetry-After: 60\r\n\r\n"
	    "Too many requests\n") == -1)
		return -1;
	return 429;
}
