/* griot: the self-signed certificate.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The key and certificate made on first start, and the fingerprint of a
 * certificate file.  OpenSSL is included by tlscert.c and tls.c only:
 * this header names its certificate type by its struct tag alone.
 */
#ifndef GRIOT_TLSCERT_H
#define GRIOT_TLSCERT_H

#include <stddef.h>

struct conf;
struct x509_st;		/* OpenSSL's X509 */

/*
 * When the certificate or the key of "conf" is missing and auto_cert is
 * on: generate an ECDSA P-256 key (mode 0600) and a long-lived
 * self-signed certificate for the hostname, and log its fingerprint.
 * A key that exists without its certificate keeps serving: only the
 * certificate is made for it.  Existing files are never overwritten.
 * Returns 0, or -1 logged.
 */
int	 tlscert_ensure(const struct conf *);

/*
 * "SHA256:<64 lower-case hex digits>" of the certificate file's DER, in
 * at most "outlen" bytes (TLSC_FINGERPRINT_MAX is enough).  Returns 0,
 * or -1 logged.
 */
int	 tlscert_fingerprint(const char *certpath, char *out, size_t outlen);

/*
 * The same of a certificate in memory (for tls.c).  Returns 0, or -1
 * when OpenSSL failed (its errors queued) or "out" is too small.
 */
int	 tlscert_digest(struct x509_st *, char *out, size_t outlen);

#endif
