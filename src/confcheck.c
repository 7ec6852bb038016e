/* griot: griotd -t checks.  Copyright (c) 2026 the griot developers; ISC licence. */
/* griotd -t: what only the running system can tell about a struct conf. */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "confcheck.h"
#include "net.h"

/* Can this process open "path" for reading?  errno says why not. */
static int
confcheck_is_readable(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	close(fd);
	return 1;
}

/*
 * Can "proto" listen on "addr" port "port" now?  Says why not.  The
 * trial bind is net.c's, so that -t binds exactly as the server will.
 */
static void
confcheck_listener(struct config_msgs *m, const char *proto,
    const char *addr, int port)
{
	char	 why[256];

	if (net_bind_check(addr, port, why, sizeof(why)) == 0)
		return;
	if (errno == EADDRINUSE)
		config_msg(m, 1, 0, "[%s] port: %d on %s is in use (is "
		    "griotd already running?)", proto, port, addr);
	else if (errno == EACCES)
		config_msg(m, 0, 0, "[%s] port: %d on %s: this user may "
		    "not bind it (griotd needs to start as root, or with "
		    "CAP_NET_BIND_SERVICE)", proto, port, addr);
	else if (errno == EADDRNOTAVAIL)
		config_msg(m, 1, 0, "[%s] listen: %s is not an address "
		    "of this machine", proto, addr);
	else
		config_msg(m, 1, 0, "[%s] listen: %s", proto, why);
}

/* The certificate and key: both there and readable, or auto_cert on. */
static void
confcheck_cert(struct config_msgs *m, const struct conf *c)
{
	struct stat	 st;
	int		 hascert, haskey;

	hascert = stat(c->cert, &st) == 0;
	haskey = stat(c->key, &st) == 0;
	if (hascert && haskey) {
		if (!confcheck_is_readable(c->cert))
			config_msg(m, 1, 0, "[gemini] cert: %s: %s",
			    config_msg_quote(m, c->cert), strerror(errno));
		if (!confcheck_is_readable(c->key))
			config_msg(m, 1, 0, "[gemini] key: %s: %s",
			    config_msg_quote(m, c->key), strerror(errno));
	} else if (hascert != haskey)
		config_msg(m, 1, 0, "[gemini] %s: %s is missing while %s exists "
		    "(auto_cert never overwrites a file: provide both, or remove "
		    "the other)", hascert ? "key" : "cert",
		    config_msg_quote(m, hascert ? c->key : c->cert),
		    config_msg_quote(m, hascert ? c->cert : c->key));
	else if (!c->auto_cert)
		config_msg(m, 1, 0, "[gemini] cert: %s: %s, and auto_cert is off "
		    "(provide a certificate and key, or set auto_cert = yes)",
		    config_msg_quote(m, c->cert), strerror(ENOENT));
}

int
confcheck_serving(const struct conf *c, const struct config_report *rep)
{
	struct config_msgs	 m;
	struct passwd		*pw;
	size_t			 i;

	memset(&m, 0, sizeof(m));
	m.file = c->path;
	m.rep = rep;

	if (geteuid() == 0 && c->user == NULL)
		config_msg(&m, !config_allow_root(), 0, "[server] user: unset, "
		    "and griotd refuses to keep running as root (set user, and "
		    "group if needed)");
	if (c->user != NULL && geteuid() != 0 &&
	    (pw = getpwnam(c->user)) != NULL && pw->pw_uid != geteuid())
		config_msg(&m, 0, 0, "[server] user: %s: griotd can only switch "
		    "to it when started as root", config_msg_quote(&m, c->user));
	if (c->gemini_enabled) {
		confcheck_cert(&m, c);
		for (i = 0; i < c->gemini_listen.naddrs; i++)
			confcheck_listener(&m, "gemini",
			    c->gemini_listen.addrs[i], c->gemini_port);
	}
	if (c->gopher_enabled)
		for (i = 0; i < c->gopher_listen.naddrs; i++)
			confcheck_listener(&m, "gopher",
			    c->gopher_listen.addrs[i], c->gopher_port);
	return m.errors;
}
