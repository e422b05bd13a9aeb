/* SPDX-License-Identifier: MIT */
/*
 * VD agent messages between spice-core and the guest's agent (the VDI
 * chunk stream of spice/vd_agent.h, channels/agentdev.c):
 *
 *  - the guest's messages for the client, cut out of its chunks' bytes
 *    (struct sc_agent_rx): spice-core only looks at the guest agent's
 *    VD_AGENT_ANNOUNCE_CAPABILITIES, to learn whether it takes
 *    VD_AGENT_GRAPHICS_DEVICE_INFO, as spice-server does;
 *  - VD_AGENT_GRAPHICS_DEVICE_INFO for the guest (sc_agent_device_info):
 *    u32 count, then per monitor u32 channel_id, monitor_id,
 *    device_display_id, device_address_len and the address with its NUL
 *    (VDAgentGraphicsDeviceInfo, VDAgentDeviceDisplayInfo).
 */
#ifndef SPICE_CORE_WIRE_AGENTMSG_H
#define SPICE_CORE_WIRE_AGENTMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/buf.h"

#define SC_AGENT_MSG_HDR	20	/* VDAgentMessage */
/* Body bytes of an announce kept: the request word and the first word of
 * capabilities (every capability spice-core asks about is in it). */
#define SC_AGENT_RX_KEEP	8

/* The guest's agent message stream.  Bounded: a header and
 * SC_AGENT_RX_KEEP body bytes, whatever the sizes the guest gives. */
struct sc_agent_rx {
	uint8_t hdr[SC_AGENT_MSG_HDR];
	unsigned int hdr_len;		/* header bytes of this message */
	uint32_t type;
	uint32_t left;			/* its body bytes still to come */
	uint8_t body[SC_AGENT_RX_KEEP];
	unsigned int body_len;		/* kept so far */
	bool lost;			/* a header that is not VD agent
					 * protocol 1: framing gone */
	/* Results: announces seen whole, and the last one's words. */
	unsigned int announces;
	uint32_t request, caps0;
};

void sc_agent_rx_init(struct sc_agent_rx *rx);
/* n bytes of the guest's messages for the client (chunk bodies of
 * VDP_CLIENT_PORT, in order).  Returns -1 with *why when the framing is
 * lost (then and later the bytes are ignored), else 0. */
int sc_agent_rx_feed(struct sc_agent_rx *rx, const uint8_t *p, size_t n,
		     const char **why);

/* One monitor's entry of VD_AGENT_GRAPHICS_DEVICE_INFO. */
struct sc_device_display {
	uint32_t channel_id;		/* the display channel */
	uint32_t monitor_id;		/* its monitor */
	uint32_t device_display_id;	/* the guest's id of that head */
	const char *address;		/* NUL-terminated device address */
};

/* Appends the whole agent message (VDAgentMessage header and body) of n
 * entries to out; returns its size in bytes. */
size_t sc_agent_device_info(struct sc_buf *out,
			    const struct sc_device_display *e, unsigned int n);

#endif
