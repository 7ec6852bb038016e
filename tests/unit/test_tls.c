/* griot: tests of the ticket key file and of the TLS reload.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Table-driven tests of tlsc_ticket_keys_parse() (HAProxy's
 * tls-ticket-keys format: which keys are kept, which one encrypts, what
 * is refused and how the refusal reads), then tlsc_ctx_reload() on real
 * files: an unchanged pair, a certificate without its key, a renewed
 * pair, and tickets turned on or off without a restart.
 */

#include "griot-config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"
#include "tls.h"
#include "tlscert.h"

/* An encoder of our own, to build the files under test. */
static void
b64(const unsigned char *in, size_t len, char *out)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t		 i;
	unsigned long	 v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = abc[v >> 18 & 63];
		*out++ = abc[v >> 12 & 63];
		*out++ = abc[v >> 6 & 63];
		*out++ = abc[v & 63];
	}
	if (len - i == 1) {
		v = (unsigned long)in[i] << 16;
		*out++ = abc[v >> 18 & 63];
		*out++ = abc[v >> 12 & 63];
		*out++ = '=';
		*out++ = '=';
	} else if (len - i == 2) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8;
		*out++ = abc[v >> 18 & 63];
		*out++ = abc[v >> 12 & 63];
		*out++ = abc[v >> 6 & 63];
		*out++ = '=';
	}
	*out = '\0';
}

/* Key number "n" of "len" bytes: every byte n, so each name differs. */
static void
key_bytes(int n, size_t len, unsigned char *out)
{
	memset(out, n, len);
}

/* The base64 line of key "n". */
static const char *
key_line(int n, size_t len)
{
	static char	 lines[8][160];
	static int	 next;
	unsigned char	 k[128];
	char		*s = lines[next++ % 8];

	key_bytes(n, len, k);
	b64(k, len, s);
	return s;
}

struct ktest {
	const char	*name;
	const char	*fmt;	/* %s: key lines, as listed in "keys" */
	int		 keys[6];	/* key numbers; 0 ends */
	size_t		 keylen[6];
	int		 want_ok;
	size_t		 n, len, enc;
	int		 kept[3];	/* key numbers kept, oldest first */
	const char	*err;	/* expected start of the error */
};

static const struct ktest ktests[] = {
	{ "one AES-256 key encrypts", "%s\n", { 1 }, { 80 }, 1, 1, 80, 0,
	    { 1 }, NULL },
	{ "two keys: the first (penultimate) encrypts", "%s\n%s\n", { 1, 2 },
	    { 80, 80 }, 1, 2, 80, 0, { 1, 2 }, NULL },
	{ "three keys: the second encrypts", "%s\n%s\n%s\n", { 1, 2, 3 },
	    { 80, 80, 80 }, 1, 3, 80, 1, { 1, 2, 3 }, NULL },
	{ "five AES-128 keys: the last three kept, the fourth encrypts",
	    "%s\n%s\n%s\n%s\n%s\n", { 1, 2, 3, 4, 5 }, { 48, 48, 48, 48, 48 },
	    1, 3, 48, 1, { 3, 4, 5 }, NULL },
	{ "CRLF, spaces around, blank lines, no final newline",
	    "\r\n  %s \r\n\n\t%s\t\r\n\n%s", { 1, 2, 3 }, { 80, 80, 80 }, 1, 3,
	    80, 1, { 1, 2, 3 }, NULL },
	{ "an empty file", "", { 0 }, { 0 }, 0, 0, 0, 0, { 0 }, "no key" },
	{ "only blank lines", "\n \n\r\n", { 0 }, { 0 }, 0, 0, 0, 0, { 0 },
	    "no key" },
	{ "a key of 32 bytes", "%s\n", { 1 }, { 32 }, 0, 0, 0, 0, { 0 },
	    "line 1: 32 bytes, expected 48 (AES-128) or 80 (AES-256)" },
	{ "a key of 81 bytes", "%s\n%s\n", { 1, 2 }, { 80, 81 }, 0, 0, 0, 0,
	    { 0 }, "line 2: 81 bytes, expected 48" },
	{ "AES-128 then AES-256", "%s\n%s\n", { 1, 2 }, { 48, 80 }, 0, 0, 0,
	    0, { 0 }, "line 2: 80 bytes, but the first key has 48" },
	{ "a comment line is not a key", "# keys\n%s\n", { 1 }, { 80 }, 0, 0,
	    0, 0, { 0 }, "line 1: not a key in base64" },
	{ "the same key twice among the last", "%s\n%s\n%s\n", { 1, 2, 1 },
	    { 80, 80, 80 }, 0, 0, 0, 0, { 0 }, "two of the last 3 keys" },
	{ "the same key twice, then another", "%s\n%s\n%s\n", { 1, 1, 2 },
	    { 80, 80, 80 }, 0, 0, 0, 0, { 0 }, "two of the last 3 keys" },
	{ "a repeated key that left the file", "%s\n%s\n%s\n%s\n",
	    { 1, 2, 3, 1 }, { 48, 48, 48, 48 }, 1, 3, 48, 1, { 2, 3, 1 },
	    NULL },
};

static void
test_parse_table(void)
{
	const struct ktest	*t;
	struct tlsc_ticket_keys	 keys;
	unsigned char		 want[128];
	char			 text[2048], err[200];
	const char		*l[6];
	size_t			 i, j;
	int			 rv, n;

	for (i = 0; i < sizeof(ktests) / sizeof(ktests[0]); i++) {
		t = &ktests[i];
		for (j = 0; j < 6; j++)
			l[j] = t->keys[j] != 0 ? key_line(t->keys[j],
			    t->keylen[j]) : "";
		n = snprintf(text, sizeof(text), t->fmt, l[0], l[1], l[2],
		    l[3], l[4], l[5]);
		if (n < 0 || (size_t)n >= sizeof(text)) {
			ok(0, "%s: test text too long", t->name);
			continue;
		}
		err[0] = '\0';
		rv = tlsc_ticket_keys_parse(text, (size_t)n, &keys, err,
		    sizeof(err));
		if (!ok((rv == 0) == t->want_ok, "%s: %s", t->name,
		    t->want_ok ? "accepted" : "refused")) {
			printf("#  input: ");
			tap_escape(stdout, text, (size_t)n);
			printf("\n#    err: %s\n", err);
			continue;
		}
		if (!t->want_ok) {
			is_mem(err, strlen(t->err) <= strlen(err) ?
			    strlen(t->err) : strlen(err), t->err,
			    strlen(t->err), text, "the reason");
			continue;
		}
		is_int(keys.n, t->n, "keys kept");
		is_int(keys.len, t->len, "key length");
		is_int(keys.enc, t->enc, "the key that encrypts");
		for (j = 0; j < keys.n && j < 3; j++) {
			key_bytes(t->kept[j], keys.len, want);
			is_mem((const char *)keys.key[j], keys.len,
			    (const char *)want, keys.len, text, "key kept");
		}
	}
}

/* Base64 itself: padding, the alphabet, where "=" may stand. */
static void
test_parse_base64(void)
{
	struct tlsc_ticket_keys	 keys;
	unsigned char		 k[80];
	char			 line[160], text[200], err[200];
	size_t			 i, len;

	/* Every byte value, so every character of the alphabet. */
	for (i = 0; i < sizeof(k); i++)
		k[i] = (unsigned char)(i * 3 + 255 - i * i);
	b64(k, sizeof(k), line);
	len = strlen(line);
	ok(len == 108 && line[107] == '=' && line[106] != '=',
	    "an 80-byte key is 108 characters, one \"=\"");
	(void)snprintf(text, sizeof(text), "%s\n", line);
	ok(tlsc_ticket_keys_parse(text, strlen(text), &keys, err,
	    sizeof(err)) == 0 && memcmp(keys.key[0], k, 80) == 0,
	    "an 80-byte key decodes to its bytes");

	/* Without its padding. */
	(void)snprintf(text, sizeof(text), "%.*s\n", (int)len - 1, line);
	ok(tlsc_ticket_keys_parse(text, strlen(text), &keys, err,
	    sizeof(err)) == -1, "base64 without its padding is refused");
	/* "=" inside. */
	(void)snprintf(text, sizeof(text), "%s\n", line);
	text[10] = '=';
	ok(tlsc_ticket_keys_parse(text, strlen(text), &keys, err,
	    sizeof(err)) == -1, "\"=\" inside is refused");
	/* A character outside the alphabet. */
	(void)snprintf(text, sizeof(text), "%s\n", line);
	text[20] = '-';
	ok(tlsc_ticket_keys_parse(text, strlen(text), &keys, err,
	    sizeof(err)) == -1, "base64url's \"-\" is refused");
	/* A NUL byte in the file. */
	(void)snprintf(text, sizeof(text), "%s\n", line);
	text[5] = '\0';
	ok(tlsc_ticket_keys_parse(text, len + 1, &keys, err,
	    sizeof(err)) == -1, "a NUL byte is refused");
	/* A line far too long. */
	memset(text, 'A', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	ok(tlsc_ticket_keys_parse(text, strlen(text), &keys, err,
	    sizeof(err)) == -1, "a 199-character line is refused");
}

/*
 * tlsc_ctx_reload() on real files in a private folder.
 */

static char	 dir[] = "/tmp/griot-test-tls-XXXXXX";

static const char *
path(const char *name)
{
	static char	 buf[4][256];
	static int	 next;
	char		*p = buf[next++ % 4];

	(void)snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static int
write_text(const char *file, const char *text)
{
	FILE	*fp;

	if ((fp = fopen(file, "w")) == NULL)
		return -1;
	fputs(text, fp);
	if (fclose(fp) != 0)
		return -1;
	return chmod(file, 0600);
}

static int
copy_file(const char *from, const char *to)
{
	char	 buf[8192], tmp[300];
	FILE	*in, *out;
	size_t	 n;

	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", to);
	if ((in = fopen(from, "r")) == NULL)
		return -1;
	if ((out = fopen(tmp, "w")) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) != 0 || chmod(tmp, 0600) == -1)
		return -1;
	return rename(tmp, to);	/* a new file, as a renewal makes */
}

static char	 localhost[] = "localhost";

/* A new self-signed pair named "name".crt and "name".key. */
static int
make_pair(const char *name)
{
	struct conf	 c;
	char		 cert[256], key[256];

	(void)snprintf(cert, sizeof(cert), "%s/%s.crt", dir, name);
	(void)snprintf(key, sizeof(key), "%s/%s.key", dir, name);
	memset(&c, 0, sizeof(c));
	c.cert = cert;
	c.key = key;
	c.hostname = localhost;
	c.auto_cert = 1;
	return tlscert_ensure(&c);
}

static void
test_reload(void)
{
	struct conf	 c;
	struct tlsc_ctx	*t = NULL, *plain = NULL;
	char		 keys[400], certpath[256], keypath[256], tkpath[256];

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	ok(make_pair("a") == 0 && make_pair("b") == 0, "two pairs made");
	(void)snprintf(keys, sizeof(keys), "%s\n%s\n%s\n", key_line(1, 80),
	    key_line(2, 80), key_line(3, 80));
	ok(write_text(path("tk"), keys) == 0, "a ticket key file");
	ok(write_text(path("bad-tk"), "garbage\n") == 0, "a broken one");
	ok(copy_file(path("a.crt"), path("cert.pem")) == 0 &&
	    copy_file(path("a.key"), path("key.pem")) == 0, "pair A served");

	/* path() reuses its buffers: keep what the conf points to. */
	(void)snprintf(certpath, sizeof(certpath), "%s", path("cert.pem"));
	(void)snprintf(keypath, sizeof(keypath), "%s", path("key.pem"));
	(void)snprintf(tkpath, sizeof(tkpath), "%s", path("bad-tk"));
	memset(&c, 0, sizeof(c));
	c.cert = certpath;
	c.key = keypath;
	c.hostname = localhost;
	c.ticket_keys = tkpath;
	ok(tlsc_ctx_new(&c) == NULL, "a broken ticket key file: no context");
	(void)snprintf(tkpath, sizeof(tkpath), "%s", path("missing"));
	ok(tlsc_ctx_new(&c) == NULL, "a missing one: no context");
	(void)snprintf(tkpath, sizeof(tkpath), "%s", path("tk"));
	t = tlsc_ctx_new(&c);
	ok(t != NULL, "a context with tickets");
	c.ticket_keys = NULL;
	plain = tlsc_ctx_new(&c);
	ok(plain != NULL, "a context without");
	if (t == NULL || plain == NULL)
		goto done;

	is_int(tlsc_ctx_reload(t, path("cert.pem"), path("key.pem"),
	    path("tk")), 0, "unchanged files: fine");
	ok(copy_file(path("b.crt"), path("cert.pem")) == 0, "cert B alone");
	is_int(tlsc_ctx_reload(t, path("cert.pem"), path("key.pem"),
	    path("tk")), -1, "a certificate without its key: kept the old");
	ok(copy_file(path("b.key"), path("key.pem")) == 0, "and its key");
	is_int(tlsc_ctx_reload(t, path("cert.pem"), path("key.pem"),
	    path("tk")), 0, "the renewed pair B: read");
	ok(write_text(path("cert.pem"), "-----BEGIN CERTIFICATE-----\n") ==
	    0, "a truncated certificate");
	is_int(tlsc_ctx_reload(t, path("cert.pem"), path("key.pem"),
	    path("tk")), -1, "a truncated certificate: kept the old");
	ok(copy_file(path("b.crt"), path("cert.pem")) == 0, "B again");
	is_int(tlsc_ctx_reload(t, path("cert.pem"), path("key.pem"),
	    path("bad-tk")), -1, "a broken ticket key file: kept the old");
	is_int(tlsc_ctx_reload(t, path("cert.pem"), path("key.pem"), NULL),
	    -1, "tickets cannot be turned off without a restart");
	is_int(tlsc_ctx_reload(plain, path("cert.pem"), path("key.pem"),
	    path("tk")), -1, "nor on");
	is_int(tlsc_ctx_reload(plain, path("cert.pem"), path("key.pem"),
	    NULL), 0, "without tickets, the pair alone: fine");
 done:
	tlsc_ctx_free(t);
	tlsc_ctx_free(plain);
	(void)unlink(path("a.crt"));
	(void)unlink(path("a.key"));
	(void)unlink(path("b.crt"));
	(void)unlink(path("b.key"));
	(void)unlink(path("cert.pem"));
	(void)unlink(path("key.pem"));
	(void)unlink(path("tk"));
	(void)unlink(path("bad-tk"));
	(void)rmdir(dir);
}

int
main(void)
{
	test_parse_table();
	test_parse_base64();
	test_reload();
	return tap_done();
}
