// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
/* One client connection's bytes: non-blocking reads and writes, TLS, TLS
 * records cut at unit ends, an optional filter (the SASL security layer),
 * closing and the reaper that frees closed streams. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/net.h"
#include "net/websocket.h"

static void stat_add(struct sc_net *net, uint64_t *field, uint64_t n)
{
	g_mutex_lock(&net->lock);
	*field += n;
	g_mutex_unlock(&net->lock);
}

size_t sc_stream_queued(const struct sc_stream *st)
{
	return st->out.len - st->out_off + st->filter_out.len -
	       st->filter_out_off;
}

static size_t plain_queued(const struct sc_stream *st)
{
	return st->out.len - st->out_off;
}

/* Readable while the layer above keeps up; writable while bytes wait. */
static void set_cond(struct sc_stream *st)
{
	GIOCondition want = sc_stream_in_len(st) < SC_IN_LIMIT ? G_IO_IN : 0;

	if (sc_stream_queued(st) || st->want_write)
		want |= G_IO_OUT;
	if (st->io && want != st->io_cond) {
		g_source_modify_unix_fd(st->io, st->io_tag, want);
		st->io_cond = want;
	}
}

/* Returns bytes read, 0 if nothing now, -1 after closing the stream. */
static ssize_t stream_recv(struct sc_stream *st, uint8_t *p, size_t n)
{
	ssize_t r;

	if (st->ssl) {
		int rc;

		/* SSL_get_error() reads the thread's error queue: a stale
		 * entry (a failed ticket decryption) would look like a TLS
		 * failure. */
		ERR_clear_error();
		rc = SSL_read(st->ssl, p, (int)n);

		if (rc > 0)
			return rc;
		switch (SSL_get_error(st->ssl, rc)) {
		case SSL_ERROR_WANT_READ:
			return 0;
		case SSL_ERROR_WANT_WRITE:
			st->want_write = true;
			return 0;
		case SSL_ERROR_ZERO_RETURN:
			sc_stream_end(st);
			return -1;
		default:
			sc_stream_close(st, "TLS: %s", sc_tls_error());
			return -1;
		}
	}
	r = recv(st->fd, p, n, 0);
	if (r > 0)
		return r;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r == 0 || errno == ECONNRESET)
		sc_stream_end(st);	/* the client went: not news */
	else
		sc_stream_close(st, "recv: %s", g_strerror(errno));
	return -1;
}

static ssize_t stream_send(struct sc_stream *st, const uint8_t *p, size_t n)
{
	ssize_t r;

	if (st->ssl) {
		int rc;

		ERR_clear_error();
		rc = SSL_write(st->ssl, p, (int)MIN(n, (size_t)INT_MAX));

		st->want_write = false;
		if (rc > 0)
			return rc;
		switch (SSL_get_error(st->ssl, rc)) {
		case SSL_ERROR_WANT_READ:
		case SSL_ERROR_WANT_WRITE:
			return 0;
		default:
			sc_stream_close(st, "TLS write: %s", sc_tls_error());
			return -1;
		}
	}
	r = send(st->fd, p, n, MSG_NOSIGNAL);
	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	sc_stream_close(st, "send: %s", g_strerror(errno));
	return -1;
}

/*
 * TLS record framing.  spice-gtk reads one message at a time with
 * SSL_read() and, after each, goes on only while the *socket* is
 * readable.  If a record also held the start of the next message, those
 * bytes would sit decrypted inside the client's OpenSSL, the socket would
 * look idle and the client would wait for ever (and, holding back its
 * ACKs, stop the server too).  So no SSL_write() crosses the end of a
 * unit: every record holds bytes of one message only, as with
 * spice-server.
 */
void sc_stream_end_unit(struct sc_stream *st)
{
	guint64 end = st->out_base + st->out.len;
	GArray *a;

	if (!st->ssl || st->filter)	/* filtered: whole frames or packets */
		return;
	if (!st->ends)
		st->ends = g_array_new(FALSE, FALSE, sizeof(guint64));
	a = st->ends;
	if (a->len > st->ends_head &&
	    g_array_index(a, guint64, a->len - 1) >= end)
		return;
	g_array_append_val(a, end);
}

/* How much of `limit` the next SSL_write may take: up to the end of the
 * unit the send position is in.  A retry after WANT_WRITE gets the same
 * length, as OpenSSL requires (the ends already queued never move). */
static size_t tls_chunk(struct sc_stream *st, size_t limit)
{
	guint64 pos = st->out_base + st->out_off;
	GArray *a = st->ends;
	guint64 end;

	if (!a)
		return limit;
	while (st->ends_head < a->len &&
	       g_array_index(a, guint64, st->ends_head) <= pos)
		st->ends_head++;
	if (st->ends_head == a->len) {
		g_array_set_size(a, 0);
		st->ends_head = 0;
		return limit;
	}
	if (st->ends_head >= 4096) {
		g_array_remove_range(a, 0, st->ends_head);
		st->ends_head = 0;
	}
	end = g_array_index(a, guint64, st->ends_head);
	return (size_t)MIN((guint64)limit, end - pos);
}

/* Send queued bytes as they are; false once the socket would block. */
static bool flush_plain(struct sc_stream *st, size_t limit)
{
	while (!st->dead && limit) {
		size_t n = st->ssl ? tls_chunk(st, limit) : limit;
		ssize_t r = stream_send(st, st->out.data + st->out_off, n);

		if (r <= 0)
			return false;
		st->out_off += (size_t)r;
		limit -= (size_t)r;
		stat_add(st->net, &st->net->stats.bytes_sent, (uint64_t)r);
	}
	return !st->dead;
}

/* The filter: the bytes queued before it started go as they are, the rest
 * is encoded a packet at a time. */
static void flush_filtered(struct sc_stream *st)
{
	if (st->filter_plain) {
		size_t before = st->out_off;
		bool done = flush_plain(st, st->filter_plain);

		st->filter_plain -= st->out_off - before;
		if (!done)
			return;
	}
	while (!st->dead) {
		ssize_t r;

		if (st->filter_out_off == st->filter_out.len) {
			size_t used = 0;

			st->filter_out.len = st->filter_out_off = 0;
			if (!plain_queued(st))
				return;
			if (st->filter->encode(st->filter_opaque,
					       st->out.data + st->out_off,
					       plain_queued(st), &used,
					       &st->filter_out) < 0) {
				sc_stream_close(st, "SASL: cannot encode");
				return;
			}
			st->out_off += used;
		}
		r = stream_send(st, st->filter_out.data + st->filter_out_off,
				st->filter_out.len - st->filter_out_off);
		if (r <= 0)
			return;
		st->filter_out_off += (size_t)r;
		stat_add(st->net, &st->net->stats.bytes_sent, (uint64_t)r);
	}
}

void sc_stream_flush(struct sc_stream *st)
{
	size_t queued;

	if (st->dead)
		return;
	/* What is queued now ends a unit (link reply, result, messages). */
	sc_stream_end_unit(st);
	if (st->filter)
		flush_filtered(st);
	else
		flush_plain(st, plain_queued(st));
	if (st->dead)
		return;
	if (st->out_off == st->out.len) {
		st->out_base += st->out.len;
		st->out.len = 0;
		st->out_off = 0;
	} else if (st->out_off > (1u << 20)) {
		sc_buf_consume(&st->out, st->out_off);
		st->out_base += st->out_off;
		st->out_off = 0;
	}
	queued = sc_stream_queued(st);
	g_mutex_lock(&st->net->lock);
	st->net->stats.queued_bytes += queued - st->accounted;
	g_mutex_unlock(&st->net->lock);
	st->accounted = queued;
	if (st->close_when_sent && !queued) {
		st->quiet = true;	/* what it was has been logged */
		sc_stream_close(st, "%s", st->close_when_sent);
		return;
	}
	if (queued > SC_OUT_HARD_LIMIT) {
		sc_stream_close(st, "client does not read (%zu bytes queued)",
				queued);
		return;
	}
	set_cond(st);
}

/* Read once into `in` (through the filter, if any); the byte count read
 * from the socket, 0 if none now, -1 after closing. */
static ssize_t read_some(struct sc_stream *st)
{
	ssize_t r;

	if (st->in_off) {
		sc_buf_consume(&st->in, st->in_off);
		st->in_off = 0;
	}
	if (st->filter) {
		uint8_t raw[SC_FILTER_READ_CHUNK];

		r = stream_recv(st, raw, sizeof(raw));
		if (r > 0 && st->filter->decode(st->filter_opaque, raw,
						(size_t)r, &st->in) < 0) {
			sc_stream_close(st, "SASL: cannot decode received "
					"data");
			return -1;
		}
		return r;
	}
	sc_buf_reserve(&st->in, SC_READ_CHUNK);
	r = stream_recv(st, st->in.data + st->in.len, SC_READ_CHUNK);
	if (r > 0)
		st->in.len += (size_t)r;
	return r;
}

static void stream_io(void *data, GIOCondition cond)
{
	struct sc_stream *st = data;

	if (st->dead)
		return;
	if (st->soon) {
		st->soon = false;
		st->ops->soon(st->opaque);
		if (st->dead)
			return;
	}
	if (cond & (G_IO_OUT | G_IO_IN) && (st->want_write || cond & G_IO_OUT)) {
		st->want_write = false;
		sc_stream_flush(st);
		if (st->dead)
			return;
		st->ops->writable(st->opaque);
	}
	if (cond & (G_IO_IN | G_IO_HUP | G_IO_ERR) ||
	    (st->ssl && SSL_pending(st->ssl))) {
		/* Read at most what completes the current unit plus one
		 * chunk: input memory stays bounded. */
		size_t chunk = st->filter ? SC_FILTER_READ_CHUNK :
			       SC_READ_CHUNK;
		int rounds = 0;

		/* A peer whose input waits unread (a channel holding it) is
		 * still seen resetting the connection. */
		if (cond & G_IO_ERR && sc_stream_in_len(st) >= SC_IN_LIMIT)
			sc_stream_end(st);
		while (!st->dead && rounds++ < 16 &&
		       sc_stream_in_len(st) < SC_IN_LIMIT) {
			ssize_t r = read_some(st);

			if (r <= 0)
				break;
			stat_add(st->net, &st->net->stats.bytes_received,
				 (uint64_t)r);
			/* HTTP or WebSocket (net/http.c) before SPICE. */
			if (!st->sniffing || sc_http_sniff(st))
				st->ops->input(st->opaque);
			if (!st->ssl || !SSL_pending(st->ssl))
				if ((size_t)r < chunk)
					break;
		}
	}
	if (st->dead)
		return;
	sc_stream_flush(st);
	/* Decrypted bytes still inside OpenSSL never make the fd readable,
	 * and a turn asked for during this one is still due: come back on
	 * the next turn. */
	if (!st->dead && (st->soon || (st->ssl && SSL_pending(st->ssl))))
		g_source_set_ready_time(st->io, 0);
}

struct sc_stream *sc_stream_new(struct sc_net *net, int fd, SSL *ssl,
				const char *peer)
{
	struct sc_stream *st = g_new0(struct sc_stream, 1);
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* A client that vanished without a FIN or RST goes after about
	 * two idle minutes instead of holding its session for ever. */
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &(int){ 60 }, sizeof(int));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &(int){ 10 }, sizeof(int));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &(int){ 6 }, sizeof(int));
	st->net = net;
	st->fd = fd;
	st->ssl = ssl;
	g_strlcpy(st->peer, peer, sizeof(st->peer));
	g_strlcpy(st->label, "channel 0:0", sizeof(st->label));
	st->sniffing = true;
	sc_buf_init(&st->in);
	sc_buf_init(&st->out);
	sc_buf_init(&st->filter_out);
	g_mutex_lock(&net->lock);
	net->stats.connections++;
	g_mutex_unlock(&net->lock);
	st->io = sc_fd_source_new(net->ctx, fd, G_IO_IN, stream_io, st,
				  &st->io_tag);
	st->io_cond = G_IO_IN;
	return st;
}

void sc_stream_set_ops(struct sc_stream *st, const struct sc_stream_ops *ops,
		       void *opaque)
{
	st->ops = ops;
	st->opaque = opaque;
}

void sc_stream_set_label(struct sc_stream *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->label, sizeof(st->label), fmt, ap);
	va_end(ap);
}

void sc_stream_call_soon(struct sc_stream *st)
{
	if (st->dead)
		return;
	st->soon = true;
	g_source_set_ready_time(st->io, 0);
}

int sc_stream_tls_bits(const struct sc_stream *st)
{
	return st->ssl ? SSL_get_cipher_bits(st->ssl, NULL) : 0;
}

int sc_stream_set_filter(struct sc_stream *st,
			 const struct sc_stream_filter *filter, void *opaque)
{
	size_t rest = sc_stream_in_len(st);
	uint8_t *tmp;
	int rc;

	if (st->filter) {
		sc_stream_close(st, "a second byte filter (a SASL layer over "
				"WebSocket) is not supported");
		return -1;
	}
	st->filter = filter;
	st->filter_opaque = opaque;
	st->filter_plain = sc_stream_queued(st);
	if (!rest)
		return 0;
	/* Bytes the client sent after its last plain ones are filtered. */
	tmp = g_memdup2(sc_stream_in_data(st), rest);
	st->in.len = st->in_off;
	rc = filter->decode(opaque, tmp, rest, &st->in);
	g_free(tmp);
	return rc;
}

/* Closing and reaping -------------------------------------------------------------- */

static void stream_free(struct sc_stream *st)
{
	sc_buf_free(&st->in);
	sc_buf_free(&st->out);
	sc_buf_free(&st->filter_out);
	sc_ws_free(st);
	if (st->ends)
		g_array_free(st->ends, TRUE);
	g_free(st);
}

void sc_net_reap(struct sc_net *net)
{
	struct sc_stream *st;

	/* A release may close more streams (a session ending): they join
	 * the queue and go in this same pass. */
	while ((st = g_queue_pop_head(&net->dead))) {
		if (st->ops && st->ops->release)
			st->ops->release(st->opaque);
		stream_free(st);
	}
	sc_source_drop(&net->reaper);
}

static gboolean reap(gpointer data)
{
	sc_net_reap(data);
	return G_SOURCE_REMOVE;
}

static void stream_shut(struct sc_stream *st)
{
	struct sc_net *net = st->net;

	st->dead = true;
	sc_source_drop(&st->io);
	if (st->ssl) {
		SSL_free(st->ssl);
		st->ssl = NULL;
	}
	close(st->fd);
	st->fd = -1;
	g_mutex_lock(&net->lock);
	net->stats.connections--;
	net->stats.queued_bytes -= st->accounted;
	st->accounted = 0;
	g_mutex_unlock(&net->lock);
	g_queue_push_tail(&net->dead, st);
	if (!net->reaper) {
		/* Before any other source: the next turn frees it. */
		net->reaper = g_idle_source_new();
		g_source_set_priority(net->reaper, G_PRIORITY_HIGH);
		g_source_set_callback(net->reaper, reap, net, NULL);
		g_source_attach(net->reaper, net->ctx);
	}
}

/* Something to act on (a client misbehaving or not reading, TLS failing):
 * said at the default level. */
void sc_stream_close(struct sc_stream *st, const char *fmt, ...)
{
	char *why;
	va_list ap;

	if (st->dead)
		return;
	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!st->quiet)
		g_message("%s: %s dropped: %s", st->peer, st->label, why);
	g_free(why);
	stream_shut(st);
}

/* The normal end: the client closed it, or its session ended.  Not news;
 * whoever owns the connection says once, at debug level, that the client
 * went (server/session.c), so the stream itself is silent. */
void sc_stream_end(struct sc_stream *st)
{
	if (st->dead)
		return;
	stream_shut(st);
}
