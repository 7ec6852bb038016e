/* griot: griot.ini as text.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Reading griot.ini whole, the index of where its sections and keys
 * stand (for messages), and iniparser loading it (see ini.h).
 */

#include "griot-config.h"

#include <sys/mman.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ini.h"


static char *
ini_name(const char *s, const char *e)
{
	char	*name, *q;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if ((name = strndup(s, (size_t)(e - s))) == NULL)
		return NULL;
	for (q = name; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return name;
}

/* Add an entry; takes "key" and "text" even when it fails. */
static int
ini_add(struct ini_index *ix, const char *section, char *key,
    char *text, int line, int last, int flags)
{
	struct ini_entry	*ne, *e;

	ne = reallocarray(ix->entries, ix->n + 1, sizeof(*ix->entries));
	if (ne == NULL)
		goto fail;
	ix->entries = ne;
	e = &ne[ix->n];
	memset(e, 0, sizeof(*e));
	if ((e->section = strdup(section)) == NULL)
		goto fail;
	ix->n++;
	e->key = key;
	e->text = text;
	e->line = line;
	e->last = last;
	e->flags = flags;
	return 0;
 fail:
	free(key);
	free(text);
	return -1;
}

/*
 * Read one logical line from "*pp" into "buf": lines ending in '\' (after
 * trailing spaces) go on with the next one, the '\' giving way to it, as
 * in iniparser 4.1.  Lines holding a NUL byte are read as empty and
 * indexed as such.  A logical line still joining at the end of the file
 * is INI_DROPPED, as iniparser drops it.  Returns the length, or -1 when
 * memory ran out.
 */
static long
ini_join(struct ini_index *ix, const char **pp,
    const char *end, char *buf, int *lineno, int *flags)
{
	const char	*p = *pp, *nl;
	size_t		 n = 0, k;

	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		k = (size_t)(nl - p);
		++*lineno;
		if (memchr(p, '\0', k) != NULL) {
			if (ini_add(ix, "", NULL, NULL, *lineno,
			    *lineno, INI_NUL) == -1)
				return -1;
			k = 0;
		}
		if (n + k + 1 > INI_LINE_MAX) {
			*flags |= INI_LONG;
			k = INI_LINE_MAX - 1 - n;
		}
		memcpy(buf + n, p, k);
		n += k;
		p = nl < end ? nl + 1 : end;
		while (n > 0 && isspace((unsigned char)buf[n - 1]))
			n--;
		if (n == 0 || buf[n - 1] != '\\')
			break;
		if (p == end) {
			*flags |= INI_DROPPED;
			break;
		}
		n--;
	}
	buf[n] = '\0';
	*pp = p;
	return (long)n;
}

struct ini_index *
ini_index_new(const char *data, size_t len)
{
	struct ini_index	*ix;
	const char		*p = data, *end = data + len;
	char			 buf[INI_LINE_MAX + 1], *s, *e, *eq, *rb;
	char			*section = NULL, *key, *value, *text;
	int			 lineno = 0, first, flags;
	long			 n;

	if ((ix = calloc(1, sizeof(*ix))) == NULL ||
	    (section = strdup("")) == NULL)
		goto fail;
	while (p < end) {
		first = lineno + 1;
		flags = 0;
		if ((n = ini_join(ix, &p, end, buf, &lineno,
		    &flags)) == -1)
			goto fail;
		if (flags & INI_DROPPED)
			break;
		if (flags & INI_LONG) {
			if (ini_add(ix, section, NULL, NULL, first,
			    lineno, flags) == -1)
				goto fail;
			continue;
		}
		s = buf;
		e = buf + n;
		while (s < e && isspace((unsigned char)*s))
			s++;
		if (s == e || *s == ';' || *s == '#')
			continue;
		if (*s == '[' && e[-1] == ']') {
			rb = memchr(s, ']', (size_t)(e - s));
			if (rb == s + 1) {
				/*
				 * iniparser 4.1 keeps the section before,
				 * cut to the length of this line less one.
				 */
				if (strlen(section) > (size_t)(e - s) - 1)
					section[e - s - 1] = '\0';
				flags |= INI_NONAME;
			} else {
				free(section);
				if ((section = ini_name(s + 1, rb)) == NULL)
					goto fail;
			}
			if (ini_add(ix, section, NULL, NULL, first,
			    lineno, flags) == -1)
				goto fail;
			continue;
		}
		/* "%[^=] = ..." in iniparser: a key needs a name. */
		if ((eq = memchr(s, '=', (size_t)(e - s))) != NULL && eq > s) {
			value = eq + 1;
			while (value < e && isspace((unsigned char)*value))
				value++;
			if (*value == '"' || *value == '\'')
				flags |= INI_QUOTED;
			else if (strpbrk(value, ";#") != NULL)
				flags |= INI_CUT;
			if ((key = ini_name(s, eq)) == NULL ||
			    ini_add(ix, section, key, NULL, first,
			    lineno, flags) == -1)
				goto fail;
			continue;
		}
		if ((text = strndup(s, (size_t)(e - s))) == NULL ||
		    ini_add(ix, section, NULL, text, first,
		    lineno, INI_BAD) == -1)
			goto fail;
	}
	free(section);
	return ix;
 fail:
	free(section);
	ini_index_free(ix);
	return NULL;
}

void
ini_index_free(struct ini_index *ix)
{
	size_t	 i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->n; i++) {
		free(ix->entries[i].section);
		free(ix->entries[i].key);
		free(ix->entries[i].text);
	}
	free(ix->entries);
	free(ix);
}

/* Do "a" and "b" name the same section line, or the same key? */
static int
ini_is_same_name(const struct ini_entry *a, const struct ini_entry *b)
{
	if ((a->flags | b->flags) & (INI_BAD | INI_LONG | INI_NUL))
		return 0;
	if (strcmp(a->section, b->section) != 0)
		return 0;
	if (a->key == NULL || b->key == NULL)
		return a->key == b->key;
	return strcmp(a->key, b->key) == 0;
}

/* The next entry naming what entry "i" names, or NULL: the last counts. */
const struct ini_entry *
ini_index_next(const struct ini_index *ix, size_t i)
{
	size_t	 j;

	for (j = i + 1; j < ix->n; j++)
		if (ini_is_same_name(&ix->entries[i], &ix->entries[j]))
			return &ix->entries[j];
	return NULL;
}

int
ini_index_line(const struct ini_index *ix, const char *section,
    const char *key)
{
	const struct ini_entry	*e;
	size_t				 i;
	int				 line = 0;

	for (i = 0; i < ix->n; i++) {
		e = &ix->entries[i];
		if (e->flags & (INI_BAD | INI_LONG | INI_NUL))
			continue;
		if (strcmp(e->section, section) == 0 && (key == NULL ?
		    e->key == NULL : e->key != NULL && strcmp(e->key, key) == 0))
			line = e->line;
	}
	return line;
}

int
ini_read_file(const char *path, char **datap, size_t *lenp)
{
	FILE	*fp;
	char	*data = NULL, *nd;
	size_t	 len = 0, cap = 0, n;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	for (;;) {
		if (cap - len < 4096) {
			if (cap > 16 * 1024 * 1024) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 8192;
			if ((nd = realloc(data, cap)) == NULL)
				goto fail;
			data = nd;
		}
		n = fread(data + len, 1, cap - len - 1, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp))
				goto fail;
			break;
		}
	}
	fclose(fp);
	data[len] = '\0';
	*datap = data;
	*lenp = len;
	return 0;
 fail:
	free(data);
	fclose(fp);
	return -1;
}

/* iniparser's own messages would go to stderr: the index says them. */
static int
ini_quiet(const char *fmt, ...)
{
	return 0;
}

/* Is line "line" part of a line the index found unreadable? */
int
ini_is_unreadable(const struct ini_index *ix, int line)
{
	size_t	 i;

	for (i = 0; i < ix->n; i++)
		if ((ix->entries[i].flags & (INI_BAD | INI_LONG | INI_NUL)) &&
		    ix->entries[i].line <= line && line <= ix->entries[i].last)
			return 1;
	return 0;
}

/*
 * After a line it cannot read, iniparser 4.1 returns no dictionary, and
 * it reads only from a path.  Yet griot.ini(5) promises every problem at
 * once ("a syntax error does not hide the other problems", as operators
 * fix a file in one round): so the values are read from a copy in a
 * memory file with the unreadable lines blanked, line numbers unchanged.
 * This is the one reason for the memory file.
 */
dictionary *
ini_load_readable(const struct ini_index *ix, const char *data,
    size_t len)
{
	dictionary	*d = NULL;
	const char	*p = data, *end = data + len, *nl;
	char		 name[64];
	FILE		*fp;
	int		 fd, line = 0, n;

	if ((fd = memfd_create("griot.ini", MFD_CLOEXEC)) == -1)
		return NULL;
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		return NULL;
	}
	for (; p < end; p = nl < end ? nl + 1 : end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (!ini_is_unreadable(ix, ++line))
			(void)fwrite(p, 1, (size_t)(nl - p), fp);
		(void)fputc('\n', fp);
	}
	n = snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	if (fflush(fp) == 0 && n > 0 && (size_t)n < sizeof(name))
		d = iniparser_load(name);
	fclose(fp);
	return d;
}

dictionary *
ini_load(const char *path)
{
	/*
	 * The callback is process-wide; setting the same function each time
	 * needs no lock, and griotd loads its ini in the main thread only.
	 */
	iniparser_set_error_callback(ini_quiet);
	return iniparser_load(path);
}
