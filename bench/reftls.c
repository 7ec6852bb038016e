/* griot: reference TLS server for the benchmarks.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The least a Gemini server can do, to measure griotd against: one thread,
 * one epoll loop, non-blocking OpenSSL; TLS 1.3 handshake with an ECDSA
 * P-256 certificate (files, or generated in memory), read a line, write a
 * fixed answer, send close_notify, close.  Session tickets are on, so
 * resumed handshakes can be measured too.  Loopback only.
 */
#include "griot-config.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define REF_FD_MAX	65536
#define REF_LINE_MAX	1026

enum ref_state {
	REF_HANDSHAKE,
	REF_READ,
	REF_WRITE,
	REF_SHUTDOWN
};

struct ref_conn {
	SSL		*ssl;
	enum ref_state	 state;
	size_t		 rlen;
	size_t		 woff;
};

static struct ref_conn	*conns;
static char		*answer;
static size_t		 answerlen;
static volatile sig_atomic_t quit;
static unsigned long	 nhand, nresumed;

static void
usage(void)
{
	fprintf(stderr, "usage: reftls [-a address] [-P port] [-L lifetime] "
	    "[-k tickets]\n"
	    "              [-c cert -K key] (-f file | -b bytes)\n");
	exit(2);
}

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static int
load_file(const char *path)
{
	struct stat	 sb;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		perror(path);
		return -1;
	}
	answerlen = (size_t)sb.st_size;
	if ((answer = malloc(answerlen + 1)) == NULL) {
		close(fd);
		return -1;
	}
	while (off < answerlen) {
		n = read(fd, answer + off, answerlen - off);
		if (n <= 0) {
			perror(path);
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	close(fd);
	return 0;
}

/* A Gemini header and N bytes of gemtext lines. */
static int
make_bytes(size_t n)
{
	static const char	 head[] = "20 text/gemini; charset=utf-8\r\n";
	size_t			 h = sizeof(head) - 1, i;

	if ((answer = malloc(h + n + 1)) == NULL)
		return -1;
	memcpy(answer, head, h);
	for (i = 0; i < n; i++)
		answer[h + i] = (i % 68 == 67) ? '\n' : (char)('a' + i % 26);
	answerlen = h + n;
	return 0;
}

/* A self-signed ECDSA P-256 certificate for "localhost", in memory. */
static int
make_cert(SSL_CTX *ctx)
{
	EVP_PKEY_CTX	*pctx = NULL;
	EVP_PKEY	*pkey = NULL;
	X509		*x = NULL;
	X509_NAME	*nm;
	int		 rc = -1;

	if ((pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_keygen_init(pctx) != 1 ||
	    EVP_PKEY_CTX_set_group_name(pctx, "P-256") != 1 ||
	    EVP_PKEY_keygen(pctx, &pkey) != 1)
		goto done;
	if ((x = X509_new()) == NULL ||
	    X509_set_version(x, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), 1) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 365L * 86400) == NULL ||
	    X509_set_pubkey(x, pkey) != 1 ||
	    (nm = X509_get_subject_name(x)) == NULL ||
	    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
	    (const unsigned char *)"localhost", -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, nm) != 1 ||
	    X509_sign(x, pkey, EVP_sha256()) == 0)
		goto done;
	if (SSL_CTX_use_certificate(ctx, x) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, pkey) != 1)
		goto done;
	rc = 0;
done:
	X509_free(x);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(pctx);
	return rc;
}

static void
conn_close(int fd)
{
	struct ref_conn	*c = &conns[fd];

	SSL_free(c->ssl);
	c->ssl = NULL;
	close(fd);
	ERR_clear_error();
}

/* 0: wait for the socket; -1: the connection is gone. */
static int
conn_want(int fd, int r)
{
	switch (SSL_get_error(conns[fd].ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return 0;
	default:
		conn_close(fd);
		return -1;
	}
}

/* Handshake, read the line, write the answer, close_notify; edge-triggered. */
static void
conn_drive(int fd)
{
	struct ref_conn	*c = &conns[fd];
	char		 buf[REF_LINE_MAX];
	int		 r;

	for (;;) {
		switch (c->state) {
		case REF_HANDSHAKE:
			if ((r = SSL_do_handshake(c->ssl)) != 1) {
				conn_want(fd, r);
				return;
			}
			nhand++;
			if (SSL_session_reused(c->ssl))
				nresumed++;
			c->state = REF_READ;
			break;
		case REF_READ:
			if ((r = SSL_read(c->ssl, buf, sizeof(buf))) <= 0) {
				conn_want(fd, r);
				return;
			}
			c->rlen += (size_t)r;
			if (memchr(buf, '\n', (size_t)r) != NULL)
				c->state = REF_WRITE;
			else if (c->rlen > REF_LINE_MAX) {
				conn_close(fd);
				return;
			}
			break;
		case REF_WRITE:
			r = SSL_write(c->ssl, answer + c->woff,
			    (int)(answerlen - c->woff));
			if (r <= 0) {
				conn_want(fd, r);
				return;
			}
			c->woff += (size_t)r;
			if (c->woff == answerlen)
				c->state = REF_SHUTDOWN;
			break;
		case REF_SHUTDOWN:
			/* Send close_notify; the client's is not awaited. */
			r = SSL_shutdown(c->ssl);
			if (r < 0 && conn_want(fd, r) == -1)
				return;
			if (r >= 0)
				conn_close(fd);
			return;
		}
	}
}

int
main(int argc, char *argv[])
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct epoll_event	 ev, evs[256];
	struct sigaction	 sa;
	SSL_CTX			*ctx;
	socklen_t		 sslen;
	const char		*host = "127.0.0.1", *file = NULL;
	const char		*cert = NULL, *key = NULL;
	long			 port = 0, bytes = -1, life = 600, tickets = -1;
	time_t			 tend;
	char			 name[INET6_ADDRSTRLEN];
	int			 ch, lfd, fd, epfd, i, nev, one = 1;

	while ((ch = getopt(argc, argv, "a:b:c:f:K:k:L:P:")) != -1) {
		switch (ch) {
		case 'a':
			host = optarg;
			break;
		case 'b':
			bytes = strtol(optarg, NULL, 10);
			break;
		case 'c':
			cert = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'K':
			key = optarg;
			break;
		case 'k':
			tickets = strtol(optarg, NULL, 10);
			break;
		case 'L':
			life = strtol(optarg, NULL, 10);
			break;
		case 'P':
			port = strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (file == NULL) == (bytes < 0) || port < 0 ||
	    port > 65535 || life < 1 || (cert == NULL) != (key == NULL) ||
	    tickets > 16)
		usage();
	if ((file != NULL ? load_file(file) : make_bytes((size_t)bytes)) == -1)
		return 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			goto notloop;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sslen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			goto notloop;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sslen = sizeof(*sin6);
	} else
		goto notloop;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1) {
		fprintf(stderr, "reftls: SSL_CTX_new failed\n");
		return 1;
	}
	if (cert != NULL) {
		if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) !=
		    1) {
			fprintf(stderr, "reftls: %s, %s: cannot load\n", cert,
			    key);
			return 1;
		}
	} else if (make_cert(ctx) == -1) {
		fprintf(stderr, "reftls: cannot generate a certificate\n");
		return 1;
	}
	if (tickets >= 0)
		SSL_CTX_set_num_tickets(ctx, (size_t)tickets);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

	if ((conns = calloc(REF_FD_MAX, sizeof(*conns))) == NULL) {
		perror("calloc");
		return 1;
	}
	if ((lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(lfd, (struct sockaddr *)&ss, sslen) == -1 ||
	    listen(lfd, 4096) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&ss, &sslen) == -1) {
		perror("reftls: listen");
		return 1;
	}
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("epoll_create1");
		return 1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) == -1) {
		perror("epoll_ctl");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	inet_ntop(ss.ss_family, ss.ss_family == AF_INET ?
	    (void *)&sin->sin_addr : (void *)&sin6->sin6_addr, name,
	    sizeof(name));
	printf("reftls: listening on %s port %d, %zu-byte answer, %ld "
	    "tickets\n", name, ntohs(ss.ss_family == AF_INET ? sin->sin_port :
	    sin6->sin6_port), answerlen,
	    tickets >= 0 ? tickets : (long)SSL_CTX_get_num_tickets(ctx));
	fflush(stdout);

	tend = time(NULL) + life;
	while (!quit && time(NULL) < tend) {
		nev = epoll_wait(epfd, evs, 256, 1000);
		if (nev == -1) {
			if (errno == EINTR)
				continue;
			perror("epoll_wait");
			return 1;
		}
		for (i = 0; i < nev; i++) {
			fd = evs[i].data.fd;
			if (fd != lfd) {
				if (conns[fd].ssl != NULL)
					conn_drive(fd);
				continue;
			}
			while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK |
			    SOCK_CLOEXEC)) != -1) {
				if (fd >= REF_FD_MAX) {
					close(fd);
					continue;
				}
				memset(&conns[fd], 0, sizeof(conns[fd]));
				if ((conns[fd].ssl = SSL_new(ctx)) == NULL ||
				    SSL_set_fd(conns[fd].ssl, fd) != 1) {
					conn_close(fd);
					continue;
				}
				SSL_set_accept_state(conns[fd].ssl);
				ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP |
				    EPOLLET;
				ev.data.fd = fd;
				if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ==
				    -1) {
					conn_close(fd);
					continue;
				}
				conn_drive(fd);
			}
		}
	}
	printf("reftls: %lu handshakes, %lu resumed\n", nhand, nresumed);
	for (fd = 0; fd < REF_FD_MAX; fd++)
		if (conns[fd].ssl != NULL)
			conn_close(fd);
	close(lfd);
	close(epfd);
	free(conns);
	free(answer);
	SSL_CTX_free(ctx);
	return 0;

notloop:
	fprintf(stderr, "reftls: %s: not a loopback address\n", host);
	return 2;
}
