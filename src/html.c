/* griot: HTML to gemtext.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Turns a newsroom's HTML (a feed item's content or a whole page) into an article body in gemtext. */

#include "griot-config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include "buf.h"
#include "html.h"
#include "text.h"

#define TABLE_COLS_MAX	64	/* columns kept of a table */

/* What the last line written was, to know where blank lines go. */
enum kind {
	K_NONE,
	K_PARA,
	K_HEAD,
	K_LIST,
	K_QUOTE,
	K_LINK,
	K_PRE
};

struct link {
	char	*url;
	char	*label;
};

/* One conversion in progress. */
struct conv {
	struct buf	*out;
	struct buf	 text;		/* inline text of the current block */
	int		 space;		/* a collapsed space is pending */
	struct link	*links;		/* links of the current block */
	size_t		 nlinks, linkcap;
	const char	*base;
	enum kind	 last, lastblock;
	int		 quote;		/* inside a blockquote */
	const char	*caption;	/* figcaption of the current figure */
	int		 caption_used;	/* as the label of its image or video */
	const char	*skip_title;	/* page mode: the h1 already in Title */
	int		 title_seen;
	int		 listdepth;
	int		 inli;		/* text now belongs to a list item */
	unsigned	 flushes;	/* blocks ended so far */
	char		 number[64];	/* "2.1." of the current ordered item */
	int		 err;		/* memory ran out */
	int		 toodeep;
};

/* ------------------------------------------------------------------ */
/* libxml2's errors, kept instead of printed */

static struct {
	int	 count;
	int	 fatal;		/* an encoding it cannot read */
	int	 deep;		/* nested past libxml2's limit */
	int	 line;
	char	 msg[160];
} errs;

static void
error_keep(void *arg, xmlErrorPtr e)
{
	size_t	 n;

	(void)arg;
	if (e == NULL)
		return;
	if (e->code == XML_ERR_UNSUPPORTED_ENCODING ||
	    e->code == XML_ERR_UNKNOWN_ENCODING ||
	    e->code == XML_I18N_CONV_FAILED ||
	    e->code == XML_I18N_NO_HANDLER)
		errs.fatal = 1;
	if (e->code == XML_ERR_INTERNAL_ERROR && e->message != NULL &&
	    strstr(e->message, "depth") != NULL)
		errs.deep = 1;
	if (errs.count++ > 0 && !(errs.fatal && e->code != XML_ERR_OK &&
	    (e->code == XML_ERR_UNSUPPORTED_ENCODING ||
	    e->code == XML_ERR_UNKNOWN_ENCODING)))
		return;
	errs.line = e->line;
	if (snprintf(errs.msg, sizeof(errs.msg), "%s",
	    e->message ? e->message : "error") < 0)
		errs.msg[0] = '\0';
	/*
	 * libxml2's messages end in a newline and may quote the input
	 * after it: ours are the first line, in printable ASCII.
	 */
	errs.msg[strcspn(errs.msg, "\r\n")] = '\0';
	for (n = 0; errs.msg[n] != '\0'; n++)
		if ((unsigned char)errs.msg[n] < 0x20 ||
		    (unsigned char)errs.msg[n] >= 0x7f)
			errs.msg[n] = '?';
	while (n > 0 && errs.msg[n - 1] == ' ')
		errs.msg[--n] = '\0';
}

void
html_errors_begin(void)
{
	memset(&errs, 0, sizeof(errs));
	xmlSetStructuredErrorFunc(NULL, error_keep);
	xmlSetGenericErrorFunc(NULL, NULL);
}

int
html_errors_end(char *err, size_t errlen)
{
	char	 where[32];
	size_t	 w, m;

	xmlSetStructuredErrorFunc(NULL, NULL);
	if (errs.count == 0 || err == NULL || errlen == 0)
		return errs.fatal;
	where[0] = '\0';
	if (errs.line > 0 && snprintf(where, sizeof(where), "line %d: ",
	    errs.line) < 0)
		where[0] = '\0';
	/* "line N: message", cut to the room there is. */
	w = strlen(where);
	m = strlen(errs.msg);
	if (w >= errlen)
		w = errlen - 1;
	if (w + m >= errlen)
		m = errlen - 1 - w;
	memcpy(err, where, w);
	memcpy(err + w, errs.msg, m);
	err[w + m] = '\0';
	return errs.fatal;
}

const char *
html_charset(const char *cs)
{
	if (cs == NULL)
		return NULL;
	/* WHATWG: a page labelled Latin-1 or ASCII is read as Windows-1252. */
	if (strcasecmp(cs, "iso-8859-1") == 0 || strcasecmp(cs, "latin1") == 0 ||
	    strcasecmp(cs, "iso8859-1") == 0 || strcasecmp(cs, "us-ascii") == 0 ||
	    strcasecmp(cs, "ascii") == 0 || strcasecmp(cs, "iso_8859-1") == 0)
		return "windows-1252";
	return cs;
}

/* ------------------------------------------------------------------ */
/* small helpers */

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
is_name(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name != NULL &&
	    strcasecmp((const char *)n->name, name) == 0;
}

/* An attribute's value as a malloc'd string, NULL when absent. */
static char *
attr(const xmlNode *n, const char *name)
{
	xmlChar	*v;
	char	*s;

	if ((v = xmlGetProp(n, (const xmlChar *)name)) == NULL)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

int
html_has_tag(const char *s, size_t len)
{
	size_t	 i, j;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] != '<' || !(isalpha((unsigned char)s[i + 1]) ||
		    s[i + 1] == '/' || s[i + 1] == '!' || s[i + 1] == '?'))
			continue;
		for (j = i + 1; j < len && s[j] != '<'; j++)
			if (s[j] == '>')
				return 1;
	}
	return 0;
}

/*
 * Drop what reads as a tag from text (escaped markup, "&lt;b&gt;", is a
 * feed's mistake far more often than an author's words), until none is
 * left: removing one may join two halves into another.
 */
static void
strip_tags(struct buf *b)
{
	size_t	 i, j, o;
	int	 again;

	do {
		again = 0;
		for (i = o = 0; i < b->len; ) {
			if (b->data[i] == '<' && i + 1 < b->len &&
			    (isalpha((unsigned char)b->data[i + 1]) ||
			    b->data[i + 1] == '/' || b->data[i + 1] == '!' ||
			    b->data[i + 1] == '?')) {
				for (j = i + 1; j < b->len && b->data[j] != '<' &&
				    b->data[j] != '>'; j++)
					;
				if (j < b->len && b->data[j] == '>') {
					i = j + 1;
					again = 1;
					continue;
				}
			}
			b->data[o++] = b->data[i++];
		}
		b->len = o;
		if (b->data != NULL)
			b->data[o] = '\0';
	} while (again && html_has_tag(b->data, b->len));
}

/*
 * Clean one piece of text for a gemtext line: sanitised (NFC, no
 * control), whitespace collapsed, trimmed, tags dropped.  Appends to "out".
 */
static int
clean_text(struct buf *out, const char *s, size_t len)
{
	struct buf	 t = BUF_INIT;
	size_t		 i, start = out->len;
	int		 sp = 0;

	if (text_sanitize(&t, s, len, 0, NULL, NULL) == -1) {
		buf_release(&t);
		return -1;
	}
	strip_tags(&t);
	for (i = 0; i < t.len; i++) {
		if (is_space((unsigned char)t.data[i])) {
			sp = 1;
			continue;
		}
		if (sp && out->len > start)
			buf_addc(out, ' ');
		sp = 0;
		buf_addc(out, t.data[i]);
	}
	buf_release(&t);
	return out->failed ? -1 : 0;
}

/* Does "s" start with a URL scheme and ":" (RFC 3986)? */
static int
has_scheme(const char *s)
{
	size_t	 i;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; isalnum((unsigned char)s[i]) || s[i] == '+' ||
	    s[i] == '-' || s[i] == '.'; i++)
		;
	return s[i] == ':' && s[i + 1] != '\0';
}

/*
 * A URL for a link line: resolved against the base, no space or control
 * (percent-encoded), nothing a reader cannot follow (javascript:, data:,
 * a bare "#fragment").  NULL when there is no such link.
 */
static char *
link_url(const char *href, const char *base)
{
	xmlChar		*u;
	struct buf	 b = BUF_INIT;
	const char	*p;
	size_t		 n;

	if (href == NULL)
		return NULL;
	while (is_space((unsigned char)*href))
		href++;
	n = strlen(href);
	while (n > 0 && is_space((unsigned char)href[n - 1]))
		n--;
	if (n == 0 || href[0] == '#' || strncasecmp(href, "javascript:", 11) == 0 ||
	    strncasecmp(href, "data:", 5) == 0)
		return NULL;
	{
		char	*h = strndup(href, n);

		if (h == NULL)
			return NULL;
		u = xmlBuildURI((const xmlChar *)h,
		    (const xmlChar *)(base ? base : ""));
		free(h);
	}
	/* A link still relative would point into the capsule: none. */
	if (u == NULL || !has_scheme((const char *)u)) {
		xmlFree(u);
		return NULL;
	}
	for (p = (const char *)u; *p != '\0'; p++) {
		unsigned char	 c = (unsigned char)*p;

		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"')
			buf_printf(&b, "%%%02X", c);
		else
			buf_addc(&b, c);
	}
	xmlFree(u);
	if (b.failed || b.len == 0 || !text_is_utf8(b.data, b.len)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* ------------------------------------------------------------------ */
/* writing lines */

static void
line_start(struct conv *c, enum kind k)
{
	int	 blank = 1;

	if (c->out->len == 0)
		blank = 0;
	else if (k == K_LINK && c->last != K_PRE && c->last != K_NONE)
		blank = 0;
	else if ((k == K_LIST || k == K_QUOTE) && c->lastblock == k &&
	    (c->last == k || c->last == K_LINK))
		blank = 0;
	if (blank)
		buf_addc(c->out, '\n');
	c->last = k;
	if (k != K_LINK)
		c->lastblock = k;
}

/* Would a paragraph line starting so be read as another line type? */
static int
is_markup_start(const char *s, size_t len)
{
	return (len >= 1 && (s[0] == '#' || s[0] == '>')) ||
	    (len >= 2 && memcmp(s, "=>", 2) == 0) ||
	    (len >= 2 && memcmp(s, "* ", 2) == 0) ||
	    (len >= 3 && memcmp(s, "```", 3) == 0);
}

/* The links of a block; "alone": no text came before them. */
static void
links_flush(struct conv *c, int alone)
{
	size_t	 i;

	for (i = 0; i < c->nlinks; i++) {
		if (i == 0 && alone)
			line_start(c, K_PARA);
		c->last = K_LINK;
		line_start(c, K_LINK);
		buf_printf(c->out, "=> %s", c->links[i].url);
		if (c->links[i].label[0] != '\0')
			buf_printf(c->out, " %s", c->links[i].label);
		buf_addc(c->out, '\n');
		free(c->links[i].url);
		free(c->links[i].label);
	}
	c->nlinks = 0;
}

static void
link_add(struct conv *c, char *url, const char *label, size_t len)
{
	struct buf	 l = BUF_INIT;
	size_t		 i;

	if (url == NULL)
		return;
	for (i = 0; i < c->nlinks; i++)
		if (strcmp(c->links[i].url, url) == 0) {
			free(url);
			return;
		}
	if (clean_text(&l, label, len) == -1 || buf_addc(&l, '\0') == -1)
		goto fail;
	if (c->nlinks == c->linkcap) {
		size_t		 cap = c->linkcap ? c->linkcap * 2 : 8;
		struct link	*nl;

		if ((nl = realloc(c->links, cap * sizeof(*nl))) == NULL)
			goto fail;
		c->links = nl;
		c->linkcap = cap;
	}
	c->links[c->nlinks].url = url;
	c->links[c->nlinks].label = buf_detach(&l, NULL);
	c->nlinks++;
	return;
fail:
	c->err = 1;
	free(url);
	buf_release(&l);
}

/* End the current block: its text as one line of kind "k", then its links. */
static void
block_flush(struct conv *c, enum kind k, const char *prefix)
{
	struct buf	 t = BUF_INIT;
	int		 alone;

	c->flushes++;
	if (c->inli && k == K_PARA) {
		k = K_LIST;
		prefix = "* ";
	}
	if (c->quote && (k == K_PARA || k == K_LIST)) {
		k = K_QUOTE;
		prefix = "> ";
	}
	if (clean_text(&t, c->text.data ? c->text.data : "", c->text.len) == -1)
		c->err = 1;
	if (t.len > 0) {
		line_start(c, k);
		buf_puts(c->out, prefix);
		if (k == K_PARA && is_markup_start(t.data, t.len))
			buf_addc(c->out, ' ');
		if (k == K_LIST && c->number[0] != '\0')
			buf_printf(c->out, "%s ", c->number);
		buf_add(c->out, t.data, t.len);
		buf_addc(c->out, '\n');
	}
	alone = t.len == 0;
	buf_release(&t);
	buf_reset(&c->text);
	c->space = 0;
	links_flush(c, alone);
}

/* Inline text, whitespace collapsed as HTML does. */
static void
text_add(struct conv *c, const char *s)
{
	for (; *s != '\0'; s++) {
		if (is_space((unsigned char)*s)) {
			c->space = 1;
			continue;
		}
		if (c->space && c->text.len > 0)
			buf_addc(&c->text, ' ');
		c->space = 0;
		buf_addc(&c->text, *s);
	}
}

/* Every character under "n", whitespace collapsed (captions, cells). */
static void
node_text(struct buf *b, const xmlNode *n)
{
	xmlChar	*v;

	if ((v = xmlNodeGetContent(n)) == NULL)
		return;
	if (clean_text(b, (const char *)v, strlen((const char *)v)) == -1)
		b->failed = 1;
	xmlFree(v);
}

/* ------------------------------------------------------------------ */
/* what is left out */

/* Class and id words of a theme's furniture around an article. */
static const char *const furniture[] = {
	"share", "sharing", "social", "related", "comment", "respond",
	"sidebar", "widget", "navigation", "nav-links", "breadcrumb",
	"newsletter", "subscribe", "advert", "screen-reader", "sr-only",
	"addtoany", "a2a_", "jp-relatedposts", "sharedaddy", "wpcnt",
	"entry-meta", "entry-footer", "post-meta", "tags-links",
	"cat-links", "byline", "author-box", "author-bio", "cookie",
	"popup", "modal", "menu", "skip-link", "pagination", "post-nav",
	NULL
};

static int
has_furniture(const char *v)
{
	const char	*const *f;
	char		*s, *w, *save = NULL;
	int		 hit = 0;

	if (v == NULL || (s = strdup(v)) == NULL)
		return 0;
	for (w = strtok_r(s, " \t\n\r\f", &save); w != NULL && !hit;
	    w = strtok_r(NULL, " \t\n\r\f", &save)) {
		for (char *p = w; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (strcmp(w, "ads") == 0 || strcmp(w, "ad") == 0 ||
		    strcmp(w, "nav") == 0)
			hit = 1;
		for (f = furniture; *f != NULL && !hit; f++)
			if (strstr(w, *f) != NULL)
				hit = 1;
	}
	free(s);
	return hit;
}

static int
is_left_out(const xmlNode *n)
{
	static const char *const names[] = {
		"script", "style", "noscript", "template", "form", "button",
		"input", "select", "textarea", "nav", "aside", "footer",
		"header", "svg", "math", "canvas", "object", "embed", "label",
		"dialog", "menu", "head", "title", "meta", "link", "map",
		"area", "frameset", "frame", "applet", "param", "source",
		"track", "option", NULL
	};
	const char	*const *p;
	char		*v;
	int		 out = 0;

	for (p = names; *p != NULL; p++)
		if (is_name(n, *p))
			return 1;
	if (xmlHasProp(n, (const xmlChar *)"hidden") != NULL)
		return 1;
	if ((v = attr(n, "aria-hidden")) != NULL) {
		out = strcasecmp(v, "true") == 0;
		free(v);
		if (out)
			return 1;
	}
	if ((v = attr(n, "style")) != NULL) {
		char	*q, *d;

		/* "display: none" with any spacing. */
		for (q = d = v; *q; q++)
			if (!is_space((unsigned char)*q))
				*d++ = (char)tolower((unsigned char)*q);
		*d = '\0';
		out = strstr(v, "display:none") != NULL;
		free(v);
		if (out)
			return 1;
	}
	if ((v = attr(n, "class")) != NULL) {
		out = has_furniture(v);
		free(v);
		if (out)
			return 1;
	}
	if ((v = attr(n, "id")) != NULL) {
		out = has_furniture(v);
		free(v);
	}
	return out;
}

/* ------------------------------------------------------------------ */
/* the walk */

static void	 walk(struct conv *, xmlNode *, int depth);

static void
children(struct conv *c, xmlNode *n, int depth)
{
	xmlNode	*k;

	for (k = n->children; k != NULL && !c->toodeep; k = k->next)
		walk(c, k, depth + 1);
}

static int
is_block(const xmlNode *n)
{
	static const char *const names[] = {
		"p", "div", "section", "article", "main", "h1", "h2", "h3",
		"h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
		"blockquote", "pre", "table", "figure", "figcaption", "hr",
		"address", "center", "details", "summary", "fieldset", "body",
		"html", "iframe", "video", "audio", "tr", "td", "th",
		"caption", "thead", "tbody", "tfoot", "hgroup", NULL
	};
	const char *const	*p;

	for (p = names; *p != NULL; p++)
		if (is_name(n, *p))
			return 1;
	return 0;
}

/* The URL of an image, lazy-loading themes included. */
static char *
image_src(const xmlNode *n, const char *base)
{
	static const char *const names[] = { "data-src", "data-lazy-src",
	    "data-original", "src", NULL };
	const char *const	*p;
	char			*v, *u;

	for (p = names; *p != NULL; p++) {
		if ((v = attr(n, *p)) == NULL)
			continue;
		u = link_url(v, base);
		free(v);
		if (u != NULL)
			return u;
	}
	return NULL;
}

static void
image(struct conv *c, xmlNode *n)
{
	struct buf	 l = BUF_INIT;
	char		*url, *alt;

	if ((url = image_src(n, c->base)) == NULL)
		return;
	buf_puts(&l, "Image");
	alt = attr(n, "alt");
	if (c->caption != NULL && c->caption[0] != '\0') {
		buf_printf(&l, " : %s", c->caption);
		c->caption_used = 1;
	} else if (alt != NULL) {
		struct buf	 a = BUF_INIT;

		if (clean_text(&a, alt, strlen(alt)) == 0 && a.len > 0)
			buf_printf(&l, " : %s", a.data);
		buf_release(&a);
	}
	free(alt);
	if (l.failed)
		c->err = 1;
	link_add(c, url, l.data ? l.data : "", l.len);
	buf_release(&l);
}

/* An iframe, video or audio: a link to what it plays. */
static void
media(struct conv *c, xmlNode *n)
{
	char	*src, *title, *url = NULL;
	xmlNode	*k;

	if ((src = attr(n, "src")) == NULL)
		for (k = n->children; k != NULL && src == NULL; k = k->next)
			if (is_name(k, "source"))
				src = attr(k, "src");
	url = link_url(src, c->base);
	free(src);
	if ((title = attr(n, "title")) == NULL && c->caption != NULL &&
	    url != NULL) {
		title = strdup(c->caption);
		c->caption_used = 1;
	}
	link_add(c, url, title ? title : "", title ? strlen(title) : 0);
	free(title);
}

static void
pre_block(struct conv *c, xmlNode *n)
{
	struct buf	 raw = BUF_INIT;
	xmlChar		*v;
	const char	*s, *e, *end;

	block_flush(c, K_PARA, "");
	if ((v = xmlNodeGetContent(n)) == NULL)
		return;
	if (text_sanitize(&raw, (const char *)v, strlen((const char *)v),
	    TEXT_KEEP_TAB | TEXT_KEEP_NL, NULL, NULL) == -1)
		c->err = 1;
	xmlFree(v);
	s = raw.data ? raw.data : "";
	end = s + raw.len;
	/* The newline right after <pre> belongs to the markup, as do the last ones. */
	while (s < end && *s == '\n')
		s++;
	while (end > s && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (s == end) {
		buf_release(&raw);
		return;
	}
	line_start(c, K_PRE);
	buf_puts(c->out, "```\n");
	for (; s < end; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		/* A line starting with the fence would close the block. */
		if (e - s >= 3 && memcmp(s, "```", 3) == 0)
			buf_addc(c->out, ' ');
		buf_add(c->out, s, (size_t)(e - s));
		buf_addc(c->out, '\n');
		if (e == end)
			break;
	}
	buf_puts(c->out, "```\n");
	buf_release(&raw);
}

/* Links of a table's cells, images included, after the table. */
static void
cell_links(struct conv *c, xmlNode *n, int depth)
{
	xmlNode	*k;

	if (depth > HTML_DEPTH_MAX) {
		c->toodeep = 1;
		return;
	}
	for (k = n->children; k != NULL; k = k->next) {
		if (k->type != XML_ELEMENT_NODE || is_left_out(k))
			continue;
		if (is_name(k, "a")) {
			char		*h = attr(k, "href");
			struct buf	 l = BUF_INIT;

			node_text(&l, k);
			link_add(c, link_url(h, c->base), l.data ? l.data : "", l.len);
			free(h);
			buf_release(&l);
		} else if (is_name(k, "img"))
			image(c, k);
		cell_links(c, k, depth + 1);
	}
}

struct row {
	char	*cells[TABLE_COLS_MAX];
	size_t	 ncells;
	int	 head;
};

static void
table_rows(struct conv *c, xmlNode *n, struct row **rows, size_t *nrows,
    size_t *cap, int head, int depth)
{
	xmlNode	*k, *d;

	if (depth > HTML_DEPTH_MAX) {
		c->toodeep = 1;
		return;
	}
	for (k = n->children; k != NULL; k = k->next) {
		if (is_name(k, "thead"))
			table_rows(c, k, rows, nrows, cap, 1, depth + 1);
		else if (is_name(k, "tbody") || is_name(k, "tfoot"))
			table_rows(c, k, rows, nrows, cap, 0, depth + 1);
		else if (is_name(k, "tr")) {
			struct row	*r;
			int		 allth = 1, any = 0;

			if (*nrows == *cap) {
				size_t		 nc = *cap ? *cap * 2 : 16;
				struct row	*nr;

				if ((nr = realloc(*rows, nc * sizeof(*nr))) == NULL) {
					c->err = 1;
					return;
				}
				*rows = nr;
				*cap = nc;
			}
			r = &(*rows)[(*nrows)++];
			r->ncells = 0;
			for (d = k->children; d != NULL; d = d->next) {
				struct buf	 t = BUF_INIT;

				if (!is_name(d, "td") && !is_name(d, "th"))
					continue;
				any = 1;
				if (!is_name(d, "th"))
					allth = 0;
				if (r->ncells == TABLE_COLS_MAX)
					continue;
				node_text(&t, d);
				if (t.failed || buf_addc(&t, '\0') == -1)
					c->err = 1;
				r->cells[r->ncells++] = buf_detach(&t, NULL);
				cell_links(c, d, depth + 2);
			}
			r->head = head || (any && allth);
		}
	}
}

/* A table as a preformatted block, columns aligned by display width. */
static void
table_block(struct conv *c, xmlNode *n, int depth)
{
	struct row	*rows = NULL;
	size_t		 nrows = 0, cap = 0, i, j, ncols = 0;
	size_t		 width[TABLE_COLS_MAX] = { 0 };
	struct buf	 cap_text = BUF_INIT, ln = BUF_INIT;
	xmlNode		*k;

	block_flush(c, K_PARA, "");
	for (k = n->children; k != NULL; k = k->next)
		if (is_name(k, "caption"))
			node_text(&cap_text, k);
	table_rows(c, n, &rows, &nrows, &cap, 0, depth);
	for (i = 0; i < nrows; i++) {
		if (rows[i].ncells > ncols)
			ncols = rows[i].ncells;
		for (j = 0; j < rows[i].ncells; j++) {
			size_t	 w = rows[i].cells[j] ? text_width(rows[i].cells[j],
			    strlen(rows[i].cells[j]), TEXT_UTF8) : 0;

			if (w > width[j])
				width[j] = w;
		}
	}
	/* The table's links (gathered with its rows) come after it. */
	if (ncols > 0) {
		line_start(c, K_PRE);
		buf_printf(c->out, "```%s\n", cap_text.data ? cap_text.data : "");
		for (i = 0; i < nrows; i++) {
			buf_reset(&ln);
			for (j = 0; j < ncols; j++) {
				const char	*s = j < rows[i].ncells &&
				    rows[i].cells[j] ? rows[i].cells[j] : "";
				size_t		 w = text_width(s, strlen(s), TEXT_UTF8);

				if (j > 0)
					buf_puts(&ln, " | ");
				buf_puts(&ln, s);
				for (; w < width[j]; w++)
					buf_addc(&ln, ' ');
			}
			while (ln.len > 0 && ln.data[ln.len - 1] == ' ')
				ln.len--;
			if (ln.len >= 3 && memcmp(ln.data, "```", 3) == 0)
				buf_addc(c->out, ' ');
			buf_add(c->out, ln.data ? ln.data : "", ln.len);
			buf_addc(c->out, '\n');
			if (rows[i].head && (i + 1 == nrows || !rows[i + 1].head)) {
				for (j = 0; j < ncols; j++) {
					size_t	 w;

					if (j > 0)
						buf_puts(c->out, "-+-");
					for (w = 0; w < width[j]; w++)
						buf_addc(c->out, '-');
				}
				buf_addc(c->out, '\n');
			}
		}
		buf_puts(c->out, "```\n");
	}
	links_flush(c, 0);
	for (i = 0; i < nrows; i++)
		for (j = 0; j < rows[i].ncells; j++)
			free(rows[i].cells[j]);
	free(rows);
	buf_release(&cap_text);
	buf_release(&ln);
}

static void
list_block(struct conv *c, xmlNode *n, int depth)
{
	xmlNode	*k;
	char	 saved[sizeof(c->number)];
	long	 num = 1;
	int	 ordered = is_name(n, "ol"), inli = c->inli, w;
	size_t	 sl;
	char	*start;

	block_flush(c, K_PARA, "");
	memcpy(saved, c->number, sizeof(saved));
	sl = strlen(saved);
	if (ordered && (start = attr(n, "start")) != NULL) {
		num = strtol(start, NULL, 10);
		free(start);
	}
	c->listdepth++;
	for (k = n->children; k != NULL && !c->toodeep; k = k->next) {
		if (!is_name(k, "li")) {
			walk(c, k, depth + 1);
			continue;
		}
		if (is_left_out(k))
			continue;
		/*
		 * Numbers are text ("3."); an item of a numbered list inside
		 * a numbered item carries its parent's number ("2.1."), one
		 * inside another list a dash.
		 */
		if (ordered)
			w = snprintf(c->number, sizeof(c->number), "%s%ld.",
			    sl > 0 && saved[sl - 1] == '.' ? saved : "", num++);
		else
			w = snprintf(c->number, sizeof(c->number), "%s",
			    c->listdepth > 1 ? "–" : "");
		if (w < 0 || (size_t)w >= sizeof(c->number))
			c->number[0] = '\0';
		c->inli = 1;
		children(c, k, depth + 1);
		block_flush(c, K_LIST, "* ");
		c->inli = 0;
	}
	c->inli = inli;
	c->listdepth--;
	memcpy(c->number, saved, sizeof(saved));
}

static void
walk(struct conv *c, xmlNode *n, int depth)
{
	if (c->toodeep || c->err)
		return;
	if (depth > HTML_DEPTH_MAX) {
		c->toodeep = 1;
		return;
	}
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			text_add(c, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE || is_left_out(n))
		return;

	if (is_name(n, "br")) {
		/* A line break inside a paragraph: the next line is a new one. */
		block_flush(c, K_PARA, "");
	} else if (is_name(n, "img")) {
		image(c, n);
	} else if (is_name(n, "iframe") || is_name(n, "video") ||
	    is_name(n, "audio")) {
		media(c, n);
	} else if (is_name(n, "a")) {
		size_t		 start = c->text.len;
		char		*href = attr(n, "href");
		unsigned	 flushes;

		if (c->space && c->text.len > 0) {
			buf_addc(&c->text, ' ');
			c->space = 0;
			start = c->text.len;
		}
		flushes = c->flushes;
		children(c, n, depth);
		if (c->flushes != flushes) {
			/* Blocks inside the link: its label is all its text. */
			struct buf	 l = BUF_INIT;

			node_text(&l, n);
			link_add(c, link_url(href, c->base), l.data ? l.data : "",
			    l.len);
			buf_release(&l);
		} else if (c->text.len > start)
			link_add(c, link_url(href, c->base), c->text.data + start,
			    c->text.len - start);
		free(href);
	} else if (n->name != NULL && (n->name[0] == 'h' ||
	    n->name[0] == 'H') && n->name[1] >= '1' && n->name[1] <= '6' &&
	    n->name[2] == '\0') {
		int	 level = n->name[1] - '0';

		block_flush(c, K_PARA, "");
		children(c, n, depth);
		if (c->skip_title != NULL && !c->title_seen && level == 1) {
			struct buf	 t = BUF_INIT;

			(void)clean_text(&t, c->text.data ? c->text.data : "",
			    c->text.len);
			if (t.len > 0 && strcmp(t.data, c->skip_title) == 0) {
				c->title_seen = 1;
				buf_reset(&c->text);
				c->space = 0;
			}
			buf_release(&t);
		}
		block_flush(c, K_HEAD, level == 1 ? "# " : level == 2 ?
		    "## " : "### ");
	} else if (is_name(n, "ul") || is_name(n, "ol")) {
		list_block(c, n, depth);
	} else if (is_name(n, "blockquote")) {
		block_flush(c, K_PARA, "");
		c->quote++;
		children(c, n, depth);
		block_flush(c, K_PARA, "");
		c->quote--;
	} else if (is_name(n, "pre")) {
		pre_block(c, n);
	} else if (is_name(n, "table")) {
		table_block(c, n, depth);
	} else if (is_name(n, "figure")) {
		struct buf	 cap = BUF_INIT;
		const char	*saved = c->caption;
		int		 used = c->caption_used;
		xmlNode		*k;

		block_flush(c, K_PARA, "");
		for (k = n->children; k != NULL; k = k->next)
			if (is_name(k, "figcaption"))
				node_text(&cap, k);
		c->caption = cap.len > 0 ? cap.data : NULL;
		c->caption_used = 0;
		for (k = n->children; k != NULL && !c->toodeep; k = k->next)
			if (!is_name(k, "figcaption"))
				walk(c, k, depth + 1);
		block_flush(c, K_PARA, "");
		/* A caption no image or video took is text of its own. */
		for (k = n->children; k != NULL && !c->toodeep &&
		    !c->caption_used; k = k->next)
			if (is_name(k, "figcaption")) {
				children(c, k, depth + 1);
				block_flush(c, K_PARA, "");
			}
		c->caption = saved;
		c->caption_used = used;
		buf_release(&cap);
	} else if (is_block(n)) {
		block_flush(c, K_PARA, "");
		children(c, n, depth);
		block_flush(c, K_PARA, "");
	} else {
		children(c, n, depth);
	}
}

static int
conv_run(struct conv *c, xmlNode *root, char *err)
{
	struct buf	*out = c->out, body = BUF_INIT;
	size_t		 i;

	c->out = &body;
	walk(c, root, 0);
	block_flush(c, K_PARA, "");
	for (i = 0; i < c->nlinks; i++) {
		free(c->links[i].url);
		free(c->links[i].label);
	}
	free(c->links);
	buf_release(&c->text);
	c->out = out;
	if (c->toodeep) {
		snprintf(err, HTML_ERR_MAX, "HTML nested deeper than %d "
		    "elements", HTML_DEPTH_MAX);
		buf_release(&body);
		return -1;
	}
	/* One last pass for NFC across pieces and the line ends. */
	if (c->err || body.failed || text_sanitize(out, body.data ?
	    body.data : "", body.len, TEXT_KEEP_TAB | TEXT_KEEP_NL, NULL,
	    NULL) == -1) {
		snprintf(err, HTML_ERR_MAX, "out of memory");
		buf_release(&body);
		return -1;
	}
	buf_release(&body);
	return 0;
}

static htmlDocPtr
parse(const char *data, size_t len, const char *url, const char *charset,
    char *err)
{
	htmlDocPtr	 doc;
	char		 why[HTML_ERR_MAX];
	int		 fatal;

	if (len > INT32_MAX) {
		snprintf(err, HTML_ERR_MAX, "HTML too large");
		return NULL;
	}
	html_errors_begin();
	doc = htmlReadMemory(data, (int)len, url, html_charset(charset),
	    HTML_PARSE_RECOVER | HTML_PARSE_NONET);
	why[0] = '\0';
	fatal = html_errors_end(why, sizeof(why));
	if (errs.deep) {
		snprintf(err, HTML_ERR_MAX, "HTML nested deeper than %d "
		    "elements", HTML_DEPTH_MAX);
		if (doc != NULL)
			xmlFreeDoc(doc);
		return NULL;
	}
	if (doc != NULL && charset == NULL && doc->encoding != NULL &&
	    html_charset((const char *)doc->encoding) !=
	    (const char *)doc->encoding) {
		/* <meta charset=iso-8859-1>: read again as Windows-1252. */
		xmlFreeDoc(doc);
		html_errors_begin();
		doc = htmlReadMemory(data, (int)len, url, "windows-1252",
		    HTML_PARSE_RECOVER | HTML_PARSE_NONET);
		fatal = html_errors_end(why, sizeof(why));
	}
	if (fatal) {
		snprintf(err, HTML_ERR_MAX, "cannot read the page's encoding: %s", why);
		if (doc != NULL)
			xmlFreeDoc(doc);
		return NULL;
	}
	if (doc == NULL)
		snprintf(err, HTML_ERR_MAX, "not HTML%s%s", why[0] ? ": " : "", why);
	return doc;
}

int
html_fragment(struct buf *out, const char *html, size_t len,
    const char *base, char *err)
{
	struct conv	 c;
	htmlDocPtr	 doc;
	xmlNode		*root;
	int		 rc;

	memset(&c, 0, sizeof(c));
	c.out = out;
	c.base = base;
	buf_init(&c.text);
	if (len == 0)
		return 0;
	if ((doc = parse(html, len, base, "UTF-8", err)) == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	rc = root == NULL ? 0 : conv_run(&c, root, err);
	xmlFreeDoc(doc);
	return rc;
}

int
html_inline(struct buf *out, const char *s, size_t len)
{
	htmlDocPtr	 doc;
	xmlNode		*root;
	int		 rc = 0;

	if (memchr(s, '&', len) == NULL && memchr(s, '<', len) == NULL)
		return clean_text(out, s, len);
	if (len > INT32_MAX)
		return -1;
	html_errors_begin();
	doc = htmlReadMemory(s, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NONET);
	(void)html_errors_end(NULL, 0);
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL)
		rc = clean_text(out, s, len);
	else
		node_text(out, root);
	if (doc != NULL)
		xmlFreeDoc(doc);
	return rc == -1 || out->failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* a whole page */

static xmlXPathObjectPtr
xpath(xmlXPathContextPtr x, const char *expr, xmlNode *scope)
{
	xmlXPathObjectPtr	 o;

	x->node = scope;
	o = xmlXPathEvalExpression((const xmlChar *)expr, x);
	if (o != NULL && (o->type != XPATH_NODESET || o->nodesetval == NULL ||
	    o->nodesetval->nodeNr == 0)) {
		xmlXPathFreeObject(o);
		return NULL;
	}
	return o;
}

/* The text (or attribute value) of the first node an expression finds. */
static char *
first_text(xmlXPathContextPtr x, const char *expr, xmlNode *scope)
{
	xmlXPathObjectPtr	 o;
	struct buf		 b = BUF_INIT;
	int			 i;

	if ((o = xpath(x, expr, scope)) == NULL)
		return NULL;
	for (i = 0; i < o->nodesetval->nodeNr && b.len == 0; i++)
		node_text(&b, o->nodesetval->nodeTab[i]);
	xmlXPathFreeObject(o);
	if (b.len == 0 || b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* Every distinct text an expression finds, into a string array. */
static int
all_texts(xmlXPathContextPtr x, const char *expr, xmlNode *scope,
    char ***arrp, size_t *np)
{
	xmlXPathObjectPtr	 o;
	int			 i;
	size_t			 j;

	if (*np > 0 || (o = xpath(x, expr, scope)) == NULL)
		return 0;
	for (i = 0; i < o->nodesetval->nodeNr; i++) {
		struct buf	 b = BUF_INIT;
		char		**na;

		node_text(&b, o->nodesetval->nodeTab[i]);
		if (b.len == 0 || b.failed || strstr(b.data, "://") != NULL) {
			buf_release(&b);
			continue;
		}
		for (j = 0; j < *np; j++)
			if (strcmp((*arrp)[j], b.data) == 0)
				break;
		if (j < *np || (na = realloc(*arrp, (*np + 1) *
		    sizeof(*na))) == NULL) {
			buf_release(&b);
			continue;
		}
		*arrp = na;
		na[(*np)++] = buf_detach(&b, NULL);
	}
	xmlXPathFreeObject(o);
	return 0;
}

#define HAS_CLASS(c)	"contains(concat(' ',normalize-space(@class),' '),' " c " ')"
#define HAS_REL(r)	"contains(concat(' ',normalize-space(@rel),' '),' " r " ')"

int
html_page(const char *data, size_t len, const char *url, const char *charset,
    struct html_page *pg, char *err)
{
	static const char *const bodies[] = {
		"//*[@itemprop='articleBody']",
		"//*[" HAS_CLASS("entry-content") "]",
		"//*[" HAS_CLASS("post-content") "]",
		"//*[" HAS_CLASS("article-content") "]",
		"//*[" HAS_CLASS("td-post-content") "]",
		"//article", "//main", "//body", NULL
	};
	const char *const	*e;
	htmlDocPtr		 doc;
	xmlXPathContextPtr	 x = NULL;
	xmlXPathObjectPtr	 o;
	xmlNode			*scope, *body = NULL;
	struct conv		 c;
	struct buf		 out = BUF_INIT;
	char			*v;
	int			 rc = -1;

	memset(pg, 0, sizeof(*pg));
	if ((doc = parse(data, len, url, charset, err)) == NULL)
		return -1;
	if ((x = xmlXPathNewContext(doc)) == NULL) {
		snprintf(err, HTML_ERR_MAX, "out of memory");
		goto done;
	}
	scope = xmlDocGetRootElement(doc);
	if (scope == NULL) {
		snprintf(err, HTML_ERR_MAX, "an empty page");
		goto done;
	}
	/* The article's own element, so that a sidebar's links stay out. */
	if ((o = xpath(x, "(//article)[1]", scope)) != NULL) {
		scope = o->nodesetval->nodeTab[0];
		xmlXPathFreeObject(o);
	}
	for (e = bodies; *e != NULL && body == NULL; e++)
		if ((o = xpath(x, *e, scope)) != NULL ||
		    (o = xpath(x, *e, xmlDocGetRootElement(doc))) != NULL) {
			body = o->nodesetval->nodeTab[0];
			xmlXPathFreeObject(o);
		}

	if ((pg->title = first_text(x, ".//h1[" HAS_CLASS("entry-title") "]", scope)) == NULL &&
	    (pg->title = first_text(x, "//meta[@property='og:title']/@content", scope)) == NULL &&
	    (pg->title = first_text(x, ".//h1", scope)) == NULL)
		pg->title = first_text(x, "//title", scope);
	if ((pg->date = first_text(x, "//meta[@property='article:published_time']/@content", scope)) == NULL &&
	    (pg->date = first_text(x, ".//time[" HAS_CLASS("published") "]/@datetime", scope)) == NULL &&
	    (pg->date = first_text(x, ".//time/@datetime", scope)) == NULL &&
	    (pg->date = first_text(x, "//*[@itemprop='datePublished']/@content", scope)) == NULL)
		pg->date = first_text(x, "//*[@itemprop='datePublished']/@datetime", scope);
	if ((v = first_text(x, "//link[" HAS_REL("canonical") "]/@href", scope)) == NULL)
		v = first_text(x, "//meta[@property='og:url']/@content", scope);
	if ((pg->url = link_url(v, url)) == NULL && url != NULL)
		pg->url = link_url(url, NULL);
	free(v);
	all_texts(x, ".//a[" HAS_REL("author") "]", scope, &pg->authors, &pg->nauthors);
	all_texts(x, "//meta[@name='author']/@content", scope, &pg->authors, &pg->nauthors);
	if ((pg->category = first_text(x, "//meta[@property='article:section']/@content", scope)) == NULL)
		pg->category = first_text(x, ".//a[" HAS_REL("category") "]", scope);
	all_texts(x, "//meta[@property='article:tag']/@content", scope, &pg->tags, &pg->ntags);
	all_texts(x, ".//a[@rel='tag']", scope, &pg->tags, &pg->ntags);

	memset(&c, 0, sizeof(c));
	c.out = &out;
	c.base = pg->url;
	c.skip_title = pg->title;
	if (body != NULL && conv_run(&c, body, err) == -1)
		goto done;
	if (buf_addc(&out, '\0') == -1) {
		snprintf(err, HTML_ERR_MAX, "out of memory");
		goto done;
	}
	pg->body = buf_detach(&out, NULL);
	rc = 0;
done:
	buf_release(&out);
	if (x != NULL)
		xmlXPathFreeContext(x);
	xmlFreeDoc(doc);
	if (rc == -1)
		html_page_free(pg);
	return rc;
}

void
html_page_free(struct html_page *pg)
{
	size_t	 i;

	if (pg == NULL)
		return;
	free(pg->title);
	free(pg->date);
	free(pg->url);
	for (i = 0; i < pg->nauthors; i++)
		free(pg->authors[i]);
	free(pg->authors);
	free(pg->category);
	for (i = 0; i < pg->ntags; i++)
		free(pg->tags[i]);
	free(pg->tags);
	free(pg->body);
	memset(pg, 0, sizeof(*pg));
}
