/* griot: the store snapshot.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Builds the immutable, reference-counted snapshot of the article store
 * and the static pages: scan, parse in parallel, sort, index, look up.
 *
 * Decisions written down here and in griot-article(5):
 * - Only "*.txt" files are articles; names starting with "." (editors'
 *   "x.swp", ".#x") are ignored silently, as is everything else
 *   ("x.txt~", "x.tmp", README files).  A "*.txt" that fails (bad name,
 *   symbolic link, not a regular file, too big, no Title or Date...) is
 *   reported and left out; every other article is served.
 * - Messages come out in file name order whatever the threads did.
 * - Articles whose category names give the same slug ("Société",
 *   "societe") are one category; its name is as written in its newest
 *   article.
 * - A file caught half-written is either refused (then left out until
 *   the next scan) or served as read; the next reload, which a change of
 *   the folder triggers, reads it whole.
 */
#include "griot-config.h"


#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "search.h"
#include "store.h"
#include "text.h"

#define STORE_THREADS		4	/* parsing threads, at most */
#define STORE_CHUNK		32	/* files a thread takes at a time */
#define STORE_MIN_PER_THREAD	64	/* fewer files: one thread */

struct store {
	atomic_size_t			 refs;
	struct article			**byid;		/* owned, by id */
	const struct article		**list;		/* newest first */
	size_t				 narticles;
	struct store_category		*categories;	/* by slug */
	size_t				 ncategories;
	struct store_month		*months;	/* newest first */
	size_t				 nmonths;
	struct store_page		*pages;		/* by name */
	size_t				 npages;
	struct search_index		*index;
};

/* Parsing the files, on several threads. */
struct scan {
	int				 dirfd;
	char				**names;
	size_t				 nnames;
	struct article			**arts;		/* NULL: refused */
	char				**msgs;		/* per file */
	atomic_size_t			 next;
	const struct article_opts	*aopts;
	atomic_int			 nomem;
};

/*
 * Messages of one file, kept until they can be reported in order: each
 * is 'E' or 'W', the text, a NUL; an empty one ends the list.
 */
static void
collect(void *arg, int error, const char *msg)
{
	struct buf	*b = arg;

	buf_addc(b, error ? 'E' : 'W');
	buf_add(b, msg, strlen(msg) + 1);
}

static void *
scan_run(void *arg)
{
	struct scan		*sc = arg;
	struct buf		 b = BUF_INIT;
	struct article_report	 r = { collect, &b };
	struct article_scratch	*scratch;
	size_t			 i, end;

	if ((scratch = article_scratch_new()) == NULL) {
		atomic_store(&sc->nomem, 1);
		return NULL;
	}
	for (;;) {
		i = atomic_fetch_add(&sc->next, STORE_CHUNK);
		if (i >= sc->nnames)
			break;
		end = i + STORE_CHUNK < sc->nnames ? i + STORE_CHUNK :
		    sc->nnames;
		for (; i < end; i++) {
			errno = 0;
			sc->arts[i] = article_load_scratch(scratch, sc->dirfd,
			    sc->names[i], sc->aopts, &r);
			if (sc->arts[i] == NULL && errno == ENOMEM)
				atomic_store(&sc->nomem, 1);
			if (b.len > 0) {
				buf_addc(&b, '\0');
				if (b.failed)
					atomic_store(&sc->nomem, 1);
				sc->msgs[i] = buf_detach(&b, NULL);
			}
		}
	}
	buf_release(&b);
	article_scratch_free(scratch);
	return NULL;
}

static void	 report(const struct article_report *, int, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

static void
report(const struct article_report *r, int error, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (r == NULL || r->fn == NULL)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!b.failed)
		r->fn(r->arg, error, b.data);
	buf_release(&b);
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_free(char **names, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * The names "*SUFFIX" of a folder, sorted, hidden ones left out.  Returns
 * -1 (reported) when the folder cannot be read.
 */
static int
list_dir(int dirfd, const char *dir, const char *suffix,
    const struct article_report *r, char ***namesp, size_t *np)
{
	DIR		*d = NULL;
	struct dirent	*de;
	char		**names = NULL, **nn, *s;
	size_t		 n = 0, cap = 0;
	int		 fd;

	*namesp = NULL;
	*np = 0;
	if ((fd = dup(dirfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		report(r, 1, "%s:0: cannot read the folder: %s", dir,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				report(r, 1, "%s:0: cannot read the folder: "
				    "%s", dir, strerror(errno));
				goto fail;
			}
			break;
		}
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffix))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nn = reallocarray(names, cap,
			    sizeof(*names))) == NULL)
				goto nomem;
			names = nn;
		}
		if ((s = strdup(de->d_name)) == NULL)
			goto nomem;
		names[n++] = s;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_name);
	*namesp = names;
	*np = n;
	return 0;
 nomem:
	report(r, 1, "%s:0: out of memory", dir);
 fail:
	closedir(d);
	names_free(names, n);
	return -1;
}

/* Newest first, then id ascending. */
static int
cmp_newest(const void *a, const void *b)
{
	const struct article	*x = *(const struct article *const *)a;
	const struct article	*y = *(const struct article *const *)b;

	if (x->stamp != y->stamp)
		return x->stamp > y->stamp ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
cmp_id(const void *a, const void *b)
{
	const struct article	*x = *(const struct article *const *)a;
	const struct article	*y = *(const struct article *const *)b;

	return strcmp(x->id, y->id);
}

/* Parse every file of the folder; the published articles go to "s". */
static int
store_scan(struct store *s, int dirfd, const struct store_opts *opts,
    const struct article_report *r, struct store_stats *st)
{
	struct scan		 sc;
	struct article_opts	 aopts;
	pthread_t		 tids[STORE_THREADS];
	int			 started[STORE_THREADS];
	size_t			 i, nt, n = 0;
	long			 ncpu;
	struct article		*a;
	const char		*m;
	int			 rc = -1;

	memset(&sc, 0, sizeof(sc));
	memset(&aopts, 0, sizeof(aopts));
	aopts.french_spacing = opts->french_spacing;
	aopts.max_size = opts->max_size;
	sc.dirfd = dirfd;
	sc.aopts = &aopts;
	atomic_init(&sc.next, 0);
	atomic_init(&sc.nomem, 0);
	if (list_dir(dirfd, opts->dir, ".txt", r, &sc.names, &sc.nnames) == -1)
		return -1;
	if (sc.nnames > 0 &&
	    ((sc.arts = calloc(sc.nnames, sizeof(*sc.arts))) == NULL ||
	    (sc.msgs = calloc(sc.nnames, sizeof(*sc.msgs))) == NULL)) {
		report(r, 1, "%s:0: out of memory", opts->dir);
		goto done;
	}

	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	nt = ncpu < 1 ? 1 : (size_t)ncpu;
	if (nt > STORE_THREADS)
		nt = STORE_THREADS;
	if (nt > sc.nnames / STORE_MIN_PER_THREAD)
		nt = sc.nnames / STORE_MIN_PER_THREAD;
	if (nt == 0)
		nt = 1;
	for (i = 0; i < nt; i++)
		started[i] = i > 0 &&
		    pthread_create(&tids[i], NULL, scan_run, &sc) == 0;
	scan_run(&sc);
	for (i = 0; i < nt; i++)
		if (started[i])
			pthread_join(tids[i], NULL);

	/* Report in name order; keep what is published. */
	for (i = 0; i < sc.nnames; i++) {
		a = sc.arts[i];
		sc.arts[i] = NULL;
		for (m = sc.msgs[i]; m != NULL && *m != '\0';
		    m += strlen(m) + 1) {
			if (*m == 'W' && st != NULL)
				st->warnings++;
			if (r != NULL && r->fn != NULL)
				r->fn(r->arg, *m == 'E', m + 1);
		}
		free(sc.msgs[i]);
		sc.msgs[i] = NULL;
		if (a == NULL) {
			if (st != NULL)
				st->skipped++;
		} else if (a->draft) {
			if (st != NULL)
				st->drafts++;
			article_free(a);
		} else
			sc.arts[n++] = a;
	}
	if (atomic_load(&sc.nomem)) {
		report(r, 1, "%s:0: out of memory", opts->dir);
		goto done;
	}
	if (n > 0 && (s->list = reallocarray(NULL, n,
	    sizeof(*s->list))) == NULL) {
		report(r, 1, "%s:0: out of memory", opts->dir);
		goto done;
	}
	for (i = 0; i < n; i++)
		s->list[i] = sc.arts[i];
	s->byid = sc.arts;
	s->narticles = n;
	sc.arts = NULL;
	rc = 0;
 done:
	if (sc.arts != NULL)
		for (i = 0; i < sc.nnames; i++)
			article_free(sc.arts[i]);
	free(sc.arts);
	if (sc.msgs != NULL)
		for (i = 0; i < sc.nnames; i++)
			free(sc.msgs[i]);
	free(sc.msgs);
	names_free(sc.names, sc.nnames);
	return rc;
}

/* Group the articles (newest first) by category slug. */
struct catref {
	const struct article	*a;
	size_t			 order;
};

static int
cmp_catref(const void *a, const void *b)
{
	const struct catref	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->a->category_slug, y->a->category_slug)) != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
store_categories(struct store *s)
{
	struct catref		*refs = NULL;
	struct store_category	*c;
	size_t			 i, j, n = 0, ncat = 0;
	int			 rc = -1;

	if (s->narticles == 0)
		return 0;
	if ((refs = reallocarray(NULL, s->narticles, sizeof(*refs))) == NULL)
		return -1;
	for (i = 0; i < s->narticles; i++) {
		if (s->list[i]->category == NULL)
			continue;
		refs[n].a = s->list[i];
		refs[n++].order = i;
	}
	qsort(refs, n, sizeof(*refs), cmp_catref);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(refs[i].a->category_slug,
		    refs[i - 1].a->category_slug) != 0)
			ncat++;
	if (ncat == 0) {
		rc = 0;
		goto done;
	}
	if ((s->categories = calloc(ncat, sizeof(*s->categories))) == NULL)
		goto done;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(refs[j].a->category_slug,
		    refs[i].a->category_slug) == 0; j++)
			continue;
		c = &s->categories[s->ncategories++];
		if ((c->name = strdup(refs[i].a->category)) == NULL ||
		    (c->slug = strdup(refs[i].a->category_slug)) == NULL ||
		    (c->articles = reallocarray(NULL, j - i,
		    sizeof(*c->articles))) == NULL)
			goto done;
		for (c->narticles = 0; c->narticles < j - i; c->narticles++)
			c->articles[c->narticles] = refs[i + c->narticles].a;
	}
	rc = 0;
 done:
	free(refs);
	return rc;
}

/* Months: runs of the newest-first list. */
static int
store_months(struct store *s)
{
	size_t	 i, n = 0;

	for (i = 0; i < s->narticles; i++)
		if (i == 0 || strcmp(s->list[i]->month,
		    s->list[i - 1]->month) != 0)
			n++;
	if (n == 0)
		return 0;
	if ((s->months = calloc(n, sizeof(*s->months))) == NULL)
		return -1;
	for (i = 0; i < s->narticles; i++) {
		if (i == 0 || strcmp(s->list[i]->month,
		    s->list[i - 1]->month) != 0) {
			memcpy(s->months[s->nmonths].month,
			    s->list[i]->month, sizeof(s->months[0].month));
			s->months[s->nmonths].articles = &s->list[i];
			s->nmonths++;
		}
		s->months[s->nmonths - 1].narticles++;
	}
	return 0;
}

static void
page_clear(struct store_page *p)
{
	free(p->name);
	free(p->title);
	free(p->source);
	article_blocks_free(p->blocks, p->nblocks);
}

static int
cmp_page(const void *a, const void *b)
{
	return strcmp(((const struct store_page *)a)->name,
	    ((const struct store_page *)b)->name);
}

/*
 * The static pages: "*.gmi" whose name, without the suffix, is a valid
 * id.  A page that fails is reported and left out; -1 only when memory
 * ran out.
 */
static int
store_load_pages(struct store *s, const struct store_opts *opts,
    const struct article_report *r, struct store_stats *st)
{
	struct article_opts	 aopts;
	struct store_page	*pg;
	struct buf		 clean = BUF_INIT;
	char			**names = NULL, *data = NULL, *id = NULL;
	size_t			 i, n = 0, len;
	int			 dirfd, rc = -1;

	memset(&aopts, 0, sizeof(aopts));
	aopts.french_spacing = opts->french_spacing;
	aopts.max_size = opts->max_size;
	if ((dirfd = open(opts->pages, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		report(r, 1, "%s:0: cannot open the pages folder: %s",
		    opts->pages, strerror(errno));
		return 0;
	}
	if (list_dir(dirfd, opts->pages, ".gmi", r, &names, &n) == -1) {
		close(dirfd);
		return 0;
	}
	if (n > 0 && (s->pages = calloc(n, sizeof(*s->pages))) == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		free(id);
		if ((id = strndup(names[i], strlen(names[i]) - 4)) == NULL)
			goto done;
		if (!article_is_valid_id(id)) {
			report(r, 1, "%s/%s:0: file name refused: a page "
			    "name has only ASCII letters, digits, \"-\", \"_\" "
			    "and \".\"", opts->pages, names[i]);
			continue;
		}
		if (article_read(dirfd, names[i], opts->max_size, r, &data,
		    &len) == -1)
			continue;
		pg = &s->pages[s->npages];
		memset(pg, 0, sizeof(*pg));
		buf_reset(&clean);
		if (text_sanitize(&clean, data, len, TEXT_DROP_BOM |
		    TEXT_KEEP_NL | TEXT_KEEP_TAB, NULL, NULL) == -1 ||
		    (pg->source = buf_detach(&clean, NULL)) == NULL ||
		    (pg->name = strdup(id)) == NULL ||
		    article_parse_body(names[i], data, len, &aopts, r,
		    &pg->blocks, &pg->nblocks, &pg->title) == -1 ||
		    (pg->title == NULL && (pg->title = strdup(id)) == NULL)) {
			page_clear(pg);
			goto done;
		}
		free(data);
		data = NULL;
		s->npages++;
		if (st != NULL)
			st->pages++;
	}
	if (s->npages > 0)
		qsort(s->pages, s->npages, sizeof(*s->pages), cmp_page);
	rc = 0;
 done:
	if (rc == -1)
		report(r, 1, "%s:0: out of memory", opts->pages);
	free(data);
	free(id);
	buf_release(&clean);
	names_free(names, n);
	close(dirfd);
	return rc;
}

static void
store_free(struct store *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->narticles; i++)
		article_free(s->byid[i]);
	free(s->byid);
	free(s->list);
	for (i = 0; i < s->ncategories; i++) {
		free(s->categories[i].name);
		free(s->categories[i].slug);
		free(s->categories[i].articles);
	}
	free(s->categories);
	free(s->months);
	for (i = 0; i < s->npages; i++)
		page_clear(&s->pages[i]);
	free(s->pages);
	search_free(s->index);
	free(s);
}

struct store *
store_open(const struct store_opts *opts, const struct article_report *r,
    struct store_stats *st)
{
	struct store	*s;
	size_t		 i;
	int		 dirfd;

	if (st != NULL)
		memset(st, 0, sizeof(*st));
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		report(r, 1, "%s:0: out of memory", opts->dir);
		return NULL;
	}
	atomic_init(&s->refs, 1);
	if ((dirfd = open(opts->dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		report(r, 1, "%s:0: cannot open the store: %s", opts->dir,
		    strerror(errno));
		free(s);
		return NULL;
	}
	if (store_scan(s, dirfd, opts, r, st) == -1) {
		close(dirfd);
		store_free(s);
		return NULL;
	}
	close(dirfd);
	if (s->narticles > 0) {
		qsort(s->list, s->narticles, sizeof(*s->list), cmp_newest);
		/* In file name order, the ids are nearly always sorted too. */
		for (i = 1; i < s->narticles; i++)
			if (cmp_id(&s->byid[i - 1], &s->byid[i]) > 0)
				break;
		if (i < s->narticles)
			qsort(s->byid, s->narticles, sizeof(*s->byid), cmp_id);
	}
	if (store_categories(s) == -1 || store_months(s) == -1 ||
	    (s->index = search_build(s->list, s->narticles)) == NULL) {
		report(r, 1, "%s:0: out of memory", opts->dir);
		goto fail;
	}
	if (opts->pages != NULL && store_load_pages(s, opts, r, st) == -1)
		goto fail;
	if (st != NULL)
		st->loaded = s->narticles;
	return s;
 fail:
	store_free(s);
	return NULL;
}

struct store *
store_ref(struct store *s)
{
	if (s != NULL)
		atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void
store_unref(struct store *s)
{
	if (s == NULL)
		return;
	/* The last holder must see every other holder's accesses done. */
	if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
		store_free(s);
}

size_t
store_count(const struct store *s)
{
	return s->narticles;
}

const struct article *
store_article_at(const struct store *s, size_t i)
{
	return i < s->narticles ? s->list[i] : NULL;
}

static int
cmp_key_id(const void *key, const void *elem)
{
	return strcmp(key, (*(struct article *const *)elem)->id);
}

const struct article *
store_article_get(const struct store *s, const char *id)
{
	struct article *const	*p;

	if (id == NULL || s->narticles == 0)
		return NULL;
	p = bsearch(id, s->byid, s->narticles, sizeof(*s->byid), cmp_key_id);
	return p != NULL ? *p : NULL;
}

size_t
store_ncategories(const struct store *s)
{
	return s->ncategories;
}

const struct store_category *
store_category_at(const struct store *s, size_t i)
{
	return i < s->ncategories ? &s->categories[i] : NULL;
}

static int
cmp_key_slug(const void *key, const void *elem)
{
	return strcmp(key, ((const struct store_category *)elem)->slug);
}

const struct store_category *
store_category_get(const struct store *s, const char *slug)
{
	if (slug == NULL || s->ncategories == 0)
		return NULL;
	return bsearch(slug, s->categories, s->ncategories,
	    sizeof(*s->categories), cmp_key_slug);
}

size_t
store_nmonths(const struct store *s)
{
	return s->nmonths;
}

const struct store_month *
store_month_at(const struct store *s, size_t i)
{
	return i < s->nmonths ? &s->months[i] : NULL;
}

/* Months are newest first: compare the other way round. */
static int
cmp_key_month(const void *key, const void *elem)
{
	return strcmp(((const struct store_month *)elem)->month, key);
}

const struct store_month *
store_month_get(const struct store *s, const char *month)
{
	if (month == NULL || s->nmonths == 0)
		return NULL;
	return bsearch(month, s->months, s->nmonths, sizeof(*s->months),
	    cmp_key_month);
}

size_t
store_npages(const struct store *s)
{
	return s->npages;
}

const struct store_page *
store_page_at(const struct store *s, size_t i)
{
	return i < s->npages ? &s->pages[i] : NULL;
}

static int
cmp_key_page(const void *key, const void *elem)
{
	return strcmp(key, ((const struct store_page *)elem)->name);
}

const struct store_page *
store_page_get(const struct store *s, const char *name)
{
	if (name == NULL || s->npages == 0)
		return NULL;
	return bsearch(name, s->pages, s->npages, sizeof(*s->pages),
	    cmp_key_page);
}

int
store_search(const struct store *s, const char *query, size_t len,
    const struct article **out, size_t max, size_t *totalp)
{
	size_t	*idx = NULL, total, i, n;

	*totalp = 0;
	if (max > s->narticles)
		max = s->narticles;
	if (max > 0 && (idx = reallocarray(NULL, max, sizeof(*idx))) == NULL)
		return -1;
	if (search_query(s->index, query, len, idx, max, &total) == -1) {
		free(idx);
		return -1;
	}
	n = total < max ? total : max;
	for (i = 0; i < n; i++)
		out[i] = s->list[idx[i]];
	free(idx);
	*totalp = total;
	return 0;
}
