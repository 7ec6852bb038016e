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
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "priv.h"

static char	*priv_pid_path;		/* as written, before any chroot */
static char	*priv_root;		/* the chroot we live in, or NULL */
static int	 priv_ready_fd = -1;	/* -d: the starting process waits */

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
		if ((priv_root = strdup(root)) == NULL) {
			log_warn("chroot");
			return -1;
		}
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
	ssize_t	 n;
	char	 c;
	int	 fd, ready[2];

	/* The starting process exits as the daemon's start-up went. */
	if (pipe2(ready, O_CLOEXEC) == -1) {
		log_warn("pipe");
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_warn("fork");
		return -1;
	}
	if (pid != 0) {
		close(ready[1]);
		do
			n = read(ready[0], &c, 1);
		while (n == -1 && errno == EINTR);
		if (n == 1 && c == 0)
			_exit(0);
		fprintf(stderr, "griotd: stopped while starting in the "
		    "background; its log says why\n");
		_exit(1);
	}
	close(ready[0]);
	priv_ready_fd = ready[1];
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

void
priv_daemonise_ready(void)
{
	char	 c = 0;

	if (priv_ready_fd == -1)
		return;
	/* A starting process gone already is no reason to stop serving. */
	if (write(priv_ready_fd, &c, 1) != 1)
		log_debug("-d: the starting process was not told: %s",
		    strerror(errno));
	close(priv_ready_fd);
	priv_ready_fd = -1;
}

/*
 * The first line of a small file, without its newline, in "buf".  Not
 * through a symbolic link, and never blocking on a FIFO.
 */
static int
priv_read_line(const char *path, char *buf, size_t size)
{
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (n = read(fd, buf, size - 1)) <= 0) {
		close(fd);
		return -1;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The pid in the pidfile "path", or 0 when there is none. */
static long
priv_pidfile_pid(const char *path)
{
	char	 buf[32], *end;
	long	 pid;

	if (priv_read_line(path, buf, sizeof(buf)) == -1)
		return 0;
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || *end != '\0' || pid <= 0)
		return 0;
	return pid;
}

/*
 * Is "pid" another running process of our program's name?  A pidfile
 * left by a griotd that died may name a pid now reused by another
 * program: that one does not count.
 */
static int
priv_is_griotd(long pid)
{
	char	 path[64], theirs[32], mine[32];
	int	 n;

	if (pid == (long)getpid())
		return 0;
	n = snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	if (priv_read_line(path, theirs, sizeof(theirs)) == -1 ||
	    priv_read_line("/proc/self/comm", mine, sizeof(mine)) == -1)
		return 0;
	return strcmp(theirs, mine) == 0;
}

int
priv_pidfile(const char *path)
{
	char	 buf[32], tmp[PATH_MAX];
	long	 other;
	int	 fd, len, n;

	if ((other = priv_pidfile_pid(path)) != 0 && priv_is_griotd(other)) {
		log_warnx("pidfile %s: another griotd holds it (pid %ld)",
		    path, other);
		return -1;
	}
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	n = snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	if (len < 0 || (size_t)len >= sizeof(buf) || n < 0 ||
	    (size_t)n >= sizeof(tmp)) {
		log_warnx("pidfile %s: the name is too long", path);
		return -1;
	}
	/*
	 * Written aside and renamed into place: whatever the serving user
	 * may have left at the name (a link to a file of root's) is
	 * replaced, never written through.  Readable by all (whatever the
	 * umask), so that the serving user can check it is ours at exit.
	 */
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1) {
		log_warn("pidfile %s", path);
		return -1;
	}
	if (fchmod(fd, 0644) == -1 || write(fd, buf, (size_t)len) != len) {
		log_warn("pidfile %s: write", tmp);
		close(fd);
		(void)unlink(tmp);
		return -1;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		log_warn("pidfile %s", path);
		(void)unlink(tmp);
		return -1;
	}
	free(priv_pid_path);
	if ((priv_pid_path = strdup(path)) == NULL) {
		log_warn("pidfile");
		return -1;
	}
	return 0;
}

void
priv_pidfile_remove(void)
{
	const char	*path = priv_pid_path;
	int		 e = errno;	/* for the caller's fatal() */

	if (path == NULL)
		return;
	/* Inside a chroot, the path is seen without its prefix. */
	if (priv_root != NULL && strcmp(priv_root, "/") != 0 &&
	    (path = priv_path(priv_root, priv_pid_path)) == priv_pid_path) {
		log_info("pidfile %s: outside chroot %s, so not removed",
		    priv_pid_path, priv_root);
		goto done;
	}
	/* Another griotd may have taken the name over: leave its file. */
	if (priv_pidfile_pid(path) != (long)getpid())
		goto done;
	if (unlink(path) == -1)
		log_warn("pidfile %s: not removed (the user griotd runs as "
		    "needs to own its folder, such as /run/griotd/)",
		    priv_pid_path);
 done:
	free(priv_pid_path);
	priv_pid_path = NULL;
	errno = e;
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
