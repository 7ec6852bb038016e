/* griot: Gopher texts.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Renders an article or a static page as the wrapped plain text of a
 * Gopher type-0 item, in one charset view: headings, fields, quotes,
 * lists, preformatted blocks and the numbered references of the links.
 * It writes no menu line (gophermap.c does).  See gophertext.h.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "buf.h"
#include "config.h"
#include "gophermap.h"
#include "gopherlinks.h"
#include "gophertext.h"
#include "store.h"
#include "text.h"
#include "url.h"
#include "words.h"

/* The words of the capsule's lang (words.h), static storage. */
static const struct words *
words(const struct gophermap_view *v)
{
	return words_for_lang(v->conf->lang);
}

/*
 * Is the line at s[i] (lines ended by CRLF) exactly "."?  Texts have no
 * ".\r\n" terminator (gophermap.h); yet sacc and UMN gopher drop a last
 * line that is "." as if it were one, so such a line gets a leading
 * space wherever it is.  Other lines beginning with "." are left alone:
 * no client tested strips or stops at them.
 */
static int
is_dot_line(const char *s, size_t len, size_t i)
{
	return (i == 0 || s[i - 1] == '\n') && i + 2 < len &&
	    s[i] == '.' && s[i + 1] == '\r' && s[i + 2] == '\n';
}

/* Wrap UTF-8 "s" to the width with CRLF ends; a "." line gets a space. */
static int
wrap(struct buf *out, const struct gophermap_view *v, const char *s,
    size_t len, const char *first, const char *rest)
{
	struct buf	 tmp = BUF_INIT;
	struct text_wrap tw;
	size_t		 i, from;
	int		 rc = -1;

	tw.width = gophermap_width(v);
	tw.charset = v->charset;
	tw.first = first;
	tw.rest = rest;
	tw.eol = "\r\n";
	if (text_wrap(&tmp, s, len, &tw) == -1)
		goto done;
	/* Copied in runs: a long article has a "." line rarely, if ever. */
	for (i = 0, from = 0; i < tmp.len; i++)
		if (is_dot_line(tmp.data, tmp.len, i)) {
			if (buf_add(out, tmp.data + from, i - from) == -1 ||
			    buf_addc(out, ' ') == -1)
				goto done;
			from = i;
		}
	if (tmp.len > from &&
	    buf_add(out, tmp.data + from, tmp.len - from) == -1)
		goto done;
	rc = 0;
done:
	buf_release(&tmp);
	return rc;
}

/* Columns of one line already in the output charset. */
static size_t
line_width(const struct gophermap_view *v, const char *s, size_t len)
{
	if (v->charset == TEXT_UTF8)
		return text_width(s, len, TEXT_UTF8);
	return len;	/* one byte, one column in ASCII and Latin-1 */
}

/* Wrapped text, then a line of "ch" as wide as its widest line. */
static int
heading(struct buf *out, const struct gophermap_view *v, const char *s,
    size_t len, int ch)
{
	size_t	 start = out->len, i, j, w, max = 0;

	if (wrap(out, v, s, len, NULL, NULL) == -1)
		return -1;
	for (i = start; i < out->len; i = j + 2) {
		for (j = i; j < out->len && out->data[j] != '\r'; j++)
			;
		w = line_width(v, out->data + i, j - i);
		if (w > max)
			max = w;
	}
	if (max > gophermap_width(v))
		max = gophermap_width(v);
	for (i = 0; i < max; i++)
		if (buf_addc(out, ch) == -1)
			return -1;
	return max > 0 ? buf_puts(out, "\r\n") : 0;
}

/*
 * One line from the output of gophermap_compose(), wrapped with a
 * hanging indent.
 */
static int
field(struct buf *out, const struct gophermap_view *v, const char *label,
    const char *value)
{
	struct buf	 tmp = BUF_INIT;
	int		 rc = -1;

	if (gophermap_compose(&tmp, v, label, value, (const char *)NULL) == 0 &&
	    (tmp.len == 0 || wrap(out, v, tmp.data, tmp.len, NULL, "  ") == 0))
		rc = 0;
	buf_release(&tmp);
	return rc;
}

/*
 * A URL as shown in the view: as is in UTF-8; in Latin-1 and ASCII its
 * non-ASCII bytes are percent-encoded, so that it stays a working URL.
 */
static int
url_shown(struct buf *dst, const struct gophermap_view *v, const char *url)
{
	if (v->charset == TEXT_UTF8)
		return buf_puts(dst, url);
	return url_ascii(dst, url);
}

/* Text lines of a preformatted block: converted, never reflowed. */
static int
pre(struct buf *out, const struct gophermap_view *v, const char *s)
{
	struct buf	 line = BUF_INIT;
	const char	*nl;
	size_t		 len;
	int		 rc = -1;

	for (;;) {
		nl = strchr(s, '\n');
		len = nl != NULL ? (size_t)(nl - s) : strlen(s);
		buf_reset(&line);
		if (text_encode(&line, s, len, v->charset) == -1)
			goto done;
		if (line.len == 1 && line.data[0] == '.' &&
		    buf_addc(out, ' ') == -1)
			goto done;
		if (buf_add(out, line.data, line.len) == -1 ||
		    buf_puts(out, "\r\n") == -1)
			goto done;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	rc = 0;
done:
	buf_release(&line);
	return rc;
}

/* Do two consecutive blocks sit without a blank line between them? */
static int
is_run(enum block_type a, enum block_type b)
{
	return a == b && (a == BLOCK_LIST || a == BLOCK_QUOTE ||
	    a == BLOCK_LINK);
}

static int
block(struct buf *out, const struct gophermap_view *v, const struct block *b,
    size_t *nlinks)
{
	struct buf	 tmp = BUF_INIT;
	char		 num[32];
	int		 n, rc = -1;

	switch (b->type) {
	case BLOCK_PARAGRAPH:
		rc = wrap(out, v, b->text, strlen(b->text), NULL, NULL);
		break;
	case BLOCK_HEADING1:
		rc = heading(out, v, b->text, strlen(b->text), '=');
		break;
	case BLOCK_HEADING2:
		rc = heading(out, v, b->text, strlen(b->text), '-');
		break;
	case BLOCK_HEADING3:
		rc = heading(out, v, b->text, strlen(b->text), '~');
		break;
	case BLOCK_QUOTE:
		rc = wrap(out, v, b->text, strlen(b->text), "> ", "> ");
		if (rc == 0 && b->text[0] == '\0')
			rc = buf_puts(out, ">\r\n");
		break;
	case BLOCK_LIST:
		rc = wrap(out, v, b->text, strlen(b->text), "* ", "  ");
		if (rc == 0 && b->text[0] == '\0')
			rc = buf_puts(out, "*\r\n");
		break;
	case BLOCK_LINK:
		++*nlinks;
		n = snprintf(num, sizeof(num), " [%zu]", *nlinks);
		if (n < 0 || (size_t)n >= sizeof(num))
			break;
		if (b->text[0] != '\0')
			rc = buf_puts(&tmp, b->text);
		else
			rc = url_shown(&tmp, v, b->url);
		if (rc == 0 && buf_puts(&tmp, num) == 0)
			rc = wrap(out, v, tmp.data, tmp.len, NULL, NULL);
		else
			rc = -1;
		break;
	case BLOCK_PRE:
		rc = pre(out, v, b->text);
		break;
	}
	buf_release(&tmp);
	return rc;
}

/* "[n] URL label" on one line when it fits, else the label below. */
static int
reference(struct buf *out, const struct gophermap_view *v, size_t n,
    const struct block *b)
{
	struct buf	 line = BUF_INIT, indent = BUF_INIT;
	size_t		 head;
	int		 rc = -1;

	if (buf_printf(&line, "[%zu] ", n) == -1)
		goto done;
	head = line.len;
	if (url_shown(&line, v, b->url) == -1)
		goto done;
	if (b->text[0] != '\0') {
		size_t	 urlend = line.len;

		if (buf_addc(&line, ' ') == -1 || buf_puts(&line, b->text) == -1)
			goto done;
		if (text_width(line.data, line.len, v->charset) <= gophermap_width(v)) {
			rc = wrap(out, v, line.data, line.len, NULL, NULL);
			goto done;
		}
		buf_truncate(&line, urlend);
	}
	/* The URL is never cut, even when wider than the width. */
	if (text_encode(out, line.data, line.len, v->charset) == -1 ||
	    buf_puts(out, "\r\n") == -1)
		goto done;
	if (b->text[0] != '\0') {
		while (indent.len < head)
			if (buf_addc(&indent, ' ') == -1)
				goto done;
		if (wrap(out, v, b->text, strlen(b->text), indent.data,
		    indent.data) == -1)
			goto done;
	}
	rc = 0;
done:
	buf_release(&line);
	buf_release(&indent);
	return rc;
}

/* Blocks, then the numbered list of their links. */
static int
body(struct buf *out, const struct gophermap_view *v, const struct block *b,
    size_t nb, int blank_first)
{
	const char *const	*w = words(v)->word;
	size_t			 i, nlinks = 0;

	for (i = 0; i < nb; i++) {
		if ((i > 0 || blank_first) &&
		    !(i > 0 && is_run(b[i - 1].type, b[i].type)) &&
		    buf_puts(out, "\r\n") == -1)
			return -1;
		if (block(out, v, &b[i], &nlinks) == -1)
			return -1;
	}
	if (nlinks == 0)
		return 0;
	if (buf_puts(out, "\r\n") == -1 ||
	    heading(out, v, w[WORDS_LINKS], strlen(w[WORDS_LINKS]), '-') == -1)
		return -1;
	for (i = 0, nlinks = 0; i < nb; i++)
		if (b[i].type == BLOCK_LINK &&
		    reference(out, v, ++nlinks, &b[i]) == -1)
			return -1;
	return 0;
}

/*
 * Where the links can be followed: after the list, a line of words,
 * then the selector of their menu (gopherlinks.h) on a line of its own,
 * never cut.
 */
static int
links_menu(struct buf *out, const struct gophermap_view *v,
    const struct article *a)
{
	struct buf	 tmp = BUF_INIT;
	char		 sel[GOPHERMAP_SELECTOR_MAX + 1];
	int		 rc = -1;

	if (gopherlinks_count(a) == 0 ||
	    gopherlinks_selector(sel, sizeof(sel), v, a) == -1)
		return 0;
	if (gophermap_compose(&tmp, v, words(v)->word[WORDS_LINKS_MENU],
	    (const char *)NULL) == 0 && buf_puts(out, "\r\n") == 0 &&
	    wrap(out, v, tmp.data, tmp.len, NULL, NULL) == 0 &&
	    buf_puts(out, sel) == 0 && buf_puts(out, "\r\n") == 0)
		rc = 0;
	buf_release(&tmp);
	return rc;
}

/* "28 novembre 2024 à 07:45", "1er février 2026", "28 November 2024". */
static int
human_date(struct buf *dst, const struct gophermap_view *v,
    const struct article *a)
{
	const struct words	*lw = words(v);

	if (words_date(dst, lw, a->date) == -1)
		return -1;
	if (a->time[0] != '\0' && (buf_puts(dst, lw->word[WORDS_AT]) == -1 ||
	    buf_puts(dst, a->time) == -1))
		return -1;
	return 0;
}

static int
joined(struct buf *dst, char *const *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((i > 0 && buf_puts(dst, ", ") == -1) ||
		    buf_puts(dst, s[i]) == -1)
			return -1;
	return 0;
}

int
gophertext_article(struct buf *out, const struct gophermap_view *v,
    const struct article *a)
{
	const char *const	*w = words(v)->word;
	struct buf		 tmp = BUF_INIT;
	struct block		*bl = NULL;
	size_t			 start = out->len;
	int			 rc = -1;

	if (heading(out, v, a->title, strlen(a->title), '=') == -1 ||
	    human_date(&tmp, v, a) == -1 || buf_add(&tmp, "", 0) == -1 ||
	    field(out, v, w[WORDS_DATE], tmp.data) == -1)
		goto done;
	if (a->nauthors > 0) {
		buf_reset(&tmp);
		if (joined(&tmp, a->authors, a->nauthors) == -1 ||
		    buf_add(&tmp, "", 0) == -1 ||
		    field(out, v, w[a->nauthors > 1 ? WORDS_AUTHORS :
		    WORDS_AUTHOR], tmp.data) == -1)
			goto done;
	}
	if (a->category != NULL &&
	    field(out, v, w[WORDS_CATEGORY], a->category) == -1)
		goto done;
	if (a->ntags > 0) {
		buf_reset(&tmp);
		if (joined(&tmp, a->tags, a->ntags) == -1 ||
		    buf_add(&tmp, "", 0) == -1 ||
		    field(out, v, w[WORDS_TAGS], tmp.data) == -1)
			goto done;
	}
	if (a->source != NULL) {
		/* The original, as the text's last link (griot-article(5)). */
		if ((bl = malloc((a->nblocks + 1) * sizeof(*bl))) == NULL)
			goto done;
		if (a->nblocks > 0)
			memcpy(bl, a->blocks, a->nblocks * sizeof(*bl));
		bl[a->nblocks].type = BLOCK_LINK;
		bl[a->nblocks].text = (char *)(uintptr_t)w[WORDS_SOURCE];
		bl[a->nblocks].url = a->source;
		bl[a->nblocks].alt = NULL;
	}
	if (body(out, v, bl != NULL ? bl : a->blocks, a->nblocks +
	    (bl != NULL), 1) == -1 || links_menu(out, v, a) == -1)
		goto done;
	rc = 0;
done:
	if (rc == -1)
		buf_truncate(out, start);
	buf_release(&tmp);
	free(bl);
	return rc;
}

int
gophertext_page(struct buf *out, const struct gophermap_view *v,
    const struct store_page *p)
{
	size_t	 start = out->len;

	if (body(out, v, p->blocks, p->nblocks, 0) == -1) {
		buf_truncate(out, start);
		return -1;
	}
	return 0;
}
