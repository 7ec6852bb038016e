/* griot: tests of the per-address rate limit.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * ratelimit.c with a simulated clock: a bucket's first tokens, its
 * refill over time and its cap, the keys (an IPv4 address; an IPv6 /64,
 * whatever the host part), pruning of idle addresses, and a full table
 * letting new addresses pass.
 */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "ratelimit.h"
#include "tap.h"

static struct sockaddr_in
v4(const char *a)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	(void)inet_pton(AF_INET, a, &sin.sin_addr);
	return sin;
}

static struct sockaddr_in6
v6(const char *a)
{
	struct sockaddr_in6	 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	(void)inet_pton(AF_INET6, a, &sin6.sin6_addr);
	return sin6;
}

/* is_int() evaluates "got" twice: check a call once. */
#define IS(expr, want, what) do {					\
	long long got_ = (expr);					\
	is_int(got_, (want), (what));					\
} while (0)

#define SA(x)	((const struct sockaddr *)(const void *)&(x))

/* How many of "n" connections at "now" pass. */
static int
passes(struct ratelimit *rl, const struct sockaddr *sa, int limit, int n,
    double now)
{
	int	 i, ok = 0;

	for (i = 0; i < n; i++)
		if (ratelimit_check(rl, sa, limit, now) != RATELIMIT_OVER)
			ok++;
	return ok;
}

static void
test_bucket(void)
{
	struct ratelimit	*rl = ratelimit_new(100);
	struct sockaddr_in	 a = v4("192.0.2.1");
	double			 t = 1000.0;

	if (!ok(rl != NULL, "ratelimit_new"))
		return;
	IS(passes(rl, SA(a), 0, 100, t), 100, "limit 0: all pass");
	IS(ratelimit_count(rl), 0, "and nothing is tracked");
	IS(passes(rl, SA(a), 6, 10, t), 6,
	    "limit 6: six of ten at once pass");
	IS(ratelimit_check(rl, SA(a), 6, t), RATELIMIT_OVER,
	    "the next is over");
	/* 6 per minute: one token every 10 s, in fractions meanwhile. */
	IS(passes(rl, SA(a), 6, 1, t + 5.0), 0,
	    "5 s later: half a token, still over");
	IS(passes(rl, SA(a), 6, 3, t + 10.5), 1,
	    "10.5 s later: one token back, one of three passes");
	IS(passes(rl, SA(a), 6, 3, t + 30.5), 2,
	    "20 s more: two of three pass");
	IS(passes(rl, SA(a), 6, 20, t + 3600.0), 6,
	    "an hour later: a full bucket, never more");
	ratelimit_free(rl);
}

static void
test_keys(void)
{
	struct ratelimit	*rl = ratelimit_new(100);
	struct sockaddr_in	 a = v4("192.0.2.1"), b = v4("192.0.2.2");
	struct sockaddr_in	 a2 = v4("192.0.2.1");
	struct sockaddr_in6	 h1 = v6("2001:db8:1:2::1");
	struct sockaddr_in6	 h2 = v6("2001:db8:1:2:ffff:ffff:ffff:ffff");
	struct sockaddr_in6	 o = v6("2001:db8:1:3::1");
	struct sockaddr_in6	 m = v6("c000:201::");	/* 192.0.2.1's bytes */
	struct sockaddr_un	 un;
	double			 t = 50.0;

	if (!ok(rl != NULL, "ratelimit_new"))
		return;
	a2.sin_port = htons(4444);
	IS(passes(rl, SA(a), 2, 2, t), 2, "192.0.2.1 takes its two");
	IS(passes(rl, SA(a2), 2, 1, t), 0,
	    "192.0.2.1 from another port shares them");
	IS(passes(rl, SA(b), 2, 2, t), 2, "192.0.2.2 has its own bucket");
	IS(passes(rl, SA(m), 2, 2, t), 2,
	    "an IPv6 address with the same first bytes has its own");
	IS(passes(rl, SA(h1), 2, 2, t), 2, "2001:db8:1:2::1 takes two");
	IS(passes(rl, SA(h2), 2, 1, t), 0,
	    "another host of the same /64 shares them");
	IS(passes(rl, SA(o), 2, 2, t), 2, "the next /64 has its own");
	IS(ratelimit_count(rl), 5, "five buckets");
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	IS(passes(rl, SA(un), 2, 10, t), 10,
	    "another family passes unchecked");
	ratelimit_free(rl);
}

static void
test_prune(void)
{
	struct ratelimit	*rl = ratelimit_new(100);
	struct sockaddr_in	 a = v4("198.51.100.1"), b = v4("198.51.100.2");

	if (!ok(rl != NULL, "ratelimit_new"))
		return;
	(void)passes(rl, SA(a), 3, 3, 0.0);
	(void)passes(rl, SA(b), 3, 1, 30.0);
	ratelimit_prune(rl, 59.9);
	IS(ratelimit_count(rl), 2, "nothing idle a minute yet");
	ratelimit_prune(rl, 60.0);
	IS(ratelimit_count(rl), 1, "the address idle 60 s is forgotten");
	IS(passes(rl, SA(b), 3, 5, 60.0), 3,
	    "the other keeps its bucket (refilled by 1.5 tokens, capped)");
	IS(passes(rl, SA(a), 3, 5, 60.0), 3,
	    "the forgotten one starts with a full bucket");
	ratelimit_free(rl);
	ratelimit_free(NULL);
	ok(1, "ratelimit_free(NULL) is fine");
}

static void
test_full(void)
{
	struct ratelimit	*rl = ratelimit_new(2);
	struct sockaddr_in	 a = v4("203.0.113.1"), b = v4("203.0.113.2");
	struct sockaddr_in	 c = v4("203.0.113.3");

	if (!ok(rl != NULL, "ratelimit_new"))
		return;
	IS(ratelimit_check(rl, SA(a), 1, 0.0), RATELIMIT_PASS, "a tracked");
	IS(ratelimit_check(rl, SA(b), 1, 0.0), RATELIMIT_PASS, "b tracked");
	IS(ratelimit_check(rl, SA(c), 1, 0.0), RATELIMIT_UNTRACKED,
	    "the table is full: c passes unchecked, and says so");
	IS(ratelimit_check(rl, SA(c), 1, 0.0), RATELIMIT_UNTRACKED,
	    "however often it comes");
	IS(ratelimit_check(rl, SA(a), 1, 0.0), RATELIMIT_OVER,
	    "tracked addresses are still limited");
	IS(ratelimit_count(rl), 2, "two tracked");
	ratelimit_prune(rl, 60.0);
	IS(ratelimit_check(rl, SA(c), 1, 60.0), RATELIMIT_PASS,
	    "after a prune there is room for c");
	IS(ratelimit_check(rl, SA(c), 1, 60.0), RATELIMIT_OVER,
	    "and c is limited from then on");
	ratelimit_free(rl);
}

static void
test_open(void)
{
	struct ratelimit	*rl = ratelimit_new(100);
	struct sockaddr_in	 a = v4("192.0.2.1"), b = v4("192.0.2.2");
	struct sockaddr_in6	 x = v6("2001:db8:1:2::1"), y = v6("2001:db8:1:2:ff::9");
	struct sockaddr_in6	 z = v6("2001:db8:1:3::1");
	int			 i, n;

	if (!ok(rl != NULL, "ratelimit_new"))
		return;
	for (i = n = 0; i < 5; i++)
		n += ratelimit_open(rl, SA(a), 3, 0.0) == RATELIMIT_PASS;
	IS(n, 3, "open: 3 of 5 connections from one address pass at max 3");
	IS(ratelimit_open(rl, SA(a), 3, 0.0), RATELIMIT_OVER,
	    "the next is over");
	IS(ratelimit_open(rl, SA(b), 3, 0.0), RATELIMIT_PASS,
	    "another address is not");
	ratelimit_close(rl, SA(a));
	IS(ratelimit_open(rl, SA(a), 3, 0.0), RATELIMIT_PASS,
	    "one closed: one more passes");
	IS(ratelimit_open(rl, SA(a), 3, 0.0), RATELIMIT_OVER, "and no more");
	IS(ratelimit_open(rl, SA(a), 0, 0.0), RATELIMIT_UNTRACKED,
	    "max 0: off, not counted");
	IS(ratelimit_open(rl, SA(x), 1, 0.0), RATELIMIT_PASS, "IPv6: passes");
	IS(ratelimit_open(rl, SA(y), 1, 0.0), RATELIMIT_OVER,
	    "the same /64 is the same client");
	IS(ratelimit_open(rl, SA(z), 1, 0.0), RATELIMIT_PASS,
	    "another /64 is not");

	/* Open connections keep their address through a prune. */
	ratelimit_prune(rl, 600.0);
	IS(ratelimit_count(rl), 4, "prune keeps the addresses with connections");
	IS(ratelimit_open(rl, SA(a), 3, 600.0), RATELIMIT_OVER,
	    "and their counts");
	for (i = 0; i < 3; i++)
		ratelimit_close(rl, SA(a));
	ratelimit_close(rl, SA(a));
	ratelimit_close(rl, SA(x));
	ratelimit_close(rl, SA(z));
	ratelimit_close(rl, SA(b));
	ratelimit_prune(rl, 600.0);
	IS(ratelimit_count(rl), 0, "all closed: all forgotten, a close too many "
	    "did no harm");

	/* The two limits share the entry without mixing. */
	IS(ratelimit_open(rl, SA(a), 1, 700.0), RATELIMIT_PASS, "open a");
	IS(passes(rl, SA(a), 2, 3, 700.0), 2,
	    "its rate limit starts with a full bucket");
	ratelimit_close(rl, SA(a));
	ratelimit_free(rl);
}

int
main(void)
{
	test_bucket();
	test_keys();
	test_prune();
	test_full();
	test_open();
	return tap_done();
}
