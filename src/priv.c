/* griot: privileges.  Copyright (c) 2026 the griot developers; ISC licence. */
/* chroot, dropping root, the pidfile and daemonising, done once before the loop. */

#include "griot-config.h"

#include <sys/types.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "priv.h"

static int	 priv_pid_fd = -1;
static char	*priv_pid_path;
static int	 priv_chrooted;

int
priv_check(const struct conf *c)
{
	struct passwd	*pw;
	int		 root = geteuid() == 0;

	if (root && c->user == NULL) {
		if (config_allow_root()) {
			log_warnx("%s: [server] user: unset; running as root "
			    "because GRIOT_ALLOW_ROOT=1 (for test suites only)",
			    c->path);
			return 0;
		}
		log_warnx("%s: [server] user: unset, and griotd refuses to "
		    "keep running as root: set user (and group) to an "
		    "unprivileged account, or start griotd as that user "
		    "(test suites run as root: GRIOT_ALLOW_ROOT=1)", c->path);
		return -1;
	}
	if (c->user != NULL) {
		if ((pw = getpwnam(c->user)) == NULL) {
			log_warnx("%s: [server] user: no user \"%s\"", c->path,
			    c->user);
			return -1;
		}
		if (pw->pw_uid == 0) {
			log_warnx("%s: [server] user: %s is root, and griotd "
			    "refuses to keep running as root", c->path, c->user);
			return -1;
		}
		if (!root && pw->pw_uid != geteuid()) {
			log_warnx("%s: [server] user: cannot become %s: griotd "
			    "was not started as root", c->path, c->user);
			return -1;
		}
	}
	if (c->chroot != NULL && !root) {
		log_warnx("%s: [server] chroot: needs griotd to start as root",
		    c->path);
		return -1;
	}
	return 0;
}

int
priv_drop(const char *user, const char *group, const char *root)
{
	struct passwd	*pw;
	struct group	*gr;
	uid_t		 uid, ruid, euid, suid;
	gid_t		 gid, rgid, egid, sgid;

	if (geteuid() != 0) {
		if (root != NULL) {
			log_warnx("chroot %s: not started as root", root);
			return -1;
		}
		/* priv_check() made sure "user", if any, is who we are. */
		return 0;
	}
	if (user == NULL) {
		if (config_allow_root() && root == NULL)
			return 0;
		log_warnx("griotd refuses to keep running as root: set "
		    "[server] user");
		return -1;
	}
	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("user %s: no such user", user);
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0) {
		log_warnx("user %s is root: griotd refuses to keep running as "
		    "root", user);
		return -1;
	}
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL) {
			log_warnx("group %s: no such group", group);
			return -1;
		}
		gid = gr->gr_gid;
	}

	/* The passwd entry was read above: /etc may be gone after root. */
	if (root != NULL) {
		if (chroot(root) == -1) {
			log_warn("chroot %s", root);
			return -1;
		}
		if (chdir("/") == -1) {
			log_warn("chdir / in %s", root);
			return -1;
		}
		priv_chrooted = 1;
	}

	if (setgroups(1, &gid) == -1) {
		log_warn("setgroups");
		return -1;
	}
	if (setresgid(gid, gid, gid) == -1) {
		log_warn("setresgid %ld", (long)gid);
		return -1;
	}
	if (setresuid(uid, uid, uid) == -1) {
		log_warn("setresuid %ld", (long)uid);
		return -1;
	}

	/* Check, do not trust: every id changed, and uid 0 cannot come back. */
	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1) {
		log_warn("getresuid");
		return -1;
	}
	if (ruid != uid || euid != uid || suid != uid || rgid != gid ||
	    egid != gid || sgid != gid) {
		log_warnx("user %s: the user and group ids did not all change",
		    user);
		return -1;
	}
	if (setuid(0) != -1 || seteuid(0) != -1) {
		log_warnx("user %s: root could be regained after dropping it",
		    user);
		return -1;
	}
	/* No exec'd program could gain privileges either (griotd execs none). */
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	log_info("running as user %s (uid %ld, gid %ld)%s%s", user, (long)uid,
	    (long)gid, root != NULL ? ", root " : "",
	    root != NULL ? root : "");
	return 0;
}

int
priv_daemonise(void)
{
	pid_t	 pid;
	int	 fd;

	if ((pid = fork()) == -1) {
		log_warn("fork");
		return -1;
	}
	if (pid != 0)
		_exit(0);
	if (setsid() == -1) {
		log_warn("setsid");
		return -1;
	}
	/* A second fork: never a session leader, never a controlling tty. */
	if ((pid = fork()) == -1) {
		log_warn("fork");
		return -1;
	}
	if (pid != 0)
		_exit(0);
	if (chdir("/") == -1) {
		log_warn("chdir /");
		return -1;
	}
	if ((fd = open("/dev/null", O_RDWR)) == -1) {
		log_warn("/dev/null");
		return -1;
	}
	(void)dup2(fd, STDIN_FILENO);
	(void)dup2(fd, STDOUT_FILENO);
	(void)dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

int
priv_pidfile(const char *path)
{
	char	 buf[32];
	ssize_t	 n;
	int	 fd, len;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0644)) == -1) {
		log_warn("pidfile %s", path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK) {
			n = read(fd, buf, sizeof(buf) - 1);
			buf[n > 0 ? n : 0] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			log_warnx("pidfile %s: another griotd holds it (pid %s)",
			    path, buf[0] != '\0' ? buf : "unknown");
		} else
			log_warn("pidfile %s: lock", path);
		close(fd);
		return -1;
	}
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (len < 0 || (size_t)len >= sizeof(buf) ||
	    ftruncate(fd, 0) == -1 || pwrite(fd, buf, (size_t)len, 0) != len) {
		log_warn("pidfile %s: write", path);
		close(fd);
		return -1;
	}
	free(priv_pid_path);
	if ((priv_pid_path = strdup(path)) == NULL) {
		log_warn("pidfile");
		close(fd);
		return -1;
	}
	priv_pid_fd = fd;
	return 0;
}

void
priv_pidfile_remove(void)
{
	/*
	 * After chroot the path no longer names our file (and might name
	 * another one inside the chroot): leave it, the lock is gone with
	 * us and the next griotd rewrites it.
	 */
	if (priv_pid_path != NULL && !priv_chrooted)
		(void)unlink(priv_pid_path);
	free(priv_pid_path);
	priv_pid_path = NULL;
	if (priv_pid_fd != -1) {
		close(priv_pid_fd);
		priv_pid_fd = -1;
	}
}

const char *
priv_path(const char *chroot, const char *path)
{
	size_t	 n;

	if (chroot == NULL || path == NULL || strcmp(chroot, "/") == 0)
		return path;
	n = strlen(chroot);
	while (n > 1 && chroot[n - 1] == '/')
		n--;
	if (strncmp(path, chroot, n) != 0)
		return path;
	if (path[n] == '\0')
		return "/";
	if (path[n] == '/')
		return path + n;
	return path;
}
