/* griot: client connections.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A connection's life on its worker's event loop: accepted, the PROXY
 * header, the TLS handshake, the request, the response (from the
 * worker's response cache when it has it), close_notify, the linger and
 * the close, each state with its deadline.  It moves bytes and knows
 * nothing of articles: a complete request goes to gemini_respond(),
 * gopher_respond() or http_respond() with the generation the owner
 * lends.  An HTTP connection may then read the next request (keep-alive,
 * pipelining).
 *
 * A connection reads and writes through two functions chosen once, at
 * accept: plain for Gopher and HTTP, TLS for Gemini.  No code outside
 * conn.c tells TLS from plain.
 *
 * Threads: a pool and its connections belong to one worker thread; what
 * the pools share (struct conn_env) is atomic or locked.
 */
#ifndef GRIOT_CONN_H
#define GRIOT_CONN_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <stdatomic.h>

#include "rcache.h"

struct conf;
struct conn;
struct event_base;
struct ratelimit;
struct render_inbox;
struct store;
struct tlsc_ctx;

#define CONN_WRITE_MAX	300	/* s for one whole response */
#define CONN_LINGER_SECS	2	/* s to drain a closing socket */
#define CONN_LIMITED_SECS	2	/* s for the handshake when rate-limited */

enum conn_proto {
	CONN_GEMINI,
	CONN_GOPHER,
	CONN_HTTP
};

/*
 * What every worker's connections share; owned by the server.  "fd_cap",
 * when not 0, is how many connections the open file limit leaves room
 * for: set before the workers start, it caps max_connections.
 */
struct conn_env {
	atomic_int		 nconns;	/* open, all workers */
	atomic_llong		 warned_cap;	/* log_is_due() */
	atomic_llong		 warned_evict;
	atomic_llong		 warned_peer;
	atomic_llong		 warned_proxy;
	atomic_llong		 warned_rl;
	int			 fd_cap;
	struct tlsc_ctx		*tls;		/* NULL: no Gemini */
	struct ratelimit	*rl;		/* both per-address limits */
};

TAILQ_HEAD(conn_list, conn);

/*
 * One worker's connections, owned by the worker.  "waiting" holds, oldest
 * first, those that may be closed to make room at the cap: no whole
 * request yet, or done and closing.  "gen" lends the generation to
 * answer with (valid until the next call on this thread); the owner
 * empties "cache" when the generation changes.  "idle" is called when a
 * connection was freed and none is left.  The owner initialises both
 * lists.
 *
 * With "render" set, a response not in the cache is made on a render
 * thread (render.h), never on the loop: "hold" then lends the generation
 * until "release" (from any thread of the worker's), and "is_current"
 * tells whether a held one is still the worker's, whose cache may then
 * keep the response.
 *
 * "stopping" is set by conn_close_waiting(): no HTTP connection is kept
 * for another request after that.
 */
struct conn_pool {
	struct conn_env		*env;
	struct event_base	*base;
	struct conn_list	 conns;
	struct conn_list	 waiting;
	int			 n;
	struct rcache		 cache;
	void			(*gen)(void *arg, const struct conf **confp,
				    const struct store **storep);
	void			(*idle)(void *arg);
	struct render_inbox	*render;	/* NULL: render on the loop */
	void			*(*hold)(void *arg, const struct conf **confp,
				    const struct store **storep);
	void			(*release)(void *arg, void *held);
	int			(*is_current)(void *arg, void *held);
	void			*arg;
	int			 stopping;
};

/* "gemini", "gopher" or "http". */
const char	*conn_proto_name(enum conn_proto);

/*
 * A new connection on "fd" (non-blocking), from "sa".  Refused (closed at
 * once) when max_per_address connections from its address (after a
 * PROXY header: the client's) are open.  At max_connections it makes
 * room by closing the oldest of the pool's connections without a whole
 * request, or is refused when there is none.  Over the rate limit, it is
 * answered at once (Gemini: right after the handshake, which must come
 * within CONN_LIMITED_SECS) and closed.  Otherwise it starts on the
 * pool's loop; the pool owns it from then on.  Nothing is returned: a
 * failure is logged and the socket closed.
 */
void	 conn_accept(struct conn_pool *, int fd, enum conn_proto,
	    const struct sockaddr *sa, socklen_t salen);

/*
 * At stop: close the connections still waiting for their first request
 * byte (PROXY header, handshake, empty request, an HTTP connection idle
 * between two requests); requests in flight go on, and no HTTP
 * connection is kept open after its response from now on.
 */
void	 conn_close_waiting(struct conn_pool *);
/*
 * A new generation (reload, store change): close the HTTP connections
 * idle between two requests, so that none lives on with the old
 * settings; a client opens a new one.
 */
void	 conn_close_idle(struct conn_pool *);
/* Close every connection now (one close_notify attempt that does not wait). */
void	 conn_close_all(struct conn_pool *);

#endif /* GRIOT_CONN_H */
