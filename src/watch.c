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

struct watch *
watch_new(void)
{
	struct watch	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->ifd = -1;
	w->wd_store = w->wd_pages = -1;
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
	if (w->store != NULL)
		log_debug("watching %s for changes", w->store);
	return 0;
}

static void
watch_debounce_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watch	*w = arg;

	w->first_change = 0;
	if (w->stopped)
		return;
	/* Seen by inotify: the next poll must not reload it again. */
	if (w->scan_secs > 0)
		w->scan_sig = watch_sig(w);
	watch_flush(w);
	/* A folder replaced as a whole is watched again. */
	watch_add(w);
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
	int				 matters = 0, i;

	for (i = 0; i < 64; i++) {
		n = read(fd, u.bytes, sizeof(u.bytes));
		if (n <= 0)
			break;
		for (off = 0; off + sizeof(*ie) <= (size_t)n;
		    off += sizeof(*ie) + ie->len) {
			ie = (const struct inotify_event *)(const void *)
			    (u.bytes + off);
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
	if (w->ifd != -1)
		close(w->ifd);
	watch_names_clear(w);
	free(w->store);
	free(w->pages);
	free(w->root);
	free(w);
}
