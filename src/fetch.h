/* griot: downloading sources.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The only file that includes libcurl.  One HTTP(S) GET with the limits a
 * cron job needs (a deadline, a size cap, at most FETCH_REDIRS_MAX
 * redirects, http and https only, a User-Agent naming griot), made
 * conditional by the ETag and Last-Modified the previous run remembered,
 * so that an unchanged feed costs one small request; and that memory, a
 * small text file kept between runs.
 */
#ifndef GRIOT_FETCH_H
#define GRIOT_FETCH_H

#include <stddef.h>

#define FETCH_ERR_MAX		256
#define FETCH_REDIRS_MAX	5
#define FETCH_SIZE_MAX		(16L * 1024 * 1024)	/* default cap */

struct fetch_opts {
	long	 timeout;	/* seconds for the whole transfer */
	long	 max_size;	/* bytes; 0: FETCH_SIZE_MAX */
	int	 verbose;	/* one line per transfer on stderr */
};

struct fetch {
	char	*data;		/* the body, NUL-terminated; NULL on 304 */
	size_t	 len;
	int	 not_modified;	/* the server answered 304 */
	char	*charset;	/* of Content-Type, NULL when none */
	char	*url;		/* after redirects */
	char	*etag;		/* validators to remember, NULL when none */
	char	*last_modified;
};

/* Once per process, before any fetch (and fetch_cleanup() at the end). */
int	 fetch_init(void);
void	 fetch_cleanup(void);

/*
 * GET "url"; "etag" and "last_modified" (may be NULL) make it
 * conditional.  A status other than 200 or 304, a timeout, a body over
 * the cap, too many redirects: -1 with the reason in "err" (at least
 * FETCH_ERR_MAX bytes).
 */
int	 fetch_get(const char *url, const char *etag, const char *last_modified,
	    const struct fetch_opts *, struct fetch *, char *err);
void	 fetch_free(struct fetch *);

/*
 * The validators of each URL between runs: a file of lines
 * "URL TAB ETAG TAB LAST-MODIFIED" ("-" for none), replaced atomically,
 * and only when a validator changed.
 */
struct fetch_memo;
struct fetch_memo	*fetch_memo_load(const char *path);	/* NULL: no memory */
void	 fetch_memo_get(const struct fetch_memo *, const char *url,
	    const char **etag, const char **last_modified);
int	 fetch_memo_set(struct fetch_memo *, const char *url, const char *etag,
	    const char *last_modified);
int	 fetch_memo_save(const struct fetch_memo *, char *err);
void	 fetch_memo_free(struct fetch_memo *);

#endif
