/* griot: folded search index.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The search index of one snapshot: a sorted vocabulary of folded words,
 * each with the articles it occurs in (anywhere, and in the title), and
 * the queries that AND word prefixes over it.
 *
 * Postings are article numbers (indexes in the newest-first array the
 * index was built from).  A sparse list is stored as LEB128 varints of
 * the gaps (the first one absolute); a dense one as a bitset of all the
 * articles, which is then both smaller and faster to OR.  A query turns
 * each word into a bitset (the OR of the postings of every vocabulary word
 * it is a prefix of), ANDs them, and ranks the matches by how many query
 * words they have in their title, then newest first.
 *
 * Building runs on up to SEARCH_THREADS threads, each over a contiguous
 * range of articles; their lists are then joined in order.  Folding and
 * splitting words is text_words()'s job, and it is the costly part, so a
 * builder splits the text only at ASCII bytes that are neither letters
 * nor digits (always whole characters in UTF-8, and always separators
 * for text_words()), and remembers what text_words() made of each such
 * token: natural text repeats its tokens, so most are folded once.  What
 * costs then is memory: a look-up in a table of many megabytes for each
 * token, and a write at the end of some word's list for each new (word,
 * article) pair.  So the tokens are looked up by batches, their slots
 * prefetched first, and the pairs are gathered and put into the lists
 * chunk by chunk, sorted by word (builder_flush()).
 */
#include "griot-config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "article.h"
#include "hash.h"
#include "buf.h"
#include "search.h"
#include "text.h"

#define SEARCH_THREADS		4	/* at most, when there are the cores */
#define SEARCH_MIN_PER_THREAD	512	/* fewer articles: one thread */
#define SEARCH_WORD_MAX		64	/* longer folded words are not indexed */
#define SEARCH_TOKENS_MAX	(256 * 1024)	/* tokens remembered per builder */
#define SEARCH_TOKEN_MAX	16	/* longer tokens are not remembered;
					   struct token holds this many */
#define SEARCH_QUERY_WORDS	8	/* words of a query beyond are ignored;
					   at most 15 (four bit planes) */
#define SEARCH_QUERY_MAX	1024	/* bytes of a query beyond are ignored */
#define SEARCH_BATCH		32	/* tokens looked up together */
#define SEARCH_CHUNK		(64 * 1024)	/* pairs inverted together */

#if defined(__GNUC__)
#define PREFETCH(p)	__builtin_prefetch(p)
#else
#define PREFETCH(p)	((void)(p))
#endif

/* A posting list: varint gaps, or a bitset of every article. */
struct plist {
	uint8_t		*p;		/* NULL: empty */
	uint32_t	 n;		/* bytes of varints */
	uint32_t	 dense;		/* p is a bitset (uint64_t aligned) */
};

struct term {
	size_t		 word;		/* offset in "words" */
	struct plist	 all;		/* articles with the word anywhere */
	struct plist	 title;		/* articles with it in the title */
};

struct search_index {
	size_t		 ndocs;		/* articles indexed */
	size_t		 nwords64;	/* uint64_t per bitset */
	struct term	*terms;		/* sorted by word */
	size_t		 nterms;
	char		*words;
};

/* Index building: one builder per thread. */
struct vec {
	uint8_t		*p;
	uint32_t	 len, cap;
	uint32_t	 last;		/* last article + 1; 0: none yet */
};

struct bterm {
	uint32_t	 hash;
	uint32_t	 word;		/* offset in the builder's pool */
	struct vec	 all, title;
};

/*
 * A remembered token and the terms text_words() made of it, in 24 bytes,
 * stored right in the hash table so that a look-up touches one cache
 * line: its key (token_key(), compared as two words), its length, and
 * its only term or the first of its terms in "idpool".  len 0: a free
 * slot.
 */
struct token {
	uint64_t	 w[2];
	uint16_t	 len;
	uint16_t	 nids;
	uint32_t	 ids;
};

/* A builder's term, to sort them by word. */
struct tref {
	const char	*word;
	struct bterm	*term;
};

/* A token of the batch being looked up. */
struct btok {
	const char	*s;
	size_t		 len;
	uint64_t	 w[2];		/* token_key() */
	uint32_t	 hash;
};

struct table {
	uint32_t	*slot;		/* entry + 1; 0: free */
	size_t		 size;		/* power of 2 */
};

struct builder {
	const struct article *const	*arts;
	size_t				 lo, hi;	/* range of articles */
	uint32_t			 doc;
	int				 intitle;
	int				 failed;

	struct bterm			*terms;
	size_t				 nterms, capterms;
	struct table			 vocab;
	struct buf			 pool;		/* words, NUL-ended */

	struct token			*toks;		/* the table */
	size_t				 ntoks;
	size_t				 tsize;		/* power of 2 */
	uint32_t			*idpool;
	size_t				 nidpool, capidpool;
	uint32_t			 pending[SEARCH_WORD_MAX];
	size_t				 npending;
	int				 overflow;	/* token of too many words */

	struct btok			 batch[SEARCH_BATCH];

	/* The (term, article) pairs not yet in the lists, articles rising. */
	uint32_t			*seen;		/* per term: last article + 1 */
	uint32_t			*pterm, *pdoc, *pout;
	size_t				 npairs;
	uint32_t			*count;		/* per term, while inverting */

	struct tref			*refs;		/* the terms by word, at the end */
};

/*
 * What a byte is to the builder: the end of the text (NUL), part of a
 * word (ASCII letters, digits, and every byte of a multibyte character:
 * text_words() decides about those), or a separator.
 */
#define KIND_END	0
#define KIND_SEP	1
#define KIND_WORD	2
static unsigned char	 bytekind[256];
static pthread_once_t	 bytekind_once = PTHREAD_ONCE_INIT;

static void
bytekind_init(void)
{
	int	 c;

	for (c = 1; c < 256; c++)
		bytekind[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c >= 0x80 ? KIND_WORD : KIND_SEP;
	bytekind[0] = KIND_END;
}

/* Make room for one more entry at load 1/2; "hashes" gives each entry's. */
static int
table_reserve(struct table *t, size_t n, const void *entries, size_t esize)
{
	uint32_t	*ns, h;
	size_t		 nsize, i, j;

	if ((n + 1) * 2 <= t->size)
		return 0;
	nsize = t->size ? t->size * 2 : 4096;
	if ((ns = calloc(nsize, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		/* Every entry type starts with its uint32_t hash. */
		memcpy(&h, (const char *)entries + i * esize, sizeof(h));
		for (j = h & (nsize - 1); ns[j] != 0; j = (j + 1) & (nsize - 1))
			continue;
		ns[j] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = ns;
	t->size = nsize;
	return 0;
}

static int
vec_put(struct vec *v, uint32_t x)
{
	uint8_t		*np;
	uint32_t	 ncap;

	if (v->cap - v->len < 5) {
		/* Grow by half: less slack in the many short lists. */
		ncap = v->cap ? v->cap + v->cap / 2 : 8;
		if (ncap < v->cap || (np = realloc(v->p, ncap)) == NULL)
			return -1;
		v->p = np;
		v->cap = ncap;
	}
	while (x >= 0x80) {
		v->p[v->len++] = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	v->p[v->len++] = (uint8_t)x;
	return 0;
}

/* Record article "doc" in a list: the gap to the last one, or doc first. */
static int
vec_doc(struct vec *v, uint32_t doc)
{
	uint32_t	 gap;

	if (v->last == doc + 1)
		return 0;
	gap = v->last == 0 ? doc : doc - (v->last - 1);
	if (vec_put(v, gap) == -1)
		return -1;
	v->last = doc + 1;
	return 0;
}

/* Record articles "docs" (rising, none yet in the list) in one go. */
static int
vec_docs(struct vec *v, const uint32_t *docs, size_t n)
{
	uint8_t		*np, *q;
	uint32_t	 last = v->last, gap, x;
	size_t		 i, need = 0, ncap;

	for (i = 0; i < n; i++) {
		gap = last == 0 ? docs[i] : docs[i] - (last - 1);
		for (need++; gap >= 0x80; gap >>= 7)
			need++;
		last = docs[i] + 1;
	}
	if (need > v->cap - v->len) {
		/* Grow by half at least: less slack in the many short lists. */
		ncap = v->cap ? v->cap + v->cap / 2 : 8;
		if (ncap < v->len + need)
			ncap = v->len + need;
		if (ncap > UINT32_MAX || (np = realloc(v->p, ncap)) == NULL)
			return -1;
		v->p = np;
		v->cap = (uint32_t)ncap;
	}
	q = v->p + v->len;
	for (i = 0, last = v->last; i < n; i++) {
		x = last == 0 ? docs[i] : docs[i] - (last - 1);
		while (x >= 0x80) {
			*q++ = (uint8_t)(x | 0x80);
			x >>= 7;
		}
		*q++ = (uint8_t)x;
		last = docs[i] + 1;
	}
	v->len = (uint32_t)(q - v->p);
	v->last = last;
	return 0;
}

static size_t
varint_get(const uint8_t *p, size_t len, size_t i, uint32_t *xp)
{
	uint32_t	 x = 0;
	unsigned int	 shift = 0;

	while (i < len) {
		x |= (uint32_t)(p[i] & 0x7f) << shift;
		if ((p[i++] & 0x80) == 0)
			break;
		shift += 7;
		if (shift > 28)
			break;
	}
	*xp = x;
	return i;
}

static size_t
varint_put(uint8_t *p, uint32_t x)
{
	size_t	 n = 0;

	while (x >= 0x80) {
		p[n++] = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	p[n++] = (uint8_t)x;
	return n;
}

/* The term of a folded word, added when new; its number, or -1. */
static long
builder_term(struct builder *b, const char *w, size_t len)
{
	struct bterm	*t;
	uint32_t	 h = hash_bytes(HASH_SEED, w, len);
	size_t		 j, mask, ncap;
	void		*np;

	if (table_reserve(&b->vocab, b->nterms, b->terms, sizeof(*b->terms)) == -1)
		return -1;
	mask = b->vocab.size - 1;
	for (j = h & mask; b->vocab.slot[j] != 0; j = (j + 1) & mask) {
		t = &b->terms[b->vocab.slot[j] - 1];
		if (t->hash == h && memcmp(b->pool.data + t->word, w, len) == 0 &&
		    b->pool.data[t->word + len] == '\0')
			return (long)(b->vocab.slot[j] - 1);
	}
	if (b->nterms == b->capterms) {
		/* "seen" and "count" have as many entries as "terms". */
		ncap = b->capterms;
		if (array_grow((void **)&b->terms, &ncap, b->nterms + 1,
		    sizeof(*b->terms), 1024) == -1 ||
		    (np = reallocarray(b->seen, ncap, sizeof(*b->seen))) == NULL)
			return -1;
		b->seen = np;
		if ((np = reallocarray(b->count, ncap,
		    sizeof(*b->count))) == NULL)
			return -1;
		b->count = np;
		b->capterms = ncap;
	}
	if (b->pool.len > UINT32_MAX - len - 1)
		return -1;
	b->seen[b->nterms] = 0;
	b->count[b->nterms] = 0;
	t = &b->terms[b->nterms];
	memset(t, 0, sizeof(*t));
	t->hash = h;
	t->word = (uint32_t)b->pool.len;
	if (buf_add(&b->pool, w, len) == -1 || buf_addc(&b->pool, '\0') == -1)
		return -1;
	b->vocab.slot[j] = (uint32_t)++b->nterms;
	return (long)(b->nterms - 1);
}

/* text_words() callback: the words of a token, as terms. */
static int
builder_word(void *arg, const char *w, size_t len)
{
	struct builder	*b = arg;
	long		 id;

	if (len == 0 || len > SEARCH_WORD_MAX)
		return 0;
	if (b->npending == SEARCH_WORD_MAX) {
		b->overflow = 1;
		return 0;
	}
	if ((id = builder_term(b, w, len)) == -1)
		return -1;
	b->pending[b->npending++] = (uint32_t)id;
	return 0;
}

/*
 * Put the pairs gathered into the lists: a counting sort by term, then
 * each term's articles appended in one go, terms in order.  The lists
 * are then written one after the other rather than a word here and a
 * word there, and a word frequent in the articles costs little more than
 * its bytes.
 */
static int
builder_flush(struct builder *b)
{
	uint32_t	*count = b->count, sum = 0, c, end;
	size_t		 i, id;

	if (b->npairs == 0)
		return 0;
	for (i = 0; i < b->npairs; i++)
		count[b->pterm[i]]++;
	for (id = 0; id < b->nterms; id++) {
		c = count[id];
		count[id] = sum;	/* where its articles go */
		sum += c;
	}
	for (i = 0; i < b->npairs; i++)
		b->pout[count[b->pterm[i]]++] = b->pdoc[i];
	/* count[id] is now the end of the articles of "id". */
	for (id = 0, i = 0; id < b->nterms; i = end, id++) {
		end = count[id];
		count[id] = 0;
		if (i < end && vec_docs(&b->terms[id].all, b->pout + i,
		    end - i) == -1)
			return -1;
	}
	b->npairs = 0;
	return 0;
}

/* A pair for term "id" and the article, unless it has one already. */
static inline int
builder_pair(struct builder *b, uint32_t id)
{
	if (b->intitle && vec_doc(&b->terms[id].title, b->doc) == -1)
		return -1;
	if (b->seen[id] == b->doc + 1)
		return 0;
	b->seen[id] = b->doc + 1;
	if (b->npairs == SEARCH_CHUNK && builder_flush(b) == -1)
		return -1;
	b->pterm[b->npairs] = id;
	b->pdoc[b->npairs++] = b->doc;
	return 0;
}

/* The terms of a token. */
static int
builder_ids(struct builder *b, const uint32_t *ids, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (builder_pair(b, ids[i]) == -1)
			return -1;
	return 0;
}

static uint32_t
hash_token(const uint64_t *w, size_t len)
{
	uint64_t	 x;

	x = (w[0] * 0x9E3779B97F4A7C15ULL) ^ (w[1] * 0xC2B2AE3D27D4EB4FULL) ^
	    len;
	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ULL;
	return (uint32_t)(x >> 32);
}

/* Make room for "n" tokens in the table, at load 1/2 at most. */
static int
tokens_reserve(struct builder *b, size_t n)
{
	struct token	*nt;
	size_t		 nsize, i, j;

	if (n * 2 <= b->tsize)
		return 0;
	nsize = b->tsize ? b->tsize * 2 : 4096;
	if ((nt = calloc(nsize, sizeof(*nt))) == NULL)
		return -1;
	for (i = 0; i < b->tsize; i++) {
		if (b->toks[i].len == 0)
			continue;
		for (j = hash_token(b->toks[i].w, b->toks[i].len) & (nsize - 1);
		    nt[j].len != 0; j = (j + 1) & (nsize - 1))
			continue;
		nt[j] = b->toks[i];
	}
	free(b->toks);
	b->toks = nt;
	b->tsize = nsize;
	return 0;
}

/* Fold with text_words() and post the words; fill "tk" when not NULL. */
static int
builder_fold(struct builder *b, const char *s, size_t len, struct token *tk)
{
	b->npending = 0;
	b->overflow = 0;
	if (text_words(s, len, builder_word, b) != 0 ||
	    builder_ids(b, b->pending, b->npending) == -1)
		return -1;
	if (tk == NULL || b->overflow)
		return 0;
	if (b->npending > 1 && array_grow((void **)&b->idpool,
	    &b->capidpool, b->nidpool + b->npending, sizeof(*b->idpool), 4096) == -1)
		return -1;
	tk->len = (uint16_t)len;
	tk->nids = (uint16_t)b->npending;
	if (b->npending <= 1)
		tk->ids = b->npending == 1 ? b->pending[0] : 0;
	else {
		tk->ids = (uint32_t)b->nidpool;
		memcpy(b->idpool + b->nidpool, b->pending,
		    b->npending * sizeof(*b->idpool));
		b->nidpool += b->npending;
	}
	return 0;
}

/* One token: its ids from the table, else folded and remembered. */
static int
builder_token(struct builder *b, const struct btok *bt)
{
	struct token	*tk, tmp;
	size_t		 j, mask;

	if (bt->len > SEARCH_TOKEN_MAX)
		return builder_fold(b, bt->s, bt->len, NULL);
	mask = b->tsize - 1;
	for (j = bt->hash & mask; (tk = &b->toks[j])->len != 0;
	    j = (j + 1) & mask) {
		if (tk->len == bt->len && tk->w[0] == bt->w[0] &&
		    tk->w[1] == bt->w[1]) {
			if (tk->nids == 1)
				return builder_pair(b, tk->ids);
			return builder_ids(b, b->idpool + tk->ids, tk->nids);
		}
	}
	memset(&tmp, 0, sizeof(tmp));
	if (builder_fold(b, bt->s, bt->len, &tmp) == -1)
		return -1;
	if (tmp.len == 0 || b->ntoks >= SEARCH_TOKENS_MAX)
		return 0;
	tmp.w[0] = bt->w[0];
	tmp.w[1] = bt->w[1];
	if ((b->ntoks + 2) * 2 > b->tsize) {
		/* Grow now, so that the table never fills; find a slot again. */
		if (tokens_reserve(b, b->ntoks + 2) == -1)
			return -1;
		mask = b->tsize - 1;
		for (j = bt->hash & mask; b->toks[j].len != 0;
		    j = (j + 1) & mask)
			continue;
		tk = &b->toks[j];
	}
	*tk = tmp;
	b->ntoks++;
	return 0;
}

/*
 * The key of a token of 1 to SEARCH_TOKEN_MAX bytes: its bytes in two
 * words, read with loads that may overlap (bytes 0-7 and the last 8, or
 * 0-3 and the last 4...).  With the length, the key tells tokens apart;
 * it never reads past the token.
 */
static void
token_key(const unsigned char *p, size_t n, uint64_t *w)
{
	uint32_t	 lo, hi;

	w[0] = w[1] = 0;
	if (n >= 8) {
		memcpy(&w[0], p, 8);
		if (n > 8)
			memcpy(&w[1], p + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&lo, p, 4);
		memcpy(&hi, p + n - 4, 4);
		w[0] = lo | (uint64_t)hi << 32;
	} else
		w[0] = p[0] | (uint32_t)p[n / 2] << 8 | (uint32_t)p[n - 1] << 16;
}

/*
 * Split at the bytes that always separate words (ASCII, neither letter
 * nor digit).  The tokens go by batches, so that the slots they need in
 * the token table are asked for ahead, many at once, rather than waited
 * for one after the other.
 */
static int
builder_text(struct builder *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s, *start;
	const struct token	*toks;
	struct btok		*bt;
	size_t			 k, nt, tmask;

	if (s == NULL)
		return 0;
	for (;;) {
		/* The table may grow while looking up the batch. */
		toks = b->toks;
		tmask = b->tsize - 1;
		for (nt = 0; nt < SEARCH_BATCH; nt++) {
			while (bytekind[*p] == KIND_SEP)
				p++;
			if (*p == '\0')
				break;
			start = p;
			while (bytekind[*p] == KIND_WORD)
				p++;
			bt = &b->batch[nt];
			bt->s = (const char *)start;
			bt->len = (size_t)(p - start);
			if (bt->len <= SEARCH_TOKEN_MAX) {
				token_key(start, bt->len, bt->w);
				bt->hash = hash_token(bt->w, bt->len);
				PREFETCH(&toks[bt->hash & tmask]);
			}
		}
		for (k = 0; k < nt; k++)
			if (builder_token(b, &b->batch[k]) == -1)
				return -1;
		if (nt < SEARCH_BATCH)
			return 0;
	}
}

static int
builder_article(struct builder *b, const struct article *a)
{
	size_t	 i;

	b->intitle = 1;
	if (builder_text(b, a->title) == -1)
		return -1;
	b->intitle = 0;
	if (builder_text(b, a->summary) == -1 ||
	    builder_text(b, a->category) == -1)
		return -1;
	for (i = 0; i < a->ntags; i++)
		if (builder_text(b, a->tags[i]) == -1)
			return -1;
	for (i = 0; i < a->nauthors; i++)
		if (builder_text(b, a->authors[i]) == -1)
			return -1;
	for (i = 0; i < a->nblocks; i++)
		if (builder_text(b, a->blocks[i].text) == -1 ||
		    builder_text(b, a->blocks[i].alt) == -1)
			return -1;
	return 0;
}

/* The tokens and pairs are only needed while building. */
static void
builder_forget_tokens(struct builder *b)
{
	free(b->toks);
	b->toks = NULL;
	b->ntoks = b->tsize = 0;
	free(b->idpool);
	b->idpool = NULL;
	b->nidpool = b->capidpool = 0;
	free(b->seen);
	free(b->count);
	free(b->pterm);
	free(b->pdoc);
	free(b->pout);
	b->seen = b->count = b->pterm = b->pdoc = b->pout = NULL;
	b->npairs = 0;
}

static int
tref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tref *)a)->word,
	    ((const struct tref *)b)->word);
}

/* The terms by word, for search_merge(): sorted here, in the thread. */
static int
builder_sort(struct builder *b)
{
	size_t	 k;

	if ((b->refs = reallocarray(NULL, b->nterms + 1,
	    sizeof(*b->refs))) == NULL)
		return -1;
	for (k = 0; k < b->nterms; k++) {
		b->refs[k].word = b->pool.data + b->terms[k].word;
		b->refs[k].term = &b->terms[k];
	}
	qsort(b->refs, b->nterms, sizeof(*b->refs), tref_cmp);
	return 0;
}

static void *
builder_run(void *arg)
{
	struct builder	*b = arg;
	size_t		 i;

	if (tokens_reserve(b, 1) == -1 ||
	    (b->pterm = reallocarray(NULL, SEARCH_CHUNK,
	    sizeof(*b->pterm))) == NULL ||
	    (b->pdoc = reallocarray(NULL, SEARCH_CHUNK,
	    sizeof(*b->pdoc))) == NULL ||
	    (b->pout = reallocarray(NULL, SEARCH_CHUNK,
	    sizeof(*b->pout))) == NULL) {
		b->failed = 1;
		builder_forget_tokens(b);
		return NULL;
	}
	for (i = b->lo; i < b->hi; i++) {
		b->doc = (uint32_t)i;
		if (builder_article(b, b->arts[i]) == -1) {
			b->failed = 1;
			break;
		}
	}
	if (!b->failed && (builder_flush(b) == -1 || builder_sort(b) == -1))
		b->failed = 1;
	builder_forget_tokens(b);
	free(b->vocab.slot);
	b->vocab.slot = NULL;
	return NULL;
}

static void
builder_free(struct builder *b)
{
	size_t	 i;

	for (i = 0; i < b->nterms; i++) {
		free(b->terms[i].all.p);
		free(b->terms[i].title.p);
	}
	free(b->terms);
	free(b->refs);
	free(b->vocab.slot);
	buf_release(&b->pool);
	builder_forget_tokens(b);
}

/*
 * Join the lists of one word from the builders (in article order) into
 * the first: the first gap of each later one becomes relative to the
 * last article before it, which never makes it longer.  The lists are
 * taken over (and emptied).  Then store the result in "pl", as a bitset
 * when that is smaller than twice the varints.
 */
static int
join_lists(struct search_index *x, struct vec *const *vs, size_t nv,
    struct plist *pl)
{
	struct vec	*v = NULL, *w;
	size_t		 i, j, total = 0;
	uint32_t	 first, doc, last = 0;
	uint8_t		*np;
	uint64_t	*set;
	int		 have;

	memset(pl, 0, sizeof(*pl));
	for (i = 0; i < nv; i++)
		total += vs[i]->len;
	for (i = 0; i < nv; i++) {
		w = vs[i];
		if (w->len == 0) {
			free(w->p);
			memset(w, 0, sizeof(*w));
			continue;
		}
		if (v == NULL) {
			v = w;
			if (total > v->cap) {
				if ((np = realloc(v->p, total)) == NULL)
					return -1;
				v->p = np;
				v->cap = (uint32_t)total;
			}
			last = v->last - 1;
			continue;
		}
		j = varint_get(w->p, w->len, 0, &first);
		v->len += (uint32_t)varint_put(v->p + v->len, first - last);
		memcpy(v->p + v->len, w->p + j, w->len - j);
		v->len += w->len - (uint32_t)j;
		last = w->last - 1;
		free(w->p);
		memset(w, 0, sizeof(*w));
	}
	if (v == NULL)
		return 0;
	if ((size_t)v->len * 2 <= x->nwords64 * 8) {
		if (v->len < v->cap && (np = realloc(v->p, v->len)) != NULL)
			v->p = np;
		pl->p = v->p;
		pl->n = v->len;
		memset(v, 0, sizeof(*v));
		return 0;
	}
	if ((set = calloc(x->nwords64, sizeof(*set))) == NULL)
		return -1;
	for (j = 0, doc = 0, have = 0; j < v->len; have = 1) {
		j = varint_get(v->p, v->len, j, &first);
		doc = have ? doc + first : first;
		if (doc < x->ndocs)
			set[doc / 64] |= (uint64_t)1 << (doc % 64);
	}
	free(v->p);
	memset(v, 0, sizeof(*v));
	pl->p = (uint8_t *)set;
	pl->dense = 1;
	return 0;
}

static int
search_merge(struct search_index *x, struct builder *bs, size_t nb)
{
	struct tref	*refs[SEARCH_THREADS];
	struct vec	*all[SEARCH_THREADS], *title[SEARCH_THREADS];
	struct bterm	*t;
	struct term	*nt;
	size_t		 head[SEARCH_THREADS];
	size_t		 i, n, words = 0, wlen;
	const char	*min;

	for (i = 0; i < nb; i++) {
		refs[i] = bs[i].refs;
		head[i] = 0;
		words += bs[i].pool.len;
		x->nterms += bs[i].nterms;	/* an upper bound */
	}
	if ((x->terms = reallocarray(NULL, x->nterms + 1,
	    sizeof(*x->terms))) == NULL ||
	    (x->words = malloc(words + 1)) == NULL)
		return -1;
	x->nterms = 0;
	words = 0;
	for (;;) {
		min = NULL;
		for (i = 0; i < nb; i++)
			if (head[i] < bs[i].nterms && (min == NULL ||
			    strcmp(refs[i][head[i]].word, min) < 0))
				min = refs[i][head[i]].word;
		if (min == NULL)
			break;
		wlen = strlen(min);
		memcpy(x->words + words, min, wlen + 1);
		nt = &x->terms[x->nterms];
		nt->word = words;
		words += wlen + 1;
		for (i = n = 0; i < nb; i++) {
			if (head[i] < bs[i].nterms &&
			    strcmp(refs[i][head[i]].word, min) == 0) {
				t = refs[i][head[i]++].term;
				all[n] = &t->all;
				title[n++] = &t->title;
			}
		}
		if (join_lists(x, all, n, &nt->all) == -1 ||
		    join_lists(x, title, n, &nt->title) == -1)
			return -1;
		x->nterms++;
	}
	if (x->nterms > 0 && (nt = reallocarray(x->terms, x->nterms,
	    sizeof(*nt))) != NULL)
		x->terms = nt;
	return 0;
}

struct search_index *
search_build(const struct article *const *arts, size_t n)
{
	struct search_index	*x;
	struct builder		 bs[SEARCH_THREADS];
	pthread_t		 tids[SEARCH_THREADS];
	int			 started[SEARCH_THREADS];
	size_t			 nb, i;
	long			 ncpu;
	int			 failed = 0;

	if (n >= UINT32_MAX)
		return NULL;
	pthread_once(&bytekind_once, bytekind_init);
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->ndocs = n;
	x->nwords64 = (n + 63) / 64;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	nb = ncpu < 1 ? 1 : (size_t)ncpu;
	if (nb > SEARCH_THREADS)
		nb = SEARCH_THREADS;
	if (nb > n / SEARCH_MIN_PER_THREAD)
		nb = n / SEARCH_MIN_PER_THREAD;
	if (nb == 0)
		nb = 1;
	memset(bs, 0, sizeof(bs));
	for (i = 0; i < nb; i++) {
		bs[i].arts = arts;
		bs[i].lo = n * i / nb;
		bs[i].hi = n * (i + 1) / nb;
		buf_init(&bs[i].pool);
		started[i] = i > 0 &&
		    pthread_create(&tids[i], NULL, builder_run, &bs[i]) == 0;
	}
	for (i = 0; i < nb; i++)
		if (!started[i])
			builder_run(&bs[i]);
	for (i = 0; i < nb; i++) {
		if (started[i])
			pthread_join(tids[i], NULL);
		failed |= bs[i].failed;
	}
	if (failed || search_merge(x, bs, nb) == -1) {
		search_free(x);
		x = NULL;
	}
	for (i = 0; i < nb; i++)
		builder_free(&bs[i]);
	return x;
}

void
search_free(struct search_index *x)
{
	size_t	 i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nterms; i++) {
		free(x->terms[i].all.p);
		free(x->terms[i].title.p);
	}
	free(x->terms);
	free(x->words);
	free(x);
}

/* First term whose word is >= w, or with "after", not prefixed by w. */
static size_t
term_bound(const struct search_index *x, const char *w, size_t len,
    int after)
{
	size_t	 lo = 0, hi = x->nterms, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(x->words + x->terms[mid].word, w, len);
		if (c == 0 && !after)
			c = x->words[x->terms[mid].word + len] == '\0' ? 0 : 1;
		if (after ? c <= 0 : c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
plist_or(const struct search_index *x, const struct plist *pl, uint64_t *set)
{
	const uint64_t	*src;
	size_t		 i;
	uint32_t	 doc = 0, gap;
	int		 have = 0;

	if (pl->p == NULL)
		return;
	if (pl->dense) {
		src = (const uint64_t *)(const void *)pl->p;
		for (i = 0; i < x->nwords64; i++)
			set[i] |= src[i];
		return;
	}
	for (i = 0; i < pl->n; have = 1) {
		i = varint_get(pl->p, pl->n, i, &gap);
		doc = have ? doc + gap : gap;
		if (doc < x->ndocs)
			set[doc / 64] |= (uint64_t)1 << (doc % 64);
	}
}

struct qwords {
	char	*w[SEARCH_QUERY_WORDS];
	size_t	 n;
};

static int
query_word(void *arg, const char *w, size_t len)
{
	struct qwords	*q = arg;
	size_t		 i;

	if (q->n == SEARCH_QUERY_WORDS || len == 0)
		return 0;
	if (len > SEARCH_WORD_MAX)
		len = SEARCH_WORD_MAX;
	for (i = 0; i < q->n; i++)
		if (strncmp(q->w[i], w, len) == 0 && q->w[i][len] == '\0')
			return 0;
	if ((q->w[q->n] = strndup(w, len)) == NULL)
		return -1;
	q->n++;
	return 0;
}

static size_t
popcount64(uint64_t v)
{
	return (size_t)__builtin_popcountll(v);
}

/* search_fail_next(): queries left to fail. */
static atomic_int	 search_failing;

void
search_fail_next(int n)
{
	atomic_store(&search_failing, n);
}

/* Should this query fail as if memory ran out (tests only)? */
static int
is_failing(void)
{
	int	 n = atomic_load(&search_failing);

	while (n > 0)
		if (atomic_compare_exchange_weak(&search_failing, &n, n - 1))
			return 1;
	return 0;
}

int
search_query(const struct search_index *x, const char *query, size_t qlen,
    size_t *out, size_t max, size_t *totalp)
{
	return search_query_ex(x, query, qlen, NULL, out, NULL, max, totalp);
}

int
search_query_ex(const struct search_index *x, const char *query, size_t qlen,
    const uint64_t *exclude, size_t *out, unsigned int *scores, size_t max,
    size_t *totalp)
{
	struct qwords	 q;
	struct buf	 clean = BUF_INIT;
	uint64_t	*mem = NULL, *res, *all, *titles;
	size_t		 lo[SEARCH_QUERY_WORDS], hi[SEARCH_QUERY_WORDS];
	size_t		 i, k, t, nw, total = 0, *count = NULL, **rank = NULL;
	size_t		 score, len;
	uint64_t	 v, m, carry, plane[4];
	unsigned int	 b;
	int		 rv = -1;

	memset(&q, 0, sizeof(q));
	*totalp = 0;
	if (is_failing())
		return -1;
	if (x == NULL || x->ndocs == 0)
		return 0;
	if (qlen > SEARCH_QUERY_MAX)
		qlen = SEARCH_QUERY_MAX;
	/* Each step that allocates fails with -1 (out of memory). */
	if (text_sanitize(&clean, query, qlen, 0, NULL, NULL) == -1 ||
	    text_words(clean.data ? clean.data : "", clean.len, query_word,
	    &q) != 0)
		goto fail;
	if (q.n == 0)
		goto done;

	/*
	 * Each word matches the words it begins; a one-character word only
	 * itself, or "l" in "l'objectif" would match half the vocabulary.
	 */
	for (k = 0; k < q.n; k++) {
		len = strlen(q.w[k]);
		lo[k] = term_bound(x, q.w[k], len, 0);
		if (len == 1)
			hi[k] = lo[k] < x->nterms && strcmp(x->words +
			    x->terms[lo[k]].word, q.w[k]) == 0 ? lo[k] + 1 : lo[k];
		else
			hi[k] = term_bound(x, q.w[k], len, 1);
		if (lo[k] == hi[k])
			goto done;
	}

	nw = x->nwords64;
	if ((mem = calloc((q.n + 2) * nw, sizeof(*mem))) == NULL)
		goto fail;
	res = mem;
	all = mem + nw;
	titles = mem + 2 * nw;	/* q.n of them */
	for (k = 0; k < q.n; k++) {
		uint64_t *set = k == 0 ? res : all;

		if (k > 0)
			memset(all, 0, nw * sizeof(*all));
		for (t = lo[k]; t < hi[k]; t++) {
			plist_or(x, &x->terms[t].all, set);
			plist_or(x, &x->terms[t].title, titles + k * nw);
		}
		if (k > 0)
			for (i = 0; i < nw; i++)
				res[i] &= all[i];
	}
	if (exclude != NULL)
		for (i = 0; i < nw; i++)
			res[i] &= ~exclude[i];
	for (i = 0; i < nw; i++)
		total += popcount64(res[i]);
	if (max == 0 || total == 0)
		goto done;

	/*
	 * Rank: by the number of query words found in the title, then in
	 * article order (newest first).  One pass, keeping the first "max"
	 * articles of each score.  The pass goes 64 articles at a time: the
	 * title bits of the query words are added up bit-sliced (the four
	 * bit planes of a counter of 0 to SEARCH_QUERY_WORDS), so that the
	 * articles of each score are a mask, and a score that has its "max"
	 * articles already costs nothing more; a common word in a store of
	 * a million articles would otherwise cost a look at each title bit
	 * of each of its hundreds of thousands of articles.
	 */
	if ((count = calloc(q.n + 1, sizeof(*count))) == NULL ||
	    (rank = calloc(q.n + 1, sizeof(*rank))) == NULL)
		goto fail;
	for (k = 0; k <= q.n; k++)
		if ((rank[k] = reallocarray(NULL, max, sizeof(**rank))) == NULL)
			goto fail;
	for (i = 0; i < nw && count[q.n] < max; i++) {
		if ((v = res[i]) == 0)
			continue;
		memset(plane, 0, sizeof(plane));
		for (k = 0; k < q.n; k++) {
			carry = titles[k * nw + i] & v;
			for (t = 0; t < 4 && carry != 0; t++) {
				m = plane[t] & carry;
				plane[t] ^= carry;
				carry = m;
			}
		}
		for (score = 0; score <= q.n; score++) {
			if (count[score] >= max)
				continue;
			m = v;
			for (t = 0; t < 4; t++)
				m &= score >> t & 1 ? plane[t] : ~plane[t];
			for (; m != 0 && count[score] < max; m &= m - 1) {
				b = (unsigned int)__builtin_ctzll(m);
				rank[score][count[score]++] = i * 64 + b;
			}
		}
	}
	for (k = q.n + 1, i = 0; k-- > 0 && i < max;)
		for (t = 0; t < count[k] && i < max; t++) {
			if (scores != NULL)
				scores[i] = (unsigned int)k;
			out[i++] = rank[k][t];
		}
 done:
	*totalp = total;
	rv = 0;
 fail:
	if (rank != NULL)
		for (k = 0; k <= q.n; k++)
			free(rank[k]);
	free(rank);
	free(count);
	free(mem);
	for (k = 0; k < q.n; k++)
		free(q.w[k]);
	buf_release(&clean);
	return rv;
}
