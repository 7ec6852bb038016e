/* griot: pages of a list.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * How griot cuts a long list (a category, a month, the months of the
 * archive, the categories, search results) into pages, and reads a page
 * number from a URL or a selector: one rule for both protocols, so that
 * page 3 of a category holds the same articles over Gemini and Gopher
 * and in every charset view.
 *
 * Pages are numbered from 1, each holds "per" items of the list in its
 * order (newest first for articles) and the last one the rest.  An empty
 * list has one page, empty.  Page numbers in requests are plain decimal
 * digits without a leading zero, from 1 to PAGING_NUMBER_MAX: "0", "-1",
 * "01", "+2", " 2", "2a" and longer numbers are no page at all.
 */
#ifndef GRIOT_PAGING_H
#define GRIOT_PAGING_H

#include <stddef.h>

struct store;

#define PAGING_NUMBER_MAX	99999999	/* 8 digits */
#define PAGING_DIGITS_MAX	8
#define PAGING_SIZE_DEFAULT	64	/* [capsule] page_size */

/* One page of a list of "total" items. */
struct paging {
	size_t	 page;		/* from 1 */
	size_t	 npages;	/* 1 at least */
	size_t	 first;		/* index of its first item */
	size_t	 count;		/* items on it (0 only for an empty list) */
};

/*
 * Read the page number in the "len" bytes at "s"; 0 and "*page" set, or
 * -1 when they are not a page number as above.
 */
int	 paging_parse(const char *s, size_t len, size_t *page);

/*
 * Page "page" of a list of "total" items, "per" a page (0 is taken as
 * 1).  Returns -1 when the list has no such page (page 0 or past the
 * last one).
 */
int	 paging_init(struct paging *, size_t total, size_t per, size_t page);

/* How many pages a list of "total" items takes, "per" a page. */
size_t	 paging_count(size_t total, size_t per);

/* Items a page: [capsule] page_size, or the default when 0 or less. */
size_t	 paging_size(int page_size);

/*
 * The archive is a tree that stays small at every level: years, the
 * months of a year, the pages of a month.  A year of the store's months
 * (which run newest first, so a year's months are together):
 */
struct paging_year {
	char	 year[5];	/* "2025" */
	size_t	 first;		/* its newest month, for store_month_at() */
	size_t	 nmonths;
	size_t	 narticles;
};

/* Years with articles, newest first; the "i"th of them (0 or -1). */
size_t	 paging_nyears(const struct store *);
int	 paging_year_at(const struct store *, size_t i, struct paging_year *);

/* The year "year" ("2025"): 0, or -1 when it has no article. */
int	 paging_year_get(const struct store *, const char *year,
	    struct paging_year *);

#endif
