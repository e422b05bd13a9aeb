/* SPDX-License-Identifier: MIT */
/*
 * The client's agent stream on its way to the guest's agent (agentdev.c).
 *
 * A client asks for a monitor layout (its window resized, a display
 * enabled) with a VD_AGENT_MONITORS_CONFIG message in that stream.  As
 * the reference does with QXL's client_monitors_config, the message is
 * held until it is whole and offered to the display devices first; when
 * one takes it (a QXL device whose guest driver handles the client
 * monitors config interrupt) the guest's agent never sees it, otherwise it
 * goes on unchanged.  Everything else passes through as it comes; a
 * message header cut between chunks is held until it is whole.
 *
 * Bounded: at most SC_AGENTFILTER_HOLD_MAX bytes are held (a larger
 * monitors config passes through to the agent, which checks it).
 */
#ifndef SPICE_CORE_CHANNELS_AGENTFILTER_H
#define SPICE_CORE_CHANNELS_AGENTFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/buf.h"

struct sc_model;

#define SC_AGENTFILTER_HDR	20	/* VDAgentMessage */
/* VDAgentMessage + VDAgentMonitorsConfig + 256 monitors with their
 * physical sizes (VDAgentMonConfig 20 bytes, VDAgentMonitorMM 4). */
#define SC_AGENTFILTER_HOLD_MAX	(SC_AGENTFILTER_HDR + 8 + 256 * 24)

struct sc_agentfilter {
	uint8_t hdr[SC_AGENTFILTER_HDR];
	unsigned int hdr_len;		/* header bytes of the current message */
	uint32_t left;			/* its body bytes still to come */
	bool holding;			/* held[] collects it */
	struct sc_buf held;
	unsigned int taken;		/* monitors configs a device took */
};

void sc_agentfilter_init(struct sc_agentfilter *f);
void sc_agentfilter_free(struct sc_agentfilter *f);
/* A new client's stream starts: forget the last one's partial message. */
void sc_agentfilter_reset(struct sc_agentfilter *f);
/* Runs n bytes of the client's stream through; what goes on to the guest
 * is appended to out (possibly nothing, possibly more than n bytes when
 * a held message goes on). */
void sc_agentfilter_feed(struct sc_agentfilter *f, struct sc_model *model,
			 const uint8_t *p, size_t n, struct sc_buf *out);

#endif
