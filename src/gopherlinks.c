/* griot: the Gopher menu of an article's links.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Turns the links of an article into a paged Gopher menu of real items,
 * and gopher:// URLs into the host, port, type and selector of an item.
 * Every line goes through gophermap_item_at().  See gopherlinks.h.
 */

#include "griot-config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "buf.h"
#include "config.h"
#include "gophermap.h"
#include "gopherlinks.h"
#include "paging.h"
#include "url.h"
#include "words.h"

/* The words of the capsule's lang (words.h), static storage. */
static const struct words *
words(const struct gophermap_view *v)
{
	return words_for_lang(v->conf->lang);
}

/* Printable ASCII without spaces: what a menu line's field may hold. */
static int
is_field(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

int
gopherlinks_parse(const char *url, struct gopherlinks_target *t)
{
	const char	*h, *he, *p;
	size_t		 hlen, len;
	long		 port = 0;

	if (strncasecmp(url, "gopher://", 9) != 0)
		return -1;
	h = url + 9;
	if (*h == '[') {
		/* An IPv6 literal: the brackets are the URL's, not the host's. */
		if ((he = strchr(h, ']')) == NULL)
			return -1;
		h++;
		p = he + 1;
	} else {
		he = h + strcspn(h, ":/?#");
		p = he;
	}
	hlen = (size_t)(he - h);
	if (hlen == 0 || hlen >= sizeof(t->host) || !is_field(h, hlen))
		return -1;
	memcpy(t->host, h, hlen);
	t->host[hlen] = '\0';
	t->port = 70;
	if (*p == ':') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			port = port * 10 + (*p - '0');
			if (port > 65535)
				return -1;
		}
		if (port == 0 && p[-1] != ':')
			return -1;
		if (port > 0)
			t->port = (int)port;
	}
	if (*p != '\0' && *p != '/')
		return -1;
	t->type = '1';
	t->selector[0] = '\0';
	if (*p == '\0' || p[1] == '\0')
		return 0;
	p++;
	t->type = (unsigned char)*p++;
	if (t->type <= 0x20 || t->type >= 0x7f)
		return -1;
	/* Decoding never grows; a "%09" (a search part) is no selector. */
	len = strlen(p);
	if (len >= sizeof(t->selector) ||
	    url_decode(t->selector, &len, p, len, URL_NO_NUL) == -1 ||
	    !is_field(t->selector, len))
		return -1;
	t->selector[len] = '\0';
	return 0;
}

/* Is link "b" one (a link line)? */
static int
is_link(const struct block *b)
{
	return b->type == BLOCK_LINK && b->url != NULL;
}

size_t
gopherlinks_count(const struct article *a)
{
	size_t	 i, n = 0;

	for (i = 0; i < a->nblocks; i++)
		if (is_link(&a->blocks[i]))
			n++;
	return n + (a->source != NULL);
}

int
gopherlinks_item(struct buf *out, const struct gophermap_view *v,
    const char *label, const char *url)
{
	struct gopherlinks_target t;
	struct buf		 u = BUF_INIT, disp = BUF_INIT, sel = BUF_INIT;
	size_t			 start = out->len;
	int			 rc = -1;

	if (url_ascii(&u, url) == -1 || buf_add(&u, "", 0) == -1)
		goto done;
	if (label[0] != '\0') {
		if (gophermap_compose(&disp, v, label, (const char *)NULL) == -1 ||
		    buf_add(&disp, "", 0) == -1)
			goto done;
	} else if (buf_add(&disp, u.data, u.len + 1) == -1)
		goto done;
	if (gopherlinks_parse(u.data, &t) == 0) {
		if (gophermap_item_at(out, v, t.type, disp.data, t.selector,
		    t.host, t.port, 0) == 0) {
			rc = 0;
			goto done;
		}
	} else if (strncasecmp(u.data, "gopher:", 7) != 0 &&
	    url_is_external(u.data)) {
		if (buf_puts(&sel, "URL:") == -1 || buf_add(&sel, u.data,
		    u.len + 1) == -1)
			goto done;
		if (gophermap_item(out, v, 'h', disp.data, sel.data) == 0) {
			rc = 0;
			goto done;
		}
	}
	if (out->failed)
		goto done;
	/*
	 * No item can hold it: the URL on an i line, whole so that it can
	 * be copied (up to a selector's length: longer is no real link).
	 */
	if (label[0] != '\0' &&
	    gophermap_item(out, v, 'i', disp.data, NULL) == -1)
		goto done;
	if (gophermap_item_at(out, v, 'i', u.data, NULL, NULL, 0,
	    u.len <= GOPHERMAP_SELECTOR_MAX ? GOPHERMAP_WHOLE : 0) == -1)
		goto done;
	rc = 0;
done:
	if (rc == -1) {
		buf_truncate(out, start);
		if (u.failed || disp.failed || sel.failed)
			out->failed = 1;
	}
	buf_release(&u);
	buf_release(&disp);
	buf_release(&sel);
	return rc;
}

int
gopherlinks_selector(char *dst, size_t size, const struct gophermap_view *v,
    const struct article *a)
{
	int	 n;

	if (size > GOPHERMAP_SELECTOR_MAX + 1)
		size = GOPHERMAP_SELECTOR_MAX + 1;
	n = snprintf(dst, size, "%s/links/%s", v->prefix, a->id);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The links of page "p", in the article's order, its Source last. */
static int
links(struct buf *out, const struct gophermap_view *v,
    const struct article *a, const struct paging *p)
{
	size_t	 i, k = 0;

	for (i = 0; i < a->nblocks && k < p->first + p->count; i++) {
		if (!is_link(&a->blocks[i]))
			continue;
		if (k++ >= p->first && gopherlinks_item(out, v,
		    a->blocks[i].text, a->blocks[i].url) == -1)
			return -1;
	}
	if (a->source != NULL && k >= p->first && k < p->first + p->count &&
	    gopherlinks_item(out, v, words(v)->word[WORDS_SOURCE],
	    a->source) == -1)
		return -1;
	return 0;
}

int
gopherlinks_menu(struct buf *out, const struct gophermap_view *v,
    const struct article *a, size_t page)
{
	const char *const	*w = words(v)->word;
	char			 sel[GOPHERMAP_SELECTOR_MAX + 1];
	char			 first[GOPHERMAP_SELECTOR_MAX + 1];
	char			 stem[GOPHERMAP_SELECTOR_MAX + 2];
	struct paging		 p;
	size_t			 n, start = out->len;
	int			 k;

	if ((n = gopherlinks_count(a)) == 0 ||
	    paging_init(&p, n, GOPHERLINKS_PER_PAGE, page) == -1)
		return -1;
	if (gophermap_itemf(out, v, 'i', NULL, w[WORDS_LINKS_TITLE],
	    (const char *)NULL) == -1 ||
	    gophermap_item(out, v, 'i', "", NULL) == -1)
		goto fail;
	/* Back to the text (a menu server of its own could not say less). */
	k = snprintf(sel, sizeof(sel), "%s/articles/%s.txt", v->prefix, a->id);
	if (k < 0 || (size_t)k >= sizeof(sel) ||
	    gophermap_itemf(out, v, '0', sel, a->date, " ", a->title,
	    (const char *)NULL) == -1 ||
	    gophermap_item(out, v, 'i', "", NULL) == -1 ||
	    links(out, v, a, &p) == -1)
		goto fail;
	/*
	 * Its pages: "/links/ID", then "/links/ID/N" (left out when too
	 * long a selector, as in every paged list).
	 */
	k = snprintf(first, sizeof(first), "/links/%s", a->id);
	if (k < 0 || (size_t)k >= sizeof(first))
		first[0] = '\0';
	if (snprintf(stem, sizeof(stem), "%s/", first) < 0)
		stem[0] = '\0';
	if (gophermap_pages(out, v, &p, first, stem, NULL, '1') == -1)
		goto fail;
	k = snprintf(sel, sizeof(sel), "%s/", v->prefix);
	if (k < 0 || (size_t)k >= sizeof(sel) ||
	    gophermap_item(out, v, 'i', "", NULL) == -1 ||
	    gophermap_itemf(out, v, '1', sel, w[WORDS_HOME],
	    (const char *)NULL) == -1 ||
	    buf_puts(out, ".\r\n") == -1)
		goto fail;
	return 0;
fail:
	buf_truncate(out, start);
	return -1;
}
