/* griot: fuzz harness of the HTML-to-gemtext conversion.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Any bytes through griot-import's readers, asserting what must always
 * hold of the gemtext they write:
 * - it is valid UTF-8 with LF line ends, no control but TAB, and TAB
 *   only inside preformatted blocks; every block it opens it closes;
 * - outside preformatted blocks no text reads as a markup tag
 *   (html_has_tag());
 * - as the body of an article file it is read back by article_parse()
 *   without a single error or warning, and as many link lines come out
 *   as went in.
 * The first byte picks the reader: 0 html_fragment() (a feed item's
 * content), 1 html_page() (a whole page, the charset from <meta>), 2
 * feed_read() (a feed or a page, every item's body checked), 3 the same
 * as 1 with a Windows-1252 HTTP charset.  A failure to read is fine; it
 * must come with a one-line message.  Without --enable-fuzzing it is
 * linked with replay.c and replays tests/fuzz/corpus/html/ under make
 * check.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "buf.h"
#include "feed.h"
#include "html.h"
#include "text.h"

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

#define BASE	"https://journal.example/2026/02/01/article/"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
no_report(void *arg, int error, const char *msg)
{
	fprintf(stderr, "article_parse %s: %s\n", error ? "error" : "warning",
	    msg);
	(void)arg;
	abort();
}

static void
check_msg(const char *msg)
{
	CHECK(msg[0] != '\0');
	CHECK(strchr(msg, '\n') == NULL && strchr(msg, '\r') == NULL);
	CHECK(text_is_utf8(msg, strlen(msg)));
}

/* One line of header text: UTF-8, no control. */
static void
check_line(const char *s)
{
	const unsigned char	*p;

	if (s == NULL)
		return;
	CHECK(text_is_utf8(s, strlen(s)));
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		CHECK(*p >= 0x20 && *p != 0x7f);
}

static void
check_gemtext(const char *g, size_t len)
{
	struct article_opts	 opts = { 0, 0 };
	struct article_report	 rep = { no_report, NULL };
	struct article		*a;
	struct buf		 file = BUF_INIT;
	const char		*s, *e, *end = g + len;
	size_t			 links = 0, i, got = 0;
	int			 pre = 0;

	CHECK(text_is_utf8(g, len));
	CHECK(len == 0 || g[len - 1] == '\n');
	for (s = g; s < end; s = e + 1) {
		e = memchr(s, '\n', (size_t)(end - s));
		CHECK(e != NULL);
		if (e - s >= 3 && memcmp(s, "```", 3) == 0) {
			pre = !pre;
			continue;
		}
		for (i = 0; i < (size_t)(e - s); i++) {
			unsigned char	 c = (unsigned char)s[i];

			CHECK(c != '\r' && c != 0x7f);
			CHECK(c >= 0x20 || (c == '\t' && pre));
		}
		if (pre)
			continue;
		CHECK(!html_has_tag(s, (size_t)(e - s)));
		if (e - s >= 2 && memcmp(s, "=>", 2) == 0)
			links++;
	}
	CHECK(!pre);

	buf_puts(&file, "Title: Essai\nDate: 2026-02-01 10:00\n\n");
	buf_add(&file, g, len);
	CHECK(!file.failed);
	a = article_parse("fuzz", "fuzz.txt", file.data, file.len, &opts, &rep);
	CHECK(a != NULL);
	for (i = 0; i < a->nblocks; i++)
		got += a->blocks[i].type == BLOCK_LINK;
	CHECK(got == links);
	article_free(a);
	buf_release(&file);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct html_page	 pg;
	struct feed		 f;
	struct buf		 out = BUF_INIT;
	char			 err[FEED_ERR_MAX];
	const char		*d = (const char *)data + 1;
	size_t			 len = size - 1, i;
	int			 mode;

	if (size < 1)
		return 0;
	mode = data[0] & 3;
	err[0] = '\0';
	switch (mode) {
	case 0:
		if (html_fragment(&out, d, len, BASE, err) == -1)
			check_msg(err);
		else
			check_gemtext(out.data ? out.data : "", out.len);
		buf_release(&out);
		break;
	case 1:
	case 3:
		if (html_page(d, len, BASE, mode == 3 ? "windows-1252" : NULL,
		    &pg, err) == -1) {
			check_msg(err);
			break;
		}
		check_line(pg.title);
		check_line(pg.category);
		check_line(pg.url);
		for (i = 0; i < pg.nauthors; i++)
			check_line(pg.authors[i]);
		for (i = 0; i < pg.ntags; i++)
			check_line(pg.tags[i]);
		check_gemtext(pg.body, strlen(pg.body));
		html_page_free(&pg);
		break;
	case 2:
		if (feed_read(&f, d, len, BASE, NULL, err) == -1) {
			check_msg(err);
			break;
		}
		for (i = 0; i < f.nitems; i++) {
			struct feed_item	*it = &f.items[i];

			check_line(it->title);
			check_line(it->what);
			if (it->skip != NULL) {
				check_msg(it->skip);
				continue;
			}
			CHECK(strlen(it->date) == 16);
			check_gemtext(it->body, strlen(it->body));
		}
		feed_free(&f);
		break;
	}
	return 0;
}
