/* griot: tests of the socket helpers.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * net.c on the loopback: net_listen() hands over one socket per copy,
 * net_bind_check() says a free port is free and a taken one is taken
 * (EADDRINUSE, with the address and port in its message), a second
 * server is refused rather than let into the SO_REUSEPORT group, and
 * messages fit the caller's buffer; nothing is logged.
 */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "tap.h"

#define FDS_MAX	8

struct got {
	int	 fds[FDS_MAX];
	size_t	 idx[FDS_MAX];
	size_t	 n;
	char	 name[64];
};

static int
keep(void *arg, int fd, size_t i, const char *name)
{
	struct got	*g = arg;

	if (g->n == FDS_MAX) {
		close(fd);
		errno = ENOBUFS;
		return -1;
	}
	g->fds[g->n] = fd;
	g->idx[g->n++] = i;
	(void)snprintf(g->name, sizeof(g->name), "%s", name);
	return 0;
}

/* The port a kernel picks for 127.0.0.1; -1 if none. */
static int
free_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

int
main(void)
{
	struct got	 g;
	char		 msg[256], want[64], long_addr[300];
	size_t		 i;
	int		 port, rv, e;

	memset(&g, 0, sizeof(g));
	if (!ok((port = free_port()) > 0, "a free loopback port"))
		return tap_done();
	msg[0] = '\0';
	rv = net_bind_check("127.0.0.1", port, msg, sizeof(msg));
	ok(rv == 0, "net_bind_check: port %d is free (%s)", port, msg);

	rv = net_listen("127.0.0.1", port, 3, "gopher", keep, &g, msg,
	    sizeof(msg));
	ok(rv == 0 && g.n == 3, "net_listen: three sockets (got %zu: %s)",
	    g.n, rv == 0 ? "" : msg);
	ok(g.n == 3 && g.idx[0] == 0 && g.idx[1] == 1 && g.idx[2] == 2,
	    "numbered 0, 1, 2");
	(void)snprintf(want, sizeof(want), "127.0.0.1 port %d", port);
	is_str(g.name, want, NULL, "named by address and port");

	msg[0] = '\0';
	errno = 0;
	rv = net_bind_check("127.0.0.1", port, msg, sizeof(msg));
	e = errno;
	ok(rv == -1 && e == EADDRINUSE, "net_bind_check: now in use (%s)",
	    msg);
	ok(strstr(msg, want) != NULL, "the message names %s: %s", want, msg);

	msg[0] = '\0';
	rv = net_listen("127.0.0.1", port, 2, "gopher", keep, &g, msg,
	    sizeof(msg));
	ok(rv == -1 && strstr(msg, "(gopher)") != NULL,
	    "a second server is refused, not let into the group: %s", msg);
	ok(g.n == 3, "and got no socket");
	for (i = 0; i < g.n; i++)
		close(g.fds[i]);

	/* (No name that would need a DNS query: tests stay off the network.) */
	memset(long_addr, 'a', sizeof(long_addr) - 1);
	long_addr[sizeof(long_addr) - 1] = '\0';
	msg[0] = '\0';
	rv = net_bind_check(long_addr, port, msg, sizeof(msg));
	ok(rv == -1 && strncmp(msg, "listen address too long: aaa", 28) == 0,
	    "an address too long is refused with a message");
	ok(strlen(msg) == sizeof(msg) - 1 &&
	    strcmp(msg + sizeof(msg) - 4, "...") == 0,
	    "cut to the caller's buffer, visibly");
	return tap_done();
}
