/* griot: idle-connection memory probe.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Opens N connections to a loopback server and leaves them idle (sending
 * nothing, or after a completed TLS handshake), reads the server's VmRSS
 * before and after, checks that one fresh request is still answered, then
 * closes everything.  Every wait is bounded.
 */
#include "griot-config.h"

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
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

#define IDLE_MAX	60000
#define IDLE_INFLIGHT	256		/* connections being set up at once */
#define IDLE_LINE_MAX	1026

enum idle_state {
	IDLE_FREE,
	IDLE_CONNECTING,
	IDLE_HANDSHAKE,
	IDLE_OPEN,
	IDLE_CLOSED
};

struct idle_conn {
	int		 fd;
	enum idle_state	 state;
	SSL		*ssl;
};

static struct sockaddr_storage addr;
static socklen_t	 addrlen;
static struct idle_conn	*conns;
static SSL_CTX		*ctx;
static const char	*sni = "localhost";
static int		 epfd = -1;
static int		 use_tls;
static int		 inflight, nopen, nclosed, nfailed;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: idle [-q] [-m none|tls] [-a address] -P port -p server-pid\n"
	    "            [-n connections] [-s request] [-S sni] [-t seconds]\n");
	exit(2);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		addrlen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		addrlen = sizeof(*sin6);
	} else
		return -1;
	return 0;
}

/* The server's resident set in KiB, from /proc/PID/status; -1 if unknown. */
static long
proc_rss(pid_t pid)
{
	char	 path[64], buf[256];
	FILE	*fp;
	long	 kb = -1;

	if (snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid) >=
	    (int)sizeof(path) || (fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(buf, sizeof(buf), fp) != NULL)
		if (sscanf(buf, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(fp);
	return kb;
}

/* How many descriptors the server holds open. */
static long
proc_fds(pid_t pid)
{
	char		 path[64];
	DIR		*d;
	struct dirent	*de;
	long		 n = 0;

	if (snprintf(path, sizeof(path), "/proc/%ld/fd", (long)pid) >=
	    (int)sizeof(path) || (d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
conn_drop(struct idle_conn *c, enum idle_state to)
{
	if (c->state == IDLE_CONNECTING || c->state == IDLE_HANDSHAKE)
		inflight--;
	if (c->state == IDLE_OPEN)
		nopen--;
	if (c->ssl != NULL) {
		SSL_set_shutdown(c->ssl, SSL_SENT_SHUTDOWN |
		    SSL_RECEIVED_SHUTDOWN);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->state = to;
	ERR_clear_error();
}

static void
conn_opened(struct idle_conn *c)
{
	inflight--;
	nopen++;
	c->state = IDLE_OPEN;
}

static void
conn_drive(struct idle_conn *c, uint32_t events)
{
	char		 buf[4096];
	socklen_t	 len;
	ssize_t		 n;
	int		 err, r;

	switch (c->state) {
	case IDLE_CONNECTING:
		len = sizeof(err);
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
		    err != 0) {
			nfailed++;
			conn_drop(c, IDLE_CLOSED);
			return;
		}
		if (!use_tls) {
			conn_opened(c);
			return;
		}
		if ((c->ssl = SSL_new(ctx)) == NULL ||
		    SSL_set_fd(c->ssl, c->fd) != 1 ||
		    SSL_set_tlsext_host_name(c->ssl, sni) != 1) {
			nfailed++;
			conn_drop(c, IDLE_CLOSED);
			return;
		}
		SSL_set_connect_state(c->ssl);
		c->state = IDLE_HANDSHAKE;
		/* FALLTHROUGH */
	case IDLE_HANDSHAKE:
		if ((r = SSL_do_handshake(c->ssl)) == 1) {
			conn_opened(c);
			return;
		}
		err = SSL_get_error(c->ssl, r);
		if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
			nfailed++;
			conn_drop(c, IDLE_CLOSED);
		}
		return;
	case IDLE_OPEN:
		if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) == 0)
			return;
		/* Session tickets may come; an end of file is a close. */
		for (;;) {
			if (use_tls) {
				r = SSL_read(c->ssl, buf, sizeof(buf));
				if (r > 0)
					continue;
				err = SSL_get_error(c->ssl, r);
				if (err == SSL_ERROR_WANT_READ ||
				    err == SSL_ERROR_WANT_WRITE)
					return;
			} else {
				n = read(c->fd, buf, sizeof(buf));
				if (n > 0)
					continue;
				if (n == -1 && errno == EAGAIN)
					return;
			}
			nclosed++;
			conn_drop(c, IDLE_CLOSED);
			return;
		}
	default:
		return;
	}
}

static int
conn_start(struct idle_conn *c)
{
	struct epoll_event	 ev;
	int			 r;

	c->fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		return -1;
	c->state = IDLE_CONNECTING;
	inflight++;
	r = connect(c->fd, (struct sockaddr *)&addr, addrlen);
	if (r == -1 && errno != EINPROGRESS) {
		nfailed++;
		conn_drop(c, IDLE_CLOSED);
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) == -1)
		return -1;
	if (r == 0)
		conn_drive(c, EPOLLOUT);
	return 0;
}

static void
pump(int ms)
{
	struct epoll_event	 evs[256];
	int			 i, n;

	n = epoll_wait(epfd, evs, 256, ms);
	for (i = 0; i < n; i++)
		conn_drive(evs[i].data.ptr, evs[i].events);
}

/*
 * One ordinary request on a new connection, blocking with a deadline:
 * returns the bytes of the answer, or -1.
 */
static long
fresh_request(const char *req, double secs, char *head, size_t headlen)
{
	struct timeval	 tv;
	SSL		*ssl = NULL;
	char		 buf[16384], line[IDLE_LINE_MAX + 1];
	long		 got = 0;
	ssize_t		 n;
	size_t		 len;
	int		 fd, r;

	len = strlen(req);
	if (len + 2 > sizeof(line) - 1)
		return -1;
	memcpy(line, req, len);
	memcpy(line + len, "\r\n", 2);
	len += 2;
	memset(head, 0, headlen);
	if ((fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	tv.tv_sec = (time_t)secs;
	tv.tv_usec = 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&addr, addrlen) == -1)
		goto fail;
	if (use_tls) {
		if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
		    SSL_set_tlsext_host_name(ssl, sni) != 1 ||
		    SSL_connect(ssl) != 1 ||
		    SSL_write(ssl, line, (int)len) != (int)len)
			goto fail;
		while ((r = SSL_read(ssl, buf, sizeof(buf))) > 0) {
			if (got == 0)
				memcpy(head, buf, (size_t)r < headlen - 1 ?
				    (size_t)r : headlen - 1);
			got += r;
		}
	} else {
		if (send(fd, line, len, MSG_NOSIGNAL) != (ssize_t)len)
			goto fail;
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			if (got == 0)
				memcpy(head, buf, (size_t)n < headlen - 1 ?
				    (size_t)n : headlen - 1);
			got += n;
		}
	}
	SSL_free(ssl);
	close(fd);
	ERR_clear_error();
	return got;
fail:
	SSL_free(ssl);
	close(fd);
	ERR_clear_error();
	return -1;
}

int
main(int argc, char *argv[])
{
	struct rlimit	 rl;
	const char	*host = "127.0.0.1", *port = NULL, *req = NULL;
	char		 head[64], *end;
	double		 secs = 60, tend, t;
	long		 rss0, rss1, rss2, fds0, fds1, last, got, v;
	pid_t		 pid = 0;
	int		 ch, i, n = 10000, started = 0, quiet = 0, ok;

	while ((ch = getopt(argc, argv, "a:m:n:P:p:qS:s:t:")) != -1) {
		switch (ch) {
		case 'a':
			host = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "tls") == 0)
				use_tls = 1;
			else if (strcmp(optarg, "none") == 0)
				use_tls = 0;
			else
				usage();
			break;
		case 'n':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > IDLE_MAX)
				usage();
			n = (int)v;
			break;
		case 'P':
			port = optarg;
			break;
		case 'p':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > INT_MAX)
				usage();
			pid = (pid_t)v;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'S':
			sni = optarg;
			break;
		case 's':
			req = optarg;
			break;
		case 't':
			secs = strtod(optarg, &end);
			if (*end != '\0' || secs < 1 || secs > 600)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc || port == NULL || pid == 0)
		usage();
	if (parse_addr(host, port) == -1) {
		fprintf(stderr, "idle: %s port %s: not a loopback address and "
		    "port\n", host, port);
		return 2;
	}
	if (req == NULL)
		req = use_tls ? "gemini://localhost/" : "";
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)n + 64) {
		fprintf(stderr, "idle: %d connections need more than the %lu "
		    "descriptors allowed (ulimit -n)\n", n,
		    (unsigned long)rl.rlim_cur);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (use_tls) {
		if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
			fprintf(stderr, "idle: SSL_CTX_new failed\n");
			return 1;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
		/* The client's own memory does not matter, but keep it low. */
		SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	}
	if ((conns = calloc((size_t)n, sizeof(*conns))) == NULL ||
	    (epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("idle");
		return 1;
	}
	for (i = 0; i < n; i++)
		conns[i].fd = -1;

	if ((rss0 = proc_rss(pid)) == -1 || (fds0 = proc_fds(pid)) == -1) {
		fprintf(stderr, "idle: cannot read /proc/%ld\n", (long)pid);
		return 1;
	}
	tend = now() + secs;

	/* Open them, a bounded number being set up at once. */
	while ((started < n || inflight > 0) && now() < tend) {
		while (started < n && inflight < IDLE_INFLIGHT) {
			if (conn_start(&conns[started]) == -1) {
				perror("idle: socket");
				nfailed += n - started;
				started = n;
				break;
			}
			started++;
		}
		pump(50);
	}
	/*
	 * Wait until the server holds them all (it may accept lazily), or
	 * until its count of descriptors stops moving for 2 s.
	 */
	fds1 = proc_fds(pid);
	t = now() + 2;
	while (fds1 != -1 && fds1 < fds0 + nopen && now() < tend && now() < t) {
		pump(50);
		last = fds1;
		fds1 = proc_fds(pid);
		if (fds1 != last)
			t = now() + 2;
	}
	/* Then until its resident set stops moving (at most 2 s). */
	last = proc_rss(pid);
	t = now() + 2;
	while (now() < t && now() < tend) {
		pump(200);
		rss1 = proc_rss(pid);
		if (rss1 == last)
			break;
		last = rss1;
	}
	rss1 = proc_rss(pid);
	fds1 = proc_fds(pid);

	got = fresh_request(req, 10, head, sizeof(head));
	ok = got > 0 && (!use_tls || head[0] == '2');
	/* Drain what the fresh request changed; count closes seen. */
	pump(0);

	if (quiet)
		printf("mode=%s connections=%d open=%d failed=%d "
		    "closed_by_server=%d rss_before_kb=%ld rss_after_kb=%ld "
		    "per_conn_bytes=%.0f server_fds=%ld fresh_bytes=%ld "
		    "fresh_ok=%d",
		    use_tls ? "tls" : "none", n, nopen, nfailed, nclosed,
		    rss0, rss1, nopen > 0 ? (double)(rss1 - rss0) * 1024 /
		    nopen : 0, fds1 - fds0, got, ok);
	else {
		printf("idle: %d %s connections: %d open, %d failed, %d closed "
		    "by the server\n", n, use_tls ? "TLS (handshake done)" :
		    "TCP (nothing sent)", nopen, nfailed, nclosed);
		printf("  server fds  +%ld\n", fds1 - fds0);
		printf("  server rss  %ld KiB before, %ld KiB after: %.0f bytes "
		    "per connection\n", rss0, rss1, nopen > 0 ?
		    (double)(rss1 - rss0) * 1024 / nopen : 0);
		printf("  fresh request %s (%ld bytes%s%.2s)\n",
		    ok ? "answered" : "NOT answered", got,
		    use_tls ? ", status " : "", use_tls ? head : "");
	}

	for (i = 0; i < n; i++)
		if (conns[i].state != IDLE_FREE && conns[i].state != IDLE_CLOSED)
			conn_drop(&conns[i], IDLE_CLOSED);
	/* The server's resident set once it has seen them go. */
	t = now() + 2;
	while (now() < t && (v = proc_fds(pid)) != -1 && v > fds0)
		pump(50);
	rss2 = proc_rss(pid);
	if (quiet)
		printf(" rss_closed_kb=%ld\n", rss2);
	else
		printf("  server rss  %ld KiB after closing them all\n", rss2);
	SSL_CTX_free(ctx);
	free(conns);
	close(epfd);
	return ok && nopen == n ? 0 : 1;
}
