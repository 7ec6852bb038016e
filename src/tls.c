/* griot: TLS.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The server context and the per-connection wrapper that conn.c drives
 * from the workers' event loops.  OpenSSL is included here and in
 * tlscert.c (the self-signed certificate and the fingerprint) only.
 */
#include "griot-config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "log.h"
#include "tls.h"
#include "tlscert.h"

/*
 * Resumption uses a session cache in the process (stateful), not
 * self-contained tickets: in TLS 1.3 the "ticket" a client keeps is then
 * a 32-byte session id, and a NewSessionTicket message is 57 bytes
 * rather than 233, which the client's next hello saves again.  A reader
 * on a 9.6 kbit/s link gets its resumed page 0.3 s sooner.  Each cached
 * session costs about 1.2 KiB; the oldest go first when the cache is
 * full.  Sessions live TLSC_SESSION_LIFETIME seconds, in this process
 * only (lost on restart, and not shared between instances).  A fleet
 * behind a load balancer sets [gemini] ticket_keys instead: the tickets
 * are then the sealed sessions themselves, which every instance with the
 * same key file can open, at the cost of the longer ticket.
 */
#define TLSC_SESSION_CACHE	10000
#define TLSC_SESSION_LIFETIME	(4 * 3600)

/*
 * Small records: the first bytes of a response leave sooner (a reader on
 * a slow link sees the page start before the whole of it arrived), and
 * OpenSSL sizes its write buffer after this, which keeps a connection
 * small.  At 22 bytes of overhead per TLS 1.3 record, this costs 0.5 %.
 */
#define TLSC_RECORD_MAX		4096

/*
 * Encrypted output is gathered in the connection's own buffer and sent
 * with one send() when the connection would otherwise wait, or once this
 * much is pending: a small response, its session ticket and close_notify
 * leave in one segment, and the kernel's work per request stays low.
 */
#define TLSC_PENDING_MAX	(32 * 1024)
#define TLSC_WRITE_CHUNK	(16 * 1024)	/* plaintext per tlsc_write */

#define TLSC_CIPHERS_12 \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
#define TLSC_CIPHERS_13 \
	"TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:" \
	"TLS_AES_256_GCM_SHA384"
#define TLSC_GROUPS		"X25519:P-256:P-384"

/* Ticket key files are a few lines; anything bigger is not one. */
#define TLSC_TICKET_FILE_MAX	(64 * 1024)
#define TLSC_TICKET_LINE_MAX	256	/* base64 characters of one key */

/*
 * A certificate (with the intermediates after it in its file) and its
 * key, as read again on SIGHUP.  Owned by the context; each connection
 * made after the reload takes references to its parts.
 */
struct tlsc_pair {
	X509		*cert;
	STACK_OF(X509)	*chain;		/* NULL when the file has none */
	EVP_PKEY	*key;
};

struct tlsc_ctx {
	SSL_CTX			*ssl;
	BIO_METHOD		*wmeth;		/* writes into tlsc_conn.wbuf */
	char			*hostname;	/* as configured, for SNI */
	int			 tickets;	/* ticket_keys was set at start */

	/*
	 * What SIGHUP replaces while the workers make connections: the
	 * main thread swaps it under "lock", the workers read it there.
	 */
	pthread_mutex_t		 lock;
	int			 has_lock;
	struct tlsc_pair	*pair;		/* NULL: the SSL_CTX's own */
	struct tlsc_ticket_keys	*keys;		/* NULL unless "tickets" */
	char			 fp[TLSC_FINGERPRINT_MAX];	/* served */

	/* The files as last read (main thread only). */
	struct stat		 st_cert, st_key, st_keys;
};

/*
 * One connection.  OpenSSL reads the socket itself (with read-ahead, one
 * read() takes every record that has arrived) and writes its records into
 * "wbuf", which tlsc_flush() sends.
 */
struct tlsc_conn {
	SSL		*ssl;
	int		 fd;
	int		 established;	/* the handshake finished */
	int		 dead;		/* a fatal error: never shut down */
	int		 notified;	/* close_notify queued */
	unsigned char	*wbuf;		/* encrypted bytes not yet sent */
	size_t		 wlen, woff, wcap;
	size_t		 sent;		/* bytes sent on the socket */
	char		 err[200];	/* why it failed, for the log */
};

void
tlsc_log_errors(const char *what)
{
	unsigned long	 e;
	char		 reason[256];
	int		 logged = 0;

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, reason, sizeof(reason));
		log_warnx("%s: %s", what, reason);
		logged = 1;
	}
	if (!logged)
		log_warnx("%s", what);
}

/*
 * Per-connection failures are the client's business: keep the reason
 * for the caller's debug line, and clear the queue.
 */
static void
tlsc_conn_reason(struct tlsc_conn *c, const char *what)
{
	unsigned long	 e;
	char		 reason[160];
	int		 n;

	e = ERR_peek_last_error();
	if (e != 0)
		ERR_error_string_n(e, reason, sizeof(reason));
	else
		(void)snprintf(reason, sizeof(reason), "%s", errno ?
		    strerror(errno) : "connection closed");
	n = snprintf(c->err, sizeof(c->err), "%s: %s", what, reason);
	if (n < 0)
		c->err[0] = '\0';	/* a truncated reason is still useful */
	ERR_clear_error();
}

/*
 * SNI: the configured name is acknowledged; any other name, or none,
 * still gets the one certificate, and the Gemini layer answers 53 for a
 * host it does not serve.
 */
static int
tlsc_sni_cb(SSL *s, int *alert, void *arg)
{
	const struct tlsc_ctx	*t = arg;
	const char		*name;

	name = SSL_get_servername(s, TLSEXT_NAMETYPE_host_name);
	if (name != NULL && t->hostname != NULL &&
	    strcasecmp(name, t->hostname) == 0)
		return SSL_TLSEXT_ERR_OK;
	return SSL_TLSEXT_ERR_NOACK;
}

/*
 * The write side of every connection: a BIO that appends OpenSSL's
 * records to the connection's buffer and never blocks.  tlsc_flush()
 * sends them.
 */
static int
tlsc_bio_write(BIO *b, const char *data, size_t len, size_t *written)
{
	struct tlsc_conn	*c = BIO_get_data(b);
	unsigned char		*p;
	size_t			 cap;

	if (c == NULL)
		return 0;
	if (len > c->wcap - c->wlen && c->woff > 0) {
		/* Part was sent: move the rest to the front. */
		memmove(c->wbuf, c->wbuf + c->woff, c->wlen - c->woff);
		c->wlen -= c->woff;
		c->woff = 0;
	}
	if (len > c->wcap - c->wlen) {
		cap = c->wcap > 0 ? c->wcap : 4096;
		while (cap - c->wlen < len) {
			if (cap > SIZE_MAX / 2)
				return 0;
			cap *= 2;
		}
		if (cap != c->wcap) {
			if ((p = realloc(c->wbuf, cap)) == NULL)
				return 0;
			c->wbuf = p;
			c->wcap = cap;
		}
	}
	memcpy(c->wbuf + c->wlen, data, len);
	c->wlen += len;
	*written = len;
	return 1;
}

static long
tlsc_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;	/* tlsc_flush() sends, when the caller may wait */
	default:
		return 0;
	}
}

/*
 * Session ticket keys.
 */

/* The value of one base64 character, or -1. */
static int
tlsc_b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode standard base64 with its padding ("openssl base64" writes it),
 * strictly: a multiple of 4 characters, "=" only at the end.  Returns the
 * byte count, or -1 when "in" is not base64 or does not fit "out".
 */
static ssize_t
tlsc_b64_decode(const char *in, size_t len, unsigned char *out,
    size_t outlen)
{
	size_t		 i, j, n = 0, pad = 0;
	unsigned long	 acc;
	int		 v;

	if (len == 0 || len % 4 != 0)
		return -1;
	if (in[len - 1] == '=')
		pad = in[len - 2] == '=' ? 2 : 1;
	if (len / 4 * 3 - pad > outlen)
		return -1;
	for (i = 0; i < len; i += 4) {
		acc = 0;
		for (j = 0; j < 4; j++) {
			if (i + j >= len - pad) {
				acc <<= 6;
				continue;
			}
			if ((v = tlsc_b64_value((unsigned char)in[i + j])) < 0)
				return -1;
			acc = acc << 6 | (unsigned long)v;
		}
		out[n++] = (unsigned char)(acc >> 16);
		if (i + 4 < len || pad < 2)
			out[n++] = (unsigned char)(acc >> 8);
		if (i + 4 < len || pad < 1)
			out[n++] = (unsigned char)acc;
	}
	return (ssize_t)n;
}

int
tlsc_ticket_keys_parse(const char *text, size_t len,
    struct tlsc_ticket_keys *keys, char *err, size_t errlen)
{
	unsigned char	 ring[TLSC_TICKET_KEYS][TLSC_TICKET_KEY_256];
	unsigned char	 buf[TLSC_TICKET_LINE_MAX];
	const char	*p = text, *end = text + len, *eol, *b, *e;
	size_t		 total = 0, keylen = 0, lineno = 0, i, j, first;
	ssize_t		 n;
	int		 rv = -1;

	memset(keys, 0, sizeof(*keys));
	while (p < end) {
		lineno++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		b = p;
		e = eol;
		p = eol < end ? eol + 1 : end;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t' ||
		    e[-1] == '\r'))
			e--;
		if (b == e)
			continue;	/* a blank line */
		n = tlsc_b64_decode(b, (size_t)(e - b), buf, sizeof(buf));
		if (n == -1) {
			(void)snprintf(err, errlen, "line %zu: not a key in "
			    "base64", lineno);
			goto done;
		}
		if (n != TLSC_TICKET_KEY_128 && n != TLSC_TICKET_KEY_256) {
			(void)snprintf(err, errlen, "line %zu: %zd bytes, "
			    "expected %d (AES-128) or %d (AES-256)", lineno, n,
			    TLSC_TICKET_KEY_128, TLSC_TICKET_KEY_256);
			goto done;
		}
		if (keylen != 0 && (size_t)n != keylen) {
			(void)snprintf(err, errlen, "line %zu: %zd bytes, but "
			    "the first key has %zu (AES-128 and AES-256 keys "
			    "cannot be mixed)", lineno, n, keylen);
			goto done;
		}
		keylen = (size_t)n;
		memcpy(ring[total % TLSC_TICKET_KEYS], buf, keylen);
		total++;
	}
	if (total == 0) {
		(void)snprintf(err, errlen, "no key (one per line, in base64: "
		    "openssl rand 80 | openssl base64 -A)");
		goto done;
	}
	/* The last keys, oldest first; the penultimate one encrypts. */
	keys->n = total < TLSC_TICKET_KEYS ? total : TLSC_TICKET_KEYS;
	keys->len = keylen;
	first = total - keys->n;
	for (i = 0; i < keys->n; i++)
		memcpy(keys->key[i], ring[(first + i) % TLSC_TICKET_KEYS],
		    keylen);
	keys->enc = keys->n >= 2 ? keys->n - 2 : 0;
	/* A ticket names its key: two keys of one name are a mistake. */
	for (i = 0; i < keys->n; i++) {
		for (j = i + 1; j < keys->n; j++) {
			if (memcmp(keys->key[i], keys->key[j],
			    TLSC_TICKET_NAME) != 0)
				continue;
			(void)snprintf(err, errlen, "two of the last %zu keys "
			    "have the same name (first 16 bytes)", keys->n);
			goto done;
		}
	}
	rv = 0;
 done:
	OPENSSL_cleanse(ring, sizeof(ring));
	OPENSSL_cleanse(buf, sizeof(buf));
	if (rv == -1)
		OPENSSL_cleanse(keys, sizeof(*keys));
	return rv;
}

/* Read and parse the ticket key file "path": a new set, or NULL logged. */
static struct tlsc_ticket_keys *
tlsc_ticket_keys_load(const char *path)
{
	struct tlsc_ticket_keys	*keys = NULL;
	struct stat		 st;
	char			*text = NULL, err[160];
	size_t			 len = 0;
	ssize_t			 n;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		log_warn("%s", path);
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		log_warn("%s", path);
		goto done;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > TLSC_TICKET_FILE_MAX) {
		log_warnx("%s: not a ticket key file (a regular file of at "
		    "most %d bytes)", path, TLSC_TICKET_FILE_MAX);
		goto done;
	}
	if ((st.st_mode & 077) != 0)
		log_warnx("%s: the ticket keys are readable by others "
		    "(mode %03o): chmod 600 it", path,
		    (unsigned)(st.st_mode & 0777));
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		log_warn("%s", path);
		goto done;
	}
	while (len <= (size_t)st.st_size) {
		n = read(fd, text + len, (size_t)st.st_size + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			log_warn("%s", path);
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > (size_t)st.st_size) {
		log_warnx("%s: grew while being read; not used", path);
		goto done;
	}
	if ((keys = malloc(sizeof(*keys))) == NULL) {
		log_warn("%s", path);
		goto done;
	}
	if (tlsc_ticket_keys_parse(text, len, keys, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", path, err);
		free(keys);
		keys = NULL;
	}
 done:
	if (text != NULL) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	close(fd);
	return keys;
}

static void
tlsc_ticket_keys_free(struct tlsc_ticket_keys *keys)
{
	if (keys == NULL)
		return;
	OPENSSL_cleanse(keys, sizeof(*keys));
	free(keys);
}

int
tlsc_ticket_keys_check(const char *path)
{
	struct tlsc_ticket_keys	*keys;

	if ((keys = tlsc_ticket_keys_load(path)) == NULL)
		return -1;
	tlsc_ticket_keys_free(keys);
	return 0;
}

/*
 * OpenSSL asks for the key of a new ticket ("enc" 1: its name goes into
 * "name", a fresh IV into "iv") or for the key named "name" (0).  Tickets
 * are AES-CBC, then HMAC-SHA256 (RFC 5077, 4), with keys of the lengths
 * HAProxy reads from the same file.  Returns 1 (use it), 2 (a key that no
 * longer encrypts: use it, and send the client a fresh ticket), 0 (no
 * such key: a full handshake) or -1 (failure).
 */
static int
tlsc_ticket_cb(SSL *s, unsigned char name[16], unsigned char *iv,
    EVP_CIPHER_CTX *ectx, EVP_MAC_CTX *hctx, int enc)
{
	struct tlsc_ctx		*t = SSL_CTX_get_app_data(SSL_get_SSL_CTX(s));
	unsigned char		 k[TLSC_TICKET_KEY_256];
	char			 digest[] = "SHA256";
	const EVP_CIPHER	*cipher;
	OSSL_PARAM		 params[3];
	size_t			 len, half, i;
	int			 rv = -1, found = 0, renew = 0, ivlen;

	if (t == NULL)
		return -1;
	pthread_mutex_lock(&t->lock);
	len = t->keys != NULL ? t->keys->len : 0;
	if (t->keys != NULL && enc) {
		memcpy(k, t->keys->key[t->keys->enc], len);
		found = 1;
	} else if (t->keys != NULL) {
		for (i = 0; i < t->keys->n && !found; i++) {
			if (memcmp(t->keys->key[i], name,
			    TLSC_TICKET_NAME) != 0)
				continue;
			memcpy(k, t->keys->key[i], len);
			renew = i != t->keys->enc;
			found = 1;
		}
	}
	pthread_mutex_unlock(&t->lock);
	if (!found)
		return enc ? -1 : 0;

	half = (len - TLSC_TICKET_NAME) / 2;
	cipher = half == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
	if (enc) {
		memcpy(name, k, TLSC_TICKET_NAME);
		ivlen = EVP_CIPHER_get_iv_length(cipher);
		if (ivlen <= 0 || RAND_bytes(iv, ivlen) != 1 ||
		    EVP_EncryptInit_ex(ectx, cipher, NULL, k + TLSC_TICKET_NAME,
		    iv) != 1)
			goto done;
	} else if (EVP_DecryptInit_ex(ectx, cipher, NULL, k + TLSC_TICKET_NAME,
	    iv) != 1)
		goto done;
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY,
	    k + TLSC_TICKET_NAME + half, half);
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    digest, 0);
	params[2] = OSSL_PARAM_construct_end();
	if (EVP_MAC_CTX_set_params(hctx, params) != 1)
		goto done;
	rv = renew ? 2 : 1;
 done:
	OPENSSL_cleanse(k, sizeof(k));
	return rv;
}

/*
 * The certificate and key, read again.
 */

static void
tlsc_pair_free(struct tlsc_pair *p)
{
	if (p == NULL)
		return;
	X509_free(p->cert);
	sk_X509_pop_free(p->chain, X509_free);
	EVP_PKEY_free(p->key);
	free(p);
}

/*
 * Read "certpath" (the certificate, then its intermediates) and
 * "keypath", and check that they belong together.  NULL when they do
 * not load, with the reason logged.
 */
static struct tlsc_pair *
tlsc_pair_load(const char *certpath, const char *keypath)
{
	struct tlsc_pair	*p;
	struct stat		 st;
	unsigned long		 e;
	BIO			*bio = NULL;
	X509			*x;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		log_warn("%s", certpath);
		return NULL;
	}
	ERR_clear_error();
	if ((bio = BIO_new_file(certpath, "r")) == NULL ||
	    (p->cert = PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL)) == NULL) {
		tlsc_log_errors(certpath);
		goto fail;
	}
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if ((p->chain == NULL &&
		    (p->chain = sk_X509_new_null()) == NULL) ||
		    sk_X509_push(p->chain, x) == 0) {
			X509_free(x);
			tlsc_log_errors(certpath);
			goto fail;
		}
	}
	/* The end of the file is the one error expected here. */
	e = ERR_peek_last_error();
	if (ERR_GET_LIB(e) != ERR_LIB_PEM ||
	    ERR_GET_REASON(e) != PEM_R_NO_START_LINE) {
		tlsc_log_errors(certpath);
		goto fail;
	}
	ERR_clear_error();
	BIO_free(bio);
	bio = NULL;
	if ((bio = BIO_new_file(keypath, "r")) == NULL ||
	    (p->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)) ==
	    NULL) {
		tlsc_log_errors(keypath);
		goto fail;
	}
	if (X509_check_private_key(p->cert, p->key) != 1) {
		ERR_clear_error();
		log_warnx("%s: not the key of the certificate %s", keypath,
		    certpath);
		goto fail;
	}
	if (stat(keypath, &st) == 0 && (st.st_mode & 077) != 0)
		log_warnx("%s: the private key is readable by others "
		    "(mode %03o): chmod 600 it", keypath,
		    (unsigned)(st.st_mode & 0777));
	BIO_free(bio);
	return p;
 fail:
	BIO_free(bio);
	tlsc_pair_free(p);
	return NULL;
}

/* What "path" is now (zeroed when it cannot be seen). */
static int
tlsc_stat(const char *path, struct stat *st)
{
	if (stat(path, st) == 0)
		return 0;
	memset(st, 0, sizeof(*st));
	return -1;
}

/*
 * Is "path" another file, or the same rewritten, since "was" was taken?
 * What it is now goes into "now", to be remembered once it was read.  A
 * file that cannot be seen counts as changed: reading it says why.
 */
static int
tlsc_has_changed(const char *path, const struct stat *was, struct stat *now)
{
	if (tlsc_stat(path, now) == -1)
		return 1;
	return now->st_dev != was->st_dev || now->st_ino != was->st_ino ||
	    now->st_size != was->st_size ||
	    now->st_mtim.tv_sec != was->st_mtim.tv_sec ||
	    now->st_mtim.tv_nsec != was->st_mtim.tv_nsec ||
	    now->st_ctim.tv_sec != was->st_ctim.tv_sec ||
	    now->st_ctim.tv_nsec != was->st_ctim.tv_nsec;
}

/* Read the pair again; connections made from now on are given it. */
static int
tlsc_reload_pair(struct tlsc_ctx *t, const char *certpath,
    const char *keypath)
{
	struct tlsc_pair	*p, *old;
	struct stat		 st_cert, st_key;
	char			 fp[TLSC_FINGERPRINT_MAX];
	int			 changed;

	/*
	 * Unchanged files are not read again: a key that only root can
	 * read, and that never changes, is no reason for a warning at each
	 * SIGHUP once privileges are dropped.
	 */
	changed = tlsc_has_changed(certpath, &t->st_cert, &st_cert);
	if (!tlsc_has_changed(keypath, &t->st_key, &st_key) && !changed) {
		log_debug("%s: unchanged", certpath);
		return 0;
	}
	if ((p = tlsc_pair_load(certpath, keypath)) == NULL) {
		log_warnx("%s: cannot be read again; still serving the "
		    "previous certificate", certpath);
		return -1;
	}
	if (tlscert_digest(p->cert, fp, sizeof(fp)) == -1) {
		tlsc_log_errors("certificate fingerprint");
		tlsc_pair_free(p);
		return -1;
	}
	pthread_mutex_lock(&t->lock);
	changed = strcmp(fp, t->fp) != 0;
	old = t->pair;
	t->pair = p;
	memcpy(t->fp, fp, sizeof(t->fp));
	pthread_mutex_unlock(&t->lock);
	tlsc_pair_free(old);
	t->st_cert = st_cert;
	t->st_key = st_key;
	if (changed)
		log_info("%s: new certificate served, fingerprint %s",
		    certpath, fp);
	else
		log_debug("%s: the same certificate, read again", certpath);
	return 0;
}

/* Read the ticket keys again; the previous ones stay when it fails. */
static int
tlsc_reload_keys(struct tlsc_ctx *t, const char *path)
{
	struct tlsc_ticket_keys	*keys, *old;
	struct stat		 st;
	size_t			 n;

	if (!tlsc_has_changed(path, &t->st_keys, &st)) {
		log_debug("%s: unchanged", path);
		return 0;
	}
	if ((keys = tlsc_ticket_keys_load(path)) == NULL) {
		log_warnx("%s: cannot be read again; still using the previous "
		    "ticket keys", path);
		return -1;
	}
	n = keys->n;
	pthread_mutex_lock(&t->lock);
	old = t->keys;
	t->keys = keys;
	pthread_mutex_unlock(&t->lock);
	tlsc_ticket_keys_free(old);
	t->st_keys = st;
	log_info("%s: %zu ticket %s read", path, n, n == 1 ? "key" : "keys");
	return 0;
}

int
tlsc_ctx_reload(struct tlsc_ctx *t, const char *certpath,
    const char *keypath, const char *ticket_keys)
{
	int	 rv = 0;

	if (tlsc_reload_pair(t, certpath, keypath) == -1)
		rv = -1;
	if (ticket_keys != NULL && !t->tickets) {
		log_warnx("%s: [gemini] ticket_keys was set after start: "
		    "restart griotd to use it", ticket_keys);
		rv = -1;
	} else if (ticket_keys == NULL && t->tickets) {
		log_warnx("[gemini] ticket_keys was removed: tickets are "
		    "still made with the keys read before, until griotd "
		    "restarts");
		rv = -1;
	} else if (ticket_keys != NULL &&
	    tlsc_reload_keys(t, ticket_keys) == -1)
		rv = -1;
	return rv;
}

struct tlsc_ctx *
tlsc_ctx_new(const struct conf *conf)
{
	struct tlsc_ctx	*t;
	struct stat	 st;
	SSL_CTX		*ssl;
	char		 groups[] = TLSC_GROUPS;	/* the macro casts away const */

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_warn("tls context");
		return NULL;
	}
	if (pthread_mutex_init(&t->lock, NULL) != 0) {
		log_warnx("tls context: cannot make a lock");
		free(t);
		return NULL;
	}
	t->has_lock = 1;
	if (conf->hostname != NULL &&
	    (t->hostname = strdup(conf->hostname)) == NULL) {
		log_warn("tls context");
		goto fail;
	}
	if ((t->wmeth = BIO_meth_new(BIO_get_new_index() |
	    BIO_TYPE_SOURCE_SINK, "griot write buffer")) == NULL ||
	    BIO_meth_set_write_ex(t->wmeth, tlsc_bio_write) != 1 ||
	    BIO_meth_set_ctrl(t->wmeth, tlsc_bio_ctrl) != 1) {
		tlsc_log_errors("tls context: write buffer");
		goto fail;
	}
	if ((ssl = SSL_CTX_new(TLS_server_method())) == NULL) {
		tlsc_log_errors("tls context");
		goto fail;
	}
	t->ssl = ssl;
	if (SSL_CTX_set_min_proto_version(ssl, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ssl, TLSC_CIPHERS_12) != 1 ||
	    SSL_CTX_set_ciphersuites(ssl, TLSC_CIPHERS_13) != 1 ||
	    SSL_CTX_set1_groups_list(ssl, groups) != 1) {
		tlsc_log_errors("tls context: protocol settings");
		goto fail;
	}
	SSL_CTX_set_options(ssl, SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
	    SSL_OP_PRIORITIZE_CHACHA);
	/*
	 * No dummy change_cipher_spec record in TLS 1.3: it serves
	 * middleboxes on the client's path, and a client that needs it
	 * sends its own (RFC 8446, D.4).
	 */
	SSL_CTX_clear_options(ssl, SSL_OP_ENABLE_MIDDLEBOX_COMPAT);
	/*
	 * No automatic chain: without it OpenSSL would try to build a chain
	 * from its (empty) trust store on every handshake.  A certificate
	 * that needs intermediates has them in its file, after it.
	 */
	SSL_CTX_set_mode(ssl, SSL_MODE_RELEASE_BUFFERS |
	    SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_NO_AUTO_CHAIN);
	SSL_CTX_set_max_send_fragment(ssl, TLSC_RECORD_MAX);
	/* One read() takes every record that has arrived. */
	SSL_CTX_set_read_ahead(ssl, 1);
	SSL_CTX_set_verify(ssl, SSL_VERIFY_NONE, NULL);

	/*
	 * Resumption from the session cache (TLSC_SESSION_CACHE): one
	 * SSL_CTX for every worker, so a session made on one resumes on
	 * any other (OpenSSL locks the cache).  One ticket per handshake,
	 * resumed ones included: in a resumed TLS 1.3 handshake the client
	 * speaks last, and without a ticket to send the server would write
	 * nothing between the client's Finished and its request, which
	 * would then wait behind the client's Nagle algorithm for our
	 * delayed ACK (40 ms on Linux).  The ticket carries that ACK at
	 * once, and gives the client a fresh one for next time (TLS 1.3
	 * tickets are best used once).
	 */
	/* What the files are as they are read, for tlsc_ctx_reload(). */
	(void)tlsc_stat(conf->cert, &t->st_cert);
	(void)tlsc_stat(conf->key, &t->st_key);
	if (conf->ticket_keys != NULL)
		(void)tlsc_stat(conf->ticket_keys, &t->st_keys);
	if (conf->ticket_keys == NULL)
		SSL_CTX_set_options(ssl, SSL_OP_NO_TICKET);
	else {
		/* Tickets any instance with the same key file can open. */
		if ((t->keys = tlsc_ticket_keys_load(conf->ticket_keys)) ==
		    NULL)
			goto fail;
		t->tickets = 1;
		SSL_CTX_set_app_data(ssl, t);
		if (SSL_CTX_set_tlsext_ticket_key_evp_cb(ssl,
		    tlsc_ticket_cb) != 1) {
			tlsc_log_errors("tls context: session tickets");
			goto fail;
		}
	}
	SSL_CTX_set_session_cache_mode(ssl, SSL_SESS_CACHE_SERVER);
	SSL_CTX_sess_set_cache_size(ssl, TLSC_SESSION_CACHE);
	SSL_CTX_set_session_id_context(ssl, (const unsigned char *)"griot", 5);
	SSL_CTX_set_timeout(ssl, TLSC_SESSION_LIFETIME);
	SSL_CTX_set_num_tickets(ssl, 1);
	SSL_CTX_set_tlsext_servername_callback(ssl, tlsc_sni_cb);
	SSL_CTX_set_tlsext_servername_arg(ssl, t);

	if (SSL_CTX_use_certificate_chain_file(ssl, conf->cert) != 1) {
		tlsc_log_errors(conf->cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ssl, conf->key, SSL_FILETYPE_PEM)
	    != 1) {
		tlsc_log_errors(conf->key);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ssl) != 1) {
		tlsc_log_errors("the key does not match the certificate");
		goto fail;
	}
	if (tlscert_digest(SSL_CTX_get0_certificate(ssl), t->fp,
	    sizeof(t->fp)) == -1) {
		tlsc_log_errors("certificate fingerprint");
		goto fail;
	}
	if (stat(conf->key, &st) == 0 && (st.st_mode & 077) != 0)
		log_warnx("%s: the private key is readable by others "
		    "(mode %03o): chmod 600 it", conf->key,
		    (unsigned)(st.st_mode & 0777));
	return t;
 fail:
	tlsc_ctx_free(t);
	return NULL;
}

void
tlsc_ctx_free(struct tlsc_ctx *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ssl);
	BIO_meth_free(t->wmeth);
	free(t->hostname);
	tlsc_pair_free(t->pair);
	tlsc_ticket_keys_free(t->keys);
	if (t->has_lock)
		pthread_mutex_destroy(&t->lock);
	free(t);
}

struct tlsc_conn *
tlsc_conn_new(struct tlsc_ctx *t, int fd)
{
	struct tlsc_conn	*c;
	struct tlsc_pair	*p;
	BIO			*rb = NULL, *wb = NULL;
	int			 ok;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fd = fd;
	ERR_clear_error();
	if ((c->ssl = SSL_new(t->ssl)) == NULL ||
	    (rb = BIO_new_socket(fd, BIO_NOCLOSE)) == NULL ||
	    (wb = BIO_new(t->wmeth)) == NULL) {
		BIO_free(rb);
		ERR_clear_error();
		tlsc_conn_free(c);
		return NULL;
	}
	BIO_set_data(wb, c);
	BIO_set_init(wb, 1);
	SSL_set_bio(c->ssl, rb, wb);
	SSL_set_accept_state(c->ssl);
	/* After a SIGHUP, the certificate read then. */
	pthread_mutex_lock(&t->lock);
	p = t->pair;
	ok = p == NULL || SSL_use_cert_and_key(c->ssl, p->cert, p->key,
	    p->chain, 1) == 1;
	pthread_mutex_unlock(&t->lock);
	if (!ok) {
		ERR_clear_error();
		tlsc_conn_free(c);
		return NULL;
	}
	return c;
}

void
tlsc_conn_free(struct tlsc_conn *c)
{
	if (c == NULL)
		return;
	SSL_free(c->ssl);
	free(c->wbuf);
	free(c);
}

/*
 * Send what OpenSSL wrote: 0 when all of it left, TLSC_WANT_WRITE when
 * the socket is full, TLSC_ERROR when the peer is gone.  The buffer is
 * freed once empty, so that an idle connection holds none.
 */
static int
tlsc_flush(struct tlsc_conn *c)
{
	ssize_t	 n;

	while (c->woff < c->wlen) {
		n = send(c->fd, c->wbuf + c->woff, c->wlen - c->woff,
		    MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return TLSC_WANT_WRITE;
			c->dead = 1;
			(void)snprintf(c->err, sizeof(c->err), "send: %s",
			    strerror(errno));
			return TLSC_ERROR;
		}
		c->woff += (size_t)n;
		c->sent += (size_t)n;
	}
	free(c->wbuf);
	c->wbuf = NULL;
	c->wlen = c->woff = c->wcap = 0;
	return 0;
}

/*
 * After a fatal error: one attempt to send what OpenSSL queued (an alert
 * telling the peer why), then nothing more.
 */
static void
tlsc_send_alert(struct tlsc_conn *c)
{
	if (c->woff < c->wlen)
		(void)send(c->fd, c->wbuf + c->woff, c->wlen - c->woff,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
	free(c->wbuf);
	c->wbuf = NULL;
	c->wlen = c->woff = c->wcap = 0;
}

/* Before waiting for the peer: what we wrote must have left. */
static int
tlsc_want_read(struct tlsc_conn *c)
{
	int	 r;

	if ((r = tlsc_flush(c)) != 0)
		return r;
	return TLSC_WANT_READ;
}

/* Map a failed SSL call to a TLSC_* result. */
static int
tlsc_result(struct tlsc_conn *c, int r, const char *what)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return tlsc_want_read(c);
	case SSL_ERROR_WANT_WRITE:
		return TLSC_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
	case SSL_ERROR_SSL:
	default:
		/* OpenSSL forbids SSL_shutdown() after these. */
		c->dead = 1;
		tlsc_conn_reason(c, what);
		tlsc_send_alert(c);
		return TLSC_ERROR;
	}
}

/*
 * A resumed TLS 1.2 handshake ends with the client's Finished, and the
 * request that follows waits behind the client's Nagle algorithm until
 * our ACK: send it now rather than after the delayed-ACK timer.  (TLS 1.3
 * sends a session ticket there instead: tlsc_ctx_new().)
 */
static void
tlsc_quickack(struct tlsc_conn *c)
{
	int	 one = 1;

	if (SSL_version(c->ssl) < TLS1_3_VERSION && SSL_session_reused(c->ssl))
		(void)setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one,
		    sizeof(one));
}

int
tlsc_handshake(struct tlsc_conn *c)
{
	int	 r;

	if (c->dead)
		return TLSC_ERROR;
	if (c->established)
		return 0;
	ERR_clear_error();
	errno = 0;
	if ((r = SSL_do_handshake(c->ssl)) == 1) {
		c->established = 1;
		tlsc_quickack(c);
		/* The session ticket leaves with the response. */
		return 0;
	}
	r = tlsc_result(c, r, "handshake");
	if (r == 0) {
		/* A close_notify before the handshake finished. */
		c->dead = 1;
		(void)snprintf(c->err, sizeof(c->err), "handshake: closed by "
		    "the client");
		return TLSC_ERROR;
	}
	return r;
}

ssize_t
tlsc_read(struct tlsc_conn *c, void *p, size_t len)
{
	int	 r, n;

	if (c->dead)
		return TLSC_ERROR;
	n = len > INT_MAX ? INT_MAX : (int)len;
	ERR_clear_error();
	errno = 0;
	if ((r = SSL_read(c->ssl, p, n)) > 0)
		return r;
	return tlsc_result(c, r, "read");
}

ssize_t
tlsc_write(struct tlsc_conn *c, const void *p, size_t len)
{
	int	 r, n;

	if (c->dead)
		return TLSC_ERROR;
	if (len == 0)
		return 0;
	if (c->wlen - c->woff >= TLSC_PENDING_MAX) {
		if ((r = tlsc_flush(c)) != 0)
			return r;
	}
	n = len > TLSC_WRITE_CHUNK ? TLSC_WRITE_CHUNK : (int)len;
	ERR_clear_error();
	errno = 0;
	if ((r = SSL_write(c->ssl, p, n)) > 0)
		return r;
	r = tlsc_result(c, r, "write");
	if (r == 0) {
		/* The peer's close_notify came in the way: it left. */
		return TLSC_ERROR;
	}
	return r;
}

int
tlsc_close_notify(struct tlsc_conn *c)
{
	int	 r;

	if (c->dead || !c->established)
		return 0;
	if (!c->notified) {
		ERR_clear_error();
		errno = 0;
		/* The buffer never blocks: this queues the alert. */
		if ((r = SSL_shutdown(c->ssl)) < 0) {
			c->dead = 1;
			tlsc_conn_reason(c, "close_notify");
			tlsc_send_alert(c);
			return 0;
		}
		c->notified = 1;
	}
	return tlsc_flush(c);
}

size_t
tlsc_conn_sent(const struct tlsc_conn *c)
{
	return c->sent;
}

const char *
tlsc_conn_version(const struct tlsc_conn *c)
{
	return SSL_get_version(c->ssl);
}

int
tlsc_conn_resumed(const struct tlsc_conn *c)
{
	return SSL_session_reused(c->ssl) == 1;
}

const char *
tlsc_conn_error(const struct tlsc_conn *c)
{
	return c->err[0] != '\0' ? c->err : "no error";
}
