/* griot: the PROXY protocol.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Parses the PROXY protocol header, versions 1 and 2, as HAProxy's
 * specification defines them: strictly, since a header that is not
 * exactly right must close the connection.
 */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <string.h>

#include "proxy.h"

#define PROXY_V1_PREFIX		"PROXY "

static const unsigned char proxy_v2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

static long
proxy_bad(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

/* An IPv4 address given as IPv4-mapped IPv6 is an IPv4 address. */
static void
proxy_set6(struct proxy_addr *out, const unsigned char addr[16],
    uint16_t port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)(void *)&out->ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)(void *)&out->ss;
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	memset(&out->ss, 0, sizeof(out->ss));
	if (memcmp(addr, mapped, sizeof(mapped)) == 0) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr + 12, 4);
		sin->sin_port = port;
		out->len = sizeof(*sin);
		return;
	}
	sin6->sin6_family = AF_INET6;
	memcpy(&sin6->sin6_addr, addr, 16);
	sin6->sin6_port = port;
	out->len = sizeof(*sin6);
}

static void
proxy_set4(struct proxy_addr *out, const unsigned char addr[4], uint16_t port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)(void *)&out->ss;

	memset(&out->ss, 0, sizeof(out->ss));
	sin->sin_family = AF_INET;
	memcpy(&sin->sin_addr, addr, 4);
	sin->sin_port = port;
	out->len = sizeof(*sin);
}

/* A port: 1 to 5 digits, no leading zero, at most 65535. */
static int
proxy_port(const char *s, size_t n, uint16_t *port)
{
	unsigned long	 v = 0;
	size_t		 i;

	if (n == 0 || n > 5 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*port = htons((uint16_t)v);
	return 0;
}

/*
 * "PROXY TCP4|TCP6 SRC DST SPORT DPORT" or "PROXY UNKNOWN[ ...]", the
 * CRLF not included in "n"; fields separated by exactly one space.
 */
static int
proxy_v1_line(const char *line, size_t n, struct proxy_addr *out,
    const char **why)
{
	const char	*f[5], *p, *end = line + n;
	size_t		 flen[5], nf = 0;
	char		 addr[INET6_ADDRSTRLEN];
	unsigned char	 src[16], dst[16];
	uint16_t	 sport, dport;
	int		 af;

	p = line + strlen(PROXY_V1_PREFIX);
	if ((size_t)(end - p) >= 7 && memcmp(p, "UNKNOWN", 7) == 0 &&
	    (p + 7 == end || p[7] == ' '))
		return 0;	/* the rest is to be ignored */
	while (p <= end && nf < 5) {
		f[nf] = p;
		while (p < end && *p != ' ')
			p++;
		flen[nf] = (size_t)(p - f[nf]);
		if (flen[nf] == 0)
			return (int)proxy_bad(why, "an empty field");
		nf++;
		if (p == end)
			break;
		p++;	/* the one space */
		if (p == end)
			return (int)proxy_bad(why, "a space at the end");
	}
	if (nf != 5 || p != end)
		return (int)proxy_bad(why, "not five fields after PROXY");
	if (flen[0] == 4 && memcmp(f[0], "TCP4", 4) == 0)
		af = AF_INET;
	else if (flen[0] == 4 && memcmp(f[0], "TCP6", 4) == 0)
		af = AF_INET6;
	else
		return (int)proxy_bad(why, "not TCP4, TCP6 or UNKNOWN");
	if (flen[1] >= sizeof(addr))
		return (int)proxy_bad(why, "a bad source address");
	memcpy(addr, f[1], flen[1]);
	addr[flen[1]] = '\0';
	if (inet_pton(af, addr, src) != 1)
		return (int)proxy_bad(why, "a bad source address");
	if (flen[2] >= sizeof(addr))
		return (int)proxy_bad(why, "a bad destination address");
	memcpy(addr, f[2], flen[2]);
	addr[flen[2]] = '\0';
	if (inet_pton(af, addr, dst) != 1)
		return (int)proxy_bad(why, "a bad destination address");
	if (proxy_port(f[3], flen[3], &sport) == -1 ||
	    proxy_port(f[4], flen[4], &dport) == -1)
		return (int)proxy_bad(why, "a bad port");
	if (af == AF_INET)
		proxy_set4(out, src, sport);
	else
		proxy_set6(out, src, sport);
	return 0;
}

static long
proxy_v1(const char *p, size_t len, struct proxy_addr *out, const char **why)
{
	size_t	 n, i, plen = strlen(PROXY_V1_PREFIX);

	n = len < plen ? len : plen;
	if (memcmp(p, PROXY_V1_PREFIX, n) != 0)
		return proxy_bad(why, "not a PROXY header");
	n = len < PROXY_V1_MAX ? len : PROXY_V1_MAX;
	for (i = 0; i < n; i++) {
		if (p[i] == '\r')
			break;
		if (p[i] == '\n')
			return proxy_bad(why, "a line ended by LF alone");
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e)
			return proxy_bad(why, "a byte that is not text");
	}
	if (i == n)
		return len >= PROXY_V1_MAX ?
		    proxy_bad(why, "no CRLF within 107 bytes") : 0;
	if (i + 1 == PROXY_V1_MAX)
		return proxy_bad(why, "no CRLF within 107 bytes");
	if (i + 1 == len)
		return 0;
	if (p[i + 1] != '\n')
		return proxy_bad(why, "a CR without LF");
	out->version = 1;
	if (proxy_v1_line(p, i, out, why) == -1)
		return -1;
	return (long)i + 2;
}

static long
proxy_v2(const unsigned char *p, size_t len, struct proxy_addr *out,
    const char **why)
{
	size_t		 n, alen, total;
	uint16_t	 port;
	int		 cmd, af, tp;

	n = len < sizeof(proxy_v2_sig) ? len : sizeof(proxy_v2_sig);
	if (memcmp(p, proxy_v2_sig, n) != 0)
		return proxy_bad(why, "not a PROXY header");
	if (len > 12 && (p[12] & 0xf0) != 0x20)
		return proxy_bad(why, "version 2 signature, another version");
	if (len > 12 && (p[12] & 0x0f) > 1)
		return proxy_bad(why, "neither LOCAL nor PROXY");
	if (len < PROXY_V2_HEAD)
		return 0;
	cmd = p[12] & 0x0f;
	af = p[13] >> 4;
	tp = p[13] & 0x0f;
	alen = (size_t)p[14] << 8 | p[15];
	total = PROXY_V2_HEAD + alen;
	if (total > PROXY_HEADER_MAX)
		return proxy_bad(why, "longer than 1024 bytes");
	if (af > 3 || tp > 2)
		return proxy_bad(why, "an unknown address family or protocol");
	if (len < total)
		return 0;
	out->version = 2;
	if (cmd == 0)
		return (long)total;	/* LOCAL: the family is ignored */
	if (p[13] == 0x11) {
		if (alen < 12)
			return proxy_bad(why, "TCP over IPv4 without its 12 "
			    "address bytes");
		memcpy(&port, p + 24, sizeof(port));	/* network order */
		proxy_set4(out, p + 16, port);
	} else if (p[13] == 0x21) {
		if (alen < 36)
			return proxy_bad(why, "TCP over IPv6 without its 36 "
			    "address bytes");
		memcpy(&port, p + 48, sizeof(port));
		proxy_set6(out, p + 16, port);
	}
	/* Other families: the connection's own addresses stand. */
	return (long)total;
}

long
proxy_parse(const void *data, size_t len, struct proxy_addr *out,
    const char **why)
{
	const unsigned char	*p = data;

	memset(out, 0, sizeof(*out));
	*why = "";
	if (len == 0)
		return 0;
	if (p[0] == 'P')
		return proxy_v1(data, len, out, why);
	if (p[0] == proxy_v2_sig[0])
		return proxy_v2(p, len, out, why);
	return proxy_bad(why, "not a PROXY header");
}
