// SPDX-License-Identifier: MIT
/* TLS (OpenSSL): the server context with certificate, key and CA, and a
 * session per client on a socket BIO of our own. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/net.h"

const char *sc_tls_error(void)
{
	static __thread char buf[160];
	unsigned long e = ERR_get_error();

	if (!e)
		return "connection closed";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static int pem_password(char *buf, int size, int rw, void *data)
{
	const char *pw = data;
	size_t n = pw ? strlen(pw) : 0;

	(void)rw;
	if (!pw || n >= (size_t)size)
		return 0;
	memcpy(buf, pw, n);
	return (int)n;
}

int sc_net_tls_init(struct sc_net *net, const char *cert, const char *key,
		    const char *key_password, const char *ca,
		    const char *ciphers, GError **err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	const char *what, *file = "";

	if (!ctx) {
		what = "TLS";
		goto fail;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* No client-initiated renegotiation (CVE-2021-20201). */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
			    SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_default_passwd_cb(ctx, pem_password);
	SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)key_password);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		what = "cannot load TLS certificate ";
		file = cert;
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		what = "cannot load TLS key ";
		file = key;
		goto fail;
	}
	if (ca && g_file_test(ca, G_FILE_TEST_EXISTS) &&
	    SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		what = "cannot load CA file ";
		file = ca;
		goto fail;
	}
	if (ciphers && SSL_CTX_set_cipher_list(ctx, ciphers) != 1) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID,
			    "bad TLS cipher list '%s'", ciphers);
		SSL_CTX_free(ctx);
		return -1;
	}
	net->tls = ctx;
	return 0;
fail:
	g_set_error(err, SC_ERROR, SC_ERR_FAILED, "%s%s: %s", what, file,
		    sc_tls_error());
	SSL_CTX_free(ctx);
	return -1;
}

/*
 * A socket BIO of our own: OpenSSL's writes with write(), and a client that
 * vanished mid-write would raise SIGPIPE and kill the whole process unless
 * the application ignores it.  Ours sends with MSG_NOSIGNAL.
 */
static int sock_bio_write(BIO *b, const char *p, int n)
{
	int fd = (int)(intptr_t)BIO_get_data(b);
	ssize_t r = send(fd, p, (size_t)n, MSG_NOSIGNAL);

	BIO_clear_retry_flags(b);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		BIO_set_retry_write(b);
	return (int)r;
}

static int sock_bio_read(BIO *b, char *p, int n)
{
	int fd = (int)(intptr_t)BIO_get_data(b);
	ssize_t r = recv(fd, p, (size_t)n, 0);

	BIO_clear_retry_flags(b);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		BIO_set_retry_read(b);
	return (int)r;
}

static long sock_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static BIO *sock_bio_new(int fd)
{
	static gsize once;
	static BIO_METHOD *m;
	BIO *b;

	if (g_once_init_enter(&once)) {
		m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK |
				 BIO_TYPE_DESCRIPTOR, "spice-core socket");
		if (m) {
			BIO_meth_set_write(m, sock_bio_write);
			BIO_meth_set_read(m, sock_bio_read);
			BIO_meth_set_ctrl(m, sock_bio_ctrl);
		}
		g_once_init_leave(&once, 1);
	}
	if (!m)
		return NULL;
	b = BIO_new(m);
	if (!b)
		return NULL;
	BIO_set_data(b, (void *)(intptr_t)fd);
	BIO_set_init(b, 1);
	return b;
}

SSL *sc_tls_session_new(SSL_CTX *ctx, int fd)
{
	BIO *bio = sock_bio_new(fd);
	SSL *ssl = bio ? SSL_new(ctx) : NULL;

	if (!ssl) {
		BIO_free(bio);
		return NULL;
	}
	SSL_set_bio(ssl, bio, bio);
	SSL_set_accept_state(ssl);
	return ssl;
}
