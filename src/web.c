/* griot: HTML pages.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Renders a store snapshot as the HTML pages of the HTTP door, in one charset. */

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
#include "web.h"
#include "words.h"

/* One page being written, in UTF-8 until web_done() converts it. */
struct wp {
	struct buf		 h;
	struct buf		*out;
	const struct conf	*conf;
	const struct web_view	*v;
	const struct words	*words;
	const char *const	*w;
	int			 err;
};

const char *
web_charset_name(enum text_charset cs)
{
	switch (cs) {
	case TEXT_LATIN1:
		return "iso-8859-1";
	case TEXT_ASCII:
		return "us-ascii";
	default:
		return "utf-8";
	}
}

static void
put(struct wp *p, const char *s, size_t n)
{
	if (buf_add(&p->h, s, n) == -1)
		p->err = 1;
}

static void
putstr(struct wp *p, const char *s)
{
	put(p, s, strlen(s));
}

static void
number(struct wp *p, size_t n)
{
	if (buf_printf(&p->h, "%zu", n) == -1)
		p->err = 1;
}

/*
 * Text of the page: "&", "<", ">" and '"' as entities, so attributes
 * too.  In the Latin-1 and ASCII views the text is first put in the
 * view's charset (and back in UTF-8, which done() then leaves as it
 * is): the French table turns "‹" into "<" and "“" into '"', and that
 * must happen before the escaping, never after it.
 */
static void
esc_n(struct wp *p, const char *s, size_t n)
{
	struct buf	 t = BUF_INIT, u = BUF_INIT;
	size_t		 i, start;
	const char	*e;

	if (p->v->charset != TEXT_UTF8) {
		if (text_encode(&t, s, n, p->v->charset) == -1 ||
		    (p->v->charset == TEXT_LATIN1 &&
		    text_from_latin1(&u, t.data != NULL ? t.data : "",
		    t.len) == -1)) {
			p->err = 1;
			goto done;
		}
		if (p->v->charset == TEXT_LATIN1) {
			s = u.data != NULL ? u.data : "";
			n = u.len;
		} else {
			s = t.data != NULL ? t.data : "";
			n = t.len;
		}
	}
	for (i = start = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			e = "&amp;";
			break;
		case '<':
			e = "&lt;";
			break;
		case '>':
			e = "&gt;";
			break;
		case '"':
			e = "&quot;";
			break;
		default:
			continue;
		}
		put(p, s + start, i - start);
		putstr(p, e);
		start = i + 1;
	}
	put(p, s + start, n - start);
done:
	buf_release(&t);
	buf_release(&u);
}

static void
esc(struct wp *p, const char *s)
{
	if (s != NULL)
		esc_n(p, s, strlen(s));
}

/* Words of the interface and the site's name: French spacing if asked. */
static void
ui(struct wp *p, const char *s)
{
	struct buf	 tmp = BUF_INIT;

	if (s == NULL)
		return;
	if (!p->conf->french_spacing) {
		esc(p, s);
		return;
	}
	if (text_french_spacing(&tmp, s, strlen(s)) == -1 || tmp.failed)
		p->err = 1;
	else if (tmp.len > 0)
		esc_n(p, tmp.data, tmp.len);
	buf_release(&tmp);
}

/* ' href="PREFIX PATH"': "path" is already percent-encoded. */
static void
href(struct wp *p, const char *path)
{
	putstr(p, "<a href=\"");
	esc(p, p->v->prefix);
	esc(p, path);
	putstr(p, "\">");
}

static void
link_ui(struct wp *p, const char *path, const char *label)
{
	href(p, path);
	ui(p, label);
	putstr(p, "</a>");
}

/* Append a percent-encoded segment to "b" (unreserved bytes left raw). */
static void
segment(struct wp *p, struct buf *b, const char *s)
{
	if (gemtext_encode_segment(b, s, strlen(s)) == -1)
		p->err = 1;
}

/*
 * A link found in an article or a page, kept as written but with every
 * byte that a URI cannot hold (spaces, controls, non-ASCII, and
 * '"<>\^`{|}') percent-encoded, and a "%" without two hex digits too.
 */
static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static void
foreign_url(struct wp *p, const char *u)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 b = BUF_INIT;
	unsigned char		 c;
	size_t			 i, n = strlen(u);

	for (i = 0; i < n; i++) {
		c = (unsigned char)u[i];
		if (c > 0x20 && c < 0x7f && strchr("\"<>\\^`{|}", c) == NULL &&
		    (c != '%' || (i + 2 < n && is_hex(u[i + 1]) &&
		    is_hex(u[i + 2]))))
			buf_addc(&b, c);
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[c >> 4]);
			buf_addc(&b, hex[c & 0x0f]);
		}
	}
	if (b.failed)
		p->err = 1;
	else if (b.len > 0)
		esc_n(p, b.data, b.len);
	buf_release(&b);
}

static void
date_words(struct wp *p, const char *date, int month_only)
{
	struct buf	 tmp = BUF_INIT;
	int		 rc;

	rc = month_only ? words_month(&tmp, p->words, date, 0) :
	    words_date(&tmp, p->words, date);
	if (rc == -1)
		p->err = 1;
	else if (tmp.len > 0)
		esc_n(p, tmp.data, tmp.len);
	buf_release(&tmp);
}

/*
 * The head of a page, up to <body>; "feed" is the path of the Atom
 * feed it names (percent-encoded).
 */
static void
begin_feed(struct wp *p, struct buf *out, const struct conf *conf,
    const struct web_view *v, const char *lang, int title_word,
    const char *title, const char *feed)
{
	p->out = out;
	p->conf = conf;
	p->v = v;
	p->words = words_for_lang(conf->lang);
	p->w = p->words->word;
	p->err = 0;
	buf_init(&p->h);
	if (lang == NULL || !text_is_lang_tag(lang, strlen(lang)))
		lang = p->words->tag;
	putstr(p, "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\""
	    " \"http://www.w3.org/TR/html4/loose.dtd\">\n<html lang=\"");
	putstr(p, lang);
	putstr(p, "\">\n<head>\n"
	    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=");
	putstr(p, web_charset_name(v->charset));
	putstr(p, "\">\n<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>");
	if (title_word >= 0)
		ui(p, p->w[title_word]);
	esc(p, title);
	putstr(p, "</title>\n<link rel=\"alternate\" "
	    "type=\"application/atom+xml\" href=\"");
	putstr(p, feed);
	putstr(p, "\">\n</head>\n<body>\n");
}

/* The head of a page that names the capsule's feed. */
static void
begin(struct wp *p, struct buf *out, const struct conf *conf,
    const struct web_view *v, const char *lang, int title_word,
    const char *title)
{
	begin_feed(p, out, conf, v, lang, title_word, title, "/atom.xml");
}

/* The links at the foot of every page. */
static void
foot(struct wp *p)
{
	putstr(p, "<hr>\n<p>");
	link_ui(p, "/", p->w[WORDS_HOME]);
	putstr(p, " |\n");
	link_ui(p, "/categories/", p->w[WORDS_CATEGORIES]);
	putstr(p, " |\n");
	link_ui(p, "/archive/", p->w[WORDS_ARCHIVE]);
	putstr(p, " |\n");
	link_ui(p, "/search", p->w[WORDS_SEARCH]);
	putstr(p, "</p>\n");
}

/*
 * Close the page and convert it into the view's charset, appended to
 * the caller's buffer.  In Latin-1, the no-break spaces (U+00A0, and
 * U+202F and U+2007, which ISO-8859-1 lacks) are written "&nbsp;".
 */
static int
done(struct wp *p)
{
	static const char *const nbsp[] = {
		"\xc2\xa0", "\xe2\x80\xaf", "\xe2\x80\x87"
	};
	const char	*s, *end, *next;
	size_t		 i, skip;
	int		 rc = 0;

	putstr(p, "</body>\n</html>\n");
	if (p->err || p->h.failed) {
		rc = -1;
		goto out;
	}
	if (p->v->charset != TEXT_LATIN1) {
		if (text_encode(p->out, p->h.data, p->h.len, p->v->charset) == -1)
			rc = -1;
		goto out;
	}
	s = p->h.data;
	end = s + p->h.len;
	while (s < end) {
		next = end;
		skip = 0;
		for (i = 0; i < sizeof(nbsp) / sizeof(nbsp[0]); i++) {
			const char	*f = memmem(s, (size_t)(end - s), nbsp[i],
			    strlen(nbsp[i]));

			if (f != NULL && f < next) {
				next = f;
				skip = strlen(nbsp[i]);
			}
		}
		if (next > s && text_encode(p->out, s, (size_t)(next - s),
		    TEXT_LATIN1) == -1) {
			rc = -1;
			break;
		}
		if (skip > 0 && buf_puts(p->out, "&nbsp;") == -1) {
			rc = -1;
			break;
		}
		s = next + skip;
	}
out:
	buf_release(&p->h);
	if (rc == -1)
		p->out->failed = 1;
	return rc;
}

/* "<li>YYYY-MM-DD <a href=...>Title</a>" */
static void
article_item(struct wp *p, const struct article *a)
{
	struct buf	 path = BUF_INIT;

	buf_puts(&path, "/articles/");
	segment(p, &path, a->id);
	buf_puts(&path, ".html");
	if (path.failed) {
		p->err = 1;
		return;
	}
	putstr(p, "<li>");
	putstr(p, a->date);
	put(p, " ", 1);
	href(p, path.data);
	esc(p, a->title);
	putstr(p, "</a>\n");
	buf_release(&path);
}

static void
count(struct wp *p, size_t n)
{
	putstr(p, " (");
	number(p, n);
	put(p, " ", 1);
	putstr(p, p->w[n == 1 ? WORDS_ARTICLE : WORDS_ARTICLES]);
	put(p, ")", 1);
}

int
web_home(struct buf *out, const struct conf *conf, const struct web_view *v,
    const struct store *st)
{
	struct wp		 p;
	struct buf		 path = BUF_INIT;
	const struct store_page	*pg;
	const char		*name = conf->name != NULL ? conf->name : "griot";
	size_t			 i, n, npages;

	begin(&p, out, conf, v, conf->lang, -1, name);
	putstr(&p, "<h1>");
	ui(&p, name);
	putstr(&p, "</h1>\n");
	if (conf->description != NULL && conf->description[0] != '\0') {
		putstr(&p, "<p>");
		ui(&p, conf->description);
		putstr(&p, "</p>\n");
	}
	putstr(&p, "<h2>");
	ui(&p, p.w[WORDS_LATEST]);
	putstr(&p, "</h2>\n");
	n = store_count(st);
	if (conf->latest >= 0 && n > (size_t)conf->latest)
		n = (size_t)conf->latest;
	if (n == 0) {
		putstr(&p, "<p>");
		ui(&p, p.w[WORDS_NO_ARTICLE_YET]);
		putstr(&p, "</p>\n");
	} else {
		putstr(&p, "<ul>\n");
		for (i = 0; i < n; i++)
			article_item(&p, store_article_at(st, i));
		putstr(&p, "</ul>\n");
	}
	putstr(&p, "<h2>");
	ui(&p, p.w[WORDS_BROWSE]);
	putstr(&p, "</h2>\n<ul>\n<li>");
	link_ui(&p, "/categories/", p.w[WORDS_CATEGORIES]);
	putstr(&p, "\n<li>");
	link_ui(&p, "/archive/", p.w[WORDS_ARCHIVE]);
	putstr(&p, "\n<li>");
	link_ui(&p, "/search", p.w[WORDS_SEARCH]);
	putstr(&p, "\n<li>");
	link_ui(&p, "/atom.xml", p.w[WORDS_FEED]);
	putstr(&p, "\n</ul>\n");
	npages = store_npages(st);
	if (npages > 0) {
		putstr(&p, "<h2>");
		ui(&p, p.w[WORDS_PAGES]);
		putstr(&p, "</h2>\n<ul>\n");
		for (i = 0; i < npages; i++) {
			pg = store_page_at(st, i);
			buf_reset(&path);
			buf_puts(&path, "/pages/");
			segment(&p, &path, pg->name);
			buf_puts(&path, ".html");
			if (path.failed) {
				p.err = 1;
				break;
			}
			putstr(&p, "<li>");
			href(&p, path.data);
			esc(&p, pg->title != NULL ? pg->title : pg->name);
			putstr(&p, "</a>\n");
		}
		putstr(&p, "</ul>\n");
	}
	/* The views are absolute: they leave the current one. */
	putstr(&p, "<p>");
	ui(&p, p.w[WORDS_CHARSETS]);
	putstr(&p, "\n<a href=\"/utf8/\">UTF-8</a> |\n"
	    "<a href=\"/latin1/\">Latin-1</a> |\n"
	    "<a href=\"/ascii/\">ASCII</a></p>\n");
	buf_release(&path);
	return done(&p);
}

/* Consecutive blocks of these kinds share one list or one quotation. */
static int
is_run(enum block_type a, enum block_type b)
{
	return a == b &&
	    (a == BLOCK_LIST || a == BLOCK_QUOTE || a == BLOCK_LINK);
}

static void
blocks(struct wp *p, const struct block *v, size_t n)
{
	const struct block	*b;
	size_t			 i;
	int			 first, last;

	for (i = 0; i < n; i++) {
		b = &v[i];
		first = i == 0 || !is_run(v[i - 1].type, b->type);
		last = i + 1 == n || !is_run(b->type, v[i + 1].type);
		switch (b->type) {
		case BLOCK_PARAGRAPH:
			putstr(p, "<p>");
			esc(p, b->text);
			putstr(p, "</p>\n");
			break;
		case BLOCK_HEADING1:
		case BLOCK_HEADING2:
		case BLOCK_HEADING3:
			/* The page's title is the only <h1>. */
			putstr(p, b->type == BLOCK_HEADING1 ? "<h2>" :
			    b->type == BLOCK_HEADING2 ? "<h3>" : "<h4>");
			esc(p, b->text);
			putstr(p, b->type == BLOCK_HEADING1 ? "</h2>\n" :
			    b->type == BLOCK_HEADING2 ? "</h3>\n" : "</h4>\n");
			break;
		case BLOCK_QUOTE:
			putstr(p, first ? "<blockquote><p>" : "<br>\n");
			esc(p, b->text);
			if (last)
				putstr(p, "</p></blockquote>\n");
			break;
		case BLOCK_LIST:
			if (first)
				putstr(p, "<ul>\n");
			putstr(p, "<li>");
			esc(p, b->text);
			putstr(p, "\n");
			if (last)
				putstr(p, "</ul>\n");
			break;
		case BLOCK_LINK:
			putstr(p, first ? "<p>" : "<br>\n");
			putstr(p, "<a href=\"");
			foreign_url(p, b->url != NULL ? b->url : "");
			putstr(p, "\">");
			esc(p, b->text[0] != '\0' ? b->text :
			    b->url != NULL ? b->url : "");
			putstr(p, "</a>");
			if (last)
				putstr(p, "</p>\n");
			break;
		case BLOCK_PRE:
			putstr(p, "<pre>");
			esc(p, b->text);
			putstr(p, "</pre>\n");
			break;
		}
	}
}

static void
category_path(struct wp *p, struct buf *b, const char *slug)
{
	buf_puts(b, "/categories/");
	segment(p, b, slug);
	buf_puts(b, "/");
	if (b->failed)
		p->err = 1;
}

int
web_article(struct buf *out, const struct conf *conf,
    const struct web_view *v, const struct article *a)
{
	struct wp	 p;
	struct buf	 cat = BUF_INIT;
	size_t		 i;

	begin(&p, out, conf, v, a->lang, -1, a->title);
	putstr(&p, "<h1>");
	esc(&p, a->title);
	putstr(&p, "</h1>\n<p>");
	ui(&p, p.w[WORDS_PUBLISHED]);
	date_words(&p, a->date, 0);
	if (a->time[0] != '\0') {
		ui(&p, p.w[WORDS_AT]);
		esc(&p, a->time);
	}
	if (a->nauthors > 0) {
		putstr(&p, "<br>\n");
		ui(&p, p.w[WORDS_BY]);
		for (i = 0; i < a->nauthors; i++) {
			if (i > 0)
				ui(&p, i + 1 == a->nauthors ? p.w[WORDS_AND] :
				    ", ");
			esc(&p, a->authors[i]);
		}
	}
	if (a->category != NULL && a->category_slug != NULL) {
		category_path(&p, &cat, a->category_slug);
		if (!cat.failed) {
			putstr(&p, "<br>\n");
			ui(&p, p.w[WORDS_CATEGORY]);
			href(&p, cat.data);
			esc(&p, a->category);
			putstr(&p, "</a>");
		}
	}
	if (a->ntags > 0) {
		putstr(&p, "<br>\n");
		ui(&p, p.w[WORDS_TAGS]);
		for (i = 0; i < a->ntags; i++) {
			if (i > 0)
				putstr(&p, ", ");
			esc(&p, a->tags[i]);
		}
	}
	putstr(&p, "</p>\n");
	blocks(&p, a->blocks, a->nblocks);
	if (a->source != NULL) {
		putstr(&p, "<p><a href=\"");
		foreign_url(&p, a->source);
		putstr(&p, "\">");
		ui(&p, p.w[WORDS_SOURCE]);
		putstr(&p, "</a></p>\n");
	}
	if (a->category != NULL && a->category_slug != NULL && !cat.failed) {
		putstr(&p, "<p>");
		href(&p, cat.data);
		ui(&p, p.w[WORDS_MORE_IN]);
		esc(&p, a->category);
		ui(&p, p.w[WORDS_QUOTE_END]);
		putstr(&p, "</a></p>\n");
	}
	foot(&p);
	buf_release(&cat);
	return done(&p);
}

/* How a paged list names its pages: page 1 "first", page N stem N tail. */
struct pager {
	const char	*first;
	const char	*stem;
	const char	*tail;
};

static void
page_path(struct wp *p, struct buf *b, const struct pager *pg, size_t page)
{
	buf_reset(b);
	if (page == 1)
		buf_puts(b, pg->first);
	else
		buf_printf(b, "%s%zu%s", pg->stem, page, pg->tail);
	if (b->failed)
		p->err = 1;
}

/* "Page 2 sur 77" and the links around it; nothing for one page. */
static void
nav(struct wp *p, const struct paging *pp, const struct pager *pg)
{
	struct buf	 path = BUF_INIT;

	if (pp->npages <= 1)
		return;
	putstr(p, "<p>");
	ui(p, p->w[WORDS_PAGE]);
	number(p, pp->page);
	ui(p, p->w[WORDS_PAGE_OF]);
	number(p, pp->npages);
	if (pp->page > 1) {
		page_path(p, &path, pg, pp->page - 1);
		if (!path.failed) {
			putstr(p, "<br>\n");
			link_ui(p, path.data, p->w[WORDS_PREVIOUS_PAGE]);
		}
	}
	if (pp->page < pp->npages) {
		page_path(p, &path, pg, pp->page + 1);
		if (!path.failed) {
			putstr(p, "<br>\n");
			link_ui(p, path.data, p->w[WORDS_NEXT_PAGE]);
		}
	}
	putstr(p, "</p>\n");
	buf_release(&path);
}

static int
page_of(const struct conf *conf, struct paging *pp, size_t total,
    size_t page)
{
	return paging_init(pp, total, paging_size(conf->page_size), page);
}

static void
article_list(struct wp *p, const struct article *const *v,
    const struct paging *pp)
{
	size_t	 i;

	if (pp->count == 0)
		return;
	putstr(p, "<ul>\n");
	for (i = pp->first; i < pp->first + pp->count; i++)
		article_item(p, v[i]);
	putstr(p, "</ul>\n");
}

static void
heading(struct wp *p, const char *words, const char *text)
{
	putstr(p, "<h1>");
	ui(p, words);
	esc(p, text);
	putstr(p, "</h1>\n");
}

int
web_categories(struct buf *out, const struct conf *conf,
    const struct web_view *v, const struct store *st, size_t page)
{
	static const struct pager	 pg = {
		"/categories/", "/categories/_/", ".html"
	};
	struct wp			 p;
	struct buf			 path = BUF_INIT;
	const struct store_category	*c;
	struct paging			 pp;
	size_t				 i, n;

	n = store_ncategories(st);
	if (page_of(conf, &pp, n, page) == -1)
		return -1;
	begin(&p, out, conf, v, conf->lang, WORDS_CATEGORIES, NULL);
	heading(&p, p.w[WORDS_CATEGORIES], NULL);
	if (n == 0) {
		putstr(&p, "<p>");
		ui(&p, p.w[WORDS_NO_ARTICLE_YET]);
		putstr(&p, "</p>\n");
	} else
		putstr(&p, "<ul>\n");
	for (i = pp.first; i < pp.first + pp.count; i++) {
		c = store_category_at(st, i);
		buf_reset(&path);
		category_path(&p, &path, c->slug);
		if (path.failed)
			break;
		putstr(&p, "<li>");
		href(&p, path.data);
		esc(&p, c->name);
		putstr(&p, "</a>");
		count(&p, c->narticles);
		putstr(&p, "\n");
	}
	if (n > 0)
		putstr(&p, "</ul>\n");
	nav(&p, &pp, &pg);
	foot(&p);
	buf_release(&path);
	return done(&p);
}

int
web_category(struct buf *out, const struct conf *conf,
    const struct web_view *v, const struct store_category *c, size_t page)
{
	struct wp	 p;
	struct buf	 first = BUF_INIT, feed = BUF_INIT;
	struct pager	 pg;
	struct paging	 pp;

	if (page_of(conf, &pp, c->narticles, page) == -1)
		return -1;
	/* Its own feed, in the head too: a reader subscribes to it alone. */
	if (buf_puts(&feed, "/categories/") == -1 ||
	    gemtext_encode_segment(&feed, c->slug, strlen(c->slug)) == -1)
		feed.failed = 1;
	buf_puts(&feed, "/atom.xml");
	begin_feed(&p, out, conf, v, conf->lang, WORDS_CATEGORY, c->name,
	    feed.data != NULL ? feed.data : "/atom.xml");
	category_path(&p, &first, c->slug);
	if (first.failed || feed.failed) {
		p.err = 1;
		goto out;
	}
	pg.first = first.data;
	pg.stem = first.data;
	pg.tail = ".html";
	heading(&p, p.w[WORDS_CATEGORY], c->name);
	article_list(&p, c->articles, &pp);
	nav(&p, &pp, &pg);
	putstr(&p, "<p>");
	/* Readers subscribe to a category from its first page. */
	if (pp.page == 1) {
		link_ui(&p, feed.data, p.w[WORDS_CATEGORY_FEED]);
		putstr(&p, "<br>\n");
	}
	link_ui(&p, "/categories/", p.w[WORDS_ALL_CATEGORIES]);
	putstr(&p, "</p>\n");
	foot(&p);
out:
	buf_release(&first);
	buf_release(&feed);
	return done(&p);
}

int
web_archive(struct buf *out, const struct conf *conf,
    const struct web_view *v, const struct store *st, size_t page)
{
	static const struct pager	 pg = {
		"/archive/", "/archive/_/", ".html"
	};
	struct wp			 p;
	struct paging_year		 y;
	struct paging			 pp;
	size_t				 i;

	if (page_of(conf, &pp, paging_nyears(st), page) == -1)
		return -1;
	begin(&p, out, conf, v, conf->lang, WORDS_ARCHIVE, NULL);
	heading(&p, p.w[WORDS_ARCHIVE], NULL);
	if (store_nmonths(st) == 0) {
		putstr(&p, "<p>");
		ui(&p, p.w[WORDS_NO_ARTICLE_YET]);
		putstr(&p, "</p>\n");
	}
	if (pp.count > 0)
		putstr(&p, "<ul>\n");
	for (i = pp.first; i < pp.first + pp.count; i++) {
		if (paging_year_at(st, i, &y) == -1) {
			p.err = 1;
			break;
		}
		putstr(&p, "<li><a href=\"");
		esc(&p, v->prefix);
		putstr(&p, "/archive/");
		putstr(&p, y.year);
		putstr(&p, "/\">");
		putstr(&p, y.year);
		putstr(&p, "</a>");
		count(&p, y.narticles);
		putstr(&p, "\n");
	}
	if (pp.count > 0)
		putstr(&p, "</ul>\n");
	nav(&p, &pp, &pg);
	foot(&p);
	return done(&p);
}

int
web_year(struct buf *out, const struct conf *conf, const struct web_view *v,
    const struct store *st, const char *year)
{
	struct wp			 p;
	const struct store_month	*m;
	struct paging_year		 y;
	size_t				 i;

	if (paging_year_get(st, year, &y) == -1)
		return -1;
	begin(&p, out, conf, v, conf->lang, WORDS_ARCHIVE_OF, y.year);
	heading(&p, p.w[WORDS_ARCHIVE_OF], y.year);
	putstr(&p, "<ul>\n");
	for (i = y.first; i < y.first + y.nmonths; i++) {
		m = store_month_at(st, i);
		putstr(&p, "<li><a href=\"");
		esc(&p, v->prefix);
		putstr(&p, "/archive/");
		putstr(&p, m->month);
		putstr(&p, "/\">");
		date_words(&p, m->month, 1);
		putstr(&p, "</a>");
		count(&p, m->narticles);
		putstr(&p, "\n");
	}
	putstr(&p, "</ul>\n<p>");
	link_ui(&p, "/archive/", p.w[WORDS_ALL_MONTHS]);
	putstr(&p, "</p>\n");
	foot(&p);
	return done(&p);
}

int
web_month(struct buf *out, const struct conf *conf, const struct web_view *v,
    const struct store_month *m, size_t page)
{
	struct wp	 p;
	struct buf	 first = BUF_INIT, year = BUF_INIT, title = BUF_INIT;
	struct pager	 pg;
	struct paging	 pp;

	if (page_of(conf, &pp, m->narticles, page) == -1)
		return -1;
	buf_printf(&first, "/archive/%s/", m->month);
	buf_printf(&year, "/archive/%.4s/", m->month);
	words_month(&title, words_for_lang(conf->lang), m->month, 0);
	begin(&p, out, conf, v, conf->lang, WORDS_ARCHIVE_OF, title.data);
	if (first.failed || year.failed || title.failed) {
		p.err = 1;
		goto out;
	}
	pg.first = first.data;
	pg.stem = first.data;
	pg.tail = ".html";
	heading(&p, p.w[WORDS_ARCHIVE_OF], title.data);
	article_list(&p, m->articles, &pp);
	nav(&p, &pp, &pg);
	/* Up the tree: the year, then the whole archive. */
	putstr(&p, "<p>");
	href(&p, year.data);
	ui(&p, p.w[WORDS_ARCHIVE_OF]);
	put(&p, m->month, 4);
	putstr(&p, "</a><br>\n");
	link_ui(&p, "/archive/", p.w[WORDS_ALL_MONTHS]);
	putstr(&p, "</p>\n");
	foot(&p);
out:
	buf_release(&first);
	buf_release(&year);
	buf_release(&title);
	return done(&p);
}

int
web_page(struct buf *out, const struct conf *conf, const struct web_view *v,
    const struct store_page *pg)
{
	struct wp	 p;
	const char	*title = pg->title != NULL ? pg->title : pg->name;
	size_t		 skip = 0;

	begin(&p, out, conf, v, conf->lang, -1, title);
	putstr(&p, "<h1>");
	esc(&p, title);
	putstr(&p, "</h1>\n");
	/* The page's own first heading is its title, written above. */
	if (pg->nblocks > 0 && pg->blocks[0].type == BLOCK_HEADING1 &&
	    pg->title != NULL && strcmp(pg->blocks[0].text, pg->title) == 0)
		skip = 1;
	blocks(&p, pg->blocks + skip, pg->nblocks - skip);
	foot(&p);
	return done(&p);
}

/* The form, and <isindex> for browsers older than forms. */
static void
search_form(struct wp *p, const char *q, size_t n)
{
	putstr(p, "<form method=\"get\" action=\"");
	esc(p, p->v->prefix);
	putstr(p, "/search\"><p><input type=\"text\" name=\"q\" size=\"30\""
	    " value=\"");
	if (q != NULL)
		esc_n(p, q, n);
	putstr(p, "\">\n<input type=\"submit\" value=\"");
	ui(p, p->w[WORDS_SEARCH]);
	putstr(p, "\"></p></form>\n");
}

int
web_search(struct buf *out, const struct conf *conf, const struct web_view *v,
    const char *query, size_t len, const struct article *const *found,
    size_t total, const struct paging *pp)
{
	struct wp	 p;
	struct buf	 q = BUF_INIT, first = BUF_INIT, tail = BUF_INIT;
	struct pager	 pg;

	if (query == NULL) {
		begin(&p, out, conf, v, conf->lang, WORDS_SEARCH, NULL);
		heading(&p, p.w[WORDS_SEARCH], NULL);
		search_form(&p, NULL, 0);
		putstr(&p, "<isindex>\n");
		foot(&p);
		return done(&p);
	}
	/* The reader's words, cleaned: no control character, NFC. */
	if (text_sanitize(&q, query, len, 0, NULL, NULL) == -1 || q.failed) {
		buf_release(&q);
		out->failed = 1;
		return -1;
	}
	begin(&p, out, conf, v, conf->lang, WORDS_SEARCH, NULL);
	putstr(&p, "<h1>");
	ui(&p, p.w[WORDS_SEARCH_FOR]);
	if (q.len > 0)
		esc_n(&p, q.data, q.len);
	ui(&p, p.w[WORDS_QUOTE_END]);
	putstr(&p, "</h1>\n<p>");
	if (total == 0)
		ui(&p, p.w[WORDS_FOUND_NONE]);
	else if (total == 1)
		ui(&p, p.w[WORDS_FOUND_ONE]);
	else {
		number(&p, total);
		ui(&p, p.w[WORDS_FOUND_MANY]);
	}
	putstr(&p, "</p>\n");
	article_list(&p, found, pp);
	/* The pages of the results carry the query: "/search/N?q=QUERY". */
	buf_puts(&tail, "?q=");
	if (gemtext_encode_segment(&tail, query, len) == -1)
		p.err = 1;
	buf_puts(&first, "/search");
	buf_puts(&first, tail.data != NULL ? tail.data : "");
	if (tail.failed || first.failed)
		p.err = 1;
	else {
		pg.first = first.data;
		pg.stem = "/search/";
		pg.tail = tail.data;
		nav(&p, pp, &pg);
	}
	search_form(&p, q.len > 0 ? q.data : "", q.len);
	foot(&p);
	buf_release(&q);
	buf_release(&first);
	buf_release(&tail);
	return done(&p);
}

int
web_error(struct buf *out, const struct conf *conf, const struct web_view *v,
    int status, const char *reason)
{
	struct wp	 p;
	char		 title[128];
	int		 n;

	n = snprintf(title, sizeof(title), "%d %s", status,
	    reason != NULL ? reason : "");
	if (n < 0 || (size_t)n >= sizeof(title)) {
		out->failed = 1;
		return -1;
	}
	begin(&p, out, conf, v, conf->lang, -1, title);
	putstr(&p, "<h1>");
	esc(&p, title);
	putstr(&p, "</h1>\n<p>");
	link_ui(&p, "/", p.w[WORDS_HOME]);
	putstr(&p, "</p>\n");
	return done(&p);
}

int
web_robots(struct buf *out, const struct conf *conf)
{
	(void)conf;
	return buf_puts(out,
	    "# Search results are an endless space of pages: bots keep out.\n"
	    "User-agent: *\n"
	    "Disallow: /search\n"
	    "Disallow: /utf8/search\n"
	    "Disallow: /latin1/search\n"
	    "Disallow: /ascii/search\n");
}

uint64_t
web_digest(uint64_t h, const void *v, size_t n)
{
	const unsigned char	*s = v;
	size_t			 i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* A string and its end, so that ("ab", "c") and ("a", "bc") differ. */
static uint64_t
digest_str(uint64_t h, const char *s)
{
	if (s == NULL)
		return web_digest(h, "\x01", 1);
	return web_digest(web_digest(h, s, strlen(s)), "", 1);
}

static uint64_t
digest_num(uint64_t h, long long n)
{
	return web_digest(h, &n, sizeof(n));
}

uint64_t
web_article_digest(uint64_t h, const struct conf *conf,
    const struct article *a)
{
	size_t	 i;

	/* What begin(), foot() and the words read from the configuration. */
	h = digest_str(h, conf->lang);
	h = digest_num(h, conf->french_spacing);
	/* And every field of the article that web_article() writes. */
	h = digest_str(h, a->id);
	h = digest_str(h, a->title);
	h = digest_str(h, a->date);
	h = digest_str(h, a->time);
	h = digest_str(h, a->lang);
	h = digest_str(h, a->category);
	h = digest_str(h, a->category_slug);
	h = digest_str(h, a->source);
	h = digest_num(h, (long long)a->nauthors);
	for (i = 0; i < a->nauthors; i++)
		h = digest_str(h, a->authors[i]);
	h = digest_num(h, (long long)a->ntags);
	for (i = 0; i < a->ntags; i++)
		h = digest_str(h, a->tags[i]);
	h = digest_num(h, (long long)a->nblocks);
	for (i = 0; i < a->nblocks; i++) {
		h = digest_num(h, a->blocks[i].type);
		h = digest_str(h, a->blocks[i].text);
		h = digest_str(h, a->blocks[i].url);
		h = digest_str(h, a->blocks[i].alt);
	}
	return h;
}
