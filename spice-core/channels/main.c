// SPDX-License-Identifier: MIT
/* Main channel: INIT, CHANNELS_LIST, mouse modes, name/uuid, the agent
 * token window and agent data (handed to agent.c). */
#include <string.h>
#include <spice/vd_agent.h>

#include "channels/agent.h"
#include "channels/channels.h"
#include "net/bounds.h"

#define SC_AGENT_WINDOW		10	/* agent tokens granted to a client */

struct sc_main {
	struct sc_agent agent;
	bool agent_started;
	uint32_t client_tokens;		/* agent messages we may send */
	uint32_t server_tokens;		/* agent messages the client may send */
};

static uint32_t mouse_mode(const struct sc_conn *c)
{
	return c->chs->model->mouse_client ? SPICE_MOUSE_MODE_CLIENT :
					     SPICE_MOUSE_MODE_SERVER;
}

static void send_mouse_mode(struct sc_conn *c)
{
	struct sc_buf *b = sc_msg_begin(&c->wire, SPICE_MSG_MAIN_MOUSE_MODE);

	sc_buf_u16(b, (uint16_t)sc_model_mouse_modes(c->chs->model));
	sc_buf_u16(b, (uint16_t)mouse_mode(c));
	sc_msg_end(&c->wire);
}

/* The agent's replies, while the client has tokens for them. */
static void agent_send(void *opaque, uint32_t type, const void *data,
		       uint32_t size)
{
	struct sc_conn *c = opaque;
	struct sc_main *m = c->priv;
	struct sc_buf *b;

	if (!sc_conn_running(c) || !m->agent_started || m->client_tokens == 0)
		return;		/* the client has no room: dropped */
	m->client_tokens--;
	b = sc_msg_begin(&c->wire, SPICE_MSG_MAIN_AGENT_DATA);
	sc_buf_u32(b, VD_AGENT_PROTOCOL);
	sc_buf_u32(b, type);
	sc_buf_u64(b, 0);		/* opaque */
	sc_buf_u32(b, size);
	sc_buf_put(b, data, size);
	sc_msg_end(&c->wire);
}

static void main_start(struct sc_conn *c)
{
	struct sc_model *model = c->chs->model;
	struct sc_main *m = g_new0(struct sc_main, 1);
	uint8_t ids[SC_MAX_DISPLAYS];
	struct sc_buf *b;

	c->priv = m;
	sc_agent_init(&m->agent, model, c->session_id, agent_send, c);
	m->server_tokens = SC_AGENT_WINDOW;
	b = sc_msg_begin(&c->wire, SPICE_MSG_MAIN_INIT);
	sc_buf_u32(b, c->session_id);
	sc_buf_u32(b, MAX(sc_model_display_ids(model, ids), 1u));
	sc_buf_u32(b, sc_model_mouse_modes(model));
	sc_buf_u32(b, mouse_mode(c));
	sc_buf_u32(b, 1);		/* agent_connected: we emulate one */
	sc_buf_u32(b, SC_AGENT_WINDOW);
	sc_buf_u32(b, (uint32_t)(g_get_monotonic_time() / 1000));
	sc_buf_u32(b, 0);		/* ram_hint */
	sc_msg_end(&c->wire);
	if (!sc_has_cap(c->link.mess.channel_caps,
			SPICE_MAIN_CAP_NAME_AND_UUID))
		return;
	if (model->name) {
		size_t n = strlen(model->name) + 1;

		b = sc_msg_begin(&c->wire, SPICE_MSG_MAIN_NAME);
		sc_buf_u32(b, (uint32_t)n);
		sc_buf_put(b, model->name, n);
		sc_msg_end(&c->wire);
	}
	if (model->uuid) {
		b = sc_msg_begin(&c->wire, SPICE_MSG_MAIN_UUID);
		sc_buf_put(b, model->uuid, 16);
		sc_msg_end(&c->wire);
	}
}

/* Every other registered channel with the ids it has now, in registry
 * order (display, inputs, cursor). */
static void send_channels_list(struct sc_conn *c)
{
	struct sc_channels *chs = c->chs;
	const struct sc_channel_ops *const *ops;
	uint8_t list[2 * 256];
	unsigned int n = 0, id;
	struct sc_buf *b;

	for (ops = chs->registry; *ops; ops++) {
		if ((*ops)->type == SPICE_CHANNEL_MAIN)
			continue;
		for (id = 0; id < 256; id++) {
			if (!(*ops)->exists(chs, (uint8_t)id))
				continue;
			list[n++] = (*ops)->type;
			list[n++] = (uint8_t)id;
		}
	}
	b = sc_msg_begin(&c->wire, SPICE_MSG_MAIN_CHANNELS_LIST);
	sc_buf_u32(b, n / 2);
	sc_buf_put(b, list, n);
	sc_msg_end(&c->wire);
}

static void mouse_mode_request(struct sc_conn *c, uint16_t mode)
{
	struct sc_model *model = c->chs->model;
	bool want = mode == SPICE_MOUSE_MODE_CLIENT &&
		    sc_model_mouse_abs_available(model);

	if (mode != SPICE_MOUSE_MODE_CLIENT && mode != SPICE_MOUSE_MODE_SERVER)
		return;		/* unknown mode: ignored */
	if (want != model->mouse_client) {
		model->mouse_client = want;
		if (model->ops->mouse_mode)
			model->ops->mouse_mode(model->opaque, want);
	}
	sc_channels_notify(c->chs, SC_EVENT_MOUSE_MODE);
}

static int agent_data(struct sc_conn *c, const struct sc_msg *msg)
{
	struct sc_main *m = c->priv;
	const char *why = NULL;

	if (m->server_tokens == 0) {
		sc_stream_close(c->st, "agent data beyond its token window");
		return 0;
	}
	if (msg->u.bytes.size > VD_AGENT_MAX_DATA_SIZE) {
		sc_stream_close(c->st, "agent data chunk over %u bytes",
				VD_AGENT_MAX_DATA_SIZE);
		return 0;
	}
	m->server_tokens--;
	if (sc_agent_input(&m->agent, msg->u.bytes.data, msg->u.bytes.size,
			   &why) < 0) {
		sc_stream_close(c->st, "agent data: %s", why);
		return 0;
	}
	/* Consumed at once: give the token back. */
	m->server_tokens++;
	sc_buf_u32(sc_msg_begin(&c->wire, SPICE_MSG_MAIN_AGENT_TOKEN), 1);
	sc_msg_end(&c->wire);
	return 0;
}

static int main_handle(struct sc_conn *c, const struct sc_msg *msg)
{
	struct sc_main *m = c->priv;

	switch (msg->kind) {
	case SC_MSG_MAIN_ATTACH_CHANNELS:
		send_channels_list(c);
		return 0;
	case SC_MSG_MAIN_MOUSE_MODE_REQUEST:
		mouse_mode_request(c, msg->u.mouse_mode);
		return 0;
	case SC_MSG_MAIN_AGENT_START:
		m->agent_started = true;
		m->client_tokens = msg->u.tokens;
		sc_agent_reset(&m->agent);
		return 0;
	case SC_MSG_MAIN_AGENT_TOKEN:
		m->client_tokens = sc_sat_add_u32(m->client_tokens,
						  msg->u.tokens);
		return 0;
	case SC_MSG_MAIN_AGENT_DATA:
		return agent_data(c, msg);
	default:
		return 0;
	}
}

static void main_notify(struct sc_conn *c, enum sc_event ev)
{
	if (ev == SC_EVENT_MOUSE_MODE)
		send_mouse_mode(c);
}

static void main_close(struct sc_conn *c)
{
	struct sc_main *m = c->priv;

	sc_agent_fini(&m->agent);
}

const struct sc_channel_ops sc_main_channel = {
	.name = "main",
	.type = SPICE_CHANNEL_MAIN,
	.caps = 1u << SPICE_MAIN_CAP_NAME_AND_UUID |
		1u << SPICE_MAIN_CAP_AGENT_CONNECTED_TOKENS,
	.parse = sc_parse_main,
	.exists = sc_exists_once,
	.start = main_start,
	.handle = main_handle,
	.notify = main_notify,
	.close = main_close,
};
