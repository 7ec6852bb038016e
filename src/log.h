/* griot: logging.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Diagnostics to stderr or syslog, and the access log.  Thread-safe: a
 * diagnostic is one write; access-log lines are whole lines, one write
 * each, or one write per batch from a worker's buffer (struct log_buf),
 * so that lines of different threads interleave only between lines.  Before the loop, fatal()/fatalx() name the object and
 * exit 1; inside the loop nothing exits for a client.
 *
 * On stderr, diagnostics carry no time stamp (journald, runit and
 * containers add their own) and debug lines start with "debug: ";
 * access-log lines always start with their ISO 8601 time in UTC.
 */
#ifndef GRIOT_LOG_H
#define GRIOT_LOG_H

#include <sys/types.h>

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>

#define LOG_LINE_MAX	8192	/* bytes of one line; longer ones are cut */
#define LOG_EVERY	60	/* s between repeats of a limited warning */

/*
 * "dest": "stderr" or "syslog"; verbose adds log_debug() lines.  May be
 * called again to switch (griotd -d moves from stderr to syslog).
 */
int	 log_init(const char *dest, int verbose);
/*
 * Access log: a path (appended to with O_APPEND, created mode 0640),
 * "stderr", "syslog" or "off".  Called again (SIGHUP), it opens the new
 * destination first and keeps the old one when that fails; the same
 * path again is left as it is (log_access_reopen() reopens it).
 */
int	 log_access_init(const char *dest);
/*
 * Before log_access_init(), when started as root: a file it creates is
 * given to "uid"/"gid", the user griotd will serve as, who can then open
 * it again after a rotation.  A file that exists keeps its owner (a
 * warning says when that user could not write it).
 */
void	 log_access_owner(uid_t uid, gid_t gid);
/*
 * Open the access-log file again by its path (SIGHUP, SIGUSR1: after a
 * rotation by rename); lines written from now on go to the new file,
 * including those still gathered in the workers' buffers.  On failure
 * the old file is kept and a warning logged.  Main thread only.
 */
int	 log_access_reopen(void);
/*
 * The access-log file is now reached by "path" (after chroot); the
 * current path is log_access_file(), NULL unless the log is a file.
 */
int	 log_access_relocate(const char *path);
const char *log_access_file(void);
void	 log_close(void);
int	 log_is_verbose(void);
/*
 * Is the access log on (not "off")?  Callers check it before they make
 * what log_access() would only throw away, such as the client's address
 * as text.
 */
int	 log_access_enabled(void);

void	 log_warn(const char *, ...)	/* appends strerror(errno) */
	    __attribute__((__format__(__printf__, 1, 2)));
void	 log_warnx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 log_info(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 log_debug(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 fatal(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2), __noreturn__));
void	 fatalx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2), __noreturn__));

/*
 * Rate-limited warnings, for what a client or the load can repeat many
 * times a second (the connection cap, bad PROXY headers, the rate-limit
 * table, accept() out of descriptors).  "last" keeps the time of the last
 * warning of one kind (start it at 0); log_is_due() returns 1 when that
 * warning may be logged now, at most once every LOG_EVERY seconds
 * whichever thread asks, and then records the time.  The caller logs the
 * warning itself, or a debug line when it is not due.
 */
int	 log_is_due(atomic_llong *last);

/*
 * A worker's access-log buffer, so that a burst of requests costs one
 * write, not one per request.  Owned by the worker; log_buf_attach()
 * makes it the buffer of the calling thread.  Lines to a file from that
 * thread are gathered in it; "wake"(arg) is called when its first line
 * arrives, and the worker then calls log_buf_flush() from its loop (at
 * the end of the loop's turn: its flush event is queued after the events
 * being run).  It is also written when less than LOG_LINE_MAX bytes
 * of its 64 KiB are left, and by log_buf_free().  Lines to stderr or syslog,
 * and from threads without a buffer, are written at once.  A write that
 * fails (a full disk) drops its lines, counted in a warning at most once
 * every LOG_EVERY seconds.
 */
struct log_buf;
struct log_buf	*log_buf_new(void (*wake)(void *), void *arg);
void		 log_buf_free(struct log_buf *);	/* flushes first */
void		 log_buf_attach(struct log_buf *);
void		 log_buf_flush(struct log_buf *);

/*
 * One access-log line: time, client address, protocol ("gemini",
 * "gopher"), the request as sent (control bytes, '"', '\' and non-UTF-8
 * escaped as \xHH, bidirectional controls as \uHHHH: text_escape(), so
 * no client can forge or reorder a line), status, bytes sent, duration
 * in milliseconds:
 *
 *	2026-01-30T09:41:07.123Z 192.0.2.1 gemini "gemini://h/" 20 1234 0.845
 */
void	 log_access(const char *client, const char *proto,
	    const char *req, size_t reqlen, int status, size_t bytes,
	    double seconds);

/*
 * The escaping used by log_access(), for other messages that quote what
 * a client sent: writes at most "outlen" - 1 bytes and a NUL, cutting at
 * an escape boundary; returns the length written.
 */
size_t	 log_escape(char *out, size_t outlen, const char *in, size_t inlen);

#endif
