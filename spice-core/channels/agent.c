// SPDX-License-Identifier: MIT
/*
 * Agent emulation, for resize and the clipboard without a guest agent.
 * The main channel tells clients an agent is connected; this file answers
 * the part of the VD agent protocol spice-gtk needs: capabilities and
 * monitors-config requests, which become ops.monitors_request calls.
 *
 * Clipboard (when the host set the four ops.clipboard_* callbacks): we
 * announce CLIPBOARD_BY_DEMAND and CLIPBOARD_SELECTION and pass GRAB,
 * REQUEST, CLIPBOARD and RELEASE between the client and the host, with a
 * selection word in front of each body when both sides announced
 * CLIPBOARD_SELECTION.  Without the callbacks, clipboard messages (and
 * file transfer, and the rest) are read and dropped.
 *
 * The agent stream arrives in AGENT_DATA chunks of at most 2048 bytes;
 * a VDAgentMessage header and its body may span chunks.  Bodies larger
 * than SC_AGENT_MSG_MAX (SC_AGENT_CLIPBOARD_MSG_MAX for clipboard data)
 * are skipped, not stored.  A clipboard message that breaks the protocol
 * (short, a selection that does not exist) drops the client.
 */
#include <string.h>
#include <spice/vd_agent.h>

#include "channels/agent.h"
#include "net/bounds.h"


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
	a->caps_received = false;
	a->client_caps0 = 0;
}

void sc_agent_reset(struct sc_agent *a)
{
	a->in.len = 0;
	a->skip = 0;
	a->caps_received = false;
	a->client_caps0 = 0;
}

void sc_agent_fini(struct sc_agent *a)
{
	sc_buf_free(&a->in);
}

static bool host_clipboard(const struct sc_agent *a)
{
	const struct spice_core_ops *ops = a->model->ops;

	return ops->clipboard_grab && ops->clipboard_request &&
	       ops->clipboard_data && ops->clipboard_release;
}

static uint32_t our_caps0(const struct sc_agent *a)
{
	uint32_t caps = 1u << VD_AGENT_CAP_MONITORS_CONFIG |
			1u << VD_AGENT_CAP_REPLY |
			1u << VD_AGENT_CAP_MONITORS_CONFIG_POSITION;

	if (host_clipboard(a))
		caps |= 1u << VD_AGENT_CAP_CLIPBOARD_BY_DEMAND |
			1u << VD_AGENT_CAP_CLIPBOARD_SELECTION;
	return caps;
}

static void send_caps(struct sc_agent *a, bool request)
{
	uint32_t caps[2];

	caps[0] = request;
	caps[1] = our_caps0(a);
	a->send(a->opaque, VD_AGENT_ANNOUNCE_CAPABILITIES, caps, sizeof(caps));
}

/* Clipboard ------------------------------------------------------------------ */

bool sc_agent_clipboard_on(const struct sc_agent *a)
{
	return host_clipboard(a) && a->caps_received;
}

/* The selection word travels when both sides announced the cap. */
static bool with_selection(const struct sc_agent *a)
{
	uint32_t cap = 1u << VD_AGENT_CAP_CLIPBOARD_SELECTION;

	return (our_caps0(a) & cap) && (a->client_caps0 & cap);
}

int sc_parse_agent_clipboard(uint32_t msg_type, const uint8_t *p,
			     size_t size, bool sel,
			     struct sc_agent_clipboard *out, const char **why)
{
	struct sc_rd r = sc_rd_init(p, size);

	memset(out, 0, sizeof(*out));
	if (sel) {
		out->selection = sc_rd_u8(&r);
		sc_rd_bytes(&r, 3);
		if (!r.ok) {
			*why = "clipboard message without its selection";
			return -1;
		}
		if (out->selection > VD_AGENT_CLIPBOARD_SELECTION_SECONDARY) {
			*why = "clipboard message for an unknown selection";
			return -1;
		}
	}
	switch (msg_type) {
	case VD_AGENT_CLIPBOARD_GRAB:
		if (r.left % 4) {
			*why = "clipboard grab not a whole number of types";
			return -1;
		}
		while (r.left && out->n_types < SC_CLIPBOARD_TYPES_MAX)
			out->types[out->n_types++] = sc_rd_u32(&r);
		return 0;
	case VD_AGENT_CLIPBOARD_REQUEST:
	case VD_AGENT_CLIPBOARD:
		out->type = sc_rd_u32(&r);
		if (!r.ok) {
			*why = "clipboard message without its type";
			return -1;
		}
		out->data = r.left ? r.p : NULL;
		out->size = r.left;
		return 0;
	case VD_AGENT_CLIPBOARD_RELEASE:
		return 0;
	default:
		*why = "not a clipboard message";
		return -1;
	}
}

static int clipboard_input(struct sc_agent *a, uint32_t type,
			   const uint8_t *body, uint32_t size,
			   const char **why)
{
	const struct spice_core_ops *ops = a->model->ops;
	void *op = a->model->opaque;
	struct sc_agent_clipboard cb;

	if (!host_clipboard(a))
		return 0;	/* not announced: dropped */
	if (sc_parse_agent_clipboard(type, body, size, with_selection(a), &cb,
				     why))
		return -1;
	if (type == VD_AGENT_CLIPBOARD && cb.size > SPICE_CORE_CLIPBOARD_MAX) {
		g_message("session %08x: clipboard data of %zu bytes dropped "
			  "(over %u)", a->id, cb.size,
			  SPICE_CORE_CLIPBOARD_MAX);
		return 0;
	}
	switch (type) {
	case VD_AGENT_CLIPBOARD_GRAB:
		/* The client's now: later clients are not told ours. */
		if (cb.selection < SC_CLIP_SELECTIONS)
			a->model->clip[cb.selection].owned = false;
		ops->clipboard_grab(op, a->id, cb.selection, cb.types,
				    cb.n_types);
		break;
	case VD_AGENT_CLIPBOARD_REQUEST:
		ops->clipboard_request(op, a->id, cb.selection, cb.type);
		break;
	case VD_AGENT_CLIPBOARD:
		ops->clipboard_data(op, a->id, cb.selection, cb.type, cb.data,
				    cb.size);
		break;
	case VD_AGENT_CLIPBOARD_RELEASE:
		ops->clipboard_release(op, a->id, cb.selection);
		break;
	}
	return 0;
}

/* Whether a message of ours for `selection` can reach this client. */
static bool clipboard_out_ok(const struct sc_agent *a, unsigned int selection)
{
	if (!sc_agent_clipboard_on(a) ||
	    selection > VD_AGENT_CLIPBOARD_SELECTION_SECONDARY)
		return false;
	return with_selection(a) ||
	       selection == VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD;
}

/* Send type with [selection word] + head (hn bytes) + tail (tn bytes). */
static void clipboard_send(struct sc_agent *a, uint32_t type,
			   unsigned int selection, const void *head, size_t hn,
			   const void *tail, size_t tn)
{
	struct sc_buf b;

	sc_buf_init(&b);
	if (with_selection(a)) {
		sc_buf_u8(&b, (uint8_t)selection);
		sc_buf_put(&b, "\0\0\0", 3);
	}
	sc_buf_put(&b, head, hn);
	sc_buf_put(&b, tail, tn);
	a->send(a->opaque, type, b.data, (uint32_t)b.len);
	sc_buf_free(&b);
}

void sc_agent_clipboard_grab(struct sc_agent *a, unsigned int selection,
			     const uint32_t *types, unsigned int n)
{
	uint8_t le[4 * SC_CLIPBOARD_TYPES_MAX];
	unsigned int i;

	if (!clipboard_out_ok(a, selection))
		return;
	n = MIN(n, SC_CLIPBOARD_TYPES_MAX);
	for (i = 0; i < n; i++)
		sc_put_u32(le + 4 * i, types[i]);
	clipboard_send(a, VD_AGENT_CLIPBOARD_GRAB, selection, le, 4 * n,
		       NULL, 0);
}

void sc_agent_clipboard_release(struct sc_agent *a, unsigned int selection)
{
	if (clipboard_out_ok(a, selection))
		clipboard_send(a, VD_AGENT_CLIPBOARD_RELEASE, selection, NULL,
			       0, NULL, 0);
}

void sc_agent_clipboard_request(struct sc_agent *a, unsigned int selection,
				uint32_t type)
{
	uint8_t le[4];

	if (!clipboard_out_ok(a, selection))
		return;
	sc_put_u32(le, type);
	clipboard_send(a, VD_AGENT_CLIPBOARD_REQUEST, selection, le, 4, NULL,
		       0);
}

void sc_agent_clipboard_data(struct sc_agent *a, unsigned int selection,
			     uint32_t type, const void *data, size_t size)
{
	uint8_t le[4];

	if (!clipboard_out_ok(a, selection) || size > SPICE_CORE_CLIPBOARD_MAX)
		return;
	sc_put_u32(le, type);
	clipboard_send(a, VD_AGENT_CLIPBOARD, selection, le, 4, data, size);
}

/* Monitors ------------------------------------------------------------------- */

bool sc_model_route_heads(struct sc_model *model,
			  const struct spice_core_head *heads, unsigned int n)
{
	const struct spice_core_ops *ops = model->ops;
	uint8_t ids[SC_MAX_DISPLAYS];
	unsigned int nd, i;
	bool taken = false;

	if (!ops->monitors_request || n == 0)
		return false;
	nd = sc_model_display_ids(model, ids);
	if (nd == 0)
		return false;
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
		return ops->monitors_request(model->opaque, ids[0], rel, n);
	}
	/* One head per display channel, in channel order. */
	for (i = 0; i < n && i < nd; i++) {
		struct spice_core_head h = heads[i];

		h.x = 0;
		h.y = 0;
		if (ops->monitors_request(model->opaque, ids[i], &h, 1))
			taken = true;
	}
	return taken;
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
		a->caps_received = true;
		a->client_caps0 = caps0;
		if (request)
			send_caps(a, false);
		/* The host's grabs from before this client came. */
		for (n = 0; n < SC_CLIP_SELECTIONS; n++)
			if (a->model->clip[n].owned)
				sc_agent_clipboard_grab(a, n,
							a->model->clip[n].types,
							a->model->clip[n].n);
		return 0;
	case VD_AGENT_MONITORS_CONFIG:
		if (sc_parse_agent_monitors(body, h->size, heads, &n, why)) {
			g_message("session %08x: monitors config ignored: %s",
				  a->id, *why);
			return 0;
		}
		sc_model_route_heads(a->model, heads, n);
		reply[0] = VD_AGENT_MONITORS_CONFIG;
		reply[1] = VD_AGENT_SUCCESS;
		a->send(a->opaque, VD_AGENT_REPLY, reply, sizeof(reply));
		return 0;
	case VD_AGENT_CLIPBOARD_GRAB:
	case VD_AGENT_CLIPBOARD_REQUEST:
	case VD_AGENT_CLIPBOARD:
	case VD_AGENT_CLIPBOARD_RELEASE:
		return clipboard_input(a, h->type, body, h->size, why);
	default:
		return 0;	/* file transfer and the rest: not emulated */
	}
}

static size_t body_max(const struct sc_agent *a,
		       const struct sc_agent_header *h)
{
	if (h->type == VD_AGENT_CLIPBOARD && host_clipboard(a))
		return SC_AGENT_CLIPBOARD_MSG_MAX;
	return SC_AGENT_MSG_MAX;
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
				 SC_AGENT_HEADER_SIZE + body_max(a, &h),
				 &whole)) {
			/* Skip the body without storing it. */
			g_message("session %08x: agent message type %u of %u "
				  "bytes skipped (over %zu)", a->id, h.type,
				  h.size, body_max(a, &h));
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
			if (in->cap > 2 * SC_AGENT_MSG_MAX) {
				/* A large clipboard went: so does its room. */
				sc_buf_free(in);
				sc_buf_init(in);
			}
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
