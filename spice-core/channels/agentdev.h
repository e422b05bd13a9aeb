/* SPDX-License-Identifier: MIT */
/*
 * The guest's agent (spice-vdagent behind the host's virtio-serial port),
 * passed through to one client's main channel instead of the emulation
 * (agent.c).  The port carries the VDI chunk stream: a VDIChunkHeader
 * {port, size} and size bytes, port VDP_CLIENT_PORT for the client's
 * agent messages, VDP_SERVER_PORT for the server's.
 *
 * One client at a time owns the agent (the first main channel there when
 * it appears, then the next when the owner leaves; the others are told
 * there is no agent).  Flow control, both ways bounded:
 *  - client -> guest: each AGENT_DATA chunk (at most
 *    VD_AGENT_MAX_DATA_SIZE) goes out wrapped in a chunk header, and its
 *    token goes back to the client only once the guest took the whole
 *    chunk, so at most the client's token window waits here;
 *  - guest -> client: chunk data for the client joins the owner's agent
 *    queue (sent as its tokens allow) while that holds under
 *    SC_AGENTDEV_QUEUE bytes; beyond, spice-core takes no more guest bytes
 *    until the client has taken some (ops.read_ready tells the host).
 * A chunk header with another port or over SC_AGENTDEV_CHUNK_MAX bytes is
 * a guest bug: logged once, everything after it is dropped until the port
 * closes.
 *
 * Graphics device info (as the reference does, agentinfo.c): the guest's
 * own messages for the client are followed (wire/agentmsg.h) for its
 * VD_AGENT_ANNOUNCE_CAPABILITIES; once it announces
 * VD_AGENT_CAP_GRAPHICS_DEVICE_INFO it gets, on VDP_SERVER_PORT, which
 * display channel and monitor is which of the guest's devices and heads
 * (spice_core_display_set_device_info), again after every announce and
 * whenever that changes; one such message waits at most, built when it
 * goes (in chunks of at most VD_AGENT_MAX_DATA_SIZE, which spice-vdagentd
 * insists on).  A guest whose messages lose their framing (a header that
 * is not protocol 1) is logged once and no longer looked at.
 *
 * Client mouse mode through the agent (as the reference does): while the
 * port is open, clients may choose client mouse mode even without an
 * absolute input device on the host; their pointer positions and buttons
 * go to the guest as VD_AGENT_MOUSE_STATE on VDP_SERVER_PORT (the agent
 * moves a uinput tablet).  Only the latest state waits while the guest
 * is behind by more than SC_AGENTDEV_MOUSE_LAG bytes: a flood of motion
 * costs no memory.
 */
#ifndef SPICE_CORE_CHANNELS_AGENTDEV_H
#define SPICE_CORE_CHANNELS_AGENTDEV_H

#include <stddef.h>
#include <stdint.h>

#include "channels/agentfilter.h"
#include "channels/channel.h"
#include "net/buf.h"
#include "wire/agentmsg.h"

struct spice_core_agent_ops;

#define SC_AGENTDEV_CHUNK_MAX	65536	/* bytes in one guest chunk */
#define SC_AGENTDEV_QUEUE	(64 * 1024)	/* guest bytes queued for the
						 * client before we stop taking */
#define SC_AGENTDEV_ENDS	32	/* client chunks awaiting the guest */
#define SC_AGENTDEV_MOUSE_LAG	4096	/* unwritten bytes beyond which a
					 * mouse state waits */
#define SC_AGENTDEV_MOUSE_MSG	(20 + 13)	/* VDAgentMessage +
						 * VDAgentMouseState */

struct sc_agentdev {
	const struct spice_core_agent_ops *ops;
	void *opaque;
	struct sc_channels *chs;
	struct sc_conn *owner;		/* the client passed through */
	/* guest -> client: the chunk being read */
	uint8_t hdr[8];
	unsigned int hdr_len;
	uint32_t port, left;
	bool read_blocked;		/* refused bytes: tell read_ready */
	bool broken;			/* guest bug seen: drop it all */
	/* client -> guest */
	struct sc_buf out;		/* chunks not yet written ... */
	size_t out_off;			/* ... from here */
	uint64_t queued, written;	/* bytes ever queued and written */
	uint64_t ends[SC_AGENTDEV_ENDS];	/* where the owner's chunks
						 * end, oldest first */
	unsigned int n_ends;
	uint64_t disc_end;		/* where the last CLIENT_DISCONNECTED
					 * for the guest ends */
	struct sc_agentfilter filter;	/* the owner's stream (monitors
					 * configs to the display first) */
	bool mouse_waiting;		/* mouse[] not queued yet */
	uint8_t mouse[SC_AGENTDEV_MOUSE_MSG];
	/* graphics device info (agentinfo.c) */
	struct sc_agent_rx rx;		/* the guest's messages to clients */
	unsigned int announces;		/* rx's announces looked at */
	bool info_cap;			/* the guest takes device info */
	bool info_waiting;		/* one to build and queue */
	uint32_t info_gen;		/* model devinfo_gen it was built at */
	uint64_t info_end;		/* where the last one queued ends */
};

/* server side (session.c): the API's open, close, read, wakeup. */
struct sc_agentdev *sc_agentdev_new(struct sc_channels *chs,
				    const struct spice_core_agent_ops *ops,
				    void *opaque);
void sc_agentdev_free(struct sc_agentdev *ad);
size_t sc_agentdev_read(struct sc_agentdev *ad, const uint8_t *p, size_t n);
void sc_agentdev_flush(struct sc_agentdev *ad);

/* main channel side (main.c) */
/* One AGENT_DATA chunk of the owner's; false if no room (a client over
 * its token window). */
bool sc_agentdev_from_client(struct sc_agentdev *ad, const uint8_t *p,
			     size_t n);
/* The owner went (or lost the agent): its unwritten chunks go, the guest
 * hears VD_AGENT_CLIENT_DISCONNECTED. */
void sc_agentdev_owner_gone(struct sc_agentdev *ad);
/* The owner's queue shrank: let the guest write again if it was held. */
void sc_agentdev_client_room(struct sc_agentdev *ad, size_t queued);

/* Queue n bytes for the guest on `port` as one chunk (n at most
 * VD_AGENT_MAX_DATA_SIZE), not flushed. */
void sc_agentdev_queue(struct sc_agentdev *ad, uint32_t port,
		       const void *p, size_t n);

/* agentinfo.c: bytes of the guest's messages for the client (taken);
 * the device info changed (server side, after a display change); queue
 * the waiting device info when the guest has caught up (from flush). */
void sc_agentdev_guest_msgs(struct sc_agentdev *ad, const uint8_t *p,
			    size_t n);
void sc_agentdev_info_changed(struct sc_agentdev *ad);
void sc_agentdev_info_queue(struct sc_agentdev *ad);

/* inputs side (inputs.c), in client mouse mode: the pointer at x, y of
 * display, buttons as VD_AGENT_*BUTTON_MASK. */
void sc_agentdev_mouse(struct sc_agentdev *ad, uint32_t x, uint32_t y,
		       uint32_t buttons, uint8_t display);

/* main.c: guest bytes for client c's agent stream (whole or nothing);
 * one token back to c; c's started agent stream, and its queue. */
bool sc_main_agent_put(struct sc_conn *c, const uint8_t *p, size_t n);
void sc_main_agent_token(struct sc_conn *c);
bool sc_main_agent_started(struct sc_conn *c);

#endif
