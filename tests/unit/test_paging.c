/* griot: unit tests of paging.c.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Page numbers as requests spell them, and the slice each page shows. */

#include "griot-config.h"

#include <stdio.h>
#include <string.h>

#include "paging.h"
#include "tap.h"

static void
test_parse(void)
{
	static const struct {
		const char	*in;
		int		 rc;
		size_t		 page;
	} t[] = {
		{ "1", 0, 1 },
		{ "2", 0, 2 },
		{ "10", 0, 10 },
		{ "99999999", 0, 99999999 },
		{ "100000000", -1, 0 },		/* nine digits */
		{ "18446744073709551617", -1, 0 },
		{ "0", -1, 0 },
		{ "00", -1, 0 },
		{ "01", -1, 0 },
		{ "-1", -1, 0 },
		{ "+2", -1, 0 },
		{ " 2", -1, 0 },
		{ "2 ", -1, 0 },
		{ "2a", -1, 0 },
		{ "abc", -1, 0 },
		{ "1.5", -1, 0 },
		{ "", -1, 0 },
		{ "2.gmi", -1, 0 },
	};
	size_t	 i, page;
	int	 rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		page = 0;
		rc = paging_parse(t[i].in, strlen(t[i].in), &page);
		ok(rc == t[i].rc && (rc == -1 || page == t[i].page),
		    "paging_parse(\"%s\")", t[i].in);
		if (rc != t[i].rc || (rc == 0 && page != t[i].page))
			printf("#    got: %d, %zu\n#   want: %d, %zu\n", rc,
			    page, t[i].rc, t[i].page);
	}
	/* The length counts, not a NUL: "12" read as its first byte. */
	ok(paging_parse("12", 1, &page) == 0 && page == 1,
	    "paging_parse reads only the length given");
}

static void
test_init(void)
{
	static const struct {
		size_t	 total, per, page;
		int	 rc;
		size_t	 npages, first, count;
	} t[] = {
		{ 0, 64, 1, 0, 1, 0, 0 },	/* an empty list: one empty page */
		{ 0, 64, 2, -1, 1, 0, 0 },
		{ 1, 64, 1, 0, 1, 0, 1 },
		{ 64, 64, 1, 0, 1, 0, 64 },
		{ 65, 64, 1, 0, 2, 0, 64 },
		{ 65, 64, 2, 0, 2, 64, 1 },
		{ 65, 64, 3, -1, 2, 0, 0 },
		{ 128, 64, 2, 0, 2, 64, 64 },
		{ 100000, 64, 1563, 0, 1563, 99968, 32 },
		{ 100000, 64, 1564, -1, 1563, 0, 0 },
		{ 10, 64, 0, -1, 1, 0, 0 },
		{ 10, 0, 10, 0, 10, 9, 1 },	/* 0 a page is taken as 1 */
	};
	struct paging	 p;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&p, 0, sizeof(p));
		rc = paging_init(&p, t[i].total, t[i].per, t[i].page);
		ok(rc == t[i].rc && p.npages == t[i].npages &&
		    (rc == -1 || (p.page == t[i].page &&
		    p.first == t[i].first && p.count == t[i].count)),
		    "paging_init(%zu items, %zu a page, page %zu)", t[i].total,
		    t[i].per, t[i].page);
		if (rc != t[i].rc || p.npages != t[i].npages)
			printf("#    got: %d, %zu pages, first %zu, count %zu\n"
			    "#   want: %d, %zu pages, first %zu, count %zu\n",
			    rc, p.npages, p.first, p.count, t[i].rc,
			    t[i].npages, t[i].first, t[i].count);
	}
	is_int((int)paging_size(0), PAGING_SIZE_DEFAULT, "page_size 0: default");
	is_int((int)paging_size(-3), PAGING_SIZE_DEFAULT,
	    "page_size below 0: default");
	is_int((int)paging_size(25), 25, "page_size 25");
}

/* Every item on exactly one page, in order, for many shapes. */
static void
test_cover(void)
{
	struct paging	 p;
	size_t		 total, per, page, next, bad = 0;

	for (total = 0; total < 300; total += 7)
		for (per = 1; per < 70; per += 5) {
			next = 0;
			for (page = 1; paging_init(&p, total, per, page) == 0;
			    page++) {
				if (p.first != next || (p.count == 0 &&
				    total != 0) || p.count > per)
					bad++;
				next = p.first + p.count;
			}
			if (next != total || page - 1 != p.npages)
				bad++;
		}
	is_int((int)bad, 0, "pages cover every list exactly once, in order");
}

int
main(void)
{
	test_parse();
	test_init();
	test_cover();
	return tap_done();
}
