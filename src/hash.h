/* griot: one string hash.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * FNV-1a, 32 bits: the one hash of the project, for the tables that are
 * keyed by bytes (the search index, the response cache, the per-address
 * limits).  Not a defence against chosen collisions by itself: every table
 * that takes keys from clients also bounds its chains.
 *
 * hash_bytes(seed, p, len) hashes len bytes at p; start with HASH_SEED, or
 * with HASH_SEED mixed with a small tag (HASH_SEED ^ tag) to keep the keys
 * of several kinds apart in one table.  Pure; any p when len is 0.
 */
#ifndef GRIOT_HASH_H
#define GRIOT_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED	2166136261u	/* FNV offset basis */
#define HASH_PRIME	16777619u	/* FNV prime, 32 bits */

static inline uint32_t
hash_bytes(uint32_t seed, const void *p, size_t len)
{
	const unsigned char	*s = p;
	uint32_t		 h = seed;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= HASH_PRIME;
	}
	return h;
}

#endif /* GRIOT_HASH_H */
