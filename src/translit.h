/* griot: transliteration tables.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The data text.c transliterates with: ASCII for Latin-1 and Latin
 * Extended-A, then a sorted table of the code points past them.  Data
 * only, included by text.c and nowhere else: every decision about UTF-8
 * stays in text.c (xlit(), xlit_find()), these are what it looks up.
 */
#ifndef GRIOT_TRANSLIT_H
#define GRIOT_TRANSLIT_H

#include <stdint.h>

/*
 * ASCII for U+00A0..U+017F (Latin-1 Supplement and Latin Extended-A):
 * letters lose their accents, ligatures are spelt out; NULL is "?".
 */
static const char *const latin_ascii[] = {
	/* 00A0 */ " ", "!", "c", "GBP", NULL, "JPY", "|", NULL,
	/* 00A8 */ "\"", "(c)", "a", "<<", NULL, "", "(R)", "-",
	/* 00B0 */ "deg", "+/-", "2", "3", "'", "u", NULL, ".",
	/* 00B8 */ ",", "1", "o", ">>", "1/4", "1/2", "3/4", "?",
	/* 00C0 */ "A", "A", "A", "A", "A", "A", "AE", "C",
	/* 00C8 */ "E", "E", "E", "E", "I", "I", "I", "I",
	/* 00D0 */ "D", "N", "O", "O", "O", "O", "O", "x",
	/* 00D8 */ "O", "U", "U", "U", "U", "Y", "TH", "ss",
	/* 00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00F0 */ "d", "n", "o", "o", "o", "o", "o", "/",
	/* 00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 0100 */ "A", "a", "A", "a", "A", "a", "C", "c",
	/* 0108 */ "C", "c", "C", "c", "C", "c", "D", "d",
	/* 0110 */ "D", "d", "E", "e", "E", "e", "E", "e",
	/* 0118 */ "E", "e", "E", "e", "G", "g", "G", "g",
	/* 0120 */ "G", "g", "G", "g", "H", "h", "H", "h",
	/* 0128 */ "I", "i", "I", "i", "I", "i", "I", "i",
	/* 0130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k",
	/* 0138 */ "q", "L", "l", "L", "l", "L", "l", "L",
	/* 0140 */ "l", "L", "l", "N", "n", "N", "n", "N",
	/* 0148 */ "n", "'n", "N", "n", "O", "o", "O", "o",
	/* 0150 */ "O", "o", "OE", "oe", "R", "r", "R", "r",
	/* 0158 */ "R", "r", "S", "s", "S", "s", "S", "s",
	/* 0160 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 0168 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 0170 */ "U", "u", "U", "u", "W", "w", "Y", "y",
	/* 0178 */ "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

/* Transliterations past U+017F, sorted by code point. */
static const struct xlit {
	uint32_t	 cp;
	const char	*s;
} xlit_table[] = {
	{ 0x0181, "B" }, { 0x0186, "O" }, { 0x0189, "D" }, { 0x018A, "D" },
	{ 0x018E, "E" }, { 0x018F, "E" }, { 0x0190, "E" }, { 0x0191, "F" },
	{ 0x0192, "f" }, { 0x0194, "G" }, { 0x0196, "I" }, { 0x0197, "I" },
	{ 0x019D, "N" }, { 0x01B1, "U" }, { 0x01B2, "V" }, { 0x01DD, "e" },
	{ 0x0253, "b" }, { 0x0254, "o" }, { 0x0256, "d" }, { 0x0257, "d" },
	{ 0x0259, "e" }, { 0x025B, "e" }, { 0x0263, "g" }, { 0x0268, "i" },
	{ 0x0269, "i" }, { 0x0272, "n" }, { 0x028A, "u" }, { 0x028B, "v" },
	{ 0x02B9, "'" }, { 0x02BB, "'" }, { 0x02BC, "'" }, { 0x02C6, "^" },
	{ 0x02C8, "'" }, { 0x02DC, "~" },
	{ 0x1E9E, "SS" },
	{ 0x2000, " " }, { 0x2001, " " }, { 0x2002, " " }, { 0x2003, " " },
	{ 0x2004, " " }, { 0x2005, " " }, { 0x2006, " " }, { 0x2007, " " },
	{ 0x2008, " " }, { 0x2009, " " }, { 0x200A, " " }, { 0x200B, "" },
	{ 0x200C, "" }, { 0x200D, "" }, { 0x200E, "" }, { 0x200F, "" },
	{ 0x2010, "-" }, { 0x2011, "-" }, { 0x2012, "-" }, { 0x2013, "-" },
	{ 0x2014, "--" }, { 0x2015, "--" },
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201A, "'" }, { 0x201B, "'" },
	{ 0x201C, "\"" }, { 0x201D, "\"" }, { 0x201E, "\"" }, { 0x201F, "\"" },
	{ 0x2020, "+" }, { 0x2022, "*" }, { 0x2023, "*" }, { 0x2024, "." },
	{ 0x2025, ".." }, { 0x2026, "..." }, { 0x2028, " " }, { 0x2029, " " },
	{ 0x202F, " " }, { 0x2030, "o/oo" }, { 0x2032, "'" }, { 0x2033, "\"" },
	{ 0x2039, "<" }, { 0x203A, ">" }, { 0x2043, "-" }, { 0x2044, "/" },
	{ 0x205F, " " }, { 0x2060, "" },
	{ 0x20AC, "EUR" },
	{ 0x2122, "(TM)" },
	{ 0x2190, "<-" }, { 0x2192, "->" }, { 0x2194, "<->" }, { 0x21D2, "=>" },
	{ 0x2212, "-" }, { 0x2215, "/" }, { 0x2217, "*" }, { 0x2260, "!=" },
	{ 0x2264, "<=" }, { 0x2265, ">=" },
	{ 0x3000, " " },
	{ 0xFEFF, "" }
};

#endif
