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
	char			*cert;		/* absolute */
	char			*key;		/* absolute */
	int			 auto_cert;

	/* [gopher] */
	int			 gopher_enabled;
	struct conf_listen	 gopher_listen;
	int			 gopher_port;
	int			 gopher_public_port;	/* in menus; = port when unset */
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
	int			 workers;	/* 0: one per core */
	int			 rate_limit;	/* requests per minute per address; 0 off */
};

/*
 * Each problem is one line naming the file, "[section] key", the value and
 * what was expected; "error" is 0 for a warning (an unknown key, say).
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

/* Print the effective configuration, defaults included, as a valid ini. */
int		 config_dump(const struct conf *, FILE *);

const char	*config_charset_name(enum text_charset);

#endif
