/* griot: growable byte buffer.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The output type of every renderer.  The contract:
 * - A buffer starts as BUF_INIT (or buf_init()): no memory, "data" NULL.
 * - The buffer owns "data"; buf_release() frees it and leaves the buffer
 *   as new; buf_detach() hands it to the caller instead.
 * - After any successful append "data" is NUL-terminated (the NUL is not
 *   counted in "len"), so it may be read as a C string.
 * - A buffer remembers the first allocation failure ("failed", sticky):
 *   every later append fails at once, so a renderer may append many
 *   pieces and check once at the end.  Only buf_reset() forgets it.
 * - Appends return 0, or -1 when memory ran out (or the size would not
 *   fit in a size_t); what the buffer held stays as it was.
 */
#ifndef GRIOT_BUF_H
#define GRIOT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	int	 failed;	/* sticky: an append ran out of memory */
};

#define BUF_INIT	{ NULL, 0, 0, 0 }

void	 buf_init(struct buf *);
/* Make room for "more" bytes plus the terminating NUL; "len" is kept. */
int	 buf_reserve(struct buf *, size_t more);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_addc(struct buf *, int);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
/* Shorten to "len" bytes; a longer "len" is ignored. */
void	 buf_truncate(struct buf *, size_t len);
/* Empty the buffer but keep its memory, and forget a past failure. */
void	 buf_reset(struct buf *);
/* Free the memory; the buffer is as new (BUF_INIT). */
void	 buf_release(struct buf *);
/*
 * Hand the bytes (NUL-terminated, length in "*lenp" unless NULL) to the
 * caller, who frees them; the buffer is left as new.  NULL, with the
 * buffer released, if it had failed or memory ran out.
 */
char	*buf_detach(struct buf *, size_t *lenp);

#endif
