/* griot: the user-interface words.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The words griot shows around the articles (headings, links, labels,
 * error reasons, month names, dates) in each built-in language, one table
 * for the gemtext pages and the Gopher menus and texts, so that fixing a
 * word or adding a language is one edit in words.c.
 *
 * Strings are UTF-8 with plain spaces where French typography wants
 * no-break ones: the renderers apply French spacing when the ini asks for
 * it, as they do to article text.  Where the two protocols say a thing
 * differently (a Gemini heading, a Gopher menu phrase), each has its own
 * key; a key is never spelt twice.
 */
#ifndef GRIOT_WORDS_H
#define GRIOT_WORDS_H

struct buf;

enum words_key {
	/* Both renderers. */
	WORDS_LATEST,		/* "Articles récents" */
	WORDS_CATEGORIES,
	WORDS_CATEGORY,		/* "Rubrique : " then the name */
	WORDS_ALL_CATEGORIES,
	WORDS_ARCHIVE,
	WORDS_ARCHIVE_OF,	/* "Archives : " then the month */
	WORDS_SEARCH,
	WORDS_NEW_SEARCH,
	WORDS_PAGES,
	WORDS_HOME,		/* the link back to the home page */
	WORDS_TAGS,
	WORDS_SOURCE,		/* labels the link to an article's original */
	WORDS_AT,		/* between the date and the time */
	WORDS_ARTICLE,		/* after a count of 1 */
	WORDS_ARTICLES,		/* after any other count */
	WORDS_PAGE,		/* "Page " then N, */
	WORDS_PAGE_OF,		/* " sur " then the number of pages */
	WORDS_NEXT_PAGE,
	WORDS_PREVIOUS_PAGE,

	/* Gemtext pages. */
	WORDS_NO_ARTICLE_YET,
	WORDS_BROWSE,
	WORDS_FEED,
	WORDS_CATEGORY_FEED,	/* on the first page of a category */
	WORDS_ALL_MONTHS,
	WORDS_PUBLISHED,	/* "Publié le " then the date */
	WORDS_BY,
	WORDS_AND,		/* before the last author */
	WORDS_MORE_IN,		/* "Autres articles de la rubrique « " */
	WORDS_SEARCH_FOR,	/* "Recherche : « " then the query */
	WORDS_QUOTE_END,	/* closes the two above */
	WORDS_FOUND_NONE,
	WORDS_FOUND_ONE,
	WORDS_FOUND_MANY,	/* after the count */

	/* Gemini status lines (META), by enum gemtext_msg. */
	WORDS_GEMINI_PROMPT,
	WORDS_GEMINI_BAD_REQUEST,
	WORDS_GEMINI_TOO_LONG,
	WORDS_GEMINI_NOT_UTF8,
	WORDS_GEMINI_NOT_ABSOLUTE,
	WORDS_GEMINI_USERINFO,
	WORDS_GEMINI_FRAGMENT,
	WORDS_GEMINI_BAD_ENCODING,
	WORDS_GEMINI_DOT_SEGMENT,
	WORDS_GEMINI_OTHER_SCHEME,
	WORDS_GEMINI_OTHER_HOST,
	WORDS_GEMINI_NOT_FOUND,
	WORDS_GEMINI_TEMPORARY,
	WORDS_GEMINI_UNAVAILABLE,

	/* Gopher menus and texts. */
	WORDS_NO_ARTICLE_PUBLISHED,
	WORDS_WHOLE_ARCHIVE,
	WORDS_SEARCH_HELP,	/* the search menu without a query */
	WORDS_RESULTS,		/* "Résultats pour « " then the query */
	WORDS_RESULTS_END,	/* then the count */
	WORDS_NO_MATCH,		/* "Aucun article ne contient « " */
	WORDS_NO_MATCH_END,
	WORDS_CHARSETS,		/* the charset choices, then... */
	WORDS_CHARSETS_SHORT,	/* ... shorter, for narrow menus */
	WORDS_UTF8,		/* short enough for both */
	WORDS_LATIN1,
	WORDS_LATIN1_SHORT,
	WORDS_ASCII,
	WORDS_ASCII_SHORT,
	WORDS_WIDTHS,		/* the width choices (pure ASCII too) */
	WORDS_SCREEN,		/* "Ecran de " 40 */
	WORDS_COLUMNS,		/* " colonnes" */
	WORDS_WIDTH_DEFAULT,	/* back to the ini's width, then its number */
	WORDS_LATIN1_INPUT,	/* a query read as Latin-1 (pure ASCII)... */
	WORDS_LATIN1_RESULTS,	/* ... and its results in the Latin-1 view */
	WORDS_GEMINI,		/* the link to the capsule over Gemini */
	WORDS_DATE,
	WORDS_AUTHOR,
	WORDS_AUTHORS,
	WORDS_LINKS,		/* heads the numbered links of a text */
	WORDS_URL_TITLE,	/* the page answering a "URL:" selector */
	WORDS_URL_TEXT,

	/* Gopher error menus, by enum gophermap_msg. */
	WORDS_GOPHER_NOT_FOUND,
	WORDS_GOPHER_BAD_REQUEST,
	WORDS_GOPHER_TOO_LONG,
	WORDS_GOPHER_BAD_URL,
	WORDS_GOPHER_SLOW_DOWN,

	WORDS_COUNT
};

/* One language; static storage, never freed. */
struct words {
	const char	*tag;		/* "fr", "en": for HTML lang="" */
	const char	*first_day;	/* the 1st of a month: "1er", "1" */
	const char	*month[12];	/* as in running text: "février" */
	const char	*word[WORDS_COUNT];
};

/*
 * The words for the capsule's lang: English for "en", "en-..." (and
 * "en_..."), whatever the case; French for anything else, NULL included.
 */
const struct words	*words_for_lang(const char *lang);

/*
 * Append "1er février 2026" ("1 February 2026") for "2026-02-01".  The
 * store only holds checked dates; anything else is appended as it is.
 * 0, or -1 when memory ran out.
 */
int	 words_date(struct buf *, const struct words *, const char *date);

/*
 * Append "février 2026" for "2026-02", "Février 2026" with "capital" set
 * (at the start of a menu line); anything else as it is.  0, or -1.
 */
int	 words_month(struct buf *, const struct words *, const char *month,
	    int capital);

#endif
