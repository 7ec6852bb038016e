/* griot: fuzz harness of the HTTP handler.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * libFuzzer entry point for http_request_complete(), http_respond(),
 * http_cache_key() and http_prelude() on the store in tests/data,
 * asserting the door's invariants: a status the handler defines; a head
 * of well-formed header lines ("Name: value" CRLF, no CR, LF or NUL
 * inside) ended by an empty line; a Content-Length equal to the body
 * (none after 304 or HEAD, whose body is empty); a body in the charset
 * its Content-Type declares (valid UTF-8 without bidirectional controls,
 * or 7-bit ASCII) and a gzip body that inflates; nothing after the head
 * changing the answer (it is never read as a second request); and equal
 * cache keys giving equal answers, across all the inputs of a run.
 * Built with --enable-fuzzing it is a libFuzzer target; otherwise
 * replay.c replays tests/fuzz/corpus/http/ through it under make check.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "buf.h"
#include "config.h"
#include "http.h"
#include "store.h"
#include "text.h"
#include "web.h"
#include "invariants.h"

#define S(x)	((char *)(uintptr_t)(x))	/* a literal in a char * field */

#ifndef TESTDATA
#define TESTDATA	"tests/data"
#endif

#define KEYS	1024	/* cache keys remembered across inputs */

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static struct conf	 conf;
static struct store	*st;

/* Keys seen, with the digest of the answer each gave. */
static struct seen {
	char		*key;
	size_t		 len;
	uint64_t	 answer;
	int		 status;
} seen[KEYS];

static void
setup(void)
{
	static char		 dir[4096], pages[4096];
	const char		*data = getenv("GRIOT_TESTDATA");
	struct store_opts	 so;

	if (st != NULL)
		return;
	if (data == NULL)
		data = TESTDATA;
	if ((size_t)snprintf(dir, sizeof(dir), "%s/articles", data) >=
	    sizeof(dir) ||
	    (size_t)snprintf(pages, sizeof(pages), "%s/pages", data) >=
	    sizeof(pages))
		abort();
	memset(&conf, 0, sizeof(conf));
	conf.name = S("Fuzz");
	conf.hostname = S("localhost");
	conf.lang = S("fr");
	conf.description = S("Fuzz : « essai ».");
	conf.latest = 10;
	conf.page_size = 2;	/* the 7 articles make lists of pages */
	conf.french_spacing = 1;
	memset(&so, 0, sizeof(so));
	so.dir = dir;
	so.pages = pages;
	so.french_spacing = 1;
	if ((st = store_open(&so, NULL, NULL)) == NULL)
		abort();
}

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

static int
is_defined(int s)
{
	static const int defined[] = { 200, 301, 304, 400, 404, 405, 414,
	    431, 501, 503, 505 };
	size_t		 i;

	for (i = 0; i < sizeof(defined) / sizeof(defined[0]); i++)
		if (defined[i] == s)
			return 1;
	return 0;
}

static int
is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * Check the head of the tail "t" (status line excluded); returns its
 * length and sets the values the body checks need.
 */
static size_t
check_head(const struct buf *t, long *clen, int *gz, const char **charset)
{
	const char	*s = t->data, *end = t->data + t->len, *e, *v;
	size_t		 n;

	*clen = -1;
	*gz = 0;
	*charset = NULL;
	for (;;) {
		e = memchr(s, '\n', (size_t)(end - s));
		CHECK(e != NULL && e > s && e[-1] == '\r');
		if (e - s == 1)
			return (size_t)(e + 1 - t->data);
		for (v = s; v < e && is_tchar(*v); v++)
			continue;
		CHECK(v > s && v + 2 <= e - 1 && v[0] == ':' && v[1] == ' ');
		n = (size_t)(e - 1 - (v + 2));
		CHECK(memchr(v + 2, '\r', n) == NULL);
		CHECK(memchr(v + 2, '\0', n) == NULL);
		if (strncasecmp(s, "Content-Length:", 15) == 0) {
			CHECK(*clen == -1);
			*clen = strtol(v + 2, NULL, 10);
		} else if (strncasecmp(s, "Content-Encoding: gzip\r", 23) == 0)
			*gz = 1;
		else if (strncasecmp(s, "Content-Type:", 13) == 0) {
			if (memmem(v, n + 2, "charset=utf-8", 13) != NULL)
				*charset = "utf-8";
			else if (memmem(v, n + 2, "charset=us-ascii", 16) != NULL)
				*charset = "us-ascii";
		}
		s = e + 1;
	}
}

static void
check_body(const char *b, size_t n, int gz, const char *charset)
{
	z_stream	 z;
	unsigned char	 out[4096];
	size_t		 i;
	int		 rc;

	if (gz) {
		memset(&z, 0, sizeof(z));
		CHECK(inflateInit2(&z, 15 + 16) == Z_OK);
		z.next_in = (Bytef *)(uintptr_t)b;
		z.avail_in = (uInt)n;
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			rc = inflate(&z, Z_NO_FLUSH);
		} while (rc == Z_OK);
		inflateEnd(&z);
		CHECK(rc == Z_STREAM_END && z.avail_in == 0);
		return;
	}
	if (charset == NULL)
		return;
	if (strcmp(charset, "utf-8") == 0) {
		CHECK(text_is_utf8(b, n));
		CHECK(!fuzz_has_bidi(b, n));
	} else
		for (i = 0; i < n; i++)
			CHECK((unsigned char)b[i] < 0x80);
}

/* Equal keys, equal answers: remember each key's answer. */
static void
check_key(const char *key, long klen, const struct buf *t, int status)
{
	uint64_t	 h = web_digest(WEB_DIGEST_INIT, t->data, t->len);
	uint64_t	 kh = web_digest(WEB_DIGEST_INIT, key, (size_t)klen);
	struct seen	*s = &seen[kh % KEYS];

	if (s->key != NULL && s->len == (size_t)klen &&
	    memcmp(s->key, key, (size_t)klen) == 0) {
		CHECK(s->answer == h && s->status == status);
		return;
	}
	free(s->key);
	if ((s->key = malloc((size_t)klen + 1)) == NULL)
		abort();
	memcpy(s->key, key, (size_t)klen);
	s->len = (size_t)klen;
	s->answer = h;
	s->status = status;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char	 key[HTTP_CACHE_KEY_MAX];
	struct buf	 a = BUF_INIT, b = BUF_INIT, p = BUF_INIT;
	const char	*req = (const char *)data, *charset;
	size_t		 hlen;
	long		 n, klen, clen;
	int		 status, gz, keep, i;

	setup();
	n = http_request_complete(req, size);
	CHECK(n >= -1 && n <= HTTP_HEAD_MAX && (n <= 0 || (size_t)n <= size));
	if (n > 0) {
		CHECK(req[n - 1] == '\n');
		CHECK(http_request_complete(req, (size_t)n - 1) == 0);
	}
	status = http_respond(req, size, &conf, st, &a);
	CHECK(!a.failed && is_defined(status));
	hlen = check_head(&a, &clen, &gz, &charset);
	if (status == 304)
		CHECK(clen == -1 && a.len == hlen);
	else {
		CHECK(clen >= 0);
		CHECK(a.len == hlen || (size_t)clen == a.len - hlen);
		if (a.len > hlen)
			check_body(a.data + hlen, a.len - hlen, gz, charset);
	}

	/* Nothing after the head counts: not a body, not a request. */
	if (n > 0 && (size_t)n < size) {
		i = http_respond(req, (size_t)n, &conf, st, &b);
		CHECK(i == status && b.len == a.len &&
		    memcmp(a.data, b.data, a.len) == 0);
	}

	klen = http_cache_key(req, size, &conf, key);
	CHECK(klen >= -1 && klen <= HTTP_CACHE_KEY_MAX);
	if (klen >= 0)
		check_key(key, klen, &a, status);

	keep = http_prelude(&p, req, size, status, 0, 1);
	CHECK(keep == 0 || keep == 1);
	CHECK(p.len > 12 && memcmp(p.data, "HTTP/1.1 ", 9) == 0);
	CHECK(p.data[p.len - 1] == '\n' && p.data[p.len - 2] == '\r');
	if (status == 400 || status == 431 || status == 414 || status == 505)
		CHECK(keep == 0);
	buf_release(&a);
	buf_release(&b);
	buf_release(&p);
	return 0;
}
