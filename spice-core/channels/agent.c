// SPDX-License-Identifier: MIT
/*
 * Agent emulation, for resize without a guest agent.  The main channel
 * tells clients an agent is connected; this file answers the part of the
 * VD agent protocol spice-gtk needs: capabilities (MONITORS_CONFIG) and
 * monitors-config requests, which become ops.monitors_request calls.
 * Everything else (clipboard, file transfer) is read and dropped.
 *
 * The agent stream arrives in AGENT_DATA chunks of at most 2048 bytes;
 * a VDAgentMessage header and its body may span chunks.  Bodies larger
 * than SC_AGENT_MSG_MAX are skipped, not stored.
 */
#include <string.h>
#include <spice/vd_agent.h>

#include "internal.h"

void sc_agent_start(struct sc_session *s, uint32_t tokens)
{
	s->agent_started = true;
	s->client_tokens = tokens;
	s->agent_in.len = 0;
	s->agent_skip = 0;
}

static void send_caps(struct sc_session *s, bool request)
{
	uint32_t caps[2];

	caps[0] = request;
	caps[1] = 1u << VD_AGENT_CAP_MONITORS_CONFIG |
		  1u << VD_AGENT_CAP_REPLY |
		  1u << VD_AGENT_CAP_MONITORS_CONFIG_POSITION;
	sc_main_send_agent_data(s, VD_AGENT_ANNOUNCE_CAPABILITIES, caps,
				sizeof(caps));
}

static void route_heads(struct sc_session *s,
			const struct spice_core_head *heads, unsigned int n)
{
	SpiceCore *core = s->core;
	const struct spice_core_ops *ops = core->cfg.ops;
	unsigned int ids[SC_MAX_DISPLAYS], nd = 0, i;

	if (!ops || !ops->monitors_request)
		return;
	g_mutex_lock(&core->lock);
	for (i = 0; i < SC_MAX_DISPLAYS; i++)
		if (core->displays[i])
			ids[nd++] = i;
	g_mutex_unlock(&core->lock);
	if (nd == 0)
		return;
	if (nd == 1) {
		/* One display channel: every head is on it (multi-head QXL). */
		struct spice_core_head rel[SC_MAX_HEADS];
		int32_t minx = heads[0].x, miny = heads[0].y;

		for (i = 1; i < n; i++) {
			minx = MIN(minx, heads[i].x);
			miny = MIN(miny, heads[i].y);
		}
		for (i = 0; i < n; i++) {
			rel[i] = heads[i];
			rel[i].x -= minx;
			rel[i].y -= miny;
		}
		ops->monitors_request(core->cfg.opaque, ids[0], rel, n);
		return;
	}
	/* One head per display channel, in channel order. */
	for (i = 0; i < n && i < nd; i++) {
		struct spice_core_head h = heads[i];

		h.x = 0;
		h.y = 0;
		ops->monitors_request(core->cfg.opaque, ids[i], &h, 1);
	}
}

static int handle_message(struct sc_session *s,
			  const struct sc_agent_header *h,
			  const uint8_t *body, const char **why)
{
	struct spice_core_head heads[SC_MAX_HEADS];
	uint32_t request, caps0, reply[2];
	unsigned int n;

	switch (h->type) {
	case VD_AGENT_ANNOUNCE_CAPABILITIES:
		if (sc_parse_agent_caps(body, h->size, &request, &caps0, why))
			return -1;
		if (request)
			send_caps(s, false);
		return 0;
	case VD_AGENT_MONITORS_CONFIG:
		if (sc_parse_agent_monitors(body, h->size, heads, &n, why)) {
			g_message("session %08x: monitors config ignored: %s",
				  s->id, *why);
			return 0;
		}
		route_heads(s, heads, n);
		reply[0] = VD_AGENT_MONITORS_CONFIG;
		reply[1] = VD_AGENT_SUCCESS;
		sc_main_send_agent_data(s, VD_AGENT_REPLY, reply,
					sizeof(reply));
		return 0;
	default:
		return 0;	/* clipboard and the rest: not emulated */
	}
}

/* agent_in holds: header (20 bytes) + body so far; a body too large to
 * keep is skipped (agent_skip counts the bytes left to drop). */
int sc_agent_data(struct sc_session *s, const uint8_t *p, size_t n,
		  const char **why)
{
	struct sc_buf *in = &s->agent_in;

	while (n) {
		struct sc_agent_header h;
		size_t take;

		if (s->agent_skip) {
			take = MIN(n, (size_t)s->agent_skip);
			s->agent_skip -= (uint32_t)take;
			p += take;
			n -= take;
			continue;
		}
		if (in->len < SC_AGENT_HEADER_SIZE) {
			take = MIN(n, SC_AGENT_HEADER_SIZE - in->len);
			sc_buf_put(in, p, take);
			p += take;
			n -= take;
			continue;
		}
		if (sc_parse_agent_header(in->data, &h, why))
			return -1;
		if (h.size > SC_AGENT_MSG_MAX) {
			/* Skip the body without storing it. */
			s->agent_skip = h.size;
			in->len = 0;
			continue;
		}
		take = MIN(n, SC_AGENT_HEADER_SIZE + h.size - in->len);
		sc_buf_put(in, p, take);
		p += take;
		n -= take;
		if (in->len == SC_AGENT_HEADER_SIZE + h.size) {
			int rc = handle_message(s, &h,
						in->data + SC_AGENT_HEADER_SIZE,
						why);

			in->len = 0;
			if (rc)
				return -1;
		}
	}
	/* A zero-sized message completes with its header. */
	if (in->len == SC_AGENT_HEADER_SIZE) {
		struct sc_agent_header h;

		if (sc_parse_agent_header(in->data, &h, why))
			return -1;
		if (h.size == 0) {
			in->len = 0;
			return handle_message(s, &h, NULL, why);
		}
	}
	return 0;
}
