/* griot: Gopher menus and texts.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A store snapshot rendered as Gopher menus (type 1) and plain texts
 * (type 0) in one charset view: the only code that writes a menu line
 * (gophermap_item), and the only code that lays out a type-0 text.
 * Pure: output depends on the view, the configuration and the snapshot,
 * never on a socket or a clock.
 *
 * Decisions (documented in griotd(8)):
 * - Menu display strings fit the view's menu width (width - 1 columns
 *   of the view's charset in the default width); i and 3 lines carry
 *   the selector "", conf->hostname and conf->gopher_public_port, like
 *   every other line but the gopher links of a links menu
 *   (gophermap_item_at); no "+" field but in the Gopher+ answers.  In
 *   every list, an article with links is followed by the type-1 item
 *   of its links menu, "  Liens (N)" (gopherlinks.h).
 * - Menus end with ".\r\n"; texts (articles, pages) do not: the close
 *   of the connection ends them.  Tried by hand (griotd(8), TEXT
 *   TERMINATOR):
 *	client		with ".\r\n"	without		"." or "..." inside
 *	lynx 2.9	shown		ends cleanly	shown as sent
 *	sacc		hidden		ends cleanly	shown as sent
 *	UMN gopher 3.0	hidden		ends cleanly	shown as sent
 *	bombadillo 2.4	shown		ends cleanly	shown as sent
 *	curl		shown		ends cleanly	shown as sent
 *   No client stops at a "." line or undoubles a leading dot, so leading
 *   dots are sent as they are (the old escape showed as " ...Et"); only
 *   a line that is exactly "." gets a leading space, since sacc and UMN
 *   would hide it as the last line.  Gophernicus (by default) and
 *   geomyidae send text files the same way.  caps.txt and robots.txt
 *   keep ".\r\n".
 * - Texts are wrapped to the view's width (conf->width by default)
 *   with CRLF line ends.  Preformatted lines are converted to the
 *   charset only, never reflowed, and may be wider than the width; so may a URL, in running
 *   text (text_wrap never cuts it) or in the list of links at the end.
 *   An article with links ends with the selector of its links menu
 *   (gopherlinks.h) alone on the last line.
 * - Headings are underlined: "=" (level 1 and the title), "-" (level 2),
 *   "~" (level 3).  Quotes get "> " on every line, list items "* " then a
 *   two-space hanging indent; a link line shows its label and a number,
 *   "label [1]", and the numbered list "[1] URL label" closes the text.
 * - URLs shown in the Latin-1 and ASCII views have their non-ASCII bytes
 *   percent-encoded, so that they stay usable.
 */
#ifndef GRIOT_GOPHERMAP_H
#define GRIOT_GOPHERMAP_H

#include <stddef.h>

#include "text.h"

/*
 * The longest selector a menu line carries, in bytes: what clients keep
 * (RFC 1436 sets no limit; 255 is the common one), and so the longest
 * selector gopher.c accepts.
 */
#define GOPHERMAP_SELECTOR_MAX	255

#define GOPHERMAP_WIDTH_MIN	20	/* narrower widths are raised to it */

/*
 * The width views, for screens of 40 and 80 columns: the columns of a
 * line of text, and of a menu item's display string.  Measured in the
 * clients (griotd(8)): none of lynx, sacc, UMN gopher and bombadillo
 * breaks a line of these in a terminal of that many columns, and their
 * own markers (" 12. " and "/" in UMN, "(DIR) " in lynx) fit beside a
 * display string.
 */
#define GOPHERMAP_NARROW		40
#define GOPHERMAP_NARROW_TEXT		39
#define GOPHERMAP_NARROW_MENU		27
#define GOPHERMAP_WIDE			80
#define GOPHERMAP_WIDE_TEXT		79
#define GOPHERMAP_WIDE_MENU		67

/* The longest view prefix, "/latin1/80", with its NUL. */
#define GOPHERMAP_PREFIX_MAX	11

struct article;
struct buf;
struct conf;
struct config_report;
struct store;
struct store_category;
struct store_month;
struct store_page;

/*
 * One view of the tree: a charset and a width.  "prefix" is
 * "[/CHARSET][/WIDTH]": "" for the default view (conf->charset and
 * conf->width, at "/"), CHARSET one of utf8, latin1, ascii and WIDTH
 * one of 40, 80 (e.g. "/ascii/40"); every selector written inside a
 * view starts with its prefix.  "width" is the columns of a line of
 * text, "menu_width" those of a menu item's display string.  Borrowed
 * pointers, valid while the caller holds conf and store; "prefix" is
 * static storage.
 */
struct gophermap_view {
	const struct conf	*conf;
	const struct store	*store;
	enum text_charset	 charset;
	const char		*prefix;
	size_t			 width;
	size_t			 menu_width;
	int			 screen;	/* the WIDTH segment: 40, 80; or 0 */
};

/* The words of a menu of errors (a type-3 line and an i line). */
enum gophermap_msg {
	GOPHERMAP_NOT_FOUND,
	GOPHERMAP_BAD_REQUEST,
	GOPHERMAP_TOO_LONG,
	GOPHERMAP_BAD_URL,
	GOPHERMAP_SLOW_DOWN,
	GOPHERMAP_TEMPORARY	/* out of memory: try again later */
};

/*
 * The view for a selector prefix ("", "/utf8", "/latin1", "/ascii",
 * "/40", "/ascii/80"...); returns -1 for any other prefix.
 */
int	 gophermap_view_init(struct gophermap_view *, const struct conf *,
	    const struct store *, const char *prefix);

/*
 * The view prefix that "sel" (a selector with its leading "/") starts
 * with, followed by "/" or its end: the longest one, "" when none.
 * Static storage.
 */
const char	*gophermap_view_prefix(const char *sel);

/*
 * Append one menu line: "type", "display" (UTF-8, fitted to width - 1
 * columns of the view's charset, controls turned to spaces), TAB,
 * "selector" (NULL: ""), TAB, host, TAB, port, CRLF.  The selector and
 * the host must be printable ASCII without spaces, the selector at most
 * GOPHERMAP_SELECTOR_MAX bytes; otherwise nothing is written and -1 is
 * returned.  Every menu line of griot goes through here.
 */
int	 gophermap_item(struct buf *, const struct gophermap_view *, int type,
	    const char *display, const char *selector);

/*
 * The same for an item on any server: "host" and "port" (NULL host: the
 * capsule's, as above).  With GOPHERMAP_WHOLE in "flags" the display is
 * converted to the view's charset but not fitted to the width (controls
 * still become spaces): for a URL shown on an i line, which a reader
 * must be able to copy whole.
 */
#define GOPHERMAP_WHOLE	0x01
int	 gophermap_item_at(struct buf *, const struct gophermap_view *,
	    int type, const char *display, const char *selector,
	    const char *host, int port, int flags);

/*
 * gophermap_item() with a display composed of UTF-8 pieces (a
 * NULL-terminated list: gophermap_compose()).  When memory runs out,
 * "out" is marked failed.
 */
int	 gophermap_itemf(struct buf *, const struct gophermap_view *, int type,
	    const char *selector, ...) __attribute__((__sentinel__));

/*
 * The foot of page p->page of a paged list: a blank line, "Page N sur
 * M", then the previous and the next page, items of "type".  Page 1 is
 * at "first", page N at "stem" N "tail" ("tail" may be NULL), inside the
 * view.  A page whose selector would be too long is left out.  Nothing
 * when the list fits one page.
 */
struct paging;
int	 gophermap_pages(struct buf *, const struct gophermap_view *,
	    const struct paging *, const char *first, const char *stem,
	    const char *tail, int type);

/*
 * Menus; each ends with ".\r\n".  Return 0, or -1 with nothing
 * appended: "out" is then marked failed when memory ran out, and left
 * as it was when the list has no page "page" (paging.h) or there is no
 * such year.  Lists are cut into pages of conf->page_size items, newest
 * first, with "Page N sur M" and links to the previous and next pages
 * at the bottom when there are several.  An item that cannot be written
 * (see gophermap_check()) is left out and the rest served.
 */
int	 gophermap_root(struct buf *, const struct gophermap_view *);
int	 gophermap_categories(struct buf *, const struct gophermap_view *,
	    size_t page);
int	 gophermap_category(struct buf *, const struct gophermap_view *,
	    const struct store_category *, size_t page);
/* The archive: years, then the months of a year, then a month's pages. */
int	 gophermap_archive(struct buf *, const struct gophermap_view *,
	    size_t page);
int	 gophermap_year(struct buf *, const struct gophermap_view *,
	    const char *year);
int	 gophermap_month(struct buf *, const struct gophermap_view *,
	    const struct store_month *, size_t page);
/*
 * "query" is UTF-8 (any content; it is sanitised); empty: a prompt
 * (page 1 only).  The pages of the results link to each other with
 * type-1 items "/search/N?QUERY", the query percent-encoded; when that
 * would pass GOPHERMAP_SELECTOR_MAX bytes the links are left out.
 * "latin1" says the reader's bytes were ISO-8859-1, not UTF-8: outside
 * the Latin-1 view, an i line and a type-1 item to the same search in
 * the Latin-1 view (of the same width), in ASCII, head the results.
 * On -1 with "out" not failed, "*npages" tells why: 0 when the search
 * itself ran out of memory (a temporary failure, never "nothing
 * found"), else the results have no page "page".
 */
int	 gophermap_search(struct buf *, const struct gophermap_view *,
	    const char *query, size_t len, int latin1, size_t page,
	    size_t *npages);
int	 gophermap_error(struct buf *, const struct gophermap_view *,
	    enum gophermap_msg);
/*
 * Gopher+ attributes (gopher.c says when): "+-1", then the "+INFO: "
 * block of one item (its menu line, "TAB +" appended), ".".  The item
 * is of "type", at "sel", titled by the first line of its answer "body"
 * (written in the view's charset).  -1 when the line cannot be written
 * ("out" marked failed when memory ran out).
 */
int	 gophermap_plus(struct buf *, const struct gophermap_view *, int type,
	    const char *sel, const char *body, size_t len);
/*
 * The items of a menu (an answer of gophermap_root() and the like) as
 * Gopher+ attributes: "+-1", each line as a "+INFO: " block, ".".
 * Only type-1 items on this server (conf->hostname and the public
 * port) are marked Gopher+ ("TAB +"): another server may not know it.
 */
int	 gophermap_plus_menu(struct buf *, const struct gophermap_view *,
	    const char *menu, size_t len);

/*
 * For gophertext.c: the columns of a line of text in view "v", and the
 * UTF-8 pieces (a NULL-terminated list) appended to "dst" as one
 * string, with French spacing when the ini asks for it.
 */
size_t	 gophermap_width(const struct gophermap_view *);
int	 gophermap_compose(struct buf *dst, const struct gophermap_view *, ...)
	    __attribute__((__sentinel__));

/* Small texts; these two still end with ".\r\n" (read by programs). */
int	 gophermap_caps(struct buf *, const struct gophermap_view *);
int	 gophermap_robots(struct buf *, const struct gophermap_view *);

/*
 * Name through "report" (as warnings) each item of the snapshot that a
 * Gopher menu cannot hold in some view: a category, article or static
 * page whose selector would pass GOPHERMAP_SELECTOR_MAX bytes, and a host
 * name too long for the "URL:gemini://" link of the root menu.  Menus
 * leave these items out and serve the rest.  Returns how many.
 */
int	 gophermap_check(const struct conf *, const struct store *,
	    const struct config_report *);

/*
 * The small HTML page answering a "URL:" selector; "url" was checked by
 * the caller (scheme, no controls).  Written in the view's charset, no
 * "." line at the end (it is not a text item).
 */
int	 gophermap_url(struct buf *, const struct gophermap_view *,
	    const char *url, size_t len);

#endif
