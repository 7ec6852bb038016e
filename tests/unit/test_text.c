/* griot: unit tests of the text engine.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Byte-exact tables for every rule of DESIGN.md "Text rules", the text rows
 * of the torture articles, and the real GPSA article wrapped at several
 * widths in every charset, checked line by line with independent counts.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "tap.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

#define NBSP	"\xC2\xA0"
#define NNBSP	"\xE2\x80\xAF"
#define LAQ	"\xC2\xAB"	/* « */
#define RAQ	"\xC2\xBB"	/* » */
#define APOS	"\xE2\x80\x99"	/* ’ */

static const char *const csname[] = { "utf8", "latin1", "ascii" };

/* ------------------------------------------------------------------ */
/* Helpers */

/* The test data folder: $GRIOT_TESTDATA, $top_srcdir/tests/data, or the build's. */
static char *
data_read(const char *name, size_t *lenp)
{
	struct buf	 path = BUF_INIT, data = BUF_INIT;
	const char	*d, *top;
	char		 chunk[4096];
	FILE		*fp;
	size_t		 n;

	if ((d = getenv("GRIOT_TESTDATA")) != NULL && *d != '\0')
		buf_printf(&path, "%s/%s", d, name);
	else if ((top = getenv("top_srcdir")) != NULL && *top != '\0')
		buf_printf(&path, "%s/tests/data/%s", top, name);
	else
		buf_printf(&path, "%s/tests/data/%s", TOP_SRCDIR, name);
	if (path.failed || (fp = fopen(path.data, "rb")) == NULL) {
		printf("# cannot read %s\n", path.data ? path.data : name);
		buf_release(&path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&data, chunk, n);
	fclose(fp);
	buf_release(&path);
	if (data.data == NULL)
		buf_reserve(&data, 0);
	return buf_detach(&data, lenp);
}

/* Body paragraphs: the lines after the first blank line, non-empty. */
static size_t
body_paragraphs(char *text, char **para, size_t max)
{
	char	*p, *nl;
	size_t	 n = 0;

	if ((p = strstr(text, "\n\n")) == NULL)
		return 0;
	for (p += 2; *p != '\0' && n < max; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (nl > p)
			para[n++] = p;
		if (*nl == '\0')
			break;
		*nl = '\0';
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* text_sanitize and text_is_utf8 */

/* Every repair text_sanitize() reported; "kind" spells each as a letter. */
struct bad_log {
	size_t	 off[16];
	char	 kind[17];
	size_t	 n;
	size_t	 nutf8;		/* of them, invalid UTF-8 */
};

static void
bad_record(void *arg, size_t off, enum text_repair what, uint32_t cp)
{
	static const char	 letter[] = "UX0BS";
	struct bad_log		*log = arg;

	if (log->n < 16) {
		log->off[log->n] = off;
		log->kind[log->n] = letter[what];
	}
	log->n++;
	if (what == TEXT_REPAIR_UTF8) {
		log->nutf8++;
		if (cp != 0xFFFD)
			printf("# invalid UTF-8 reported with U+%04X\n",
			    (unsigned int)cp);
	}
}

static const struct {
	const char	*in;
	size_t		 inlen;		/* 0: strlen */
	int		 flags;
	const char	*want;
	size_t		 nbad;
	size_t		 bad[4];
	const char	*what;
} sanitize_tests[] = {
	{ "Le Togo", 0, 0, "Le Togo", 0, { 0 }, "ASCII unchanged" },
	{ "", 0, 0, "", 0, { 0 }, "empty" },
	{ "d\xC3\xA9j\xC3\xA0 \xC5\x93uvre", 0, 0,
	    "d\xC3\xA9j\xC3\xA0 \xC5\x93uvre", 0, { 0 }, "NFC text unchanged" },
	{ "a\tb", 0, 0, "a b", 0, { 0 }, "TAB becomes a space" },
	{ "a\tb", 0, TEXT_KEEP_TAB, "a\tb", 0, { 0 }, "TAB kept" },
	{ "a\nb", 0, 0, "ab", 0, { 0 }, "LF dropped" },
	{ "a\nb", 0, TEXT_KEEP_NL, "a\nb", 0, { 0 }, "LF kept" },
	{ "a\r\nb\r", 0, TEXT_KEEP_NL, "a\nb\n", 0, { 0 },
	    "CR LF and a lone CR are line ends" },
	{ "T: a\rD: b\r\rc", 0, TEXT_KEEP_NL, "T: a\nD: b\n\nc", 0, { 0 },
	    "CR-only line ends" },
	{ "a\r\r\nb", 0, TEXT_KEEP_NL, "a\n\nb", 0, { 0 },
	    "lone CR, then CR LF: two line ends" },
	{ "a\r\nb\rc", 0, 0, "abc", 0, { 0 }, "CR dropped without KEEP_NL" },
	{ "a\x07" "b\x1B" "c\x7F", 0, TEXT_KEEP_NL | TEXT_KEEP_TAB, "abc", 0,
	    { 0 }, "C0 controls and DEL dropped" },
	{ "\xD8\x9B\xD8\x9D\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA"
	    "\xEF\xBF\xBC\xEF\xBF\xBD", 0, 0,
	    "\xD8\x9B\xD8\x9D\xE2\x80\x8D\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA"
	    "\xEF\xBF\xBC\xEF\xBF\xBD", 0, { 0 },
	    "neighbours of the repaired characters kept" },
	{ "a\xC2\x85" "b\xC2\x9F", 0, 0, "ab", 0, { 0 }, "C1 controls dropped" },
	{ "\xEF\xBB\xBFTitle", 0, TEXT_DROP_BOM, "Title", 0, { 0 },
	    "leading BOM dropped" },
	{ "\xEF\xBB\xBFTitle", 0, 0, "\xEF\xBB\xBFTitle", 0, { 0 },
	    "BOM kept without the flag" },
	{ "a\xEF\xBB\xBF" "b", 0, TEXT_DROP_BOM, "a\xEF\xBB\xBF" "b", 0, { 0 },
	    "BOM inside kept" },
	{ "e\xCC\x81t\xC3\xA9", 0, 0, "\xC3\xA9t\xC3\xA9", 0, { 0 },
	    "e + U+0301 -> U+00E9" },
	{ "Cre\xCC\x80me bru\xCC\x82le\xCC\x81" "e, Noe\xCC\x88l, c\xCC\xA7" "a", 0, 0,
	    "Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e, No\xC3\xABl, \xC3\xA7" "a", 0,
	    { 0 }, "decomposed French accents composed" },
	{ "e\x07\xCC\x81", 0, 0, "\xC3\xA9", 0, { 0 },
	    "composed across a dropped control" },
	{ "a\xCC\x81\xCC\xA3", 0, 0, "\xE1\xBA\xA1\xCC\x81", 0, { 0 },
	    "marks reordered then composed" },
	{ "\xE2\x84\xAB", 0, 0, "\xC3\x85", 0, { 0 }, "U+212B -> U+00C5" },
	{ "\xE2\x84\xA6", 0, 0, "\xCE\xA9", 0, { 0 }, "U+2126 -> U+03A9" },
	{ "\xE1\x84\x80\xE1\x85\xA1", 0, 0, "\xEA\xB0\x80", 0, { 0 },
	    "Hangul jamo composed" },
	{ "\xEF\xA4\x80", 0, 0, "\xE8\xB1\x88", 0, { 0 },
	    "CJK compatibility ideograph" },
	{ "\xC3\x28", 0, 0, "\xEF\xBF\xBD(", 1, { 0 }, "bad continuation" },
	{ "x\xFF\xFEy", 0, 0, "x\xEF\xBF\xBD\xEF\xBF\xBDy", 2, { 1, 2 },
	    "two bad bytes, two U+FFFD" },
	{ "\xC0\xAF", 0, 0, "\xEF\xBF\xBD", 1, { 0 }, "overlong 2 bytes" },
	{ "\xE0\x80\xAF", 0, 0, "\xEF\xBF\xBD", 1, { 0 }, "overlong 3 bytes" },
	{ "\xF0\x82\x82\xAC", 0, 0, "\xEF\xBF\xBD", 1, { 0 }, "overlong 4 bytes" },
	{ "ab\xED\xA0\x80", 0, 0, "ab\xEF\xBF\xBD", 1, { 2 }, "surrogate" },
	{ "\xF4\x90\x80\x80.", 0, 0, "\xEF\xBF\xBD.", 1, { 0 }, "past U+10FFFF" },
	{ "\x80", 0, 0, "\xEF\xBF\xBD", 1, { 0 }, "lone continuation byte" },
	{ "cod\xE9 en", 0, 0, "cod\xEF\xBF\xBD en", 1, { 3 }, "Latin-1 byte" },
	{ "fin\xE2\x82", 0, 0, "fin\xEF\xBF\xBD", 1, { 3 }, "truncated at end" },
	{ "\xE2\x82" "A", 0, 0, "\xEF\xBF\xBD" "A", 1, { 0 }, "truncated inside" },
	{ "\xF8\x88\x80", 0, 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3,
	    { 0, 1, 2 }, "5-byte form: one per byte" },
	{ "\xC3\xA9\xC3", 0, TEXT_KEEP_NL, "\xC3\xA9\xEF\xBF\xBD", 1, { 2 },
	    "truncated after a letter" },
};

/* The repairs besides invalid UTF-8, each reported with its kind. */
static const struct {
	const char	*in;
	size_t		 inlen;		/* 0: strlen */
	int		 flags;
	const char	*want;
	size_t		 nbad;
	size_t		 bad[4];
	const char	*what;
	const char	*kinds;		/* letters of bad_record() */
} repair_tests[] = {
	{ "a\0b", 3, 0, "a b", 1, { 1 }, "NUL becomes a space", "0" },
	{ "a\0\0\0b\0", 6, TEXT_KEEP_NL, "a b ", 2, { 1, 5 },
	    "a run of NUL is one space", "00" },
	{ "a\xEF\xBF\xBE" "b\xEF\xBF\xBF", 0, 0,
	    "a\xEF\xBF\xBD" "b\xEF\xBF\xBD", 2, { 1, 5 },
	    "U+FFFE and U+FFFF become U+FFFD", "XX" },
	{ "x\xE2\x80\xAEy", 0, 0, "xy", 1, { 1 }, "U+202E dropped", "B" },
	{ "\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", 0, 0, "", 4,
	    { 0, 3, 6, 9 }, "U+202A..U+202D dropped", "BBBB" },
	{ "\xE2\x81\xA6" "a\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", 0, 0, "a",
	    4, { 0, 4, 7, 10 }, "isolates U+2066..U+2069 dropped", "BBBB" },
	{ "\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C!", 0, 0, "!", 3, { 0, 3, 6 },
	    "marks U+200E, U+200F, U+061C dropped", "BBB" },
	{ "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", 0, TEXT_KEEP_NL, "a b c", 2,
	    { 1, 5 }, "U+2028, U+2029 become spaces", "SS" },
	{ "e\xE2\x80\xAE\xCC\x81", 0, 0, "\xC3\xA9", 1, { 1 },
	    "composed across a dropped bidi control", "B" },
};

/* One sanitize case: output, reports (offset and kind), XML and UTF-8. */
static void
sanitize_case(const char *in, size_t inlen, int flags, const char *want,
    size_t nbad, const size_t *bad, const char *kinds, const char *what)
{
	struct buf	 b = BUF_INIT;
	struct bad_log	 log;
	size_t		 k;
	int		 same;

	if (inlen == 0)
		inlen = strlen(in);
	memset(&log, 0, sizeof(log));
	ok(text_sanitize(&b, in, inlen, flags, bad_record, &log) == 0,
	    "sanitize returns 0: %s", what);
	is_mem(b.data, b.len, want, strlen(want), in, what);
	same = log.n == nbad;
	for (k = 0; same && k < log.n; k++)
		same = log.off[k] == bad[k] &&
		    log.kind[k] == (kinds != NULL ? kinds[k] : 'U');
	if (!ok(same, "bad offsets: %s", what)) {
		printf("#    got:");
		for (k = 0; k < log.n && k < 16; k++)
			printf(" %zu%c", log.off[k], log.kind[k]);
		printf("\n#   want:");
		for (k = 0; k < nbad; k++)
			printf(" %zu%c", bad[k], kinds != NULL ? kinds[k] : 'U');
		printf("\n");
	}
	ok(text_is_utf8(b.data, b.len), "output is UTF-8: %s", what);
	ok(text_is_xml(b.data, b.len), "output is XML text: %s", what);
	is_int(text_is_utf8(in, inlen), log.nutf8 == 0, "text_is_utf8 agrees");
	buf_release(&b);
}

static void
test_sanitize(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(sanitize_tests) / sizeof(sanitize_tests[0]); i++)
		sanitize_case(sanitize_tests[i].in, sanitize_tests[i].inlen,
		    sanitize_tests[i].flags, sanitize_tests[i].want,
		    sanitize_tests[i].nbad, sanitize_tests[i].bad, NULL,
		    sanitize_tests[i].what);
	for (i = 0; i < sizeof(repair_tests) / sizeof(repair_tests[0]); i++)
		sanitize_case(repair_tests[i].in, repair_tests[i].inlen,
		    repair_tests[i].flags, repair_tests[i].want,
		    repair_tests[i].nbad, repair_tests[i].bad,
		    repair_tests[i].kinds, repair_tests[i].what);
	/* NULL callback is allowed; appending keeps what was there. */
	buf_reset(&b);
	buf_puts(&b, "x");
	ok(text_sanitize(&b, "\xFF" "e\xCC\x81", 4, 0, NULL, NULL) == 0 &&
	    b.len == 6 && memcmp(b.data, "x\xEF\xBF\xBD\xC3\xA9", 6) == 0,
	    "appends after existing bytes, NFC only on its own part");
	buf_release(&b);
}

/*
 * Each kind of byte text_sanitize() must look at, at every offset of a
 * longer ASCII text, so that the 8-bytes-at-a-time scan stops at the
 * right place whatever the alignment.
 */
static void
test_sanitize_runs(void)
{
	static const struct {
		const char	*in;
		int		 flags;
		const char	*want;
		int		 isbad;		/* invalid UTF-8 */
		int		 nrep;		/* repairs reported */
	} pieces[] = {
		{ "\x01", 0, "", 0, 0 }, { "\x7F", 0, "", 0, 0 },
		{ "\r", 0, "", 0, 0 }, { "\r", TEXT_KEEP_NL, "\n", 0, 0 },
		{ "\r\n", TEXT_KEEP_NL, "\n", 0, 0 },
		{ "\t", 0, " ", 0, 0 }, { "\t", TEXT_KEEP_TAB, "\t", 0, 0 },
		{ "\n", 0, "", 0, 0 }, { "\n", TEXT_KEEP_NL, "\n", 0, 0 },
		{ "\xC3\xA9", 0, "\xC3\xA9", 0, 0 },
		{ APOS, 0, APOS, 0, 0 }, { "\xC2\x85", 0, "", 0, 0 },
		{ "\xFF", 0, "\xEF\xBF\xBD", 1, 1 },
		{ "\xC3", 0, "\xEF\xBF\xBD", 1, 1 },
		{ "\xE2\x80", 0, "\xEF\xBF\xBD", 1, 1 },
		{ "e\xCC\x81", 0, "\xC3\xA9", 0, 0 },
		{ "\xF0\x9F\x8C\x8D", 0, "\xF0\x9F\x8C\x8D", 0, 0 },
		{ "\xE2\x80\xAE", 0, "", 0, 1 }, { "\xD8\x9C", 0, "", 0, 1 },
		{ "\xE2\x80\xA8", 0, " ", 0, 1 },
		{ "\xEF\xBF\xBF", 0, "\xEF\xBF\xBD", 0, 1 },
	};
	static const char	 text[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct buf		 in = BUF_INIT, want = BUF_INIT, b = BUF_INIT;
	struct bad_log		 log;
	size_t			 pos, k, wrong;

	for (k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
		wrong = 0;
		for (pos = 0; pos <= 24; pos++) {
			buf_reset(&in);
			buf_reset(&want);
			buf_reset(&b);
			buf_printf(&in, "%.*s%s%s", (int)pos, text, pieces[k].in,
			    text + pos);
			buf_printf(&want, "%.*s%s%s", (int)pos, text,
			    pieces[k].want, text + pos);
			memset(&log, 0, sizeof(log));
			text_sanitize(&b, in.data, in.len, pieces[k].flags,
			    bad_record, &log);
			if ((b.len != want.len ||
			    memcmp(b.data, want.data, b.len) != 0 ||
			    log.n != (size_t)pieces[k].nrep ||
			    (log.n == 1 && log.off[0] != pos)) && wrong++ == 0)
				printf("# first wrong at offset %zu\n", pos);
			if (text_is_utf8(in.data, in.len) == pieces[k].isbad &&
			    wrong++ == 0)
				printf("# text_is_utf8 wrong at offset %zu\n", pos);
		}
		/* By number: a piece may hold CR or LF, a TAP line may not. */
		ok(wrong == 0, "sanitize at every offset: piece %zu", k);
	}
	buf_release(&in);
	buf_release(&want);
	buf_release(&b);
}

/* The torture file: one U+FFFD per invalid sequence, at the right offsets. */
static void
test_invalid_file(void)
{
	static const size_t	 want[] = { 27, 104, 112, 113, 138, 160, 170,
	    175, 208 };
	struct buf		 b = BUF_INIT;
	struct bad_log		 log;
	char			*data, *p;
	size_t			 len, k, nrepl = 0;
	int			 same;

	if ((data = data_read("torture/2025-03-15-octets-invalides.txt",
	    &len)) == NULL) {
		ok(0, "octets-invalides readable");
		return;
	}
	memset(&log, 0, sizeof(log));
	ok(text_sanitize(&b, data, len, TEXT_DROP_BOM | TEXT_KEEP_NL |
	    TEXT_KEEP_TAB, bad_record, &log) == 0, "octets-invalides sanitised");
	same = log.n == sizeof(want) / sizeof(want[0]);
	for (k = 0; same && k < log.n; k++)
		same = log.off[k] == want[k];
	if (!ok(same, "octets-invalides: one report per sequence, offsets")) {
		printf("#    got:");
		for (k = 0; k < log.n && k < 16; k++)
			printf(" %zu", log.off[k]);
		printf("\n");
	}
	for (p = b.data; (p = strstr(p, "\xEF\xBF\xBD")) != NULL; p += 3)
		nrepl++;
	is_int(nrepl, sizeof(want) / sizeof(want[0]),
	    "octets-invalides: one U+FFFD per sequence");
	ok(text_is_utf8(b.data, b.len), "octets-invalides: output is UTF-8");
	ok(strstr(b.data, "ici : \xEF\xBF\xBD( puis \xEF\xBF\xBD\xEF\xBF\xBD, ")
	    != NULL, "octets-invalides: replacement in place");
	free(data);
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* text_french_spacing */

static const struct {
	const char	*in;
	const char	*want;
} spacing_tests[] = {
	{ "", "" },
	{ "Le Togo", "Le Togo" },
	{ "d\xC3\xA9" "clar\xC3\xA9 : oui", "d\xC3\xA9" "clar\xC3\xA9" NBSP ": oui" },
	{ "a ; b ! c ? d", "a" NNBSP "; b" NNBSP "! c" NNBSP "? d" },
	{ LAQ " Nous devons agir ensemble ! " RAQ,
	    LAQ NBSP "Nous devons agir ensemble" NNBSP "!" NNBSP RAQ },
	{ "a" NBSP ": b" NBSP "; " LAQ NNBSP "c" NBSP RAQ,
	    "a" NBSP ": b" NBSP "; " LAQ NNBSP "c" NBSP RAQ },
	{ "a:b;c!d?e" LAQ "f" RAQ, "a:b;c!d?e" LAQ "f" RAQ },
	{ "https://exemple.tg/?q=1 !", "https://exemple.tg/?q=1" NNBSP "!" },
	{ "a  : b", "a " NBSP ": b" },
	{ "fin ?", "fin" NNBSP "?" },
	{ " :", NBSP ":" },
	{ LAQ " ", LAQ NBSP },
	{ LAQ " ;", LAQ NNBSP ";" },		/* the character after decides */
	{ LAQ " :", LAQ NBSP ":" },
	{ LAQ " " RAQ, LAQ NNBSP RAQ },
	{ LAQ " " LAQ " a", LAQ NBSP LAQ NBSP "a" },
	{ "a ;; b !! c ?", "a" NNBSP ";; b" NNBSP "!! c" NNBSP "?" },
	{ ";", ";" },
	{ " ;", NNBSP ";" },
	{ "x " RAQ, "x" NNBSP RAQ },
	{ "x \xC2", "x \xC2" },
	{ "a" LAQ "b " RAQ " " LAQ, "a" LAQ "b" NNBSP RAQ " " LAQ },
};

/* The triggers at every offset of longer text, several in a row. */
static void
test_french_spacing_runs(void)
{
	static const struct {
		const char	*in, *want;
	} pieces[] = {
		{ " ;", NNBSP ";" }, { " !", NNBSP "!" }, { " ?", NNBSP "?" },
		{ " :", NBSP ":" }, { " " RAQ, NNBSP RAQ }, { LAQ " ", LAQ NBSP },
		{ "\xC2\xA0;", "\xC2\xA0;" }, { "a;", "a;" },
	};
	struct buf	 in = BUF_INIT, want = BUF_INIT, b = BUF_INIT;
	size_t		 pos, k, bad = 0;

	for (k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
		for (pos = 0; pos < 24; pos++) {
			buf_reset(&in);
			buf_reset(&want);
			buf_reset(&b);
			buf_printf(&in, "%.*s%s%s%s", (int)pos,
			    "abcdefghijklmnopqrstuvwxyz", pieces[k].in, "xyz",
			    pieces[k].in);
			buf_printf(&want, "%.*s%s%s%s", (int)pos,
			    "abcdefghijklmnopqrstuvwxyz", pieces[k].want, "xyz",
			    pieces[k].want);
			text_french_spacing(&b, in.data, in.len);
			if ((b.len != want.len ||
			    memcmp(b.data, want.data, b.len) != 0) && bad++ == 0)
				printf("# french spacing: %s at %zu\n",
				    pieces[k].in, pos);
		}
	}
	ok(bad == 0, "french spacing at every offset (%zu wrong)", bad);
	buf_release(&in);
	buf_release(&want);
	buf_release(&b);
}

static void
test_french_spacing(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(spacing_tests) / sizeof(spacing_tests[0]); i++) {
		buf_reset(&b);
		ok(text_french_spacing(&b, spacing_tests[i].in,
		    strlen(spacing_tests[i].in)) == 0, "french spacing returns 0");
		is_mem(b.data, b.len, spacing_tests[i].want,
		    strlen(spacing_tests[i].want), spacing_tests[i].in,
		    "french spacing");
	}
	buf_release(&b);
	test_french_spacing_runs();
}

/* ------------------------------------------------------------------ */
/* text_encode and text_width */

static const struct {
	const char	*in;
	const char	*latin1;
	const char	*ascii;
	size_t		 w[3];		/* utf8, latin1, ascii */
} encode_tests[] = {
	{ "Togo", "Togo", "Togo", { 4, 4, 4 } },
	{ "\xC3\xA9", "\xE9", "e", { 1, 1, 1 } },			/* é */
	{ "\xC3\x87" "a", "\xC7" "a", "Ca", { 2, 2, 2 } },		/* Ça */
	{ "\xC5\x93", "oe", "oe", { 1, 2, 2 } },			/* œ */
	{ "\xC5\x92uvre", "OEuvre", "OEuvre", { 5, 6, 6 } },		/* Œuvre */
	{ "\xC3\xA6", "\xE6", "ae", { 1, 1, 2 } },			/* æ */
	{ "\xC3\x86", "\xC6", "AE", { 1, 1, 2 } },			/* Æ */
	{ "\xC3\x9F", "\xDF", "ss", { 1, 1, 2 } },			/* ß */
	{ "\xC3\xB8\xC3\x98", "\xF8\xD8", "oO", { 2, 2, 2 } },	/* øØ */
	{ "\xC5\x82\xC5\x81", "lL", "lL", { 2, 2, 2 } },		/* łŁ */
	{ "\xC4\x91", "d", "d", { 1, 1, 1 } },			/* đ */
	{ "\xC3\xBE\xC3\xB0", "\xFE\xF0", "thd", { 2, 2, 3 } },	/* þð */
	{ "\xC3\xAA\xC3\xAE\xC3\xB4\xC3\xBB\xC3\xAB\xC3\xAF\xC3\xBC\xC3\xBF",
	    "\xEA\xEE\xF4\xFB\xEB\xEF\xFC\xFF", "eioueiuy", { 8, 8, 8 } },
	{ "\xC3\x89\xC3\x88\xC3\x80\xC3\x8A", "\xC9\xC8\xC0\xCA", "EEAE",
	    { 4, 4, 4 } },
	{ "\xC7\x98", "\xFC", "u", { 1, 1, 1 } },			/* ǘ */
	{ "\xE1\xBB\x87", "e", "e", { 1, 1, 1 } },			/* ệ */
	{ APOS "\xE2\x80\x98\xE2\x80\x9A\xE2\x80\xB2", "''''", "''''",
	    { 4, 4, 4 } },
	{ "\xE2\x80\x9C\xE2\x80\x9D\xE2\x80\x9E\xE2\x80\xB3", "\"\"\"\"",
	    "\"\"\"\"", { 4, 4, 4 } },
	{ LAQ "x" RAQ, "\xAB" "x\xBB", "<<x>>", { 3, 3, 5 } },
	{ "\xE2\x80\xB9x\xE2\x80\xBA", "<x>", "<x>", { 3, 3, 3 } },	/* ‹ › */
	{ "\xE2\x80\x93\xE2\x80\x90\xE2\x80\x91\xE2\x80\x92\xE2\x88\x92",
	    "-----", "-----", { 5, 5, 5 } },			/* – ‐ ‑ ‒ − */
	{ "\xE2\x80\x94\xE2\x80\x95", "----", "----", { 2, 4, 4 } },	/* — ― */
	{ "\xE2\x80\xA6", "...", "...", { 1, 3, 3 } },		/* … */
	{ "a" NBSP "b", "a\xA0" "b", "a b", { 3, 3, 3 } },
	{ "a" NNBSP "b", "a\xA0" "b", "a b", { 3, 3, 3 } },
	{ "a\xE2\x80\x89" "b\xE2\x80\x80" "c\xE2\x81\x9F" "d", "a b c d",
	    "a b c d", { 7, 7, 7 } },				/* thin spaces */
	{ "a\xE3\x80\x80" "b", "a b", "a b", { 4, 3, 3 } },		/* U+3000 */
	{ "a\xE2\x80\x8B" "b\xE2\x80\x8D" "c\xEF\xBB\xBF" "d", "abcd", "abcd",
	    { 4, 4, 4 } },					/* zero width */
	{ "\xC2\xAD", "", "", { 0, 0, 0 } },				/* soft hyphen */
	{ "1\xE2\x80\xAF" "500\xC2\xA0\xE2\x82\xAC", "1\xA0" "500\xA0" "EUR",
	    "1 500 EUR", { 7, 9, 9 } },				/* € */
	{ "30\xC2\xA0\xC2\xB0" "C", "30\xA0\xB0" "C", "30 degC", { 5, 5, 7 } },
	{ "30 \xC2\xB0" "C", "30 \xB0" "C", "30 degC", { 5, 5, 7 } },
	/* n° and N° (numéro): "no", "No" in ASCII. */
	{ "La Route nationale n\xC2\xB0" "1", "La Route nationale n\xB0" "1",
	    "La Route nationale no1", { 22, 22, 22 } },
	{ "N\xC2\xB0 12", "N\xB0 12", "No 12", { 5, 5, 5 } },
	{ "n\xC2\xB0", "n\xB0", "no", { 2, 2, 2 } },
	{ "(n\xC2\xB0 3)", "(n\xB0 3)", "(no 3)", { 6, 6, 6 } },
	{ LAQ "n\xC2\xB0" "1", "\xABn\xB0" "1", "<<no1", { 4, 4, 5 } },
	{ "n\xC2\xB0\xC2\xB0", "n\xB0\xB0", "nodeg", { 3, 3, 5 } },
	{ "bn\xC2\xB0", "bn\xB0", "bndeg", { 3, 3, 5 } },	/* not a word start */
	{ "\xC3\xA9n\xC2\xB0", "\xE9n\xB0", "endeg", { 3, 3, 5 } },
	{ "2n\xC2\xB0", "2n\xB0", "2ndeg", { 3, 3, 5 } },
	{ "m\xC2\xB0", "m\xB0", "mdeg", { 2, 2, 4 } },
	{ "\xC2\xA9\xC2\xAE\xE2\x84\xA2", "\xA9\xAE(TM)", "(c)(R)(TM)",
	    { 3, 6, 10 } },					/* © ® ™ */
	{ "2\xC3\x97" "3", "2\xD7" "3", "2x3", { 3, 3, 3 } },	/* × */
	{ "\xE2\x80\xA2 a\xC2\xB7" "b", "* a\xB7" "b", "* a.b", { 5, 5, 5 } },
	{ "e\xCC\x81", "e", "e", { 1, 1, 1 } },	/* not NFC: the mark vanishes */
	{ "\xEF\xAC\x81n", "fin", "fin", { 2, 3, 3 } },		/* ﬁn */
	{ "\xC2\xBD", "\xBD", "1/2", { 1, 1, 3 } },			/* ½ */
	{ "\xC9\x9B\xC6\x86\xC9\x96\xC5\x8B", "eOdn", "eOdn", { 4, 4, 4 } },
	{ "\xF0\x9F\x8C\x8D", "?", "?", { 2, 1, 1 } },		/* 🌍 */
	{ "\xE6\x9D\xB1\xE4\xBA\xAC", "??", "??", { 4, 2, 2 } },	/* 東京 */
	{ "\xE2\x9D\xA4\xEF\xB8\x8F", "?", "?", { 2, 1, 1 } },	/* ❤️ */
	{ "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", "?", "?", { 2, 1, 1 } },	/* 🇫🇷 */
	{ "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D"
	    "\xF0\x9F\x91\xA7", "?", "?", { 2, 1, 1 } },		/* family */
	{ "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "?", "?", { 2, 1, 1 } },	/* 👍🏽 */
	{ "\xCE\xB1\xCE\xB2", "??", "??", { 2, 2, 2 } },		/* αβ */
	{ "\xEF\xBF\xBD", "?", "?", { 1, 1, 1 } },			/* U+FFFD */
};

static void
test_encode(void)
{
	struct buf	 b = BUF_INIT;
	const char	*want;
	size_t		 i, inlen;
	int		 cs;

	for (i = 0; i < sizeof(encode_tests) / sizeof(encode_tests[0]); i++) {
		inlen = strlen(encode_tests[i].in);
		for (cs = TEXT_UTF8; cs <= TEXT_ASCII; cs++) {
			want = cs == TEXT_UTF8 ? encode_tests[i].in :
			    cs == TEXT_LATIN1 ? encode_tests[i].latin1 :
			    encode_tests[i].ascii;
			buf_reset(&b);
			ok(text_encode(&b, encode_tests[i].in, inlen, cs) == 0,
			    "encode returns 0");
			is_mem(b.data, b.len, want, strlen(want),
			    encode_tests[i].in, csname[cs]);
			if (!is_int(text_width(encode_tests[i].in, inlen, cs),
			    encode_tests[i].w[cs], csname[cs]))
				printf("#  input: %s\n", encode_tests[i].in);
		}
	}
	is_int(text_width("", 0, TEXT_UTF8), 0, "empty width");
	is_int(text_width("a\tb", 3, TEXT_UTF8), 2, "TAB counts no column");
	is_int(text_width("\xE9t\xE9", 3, TEXT_UTF8), 3,
	    "invalid bytes count as U+FFFD");
	buf_reset(&b);
	text_encode(&b, "\xE9t\xE9", 3, TEXT_ASCII);
	is_str(b.data, "?t?", "\\xE9t\\xE9", "invalid bytes encode as ?");
	buf_release(&b);
}

/*
 * Every BMP code point and a sample of the others: ASCII output is 7-bit
 * and Latin-1 output has no C1 byte; the width is the number of bytes.
 */
static void
test_encode_all(void)
{
	struct buf	 b = BUF_INIT;
	char		 u8[4];
	unsigned long	 cp, bad7 = 0, badc1 = 0, badw = 0, first = 0;
	size_t		 k, n;
	int		 cs;

	for (cp = 0x20; cp < 0x110000; cp += cp < 0x10000 ? 1 : 97) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (cp < 0x80) {
			u8[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			u8[0] = (char)(0xC0 | (cp >> 6));
			u8[1] = (char)(0x80 | (cp & 0x3F));
			n = 2;
		} else if (cp < 0x10000) {
			u8[0] = (char)(0xE0 | (cp >> 12));
			u8[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u8[2] = (char)(0x80 | (cp & 0x3F));
			n = 3;
		} else {
			u8[0] = (char)(0xF0 | (cp >> 18));
			u8[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
			u8[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			u8[3] = (char)(0x80 | (cp & 0x3F));
			n = 4;
		}
		if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			continue;
		for (cs = TEXT_LATIN1; cs <= TEXT_ASCII; cs++) {
			buf_reset(&b);
			text_encode(&b, u8, n, cs);
			for (k = 0; k < b.len; k++) {
				unsigned char c = (unsigned char)b.data[k];

				if (cs == TEXT_ASCII && c >= 0x80) {
					if (bad7++ == 0)
						first = cp;
				}
				if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
					if (badc1++ == 0)
						first = cp;
				}
			}
			if (text_width(u8, n, cs) != b.len && badw++ == 0)
				first = cp;
		}
	}
	if (!ok(bad7 == 0 && badc1 == 0 && badw == 0,
	    "every code point: 7-bit ASCII, no control, width = bytes"))
		printf("# 8-bit %lu, control %lu, width %lu, first U+%04lX\n",
		    bad7, badc1, badw, first);
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* text_wrap: exact bytes */

static const struct {
	const char	*in;
	size_t		 width;
	int		 cs;
	const char	*first, *rest;
	const char	*want;
	const char	*what;
} wrap_tests[] = {
	/* The torture sentence, plain spaces, at 20 columns. */
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9 : " LAQ " Nous devons agir "
	    "ensemble ! " RAQ, 20, TEXT_UTF8, NULL, NULL,
	    "Le ministre a\nd\xC3\xA9" "clar\xC3\xA9 : " LAQ " Nous\n"
	    "devons agir\nensemble ! " RAQ "\n", "plain spaces, utf8" },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9 : " LAQ " Nous devons agir "
	    "ensemble ! " RAQ, 20, TEXT_LATIN1, NULL, NULL,
	    "Le ministre a\nd\xE9" "clar\xE9 : \xAB Nous\n"
	    "devons agir\nensemble ! \xBB\n", "plain spaces, latin1" },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9 : " LAQ " Nous devons agir "
	    "ensemble ! " RAQ, 20, TEXT_ASCII, NULL, NULL,
	    "Le ministre a\ndeclare : << Nous\n"
	    "devons agir\nensemble ! >>\n", "plain spaces, ascii" },
	/* The same with French spacing applied. */
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9" NBSP ": " LAQ NBSP "Nous devons "
	    "agir ensemble" NNBSP "!" NNBSP RAQ, 20, TEXT_UTF8, NULL, NULL,
	    "Le ministre a\nd\xC3\xA9" "clar\xC3\xA9" NBSP ": " LAQ NBSP "Nous\n"
	    "devons agir\nensemble" NNBSP "!" NNBSP RAQ "\n", "french, utf8" },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9" NBSP ": " LAQ NBSP "Nous devons "
	    "agir ensemble" NNBSP "!" NNBSP RAQ, 20, TEXT_LATIN1, NULL, NULL,
	    "Le ministre a\nd\xE9" "clar\xE9\xA0: \xAB\xA0Nous\n"
	    "devons agir\nensemble\xA0!\xA0\xBB\n", "french, latin1" },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9" NBSP ": " LAQ NBSP "Nous devons "
	    "agir ensemble" NNBSP "!" NNBSP RAQ, 20, TEXT_ASCII, NULL, NULL,
	    "Le ministre a\ndeclare : << Nous\n"
	    "devons agir\nensemble ! >>\n", "french, ascii" },
	/* The rules that UAX #14 alone would not keep. */
	{ "Nous devons agir ensemble " RAQ, 25, TEXT_UTF8, NULL, NULL,
	    "Nous devons agir\nensemble " RAQ "\n", "no break before a plain-spaced \xC2\xBB" },
	{ "Nous devons agir ensemble " RAQ, 25, TEXT_ASCII, NULL, NULL,
	    "Nous devons agir\nensemble >>\n", "no >> at line start" },
	{ "Il a dit " LAQ " Nous devons", 10, TEXT_UTF8, NULL, NULL,
	    "Il a dit\n" LAQ " Nous\ndevons\n", "no \xC2\xAB at line end" },
	{ "Il a dit " LAQ " Nous devons", 11, TEXT_ASCII, NULL, NULL,
	    "Il a dit\n<< Nous\ndevons\n", "no << at line end" },
	{ "Il dit ceci : texte", 12, TEXT_UTF8, NULL, NULL,
	    "Il dit\nceci : texte\n", "no break before a plain-spaced :" },
	{ "Quoi donc ? Oui ; non !", 9, TEXT_UTF8, NULL, NULL,
	    "Quoi\ndonc ?\nOui ;\nnon !\n", "no break before ? ; ! (narrow)" },
	{ "Quoi donc ? Oui ; non !", 12, TEXT_ASCII, NULL, NULL,
	    "Quoi donc ?\nOui ; non !\n", "no break before ? ; !" },
	/* Hard cuts. */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaa", 10, TEXT_UTF8, NULL, NULL,
	    "aaaaaaaaaa\naaaaaaaaaa\naaaaa\n", "long word cut" },
	{ "aaaaaaaaaa!", 10, TEXT_UTF8, NULL, NULL,
	    "aaaaaaaaa\na!\n", "cut backs off before !" },
	{ "aaaaaaaaa" RAQ "b", 10, TEXT_UTF8, NULL, NULL,
	    "aaaaaaaaa" RAQ "\nb\n", "cut after \xC2\xBB is fine" },
	{ "aaaaaaaaa" LAQ "bb", 10, TEXT_UTF8, NULL, NULL,
	    "aaaaaaaaa\n" LAQ "bb\n", "cut backs off after \xC2\xAB" },
	{ "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2,
	    TEXT_UTF8, NULL, NULL, "e\xCC\x81" "e\xCC\x81\ne\xCC\x81" "e\xCC\x81\n"
	    "e\xCC\x81\n", "never split a grapheme" },
	{ "\xF0\x9F\x8C\x8D\xF0\x9F\x8C\x8D\xF0\x9F\x8C\x8D", 5, TEXT_UTF8,
	    NULL, NULL, "\xF0\x9F\x8C\x8D\xF0\x9F\x8C\x8D\n\xF0\x9F\x8C\x8D\n",
	    "emoji count two" },
	{ "\xE6\x9D\xB1\xE4\xBA\xAC", 1, TEXT_UTF8, NULL, NULL,
	    "\xE6\x9D\xB1\n\xE4\xBA\xAC\n", "wider than the room: one a line" },
	{ "\xC5\x93\xC5\x93\xC5\x93\xC5\x93", 4, TEXT_UTF8, NULL, NULL,
	    "\xC5\x93\xC5\x93\xC5\x93\xC5\x93\n", "oe is one column in UTF-8" },
	{ "\xC5\x93\xC5\x93\xC5\x93\xC5\x93", 4, TEXT_ASCII, NULL, NULL,
	    "oeoe\noeoe\n", "oe is two columns in ASCII" },
	{ "\xC5\x93\xC5\x93\xC5\x93\xC5\x93", 3, TEXT_LATIN1, NULL, NULL,
	    "oe\noe\noe\noe\n", "a transliteration is never split" },
	/* Spaces, prefixes, end of line. */
	{ "a    b", 3, TEXT_UTF8, NULL, NULL, "a\nb\n", "no trailing spaces" },
	{ "  a b  ", 10, TEXT_UTF8, NULL, NULL, "a b\n", "outer spaces dropped" },
	{ "a\nb\tc\rd", 20, TEXT_UTF8, NULL, NULL, "a b c d\n",
	    "LF, TAB, CR are spaces" },
	{ "xx a" NBSP "b", 4, TEXT_UTF8, NULL, NULL, "xx\na" NBSP "b\n",
	    "no break at a no-break space" },
	{ "xx a" NNBSP "b", 4, TEXT_ASCII, NULL, NULL, "xx\na b\n",
	    "no break at U+202F, a space in ASCII" },
	{ "", 10, TEXT_UTF8, NULL, NULL, "", "empty input, no line" },
	{ "   ", 10, TEXT_UTF8, "* ", "  ", "", "blank input, no line" },
	{ "un \xC3\xA9l\xC3\xA9ment de liste assez long", 12, TEXT_UTF8, "* ",
	    "  ", "* un \xC3\xA9l\xC3\xA9ment\n  de liste\n  assez long\n",
	    "hanging indent" },
	{ "une citation " LAQ " longue " RAQ, 12, TEXT_LATIN1,
	    RAQ " ", RAQ " ", "\xBB une\n\xBB citation\n\xBB \xAB longue \xBB\n",
	    "prefixes encoded" },
	{ "une citation longue", 12, TEXT_ASCII, RAQ " ", RAQ " ",
	    ">> une\n>> citation\n>> longue\n", "prefix width in ASCII" },
	{ "mot", 2, TEXT_UTF8, "> ", "> ", "> m\n> o\n> t\n",
	    "prefix as wide as the width" },
	{ "a b", 10, TEXT_UTF8, NULL, NULL, "a b\n", "fits" },
	{ "La Route nationale n\xC2\xB0" "1 a \xC3\xA9t\xC3\xA9 le th\xC3\xA9\xC3\xA2tre",
	    22, TEXT_ASCII, NULL, NULL,
	    "La Route nationale no1\na ete le theatre\n", "n\xC2\xB0 is no, ascii" },
	{ "La Route nationale n\xC2\xB0" "1 a \xC3\xA9t\xC3\xA9 le th\xC3\xA9\xC3\xA2tre",
	    22, TEXT_LATIN1, NULL, NULL,
	    "La Route nationale n\xB0" "1\na \xE9t\xE9 le th\xE9\xE2tre\n",
	    "n\xC2\xB0 kept, latin1" },
	{ "Il fait 30 \xC2\xB0" "C au N\xC2\xB0 5", 7, TEXT_ASCII, NULL, NULL,
	    "Il fait\n30 degC\nau No 5\n", "deg and No, ascii" },
	{ "web. \xEF\xBB\xBFTitle", 5, TEXT_LATIN1, NULL, NULL, "web.\nTitle\n",
	    "invisible characters trimmed with the spaces" },
	/*
	 * What Latin-1 and ASCII spell as spaces or as nothing is trimmed
	 * like a space (tests/fuzz/corpus/text/crash-wrap-*).
	 */
	{ "mot\xEF\xB9\xBC", 10, TEXT_ASCII, "* ", "  ", "* mot\n",
	    "U+FE7C, spelt \" \", trimmed at the end, ascii" },
	{ "mot\xEF\xB9\xBC", 10, TEXT_LATIN1, "* ", "  ", "* mot\n",
	    "U+FE7C, spelt \" \", trimmed at the end, latin1" },
	{ "a\xCB\x98" "b c\xCE\x84", 10, TEXT_ASCII, NULL, NULL, "a b c\n",
	    "spacing accents: a space inside, trimmed at the end" },
	{ "fin\xE2\x80\xA9", 10, TEXT_LATIN1, "* ", "  ", "* fin\n",
	    "U+2029 trimmed at the end, latin1" },
	{ "fin\xE2\x80\xA9", 10, TEXT_UTF8, "* ", "  ", "* fin\n",
	    "U+2029 trimmed at the end, utf8" },
	{ "un\xE2\x80\xA8" "deux", 4, TEXT_ASCII, NULL, NULL, "un\ndeux\n",
	    "U+2028 dropped at a break, ascii" },
	{ "un\xE2\x80\xA8" "deux", 4, TEXT_UTF8, NULL, NULL, "un\ndeux\n",
	    "U+2028 dropped at a break, utf8" },
	{ "\xE2\x80\xA9", 10, TEXT_ASCII, "* ", "  ", "",
	    "U+2029 alone: no line" },
	{ "\xCC\x81", 17, TEXT_LATIN1, "* ", "  ", "",
	    "a lone mark spells nothing: no line, latin1" },
	{ "\xCC\x81", 17, TEXT_ASCII, "* ", "  ", "",
	    "a lone mark spells nothing: no line, ascii" },
	{ "\xCC\x81 mot", 10, TEXT_ASCII, "* ", "  ", "* mot\n",
	    "a lone mark then a word" },
	{ "mot\xE2\x80\xA9\xCC\x81", 10, TEXT_LATIN1, "> ", "> ", "> mot\n",
	    "a lone mark after U+2029 (a grapheme break)" },
};

static void
test_wrap_table(void)
{
	struct buf		 b = BUF_INIT;
	struct text_wrap	 tw;
	size_t			 i;
	const char		*eol[] = { "\n", "\r\n" };
	int			 e;

	for (i = 0; i < sizeof(wrap_tests) / sizeof(wrap_tests[0]); i++) {
		memset(&tw, 0, sizeof(tw));
		tw.width = wrap_tests[i].width;
		tw.charset = wrap_tests[i].cs;
		tw.first = wrap_tests[i].first;
		tw.rest = wrap_tests[i].rest;
		tw.eol = "\n";
		buf_reset(&b);
		ok(text_wrap(&b, wrap_tests[i].in, strlen(wrap_tests[i].in),
		    &tw) == 0, "wrap returns 0");
		is_mem(b.data, b.len, wrap_tests[i].want,
		    strlen(wrap_tests[i].want), wrap_tests[i].in,
		    wrap_tests[i].what);
	}
	/* CRLF ends lines as asked. */
	for (e = 0; e < 2; e++) {
		memset(&tw, 0, sizeof(tw));
		tw.width = 5;
		tw.charset = TEXT_ASCII;
		tw.eol = eol[e];
		buf_reset(&b);
		text_wrap(&b, "un deux trois", 13, &tw);
		is_str(b.data, e ? "un\r\ndeux\r\ntrois\r\n" : "un\ndeux\ntrois\n",
		    "un deux trois", "eol");
	}
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* text_wrap: the real article, checked line by line */

/* The independent transliteration of the characters the article uses. */
static const struct {
	const char	*u8;
	const char	*latin1;
	const char	*ascii;
} article_chars[] = {
	{ "\xC3\xA9", "\xE9", "e" }, { "\xC3\xA8", "\xE8", "e" },
	{ "\xC3\xAA", "\xEA", "e" }, { "\xC3\xAB", "\xEB", "e" },
	{ "\xC3\xA0", "\xE0", "a" }, { "\xC3\xA2", "\xE2", "a" },
	{ "\xC3\xA7", "\xE7", "c" }, { "\xC3\xB4", "\xF4", "o" },
	{ "\xC3\xAE", "\xEE", "i" }, { "\xC3\xAF", "\xEF", "i" },
	{ "\xC3\xBB", "\xFB", "u" }, { "\xC3\xB9", "\xF9", "u" },
	{ "\xC3\x89", "\xC9", "E" }, { "\xC3\x80", "\xC0", "A" },
	{ LAQ, "\xAB", "<<" }, { RAQ, "\xBB", ">>" },
	{ APOS, "'", "'" }, { "\xC5\x93", "oe", "oe" }, { "\xC5\x92", "OE", "OE" },
	{ NBSP, "\xA0", " " }, { NNBSP, "\xA0", " " },
};

/* The paragraph in the charset, built without text.c; -1 on a surprise. */
static int
expect_text(struct buf *out, const char *s, int cs)
{
	size_t	 i, k, l;

	for (i = 0; s[i] != '\0'; ) {
		if ((unsigned char)s[i] < 0x80) {
			buf_addc(out, s[i++]);
			continue;
		}
		for (k = 0; k < sizeof(article_chars) / sizeof(article_chars[0]);
		    k++) {
			l = strlen(article_chars[k].u8);
			if (strncmp(s + i, article_chars[k].u8, l) == 0)
				break;
		}
		if (k == sizeof(article_chars) / sizeof(article_chars[0])) {
			printf("# unexpected character at \"%.12s\"\n", s + i);
			return -1;
		}
		buf_puts(out, cs == TEXT_UTF8 ? article_chars[k].u8 :
		    cs == TEXT_LATIN1 ? article_chars[k].latin1 :
		    article_chars[k].ascii);
		i += l;
	}
	return 0;
}

/* Columns of one output line, counted without text.c. */
static size_t
line_cols(const char *s, size_t n, int cs)
{
	size_t	 i, w = 0;

	for (i = 0; i < n; i++)
		if (cs != TEXT_UTF8 || ((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	return w;
}

static int
starts_with(const char *s, size_t n, const char *p)
{
	return n >= strlen(p) && memcmp(s, p, strlen(p)) == 0;
}

static int
ends_with(const char *s, size_t n, const char *p)
{
	return n >= strlen(p) && memcmp(s + n - strlen(p), p, strlen(p)) == 0;
}

/*
 * Check one wrapped paragraph: every line fits, none starts with
 * » ; : ! ? nor ends with « or a space, ASCII is 7-bit, and the lines
 * joined at their breaks give back the whole expected text.
 */
static void
check_wrapped(const char *para, const char *out, size_t outlen, size_t width,
    int cs, int greedy, const char *what)
{
	struct buf	 want = BUF_INIT;
	const char	*line, *nl, *next;
	const char	*lq = cs == TEXT_UTF8 ? LAQ : cs == TEXT_LATIN1 ?
			    "\xAB" : "<<";
	const char	*rq = cs == TEXT_UTF8 ? RAQ : cs == TEXT_LATIN1 ?
			    "\xBB" : ">>";
	size_t		 pos = 0, len, nlines = 0, k, tok;
	int		 good = 1;
	char		 why[160] = "";

	if (expect_text(&want, para, cs) == -1) {
		ok(0, "%s: the paragraph has only known characters", what);
		buf_release(&want);
		return;
	}
	for (line = out; line < out + outlen && good; line = nl + 1) {
		if ((nl = memchr(line, '\n', out + outlen - line)) == NULL) {
			tap_snprintf(why, sizeof(why), "last line without eol");
			good = 0;
			break;
		}
		len = nl - line;
		nlines++;
		if (len == 0 || line_cols(line, len, cs) > width ||
		    (cs == TEXT_UTF8 && text_width(line, len, cs) != line_cols(line,
		    len, cs))) {
			tap_snprintf(why, sizeof(why), "line %zu: width %zu", nlines,
			    line_cols(line, len, cs));
			good = 0;
		}
		if (starts_with(line, len, rq) || starts_with(line, len, ";") ||
		    starts_with(line, len, ":") || starts_with(line, len, "!") ||
		    starts_with(line, len, "?") || starts_with(line, len, " ")) {
			tap_snprintf(why, sizeof(why), "line %zu starts badly", nlines);
			good = 0;
		}
		if (ends_with(line, len, lq) || ends_with(line, len, " ") ||
		    ends_with(line, len, cs == TEXT_LATIN1 ? "\xA0" : NBSP) ||
		    ends_with(line, len, NNBSP)) {
			tap_snprintf(why, sizeof(why), "line %zu ends badly", nlines);
			good = 0;
		}
		for (k = 0; cs == TEXT_ASCII && k < len; k++)
			if ((unsigned char)line[k] >= 0x80) {
				tap_snprintf(why, sizeof(why), "line %zu: 8-bit byte",
				    nlines);
				good = 0;
			}
		/* No text lost or added: the line continues the paragraph. */
		if (nlines > 1)
			while (pos < want.len && want.data[pos] == ' ')
				pos++;
		if (pos + len > want.len || memcmp(want.data + pos, line, len)) {
			tap_snprintf(why, sizeof(why), "line %zu is not the text at %zu",
			    nlines, pos);
			good = 0;
		}
		pos += len;
		/*
		 * Greedy: the first word of the next line (up to a plain
		 * space) did not fit on this one.
		 */
		next = nl + 1;
		if (greedy && good && next < out + outlen) {
			for (tok = 0; next + tok < out + outlen &&
			    next[tok] != ' ' && next[tok] != '\n'; tok++)
				;
			if (line_cols(line, len, cs) + 1 + line_cols(next, tok,
			    cs) <= width) {
				tap_snprintf(why, sizeof(why), "line %zu: room left",
				    nlines);
				good = 0;
			}
		}
	}
	while (good && pos < want.len && want.data[pos] == ' ')
		pos++;
	if (good && pos != want.len) {
		tap_snprintf(why, sizeof(why), "text lost after %zu of %zu", pos,
		    want.len);
		good = 0;
	}
	if (!ok(good, "%s (%zu lines)", what, nlines)) {
		printf("# %s\n# output:\n", why);
		fwrite(out, 1, outlen, stdout);
	}
	buf_release(&want);
}

static void
test_wrap_article(void)
{
	static const size_t	 widths[] = { 67, 40, 20 };
	struct buf		 fr = BUF_INIT, b = BUF_INIT;
	struct text_wrap	 tw;
	char			*data, *para[16];
	char			 what[96];
	size_t			 len, np, i, w;
	int			 cs, spaced, found_guillemets = 0;

	if ((data = data_read("articles/2024-11-28-gpsa-paix-securite.txt",
	    &len)) == NULL) {
		ok(0, "GPSA article readable");
		return;
	}
	np = body_paragraphs(data, para, 16);
	is_int(np, 7, "GPSA: seven body paragraphs");
	for (i = 0; i < np; i++) {
		if (strstr(para[i], LAQ " ") != NULL)
			found_guillemets++;
		buf_reset(&fr);
		text_french_spacing(&fr, para[i], strlen(para[i]));
		for (spaced = 0; spaced < 2; spaced++)
			for (w = 0; w < 3; w++)
				for (cs = TEXT_UTF8; cs <= TEXT_ASCII; cs++) {
					memset(&tw, 0, sizeof(tw));
					tw.width = widths[w];
					tw.charset = cs;
					tw.eol = "\n";
					buf_reset(&b);
					if (text_wrap(&b, spaced ? fr.data : para[i],
					    spaced ? fr.len : strlen(para[i]),
					    &tw) == -1) {
						ok(0, "wrap failed");
						continue;
					}
					tap_snprintf(what, sizeof(what),
					    "GPSA paragraph %zu, %s, %zu cols, %s",
					    i + 1, spaced ? "french" : "plain",
					    widths[w], csname[cs]);
					check_wrapped(spaced ? fr.data : para[i],
					    b.data, b.len, widths[w], cs,
					    spaced && cs != TEXT_ASCII, what);
				}
	}
	is_int(found_guillemets, 2, "GPSA: two paragraphs quote with \xC2\xAB");
	free(data);
	buf_release(&fr);
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* The typography torture article */

static void
test_typography(void)
{
	struct buf		 clean = BUF_INIT, fr = BUF_INIT, b = BUF_INIT;
	struct text_wrap	 tw;
	char			*data, *para[16], *p;
	const char		*nl, *line;
	size_t			 len, np, i, w, l, k, bad = 0;
	int			 cs, spaced, is_url;

	if ((data = data_read("torture/2025-03-14-typographie.txt",
	    &len)) == NULL) {
		ok(0, "typographie readable");
		return;
	}
	ok(text_sanitize(&clean, data, len, TEXT_DROP_BOM | TEXT_KEEP_NL |
	    TEXT_KEEP_TAB, NULL, NULL) == 0, "typographie sanitised");
	ok(strncmp(clean.data, "Title: ", 7) == 0, "BOM dropped");
	ok(strchr(clean.data, '\r') == NULL, "CR dropped");
	ok(strstr(clean.data, "\xC3\xA9t\xC3\xA9, Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e,"
	    " No\xC3\xABl, \xC3\xA7" "a.") != NULL, "decomposed accents composed");
	ok(strstr(clean.data, "\xCC") == NULL, "no combining mark left");
	ok(strstr(clean.data, "\a") == NULL && strstr(clean.data, "\t") != NULL,
	    "BEL dropped, TAB kept");

	np = body_paragraphs(clean.data, para, 16);
	ok(np >= 10, "typographie: body paragraphs");
	/*
	 * Every width from 6 to 70, every charset, plain and French-spaced.
	 * Below 6 columns "à ! »" (6 in ASCII), which may not be split,
	 * cannot fit, and the rules give way to the width.  Out of UTF-8
	 * a "?" may be a character without a spelling (the emoji).
	 */
	for (i = 0; i < np; i++) {
		if (strncmp(para[i], "=> ", 3) == 0)
			continue;
		buf_reset(&fr);
		text_french_spacing(&fr, para[i], strlen(para[i]));
		for (spaced = 0; spaced < 2; spaced++)
		for (w = 6; w <= 70; w++)
		for (cs = TEXT_UTF8; cs <= TEXT_ASCII; cs++) {
			memset(&tw, 0, sizeof(tw));
			tw.width = w;
			tw.charset = cs;
			tw.eol = "\n";
			buf_reset(&b);
			p = spaced ? fr.data : para[i];
			text_wrap(&b, p, strlen(p), &tw);
			for (line = b.data; line < b.data + b.len; line = nl + 1) {
				nl = memchr(line, '\n', b.data + b.len - line);
				l = nl - line;
				/* A URL is never cut: its line may be wider. */
				is_url = memchr(line, ' ', l) == NULL &&
				    l > 8 && strncmp(line, "https://", 8) == 0;
				if ((!is_url && (text_width(line, l, cs) > w ||
				    line_cols(line, l, cs) > (cs == TEXT_UTF8 ?
				    SIZE_MAX : w))) ||
				    starts_with(line, l, RAQ) ||
				    starts_with(line, l, "\xBB") ||
				    starts_with(line, l, ">>") ||
				    starts_with(line, l, ":") ||
				    starts_with(line, l, ";") ||
				    starts_with(line, l, "!") ||
				    (cs == TEXT_UTF8 &&
				    starts_with(line, l, "?")) ||
				    ends_with(line, l, LAQ) ||
				    ends_with(line, l, "\xAB") ||
				    ends_with(line, l, "<<") ||
				    ends_with(line, l, " ")) {
					if (bad++ == 0) {
						printf("# width %zu %s: \"", w,
						    csname[cs]);
						fwrite(line, 1, l, stdout);
						printf("\"\n");
					}
				}
				for (k = 0; k < l; k++)
					if ((unsigned char)line[k] < 0x20 ||
					    (cs == TEXT_ASCII &&
					    (unsigned char)line[k] >= 0x80))
						bad++;
			}
		}
	}
	is_int(bad, 0, "typographie at widths 6-70: fits, no bad start or end");

	/* The ligature paragraph in ASCII. */
	for (i = 0; i < np; i++)
		if (strncmp(para[i], "Ligatures", 9) == 0)
			break;
	buf_reset(&b);
	if (i < np)
		text_encode(&b, para[i], strlen(para[i]), TEXT_ASCII);
	is_str(b.data ? b.data : "", "Ligatures : l'OEuvre des coeurs, les "
	    "soeurs et les boeufs ; AEsop et l'ex aequo.", "Ligatures...",
	    "ligatures in ASCII");

	/* The long URL: never cut, on a line of its own (text.h). */
	for (i = 0; i < np; i++)
		if (strncmp(para[i], "Un mot tr", 9) == 0)
			break;
	memset(&tw, 0, sizeof(tw));
	tw.width = 30;
	tw.charset = TEXT_UTF8;
	tw.eol = "\n";
	buf_reset(&b);
	if (i < np)
		text_wrap(&b, para[i], strlen(para[i]), &tw);
	is_str(b.data ? b.data : "", "Un mot tr\xC3\xA8s long :\n"
	    "https://exemple.tg/actualites/2025/03/14/un-chemin-vraiment-"
	    "tres-long-qui-depasse-largement-la-largeur-de-ligne-autorisee."
	    "html\nfin.\n", "Un mot...", "long URL at 30 columns: whole");
	tw.width = 20;
	buf_reset(&b);
	if (i < np)
		text_wrap(&b, para[i], strlen(para[i]), &tw);
	is_str(b.data ? b.data : "", "Un mot tr\xC3\xA8s long :\n"
	    "https://exemple.tg/actualites/2025/03/14/un-chemin-vraiment-"
	    "tres-long-qui-depasse-largement-la-largeur-de-ligne-autorisee."
	    "html\nfin.\n", "Un mot...", "long URL at 20 columns: whole");

	/* URL words: never cut; other words around them wrap as before. */
	{
		static const struct {
			const char	*in;
			size_t		 width;
			const char	*want;
		} uw[] = {
			/* Fits the rest of the line: stays there. */
			{ "Voir https://a.tg/x-y ici.", 30,
			    "Voir https://a.tg/x-y ici.\n" },
			/* Does not: starts the next line, whole. */
			{ "Voir le site https://a.tg/un-deux-trois ici.", 24,
			    "Voir le site\nhttps://a.tg/un-deux-trois\nici.\n" },
			/* Wider than any line: a line of its own. */
			{ "Lire https://exemple.tg/un-chemin-long fin", 12,
			    "Lire\nhttps://exemple.tg/un-chemin-long\nfin\n" },
			{ "Lire www.exemple.tg/un-chemin-long fin", 12,
			    "Lire\nwww.exemple.tg/un-chemin-long\nfin\n" },
			{ "Ecrire mailto:redaction-nuit@exemple.tg fin", 12,
			    "Ecrire\nmailto:redaction-nuit@exemple.tg\nfin\n" },
			{ "(gopher://exemple.tg/0/a-b-c-d), fin", 10,
			    "(gopher://exemple.tg/0/a-b-c-d),\nfin\n" },
			{ "\xC2\xAB https://exemple.tg/a-b-c-d \xC2\xBB", 10,
			    "\xC2\xAB https://exemple.tg/a-b-c-d \xC2\xBB\n" },
			/* Not URLs: cut as before. */
			{ "Saint-Jean-de-Luz", 12, "Saint-Jean-\nde-Luz\n" },
			{ "a://", 2, "a:\n//\n" },
			{ "://exemple-long", 10, "://\nexemple-\nlong\n" },
		};
		size_t	 h;
		int	 cs2;

		memset(&tw, 0, sizeof(tw));
		tw.charset = TEXT_UTF8;
		tw.eol = "\n";
		for (h = 0; h < sizeof(uw) / sizeof(uw[0]); h++) {
			tw.width = uw[h].width;
			buf_reset(&b);
			text_wrap(&b, uw[h].in, strlen(uw[h].in), &tw);
			is_str(b.data ? b.data : "", uw[h].want, uw[h].in,
			    "URL word");
		}
		/* The same in every charset: a URL is ASCII. */
		for (cs2 = TEXT_LATIN1; cs2 <= TEXT_ASCII; cs2++) {
			tw.charset = (enum text_charset)cs2;
			tw.width = 12;
			buf_reset(&b);
			text_wrap(&b, uw[2].in, strlen(uw[2].in), &tw);
			is_str(b.data ? b.data : "", uw[2].want, uw[2].in,
			    csname[cs2]);
		}
	}

	/* French hyphens: never a-/t-il; a compound moves whole. */
	{
		static const struct {
			const char	*in;
			size_t		 width;
			const char	*want;
		} hy[] = {
			{ "Mais que va-t-il faire ?", 14,
			    "Mais que\nva-t-il\nfaire ?\n" },
			{ "Pourquoi a-t-il dit cela ?", 11,
			    "Pourquoi\na-t-il dit\ncela ?\n" },
			{ "La reconstruction post-conflit.", 24,
			    "La reconstruction\npost-conflit.\n" },
			{ "Le porte-parole parle.", 12,
			    "Le\nporte-parole\nparle.\n" },
			{ "Oui, dit-elle, demain.", 12,
			    "Oui,\ndit-elle,\ndemain.\n" },
			/* Wider than the line: the hyphen, not a letter. */
			{ "Saint-Jean-de-Luz", 12, "Saint-Jean-\nde-Luz\n" },
			/* Even then, before a pronoun only as a last resort. */
			{ "Saint-Viendra-t-elle", 16, "Saint-\nViendra-t-elle\n" },
			{ "Viendra-t-elle", 12, "Viendra-t-\nelle\n" },
		};
		size_t	 h;

		memset(&tw, 0, sizeof(tw));
		tw.charset = TEXT_UTF8;
		tw.eol = "\n";
		for (h = 0; h < sizeof(hy) / sizeof(hy[0]); h++) {
			tw.width = hy[h].width;
			buf_reset(&b);
			text_wrap(&b, hy[h].in, strlen(hy[h].in), &tw);
			is_str(b.data ? b.data : "", hy[h].want, hy[h].in,
			    "French hyphen");
		}
	}

	/* TAB and controls never survive text_fit, even unsanitised. */
	bad = 0;
	p = strstr(data, "Tabulation");
	for (w = 5; p != NULL && w < 120; w++)
		for (cs = TEXT_UTF8; cs <= TEXT_ASCII; cs++) {
			buf_reset(&b);
			text_fit(&b, p, strcspn(p, "\n"), w, cs);
			for (k = 0; k < b.len; k++)
				if ((unsigned char)b.data[k] < 0x20 ||
				    b.data[k] == 0x7F)
					bad++;
			if (text_width(b.data, b.len, cs) > w)
				bad++;
		}
	ok(p != NULL && bad == 0, "text_fit: no control, never too wide");

	free(data);
	buf_release(&clean);
	buf_release(&fr);
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* text_fit */

static const struct {
	const char	*in;
	size_t		 width;
	int		 cs;
	const char	*want;
} fit_tests[] = {
	{ "Titre court", 20, TEXT_UTF8, "Titre court" },
	{ "Titre court", 11, TEXT_ASCII, "Titre court" },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9 : " LAQ " Nous", 20, TEXT_UTF8,
	    "Le ministre a d\xC3\xA9" "cla\xE2\x80\xA6" },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9 : " LAQ " Nous", 20,
	    TEXT_LATIN1, "Le ministre a d\xE9" "c..." },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9 : " LAQ " Nous", 20,
	    TEXT_ASCII, "Le ministre a dec..." },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9", 15, TEXT_UTF8,
	    "Le ministre a\xE2\x80\xA6" },
	{ "Le ministre a d\xC3\xA9" "clar\xC3\xA9", 17, TEXT_ASCII,
	    "Le ministre a..." },
	{ "a\tb\r\nc\x07" "d\xC2\x85" "e", 20, TEXT_UTF8, "a b  c d e" },
	{ "a  b", 20, TEXT_UTF8, "a  b" },
	{ "\xE6\x9D\xB1\xE4\xBA\xAC\xF0\x9F\x8C\x8D", 4, TEXT_UTF8,
	    "\xE6\x9D\xB1\xE2\x80\xA6" },
	{ "\xE6\x9D\xB1\xE4\xBA\xAC\xF0\x9F\x8C\x8D", 6, TEXT_UTF8,
	    "\xE6\x9D\xB1\xE4\xBA\xAC\xF0\x9F\x8C\x8D" },
	{ "\xE6\x9D\xB1\xE4\xBA\xAC\xF0\x9F\x8C\x8D", 4, TEXT_ASCII, "???" },
	{ "abe\xCC\x81" "cd", 4, TEXT_UTF8, "abe\xCC\x81\xE2\x80\xA6" },
	{ "\xC5\x93\xC5\x93\xC5\x93\xC5\x93", 4, TEXT_UTF8,
	    "\xC5\x93\xC5\x93\xC5\x93\xC5\x93" },
	{ "\xC5\x93\xC5\x93\xC5\x93\xC5\x93", 7, TEXT_ASCII, "oeoe..." },
	{ "abcdef", 0, TEXT_UTF8, "" },
	{ "abcdef", 2, TEXT_ASCII, ".." },
	{ "abcdef", 1, TEXT_UTF8, "\xE2\x80\xA6" },
	{ "", 5, TEXT_UTF8, "" },
	{ "\xFF" "abc", 4, TEXT_UTF8, "\xEF\xBF\xBD" "abc" },
	/* A spacing accent, spelt " ", goes before the ellipsis too. */
	{ "abcdef\xCB\x98" "ghij", 10, TEXT_ASCII, "abcdef..." },
	{ "abcdef\xCB\x98" "ghij", 10, TEXT_LATIN1, "abcdef..." },
};

static void
test_fit(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(fit_tests) / sizeof(fit_tests[0]); i++) {
		buf_reset(&b);
		ok(text_fit(&b, fit_tests[i].in, strlen(fit_tests[i].in),
		    fit_tests[i].width, fit_tests[i].cs) == 0, "fit returns 0");
		is_mem(b.data, b.len, fit_tests[i].want,
		    strlen(fit_tests[i].want), fit_tests[i].in,
		    csname[fit_tests[i].cs]);
	}
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* text_fold, text_words, text_slug */

static const struct {
	const char	*in;
	const char	*want;
} fold_tests[] = {
	{ "S\xC3\xA9" "curit\xC3\xA9", "securite" },
	{ "OEUVRE", "oeuvre" },
	{ "\xC5\x93uvre", "oeuvre" },
	{ "\xC5\x92UVRE", "oeuvre" },
	{ "L" APOS "Objectif", "l'objectif" },
	{ "Stra\xC3\x9F" "e", "strasse" },
	{ "\xC3\x86SOP \xC3\x86sop", "aesop aesop" },
	{ "\xC3\x87" "a\xE2\x80\x93va\xE2\x80\x94" "bien", "ca-va--bien" },
	{ "\xEF\xAC\x81n", "fin" },
	{ "Lom\xC3\xA9" NNBSP "!", "lome !" },
	{ "\xCE\x95\xCE\xBB\xCE\xBB\xCE\x86\xCE\xA3", "\xCE\xB5\xCE\xBB\xCE\xBB"
	    "\xCE\xAC\xCF\x83" },			/* ΕΛΛΆΣ */
	{ "\xCE\xB5\xCE\xBB\xCE\xBB\xCE\xAC\xCF\x82", "\xCE\xB5\xCE\xBB\xCE\xBB"
	    "\xCE\xAC\xCF\x83" },			/* ελλάς */
	{ "2024", "2024" },
	{ "N\xC2\xB0 1 \xC3\xA0 30 \xC2\xB0" "C", "no 1 a 30 degc" },
	{ "e\xCC\x81t\xC3\xA9", "ete" },		/* marks after Latin go */
	{ "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82\xE0\xA4\xA6\xE0\xA5\x80",
	    "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82\xE0\xA4\xA6\xE0\xA5\x80" },
	    /* हिंदी: marks after other scripts stay */
};

static void
test_fold(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(fold_tests) / sizeof(fold_tests[0]); i++) {
		buf_reset(&b);
		ok(text_fold(&b, fold_tests[i].in, strlen(fold_tests[i].in)) == 0,
		    "fold returns 0");
		is_mem(b.data, b.len, fold_tests[i].want,
		    strlen(fold_tests[i].want), fold_tests[i].in, "fold");
	}
	buf_release(&b);
}

struct words {
	struct buf	 all;
	int		 stop_at;	/* return 7 at this word (1-based), 0 never */
	int		 n;
};

static int
word_collect(void *arg, const char *word, size_t len)
{
	struct words	*w = arg;

	if (strlen(word) != len)
		return 99;
	buf_printf(&w->all, "[%s]", word);
	if (++w->n == w->stop_at)
		return 7;
	return 0;
}

static const struct {
	const char	*in;
	const char	*want;
} words_tests[] = {
	{ "L" APOS "objectif de la GPSA", "[l][objectif][de][la][gpsa]" },
	{ "post-conflit, 28 novembre 2024.", "[post][conflit][28][novembre][2024]" },
	{ "\xC5\x92uvre d" APOS "art \xC3\xA0 Lom\xC3\xA9 !",
	    "[oeuvre][d][art][a][lome]" },
	{ "  \xC2\xAB " LAQ " ... ", "" },
	{ "\xE6\x9D\xB1\xE4\xBA\xAC et \xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1",
	    "[\xE6\x9D\xB1\xE4\xBA\xAC][et][\xCE\xB1\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1]" },
	{ "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82\xE0\xA4\xA6\xE0\xA5\x80 x",
	    "[\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82\xE0\xA4\xA6\xE0\xA5\x80][x]" },
	{ "la RN1, n\xC2\xB0" "1 (30 \xC2\xB0" "C)", "[la][rn1][no1][30][degc]" },
	{ "", "" },
};

/* Words longer than any stack buffer, in ASCII and not. */
static void
test_words_long(void)
{
	struct buf	 in = BUF_INIT, want = BUF_INIT;
	struct words	 w;
	size_t		 k;
	int		 rv;

	buf_puts(&want, "[");
	for (k = 0; k < 300; k++) {
		buf_puts(&in, k % 50 == 49 ? "\xC3\x89" : "A");	/* É */
		buf_puts(&want, k % 50 == 49 ? "e" : "a");
	}
	buf_puts(&in, " \xCE\xA3");
	buf_puts(&want, "][\xCF\x83");
	for (k = 0; k < 200; k++) {
		buf_puts(&in, "\xCE\x91");		/* Α */
		buf_puts(&want, "\xCE\xB1");
	}
	buf_puts(&in, " ok");
	buf_puts(&want, "][ok]");
	memset(&w, 0, sizeof(w));
	buf_init(&w.all);
	rv = text_words(in.data, in.len, word_collect, &w);
	is_int(rv, 0, "text_words on long words returns 0");
	is_mem(w.all.data, w.all.len, want.data, want.len, "300 letters, 201 letters",
	    "long words");
	buf_release(&w.all);
	buf_release(&in);
	buf_release(&want);
}

static void
test_words(void)
{
	struct words	 w;
	size_t		 i;
	int		 rv;

	for (i = 0; i < sizeof(words_tests) / sizeof(words_tests[0]); i++) {
		memset(&w, 0, sizeof(w));
		buf_init(&w.all);
		buf_reserve(&w.all, 0);
		rv = text_words(words_tests[i].in, strlen(words_tests[i].in),
		    word_collect, &w);
		is_int(rv, 0, "text_words returns 0");
		is_mem(w.all.data, w.all.len, words_tests[i].want,
		    strlen(words_tests[i].want), words_tests[i].in, "words");
		buf_release(&w.all);
	}
	memset(&w, 0, sizeof(w));
	buf_init(&w.all);
	w.stop_at = 2;
	rv = text_words("un deux trois", 13, word_collect, &w);
	is_int(rv, 7, "text_words returns what the callback returned");
	is_int(w.n, 2, "and stops there");
	buf_release(&w.all);
	test_words_long();
}

static const struct {
	const char	*in;
	const char	*want;
} slug_tests[] = {
	{ "A la une", "a-la-une" },
	{ "S\xC3\xA9" "curit\xC3\xA9", "securite" },
	{ "\xC3\x89" "ducation", "education" },
	{ "Soci\xC3\xA9t\xC3\xA9", "societe" },
	{ "  \xC3\x89" "conomie & Finances  ", "economie-finances" },
	{ "\xC5\x92uvres d" APOS "art", "oeuvres-d-art" },
	{ "--x--", "x" },
	{ "C" NBSP "2024", "c-2024" },
	{ "Route n\xC2\xB0" "1", "route-no1" },
	{ "\xE6\x9D\xB1\xE4\xBA\xAC", "" },
	{ "", "" },
};

static void
test_slug(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(slug_tests) / sizeof(slug_tests[0]); i++) {
		buf_reset(&b);
		buf_reserve(&b, 0);
		ok(text_slug(&b, slug_tests[i].in, strlen(slug_tests[i].in)) == 0,
		    "slug returns 0");
		is_mem(b.data, b.len, slug_tests[i].want,
		    strlen(slug_tests[i].want), slug_tests[i].in, "slug");
	}
	buf_release(&b);
}

static const struct {
	const char	*in, *lang, *want;
} title_tests[] = {
	{ "février", "fr", "Février" },
	{ "août", "fr", "Août" },
	{ "écoles", "fr", "Écoles" },
	{ "œuvre", "fr", "Œuvre" },
	{ "january", "en", "January" },
	{ "istanbul", "tr", "İstanbul" },
	{ "mai", NULL, "Mai" },
	{ "", "fr", "" },
};

static void
test_title(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(title_tests) / sizeof(title_tests[0]); i++) {
		buf_reset(&b);
		buf_reserve(&b, 0);
		ok(text_title(&b, title_tests[i].in, strlen(title_tests[i].in),
		    title_tests[i].lang) == 0, "title returns 0");
		is_mem(b.data, b.len, title_tests[i].want,
		    strlen(title_tests[i].want), title_tests[i].in, "title");
	}
	buf_release(&b);
}

static void
test_from_latin1(void)
{
	struct buf	 b = BUF_INIT;

	ok(text_from_latin1(&b, "S\xE9" "curit\xE9 \xAB\xA0" "x\xA0\xBB", 14)
	    == 0, "from latin1 returns 0");
	is_str(b.data, "S\xC3\xA9" "curit\xC3\xA9 \xC2\xAB\xC2\xA0" "x"
	    "\xC2\xA0\xC2\xBB", NULL, "Latin-1 bytes read as UTF-8");
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* XML text and the escaping of log lines */

static const struct {
	const char	*in;
	size_t		 len;		/* 0: strlen */
	int		 want;
} xml_cases[] = {
	{ "Le Togo", 0, 1 }, { "", 0, 1 }, { "a\tb\nc\rd", 0, 1 },
	{ "d\xC3\xA9j\xC3\xA0 \xF0\x9F\x8C\x8D", 0, 1 },
	{ "\xEF\xBF\xBD\xEF\xBF\xBC\xEF\xBF\xAF", 0, 1 },
	{ "\x7F\xC2\x85", 0, 1 },		/* allowed, if discouraged */
	{ "\xE2\x80\xAE", 0, 1 },		/* XML's to carry, ours to drop */
	{ "a\0b", 3, 0 }, { "a\x01", 0, 0 }, { "\x1F", 0, 0 }, { "\x0B", 0, 0 },
	{ "t\xEF\xBF\xBE", 0, 0 }, { "t\xEF\xBF\xBF", 0, 0 },
	{ "\xFF", 0, 0 }, { "\xED\xA0\x80", 0, 0 }, { "\xC3", 0, 0 },
};

static const struct {
	const char	*in;
	size_t		 len;		/* 0: strlen */
	const char	*want;
} escape_cases[] = {
	{ "gemini://h/", 0, "gemini://h/" },
	{ "/a\r\n2026-01-01 forged", 0, "/a\\x0d\\x0a2026-01-01 forged" },
	{ "a\"b\\c", 0, "a\\x22b\\x5cc" },
	{ "caf\xc3\xa9", 0, "caf\xc3\xa9" },
	{ "caf\xe9", 0, "caf\\xe9" },
	{ "x\xc2\x85y", 0, "x\\xc2\\x85y" },
	{ "\x1b[31m", 0, "\\x1b[31m" },
	{ "a\0b", 3, "a\\x00b" },
	{ "tab\there", 0, "tab\\x09here" },
	{ "/search?\xE2\x80\xAEtxt.exe", 0, "/search?\\u202etxt.exe" },
	{ "\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", 0,
	    "\\u202a\\u202b\\u202c\\u202d" },
	{ "\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", 0,
	    "\\u2066\\u2067\\u2068\\u2069" },
	{ "\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", 0, "\\u200e\\u200f\\u061c" },
	{ "a\xE2\x80\xA8" "b\xE2\x80\xA9", 0, "a\\u2028b\\u2029" },
	{ "\xE2\x80\xAF\xE2\x80\x8D\xEF\xBF\xBF", 0,
	    "\xE2\x80\xAF\xE2\x80\x8D\xEF\xBF\xBF" },
	/* Not UTF-8 as a whole: every high byte as \xHH, U+202E too. */
	{ "\xE2\x80\xAE\xFF", 0, "\\xe2\\x80\\xae\\xff" },
};

static void
test_xml_escape(void)
{
	char	 out[256], what[64];
	size_t	 i, len, n;

	for (i = 0; i < sizeof(xml_cases) / sizeof(xml_cases[0]); i++) {
		len = xml_cases[i].len ? xml_cases[i].len :
		    strlen(xml_cases[i].in);
		tap_snprintf(what, sizeof(what), "text_is_xml, case %zu", i);
		is_int(text_is_xml(xml_cases[i].in, len), xml_cases[i].want,
		    what);
	}
	for (i = 0; i < sizeof(escape_cases) / sizeof(escape_cases[0]); i++) {
		len = escape_cases[i].len ? escape_cases[i].len :
		    strlen(escape_cases[i].in);
		tap_snprintf(what, sizeof(what), "text_escape, case %zu", i);
		n = text_escape(out, sizeof(out), escape_cases[i].in, len);
		is_mem(out, n, escape_cases[i].want,
		    strlen(escape_cases[i].want), escape_cases[i].in, what);
		ok(out[n] == '\0', "text_escape ends with NUL, case %zu", i);
	}
	n = text_escape(out, 8, "abcdefghij", 10);
	is_int(n, 7, "text_escape cuts to the room");
	n = text_escape(out, 7, "abc\x01xyz", 7);
	is_mem(out, n, "abc", 3, NULL, "text_escape never cuts an escape");
	n = text_escape(out, 9, "abc\xE2\x80\xAEz", 7);
	is_mem(out, n, "abc", 3, NULL, "text_escape never cuts a \\u escape");
	n = text_escape(out, 5, "ab\xC3\xA9z", 5);
	is_mem(out, n, "ab\xC3\xA9", 4, NULL,
	    "a UTF-8 sequence that fits is whole");
	n = text_escape(out, 4, "ab\xC3\xA9z", 5);
	is_mem(out, n, "ab", 2, NULL, "text_escape never cuts a sequence");
	n = text_escape(out, 0, "abc", 3);
	is_int(n, 0, "no room, nothing written");
}

/* ------------------------------------------------------------------ */
/* Language tags */

static const struct {
	const char	*tag;
	int		 want;
} lang_cases[] = {
	{ "fr", 1 }, { "en", 1 }, { "FR", 1 }, { "ewe", 1 },
	{ "fr-TG", 1 }, { "fr-tg", 1 }, { "es-419", 1 },
	{ "zh-Hant-TW", 1 }, { "de-CH-1901", 1 }, { "sl-rozaj-biske", 1 },
	{ "en-a-bbb-x-a-ccc", 1 }, { "fr-abcdefgh", 1 },
	{ "", 0 }, { "f", 0 }, { "fran", 0 }, { "french", 0 },
	{ "f1", 0 }, { "12", 0 }, { "fr-", 0 }, { "-fr", 0 },
	{ "fr--TG", 0 }, { "fr-abcdefghi", 0 }, { "fr_FR", 0 },
	{ "fr,en", 0 }, { "fr;x", 0 }, { "fr TG", 0 }, { "fr\r\n", 0 },
	{ "fr-\xC3\xA9", 0 },
};

static void
test_lang_tag(void)
{
	char	 what[64];
	size_t	 i;

	for (i = 0; i < sizeof(lang_cases) / sizeof(lang_cases[0]); i++) {
		/* A tag with CR LF is named, not printed: TAP lines stay whole. */
		tap_snprintf(what, sizeof(what), "text_is_lang_tag, case %zu (%s)",
		    i, strpbrk(lang_cases[i].tag, "\r\n") != NULL ? "CR LF" :
		    lang_cases[i].tag);
		is_int(text_is_lang_tag(lang_cases[i].tag,
		    strlen(lang_cases[i].tag)), lang_cases[i].want, what);
	}
	/* (pointer, length): only "len" bytes are the tag. */
	is_int(text_is_lang_tag("fr-TG", 2), 1, "\"fr\" out of \"fr-TG\"");
	is_int(text_is_lang_tag("fr-TG", 3), 0, "\"fr-\" out of \"fr-TG\"");
}

int
main(void)
{
	test_sanitize();
	test_sanitize_runs();
	test_invalid_file();
	test_french_spacing();
	test_encode();
	test_encode_all();
	test_wrap_table();
	test_wrap_article();
	test_typography();
	test_fit();
	test_fold();
	test_words();
	test_slug();
	test_title();
	test_from_latin1();
	test_lang_tag();
	test_xml_escape();
	return tap_done();
}
