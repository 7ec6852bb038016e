/* griot: unit tests of the Gemini side.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * gemini_respond() called directly, with a struct conf filled by hand and
 * a store read from tests/data: one check per status-code case (the exact
 * bytes of the header, and nothing after it unless 2x), then the pages
 * byte for byte where the renderer alone decides them.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "atom.h"
#include "buf.h"
#include "config.h"
#include "gemini.h"
#include "gemtext.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "tap.h"

#ifndef TESTDATA
#define TESTDATA	"tests/data"
#endif

#define S(x)	((char *)(uintptr_t)(x))	/* a literal in a char * field */
#define GPSA	"2024-11-28-gpsa-paix-securite"

static struct conf	 conf;
static struct store	*st;

/* A response, and where its body starts (after the first CRLF). */
struct resp {
	struct buf	 b;
	int		 status;
	size_t		 hlen;
};

static void
ask(struct resp *r, const char *req, size_t len)
{
	const char	*crlf;

	buf_init(&r->b);
	r->status = gemini_respond(req, len, &conf, st, &r->b);
	crlf = r->b.data != NULL ? strstr(r->b.data, "\r\n") : NULL;
	r->hlen = crlf != NULL ? (size_t)(crlf - r->b.data) + 2 : r->b.len;
}

static void
askz(struct resp *r, const char *req)
{
	ask(r, req, strlen(req));
}

static const char *
body(const struct resp *r)
{
	return r->b.data + r->hlen;
}

static size_t
bodylen(const struct resp *r)
{
	return r->b.len - r->hlen;
}

/* Status-code cases: the whole answer is the header alone. */
struct exact {
	const char	*req;
	size_t		 len;		/* 0: strlen(req) */
	int		 status;
	const char	*want;		/* the complete answer */
	const char	*what;
};

static const struct exact exacts[] = {
	{ "\r\n", 0, 59,
	  "59 Requête invalide : une URL absolue gemini:// est attendue\r\n",
	  "empty line: 59" },
	{ "/\r\n", 0, 59,
	  "59 Requête invalide : une URL absolue gemini:// est attendue\r\n",
	  "relative URL: 59" },
	{ "articles/x.gmi\r\n", 0, 59,
	  "59 Requête invalide : une URL absolue gemini:// est attendue\r\n",
	  "relative path: 59" },
	{ "//griot.example/\r\n", 0, 59,
	  "59 Requête invalide : une URL absolue gemini:// est attendue\r\n",
	  "no scheme (//host/): 59" },
	{ "gemini:/griot.example/\r\n", 0, 59,
	  "59 Requête invalide : une URL absolue gemini:// est attendue\r\n",
	  "no authority: 59" },
	{ "gemini:///\r\n", 0, 59,
	  "59 Requête invalide : une URL absolue gemini:// est attendue\r\n",
	  "empty host: 59" },
	{ "gemini://griot.example/\xff\r\n", 0, 59,
	  "59 Requête invalide : URL qui n’est pas en UTF-8\r\n",
	  "invalid UTF-8: 59" },
	{ "gemini://griot.example/\xc3\x28\r\n", 0, 59,
	  "59 Requête invalide : URL qui n’est pas en UTF-8\r\n",
	  "truncated UTF-8 sequence: 59" },
	{ "\xef\xbb\xbfgemini://griot.example/\r\n", 0, 59,
	  "59 Requête invalide\r\n",
	  "leading BOM: 59" },
	{ "gemini://user@griot.example/\r\n", 0, 59,
	  "59 Requête invalide : identifiant (user@) interdit dans l’URL\r\n",
	  "userinfo: 59" },
	{ "gemini://griot.example/#top\r\n", 0, 59,
	  "59 Requête invalide : fragment (#) interdit\r\n",
	  "fragment: 59" },
	{ "gemini://griot.example/search?a#b\r\n", 0, 59,
	  "59 Requête invalide : fragment (#) interdit\r\n",
	  "fragment after a query: 59" },
	{ "gemini://griot.example/a%00b\r\n", 0, 59,
	  "59 Requête invalide : encodage %XX incorrect\r\n",
	  "%00 in the path: 59" },
	{ "gemini://griot.example/search?a%00\r\n", 0, 59,
	  "59 Requête invalide : encodage %XX incorrect\r\n",
	  "%00 in the query: 59" },
	{ "gemini://griot.example/a%4\r\n", 0, 59,
	  "59 Requête invalide : encodage %XX incorrect\r\n",
	  "truncated escape: 59" },
	{ "gemini://griot.example/a%zz\r\n", 0, 59,
	  "59 Requête invalide : encodage %XX incorrect\r\n",
	  "non-hex escape: 59" },
	{ "gemini://griot.example/s%E9curit%E9\r\n", 0, 59,
	  "59 Requête invalide : URL qui n’est pas en UTF-8\r\n",
	  "a path decoding to invalid UTF-8 still: 59" },
	{ "gemini://griot.example/a b\r\n", 0, 59,
	  "59 Requête invalide\r\n",
	  "raw space: 59" },
	{ "gemini://griot.example/a\tb\r\n", 0, 59,
	  "59 Requête invalide\r\n",
	  "raw TAB: 59" },
	{ "gemini://griot.example/\0x\r\n",
	  sizeof("gemini://griot.example/\0x\r\n") - 1, 59,
	  "59 Requête invalide\r\n",
	  "raw NUL: 59" },
	{ "gemini://griot.example/\n", 0, 59,
	  "59 Requête invalide\r\n",
	  "line ended by LF alone: 59" },
	{ "gemini://griot.example/", 0, 59,
	  "59 Requête invalide\r\n",
	  "no CRLF at all: 59" },
	{ "gemini://griot.example:x/\r\n", 0, 59,
	  "59 Requête invalide\r\n",
	  "non-numeric port: 59" },
	{ "gemini://griot.example:99999/\r\n", 0, 59,
	  "59 Requête invalide\r\n",
	  "port out of range: 59" },
	{ "gemini://griot.example/../\r\n", 0, 59,
	  "59 Requête invalide : segments « . » et « .. » interdits\r\n",
	  "'..' segment: 59" },
	{ "gemini://griot.example/articles/../robots.txt\r\n", 0, 59,
	  "59 Requête invalide : segments « . » et « .. » interdits\r\n",
	  "'..' inside the tree: 59, never resolved" },
	{ "gemini://griot.example/./\r\n", 0, 59,
	  "59 Requête invalide : segments « . » et « .. » interdits\r\n",
	  "'.' segment: 59" },
	{ "gemini://griot.example/%2e%2E/etc/passwd\r\n", 0, 59,
	  "59 Requête invalide : segments « . » et « .. » interdits\r\n",
	  "percent-encoded '..': 59" },
	{ "gemini://griot.example/articles/..\r\n", 0, 59,
	  "59 Requête invalide : segments « . » et « .. » interdits\r\n",
	  "final '..': 59" },
	{ "https://griot.example/\r\n", 0, 53,
	  "53 Requête refusée : cette capsule ne sert que des URL gemini://\r\n",
	  "https scheme: 53" },
	{ "gopher://griot.example/\r\n", 0, 53,
	  "53 Requête refusée : cette capsule ne sert que des URL gemini://\r\n",
	  "gopher scheme: 53" },
	{ "http://example.org/\r\n", 0, 53,
	  "53 Requête refusée : cette capsule ne sert que des URL gemini://\r\n",
	  "proxy request for the web: 53" },
	{ "gemini://example.org/\r\n", 0, 53,
	  "53 Requête refusée : cette capsule ne sert pas cet hôte ou ce port\r\n",
	  "another host: 53" },
	{ "gemini://griot.example.org/\r\n", 0, 53,
	  "53 Requête refusée : cette capsule ne sert pas cet hôte ou ce port\r\n",
	  "a longer host: 53" },
	{ "gemini://griot.example:1966/\r\n", 0, 53,
	  "53 Requête refusée : cette capsule ne sert pas cet hôte ou ce port\r\n",
	  "another port: 53" },
	{ "gemini://griot.example/nope\r\n", 0, 51,
	  "51 Page introuvable\r\n", "unknown path: 51" },
	{ "gemini://griot.example/articles/nope.gmi\r\n", 0, 51,
	  "51 Page introuvable\r\n", "unknown article: 51" },
	{ "gemini://griot.example/articles/" GPSA "\r\n", 0, 51,
	  "51 Page introuvable\r\n", "article without .gmi: 51" },
	{ "gemini://griot.example/articles/" GPSA ".gmi/\r\n", 0, 51,
	  "51 Page introuvable\r\n", "article with a trailing slash: 51" },
	{ "gemini://griot.example/articles/.gmi\r\n", 0, 51,
	  "51 Page introuvable\r\n", "empty article id: 51" },
	{ "gemini://griot.example/articles//" GPSA ".gmi\r\n", 0, 51,
	  "51 Page introuvable\r\n", "empty segment: 51" },
	{ "gemini://griot.example/articles%2F" GPSA ".gmi\r\n", 0, 51,
	  "51 Page introuvable\r\n", "%2F never makes a slash: 51" },
	{ "gemini://griot.example/articles/..%2F..%2Fetc%2Fpasswd\r\n", 0, 51,
	  "51 Page introuvable\r\n", "%2F climbing out: 51" },
	{ "gemini://griot.example/categories/nope.gmi\r\n", 0, 51,
	  "51 Page introuvable\r\n", "unknown category: 51" },
	{ "gemini://griot.example/archive/1999-01.gmi\r\n", 0, 51,
	  "51 Page introuvable\r\n", "unknown month: 51" },
	{ "gemini://griot.example/pages/nope.gmi\r\n", 0, 51,
	  "51 Page introuvable\r\n", "unknown page: 51" },
	{ "gemini://griot.example/search/\r\n", 0, 51,
	  "51 Page introuvable\r\n", "/search/: 51" },
	{ "gemini://griot.example/categories\r\n", 0, 31,
	  "31 gemini://griot.example/categories/\r\n",
	  "/categories: 31 to the slashed form" },
	{ "gemini://griot.example/archive\r\n", 0, 31,
	  "31 gemini://griot.example/archive/\r\n",
	  "/archive: 31 to the slashed form" },
	{ "gemini://griot.example/archive?x\r\n", 0, 31,
	  "31 gemini://griot.example/archive/\r\n",
	  "/archive?x: 31, the query dropped" },
	{ "gemini://griot.example/search\r\n", 0, 10,
	  "10 Rechercher dans les articles (mots ou débuts de mots)\r\n",
	  "/search: 10 prompt" },
	{ "gemini://griot.example/search?\r\n", 0, 10,
	  "10 Rechercher dans les articles (mots ou débuts de mots)\r\n",
	  "/search with an empty query: 10 again" },
};

/* Cases answered 20 with this exact header. */
struct header {
	const char	*req;
	const char	*want;
	const char	*what;
};

#define GEMTEXT_FR	"20 text/gemini; charset=utf-8; lang=fr\r\n"

static const struct header headers[] = {
	{ "gemini://griot.example/\r\n", GEMTEXT_FR, "/: 20" },
	{ "gemini://griot.example\r\n", GEMTEXT_FR, "empty path: 20, no redirect" },
	{ "gemini://griot.example?x\r\n", GEMTEXT_FR, "empty path, query: 20" },
	{ "GEMINI://GRIOT.Example:1965/\r\n", GEMTEXT_FR,
	  "scheme and host without case, explicit 1965: 20" },
	{ "gemini://griot.example:/\r\n", GEMTEXT_FR, "empty port: 20" },
	{ "gemini://griot.example./\r\n", GEMTEXT_FR, "final dot in host: 20" },
	{ "gemini://griot.example/\r\ngemini://x/\r\n", GEMTEXT_FR,
	  "bytes after the CRLF ignored: 20" },
	{ "gemini://griot.example/articles/" GPSA ".gmi\r\n", GEMTEXT_FR,
	  "article: 20" },
	{ "gemini://griot.example/%61rticles/" GPSA "%2Egmi\r\n", GEMTEXT_FR,
	  "percent-encoded letters decoded: 20" },
	{ "gemini://griot.example/categories/\r\n", GEMTEXT_FR, "categories: 20" },
	{ "gemini://griot.example/categories/a-la-une.gmi\r\n", GEMTEXT_FR,
	  "one category: 20" },
	{ "gemini://griot.example/archive/\r\n", GEMTEXT_FR, "archive: 20" },
	{ "gemini://griot.example/archive/2024-11.gmi\r\n", GEMTEXT_FR,
	  "one month: 20" },
	{ "gemini://griot.example/pages/a-propos.gmi\r\n", GEMTEXT_FR,
	  "static page: 20" },
	{ "gemini://griot.example/search?securite\r\n", GEMTEXT_FR,
	  "search results: 20" },
	{ "gemini://griot.example/search?%C2%9A\r\n", GEMTEXT_FR,
	  "search for a lone control character: 20" },
	{ "gemini://griot.example/atom.xml\r\n", "20 application/atom+xml\r\n",
	  "atom.xml: 20 application/atom+xml" },
	{ "gemini://griot.example/robots.txt\r\n",
	  "20 text/plain; charset=utf-8\r\n", "robots.txt: 20 text/plain" },
};

static void
test_exacts(void)
{
	struct resp	 r;
	size_t		 i, len;

	for (i = 0; i < sizeof(exacts) / sizeof(exacts[0]); i++) {
		len = exacts[i].len ? exacts[i].len : strlen(exacts[i].req);
		ask(&r, exacts[i].req, len);
		is_int(r.status, exacts[i].status, exacts[i].what);
		is_mem(r.b.data, r.b.len, exacts[i].want,
		    strlen(exacts[i].want), exacts[i].req, exacts[i].what);
		buf_release(&r.b);
	}
}

/* Every body line ends in LF alone; the body ends with one. */
static int
is_lf_only(const char *s, size_t n)
{
	return n > 0 && memchr(s, '\r', n) == NULL && s[n - 1] == '\n';
}

static void
test_headers(void)
{
	struct resp	 r;
	size_t		 i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		ask(&r, headers[i].req, strlen(headers[i].req));
		is_int(r.status, 20, headers[i].what);
		is_mem(r.b.data, r.hlen, headers[i].want,
		    strlen(headers[i].want), headers[i].req, headers[i].what);
		ok(is_lf_only(body(&r), bodylen(&r)),
		    "%s: a body, lines ended by LF", headers[i].what);
		buf_release(&r.b);
	}
}

static void
test_lengths(void)
{
	char		 req[GEMINI_URL_MAX + 64];
	const char	*prefix = "gemini://griot.example/";
	size_t		 n;
	struct resp	 r;

	/* A URL of exactly 1024 bytes is served (here: not found). */
	n = strlen(prefix);
	memcpy(req, prefix, n);
	memset(req + n, 'a', GEMINI_URL_MAX - n);
	memcpy(req + GEMINI_URL_MAX, "\r\n", 2);
	ask(&r, req, GEMINI_URL_MAX + 2);
	is_mem(r.b.data, r.b.len, "51 Page introuvable\r\n", 21, NULL,
	    "1024-byte URL: handled (51)");
	buf_release(&r.b);
	is_int(gemini_request_complete(req, GEMINI_URL_MAX + 2),
	    GEMINI_URL_MAX + 2, "1024-byte URL + CRLF: complete");

	/* 1025 bytes: 59, whether the caller saw the CRLF or not. */
	req[GEMINI_URL_MAX] = 'a';
	memcpy(req + GEMINI_URL_MAX + 1, "\r\n", 2);
	ask(&r, req, GEMINI_URL_MAX + 3);
	is_mem(r.b.data, r.b.len,
	    "59 Requête invalide : URL de plus de 1024 octets\r\n",
	    strlen("59 Requête invalide : URL de plus de 1024 octets\r\n"),
	    NULL, "1025-byte URL: 59");
	buf_release(&r.b);
	is_int(gemini_request_complete(req, GEMINI_URL_MAX + 3), -1,
	    "1025-byte URL: no CRLF can come in time");
	ask(&r, req, GEMINI_URL_MAX + 2);
	is_int(r.status, 59, "overlong prefix without CRLF: 59");
	buf_release(&r.b);

	is_int(gemini_request_complete("", 0), 0, "nothing yet: need more");
	is_int(gemini_request_complete("gemini://h/", 11), 0,
	    "no CRLF yet: need more");
	is_int(gemini_request_complete("gemini://h/\r", 12), 0,
	    "CR alone: need more");
	is_int(gemini_request_complete("gemini://h/\n", 12), -1,
	    "LF alone: no CRLF can come, 59 at once");
	is_int(gemini_request_complete("\n", 1), -1, "a bare LF first: 59");
	is_int(gemini_request_complete("gemini://h/\nx\r\n", 15), -1,
	    "a bare LF before the CRLF: 59");
	is_int(gemini_request_complete("gemini://h/\r\n\n", 14), 13,
	    "an LF after the CRLF is not the request's");
	is_int(gemini_request_complete("gemini://h/\r\nrest", 17), 13,
	    "CRLF found: length up to it");
	is_int(gemini_request_complete("\r\n", 2), 2, "empty line: complete");
	memset(req, 'a', GEMINI_URL_MAX + 2);
	is_int(gemini_request_complete(req, GEMINI_URL_MAX + 1), 0,
	    "1025 bytes without CRLF: a CRLF may still end a 1024-byte URL");
	is_int(gemini_request_complete(req, GEMINI_URL_MAX + 2), -1,
	    "1026 bytes without CRLF: too long");
}

static void
test_ports_and_lang(void)
{
	/*
	 * One tag (text_is_lang_tag()); config.c refuses anything else, and
	 * what is no tag (a list) never reaches the MIME type.
	 */
	static const struct {
		const char	*lang;
		const char	*want;
	} langs[] = {
		{ "zh-Hant-TW",
		  "20 text/gemini; charset=utf-8; lang=zh-Hant-TW\r\n" },
		{ "fr,en", "20 text/gemini; charset=utf-8\r\n" },
	};
	struct resp	 r;
	size_t		 i;

	/* Behind a proxy: the URL carries the public port. */
	conf.gemini_public_port = 11965;
	askz(&r, "gemini://griot.example/\r\n");
	is_mem(r.b.data, r.b.len,
	    "53 Requête refusée : cette capsule ne sert pas cet hôte ou ce port\r\n",
	    strlen("53 Requête refusée : cette capsule ne sert pas cet hôte ou ce port\r\n"),
	    NULL, "public port 11965, none in the URL: 53");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example:11965/\r\n");
	is_int(r.status, 20, "public port 11965 in the URL: 20");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example:11965/categories\r\n");
	is_str(r.b.data, "31 gemini://griot.example:11965/categories/\r\n", NULL,
	    "redirect keeps the public port");
	buf_release(&r.b);
	conf.gemini_public_port = 1965;

	conf.lang = S("en");
	conf.french_spacing = 0;
	askz(&r, "gemini://griot.example/nope\r\n");
	is_str(r.b.data, "51 Not found\r\n", NULL, "lang=en: English reason");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example/search\r\n");
	is_str(r.b.data,
	    "10 Search the articles (words or beginnings of words)\r\n", NULL,
	    "lang=en: English prompt");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example/categories/\r\n");
	is_mem(r.b.data, r.hlen,
	    "20 text/gemini; charset=utf-8; lang=en\r\n", 40, NULL,
	    "lang=en in the MIME type");
	ok(strncmp(body(&r), "# Categories\n", 13) == 0,
	    "lang=en: English words in pages");
	buf_release(&r.b);
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		conf.lang = S(langs[i].lang);
		askz(&r, "gemini://griot.example/archive/\r\n");
		is_mem(r.b.data, r.hlen, langs[i].want, strlen(langs[i].want),
		    langs[i].lang, "lang parameter of the MIME type");
		buf_release(&r.b);
	}
	conf.lang = S("fr");
	conf.french_spacing = 1;

	conf.hostname = S("::1");
	askz(&r, "gemini://[::1]/archive\r\n");
	is_str(r.b.data, "31 gemini://[::1]/archive/\r\n", NULL,
	    "IPv6 literal host: accepted, bracketed in URLs");
	buf_release(&r.b);
	conf.hostname = S("griot.example");

	askz(&r, "gemini://griot.example/\r\n");
	buf_release(&r.b);
	r.status = gemini_respond("gemini://griot.example/\r\n",
	    strlen("gemini://griot.example/\r\n"), &conf, NULL, &r.b);
	is_int(r.status, 41, "no store: 41");
	is_str(r.b.data, "41 Capsule indisponible pour le moment\r\n", NULL,
	    "no store: 41 header only");
	buf_release(&r.b);
}

static void
test_header_fn(void)
{
	struct buf	 b = BUF_INIT;
	char		 meta[GEMINI_META_MAX + 2];
	static const int defined[] = { 10, 11, 20, 30, 31, 40, 41, 42, 43,
	    44, 50, 51, 52, 53, 59, 60, 61, 62 };
	size_t		 i;
	int		 s, nok = 0;

	s = gemini_header(&b, 44, "60");
	is_int(s, 0, "gemini_header 44");
	is_str(b.data, "44 60\r\n", NULL, "44 header bytes");
	buf_reset(&b);
	for (s = 0; s < 100; s++) {
		int	 want = 0;

		for (i = 0; i < sizeof(defined) / sizeof(defined[0]); i++)
			if (defined[i] == s)
				want = 1;
		if ((gemini_header(&b, s, "x") == 0) == want)
			nok++;
	}
	is_int(nok, 100, "gemini_header accepts exactly the defined codes");
	buf_reset(&b);
	memset(meta, 'm', sizeof(meta) - 1);
	meta[GEMINI_META_MAX] = '\0';
	s = gemini_header(&b, 40, meta);
	is_int(s, 0, "1024-byte meta accepted");
	buf_reset(&b);
	meta[GEMINI_META_MAX] = 'm';
	meta[GEMINI_META_MAX + 1] = '\0';
	s = gemini_header(&b, 40, meta);
	is_int(s, -1, "1025-byte meta refused");
	is_int(b.len, 0, "refused header appends nothing");
	s = gemini_header(&b, 40, "a\r\nb");
	is_int(s, -1, "meta with CRLF refused");
	buf_release(&b);
}

/* Every link line of a listing that starts "=> /articles/" is a feed entry. */
static size_t
feed_entries(const char *s, int *bad)
{
	const char	*p, *e;
	size_t		 n = 0;

	*bad = 0;
	for (p = s; (p = strstr(p, "\n=> /articles/")) != NULL; p++) {
		n++;
		p += strlen("\n=> /articles/");
		e = strchr(p, ' ');
		if (e == NULL || e - p < 5 || strncmp(e - 4, ".gmi", 4) != 0 ||
		    strlen(e) < 12 || e[5] != '-' || e[8] != '-' || e[11] != ' ')
			*bad = 1;
	}
	return n;
}

static void
test_pages(void)
{
	struct resp	 r;
	int		 bad;
	const char	*want;

	askz(&r, "gemini://griot.example/\r\n");
	ok(strncmp(body(&r), "# Capsule de test\n\nUne capsule de test\xc2\xa0: "
	    "\xc2\xab\xc2\xa0" "essai\xe2\x80\xaf\xc2\xbb.\n\n## Articles récents\n\n",
	    strlen("# Capsule de test\n\nUne capsule de test\xc2\xa0: "
	    "\xc2\xab\xc2\xa0" "essai\xe2\x80\xaf\xc2\xbb.\n\n## Articles récents\n\n"))
	    == 0, "home: name, description with French spacing, heading");
	is_int(feed_entries(body(&r), &bad), 7, "home: 7 dated article links");
	ok(!bad, "home: each is '=> /articles/ID.gmi YYYY-MM-DD Title'");
	ok(strstr(body(&r), "\n=> /articles/2026-02-01-incendie-marche-"
	    "hedzranawoe.gmi 2026-02-01 Togo\xc2\xa0: un incendie") != NULL,
	    "home: newest first, title with the store's spacing");
	ok(strstr(body(&r), "\n=> /categories/ Rubriques\n=> /archive/ Archives\n"
	    "=> /search Rechercher\n=> /atom.xml Flux Atom\n") != NULL,
	    "home: links to categories, archive, search, feed");
	ok(strstr(body(&r), "\n## Pages\n\n=> /pages/a-propos.gmi À propos\n")
	    != NULL, "home: static pages");
	buf_release(&r.b);

	conf.latest = 3;
	askz(&r, "gemini://griot.example/\r\n");
	is_int(feed_entries(body(&r), &bad), 3, "home: latest = 3 honoured");
	buf_release(&r.b);
	conf.latest = 10;

	askz(&r, "gemini://griot.example/articles/" GPSA ".gmi\r\n");
	want = "# Pour la paix et la sécurité, le ministre Robert Dussey veut "
	    "créer un cadre fédérateur\n\n"
	    "Publié le 28 novembre 2024\n"
	    "Par AKAKPO K. Moïse et Marc GNAZOU\n"
	    "=> /categories/a-la-une.gmi Rubrique\xc2\xa0: A la une\n"
	    "Mots-clés\xc2\xa0: paix, sécurité, Togo, GPSA, diplomatie\n\n"
	    "Le 28 novembre 2024, le projet ambitieux dénommé Global Peace and "
	    "Security Alliance (GPSA) marque une nouvelle ère pour le Togo, "
	    "renforçant son engagement en faveur de la paix et de la sécurité "
	    "internationales. Cette initiative a été célébrée par le ministre "
	    "des Affaires étrangères, Robert Dussey, en collaboration avec "
	    "plusieurs forums mondiaux spécialisés.\n\nL’objectif";
	is_mem(body(&r), bodylen(&r) < strlen(want) ? bodylen(&r) :
	    strlen(want), want, strlen(want), NULL,
	    "article: title, date, authors, category link, tags, body");
	want = "\n\n=> /categories/a-la-une.gmi Autres articles de la rubrique "
	    "\xc2\xab\xc2\xa0" "A la une\xe2\x80\xaf\xc2\xbb\n"
	    "=> / Retour à l’accueil\n";
	ok(bodylen(&r) > strlen(want) && memcmp(body(&r) + bodylen(&r) -
	    strlen(want), want, strlen(want)) == 0,
	    "article: ends with links to its category and home");
	buf_release(&r.b);

	askz(&r, "gemini://griot.example/robots.txt\r\n");
	is_str(body(&r),
	    "# Rules for automated Gemini clients (robots.txt companion"
	    " specification).\n"
	    "# Search results are an endless space of pages: bots keep out.\n"
	    "User-agent: *\nDisallow: /search\n", NULL, "robots.txt body");
	buf_release(&r.b);

	askz(&r, "gemini://griot.example/pages/a-propos.gmi\r\n");
	ok(strncmp(body(&r), "# À propos\n\ngriot publie", 25) == 0,
	    "static page: its own gemtext");
	ok(strstr(body(&r), "\n* Gemini\xc2\xa0: un client comme") != NULL,
	    "static page: French spacing on its text lines");
	ok(strstr(body(&r), "\n=> gemini://localhost/ Accueil de la capsule\n")
	    != NULL, "static page: link line kept");
	buf_release(&r.b);

	askz(&r, "gemini://griot.example/search?s%C3%A9curit%C3%A9\r\n");
	ok(strncmp(body(&r), "# Recherche\xc2\xa0: \xc2\xab\xc2\xa0sécurité"
	    "\xe2\x80\xaf\xc2\xbb\n\n", strlen("# Recherche\xc2\xa0: "
	    "\xc2\xab\xc2\xa0sécurité\xe2\x80\xaf\xc2\xbb\n\n")) == 0,
	    "search: the decoded query in the heading");
	ok(strstr(body(&r), "=> /articles/" GPSA ".gmi 2024-11-28 Pour la paix")
	    != NULL, "search: 'sécurité' finds the GPSA article");
	ok(strstr(body(&r), "\n=> /search Nouvelle recherche\n") != NULL,
	    "search: link to a new search");
	buf_release(&r.b);

	/* Input from a machine that writes Latin-1: read as Latin-1. */
	{
		struct resp	 u;

		askz(&u, "gemini://griot.example/search?s%E9curit%E9\r\n");
		askz(&r, "gemini://griot.example/search?s%C3%A9curit%C3%A9"
		    "\r\n");
		is_int(u.status, GEMINI_SUCCESS,
		    "search?s%E9curit%E9 (Latin-1, not UTF-8): 20");
		ok(u.b.len == r.b.len && memcmp(u.b.data, r.b.data,
		    r.b.len) == 0, "... the same answer as in UTF-8");
		buf_release(&u.b);
		buf_release(&r.b);
	}

	/*
	 * A search that runs out of memory is a temporary failure, not
	 * "nothing found": 40, which conn.c never caches.
	 */
	search_fail_next(1);
	askz(&r, "gemini://griot.example/search?securite\r\n");
	is_int(r.status, GEMINI_TEMPORARY_FAILURE, "search out of memory: 40");
	is_str(r.b.data, "40 Erreur temporaire : réessayez plus tard\r\n",
	    "search?securite, out of memory", "... its whole answer");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example/search?securite\r\n");
	ok(r.status == GEMINI_SUCCESS && strstr(body(&r), GPSA) != NULL,
	    "the next search is answered again");
	buf_release(&r.b);

	askz(&r, "gemini://griot.example/search?zzzzzz\r\n");
	ok(strstr(body(&r), "\nAucun article trouvé.\n") != NULL,
	    "search without match: says so");
	buf_release(&r.b);

	askz(&r, "gemini://griot.example/categories/\r\n");
	ok(strstr(body(&r), "\n=> /categories/a-la-une.gmi A la une (1 article)\n")
	    != NULL, "categories: slug link, name, count");
	buf_release(&r.b);

	askz(&r, "gemini://griot.example/archive/\r\n");
	ok(strstr(body(&r), "\n=> /archive/2024.gmi 2024 (1 article)\n")
	    != NULL, "archive: year link, year, count");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example/archive/2024.gmi\r\n");
	ok(strstr(body(&r), "\n=> /archive/2024-11.gmi novembre 2024 (1 article)\n")
	    != NULL, "archive of a year: month link, month name, count");
	buf_release(&r.b);

	askz(&r, "gemini://griot.example/archive/2026-02.gmi\r\n");
	ok(strncmp(body(&r), "# Archives\xc2\xa0: février 2026\n\n=> /articles/",
	    strlen("# Archives\xc2\xa0: février 2026\n\n=> /articles/")) == 0,
	    "one month: heading and its articles");
	is_int(feed_entries(body(&r), &bad), 3, "one month: 3 articles");
	buf_release(&r.b);

	askz(&r, "gemini://griot.example/atom.xml\r\n");
	ok(strncmp(body(&r), "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n"
	    "  <id>gemini://griot.example/</id>\n", 130) == 0,
	    "atom: namespace, language, id");
	ok(strstr(body(&r), "  <updated>2026-02-01T21:30:00Z</updated>\n") != NULL,
	    "atom: updated is the newest article's time");
	ok(strstr(body(&r), "<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"gemini://griot.example/atom.xml\"/>") != NULL,
	    "atom: self link");
	ok(strstr(body(&r), "<id>gemini://griot.example/articles/" GPSA
	    ".gmi</id>") != NULL, "atom: entry id is the gemini URL");
	buf_release(&r.b);
}

/* The renderer alone on a hand-made article: every block type. */
static void
test_blocks(void)
{
	struct block	 bl[] = {
		{ BLOCK_PARAGRAPH, S("Un paragraphe."), NULL, NULL },
		{ BLOCK_PARAGRAPH, S("=>pas un lien"), NULL, NULL },
		{ BLOCK_HEADING2, S("Intertitre"), NULL, NULL },
		{ BLOCK_QUOTE, S("Citation 1"), NULL, NULL },
		{ BLOCK_QUOTE, S("Citation 2"), NULL, NULL },
		{ BLOCK_LIST, S("un"), NULL, NULL },
		{ BLOCK_LIST, S("deux"), NULL, NULL },
		{ BLOCK_LINK, S("Source"), S("https://example.org/a?b=1&c"), NULL },
		{ BLOCK_LINK, S(""), S("gemini://example.org/"), NULL },
		{ BLOCK_PRE, S("a  |  b\n\tc"), NULL, S("tableau") },
		{ BLOCK_HEADING3, S("Fin\nligne"), NULL, NULL },
	};
	struct article	 a;
	struct buf	 b = BUF_INIT;
	const char	*want;

	memset(&a, 0, sizeof(a));
	a.id = S("x");
	a.title = S("Titre");
	memcpy(a.date, "2026-03-01", 11);
	memcpy(a.time, "07:05", 6);
	a.blocks = bl;
	a.nblocks = sizeof(bl) / sizeof(bl[0]);
	ok(gemtext_article(&b, &conf, &a) == 0, "hand-made article renders");
	want = "# Titre\n\nPublié le 1er mars 2026 à 07:05\n\n"
	    "Un paragraphe.\n\n"
	    " =>pas un lien\n\n"
	    "## Intertitre\n\n"
	    "> Citation 1\n> Citation 2\n\n"
	    "* un\n* deux\n\n"
	    "=> https://example.org/a?b=1&c Source\n=> gemini://example.org/\n\n"
	    "```tableau\na  |  b\n\tc\n```\n\n"
	    "### Fin ligne\n\n"
	    "=> / Retour à l’accueil\n";
	is_str(b.data, want, NULL, "every block type, byte for byte");
	buf_release(&b);
}

/* The Source: header: a "Source" link at the end of the body. */
static void
test_source(void)
{
	struct block	 bl[] = {
		{ BLOCK_PARAGRAPH, S("Texte."), NULL, NULL },
		{ BLOCK_LINK, S("Lien"), S("https://ex.tg/lien"), NULL },
	};
	struct article	 a;
	struct buf	 b = BUF_INIT;

	memset(&a, 0, sizeof(a));
	a.id = S("x");
	a.title = S("Titre");
	memcpy(a.date, "2026-03-01", 11);
	a.source = S("https://ex.tg/original");
	a.blocks = bl;
	a.nblocks = 1;
	ok(gemtext_article(&b, &conf, &a) == 0, "article with Source renders");
	is_str(b.data, "# Titre\n\nPublié le 1er mars 2026\n\nTexte.\n\n"
	    "=> https://ex.tg/original Source\n\n=> / Retour à l’accueil\n",
	    NULL, "Source: a link after the body");
	buf_reset(&b);
	a.nblocks = 2;
	ok(gemtext_article(&b, &conf, &a) == 0, "Source after a link renders");
	is_str(b.data, "# Titre\n\nPublié le 1er mars 2026\n\nTexte.\n\n"
	    "=> https://ex.tg/lien Lien\n=> https://ex.tg/original Source\n\n"
	    "=> / Retour à l’accueil\n", NULL,
	    "Source: joins the links that end the body");
	buf_reset(&b);
	a.nblocks = 0;
	ok(gemtext_article(&b, &conf, &a) == 0, "Source without a body renders");
	is_str(b.data, "# Titre\n\nPublié le 1er mars 2026\n\n"
	    "=> https://ex.tg/original Source\n\n=> / Retour à l’accueil\n",
	    NULL, "Source: alone after the header");
	buf_release(&b);
}

static void
test_escape(void)
{
	struct buf	 b = BUF_INIT;

	atom_escape(&b, "a&b<c>\"d'\x01z", 11);
	is_str(b.data, "a&amp;b&lt;c&gt;&quot;d'z", NULL,
	    "XML escaping; C0 controls dropped");
	buf_reset(&b);
	/* What XML 1.0 forbids never reaches the feed, whoever wrote it. */
	atom_escape(&b, "T\xEF\xBF\xBE\xEF\xBF\xBF<\0\t\xFF", 11);
	is_str(b.data, "T\xEF\xBF\xBD\xEF\xBF\xBD&lt; \t\xEF\xBF\xBD", NULL,
	    "U+FFFE, U+FFFF, invalid UTF-8 as U+FFFD; NUL a space, TAB");
	ok(text_is_xml(b.data, b.len), "escaped text is XML text");
	buf_reset(&b);
	atom_escape(&b, "a\r\nb\xE2\x80\xAE", 7);
	is_str(b.data, "a\r\nb\xE2\x80\xAE", NULL,
	    "text XML can carry is left as it is");
	buf_release(&b);
}

/* Store problems show as TAP comments. */
static void
report(void *arg, int error, const char *msg)
{
	printf("# store %s: %s\n", error ? "error" : "warning", msg);
}

/* Lists cut into pages, page_size 2 (see test_gopher.c). */
static void
test_paged(void)
{
	static const char *const nopage[] = {
		"/categories/_/4.gmi", "/categories/_/0.gmi",
		"/categories/politique/2.gmi", "/archive/2026-01/3.gmi",
		"/archive/2026-01/0.gmi", "/archive/2026-01/01.gmi",
		"/archive/2026-01/-1.gmi", "/archive/2026-01/x.gmi",
		"/archive/2026-01/1000000000.gmi", "/archive/_/2.gmi",
		"/archive/1999.gmi", "/categories/nope/atom.xml",
		"/search/0?la", "/search/99?la", "/search/x?la",
	};
	struct resp	 r;
	char		 req[256];
	size_t		 i;

	conf.page_size = 2;
	askz(&r, "gemini://griot.example/categories/_/2.gmi\r\n");
	ok(strstr(body(&r), "\nPage 2 sur 3\n=> /categories/ Page "
	    "précédente\n=> /categories/_/3.gmi Page suivante\n") != NULL,
	    "categories, page 2: both links");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example/categories/politique.gmi\r\n");
	ok(strstr(body(&r), "\n=> /categories/politique/atom.xml ") != NULL &&
	    strstr(body(&r), "Page ") == NULL,
	    "category of one page: its feed, no page line");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example/categories/politique/atom.xml\r\n");
	ok(strncmp(r.b.data, "20 application/atom+xml\r\n", 25) == 0 &&
	    strstr(r.b.data, "<id>gemini://griot.example/categories/"
	    "politique.gmi</id>") != NULL, "category feed");
	buf_release(&r.b);
	askz(&r, "gemini://griot.example/archive/2026-01/2.gmi\r\n");
	ok(strstr(body(&r), "\nPage 2 sur 2\n=> /archive/2026-01.gmi Page "
	    "précédente\n") != NULL &&
	    strstr(body(&r), "\n=> /archive/2026.gmi Archives\xc2\xa0: "
	    "2026\n") != NULL, "month, page 2: back, and up to the year");
	buf_release(&r.b);
	conf.page_size = 1;
	askz(&r, "gemini://griot.example/search/2?la\r\n");
	ok(strstr(body(&r), "\n=> /search?la Page précédente\n=> /search/3?la "
	    "Page suivante\n") != NULL, "search, page 2");
	buf_release(&r.b);
	search_fail_next(1);
	askz(&r, "gemini://griot.example/search/2?la\r\n");
	is_int(r.status, GEMINI_TEMPORARY_FAILURE,
	    "search page 2 out of memory: 40");
	buf_release(&r.b);
	conf.page_size = 2;
	for (i = 0; i < sizeof(nopage) / sizeof(nopage[0]); i++) {
		if ((size_t)snprintf(req, sizeof(req),
		    "gemini://griot.example%s\r\n", nopage[i]) >= sizeof(req))
			continue;
		askz(&r, req);
		is_str(r.b.data, "51 Page introuvable\r\n", nopage[i],
		    "no such page: 51");
		buf_release(&r.b);
	}
	conf.page_size = 0;
}

int
main(void)
{
	struct article_report	 rep = { report, NULL };
	const char		*data = getenv("GRIOT_TESTDATA");
	char			 dir[4096], pages[4096], torture[4096];
	struct store_opts	 so;
	struct store_stats	 ss;
	struct store		*tst;
	struct resp		 r;
	const char		*req;

	if (data == NULL)
		data = TESTDATA;
	if ((size_t)snprintf(dir, sizeof(dir), "%s/articles", data) >=
	    sizeof(dir) ||
	    (size_t)snprintf(pages, sizeof(pages), "%s/pages", data) >=
	    sizeof(pages) ||
	    (size_t)snprintf(torture, sizeof(torture), "%s/torture", data) >=
	    sizeof(torture))
		return 1;

	memset(&conf, 0, sizeof(conf));
	conf.name = S("Capsule de test");
	conf.hostname = S("griot.example");
	conf.lang = S("fr");
	conf.description = S("Une capsule de test : « essai ».");
	conf.latest = 10;
	conf.french_spacing = 1;
	conf.gemini_enabled = 1;
	conf.gemini_port = 1965;
	conf.gemini_public_port = 1965;

	memset(&so, 0, sizeof(so));
	so.dir = dir;
	so.pages = pages;
	so.french_spacing = 1;
	st = store_open(&so, &rep, &ss);
	if (!ok(st != NULL, "store_open(%s)", dir))
		return tap_done();
	is_int(store_count(st), 7, "7 articles in tests/data/articles");

	test_exacts();
	test_headers();
	test_lengths();
	test_ports_and_lang();
	test_header_fn();
	test_pages();
	test_paged();
	test_blocks();
	test_source();
	test_escape();

	/* The torture store: a preformatted block comes out byte for byte. */
	so.dir = torture;
	so.pages = NULL;
	if ((tst = store_open(&so, &rep, &ss)) != NULL) {
		buf_init(&r.b);
		req = "gemini://griot.example/articles/2025-03-19-"
		    "paragraphes-et-preformate.gmi\r\n";
		gemini_respond(req, strlen(req), &conf, tst, &r.b);
		ok(strstr(r.b.data, "\n\nCe paragraphe a été coupé à la main, "
		    "comme dans un courriel, et doit être rejoint en une seule "
		    "ligne en gemtext, puis recoupé à la bonne largeur pour "
		    "Gopher.\n\n## Un intertitre\n\n") != NULL,
		    "torture: hard-wrapped paragraph joined on one line");
		ok(strstr(r.b.data, "\n\n```tableau\nVille      | Température\n"
		    "-----------+------------\nLomé       | 31 °C\n"
		    "Kara       | 34 °C\n```\n\nDernier paragraphe.\n") != NULL,
		    "torture: preformatted block byte for byte, with alt text");
		ok(strstr(r.b.data, "\n* premier élément\n* second élément")
		    != NULL, "torture: list items kept together");
		buf_release(&r.b);
		buf_init(&r.b);
		req = "gemini://griot.example/articles/2025-03-20-"
		    "brouillon.gmi\r\n";
		gemini_respond(req, strlen(req), &conf, tst, &r.b);
		is_str(r.b.data, "51 Page introuvable\r\n", NULL,
		    "torture: a draft is never served");
		buf_release(&r.b);
		store_unref(tst);
	} else
		ok(0, "store_open(%s)", torture);

	store_unref(st);
	return tap_done();
}
