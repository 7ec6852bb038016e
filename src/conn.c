/* griot: client connections.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * One client connection from accept to close, on its worker's loop and
 * never blocking it (see conn.h).
 *
 * An idle connection is a small struct with its event; the TLS state is
 * made when the first bytes arrive, the request buffer when the first
 * request bytes do.  On a protocol with proxy_protocol on, a PROXY
 * header comes first (conn_proxy()): the client's address, for the log
 * and the per-address limits, is the one it gives.  Each state has a
 * deadline:
 * the PROXY header, the handshake and the request must arrive within
 * request_timeout seconds of the accept; a response must make progress
 * every request_timeout seconds and end within CONN_WRITE_MAX.  Every
 * close of an established TLS connection sends close_notify.  After a
 * clean exchange (a request line and nothing after it) the socket is
 * closed at once; otherwise it is half-closed and drained for at most
 * CONN_LINGER_SECS seconds (see conn_done()).
 *
 * The response.  The handlers are pure functions of the request bytes,
 * the conf and the store snapshot, so a response is kept in the worker's
 * cache (rcache.c) under the request's cache key and sent again for the
 * same key in the same generation.  Responses to temporary failures
 * (4x, out of memory), refused requests (no cache key) and rate-limit
 * answers are not kept.  A connection writes straight from the entry,
 * holding a reference to it.  A response not in the cache is made on a
 * render thread when the pool has them (CONN_RENDER): the loop goes on
 * with the other connections meanwhile, and a connection closed while
 * its response is made is freed when the render thread hands it back.
 *
 * Floods.  No address may hold more than max_per_address connections at
 * once, so that one host cannot take every slot; at max_connections the
 * oldest connection without a whole request (an idle socket, a slow
 * handshake or request, or one that is closing) is closed to make room
 * for the new one, so that a reader gets in while a flood holds the
 * slots; a connection over the rate limit is answered at once, without
 * waiting for its request, and closed.
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "buf.h"
#include "config.h"
#include "conn.h"
#include "gemini.h"
#include "gopher.h"
#include "http.h"
#include "log.h"
#include "mono.h"
#include "proxy.h"
#include "ratelimit.h"
#include "rcache.h"
#include "render.h"
#include "tls.h"

#define CONN_MAX2(a, b)	((a) > (b) ? (a) : (b))

/* Room for any protocol's cache key. */
#define CONN_KEY_MAX \
	CONN_MAX2(CONN_MAX2(GEMINI_CACHE_KEY_MAX, GOPHER_CACHE_KEY_MAX), \
	HTTP_CACHE_KEY_MAX)

/* The Gemini and Gopher request limits, plus the line end. */
#define CONN_REQ_MAX \
	CONN_MAX2(GEMINI_URL_MAX + 2, GOPHER_REQUEST_MAX + 2)

/*
 * An HTTP request head: its bytes and, behind it, those of the next
 * requests a client sent without waiting (pipelining), kept for later.
 */
#define CONN_HTTP_REQ_MAX	HTTP_HEAD_MAX

/* The request buffer also holds a PROXY header while it is read. */
_Static_assert(PROXY_HEADER_MAX <= CONN_REQ_MAX, "PROXY header room");
_Static_assert(CONN_REQ_MAX <= CONN_HTTP_REQ_MAX, "request room");

enum conn_state {
	CONN_PROXY,		/* the PROXY protocol header, when configured */
	CONN_HANDSHAKE,		/* TLS handshake (Gemini only) */
	CONN_READ,		/* waiting for the request line */
	CONN_RENDER,		/* the response is made on a render thread */
	CONN_WRITE,		/* sending the response (and close_notify) */
	CONN_NOTIFY,		/* close_notify waits for room */
	CONN_LINGER		/* half-closed, draining what the peer sends */
};

/*
 * One client connection, owned by its pool.  The request buffer is
 * conn_req_max() + 1 bytes, allocated with the first request bytes.  The
 * response is either a cache entry ("rc", one reference) or "out";
 * "wdata" and "wlen" point into it while it is written, after the
 * per-request HTTP head in "head" (empty for Gemini and Gopher).  "read" and
 * "write" move bytes, plain or through "tls": more than 0 bytes, 0 at
 * the end of the input, or TLSC_WANT_READ, TLSC_WANT_WRITE, TLSC_ERROR.
 * The struct event lives at the end of the same allocation.
 */
/*
 * A response being made on a render thread, owned by its connection: the
 * generation held, and the cache key to keep the response under.
 */
struct conn_render {
	struct render_job	 job;		/* first: the job is the struct */
	struct conn		*c;
	void			*held;
	const struct conf	*conf;
	const struct store	*store;
	size_t			 len;		/* of the request answered */
	uint32_t		 hash;
	size_t			 klen;
	char			 key[];
};

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	TAILQ_ENTRY(conn)	 wentry;	/* in pool->waiting */
	struct conn_pool	*pool;
	ssize_t			(*read)(struct conn *, void *, size_t);
	ssize_t			(*write)(struct conn *, const void *, size_t);
	struct event		*ev;		/* "evmem" */
	short			 evwhat;	/* as assigned; 0: never */
	struct tlsc_conn	*tls;
	int			 fd;
	enum conn_proto		 proto;
	enum conn_state		 state;
	unsigned		 limited:1;	/* over the rate limit */
	unsigned		 waiting:1;	/* in pool->waiting */
	unsigned		 counted:1;	/* ratelimit_open() passed */
	unsigned		 responded:1;	/* a response was made */
	unsigned		 logged:1;
	unsigned		 clean:1;	/* nothing unread after the request */
	unsigned		 orphan:1;	/* closed while rendering */
	unsigned		 keep:1;	/* HTTP: read the next request */
	unsigned		 kept:1;	/* HTTP: answered one already */
	unsigned		 whole:1;	/* HTTP: the head came whole */
	unsigned		 pending:1;	/* HTTP: bytes of the next one */
	int			 timeout;	/* request_timeout, s */
	int			 status;
	char			*req;
	size_t			 reqlen;
	size_t			 linelen;	/* the request as answered */
	struct buf		 head;		/* HTTP: status line, Date... */
	struct buf		 out;
	struct rcache_entry	*rc;
	struct conn_render	*render;	/* CONN_RENDER only */
	const char		*wdata;
	size_t			 wlen;
	size_t			 off;		/* bytes of "wdata" written */
	size_t			 tsent;		/* tlsc_conn_sent() last seen */
	double			 start;		/* monotonic s */
	double			 deadline;
	double			 write_until;
	union {
		struct sockaddr		sa;
		struct sockaddr_in	sin;
		struct sockaddr_in6	sin6;
	}			 peer;
	socklen_t		 peerlen;
	char			 addr[INET6_ADDRSTRLEN];	/* made on use */
	max_align_t		 evmem[];
};

static void	 conn_cb(evutil_socket_t, short, void *);
static void	 conn_close(struct conn *, int);
static void	 conn_handshake(struct conn *);
static void	 conn_linger(struct conn *);
static void	 conn_next(struct conn *);
static void	 conn_notify(struct conn *);
static void	 conn_proxy(struct conn *);
static void	 conn_proxy_warn(struct conn *, const char *, int);
static void	 conn_read(struct conn *);
static void	 conn_step(struct conn *);
static void	 conn_write(struct conn *);

const char *
conn_proto_name(enum conn_proto p)
{
	switch (p) {
	case CONN_GEMINI:
		return "gemini";
	case CONN_GOPHER:
		return "gopher";
	default:
		return "http";
	}
}

/* The request buffer's size, but for its NUL. */
static size_t
conn_req_max(const struct conn *c)
{
	return c->proto == CONN_HTTP ? CONN_HTTP_REQ_MAX : CONN_REQ_MAX;
}

/* The generation to answer with, from the pool's owner. */
static const struct conf *
conn_conf(struct conn *c, const struct store **storep)
{
	const struct conf	*conf;
	const struct store	*store;

	c->pool->gen(c->pool->arg, &conf, &store);
	if (storep != NULL)
		*storep = store;
	return conf;
}

/*
 * The I/O shim.  Plain sockets map errno onto the TLS layer's answers,
 * so the steps below read and write the same way whatever carries them.
 */

static ssize_t
conn_plain_read(struct conn *c, void *p, size_t len)
{
	ssize_t	 n;

	while ((n = recv(c->fd, p, len, 0)) == -1 && errno == EINTR)
		;
	if (n == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ?
		    TLSC_WANT_READ : TLSC_ERROR;
	return n;
}

static ssize_t
conn_plain_write(struct conn *c, const void *p, size_t len)
{
	ssize_t	 n;

	while ((n = send(c->fd, p, len, MSG_NOSIGNAL)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ?
		    TLSC_WANT_WRITE : TLSC_ERROR;
	return n;
}

static ssize_t
conn_tls_read(struct conn *c, void *p, size_t len)
{
	return tlsc_read(c->tls, p, len);
}

static ssize_t
conn_tls_write(struct conn *c, const void *p, size_t len)
{
	return tlsc_write(c->tls, p, len);
}

/* The client's address as text, made when first needed. */
static const char *
conn_addr(struct conn *c)
{
	if (c->addr[0] == '\0' && getnameinfo(&c->peer.sa, c->peerlen,
	    c->addr, sizeof(c->addr), NULL, 0, NI_NUMERICHOST) != 0)
		(void)snprintf(c->addr, sizeof(c->addr), "?");
	return c->addr;
}

/* Take a token from the client's bucket; warn when the table is full. */
static void
conn_limit(struct conn *c, const struct conf *conf)
{
	struct conn_env	*env = c->pool->env;
	int		 r;

	if (conf->rate_limit <= 0)
		return;
	r = ratelimit_check(env->rl, &c->peer.sa, conf->rate_limit,
	    mono_now());
	c->limited = r == RATELIMIT_OVER;
	if (r == RATELIMIT_UNTRACKED && log_is_due(&env->warned_rl))
		log_warnx("rate limit: too many addresses tracked; new ones "
		    "pass unchecked");
}

/*
 * Count the connection against its address's max_per_address: 0, or -1
 * when that many are open from there already (the caller closes it).
 */
static int
conn_peer_open(struct conn *c, const struct conf *conf)
{
	struct conn_env	*env = c->pool->env;
	int		 r;

	r = ratelimit_open(env->rl, &c->peer.sa, conf->max_per_address,
	    mono_now());
	if (r == RATELIMIT_OVER) {
		if (log_is_due(&env->warned_peer))
			log_warnx("%s: %d connections open from this address: "
			    "closing its new ones ([server] max_per_address; "
			    "logged once a minute)", conn_addr(c),
			    conf->max_per_address);
		else if (log_is_verbose())
			log_debug("%s: %s connection closed: max_per_address",
			    conn_addr(c), conn_proto_name(c->proto));
		return -1;
	}
	c->counted = r == RATELIMIT_PASS;
	if (r == RATELIMIT_UNTRACKED && conf->max_per_address > 0 &&
	    log_is_due(&env->warned_rl))
		log_warnx("max_per_address: too many addresses tracked; new "
		    "ones pass unchecked");
	return 0;
}

/* Put the connection in the pool's "waiting" list ("on" 1), or out. */
static void
conn_waiting(struct conn *c, int on)
{
	if (on == (int)c->waiting)
		return;
	if (on)
		TAILQ_INSERT_TAIL(&c->pool->waiting, c, wentry);
	else
		TAILQ_REMOVE(&c->pool->waiting, c, wentry);
	c->waiting = on != 0;
}

/* Over the rate limit, the handshake gets CONN_LIMITED_SECS at most. */
static void
conn_limited_deadline(struct conn *c)
{
	double	 until;

	until = mono_now() + CONN_LIMITED_SECS;
	if (c->limited && c->deadline > until)
		c->deadline = until;
}

/*
 * Wait for "what" on the socket until "deadline" (a monotonic time).  The
 * event stays registered with epoll between waits for the same thing, so
 * waiting again only moves its timer.
 */
static int
conn_wait(struct conn *c, short what, double deadline)
{
	struct timeval	 tv;
	double		 left;

	left = deadline - mono_now();
	if (left < 0)
		left = 0;
	tv.tv_sec = (time_t)left;
	tv.tv_usec = (suseconds_t)((left - (double)tv.tv_sec) * 1e6);
	if (c->evwhat != what) {
		if (c->evwhat != 0)
			event_del(c->ev);
		c->evwhat = 0;
		if (event_assign(c->ev, c->pool->base, c->fd,
		    what | EV_PERSIST, conn_cb, c) == -1)
			goto fail;
		c->evwhat = what;
	}
	if (event_add(c->ev, &tv) == -1)
		goto fail;
	return 0;
 fail:
	log_warnx("%s: cannot wait on a connection", conn_addr(c));
	conn_close(c, 1);
	return -1;
}

/* Let the other connections have a turn, then carry on reading. */
static void
conn_yield(struct conn *c)
{
	if (conn_wait(c, EV_READ, c->deadline) == 0)
		event_active(c->ev, EV_READ, 0);
}

/* The one access-log line of a request, written once. */
static void
conn_log(struct conn *c)
{
	size_t	 n;

	if (c->logged || !c->responded)
		return;
	c->logged = 1;
	if (!log_access_enabled())
		return;		/* no address to format */
	n = c->linelen;
	/* An HTTP request is logged by its request line. */
	if (c->proto == CONN_HTTP && c->req != NULL && n > 0) {
		const char	*nl = memchr(c->req, '\n', n);

		if (nl != NULL)
			n = (size_t)(nl - c->req) + 1;
	}
	if (n > 0 && c->req[n - 1] == '\n')
		n--;
	if (n > 0 && c->req[n - 1] == '\r')
		n--;
	/* A rate-limited client is answered before its request is read. */
	log_access(conn_addr(c), conn_proto_name(c->proto),
	    c->req != NULL ? c->req : "", n,
	    c->status, c->off, mono_now() - c->start);
}

/* The response is no longer needed. */
static void
conn_drop_response(struct conn *c)
{
	buf_release(&c->head);
	buf_release(&c->out);
	rcache_unref(c->rc);
	c->rc = NULL;
	c->wdata = NULL;
}

static void
conn_free(struct conn *c)
{
	struct conn_pool	*pool = c->pool;

	conn_log(c);
	if (c->evwhat != 0)
		event_del(c->ev);
	conn_waiting(c, 0);
	if (c->counted)
		ratelimit_close(pool->env->rl, &c->peer.sa);
	TAILQ_REMOVE(&pool->conns, c, entry);
	tlsc_conn_free(c->tls);
	if (c->fd != -1)
		close(c->fd);
	free(c->req);
	conn_drop_response(c);
	free(c);
	pool->n--;
	atomic_fetch_sub(&pool->env->nconns, 1);
	if (TAILQ_EMPTY(&pool->conns) && pool->idle != NULL)
		pool->idle(pool->arg);
}

/* Half-close and drain what the peer still sends, then free. */
static void
conn_shut(struct conn *c)
{
	c->state = CONN_LINGER;
	c->deadline = mono_now() + CONN_LINGER_SECS;
	conn_waiting(c, 1);	/* done: the first to go at the cap */
	(void)shutdown(c->fd, SHUT_WR);
	conn_linger(c);
}

/*
 * The only teardown path, safe to call again.  "now" 0: send
 * close_notify (waiting for room if need be), half-close, drain, then
 * free, all bounded by CONN_LINGER_SECS.  "now" 1: one close_notify attempt
 * that does not wait, then free at once (errors, forced stops).
 */
static void
conn_close(struct conn *c, int now)
{
	/* The render thread still uses it: freed when it comes back. */
	if (c->state == CONN_RENDER) {
		c->orphan = 1;
		return;
	}
	conn_log(c);
	if (now) {
		if (c->tls != NULL && c->state != CONN_LINGER)
			(void)tlsc_close_notify(c->tls);
		conn_free(c);
		return;
	}
	if (c->state == CONN_NOTIFY || c->state == CONN_LINGER)
		return;
	conn_drop_response(c);
	if (c->tls != NULL) {
		c->state = CONN_NOTIFY;
		c->deadline = mono_now() + CONN_LINGER_SECS;
		conn_waiting(c, 1);
		conn_notify(c);
		return;
	}
	conn_shut(c);
}

static void
conn_notify(struct conn *c)
{
	switch (tlsc_close_notify(c->tls)) {
	case TLSC_WANT_WRITE:
		conn_wait(c, EV_WRITE, c->deadline);
		return;
	case TLSC_WANT_READ:
		conn_wait(c, EV_READ, c->deadline);
		return;
	case TLSC_ERROR:
		conn_free(c);
		return;
	default:
		conn_shut(c);
		return;
	}
}

/* Drop what the peer still sends until it closes or time runs out. */
static void
conn_linger(struct conn *c)
{
	char	 sink[4096];
	ssize_t	 n;
	int	 i;

	for (i = 0; i < 16; i++) {
		n = recv(c->fd, sink, sizeof(sink), 0);
		if (n > 0)
			continue;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			conn_wait(c, EV_READ, c->deadline);
			return;
		}
		break;
	}
	if (i == 16) {
		conn_wait(c, EV_READ, c->deadline);
		return;
	}
	conn_free(c);
}

/*
 * The response went out whole (with close_notify on TLS).  After a clean
 * exchange the socket is closed at once: the kernel sends what is still
 * queued, then FIN.  close() turns into a reset, which can destroy the
 * tail of the response in flight or in the client's buffers, only when
 * bytes the client sent are left unread; after a request line with
 * nothing behind it (all a Gopher or Gemini client sends) there are none,
 * and a half-close would only cost a system call, a wake-up and a read.
 * When more bytes came (an overlong request, something after the line
 * end) the client may still be sending: then half-close and drain them
 * for a while, so that it sees our FIN and no reset.
 */
static void
conn_done(struct conn *c)
{
	conn_log(c);
	conn_drop_response(c);
	if (c->keep) {
		conn_next(c);
		return;
	}
	if (c->clean) {
		conn_free(c);
		return;
	}
	conn_shut(c);
}

/* Bytes went out: the response made progress. */
static void
conn_progress(struct conn *c)
{
	c->deadline = mono_now() + c->timeout;
	if (c->deadline > c->write_until)
		c->deadline = c->write_until;
}

/* Did the TLS layer send anything since we last looked? */
static void
conn_tls_progress(struct conn *c)
{
	size_t	 sent;

	if (c->tls == NULL)
		return;
	sent = tlsc_conn_sent(c->tls);
	if (sent != c->tsent) {
		c->tsent = sent;
		conn_progress(c);
	}
}

static int
conn_cacheable(enum conn_proto proto, int status)
{
	if (proto == CONN_GEMINI)
		return status / 10 != 4;	/* temporary failures */
	if (proto == CONN_HTTP)
		return status < 500 && status != 429;
	return status != GOPHER_SERVER_ERROR && status != GOPHER_TEMPORARY;
}

/* Make the response in c->out (on the loop or on a render thread). */
static void
conn_make(struct conn *c, size_t len, const struct conf *conf,
    const struct store *store)
{
	if (c->proto == CONN_GEMINI) {
		c->status = gemini_respond(c->req, len, conf, store, &c->out);
		if (c->out.failed) {
			buf_release(&c->out);
			buf_init(&c->out);
			(void)gemini_header(&c->out, GEMINI_TEMPORARY_FAILURE,
			    "Out of memory");
			c->status = GEMINI_TEMPORARY_FAILURE;
		}
	} else if (c->proto == CONN_HTTP)
		c->status = http_respond(c->req, len, conf, store, &c->out);
	else
		c->status = gopher_respond(c->req, len, conf, store, &c->out);
}

static void	 conn_send(struct conn *, struct rcache_entry *);

/* On a render thread: only the request, the response and the status. */
static void
conn_render_run(struct render_job *job)
{
	struct conn_render	*r = (struct conn_render *)(void *)job;

	conn_make(r->c, r->len, r->conf, r->store);
}

/* Back on the loop: keep the response when still current, and send it. */
static void
conn_render_done(struct render_job *job)
{
	struct conn_render	*r = (struct conn_render *)(void *)job;
	struct conn		*c = r->c;
	struct conn_pool	*pool = c->pool;
	struct rcache_entry	*e = NULL;

	c->render = NULL;
	c->state = CONN_WRITE;
	if (!c->orphan && !c->out.failed && conn_cacheable(c->proto,
	    c->status) && pool->is_current(pool->arg, r->held))
		e = rcache_put(&pool->cache, (int)c->proto, r->key, r->klen,
		    r->hash, c->status, &c->out);
	pool->release(pool->arg, r->held);
	free(r);
	if (c->orphan) {
		conn_close(c, 1);
		return;
	}
	if (log_is_verbose())
		log_debug("%s: %s cache miss, made off the loop, %s",
		    conn_addr(c), conn_proto_name(c->proto),
		    e != NULL ? "kept" : "not kept");
	conn_send(c, e);
}

/*
 * Hand the response to a render thread; 0, or -1 (nothing changed) when
 * out of memory.
 */
static int
conn_render(struct conn *c, size_t len, const char *key, size_t klen,
    uint32_t h)
{
	struct conn_pool	*pool = c->pool;
	struct conn_render	*r;

	if ((r = malloc(sizeof(*r) + klen)) == NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	r->c = c;
	r->len = len;
	r->hash = h;
	r->klen = klen;
	memcpy(r->key, key, klen);
	r->held = pool->hold(pool->arg, &r->conf, &r->store);
	r->job.run = conn_render_run;
	r->job.done = conn_render_done;
	/* Nothing to read or write meanwhile. */
	if (c->evwhat != 0)
		event_del(c->ev);
	c->evwhat = 0;
	c->state = CONN_RENDER;
	c->render = r;
	render_submit(pool->render, &r->job);
	return 0;
}

/*
 * Answer the first "len" bytes of the request, from the cache when it
 * has them.  "clean": nothing came after them.
 */
static void
conn_respond(struct conn *c, size_t len, int clean)
{
	struct rcache		*cache = &c->pool->cache;
	const struct conf	*conf;
	const struct store	*store;
	struct rcache_entry	*e = NULL;
	char			 key[CONN_KEY_MAX];
	long			 klen = -1;
	uint32_t		 h = 0;
	int			 hit = 0;

	c->linelen = len;
	c->clean = clean != 0;
	c->responded = 1;
	conn_waiting(c, 0);	/* a whole request: no longer evicted */
	conf = conn_conf(c, &store);
	buf_init(&c->out);
	if (!c->limited) {
		if (c->proto == CONN_GEMINI)
			klen = gemini_cache_key(c->req, len, conf, key);
		else if (c->proto == CONN_HTTP)
			klen = http_cache_key(c->req, len, conf, key);
		else
			klen = gopher_cache_key(c->req, len, key);
		if (klen >= 0) {
			h = rcache_hash((int)c->proto, key, (size_t)klen);
			e = rcache_get(cache, (int)c->proto, key,
			    (size_t)klen, h);
		}
	}
	if (e != NULL) {
		c->status = e->status;
		hit = 1;
	} else if (c->limited) {
		if (c->proto == CONN_GEMINI) {
			(void)gemini_header(&c->out, GEMINI_SLOW_DOWN, "60");
			c->status = GEMINI_SLOW_DOWN;
		} else if (c->proto == CONN_HTTP)
			c->status = http_slow_down(conf, &c->out);
		else
			c->status = gopher_slow_down(conf, &c->out);
	} else if (klen >= 0 && c->pool->render != NULL &&
	    conn_render(c, len, key, (size_t)klen, h) == 0)
		return;		/* conn_render_done() goes on */
	else
		conn_make(c, len, conf, store);
	if (e == NULL && klen >= 0 && !c->out.failed &&
	    conn_cacheable(c->proto, c->status))
		e = rcache_put(cache, (int)c->proto, key, (size_t)klen, h,
		    c->status, &c->out);
	if (log_is_verbose())
		log_debug("%s: %s cache %s", conn_addr(c),
		    conn_proto_name(c->proto), hit ? "hit" : klen < 0 ?
		    "not used" : e != NULL ? "miss, kept" : "miss, not kept");
	conn_send(c, e);
}

/*
 * The per-request head of an HTTP response (status line, Date,
 * Connection), written before the tail from the cache or c->out.  The
 * connection is kept for another request only after a whole head, when
 * the server is not stopping and the client is under the rate limit,
 * and when the handler agrees.  -1: out of memory, the connection
 * closed.
 */
static int
conn_http_head(struct conn *c)
{
	int	 may_keep, k;

	may_keep = c->whole && !c->limited && !c->pool->stopping;
	buf_reset(&c->head);
	k = http_prelude(&c->head, c->req != NULL ? c->req : "", c->linelen,
	    c->status, time(NULL), may_keep);
	if (k == -1 || c->head.failed) {
		log_warnx("%s: out of memory for an http response",
		    conn_addr(c));
		conn_close(c, 1);
		return -1;
	}
	c->keep = k == 1;
	return 0;
}

/* Write the response: the cache entry "e" when not NULL, else c->out. */
static void
conn_send(struct conn *c, struct rcache_entry *e)
{
	if (c->out.failed && e == NULL) {
		log_warnx("%s: out of memory for a %s response", conn_addr(c),
		    conn_proto_name(c->proto));
		conn_close(c, 0);
		return;
	}
	if (e != NULL) {
		c->rc = rcache_ref(e);
		c->wdata = e->data;
		c->wlen = e->len;
	} else {
		c->wdata = c->out.data;
		c->wlen = c->out.len;
	}
	if (c->proto == CONN_HTTP && conn_http_head(c) == -1)
		return;
	c->state = CONN_WRITE;
	c->off = 0;
	c->write_until = mono_now() + CONN_WRITE_MAX;
	conn_progress(c);
	conn_write(c);
}

/*
 * The handshake or the request would wait: past the deadline, give up.
 * It is checked here, when the socket has nothing more, rather than when
 * the timer fires: a worker busy with other connections past a deadline
 * must still answer a request that had arrived in time.
 */
static int
conn_expired(struct conn *c)
{
	if (mono_now() < c->deadline)
		return 0;
	if (c->state == CONN_PROXY)
		conn_proxy_warn(c, c->reqlen == 0 ? "none came" :
		    "it did not end", c->timeout);
	else if (c->state == CONN_HANDSHAKE)
		log_debug("%s: no TLS handshake within %d s", conn_addr(c),
		    c->timeout);
	else if (c->kept && c->reqlen == 0)
		log_debug("%s: http connection idle for %d s after a "
		    "response: closed", conn_addr(c), c->timeout);
	else
		log_debug("%s: no complete %s request within %d s",
		    conn_addr(c), conn_proto_name(c->proto), c->timeout);
	conn_close(c, 0);
	return 1;
}

/*
 * Copy "n" bytes that came after the "reqlen" already kept, into the
 * request buffer made with the first bytes (which also holds a PROXY
 * header while it is read).  -1: out of memory, the connection closed.
 */
static int
conn_copy(struct conn *c, const char *p, size_t n)
{
	if (c->req == NULL &&
	    (c->req = malloc(conn_req_max(c) + 1)) == NULL) {
		log_warnx("%s: out of memory for a request", conn_addr(c));
		conn_close(c, 1);
		return -1;
	}
	memcpy(c->req + c->reqlen, p, n);
	return 0;
}

/*
 * The PROXY header, the handshake or the request cannot go on: "n" is
 * TLSC_WANT_READ or TLSC_WANT_WRITE (wait for the socket, until the
 * deadline) or TLSC_ERROR (the peer left or spoke nonsense: close).
 */
static void
conn_again(struct conn *c, ssize_t n)
{
	if (n == TLSC_WANT_READ || n == TLSC_WANT_WRITE) {
		if (!conn_expired(c))
			conn_wait(c, n == TLSC_WANT_WRITE ? EV_WRITE : EV_READ,
			    c->deadline);
		return;
	}
	if (c->tls != NULL && log_is_verbose())
		log_debug("%s: TLS %s", conn_addr(c), tlsc_conn_error(c->tls));
	conn_close(c, 0);
}

/*
 * Why a connection that had to begin with a PROXY header is closed: a
 * warning once a minute (a misconfigured balancer, or a client that
 * reached the port directly, would otherwise flood the log), debug
 * lines in between.  The address is the socket's, the balancer's.
 */
static void
conn_proxy_warn(struct conn *c, const char *why, int timeout)
{
	char	 when[32] = "";
	int	 n;

	if (timeout > 0) {
		n = snprintf(when, sizeof(when), " within %d s", timeout);
		if (n < 0 || (size_t)n >= sizeof(when))
			when[0] = '\0';		/* an int always fits */
	}
	if (log_is_due(&c->pool->env->warned_proxy))
		log_warnx("%s: %s connection closed: no valid PROXY protocol "
		    "header%s (%s); [%s] proxy_protocol is on (such closes are "
		    "logged once a minute, with -v all of them)", conn_addr(c),
		    conn_proto_name(c->proto), when, why,
		    conn_proto_name(c->proto));
	else
		log_debug("%s: %s connection closed: no valid PROXY protocol "
		    "header%s (%s)", conn_addr(c), conn_proto_name(c->proto),
		    when, why);
}

/*
 * The first step after the PROXY header.  Over the rate limit, a Gopher
 * client is answered at once, a Gemini one right after the handshake.
 */
static void
conn_begin(struct conn *c)
{
	conn_limited_deadline(c);
	if (c->proto == CONN_GEMINI) {
		c->state = CONN_HANDSHAKE;
		conn_handshake(c);
	} else if (c->limited)
		conn_respond(c, 0, 0);
	else {
		c->state = CONN_READ;
		conn_read(c);
	}
}

/*
 * Read the PROXY header and nothing more: what follows belongs to TLS or
 * to the Gopher request.  The bytes are looked at with MSG_PEEK, and
 * only the header's are taken; while it is incomplete, all that came is
 * header and is taken, so the socket never stays readable for nothing.
 * Then the client's address is the header's (unless it says LOCAL or
 * UNKNOWN), for the access log and the rate limit.
 */
static void
conn_proxy(struct conn *c)
{
	struct proxy_addr	 pa;
	const char		*why;
	char			 tmp[PROXY_HEADER_MAX];
	size_t			 take;
	ssize_t			 n;
	long			 r = 0;
	int			 i;

	for (i = 0; i < 8 && r == 0; i++) {
		n = recv(c->fd, tmp, PROXY_HEADER_MAX - c->reqlen, MSG_PEEK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			conn_again(c, TLSC_WANT_READ);
			return;
		}
		if (n == -1) {
			log_debug("%s: %s connection: %s before its PROXY "
			    "header", conn_addr(c), conn_proto_name(c->proto),
			    strerror(errno));
			conn_close(c, 1);
			return;
		}
		if (n == 0) {
			if (c->reqlen == 0)
				log_debug("%s: %s connection closed before its "
				    "PROXY header", conn_addr(c),
				    conn_proto_name(c->proto));
			else
				conn_proxy_warn(c, "the connection ended "
				    "within it", 0);
			conn_close(c, 0);
			return;
		}
		if (conn_copy(c, tmp, (size_t)n) == -1)
			return;
		if ((r = proxy_parse(c->req, c->reqlen + (size_t)n, &pa,
		    &why)) == -1) {
			conn_proxy_warn(c, why, 0);
			conn_close(c, 0);
			return;
		}
		take = r > 0 ? (size_t)r - c->reqlen : (size_t)n;
		if (recv(c->fd, tmp, take, 0) != (ssize_t)take) {
			log_debug("%s: %s connection: the PROXY header "
			    "could not be read", conn_addr(c),
			    conn_proto_name(c->proto));
			conn_close(c, 1);
			return;
		}
		c->reqlen += take;
	}
	if (r == 0) {
		conn_yield(c);
		return;
	}

	if (pa.len > 0) {
		memcpy(&c->peer, &pa.ss, pa.len);
		c->peerlen = pa.len;
		c->addr[0] = '\0';
	}
	c->reqlen = 0;
	if (conn_peer_open(c, conn_conf(c, NULL)) == -1) {
		conn_close(c, 1);
		return;
	}
	conn_limit(c, conn_conf(c, NULL));
	if (log_is_verbose())
		log_debug("%s: %s connection through a PROXY v%d header%s",
		    conn_addr(c), conn_proto_name(c->proto), pa.version,
		    pa.len > 0 ? "" : " (LOCAL or UNKNOWN: the socket's "
		    "address)");
	conn_begin(c);
}

static void
conn_handshake(struct conn *c)
{
	int	 n;

	if (c->tls == NULL &&
	    (c->tls = tlsc_conn_new(c->pool->env->tls, c->fd)) == NULL) {
		log_warnx("%s: out of memory for a TLS connection",
		    conn_addr(c));
		conn_close(c, 1);
		return;
	}
	switch ((n = tlsc_handshake(c->tls))) {
	case 0:
		if (log_is_verbose())
			log_debug("%s: %s%s", conn_addr(c),
			    tlsc_conn_version(c->tls),
			    tlsc_conn_resumed(c->tls) ? ", resumed" : "");
		if (c->limited) {
			/* Its request would change nothing: 44 now. */
			conn_respond(c, 0, 0);
			return;
		}
		c->state = CONN_READ;
		conn_read(c);
		return;
	default:
		conn_again(c, n);
		return;
	}
}

/*
 * Is the request in the buffer complete?  Its length, 0 when more bytes
 * are needed, -1 when it cannot be (answer what came).
 */
static long
conn_complete(struct conn *c)
{
	switch (c->proto) {
	case CONN_GEMINI:
		return gemini_request_complete(c->req, c->reqlen);
	case CONN_HTTP:
		return http_request_complete(c->req, c->reqlen);
	default:
		return gopher_request_complete(c->req, c->reqlen);
	}
}

/* Read what fits of the request; answer it once complete. */
static void
conn_read(struct conn *c)
{
	char	 tmp[CONN_HTTP_REQ_MAX];
	size_t	 room;
	ssize_t	 n;
	long	 r;
	int	 i;

	/* A pipelined request may be whole already (conn_next()). */
	if (c->pending) {
		c->pending = 0;
		if ((r = conn_complete(c)) != 0) {
			c->whole = r > 0;
			conn_respond(c, r > 0 ? (size_t)r : c->reqlen,
			    r > 0 && (size_t)r == c->reqlen);
			return;
		}
	}
	for (i = 0; i < 32; i++) {
		room = conn_req_max(c) - c->reqlen;
		if (room == 0) {
			/* Full without a line end: answer what came. */
			conn_respond(c, c->reqlen, 0);
			return;
		}
		n = c->read(c, tmp, room);
		if (n > 0) {
			if (conn_copy(c, tmp, (size_t)n) == -1)
				return;
			c->reqlen += (size_t)n;
			c->req[c->reqlen] = '\0';
			r = conn_complete(c);
			if (r > 0) {
				c->whole = 1;
				conn_respond(c, (size_t)r,
				    (size_t)r == c->reqlen);
				return;
			}
			if (r < 0) {
				conn_respond(c, c->reqlen, 0);
				return;
			}
			continue;
		}
		switch (n) {
		case 0:
			/*
			 * The client closed its side.  A Gopher selector
			 * without its line end is still answered; a
			 * Gemini request must end with CRLF.
			 */
			if (c->proto == CONN_GOPHER && c->reqlen > 0)
				conn_respond(c, c->reqlen, 1);
			else
				conn_close(c, 0);
			return;
		default:
			conn_again(c, n);
			return;
		}
	}
	/* Plenty read in one go: let the other connections have a turn. */
	conn_yield(c);
}

/*
 * Write what is left of the HTTP head and the tail in one system call,
 * the tail straight from the cache entry (HTTP is plain TCP only).
 * Without a head, the connection's own write.
 */
static ssize_t
conn_put(struct conn *c)
{
	struct iovec	 iov[2];
	struct msghdr	 msg;
	size_t		 hl = c->head.len;
	ssize_t		 n;
	int		 k = 0;

	if (hl == 0)
		return c->write(c, c->wdata + c->off, c->wlen - c->off);
	if (c->off < hl) {
		iov[k].iov_base = c->head.data + c->off;
		iov[k++].iov_len = hl - c->off;
		if (c->wlen > 0) {
			iov[k].iov_base = (void *)(uintptr_t)c->wdata;
			iov[k++].iov_len = c->wlen;
		}
	} else {
		iov[k].iov_base = (void *)(uintptr_t)(c->wdata + (c->off - hl));
		iov[k++].iov_len = c->wlen - (c->off - hl);
	}
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)k;
	while ((n = sendmsg(c->fd, &msg, MSG_NOSIGNAL)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ?
		    TLSC_WANT_WRITE : TLSC_ERROR;
	return n;
}

/*
 * HTTP keep-alive: the response went out whole and the connection stays
 * open.  The bytes that came after the request answered (the next ones
 * of a client that did not wait: pipelining) move to the front of the
 * buffer and are answered in order; the connection then reads again
 * with a fresh request deadline, which is also how long it may stay
 * idle, and a token of the rate limit.  Idle, it is one of those closed
 * to make room at the cap, at the stop and when a new generation comes
 * (conn_close_idle()).
 */
static void
conn_next(struct conn *c)
{
	size_t	 left = c->reqlen - c->linelen;

	if (left > 0)
		memmove(c->req, c->req + c->linelen, left);
	c->reqlen = left;
	if (c->req != NULL)
		c->req[left] = '\0';
	c->linelen = 0;
	c->status = 0;
	c->off = 0;
	c->wlen = 0;
	c->responded = 0;
	c->logged = 0;
	c->clean = 0;
	c->keep = 0;
	c->whole = 0;
	c->kept = 1;
	c->start = mono_now();
	c->deadline = c->start + c->timeout;
	c->state = CONN_READ;
	conn_waiting(c, 1);
	/*
	 * The rate limit counts requests: each on a kept connection takes
	 * its token as a new connection would, and the one over the limit
	 * is answered 429 (once read, as HTTP wants) and closed.
	 */
	conn_limit(c, conn_conf(c, NULL));
	if (left > 0) {
		c->pending = 1;
		conn_yield(c);
	} else
		conn_wait(c, EV_READ, c->deadline);
}

/*
 * Send the response.  Over TLS it is encrypted into the pending output,
 * and close_notify follows it there, so that a small response, its
 * session ticket and the alert leave in one segment.
 */
static void
conn_write(struct conn *c)
{
	ssize_t	 n;
	int	 i;

	for (i = 0; i < 64; i++) {
		if (c->off < c->head.len + c->wlen) {
			n = conn_put(c);
			if (n > 0) {
				c->off += (size_t)n;
				conn_progress(c);
				continue;
			}
		} else if (c->tls != NULL) {
			if ((n = tlsc_close_notify(c->tls)) == 0) {
				conn_done(c);
				return;
			}
		} else {
			conn_done(c);
			return;
		}
		switch (n) {
		case TLSC_WANT_WRITE:
			conn_tls_progress(c);
			conn_wait(c, EV_WRITE, c->deadline);
			return;
		case TLSC_WANT_READ:
			conn_tls_progress(c);
			conn_wait(c, EV_READ, c->deadline);
			return;
		default:
			/* The client went away: nothing more to send. */
			if (log_is_verbose())
				log_debug("%s: client left after %zu of %zu "
				    "bytes%s%s", conn_addr(c), c->off, c->wlen,
				    c->tls != NULL ? ": TLS " : "",
				    c->tls != NULL ? tlsc_conn_error(c->tls) :
				    "");
			conn_close(c, 1);
			return;
		}
	}
	/* A big response: yield to the other connections. */
	conn_tls_progress(c);
	conn_wait(c, EV_WRITE, c->deadline);
}

static void
conn_timeout(struct conn *c)
{
	switch (c->state) {
	case CONN_PROXY:
	case CONN_HANDSHAKE:
	case CONN_READ:
		/* What came meanwhile is still taken (conn_expired()). */
		conn_step(c);
		break;
	case CONN_RENDER:
		break;		/* no event meanwhile */
	case CONN_WRITE:
		log_debug("%s: response stalled after %zu of %zu bytes",
		    conn_addr(c), c->off, c->wlen);
		conn_close(c, 0);
		break;
	case CONN_NOTIFY:
	case CONN_LINGER:
		conn_free(c);
		break;
	}
}

static void
conn_step(struct conn *c)
{
	switch (c->state) {
	case CONN_PROXY:
		conn_proxy(c);
		break;
	case CONN_HANDSHAKE:
		conn_handshake(c);
		break;
	case CONN_READ:
		conn_read(c);
		break;
	case CONN_RENDER:
		break;		/* conn_render_done() goes on */
	case CONN_WRITE:
		conn_write(c);
		break;
	case CONN_NOTIFY:
		conn_notify(c);
		break;
	case CONN_LINGER:
		conn_linger(c);
		break;
	}
}

static void
conn_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	if ((what & (EV_READ | EV_WRITE)) == 0)
		conn_timeout(c);
	else
		conn_step(c);
}

/*
 * At the cap ("cap" connections open): close the oldest connection of
 * the pool that has no whole request yet (or is closing) to make room.
 * Returns -1 when there is none.  Only this worker's connections are
 * looked at: they are the ones it may touch, and the kernel spreads new
 * connections, hostile or not, evenly over the workers.
 */
static int
conn_evict(struct conn_pool *pool, int cap)
{
	struct conn_env	*env = pool->env;
	struct conn	*c;

	if ((c = TAILQ_FIRST(&pool->waiting)) == NULL) {
		if (log_is_due(&env->warned_cap))
			log_warnx("max_connections (%d) reached: closing new "
			    "connections until some end", cap);
		return -1;
	}
	if (log_is_due(&env->warned_evict))
		log_warnx("max_connections (%d) reached: closing the oldest "
		    "connections without a request to make room (logged once "
		    "a minute)", cap);
	else if (log_is_verbose())
		log_debug("%s: %s connection closed to make room at "
		    "max_connections", conn_addr(c), conn_proto_name(c->proto));
	conn_close(c, 1);
	return 0;
}

void
conn_accept(struct conn_pool *pool, int fd, enum conn_proto proto,
    const struct sockaddr *sa, socklen_t salen)
{
	struct conn_env		*env = pool->env;
	const struct conf	*conf;
	const struct store	*store;
	struct conn		*c;
	int			 cap, proxy;

	pool->gen(pool->arg, &conf, &store);
	cap = conf->max_connections;
	if (env->fd_cap > 0 && cap > env->fd_cap)
		cap = env->fd_cap;
	proxy = proto == CONN_GEMINI ? conf->gemini_proxy_protocol :
	    proto == CONN_HTTP ? conf->http_proxy_protocol :
	    conf->gopher_proxy_protocol;
	if ((c = calloc(1, sizeof(*c) + event_get_struct_event_size())) ==
	    NULL) {
		log_warn("accept");
		close(fd);
		return;
	}
	c->pool = pool;
	c->ev = (struct event *)(void *)c->evmem;
	c->fd = fd;
	c->proto = proto;
	if (salen > sizeof(c->peer))
		salen = sizeof(c->peer);
	memcpy(&c->peer, sa, salen);
	c->peerlen = salen;
	/* Behind a PROXY header, the client's address comes later. */
	if (!proxy && conn_peer_open(c, conf) == -1)
		goto refuse;
	if (atomic_fetch_add(&env->nconns, 1) >= cap &&
	    conn_evict(pool, cap) == -1) {
		atomic_fetch_sub(&env->nconns, 1);
		if (c->counted)
			ratelimit_close(env->rl, &c->peer.sa);
		goto refuse;
	}
	/* The one place that tells TLS from plain. */
	if (proto == CONN_GEMINI) {
		c->read = conn_tls_read;
		c->write = conn_tls_write;
	} else {
		c->read = conn_plain_read;
		c->write = conn_plain_write;
	}
	c->start = mono_now();
	c->timeout = conf->request_timeout > 0 ? conf->request_timeout : 10;
	c->deadline = c->start + c->timeout;
	buf_init(&c->head);
	buf_init(&c->out);
	TAILQ_INSERT_TAIL(&pool->conns, c, entry);
	conn_waiting(c, 1);
	pool->n++;

	if (proxy) {
		/* The client's address comes first: the limits wait for it. */
		c->state = CONN_PROXY;
		conn_proxy(c);
		return;
	}
	conn_limit(c, conf);
	conn_limited_deadline(c);
	if (c->proto == CONN_GEMINI) {
		/* The TLS state waits for the first bytes: idle costs little. */
		c->state = CONN_HANDSHAKE;
		conn_wait(c, EV_READ, c->deadline);
	} else if (c->limited) {
		/* Its request would change nothing: answer now. */
		conn_respond(c, 0, 0);
	} else {
		/* The request is often there already: no wait, no epoll. */
		c->state = CONN_READ;
		conn_read(c);
	}
	return;
 refuse:
	close(fd);
	free(c);
}

void
conn_close_waiting(struct conn_pool *pool)
{
	struct conn	*c, *next;

	/* From now on, no HTTP connection is kept for another request. */
	pool->stopping = 1;
	for (c = TAILQ_FIRST(&pool->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->state == CONN_PROXY || c->state == CONN_HANDSHAKE ||
		    (c->state == CONN_READ && c->reqlen == 0))
			conn_close(c, 0);
	}
}

void
conn_close_idle(struct conn_pool *pool)
{
	struct conn	*c, *next;

	for (c = TAILQ_FIRST(&pool->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->proto == CONN_HTTP && c->kept &&
		    c->state == CONN_READ && c->reqlen == 0)
			conn_close(c, 0);
	}
}

void
conn_close_all(struct conn_pool *pool)
{
	struct conn	*c, *next;

	/* Those being rendered stay until they come back (conn_close()). */
	for (c = TAILQ_FIRST(&pool->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		conn_close(c, 1);
	}
}
