/* SPDX-License-Identifier: MIT */
/*
 * Agent emulation, for resize without a guest agent: the VD agent stream
 * the main channel carries (AGENT_DATA), reassembled and answered.  The
 * main channel owns the transport and its tokens; it feeds the stream in
 * with sc_agent_input() and sends replies through `send`.
 */
#ifndef SPICE_CORE_CHANNELS_AGENT_H
#define SPICE_CORE_CHANNELS_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "channels/model.h"
#include "net/buf.h"

struct sc_agent {
	struct sc_model *model;
	uint32_t id;			/* the session's, for the log */
	/* Send one agent message to the client (dropped if no room). */
	void (*send)(void *opaque, uint32_t type, const void *data,
		     uint32_t size);
	void *opaque;
	struct sc_buf in;		/* reassembly of the agent stream */
	uint32_t skip;			/* body bytes of a huge message to drop */
};

void sc_agent_init(struct sc_agent *a, struct sc_model *m, uint32_t id,
		   void (*send)(void *opaque, uint32_t type, const void *data,
				uint32_t size),
		   void *opaque);
/* The client (re)started its agent stream. */
void sc_agent_reset(struct sc_agent *a);
/* Stream bytes; -1 with *why if they break the agent protocol. */
int sc_agent_input(struct sc_agent *a, const uint8_t *p, size_t n,
		   const char **why);
void sc_agent_fini(struct sc_agent *a);

#endif
