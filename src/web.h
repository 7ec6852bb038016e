/* griot: HTML pages.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A store snapshot rendered as the HTML pages of the HTTP door (http.h):
 * what gemtext.c does for Gemini, for web browsers as old as Mosaic.
 * Pure functions: each appends one whole page to a caller-owned buffer
 * and returns 0, or -1 when memory ran out (the buffer then "failed").
 * The lists return -1 with the buffer as it was when they have no such
 * page: the caller answers 404.
 *
 * The markup is HTML 4.01 Transitional and uses nothing HTML 3.2 lacks
 * but the lang attribute and the viewport <meta> (which old browsers
 * ignore): no style sheet, no script, no image.  Every text is
 * HTML-escape (&, <, >, and " everywhere, so that attributes are safe
 * too).  The page is written in UTF-8 and converted at the end to the
 * view's charset: in ISO-8859-1 what that charset lacks is
 * transliterated with text.c's French table (never a numeric character
 * reference an old font cannot show) and the no-break spaces of French
 * spacing become "&nbsp;"; in ASCII everything is transliterated and
 * the no-break spaces are plain ones.  The charset is declared in a
 * <meta http-equiv="Content-Type">.
 *
 * Links inside the site are absolute paths under the view's prefix
 * ("/latin1/articles/ID.html"), each name percent-encoded so that only
 * RFC 3986's unreserved characters are left raw.  Addresses: see
 * http.h.
 */
#ifndef GRIOT_WEB_H
#define GRIOT_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

struct article;
struct buf;
struct conf;
struct paging;
struct store;
struct store_category;
struct store_month;
struct store_page;

/* Which charset a page is written in, and the prefix of its links. */
struct web_view {
	enum text_charset	 charset;
	const char		*prefix;	/* "", "/utf8", "/latin1", "/ascii" */
};

/* "utf-8", "iso-8859-1" or "us-ascii", as Content-Type names them. */
const char	*web_charset_name(enum text_charset);

int	 web_home(struct buf *, const struct conf *, const struct web_view *,
	    const struct store *);
int	 web_article(struct buf *, const struct conf *, const struct web_view *,
	    const struct article *);
int	 web_categories(struct buf *, const struct conf *,
	    const struct web_view *, const struct store *, size_t page);
int	 web_category(struct buf *, const struct conf *,
	    const struct web_view *, const struct store_category *,
	    size_t page);
int	 web_archive(struct buf *, const struct conf *, const struct web_view *,
	    const struct store *, size_t page);
int	 web_year(struct buf *, const struct conf *, const struct web_view *,
	    const struct store *, const char *year);
int	 web_month(struct buf *, const struct conf *, const struct web_view *,
	    const struct store_month *, size_t page);
int	 web_page(struct buf *, const struct conf *, const struct web_view *,
	    const struct store_page *);

/*
 * The search page: with "query" NULL, only the form (and an <isindex>
 * for the oldest browsers); otherwise page "p" of the results of the
 * search for "query" (UTF-8 as decoded), "v" holding them up to the end
 * of that page at least, "total" found.  Result pages link to each other
 * as "/search/N?q=QUERY" ("/search?q=QUERY" for page 1).
 */
int	 web_search(struct buf *, const struct conf *, const struct web_view *,
	    const char *query, size_t len, const struct article *const *v,
	    size_t total, const struct paging *p);

/* A short page for an error status: its number, "reason", a link home. */
int	 web_error(struct buf *, const struct conf *, const struct web_view *,
	    int status, const char *reason);

/* The site's robots.txt: searches are closed to bots, the rest open. */
int	 web_robots(struct buf *, const struct conf *);

/*
 * A digest of everything web_article() reads for "a" (the article's
 * fields and the configuration's), folded into "h" (64-bit FNV-1a), so
 * that an article page's validator can be known without writing it:
 * equal digests, same page (as far as a 64-bit hash goes).
 */
uint64_t	 web_digest(uint64_t h, const void *, size_t);
uint64_t	 web_article_digest(uint64_t h, const struct conf *,
		    const struct article *);
#define WEB_DIGEST_INIT	UINT64_C(0xcbf29ce484222325)

#endif
