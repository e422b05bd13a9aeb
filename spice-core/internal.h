/* SPDX-License-Identifier: MIT */
/* spice-core internals shared between its files. */
#ifndef SPICE_CORE_INTERNAL_H
#define SPICE_CORE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <pixman.h>
#include <spice/protocol.h>
#include <spice/enums.h>
#include <spice-core/spice-core.h>

#include "net/buf.h"
#include "wire/demarshal.h"
#include "link/ticket.h"

#define SC_MAX_DISPLAYS		16
#define SC_ACK_WINDOW		20	/* messages per client ACK */
#define SC_OUT_LIMIT		(4u << 20)	/* queue more only below this */
#define SC_OUT_HARD_LIMIT	(64u << 20)	/* a client beyond is dropped */
#define SC_MAX_MSG_SIZE		16384	/* largest client message */
#define SC_MAX_LINKING		64	/* connections not yet linked */
#define SC_MAX_CONNS		512
#define SC_AGENT_WINDOW		10	/* agent tokens granted to a client */
#define SC_AGENT_MSG_MAX	65536	/* largest agent message we keep */
#define SC_MAX_SURFACE		16384
#define SC_MAX_CURSOR		512

#define SC_ERROR g_quark_from_static_string("spice-core-error")
enum { SC_ERR_FAILED = 1, SC_ERR_INVALID };

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct sasl_conn sasl_conn_t;

struct SpiceCoreDisplay {
	SpiceCore *core;
	unsigned int id;
	/* Everything below is guarded by core->lock. */
	bool has_primary;
	const uint8_t *top;
	uint32_t width, height, format;
	int32_t stride;
	uint32_t surface_gen;		/* bumps on create/destroy/resize */
	pixman_region32_t damage;	/* since the last wake */
	uint32_t *cursor;		/* ARGB, cw * ch */
	uint16_t cw, ch, hot_x, hot_y;
	bool cursor_visible;
	int32_t cursor_x, cursor_y;
	uint32_t cursor_gen, cursor_pos_gen;
	struct spice_core_head heads[SC_MAX_HEADS];
	unsigned int n_heads;
	uint32_t heads_gen;
};

enum sc_conn_state {
	SC_ST_LINK_HEADER,
	SC_ST_LINK_MESS,
	SC_ST_AUTH_MECH,
	SC_ST_TICKET,
	SC_ST_SASL,
	SC_ST_DATA,
	SC_ST_DEAD,
};

struct sc_session;

struct sc_conn {
	SpiceCore *core;
	int fd;
	GSource *io;
	gpointer io_tag;
	GIOCondition io_cond;
	GSource *timeout;
	SSL *ssl;
	bool tls;
	bool want_write;		/* TLS needs the socket writable */
	char peer[64];

	enum sc_conn_state state;
	size_t need;			/* bytes that complete this state */
	struct sc_buf in;
	size_t in_off;			/* bytes of `in` already consumed */
	struct sc_buf out;
	size_t msg_start;		/* header of the message being built */
	size_t accounted;		/* our share of stats.queued_bytes */
	size_t out_off;
	/* TLS: where queued messages end, as stream offsets (out.data[0] is
	 * at out_base).  Each TLS record carries bytes of one message only:
	 * spice-gtk reads a message and then waits for the socket, so a
	 * record holding the start of the next one would leave it decrypted
	 * but unseen inside the client's OpenSSL. */
	uint64_t out_base;
	GArray *msg_ends;		/* guint64, ascending */
	guint msg_ends_head;		/* first entry still ahead of us */

	struct sc_link_mess link;
	EVP_PKEY *key;
	bool mini;			/* mini data headers */
	uint64_t serial;
	void *sasl;			/* struct sc_sasl, when SASL runs */
	/* SASL security layer (plain TCP after SASL with an SSF): every
	 * byte after the link result is encoded / decoded by libsasl2. */
	bool ssf;
	size_t ssf_plain;		/* queued bytes still sent as is */
	struct sc_buf ssf_out;		/* encoded bytes not yet sent */
	size_t ssf_out_off;

	struct sc_session *session;
	bool start_pending;		/* TLS: channel start after the result */
	bool acks;			/* SET_ACK flow control on */
	uint32_t unacked;

	/* display and cursor channels */
	struct SpiceCoreDisplay *display;
	uint32_t surface_gen, heads_gen, cursor_gen, cursor_pos_gen;
	bool surface_created, marked;
	pixman_region32_t pending;
	bool lz4;
	/* inputs channel */
	unsigned int motion_count;
	int32_t last_x, last_y;
	uint32_t last_display;
	bool scancode_ext;
	unsigned int scancode_skip;
};

struct sc_session {
	SpiceCore *core;
	uint32_t id;
	struct sc_conn *main;
	GList *conns;			/* every channel but main */
	/* agent emulation (agent.c) */
	bool agent_started;
	uint32_t client_tokens;		/* agent messages we may send */
	uint32_t server_tokens;		/* agent messages the client may send */
	struct sc_buf agent_in;		/* reassembly of the agent stream */
	uint32_t agent_skip;		/* body bytes of a huge message to drop */
};

struct SpiceCore {
	struct spice_core_config cfg;	/* strings below are our copies */
	char *addr, *x509_ca, *x509_cert, *x509_key, *x509_key_pw, *ciphers;
	char *name, *sasl_appname;
	uint8_t uuid[16];
	bool has_uuid;

	GMainContext *ctx;
	GThread *thread;
	GMainLoop *loop;
	int listen_fd[2];		/* plain, tls */
	GSource *listen_src[2];
	int port[2];
	SSL_CTX *ssl_ctx;
	GSource *wake;
	GSource *reaper;

	GMutex lock;			/* guards the fields below */
	char ticket[SPICE_MAX_PASSWORD_LENGTH + 1];
	int64_t ticket_expires;		/* UNIX seconds, 0: never */
	bool ticket_set;
	bool mouse_abs_available;
	uint32_t leds;
	struct SpiceCoreDisplay *displays[SC_MAX_DISPLAYS];
	struct spice_core_stats stats;

	/* Owned by the server thread. */
	GList *conns;
	GList *dead;			/* closed, freed by the reaper */
	GList *sessions;
	unsigned int n_linking;
	bool mouse_client;		/* client (absolute) mode in use */
};

/* server.c */
void sc_wake(SpiceCore *core);
void sc_stat_add(SpiceCore *core, uint64_t *field, uint64_t n);
bool sc_ticket_check(SpiceCore *core, const char *password,
		     const char **why);
struct sc_session *sc_session_find(SpiceCore *core, uint32_t id);
struct sc_session *sc_session_new(SpiceCore *core, struct sc_conn *main);
void sc_session_close(struct sc_session *s);
unsigned int sc_n_sessions(SpiceCore *core);
void sc_notify_clients(SpiceCore *core);

/* net.c */
int sc_listen(SpiceCore *core, int idx, const char *addr, int port,
	      GError **err);
void sc_listen_close(SpiceCore *core, int idx);
void sc_conn_close(struct sc_conn *c, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);
void sc_conn_flush(struct sc_conn *c);
size_t sc_conn_queued(const struct sc_conn *c);
void sc_conn_mark_msg_end(struct sc_conn *c);
void sc_conn_free(struct sc_conn *c);
/* Received bytes not yet consumed. */
static inline const uint8_t *sc_in_data(const struct sc_conn *c)
{
	return c->in.data + c->in_off;
}

static inline size_t sc_in_len(const struct sc_conn *c)
{
	return c->in.len - c->in_off;
}

static inline void sc_in_consume(struct sc_conn *c, size_t n)
{
	c->in_off += n;
}
void sc_send_set_ack(struct sc_conn *c);
int sc_tls_init(SpiceCore *core, GError **err);
void sc_tls_free(SpiceCore *core);

/* link.c: the link phase; true once it consumed bytes. */
void sc_link_start(struct sc_conn *c);
bool sc_link_input(struct sc_conn *c);
void sc_link_finish_auth(struct sc_conn *c, bool ok, const char *why);

/* channel.c: data phase framing, shared by every channel */
struct sc_buf *sc_msg_begin(struct sc_conn *c, uint16_t type);
void sc_msg_end(struct sc_conn *c);
bool sc_data_input(struct sc_conn *c);
void sc_channel_start(struct sc_conn *c);
bool sc_conn_can_send(const struct sc_conn *c);
void sc_conn_pump(struct sc_conn *c);

/* per channel */
void sc_main_start(struct sc_conn *c);
int sc_main_handle(struct sc_conn *c, const struct sc_msg *m);
void sc_main_send_mouse_mode(struct sc_conn *c);
void sc_main_send_agent_data(struct sc_session *s, uint32_t type,
			     const void *data, uint32_t size);
void sc_display_start(struct sc_conn *c);
int sc_display_handle(struct sc_conn *c, const struct sc_msg *m);
void sc_display_pump(struct sc_conn *c);
void sc_display_add_damage(struct sc_conn *c, pixman_region32_t *r);
void sc_cursor_start(struct sc_conn *c);
void sc_cursor_pump(struct sc_conn *c);
void sc_inputs_start(struct sc_conn *c);
int sc_inputs_handle(struct sc_conn *c, const struct sc_msg *m);
void sc_inputs_send_leds(struct sc_conn *c, uint32_t leds);

/* agent.c */
int sc_agent_data(struct sc_session *s, const uint8_t *p, size_t n,
		  const char **why);
void sc_agent_start(struct sc_session *s, uint32_t tokens);

/* sasl.c */
#define SC_SASL_MAX_STEPS	16	/* start + steps per authentication */
#define SC_SASL_READ_CHUNK	16384	/* encoded bytes read at once */
bool sc_sasl_available(SpiceCore *core);
/* Send the mechanism list and wait for the client's choice; -1 if SASL
 * cannot start on this connection. */
int sc_sasl_start(struct sc_conn *c);
/* Consume client bytes of the SASL exchange; true once it consumed some. */
bool sc_sasl_input(struct sc_conn *c);
/* Encode up to the security layer's buffer size of p into c->ssf_out;
 * *used gets how many plain bytes were taken.  -1 on a libsasl2 error. */
int sc_sasl_encode(struct sc_conn *c, const uint8_t *p, size_t n,
		   size_t *used);
/* Decode n received bytes and append the plain bytes to c->in. */
int sc_sasl_decode(struct sc_conn *c, const uint8_t *p, size_t n);
/* The channel's first messages are queued behind the link result. */
void sc_sasl_channel_started(struct sc_conn *c);
void sc_sasl_free(struct sc_conn *c);

#endif
