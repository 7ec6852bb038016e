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

struct search_index	*search_build(const struct article *const *, size_t);
size_t			 search_query(const struct search_index *,
			    const char *, size_t, size_t *, size_t);
void			 search_free(struct search_index *);

#endif
