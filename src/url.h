/* griot: URL pieces.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The one percent-decoder and the one writer of the capsule's gemini://
 * URLs.  Pure: no allocation but the caller's struct buf, no global
 * state, so that the Gemini and Gopher parsers, griotd -q and the
 * renderers all read and write URLs by the same rules.
 */
#ifndef GRIOT_URL_H
#define GRIOT_URL_H

#include <stddef.h>

#define URL_GEMINI_PORT		1965	/* the default, left out of a URL */

struct buf;

/* Flags of url_decode(). */
#define URL_NO_NUL	0x01	/* %00 is an error */
#define URL_STRICT	0x02	/* a truncated or non-hex escape is an error */

/*
 * Percent-decode the "n" bytes at "s" into "out", which has room for "n"
 * bytes (decoding never grows), and set "*outlen"; "out" is not
 * NUL-terminated.  Hex digits in either case.  Without URL_STRICT, a "%"
 * not followed by two hex digits is copied as is.  Returns 0, or -1 for
 * what the flags refuse (then "out" holds a partial result).
 */
int	 url_decode(char *out, size_t *outlen, const char *s, size_t n,
	    int flags);

/*
 * Append "gemini://HOST[:PORT]PATH" to "b": an IPv6 literal host gets its
 * brackets (unless it already has them), the port is written unless it is
 * the default 1965, and "path" (already percent-encoded, starting with
 * "/") is appended as is.  Returns 0, or -1 when the buffer failed or the
 * port is outside 1..65535.
 */
int	 url_gemini(struct buf *b, const char *host, int port,
	    const char *path);

/*
 * Append "url" with its non-ASCII bytes percent-encoded ("%E9"), so that
 * it stays a working URL in an ISO-8859-1 or ASCII text or selector.
 * Returns 0, or -1 when the buffer failed.
 */
int	 url_ascii(struct buf *, const char *url);

/*
 * Is "url" an external link griot points to (a Gopher "URL:" selector,
 * a links menu's h item): http, https, gemini or gopher, "//" and a
 * host, no space, control or backslash?  1 for yes.
 */
int	 url_is_external(const char *url);

#endif /* GRIOT_URL_H */
