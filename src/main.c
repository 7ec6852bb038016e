/* griot: griotd.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Options, start-up order, the reload hook, and the one-shot modes -t, -T, -F and -q. */

#include "griot-config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "confcheck.h"
#include "gemini.h"
#include "gopher.h"
#include "gophermap.h"
#include "http.h"
#include "log.h"
#include "priv.h"
#include "server.h"
#include "store.h"
#include "tls.h"
#include "tlscert.h"
#include "url.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/usr/local/etc"
#endif
#define MAIN_INI	SYSCONFDIR "/griot.ini"

/* What a report callback counts. */
struct main_count {
	int	 errors;
	int	 warnings;
	int	 quiet_warnings;	/* count warnings without logging them */
};

/* What the reload hook needs after the conf went to the server. */
struct main_ctx {
	char	*chroot;	/* as at start; NULL when unset */
	int	 verbose;
};

static void __attribute__((__noreturn__))
main_usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: griotd [-dhtTFv] [-c file] [-q url]\n"
	    "  -c file  the ini file (default %s)\n"
	    "  -d       run in the background (pidfile from the ini)\n"
	    "  -t       check the ini and the whole store, then exit\n"
	    "  -T       print the effective ini, defaults included\n"
	    "  -F       print the SHA-256 fingerprint of the certificate\n"
	    "  -q url   print the exact response to a gemini://, gopher:// or "
	    "http:// URL,\n"
	    "           or to a whole HTTP request head (\"GET / HTTP/1.1\\r\\n...\")\n"
	    "  -v       verbose: debug lines too\n"
	    "  -h       this help\n"
	    "griot %s; see griotd(8), griot.ini(5), griot-article(5).\n",
	    MAIN_INI, PACKAGE_VERSION);
	exit(status);
}

static void
main_report(void *arg, int error, const char *msg)
{
	struct main_count	*n = arg;

	if (error)
		n->errors++;
	else
		n->warnings++;
	if (error || !n->quiet_warnings)
		log_warnx("%s", msg);
}

static const char *
main_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * Started as root: an access-log file griotd creates belongs to the user
 * it will serve as, who must reopen it after a rotation.  An unknown user
 * is left to priv_check() to refuse.
 */
static void
main_log_owner(const struct conf *conf)
{
	struct passwd	*pw;
	struct group	*gr;
	gid_t		 gid;

	if (geteuid() != 0 || conf->user == NULL ||
	    (pw = getpwnam(conf->user)) == NULL)
		return;
	gid = pw->pw_gid;
	if (conf->group != NULL) {
		if ((gr = getgrnam(conf->group)) == NULL)
			return;
		gid = gr->gr_gid;
	}
	log_access_owner(pw->pw_uid, gid);
}

/*
 * Open the store of "conf".  "chroot": we are inside it, so paths from
 * the ini are seen without its prefix.
 */
static struct store *
main_store_open(const struct conf *conf, const char *chroot,
    const struct store *share, struct main_count *count,
    struct store_stats *stats)
{
	struct article_report	 rep = { main_report, count };
	struct config_report	 crep = { main_report, count };
	struct store_opts	 opts;
	struct store_stats	 dummy;
	struct store		*store;

	memset(&opts, 0, sizeof(opts));
	opts.dir = priv_path(chroot, conf->store);
	opts.pages = priv_path(chroot, conf->pages);
	opts.french_spacing = conf->french_spacing;
	opts.max_size = conf->max_article_size;
	opts.share = share;
	if (stats == NULL)
		stats = &dummy;
	memset(stats, 0, sizeof(*stats));
	store = store_open(&opts, &rep, stats);
	/* What a menu will leave out, named once per load (and by -t). */
	if (store != NULL)
		(void)gophermap_check(conf, store, &crep);
	return store;
}

/* ------------------------------------------------------------------ */
/* SIGHUP and store changes. */

static int
main_reload(void *arg, const struct conf *cur, const struct store *cur_store,
    int store_only, struct conf **confp, struct store **storep)
{
	struct main_ctx		*m = arg;
	struct main_count	 count = { 0, 0, 0 };
	struct config_report	 rep = { main_report, &count };
	struct store_stats	 st;
	struct conf		*next;
	struct store		*store;

	if (!store_only && m->chroot != NULL) {
		log_warnx("%s: not read again: inside [server] chroot %s it "
		    "cannot be reached; reloading the store only (restart "
		    "griotd to apply changes to the ini)", cur->path, m->chroot);
		store_only = 1;
	}
	if (store_only) {
		if ((next = config_dup(cur)) == NULL) {
			log_warn("reload");
			return -1;
		}
	} else {
		next = config_load(cur->path, &rep);
		if (next == NULL) {
			log_warnx("%s: not reloaded (%d %s); still serving the "
			    "previous configuration and store", cur->path,
			    count.errors, main_plural((size_t)count.errors,
			    "error", "errors"));
			return -1;
		}
		if (config_keep_running(next, cur, &rep) == -1) {
			log_warn("reload");
			config_free(next);
			return -1;
		}
	}

	/* Warnings of every file at every change would flood the log. */
	count.quiet_warnings = store_only && !m->verbose;
	store = main_store_open(next, m->chroot, cur_store, &count, &st);
	if (store == NULL) {
		log_warnx("%s: store %s not reloaded; still serving the "
		    "previous configuration and store", cur->path, next->store);
		config_free(next);
		return -1;
	}
	if (!store_only)
		(void)log_access_init(next->access_log);	/* keeps the old on failure */
	log_info("%s: %s; %zu %s, %zu skipped, %zu %s, %zu %s",
	    store_only ? "store changed" : "reloaded",
	    store_only ? next->store : next->path,
	    st.loaded, main_plural(st.loaded, "article", "articles"),
	    st.skipped, st.drafts, main_plural(st.drafts, "draft", "drafts"),
	    st.pages, main_plural(st.pages, "page", "pages"));
	*confp = next;
	*storep = store;
	return 0;
}

/* A change of a few files seen by the store watch. */
static int
main_update(void *arg, const struct conf *cur, const struct store *cur_store,
    const char *const *names, size_t nnames, int pages,
    struct store **storep)
{
	struct main_ctx		*m = arg;
	struct main_count	 count = { 0, 0, 0 };
	struct article_report	 rep = { main_report, &count };
	struct store_stats	 st;
	struct store		*store;

	count.quiet_warnings = !m->verbose;
	if ((store = store_update(cur_store, names, nnames, pages, &rep,
	    &st)) == NULL) {
		log_warnx("%s: store not updated; reading it whole",
		    cur->store);
		return -1;
	}
	log_info("store changed: %s; updated: %zu %s read, %zu skipped, "
	    "%zu unsettled%s; %zu %s", cur->store, st.read,
	    main_plural(st.read, "file", "files"), st.skipped, st.unsettled,
	    pages ? ", pages read again" : "", st.loaded,
	    main_plural(st.loaded, "article", "articles"));
	*storep = store;
	return 0;
}

/* ------------------------------------------------------------------ */
/* griotd -t */

static int
main_check(const char *path)
{
	struct main_count	 count = { 0, 0, 0 }, scount = { 0, 0, 0 };
	struct config_report	 rep = { main_report, &count };
	struct store_stats	 st;
	struct conf		*conf;
	struct store		*store = NULL;

	conf = config_load(path, &rep);
	if (conf == NULL) {
		printf("%s: %d %s, %d %s; the store was not checked\n", path,
		    count.errors, main_plural((size_t)count.errors, "error",
		    "errors"), count.warnings,
		    main_plural((size_t)count.warnings, "warning", "warnings"));
		return 1;
	}
	confcheck_serving(conf, &rep);
	if (conf->gemini_enabled && conf->ticket_keys != NULL &&
	    tlsc_ticket_keys_check(conf->ticket_keys) == -1)
		count.errors++;

	/* Refused articles are listed, but serving would not fail. */
	store = main_store_open(conf, NULL, NULL, &scount, &st);
	if (store == NULL)
		printf("%s: the store %s cannot be read%s\n", path, conf->store,
		    count.errors > 0 ? ", and the ini has errors" : "");
	else if (count.errors > 0)
		printf("%s: %d %s; %zu %s loaded, %zu skipped, %zu %s, %zu %s\n",
		    path, count.errors, main_plural((size_t)count.errors,
		    "error", "errors"), st.loaded,
		    main_plural(st.loaded, "article", "articles"),
		    st.skipped, st.drafts,
		    main_plural(st.drafts, "draft", "drafts"), st.pages,
		    main_plural(st.pages, "page", "pages"));
	else
		printf("%s: ok; %zu %s loaded, %zu skipped, %zu %s, %zu %s\n",
		    path, st.loaded, main_plural(st.loaded, "article", "articles"),
		    st.skipped, st.drafts,
		    main_plural(st.drafts, "draft", "drafts"), st.pages,
		    main_plural(st.pages, "page", "pages"));
	store_unref(store);
	config_free(conf);
	return count.errors > 0 || store == NULL ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* griotd -q */

/*
 * RFC 4266: gopher://host[:port]/<type><selector>[%09<search>[%09...]].
 * The type is dropped, the rest percent-decoded (so %09 becomes the TAB
 * before the search words), and CRLF appended: the request line.
 */
static int
main_gopher_request(const char *url, struct buf *req)
{
	const char	*p = url + strlen("gopher://");
	size_t		 n;

	p = strchr(p, '/');
	if (p != NULL && p[1] != '\0') {
		p += 2;		/* the slash and the item type */
		n = strlen(p);
		if (buf_reserve(req, n) == -1)
			return -1;
		/* Lenient: a "%" without two hex digits stays as it is. */
		(void)url_decode(req->data + req->len, &n, p, n, 0);
		req->len += n;
	}
	buf_add(req, "\r\n", 2);
	return req->failed ? -1 : 0;
}

/*
 * An http:// URL becomes "GET PATH HTTP/1.1" with its Host; anything
 * else is a request head as it is, ended by empty lines until it is
 * whole (the shell's $(...) drops the final LF).
 */
static int
main_http_request(const char *url, struct buf *req)
{
	const char	*host, *path;
	size_t		 hlen;
	int		 i;

	if (strncasecmp(url, "http://", 7) == 0) {
		host = url + 7;
		if ((path = strchr(host, '/')) == NULL) {
			hlen = strlen(host);
			path = "/";
		} else
			hlen = (size_t)(path - host);
		buf_printf(req, "GET %s HTTP/1.1\r\nHost: %.*s\r\n\r\n", path,
		    (int)hlen, host);
		return req->failed ? -1 : 0;
	}
	buf_puts(req, url);
	for (i = 0; i < 2 && !req->failed &&
	    http_request_complete(req->data, req->len) == 0; i++)
		buf_add(req, req->len > 0 && req->data[req->len - 1] == '\r' ?
		    "\n" : "\r\n", req->len > 0 &&
		    req->data[req->len - 1] == '\r' ? 1 : 2);
	return req->failed ? -1 : 0;
}

/* The whole answer, as the server sends it: the prelude, then the rest. */
static void
main_http(const struct buf *req, const struct conf *conf,
    const struct store *store, struct buf *out)
{
	struct buf	 tail = BUF_INIT;
	int		 status;

	status = http_respond(req->data, req->len, conf, store, &tail);
	if (http_prelude(out, req->data, req->len, status, time(NULL), 1) == -1)
		out->failed = 1;
	buf_add(out, tail.data, tail.len);
	buf_release(&tail);
}

static int
main_query(const char *path, const char *url)
{
	struct main_count	 count = { 0, 0, 1 };
	struct config_report	 rep = { main_report, &count };
	struct buf		 req = BUF_INIT, out = BUF_INIT;
	struct conf		*conf;
	struct store		*store;
	int			 rc = 1;

	if ((conf = config_load(path, &rep)) == NULL)
		return 1;
	if ((store = main_store_open(conf, NULL, NULL, &count, NULL)) == NULL) {
		config_free(conf);
		return 1;
	}
	if (strncasecmp(url, "gemini://", 9) == 0) {
		buf_puts(&req, url);
		buf_add(&req, "\r\n", 2);
		if (!req.failed)
			(void)gemini_respond(req.data, req.len, conf, store,
			    &out);
	} else if (strncasecmp(url, "gopher://", 9) == 0) {
		if (main_gopher_request(url, &req) == 0)
			(void)gopher_respond(req.data, req.len, conf, store,
			    &out);
	} else if (strncasecmp(url, "http://", 7) == 0 ||
	    strstr(url, " HTTP/") != NULL) {
		if (main_http_request(url, &req) == 0)
			main_http(&req, conf, store, &out);
	} else {
		log_warnx("-q %s: expected a gemini://, gopher:// or http:// "
		    "URL or an HTTP request", url);
		goto done;
	}
	if (out.failed) {
		log_warnx("-q %s: out of memory", url);
		goto done;
	}
	if (out.len > 0 && (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0)) {
		log_warn("stdout");
		goto done;
	}
	rc = out.len > 0 ? 0 : 1;
 done:
	buf_release(&req);
	buf_release(&out);
	store_unref(store);
	config_free(conf);
	return rc;
}

/* ------------------------------------------------------------------ */

static int
main_fingerprint(const char *path)
{
	struct main_count	 count = { 0, 0, 0 };
	struct config_report	 rep = { main_report, &count };
	struct conf		*conf;
	char			 fp[TLSC_FINGERPRINT_MAX];
	int			 rc = 1;

	if ((conf = config_load(path, &rep)) == NULL)
		return 1;
	if (tlscert_fingerprint(conf->cert, fp, sizeof(fp)) == -1)
		log_warnx("%s: [gemini] cert: %s: no fingerprint (is it a "
		    "PEM certificate?)", path, conf->cert);
	else {
		printf("%s\n", fp);
		rc = 0;
	}
	config_free(conf);
	return rc;
}

static int
main_dump(const char *path)
{
	struct main_count	 count = { 0, 0, 0 };
	struct config_report	 rep = { main_report, &count };
	struct conf		*conf;
	int			 rc;

	if ((conf = config_load(path, &rep)) == NULL)
		return 1;
	rc = config_dump(conf, stdout) == 0 ? 0 : 1;
	config_free(conf);
	return rc;
}

/* ------------------------------------------------------------------ */

static int
main_serve(const char *path, int daemonise, int verbose)
{
	struct main_count	 count = { 0, 0, 0 };
	struct config_report	 rep = { main_report, &count };
	struct main_ctx		 m;
	struct server_hooks	 hooks;
	struct store_stats	 st;
	struct conf		*conf;
	const struct conf	*served;
	struct store		*store;
	struct server		*server;
	char			*user = NULL, *group = NULL, *pidfile = NULL;
	char			*store_dir = NULL;
	int			 rc, to_syslog = 0;

	memset(&m, 0, sizeof(m));
	m.verbose = verbose;

	if ((conf = config_load(path, &rep)) == NULL)
		fatalx("%s: %d %s; griotd not started", path, count.errors,
		    main_plural((size_t)count.errors, "error", "errors"));
	if (log_init(conf->log, verbose) == -1)
		fatal("log %s", conf->log);
	main_log_owner(conf);
	if (log_access_init(conf->access_log) == -1)
		fatalx("%s: [server] access_log: cannot open %s", path,
		    conf->access_log);
	/* Refuse what priv_drop() would refuse before binding anything. */
	if (priv_check(conf) == -1)
		exit(1);

	if (conf->gemini_enabled && tlscert_ensure(conf) == -1)
		fatalx("%s: [gemini] cert: no usable certificate; griotd not "
		    "started", path);

	/* The server takes the conf: keep what is needed afterwards. */
	if ((conf->user != NULL && (user = strdup(conf->user)) == NULL) ||
	    (conf->group != NULL && (group = strdup(conf->group)) == NULL) ||
	    (conf->pidfile != NULL &&
	    (pidfile = strdup(conf->pidfile)) == NULL) ||
	    (conf->chroot != NULL && (m.chroot = strdup(conf->chroot)) == NULL) ||
	    (store_dir = strdup(conf->store)) == NULL)
		fatal("strdup");
	to_syslog = daemonise && (strcmp(conf->log, "stderr") == 0 ||
	    strcmp(conf->access_log, "stderr") == 0);

	/*
	 * Root is needed to bind and to read the key, and for nothing
	 * else: the store is read once privileges are dropped, so that
	 * the article parser never runs as root and a file the user
	 * cannot read is never served.  "served" stays valid, unchanged,
	 * until server_run().
	 */
	served = conf;
	if ((server = server_new(conf, NULL)) == NULL)
		fatalx("griotd not started");
	conf = NULL;

	if (daemonise) {
		if (to_syslog) {
			log_info("going to the background: logging to syslog "
			    "instead of stderr");
			if (log_init("syslog", verbose) == -1)
				fatal("syslog");
		}
		if (priv_daemonise() == -1)
			exit(1);
		if (to_syslog)
			(void)log_access_init("syslog");
	}
	if (pidfile != NULL && priv_pidfile(pidfile) == -1)
		exit(1);
	if (priv_drop(user, group, m.chroot) == -1) {
		priv_pidfile_remove();
		fatalx("griotd stopped before serving");
	}
	/* SIGUSR1 and SIGHUP reopen the access log from inside the chroot. */
	if (m.chroot != NULL && log_access_file() != NULL &&
	    log_access_relocate(priv_path(m.chroot, log_access_file())) == -1) {
		priv_pidfile_remove();
		fatal("access log");
	}
	if (access(priv_path(m.chroot, store_dir), R_OK | X_OK) == -1) {
		priv_pidfile_remove();
		fatal("store %s: not readable by user %s", store_dir,
		    user != NULL ? user : "griotd");
	}
	store = main_store_open(served, m.chroot, NULL, &count, &st);
	if (store == NULL) {
		priv_pidfile_remove();
		fatalx("%s: [capsule] store: %s cannot be read; griotd not "
		    "started", path, store_dir);
	}
	log_info("store %s: %zu %s, %zu skipped, %zu %s, %zu %s", store_dir,
	    st.loaded, main_plural(st.loaded, "article", "articles"),
	    st.skipped, st.drafts, main_plural(st.drafts, "draft", "drafts"),
	    st.pages, main_plural(st.pages, "page", "pages"));
	server_set_store(server, store);
	store = NULL;
	priv_daemonise_ready();

	hooks.reload = main_reload;
	hooks.update = main_update;
	hooks.arg = &m;
	rc = server_run(server, &hooks);
	server_free(server);
	priv_pidfile_remove();
	log_info("exiting");
	free(user);
	free(group);
	free(pidfile);
	free(store_dir);
	free(m.chroot);
	log_close();
	return rc == 0 ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	const char	*path = MAIN_INI, *url = NULL;
	int		 ch, daemonise = 0, verbose = 0, mode = 0;

	while ((ch = getopt(argc, argv, "c:dFhq:tTv")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			daemonise = 1;
			break;
		case 'F':
		case 't':
		case 'T':
		case 'q':
			if (mode != 0 && mode != ch) {
				fprintf(stderr, "griotd: -%c and -%c cannot be "
				    "used together\n", mode, ch);
				main_usage(2);
			}
			mode = ch;
			if (ch == 'q')
				url = optarg;
			break;
		case 'h':
			main_usage(0);
		case 'v':
			verbose++;
			break;
		default:
			main_usage(2);
		}
	}
	if (optind != argc)
		main_usage(2);
	if (mode != 0 && daemonise) {
		fprintf(stderr, "griotd: -d only applies when serving\n");
		main_usage(2);
	}

	if (log_init("stderr", verbose) == -1)
		return 1;
	store_tune_malloc();
	switch (mode) {
	case 't':
		return main_check(path);
	case 'T':
		return main_dump(path);
	case 'F':
		return main_fingerprint(path);
	case 'q':
		return main_query(path, url);
	default:
		return main_serve(path, daemonise, verbose);
	}
}
