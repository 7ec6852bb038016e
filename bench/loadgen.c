/* griot: closed-loop load generator.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * N clients on one epoll loop, each doing connect, request, read to the
 * end, close, and again, over Gopher (TCP) or Gemini (TLS), to a loopback
 * address only; prints requests per second, latency percentiles and the
 * server's CPU time per request, read from /proc/PID/stat.
 */
#include "griot-config.h"

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define LG_CLIENTS_MAX	4096
#define LG_LINE_MAX	1026		/* Gemini: 1024 bytes of URL + CRLF */
#define LG_READ_SIZE	65536
#define LG_REQUESTS_MAX	10000000
#define LG_SCAN_MS	100		/* how often deadlines are checked */

enum lg_mode {
	LG_GOPHER,
	LG_GEMINI
};

enum lg_state {
	LG_IDLE,
	LG_CONNECTING,
	LG_HANDSHAKE,
	LG_SEND,
	LG_RECV
};

struct lg_client {
	int		 fd;
	enum lg_state	 state;
	SSL		*ssl;
	SSL_SESSION	*sess;		/* kept between connections (-r) */
	uint64_t	 start;		/* ns, monotonic */
	size_t		 sent;
	size_t		 got;
	char		 head[3];	/* first bytes: the Gemini status */
};

struct lg_stats {
	uint64_t	 started;
	uint64_t	 done;		/* completed with an answer */
	uint64_t	 errors;
	uint64_t	 mismatched;	/* size differs from the first answer */
	uint64_t	 badstatus;	/* Gemini status not 2x */
	uint64_t	 noclose;	/* Gemini: EOF without close_notify */
	uint64_t	 resumed;
	uint64_t	 unfinished;	/* still in flight at the hard limit */
	uint64_t	 bytes;
	uint64_t	 first_size;
	int		 have_first;
	uint64_t	 t0, tlast;	/* ns */
	uint32_t	*lat;		/* µs, one per completed request */
	size_t		 nlat;
};

static enum lg_mode	 mode = LG_GOPHER;
static int		 http;	/* -m http: Gopher's I/O, an HTTP/1.0 GET */
static struct sockaddr_storage addr;
static socklen_t	 addrlen;
static char		 line[LG_LINE_MAX + 1];
static size_t		 linelen;
static int		 nclients = 1;
static uint64_t		 nreq = 1000;
static double		 seconds = 3.0;
static double		 timeout = 10.0;
static uint64_t		 nwarm;
static pid_t		 srvpid;
static int		 resume;
static int		 nodelay;
static int		 quiet;
static int		 verbose;
static const char	*sni;
static FILE		*dumpfp;

static SSL_CTX		*ctx;
static int		 epfd = -1;
static struct lg_client	 clients[LG_CLIENTS_MAX];
static int		 nactive;
static unsigned char	 rbuf[LG_READ_SIZE];

static void
usage(void)
{
	fprintf(stderr,
	    "usage: loadgen [-Nqrv] [-m gopher|gemini|http] [-a address] -P port\n"
	    "               [-s selector-or-url] [-c clients] [-n requests]\n"
	    "               [-t seconds] [-w warmup] [-T timeout] [-p server-pid]\n"
	    "               [-S sni] [-o dumpfile]\n");
	exit(2);
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

static int
parse_addr(const char *host, const char *port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&addr;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&addr;
	char			*end;
	long			 p;

	p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p < 1 || p > 65535)
		return -1;
	memset(&addr, 0, sizeof(addr));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		addrlen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		addrlen = sizeof(*sin6);
	} else
		return -1;
	return 0;
}

/* utime + stime of every thread of "pid", in seconds; -1 when unreadable. */
static double
proc_cpu(pid_t pid)
{
	char			 path[64], buf[1024], *p;
	unsigned long long	 ut, st;
	FILE			*fp;
	size_t			 n;
	int			 i;

	if (snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid) >=
	    (int)sizeof(path))
		return -1;
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	p++;
	/* Fields 3 (state) to 13 come before utime (14) and stime (15). */
	for (i = 0; i < 11; i++) {
		p += strspn(p, " ");
		p += strcspn(p, " ");
	}
	if (sscanf(p, " %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double
self_cpu(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
client_reset(struct lg_client *c)
{
	if (c->ssl != NULL) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd != -1) {
		close(c->fd);
		c->fd = -1;
	}
	if (c->state != LG_IDLE)
		nactive--;
	c->state = LG_IDLE;
}

static void
client_fail(struct lg_client *c, struct lg_stats *st, const char *why)
{
	unsigned long	 e;

	st->errors++;
	if (verbose) {
		e = ERR_peek_last_error();
		fprintf(stderr, "loadgen: client %d: %s%s%s\n",
		    (int)(c - clients), why, e ? ": " : "",
		    e ? ERR_reason_error_string(e) : "");
	}
	ERR_clear_error();
	client_reset(c);
}

static void
client_done(struct lg_client *c, struct lg_stats *st, int clean)
{
	SSL_SESSION	*s;
	uint64_t	 t, us;

	if (c->got == 0) {
		client_fail(c, st, "empty answer");
		return;
	}
	t = now_ns();
	st->done++;
	st->tlast = t;
	st->bytes += c->got;
	us = (t - c->start) / 1000;
	if (st->lat != NULL && st->nlat < nreq)
		st->lat[st->nlat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
	if (!st->have_first) {
		st->have_first = 1;
		st->first_size = c->got;
	} else if (c->got != st->first_size)
		st->mismatched++;
	if (mode == LG_GEMINI) {
		if (c->head[0] != '2')
			st->badstatus++;
		if (!clean)
			st->noclose++;
		if (SSL_session_reused(c->ssl))
			st->resumed++;
		if (resume && (s = SSL_get1_session(c->ssl)) != NULL) {
			if (SSL_SESSION_is_resumable(s)) {
				SSL_SESSION_free(c->sess);
				c->sess = s;
			} else
				SSL_SESSION_free(s);
		}
		/*
		 * A quiet shutdown: the session stays resumable and the
		 * client spends no write on a socket the server has closed.
		 */
		SSL_set_shutdown(c->ssl, SSL_SENT_SHUTDOWN |
		    SSL_RECEIVED_SHUTDOWN);
	}
	client_reset(c);
}

static void
note_head(struct lg_client *c, const unsigned char *p, size_t n)
{
	while (n > 0 && c->got < sizeof(c->head)) {
		c->head[c->got++] = (char)*p++;
		n--;
	}
	c->got += n;
}

static int
tls_want(struct lg_client *c, struct lg_stats *st, int r, const char *what)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 0;
	default:
		client_fail(c, st, what);
		return -1;
	}
}

/* Move one client as far as its socket allows (edge-triggered). */
static void
client_drive(struct lg_client *c, struct lg_stats *st)
{
	ssize_t		 n;
	socklen_t	 len;
	int		 r, err;

	for (;;) {
		switch (c->state) {
		case LG_IDLE:
			return;
		case LG_CONNECTING:
			len = sizeof(err);
			if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == -1 || err != 0) {
				client_fail(c, st, "connect");
				return;
			}
			if (mode == LG_GOPHER) {
				c->state = LG_SEND;
				break;
			}
			if ((c->ssl = SSL_new(ctx)) == NULL ||
			    SSL_set_fd(c->ssl, c->fd) != 1 ||
			    SSL_set_tlsext_host_name(c->ssl, sni) != 1 ||
			    (c->sess != NULL &&
			    SSL_set_session(c->ssl, c->sess) != 1)) {
				client_fail(c, st, "SSL_new");
				return;
			}
			SSL_set_connect_state(c->ssl);
			c->state = LG_HANDSHAKE;
			break;
		case LG_HANDSHAKE:
			if ((r = SSL_do_handshake(c->ssl)) != 1) {
				tls_want(c, st, r, "handshake");
				return;
			}
			c->state = LG_SEND;
			break;
		case LG_SEND:
			if (mode == LG_GOPHER) {
				n = send(c->fd, line + c->sent, linelen - c->sent,
				    MSG_NOSIGNAL);
				if (n == -1) {
					if (errno != EAGAIN)
						client_fail(c, st, "send");
					return;
				}
			} else {
				r = SSL_write(c->ssl, line + c->sent,
				    (int)(linelen - c->sent));
				if (r <= 0) {
					tls_want(c, st, r, "SSL_write");
					return;
				}
				n = r;
			}
			c->sent += (size_t)n;
			if (c->sent == linelen)
				c->state = LG_RECV;
			break;
		case LG_RECV:
			if (mode == LG_GOPHER) {
				n = read(c->fd, rbuf, sizeof(rbuf));
				if (n == 0) {
					client_done(c, st, 1);
					return;
				}
				if (n == -1) {
					if (errno != EAGAIN)
						client_fail(c, st, "read");
					return;
				}
			} else {
				r = SSL_read(c->ssl, rbuf, sizeof(rbuf));
				if (r <= 0) {
					err = SSL_get_error(c->ssl, r);
					if (err == SSL_ERROR_ZERO_RETURN)
						client_done(c, st, 1);
					else if (err == SSL_ERROR_SYSCALL &&
					    ERR_peek_error() == 0 &&
					    (errno == 0 || errno == ECONNRESET))
						client_done(c, st, 0);
					else if (err == SSL_ERROR_SSL &&
					    ERR_GET_REASON(ERR_peek_error()) ==
					    SSL_R_UNEXPECTED_EOF_WHILE_READING) {
						ERR_clear_error();
						client_done(c, st, 0);
					} else
						tls_want(c, st, r, "SSL_read");
					return;
				}
				n = r;
			}
			if (dumpfp != NULL)
				fwrite(rbuf, 1, (size_t)n, dumpfp);
			note_head(c, rbuf, (size_t)n);
			break;
		}
	}
}

static void
client_start(struct lg_client *c, struct lg_stats *st)
{
	struct epoll_event	 ev;
	int			 r;

	st->started++;
	c->start = now_ns();
	c->sent = 0;
	c->got = 0;
	memset(c->head, 0, sizeof(c->head));
	c->fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (c->fd == -1) {
		st->errors++;
		if (verbose)
			perror("loadgen: socket");
		return;
	}
	c->state = LG_CONNECTING;
	nactive++;
	/* Most clients leave Nagle on; -N turns it off, as some do. */
	if (nodelay)
		(void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &nodelay,
		    sizeof(nodelay));
	r = connect(c->fd, (struct sockaddr *)&addr, addrlen);
	if (r == -1 && errno != EINPROGRESS) {
		client_fail(c, st, "connect");
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	ev.data.u32 = (uint32_t)(c - clients);
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) == -1) {
		client_fail(c, st, "epoll_ctl");
		return;
	}
	if (r == 0)
		client_drive(c, st);
}

/*
 * Run until "n" requests were started or "secs" elapsed, then let the
 * ones in flight finish (at most "timeout" more seconds).
 */
static void
run(struct lg_stats *st, uint64_t n, double secs)
{
	struct epoll_event	 evs[256];
	uint64_t		 t, tend, thard, tscan, tmo;
	int			 i, k, nev;

	st->t0 = st->tlast = now_ns();
	tend = st->t0 + (uint64_t)(secs * 1e9);
	tmo = (uint64_t)(timeout * 1e9);
	thard = tend + tmo;
	tscan = st->t0 + LG_SCAN_MS * 1000000u;
	for (i = 0; i < nclients && st->started < n; i++)
		client_start(&clients[i], st);
	while (nactive > 0) {
		nev = epoll_wait(epfd, evs, 256, LG_SCAN_MS);
		if (nev == -1 && errno != EINTR) {
			perror("loadgen: epoll_wait");
			exit(1);
		}
		for (k = 0; k < nev; k++)
			client_drive(&clients[evs[k].data.u32], st);
		t = now_ns();
		if (t >= tscan) {
			tscan = t + LG_SCAN_MS * 1000000u;
			for (i = 0; i < nclients; i++)
				if (clients[i].state != LG_IDLE &&
				    t - clients[i].start > tmo)
					client_fail(&clients[i], st, "timeout");
		}
		if (t >= thard) {
			for (i = 0; i < nclients; i++)
				if (clients[i].state != LG_IDLE) {
					st->unfinished++;
					client_reset(&clients[i]);
				}
			break;
		}
		/* Give every idle client its next request. */
		for (i = 0; i < nclients; i++) {
			if (clients[i].state != LG_IDLE)
				continue;
			if (st->started >= n || t >= tend)
				break;
			client_start(&clients[i], st);
		}
		/* Stop when errors alone would fill the run. */
		if (st->errors > n)
			break;
	}
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t
pct(const struct lg_stats *st, double p)
{
	size_t	 i;

	if (st->nlat == 0)
		return 0;
	i = (size_t)(p / 100.0 * (double)(st->nlat - 1) + 0.5);
	return st->lat[i];
}

static double
num(const char *s, double lo, double hi, const char *what)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || d < lo || d > hi) {
		fprintf(stderr, "loadgen: %s: \"%s\" is not a number in "
		    "[%g, %g]\n", what, s, lo, hi);
		exit(2);
	}
	return d;
}

int
main(int argc, char *argv[])
{
	struct lg_stats	 st, warm;
	const char	*host = "127.0.0.1", *port = NULL, *req = NULL;
	const char	*dumpfile = NULL, *p;
	char		 snibuf[256];
	double		 cpu0 = -1, cpu1 = -1, self0, self1, el, rate, srv;
	size_t		 len;
	int		 ch, i;

	while ((ch = getopt(argc, argv, "a:c:m:Nn:o:P:p:qrS:s:T:t:vw:")) != -1) {
		switch (ch) {
		case 'a':
			host = optarg;
			break;
		case 'c':
			nclients = (int)num(optarg, 1, LG_CLIENTS_MAX, "-c");
			break;
		case 'm':
			if (strcmp(optarg, "gopher") == 0)
				mode = LG_GOPHER;
			else if (strcmp(optarg, "gemini") == 0)
				mode = LG_GEMINI;
			else if (strcmp(optarg, "http") == 0)
				http = 1;	/* one request per connection */
			else
				usage();
			break;
		case 'N':
			nodelay = 1;
			break;
		case 'n':
			nreq = (uint64_t)num(optarg, 1, LG_REQUESTS_MAX, "-n");
			break;
		case 'o':
			dumpfile = optarg;
			break;
		case 'P':
			port = optarg;
			break;
		case 'p':
			srvpid = (pid_t)num(optarg, 1, INT_MAX, "-p");
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			resume = 1;
			break;
		case 'S':
			sni = optarg;
			break;
		case 's':
			req = optarg;
			break;
		case 'T':
			timeout = num(optarg, 0.1, 600, "-T");
			break;
		case 't':
			seconds = num(optarg, 0.01, 600, "-t");
			break;
		case 'v':
			verbose = 1;
			break;
		case 'w':
			nwarm = (uint64_t)num(optarg, 0, LG_REQUESTS_MAX, "-w");
			break;
		default:
			usage();
		}
	}
	if (optind != argc || port == NULL)
		usage();
	if (parse_addr(host, port) == -1) {
		fprintf(stderr, "loadgen: %s port %s: not a numeric address "
		    "and port\n", host, port);
		return 2;
	}
	if (!is_loopback(&addr)) {
		fprintf(stderr, "loadgen: %s: not a loopback address; this "
		    "tool only loads servers on this machine\n", host);
		return 2;
	}
	if (req == NULL)
		req = mode == LG_GEMINI ? "gemini://localhost/" : "";
	if (http) {
		i = snprintf(line, sizeof(line), "GET %s HTTP/1.0\r\n"
		    "Host: localhost\r\n\r\n", req[0] != '\0' ? req : "/");
		if (i < 0 || (size_t)i >= sizeof(line)) {
			fprintf(stderr, "loadgen: request too long\n");
			return 2;
		}
		linelen = (size_t)i;
	} else {
		if ((len = strlen(req)) + 2 > sizeof(line) - 1) {
			fprintf(stderr, "loadgen: request longer than %d "
			    "bytes\n", LG_LINE_MAX - 2);
			return 2;
		}
		memcpy(line, req, len);
		memcpy(line + len, "\r\n", 2);
		linelen = len + 2;
	}
	if (sni == NULL && mode == LG_GEMINI) {
		/* The URL's host, else "localhost". */
		sni = "localhost";
		if ((p = strstr(req, "://")) != NULL) {
			p += 3;
			len = strcspn(p, ":/?#");
			if (len > 0 && len < sizeof(snibuf) && *p != '[') {
				memcpy(snibuf, p, len);
				snibuf[len] = '\0';
				sni = snibuf;
			}
		}
	}
	if (dumpfile != NULL) {
		if ((dumpfp = fopen(dumpfile, "wb")) == NULL) {
			perror(dumpfile);
			return 1;
		}
		nreq = 1;
		nclients = 1;
		nwarm = 0;
	}
	if (srvpid != 0 && proc_cpu(srvpid) < 0) {
		fprintf(stderr, "loadgen: cannot read /proc/%ld/stat\n",
		    (long)srvpid);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (mode == LG_GEMINI) {
		if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
		    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
			fprintf(stderr, "loadgen: SSL_CTX_new failed\n");
			return 1;
		}
		/* Trust on first use: the bench checks no certificate. */
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
		SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
		    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	}
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("loadgen: epoll_create1");
		return 1;
	}
	for (i = 0; i < LG_CLIENTS_MAX; i++)
		clients[i].fd = -1;

	if (nwarm > 0) {
		memset(&warm, 0, sizeof(warm));
		run(&warm, nwarm, seconds);
	}
	memset(&st, 0, sizeof(st));
	if ((st.lat = calloc((size_t)nreq, sizeof(*st.lat))) == NULL) {
		perror("loadgen: calloc");
		return 1;
	}
	if (srvpid != 0)
		cpu0 = proc_cpu(srvpid);
	self0 = self_cpu();
	run(&st, nreq, seconds);
	self1 = self_cpu();
	if (srvpid != 0)
		cpu1 = proc_cpu(srvpid);
	if (dumpfp != NULL && fclose(dumpfp) != 0) {
		perror(dumpfile);
		return 1;
	}

	qsort(st.lat, st.nlat, sizeof(*st.lat), cmp_u32);
	el = (double)(st.tlast - st.t0) / 1e9;
	rate = el > 0 ? (double)st.done / el : 0;
	srv = -1;
	if (cpu0 >= 0 && cpu1 >= 0 && st.done > 0)
		srv = (cpu1 - cpu0) / (double)st.done * 1e6;
	if (quiet) {
		printf("mode=%s clients=%d requests=%" PRIu64 " errors=%" PRIu64
		    " mismatched=%" PRIu64 " badstatus=%" PRIu64
		    " noclose=%" PRIu64 " unfinished=%" PRIu64
		    " bytes=%" PRIu64 " size=%" PRIu64 " elapsed=%.3f"
		    " rate=%.1f p50_us=%" PRIu32 " p99_us=%" PRIu32
		    " srv_cpu_s=%.2f srv_us_per_req=%.2f"
		    " cli_us_per_req=%.2f resumed_pct=%.1f\n",
		    mode == LG_GEMINI ? "gemini" : http ? "http" : "gopher",
		    nclients, st.done,
		    st.errors, st.mismatched, st.badstatus, st.noclose,
		    st.unfinished, st.bytes, st.first_size, el, rate,
		    pct(&st, 50), pct(&st, 99),
		    cpu0 >= 0 ? cpu1 - cpu0 : -1.0, srv,
		    st.done ? (self1 - self0) / (double)st.done * 1e6 : -1.0,
		    st.done ? 100.0 * (double)st.resumed / (double)st.done : 0);
	} else {
		printf("loadgen: %s %s port %s, \"%s\", %d client%s%s\n",
		    mode == LG_GEMINI ? "gemini" : http ? "http" : "gopher",
		    host, port, req,
		    nclients, nclients == 1 ? "" : "s",
		    mode == LG_GEMINI ? (resume ? ", resumed sessions" :
		    ", new sessions") : "");
		printf("  requests   %" PRIu64 " in %.3f s: %.1f req/s\n",
		    st.done, el, rate);
		printf("  errors     %" PRIu64 " (unfinished %" PRIu64
		    ", size mismatches %" PRIu64 ")\n", st.errors,
		    st.unfinished, st.mismatched);
		if (mode == LG_GEMINI)
			printf("  gemini     status not 2x %" PRIu64
			    ", no close_notify %" PRIu64 ", resumed %.1f%%\n",
			    st.badstatus, st.noclose, st.done ? 100.0 *
			    (double)st.resumed / (double)st.done : 0);
		printf("  bytes      %" PRIu64 " (%" PRIu64 " per answer)\n",
		    st.bytes, st.first_size);
		printf("  latency    p50 %" PRIu32 " us, p99 %" PRIu32
		    " us, max %" PRIu32 " us\n", pct(&st, 50), pct(&st, 99),
		    pct(&st, 100));
		if (srv >= 0)
			printf("  server cpu %.2f s: %.2f us per request\n",
			    cpu1 - cpu0, srv);
		if (st.done > 0)
			printf("  client cpu %.2f s: %.2f us per request\n",
			    self1 - self0, (self1 - self0) / (double)st.done *
			    1e6);
	}
	for (i = 0; i < LG_CLIENTS_MAX; i++)
		SSL_SESSION_free(clients[i].sess);
	SSL_CTX_free(ctx);
	free(st.lat);
	close(epfd);
	return st.done > 0 && st.errors == 0 ? 0 : 1;
}
