/* griot: the self-signed certificate.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The key and self-signed certificate made on first start, and the
 * certificate fingerprint that griotd prints and logs.  With tls.c, the
 * only file that includes OpenSSL.
 */
#include "griot-config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "log.h"
#include "tls.h"
#include "tlscert.h"

/* A self-signed certificate is trusted on first use: make it last. */
#define TLSCERT_DAYS		(20 * 365 + 5)

int
tlscert_digest(X509 *x, char *out, size_t outlen)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0, i;
	static const char hex[] = "0123456789abcdef";
	size_t		 n;

	if (X509_digest(x, EVP_sha256(), md, &mdlen) != 1)
		return -1;
	n = strlen("SHA256:");
	if (outlen < n + 2 * (size_t)mdlen + 1)
		return -1;
	memcpy(out, "SHA256:", n);
	for (i = 0; i < mdlen; i++) {
		out[n++] = hex[md[i] >> 4];
		out[n++] = hex[md[i] & 0x0f];
	}
	out[n] = '\0';
	return 0;
}

/* Does "path" exist?  1 yes, 0 no, -1 cannot tell (logged). */
static int
tlscert_exists(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	log_warn("%s", path);
	return -1;
}

/* mkdir -p for the folder holding "path". */
static int
tlscert_mkdirs(const char *path)
{
	char	 dir[PATH_MAX];
	char	*p;
	int	 n;

	n = snprintf(dir, sizeof(dir), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		log_warnx("%s: path too long", path);
		return -1;
	}
	if ((p = strrchr(dir, '/')) == NULL)
		return 0;
	if (p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			log_warn("mkdir %s", dir);
			return -1;
		}
		*p = '/';
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("mkdir %s", dir);
		return -1;
	}
	return 0;
}

/* Create "path" (never replacing a file) with "mode" and open it. */
static FILE *
tlscert_create(const char *path, mode_t mode)
{
	FILE	*fp;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd == -1) {
		log_warn("%s", path);
		return NULL;
	}
	if (fchmod(fd, mode) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		log_warn("%s", path);
		close(fd);
		unlink(path);
		return NULL;
	}
	return fp;
}

/* Close a file written by tlscert_create(); on failure remove it. */
static int
tlscert_finish(FILE *fp, const char *path, int ok)
{
	if (ok && (fflush(fp) != 0 || fsync(fileno(fp)) == -1)) {
		log_warn("%s", path);
		ok = 0;
	}
	if (fclose(fp) != 0 && ok) {
		log_warn("%s", path);
		ok = 0;
	}
	if (!ok)
		unlink(path);
	return ok ? 0 : -1;
}

static int
tlscert_write_key(const char *path, EVP_PKEY *pkey)
{
	FILE	*fp;
	int	 ok;

	if ((fp = tlscert_create(path, 0600)) == NULL)
		return -1;
	ok = PEM_write_PrivateKey(fp, pkey, NULL, NULL, 0, NULL, NULL) == 1;
	if (!ok)
		tlsc_log_errors(path);
	return tlscert_finish(fp, path, ok);
}

static EVP_PKEY *
tlscert_read_key(const char *path)
{
	EVP_PKEY	*pkey;
	FILE		*fp;

	if ((fp = fopen(path, "re")) == NULL) {
		log_warn("%s", path);
		return NULL;
	}
	pkey = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (pkey == NULL)
		tlsc_log_errors(path);
	return pkey;
}

/* Push "name" onto "names": an IP address if it is one, else a DNS name. */
static int
tlscert_san_push(GENERAL_NAMES *names, const char *name)
{
	GENERAL_NAME		*gn = NULL;
	ASN1_OCTET_STRING	*ip = NULL;
	ASN1_IA5STRING		*dns = NULL;
	unsigned char		 addr[16];
	int			 rv = -1;

	if ((gn = GENERAL_NAME_new()) == NULL)
		goto done;
	if (inet_pton(AF_INET, name, addr) == 1 ||
	    inet_pton(AF_INET6, name, addr) == 1) {
		size_t	 len = strchr(name, ':') != NULL ? 16 : 4;

		if ((ip = ASN1_OCTET_STRING_new()) == NULL ||
		    ASN1_OCTET_STRING_set(ip, addr, (int)len) != 1)
			goto done;
		GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
		ip = NULL;
	} else {
		if ((dns = ASN1_IA5STRING_new()) == NULL ||
		    ASN1_STRING_set(dns, name, -1) != 1)
			goto done;
		GENERAL_NAME_set0_value(gn, GEN_DNS, dns);
		dns = NULL;
	}
	if (sk_GENERAL_NAME_push(names, gn) == 0)
		goto done;
	gn = NULL;
	rv = 0;
 done:
	ASN1_OCTET_STRING_free(ip);
	ASN1_IA5STRING_free(dns);
	GENERAL_NAME_free(gn);
	return rv;
}

/*
 * subjectAltName: the host name, or the IP address if it is one; for
 * "localhost" also 127.0.0.1 and ::1, which a local tester types and
 * griotd answers for (a client that checks the name finds it).
 */
static int
tlscert_add_san(X509 *x, const char *host)
{
	GENERAL_NAMES	*names = NULL;
	int		 rv = -1;

	if ((names = sk_GENERAL_NAME_new_null()) == NULL ||
	    tlscert_san_push(names, host) == -1)
		goto done;
	if (strcasecmp(host, "localhost") == 0 &&
	    (tlscert_san_push(names, "127.0.0.1") == -1 ||
	    tlscert_san_push(names, "::1") == -1))
		goto done;
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0, 0) != 1)
		goto done;
	rv = 0;
 done:
	GENERAL_NAMES_free(names);
	return rv;
}

static int
tlscert_add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX	 v3;
	X509_EXTENSION	*ext;
	int		 rv;

	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value)) == NULL)
		return -1;
	rv = X509_add_ext(x, ext, -1) == 1 ? 0 : -1;
	X509_EXTENSION_free(ext);
	return rv;
}

/* A self-signed X.509 v3 certificate for "host", signed with SHA-256. */
static X509 *
tlscert_make_cert(EVP_PKEY *pkey, const char *host)
{
	X509		*x = NULL;
	X509_NAME	*name;
	BIGNUM		*serial = NULL;

	if ((x = X509_new()) == NULL || X509_set_version(x, 2) != 1)
		goto fail;
	/*
	 * 63 random bits: positive, unique for all purposes of a
	 * self-signed certificate, and 8 octets rather than 20 in every
	 * full handshake.
	 */
	if ((serial = BN_new()) == NULL ||
	    BN_rand(serial, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
	    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) == NULL)
		goto fail;
	if (X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), TLSCERT_DAYS, 0,
	    NULL) == NULL)
		goto fail;
	if (X509_set_pubkey(x, pkey) != 1)
		goto fail;
	name = X509_get_subject_name(x);
	/* A CN is at most 64 characters; the SAN carries the real name. */
	if (strlen(host) <= 64) {
		if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
		    (const unsigned char *)host, -1, -1, 0) != 1)
			goto fail;
	} else if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	    (const unsigned char *)"griot", -1, -1, 0) != 1)
		goto fail;
	if (X509_set_issuer_name(x, name) != 1)
		goto fail;
	/*
	 * The certificate goes out in every full handshake, so it carries
	 * only what a client checks: the name (subjectAltName) and that it
	 * is no CA.  A subject key identifier serves chain building, and a
	 * self-signed certificate has no chain; key usage and extended key
	 * usage only restrict a key that serves nothing else.  This is 52
	 * bytes fewer than with them.  Certificates made before are kept
	 * as they are: readers trusted them on first use.
	 */
	if (tlscert_add_san(x, host) == -1 ||
	    tlscert_add_ext(x, NID_basic_constraints, "critical,CA:FALSE") == -1)
		goto fail;
	if (X509_sign(x, pkey, EVP_sha256()) <= 0)
		goto fail;
	BN_free(serial);
	return x;
 fail:
	BN_free(serial);
	X509_free(x);
	return NULL;
}


int
tlscert_ensure(const struct conf *conf)
{
	EVP_PKEY	*pkey = NULL;
	X509		*x = NULL;
	FILE		*fp;
	char		 fp_hex[TLSC_FINGERPRINT_MAX];
	int		 have_cert, have_key, ok, rv = -1;

	if ((have_cert = tlscert_exists(conf->cert)) == -1 ||
	    (have_key = tlscert_exists(conf->key)) == -1)
		return -1;
	if (have_cert && have_key)
		return 0;
	if (!conf->auto_cert) {
		log_warnx("%s: missing, and [gemini] auto_cert is off",
		    have_cert ? conf->key : conf->cert);
		return -1;
	}
	if (have_cert && !have_key) {
		log_warnx("%s: the certificate is there but not its key %s; "
		    "not replacing it (remove both to have a new pair made)",
		    conf->cert, conf->key);
		return -1;
	}
	if (conf->hostname == NULL || *conf->hostname == '\0') {
		log_warnx("cannot make a certificate: [capsule] hostname is "
		    "empty");
		return -1;
	}
	if (tlscert_mkdirs(conf->key) == -1 || tlscert_mkdirs(conf->cert) == -1)
		return -1;

	ERR_clear_error();
	if (have_key) {
		if ((pkey = tlscert_read_key(conf->key)) == NULL)
			goto done;
		log_info("%s: making a certificate for the existing key",
		    conf->cert);
	} else {
		if ((pkey = EVP_EC_gen("P-256")) == NULL) {
			tlsc_log_errors("generating an ECDSA P-256 key");
			goto done;
		}
		if (tlscert_write_key(conf->key, pkey) == -1)
			goto done;
	}
	if ((x = tlscert_make_cert(pkey, conf->hostname)) == NULL) {
		tlsc_log_errors("making the self-signed certificate");
		goto done;
	}
	if ((fp = tlscert_create(conf->cert, 0644)) == NULL)
		goto done;
	ok = PEM_write_X509(fp, x) == 1;
	if (!ok)
		tlsc_log_errors(conf->cert);
	if (tlscert_finish(fp, conf->cert, ok) == -1)
		goto done;
	if (tlscert_digest(x, fp_hex, sizeof(fp_hex)) == -1) {
		tlsc_log_errors("certificate fingerprint");
		goto done;
	}
	log_info("%s: new self-signed certificate for %s, valid %d years, "
	    "fingerprint %s", conf->cert, conf->hostname,
	    TLSCERT_DAYS / 365, fp_hex);
	rv = 0;
 done:
	X509_free(x);
	EVP_PKEY_free(pkey);
	return rv;
}

int
tlscert_fingerprint(const char *certpath, char *out, size_t outlen)
{
	X509	*x;
	FILE	*fp;
	int	 rv;

	if ((fp = fopen(certpath, "re")) == NULL) {
		log_warn("%s", certpath);
		return -1;
	}
	ERR_clear_error();
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (x == NULL) {
		tlsc_log_errors(certpath);
		return -1;
	}
	if ((rv = tlscert_digest(x, out, outlen)) == -1)
		log_warnx("%s: cannot compute the fingerprint", certpath);
	X509_free(x);
	return rv;
}
