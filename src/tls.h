/* griot: TLS.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The server side of TLS.  Its prefix is "tlsc_" (not "tls_", which
 * belongs to libtls).  It makes the server context and wraps one
 * non-blocking socket at a time; the self-signed certificate and the
 * fingerprint are tlscert.h's.  OpenSSL is included by tls.c and
 * tlscert.c only: the types are opaque so that no other file needs
 * OpenSSL's headers.
 */
#ifndef GRIOT_TLS_H
#define GRIOT_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct conf;
struct tlsc_ctx;
struct tlsc_conn;

#define TLSC_FINGERPRINT_MAX	128

/*
 * Results of the connection calls below besides a byte count: wait until
 * the socket is readable (TLSC_WANT_READ) or writable (TLSC_WANT_WRITE)
 * and call again, or give up (TLSC_ERROR: the peer went away or spoke
 * something other than TLS; nothing more can be sent).
 */
#define TLSC_ERROR		(-1)
#define TLSC_WANT_READ		(-2)
#define TLSC_WANT_WRITE		(-3)

/*
 * Log "what" with the reasons OpenSSL queued, then clear the queue (for
 * tls.c and tlscert.c).
 */
void	 tlsc_log_errors(const char *what);

/*
 * Session ticket keys: the [gemini] ticket_keys file, in HAProxy's
 * tls-ticket-keys format.  One key per line in base64, each of 48 bytes
 * (a 16-byte name, a 16-byte AES-128 key, a 16-byte HMAC-SHA256 key) or
 * of 80 (the name, then a 32-byte AES-256 key and a 32-byte HMAC key),
 * every key as long as the first; blank lines are skipped.  The last
 * TLSC_TICKET_KEYS keys are kept and each decrypts the tickets made
 * with it; the penultimate key of the file encrypts (the only one, when
 * there is one).  So a rotation appends a new key and drops the oldest:
 * every instance can decrypt with the new key before the next rotation
 * makes it the one that encrypts, whatever the order of their reloads.
 */
#define TLSC_TICKET_KEYS	3
#define TLSC_TICKET_NAME	16
#define TLSC_TICKET_KEY_128	48
#define TLSC_TICKET_KEY_256	80

struct tlsc_ticket_keys {
	unsigned char	 key[TLSC_TICKET_KEYS][TLSC_TICKET_KEY_256];
	size_t		 n;	/* keys kept, oldest first: 1 to TLSC_TICKET_KEYS */
	size_t		 len;	/* TLSC_TICKET_KEY_128 or TLSC_TICKET_KEY_256 */
	size_t		 enc;	/* the key that encrypts: key[enc] */
};

/*
 * Parse the text of a ticket key file into "keys".  Returns 0, or -1
 * with the reason in "err" ("line 2: 32 bytes, expected 48 or 80").
 */
int	 tlsc_ticket_keys_parse(const char *text, size_t len,
	    struct tlsc_ticket_keys *keys, char *err, size_t errlen);

/* griotd -t: can the ticket key file "path" be used?  0, or -1 logged. */
int	 tlsc_ticket_keys_check(const char *path);

/*
 * The server context for conf->cert and conf->key: TLS 1.2 minimum,
 * ECDHE key exchange only, AEAD ciphers, every SNI name accepted (the
 * Gemini layer answers 53 for hosts it does not serve), no
 * middlebox-compatibility change_cipher_spec, no client certificate
 * requested.  The certificate file holds the certificate, then any
 * intermediates to send with it (no chain is built).  Resumption: one
 * ticket per full handshake, and a fresh one after each resumed TLS 1.3
 * handshake.  Without conf->ticket_keys the ticket is a session id in a
 * cache of this process, shared by every thread; with it, the ticket is
 * the session itself, encrypted with the keys of that file, so that any
 * instance holding the same file resumes it.  Safe to share between
 * threads.  Returns NULL with the reason logged.
 */
struct tlsc_ctx		*tlsc_ctx_new(const struct conf *);
void			 tlsc_ctx_free(struct tlsc_ctx *);	/* NULL is fine */

/*
 * SIGHUP: read the certificate "cert" and its key "key" again, and the
 * ticket key file "ticket_keys" (NULL when unset).  Connections made
 * after it use what was read; those under way keep theirs.  A pair that
 * does not load (unreadable, malformed, a key that is not the
 * certificate's) or a broken ticket key file leaves the previous one in
 * use, with the reason logged.  Tickets cannot be turned on or off
 * without a restart (logged too).  The paths are as seen now (inside a
 * chroot, without its prefix).  Returns 0 when everything was read
 * again, -1 when something was kept.
 */
int	 tlsc_ctx_reload(struct tlsc_ctx *, const char *cert, const char *key,
	    const char *ticket_keys);

/*
 * Wrap the connected non-blocking socket "fd" (not closed by
 * tlsc_conn_free).  Returns NULL when memory ran out.
 *
 * OpenSSL reads the socket directly, taking every record that arrived
 * in one read.  What it writes is gathered in the connection and sent in
 * as few send() calls as possible: before any call below returns
 * TLSC_WANT_READ (the peer must see what we wrote before it answers),
 * when a lot is pending, and by tlsc_close_notify().  So a response, the
 * session ticket before it and close_notify after it usually leave in
 * one segment.  TLSC_WANT_WRITE from any call means that pending bytes
 * wait for room in the socket: wait until it is writable, call again.
 */
struct tlsc_conn	*tlsc_conn_new(struct tlsc_ctx *, int fd);
void			 tlsc_conn_free(struct tlsc_conn *);	/* NULL is fine */

/* Drive the server handshake: 0 when done, or a TLSC_* result. */
int	 tlsc_handshake(struct tlsc_conn *);

/*
 * Read decrypted bytes: a count, 0 when the peer closed cleanly
 * (close_notify), or a TLSC_* result (an unclean EOF is TLSC_ERROR).
 */
ssize_t	 tlsc_read(struct tlsc_conn *, void *, size_t);

/*
 * Encrypt at most 16 KiB of "len" bytes (in records of at most 4 KiB)
 * into the pending output: a count > 0, or a TLSC_* result.  The bytes
 * are sent once 32 KiB are pending, or by tlsc_close_notify(), which
 * must follow the last write.
 */
ssize_t	 tlsc_write(struct tlsc_conn *, const void *, size_t);

/*
 * Queue close_notify and send everything pending: 0 when it is all sent
 * or nothing can be (no finished handshake, or a fatal error earlier),
 * TLSC_WANT_WRITE (call again when writable), or TLSC_ERROR when the
 * peer went away while it was being sent.  The peer's own close_notify
 * is not waited for.
 */
int	 tlsc_close_notify(struct tlsc_conn *);

/* Bytes sent on the socket so far: progress for the write deadline. */
size_t	 tlsc_conn_sent(const struct tlsc_conn *);

/* Negotiated protocol ("TLSv1.3") and whether the session was resumed. */
const char	*tlsc_conn_version(const struct tlsc_conn *);
int		 tlsc_conn_resumed(const struct tlsc_conn *);

/* Why the last TLSC_ERROR happened ("handshake: ...: http request"). */
const char	*tlsc_conn_error(const struct tlsc_conn *);

#endif
