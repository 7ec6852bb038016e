/* griot: the network layer.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The engine: generations, worker threads, signals and reloads, on
 * libevent.  The rooms it runs: listener.c binds the listeners (with
 * net.c) and accepts on them, conn.c lives a connection's life, rcache.c keeps each worker's responses,
 * ratelimit.c counts each address's connections and watch.c notices a
 * changed store.
 *
 * Threads.  The main thread owns the signals, the store watch and the
 * reloads.  Each worker accepts on its own listening sockets: every
 * address is bound once per worker with SO_REUSEPORT (in server_new(),
 * before privileges are dropped), and the kernel spreads new connections
 * over them, so a connection is accepted, read, answered and closed on
 * one thread with no hand-over.  A worker owns its connections (its
 * struct conn_pool): the TLS handshake, the request, the response and
 * the close all run on its loop, never blocking it.  Shared between
 * threads: the current generation (a struct conf and a store snapshot,
 * reference-counted, swapped under a lock on reload; a worker keeps its
 * own reference and takes the lock only when the generation's serial
 * number changed), the connection count (an atomic counter checked
 * against max_connections at each accept), the per-address limits
 * (one table under its own mutex, taken at each accept, and at each
 * close for max_per_address, so that the limits hold per address
 * whichever worker the kernel picked), and the TLS session cache (in the
 * one TLS context, locked by OpenSSL).  A worker gathers its access-log
 * lines in its own buffer and writes them once per turn of its loop,
 * taking the log's lock once per batch (log.h, struct log_buf).
 *
 * Generations.  Each worker has its own response cache, emptied when the
 * worker moves to a new generation (SIGHUP, or a store change): a
 * response is never served from another generation than the one it was
 * made from.
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
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

#include "config.h"
#include "conn.h"
#include "listener.h"
#include "log.h"
#include "mono.h"
#include "priv.h"
#include "ratelimit.h"
#include "render.h"
#include "rcache.h"
#include "server.h"
#include "store.h"
#include "tls.h"
#include "watch.h"

#define SERVER_WORKERS_MAX	CONFIG_WORKERS_MAX
#define SERVER_GRACE		10	/* s for requests in flight at exit */
#define SERVER_STOP_WAIT_MS	500	/* ms for a taken-in request to arrive */
#define SERVER_RL_MAX		65536	/* addresses tracked at once */
#define SERVER_RL_PRUNE		60	/* s */

/*
 * The response cache, one per worker: SERVER_CACHE_BYTES shared out
 * evenly between the workers, at most SERVER_CACHE_ENTRIES responses
 * each.  The largest response kept does not depend on the number of
 * workers: it is what an article of max_article_size bytes can render
 * to (SERVER_CACHE_GROWTH times its size: wrapping, references, French
 * spacing and U+FFFD for invalid bytes make a text up to about three
 * times its source), and at least SERVER_CACHE_ITEM_MIN; a worker's
 * share is at least SERVER_CACHE_ITEMS of them.  So with many workers
 * the caches may hold more than SERVER_CACHE_BYTES in all (32 workers
 * and the default 1 MiB articles: 8 MiB each), and no answer the store
 * can make is rendered again for each request.
 */
#define SERVER_CACHE_BYTES	(64 * 1024 * 1024)
#define SERVER_CACHE_ENTRIES	8192
#define SERVER_CACHE_ITEM_MIN	(1024 * 1024)
#define SERVER_CACHE_GROWTH	4
#define SERVER_CACHE_ITEMS	2

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

struct worker {
	struct server		*s;
	size_t			 idx;
	pthread_t		 thread;
	int			 started;
	struct event_base	*base;
	struct event		*stop;		/* the main thread says stop */
	struct event		*grace;		/* the end of SERVER_GRACE */
	struct event		*waited;	/* the end of SERVER_STOP_WAIT_MS */
	struct event		*regen;		/* a new generation is there */
	struct event		*logflush;	/* write the access-log lines */
	struct log_buf		*logbuf;	/* owned */
	atomic_int		 force;		/* close everything now */
	int			 stopping;
	struct gen		*gen;		/* one reference */
	uint64_t		 serial;	/* of "gen" */
	struct conn_pool	 pool;		/* its connections and cache */
};

struct server {
	pthread_mutex_t		 genlock;
	struct gen		*gen;		/* current; written by main only */
	atomic_uint_fast64_t	 serial;	/* gen->serial */
	uint64_t		 serial_last;	/* main thread */
	struct conn_env		 env;		/* shared by the workers */

	struct listener_set	*ls;

	struct worker		*workers;
	size_t			 nworkers;	/* set in server_new() */
	atomic_int		 running;	/* worker loops not yet ended */

	struct event_base	*base;		/* main thread */
	struct event		*sig_hup, *sig_term, *sig_int, *sig_usr1;
	struct event		*done;		/* the last worker ended */
	struct event		*prune;
	const struct server_hooks *hooks;
	int			 stopping;
	struct watch		*watch;
	struct render_pool	*render;	/* responses made off the loops */
};

/* Route libevent's own complaints to our log. */
static void
server_evlog(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
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
 * Workers: the generation, accepting, stopping.
 */

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
	rcache_clear(&w->pool.cache);
	gen_unref(old);
	return g;
}

/* What the worker's connections answer with (struct conn_pool "gen"). */
static void
worker_lend(void *arg, const struct conf **confp, const struct store **storep)
{
	struct gen	*g = worker_gen(arg);

	*confp = g->gc->conf;
	*storep = g->store;
}

/*
 * The generation a response is made with on a render thread (struct
 * conn_pool "hold"): one reference, dropped by worker_release().
 */
static void *
worker_hold(void *arg, const struct conf **confp, const struct store **storep)
{
	struct gen	*g = worker_gen(arg);

	atomic_fetch_add(&g->refs, 1);
	*confp = g->gc->conf;
	*storep = g->store;
	return g;
}

static void
worker_release(void *arg, void *held)
{
	gen_unref(held);
}

/* May the worker's cache keep what was made with "held"? */
static int
worker_is_current(void *arg, void *held)
{
	return worker_gen(arg) == held;
}

static void
worker_regen_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)worker_gen(w);
	conn_close_idle(&w->pool);
}

static void
worker_check_done(struct worker *w)
{
	if (w->stopping && TAILQ_EMPTY(&w->pool.conns))
		event_base_loopexit(w->base, NULL);
}

/* The last connection ended (struct conn_pool "idle"). */
static void
worker_idle(void *arg)
{
	worker_check_done(arg);
}

static void
worker_grace_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	if (!TAILQ_EMPTY(&w->pool.conns))
		log_warnx("closing %d connections still open after %d s",
		    w->pool.n, SERVER_GRACE);
	conn_close_all(&w->pool);
	worker_check_done(w);
}

/* SERVER_STOP_WAIT_MS after the stop: who has sent nothing yet goes. */
static void
worker_waited_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	conn_close_waiting(&w->pool);
	worker_check_done(w);
}

/*
 * Stop: no more accepting (what the kernel queued is taken in);
 * connections still waiting for their first request byte get
 * SERVER_STOP_WAIT_MS for it (the bytes of one just taken in are on
 * their way), then are closed; requests in flight get SERVER_GRACE
 * seconds, or none after a second signal.
 */
static void
worker_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	struct timeval	 tv = { SERVER_GRACE, 0 };
	struct timeval	 wait = { 0, SERVER_STOP_WAIT_MS * 1000 };

	w->stopping = 1;
	listener_stop(w->s->ls, w->idx);
	if (atomic_load(&w->force)) {
		conn_close_all(&w->pool);
		worker_check_done(w);
		return;
	}
	if (w->waited == NULL &&
	    (w->waited = evtimer_new(w->base, worker_waited_cb, w)) != NULL)
		evtimer_add(w->waited, &wait);
	else
		conn_close_waiting(&w->pool);
	if (w->grace == NULL &&
	    (w->grace = evtimer_new(w->base, worker_grace_cb, w)) != NULL)
		evtimer_add(w->grace, &tv);
	worker_check_done(w);
}

/*
 * The first access-log line of a turn of the loop: write them all once
 * the events of this turn have run (an active event joins the end of
 * the queue being run).
 */
static void
worker_log_wake(void *arg)
{
	struct worker	*w = arg;

	event_active(w->logflush, EV_READ, 0);
}

static void
worker_logflush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	log_buf_flush(w->logbuf);
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct server	*s = w->s;

	log_buf_attach(w->logbuf);
	if (event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY) == -1)
		log_warnx("worker loop failed");
	conn_close_all(&w->pool);
	/* The last lines: nothing gathered is lost at exit. */
	log_buf_flush(w->logbuf);
	log_buf_attach(NULL);
	if (atomic_fetch_sub(&s->running, 1) == 1)
		event_active(s->done, EV_READ, 0);
	return NULL;
}

static int
worker_init(struct server *s, struct worker *w, size_t idx)
{
	size_t		 bytes, item;

	w->s = s;
	w->idx = idx;
	TAILQ_INIT(&w->pool.conns);
	TAILQ_INIT(&w->pool.waiting);
	w->pool.env = &s->env;
	w->pool.gen = worker_lend;
	w->pool.idle = worker_idle;
	w->pool.hold = worker_hold;
	w->pool.release = worker_release;
	w->pool.is_current = worker_is_current;
	w->pool.arg = w;
	item = server_conf(s)->max_article_size;
	item = item > (SIZE_MAX - 65536) / SERVER_CACHE_GROWTH ? SIZE_MAX / 2 :
	    item * SERVER_CACHE_GROWTH + 65536;
	if (item < SERVER_CACHE_ITEM_MIN)
		item = SERVER_CACHE_ITEM_MIN;
	bytes = SERVER_CACHE_BYTES / s->nworkers;
	if (bytes / SERVER_CACHE_ITEMS < item)
		bytes = item > SIZE_MAX / SERVER_CACHE_ITEMS ? SIZE_MAX :
		    item * SERVER_CACHE_ITEMS;
	rcache_init(&w->pool.cache, bytes, SERVER_CACHE_ENTRIES, item);
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
	    (w->logflush = event_new(w->base, -1, 0, worker_logflush_cb,
	    w)) == NULL ||
	    (w->logbuf = log_buf_new(worker_log_wake, w)) == NULL) {
		log_warnx("worker: cannot make its event loop");
		return -1;
	}
	w->pool.base = w->base;
	if (s->render != NULL &&
	    (w->pool.render = render_inbox_new(s->render, w->base)) == NULL)
		return -1;
	return listener_start(s->ls, idx, w->base, &w->pool);
}

static void
worker_fini(struct worker *w)
{
	/* Connections closed while rendering are freed here, at the latest. */
	render_inbox_free(w->pool.render);
	w->pool.render = NULL;
	rcache_fini(&w->pool.cache);
	gen_unref(w->gen);
	w->gen = NULL;
	if (w->grace != NULL)
		event_free(w->grace);
	if (w->waited != NULL)
		event_free(w->waited);
	if (w->stop != NULL)
		event_free(w->stop);
	if (w->regen != NULL)
		event_free(w->regen);
	log_buf_free(w->logbuf);
	if (w->logflush != NULL)
		event_free(w->logflush);
	w->grace = w->waited = w->stop = w->regen = NULL;
	w->logflush = NULL;
	w->logbuf = NULL;
}

/*
 * Reload (main thread).
 */

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
	/* The hook has said why, once: the previous generation serves on. */
	if (s->hooks->reload(s->hooks->arg, cur, s->gen->store, store_only,
	    &conf, &store) == -1)
		return;
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
	(void)watch_set(s->watch, server_conf(s)->store, server_conf(s)->pages);
	/* main.c's hook logs the "reloaded:" line with the counts. */
	log_debug("new generation: %zu articles, %zu pages (%s)",
	    store_count(g->store), store_npages(g->store),
	    store_only ? "the store changed" : "configuration and store");
}

/*
 * SIGHUP: a renewed certificate and key, rotated ticket keys (paths as
 * seen inside the chroot).
 */
static void
server_tls_reload(struct server *s)
{
	const struct conf	*conf = server_conf(s);

	if (s->env.tls == NULL)
		return;
	(void)tlsc_ctx_reload(s->env.tls, priv_path(conf->chroot, conf->cert),
	    priv_path(conf->chroot, conf->key),
	    priv_path(conf->chroot, conf->ticket_keys));
}

static void
server_hup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server	*s = arg;

	if (s->stopping)
		return;
	log_info("SIGHUP: reloading the configuration and the store");
	(void)log_access_reopen();
	server_reload(s, 0);
	server_tls_reload(s);
	(void)watch_set_interval(s->watch,
	    server_conf(s)->store_scan_interval);
}

/* After a rotation by rename (contrib/griot.logrotate). */
static void
server_usr1_cb(evutil_socket_t sig, short what, void *arg)
{
	if (log_access_file() == NULL)
		return;
	log_info("SIGUSR1: reopening the access log");
	(void)log_access_reopen();
}

/*
 * The store watch saw a change (watch_start()'s "changed"): read the
 * files it names, or the whole store when it cannot name them or the
 * update fails.
 */
static void
server_store_changed(void *arg, const struct watch_change *ch)
{
	struct server	*s = arg;
	struct store	*store = NULL;
	struct gen	*g;

	if (ch->full || s->hooks == NULL || s->hooks->update == NULL ||
	    s->hooks->update(s->hooks->arg, server_conf(s), s->gen->store,
	    ch->names, ch->nnames, ch->pages, &store) == -1) {
		server_reload(s, 1);
		return;
	}
	if ((g = gen_new(gconf_ref(s->gen->gc), store)) == NULL) {
		log_warn("store update");
		return;
	}
	server_gen_swap(s, g);
	/* A file that changed while it was read is read again soon. */
	if (store_nunsettled(g->store) > 0)
		watch_retry(s->watch);
}

static void
server_prune_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server	*s = arg;

	ratelimit_prune(s->env.rl, mono_now());
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
		    atomic_load(&s->env.nconns), SERVER_GRACE);
		if (s->watch != NULL)
			watch_stop(s->watch);
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
	atomic_init(&s->running, 0);
	atomic_init(&s->env.nconns, 0);
	atomic_init(&s->env.warned_cap, 0);
	atomic_init(&s->env.warned_evict, 0);
	atomic_init(&s->env.warned_peer, 0);
	atomic_init(&s->env.warned_proxy, 0);
	atomic_init(&s->env.warned_rl, 0);
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
	s->gen->serial = s->serial_last = 1;
	atomic_init(&s->serial, 1);
	s->nworkers = server_nworkers(conf);
	if ((s->env.rl = ratelimit_new(SERVER_RL_MAX)) == NULL) {
		log_warnx("server: cannot make the rate limit table");
		goto fail;
	}

	/* A client that leaves mid-response must not kill us. */
	(void)signal(SIGPIPE, SIG_IGN);
	/*
	 * Nor a stray SIGUSR2, which means nothing here; SIGUSR1 (reopen
	 * the access log) is ignored until the loop runs to take it.
	 */
	(void)signal(SIGUSR1, SIG_IGN);
	(void)signal(SIGUSR2, SIG_IGN);
	s->env.fd_cap = listener_fd_cap(conf, s->nworkers);

	if (conf->gemini_enabled &&
	    (s->env.tls = tlsc_ctx_new(conf)) == NULL)
		goto fail;
	if ((s->ls = listener_set_new(conf, s->nworkers)) == NULL)
		goto fail;

	/* Before a chroot could hide the folders. */
	if ((s->watch = watch_new()) == NULL) {
		log_warn("server");
		goto fail;
	}
	if (watch_set(s->watch, conf->store, conf->pages) == -1)
		goto fail;
	return s;
 fail:
	server_free(s);
	return NULL;
}

void
server_set_store(struct server *s, struct store *store)
{
	/* Before server_run(): no worker holds the generation yet. */
	store_unref(s->gen->store);
	s->gen->store = store;
}

int
server_run(struct server *s, const struct server_hooks *hooks)
{
	const struct conf	*conf = server_conf(s);
	struct timeval		 prune = { SERVER_RL_PRUNE, 0 };
	sigset_t		 all, old;
	size_t			 i, n = s->nworkers;
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

	/*
	 * As many render threads as workers; like the workers, they must
	 * not take the process signals.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	s->render = render_pool_new(n);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (s->render == NULL)
		goto done;
	if ((s->workers = calloc(n, sizeof(*s->workers))) == NULL) {
		log_warn("workers");
		goto done;
	}
	for (i = 0; i < n; i++)
		if (worker_init(s, &s->workers[i], i) == -1)
			goto done;

	if ((s->done = event_new(s->base, -1, 0, server_done_cb, s)) == NULL ||
	    (s->prune = event_new(s->base, -1, EV_PERSIST, server_prune_cb,
	    s)) == NULL ||
	    (s->sig_hup = evsignal_new(s->base, SIGHUP, server_hup_cb, s)) ==
	    NULL ||
	    (s->sig_term = evsignal_new(s->base, SIGTERM, server_term_cb,
	    s)) == NULL ||
	    (s->sig_int = evsignal_new(s->base, SIGINT, server_term_cb, s)) ==
	    NULL ||
	    (s->sig_usr1 = evsignal_new(s->base, SIGUSR1, server_usr1_cb,
	    s)) == NULL ||
	    event_add(s->sig_hup, NULL) == -1 ||
	    event_add(s->sig_usr1, NULL) == -1 ||
	    event_add(s->sig_term, NULL) == -1 ||
	    event_add(s->sig_int, NULL) == -1 ||
	    event_add(s->prune, &prune) == -1) {
		log_warnx("libevent: cannot set up the main loop");
		goto done;
	}
	/* Privileges are dropped: the folders are now seen from inside. */
	if (watch_start(s->watch, s->base, conf->chroot, server_store_changed,
	    s) == -1 ||
	    watch_set_interval(s->watch, conf->store_scan_interval) == -1)
		goto done;

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

	listener_log(s->ls);
	log_info("serving %zu articles with %zu worker%s, at most %d "
	    "connections", store_count(s->gen->store), n, n == 1 ? "" : "s",
	    s->env.fd_cap > 0 && s->env.fd_cap < conf->max_connections ?
	    s->env.fd_cap : conf->max_connections);

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
	listener_set_free(s->ls);
	for (i = 0; s->workers != NULL && i < s->nworkers; i++)
		if (s->workers[i].base != NULL)
			event_base_free(s->workers[i].base);
	free(s->workers);
	render_pool_free(s->render);
	/* Its events are on the main loop: freed before it. */
	watch_free(s->watch);
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
	if (s->sig_usr1 != NULL)
		event_free(s->sig_usr1);
	if (s->base != NULL)
		event_base_free(s->base);
	ratelimit_free(s->env.rl);
	gen_unref(s->gen);
	tlsc_ctx_free(s->env.tls);
	pthread_mutex_destroy(&s->genlock);
	free(s);
}
