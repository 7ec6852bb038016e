/* griot: the network layer.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * libevent listeners for Gemini (TLS) and Gopher (TCP), connections with
 * deadlines and limits, one event loop per worker thread.  It moves bytes
 * and knows nothing of articles: a complete request goes to
 * gemini_respond() or gopher_respond() with the current generation (a
 * struct conf and a store snapshot held together).
 */
#ifndef GRIOT_SERVER_H
#define GRIOT_SERVER_H

#include <stddef.h>

struct conf;
struct store;
struct server;

struct server_hooks {
	/*
	 * Build the next generation: on SIGHUP ("store_only" 0: re-read
	 * the ini and the store) or when the store folder changed
	 * ("store_only" 1: the store with the current "conf").  Return 0
	 * with *confp and *storep set (new objects the server then owns), or
	 * -1 to keep serving the current ones (the reasons already logged).
	 */
	int	(*reload)(void *arg, const struct conf *cur,
		    const struct store *cur_store, int store_only,
		    struct conf **confp, struct store **storep);
	/*
	 * The store changed by the files "names" of the store folder (and
	 * the static pages when "pages" is 1): make the next snapshot from
	 * "cur_store" by reading those only.  Return 0 with *storep set (a
	 * new snapshot the server then owns), or -1 (logged): the server
	 * then reloads the whole store.
	 */
	int	(*update)(void *arg, const struct conf *cur,
		    const struct store *cur_store, const char *const *names,
		    size_t nnames, int pages, struct store **storep);
	void	 *arg;
};

/*
 * Create the TLS context (reading the key) and bind every listener of
 * "conf": this is what needs root, so it happens before privileges are
 * dropped.  Takes ownership of "conf" and of one reference to "store",
 * which may be NULL: the store is read once privileges are dropped, and
 * given with server_set_store() before server_run().  Returns NULL with
 * the reason logged.
 */
struct server	*server_new(struct conf *, struct store *);

/* The first generation's store, instead of any before; takes a reference. */
void		 server_set_store(struct server *, struct store *);

/*
 * Start the workers (conf->workers threads, 0: one per online CPU) and
 * serve until SIGTERM or SIGINT; then stop accepting, close the
 * connections still waiting for their first request byte, let requests
 * in flight finish (at most 10 s; a second signal closes them at once),
 * and return 0.  Logs "listening on ADDR port N (PROTO)" once per
 * listener when ready.  SIGHUP calls hooks->reload(store_only 0); a change
 * in the store or pages folder calls hooks->update() with the names of
 * the files that changed, WATCH_DEBOUNCE_MS after the last change, or
 * hooks->reload(store_only 1) when they cannot be named (no inotify and
 * a scan every 30 s, an overflow) or the update failed; a reload that
 * finds the store or pages path leading to another folder than the one
 * watched (a symbolic link switched) moves the watch there.  Must be
 * called in the process that serves (after any fork), from the main
 * thread, once privileges are dropped (inside conf->chroot, when set).
 */
int		 server_run(struct server *, const struct server_hooks *);
void		 server_free(struct server *);	/* NULL is fine */

#endif
