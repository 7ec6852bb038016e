/* griot: tests of the PROXY protocol parser.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Table-driven tests of proxy_parse(): version 1 and 2 headers, with and
 * without what follows them, every prefix of a valid header (incomplete,
 * never refused), and what must be refused.
 */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "proxy.h"
#include "tap.h"

#define V2SIG	"\r\n\r\n\0\r\nQUIT\n"	/* 12 bytes */

struct ptest {
	const char	*name;
	const char	*in;
	size_t		 len;
	long		 want;		/* header length, 0 or -1 */
	const char	*addr;		/* "ADDR PORT", "" for none */
};

#define T(name, s, want, addr)	{ name, s, sizeof(s) - 1, want, addr }

static const struct ptest tests[] = {
	/* Version 1. */
	T("v1 TCP4", "PROXY TCP4 192.0.2.1 198.51.100.2 56324 1965\r\n",
	    46, "192.0.2.1 56324"),
	T("v1 TCP4 and the request after it",
	    "PROXY TCP4 192.0.2.1 198.51.100.2 56324 70\r\n/caps.txt\r\n",
	    44, "192.0.2.1 56324"),
	T("v1 TCP6", "PROXY TCP6 2001:db8::1 2001:db8::2 1 65535\r\n",
	    44, "2001:db8::1 1"),
	T("v1 TCP6 IPv4-mapped becomes IPv4",
	    "PROXY TCP6 ::ffff:192.0.2.7 ::1 4000 70\r\n", 41,
	    "192.0.2.7 4000"),
	T("v1 port 0", "PROXY TCP4 192.0.2.1 192.0.2.2 0 0\r\n", 36,
	    "192.0.2.1 0"),
	T("v1 UNKNOWN", "PROXY UNKNOWN\r\n", 15, ""),
	T("v1 UNKNOWN with addresses",
	    "PROXY UNKNOWN ffff:f::f:ffff ffff:f::f:ffff 65535 65535\r\nX", 57,
	    ""),
	T("v1 longest line (107 bytes)",
	    "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n", 107, ""),
	T("v1 incomplete", "PROXY TCP4 192.0.2.1 198.51.100.2 56324 19", 0,
	    ""),
	T("v1 incomplete at the CR", "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r", 0,
	    ""),
	T("v1 one byte", "P", 0, ""),
	T("v1 too long (no CRLF in 107 bytes)",
	    "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 655355\r\n", -1, ""),
	T("v1 CR at 107",
	    "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 655355\r", -1, ""),
	T("v1 bare LF", "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\n", -1, ""),
	T("v1 CR without LF", "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\rX", -1, ""),
	T("v1 lower case", "proxy TCP4 192.0.2.1 192.0.2.2 1 2\r\n", -1, ""),
	T("v1 two spaces", "PROXY  TCP4 192.0.2.1 192.0.2.2 1 2\r\n", -1, ""),
	T("v1 space at the end", "PROXY TCP4 192.0.2.1 192.0.2.2 1 2 \r\n", -1,
	    ""),
	T("v1 a field missing", "PROXY TCP4 192.0.2.1 192.0.2.2 1\r\n", -1, ""),
	T("v1 a field too many", "PROXY TCP4 192.0.2.1 192.0.2.2 1 2 3\r\n", -1,
	    ""),
	T("v1 UDP4", "PROXY UDP4 192.0.2.1 192.0.2.2 1 2\r\n", -1, ""),
	T("v1 TCP4 with IPv6 addresses", "PROXY TCP4 ::1 ::1 1 2\r\n", -1, ""),
	T("v1 TCP6 with IPv4 addresses",
	    "PROXY TCP6 192.0.2.1 192.0.2.2 1 2\r\n", -1, ""),
	T("v1 leading zero in an address",
	    "PROXY TCP4 192.0.2.01 192.0.2.2 1 2\r\n", -1, ""),
	T("v1 leading zero in a port",
	    "PROXY TCP4 192.0.2.1 192.0.2.2 01 2\r\n", -1, ""),
	T("v1 port over 65535", "PROXY TCP4 192.0.2.1 192.0.2.2 65536 2\r\n",
	    -1, ""),
	T("v1 sign in a port", "PROXY TCP4 192.0.2.1 192.0.2.2 +1 2\r\n", -1,
	    ""),
	T("v1 NUL in the line", "PROXY TCP4 192.0.2.1\0 192.0.2.2 1 2\r\n", -1,
	    ""),
	T("v1 nothing after PROXY", "PROXY \r\n", -1, ""),
	T("v1 UNKNOWNX", "PROXY UNKNOWNX\r\n", -1, ""),
	T("a Gopher request", "/caps.txt\r\n", -1, ""),
	T("a TLS ClientHello", "\x16\x03\x01\x00\xc8\x01\x00\x00\xc4", -1, ""),
	T("an HTTP request", "GET / HTTP/1.0\r\n\r\n", -1, ""),
	T("PROXY misspelt early", "PRO\r", -1, ""),

	/* Version 2. */
	T("v2 PROXY TCP4", V2SIG "\x21\x11\x00\x0c"
	    "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04" "\x07\xad",
	    28, "192.0.2.1 56324"),
	T("v2 PROXY TCP4 and the ClientHello after it", V2SIG "\x21\x11\x00\x0c"
	    "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04" "\x07\xad"
	    "\x16\x03\x01", 28, "192.0.2.1 56324"),
	T("v2 PROXY TCP6", V2SIG "\x21\x21\x00\x24"
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01"
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02" "\x00\x50" "\x00\x46",
	    52, "2001:db8::1 80"),
	T("v2 PROXY TCP6 IPv4-mapped", V2SIG "\x21\x21\x00\x24"
	    "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\x00\x02\x09"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01" "\x01\x00" "\x00\x46",
	    52, "192.0.2.9 256"),
	T("v2 PROXY TCP4 with TLVs", V2SIG "\x21\x11\x00\x14"
	    "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04" "\x07\xad"
	    "\x04\x00\x05" "hello", 36, "192.0.2.1 56324"),
	T("v2 LOCAL", V2SIG "\x20\x00\x00\x00", 16, ""),
	T("v2 LOCAL with an address block", V2SIG "\x20\x11\x00\x0c"
	    "\x7f\0\0\x01" "\x7f\0\0\x01" "\x00\x01" "\x00\x02", 28, ""),
	T("v2 PROXY UNSPEC", V2SIG "\x21\x00\x00\x00", 16, ""),
	T("v2 PROXY UDP4: the socket's address", V2SIG "\x21\x12\x00\x0c"
	    "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04" "\x07\xad", 28,
	    ""),
	T("v2 PROXY UNIX stream: the socket's address",
	    V2SIG "\x21\x31\x00\x00", 16, ""),
	T("v2 the signature only", V2SIG, 0, ""),
	T("v2 half the signature", "\r\n\r\n\0\r", 0, ""),
	T("v2 header without its addresses", V2SIG "\x21\x11\x00\x0c"
	    "\xc0\x00\x02\x01", 0, ""),
	T("v2 bad signature", "\r\n\r\n\0\r\nQUIX\n\x21\x11\x00\x0c", -1, ""),
	T("v2 version 1 in the version nibble", V2SIG "\x11\x11\x00\x0c", -1,
	    ""),
	T("v2 command 2", V2SIG "\x22\x11\x00\x0c", -1, ""),
	T("v2 family 4", V2SIG "\x21\x41\x00\x0c", -1, ""),
	T("v2 protocol 3", V2SIG "\x21\x13\x00\x0c", -1, ""),
	T("v2 TCP4 with 8 address bytes", V2SIG "\x21\x11\x00\x08"
	    "\xc0\x00\x02\x01" "\xc6\x33\x64\x02", -1, ""),
	T("v2 TCP6 with 12 address bytes", V2SIG "\x21\x21\x00\x0c"
	    "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04" "\x07\xad", -1,
	    ""),
	T("v2 longer than 1024 bytes", V2SIG "\x21\x11\x03\xf1", -1, ""),
	T("v2 1024 bytes, incomplete", V2SIG "\x21\x11\x03\xf0", 0, ""),
	T("empty", "", 0, ""),
};

static void
addr_text(const struct proxy_addr *a, char *out, size_t outlen)
{
	const struct sockaddr_in	*sin = (const void *)&a->ss;
	const struct sockaddr_in6	*sin6 = (const void *)&a->ss;
	char				 host[INET6_ADDRSTRLEN];

	out[0] = '\0';
	if (a->len == 0)
		return;
	if (a->ss.ss_family == AF_INET &&
	    inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host)) != NULL)
		snprintf(out, outlen, "%s %u", host, ntohs(sin->sin_port));
	else if (a->ss.ss_family == AF_INET6 &&
	    inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host)) != NULL)
		snprintf(out, outlen, "%s %u", host, ntohs(sin6->sin6_port));
	else
		snprintf(out, outlen, "? family %d", a->ss.ss_family);
}

static void
test_table(void)
{
	struct proxy_addr	 a;
	const char		*why, *text;
	char			 got[INET6_ADDRSTRLEN + 16];
	size_t			 i;
	long			 r;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		r = proxy_parse(tests[i].in, tests[i].len, &a, &why);
		if (!ok(r == tests[i].want, "%s: returns %ld", tests[i].name,
		    tests[i].want))
			printf("#    got: %ld (%s)\n", r, why);
		if (r == -1)
			ok(why != NULL && why[0] != '\0', "%s: says why (%s)",
			    tests[i].name, why);
		if (r > 0) {
			addr_text(&a, got, sizeof(got));
			text = got;
			is_str(text, tests[i].addr, NULL, tests[i].name);
			ok(a.version == (tests[i].in[0] == 'P' ? 1 : 2),
			    "%s: version %d", tests[i].name, a.version);
		}
	}
}

/* Every prefix of a complete header is a valid beginning. */
static void
test_prefixes(void)
{
	struct proxy_addr	 a;
	const char		*why;
	size_t			 i, n, bad;
	long			 r;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (tests[i].want <= 0)
			continue;
		bad = 0;
		for (n = 0; n < (size_t)tests[i].want; n++) {
			r = proxy_parse(tests[i].in, n, &a, &why);
			if (r != 0 && bad++ == 0)
				printf("# %zu bytes: got %ld (%s)\n", n, r,
				    why);
		}
		ok(bad == 0, "%s: each of its %ld prefixes needs more bytes",
		    tests[i].name, tests[i].want);
	}
}

int
main(void)
{
	test_table();
	test_prefixes();
	return tap_done();
}
