/* griot: unit tests of the render threads.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Jobs queued from an event loop run on the render threads, several at
 * once, and come back on the loop's thread; a slow job does not hold up
 * the loop; freeing an inbox waits for its jobs and calls their "done".
 */

#include "griot-config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "render.h"
#include "tap.h"

#define NJOBS	200

struct tjob {
	struct render_job	 job;		/* first */
	pthread_t		 ran_on;
	pthread_t		 done_on;
	int			 ran, done;
	int			 slow_ms;
	struct event_base	*base;
	atomic_int		*left;
};

static void
tjob_run(struct render_job *job)
{
	struct tjob	*t = (struct tjob *)(void *)job;

	t->ran_on = pthread_self();
	t->ran = 1;
	if (t->slow_ms > 0)
		usleep((useconds_t)t->slow_ms * 1000);
}

static void
tjob_done(struct render_job *job)
{
	struct tjob	*t = (struct tjob *)(void *)job;

	t->done_on = pthread_self();
	t->done = 1;
	if (atomic_fetch_sub(t->left, 1) == 1 && t->base != NULL)
		event_base_loopexit(t->base, NULL);
}

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A timer of the loop, to see that it turns while a job runs. */
struct ticker {
	struct event	*ev;
	int		 ticks;
};

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ticker	*tk = arg;
	struct timeval	 tv = { 0, 1000 };

	tk->ticks++;
	evtimer_add(tk->ev, &tv);
}

int
main(void)
{
	static struct tjob	 jobs[NJOBS], slow;
	struct render_pool	*pool;
	struct render_inbox	*in;
	struct event_base	*base;
	struct ticker		 tk = { NULL, 0 };
	struct timeval		 tv = { 0, 1000 };
	atomic_int		 left;
	pthread_t		 self = pthread_self();
	int			 i, ran = 0, done_here = 0, elsewhere = 0;
	double			 t0;

	ok(evthread_use_pthreads() == 0, "libevent threads");
	base = event_base_new();
	pool = render_pool_new(2);
	ok(base != NULL && pool != NULL, "a pool of two threads");
	if (base == NULL || pool == NULL)
		return tap_done();
	in = render_inbox_new(pool, base);
	ok(in != NULL, "an inbox on the loop");

	atomic_init(&left, NJOBS);
	for (i = 0; i < NJOBS; i++) {
		jobs[i].job.run = tjob_run;
		jobs[i].job.done = tjob_done;
		jobs[i].base = base;
		jobs[i].left = &left;
		render_submit(in, &jobs[i].job);
	}
	event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	for (i = 0; i < NJOBS; i++) {
		ran += jobs[i].ran;
		done_here += jobs[i].done &&
		    pthread_equal(jobs[i].done_on, self);
		elsewhere += !pthread_equal(jobs[i].ran_on, self);
	}
	is_int(ran, NJOBS, "every job ran");
	is_int(elsewhere, NJOBS, "on the render threads");
	is_int(done_here, NJOBS, "and came back on the loop's thread");

	/* A slow job: the loop turns meanwhile. */
	atomic_init(&left, 1);
	memset(&slow, 0, sizeof(slow));
	slow.job.run = tjob_run;
	slow.job.done = tjob_done;
	slow.slow_ms = 100;
	slow.base = base;
	slow.left = &left;
	tk.ev = evtimer_new(base, tick_cb, &tk);
	evtimer_add(tk.ev, &tv);
	t0 = now_ms();
	render_submit(in, &slow.job);
	event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	ok(slow.done && now_ms() - t0 >= 99, "the slow job came back");
	ok(tk.ticks >= 3, "the loop kept turning meanwhile (%d ticks of 1 ms "
	    "in 100 ms)", tk.ticks);
	event_free(tk.ev);

	/* Freeing an inbox waits for its jobs and calls their "done". */
	atomic_init(&left, 1);
	memset(&slow, 0, sizeof(slow));
	slow.job.run = tjob_run;
	slow.job.done = tjob_done;
	slow.slow_ms = 50;
	slow.left = &left;
	render_submit(in, &slow.job);
	render_inbox_free(in);
	ok(slow.ran && slow.done && pthread_equal(slow.done_on, self),
	    "freeing the inbox waited for its job and called its done");
	render_pool_free(pool);
	event_base_free(base);
	return tap_done();
}
