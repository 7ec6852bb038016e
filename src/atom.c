/* griot: Atom feed.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Writes /atom.xml (RFC 4287) from a store snapshot, with gemini:// links. */

#include "griot-config.h"

#include <string.h>

#include "article.h"
#include "atom.h"
#include "buf.h"
#include "config.h"
#include "gemtext.h"
#include "store.h"
#include "text.h"

#define ATOM_NS		"http://www.w3.org/2005/Atom"

int
atom_escape(struct buf *b, const char *s, size_t n)
{
	struct buf	 clean = BUF_INIT;
	size_t		 i, start;
	char		 c;

	/*
	 * The store's text is clean already (text_sanitize()); the ini's
	 * words and anything else are made so here, since one character
	 * XML 1.0 forbids makes the whole feed unreadable.
	 */
	if (!text_is_xml(s, n)) {
		if (text_sanitize(&clean, s, n, TEXT_KEEP_TAB | TEXT_KEEP_NL,
		    NULL, NULL) == -1) {
			buf_release(&clean);
			b->failed = 1;
			return -1;
		}
		s = clean.data != NULL ? clean.data : "";
		n = clean.len;
	}
	for (i = start = 0; i < n; i++) {
		c = s[i];
		if (c != '&' && c != '<' && c != '>' && c != '"')
			continue;
		buf_add(b, s + start, i - start);
		start = i + 1;
		if (c == '&')
			buf_puts(b, "&amp;");
		else if (c == '<')
			buf_puts(b, "&lt;");
		else if (c == '>')
			buf_puts(b, "&gt;");
		else
			buf_puts(b, "&quot;");
	}
	buf_add(b, s + start, n - start);
	buf_release(&clean);
	return b->failed ? -1 : 0;
}

static void
esc(struct buf *b, const char *s)
{
	atom_escape(b, s, strlen(s));
}

/* The capsule's own words get French spacing like the gemtext pages. */
static void
esc_ui(struct buf *b, const struct conf *conf, const char *s)
{
	struct buf	 tmp = BUF_INIT;

	if (!conf->french_spacing) {
		esc(b, s);
		return;
	}
	if (text_french_spacing(&tmp, s, strlen(s)) == -1 || tmp.failed)
		b->failed = 1;
	else if (tmp.data != NULL)
		atom_escape(b, tmp.data, tmp.len);
	buf_release(&tmp);
}

/* RFC 3339 from the article's date and time, which the store keeps in UTC. */
static void
stamp(struct buf *b, const struct article *a)
{
	buf_printf(b, "%sT%s:00Z", a->date, a->time[0] != '\0' ? a->time :
	    "00:00");
}

/* Append a full URL for "path" as an escaped attribute value. */
static void
url(struct buf *b, const struct conf *conf, const char *path)
{
	struct buf	 u = BUF_INIT;

	if (gemtext_url(&u, conf, path) == -1)
		b->failed = 1;
	else
		atom_escape(b, u.data, u.len);
	buf_release(&u);
}

static const char *
summary_of(const struct article *a)
{
	size_t	 i;

	if (a->summary != NULL && a->summary[0] != '\0')
		return a->summary;
	for (i = 0; i < a->nblocks; i++)
		if (a->blocks[i].type == BLOCK_PARAGRAPH)
			return a->blocks[i].text;
	return NULL;
}

static void
entry(struct buf *b, const struct conf *conf, const struct article *a)
{
	struct buf	 path = BUF_INIT;
	const char	*sum;
	size_t		 i;

	buf_puts(&path, "/articles/");
	gemtext_encode_segment(&path, a->id, strlen(a->id));
	buf_puts(&path, ".gmi");
	if (path.failed) {
		buf_release(&path);
		b->failed = 1;
		return;
	}

	buf_puts(b, "  <entry");
	if (a->lang != NULL && a->lang[0] != '\0') {
		buf_puts(b, " xml:lang=\"");
		esc(b, a->lang);
		buf_puts(b, "\"");
	}
	buf_puts(b, ">\n    <id>");
	url(b, conf, path.data);
	buf_puts(b, "</id>\n    <title>");
	esc(b, a->title);
	buf_puts(b, "</title>\n    <updated>");
	stamp(b, a);
	buf_puts(b, "</updated>\n    <published>");
	stamp(b, a);
	buf_puts(b, "</published>\n");
	for (i = 0; i < a->nauthors; i++) {
		buf_puts(b, "    <author><name>");
		esc(b, a->authors[i]);
		buf_puts(b, "</name></author>\n");
	}
	buf_puts(b, "    <link rel=\"alternate\" type=\"text/gemini\" href=\"");
	url(b, conf, path.data);
	buf_puts(b, "\"/>\n");
	if (a->category != NULL && a->category_slug != NULL) {
		buf_puts(b, "    <category term=\"");
		esc(b, a->category_slug);
		buf_puts(b, "\" label=\"");
		esc(b, a->category);
		buf_puts(b, "\"/>\n");
	}
	if ((sum = summary_of(a)) != NULL) {
		buf_puts(b, "    <summary>");
		esc(b, sum);
		buf_puts(b, "</summary>\n");
	}
	buf_puts(b, "  </entry>\n");
	buf_release(&path);
}

/*
 * A feed of the newest "n" of "v": "self" is its own path, "alt" the
 * gemtext page it follows (also its id); "category", when not NULL,
 * follows the capsule's name in its title.
 */
static int
feed(struct buf *b, const struct conf *conf, const struct article *const *v,
    size_t n, const char *self, const char *alt, const char *category)
{
	const char	*name = conf->name != NULL ? conf->name : "griot";
	size_t		 i;

	if (n > ATOM_ENTRIES_MAX)
		n = ATOM_ENTRIES_MAX;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"" ATOM_NS "\"");
	/* One tag, as xml:lang takes it (config.c checks the ini's). */
	if (conf->lang != NULL && conf->lang[0] != '\0') {
		buf_puts(b, " xml:lang=\"");
		esc(b, conf->lang);
		buf_puts(b, "\"");
	}
	buf_puts(b, ">\n  <id>");
	url(b, conf, alt);
	buf_puts(b, "</id>\n  <title>");
	esc_ui(b, conf, name);
	if (category != NULL) {
		esc(b, " — ");
		esc(b, category);
	}
	buf_puts(b, "</title>\n");
	if (category == NULL && conf->description != NULL &&
	    conf->description[0] != '\0') {
		buf_puts(b, "  <subtitle>");
		esc_ui(b, conf, conf->description);
		buf_puts(b, "</subtitle>\n");
	}
	/* The newest article's date, never the clock: same store, same bytes. */
	buf_puts(b, "  <updated>");
	if (n > 0)
		stamp(b, v[0]);
	else
		buf_puts(b, "1970-01-01T00:00:00Z");
	buf_puts(b, "</updated>\n");
	/* RFC 4287 wants a feed author when some entry has none. */
	buf_puts(b, "  <author><name>");
	esc_ui(b, conf, name);
	buf_puts(b, "</name></author>\n");
	buf_puts(b, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
	url(b, conf, self);
	buf_puts(b, "\"/>\n");
	buf_puts(b, "  <link rel=\"alternate\" type=\"text/gemini\" href=\"");
	url(b, conf, alt);
	buf_puts(b, "\"/>\n");
	buf_puts(b, "  <generator>griot</generator>\n");
	for (i = 0; i < n; i++)
		entry(b, conf, v[i]);
	buf_puts(b, "</feed>\n");
	return b->failed ? -1 : 0;
}

int
atom_feed(struct buf *b, const struct conf *conf, const struct store *st)
{
	const struct article	*v[ATOM_ENTRIES_MAX];
	size_t			 i, n;

	n = store_count(st);
	if (n > ATOM_ENTRIES_MAX)
		n = ATOM_ENTRIES_MAX;
	for (i = 0; i < n; i++)
		v[i] = store_article_at(st, i);
	return feed(b, conf, v, n, "/atom.xml", "/", NULL);
}

int
atom_category(struct buf *b, const struct conf *conf,
    const struct store_category *c)
{
	struct buf	 self = BUF_INIT, alt = BUF_INIT;
	int		 rc = -1;

	buf_puts(&alt, "/categories/");
	gemtext_encode_segment(&alt, c->slug, strlen(c->slug));
	buf_puts(&self, alt.data != NULL ? alt.data : "");
	buf_puts(&alt, ".gmi");
	buf_puts(&self, "/atom.xml");
	if (!alt.failed && !self.failed)
		rc = feed(b, conf, c->articles, c->narticles, self.data,
		    alt.data, c->name);
	else
		b->failed = 1;
	buf_release(&self);
	buf_release(&alt);
	return rc;
}
