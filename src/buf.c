/* griot: growable byte buffer.  Copyright (c) 2026 the griot developers; ISC licence. */
/* The one output type of every renderer and handler; contract in buf.h. */

#include "griot-config.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

int
buf_reserve(struct buf *b, size_t more)
{
	size_t	 need, ncap;
	char	*p;

	if (b->failed)
		return -1;
	if (more > SIZE_MAX - b->len - 1)
		goto fail;
	need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if ((p = realloc(b->data, ncap)) == NULL)
		goto fail;
	b->data = p;
	b->cap = ncap;
	return 0;
 fail:
	b->failed = 1;
	return -1;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, int c)
{
	char	 ch = (char)c;

	return buf_add(b, &ch, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = 1;
		return -1;
	}
	if (buf_reserve(b, (size_t)n) == -1)
		return -1;
	if (vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap) != n) {
		b->failed = 1;
		return -1;
	}
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

char *
buf_detach(struct buf *b, size_t *lenp)
{
	char	*p;

	if (b->failed || (b->data == NULL && buf_reserve(b, 0) == -1)) {
		buf_release(b);
		return NULL;
	}
	p = b->data;
	if (lenp != NULL)
		*lenp = b->len;
	buf_init(b);
	return p;
}
