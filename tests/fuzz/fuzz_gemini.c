/* griot: fuzz harness of the Gemini handler.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * libFuzzer entry point for gemini_request_complete() and gemini_respond()
 * on the store in tests/data, asserting the protocol's invariants: a
 * defined status, a well-formed header (two digits, space, META of at
 * most 1024 bytes, CRLF), a body only after 2x, UTF-8 output, LF-only
 * gemtext, and nothing after the first CRLF changing the answer.
 * Without --enable-fuzzing, main() replays the built-in seeds and any
 * files named on the command line, as TAP.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "gemini.h"
#include "store.h"
#include "text.h"

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
	status = gemini_respond(req, size, &conf, st, &a);
	CHECK(!a.failed && a.len >= 5);
	CHECK(is_defined(status));
	CHECK(a.data[0] == '0' + status / 10 && a.data[1] == '0' + status % 10);
	CHECK(a.data[2] == ' ');
	crlf = strstr(a.data, "\r\n");
	CHECK(crlf != NULL);
	hlen = (size_t)(crlf - a.data) + 2;
	CHECK(hlen - 5 <= GEMINI_META_MAX);
	CHECK(memchr(a.data, '\n', hlen - 1) == NULL);
	CHECK(text_is_utf8(a.data, a.len));
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

#ifndef GRIOT_FUZZING
static const char *const seeds[] = {
	"gemini://localhost/\r\n",
	"gemini://localhost\r\n",
	"gemini://localhost/articles/2024-11-28-gpsa-paix-securite.gmi\r\n",
	"gemini://localhost/categories\r\n",
	"gemini://localhost/categories/a-la-une.gmi\r\n",
	"gemini://localhost/archive/2026-02.gmi\r\n",
	"gemini://localhost/search\r\n",
	"gemini://localhost/search?s%C3%A9curit%C3%A9%20paix\r\nrest",
	"gemini://localhost/atom.xml\r\n",
	"gemini://localhost/robots.txt\r\n",
	"gemini://localhost/pages/a-propos.gmi\r\n",
	"gemini://localhost/%2e%2e/%2F/../x\r\n",
	"gemini://u@localhost:1965/#f\r\n",
	"https://localhost/\r\n",
	"gemini://[::1]:x/\r\n",
	"\xef\xbb\xbfgemini://localhost/\r\n",
	"gemini://localhost/\xc3\r\n",
	"gemini://localhost/search?%\r\n",
	"gemini://localhost/search?%C2%9A\r\n",	/* found by the fuzzer */
	"\r\n",
	"gemini://localhost/\n",
};

static int
replay(const char *what, const unsigned char *d, size_t n, int i)
{
	LLVMFuzzerTestOneInput(d, n);
	printf("ok %d - %s\n", i, what);
	return i + 1;
}

int
main(int argc, char *argv[])
{
	unsigned char	 buf[8192];
	FILE		*fp;
	size_t		 i, n;
	int		 t = 1, j;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		t = replay("built-in seed", (const unsigned char *)seeds[i],
		    strlen(seeds[i]), t);
	for (j = 1; j < argc; j++) {
		if ((fp = fopen(argv[j], "rb")) == NULL) {
			printf("not ok %d - %s: cannot open\n", t++, argv[j]);
			continue;
		}
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		t = replay(argv[j], buf, n, t);
	}
	printf("1..%d\n", t - 1);
	store_unref(st);
	return 0;
}
#endif
