/* griot: the PROXY protocol.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A pure parser of the header a TCP load balancer (HAProxy's
 * send-proxy/send-proxy-v2, nginx's proxy_protocol) puts before the
 * client's first byte, to tell the server who the client is: version 1,
 * one text line, and version 2, binary.  No socket here: server.c reads
 * the bytes, the unit test and the fuzzers call it the same way.
 */
#ifndef GRIOT_PROXY_H
#define GRIOT_PROXY_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>

#define PROXY_V1_MAX		107	/* bytes, CRLF included */
#define PROXY_V2_HEAD		16	/* signature, command, family, length */
/*
 * At most this many bytes in all.  A version 2 header carries the
 * addresses (216 bytes at most, for AF_UNIX) and TLVs, which senders
 * keep short; a longer header is refused.
 */
#define PROXY_HEADER_MAX	1024

struct proxy_addr {
	/*
	 * The client's address and port ("len" > 0) for a proxied TCP
	 * connection over IPv4 or IPv6 (an IPv4-mapped IPv6 address becomes
	 * IPv4); "len" 0 when the connection's own addresses stand (v1
	 * UNKNOWN, v2 LOCAL, or a v2 family other than TCP).
	 */
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 version;	/* 1 or 2 */
};

/*
 * Look at the first "len" bytes a connection sent, which must start
 * with a PROXY header and may hold what follows it too (so a caller
 * reads ahead with MSG_PEEK, then consumes only the header).  Returns
 * the length of the complete header, with "out" filled; 0 when what came
 * so far is a valid beginning and more bytes are needed (all of them
 * are then header bytes); -1 when it is not a valid header, too long
 * included, with *why set to a short reason for the log.
 */
long	 proxy_parse(const void *data, size_t len, struct proxy_addr *out,
	    const char **why);

#endif
