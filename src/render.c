/* griot: rendering off the event loops.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The render threads (see render.h): one queue of jobs under one mutex
 * and condition, which the threads take from; each inbox has its own
 * list of finished jobs under its own mutex, and a libevent event that a
 * thread makes active when it hands a job back (libevent's bases are
 * made thread-safe by evthread_use_pthreads(), which the server calls
 * before it makes any).  An inbox counts its jobs queued or running, so
 * that freeing it can wait for the last one.
 */
#include "griot-config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "render.h"

TAILQ_HEAD(render_jobs, render_job);

struct render_pool {
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* a job queued, or stop */
	struct render_jobs	 queue;
	int			 stop;
	pthread_t		*threads;
	size_t			 nthreads;	/* started */
};

struct render_inbox {
	struct render_pool	*pool;
	struct event		*ev;		/* finished jobs are there */
	pthread_mutex_t		 lock;
	pthread_cond_t		 idle;		/* "running" fell to 0 */
	struct render_jobs	 done;		/* run, "done" not called yet */
	size_t			 running;	/* queued or running */
};

static void *
render_main(void *arg)
{
	struct render_pool	*p = arg;
	struct render_inbox	*in;
	struct render_job	*job;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && TAILQ_EMPTY(&p->queue))
			pthread_cond_wait(&p->work, &p->lock);
		if ((job = TAILQ_FIRST(&p->queue)) == NULL)
			break;		/* stopping, nothing left */
		TAILQ_REMOVE(&p->queue, job, entry);
		pthread_mutex_unlock(&p->lock);

		job->run(job);
		in = job->inbox;
		pthread_mutex_lock(&in->lock);
		TAILQ_INSERT_TAIL(&in->done, job, entry);
		if (--in->running == 0)
			pthread_cond_broadcast(&in->idle);
		/* Under the lock: the inbox cannot be freed meanwhile. */
		event_active(in->ev, EV_READ, 0);
		pthread_mutex_unlock(&in->lock);

		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct render_pool *
render_pool_new(size_t nthreads)
{
	struct render_pool	*p;

	if (nthreads == 0)
		nthreads = 1;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->threads = calloc(nthreads, sizeof(*p->threads))) == NULL) {
		log_warn("render threads");
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	TAILQ_INIT(&p->queue);
	for (; p->nthreads < nthreads; p->nthreads++) {
		if (pthread_create(&p->threads[p->nthreads], NULL, render_main,
		    p) != 0) {
			log_warnx("render threads: cannot start one");
			render_pool_free(p);
			return NULL;
		}
	}
	return p;
}

void
render_pool_free(struct render_pool *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p);
}

/* Call "done" of the finished jobs, on the inbox's thread. */
static void
render_inbox_drain(struct render_inbox *in)
{
	struct render_jobs	 jobs;
	struct render_job	*job;

	TAILQ_INIT(&jobs);
	pthread_mutex_lock(&in->lock);
	TAILQ_CONCAT(&jobs, &in->done, entry);
	pthread_mutex_unlock(&in->lock);
	while ((job = TAILQ_FIRST(&jobs)) != NULL) {
		TAILQ_REMOVE(&jobs, job, entry);
		job->done(job);
	}
}

static void
render_inbox_cb(evutil_socket_t fd, short what, void *arg)
{
	render_inbox_drain(arg);
}

struct render_inbox *
render_inbox_new(struct render_pool *p, struct event_base *base)
{
	struct render_inbox	*in;

	if ((in = calloc(1, sizeof(*in))) == NULL) {
		log_warn("render inbox");
		return NULL;
	}
	in->pool = p;
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->idle, NULL);
	TAILQ_INIT(&in->done);
	if ((in->ev = event_new(base, -1, 0, render_inbox_cb, in)) == NULL) {
		log_warnx("libevent: cannot make a render inbox");
		render_inbox_free(in);
		return NULL;
	}
	return in;
}

void
render_inbox_free(struct render_inbox *in)
{
	if (in == NULL)
		return;
	pthread_mutex_lock(&in->lock);
	while (in->running > 0)
		pthread_cond_wait(&in->idle, &in->lock);
	pthread_mutex_unlock(&in->lock);
	render_inbox_drain(in);
	if (in->ev != NULL)
		event_free(in->ev);
	pthread_cond_destroy(&in->idle);
	pthread_mutex_destroy(&in->lock);
	free(in);
}

void
render_submit(struct render_inbox *in, struct render_job *job)
{
	struct render_pool	*p = in->pool;

	job->inbox = in;
	pthread_mutex_lock(&in->lock);
	in->running++;
	pthread_mutex_unlock(&in->lock);
	pthread_mutex_lock(&p->lock);
	TAILQ_INSERT_TAIL(&p->queue, job, entry);
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}
