/* griot: downloading sources.  Copyright (c) 2026 the griot developers; ISC licence. */
/* One bounded, conditional HTTP(S) GET through libcurl, and the validators remembered between runs. */

#include "griot-config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "fetch.h"

#define USER_AGENT	"griot-import/" PACKAGE_VERSION " (Gemini and Gopher news capsule)"

struct sink {
	struct buf	 body;
	long		 max;
	int		 toobig;
};

static size_t
sink_write(char *p, size_t size, size_t n, void *arg)
{
	struct sink	*s = arg;
	size_t		 len = size * n;

	if (s->body.len + len > (size_t)s->max) {
		s->toobig = 1;
		return 0;	/* libcurl stops with CURLE_WRITE_ERROR */
	}
	if (buf_add(&s->body, p, len) == -1)
		return 0;
	return len;
}

int
fetch_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
fetch_cleanup(void)
{
	curl_global_cleanup();
}

/* The value of a response header of the last response, or NULL. */
static char *
header(CURL *c, const char *name)
{
	struct curl_header	*h;

	if (curl_easy_header(c, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK ||
	    h->value == NULL || h->value[0] == '\0')
		return NULL;
	return strdup(h->value);
}

/* The charset parameter of a media type ("text/html; charset=UTF-8"). */
static char *
charset_of(const char *type)
{
	const char	*p;
	size_t		 n;

	if (type == NULL || (p = strcasestr(type, "charset=")) == NULL)
		return NULL;
	p += 8;
	if (*p == '"')
		p++;
	n = strcspn(p, "\"; \t");
	return n == 0 ? NULL : strndup(p, n);
}

int
fetch_get(const char *url, const char *etag, const char *last_modified,
    const struct fetch_opts *o, struct fetch *f, char *err)
{
	CURL			*c;
	CURLcode		 rc;
	struct curl_slist	*hdrs = NULL, *nh;
	struct sink		 s;
	char			 line[1024];
	char			 cerr[CURL_ERROR_SIZE];
	char			*eff = NULL, *type = NULL;
	long			 status = 0, timeout;
	int			 ret = -1;

	memset(f, 0, sizeof(*f));
	memset(&s, 0, sizeof(s));
	s.max = o->max_size > 0 ? o->max_size : FETCH_SIZE_MAX;
	timeout = o->timeout > 0 ? o->timeout : 30;
	cerr[0] = '\0';
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, FETCH_ERR_MAX, "cannot start libcurl");
		return -1;
	}
	if (etag != NULL && snprintf(line, sizeof(line), "If-None-Match: %s",
	    etag) < (int)sizeof(line)) {
		if ((nh = curl_slist_append(hdrs, line)) != NULL)
			hdrs = nh;
	}
	if (last_modified != NULL && snprintf(line, sizeof(line),
	    "If-Modified-Since: %s", last_modified) < (int)sizeof(line)) {
		if ((nh = curl_slist_append(hdrs, line)) != NULL)
			hdrs = nh;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)FETCH_REDIRS_MAX);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s.max);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);

	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_WRITE_ERROR && s.toobig)
		snprintf(err, FETCH_ERR_MAX, "larger than %ld bytes; "
		    "nothing imported", s.max);
	else if (rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, FETCH_ERR_MAX, "announces more than %ld bytes; "
		    "not downloaded", s.max);
	else if (rc == CURLE_TOO_MANY_REDIRECTS)
		snprintf(err, FETCH_ERR_MAX, "more than %d redirects "
		    "(a redirect loop?)", FETCH_REDIRS_MAX);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, FETCH_ERR_MAX, "no complete answer within %ld s",
		    timeout);
	else if (rc != CURLE_OK)
		snprintf(err, FETCH_ERR_MAX, "%s", cerr[0] ? cerr :
		    curl_easy_strerror(rc));
	else if (status != 200 && status != 304)
		snprintf(err, FETCH_ERR_MAX, "the server answered HTTP %ld", status);
	else if (s.body.failed)
		snprintf(err, FETCH_ERR_MAX, "out of memory");
	else
		ret = 0;
	if (ret == 0) {
		curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff);
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
		f->url = strdup(eff != NULL ? eff : url);
		f->charset = charset_of(type);
		f->not_modified = status == 304;
		if (!f->not_modified) {
			f->etag = header(c, "ETag");
			f->last_modified = header(c, "Last-Modified");
			if (buf_addc(&s.body, '\0') == 0) {
				f->len = s.body.len - 1;
				f->data = buf_detach(&s.body, NULL);
			}
		} else {
			f->etag = etag ? strdup(etag) : NULL;
			f->last_modified = last_modified ? strdup(last_modified) : NULL;
		}
	}
	if (o->verbose)
		fprintf(stderr, "griot-import: GET %s: HTTP %ld, %zu bytes%s%s\n",
		    url, status, s.body.len, etag || last_modified ?
		    " (conditional)" : "", f->not_modified ? ", not modified" : "");
	buf_release(&s.body);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	if (ret == -1)
		fetch_free(f);
	return ret;
}

void
fetch_free(struct fetch *f)
{
	free(f->data);
	free(f->charset);
	free(f->url);
	free(f->etag);
	free(f->last_modified);
	memset(f, 0, sizeof(*f));
}

/* ------------------------------------------------------------------ */

struct memo {
	char	*url, *etag, *lm;
};

struct fetch_memo {
	char		*path;
	struct memo	*v;
	size_t		 n;
	int		 dirty;		/* changed since loaded */
};

/* A field as kept: "-" for none; no TAB or newline can be in one. */
static int
is_field(const char *s)
{
	return s != NULL && strcmp(s, "-") != 0 && s[0] != '\0' &&
	    strpbrk(s, "\t\r\n") == NULL;
}

static char *
field(const char *s)
{
	return is_field(s) ? strdup(s) : NULL;
}

struct fetch_memo *
fetch_memo_load(const char *path)
{
	struct fetch_memo	*m;
	FILE			*fp;
	char			*ln = NULL, *a, *b;
	size_t			 cap = 0;
	ssize_t			 len;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->path = strdup(path)) == NULL) {
		free(m);
		return NULL;
	}
	if ((fp = fopen(path, "r")) == NULL)
		return m;
	while ((len = getline(&ln, &cap, fp)) != -1) {
		if (len > 0 && ln[len - 1] == '\n')
			ln[--len] = '\0';
		if ((a = strchr(ln, '\t')) == NULL || (b = strchr(a + 1, '\t')) == NULL)
			continue;
		*a++ = '\0';
		*b++ = '\0';
		(void)fetch_memo_set(m, ln, a, b);
	}
	free(ln);
	fclose(fp);
	m->dirty = 0;
	return m;
}

void
fetch_memo_get(const struct fetch_memo *m, const char *url, const char **etag,
    const char **lm)
{
	size_t	 i;

	*etag = *lm = NULL;
	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].url, url) == 0) {
			*etag = m->v[i].etag;
			*lm = m->v[i].lm;
			return;
		}
}

int
fetch_memo_set(struct fetch_memo *m, const char *url, const char *etag,
    const char *lm)
{
	struct memo	*nv, *e = NULL;
	size_t		 i;

	if (m == NULL || strpbrk(url, "\t\r\n") != NULL)
		return -1;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].url, url) == 0)
			e = &m->v[i];
	if (e == NULL) {
		if ((nv = realloc(m->v, (m->n + 1) * sizeof(*nv))) == NULL)
			return -1;
		m->v = nv;
		e = &m->v[m->n];
		memset(e, 0, sizeof(*e));
		if ((e->url = strdup(url)) == NULL)
			return -1;
		m->n++;
	}
	etag = is_field(etag) ? etag : NULL;
	lm = is_field(lm) ? lm : NULL;
	if (!((e->etag == NULL && etag == NULL) || (e->etag && etag &&
	    strcmp(e->etag, etag) == 0)) || !((e->lm == NULL && lm == NULL) ||
	    (e->lm && lm && strcmp(e->lm, lm) == 0)))
		m->dirty = 1;
	free(e->etag);
	free(e->lm);
	e->etag = field(etag);
	e->lm = field(lm);
	return 0;
}

int
fetch_memo_save(const struct fetch_memo *m, char *err)
{
	struct buf	 b = BUF_INIT, tmp = BUF_INIT;
	size_t		 i;
	int		 fd = -1, rc = -1;

	if (!m->dirty)
		return 0;
	for (i = 0; i < m->n; i++)
		buf_printf(&b, "%s\t%s\t%s\n", m->v[i].url,
		    m->v[i].etag ? m->v[i].etag : "-", m->v[i].lm ? m->v[i].lm : "-");
	buf_printf(&tmp, "%s.%ld.tmp", m->path, (long)getpid());
	if (b.failed || tmp.failed) {
		snprintf(err, FETCH_ERR_MAX, "out of memory");
		goto done;
	}
	if ((fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644)) == -1 ||
	    (b.len > 0 && write(fd, b.data, b.len) != (ssize_t)b.len) ||
	    fsync(fd) == -1 || close(fd) == -1 || (fd = -1, 0) ||
	    rename(tmp.data, m->path) == -1) {
		snprintf(err, FETCH_ERR_MAX, "%s: %s", m->path, strerror(errno));
		if (fd != -1)
			close(fd);
		unlink(tmp.data);
		goto done;
	}
	rc = 0;
done:
	buf_release(&b);
	buf_release(&tmp);
	return rc;
}

void
fetch_memo_free(struct fetch_memo *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->v[i].url);
		free(m->v[i].etag);
		free(m->v[i].lm);
	}
	free(m->v);
	free(m->path);
	free(m);
}
