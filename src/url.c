/* griot: URL pieces.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Percent-decoding (RFC 3986 section 2.1) and the capsule's gemini:// URLs. */

#include "griot-config.h"

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "url.h"

/* The value of one hex digit, either case, or -1. */
static int
url_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
url_decode(char *out, size_t *outlen, const char *s, size_t n, int flags)
{
	size_t	 i, o;
	int	 hi, lo;

	*outlen = 0;
	for (i = o = 0; i < n; i++) {
		if (s[i] != '%') {
			out[o++] = s[i];
			continue;
		}
		if (n - i < 3 || (hi = url_hexval(s[i + 1])) == -1 ||
		    (lo = url_hexval(s[i + 2])) == -1) {
			if (flags & URL_STRICT)
				return -1;
			out[o++] = s[i];
			continue;
		}
		if ((hi | lo) == 0 && (flags & URL_NO_NUL))
			return -1;
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	*outlen = o;
	return 0;
}

int
url_gemini(struct buf *b, const char *host, int port, const char *path)
{
	int	 v6 = strchr(host, ':') != NULL && host[0] != '[';

	if (port <= 0 || port > 65535)
		return -1;
	buf_puts(b, "gemini://");
	if (v6)
		buf_addc(b, '[');
	buf_puts(b, host);
	if (v6)
		buf_addc(b, ']');
	if (port != URL_GEMINI_PORT)
		buf_printf(b, ":%d", port);
	buf_puts(b, path);
	return b->failed ? -1 : 0;
}

int
url_is_external(const char *url)
{
	static const char *const schemes[] = {
		"http://", "https://", "gemini://", "gopher://"
	};
	size_t	 i, n;

	for (i = 0; url[i] != '\0'; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f ||
		    url[i] == '\\')
			return 0;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(url, schemes[i], n) == 0)
			return url[n] != '\0' && url[n] != '/';
	}
	return 0;
}

int
url_ascii(struct buf *b, const char *url)
{
	size_t	 i;

	for (i = 0; url[i] != '\0'; i++) {
		unsigned char	 c = (unsigned char)url[i];

		if ((c < 0x80 ? buf_addc(b, c) :
		    buf_printf(b, "%%%02X", c)) == -1)
			return -1;
	}
	return 0;
}
