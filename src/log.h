/* griot: logging.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Diagnostics to stderr or syslog, and the access log.  Thread-safe: one
 * write per line.  Before the loop, fatal()/fatalx() name the object and
 * exit 1; inside the loop nothing exits for a client.
 */
#ifndef GRIOT_LOG_H
#define GRIOT_LOG_H

#include <stdarg.h>
#include <stddef.h>

/* "dest": "stderr" or "syslog"; verbose adds log_debug() lines. */
int	 log_init(const char *dest, int verbose);
/* Access log: a path (appended to), "stderr", "syslog" or "off". */
int	 log_access_init(const char *dest);
void	 log_close(void);

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
 * One access-log line: time, client address, protocol ("gemini",
 * "gopher"), the request as sent (control bytes and non-UTF-8 escaped as
 * \xHH, so no client can forge a line), status, bytes sent, duration.
 */
void	 log_access(const char *client, const char *proto,
	    const char *req, size_t reqlen, int status, size_t bytes,
	    double seconds);

#endif
