/* griot: privileges.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * What griotd does once its sockets are bound: detach (-d), write the
 * pidfile, chroot, and give up root for good.  Every function returns 0,
 * or -1 with the reason logged.
 */
#ifndef GRIOT_PRIV_H
#define GRIOT_PRIV_H

struct conf;

/*
 * Before binding: can priv_drop() succeed with this configuration for
 * the user griotd runs as?  (Root without "user", "user" or "chroot"
 * without root, a user that is root.)
 */
int		 priv_check(const struct conf *);

/*
 * chroot (then chdir "/") when "chroot" is set, then setgroups,
 * setresgid and setresuid to user/group (group: the user's own when
 * NULL), and check that root cannot be regained.  Not root and no user:
 * nothing to do.  "user" may be NULL only when not running as root.
 */
int		 priv_drop(const char *user, const char *group,
		    const char *chroot);

/* Fork into the background, new session, stdio on /dev/null, cwd "/". */
int		 priv_daemonise(void);

/*
 * Write our pid to "path", kept open and locked so that a second griotd
 * with the same pidfile is refused (its pid named).
 */
int		 priv_pidfile(const char *path);
void		 priv_pidfile_remove(void);	/* best effort, at exit */

/* "path" as seen from inside "chroot" (NULL: unchanged). */
const char	*priv_path(const char *chroot, const char *path);

#endif
