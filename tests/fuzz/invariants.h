/* griot: checks shared by the fuzz harnesses.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Header-only, for tests/fuzz/ alone: what no text that reaches a reader
 * may hold, whatever the input (DESIGN.md "Text rules", text_sanitize()).
 */
#ifndef GRIOT_FUZZ_INVARIANTS_H
#define GRIOT_FUZZ_INVARIANTS_H

#include <stddef.h>
#include <string.h>
#include <strings.h>

static int fuzz_has_bidi(const char *, size_t) __attribute__((__unused__));
static int fuzz_has_url(const char *, size_t) __attribute__((__unused__));

/*
 * Does UTF-8 text hold a bidirectional control (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069) or U+2028, U+2029?  Their encodings
 * are matched as bytes: in valid UTF-8 a match is always the character.
 */
static int
fuzz_has_bidi(const char *src, size_t len)
{
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 i;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] == 0xd8 && s[i + 1] == 0x9c)
			return 1;
		if (s[i] != 0xe2 || i + 2 >= len)
			continue;
		if (s[i + 1] == 0x80 && (s[i + 2] == 0x8e || s[i + 2] == 0x8f ||
		    (s[i + 2] >= 0xa8 && s[i + 2] <= 0xae)))
			return 1;
		if (s[i + 1] == 0x81 && s[i + 2] >= 0xa6 && s[i + 2] <= 0xa9)
			return 1;
	}
	return 0;
}

/*
 * Does the line hold a URL ("://", "www." or "mailto:")?  Such a word is
 * never cut, so its line may pass the width (text.h).
 */
static int
fuzz_has_url(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((i + 3 <= len && memcmp(s + i, "://", 3) == 0) ||
		    (i + 4 <= len && strncasecmp(s + i, "www.", 4) == 0) ||
		    (i + 7 <= len && strncasecmp(s + i, "mailto:", 7) == 0))
			return 1;
	return 0;
}

#endif
