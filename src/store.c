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
 *   the folder triggers, reads it whole.  store_update() goes further: a
 *   file whose size, time or inode moved while it was read is not served
 *   as read but read again by the next update.
 *
 * Sharing between snapshots.  An article belongs to no snapshot but to a
 * struct store_art, counted by every snapshot (and every search base)
 * that holds it, so that store_update() makes a snapshot that differs
 * from the last by one file at the cost of that file and of a copy of
 * the lists (pointers), and a reload on SIGHUP, which reads and parses
 * every file, keeps the old copy of each article that came out the same
 * and frees the new one at once (memory stays near one store, not two).
 *
 * The search index of an updated snapshot is the one built over a whole
 * snapshot before (the base, shared), minus the articles gone since
 * ("gone", a bitset over the base), plus a small index built again at
 * each update over the articles added or changed since ("delta"); the
 * two rankings (query words in the title, then newest first) are joined
 * in store_search().  When the delta and the gone grow past
 * opts.delta_max, the update builds a new base over the whole store,
 * from the articles in memory.
 */
#include "griot-config.h"


#include <sys/types.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "article.h"
#include "buf.h"
#include "dirlist.h"
#include "hash.h"
#include "pages.h"
#include "search.h"
#include "store.h"
#include "text.h"

#define STORE_THREADS		4	/* parsing threads, at most */
#define STORE_CHUNK		32	/* files a thread takes at a time */
#define STORE_MIN_PER_THREAD	64	/* fewer files: one thread */

/*
 * Freed memory past this (bytes of article files) is handed back to the
 * system at once (malloc_trim()): the C library would keep it for the
 * next load otherwise, and a freed store is most of the process.
 */
#define STORE_TRIM_BYTES	(8 * 1024 * 1024)

/*
 * How much more the C library's main heap grows than each allocation
 * needs (M_TOP_PAD; its default is 128 KiB).  A load makes millions of
 * small allocations: in 128 KiB steps, the heap's growth and the page
 * faults of the two parsing threads queue on the kernel's lock of the
 * address space, which made a load of 1,000,000 articles take 50 s
 * instead of 28 s (README).  The padding is address space, not memory:
 * pages count once touched.
 */
#define STORE_TOP_PAD		(32 * 1024 * 1024)

/* One article and the count of its holders (snapshots, search bases). */
struct store_art {
	atomic_size_t			 refs;
	struct article			*a;		/* owned */
};

/*
 * The search index built over a whole snapshot, shared by the snapshots
 * updated from it.  It holds its articles (one reference each) so that
 * "list" stays valid for those the later snapshots dropped.
 */
struct store_base {
	atomic_size_t			 refs;
	struct search_index		*index;
	struct store_art		**arts;		/* held, by id */
	const struct article		**list;		/* indexed, newest first */
	size_t				 n;
};

struct store {
	atomic_size_t			 refs;
	struct store_art		**byid;		/* one reference each */
	const struct article		**list;		/* newest first */
	size_t				 narticles;
	struct store_category		*categories;	/* by slug */
	size_t				 ncategories;
	struct store_month		*months;	/* newest first */
	size_t				 nmonths;
	struct pages			*pages;		/* one reference */
	time_t				 changed;	/* store_changed() */
	time_t				 loaded;	/* store_open()'s time */

	struct store_base		*base;		/* one reference */
	uint64_t			*gone;		/* base->n bits; NULL: none */
	size_t				 ngone;
	const struct article		**delta;	/* not in base, newest first */
	size_t				 ndelta;
	struct search_index		*dindex;	/* over "delta" */

	/* What store_update() needs to read the folders again. */
	char				*dir;
	char				*pagesdir;	/* NULL: none */
	struct article_opts		 aopts;
	size_t				 delta_max;
	char				**unsettled;	/* names to read again */
	size_t				 nunsettled;
};

static struct store_art *
art_new(struct article *a)
{
	struct store_art	*sa;

	if ((sa = malloc(sizeof(*sa))) == NULL)
		return NULL;
	atomic_init(&sa->refs, 1);
	sa->a = a;
	return sa;
}

static struct store_art *
art_ref(struct store_art *sa)
{
	atomic_fetch_add_explicit(&sa->refs, 1, memory_order_relaxed);
	return sa;
}

/* Drop a reference; the bytes of the article file freed, 0 if none. */
static size_t
art_unref(struct store_art *sa)
{
	size_t	 size;

	if (sa == NULL || atomic_fetch_sub_explicit(&sa->refs, 1,
	    memory_order_acq_rel) != 1)
		return 0;
	size = sa->a->size;
	article_free(sa->a);
	free(sa);
	return size;
}

static int
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Did the two parses give the same article, field by field? */
static int
is_same_article(const struct article *x, const struct article *y)
{
	size_t	 i;

	if (x->stamp != y->stamp || x->draft != y->draft ||
	    x->size != y->size || x->nauthors != y->nauthors ||
	    x->ntags != y->ntags || x->nblocks != y->nblocks ||
	    strcmp(x->date, y->date) != 0 || strcmp(x->time, y->time) != 0 ||
	    strcmp(x->month, y->month) != 0 || !str_same(x->id, y->id) ||
	    !str_same(x->title, y->title) ||
	    !str_same(x->category, y->category) ||
	    !str_same(x->category_slug, y->category_slug) ||
	    !str_same(x->summary, y->summary) || !str_same(x->lang, y->lang))
		return 0;
	for (i = 0; i < x->nauthors; i++)
		if (!str_same(x->authors[i], y->authors[i]))
			return 0;
	for (i = 0; i < x->ntags; i++)
		if (!str_same(x->tags[i], y->tags[i]))
			return 0;
	for (i = 0; i < x->nblocks; i++)
		if (x->blocks[i].type != y->blocks[i].type ||
		    !str_same(x->blocks[i].text, y->blocks[i].text) ||
		    !str_same(x->blocks[i].url, y->blocks[i].url) ||
		    !str_same(x->blocks[i].alt, y->blocks[i].alt))
			return 0;
	return 1;
}

static int
cmp_key_id(const void *key, const void *elem)
{
	return strcmp(key, (*(struct store_art *const *)elem)->a->id);
}

/* The holder of article "id" in "s", or NULL. */
static struct store_art *
store_art_get(const struct store *s, const char *id)
{
	struct store_art *const	*p;

	if (s == NULL || s->narticles == 0)
		return NULL;
	p = bsearch(id, s->byid, s->narticles, sizeof(*s->byid), cmp_key_id);
	return p != NULL ? *p : NULL;
}

/*
 * "a" as held: the article of "share" when it is the same (then "a" is
 * freed), else a new holder.  NULL when memory ran out ("a" freed).
 */
static struct store_art *
art_take(struct article *a, const struct store *share, atomic_size_t *shared)
{
	struct store_art	*sa;

	if (share != NULL && (sa = store_art_get(share, a->id)) != NULL &&
	    is_same_article(sa->a, a)) {
		article_free(a);
		if (shared != NULL)
			atomic_fetch_add_explicit(shared, 1,
			    memory_order_relaxed);
		return art_ref(sa);
	}
	if ((sa = art_new(a)) == NULL)
		article_free(a);
	return sa;
}

/* Parsing the files, on several threads. */
struct scan {
	int				 dirfd;
	char				**names;
	size_t				 nnames;
	struct article			**arts;		/* NULL: refused */
	struct store_art		**held;		/* published ones */
	char				**msgs;		/* per file */
	atomic_size_t			 next;
	const struct article_opts	*aopts;
	const struct store		*share;
	atomic_size_t			 shared;
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
			/* Here, so that a copy the share has is freed at once. */
			if (sc->arts[i] != NULL && !sc->arts[i]->draft) {
				sc->held[i] = art_take(sc->arts[i], sc->share,
				    &sc->shared);
				sc->arts[i] = NULL;
				if (sc->held[i] == NULL)
					atomic_store(&sc->nomem, 1);
			}
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
	const struct store_art	*x = *(const struct store_art *const *)a;
	const struct store_art	*y = *(const struct store_art *const *)b;

	return strcmp(x->a->id, y->a->id);
}

/* Parse every file of the folder; the published articles go to "s". */
static int
store_scan(struct store *s, int dirfd, const struct store_opts *opts,
    const struct article_report *r, struct store_stats *st)
{
	struct scan		 sc;
	pthread_t		 tids[STORE_THREADS];
	int			 started[STORE_THREADS];
	size_t			 i, nt, n = 0;
	long			 ncpu;
	struct article		*a;
	struct store_art	*sa;
	const char		*m;
	char			 msg[DIRLIST_MSG_MAX];
	int			 rc = -1;

	memset(&sc, 0, sizeof(sc));
	sc.dirfd = dirfd;
	sc.aopts = &s->aopts;
	sc.share = opts->share;
	atomic_init(&sc.next, 0);
	atomic_init(&sc.shared, 0);
	atomic_init(&sc.nomem, 0);
	if (dirlist_read(dirfd, ".txt", &sc.names, &sc.nnames, msg,
	    sizeof(msg)) == -1) {
		report(r, 1, "%s:0: %s", opts->dir, msg);
		return -1;
	}
	if (sc.nnames > 0 &&
	    ((sc.arts = calloc(sc.nnames, sizeof(*sc.arts))) == NULL ||
	    (sc.held = calloc(sc.nnames, sizeof(*sc.held))) == NULL ||
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
		sa = sc.held[i];
		sc.arts[i] = NULL;
		sc.held[i] = NULL;
		for (m = sc.msgs[i]; m != NULL && *m != '\0';
		    m += strlen(m) + 1) {
			if (*m == 'W' && st != NULL)
				st->warnings++;
			if (r != NULL && r->fn != NULL)
				r->fn(r->arg, *m == 'E', m + 1);
		}
		free(sc.msgs[i]);
		sc.msgs[i] = NULL;
		if (st != NULL)
			st->read++;
		if (sa != NULL)
			sc.held[n++] = sa;
		else if (a != NULL) {
			if (st != NULL)
				st->drafts++;
			article_free(a);
		} else if (st != NULL)
			st->skipped++;
	}
	if (st != NULL)
		st->shared = atomic_load(&sc.shared);
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
		s->list[i] = sc.held[i]->a;
	s->byid = sc.held;
	s->narticles = n;
	sc.held = NULL;
	rc = 0;
 done:
	if (sc.arts != NULL)
		for (i = 0; i < sc.nnames; i++)
			article_free(sc.arts[i]);
	free(sc.arts);
	if (sc.held != NULL)
		for (i = 0; i < sc.nnames; i++)
			art_unref(sc.held[i]);
	free(sc.held);
	if (sc.msgs != NULL)
		for (i = 0; i < sc.nnames; i++)
			free(sc.msgs[i]);
	free(sc.msgs);
	dirlist_free(sc.names, sc.nnames);
	return rc;
}

/*
 * "byid" in id order (in file name order, the ids nearly always are
 * already), and "list" newest first, ties in id order.  The sort is of
 * (time, place in id order) pairs, so that it compares integers in one
 * array rather than strings and times inside the articles, each a
 * memory miss in a store of many articles.
 */
struct order_key {
	time_t		 stamp;
	size_t		 rank;
};

static int
cmp_order_key(const void *a, const void *b)
{
	const struct order_key	*x = a, *y = b;

	if (x->stamp != y->stamp)
		return x->stamp > y->stamp ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int
store_order(struct store *s)
{
	struct order_key	*keys;
	size_t			 i;

	if (s->narticles == 0)
		return 0;
	for (i = 1; i < s->narticles; i++)
		if (cmp_id(&s->byid[i - 1], &s->byid[i]) > 0)
			break;
	if (i < s->narticles)
		qsort(s->byid, s->narticles, sizeof(*s->byid), cmp_id);
	if ((keys = reallocarray(NULL, s->narticles, sizeof(*keys))) == NULL)
		return -1;
	for (i = 0; i < s->narticles; i++) {
		keys[i].stamp = s->byid[i]->a->stamp;
		keys[i].rank = i;
	}
	qsort(keys, s->narticles, sizeof(*keys), cmp_order_key);
	for (i = 0; i < s->narticles; i++)
		s->list[i] = s->byid[keys[i].rank]->a;
	free(keys);
	return 0;
}

/* Seconds since *t, which becomes now. */
static double
elapsed(struct timespec *t)
{
	struct timespec	 now;
	double		 d;

	clock_gettime(CLOCK_MONOTONIC, &now);
	d = (double)(now.tv_sec - t->tv_sec) +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e9;
	*t = now;
	return d;
}

/*
 * Group the articles (newest first) by category slug.  Each article's
 * slug is looked up once in a hash table of the slugs met so far, and
 * the articles are then dealt to their categories in list order: a sort
 * of the articles by slug would compare strings inside the articles, a
 * memory miss each, some twenty times per article.  Only the distinct
 * slugs are sorted.
 */
struct catgroup {
	const struct article	*newest;	/* gives the name and the slug */
	uint32_t		 hash;
	size_t			 count;
	size_t			 rank;		/* in slug order */
};

static int
cmp_catgroup(const void *a, const void *b)
{
	const struct catgroup	*x = *(const struct catgroup *const *)a;
	const struct catgroup	*y = *(const struct catgroup *const *)b;

	return strcmp(x->newest->category_slug, y->newest->category_slug);
}

/* Make room for one more group in the table "slot" (entry + 1; 0: free). */
static int
catgroup_reserve(uint32_t **slot, size_t *size, const struct catgroup *g,
    size_t n)
{
	uint32_t	*ns;
	size_t		 nsize, i, j;

	if ((n + 1) * 2 <= *size)
		return 0;
	nsize = *size ? *size * 2 : 64;
	if ((ns = calloc(nsize, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		for (j = g[i].hash & (nsize - 1); ns[j] != 0;
		    j = (j + 1) & (nsize - 1))
			continue;
		ns[j] = (uint32_t)i + 1;
	}
	free(*slot);
	*slot = ns;
	*size = nsize;
	return 0;
}

static int
store_categories(struct store *s)
{
	struct catgroup		*groups = NULL, **bys = NULL;
	struct store_category	*c;
	uint32_t		*slot = NULL, *of = NULL, h;
	size_t			 i, j, k, size = 0, ngroups = 0, capgroups = 0;
	const char		*slug;
	int			 rc = -1;

	if (s->narticles == 0)
		return 0;
	if (s->narticles >= UINT32_MAX ||
	    (of = reallocarray(NULL, s->narticles, sizeof(*of))) == NULL)
		return -1;
	/* of[i]: the group of article i + 1, 0 for none. */
	for (i = 0; i < s->narticles; i++) {
		of[i] = 0;
		if ((slug = s->list[i]->category_slug) == NULL ||
		    s->list[i]->category == NULL)
			continue;
		h = hash_bytes(HASH_SEED, slug, strlen(slug));
		if (catgroup_reserve(&slot, &size, groups, ngroups) == -1)
			goto done;
		for (j = h & (size - 1); slot[j] != 0; j = (j + 1) & (size - 1))
			if (groups[slot[j] - 1].hash == h && strcmp(groups[slot[j]
			    - 1].newest->category_slug, slug) == 0)
				break;
		if (slot[j] == 0) {
			if (array_grow((void **)&groups, &capgroups,
			    ngroups + 1, sizeof(*groups), 16) == -1)
				goto done;
			groups[ngroups].newest = s->list[i];
			groups[ngroups].hash = h;
			groups[ngroups].count = 0;
			slot[j] = (uint32_t)++ngroups;
		}
		groups[slot[j] - 1].count++;
		of[i] = slot[j];
	}
	if (ngroups == 0) {
		rc = 0;
		goto done;
	}
	if ((bys = reallocarray(NULL, ngroups, sizeof(*bys))) == NULL ||
	    (s->categories = calloc(ngroups, sizeof(*s->categories))) == NULL)
		goto done;
	for (k = 0; k < ngroups; k++)
		bys[k] = &groups[k];
	qsort(bys, ngroups, sizeof(*bys), cmp_catgroup);
	for (k = 0; k < ngroups; k++) {
		bys[k]->rank = k;
		c = &s->categories[s->ncategories++];
		if ((c->name = strdup(bys[k]->newest->category)) == NULL ||
		    (c->slug = strdup(bys[k]->newest->category_slug)) == NULL ||
		    (c->articles = reallocarray(NULL, bys[k]->count,
		    sizeof(*c->articles))) == NULL)
			goto done;
	}
	/* Dealt in list order: each category stays newest first. */
	for (i = 0; i < s->narticles; i++) {
		if (of[i] == 0)
			continue;
		c = &s->categories[groups[of[i] - 1].rank];
		c->articles[c->narticles++] = s->list[i];
	}
	rc = 0;
 done:
	free(bys);
	free(groups);
	free(slot);
	free(of);
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

/*
 * Drop a reference; when it was the last, the bytes of the articles it
 * indexed (its index is a fraction of them), else 0.
 */
static size_t
base_unref(struct store_base *b)
{
	size_t	 i, bytes = 0;

	if (b == NULL || atomic_fetch_sub_explicit(&b->refs, 1,
	    memory_order_acq_rel) != 1)
		return 0;
	search_free(b->index);
	for (i = 0; i < b->n; i++) {
		bytes += b->arts[i]->a->size;
		(void)art_unref(b->arts[i]);
	}
	free(b->arts);
	free(b->list);
	free(b);
	return bytes;
}

/* The latest date or modification time of the articles "list[0..n)". */
static time_t
latest(const struct article *const *list, size_t n, time_t t)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (list[i]->stamp > t)
			t = list[i]->stamp;
		if (list[i]->mtime > t)
			t = list[i]->mtime;
	}
	return t;
}

/* The search index over the whole snapshot, its only base. */
static int
store_index(struct store *s)
{
	struct store_base	*b;
	size_t			 i;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	atomic_init(&b->refs, 1);
	if (s->narticles > 0 &&
	    ((b->arts = reallocarray(NULL, s->narticles,
	    sizeof(*b->arts))) == NULL ||
	    (b->list = reallocarray(NULL, s->narticles,
	    sizeof(*b->list))) == NULL))
		goto fail;
	if ((b->index = search_build(s->list, s->narticles)) == NULL)
		goto fail;
	/* "arts" only holds them: in id order. */
	for (i = 0; i < s->narticles; i++)
		b->list[i] = s->list[i];
	for (i = 0; i < s->narticles; i++) {
		b->arts[i] = art_ref(s->byid[i]);
		b->n++;
	}
	s->base = b;
	return 0;
 fail:
	base_unref(b);
	return -1;
}

static void
store_free(struct store *s)
{
	size_t	 i, freed = 0;

	if (s == NULL)
		return;
	for (i = 0; i < s->narticles; i++)
		freed += art_unref(s->byid[i]);
	free(s->byid);
	free(s->list);
	for (i = 0; i < s->ncategories; i++) {
		free(s->categories[i].name);
		free(s->categories[i].slug);
		free(s->categories[i].articles);
	}
	free(s->categories);
	free(s->months);
	pages_unref(s->pages);
	freed += base_unref(s->base);
	free(s->gone);
	free(s->delta);
	search_free(s->dindex);
	free(s->dir);
	free(s->pagesdir);
	dirlist_free(s->unsettled, s->nunsettled);
	free(s);
#ifdef __GLIBC__
	/*
	 * glibc keeps what was freed in its arenas for the next load; a
	 * store is most of the process, so give it back when a snapshot
	 * took many articles or a whole index with it (measured in
	 * README, "The store").
	 */
	if (freed >= STORE_TRIM_BYTES)
		(void)malloc_trim(0);
#endif
}

/* A new, empty snapshot with the options of "opts". */
static struct store *
store_new(const struct store_opts *opts, const struct article_report *r)
{
	struct store	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	atomic_init(&s->refs, 1);
	s->aopts.french_spacing = opts->french_spacing;
	s->aopts.max_size = opts->max_size;
	s->delta_max = opts->delta_max != 0 ? opts->delta_max :
	    STORE_DELTA_MAX;
	if ((s->dir = strdup(opts->dir)) == NULL ||
	    (opts->pages != NULL &&
	    (s->pagesdir = strdup(opts->pages)) == NULL))
		goto nomem;
	return s;
 nomem:
	report(r, 1, "%s:0: out of memory", opts->dir);
	store_free(s);
	return NULL;
}

/* The pages of "opts" into "s" (none when there is no folder). */
static int
store_pages(struct store *s, const struct store_opts *opts,
    const struct article_report *r, struct store_stats *st)
{
	return (s->pages = pages_load(opts, r, st)) == NULL ? -1 : 0;
}

struct store *
store_open(const struct store_opts *opts, const struct article_report *r,
    struct store_stats *st)
{
	struct store	*s;
	struct timespec	 t0;
	int		 dirfd;

	if (st != NULL)
		memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((s = store_new(opts, r)) == NULL)
		return NULL;
	if ((dirfd = open(opts->dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		report(r, 1, "%s:0: cannot open the store: %s", opts->dir,
		    strerror(errno));
		store_free(s);
		return NULL;
	}
	if (store_scan(s, dirfd, opts, r, st) == -1) {
		close(dirfd);
		store_free(s);
		return NULL;
	}
	close(dirfd);
	if (st != NULL)
		st->scan_time = elapsed(&t0);
	if (store_order(s) == -1 || store_categories(s) == -1 ||
	    store_months(s) == -1) {
		report(r, 1, "%s:0: out of memory", opts->dir);
		goto fail;
	}
	s->loaded = time(NULL);
	s->changed = latest(s->list, s->narticles, s->loaded);
	if (st != NULL)
		st->order_time = elapsed(&t0);
	if (store_index(s) == -1) {
		report(r, 1, "%s:0: out of memory", opts->dir);
		goto fail;
	}
	if (st != NULL)
		st->index_time = elapsed(&t0);
	if (store_pages(s, opts, r, st) == -1)
		goto fail;
	if (st != NULL)
		st->loaded = s->narticles;
	return s;
 fail:
	store_free(s);
	return NULL;
}

/*
 * Updating a snapshot (store_update()).
 */

/* What the files read give: holders in, holders out. */
struct change {
	struct store_art	**in;		/* new holders, by id */
	size_t			  nin;
	struct store_art	**out;		/* "old"'s, by address */
	size_t			  nout;
	const struct article	**outa;		/* their articles, by address */
	char			**unsettled;
	size_t			  nunsettled;
};

static void
change_free(struct change *ch)
{
	size_t	 i;

	for (i = 0; i < ch->nin; i++)
		art_unref(ch->in[i]);
	free(ch->in);
	free(ch->out);
	free(ch->outa);
	dirlist_free(ch->unsettled, ch->nunsettled);
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t	 x = (uintptr_t)*(const void *const *)a;
	uintptr_t	 y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

static int
has_ptr(const void *p, const void *set, size_t n)
{
	return n > 0 && bsearch(&p, set, n, sizeof(void *), cmp_ptr) != NULL;
}

int
store_is_article_name(const char *name)
{
	return dirlist_is_listed(name, ".txt") &&
	    strchr(name, '/') == NULL;
}

/* The identity of a file, to see whether it moved while it was read. */
static int
is_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * Read the file "name" again: into ch->in when it is published (unless
 * it parses to the article "old" has), its old holder into ch->out when
 * it was and is no more or changed.  -1 when memory ran out.
 */
static int
change_read(struct change *ch, const struct store *old, int dirfd,
    const char *name, const struct article_report *r, struct store_stats *st)
{
	struct stat		 before, after;
	struct article		*a = NULL;
	struct store_art	*prev, *sa;
	char			 id[ARTICLE_ID_MAX], *dup;
	size_t			 len = strlen(name) - 4;

	if (len >= sizeof(id))
		return 0;		/* never an article */
	memcpy(id, name, len);
	id[len] = '\0';
	prev = store_art_get(old, id);
	if (fstatat(dirfd, name, &before, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno != ENOENT && errno != ENOTDIR) {
			report(r, 1, "%s/%s:0: cannot read: %s", old->dir,
			    name, strerror(errno));
			if (st != NULL)
				st->skipped++;
		}
		goto gone;
	}
	if (st != NULL)
		st->read++;
	errno = 0;
	a = article_load(dirfd, name, &old->aopts, r);
	if (a == NULL && errno == ENOMEM)
		return -1;
	/*
	 * A writer still at it: serve neither half of the file nor nothing;
	 * keep what was served and read it again at the next update.
	 */
	if (fstatat(dirfd, name, &after, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !is_same_file(&before, &after)) {
		article_free(a);
		if (st != NULL)
			st->unsettled++;
		if ((dup = strdup(name)) == NULL)
			return -1;
		ch->unsettled[ch->nunsettled++] = dup;
		return 0;
	}
	if (a == NULL) {
		if (st != NULL)
			st->skipped++;
		goto gone;
	}
	if (a->draft) {
		if (st != NULL)
			st->drafts++;
		article_free(a);
		goto gone;
	}
	if (prev != NULL && is_same_article(prev->a, a)) {
		article_free(a);
		return 0;
	}
	if ((sa = art_new(a)) == NULL) {
		article_free(a);
		return -1;
	}
	ch->in[ch->nin++] = sa;
 gone:
	if (prev != NULL)
		ch->out[ch->nout++] = prev;
	return 0;
}

/*
 * "dst" = "src" (n, sorted by "cmp") without the articles of "outa",
 * merged with "add" (nadd, sorted the same way).  Returns the count.
 */
static size_t
merge_list(const struct article **dst, const struct article *const *src,
    size_t n, const struct article **outa, size_t nout,
    const struct article *const *add, size_t nadd)
{
	size_t	 i = 0, j = 0, k = 0;

	while (i < n || j < nadd) {
		if (i < n && has_ptr(src[i], outa, nout)) {
			i++;
			continue;
		}
		if (j == nadd || (i < n && cmp_newest(&src[i], &add[j]) < 0))
			dst[k++] = src[i++];
		else
			dst[k++] = add[j++];
	}
	return k;
}

/* By slug, then newest first: the articles added, grouped by category. */
static int
cmp_slug_newest(const void *a, const void *b)
{
	const struct article	*x = *(const struct article *const *)a;
	const struct article	*y = *(const struct article *const *)b;
	int			 c;

	if ((c = strcmp(x->category_slug, y->category_slug)) != 0)
		return c;
	return cmp_newest(a, b);
}

/*
 * The categories of "s" from those of "old": each one's articles without
 * those gone, merged with those added.  "add": the articles added that
 * have a category, by slug then newest first.
 */
static int
update_categories(struct store *s, const struct store *old,
    const struct change *ch, const struct article **add, size_t nadd)
{
	const struct store_category	*oc;
	struct store_category		*c;
	const struct article *const	*src;
	size_t				 i = 0, j = 0, k, n, cap;
	const char			*slug;
	int				 cmp;

	cap = old->ncategories + nadd;
	if (cap == 0)
		return 0;
	if ((s->categories = calloc(cap, sizeof(*s->categories))) == NULL)
		return -1;
	while (i < old->ncategories || j < nadd) {
		oc = i < old->ncategories ? &old->categories[i] : NULL;
		if (oc == NULL)
			cmp = 1;
		else if (j == nadd)
			cmp = -1;
		else
			cmp = strcmp(oc->slug, add[j]->category_slug);
		slug = cmp <= 0 ? oc->slug : add[j]->category_slug;
		for (k = j; cmp >= 0 && k < nadd &&
		    strcmp(add[k]->category_slug, slug) == 0; k++)
			continue;
		if (cmp < 0)
			k = j;
		src = oc != NULL && cmp <= 0 ? oc->articles : NULL;
		n = oc != NULL && cmp <= 0 ? oc->narticles : 0;
		c = &s->categories[s->ncategories];
		if ((c->articles = reallocarray(NULL, n + (k - j) + 1,
		    sizeof(*c->articles))) == NULL)
			return -1;
		c->narticles = merge_list(c->articles, src, n, ch->outa,
		    ch->nout, add + j, k - j);
		if (cmp <= 0)
			i++;
		j = k;
		if (c->narticles == 0) {
			free(c->articles);
			c->articles = NULL;
			continue;
		}
		s->ncategories++;
		/* Named as in its newest article. */
		if ((c->name = strdup(c->articles[0]->category)) == NULL ||
		    (c->slug = strdup(slug)) == NULL)
			return -1;
	}
	return 0;
}

/*
 * The search of "s": the base of "old" with what changed since, or a
 * new base when too much did.
 */
static int
update_index(struct store *s, const struct store *old,
    const struct change *ch, const struct article *const *add, size_t nadd)
{
	const struct store_base	*b = old->base;
	const struct article	**p;
	size_t			 nw, i, lo, hi, mid;
	int			 c;

	if (old->ndelta + nadd + old->ngone + ch->nout > s->delta_max)
		return store_index(s);
	nw = (b->n + 63) / 64;
	if (nw > 0 && (s->gone = calloc(nw, sizeof(*s->gone))) == NULL)
		return -1;
	if (old->gone != NULL)
		memcpy(s->gone, old->gone, nw * sizeof(*s->gone));
	s->ngone = old->ngone;
	/* An article gone from the base: found by its place in its order. */
	for (i = 0; i < ch->nout; i++) {
		lo = 0;
		hi = b->n;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = cmp_newest(&b->list[mid], &ch->outa[i]);
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < b->n && b->list[lo] == ch->outa[i] &&
		    !(s->gone[lo / 64] & (uint64_t)1 << (lo % 64))) {
			s->gone[lo / 64] |= (uint64_t)1 << (lo % 64);
			s->ngone++;
		}
	}
	if ((p = reallocarray(NULL, old->ndelta + nadd + 1,
	    sizeof(*p))) == NULL)
		return -1;
	s->delta = p;
	s->ndelta = merge_list(p, old->delta, old->ndelta, ch->outa, ch->nout,
	    add, nadd);
	if (s->ndelta > 0 &&
	    (s->dindex = search_build(s->delta, s->ndelta)) == NULL)
		return -1;
	s->base = old->base;
	atomic_fetch_add_explicit(&s->base->refs, 1, memory_order_relaxed);
	return 0;
}

/* The names to read: "names" that are articles and "old"'s unsettled. */
static int
update_names(const struct store *old, const char *const *names,
    size_t nnames, char ***listp, size_t *np)
{
	char	**list;
	size_t	 i, n = 0;

	*listp = NULL;
	*np = 0;
	if ((list = reallocarray(NULL, nnames + old->nunsettled + 1,
	    sizeof(*list))) == NULL)
		return -1;
	for (i = 0; i < nnames + old->nunsettled; i++) {
		const char *name = i < nnames ? names[i] :
		    old->unsettled[i - nnames];

		if (!store_is_article_name(name))
			continue;
		if ((list[n] = strdup(name)) == NULL) {
			dirlist_free(list, n);
			return -1;
		}
		n++;
	}
	if (n > 0)
		dirlist_sort(list, n);
	/* Once each: a name may come from both. */
	for (i = 1; i < n;) {
		if (strcmp(list[i], list[i - 1]) == 0) {
			free(list[i]);
			memmove(&list[i], &list[i + 1], (n - i - 1) *
			    sizeof(*list));
			n--;
		} else
			i++;
	}
	*listp = list;
	*np = n;
	return 0;
}

struct store *
store_update(const struct store *old, const char *const *names,
    size_t nnames, int pages, const struct article_report *r,
    struct store_stats *st)
{
	struct store_opts	 opts;
	struct change		 ch;
	struct store		*s = NULL;
	const struct article	**add = NULL, **cat = NULL;
	char			**list = NULL;
	size_t			 nlist = 0, i, j, k, ncat = 0;
	int			 dirfd = -1;

	memset(&ch, 0, sizeof(ch));
	if (st != NULL)
		memset(st, 0, sizeof(*st));
	memset(&opts, 0, sizeof(opts));
	opts.dir = old->dir;
	opts.pages = old->pagesdir;
	opts.french_spacing = old->aopts.french_spacing;
	opts.max_size = old->aopts.max_size;
	opts.delta_max = old->delta_max;
	if ((s = store_new(&opts, r)) == NULL)
		return NULL;
	if (update_names(old, names, nnames, &list, &nlist) == -1)
		goto nomem;
	if (nlist > 0 && ((ch.in = calloc(nlist, sizeof(*ch.in))) == NULL ||
	    (ch.out = calloc(nlist, sizeof(*ch.out))) == NULL ||
	    (ch.outa = calloc(nlist, sizeof(*ch.outa))) == NULL ||
	    (ch.unsettled = calloc(nlist, sizeof(*ch.unsettled))) == NULL))
		goto nomem;
	if (nlist > 0 && (dirfd = open(old->dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		report(r, 1, "%s:0: cannot open the store: %s", old->dir,
		    strerror(errno));
		goto fail;
	}
	for (i = 0; i < nlist; i++)
		if (change_read(&ch, old, dirfd, list[i], r, st) == -1)
			goto nomem;
	if (dirfd != -1)
		close(dirfd);
	dirfd = -1;
	s->unsettled = ch.unsettled;
	s->nunsettled = ch.nunsettled;
	ch.unsettled = NULL;
	ch.nunsettled = 0;
	for (i = 0; i < ch.nout; i++)
		ch.outa[i] = ch.out[i]->a;
	if (ch.nout > 0) {
		qsort(ch.out, ch.nout, sizeof(*ch.out), cmp_ptr);
		qsort(ch.outa, ch.nout, sizeof(*ch.outa), cmp_ptr);
	}

	/* By id: the holders of "old" less those out, and those in. */
	if (ch.nin > 0)
		qsort(ch.in, ch.nin, sizeof(*ch.in), cmp_id);
	k = old->narticles + ch.nin;
	if (k > 0 && ((s->byid = reallocarray(NULL, k,
	    sizeof(*s->byid))) == NULL ||
	    (s->list = reallocarray(NULL, k, sizeof(*s->list))) == NULL ||
	    (add = reallocarray(NULL, ch.nin + 1, sizeof(*add))) == NULL ||
	    (cat = reallocarray(NULL, ch.nin + 1, sizeof(*cat))) == NULL))
		goto nomem;
	for (i = j = 0; i < old->narticles || j < ch.nin;) {
		if (i < old->narticles && has_ptr(old->byid[i], ch.out,
		    ch.nout)) {
			i++;
			continue;
		}
		if (j == ch.nin || (i < old->narticles &&
		    cmp_id(&old->byid[i], &ch.in[j]) < 0))
			s->byid[s->narticles++] = art_ref(old->byid[i++]);
		else
			s->byid[s->narticles++] = art_ref(ch.in[j++]);
	}

	/* Newest first: the list of "old" less those out, and those in. */
	for (i = 0; i < ch.nin; i++) {
		add[i] = ch.in[i]->a;
		if (add[i]->category_slug != NULL)
			cat[ncat++] = add[i];
	}
	if (ch.nin > 0)
		qsort(add, ch.nin, sizeof(*add), cmp_newest);
	if (ncat > 0)
		qsort(cat, ncat, sizeof(*cat), cmp_slug_newest);
	k = merge_list(s->list, old->list, old->narticles, ch.outa, ch.nout,
	    add, ch.nin);
	if (k != s->narticles) {
		report(r, 1, "%s:0: store update: %zu articles by id, %zu by "
		    "date", old->dir, s->narticles, k);
		goto fail;
	}
	/*
	 * A removal changes the lists too, at no file's time: the update's
	 * own time stands for any change.
	 */
	s->loaded = old->loaded;
	s->changed = latest(add, ch.nin, old->changed);
	if (time(NULL) > s->changed)
		s->changed = time(NULL);
	if (update_categories(s, old, &ch, cat, ncat) == -1 ||
	    store_months(s) == -1 ||
	    update_index(s, old, &ch, add, ch.nin) == -1)
		goto nomem;
	if (pages) {
		if (store_pages(s, &opts, r, st) == -1)
			goto fail;
	} else {
		s->pages = pages_ref(old->pages);
	}
	if (st != NULL)
		st->loaded = s->narticles;
	free(add);
	free(cat);
	dirlist_free(list, nlist);
	change_free(&ch);
	return s;
 nomem:
	report(r, 1, "%s:0: out of memory", old->dir);
 fail:
	if (dirfd != -1)
		close(dirfd);
	free(add);
	free(cat);
	dirlist_free(list, nlist);
	change_free(&ch);
	store_free(s);
	return NULL;
}

size_t
store_nunsettled(const struct store *s)
{
	return s->nunsettled;
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

void
store_tune_malloc(void)
{
	(void)mallopt(M_TOP_PAD, STORE_TOP_PAD);
}

time_t
store_changed(const struct store *s)
{
	return s->changed;
}

time_t
store_loaded(const struct store *s)
{
	return s->loaded;
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

const struct article *
store_article_get(const struct store *s, const char *id)
{
	struct store_art	*sa;

	if (id == NULL || (sa = store_art_get(s, id)) == NULL)
		return NULL;
	return sa->a;
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
	return pages_count(s->pages);
}

const struct store_page *
store_page_at(const struct store *s, size_t i)
{
	return pages_at(s->pages, i);
}

const struct store_page *
store_page_get(const struct store *s, const char *name)
{
	return pages_get(s->pages, name);
}

/*
 * The base's matches (less those gone) and the delta's, each ranked by
 * score then newest first, joined the same way: the ranking a new index
 * over the whole snapshot would give.
 */
int
store_search(const struct store *s, const char *query, size_t len,
    const struct article **out, size_t max, size_t *totalp)
{
	const struct store_base	*b = s->base;
	size_t			*bi = NULL, *di = NULL, tb = 0, td = 0, nb, nd;
	size_t			 i = 0, j = 0, k = 0;
	unsigned int		*bs = NULL, *ds = NULL;
	const struct article	*x, *y;
	int			 rv = -1;

	*totalp = 0;
	if (max > s->narticles)
		max = s->narticles;
	if (max > 0 && ((bi = reallocarray(NULL, max, sizeof(*bi))) == NULL ||
	    (di = reallocarray(NULL, max, sizeof(*di))) == NULL ||
	    (bs = reallocarray(NULL, max, sizeof(*bs))) == NULL ||
	    (ds = reallocarray(NULL, max, sizeof(*ds))) == NULL))
		goto done;
	if (search_query_ex(b->index, query, len, s->gone, bi, bs, max,
	    &tb) == -1 || (s->dindex != NULL && search_query_ex(s->dindex,
	    query, len, NULL, di, ds, max, &td) == -1))
		goto done;
	nb = tb < max ? tb : max;
	nd = td < max ? td : max;
	while (k < max && (i < nb || j < nd)) {
		if (j == nd)
			out[k++] = b->list[bi[i++]];
		else if (i == nb)
			out[k++] = s->delta[di[j++]];
		else {
			x = b->list[bi[i]];
			y = s->delta[di[j]];
			if (bs[i] > ds[j] || (bs[i] == ds[j] &&
			    cmp_newest(&x, &y) < 0)) {
				out[k++] = x;
				i++;
			} else {
				out[k++] = y;
				j++;
			}
		}
	}
	*totalp = tb + td;
	rv = 0;
 done:
	free(bi);
	free(di);
	free(bs);
	free(ds);
	return rv;
}
