/* griot: unit tests of the URL pieces.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The percent-decoder in each of its modes (strict or lenient, %00
 * refused or kept), and the gemini:// writer with DNS names, IPv4 and
 * IPv6 literals, the default and other ports.
 */

#include "griot-config.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "url.h"
#include "tap.h"

#define ALL	(URL_NO_NUL | URL_STRICT)

static const struct decode_case {
	const char	*in;
	int		 flags;
	int		 rc;
	const char	*want;
	size_t		 wlen;
} decode_cases[] = {
	{ "", ALL, 0, "", 0 },
	{ "plain", ALL, 0, "plain", 5 },
	{ "a%20b", ALL, 0, "a b", 3 },
	{ "%C3%A9t%c3%a9", ALL, 0, "\xC3\xA9t\xC3\xA9", 5 },
	{ "%2F%2f", ALL, 0, "//", 2 },
	{ "%25", ALL, 0, "%", 1 },
	{ "%2525", ALL, 0, "%25", 3 },	/* decoded once, never twice */
	{ "%00", ALL, -1, NULL, 0 },
	{ "%00", URL_STRICT, 0, "\0", 1 },
	{ "a%00b", 0, 0, "a\0b", 3 },
	{ "%", ALL, -1, NULL, 0 },
	{ "%4", ALL, -1, NULL, 0 },
	{ "%G0", ALL, -1, NULL, 0 },
	{ "%0G", ALL, -1, NULL, 0 },
	{ "a%", URL_NO_NUL, 0, "a%", 2 },
	{ "%4", 0, 0, "%4", 2 },
	{ "%zz%41", 0, 0, "%zzA", 4 },
	{ "%%41", 0, 0, "%A", 2 },
	{ "%09words", 0, 0, "\twords", 6 },
};

static void
test_decode(void)
{
	const struct decode_case	*c;
	char				 out[64], what[128];
	size_t				 i, n;
	int				 rc;

	for (i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		c = &decode_cases[i];
		tap_snprintf(what, sizeof(what), "url_decode \"%s\" flags %d",
		    c->in, c->flags);
		rc = url_decode(out, &n, c->in, strlen(c->in), c->flags);
		if (c->rc == -1) {
			is_int(rc, -1, what);
			continue;
		}
		if (is_int(rc, 0, what))
			is_mem(out, n, c->want, c->wlen, c->in, what);
	}

	/* Only "n" bytes are read: a NUL-free slice of a longer string. */
	rc = url_decode(out, &n, "%41%42", 3, ALL);
	ok(rc == 0 && n == 1 && out[0] == 'A', "url_decode reads n bytes only");
	rc = url_decode(out, &n, "%41%42", 4, ALL);
	is_int(rc, -1, "url_decode: an escape cut by n is truncated");
}

static const struct gemini_case {
	const char	*host;
	int		 port;
	const char	*path;
	const char	*want;		/* NULL: -1 */
} gemini_cases[] = {
	{ "example.org", 1965, "/", "gemini://example.org/" },
	{ "example.org", 1966, "/a.gmi", "gemini://example.org:1966/a.gmi" },
	{ "example.org", 443, "", "gemini://example.org:443" },
	{ "192.0.2.1", 1965, "/", "gemini://192.0.2.1/" },
	{ "::1", 1965, "/", "gemini://[::1]/" },
	{ "::1", 11965, "/atom.xml", "gemini://[::1]:11965/atom.xml" },
	{ "2001:db8::7", 1965, "/x", "gemini://[2001:db8::7]/x" },
	{ "[::1]", 1965, "/", "gemini://[::1]/" },
	{ "[::1]", 1970, "/", "gemini://[::1]:1970/" },
	{ "localhost", 1, "/", "gemini://localhost:1/" },
	{ "localhost", 65535, "/", "gemini://localhost:65535/" },
	{ "localhost", 0, "/", NULL },
	{ "localhost", 65536, "/", NULL },
	{ "localhost", -1965, "/", NULL },
};

static void
test_gemini(void)
{
	const struct gemini_case	*c;
	struct buf			 b = BUF_INIT;
	char				 what[128];
	size_t				 i;
	int				 rc;

	for (i = 0; i < sizeof(gemini_cases) / sizeof(gemini_cases[0]); i++) {
		c = &gemini_cases[i];
		tap_snprintf(what, sizeof(what), "url_gemini %s port %d %s",
		    c->host, c->port, c->path);
		buf_reset(&b);
		rc = url_gemini(&b, c->host, c->port, c->path);
		if (c->want == NULL) {
			is_int(rc, -1, what);
			continue;
		}
		if (is_int(rc, 0, what))
			is_str(b.data, c->want, c->host, what);
	}

	/* Appends: what the buffer held stays in front. */
	buf_reset(&b);
	buf_puts(&b, "URL:");
	rc = url_gemini(&b, "::1", 1965, "/");
	ok(rc == 0 && strcmp(b.data, "URL:gemini://[::1]/") == 0,
	    "url_gemini appends to the buffer");
	buf_release(&b);
}

int
main(void)
{
	test_decode();
	test_gemini();
	return tap_done();
}
