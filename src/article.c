/* griot: one article file.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Reads and parses one article file (header, then gemtext-like body) into
 * a struct article, reporting every problem as "FILE:LINE: message".
 *
 * While parsing, every string of the article goes into one buffer of the
 * scratch space and is named by its offset; at the end the struct, its
 * arrays and that buffer become one allocation.  A scratch space kept
 * from file to file (article_load_scratch()) spares the allocator most
 * of the work when a store of many thousand files is loaded.
 */
#include "griot-config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "article.h"
#include "date.h"
#include "buf.h"
#include "text.h"

/* How much of a faulty header value a message quotes, in columns. */
#define ARTICLE_QUOTE_COLS	60
#define NONE			SIZE_MAX	/* no string */

/* A block while parsing: offsets of its strings in "strs". */
struct dblock {
	enum block_type	 type;
	size_t		 text, url, alt;
};

struct article_scratch {
	struct buf	 file;		/* the file as read */
	struct buf	 text;		/* the file sanitised */
	struct buf	 strs;		/* every string, NUL-ended */
	struct buf	 para;		/* the paragraph being joined */
	struct buf	 pre;		/* the preformatted block */
	struct buf	 tmp, tmp2, name;
	struct dblock	*blocks;
	size_t		 nblocks, capblocks;
	size_t		*authors;
	size_t		 nauthors, capauthors;
	size_t		*tags;
	size_t		 ntags, captags;
};

struct parser {
	struct article_scratch		*sc;
	const char			*name;	/* escaped, for messages */
	const struct article_opts	*opts;
	const struct article_report	*report;
	int				 errors;	/* refusing problems */
	int				 nomem;

	/* Counting lines of the raw file for invalid UTF-8 warnings. */
	const char			*raw;
	size_t				 rawlen;
	size_t				 rawpos;
	size_t				 rawline;

	/* Body state: a paragraph of one line is not copied. */
	int				 inpara;
	const char			*line1;		/* its only line */
	size_t				 line1len;
	int				 inpre;
	size_t				 prelines;
	size_t				 preline;	/* line of the fence */
	size_t				 prealt;

	/* Header. */
	size_t				 title, category, slug, summary, lang;
	size_t				 source;
	char				 date[11], time[6], month[8];
	time_t				 stamp;
	int				 draft;
};

static const struct article_opts article_defaults = { 0, 0 };

static void	 parser_report(struct parser *, int, size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 4, 5)));

/* A printable name for messages: controls, and bytes of a non-UTF-8 name, as \xHH. */
static int
name_display(struct buf *b, const char *name)
{
	const unsigned char	*p;
	int			 utf8;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			break;
	if (*p == '\0')	/* plain ASCII, the usual case */
		return buf_puts(b, name);
	utf8 = text_is_utf8(name, strlen(name));
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\' ||
		    (*p >= 0x80 && !utf8))
			buf_printf(b, "\\x%02x", *p);
		else
			buf_addc(b, *p);
	}
	if (b->data == NULL)
		buf_reserve(b, 0);
	return b->failed ? -1 : 0;
}

static void
report_line(const struct article_report *r, int error, const char *name,
    size_t line, const char *fmt, va_list ap)
{
	struct buf	 b = BUF_INIT;

	if (r == NULL || r->fn == NULL)
		return;
	buf_printf(&b, "%s:%zu: ", name, line);
	buf_vprintf(&b, fmt, ap);
	if (!b.failed)
		r->fn(r->arg, error, b.data);
	buf_release(&b);
}

static void	 report_name(const struct article_report *, int, const char *,
		    size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 5, 6)));

/* Report about a raw file name (escaped here). */
static void
report_name(const struct article_report *r, int error, const char *rawname,
    size_t line, const char *fmt, ...)
{
	struct buf	 n = BUF_INIT;
	va_list		 ap;

	if (r == NULL || r->fn == NULL)
		return;
	if (name_display(&n, rawname) == -1) {
		buf_release(&n);
		return;
	}
	va_start(ap, fmt);
	report_line(r, error, n.data, line, fmt, ap);
	va_end(ap);
	buf_release(&n);
}

void
article_report_line(const struct article_report *r, int error,
    const char *name, size_t line, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	report_line(r, error, name, line, fmt, ap);
	va_end(ap);
}

static void
parser_report(struct parser *p, int error, size_t line, const char *fmt, ...)
{
	va_list	 ap;

	if (error)
		p->errors++;
	va_start(ap, fmt);
	report_line(p->report, error, p->name, line, fmt, ap);
	va_end(ap);
}

int
article_is_valid_id(const char *s)
{
	size_t	 i;

	if (s == NULL || s[0] == '\0' || s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= ARTICLE_ID_MAX - 1)
			return 0;
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_')
			continue;
		if (s[i] == '.' && s[i + 1] != '.')
			continue;
		return 0;
	}
	return 1;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* Trim ASCII spaces and TABs at both ends of s[0..*lenp). */
static const char *
trim(const char *s, size_t *lenp)
{
	size_t	 len = *lenp;

	while (len > 0 && is_blank((unsigned char)s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_blank((unsigned char)s[len - 1]))
		len--;
	*lenp = len;
	return s;
}

/*
 * Append text with TAB turned into a space.  The input is sanitised
 * UTF-8, where the byte 0x09 can only be a TAB (never part of a
 * multibyte sequence), so this needs no UTF-8 decoding.
 */
static void
add_untabbed(struct buf *b, const char *s, size_t len)
{
	const char	*tab;

	while ((tab = memchr(s, '\t', len)) != NULL) {
		buf_add(b, s, (size_t)(tab - s));
		buf_addc(b, ' ');
		len -= (size_t)(tab - s) + 1;
		s = tab + 1;
	}
	buf_add(b, s, len);
}

/*
 * Add a text piece to the article's strings: TAB made a space, French
 * spacing when asked for.  Returns its offset, or NONE when memory ran
 * out.
 */
static size_t
str_text(struct parser *p, const char *s, size_t len, int spacing)
{
	struct buf	*strs = &p->sc->strs, *tmp = &p->sc->tmp;
	size_t		 off = strs->len;

	if (spacing && p->opts->french_spacing) {
		if (memchr(s, '\t', len) != NULL) {
			buf_reset(tmp);
			add_untabbed(tmp, s, len);
			if (tmp->failed)
				goto nomem;
			s = tmp->data;
			len = tmp->len;
		}
		if (text_french_spacing(strs, s, len) == -1)
			goto nomem;
	} else
		add_untabbed(strs, s, len);
	if (buf_addc(strs, '\0') == -1)
		goto nomem;
	return off;
 nomem:
	p->nomem = 1;
	return NONE;
}

/* Add bytes as they are. */
static size_t
str_raw(struct parser *p, const char *s, size_t len)
{
	struct buf	*strs = &p->sc->strs;
	size_t		 off = strs->len;

	if (buf_add(strs, s, len) == -1 || buf_addc(strs, '\0') == -1) {
		p->nomem = 1;
		return NONE;
	}
	return off;
}

/* One trimmed piece of a line (header value, heading, label...). */
static size_t
piece(struct parser *p, const char *s, size_t len, int spacing)
{
	s = trim(s, &len);
	return str_text(p, s, len, spacing);
}

static const char *
str_at(const struct parser *p, size_t off)
{
	return off == NONE ? NULL : p->sc->strs.data + off;
}

/* A value quoted in a message: shortened when long, never over one line. */
static const char *
quoted(struct parser *p, const char *s, size_t len)
{
	struct buf	*b = &p->sc->tmp2;

	buf_reset(b);
	if (text_fit(b, s, len, ARTICLE_QUOTE_COLS, TEXT_UTF8) == -1 ||
	    (b->data == NULL && buf_reserve(b, 0) == -1))
		return "";
	return b->data;
}

static struct dblock *
block_new(struct parser *p, enum block_type type)
{
	struct article_scratch	*sc = p->sc;
	struct dblock		*b;

	if (array_grow((void **)&sc->blocks, &sc->capblocks,
	    sc->nblocks + 1, sizeof(*sc->blocks), 8) == -1) {
		p->nomem = 1;
		return NULL;
	}
	b = &sc->blocks[sc->nblocks++];
	b->type = type;
	b->text = b->url = b->alt = NONE;
	return b;
}

/* Add a block whose text is the given line piece. */
static void
block_add(struct parser *p, enum block_type type, const char *s, size_t len)
{
	struct dblock	*b;
	size_t		 text;

	if ((text = piece(p, s, len, 1)) == NONE)
		return;
	if ((b = block_new(p, type)) != NULL)
		b->text = text;
}

static void
para_flush(struct parser *p)
{
	struct buf	*para = &p->sc->para;
	struct dblock	*b;
	size_t		 text;

	if (!p->inpara)
		return;
	if (p->line1 != NULL)
		text = str_text(p, p->line1, p->line1len, 1);
	else if (para->failed) {
		p->nomem = 1;
		text = NONE;
	} else
		text = str_text(p, para->data, para->len, 1);
	p->inpara = 0;
	p->line1 = NULL;
	if (text == NONE)
		return;
	if ((b = block_new(p, BLOCK_PARAGRAPH)) != NULL)
		b->text = text;
}

static void
pre_flush(struct parser *p)
{
	struct buf	*pre = &p->sc->pre;
	struct dblock	*b;
	size_t		 text;

	p->inpre = 0;
	if (pre->failed)
		p->nomem = 1;
	else if ((text = str_raw(p, pre->data != NULL ? pre->data : "",
	    pre->len)) != NONE && (b = block_new(p, BLOCK_PRE)) != NULL) {
		b->text = text;
		b->alt = p->prealt;
	}
	p->prealt = NONE;
	p->prelines = 0;
}

static void
link_add(struct parser *p, const char *s, size_t len, size_t lineno)
{
	struct dblock	*b;
	size_t		 u, url, label;

	s = trim(s, &len);
	for (u = 0; u < len && !is_blank((unsigned char)s[u]); u++)
		continue;
	if (u == 0) {
		parser_report(p, 0, lineno, "link line without a URL, ignored");
		return;
	}
	if ((url = str_raw(p, s, u)) == NONE ||
	    (label = piece(p, s + u, len - u, 1)) == NONE)
		return;
	if ((b = block_new(p, BLOCK_LINK)) != NULL) {
		b->url = url;
		b->text = label;
	}
}

static int
starts(const char *s, size_t len, const char *prefix)
{
	size_t	 n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

/* One line of the body (gemtext meaning, DESIGN.md "Article files"). */
static void
body_line(struct parser *p, const char *s, size_t len, size_t lineno)
{
	struct buf	*para = &p->sc->para, *pre = &p->sc->pre;
	size_t		 tl;

	if (p->inpre) {
		if (starts(s, len, "```")) {
			pre_flush(p);
			return;
		}
		if (p->prelines++ > 0)
			buf_addc(pre, '\n');
		buf_add(pre, s, len);
		return;
	}
	tl = len;
	(void)trim(s, &tl);
	if (tl == 0) {
		para_flush(p);
		return;
	}
	if (starts(s, len, "```")) {
		para_flush(p);
		p->inpre = 1;
		p->preline = lineno;
		p->prelines = 0;
		buf_reset(pre);
		p->prealt = piece(p, s + 3, len - 3, 0);
		return;
	}
	if (starts(s, len, "=>")) {
		para_flush(p);
		link_add(p, s + 2, len - 2, lineno);
	} else if (starts(s, len, "###")) {
		para_flush(p);
		block_add(p, BLOCK_HEADING3, s + 3, len - 3);
	} else if (starts(s, len, "##")) {
		para_flush(p);
		block_add(p, BLOCK_HEADING2, s + 2, len - 2);
	} else if (starts(s, len, "#")) {
		para_flush(p);
		block_add(p, BLOCK_HEADING1, s + 1, len - 1);
	} else if (starts(s, len, ">")) {
		para_flush(p);
		block_add(p, BLOCK_QUOTE, s + 1, len - 1);
	} else if (starts(s, len, "* ")) {
		para_flush(p);
		block_add(p, BLOCK_LIST, s + 2, len - 2);
	} else {
		/* Hard-wrapped lines of a paragraph: one space between. */
		s = trim(s, &len);
		if (!p->inpara) {
			p->inpara = 1;
			p->line1 = s;
			p->line1len = len;
			return;
		}
		if (p->line1 != NULL) {
			buf_reset(para);
			buf_add(para, p->line1, p->line1len);
			p->line1 = NULL;
		}
		buf_addc(para, ' ');
		buf_add(para, s, len);
	}
}

static void
body_end(struct parser *p)
{
	para_flush(p);
	if (p->inpre) {
		parser_report(p, 0, p->preline, "preformatted block never "
		    "closed by \"```\"; it runs to the end of the file");
		pre_flush(p);
	}
}

/*
 * What text_sanitize() repaired at "offset" of the raw file, as a
 * warning on its line (LF, CR LF and a lone CR each end one).
 */
static void
repaired(void *arg, size_t offset, enum text_repair what, uint32_t cp)
{
	struct parser	*p = arg;
	const char	*r = p->raw;
	size_t		 i;

	/* Offsets come in increasing order: count line ends once. */
	for (i = p->rawpos; i < offset; i++)
		if (r[i] == '\n' || (r[i] == '\r' &&
		    (i + 1 == p->rawlen || r[i + 1] != '\n')))
			p->rawline++;
	p->rawpos = i;
	switch (what) {
	case TEXT_REPAIR_UTF8:
		parser_report(p, 0, p->rawline, "invalid UTF-8 at byte %zu, "
		    "replaced by U+FFFD", offset);
		break;
	case TEXT_REPAIR_NONCHAR:
		parser_report(p, 0, p->rawline, "noncharacter U+%04X at byte "
		    "%zu (XML forbids it) replaced by U+FFFD", (unsigned int)cp,
		    offset);
		break;
	case TEXT_REPAIR_NUL:
		parser_report(p, 0, p->rawline, "NUL byte at byte %zu, made "
		    "a space", offset);
		break;
	case TEXT_REPAIR_BIDI:
		parser_report(p, 0, p->rawline, "bidirectional control "
		    "U+%04X at byte %zu dropped: it would show readers the "
		    "text in another order", (unsigned int)cp, offset);
		break;
	case TEXT_REPAIR_SEPARATOR:
		parser_report(p, 0, p->rawline, "U+%04X (%s separator) at "
		    "byte %zu made a space", (unsigned int)cp,
		    cp == 0x2028 ? "line" : "paragraph", offset);
		break;
	}
}

struct article_scratch *
article_scratch_new(void)
{
	return calloc(1, sizeof(struct article_scratch));
}

void
article_scratch_free(struct article_scratch *sc)
{
	if (sc == NULL)
		return;
	buf_release(&sc->file);
	buf_release(&sc->text);
	buf_release(&sc->strs);
	buf_release(&sc->para);
	buf_release(&sc->pre);
	buf_release(&sc->tmp);
	buf_release(&sc->tmp2);
	buf_release(&sc->name);
	free(sc->blocks);
	free(sc->authors);
	free(sc->tags);
	free(sc);
}

static int
parser_init(struct parser *p, struct article_scratch *sc, const char *name,
    const struct article_opts *opts, const struct article_report *report)
{
	memset(p, 0, sizeof(*p));
	p->sc = sc;
	p->opts = opts != NULL ? opts : &article_defaults;
	p->report = report;
	p->prealt = NONE;
	p->title = p->category = p->slug = p->summary = p->lang = NONE;
	p->source = NONE;
	buf_reset(&sc->strs);
	buf_reset(&sc->para);
	buf_reset(&sc->pre);
	buf_reset(&sc->name);
	sc->nblocks = sc->nauthors = sc->ntags = 0;
	if (name_display(&sc->name, name) == -1)
		return -1;
	p->name = sc->name.data;
	return 0;
}

/*
 * The whole file as sanitised UTF-8: BOM dropped, TAB kept, every line
 * end (LF, CR LF, a lone CR) one LF.
 */
static int
sanitize_file(struct parser *p, const char *data, size_t len)
{
	struct buf	*out = &p->sc->text;

	p->raw = data;
	p->rawlen = len;
	p->rawpos = 0;
	p->rawline = 1;
	buf_reset(out);
	if (buf_reserve(out, len) == -1 ||
	    text_sanitize(out, data, len, TEXT_DROP_BOM | TEXT_KEEP_NL |
	    TEXT_KEEP_TAB, repaired, p) == -1)
		return -1;
	return 0;
}

static int
digits(const char *s, size_t n)
{
	size_t	 i;
	int	 v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* What is wrong with a Date value, if anything. */
enum date_fault {
	DATE_OK,
	DATE_NOT_FORMAT,	/* not YYYY-MM-DD [HH:MM] */
	DATE_NO_DAY,		/* no such day in the calendar */
	DATE_NO_TIME		/* no such time of day */
};

/* Check a Date value and keep it in "p"; DATE_OK or what is wrong. */
static enum date_fault
parse_date(struct parser *p, const char *s, size_t len)
{
	static const int	 mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			 y, m, d, hh = 0, mm = 0, dim;

	if (len != 10 && len != 16)
		return DATE_NOT_FORMAT;
	if (s[4] != '-' || s[7] != '-' ||
	    (y = digits(s, 4)) < 0 || (m = digits(s + 5, 2)) < 0 ||
	    (d = digits(s + 8, 2)) < 0)
		return DATE_NOT_FORMAT;
	if (len == 16 && (s[10] != ' ' || s[13] != ':' ||
	    (hh = digits(s + 11, 2)) < 0 || (mm = digits(s + 14, 2)) < 0))
		return DATE_NOT_FORMAT;
	if (m < 1 || m > 12)
		return DATE_NO_DAY;
	dim = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		dim = 29;
	if (d < 1 || d > dim)
		return DATE_NO_DAY;
	if (hh > 23 || mm > 59)
		return DATE_NO_TIME;
	memcpy(p->date, s, 10);
	p->date[10] = '\0';
	memcpy(p->month, s, 7);
	p->month[7] = '\0';
	if (len == 16) {
		memcpy(p->time, s + 11, 5);
		p->time[5] = '\0';
	} else
		p->time[0] = '\0';
	p->stamp = (time_t)(date_days(y, m, d) * 86400LL +
	    hh * 3600LL + mm * 60LL);
	return DATE_OK;
}

/* Does s[0..len) equal "lit", ASCII case ignored? */
static int
str_ieq(const char *s, size_t len, const char *lit)
{
	size_t	 i;
	int	 c, d;

	if (strlen(lit) != len)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		d = (unsigned char)lit[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (d >= 'A' && d <= 'Z')
			d += 'a' - 'A';
		if (c != d)
			return 0;
	}
	return 1;
}

/* Tags: comma-separated, trimmed, empty and repeated ones left out. */
static int
tags_add(struct parser *p, const char *s, size_t len)
{
	struct article_scratch	*sc = p->sc;
	const char		*comma, *end = s + len;
	size_t			 i, t, mark;

	while (s <= end) {
		comma = memchr(s, ',', (size_t)(end - s));
		if (comma == NULL)
			comma = end;
		mark = sc->strs.len;
		if ((t = piece(p, s, (size_t)(comma - s), 0)) == NONE)
			return -1;
		for (i = 0; i < sc->ntags; i++)
			if (strcmp(str_at(p, sc->tags[i]), str_at(p, t)) == 0)
				break;
		if (*str_at(p, t) == '\0' || i < sc->ntags)
			buf_truncate(&sc->strs, mark);
		else {
			if (array_grow((void **)&sc->tags, &sc->captags,
			    sc->ntags + 1, sizeof(*sc->tags), 8) == -1)
				return -1;
			sc->tags[sc->ntags++] = t;
		}
		s = comma + 1;
	}
	return 0;
}

/*
 * A slug for the category: text_slug(), or when nothing ASCII is left
 * ("日本"), the hexadecimal UTF-8 bytes, so that it is never empty.
 */
static size_t
category_slug(struct parser *p, size_t name)
{
	struct buf		*tmp = &p->sc->tmp;
	const unsigned char	*u;
	const char		*s = str_at(p, name);

	buf_reset(tmp);
	if (text_slug(tmp, s, strlen(s)) == -1)
		goto nomem;
	if (tmp->len == 0)
		for (u = (const unsigned char *)s; *u != '\0'; u++)
			buf_printf(tmp, "%02x", *u);
	if (tmp->failed)
		goto nomem;
	return str_raw(p, tmp->data != NULL ? tmp->data : "", tmp->len);
 nomem:
	p->nomem = 1;
	return NONE;
}

enum hkey {
	HK_TITLE, HK_DATE, HK_AUTHOR, HK_CATEGORY, HK_TAGS, HK_SUMMARY,
	HK_LANG, HK_DRAFT, HK_SOURCE, HK_NKEYS
};

static const char *const hkey_names[HK_NKEYS] = {
	"Title", "Date", "Author", "Category", "Tags", "Summary", "Lang",
	"Draft", "Source"
};

/* A URL: a scheme (RFC 3986: a letter, then letters, digits, "+-."), ":", more, no space. */
static int
is_url(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < len && s[i] != ':'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '+' || s[i] == '-' || s[i] == '.'))
			return 0;
	if (i + 1 >= len)
		return 0;
	for (; i < len; i++)
		if (s[i] == ' ' || s[i] == '\t')
			return 0;
	return 1;
}

/*
 * One "Key: value" header line.  Returns 0, 1 when the line is no header
 * line (the body starts there), -1 on memory failure.
 */
static int
header_line(struct parser *p, const char *s, size_t len, size_t lineno,
    unsigned int *seen)
{
	struct article_scratch	*sc = p->sc;
	const char		*colon, *v;
	size_t			 klen, vlen, str;
	int			 k;
	enum date_fault		 fault;

	if ((colon = memchr(s, ':', len)) == NULL || colon == s)
		return 1;
	klen = (size_t)(colon - s);
	for (v = s; v < colon; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || *v == '-' || *v == '_'))
			return 1;
	v = colon + 1;
	vlen = len - klen - 1;
	v = trim(v, &vlen);

	for (k = 0; k < HK_NKEYS; k++)
		if (str_ieq(s, klen, hkey_names[k]) == 1)
			break;
	if (k == HK_NKEYS) {
		parser_report(p, 0, lineno, "unknown header \"%s\", ignored",
		    quoted(p, s, klen));
		return 0;
	}
	if (k != HK_AUTHOR && k != HK_TAGS && (*seen & (1U << k))) {
		parser_report(p, 0, lineno, "repeated \"%s:\" header ignored",
		    hkey_names[k]);
		return 0;
	}
	*seen |= 1U << k;
	if (vlen == 0) {
		if (k == HK_TITLE || k == HK_DATE)
			parser_report(p, 1, lineno, "empty \"%s:\" header",
			    hkey_names[k]);
		else if (k != HK_TAGS)
			parser_report(p, 0, lineno, "empty \"%s:\" header "
			    "ignored", hkey_names[k]);
		return 0;
	}

	switch (k) {
	case HK_TITLE:
		if ((p->title = piece(p, v, vlen, 1)) == NONE)
			return -1;
		break;
	case HK_DATE:
		if ((fault = parse_date(p, v, vlen)) == DATE_NOT_FORMAT)
			parser_report(p, 1, lineno, "Date \"%s\" is not "
			    "YYYY-MM-DD [HH:MM]", quoted(p, v, vlen));
		else if (fault == DATE_NO_DAY)
			parser_report(p, 1, lineno, "Date \"%s\" is not a "
			    "calendar date", quoted(p, v, vlen));
		else if (fault == DATE_NO_TIME)
			parser_report(p, 1, lineno, "Date \"%s\" has no such "
			    "time of day (00:00 to 23:59)", quoted(p, v, vlen));
		break;
	case HK_AUTHOR:
		if ((str = piece(p, v, vlen, 0)) == NONE ||
		    array_grow((void **)&sc->authors, &sc->capauthors,
		    sc->nauthors + 1, sizeof(*sc->authors), 8) == -1)
			return -1;
		sc->authors[sc->nauthors++] = str;
		break;
	case HK_CATEGORY:
		if ((p->category = piece(p, v, vlen, 0)) == NONE ||
		    (p->slug = category_slug(p, p->category)) == NONE)
			return -1;
		break;
	case HK_TAGS:
		if (tags_add(p, v, vlen) == -1)
			return -1;
		break;
	case HK_SUMMARY:
		if ((p->summary = piece(p, v, vlen, 1)) == NONE)
			return -1;
		break;
	case HK_LANG:
		if (!text_is_lang_tag(v, vlen)) {
			parser_report(p, 0, lineno, "Lang \"%s\" is not a "
			    "language tag such as \"fr\" or \"fr-TG\", ignored",
			    quoted(p, v, vlen));
			break;
		}
		if ((p->lang = str_raw(p, v, vlen)) == NONE)
			return -1;
		break;
	case HK_DRAFT:
		if (str_ieq(v, vlen, "yes") || str_ieq(v, vlen, "oui"))
			p->draft = 1;
		else if (str_ieq(v, vlen, "no") || str_ieq(v, vlen, "non"))
			p->draft = 0;
		else {
			parser_report(p, 0, lineno, "Draft \"%s\" is neither "
			    "yes nor no; the article is kept as a draft",
			    quoted(p, v, vlen));
			p->draft = 1;
		}
		break;
	case HK_SOURCE:
		/* A URL as written, never retypeset ("Source: AFP" is no URL). */
		if (!is_url(v, vlen)) {
			parser_report(p, 0, lineno, "Source \"%s\" is not a "
			    "URL (scheme:, no space), ignored", quoted(p, v, vlen));
			break;
		}
		if ((p->source = str_raw(p, v, vlen)) == NONE)
			return -1;
		break;
	default:
		break;
	}
	return 0;
}

/*
 * The parsed article in one allocation: the struct, its blocks, the
 * author and tag arrays, the id, then the strings as gathered.
 */
static struct article *
article_build(struct parser *p, const char *id, size_t filesize)
{
	struct article_scratch	*sc = p->sc;
	struct article		*a;
	struct block		*blocks;
	char			**authors, **tags, *idp, *strs;
	size_t			 size, idlen = strlen(id), i;

	size = sizeof(*a) + sc->nblocks * sizeof(*blocks) +
	    (sc->nauthors + sc->ntags) * sizeof(char *) + idlen + 1 +
	    sc->strs.len;
	if ((a = malloc(size)) == NULL)
		return NULL;
	memset(a, 0, sizeof(*a));
	blocks = (struct block *)(a + 1);
	authors = (char **)(blocks + sc->nblocks);
	tags = authors + sc->nauthors;
	idp = (char *)(tags + sc->ntags);
	strs = idp + idlen + 1;
	memcpy(idp, id, idlen + 1);
	if (sc->strs.len > 0)
		memcpy(strs, sc->strs.data, sc->strs.len);
#define AT(off)	((off) == NONE ? NULL : strs + (off))
	a->id = idp;
	a->title = AT(p->title);
	memcpy(a->date, p->date, sizeof(a->date));
	memcpy(a->time, p->time, sizeof(a->time));
	memcpy(a->month, p->month, sizeof(a->month));
	a->stamp = p->stamp;
	a->authors = sc->nauthors > 0 ? authors : NULL;
	for (i = 0; i < sc->nauthors; i++)
		authors[i] = AT(sc->authors[i]);
	a->nauthors = sc->nauthors;
	a->category = AT(p->category);
	a->category_slug = AT(p->slug);
	a->tags = sc->ntags > 0 ? tags : NULL;
	for (i = 0; i < sc->ntags; i++)
		tags[i] = AT(sc->tags[i]);
	a->ntags = sc->ntags;
	a->summary = AT(p->summary);
	a->lang = AT(p->lang);
	a->source = AT(p->source);
	a->draft = p->draft;
	a->blocks = sc->nblocks > 0 ? blocks : NULL;
	for (i = 0; i < sc->nblocks; i++) {
		blocks[i].type = sc->blocks[i].type;
		blocks[i].text = AT(sc->blocks[i].text);
		blocks[i].url = AT(sc->blocks[i].url);
		blocks[i].alt = AT(sc->blocks[i].alt);
	}
	a->nblocks = sc->nblocks;
	a->size = filesize;
#undef AT
	return a;
}

/* Parse the sanitised file in the scratch space. */
static struct article *
parse(struct parser *p, const char *id, const char *name, const char *data,
    size_t len)
{
	struct article	*a;
	const char	*s, *end, *nl;
	size_t		 lineno = 0, ll, tl;
	unsigned int	 seen = 0;
	int		 inheader = 1, r;

	if (sanitize_file(p, data, len) == -1)
		goto nomem;
	s = p->sc->text.data != NULL ? p->sc->text.data : "";
	end = s + p->sc->text.len;
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		ll = (size_t)((nl != NULL ? nl : end) - s);
		lineno++;
		if (inheader) {
			tl = ll;
			(void)trim(s, &tl);
			if (tl == 0)
				inheader = 0;
			else if ((r = header_line(p, s, ll, lineno,
			    &seen)) == -1)
				goto nomem;
			else if (r == 1) {
				parser_report(p, 0, lineno, "not a \"Key: "
				    "value\" header line: the body starts here "
				    "(a blank line should end the header)");
				inheader = 0;
				body_line(p, s, ll, lineno);
			}
		} else
			body_line(p, s, ll, lineno);
		if (p->nomem)
			goto nomem;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	body_end(p);
	if (p->nomem)
		goto nomem;
	if (!(seen & (1U << HK_TITLE)))
		parser_report(p, 1, 0, "missing \"Title:\" header");
	if (!(seen & (1U << HK_DATE)))
		parser_report(p, 1, 0, "missing \"Date:\" header");
	if (p->errors > 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((a = article_build(p, id, len)) == NULL)
		goto nomem;
	return a;
 nomem:
	report_name(p->report, 1, name, 0, "out of memory");
	errno = ENOMEM;
	return NULL;
}

struct article *
article_parse(const char *id, const char *name, const char *data, size_t len,
    const struct article_opts *opts, const struct article_report *report)
{
	struct article_scratch	*sc;
	struct parser		 p;
	struct article		*a = NULL;
	int			 saved;

	if ((sc = article_scratch_new()) == NULL ||
	    parser_init(&p, sc, name, opts, report) == -1) {
		report_name(report, 1, name, 0, "out of memory");
		article_scratch_free(sc);
		errno = ENOMEM;
		return NULL;
	}
	a = parse(&p, id, name, data, len);
	saved = errno;
	article_scratch_free(sc);
	errno = saved;
	return a;
}

int
article_parse_body(const char *name, const char *data, size_t len,
    const struct article_opts *opts, const struct article_report *report,
    struct block **blocksp, size_t *nblocksp, char **titlep)
{
	struct article_scratch	*sc;
	struct parser		 p;
	struct block		*blocks = NULL;
	const char		*s, *end, *nl;
	size_t			 i, lineno = 0, n = 0;

	*blocksp = NULL;
	*nblocksp = 0;
	if (titlep != NULL)
		*titlep = NULL;
	if ((sc = article_scratch_new()) == NULL ||
	    parser_init(&p, sc, name, opts, report) == -1 ||
	    sanitize_file(&p, data, len) == -1)
		goto nomem;
	s = sc->text.data != NULL ? sc->text.data : "";
	end = s + sc->text.len;
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		body_line(&p, s, (size_t)((nl != NULL ? nl : end) - s),
		    ++lineno);
		if (p.nomem)
			goto nomem;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	body_end(&p);
	if (p.nomem)
		goto nomem;
	/* Pages keep separately allocated blocks (article_blocks_free()). */
	if (sc->nblocks > 0 &&
	    (blocks = calloc(sc->nblocks, sizeof(*blocks))) == NULL)
		goto nomem;
	for (n = 0; n < sc->nblocks; n++) {
		blocks[n].type = sc->blocks[n].type;
		if ((blocks[n].text = strdup(str_at(&p,
		    sc->blocks[n].text))) == NULL ||
		    (sc->blocks[n].url != NONE && (blocks[n].url =
		    strdup(str_at(&p, sc->blocks[n].url))) == NULL) ||
		    (sc->blocks[n].alt != NONE && (blocks[n].alt =
		    strdup(str_at(&p, sc->blocks[n].alt))) == NULL)) {
			n++;
			goto nomem;
		}
	}
	if (titlep != NULL) {
		for (i = 0; i < n; i++)
			if (blocks[i].type == BLOCK_HEADING1)
				break;
		if (i < n && (*titlep = strdup(blocks[i].text)) == NULL)
			goto nomem;
	}
	*blocksp = blocks;
	*nblocksp = n;
	article_scratch_free(sc);
	return 0;

 nomem:
	report_name(report, 1, name, 0, "out of memory");
	article_blocks_free(blocks, n);
	article_scratch_free(sc);
	return -1;
}

/*
 * Read a file of the store into "b" (emptied first); its modification
 * time into "*mtime" when not NULL.
 */
static int
read_file(int dirfd, const char *name, size_t max,
    const struct article_report *report, struct buf *b, time_t *mtime)
{
	struct stat	 st;
	size_t		 want;
	ssize_t		 n;
	int		 fd, saved;

	buf_reset(b);
	if (max == 0)
		max = ARTICLE_SIZE_MAX;
	/*
	 * The name holds no "/" (callers check it), so O_NOFOLLOW keeps
	 * the open inside the folder; O_NONBLOCK keeps a FIFO from
	 * blocking the open.
	 */
	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		saved = errno;
		if (saved == ELOOP)
			report_name(report, 1, name, 0, "symbolic link "
			    "refused: not a regular file of the store");
		else
			report_name(report, 1, name, 0, "cannot open: %s",
			    strerror(saved));
		errno = EINVAL;
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		report_name(report, 1, name, 0, "fstat: %s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		report_name(report, 1, name, 0, "not a regular file");
		goto fail;
	}
	if (st.st_size < 0 || (unsigned long long)st.st_size > max) {
		report_name(report, 1, name, 0, "%lld bytes, over the limit "
		    "of %zu bytes", (long long)st.st_size, max);
		goto fail;
	}
	if (mtime != NULL)
		*mtime = st.st_mtim.tv_sec;
	/* The size may change while we read: read at most what fstat said. */
	want = (size_t)st.st_size;
	if (buf_reserve(b, want) == -1) {
		report_name(report, 1, name, 0, "out of memory");
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	while (b->len < want) {
		n = read(fd, b->data + b->len, want - b->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			report_name(report, 1, name, 0, "read: %s",
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	b->data[b->len] = '\0';
	close(fd);
	return 0;
 fail:
	close(fd);
	errno = EINVAL;
	return -1;
}

int
article_read(int dirfd, const char *name, size_t max,
    const struct article_report *report, char **datap, size_t *lenp)
{
	struct buf	 b = BUF_INIT;

	*datap = NULL;
	*lenp = 0;
	if (read_file(dirfd, name, max, report, &b, NULL) == -1) {
		buf_release(&b);
		return -1;
	}
	if ((*datap = buf_detach(&b, lenp)) == NULL) {
		report_name(report, 1, name, 0, "out of memory");
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

struct article *
article_load_scratch(struct article_scratch *sc, int dirfd, const char *name,
    const struct article_opts *opts, const struct article_report *report)
{
	struct parser	 p;
	struct article	*a;
	size_t		 nlen;
	time_t		 mtime = 0;
	char		 id[ARTICLE_ID_MAX];

	nlen = strlen(name);
	if (nlen > 4 && strcmp(name + nlen - 4, ".txt") == 0)
		nlen -= 4;
	if (nlen >= sizeof(id)) {
		id[0] = '\0';		/* too long: refused below */
	} else {
		memcpy(id, name, nlen);
		id[nlen] = '\0';
	}
	if (!article_is_valid_id(id)) {
		report_name(report, 1, name, 0, "file name refused: an "
		    "article id has only ASCII letters, digits, \"-\", \"_\" "
		    "and \".\" (not first, never \"..\"), at most %d bytes",
		    ARTICLE_ID_MAX - 1);
		errno = EINVAL;
		return NULL;
	}
	if (opts == NULL)
		opts = &article_defaults;
	if (read_file(dirfd, name, opts->max_size, report, &sc->file,
	    &mtime) == -1)
		return NULL;
	if (parser_init(&p, sc, name, opts, report) == -1) {
		report_name(report, 1, name, 0, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	if ((a = parse(&p, id, name, sc->file.data, sc->file.len)) != NULL)
		a->mtime = mtime;
	return a;
}

struct article *
article_load(int dirfd, const char *name, const struct article_opts *opts,
    const struct article_report *report)
{
	struct article_scratch	*sc;
	struct article		*a;
	int			 saved;

	if ((sc = article_scratch_new()) == NULL) {
		report_name(report, 1, name, 0, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	a = article_load_scratch(sc, dirfd, name, opts, report);
	saved = errno;
	article_scratch_free(sc);
	errno = saved;
	return a;
}

void
article_blocks_free(struct block *b, size_t n)
{
	size_t	 i;

	if (b == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(b[i].text);
		free(b[i].url);
		free(b[i].alt);
	}
	free(b);
}

/* An article is one allocation (article_build()). */
void
article_free(struct article *a)
{
	free(a);
}
