/* SPDX-License-Identifier: MIT */
/*
 * Layer 1, sockets and buffers: listening sockets, TLS, and one struct
 * sc_stream per client connection (a non-blocking socket, its TLS session,
 * an optional byte filter, bounded input and output buffers).
 *
 * Nothing here knows SPICE.  The layer above learns of events only through
 * the ops it registers: struct sc_net_ops for new clients, struct
 * sc_stream_ops for a connection's bytes.  sc_stream_close() marks a stream
 * dead at once (socket closed, no more events); the reaper frees it, after
 * the dispatch that closed it has returned, so whoever walks a list of
 * connections never finds a freed one.
 */
#ifndef SPICE_CORE_NET_NET_H
#define SPICE_CORE_NET_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "net/buf.h"

#define SC_MAX_CONNS		512		/* open streams */
#define SC_OUT_HARD_LIMIT	(64u << 20)	/* a client beyond is dropped */
#define SC_READ_CHUNK		65536		/* bytes read at once */
#define SC_IN_LIMIT		(256u << 10)	/* unconsumed: stop reading */
#define SC_FILTER_READ_CHUNK	16384		/* filtered bytes read at once */

#define SC_ERROR g_quark_from_static_string("spice-core-error")
enum { SC_ERR_FAILED = 1, SC_ERR_INVALID };

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

struct sc_net;
struct sc_stream;

/* Streams ------------------------------------------------------------------ */

/* What happens to a stream, told to the layer that owns it (opaque is what
 * it gave sc_stream_set_ops()).  No event comes after sc_stream_close()
 * but release. */
struct sc_stream_ops {
	/* Bytes arrived (sc_stream_in_data()): consume what completes.  The
	 * stream stops reading while SC_IN_LIMIT bytes wait unconsumed. */
	void (*input)(void *opaque);
	/* The socket took queued bytes: room to queue more. */
	void (*writable)(void *opaque);
	/* The turn sc_stream_call_soon() asked for. */
	void (*soon)(void *opaque);
	/* Closed, and the dispatch that closed it has returned: free what
	 * opaque is.  The stream itself is freed right after. */
	void (*release)(void *opaque);
};

/* A transform of every byte both ways from some point on: the SASL
 * security layer. */
struct sc_stream_filter {
	/* Encode up to n bytes at p onto out; *used gets how many were
	 * taken.  0, or -1 on error. */
	int (*encode)(void *opaque, const uint8_t *p, size_t n, size_t *used,
		      struct sc_buf *out);
	/* Decode n (at most SC_FILTER_READ_CHUNK) received bytes onto in. */
	int (*decode)(void *opaque, const uint8_t *p, size_t n,
		      struct sc_buf *in);
};

struct sc_stream {
	struct sc_net *net;
	int fd;
	SSL *ssl;
	char peer[64];			/* host:port, "/tls" on the TLS port */
	char label[32];			/* what it carries, for the log */
	bool dead;
	bool skip_auth;			/* handed over already authenticated */

	GSource *io;
	gpointer io_tag;
	GIOCondition io_cond;
	bool want_write;		/* TLS needs the socket writable */
	bool soon;			/* sc_stream_call_soon() pending */

	struct sc_buf in;
	size_t in_off;			/* bytes of `in` already consumed */
	struct sc_buf out;		/* the layers above append here */
	size_t out_off;			/* bytes of `out` already sent */
	size_t accounted;		/* our share of stats.queued_bytes */
	/* TLS: where queued units (messages) end, as stream offsets
	 * (out.data[0] is at out_base).  Each TLS record carries bytes of one
	 * unit only: spice-gtk reads a message and then waits for the
	 * socket, so a record holding the start of the next one would leave
	 * it decrypted but unseen inside the client's OpenSSL. */
	uint64_t out_base;
	GArray *ends;			/* guint64, ascending */
	guint ends_head;		/* first entry still ahead of us */

	const struct sc_stream_filter *filter;
	void *filter_opaque;
	size_t filter_plain;		/* queued bytes still sent as they are */
	struct sc_buf filter_out;	/* encoded bytes not yet sent */
	size_t filter_out_off;

	/* HTTP and WebSocket on the same port (net/http.c, websocket.c). */
	bool sniffing;			/* the first bytes are not known yet */
	const char *close_when_sent;	/* close, with this reason, once
					 * the queued bytes are sent */
	bool quiet;			/* closing logs nothing */
	struct sc_ws *ws;		/* the WebSocket filter's state */

	const struct sc_stream_ops *ops;
	void *opaque;
};

void sc_stream_set_ops(struct sc_stream *st, const struct sc_stream_ops *ops,
		       void *opaque);
/* The log names the stream "peer: label" ("channel 0:0" at first). */
void sc_stream_set_label(struct sc_stream *st, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

static inline bool sc_stream_dead(const struct sc_stream *st)
{
	return st->dead;
}

/* Received bytes not yet consumed. */
static inline const uint8_t *sc_stream_in_data(const struct sc_stream *st)
{
	return st->in.data + st->in_off;
}

static inline size_t sc_stream_in_len(const struct sc_stream *st)
{
	return st->in.len - st->in_off;
}

static inline void sc_stream_consume(struct sc_stream *st, size_t n)
{
	st->in_off += n;
}

/* Whether the peer reads our bytes in units it decrypts or decodes one at
 * a time (TLS records, SASL packets) rather than straight off the socket. */
static inline bool sc_stream_in_records(const struct sc_stream *st)
{
	return st->ssl || st->filter;
}

/* Bytes queued, not yet sent. */
size_t sc_stream_queued(const struct sc_stream *st);
/* Queued bytes taken by the socket (or the filter) since the start: the
 * stream's progress, for whoever watches for stalled readers. */
static inline uint64_t sc_stream_sent(const struct sc_stream *st)
{
	return st->out_base + st->out_off;
}
/* What is queued so far ends a unit: no TLS record crosses it. */
void sc_stream_end_unit(struct sc_stream *st);
/* Send what the socket takes now; drops a client with more than
 * SC_OUT_HARD_LIMIT queued. */
void sc_stream_flush(struct sc_stream *st);
/* Ask for ops->soon on the next turn of the loop. */
void sc_stream_call_soon(struct sc_stream *st);
/* Key bits of the TLS cipher, 0 on plain TCP. */
int sc_stream_tls_bits(const struct sc_stream *st);
/* Filter every later byte: what is queued now still goes as it is, the
 * received bytes not consumed yet are decoded.  -1 if they do not decode,
 * or if the stream has a filter already (a SASL layer over WebSocket):
 * the stream is then closed. */
int sc_stream_set_filter(struct sc_stream *st,
			 const struct sc_stream_filter *filter, void *opaque);
/* Drop the client: logs "peer: label dropped: why", closes the socket now
 * and frees the stream after the current dispatch.  Closing twice is
 * harmless. */
void sc_stream_close(struct sc_stream *st, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);
/* The normal end of a connection (the peer closed it, its session ended):
 * closes it like sc_stream_close, logging nothing. */
void sc_stream_end(struct sc_stream *st);

/* Listening sockets ----------------------------------------------------------- */

struct sc_net_ops {
	/* May one more client connect?  false, with *why, refuses it. */
	bool (*admit)(void *opaque, const char **why);
	/* A client connected: take the stream (sc_stream_set_ops). */
	void (*accepted)(void *opaque, struct sc_stream *st);
};

struct sc_net_stats {
	unsigned int connections;	/* open streams */
	uint64_t bytes_sent;
	uint64_t bytes_received;
	size_t queued_bytes;
};

struct sc_listener {
	struct sc_net *net;
	bool tls;
	int fd;
	int port;			/* bound, or 0 */
	char *path;			/* unix socket bound, or NULL */
	GSource *src;
};

struct sc_net {
	GMainContext *ctx;
	const struct sc_net_ops *ops;
	void *opaque;
	struct sc_listener listener[3];	/* plain, TLS, unix (plain) */
	SSL_CTX *tls;
	GQueue dead;			/* closed streams, for the reaper */
	char *web_root;			/* files served over HTTP, or NULL */
	GSource *reaper;
	GMutex lock;			/* guards stats */
	struct sc_net_stats stats;
};

void sc_net_init(struct sc_net *net, GMainContext *ctx,
		 const struct sc_net_ops *ops, void *opaque);
/* Load the TLS certificate, key and CA (NULL or missing: none). */
int sc_net_tls_init(struct sc_net *net, const char *cert, const char *key,
		    const char *key_password, const char *ca,
		    const char *ciphers, GError **err);
/* Listen on addr:port (0 or -1: a free port) for plain or TLS clients. */
int sc_net_listen(struct sc_net *net, bool tls, const char *addr, int port,
		  GError **err);
/* Listen on the unix socket path for plain clients (a stale socket there
 * is replaced; the socket goes at sc_net_fini).  Their peer is "unix". */
int sc_net_listen_unix(struct sc_net *net, const char *path, GError **err);
/* Serve a client connected elsewhere, on fd (ours when this succeeds),
 * as if accepted on the plain or TLS port; with skip_auth its links need
 * no ticket.  -1 with *why set if refused (fd left to the caller). */
int sc_net_adopt(struct sc_net *net, int fd, bool tls, bool skip_auth,
		 const char **why);
/* Serve the files under dir to HTTP GETs on the ports (NULL: none, the
 * default; WebSocket is always on).  -1 if dir is not a directory. */
int sc_net_set_web_root(struct sc_net *net, const char *dir, GError **err);
/* Free the closed streams now (the reaper does it after each dispatch). */
void sc_net_reap(struct sc_net *net);
void sc_net_get_stats(struct sc_net *net, struct sc_net_stats *out);
/* Stop listening, free closed streams and TLS.  Open streams must have
 * been closed. */
void sc_net_fini(struct sc_net *net);

/* GLib sources, for this layer and the ones above --------------------------------- */

/* A source watching fd, calling cb with the ready condition. */
GSource *sc_fd_source_new(GMainContext *ctx, int fd, GIOCondition cond,
			  void (*cb)(void *data, GIOCondition cond),
			  void *data, gpointer *tag);
/* A one-shot or repeating timer attached to ctx. */
GSource *sc_timer_new(GMainContext *ctx, unsigned int ms, GSourceFunc cb,
		      void *data);
/* Destroy and unref *s, if any, and clear it. */
void sc_source_drop(GSource **s);

/* Within the layer ------------------------------------------------------------------- */

struct sc_stream *sc_stream_new(struct sc_net *net, int fd, SSL *ssl,
				const char *peer);
SSL *sc_tls_session_new(SSL_CTX *ctx, int fd);
/* The last OpenSSL error as text (thread-local buffer). */
const char *sc_tls_error(void);

#endif
