/* griot: fuzz harness of the PROXY protocol parser.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * proxy_parse() on any bytes, asserting what server.c relies on: the
 * result is -1 (with a reason), 0 or a header length within the input
 * and the protocol's limits (107 bytes for version 1, ending in CRLF;
 * 16 bytes plus the length field, at most 1024, for version 2); "need
 * more" is never answered to PROXY_HEADER_MAX bytes or more; an
 * accepted header gives version 1 for "PROXY " and 2 for the binary
 * signature, and either no address or an AF_INET/AF_INET6 one of the
 * right length (never an IPv4-mapped IPv6 one), which is the header's
 * own source address and port (version 1 TCP4 and TCP6, version 2 TCP
 * over IPv4 and IPv6; none for UNKNOWN, LOCAL, other families).  And
 * splitting the input changes nothing: every prefix shorter than the
 * header is "need more", every longer one gives the same header; once
 * refused, every longer prefix is refused too.  Without --enable-fuzzing it is linked with
 * replay.c and replays tests/fuzz/corpus/proxy/ under make check.
 */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define CHECK(c)	do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", \
	__FILE__, __LINE__, #c); abort(); } } while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const unsigned char sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

static void
check_addr(const struct proxy_addr *pa)
{
	const struct sockaddr_in6	*sin6;
	static const unsigned char	 mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	CHECK(pa->version == 1 || pa->version == 2);
	if (pa->len == 0)
		return;
	if (pa->ss.ss_family == AF_INET)
		CHECK(pa->len == sizeof(struct sockaddr_in));
	else {
		CHECK(pa->ss.ss_family == AF_INET6);
		CHECK(pa->len == sizeof(struct sockaddr_in6));
		sin6 = (const struct sockaddr_in6 *)(const void *)&pa->ss;
		CHECK(memcmp(&sin6->sin6_addr, mapped, sizeof(mapped)) != 0);
	}
}

/*
 * "PROXY TCP4|TCP6 SRC DST SPORT DPORT" (no CRLF): the address is SRC
 * (an IPv4-mapped IPv6 one as IPv4), the port SPORT.
 */
static void
check_v1_tcp(const char *line, size_t n, const struct proxy_addr *pa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	unsigned char			 src[16];
	char				 field[64];
	const char			*p, *f[5];
	size_t				 flen[5], i;
	unsigned long			 port = 0;
	int				 af;

	if (n >= 11 && memcmp(line, "PROXY TCP4 ", 11) == 0)
		af = AF_INET;
	else if (n >= 11 && memcmp(line, "PROXY TCP6 ", 11) == 0)
		af = AF_INET6;
	else {
		CHECK(pa->len == 0);	/* UNKNOWN */
		return;
	}
	for (i = 0, p = line + 6; i < 5; i++) {
		f[i] = p;
		while (p < line + n && *p != ' ')
			p++;
		flen[i] = (size_t)(p - f[i]);
		CHECK(flen[i] > 0 && flen[i] < sizeof(field));
		CHECK(i < 4 ? p < line + n : p == line + n);
		p++;
	}
	memcpy(field, f[1], flen[1]);
	field[flen[1]] = '\0';
	CHECK(inet_pton(af, field, src) == 1);
	for (i = 0; i < flen[3]; i++) {
		CHECK(f[3][i] >= '0' && f[3][i] <= '9');
		port = port * 10 + (unsigned long)(f[3][i] - '0');
	}
	CHECK(port <= 65535);
	sin = (const struct sockaddr_in *)(const void *)&pa->ss;
	sin6 = (const struct sockaddr_in6 *)(const void *)&pa->ss;
	if (af == AF_INET || (memcmp(src, "\0\0\0\0\0\0\0\0\0\0\xff\xff",
	    12) == 0)) {
		CHECK(pa->ss.ss_family == AF_INET);
		CHECK(memcmp(&sin->sin_addr, af == AF_INET ? src : src + 12,
		    4) == 0);
		CHECK(ntohs(sin->sin_port) == port);
	} else {
		CHECK(pa->ss.ss_family == AF_INET6);
		CHECK(memcmp(&sin6->sin6_addr, src, 16) == 0);
		CHECK(ntohs(sin6->sin6_port) == port);
	}
}

/* Version 2: PROXY over TCP4 (0x11) or TCP6 (0x21) gives the source. */
static void
check_v2(const uint8_t *h, const struct proxy_addr *pa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	static const unsigned char	 mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	const uint8_t			*addr = h + 16, *port;

	sin = (const struct sockaddr_in *)(const void *)&pa->ss;
	sin6 = (const struct sockaddr_in6 *)(const void *)&pa->ss;
	if ((h[12] & 0x0f) == 0 || (h[13] != 0x11 && h[13] != 0x21)) {
		CHECK(pa->len == 0);	/* LOCAL, or not TCP over IP */
		return;
	}
	port = h[13] == 0x11 ? h + 24 : h + 48;
	if (h[13] == 0x21 && memcmp(addr, mapped, sizeof(mapped)) != 0) {
		CHECK(pa->ss.ss_family == AF_INET6);
		CHECK(memcmp(&sin6->sin6_addr, addr, 16) == 0);
		CHECK(memcmp(&sin6->sin6_port, port, 2) == 0);
		return;
	}
	if (h[13] == 0x21)
		addr += 12;
	CHECK(pa->ss.ss_family == AF_INET);
	CHECK(memcmp(&sin->sin_addr, addr, 4) == 0);
	CHECK(memcmp(&sin->sin_port, port, 2) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct proxy_addr	 pa, pb;
	const char		*why = NULL, *why2;
	long			 n, m;
	size_t			 k, max;

	n = proxy_parse(data, len, &pa, &why);
	CHECK(n >= -1 && (n < 0 || (size_t)n <= len));
	CHECK(why != NULL);
	if (n == -1)
		CHECK(why[0] != '\0' && strchr(why, '\n') == NULL);
	if (n == 0)
		CHECK(len < PROXY_HEADER_MAX);
	if (n > 0) {
		CHECK(n <= PROXY_HEADER_MAX);
		check_addr(&pa);
		if (data[0] == 'P') {
			CHECK(pa.version == 1);
			CHECK(n <= PROXY_V1_MAX && n >= 8);
			CHECK(data[n - 2] == '\r' && data[n - 1] == '\n');
			CHECK(memchr(data, '\n', (size_t)n - 1) == NULL);
			check_v1_tcp((const char *)data, (size_t)n - 2, &pa);
		} else {
			CHECK(pa.version == 2);
			CHECK(n >= PROXY_V2_HEAD &&
			    memcmp(data, sig, sizeof(sig)) == 0);
			CHECK((size_t)n == PROXY_V2_HEAD +
			    ((size_t)data[14] << 8 | data[15]));
			check_v2(data, &pa);
		}
	}

	/*
	 * Every prefix, as bytes arriving one at a time: "need more" up
	 * to the header's length, then the same answer.
	 */
	max = len < PROXY_HEADER_MAX + 8 ? len : PROXY_HEADER_MAX + 8;
	for (k = 0; k < max; k++) {
		m = proxy_parse(data, k, &pb, &why2);
		if (n > 0 && k < (size_t)n)
			CHECK(m == 0);
		else if (n > 0) {
			CHECK(m == n && pb.len == pa.len &&
			    pb.version == pa.version);
			CHECK(memcmp(&pb.ss, &pa.ss, pa.len) == 0);
		} else if (n == 0)
			CHECK(m == 0);
		else
			CHECK(m == 0 || m == -1);
	}
	/* Refused once, refused for good. */
	if (n == -1) {
		for (k = 0; k < max; k++)
			if (proxy_parse(data, k, &pb, &why2) == -1)
				break;
		for (; k < max; k++)
			CHECK(proxy_parse(data, k, &pb, &why2) == -1);
	}
	return 0;
}
