/* griot: the names of a folder.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Reading a folder of the store or of the static pages into a sorted
 * list of names (dirlist.h): readdir(), the hidden files left out, qsort.
 */
#include "griot-config.h"

#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dirlist.h"

static int
dirlist_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "msg": "WHAT: REASON"; a message cut short is still a message. */
static void
dirlist_msg(char *msg, size_t msglen, const char *what, int e)
{
	int	 n;

	n = snprintf(msg, msglen, "%s%s%s", what, e != 0 ? ": " : "",
	    e != 0 ? strerror(e) : "");
	if (n < 0 && msglen > 0)
		msg[0] = '\0';
}

int
dirlist_is_listed(const char *name, const char *suffix)
{
	size_t	 n = strlen(name), m = strlen(suffix);

	return name[0] != '.' && n > m && strcmp(name + n - m, suffix) == 0;
}

void
dirlist_sort(char **names, size_t n)
{
	if (n > 0)
		qsort(names, n, sizeof(*names), dirlist_cmp);
}

void
dirlist_free(char **names, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
dirlist_read(int dirfd, const char *suffix, char ***namesp, size_t *np,
    char *msg, size_t msglen)
{
	DIR		*d = NULL;
	struct dirent	*de;
	char		**names = NULL, **nn, *s;
	size_t		 n = 0, cap = 0;
	int		 fd;

	*namesp = NULL;
	*np = 0;
	if ((fd = dup(dirfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		dirlist_msg(msg, msglen, "cannot read the folder", errno);
		if (fd != -1)
			close(fd);
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				dirlist_msg(msg, msglen,
				    "cannot read the folder", errno);
				goto fail;
			}
			break;
		}
		if (!dirlist_is_listed(de->d_name, suffix))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nn = reallocarray(names, cap,
			    sizeof(*names))) == NULL)
				goto nomem;
			names = nn;
		}
		if ((s = strdup(de->d_name)) == NULL)
			goto nomem;
		names[n++] = s;
	}
	closedir(d);
	dirlist_sort(names, n);
	*namesp = names;
	*np = n;
	return 0;
 nomem:
	dirlist_msg(msg, msglen, "out of memory", 0);
 fail:
	closedir(d);
	dirlist_free(names, n);
	return -1;
}
