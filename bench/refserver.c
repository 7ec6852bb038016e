/* griot: reference plain-TCP server for the benchmarks.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The least a Gopher server can do, to measure griotd against: one thread,
 * one epoll loop; accept, read a line, write a fixed answer (a file's bytes
 * or N bytes), close.  Loopback only; exits on SIGTERM, SIGINT or after
 * its lifetime.
 */
#include "griot-config.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REF_FD_MAX	65536
#define REF_LINE_MAX	1026

struct ref_conn {
	size_t	 rlen;		/* request bytes seen */
	size_t	 woff;		/* answer bytes written; 0 while reading */
	int	 writing;
};

static struct ref_conn	*conns;
static char		*answer;
static size_t		 answerlen;
static volatile sig_atomic_t quit;

static void
usage(void)
{
	fprintf(stderr, "usage: refserver [-a address] [-P port] "
	    "[-L lifetime] (-f file | -b bytes)\n");
	exit(2);
}

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static int
load_file(const char *path)
{
	struct stat	 sb;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		perror(path);
		return -1;
	}
	answerlen = (size_t)sb.st_size;
	if ((answer = malloc(answerlen + 1)) == NULL) {
		perror("malloc");
		close(fd);
		return -1;
	}
	while (off < answerlen) {
		n = read(fd, answer + off, answerlen - off);
		if (n <= 0) {
			perror(path);
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	close(fd);
	return 0;
}

/* N bytes of 66-column text lines, like a wrapped article. */
static int
make_bytes(size_t n)
{
	size_t	 i;

	if ((answer = malloc(n + 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		answer[i] = (i % 68 == 66) ? '\r' : (i % 68 == 67) ? '\n' :
		    (char)('a' + i % 26);
	answerlen = n;
	return 0;
}

/* Closing the socket also takes it out of the epoll set. */
static void
conn_close(int epfd, int fd)
{
	(void)epfd;
	close(fd);
}

/* Read the request line, then write the answer; edge-triggered. */
static void
conn_drive(int epfd, int fd)
{
	struct ref_conn	*c = &conns[fd];
	char		 buf[REF_LINE_MAX];
	ssize_t		 n;

	while (!c->writing) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0 || (n == -1 && errno != EAGAIN)) {
			conn_close(epfd, fd);
			return;
		}
		if (n == -1)
			return;
		c->rlen += (size_t)n;
		if (memchr(buf, '\n', (size_t)n) != NULL)
			c->writing = 1;
		else if (c->rlen > REF_LINE_MAX) {
			conn_close(epfd, fd);
			return;
		}
	}
	while (c->woff < answerlen) {
		n = send(fd, answer + c->woff, answerlen - c->woff,
		    MSG_NOSIGNAL);
		if (n == -1) {
			if (errno != EAGAIN)
				conn_close(epfd, fd);
			return;
		}
		c->woff += (size_t)n;
	}
	conn_close(epfd, fd);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct epoll_event	 ev, evs[256];
	struct sigaction	 sa;
	socklen_t		 sslen;
	const char		*host = "127.0.0.1", *file = NULL;
	long			 port = 0, bytes = -1, life = 600;
	time_t			 tend;
	char			 name[INET6_ADDRSTRLEN];
	int			 ch, lfd, fd, epfd, i, nev, one = 1;

	while ((ch = getopt(argc, argv, "a:b:f:L:P:")) != -1) {
		switch (ch) {
		case 'a':
			host = optarg;
			break;
		case 'b':
			bytes = strtol(optarg, NULL, 10);
			break;
		case 'f':
			file = optarg;
			break;
		case 'L':
			life = strtol(optarg, NULL, 10);
			break;
		case 'P':
			port = strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (file == NULL) == (bytes < 0) || port < 0 ||
	    port > 65535 || life < 1)
		usage();
	if ((file != NULL ? load_file(file) : make_bytes((size_t)bytes)) == -1)
		return 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			goto notloop;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sslen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			goto notloop;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sslen = sizeof(*sin6);
	} else
		goto notloop;

	if ((conns = calloc(REF_FD_MAX, sizeof(*conns))) == NULL) {
		perror("calloc");
		return 1;
	}
	if ((lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(lfd, (struct sockaddr *)&ss, sslen) == -1 ||
	    listen(lfd, 4096) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&ss, &sslen) == -1) {
		perror("refserver: listen");
		return 1;
	}
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("epoll_create1");
		return 1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) == -1) {
		perror("epoll_ctl");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	inet_ntop(ss.ss_family, ss.ss_family == AF_INET ?
	    (void *)&sin->sin_addr : (void *)&sin6->sin6_addr, name,
	    sizeof(name));
	printf("refserver: listening on %s port %d, %zu-byte answer\n", name,
	    ntohs(ss.ss_family == AF_INET ? sin->sin_port : sin6->sin6_port),
	    answerlen);
	fflush(stdout);

	tend = time(NULL) + life;
	while (!quit && time(NULL) < tend) {
		nev = epoll_wait(epfd, evs, 256, 1000);
		if (nev == -1) {
			if (errno == EINTR)
				continue;
			perror("epoll_wait");
			return 1;
		}
		for (i = 0; i < nev; i++) {
			if (evs[i].data.fd != lfd) {
				conn_drive(epfd, evs[i].data.fd);
				continue;
			}
			while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK |
			    SOCK_CLOEXEC)) != -1) {
				if (fd >= REF_FD_MAX) {
					close(fd);
					continue;
				}
				memset(&conns[fd], 0, sizeof(conns[fd]));
				ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP |
				    EPOLLET;
				ev.data.fd = fd;
				if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ==
				    -1) {
					close(fd);
					continue;
				}
				/* The request is often there already. */
				conn_drive(epfd, fd);
			}
		}
	}
	close(lfd);
	close(epfd);
	free(conns);
	free(answer);
	return 0;

notloop:
	fprintf(stderr, "refserver: %s: not a loopback address\n", host);
	return 2;
}
