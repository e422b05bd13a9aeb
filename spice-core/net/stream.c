// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
/* Sockets: listen, accept, non-blocking reads and writes, TLS. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "internal.h"

#define SC_READ_CHUNK 65536

/* A GSource watching one fd, calling back with the ready condition. */
struct fd_source {
	GSource src;
	gpointer tag;
	void (*cb)(void *data, GIOCondition cond);
	void *data;
};

static gboolean fd_source_dispatch(GSource *s, GSourceFunc unused,
				   gpointer unused2)
{
	struct fd_source *fs = (struct fd_source *)s;

	(void)unused;
	(void)unused2;
	g_source_set_ready_time(s, -1);
	fs->cb(fs->data, g_source_query_unix_fd(s, fs->tag));
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs fd_source_funcs = {
	.dispatch = fd_source_dispatch,
};

static GSource *fd_source_new(GMainContext *ctx, int fd, GIOCondition cond,
			      void (*cb)(void *, GIOCondition), void *data,
			      gpointer *tag)
{
	GSource *s = g_source_new(&fd_source_funcs, sizeof(struct fd_source));
	struct fd_source *fs = (struct fd_source *)s;

	fs->cb = cb;
	fs->data = data;
	fs->tag = g_source_add_unix_fd(s, fd, cond);
	*tag = fs->tag;
	g_source_attach(s, ctx);
	return s;
}

size_t sc_conn_queued(const struct sc_conn *c)
{
	return c->out.len - c->out_off + c->ssf_out.len - c->ssf_out_off;
}

static size_t plain_queued(const struct sc_conn *c)
{
	return c->out.len - c->out_off;
}

static void conn_set_cond(struct sc_conn *c)
{
	GIOCondition want = G_IO_IN;

	if (sc_conn_queued(c) || c->want_write)
		want |= G_IO_OUT;
	if (c->io && want != c->io_cond) {
		g_source_modify_unix_fd(c->io, c->io_tag, want);
		c->io_cond = want;
	}
}

static const char *tls_error(void)
{
	static __thread char buf[160];
	unsigned long e = ERR_get_error();

	if (!e)
		return "connection closed";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

/* Returns bytes read, 0 if nothing now, -1 after closing the conn. */
static ssize_t conn_recv(struct sc_conn *c, uint8_t *p, size_t n)
{
	ssize_t r;

	if (c->ssl) {
		int rc = SSL_read(c->ssl, p, (int)n);

		if (rc > 0)
			return rc;
		switch (SSL_get_error(c->ssl, rc)) {
		case SSL_ERROR_WANT_READ:
			return 0;
		case SSL_ERROR_WANT_WRITE:
			c->want_write = true;
			return 0;
		case SSL_ERROR_ZERO_RETURN:
			sc_conn_close(c, "peer closed the TLS connection");
			return -1;
		default:
			sc_conn_close(c, "TLS: %s", tls_error());
			return -1;
		}
	}
	r = recv(c->fd, p, n, 0);
	if (r > 0)
		return r;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r == 0)
		sc_conn_close(c, "peer closed the connection");
	else
		sc_conn_close(c, "recv: %s", g_strerror(errno));
	return -1;
}

static ssize_t conn_send(struct sc_conn *c, const uint8_t *p, size_t n)
{
	ssize_t r;

	if (c->ssl) {
		int rc = SSL_write(c->ssl, p, (int)MIN(n, (size_t)INT_MAX));

		c->want_write = false;
		if (rc > 0)
			return rc;
		switch (SSL_get_error(c->ssl, rc)) {
		case SSL_ERROR_WANT_READ:
		case SSL_ERROR_WANT_WRITE:
			return 0;
		default:
			sc_conn_close(c, "TLS write: %s", tls_error());
			return -1;
		}
	}
	r = send(c->fd, p, n, MSG_NOSIGNAL);
	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	sc_conn_close(c, "send: %s", g_strerror(errno));
	return -1;
}

/*
 * TLS record framing.  spice-gtk reads one message at a time with
 * SSL_read() and, after each, goes on only while the *socket* is
 * readable.  If a record also held the start of the next message, those
 * bytes would sit decrypted inside the client's OpenSSL, the socket would
 * look idle and the client would wait for ever (and, holding back its
 * ACKs, stop the server too).  So no SSL_write() crosses the end of a
 * message: every record holds bytes of one message only, as with
 * spice-server.
 */
void sc_conn_mark_msg_end(struct sc_conn *c)
{
	guint64 end = c->out_base + c->out.len;
	GArray *a;

	if (!c->ssl)
		return;
	if (!c->msg_ends)
		c->msg_ends = g_array_new(FALSE, FALSE, sizeof(guint64));
	a = c->msg_ends;
	if (a->len > c->msg_ends_head &&
	    g_array_index(a, guint64, a->len - 1) >= end)
		return;
	g_array_append_val(a, end);
}

/* How much of `limit` the next SSL_write may take: up to the end of the
 * message the send position is in.  A retry after WANT_WRITE gets the
 * same length, as OpenSSL requires (the ends already queued never move). */
static size_t tls_chunk(struct sc_conn *c, size_t limit)
{
	guint64 pos = c->out_base + c->out_off;
	GArray *a = c->msg_ends;
	guint64 end;

	if (!a)
		return limit;
	while (c->msg_ends_head < a->len &&
	       g_array_index(a, guint64, c->msg_ends_head) <= pos)
		c->msg_ends_head++;
	if (c->msg_ends_head == a->len) {
		g_array_set_size(a, 0);
		c->msg_ends_head = 0;
		return limit;
	}
	if (c->msg_ends_head >= 4096) {
		g_array_remove_range(a, 0, c->msg_ends_head);
		c->msg_ends_head = 0;
	}
	end = g_array_index(a, guint64, c->msg_ends_head);
	return (size_t)MIN((guint64)limit, end - pos);
}

/* Send queued bytes as they are; false once the socket would block. */
static bool flush_plain(struct sc_conn *c, size_t limit)
{
	while (c->state != SC_ST_DEAD && limit) {
		size_t n = c->ssl ? tls_chunk(c, limit) : limit;
		ssize_t r = conn_send(c, c->out.data + c->out_off, n);

		if (r <= 0)
			return false;
		c->out_off += (size_t)r;
		limit -= (size_t)r;
		sc_stat_add(c->core, &c->core->stats.bytes_sent, (uint64_t)r);
	}
	return c->state != SC_ST_DEAD;
}

/* SASL security layer: the bytes queued before it started go as they
 * are, the rest is encoded a packet at a time. */
static void flush_ssf(struct sc_conn *c)
{
	if (c->ssf_plain) {
		size_t before = c->out_off;
		bool done = flush_plain(c, c->ssf_plain);

		c->ssf_plain -= c->out_off - before;
		if (!done)
			return;
	}
	while (c->state != SC_ST_DEAD) {
		ssize_t r;

		if (c->ssf_out_off == c->ssf_out.len) {
			size_t used = 0;

			c->ssf_out.len = c->ssf_out_off = 0;
			if (!plain_queued(c))
				return;
			if (sc_sasl_encode(c, c->out.data + c->out_off,
					   plain_queued(c), &used) < 0) {
				sc_conn_close(c, "SASL: cannot encode");
				return;
			}
			c->out_off += used;
		}
		r = conn_send(c, c->ssf_out.data + c->ssf_out_off,
			      c->ssf_out.len - c->ssf_out_off);
		if (r <= 0)
			return;
		c->ssf_out_off += (size_t)r;
		sc_stat_add(c->core, &c->core->stats.bytes_sent, (uint64_t)r);
	}
}

void sc_conn_flush(struct sc_conn *c)
{
	/* What is queued now ends a unit (link reply, result, messages). */
	sc_conn_mark_msg_end(c);
	if (c->ssf)
		flush_ssf(c);
	else
		flush_plain(c, plain_queued(c));
	if (c->state == SC_ST_DEAD)
		return;
	if (c->out_off == c->out.len) {
		c->out_base += c->out.len;
		c->out.len = 0;
		c->out_off = 0;
	} else if (c->out_off > (1u << 20)) {
		sc_buf_consume(&c->out, c->out_off);
		c->out_base += c->out_off;
		c->out_off = 0;
	}
	g_mutex_lock(&c->core->lock);
	c->core->stats.queued_bytes += sc_conn_queued(c) - c->accounted;
	g_mutex_unlock(&c->core->lock);
	c->accounted = sc_conn_queued(c);
	if (sc_conn_queued(c) > SC_OUT_HARD_LIMIT) {
		sc_conn_close(c, "client does not read (%zu bytes queued)",
			      sc_conn_queued(c));
		return;
	}
	conn_set_cond(c);
}

static void conn_input(struct sc_conn *c)
{
	for (;;) {
		bool progress;

		if (c->state == SC_ST_DATA)
			progress = sc_data_input(c);
		else if (c->state == SC_ST_SASL)
			progress = sc_sasl_input(c);
		else if (c->state != SC_ST_DEAD)
			progress = sc_link_input(c);
		else
			return;
		if (!progress || c->state == SC_ST_DEAD)
			return;
	}
}

static void conn_io(void *data, GIOCondition cond)
{
	struct sc_conn *c = data;

	if (c->state == SC_ST_DEAD)
		return;
	if (c->start_pending && !sc_conn_queued(c) && cond == 0) {
		c->start_pending = false;
		sc_channel_start(c);
		if (c->state == SC_ST_DEAD)
			return;
		if (c->ssf)
			sc_sasl_channel_started(c);
	}
	if (cond & (G_IO_OUT | G_IO_IN) && (c->want_write || cond & G_IO_OUT)) {
		c->want_write = false;
		sc_conn_flush(c);
		if (c->state == SC_ST_DEAD)
			return;
		sc_conn_pump(c);
	}
	if (cond & (G_IO_IN | G_IO_HUP | G_IO_ERR) ||
	    (c->ssl && SSL_pending(c->ssl))) {
		/* Read at most what completes the current message plus one
		 * chunk: input memory stays bounded. */
		int rounds = 0;

		while (c->state != SC_ST_DEAD && rounds++ < 16) {
			size_t chunk = c->ssf ? SC_SASL_READ_CHUNK :
				       SC_READ_CHUNK;
			uint8_t *p;
			ssize_t r;

			if (c->in_off) {
				sc_buf_consume(&c->in, c->in_off);
				c->in_off = 0;
			}
			if (c->ssf) {
				uint8_t raw[SC_SASL_READ_CHUNK];

				r = conn_recv(c, raw, sizeof(raw));
				if (r <= 0)
					break;
				if (sc_sasl_decode(c, raw, (size_t)r) < 0) {
					sc_conn_close(c, "SASL: cannot decode "
						      "received data");
					break;
				}
			} else {
				sc_buf_reserve(&c->in, SC_READ_CHUNK);
				p = c->in.data + c->in.len;
				r = conn_recv(c, p, SC_READ_CHUNK);
				if (r <= 0)
					break;
				c->in.len += (size_t)r;
			}
			sc_stat_add(c->core, &c->core->stats.bytes_received,
				    (uint64_t)r);
			conn_input(c);
			if (!c->ssl || !SSL_pending(c->ssl))
				if ((size_t)r < chunk)
					break;
		}
	}
	if (c->state != SC_ST_DEAD)
		sc_conn_flush(c);
	/* Decrypted bytes still inside OpenSSL never make the fd readable:
	 * come back for them on the next turn. */
	if (c->state != SC_ST_DEAD && c->ssl && SSL_pending(c->ssl))
		g_source_set_ready_time(c->io, 0);
	if (c->state == SC_ST_DATA && c->start_pending) {
		/* The result went out on its own; start on the next turn. */
		g_source_set_ready_time(c->io, 0);
	}
}

static gboolean link_timeout(gpointer data)
{
	struct sc_conn *c = data;

	sc_conn_close(c, "link not complete in time");
	return G_SOURCE_REMOVE;
}

static unsigned int link_timeout_ms(void)
{
	const char *e = g_getenv("SPICE_CORE_LINK_TIMEOUT_MS");
	unsigned long v = e ? strtoul(e, NULL, 10) : 0;

	return v ? (unsigned int)MIN(v, 600000ul) : 10000;
}

/*
 * TLS goes through a socket BIO of our own: OpenSSL's writes with write(),
 * and a client that vanished mid-write would raise SIGPIPE and kill the
 * whole process unless the application ignores it.  Ours sends with
 * MSG_NOSIGNAL.
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

static void conn_new(SpiceCore *core, int fd, bool tls, const char *peer)
{
	struct sc_conn *c = g_new0(struct sc_conn, 1);
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	g_strlcpy(c->peer, peer, sizeof(c->peer));
	c->core = core;
	c->fd = fd;
	c->tls = tls;
	sc_buf_init(&c->in);
	sc_buf_init(&c->out);
	pixman_region32_init(&c->pending);
	core->conns = g_list_prepend(core->conns, c);
	core->n_linking++;
	g_mutex_lock(&core->lock);
	core->stats.connections++;
	g_mutex_unlock(&core->lock);
	c->io = fd_source_new(core->ctx, fd, G_IO_IN, conn_io, c, &c->io_tag);
	c->io_cond = G_IO_IN;
	c->timeout = g_timeout_source_new(link_timeout_ms());
	g_source_set_callback(c->timeout, link_timeout, c, NULL);
	g_source_attach(c->timeout, core->ctx);
	if (tls) {
		BIO *bio = sock_bio_new(fd);

		c->ssl = bio ? SSL_new(core->ssl_ctx) : NULL;
		if (!c->ssl) {
			BIO_free(bio);
			sc_conn_close(c, "cannot start TLS: %s", tls_error());
			return;
		}
		SSL_set_bio(c->ssl, bio, bio);
		SSL_set_accept_state(c->ssl);
	}
	sc_link_start(c);
}

static void listen_ready(void *data, GIOCondition cond)
{
	SpiceCore *core = ((void **)data)[0];
	bool tls = ((void **)data)[1] != NULL;
	int lfd = core->listen_fd[tls];
	int i;

	(void)cond;
	for (i = 0; i < 16; i++) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		char host[NI_MAXHOST] = "?", serv[NI_MAXSERV] = "?";
		char peer[NI_MAXHOST + NI_MAXSERV + 8];
		int fd = accept4(lfd, (struct sockaddr *)&sa, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		getnameinfo((struct sockaddr *)&sa, len, host, sizeof(host),
			    serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
		snprintf(peer, sizeof(peer), "%s:%s%s", host, serv,
			 tls ? "/tls" : "");
		if (core->n_linking >= SC_MAX_LINKING ||
		    g_list_length(core->conns) >= SC_MAX_CONNS) {
			g_message("%s: refused: too many connections", peer);
			close(fd);
			continue;
		}
		conn_new(core, fd, tls, peer);
	}
}

int sc_listen(SpiceCore *core, int idx, const char *addr, int port,
	      GError **err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai = NULL, *a;
	char serv[16];
	int fd = -1, rc, saved = 0;
	gpointer tag;
	void **data;

	snprintf(serv, sizeof(serv), "%d", port < 0 ? 0 : port);
	rc = getaddrinfo(addr, serv, &hints, &ai);
	if (rc) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID,
			    "bad listen address '%s': %s", addr,
			    gai_strerror(rc));
		return -1;
	}
	for (a = ai; a; a = a->ai_next) {
		int one = 1;

		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 &&
		    listen(fd, 64) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0) {
		g_set_error(err, SC_ERROR, SC_ERR_FAILED,
			    "cannot listen on %s port %s: %s", addr, serv,
			    saved == EADDRINUSE ? "port in use" :
			    g_strerror(saved));
		return -1;
	}
	{
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		char s[NI_MAXSERV];

		getsockname(fd, (struct sockaddr *)&sa, &len);
		getnameinfo((struct sockaddr *)&sa, len, NULL, 0, s,
			    sizeof(s), NI_NUMERICSERV);
		core->port[idx] = atoi(s);
	}
	core->listen_fd[idx] = fd;
	data = g_new(void *, 2);
	data[0] = core;
	data[1] = idx ? (void *)1 : NULL;
	core->listen_src[idx] = fd_source_new(core->ctx, fd, G_IO_IN,
					      listen_ready, data, &tag);
	g_source_set_callback(core->listen_src[idx], NULL, data, g_free);
	return 0;
}

void sc_listen_close(SpiceCore *core, int idx)
{
	if (core->listen_src[idx]) {
		g_source_destroy(core->listen_src[idx]);
		g_source_unref(core->listen_src[idx]);
		core->listen_src[idx] = NULL;
	}
	if (core->listen_fd[idx] >= 0)
		close(core->listen_fd[idx]);
	core->listen_fd[idx] = -1;
}

static gboolean reap(gpointer data)
{
	SpiceCore *core = data;
	GList *dead = core->dead;

	core->dead = NULL;
	g_list_free_full(dead, (GDestroyNotify)sc_conn_free);
	g_source_unref(core->reaper);
	core->reaper = NULL;
	return G_SOURCE_REMOVE;
}

void sc_conn_close(struct sc_conn *c, const char *fmt, ...)
{
	SpiceCore *core = c->core;
	enum sc_conn_state was = c->state;
	char *why;
	va_list ap;

	if (was == SC_ST_DEAD)
		return;
	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_message("%s: channel %u:%u dropped: %s", c->peer,
		  c->link.channel_type, c->link.channel_id, why);
	g_free(why);
	c->state = SC_ST_DEAD;
	if (was != SC_ST_DATA) {
		core->n_linking--;
	}
	if (c->timeout) {
		g_source_destroy(c->timeout);
		g_source_unref(c->timeout);
		c->timeout = NULL;
	}
	if (c->io) {
		g_source_destroy(c->io);
		g_source_unref(c->io);
		c->io = NULL;
	}
	if (c->ssl) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	close(c->fd);
	c->fd = -1;
	core->conns = g_list_remove(core->conns, c);
	g_mutex_lock(&core->lock);
	core->stats.connections--;
	core->stats.queued_bytes -= c->accounted;
	c->accounted = 0;
	g_mutex_unlock(&core->lock);
	if (c->session) {
		struct sc_session *s = c->session;

		if (s->main == c) {
			s->main = NULL;
			sc_session_close(s);
		} else {
			s->conns = g_list_remove(s->conns, c);
		}
		c->session = NULL;
	}
	core->dead = g_list_prepend(core->dead, c);
	if (!core->reaper) {
		core->reaper = g_idle_source_new();
		g_source_set_callback(core->reaper, reap, core, NULL);
		g_source_attach(core->reaper, core->ctx);
	}
}

void sc_conn_free(struct sc_conn *c)
{
	sc_buf_free(&c->in);
	sc_buf_free(&c->out);
	if (c->msg_ends)
		g_array_free(c->msg_ends, TRUE);
	pixman_region32_fini(&c->pending);
	if (c->key)
		sc_ticket_key_free(c->key);
	sc_sasl_free(c);
	g_free(c);
}

/* TLS ---------------------------------------------------------------------- */

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

int sc_tls_init(SpiceCore *core, GError **err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx)
		goto fail;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* No client-initiated renegotiation (CVE-2021-20201). */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
			    SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_default_passwd_cb(ctx, pem_password);
	SSL_CTX_set_default_passwd_cb_userdata(ctx, core->x509_key_pw);
	if (SSL_CTX_use_certificate_chain_file(ctx, core->x509_cert) != 1) {
		g_set_error(err, SC_ERROR, SC_ERR_FAILED,
			    "cannot load TLS certificate %s: %s",
			    core->x509_cert, tls_error());
		SSL_CTX_free(ctx);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, core->x509_key,
					SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		g_set_error(err, SC_ERROR, SC_ERR_FAILED,
			    "cannot load TLS key %s: %s", core->x509_key,
			    tls_error());
		SSL_CTX_free(ctx);
		return -1;
	}
	if (core->x509_ca && g_file_test(core->x509_ca, G_FILE_TEST_EXISTS) &&
	    SSL_CTX_load_verify_locations(ctx, core->x509_ca, NULL) != 1) {
		g_set_error(err, SC_ERROR, SC_ERR_FAILED,
			    "cannot load CA file %s: %s", core->x509_ca,
			    tls_error());
		SSL_CTX_free(ctx);
		return -1;
	}
	if (core->ciphers && SSL_CTX_set_cipher_list(ctx, core->ciphers) != 1) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID,
			    "bad TLS cipher list '%s'", core->ciphers);
		SSL_CTX_free(ctx);
		return -1;
	}
	core->ssl_ctx = ctx;
	return 0;
fail:
	g_set_error(err, SC_ERROR, SC_ERR_FAILED, "TLS: %s",
		    tls_error());
	return -1;
}

void sc_tls_free(SpiceCore *core)
{
	if (core->ssl_ctx)
		SSL_CTX_free(core->ssl_ctx);
	core->ssl_ctx = NULL;
}
