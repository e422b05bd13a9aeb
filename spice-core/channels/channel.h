/* SPDX-License-Identifier: MIT */
/*
 * Layer 4, the channel dispatcher: one struct sc_conn per client
 * connection, carried from accept through the link (layer 3) to the data
 * phase, where the wire (layer 2) hands each message to the connection's
 * channel.  A channel is a struct sc_channel_ops; the server registers its
 * table of them (sc_channels_init), so nothing here names a channel and a
 * new one is a file of its own plus a line in that table.
 *
 * What is not a channel's business (sessions, TLS requirements, the
 * ticket) the dispatcher asks the server through struct sc_channels_host.
 */
#ifndef SPICE_CORE_CHANNELS_CHANNEL_H
#define SPICE_CORE_CHANNELS_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <spice/enums.h>
#include <spice/protocol.h>

#include "channels/model.h"
#include "link/link.h"
#include "net/net.h"
#include "wire/migdata.h"
#include "wire/wire.h"

#define SC_MAX_LINKING		64	/* connections not yet linked */
#define SC_OUT_TOTAL_LIMIT	(256u << 20)	/* queued for all clients */
#define SC_STALL_TIMEOUT_MS	30000	/* output waits, none is taken */

struct sc_conn;
struct sc_channels;

/* Things that happened to the model that channels may want to tell their
 * client about (sc_channels_notify). */
enum sc_event {
	SC_EVENT_MOUSE_MODE,	/* mouse modes available or in use changed */
	SC_EVENT_LEDS,		/* model->leds changed */
	SC_EVENT_AGENT,		/* the guest's agent came, went or changed
				 * owner (model->agentdev) */
	SC_EVENT_MIGRATE_BEGIN,	/* a migration to model->mig_host may
				 * come: semi-seamless clients link there */
	SC_EVENT_MIGRATE_SWITCH, /* the VM moved to model->mig_host */
	SC_EVENT_MIGRATE_CANCEL, /* the migration failed or was cancelled */
};

/* A channel.  Only type and exists are required; the rest may be NULL.
 * All run on the server thread; a channel drops its client with
 * sc_stream_close(c->st, ...), which is safe anywhere. */
struct sc_channel_ops {
	const char *name;
	uint8_t type;			/* SPICE_CHANNEL_* */
	uint32_t caps;			/* its capabilities in the link reply */
	/* Its client messages (wire/demarshal.h); NULL: base ones only. */
	sc_parse_fn *parse;
	/* Does channel `id` of this type exist now? */
	bool (*exists)(struct sc_channels *chs, uint8_t id);
	/* Linked and attached to its session: set up c->priv, send the
	 * first messages. */
	void (*start)(struct sc_conn *c);
	/* A client message of the channel's own (not a base one).  < 0
	 * drops the client. */
	int (*handle)(struct sc_conn *c, const struct sc_msg *m);
	/* The client has room (sc_wire_can_send): send what is due. */
	void (*pump)(struct sc_conn *c);
	/* The model's damage, taken once for every connection (read it,
	 * do not change it). */
	void (*changed)(struct sc_conn *c, struct sc_changes *ch);
	void (*notify)(struct sc_conn *c, enum sc_event ev);
	/* true: leave the client's next messages unread for now (its
	 * socket is then not read either); the channel calls
	 * sc_conn_resume() once it takes them again. */
	bool (*held)(struct sc_conn *c);
	/* Tear down what c->priv holds (only after start); the dispatcher
	 * frees c->priv itself. */
	void (*close)(struct sc_conn *c);
	/* Seamless migration.  At the source: fill d->u with what the
	 * target needs (NULL: nothing but the header).  At the target, a
	 * channel started from migration data finds it in c->mig during
	 * start(); a channel already running when its data comes (main)
	 * gets it here instead (NULL: such data drops the client). */
	void (*mig_save)(struct sc_conn *c, struct sc_mig_data *d);
	int (*mig_restore)(struct sc_conn *c, const struct sc_mig_data *d);
};

/* The server's side.  opaque is sc_channels.host_opaque. */
struct sc_channels_host {
	/* May c (linked as c->link.mess says, its channel exists) have its
	 * channel: TLS requirement, session, client limit?
	 * SPICE_LINK_ERR_OK or an error with *why. */
	uint32_t (*check)(void *opaque, struct sc_conn *c, const char **why);
	bool (*ticket_ok)(void *opaque, const char *password,
			  const char **why);
	/* c's channel starts: a main channel opens a session
	 * (c->session_id), others join theirs.  false, with *why: its
	 * session has gone, or no room for another. */
	bool (*attach)(void *opaque, struct sc_conn *c, const char **why);
	/* c is being freed: leave its session (a main channel ends it). */
	void (*detach)(void *opaque, struct sc_conn *c);
	/* May c, attached, start now?  false: it waits (SC_CONN_HELD)
	 * until the host calls sc_conn_unhold() (the channels a migrating
	 * client links before its MIGRATE_END).  NULL: always. */
	bool (*may_start)(void *opaque, struct sc_conn *c);
	/* c, a main channel linked by a migrating client, got the client's
	 * MIGRATE_END (or, seamless, its migration data): the session is an
	 * ordinary one from now on. */
	void (*migrated_in)(void *opaque, struct sc_conn *c);
	/* Does held c read its input (seamless: its migration data starts
	 * it)?  NULL: never. */
	bool (*held_reads)(void *opaque, struct sc_conn *c);
	/* Seamless migration.  At the target: may the session of main
	 * channel c, a migrating client's, go on seamlessly (each channel
	 * from its migration data)?  At the source: send every channel of
	 * c's session SPICE_MSG_MIGRATE (sc_conn_migrate_out). */
	bool (*seamless_in)(void *opaque, struct sc_conn *c);
	void (*migrate_out)(void *opaque, struct sc_conn *c);
};

enum sc_conn_phase {
	SC_CONN_LINKING,
	SC_CONN_LINKED,		/* result sent, start on a later turn */
	SC_CONN_HELD,		/* attached, not started: its session
				 * waits for the client's MIGRATE_END */
	SC_CONN_RUNNING,	/* the channel started */
	SC_CONN_MIG_OUT,	/* seamless migration: SPICE_MSG_MIGRATE
				 * sent, nothing else goes out; its data
				 * follows the client's FLUSH_MARK */
};

struct sc_conn {
	struct sc_channels *chs;
	struct sc_stream *st;
	struct sc_link link;		/* link.mess: channel type and id */
	struct sc_wire wire;
	const struct sc_channel_ops *ops;	/* once the link says */
	enum sc_conn_phase phase;
	uint32_t session_id;		/* set by host->attach */
	void *session;			/* the host's */
	void *priv;			/* the channel's (g_malloc'ed) */
	const struct sc_mig_data *mig;	/* during a seamless start only */
	struct sc_mig_data *mig_parked;	/* taken while the VM's state was
					 * loading: starts once it is */
	bool mig_sent;			/* MIG_OUT: its data went */
	uint64_t sent_seen;		/* sc_stream_sent() when last seen */
	gint64 progress_at;		/* when it last took queued bytes */
};

struct sc_channels {
	GMainContext *ctx;
	const struct sc_channel_ops *const *registry;	/* NULL-terminated */
	const struct sc_channels_host *host;
	void *host_opaque;
	struct sc_model *model;
	struct sc_link_config link_cfg;
	GList *conns;			/* every connection not yet freed */
	unsigned int n_linking;
	unsigned int stall_ms;		/* SC_STALL_TIMEOUT_MS, or the
					 * environment's for tests */
	size_t out_total_limit;		/* SC_OUT_TOTAL_LIMIT, likewise */
	GSource *mig_timer;		/* parked migration data waits */
};

/* The net layer's ops: pass the struct sc_channels as their opaque. */
extern const struct sc_net_ops sc_channels_net_ops;

void sc_channels_init(struct sc_channels *chs, GMainContext *ctx,
		      const struct sc_channel_ops *const *registry,
		      const struct sc_channels_host *host, void *host_opaque,
		      struct sc_model *model,
		      const struct sc_link_config *link_cfg);
/* The registered channel of this type, or NULL. */
const struct sc_channel_ops *sc_channels_find(const struct sc_channels *chs,
					      uint8_t type);
/* Give the model's damage to every running connection, let each send
 * what it can and flush; then the limits: a connection whose queued
 * output the client has not taken for stall_ms goes, and while all of
 * them hold more than out_total_limit, the largest queue goes. */
void sc_channels_deliver(struct sc_channels *chs);
/* Tell every running connection (ops->notify) and flush. */
void sc_channels_notify(struct sc_channels *chs, enum sc_event ev);
/* Close every connection (freed on the next turn, or by sc_net_reap). */
void sc_channels_close_all(struct sc_channels *chs, const char *why);

static inline bool sc_conn_running(const struct sc_conn *c)
{
	return c->phase == SC_CONN_RUNNING && !sc_stream_dead(c->st);
}

/* Read c's messages again after ops->held said no (on the next turn). */
void sc_conn_resume(struct sc_conn *c);
/* Start c if it is SC_CONN_HELD (host->may_start said no). */
void sc_conn_unhold(struct sc_conn *c);
/* Seamless migration at the source: send c SPICE_MSG_MIGRATE; c then
 * sends nothing but its migration data, after the client's FLUSH_MARK. */
void sc_conn_migrate_out(struct sc_conn *c);

/* ops->exists for a channel of id 0 only (main, inputs), and for one
 * channel per display source (display, cursor). */
bool sc_exists_once(struct sc_channels *chs, uint8_t id);
bool sc_exists_per_display(struct sc_channels *chs, uint8_t id);

/* The display source of c's channel id with the model locked, or NULL
 * after dropping c ("display source removed"). */
struct SpiceCoreDisplay *sc_conn_lock_display(struct sc_conn *c);

#endif
