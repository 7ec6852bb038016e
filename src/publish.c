/* griot: writing imported articles into the store.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Turns items into article files in the store, atomically, never over a hand-written file. */

#include "griot-config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "feed.h"
#include "publish.h"
#include "text.h"

#define HEAD_READ_MAX	(16 * 1024)	/* bytes read to find a header */
#define SUFFIX_MAX	99		/* "-2" to "-99" */

struct source {
	char	*url;
	char	 id[ARTICLE_ID_MAX];
};

struct publish {
	int		 dirfd;
	int		 dry;
	struct source	*v;		/* sorted by url */
	size_t		 n, cap;
	struct buf	 old;		/* scratch: a file read back */
	int		 renamed;	/* names changed since the last sync */
};

static int
source_cmp(const void *a, const void *b)
{
	return strcmp(((const struct source *)a)->url,
	    ((const struct source *)b)->url);
}

static struct source *
source_find(struct publish *p, const char *url)
{
	struct source	 key;

	if (p->n == 0)
		return NULL;
	key.url = (char *)(uintptr_t)url;
	return bsearch(&key, p->v, p->n, sizeof(*p->v), source_cmp);
}

/* Insert in order (new ones only: a second file with the same Source: is ignored). */
static int
source_add(struct publish *p, const char *url, const char *id)
{
	struct source	*nv;
	size_t		 lo = 0, hi = p->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(p->v[mid].url, url) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n && strcmp(p->v[lo].url, url) == 0)
		return 0;
	if (p->n == p->cap) {
		size_t	 cap = p->cap ? p->cap * 2 : 256;

		if ((nv = realloc(p->v, cap * sizeof(*nv))) == NULL)
			return -1;
		p->v = nv;
		p->cap = cap;
	}
	memmove(&p->v[lo + 1], &p->v[lo], (p->n - lo) * sizeof(*p->v));
	if ((p->v[lo].url = strdup(url)) == NULL) {
		memmove(&p->v[lo], &p->v[lo + 1], (p->n - lo) * sizeof(*p->v));
		return -1;
	}
	snprintf(p->v[lo].id, sizeof(p->v[lo].id), "%s", id);
	p->n++;
	return 0;
}

/*
 * The value of the header "key" (lower case, with its ":") of the file
 * "name", into "out"; 0 when found.
 */
static int
header_value(int dirfd, const char *name, const char *key, struct buf *out)
{
	size_t		 klen = strlen(key);
	char		 head[HEAD_READ_MAX + 1];
	const char	*s, *e, *v;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	while (len < HEAD_READ_MAX && (n = read(fd, head + len,
	    HEAD_READ_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	head[len] = '\0';
	for (s = head; s < head + len; s = e + 1) {
		if ((e = memchr(s, '\n', len - (size_t)(s - head))) == NULL)
			e = head + len;
		if (e == s || (e == s + 1 && *s == '\r'))
			break;	/* the blank line: end of the header */
		if ((size_t)(e - s) > klen && strncasecmp(s, key, klen) == 0) {
			for (v = s + klen; v < e && (*v == ' ' || *v == '\t'); v++)
				;
			while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
				e--;
			buf_reset(out);
			buf_add(out, v, (size_t)(e - v));
			return out->failed || out->len == 0 ? -1 : 0;
		}
	}
	return -1;
}

struct publish *
publish_open(const char *store, int dry, char *err)
{
	struct publish	*p;
	struct dirent	*de;
	struct buf	 src = BUF_INIT;
	DIR		*d;
	int		 fd;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, PUBLISH_ERR_MAX, "out of memory");
		return NULL;
	}
	p->dry = dry;
	p->dirfd = -1;
	buf_init(&p->old);
	if ((p->dirfd = open(store, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (fd = dup(p->dirfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		snprintf(err, PUBLISH_ERR_MAX, "store %s: %s", store, strerror(errno));
		publish_close(p);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		char	 id[ARTICLE_ID_MAX];
		size_t	 n = strlen(de->d_name);

		if (de->d_name[0] == '.' || n <= 4 || n - 4 >= sizeof(id) ||
		    strcmp(de->d_name + n - 4, ".txt") != 0)
			continue;
		memcpy(id, de->d_name, n - 4);
		id[n - 4] = '\0';
		if (!article_is_valid_id(id) ||
		    header_value(p->dirfd, de->d_name, "source:", &src) == -1)
			continue;
		if (source_add(p, src.data, id) == -1) {
			snprintf(err, PUBLISH_ERR_MAX, "out of memory");
			closedir(d);
			buf_release(&src);
			publish_close(p);
			return NULL;
		}
	}
	closedir(d);
	buf_release(&src);
	return p;
}

void
publish_close(struct publish *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->v[i].url);
	free(p->v);
	if (p->dirfd != -1)
		close(p->dirfd);
	buf_release(&p->old);
	free(p);
}

/* One header value on one line (a comma in a tag makes two tags, as griot-article(5) reads them). */
static void
value(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_addc(b, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
}

int
publish_text(struct buf *b, const struct feed_item *it)
{
	size_t	 i;

	buf_puts(b, "Title: ");
	value(b, it->title);
	buf_printf(b, "\nDate: %s\n", it->date);
	for (i = 0; i < it->nauthors; i++) {
		buf_puts(b, "Author: ");
		value(b, it->authors[i]);
		buf_addc(b, '\n');
	}
	if (it->category != NULL) {
		buf_puts(b, "Category: ");
		value(b, it->category);
		buf_addc(b, '\n');
	}
	for (i = 0; i < it->ntags; i++) {
		buf_puts(b, i == 0 ? "Tags: " : ", ");
		value(b, it->tags[i]);
		if (i + 1 == it->ntags)
			buf_addc(b, '\n');
	}
	buf_puts(b, "Source: ");
	value(b, it->url);
	buf_puts(b, "\n\n");
	if (it->body != NULL && it->body[0] != '\0') {
		buf_puts(b, it->body);
		if (b->data[b->len - 1] != '\n')
			buf_addc(b, '\n');
	}
	return b->failed ? -1 : 0;
}

/*
 * "YYYY-MM-DD-" then the title's slug, cut at a "-" to leave room for
 * "-NN": "id" has BASE_MAX bytes.
 */
#define BASE_MAX	(ARTICLE_ID_MAX - 3)
static int
base_id(const struct feed_item *it, char *id)
{
	struct buf	 slug = BUF_INIT;
	size_t		 room = ARTICLE_ID_MAX - 1 - 11 - 3, n;

	if (text_slug(&slug, it->title, strlen(it->title)) == -1) {
		buf_release(&slug);
		return -1;
	}
	n = slug.len;
	if (n > room) {
		n = room;
		while (n > room / 2 && slug.data[n] != '-')
			n--;
		if (slug.data[n] != '-')
			n = room;
		while (n > 0 && slug.data[n - 1] == '-')
			n--;
	}
	if (n == 0)
		snprintf(id, BASE_MAX, "%.10s-article", it->date);
	else
		snprintf(id, BASE_MAX, "%.10s-%.*s", it->date, (int)n, slug.data);
	buf_release(&slug);
	return 0;
}

static void
report_first(void *arg, int error, const char *msg)
{
	char	*first = arg;

	if (error && first[0] == '\0')
		snprintf(first, PUBLISH_ERR_MAX, "%s", msg);
}

/* Is "name" in the store (any kind of entry)? */
static int
has_name(int dirfd, const char *name)
{
	struct stat	 st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno != ENOENT;
}

static int
is_taken(struct publish *p, const char *id)
{
	char	 name[ARTICLE_ID_MAX + 8];
	size_t	 i;

	if ((size_t)snprintf(name, sizeof(name), "%s.txt", id) >= sizeof(name))
		return 1;	/* cannot happen: ids fit ARTICLE_ID_MAX */
	if (has_name(p->dirfd, name))
		return 1;
	/* A dry run writes nothing: the ids it gave count as taken. */
	for (i = 0; p->dry && i < p->n; i++)
		if (strcmp(p->v[i].id, id) == 0)
			return 1;
	return 0;
}

/* Write the temporary file, durable before it gets its name. */
static int
write_tmp(struct publish *p, const char *tmp, const struct buf *b, char *err)
{
	const char	*s = b->data;
	size_t		 left = b->len;
	ssize_t		 n;
	int		 fd;

	(void)unlinkat(p->dirfd, tmp, 0);
	if ((fd = openat(p->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0644)) == -1)
		goto fail;
	while (left > 0) {
		if ((n = write(fd, s, left)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		s += n;
		left -= (size_t)n;
	}
	if (fchmod(fd, 0644) == -1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	snprintf(err, PUBLISH_ERR_MAX, "%s: %s", tmp, strerror(errno));
	if (fd != -1)
		close(fd);
	(void)unlinkat(p->dirfd, tmp, 0);
	return -1;
}

/* Is the file "name" exactly "b"? */
static int
is_same(struct publish *p, const char *name, const struct buf *b)
{
	char	*data = NULL;
	size_t	 len = 0;
	int	 same;

	if (article_read(p->dirfd, name, b->len + 1, NULL, &data, &len) == -1)
		return 0;
	same = len == b->len && memcmp(data, b->data, len) == 0;
	free(data);
	return same;
}

int
publish_item(struct publish *p, const struct feed_item *it, char *id,
    enum publish_result *result, char *err)
{
	struct buf			 b = BUF_INIT;
	struct article			*a;
	struct article_opts		 opts = { 0, 0 };
	struct article_report		 rep = { report_first, NULL };
	struct source			*s;
	char				 first[PUBLISH_ERR_MAX] = "";
	char				 base[BASE_MAX], name[ARTICLE_ID_MAX + 8];
	char				 tmp[ARTICLE_ID_MAX + 40];
	int				 n, rc = -1;

	if (publish_text(&b, it) == -1 || base_id(it, base) == -1) {
		snprintf(err, PUBLISH_ERR_MAX, "out of memory");
		goto done;
	}
	/* What griotd will read: refuse here what it would refuse there. */
	rep.arg = first;
	if ((a = article_parse(base, base, b.data, b.len, &opts, &rep)) == NULL) {
		snprintf(err, PUBLISH_ERR_MAX, "would not be read back: %s",
		    first[0] ? first : strerror(errno));
		goto done;
	}
	article_free(a);

	if ((s = source_find(p, it->url)) != NULL) {
		snprintf(id, ARTICLE_ID_MAX, "%s", s->id);
		if ((size_t)snprintf(name, sizeof(name), "%s.txt", id) >=
		    sizeof(name) || (size_t)snprintf(tmp, sizeof(tmp),
		    ".%s.txt.%ld.tmp", id, (long)getpid()) >= sizeof(tmp)) {
			snprintf(err, PUBLISH_ERR_MAX, "%s: name too long", id);
			goto done;
		}
		if (is_same(p, name, &b)) {
			*result = PUBLISH_UNCHANGED;
			rc = 0;
			goto done;
		}
		/* An editor's "Draft: yes" withdraws the article: keep it so. */
		if (header_value(p->dirfd, name, "draft:", &p->old) == 0 &&
		    (strcasecmp(p->old.data, "yes") == 0 ||
		    strcasecmp(p->old.data, "oui") == 0)) {
			*result = PUBLISH_HELD;
			rc = 0;
			goto done;
		}
		*result = PUBLISH_UPDATED;
		if (p->dry) {
			rc = 0;
			goto done;
		}
		if (write_tmp(p, tmp, &b, err) == -1)
			goto done;
		if (renameat(p->dirfd, tmp, p->dirfd, name) == -1) {
			snprintf(err, PUBLISH_ERR_MAX, "%s: %s", name, strerror(errno));
			(void)unlinkat(p->dirfd, tmp, 0);
			goto done;
		}
		p->renamed = 1;
		rc = 0;
		goto done;
	}

	*result = PUBLISH_NEW;
	if ((size_t)snprintf(tmp, sizeof(tmp), ".%s.txt.%ld.tmp", base,
	    (long)getpid()) >= sizeof(tmp)) {
		snprintf(err, PUBLISH_ERR_MAX, "%s: name too long", base);
		goto done;
	}
	if (!p->dry && write_tmp(p, tmp, &b, err) == -1)
		goto done;
	for (n = 1; n <= SUFFIX_MAX; n++) {
		if (n == 1)
			snprintf(id, ARTICLE_ID_MAX, "%s", base);
		else
			snprintf(id, ARTICLE_ID_MAX, "%s-%d", base, n);
		if (is_taken(p, id))
			continue;
		if (p->dry)
			break;
		if ((size_t)snprintf(name, sizeof(name), "%s.txt", id) >=
		    sizeof(name))
			continue;
		/* link() never replaces: a file that appeared meanwhile stays. */
		if (linkat(p->dirfd, tmp, p->dirfd, name, 0) == 0) {
			p->renamed = 1;
			break;
		}
		if (errno != EEXIST) {
			snprintf(err, PUBLISH_ERR_MAX, "%s: %s", name, strerror(errno));
			(void)unlinkat(p->dirfd, tmp, 0);
			goto done;
		}
	}
	if (!p->dry)
		(void)unlinkat(p->dirfd, tmp, 0);
	if (n > SUFFIX_MAX) {
		snprintf(err, PUBLISH_ERR_MAX, "%s to %s-%d are all taken",
		    base, base, SUFFIX_MAX);
		goto done;
	}
	if (source_add(p, it->url, id) == -1) {
		snprintf(err, PUBLISH_ERR_MAX, "out of memory");
		goto done;
	}
	rc = 0;
done:
	buf_release(&b);
	return rc;
}

int
publish_sync(struct publish *p, char *err)
{
	if (p->dry || !p->renamed || fsync(p->dirfd) == 0) {
		p->renamed = 0;
		return 0;
	}
	snprintf(err, PUBLISH_ERR_MAX, "store: %s", strerror(errno));
	return -1;
}
