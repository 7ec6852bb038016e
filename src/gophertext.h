/* griot: Gopher texts.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * An article or a static page as a Gopher text (type 0) in a charset
 * view (struct gophermap_view, gophermap.h): wrapped to the view's width
 * in its charset, the links as numbered references at the end (then,
 * for an article, the selector of its links menu), and no ".\r\n"
 * terminator (gophermap.h says why).  Pure: appends to a caller-owned
 * buffer, which is left as it was on -1.
 */
#ifndef GRIOT_GOPHERTEXT_H
#define GRIOT_GOPHERTEXT_H

struct article;
struct buf;
struct gophermap_view;
struct store_page;

int	 gophertext_article(struct buf *, const struct gophermap_view *,
	    const struct article *);
int	 gophertext_page(struct buf *, const struct gophermap_view *,
	    const struct store_page *);

#endif
