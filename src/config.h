/* griot: the ini file.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * griot.ini (man/griot.ini.5) read through iniparser into a typed
 * struct conf, every key checked against one table of sections and keys
 * with its type, range and default.  Paths are made absolute, relative to
 * the ini file's folder.  A struct conf owns all its strings.
 */
#ifndef GRIOT_CONFIG_H
#define GRIOT_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "text.h"

#define CONFIG_LISTEN_MAX	8	/* addresses per protocol */
#define CONFIG_WORKERS_MAX	64	/* [server] workers */

struct conf_listen {
	char	*addrs[CONFIG_LISTEN_MAX];	/* "127.0.0.1", "::1", "*" */
	size_t	 naddrs;
};

struct conf {
	char			*path;		/* the ini file, absolute */
	char			*dir;		/* its folder */

	/* [capsule] */
	char			*name;
	char			*hostname;	/* lower case */
	char			*lang;		/* "fr", "en", ... */
	char			*store;		/* absolute */
	char			*pages;		/* absolute, NULL when unset */
	char			*description;	/* "" when unset */
	int			 latest;	/* articles on the home pages */
	int			 french_spacing;
	size_t			 max_article_size;

	/* [gemini] */
	int			 gemini_enabled;
	struct conf_listen	 gemini_listen;
	int			 gemini_port;
	int			 gemini_public_port;	/* in URLs; = port when unset */
	int			 gemini_proxy_protocol; /* PROXY header first */
	char			*cert;		/* absolute */
	char			*key;		/* absolute */
	int			 auto_cert;

	/* [gopher] */
	int			 gopher_enabled;
	struct conf_listen	 gopher_listen;
	int			 gopher_port;
	int			 gopher_public_port;	/* in menus; = port when unset */
	int			 gopher_proxy_protocol; /* PROXY header first */
	int			 width;
	enum text_charset	 charset;

	/* [server] */
	char			*user;		/* NULL: stay as started (not root) */
	char			*group;
	char			*chroot;
	char			*pidfile;
	char			*log;		/* "stderr", "syslog" */
	char			*access_log;	/* path, "stderr", "syslog", "off" */
	int			 max_connections;
	int			 request_timeout;	/* seconds */
	int			 workers;	/* 0: one per core (at most
						   CONFIG_WORKERS_MAX) */
	int			 rate_limit;	/* requests per minute per address; 0 off */
};

/*
 * Each problem is one line naming the file and line, "[section] key", the
 * value and what was expected, with a suggestion when a name looks like a
 * typo:
 *	griot.ini:12: [gopher] width: "abc" is not a number (expected an
 *	integer from 20 to 200)
 * "error" is 1 for what refuses the file (unknown sections and keys
 * included: a mistyped key must not be silently ignored) and 0 for a
 * warning (a key given twice, a ';' that cut a text value).  With a NULL
 * report, problems go to log_warnx().
 */
struct config_report {
	void	(*fn)(void *arg, int error, const char *msg);
	void	 *arg;
};

/*
 * Read and check "path".  Returns a new struct conf, or NULL when the
 * file has errors (every one reported, not only the first).
 */
struct conf	*config_load(const char *path, const struct config_report *);
void		 config_free(struct conf *);	/* NULL is fine */

/* A deep copy (NULL when memory ran out). */
struct conf	*config_dup(const struct conf *);

/* Print the effective configuration, defaults included, as a valid ini. */
int		 config_dump(const struct conf *, FILE *);

/*
 * What griotd -t checks beyond the file itself, against the running
 * system: the certificate and key (present, or auto_cert on), every
 * listener bindable now (a port in use is an error; a privileged port
 * refused to this user a warning), and a root start without "user".
 * Returns the number of errors reported.
 */
int		 config_check_serving(const struct conf *,
		    const struct config_report *);

/*
 * Is GRIOT_ALLOW_ROOT=1 in the environment?  Then a root start without
 * "user" is allowed, with a warning: for test suites run as root and
 * throw-away containers, never for a capsule (griotd(8)).
 */
int		 config_allow_root(void);

/*
 * On reload, settings a running daemon cannot apply (listen addresses,
 * ports, enabled, user, group, chroot, workers, pidfile, log, cert, key)
 * are reported as needing a restart and set back in "next" to their
 * running values in "cur", so the new generation matches the sockets.
 * Returns how many were kept.
 */
int		 config_keep_running(struct conf *next, const struct conf *cur,
		    const struct config_report *);

const char	*config_charset_name(enum text_charset);

#endif
