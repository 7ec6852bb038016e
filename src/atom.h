/* griot: Atom feed.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The capsule's newest articles as an Atom feed (RFC 4287) with gemini://
 * links, served at /atom.xml as application/atom+xml.  Deterministic: the
 * feed's "updated" is the newest article's date, never the clock, so two
 * instances with the same store and ini answer the same bytes.
 */
#ifndef GRIOT_ATOM_H
#define GRIOT_ATOM_H

#include <stddef.h>

struct buf;
struct conf;
struct store;
struct store_category;

#define ATOM_ENTRIES_MAX	50	/* newest articles in the feed */

/* Append the whole feed; 0, or -1 when memory ran out. */
int	 atom_feed(struct buf *, const struct conf *, const struct store *);

/*
 * The feed of one category, its newest ATOM_ENTRIES_MAX articles, served
 * at /categories/SLUG/atom.xml: titled "NAME — CATEGORY", its id and
 * alternate link the category's first page.
 */
int	 atom_category(struct buf *, const struct conf *,
	    const struct store_category *);

/*
 * Append "s" escaped for XML text and double-quoted attributes.  Text
 * that XML 1.0 cannot carry (text_is_xml()) is sanitised first: invalid
 * UTF-8, U+FFFE and U+FFFF become U+FFFD, other controls but TAB and LF
 * are dropped, so that the feed stays well-formed whatever it quotes.
 */
int	 atom_escape(struct buf *, const char *, size_t);

#endif
