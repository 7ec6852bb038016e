/* griot: every UTF-8 decision.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Repair and NFC, display widths, transliteration to Latin-1 and ASCII,
 * line wrapping with French typography, folding for search: the only code
 * that walks UTF-8, built on libunistring and never on the process locale.
 * The transliteration tables are data in translit.h, included only here.
 */

#include "griot-config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicase.h>
#include <unictype.h>
#include <unigbrk.h>
#include <unilbrk.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#include "buf.h"
#include "text.h"
#include "translit.h"

#define REPL		0xFFFD
#define REPL_UTF8	"\xEF\xBF\xBD"
#define XLIT_MAX	48	/* longest transliteration of one code point */
#define XLIT_DEPTH	3	/* decomposition levels followed */
#define WORD_ONES	0x0101010101010101ULL	/* 8 bytes at a time */
#define WORD_HIGHS	0x8080808080808080ULL

/* Grapheme flags used by the line breaker. */
#define G_BLANK		0x01	/* a space or nothing visible: trimmed at line ends */
#define G_NOSTART	0x02	/* never begins a line: » ; : ! ? and friends */
#define G_NOEND		0x04	/* never ends a line: « ‹ */
#define G_BREAK		0x08	/* a line may begin here */
#define G_HBREAK	0x10	/* here only when the word cannot fit: after a hyphen */
#define G_TBREAK	0x20	/* the same, last resort: before a pronoun ("a-t-il") */
#define G_URL		0x40	/* inside a word that is a URL: never cut there */

struct unit {
	size_t		 off;	/* in the prepared UTF-8 text */
	size_t		 len;
	size_t		 w;	/* columns in the output charset */
	unsigned int	 fl;
};

/* Code points of class 0 that compose with the character before them. */
static const uint32_t nfc_second[] = {
	0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2,
	0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCF, 0x0DDF, 0x102E, 0x1B35,
	0x11127, 0x1133E, 0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF,
	0x11930
};

static const char	*xlit(uint32_t, enum text_charset, char *, int);

/*
 * Decode the sequence at s[0..n), n > 0: return its length and store the
 * code point.  An invalid sequence gives U+FFFD and sets *bad.  One invalid
 * sequence is: a lead byte with all its continuation bytes when the value
 * is overlong, a surrogate or past U+10FFFF; a lead byte with fewer
 * continuation bytes than it announces (those present included); any
 * other byte alone.
 */
static size_t
dec(const unsigned char *s, size_t n, uint32_t *cp, int *bad)
{
	unsigned char	 c = s[0];
	size_t		 len, i;
	uint32_t	 v, min;

	*bad = 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC0 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF7) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		*cp = REPL;
		*bad = 1;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if (i >= n || (s[i] & 0xC0) != 0x80) {
			*cp = REPL;
			*bad = 1;
			return i;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = REPL;
		*bad = 1;
		return len;
	}
	*cp = v;
	return len;
}

/* dec(), with the two-byte sequences of the Latin letters done inline. */
static inline size_t
dec_fast(const unsigned char *s, size_t n, uint32_t *cp, int *bad)
{
	if (s[0] >= 0xC2 && s[0] <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		*bad = 0;
		return 2;
	}
	return dec(s, n, cp, bad);
}

static int
is_ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
text_is_lang_tag(const char *s, size_t len)
{
	size_t	 i, part = 0, first = 1;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '-') {
			if (first ? (part < 2 || part > 3) :
			    (part < 1 || part > 8))
				return 0;
			first = 0;
			part = 0;
			continue;
		}
		if (!is_ascii_alpha((unsigned char)s[i]) &&
		    (first || s[i] < '0' || s[i] > '9'))
			return 0;
		part++;
	}
	return 1;
}

int
text_is_utf8(const char *src, size_t n)
{
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 i = 0;
	uint32_t		 cp;
	int			 bad;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		/* Two bytes, the accented letters, need no more checks. */
		if (s[i] >= 0xC2 && s[i] <= 0xDF && n - i >= 2 &&
		    (s[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		i += dec(s + i, n - i, &cp, &bad);
		if (bad)
			return 0;
	}
	return 1;
}

/*
 * The repair text_sanitize() makes to a valid code point of U+00A0 or
 * above (an enum text_repair), or -1 when the character stays.  The
 * bidirectional controls are the Bidi_Control property of UAX #9.
 */
static inline int
cp_repair(uint32_t cp)
{
	if (cp < 0x061C || (cp > 0x061C && cp < 0x200E) ||
	    (cp > 0x2069 && cp < 0xFFFE))
		return -1;
	if (cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return TEXT_REPAIR_BIDI;
	if (cp == 0x2028 || cp == 0x2029)
		return TEXT_REPAIR_SEPARATOR;
	if (cp == 0xFFFE || cp == 0xFFFF)
		return TEXT_REPAIR_NONCHAR;
	return -1;
}

int
text_is_xml(const char *src, size_t n)
{
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 i = 0;
	uint32_t		 cp;
	int			 bad;

	while (i < n) {
		if (s[i] < 0x80) {
			if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' &&
			    s[i] != '\r')
				return 0;
			i++;
			continue;
		}
		i += dec_fast(s + i, n - i, &cp, &bad);
		if (bad || cp == 0xFFFE || cp == 0xFFFF)
			return 0;
	}
	return 1;
}

size_t
text_escape(char *out, size_t outlen, const char *in, size_t inlen)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*s = (const unsigned char *)in;
	size_t			 i, l, k, o = 0, need;
	uint32_t		 cp;
	int			 utf8, bad, rep;
	char			 e[12];

	if (outlen == 0)
		return 0;
	utf8 = text_is_utf8(in, inlen);
	for (i = 0; i < inlen; i += l) {
		/* The sequence at s[i], l bytes, goes out as "e" (need > 0). */
		l = 1;
		need = 0;
		if (s[i] < 0x20 || s[i] == 0x7f || s[i] == '"' ||
		    s[i] == '\\' || (s[i] >= 0x80 && !utf8))
			need = 4;
		else if (s[i] == 0xc2 && i + 1 < inlen && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f) {
			/* U+0080..U+009F: both bytes escaped. */
			l = 2;
			need = 8;
		} else if (s[i] >= 0x80) {
			l = dec_fast(s + i, inlen - i, &cp, &bad);
			rep = bad ? -1 : cp_repair(cp);
			if (rep == TEXT_REPAIR_BIDI ||
			    rep == TEXT_REPAIR_SEPARATOR) {
				/* All of them are below U+FFFF: \uHHHH. */
				e[0] = '\\';
				e[1] = 'u';
				for (k = 0; k < 4; k++, cp <<= 4)
					e[2 + k] = hex[(cp >> 12) & 0xf];
				need = 6;
			}
		}
		if (need == 4 || need == 8)
			for (k = 0; k < l; k++) {
				e[4 * k] = '\\';
				e[4 * k + 1] = 'x';
				e[4 * k + 2] = hex[s[i + k] >> 4];
				e[4 * k + 3] = hex[s[i + k] & 0xf];
			}
		if (o + (need > 0 ? need : l) >= outlen)
			break;
		if (need > 0)
			memcpy(out + o, e, need);
		else
			memcpy(out + o, s + i, l);
		o += need > 0 ? need : l;
	}
	out[o] = '\0';
	return o;
}

/*
 * Could this code point (>= U+0300) change under NFC, alone or with its
 * neighbours?  Combining marks can reorder or compose, a few class-0
 * characters compose with the one before them, and a character whose
 * canonical decomposition does not compose back to itself (singletons,
 * exclusions) is replaced.
 */
static int
nfc_unsafe(uint32_t cp)
{
	ucs4_t	 d[UC_DECOMPOSITION_MAX_LENGTH];
	size_t	 i;
	int	 n;

	/* General punctuation and currency signs: nothing to compose. */
	if (cp >= 0x2002 && cp < 0x20D0)
		return 0;
	if (uc_combining_class(cp) != 0)
		return 1;
	if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2))
		return 1;
	for (i = 0; i < sizeof(nfc_second) / sizeof(nfc_second[0]); i++)
		if (nfc_second[i] == cp)
			return 1;
	n = uc_canonical_decomposition(cp, d);
	if (n <= 0)
		return 0;
	return n != 2 || uc_composition(d[0], d[1]) != cp;
}

/* Replace b->data[start..] with its NFC form. */
static int
nfc_tail(struct buf *b, size_t start)
{
	uint8_t	*r;
	size_t	 rlen;
	int	 rv;

	r = u8_normalize(UNINORM_NFC, (const uint8_t *)b->data + start,
	    b->len - start, NULL, &rlen);
	if (r == NULL) {
		b->failed = 1;
		return -1;
	}
	buf_truncate(b, start);
	rv = buf_add(b, r, rlen);
	free(r);
	return rv;
}

/*
 * How many of the 8 bytes at "p" are printable ASCII (0x20..0x7E) before
 * the first that is not: 8 when all are.  In the mask, a byte fails when
 * its high bit is set, when subtracting 0x20 sets it (below 0x20), or
 * when adding 1 sets it (0x7F).  A borrow or carry only runs from a
 * failing byte to the next more significant one, so the least
 * significant byte flagged is truly the first failing one.
 */
static size_t
ascii_run8(const unsigned char *p)
{
	uint64_t	 x, m;

	memcpy(&x, p, sizeof(x));
	m = (x | (x - WORD_ONES * 0x20) | (x + WORD_ONES)) & WORD_HIGHS;
	if (m == 0)
		return 8;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(m) / 8;
#else
	for (m = 0; m < 8 && p[m] >= 0x20 && p[m] < 0x7F; m++)
		continue;
	return (size_t)m;
#endif
}

int
text_sanitize(struct buf *b, const char *src, size_t n, int flags,
    text_bad_fn *bad, void *arg)
{
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 start = b->len, i = 0, from, l, k;
	uint32_t		 cp;
	int			 isbad, rep, nfc = 0;
	unsigned char		 c;

	if (buf_reserve(b, n) == -1)
		return -1;
	if ((flags & TEXT_DROP_BOM) && n >= 3 && s[0] == 0xEF &&
	    s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	from = i;
	while (i < n) {
		/* Most text is printable ASCII: 8 bytes at a time. */
		while (n - i >= 8) {
			k = ascii_run8(s + i);
			i += k;
			if (k < 8)
				break;
		}
		if (i == n)
			break;
		c = s[i];
		if ((c >= 0x20 && c < 0x7F) ||
		    (c == '\n' && (flags & TEXT_KEEP_NL)) ||
		    (c == '\t' && (flags & TEXT_KEEP_TAB))) {
			i++;
			continue;
		}
		isbad = 0;
		rep = -1;
		l = 1;
		if (c >= 0xC2 && c <= 0xDF && n - i >= 2 &&
		    (s[i + 1] & 0xC0) == 0x80) {
			/* Two bytes, the accented letters: valid here. */
			cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
			if (cp >= 0xA0 && cp != 0x061C) {
				if (!nfc && cp >= 0x300 && nfc_unsafe(cp))
					nfc = 1;
				i += 2;
				continue;
			}
			if (cp == 0x061C)
				rep = TEXT_REPAIR_BIDI;
			l = 2;		/* a C1 control, or U+061C */
		} else if (c >= 0x80) {
			l = dec(s + i, n - i, &cp, &isbad);
			if (!isbad && cp >= 0xA0 &&
			    (rep = cp_repair(cp)) == -1) {
				if (!nfc && cp >= 0x300 && nfc_unsafe(cp))
					nfc = 1;
				i += l;
				continue;
			}
		}
		/* Something changes here: copy the clean run before it. */
		if (i > from)
			buf_add(b, s + from, i - from);
		if (isbad) {
			if (bad != NULL)
				bad(arg, i, TEXT_REPAIR_UTF8, REPL);
			buf_add(b, REPL_UTF8, 3);
		} else if (rep != -1) {
			if (bad != NULL)
				bad(arg, i, (enum text_repair)rep, cp);
			if (rep == TEXT_REPAIR_NONCHAR)
				buf_add(b, REPL_UTF8, 3);
			else if (rep == TEXT_REPAIR_SEPARATOR)
				buf_addc(b, ' ');
		} else if (c == '\t')
			buf_addc(b, ' ');
		else if (c == '\r' && (flags & TEXT_KEEP_NL)) {
			/* CR LF is one line end (its LF stays), lone CR too. */
			if (i + 1 == n || s[i + 1] != '\n')
				buf_addc(b, '\n');
		} else if (c == '\0') {
			if (bad != NULL)
				bad(arg, i, TEXT_REPAIR_NUL, 0);
			while (i + l < n && s[i + l] == '\0')
				l++;
			buf_addc(b, ' ');
		}
		/* Every other C0 or C1 control and DEL is dropped. */
		i += l;
		from = i;
	}
	if (n > from)
		buf_add(b, s + from, n - from);
	if (b->failed)
		return -1;
	if (nfc)
		return nfc_tail(b, start);
	return 0;
}

/*
 * What a plain space at s[i] becomes under French spacing, or NULL: the
 * character after it decides first, then the one before.
 */
static const char *
french_space(const unsigned char *s, size_t n, size_t i)
{
	if (i + 1 < n && (s[i + 1] == ';' || s[i + 1] == '!' ||
	    s[i + 1] == '?'))
		return "\xE2\x80\xAF";		/* U+202F */
	if (i + 2 < n && s[i + 1] == 0xC2 && s[i + 2] == 0xBB)
		return "\xE2\x80\xAF";		/* before » */
	if (i + 1 < n && s[i + 1] == ':')
		return "\xC2\xA0";			/* U+00A0 */
	if (i >= 2 && s[i - 2] == 0xC2 && s[i - 1] == 0xAB)
		return "\xC2\xA0";			/* after « */
	return NULL;
}

/*
 * Only a space next to one of a few bytes changes: the space before
 * "; ! ? :" or before the lead byte 0xC2 of "»", the space after "«"
 * (C2 AB).  Spaces are frequent and those bytes rare, so the text is
 * searched for the bytes, each with memchr(), and only the space next to
 * each one found is looked at.
 */
int
text_french_spacing(struct buf *b, const char *src, size_t n)
{
	static const unsigned char	 trig[] = { ';', '!', '?', ':', 0xC2 };
	const unsigned char		*s = (const unsigned char *)src;
	const unsigned char		*at[sizeof(trig)], *p, *q;
	size_t				 k, m, sp, from = 0;
	const char			*rep;

	for (k = 0; k < sizeof(trig); k++)
		if (n == 0 || (at[k] = memchr(s, trig[k], n)) == NULL)
			at[k] = s + n;
	for (;;) {
		/* The nearest trigger byte, then the next one of its kind. */
		for (p = at[0], m = 0, k = 1; k < sizeof(trig); k++)
			if (at[k] < p) {
				p = at[k];
				m = k;
			}
		if (p == s + n)
			break;
		if ((q = memchr(p + 1, trig[m], (size_t)(s + n - p - 1))) == NULL)
			q = s + n;
		at[m] = q;
		if (*p == 0xC2 && p + 1 < s + n && p[1] == 0xAB) {
			if (p + 2 >= s + n || p[2] != ' ')
				continue;
			sp = (size_t)(p + 2 - s);
		} else {
			if (p == s || p[-1] != ' ')
				continue;
			sp = (size_t)(p - 1 - s);
		}
		/* A space seen twice ("« ;") was done the first time. */
		if (sp < from || (rep = french_space(s, n, sp)) == NULL)
			continue;
		buf_add(b, s + from, sp - from);
		buf_puts(b, rep);
		from = sp + 1;
	}
	buf_add(b, s + from, n - from);
	return b->failed ? -1 : 0;
}

/* The entry of xlit_table for "cp", or NULL: a binary search. */
static const struct xlit *
xlit_find(uint32_t cp)
{
	size_t	 lo = 0, hi = sizeof(xlit_table) / sizeof(xlit_table[0]), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (xlit_table[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sizeof(xlit_table) / sizeof(xlit_table[0]) &&
	    xlit_table[lo].cp == cp)
		return &xlit_table[lo];
	return NULL;
}

/*
 * The output-charset spelling of one code point, NUL-terminated, in
 * "tmp" (XLIT_MAX bytes) or static storage; NULL when there is none
 * (the caller writes "?").  Not for TEXT_UTF8.
 */
static const char *
xlit(uint32_t cp, enum text_charset cs, char *tmp, int depth)
{
	const struct xlit	*x;
	const char		*r;
	char			 piece[XLIT_MAX];
	ucs4_t			 d[UC_DECOMPOSITION_MAX_LENGTH];
	size_t			 len, pl;
	int			 i, n, tag;

	if (cp < 0x80) {
		tmp[0] = (char)cp;
		tmp[1] = '\0';
		return tmp;
	}
	if (cp < 0xA0)
		return "";		/* C1 controls never display */
	if (cs == TEXT_LATIN1) {
		if (cp <= 0xFF && cp != 0xAD) {
			tmp[0] = (char)cp;
			tmp[1] = '\0';
			return tmp;
		}
		/* The no-break spaces stay no-break. */
		if (cp == 0x2007 || cp == 0x202F)
			return "\xA0";
	}
	if (cp < 0x180)
		return latin_ascii[cp - 0xA0];
	if ((x = xlit_find(cp)) != NULL)
		return x->s;
	if (uc_is_general_category(cp, UC_CATEGORY_M) ||
	    uc_is_property_default_ignorable_code_point(cp))
		return "";
	if (depth >= XLIT_DEPTH)
		return NULL;
	/* A letter with marks: its base letter, when the rest are marks. */
	if ((n = uc_canonical_decomposition(cp, d)) > 0) {
		for (i = 1; i < n; i++)
			if (!uc_is_general_category(d[i], UC_CATEGORY_M))
				return NULL;
		return xlit(d[0], cs, tmp, depth + 1);
	}
	/* Ligatures, fractions, full-width and styled letters... */
	if ((n = uc_decomposition(cp, &tag, d)) > 0) {
		len = 0;
		for (i = 0; i < n; i++) {
			if ((r = xlit(d[i], cs, piece, depth + 1)) == NULL)
				return NULL;
			pl = strlen(r);
			if (len + pl >= XLIT_MAX)
				return NULL;
			memcpy(tmp + len, r, pl);
			len += pl;
		}
		tmp[len] = '\0';
		return tmp;
	}
	return NULL;
}

static int
is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9');
	return uc_is_general_category(cp, UC_CATEGORY_L) ||
	    uc_is_general_category(cp, UC_CATEGORY_N) ||
	    uc_is_general_category(cp, UC_CATEGORY_M);
}

/*
 * Is the "°" at s[i] (s valid UTF-8 from its start) the one of "n°",
 * "N°" (numéro): right after an "n" or "N" that begins a word?  ASCII
 * spells that one "o" ("n°1" -> "no1"), the others "deg" ("30 °C").
 */
static int
is_numero(const unsigned char *s, size_t i)
{
	ucs4_t	 cp;

	if (i == 0 || (s[i - 1] != 'n' && s[i - 1] != 'N'))
		return 0;
	if (i == 1 || u8_prev(&cp, s + i - 1, s) == NULL)
		return 1;
	return !is_word_cp(cp);
}

/* Columns of one grapheme in UTF-8. */
static size_t
gr_width_utf8(const unsigned char *g, size_t glen)
{
	uint32_t	 cp, c2;
	size_t		 i, l;
	int		 w, bad;

	l = dec(g, glen, &cp, &bad);
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (cp >= 0x1F1E6 && cp <= 0x1F1FF)
		return 2;		/* a flag: two regional indicators */
	if ((w = uc_width(cp, "UTF-8")) < 0)
		w = 0;
	/* VARIATION SELECTOR-16 asks for the wide emoji presentation. */
	for (i = l; w == 1 && i < glen; i += l) {
		l = dec(g + i, glen - i, &c2, &bad);
		if (c2 == 0xFE0F)
			w = 2;
	}
	return (size_t)w;
}

/*
 * Append one grapheme in the output charset to "out" (may be NULL) and
 * return its width.  Out of UTF-8, a grapheme whose first code point has no
 * spelling is one "?"; marks and joiners after a spelt one vanish.  The
 * grapheme is g[0..glen) of the text that starts at "base" (for "n°").
 * With "blankp", out of UTF-8, *blankp says whether the spelling is empty
 * or only spaces (a lone mark, U+2029, a spacing accent such as U+02D8):
 * the line breaker must trim those as it trims spaces.
 */
static size_t
gr_out(struct buf *out, const unsigned char *base, const unsigned char *g,
    size_t glen, enum text_charset cs, int *blankp)
{
	char		 tmp[XLIT_MAX];
	const char	*r;
	uint32_t	 cp;
	size_t		 i, l, w = 0;
	int		 bad, blank = 1;

	if (cs == TEXT_UTF8) {
		if (blankp != NULL)
			*blankp = 0;
		if (out != NULL)
			buf_add(out, g, glen);
		return gr_width_utf8(g, glen);
	}
	for (i = 0; i < glen; i += l) {
		l = dec(g + i, glen - i, &cp, &bad);
		if (i == 0 && cp == 0xB0 && cs == TEXT_ASCII &&
		    is_numero(base, (size_t)(g - base)))
			r = "o";
		else
			r = xlit(cp, cs, tmp, 0);
		if (r == NULL && i > 0)
			continue;
		if (r == NULL) {
			if (out != NULL)
				buf_addc(out, '?');
			if (blankp != NULL)
				*blankp = 0;
			return 1;
		}
		for (; *r != '\0'; r++) {
			if (out != NULL)
				buf_addc(out, *r);
			if ((unsigned char)*r >= 0x20 && *r != 0x7F)
				w++;
			if (*r != ' ' && (unsigned char)*r != 0xA0)
				blank = 0;
		}
	}
	if (blankp != NULL)
		*blankp = blank;
	return w;
}

/*
 * End of the grapheme that starts at s[i], s[0..n) being valid UTF-8.
 * libunistring 1.0 breaks inside two kinds of clusters that UAX #29 keeps
 * whole, so they are joined here: emoji ZWJ sequences (a ZWJ followed by a
 * pictograph) and pairs of regional indicators (a flag).
 */
static size_t
gr_next(const unsigned char *s, size_t n, size_t i)
{
	const uint8_t	*e;
	size_t		 end = i;
	ucs4_t		 first, last, next;
	int		 bad;

	dec(s + i, n - i, &first, &bad);
	for (;;) {
		e = u8_grapheme_next(s + end, s + n);
		if (e == NULL || e <= s + end || e >= s + n)
			return n;
		end = (size_t)(e - s);
		dec(s + end, n - end, &next, &bad);
		if (u8_prev(&last, s + end, s + i) == NULL)
			return end;
		if (last == 0x200D && uc_is_property_extended_pictographic(next))
			continue;
		if (end - i == 4 && uc_is_property_regional_indicator(first) &&
		    uc_is_property_regional_indicator(next))
			continue;
		return end;
	}
}

/*
 * Point *sp at valid UTF-8: the input itself, or its repair in "tmp".
 * With "display", controls become spaces too (always in "tmp").
 */
static int
prep(struct buf *tmp, const char **sp, size_t *np, int display)
{
	const unsigned char	*s;
	size_t			 i, n, l, k;
	uint32_t		 cp;
	int			 bad;

	if (!text_is_utf8(*sp, *np)) {
		if (text_sanitize(tmp, *sp, *np, TEXT_KEEP_TAB | TEXT_KEEP_NL,
		    NULL, NULL) == -1)
			return -1;
		*sp = tmp->data;
		*np = tmp->len;
	}
	if (!display)
		return 0;
	s = (const unsigned char *)*sp;
	n = *np;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7F ||
		    (s[i] == 0xC2 && i + 1 < n && s[i + 1] < 0xA0))
			break;
	if (i == n)
		return 0;
	if (s == (const unsigned char *)tmp->data) {
		/* Rewrite the repaired copy in place: never longer. */
		for (i = 0, l = 0; i < n; i += k) {
			k = dec(s + i, n - i, &cp, &bad);
			if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
				tmp->data[l++] = ' ';
			else {
				memmove(tmp->data + l, s + i, k);
				l += k;
			}
		}
		buf_truncate(tmp, l);
		*np = l;
		return 0;
	}
	if (buf_reserve(tmp, n) == -1)
		return -1;
	for (i = k = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] == 0x7F) {
			buf_add(tmp, s + k, i - k);
			buf_addc(tmp, ' ');
			k = i + 1;
		} else if (s[i] == 0xC2 && i + 1 < n && s[i + 1] < 0xA0) {
			buf_add(tmp, s + k, i - k);
			buf_addc(tmp, ' ');	/* a C1 control */
			k = i + 2;
			i++;
		}
	}
	buf_add(tmp, s + k, n - k);
	if (tmp->failed)
		return -1;
	*sp = tmp->data;
	*np = tmp->len;
	return 0;
}

size_t
text_width(const char *src, size_t n, enum text_charset cs)
{
	struct buf		 tmp = BUF_INIT;
	const unsigned char	*s;
	size_t			 i, e, w = 0;

	if (prep(&tmp, &src, &n, 0) == -1) {
		buf_release(&tmp);
		return 0;
	}
	s = (const unsigned char *)src;
	for (i = 0; i < n; i = e) {
		if (s[i] >= 0x20 && s[i] < 0x7F && (i + 1 == n || s[i + 1] < 0x80)) {
			w++;
			e = i + 1;
			continue;
		}
		e = gr_next(s, n, i);
		w += gr_out(NULL, s, s + i, e - i, cs, NULL);
	}
	buf_release(&tmp);
	return w;
}

int
text_encode(struct buf *b, const char *src, size_t n, enum text_charset cs)
{
	struct buf		 tmp = BUF_INIT;
	const unsigned char	*s;
	size_t			 i, e, from;
	int			 rv = -1;

	if (prep(&tmp, &src, &n, 0) == -1)
		goto done;
	if (cs == TEXT_UTF8) {
		rv = buf_add(b, src, n);
		goto done;
	}
	s = (const unsigned char *)src;
	for (i = from = 0; i < n; i = e) {
		if (s[i] < 0x80) {
			e = i + 1;
			continue;
		}
		/* A grapheme may start with the ASCII byte before. */
		if (i > from && i > 0 && s[i - 1] < 0x80)
			i--;
		buf_add(b, s + from, i - from);
		e = gr_next(s, n, i);
		gr_out(b, s, s + i, e - i, cs, NULL);
		from = e;
	}
	buf_add(b, s + from, n - from);
	rv = b->failed ? -1 : 0;
 done:
	buf_release(&tmp);
	return rv;
}

/* Spaces, the line and paragraph separators included. */
static int
is_blank(uint32_t cp)
{
	return cp == ' ' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	    cp == 0x3000;
}

/* Graphemes of valid, control-free UTF-8 text, with widths and flags. */
static struct unit *
units_make(const unsigned char *s, size_t n, enum text_charset cs,
    size_t *countp)
{
	struct unit	*u;
	size_t		 i, e, k = 0;
	uint32_t	 cp;
	int		 bad, spelt_blank;

	if ((u = calloc(n + 1, sizeof(*u))) == NULL)
		return NULL;
	for (i = 0; i < n; i = e) {
		u[k].off = i;
		u[k].fl = 0;
		cp = s[i];
		if (cp >= 0x20 && cp < 0x7F && (i + 1 == n || s[i + 1] < 0x80)) {
			/* Printable ASCII not followed by a mark: one column. */
			e = i + 1;
			u[k].len = 1;
			u[k].w = 1;
			if (cp == ' ')
				u[k].fl |= G_BLANK;
		} else {
			e = gr_next(s, n, i);
			dec(s + i, n - i, &cp, &bad);
			u[k].len = e - i;
			u[k].w = gr_out(NULL, s, s + i, e - i, cs,
			    &spelt_blank);
			/*
			 * Invisible characters go with the spaces around them,
			 * and so does what the output charset spells as
			 * nothing or as spaces.
			 */
			if (is_blank(cp) || spelt_blank ||
			    uc_is_property_default_ignorable_code_point(cp))
				u[k].fl |= G_BLANK;
		}
		switch (cp) {
		case 0xBB: case ';': case ':': case '!': case '?':
		case '.': case ',': case ')': case ']': case '}':
		case 0x203A: case 0x2026:
			u[k].fl |= G_NOSTART;
			break;
		case 0xAB: case 0x2039:
			u[k].fl |= G_NOEND;
			break;
		default:
			break;
		}
		k++;
	}
	*countp = k;
	return u;
}

/*
 * French hyphens.  A hyphen inside a word ("porte-parole", "a-t-il") is
 * a place to break a line only when the whole word cannot fit on one:
 * French readers take "porte-" / "parole" for an error.  Even then,
 * the hyphen before the euphonic t or an inverted or joined pronoun
 * ("va-t-on", "dit-elle", "celui-ci", "allez-y") comes last, as those
 * read as one word; it still beats cutting between two letters.
 */
static const char *const hyphen_tails[] = {
	"t", "il", "ils", "elle", "elles", "on", "je", "tu", "nous", "vous",
	"ce", "y", "en", "moi", "toi", "lui", "leur", "le", "la", "les",
	"ci", "l\xc3\xa0"	/* là */
};

/* Is unit k a letter or digit in the prepared UTF-8 text "s"? */
static int
unit_is_alnum(const unsigned char *s, const struct unit *u, size_t k)
{
	ucs4_t	 c;

	if (u8_mbtouc(&c, s + u[k].off, u[k].len) <= 0)
		return 0;
	return uc_is_alnum(c);
}

/*
 * Is the break before unit k one after a hyphen inside a word?  Then
 * *tight is 1 when what follows, up to the next non-letter, is one of
 * hyphen_tails (case aside).
 */
static int
units_is_word_hyphen(const unsigned char *s, const struct unit *u,
    size_t cnt, size_t k, int *tight)
{
	size_t	 e, i, n;
	char	 tail[8];

	*tight = 0;
	if (k < 2 || u[k - 1].len != 1 || s[u[k - 1].off] != '-' ||
	    !unit_is_alnum(s, u, k - 2) || !unit_is_alnum(s, u, k))
		return 0;
	for (e = k, n = 0; e < cnt && unit_is_alnum(s, u, e); e++)
		n += u[e].len;
	if (n < sizeof(tail)) {
		memcpy(tail, s + u[k].off, n);
		tail[n] = '\0';
		for (i = 0; i < n; i++)
			if (tail[i] >= 'A' && tail[i] <= 'Z')
				tail[i] = (char)(tail[i] - 'A' + 'a');
		for (i = 0; i < sizeof(hyphen_tails) / sizeof(hyphen_tails[0]);
		    i++)
			if (strcmp(tail, hyphen_tails[i]) == 0)
				*tight = 1;
	}
	return 1;
}

/*
 * URLs.  A reader must be able to copy a URL or follow it, and a URL cut
 * at its hyphens or slashes is neither: a word that is one ("scheme://",
 * "www." or "mailto:" after any opening punctuation) is never broken.
 * Too wide for what is left of a line, it starts the next one; too wide
 * for any line, it has one of its own, wider than the width.
 */
static int
is_url_word(const unsigned char *s, size_t len)
{
	size_t	 i = 0, k;

	/* Opening punctuation: ( [ < " ' and « “ ‘ (UTF-8). */
	for (;;) {
		if (i < len && strchr("([<\"'", s[i]) != NULL && s[i] != '\0')
			i++;
		else if (i + 1 < len && s[i] == 0xC2 && s[i + 1] == 0xAB)
			i += 2;
		else if (i + 2 < len && s[i] == 0xE2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0x9C || s[i + 2] == 0x98))
			i += 3;
		else
			break;
	}
	s += i;
	len -= i;
	if ((len > 4 && strncasecmp((const char *)s, "www.", 4) == 0) ||
	    (len > 7 && strncasecmp((const char *)s, "mailto:", 7) == 0))
		return 1;
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986) */
	if (len == 0 || !is_ascii_alpha(s[0]))
		return 0;
	for (k = 1; k < len && (is_ascii_alpha(s[k]) ||
	    (s[k] >= '0' && s[k] <= '9') || s[k] == '+' || s[k] == '-' ||
	    s[k] == '.'); k++)
		;
	return k + 3 < len && memcmp(s + k, "://", 3) == 0;
}

/* Mark G_URL the units of each word (run of non-blanks) that is a URL. */
static void
units_mark_urls(const unsigned char *s, struct unit *u, size_t cnt)
{
	size_t	 g, e, k;

	for (g = 0; g < cnt; g = e) {
		for (; g < cnt && (u[g].fl & G_BLANK); g++)
			;
		for (e = g; e < cnt && !(u[e].fl & G_BLANK); e++)
			;
		if (e > g && is_url_word(s + u[g].off,
		    u[e - 1].off + u[e - 1].len - u[g].off))
			for (k = g; k < e; k++)
				u[k].fl |= G_URL;
	}
}

/*
 * May a line end before unit j and the next begin after the blanks there?
 * Not when the first non-blank after is » ; : ! ? (and the like), nor when
 * the last non-blank before is «.
 */
static int
units_can_cut(const struct unit *u, size_t cnt, size_t start, size_t j)
{
	size_t	 k;

	for (k = j; k < cnt && (u[k].fl & G_BLANK); k++)
		;
	if (k < cnt && (u[k].fl & G_NOSTART))
		return 0;
	for (k = j; k > start && (u[k - 1].fl & G_BLANK); k--)
		;
	if (k > start && (u[k - 1].fl & G_NOEND))
		return 0;
	return 1;
}

static void
emit_units(struct buf *b, const unsigned char *s, const struct unit *u,
    size_t from, size_t to, enum text_charset cs)
{
	size_t	 k;

	if (cs == TEXT_UTF8) {
		if (to > from)
			buf_add(b, s + u[from].off, u[to - 1].off + u[to - 1].len -
			    u[from].off);
		return;
	}
	for (k = from; k < to; k++) {
		if (u[k].len == 1)
			buf_addc(b, s[u[k].off]);
		else
			gr_out(b, s, s + u[k].off, u[k].len, cs, NULL);
	}
}

int
text_wrap(struct buf *b, const char *src, size_t n, const struct text_wrap *tw)
{
	struct buf		 tmp = BUF_INIT;
	const unsigned char	*s;
	struct unit		*u = NULL;
	char			*lb = NULL;
	const char		*pfx;
	size_t			 cnt, g, j, end, best, cut, room, pw, w, wtrim;
	size_t			 pw_first, pw_rest, k, line, body, hbest, tbest;
	const char		*eol = tw->eol != NULL ? tw->eol : "\n";
	int			 rv = -1, first = 1, tight;

	if (prep(&tmp, &src, &n, 1) == -1)
		goto done;
	s = (const unsigned char *)src;
	if ((u = units_make(s, n, tw->charset, &cnt)) == NULL)
		goto done;
	if ((lb = malloc(n + 1)) == NULL)
		goto done;
	if (n > 0)
		u8_possible_linebreaks(s, n, "UTF-8", lb);
	units_mark_urls(s, u, cnt);
	for (k = 1; k < cnt; k++) {
		if ((u[k].fl & G_URL) && (u[k - 1].fl & G_URL))
			continue;	/* inside a URL */
		if (lb[u[k].off] != UC_BREAK_POSSIBLE &&
		    lb[u[k].off] != UC_BREAK_MANDATORY)
			continue;
		if (!units_can_cut(u, cnt, 0, k))
			continue;
		if (units_is_word_hyphen(s, u, cnt, k, &tight))
			u[k].fl |= tight ? G_TBREAK : G_HBREAK;
		else
			u[k].fl |= G_BREAK;
	}
	pw_first = tw->first ? text_width(tw->first, strlen(tw->first),
	    tw->charset) : 0;
	pw_rest = tw->rest ? text_width(tw->rest, strlen(tw->rest),
	    tw->charset) : 0;

	for (g = 0; g < cnt && (u[g].fl & G_BLANK); g++)
		;
	while (g < cnt) {
		pfx = first ? tw->first : tw->rest;
		pw = first ? pw_first : pw_rest;
		room = tw->width > pw ? tw->width - pw : 1;
		best = hbest = tbest = cut = 0;
		w = wtrim = 0;
		for (j = g; ; j++) {
			if (j > g && (j == cnt || (u[j].fl & G_BREAK))) {
				if (wtrim > room)
					break;
				best = j;
			}
			if (j > g && (u[j].fl & G_HBREAK) && wtrim <= room)
				hbest = j;
			if (j > g && (u[j].fl & G_TBREAK) && wtrim <= room)
				tbest = j;
			if (j == cnt)
				break;
			w += u[j].w;
			if (!(u[j].fl & G_BLANK))
				wtrim = w;
			if (wtrim > room) {
				if (best == 0)
					cut = j;
				break;
			}
		}
		if (best != 0)
			end = best;
		else if (hbest != 0 || tbest != 0)	/* a word wider than the line */
			end = hbest != 0 ? hbest : tbest;
		else {
			/* No break fits: cut inside, at a grapheme boundary. */
			end = cut > g ? cut : g + 1;
			for (k = end; k > g + 1 && !units_can_cut(u, cnt, g, k);
			    k--)
				;
			if (units_can_cut(u, cnt, g, k))
				end = k;
			/*
			 * Never inside a URL wider than the line: the line
			 * runs on to the next break after it.
			 */
			if (end < cnt && (u[end].fl & G_URL) &&
			    (u[end - 1].fl & G_URL))
				for (end++; end < cnt && !(u[end].fl &
				    (G_BREAK | G_HBREAK | G_TBREAK)); end++)
					;
		}
		/* Drop the blanks at the end of the line. */
		for (k = end; k > g && (u[k - 1].fl & G_BLANK); k--)
			;
		line = b->len;
		if (pfx != NULL && text_encode(b, pfx, strlen(pfx),
		    tw->charset) == -1)
			goto done;
		body = b->len;
		emit_units(b, s, u, g, k, tw->charset);
		/*
		 * Unit g is not blank, so its spelling shows something; yet
		 * never leave a space at the end, nor a line that would be
		 * nothing but its prefix (that one is not written at all).
		 */
		while (b->len > body && b->data[b->len - 1] == ' ')
			buf_truncate(b, b->len - 1);
		if (b->len > body) {
			buf_puts(b, eol);
			first = 0;
		} else
			buf_truncate(b, line);
		for (g = end; g < cnt && (u[g].fl & G_BLANK); g++)
			;
	}
	rv = b->failed ? -1 : 0;
 done:
	free(lb);
	free(u);
	buf_release(&tmp);
	return rv;
}

int
text_fit(struct buf *b, const char *src, size_t n, size_t width,
    enum text_charset cs)
{
	struct buf		 tmp = BUF_INIT;
	const unsigned char	*s;
	struct unit		*u = NULL;
	const char		*ell;
	size_t			 cnt, k, end, total = 0, ew, w;
	int			 rv = -1;

	if (prep(&tmp, &src, &n, 1) == -1)
		goto done;
	s = (const unsigned char *)src;
	if ((u = units_make(s, n, cs, &cnt)) == NULL)
		goto done;
	for (k = 0; k < cnt; k++)
		total += u[k].w;
	if (total <= width) {
		emit_units(b, s, u, 0, cnt, cs);
		rv = b->failed ? -1 : 0;
		goto done;
	}
	ell = cs == TEXT_UTF8 ? "\xE2\x80\xA6" : "...";
	ew = cs == TEXT_UTF8 ? 1 : 3;
	if (width < ew) {
		/* Too narrow even for the ellipsis: as many dots as fit. */
		for (k = 0; k < width; k++)
			buf_addc(b, '.');
		rv = b->failed ? -1 : 0;
		goto done;
	}
	for (end = 0, w = 0; end < cnt && w + u[end].w <= width - ew; end++)
		w += u[end].w;
	while (end > 0 && (u[end - 1].fl & G_BLANK))
		end--;
	emit_units(b, s, u, 0, end, cs);
	buf_puts(b, ell);
	rv = b->failed ? -1 : 0;
 done:
	free(u);
	buf_release(&tmp);
	return rv;
}

static int
fold_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * The folded form of the code point "cp" (>= U+0080) found at s[i], in
 * "out" (XLIT_MAX bytes); returns its length.  "*kept" says whether the
 * last letter was kept as it is (not Latin): the marks after such a letter
 * are part of its spelling and stay, the marks after a Latin letter go.
 */
static size_t
fold_cp(char *out, const unsigned char *s, size_t i, uint32_t cp, int *kept)
{
	char		 tmp[XLIT_MAX];
	const char	*r;
	uint32_t	 lc;
	size_t		 len;
	int		 l;

	if (*kept && uc_is_general_category(cp, UC_CATEGORY_M))
		lc = cp;
	else if ((r = cp == 0xB0 && is_numero(s, i) ? "o" :
	    xlit(cp, TEXT_ASCII, tmp, 0)) != NULL) {
		/* Joiners and dropped marks leave the state as it was. */
		if (*r != '\0')
			*kept = 0;
		for (len = 0; r[len] != '\0'; len++)
			out[len] = (char)fold_ascii(r[len]);
		return len;
	} else {
		/* Not Latin: keep it, case-folded (Σ, σ and ς alike). */
		lc = uc_tolower(uc_toupper(cp));
		*kept = 1;
	}
	l = u8_uctomb((uint8_t *)out, lc, XLIT_MAX);
	return l > 0 ? (size_t)l : 0;
}

int
text_fold(struct buf *b, const char *src, size_t n)
{
	struct buf		 tmp = BUF_INIT;
	const unsigned char	*s;
	char			 out[XLIT_MAX], *d;
	size_t			 i, j, l;
	uint32_t		 cp;
	int			 bad, kept = 0, rv = -1;

	if (prep(&tmp, &src, &n, 0) == -1)
		goto done;
	s = (const unsigned char *)src;
	if (buf_reserve(b, n) == -1)
		goto done;
	for (i = 0; i < n; ) {
		/* A run of ASCII: lower case, written in place. */
		for (j = i; j < n && s[j] < 0x80; j++)
			continue;
		if (j > i) {
			if (buf_reserve(b, j - i) == -1)
				goto done;
			d = b->data + b->len;
			for (l = i; l < j; l++)
				*d++ = (char)fold_ascii(s[l]);
			b->len += j - i;
			b->data[b->len] = '\0';
			kept = 0;
			i = j;
			continue;
		}
		l = dec_fast(s + i, n - i, &cp, &bad);
		buf_add(b, out, fold_cp(out, s, i, cp, &kept));
		i += l;
	}
	rv = b->failed ? -1 : 0;
 done:
	buf_release(&tmp);
	return rv;
}

/* The word being gathered by text_words(): on the stack while short. */
struct word {
	char	*p;		/* "small" or allocated */
	size_t	 len, cap;
	char	 small[128];
};

static int
word_grow(struct word *w, size_t more)
{
	char	*np;
	size_t	 ncap = w->cap;

	while (ncap - w->len < more + 1) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (w->p == w->small) {
		if ((np = malloc(ncap)) == NULL)
			return -1;
		memcpy(np, w->p, w->len);
	} else if ((np = realloc(w->p, ncap)) == NULL)
		return -1;
	w->p = np;
	w->cap = ncap;
	return 0;
}

static int
word_add(struct word *w, const char *s, size_t n)
{
	if (w->cap - w->len < n + 1 && word_grow(w, n) == -1)
		return -1;
	memcpy(w->p + w->len, s, n);
	w->len += n;
	return 0;
}

/* Hand the word gathered, if any, to "fn". */
static int
word_end(struct word *w, text_word_fn *fn, void *arg)
{
	int	 rv;

	if (w->len == 0)
		return 0;
	w->p[w->len] = '\0';
	rv = fn(arg, w->p, w->len);
	w->len = 0;
	return rv;
}

/*
 * The words of text_fold()'s output, folding and splitting in one pass:
 * each folded code point either extends the word or ends it.
 */
int
text_words(const char *src, size_t n, text_word_fn *fn, void *arg)
{
	struct buf		 tmp = BUF_INIT;
	struct word		 w;
	const unsigned char	*s;
	char			 out[XLIT_MAX];
	size_t			 i, j, l, fl, olen;
	uint32_t		 cp, fc;
	int			 bad, kept = 0, rv = -1, c;

	w.p = w.small;
	w.len = 0;
	w.cap = sizeof(w.small);
	if (prep(&tmp, &src, &n, 0) == -1)
		goto nomem;
	s = (const unsigned char *)src;
	for (i = 0; i < n; i += l) {
		c = s[i];
		if (c < 0x80) {
			l = 1;
			kept = 0;
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    (c >= 'A' && c <= 'Z')) {
				if (w.cap - w.len < 2 && word_grow(&w, 1) == -1)
					goto nomem;
				w.p[w.len++] = (char)fold_ascii(c);
			} else if ((rv = word_end(&w, fn, arg)) != 0)
				goto done;
			continue;
		}
		l = dec_fast(s + i, n - i, &cp, &bad);
		olen = fold_cp(out, s, i, cp, &kept);
		for (j = 0; j < olen; j += fl) {
			fc = (unsigned char)out[j];
			fl = 1;
			if (fc >= 0x80)
				fl = dec((const unsigned char *)out + j,
				    olen - j, &fc, &bad);
			if (is_word_cp(fc)) {
				if (word_add(&w, out + j, fl) == -1)
					goto nomem;
			} else if ((rv = word_end(&w, fn, arg)) != 0)
				goto done;
		}
	}
	rv = word_end(&w, fn, arg);
	goto done;
 nomem:
	rv = -1;
 done:
	if (w.p != w.small)
		free(w.p);
	buf_release(&tmp);
	return rv;
}

int
text_slug(struct buf *b, const char *src, size_t n)
{
	struct buf	 f = BUF_INIT;
	size_t		 i, start = b->len;
	int		 dash = 0, rv = -1;
	char		 c;

	if (text_fold(&f, src, n) == -1)
		goto done;
	for (i = 0; i < f.len; i++) {
		c = f.data[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && b->len > start)
				buf_addc(b, '-');
			dash = 0;
			buf_addc(b, c);
		} else
			dash = 1;
	}
	rv = b->failed ? -1 : 0;
 done:
	buf_release(&f);
	return rv;
}

int
text_title(struct buf *b, const char *s, size_t n, const char *lang)
{
	uint8_t	*t;
	size_t	 tn;
	int	 rc;

	/* The language matters for a few, such as Turkish (i -> İ). */
	if ((t = u8_totitle((const uint8_t *)s, n, lang, NULL, NULL,
	    &tn)) == NULL) {
		b->failed = 1;
		return -1;
	}
	rc = buf_add(b, t, tn);
	free(t);
	return rc;
}

int
text_from_latin1(struct buf *b, const char *s, size_t n)
{
	uint8_t	 u[2];
	size_t	 i;
	int	 l;

	for (i = 0; i < n; i++) {
		if ((l = u8_uctomb(u, (unsigned char)s[i], (int)sizeof(u))) <= 0 ||
		    buf_add(b, u, (size_t)l) == -1) {
			b->failed = 1;
			return -1;
		}
	}
	return 0;
}

int
text_from_input(struct buf *b, const char *s, size_t n, int *latin1)
{
	int	 utf8 = text_is_utf8(s, n);

	if (latin1 != NULL)
		*latin1 = !utf8;
	return utf8 ? buf_add(b, s, n) : text_from_latin1(b, s, n);
}
