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

#include "channels/agent.h"
#include "net/bounds.h"

#define SC_AGENT_MSG_MAX	65536	/* largest agent message we keep */

void sc_agent_init(struct sc_agent *a, struct sc_model *m, uint32_t id,
		   void (*send)(void *opaque, uint32_t type, const void *data,
				uint32_t size),
		   void *opaque)
{
	a->model = m;
	a->id = id;
	a->send = send;
	a->opaque = opaque;
	sc_buf_init(&a->in);
	a->skip = 0;
}

void sc_agent_reset(struct sc_agent *a)
{
	a->in.len = 0;
	a->skip = 0;
}

void sc_agent_fini(struct sc_agent *a)
{
	sc_buf_free(&a->in);
}

static void send_caps(struct sc_agent *a, bool request)
{
	uint32_t caps[2];

	caps[0] = request;
	caps[1] = 1u << VD_AGENT_CAP_MONITORS_CONFIG |
		  1u << VD_AGENT_CAP_REPLY |
		  1u << VD_AGENT_CAP_MONITORS_CONFIG_POSITION;
	a->send(a->opaque, VD_AGENT_ANNOUNCE_CAPABILITIES, caps, sizeof(caps));
}

static void route_heads(struct sc_agent *a,
			const struct spice_core_head *heads, unsigned int n)
{
	const struct spice_core_ops *ops = a->model->ops;
	uint8_t ids[SC_MAX_DISPLAYS];
	unsigned int nd, i;

	if (!ops->monitors_request)
		return;
	nd = sc_model_display_ids(a->model, ids);
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
		/* Positions were clamped to +-SC_COORD_LIMIT when parsed:
		 * relative ones lie in [0, 2 * SC_COORD_LIMIT]. */
		for (i = 0; i < n; i++) {
			rel[i] = heads[i];
			rel[i].x = sc_coord_sub(heads[i].x, minx);
			rel[i].y = sc_coord_sub(heads[i].y, miny);
		}
		ops->monitors_request(a->model->opaque, ids[0], rel, n);
		return;
	}
	/* One head per display channel, in channel order. */
	for (i = 0; i < n && i < nd; i++) {
		struct spice_core_head h = heads[i];

		h.x = 0;
		h.y = 0;
		ops->monitors_request(a->model->opaque, ids[i], &h, 1);
	}
}

static int handle_message(struct sc_agent *a,
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
			send_caps(a, false);
		return 0;
	case VD_AGENT_MONITORS_CONFIG:
		if (sc_parse_agent_monitors(body, h->size, heads, &n, why)) {
			g_message("session %08x: monitors config ignored: %s",
				  a->id, *why);
			return 0;
		}
		route_heads(a, heads, n);
		reply[0] = VD_AGENT_MONITORS_CONFIG;
		reply[1] = VD_AGENT_SUCCESS;
		a->send(a->opaque, VD_AGENT_REPLY, reply, sizeof(reply));
		return 0;
	default:
		return 0;	/* clipboard and the rest: not emulated */
	}
}

/* a->in holds: header (20 bytes) + body so far; a body too large to keep
 * is skipped (a->skip counts the bytes left to drop). */
int sc_agent_input(struct sc_agent *a, const uint8_t *p, size_t n,
		   const char **why)
{
	struct sc_buf *in = &a->in;

	while (n) {
		struct sc_agent_header h;
		size_t take, whole;

		if (a->skip) {
			take = MIN(n, (size_t)a->skip);
			a->skip -= (uint32_t)take;
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
		if (!sc_size_add(SC_AGENT_HEADER_SIZE, h.size,
				 SC_AGENT_HEADER_SIZE + SC_AGENT_MSG_MAX,
				 &whole)) {
			/* Skip the body without storing it. */
			g_message("session %08x: agent message type %u of %u "
				  "bytes skipped (over %u)", a->id, h.type,
				  h.size, SC_AGENT_MSG_MAX);
			a->skip = h.size;
			in->len = 0;
			continue;
		}
		take = MIN(n, whole - in->len);
		sc_buf_put(in, p, take);
		p += take;
		n -= take;
		if (in->len == whole) {
			int rc = handle_message(a, &h,
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
			return handle_message(a, &h, NULL, why);
		}
	}
	return 0;
}
