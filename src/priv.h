/* griot: privileges.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * What griotd does once its sockets are bound: detach (-d), write the
 * pidfile, chroot, and give up root for good; and at exit, remove the
 * pidfile.  Every function returns 0,
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

/*
 * Fork into the background, new session, stdio on /dev/null, cwd "/".
 * The starting process waits, and exits 0 once the daemon called
 * priv_daemonise_ready(), or 1 when the daemon exited before.
 */
int		 priv_daemonise(void);
void		 priv_daemonise_ready(void);	/* no-op without -d */

/*
 * Before the drop: write our pid to "path" and close it, refused when it
 * names another running griotd (its pid logged).  The file is replaced
 * by a rename, never written through: its folder may belong to the
 * serving user.  No descriptor on it is kept.
 */
int		 priv_pidfile(const char *path);

/*
 * At exit, as the serving user: remove the pidfile if it still holds our
 * pid.  That needs its folder to be writable by the user (/run/griotd/
 * from systemd's RuntimeDirectory=), and, with a chroot, the pidfile
 * inside it; otherwise the reason is logged and the file left.
 */
void		 priv_pidfile_remove(void);

/* "path" as seen from inside "chroot" (NULL: unchanged). */
const char	*priv_path(const char *chroot, const char *path);

#endif
