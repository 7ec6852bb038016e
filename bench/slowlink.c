/* griot: slow-link emulator and one-request client.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * "slowlink relay" sits on loopback between a client and the daemon and
 * makes the path behave like a slow link: each direction delays every byte
 * by half the round-trip time and lets bytes leave no faster than the
 * link's rate; "slowlink measure" makes one Gopher, Gemini or HTTP
 * request through it and reports the bytes each way, the round trips it waited
 * for and the time to the last byte.
 */
#include "griot-config.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define SL_CONNS_MAX	64		/* connections relayed at once */
#define SL_SEGMENT	256		/* bytes paced as one unit */
#define SL_QUEUE_MAX	(1024 * 1024)	/* bytes held per direction */
#define SL_READ_SIZE	16384
#define SL_LINE_MAX	1026		/* Gemini: 1024 bytes of URL + CRLF */
#define SL_WAITS_MAX	16		/* round trips itemised in the report */

/*
 * The relay.
 */

enum sl_mark {
	SL_DATA,
	SL_EOF,		/* the sender closed its side: pass the FIN on */
	SL_RESET	/* the sender failed: drop the connection */
};

/* Bytes in flight on the emulated link, delivered at "release". */
struct sl_chunk {
	struct sl_chunk	*next;
	uint64_t	 release;	/* ns, monotonic */
	enum sl_mark	 mark;
	size_t		 len;
	size_t		 off;
	unsigned char	 data[];
};

struct sl_dir {
	int		*from;		/* points at the connection's fds */
	int		*to;
	struct sl_chunk	*head;
	struct sl_chunk	*tail;
	size_t		 queued;	/* bytes not yet written to "to" */
	uint64_t	 busy;		/* ns: the link is sending until then */
	uint64_t	 bytes;		/* read from "from" */
	uint64_t	 last;		/* ns: last byte delivered */
	int		 rdone;		/* EOF or error read */
	int		 wdone;		/* the FIN passed on */
	int		 blocked;	/* "to" said EAGAIN */
};

struct sl_conn {
	int		 used;
	unsigned	 id;
	int		 cfd;		/* the client's side */
	int		 sfd;		/* the daemon's side */
	int		 connected;	/* sfd's connect() finished */
	uint32_t	 cev, sev;	/* epoll interest registered */
	int		 creg, sreg;	/* registered at all */
	uint64_t	 start;		/* ns: accepted */
	struct sl_dir	 up;		/* client -> daemon */
	struct sl_dir	 down;		/* daemon -> client */
};

static volatile sig_atomic_t	 sl_stop;
static struct sl_conn		 sl_conns[SL_CONNS_MAX];
static int			 sl_epfd = -1;
static int			 sl_tfd = -1;
static uint64_t			 sl_rate;	/* bits per second */
static uint64_t			 sl_delay;	/* ns, one way */
static uint64_t			 sl_rtt;	/* ns */
static FILE			*sl_log;
static unsigned			 sl_nextid;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: slowlink relay [-a address] [-P port] [-A target-address] -T target-port\n"
	    "                      -b bits-per-second -d rtt-ms [-L lifetime] [-o logfile]\n"
	    "       slowlink measure [-rz] [-m gopher|gemini|http] [-a address] -P port\n"
	    "                      -s selector-or-url [-n connections] [-S sni]\n"
	    "                      [-T timeout] [-o dumpfile]\n");
	exit(2);
}

static void
on_signal(int sig)
{
	(void)sig;
	sl_stop = 1;
}

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
is_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const uint8_t			*b;

	if (ss->ss_family == AF_INET) {
		sin = (const struct sockaddr_in *)ss;
		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)ss;
		if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return 1;
		b = sin6->sin6_addr.s6_addr;
		return IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) && b[12] == 127;
	}
	return 0;
}

/* A numeric loopback address and a port (0 allowed when "any" is set). */
static int
parse_addr(struct sockaddr_storage *ss, socklen_t *len, const char *host,
    const char *port, int any)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	char			*end;
	long			 p;

	errno = 0;
	p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || errno != 0 || p < (any ? 0 : 1) ||
	    p > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		*len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*sin6);
	} else
		return -1;
	return is_loopback(ss) ? 0 : -1;
}

static long
number(const char *s, long min, long max, const char *what)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, "slowlink: %s: \"%s\" is not a number from "
		    "%ld to %ld\n", what, s, min, max);
		exit(2);
	}
	return v;
}

static void
set_nodelay(int fd)
{
	int	 one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/*
 * Register what "fd" waits for.  A socket that waits for nothing leaves
 * the epoll set: a hung-up socket would otherwise report EPOLLHUP again
 * and again while its last bytes cross the link.
 */
static void
fd_interest(int fd, int *reg, uint32_t *cur, uint32_t want, uint64_t data)
{
	struct epoll_event	 ev;

	if (fd == -1 || (*reg && want == *cur))
		return;
	if (want == 0) {
		if (*reg && epoll_ctl(sl_epfd, EPOLL_CTL_DEL, fd, NULL) == 0)
			*reg = 0;
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = want;
	ev.data.u64 = data;
	if (epoll_ctl(sl_epfd, *reg ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd,
	    &ev) == 0) {
		*reg = 1;
		*cur = want;
	}
}

/* What each socket of "c" should wait for now. */
static void
conn_interest(struct sl_conn *c)
{
	uint64_t	 i = (uint64_t)(c - sl_conns);
	uint32_t	 cw = 0, sw = 0;

	if (!c->up.rdone && c->up.queued < SL_QUEUE_MAX)
		cw |= EPOLLIN;
	if (c->down.blocked)
		cw |= EPOLLOUT;
	if (c->connected && !c->down.rdone && c->down.queued < SL_QUEUE_MAX)
		sw |= EPOLLIN;
	if (!c->connected || c->up.blocked)
		sw |= EPOLLOUT;
	fd_interest(c->cfd, &c->creg, &c->cev, cw, i << 1);
	fd_interest(c->sfd, &c->sreg, &c->sev, sw, (i << 1) | 1);
}

static void
dir_purge(struct sl_dir *d)
{
	struct sl_chunk	*k;

	while ((k = d->head) != NULL) {
		d->head = k->next;
		free(k);
	}
	d->tail = NULL;
	d->queued = 0;
}

static double
ms_since(uint64_t t, uint64_t t0)
{
	return t > t0 ? (double)(t - t0) / 1e6 : 0.0;
}

/* Log the connection's counts and release it; "why" is NULL when clean. */
static void
conn_end(struct sl_conn *c, const char *why)
{
	if (!c->used)
		return;
	fprintf(sl_log, "conn=%u c2s=%" PRIu64 " s2c=%" PRIu64
	    " c2s_last_ms=%.1f s2c_last_ms=%.1f end_ms=%.1f%s%s\n", c->id,
	    c->up.bytes, c->down.bytes, ms_since(c->up.last, c->start),
	    ms_since(c->down.last, c->start), ms_since(now_ns(), c->start),
	    why != NULL ? " error=" : "", why != NULL ? why : "");
	fflush(sl_log);
	if (c->cfd != -1)
		close(c->cfd);
	if (c->sfd != -1)
		close(c->sfd);
	dir_purge(&c->up);
	dir_purge(&c->down);
	memset(c, 0, sizeof(*c));
	c->cfd = c->sfd = -1;
}

static int
dir_push(struct sl_dir *d, enum sl_mark mark, const unsigned char *p,
    size_t len, uint64_t release)
{
	struct sl_chunk	*k;

	if ((k = malloc(sizeof(*k) + len)) == NULL)
		return -1;
	k->next = NULL;
	k->release = release;
	k->mark = mark;
	k->len = len;
	k->off = 0;
	if (len > 0)
		memcpy(k->data, p, len);
	if (d->tail != NULL)
		d->tail->next = k;
	else
		d->head = k;
	d->tail = k;
	d->queued += len;
	return 0;
}

/*
 * Bytes read at "now" go on the link: a segment starts when the link is
 * free, takes its length times 8 / rate to send, and arrives one-way
 * delay after its last bit left.
 */
static int
dir_read(struct sl_dir *d, uint64_t now)
{
	unsigned char	 buf[SL_READ_SIZE];
	uint64_t	 start;
	ssize_t		 n;
	size_t		 off, seg;
	int		 i;

	for (i = 0; i < 16 && d->queued < SL_QUEUE_MAX; i++) {
		n = recv(*d->from, buf, sizeof(buf), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		start = now > d->busy ? now : d->busy;
		if (n <= 0) {
			d->rdone = 1;
			return dir_push(d, n == 0 ? SL_EOF : SL_RESET, NULL, 0,
			    start + sl_delay);
		}
		d->bytes += (uint64_t)n;
		for (off = 0; off < (size_t)n; off += seg) {
			seg = (size_t)n - off;
			if (seg > SL_SEGMENT)
				seg = SL_SEGMENT;
			start = now > d->busy ? now : d->busy;
			d->busy = start + (uint64_t)seg * 8000000000u / sl_rate;
			if (dir_push(d, SL_DATA, buf + off, seg,
			    d->busy + sl_delay) == -1)
				return -1;
		}
	}
	return 0;
}

/* Deliver what has arrived by "now".  -1: the connection is over. */
static int
dir_flush(struct sl_conn *c, struct sl_dir *d, uint64_t now)
{
	struct sl_chunk	*k;
	struct linger	 lg;
	ssize_t		 n;

	d->blocked = 0;
	if (*d->to == -1 || (d == &c->up && !c->connected))
		return 0;
	while ((k = d->head) != NULL && k->release <= now) {
		if (k->mark == SL_RESET) {
			lg.l_onoff = 1;
			lg.l_linger = 0;
			(void)setsockopt(*d->to, SOL_SOCKET, SO_LINGER, &lg,
			    sizeof(lg));
			return -1;
		}
		if (k->mark == SL_EOF) {
			(void)shutdown(*d->to, SHUT_WR);
			d->wdone = 1;
		} else {
			n = send(*d->to, k->data + k->off, k->len - k->off,
			    MSG_NOSIGNAL);
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				d->blocked = 1;
				return 0;
			}
			if (n <= 0)
				return -1;
			k->off += (size_t)n;
			d->queued -= (size_t)n;
			d->last = now;
			if (k->off < k->len)
				continue;
		}
		d->head = k->next;
		if (d->head == NULL)
			d->tail = NULL;
		free(k);
	}
	return 0;
}

static void
relay_accept(int lfd, const struct sockaddr_storage *target, socklen_t tlen)
{
	struct sl_conn		*c = NULL;
	int			 fd, sfd, i;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1)
			return;
		for (i = 0; i < SL_CONNS_MAX; i++)
			if (!sl_conns[i].used) {
				c = &sl_conns[i];
				break;
			}
		if (c == NULL) {
			fprintf(stderr, "slowlink: %d connections already: "
			    "refusing one\n", SL_CONNS_MAX);
			close(fd);
			continue;
		}
		sfd = socket(target->ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (sfd == -1 || (connect(sfd, (const struct sockaddr *)target,
		    tlen) == -1 && errno != EINPROGRESS)) {
			fprintf(stderr, "slowlink: connect to the target: %s\n",
			    strerror(errno));
			if (sfd != -1)
				close(sfd);
			close(fd);
			continue;
		}
		set_nodelay(fd);
		set_nodelay(sfd);
		memset(c, 0, sizeof(*c));
		c->used = 1;
		c->id = ++sl_nextid;
		c->cfd = fd;
		c->sfd = sfd;
		c->creg = c->sreg = 0;
		c->start = now_ns();
		c->up.from = &c->cfd;
		c->up.to = &c->sfd;
		c->down.from = &c->sfd;
		c->down.to = &c->cfd;
		/*
		 * The TCP handshake: the client's first byte leaves once the
		 * SYN has gone and the SYN-ACK come back.
		 */
		c->up.busy = c->start + sl_rtt;
		conn_interest(c);
		c = NULL;
	}
}

/* Arm the timer for the earliest delivery still to come. */
static void
relay_timer(void)
{
	struct itimerspec	 its;
	uint64_t		 next = 0;
	int			 i;

	for (i = 0; i < SL_CONNS_MAX; i++) {
		struct sl_conn	*c = &sl_conns[i];

		if (!c->used)
			continue;
		if (c->up.head != NULL && !c->up.blocked && c->connected &&
		    (next == 0 || c->up.head->release < next))
			next = c->up.head->release;
		if (c->down.head != NULL && !c->down.blocked &&
		    (next == 0 || c->down.head->release < next))
			next = c->down.head->release;
	}
	memset(&its, 0, sizeof(its));
	if (next != 0) {
		its.it_value.tv_sec = (time_t)(next / 1000000000u);
		its.it_value.tv_nsec = (long)(next % 1000000000u);
	}
	(void)timerfd_settime(sl_tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void
relay_event(struct sl_conn *c, int side, uint32_t events, uint64_t now)
{
	struct sl_dir	*d;
	socklen_t	 len;
	int		 err = 0;

	if (!c->used)
		return;
	if (side == 1 && !c->connected && (events & (EPOLLOUT | EPOLLERR |
	    EPOLLHUP))) {
		len = sizeof(err);
		if (getsockopt(c->sfd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
		    err != 0) {
			conn_end(c, "connect");
			return;
		}
		c->connected = 1;
	}
	d = side == 0 ? &c->up : &c->down;
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !d->rdone &&
	    (side == 0 || c->connected)) {
		if (dir_read(d, now) == -1) {
			conn_end(c, "out of memory");
			return;
		}
	}
}

static int
relay_main(int argc, char **argv)
{
	struct sockaddr_storage	 laddr, taddr;
	struct epoll_event	 ev, evs[64];
	struct sigaction	 sa;
	socklen_t		 llen, tlen;
	const char		*host = "127.0.0.1", *thost = NULL;
	const char		*port = "0", *tport = NULL, *logpath = NULL;
	char			 name[INET6_ADDRSTRLEN];
	uint64_t		 now, until, tick;
	long			 rtt_ms = -1, lifetime = 600;
	int			 ch, lfd, one = 1, n, i;

	while ((ch = getopt(argc, argv, "A:a:b:d:L:o:P:T:")) != -1) {
		switch (ch) {
		case 'A':
			thost = optarg;
			break;
		case 'a':
			host = optarg;
			break;
		case 'b':
			sl_rate = (uint64_t)number(optarg, 300, 10000000000L,
			    "-b bits per second");
			break;
		case 'd':
			rtt_ms = number(optarg, 0, 60000, "-d rtt-ms");
			break;
		case 'L':
			lifetime = number(optarg, 1, 86400, "-L lifetime");
			break;
		case 'o':
			logpath = optarg;
			break;
		case 'P':
			port = optarg;
			break;
		case 'T':
			tport = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || tport == NULL || sl_rate == 0 || rtt_ms < 0)
		usage();
	if (thost == NULL)
		thost = host;
	if (parse_addr(&laddr, &llen, host, port, 1) == -1 ||
	    parse_addr(&taddr, &tlen, thost, tport, 0) == -1) {
		fprintf(stderr, "slowlink: numeric loopback addresses and "
		    "ports only\n");
		return 2;
	}
	sl_rtt = (uint64_t)rtt_ms * 1000000u;
	sl_delay = sl_rtt / 2;
	sl_log = stdout;
	if (logpath != NULL && (sl_log = fopen(logpath, "a")) == NULL) {
		fprintf(stderr, "slowlink: %s: %s\n", logpath, strerror(errno));
		return 1;
	}
	for (i = 0; i < SL_CONNS_MAX; i++)
		sl_conns[i].cfd = sl_conns[i].sfd = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	lfd = socket(laddr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (lfd == -1 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 || bind(lfd, (struct sockaddr *)&laddr,
	    llen) == -1 || listen(lfd, 64) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&laddr, &llen) == -1) {
		fprintf(stderr, "slowlink: listen on %s port %s: %s\n", host,
		    port, strerror(errno));
		return 1;
	}
	if ((sl_epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (sl_tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK |
	    TFD_CLOEXEC)) == -1) {
		fprintf(stderr, "slowlink: %s\n", strerror(errno));
		return 1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = UINT64_MAX;
	if (epoll_ctl(sl_epfd, EPOLL_CTL_ADD, lfd, &ev) == -1)
		return 1;
	ev.data.u64 = UINT64_MAX - 1;
	if (epoll_ctl(sl_epfd, EPOLL_CTL_ADD, sl_tfd, &ev) == -1)
		return 1;

	if (laddr.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&laddr)->sin_addr,
		    name, sizeof(name));
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&laddr)->sin6_addr,
		    name, sizeof(name));
	printf("slowlink: listening on %s port %d, to port %s, %" PRIu64
	    " bit/s, %ld ms round trip\n", name, ntohs(laddr.ss_family ==
	    AF_INET ? ((struct sockaddr_in *)&laddr)->sin_port :
	    ((struct sockaddr_in6 *)&laddr)->sin6_port), tport, sl_rate,
	    rtt_ms);
	fflush(stdout);

	until = now_ns() + (uint64_t)lifetime * 1000000000u;
	while (!sl_stop && now_ns() < until) {
		relay_timer();
		n = epoll_wait(sl_epfd, evs, 64, 1000);
		if (n == -1 && errno != EINTR) {
			fprintf(stderr, "slowlink: epoll_wait: %s\n",
			    strerror(errno));
			break;
		}
		now = now_ns();
		for (i = 0; i < n; i++) {
			if (evs[i].data.u64 == UINT64_MAX)
				relay_accept(lfd, &taddr, tlen);
			else if (evs[i].data.u64 == UINT64_MAX - 1)
				(void)read(sl_tfd, &tick, sizeof(tick));
			else
				relay_event(&sl_conns[evs[i].data.u64 >> 1],
				    (int)(evs[i].data.u64 & 1), evs[i].events,
				    now);
		}
		now = now_ns();
		for (i = 0; i < SL_CONNS_MAX; i++) {
			struct sl_conn	*c = &sl_conns[i];

			if (!c->used)
				continue;
			if (dir_flush(c, &c->up, now) == -1 ||
			    dir_flush(c, &c->down, now) == -1) {
				conn_end(c, c->up.head != NULL &&
				    c->up.head->mark == SL_RESET ? "client reset" :
				    c->down.head != NULL &&
				    c->down.head->mark == SL_RESET ?
				    "server reset" : "send");
				continue;
			}
			if (c->up.wdone && c->down.wdone) {
				conn_end(c, NULL);
				continue;
			}
			conn_interest(c);
		}
	}
	for (i = 0; i < SL_CONNS_MAX; i++)
		conn_end(&sl_conns[i], "relay stopped");
	close(lfd);
	close(sl_tfd);
	close(sl_epfd);
	if (sl_log != stdout)
		fclose(sl_log);
	return 0;
}

/*
 * The client: one request, counted.
 */

struct sl_meter {
	uint64_t	 start;		/* ns: before connect() */
	uint64_t	 c2s, s2c;	/* bytes on the socket */
	uint64_t	 c2s_at_last;	/* c2s when the last byte came */
	uint64_t	 last;		/* ns: the last byte read */
	uint64_t	 plain;		/* bytes of the answer itself */
	int		 wrote;		/* sent since the last byte read */
	int		 waiting;	/* a round trip is under way */
	uint64_t	 wait_start;
	int		 rtts;		/* the TCP handshake included */
	double		 waits[SL_WAITS_MAX];	/* ms, from the last write */
	/* What the server's TLS records carried. */
	int		 records, ccs, alerts, tickets;
	uint64_t	 hs[256];	/* handshake bytes by message type */
	int		 nhs[256];
	char		 head[4];
	size_t		 nhead;
};

static int			 ms_timeout = 60;

static void
meter_wrote(struct sl_meter *m, size_t n)
{
	m->c2s += n;
	m->wrote = 1;
}

static void
meter_read(struct sl_meter *m, size_t n)
{
	uint64_t	 t = now_ns();

	if (m->waiting) {
		/* waits[0] is the first round trip after the TCP one. */
		if (m->rtts >= 2 && m->rtts - 2 < SL_WAITS_MAX)
			m->waits[m->rtts - 2] = (double)(t - m->wait_start) / 1e6;
		m->waiting = 0;
	}
	m->s2c += n;
	m->last = t;
	m->c2s_at_last = m->c2s;
	m->wrote = 0;
}

/*
 * About to wait for the server: when something was sent since the last
 * byte came in, this wait is a round trip.
 */
static void
meter_wait(struct sl_meter *m)
{
	if (m->wrote && !m->waiting) {
		m->rtts++;
		m->waiting = 1;
		m->wait_start = now_ns();
	}
	m->wrote = 0;
}

static long
meter_bio_cb(BIO *b, int oper, const char *argp, size_t len, int argi,
    long argl, int ret, size_t *processed)
{
	struct sl_meter	*m = (struct sl_meter *)BIO_get_callback_arg(b);

	(void)argp;
	(void)len;
	(void)argi;
	(void)argl;
	if (m == NULL || ret <= 0 || processed == NULL)
		return ret;
	if (oper == (BIO_CB_READ | BIO_CB_RETURN))
		meter_read(m, *processed);
	else if (oper == (BIO_CB_WRITE | BIO_CB_RETURN))
		meter_wrote(m, *processed);
	return ret;
}

/* The server's records and handshake messages, as they come. */
static void
meter_msg_cb(int write_p, int version, int content_type, const void *buf,
    size_t len, SSL *ssl, void *arg)
{
	struct sl_meter		*m = arg;
	const unsigned char	*p = buf;

	(void)version;
	(void)ssl;
	if (write_p || m == NULL)
		return;
	switch (content_type) {
	case SSL3_RT_HEADER:
		m->records++;
		/* TLS 1.3 drops the compatibility CCS before the callback. */
		if (len >= 1 && p[0] == SSL3_RT_CHANGE_CIPHER_SPEC)
			m->ccs++;
		break;
	case SSL3_RT_ALERT:
		m->alerts++;
		break;
	case SSL3_RT_HANDSHAKE:
		if (len >= 1) {
			m->hs[p[0]] += len;
			m->nhs[p[0]]++;
			if (p[0] == SSL3_MT_NEWSESSION_TICKET)
				m->tickets++;
		}
		break;
	default:
		break;
	}
}

/* Wait until "fd" is ready for "events"; -1 on timeout or error. */
static int
meter_poll(struct sl_meter *m, int fd, short events, uint64_t deadline)
{
	struct pollfd	 pfd;
	uint64_t	 t;
	int		 r;

	if (events & POLLIN)
		meter_wait(m);
	for (;;) {
		t = now_ns();
		if (t >= deadline)
			return -1;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, (int)((deadline - t) / 1000000u) + 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		return 0;
	}
}

static int
meter_connect(struct sl_meter *m, const struct sockaddr_storage *ss,
    socklen_t len, uint64_t deadline)
{
	socklen_t	 elen;
	int		 fd, err = 0;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1)
		return -1;
	m->start = now_ns();
	/* The TCP handshake is the first round trip (the relay adds it). */
	m->rtts = 1;
	if (connect(fd, (const struct sockaddr *)ss, len) == -1) {
		if (errno != EINPROGRESS)
			goto fail;
		if (meter_poll(m, fd, POLLOUT, deadline) == -1)
			goto fail;
		elen = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == -1 ||
		    err != 0)
			goto fail;
	}
	return fd;
 fail:
	close(fd);
	return -1;
}

static void
meter_plain(struct sl_meter *m, const unsigned char *p, size_t n, FILE *dump)
{
	size_t	 i;

	for (i = 0; i < n && m->nhead < sizeof(m->head) - 1; i++)
		m->head[m->nhead++] = (char)p[i];
	m->plain += n;
	if (dump != NULL)
		(void)fwrite(p, 1, n, dump);
}

static int
measure_gopher(struct sl_meter *m, const struct sockaddr_storage *ss,
    socklen_t len, const char *line, size_t linelen, FILE *dump)
{
	unsigned char	 buf[SL_READ_SIZE];
	uint64_t	 deadline;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	deadline = now_ns() + (uint64_t)ms_timeout * 1000000000u;
	if ((fd = meter_connect(m, ss, len, deadline)) == -1)
		return -1;
	while (off < linelen) {
		n = send(fd, line + off, linelen - off, MSG_NOSIGNAL);
		if (n > 0) {
			meter_wrote(m, (size_t)n);
			off += (size_t)n;
		} else if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
			if (meter_poll(m, fd, POLLOUT, deadline) == -1)
				goto fail;
		} else
			goto fail;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0) {
			meter_read(m, (size_t)n);
			meter_plain(m, buf, (size_t)n, dump);
		} else if (n == 0)
			break;
		else if (errno == EAGAIN || errno == EINTR) {
			if (meter_poll(m, fd, POLLIN, deadline) == -1)
				goto fail;
		} else
			goto fail;
	}
	close(fd);
	return 0;
 fail:
	close(fd);
	return -1;
}

/* Drive an SSL call that wants the socket; 0 to retry, -1 to give up. */
static int
measure_want(struct sl_meter *m, SSL *ssl, int fd, int r, uint64_t deadline)
{
	switch (SSL_get_error(ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return meter_poll(m, fd, POLLIN, deadline);
	case SSL_ERROR_WANT_WRITE:
		return meter_poll(m, fd, POLLOUT, deadline);
	default:
		return -1;
	}
}

static int
measure_gemini(struct sl_meter *m, SSL_CTX *ctx, SSL_SESSION **sess,
    const struct sockaddr_storage *ss, socklen_t len, const char *sni,
    const char *line, size_t linelen, FILE *dump, char *version,
    size_t versionlen, int *resumed, int *closed, int *again)
{
	unsigned char	 buf[SL_READ_SIZE];
	uint64_t	 deadline;
	SSL		*ssl = NULL;
	BIO		*bio;
	SSL_SESSION	*s;
	size_t		 off = 0;
	int		 fd, r, rv = -1;

	deadline = now_ns() + (uint64_t)ms_timeout * 1000000000u;
	if ((fd = meter_connect(m, ss, len, deadline)) == -1)
		return -1;
	if ((ssl = SSL_new(ctx)) == NULL ||
	    (bio = BIO_new_socket(fd, BIO_NOCLOSE)) == NULL)
		goto done;
	BIO_set_callback_arg(bio, (char *)m);
	BIO_set_callback_ex(bio, meter_bio_cb);
	SSL_set_bio(ssl, bio, bio);
	SSL_set_msg_callback(ssl, meter_msg_cb);
	SSL_set_msg_callback_arg(ssl, m);
	if (sni != NULL && *sni != '\0')
		(void)SSL_set_tlsext_host_name(ssl, sni);
	if (*sess != NULL)
		(void)SSL_set_session(ssl, *sess);
	SSL_set_connect_state(ssl);
	while ((r = SSL_do_handshake(ssl)) != 1)
		if (measure_want(m, ssl, fd, r, deadline) == -1)
			goto done;
	while (off < linelen) {
		r = SSL_write(ssl, line + off, (int)(linelen - off));
		if (r > 0)
			off += (size_t)r;
		else if (measure_want(m, ssl, fd, r, deadline) == -1)
			goto done;
	}
	for (;;) {
		r = SSL_read(ssl, buf, sizeof(buf));
		if (r > 0) {
			meter_plain(m, buf, (size_t)r, dump);
			continue;
		}
		if (SSL_get_error(ssl, r) == SSL_ERROR_ZERO_RETURN) {
			*closed = 1;
			break;
		}
		if (SSL_get_error(ssl, r) == SSL_ERROR_SYSCALL &&
		    ERR_peek_error() == 0) {
			/* EOF without close_notify. */
			break;
		}
		if (measure_want(m, ssl, fd, r, deadline) == -1) {
			/* OpenSSL 3 reports the missing close_notify so. */
			if (SSL_get_error(ssl, r) == SSL_ERROR_SSL && m->plain > 0)
				break;
			goto done;
		}
	}
	(void)snprintf(version, versionlen, "%s", SSL_get_version(ssl));
	*resumed = SSL_session_reused(ssl) == 1;
	/*
	 * What the client keeps for its next connection.  A TLS 1.3 ticket
	 * is used once (RFC 8446, C.4; OpenSSL's client forgets it): without
	 * a fresh ticket from this connection, the next one is a full
	 * handshake.
	 */
	*again = 0;
	if ((s = SSL_get1_session(ssl)) != NULL) {
		SSL_SESSION_free(*sess);
		*sess = NULL;
		if (SSL_SESSION_is_resumable(s) &&
		    (SSL_SESSION_get_protocol_version(s) != TLS1_3_VERSION ||
		    SSL_SESSION_has_ticket(s))) {
			*sess = s;
			*again = 1;
		} else
			SSL_SESSION_free(s);
	}
	/* Quietly: the answer is complete, nothing more goes on the link. */
	SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	rv = 0;
 done:
	if (rv == -1) {
		unsigned long	 e = ERR_peek_last_error();

		fprintf(stderr, "slowlink: gemini: %s\n", e != 0 ?
		    ERR_reason_error_string(e) : "connection failed or timed "
		    "out");
		ERR_clear_error();
	}
	SSL_free(ssl);
	close(fd);
	return rv;
}

static void
measure_report(const struct sl_meter *m, const char *proto,
    const char *session, const char *version, int resumed, int closed,
    int again)
{
	static const struct {
		int		 type;
		const char	*name;
	} hs[] = {
		{ SSL3_MT_SERVER_HELLO, "sh" },
		{ SSL3_MT_ENCRYPTED_EXTENSIONS, "ee" },
		{ SSL3_MT_CERTIFICATE, "cert" },
		{ SSL3_MT_CERTIFICATE_VERIFY, "cv" },
		{ SSL3_MT_FINISHED, "fin" },
		{ SSL3_MT_NEWSESSION_TICKET, "nst" },
		{ SSL3_MT_SERVER_KEY_EXCHANGE, "ske" },
		{ SSL3_MT_SERVER_DONE, "shd" }
	};
	char	 waits[SL_WAITS_MAX * 12], head[4];
	size_t	 i, off = 0;
	int	 n;

	waits[0] = '\0';
	for (i = 0; i + 1 < (size_t)m->rtts && i < SL_WAITS_MAX; i++) {
		n = snprintf(waits + off, sizeof(waits) - off, "%s%.0f",
		    i > 0 ? "," : "", m->waits[i]);
		if (n < 0 || (size_t)n >= sizeof(waits) - off)
			break;
		off += (size_t)n;
	}
	memcpy(head, m->head, 2);
	head[2] = '\0';
	for (i = 0; i < 2; i++)
		if (head[i] < '0' || head[i] > '9')
			head[i] = '-';
	printf("proto=%s session=%s c2s=%" PRIu64 " s2c=%" PRIu64
	    " answer=%" PRIu64 " overhead=%" PRIu64 " rtts=%d ttlb_ms=%.1f"
	    " waits_ms=%s", proto, session, m->c2s_at_last, m->s2c, m->plain,
	    m->s2c - m->plain, m->rtts, (double)(m->last - m->start) / 1e6,
	    waits[0] != '\0' ? waits : "-");
	if (strcmp(proto, "gemini") == 0) {
		printf(" status=%s version=%s resumed=%d resumable=%d"
		    " close_notify=%d records=%d ccs=%d alerts=%d tickets=%d",
		    head, version, resumed, again, closed, m->records, m->ccs,
		    m->alerts, m->tickets);
		for (i = 0; i < sizeof(hs) / sizeof(hs[0]); i++)
			if (m->nhs[hs[i].type] > 0)
				printf(" %s=%" PRIu64, hs[i].name,
				    m->hs[hs[i].type]);
	}
	printf("\n");
	fflush(stdout);
}

/* The host of a gemini:// URL, for SNI. */
static int
url_host(const char *url, char *host, size_t hostlen)
{
	const char	*p, *e;
	size_t		 n;

	if (strncasecmp(url, "gemini://", 9) != 0)
		return -1;
	p = url + 9;
	if (*p == '[') {
		if ((e = strchr(p, ']')) == NULL)
			return -1;
		p++;
	} else
		e = p + strcspn(p, ":/?#");
	n = (size_t)(e - p);
	if (n == 0 || n >= hostlen)
		return -1;
	memcpy(host, p, n);
	host[n] = '\0';
	return 0;
}

static int
measure_main(int argc, char **argv)
{
	struct sockaddr_storage	 ss;
	struct sl_meter		 m;
	socklen_t		 len;
	SSL_CTX			*ctx = NULL;
	SSL_SESSION		*sess = NULL;
	FILE			*dump = NULL;
	const char		*host = "127.0.0.1", *port = NULL, *sel = NULL;
	const char		*sni = NULL, *dumppath = NULL;
	char			 line[SL_LINE_MAX + 1], urlhost[256], version[32];
	size_t			 linelen;
	int			 ch, gemini = 0, resume = 0, resumed, closed, again, i;
	int			 http = 0, gz = 0;
	int			 count = 0, rv = 1;

	while ((ch = getopt(argc, argv, "a:m:n:o:P:rS:s:T:z")) != -1) {
		switch (ch) {
		case 'a':
			host = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "gemini") == 0)
				gemini = 1;
			else if (strcmp(optarg, "gopher") == 0)
				gemini = 0;
			else if (strcmp(optarg, "http") == 0)
				http = 1;
			else
				usage();
			break;
		case 'z':
			gz = 1;
			break;
		case 'n':
			count = (int)number(optarg, 1, 100, "-n connections");
			break;
		case 'o':
			dumppath = optarg;
			break;
		case 'P':
			port = optarg;
			break;
		case 'r':
			resume = 1;
			break;
		case 'S':
			sni = optarg;
			break;
		case 's':
			sel = optarg;
			break;
		case 'T':
			ms_timeout = (int)number(optarg, 1, 3600, "-T timeout");
			break;
		default:
			usage();
		}
	}
	if (optind != argc || port == NULL || sel == NULL)
		usage();
	if (parse_addr(&ss, &len, host, port, 0) == -1) {
		fprintf(stderr, "slowlink: numeric loopback addresses only\n");
		return 2;
	}
	if (http) {
		/*
		 * What a browser needs to send, no more: the host, one request
		 * per connection (as the Gopher client here), and gzip with -z.
		 */
		i = snprintf(line, sizeof(line), "GET %s HTTP/1.1\r\n"
		    "Host: localhost\r\nConnection: close\r\n%s\r\n", sel,
		    gz ? "Accept-Encoding: gzip\r\n" : "");
		if (i < 0 || (size_t)i >= sizeof(line)) {
			fprintf(stderr, "slowlink: the request is too long\n");
			return 2;
		}
		linelen = (size_t)i;
	} else {
		linelen = strlen(sel);
		if (linelen + 2 > sizeof(line)) {
			fprintf(stderr, "slowlink: the request is too long\n");
			return 2;
		}
		memcpy(line, sel, linelen);
		memcpy(line + linelen, "\r\n", 2);
		linelen += 2;
	}
	if (dumppath != NULL && (dump = fopen(dumppath, "w")) == NULL) {
		fprintf(stderr, "slowlink: %s: %s\n", dumppath, strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);

	if (!gemini) {
		/* HTTP with Connection: close reads as Gopher does. */
		memset(&m, 0, sizeof(m));
		if (measure_gopher(&m, &ss, len, line, linelen, dump) == -1) {
			fprintf(stderr, "slowlink: %s: connection failed or "
			    "timed out\n", http ? "http" : "gopher");
			goto done;
		}
		measure_report(&m, http ? (gz ? "http-gzip" : "http") :
		    "gopher", "-", "-", 0, 0, 0);
		rv = 0;
		goto done;
	}

	if (sni == NULL && url_host(sel, urlhost, sizeof(urlhost)) == 0)
		sni = urlhost;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
		fprintf(stderr, "slowlink: cannot make a TLS context\n");
		goto done;
	}
	/* Trust on first use: the certificate is not checked here. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
	    SSL_SESS_CACHE_NO_INTERNAL_STORE);
	if (count == 0)
		count = resume ? 2 : 1;
	for (i = 0; i < count; i++) {
		memset(&m, 0, sizeof(m));
		resumed = closed = 0;
		version[0] = '\0';
		if (!resume) {
			SSL_SESSION_free(sess);
			sess = NULL;
		}
		if (measure_gemini(&m, ctx, &sess, &ss, len, sni, line, linelen,
		    i == 0 ? dump : NULL, version, sizeof(version), &resumed,
		    &closed, &again) == -1)
			goto done;
		measure_report(&m, "gemini", !resume || i == 0 ? "new" :
		    i == 1 ? "resumed" : "resumed-again",
		    version, resumed, closed, again);
	}
	rv = 0;
 done:
	SSL_SESSION_free(sess);
	SSL_CTX_free(ctx);
	if (dump != NULL && fclose(dump) != 0) {
		fprintf(stderr, "slowlink: %s: %s\n", dumppath, strerror(errno));
		rv = 1;
	}
	return rv;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "relay") == 0)
		return relay_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "measure") == 0)
		return measure_main(argc - 1, argv + 1);
	usage();
	return 2;
}
