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
	int			 page_size;	/* items on a page of a list */
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
	char			*ticket_keys;	/* absolute, NULL when unset */

	/* [gopher] */
	int			 gopher_enabled;
	struct conf_listen	 gopher_listen;
	int			 gopher_port;
	int			 gopher_public_port;	/* in menus; = port when unset */
	int			 gopher_proxy_protocol; /* PROXY header first */
	int			 width;
	enum text_charset	 charset;

	/* [http] */
	int			 http_enabled;
	struct conf_listen	 http_listen;
	int			 http_port;
	int			 http_public_port;	/* in URLs; = port when unset */
	int			 http_proxy_protocol;	/* PROXY header first */

	/* [server] */
	char			*user;		/* NULL: stay as started (not root) */
	char			*group;
	char			*chroot;
	char			*pidfile;
	char			*log;		/* "stderr", "syslog" */
	char			*access_log;	/* path, "stderr", "syslog", "off" */
	int			 max_connections;
	int			 max_per_address;	/* open at once; 0 off */
	int			 request_timeout;	/* seconds */
	int			 workers;	/* 0: one per core (at most
						   CONFIG_WORKERS_MAX) */
	int			 rate_limit;	/* requests per minute per address; 0 off */
	int			 store_scan_interval;	/* seconds; 0: inotify only */
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

#define CONFIG_MSG_MAX		1024	/* bytes of one message */
#define CONFIG_QUOTE_N		4	/* strings quoted by one message */

/*
 * The messages about one file: config.c and confcheck.c both say them
 * through config_msg(), which puts "FILE:LINE: " (or "FILE: " when the
 * line is 0) in front, counts errors and warnings and hands the line to
 * the report.  Start it zeroed, with "file" and "rep" set.
 */
struct config_msgs {
	const char			*file;
	const struct config_report	*rep;
	int				 errors;
	int				 warnings;
	char				 quoted[CONFIG_QUOTE_N][CONFIG_MSG_MAX];
	size_t				 nquoted;
};

void		 config_msg(struct config_msgs *, int error, int line,
		    const char *fmt, ...)
		    __attribute__((__format__(__printf__, 4, 5)));

/*
 * A string of the file as a message quotes it: control characters, '"',
 * '\' and invalid UTF-8 as \xHH (log_escape()).  The result is valid until
 * CONFIG_QUOTE_N more strings are quoted through the same "msgs".
 */
const char	*config_msg_quote(struct config_msgs *, const char *);

/*
 * Read and check "path".  Returns a new struct conf, or NULL when the
 * file has errors (every one reported, not only the first; after a line
 * iniparser cannot read, the values are not checked).  Besides the text,
 * every load checks what the paths name: store, pages and chroot are
 * readable folders, the folders of pidfile and access_log exist, user
 * and group exist.
 */
struct conf	*config_load(const char *path, const struct config_report *);
void		 config_free(struct conf *);	/* NULL is fine */

/* A deep copy (NULL when memory ran out). */
struct conf	*config_dup(const struct conf *);

/* Print the effective configuration, defaults included, as a valid ini. */
int		 config_dump(const struct conf *, FILE *);

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
 * Returns how many were kept, -1 when memory ran out.
 */
int		 config_keep_running(struct conf *next, const struct conf *cur,
		    const struct config_report *);


#endif
