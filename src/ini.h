/* griot: griot.ini as text.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * griot.ini as text, and iniparser reading it.  iniparser is the one
 * parser of the values; this module reads the file whole, makes the
 * index of where each section and key stands (for messages only: one
 * pass over the lines the way iniparser 4.1 splits them, a '\' at the
 * end of a line joining the next one, "[name]" a section only when the
 * line ends with ']', names in lower case), and loads the dictionary.
 * config.c checks what it finds against the key table.
 */
#ifndef GRIOT_INI_H
#define GRIOT_INI_H

#include <stddef.h>

#if defined(HAVE_INIPARSER_INIPARSER_H)
#include <iniparser/iniparser.h>
#elif defined(HAVE_INIPARSER_H)
#include <iniparser.h>
#endif

#define INI_LINE_MAX	1023	/* iniparser 4.1's longest line, '\n' included */

#define INI_QUOTED	0x01	/* the value starts with a quote mark */
#define INI_CUT		0x02	/* an unquoted value holds ';' or '#' */
#define INI_NUL		0x04	/* a NUL byte in the line */
#define INI_NONAME	0x08	/* a "[]" line */
#define INI_BAD		0x10	/* neither section, key nor comment */
#define INI_LONG		0x20	/* longer than iniparser reads */
#define INI_DROPPED	0x40	/* still joining at the end: not an entry */

/*
 * One section line, key line or line iniparser cannot read.  "section"
 * is the section the line is in ("" before any); "key" is NULL on a
 * section line; "text" holds a bad line, for its message.
 */
struct ini_entry {
	char	*section;
	char	*key;
	char	*text;
	int	 line;
	int	 last;		/* its last line, when joined */
	int	 flags;
};

struct ini_index {
	struct ini_entry	*entries;
	size_t			 n;
};

/*
 * Read "path" whole into "*datap" (NUL-terminated, owned by the caller),
 * at most 16 MiB.  -1 with errno set.
 */
int		 ini_read_file(const char *path, char **datap, size_t *lenp);

/* The index of "data"; NULL when memory ran out.  Owned by the caller. */
struct ini_index *ini_index_new(const char *data, size_t len);
void		 ini_index_free(struct ini_index *);	/* NULL is fine */

/*
 * The line (from 1) of the last "key =" of "section" (the one iniparser
 * keeps), or of the last "[section]" line when "key" is NULL; 0 when the
 * text has none.  Keys before any section are in section "".
 */
int		 ini_index_line(const struct ini_index *, const char *section,
		    const char *key);

/* The next entry naming what entry "i" names, or NULL: the last counts. */
const struct ini_entry *ini_index_next(const struct ini_index *, size_t i);

/* Is line "line" part of a line the index found unreadable? */
int		 ini_is_unreadable(const struct ini_index *, int line);

/*
 * iniparser_load(path) with iniparser's own messages silenced (the index
 * says them); NULL when iniparser refused the file.
 */
dictionary	*ini_load(const char *path);

/*
 * The dictionary of "data" with the lines the index found unreadable
 * blanked, line numbers unchanged; NULL when that failed too.
 */
dictionary	*ini_load_readable(const struct ini_index *, const char *data,
		    size_t len);

#endif /* GRIOT_INI_H */
