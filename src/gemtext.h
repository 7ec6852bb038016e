/* griot: gemtext pages.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A store snapshot rendered as the gemtext pages of the capsule (DESIGN.md
 * "What readers get"), and the reasons of the status lines, in the
 * capsule's language.  Pure functions: each appends one page body to a
 * caller-owned buffer and returns 0, or -1 when memory ran out.
 *
 * Every body is UTF-8 whose lines all end in a single LF (gemtext allows
 * LF or CRLF; griot uses LF everywhere, static pages included).  Links
 * inside the capsule are absolute paths ("/articles/ID.gmi"); the only
 * full URLs are built by gemtext_url() from the ini's hostname and public
 * port, never from a socket.  Words come from words.h and follow the
 * capsule's lang.  With French spacing on, the words, the capsule's name
 * and description get it too (article text already has it from the
 * store).
 */
#ifndef GRIOT_GEMTEXT_H
#define GRIOT_GEMTEXT_H

#include <stddef.h>

struct article;
struct buf;
struct conf;
struct paging;
struct store;
struct store_category;
struct store_month;
struct store_page;

/* Words used outside gemtext.c: prompts and error reasons (META). */
enum gemtext_msg {
	GEMTEXT_MSG_SEARCH_PROMPT,	/* 10 */
	GEMTEXT_MSG_BAD_REQUEST,	/* 59 */
	GEMTEXT_MSG_TOO_LONG,
	GEMTEXT_MSG_NOT_UTF8,
	GEMTEXT_MSG_NOT_ABSOLUTE,
	GEMTEXT_MSG_USERINFO,
	GEMTEXT_MSG_FRAGMENT,
	GEMTEXT_MSG_BAD_ENCODING,
	GEMTEXT_MSG_DOT_SEGMENT,
	GEMTEXT_MSG_OTHER_SCHEME,	/* 53 */
	GEMTEXT_MSG_OTHER_HOST,
	GEMTEXT_MSG_NOT_FOUND,		/* 51 */
	GEMTEXT_MSG_TEMPORARY,		/* 40 */
	GEMTEXT_MSG_UNAVAILABLE,	/* 41 */
	GEMTEXT_MSG_COUNT
};

/* The message in the capsule's language (static storage). */
const char	*gemtext_msg(const struct conf *, enum gemtext_msg);

/*
 * Append the capsule's URL of "path" (already encoded, starting with
 * "/"): url_gemini() with the ini's hostname and public port.
 */
int	 gemtext_url(struct buf *, const struct conf *, const char *path);

/* Percent-encode one path segment (every byte outside [A-Za-z0-9._~-]). */
int	 gemtext_encode_segment(struct buf *, const char *, size_t);

/*
 * The pages.  gemtext_home() is a valid subscription feed: "# " name,
 * then the latest articles as "=> /articles/ID.gmi YYYY-MM-DD Title".
 */
int	 gemtext_home(struct buf *, const struct conf *, const struct store *);
int	 gemtext_article(struct buf *, const struct conf *,
	    const struct article *);
/*
 * The lists, cut into pages of conf->page_size items (paging.h), newest
 * first, with "Page N sur M" and links to the previous and next pages
 * when there are several.  Each returns -1 with "out" marked failed when
 * memory ran out, and -1 with "out" as it was when the list has no page
 * "page" (or there is no such year): the caller answers 51.
 * Addresses: "/categories/" and "/categories/_/N.gmi" (no slug has a
 * "_"), "/categories/SLUG.gmi" and "/categories/SLUG/N.gmi" (the first
 * page links to the category's feed, "/categories/SLUG/atom.xml"),
 * "/archive/" and "/archive/_/N.gmi" (years), "/archive/YYYY.gmi" (its
 * months), "/archive/YYYY-MM.gmi" and "/archive/YYYY-MM/N.gmi".
 */
int	 gemtext_categories(struct buf *, const struct conf *,
	    const struct store *, size_t page);
int	 gemtext_category(struct buf *, const struct conf *,
	    const struct store_category *, size_t page);
int	 gemtext_archive(struct buf *, const struct conf *,
	    const struct store *, size_t page);
int	 gemtext_year(struct buf *, const struct conf *,
	    const struct store *, const char *year);
int	 gemtext_month(struct buf *, const struct conf *,
	    const struct store_month *, size_t page);
int	 gemtext_page(struct buf *, const struct conf *,
	    const struct store_page *);
int	 gemtext_robots(struct buf *, const struct conf *);

/*
 * Page "p" of the results of a search for "query" (raw UTF-8 as decoded
 * from the URL): "v" holds the results in order up to the end of that
 * page at least, "total" were found.  Pages link to each other as
 * "/search/N?QUERY" ("/search?QUERY" for page 1).
 */
int	 gemtext_search(struct buf *, const struct conf *, const char *query,
	    size_t len, const struct article *const *v, size_t total,
	    const struct paging *p);

#endif
