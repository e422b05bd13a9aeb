// SPDX-License-Identifier: MIT
/* VD_AGENT_GRAPHICS_DEVICE_INFO for the guest's agent (agentdev.h): which
 * display channel and monitor is which device and head in the guest. */
#include <string.h>
#include <spice/vd_agent.h>

#include "spice-core/spice-core.h"
#include "channels/agentdev.h"
#include "channels/channels.h"

/* At most this many entries: every head of every display. */
#define INFO_MAX	(SC_MAX_DISPLAYS * SC_MAX_HEADS)

void sc_agentdev_guest_msgs(struct sc_agentdev *ad, const uint8_t *p,
			    size_t n)
{
	const char *why = NULL;
	bool cap;

	if (ad->rx.lost)
		return;
	if (sc_agent_rx_feed(&ad->rx, p, n, &why)) {
		g_message("agent: the guest's messages for the client lost "
			  "their framing (%s); no longer looking at them", why);
		return;
	}
	if (ad->rx.announces == ad->announces)
		return;
	ad->announces = ad->rx.announces;
	cap = ad->rx.caps0 & 1u << VD_AGENT_CAP_GRAPHICS_DEVICE_INFO;
	if (cap && !ad->info_cap)
		g_message("agent: the guest's agent takes graphics device "
			  "info");
	ad->info_cap = cap;
	/* After every announce, as spice-server does: the guest's agent
	 * may have restarted. */
	ad->info_waiting = cap;
}

void sc_agentdev_info_changed(struct sc_agentdev *ad)
{
	struct sc_model *m = ad->chs->model;
	uint32_t gen;

	g_mutex_lock(&m->lock);
	gen = m->devinfo_gen;
	g_mutex_unlock(&m->lock);
	if (gen == ad->info_gen || !ad->info_cap)
		return;
	ad->info_waiting = true;
	sc_agentdev_flush(ad);
}

/* The message, from the display sources as they are now. */
static void build(struct sc_agentdev *ad, struct sc_buf *out)
{
	struct sc_device_display e[INFO_MAX];
	struct sc_model *m = ad->chs->model;
	unsigned int id, i, n = 0;

	g_mutex_lock(&m->lock);
	for (id = 0; id < SC_MAX_DISPLAYS; id++) {
		const struct SpiceCoreDisplay *d = m->displays[id];

		if (!d || !d->dev_address[0])
			continue;
		for (i = 0; i < d->dev_heads && n < INFO_MAX; i++, n++) {
			e[n].channel_id = id;
			e[n].monitor_id = i;
			e[n].device_display_id = d->dev_first_id + i;
			e[n].address = d->dev_address;
		}
	}
	/* (the addresses are copied out before the lock goes) */
	sc_agent_device_info(out, e, n);
	ad->info_gen = m->devinfo_gen;
	g_mutex_unlock(&m->lock);
	g_debug("agent: graphics device info for the guest, %u monitor(s)",
		n);
}

void sc_agentdev_info_queue(struct sc_agentdev *ad)
{
	struct sc_buf msg;
	size_t off, piece;

	if (!ad->info_waiting ||
	    ad->queued - ad->written > SC_AGENTDEV_MOUSE_LAG)
		return;
	ad->info_waiting = false;
	sc_buf_init(&msg);
	build(ad, &msg);
	for (off = 0; off < msg.len; off += piece) {
		piece = MIN(msg.len - off, (size_t)VD_AGENT_MAX_DATA_SIZE);
		sc_agentdev_queue(ad, VDP_SERVER_PORT, msg.data + off, piece);
	}
	sc_buf_free(&msg);
	ad->info_end = ad->queued;
}
