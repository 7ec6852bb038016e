/* griot: the store watch.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * inotify on the store and pages folders, or a periodic scan where there
 * is no inotify; a short debounce turns a burst of file events (an rsync,
 * a git checkout) into one reload (see watch.h).  This is the only file
 * that knows whether the host has inotify.
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/stat.h>
#ifdef HAVE_SYS_INOTIFY_H
#include <sys/inotify.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "array.h"
#include "log.h"
#include "mono.h"
#include "priv.h"
#include "watch.h"

/* A name of the store folder that changed since the last update. */
struct watch_name {
	char		*name;
	int		 writing;	/* modified, not closed yet */
};

struct watch {
	int		 ifd;		/* inotify, or -1 */
	int		 wd_store, wd_pages;
	char		*store, *pages;	/* as in the ini */
	struct stat	 id_store, id_pages;	/* what they lead to */
	int		 up_store, up_pages;	/* their parents' watches */
	int		 store_gone;	/* said once that it is gone */
	struct event	*follow;	/* WATCH_FOLLOW_SECS: where they lead */
	char		*root;		/* the chroot, once inside */
	struct event	*iev;
	struct event	*debounce;
	double		 first_change;	/* 0: none pending */
	struct event	*scan;
	int		 scan_secs;	/* polling every ...; 0: not */
	int		 scan_want;	/* store_scan_interval */
	uint64_t	 scan_sig;
	int		 stopped;
	void		(*changed)(void *, const struct watch_change *);
	void		*arg;

	/* What changed since the last call of "changed". */
	struct watch_name *names;
	size_t		 nnames, capnames;
	int		 pages_changed;
	int		 full;
	int		 retry;
};

static uint64_t	 watch_sig(const struct watch *);

static void
watch_names_clear(struct watch *w)
{
	size_t	 i;

	for (i = 0; i < w->nnames; i++)
		free(w->names[i].name);
	free(w->names);
	w->names = NULL;
	w->nnames = w->capnames = 0;
}

/*
 * Note a change of "name" in the store folder: "writing" 1 while it is
 * being written (modified), 0 when done (closed, moved, created, gone).
 * Past WATCH_NAMES_MAX names, or out of memory: everything.
 */
static void
watch_name_add(struct watch *w, const char *name, int writing)
{
	size_t			 i;

	if (w->full)
		return;
	for (i = 0; i < w->nnames; i++) {
		if (strcmp(w->names[i].name, name) == 0) {
			w->names[i].writing = writing;
			return;
		}
	}
	if (w->nnames == WATCH_NAMES_MAX)
		goto full;
	if (array_grow((void **)&w->names, &w->capnames, w->nnames + 1,
	    sizeof(*w->names), 16) == -1)
		goto full;
	if ((w->names[w->nnames].name = strdup(name)) == NULL)
		goto full;
	w->names[w->nnames++].writing = writing;
	return;
 full:
	w->full = 1;
	watch_names_clear(w);
}

/*
 * Tell the owner what changed: the names done, unless everything must
 * be read.  Names still being written stay for their close.
 */
static void
watch_flush(struct watch *w)
{
	struct watch_change	 ch;
	const char		**names = NULL;
	size_t			 i, j, n = 0;

	memset(&ch, 0, sizeof(ch));
	if (!w->full && w->nnames > 0 &&
	    (names = reallocarray(NULL, w->nnames, sizeof(*names))) == NULL)
		w->full = 1;
	if (w->full) {
		watch_names_clear(w);
		ch.full = 1;
	} else {
		for (i = 0; i < w->nnames; i++)
			if (!w->names[i].writing)
				names[n++] = w->names[i].name;
		ch.names = names;
		ch.nnames = n;
		ch.pages = w->pages_changed;
		if (n == 0 && !w->pages_changed && !w->retry) {
			free(names);
			return;		/* only files still being written */
		}
	}
	w->full = w->pages_changed = w->retry = 0;
	w->changed(w->arg, &ch);
	free(names);
	for (i = j = 0; i < w->nnames; i++) {
		if (w->names[i].writing)
			w->names[j++] = w->names[i];
		else
			free(w->names[i].name);
	}
	w->nnames = j;
}

static int
watch_str_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/* A watched folder's path as this process sees it (inside the chroot). */
static const char *
watch_path(const struct watch *w, const char *path)
{
	return priv_path(w->root, path);
}

/*
 * Which folder "path" leads to now, symbolic links followed: its device
 * and inode in "id" (zeroed when it cannot be seen).
 */
static void
watch_id(const struct watch *w, const char *path, struct stat *id)
{
	if (path == NULL || stat(watch_path(w, path), id) == -1)
		memset(id, 0, sizeof(*id));
}

static int
watch_id_differ(const struct stat *a, const struct stat *b)
{
	return a->st_dev != b->st_dev || a->st_ino != b->st_ino;
}

static void	 watch_changed(struct watch *);

/* Which names can change what is served: articles and pages. */
static int
watch_name_matters(const char *name)
{
	size_t	 len = strlen(name);

	if (len == 0 || name[0] == '.')
		return 0;
	return (len > 4 && strcmp(name + len - 4, ".txt") == 0) ||
	    (len > 4 && strcmp(name + len - 4, ".gmi") == 0);
}

#ifdef HAVE_SYS_INOTIFY_H
#define WATCH_MASK \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
	IN_CREATE | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#endif

/* Watch what is not watched yet, noting which folder the watch is on. */
static void
watch_add(struct watch *w)
{
#ifdef HAVE_SYS_INOTIFY_H
	if (w->ifd == -1)
		return;
	if (w->wd_store == -1 && w->store != NULL) {
		watch_id(w, w->store, &w->id_store);
		if ((w->wd_store = inotify_add_watch(w->ifd,
		    watch_path(w, w->store), WATCH_MASK)) == -1)
			log_warn("watching %s for changes", w->store);
	}
	if (w->wd_pages == -1 && w->pages != NULL) {
		watch_id(w, w->pages, &w->id_pages);
		if ((w->wd_pages = inotify_add_watch(w->ifd,
		    watch_path(w, w->pages), WATCH_MASK)) == -1 &&
		    errno != ENOENT)
			log_warn("watching %s for changes", w->pages);
	}
#else
	(void)w;
#endif
}

/* Drop the folder watches (not inotify itself). */
static void
watch_rm(struct watch *w)
{
#ifdef HAVE_SYS_INOTIFY_H
	if (w->ifd != -1) {
		if (w->wd_store != -1)
			(void)inotify_rm_watch(w->ifd, w->wd_store);
		if (w->wd_pages != -1 && w->wd_pages != w->wd_store)
			(void)inotify_rm_watch(w->ifd, w->wd_pages);
	}
#endif
	w->wd_store = w->wd_pages = -1;
}

/*
 * Following a replaced folder.  A deploy often swaps the store folder
 * as a whole (mv and cp -r, rsync into a new folder and rename, git
 * clone, a symbolic link switched with mv -T) rather than writing into
 * it: the watch on the old folder then hears nothing more.  So the
 * parent folder of each watched path is watched too, for its name
 * coming and going, and every WATCH_FOLLOW_SECS the device and inode the
 * path leads to are compared with the watched folder's, which also
 * notices a symbolic link switched higher up the path.  A store that is
 * gone is waited for (the previous snapshot keeps serving); when the
 * path leads to a folder again, that folder is watched and read.
 */

/* Is "name" the last component of "path" (trailing slashes aside)? */
static int
watch_is_last_name(const char *path, const char *name)
{
	const char	*end, *start;

	if (path == NULL)
		return 0;
	end = path + strlen(path);
	while (end > path + 1 && end[-1] == '/')
		end--;
	for (start = end; start > path && start[-1] != '/'; start--)
		continue;
	return (size_t)(end - start) == strlen(name) &&
	    strncmp(start, name, (size_t)(end - start)) == 0;
}

#ifdef HAVE_SYS_INOTIFY_H
/*
 * Remove watch "*wd" and forget it.  inotify gives one folder one watch,
 * so a watch another field holds too (the pages folder being the store's
 * parent) is only forgotten here.
 */
static void
watch_rm_one(struct watch *w, int *wd)
{
	int	*all[] = { &w->wd_store, &w->wd_pages, &w->up_store,
		    &w->up_pages };
	size_t	 i;
	int	 shared = 0;

	if (*wd == -1)
		return;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i] != wd && *all[i] == *wd)
			shared = 1;
	if (!shared && w->ifd != -1)
		(void)inotify_rm_watch(w->ifd, *wd);
	*wd = -1;
}

/*
 * Watch the folder holding "path" (as seen from here).  The mask is the
 * folders' own: a parent that is also the pages folder keeps its watch
 * whole, as inotify_add_watch() replaces the mask of a watched folder.
 */
static void
watch_up_add(struct watch *w, const char *path, int *up)
{
	char	 parent[PATH_MAX];
	char	*slash;
	int	 n;

	watch_rm_one(w, up);
	if (w->ifd == -1 || path == NULL)
		return;
	n = snprintf(parent, sizeof(parent), "%s", watch_path(w, path));
	if (n < 0 || (size_t)n >= sizeof(parent))
		return;		/* the timer still follows it */
	while (n > 1 && parent[n - 1] == '/')
		parent[--n] = '\0';
	if ((slash = strrchr(parent, '/')) == NULL)
		memcpy(parent, ".", 2);
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	if (strcmp(parent, watch_path(w, path)) == 0)
		return;		/* "/" has no parent */
	if ((*up = inotify_add_watch(w->ifd, parent, WATCH_MASK)) == -1)
		log_debug("watching %s for %s being replaced: %s", parent,
		    path, strerror(errno));
}

/*
 * Make the watch of "path" ("wd", on the folder "id") watch the folder
 * the path leads to now.  Returns 1 when it moved to another folder, 0
 * when it is where it was, -1 when the path leads nowhere (the watch is
 * dropped: the old folder, moved aside, is no longer the store).
 */
static int
watch_follow_one(struct watch *w, const char *path, int *wd,
    struct stat *id, int *up)
{
	struct stat	 now;
	int		 e, moved;

	if (path == NULL)
		return 0;
	if (stat(watch_path(w, path), &now) == -1) {
		e = errno;
		watch_rm_one(w, wd);
		memset(id, 0, sizeof(*id));
		errno = e;
		return -1;
	}
	if (*wd != -1 && !watch_id_differ(id, &now))
		return 0;
	moved = watch_id_differ(id, &now);
	watch_rm_one(w, wd);
	*id = now;
	/*
	 * An unreadable folder is not watched: the reload its arrival
	 * causes says why, and it is tried again at each tick, quietly.
	 */
	if ((*wd = inotify_add_watch(w->ifd, watch_path(w, path),
	    WATCH_MASK)) == -1)
		log_debug("watching %s for changes: %s", path,
		    strerror(errno));
	else
		moved = 1;
	/* Its parent may be another folder too (a link switched above). */
	if (moved)
		watch_up_add(w, path, up);
	return moved;
}
#endif

/* Watch the parent folders of the store and the pages. */
static void
watch_up_set(struct watch *w)
{
#ifdef HAVE_SYS_INOTIFY_H
	watch_up_add(w, w->store, &w->up_store);
	watch_up_add(w, w->pages, &w->up_pages);
#else
	(void)w;
#endif
}

/*
 * Watch the folders the store and pages paths lead to now.  Returns 1
 * when a watch moved to a new folder (which must be read), 0 when
 * nothing moved, -1 when the store is gone (said once in the log).
 */
static int
watch_follow(struct watch *w)
{
	int	 rs = 0, rp = 0, e = 0;

#ifdef HAVE_SYS_INOTIFY_H
	if (w->ifd == -1)
		return 0;
	rs = watch_follow_one(w, w->store, &w->wd_store, &w->id_store,
	    &w->up_store);
	e = errno;
	rp = watch_follow_one(w, w->pages, &w->wd_pages, &w->id_pages,
	    &w->up_pages);
#endif
	if (rs == -1) {
		if (!w->store_gone)
			log_warnx("store %s: %s; still serving the previous "
			    "store, and watching for the folder to come back",
			    w->store, strerror(e));
		w->store_gone = 1;
		return -1;
	}
	if (w->store_gone || rs == 1)
		log_info("store %s: %s folder, watched and read again",
		    w->store, w->store_gone ? "back, as a new" : "now another");
	/* Another folder: its files cannot be named, read them all. */
	if (w->store_gone || rs == 1 || rp == 1) {
		w->store_gone = 0;
		w->full = 1;
		return 1;
	}
	return 0;
}

#ifdef HAVE_SYS_INOTIFY_H
/*
 * The events of the parent folders, and of a watched folder moving
 * away.  Sets *follow when the watches must follow their paths again.
 * Returns 1 when the event is consumed: a parent folder's files are
 * not served (unless the parent is itself a watched folder).
 */
static int
watch_follow_event(struct watch *w, const struct inotify_event *ie,
    int *follow)
{
	int	 mine, up;

	if (ie->wd == -1)	/* the queue overflowed: not ours to see */
		return 0;
	mine = ie->wd == w->wd_store || ie->wd == w->wd_pages;
	up = ie->wd == w->up_store || ie->wd == w->up_pages;

	/* The end of a watch removed here: nothing changed in the store. */
	if ((ie->mask & IN_IGNORED) && !mine && !up)
		return 1;
	if ((ie->mask & IN_MOVE_SELF) && mine) {
		/* Renamed aside: no longer the folder the path leads to. */
		*follow = 1;
		return 1;
	}
	if (!up)
		return 0;
	if (ie->mask & IN_IGNORED) {
		/* The parent went: the timer follows the paths now. */
		if (ie->wd == w->up_store)
			w->up_store = -1;
		if (ie->wd == w->up_pages)
			w->up_pages = -1;
	}
	if ((ie->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) ||
	    (ie->len > 0 && (watch_is_last_name(w->store, ie->name) ||
	    watch_is_last_name(w->pages, ie->name))))
		*follow = 1;
	return !mine;
}
#endif

/* Every WATCH_FOLLOW_SECS: where do the paths lead? */
static void
watch_follow_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch	*w = arg;

	if (!w->stopped && watch_follow(w) == 1)
		watch_changed(w);
}

static int
watch_follow_start(struct watch *w, struct event_base *base)
{
	struct timeval	 tv = { WATCH_FOLLOW_SECS, 0 };

	if ((w->follow = event_new(base, -1, EV_PERSIST, watch_follow_cb,
	    w)) == NULL || event_add(w->follow, &tv) == -1) {
		log_warnx("libevent: cannot follow the store folder");
		return -1;
	}
	return 0;
}

struct watch *
watch_new(void)
{
	struct watch	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->ifd = -1;
	w->wd_store = w->wd_pages = -1;
	w->up_store = w->up_pages = -1;
#ifdef HAVE_SYS_INOTIFY_H
	if ((w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		log_warn("inotify: polling the store every %d s instead",
		    WATCH_SCAN_SECS);
#endif
	return w;
}

int
watch_set(struct watch *w, const char *store, const char *pages)
{
	struct stat	 id_store, id_pages;
	char		*st = NULL, *pg = NULL;

	watch_id(w, store, &id_store);
	watch_id(w, pages, &id_pages);
	if (!watch_str_differ(w->store, store) &&
	    !watch_str_differ(w->pages, pages) &&
	    !watch_id_differ(&w->id_store, &id_store) &&
	    !watch_id_differ(&w->id_pages, &id_pages))
		return 0;
	if ((store != NULL && (st = strdup(store)) == NULL) ||
	    (pages != NULL && (pg = strdup(pages)) == NULL)) {
		log_warn("store watch");
		free(st);
		return -1;
	}
	watch_rm(w);
	free(w->store);
	free(w->pages);
	w->store = st;
	w->pages = pg;
	w->id_store = id_store;
	w->id_pages = id_pages;
	watch_add(w);
	watch_up_set(w);
	if (w->store != NULL)
		log_debug("watching %s for changes", w->store);
	return 0;
}

static void
watch_debounce_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch	*w = arg;

	w->first_change = 0;
	/* A store that is gone is waited for: its return reloads. */
	if (w->stopped || watch_follow(w) == -1)
		return;
	/* Seen by inotify: the next poll must not reload it again. */
	if (w->scan_secs > 0)
		w->scan_sig = watch_sig(w);
	watch_flush(w);
}

void
watch_retry(struct watch *w)
{
	struct timeval	 tv = { 0, WATCH_RETRY_MS * 1000 };

	if (w->stopped || w->debounce == NULL)
		return;
	w->retry = 1;
	if (!evtimer_pending(w->debounce, NULL))
		evtimer_add(w->debounce, &tv);
}

/* Something changed: tell the owner once things are quiet. */
static void
watch_changed(struct watch *w)
{
	struct timeval	 tv = { 0, WATCH_DEBOUNCE_MS * 1000 };
	double		 now = mono_now();

	if (w->first_change == 0)
		w->first_change = now;
	else if (now - w->first_change >= WATCH_DEBOUNCE_MAX)
		return;		/* let the pending update happen */
	evtimer_add(w->debounce, &tv);
}

#ifdef HAVE_SYS_INOTIFY_H
static void
watch_inotify_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch			*w = arg;
	union {
		struct inotify_event	 ev;
		char			 bytes[4096];
	}				 u;
	const struct inotify_event	*ie;
	ssize_t				 n;
	size_t				 off;
	int				 matters = 0, follow = 0, i;

	for (i = 0; i < 64; i++) {
		n = read(fd, u.bytes, sizeof(u.bytes));
		if (n <= 0)
			break;
		for (off = 0; off + sizeof(*ie) <= (size_t)n;
		    off += sizeof(*ie) + ie->len) {
			ie = (const struct inotify_event *)(const void *)
			    (u.bytes + off);
			if (watch_follow_event(w, ie, &follow))
				continue;
			if (ie->mask & (IN_IGNORED | IN_DELETE_SELF |
			    IN_MOVE_SELF)) {
				if (ie->wd == w->wd_store)
					w->wd_store = -1;
				if (ie->wd == w->wd_pages)
					w->wd_pages = -1;
				w->full = matters = 1;
			} else if (ie->mask & IN_Q_OVERFLOW)
				w->full = matters = 1;
			else if (ie->len == 0 || !watch_name_matters(ie->name))
				continue;
			else if (ie->wd != w->wd_store) {
				/* The pages folder, when it is not the store. */
				if (ie->wd == w->wd_pages)
					w->pages_changed = 1;
				else
					w->full = 1;
				matters = 1;
			} else if (ie->mask & IN_MODIFY)
				/* Being written: not read before its close. */
				watch_name_add(w, ie->name, 1);
			else if (ie->mask & (IN_CLOSE_WRITE | IN_MOVED_TO |
			    IN_MOVED_FROM | IN_DELETE | IN_CREATE)) {
				watch_name_add(w, ie->name, 0);
				/* The pages may live in the store folder. */
				if (ie->wd == w->wd_pages)
					w->pages_changed = 1;
				matters = 1;
			} else
				w->full = matters = 1;
		}
	}
	if (follow && watch_follow(w) == 1)
		matters = 1;
	if (matters)
		watch_changed(w);
}
#endif

/* A cheap signature of the served files: names, sizes, times. */
static uint64_t
watch_dir_sig(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		 path[PATH_MAX];
	uint64_t	 sum = 0, h;
	const unsigned char *p;
	int		 n;

	if (dir == NULL || (d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!watch_name_matters(de->d_name))
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(path) ||
		    stat(path, &st) == -1)
			continue;
		/* FNV-1a, 64 bits: a sum of many wants the wider hash. */
		h = 1469598103934665603ULL;
		for (p = (const unsigned char *)de->d_name; *p != '\0'; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h ^= (uint64_t)st.st_size * 31 + (uint64_t)st.st_mtim.tv_sec *
		    1000003 + (uint64_t)st.st_mtim.tv_nsec +
		    (uint64_t)st.st_ino * 7;
		h *= 1099511628211ULL;
		sum += h;	/* order-independent */
	}
	closedir(d);
	return sum;
}

static uint64_t
watch_sig(const struct watch *w)
{
	return watch_dir_sig(w->store != NULL ?
	    watch_path(w, w->store) : NULL) * 3 +
	    watch_dir_sig(w->pages != NULL ?
	    watch_path(w, w->pages) : NULL);
}

static void
watch_scan_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch	*w = arg;
	uint64_t	 sig;

	if (w->stopped)
		return;
	sig = watch_sig(w);
	if (sig != w->scan_sig) {
		w->scan_sig = sig;
		w->full = 1;
		watch_flush(w);
	}
}

/*
 * Arm the scan: every store_scan_interval seconds, or every
 * WATCH_SCAN_SECS without inotify, or not at all.
 */
static int
watch_scan_arm(struct watch *w)
{
	struct timeval	 tv = { 0, 0 };
	int		 secs = w->scan_want;

	if (secs == 0 && w->iev == NULL)
		secs = WATCH_SCAN_SECS;
	if (w->scan == NULL || secs == w->scan_secs)
		return 0;
	event_del(w->scan);
	w->scan_secs = secs;
	if (secs == 0)
		return 0;
	w->scan_sig = watch_sig(w);
	tv.tv_sec = secs;
	if (event_add(w->scan, &tv) == -1) {
		log_warnx("libevent: cannot poll the store");
		return -1;
	}
	log_debug("polling %s every %d s", w->store != NULL ? w->store :
	    "the store", secs);
	return 0;
}

int
watch_set_interval(struct watch *w, int secs)
{
	w->scan_want = secs > 0 ? secs : 0;
	return watch_scan_arm(w);
}

int
watch_start(struct watch *w, struct event_base *base, const char *root,
    void (*changed)(void *, const struct watch_change *), void *arg)
{
	w->changed = changed;
	w->arg = arg;
	/* Privileges are dropped: the folders are now seen from inside. */
	if (root != NULL && (w->root = strdup(root)) == NULL) {
		log_warn("store watch");
		return -1;
	}
	if ((w->debounce = evtimer_new(base, watch_debounce_cb, w)) == NULL) {
		log_warnx("libevent: cannot watch the store");
		return -1;
	}
#ifdef HAVE_SYS_INOTIFY_H
	if (w->ifd != -1) {
		if ((w->iev = event_new(base, w->ifd, EV_READ | EV_PERSIST,
		    watch_inotify_cb, w)) == NULL ||
		    event_add(w->iev, NULL) == -1) {
			log_warnx("libevent: cannot watch the store");
			return -1;
		}
	}
#endif
	if (w->iev != NULL && watch_follow_start(w, base) == -1)
		return -1;
	if ((w->scan = event_new(base, -1, EV_PERSIST, watch_scan_cb, w)) ==
	    NULL) {
		log_warnx("libevent: cannot poll the store");
		return -1;
	}
	return watch_scan_arm(w);
}

void
watch_stop(struct watch *w)
{
	w->stopped = 1;
	if (w->iev != NULL)
		event_del(w->iev);
	if (w->scan != NULL)
		event_del(w->scan);
	if (w->debounce != NULL)
		event_del(w->debounce);
	if (w->follow != NULL)
		event_del(w->follow);
}

void
watch_free(struct watch *w)
{
	if (w == NULL)
		return;
	if (w->iev != NULL)
		event_free(w->iev);
	if (w->scan != NULL)
		event_free(w->scan);
	if (w->debounce != NULL)
		event_free(w->debounce);
	if (w->follow != NULL)
		event_free(w->follow);
	if (w->ifd != -1)
		close(w->ifd);
	watch_names_clear(w);
	free(w->store);
	free(w->pages);
	free(w->root);
	free(w);
}
