// SPDX-License-Identifier: MIT
/* The guest's agent passed through to one client (agentdev.h). */
#include <string.h>
#include <spice/vd_agent.h>

#include "spice-core/spice-core.h"
#include "channels/agent.h"
#include "channels/agentdev.h"
#include "channels/channels.h"

struct sc_agentdev *sc_agentdev_new(struct sc_channels *chs,
				    const struct spice_core_agent_ops *ops,
				    void *opaque)
{
	struct sc_agentdev *ad = g_new0(struct sc_agentdev, 1);

	ad->chs = chs;
	ad->ops = ops;
	ad->opaque = opaque;
	sc_buf_init(&ad->out);
	sc_agentfilter_init(&ad->filter);
	sc_agent_rx_init(&ad->rx);
	return ad;
}

void sc_agentdev_free(struct sc_agentdev *ad)
{
	if (!ad)
		return;
	sc_buf_free(&ad->out);
	sc_agentfilter_free(&ad->filter);
	g_free(ad);
}

static void mouse_queue(struct sc_agentdev *ad);

/* Write what the guest takes; a token back for each of the owner's chunks
 * it took whole. */
void sc_agentdev_flush(struct sc_agentdev *ad)
{
	mouse_queue(ad);
	sc_agentdev_info_queue(ad);
	while (ad->out_off < ad->out.len) {
		size_t want = ad->out.len - ad->out_off;
		size_t took = ad->ops->write(ad->opaque,
					     ad->out.data + ad->out_off, want);

		took = MIN(took, want);
		ad->out_off += took;
		ad->written += took;
		if (took < want)
			break;
	}
	while (ad->n_ends && ad->ends[0] <= ad->written) {
		memmove(ad->ends, ad->ends + 1,
			--ad->n_ends * sizeof(ad->ends[0]));
		if (ad->owner)
			sc_main_agent_token(ad->owner);
	}
	if (ad->out_off == ad->out.len) {
		ad->out.len = 0;
		ad->out_off = 0;
		if (ad->out.cap > 4 * (VD_AGENT_MAX_DATA_SIZE + 8)) {
			sc_buf_free(&ad->out);
			sc_buf_init(&ad->out);
		}
	}
}

void sc_agentdev_queue(struct sc_agentdev *ad, uint32_t port,
		       const void *p, size_t n)
{
	uint8_t *h;

	if (ad->out_off && ad->out_off > ad->out.len / 2) {
		sc_buf_consume(&ad->out, ad->out_off);
		ad->out_off = 0;
	}
	h = sc_buf_append(&ad->out, 8);
	sc_put_u32(h, port);
	sc_put_u32(h + 4, (uint32_t)n);
	if (n)
		sc_buf_put(&ad->out, p, n);
	ad->queued += 8 + n;
}

bool sc_agentdev_from_client(struct sc_agentdev *ad, const uint8_t *p,
			     size_t n)
{
	struct sc_buf pass;
	size_t off, piece;

	if (ad->n_ends == SC_AGENTDEV_ENDS || n > VD_AGENT_MAX_DATA_SIZE)
		return false;
	sc_buf_init(&pass);
	sc_agentfilter_feed(&ad->filter, ad->chs->model, p, n, &pass);
	if (!pass.len) {
		/* All of it held or taken by the display: its token now. */
		sc_buf_free(&pass);
		if (ad->owner)
			sc_main_agent_token(ad->owner);
		return true;
	}
	/* A held message going on may make it more than one chunk; the
	 * token comes back when the last is written. */
	for (off = 0; off < pass.len; off += piece) {
		piece = MIN(pass.len - off, (size_t)VD_AGENT_MAX_DATA_SIZE);
		sc_agentdev_queue(ad, VDP_CLIENT_PORT, pass.data + off, piece);
	}
	sc_buf_free(&pass);
	ad->ends[ad->n_ends++] = ad->queued;
	sc_agentdev_flush(ad);
	return true;
}

/* The waiting mouse state joins the queue once the guest has caught up. */
static void mouse_queue(struct sc_agentdev *ad)
{
	if (!ad->mouse_waiting ||
	    ad->queued - ad->written > SC_AGENTDEV_MOUSE_LAG)
		return;
	ad->mouse_waiting = false;
	sc_agentdev_queue(ad, VDP_SERVER_PORT, ad->mouse, sizeof(ad->mouse));
}

void sc_agentdev_mouse(struct sc_agentdev *ad, uint32_t x, uint32_t y,
		       uint32_t buttons, uint8_t display)
{
	uint8_t *m = ad->mouse;

	sc_put_u32(m, VD_AGENT_PROTOCOL);
	sc_put_u32(m + 4, VD_AGENT_MOUSE_STATE);
	memset(m + 8, 0, 8);
	sc_put_u32(m + 16, SC_AGENTDEV_MOUSE_MSG - 20);
	sc_put_u32(m + 20, x);
	sc_put_u32(m + 24, y);
	sc_put_u32(m + 28, buttons);
	m[32] = display;
	ad->mouse_waiting = true;
	sc_agentdev_flush(ad);
}

void sc_agentdev_owner_gone(struct sc_agentdev *ad)
{
	uint8_t msg[20];
	size_t keep;

	ad->owner = NULL;
	sc_agentfilter_reset(&ad->filter);
	/* Drop the owner's chunks the guest has not started; keep the one
	 * it is in the middle of (and server messages before it), so the
	 * framing stays whole. */
	keep = ad->out.len;
	if (ad->n_ends)
		keep = ad->out_off + (size_t)(ad->ends[0] - ad->written);
	if (keep < ad->out.len) {
		ad->queued -= ad->out.len - keep;
		ad->out.len = keep;
	}
	ad->n_ends = 0;
	/* Device info cut off with them goes again. */
	if (ad->info_end > ad->queued)
		ad->info_waiting = ad->info_cap;
	/* The guest's agent forgets that client's state (one notice waiting
	 * is enough: clients coming and going cost no memory). */
	if (ad->written < ad->disc_end && ad->disc_end <= ad->queued) {
		sc_agentdev_flush(ad);
		return;
	}
	sc_put_u32(msg, VD_AGENT_PROTOCOL);
	sc_put_u32(msg + 4, VD_AGENT_CLIENT_DISCONNECTED);
	memset(msg + 8, 0, 8);
	sc_put_u32(msg + 16, 0);
	sc_agentdev_queue(ad, VDP_SERVER_PORT, msg, sizeof(msg));
	ad->disc_end = ad->queued;
	sc_agentdev_flush(ad);
}

void sc_agentdev_client_room(struct sc_agentdev *ad, size_t queued)
{
	if (ad->read_blocked && queued < SC_AGENTDEV_QUEUE) {
		ad->read_blocked = false;
		if (ad->ops->read_ready)
			ad->ops->read_ready(ad->opaque);
	}
}

static void guest_bug(struct sc_agentdev *ad, uint32_t port, uint32_t size)
{
	g_message("agent: guest sent a chunk for port %u of %u bytes; "
		  "ignoring the agent until its port closes", port, size);
	ad->broken = true;
}

size_t sc_agentdev_read(struct sc_agentdev *ad, const uint8_t *p, size_t n)
{
	size_t done = 0;

	while (done < n && !ad->broken) {
		size_t take;

		if (ad->hdr_len < 8) {
			take = MIN(8 - ad->hdr_len, n - done);
			memcpy(ad->hdr + ad->hdr_len, p + done, take);
			ad->hdr_len += take;
			done += take;
			if (ad->hdr_len < 8)
				break;
			ad->port = sc_get_u32(ad->hdr);
			ad->left = sc_get_u32(ad->hdr + 4);
			if ((ad->port != VDP_CLIENT_PORT &&
			     ad->port != VDP_SERVER_PORT) ||
			    ad->left > SC_AGENTDEV_CHUNK_MAX) {
				guest_bug(ad, ad->port, ad->left);
				break;
			}
			if (!ad->left)
				ad->hdr_len = 0;
			continue;
		}
		take = MIN((size_t)ad->left, n - done);
		if (ad->port == VDP_CLIENT_PORT && ad->owner) {
			size_t q = sc_main_agent_queued(ad->owner);

			if (!sc_main_agent_started(ad->owner) ||
			    q >= SC_AGENTDEV_QUEUE) {
				ad->read_blocked = true;
				break;
			}
			take = MIN(take, SC_AGENTDEV_QUEUE - q);
			if (!sc_main_agent_put(ad->owner, p + done, take)) {
				ad->read_blocked = true;
				break;
			}
		}
		/* else: no client, or a server message: not passed on.
		 * The guest's messages for clients are followed either way
		 * (its capability announce, agentinfo.c). */
		if (ad->port == VDP_CLIENT_PORT)
			sc_agentdev_guest_msgs(ad, p + done, take);
		ad->left -= (uint32_t)take;
		done += take;
		if (!ad->left)
			ad->hdr_len = 0;
	}
	if (ad->info_waiting)		/* an announce asked for it */
		sc_agentdev_flush(ad);
	if (ad->broken)
		return n;
	return done;
}
