/* griot: sockets.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Listening sockets and the descriptor limit, before privileges are
 * dropped.  Like redis's anet, nothing here logs: a function that fails
 * returns -1 with errno set where a system call failed, and a sentence
 * in the caller's buffer "msg" of "msglen" bytes (no line end), naming
 * the address and port; the caller decides what the operator sees.
 *
 * Addresses are as in griot.ini: "*" (or "") for every address of every
 * family the host has, a numeric IPv4 or IPv6 address, "[v6]" with
 * brackets, or a host name.  IPv6 sockets are IPV6_V6ONLY: "*" binds
 * IPv4 and IPv6 apart, and a host without IPv6 makes do with IPv4.
 */
#ifndef GRIOT_NET_H
#define GRIOT_NET_H

#include <sys/types.h>

#include <stddef.h>

/*
 * Called by net_listen() for each socket made: "fd" (non-blocking,
 * close-on-exec, listening), which of the "n" copies of its address it
 * is ("i", 0 to n - 1) and the address as text ("127.0.0.1 port 1965").
 * Takes "fd" over, also when it fails: returns -1 (with errno set) to
 * stop net_listen().
 */
typedef int	(*net_listen_cb)(void *arg, int fd, size_t i,
		    const char *name);

/*
 * Bind "addr" port "port" and listen, "n" sockets per address: with n > 1
 * they share the port through SO_REUSEPORT, after a plain bind checked
 * that no other process (a second griotd) holds it, so that it is
 * refused rather than sharing our clients.  "label" ("gemini") is put in
 * the messages.  Sockets already handed to "cb" stay with the caller on
 * failure.
 */
int	 net_listen(const char *addr, int port, size_t n, const char *label,
	    net_listen_cb cb, void *arg, char *msg, size_t msglen);

/*
 * griotd -t: try binding "addr" port "port" the way net_listen() will
 * (each address, SO_REUSEADDR, IPV6_V6ONLY; "*" skips IPv6 on a host
 * without it), then close.  Returns 0 when every bind succeeded; -1 with
 * errno set (EADDRINUSE: in use; EACCES: this user may not bind a low
 * port; EADDRNOTAVAIL: not an address of this machine; 0: the address
 * does not resolve) and the reason in "msg".
 */
int	 net_bind_check(const char *addr, int port, char *msg, size_t msglen);

/*
 * On Linux, let the listening socket "fd" report a connection only once
 * its first bytes arrived (TCP_DEFER_ACCEPT), or once "seconds" passed
 * without any, rounded up by the kernel to its next SYN-ACK
 * retransmission: accepting and reading then take one wake-up, with no
 * accept() finding nothing.  Elsewhere, nothing.  -1 with a message when
 * setsockopt() fails.
 */
int	 net_defer_accept(int fd, int seconds, char *msg, size_t msglen);

/*
 * Raise the soft RLIMIT_NOFILE to the hard one (at most 1048576): many
 * idle clients need many descriptors.  *limitp is the limit now in force
 * (0: unlimited).  Returns -1 with a message when getrlimit() or
 * setrlimit() failed (*limitp is then what could be read).
 */
int	 net_raise_nofile(unsigned long long *limitp, char *msg,
	    size_t msglen);

/*
 * The process that holds a listening TCP socket on "port" (any address,
 * IPv4 or IPv6), from /proc/net/tcp{,6} and /proc/PID/fd; 0 when none is
 * found or this user may not see it (another user's process, without
 * root).  For messages and for griotd -t, which accepts the port of the
 * running griotd of the same griot.ini.
 */
pid_t	 net_port_holder(int port);

#endif /* GRIOT_NET_H */
