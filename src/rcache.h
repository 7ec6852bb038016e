/* griot: the response cache.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A worker's response cache: whole responses kept under the request's
 * cache key, so that the same bytes in the same generation are answered
 * again without the handler.  One cache per worker, used by that worker's
 * thread only: no lock.  Pure: no clock, no event loop, no global; the
 * caller empties it (rcache_clear()) when it moves to a new generation,
 * so that a response is never served from another generation than the
 * one it was made from.
 *
 * Keys are (tag, bytes): the tag keeps the protocols apart.  Least
 * recently used entries go first when "max_bytes" (keys, responses and
 * entry headers counted) or "max_entries" is reached; a response over
 * "max_item" bytes is not kept.  A hash chain of RCACHE_CHAIN entries
 * takes no more: keys crafted to collide cost a few comparisons at most.
 *
 * Ownership: an entry is owned by the cache and by each holder of a
 * reference (rcache_ref()); an entry evicted or cleared while a
 * connection still writes it stays alive until its last rcache_unref().
 */
#ifndef GRIOT_RCACHE_H
#define GRIOT_RCACHE_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

struct buf;

#define RCACHE_BUCKETS	16384	/* a power of two */
#define RCACHE_CHAIN	8

/* A kept response; read-only for everyone but rcache.c. */
struct rcache_entry {
	TAILQ_ENTRY(rcache_entry) lru;		/* most recent first */
	struct rcache_entry	*next;		/* hash chain */
	int			 refs;
	int			 status;	/* the handler's */
	int			 tag;
	uint32_t		 hash;
	char			*data;		/* the response, owned */
	size_t			 len;
	size_t			 keylen;
	char			 key[];
};
TAILQ_HEAD(rcache_lru, rcache_entry);

struct rcache {
	struct rcache_entry	**tab;		/* made on first rcache_put() */
	struct rcache_lru	  lru;
	size_t			  n;
	size_t			  bytes;
	size_t			  max_bytes;
	size_t			  max_entries;
	size_t			  max_item;
};

void	 rcache_init(struct rcache *, size_t max_bytes, size_t max_entries,
	    size_t max_item);
/* Empty the cache and free its table; the struct may be used again. */
void	 rcache_fini(struct rcache *);
/* Drop every entry (a new generation); held entries live on. */
void	 rcache_clear(struct rcache *);

/* The hash rcache_get() and rcache_put() take: made once per request. */
uint32_t rcache_hash(int tag, const char *key, size_t len);

/* The entry for the key, made the most recent; NULL when not kept. */
struct rcache_entry *rcache_get(struct rcache *, int tag, const char *key,
	    size_t len, uint32_t hash);
/*
 * Keep the response in "out" under the key: on success the entry takes
 * the bytes (out is left empty) and is returned, held by the cache only;
 * NULL (too big, a full chain, out of memory, "out" failed or empty)
 * leaves "out" alone.  Makes room by evicting the least recently used.
 */
struct rcache_entry *rcache_put(struct rcache *, int tag, const char *key,
	    size_t len, uint32_t hash, int status, struct buf *out);

struct rcache_entry *rcache_ref(struct rcache_entry *);
void	 rcache_unref(struct rcache_entry *);	/* NULL is fine */

#endif /* GRIOT_RCACHE_H */
