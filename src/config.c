/* griot: the ini file.  Copyright (c) 2026 the griot developers; ISC licence. */
/* griot.ini through iniparser into a struct conf, every key checked against one table. */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#if defined(HAVE_INIPARSER_INIPARSER_H)
#include <iniparser/iniparser.h>
#elif defined(HAVE_INIPARSER_H)
#include <iniparser.h>
#endif

#include "article.h"
#include "config.h"
#include "log.h"
#include "text.h"

#define CONFIG_NAME_MAX		64	/* bytes of a section or key name we track */
#define CONFIG_MSG_MAX		1024
#define CONFIG_ESC_N		4	/* strings quoted by one message */
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
	{ "capsule", "french_spacing", CK_BOOL, 0, 0, NULL, O(french_spacing), CF_COMPUTED },
	{ "capsule", "max_article_size", CK_SIZE, CONFIG_SIZE_MIN, CONFIG_SIZE_MAX, "1M", O(max_article_size), 0 },

	{ "gemini", "enabled", CK_BOOL, 0, 0, "yes", O(gemini_enabled), 0 },
	{ "gemini", "listen", CK_LISTEN, 0, 0, "*", O(gemini_listen), 0 },
	{ "gemini", "port", CK_INT, 1, 65535, "1965", O(gemini_port), 0 },
	{ "gemini", "public_port", CK_INT, 1, 65535, NULL, O(gemini_public_port), CF_OPTIONAL | CF_COMPUTED },
	{ "gemini", "proxy_protocol", CK_BOOL, 0, 0, "no", O(gemini_proxy_protocol), 0 },
	{ "gemini", "cert", CK_FILE, 0, 0, NULL, O(cert), CF_OPTIONAL | CF_COMPUTED },
	{ "gemini", "key", CK_FILE, 0, 0, NULL, O(key), CF_OPTIONAL | CF_COMPUTED },
	{ "gemini", "auto_cert", CK_BOOL, 0, 0, "yes", O(auto_cert), 0 },

	{ "gopher", "enabled", CK_BOOL, 0, 0, "yes", O(gopher_enabled), 0 },
	{ "gopher", "listen", CK_LISTEN, 0, 0, "*", O(gopher_listen), 0 },
	{ "gopher", "port", CK_INT, 1, 65535, "70", O(gopher_port), 0 },
	{ "gopher", "public_port", CK_INT, 1, 65535, NULL, O(gopher_public_port), CF_OPTIONAL | CF_COMPUTED },
	{ "gopher", "proxy_protocol", CK_BOOL, 0, 0, "no", O(gopher_proxy_protocol), 0 },
	{ "gopher", "width", CK_INT, 20, 200, "67", O(width), 0 },
	{ "gopher", "charset", CK_CHARSET, 0, 0, "utf-8", O(charset), 0 },

	{ "server", "user", CK_USER, 0, 0, NULL, O(user), CF_OPTIONAL },
	{ "server", "group", CK_GROUP, 0, 0, NULL, O(group), CF_OPTIONAL },
	{ "server", "chroot", CK_DIR, 0, 0, NULL, O(chroot), CF_OPTIONAL },
	{ "server", "pidfile", CK_PATH, 0, 0, NULL, O(pidfile), CF_OPTIONAL },
	{ "server", "log", CK_LOGDEST, 0, 0, "stderr", O(log), 0 },
	{ "server", "access_log", CK_ACCESS, 0, 0, NULL, O(access_log), CF_OPTIONAL | CF_COMPUTED },
	{ "server", "max_connections", CK_INT, 1, 1000000, "1024", O(max_connections), 0 },
	{ "server", "request_timeout", CK_INT, 1, 3600, "10", O(request_timeout), 0 },
	{ "server", "workers", CK_INT, 0, CONFIG_WORKERS_MAX, "0", O(workers), 0 },
	{ "server", "rate_limit", CK_INT, 0, 1000000, "0", O(rate_limit), 0 },
};

#undef O

#define NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

static const char *const config_sections[] = {
	"capsule", "gemini", "gopher", "server"
};
#define NSECTIONS	(sizeof(config_sections) / sizeof(config_sections[0]))

/* Where a section or key stands in the file, for messages. */
struct config_line {
	char	 section[CONFIG_NAME_MAX];
	char	 key[CONFIG_NAME_MAX];	/* "" for a section line */
	int	 line;
	int	 quoted;		/* the value starts with a quote */
	int	 cut;			/* an unquoted value holds ';' or '#' */
	int	 noname;		/* a "[]" line, already reported */
};

struct config_ctx {
	const char			*file;	/* as given, for messages */
	const struct config_report	*rep;
	int				 errors;
	int				 warnings;
	const char			*data;	/* the file's bytes */
	size_t				 len;
	struct config_line		*lines;
	size_t				 nlines;
	int				 given[NKEYS];
	char				 esc[CONFIG_ESC_N][CONFIG_MSG_MAX];
	size_t				 nesc;
};

static void	 config_report(struct config_ctx *, int, int, const char *, ...)
		    __attribute__((__format__(__printf__, 4, 5)));

static void
config_report(struct config_ctx *ctx, int error, int line, const char *fmt,
    ...)
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
		n = snprintf(full, sizeof(full), "%s:%d: %s", ctx->file, line,
		    msg);
	else
		n = snprintf(full, sizeof(full), "%s: %s", ctx->file, msg);
	if (n < 0 || (size_t)n >= sizeof(full))
		memcpy(full + sizeof(full) - 4, "...", 4);
	if (error)
		ctx->errors++;
	else
		ctx->warnings++;
	if (ctx->rep != NULL && ctx->rep->fn != NULL)
		ctx->rep->fn(ctx->rep->arg, error, full);
	else
		log_warnx("%s", full);
}

/*
 * A string of the file as a message quotes it: control characters, '"',
 * '\' and the bytes of invalid UTF-8 as \xHH (log_escape(), the access
 * log's escaping), so that no byte of the file reaches the log or the
 * terminal of griotd -t as it is, a CR or an ESC say.  The result is one
 * of the CONFIG_ESC_N buffers of "ctx", used in turn: one message may
 * quote that many strings.
 */
static const char *
config_esc(struct config_ctx *ctx, const char *s)
{
	char	*out = ctx->esc[ctx->nesc++ % CONFIG_ESC_N];

	(void)log_escape(out, sizeof(ctx->esc[0]), s, strlen(s));
	return out;
}

/* ------------------------------------------------------------------ */
/* Small helpers. */

static char *
config_strdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

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

/* The line of the last "key =" in "section" (the one iniparser keeps). */
static const struct config_line *
config_line_of(const struct config_ctx *ctx, const char *section,
    const char *key)
{
	const struct config_line	*found = NULL;
	size_t				 i;

	for (i = 0; i < ctx->nlines; i++)
		if (strcmp(ctx->lines[i].section, section) == 0 &&
		    strcmp(ctx->lines[i].key, key != NULL ? key : "") == 0)
			found = &ctx->lines[i];
	return found;
}

static int
config_lineno(const struct config_ctx *ctx, const char *section,
    const char *key)
{
	const struct config_line	*l = config_line_of(ctx, section, key);

	return l != NULL ? l->line : 0;
}

/* ------------------------------------------------------------------ */
/* A first pass over the file for line numbers (iniparser keeps none). */

static void
config_trim(char **sp, char **ep)
{
	while (*sp < *ep && isspace((unsigned char)**sp))
		(*sp)++;
	while (*ep > *sp && isspace((unsigned char)(*ep)[-1]))
		(*ep)--;
}

static void
config_copy_name(char *dst, const char *s, const char *e)
{
	size_t	 n = (size_t)(e - s);

	if (n >= CONFIG_NAME_MAX)
		n = CONFIG_NAME_MAX - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	config_lower(dst);
}

/*
 * Read the lines as iniparser 4.1 does, so that both agree on what is a
 * section and what a key: a line ending in '\' goes on with the next one
 * (the '\' gives way to it), a logical line still asking for more at the
 * end of the file is dropped, "[...]" is a section only when the line
 * ends with ']' ("[x] = y" is a key, "[x" a syntax error), and "[]" names
 * the first character of the section before it.  A line holding a NUL
 * byte is reported here (iniparser skips it, or calls it "too long") and
 * read as empty.
 */
static int
config_scan_lines(struct config_ctx *ctx, const char *data, size_t len)
{
	const char		*p = data, *end = data + len, *nl;
	char			*s, *e, *eq, section[CONFIG_NAME_MAX] = "";
	char			 buf[4096];
	struct config_line	*l, *nlines;
	int			 lineno = 0, first;
	size_t			 n, k;

	while (p < end) {
		first = lineno + 1;
		n = 0;
		for (;;) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL)
				nl = end;
			k = (size_t)(nl - p);
			lineno++;
			if (memchr(p, '\0', k) != NULL) {
				config_report(ctx, 1, lineno, "NUL byte in the "
				    "line (expected UTF-8 text; was the file "
				    "saved as UTF-16?)");
				k = 0;
			}
			if (k > sizeof(buf) - 1 - n)
				k = sizeof(buf) - 1 - n;
			memcpy(buf + n, p, k);
			n += k;
			p = nl < end ? nl + 1 : end;
			while (n > 0 && isspace((unsigned char)buf[n - 1]))
				n--;
			if (n == 0 || buf[n - 1] != '\\' || p == end)
				break;
			n--;
		}
		if (n > 0 && buf[n - 1] == '\\')
			break;	/* the end of the file, still joining */
		buf[n] = '\0';

		s = buf;
		e = buf + n;
		config_trim(&s, &e);
		if (s == e || *s == ';' || *s == '#')
			continue;

		nlines = reallocarray(ctx->lines, ctx->nlines + 1,
		    sizeof(*ctx->lines));
		if (nlines == NULL)
			return -1;
		ctx->lines = nlines;
		l = &ctx->lines[ctx->nlines];
		memset(l, 0, sizeof(*l));
		l->line = first;

		if (*s == '[' && e[-1] == ']') {
			char *rb = memchr(s, ']', (size_t)(e - s));
			char *ns = s + 1, *ne = rb;

			if (rb == s + 1) {
				/* iniparser keeps e - s - 1 bytes of it. */
				if (strlen(section) >= (size_t)(e - s) - 1)
					section[e - s - 1] = '\0';
				l->noname = 1;
				config_report(ctx, 1, first, "[]: a section "
				    "without a name (expected [capsule], "
				    "[gemini], [gopher] or [server])");
			} else {
				config_trim(&ns, &ne);
				config_copy_name(section, ns, ne);
			}
			memcpy(l->section, section, sizeof(section));
			ctx->nlines++;
			continue;
		}
		if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL)
			continue;
		{
			char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;

			config_trim(&ks, &ke);
			config_trim(&vs, &ve);
			memcpy(l->section, section, sizeof(section));
			config_copy_name(l->key, ks, ke);
			l->quoted = vs < ve && (*vs == '"' || *vs == '\'');
			l->cut = !l->quoted && vs < ve &&
			    strpbrk(vs, ";#") != NULL &&
			    strpbrk(vs, ";#") < ve;
		}
		ctx->nlines++;
	}
	return 0;
}

/* Does line "lineno" (from 1) of the file hold a NUL byte? */
static int
config_has_nul(const struct config_ctx *ctx, long lineno)
{
	const char	*p = ctx->data, *end = ctx->data + ctx->len, *nl;
	long		 n;

	for (n = 1; p < end; n++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (n == lineno)
			return memchr(p, '\0', (size_t)(nl - p)) != NULL;
		p = nl < end ? nl + 1 : end;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* iniparser's own messages, turned into ours. */

static pthread_mutex_t		 config_ini_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct config_ctx	*config_ini_ctx;
static const char		*config_ini_path;
static int			*config_ini_bad;	/* bad line numbers */
static size_t			 config_ini_nbad;

static int config_ini_error(const char *, ...)
	__attribute__((__format__(__printf__, 1, 2)));

/*
 * iniparser 4.1 reports "iniparser: syntax error in FILE (LINE):\n->
 * TEXT\n" and "iniparser: input line too long in FILE (LINE)\n" (and
 * keeps going), or "cannot open".  Re-say them as "FILE:LINE: ...".
 */
static int
config_ini_error(const char *fmt, ...)
{
	char		 msg[CONFIG_MSG_MAX], *p, *q, *text;
	const char	*what;
	size_t		 plen;
	long		 line = 0;
	int		*nbad;
	va_list		 ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	if (config_ini_ctx == NULL)
		return 0;

	p = msg;
	if (strncmp(p, "iniparser: ", 11) == 0)
		p += 11;
	if (strncmp(p, "syntax error in ", 16) == 0) {
		what = "syntax error";
		p += 16;
	} else if (strncmp(p, "input line too long in ", 23) == 0) {
		what = "line too long (at most 1023 bytes)";
		p += 23;
	} else {
		p[strcspn(p, "\n")] = '\0';
		config_report(config_ini_ctx, 1, 0, "%s", p);
		return 0;
	}
	plen = strlen(config_ini_path);
	if (strncmp(p, config_ini_path, plen) == 0 && p[plen] == ' ' &&
	    p[plen + 1] == '(')
		line = strtol(p + plen + 2, &q, 10);
	text = strstr(p, "-> ");
	if (line > 0 && config_has_nul(config_ini_ctx, line))
		;	/* config_scan_lines() said it */
	else if (text != NULL) {
		text += 3;
		text[strcspn(text, "\n")] = '\0';
		config_report(config_ini_ctx, 1, (int)line,
		    "%s: \"%s\" (expected [section], key = value, or a "
		    "comment starting with ';' or '#')", what,
		    config_esc(config_ini_ctx, text));
	} else
		config_report(config_ini_ctx, 1, (int)line, "%s", what);
	if (line > 0) {
		nbad = reallocarray(config_ini_bad, config_ini_nbad + 1,
		    sizeof(*nbad));
		if (nbad != NULL) {
			config_ini_bad = nbad;
			config_ini_bad[config_ini_nbad++] = (int)line;
		}
	}
	return 0;
}

static int
config_is_bad_line(int line)
{
	size_t	 i;

	for (i = 0; i < config_ini_nbad; i++)
		if (config_ini_bad[i] == line)
			return 1;
	return 0;
}

/*
 * After syntax errors iniparser returns nothing.  To still report every
 * other problem, load a copy with the bad lines blanked (line numbers
 * unchanged) through a memory file.
 */
static dictionary *
config_load_without_bad(const char *data, size_t len)
{
	dictionary	*d = NULL;
	const char	*p = data, *end = data + len, *nl;
	char		 name[64];
	FILE		*fp = NULL;
	int		 fd, line = 0;

	if ((fd = memfd_create("griot.ini", MFD_CLOEXEC)) == -1)
		return NULL;
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		return NULL;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line++;
		if (!config_is_bad_line(line))
			fwrite(p, 1, (size_t)(nl - p), fp);
		fputc('\n', fp);
		p = nl < end ? nl + 1 : end;
	}
	if (fflush(fp) != 0)
		goto done;
	if (snprintf(name, sizeof(name), "/proc/self/fd/%d", fd) >=
	    (int)sizeof(name))
		goto done;
	d = iniparser_load(name);
 done:
	fclose(fp);
	return d;
}

static int
config_ini_quiet(const char *fmt, ...)
{
	return 0;
}

/* ------------------------------------------------------------------ */
/* Values. */

static int
config_parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	 i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* 0, -1 not a number, -2 out of range. */
static int
config_parse_long(const char *v, long min, long max, int size, long *out)
{
	char	*end;
	long	 n, mul = 1;

	if (!isdigit((unsigned char)*v) && *v != '-' && *v != '+')
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v)
		return -1;
	if (size && *end != '\0') {
		if ((*end == 'k' || *end == 'K') && end[1] == '\0')
			mul = 1024;
		else if ((*end == 'm' || *end == 'M') && end[1] == '\0')
			mul = 1024 * 1024;
		else
			return -1;
	} else if (*end != '\0')
		return -1;
	if (errno == ERANGE)
		return -2;
	if (n > 0 && n > LONG_MAX / mul)
		return -2;
	n *= mul;
	if (n < min || n > max)
		return -2;
	*out = n;
	return 0;
}

static int
config_parse_charset(const char *v, enum text_charset *out)
{
	if (strcasecmp(v, "utf-8") == 0 || strcasecmp(v, "utf8") == 0)
		*out = TEXT_UTF8;
	else if (strcasecmp(v, "latin1") == 0 ||
	    strcasecmp(v, "latin-1") == 0 ||
	    strcasecmp(v, "iso-8859-1") == 0 ||
	    strcasecmp(v, "iso8859-1") == 0)
		*out = TEXT_LATIN1;
	else if (strcasecmp(v, "ascii") == 0 ||
	    strcasecmp(v, "us-ascii") == 0)
		*out = TEXT_ASCII;
	else
		return -1;
	return 0;
}

const char *
config_charset_name(enum text_charset cs)
{
	switch (cs) {
	case TEXT_UTF8:
		return "utf-8";
	case TEXT_LATIN1:
		return "latin1";
	case TEXT_ASCII:
		return "ascii";
	}
	return "utf-8";
}

/* A language tag: 2 or 3 letters, then "-" subtags of 1 to 8 alphanumerics. */
static int
config_parse_lang(const char *v, char **out)
{
	const char	*p = v;
	size_t		 n = 0;
	char		*s;

	while (isalpha((unsigned char)p[n]))
		n++;
	if (n < 2 || n > 3)
		return -1;
	p += n;
	while (*p == '-') {
		p++;
		n = 0;
		while (isalnum((unsigned char)p[n]))
			n++;
		if (n < 1 || n > 8)
			return -1;
		p += n;
	}
	if (*p != '\0')
		return -1;
	if ((s = strdup(v)) == NULL)
		return -2;
	/* The primary subtag in lower case, the rest as written. */
	for (n = 0; isalpha((unsigned char)s[n]); n++)
		s[n] = (char)tolower((unsigned char)s[n]);
	*out = s;
	return 0;
}

/* A DNS name (letters, digits, '-', '.') or an IPv4 or IPv6 literal. */
static int
config_parse_host(const char *v, char **out)
{
	struct in6_addr	 a6;
	char		*s, *p;
	size_t		 len = strlen(v), label = 0;

	if (len >= 2 && v[0] == '[' && v[len - 1] == ']') {
		if ((s = strndup(v + 1, len - 2)) == NULL)
			return -2;
		if (inet_pton(AF_INET6, s, &a6) != 1) {
			free(s);
			return -1;
		}
		config_lower(s);
		*out = s;
		return 0;
	}
	if ((s = strdup(v)) == NULL)
		return -2;
	config_lower(s);
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		*out = s;
		return 0;
	}
	if (len == 0 || len > 253)
		goto bad;
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				goto bad;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			goto bad;
		if (*p == '-' && label == 0)
			goto bad;
		if (++label > 63)
			goto bad;
	}
	if (p[-1] == '-')
		goto bad;
	*out = s;
	return 0;
 bad:
	free(s);
	return -1;
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

/* Does folder "dir" of "path" exist? */
static int
config_parent_exists(const char *path)
{
	struct stat	 st;
	char		*d, *slash;
	int		 r;

	if ((d = strdup(path)) == NULL)
		return -1;
	slash = strrchr(d, '/');
	if (slash == d)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	r = stat(d, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
	if (r == -1 && errno == 0)
		errno = ENOTDIR;
	free(d);
	return r;
}

/* One address: "*", IPv4, IPv6 (brackets allowed); a canonical copy. */
static int
config_parse_addr(const char *v, char **out)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		 tmp[INET6_ADDRSTRLEN], *s;
	size_t		 len = strlen(v);

	if (strcmp(v, "*") == 0)
		return (*out = strdup("*")) == NULL ? -2 : 0;
	if (inet_pton(AF_INET, v, &a4) == 1) {
		if (inet_ntop(AF_INET, &a4, tmp, sizeof(tmp)) == NULL)
			return -1;
		return (*out = strdup(tmp)) == NULL ? -2 : 0;
	}
	if (len >= 2 && v[0] == '[' && v[len - 1] == ']') {
		if ((s = strndup(v + 1, len - 2)) == NULL)
			return -2;
	} else if ((s = strdup(v)) == NULL)
		return -2;
	if (inet_pton(AF_INET6, s, &a6) != 1 ||
	    inet_ntop(AF_INET6, &a6, tmp, sizeof(tmp)) == NULL) {
		free(s);
		return -1;
	}
	free(s);
	return (*out = strdup(tmp)) == NULL ? -2 : 0;
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

/* ------------------------------------------------------------------ */
/* One key. */

static const char *
config_expect(const struct config_key *k, char *buf, size_t len)
{
	switch (k->kind) {
	case CK_BOOL:
		return "expected yes or no; true/false, on/off and 1/0 work too";
	case CK_INT:
		if (snprintf(buf, len, "expected an integer from %ld to %ld",
		    k->min, k->max) >= (int)len)
			return "expected an integer";
		return buf;
	case CK_SIZE:
		if (snprintf(buf, len, "expected a size in bytes from %ldK to "
		    "%ldM, with an optional K or M suffix", k->min / 1024,
		    k->max / (1024 * 1024)) >= (int)len)
			return "expected a size";
		return buf;
	case CK_CHARSET:
		return "expected utf-8, latin1 or ascii";
	case CK_LANG:
		return "expected a language tag such as fr, en or fr-CA";
	case CK_HOST:
		return "expected a host name such as gemini.example.org, or "
		    "an IP address";
	case CK_LISTEN:
		return "expected IP addresses separated by commas, or * for "
		    "every address";
	case CK_LOGDEST:
		return "expected stderr or syslog";
	case CK_ACCESS:
		return "expected off, stderr, syslog or a file";
	case CK_DIR:
		return "expected an existing, readable folder";
	case CK_PATH:
	case CK_FILE:
		return "expected a file in an existing folder";
	case CK_USER:
		return "expected a user name of this system";
	case CK_GROUP:
		return "expected a group name of this system";
	case CK_STRING:
		return "expected UTF-8 text";
	}
	return "";
}

#define FIELD(c, k, type)	((type *)(void *)((char *)(c) + (k)->off))
#define CFIELD(c, k, type)	((type const *)(const void *)((const char *)(c) + (k)->off))

/* A path: absolute from the ini's folder; folders must exist. */
static int
config_set_path(struct config_ctx *ctx, struct conf *c,
    const struct config_key *k, const char *v, int line, int is_default)
{
	char		 exp[160], **sp = FIELD(c, k, char *);
	const char	*dflt = is_default ? " (the default)" : "", *qp;
	struct stat	 st;
	char		*p;

	if ((p = config_abs_path(c->dir, v)) == NULL)
		return -2;
	free(*sp);
	*sp = p;
	qp = config_esc(ctx, p);
	if (k->kind == CK_DIR) {
		if (stat(p, &st) == -1) {
			config_report(ctx, 1, line, "[%s] %s: %s%s: %s (%s)",
			    k->section, k->key, qp, dflt, strerror(errno),
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			config_report(ctx, 1, line, "[%s] %s: %s%s is not a "
			    "folder (%s)", k->section, k->key, qp, dflt,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		if (access(p, R_OK | X_OK) == -1) {
			config_report(ctx, 1, line, "[%s] %s: %s%s: %s (%s)",
			    k->section, k->key, qp, dflt, strerror(errno),
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
	} else if (k->kind != CK_FILE && config_parent_exists(p) == -1) {
		config_report(ctx, 1, line, "[%s] %s: %s: its folder does not "
		    "exist (%s)", k->section, k->key, qp,
		    config_expect(k, exp, sizeof(exp)));
		return -1;
	}
	return 0;
}

/*
 * Parse "v" for key "k" into "c".  Reports and returns -1 for a bad
 * value, -2 when memory ran out.
 */
static int
config_set(struct config_ctx *ctx, struct conf *c, const struct config_key *k,
    const char *v, int line, int is_default)
{
	char		 exp[160], **sp = FIELD(c, k, char *);
	const char	*qv = config_esc(ctx, v);	/* for messages */
	long		 n;
	int		 r, b;

	switch (k->kind) {
	case CK_STRING:
		if (!text_is_utf8(v, strlen(v))) {
			config_report(ctx, 1, line, "[%s] %s: the value is not "
			    "valid UTF-8 (save the file as UTF-8)", k->section,
			    k->key);
			return -1;
		}
		free(*sp);
		return (*sp = strdup(v)) == NULL ? -2 : 0;
	case CK_HOST:
		r = config_parse_host(v, sp);
		if (r == -1) {
			config_report(ctx, 1, line, "[%s] %s: \"%s\" is not a "
			    "host name (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		return r;
	case CK_LANG:
		r = config_parse_lang(v, sp);
		if (r == -1) {
			config_report(ctx, 1, line, "[%s] %s: \"%s\" is not a "
			    "language tag (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		return r;
	case CK_BOOL:
		if (config_parse_bool(v, &b) == -1) {
			config_report(ctx, 1, line, "[%s] %s: \"%s\" is not a "
			    "boolean (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		*FIELD(c, k, int) = b;
		return 0;
	case CK_INT:
	case CK_SIZE:
		r = config_parse_long(v, k->min, k->max, k->kind == CK_SIZE,
		    &n);
		if (r == -1) {
			config_report(ctx, 1, line, "[%s] %s: \"%s\" is not a "
			    "number (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		if (r == -2) {
			config_report(ctx, 1, line, "[%s] %s: %s is out of "
			    "range (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		if (k->kind == CK_SIZE)
			*FIELD(c, k, size_t) = (size_t)n;
		else
			*FIELD(c, k, int) = (int)n;
		return 0;
	case CK_CHARSET:
		if (config_parse_charset(v, FIELD(c, k, enum text_charset))
		    == -1) {
			config_report(ctx, 1, line, "[%s] %s: \"%s\" is not a "
			    "charset griot writes (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		return 0;
	case CK_LISTEN: {
		struct conf_listen	*l = FIELD(c, k, struct conf_listen);
		char			*copy, *tok, *save = NULL, *a;
		size_t			 i;
		int			 bad = 0;

		config_listen_free(l);
		if ((copy = strdup(v)) == NULL)
			return -2;
		for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
		    tok = strtok_r(NULL, ", \t", &save)) {
			r = config_parse_addr(tok, &a);
			if (r == -2) {
				free(copy);
				return -2;
			}
			if (r == -1) {
				config_report(ctx, 1, line, "[%s] %s: \"%s\" is "
				    "not an IP address (%s%s)", k->section,
				    k->key, config_esc(ctx, tok),
				    config_expect(k, exp, sizeof(exp)),
				    strcasecmp(tok, "localhost")
				    == 0 ? "; for this machine only, write "
				    "127.0.0.1, ::1" : "");
				bad = 1;
				continue;
			}
			for (i = 0; i < l->naddrs; i++)
				if (strcmp(l->addrs[i], a) == 0)
					break;
			if (i < l->naddrs) {
				config_report(ctx, 1, line, "[%s] %s: %s is "
				    "listed twice", k->section, k->key,
				    config_esc(ctx, tok));
				free(a);
				bad = 1;
				continue;
			}
			if (l->naddrs == CONFIG_LISTEN_MAX) {
				config_report(ctx, 1, line, "[%s] %s: more than "
				    "%d addresses", k->section, k->key,
				    CONFIG_LISTEN_MAX);
				free(a);
				bad = 1;
				break;
			}
			l->addrs[l->naddrs++] = a;
		}
		free(copy);
		if (!bad && l->naddrs == 0) {
			config_report(ctx, 1, line, "[%s] %s: no address (%s)",
			    k->section, k->key, config_expect(k, exp,
			    sizeof(exp)));
			bad = 1;
		}
		if (!bad && l->naddrs > 1)
			for (i = 0; i < l->naddrs; i++)
				if (strcmp(l->addrs[i], "*") == 0) {
					config_report(ctx, 1, line, "[%s] %s: * "
					    "already means every address; list "
					    "it alone", k->section, k->key);
					bad = 1;
					break;
				}
		return bad ? -1 : 0;
	}
	case CK_LOGDEST:
		if (strcmp(v, "stderr") != 0 && strcmp(v, "syslog") != 0) {
			config_report(ctx, 1, line, "[%s] %s: \"%s\" is not a log "
			    "destination (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		free(*sp);
		return (*sp = strdup(v)) == NULL ? -2 : 0;
	case CK_ACCESS:
		if (strcmp(v, "off") == 0 || strcmp(v, "stderr") == 0 ||
		    strcmp(v, "syslog") == 0) {
			free(*sp);
			return (*sp = strdup(v)) == NULL ? -2 : 0;
		}
		return config_set_path(ctx, c, k, v, line, is_default);
	case CK_PATH:
	case CK_FILE:
	case CK_DIR:
		return config_set_path(ctx, c, k, v, line, is_default);
	case CK_USER:
		errno = 0;
		if (getpwnam(v) == NULL) {
			config_report(ctx, 1, line, "[%s] %s: no user \"%s\" on "
			    "this system (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		free(*sp);
		return (*sp = strdup(v)) == NULL ? -2 : 0;
	case CK_GROUP:
		errno = 0;
		if (getgrnam(v) == NULL) {
			config_report(ctx, 1, line, "[%s] %s: no group \"%s\" on "
			    "this system (%s)", k->section, k->key, qv,
			    config_expect(k, exp, sizeof(exp)));
			return -1;
		}
		free(*sp);
		return (*sp = strdup(v)) == NULL ? -2 : 0;
	}
	return -1;
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
/* Names: unknown sections and keys, with suggestions. */

static void
config_unknown_key(struct config_ctx *ctx, const char *section,
    const char *key)
{
	char		 elsewhere[128] = "";
	const char	*best = NULL, *best_other = NULL, *best_other_sec = NULL;
	const char	*qs, *qk;
	size_t		 i, d, bestd = SIZE_MAX, otherd = SIZE_MAX;
	int		 line = config_lineno(ctx, section, key);

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
			size_t len = strlen(elsewhere);
			size_t slen = strlen(k->section);

			if (len + slen + 7 >= sizeof(elsewhere))
				continue;
			if (len > 0) {
				memcpy(elsewhere + len, " or ", 4);
				len += 4;
			}
			elsewhere[len++] = '[';
			memcpy(elsewhere + len, k->section, slen);
			len += slen;
			elsewhere[len++] = ']';
			elsewhere[len] = '\0';
		} else if (config_is_close(key, k->key)) {
			d = config_distance(key, k->key);
			if (d < otherd) {
				otherd = d;
				best_other = k->key;
				best_other_sec = k->section;
			}
		}
	}
	qs = config_esc(ctx, section);
	qk = config_esc(ctx, key);
	if (best != NULL)
		config_report(ctx, 1, line, "[%s] %s: unknown key (did you "
		    "mean \"%s\"?)", qs, qk, best);
	else if (elsewhere[0] != '\0')
		config_report(ctx, 1, line, "[%s] %s: unknown key in this "
		    "section (it belongs in %s)", qs, qk, elsewhere);
	else if (best_other != NULL)
		config_report(ctx, 1, line, "[%s] %s: unknown key (did you "
		    "mean \"%s\", in [%s]?)", qs, qk, best_other,
		    best_other_sec);
	else
		config_report(ctx, 1, line, "[%s] %s: unknown key (see "
		    "griot.ini(5))", qs, qk);
}

static void
config_check_names(struct config_ctx *ctx, const dictionary *d)
{
	const struct config_line *l;
	const char	*sec, **keys, *colon;
	const char	*sugg;
	int		 nsec, i, j, n;
	size_t		 k;

	nsec = iniparser_getnsec(d);
	for (i = 0; i < nsec; i++) {
		if ((sec = iniparser_getsecname(d, i)) == NULL)
			continue;
		if (!config_is_section(sec)) {
			l = config_line_of(ctx, sec, NULL);
			if (l != NULL && l->noname)
				continue;	/* "[]", reported */
			sugg = config_suggest_section(sec);
			if (sugg != NULL)
				config_report(ctx, 1, config_lineno(ctx, sec,
				    NULL), "[%s]: unknown section (did you mean "
				    "[%s]?)", config_esc(ctx, sec), sugg);
			else
				config_report(ctx, 1, config_lineno(ctx, sec,
				    NULL), "[%s]: unknown section (expected "
				    "[capsule], [gemini], [gopher] or [server])",
				    config_esc(ctx, sec));
			continue;
		}
		n = iniparser_getsecnkeys(d, sec);
		if (n <= 0)
			continue;
		if ((keys = calloc((size_t)n, sizeof(*keys))) == NULL)
			return;
		if (iniparser_getseckeys(d, sec, keys) != NULL) {
			for (j = 0; j < n; j++) {
				if (keys[j] == NULL ||
				    (colon = strchr(keys[j], ':')) == NULL)
					continue;
				if (config_find_key(sec, colon + 1) == NULL)
					config_unknown_key(ctx, sec, colon + 1);
			}
		}
		free(keys);
	}
	/* Keys before any section are stored as ":key". */
	for (k = 0; k < (size_t)d->size; k++) {
		if (d->key[k] == NULL || d->key[k][0] != ':')
			continue;
		config_report(ctx, 1, config_lineno(ctx, "", d->key[k] + 1),
		    "%s: key outside any section (put it under [capsule], "
		    "[gemini], [gopher] or [server])",
		    config_esc(ctx, d->key[k] + 1));
	}
}

/* Warnings the dictionary cannot show: repeated keys, ';' in text. */
static void
config_check_lines(struct config_ctx *ctx)
{
	const struct config_key	*k;
	size_t			 i, j;

	for (i = 0; i < ctx->nlines; i++) {
		const struct config_line *l = &ctx->lines[i];

		if (l->key[0] == '\0')
			continue;
		for (j = i + 1; j < ctx->nlines; j++)
			if (strcmp(ctx->lines[j].section, l->section) == 0 &&
			    strcmp(ctx->lines[j].key, l->key) == 0)
				break;
		if (j < ctx->nlines) {
			config_report(ctx, 0, ctx->lines[j].line, "[%s] %s: "
			    "given again (line %d); the last one counts",
			    config_esc(ctx, l->section),
			    config_esc(ctx, l->key), l->line);
			continue;
		}
		k = config_find_key(l->section, l->key);
		if (k != NULL && k->kind == CK_STRING && l->cut)
			config_report(ctx, 0, l->line, "[%s] %s: the text after "
			    "';' or '#' was read as a comment; put the value in "
			    "double quotes to keep it",
			    config_esc(ctx, l->section),
			    config_esc(ctx, l->key));
	}
}

/* ------------------------------------------------------------------ */
/* Loading. */

static int
config_read_file(const char *path, char **datap, size_t *lenp)
{
	FILE	*fp;
	char	*data = NULL, *nd;
	size_t	 len = 0, cap = 0, n;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	for (;;) {
		if (cap - len < 4096) {
			if (cap > 16 * 1024 * 1024) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 8192;
			if ((nd = realloc(data, cap)) == NULL)
				goto fail;
			data = nd;
		}
		n = fread(data + len, 1, cap - len - 1, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp))
				goto fail;
			break;
		}
	}
	fclose(fp);
	data[len] = '\0';
	*datap = data;
	*lenp = len;
	return 0;
 fail:
	free(data);
	fclose(fp);
	return -1;
}

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

/* Defaults derived from other keys, and checks across keys. */
static int
config_finish(struct config_ctx *ctx, struct conf *c)
{
	char	 buf[512];
	size_t	 i, j;
	int	 overlap;

	if (c->name == NULL && (c->name = strdup(c->hostname)) == NULL)
		return -2;
	if (c->description == NULL && (c->description = strdup("")) == NULL)
		return -2;
	if (c->french_spacing == -1)
		c->french_spacing = strncmp(c->lang, "fr", 2) == 0 &&
		    (c->lang[2] == '\0' || c->lang[2] == '-');
	if (c->gemini_public_port == 0)
		c->gemini_public_port = c->gemini_port;
	if (c->gopher_public_port == 0)
		c->gopher_public_port = c->gopher_port;
	if (c->cert == NULL) {
		if (snprintf(buf, sizeof(buf), "certs/%s.crt", c->hostname) >=
		    (int)sizeof(buf) ||
		    (c->cert = config_abs_path(c->dir, buf)) == NULL)
			return -2;
	}
	if (c->key == NULL) {
		if (snprintf(buf, sizeof(buf), "certs/%s.key", c->hostname) >=
		    (int)sizeof(buf) ||
		    (c->key = config_abs_path(c->dir, buf)) == NULL)
			return -2;
	}
	if (c->access_log == NULL &&
	    (c->access_log = strdup(c->log)) == NULL)
		return -2;

	if (!c->gemini_enabled && !c->gopher_enabled)
		config_report(ctx, 1, config_lineno(ctx, "gopher", "enabled"),
		    "[gemini] enabled and [gopher] enabled: both are off, "
		    "there would be nothing to serve");
	if (c->gemini_enabled && c->gopher_enabled &&
	    c->gemini_port == c->gopher_port) {
		overlap = 0;
		for (i = 0; i < c->gemini_listen.naddrs; i++)
			for (j = 0; j < c->gopher_listen.naddrs; j++)
				if (strcmp(c->gemini_listen.addrs[i],
				    c->gopher_listen.addrs[j]) == 0 ||
				    strcmp(c->gemini_listen.addrs[i], "*") == 0 ||
				    strcmp(c->gopher_listen.addrs[j], "*") == 0)
					overlap = 1;
		if (overlap)
			config_report(ctx, 1, config_lineno(ctx, "gopher",
			    "port"), "[gopher] port: %d is also [gemini] port "
			    "on the same address", c->gopher_port);
	}
	if (strcmp(c->hostname, "localhost") == 0 &&
	    ((c->gemini_enabled && config_is_public(&c->gemini_listen)) ||
	    (c->gopher_enabled && config_is_public(&c->gopher_listen))))
		config_report(ctx, 0, config_lineno(ctx, "capsule", "hostname"),
		    "[capsule] hostname: localhost, while griotd listens beyond "
		    "this machine: links and menus would send readers to their "
		    "own machine (set hostname to the capsule's public name)");
	if (c->group != NULL && c->user == NULL)
		config_report(ctx, 1, config_lineno(ctx, "server", "group"),
		    "[server] group: set without [server] user");
	if (c->chroot != NULL) {
		size_t	 n = strlen(c->chroot);
		const char *paths[2] = { c->store, c->pages };
		const char *names[2] = { "store", "pages" };

		for (i = 0; i < 2; i++) {
			if (paths[i] == NULL || strcmp(c->chroot, "/") == 0)
				continue;
			if (strncmp(paths[i], c->chroot, n) != 0 ||
			    (paths[i][n] != '/' && paths[i][n] != '\0'))
				config_report(ctx, 1, config_lineno(ctx,
				    "capsule", names[i]), "[capsule] %s: %s is "
				    "outside [server] chroot %s (expected a "
				    "folder inside it)", names[i],
				    config_esc(ctx, paths[i]),
				    config_esc(ctx, c->chroot));
		}
	}
	return 0;
}

struct conf *
config_load(const char *path, const struct config_report *rep)
{
	struct config_ctx	 ctx;
	struct conf		*c = NULL;
	dictionary		*d = NULL;
	const struct config_key	*k;
	const struct config_line *l;
	char			 name[2 * CONFIG_NAME_MAX + 2], *data = NULL;
	char			*real = NULL, *slash;
	const char		*v;
	size_t			 len = 0, i;
	int			 r, nomem = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.file = path;
	ctx.rep = rep;

	if (config_read_file(path, &data, &len) == -1) {
		config_report(&ctx, 1, 0, "%s", strerror(errno));
		goto fail;
	}
	if ((real = realpath(path, NULL)) == NULL) {
		config_report(&ctx, 1, 0, "%s", strerror(errno));
		goto fail;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto nomem;
	c->path = real;
	real = NULL;
	if ((c->dir = strdup(c->path)) == NULL)
		goto nomem;
	slash = strrchr(c->dir, '/');
	if (slash == c->dir)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';

	ctx.data = data;
	ctx.len = len;
	if (config_scan_lines(&ctx, data, len) == -1)
		goto nomem;

	/* iniparser's callback is global: one load at a time. */
	pthread_mutex_lock(&config_ini_mtx);
	config_ini_ctx = &ctx;
	config_ini_path = path;
	config_ini_nbad = 0;
	iniparser_set_error_callback(config_ini_error);
	d = iniparser_load(path);
	if (d == NULL && config_ini_nbad > 0) {
		iniparser_set_error_callback(config_ini_quiet);
		d = config_load_without_bad(data, len);
	}
	iniparser_set_error_callback(config_ini_quiet);
	config_ini_ctx = NULL;
	free(config_ini_bad);
	config_ini_bad = NULL;
	config_ini_nbad = 0;
	pthread_mutex_unlock(&config_ini_mtx);
	if (d == NULL) {
		if (ctx.errors == 0)
			config_report(&ctx, 1, 0, "cannot be read as an ini file");
		goto fail;
	}

	config_check_names(&ctx, d);
	config_check_lines(&ctx);

	c->french_spacing = -1;
	for (i = 0; i < NKEYS; i++) {
		k = &config_keys[i];
		if (snprintf(name, sizeof(name), "%s:%s", k->section, k->key) >=
		    (int)sizeof(name))
			continue;
		v = iniparser_getstring(d, name, NULL);
		l = config_line_of(&ctx, k->section, k->key);
		if (v != NULL && v[0] == '\0' && (k->flags & CF_OPTIONAL))
			v = NULL;	/* "key =" leaves it unset */
		if (v != NULL) {
			ctx.given[i] = 1;
			r = config_set(&ctx, c, k, v, l != NULL ? l->line : 0,
			    0);
		} else if (k->def != NULL)
			r = config_set(&ctx, c, k, k->def, 0, 1);
		else
			r = 0;
		if (r == -2)
			goto nomem;
	}
	/* Derived defaults need the keys they derive from. */
	if (c->hostname != NULL && c->lang != NULL && c->log != NULL &&
	    config_finish(&ctx, c) == -2)
		goto nomem;
	if (ctx.errors > 0)
		goto fail;

	iniparser_freedict(d);
	free(data);
	free(ctx.lines);
	return c;

 nomem:
	nomem = 1;
 fail:
	if (nomem)
		config_report(&ctx, 1, 0, "out of memory");
	if (d != NULL)
		iniparser_freedict(d);
	free(real);
	free(data);
	free(ctx.lines);
	config_free(c);
	return NULL;
}

void
config_free(struct conf *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < NKEYS; i++) {
		if (config_keys[i].kind == CK_LISTEN)
			config_listen_free(FIELD(c, &config_keys[i],
			    struct conf_listen));
		else if (config_is_string_kind(config_keys[i].kind))
			free(*FIELD(c, &config_keys[i], char *));
	}
	free(c->path);
	free(c->dir);
	free(c);
}

struct conf *
config_dup(const struct conf *src)
{
	struct conf	*c;
	char		**sp;
	size_t		 i, j;
	int		 bad = 0;

	if ((c = malloc(sizeof(*c))) == NULL)
		return NULL;
	memcpy(c, src, sizeof(*c));
	c->path = config_strdup(src->path);
	c->dir = config_strdup(src->dir);
	if ((src->path != NULL && c->path == NULL) ||
	    (src->dir != NULL && c->dir == NULL))
		bad = 1;
	for (i = 0; i < NKEYS; i++) {
		const struct config_key *k = &config_keys[i];

		if (k->kind == CK_LISTEN) {
			struct conf_listen *l = FIELD(c, k, struct conf_listen);

			for (j = 0; j < l->naddrs; j++)
				if ((l->addrs[j] = config_strdup(l->addrs[j])) ==
				    NULL)
					bad = 1;
		} else if (config_is_string_kind(k->kind)) {
			sp = FIELD(c, k, char *);
			if (*sp != NULL && (*sp = strdup(*sp)) == NULL)
				bad = 1;
		}
	}
	if (bad) {
		config_free(c);
		return NULL;
	}
	return c;
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
			fputs(config_charset_name(*CFIELD(c, k, enum text_charset)), fp);
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

/* ------------------------------------------------------------------ */
/* griotd -t: what only the running system can tell. */

static void
config_check_file(struct config_ctx *ctx, const char *key, const char *path)
{
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		config_report(ctx, 1, 0, "[gemini] %s: %s: %s", key,
		    config_esc(ctx, path),
		    strerror(errno));
		return;
	}
	close(fd);
}

static void
config_check_bind(struct config_ctx *ctx, const char *proto,
    const char *addr, int port)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 slen;
	int			 fam, pass, s, one = 1, saved;

	for (pass = 0; pass < 2; pass++) {
		memset(&ss, 0, sizeof(ss));
		if (strcmp(addr, "*") == 0) {
			fam = pass == 0 ? AF_INET : AF_INET6;
			if (fam == AF_INET) {
				sin->sin_family = AF_INET;
				sin->sin_addr.s_addr = htonl(INADDR_ANY);
			} else {
				sin6->sin6_family = AF_INET6;
				sin6->sin6_addr = in6addr_any;
			}
		} else {
			if (pass == 1)
				break;
			if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
				fam = AF_INET;
				sin->sin_family = AF_INET;
			} else if (inet_pton(AF_INET6, addr,
			    &sin6->sin6_addr) == 1) {
				fam = AF_INET6;
				sin6->sin6_family = AF_INET6;
			} else
				continue;
		}
		if (fam == AF_INET) {
			sin->sin_port = htons((unsigned short)port);
			slen = sizeof(*sin);
		} else {
			sin6->sin6_port = htons((unsigned short)port);
			slen = sizeof(*sin6);
		}
		if ((s = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
			/* No IPv6 here: "*" makes do with IPv4. */
			if (strcmp(addr, "*") == 0 && fam == AF_INET6)
				continue;
			config_report(ctx, 1, 0, "[%s] listen: %s: %s", proto,
			    addr, strerror(errno));
			continue;
		}
		(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
		if (fam == AF_INET6)
			(void)setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			    sizeof(one));
		if (bind(s, (struct sockaddr *)&ss, slen) == -1) {
			saved = errno;
			if (saved == EADDRINUSE)
				config_report(ctx, 1, 0, "[%s] port: %d on %s is "
				    "in use (is griotd already running?)", proto,
				    port, addr);
			else if (saved == EACCES)
				config_report(ctx, 0, 0, "[%s] port: %d on %s: "
				    "this user may not bind it (griotd needs to "
				    "start as root, or with CAP_NET_BIND_SERVICE)",
				    proto, port, addr);
			else if (saved == EADDRNOTAVAIL)
				config_report(ctx, 1, 0, "[%s] listen: %s is not "
				    "an address of this machine", proto, addr);
			else if (!(strcmp(addr, "*") == 0 && fam == AF_INET6))
				config_report(ctx, 1, 0, "[%s] listen: %s port "
				    "%d: %s", proto, addr, port,
				    strerror(saved));
		}
		close(s);
	}
}

/* GRIOT_ALLOW_ROOT=1: test suites and throw-away containers only. */
int
config_allow_root(void)
{
	const char	*v = getenv("GRIOT_ALLOW_ROOT");

	return v != NULL && strcmp(v, "1") == 0;
}

int
config_check_serving(const struct conf *c, const struct config_report *rep)
{
	struct config_ctx	 ctx;
	struct stat		 st;
	size_t			 i;
	int			 hascert, haskey;

	memset(&ctx, 0, sizeof(ctx));
	ctx.file = c->path;
	ctx.rep = rep;

	if (geteuid() == 0 && c->user == NULL)
		config_report(&ctx, !config_allow_root(), 0, "[server] user: "
		    "unset, and griotd refuses to keep running as root (set "
		    "user, and group if needed)");
	if (c->user != NULL && geteuid() != 0 &&
	    getpwnam(c->user) != NULL && getpwnam(c->user)->pw_uid != geteuid())
		config_report(&ctx, 0, 0, "[server] user: %s: griotd can "
		    "only switch to it when started as root",
		    config_esc(&ctx, c->user));

	if (c->gemini_enabled) {
		hascert = stat(c->cert, &st) == 0;
		haskey = stat(c->key, &st) == 0;
		if (hascert && haskey) {
			config_check_file(&ctx, "cert", c->cert);
			config_check_file(&ctx, "key", c->key);
		} else if (hascert != haskey)
			config_report(&ctx, 1, 0, "[gemini] %s: %s is missing "
			    "while %s exists (auto_cert never overwrites a "
			    "file: provide both, or remove the other)",
			    hascert ? "key" : "cert",
			    config_esc(&ctx, hascert ? c->key : c->cert),
			    config_esc(&ctx, hascert ? c->cert : c->key));
		else if (!c->auto_cert)
			config_report(&ctx, 1, 0, "[gemini] cert: %s: %s, and "
			    "auto_cert is off (provide a certificate and key, "
			    "or set auto_cert = yes)",
			    config_esc(&ctx, c->cert),
			    strerror(ENOENT));
		for (i = 0; i < c->gemini_listen.naddrs; i++)
			config_check_bind(&ctx, "gemini",
			    c->gemini_listen.addrs[i], c->gemini_port);
	}
	if (c->gopher_enabled)
		for (i = 0; i < c->gopher_listen.naddrs; i++)
			config_check_bind(&ctx, "gopher",
			    c->gopher_listen.addrs[i], c->gopher_port);
	return ctx.errors;
}

/* ------------------------------------------------------------------ */
/* Reload. */

static int
config_str_differs(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

static int
config_listen_differs(const struct conf_listen *a, const struct conf_listen *b)
{
	size_t	 i;

	if (a->naddrs != b->naddrs)
		return 1;
	for (i = 0; i < a->naddrs; i++)
		if (strcmp(a->addrs[i], b->addrs[i]) != 0)
			return 1;
	return 0;
}

int
config_keep_running(struct conf *next, const struct conf *cur,
    const struct config_report *rep)
{
	static const struct {
		const char	*section, *key;
	} restart[] = {
		{ "gemini", "enabled" }, { "gemini", "listen" },
		{ "gemini", "port" }, { "gemini", "cert" }, { "gemini", "key" },
		{ "gopher", "enabled" }, { "gopher", "listen" },
		{ "gopher", "port" }, { "server", "user" },
		{ "server", "group" }, { "server", "chroot" },
		{ "server", "pidfile" }, { "server", "log" },
		{ "server", "workers" }
	};
	struct config_ctx	 ctx;
	const struct config_key	*k;
	size_t			 i, j;
	int			 kept = 0, differs, *ip;

	memset(&ctx, 0, sizeof(ctx));
	ctx.file = next->path;
	ctx.rep = rep;
	for (i = 0; i < sizeof(restart) / sizeof(restart[0]); i++) {
		k = config_find_key(restart[i].section, restart[i].key);
		if (k == NULL)
			continue;
		switch (k->kind) {
		case CK_LISTEN:
			differs = config_listen_differs(FIELD(next, k,
			    struct conf_listen), CFIELD(cur, k, struct conf_listen));
			break;
		case CK_BOOL:
		case CK_INT:
			differs = *FIELD(next, k, int) !=
			    *CFIELD(cur, k, int);
			break;
		default:
			differs = config_str_differs(*FIELD(next, k, char *),
			    *CFIELD(cur, k, char *));
			break;
		}
		if (!differs)
			continue;
		kept++;
		config_report(&ctx, 0, 0, "[%s] %s: changed; the running "
		    "daemon keeps the old value until it is restarted",
		    k->section, k->key);
		switch (k->kind) {
		case CK_LISTEN: {
			struct conf_listen *nl = FIELD(next, k,
			    struct conf_listen);
			const struct conf_listen *cl = CFIELD(cur, k, struct conf_listen);

			config_listen_free(nl);
			for (j = 0; j < cl->naddrs; j++) {
				if ((nl->addrs[j] = strdup(cl->addrs[j])) ==
				    NULL)
					return -1;
				nl->naddrs = j + 1;
			}
			break;
		}
		case CK_BOOL:
		case CK_INT:
			ip = FIELD(next, k, int);
			/* A public port that followed the port follows it back. */
			if (ip == &next->gemini_port &&
			    next->gemini_public_port == next->gemini_port)
				next->gemini_public_port = cur->gemini_port;
			if (ip == &next->gopher_port &&
			    next->gopher_public_port == next->gopher_port)
				next->gopher_public_port = cur->gopher_port;
			*ip = *CFIELD(cur, k, int);
			break;
		default: {
			char **sp = FIELD(next, k, char *);
			const char *cv = *CFIELD(cur, k, char *);

			free(*sp);
			*sp = NULL;
			if (cv != NULL && (*sp = strdup(cv)) == NULL)
				return -1;
			break;
		}
		}
	}
	return kept;
}
