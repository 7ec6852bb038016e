/* griot: the names of a folder.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The files of a store or pages folder as store.c reads them: the names
 * with one suffix, hidden ones left out, sorted by strcmp().  Returns
 * messages, never logs nor reports.
 */
#ifndef GRIOT_DIRLIST_H
#define GRIOT_DIRLIST_H

#include <stddef.h>

#define DIRLIST_MSG_MAX		256

/*
 * The names "*SUFFIX" of the open folder "dirfd" (not closed, nor moved:
 * it is read through a duplicate), sorted, as a new array of new strings
 * (dirlist_free()).  Returns 0, or -1 with "msg" set ("cannot read the
 * folder: REASON", "out of memory").
 */
int	 dirlist_read(int dirfd, const char *suffix, char ***namesp,
	    size_t *np, char *msg, size_t msglen);

/* Would dirlist_read() list "name": not hidden and ending in "suffix"? */
int	 dirlist_is_listed(const char *name, const char *suffix);

/* Sort "n" names as dirlist_read() does. */
void	 dirlist_sort(char **names, size_t n);

/* Free the array and its "n" names; NULL is fine. */
void	 dirlist_free(char **names, size_t n);

#endif
