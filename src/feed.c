/* griot: feeds and pages as items.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Reads an RSS or Atom feed (libxml2) or one HTML article page into items ready to be article files. */

#include "griot-config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "date.h"
#include "feed.h"
#include "html.h"
#include "text.h"

#define QUOTE_WIDTH	48	/* columns of a value quoted in a message */

#define NS_CONTENT	"http://purl.org/rss/1.0/modules/content/"
#define NS_DC		"http://purl.org/dc/elements/1.1/"
#define NS_ATOM		"http://www.w3.org/2005/Atom"

/* An element's name, and namespace when "ns" is not NULL. */
static int
is_el(const xmlNode *n, const char *ns, const char *name)
{
	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return 0;
	if (ns == NULL)
		return n->ns == NULL || strcmp((const char *)n->ns->href, NS_ATOM) == 0;
	return n->ns != NULL && strcmp((const char *)n->ns->href, ns) == 0;
}

static xmlNode *
child(const xmlNode *n, const char *ns, const char *name)
{
	xmlNode	*k;

	for (k = n->children; k != NULL; k = k->next)
		if (is_el(k, ns, name))
			return k;
	return NULL;
}

/* An element's text, as-is (HTML content) or as one clean line. */
static char *
content(const xmlNode *n)
{
	xmlChar	*v;
	char	*s;

	if (n == NULL || (v = xmlNodeGetContent(n)) == NULL)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

static char *
line(const xmlNode *n)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	if ((s = content(n)) == NULL)
		return NULL;
	if (html_inline(&b, s, strlen(s)) == -1 || b.len == 0 ||
	    buf_addc(&b, '\0') == -1) {
		free(s);
		buf_release(&b);
		return NULL;
	}
	free(s);
	return buf_detach(&b, NULL);
}

/*
 * A value from the source quoted in a message: one line, cut to
 * QUOTE_WIDTH columns at a character boundary (text.c), into "dst".
 */
static const char *
quote(struct buf *dst, const char *s)
{
	buf_reset(dst);
	if (text_fit(dst, s, strlen(s), QUOTE_WIDTH, TEXT_UTF8) == -1 ||
	    buf_addc(dst, '\0') == -1)
		return "?";
	return dst->data;
}

static int
strv_add(char ***v, size_t *n, char *s)
{
	char	**nv;
	size_t	 i;

	if (s == NULL)
		return 0;
	for (i = 0; i < *n; i++)
		if (strcasecmp((*v)[i], s) == 0) {
			free(s);
			return 0;
		}
	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL) {
		free(s);
		return -1;
	}
	*v = nv;
	nv[(*n)++] = s;
	return 0;
}

static void
item_skip(struct feed_item *it, int error, const char *why)
{
	if (it->skip != NULL)
		return;
	it->skip = strdup(why);
	it->error = error;
}

/* Date, body and name of an item whose fields are read. */
static void
item_finish(struct feed_item *it, const char *date, const char *html,
    const char *base, size_t index)
{
	struct buf	 b = BUF_INIT, q = BUF_INIT;
	char		 err[HTML_ERR_MAX], why[HTML_ERR_MAX + 64];
	time_t		 t;

	if (it->url != NULL)
		it->what = strdup(it->url);
	else if (it->title != NULL)
		it->what = strdup(it->title);
	else {
		snprintf(why, sizeof(why), "item %zu", index + 1);
		it->what = strdup(why);
	}
	if (it->title == NULL)
		item_skip(it, 0, "no title");
	if (date == NULL)
		item_skip(it, 0, "no date");
	else if (date_parse(date, &t) == -1) {
		snprintf(why, sizeof(why), "unreadable date \"%s\"",
		    quote(&q, date));
		item_skip(it, 0, why);
	} else if (date_local(t, it->date, sizeof(it->date)) == -1)
		item_skip(it, 0, "date out of range");
	if (it->url == NULL)
		item_skip(it, 0, "no link to the original");
	buf_release(&q);
	if (it->skip != NULL)
		return;
	if (html != NULL && html_fragment(&b, html, strlen(html),
	    base, err) == -1) {
		snprintf(why, sizeof(why), "its HTML: %s", err);
		item_skip(it, 1, why);
		buf_release(&b);
		return;
	}
	if (buf_addc(&b, '\0') == -1) {
		item_skip(it, 1, "out of memory");
		buf_release(&b);
		return;
	}
	it->body = buf_detach(&b, NULL);
}

static int
items_grow(struct feed *f)
{
	struct feed_item	*ni;

	if ((ni = realloc(f->items, (f->nitems + 1) * sizeof(*ni))) == NULL)
		return -1;
	f->items = ni;
	memset(&f->items[f->nitems], 0, sizeof(*ni));
	return 0;
}

/* A URL only when it looks like one (a guid may be any string), trimmed, without space or control. */
static char *
url_only(char *s)
{
	size_t	 i, n;
	char	*t;

	if (s == NULL)
		return NULL;
	for (t = s; *t == ' ' || *t == '\t' || *t == '\n' || *t == '\r'; t++)
		;
	n = strlen(t);
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t' ||
	    t[n - 1] == '\n' || t[n - 1] == '\r'))
		n--;
	memmove(s, t, n);
	s[n] = '\0';
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			break;
	if (i < n || (strncasecmp(s, "http://", 7) != 0 &&
	    strncasecmp(s, "https://", 8) != 0)) {
		free(s);
		return NULL;
	}
	return s;
}

static int
rss_item(struct feed *f, xmlNode *n, const char *feedurl)
{
	struct feed_item	*it;
	xmlNode			*k, *g;
	char			*date, *html, *s;
	int			 first = 1;

	if (items_grow(f) == -1)
		return -1;
	it = &f->items[f->nitems];
	it->title = line(child(n, NULL, "title"));
	if ((it->url = url_only(line(child(n, NULL, "link")))) == NULL &&
	    (g = child(n, NULL, "guid")) != NULL) {
		s = (char *)xmlGetProp(g, (const xmlChar *)"isPermaLink");
		if (s == NULL || strcasecmp(s, "false") != 0)
			it->url = url_only(line(g));
		xmlFree(s);
	}
	for (k = n->children; k != NULL; k = k->next) {
		if (is_el(k, NS_DC, "creator") || is_el(k, NULL, "author"))
			strv_add(&it->authors, &it->nauthors, line(k));
		else if (is_el(k, NULL, "category")) {
			/* WordPress lists the categories first, then the tags. */
			if (first && it->category == NULL)
				it->category = line(k);
			else
				strv_add(&it->tags, &it->ntags, line(k));
			first = 0;
		}
	}
	if ((date = content(child(n, NULL, "pubDate"))) == NULL)
		date = content(child(n, NS_DC, "date"));
	if ((html = content(child(n, NS_CONTENT, "encoded"))) == NULL)
		html = content(child(n, NULL, "description"));
	item_finish(it, date, html, it->url ? it->url : feedurl, f->nitems);
	f->nitems++;
	free(date);
	free(html);
	return 0;
}

static char *
atom_link(xmlNode *n)
{
	xmlNode	*k;
	xmlChar	*rel, *href;
	char	*s = NULL;

	for (k = n->children; k != NULL && s == NULL; k = k->next) {
		if (!is_el(k, NS_ATOM, "link"))
			continue;
		rel = xmlGetProp(k, (const xmlChar *)"rel");
		href = xmlGetProp(k, (const xmlChar *)"href");
		if (href != NULL && (rel == NULL ||
		    strcmp((const char *)rel, "alternate") == 0))
			s = strdup((const char *)href);
		xmlFree(rel);
		xmlFree(href);
	}
	return url_only(s);
}

/* Atom content: type "html" is escaped HTML, "xhtml" a div of markup. */
static char *
atom_html(xmlNode *n)
{
	xmlChar		*type;
	xmlBufferPtr	 xb;
	xmlNode		*k;
	char		*s = NULL;
	int		 xhtml;

	if (n == NULL)
		return NULL;
	type = xmlGetProp(n, (const xmlChar *)"type");
	xhtml = type != NULL && strcmp((const char *)type, "xhtml") == 0;
	if (type != NULL && strcmp((const char *)type, "text") != 0 && !xhtml &&
	    strcmp((const char *)type, "html") != 0 &&
	    strstr((const char *)type, "html") == NULL) {
		xmlFree(type);
		return NULL;	/* a binary or other media type */
	}
	if (!xhtml) {
		int	 text = type == NULL || strcmp((const char *)type, "text") == 0;
		struct buf	 b = BUF_INIT;
		char		*raw;

		xmlFree(type);
		if ((raw = content(n)) == NULL || !text)
			return raw;
		/* Plain text: each line-separated piece a paragraph. */
		buf_puts(&b, "<p>");
		for (s = raw; *s; s++) {
			if (*s == '<')
				buf_puts(&b, "&lt;");
			else if (*s == '&')
				buf_puts(&b, "&amp;");
			else if (*s == '\n' && s[1] == '\n')
				buf_puts(&b, "</p><p>");
			else
				buf_addc(&b, *s);
		}
		buf_puts(&b, "</p>");
		free(raw);
		return b.failed ? (buf_release(&b), NULL) : buf_detach(&b, NULL);
	}
	xmlFree(type);
	if ((xb = xmlBufferCreate()) == NULL)
		return NULL;
	for (k = n->children; k != NULL; k = k->next)
		xmlNodeDump(xb, n->doc, k, 0, 0);
	s = strdup((const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	return s;
}

static int
atom_entry(struct feed *f, xmlNode *n, const char *feedurl)
{
	struct feed_item	*it;
	xmlNode			*k, *t;
	char			*date, *html;
	xmlChar			*term;

	if (items_grow(f) == -1)
		return -1;
	it = &f->items[f->nitems];
	it->title = line(child(n, NS_ATOM, "title"));
	if ((it->url = atom_link(n)) == NULL)
		it->url = url_only(line(child(n, NS_ATOM, "id")));
	for (k = n->children; k != NULL; k = k->next) {
		if (is_el(k, NS_ATOM, "author") &&
		    (t = child(k, NS_ATOM, "name")) != NULL)
			strv_add(&it->authors, &it->nauthors, line(t));
		else if (is_el(k, NS_ATOM, "category")) {
			if ((term = xmlGetProp(k, (const xmlChar *)"label")) == NULL)
				term = xmlGetProp(k, (const xmlChar *)"term");
			if (term != NULL) {
				struct buf	 b = BUF_INIT;

				if (html_inline(&b, (const char *)term,
				    strlen((const char *)term)) == 0 && b.len > 0 &&
				    buf_addc(&b, '\0') == 0) {
					if (it->category == NULL)
						it->category = buf_detach(&b, NULL);
					else
						strv_add(&it->tags, &it->ntags,
						    buf_detach(&b, NULL));
				}
				buf_release(&b);
				xmlFree(term);
			}
		}
	}
	if ((date = content(child(n, NS_ATOM, "published"))) == NULL)
		date = content(child(n, NS_ATOM, "updated"));
	if ((html = atom_html(child(n, NS_ATOM, "content"))) == NULL)
		html = atom_html(child(n, NS_ATOM, "summary"));
	item_finish(it, date, html, it->url ? it->url : feedurl, f->nitems);
	f->nitems++;
	free(date);
	free(html);
	return 0;
}

static int
read_page(struct feed *f, const char *data, size_t len, const char *url,
    const char *charset, char *err)
{
	struct html_page	 pg;
	struct feed_item	*it;
	struct buf		 q = BUF_INIT;
	char			 why[HTML_ERR_MAX];
	time_t			 t;
	size_t			 i;

	if (html_page(data, len, url, charset, &pg, why) == -1) {
		snprintf(err, FEED_ERR_MAX, "%s", why);
		return -1;
	}
	/* A page that is no article is an error page where one was expected. */
	if (pg.title == NULL || pg.date == NULL) {
		snprintf(err, FEED_ERR_MAX, "not a feed, and an HTML page "
		    "without an article's %s (an error page?)",
		    pg.title == NULL ? "title" : "date");
		html_page_free(&pg);
		return -1;
	}
	if (date_parse(pg.date, &t) == -1) {
		snprintf(err, FEED_ERR_MAX, "the page's date \"%s\" is "
		    "unreadable", quote(&q, pg.date));
		buf_release(&q);
		html_page_free(&pg);
		return -1;
	}
	if (items_grow(f) == -1) {
		html_page_free(&pg);
		snprintf(err, FEED_ERR_MAX, "out of memory");
		return -1;
	}
	f->kind = "page";
	it = &f->items[0];
	f->nitems = 1;
	if (date_local(t, it->date, sizeof(it->date)) == -1)
		item_skip(it, 0, "date out of range");
	it->title = pg.title;
	it->url = pg.url;
	it->category = pg.category;
	it->body = pg.body;
	for (i = 0; i < pg.nauthors; i++)
		strv_add(&it->authors, &it->nauthors, pg.authors[i]);
	for (i = 0; i < pg.ntags; i++)
		strv_add(&it->tags, &it->ntags, pg.tags[i]);
	free(pg.authors);
	free(pg.tags);
	free(pg.date);
	it->what = strdup(it->url ? it->url : it->title);
	if (it->url == NULL)
		item_skip(it, 0, "no link to the original");
	return 0;
}

/*
 * What the first markup says the source is: 'x' an XML feed (an XML
 * declaration, or a first element rss, feed or rdf:RDF), 'h' HTML.
 */
static int
sniff(const char *s, size_t len)
{
	const char	*end = s + len;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < end) {
		while (s < end && isspace((unsigned char)*s))
			s++;
		if (end - s >= 5 && strncmp(s, "<?xml", 5) == 0)
			return 'x';
		if (end - s >= 4 && strncmp(s, "<!--", 4) == 0) {
			const char	*e = s + 4;

			while (e + 3 <= end && strncmp(e, "-->", 3) != 0)
				e++;
			s = e + 3;
			continue;
		}
		break;
	}
	if (end - s >= 4 && (strncmp(s, "<rss", 4) == 0 ||
	    (end - s >= 5 && strncmp(s, "<feed", 5) == 0) ||
	    (end - s >= 8 && strncmp(s, "<rdf:RDF", 8) == 0)))
		return 'x';
	return 'h';
}

int
feed_read(struct feed *f, const char *data, size_t len, const char *url,
    const char *charset, char *err)
{
	xmlDocPtr	 doc;
	xmlNode		*root, *n, *ch;
	struct buf	 q = BUF_INIT;
	char		 why[HTML_ERR_MAX];
	int		 fatal, rc = -1;

	memset(f, 0, sizeof(*f));
	if (len > INT32_MAX) {
		snprintf(err, FEED_ERR_MAX, "too large");
		return -1;
	}
	if (len == 0) {
		snprintf(err, FEED_ERR_MAX, "empty");
		return -1;
	}
	if (sniff(data, len) == 'h')
		return read_page(f, data, len, url, charset, err);

	why[0] = '\0';
	html_errors_begin();
	doc = xmlReadMemory(data, (int)len, url, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA);
	fatal = html_errors_end(why, sizeof(why));
	if (doc != NULL && doc->encoding == NULL && charset != NULL &&
	    strcasecmp(charset, "utf-8") != 0) {
		/* No encoding in the prolog: the HTTP header's. */
		xmlFreeDoc(doc);
		html_errors_begin();
		doc = xmlReadMemory(data, (int)len, url, html_charset(charset),
		    XML_PARSE_NONET | XML_PARSE_NOCDATA);
		fatal = html_errors_end(why, sizeof(why));
	}
	if (doc == NULL || fatal) {
		snprintf(err, FEED_ERR_MAX, "%s: %s", fatal ?
		    "cannot read its encoding" : "not well-formed XML",
		    why[0] ? why : "no document");
		goto done;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL) {
		snprintf(err, FEED_ERR_MAX, "no root element");
		goto done;
	}
	if (strcmp((const char *)root->name, "rss") == 0 ||
	    strcmp((const char *)root->name, "RDF") == 0) {
		f->kind = "RSS";
		for (n = root->children; n != NULL; n = n->next) {
			if (n->type != XML_ELEMENT_NODE)
				continue;
			if (strcmp((const char *)n->name, "item") == 0 &&
			    rss_item(f, n, url) == -1)
				goto nomem;
			if (strcmp((const char *)n->name, "channel") != 0)
				continue;
			for (ch = n->children; ch != NULL; ch = ch->next)
				if (ch->type == XML_ELEMENT_NODE &&
				    strcmp((const char *)ch->name, "item") == 0 &&
				    rss_item(f, ch, url) == -1)
					goto nomem;
		}
	} else if (is_el(root, NS_ATOM, "feed")) {
		f->kind = "Atom";
		for (n = root->children; n != NULL; n = n->next)
			if (is_el(n, NS_ATOM, "entry") &&
			    atom_entry(f, n, url) == -1)
				goto nomem;
	} else if (strcasecmp((const char *)root->name, "html") == 0) {
		xmlFreeDoc(doc);
		return read_page(f, data, len, url, charset, err);
	} else {
		snprintf(err, FEED_ERR_MAX, "not a feed: the root element is "
		    "<%s>, not <rss> or <feed>", quote(&q, (const char *)root->name));
		buf_release(&q);
		goto done;
	}
	rc = 0;
	goto done;
nomem:
	snprintf(err, FEED_ERR_MAX, "out of memory");
done:
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (rc == -1)
		feed_free(f);
	return rc;
}

void
feed_free(struct feed *f)
{
	size_t	 i, j;

	for (i = 0; i < f->nitems; i++) {
		struct feed_item	*it = &f->items[i];

		free(it->what);
		free(it->title);
		free(it->url);
		for (j = 0; j < it->nauthors; j++)
			free(it->authors[j]);
		free(it->authors);
		free(it->category);
		for (j = 0; j < it->ntags; j++)
			free(it->tags[j]);
		free(it->tags);
		free(it->body);
		free(it->skip);
	}
	free(f->items);
	memset(f, 0, sizeof(*f));
}
