/* griot: the per-address rate limit.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Token buckets keyed by the client's IPv4 address or IPv6 /64 (a host
 * usually holds a whole /64), in a chained hash table under one mutex
 * (see ratelimit.h).  The lock is taken once per accepted connection, and
 * only when rate_limit is on.
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "ratelimit.h"

#define RATELIMIT_BUCKETS	4096
#define RATELIMIT_KEY		9	/* family; IPv4 address or IPv6 /64 */
#define RATELIMIT_IDLE		60.0	/* s: a bucket is full again */

struct rl_entry {
	struct rl_entry	*next;
	unsigned char	 key[RATELIMIT_KEY];
	double		 tokens;
	double		 last;
};

struct ratelimit {
	pthread_mutex_t	 lock;
	size_t		 n;
	size_t		 max;
	struct rl_entry	*tab[RATELIMIT_BUCKETS];
};

struct ratelimit *
ratelimit_new(size_t max)
{
	struct ratelimit	*rl;

	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	if (pthread_mutex_init(&rl->lock, NULL) != 0) {
		free(rl);
		return NULL;
	}
	rl->max = max;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	struct rl_entry	*e;
	size_t		 i;

	if (rl == NULL)
		return;
	for (i = 0; i < RATELIMIT_BUCKETS; i++) {
		while ((e = rl->tab[i]) != NULL) {
			rl->tab[i] = e->next;
			free(e);
		}
	}
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

/* The bucket's key for "sa": 0, or -1 for a family without a limit. */
static int
ratelimit_key(const struct sockaddr *sa, unsigned char *key)
{
	memset(key, 0, RATELIMIT_KEY);
	if (sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)(const void *)sa)
		    ->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, 8);
	} else
		return -1;
	return 0;
}

int
ratelimit_check(struct ratelimit *rl, const struct sockaddr *sa, int limit,
    double now)
{
	unsigned char	 key[RATELIMIT_KEY];
	struct rl_entry	*e;
	size_t		 h;
	int		 rv = RATELIMIT_PASS;

	if (limit <= 0 || ratelimit_key(sa, key) == -1)
		return RATELIMIT_PASS;
	h = hash_bytes(HASH_SEED, key, sizeof(key)) % RATELIMIT_BUCKETS;
	pthread_mutex_lock(&rl->lock);
	for (e = rl->tab[h]; e != NULL; e = e->next)
		if (memcmp(e->key, key, sizeof(key)) == 0)
			break;
	if (e == NULL) {
		if (rl->n >= rl->max || (e = calloc(1, sizeof(*e))) == NULL) {
			rv = RATELIMIT_UNTRACKED;
			goto done;
		}
		memcpy(e->key, key, sizeof(key));
		e->tokens = limit;
		e->last = now;
		e->next = rl->tab[h];
		rl->tab[h] = e;
		rl->n++;
	}
	e->tokens += (now - e->last) * (double)limit / 60.0;
	if (e->tokens > limit)
		e->tokens = limit;
	e->last = now;
	if (e->tokens >= 1.0)
		e->tokens -= 1.0;
	else
		rv = RATELIMIT_OVER;
 done:
	pthread_mutex_unlock(&rl->lock);
	return rv;
}

void
ratelimit_prune(struct ratelimit *rl, double now)
{
	struct rl_entry	**ep, *e;
	size_t		 i;

	pthread_mutex_lock(&rl->lock);
	for (i = 0; i < RATELIMIT_BUCKETS; i++) {
		ep = &rl->tab[i];
		while ((e = *ep) != NULL) {
			if (now - e->last >= RATELIMIT_IDLE) {
				*ep = e->next;
				free(e);
				rl->n--;
			} else
				ep = &e->next;
		}
	}
	pthread_mutex_unlock(&rl->lock);
}

size_t
ratelimit_count(struct ratelimit *rl)
{
	size_t	 n;

	pthread_mutex_lock(&rl->lock);
	n = rl->n;
	pthread_mutex_unlock(&rl->lock);
	return n;
}
