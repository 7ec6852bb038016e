/* griot: the Gopher menu of an article's links.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * An article's links (its link lines, then its Source) as a Gopher menu
 * of real items, at "/links/ID" in every view (page N: "/links/ID/N"),
 * so that a reader can follow them; the type-0 text only names them.
 *
 * Decisions (documented in griotd(8)):
 * - The menu opens with its title and a type-0 item back to the text,
 *   then one item a link, GOPHERLINKS_PER_PAGE a page (paging.h), with
 *   "Page N sur M" and the previous and next pages when there are
 *   several: at most about 16 KiB a page whatever the article.
 * - http, https and gemini links are "h" items with the selector
 *   "URL:<url>", which gopher.c answers with a small HTML page; gopher
 *   links are items on their own server (RFC 4266: the type and
 *   percent-decoded selector after the host, port 70 by default).  A
 *   link that cannot be an item (another scheme, a space or control in
 *   it, a selector over GOPHERMAP_SELECTOR_MAX bytes) is an i line with
 *   its URL whole, wider than the width if need be, so that it can be
 *   copied; its label, if any, on the i line before.
 * - Non-ASCII bytes of a URL are percent-encoded, in every view.
 * Pure, like gophermap.c.
 */
#ifndef GRIOT_GOPHERLINKS_H
#define GRIOT_GOPHERLINKS_H

#include <stddef.h>

#define GOPHERLINKS_PER_PAGE	16

struct article;
struct buf;
struct gophermap_view;

/* A gopher:// URL taken apart (RFC 4266). */
struct gopherlinks_target {
	char	 host[256];	/* without the brackets of an IPv6 literal */
	int	 port;		/* 70 when the URL has none */
	int	 type;		/* '1' when the URL has no path */
	char	 selector[256];	/* percent-decoded */
};

/*
 * Parse "url" as gopher://HOST[:PORT][/TYPE[SELECTOR]]: 0, or -1 when it
 * is not such a URL or what it names could not be written on a menu line
 * (a host or selector with a space, a control or non-ASCII, too long; a
 * port outside 1..65535; a non-printable type; a search part).
 */
int	 gopherlinks_parse(const char *url, struct gopherlinks_target *);

/* How many links the article has (its Source included). */
size_t	 gopherlinks_count(const struct article *);

/*
 * One link as menu lines (see above): "label" (UTF-8, may be empty: the
 * URL shows) and "url".  0, or -1 when memory ran out (nothing appended).
 */
int	 gopherlinks_item(struct buf *, const struct gophermap_view *,
	    const char *label, const char *url);

/*
 * The selector of the article's links menu in view "v", page 1, into
 * "dst" of "size" bytes: 0, or -1 when it would pass
 * GOPHERMAP_SELECTOR_MAX bytes (no menu item then).
 */
int	 gopherlinks_selector(char *dst, size_t size,
	    const struct gophermap_view *, const struct article *);

/*
 * Page "page" of the menu, ended by ".\r\n".  0, or -1 with nothing
 * appended: "out" is marked failed when memory ran out, else the article
 * has no links or no such page.
 */
int	 gopherlinks_menu(struct buf *, const struct gophermap_view *,
	    const struct article *, size_t page);

#endif
