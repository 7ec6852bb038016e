/* griot: the network layer.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Listeners, connections, deadlines, limits and the response cache on
 * libevent, with one event loop per worker thread; it moves bytes and
 * hands each complete request to gemini_respond() or gopher_respond().
 *
 * Threads.  The main thread owns the signals, the store watch and the
 * reloads.  Each worker accepts on its own listening sockets: every
 * address is bound once per worker with SO_REUSEPORT (in server_new(),
 * before privileges are dropped), and the kernel spreads new connections
 * over them, so a connection is accepted, read, answered and closed on
 * one thread with no hand-over.  A worker owns its connections: the TLS
 * handshake, the request, the response and the close all run on its loop,
 * never blocking it.  Shared between threads: the current generation (a
 * struct conf and a store snapshot, reference-counted, swapped under a
 * lock on reload; a worker keeps its own reference and takes the lock
 * only when the generation's serial number changed), the connection count
 * (an atomic counter checked against max_connections at each accept), and
 * the per-address rate limit (one table under a mutex, taken once per
 * accepted connection when rate_limit is on, so that the limit holds per
 * address whichever worker the kernel picked), and the TLS session
 * cache (in the one TLS context, locked by OpenSSL).
 *
 * The response cache.  The handlers are pure functions of the request
 * bytes, the conf and the store snapshot, so a response can be kept and
 * sent again for the same bytes in the same generation.  Each worker has
 * its own cache (no lock), emptied when the worker moves to a new
 * generation (SIGHUP, or a store change): a response is never served from
 * another generation than the one it was made from.  The key is the
 * protocol and the request's cache key, which the protocol module makes
 * (gemini_cache_key(), gopher_cache_key()) from what its answer depends
 * on, so that bytes the handler ignores (search words after a Gopher
 * selector that is no search, a query on a Gemini page) neither make the
 * answer again nor take room; the value is the whole response.  Least
 * recently used entries go first when the worker's share of
 * SERVER_CACHE_BYTES or SERVER_CACHE_ENTRIES is reached; responses over
 * SERVER_CACHE_ITEM_MAX, temporary failures (4x, out of memory), refused
 * requests (no cache key) and rate-limit answers are not kept.  A connection
 * writes straight from the entry, holding a reference to it.
 *
 * A connection.  An idle connection is a small struct with its event; the
 * TLS state is made when the first bytes arrive, the request buffer when
 * the first request bytes do.  On a protocol with proxy_protocol on, a
 * PROXY header comes first (conn_proxy()): the client's address, for the
 * log and the rate limit, is the one it gives.  Each state has a
 * deadline: the PROXY header, the handshake and the request must arrive
 * within request_timeout seconds of the accept; a response must make
 * progress every request_timeout seconds and end within
 * SERVER_WRITE_MAX.  Every close of an established TLS
 * connection sends close_notify.  After a clean exchange (a request line
 * and nothing after it) the socket is closed at once; otherwise it is
 * half-closed and drained for at most SERVER_LINGER seconds (see
 * conn_done()).
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
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
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
#include <event2/thread.h>

#include "buf.h"
#include "config.h"
#include "gemini.h"
#include "gopher.h"
#include "log.h"
#include "priv.h"
#include "proxy.h"
#include "server.h"
#include "store.h"
#include "tls.h"

#define SERVER_WORKERS_MAX	CONFIG_WORKERS_MAX
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

/*
 * The response cache: SERVER_CACHE_BYTES in all, shared out evenly
 * between the workers; at most SERVER_CACHE_ENTRIES responses per worker,
 * each at most SERVER_CACHE_ITEM_MAX bytes (and an eighth of a worker's
 * share).  A hash chain longer than SERVER_CACHE_CHAIN takes no more
 * entries: requests crafted to collide cost a few comparisons at most.
 */
#define SERVER_CACHE_BYTES	(64 * 1024 * 1024)
#define SERVER_CACHE_ENTRIES	8192
#define SERVER_CACHE_BUCKETS	16384	/* a power of two */
#define SERVER_CACHE_CHAIN	8
#define SERVER_CACHE_ITEM_MAX	(1024 * 1024)

/* Room for either protocol's cache key. */
#define SERVER_KEY_MAX \
	(GEMINI_CACHE_KEY_MAX > GOPHER_CACHE_KEY_MAX ? \
	GEMINI_CACHE_KEY_MAX : GOPHER_CACHE_KEY_MAX)

/* Both protocols' request limits, plus the line end. */
#define SERVER_REQ_MAX \
	((GEMINI_URL_MAX + 2) > (GOPHER_REQUEST_MAX + 2) ? \
	(GEMINI_URL_MAX + 2) : (GOPHER_REQUEST_MAX + 2))

/* The request buffer also holds a PROXY header while it is read. */
_Static_assert(PROXY_HEADER_MAX <= SERVER_REQ_MAX, "PROXY header room");

enum server_proto {
	PROTO_GEMINI,
	PROTO_GOPHER
};

enum conn_state {
	CONN_PROXY,		/* the PROXY protocol header, when configured */
	CONN_HANDSHAKE,		/* TLS handshake (Gemini only) */
	CONN_READ,		/* waiting for the request line */
	CONN_WRITE,		/* sending the response (and close_notify) */
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
	uint64_t	 serial;	/* 1, 2, ...: set when swapped in */
	struct gconf	*gc;		/* one reference */
	struct store	*store;		/* one reference */
};

/* One listening socket: each address has one per worker. */
struct listener {
	struct server		*s;
	size_t			 wi;		/* the worker accepting on it */
	int			 fd;		/* closed by that worker */
	int			 first;		/* its address's first: logged */
	enum server_proto	 proto;
	struct event		*ev;
	char			 name[INET6_ADDRSTRLEN + 32];
};

/*
 * A cached response, owned by its worker's cache and by the connections
 * writing it ("refs", touched by that worker only).
 */
struct rc_entry {
	TAILQ_ENTRY(rc_entry)	 lru;		/* most recent first */
	struct rc_entry		*next;		/* hash chain */
	int			 refs;
	int			 status;
	enum server_proto	 proto;
	uint32_t		 hash;
	char			*data;		/* the response, owned */
	size_t			 len;
	size_t			 keylen;
	char			 key[];		/* the request bytes */
};
TAILQ_HEAD(rc_lru, rc_entry);

struct rcache {
	struct rc_entry		**tab;		/* made on first use */
	struct rc_lru		  lru;
	size_t			  n;
	size_t			  bytes;
	size_t			  max_bytes;
	size_t			  max_item;
};

struct conn;
TAILQ_HEAD(connq, conn);

struct worker {
	struct server		*s;
	size_t			 idx;
	pthread_t		 thread;
	int			 started;
	struct event_base	*base;
	struct event		*stop;		/* the main thread says stop */
	struct event		*grace;		/* the end of SERVER_GRACE */
	struct event		*regen;		/* a new generation is there */
	struct event		*resume;	/* accept again after EMFILE */
	struct connq		 conns;		/* this worker's */
	int			 nconns;
	atomic_int		 force;		/* close everything now */
	int			 stopping;
	time_t			 warned_accept;
	struct gen		*gen;		/* one reference */
	uint64_t		 serial;	/* of "gen" */
	struct rcache		 cache;		/* for "gen" */
};

/*
 * One client connection, owned by the worker that accepted it.  The
 * request buffer is SERVER_REQ_MAX + 1 bytes, allocated with the first
 * request bytes.  The response is either a cache entry ("entry", one
 * reference) or "out"; "wdata" and "wlen" point into it while it is
 * written.  The struct event lives at the end of the same allocation.
 */
struct conn {
	TAILQ_ENTRY(conn)	 entry;
	struct worker		*w;
	struct event		*ev;		/* "evmem" */
	short			 evwhat;	/* as assigned; 0: never */
	struct tlsc_conn	*tls;
	int			 fd;
	enum server_proto	 proto;
	enum conn_state		 state;
	unsigned		 limited:1;	/* over the rate limit */
	unsigned		 responded:1;	/* a response was made */
	unsigned		 logged:1;
	unsigned		 clean:1;	/* nothing unread after the request */
	int			 timeout;	/* request_timeout, s */
	int			 status;
	char			*req;
	size_t			 reqlen;
	size_t			 linelen;	/* the request as answered */
	struct buf		 out;
	struct rc_entry		*rc;
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

struct rl_entry {
	struct rl_entry	*next;
	unsigned char	 key[9];	/* family; IPv4 address or IPv6 /64 */
	double		 tokens;
	double		 last;
};

struct server {
	pthread_mutex_t		 genlock;
	struct gen		*gen;		/* current; written by main only */
	atomic_uint_fast64_t	 serial;	/* gen->serial */
	uint64_t		 serial_last;	/* main thread */
	struct tlsc_ctx		*tls;

	struct listener		*ls;
	size_t			 nls;

	struct worker		*workers;
	size_t			 nworkers;	/* set in server_new() */
	atomic_int		 running;	/* worker loops not yet ended */
	atomic_int		 nconns;	/* open connections, all workers */
	atomic_llong		 warned_cap;
	atomic_llong		 warned_proxy;

	struct event_base	*base;		/* main thread */
	struct event		*sig_hup, *sig_term, *sig_int;
	struct event		*done;		/* the last worker ended */
	struct event		*prune;
	const struct server_hooks *hooks;
	int			 stopping;

	/* Per-address rate limit: any worker, under "rllock". */
	pthread_mutex_t		 rllock;
	struct rl_entry		*rl[SERVER_RL_BUCKETS];
	size_t			 nrl;
	time_t			 warned_rl;

	/* The store watch. */
	int			 ifd;		/* inotify, or -1 */
	int			 wd_store, wd_pages;
	char			*watch_store, *watch_pages;	/* as in the ini */
	struct stat		 id_store, id_pages;	/* what they lead to */
	char			*root;		/* the chroot, once inside */
	struct event		*iev;
	struct event		*debounce;
	double			 first_change;	/* 0: none pending */
	struct event		*scan;
	uint64_t		 scan_sig;
};

static void	 conn_cb(evutil_socket_t, short, void *);
static void	 conn_close(struct conn *, int);
static void	 conn_handshake(struct conn *);
static void	 conn_linger(struct conn *);
static void	 conn_notify(struct conn *);
static void	 conn_proxy(struct conn *);
static void	 conn_proxy_warn(struct conn *, const char *, int);
static void	 conn_read(struct conn *);
static void	 conn_step(struct conn *);
static void	 conn_write(struct conn *);
static int	 rl_check(struct server *, const struct sockaddr *, int);

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

/* Once every SERVER_WARN_EVERY seconds, whichever thread asks. */
static int
server_warn_due(atomic_llong *last)
{
	long long	 t = (long long)time(NULL), prev;

	prev = atomic_load(last);
	if (t - prev < SERVER_WARN_EVERY)
		return 0;
	return atomic_compare_exchange_strong(last, &prev, t);
}

/* conf->workers, or one per online CPU. */
static size_t
server_nworkers(const struct conf *conf)
{
	long	 ncpu;
	size_t	 n;

	n = conf->workers > 0 ? (size_t)conf->workers : 0;
	if (n == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		n = ncpu > 0 ? (size_t)ncpu : 1;
	}
	if (n > SERVER_WORKERS_MAX)
		n = SERVER_WORKERS_MAX;
	return n;
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

/* Main thread only: it is the only writer of s->gen. */
static const struct conf *
server_conf(const struct server *s)
{
	return s->gen->gc->conf;
}

/* Swap "g" in, then tell the workers, which drop their caches. */
static void
server_gen_swap(struct server *s, struct gen *g)
{
	struct gen	*old;
	size_t		 i;

	pthread_mutex_lock(&s->genlock);
	old = s->gen;
	g->serial = ++s->serial_last;
	s->gen = g;
	atomic_store(&s->serial, g->serial);
	pthread_mutex_unlock(&s->genlock);
	gen_unref(old);
	for (i = 0; i < s->nworkers; i++)
		if (s->workers[i].started && s->workers[i].regen != NULL)
			event_active(s->workers[i].regen, EV_READ, 0);
}

/*
 * The response cache (one per worker, used by that worker only).
 */

static uint32_t
rc_hash(enum server_proto proto, const char *key, size_t len)
{
	uint32_t	 h = 2166136261u ^ (uint32_t)proto;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 16777619u;
	}
	return h;
}

static void
rc_unref(struct rc_entry *e)
{
	if (e == NULL || --e->refs > 0)
		return;
	free(e->data);
	free(e);
}

/* Take "e" out of the table; connections writing it keep it alive. */
static void
rc_remove(struct rcache *rc, struct rc_entry *e)
{
	struct rc_entry	**ep;

	for (ep = &rc->tab[e->hash & (SERVER_CACHE_BUCKETS - 1)]; *ep != NULL;
	    ep = &(*ep)->next) {
		if (*ep == e) {
			*ep = e->next;
			break;
		}
	}
	TAILQ_REMOVE(&rc->lru, e, lru);
	rc->n--;
	rc->bytes -= sizeof(*e) + e->keylen + e->len;
	rc_unref(e);
}

static struct rc_entry *
rc_get(struct rcache *rc, enum server_proto proto, const char *key,
    size_t len, uint32_t h)
{
	struct rc_entry	*e;

	if (rc->tab == NULL)
		return NULL;
	for (e = rc->tab[h & (SERVER_CACHE_BUCKETS - 1)]; e != NULL;
	    e = e->next) {
		if (e->hash == h && e->proto == proto && e->keylen == len &&
		    memcmp(e->key, key, len) == 0) {
			if (e != TAILQ_FIRST(&rc->lru)) {
				TAILQ_REMOVE(&rc->lru, e, lru);
				TAILQ_INSERT_HEAD(&rc->lru, e, lru);
			}
			return e;
		}
	}
	return NULL;
}

/*
 * Keep the response in "out" for "key": on success the entry owns the
 * bytes (out is left empty) and is returned; NULL leaves "out" alone.
 */
static struct rc_entry *
rc_put(struct rcache *rc, enum server_proto proto, const char *key,
    size_t len, uint32_t h, int status, struct buf *out)
{
	struct rc_entry	*e, *c;
	size_t		 cost, chain = 0;
	char		*p;

	if (out->failed || out->len == 0 || out->len > rc->max_item)
		return NULL;
	cost = sizeof(*e) + len + out->len;
	if (cost > rc->max_bytes)
		return NULL;
	if (rc->tab == NULL &&
	    (rc->tab = calloc(SERVER_CACHE_BUCKETS, sizeof(*rc->tab))) == NULL)
		return NULL;
	for (c = rc->tab[h & (SERVER_CACHE_BUCKETS - 1)]; c != NULL;
	    c = c->next)
		chain++;
	if (chain >= SERVER_CACHE_CHAIN)
		return NULL;
	if ((e = malloc(sizeof(*e) + len)) == NULL)
		return NULL;
	while (rc->n > 0 && (rc->n >= SERVER_CACHE_ENTRIES ||
	    rc->bytes + cost > rc->max_bytes))
		rc_remove(rc, TAILQ_LAST(&rc->lru, rc_lru));
	memset(e, 0, sizeof(*e));
	e->refs = 1;		/* the table's */
	e->status = status;
	e->proto = proto;
	e->hash = h;
	e->keylen = len;
	memcpy(e->key, key, len);
	/* A buffer grows by doubling: give back what the bytes do not use. */
	if (out->cap > out->len + out->len / 8 + 64 &&
	    (p = realloc(out->data, out->len + 1)) != NULL) {
		out->data = p;
		out->cap = out->len + 1;
	}
	e->data = buf_detach(out, &e->len);
	e->next = rc->tab[h & (SERVER_CACHE_BUCKETS - 1)];
	rc->tab[h & (SERVER_CACHE_BUCKETS - 1)] = e;
	TAILQ_INSERT_HEAD(&rc->lru, e, lru);
	rc->n++;
	rc->bytes += cost;
	return e;
}

static void
rc_clear(struct rcache *rc)
{
	struct rc_entry	*e;

	while ((e = TAILQ_FIRST(&rc->lru)) != NULL)
		rc_remove(rc, e);
}

/* The worker's generation, refreshed when a new one was swapped in. */
static struct gen *
worker_gen(struct worker *w)
{
	struct server	*s = w->s;
	struct gen	*g, *old;

	if (atomic_load_explicit(&s->serial, memory_order_acquire) ==
	    w->serial)
		return w->gen;
	pthread_mutex_lock(&s->genlock);
	g = s->gen;
	atomic_fetch_add(&g->refs, 1);
	pthread_mutex_unlock(&s->genlock);
	old = w->gen;
	w->gen = g;
	w->serial = g->serial;
	/* Its responses belong to the old generation. */
	rc_clear(&w->cache);
	gen_unref(old);
	return g;
}

static void
worker_regen_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)worker_gen(arg);
}

/*
 * Connections (worker threads).
 */

/* The client's address as text, made when first needed. */
static const char *
conn_addr(struct conn *c)
{
	if (c->addr[0] == '\0' && getnameinfo(&c->peer.sa, c->peerlen,
	    c->addr, sizeof(c->addr), NULL, 0, NI_NUMERICHOST) != 0)
		(void)snprintf(c->addr, sizeof(c->addr), "?");
	return c->addr;
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

	left = deadline - server_now();
	if (left < 0)
		left = 0;
	tv.tv_sec = (time_t)left;
	tv.tv_usec = (suseconds_t)((left - (double)tv.tv_sec) * 1e6);
	if (c->evwhat != what) {
		if (c->evwhat != 0)
			event_del(c->ev);
		c->evwhat = 0;
		if (event_assign(c->ev, c->w->base, c->fd, what | EV_PERSIST,
		    conn_cb, c) == -1)
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

static void
worker_check_done(struct worker *w)
{
	if (w->stopping && TAILQ_EMPTY(&w->conns))
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
	if (!log_access_enabled())
		return;		/* no address to format */
	n = c->linelen;
	if (n > 0 && c->req[n - 1] == '\n')
		n--;
	if (n > 0 && c->req[n - 1] == '\r')
		n--;
	log_access(conn_addr(c), server_proto_name(c->proto), c->req, n,
	    c->status, c->off, server_now() - c->start);
}

/* The response is no longer needed. */
static void
conn_drop_response(struct conn *c)
{
	buf_release(&c->out);
	rc_unref(c->rc);
	c->rc = NULL;
	c->wdata = NULL;
}

static void
conn_free(struct conn *c)
{
	struct worker	*w = c->w;
	struct server	*s = w->s;

	conn_log(c);
	if (c->evwhat != 0)
		event_del(c->ev);
	TAILQ_REMOVE(&w->conns, c, entry);
	tlsc_conn_free(c->tls);
	if (c->fd != -1)
		close(c->fd);
	free(c->req);
	conn_drop_response(c);
	free(c);
	w->nconns--;
	atomic_fetch_sub(&s->nconns, 1);
	worker_check_done(w);
}

/* Half-close and drain what the peer still sends, then free. */
static void
conn_shut(struct conn *c)
{
	c->state = CONN_LINGER;
	c->deadline = server_now() + SERVER_LINGER;
	(void)shutdown(c->fd, SHUT_WR);
	conn_linger(c);
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
	conn_drop_response(c);
	if (c->tls != NULL) {
		c->state = CONN_NOTIFY;
		c->deadline = server_now() + SERVER_LINGER;
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
	c->deadline = server_now() + c->timeout;
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
conn_cacheable(enum server_proto proto, int status)
{
	if (proto == PROTO_GEMINI)
		return status / 10 != 4;	/* temporary failures */
	return status != GOPHER_SERVER_ERROR;
}

/*
 * Answer the first "len" bytes of the request, from the cache when it
 * has them.  "clean": nothing came after them.
 */
static void
conn_respond(struct conn *c, size_t len, int clean)
{
	struct worker		*w = c->w;
	struct gen		*g;
	const struct conf	*conf;
	struct rc_entry		*e = NULL;
	char			 key[SERVER_KEY_MAX];
	long			 klen = -1;
	uint32_t		 h = 0;
	int			 hit = 0;

	c->linelen = len;
	c->clean = clean != 0;
	c->responded = 1;
	g = worker_gen(w);
	conf = g->gc->conf;
	buf_init(&c->out);
	if (!c->limited) {
		klen = c->proto == PROTO_GEMINI ?
		    gemini_cache_key(c->req, len, conf, key) :
		    gopher_cache_key(c->req, len, key);
		if (klen >= 0) {
			h = rc_hash(c->proto, key, (size_t)klen);
			e = rc_get(&w->cache, c->proto, key, (size_t)klen, h);
		}
	}
	if (e != NULL) {
		c->status = e->status;
		hit = 1;
	} else if (c->proto == PROTO_GEMINI) {
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
	if (c->out.failed) {
		log_warnx("%s: out of memory for a %s response", conn_addr(c),
		    server_proto_name(c->proto));
		conn_close(c, 0);
		return;
	}
	if (e == NULL && klen >= 0 && conn_cacheable(c->proto, c->status))
		e = rc_put(&w->cache, c->proto, key, (size_t)klen, h,
		    c->status, &c->out);
	if (log_is_verbose())
		log_debug("%s: %s cache %s", conn_addr(c),
		    server_proto_name(c->proto), hit ? "hit" : klen < 0 ?
		    "not used" : e != NULL ? "miss, kept" : "miss, not kept");
	if (e != NULL) {
		e->refs++;
		c->rc = e;
		c->wdata = e->data;
		c->wlen = e->len;
	} else {
		c->wdata = c->out.data;
		c->wlen = c->out.len;
	}
	c->state = CONN_WRITE;
	c->off = 0;
	c->write_until = server_now() + SERVER_WRITE_MAX;
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
	if (server_now() < c->deadline)
		return 0;
	if (c->state == CONN_PROXY)
		conn_proxy_warn(c, c->reqlen == 0 ? "none came" :
		    "it did not end", c->timeout);
	else if (c->state == CONN_HANDSHAKE)
		log_debug("%s: no TLS handshake within %d s", conn_addr(c),
		    c->timeout);
	else
		log_debug("%s: no complete %s request within %d s",
		    conn_addr(c), server_proto_name(c->proto), c->timeout);
	conn_close(c, 0);
	return 1;
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
	struct server	*s = c->w->s;
	char		 when[32] = "";

	if (timeout > 0)
		(void)snprintf(when, sizeof(when), " within %d s", timeout);
	if (server_warn_due(&s->warned_proxy))
		log_warnx("%s: %s connection closed: no valid PROXY protocol "
		    "header%s (%s); [%s] proxy_protocol is on (such closes are "
		    "logged once a minute, with -v all of them)", conn_addr(c),
		    server_proto_name(c->proto), when, why,
		    server_proto_name(c->proto));
	else
		log_debug("%s: %s connection closed: no valid PROXY protocol "
		    "header%s (%s)", conn_addr(c), server_proto_name(c->proto),
		    when, why);
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
	struct server		*s = c->w->s;
	const struct conf	*conf;
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
			if (!conn_expired(c))
				conn_wait(c, EV_READ, c->deadline);
			return;
		}
		if (n == -1) {
			log_debug("%s: %s connection: %s before its PROXY "
			    "header", conn_addr(c), server_proto_name(c->proto),
			    strerror(errno));
			conn_close(c, 1);
			return;
		}
		if (n == 0) {
			if (c->reqlen == 0)
				log_debug("%s: %s connection closed before its "
				    "PROXY header", conn_addr(c),
				    server_proto_name(c->proto));
			else
				conn_proxy_warn(c, "the connection ended "
				    "within it", 0);
			conn_close(c, 0);
			return;
		}
		/* The request buffer, made when the first bytes come. */
		if (c->req == NULL &&
		    (c->req = malloc(SERVER_REQ_MAX + 1)) == NULL) {
			log_warnx("%s: out of memory for a request",
			    conn_addr(c));
			conn_close(c, 1);
			return;
		}
		memcpy(c->req + c->reqlen, tmp, (size_t)n);
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
			    server_proto_name(c->proto));
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
	conf = worker_gen(c->w)->gc->conf;
	c->limited = rl_check(s, &c->peer.sa, conf->rate_limit) != 0;
	if (log_is_verbose())
		log_debug("%s: %s connection through a PROXY v%d header%s",
		    conn_addr(c), server_proto_name(c->proto), pa.version,
		    pa.len > 0 ? "" : " (LOCAL or UNKNOWN: the socket's "
		    "address)");
	if (c->proto == PROTO_GEMINI) {
		c->state = CONN_HANDSHAKE;
		conn_handshake(c);
	} else {
		c->state = CONN_READ;
		conn_read(c);
	}
}

static void
conn_handshake(struct conn *c)
{
	struct server	*s = c->w->s;

	if (c->tls == NULL && (c->tls = tlsc_conn_new(s->tls, c->fd)) == NULL) {
		log_warnx("%s: out of memory for a TLS connection",
		    conn_addr(c));
		conn_close(c, 1);
		return;
	}
	switch (tlsc_handshake(c->tls)) {
	case 0:
		if (log_is_verbose())
			log_debug("%s: %s%s", conn_addr(c),
			    tlsc_conn_version(c->tls),
			    tlsc_conn_resumed(c->tls) ? ", resumed" : "");
		c->state = CONN_READ;
		conn_read(c);
		return;
	case TLSC_WANT_READ:
		if (!conn_expired(c))
			conn_wait(c, EV_READ, c->deadline);
		return;
	case TLSC_WANT_WRITE:
		if (!conn_expired(c))
			conn_wait(c, EV_WRITE, c->deadline);
		return;
	default:
		if (log_is_verbose())
			log_debug("%s: TLS %s", conn_addr(c),
			    tlsc_conn_error(c->tls));
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
			conn_respond(c, c->reqlen, 0);
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
				    conn_addr(c));
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
			if (c->proto == PROTO_GOPHER && c->reqlen > 0)
				conn_respond(c, c->reqlen, 1);
			else
				conn_close(c, 0);
			return;
		case TLSC_WANT_READ:
			if (!conn_expired(c))
				conn_wait(c, EV_READ, c->deadline);
			return;
		case TLSC_WANT_WRITE:
			if (!conn_expired(c))
				conn_wait(c, EV_WRITE, c->deadline);
			return;
		default:
			if (c->tls != NULL && log_is_verbose())
				log_debug("%s: TLS %s", conn_addr(c),
				    tlsc_conn_error(c->tls));
			conn_close(c, 0);
			return;
		}
	}
	/* Plenty read in one go: let the other connections have a turn. */
	conn_yield(c);
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
		if (c->off < c->wlen) {
			if (c->tls != NULL)
				n = tlsc_write(c->tls, c->wdata + c->off,
				    c->wlen - c->off);
			else {
				n = send(c->fd, c->wdata + c->off,
				    c->wlen - c->off, MSG_NOSIGNAL);
				if (n == -1) {
					if (errno == EINTR)
						continue;
					n = (errno == EAGAIN ||
					    errno == EWOULDBLOCK) ?
					    TLSC_WANT_WRITE : TLSC_ERROR;
				}
			}
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
 * Per-address rate limit (any worker, under s->rllock): a token bucket
 * per IPv4 address or IPv6 /64 holding "rate_limit" tokens, refilled at
 * rate_limit per minute; each connection takes one.  One table for all
 * workers, since the kernel spreads one address's connections over them.
 * Entries idle long enough to be full again are pruned by the main
 * thread.  If SERVER_RL_MAX addresses are tracked at once, new ones pass
 * unchecked rather than being refused.
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
	int		 over = 0, warn = 0;

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
	pthread_mutex_lock(&s->rllock);
	for (e = s->rl[h]; e != NULL; e = e->next)
		if (memcmp(e->key, key, sizeof(key)) == 0)
			break;
	if (e == NULL) {
		if (s->nrl >= SERVER_RL_MAX ||
		    (e = calloc(1, sizeof(*e))) == NULL) {
			t = time(NULL);
			if (t - s->warned_rl >= SERVER_WARN_EVERY) {
				s->warned_rl = t;
				warn = 1;
			}
			goto done;
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
	if (e->tokens >= 1.0)
		e->tokens -= 1.0;
	else
		over = 1;
 done:
	pthread_mutex_unlock(&s->rllock);
	if (warn)
		log_warnx("rate limit: too many addresses tracked; new ones "
		    "pass unchecked");
	return over;
}

static void
rl_prune_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;
	struct rl_entry	**ep, *e;
	double		 now = server_now();
	size_t		 i;

	pthread_mutex_lock(&s->rllock);
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
	pthread_mutex_unlock(&s->rllock);
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
 * Accepting (worker threads).
 */

/* A new connection on one of this worker's sockets. */
static void
worker_accept(struct worker *w, struct listener *l, int fd,
    const struct sockaddr *sa, socklen_t salen)
{
	struct server		*s = w->s;
	const struct conf	*conf = worker_gen(w)->gc->conf;
	struct conn		*c;

	if (atomic_fetch_add(&s->nconns, 1) >= conf->max_connections &&
	    conf->max_connections > 0) {
		atomic_fetch_sub(&s->nconns, 1);
		if (server_warn_due(&s->warned_cap))
			log_warnx("max_connections (%d) reached: closing new "
			    "connections until some end",
			    conf->max_connections);
		close(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c) + event_get_struct_event_size())) ==
	    NULL) {
		log_warn("accept");
		atomic_fetch_sub(&s->nconns, 1);
		close(fd);
		return;
	}
	c->w = w;
	c->ev = (struct event *)(void *)c->evmem;
	c->fd = fd;
	c->proto = l->proto;
	c->start = server_now();
	c->timeout = conf->request_timeout > 0 ? conf->request_timeout : 10;
	c->deadline = c->start + c->timeout;
	buf_init(&c->out);
	if (salen > sizeof(c->peer))
		salen = sizeof(c->peer);
	memcpy(&c->peer, sa, salen);
	c->peerlen = salen;
	TAILQ_INSERT_TAIL(&w->conns, c, entry);
	w->nconns++;

	if (c->proto == PROTO_GEMINI ? conf->gemini_proxy_protocol :
	    conf->gopher_proxy_protocol) {
		/* The client's address comes first: the limit waits for it. */
		c->state = CONN_PROXY;
		conn_proxy(c);
		return;
	}
	c->limited = rl_check(s, sa, conf->rate_limit) != 0;
	if (c->proto == PROTO_GEMINI) {
		/* The TLS state waits for the first bytes: idle costs little. */
		c->state = CONN_HANDSHAKE;
		conn_wait(c, EV_READ, c->deadline);
	} else {
		/* The request is often there already: no wait, no epoll. */
		c->state = CONN_READ;
		conn_read(c);
	}
}

static void
worker_listeners_enable(struct worker *w, int on)
{
	struct server	*s = w->s;
	size_t		 i;

	for (i = 0; i < s->nls; i++) {
		if (s->ls[i].wi != w->idx || s->ls[i].ev == NULL)
			continue;
		if (on)
			event_add(s->ls[i].ev, NULL);
		else
			event_del(s->ls[i].ev);
	}
}

static void
worker_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	if (!w->stopping)
		worker_listeners_enable(w, 1);
}

static void
worker_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct listener		*l = arg;
	struct worker		*w = &l->s->workers[l->wi];
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { SERVER_ACCEPT_PAUSE, 0 };
	socklen_t		 len;
	time_t			 t;
	int			 fd, i;

	for (i = 0; i < SERVER_ACCEPT_BATCH && !w->stopping; i++) {
		len = sizeof(ss);
		fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			worker_accept(w, l, fd, (struct sockaddr *)&ss, len);
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
			if (t - w->warned_accept >= SERVER_WARN_EVERY) {
				w->warned_accept = t;
				log_warn("accept on %s (pausing %d s)",
				    l->name, SERVER_ACCEPT_PAUSE);
			}
			worker_listeners_enable(w, 0);
			evtimer_add(w->resume, &tv);
			return;
		default:
			log_warn("accept on %s", l->name);
			return;
		}
	}
}

/* Stop accepting: this worker's sockets are closed. */
static void
worker_close_listeners(struct worker *w)
{
	struct server	*s = w->s;
	size_t		 i;

	for (i = 0; i < s->nls; i++) {
		if (s->ls[i].wi != w->idx)
			continue;
		if (s->ls[i].ev != NULL) {
			event_free(s->ls[i].ev);
			s->ls[i].ev = NULL;
		}
		if (s->ls[i].fd != -1) {
			close(s->ls[i].fd);
			s->ls[i].fd = -1;
		}
	}
	if (w->resume != NULL)
		event_del(w->resume);
}

/*
 * Workers.
 */

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
		    w->nconns, SERVER_GRACE);
	worker_close_all(w);
	worker_check_done(w);
}

/*
 * Stop: no more accepting; connections still waiting for their first
 * request byte are closed now; requests in flight get SERVER_GRACE
 * seconds, or none after a second signal.
 */
static void
worker_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	struct conn	*c, *next;
	struct timeval	 tv = { SERVER_GRACE, 0 };

	w->stopping = 1;
	worker_close_listeners(w);
	if (atomic_load(&w->force)) {
		worker_close_all(w);
		worker_check_done(w);
		return;
	}
	for (c = TAILQ_FIRST(&w->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->state == CONN_PROXY || c->state == CONN_HANDSHAKE ||
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
worker_init(struct server *s, struct worker *w, size_t idx)
{
	struct listener	*l;
	size_t		 i;

	w->s = s;
	w->idx = idx;
	TAILQ_INIT(&w->conns);
	TAILQ_INIT(&w->cache.lru);
	w->cache.max_bytes = SERVER_CACHE_BYTES / s->nworkers;
	w->cache.max_item = w->cache.max_bytes / 8;
	if (w->cache.max_item > SERVER_CACHE_ITEM_MAX)
		w->cache.max_item = SERVER_CACHE_ITEM_MAX;
	atomic_init(&w->force, 0);
	pthread_mutex_lock(&s->genlock);
	w->gen = s->gen;
	atomic_fetch_add(&w->gen->refs, 1);
	w->serial = w->gen->serial;
	pthread_mutex_unlock(&s->genlock);
	if ((w->base = event_base_new()) == NULL ||
	    (w->stop = event_new(w->base, -1, 0, worker_stop_cb, w)) == NULL ||
	    (w->regen = event_new(w->base, -1, 0, worker_regen_cb, w)) ==
	    NULL ||
	    (w->resume = evtimer_new(w->base, worker_resume_cb, w)) == NULL) {
		log_warnx("worker: cannot make its event loop");
		return -1;
	}
	for (i = 0; i < s->nls; i++) {
		l = &s->ls[i];
		if (l->wi != idx)
			continue;
		if ((l->ev = event_new(w->base, l->fd, EV_READ | EV_PERSIST,
		    worker_accept_cb, l)) == NULL ||
		    event_add(l->ev, NULL) == -1) {
			log_warnx("libevent: cannot listen on %s", l->name);
			return -1;
		}
	}
	return 0;
}

static void
worker_fini(struct worker *w)
{
	rc_clear(&w->cache);
	free(w->cache.tab);
	w->cache.tab = NULL;
	gen_unref(w->gen);
	w->gen = NULL;
	if (w->grace != NULL)
		event_free(w->grace);
	if (w->stop != NULL)
		event_free(w->stop);
	if (w->regen != NULL)
		event_free(w->regen);
	if (w->resume != NULL)
		event_free(w->resume);
	w->grace = w->stop = w->regen = w->resume = NULL;
}

/*
 * Listening sockets (server_new, before privileges are dropped).
 */

/* A listening socket for "ai"; "reuseport" to share it between workers. */
static int
server_listen_fd(const struct addrinfo *ai, int reuseport, int listening)
{
	int	 fd, one = 1, e;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one,
	    sizeof(one)) == -1) ||
	    (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) == -1) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    (listening && listen(fd, SOMAXCONN) == -1)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
server_bind(struct server *s, const char *addr, int port,
    enum server_proto proto)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	struct listener	*l, *ls;
	char		 host[256], portstr[16], name[INET6_ADDRSTRLEN];
	const char	*node;
	size_t		 len, wi;
	int		 fd, e, wildcard, bound = 0, rv = -1, shared;

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
	shared = s->nworkers > 1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, name,
		    sizeof(name), NULL, 0, NI_NUMERICHOST) != 0)
			(void)snprintf(name, sizeof(name), "?");
		/*
		 * SO_REUSEPORT lets any socket of the same user join the
		 * group: first check, with a plain bind, that no other
		 * process (a second griotd) holds the port already, so
		 * that it is refused rather than sharing our clients.
		 */
		if (shared && (fd = server_listen_fd(ai, 0, 0)) != -1)
			close(fd);
		else if (shared) {
			if (wildcard && (errno == EAFNOSUPPORT ||
			    (ai->ai_family == AF_INET6 &&
			    errno == EADDRNOTAVAIL)))
				continue;	/* no IPv6 on this host */
			log_warn("cannot listen on %s port %d (%s)", name,
			    port, server_proto_name(proto));
			goto done;
		}
		for (wi = 0; wi < s->nworkers; wi++) {
			if ((fd = server_listen_fd(ai, shared, 1)) == -1) {
				if (wi == 0 && wildcard &&
				    (errno == EAFNOSUPPORT ||
				    (ai->ai_family == AF_INET6 &&
				    errno == EADDRNOTAVAIL)))
					break;	/* no IPv6 on this host */
				log_warn("cannot listen on %s port %d (%s)",
				    name, port, server_proto_name(proto));
				goto done;
			}
			if ((ls = reallocarray(s->ls, s->nls + 1,
			    sizeof(*ls))) == NULL) {
				log_warn("listen");
				close(fd);
				goto done;
			}
			s->ls = ls;
			l = &s->ls[s->nls++];
			memset(l, 0, sizeof(*l));
			l->s = s;
			l->wi = wi;
			l->fd = fd;
			l->first = wi == 0;
			l->proto = proto;
			(void)snprintf(l->name, sizeof(l->name), "%s port %d",
			    name, port);
			if (wi == 0)
				bound++;
		}
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

/* A watched folder's path as this process sees it (inside the chroot). */
static const char *
server_watch_path(const struct server *s, const char *path)
{
	return priv_path(s->root, path);
}

/*
 * Which folder "path" leads to now, symbolic links followed: its device
 * and inode in "id" (zeroed when it cannot be seen).
 */
static void
server_watch_id(const struct server *s, const char *path, struct stat *id)
{
	if (path == NULL || stat(server_watch_path(s, path), id) == -1)
		memset(id, 0, sizeof(*id));
}

static int
server_id_differ(const struct stat *a, const struct stat *b)
{
	return a->st_dev != b->st_dev || a->st_ino != b->st_ino;
}

#ifdef HAVE_SYS_INOTIFY_H
#define SERVER_WATCH_MASK \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
	IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* Watch what is not watched yet, noting which folder the watch is on. */
static void
server_watch_add(struct server *s)
{
	if (s->ifd == -1)
		return;
	if (s->wd_store == -1 && s->watch_store != NULL) {
		server_watch_id(s, s->watch_store, &s->id_store);
		if ((s->wd_store = inotify_add_watch(s->ifd,
		    server_watch_path(s, s->watch_store),
		    SERVER_WATCH_MASK)) == -1)
			log_warn("watching %s for changes", s->watch_store);
	}
	if (s->wd_pages == -1 && s->watch_pages != NULL) {
		server_watch_id(s, s->watch_pages, &s->id_pages);
		if ((s->wd_pages = inotify_add_watch(s->ifd,
		    server_watch_path(s, s->watch_pages),
		    SERVER_WATCH_MASK)) == -1 && errno != ENOENT)
			log_warn("watching %s for changes", s->watch_pages);
	}
}
#endif

/*
 * Remember which folders to watch; re-aim the watch when they moved: a
 * path changed in the ini, or the same path now leads to another folder
 * (a symbolic link switched to a new copy of the store).
 */
static int
server_watch_set(struct server *s, const struct conf *conf)
{
	struct stat	 id_store, id_pages;
	char		*st = NULL, *pg = NULL;

	server_watch_id(s, conf->store, &id_store);
	server_watch_id(s, conf->pages, &id_pages);
	if (!server_str_differ(s->watch_store, conf->store) &&
	    !server_str_differ(s->watch_pages, conf->pages) &&
	    !server_id_differ(&s->id_store, &id_store) &&
	    !server_id_differ(&s->id_pages, &id_pages))
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
	s->id_store = id_store;
	s->id_pages = id_pages;
#ifdef HAVE_SYS_INOTIFY_H
	server_watch_add(s);
#endif
	if (s->watch_store != NULL)
		log_debug("watching %s for changes", s->watch_store);
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
	return server_dir_sig(s->watch_store != NULL ?
	    server_watch_path(s, s->watch_store) : NULL) * 3 +
	    server_dir_sig(s->watch_pages != NULL ?
	    server_watch_path(s, s->watch_pages) : NULL);
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
		if (s->iev != NULL)
			event_del(s->iev);
		if (s->scan != NULL)
			event_del(s->scan);
		if (s->debounce != NULL)
			event_del(s->debounce);
	} else if (force)
		log_info("stopping now");
	/* Each worker closes its own listening sockets. */
	for (i = 0; s->workers != NULL && i < s->nworkers; i++) {
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
	atomic_init(&s->warned_cap, 0);
	atomic_init(&s->warned_proxy, 0);
	if (pthread_mutex_init(&s->genlock, NULL) != 0 ||
	    pthread_mutex_init(&s->rllock, NULL) != 0) {
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
	s->gen->serial = s->serial_last = 1;
	atomic_init(&s->serial, 1);
	s->nworkers = server_nworkers(conf);

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
	size_t			 i, n = s->nworkers;
	int			 rv = -1;

	s->hooks = hooks;
	/* Privileges are dropped: the folders are now seen from inside. */
	if (conf->chroot != NULL && (s->root = strdup(conf->chroot)) == NULL) {
		log_warn("server");
		return -1;
	}
	event_set_log_callback(server_evlog);
	if (evthread_use_pthreads() == -1) {
		log_warnx("libevent: no thread support");
		return -1;
	}
	if ((s->base = event_base_new()) == NULL) {
		log_warnx("libevent: cannot make the main loop");
		return -1;
	}

	if ((s->workers = calloc(n, sizeof(*s->workers))) == NULL) {
		log_warn("workers");
		goto done;
	}
	for (i = 0; i < n; i++)
		if (worker_init(s, &s->workers[i], i) == -1)
			goto done;

	if ((s->done = event_new(s->base, -1, 0, server_done_cb, s)) == NULL ||
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

	for (i = 0; i < s->nls; i++)
		if (s->ls[i].first)
			log_info("listening on %s (%s)", s->ls[i].name,
			    server_proto_name(s->ls[i].proto));
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
	for (i = 0; s->workers != NULL && i < s->nworkers; i++) {
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
	for (i = 0; s->workers != NULL && i < s->nworkers; i++) {
		if (s->workers[i].started)
			pthread_join(s->workers[i].thread, NULL);
		worker_fini(&s->workers[i]);
	}
	for (i = 0; i < s->nls; i++) {
		if (s->ls[i].ev != NULL)
			event_free(s->ls[i].ev);
		if (s->ls[i].fd != -1)
			close(s->ls[i].fd);
	}
	free(s->ls);
	for (i = 0; s->workers != NULL && i < s->nworkers; i++)
		if (s->workers[i].base != NULL)
			event_base_free(s->workers[i].base);
	free(s->workers);
	if (s->iev != NULL)
		event_free(s->iev);
	if (s->scan != NULL)
		event_free(s->scan);
	if (s->debounce != NULL)
		event_free(s->debounce);
	if (s->prune != NULL)
		event_free(s->prune);
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
	free(s->root);
	rl_purge(s);
	gen_unref(s->gen);
	tlsc_ctx_free(s->tls);
	pthread_mutex_destroy(&s->rllock);
	pthread_mutex_destroy(&s->genlock);
	free(s);
}
