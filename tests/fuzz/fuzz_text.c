/* griot: fuzz harness for the text engine.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Feeds arbitrary bytes to every function of text.h and checks what must
 * always hold: repaired text is UTF-8 without stray controls, text XML
 * can carry, free of bidirectional controls and line separators, and
 * stable under a second repair; log quoting (text_escape()) is one
 * line of printable UTF-8 within its room; ASCII output is 7-bit,
 * wrapped lines and fitted strings stay within their width, slugs are
 * [a-z0-9-].  The first input
 * byte picks the width and the flags.  A broken invariant aborts.  Built
 * with --enable-fuzzing it is a libFuzzer target; otherwise replay.c
 * replays tests/fuzz/corpus/text/ through it under make check.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uninorm.h>

#include "buf.h"
#include "text.h"
#include "invariants.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_text: %s\n", what);
	abort();
}

static void
no_bad(void *arg, size_t off, enum text_repair what, uint32_t cp)
{
	(void)off;
	(void)what;
	(void)cp;
	*(int *)arg += 1;
}

static int
word_check(void *arg, const char *w, size_t len)
{
	(void)arg;
	if (len == 0 || strlen(w) != len || !text_is_utf8(w, len))
		fail("text_words: bad word");
	return 0;
}

/* Bytes of one charset's line, or of UTF-8, that must never appear. */
static int
has_bad_byte(const char *s, size_t n, enum text_charset cs, int tab_ok)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(tab_ok && c == '\t')) || c == 0x7F)
			return 1;
		if (cs == TEXT_ASCII && c >= 0x80)
			return 1;
		if (cs == TEXT_LATIN1 && c >= 0x80 && c < 0xA0)
			return 1;
	}
	return 0;
}

static void
check_wrap(const char *s, size_t n, size_t width, enum text_charset cs)
{
	struct buf		 out = BUF_INIT;
	struct text_wrap	 tw;
	const char		*line, *nl;

	memset(&tw, 0, sizeof(tw));
	tw.width = width;
	tw.charset = cs;
	tw.first = "* ";
	tw.rest = "  ";
	tw.eol = "\n";
	if (text_wrap(&out, s, n, &tw) == -1)
		fail("text_wrap failed");
	for (line = out.data; line != NULL && line < out.data + out.len;
	    line = nl + 1) {
		if ((nl = memchr(line, '\n', out.data + out.len - line)) == NULL) {
			fail("text_wrap: line without eol");
			break;
		}
		if (has_bad_byte(line, nl - line, cs, 0))
			fail("text_wrap: control or wrong charset byte");
		if (nl > line && nl[-1] == ' ')
			fail("text_wrap: trailing space");
		if (cs == TEXT_UTF8 && !text_is_utf8(line, nl - line))
			fail("text_wrap: invalid UTF-8");
		/*
		 * No spelling is longer than 16 columns; a URL is never cut
		 * (text.h), so a line holding one may be wider.
		 */
		if (width >= 16 && (cs == TEXT_UTF8 ?
		    text_width(line, nl - line, cs) : (size_t)(nl - line)) > width &&
		    !fuzz_has_url(line, nl - line))
			fail("text_wrap: line too wide");
	}
	buf_release(&out);
}

/* Log quoting: printable, one line, UTF-8, in order, within the room. */
static void
check_escape(const char *s, size_t n, size_t room)
{
	char	 out[512];
	size_t	 len, i;

	room = room % sizeof(out) + 1;
	len = text_escape(out, room, s, n);
	if (len >= room || out[len] != '\0')
		fail("text_escape: past its room");
	for (i = 0; i < len; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f ||
		    (out[i] == '"'))
			fail("text_escape: control or quote left");
	if (!text_is_utf8(out, len) || fuzz_has_bidi(out, len))
		fail("text_escape: invalid UTF-8 or bidi control left");
	len = text_escape(out, sizeof(out), s, n < 64 ? n : 64);
	if (len + 1 >= sizeof(out))
		fail("text_escape: 64 bytes need at most 4 each");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
	const char	*s;
	size_t		 n, width, i;
	int		 flags, cs, nbad = 0;

	if (size == 0)
		return 0;
	width = data[0] % 80;
	flags = data[0] & (TEXT_KEEP_TAB | TEXT_KEEP_NL | TEXT_DROP_BOM);
	s = (const char *)data + 1;
	n = size - 1;

	(void)text_is_utf8(s, n);
	if (text_sanitize(&a, s, n, flags, NULL, NULL) == -1)
		fail("text_sanitize failed");
	if (!text_is_utf8(a.data, a.len))
		fail("text_sanitize: invalid UTF-8 out");
	for (i = 0; i < a.len; i++) {
		unsigned char ch = (unsigned char)a.data[i];

		if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7F ||
		    (ch == '\t' && !(flags & TEXT_KEEP_TAB)) ||
		    (ch == '\n' && !(flags & TEXT_KEEP_NL)))
			fail("text_sanitize: control left");
	}
	if (!text_is_xml(a.data, a.len))
		fail("text_sanitize: output XML cannot carry");
	if (fuzz_has_bidi(a.data, a.len))
		fail("text_sanitize: bidi control or line separator left");
	/* Every character that NFC could change was noticed. */
	if (a.len > 0) {
		uint8_t	*nfc;
		size_t	 nlen;

		nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)a.data, a.len,
		    NULL, &nlen);
		if (nfc == NULL || nlen != a.len || memcmp(nfc, a.data, nlen))
			fail("text_sanitize: output is not NFC");
		free(nfc);
	}
	if (text_sanitize(&b, a.data ? a.data : "", a.len, flags & ~TEXT_DROP_BOM,
	    no_bad, &nbad) == -1 || nbad != 0 || b.len != a.len ||
	    (a.len > 0 && memcmp(a.data, b.data, a.len) != 0))
		fail("text_sanitize: not stable");
	buf_reset(&b);
	if (text_french_spacing(&b, a.data ? a.data : "", a.len) == -1 ||
	    !text_is_utf8(b.data, b.len))
		fail("text_french_spacing");

	for (cs = TEXT_UTF8; cs <= TEXT_ASCII; cs++) {
		buf_reset(&c);
		if (text_encode(&c, s, n, cs) == -1)
			fail("text_encode failed");
		if (cs == TEXT_UTF8 && !text_is_utf8(c.data, c.len))
			fail("text_encode: invalid UTF-8");
		for (i = 0; cs == TEXT_ASCII && i < c.len; i++)
			if ((unsigned char)c.data[i] >= 0x80)
				fail("text_encode: 8-bit ASCII");
		(void)text_width(s, n, cs);
		check_wrap(s, n, width, cs);
		check_wrap(b.data ? b.data : "", b.len, width, cs);
		buf_reset(&c);
		if (text_fit(&c, s, n, width, cs) == -1)
			fail("text_fit failed");
		if (has_bad_byte(c.data ? c.data : "", c.len, cs, 0))
			fail("text_fit: control or wrong charset byte");
		if (cs == TEXT_UTF8 && text_width(c.data ? c.data : "", c.len,
		    cs) > width)
			fail("text_fit: too wide");
		if (cs != TEXT_UTF8 && c.len > width && width >= 16)
			fail("text_fit: too wide");
	}

	check_escape(s, n, width);

	buf_reset(&c);
	if (text_fold(&c, s, n) == -1 || !text_is_utf8(c.data, c.len))
		fail("text_fold");
	if (text_words(s, n, word_check, NULL) != 0)
		fail("text_words");
	buf_reset(&c);
	if (text_slug(&c, s, n) == -1)
		fail("text_slug failed");
	for (i = 0; i < c.len; i++)
		if (!((c.data[i] >= 'a' && c.data[i] <= 'z') ||
		    (c.data[i] >= '0' && c.data[i] <= '9') || (c.data[i] == '-' &&
		    i > 0 && i + 1 < c.len && c.data[i - 1] != '-')))
			fail("text_slug: bad character");

	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	return 0;
}
