/* griot: the network layer.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Listeners, connections, deadlines and limits on libevent, with one
 * event loop per worker thread; it moves bytes and hands each complete
 * request to gemini_respond() or gopher_respond().
 *
 * Threads.  The main thread owns the listening sockets, the signals, the
 * store watch and the per-address rate limit.  It accepts, applies the
 * connection cap and the rate limit, and hands each new connection to
 * the least busy worker (a locked queue and event_active()).  A worker
 * owns its connections from then on: the TLS handshake, the request, the
 * response and the close all run on its loop, never blocking it.  The
 * only shared state is the current generation (a struct conf and a store
 * snapshot, reference-counted, swapped under a lock on reload) and two
 * atomic counters.
 *
 * A connection.  An idle connection is a small struct and one event; the
 * TLS state is made when the first bytes arrive, the request buffer when
 * the first request bytes do, and the response lives only while it is
 * written.  Each state has a deadline: the handshake and the request must
 * arrive within request_timeout seconds of the accept; a response must
 * make progress every request_timeout seconds and end within
 * SERVER_WRITE_MAX.  Every close of an established TLS connection sends
 * close_notify, then the socket is half-closed and drained for at most
 * SERVER_LINGER seconds so that the last bytes are not lost to a reset.
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#ifdef HAVE_SYS_INOTIFY_H
#include <sys/inotify.h>
#endif

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "buf.h"
#include "config.h"
#include "gemini.h"
#include "gopher.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "tls.h"

#define SERVER_WORKERS_MAX	64
#define SERVER_GRACE		10	/* s for requests in flight at exit */
#define SERVER_WRITE_MAX	300	/* s for one whole response */
#define SERVER_LINGER		2	/* s to drain a closing socket */
#define SERVER_ACCEPT_BATCH	64	/* accepts per wake-up */
#define SERVER_ACCEPT_PAUSE	1	/* s without accepting when out of fds */
#define SERVER_DEBOUNCE_MS	200	/* quiet time before a store reload */
#define SERVER_DEBOUNCE_MAX	2	/* s: reload anyway under a stream */
#define SERVER_SCAN_SECS	30	/* store polling without inotify */
#define SERVER_RL_BUCKETS	4096
#define SERVER_RL_MAX		65536	/* addresses tracked at once */
#define SERVER_RL_PRUNE		60	/* s */
#define SERVER_WARN_EVERY	60	/* s between repeated warnings */

/* Both protocols' request limits, plus the line end. */
#define SERVER_REQ_MAX \
	((GEMINI_URL_MAX + 2) > (GOPHER_REQUEST_MAX + 2) ? \
	(GEMINI_URL_MAX + 2) : (GOPHER_REQUEST_MAX + 2))

enum server_proto {
	PROTO_GEMINI,
	PROTO_GOPHER
};

enum conn_state {
	CONN_HANDSHAKE,		/* TLS handshake (Gemini only) */
	CONN_READ,		/* waiting for the request line */
	CONN_WRITE,		/* sending the response */
	CONN_NOTIFY,		/* close_notify waits for room */
	CONN_LINGER		/* half-closed, draining what the peer sends */
};

/* A configuration shared by the generations made from it. */
struct gconf {
	atomic_int	 refs;
	struct conf	*conf;		/* owned */
};

/* What a request is answered with; reference-counted. */
struct gen {
	atomic_int	 refs;
	struct gconf	*gc;		/* one reference */
	struct store	*store;		/* one reference */
};

struct listener {
	struct server		*s;
	int			 fd;
	enum server_proto	 proto;
	struct event		*ev;
	char			 name[INET6_ADDRSTRLEN + 32];
};

struct conn;
TAILQ_HEAD(connq, conn);

struct worker {
	struct server		*s;
	pthread_t		 thread;
	int			 started;
	struct event_base	*base;
	struct event		*wake;		/* new connections queued */
	struct event		*stop;		/* the main thread says stop */
	struct event		*grace;		/* the end of SERVER_GRACE */
	pthread_mutex_t		 qlock;
	struct connq		 queue;		/* handed over, under qlock */
	struct connq		 conns;		/* this worker's */
	atomic_int		 nconns;	/* queued and owned */
	atomic_int		 force;		/* close everything now */
	int			 stopping;
};

/*
 * One client connection, owned by its worker once handed over.  The
 * request buffer is SERVER_REQ_MAX + 1 bytes, allocated with the first
 * request bytes; "out" holds the response while it is written.
 */
struct conn {
	TAILQ_ENTRY(conn)	 entry;
	struct worker		*w;
	struct event		*ev;
	struct tlsc_conn	*tls;
	int			 fd;
	enum server_proto	 proto;
	enum conn_state		 state;
	int			 limited;	/* over the rate limit */
	int			 responded;	/* "out" holds a response */
	int			 logged;
	int			 timeout;	/* request_timeout, s */
	int			 status;
	char			*req;
	size_t			 reqlen;
	size_t			 linelen;	/* the request as answered */
	struct buf		 out;
	size_t			 off;		/* bytes of "out" sent */
	double			 start;		/* monotonic s */
	double			 deadline;
	double			 write_until;
	char			 addr[INET6_ADDRSTRLEN];
};

struct rl_entry {
	struct rl_entry	*next;
	unsigned char	 key[9];	/* family; IPv4 address or IPv6 /64 */
	double		 tokens;
	double		 last;
};

struct server {
	pthread_mutex_t		 genlock;
	struct gen		*gen;		/* current; written by main only */
	struct tlsc_ctx		*tls;

	struct listener		*ls;
	size_t			 nls;

	struct worker		*workers;
	size_t			 nworkers;
	size_t			 next;		/* round-robin start */
	atomic_int		 running;	/* worker loops not yet ended */
	atomic_int		 nconns;	/* open connections, all workers */

	struct event_base	*base;		/* main thread */
	struct event		*sig_hup, *sig_term, *sig_int;
	struct event		*done;		/* the last worker ended */
	struct event		*resume;	/* accept again after EMFILE */
	struct event		*prune;
	const struct server_hooks *hooks;
	int			 stopping;
	time_t			 warned_cap;
	time_t			 warned_accept;
	time_t			 warned_rl;

	/* Per-address rate limit: main thread only. */
	struct rl_entry		*rl[SERVER_RL_BUCKETS];
	size_t			 nrl;

	/* The store watch. */
	int			 ifd;		/* inotify, or -1 */
	int			 wd_store, wd_pages;
	char			*watch_store, *watch_pages;
	struct event		*iev;
	struct event		*debounce;
	double			 first_change;	/* 0: none pending */
	struct event		*scan;
	uint64_t		 scan_sig;
};

static void	 conn_cb(evutil_socket_t, short, void *);
static void	 conn_close(struct conn *, int);
static void	 conn_linger(struct conn *);
static void	 conn_notify(struct conn *);
static void	 conn_read(struct conn *);
static void	 conn_write(struct conn *);

static double
server_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *
server_proto_name(enum server_proto p)
{
	return p == PROTO_GEMINI ? "gemini" : "gopher";
}

/* Route libevent's own complaints to our log. */
static void
server_evlog(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
}

/*
 * Generations.
 */

static struct gconf *
gconf_new(struct conf *conf)
{
	struct gconf	*gc;

	if ((gc = calloc(1, sizeof(*gc))) == NULL)
		return NULL;
	atomic_init(&gc->refs, 1);
	gc->conf = conf;
	return gc;
}

static struct gconf *
gconf_ref(struct gconf *gc)
{
	atomic_fetch_add(&gc->refs, 1);
	return gc;
}

static void
gconf_unref(struct gconf *gc)
{
	if (gc == NULL || atomic_fetch_sub(&gc->refs, 1) != 1)
		return;
	config_free(gc->conf);
	free(gc);
}

/* Takes over "gc" and "store" (one reference each), also on failure. */
static struct gen *
gen_new(struct gconf *gc, struct store *store)
{
	struct gen	*g;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		gconf_unref(gc);
		store_unref(store);
		return NULL;
	}
	atomic_init(&g->refs, 1);
	g->gc = gc;
	g->store = store;
	return g;
}

static void
gen_unref(struct gen *g)
{
	if (g == NULL || atomic_fetch_sub(&g->refs, 1) != 1)
		return;
	store_unref(g->store);
	gconf_unref(g->gc);
	free(g);
}

/* The current generation, held by the caller until gen_unref(). */
static struct gen *
server_gen_hold(struct server *s)
{
	struct gen	*g;

	pthread_mutex_lock(&s->genlock);
	g = s->gen;
	atomic_fetch_add(&g->refs, 1);
	pthread_mutex_unlock(&s->genlock);
	return g;
}

/* Main thread only: it is the only writer of s->gen. */
static const struct conf *
server_conf(const struct server *s)
{
	return s->gen->gc->conf;
}

static void
server_gen_swap(struct server *s, struct gen *g)
{
	struct gen	*old;

	pthread_mutex_lock(&s->genlock);
	old = s->gen;
	s->gen = g;
	pthread_mutex_unlock(&s->genlock);
	gen_unref(old);
}

/*
 * Connections (worker threads).
 */

/* Wait for "what" on the socket until "deadline" (a monotonic time). */
static void
conn_wait(struct conn *c, short what, double deadline)
{
	struct timeval	 tv;
	double		 left;

	left = deadline - server_now();
	if (left < 0)
		left = 0;
	tv.tv_sec = (time_t)left;
	tv.tv_usec = (suseconds_t)((left - (double)tv.tv_sec) * 1e6);
	event_del(c->ev);
	if (event_assign(c->ev, c->w->base, c->fd, what, conn_cb, c) == -1 ||
	    event_add(c->ev, &tv) == -1) {
		log_warnx("%s: cannot wait on a connection", c->addr);
		conn_close(c, 1);
	}
}

static void
worker_check_done(struct worker *w)
{
	int	 empty;

	if (!w->stopping || !TAILQ_EMPTY(&w->conns))
		return;
	pthread_mutex_lock(&w->qlock);
	empty = TAILQ_EMPTY(&w->queue);
	pthread_mutex_unlock(&w->qlock);
	if (empty)
		event_base_loopexit(w->base, NULL);
}

/* The one access-log line of a request, written once. */
static void
conn_log(struct conn *c)
{
	size_t	 n;

	if (c->logged || !c->responded)
		return;
	c->logged = 1;
	n = c->linelen;
	if (n > 0 && c->req[n - 1] == '\n')
		n--;
	if (n > 0 && c->req[n - 1] == '\r')
		n--;
	log_access(c->addr, server_proto_name(c->proto), c->req, n,
	    c->status, c->off, server_now() - c->start);
}

static void
conn_free(struct conn *c)
{
	struct worker	*w = c->w;
	struct server	*s = w->s;

	conn_log(c);
	if (c->ev != NULL)
		event_free(c->ev);
	TAILQ_REMOVE(&w->conns, c, entry);
	tlsc_conn_free(c->tls);
	if (c->fd != -1)
		close(c->fd);
	free(c->req);
	buf_release(&c->out);
	free(c);
	atomic_fetch_sub(&w->nconns, 1);
	atomic_fetch_sub(&s->nconns, 1);
	worker_check_done(w);
}

/*
 * The only teardown path, safe to call again.  "now" 0: send
 * close_notify (waiting for room if need be), half-close, drain, then
 * free, all bounded by SERVER_LINGER.  "now" 1: one close_notify attempt
 * that does not wait, then free at once (errors, forced stops).
 */
static void
conn_close(struct conn *c, int now)
{
	conn_log(c);
	if (now) {
		if (c->tls != NULL && c->state != CONN_LINGER)
			(void)tlsc_close_notify(c->tls);
		conn_free(c);
		return;
	}
	if (c->state == CONN_NOTIFY || c->state == CONN_LINGER)
		return;
	/* The response is no longer needed. */
	buf_release(&c->out);
	if (c->tls != NULL) {
		c->state = CONN_NOTIFY;
		c->deadline = server_now() + SERVER_LINGER;
		conn_notify(c);
		return;
	}
	c->state = CONN_LINGER;
	c->deadline = server_now() + SERVER_LINGER;
	(void)shutdown(c->fd, SHUT_WR);
	conn_linger(c);
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
	default:
		break;
	}
	c->state = CONN_LINGER;
	(void)shutdown(c->fd, SHUT_WR);
	conn_linger(c);
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

static void
conn_respond(struct conn *c, size_t len)
{
	struct server		*s = c->w->s;
	struct gen		*g;
	const struct conf	*conf;

	c->linelen = len;
	g = server_gen_hold(s);
	conf = g->gc->conf;
	buf_init(&c->out);
	if (c->proto == PROTO_GEMINI) {
		if (c->limited) {
			(void)gemini_header(&c->out, GEMINI_SLOW_DOWN, "60");
			c->status = GEMINI_SLOW_DOWN;
		} else
			c->status = gemini_respond(c->req, len, conf, g->store,
			    &c->out);
		if (c->out.failed) {
			buf_release(&c->out);
			buf_init(&c->out);
			(void)gemini_header(&c->out, GEMINI_TEMPORARY_FAILURE,
			    "Out of memory");
			c->status = GEMINI_TEMPORARY_FAILURE;
		}
	} else {
		if (c->limited)
			c->status = gopher_slow_down(conf, &c->out);
		else
			c->status = gopher_respond(c->req, len, conf, g->store,
			    &c->out);
	}
	gen_unref(g);
	c->responded = 1;
	if (c->out.failed) {
		log_warnx("%s: out of memory for a %s response", c->addr,
		    server_proto_name(c->proto));
		conn_close(c, 0);
		return;
	}
	c->state = CONN_WRITE;
	c->off = 0;
	c->write_until = server_now() + SERVER_WRITE_MAX;
	c->deadline = server_now() + c->timeout;
	conn_write(c);
}

static void
conn_handshake(struct conn *c)
{
	struct server	*s = c->w->s;

	if (c->tls == NULL && (c->tls = tlsc_conn_new(s->tls, c->fd)) == NULL) {
		log_warnx("%s: out of memory for a TLS connection", c->addr);
		conn_close(c, 1);
		return;
	}
	switch (tlsc_handshake(c->tls)) {
	case 0:
		log_debug("%s: %s%s", c->addr, tlsc_conn_version(c->tls),
		    tlsc_conn_resumed(c->tls) ? ", resumed" : "");
		c->state = CONN_READ;
		conn_read(c);
		return;
	case TLSC_WANT_READ:
		conn_wait(c, EV_READ, c->deadline);
		return;
	case TLSC_WANT_WRITE:
		conn_wait(c, EV_WRITE, c->deadline);
		return;
	default:
		log_debug("%s: TLS %s", c->addr, tlsc_conn_error(c->tls));
		conn_close(c, 0);
		return;
	}
}

/* Read what fits of the request; answer it once complete. */
static void
conn_read(struct conn *c)
{
	char	 tmp[SERVER_REQ_MAX];
	size_t	 room;
	ssize_t	 n;
	long	 r;
	int	 i;

	for (i = 0; i < 32; i++) {
		room = SERVER_REQ_MAX - c->reqlen;
		if (room == 0) {
			/* Full without a line end: answer what came. */
			conn_respond(c, c->reqlen);
			return;
		}
		if (c->proto == PROTO_GEMINI)
			n = tlsc_read(c->tls, tmp, room);
		else {
			n = recv(c->fd, tmp, room, 0);
			if (n == -1) {
				if (errno == EINTR)
					continue;
				n = (errno == EAGAIN || errno == EWOULDBLOCK) ?
				    TLSC_WANT_READ : TLSC_ERROR;
			}
		}
		if (n > 0) {
			if (c->req == NULL &&
			    (c->req = malloc(SERVER_REQ_MAX + 1)) == NULL) {
				log_warnx("%s: out of memory for a request",
				    c->addr);
				conn_close(c, 1);
				return;
			}
			memcpy(c->req + c->reqlen, tmp, (size_t)n);
			c->reqlen += (size_t)n;
			c->req[c->reqlen] = '\0';
			if (c->proto == PROTO_GEMINI)
				r = gemini_request_complete(c->req, c->reqlen);
			else
				r = gopher_request_complete(c->req, c->reqlen);
			if (r > 0) {
				conn_respond(c, (size_t)r);
				return;
			}
			if (r < 0) {
				conn_respond(c, c->reqlen);
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
			if (c->proto == PROTO_GOPHER && c->reqlen > 0)
				conn_respond(c, c->reqlen);
			else
				conn_close(c, 0);
			return;
		case TLSC_WANT_READ:
			conn_wait(c, EV_READ, c->deadline);
			return;
		case TLSC_WANT_WRITE:
			conn_wait(c, EV_WRITE, c->deadline);
			return;
		default:
			if (c->tls != NULL)
				log_debug("%s: TLS %s", c->addr,
				    tlsc_conn_error(c->tls));
			conn_close(c, 0);
			return;
		}
	}
	/* Plenty read in one go: let the other connections have a turn. */
	conn_wait(c, EV_READ, server_now());
}

static void
conn_write(struct conn *c)
{
	ssize_t	 n;
	size_t	 left;
	double	 now;
	int	 i;

	for (i = 0; i < 64 && c->off < c->out.len; i++) {
		left = c->out.len - c->off;
		if (c->proto == PROTO_GEMINI)
			n = tlsc_write(c->tls, c->out.data + c->off, left);
		else {
			n = send(c->fd, c->out.data + c->off, left,
			    MSG_NOSIGNAL);
			if (n == -1) {
				if (errno == EINTR)
					continue;
				n = (errno == EAGAIN || errno == EWOULDBLOCK) ?
				    TLSC_WANT_WRITE : TLSC_ERROR;
			}
		}
		if (n > 0) {
			c->off += (size_t)n;
			now = server_now();
			c->deadline = now + c->timeout;
			if (c->deadline > c->write_until)
				c->deadline = c->write_until;
			continue;
		}
		switch (n) {
		case TLSC_WANT_WRITE:
			conn_wait(c, EV_WRITE, c->deadline);
			return;
		case TLSC_WANT_READ:
			conn_wait(c, EV_READ, c->deadline);
			return;
		default:
			/* The client went away: nothing more to send. */
			log_debug("%s: client left after %zu of %zu bytes%s%s",
			    c->addr, c->off, c->out.len, c->tls != NULL ?
			    ": TLS " : "", c->tls != NULL ?
			    tlsc_conn_error(c->tls) : "");
			conn_close(c, 1);
			return;
		}
	}
	if (c->off < c->out.len) {
		/* A big response: yield to the other connections. */
		conn_wait(c, EV_WRITE, c->deadline);
		return;
	}
	conn_log(c);
	conn_close(c, 0);
}

static void
conn_timeout(struct conn *c)
{
	switch (c->state) {
	case CONN_HANDSHAKE:
		log_debug("%s: no TLS handshake within %d s", c->addr,
		    c->timeout);
		conn_close(c, 0);
		break;
	case CONN_READ:
		log_debug("%s: no complete %s request within %d s", c->addr,
		    server_proto_name(c->proto), c->timeout);
		conn_close(c, 0);
		break;
	case CONN_WRITE:
		log_debug("%s: response stalled after %zu of %zu bytes",
		    c->addr, c->off, c->out.len);
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
	case CONN_HANDSHAKE:
		conn_handshake(c);
		break;
	case CONN_READ:
		conn_read(c);
		break;
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

/* A connection just handed to this worker. */
static void
conn_start(struct conn *c)
{
	struct worker	*w = c->w;

	TAILQ_INSERT_TAIL(&w->conns, c, entry);
	if ((c->ev = event_new(w->base, c->fd, EV_READ, conn_cb, c)) ==
	    NULL) {
		log_warnx("%s: cannot make a connection event", c->addr);
		conn_close(c, 1);
		return;
	}
	c->deadline = c->start + c->timeout;
	/* The TLS state waits for the first bytes: idle costs little. */
	c->state = c->proto == PROTO_GEMINI ? CONN_HANDSHAKE : CONN_READ;
	if (w->stopping) {
		conn_close(c, 1);
		return;
	}
	conn_wait(c, EV_READ, c->deadline);
}

/*
 * Workers.
 */

static void
worker_wake_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	struct connq	 q;
	struct conn	*c;

	TAILQ_INIT(&q);
	pthread_mutex_lock(&w->qlock);
	while ((c = TAILQ_FIRST(&w->queue)) != NULL) {
		TAILQ_REMOVE(&w->queue, c, entry);
		TAILQ_INSERT_TAIL(&q, c, entry);
	}
	pthread_mutex_unlock(&w->qlock);
	while ((c = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, c, entry);
		conn_start(c);
	}
	worker_check_done(w);
}

static void
worker_close_all(struct worker *w)
{
	struct conn	*c;

	while ((c = TAILQ_FIRST(&w->conns)) != NULL)
		conn_close(c, 1);
}

static void
worker_grace_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	if (!TAILQ_EMPTY(&w->conns))
		log_warnx("closing %d connections still open after %d s",
		    atomic_load(&w->nconns), SERVER_GRACE);
	worker_close_all(w);
	worker_check_done(w);
}

/*
 * Stop: connections still waiting for their first request byte are
 * closed now; requests in flight get SERVER_GRACE seconds, or none after
 * a second signal.
 */
static void
worker_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	struct conn	*c, *next;
	struct timeval	 tv = { SERVER_GRACE, 0 };

	w->stopping = 1;
	worker_wake_cb(-1, 0, w);
	if (atomic_load(&w->force)) {
		worker_close_all(w);
		worker_check_done(w);
		return;
	}
	for (c = TAILQ_FIRST(&w->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->state == CONN_HANDSHAKE ||
		    (c->state == CONN_READ && c->reqlen == 0))
			conn_close(c, 0);
	}
	if (w->grace == NULL &&
	    (w->grace = evtimer_new(w->base, worker_grace_cb, w)) != NULL)
		evtimer_add(w->grace, &tv);
	worker_check_done(w);
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct server	*s = w->s;

	if (event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY) == -1)
		log_warnx("worker loop failed");
	worker_close_all(w);
	if (atomic_fetch_sub(&s->running, 1) == 1)
		event_active(s->done, EV_READ, 0);
	return NULL;
}

static int
worker_init(struct server *s, struct worker *w)
{
	w->s = s;
	TAILQ_INIT(&w->queue);
	TAILQ_INIT(&w->conns);
	atomic_init(&w->nconns, 0);
	atomic_init(&w->force, 0);
	if (pthread_mutex_init(&w->qlock, NULL) != 0) {
		log_warnx("worker: cannot make a lock");
		return -1;
	}
	if ((w->base = event_base_new()) == NULL ||
	    (w->wake = event_new(w->base, -1, 0, worker_wake_cb, w)) == NULL ||
	    (w->stop = event_new(w->base, -1, 0, worker_stop_cb, w)) == NULL) {
		log_warnx("worker: cannot make its event loop");
		return -1;
	}
	return 0;
}

static void
worker_fini(struct worker *w)
{
	struct conn	*c;

	/* Connections queued but never started (a failed start-up). */
	while ((c = TAILQ_FIRST(&w->queue)) != NULL) {
		TAILQ_REMOVE(&w->queue, c, entry);
		close(c->fd);
		free(c);
	}
	if (w->grace != NULL)
		event_free(w->grace);
	if (w->stop != NULL)
		event_free(w->stop);
	if (w->wake != NULL)
		event_free(w->wake);
	if (w->base != NULL) {
		event_base_free(w->base);
		pthread_mutex_destroy(&w->qlock);
	}
}

/*
 * Per-address rate limit (main thread): a token bucket per IPv4 address
 * or IPv6 /64 holding "rate_limit" tokens, refilled at rate_limit per
 * minute; each connection takes one.  Entries idle long enough to be
 * full again are pruned.  If SERVER_RL_MAX addresses are tracked at once,
 * new ones pass unchecked rather than being refused.
 */

static size_t
rl_hash(const unsigned char *key, size_t len)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= key[i];
		h *= 16777619u;
	}
	return h % SERVER_RL_BUCKETS;
}

/* 1 when the connection from "sa" is over the limit. */
static int
rl_check(struct server *s, const struct sockaddr *sa, int limit)
{
	unsigned char	 key[9];
	struct rl_entry	*e;
	size_t		 h;
	double		 now;
	time_t		 t;

	if (limit <= 0)
		return 0;
	memset(key, 0, sizeof(key));
	if (sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)(const void *)sa)
		    ->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, 8);
	} else
		return 0;
	now = server_now();
	h = rl_hash(key, sizeof(key));
	for (e = s->rl[h]; e != NULL; e = e->next)
		if (memcmp(e->key, key, sizeof(key)) == 0)
			break;
	if (e == NULL) {
		if (s->nrl >= SERVER_RL_MAX ||
		    (e = calloc(1, sizeof(*e))) == NULL) {
			t = time(NULL);
			if (t - s->warned_rl >= SERVER_WARN_EVERY) {
				s->warned_rl = t;
				log_warnx("rate limit: too many addresses "
				    "tracked; new ones pass unchecked");
			}
			return 0;
		}
		memcpy(e->key, key, sizeof(key));
		e->tokens = limit;
		e->last = now;
		e->next = s->rl[h];
		s->rl[h] = e;
		s->nrl++;
	}
	e->tokens += (now - e->last) * (double)limit / 60.0;
	if (e->tokens > limit)
		e->tokens = limit;
	e->last = now;
	if (e->tokens >= 1.0) {
		e->tokens -= 1.0;
		return 0;
	}
	return 1;
}

static void
rl_prune_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;
	struct rl_entry	**ep, *e;
	double		 now = server_now();
	size_t		 i;

	for (i = 0; i < SERVER_RL_BUCKETS; i++) {
		ep = &s->rl[i];
		while ((e = *ep) != NULL) {
			if (now - e->last >= 60.0) {
				*ep = e->next;
				free(e);
				s->nrl--;
			} else
				ep = &e->next;
		}
	}
}

static void
rl_purge(struct server *s)
{
	struct rl_entry	*e;
	size_t		 i;

	for (i = 0; i < SERVER_RL_BUCKETS; i++) {
		while ((e = s->rl[i]) != NULL) {
			s->rl[i] = e->next;
			free(e);
		}
	}
	s->nrl = 0;
}

/*
 * Accepting (main thread).
 */

static struct worker *
server_pick_worker(struct server *s)
{
	struct worker	*best = NULL;
	size_t		 i, k;
	int		 n, bestn = INT_MAX;

	for (k = 0; k < s->nworkers; k++) {
		i = (s->next + k) % s->nworkers;
		n = atomic_load(&s->workers[i].nconns);
		if (n < bestn) {
			bestn = n;
			best = &s->workers[i];
		}
	}
	s->next = (s->next + 1) % s->nworkers;
	return best;
}

static void
server_accept(struct server *s, struct listener *l, int fd,
    const struct sockaddr *sa, socklen_t salen)
{
	const struct conf	*conf = server_conf(s);
	struct worker		*w;
	struct conn		*c;
	time_t			 t;
	int			 one = 1;

	if (conf->max_connections > 0 &&
	    atomic_load(&s->nconns) >= conf->max_connections) {
		t = time(NULL);
		if (t - s->warned_cap >= SERVER_WARN_EVERY) {
			s->warned_cap = t;
			log_warnx("max_connections (%d) reached: closing new "
			    "connections until some end",
			    conf->max_connections);
		}
		close(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("accept");
		close(fd);
		return;
	}
	c->fd = fd;
	c->proto = l->proto;
	c->start = server_now();
	c->timeout = conf->request_timeout > 0 ? conf->request_timeout : 10;
	buf_init(&c->out);
	if (getnameinfo(sa, salen, c->addr, sizeof(c->addr), NULL, 0,
	    NI_NUMERICHOST) != 0)
		(void)snprintf(c->addr, sizeof(c->addr), "?");
	c->limited = rl_check(s, sa, conf->rate_limit);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

	atomic_fetch_add(&s->nconns, 1);
	w = server_pick_worker(s);
	c->w = w;
	atomic_fetch_add(&w->nconns, 1);
	pthread_mutex_lock(&w->qlock);
	TAILQ_INSERT_TAIL(&w->queue, c, entry);
	pthread_mutex_unlock(&w->qlock);
	event_active(w->wake, EV_READ, 0);
}

static void
server_listeners_enable(struct server *s, int on)
{
	size_t	 i;

	for (i = 0; i < s->nls; i++) {
		if (s->ls[i].ev == NULL)
			continue;
		if (on)
			event_add(s->ls[i].ev, NULL);
		else
			event_del(s->ls[i].ev);
	}
}

static void
server_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;

	if (!s->stopping)
		server_listeners_enable(s, 1);
}

static void
server_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct listener		*l = arg;
	struct server		*s = l->s;
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { SERVER_ACCEPT_PAUSE, 0 };
	socklen_t		 len;
	time_t			 t;
	int			 fd, i;

	for (i = 0; i < SERVER_ACCEPT_BATCH; i++) {
		len = sizeof(ss);
		fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			server_accept(s, l, fd, (struct sockaddr *)&ss, len);
			continue;
		}
		switch (errno) {
		case EAGAIN:
#if EWOULDBLOCK != EAGAIN
		case EWOULDBLOCK:
#endif
			return;
		case EINTR:
		case ECONNABORTED:
		case EPROTO:
			continue;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			/* Out of descriptors: pause rather than spin. */
			t = time(NULL);
			if (t - s->warned_accept >= SERVER_WARN_EVERY) {
				s->warned_accept = t;
				log_warn("accept on %s (pausing %d s)",
				    l->name, SERVER_ACCEPT_PAUSE);
			}
			server_listeners_enable(s, 0);
			evtimer_add(s->resume, &tv);
			return;
		default:
			log_warn("accept on %s", l->name);
			return;
		}
	}
}

/*
 * Listening sockets (server_new, before privileges are dropped).
 */

static int
server_bind(struct server *s, const char *addr, int port,
    enum server_proto proto)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	struct listener	*l, *ls;
	char		 host[256], portstr[16], name[INET6_ADDRSTRLEN];
	const char	*node;
	size_t		 len;
	int		 fd, one = 1, e, wildcard, bound = 0, rv = -1;

	wildcard = strcmp(addr, "*") == 0 || *addr == '\0';
	node = NULL;
	if (!wildcard) {
		len = strlen(addr);
		if (addr[0] == '[' && len > 2 && addr[len - 1] == ']') {
			addr++;
			len -= 2;
		}
		if (len >= sizeof(host)) {
			log_warnx("listen address too long: %s", addr);
			return -1;
		}
		memcpy(host, addr, len);
		host[len] = '\0';
		node = host;
	}
	(void)snprintf(portstr, sizeof(portstr), "%d", port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((e = getaddrinfo(node, portstr, &hints, &res)) != 0) {
		log_warnx("listen address %s: %s", wildcard ? "*" : addr,
		    gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, name,
		    sizeof(name), NULL, 0, NI_NUMERICHOST) != 0)
			(void)snprintf(name, sizeof(name), "?");
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			if (wildcard && errno == EAFNOSUPPORT)
				continue;	/* no IPv6 on this host */
			log_warn("socket for %s port %d", name, port);
			goto done;
		}
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one)) == -1 ||
		    (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
		    IPV6_V6ONLY, &one, sizeof(one)) == -1)) {
			log_warn("socket options for %s port %d", name, port);
			close(fd);
			goto done;
		}
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			if (wildcard && ai->ai_family == AF_INET6 &&
			    errno == EADDRNOTAVAIL) {
				close(fd);
				continue;
			}
			log_warn("cannot listen on %s port %d (%s)", name,
			    port, server_proto_name(proto));
			close(fd);
			goto done;
		}
		if (listen(fd, SOMAXCONN) == -1) {
			log_warn("listen on %s port %d", name, port);
			close(fd);
			goto done;
		}
		if ((ls = reallocarray(s->ls, s->nls + 1, sizeof(*ls))) ==
		    NULL) {
			log_warn("listen");
			close(fd);
			goto done;
		}
		s->ls = ls;
		l = &s->ls[s->nls++];
		memset(l, 0, sizeof(*l));
		l->s = s;
		l->fd = fd;
		l->proto = proto;
		(void)snprintf(l->name, sizeof(l->name), "%s port %d", name,
		    port);
		bound++;
	}
	if (bound == 0) {
		log_warnx("listen address %s: nothing to bind",
		    wildcard ? "*" : addr);
		goto done;
	}
	rv = 0;
 done:
	freeaddrinfo(res);
	return rv;
}

static int
server_bind_all(struct server *s, const struct conf *conf)
{
	size_t	 i;

	if (conf->gemini_enabled) {
		for (i = 0; i < conf->gemini_listen.naddrs; i++)
			if (server_bind(s, conf->gemini_listen.addrs[i],
			    conf->gemini_port, PROTO_GEMINI) == -1)
				return -1;
		if (conf->gemini_listen.naddrs == 0 &&
		    server_bind(s, "*", conf->gemini_port, PROTO_GEMINI) == -1)
			return -1;
	}
	if (conf->gopher_enabled) {
		for (i = 0; i < conf->gopher_listen.naddrs; i++)
			if (server_bind(s, conf->gopher_listen.addrs[i],
			    conf->gopher_port, PROTO_GOPHER) == -1)
				return -1;
		if (conf->gopher_listen.naddrs == 0 &&
		    server_bind(s, "*", conf->gopher_port, PROTO_GOPHER) == -1)
			return -1;
	}
	if (s->nls == 0) {
		log_warnx("nothing to serve: [gemini] and [gopher] are both "
		    "disabled");
		return -1;
	}
	return 0;
}

/* Many idle clients need many descriptors: take all we may. */
static void
server_raise_nofile(const struct conf *conf)
{
	struct rlimit	 rl;
	rlim_t		 want;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("getrlimit");
		return;
	}
	if (rl.rlim_cur < rl.rlim_max) {
		want = rl.rlim_max;
		if (want == RLIM_INFINITY || want > 1048576)
			want = 1048576;
		if (want > rl.rlim_cur) {
			rl.rlim_cur = want;
			if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
				log_warn("setrlimit RLIMIT_NOFILE");
		}
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)conf->max_connections + 64 > rl.rlim_cur)
		log_warnx("[server] max_connections %d is near the open file "
		    "limit %llu: raise it (ulimit -n, LimitNOFILE=)",
		    conf->max_connections, (unsigned long long)rl.rlim_cur);
}

/*
 * Reload and the store watch (main thread).
 */

static int
server_str_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

#ifdef HAVE_SYS_INOTIFY_H
#define SERVER_WATCH_MASK \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
	IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

static void
server_watch_add(struct server *s)
{
	if (s->ifd == -1)
		return;
	if (s->wd_store == -1 && s->watch_store != NULL &&
	    (s->wd_store = inotify_add_watch(s->ifd, s->watch_store,
	    SERVER_WATCH_MASK)) == -1)
		log_warn("watching %s for changes", s->watch_store);
	if (s->wd_pages == -1 && s->watch_pages != NULL &&
	    (s->wd_pages = inotify_add_watch(s->ifd, s->watch_pages,
	    SERVER_WATCH_MASK)) == -1 && errno != ENOENT)
		log_warn("watching %s for changes", s->watch_pages);
}
#endif

/* Remember which folders to watch; re-aim the watch when they moved. */
static int
server_watch_set(struct server *s, const struct conf *conf)
{
	char	*st = NULL, *pg = NULL;

	if (!server_str_differ(s->watch_store, conf->store) &&
	    !server_str_differ(s->watch_pages, conf->pages))
		return 0;
	if ((conf->store != NULL && (st = strdup(conf->store)) == NULL) ||
	    (conf->pages != NULL && (pg = strdup(conf->pages)) == NULL)) {
		log_warn("store watch");
		free(st);
		return -1;
	}
#ifdef HAVE_SYS_INOTIFY_H
	if (s->ifd != -1) {
		if (s->wd_store != -1)
			(void)inotify_rm_watch(s->ifd, s->wd_store);
		if (s->wd_pages != -1 && s->wd_pages != s->wd_store)
			(void)inotify_rm_watch(s->ifd, s->wd_pages);
	}
#endif
	s->wd_store = s->wd_pages = -1;
	free(s->watch_store);
	free(s->watch_pages);
	s->watch_store = st;
	s->watch_pages = pg;
#ifdef HAVE_SYS_INOTIFY_H
	server_watch_add(s);
#endif
	return 0;
}

/* Which names can change what is served: articles and pages. */
static int
server_name_matters(const char *name)
{
	size_t	 len = strlen(name);

	if (len == 0 || name[0] == '.')
		return 0;
	return (len > 4 && strcmp(name + len - 4, ".txt") == 0) ||
	    (len > 4 && strcmp(name + len - 4, ".gmi") == 0);
}

static void
server_reload(struct server *s, int store_only)
{
	const struct conf	*cur = server_conf(s);
	struct conf		*conf = NULL;
	struct store		*store = NULL;
	struct gconf		*gc;
	struct gen		*g;

	if (s->hooks == NULL || s->hooks->reload == NULL) {
		log_warnx("reload: not possible here");
		return;
	}
	if (s->hooks->reload(s->hooks->arg, cur, store_only, &conf,
	    &store) == -1) {
		log_warnx("reload failed: still serving the previous %s",
		    store_only ? "store" : "configuration and store");
		return;
	}
	if (store == NULL)
		store = store_ref(s->gen->store);
	if (conf == NULL || conf == cur)
		gc = gconf_ref(s->gen->gc);
	else {
		/* main.c already kept what only a restart changes. */
		if ((gc = gconf_new(conf)) == NULL) {
			log_warn("reload");
			config_free(conf);
			store_unref(store);
			return;
		}
	}
	if ((g = gen_new(gc, store)) == NULL) {
		log_warn("reload");
		return;
	}
	server_gen_swap(s, g);
	(void)server_watch_set(s, server_conf(s));
	/* main.c's hook logs the "reloaded:" line with the counts. */
	log_debug("new generation: %zu articles, %zu pages (%s)",
	    store_count(g->store), store_npages(g->store),
	    store_only ? "the store changed" : "configuration and store");
}

static void
server_hup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server	*s = arg;

	if (s->stopping)
		return;
	log_info("SIGHUP: reloading the configuration and the store");
	server_reload(s, 0);
}

static void
server_debounce_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;

	s->first_change = 0;
	if (s->stopping)
		return;
	server_reload(s, 1);
#ifdef HAVE_SYS_INOTIFY_H
	/* A folder replaced as a whole is watched again. */
	server_watch_add(s);
#endif
}

static void
server_changed(struct server *s)
{
	struct timeval	 tv = { 0, SERVER_DEBOUNCE_MS * 1000 };
	double		 now = server_now();

	if (s->first_change == 0)
		s->first_change = now;
	else if (now - s->first_change >= SERVER_DEBOUNCE_MAX)
		return;		/* let the pending reload happen */
	evtimer_add(s->debounce, &tv);
}

#ifdef HAVE_SYS_INOTIFY_H
static void
server_inotify_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server			*s = arg;
	union {
		struct inotify_event	 ev;
		char			 bytes[4096];
	}				 u;
	const struct inotify_event	*ie;
	ssize_t				 n;
	size_t				 off;
	int				 matters = 0, i;

	for (i = 0; i < 64; i++) {
		n = read(fd, u.bytes, sizeof(u.bytes));
		if (n <= 0)
			break;
		for (off = 0; off + sizeof(*ie) <= (size_t)n;
		    off += sizeof(*ie) + ie->len) {
			ie = (const struct inotify_event *)(const void *)
			    (u.bytes + off);
			if (ie->mask & (IN_IGNORED | IN_DELETE_SELF |
			    IN_MOVE_SELF)) {
				if (ie->wd == s->wd_store)
					s->wd_store = -1;
				if (ie->wd == s->wd_pages)
					s->wd_pages = -1;
				matters = 1;
			} else if (ie->mask & IN_Q_OVERFLOW)
				matters = 1;
			else if (ie->len > 0 && server_name_matters(ie->name))
				matters = 1;
		}
	}
	if (matters)
		server_changed(s);
}
#endif

/* A cheap signature of the served files: names, sizes, times. */
static uint64_t
server_dir_sig(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		 path[PATH_MAX];
	uint64_t	 sum = 0, h;
	const unsigned char *p;
	int		 n;

	if (dir == NULL || (d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!server_name_matters(de->d_name))
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(path) ||
		    stat(path, &st) == -1)
			continue;
		h = 1469598103934665603ULL;
		for (p = (const unsigned char *)de->d_name; *p != '\0'; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h ^= (uint64_t)st.st_size * 31 + (uint64_t)st.st_mtim.tv_sec *
		    1000003 + (uint64_t)st.st_mtim.tv_nsec +
		    (uint64_t)st.st_ino * 7;
		h *= 1099511628211ULL;
		sum += h;	/* order-independent */
	}
	closedir(d);
	return sum;
}

static uint64_t
server_store_sig(const struct server *s)
{
	return server_dir_sig(s->watch_store) * 3 +
	    server_dir_sig(s->watch_pages);
}

static void
server_scan_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;
	uint64_t	 sig;

	if (s->stopping)
		return;
	sig = server_store_sig(s);
	if (sig != s->scan_sig) {
		s->scan_sig = sig;
		server_reload(s, 1);
	}
}

/*
 * Stopping (main thread).
 */

static void
server_stop(struct server *s, int force)
{
	size_t	 i;

	if (!s->stopping) {
		s->stopping = 1;
		log_info("stopping: %d connections open, %d s to finish",
		    atomic_load(&s->nconns), SERVER_GRACE);
		for (i = 0; i < s->nls; i++) {
			if (s->ls[i].ev != NULL) {
				event_free(s->ls[i].ev);
				s->ls[i].ev = NULL;
			}
			if (s->ls[i].fd != -1) {
				close(s->ls[i].fd);
				s->ls[i].fd = -1;
			}
		}
		if (s->iev != NULL)
			event_del(s->iev);
		if (s->scan != NULL)
			event_del(s->scan);
		if (s->debounce != NULL)
			event_del(s->debounce);
	} else if (force)
		log_info("stopping now");
	for (i = 0; i < s->nworkers; i++) {
		if (s->workers[i].stop == NULL)
			continue;
		if (force)
			atomic_store(&s->workers[i].force, 1);
		event_active(s->workers[i].stop, EV_READ, 0);
	}
}

static void
server_term_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server	*s = arg;

	/* A second signal does not wait for the requests in flight. */
	server_stop(s, s->stopping);
}

static void
server_done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;

	event_base_loopbreak(s->base);
}

/*
 * The public face.
 */

struct server *
server_new(struct conf *conf, struct store *store)
{
	struct server	*s;
	struct gconf	*gc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("server");
		config_free(conf);
		store_unref(store);
		return NULL;
	}
	s->ifd = -1;
	s->wd_store = s->wd_pages = -1;
	atomic_init(&s->running, 0);
	atomic_init(&s->nconns, 0);
	if (pthread_mutex_init(&s->genlock, NULL) != 0) {
		log_warnx("server: cannot make a lock");
		free(s);
		config_free(conf);
		store_unref(store);
		return NULL;
	}
	if ((gc = gconf_new(conf)) == NULL) {
		log_warn("server");
		config_free(conf);
		store_unref(store);
		goto fail;
	}
	if ((s->gen = gen_new(gc, store)) == NULL) {
		log_warn("server");
		goto fail;
	}

	/* A client that leaves mid-response must not kill us. */
	(void)signal(SIGPIPE, SIG_IGN);
	server_raise_nofile(conf);

	if (conf->gemini_enabled && (s->tls = tlsc_ctx_new(conf)) == NULL)
		goto fail;
	if (server_bind_all(s, conf) == -1)
		goto fail;

	/*
	 * The watch is made now, before a chroot could hide the folders;
	 * inotify keeps watching them afterwards.
	 */
#ifdef HAVE_SYS_INOTIFY_H
	if ((s->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		log_warn("inotify: polling the store every %d s instead",
		    SERVER_SCAN_SECS);
#endif
	if (server_watch_set(s, conf) == -1)
		goto fail;
	return s;
 fail:
	server_free(s);
	return NULL;
}

int
server_run(struct server *s, const struct server_hooks *hooks)
{
	const struct conf	*conf = server_conf(s);
	struct timeval		 prune = { SERVER_RL_PRUNE, 0 };
	struct timeval		 scan = { SERVER_SCAN_SECS, 0 };
	sigset_t		 all, old;
	size_t			 i, n;
	long			 ncpu;
	int			 rv = -1;

	s->hooks = hooks;
	event_set_log_callback(server_evlog);
	if (evthread_use_pthreads() == -1) {
		log_warnx("libevent: no thread support");
		return -1;
	}
	if ((s->base = event_base_new()) == NULL) {
		log_warnx("libevent: cannot make the main loop");
		return -1;
	}

	n = conf->workers > 0 ? (size_t)conf->workers : 0;
	if (n == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		n = ncpu > 0 ? (size_t)ncpu : 1;
	}
	if (n > SERVER_WORKERS_MAX)
		n = SERVER_WORKERS_MAX;
	if ((s->workers = calloc(n, sizeof(*s->workers))) == NULL) {
		log_warn("workers");
		goto done;
	}
	s->nworkers = n;
	for (i = 0; i < n; i++)
		if (worker_init(s, &s->workers[i]) == -1)
			goto done;

	if ((s->done = event_new(s->base, -1, 0, server_done_cb, s)) == NULL ||
	    (s->resume = evtimer_new(s->base, server_resume_cb, s)) == NULL ||
	    (s->prune = event_new(s->base, -1, EV_PERSIST, rl_prune_cb, s)) ==
	    NULL ||
	    (s->debounce = evtimer_new(s->base, server_debounce_cb, s)) ==
	    NULL ||
	    (s->sig_hup = evsignal_new(s->base, SIGHUP, server_hup_cb, s)) ==
	    NULL ||
	    (s->sig_term = evsignal_new(s->base, SIGTERM, server_term_cb,
	    s)) == NULL ||
	    (s->sig_int = evsignal_new(s->base, SIGINT, server_term_cb, s)) ==
	    NULL ||
	    event_add(s->sig_hup, NULL) == -1 ||
	    event_add(s->sig_term, NULL) == -1 ||
	    event_add(s->sig_int, NULL) == -1 ||
	    event_add(s->prune, &prune) == -1) {
		log_warnx("libevent: cannot set up the main loop");
		goto done;
	}

#ifdef HAVE_SYS_INOTIFY_H
	if (s->ifd != -1) {
		if ((s->iev = event_new(s->base, s->ifd, EV_READ | EV_PERSIST,
		    server_inotify_cb, s)) == NULL ||
		    event_add(s->iev, NULL) == -1) {
			log_warnx("libevent: cannot watch the store");
			goto done;
		}
	}
#endif
	if (s->iev == NULL) {
		s->scan_sig = server_store_sig(s);
		if ((s->scan = event_new(s->base, -1, EV_PERSIST,
		    server_scan_cb, s)) == NULL ||
		    event_add(s->scan, &scan) == -1) {
			log_warnx("libevent: cannot poll the store");
			goto done;
		}
	}

	/* Workers must not take the process signals: block them there. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < n; i++) {
		atomic_fetch_add(&s->running, 1);
		if (pthread_create(&s->workers[i].thread, NULL, worker_main,
		    &s->workers[i]) != 0) {
			atomic_fetch_sub(&s->running, 1);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			log_warnx("cannot start worker thread %zu", i);
			goto done;
		}
		s->workers[i].started = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	for (i = 0; i < s->nls; i++) {
		struct listener	*l = &s->ls[i];

		if ((l->ev = event_new(s->base, l->fd, EV_READ | EV_PERSIST,
		    server_accept_cb, l)) == NULL ||
		    event_add(l->ev, NULL) == -1) {
			log_warnx("libevent: cannot listen on %s", l->name);
			goto done;
		}
		log_info("listening on %s (%s)", l->name,
		    server_proto_name(l->proto));
	}
	log_info("serving %zu articles with %zu worker%s, at most %d "
	    "connections", store_count(s->gen->store), n, n == 1 ? "" : "s",
	    conf->max_connections);

	if (event_base_loop(s->base, EVLOOP_NO_EXIT_ON_EMPTY) == -1) {
		log_warnx("main loop failed");
		goto done;
	}
	rv = 0;
 done:
	if (!s->stopping)
		server_stop(s, 1);
	for (i = 0; i < s->nworkers; i++) {
		if (s->workers[i].started) {
			pthread_join(s->workers[i].thread, NULL);
			s->workers[i].started = 0;
		}
	}
	if (rv == 0)
		log_info("stopped");
	return rv;
}

void
server_free(struct server *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nworkers; i++) {
		if (s->workers[i].started)
			pthread_join(s->workers[i].thread, NULL);
		worker_fini(&s->workers[i]);
	}
	free(s->workers);
	for (i = 0; i < s->nls; i++) {
		if (s->ls[i].ev != NULL)
			event_free(s->ls[i].ev);
		if (s->ls[i].fd != -1)
			close(s->ls[i].fd);
	}
	free(s->ls);
	if (s->iev != NULL)
		event_free(s->iev);
	if (s->scan != NULL)
		event_free(s->scan);
	if (s->debounce != NULL)
		event_free(s->debounce);
	if (s->prune != NULL)
		event_free(s->prune);
	if (s->resume != NULL)
		event_free(s->resume);
	if (s->done != NULL)
		event_free(s->done);
	if (s->sig_hup != NULL)
		event_free(s->sig_hup);
	if (s->sig_term != NULL)
		event_free(s->sig_term);
	if (s->sig_int != NULL)
		event_free(s->sig_int);
	if (s->base != NULL)
		event_base_free(s->base);
	if (s->ifd != -1)
		close(s->ifd);
	free(s->watch_store);
	free(s->watch_pages);
	rl_purge(s);
	gen_unref(s->gen);
	tlsc_ctx_free(s->tls);
	pthread_mutex_destroy(&s->genlock);
	free(s);
}
