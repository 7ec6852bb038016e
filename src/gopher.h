/* griot: Gopher requests.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A pure function from the bytes of one Gopher request to the bytes of
 * its response, given the configuration and a store snapshot.  No socket
 * here: the network layer, griotd -q, the unit tests and the fuzzers all
 * call it the same way.
 */
#ifndef GRIOT_GOPHER_H
#define GRIOT_GOPHER_H

#include <stddef.h>

#include "gophermap.h"

/* The longest selector is the one the menus may write (gophermap.h). */
#define GOPHER_SELECTOR_MAX	GOPHERMAP_SELECTOR_MAX
#define GOPHER_REQUEST_MAX	1024	/* selector, TAB, search words */

struct buf;
struct conf;
struct store;

/* Status codes for the access log (Gopher has none of its own). */
enum gopher_status {
	GOPHER_OK = 200,
	GOPHER_BAD_REQUEST = 400,
	GOPHER_NOT_FOUND = 404,
	GOPHER_SLOW_DOWN = 429,
	GOPHER_SERVER_ERROR = 500,	/* out of memory: nothing to send */
	GOPHER_TEMPORARY = 503		/* out of memory: an error item */
};

/*
 * Is a complete request line in "data" (ended by CRLF or a bare LF)?
 * Returns its length including the line end, 0 when more bytes are
 * needed, -1 when it is already longer than GOPHER_REQUEST_MAX.
 */
long	 gopher_request_complete(const char *data, size_t len);

/*
 * Append the full response to "out"; returns an enum gopher_status.
 * "data" is what the client sent: the line gopher_request_complete()
 * found, or what arrived before the connection ended or grew too long
 * (answered with an error).  Bytes after the first LF are ignored.
 * Selectors and answers: see gopher.c and griotd(8).  When memory ran
 * out, a type-3 item says to try again (GOPHER_TEMPORARY), or nothing is
 * appended (GOPHER_SERVER_ERROR); neither answer may be cached.
 */
int	 gopher_respond(const char *data, size_t len, const struct conf *,
	    const struct store *, struct buf *out);

/*
 * The response cache key of a request: the bytes gopher_respond()'s
 * answer depends on, so that requests with the same key get the same
 * answer (given the same conf and snapshot).  Writes the key into "key"
 * (room for GOPHER_CACHE_KEY_MAX bytes) and returns its length, or -1
 * for a request whose answer is not worth keeping (a request line
 * refused before routing: too long, a NUL, a selector that is not
 * UTF-8; its error answer costs nothing to make).  The request is taken
 * apart by the same code as in gopher_respond().  The key is the selector with a leading "/"
 * and no line end; the search words follow it after a TAB only when
 * the selector is a search (or for a Gopher+ probe, its first byte), so
 * that words added to any other selector do not make a new entry.
 */
#define GOPHER_CACHE_KEY_MAX	(GOPHER_REQUEST_MAX + 2)

long	 gopher_cache_key(const char *data, size_t len, char *key);

/* The short answer to a client over the per-address rate limit. */
int	 gopher_slow_down(const struct conf *, struct buf *out);

#endif
