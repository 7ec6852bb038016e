/* griot: the response cache.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A hash table of whole responses with an LRU list, one per worker (see
 * rcache.h for the contract).  The handlers are pure functions of the
 * request bytes, the conf and the store snapshot, so a response can be
 * sent again for the same cache key in the same generation; the key is
 * what the protocol module makes from what its answer depends on
 * (gemini_cache_key(), gopher_cache_key()), so bytes the handler ignores
 * neither make the answer again nor take room.
 */
#include "griot-config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "rcache.h"

void
rcache_init(struct rcache *rc, size_t max_bytes, size_t max_entries,
    size_t max_item)
{
	memset(rc, 0, sizeof(*rc));
	TAILQ_INIT(&rc->lru);
	rc->max_bytes = max_bytes;
	rc->max_entries = max_entries;
	rc->max_item = max_item;
}

uint32_t
rcache_hash(int tag, const char *key, size_t len)
{
	return hash_bytes(HASH_SEED ^ (uint32_t)tag, key, len);
}

struct rcache_entry *
rcache_ref(struct rcache_entry *e)
{
	e->refs++;
	return e;
}

void
rcache_unref(struct rcache_entry *e)
{
	if (e == NULL || --e->refs > 0)
		return;
	free(e->data);
	free(e);
}

/* Take "e" out of the table; the holders of a reference keep it alive. */
static void
rcache_remove(struct rcache *rc, struct rcache_entry *e)
{
	struct rcache_entry	**ep;

	for (ep = &rc->tab[e->hash & (RCACHE_BUCKETS - 1)]; *ep != NULL;
	    ep = &(*ep)->next) {
		if (*ep == e) {
			*ep = e->next;
			break;
		}
	}
	TAILQ_REMOVE(&rc->lru, e, lru);
	rc->n--;
	rc->bytes -= sizeof(*e) + e->keylen + e->len;
	rcache_unref(e);
}

struct rcache_entry *
rcache_get(struct rcache *rc, int tag, const char *key, size_t len,
    uint32_t h)
{
	struct rcache_entry	*e;

	if (rc->tab == NULL)
		return NULL;
	for (e = rc->tab[h & (RCACHE_BUCKETS - 1)]; e != NULL; e = e->next) {
		if (e->hash == h && e->tag == tag && e->keylen == len &&
		    memcmp(e->key, key, len) == 0) {
			if (e != TAILQ_FIRST(&rc->lru)) {
				TAILQ_REMOVE(&rc->lru, e, lru);
				TAILQ_INSERT_HEAD(&rc->lru, e, lru);
			}
			return e;
		}
	}
	return NULL;
}

struct rcache_entry *
rcache_put(struct rcache *rc, int tag, const char *key, size_t len,
    uint32_t h, int status, struct buf *out)
{
	struct rcache_entry	*e, *c;
	size_t			 cost, chain = 0;
	char			*p;

	if (out->failed || out->len == 0 || out->len > rc->max_item)
		return NULL;
	cost = sizeof(*e) + len + out->len;
	if (cost > rc->max_bytes || rc->max_entries == 0)
		return NULL;
	if (rc->tab == NULL &&
	    (rc->tab = calloc(RCACHE_BUCKETS, sizeof(*rc->tab))) == NULL)
		return NULL;
	for (c = rc->tab[h & (RCACHE_BUCKETS - 1)]; c != NULL; c = c->next)
		chain++;
	if (chain >= RCACHE_CHAIN)
		return NULL;
	if ((e = malloc(sizeof(*e) + len)) == NULL)
		return NULL;
	while (rc->n > 0 && (rc->n >= rc->max_entries ||
	    rc->bytes + cost > rc->max_bytes))
		rcache_remove(rc, TAILQ_LAST(&rc->lru, rcache_lru));
	memset(e, 0, sizeof(*e));
	e->refs = 1;		/* the table's */
	e->status = status;
	e->tag = tag;
	e->hash = h;
	e->keylen = len;
	memcpy(e->key, key, len);
	/* A buffer grows by doubling: give back what the bytes do not use. */
	if (out->cap > out->len + out->len / 8 + 64 &&
	    (p = realloc(out->data, out->len + 1)) != NULL) {
		out->data = p;
		out->cap = out->len + 1;
	}
	e->data = buf_detach(out, &e->len);
	e->next = rc->tab[h & (RCACHE_BUCKETS - 1)];
	rc->tab[h & (RCACHE_BUCKETS - 1)] = e;
	TAILQ_INSERT_HEAD(&rc->lru, e, lru);
	rc->n++;
	rc->bytes += cost;
	return e;
}

void
rcache_clear(struct rcache *rc)
{
	struct rcache_entry	*e;

	while ((e = TAILQ_FIRST(&rc->lru)) != NULL)
		rcache_remove(rc, e);
}

void
rcache_fini(struct rcache *rc)
{
	rcache_clear(rc);
	free(rc->tab);
	rc->tab = NULL;
}
