/* griot: the user-interface words.  Copyright (c) 2026 the griot developers; ISC licence. */
/* The French and English words of both renderers, and dates in words. */

#include "griot-config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "text.h"
#include "words.h"

/*
 * Plain spaces where French typography wants no-break ones (before ":",
 * ";", "»", after "«"): the renderers turn them into U+00A0 and U+202F
 * with French spacing on, and leave them plain when it is off.
 */
static const struct words words_fr = {
	.tag = "fr",
	.first_day = "1er",
	.month = { "janvier", "février", "mars", "avril", "mai", "juin",
	    "juillet", "août", "septembre", "octobre", "novembre",
	    "décembre" },
	.word = {
		[WORDS_LATEST] = "Articles récents",
		[WORDS_CATEGORIES] = "Rubriques",
		[WORDS_CATEGORY] = "Rubrique : ",
		[WORDS_ALL_CATEGORIES] = "Toutes les rubriques",
		[WORDS_ARCHIVE] = "Archives",
		[WORDS_ARCHIVE_OF] = "Archives : ",
		[WORDS_SEARCH] = "Rechercher",
		[WORDS_NEW_SEARCH] = "Nouvelle recherche",
		[WORDS_PAGES] = "Pages",
		[WORDS_HOME] = "Retour à l’accueil",
		[WORDS_TAGS] = "Mots-clés : ",
		[WORDS_SOURCE] = "Source",
		[WORDS_AT] = " à ",
		[WORDS_ARTICLE] = "article",
		[WORDS_ARTICLES] = "articles",
		[WORDS_PAGE] = "Page ",
		[WORDS_PAGE_OF] = " sur ",
		[WORDS_NEXT_PAGE] = "Page suivante",
		[WORDS_PREVIOUS_PAGE] = "Page précédente",

		/*
		 * XXX The empty store and the link back to the months say
		 * the same thing in both protocols in different words
		 * (WORDS_NO_ARTICLE_PUBLISHED, WORDS_WHOLE_ARCHIVE); merging
		 * them changes the bytes of one protocol's pages.
		 */
		[WORDS_NO_ARTICLE_YET] = "Aucun article pour l’instant.",
		[WORDS_BROWSE] = "Parcourir",
		[WORDS_FEED] = "Flux Atom",
		[WORDS_CATEGORY_FEED] = "Flux Atom de cette rubrique",
		[WORDS_ALL_MONTHS] = "Toutes les archives",
		[WORDS_PUBLISHED] = "Publié le ",
		[WORDS_BY] = "Par ",
		[WORDS_AND] = " et ",
		[WORDS_MORE_IN] = "Autres articles de la rubrique « ",
		[WORDS_SEARCH_FOR] = "Recherche : « ",
		[WORDS_QUOTE_END] = " »",
		[WORDS_FOUND_NONE] = "Aucun article trouvé.",
		[WORDS_FOUND_ONE] = "1 article trouvé.",
		[WORDS_FOUND_MANY] = " articles trouvés.",

		[WORDS_GEMINI_PROMPT] =
		    "Rechercher dans les articles (mots ou débuts de mots)",
		[WORDS_GEMINI_BAD_REQUEST] = "Requête invalide",
		[WORDS_GEMINI_TOO_LONG] =
		    "Requête invalide : URL de plus de 1024 octets",
		[WORDS_GEMINI_NOT_UTF8] =
		    "Requête invalide : URL qui n’est pas en UTF-8",
		[WORDS_GEMINI_NOT_ABSOLUTE] =
		    "Requête invalide : une URL absolue gemini:// est attendue",
		[WORDS_GEMINI_USERINFO] =
		    "Requête invalide : identifiant (user@) interdit dans "
		    "l’URL",
		[WORDS_GEMINI_FRAGMENT] =
		    "Requête invalide : fragment (#) interdit",
		[WORDS_GEMINI_BAD_ENCODING] =
		    "Requête invalide : encodage %XX incorrect",
		[WORDS_GEMINI_DOT_SEGMENT] =
		    "Requête invalide : segments « . » et « .. » interdits",
		[WORDS_GEMINI_OTHER_SCHEME] =
		    "Requête refusée : cette capsule ne sert que des URL "
		    "gemini://",
		[WORDS_GEMINI_OTHER_HOST] =
		    "Requête refusée : cette capsule ne sert pas cet hôte ou "
		    "ce port",
		[WORDS_GEMINI_NOT_FOUND] = "Page introuvable",
		[WORDS_GEMINI_TEMPORARY] =
		    "Erreur temporaire : réessayez plus tard",
		[WORDS_GEMINI_UNAVAILABLE] =
		    "Capsule indisponible pour le moment",

		[WORDS_NO_ARTICLE_PUBLISHED] =
		    "Aucun article publié pour l’instant.",
		[WORDS_WHOLE_ARCHIVE] = "Toutes les archives",
		[WORDS_SEARCH_HELP] =
		    "Tapez les mots à chercher (les accents sont facultatifs).",
		[WORDS_RESULTS] = "Résultats pour « ",
		[WORDS_RESULTS_END] = " » : ",
		[WORDS_NO_MATCH] = "Aucun article ne contient « ",
		[WORDS_NO_MATCH_END] = " ».",
		/*
		 * The charset choices are pure ASCII on purpose, so that a
		 * reader whose machine garbles accents can still read them.
		 */
		[WORDS_CHARSETS] =
		    "Si les accents s'affichent mal, choisissez :",
		[WORDS_CHARSETS_SHORT] = "Accents illisibles ? Choisissez :",
		[WORDS_UTF8] = "Texte en UTF-8",
		[WORDS_LATIN1] = "Texte en Latin-1 (ISO-8859-1)",
		[WORDS_LATIN1_SHORT] = "Texte en Latin-1",
		[WORDS_ASCII] =
		    "Texte sans accents (ASCII, pour les vieilles machines)",
		[WORDS_ASCII_SHORT] = "Texte sans accents (ASCII)",
		[WORDS_WIDTHS] = "Lignes mal coupees ? Choisissez :",
		[WORDS_SCREEN] = "Ecran de ",
		[WORDS_COLUMNS] = " colonnes",
		[WORDS_WIDTH_DEFAULT] = "Retour a ",
		[WORDS_LATIN1_INPUT] = "Votre machine ecrit en Latin-1.",
		[WORDS_LATIN1_RESULTS] = "Ces resultats en Latin-1",
		[WORDS_GEMINI] = "La même capsule en Gemini",
		[WORDS_DATE] = "Date : ",
		[WORDS_AUTHOR] = "Auteur : ",
		[WORDS_AUTHORS] = "Auteurs : ",
		[WORDS_LINKS] = "Liens",
		[WORDS_URL_TITLE] = "Lien externe",
		[WORDS_URL_TEXT] = "Ce lien mène hors de Gopher : ",

		[WORDS_GOPHER_NOT_FOUND] = "Document introuvable.",
		[WORDS_GOPHER_BAD_REQUEST] = "Requête invalide.",
		[WORDS_GOPHER_TOO_LONG] = "Requête trop longue.",
		[WORDS_GOPHER_BAD_URL] =
		    "Lien refusé : seuls http, https, gemini et gopher sont "
		    "acceptés.",
		[WORDS_GOPHER_SLOW_DOWN] =
		    "Trop de requêtes : réessayez dans une minute.",
	},
};

static const struct words words_en = {
	.tag = "en",
	.first_day = "1",
	.month = { "January", "February", "March", "April", "May", "June",
	    "July", "August", "September", "October", "November",
	    "December" },
	.word = {
		[WORDS_LATEST] = "Latest articles",
		[WORDS_CATEGORIES] = "Categories",
		[WORDS_CATEGORY] = "Category: ",
		[WORDS_ALL_CATEGORIES] = "All categories",
		[WORDS_ARCHIVE] = "Archive",
		[WORDS_ARCHIVE_OF] = "Archive: ",
		[WORDS_SEARCH] = "Search",
		[WORDS_NEW_SEARCH] = "New search",
		[WORDS_PAGES] = "Pages",
		[WORDS_HOME] = "Back to the home page",
		[WORDS_TAGS] = "Tags: ",
		[WORDS_SOURCE] = "Source",
		[WORDS_AT] = " at ",
		[WORDS_ARTICLE] = "article",
		[WORDS_ARTICLES] = "articles",
		[WORDS_PAGE] = "Page ",
		[WORDS_PAGE_OF] = " of ",
		[WORDS_NEXT_PAGE] = "Next page",
		[WORDS_PREVIOUS_PAGE] = "Previous page",

		[WORDS_NO_ARTICLE_YET] = "No articles yet.",
		[WORDS_BROWSE] = "Browse",
		[WORDS_FEED] = "Atom feed",
		[WORDS_CATEGORY_FEED] = "Atom feed of this category",
		[WORDS_ALL_MONTHS] = "All months",
		[WORDS_PUBLISHED] = "Published on ",
		[WORDS_BY] = "By ",
		[WORDS_AND] = " and ",
		[WORDS_MORE_IN] = "More articles in “",
		[WORDS_SEARCH_FOR] = "Search: “",
		[WORDS_QUOTE_END] = "”",
		[WORDS_FOUND_NONE] = "No article found.",
		[WORDS_FOUND_ONE] = "1 article found.",
		[WORDS_FOUND_MANY] = " articles found.",

		[WORDS_GEMINI_PROMPT] =
		    "Search the articles (words or beginnings of words)",
		[WORDS_GEMINI_BAD_REQUEST] = "Bad request",
		[WORDS_GEMINI_TOO_LONG] =
		    "Bad request: URL longer than 1024 bytes",
		[WORDS_GEMINI_NOT_UTF8] = "Bad request: URL not in UTF-8",
		[WORDS_GEMINI_NOT_ABSOLUTE] =
		    "Bad request: an absolute gemini:// URL is expected",
		[WORDS_GEMINI_USERINFO] =
		    "Bad request: no userinfo (user@) in URLs",
		[WORDS_GEMINI_FRAGMENT] =
		    "Bad request: no fragment (#) in URLs",
		[WORDS_GEMINI_BAD_ENCODING] = "Bad request: bad %XX encoding",
		[WORDS_GEMINI_DOT_SEGMENT] =
		    "Bad request: \".\" and \"..\" segments are not allowed",
		[WORDS_GEMINI_OTHER_SCHEME] =
		    "Proxy request refused: this capsule serves gemini:// URLs "
		    "only",
		[WORDS_GEMINI_OTHER_HOST] =
		    "Proxy request refused: this capsule does not serve that "
		    "host or port",
		[WORDS_GEMINI_NOT_FOUND] = "Not found",
		[WORDS_GEMINI_TEMPORARY] = "Temporary failure: try again later",
		[WORDS_GEMINI_UNAVAILABLE] = "Capsule unavailable for now",

		[WORDS_NO_ARTICLE_PUBLISHED] = "No article published yet.",
		[WORDS_WHOLE_ARCHIVE] = "Whole archive",
		[WORDS_SEARCH_HELP] =
		    "Type the words to search for (accents are optional).",
		[WORDS_RESULTS] = "Results for “",
		[WORDS_RESULTS_END] = "”: ",
		[WORDS_NO_MATCH] = "No article contains “",
		[WORDS_NO_MATCH_END] = "”.",
		[WORDS_CHARSETS] = "If accents look wrong, choose:",
		[WORDS_CHARSETS_SHORT] = "Accents garbled? Choose:",
		[WORDS_UTF8] = "UTF-8 text",
		[WORDS_LATIN1] = "Latin-1 text (ISO-8859-1)",
		[WORDS_LATIN1_SHORT] = "Latin-1 text",
		[WORDS_ASCII] =
		    "Text without accents (ASCII, for old machines)",
		[WORDS_ASCII_SHORT] = "Plain ASCII text",
		[WORDS_WIDTHS] = "Lines cut badly? Choose:",
		[WORDS_SCREEN] = "Screen of ",
		[WORDS_COLUMNS] = " columns",
		[WORDS_WIDTH_DEFAULT] = "Back to ",
		[WORDS_LATIN1_INPUT] = "Your machine writes Latin-1.",
		[WORDS_LATIN1_RESULTS] = "These results in Latin-1",
		[WORDS_GEMINI] = "This capsule over Gemini",
		[WORDS_DATE] = "Date: ",
		[WORDS_AUTHOR] = "Author: ",
		[WORDS_AUTHORS] = "Authors: ",
		[WORDS_LINKS] = "Links",
		[WORDS_URL_TITLE] = "External link",
		[WORDS_URL_TEXT] = "This link leads out of Gopherspace: ",

		[WORDS_GOPHER_NOT_FOUND] = "Document not found.",
		[WORDS_GOPHER_BAD_REQUEST] = "Bad request.",
		[WORDS_GOPHER_TOO_LONG] = "Request too long.",
		[WORDS_GOPHER_BAD_URL] =
		    "Link refused: only http, https, gemini and gopher are "
		    "accepted.",
		[WORDS_GOPHER_SLOW_DOWN] =
		    "Too many requests: try again in a minute.",
	},
};

/*
 * Language tags are case-insensitive (RFC 5646); config.c lowers the
 * primary subtag anyway.  "_" is accepted for a tag written the POSIX
 * locale way.
 */
const struct words *
words_for_lang(const char *lang)
{
	if (lang != NULL && strncasecmp(lang, "en", 2) == 0 &&
	    (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
		return &words_en;
	return &words_fr;
}

static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The month of "YYYY-MM...", 1 to 12, or 0 when there is none. */
static int
month_of(const char *s, size_t len)
{
	int	 m;

	if (len < 7 || s[4] != '-' || (m = two_digits(s + 5)) < 1 || m > 12)
		return 0;
	return m;
}

/* "Février": the first letter in upper case by the language's rules. */
static int
capitalised(struct buf *b, const struct words *w, const char *s)
{
	return text_title(b, s, strlen(s), w->tag);
}

int
words_date(struct buf *b, const struct words *w, const char *date)
{
	size_t	 len = strlen(date);
	int	 d, m;

	if (len != 10 || date[7] != '-' || (m = month_of(date, len)) == 0 ||
	    (d = two_digits(date + 8)) < 1 || d > 31)
		return buf_puts(b, date);
	if ((d == 1 ? buf_puts(b, w->first_day) : buf_printf(b, "%d", d)) ==
	    -1 || buf_printf(b, " %s %.4s", w->month[m - 1], date) == -1)
		return -1;
	return 0;
}

int
words_month(struct buf *b, const struct words *w, const char *month,
    int capital)
{
	size_t	 len = strlen(month);
	int	 m;

	if (len != 7 || (m = month_of(month, len)) == 0)
		return buf_puts(b, month);
	if ((capital ? capitalised(b, w, w->month[m - 1]) :
	    buf_puts(b, w->month[m - 1])) == -1 ||
	    buf_printf(b, " %.4s", month) == -1)
		return -1;
	return 0;
}
