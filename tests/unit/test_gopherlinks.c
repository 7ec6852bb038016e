/* griot: unit tests of the links menu.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * gopherlinks_parse() on gopher:// URLs (RFC 4266), gopherlinks_item()
 * on each kind of link, and gopherlinks_menu() on an article built by
 * hand with thousands of links: items, pages, the 16 KiB bound.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "article.h"
#include "buf.h"
#include "config.h"
#include "gophermap.h"
#include "gopherlinks.h"
#include "text.h"

static void
conf_init(struct conf *c, const char *lang)
{
	memset(c, 0, sizeof(*c));
	c->name = (char *)(uintptr_t)"Griot";
	c->hostname = (char *)(uintptr_t)"griot.example";
	c->lang = (char *)(uintptr_t)lang;
	c->french_spacing = strcmp(lang, "fr") == 0;
	c->gopher_enabled = 1;
	c->gopher_port = 7070;
	c->gopher_public_port = 70;
	c->width = 67;
	c->charset = TEXT_UTF8;
}

static void
test_parse(void)
{
	static const struct {
		const char	*url;
		int		 rc;
		const char	*host;
		int		 port;
		int		 type;
		const char	*sel;
	} t[] = {
		{ "gopher://exemple.tg/1/", 0, "exemple.tg", 70, '1', "/" },
		{ "gopher://exemple.tg", 0, "exemple.tg", 70, '1', "" },
		{ "gopher://exemple.tg/", 0, "exemple.tg", 70, '1', "" },
		{ "GOPHER://Exemple.TG:7070/0/a/b.txt", 0, "Exemple.TG", 7070,
		    '0', "/a/b.txt" },
		{ "gopher://exemple.tg:/0/x", 0, "exemple.tg", 70, '0', "/x" },
		{ "gopher://[::1]:7071/1/links/a", 0, "::1", 7071, '1',
		    "/links/a" },
		{ "gopher://exemple.tg/0/caf%C3%A9", -1, NULL, 0, 0, NULL },
		{ "gopher://exemple.tg/0/a%2Fb%7e", 0, "exemple.tg", 70, '0',
		    "/a/b~" },
		{ "gopher://exemple.tg/7/search%09mots", -1, NULL, 0, 0, NULL },
		{ "gopher://exemple.tg/0/un%20espace", -1, NULL, 0, 0, NULL },
		{ "gopher://exemple.tg/0/nul%00", -1, NULL, 0, 0, NULL },
		{ "gopher://exemple.tg:0/", -1, NULL, 0, 0, NULL },
		{ "gopher://exemple.tg:65536/", -1, NULL, 0, 0, NULL },
		{ "gopher://exemple.tg:99999999999999999999/", -1, NULL, 0, 0,
		    NULL },
		{ "gopher://exemple.tg:7x/", -1, NULL, 0, 0, NULL },
		{ "gopher://exemple.tg?q", -1, NULL, 0, 0, NULL },
		{ "gopher://exemple.tg#f", -1, NULL, 0, 0, NULL },
		{ "gopher:///0/x", -1, NULL, 0, 0, NULL },
		{ "gopher://[::1/0/x", -1, NULL, 0, 0, NULL },
		{ "gopher://h\xC3\xB4te.tg/", -1, NULL, 0, 0, NULL },
		{ "http://exemple.tg/", -1, NULL, 0, 0, NULL },
	};
	struct gopherlinks_target	 g;
	size_t				 i;
	int				 rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&g, 0, sizeof(g));
		rc = gopherlinks_parse(t[i].url, &g);
		is_int(rc, t[i].rc, t[i].url);
		if (rc != 0 || t[i].rc != 0)
			continue;
		is_str(g.host, t[i].host, t[i].url, "host");
		is_int(g.port, t[i].port, "port");
		is_int(g.type, t[i].type, "type");
		is_str(g.selector, t[i].sel, t[i].url, "selector");
	}
	/* A selector as long as a menu line takes, and one byte longer. */
	{
		char	 url[600];
		int	 n;

		n = snprintf(url, sizeof(url), "gopher://h/0%0*d", 255, 0);
		ok(n > 0 && gopherlinks_parse(url, &g) == 0 &&
		    strlen(g.selector) == 255, "255-byte selector");
		n = snprintf(url, sizeof(url), "gopher://h/0%0*d", 256, 0);
		ok(n > 0 && gopherlinks_parse(url, &g) == -1,
		    "256-byte selector refused");
	}
}

static void
test_item(void)
{
	static const struct {
		const char	*label;
		const char	*url;
		const char	*want;
	} t[] = {
		{ "Le site", "https://exemple.tg/a?b=1&c=2",
		    "hLe site\tURL:https://exemple.tg/a?b=1&c=2\tgriot.example"
		    "\t70\r\n" },
		{ "", "http://exemple.tg/",
		    "hhttp://exemple.tg/\tURL:http://exemple.tg/\tgriot.example"
		    "\t70\r\n" },
		{ "Gemini", "gemini://exemple.tg/",
		    "hGemini\tURL:gemini://exemple.tg/\tgriot.example\t70\r\n" },
		/* Another server's item, its type and decoded selector. */
		{ "Texte", "gopher://autre.tg:7070/0/a%20b",
		    "iTexte\t\tgriot.example\t70\r\n"
		    "igopher://autre.tg:7070/0/a%20b\t\tgriot.example\t70\r\n" },
		{ "Texte", "gopher://autre.tg:7070/0/a%2Db.txt",
		    "0Texte\t/a-b.txt\tautre.tg\t7070\r\n" },
		{ "Menu", "gopher://autre.tg",
		    "1Menu\t\tautre.tg\t70\r\n" },
		/* Non-ASCII: percent-encoded, then an item. */
		{ "Caf\xC3\xA9", "https://exemple.tg/caf\xC3\xA9",
		    "hCaf\xC3\xA9\tURL:https://exemple.tg/caf%C3%A9"
		    "\tgriot.example\t70\r\n" },
		/* No item can hold these: i lines, the URL whole. */
		{ "\xC3\x89" "crire", "mailto:redaction@exemple.tg",
		    "i\xC3\x89" "crire\t\tgriot.example\t70\r\n"
		    "imailto:redaction@exemple.tg\t\tgriot.example\t70\r\n" },
		{ "", "https://exemple.tg/un espace",
		    "ihttps://exemple.tg/un espace\t\tgriot.example\t70\r\n" },
		{ "", "https:///pas-d-hote",
		    "ihttps:///pas-d-hote\t\tgriot.example\t70\r\n" },
	};
	struct conf		 c;
	struct gophermap_view	 v;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	conf_init(&c, "en");
	gophermap_view_init(&v, &c, NULL, "");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buf_reset(&b);
		ok(gopherlinks_item(&b, &v, t[i].label, t[i].url) == 0,
		    "item: %s", t[i].url);
		is_mem(b.data, b.len, t[i].want, strlen(t[i].want), t[i].url,
		    "link item");
	}

	/* A long URL on an i line is whole, wider than the width. */
	{
		char	 url[300], want[400];

		tap_snprintf(url, sizeof(url), "ftp://exemple.tg/%0*d", 200, 7);
		tap_snprintf(want, sizeof(want), "i%s\t\tgriot.example\t70\r\n",
		    url);
		buf_reset(&b);
		gopherlinks_item(&b, &v, "", url);
		is_mem(b.data, b.len, want, strlen(want), url, "long URL whole");
		/* Too long to be a selector: the h item gives way to it. */
		tap_snprintf(url, sizeof(url), "https://exemple.tg/%0*d", 260, 7);
		buf_reset(&b);
		gopherlinks_item(&b, &v, "", url);
		ok(b.len > 0 && b.data[0] == 'i' && strstr(b.data, "URL:") ==
		    NULL, "URL over 255 bytes: an i line");
	}
	/* Latin-1 view: the label converted, the URL percent-encoded. */
	c.charset = TEXT_LATIN1;
	gophermap_view_init(&v, &c, NULL, "");
	buf_reset(&b);
	gopherlinks_item(&b, &v, "\xC3\xA9t\xC3\xA9", "https://t.tg/\xC3\xA9");
	is_str(b.data, "h\xE9t\xE9\tURL:https://t.tg/%C3%A9\t"
	    "griot.example\t70\r\n", "Latin-1", "Latin-1 item");
	buf_release(&b);
}

/* An article of "n" links, the last an unwritable one; a Source. */
static struct article *
article_make(size_t n)
{
	struct article	*a;
	size_t		 i;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->blocks = calloc(n + 1, sizeof(*a->blocks))) == NULL) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	a->id = (char *)(uintptr_t)"2026-02-01-liens";
	a->title = (char *)(uintptr_t)"Des liens";
	memcpy(a->date, "2026-02-01", 11);
	a->source = (char *)(uintptr_t)"https://exemple.tg/source";
	/* A paragraph first: only links count. */
	a->blocks[0].type = BLOCK_PARAGRAPH;
	a->blocks[0].text = (char *)(uintptr_t)"Texte.";
	for (i = 1; i <= n; i++) {
		char	*url;

		if ((url = malloc(300)) == NULL) {
			printf("Bail out! out of memory\n");
			exit(1);
		}
		snprintf(url, 300, i == n ? "gopher://exemple.tg/0/%zu %0*d" :
		    "https://exemple.tg/%zu/%0*d", i, 200, 0);
		a->blocks[i].type = BLOCK_LINK;
		a->blocks[i].url = url;
		a->blocks[i].text = (char *)(uintptr_t)"Un lien dont le titre "
		    "est assez long pour remplir toute la ligne du menu, et plus";
	}
	a->nblocks = n + 1;
	return a;
}

static void
article_drop(struct article *a)
{
	size_t	 i;

	for (i = 0; i < a->nblocks; i++)
		if (a->blocks[i].type == BLOCK_LINK)
			free(a->blocks[i].url);
	free(a->blocks);
	free(a);
}

/* The items of type "type" in a menu. */
static size_t
count_type(const struct buf *b, int type)
{
	size_t	 i, n = 0;

	for (i = 0; i < b->len; i++)
		if ((i == 0 || b->data[i - 1] == '\n') && b->data[i] == type)
			n++;
	return n;
}

#define TITLE	"iLiens de l\xE2\x80\x99" "article\t"

static void
test_menu(void)
{
	struct conf		 c;
	struct gophermap_view	 v;
	struct buf		 b = BUF_INIT;
	struct article		*a;
	size_t			 n = 3000, npages, page, max = 0, links = 0;
	int			 bad = 0;

	a = article_make(n);
	is_int(gopherlinks_count(a), n + 1, "links counted, Source included");
	conf_init(&c, "fr");
	gophermap_view_init(&v, &c, NULL, "/utf8");
	npages = (n + 1 + GOPHERLINKS_PER_PAGE - 1) / GOPHERLINKS_PER_PAGE;
	for (page = 1; page <= npages; page++) {
		buf_reset(&b);
		if (gopherlinks_menu(&b, &v, a, page) == -1) {
			bad++;
			continue;
		}
		if (b.len > max)
			max = b.len;
		links += count_type(&b, 'h') + count_type(&b, '0') - 1;
		if (page == 1 && (strncmp(b.data, TITLE, strlen(TITLE)) != 0 ||
		    strstr(b.data, "\r\n02026-02-01 Des liens\t"
		    "/utf8/articles/2026-02-01-liens.txt\tgriot.example\t70\r\n")
		    == NULL || strstr(b.data, "/utf8/links/2026-02-01-liens/2\t")
		    == NULL))
			bad++;
		if (b.len < 5 || memcmp(b.data + b.len - 5, "\r\n.\r\n", 5) != 0)
			bad++;
	}
	is_int(bad, 0, "every page: title, the text, the next page, \".\"");
	/* The last link (a space in its selector) is i lines, the Source h. */
	is_int(links, n - 1 + 1, "every link an item but the unwritable one");
	ok(max <= 16384, "every page at most 16 KiB (largest %zu bytes)", max);
	buf_reset(&b);
	gopherlinks_menu(&b, &v, a, npages);
	ok(strstr(b.data, "URL:https://exemple.tg/source\t") != NULL &&
	    strstr(b.data, "igopher://exemple.tg/0/3000 ") != NULL,
	    "last page: the unwritable link, then the Source");
	buf_reset(&b);
	ok(gopherlinks_menu(&b, &v, a, npages + 1) == -1 && b.len == 0 &&
	    !b.failed, "no page past the last");
	ok(gopherlinks_menu(&b, &v, a, 0) == -1 && b.len == 0, "no page 0");
	article_drop(a);

	/* No links, no menu. */
	a = article_make(0);
	a->source = NULL;
	ok(gopherlinks_count(a) == 0 && gopherlinks_menu(&b, &v, a, 1) == -1 &&
	    b.len == 0, "an article without links has no menu");
	article_drop(a);
	buf_release(&b);
}

int
main(void)
{
	test_parse();
	test_item();
	test_menu();
	return tap_done();
}
