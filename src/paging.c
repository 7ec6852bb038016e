/* griot: pages of a list.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Page numbers read from requests, and the slice of a list each page shows. */

#include "griot-config.h"

#include <string.h>

#include "paging.h"
#include "store.h"

int
paging_parse(const char *s, size_t len, size_t *page)
{
	size_t	 i, n = 0;

	/* No sign, no space, no leading zero: one spelling per page. */
	if (len == 0 || len > PAGING_DIGITS_MAX || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (size_t)(s[i] - '0');
	}
	if (n > PAGING_NUMBER_MAX)
		return -1;
	*page = n;
	return 0;
}

size_t
paging_count(size_t total, size_t per)
{
	if (per == 0)
		per = 1;
	if (total == 0)
		return 1;
	return total / per + (total % per != 0);
}

int
paging_init(struct paging *p, size_t total, size_t per, size_t page)
{
	if (per == 0)
		per = 1;
	p->npages = paging_count(total, per);
	if (page == 0 || page > p->npages)
		return -1;
	p->page = page;
	p->first = (page - 1) * per;
	p->count = total - p->first < per ? total - p->first : per;
	return 0;
}

size_t
paging_size(int page_size)
{
	return page_size > 0 ? (size_t)page_size : PAGING_SIZE_DEFAULT;
}

/* Fill "y" with the year of month "i" and the months after it in it. */
static void
year_from(const struct store *st, size_t i, struct paging_year *y)
{
	const struct store_month	*m = store_month_at(st, i);
	size_t				 n = store_nmonths(st);

	memcpy(y->year, m->month, 4);
	y->year[4] = '\0';
	y->first = i;
	y->nmonths = 0;
	y->narticles = 0;
	for (; i < n; i++) {
		m = store_month_at(st, i);
		if (strncmp(m->month, y->year, 4) != 0)
			break;
		y->nmonths++;
		y->narticles += m->narticles;
	}
}

size_t
paging_nyears(const struct store *st)
{
	size_t	 i, n = 0;

	for (i = 0; i < store_nmonths(st); i++)
		if (i == 0 || strncmp(store_month_at(st, i)->month,
		    store_month_at(st, i - 1)->month, 4) != 0)
			n++;
	return n;
}

int
paging_year_at(const struct store *st, size_t k, struct paging_year *y)
{
	size_t	 i, n = 0;

	for (i = 0; i < store_nmonths(st); i++)
		if (i == 0 || strncmp(store_month_at(st, i)->month,
		    store_month_at(st, i - 1)->month, 4) != 0) {
			if (n++ == k) {
				year_from(st, i, y);
				return 0;
			}
		}
	return -1;
}

int
paging_year_get(const struct store *st, const char *year,
    struct paging_year *y)
{
	size_t	 i;

	if (strlen(year) != 4)
		return -1;
	for (i = 0; i < store_nmonths(st); i++)
		if (strncmp(store_month_at(st, i)->month, year, 4) == 0) {
			year_from(st, i, y);
			return 0;
		}
	return -1;
}
