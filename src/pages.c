/* griot: the static pages.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The static pages folder ([capsule] pages): every "*.gmi" read,
 * sanitised and parsed once into a set sorted by name, shared by the
 * store snapshots until the folder changes (pages.h).
 */
#include "griot-config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "dirlist.h"
#include "pages.h"
#include "store.h"
#include "text.h"

/* The static pages, shared by the snapshots until they change. */
struct pages {
	atomic_size_t			 refs;
	struct store_page		*pages;		/* by name */
	size_t				 npages;
};

static void
pages_clear_one(struct store_page *p)
{
	free(p->name);
	free(p->title);
	free(p->source);
	article_blocks_free(p->blocks, p->nblocks);
}

static int
pages_cmp(const void *a, const void *b)
{
	return strcmp(((const struct store_page *)a)->name,
	    ((const struct store_page *)b)->name);
}

void
pages_unref(struct pages *ps)
{
	size_t	 i;

	if (ps == NULL || atomic_fetch_sub_explicit(&ps->refs, 1,
	    memory_order_acq_rel) != 1)
		return;
	for (i = 0; i < ps->npages; i++)
		pages_clear_one(&ps->pages[i]);
	free(ps->pages);
	free(ps);
}

/*
 * The static pages: "*.gmi" whose name, without the suffix, is a valid
 * id.  A page that fails is reported and left out; -1 only when memory
 * ran out.
 */
static int
pages_read(struct pages *s, const struct store_opts *opts,
    const struct article_report *r, struct store_stats *st)
{
	struct article_opts	 aopts;
	struct store_page	*pg;
	struct buf		 clean = BUF_INIT, where = BUF_INIT;
	char			**names = NULL, *data = NULL, *id = NULL;
	char			 msg[DIRLIST_MSG_MAX];
	size_t			 i, n = 0, len;
	int			 dirfd, rc = -1;

	memset(&aopts, 0, sizeof(aopts));
	aopts.french_spacing = opts->french_spacing;
	aopts.max_size = opts->max_size;
	if ((dirfd = open(opts->pages, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		article_report_line(r, 1, opts->pages, 0,
		    "cannot open the pages folder: %s", strerror(errno));
		return 0;
	}
	if (dirlist_read(dirfd, ".gmi", &names, &n, msg, sizeof(msg)) == -1) {
		article_report_line(r, 1, opts->pages, 0, "%s", msg);
		close(dirfd);
		return 0;
	}
	if (n > 0 && (s->pages = calloc(n, sizeof(*s->pages))) == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		free(id);
		if ((id = strndup(names[i], strlen(names[i]) - 4)) == NULL)
			goto done;
		if (!article_is_valid_id(id)) {
			buf_reset(&where);
			buf_printf(&where, "%s/%s", opts->pages, names[i]);
			if (where.failed)
				goto done;
			article_report_line(r, 1, where.data, 0, "file name "
			    "refused: a page name has only ASCII letters, "
			    "digits, \"-\", \"_\" and \".\"");
			continue;
		}
		if (article_read(dirfd, names[i], opts->max_size, r, &data,
		    &len) == -1)
			continue;
		pg = &s->pages[s->npages];
		memset(pg, 0, sizeof(*pg));
		buf_reset(&clean);
		if (text_sanitize(&clean, data, len, TEXT_DROP_BOM |
		    TEXT_KEEP_NL | TEXT_KEEP_TAB, NULL, NULL) == -1 ||
		    (pg->source = buf_detach(&clean, NULL)) == NULL ||
		    (pg->name = strdup(id)) == NULL ||
		    article_parse_body(names[i], data, len, &aopts, r,
		    &pg->blocks, &pg->nblocks, &pg->title) == -1 ||
		    (pg->title == NULL && (pg->title = strdup(id)) == NULL)) {
			pages_clear_one(pg);
			goto done;
		}
		free(data);
		data = NULL;
		s->npages++;
		if (st != NULL)
			st->pages++;
	}
	if (s->npages > 0)
		qsort(s->pages, s->npages, sizeof(*s->pages), pages_cmp);
	rc = 0;
 done:
	if (rc == -1)
		article_report_line(r, 1, opts->pages, 0, "out of memory");
	free(data);
	free(id);
	buf_release(&clean);
	buf_release(&where);
	dirlist_free(names, n);
	close(dirfd);
	return rc;
}

struct pages *
pages_load(const struct store_opts *opts, const struct article_report *r,
    struct store_stats *st)
{
	struct pages	*ps;

	if ((ps = calloc(1, sizeof(*ps))) == NULL) {
		article_report_line(r, 1, opts->dir, 0, "out of memory");
		return NULL;
	}
	atomic_init(&ps->refs, 1);
	if (opts->pages != NULL && pages_read(ps, opts, r, st) == -1) {
		pages_unref(ps);
		return NULL;
	}
	return ps;
}

struct pages *
pages_ref(struct pages *ps)
{
	atomic_fetch_add_explicit(&ps->refs, 1, memory_order_relaxed);
	return ps;
}

size_t
pages_count(const struct pages *ps)
{
	return ps->npages;
}

const struct store_page *
pages_at(const struct pages *ps, size_t i)
{
	return i < ps->npages ? &ps->pages[i] : NULL;
}

static int
pages_cmp_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct store_page *)elem)->name);
}

const struct store_page *
pages_get(const struct pages *ps, const char *name)
{
	if (name == NULL || ps->npages == 0)
		return NULL;
	return bsearch(name, ps->pages, ps->npages, sizeof(*ps->pages),
	    pages_cmp_key);
}
