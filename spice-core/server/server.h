/* SPDX-License-Identifier: MIT */
/*
 * Layer 5, the server: struct SpiceCore behind the public API
 * (include/spice-core/spice-core.h), which owns the layers below: the net
 * (listening, TLS, streams), the channel dispatcher with the channels it
 * registers, and the model they serve.  Sessions (a main channel and the
 * channels that joined it) and the ticket live here; the dispatcher asks
 * about them through struct sc_channels_host.
 */
#ifndef SPICE_CORE_SERVER_SERVER_H
#define SPICE_CORE_SERVER_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <spice/protocol.h>
#include <spice-core/spice-core.h>

#include "channels/channel.h"
#include "channels/model.h"
#include "net/net.h"

#define SC_DEFAULT_MAX_CLIENTS	16	/* config.max_clients 0 */

struct sc_session {
	SpiceCore *core;
	uint32_t id;
	struct sc_conn *main;
	GList *conns;			/* every channel but main */
	bool mig_in;			/* a client migrating to us: its
					 * channels wait for MIGRATE_END */
	bool seamless;			/* ... or, seamless, each for its
					 * migration data */
};

struct SpiceCore {
	struct spice_core_config cfg;	/* strings below are our copies */
	char *unix_path;	/* cfg.unix_path's copy */
	char *addr, *x509_ca, *x509_cert, *x509_key, *x509_key_pw, *ciphers;
	char *name, *sasl_appname;
	uint8_t uuid[16];

	GMainContext *ctx;
	GThread *thread;
	GMainLoop *loop;
	GSource *wake;

	struct sc_net net;
	struct sc_model model;
	struct sc_channels chs;

	GMutex lock;			/* guards the fields below */
	char ticket[SPICE_MAX_PASSWORD_LENGTH + 1];
	int64_t ticket_expires;		/* UNIX seconds, 0: never */
	bool ticket_set;
	unsigned int clients;		/* sessions, for the stats */

	/* Owned by the server thread. */
	GList *sessions;
};

/* server.c: wake the server thread to deliver display-source changes. */
void sc_wake(SpiceCore *core);
/* Client mouse mode became possible or impossible (server context): left
 * if it must be, the clients told the modes. */
void sc_mouse_changed(SpiceCore *core);

/* session.c: the dispatcher's host ops (opaque: the SpiceCore). */
extern const struct sc_channels_host sc_session_host;
/* Close every session and every other connection. */
void sc_sessions_close_all(SpiceCore *core);

#endif
