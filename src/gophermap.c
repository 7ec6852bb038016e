/* griot: Gopher menus and texts.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Renders a store snapshot as Gopher menus in one charset view, and the
 * small texts beside them (caps.txt, robots.txt, the URL: page);
 * gophermap_item() is the only code in griot that writes a menu line.
 * The texts of articles and pages are gophertext.c's.  See gophermap.h
 * for the layout decisions.
 */

#include "griot-config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "article.h"
#include "buf.h"
#include "config.h"
#include "gophermap.h"
#include "gopherlinks.h"
#include "paging.h"
#include "store.h"
#include "text.h"
#include "url.h"
#include "words.h"

/* The words of the capsule's lang (words.h), static storage. */
static const struct words *
words(const struct gophermap_view *v)
{
	return words_for_lang(v->conf->lang);
}

size_t
gophermap_width(const struct gophermap_view *v)
{
	return v->width;
}

/*
 * Every view, longest prefix first so that "/ascii/40" is found before
 * "/ascii": its charset (-1: the ini's) and its width segment (0: the
 * ini's width).
 */
static const struct {
	const char	*prefix;
	int		 charset;
	int		 screen;
} views[] = {
	{ "/latin1/40", TEXT_LATIN1, GOPHERMAP_NARROW },
	{ "/latin1/80", TEXT_LATIN1, GOPHERMAP_WIDE },
	{ "/ascii/40", TEXT_ASCII, GOPHERMAP_NARROW },
	{ "/ascii/80", TEXT_ASCII, GOPHERMAP_WIDE },
	{ "/utf8/40", TEXT_UTF8, GOPHERMAP_NARROW },
	{ "/utf8/80", TEXT_UTF8, GOPHERMAP_WIDE },
	{ "/latin1", TEXT_LATIN1, 0 },
	{ "/ascii", TEXT_ASCII, 0 },
	{ "/utf8", TEXT_UTF8, 0 },
	{ "/40", -1, GOPHERMAP_NARROW },
	{ "/80", -1, GOPHERMAP_WIDE },
	{ "", -1, 0 }
};

const char *
gophermap_view_prefix(const char *sel)
{
	size_t	 i, n;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		n = strlen(views[i].prefix);
		if (strncmp(sel, views[i].prefix, n) == 0 &&
		    (sel[n] == '\0' || sel[n] == '/'))
			return views[i].prefix;
	}
	return "";
}

int
gophermap_view_init(struct gophermap_view *v, const struct conf *conf,
    const struct store *store, const char *prefix)
{
	size_t	 i;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (strcmp(prefix, views[i].prefix) == 0)
			break;
	if (i == sizeof(views) / sizeof(views[0]))
		return -1;
	v->conf = conf;
	v->store = store;
	v->prefix = views[i].prefix;
	v->charset = views[i].charset == -1 ? conf->charset :
	    (enum text_charset)views[i].charset;
	v->screen = views[i].screen;
	if (v->screen == GOPHERMAP_NARROW) {
		v->width = GOPHERMAP_NARROW_TEXT;
		v->menu_width = GOPHERMAP_NARROW_MENU;
	} else if (v->screen == GOPHERMAP_WIDE) {
		v->width = GOPHERMAP_WIDE_TEXT;
		v->menu_width = GOPHERMAP_WIDE_MENU;
	} else {
		/* The operator's width, as it always was. */
		v->width = conf->width < GOPHERMAP_WIDTH_MIN ?
		    GOPHERMAP_WIDTH_MIN : (size_t)conf->width;
		v->menu_width = v->width - 1;
	}
	return 0;
}

/*
 * A selector inside the view: its prefix, then the pieces (the first
 * starts with "/"), concatenated; -1 when longer than a selector may be.
 */
static int
selector(char *dst, size_t size, const struct gophermap_view *v,
    const char *a, const char *b, const char *c)
{
	const char	*piece[4];
	size_t		 i, n, len = 0;

	piece[0] = v->prefix;
	piece[1] = a;
	piece[2] = b;
	piece[3] = c;
	for (i = 0; i < 4; i++) {
		if (piece[i] == NULL)
			continue;
		n = strlen(piece[i]);
		if (n >= size - len)
			return -1;
		memcpy(dst + len, piece[i], n);
		len += n;
	}
	dst[len] = '\0';
	return 0;
}

static int
is_field(const char *s, size_t max)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= max)
			return 0;
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	}
	return 1;
}

/*
 * The columns a client's own marker takes after a title beyond the one
 * of a menu's "/", which the menu width of a width view already leaves:
 * UMN gopher writes " <?>" after a search, " <HTML>" after a "URL:"
 * link, " <TEL>" after a telnet session, and fits the title before it.
 */
static size_t
marker_room(int type)
{
	switch (type) {
	case '7':
		return 3;
	case 'h':
		return 7;	/* seen: 20 columns left of 27 at 40 */
	case '2':
	case '8':
	case 'T':
		return 5;
	default:
		return 0;
	}
}

int
gophermap_item(struct buf *out, const struct gophermap_view *v, int type,
    const char *display, const char *sel)
{
	return gophermap_item_at(out, v, type, display, sel, NULL, 0, 0);
}

int
gophermap_item_at(struct buf *out, const struct gophermap_view *v, int type,
    const char *display, const char *sel, const char *host, int port,
    int flags)
{
	size_t		 start = out->len, i;

	if (host == NULL) {
		host = v->conf->hostname;
		port = v->conf->gopher_public_port;
	}
	if (sel == NULL)
		sel = "";
	if (display == NULL)
		display = "";
	if (type <= 0x20 || type >= 0x7f || !is_field(sel, GOPHERMAP_SELECTOR_MAX) ||
	    host == NULL || host[0] == '\0' || !is_field(host, 255) ||
	    port <= 0 || port > 65535)
		return -1;
	if (buf_addc(out, type) == -1)
		goto fail;
	/*
	 * A whole display is the caller's: a URL a reader must copy.  The
	 * default view's menus stay as they always were; the width views
	 * leave room for the clients' markers.
	 */
	if ((flags & GOPHERMAP_WHOLE) ? text_encode(out, display,
	    strlen(display), v->charset) == -1 : text_fit(out, display,
	    strlen(display), v->menu_width - (v->screen != 0 ?
	    marker_room(type) : 0), v->charset) == -1)
		goto fail;
	/* text_fit already turns controls into spaces; be sure of it. */
	for (i = start + 1; i < out->len; i++)
		if ((unsigned char)out->data[i] < 0x20 ||
		    out->data[i] == 0x7f)
			out->data[i] = ' ';
	if (buf_printf(out, "\t%s\t%s\t%d\r\n", sel, host, port) == -1)
		goto fail;
	return 0;
fail:
	buf_truncate(out, start);
	return -1;
}

/*
 * Concatenate the UTF-8 pieces (a NULL-terminated list) into "dst",
 * with French spacing when the ini asks for it.
 */
int
gophermap_compose(struct buf *dst, const struct gophermap_view *v, ...)
{
	struct buf	 raw = BUF_INIT;
	va_list		 ap;
	const char	*s;
	int		 rc = -1;

	va_start(ap, v);
	while ((s = va_arg(ap, const char *)) != NULL)
		buf_puts(&raw, s);
	va_end(ap);
	if (raw.failed)
		goto done;
	if (raw.len == 0)
		rc = 0;
	else if (v->conf->french_spacing)
		rc = text_french_spacing(dst, raw.data, raw.len);
	else
		rc = buf_add(dst, raw.data, raw.len);
done:
	buf_release(&raw);
	return rc;
}

/* A menu line whose display is composed of pieces, NULL-terminated. */
static int
itemv(struct buf *out, const struct gophermap_view *v, int type,
    const char *sel, va_list ap)
{
	struct buf	 raw = BUF_INIT, disp = BUF_INIT;
	const char	*s;
	int		 rc = -1;

	while ((s = va_arg(ap, const char *)) != NULL)
		buf_puts(&raw, s);
	if (raw.failed || buf_add(&raw, "", 0) == -1)
		goto done;
	if (gophermap_compose(&disp, v, raw.data, (const char *)NULL) == -1 ||
	    buf_add(&disp, "", 0) == -1)
		goto done;
	rc = gophermap_item(out, v, type, disp.data, sel);
done:
	/* Out of memory here is out of memory for the menu (soft()). */
	if (raw.failed || disp.failed)
		out->failed = 1;
	buf_release(&raw);
	buf_release(&disp);
	return rc;
}

static int	item(struct buf *, const struct gophermap_view *, int,
	    const char *, ...) __attribute__((__sentinel__));

static int
item(struct buf *out, const struct gophermap_view *v, int type,
    const char *sel, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, sel);
	rc = itemv(out, v, type, sel, ap);
	va_end(ap);
	return rc;
}

int
gophermap_itemf(struct buf *out, const struct gophermap_view *v, int type,
    const char *sel, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, sel);
	rc = itemv(out, v, type, sel, ap);
	va_end(ap);
	return rc;
}

/*
 * An item of a list that cannot be written (its selector would pass
 * GOPHERMAP_SELECTOR_MAX bytes: gophermap_check() names these at load) is
 * left out, so that one item never empties a menu.  Only running out of
 * memory fails the menu: then "out" is marked failed.
 */
static int
soft(const struct buf *out, int rc)
{
	return rc == -1 && out->failed ? -1 : 0;
}

static int
blank(struct buf *out, const struct gophermap_view *v)
{
	return gophermap_item(out, v, 'i', "", NULL);
}

static int
end(struct buf *out)
{
	return buf_puts(out, ".\r\n");
}

/*
 * Wrapped text as i lines.  text_wrap() gives lines in the output
 * charset; each goes back to UTF-8 (Latin-1 bytes are their own code
 * points) so that gophermap_item() fits it, which then changes nothing.
 */
static int
info_wrap(struct buf *out, const struct gophermap_view *v, const char *s,
    size_t len)
{
	struct buf	 lines = BUF_INIT, line = BUF_INIT;
	struct text_wrap tw;
	size_t		 i, j;
	int		 rc = -1;

	tw.width = v->menu_width;
	tw.charset = v->charset;
	tw.first = NULL;
	tw.rest = NULL;
	tw.eol = "\n";
	if (text_wrap(&lines, s, len, &tw) == -1)
		goto done;
	for (i = 0; i < lines.len; i = j + 1) {
		for (j = i; j < lines.len && lines.data[j] != '\n'; j++)
			;
		buf_reset(&line);
		if (v->charset == TEXT_LATIN1 ?
		    text_from_latin1(&line, lines.data + i, j - i) == -1 :
		    buf_add(&line, lines.data + i, j - i) == -1)
			goto done;
		if (buf_add(&line, "", 0) == -1 ||
		    gophermap_item(out, v, 'i', line.data, NULL) == -1)
			goto done;
	}
	rc = 0;
done:
	buf_release(&lines);
	buf_release(&line);
	return rc;
}

static int	count_of(char *, size_t, size_t);

/*
 * An article, then, when it has links, the item of their menu
 * (gopherlinks.h): "  Liens (3)".
 */
static int
article_item(struct buf *out, const struct gophermap_view *v,
    const struct article *a)
{
	char	 sel[GOPHERMAP_SELECTOR_MAX + 1];
	char	 count[32];
	const char *date = a->date;
	size_t	 n;

	/*
	 * On a 40-column screen the year leaves the title some 16 columns:
	 * "MM-DD" there, the page and its neighbours saying the rest.
	 */
	if (v->screen == GOPHERMAP_NARROW && strlen(date) == 10)
		date += 5;
	if (selector(sel, sizeof(sel), v, "/articles/", a->id, ".txt") == -1 ||
	    item(out, v, '0', sel, date, " ", a->title,
	    (const char *)NULL) == -1)
		return -1;
	if ((n = gopherlinks_count(a)) == 0)
		return 0;
	if (gopherlinks_selector(sel, sizeof(sel), v, a) == -1 ||
	    count_of(count, sizeof(count), n) == -1)
		return -1;
	return item(out, v, '1', sel, "  ", words(v)->word[WORDS_LINKS], count,
	    (const char *)NULL);
}

static int
link_item(struct buf *out, const struct gophermap_view *v, int type,
    const char *path, const char *display)
{
	char	 sel[GOPHERMAP_SELECTOR_MAX + 1];

	if (selector(sel, sizeof(sel), v, path, NULL, NULL) == -1)
		return -1;
	return item(out, v, type, sel, display, (const char *)NULL);
}

static int
home_item(struct buf *out, const struct gophermap_view *v)
{
	return link_item(out, v, '1', "/", words(v)->word[WORDS_HOME]);
}

/* " (1234)" */
static int
count_of(char *dst, size_t size, size_t n)
{
	int	 len;

	len = snprintf(dst, size, " (%zu)", n);
	return len < 0 || (size_t)len >= size ? -1 : 0;
}

static int
category_item(struct buf *out, const struct gophermap_view *v,
    const struct store_category *c)
{
	char	 sel[GOPHERMAP_SELECTOR_MAX + 1];
	char	 count[32];

	if (selector(sel, sizeof(sel), v, "/categories/", c->slug,
	    NULL) == -1 || count_of(count, sizeof(count), c->narticles) == -1)
		return -1;
	return item(out, v, '1', sel, c->name, count, (const char *)NULL);
}

/* "Février 2026 (4)" for "2026-02". */
static int
month_item(struct buf *out, const struct gophermap_view *v,
    const struct store_month *m)
{
	struct buf	 name = BUF_INIT;
	char		 sel[GOPHERMAP_SELECTOR_MAX + 1];
	char		 count[32];
	int		 rc = -1;

	if (selector(sel, sizeof(sel), v, "/archive/", m->month, NULL) == -1 ||
	    count_of(count, sizeof(count), m->narticles) == -1)
		goto done;
	if (words_month(&name, words(v), m->month, 1) == -1) {
		out->failed = 1;
		goto done;
	}
	rc = item(out, v, '1', sel, name.data, count, (const char *)NULL);
done:
	buf_release(&name);
	return rc;
}

/* "2026 (1234)" */
static int
year_item(struct buf *out, const struct gophermap_view *v,
    const struct paging_year *y)
{
	char	 sel[GOPHERMAP_SELECTOR_MAX + 1];
	char	 count[32];

	if (selector(sel, sizeof(sel), v, "/archive/", y->year, NULL) == -1 ||
	    count_of(count, sizeof(count), y->narticles) == -1)
		return -1;
	return item(out, v, '1', sel, y->year, count, (const char *)NULL);
}

/* The "URL:gemini://..." selector of the capsule's root, from the ini. */
static int
gemini_url(char *dst, size_t size, const struct conf *conf)
{
	struct buf	 u = BUF_INIT;
	int		 rc = -1;

	if (buf_puts(&u, "URL:") == -1 ||
	    url_gemini(&u, conf->hostname, conf->gemini_public_port,
	    "/") == -1 || u.len >= size)
		goto done;
	memcpy(dst, u.data, u.len + 1);
	rc = 0;
done:
	buf_release(&u);
	return rc;
}

/*
 * How a paged list names its pages, inside the view: page 1 is "first"
 * (the list's address from before pages, so that old links still
 * work), page N is "stem" N "tail".
 */
struct pager {
	const char	*first;
	const char	*stem;
	const char	*tail;
};

static int
page_selector(char *dst, size_t size, const struct gophermap_view *v,
    const struct pager *pg, size_t page)
{
	char	 num[32];
	int	 n;

	if (pg->first[0] == '\0' || pg->stem[0] == '\0')
		return -1;
	if (page == 1)
		return selector(dst, size, v, pg->first, NULL, NULL);
	n = snprintf(num, sizeof(num), "%zu", page);
	if (n < 0 || (size_t)n >= sizeof(num))
		return -1;
	return selector(dst, size, v, pg->stem, num, pg->tail);
}

/*
 * After the items of a page: "Page 2 sur 77", then the previous and
 * the next page (items of "type").  Nothing when the list fits one page.
 */
static int
nav(struct buf *out, const struct gophermap_view *v, const struct paging *p,
    const struct pager *pg, int type)
{
	const char *const	*w = words(v)->word;
	char			 sel[GOPHERMAP_SELECTOR_MAX + 1];
	char			 num[32], of[32];
	int			 n;

	if (p->npages <= 1)
		return 0;
	n = snprintf(num, sizeof(num), "%zu", p->page);
	if (n < 0 || (size_t)n >= sizeof(num))
		return -1;
	n = snprintf(of, sizeof(of), "%zu", p->npages);
	if (n < 0 || (size_t)n >= sizeof(of))
		return -1;
	if (blank(out, v) == -1 ||
	    item(out, v, 'i', NULL, w[WORDS_PAGE], num, w[WORDS_PAGE_OF], of,
	    (const char *)NULL) == -1)
		return -1;
	if (p->page > 1 && soft(out, page_selector(sel, sizeof(sel), v, pg,
	    p->page - 1) == -1 ? -1 : item(out, v, type, sel,
	    w[WORDS_PREVIOUS_PAGE], (const char *)NULL)) == -1)
		return -1;
	if (p->page < p->npages && soft(out, page_selector(sel, sizeof(sel),
	    v, pg, p->page + 1) == -1 ? -1 : item(out, v, type, sel,
	    w[WORDS_NEXT_PAGE], (const char *)NULL)) == -1)
		return -1;
	return 0;
}

int
gophermap_pages(struct buf *out, const struct gophermap_view *v,
    const struct paging *p, const char *first, const char *stem,
    const char *tail, int type)
{
	struct pager	 pg;

	pg.first = first;
	pg.stem = stem;
	pg.tail = tail;
	return nav(out, v, p, &pg, type);
}

/*
 * One item of the view chooser: "label" then, when "n" is not 0, "n"
 * and "tail"; the selector is the view "[/CHARSET][/WIDTH]" and "/".
 */
static int
chooser_item(struct buf *out, const struct gophermap_view *v,
    const char *charset, int screen, const char *label, int n,
    const char *tail)
{
	char	 sel[GOPHERMAP_PREFIX_MAX + 8], disp[128];
	int	 k;

	k = screen != 0 ? snprintf(sel, sizeof(sel), "%s/%d/", charset,
	    screen) : snprintf(sel, sizeof(sel), "%s/", charset);
	if (k < 0 || (size_t)k >= sizeof(sel))
		return -1;
	k = n != 0 ? snprintf(disp, sizeof(disp), "%s%d%s", label, n, tail) :
	    snprintf(disp, sizeof(disp), "%s", label);
	if (k < 0 || (size_t)k >= sizeof(disp))
		return -1;
	return gophermap_item(out, v, '1', disp, sel);
}

/* An i line, or several in a narrow view rather than one cut short. */
static int
heading(struct buf *out, const struct gophermap_view *v, const char *s)
{
	if (strlen(s) <= v->menu_width)
		return gophermap_item(out, v, 'i', s, NULL);
	return info_wrap(out, v, s, strlen(s));
}

/*
 * The view chooser at the bottom of every root menu: the charsets (in
 * this view's width), then the widths (in this view's charset), the
 * view's own width replaced by the way back to the ini's.  Pure ASCII
 * lines, readable whatever the reader's charset; the short words when
 * the long ones would be cut (with a non-ASCII ellipsis in the UTF-8
 * view).
 */
static int
chooser(struct buf *out, const struct gophermap_view *v)
{
	const char *const	*w = words(v)->word;
	char			 cs[GOPHERMAP_PREFIX_MAX];
	size_t			 n = 0;
	int			 narrow, scr = v->screen;

	/* The charset segment of this view's prefix: "", "/ascii"... */
	if (v->prefix[0] == '/' && (v->prefix[1] < '0' || v->prefix[1] > '9'))
		n = 1 + strcspn(v->prefix + 1, "/");
	if (n >= sizeof(cs))
		return -1;
	memcpy(cs, v->prefix, n);
	cs[n] = '\0';

	narrow = v->menu_width < strlen(w[WORDS_ASCII]) ||
	    v->menu_width < strlen(w[WORDS_CHARSETS]);
	if (blank(out, v) == -1 ||
	    heading(out, v, w[narrow ? WORDS_CHARSETS_SHORT :
	    WORDS_CHARSETS]) == -1 ||
	    chooser_item(out, v, "/utf8", scr, w[WORDS_UTF8], 0, NULL) == -1 ||
	    chooser_item(out, v, "/latin1", scr, w[narrow ?
	    WORDS_LATIN1_SHORT : WORDS_LATIN1], 0, NULL) == -1 ||
	    chooser_item(out, v, "/ascii", scr, w[narrow ? WORDS_ASCII_SHORT :
	    WORDS_ASCII], 0, NULL) == -1 ||
	    heading(out, v, w[WORDS_WIDTHS]) == -1)
		return -1;
	if (scr != 0 && chooser_item(out, v, cs, 0, w[WORDS_WIDTH_DEFAULT],
	    v->conf->width < GOPHERMAP_WIDTH_MIN ? GOPHERMAP_WIDTH_MIN :
	    v->conf->width, w[WORDS_COLUMNS]) == -1)
		return -1;
	if (scr != GOPHERMAP_NARROW && chooser_item(out, v, cs,
	    GOPHERMAP_NARROW, w[WORDS_SCREEN], GOPHERMAP_NARROW,
	    w[WORDS_COLUMNS]) == -1)
		return -1;
	if (scr != GOPHERMAP_WIDE && chooser_item(out, v, cs, GOPHERMAP_WIDE,
	    w[WORDS_SCREEN], GOPHERMAP_WIDE, w[WORDS_COLUMNS]) == -1)
		return -1;
	return 0;
}

/* Root categories listed one by one up to this many; beyond, a link. */
#define ROOT_CATEGORIES_MAX	30

int
gophermap_root(struct buf *out, const struct gophermap_view *v)
{
	const char *const	*w = words(v)->word;
	const struct conf	*conf = v->conf;
	char			 sel[GOPHERMAP_SELECTOR_MAX + 1];
	size_t			 i, n, start = out->len;

	/*
	 * A width view wraps the capsule's name as its description, rather
	 * than cut it; the default view keeps its one line.
	 */
	if (v->screen != 0) {
		struct buf	 d = BUF_INIT;
		int		 rc;

		rc = gophermap_compose(&d, v, conf->name, (const char *)NULL);
		if (rc == 0 && d.len > 0)
			rc = info_wrap(out, v, d.data, d.len);
		buf_release(&d);
		if (rc == -1)
			goto fail;
	} else if (item(out, v, 'i', NULL, conf->name,
	    (const char *)NULL) == -1)
		goto fail;
	if (conf->description != NULL && conf->description[0] != '\0') {
		struct buf	 d = BUF_INIT;
		int		 rc;

		rc = gophermap_compose(&d, v, conf->description,
		    (const char *)NULL);
		if (rc == 0 && d.len > 0)
			rc = info_wrap(out, v, d.data, d.len);
		buf_release(&d);
		if (rc == -1)
			goto fail;
	}
	if (blank(out, v) == -1 ||
	    item(out, v, 'i', NULL, w[WORDS_LATEST], (const char *)NULL) == -1)
		goto fail;
	n = store_count(v->store);
	if (conf->latest >= 0 && (size_t)conf->latest < n)
		n = (size_t)conf->latest;
	if (store_count(v->store) == 0 &&
	    item(out, v, 'i', NULL, w[WORDS_NO_ARTICLE_PUBLISHED],
	    (const char *)NULL) == -1)
		goto fail;
	for (i = 0; i < n; i++)
		if (soft(out, article_item(out, v,
		    store_article_at(v->store, i))) == -1)
			goto fail;

	n = store_ncategories(v->store);
	if (n > 0) {
		if (blank(out, v) == -1 ||
		    item(out, v, 'i', NULL, w[WORDS_CATEGORIES],
		    (const char *)NULL) == -1)
			goto fail;
		for (i = 0; i < n && n <= ROOT_CATEGORIES_MAX; i++)
			if (soft(out, category_item(out, v,
			    store_category_at(v->store, i))) == -1)
				goto fail;
		if (n > ROOT_CATEGORIES_MAX &&
		    link_item(out, v, '1', "/categories/",
		    w[WORDS_ALL_CATEGORIES]) == -1)
			goto fail;
	}
	if (blank(out, v) == -1 ||
	    link_item(out, v, '1', "/archive/", w[WORDS_ARCHIVE]) == -1 ||
	    link_item(out, v, '7', "/search", w[WORDS_SEARCH]) == -1)
		goto fail;

	if (store_npages(v->store) > 0) {
		if (blank(out, v) == -1 ||
		    item(out, v, 'i', NULL, w[WORDS_PAGES],
		    (const char *)NULL) == -1)
			goto fail;
		for (i = 0; i < store_npages(v->store); i++) {
			const struct store_page	*p = store_page_at(v->store, i);

			if (soft(out, selector(sel, sizeof(sel), v, "/pages/",
			    p->name, ".txt") == -1 ? -1 : item(out, v, '0', sel,
			    p->title, (const char *)NULL)) == -1)
				goto fail;
		}
	}

	if (chooser(out, v) == -1)
		goto fail;
	/* A host name too long for the "URL:" selector: no link (-t says). */
	if (conf->gemini_enabled && gemini_url(sel, sizeof(sel), conf) == 0) {
		if (blank(out, v) == -1 ||
		    item(out, v, 'h', sel, w[WORDS_GEMINI],
		    (const char *)NULL) == -1)
			goto fail;
	}
	if (end(out) == -1)
		goto fail;
	return 0;
fail:
	buf_truncate(out, start);
	return -1;
}

/* The items of one page of articles; those that cannot be written left out. */
static int
articles_items(struct buf *out, const struct gophermap_view *v,
    const struct article *const *a, const struct paging *p)
{
	size_t	 i;

	for (i = p->first; i < p->first + p->count; i++)
		if (soft(out, article_item(out, v, a[i])) == -1)
			return -1;
	return 0;
}

/* The page of a list of "total" items, or -1 when there is none. */
static int
page_of(const struct gophermap_view *v, struct paging *p, size_t total,
    size_t page)
{
	return paging_init(p, total, paging_size(v->conf->page_size), page);
}

int
gophermap_categories(struct buf *out, const struct gophermap_view *v,
    size_t page)
{
	static const struct pager pg = {
		"/categories/", "/categories/_/", NULL
	};
	const char *const	*w = words(v)->word;
	struct paging		 p;
	size_t			 i, start = out->len;

	if (page_of(v, &p, store_ncategories(v->store), page) == -1)
		return -1;
	if (item(out, v, 'i', NULL, w[WORDS_CATEGORIES],
	    (const char *)NULL) == -1 ||
	    blank(out, v) == -1)
		goto fail;
	for (i = p.first; i < p.first + p.count; i++)
		if (soft(out, category_item(out, v,
		    store_category_at(v->store, i))) == -1)
			goto fail;
	if (nav(out, v, &p, &pg, '1') == -1 ||
	    blank(out, v) == -1 || home_item(out, v) == -1 || end(out) == -1)
		goto fail;
	return 0;
fail:
	buf_truncate(out, start);
	return -1;
}

int
gophermap_category(struct buf *out, const struct gophermap_view *v,
    const struct store_category *c, size_t page)
{
	const char *const	*w = words(v)->word;
	char			 first[GOPHERMAP_SELECTOR_MAX + 1];
	char			 stem[GOPHERMAP_SELECTOR_MAX + 1];
	struct pager		 pg = { first, stem, NULL };
	struct paging		 p;
	size_t			 start = out->len;
	int			 n;

	if (page_of(v, &p, c->narticles, page) == -1)
		return -1;
	/* Too long: the links are left out (nav() skips them). */
	n = snprintf(first, sizeof(first), "/categories/%s", c->slug);
	if (n < 0 || (size_t)n >= sizeof(first))
		first[0] = '\0';
	n = snprintf(stem, sizeof(stem), "/categories/%s/", c->slug);
	if (n < 0 || (size_t)n >= sizeof(stem))
		stem[0] = '\0';
	if (item(out, v, 'i', NULL, w[WORDS_CATEGORY], c->name,
	    (const char *)NULL) == -1 || blank(out, v) == -1 ||
	    articles_items(out, v, c->articles, &p) == -1 ||
	    nav(out, v, &p, &pg, '1') == -1 ||
	    blank(out, v) == -1 ||
	    link_item(out, v, '1', "/categories/",
	    w[WORDS_ALL_CATEGORIES]) == -1 ||
	    home_item(out, v) == -1 || end(out) == -1) {
		buf_truncate(out, start);
		return -1;
	}
	return 0;
}

int
gophermap_archive(struct buf *out, const struct gophermap_view *v,
    size_t page)
{
	static const struct pager pg = { "/archive/", "/archive/_/", NULL };
	const char *const	*w = words(v)->word;
	struct paging_year	 y;
	struct paging		 p;
	size_t			 i, start = out->len;

	if (page_of(v, &p, paging_nyears(v->store), page) == -1)
		return -1;
	if (item(out, v, 'i', NULL, w[WORDS_ARCHIVE],
	    (const char *)NULL) == -1 ||
	    blank(out, v) == -1)
		goto fail;
	if (store_nmonths(v->store) == 0 &&
	    item(out, v, 'i', NULL, w[WORDS_NO_ARTICLE_PUBLISHED],
	    (const char *)NULL) == -1)
		goto fail;
	for (i = p.first; i < p.first + p.count; i++)
		if (paging_year_at(v->store, i, &y) == -1 ||
		    soft(out, year_item(out, v, &y)) == -1)
			goto fail;
	if (nav(out, v, &p, &pg, '1') == -1 ||
	    blank(out, v) == -1 || home_item(out, v) == -1 || end(out) == -1)
		goto fail;
	return 0;
fail:
	buf_truncate(out, start);
	return -1;
}

int
gophermap_year(struct buf *out, const struct gophermap_view *v,
    const char *year)
{
	const char *const	*w = words(v)->word;
	struct paging_year	 y;
	size_t			 i, start = out->len;

	if (paging_year_get(v->store, year, &y) == -1)
		return -1;
	if (item(out, v, 'i', NULL, w[WORDS_ARCHIVE_OF], y.year,
	    (const char *)NULL) == -1 ||
	    blank(out, v) == -1)
		goto fail;
	for (i = y.first; i < y.first + y.nmonths; i++)
		if (soft(out, month_item(out, v,
		    store_month_at(v->store, i))) == -1)
			goto fail;
	if (blank(out, v) == -1 ||
	    link_item(out, v, '1', "/archive/", w[WORDS_WHOLE_ARCHIVE]) == -1 ||
	    home_item(out, v) == -1 || end(out) == -1)
		goto fail;
	return 0;
fail:
	buf_truncate(out, start);
	return -1;
}

int
gophermap_month(struct buf *out, const struct gophermap_view *v,
    const struct store_month *m, size_t page)
{
	const struct words	*lw = words(v);
	struct buf		 name = BUF_INIT;
	char			 first[GOPHERMAP_SELECTOR_MAX + 1];
	char			 stem[GOPHERMAP_SELECTOR_MAX + 1];
	char			 year[5];
	struct pager		 pg = { first, stem, NULL };
	struct paging		 p;
	size_t			 start = out->len;
	int			 n, rc = -1;

	if (page_of(v, &p, m->narticles, page) == -1)
		return -1;
	n = snprintf(first, sizeof(first), "/archive/%s", m->month);
	if (n < 0 || (size_t)n >= sizeof(first))
		goto done;
	n = snprintf(stem, sizeof(stem), "/archive/%s/", m->month);
	if (n < 0 || (size_t)n >= sizeof(stem))
		goto done;
	memcpy(year, m->month, 4);
	year[4] = '\0';
	if (words_month(&name, lw, m->month, 0) == -1 ||
	    item(out, v, 'i', NULL, lw->word[WORDS_ARCHIVE_OF], name.data,
	    (const char *)NULL) == -1 ||
	    blank(out, v) == -1 ||
	    articles_items(out, v, m->articles, &p) == -1 ||
	    nav(out, v, &p, &pg, '1') == -1 ||
	    blank(out, v) == -1)
		goto done;
	/* Up the tree: the year, then the whole archive. */
	if (selector(stem, sizeof(stem), v, "/archive/", year, NULL) == -1 ||
	    item(out, v, '1', stem, lw->word[WORDS_ARCHIVE_OF], year,
	    (const char *)NULL) == -1 ||
	    link_item(out, v, '1', "/archive/",
	    lw->word[WORDS_WHOLE_ARCHIVE]) == -1 ||
	    home_item(out, v) == -1 || end(out) == -1)
		goto done;
	rc = 0;
done:
	if (rc == -1)
		buf_truncate(out, start);
	buf_release(&name);
	return rc;
}

/*
 * The address of a search: "?" and the query, each byte outside
 * [A-Za-z0-9._~-] percent-encoded, as gopher.c reads it back.
 */
static int
query_tail(struct buf *dst, const char *q, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	size_t			 i;

	buf_addc(dst, '?');
	for (i = 0; i < len; i++) {
		c = (unsigned char)q[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_addc(dst, c);
		else {
			buf_addc(dst, '%');
			buf_addc(dst, hex[c >> 4]);
			buf_addc(dst, hex[c & 0x0f]);
		}
	}
	return buf_add(dst, "", 0);
}

/*
 * For a query that came in Latin-1 outside the Latin-1 view: say so,
 * and link to the same search in the Latin-1 view of the same width.
 * Pure ASCII, readable on that machine.
 */
static int
latin1_hint(struct buf *out, const struct gophermap_view *v,
    const char *query, size_t len)
{
	const char *const	*w = words(v)->word;
	struct gophermap_view	 av = *v;
	struct buf		 sel = BUF_INIT;
	int			 rc = -1;

	/*
	 * Pure ASCII, whatever the view, so that the Latin-1 machine reads
	 * it: wrapped, or cut with "...", never with a UTF-8 "…".
	 */
	av.charset = TEXT_ASCII;
	if (buf_puts(&sel, "/latin1") == -1 ||
	    (v->screen != 0 && buf_printf(&sel, "/%d", v->screen) == -1) ||
	    buf_puts(&sel, "/search") == -1 ||
	    query_tail(&sel, query, len) == -1) {
		out->failed = 1;
		goto done;
	}
	if (info_wrap(out, &av, w[WORDS_LATIN1_INPUT],
	    strlen(w[WORDS_LATIN1_INPUT])) == -1)
		goto done;
	/* Too long a query for a selector: the words alone. */
	if (sel.len <= GOPHERMAP_SELECTOR_MAX &&
	    gophermap_item(out, &av, '1', w[WORDS_LATIN1_RESULTS],
	    sel.data) == -1)
		goto done;
	rc = blank(out, v);
done:
	buf_release(&sel);
	return rc;
}

int
gophermap_search(struct buf *out, const struct gophermap_view *v,
    const char *query, size_t len, int latin1, size_t page, size_t *npages)
{
	const char *const	*w = words(v)->word;
	const struct article	**found = NULL;
	struct buf		 q = BUF_INIT, tail = BUF_INIT;
	struct buf		 first = BUF_INIT;
	struct pager		 pg;
	struct paging		 p;
	char			 num[32];
	size_t			 per, total, max, start = out->len;
	int			 k, rc = -1;

	*npages = 1;
	/* The query as the reader will see it: no controls, NFC. */
	if (text_sanitize(&q, query, len, 0, NULL, NULL) == -1 ||
	    buf_add(&q, "", 0) == -1)
		goto nomem;
	if (strspn(q.data, " ") == q.len) {
		if (page != 1)
			goto done;
		if (item(out, v, 'i', NULL, w[WORDS_SEARCH_HELP],
		    (const char *)NULL) == -1 || blank(out, v) == -1 ||
		    link_item(out, v, '7', "/search", w[WORDS_SEARCH]) == -1 ||
		    home_item(out, v) == -1 || end(out) == -1)
			goto done;
		rc = 0;
		goto done;
	}
	/*
	 * Results up to the end of the page asked for: no list is longer
	 * than the store, so a page past it is refused before searching.
	 * Out of memory in the search itself is not "nothing found":
	 * *npages 0 says so.
	 */
	per = paging_size(v->conf->page_size);
	if (page == 0 || (page - 1) > store_count(v->store) / per)
		goto done;
	max = page * per;
	if ((found = calloc(max, sizeof(*found))) == NULL ||
	    store_search(v->store, q.data, q.len, found, max, &total) == -1) {
		*npages = 0;
		goto done;
	}
	if (paging_init(&p, total, per, page) == -1) {
		*npages = p.npages;
		goto done;
	}
	if (latin1 && v->charset != TEXT_LATIN1 &&
	    latin1_hint(out, v, query, len) == -1)
		goto done;
	if (total == 0) {
		if (item(out, v, 'i', NULL, w[WORDS_NO_MATCH], q.data,
		    w[WORDS_NO_MATCH_END], (const char *)NULL) == -1)
			goto done;
	} else {
		k = snprintf(num, sizeof(num), "%zu %s", total,
		    w[total > 1 ? WORDS_ARTICLES : WORDS_ARTICLE]);
		if (k < 0 || (size_t)k >= sizeof(num))
			goto done;
		if (item(out, v, 'i', NULL, w[WORDS_RESULTS], q.data,
		    w[WORDS_RESULTS_END], num, (const char *)NULL) == -1 ||
		    blank(out, v) == -1 ||
		    articles_items(out, v, found, &p) == -1)
			goto done;
	}
	/* The words ride in the selector; too long a query, no links. */
	if (query_tail(&tail, query, len) == -1 ||
	    buf_puts(&first, "/search") == -1 ||
	    buf_add(&first, tail.data, tail.len) == -1)
		goto nomem;
	pg.first = first.data;
	pg.stem = "/search/";
	pg.tail = tail.data;
	if (nav(out, v, &p, &pg, '1') == -1)
		goto done;
	if (blank(out, v) == -1 ||
	    link_item(out, v, '7', "/search", w[WORDS_NEW_SEARCH]) == -1 ||
	    home_item(out, v) == -1 || end(out) == -1)
		goto done;
	rc = 0;
	goto done;
nomem:
	out->failed = 1;
done:
	if (rc == -1)
		buf_truncate(out, start);
	free(found);
	buf_release(&q);
	buf_release(&tail);
	buf_release(&first);
	return rc;
}

int
gophermap_error(struct buf *out, const struct gophermap_view *v,
    enum gophermap_msg msg)
{
	static const enum words_key	 by_msg[] = {
		[GOPHERMAP_NOT_FOUND] = WORDS_GOPHER_NOT_FOUND,
		[GOPHERMAP_BAD_REQUEST] = WORDS_GOPHER_BAD_REQUEST,
		[GOPHERMAP_TOO_LONG] = WORDS_GOPHER_TOO_LONG,
		[GOPHERMAP_BAD_URL] = WORDS_GOPHER_BAD_URL,
		[GOPHERMAP_SLOW_DOWN] = WORDS_GOPHER_SLOW_DOWN,
		[GOPHERMAP_TEMPORARY] = WORDS_GEMINI_TEMPORARY
	};
	const char			*s;
	size_t				 start = out->len;

	if ((size_t)msg >= sizeof(by_msg) / sizeof(by_msg[0]))
		msg = GOPHERMAP_NOT_FOUND;
	s = words(v)->word[by_msg[msg]];

	if (item(out, v, '3', NULL, s, (const char *)NULL) == -1 ||
	    item(out, v, 'i', NULL, s, (const char *)NULL) == -1 ||
	    end(out) == -1) {
		buf_truncate(out, start);
		return -1;
	}
	return 0;
}

/*
 * The "+INFO: " block of the menu line "line" (CRLF ended): the line,
 * with "TAB +" appended for menus only, which griot answers in Gopher+
 * too (a "$" request on them, UMN gopher's way into a menu).  Texts,
 * searches, info lines, errors and "URL:" links stay plain items that
 * every client asks for the RFC 1436 way: UMN gopher, told a text is a
 * Gopher+ item, asks for its attributes and then shows nothing unless
 * it is given views and an administrator griot does not have.
 */
static int
plus_info(struct buf *out, const struct gophermap_view *v, const char *line,
    size_t len)
{
	char	 tail[300];
	int	 n, ours;

	if (len >= 2 && line[len - 2] == '\r' && line[len - 1] == '\n')
		len -= 2;
	/*
	 * Only our own menus are Gopher+: another server named by a links
	 * menu may not know the probe.
	 */
	n = snprintf(tail, sizeof(tail), "\t%s\t%d", v->conf->hostname,
	    v->conf->gopher_public_port);
	ours = n > 0 && (size_t)n < sizeof(tail) && len >= (size_t)n &&
	    memcmp(line + len - (size_t)n, tail, (size_t)n) == 0;
	if (buf_puts(out, "+INFO: ") == -1 || buf_add(out, line, len) == -1)
		return -1;
	return buf_puts(out, len > 0 && line[0] == '1' && ours ? "\t+\r\n" :
	    "\r\n");
}

int
gophermap_plus(struct buf *out, const struct gophermap_view *v, int type,
    const char *sel, const char *body, size_t len)
{
	struct buf	 disp = BUF_INIT, line = BUF_INIT;
	size_t		 n, start = out->len;
	int		 rc = -1;

	/* The first line of the item is its title. */
	if (type == '0')
		n = strcspn(body, "\r\n");
	else if (len > 0) {
		body++;
		n = strcspn(body, "\t\r\n");
	} else
		n = 0;
	if (n > len)
		n = len;
	if (v->charset == TEXT_LATIN1 ? text_from_latin1(&disp, body, n) :
	    buf_add(&disp, body, n))
		goto done;
	if (buf_add(&disp, "", 0) == -1 ||
	    gophermap_item(&line, v, type, disp.data, sel) == -1)
		goto done;
	if (buf_puts(out, "+-1\r\n") == -1 ||
	    plus_info(out, v, line.data, line.len) == -1 || end(out) == -1)
		goto done;
	rc = 0;
done:
	if (disp.failed || line.failed)
		out->failed = 1;
	if (rc == -1)
		buf_truncate(out, start);
	buf_release(&disp);
	buf_release(&line);
	return rc;
}

int
gophermap_plus_menu(struct buf *out, const struct gophermap_view *v,
    const char *menu, size_t len)
{
	const char	*nl;
	size_t		 i, start = out->len;

	if (buf_puts(out, "+-1\r\n") == -1)
		goto fail;
	for (i = 0; i < len; i = (size_t)(nl - menu) + 1) {
		nl = memchr(menu + i, '\n', len - i);
		if (nl == NULL)
			break;
		/* The menu's own ".": the answer's end. */
		if (nl - (menu + i) == 2 && menu[i] == '.')
			break;
		if (plus_info(out, v, menu + i, (size_t)(nl - menu) + 1 - i) == -1)
			goto fail;
	}
	if (end(out) == -1)
		goto fail;
	return 0;
fail:
	buf_truncate(out, start);
	return -1;
}

static const char *
charset_label(enum text_charset cs)
{
	switch (cs) {
	case TEXT_LATIN1:
		return "iso-8859-1";
	case TEXT_ASCII:
		return "us-ascii";
	case TEXT_UTF8:
		break;
	}
	return "utf-8";
}

int
gophermap_caps(struct buf *out, const struct gophermap_view *v)
{
	if (buf_printf(out,
	    "CAPS\r\n"
	    "\r\n"
	    "CapsVersion=1\r\n"
	    "ExpireCapsAfter=3600\r\n"
	    "\r\n"
	    "PathDelimeter=/\r\n"
	    "PathIdentity=.\r\n"
	    "PathParent=..\r\n"
	    "PathParentDouble=FALSE\r\n"
	    "PathKeepPreDelimeter=FALSE\r\n"
	    "\r\n"
	    "ServerSoftware=griot\r\n"
	    "ServerSoftwareVersion=%s\r\n"
	    "ServerDefaultEncoding=%s\r\n"
	    "ServerSupportsStdinScripts=FALSE\r\n"
	    ".\r\n", PACKAGE_VERSION, charset_label(v->charset)) == -1)
		return -1;
	return 0;
}

int
gophermap_robots(struct buf *out, const struct gophermap_view *v)
{
	/* The three charset views repeat the tree: crawl it once. */
	return buf_puts(out,
	    "User-agent: *\r\n"
	    "Disallow: /search\r\n"
	    "Disallow: /ascii/\r\n"
	    "Disallow: /latin1/\r\n"
	    "Disallow: /utf8/\r\n"
	    ".\r\n");
}

/* HTML-escape printable ASCII (the URL, already percent-encoded). */
static int
html_escape(struct buf *dst, const char *s, size_t len)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < len && rc == 0; i++) {
		switch (s[i]) {
		case '&':
			rc = buf_puts(dst, "&amp;");
			break;
		case '<':
			rc = buf_puts(dst, "&lt;");
			break;
		case '>':
			rc = buf_puts(dst, "&gt;");
			break;
		case '"':
			rc = buf_puts(dst, "&quot;");
			break;
		case '\'':
			rc = buf_puts(dst, "&#39;");
			break;
		default:
			rc = buf_addc(dst, s[i]);
		}
	}
	return rc;
}

int
gophermap_url(struct buf *out, const struct gophermap_view *v,
    const char *url, size_t len)
{
	const struct words	*lw = words(v);
	struct buf		 u = BUF_INIT, href = BUF_INIT, text = BUF_INIT;
	size_t			 i, start = out->len;
	int			 rc = -1;

	/* Non-ASCII bytes percent-encoded: the link works in any charset. */
	for (i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)url[i];

		if ((c < 0x80 ? buf_addc(&u, c) :
		    buf_printf(&u, "%%%02X", c)) == -1)
			goto done;
	}
	if (html_escape(&href, u.data, u.len) == -1 ||
	    buf_add(&href, "", 0) == -1 ||
	    gophermap_compose(&text, v, lw->word[WORDS_URL_TEXT],
	    (const char *)NULL) == -1)
		goto done;
	if (buf_printf(out,
	    "<!DOCTYPE html>\r\n"
	    "<html lang=\"%s\">\r\n"
	    "<head>\r\n"
	    "<meta charset=\"%s\">\r\n", lw->tag,
	    charset_label(v->charset)) == -1)
		goto done;
	if (strncasecmp(u.data, "http", 4) == 0 &&
	    buf_printf(out, "<meta http-equiv=\"refresh\" "
	    "content=\"2; url=%s\">\r\n", href.data) == -1)
		goto done;
	if (buf_puts(out, "<title>") == -1 ||
	    text_encode(out, lw->word[WORDS_URL_TITLE],
	    strlen(lw->word[WORDS_URL_TITLE]), v->charset) == -1 ||
	    buf_puts(out, "</title>\r\n</head>\r\n<body>\r\n<p>") == -1 ||
	    text_encode(out, text.data, text.len, v->charset) == -1 ||
	    buf_printf(out, "<a href=\"%s\">%s</a></p>\r\n"
	    "</body>\r\n</html>\r\n", href.data, href.data) == -1)
		goto done;
	rc = 0;
done:
	if (rc == -1)
		buf_truncate(out, start);
	buf_release(&u);
	buf_release(&href);
	buf_release(&text);
	return rc;
}

/*
 * Load-time checks.
 */

/* The longest view prefix: a selector that fits there fits everywhere. */
#define LONGEST_PREFIX	"/latin1/80"

static int
warn(const struct config_report *r, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));

static int
warn(const struct config_report *r, const char *fmt, ...)
{
	struct buf	 msg = BUF_INIT;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc == 0 && r != NULL && r->fn != NULL)
		r->fn(r->arg, 0, msg.data);
	buf_release(&msg);
	return rc;
}

static size_t
digits(size_t n)
{
	size_t	 d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

int
gophermap_check(const struct conf *conf, const struct store *st,
    const struct config_report *r)
{
	const size_t		 pre = strlen(LONGEST_PREFIX);
	char			 sel[GOPHERMAP_SELECTOR_MAX + 1];
	size_t			 i, len, npages, n = 0;

	if (conf->gopher_enabled && conf->gemini_enabled &&
	    gemini_url(sel, sizeof(sel), conf) == -1) {
		warn(r, "[capsule] hostname: %zu bytes: the Gopher link to the "
		    "Gemini capsule would have a selector over %d bytes; it is "
		    "left out of the Gopher root menu", strlen(conf->hostname),
		    GOPHERMAP_SELECTOR_MAX);
		n++;
	}
	if (!conf->gopher_enabled || st == NULL)
		return (int)n;
	for (i = 0; i < store_ncategories(st); i++) {
		const struct store_category	*c = store_category_at(st, i);

		npages = paging_count(c->narticles,
		    paging_size(conf->page_size));
		len = pre + strlen("/categories/") + strlen(c->slug) +
		    (npages > 1 ? 1 + digits(npages) : 0);
		if (len > GOPHERMAP_SELECTOR_MAX) {
			/* The slug is ASCII: cutting it cuts no character. */
			warn(r, "%s.txt: category \"%s\" (%zu %s): its slug "
			    "\"%.40s...\" makes Gopher selectors of up to %zu "
			    "bytes (over %d): left out of the Gopher menus "
			    "where it does not fit; Gemini lists it",
			    c->articles[0]->id, c->name, c->narticles,
			    c->narticles == 1 ? "article" : "articles", c->slug,
			    len, GOPHERMAP_SELECTOR_MAX);
			n++;
		}
	}
	for (i = 0; i < store_count(st); i++) {
		const struct article	*a = store_article_at(st, i);

		len = pre + strlen("/articles/") + strlen(a->id) +
		    strlen(".txt");
		if (len > GOPHERMAP_SELECTOR_MAX) {
			warn(r, "%s.txt: the id makes a Gopher selector of %zu "
			    "bytes (over %d): left out of the Gopher menus "
			    "where it does not fit; Gemini lists it", a->id,
			    len, GOPHERMAP_SELECTOR_MAX);
			n++;
		}
	}
	for (i = 0; i < store_npages(st); i++) {
		const struct store_page	*p = store_page_at(st, i);

		len = pre + strlen("/pages/") + strlen(p->name) +
		    strlen(".txt");
		if (len > GOPHERMAP_SELECTOR_MAX) {
			warn(r, "page %s.gmi: the name makes a Gopher selector "
			    "of %zu bytes (over %d): left out of the Gopher "
			    "menus where it does not fit", p->name, len,
			    GOPHERMAP_SELECTOR_MAX);
			n++;
		}
	}
	return (int)n;
}
