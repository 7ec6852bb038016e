/* griot: growable arrays.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The one way an array of fixed-size elements grows: doubling, with
 * every multiplication checked for overflow.  array_grow(&p, &cap, need,
 * size, first) makes room for "need" elements of "size" bytes at "*p",
 * which holds "*cap" of them (NULL and 0 at first; then "first"
 * elements, at least 1, is the first capacity tried).  Returns 0 with
 * "*p" and "*cap" updated, or -1 (memory, or a size that cannot be
 * represented) with both untouched.  The caller owns "*p" and frees it.
 */
#ifndef GRIOT_ARRAY_H
#define GRIOT_ARRAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static inline int
array_grow(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t	 ncap;
	void	*np;

	if (need <= *cap)
		return 0;
	if (size == 0 || need > SIZE_MAX / size)
		return -1;
	ncap = *cap > 0 ? *cap : (first > 0 ? first : 1);
	while (ncap < need)
		ncap = ncap > SIZE_MAX / size / 2 ? need : ncap * 2;
	if ((np = realloc(*p, ncap * size)) == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

#endif /* GRIOT_ARRAY_H */
