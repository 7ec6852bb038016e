/* griot: the per-address limits.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Per IPv4 address or IPv6 /64: a token bucket, holding "limit" tokens
 * and refilled at "limit" per minute, of which each connection takes one
 * (the rate limit); and the count of connections open (the open limit,
 * so that one address cannot hold every connection slot).  One table
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
 * A connection from "sa" opens at "now": count it unless "max"
 * connections from there are open already.  RATELIMIT_PASS (counted:
 * call ratelimit_close() when it closes), RATELIMIT_OVER (not counted:
 * refuse it) or RATELIMIT_UNTRACKED (not counted: it passes).  "max" 0
 * (off) and families other than AF_INET and AF_INET6 are UNTRACKED.
 */
int	 ratelimit_open(struct ratelimit *, const struct sockaddr *sa, int max,
	    double now);

/* A connection counted by ratelimit_open() with this "sa" closed. */
void	 ratelimit_close(struct ratelimit *, const struct sockaddr *sa);

/*
 * Forget the addresses idle a minute or more at "now" with no connection
 * open: their buckets are full again, as a new one would be.  Call it
 * every minute or so.
 */
void	 ratelimit_prune(struct ratelimit *, double now);

/* How many addresses are tracked. */
size_t	 ratelimit_count(struct ratelimit *);

#endif /* GRIOT_RATELIMIT_H */
