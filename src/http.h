/* griot: HTTP requests.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A pure function from the bytes of one HTTP/1.0 or HTTP/1.1 request
 * head to the bytes of its response, given the configuration and a
 * store snapshot, as gemini.h and gopher.h do for the other doors.  No
 * socket here: the network layer, griotd -q, the unit tests and the
 * fuzzer all call it the same way.  The pages themselves are written
 * by web.c.
 *
 * The request head is taken apart by Debian's http-parser (nodejs
 * http-parser 2.9), never by hand, and the request target by its
 * http_parser_parse_url().  libevent's evhttp was considered and
 * rejected: it owns its sockets, so it could not share conn.c's PROXY
 * protocol, per-address limits, deadlines and access log with the
 * Gemini and Gopher doors.
 *
 * A response is cut in two so that the server's response cache can keep
 * what does not change from one request to the next: http_respond()
 * writes the cacheable tail (headers but the status line, Date and
 * Connection, the empty line and the body), http_prelude() the
 * per-request head that goes before it.
 *
 * What is served (GET and HEAD, HTTP/1.0 and 1.1 only):
 *   /                              home page (newest articles)
 *   /articles/ID.html              one article
 *   /categories/  /categories/SLUG/  /categories/SLUG/N.html (page N >= 2)
 *   /archive/  /archive/YYYY/  /archive/YYYY-MM/  /archive/YYYY-MM/N.html
 *   /search?q=WORDS  /search?WORDS (an <isindex> submit)
 *   /pages/NAME.html               static pages
 *   /atom.xml  /categories/SLUG/atom.xml   Atom feeds
 *   /robots.txt
 * each also under /utf8/, /latin1/ and /ascii/, the charset views.
 *
 * Charset of the default view (no /utf8/, /latin1/ or /ascii/ prefix),
 * from Accept-Charset: UTF-8 when the header gives utf-8 a q above 0
 * and no higher q to iso-8859-1 (a tie goes to the one named first);
 * otherwise ISO-8859-1, the charset the browsers of the 1990s expect
 * when they name none ("*" with q above 0 counts as utf-8 only when
 * iso-8859-1 is not named).  The charset is always declared in the
 * Content-Type header and in a <meta http-equiv>.
 */
#ifndef GRIOT_HTTP_H
#define GRIOT_HTTP_H

#include <stddef.h>
#include <time.h>

#define HTTP_HEAD_MAX		8192	/* request line + headers, bytes */
#define HTTP_TARGET_MAX		2048	/* request target, bytes: above, 414 */
#define HTTP_HEADERS_MAX	50	/* header lines: above, 431 */

struct buf;
struct conf;
struct store;

/*
 * Length of the request head through its empty line (CRLF CRLF, or LF
 * LF), 0 when more bytes are needed, -1 when no complete head can come
 * within HTTP_HEAD_MAX bytes: the caller then answers http_respond() on
 * what it has (431) and closes.
 */
long	 http_request_complete(const char *data, size_t len);

/*
 * The cacheable part of the response to the head in data[0..len): every
 * header line except the status line, Date and Connection, then the
 * empty line, then the body (none for HEAD, 304, or statuses without
 * one).  Returns the status (200, 301, 304, 400, 404, 405, 414, 431,
 * 501, 505, 503 for out of memory...).  Bytes after the head are
 * ignored: they are never read as a second request here.
 */
int	 http_respond(const char *data, size_t len, const struct conf *,
	    const struct store *, struct buf *out);

/*
 * The response-cache key, like gemini_cache_key: equal keys give equal
 * http_respond() output for the same conf and snapshot; -1 when not
 * worth caching (errors, conditional requests).  Room:
 * HTTP_CACHE_KEY_MAX.  Includes the method (GET/HEAD), the view, the
 * negotiated charset, gzip or not, the path and query.
 */
#define HTTP_CACHE_KEY_MAX	(HTTP_TARGET_MAX + 64)

long	 http_cache_key(const char *data, size_t len, const struct conf *,
	    char *key);

/*
 * The per-request head of the response: "HTTP/1.x STATUS REASON", Date
 * (from "now"), and Connection; returns 1 when the connection stays
 * open for another request after this one (HTTP/1.1 without
 * "Connection: close", or 1.0 with keep-alive; never after an error
 * that leaves the stream unsure: 400, 413, 431, bodies on GET...), 0 to
 * close; "may_keep" 0 forces close (server stopping, limits).  Returns
 * -1 when memory ran out (nothing appended).
 */
int	 http_prelude(struct buf *out, const char *data, size_t len,
	    int status, time_t now, int may_keep);

/*
 * The answer to a client over the per-address rate limit (429 with
 * Retry-After): the cacheable part, as http_respond() writes it; the
 * caller puts http_prelude() with status 429 before it.  Returns 429,
 * or -1 when memory ran out.
 */
int	 http_slow_down(const struct conf *, struct buf *out);

#endif
