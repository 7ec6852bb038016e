/* griot: the store snapshot.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A snapshot of the article store and the static pages: built once by
 * store_open(), never changed afterwards, shared read-only by every worker
 * thread, freed when the last reference is dropped.  Everything a
 * struct store hands out (articles, categories, months, pages) is owned by
 * it and valid while the caller holds a reference.
 */
#ifndef GRIOT_STORE_H
#define GRIOT_STORE_H

#include <stddef.h>

#include "article.h"

struct store;
struct search_index;

/*
 * Names that give the same slug ("Société", "societe") are one category,
 * named as in its newest article.
 */
struct store_category {
	char			 *name;		/* as written in the articles */
	char			 *slug;		/* ASCII, unique in the store */
	const struct article	**articles;	/* newest first */
	size_t			  narticles;
};

struct store_month {
	char			  month[8];	/* "YYYY-MM" */
	const struct article	**articles;	/* newest first */
	size_t			  narticles;
};

struct store_page {
	char		*name;		/* file name without ".gmi" */
	char		*title;		/* first "# " heading, or the name */
	char		*source;	/* the gemtext as read (sanitised) */
	struct block	*blocks;
	size_t		 nblocks;
};

struct store_opts {
	const char	*dir;		/* articles folder */
	const char	*pages;		/* static pages folder, may be NULL */
	int		 french_spacing;
	size_t		 max_size;	/* per article file; 0: default */
	/*
	 * A snapshot whose articles the new one takes over, instead of
	 * its own copy, where a file parses to the same article (NULL:
	 * none).  Only read; the caller holds it during store_open().
	 */
	const struct store	*share;
	/*
	 * store_update() rebuilds the search index of the whole store
	 * when more than this many articles were added, changed or
	 * removed since it was last built (0: STORE_DELTA_MAX).
	 */
	size_t		 delta_max;
};

#define STORE_DELTA_MAX		512

struct store_stats {
	size_t	 loaded;	/* articles published */
	size_t	 drafts;	/* valid but not published */
	size_t	 skipped;	/* refused files */
	size_t	 warnings;
	size_t	 pages;
	size_t	 read;		/* article files read */
	size_t	 shared;	/* articles taken over from another snapshot */
	size_t	 unsettled;	/* files that changed while read */
	/* store_open() only: seconds of each step (wall clock). */
	double	 scan_time;	/* listing, reading, parsing the files */
	double	 order_time;	/* sorting, categories, months */
	double	 index_time;	/* the search index */
};

/*
 * Scan the store.  Each refused file and each warning goes through the
 * report (which may be NULL); refused files are left out, all others
 * served.  Returns NULL only when the folder itself cannot be read or
 * memory ran out (reported too).  The new snapshot holds one reference.
 */
struct store	*store_open(const struct store_opts *,
		    const struct article_report *, struct store_stats *);

/*
 * The snapshot "old" with the article files "names" (names in the store
 * folder, as inotify gives them; those that are no article files are
 * ignored) read again, and the static pages too when "pages" is 1: a
 * name whose file is gone, refused or a draft is no longer served; any
 * other is added or replaced.  Every other article is the very one of
 * "old" (shared, not copied), and the lists and the search index are
 * updated from it without reading another file.  A file that changed
 * while it was read (a writer still at it) keeps its state in "old" and
 * is read again by the next update (see store_nunsettled()).  Only the
 * files read are counted in "st", except "loaded", the articles
 * published.  NULL when memory ran out (reported); "old" is untouched.
 * The options of "old" are used; a new folder needs store_open().
 */
struct store	*store_update(const struct store *old, const char *const *names,
		    size_t nnames, int pages, const struct article_report *,
		    struct store_stats *);

/* Files that changed while they were read, to update again soon. */
size_t		 store_nunsettled(const struct store *);

/* Is "name" one the store reads as an article file: "*.txt", not hidden? */
int		 store_is_article_name(const char *);

struct store	*store_ref(struct store *);
void		 store_unref(struct store *);	/* NULL is fine */

/*
 * Process-wide, once at start-up before any thread: let the C library
 * grow its heap in large steps, which a load of many articles needs
 * (store.c, STORE_TOP_PAD).
 */
void			 store_tune_malloc(void);

/*
 * When the snapshot last changed, as far as it can tell: the time of
 * its full load (store_open(): start-up or SIGHUP, after which the ini
 * may differ too), of its latest update (store_update(): articles new,
 * changed or removed), or a later publication date or file time of one
 * of its articles.  Never earlier than store_loaded().
 */
time_t			 store_changed(const struct store *);
/* The time of the full load the snapshot comes from (store_open()). */
time_t			 store_loaded(const struct store *);

/* Published articles, newest first (ties: id ascending). */
size_t			 store_count(const struct store *);
const struct article	*store_article_at(const struct store *, size_t);
const struct article	*store_article_get(const struct store *, const char *id);

/* Categories by slug ascending; months newest first. */
size_t				 store_ncategories(const struct store *);
const struct store_category	*store_category_at(const struct store *, size_t);
const struct store_category	*store_category_get(const struct store *,
				    const char *slug);
size_t				 store_nmonths(const struct store *);
const struct store_month	*store_month_at(const struct store *, size_t);
const struct store_month	*store_month_get(const struct store *,
				    const char *month);

/* Static pages, by name ascending. */
size_t			 store_npages(const struct store *);
const struct store_page	*store_page_at(const struct store *, size_t);
const struct store_page	*store_page_get(const struct store *, const char *);

/*
 * Search: "query" is raw UTF-8 as the reader typed it (any bytes; it is
 * sanitised and folded here).  Every query word must match the prefix of
 * some word of the article (title, summary, tags, category, authors,
 * body); title matches rank first, then newer first.  Fills up to "max"
 * articles, sets *totalp to how many matched in all (may exceed "max")
 * and returns 0; returns -1 when memory ran out, which the caller must
 * answer as a temporary failure, never as "nothing found".  See
 * search_query() for the details.
 */
int	 store_search(const struct store *, const char *query, size_t len,
	    const struct article **, size_t max, size_t *totalp);

#endif
