/* griot: Gemini requests.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A pure function from the bytes of one Gemini request to the bytes of
 * its response (header and body), given the configuration and a store
 * snapshot.  No socket here: the network layer, griotd -q, the unit tests
 * and the fuzzers all call it the same way.
 */
#ifndef GRIOT_GEMINI_H
#define GRIOT_GEMINI_H

#include <stddef.h>

#define GEMINI_URL_MAX		1024	/* bytes, CRLF not counted */
#define GEMINI_META_MAX		1024

enum gemini_status {
	GEMINI_INPUT = 10,
	GEMINI_SENSITIVE_INPUT = 11,
	GEMINI_SUCCESS = 20,
	GEMINI_REDIRECT = 30,
	GEMINI_REDIRECT_PERMANENT = 31,
	GEMINI_TEMPORARY_FAILURE = 40,
	GEMINI_SERVER_UNAVAILABLE = 41,
	GEMINI_CGI_ERROR = 42,
	GEMINI_PROXY_ERROR = 43,
	GEMINI_SLOW_DOWN = 44,
	GEMINI_PERMANENT_FAILURE = 50,
	GEMINI_NOT_FOUND = 51,
	GEMINI_GONE = 52,
	GEMINI_PROXY_REFUSED = 53,
	GEMINI_BAD_REQUEST = 59,
	GEMINI_CERT_REQUIRED = 60,
	GEMINI_CERT_NOT_AUTHORISED = 61,
	GEMINI_CERT_NOT_VALID = 62
};

struct buf;
struct conf;
struct store;

/*
 * Is a complete request in "data"?  Returns the length of the request
 * line including its CRLF when one is there, 0 when more bytes are
 * needed, -1 when no CRLF can come in time (GEMINI_URL_MAX + 2 bytes or
 * more without one ending within them, or a bare LF before the first
 * CRLF: the specification wants CRLF, and a client that ends its line
 * with LF alone would otherwise wait for the timeout): the caller
 * answers that with gemini_respond() on what it has, which gives 59.
 */
long	 gemini_request_complete(const char *data, size_t len);

/*
 * Append the full response to "out" and return its status code.  "data"
 * is what the client sent (at most the line gemini_request_complete()
 * found, or the overlong prefix).
 *
 * The request must be an absolute gemini:// URL of at most
 * GEMINI_URL_MAX bytes of UTF-8 ended by CRLF (what follows is ignored);
 * anything else is 59, and so are a leading BOM, spaces or control bytes,
 * userinfo, a fragment, a bad or %00 escape and a "." or ".." segment
 * (raw or percent-encoded: such paths are refused, never resolved).  A
 * URL for another scheme, host (compared without case) or port (none
 * means 1965; compared with the public port) is 53.  The path is decoded
 * segment by segment, so "%2F" can never make a "/": a segment holding
 * one names nothing and gets 51.  "/categories" and "/archive" get 31 to
 * their slashed form; "" and "/" are the home page.  Bodies follow only
 * 20, as text/gemini; charset=utf-8; lang=<lang> (LF line ends),
 * text/plain for /robots.txt and application/atom+xml for /atom.xml.
 * Memory exhaustion gives 40 and a missing store 41.
 */
int	 gemini_respond(const char *data, size_t len, const struct conf *,
	    const struct store *, struct buf *out);

/*
 * The response cache key of a request: the bytes gemini_respond()'s
 * answer depends on, given "conf" and the same snapshot, so that
 * requests with the same key get the same answer.  Writes the key into
 * "key" (room for GEMINI_CACHE_KEY_MAX bytes) and returns its length, or -1
 * for a request whose answer is not worth keeping (a refusal: a header
 * that costs nothing to make).  The key is the decoded path, and for
 * /search the decoded query: "gemini://HOST/a", "gemini://host:1965/%61"
 * and "gemini://host/a?anything" share one entry.
 */
#define GEMINI_CACHE_KEY_MAX	(2 * GEMINI_URL_MAX + 4)

long	 gemini_cache_key(const char *data, size_t len, const struct conf *,
	    char *key);

/*
 * Append just a header: status, space, meta, CRLF (for 44 and 41).
 * Returns -1 (appending nothing) for a status the specification does not
 * define, or a meta longer than GEMINI_META_MAX or holding CR or LF.
 */
int	 gemini_header(struct buf *, int status, const char *meta);

#endif
