/* griot: fuzz harness of the ini loader.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Any bytes as griot.ini, loaded by config_load() from a private folder
 * that holds empty "articles", "pages", "store" and "certs" folders (config.c reads only
 * from a path).  What must always hold: no crash and no leak; every
 * message is one line (no control character: no CR, no LF) starting with the file's name and
 * ':', and a line it names is a line of the file (config.c's line
 * index); the load fails exactly when an error was reported; a loaded
 * struct conf is within the ranges of the key table; and its dump
 * (config_dump) written back as the ini loads again without an error to
 * the very same dump, as does its copy (config_dup), which
 * config_keep_running() finds unchanged.  A broken invariant aborts.
 * Built with --enable-fuzzing it is a libFuzzer target; otherwise
 * replay.c replays tests/fuzz/corpus/config/ through it under make check.
 */
#include "griot-config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "text.h"

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 fz_dir[PATH_MAX];	/* the private folder, real path */
static char	 fz_ini[PATH_MAX + 16];	/* fz_dir/griot.ini */
static char	 fz_sub[4][PATH_MAX + 16];	/* articles, pages, store, certs */

struct fz_msgs {
	int	 errors;
	int	 warnings;
	long	 nlines;	/* of the file loaded */
};

/* How many lines messages may name in "len" bytes of "data". */
static long
fz_count_lines(const void *data, size_t len)
{
	const char	*p = data, *end = p + len;
	long		 n = 1;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		n++;
	}
	return n;
}

static void
fz_cleanup(void)
{
	size_t	 i;

	(void)unlink(fz_ini);
	for (i = 0; i < 4; i++)
		(void)rmdir(fz_sub[i]);
	(void)rmdir(fz_dir);
}

static void
fz_setup(void)
{
	static const char *const subs[4] = { "articles", "pages", "store",
	    "certs" };
	const char	*tmp = getenv("TMPDIR");
	char		 tmpl[PATH_MAX];
	size_t		 i;

	if (fz_dir[0] != '\0')
		return;
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(tmpl, sizeof(tmpl), "%s/griot-fuzz-config-XXXXXX",
	    tmp) >= sizeof(tmpl) || mkdtemp(tmpl) == NULL ||
	    realpath(tmpl, fz_dir) == NULL) {
		perror("fuzz_config: temporary folder");
		abort();
	}
	CHECK((size_t)snprintf(fz_ini, sizeof(fz_ini), "%s/griot.ini",
	    fz_dir) < sizeof(fz_ini));
	for (i = 0; i < 4; i++) {
		CHECK((size_t)snprintf(fz_sub[i], sizeof(fz_sub[i]), "%s/%s",
		    fz_dir, subs[i]) < sizeof(fz_sub[i]));
		CHECK(mkdir(fz_sub[i], 0700) == 0);
	}
	atexit(fz_cleanup);
}

static void
fz_write(const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;
	int		 fd;

	fd = open(fz_ini, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	CHECK(fd != -1);
	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		CHECK(n > 0);
		p += n;
		len -= (size_t)n;
	}
	CHECK(close(fd) == 0);
}

/*
 * Is there a control character (CR included) in "msg"?  config.c escapes
 * whatever it quotes from the file, so none may reach a terminal.
 */
static int
fz_has_control(const char *msg)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)msg; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

/* One line, naming the file first: "FILE: ..." or "FILE:LINE: ...". */
static void
fz_report(void *arg, int error, const char *msg)
{
	struct fz_msgs	*m = arg;
	size_t		 plen = strlen(fz_ini);
	long		 line = 0;

	if (strncmp(msg, fz_ini, plen) == 0 && msg[plen] == ':' &&
	    msg[plen + 1] >= '0' && msg[plen + 1] <= '9')
		line = strtol(msg + plen + 1, NULL, 10);
	if (strncmp(msg, fz_ini, plen) != 0 || msg[plen] != ':' ||
	    fz_has_control(msg) || line < 0 || line > m->nlines) {
		fprintf(stderr, "fuzz_config: bad message: \"%s\"\n", msg);
		abort();
	}
	if (error)
		m->errors++;
	else
		m->warnings++;
}

static int
fz_is_abs(const char *s)
{
	return s != NULL && s[0] == '/';
}

static void
fz_check_listen(const struct conf_listen *l)
{
	size_t	 i;

	CHECK(l->naddrs >= 1 && l->naddrs <= CONFIG_LISTEN_MAX);
	for (i = 0; i < l->naddrs; i++)
		CHECK(l->addrs[i] != NULL && l->addrs[i][0] != '\0' &&
		    strpbrk(l->addrs[i], ", \t") == NULL);
}

/* What the key table promises about a loaded configuration. */
static void
fz_check_conf(const struct conf *c)
{
	const char	*p;

	CHECK(fz_is_abs(c->path) && fz_is_abs(c->dir));
	CHECK(c->name != NULL && text_is_utf8(c->name, strlen(c->name)));
	CHECK(c->description != NULL &&
	    text_is_utf8(c->description, strlen(c->description)));
	CHECK(c->hostname != NULL && c->hostname[0] != '\0');
	for (p = c->hostname; *p != '\0'; p++)
		CHECK(!(*p >= 'A' && *p <= 'Z'));
	CHECK(c->lang != NULL && strlen(c->lang) >= 2);
	CHECK(fz_is_abs(c->store));
	CHECK(c->pages == NULL || fz_is_abs(c->pages));
	CHECK(c->latest >= 1 && c->latest <= 1000);
	CHECK(c->french_spacing == 0 || c->french_spacing == 1);
	CHECK(c->max_article_size >= 1024 &&
	    c->max_article_size <= 64 * 1024 * 1024);
	CHECK(c->gemini_enabled == 0 || c->gemini_enabled == 1);
	CHECK(c->gopher_enabled == 0 || c->gopher_enabled == 1);
	CHECK(c->gemini_enabled || c->gopher_enabled);
	fz_check_listen(&c->gemini_listen);
	fz_check_listen(&c->gopher_listen);
	CHECK(c->gemini_port >= 1 && c->gemini_port <= 65535);
	CHECK(c->gopher_port >= 1 && c->gopher_port <= 65535);
	CHECK(c->gemini_public_port >= 1 && c->gemini_public_port <= 65535);
	CHECK(c->gopher_public_port >= 1 && c->gopher_public_port <= 65535);
	CHECK(fz_is_abs(c->cert) && fz_is_abs(c->key));
	CHECK(c->auto_cert == 0 || c->auto_cert == 1);
	CHECK(c->width >= 20 && c->width <= 200);
	CHECK(c->charset == TEXT_UTF8 || c->charset == TEXT_LATIN1 ||
	    c->charset == TEXT_ASCII);
	CHECK(c->group == NULL || c->user != NULL);
	CHECK(c->chroot == NULL || fz_is_abs(c->chroot));
	CHECK(c->pidfile == NULL || fz_is_abs(c->pidfile));
	CHECK(c->log != NULL && (strcmp(c->log, "stderr") == 0 ||
	    strcmp(c->log, "syslog") == 0));
	CHECK(c->access_log != NULL && (fz_is_abs(c->access_log) ||
	    strcmp(c->access_log, "off") == 0 ||
	    strcmp(c->access_log, "stderr") == 0 ||
	    strcmp(c->access_log, "syslog") == 0));
	CHECK(c->max_connections >= 1 && c->max_connections <= 1000000);
	CHECK(c->request_timeout >= 1 && c->request_timeout <= 3600);
	CHECK(c->workers >= 0 && c->workers <= 256);
	CHECK(c->rate_limit >= 0 && c->rate_limit <= 1000000);
	CHECK(c->ticket_keys == NULL || fz_is_abs(c->ticket_keys));
	CHECK(c->store_scan_interval >= 0 && c->store_scan_interval <= 86400);
}

/* config_dump() into a new string of *lenp bytes. */
static char *
fz_dump(const struct conf *c, size_t *lenp)
{
	FILE	*fp;
	char	*s = NULL;
	size_t	 len = 0;

	CHECK((fp = open_memstream(&s, &len)) != NULL);
	CHECK(config_dump(c, fp) == 0);
	CHECK(fclose(fp) == 0);
	*lenp = len;
	return s;
}

static void
fz_quiet(void *arg, int error, const char *msg)
{
	(void)arg;
	(void)error;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_report	 rep;
	struct fz_msgs		 m;
	struct conf		*c, *again, *dup;
	char			*d1, *d2, *d3;
	size_t			 l1, l2, l3;

	fz_setup();
	fz_write(data, size);
	memset(&m, 0, sizeof(m));
	m.nlines = fz_count_lines(data, size);
	rep.fn = fz_report;
	rep.arg = &m;
	c = config_load(fz_ini, &rep);
	CHECK((c == NULL) == (m.errors > 0));
	if (c == NULL)
		return 0;
	fz_check_conf(c);

	/* The dump reads back as itself. */
	d1 = fz_dump(c, &l1);
	fz_write(d1, l1);
	memset(&m, 0, sizeof(m));
	m.nlines = fz_count_lines(d1, l1);
	again = config_load(fz_ini, &rep);
	if (again == NULL) {
		fprintf(stderr, "fuzz_config: the dump does not load:\n%s", d1);
		abort();
	}
	d2 = fz_dump(again, &l2);
	if (l1 != l2 || memcmp(d1, d2, l1) != 0) {
		fprintf(stderr, "fuzz_config: the dump changed on reload:\n"
		    "%s\n-- reloaded:\n%s", d1, d2);
		abort();
	}

	/* A copy is the same configuration. */
	CHECK((dup = config_dup(c)) != NULL);
	d3 = fz_dump(dup, &l3);
	CHECK(l3 == l1 && memcmp(d1, d3, l1) == 0);
	rep.fn = fz_quiet;
	CHECK(config_keep_running(dup, again, &rep) == 0);

	free(d1);
	free(d2);
	free(d3);
	config_free(dup);
	config_free(again);
	config_free(c);
	return 0;
}
