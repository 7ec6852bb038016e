/* griot: the listening sockets.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Every address of [gemini], [gopher] and [http] bound once per
 * worker (net.c, SO_REUSEPORT) before privileges are dropped; then each worker accepts
 * on its own sockets, in batches, pausing when the process is out of
 * descriptors, and at the stop takes in what the kernel queued before it
 * closes them.  The connections accepted go to the worker's struct
 * conn_pool (conn.h).  Also the descriptor arithmetic: how many
 * connections the open file limit leaves room for.
 */
#ifndef GRIOT_LISTENER_H
#define GRIOT_LISTENER_H

#include <stddef.h>

struct conf;
struct conn_pool;
struct event_base;
struct listener_set;

/*
 * Bind the listeners of "conf", "nworkers" sockets per address (Gopher
 * and HTTP ones with deferred accept).  Returns NULL with the reason
 * logged, also when no protocol is enabled.
 */
struct listener_set	*listener_set_new(const struct conf *, size_t nworkers);

/*
 * Worker "wi" accepts on its sockets from its loop "base" into "pool",
 * until listener_stop().  Returns 0, or -1 logged.
 */
int	 listener_start(struct listener_set *, size_t wi, struct event_base *,
	    struct conn_pool *);

/*
 * Worker "wi" stops accepting, on its own thread: what the kernel queued
 * on its sockets is taken in (a listening socket closed with a queue
 * resets it, and behind a load balancer a reset after the connect is a
 * lost request), then they are closed.
 */
void	 listener_stop(struct listener_set *, size_t wi);

/* Log "listening on ADDR port N (PROTO)" once per address. */
void	 listener_log(const struct listener_set *);

/*
 * After the workers ended, before their loops are freed: the events
 * and the sockets still open.  NULL is fine.
 */
void	 listener_set_free(struct listener_set *);

/*
 * Raise the open file limit as far as allowed and return the number of
 * connections it leaves room for, with "nworkers" workers (0: the limit
 * is unknown, no cap).  Logs when max_connections of "conf" is more.
 */
int	 listener_fd_cap(const struct conf *, size_t nworkers);

#endif
