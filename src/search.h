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

struct article;
struct search_index;

/* NULL when memory ran out; the articles must outlive the index. */
struct search_index	*search_build(const struct article *const *, size_t);

/*
 * Fold the query into words (at most 8; any bytes accepted), AND them:
 * a word matches every indexed word it begins, except a word of one
 * character, which matches only itself ("l" of "l'objectif").  Fills
 * "out" with up to "max" indexes into the built array, by the number of
 * query words in the title, then in array order (newest first), and
 * returns how many matched in all.  Safe from many threads at once.
 */
size_t			 search_query(const struct search_index *,
			    const char *, size_t, size_t *out, size_t max);
void			 search_free(struct search_index *);

#endif
