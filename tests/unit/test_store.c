/* griot: unit tests of the store snapshot and the search.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Loads the sample and torture stores and temporary ones, and checks
 * order, look-ups, categories, months, pages, messages, search ranking
 * (against a brute-force scan on a store big enough for several threads)
 * and reference counting.
 */

#include "griot-config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "search.h"
#include "store.h"
#include "tap.h"
#include "text.h"

static void
collect(void *arg, int error, const char *msg)
{
	struct buf	*b = arg;

	buf_puts(b, error ? "E " : "W ");
	buf_puts(b, msg);
	buf_addc(b, '\n');
}

static int
data_path(char *path, size_t size, const char *sub)
{
	const char	*data = getenv("GRIOT_TESTDATA"), *top;
	int		 n;

	if (data != NULL)
		n = snprintf(path, size, "%s/%s", data, sub);
	else {
		top = getenv("top_srcdir");
		n = snprintf(path, size, "%s/tests/data/%s",
		    top != NULL ? top : ".", sub);
	}
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static struct store *
open_store(const char *dir, const char *pages, int french, struct buf *msgs,
    struct store_stats *st)
{
	struct store_opts	 opts;
	struct article_report	 r = { collect, msgs };

	memset(&opts, 0, sizeof(opts));
	opts.dir = dir;
	opts.pages = pages;
	opts.french_spacing = french;
	buf_reset(msgs);
	buf_puts(msgs, "");
	return store_open(&opts, &r, st);
}

/* Ids of a list of articles, one a line. */
static void
ids(struct buf *b, const struct article *const *a, size_t n)
{
	size_t	 i;

	buf_reset(b);
	buf_puts(b, "");
	for (i = 0; i < n; i++)
		buf_printf(b, "%s\n", a[i]->id);
}

static void
search_ids(struct buf *b, const struct store *s, const char *q, size_t max,
    size_t *totalp)
{
	const struct article	*res[64];

	if (max > 64)
		max = 64;
	if (store_search(s, q, strlen(q), res, max, totalp) == -1)
		*totalp = 0;
	ids(b, res, *totalp < max ? *totalp : max);
}

static void
test_samples(void)
{
	char				 dir[PATH_MAX], pages[PATH_MAX];
	struct buf			 msgs = BUF_INIT, got = BUF_INIT;
	struct store_stats		 st;
	struct store			*s;
	const struct article		*list[16] = { NULL };
	const struct store_category	*c;
	const struct store_month	*m;
	const struct store_page		*pg;
	size_t				 i, n;

	if (data_path(dir, sizeof(dir), "articles") == -1 ||
	    data_path(pages, sizeof(pages), "pages") == -1)
		return;
	s = open_store(dir, pages, 1, &msgs, &st);
	ok(s != NULL, "sample store opens");
	if (s == NULL) {
		printf("# %s", msgs.data);
		buf_release(&msgs);
		return;
	}
	is_str(msgs.data, "", NULL, "sample store: no message");
	is_int(st.loaded, 7, "7 articles loaded");
	is_int(st.drafts, 0, "no draft");
	is_int(st.skipped, 0, "none skipped");
	is_int(st.warnings, 0, "no warning");
	is_int(st.pages, 1, "1 page");

	n = store_count(s);
	is_int(n, 7, "store_count");
	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++)
		list[i] = store_article_at(s, i);
	ids(&got, list, n);
	is_str(got.data,
	    "2026-02-01-incendie-marche-hedzranawoe\n"
	    "2026-02-01-reddition-de-comptes-adjamagbo-johnson\n"
	    "2026-02-01-coniia-renaji-gabon-ia\n"
	    "2026-01-30-epl-premiers-diplomes\n"
	    "2026-01-30-tragedie-routiere-rn1-sorad\n"
	    "2026-01-30-grands-lacs-gnassingbe-kigali\n"
	    "2024-11-28-gpsa-paix-securite\n", NULL, "newest first");
	ok(store_article_at(s, 7) == NULL, "past the end: NULL");
	for (i = 0; i < n; i++)
		ok(store_article_get(s, list[i]->id) == list[i],
		    "get %s", list[i]->id);
	ok(store_article_get(s, "2026-02-01") == NULL, "unknown id: NULL");
	ok(store_article_get(s, "") == NULL, "empty id: NULL");

	buf_reset(&got);
	for (i = 0; i < store_ncategories(s); i++) {
		c = store_category_at(s, i);
		buf_printf(&got, "%s %s %zu\n", c->slug, c->name, c->narticles);
	}
	is_str(got.data, "a-la-une A la une 1\neducation Éducation 1\n"
	    "politique Politique 2\nsociete Société 2\n"
	    "technologie Technologie 1\n", NULL, "categories by slug");
	c = store_category_get(s, "politique");
	ok(c != NULL, "category politique");
	if (c != NULL) {
		ids(&got, c->articles, c->narticles);
		is_str(got.data,
		    "2026-02-01-reddition-de-comptes-adjamagbo-johnson\n"
		    "2026-01-30-grands-lacs-gnassingbe-kigali\n", NULL,
		    "category articles newest first");
	}
	ok(store_category_get(s, "Politique") == NULL, "slugs are exact");
	ok(store_category_get(s, "sport") == NULL, "unknown category: NULL");

	buf_reset(&got);
	for (i = 0; i < store_nmonths(s); i++) {
		m = store_month_at(s, i);
		buf_printf(&got, "%s %zu\n", m->month, m->narticles);
	}
	is_str(got.data, "2026-02 3\n2026-01 3\n2024-11 1\n", NULL,
	    "months newest first");
	m = store_month_get(s, "2026-01");
	ok(m != NULL && m->narticles == 3 &&
	    strcmp(m->articles[0]->id, "2026-01-30-epl-premiers-diplomes") == 0,
	    "month 2026-01");
	ok(store_month_get(s, "2024-11") != NULL, "month 2024-11");
	ok(store_month_get(s, "2025-01") == NULL, "month without article");

	is_int(store_npages(s), 1, "store_npages");
	pg = store_page_get(s, "a-propos");
	ok(pg != NULL && pg == store_page_at(s, 0), "page a-propos");
	if (pg != NULL) {
		is_str(pg->title, "À propos", NULL, "page title");
		ok(strncmp(pg->source, "# À propos\n\ngriot publie", 24) == 0,
		    "page source as read");
		ok(pg->nblocks == 7 && pg->blocks[6].type == BLOCK_LINK,
		    "page blocks");
	}
	ok(store_page_get(s, "absent") == NULL, "unknown page: NULL");

	search_ids(&got, s, "securite", 10, &n);
	is_str(got.data, "2024-11-28-gpsa-paix-securite\n", "securite",
	    "securite finds the GPSA article");
	search_ids(&got, s, "SÉCURITÉ", 10, &n);
	is_str(got.data, "2024-11-28-gpsa-paix-securite\n", "SÉCURITÉ",
	    "upper case and accents fold");
	search_ids(&got, s, "diplo", 10, &n);
	is_str(got.data, "2026-01-30-epl-premiers-diplomes\n"
	    "2024-11-28-gpsa-paix-securite\n", "diplo",
	    "prefix diplo: diplômés in a title first, then GPSA (diplomatie)");
	search_ids(&got, s, "lome", 10, &n);
	is_str(got.data, "2026-01-30-epl-premiers-diplomes\n"
	    "2024-11-28-gpsa-paix-securite\n", "lome",
	    "title hit before a newer body hit... and then body hits");
	search_ids(&got, s, "vendredi", 10, &n);
	is_str(got.data, "2026-01-30-epl-premiers-diplomes\n"
	    "2026-01-30-tragedie-routiere-rn1-sorad\n"
	    "2026-01-30-grands-lacs-gnassingbe-kigali\n", "vendredi",
	    "body hits newest first");
	search_ids(&got, s, "paix togo", 10, &n);
	is_str(got.data, "2024-11-28-gpsa-paix-securite\n", "paix togo",
	    "two words: AND");
	search_ids(&got, s, "paix kigali", 10, &n);
	is_str(got.data, "", "paix kigali", "two words never together: none");
	search_ids(&got, s, "Moïse", 10, &n);
	is_str(got.data, "2024-11-28-gpsa-paix-securite\n", "Moïse",
	    "authors are searched");
	search_ids(&got, s, "technologie", 10, &n);
	is_str(got.data, "2026-02-01-coniia-renaji-gabon-ia\n", "technologie",
	    "categories are searched");
	search_ids(&got, s, "GPSA", 10, &n);
	is_str(got.data, "2024-11-28-gpsa-paix-securite\n", "GPSA",
	    "tags are searched");
	{
		const struct article	*res[4];
		size_t			 total = 99;

		search_fail_next(1);
		is_int(store_search(s, "securite", 8, res, 4, &total), -1,
		    "store_search out of memory: -1, not 'none found'");
		is_int(total, 0, "... and a total of 0");
		is_int(store_search(s, "securite", 8, res, 4, &total), 0,
		    "the next search succeeds");
		is_int(total, 1, "... finding the GPSA article");
	}
	search_ids(&got, s, "", 10, &n);
	ok(n == 0 && got.len == 0, "empty query: nothing");
	search_ids(&got, s, " ,;:!? ", 10, &n);
	ok(n == 0 && got.len == 0, "punctuation only: nothing");
	search_ids(&got, s, "s\xff\xfe\xc3", 10, &n);
	ok(1, "invalid UTF-8 in a query does not crash (%zu)", n);
	search_ids(&got, s, "de", 2, &n);
	ok(n > 2 && got.len > 0 && strchr(got.data, '\n') !=
	    strrchr(got.data, '\n'), "total counts every match, max "
	    "bounds the list (%zu)", n);
	search_ids(&got, s, "l", 10, &n);
	is_int(n, 4, "one-letter word: whole word only (the 4 with l’)");
	search_ids(&got, s, "zzz", 10, &n);
	is_int(n, 0, "no such word");

	ok(store_ref(s) == s, "store_ref returns the snapshot");
	store_unref(s);
	ok(store_count(s) == 7, "still held after one unref");
	store_unref(s);
	store_unref(NULL);
	ok(1, "unref of the last reference frees (ASan checks)");
	buf_release(&msgs);
	buf_release(&got);
}

static void
test_torture(void)
{
	char			 dir[PATH_MAX];
	struct buf		 msgs = BUF_INIT, got = BUF_INIT;
	struct store_stats	 st;
	struct store		*s;
	const struct article	*list[8], *a;
	const struct store_category *c;
	size_t			 i, n;

	if (data_path(dir, sizeof(dir), "torture") == -1)
		return;
	s = open_store(dir, NULL, 1, &msgs, &st);
	ok(s != NULL, "torture store opens");
	if (s == NULL) {
		printf("# %s", msgs.data);
		buf_release(&msgs);
		return;
	}
	is_str(msgs.data,
	    "W 2025-03-15-octets-invalides.txt:1: invalid UTF-8 at byte 27, replaced by U+FFFD\n"
	    "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 104, replaced by U+FFFD\n"
	    "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 112, replaced by U+FFFD\n"
	    "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 113, replaced by U+FFFD\n"
	    "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 138, replaced by U+FFFD\n"
	    "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 160, replaced by U+FFFD\n"
	    "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 170, replaced by U+FFFD\n"
	    "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 175, replaced by U+FFFD\n"
	    "W 2025-03-15-octets-invalides.txt:5: invalid UTF-8 at byte 208, replaced by U+FFFD\n"
	    "E 2025-03-16-sans-titre.txt:0: missing \"Title:\" header\n"
	    "E 2025-03-17-date-invalide.txt:2: Date \"17/03/2025\" is not "
	    "YYYY-MM-DD [HH:MM]\n"
	    "E Sécurité à Lomé.txt:0: file name refused: an article id has "
	    "only ASCII letters, digits, \"-\", \"_\" and \".\" (not first, "
	    "never \"..\"), at most 127 bytes\n", NULL,
	    "torture: refusals and warnings named, in file order");
	is_int(st.loaded, 3, "torture: 3 published");
	is_int(st.drafts, 1, "torture: 1 draft");
	is_int(st.skipped, 3, "torture: 3 refused");
	is_int(st.warnings, 9, "torture: 9 warnings");
	n = store_count(s);
	for (i = 0; i < n && i < 8; i++)
		list[i] = store_article_at(s, i);
	ids(&got, list, n);
	is_str(got.data, "2025-03-19-paragraphes-et-preformate\n"
	    "2025-03-15-octets-invalides\n2025-03-14-typographie\n", NULL,
	    "torture: the others served, newest first");
	ok(store_article_get(s, "2025-03-20-brouillon") == NULL,
	    "the draft is never published");
	search_ids(&got, s, "brouillon", 10, &n);
	is_int(n, 0, "the draft is not searchable");
	ok(store_article_get(s, "2025-03-16-sans-titre") == NULL &&
	    store_article_get(s, "2025-03-17-date-invalide") == NULL,
	    "refused articles are not served");
	c = store_category_get(s, "societe");
	ok(c != NULL && c->narticles == 3 && strcmp(c->name, "Société") == 0,
	    "torture: one category, societe");

	a = store_article_get(s, "2025-03-19-paragraphes-et-preformate");
	ok(a != NULL && a->nblocks == 7, "paragraphes: 7 blocks");
	if (a != NULL && a->nblocks == 7) {
		ok(a->blocks[0].type == BLOCK_PARAGRAPH && strstr(a->blocks[0].text,
		    "courriel, et doit") != NULL, "hard-wrapped paragraph joined");
		ok(a->blocks[1].type == BLOCK_HEADING2, "heading kept");
		ok(a->blocks[2].type == BLOCK_QUOTE, "quote kept");
		ok(a->blocks[3].type == BLOCK_LIST &&
		    a->blocks[4].type == BLOCK_LIST, "list kept");
		is_str(a->blocks[5].text, "Ville      | Température\n"
		    "-----------+------------\nLomé       | 31 °C\n"
		    "Kara       | 34 °C", NULL, "preformatted block byte for byte");
		is_str(a->blocks[5].alt, "tableau", NULL, "alt text");
	}
	a = store_article_get(s, "2025-03-15-octets-invalides");
	ok(a != NULL && strstr(a->title, "\xef\xbf\xbd") != NULL,
	    "octets-invalides served with U+FFFD");

	search_ids(&got, s, "OEUVRE", 10, &n);
	is_str(got.data, "2025-03-14-typographie\n", "OEUVRE",
	    "OEUVRE finds œuvre");
	search_ids(&got, s, "coeurs", 10, &n);
	is_str(got.data, "2025-03-14-typographie\n", "coeurs", "coeurs finds cœurs");
	search_ids(&got, s, "creme brulee", 10, &n);
	is_str(got.data, "2025-03-14-typographie\n", "creme brulee",
	    "decomposed accents fold too");
	search_ids(&got, s, "temperature", 10, &n);
	is_str(got.data, "2025-03-19-paragraphes-et-preformate\n"
	    "2025-03-14-typographie\n", "temperature",
	    "preformatted text is searched too");
	store_unref(s);
	buf_release(&msgs);
	buf_release(&got);
}

static int
write_file(const char *dir, const char *name, const char *s)
{
	char	 path[PATH_MAX];
	FILE	*fp;
	int	 n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path) || (fp = fopen(path, "w")) == NULL)
		return -1;
	fputs(s, fp);
	return fclose(fp);
}

static void
rm_tree(const char *dir)
{
	char		 path[PATH_MAX];
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path))
			continue;
		if (unlink(path) == -1)
			rmdir(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Many categories (more than the first size of store_categories()'s
 * table) and many ties of date, with file names whose order is not the
 * ids' ("t001-b.txt" sorts before "t001.txt", "t001" before "t001-b"):
 * the list, the categories and the look-ups against what they must be,
 * worked out here from the articles alone.
 */
#define ORDER_ARTICLES	600
#define ORDER_CATS	150

static void
test_order(void)
{
	char			 tmpl[] = "/tmp/griot-test-order.XXXXXX";
	char			 name[64], text[256];
	struct buf		 msgs = BUF_INIT;
	struct store_stats	 st;
	struct store		*s;
	const struct article	*a, *b, *first;
	const struct store_category *c, *prev = NULL;
	size_t			 i, k, n, bad;
	int			 cmp;

	if (mkdtemp(tmpl) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	for (i = 0; i < ORDER_ARTICLES; i++) {
		tap_snprintf(name, sizeof(name), "t%03zu%s.txt", i / 2,
		    i % 2 ? "-b" : "");
		/* Ten dates only: ties everywhere.  Case varies, not slugs. */
		tap_snprintf(text, sizeof(text), "Title: Article %zu\n"
		    "Date: 2025-03-%02zu\nCategory: %s %03zu\n\nTexte.\n",
		    i, 1 + (i * 7) % 10, i % 3 ? "Rubrique" : "RUBRIQUE",
		    (i * 13) % ORDER_CATS);
		write_file(tmpl, name, text);
	}
	s = open_store(tmpl, NULL, 0, &msgs, &st);
	ok(s != NULL, "order: the store opens");
	if (s == NULL)
		goto done;
	is_int(store_count(s), ORDER_ARTICLES, "order: every article loaded");
	for (i = 1, bad = 0; i < store_count(s); i++) {
		a = store_article_at(s, i - 1);
		b = store_article_at(s, i);
		if (a->stamp < b->stamp || (a->stamp == b->stamp &&
		    strcmp(a->id, b->id) >= 0))
			bad++;
	}
	is_int(bad, 0, "order: newest first, ties by id ascending");
	for (i = 0, bad = 0; i < store_count(s); i++) {
		a = store_article_at(s, i);
		if (store_article_get(s, a->id) != a)
			bad++;
	}
	is_int(bad, 0, "order: every id found");
	is_int(store_ncategories(s), ORDER_CATS, "order: one category a slug");
	for (k = 0, bad = 0; k < store_ncategories(s); k++, prev = c) {
		c = store_category_at(s, k);
		if (prev != NULL && strcmp(prev->slug, c->slug) >= 0)
			bad++;
		if (store_category_get(s, c->slug) != c)
			bad++;
		/* Its articles: the list's of its slug, in list order. */
		first = NULL;
		for (i = n = 0; i < store_count(s); i++) {
			a = store_article_at(s, i);
			if (strcmp(a->category_slug, c->slug) != 0)
				continue;
			if (first == NULL)
				first = a;
			if (n >= c->narticles || c->articles[n] != a)
				bad++;
			n++;
		}
		if (n != c->narticles || first == NULL ||
		    strcmp(c->name, first->category) != 0)
			bad++;
	}
	is_int(bad, 0, "order: categories by slug, each newest first, named "
	    "as in its newest article");
	cmp = 0;
	for (k = 0; k < store_ncategories(s); k++)
		cmp += (int)store_category_at(s, k)->narticles;
	is_int(cmp, ORDER_ARTICLES, "order: every article in one category");
	store_unref(s);
 done:
	rm_tree(tmpl);
	buf_release(&msgs);
}

/* Ranking, slug merging, ignored and refused files, in a temporary store. */
static void
test_temp(void)
{
	char			 tmpl[] = "/tmp/griot-test-store.XXXXXX";
	char			 path[PATH_MAX];
	struct buf		 msgs = BUF_INIT, got = BUF_INIT;
	struct store_stats	 st;
	struct store		*s;
	const struct store_category *c;
	size_t			 n, i;

	if (mkdtemp(tmpl) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	write_file(tmpl, "a.txt", "Title: Autre chose\nDate: 2025-01-03\n"
	    "Category: SOCIÉTÉ\n\nLa paix revient, dit-on.\n");
	write_file(tmpl, "b.txt", "Title: La paix\nDate: 2025-01-01\n"
	    "Category: Société\n\nRien d'autre.\n");
	write_file(tmpl, "c.txt", "Title: Rien\nDate: 2025-01-02\n"
	    "Category: societe\n\nPaix et sécurité.\n");
	write_file(tmpl, "d.txt", "Title: Paix et sécurité\nDate: 2024-12-31\n"
	    "Category: Économie\n\nTexte.\n");
	write_file(tmpl, "e.txt", "Title: Sécurité d’abord\nDate: 2025-01-05\n"
	    "Category: Économie\n\nEt la paix.\n");
	write_file(tmpl, ".cache.txt", "garbage");
	write_file(tmpl, ".#a.txt", "garbage");
	write_file(tmpl, "a.txt~", "garbage");
	write_file(tmpl, "a.txt.tmp", "garbage");
	write_file(tmpl, "notes.md", "garbage");
	write_file(tmpl, "x.tmp", "garbage");
	tap_snprintf(path, sizeof(path), "%s/lien.txt", tmpl);
	ok(symlink("/etc/passwd", path) == 0, "symlink lien.txt");
	tap_snprintf(path, sizeof(path), "%s/sous.txt", tmpl);
	ok(mkdir(path, 0755) == 0, "folder sous.txt");

	s = open_store(tmpl, NULL, 0, &msgs, &st);
	ok(s != NULL, "temporary store opens");
	if (s == NULL)
		goto done;
	is_str(msgs.data, "E lien.txt:0: symbolic link refused: not a regular "
	    "file of the store\nE sous.txt:0: not a regular file\n", NULL,
	    "hidden files and temporaries ignored silently, others reported");
	is_int(st.loaded, 5, "5 loaded");
	is_int(st.skipped, 2, "2 refused");

	buf_reset(&got);
	for (i = 0; i < store_ncategories(s); i++) {
		c = store_category_at(s, i);
		buf_printf(&got, "%s [%s] %zu\n", c->slug, c->name,
		    c->narticles);
	}
	is_str(got.data, "economie [Économie] 2\nsociete [SOCIÉTÉ] 3\n", NULL,
	    "one slug, one category, named as in its newest article");

	search_ids(&got, s, "paix", 10, &n);
	is_str(got.data, "b\nd\ne\na\nc\n", "paix",
	    "title hits first (newest first), then body hits newest first");
	search_ids(&got, s, "paix securite", 10, &n);
	is_str(got.data, "d\ne\nc\n", "paix securite",
	    "both words in the title, then one, then none; every word needed");
	search_ids(&got, s, "pai secu", 10, &n);
	is_str(got.data, "d\ne\nc\n", "pai secu", "prefixes");
	search_ids(&got, s, "revient paix", 10, &n);
	is_str(got.data, "a\n", "revient paix", "words in any order");
	search_ids(&got, s, "paix paix PAIX", 10, &n);
	is_str(got.data, "b\nd\ne\na\nc\n", "paix paix PAIX", "repeated words");
	search_ids(&got, s, "paix", 2, &n);
	ok(n == 5 && strcmp(got.data, "b\nd\n") == 0, "max 2 of 5");
	search_ids(&got, s, "paix", 0, &n);
	is_int(n, 5, "max 0 still counts");
	store_unref(s);

	s = open_store("/nonexistent/griot", NULL, 0, &msgs, &st);
	ok(s == NULL, "missing store folder: NULL");
	is_str(msgs.data, "E /nonexistent/griot:0: cannot open the store: No "
	    "such file or directory\n", NULL, "missing store folder reported");
 done:
	rm_tree(tmpl);
	buf_release(&msgs);
	buf_release(&got);
}

/*
 * A store big enough for several parsing and indexing threads, checked
 * against a brute-force search.
 */
static const char *const vocab[] = {
	"paix", "sécurité", "Lomé", "Kara", "œuvre", "cœur", "école",
	"élève", "marché", "président", "présidente", "présidence", "gouvernement",
	"économie", "santé", "route", "routière", "pluie", "récolte", "maïs",
	"ignames", "port", "portail", "porte", "sport", "football", "Éperviers",
	"journalistes", "intelligence", "artificielle", "numérique", "énergie",
	"solaire", "eau", "université", "diplômés", "commerce", "coton", "café",
	"cacao", "de", "la", "le", "et", "à", "des", "un", "une", "l’", "d’",
};
#define NVOCAB	(sizeof(vocab) / sizeof(vocab[0]))
#define NBIG	1300

static unsigned int
rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245U + 12345U;
	return (*seed >> 16) & 0x7fff;
}

struct wordset {
	char	**w;
	size_t	  n;
};

static int
add_word(void *arg, const char *w, size_t len)
{
	struct wordset	*ws = arg;

	ws->w = reallocarray(ws->w, ws->n + 1, sizeof(*ws->w));
	ws->w[ws->n++] = strndup(w, len);
	return 0;
}

static void
words_of(struct wordset *ws, const char *s)
{
	if (s != NULL)
		text_words(s, strlen(s), add_word, ws);
}

static void
wordset_free(struct wordset *ws)
{
	size_t	 i;

	for (i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
	memset(ws, 0, sizeof(*ws));
}

static int
has_prefix(const struct wordset *ws, const char *q)
{
	size_t	 i, n = strlen(q);

	for (i = 0; i < ws->n; i++)
		if (n == 1 ? strcmp(ws->w[i], q) == 0 :
		    strncmp(ws->w[i], q, n) == 0)
			return 1;
	return 0;
}

/* The expected ids of a query of folded words, ranked. */
static size_t
brute(const struct store *s, struct wordset *q, struct buf *out, size_t max)
{
	const struct article	*a;
	struct wordset		 all = { NULL, 0 }, title = { NULL, 0 };
	size_t			 i, j, k, total = 0, score, nq = q->n;
	size_t			 shown = 0;
	struct buf		 lists[9];

	for (k = 0; k <= nq; k++)
		buf_init(&lists[k]);
	for (i = 0; i < store_count(s); i++) {
		a = store_article_at(s, i);
		words_of(&title, a->title);
		words_of(&all, a->title);
		words_of(&all, a->summary);
		words_of(&all, a->category);
		for (j = 0; j < a->ntags; j++)
			words_of(&all, a->tags[j]);
		for (j = 0; j < a->nauthors; j++)
			words_of(&all, a->authors[j]);
		for (j = 0; j < a->nblocks; j++) {
			words_of(&all, a->blocks[j].text);
			words_of(&all, a->blocks[j].alt);
		}
		for (k = score = 0; k < nq; k++) {
			if (!has_prefix(&all, q->w[k]))
				break;
			score += has_prefix(&title, q->w[k]);
		}
		if (k == nq) {
			total++;
			buf_printf(&lists[score], "%s\n", a->id);
		}
		wordset_free(&all);
		wordset_free(&title);
	}
	buf_reset(out);
	buf_puts(out, "");
	for (k = nq + 1; k-- > 0;) {
		const char *p = lists[k].data, *nl;

		while (p != NULL && shown < max && (nl = strchr(p, '\n')) != NULL) {
			buf_add(out, p, (size_t)(nl - p) + 1);
			shown++;
			p = nl + 1;
		}
		buf_release(&lists[k]);
	}
	return total;
}

static void *
ref_worker(void *arg)
{
	struct store	*s = arg;
	int		 i;

	for (i = 0; i < 1000; i++)
		store_unref(store_ref(s));
	store_unref(s);
	return NULL;
}

static void
test_big(void)
{
	static const char *const queries[] = {
		"paix", "securite lome", "pre", "port", "porte", "de", "l",
		"a", "oeuvre coeur", "ecole eleve marche", "presid",
		"route routiere", "cafe cacao coton", "zz", "sport foot",
		"d eau", "artificielle intelligence", "la le et",
		"energie solaire numerique universite",
	};
	char			 tmpl[] = "/tmp/griot-test-big.XXXXXX";
	char			 name[64];
	struct buf		 text = BUF_INIT, msgs = BUF_INIT, got = BUF_INIT,
				 want = BUF_INIT;
	struct store_stats	 st;
	struct store		*s;
	struct wordset		 q;
	pthread_t		 t[2];
	unsigned int		 seed = 42;
	size_t			 i, j, n, total, wtotal;
	int			 mismatch = 0;

	if (mkdtemp(tmpl) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	for (i = 0; i < NBIG; i++) {
		buf_reset(&text);
		buf_puts(&text, "Title:");
		for (j = 0, n = 1 + rnd(&seed) % 4; j < n; j++)
			buf_printf(&text, " %s", vocab[rnd(&seed) % NVOCAB]);
		buf_printf(&text, "\nDate: 20%02u-%02u-%02u\nCategory: %s\n\n",
		    10 + rnd(&seed) % 15, 1 + rnd(&seed) % 12,
		    1 + rnd(&seed) % 28, vocab[rnd(&seed) % 8]);
		for (j = 0, n = rnd(&seed) % 40; j < n; j++)
			buf_printf(&text, "%s%s", vocab[rnd(&seed) % NVOCAB],
			    j % 9 == 8 ? "\n" : " ");
		tap_snprintf(name, sizeof(name), "art-%04zu.txt", i);
		write_file(tmpl, name, text.data);
	}
	s = open_store(tmpl, NULL, 0, &msgs, &st);
	ok(s != NULL && st.loaded == NBIG, "big store: %d articles", NBIG);
	if (s == NULL)
		goto done;
	for (i = 1; i < store_count(s); i++)
		if (store_article_at(s, i - 1)->stamp < store_article_at(s, i)->stamp ||
		    (store_article_at(s, i - 1)->stamp == store_article_at(s, i)->stamp &&
		    strcmp(store_article_at(s, i - 1)->id,
		    store_article_at(s, i)->id) > 0))
			mismatch++;
	is_int(mismatch, 0, "big store: sorted newest first, then id");
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		memset(&q, 0, sizeof(q));
		words_of(&q, queries[i]);
		/* The same words, deduplicated, as the index does. */
		for (j = 1; j < q.n; j++) {
			size_t k;

			for (k = 0; k < j; k++)
				if (strcmp(q.w[k], q.w[j]) == 0)
					break;
			if (k < j) {
				free(q.w[j]);
				q.w[j--] = q.w[--q.n];
			}
		}
		wtotal = brute(s, &q, &want, 20);
		wordset_free(&q);
		search_ids(&got, s, queries[i], 20, &total);
		ok(total == wtotal, "big store: \"%s\" counts %zu (want %zu)",
		    queries[i], total, wtotal);
		is_str(got.data, want.data, queries[i], "big store: ranking");
	}

	/* Threads taking and dropping references. */
	store_ref(s);
	store_ref(s);
	ok(pthread_create(&t[0], NULL, ref_worker, s) == 0 &&
	    pthread_create(&t[1], NULL, ref_worker, s) == 0,
	    "two threads share the snapshot");
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	ok(store_count(s) == NBIG, "still ours after the threads");
	store_unref(s);
 done:
	rm_tree(tmpl);
	buf_release(&text);
	buf_release(&msgs);
	buf_release(&got);
	buf_release(&want);
}

/*
 * Articles of many different words, so that the index builders invert
 * their (word, article) pairs in several chunks; and ids whose order is
 * not their file names' ("c-0007-b" after "c-0007", its file before).
 */
static void
test_chunks(void)
{
	static const char *const queries[] = {
		"mot7", "mot12", "ete3", "mot1 ete2", "ete", "mot2999",
		"mot100 mot200", "c", "mot5 mot6 ete7", "zz",
	};
	char			 tmpl[] = "/tmp/griot-test-chunks.XXXXXX";
	char			 name[64];
	struct buf		 text = BUF_INIT, msgs = BUF_INIT, got = BUF_INIT,
				 want = BUF_INIT;
	struct store_stats	 st;
	struct store		*s;
	struct wordset		 q;
	unsigned int		 seed = 7;
	size_t			 i, j, k, total, wtotal, nart = 1400, missing = 0;

	if (mkdtemp(tmpl) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	for (i = 0; i < nart; i++) {
		buf_reset(&text);
		buf_printf(&text, "Title: mot%u \xC3\xA9t\xC3\xA9%u\n"
		    "Date: 2025-%02zu-%02zu\n\n", rnd(&seed) % 3000,
		    rnd(&seed) % 300, 1 + i % 12, 1 + i % 28);
		for (j = 0; j < 140; j++)
			buf_printf(&text, j % 3 ? "mot%u%s" : "\xC3\xA9t\xC3\xA9%u%s",
			    rnd(&seed) % (j % 3 ? 3000 : 300),
			    j % 10 == 9 ? "\n" : " ");
		tap_snprintf(name, sizeof(name), i % 100 == 7 ? "c-%04zu-b.txt" :
		    "c-%04zu.txt", i - (i % 100 == 7));
		write_file(tmpl, name, text.data);
	}
	s = open_store(tmpl, NULL, 0, &msgs, &st);
	ok(s != NULL && st.loaded == nart, "chunks store: %zu articles", nart);
	if (s == NULL)
		goto done;
	for (i = 0; i < nart; i++) {
		tap_snprintf(name, sizeof(name), i % 100 == 7 ? "c-%04zu-b" :
		    "c-%04zu", i - (i % 100 == 7));
		if (store_article_get(s, name) == NULL && missing++ == 0)
			printf("# not found: %s\n", name);
	}
	is_int(missing, 0, "chunks store: every id found");
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		memset(&q, 0, sizeof(q));
		words_of(&q, queries[i]);
		for (j = 1; j < q.n; j++) {
			for (k = 0; k < j; k++)
				if (strcmp(q.w[k], q.w[j]) == 0)
					break;
			if (k < j) {
				free(q.w[j]);
				q.w[j--] = q.w[--q.n];
			}
		}
		wtotal = brute(s, &q, &want, 30);
		wordset_free(&q);
		search_ids(&got, s, queries[i], 30, &total);
		ok(total == wtotal, "chunks store: \"%s\" counts %zu (want %zu)",
		    queries[i], total, wtotal);
		is_str(got.data, want.data, queries[i], "chunks store: ranking");
	}
	store_unref(s);
 done:
	rm_tree(tmpl);
	buf_release(&text);
	buf_release(&msgs);
	buf_release(&got);
	buf_release(&want);
}

/*
 * What a snapshot serves, as text: the list newest first, the categories
 * and the months with their articles, the pages, and the ranked results
 * of a few queries.  Two snapshots of the same files must give the same.
 */
static void
snapshot_text(struct buf *b, const struct store *s)
{
	static const char *const queries[] = {
		"paix", "securite lome", "pre", "l", "oeuvre coeur", "nouveau",
		"change", "ete marche",
	};
	const struct article		*res[30];
	const struct store_category	*c;
	const struct store_month	*m;
	size_t				 i, j, n, total;

	buf_reset(b);
	buf_puts(b, "list:");
	for (i = 0; i < store_count(s); i++)
		buf_printf(b, " %s", store_article_at(s, i)->id);
	for (i = 0; i < store_ncategories(s); i++) {
		c = store_category_at(s, i);
		buf_printf(b, "\ncategory %s (%s):", c->slug, c->name);
		for (j = 0; j < c->narticles; j++)
			buf_printf(b, " %s", c->articles[j]->id);
	}
	for (i = 0; i < store_nmonths(s); i++) {
		m = store_month_at(s, i);
		buf_printf(b, "\nmonth %s:", m->month);
		for (j = 0; j < m->narticles; j++)
			buf_printf(b, " %s", m->articles[j]->id);
	}
	for (i = 0; i < store_npages(s); i++)
		buf_printf(b, "\npage %s", store_page_at(s, i)->name);
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		if (store_search(s, queries[i], strlen(queries[i]), res, 30,
		    &total) == -1) {
			buf_printf(b, "\nsearch %s: out of memory", queries[i]);
			continue;
		}
		buf_printf(b, "\nsearch %s: %zu:", queries[i], total);
		n = total < 30 ? total : 30;
		for (j = 0; j < n; j++)
			buf_printf(b, " %s", res[j]->id);
	}
	buf_addc(b, '\n');
}

#define NUPD	500		/* articles to start with */
#define NOPS	100		/* changes, one update each */

/* A random article; "mark" is a word only it has, when not NULL. */
static void
random_article(struct buf *text, unsigned int *seed, const char *mark)
{
	size_t	 j, n;

	buf_reset(text);
	buf_puts(text, "Title:");
	for (j = 0, n = 1 + rnd(seed) % 4; j < n; j++)
		buf_printf(text, " %s", vocab[rnd(seed) % NVOCAB]);
	buf_printf(text, "\nDate: 20%02u-%02u-%02u\nCategory: %s\n\n",
	    10 + rnd(seed) % 15, 1 + rnd(seed) % 12, 1 + rnd(seed) % 28,
	    vocab[rnd(seed) % 10]);
	if (mark != NULL)
		buf_printf(text, "%s ", mark);
	for (j = 0, n = rnd(seed) % 40; j < n; j++)
		buf_printf(text, "%s%s", vocab[rnd(seed) % NVOCAB],
		    j % 9 == 8 ? "\n" : " ");
	buf_addc(text, '\n');
}

/*
 * store_update() against store_open() of the same files, after each of
 * many random changes (new, changed, unchanged, removed, renamed, made a
 * draft or invalid), with a small delta so that the search base is
 * rebuilt now and then; and the articles not touched are the very same
 * objects in both snapshots.
 */
static void
test_update(void)
{
	char			 tmpl[] = "/tmp/griot-test-update.XXXXXX";
	char			 pages[PATH_MAX], name[64], name2[64], path[PATH_MAX];
	char			 path2[PATH_MAX], mark[32];
	const char		*names[2];
	struct buf		 text = BUF_INIT, msgs = BUF_INIT, got = BUF_INIT,
				 want = BUF_INIT;
	struct article_report	 r = { collect, &msgs };
	struct store_opts	 opts;
	struct store_stats	 st;
	struct store		*s, *u, *fresh;
	const struct article	*a, *b;
	unsigned int		 seed = 7;
	size_t			 i, k, nnames, moved = 0, same = 0, diff = 0;
	int			 op, mismatch = 0, notshared = 0, copied = 0;
	int			 inserted = 0;

	if (mkdtemp(tmpl) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(pages, sizeof(pages), "%s/pages", tmpl);
	for (i = 0; i < NUPD; i++) {
		random_article(&text, &seed, NULL);
		snprintf(name, sizeof(name), "u-%04zu.txt", i);
		write_file(tmpl, name, text.data);
	}
	memset(&opts, 0, sizeof(opts));
	opts.dir = tmpl;
	opts.delta_max = 25;
	buf_puts(&msgs, "");
	s = store_open(&opts, &r, &st);
	ok(s != NULL && st.loaded == NUPD, "update: %d articles", NUPD);
	if (s == NULL)
		goto done;
	for (i = 0; i < NOPS; i++) {
		op = (int)(rnd(&seed) % 8);
		k = rnd(&seed) % (NUPD + NOPS);
		snprintf(name, sizeof(name), "u-%04zu.txt", k);
		snprintf(name2, sizeof(name2), "u-%04u.txt",
		    rnd(&seed) % (NUPD + NOPS));
		snprintf(path, sizeof(path), "%s/%s", tmpl, name);
		snprintf(path2, sizeof(path2), "%s/%s", tmpl, name2);
		snprintf(mark, sizeof(mark), "nouveau%zu", i);
		names[0] = name;
		nnames = 1;
		switch (op) {
		case 0:
		case 1:
		case 2:		/* new or changed */
			random_article(&text, &seed, mark);
			write_file(tmpl, name, text.data);
			break;
		case 3:		/* removed */
			(void)unlink(path);
			break;
		case 4:		/* renamed over another */
			if (rename(path, path2) == 0)
				moved++;
			names[1] = name2;
			nnames = 2;
			break;
		case 5:		/* a draft */
			write_file(tmpl, name, "Title: Brouillon\nDate: "
			    "2026-01-01\nDraft: yes\n\nchange\n");
			break;
		case 6:		/* refused: no date */
			write_file(tmpl, name, "Title: Sans date\n\nchange\n");
			break;
		default:	/* touched, the same bytes: no change */
			names[0] = "u-0001.txt";
			break;
		}
		buf_reset(&msgs);
		buf_puts(&msgs, "");
		u = store_update(s, names, nnames, 0, &r, &st);
		fresh = store_open(&opts, NULL, NULL);
		if (u == NULL || fresh == NULL) {
			ok(0, "update %zu: a snapshot (%p, %p)", i, (void *)u,
			    (void *)fresh);
			store_unref(u);
			store_unref(fresh);
			break;
		}
		snapshot_text(&got, u);
		snapshot_text(&want, fresh);
		if (strcmp(got.data, want.data) != 0) {
			if (mismatch++ == 0)
				is_str(got.data, want.data, name,
				    "update: the same as a new snapshot");
		}
		/* Every article the change did not touch is shared. */
		for (k = 0; k < store_count(s); k++) {
			a = store_article_at(s, k);
			if (strcmp(a->id, "u-0001") != 0 &&
			    (strncmp(a->id, name, strlen(a->id)) == 0 ||
			    (nnames == 2 && strncmp(a->id, name2,
			    strlen(a->id)) == 0)))
				continue;
			b = store_article_get(u, a->id);
			if (b != a)
				notshared++;
			else
				same++;
		}
		store_unref(fresh);
		store_unref(s);
		s = u;
	}
	is_int(mismatch, 0, "update: snapshots updated one file at a time "
	    "serve what a new snapshot of the files serves");
	is_int(notshared, 0, "update: the articles no change touched are the "
	    "same objects in the new snapshot");
	ok(same > (size_t)NUPD * (NOPS / 2) && moved > 0,
	    "update: %zu articles shared over the updates, %zu renames", same,
	    moved);

	/* Touched but the same bytes: the old object stays. */
	a = store_article_get(s, "u-0001");
	names[0] = "u-0001.txt";
	u = store_update(s, names, 1, 0, NULL, &st);
	ok(u != NULL && a != NULL && store_article_get(u, "u-0001") == a &&
	    st.read == 1, "update: a file read again to the same article "
	    "keeps its object");
	store_unref(u);

	/* A name that is no article file is not read; an unknown one adds. */
	names[0] = ".u-0001.txt.swp";
	names[1] = "notes.md";
	u = store_update(s, names, 2, 0, NULL, &st);
	ok(u != NULL && st.read == 0 && store_count(u) == store_count(s),
	    "update: hidden and other names are not read");
	store_unref(u);

	/* A new file with a word only it has is found at once. */
	write_file(tmpl, "zz-new.txt", "Title: Tout neuf\nDate: 2030-01-01\n\n"
	    "Unmotquepersonnenedit ici.\n");
	names[0] = "zz-new.txt";
	u = store_update(s, names, 1, 0, NULL, &st);
	search_ids(&got, u, "unmotquepersonne", 5, &k);
	is_str(got.data, "zz-new\n", "unmotquepersonne",
	    "update: a new article is searchable in the new snapshot");
	ok(u != NULL && store_article_at(u, 0) != NULL &&
	    strcmp(store_article_at(u, 0)->id, "zz-new") == 0,
	    "update: and first in the list");
	search_ids(&got, s, "unmotquepersonne", 5, &k);
	is_int((int)k, 0, "update: the old snapshot does not change");
	store_unref(s);
	s = u;

	/* Pages: read again only when asked. */
	mkdir(pages, 0755);
	write_file(pages, "info.gmi", "# Info\n\nUne page.\n");
	u = store_update(s, NULL, 0, 1, NULL, &st);
	is_int((int)store_npages(u), 0, "update: without a pages folder, none");
	store_unref(u);

	/* A reload that shares what parses the same (SIGHUP). */
	opts.share = s;
	opts.pages = pages;
	write_file(tmpl, "u-0002.txt", "Title: Changé pendant le signal\n"
	    "Date: 2031-01-01\n\nchange\n");
	fresh = store_open(&opts, NULL, &st);
	ok(fresh != NULL && st.shared + 1 >= st.loaded && st.shared > 0 &&
	    store_npages(fresh) == 1,
	    "reload: %zu of %zu articles taken over from the snapshot before",
	    st.shared, st.loaded);
	for (k = 0; fresh != NULL && k < store_count(fresh); k++) {
		a = store_article_at(fresh, k);
		b = store_article_get(s, a->id);
		if (strcmp(a->id, "u-0002") == 0)
			inserted = b != a;
		else if (b != a)
			copied++;
	}
	ok(inserted && copied == 0, "reload: unchanged articles are shared, "
	    "the changed one is new (%d copied)", copied);
	(void)diff;
	store_unref(fresh);
	store_unref(s);
 done:
	rm_tree(pages);
	rm_tree(tmpl);
	buf_release(&text);
	buf_release(&msgs);
	buf_release(&got);
	buf_release(&want);
}

int
main(void)
{
	test_samples();
	test_torture();
	test_temp();
	test_order();
	test_big();
	test_chunks();
	test_update();
	return tap_done();
}
