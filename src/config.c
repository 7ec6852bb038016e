/* griot: the ini file.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * griot.ini through iniparser into a struct conf, every key checked
 * against one table.  iniparser is the one parser of the file; a small
 * index of where each section and key stands (ini_index_new()) only
 * gives the messages their line numbers.
 */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "ini.h"
#include "log.h"
#include "text.h"

#define CONFIG_NAME_MAX		64	/* bytes of a name "did you mean" compares */
#define INI_LINE_MAX		1023	/* iniparser 4.1's longest line, '\n' included */
#define CONFIG_SIZE_MIN		1024L
#define CONFIG_SIZE_MAX		(64L * 1024 * 1024)

enum config_kind {
	CK_STRING,	/* UTF-8 text */
	CK_HOST,	/* a host name or address literal, lower case */
	CK_LANG,	/* a language tag: fr, en, fr-CA */
	CK_BOOL,
	CK_INT,		/* min..max */
	CK_SIZE,	/* bytes, K and M suffixes, min..max */
	CK_DIR,		/* an existing, readable folder */
	CK_PATH,	/* a file whose folder exists */
	CK_FILE,	/* a file checked later (cert, key) */
	CK_LISTEN,	/* list of addresses */
	CK_CHARSET,
	CK_USER,
	CK_GROUP,
	CK_LOGDEST,	/* stderr | syslog */
	CK_ACCESS	/* off | stderr | syslog | a path */
};

#define CF_OPTIONAL	0x01	/* empty or absent: unset (NULL, or computed) */
#define CF_COMPUTED	0x02	/* default derived from another key */
#define CF_RESTART	0x04	/* a running daemon cannot apply a change */

struct config_key {
	const char		*section;
	const char		*key;
	enum config_kind	 kind;
	long			 min, max;
	const char		*def;	/* as ini text; NULL: unset or computed */
	size_t			 off;	/* in struct conf */
	int			 flags;
};

#define O(f)	offsetof(struct conf, f)

/*
 * The one table: sections in order, keys in the order config_dump()
 * writes them and man/griot.ini.5 lists them.
 */
static const struct config_key config_keys[] = {
	{ "capsule", "name", CK_STRING, 0, 0, NULL, O(name), CF_OPTIONAL | CF_COMPUTED },
	{ "capsule", "hostname", CK_HOST, 0, 0, "localhost", O(hostname), 0 },
	{ "capsule", "lang", CK_LANG, 0, 0, "fr", O(lang), 0 },
	{ "capsule", "store", CK_DIR, 0, 0, "articles", O(store), 0 },
	{ "capsule", "pages", CK_DIR, 0, 0, NULL, O(pages), CF_OPTIONAL },
	{ "capsule", "description", CK_STRING, 0, 0, "", O(description), 0 },
	{ "capsule", "latest", CK_INT, 1, 1000, "10", O(latest), 0 },
	{ "capsule", "page_size", CK_INT, 10, 1000, "64", O(page_size), 0 },
	{ "capsule", "french_spacing", CK_BOOL, 0, 0, NULL, O(french_spacing), CF_COMPUTED },
	{ "capsule", "max_article_size", CK_SIZE, CONFIG_SIZE_MIN, CONFIG_SIZE_MAX, "1M", O(max_article_size), 0 },

	{ "gemini", "enabled", CK_BOOL, 0, 0, "yes", O(gemini_enabled), CF_RESTART },
	{ "gemini", "listen", CK_LISTEN, 0, 0, "*", O(gemini_listen), CF_RESTART },
	{ "gemini", "port", CK_INT, 1, 65535, "1965", O(gemini_port), CF_RESTART },
	{ "gemini", "public_port", CK_INT, 1, 65535, NULL, O(gemini_public_port), CF_OPTIONAL | CF_COMPUTED },
	{ "gemini", "proxy_protocol", CK_BOOL, 0, 0, "no", O(gemini_proxy_protocol), 0 },
	{ "gemini", "cert", CK_FILE, 0, 0, NULL, O(cert), CF_OPTIONAL | CF_COMPUTED | CF_RESTART },
	{ "gemini", "key", CK_FILE, 0, 0, NULL, O(key), CF_OPTIONAL | CF_COMPUTED | CF_RESTART },
	{ "gemini", "auto_cert", CK_BOOL, 0, 0, "yes", O(auto_cert), 0 },
	{ "gemini", "ticket_keys", CK_FILE, 0, 0, NULL, O(ticket_keys), CF_OPTIONAL },

	{ "gopher", "enabled", CK_BOOL, 0, 0, "yes", O(gopher_enabled), CF_RESTART },
	{ "gopher", "listen", CK_LISTEN, 0, 0, "*", O(gopher_listen), CF_RESTART },
	{ "gopher", "port", CK_INT, 1, 65535, "70", O(gopher_port), CF_RESTART },
	{ "gopher", "public_port", CK_INT, 1, 65535, NULL, O(gopher_public_port), CF_OPTIONAL | CF_COMPUTED },
	{ "gopher", "proxy_protocol", CK_BOOL, 0, 0, "no", O(gopher_proxy_protocol), 0 },
	{ "gopher", "width", CK_INT, 20, 200, "67", O(width), 0 },
	{ "gopher", "charset", CK_CHARSET, 0, 0, "utf-8", O(charset), 0 },

	{ "http", "enabled", CK_BOOL, 0, 0, "no", O(http_enabled), CF_RESTART },
	{ "http", "listen", CK_LISTEN, 0, 0, "*", O(http_listen), CF_RESTART },
	{ "http", "port", CK_INT, 1, 65535, "80", O(http_port), CF_RESTART },
	{ "http", "public_port", CK_INT, 1, 65535, NULL, O(http_public_port), CF_OPTIONAL | CF_COMPUTED },
	{ "http", "proxy_protocol", CK_BOOL, 0, 0, "no", O(http_proxy_protocol), 0 },

	{ "server", "user", CK_USER, 0, 0, NULL, O(user), CF_OPTIONAL | CF_RESTART },
	{ "server", "group", CK_GROUP, 0, 0, NULL, O(group), CF_OPTIONAL | CF_RESTART },
	{ "server", "chroot", CK_DIR, 0, 0, NULL, O(chroot), CF_OPTIONAL | CF_RESTART },
	{ "server", "pidfile", CK_PATH, 0, 0, NULL, O(pidfile), CF_OPTIONAL | CF_RESTART },
	{ "server", "log", CK_LOGDEST, 0, 0, "stderr", O(log), CF_RESTART },
	{ "server", "access_log", CK_ACCESS, 0, 0, NULL, O(access_log), CF_OPTIONAL | CF_COMPUTED },
	{ "server", "max_connections", CK_INT, 1, 1000000, "8192", O(max_connections), 0 },
	{ "server", "max_per_address", CK_INT, 0, 1000000, "32", O(max_per_address), 0 },
	{ "server", "request_timeout", CK_INT, 1, 3600, "10", O(request_timeout), 0 },
	{ "server", "workers", CK_INT, 0, CONFIG_WORKERS_MAX, "0", O(workers), CF_RESTART },
	{ "server", "rate_limit", CK_INT, 0, 1000000, "0", O(rate_limit), 0 },
	{ "server", "store_scan_interval", CK_INT, 0, 86400, "0", O(store_scan_interval), 0 },
};

#undef O

#define NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

static const char *const config_sections[] = {
	"capsule", "gemini", "gopher", "http", "server"
};
#define NSECTIONS	(sizeof(config_sections) / sizeof(config_sections[0]))

/* What parsing one value came to. */
enum config_parsed {
	CONFIG_OK,
	CONFIG_BAD,	/* not of the kind: reported */
	CONFIG_RANGE,	/* of the kind, out of range: reported */
	CONFIG_NOMEM
};

struct config_ctx {
	struct config_msgs		 msgs;
	const struct ini_index	*ix;
	int				 unreadable;	/* lines said to be unreadable */
};

/* ------------------------------------------------------------------ */
/* Messages. */

void
config_msg(struct config_msgs *m, int error, int line, const char *fmt, ...)
{
	char	 msg[CONFIG_MSG_MAX], full[CONFIG_MSG_MAX + 256];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	else if ((size_t)n >= sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	if (line > 0)
		n = snprintf(full, sizeof(full), "%s:%d: %s", m->file, line,
		    msg);
	else
		n = snprintf(full, sizeof(full), "%s: %s", m->file, msg);
	if (n < 0 || (size_t)n >= sizeof(full))
		memcpy(full + sizeof(full) - 4, "...", 4);
	if (error)
		m->errors++;
	else
		m->warnings++;
	if (m->rep != NULL && m->rep->fn != NULL)
		m->rep->fn(m->rep->arg, error, full);
	else
		log_warnx("%s", full);
}

/*
 * No byte of the file reaches the log or the terminal of griotd -t as it
 * is (a CR or an ESC say): log_escape() is the access log's escaping.
 */
const char *
config_msg_quote(struct config_msgs *m, const char *s)
{
	char	*out = m->quoted[m->nquoted++ % CONFIG_QUOTE_N];

	(void)log_escape(out, sizeof(m->quoted[0]), s, strlen(s));
	return out;
}

/* ------------------------------------------------------------------ */
/* Names. */

static void
config_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Optimal string alignment distance, for "did you mean". */
static size_t
config_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, d[CONFIG_NAME_MAX + 1][CONFIG_NAME_MAX + 1];
	size_t	 cost, v;

	if (la > CONFIG_NAME_MAX || lb > CONFIG_NAME_MAX)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* Close enough to be a typo: 1 edit for short names, 2 for longer. */
static int
config_is_close(const char *typed, const char *known)
{
	size_t	 d = config_distance(typed, known);
	size_t	 len = strlen(known);

	if (d == 0)
		return 0;
	return d <= (len <= 4 ? 1 : 2);
}

static const char *
config_suggest_section(const char *name)
{
	size_t	 i;

	for (i = 0; i < NSECTIONS; i++)
		if (config_is_close(name, config_sections[i]))
			return config_sections[i];
	return NULL;
}

static int
config_is_section(const char *name)
{
	size_t	 i;

	for (i = 0; i < NSECTIONS; i++)
		if (strcmp(name, config_sections[i]) == 0)
			return 1;
	return 0;
}

static const struct config_key *
config_find_key(const char *section, const char *key)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Names: unknown sections and keys, with suggestions. */

static void
config_unknown_key(struct config_ctx *ctx, const char *section,
    const char *key, int line)
{
	char		 elsewhere[128] = "";
	const char	*secs[NSECTIONS];
	const char	*best = NULL, *best_other = NULL, *best_other_sec = NULL;
	const char	*qs, *qk;
	size_t		 i, d, len, nsecs = 0, bestd = SIZE_MAX, otherd = SIZE_MAX;

	for (i = 0; i < NKEYS; i++) {
		const struct config_key *k = &config_keys[i];

		if (strcmp(k->section, section) == 0) {
			if (!config_is_close(key, k->key))
				continue;
			d = config_distance(key, k->key);
			if (d < bestd) {
				bestd = d;
				best = k->key;
			}
		} else if (strcmp(k->key, key) == 0) {
			if (nsecs < NSECTIONS)
				secs[nsecs++] = k->section;
		} else if (config_is_close(key, k->key)) {
			d = config_distance(key, k->key);
			if (d < otherd) {
				otherd = d;
				best_other = k->key;
				best_other_sec = k->section;
			}
		}
	}
	/* "[gemini]", "[gemini] or [gopher]", "[gemini], [gopher] or [http]" */
	for (i = 0, len = 0; i < nsecs; i++) {
		const char	*sep = i == 0 ? "" : i + 1 == nsecs ? " or " : ", ";
		size_t		 seplen = strlen(sep), slen = strlen(secs[i]);

		if (len + seplen + slen + 3 > sizeof(elsewhere))
			break;		/* section names are short */
		memcpy(elsewhere + len, sep, seplen);
		len += seplen;
		elsewhere[len++] = '[';
		memcpy(elsewhere + len, secs[i], slen);
		len += slen;
		elsewhere[len++] = ']';
		elsewhere[len] = '\0';
	}
	qs = config_msg_quote(&ctx->msgs, section);
	qk = config_msg_quote(&ctx->msgs, key);
	if (best != NULL)
		config_msg(&ctx->msgs, 1, line, "[%s] %s: unknown key (did you "
		    "mean \"%s\"?)", qs, qk, best);
	else if (elsewhere[0] != '\0')
		config_msg(&ctx->msgs, 1, line, "[%s] %s: unknown key in this "
		    "section (it belongs in %s)", qs, qk, elsewhere);
	else if (best_other != NULL)
		config_msg(&ctx->msgs, 1, line, "[%s] %s: unknown key (did you "
		    "mean \"%s\", in [%s]?)", qs, qk, best_other,
		    best_other_sec);
	else
		config_msg(&ctx->msgs, 1, line, "[%s] %s: unknown key (see "
		    "griot.ini(5))", qs, qk);
}

/*
 * A line iniparser could not read; said only when iniparser refused the
 * file, so that iniparser alone decides what is an error.
 */
static void
config_unreadable(struct config_ctx *ctx, const struct ini_entry *e)
{
	ctx->unreadable++;
	if (e->flags & INI_LONG)
		config_msg(&ctx->msgs, 1, e->line, "line too long (at most "
		    "1023 bytes)");
	else
		config_msg(&ctx->msgs, 1, e->line, "syntax error: \"%s\" "
		    "(expected [section], key = value, or a comment starting "
		    "with ';' or '#')", config_msg_quote(&ctx->msgs, e->text));
}

/*
 * Errors in the names of the file, each at the line of the last of its
 * kind (the one iniparser keeps), then the warnings: a key given again,
 * text cut by a ';'.  "refused": iniparser refused the file.
 */
static void
config_check_names(struct config_ctx *ctx, int refused)
{
	const struct ini_index	*ix = ctx->ix;
	const struct ini_entry	*e, *next;
	const struct config_key		*k;
	const char			*sugg;
	size_t				 i;

	for (i = 0; i < ix->n; i++) {
		e = &ix->entries[i];
		if (e->flags & INI_NUL) {
			ctx->unreadable++;
			config_msg(&ctx->msgs, 1, e->line, "NUL byte in the line "
			    "(expected UTF-8 text; was the file saved as "
			    "UTF-16?)");
		} else if (e->flags & INI_NONAME)
			config_msg(&ctx->msgs, 1, e->line, "[]: a section "
			    "without a name (expected [capsule], [gemini], "
			    "[gopher], [http] or [server])");
		else if (e->flags & (INI_BAD | INI_LONG)) {
			if (refused)
				config_unreadable(ctx, e);
		} else if (ini_index_next(ix, i) != NULL)
			continue;
		else if (e->key == NULL && !config_is_section(e->section)) {
			if ((sugg = config_suggest_section(e->section)) != NULL)
				config_msg(&ctx->msgs, 1, e->line, "[%s]: unknown "
				    "section (did you mean [%s]?)",
				    config_msg_quote(&ctx->msgs, e->section), sugg);
			else
				config_msg(&ctx->msgs, 1, e->line, "[%s]: unknown "
				    "section (expected [capsule], [gemini], "
				    "[gopher], [http] or [server])",
				    config_msg_quote(&ctx->msgs, e->section));
		} else if (e->key != NULL && e->section[0] == '\0')
			config_msg(&ctx->msgs, 1, e->line, "%s: key outside any "
			    "section (put it under [capsule], [gemini], "
			    "[gopher], [http] or [server])",
			    config_msg_quote(&ctx->msgs, e->key));
		else if (e->key != NULL && config_is_section(e->section) &&
		    config_find_key(e->section, e->key) == NULL)
			config_unknown_key(ctx, e->section, e->key, e->line);
	}
	for (i = 0; i < ix->n; i++) {
		e = &ix->entries[i];
		if (e->key == NULL)
			continue;
		if ((next = ini_index_next(ix, i)) != NULL) {
			config_msg(&ctx->msgs, 0, next->line, "[%s] %s: given "
			    "again (line %d); the last one counts",
			    config_msg_quote(&ctx->msgs, e->section),
			    config_msg_quote(&ctx->msgs, e->key), e->line);
			continue;
		}
		k = config_find_key(e->section, e->key);
		if (k != NULL && k->kind == CK_STRING && (e->flags & INI_CUT))
			config_msg(&ctx->msgs, 0, e->line, "[%s] %s: the text "
			    "after ';' or '#' was read as a comment; put the "
			    "value in double quotes to keep it",
			    config_msg_quote(&ctx->msgs, e->section),
			    config_msg_quote(&ctx->msgs, e->key));
	}
}

/* ------------------------------------------------------------------ */
/* Values. */

static enum config_parsed
config_put_str(char **sp, char *s)
{
	if (s == NULL)
		return CONFIG_NOMEM;
	free(*sp);
	*sp = s;
	return CONFIG_OK;
}

static enum config_parsed
config_parse_string(const struct config_key *k, const char *v, void *field)
{
	if (!text_is_utf8(v, strlen(v)))
		return CONFIG_BAD;
	return config_put_str(field, strdup(v));
}

static enum config_parsed
config_parse_bool(const struct config_key *k, const char *v, void *field)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	 i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*(int *)field = 1;
			return CONFIG_OK;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*(int *)field = 0;
			return CONFIG_OK;
		}
	}
	return CONFIG_BAD;
}

/* An integer, or with CK_SIZE a size with a K or M suffix. */
static enum config_parsed
config_parse_number(const struct config_key *k, const char *v, void *field)
{
	char	*end;
	long	 n, mul = 1;

	if (!isdigit((unsigned char)*v) && *v != '-' && *v != '+')
		return CONFIG_BAD;
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v)
		return CONFIG_BAD;
	if (k->kind == CK_SIZE && (*end == 'k' || *end == 'K') &&
	    end[1] == '\0')
		mul = 1024;
	else if (k->kind == CK_SIZE && (*end == 'm' || *end == 'M') &&
	    end[1] == '\0')
		mul = 1024 * 1024;
	else if (*end != '\0')
		return CONFIG_BAD;
	if (errno == ERANGE || (n > 0 && n > LONG_MAX / mul))
		return CONFIG_RANGE;
	n *= mul;
	if (n < k->min || n > k->max)
		return CONFIG_RANGE;
	if (k->kind == CK_SIZE)
		*(size_t *)field = (size_t)n;
	else
		*(int *)field = (int)n;
	return CONFIG_OK;
}

/* The charset names griot reads; the first of each is the one it writes. */
static const struct {
	const char		*name;
	enum text_charset	 cs;
} config_charsets[] = {
	{ "utf-8", TEXT_UTF8 }, { "utf8", TEXT_UTF8 },
	{ "latin1", TEXT_LATIN1 }, { "latin-1", TEXT_LATIN1 },
	{ "iso-8859-1", TEXT_LATIN1 }, { "iso8859-1", TEXT_LATIN1 },
	{ "ascii", TEXT_ASCII }, { "us-ascii", TEXT_ASCII },
};

static enum config_parsed
config_parse_charset(const struct config_key *k, const char *v, void *field)
{
	size_t	 i;

	for (i = 0; i < sizeof(config_charsets) / sizeof(config_charsets[0]);
	    i++)
		if (strcasecmp(v, config_charsets[i].name) == 0) {
			*(enum text_charset *)field = config_charsets[i].cs;
			return CONFIG_OK;
		}
	return CONFIG_BAD;
}

static const char *
config_charset_str(enum text_charset cs)
{
	size_t	 i;

	for (i = 0; i < sizeof(config_charsets) / sizeof(config_charsets[0]);
	    i++)
		if (config_charsets[i].cs == cs)
			return config_charsets[i].name;
	return "utf-8";
}

/* The primary subtag in lower case, the rest as written. */
static enum config_parsed
config_parse_lang(const struct config_key *k, const char *v, void *field)
{
	char	*s;
	size_t	 n;

	if (!text_is_lang_tag(v, strlen(v)))	/* the one rule */
		return CONFIG_BAD;
	if ((s = strdup(v)) == NULL)
		return CONFIG_NOMEM;
	for (n = 0; isalpha((unsigned char)s[n]); n++)
		s[n] = (char)tolower((unsigned char)s[n]);
	return config_put_str(field, s);
}

/* Letters, digits, '-' and '.', as DNS labels of 1 to 63 bytes. */
static int
config_is_dns_name(const char *s)
{
	const char	*p;
	size_t		 label = 0;

	if (*s == '\0' || strlen(s) > 253)
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
		if (*p == '-' && label == 0)
			return 0;
		if (++label > 63)
			return 0;
	}
	return p[-1] != '-';
}

/* A copy of "v" without the brackets around it, if any: "[::1]" -> "::1". */
static char *
config_unbracket(const char *v)
{
	size_t	 len = strlen(v);

	if (len >= 2 && v[0] == '[' && v[len - 1] == ']')
		return strndup(v + 1, len - 2);
	return strdup(v);
}

/* A DNS name or an IPv4 or IPv6 literal (in brackets or not), lower case. */
static enum config_parsed
config_parse_host(const struct config_key *k, const char *v, void *field)
{
	struct in6_addr	 a6;
	char		*s;

	if ((s = config_unbracket(v)) == NULL)
		return CONFIG_NOMEM;
	config_lower(s);
	if (inet_pton(AF_INET6, s, &a6) != 1 &&
	    (v[0] == '[' || !config_is_dns_name(s))) {
		free(s);
		return CONFIG_BAD;
	}
	return config_put_str(field, s);
}

static enum config_parsed
config_parse_logdest(const struct config_key *k, const char *v, void *field)
{
	if (strcmp(v, "stderr") != 0 && strcmp(v, "syslog") != 0)
		return CONFIG_BAD;
	return config_put_str(field, strdup(v));
}

static enum config_parsed
config_parse_user(const struct config_key *k, const char *v, void *field)
{
	if ((k->kind == CK_USER ? (void *)getpwnam(v) :
	    (void *)getgrnam(v)) == NULL)
		return CONFIG_BAD;
	return config_put_str(field, strdup(v));
}

/* "/a/b/../c/./d" -> "/a/c/d", in place; "path" is absolute. */
static void
config_clean_path(char *path)
{
	char	*r = path, *w = path, *seg;
	size_t	 n;

	while (*r != '\0') {
		while (*r == '/')
			r++;
		seg = r;
		while (*r != '\0' && *r != '/')
			r++;
		n = (size_t)(r - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (w > path && *--w != '/')
				;
			continue;
		}
		*w++ = '/';
		memmove(w, seg, n);
		w += n;
	}
	if (w == path)
		*w++ = '/';
	*w = '\0';
}

static char *
config_abs_path(const char *dir, const char *v)
{
	char	*s;
	size_t	 dlen = strlen(dir), vlen = strlen(v);

	if (v[0] == '/')
		s = strdup(v);
	else {
		if ((s = malloc(dlen + 1 + vlen + 1)) == NULL)
			return NULL;
		memcpy(s, dir, dlen);
		s[dlen] = '/';
		memcpy(s + dlen + 1, v, vlen + 1);
	}
	if (s != NULL)
		config_clean_path(s);
	return s;
}

/* The folder of "path", in place: "/a/b" -> "/a", "/a" -> "/". */
static void
config_dirname(char *path)
{
	char	*slash = strrchr(path, '/');

	if (slash == path)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
}

/* Is the folder of "path" there?  errno says why not. */
static int
config_has_parent_dir(const char *path)
{
	struct stat	 st;
	char		*d;
	int		 yes;

	if ((d = strdup(path)) == NULL)
		return 0;
	config_dirname(d);
	yes = stat(d, &st) == 0 && S_ISDIR(st.st_mode);
	free(d);
	return yes;
}

/* ------------------------------------------------------------------ */
/* One key. */

static enum config_parsed config_set_listen(struct config_ctx *, struct conf *,
		    const struct config_key *, const char *, int, int);
static enum config_parsed config_set_path(struct config_ctx *, struct conf *,
		    const struct config_key *, const char *, int, int);

/*
 * Each kind of value: its parser, or a setter of its own that says its
 * messages (listen addresses, paths); what a bad value "is not", said
 * as "[section] key: BEFORE"value"AFTER (EXPECT)" (no value and no
 * EXPECT when AFTER is NULL).
 */
static const struct config_kind_info {
	enum config_parsed (*parse)(const struct config_key *, const char *,
	    void *);
	enum config_parsed (*set)(struct config_ctx *, struct conf *,
	    const struct config_key *, const char *, int, int);
	const char	*before, *after;
	const char	*expect;
} config_kinds[] = {
	[CK_STRING] = { config_parse_string, NULL,
	    "the value is not valid UTF-8 (save the file as UTF-8)", NULL,
	    "expected UTF-8 text" },
	[CK_HOST] = { config_parse_host, NULL, "\"", "\" is not a host name",
	    "expected a host name such as gemini.example.org, or an IP "
	    "address" },
	[CK_LANG] = { config_parse_lang, NULL, "\"", "\" is not a language tag",
	    "expected a language tag such as fr, en or fr-CA" },
	[CK_BOOL] = { config_parse_bool, NULL, "\"", "\" is not a boolean",
	    "expected yes or no; true/false, on/off and 1/0 work too" },
	[CK_INT] = { config_parse_number, NULL, "\"", "\" is not a number",
	    NULL },
	[CK_SIZE] = { config_parse_number, NULL, "\"", "\" is not a number",
	    NULL },
	[CK_DIR] = { NULL, config_set_path, NULL, NULL,
	    "expected an existing, readable folder" },
	[CK_PATH] = { NULL, config_set_path, NULL, NULL,
	    "expected a file in an existing folder" },
	[CK_FILE] = { NULL, config_set_path, NULL, NULL,
	    "expected a file in an existing folder" },
	[CK_LISTEN] = { NULL, config_set_listen, NULL, NULL,
	    "expected IP addresses separated by commas, or * for every "
	    "address" },
	[CK_CHARSET] = { config_parse_charset, NULL, "\"",
	    "\" is not a charset griot writes",
	    "expected utf-8, latin1 or ascii" },
	[CK_USER] = { config_parse_user, NULL, "no user \"",
	    "\" on this system", "expected a user name of this system" },
	[CK_GROUP] = { config_parse_user, NULL, "no group \"",
	    "\" on this system", "expected a group name of this system" },
	[CK_LOGDEST] = { config_parse_logdest, NULL, "\"",
	    "\" is not a log destination", "expected stderr or syslog" },
	[CK_ACCESS] = { NULL, config_set_path, NULL, NULL,
	    "expected off, stderr, syslog or a file" },
};

static const char *
config_expect(const struct config_key *k, char *buf, size_t len)
{
	int	 n;

	if (k->kind == CK_INT) {
		n = snprintf(buf, len, "expected an integer from %ld to %ld",
		    k->min, k->max);
		return n < 0 || (size_t)n >= len ? "expected an integer" : buf;
	}
	if (k->kind == CK_SIZE) {
		n = snprintf(buf, len, "expected a size in bytes from %ldK to "
		    "%ldM, with an optional K or M suffix", k->min / 1024,
		    k->max / (1024 * 1024));
		return n < 0 || (size_t)n >= len ? "expected a size" : buf;
	}
	return config_kinds[k->kind].expect;
}

/* The one message of a bad value: "[section] key: ... (expected ...)". */
static void
config_bad_value(struct config_ctx *ctx, const struct config_key *k,
    int line, const char *before, const char *v, const char *after)
{
	char	 exp[160];

	if (after == NULL)
		config_msg(&ctx->msgs, 1, line, "[%s] %s: %s", k->section, k->key,
		    before);
	else
		config_msg(&ctx->msgs, 1, line, "[%s] %s: %s%s%s (%s)",
		    k->section, k->key, before,
		    config_msg_quote(&ctx->msgs, v), after,
		    config_expect(k, exp, sizeof(exp)));
}

#define FIELD(c, k, type)	((type *)(void *)((char *)(c) + (k)->off))
#define CFIELD(c, k, type)	((type const *)(const void *)((const char *)(c) + (k)->off))

/*
 * Parse "v" for key "k" into "c", reporting a bad value.  "is_default":
 * "v" is the table's default, which messages say.
 */
static enum config_parsed
config_set(struct config_ctx *ctx, struct conf *c, const struct config_key *k,
    const char *v, int line, int is_default)
{
	const struct config_kind_info	*ki = &config_kinds[k->kind];
	enum config_parsed		 r;

	if (ki->set != NULL)
		return ki->set(ctx, c, k, v, line, is_default);
	r = ki->parse(k, v, FIELD(c, k, void));
	if (r == CONFIG_BAD)
		config_bad_value(ctx, k, line, ki->before, v, ki->after);
	else if (r == CONFIG_RANGE)
		config_bad_value(ctx, k, line, "", v, " is out of range");
	return r;
}

/* One address: "*", IPv4, IPv6 (brackets allowed); a canonical copy. */
static enum config_parsed
config_parse_addr(const char *v, char **out)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		 tmp[INET6_ADDRSTRLEN], *s;
	int		 ok;

	if (strcmp(v, "*") == 0)
		ok = snprintf(tmp, sizeof(tmp), "*") == 1;
	else if (inet_pton(AF_INET, v, &a4) == 1)
		ok = inet_ntop(AF_INET, &a4, tmp, sizeof(tmp)) != NULL;
	else {
		if ((s = config_unbracket(v)) == NULL)
			return CONFIG_NOMEM;
		ok = inet_pton(AF_INET6, s, &a6) == 1 &&
		    inet_ntop(AF_INET6, &a6, tmp, sizeof(tmp)) != NULL;
		free(s);
	}
	if (!ok)
		return CONFIG_BAD;
	return (*out = strdup(tmp)) == NULL ? CONFIG_NOMEM : CONFIG_OK;
}

static void
config_listen_free(struct conf_listen *l)
{
	size_t	 i;

	for (i = 0; i < l->naddrs; i++) {
		free(l->addrs[i]);
		l->addrs[i] = NULL;
	}
	l->naddrs = 0;
}

static int
config_has_addr(const struct conf_listen *l, const char *a)
{
	size_t	 i;

	for (i = 0; i < l->naddrs; i++)
		if (strcmp(l->addrs[i], a) == 0)
			return 1;
	return 0;
}

/* "127.0.0.1, ::1": addresses separated by commas or blanks. */
static enum config_parsed
config_set_listen(struct config_ctx *ctx, struct conf *c,
    const struct config_key *k, const char *v, int line, int is_default)
{
	struct conf_listen	*l = FIELD(c, k, struct conf_listen);
	char			*copy, *tok, *save = NULL, *a, exp[160];
	enum config_parsed	 r, ret = CONFIG_OK;

	config_listen_free(l);
	if ((copy = strdup(v)) == NULL)
		return CONFIG_NOMEM;
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save)) {
		if ((r = config_parse_addr(tok, &a)) == CONFIG_NOMEM) {
			ret = r;
			break;
		}
		if (r == CONFIG_BAD) {
			config_msg(&ctx->msgs, 1, line, "[%s] %s: \"%s\" is "
			    "not an IP address (%s%s)", k->section, k->key,
			    config_msg_quote(&ctx->msgs, tok),
			    config_expect(k, exp, sizeof(exp)),
			    strcasecmp(tok, "localhost") == 0 ? "; for this "
			    "machine only, write 127.0.0.1, ::1" : "");
			ret = CONFIG_BAD;
			continue;
		}
		if (config_has_addr(l, a)) {
			config_msg(&ctx->msgs, 1, line, "[%s] %s: %s is listed "
			    "twice", k->section, k->key,
			    config_msg_quote(&ctx->msgs, tok));
			free(a);
			ret = CONFIG_BAD;
			continue;
		}
		if (l->naddrs == CONFIG_LISTEN_MAX) {
			config_msg(&ctx->msgs, 1, line, "[%s] %s: more than %d "
			    "addresses", k->section, k->key, CONFIG_LISTEN_MAX);
			free(a);
			ret = CONFIG_BAD;
			break;
		}
		l->addrs[l->naddrs++] = a;
	}
	free(copy);
	if (ret != CONFIG_OK)
		return ret;
	if (l->naddrs == 0) {
		config_msg(&ctx->msgs, 1, line, "[%s] %s: no address (%s)",
		    k->section, k->key, config_expect(k, exp, sizeof(exp)));
		return CONFIG_BAD;
	}
	if (l->naddrs > 1 && config_has_addr(l, "*")) {
		config_msg(&ctx->msgs, 1, line, "[%s] %s: * already means every "
		    "address; list it alone", k->section, k->key);
		return CONFIG_BAD;
	}
	return CONFIG_OK;
}

/*
 * A path, absolute from the ini's folder, or for access_log also off,
 * stderr or syslog.  A folder (CK_DIR) must be there and readable; the
 * folder of a file (CK_PATH, access_log) must be there; cert and key
 * (CK_FILE) are checked by griotd -t (confcheck.c) and at start.  These
 * look-ups stay here, not in confcheck.c: every load needs them (start,
 * SIGHUP, -t), and a reload must name the line of a store that vanished.
 */
static enum config_parsed
config_set_path(struct config_ctx *ctx, struct conf *c,
    const struct config_key *k, const char *v, int line, int is_default)
{
	char		 exp[160], **sp = FIELD(c, k, char *);
	const char	*dflt = is_default ? " (the default)" : "", *qp;
	struct stat	 st;
	int		 saved;

	if (k->kind == CK_ACCESS && (strcmp(v, "off") == 0 ||
	    strcmp(v, "stderr") == 0 || strcmp(v, "syslog") == 0))
		return config_put_str(sp, strdup(v));
	if (config_put_str(sp, config_abs_path(c->dir, v)) == CONFIG_NOMEM)
		return CONFIG_NOMEM;
	qp = config_msg_quote(&ctx->msgs, *sp);
	if (k->kind == CK_DIR) {
		if (stat(*sp, &st) == 0 && !S_ISDIR(st.st_mode)) {
			config_msg(&ctx->msgs, 1, line, "[%s] %s: %s%s is not a "
			    "folder (%s)", k->section, k->key, qp, dflt,
			    config_expect(k, exp, sizeof(exp)));
			return CONFIG_BAD;
		}
		if (stat(*sp, &st) == -1 || access(*sp, R_OK | X_OK) == -1) {
			saved = errno;
			config_msg(&ctx->msgs, 1, line, "[%s] %s: %s%s: %s (%s)",
			    k->section, k->key, qp, dflt, strerror(saved),
			    config_expect(k, exp, sizeof(exp)));
			return CONFIG_BAD;
		}
	} else if (k->kind != CK_FILE && !config_has_parent_dir(*sp)) {
		config_msg(&ctx->msgs, 1, line, "[%s] %s: %s: its folder does "
		    "not exist (%s)", k->section, k->key, qp,
		    config_expect(k, exp, sizeof(exp)));
		return CONFIG_BAD;
	}
	return CONFIG_OK;
}

static int
config_is_string_kind(enum config_kind kind)
{
	switch (kind) {
	case CK_BOOL:
	case CK_INT:
	case CK_SIZE:
	case CK_LISTEN:
	case CK_CHARSET:
		return 0;
	default:
		return 1;
	}
}

/* ------------------------------------------------------------------ */
/* Loading. */

/* Does a listener reach beyond loopback? */
static int
config_is_public(const struct conf_listen *l)
{
	size_t	 i;

	for (i = 0; i < l->naddrs; i++)
		if (strncmp(l->addrs[i], "127.", 4) != 0 &&
		    strcmp(l->addrs[i], "::1") != 0)
			return 1;
	return 0;
}

/* Do the two lists share an address ("*" shares every one)? */
static int
config_has_overlap(const struct conf_listen *a, const struct conf_listen *b)
{
	size_t	 i;

	if (config_has_addr(a, "*") || config_has_addr(b, "*"))
		return 1;
	for (i = 0; i < a->naddrs; i++)
		if (config_has_addr(b, a->addrs[i]))
			return 1;
	return 0;
}

/* certs/HOSTNAME.SUFFIX next to the ini. */
static char *
config_cert_path(const struct conf *c, const char *suffix)
{
	char	 buf[512];
	int	 n;

	n = snprintf(buf, sizeof(buf), "certs/%s.%s", c->hostname, suffix);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	return config_abs_path(c->dir, buf);
}

/* Defaults derived from other keys.  Returns -1 when memory ran out. */
static int
config_derive(struct conf *c)
{
	if (c->name == NULL && (c->name = strdup(c->hostname)) == NULL)
		return -1;
	if (c->description == NULL && (c->description = strdup("")) == NULL)
		return -1;
	if (c->french_spacing == -1)
		c->french_spacing = strncmp(c->lang, "fr", 2) == 0 &&
		    (c->lang[2] == '\0' || c->lang[2] == '-');
	if (c->gemini_public_port == 0)
		c->gemini_public_port = c->gemini_port;
	if (c->gopher_public_port == 0)
		c->gopher_public_port = c->gopher_port;
	if (c->http_public_port == 0)
		c->http_public_port = c->http_port;
	if (c->cert == NULL && (c->cert = config_cert_path(c, "crt")) == NULL)
		return -1;
	if (c->key == NULL && (c->key = config_cert_path(c, "key")) == NULL)
		return -1;
	if (c->access_log == NULL &&
	    (c->access_log = strdup(c->log)) == NULL)
		return -1;
	return 0;
}

/* Checks across keys. */
static void
config_check_across(struct config_ctx *ctx, const struct conf *c)
{
	const char	*paths[2] = { c->store, c->pages };
	const char	*names[2] = { "store", "pages" };
	size_t		 i, n;

	/* [http] is off by default: the message names the two that are not. */
	if (!c->gemini_enabled && !c->gopher_enabled && !c->http_enabled)
		config_msg(&ctx->msgs, 1, ini_index_line(ctx->ix, "gopher",
		    "enabled"), "[gemini] enabled and [gopher] enabled: both "
		    "are off, there would be nothing to serve ([http] is off "
		    "too)");
	if (c->gemini_enabled && c->gopher_enabled &&
	    c->gemini_port == c->gopher_port &&
	    config_has_overlap(&c->gemini_listen, &c->gopher_listen))
		config_msg(&ctx->msgs, 1, ini_index_line(ctx->ix, "gopher",
		    "port"), "[gopher] port: %d is also [gemini] port on the "
		    "same address", c->gopher_port);
	if (c->http_enabled && c->gemini_enabled &&
	    c->gemini_port == c->http_port &&
	    config_has_overlap(&c->gemini_listen, &c->http_listen))
		config_msg(&ctx->msgs, 1, ini_index_line(ctx->ix, "http",
		    "port"), "[http] port: %d is also [gemini] port on the "
		    "same address", c->http_port);
	if (c->http_enabled && c->gopher_enabled &&
	    c->gopher_port == c->http_port &&
	    config_has_overlap(&c->gopher_listen, &c->http_listen))
		config_msg(&ctx->msgs, 1, ini_index_line(ctx->ix, "http",
		    "port"), "[http] port: %d is also [gopher] port on the "
		    "same address", c->http_port);
	if (strcmp(c->hostname, "localhost") == 0 &&
	    ((c->gemini_enabled && config_is_public(&c->gemini_listen)) ||
	    (c->gopher_enabled && config_is_public(&c->gopher_listen)) ||
	    (c->http_enabled && config_is_public(&c->http_listen))))
		config_msg(&ctx->msgs, 0, ini_index_line(ctx->ix, "capsule",
		    "hostname"), "[capsule] hostname: localhost, while griotd "
		    "listens beyond this machine: links and menus would send "
		    "readers to their own machine (set hostname to the "
		    "capsule's public name)");
	if (c->group != NULL && c->user == NULL)
		config_msg(&ctx->msgs, 1, ini_index_line(ctx->ix, "server",
		    "group"), "[server] group: set without [server] user");
	if (c->chroot == NULL || strcmp(c->chroot, "/") == 0)
		return;
	n = strlen(c->chroot);
	for (i = 0; i < 2; i++)
		if (paths[i] != NULL && (strncmp(paths[i], c->chroot, n) != 0 ||
		    (paths[i][n] != '/' && paths[i][n] != '\0')))
			config_msg(&ctx->msgs, 1, ini_index_line(ctx->ix,
			    "capsule", names[i]), "[capsule] %s: %s is outside "
			    "[server] chroot %s (expected a folder inside it)",
			    names[i], config_msg_quote(&ctx->msgs, paths[i]),
			    config_msg_quote(&ctx->msgs, c->chroot));
}

/* Every key from iniparser's dictionary, or its default.  -1: no memory. */
static int
config_set_all(struct config_ctx *ctx, struct conf *c, const dictionary *d)
{
	const struct config_key	*k;
	const char		*v;
	char			 name[256];
	size_t			 i;
	int			 n;

	c->french_spacing = -1;
	for (i = 0; i < NKEYS; i++) {
		k = &config_keys[i];
		n = snprintf(name, sizeof(name), "%s:%s", k->section, k->key);
		if (n < 0 || (size_t)n >= sizeof(name))
			return -1;
		v = iniparser_getstring(d, name, NULL);
		if (v != NULL && v[0] == '\0' && (k->flags & CF_OPTIONAL))
			v = NULL;	/* "key =" leaves it unset */
		if (v != NULL) {
			if (config_set(ctx, c, k, v, ini_index_line(ctx->ix,
			    k->section, k->key), 0) == CONFIG_NOMEM)
				return -1;
		} else if (k->def != NULL &&
		    config_set(ctx, c, k, k->def, 0, 1) == CONFIG_NOMEM)
			return -1;
	}
	/* Derived defaults need the keys they derive from. */
	if (c->hostname == NULL || c->lang == NULL || c->log == NULL)
		return 0;
	if (config_derive(c) == -1)
		return -1;
	config_check_across(ctx, c);
	return 0;
}

struct conf *
config_load(const char *path, const struct config_report *rep)
{
	struct config_ctx	 ctx;
	struct ini_index	*ix = NULL;
	struct conf		*c = NULL;
	dictionary		*d = NULL;
	char			*data = NULL;
	size_t			 len = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.msgs.file = path;
	ctx.msgs.rep = rep;

	if (ini_read_file(path, &data, &len) == -1) {
		config_msg(&ctx.msgs, 1, 0, "%s", strerror(errno));
		goto fail;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto nomem;
	if ((c->path = realpath(path, NULL)) == NULL) {
		config_msg(&ctx.msgs, 1, 0, "%s", strerror(errno));
		goto fail;
	}
	if ((c->dir = strdup(c->path)) == NULL)
		goto nomem;
	config_dirname(c->dir);
	if ((ix = ini_index_new(data, len)) == NULL)
		goto nomem;
	ctx.ix = ix;

	d = ini_load(path);
	config_check_names(&ctx, d == NULL);
	if (d == NULL && ctx.unreadable > 0)
		d = ini_load_readable(ix, data, len);
	if (d == NULL) {
		if (ctx.msgs.errors == 0)
			config_msg(&ctx.msgs, 1, 0, "cannot be read as an ini "
			    "file");
		goto fail;
	}
	if (config_set_all(&ctx, c, d) == -1)
		goto nomem;
	if (ctx.msgs.errors > 0)
		goto fail;
	iniparser_freedict(d);
	ini_index_free(ix);
	free(data);
	return c;

 nomem:
	config_msg(&ctx.msgs, 1, 0, "out of memory");
 fail:
	if (d != NULL)
		iniparser_freedict(d);
	ini_index_free(ix);
	free(data);
	config_free(c);
	return NULL;
}

/* Free the value of "k" in "c" and leave it unset. */
static void
config_value_free(struct conf *c, const struct config_key *k)
{
	if (k->kind == CK_LISTEN)
		config_listen_free(FIELD(c, k, struct conf_listen));
	else if (config_is_string_kind(k->kind)) {
		free(*FIELD(c, k, char *));
		*FIELD(c, k, char *) = NULL;
	}
}

/*
 * Set the value of "k" in "dst" to a deep copy of the one in "src"
 * ("dst" holds none).  Returns -1 when memory ran out.
 */
static int
config_value_copy(struct conf *dst, const struct conf *src,
    const struct config_key *k)
{
	const struct conf_listen	*sl = CFIELD(src, k, struct conf_listen);
	struct conf_listen		*dl = FIELD(dst, k, struct conf_listen);
	const char			*sv;
	size_t				 i;

	if (k->kind == CK_LISTEN) {
		for (i = 0; i < sl->naddrs; i++) {
			if ((dl->addrs[i] = strdup(sl->addrs[i])) == NULL)
				return -1;
			dl->naddrs = i + 1;
		}
	} else if (config_is_string_kind(k->kind)) {
		sv = *CFIELD(src, k, char *);
		if (sv != NULL && (*FIELD(dst, k, char *) = strdup(sv)) == NULL)
			return -1;
	} else if (k->kind == CK_SIZE)
		*FIELD(dst, k, size_t) = *CFIELD(src, k, size_t);
	else if (k->kind == CK_CHARSET)
		*FIELD(dst, k, enum text_charset) =
		    *CFIELD(src, k, enum text_charset);
	else
		*FIELD(dst, k, int) = *CFIELD(src, k, int);
	return 0;
}

/* Do "a" and "b" hold the same value of "k"? */
static int
config_is_same_value(const struct conf *a, const struct conf *b,
    const struct config_key *k)
{
	const struct conf_listen	*al = CFIELD(a, k, struct conf_listen);
	const struct conf_listen	*bl = CFIELD(b, k, struct conf_listen);
	const char			*as, *bs;
	size_t				 i;

	if (k->kind == CK_LISTEN) {
		if (al->naddrs != bl->naddrs)
			return 0;
		for (i = 0; i < al->naddrs; i++)
			if (strcmp(al->addrs[i], bl->addrs[i]) != 0)
				return 0;
		return 1;
	}
	if (config_is_string_kind(k->kind)) {
		as = *CFIELD(a, k, char *);
		bs = *CFIELD(b, k, char *);
		return as == NULL || bs == NULL ? as == bs : strcmp(as, bs) == 0;
	}
	if (k->kind == CK_SIZE)
		return *CFIELD(a, k, size_t) == *CFIELD(b, k, size_t);
	if (k->kind == CK_CHARSET)
		return *CFIELD(a, k, enum text_charset) ==
		    *CFIELD(b, k, enum text_charset);
	return *CFIELD(a, k, int) == *CFIELD(b, k, int);
}

void
config_free(struct conf *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < NKEYS; i++)
		config_value_free(c, &config_keys[i]);
	free(c->path);
	free(c->dir);
	free(c);
}

struct conf *
config_dup(const struct conf *src)
{
	struct conf	*c;
	size_t		 i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((src->path != NULL && (c->path = strdup(src->path)) == NULL) ||
	    (src->dir != NULL && (c->dir = strdup(src->dir)) == NULL))
		goto fail;
	for (i = 0; i < NKEYS; i++)
		if (config_value_copy(c, src, &config_keys[i]) == -1)
			goto fail;
	return c;
 fail:
	config_free(c);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Dump. */

/*
 * Quote when iniparser would otherwise change the value: a ';' or '#'
 * would start a comment, spaces at either end would go, a quote mark
 * first would be taken for quoting, and a '\' last would join the next
 * line to this one.  (A value iniparser 4.1 read never holds both quote
 * marks and a final '\': only quotes can end a value with a '\'.)
 */
static int
config_dump_value(FILE *fp, const char *v)
{
	size_t	 len = strlen(v);
	int	 quote;

	quote = len > 0 && (strpbrk(v, ";#") != NULL ||
	    isspace((unsigned char)v[0]) ||
	    isspace((unsigned char)v[len - 1]) ||
	    v[0] == '"' || v[0] == '\'' || v[len - 1] == '\\');
	if (!quote)
		return fputs(v, fp) == EOF ? -1 : 0;
	if (strchr(v, '"') == NULL)
		return fprintf(fp, "\"%s\"", v) < 0 ? -1 : 0;
	if (strchr(v, '\'') == NULL)
		return fprintf(fp, "'%s'", v) < 0 ? -1 : 0;
	/* XXX Both quote marks and a ';': iniparser cannot hold it. */
	return fputs(v, fp) == EOF ? -1 : 0;
}

static int
config_dump_is_empty(const struct conf *c, const struct config_key *k)
{
	if (!config_is_string_kind(k->kind))
		return 0;
	return *CFIELD(c, k, char *) == NULL || **CFIELD(c, k, char *) == '\0';
}

int
config_dump(const struct conf *c, FILE *fp)
{
	const struct config_key	*k;
	const char		*section = "";
	size_t			 i, j;
	long			 n;

	fprintf(fp, "; %s as griotd reads it, defaults included "
	    "(griotd -T).\n", c->path != NULL ? c->path : "griot.ini");
	for (i = 0; i < NKEYS; i++) {
		k = &config_keys[i];
		if (strcmp(section, k->section) != 0) {
			section = k->section;
			fprintf(fp, "\n[%s]\n", section);
		}
		fprintf(fp, "%s =%s", k->key, config_dump_is_empty(c, k) ?
		    "" : " ");
		switch (k->kind) {
		case CK_BOOL:
			fputs(*CFIELD(c, k, int) ? "yes" : "no", fp);
			break;
		case CK_INT:
			fprintf(fp, "%d", *CFIELD(c, k, int));
			break;
		case CK_SIZE:
			n = (long)*CFIELD(c, k, size_t);
			if (n % (1024 * 1024) == 0)
				fprintf(fp, "%ldM", n / (1024 * 1024));
			else if (n % 1024 == 0)
				fprintf(fp, "%ldK", n / 1024);
			else
				fprintf(fp, "%ld", n);
			break;
		case CK_CHARSET:
			fputs(config_charset_str(*CFIELD(c, k, enum text_charset)), fp);
			break;
		case CK_LISTEN: {
			const struct conf_listen *l = CFIELD(c, k, struct conf_listen);

			for (j = 0; j < l->naddrs; j++)
				fprintf(fp, "%s%s", j ? ", " : "", l->addrs[j]);
			break;
		}
		default:
			if (*CFIELD(c, k, char *) != NULL)
				config_dump_value(fp, *CFIELD(c, k,
				    char *));
			break;
		}
		fputc('\n', fp);
	}
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}

/* GRIOT_ALLOW_ROOT=1: test suites and throw-away containers only. */
int
config_allow_root(void)
{
	const char	*v = getenv("GRIOT_ALLOW_ROOT");

	return v != NULL && strcmp(v, "1") == 0;
}

/* ------------------------------------------------------------------ */
/* Reload. */

int
config_keep_running(struct conf *next, const struct conf *cur,
    const struct config_report *rep)
{
	struct config_msgs	 msgs;
	const struct config_key	*k;
	size_t			 i;
	int			 kept = 0;

	memset(&msgs, 0, sizeof(msgs));
	msgs.file = next->path;
	msgs.rep = rep;
	for (i = 0; i < NKEYS; i++) {
		k = &config_keys[i];
		if (!(k->flags & CF_RESTART) || config_is_same_value(next, cur, k))
			continue;
		kept++;
		config_msg(&msgs, 0, 0, "[%s] %s: changed; the running daemon "
		    "keeps the old value until it is restarted", k->section,
		    k->key);
		/* A public port that followed the port follows it back. */
		if (k->off == offsetof(struct conf, gemini_port) &&
		    next->gemini_public_port == next->gemini_port)
			next->gemini_public_port = cur->gemini_port;
		if (k->off == offsetof(struct conf, gopher_port) &&
		    next->gopher_public_port == next->gopher_port)
			next->gopher_public_port = cur->gopher_port;
		if (k->off == offsetof(struct conf, http_port) &&
		    next->http_public_port == next->http_port)
			next->http_public_port = cur->http_port;
		config_value_free(next, k);
		if (config_value_copy(next, cur, k) == -1)
			return -1;
	}
	return kept;
}
