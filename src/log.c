/* griot: logging.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Diagnostics and the access log, each line formatted whole and written at once. */

#include "griot-config.h"

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

static enum log_dest	 log_dest = LOG_DEST_STDERR;
static int		 log_verbose;
static int		 log_syslog_open;

static pthread_mutex_t	 log_access_mtx = PTHREAD_MUTEX_INITIALIZER;
static enum access_dest	 log_access_dest = ACCESS_OFF;
static int		 log_access_fd = -1;

static void	 log_vlog(int, const char *, const char *, va_list, int)
		    __attribute__((__format__(__printf__, 3, 0)));
static void	 log_write(int, const char *, size_t);

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

int
log_access_init(const char *dest)
{
	enum access_dest	 d;
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
		fd = open(dest, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
		    O_NOCTTY, 0640);
		if (fd == -1) {
			log_warn("access log %s", dest);
			return -1;
		}
	}

	pthread_mutex_lock(&log_access_mtx);
	oldfd = log_access_fd;
	log_access_fd = fd;
	__atomic_store_n(&log_access_dest, d, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&log_access_mtx);
	if (oldfd != -1)
		close(oldfd);
	return 0;
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

/* Write all of a line; a short write is retried, an error dropped. */
static void
log_write(int fd, const char *s, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += n;
		len -= (size_t)n;
	}
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
	log_write(STDERR_FILENO, line, len);
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
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*s = (const unsigned char *)in;
	size_t			 i, o = 0, need;
	int			 utf8, esc, esc_next = 0;

	if (outlen == 0)
		return 0;
	utf8 = text_is_utf8(in, inlen);
	for (i = 0; i < inlen; i++) {
		unsigned char c = s[i];

		if (esc_next) {
			esc = 1;
			esc_next = 0;
		} else if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			esc = 1;
		else if (c >= 0x80 && !utf8)
			esc = 1;
		else if (c == 0xc2 && i + 1 < inlen && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f) {
			/* U+0080..U+009F: escape both bytes. */
			esc = 1;
			esc_next = 1;
		} else
			esc = 0;
		need = esc ? 4 : 1;
		if (o + need >= outlen)
			break;
		if (esc) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		} else
			out[o++] = (char)c;
	}
	/*
	 * A valid UTF-8 sequence cut by the end of the room would leave a
	 * partial sequence; back up to its first byte.
	 */
	if (i < inlen && utf8)
		while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
			o--;
	if (i < inlen && utf8 && o > 0 &&
	    (unsigned char)out[o - 1] >= 0xc0)
		o--;
	out[o] = '\0';
	return o;
}

void
log_access(const char *client, const char *proto, const char *req,
    size_t reqlen, int status, size_t bytes, double seconds)
{
	char		 line[LOG_LINE_MAX], esc[LOG_ESC_MAX];
	char		 stamp[40];
	struct timespec	 ts;
	struct tm	 tm;
	size_t		 len;
	int		 n, ms;

	if (__atomic_load_n(&log_access_dest, __ATOMIC_RELAXED) == ACCESS_OFF)
		return;
	text_escape(esc, sizeof(esc), req != NULL ? req : "", req != NULL ?
	    reqlen : 0);

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	ms = (int)(ts.tv_nsec / 1000000);
	if (strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		stamp[0] = '\0';

	if (log_access_dest == ACCESS_SYSLOG)
		n = snprintf(line, sizeof(line), "%s %s \"%s\" %d %zu %.3f",
		    client, proto, esc, status, bytes, seconds * 1000.0);
	else
		n = snprintf(line, sizeof(line),
		    "%s.%03dZ %s %s \"%s\" %d %zu %.3f\n", stamp, ms,
		    client, proto, esc, status, bytes, seconds * 1000.0);
	if (n < 0)
		return;
	len = (size_t)n;
	if (len >= sizeof(line)) {
		/* Cannot happen with the sizes above; never write half a line. */
		return;
	}

	pthread_mutex_lock(&log_access_mtx);
	switch (log_access_dest) {
	case ACCESS_OFF:
		break;
	case ACCESS_SYSLOG:
		syslog(LOG_INFO, "%s", line);
		break;
	case ACCESS_STDERR:
		log_write(STDERR_FILENO, line, len);
		break;
	case ACCESS_FILE:
		log_write(log_access_fd, line, len);
		break;
	}
	pthread_mutex_unlock(&log_access_mtx);
}
