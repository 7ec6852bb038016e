/* griot: gemtext pages.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Renders a store snapshot as the capsule's gemtext pages, in its language. */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "buf.h"
#include "config.h"
#include "gemtext.h"
#include "store.h"
#include "text.h"

/* The words of the pages; French and English are built in. */
enum word {
	W_LATEST,
	W_NO_ARTICLE,
	W_BROWSE,
	W_CATEGORIES,
	W_ARCHIVE,
	W_SEARCH,
	W_FEED,
	W_PAGES,
	W_HOME,
	W_ALL_CATEGORIES,
	W_ALL_MONTHS,
	W_CATEGORY,
	W_TAGS,
	W_PUBLISHED,
	W_AT,
	W_BY,
	W_AND,
	W_MORE_IN_A,
	W_MORE_IN_B,
	W_ARTICLE,
	W_ARTICLES,
	W_ARCHIVE_OF,
	W_SEARCH_A,
	W_SEARCH_B,
	W_FOUND_NONE,
	W_FOUND_ONE,
	W_FOUND_MANY,
	W_FOUND_FIRST_A,
	W_FOUND_FIRST_B,
	W_NEW_SEARCH,
	W_COUNT
};

/*
 * Plain spaces where French typography wants no-break ones: with French
 * spacing on, ui() turns them into U+00A0 and U+202F like article text.
 */
static const char *const words_fr[W_COUNT] = {
	[W_LATEST] = "Articles récents",
	[W_NO_ARTICLE] = "Aucun article pour l’instant.",
	[W_BROWSE] = "Parcourir",
	[W_CATEGORIES] = "Rubriques",
	[W_ARCHIVE] = "Archives",
	[W_SEARCH] = "Rechercher",
	[W_FEED] = "Flux Atom",
	[W_PAGES] = "Pages",
	[W_HOME] = "Retour à l’accueil",
	[W_ALL_CATEGORIES] = "Toutes les rubriques",
	[W_ALL_MONTHS] = "Toutes les archives",
	[W_CATEGORY] = "Rubrique : ",
	[W_TAGS] = "Mots-clés : ",
	[W_PUBLISHED] = "Publié le ",
	[W_AT] = " à ",
	[W_BY] = "Par ",
	[W_AND] = " et ",
	[W_MORE_IN_A] = "Autres articles de la rubrique « ",
	[W_MORE_IN_B] = " »",
	[W_ARTICLE] = "article",
	[W_ARTICLES] = "articles",
	[W_ARCHIVE_OF] = "Archives : ",
	[W_SEARCH_A] = "Recherche : « ",
	[W_SEARCH_B] = " »",
	[W_FOUND_NONE] = "Aucun article trouvé.",
	[W_FOUND_ONE] = "1 article trouvé.",
	[W_FOUND_MANY] = " articles trouvés.",
	[W_FOUND_FIRST_A] = " articles trouvés ; voici les ",
	[W_FOUND_FIRST_B] = " premiers.",
	[W_NEW_SEARCH] = "Nouvelle recherche",
};

static const char *const words_en[W_COUNT] = {
	[W_LATEST] = "Latest articles",
	[W_NO_ARTICLE] = "No articles yet.",
	[W_BROWSE] = "Browse",
	[W_CATEGORIES] = "Categories",
	[W_ARCHIVE] = "Archive",
	[W_SEARCH] = "Search",
	[W_FEED] = "Atom feed",
	[W_PAGES] = "Pages",
	[W_HOME] = "Back to the home page",
	[W_ALL_CATEGORIES] = "All categories",
	[W_ALL_MONTHS] = "All months",
	[W_CATEGORY] = "Category: ",
	[W_TAGS] = "Tags: ",
	[W_PUBLISHED] = "Published on ",
	[W_AT] = " at ",
	[W_BY] = "By ",
	[W_AND] = " and ",
	[W_MORE_IN_A] = "More articles in “",
	[W_MORE_IN_B] = "”",
	[W_ARTICLE] = "article",
	[W_ARTICLES] = "articles",
	[W_ARCHIVE_OF] = "Archive: ",
	[W_SEARCH_A] = "Search: “",
	[W_SEARCH_B] = "”",
	[W_FOUND_NONE] = "No article found.",
	[W_FOUND_ONE] = "1 article found.",
	[W_FOUND_MANY] = " articles found.",
	[W_FOUND_FIRST_A] = " articles found; here are the first ",
	[W_FOUND_FIRST_B] = ".",
	[W_NEW_SEARCH] = "New search",
};

static const char *const months_fr[12] = {
	"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"
};

static const char *const months_en[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static const char *const msgs_fr[GEMTEXT_MSG_COUNT] = {
	[GEMTEXT_MSG_SEARCH_PROMPT] =
	    "Rechercher dans les articles (mots ou débuts de mots)",
	[GEMTEXT_MSG_BAD_REQUEST] = "Requête invalide",
	[GEMTEXT_MSG_TOO_LONG] = "Requête invalide : URL de plus de 1024 octets",
	[GEMTEXT_MSG_NOT_UTF8] = "Requête invalide : URL qui n’est pas en UTF-8",
	[GEMTEXT_MSG_NOT_ABSOLUTE] =
	    "Requête invalide : une URL absolue gemini:// est attendue",
	[GEMTEXT_MSG_USERINFO] =
	    "Requête invalide : identifiant (user@) interdit dans l’URL",
	[GEMTEXT_MSG_FRAGMENT] = "Requête invalide : fragment (#) interdit",
	[GEMTEXT_MSG_BAD_ENCODING] =
	    "Requête invalide : encodage %XX incorrect",
	[GEMTEXT_MSG_DOT_SEGMENT] =
	    "Requête invalide : segments « . » et « .. » interdits",
	[GEMTEXT_MSG_OTHER_SCHEME] =
	    "Requête refusée : cette capsule ne sert que des URL gemini://",
	[GEMTEXT_MSG_OTHER_HOST] =
	    "Requête refusée : cette capsule ne sert pas cet hôte ou ce port",
	[GEMTEXT_MSG_NOT_FOUND] = "Page introuvable",
	[GEMTEXT_MSG_TEMPORARY] = "Erreur temporaire : réessayez plus tard",
	[GEMTEXT_MSG_UNAVAILABLE] = "Capsule indisponible pour le moment",
};

static const char *const msgs_en[GEMTEXT_MSG_COUNT] = {
	[GEMTEXT_MSG_SEARCH_PROMPT] =
	    "Search the articles (words or beginnings of words)",
	[GEMTEXT_MSG_BAD_REQUEST] = "Bad request",
	[GEMTEXT_MSG_TOO_LONG] = "Bad request: URL longer than 1024 bytes",
	[GEMTEXT_MSG_NOT_UTF8] = "Bad request: URL not in UTF-8",
	[GEMTEXT_MSG_NOT_ABSOLUTE] =
	    "Bad request: an absolute gemini:// URL is expected",
	[GEMTEXT_MSG_USERINFO] = "Bad request: no userinfo (user@) in URLs",
	[GEMTEXT_MSG_FRAGMENT] = "Bad request: no fragment (#) in URLs",
	[GEMTEXT_MSG_BAD_ENCODING] = "Bad request: bad %XX encoding",
	[GEMTEXT_MSG_DOT_SEGMENT] =
	    "Bad request: \".\" and \"..\" segments are not allowed",
	[GEMTEXT_MSG_OTHER_SCHEME] =
	    "Proxy request refused: this capsule serves gemini:// URLs only",
	[GEMTEXT_MSG_OTHER_HOST] =
	    "Proxy request refused: this capsule does not serve that host or port",
	[GEMTEXT_MSG_NOT_FOUND] = "Not found",
	[GEMTEXT_MSG_TEMPORARY] = "Temporary failure: try again later",
	[GEMTEXT_MSG_UNAVAILABLE] = "Capsule unavailable for now",
};

/* One page being written. */
struct gt {
	struct buf		*out;
	const struct conf	*conf;
	const char *const	*w;
	const char *const	*months;
	int			 english;
	int			 err;
};

int
gemtext_is_english(const struct conf *conf)
{
	const char	*l = conf->lang;

	if (l == NULL || strncasecmp(l, "en", 2) != 0)
		return 0;
	return l[2] == '\0' || l[2] == '-' || l[2] == '_';
}

const char *
gemtext_msg(const struct conf *conf, enum gemtext_msg m)
{
	if ((int)m < 0 || m >= GEMTEXT_MSG_COUNT)
		m = GEMTEXT_MSG_BAD_REQUEST;
	return gemtext_is_english(conf) ? msgs_en[m] : msgs_fr[m];
}

static void
gt_init(struct gt *g, struct buf *out, const struct conf *conf)
{
	g->out = out;
	g->conf = conf;
	g->english = gemtext_is_english(conf);
	g->w = g->english ? words_en : words_fr;
	g->months = g->english ? months_en : months_fr;
	g->err = 0;
}

static int
gt_done(struct gt *g)
{
	return g->err || g->out->failed ? -1 : 0;
}

/* Bytes as they are. */
static void
put(struct gt *g, const char *s, size_t n)
{
	if (buf_add(g->out, s, n) == -1)
		g->err = 1;
}

static void
putstr(struct gt *g, const char *s)
{
	put(g, s, strlen(s));
}

static void
lf(struct gt *g)
{
	put(g, "\n", 1);
}

/*
 * Text that must stay on its line (titles, names, labels): a CR or LF
 * would start a new gemtext line, so each becomes a space.  Both are
 * ASCII and never part of a longer UTF-8 sequence.
 */
static void
line_n(struct gt *g, const char *s, size_t n)
{
	size_t	 i, start;

	for (i = start = 0; i < n; i++)
		if (s[i] == '\r' || s[i] == '\n') {
			put(g, s + start, i - start);
			put(g, " ", 1);
			start = i + 1;
		}
	put(g, s + start, n - start);
}

static void
line(struct gt *g, const char *s)
{
	if (s != NULL)
		line_n(g, s, strlen(s));
}

/* Words of the interface, the capsule's name and description. */
static void
ui(struct gt *g, const char *s)
{
	struct buf	 tmp = BUF_INIT;

	if (s == NULL)
		return;
	if (!g->conf->french_spacing) {
		line(g, s);
		return;
	}
	/* text.c may leave an empty buffer without its NUL: use the length. */
	if (text_french_spacing(&tmp, s, strlen(s)) == -1 || tmp.failed)
		g->err = 1;
	else if (tmp.len > 0)
		line_n(g, tmp.data, tmp.len);
	buf_release(&tmp);
}

static void
number(struct gt *g, size_t n)
{
	if (buf_printf(g->out, "%zu", n) == -1)
		g->err = 1;
}

/* "=> PATH " (the label follows). */
static void
link_to(struct gt *g, const char *path)
{
	putstr(g, "=> ");
	putstr(g, path);
	put(g, " ", 1);
}

static void
link_ui(struct gt *g, const char *path, const char *label)
{
	link_to(g, path);
	ui(g, label);
	lf(g);
}

static void
heading(struct gt *g, const char *marker, const char *s)
{
	putstr(g, marker);
	ui(g, s);
	lf(g);
}

/* "=> /articles/ID.gmi YYYY-MM-DD Title": one subscription-feed entry. */
static void
article_link(struct gt *g, const struct article *a)
{
	putstr(g, "=> /articles/");
	putstr(g, a->id);
	putstr(g, ".gmi ");
	putstr(g, a->date);
	put(g, " ", 1);
	line(g, a->title);
	lf(g);
}

static void
article_list(struct gt *g, const struct article *const *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		article_link(g, v[i]);
}

/* " (3 articles)" */
static void
count(struct gt *g, size_t n)
{
	putstr(g, " (");
	number(g, n);
	put(g, " ", 1);
	putstr(g, g->w[n == 1 ? W_ARTICLE : W_ARTICLES]);
	put(g, ")", 1);
}

static int
two_digits(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* "février 2026" from "2026-02"; the raw text when it is not a month. */
static void
month_name(struct gt *g, const char *ym)
{
	int	 m;

	if (strlen(ym) != 7 || ym[4] != '-' || two_digits(ym + 5, &m) == -1 ||
	    m < 1 || m > 12) {
		line(g, ym);
		return;
	}
	putstr(g, g->months[m - 1]);
	put(g, " ", 1);
	put(g, ym, 4);
}

/* "1er février 2026" / "1 February 2026" from "2026-02-01". */
static void
long_date(struct gt *g, const char *date)
{
	int	 d, m;

	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-' ||
	    two_digits(date + 5, &m) == -1 || two_digits(date + 8, &d) == -1 ||
	    m < 1 || m > 12 || d < 1) {
		line(g, date);
		return;
	}
	number(g, (size_t)d);
	if (d == 1 && !g->english)
		putstr(g, "er");
	put(g, " ", 1);
	putstr(g, g->months[m - 1]);
	put(g, " ", 1);
	put(g, date, 4);
}

static void
back_home(struct gt *g)
{
	link_ui(g, "/", g->w[W_HOME]);
}

int
gemtext_url(struct buf *b, const struct conf *conf, const char *path)
{
	const char	*host = conf->hostname != NULL ? conf->hostname : "localhost";
	int		 v6 = strchr(host, ':') != NULL && host[0] != '[';

	buf_puts(b, "gemini://");
	if (v6)
		buf_addc(b, '[');
	buf_puts(b, host);
	if (v6)
		buf_addc(b, ']');
	if (conf->gemini_public_port != 1965)
		buf_printf(b, ":%d", conf->gemini_public_port);
	buf_puts(b, path);
	return b->failed ? -1 : 0;
}

int
gemtext_encode_segment(struct buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	size_t			 i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_addc(b, c);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 0x0f]);
		}
	}
	return b->failed ? -1 : 0;
}

/* "/pages/NAME.gmi", the name percent-encoded. */
static void
page_link(struct gt *g, const struct store_page *p)
{
	struct buf	 path = BUF_INIT;

	buf_puts(&path, "/pages/");
	gemtext_encode_segment(&path, p->name, strlen(p->name));
	buf_puts(&path, ".gmi");
	if (path.failed)
		g->err = 1;
	else
		link_to(g, path.data);
	buf_release(&path);
	line(g, p->title != NULL ? p->title : p->name);
	lf(g);
}

int
gemtext_home(struct buf *out, const struct conf *conf, const struct store *st)
{
	struct gt	 g;
	size_t		 i, n, npages;

	gt_init(&g, out, conf);
	heading(&g, "# ", conf->name != NULL ? conf->name : "griot");
	if (conf->description != NULL && conf->description[0] != '\0') {
		lf(&g);
		ui(&g, conf->description);
		lf(&g);
	}
	lf(&g);
	heading(&g, "## ", g.w[W_LATEST]);
	lf(&g);
	n = store_count(st);
	if (conf->latest >= 0 && n > (size_t)conf->latest)
		n = (size_t)conf->latest;
	if (n == 0) {
		ui(&g, g.w[W_NO_ARTICLE]);
		lf(&g);
	}
	for (i = 0; i < n; i++)
		article_link(&g, store_article_at(st, i));
	lf(&g);
	heading(&g, "## ", g.w[W_BROWSE]);
	lf(&g);
	link_ui(&g, "/categories/", g.w[W_CATEGORIES]);
	link_ui(&g, "/archive/", g.w[W_ARCHIVE]);
	link_ui(&g, "/search", g.w[W_SEARCH]);
	link_ui(&g, "/atom.xml", g.w[W_FEED]);
	npages = store_npages(st);
	if (npages > 0) {
		lf(&g);
		heading(&g, "## ", g.w[W_PAGES]);
		lf(&g);
		for (i = 0; i < npages; i++)
			page_link(&g, store_page_at(st, i));
	}
	return gt_done(&g);
}

/*
 * A paragraph is one text line; if it happened to start like another
 * gemtext line type, a leading space keeps it a text line.
 */
static int
looks_like_markup(const char *s)
{
	return s[0] == '#' || s[0] == '>' || strncmp(s, "=>", 2) == 0 ||
	    strncmp(s, "```", 3) == 0 || strncmp(s, "* ", 2) == 0;
}

/* Consecutive items of these kinds stay together without a blank line. */
static int
is_run(enum block_type a, enum block_type b)
{
	return a == b &&
	    (a == BLOCK_LIST || a == BLOCK_QUOTE || a == BLOCK_LINK);
}

static void
block(struct gt *g, const struct block *b)
{
	switch (b->type) {
	case BLOCK_PARAGRAPH:
		if (looks_like_markup(b->text))
			put(g, " ", 1);
		line(g, b->text);
		break;
	case BLOCK_HEADING1:
		putstr(g, "# ");
		line(g, b->text);
		break;
	case BLOCK_HEADING2:
		putstr(g, "## ");
		line(g, b->text);
		break;
	case BLOCK_HEADING3:
		putstr(g, "### ");
		line(g, b->text);
		break;
	case BLOCK_QUOTE:
		putstr(g, "> ");
		line(g, b->text);
		break;
	case BLOCK_LIST:
		putstr(g, "* ");
		line(g, b->text);
		break;
	case BLOCK_LINK:
		putstr(g, "=> ");
		line(g, b->url != NULL ? b->url : "");
		if (b->text[0] != '\0') {
			put(g, " ", 1);
			line(g, b->text);
		}
		break;
	case BLOCK_PRE:
		/* Byte for byte: the store never reflows these lines. */
		putstr(g, "```");
		line(g, b->alt != NULL ? b->alt : "");
		lf(g);
		if (b->text[0] != '\0') {
			putstr(g, b->text);
			lf(g);
		}
		putstr(g, "```");
		break;
	}
	lf(g);
}

static void
blocks(struct gt *g, const struct block *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i > 0 && !is_run(v[i - 1].type, v[i].type))
			lf(g);
		block(g, &v[i]);
	}
}

static void
category_path(struct gt *g, struct buf *b, const char *slug)
{
	buf_puts(b, "/categories/");
	gemtext_encode_segment(b, slug, strlen(slug));
	buf_puts(b, ".gmi");
	if (b->failed)
		g->err = 1;
}

int
gemtext_article(struct buf *out, const struct conf *conf,
    const struct article *a)
{
	struct gt	 g;
	struct buf	 cat = BUF_INIT;
	size_t		 i;

	gt_init(&g, out, conf);
	putstr(&g, "# ");
	line(&g, a->title);
	lf(&g);
	lf(&g);

	ui(&g, g.w[W_PUBLISHED]);
	long_date(&g, a->date);
	if (a->time[0] != '\0') {
		ui(&g, g.w[W_AT]);
		putstr(&g, a->time);
	}
	lf(&g);
	if (a->nauthors > 0) {
		ui(&g, g.w[W_BY]);
		for (i = 0; i < a->nauthors; i++) {
			if (i > 0)
				ui(&g, i + 1 == a->nauthors ? g.w[W_AND] : ", ");
			line(&g, a->authors[i]);
		}
		lf(&g);
	}
	if (a->category != NULL && a->category_slug != NULL) {
		category_path(&g, &cat, a->category_slug);
		if (!cat.failed) {
			link_to(&g, cat.data);
			ui(&g, g.w[W_CATEGORY]);
			line(&g, a->category);
			lf(&g);
		}
	}
	if (a->ntags > 0) {
		ui(&g, g.w[W_TAGS]);
		for (i = 0; i < a->ntags; i++) {
			if (i > 0)
				putstr(&g, ", ");
			line(&g, a->tags[i]);
		}
		lf(&g);
	}

	if (a->nblocks > 0) {
		lf(&g);
		blocks(&g, a->blocks, a->nblocks);
	}

	lf(&g);
	if (a->category != NULL && a->category_slug != NULL && !cat.failed) {
		link_to(&g, cat.data);
		ui(&g, g.w[W_MORE_IN_A]);
		line(&g, a->category);
		ui(&g, g.w[W_MORE_IN_B]);
		lf(&g);
	}
	back_home(&g);
	buf_release(&cat);
	return gt_done(&g);
}

int
gemtext_categories(struct buf *out, const struct conf *conf,
    const struct store *st)
{
	struct gt			 g;
	struct buf			 path = BUF_INIT;
	const struct store_category	*c;
	size_t				 i, n;

	gt_init(&g, out, conf);
	heading(&g, "# ", g.w[W_CATEGORIES]);
	lf(&g);
	n = store_ncategories(st);
	if (n == 0) {
		ui(&g, g.w[W_NO_ARTICLE]);
		lf(&g);
	}
	for (i = 0; i < n; i++) {
		c = store_category_at(st, i);
		buf_reset(&path);
		category_path(&g, &path, c->slug);
		if (path.failed)
			break;
		link_to(&g, path.data);
		line(&g, c->name);
		count(&g, c->narticles);
		lf(&g);
	}
	lf(&g);
	back_home(&g);
	buf_release(&path);
	return gt_done(&g);
}

int
gemtext_category(struct buf *out, const struct conf *conf,
    const struct store_category *c)
{
	struct gt	 g;

	gt_init(&g, out, conf);
	putstr(&g, "# ");
	ui(&g, g.w[W_CATEGORY]);
	line(&g, c->name);
	lf(&g);
	lf(&g);
	article_list(&g, c->articles, c->narticles);
	lf(&g);
	link_ui(&g, "/categories/", g.w[W_ALL_CATEGORIES]);
	back_home(&g);
	return gt_done(&g);
}

int
gemtext_archive(struct buf *out, const struct conf *conf,
    const struct store *st)
{
	struct gt			 g;
	const struct store_month	*m;
	size_t				 i, n;

	gt_init(&g, out, conf);
	heading(&g, "# ", g.w[W_ARCHIVE]);
	lf(&g);
	n = store_nmonths(st);
	if (n == 0) {
		ui(&g, g.w[W_NO_ARTICLE]);
		lf(&g);
	}
	for (i = 0; i < n; i++) {
		m = store_month_at(st, i);
		putstr(&g, "=> /archive/");
		putstr(&g, m->month);
		putstr(&g, ".gmi ");
		month_name(&g, m->month);
		count(&g, m->narticles);
		lf(&g);
	}
	lf(&g);
	back_home(&g);
	return gt_done(&g);
}

int
gemtext_month(struct buf *out, const struct conf *conf,
    const struct store_month *m)
{
	struct gt	 g;

	gt_init(&g, out, conf);
	putstr(&g, "# ");
	ui(&g, g.w[W_ARCHIVE_OF]);
	month_name(&g, m->month);
	lf(&g);
	lf(&g);
	article_list(&g, m->articles, m->narticles);
	lf(&g);
	link_ui(&g, "/archive/", g.w[W_ALL_MONTHS]);
	back_home(&g);
	return gt_done(&g);
}

/*
 * One line of a static page outside preformatted blocks: with French
 * spacing on, text gets it like article text, but never a link's URL.
 */
static void
page_line(struct gt *g, const char *s, size_t n)
{
	struct buf	 tmp = BUF_INIT;
	size_t		 i = 0;

	if (n >= 2 && s[0] == '=' && s[1] == '>') {
		for (i = 2; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			continue;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		put(g, s, i);
	}
	if (text_french_spacing(&tmp, s + i, n - i) == -1 || tmp.failed)
		g->err = 1;
	else if (tmp.len > 0)
		put(g, tmp.data, tmp.len);
	buf_release(&tmp);
}

/*
 * The page's own gemtext as the store read it (sanitised), its layout
 * kept, ending in one LF.  With French spacing on, its text lines get it
 * too; preformatted lines and URLs stay byte for byte.
 */
int
gemtext_page(struct buf *out, const struct conf *conf,
    const struct store_page *p)
{
	struct gt	 g;
	const char	*s, *e;
	int		 pre = 0;

	gt_init(&g, out, conf);
	for (s = p->source != NULL ? p->source : ""; *s != '\0'; s = e) {
		if ((e = strchr(s, '\n')) == NULL)
			e = s + strlen(s);
		if (strncmp(s, "```", 3) == 0) {
			pre = !pre;
			put(&g, s, (size_t)(e - s));
		} else if (pre || !conf->french_spacing)
			put(&g, s, (size_t)(e - s));
		else
			page_line(&g, s, (size_t)(e - s));
		lf(&g);
		if (*e == '\n')
			e++;
	}
	return gt_done(&g);
}

/*
 * The robots.txt companion specification: the searches are an endless
 * space of pages that no crawler, archiver or proxy needs; the rest of
 * the capsule is open to every bot.
 */
int
gemtext_robots(struct buf *out, const struct conf *conf)
{
	struct gt	 g;

	gt_init(&g, out, conf);
	putstr(&g,
	    "# Rules for automated Gemini clients (robots.txt companion"
	    " specification).\n"
	    "# Search results are an endless space of pages: bots keep out.\n"
	    "User-agent: *\n"
	    "Disallow: /search\n");
	return gt_done(&g);
}

int
gemtext_search(struct buf *out, const struct conf *conf, const char *query,
    size_t len, const struct article *const *v, size_t n, size_t total)
{
	struct gt	 g;
	struct buf	 q = BUF_INIT;

	gt_init(&g, out, conf);
	/* The reader's words, cleaned: no control character, NFC. */
	if (text_sanitize(&q, query, len, 0, NULL, NULL) == -1 || q.failed) {
		buf_release(&q);
		return -1;
	}
	putstr(&g, "# ");
	ui(&g, g.w[W_SEARCH_A]);
	if (q.len > 0)
		line_n(&g, q.data, q.len);
	ui(&g, g.w[W_SEARCH_B]);
	lf(&g);
	lf(&g);
	buf_release(&q);

	if (total == 0)
		ui(&g, g.w[W_FOUND_NONE]);
	else if (total == 1)
		ui(&g, g.w[W_FOUND_ONE]);
	else if (n >= total) {
		number(&g, total);
		ui(&g, g.w[W_FOUND_MANY]);
	} else {
		number(&g, total);
		ui(&g, g.w[W_FOUND_FIRST_A]);
		number(&g, n);
		ui(&g, g.w[W_FOUND_FIRST_B]);
	}
	lf(&g);
	if (n > 0) {
		lf(&g);
		article_list(&g, v, n);
	}
	lf(&g);
	link_ui(&g, "/search", g.w[W_NEW_SEARCH]);
	back_home(&g);
	return gt_done(&g);
}
