/* griot: TLS.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The only module that includes OpenSSL.  Its prefix is "tlsc_" (not
 * "tls_", which belongs to libtls).
 */
#ifndef GRIOT_TLS_H
#define GRIOT_TLS_H

#include <stddef.h>

struct conf;

#define TLSC_FINGERPRINT_MAX	128

/*
 * When the certificate or the key of "conf" is missing and auto_cert is
 * on: generate an ECDSA P-256 key (mode 0600) and a long-lived
 * self-signed certificate for the hostname, and log its fingerprint.
 * Existing files are never overwritten.  Returns 0, or -1 logged.
 */
int	 tlsc_ensure_cert(const struct conf *);

/* "SHA256:<64 hex digits>" of the certificate file's DER. */
int	 tlsc_fingerprint(const char *certpath, char *out, size_t outlen);

#endif
