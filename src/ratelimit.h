/* griot: the per-address rate limit.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A token bucket per IPv4 address or IPv6 /64, holding "limit" tokens and
 * refilled at "limit" per minute; each connection takes one.  One table
 * for all workers, since the kernel spreads one address's connections
 * over them: the module owns its mutex, and every function may be called
 * from any thread.  Pure otherwise: the time is the caller's ("now", in
 * seconds of a monotonic clock), so a test moves time instead of
 * sleeping, and nothing is logged.
 *
 * When "max" addresses are tracked at once (or memory runs out), new
 * addresses pass unchecked rather than being refused, and
 * ratelimit_check() says so: the caller decides what the operator sees.
 */
#ifndef GRIOT_RATELIMIT_H
#define GRIOT_RATELIMIT_H

#include <stddef.h>

struct sockaddr;
struct ratelimit;

#define RATELIMIT_PASS		0
#define RATELIMIT_OVER		1	/* refuse the connection politely */
#define RATELIMIT_UNTRACKED	2	/* passes: the table is full */

/* A table of at most "max" addresses; NULL when out of memory. */
struct ratelimit *ratelimit_new(size_t max);
void	 ratelimit_free(struct ratelimit *);	/* NULL is fine */

/*
 * Take a token for a connection from "sa" at "now" with buckets of
 * "limit" tokens: RATELIMIT_PASS, RATELIMIT_OVER or RATELIMIT_UNTRACKED.
 * "limit" 0 (off) and families other than AF_INET and AF_INET6 pass.
 */
int	 ratelimit_check(struct ratelimit *, const struct sockaddr *sa,
	    int limit, double now);

/*
 * Forget the addresses idle a minute or more at "now": their buckets are
 * full again, as a new one would be.  Call it every minute or so.
 */
void	 ratelimit_prune(struct ratelimit *, double now);

/* How many addresses are tracked. */
size_t	 ratelimit_count(struct ratelimit *);

#endif /* GRIOT_RATELIMIT_H */
