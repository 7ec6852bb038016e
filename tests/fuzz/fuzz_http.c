/* griot: fuzz harness of the Gemini handler.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * libFuzzer entry point for gemini_request_complete() and gemini_respond()
 * on the store in tests/data, asserting the protocol's invariants: a
 * defined status, a well-formed header (two digits, space, META of at
 * most 1024 bytes, CRLF), a body only after 2x, UTF-8 output, LF-only
 * gemtext, no bidirectional control or line separator echoed, and
 * nothing after the first CRLF changing the answer: the header matches
 * ^[1-6][0-9] [^\r\n]*\r\n$ (no NUL either).  A request is complete
 * at its first CRLF, refused (-1) at a bare LF before it.  Built with
 * --enable-fuzzing it is a libFuzzer target; otherwise replay.c replays
 * tests/fuzz/corpus/gemini/ through it under make check.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "gemini.h"
#include "store.h"
#include "text.h"
#include "invariants.h"

#define S(x)	((char *)(uintptr_t)(x))	/* a literal in a char * field */

#ifndef TESTDATA
#define TESTDATA	"tests/data"
#endif

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static struct conf	 conf;
static struct store	*st;

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
	conf.gemini_port = conf.gemini_public_port = 1965;
	memset(&so, 0, sizeof(so));
	so.dir = dir;
	so.pages = pages;
	so.french_spacing = 1;
	if ((st = store_open(&so, NULL, NULL)) == NULL)
		abort();
}

static int
is_defined(int s)
{
	static const int defined[] = { 10, 11, 20, 30, 31, 40, 41, 42, 43,
	    44, 50, 51, 52, 53, 59, 60, 61, 62 };
	size_t		 i;

	for (i = 0; i < sizeof(defined) / sizeof(defined[0]); i++)
		if (defined[i] == s)
			return 1;
	return 0;
}

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct buf	 a = BUF_INIT, b = BUF_INIT;
	const char	*req = (const char *)data, *crlf;
	size_t		 hlen;
	long		 n;
	int		 status, status2;

	setup();
	n = gemini_request_complete(req, size);
	CHECK(n >= -1 && n <= GEMINI_URL_MAX + 2 && (size_t)(n > 0 ? n : 0) <= size);
	crlf = memchr(req, '\n', size < GEMINI_URL_MAX + 2 ? size :
	    GEMINI_URL_MAX + 2);
	if (crlf == NULL)
		CHECK(n == (size >= GEMINI_URL_MAX + 2 ? -1 : 0));
	else if (crlf > req && crlf[-1] == '\r')
		CHECK(n == crlf - req + 1);
	else
		CHECK(n == -1);
	status = gemini_respond(req, size, &conf, st, &a);
	CHECK(!a.failed && a.len >= 5);
	CHECK(is_defined(status));
	CHECK(a.data[0] == '0' + status / 10 && a.data[1] == '0' + status % 10);
	CHECK(a.data[2] == ' ');
	crlf = memchr(a.data, '\n', a.len);
	CHECK(crlf != NULL && crlf > a.data + 3 && crlf[-1] == '\r');
	hlen = (size_t)(crlf - a.data) + 1;
	CHECK(hlen - 5 <= GEMINI_META_MAX);
	CHECK(memchr(a.data, '\r', hlen - 2) == NULL);
	CHECK(memchr(a.data, '\0', hlen) == NULL);
	CHECK(text_is_utf8(a.data, a.len));
	CHECK(!fuzz_has_bidi(a.data, a.len));
	if (status / 10 != 2)
		CHECK(a.len == hlen);
	else if (strncmp(a.data + 3, "text/gemini", 11) == 0)
		CHECK(a.len > hlen && memchr(a.data + hlen, '\r', a.len - hlen)
		    == NULL && a.data[a.len - 1] == '\n');

	/* What follows the first CRLF never matters. */
	if (n > 0) {
		status2 = gemini_respond(req, (size_t)n, &conf, st, &b);
		CHECK(status2 == status && b.len == a.len &&
		    memcmp(a.data, b.data, a.len) == 0);
	}
	buf_release(&a);
	buf_release(&b);
	return 0;
}
