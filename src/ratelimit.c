/* griot: the per-address rate limit.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Token buckets and open-connection counts keyed by the client's IPv4
 * address or IPv6 /64 (a host usually holds a whole /64), in a chained
 * hash table under one mutex (see ratelimit.h).  The lock is taken once
 * per accepted connection for each limit that is on, and once more at
 * its close for the open limit.
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <math.h>
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
	int		 open;		/* connections counted */
	double		 tokens;	/* HUGE_VAL: full, whatever the limit */
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

/*
 * The entry of "key", made when "create" (NULL when the table is full or
 * memory ran out).  Called with the lock held.
 */
static struct rl_entry *
ratelimit_find(struct ratelimit *rl, const unsigned char *key, int create,
    double now)
{
	struct rl_entry	*e;
	size_t		 h;

	h = hash_bytes(HASH_SEED, key, RATELIMIT_KEY) % RATELIMIT_BUCKETS;
	for (e = rl->tab[h]; e != NULL; e = e->next)
		if (memcmp(e->key, key, RATELIMIT_KEY) == 0)
			return e;
	if (!create || rl->n >= rl->max || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	memcpy(e->key, key, RATELIMIT_KEY);
	e->tokens = HUGE_VAL;
	e->last = now;
	e->next = rl->tab[h];
	rl->tab[h] = e;
	rl->n++;
	return e;
}

int
ratelimit_check(struct ratelimit *rl, const struct sockaddr *sa, int limit,
    double now)
{
	unsigned char	 key[RATELIMIT_KEY];
	struct rl_entry	*e;
	int		 rv = RATELIMIT_PASS;

	if (limit <= 0 || ratelimit_key(sa, key) == -1)
		return RATELIMIT_PASS;
	pthread_mutex_lock(&rl->lock);
	if ((e = ratelimit_find(rl, key, 1, now)) == NULL) {
		rv = RATELIMIT_UNTRACKED;
		goto done;
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

int
ratelimit_open(struct ratelimit *rl, const struct sockaddr *sa, int max,
    double now)
{
	unsigned char	 key[RATELIMIT_KEY];
	struct rl_entry	*e;
	int		 rv = RATELIMIT_PASS;

	if (max <= 0 || ratelimit_key(sa, key) == -1)
		return RATELIMIT_UNTRACKED;
	pthread_mutex_lock(&rl->lock);
	if ((e = ratelimit_find(rl, key, 1, now)) == NULL)
		rv = RATELIMIT_UNTRACKED;
	else if (e->open >= max)
		rv = RATELIMIT_OVER;
	else
		e->open++;
	pthread_mutex_unlock(&rl->lock);
	return rv;
}

void
ratelimit_close(struct ratelimit *rl, const struct sockaddr *sa)
{
	unsigned char	 key[RATELIMIT_KEY];
	struct rl_entry	*e;

	if (ratelimit_key(sa, key) == -1)
		return;
	pthread_mutex_lock(&rl->lock);
	if ((e = ratelimit_find(rl, key, 0, 0)) != NULL && e->open > 0)
		e->open--;
	pthread_mutex_unlock(&rl->lock);
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
			if (e->open == 0 && now - e->last >= RATELIMIT_IDLE) {
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
