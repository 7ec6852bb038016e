/* griot: fuzz harness of the article parser and the search.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Any bytes as an article file, then as a page, then as a search query
 * over the article: never a crash, and the invariants hold: every string
 * is valid UTF-8 without control characters (TAB and LF only inside
 * preformatted text), text XML can carry, free of bidirectional controls
 * and line separators, the date is YYYY-MM-DD, every message is one line.
 */
#include "griot-config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "search.h"
#include "text.h"
#include "invariants.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_str(const char *s, int pre)
{
	const unsigned char	*p;

	if (s == NULL)
		return;
	if (!text_is_utf8(s, strlen(s)) || !text_is_xml(s, strlen(s)) ||
	    fuzz_has_bidi(s, strlen(s)))
		abort();
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && !(pre && (*p == '\t' || *p == '\n'))) ||
		    *p == 0x7f)
			abort();
}

static void
check_msg(void *arg, int error, const char *msg)
{
	(void)arg;
	(void)error;
	if (strchr(msg, '\n') != NULL || strchr(msg, '\r') != NULL ||
	    !text_is_utf8(msg, strlen(msg)))
		abort();
}

static void
check_blocks(const struct block *b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (b[i].text == NULL ||
		    (b[i].type == BLOCK_LINK) != (b[i].url != NULL) ||
		    (b[i].type == BLOCK_PRE) != (b[i].alt != NULL))
			abort();
		check_str(b[i].text, b[i].type == BLOCK_PRE);
		check_str(b[i].url, 0);
		check_str(b[i].alt, 0);
		if (b[i].url != NULL && (b[i].url[0] == '\0' ||
		    strpbrk(b[i].url, " \t") != NULL))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct article_opts	 opts = { 1, 0 };
	struct article_report	 r = { check_msg, NULL };
	const struct article	*list[1];
	struct search_index	*x;
	struct article		*a;
	struct block		*blocks;
	size_t			 i, n, out[4];
	char			*title;

	a = article_parse("fuzz", "fuzz.txt", (const char *)data, size, &opts,
	    &r);
	if (a != NULL) {
		if (a->title == NULL || strlen(a->date) != 10 ||
		    a->date[4] != '-' || a->date[7] != '-' ||
		    strncmp(a->month, a->date, 7) != 0 ||
		    (a->category != NULL) != (a->category_slug != NULL) ||
		    (a->category_slug != NULL && a->category_slug[0] == '\0'))
			abort();
		check_str(a->title, 0);
		check_str(a->category, 0);
		check_str(a->category_slug, 0);
		check_str(a->summary, 0);
		check_str(a->lang, 0);
		for (i = 0; i < a->nauthors; i++)
			check_str(a->authors[i], 0);
		for (i = 0; i < a->ntags; i++)
			check_str(a->tags[i], 0);
		check_blocks(a->blocks, a->nblocks);

		list[0] = a;
		if ((x = search_build(list, 1)) != NULL) {
			if (search_query(x, (const char *)data,
			    size < 256 ? size : 256, out, 4, &n) == -1)
				n = 0;
			if (n > 1 || (n == 1 && out[0] != 0))
				abort();
			search_free(x);
		}
		article_free(a);
	}

	if (article_parse_body("fuzz.gmi", (const char *)data, size, &opts,
	    &r, &blocks, &n, &title) == 0) {
		check_blocks(blocks, n);
		check_str(title, 0);
		article_blocks_free(blocks, n);
		free(title);
	}
	return 0;
}
