/* griot: griotd -t checks.  Copyright (c) 2026 the griot developers; ISC licence. */
/* griotd -t: what only the running system can tell about a struct conf. */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
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

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/usr/local/etc"
#endif

/* Does the pidfile "pidfile" (NULL: none) hold "pid"? */
static int
confcheck_is_in_pidfile(const char *pidfile, pid_t pid)
{
	FILE	*fp;
	long	 v;
	int	 same;

	if (pidfile == NULL || (fp = fopen(pidfile, "re")) == NULL)
		return 0;
	same = fscanf(fp, "%ld", &v) == 1 && v == (long)pid;
	fclose(fp);
	return same;
}

/*
 * Is "pid" a griotd serving the ini at "path" (a real path), whose
 * pidfile is "pidfile"?  Its program is griotd (maybe rebuilt since:
 * "griotd (deleted)"), and its command line names that ini with -c
 * (relative to its folder), or none and the default is that ini.  When
 * a relative -c names nothing from its folder (a daemon in the
 * background has left it), the pidfile of that ini holding its pid
 * tells.  Read from /proc: root sees every process, another user only
 * its own.
 */
static int
confcheck_is_our_griotd(pid_t pid, const char *path, const char *pidfile)
{
	char		 name[64], exe[PATH_MAX], args[4096], *a, *end;
	const char	*ini = NULL;
	char		*real;
	ssize_t		 len;
	size_t		 n;
	FILE		*fp;
	int		 same;

	if (snprintf(name, sizeof(name), "/proc/%ld/exe", (long)pid) >=
	    (int)sizeof(name) ||
	    (len = readlink(name, exe, sizeof(exe) - 1)) <= 0)
		return 0;
	exe[len] = '\0';
	a = strrchr(exe, '/');
	if (strncmp(a != NULL ? a + 1 : exe, "griotd", 6) != 0)
		return 0;
	(void)snprintf(name, sizeof(name), "/proc/%ld/cmdline", (long)pid);
	if ((fp = fopen(name, "re")) == NULL)
		return 0;
	n = fread(args, 1, sizeof(args) - 1, fp);
	fclose(fp);
	args[n] = '\0';
	for (a = args, end = args + n; a < end; a += strlen(a) + 1) {
		if (strcmp(a, "-c") == 0 && a + strlen(a) + 1 < end)
			ini = a + strlen(a) + 1;
		else if (strncmp(a, "-c", 2) == 0 && a[2] != '\0')
			ini = a + 2;
	}
	if (ini == NULL)
		ini = SYSCONFDIR "/griot.ini";
	/*
	 * A relative -c is relative to the daemon's folder, not ours; a
	 * daemon that went to the background has left it: its pidfile
	 * tells then.
	 */
	if (ini[0] != '/') {
		if (snprintf(exe, sizeof(exe), "/proc/%ld/cwd/%s", (long)pid,
		    ini) >= (int)sizeof(exe))
			return confcheck_is_in_pidfile(pidfile, pid);
		ini = exe;
	}
	if ((real = realpath(ini, NULL)) == NULL)
		same = 0;
	else {
		same = strcmp(real, path) == 0;
		free(real);
	}
	if (!same && ini == exe)
		same = confcheck_is_in_pidfile(pidfile, pid);
	return same;
}

/*
 * Can "proto" listen on "addr" port "port" now?  Says why not.  The
 * trial bind is net.c's, so that -t binds exactly as the server will.
 * The port held by the running griotd of this very ini is no problem:
 * "griotd -t && systemctl reload griotd" is the way to reload.
 */
static void
confcheck_listener(struct config_msgs *m, const struct conf *c,
    const char *proto, const char *addr, int port)
{
	char	 why[256];
	pid_t	 pid;

	if (net_bind_check(addr, port, why, sizeof(why)) == 0)
		return;
	if (errno == EADDRINUSE) {
		if ((pid = net_port_holder(port)) == 0)
			config_msg(m, 1, 0, "[%s] port: %d on %s is in use (by "
			    "a process this user cannot see)", proto, port,
			    addr);
		else if (!confcheck_is_our_griotd(pid, c->path, c->pidfile))
			config_msg(m, 1, 0, "[%s] port: %d on %s is in use by "
			    "process %ld, which is not the griotd of this "
			    "file", proto, port, addr, (long)pid);
	} else if (errno == EACCES)
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
			confcheck_listener(&m, c, "gemini",
			    c->gemini_listen.addrs[i], c->gemini_port);
	}
	if (c->gopher_enabled)
		for (i = 0; i < c->gopher_listen.naddrs; i++)
			confcheck_listener(&m, c, "gopher",
			    c->gopher_listen.addrs[i], c->gopher_port);
	if (c->http_enabled)
		for (i = 0; i < c->http_listen.naddrs; i++)
			confcheck_listener(&m, c, "http",
			    c->http_listen.addrs[i], c->http_port);
	return m.errors;
}
