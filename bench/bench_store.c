/* griot: store load and search benchmark.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Loads a store (bench/gen_store.py writes a synthetic one) and prints
 * the figures: files, bytes on disk, load time, articles/s, peak resident
 * memory and its ratio to the store's size, search latency percentiles
 * over folded queries (single words, prefixes, several words) drawn from
 * the store itself.  It measures; it never fails on a figure.
 *
 *	bench_store [-v] [-i INDEX_BUILDS] [-q QUERIES] [-s SEED] STORE_FOLDER
 *
 * -v prints each query, its count of matches, its processor time and
 * the ids found, to compare the results of two builds.
 */

#include "griot-config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "search.h"
#include "store.h"
#include "text.h"

#define BENCH_RESULTS	100	/* results asked of each query */

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Processor time used so far (all threads, user and system), seconds. */
static double
cpu_time(void)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Processor time of the calling thread so far, seconds. */
static double
thread_cpu_time(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == -1)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
peak_rss_kb(void)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return -1;
	return ru.ru_maxrss;	/* kilobytes on Linux */
}

static unsigned long long	 warnings, errors;

/* Resident memory now, in MB (Linux /proc; -1 elsewhere). */
static double
rss_now_mb(void)
{
	FILE		*fp;
	unsigned long	 size, res;
	double		 mb = -1;

	if ((fp = fopen("/proc/self/statm", "r")) == NULL)
		return -1;
	if (fscanf(fp, "%lu %lu", &size, &res) == 2)
		mb = (double)res * (double)sysconf(_SC_PAGESIZE) / 1e6;
	fclose(fp);
	return mb;
}

/* Bytes of heap in use, where the C library tells (else 0). */
static double
heap_mb(void)
{
#ifdef __GLIBC__
	struct mallinfo2	 mi = mallinfo2();

	return (double)(mi.uordblks + mi.hblkhd) / 1e6;
#else
	return 0;
#endif
}

static void
count_report(void *arg, int error, const char *msg)
{
	if (error) {
		if (errors < 5)
			fprintf(stderr, "bench_store: %s\n", msg);
		errors++;
	} else
		warnings++;
}

/* The "*.txt" files of the folder: how many, and their bytes. */
static int
disk_size(const char *dir, size_t *files, unsigned long long *bytes,
    unsigned long long *blocks)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	size_t		 n;

	*files = 0;
	*bytes = *blocks = 0;
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n < 5 ||
		    strcmp(de->d_name + n - 4, ".txt") != 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode))
			continue;
		(*files)++;
		*bytes += (unsigned long long)st.st_size;
		*blocks += (unsigned long long)st.st_blocks * 512;
	}
	closedir(d);
	return 0;
}

static unsigned int
rnd(unsigned long long *seed)
{
	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(*seed >> 33);
}

/* Folded words of a string, collected for the queries. */
struct words {
	char	**w;
	size_t	  n, cap;
};

static int
word_add(void *arg, const char *w, size_t len)
{
	struct words	*ws = arg;
	char		**nw;

	if (len < 3)
		return 0;
	if (ws->n == ws->cap) {
		ws->cap = ws->cap ? ws->cap * 2 : 256;
		if ((nw = reallocarray(ws->w, ws->cap, sizeof(*nw))) == NULL)
			return -1;
		ws->w = nw;
	}
	if ((ws->w[ws->n] = strndup(w, len)) == NULL)
		return -1;
	ws->n++;
	return 0;
}

/* Cut an ASCII word to a prefix of 3 to 5 bytes (others kept whole). */
static void
prefix_of(struct buf *q, const char *w, unsigned int r)
{
	size_t	 i, len = strlen(w), cut = 3 + r % 3;

	for (i = 0; i < len; i++)
		if ((unsigned char)w[i] >= 0x80)
			break;
	if (i == len && cut < len)
		len = cut;
	buf_add(q, w, len);
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_store [-v] [-i index_builds] "
	    "[-q queries] [-s seed] folder\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct store_opts	 opts;
	struct article_report	 r = { count_report, NULL };
	struct store_stats	 st;
	struct store		*s;
	struct words		 ws = { NULL, 0, 0 };
	struct buf		*queries = NULL;
	const struct article	*res[BENCH_RESULTS];
	const struct article	*a, **list;
	unsigned long long	 bytes, blocks, seed = 1, hits = 0;
	double			 t0, c0, load, *lat = NULL, *cpu = NULL, sum = 0;
	size_t			 files, i, j, k, nq = 300, total, nbuild = 1;
	long			 rss_before, rss;
	int			 ch, verbose = 0;

	store_tune_malloc();	/* as griotd does */
	while ((ch = getopt(argc, argv, "i:q:s:v")) != -1) {
		switch (ch) {
		case 'v':
			verbose = 1;
			break;
		case 'i':
			nbuild = strtoul(optarg, NULL, 10);
			break;
		case 'q':
			nq = strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || nq == 0)
		usage();
	if (disk_size(argv[optind], &files, &bytes, &blocks) == -1) {
		perror(argv[optind]);
		return 1;
	}
	rss_before = peak_rss_kb();

	memset(&opts, 0, sizeof(opts));
	opts.dir = argv[optind];
	opts.french_spacing = 1;
	c0 = cpu_time();
	t0 = now();
	s = store_open(&opts, &r, &st);
	load = now() - t0;
	c0 = cpu_time() - c0;
	if (s == NULL) {
		fprintf(stderr, "bench_store: the store did not open\n");
		return 1;
	}
	rss = peak_rss_kb();

	printf("files:            %zu (%zu published, %zu drafts, %zu refused, "
	    "%llu warnings)\n", files, st.loaded, st.drafts, st.skipped,
	    warnings);
	printf("bytes on disk:    %llu (%.1f MB; %.1f MB allocated)\n", bytes,
	    (double)bytes / 1e6, (double)blocks / 1e6);
	printf("load time:        %.3f s (processor time %.3f s)\n", load, c0);
	printf("of which:         %.3f s files, %.3f s order and lists, "
	    "%.3f s index\n", st.scan_time, st.order_time, st.index_time);
	printf("articles/s:       %.0f\n", (double)files / load);
	printf("peak RSS:         %.1f MB (%.1f MB before loading)\n",
	    (double)rss * 1024 / 1e6, (double)rss_before * 1024 / 1e6);
	printf("RSS / disk:       %.3f\n", (double)rss * 1024 / (double)bytes);
	printf("RSS after load:   %.1f MB\n", rss_now_mb());

	/* The index part of the load: built again, timed alone. */
	if (store_count(s) == 0)
		goto done;
	if ((list = reallocarray(NULL, store_count(s), sizeof(*list))) != NULL) {
		struct search_index	*x;

		for (i = 0; i < store_count(s); i++)
			list[i] = store_article_at(s, i);
		double	 h0 = heap_mb(), best = 0, bestc = 0, t, c;

		for (k = 0; k < nbuild; k++) {
			c0 = cpu_time();
			t0 = now();
			x = search_build(list, store_count(s));
			t = now() - t0;
			c = cpu_time() - c0;
			if (k == 0 || t < best)
				best = t;
			if (k == 0 || c < bestc)
				bestc = c;
			if (k == 0)
				printf("heap in use:      %.1f MB, of which index "
				    "%.1f MB\n", h0, heap_mb() - h0);
			search_free(x);
		}
		if (nbuild > 0)
			printf("of which index:   %.3f s (built again alone, best "
			    "of %zu; processor time %.3f s)\n", best, nbuild,
			    bestc);
		free(list);
	}

	/* Queries drawn from the articles, so that they find something. */
	if ((queries = calloc(nq, sizeof(*queries))) == NULL ||
	    (lat = calloc(nq, sizeof(*lat))) == NULL ||
	    (cpu = calloc(nq, sizeof(*cpu))) == NULL)
		goto done;
	for (i = 0; i < nq; i++) {
		a = store_article_at(s, rnd(&seed) % store_count(s));
		for (j = 0; ws.n < 3 && j < a->nblocks; j++)
			text_words(a->blocks[j].text, strlen(a->blocks[j].text),
			    word_add, &ws);
		text_words(a->title, strlen(a->title), word_add, &ws);
		buf_init(&queries[i]);
		if (ws.n == 0) {
			buf_puts(&queries[i], "paix");
			continue;
		}
		switch (i % 4) {
		case 0:		/* one word */
			buf_puts(&queries[i], ws.w[rnd(&seed) % ws.n]);
			break;
		case 1:		/* one prefix */
			prefix_of(&queries[i], ws.w[rnd(&seed) % ws.n],
			    rnd(&seed));
			break;
		case 2:		/* two words, one a prefix */
			buf_puts(&queries[i], ws.w[rnd(&seed) % ws.n]);
			buf_addc(&queries[i], ' ');
			prefix_of(&queries[i], ws.w[rnd(&seed) % ws.n],
			    rnd(&seed));
			break;
		default:	/* three words, in capitals sometimes */
			for (k = 0; k < 3; k++) {
				if (k > 0)
					buf_addc(&queries[i], ' ');
				buf_puts(&queries[i], ws.w[rnd(&seed) % ws.n]);
			}
			break;
		}
		for (j = 0; j < ws.n; j++)
			free(ws.w[j]);
		ws.n = 0;
	}
	for (i = 0; i < nq; i++) {
		c0 = thread_cpu_time();
		t0 = now();
		if (store_search(s, queries[i].data, queries[i].len, res,
		    BENCH_RESULTS, &total) == -1)
			total = 0;
		lat[i] = (now() - t0) * 1e6;
		cpu[i] = (thread_cpu_time() - c0) * 1e6;
		sum += lat[i];
		hits += total;
		if (verbose) {
			printf("query %s: %zu (%.0f us of CPU)",
			    queries[i].data, total, cpu[i]);
			for (j = 0; j < total && j < BENCH_RESULTS; j++)
				printf(" %s", res[j]->id);
			printf("\n");
		}
	}
	qsort(lat, nq, sizeof(*lat), cmp_double);
	qsort(cpu, nq, sizeof(*cpu), cmp_double);
	printf("search queries:   %zu (mean %.0f matches each)\n", nq,
	    (double)hits / (double)nq);
	printf("search p50:       %.0f us\n", lat[nq / 2]);
	printf("search p99:       %.0f us\n", lat[(nq * 99) / 100 >= nq ?
	    nq - 1 : (nq * 99) / 100]);
	printf("search max:       %.0f us (mean %.0f us)\n", lat[nq - 1],
	    sum / (double)nq);
	/* The thread's processor time: less changed by a busy machine. */
	printf("search CPU:       p50 %.0f us, p99 %.0f us, max %.0f us\n",
	    cpu[nq / 2], cpu[(nq * 99) / 100 >= nq ? nq - 1 : (nq * 99) / 100],
	    cpu[nq - 1]);
 done:
	if (queries != NULL)
		for (i = 0; i < nq; i++)
			buf_release(&queries[i]);
	free(queries);
	free(lat);
	free(cpu);
	free(ws.w);
	c0 = cpu_time();
	t0 = now();
	store_unref(s);
	printf("unref (free):     %.3f s (processor time %.3f s)\n", now() - t0,
	    cpu_time() - c0);
	return 0;
}
