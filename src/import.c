/* griot: griot-import, news in.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * griot-import(1): reads each source (a file, "-", or an http(s) URL),
 * turns its items into article files in the store of the ini (or -s),
 * and says one line per item.  Options, the order of work and the exit
 * status live here; downloading is fetch.c, reading feed.c and html.c,
 * writing publish.c.
 */

#include "griot-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "feed.h"
#include "fetch.h"
#include "publish.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/usr/local/etc"
#endif
#define IMPORT_INI	SYSCONFDIR "/griot.ini"
#define IMPORT_MEMO	".griot-import.memo"	/* in the store: griotd ignores dot files */
#define IMPORT_FILE_MAX	(64L * 1024 * 1024)	/* a local source */

struct totals {
	size_t	 new, updated, unchanged, skipped;
	int	 failed;	/* sources that failed, items refused for a fault */
};

static void
import_usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: griot-import [-hnv] [-c griot.ini | -s store] [-t seconds] "
	    "source ...\n"
	    "  a source is a file, - (standard input) or an http(s) URL of a\n"
	    "  feed (RSS, Atom) or an article page\n");
	exit(status);
}

static void
ini_report(void *arg, int error, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s%s\n", error ? "" : "warning: ", msg);
}

/* A whole local source, "-" for standard input. */
static int
read_source(const char *path, struct buf *b, char *err, size_t errlen)
{
	FILE	*fp;
	char	 chunk[65536];
	size_t	 n;
	int	 rc = -1;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b->len + n > (size_t)IMPORT_FILE_MAX) {
			snprintf(err, errlen, "larger than %ld bytes",
			    IMPORT_FILE_MAX);
			goto done;
		}
		buf_add(b, chunk, n);
	}
	if (ferror(fp))
		snprintf(err, errlen, "%s", strerror(errno));
	else if (b->failed)
		snprintf(err, errlen, "out of memory");
	else
		rc = 0;
done:
	if (fp != stdin)
		fclose(fp);
	return rc;
}

static int
is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

/* One source, start to end; its items' lines on stdout. */
static void
import_source(const char *src, struct publish *pub, struct fetch_memo *memo,
    const struct fetch_opts *fo, int verbose, struct totals *t)
{
	struct fetch		 f;
	struct feed		 feed;
	struct buf		 local = BUF_INIT;
	const char		*data, *url, *charset = NULL, *etag, *lm;
	char			 err[FEED_ERR_MAX + PUBLISH_ERR_MAX];
	char			 id[ARTICLE_ID_MAX];
	size_t			 len, i;
	enum publish_result	 r;
	int			 faults = 0;

	memset(&f, 0, sizeof(f));
	if (is_url(src)) {
		fetch_memo_get(memo, src, &etag, &lm);
		if (fetch_get(src, etag, lm, fo, &f, err) == -1) {
			fprintf(stderr, "griot-import: %s: %s\n", src, err);
			t->failed++;
			return;
		}
		if (f.not_modified) {
			printf("unchanged %s: not modified since the last run\n", src);
			fetch_free(&f);
			return;
		}
		data = f.data;
		len = f.len;
		url = f.url;
		charset = f.charset;
	} else {
		if (read_source(src, &local, err, sizeof(err)) == -1) {
			fprintf(stderr, "griot-import: %s: %s\n", src, err);
			t->failed++;
			buf_release(&local);
			return;
		}
		data = local.data ? local.data : "";
		len = local.len;
		url = NULL;
	}
	if (feed_read(&feed, data, len, url, charset, err) == -1) {
		fprintf(stderr, "griot-import: %s: %s; nothing imported from it\n",
		    src, err);
		t->failed++;
		goto done;
	}
	if (verbose)
		fprintf(stderr, "griot-import: %s: %s, %zu item%s\n", src,
		    feed.kind, feed.nitems, feed.nitems == 1 ? "" : "s");
	for (i = 0; i < feed.nitems; i++) {
		struct feed_item	*it = &feed.items[i];

		if (it->skip != NULL) {
			printf("skipped %s: %s\n", it->what, it->skip);
			if (it->error) {
				fprintf(stderr, "griot-import: %s: %s: %s\n",
				    src, it->what, it->skip);
				faults++;
			}
			t->skipped++;
			continue;
		}
		if (publish_item(pub, it, id, &r, err) == -1) {
			printf("skipped %s: %s\n", it->what, err);
			fprintf(stderr, "griot-import: %s: %s: %s\n", src,
			    it->what, err);
			t->skipped++;
			faults++;
			continue;
		}
		if (r == PUBLISH_HELD) {
			printf("skipped %s: %s is a draft in the store "
			    "(Draft: yes), kept as it is\n", it->what, id);
			t->skipped++;
			continue;
		}
		printf("%s %s\n", r == PUBLISH_NEW ? "new" : r == PUBLISH_UPDATED ?
		    "updated" : "unchanged", id);
		if (r == PUBLISH_NEW)
			t->new++;
		else if (r == PUBLISH_UPDATED)
			t->updated++;
		else
			t->unchanged++;
	}
	fflush(stdout);
	if (publish_sync(pub, err) == -1) {
		fprintf(stderr, "griot-import: %s\n", err);
		faults++;
	}
	t->failed += faults;
	/* Remember the validators only when every item made it in. */
	if (faults == 0 && is_url(src) && memo != NULL)
		(void)fetch_memo_set(memo, src, f.etag, f.last_modified);
	feed_free(&feed);
done:
	fetch_free(&f);
	buf_release(&local);
}

int
main(int argc, char **argv)
{
	struct config_report	 rep = { ini_report, NULL };
	struct fetch_opts	 fo = { 30, 0, 0 };
	struct totals		 t = { 0, 0, 0, 0, 0 };
	struct conf		*conf = NULL;
	struct publish		*pub;
	struct fetch_memo	*memo = NULL;
	struct buf		 mpath = BUF_INIT;
	const char		*ini = NULL, *store = NULL;
	char			 err[PUBLISH_ERR_MAX + FETCH_ERR_MAX], *end;
	int			 ch, dry = 0, verbose = 0, urls = 0, i;

	while ((ch = getopt(argc, argv, "c:hns:t:v")) != -1) {
		switch (ch) {
		case 'c':
			ini = optarg;
			break;
		case 'h':
			import_usage(0);
			break;
		case 'n':
			dry = 1;
			break;
		case 's':
			store = optarg;
			break;
		case 't':
			errno = 0;
			fo.timeout = strtol(optarg, &end, 10);
			if (errno || *end != '\0' || fo.timeout < 1 ||
			    fo.timeout > 3600) {
				fprintf(stderr, "griot-import: -t %s: not a "
				    "number of seconds from 1 to 3600\n", optarg);
				import_usage(2);
			}
			break;
		case 'v':
			verbose = fo.verbose = 1;
			break;
		default:
			import_usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || (ini != NULL && store != NULL))
		import_usage(2);
	if (store == NULL) {
		if ((conf = config_load(ini ? ini : IMPORT_INI, &rep)) == NULL) {
			fprintf(stderr, "griot-import: %s: cannot use this ini\n",
			    ini ? ini : IMPORT_INI);
			return 1;
		}
		store = conf->store;
	}
	if ((pub = publish_open(store, dry, err)) == NULL) {
		fprintf(stderr, "griot-import: %s\n", err);
		config_free(conf);
		return 1;
	}
	if (fetch_init() == -1) {
		fprintf(stderr, "griot-import: cannot start libcurl\n");
		return 1;
	}
	buf_printf(&mpath, "%s/%s", store, IMPORT_MEMO);
	if (!mpath.failed)
		memo = fetch_memo_load(mpath.data);
	for (i = 0; i < argc; i++) {
		urls += is_url(argv[i]);
		import_source(argv[i], pub, memo, &fo, verbose, &t);
	}
	if (!dry && urls > 0 && memo != NULL &&
	    fetch_memo_save(memo, err) == -1) {
		fprintf(stderr, "griot-import: %s\n", err);
		t.failed++;
	}
	printf("%s%zu new, %zu updated, %zu unchanged, %zu skipped",
	    dry ? "dry run: " : "", t.new, t.updated, t.unchanged, t.skipped);
	if (t.failed)
		printf("; %d error%s", t.failed, t.failed == 1 ? "" : "s");
	printf("\n");
	fetch_memo_free(memo);
	buf_release(&mpath);
	fetch_cleanup();
	publish_close(pub);
	config_free(conf);
	return t.failed ? 1 : 0;
}
