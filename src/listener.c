/* griot: the listening sockets.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Binding the listeners (one socket per address and worker), accepting
 * on a worker's sockets, pausing when out of descriptors, draining the
 * queues at the stop; and the descriptor limit (listener.h).
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "conn.h"
#include "listener.h"
#include "log.h"
#include "net.h"

#define LISTENER_DRAIN_MAX	4096	/* queued connections taken in at stop */
#define LISTENER_ACCEPT_BATCH	64	/* accepts per wake-up */
#define LISTENER_ACCEPT_PAUSE	1	/* s without accepting when out of fds */
#define LISTENER_MSG_MAX	512	/* a message from net.c */
#define LISTENER_FD_RESERVE	64	/* descriptors kept from clients */
#define LISTENER_FD_PER_WORKER	16	/* its listeners, epoll, wake-ups */
/*
 * Seconds a silent Gopher connection waits in the kernel before it is
 * accepted anyway (TCP_DEFER_ACCEPT) and its request_timeout begins: 1,
 * the least request_timeout, so that a client that sends nothing waits
 * one SYN-ACK retransmission longer to be closed, and no other client
 * waits at all.
 */
#define LISTENER_DEFER_SECS	1

/* One listening socket: each address has one per worker. */
struct listener {
	struct listener_set	*set;
	size_t			 wi;		/* the worker accepting on it */
	int			 fd;		/* closed by that worker */
	int			 first;		/* its address's first: logged */
	enum conn_proto		 proto;
	struct event		*ev;
	char			 name[INET6_ADDRSTRLEN + 32];
};

/* What a worker accepts with; touched by its thread only. */
struct listener_worker {
	struct listener_set	*set;
	size_t			 wi;
	struct conn_pool	*pool;
	struct event		*resume;	/* accept again after EMFILE */
	int			 stopped;
	atomic_llong		 warned_accept;
};

struct listener_set {
	struct listener		*ls;
	size_t			 nls;
	struct listener_worker	*workers;
	size_t			 nworkers;
	enum conn_proto		 proto;		/* of the sockets being bound */
};

static void
listener_enable(struct listener_set *set, size_t wi, int on)
{
	size_t	 i;

	for (i = 0; i < set->nls; i++) {
		if (set->ls[i].wi != wi || set->ls[i].ev == NULL)
			continue;
		if (on)
			event_add(set->ls[i].ev, NULL);
		else
			event_del(set->ls[i].ev);
	}
}

static void
listener_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct listener_worker	*lw = arg;

	if (!lw->stopped)
		listener_enable(lw->set, lw->wi, 1);
}

static void
listener_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct listener		*l = arg;
	struct listener_worker	*lw = &l->set->workers[l->wi];
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { LISTENER_ACCEPT_PAUSE, 0 };
	socklen_t		 len;
	int			 fd, i;

	for (i = 0; i < LISTENER_ACCEPT_BATCH && !lw->stopped; i++) {
		len = sizeof(ss);
		fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			conn_accept(lw->pool, fd, l->proto,
			    (struct sockaddr *)&ss, len);
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
			if (log_is_due(&lw->warned_accept))
				log_warn("accept on %s (pausing %d s)",
				    l->name, LISTENER_ACCEPT_PAUSE);
			listener_enable(l->set, l->wi, 0);
			evtimer_add(lw->resume, &tv);
			return;
		default:
			log_warn("accept on %s", l->name);
			return;
		}
	}
}

int
listener_start(struct listener_set *set, size_t wi, struct event_base *base,
    struct conn_pool *pool)
{
	struct listener_worker	*lw = &set->workers[wi];
	struct listener		*l;
	size_t			 i;

	lw->pool = pool;
	if ((lw->resume = evtimer_new(base, listener_resume_cb, lw)) == NULL) {
		log_warnx("worker: cannot make its event loop");
		return -1;
	}
	for (i = 0; i < set->nls; i++) {
		l = &set->ls[i];
		if (l->wi != wi)
			continue;
		if ((l->ev = event_new(base, l->fd, EV_READ | EV_PERSIST,
		    listener_accept_cb, l)) == NULL ||
		    event_add(l->ev, NULL) == -1) {
			log_warnx("libevent: cannot listen on %s", l->name);
			return -1;
		}
	}
	return 0;
}

void
listener_stop(struct listener_set *set, size_t wi)
{
	struct listener_worker	*lw = &set->workers[wi];
	struct listener		*l;
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	size_t			 i, n;
	int			 fd;

	lw->stopped = 1;
	for (i = 0; i < set->nls; i++) {
		l = &set->ls[i];
		if (l->wi != wi)
			continue;
		for (n = 0; l->fd != -1 && n < LISTENER_DRAIN_MAX; n++) {
			len = sizeof(ss);
			fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
			    SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd == -1) {
				if (errno == EINTR || errno == ECONNABORTED)
					continue;
				break;	/* EAGAIN: the queue is empty */
			}
			conn_accept(lw->pool, fd, l->proto,
			    (struct sockaddr *)&ss, len);
		}
		if (l->ev != NULL) {
			event_free(l->ev);
			l->ev = NULL;
		}
		if (l->fd != -1) {
			close(l->fd);
			l->fd = -1;
		}
	}
	if (lw->resume != NULL)
		event_del(lw->resume);
}

void
listener_log(const struct listener_set *set)
{
	size_t	 i;

	for (i = 0; i < set->nls; i++)
		if (set->ls[i].first)
			log_info("listening on %s (%s)", set->ls[i].name,
			    conn_proto_name(set->ls[i].proto));
}

/* One more socket from net_listen(): the listener of worker "wi". */
static int
listener_add(void *arg, int fd, size_t wi, const char *name)
{
	struct listener_set	*set = arg;
	struct listener		*l, *ls;
	char			 msg[LISTENER_MSG_MAX];
	int			 n, e;

	if ((ls = reallocarray(set->ls, set->nls + 1, sizeof(*ls))) == NULL) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	set->ls = ls;
	l = &set->ls[set->nls++];
	memset(l, 0, sizeof(*l));
	l->set = set;
	l->wi = wi;
	l->fd = fd;
	l->first = wi == 0;
	l->proto = set->proto;
	/*
	 * A Gopher or HTTP request follows the connection at once: accepted
	 * only with its bytes, it is read, answered and closed in one
	 * wake-up (bench/README.md: 20-30% less CPU per request).  Gemini
	 * gains nothing measurable behind its handshake, and keeps its
	 * sockets as they are.  Failing to set it costs speed only.
	 */
	if (set->proto != CONN_GEMINI &&
	    net_defer_accept(fd, LISTENER_DEFER_SECS, msg, sizeof(msg)) == -1)
		log_warnx("%s", msg);
	n = snprintf(l->name, sizeof(l->name), "%s", name);
	if (n < 0 || (size_t)n >= sizeof(l->name))
		l->name[0] = '\0';	/* net.c's names fit */
	return 0;
}

static int
listener_bind(struct listener_set *set, const char *addr, int port,
    enum conn_proto proto)
{
	char	 msg[LISTENER_MSG_MAX];

	set->proto = proto;
	if (net_listen(addr, port, set->nworkers, conn_proto_name(proto),
	    listener_add, set, msg, sizeof(msg)) == -1) {
		log_warnx("%s", msg);
		return -1;
	}
	return 0;
}

static int
listener_bind_all(struct listener_set *set, const struct conf *conf)
{
	size_t	 i;

	if (conf->gemini_enabled) {
		for (i = 0; i < conf->gemini_listen.naddrs; i++)
			if (listener_bind(set, conf->gemini_listen.addrs[i],
			    conf->gemini_port, CONN_GEMINI) == -1)
				return -1;
		if (conf->gemini_listen.naddrs == 0 &&
		    listener_bind(set, "*", conf->gemini_port,
		    CONN_GEMINI) == -1)
			return -1;
	}
	if (conf->gopher_enabled) {
		for (i = 0; i < conf->gopher_listen.naddrs; i++)
			if (listener_bind(set, conf->gopher_listen.addrs[i],
			    conf->gopher_port, CONN_GOPHER) == -1)
				return -1;
		if (conf->gopher_listen.naddrs == 0 &&
		    listener_bind(set, "*", conf->gopher_port,
		    CONN_GOPHER) == -1)
			return -1;
	}
	if (conf->http_enabled) {
		for (i = 0; i < conf->http_listen.naddrs; i++)
			if (listener_bind(set, conf->http_listen.addrs[i],
			    conf->http_port, CONN_HTTP) == -1)
				return -1;
		if (conf->http_listen.naddrs == 0 &&
		    listener_bind(set, "*", conf->http_port,
		    CONN_HTTP) == -1)
			return -1;
	}
	if (set->nls == 0) {
		log_warnx("nothing to serve: [gemini], [gopher] and [http] are "
		    "all disabled");
		return -1;
	}
	return 0;
}

struct listener_set *
listener_set_new(const struct conf *conf, size_t nworkers)
{
	struct listener_set	*set;
	size_t			 i;

	if ((set = calloc(1, sizeof(*set))) == NULL ||
	    (set->workers = calloc(nworkers, sizeof(*set->workers))) ==
	    NULL) {
		log_warn("server");
		free(set);
		return NULL;
	}
	set->nworkers = nworkers;
	for (i = 0; i < nworkers; i++) {
		set->workers[i].set = set;
		set->workers[i].wi = i;
		atomic_init(&set->workers[i].warned_accept, 0);
	}
	if (listener_bind_all(set, conf) == -1) {
		listener_set_free(set);
		return NULL;
	}
	return set;
}

void
listener_set_free(struct listener_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nls; i++) {
		if (set->ls[i].ev != NULL)
			event_free(set->ls[i].ev);
		if (set->ls[i].fd != -1)
			close(set->ls[i].fd);
	}
	free(set->ls);
	for (i = 0; i < set->nworkers; i++)
		if (set->workers[i].resume != NULL)
			event_free(set->workers[i].resume);
	free(set->workers);
	free(set);
}

/*
 * Many idle clients need many descriptors: take all we may, and cap the
 * connections below the limit, so that a flood meets max_connections
 * (where the oldest idle connection makes room) and never EMFILE (where
 * accepting pauses for everyone).
 */
int
listener_fd_cap(const struct conf *conf, size_t nworkers)
{
	unsigned long long	 limit, reserve;
	char			 msg[LISTENER_MSG_MAX];
	int			 cap;

	if (net_raise_nofile(&limit, msg, sizeof(msg)) == -1)
		log_warnx("%s", msg);
	if (limit == 0)
		return 0;
	reserve = LISTENER_FD_RESERVE + LISTENER_FD_PER_WORKER * nworkers;
	cap = limit > reserve + 1 ? (int)(limit - reserve >
	    1000000 ? 1000000 : limit - reserve) : 1;
	if (conf->max_connections > cap)
		log_warnx("[server] max_connections %d is more than the open "
		    "file limit %llu leaves room for: at most %d connections "
		    "(raise it: ulimit -n, LimitNOFILE=)",
		    conf->max_connections, limit, cap);
	return cap;
}
