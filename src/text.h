/* griot: every UTF-8 decision.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The only module that walks UTF-8 (STYLE.md, DESIGN.md "Text rules").
 * Built on libunistring, never on the process locale.
 *
 * Conventions:
 * - Input strings are (pointer, length); they need not be NUL-terminated.
 * - Unless said otherwise, input is valid UTF-8 in NFC: what
 *   text_sanitize() produces.  Functions append to a caller-owned buffer
 *   and return 0, or -1 when memory ran out (the buffer is then "failed").
 * - "Output charset" bytes are UTF-8, ISO-8859-1 or 7-bit ASCII bytes,
 *   depending on enum text_charset.  Widths are terminal columns in that
 *   charset, after transliteration: "œ" is 1 column in UTF-8, 2 ("oe") in
 *   ASCII; wide East Asian characters and emoji are 2 columns.
 */
#ifndef GRIOT_TEXT_H
#define GRIOT_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum text_charset {
	TEXT_UTF8,
	TEXT_LATIN1,
	TEXT_ASCII
};

/*
 * What text_sanitize() repaired, as its report callback hears it, with
 * the byte offset in the input and the code point concerned (U+FFFD for
 * an invalid sequence, 0 for NUL).
 */
enum text_repair {
	TEXT_REPAIR_UTF8,	/* an invalid sequence: now U+FFFD */
	TEXT_REPAIR_NONCHAR,	/* U+FFFE or U+FFFF: now U+FFFD */
	TEXT_REPAIR_NUL,	/* a run of NUL bytes: now one space */
	TEXT_REPAIR_BIDI,	/* a bidirectional control: dropped */
	TEXT_REPAIR_SEPARATOR	/* U+2028 or U+2029: now a space */
};
typedef void	 text_bad_fn(void *arg, size_t offset, enum text_repair,
		    uint32_t cp);

/*
 * Input hygiene for one line or one whole file: what reaches a reader,
 * an Atom feed or a search is valid UTF-8 in NFC that XML 1.0 can carry
 * and that cannot reorder the text around it.  Each repair is reported
 * through "bad" (may be NULL), in the order of the input:
 * - invalid UTF-8 sequences (bad bytes, overlong forms, surrogates,
 *   values past U+10FFFF, truncated sequences) each become one U+FFFD.
 *   A lead byte with all its continuation bytes is one sequence, and so
 *   is a lead byte with fewer than it announces; any other bad byte is
 *   one on its own;
 * - U+FFFE and U+FFFF, the two noncharacters XML 1.0 forbids, become
 *   U+FFFD;
 * - a run of NUL bytes becomes one space, so that the words around it
 *   stay apart;
 * - the bidirectional controls (the Bidi_Control property of UAX #9:
 *   U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) are
 *   dropped: they could show a reader text in another order than its
 *   bytes, and griot's text is not laid out by them;
 * - U+2028 and U+2029 become a space: no line or paragraph starts in the
 *   middle of a line of gemtext or of a menu.
 * The result is normalised to NFC.  "flags" says what to do with control
 * characters: TEXT_KEEP_TAB keeps TAB (preformatted text), otherwise TAB
 * becomes a space; TEXT_KEEP_NL keeps line ends, each of LF, CR LF and a
 * lone CR becoming one LF; every other C0/C1 control and DEL is dropped,
 * CR included when line ends are not kept; TEXT_DROP_BOM drops one
 * leading U+FEFF.  Returns 0, or -1 on memory failure.
 */
#define TEXT_KEEP_TAB	0x01
#define TEXT_KEEP_NL	0x02
#define TEXT_DROP_BOM	0x04
int	 text_sanitize(struct buf *, const char *, size_t, int flags,
	    text_bad_fn *bad, void *arg);

/* Is this valid UTF-8 (no NUL needed, NUL bytes allowed)? */
int	 text_is_utf8(const char *, size_t);

/*
 * Can XML 1.0 carry this text as it is (its Char production): valid
 * UTF-8 with no C0 control but TAB, LF and CR, and no U+FFFE or U+FFFF?
 * What text_sanitize() produces always can.
 */
int	 text_is_xml(const char *, size_t);

/*
 * Quote what a client sent, or any text from outside, in a log line so
 * that it stays inside its quotes on one line and reads in the order of
 * its bytes: C0 controls, DEL, '"' and '\' as \xHH; C1 controls (as
 * UTF-8) as \xHH\xHH, since some terminals act on them; every byte of
 * 0x80 and above as \xHH when the input is not valid UTF-8 as a whole;
 * the bidirectional controls and U+2028, U+2029 (see text_sanitize()) as
 * \uHHHH.  Writes at most "outlen" - 1 bytes and a NUL, never cutting an
 * escape or a UTF-8 sequence; returns the length written.
 */
size_t	 text_escape(char *out, size_t outlen, const char *, size_t);

/*
 * Is this a language tag, as the ini's lang, an article's Lang and the
 * Gemini MIME type take it?  The shape of BCP 47 (RFC 5646 section 2.1)
 * as far as griot needs it: a primary language subtag of 2 or 3 ASCII
 * letters (ISO 639; the 4 to 8 letter forms are reserved or unused),
 * then any number of "-" and subtags of 1 to 8 ASCII letters or digits
 * ("fr", "fr-TG", "zh-Hant-TW", "de-CH-1901").  Case is not checked.
 * Not checked against the registry; one tag, never a list.
 */
int	 text_is_lang_tag(const char *, size_t);

/*
 * French spacing (DESIGN.md): a plain space (U+0020) before "; ! ? »"
 * becomes U+202F, a plain space before ":" and after "«" becomes U+00A0.
 * Only plain spaces are changed (a no-break space already there is the
 * author's choice and stays); none is inserted.
 */
int	 text_french_spacing(struct buf *, const char *, size_t);

/*
 * Display width in columns of the output charset (after transliteration).
 * Control characters count 0; invalid UTF-8 counts as U+FFFD.
 */
size_t	 text_width(const char *, size_t, enum text_charset);

/*
 * Convert to the output charset: UTF-8 is copied as is; Latin-1 keeps
 * what ISO-8859-1 has and transliterates the rest with the French table;
 * ASCII transliterates everything (é->e, œ->oe, «-><<, ’->', …->...,
 * no-break spaces->space, €->EUR; anything left -> '?', one per
 * grapheme).  ASCII bytes, controls included, are copied as they are.
 */
int	 text_encode(struct buf *, const char *, size_t, enum text_charset);

/*
 * Wrap a paragraph to "width" columns of the output charset and append the
 * lines, in that charset, each ended by "eol".  "first" prefixes the first
 * line and "rest" the following ones (hanging indent: "* " and "  ", or
 * "> " twice); their width counts.  Breaks follow UAX #14, never split a
 * grapheme, never put "» ; : ! ?" (nor "› . , ) ] } …") at the start of
 * a line nor "« ‹" at its end, even when the source has a plain space
 * there.  A word longer than the room is cut at a grapheme boundary, and
 * that cut backs off a grapheme or more rather than break those rules,
 * unless nothing would be left on the line.  No-break spaces never break;
 * spaces (and invisible characters) at a break are dropped; no trailing
 * spaces.  LF, TAB and other controls, U+2028 and U+2029 count as spaces,
 * and so does, in Latin-1 and ASCII, what that charset spells as nothing
 * or as spaces (a lone combining mark, a spacing accent such as U+02D8).
 * No line is only its prefix: empty or blank input appends nothing.
 * A word that is a URL ("scheme://", "www." or "mailto:" after opening
 * punctuation) is never broken, neither at its hyphens nor anywhere:
 * it starts a new line when it does not fit the rest of one, and when
 * it is wider than the room it has a line of its own, wider than
 * "width", so that a reader can copy or follow it.
 */
struct text_wrap {
	size_t			 width;
	enum text_charset	 charset;
	const char		*first;	/* UTF-8 prefixes, may be NULL */
	const char		*rest;
	const char		*eol;	/* "\r\n" or "\n" */
};
int	 text_wrap(struct buf *, const char *, size_t, const struct text_wrap *);

/*
 * One display string that fits "width" columns in the output charset:
 * TAB, CR, LF and other controls become spaces, runs of spaces are kept,
 * and a string too wide is cut at a grapheme boundary and ends with "…"
 * (ASCII and Latin-1: "..."), the ellipsis included in the width; the
 * spaces before the ellipsis are dropped.  A width narrower than the
 * ellipsis gets that many dots.  Appends output-charset bytes.
 */
int	 text_fit(struct buf *, const char *, size_t, size_t width,
	    enum text_charset);

/*
 * Search folding: lower case, accents removed, ligatures expanded
 * (œ->oe, æ->ae, ß->ss), apostrophes and dashes unified; appends UTF-8
 * (ASCII for Latin text).  "OEUVRE" and "œuvre" fold alike.
 */
int	 text_fold(struct buf *, const char *, size_t);

/*
 * Split into folded words (letters and digits; anything else separates)
 * and call "fn" for each, with a NUL-terminated word valid during the
 * call only.  "l’objectif" gives "l" and "objectif".  Returns 0, -1 on
 * memory failure, or the first non-zero value "fn" returned.
 */
typedef int	 text_word_fn(void *arg, const char *word, size_t len);
int	 text_words(const char *, size_t, text_word_fn *, void *arg);

/*
 * ASCII slug for a category, tag or URL: transliterated, lower case,
 * every run of other characters one "-", none at either end
 * ("A la une" -> "a-la-une", "Sécurité" -> "securite").  An empty result
 * is possible.
 */
int	 text_slug(struct buf *, const char *, size_t);

/*
 * ISO-8859-1 bytes as UTF-8 (what a reader of the Latin-1 view types, or
 * text_wrap()'s Latin-1 output read back).  Every byte is valid.
 */
int	 text_from_latin1(struct buf *, const char *, size_t);

/*
 * Words a reader typed, as UTF-8: kept when they are UTF-8, read as
 * ISO-8859-1 otherwise (every byte string is Latin-1: what an old
 * machine sends).  "*latin1" (NULL: not asked) says which.  Search words
 * of all three protocols go through here.
 */
int	 text_from_input(struct buf *, const char *, size_t, int *latin1);

/*
 * Title case by the rules of the language "lang" (an ISO 639 code, or
 * NULL): "février" -> "Février".  Appends UTF-8.
 */
int	 text_title(struct buf *, const char *, size_t, const char *lang);

#endif
