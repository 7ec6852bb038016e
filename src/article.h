/* griot: one article file.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * An article file (DESIGN.md "Article files", man/griot-article.5) parsed
 * into a struct article.  All strings are sanitised UTF-8 in NFC, owned by
 * the article, with French spacing already applied where the options ask
 * (never inside preformatted blocks or URLs).
 */
#ifndef GRIOT_ARTICLE_H
#define GRIOT_ARTICLE_H

#include <stddef.h>
#include <time.h>

#define ARTICLE_ID_MAX		128		/* an id fits char[ARTICLE_ID_MAX] */
#define ARTICLE_SIZE_MAX	(1024 * 1024)	/* default file size limit */

enum block_type {
	BLOCK_PARAGRAPH,	/* text: hard-wrapped lines joined by one space */
	BLOCK_HEADING1,		/* text, without the "# " */
	BLOCK_HEADING2,
	BLOCK_HEADING3,
	BLOCK_QUOTE,		/* text of one "> " line, without the marker */
	BLOCK_LIST,		/* text of one "* " item */
	BLOCK_LINK,		/* url and (possibly empty) text label */
	BLOCK_PRE		/* text: lines joined by "\n", alt: after ``` */
};

struct block {
	enum block_type	 type;
	char		*text;	/* never NULL */
	char		*url;	/* BLOCK_LINK only, else NULL */
	char		*alt;	/* BLOCK_PRE only (may be ""), else NULL */
};

struct article {
	char		*id;		/* file name without ".txt" */
	char		*title;
	char		 date[11];	/* "YYYY-MM-DD" */
	char		 time[6];	/* "HH:MM" or "" */
	char		 month[8];	/* "YYYY-MM" */
	time_t		 stamp;		/* date and time as UTC, for sorting */
	char		**authors;
	size_t		 nauthors;
	char		*category;	/* NULL when absent */
	char		*category_slug;	/* NULL when absent */
	char		**tags;
	size_t		 ntags;
	char		*summary;	/* NULL when absent */
	char		*lang;		/* NULL when absent: the capsule's */
	char		*source;	/* Source: the original's URL, or NULL */
	int		 draft;
	struct block	*blocks;
	size_t		 nblocks;
	size_t		 size;		/* bytes of the source file */
	time_t		 mtime;		/* the file's modification time, or 0
					   (article_parse()) */
};

/*
 * Problems are reported as one line each, already formatted as
 * "FILE:LINE: message" (LINE 0 when it concerns the whole file); "error"
 * is 1 when the article is refused, 0 for a warning.
 */
struct article_report {
	void	(*fn)(void *arg, int error, const char *msg);
	void	 *arg;
};

/* Report "NAME:LINE: " and the rest to "r" (NULL, or no fn: nothing). */
void	 article_report_line(const struct article_report *r, int error,
	    const char *name, size_t line, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 5, 6)));

struct article_opts {
	int	 french_spacing;
	size_t	 max_size;	/* 0: ARTICLE_SIZE_MAX */
};

/*
 * Is "name" usable as an id: [A-Za-z0-9._-], 1 to ARTICLE_ID_MAX - 1
 * bytes, not starting with ".", no ".."?
 */
int	 article_is_valid_id(const char *);

/*
 * Parse an article from memory.  "name" is used in messages (the file
 * name); "id" becomes the article's id.  Returns NULL when the article
 * is refused (the reasons reported; errno EINVAL) or memory ran out
 * (errno ENOMEM).
 */
struct article	*article_parse(const char *id, const char *name,
		    const char *data, size_t len,
		    const struct article_opts *, const struct article_report *);

/*
 * Open "name" relative to the store directory "dirfd" (no symlinks, a
 * regular file, within the size limit), read and parse it.  The id is
 * the name without ".txt"; a name that cannot be an id is refused.
 * Returns NULL as article_parse() does.
 */
struct article	*article_load(int dirfd, const char *name,
		    const struct article_opts *, const struct article_report *);

/*
 * Scratch space for loading many articles in a row (one per thread):
 * its buffers are kept from one file to the next.  The articles do not
 * depend on it.
 */
struct article_scratch;
struct article_scratch	*article_scratch_new(void);
void			 article_scratch_free(struct article_scratch *);
struct article		*article_load_scratch(struct article_scratch *,
			    int dirfd, const char *name,
			    const struct article_opts *,
			    const struct article_report *);

/*
 * Read "name" in the folder "dirfd" the way article_load() does: no "/"
 * in it (the caller checks), no symbolic link, a regular file of at most
 * "max" bytes (0: ARTICLE_SIZE_MAX).  On success *datap is a malloc'd,
 * NUL-terminated copy of *lenp bytes; on failure the reason is reported
 * and -1 returned.
 */
int	 article_read(int dirfd, const char *name, size_t max,
	    const struct article_report *, char **datap, size_t *lenp);

/*
 * Parse only a gemtext body (static pages in capsule/pages/): the blocks
 * and the first level-1 heading as title (NULL when none).
 */
int	 article_parse_body(const char *name, const char *data, size_t len,
	    const struct article_opts *, const struct article_report *,
	    struct block **blocksp, size_t *nblocksp, char **titlep);

/*
 * An article from article_parse() or article_load() is one allocation
 * (the struct, then its arrays and strings): article_free() frees it
 * whole, and is only for those.  article_blocks_free() frees the blocks
 * of article_parse_body().
 */
void	 article_free(struct article *);
void	 article_blocks_free(struct block *, size_t);

#endif
