/* SPDX-License-Identifier: MIT */
/*
 * Agent emulation, for resize and the clipboard without a guest agent: the
 * VD agent stream the main channel carries (AGENT_DATA), reassembled and
 * answered.  The main channel owns the transport and its tokens; it feeds
 * the stream in with sc_agent_input() and sends messages through `send`
 * (which queues them and cuts them into AGENT_DATA chunks).
 */
#ifndef SPICE_CORE_CHANNELS_AGENT_H
#define SPICE_CORE_CHANNELS_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "channels/channel.h"
#include "channels/model.h"
#include "net/buf.h"

#define SC_AGENT_MSG_MAX	65536	/* largest agent message kept ... */
/* ... but a VD_AGENT_CLIPBOARD body may hold the selection, the type and
 * SPICE_CORE_CLIPBOARD_MAX bytes of data. */
#define SC_AGENT_CLIPBOARD_MSG_MAX	(SPICE_CORE_CLIPBOARD_MAX + 8)
/* Agent stream bytes waiting for a client (main.c): a whole clipboard
 * and then some. */
#define SC_AGENT_OUT_MAX	(SC_AGENT_CLIPBOARD_MSG_MAX + 4 * SC_AGENT_MSG_MAX)
#define SC_CLIPBOARD_TYPES_MAX	SC_CLIP_TYPES	/* types in a grab kept */

/* A clipboard message's body, parsed (sel: with the selection word, when
 * both sides announced VD_AGENT_CAP_CLIPBOARD_SELECTION). */
struct sc_agent_clipboard {
	uint8_t selection;
	uint32_t type;				/* REQUEST, CLIPBOARD */
	uint32_t types[SC_CLIPBOARD_TYPES_MAX];	/* GRAB */
	unsigned int n_types;
	const uint8_t *data;			/* CLIPBOARD */
	size_t size;
};

int sc_parse_agent_clipboard(uint32_t msg_type, const uint8_t *p,
			     size_t size, bool sel,
			     struct sc_agent_clipboard *out, const char **why);

struct sc_agent {
	struct sc_model *model;
	uint32_t id;			/* the session's, for the log */
	/* Send one agent message to the client (dropped if no room). */
	void (*send)(void *opaque, uint32_t type, const void *data,
		     uint32_t size);
	void *opaque;
	struct sc_buf in;		/* reassembly of the agent stream */
	uint32_t skip;			/* body bytes of a huge message to drop */
	bool caps_received;		/* the client announced its caps */
	uint32_t client_caps0;		/* their first word */
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

/* Clipboard towards this client (a no-op without the host's clipboard
 * callbacks, before the client announced its caps, or for a selection
 * other than CLIPBOARD without VD_AGENT_CAP_CLIPBOARD_SELECTION). */
bool sc_agent_clipboard_on(const struct sc_agent *a);
void sc_agent_clipboard_grab(struct sc_agent *a, unsigned int selection,
			     const uint32_t *types, unsigned int n);
void sc_agent_clipboard_release(struct sc_agent *a, unsigned int selection);
void sc_agent_clipboard_request(struct sc_agent *a, unsigned int selection,
				uint32_t type);
void sc_agent_clipboard_data(struct sc_agent *a, unsigned int selection,
			     uint32_t type, const void *data, size_t size);

/* A client's monitor layout to the model's display devices (one display
 * channel: all heads, moved to start at 0,0; several: a head each).
 * True when a device took it. */
bool sc_model_route_heads(struct sc_model *model,
			  const struct spice_core_head *heads, unsigned int n);

/* main.c: the agent of main channel c, or NULL if c is not running. */
struct sc_agent *sc_main_agent(struct sc_conn *c);
/* main.c: bytes of agent messages queued for c's client, not yet sent. */
size_t sc_main_agent_queued(struct sc_conn *c);

#endif
