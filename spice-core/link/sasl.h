/* SPDX-License-Identifier: MIT */
/* SASL inside the link layer: link.c hands it the client's bytes once the
 * client chose SPICE_COMMON_CAP_AUTH_SASL, and acts on what it returns. */
#ifndef SPICE_CORE_LINK_SASL_H
#define SPICE_CORE_LINK_SASL_H

#include "net/net.h"

#define SC_SASL_MAX_STEPS	16	/* start + steps per authentication */

enum sc_sasl_result {
	SC_SASL_WAIT,		/* the next piece has not all arrived */
	SC_SASL_PROGRESS,	/* consumed a piece: call again */
	SC_SASL_OK,		/* authenticated: SASL's result is queued,
				 * the security layer (if any) is on */
	SC_SASL_DENIED,		/* authentication failed, *why says why */
	SC_SASL_DROPPED,	/* the client broke the protocol: closed */
};

/* Start SASL on st: queues the mechanism list.  NULL (logged) if SASL
 * cannot start on this connection. */
struct sc_sasl *sc_sasl_new(struct sc_stream *st);
enum sc_sasl_result sc_sasl_input(struct sc_sasl *s, const char **why);
void sc_sasl_free(struct sc_sasl *s);

#endif
