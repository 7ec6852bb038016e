/* griot: folded search index.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * An immutable index over an array of articles (the store's, newest
 * first), built once per snapshot: folded words in a sorted vocabulary,
 * each with the list of articles it occurs in, so that a query word
 * matches every word it is a prefix of.  Used through store_search().
 */
#ifndef GRIOT_SEARCH_H
#define GRIOT_SEARCH_H

#include <stddef.h>
#include <stdint.h>

struct article;
struct search_index;

/* NULL when memory ran out; the articles must outlive the index. */
struct search_index	*search_build(const struct article *const *, size_t);

/*
 * Fold the query into words (at most 8; any bytes accepted), AND them:
 * a word matches every indexed word it begins, except a word of one
 * character, which matches only itself ("l" of "l'objectif").  Fills
 * "out" with up to "max" indexes into the built array, by the number of
 * query words in the title, then in array order (newest first), sets
 * *totalp to how many matched in all and returns 0.  Returns -1 when
 * memory ran out (*totalp is then 0 and "out" undefined): that is not
 * "nothing found", and must not be answered or kept as such.  Safe from
 * many threads at once.
 */
int			 search_query(const struct search_index *,
			    const char *, size_t, size_t *out, size_t max,
			    size_t *totalp);

/*
 * search_query(), leaving out the articles whose bit is set in "exclude"
 * (a bitset over the built array, 64 articles a word; NULL: none), and
 * with the score of each result (the number of query words in its
 * title, the first key of the ranking) in "scores" (NULL: not wanted).
 * The snapshots updated in place of a rebuild use it to join the
 * results of two indexes.
 */
int			 search_query_ex(const struct search_index *,
			    const char *, size_t, const uint64_t *exclude,
			    size_t *out, unsigned int *scores, size_t max,
			    size_t *totalp);
void			 search_free(struct search_index *);

/*
 * For tests: the next "n" queries (from any thread) fail as if memory
 * ran out.  A daemon never calls it.
 */
void			 search_fail_next(int n);

#endif
