/* griot: logging.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Diagnostics and the access log.  A diagnostic is formatted whole and
 * written at once; access-log lines to a file are gathered per worker
 * and written a batch at a time (see log.h).
 */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "text.h"

enum log_dest {
	LOG_DEST_STDERR,
	LOG_DEST_SYSLOG
};

enum access_dest {
	ACCESS_OFF,
	ACCESS_STDERR,
	ACCESS_SYSLOG,
	ACCESS_FILE
};

/* Room for a whole Gemini or Gopher request, every byte escaped. */
#define LOG_ESC_MAX	(4 * 1100)
/* Bytes of access-log lines a worker gathers before writing them. */
#define LOG_BUF_SIZE	(64 * 1024)

/* One worker's access-log lines (see log.h). */
struct log_buf {
	void		(*wake)(void *);
	void		*arg;
	size_t		 len;
	char		 data[LOG_BUF_SIZE];
};

static enum log_dest	 log_dest = LOG_DEST_STDERR;
static int		 log_verbose;
static int		 log_syslog_open;

/*
 * The destination, its descriptor and path change under the mutex; the
 * workers take it once per batch of lines they write, never per line.
 */
static pthread_mutex_t	 log_access_mtx = PTHREAD_MUTEX_INITIALIZER;
static enum access_dest	 log_access_dest = ACCESS_OFF;
static int		 log_access_fd = -1;
static char		*log_access_path;	/* ACCESS_FILE: as opened */
static unsigned long long log_access_lost;	/* lines, since the warning */
static atomic_llong	 log_access_warned;
static int		 log_access_owned;	/* chown what we create */
static uid_t		 log_access_uid;
static gid_t		 log_access_gid;

/*
 * Per thread: the buffer of the worker running on it, and the time stamp
 * of the current second, formatted once rather than for every line.
 */
static _Thread_local struct log_buf	*log_tbuf;
static _Thread_local time_t		 log_stamp_sec = (time_t)-1;
static _Thread_local char		 log_stamp[32];
static _Thread_local size_t		 log_stamp_len;

static void	 log_vlog(int, const char *, const char *, va_list, int)
		    __attribute__((__format__(__printf__, 3, 0)));
static size_t	 log_write(int, const char *, size_t);

static void
log_openlog(void)
{
	if (!log_syslog_open) {
		openlog("griotd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_syslog_open = 1;
	}
}

int
log_init(const char *dest, int verbose)
{
	log_verbose = verbose;
	if (dest == NULL || strcmp(dest, "stderr") == 0) {
		log_dest = LOG_DEST_STDERR;
		return 0;
	}
	if (strcmp(dest, "syslog") == 0) {
		log_openlog();
		log_dest = LOG_DEST_SYSLOG;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

int
log_is_verbose(void)
{
	return log_verbose;
}

int
log_access_enabled(void)
{
	return __atomic_load_n(&log_access_dest, __ATOMIC_RELAXED) !=
	    ACCESS_OFF;
}

/*
 * Open the access-log file "path" for appending.  A file griotd creates
 * while root is given to the user it will serve as (log_access_owner()),
 * who must open it again on SIGHUP and SIGUSR1 once root is dropped.  A
 * file that was there keeps its owner: the path may name a device such
 * as /dev/null, or a file the operator set up on purpose.
 */
static int
log_access_open(const char *path)
{
	struct stat	 st;
	int		 fd, i, flags = O_WRONLY | O_APPEND | O_CLOEXEC |
			    O_NOCTTY;

	for (i = 0; i < 2; i++) {
		fd = open(path, flags | O_CREAT | O_EXCL, 0640);
		if (fd != -1) {
			if (log_access_owned && geteuid() == 0 &&
			    fchown(fd, log_access_uid, log_access_gid) == -1)
				log_warn("access log %s: chown", path);
			return fd;
		}
		if (errno != EEXIST)
			return -1;
		/* Removed between the two opens: create it again. */
		if ((fd = open(path, flags)) != -1)
			break;
		if (errno != ENOENT)
			return -1;
	}
	if (fd == -1)
		return -1;
	if (log_access_owned && geteuid() == 0 && fstat(fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_uid != log_access_uid &&
	    (st.st_mode & S_IWOTH) == 0 &&
	    (st.st_gid != log_access_gid || (st.st_mode & S_IWGRP) == 0))
		log_warnx("access log %s: not writable by the user griotd "
		    "serves as (uid %lu), so it cannot be opened again on "
		    "SIGHUP or SIGUSR1: chown it to that user",
		    path, (unsigned long)log_access_uid);
	return fd;
}

void
log_access_owner(uid_t uid, gid_t gid)
{
	log_access_owned = 1;
	log_access_uid = uid;
	log_access_gid = gid;
}

int
log_access_init(const char *dest)
{
	enum access_dest	 d;
	char			*path = NULL, *oldpath;
	int			 fd = -1, oldfd;

	if (dest == NULL || strcmp(dest, "off") == 0)
		d = ACCESS_OFF;
	else if (strcmp(dest, "stderr") == 0)
		d = ACCESS_STDERR;
	else if (strcmp(dest, "syslog") == 0) {
		d = ACCESS_SYSLOG;
		log_openlog();
	} else {
		d = ACCESS_FILE;
		/* The same file: log_access_reopen() is what reopens it. */
		if (log_access_dest == ACCESS_FILE &&
		    strcmp(dest, log_access_path) == 0)
			return 0;
		if ((fd = log_access_open(dest)) == -1) {
			log_warn("access log %s", dest);
			return -1;
		}
		if ((path = strdup(dest)) == NULL) {
			log_warn("access log %s", dest);
			close(fd);
			return -1;
		}
	}

	pthread_mutex_lock(&log_access_mtx);
	oldfd = log_access_fd;
	oldpath = log_access_path;
	log_access_fd = fd;
	log_access_path = path;
	__atomic_store_n(&log_access_dest, d, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&log_access_mtx);
	if (oldfd != -1)
		close(oldfd);
	free(oldpath);
	return 0;
}

int
log_access_reopen(void)
{
	const char	*path = log_access_path;
	int		 fd, oldfd;

	/* Only the main thread changes the path: no lock to read it. */
	if (log_access_dest != ACCESS_FILE || path == NULL)
		return 0;
	if ((fd = log_access_open(path)) == -1) {
		log_warn("access log %s: not reopened, still writing to the "
		    "file open before", path);
		return -1;
	}
	pthread_mutex_lock(&log_access_mtx);
	oldfd = log_access_fd;
	log_access_fd = fd;
	pthread_mutex_unlock(&log_access_mtx);
	if (oldfd != -1)
		close(oldfd);
	return 0;
}

int
log_access_relocate(const char *path)
{
	char	*p, *old;

	if (log_access_dest != ACCESS_FILE || path == NULL)
		return 0;
	if ((p = strdup(path)) == NULL)
		return -1;
	pthread_mutex_lock(&log_access_mtx);
	old = log_access_path;
	log_access_path = p;
	pthread_mutex_unlock(&log_access_mtx);
	free(old);
	return 0;
}

const char *
log_access_file(void)
{
	return log_access_dest == ACCESS_FILE ? log_access_path : NULL;
}

void
log_close(void)
{
	(void)log_access_init("off");
	if (log_syslog_open) {
		closelog();
		log_syslog_open = 0;
	}
	log_dest = LOG_DEST_STDERR;
}

/*
 * Write all of "s"; a short write is retried.  Returns the bytes written,
 * "len" unless an error (errno) stopped it.
 */
static size_t
log_write(int fd, const char *s, size_t len)
{
	size_t	 done = 0;
	ssize_t	 n;

	while (done < len) {
		n = write(fd, s + done, len - done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0) {
			errno = EIO;
			break;
		}
		done += (size_t)n;
	}
	return done;
}

/* Append "s" to "line" (of LOG_LINE_MAX bytes), cutting what does not fit. */
static void
log_append(char *line, size_t *len, const char *s)
{
	size_t	 n = strlen(s), room = LOG_LINE_MAX - 1 - *len;

	if (n > room)
		n = room;
	memcpy(line + *len, s, n);
	*len += n;
	line[*len] = '\0';
}

/*
 * Format one diagnostic line and send it.  Newlines inside a message
 * (a path with a newline, say) become spaces so one call is one line.
 */
static void
log_vlog(int pri, const char *prefix, const char *fmt, va_list ap,
    int errnum)
{
	char	 line[LOG_LINE_MAX + 1];
	size_t	 len = 0, i;
	int	 n;

	line[0] = '\0';
	if (prefix != NULL && log_dest == LOG_DEST_STDERR)
		log_append(line, &len, prefix);
	n = vsnprintf(line + len, LOG_LINE_MAX - len, fmt, ap);
	if (n < 0)
		line[len] = '\0';
	else if ((size_t)n >= LOG_LINE_MAX - len) {
		/* Cut: say so visibly. */
		len = LOG_LINE_MAX - 1;
		memcpy(line + len - 3, "...", 3);
	} else
		len += (size_t)n;
	if (errnum != 0) {
		log_append(line, &len, ": ");
		log_append(line, &len, strerror(errnum));
	}
	for (i = 0; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';

	if (log_dest == LOG_DEST_SYSLOG) {
		syslog(pri, "%s", line);
		return;
	}
	line[len++] = '\n';
	(void)log_write(STDERR_FILENO, line, len);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vlog(LOG_ERR, NULL, fmt, ap, saved);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vlog(LOG_ERR, NULL, fmt, ap, 0);
	va_end(ap);
}

int
log_is_due(atomic_llong *last)
{
	long long	 t = (long long)time(NULL), prev;

	prev = atomic_load(last);
	if (t - prev < LOG_EVERY)
		return 0;
	/* Of two threads due at once, one wins and warns. */
	return atomic_compare_exchange_strong(last, &prev, t);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vlog(LOG_INFO, NULL, fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vlog(LOG_DEBUG, "debug: ", fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vlog(LOG_CRIT, "fatal: ", fmt, ap, saved);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vlog(LOG_CRIT, "fatal: ", fmt, ap, 0);
	va_end(ap);
	exit(1);
}

/*
 * Escape what a client sent so that it stays inside its quotes on one
 * line: C0 controls, DEL, '"' and '\' always; C1 controls (as UTF-8)
 * too, since some terminals and viewers act on them; and every byte of
 * 0x80 and above when the input is not valid UTF-8 as a whole.
 */
size_t
log_escape(char *out, size_t outlen, const char *in, size_t inlen)
{
	/* One escaping for every log line: text.c's. */
	return text_escape(out, outlen, in, inlen);
}

/*
 * Access-log lines "s" (whole lines, each with its newline) could not all
 * be written: count the lines not wholly written, and say so now and
 * then.  Under log_access_mtx.
 */
static void
log_access_failed(const char *s, size_t len, size_t done, int errnum)
{
	const char	*p = s + done, *end = s + len;
	unsigned long long lost = 0;

	/* A line cut by the error is lost as well: count its newline. */
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lost++;
		p++;
	}
	log_access_lost += lost;
	if (log_is_due(&log_access_warned)) {
		log_warnx("access log %s: %llu line%s lost: %s",
		    log_access_path != NULL ? log_access_path : "?",
		    log_access_lost, log_access_lost == 1 ? "" : "s",
		    strerror(errnum));
		log_access_lost = 0;
	}
}

/*
 * Send whole lines where the access log goes now.  "s" holds lines in
 * the form of the destination they were made for: with time stamps and
 * newlines, unless made for syslog (then one line, no newline).  Lines
 * made for a file reach syslog only when the destination changed on
 * SIGHUP in between, and keep their time stamp there.  Under
 * log_access_mtx.
 */
static void
log_access_emit(const char *s, size_t len)
{
	const char	*p, *end = s + len, *nl;
	size_t		 done;

	switch (log_access_dest) {
	case ACCESS_OFF:
		break;
	case ACCESS_SYSLOG:
		for (p = s; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			syslog(LOG_INFO, "%.*s", (int)(nl - p), p);
		}
		break;
	case ACCESS_STDERR:
		(void)log_write(STDERR_FILENO, s, len);
		break;
	case ACCESS_FILE:
		if ((done = log_write(log_access_fd, s, len)) < len)
			log_access_failed(s, len, done, errno);
		break;
	}
}

struct log_buf *
log_buf_new(void (*wake)(void *), void *arg)
{
	struct log_buf	*b;

	if ((b = malloc(sizeof(*b))) == NULL)
		return NULL;
	b->wake = wake;
	b->arg = arg;
	b->len = 0;
	return b;
}

void
log_buf_free(struct log_buf *b)
{
	if (b == NULL)
		return;
	log_buf_flush(b);
	if (log_tbuf == b)
		log_tbuf = NULL;
	free(b);
}

void
log_buf_attach(struct log_buf *b)
{
	log_tbuf = b;
}

void
log_buf_flush(struct log_buf *b)
{
	if (b == NULL || b->len == 0)
		return;
	pthread_mutex_lock(&log_access_mtx);
	log_access_emit(b->data, b->len);
	pthread_mutex_unlock(&log_access_mtx);
	b->len = 0;
}

/* A line being made in place: what does not fit sets "cut". */
struct log_line {
	char	*p;
	size_t	 len;
	size_t	 max;
	int	 cut;
};

static void
log_put(struct log_line *l, const char *s, size_t n)
{
	if (n > l->max - l->len) {
		l->cut = 1;
		return;
	}
	memcpy(l->p + l->len, s, n);
	l->len += n;
}

/* "v" in decimal, at least "width" digits. */
static void
log_put_uint(struct log_line *l, unsigned long long v, int width)
{
	char	 tmp[24];
	size_t	 i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
		width--;
	} while ((v > 0 || width > 0) && i > 0);
	log_put(l, tmp + i, sizeof(tmp) - i);
}

/*
 * The time stamp "2026-01-30T09:41:07.123Z ": the date and time are
 * formatted once a second per thread, the milliseconds every time.
 */
static void
log_put_stamp(struct log_line *l)
{
	struct timespec	 ts;
	struct tm	 tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != log_stamp_sec) {
		if (gmtime_r(&ts.tv_sec, &tm) == NULL ||
		    (log_stamp_len = strftime(log_stamp, sizeof(log_stamp),
		    "%Y-%m-%dT%H:%M:%S.", &tm)) == 0) {
			log_stamp_len = 0;
			log_stamp_sec = (time_t)-1;
		} else
			log_stamp_sec = ts.tv_sec;
	}
	log_put(l, log_stamp, log_stamp_len);
	log_put_uint(l, (unsigned long long)(ts.tv_nsec / 1000000), 3);
	log_put(l, "Z ", 2);
}

/*
 * One access-log line into "l", by hand rather than through snprintf:
 * it is made for every request.  "stamp" for a file or stderr (a time
 * stamp first and a newline last), not for syslog.
 */
static void
log_access_line(struct log_line *l, int stamp, const char *client,
    const char *proto, const char *req, size_t reqlen, int status,
    size_t bytes, double seconds)
{
	unsigned long long	 us;
	size_t			 room;

	if (stamp)
		log_put_stamp(l);
	log_put(l, client, strlen(client));
	log_put(l, " ", 1);
	log_put(l, proto, strlen(proto));
	log_put(l, " \"", 2);
	/* Room for the escaped request and what follows it. */
	room = l->max - l->len;
	if (room > 128 && !l->cut) {
		room -= 128;
		if (room > LOG_ESC_MAX)
			room = LOG_ESC_MAX;
		l->len += text_escape(l->p + l->len, room, req, reqlen);
	} else
		l->cut = 1;
	log_put(l, "\" ", 2);
	if (status < 0) {
		log_put(l, "-", 1);
		status = -status;
	}
	log_put_uint(l, (unsigned long long)status, 1);
	log_put(l, " ", 1);
	log_put_uint(l, (unsigned long long)bytes, 1);
	log_put(l, " ", 1);
	us = seconds > 0 ? (unsigned long long)(seconds * 1e6 + 0.5) : 0;
	log_put_uint(l, us / 1000, 1);
	log_put(l, ".", 1);
	log_put_uint(l, us % 1000, 3);
	if (stamp)
		log_put(l, "\n", 1);
}

void
log_access(const char *client, const char *proto, const char *req,
    size_t reqlen, int status, size_t bytes, double seconds)
{
	struct log_buf	*b = log_tbuf;
	struct log_line	 l;
	char		 line[LOG_LINE_MAX];
	enum access_dest d;

	d = __atomic_load_n(&log_access_dest, __ATOMIC_RELAXED);
	if (d == ACCESS_OFF)
		return;
	if (req == NULL) {
		req = "";
		reqlen = 0;
	}
	/* To a file from a worker: into its buffer, written in a batch. */
	if (d == ACCESS_FILE && b != NULL) {
		if (sizeof(b->data) - b->len < LOG_LINE_MAX)
			log_buf_flush(b);
		l.p = b->data + b->len;
	} else
		l.p = line;
	l.len = 0;
	l.max = LOG_LINE_MAX - 1;	/* room for text_escape()'s NUL */
	l.cut = 0;
	log_access_line(&l, d != ACCESS_SYSLOG, client, proto, req, reqlen,
	    status, bytes, seconds);
	if (l.cut)
		return;	/* cannot happen with the sizes above: no half line */
	if (l.p != line) {
		if (b->len == 0 && b->wake != NULL)
			b->wake(b->arg);
		b->len += l.len;
		return;
	}
	line[l.len] = '\0';
	pthread_mutex_lock(&log_access_mtx);
	log_access_emit(line, l.len);
	pthread_mutex_unlock(&log_access_mtx);
}
