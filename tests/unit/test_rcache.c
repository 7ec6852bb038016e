/* griot: tests of the response cache.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * rcache.c on its own: hits and misses, the protocol tag, LRU eviction,
 * the entry, byte and item limits, the bound on a hash chain, entries
 * that outlive their eviction while a reference is held, and the clear
 * of a new generation.  Under ASan a leak or a use after free fails too.
 */

#include "griot-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rcache.h"
#include "tap.h"

#define BIG	(1024 * 1024)

/* Keep "resp" under "key" with "tag"; the entry or NULL. */
static struct rcache_entry *
put(struct rcache *rc, int tag, const char *key, const char *resp, int status)
{
	struct rcache_entry	*e;
	struct buf		 out;

	buf_init(&out);
	if (buf_puts(&out, resp) == -1)
		return NULL;
	e = rcache_put(rc, tag, key, strlen(key),
	    rcache_hash(tag, key, strlen(key)), status, &out);
	buf_release(&out);
	return e;
}

static struct rcache_entry *
get(struct rcache *rc, int tag, const char *key)
{
	return rcache_get(rc, tag, key, strlen(key),
	    rcache_hash(tag, key, strlen(key)));
}

static void
test_hit_miss(void)
{
	struct rcache		 rc;
	struct rcache_entry	*e;

	rcache_init(&rc, BIG, 100, BIG);
	ok(get(&rc, 0, "/a") == NULL, "an empty cache misses");
	e = put(&rc, 0, "/a", "20 text/gemini\r\nA", 20);
	ok(e != NULL, "a response is kept");
	e = get(&rc, 0, "/a");
	ok(e != NULL, "and found again");
	if (e != NULL) {
		is_mem(e->data, e->len, "20 text/gemini\r\nA", 17, "/a",
		    "with its bytes");
		is_int(e->status, 20, "and its status");
	}
	ok(get(&rc, 1, "/a") == NULL, "the same key with another tag misses");
	ok(get(&rc, 0, "/b") == NULL, "another key misses");
	ok(get(&rc, 0, "/a/") == NULL, "a longer key misses");
	is_int(rc.n, 1, "one entry");
	rcache_fini(&rc);
}

static void
test_not_kept(void)
{
	struct rcache		 rc;
	struct buf		 out;
	size_t			 i;

	rcache_init(&rc, BIG, 100, 64);
	buf_init(&out);
	for (i = 0; i < 65; i++)
		(void)buf_addc(&out, 'x');
	ok(rcache_put(&rc, 0, "/big", 4, rcache_hash(0, "/big", 4), 20,
	    &out) == NULL, "a response over max_item is not kept");
	is_int(out.len, 65, "and its buffer is left alone");
	buf_truncate(&out, 0);
	ok(rcache_put(&rc, 0, "/e", 2, rcache_hash(0, "/e", 2), 20,
	    &out) == NULL, "nor an empty one");
	(void)buf_addc(&out, 'x');
	out.failed = 1;
	ok(rcache_put(&rc, 0, "/f", 2, rcache_hash(0, "/f", 2), 20,
	    &out) == NULL, "nor one that ran out of memory");
	buf_release(&out);
	is_int(rc.n, 0, "nothing kept");
	rcache_fini(&rc);
}

static void
test_lru(void)
{
	struct rcache	 rc;

	rcache_init(&rc, BIG, 3, BIG);
	(void)put(&rc, 0, "/a", "A", 20);
	(void)put(&rc, 0, "/b", "B", 20);
	(void)put(&rc, 0, "/c", "C", 20);
	ok(get(&rc, 0, "/a") != NULL, "/a used again: now the most recent");
	ok(put(&rc, 0, "/d", "D", 20) != NULL, "a fourth entry is kept");
	is_int(rc.n, 3, "at max_entries");
	ok(get(&rc, 0, "/b") == NULL, "the least recently used (/b) went");
	ok(get(&rc, 0, "/a") != NULL && get(&rc, 0, "/c") != NULL &&
	    get(&rc, 0, "/d") != NULL, "the others stay");
	rcache_fini(&rc);
}

static void
test_bytes(void)
{
	struct rcache	 rc;
	char		 resp[101];
	size_t		 cost;

	memset(resp, 'r', 100);
	resp[100] = '\0';
	cost = sizeof(struct rcache_entry) + 2 + 100;
	rcache_init(&rc, 2 * cost + cost / 2, 100, BIG);
	(void)put(&rc, 0, "/a", resp, 20);
	(void)put(&rc, 0, "/b", resp, 20);
	is_int(rc.bytes, 2 * cost, "two entries counted with key and header");
	ok(put(&rc, 0, "/c", resp, 20) != NULL, "a third is kept");
	is_int(rc.n, 2, "by evicting one: the bytes stay under max_bytes");
	ok(rc.bytes <= rc.max_bytes, "bytes %zu <= max %zu", rc.bytes,
	    rc.max_bytes);
	ok(get(&rc, 0, "/a") == NULL && get(&rc, 0, "/b") != NULL,
	    "the oldest went");
	rcache_fini(&rc);
	rcache_init(&rc, cost - 1, 100, BIG);
	ok(put(&rc, 0, "/a", resp, 20) == NULL,
	    "an entry larger than max_bytes is not kept");
	rcache_fini(&rc);
}

static void
test_chain(void)
{
	struct rcache	 rc;
	char		 keys[RCACHE_CHAIN + 1][16];
	uint32_t	 bucket = 0;
	size_t		 n = 0, i;
	int		 k, kept = 1;

	/* Keys that fall in one bucket, as a hostile client would craft. */
	for (k = 0; k < 10000000 && n < RCACHE_CHAIN + 1; k++) {
		char	 key[16];
		uint32_t b;

		(void)snprintf(key, sizeof(key), "/%d", k);
		b = rcache_hash(0, key, strlen(key)) & (RCACHE_BUCKETS - 1);
		if (n == 0)
			bucket = b;
		if (b == bucket)
			memcpy(keys[n++], key, sizeof(key));
	}
	if (!ok(n == RCACHE_CHAIN + 1, "found %zu colliding keys", n))
		return;
	rcache_init(&rc, BIG, 100, BIG);
	for (i = 0; i < RCACHE_CHAIN; i++)
		if (put(&rc, 0, keys[i], "X", 20) == NULL)
			kept = 0;
	ok(kept, "%d keys in one chain are kept", RCACHE_CHAIN);
	ok(put(&rc, 0, keys[RCACHE_CHAIN], "X", 20) == NULL,
	    "one more in the same chain is not");
	ok(get(&rc, 0, keys[0]) != NULL &&
	    get(&rc, 0, keys[RCACHE_CHAIN - 1]) != NULL,
	    "and the chain is still searched");
	ok(put(&rc, 0, "/elsewhere", "Y", 20) != NULL ||
	    (rcache_hash(0, "/elsewhere", 10) & (RCACHE_BUCKETS - 1)) ==
	    bucket, "other chains still take entries");
	rcache_fini(&rc);
}

static void
test_refs(void)
{
	struct rcache		 rc;
	struct rcache_entry	*e, *held;

	rcache_init(&rc, BIG, 1, BIG);
	e = put(&rc, 0, "/a", "kept while written", 20);
	held = e != NULL ? rcache_ref(e) : NULL;
	ok(held != NULL, "a connection holds the entry");
	ok(put(&rc, 0, "/b", "B", 20) != NULL, "a new entry evicts it");
	ok(get(&rc, 0, "/a") == NULL, "it is gone from the table");
	if (held != NULL) {
		is_mem(held->data, held->len, "kept while written", 18, "/a",
		    "but its bytes are still there for the writer");
		is_int(held->refs, 1, "held by the writer only");
		rcache_unref(held);	/* frees: ASan checks */
	}
	e = get(&rc, 0, "/b");
	held = e != NULL ? rcache_ref(e) : NULL;
	rcache_clear(&rc);
	ok(held != NULL && held->len == 1 && held->data[0] == 'B',
	    "an entry held across a clear lives on");
	rcache_unref(held);
	rcache_unref(NULL);
	ok(1, "rcache_unref(NULL) is fine");
	rcache_fini(&rc);
}

static void
test_clear(void)
{
	struct rcache	 rc;

	rcache_init(&rc, BIG, 100, BIG);
	(void)put(&rc, 0, "/a", "A", 20);
	(void)put(&rc, 1, "/a", "A1", 20);
	rcache_clear(&rc);
	is_int(rc.n, 0, "a new generation empties the cache");
	is_int(rc.bytes, 0, "and its byte count");
	ok(get(&rc, 0, "/a") == NULL && get(&rc, 1, "/a") == NULL,
	    "nothing of the old generation is served");
	ok(put(&rc, 0, "/a", "new", 20) != NULL && get(&rc, 0, "/a") != NULL,
	    "the cache fills again");
	rcache_fini(&rc);
	ok(rc.tab == NULL && rc.n == 0, "rcache_fini() frees the table");
}

int
main(void)
{
	test_hit_miss();
	test_not_kept();
	test_lru();
	test_bytes();
	test_chain();
	test_refs();
	test_clear();
	return tap_done();
}
