/* griot: the store watch.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Notices that the articles or pages changed on disk and, once they are
 * quiet (WATCH_DEBOUNCE_MS after the last change, or WATCH_DEBOUNCE_MAX
 * seconds into a stream of changes), calls the owner's "changed" hook
 * with the names of the store's files that changed, so that the store
 * reads those only.  A file being written (modified, not yet closed) is
 * left out until it is closed, so that it is never read half-written.
 * When the names cannot be known (an inotify queue overflow, an unknown
 * event, a folder moved or replaced, more than WATCH_NAMES_MAX names, no
 * memory) the hook is told to read everything.  With inotify the
 * folders are watched; without it (or when inotify_init1() fails) a
 * signature of the served files' names, sizes and times is compared
 * every WATCH_SCAN_SECS seconds; with [server] store_scan_interval,
 * every that many seconds, alongside inotify, which does not hear what
 * another machine writes on a network mount.  A change the scan finds
 * reads everything.
 * A folder replaced as a whole (renamed aside and copied back, a
 * symbolic link switched) is followed: the parent folders are watched
 * for the paths' names, and every WATCH_FOLLOW_SECS each path's device
 * and inode are compared with the watched folder's.  While the store is
 * gone no reload is asked for; its return asks for one.
 *
 * Main thread only, on the main event loop.  The watch is made before a
 * chroot could hide the folders; inotify keeps watching them afterwards,
 * and from watch_start() on, paths are seen from inside "root".
 */
#ifndef GRIOT_WATCH_H
#define GRIOT_WATCH_H

struct event_base;
struct watch;

#include <stddef.h>

#define WATCH_DEBOUNCE_MS	20	/* quiet time before an update */
#define WATCH_DEBOUNCE_MAX	2	/* s: update anyway under a stream */
#define WATCH_RETRY_MS		250	/* watch_retry() */
#define WATCH_NAMES_MAX		2048	/* more names: read everything */
#define WATCH_SCAN_SECS		30	/* polling without inotify */
#define WATCH_FOLLOW_SECS	2	/* where the paths lead (watch.c) */

/* What changed, for the "changed" hook; valid during the call only. */
struct watch_change {
	const char *const	*names;		/* of the store folder, closed */
	size_t			 nnames;
	int			 pages;		/* the pages folder changed */
	int			 full;		/* unknown: read everything */
};

/* Make the watch (inotify now, while every folder is visible); NULL: OOM. */
struct watch	*watch_new(void);

/*
 * Watch "store" and "pages" (either NULL: none), paths as in the ini.
 * Called again after each reload: the watch moves when a path changed
 * or leads to another folder than before (a symbolic link switched to a
 * new copy of the store).  Returns -1 when out of memory (logged).
 */
int		 watch_set(struct watch *, const char *store,
		    const char *pages);

/*
 * Start watching on "base": "changed"(arg, change) is called on the main
 * thread when the folders changed; the names it is given are forgotten
 * afterwards.  "root": the chroot we now live in, or NULL.  Returns -1
 * with the reason logged.
 */
int		 watch_start(struct watch *, struct event_base *base,
		    const char *root,
		    void (*changed)(void *, const struct watch_change *),
		    void *arg);

/*
 * Call "changed" again in WATCH_RETRY_MS even with nothing new: the
 * owner read a file that was changing meanwhile and reads it again then.
 */
void		 watch_retry(struct watch *);

/*
 * Compare the signature every "secs" seconds as well as watching (0:
 * only when inotify is missing, every WATCH_SCAN_SECS), from now on:
 * after watch_start(), and again after each SIGHUP.  A change inotify
 * already reported is not reported again by the scan.  Returns -1 with
 * the reason logged.
 */
int		 watch_set_interval(struct watch *, int secs);

/* Stop watching for good (at shutdown): "changed" is not called again. */
void		 watch_stop(struct watch *);
void		 watch_free(struct watch *);	/* NULL is fine */

#endif /* GRIOT_WATCH_H */
