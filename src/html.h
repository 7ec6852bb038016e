/* griot: HTML to gemtext.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The conversion at the heart of griot-import (man/griot-import.1,
 * "CONVERSION"): HTML, parsed by libxml2's forgiving HTML parser, becomes
 * an article body in gemtext as griot-article(5) reads it.  Paragraphs,
 * headings, lists, quotations, preformatted text and tables keep their
 * meaning; links, images, iframes and videos become link lines after the
 * block that held them; scripts, forms, navigation, share buttons,
 * related posts, comments and a WordPress theme's furniture are left out.
 *
 * The output is valid UTF-8 in NFC with LF line ends; outside
 * preformatted blocks no text looks like a markup tag ("<b>", "</p>"),
 * and no line a paragraph starts could be read as another line type.
 * Errors are written as one sentence into "err" (at least
 * HTML_ERR_MAX bytes).
 */
#ifndef GRIOT_HTML_H
#define GRIOT_HTML_H

#include <stddef.h>

#define HTML_ERR_MAX	256
#define HTML_DEPTH_MAX	256	/* elements nested deeper: refused */

struct buf;

/* What a whole article page says about itself, beside its body. */
struct html_page {
	char	*title;
	char	*date;		/* as written: ISO 8601 or RFC 822; NULL */
	char	*url;		/* canonical URL, else the one it came from */
	char	**authors;
	size_t	 nauthors;
	char	*category;	/* NULL when none */
	char	**tags;
	size_t	 ntags;
	char	*body;		/* gemtext */
};

/*
 * Convert an HTML fragment (the content of a feed item, UTF-8) to
 * gemtext appended to "out".  Relative URLs are resolved against "base"
 * (may be NULL).  Returns 0, or -1 with the reason in "err".
 */
int	 html_fragment(struct buf *out, const char *html, size_t len,
	    const char *base, char *err);

/*
 * Read a whole page: its metadata from the markup (Open Graph and
 * article: meta tags, <time datetime>, rel="author", rel="category tag",
 * rel="tag") and its article body (the theme around it left out).
 * "charset" is what the HTTP header declared (NULL: none); without one,
 * <meta charset> or the BOM decides, and UTF-8 is assumed.  Returns 0 and
 * fills "page" (free it with html_page_free()), or -1 with the reason in
 * "err".
 */
int	 html_page(const char *data, size_t len, const char *url,
	    const char *charset, struct html_page *page, char *err);
void	 html_page_free(struct html_page *);

/*
 * One line of text (a title, an author, a category) from a feed, where
 * markup and entities are sometimes escaped twice ("L&amp;#8217;objectif",
 * "<em>mot</em>"): the text alone, whitespace collapsed, NFC.  Appends
 * to "out"; 0, or -1 when memory ran out.
 */
int	 html_inline(struct buf *out, const char *s, size_t len);

/*
 * Does "s" (UTF-8 text) hold something that reads as a markup tag: "<"
 * then a letter, "/", "!" or "?", then ">" with no "<" between?  The
 * converter never leaves one outside preformatted blocks.
 */
int	 html_has_tag(const char *s, size_t len);

/*
 * A libxml2 parse that failed or met an encoding it cannot read: the
 * first error's line and message, for html.c and feed.c alike.  Call
 * html_errors_begin() before parsing and html_errors_end() after; the
 * latter returns 1 when an error that must refuse the document (an
 * unsupported encoding) was seen.
 */
void	 html_errors_begin(void);
int	 html_errors_end(char *err, size_t errlen);

/* A charset name as libxml2 should read it (ISO-8859-1 is read as Windows-1252, as browsers do). */
const char	*html_charset(const char *);

#endif
