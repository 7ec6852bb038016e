/* griot: feeds and pages as items.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * One downloaded or read source (an RSS 2.0 feed with WordPress's
 * content:encoded, dc:creator and category elements, an Atom 1.0 feed, or
 * one HTML article page) read into items, each with what an article file
 * needs: title, the capsule's local date and time, authors, category,
 * tags, the original URL and the body already in gemtext (html.c).
 * Nothing is written here; an item that cannot become an article says
 * why in "skip".
 */
#ifndef GRIOT_FEED_H
#define GRIOT_FEED_H

#include <stddef.h>

#define FEED_ERR_MAX	320

struct feed_item {
	char	*what;		/* how messages name it: URL, title or "item N" */
	char	*title;
	char	*url;		/* the original: the Source: header */
	char	 date[17];	/* local "YYYY-MM-DD HH:MM" */
	char	**authors;
	size_t	 nauthors;
	char	*category;	/* NULL when none */
	char	**tags;
	size_t	 ntags;
	char	*body;		/* gemtext, "" when empty */
	char	*skip;		/* why it is not imported; NULL to import */
	int	 error;		/* the skip is a fault of the source */
};

struct feed {
	const char		*kind;	/* "RSS", "Atom", "page" */
	struct feed_item	*items;
	size_t			 nitems;
};

/*
 * Read "data": the kind is told by the content, not the name.  "url"
 * (may be NULL) resolves relative links; "charset" is the HTTP header's
 * (NULL: none).  Returns 0, or -1 with the reason in "err" (at least
 * FEED_ERR_MAX bytes) when the source as a whole cannot be read: not
 * well-formed, an encoding libxml2 cannot read, an HTML page that is no
 * article (an error page where a feed was expected).
 */
int	 feed_read(struct feed *, const char *data, size_t len, const char *url,
	    const char *charset, char *err);
void	 feed_free(struct feed *);

#endif
