/* griot: gemtext pages.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Renders a store snapshot as the capsule's gemtext pages, in its language. */

#include "griot-config.h"

#include <stdio.h>
#include <string.h>

#include "article.h"
#include "buf.h"
#include "config.h"
#include "gemtext.h"
#include "paging.h"
#include "store.h"
#include "text.h"
#include "url.h"
#include "words.h"

/* The key in words.h of each status-line reason. */
static const enum words_key msg_words[GEMTEXT_MSG_COUNT] = {
	[GEMTEXT_MSG_SEARCH_PROMPT] = WORDS_GEMINI_PROMPT,
	[GEMTEXT_MSG_BAD_REQUEST] = WORDS_GEMINI_BAD_REQUEST,
	[GEMTEXT_MSG_TOO_LONG] = WORDS_GEMINI_TOO_LONG,
	[GEMTEXT_MSG_NOT_UTF8] = WORDS_GEMINI_NOT_UTF8,
	[GEMTEXT_MSG_NOT_ABSOLUTE] = WORDS_GEMINI_NOT_ABSOLUTE,
	[GEMTEXT_MSG_USERINFO] = WORDS_GEMINI_USERINFO,
	[GEMTEXT_MSG_FRAGMENT] = WORDS_GEMINI_FRAGMENT,
	[GEMTEXT_MSG_BAD_ENCODING] = WORDS_GEMINI_BAD_ENCODING,
	[GEMTEXT_MSG_DOT_SEGMENT] = WORDS_GEMINI_DOT_SEGMENT,
	[GEMTEXT_MSG_OTHER_SCHEME] = WORDS_GEMINI_OTHER_SCHEME,
	[GEMTEXT_MSG_OTHER_HOST] = WORDS_GEMINI_OTHER_HOST,
	[GEMTEXT_MSG_NOT_FOUND] = WORDS_GEMINI_NOT_FOUND,
	[GEMTEXT_MSG_TEMPORARY] = WORDS_GEMINI_TEMPORARY,
	[GEMTEXT_MSG_UNAVAILABLE] = WORDS_GEMINI_UNAVAILABLE,
};

/* One page being written. */
struct gt {
	struct buf		*out;
	const struct conf	*conf;
	const struct words	*words;
	const char *const	*w;	/* words->word */
	int			 err;
};

const char *
gemtext_msg(const struct conf *conf, enum gemtext_msg m)
{
	if ((int)m < 0 || m >= GEMTEXT_MSG_COUNT)
		m = GEMTEXT_MSG_BAD_REQUEST;
	return words_for_lang(conf->lang)->word[msg_words[m]];
}

static void
gt_init(struct gt *g, struct buf *out, const struct conf *conf)
{
	g->out = out;
	g->conf = conf;
	g->words = words_for_lang(conf->lang);
	g->w = g->words->word;
	g->err = 0;
}

/* A page that could not be written whole is a failed buffer. */
static int
gt_done(struct gt *g)
{
	if (g->err)
		g->out->failed = 1;
	return g->out->failed ? -1 : 0;
}

/* Bytes as they are. */
static void
put(struct gt *g, const char *s, size_t n)
{
	if (buf_add(g->out, s, n) == -1)
		g->err = 1;
}

static void
putstr(struct gt *g, const char *s)
{
	put(g, s, strlen(s));
}

static void
lf(struct gt *g)
{
	put(g, "\n", 1);
}

/*
 * Text that must stay on its line (titles, names, labels): a CR or LF
 * would start a new gemtext line, so each becomes a space.  Both are
 * ASCII and never part of a longer UTF-8 sequence.
 */
static void
line_n(struct gt *g, const char *s, size_t n)
{
	size_t	 i, start;

	for (i = start = 0; i < n; i++)
		if (s[i] == '\r' || s[i] == '\n') {
			put(g, s + start, i - start);
			put(g, " ", 1);
			start = i + 1;
		}
	put(g, s + start, n - start);
}

static void
line(struct gt *g, const char *s)
{
	if (s != NULL)
		line_n(g, s, strlen(s));
}

/* Words of the interface, the capsule's name and description. */
static void
ui(struct gt *g, const char *s)
{
	struct buf	 tmp = BUF_INIT;

	if (s == NULL)
		return;
	if (!g->conf->french_spacing) {
		line(g, s);
		return;
	}
	/* text.c may leave an empty buffer without its NUL: use the length. */
	if (text_french_spacing(&tmp, s, strlen(s)) == -1 || tmp.failed)
		g->err = 1;
	else if (tmp.len > 0)
		line_n(g, tmp.data, tmp.len);
	buf_release(&tmp);
}

static void
number(struct gt *g, size_t n)
{
	if (buf_printf(g->out, "%zu", n) == -1)
		g->err = 1;
}

/* "=> PATH " (the label follows). */
static void
link_to(struct gt *g, const char *path)
{
	putstr(g, "=> ");
	putstr(g, path);
	put(g, " ", 1);
}

static void
link_ui(struct gt *g, const char *path, const char *label)
{
	link_to(g, path);
	ui(g, label);
	lf(g);
}

static void
heading(struct gt *g, const char *marker, const char *s)
{
	putstr(g, marker);
	ui(g, s);
	lf(g);
}

/* "=> /articles/ID.gmi YYYY-MM-DD Title": one subscription-feed entry. */
static void
article_link(struct gt *g, const struct article *a)
{
	putstr(g, "=> /articles/");
	putstr(g, a->id);
	putstr(g, ".gmi ");
	putstr(g, a->date);
	put(g, " ", 1);
	line(g, a->title);
	lf(g);
}

/* " (3 articles)" */
static void
count(struct gt *g, size_t n)
{
	putstr(g, " (");
	number(g, n);
	put(g, " ", 1);
	putstr(g, g->w[n == 1 ? WORDS_ARTICLE : WORDS_ARTICLES]);
	put(g, ")", 1);
}

/*
 * "février 2026" from "2026-02" (month_only), "1er février 2026" from
 * "2026-02-01"; kept on its line like any other text.
 */
static void
date_words(struct gt *g, const char *date, int month_only)
{
	struct buf	 tmp = BUF_INIT;
	int		 rc;

	rc = month_only ? words_month(&tmp, g->words, date, 0) :
	    words_date(&tmp, g->words, date);
	if (rc == -1)
		g->err = 1;
	else if (tmp.len > 0)
		line_n(g, tmp.data, tmp.len);
	buf_release(&tmp);
}

static void
back_home(struct gt *g)
{
	link_ui(g, "/", g->w[WORDS_HOME]);
}

int
gemtext_url(struct buf *b, const struct conf *conf, const char *path)
{
	return url_gemini(b, conf->hostname != NULL ? conf->hostname :
	    "localhost", conf->gemini_public_port, path);
}

int
gemtext_encode_segment(struct buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	size_t			 i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_addc(b, c);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 0x0f]);
		}
	}
	return b->failed ? -1 : 0;
}

/* "/pages/NAME.gmi", the name percent-encoded. */
static void
page_link(struct gt *g, const struct store_page *p)
{
	struct buf	 path = BUF_INIT;

	buf_puts(&path, "/pages/");
	gemtext_encode_segment(&path, p->name, strlen(p->name));
	buf_puts(&path, ".gmi");
	if (path.failed)
		g->err = 1;
	else
		link_to(g, path.data);
	buf_release(&path);
	line(g, p->title != NULL ? p->title : p->name);
	lf(g);
}

int
gemtext_home(struct buf *out, const struct conf *conf, const struct store *st)
{
	struct gt	 g;
	size_t		 i, n, npages;

	gt_init(&g, out, conf);
	heading(&g, "# ", conf->name != NULL ? conf->name : "griot");
	if (conf->description != NULL && conf->description[0] != '\0') {
		lf(&g);
		ui(&g, conf->description);
		lf(&g);
	}
	lf(&g);
	heading(&g, "## ", g.w[WORDS_LATEST]);
	lf(&g);
	n = store_count(st);
	if (conf->latest >= 0 && n > (size_t)conf->latest)
		n = (size_t)conf->latest;
	if (n == 0) {
		ui(&g, g.w[WORDS_NO_ARTICLE_YET]);
		lf(&g);
	}
	for (i = 0; i < n; i++)
		article_link(&g, store_article_at(st, i));
	lf(&g);
	heading(&g, "## ", g.w[WORDS_BROWSE]);
	lf(&g);
	link_ui(&g, "/categories/", g.w[WORDS_CATEGORIES]);
	link_ui(&g, "/archive/", g.w[WORDS_ARCHIVE]);
	link_ui(&g, "/search", g.w[WORDS_SEARCH]);
	link_ui(&g, "/atom.xml", g.w[WORDS_FEED]);
	npages = store_npages(st);
	if (npages > 0) {
		lf(&g);
		heading(&g, "## ", g.w[WORDS_PAGES]);
		lf(&g);
		for (i = 0; i < npages; i++)
			page_link(&g, store_page_at(st, i));
	}
	return gt_done(&g);
}

/*
 * A paragraph is one text line; if it happened to start like another
 * gemtext line type, a leading space keeps it a text line.
 */
static int
looks_like_markup(const char *s)
{
	return s[0] == '#' || s[0] == '>' || strncmp(s, "=>", 2) == 0 ||
	    strncmp(s, "```", 3) == 0 || strncmp(s, "* ", 2) == 0;
}

/* Consecutive items of these kinds stay together without a blank line. */
static int
is_run(enum block_type a, enum block_type b)
{
	return a == b &&
	    (a == BLOCK_LIST || a == BLOCK_QUOTE || a == BLOCK_LINK);
}

static void
block(struct gt *g, const struct block *b)
{
	switch (b->type) {
	case BLOCK_PARAGRAPH:
		if (looks_like_markup(b->text))
			put(g, " ", 1);
		line(g, b->text);
		break;
	case BLOCK_HEADING1:
		putstr(g, "# ");
		line(g, b->text);
		break;
	case BLOCK_HEADING2:
		putstr(g, "## ");
		line(g, b->text);
		break;
	case BLOCK_HEADING3:
		putstr(g, "### ");
		line(g, b->text);
		break;
	case BLOCK_QUOTE:
		putstr(g, "> ");
		line(g, b->text);
		break;
	case BLOCK_LIST:
		putstr(g, "* ");
		line(g, b->text);
		break;
	case BLOCK_LINK:
		putstr(g, "=> ");
		line(g, b->url != NULL ? b->url : "");
		if (b->text[0] != '\0') {
			put(g, " ", 1);
			line(g, b->text);
		}
		break;
	case BLOCK_PRE:
		/* Byte for byte: the store never reflows these lines. */
		putstr(g, "```");
		line(g, b->alt != NULL ? b->alt : "");
		lf(g);
		if (b->text[0] != '\0') {
			putstr(g, b->text);
			lf(g);
		}
		putstr(g, "```");
		break;
	}
	lf(g);
}

static void
blocks(struct gt *g, const struct block *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i > 0 && !is_run(v[i - 1].type, v[i].type))
			lf(g);
		block(g, &v[i]);
	}
}

static void
category_path(struct gt *g, struct buf *b, const char *slug)
{
	buf_puts(b, "/categories/");
	gemtext_encode_segment(b, slug, strlen(slug));
	buf_puts(b, ".gmi");
	if (b->failed)
		g->err = 1;
}

int
gemtext_article(struct buf *out, const struct conf *conf,
    const struct article *a)
{
	struct gt	 g;
	struct buf	 cat = BUF_INIT;
	size_t		 i;

	gt_init(&g, out, conf);
	putstr(&g, "# ");
	line(&g, a->title);
	lf(&g);
	lf(&g);

	ui(&g, g.w[WORDS_PUBLISHED]);
	date_words(&g, a->date, 0);
	if (a->time[0] != '\0') {
		ui(&g, g.w[WORDS_AT]);
		putstr(&g, a->time);
	}
	lf(&g);
	if (a->nauthors > 0) {
		ui(&g, g.w[WORDS_BY]);
		for (i = 0; i < a->nauthors; i++) {
			if (i > 0)
				ui(&g, i + 1 == a->nauthors ? g.w[WORDS_AND] :
				    ", ");
			line(&g, a->authors[i]);
		}
		lf(&g);
	}
	if (a->category != NULL && a->category_slug != NULL) {
		category_path(&g, &cat, a->category_slug);
		if (!cat.failed) {
			link_to(&g, cat.data);
			ui(&g, g.w[WORDS_CATEGORY]);
			line(&g, a->category);
			lf(&g);
		}
	}
	if (a->ntags > 0) {
		ui(&g, g.w[WORDS_TAGS]);
		for (i = 0; i < a->ntags; i++) {
			if (i > 0)
				putstr(&g, ", ");
			line(&g, a->tags[i]);
		}
		lf(&g);
	}

	if (a->nblocks > 0) {
		lf(&g);
		blocks(&g, a->blocks, a->nblocks);
	}
	if (a->source != NULL) {
		/* The original, after the body (griot-article(5), Source). */
		if (a->nblocks == 0 ||
		    a->blocks[a->nblocks - 1].type != BLOCK_LINK)
			lf(&g);
		putstr(&g, "=> ");
		line(&g, a->source);
		put(&g, " ", 1);
		ui(&g, g.w[WORDS_SOURCE]);
		lf(&g);
	}

	lf(&g);
	if (a->category != NULL && a->category_slug != NULL && !cat.failed) {
		link_to(&g, cat.data);
		ui(&g, g.w[WORDS_MORE_IN]);
		line(&g, a->category);
		ui(&g, g.w[WORDS_QUOTE_END]);
		lf(&g);
	}
	back_home(&g);
	buf_release(&cat);
	return gt_done(&g);
}

/*
 * How a paged list names its pages: page 1 is "first" (the address it
 * had before pages, so that old links still work), page N is "stem" N
 * "tail".
 */
struct pager {
	const char	*first;
	const char	*stem;
	const char	*tail;
};

static void
page_path(struct gt *g, struct buf *b, const struct pager *pg, size_t page)
{
	buf_reset(b);
	if (page == 1)
		buf_puts(b, pg->first);
	else
		buf_printf(b, "%s%zu%s", pg->stem, page, pg->tail);
	if (b->failed)
		g->err = 1;
}

/*
 * After the items of a page: "Page 2 sur 77", then links to the
 * previous and the next page.  Nothing when the list fits one page.
 */
static void
nav(struct gt *g, const struct paging *p, const struct pager *pg)
{
	struct buf	 path = BUF_INIT;

	if (p->npages <= 1)
		return;
	lf(g);
	ui(g, g->w[WORDS_PAGE]);
	number(g, p->page);
	ui(g, g->w[WORDS_PAGE_OF]);
	number(g, p->npages);
	lf(g);
	if (p->page > 1) {
		page_path(g, &path, pg, p->page - 1);
		if (!path.failed)
			link_ui(g, path.data, g->w[WORDS_PREVIOUS_PAGE]);
	}
	if (p->page < p->npages) {
		page_path(g, &path, pg, p->page + 1);
		if (!path.failed)
			link_ui(g, path.data, g->w[WORDS_NEXT_PAGE]);
	}
	buf_release(&path);
}

/* Page "page" of a list of "total" items: 0, or -1 when there is none. */
static int
page_of(const struct conf *conf, struct paging *p, size_t total,
    size_t page)
{
	return paging_init(p, total, paging_size(conf->page_size), page);
}

static void
article_page(struct gt *g, const struct article *const *v,
    const struct paging *p)
{
	size_t	 i;

	for (i = p->first; i < p->first + p->count; i++)
		article_link(g, v[i]);
}

int
gemtext_categories(struct buf *out, const struct conf *conf,
    const struct store *st, size_t page)
{
	static const struct pager	 pg = {
		"/categories/", "/categories/_/", ".gmi"
	};
	struct gt			 g;
	struct buf			 path = BUF_INIT;
	const struct store_category	*c;
	struct paging			 p;
	size_t				 i, n;

	n = store_ncategories(st);
	if (page_of(conf, &p, n, page) == -1)
		return -1;
	gt_init(&g, out, conf);
	heading(&g, "# ", g.w[WORDS_CATEGORIES]);
	lf(&g);
	if (n == 0) {
		ui(&g, g.w[WORDS_NO_ARTICLE_YET]);
		lf(&g);
	}
	for (i = p.first; i < p.first + p.count; i++) {
		c = store_category_at(st, i);
		buf_reset(&path);
		category_path(&g, &path, c->slug);
		if (path.failed)
			break;
		link_to(&g, path.data);
		line(&g, c->name);
		count(&g, c->narticles);
		lf(&g);
	}
	nav(&g, &p, &pg);
	lf(&g);
	back_home(&g);
	buf_release(&path);
	return gt_done(&g);
}

int
gemtext_category(struct buf *out, const struct conf *conf,
    const struct store_category *c, size_t page)
{
	struct gt	 g;
	struct buf	 first = BUF_INIT, stem = BUF_INIT, feed = BUF_INIT;
	struct pager	 pg;
	struct paging	 p;

	if (page_of(conf, &p, c->narticles, page) == -1)
		return -1;
	gt_init(&g, out, conf);
	category_path(&g, &first, c->slug);
	buf_puts(&stem, "/categories/");
	gemtext_encode_segment(&stem, c->slug, strlen(c->slug));
	buf_puts(&feed, stem.data != NULL ? stem.data : "");
	buf_puts(&stem, "/");
	buf_puts(&feed, "/atom.xml");
	if (first.failed || stem.failed || feed.failed) {
		g.err = 1;
		goto done;
	}
	pg.first = first.data;
	pg.stem = stem.data;
	pg.tail = ".gmi";
	putstr(&g, "# ");
	ui(&g, g.w[WORDS_CATEGORY]);
	line(&g, c->name);
	lf(&g);
	lf(&g);
	article_page(&g, c->articles, &p);
	nav(&g, &p, &pg);
	lf(&g);
	/* Readers subscribe to a category from its first page. */
	if (p.page == 1)
		link_ui(&g, feed.data, g.w[WORDS_CATEGORY_FEED]);
	link_ui(&g, "/categories/", g.w[WORDS_ALL_CATEGORIES]);
	back_home(&g);
done:
	buf_release(&first);
	buf_release(&stem);
	buf_release(&feed);
	return gt_done(&g);
}

int
gemtext_archive(struct buf *out, const struct conf *conf,
    const struct store *st, size_t page)
{
	static const struct pager	 pg = {
		"/archive/", "/archive/_/", ".gmi"
	};
	struct gt			 g;
	struct paging_year		 y;
	struct paging			 p;
	size_t				 i;

	if (page_of(conf, &p, paging_nyears(st), page) == -1)
		return -1;
	gt_init(&g, out, conf);
	heading(&g, "# ", g.w[WORDS_ARCHIVE]);
	lf(&g);
	if (store_nmonths(st) == 0) {
		ui(&g, g.w[WORDS_NO_ARTICLE_YET]);
		lf(&g);
	}
	for (i = p.first; i < p.first + p.count; i++) {
		if (paging_year_at(st, i, &y) == -1) {
			g.err = 1;
			break;
		}
		putstr(&g, "=> /archive/");
		putstr(&g, y.year);
		putstr(&g, ".gmi ");
		putstr(&g, y.year);
		count(&g, y.narticles);
		lf(&g);
	}
	nav(&g, &p, &pg);
	lf(&g);
	back_home(&g);
	return gt_done(&g);
}

int
gemtext_year(struct buf *out, const struct conf *conf,
    const struct store *st, const char *year)
{
	struct gt			 g;
	const struct store_month	*m;
	struct paging_year		 y;
	size_t				 i;

	if (paging_year_get(st, year, &y) == -1)
		return -1;
	gt_init(&g, out, conf);
	putstr(&g, "# ");
	ui(&g, g.w[WORDS_ARCHIVE_OF]);
	putstr(&g, y.year);
	lf(&g);
	lf(&g);
	for (i = y.first; i < y.first + y.nmonths; i++) {
		m = store_month_at(st, i);
		putstr(&g, "=> /archive/");
		putstr(&g, m->month);
		putstr(&g, ".gmi ");
		date_words(&g, m->month, 1);
		count(&g, m->narticles);
		lf(&g);
	}
	lf(&g);
	link_ui(&g, "/archive/", g.w[WORDS_ALL_MONTHS]);
	back_home(&g);
	return gt_done(&g);
}

int
gemtext_month(struct buf *out, const struct conf *conf,
    const struct store_month *m, size_t page)
{
	struct gt	 g;
	struct buf	 first = BUF_INIT, stem = BUF_INIT, year = BUF_INIT;
	struct pager	 pg;
	struct paging	 p;

	if (page_of(conf, &p, m->narticles, page) == -1)
		return -1;
	gt_init(&g, out, conf);
	buf_printf(&first, "/archive/%s.gmi", m->month);
	buf_printf(&stem, "/archive/%s/", m->month);
	buf_printf(&year, "/archive/%.4s.gmi", m->month);
	if (first.failed || stem.failed || year.failed) {
		g.err = 1;
		goto done;
	}
	pg.first = first.data;
	pg.stem = stem.data;
	pg.tail = ".gmi";
	putstr(&g, "# ");
	ui(&g, g.w[WORDS_ARCHIVE_OF]);
	date_words(&g, m->month, 1);
	lf(&g);
	lf(&g);
	article_page(&g, m->articles, &p);
	nav(&g, &p, &pg);
	lf(&g);
	/* Up the tree: the year, then the whole archive. */
	link_to(&g, year.data);
	ui(&g, g.w[WORDS_ARCHIVE_OF]);
	put(&g, m->month, 4);
	lf(&g);
	link_ui(&g, "/archive/", g.w[WORDS_ALL_MONTHS]);
	back_home(&g);
done:
	buf_release(&first);
	buf_release(&stem);
	buf_release(&year);
	return gt_done(&g);
}

/*
 * One line of a static page outside preformatted blocks: with French
 * spacing on, text gets it like article text, but never a link's URL.
 */
static void
page_line(struct gt *g, const char *s, size_t n)
{
	struct buf	 tmp = BUF_INIT;
	size_t		 i = 0;

	if (n >= 2 && s[0] == '=' && s[1] == '>') {
		for (i = 2; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			continue;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		put(g, s, i);
	}
	if (text_french_spacing(&tmp, s + i, n - i) == -1 || tmp.failed)
		g->err = 1;
	else if (tmp.len > 0)
		put(g, tmp.data, tmp.len);
	buf_release(&tmp);
}

/*
 * The page's own gemtext as the store read it (sanitised), its layout
 * kept, ending in one LF.  With French spacing on, its text lines get it
 * too; preformatted lines and URLs stay byte for byte.
 */
int
gemtext_page(struct buf *out, const struct conf *conf,
    const struct store_page *p)
{
	struct gt	 g;
	const char	*s, *e;
	int		 pre = 0;

	gt_init(&g, out, conf);
	for (s = p->source != NULL ? p->source : ""; *s != '\0'; s = e) {
		if ((e = strchr(s, '\n')) == NULL)
			e = s + strlen(s);
		if (strncmp(s, "```", 3) == 0) {
			pre = !pre;
			put(&g, s, (size_t)(e - s));
		} else if (pre || !conf->french_spacing)
			put(&g, s, (size_t)(e - s));
		else
			page_line(&g, s, (size_t)(e - s));
		lf(&g);
		if (*e == '\n')
			e++;
	}
	return gt_done(&g);
}

/*
 * The robots.txt companion specification: the searches are an endless
 * space of pages that no crawler, archiver or proxy needs; the rest of
 * the capsule is open to every bot.
 */
int
gemtext_robots(struct buf *out, const struct conf *conf)
{
	struct gt	 g;

	gt_init(&g, out, conf);
	putstr(&g,
	    "# Rules for automated Gemini clients (robots.txt companion"
	    " specification).\n"
	    "# Search results are an endless space of pages: bots keep out.\n"
	    "User-agent: *\n"
	    "Disallow: /search\n");
	return gt_done(&g);
}

int
gemtext_search(struct buf *out, const struct conf *conf, const char *query,
    size_t len, const struct article *const *v, size_t total,
    const struct paging *p)
{
	struct gt	 g;
	struct buf	 q = BUF_INIT, first = BUF_INIT, tail = BUF_INIT;
	struct pager	 pg;

	gt_init(&g, out, conf);
	/* The reader's words, cleaned: no control character, NFC. */
	if (text_sanitize(&q, query, len, 0, NULL, NULL) == -1 || q.failed) {
		buf_release(&q);
		out->failed = 1;
		return -1;
	}
	putstr(&g, "# ");
	ui(&g, g.w[WORDS_SEARCH_FOR]);
	if (q.len > 0)
		line_n(&g, q.data, q.len);
	ui(&g, g.w[WORDS_QUOTE_END]);
	lf(&g);
	lf(&g);
	buf_release(&q);

	if (total == 0)
		ui(&g, g.w[WORDS_FOUND_NONE]);
	else if (total == 1)
		ui(&g, g.w[WORDS_FOUND_ONE]);
	else {
		number(&g, total);
		ui(&g, g.w[WORDS_FOUND_MANY]);
	}
	lf(&g);
	if (p->count > 0) {
		lf(&g);
		article_page(&g, v, p);
	}
	/* The pages of the results carry the query: "/search/N?QUERY". */
	buf_puts(&tail, "?");
	gemtext_encode_segment(&tail, query, len);
	buf_puts(&first, "/search");
	buf_puts(&first, tail.data != NULL ? tail.data : "");
	if (tail.failed || first.failed)
		g.err = 1;
	else {
		pg.first = first.data;
		pg.stem = "/search/";
		pg.tail = tail.data;
		nav(&g, p, &pg);
	}
	lf(&g);
	link_ui(&g, "/search", g.w[WORDS_NEW_SEARCH]);
	back_home(&g);
	buf_release(&first);
	buf_release(&tail);
	return gt_done(&g);
}
