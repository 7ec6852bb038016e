/* griot: growable byte buffer.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The output type of every renderer.  A buffer remembers the first
 * allocation failure ("failed"), so a renderer may append many pieces and
 * check once at the end.  The buffer owns "data"; it is always NUL-terminated
 * after any successful append (the NUL is not counted in "len").
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
int	 buf_reserve(struct buf *, size_t);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_addc(struct buf *, int);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((__format__(__printf__, 2, 0)));
void	 buf_truncate(struct buf *, size_t);
void	 buf_reset(struct buf *);
void	 buf_release(struct buf *);
char	*buf_detach(struct buf *, size_t *);

#endif
