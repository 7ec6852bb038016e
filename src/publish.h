/* griot: writing imported articles into the store.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The store side of griot-import: an item becomes an article file
 * (griot-article(5), with its Source: header), found again by that
 * Source: on the next run.  Writes are atomic (a temporary name starting
 * with ".", fsync, then link or rename into place), so griotd never reads
 * half a file; an unchanged file is not touched; a file without the same
 * Source: (written by hand) is never replaced, nor one an editor set to
 * "Draft: yes"; nothing is deleted.
 */
#ifndef GRIOT_PUBLISH_H
#define GRIOT_PUBLISH_H

#include <stddef.h>

#include "article.h"

#define PUBLISH_ERR_MAX	320

struct buf;
struct feed_item;

enum publish_result {
	PUBLISH_NEW,
	PUBLISH_UPDATED,
	PUBLISH_UNCHANGED,
	PUBLISH_HELD		/* changed, but its file says "Draft: yes": kept */
};

struct publish;

/*
 * Open the store folder and learn the Source: of every article in it.
 * "dry": decide everything, write nothing.  NULL with the reason in "err"
 * (at least PUBLISH_ERR_MAX bytes).
 */
struct publish	*publish_open(const char *store, int dry, char *err);
void		 publish_close(struct publish *);

/*
 * The article file of an item, as publish_item() would write it.
 * 0, or -1 when memory ran out.
 */
int	 publish_text(struct buf *, const struct feed_item *);

/*
 * Write one item.  On success "id" (ARTICLE_ID_MAX bytes) names its file
 * and *result says what was done.  -1 with the reason in "err" when the
 * article would not be read back (griot-article(5)) or the store refused
 * the write.
 */
int	 publish_item(struct publish *, const struct feed_item *,
	    char *id, enum publish_result *result, char *err);

/* Make the store folder's new names durable (fsync): 0 or -1. */
int	 publish_sync(struct publish *, char *err);

#endif
