/* griot: rendering off the event loops.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * A few threads that run the handlers' work away from the workers' event
 * loops, so that a response that takes long to make (an article of tens
 * of thousands of lines, a search over a large store) never holds up the
 * other connections of its loop.  A worker queues a job on its inbox;
 * one of the pool's threads runs the job's "run"; the job then goes back
 * to the inbox, whose "done" runs on the worker's loop.  Jobs run in no
 * particular order, several at once.
 *
 * Ownership: the job belongs to its submitter, and must stay valid until
 * its "done" was called; the pool and the inboxes only link it.  An inbox
 * is used by one worker thread; the pool by all of them.
 */
#ifndef GRIOT_RENDER_H
#define GRIOT_RENDER_H

#include <sys/queue.h>

#include <stddef.h>

struct event_base;
struct render_inbox;
struct render_pool;

struct render_job {
	TAILQ_ENTRY(render_job)	 entry;		/* render.c's */
	struct render_inbox	*inbox;		/* render.c's */
	void			(*run)(struct render_job *);	/* a thread */
	void			(*done)(struct render_job *);	/* the loop */
};

/* "nthreads" threads (at least 1); NULL with the reason logged. */
struct render_pool	*render_pool_new(size_t nthreads);

/* Stop and join the threads; every inbox must have been freed. */
void			 render_pool_free(struct render_pool *);

/* An inbox whose jobs come back on "base"; NULL with the reason logged. */
struct render_inbox	*render_inbox_new(struct render_pool *,
			    struct event_base *base);

/*
 * Wait for this inbox's jobs still queued or running, call their "done"
 * (from the calling thread, which must be the inbox's), and free it.
 * NULL is fine.
 */
void			 render_inbox_free(struct render_inbox *);

/* Queue "job" (its "run" and "done" set); never fails. */
void			 render_submit(struct render_inbox *,
			    struct render_job *);

#endif /* GRIOT_RENDER_H */
