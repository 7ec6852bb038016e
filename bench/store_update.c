/* griot: store change benchmark.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Measures what one change to the store costs a running griotd: makes
 * changes one after the other in its store folder (a new article, then
 * that article changed, then removed, and again), each by rename() or
 * unlink() as a newsroom's importer does, and after each asks the
 * daemon over Gopher for a search of a word only the changed article
 * has, until the answer shows the change.  Prints per change the time
 * from the rename() to that answer, the daemon's CPU over the change
 * (its user + system time from /proc, searches of this program
 * included), and its resident memory after; then the medians.  With -H
 * it then sends SIGHUP and reports the full reload: time until the log
 * says "reloaded:", CPU, and the peak resident memory during it (VmHWM,
 * reset first through /proc/PID/clear_refs).  It measures; it never
 * fails on a figure.  bench/store_update.sh starts griotd for it.
 *
 *	store_update [-H] [-n CHANGES] -p GOPHER_PORT -P PID [-l LOG] STORE
 */

#include "griot-config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_TIMEOUT	20.0	/* s to wait for one change */
#define BENCH_POLL_US	2000	/* between two searches */
#define BENCH_SETTLE_US	300000	/* after a change is seen, before the CPU */
#define BENCH_MAX	1000

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The daemon's user + system time, seconds (-1 when it is gone). */
static double
proc_cpu(pid_t pid)
{
	char			 path[64], buf[2048], *p;
	unsigned long long	 ut, st;
	FILE			*fp;
	size_t			 n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* After the command name in parentheses: fields 3 onwards. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
	    "%llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "VmRSS" or "VmHWM" line of /proc/PID/status, in kB. */
static long
proc_kb(pid_t pid, const char *field)
{
	char	 path[64], line[256];
	size_t	 len = strlen(field);
	long	 kb = -1;
	FILE	*fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, field, len) == 0 && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(fp);
	return kb;
}

/* Bytes of the "*.txt" files of the folder. */
static double
store_bytes(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	double		 sum = 0;
	size_t		 len;
	int		 dfd;

	if ((d = opendir(dir)) == NULL)
		return 0;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0 &&
		    fstatat(dfd, de->d_name, &st, 0) == 0)
			sum += (double)st.st_size;
	}
	closedir(d);
	return sum;
}

/* One Gopher search; 1 when the answer names "id", 0 if not, -1 error. */
static int
search_has(int port, const char *word, const char *id)
{
	struct sockaddr_in	 sin;
	static char		 buf[1 << 20];
	char			 req[256];
	size_t			 len = 0;
	ssize_t			 n;
	int			 fd, found;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	n = snprintf(req, sizeof(req), "/search\t%s\r\n", word);
	if (n < 0 || (size_t)n >= sizeof(req) ||
	    write(fd, req, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	found = strstr(buf, id) != NULL;
	return found;
}

static int
write_article(const char *dir, const char *id, const char *word, int n)
{
	char	 tmp[4096], path[4096], text[1024];
	int	 fd, len;

	len = snprintf(text, sizeof(text), "Title: Article de mesure %d\n"
	    "Date: 2031-01-01 12:00\nCategory: Mesures\nTags: banc\n\n"
	    "Le mot %s ne se trouve que dans cet article, écrit à "
	    "côté puis renommé à sa place, comme le fait griot-import.\n",
	    n, word);
	if (len < 0 || (size_t)len >= sizeof(text) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, id) >=
	    (int)sizeof(tmp) ||
	    snprintf(path, sizeof(path), "%s/%s.txt", dir, id) >=
	    (int)sizeof(path))
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		return -1;
	if (write(fd, text, (size_t)len) != len) {
		close(fd);
		return -1;
	}
	close(fd);
	return rename(tmp, path);
}

/* A word of letters only, one per change, found in no other article. */
static void
make_word(char *w, size_t size, int i, unsigned int salt)
{
	snprintf(w, size, "zqvbench%c%c%c%c", 'a' + (int)(salt % 26),
	    'a' + (int)(salt / 26 % 26), 'a' + i / 26 % 26, 'a' + i % 26);
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int
log_count(const char *path, const char *what)
{
	FILE	*fp;
	char	 line[4096];
	int	 n = 0;

	if (path == NULL || (fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strstr(line, what) != NULL)
			n++;
	fclose(fp);
	return n;
}

static void __attribute__((__noreturn__))
usage(void)
{
	fprintf(stderr, "usage: store_update [-H] [-n changes] -p gopher_port "
	    "-P pid [-l log] store\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	double		 lat[BENCH_MAX], cpu[BENCH_MAX], t0, t1, c0, c1, bytes;
	long		 rss[BENCH_MAX], rss0, hwm;
	char		 word[64], prev[64] = "", id[64], path[4096];
	const char	*dir, *logpath = NULL;
	int		 ch, n = 20, port = 0, hup = 0, i, kind, got, want, k;
	int		 seen = 0;
	pid_t		 pid = 0;
	unsigned int	 salt;
	FILE		*fp;

	while ((ch = getopt(argc, argv, "Hl:n:p:P:")) != -1) {
		switch (ch) {
		case 'H':
			hup = 1;
			break;
		case 'l':
			logpath = optarg;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'P':
			pid = (pid_t)atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || port <= 0 || pid <= 0 || n < 1 ||
	    n > BENCH_MAX || (hup && logpath == NULL))
		usage();
	dir = argv[optind];
	salt = (unsigned int)time(NULL) % 676;
	bytes = store_bytes(dir);
	rss0 = proc_kb(pid, "VmRSS");
	printf("store: %.1f MB of articles; griotd RSS before the changes: "
	    "%.1f MB (%.2f x the articles)\n", bytes / 1e6, rss0 / 1024.0,
	    rss0 * 1024.0 / bytes);
	printf("| change | kind | seen after (ms) | daemon CPU (ms) | RSS after "
	    "(MB) | RSS / article bytes |\n| ---: | --- | ---: | ---: | ---: "
	    "| ---: |\n");
	for (i = 0; i < n; i++) {
		/* New, then changed (a new word), then removed, and again. */
		kind = i % 3;
		k = i / 3;
		snprintf(id, sizeof(id), "zz-bench-update-%04d", k);
		make_word(word, sizeof(word), i, salt);
		c0 = proc_cpu(pid);
		if (kind < 2) {
			if (write_article(dir, id, word, i) == -1) {
				perror("store_update: write");
				return 1;
			}
			want = 1;
		} else {
			snprintf(path, sizeof(path), "%s/%s.txt", dir, id);
			if (unlink(path) == -1) {
				perror("store_update: unlink");
				return 1;
			}
			/* Gone: the word of the change before finds nothing. */
			snprintf(word, sizeof(word), "%s", prev);
			want = 0;
		}
		t0 = now();	/* the rename() or unlink() returned */
		got = -1;
		while (now() - t0 < BENCH_TIMEOUT) {
			got = search_has(port, word, id);
			if (got == want)
				break;
			usleep(BENCH_POLL_US);
		}
		t1 = now();
		usleep(BENCH_SETTLE_US);
		c1 = proc_cpu(pid);
		if (got != want) {
			fprintf(stderr, "store_update: change %d not seen in "
			    "%.0f s\n", i, BENCH_TIMEOUT);
			return 1;
		}
		lat[i] = (t1 - t0) * 1e3;
		cpu[i] = (c1 - c0) * 1e3;
		rss[i] = proc_kb(pid, "VmRSS");
		printf("| %d | %s | %.1f | %.0f | %.1f | %.2f |\n", i + 1,
		    kind == 0 ? "new" : kind == 1 ? "changed" : "removed",
		    lat[i], cpu[i], rss[i] / 1024.0, rss[i] * 1024.0 / bytes);
		fflush(stdout);
		snprintf(prev, sizeof(prev), "%s", word);
		seen++;
	}
	printf("median of %d changes: seen after %.1f ms, %.0f ms of daemon "
	    "CPU (CPU clock ticks of %.0f ms); RSS after the last %.1f MB "
	    "(%.2f x the articles)\n", seen, median(lat, seen),
	    median(cpu, seen), 1e3 / (double)sysconf(_SC_CLK_TCK),
	    rss[seen - 1] / 1024.0, rss[seen - 1] * 1024.0 / bytes);
	/* What the last "new" or "changed" left: remove it. */
	if (n % 3 != 0) {
		snprintf(path, sizeof(path), "%s/zz-bench-update-%04d.txt", dir,
		    (n - 1) / 3);
		(void)unlink(path);
	}
	if (!hup)
		return 0;

	/* The full reload: peak memory from a fresh high-water mark. */
	usleep(500000);
	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs("5\n", fp);
		fclose(fp);
	}
	k = log_count(logpath, "reloaded:");
	c0 = proc_cpu(pid);
	t0 = now();
	if (kill(pid, SIGHUP) == -1) {
		perror("store_update: kill");
		return 1;
	}
	while (now() - t0 < 120 && log_count(logpath, "reloaded:") <= k)
		usleep(10000);
	t1 = now();
	usleep(BENCH_SETTLE_US);
	c1 = proc_cpu(pid);
	hwm = proc_kb(pid, "VmHWM");
	rss0 = proc_kb(pid, "VmRSS");
	printf("SIGHUP reload: %.2f s, %.2f s of daemon CPU; peak RSS %.1f MB "
	    "(%.2f x the articles); RSS after %.1f MB (%.2f x)\n", t1 - t0,
	    c1 - c0, hwm / 1024.0, hwm * 1024.0 / bytes, rss0 / 1024.0,
	    rss0 * 1024.0 / bytes);
	return 0;
}
