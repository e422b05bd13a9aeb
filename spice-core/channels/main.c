// SPDX-License-Identifier: MIT
/* Main channel: INIT, CHANNELS_LIST, mouse modes, name/uuid, the agent
 * token window and agent data (handed to agent.c). */
#include <string.h>

#include <spice/vd_agent.h>

#include "internal.h"

static uint32_t mouse_modes(SpiceCore *core)
{
	bool abs;

	g_mutex_lock(&core->lock);
	abs = core->mouse_abs_available;
	g_mutex_unlock(&core->lock);
	return SPICE_MOUSE_MODE_SERVER | (abs ? SPICE_MOUSE_MODE_CLIENT : 0);
}

void sc_main_send_mouse_mode(struct sc_conn *c)
{
	struct sc_buf *b = sc_msg_begin(c, SPICE_MSG_MAIN_MOUSE_MODE);

	sc_buf_u16(b, (uint16_t)mouse_modes(c->core));
	sc_buf_u16(b, c->core->mouse_client ? SPICE_MOUSE_MODE_CLIENT :
		   SPICE_MOUSE_MODE_SERVER);
	sc_msg_end(c);
}

static unsigned int n_displays(SpiceCore *core)
{
	unsigned int i, n = 0;

	g_mutex_lock(&core->lock);
	for (i = 0; i < SC_MAX_DISPLAYS; i++)
		n += core->displays[i] != NULL;
	g_mutex_unlock(&core->lock);
	return n;
}

void sc_main_start(struct sc_conn *c)
{
	SpiceCore *core = c->core;
	struct sc_session *s = sc_session_new(core, c);
	struct sc_buf *b;

	s->server_tokens = SC_AGENT_WINDOW;
	b = sc_msg_begin(c, SPICE_MSG_MAIN_INIT);
	sc_buf_u32(b, s->id);
	sc_buf_u32(b, MAX(n_displays(core), 1u));
	sc_buf_u32(b, mouse_modes(core));
	sc_buf_u32(b, core->mouse_client ? SPICE_MOUSE_MODE_CLIENT :
		   SPICE_MOUSE_MODE_SERVER);
	sc_buf_u32(b, 1);		/* agent_connected: we emulate one */
	sc_buf_u32(b, SC_AGENT_WINDOW);
	sc_buf_u32(b, (uint32_t)(g_get_monotonic_time() / 1000));
	sc_buf_u32(b, 0);		/* ram_hint */
	sc_msg_end(c);
	if (sc_has_cap(c->link.channel_caps, SPICE_MAIN_CAP_NAME_AND_UUID)) {
		if (core->name) {
			size_t n = strlen(core->name) + 1;

			b = sc_msg_begin(c, SPICE_MSG_MAIN_NAME);
			sc_buf_u32(b, (uint32_t)n);
			sc_buf_put(b, core->name, n);
			sc_msg_end(c);
		}
		if (core->has_uuid) {
			b = sc_msg_begin(c, SPICE_MSG_MAIN_UUID);
			sc_buf_put(b, core->uuid, 16);
			sc_msg_end(c);
		}
	}
}

static void send_channels_list(struct sc_conn *c)
{
	SpiceCore *core = c->core;
	uint8_t ids[SC_MAX_DISPLAYS];
	unsigned int i, n = 0;
	struct sc_buf *b;

	g_mutex_lock(&core->lock);
	for (i = 0; i < SC_MAX_DISPLAYS; i++)
		if (core->displays[i])
			ids[n++] = (uint8_t)i;
	g_mutex_unlock(&core->lock);
	b = sc_msg_begin(c, SPICE_MSG_MAIN_CHANNELS_LIST);
	sc_buf_u32(b, 2 * n + 1);
	for (i = 0; i < n; i++) {
		sc_buf_u8(b, SPICE_CHANNEL_DISPLAY);
		sc_buf_u8(b, ids[i]);
	}
	sc_buf_u8(b, SPICE_CHANNEL_INPUTS);
	sc_buf_u8(b, 0);
	for (i = 0; i < n; i++) {
		sc_buf_u8(b, SPICE_CHANNEL_CURSOR);
		sc_buf_u8(b, ids[i]);
	}
	sc_msg_end(c);
}

static void mouse_mode_request(struct sc_conn *c, uint16_t mode)
{
	SpiceCore *core = c->core;
	bool want = mode == SPICE_MOUSE_MODE_CLIENT;
	GList *it;

	if (want && !(mouse_modes(core) & SPICE_MOUSE_MODE_CLIENT))
		want = false;
	if (mode != SPICE_MOUSE_MODE_CLIENT && mode != SPICE_MOUSE_MODE_SERVER)
		return;		/* unknown mode: ignored */
	if (want != core->mouse_client) {
		core->mouse_client = want;
		if (core->cfg.ops && core->cfg.ops->mouse_mode)
			core->cfg.ops->mouse_mode(core->cfg.opaque, want);
	}
	for (it = core->sessions; it; it = it->next) {
		struct sc_session *s = it->data;

		if (s->main && s->main->state == SC_ST_DATA) {
			sc_main_send_mouse_mode(s->main);
			if (s->main != c)
				sc_conn_flush(s->main);
		}
	}
}

void sc_main_send_agent_data(struct sc_session *s, uint32_t type,
			     const void *data, uint32_t size)
{
	struct sc_conn *c = s->main;
	struct sc_buf *b;

	if (!c || c->state != SC_ST_DATA || !s->agent_started ||
	    s->client_tokens == 0)
		return;		/* the client has no room: dropped */
	s->client_tokens--;
	b = sc_msg_begin(c, SPICE_MSG_MAIN_AGENT_DATA);
	sc_buf_u32(b, VD_AGENT_PROTOCOL);
	sc_buf_u32(b, type);
	sc_buf_u64(b, 0);		/* opaque */
	sc_buf_u32(b, size);
	sc_buf_put(b, data, size);
	sc_msg_end(c);
}

int sc_main_handle(struct sc_conn *c, const struct sc_msg *m)
{
	struct sc_session *s = c->session;
	const char *why = NULL;

	switch (m->kind) {
	case SC_MSG_MAIN_ATTACH_CHANNELS:
		send_channels_list(c);
		return 0;
	case SC_MSG_MAIN_MOUSE_MODE_REQUEST:
		mouse_mode_request(c, m->u.mouse_mode);
		return 0;
	case SC_MSG_MAIN_AGENT_START:
		sc_agent_start(s, m->u.tokens);
		return 0;
	case SC_MSG_MAIN_AGENT_TOKEN:
		s->client_tokens = (uint32_t)MIN((uint64_t)s->client_tokens +
						 m->u.tokens, UINT32_MAX);
		return 0;
	case SC_MSG_MAIN_AGENT_DATA:
		if (s->server_tokens == 0) {
			sc_conn_close(c, "agent data beyond its token window");
			return 0;
		}
		if (m->u.bytes.size > VD_AGENT_MAX_DATA_SIZE) {
			sc_conn_close(c, "agent data chunk over %u bytes",
				      VD_AGENT_MAX_DATA_SIZE);
			return 0;
		}
		s->server_tokens--;
		if (sc_agent_data(s, m->u.bytes.data, m->u.bytes.size,
				  &why) < 0) {
			sc_conn_close(c, "agent data: %s", why);
			return 0;
		}
		/* Consumed at once: give the token back. */
		s->server_tokens++;
		sc_buf_u32(sc_msg_begin(c, SPICE_MSG_MAIN_AGENT_TOKEN), 1);
		sc_msg_end(c);
		return 0;
	default:
		return 0;
	}
}
