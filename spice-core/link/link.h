/* SPDX-License-Identifier: MIT */
/*
 * Layer 3, link and auth: a connection's first bytes.  The REDQ header and
 * link message, the reply with a fresh RSA key and our capabilities, the
 * auth mechanism, then the ticket (ticket.c) or SASL (sasl.c), and the
 * link result.  Whether the channel exists and who may have it is the
 * layer above's call, through struct sc_link_ops.
 */
#ifndef SPICE_CORE_LINK_LINK_H
#define SPICE_CORE_LINK_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "net/net.h"
#include "wire/wire.h"

typedef struct evp_pkey_st EVP_PKEY;
struct sc_sasl;

/* What the layer above decides; opaque is what it gave sc_link_init(). */
struct sc_link_ops {
	/* May this link have its channel (l is parsed)?  SPICE_LINK_ERR_OK,
	 * or an error with *why.  On OK, *caps gets the channel's
	 * capabilities for the reply.  Asked again once authenticated. */
	uint32_t (*check)(void *opaque, const struct sc_link_mess *l,
			  uint32_t *caps, const char **why);
	/* Is this the ticket's password? */
	bool (*ticket_ok)(void *opaque, const char *password,
			  const char **why);
	/* Authenticated: the link result is queued; the data phase begins
	 * (link.mini says which headers). */
	void (*linked)(void *opaque);
};

struct sc_link_config {
	bool sasl;			/* SASL instead of the ticket */
	bool disable_ticketing;		/* any ticket will do */
};

enum sc_link_state {
	SC_LINK_HEADER,
	SC_LINK_MESS,
	SC_LINK_AUTH_MECH,
	SC_LINK_TICKET,
	SC_LINK_SASL,
	SC_LINK_DONE,
};

struct sc_link {
	struct sc_stream *st;
	GMainContext *ctx;
	const struct sc_link_config *cfg;
	const struct sc_link_ops *ops;
	void *opaque;
	enum sc_link_state state;
	size_t need;			/* bytes that complete this state */
	struct sc_link_mess mess;	/* the client's, once parsed */
	bool mini;			/* mini data headers agreed */
	EVP_PKEY *key;
	struct sc_sasl *sasl;
	GSource *timer;			/* link timeout, then wake-up PINGs */
	struct sc_wire *wire;		/* the PINGs' */
	unsigned int pings;
};

/* Start linking a new stream (the link must finish within 10 s,
 * SPICE_CORE_LINK_TIMEOUT_MS overrides). */
void sc_link_init(struct sc_link *l, struct sc_stream *st, GMainContext *ctx,
		  const struct sc_link_config *cfg,
		  const struct sc_link_ops *ops, void *opaque);
/* Consume the client's link bytes; true once it consumed some. */
bool sc_link_input(struct sc_link *l);
/* The channel has started on wire w: behind a SASL security layer, PING
 * the client awake (see link.c). */
void sc_link_data_started(struct sc_link *l, struct sc_wire *w);
void sc_link_fini(struct sc_link *l);

/* Whether SASL works in this process; libsasl2 is set up once, under the
 * first caller's appname (NULL: "spice"). */
bool sc_sasl_available(const char *appname);

#endif
