/* griot: the static pages.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The pages of a store snapshot, as one immutable, reference-counted set
 * that store.c shares between the snapshots made while the pages folder
 * did not change.  The set owns its struct store_page entries (store.h);
 * what it hands out is valid while a reference is held.
 */
#ifndef GRIOT_PAGES_H
#define GRIOT_PAGES_H

#include <stddef.h>

struct article_report;
struct pages;
struct store_opts;
struct store_page;
struct store_stats;

/*
 * Read opts->pages (none when NULL): every "*.gmi" whose name, without
 * the suffix, is a valid id.  A page that fails is reported and left
 * out; a folder that cannot be read is reported and gives no pages.
 * Returns a set holding one reference, or NULL when memory ran out
 * (reported).
 */
struct pages		*pages_load(const struct store_opts *,
			    const struct article_report *, struct store_stats *);
struct pages		*pages_ref(struct pages *);
void			 pages_unref(struct pages *);	/* NULL is fine */

/* By name ascending. */
size_t			 pages_count(const struct pages *);
const struct store_page	*pages_at(const struct pages *, size_t);
const struct store_page	*pages_get(const struct pages *, const char *name);

#endif
