/* griot: sockets.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Binding the listeners and raising the descriptor limit, in the way of
 * redis's anet: each function returns -1 and a message, and never logs
 * (see net.h).  Every address of griot.ini is bound once per worker with
 * SO_REUSEPORT, so that the kernel spreads new connections over the
 * workers' sockets and a connection is accepted, answered and closed on
 * one thread; the -t check binds the same way, without listening.
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

#define NET_NOFILE_MAX	1048576

/* A message in "msg", with strerror(errnum) after it unless 0; cut visibly. */
static void	 net_msg(char *, size_t, int, const char *, ...)
		    __attribute__((__format__(__printf__, 4, 5)));

static void
net_msg(char *msg, size_t msglen, int errnum, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 len;
	int	 n;

	if (msglen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	len = strlen(msg);
	if (n >= 0 && errnum != 0 && (size_t)n < msglen) {
		n = snprintf(msg + len, msglen - len, ": %s", strerror(errnum));
		if (n < 0)
			msg[len] = '\0';
		else
			n += (int)len;
	}
	/* Cut: say so rather than hide it. */
	if (n >= 0 && (size_t)n >= msglen && msglen > 4)
		memcpy(msg + msglen - 4, "...", 4);
}

/*
 * A socket for "ai", bound and, when "listening", listening;
 * "reuseport" to share it between workers.  -1 with errno set.
 */
static int
net_socket(const struct addrinfo *ai, int reuseport, int listening)
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

/* A failure "*" forgives: no IPv6 on this host. */
static int
is_no_family(const struct addrinfo *ai, int wildcard, int e)
{
	return wildcard && (e == EAFNOSUPPORT ||
	    (ai->ai_family == AF_INET6 && e == EADDRNOTAVAIL));
}

/*
 * The addresses of "addr" port "port" in *resp (freeaddrinfo() it);
 * *wildcardp 1 for "*".  -1 with a message, errno 0.
 */
static int
net_resolve(const char *addr, int port, struct addrinfo **resp,
    int *wildcardp, char *msg, size_t msglen)
{
	struct addrinfo	 hints;
	char		 host[256], portstr[16];
	const char	*node = NULL;
	size_t		 len;
	int		 e, n;

	*resp = NULL;
	*wildcardp = strcmp(addr, "*") == 0 || *addr == '\0';
	if (!*wildcardp) {
		len = strlen(addr);
		if (addr[0] == '[' && len > 2 && addr[len - 1] == ']') {
			addr++;
			len -= 2;
		}
		if (len >= sizeof(host)) {
			net_msg(msg, msglen, 0, "listen address too long: %s",
			    addr);
			errno = 0;
			return -1;
		}
		memcpy(host, addr, len);
		host[len] = '\0';
		node = host;
	}
	n = snprintf(portstr, sizeof(portstr), "%d", port);
	if (n < 0 || (size_t)n >= sizeof(portstr)) {
		net_msg(msg, msglen, 0, "listen port %d: out of range", port);
		errno = 0;
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((e = getaddrinfo(node, portstr, &hints, resp)) != 0) {
		net_msg(msg, msglen, 0, "listen address %s: %s",
		    *wildcardp ? "*" : addr, gai_strerror(e));
		*resp = NULL;
		errno = 0;
		return -1;
	}
	return 0;
}

/* "ai" as text, for messages. */
static void
net_name(const struct addrinfo *ai, char *name, size_t len)
{
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, name, len, NULL, 0,
	    NI_NUMERICHOST) != 0)
		(void)snprintf(name, len, "?");
}

/*
 * Bind one address of "res" without listening, and close: 0 when it
 * could be bound or "*" forgives the failure (*skipped then 1).
 */
static int
net_try(const struct addrinfo *ai, int wildcard, int *skipped)
{
	int	 fd, e;

	*skipped = 0;
	if ((fd = net_socket(ai, 0, 0)) != -1) {
		close(fd);
		return 0;
	}
	e = errno;
	if (is_no_family(ai, wildcard, e)) {
		*skipped = 1;
		return 0;
	}
	errno = e;
	return -1;
}

int
net_listen(const char *addr, int port, size_t n, const char *label,
    net_listen_cb cb, void *arg, char *msg, size_t msglen)
{
	struct addrinfo	*res, *ai;
	char		 name[INET6_ADDRSTRLEN], lname[INET6_ADDRSTRLEN + 32];
	size_t		 i;
	int		 fd, e, wildcard, bound = 0, rv = -1, shared, skip, k;

	if (net_resolve(addr, port, &res, &wildcard, msg, msglen) == -1)
		return -1;
	shared = n > 1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		net_name(ai, name, sizeof(name));
		/*
		 * SO_REUSEPORT lets any socket of the same user join the
		 * group: first check, with a plain bind, that no other
		 * process holds the port already.
		 */
		if (shared) {
			if (net_try(ai, wildcard, &skip) == -1)
				goto fail_errno;
			if (skip)
				continue;
		}
		for (i = 0; i < n; i++) {
			if ((fd = net_socket(ai, shared, 1)) == -1) {
				if (i == 0 && is_no_family(ai, wildcard,
				    errno))
					break;
				goto fail_errno;
			}
			k = snprintf(lname, sizeof(lname), "%s port %d", name,
			    port);
			if (k < 0 || (size_t)k >= sizeof(lname))
				lname[0] = '\0';	/* cannot happen */
			if (cb(arg, fd, i, lname) == -1) {
				e = errno;
				net_msg(msg, msglen, e, "listen");
				errno = e;
				goto done;
			}
			if (i == 0)
				bound++;
		}
	}
	if (bound == 0) {
		net_msg(msg, msglen, 0, "listen address %s: nothing to bind",
		    wildcard ? "*" : addr);
		errno = 0;
		goto done;
	}
	rv = 0;
	goto done;
 fail_errno:
	e = errno;
	net_msg(msg, msglen, e, "cannot listen on %s port %d (%s)", name, port,
	    label);
	errno = e;
 done:
	e = errno;
	freeaddrinfo(res);
	errno = e;
	return rv;
}

int
net_bind_check(const char *addr, int port, char *msg, size_t msglen)
{
	struct addrinfo	*res, *ai;
	char		 name[INET6_ADDRSTRLEN];
	int		 e, wildcard, skip, rv = 0;

	if (net_resolve(addr, port, &res, &wildcard, msg, msglen) == -1)
		return -1;
	for (ai = res; ai != NULL && rv == 0; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (net_try(ai, wildcard, &skip) == -1) {
			e = errno;
			net_name(ai, name, sizeof(name));
			net_msg(msg, msglen, e, "cannot listen on %s port %d",
			    name, port);
			errno = e;
			rv = -1;
		}
	}
	e = errno;
	freeaddrinfo(res);
	errno = e;
	return rv;
}

int
net_defer_accept(int fd, int seconds, char *msg, size_t msglen)
{
#ifdef TCP_DEFER_ACCEPT
	if (setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds,
	    sizeof(seconds)) == -1) {
		net_msg(msg, msglen, errno, "TCP_DEFER_ACCEPT");
		return -1;
	}
#else
	(void)fd;
	(void)seconds;
	(void)msg;
	(void)msglen;
#endif
	return 0;
}

int
net_raise_nofile(unsigned long long *limitp, char *msg, size_t msglen)
{
	struct rlimit	 rl;
	rlim_t		 want;
	int		 rv = 0;

	*limitp = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		net_msg(msg, msglen, errno, "getrlimit");
		return -1;
	}
	if (rl.rlim_cur < rl.rlim_max) {
		want = rl.rlim_max;
		if (want == RLIM_INFINITY || want > NET_NOFILE_MAX)
			want = NET_NOFILE_MAX;
		if (want > rl.rlim_cur) {
			rl.rlim_cur = want;
			if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
				net_msg(msg, msglen, errno,
				    "setrlimit RLIMIT_NOFILE");
				rv = -1;
			}
		}
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY)
		*limitp = (unsigned long long)rl.rlim_cur;
	return rv;
}

/*
 * The inodes of the listening TCP sockets on "port" in "table"
 * (/proc/net/tcp or tcp6: "sl local rem st ... uid timeout inode"),
 * appended to "inodes" (at most "max"); returns the new count.
 */
static size_t
net_listen_inodes(const char *table, int port, unsigned long *inodes,
    size_t n, size_t max)
{
	FILE		*fp;
	char		 line[512], local[64], rem[64];
	unsigned int	 lport, st;
	unsigned long	 inode;

	if ((fp = fopen(table, "re")) == NULL)
		return n;
	while (n < max && fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, " %*s %63s %63s %x %*s %*s %*s %*s %*s %lu",
		    local, rem, &st, &inode) != 4)
			continue;	/* the heading */
		if (st != 0x0A)		/* TCP_LISTEN */
			continue;
		if (sscanf(strchr(local, ':') ? strchr(local, ':') + 1 : "",
		    "%x", &lport) != 1 || (int)lport != port)
			continue;
		inodes[n++] = inode;
	}
	fclose(fp);
	return n;
}

pid_t
net_port_holder(int port)
{
	unsigned long	 inodes[64], inode;
	size_t		 n, i;
	DIR		*proc, *fds;
	struct dirent	*p, *f;
	char		 path[PATH_MAX], link[64];
	ssize_t		 len;
	pid_t		 pid = 0;

	n = net_listen_inodes("/proc/net/tcp", port, inodes, 0, 64);
	n = net_listen_inodes("/proc/net/tcp6", port, inodes, n, 64);
	if (n == 0 || (proc = opendir("/proc")) == NULL)
		return 0;
	while (pid == 0 && (p = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)p->d_name[0]))
			continue;
		if (snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name) >=
		    (int)sizeof(path) || (fds = opendir(path)) == NULL)
			continue;	/* gone, or not ours to read */
		while (pid == 0 && (f = readdir(fds)) != NULL) {
			if (snprintf(path, sizeof(path), "/proc/%s/fd/%s",
			    p->d_name, f->d_name) >= (int)sizeof(path))
				continue;
			if ((len = readlink(path, link, sizeof(link) - 1)) <= 0)
				continue;
			link[len] = '\0';
			if (sscanf(link, "socket:[%lu]", &inode) != 1)
				continue;
			for (i = 0; i < n; i++)
				if (inodes[i] == inode)
					pid = (pid_t)strtol(p->d_name, NULL, 10);
		}
		closedir(fds);
	}
	closedir(proc);
	return pid;
}
