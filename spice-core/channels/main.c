// SPDX-License-Identifier: MIT
/* Main channel: INIT, CHANNELS_LIST, mouse modes, name/uuid, the agent
 * token window and agent data (handed to agent.c).  The agent's messages
 * to the client are queued as one stream and sent in AGENT_DATA chunks of
 * at most VD_AGENT_MAX_DATA_SIZE bytes, one client token each, while the
 * client has tokens and room (so a 16 MiB clipboard does not fill the
 * socket queue at once); at most SC_AGENT_OUT_MAX bytes wait. */
#include <string.h>
#include <spice/vd_agent.h>

#include "channels/agent.h"
#include "channels/agentdev.h"
#include "channels/channels.h"
#include "net/bounds.h"

#define SC_AGENT_WINDOW		10	/* agent tokens granted to a client */

/* Whose agent a client talks to. */
enum sc_agent_mode {
	SC_AGENT_EMULATED,		/* agent.c */
	SC_AGENT_GUEST,			/* the guest's, passed through */
	SC_AGENT_NONE,			/* the guest's, owned by another */
};

struct sc_main {
	struct sc_agent agent;
	enum sc_agent_mode mode;
	bool agent_started;
	bool await_start;		/* drop agent data until AGENT_START */
	bool closing;
	uint32_t client_tokens;		/* agent chunks we may send */
	uint32_t server_tokens;		/* agent chunks the client may send */
	struct sc_buf out;		/* agent stream not yet sent ... */
	size_t out_off;			/* ... from here */
	/* Semi-seamless migration (migrate.c).  At the source: */
	enum {
		SC_MIG_NONE,
		SC_MIG_BEGUN,		/* MIGRATE_BEGIN sent */
		SC_MIG_CONNECTED,	/* the client linked to the target */
	} mig;
	/* MIGRATE_BEGINs not answered yet: a new target's BEGIN follows a
	 * CANCEL, and only the answer to the last one counts. */
	uint32_t mig_unanswered;
	bool mig_offered;		/* the BEGIN sent was seamless */
	bool mig_seamless;		/* ... and the client answered so */
	/* At the target: the client came migrating and has not sent
	 * MIGRATE_END (or, seamless, this channel's migration data) yet:
	 * nothing is sent to it until then, but the handshake's answer. */
	bool mig_in;
	bool seamless_in;		/* we said DST_SEAMLESS_ACK */
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

static void send_empty(struct sc_conn *c, uint16_t type)
{
	sc_msg_begin(&c->wire, type);
	sc_msg_end(&c->wire);
}

/* Chunks of the agent stream, while the client has tokens and room. */
static void agent_pump(struct sc_conn *c)
{
	struct sc_main *m = c->priv;

	while (m->out_off < m->out.len && m->agent_started &&
	       m->client_tokens && sc_wire_can_send(&c->wire)) {
		size_t n = MIN(m->out.len - m->out_off,
			       (size_t)VD_AGENT_MAX_DATA_SIZE);
		struct sc_buf *b = sc_msg_begin(&c->wire,
						SPICE_MSG_MAIN_AGENT_DATA);

		sc_buf_put(b, m->out.data + m->out_off, n);
		sc_msg_end(&c->wire);
		m->out_off += n;
		m->client_tokens--;
	}
	if (m->mode == SC_AGENT_GUEST && c->chs->model->agentdev)
		sc_agentdev_client_room(c->chs->model->agentdev,
					m->out.len - m->out_off);
	if (m->out_off == m->out.len) {
		m->out.len = 0;
		m->out_off = 0;
		if (m->out.cap > 4 * SC_AGENT_MSG_MAX) {
			sc_buf_free(&m->out);	/* a large clipboard went */
			sc_buf_init(&m->out);
		}
	}
}

/* One agent message: queued whole, or dropped if the client has not
 * taken enough of the queue. */
static void agent_send(void *opaque, uint32_t type, const void *data,
		       uint32_t size)
{
	struct sc_conn *c = opaque;
	struct sc_main *m = c->priv;
	size_t whole;
	uint8_t *p;

	if (!sc_conn_running(c))
		return;
	if (!sc_size_add(m->out.len - m->out_off,
			 (size_t)SC_AGENT_HEADER_SIZE + size, SC_AGENT_OUT_MAX,
			 &whole)) {
		g_message("session %08x: agent message type %u of %u bytes "
			  "dropped: the client has not taken %zu bytes",
			  c->session_id, type, size, m->out.len - m->out_off);
		return;
	}
	if (m->out_off > m->out.len / 2) {
		sc_buf_consume(&m->out, m->out_off);
		m->out_off = 0;
	}
	p = sc_buf_append(&m->out, SC_AGENT_HEADER_SIZE);
	sc_put_u32(p, VD_AGENT_PROTOCOL);
	sc_put_u32(p + 4, type);
	memset(p + 8, 0, 8);		/* opaque */
	sc_put_u32(p + 16, size);
	if (size)
		sc_buf_put(&m->out, data, size);
	agent_pump(c);
}

struct sc_agent *sc_main_agent(struct sc_conn *c)
{
	if (!sc_conn_running(c) || c->ops != &sc_main_channel || !c->priv)
		return NULL;
	return &((struct sc_main *)c->priv)->agent;
}

size_t sc_main_agent_queued(struct sc_conn *c)
{
	struct sc_main *m;

	if (!sc_main_agent(c))
		return 0;
	m = c->priv;
	return m->out.len - m->out_off;
}

bool sc_main_agent_put(struct sc_conn *c, const uint8_t *p, size_t n)
{
	struct sc_main *m = c->priv;
	size_t whole;

	if (!sc_main_agent(c) || m->mode != SC_AGENT_GUEST ||
	    !sc_size_add(m->out.len - m->out_off, n, SC_AGENT_OUT_MAX, &whole))
		return false;
	if (m->out_off > m->out.len / 2) {
		sc_buf_consume(&m->out, m->out_off);
		m->out_off = 0;
	}
	sc_buf_put(&m->out, p, n);
	agent_pump(c);
	return true;
}

void sc_main_agent_token(struct sc_conn *c)
{
	struct sc_main *m = c->priv;

	if (!sc_main_agent(c))
		return;
	m->server_tokens++;
	sc_buf_u32(sc_msg_begin(&c->wire, SPICE_MSG_MAIN_AGENT_TOKEN), 1);
	sc_msg_end(&c->wire);
}

bool sc_main_agent_started(struct sc_conn *c)
{
	return sc_main_agent(c) && ((struct sc_main *)c->priv)->agent_started;
}

/* The mode this client should be in now; claims a free guest agent. */
static enum sc_agent_mode agent_mode(struct sc_conn *c)
{
	struct sc_agentdev *ad = c->chs->model->agentdev;

	if (!ad)
		return SC_AGENT_EMULATED;
	if (((struct sc_main *)c->priv)->closing || sc_stream_dead(c->st))
		return SC_AGENT_NONE;
	if (!ad->owner)
		ad->owner = c;
	return ad->owner == c ? SC_AGENT_GUEST : SC_AGENT_NONE;
}

static void agent_connected(struct sc_conn *c)
{
	struct sc_buf *b;

	if (sc_has_cap(c->link.mess.channel_caps,
		       SPICE_MAIN_CAP_AGENT_CONNECTED_TOKENS)) {
		b = sc_msg_begin(&c->wire,
				 SPICE_MSG_MAIN_AGENT_CONNECTED_TOKENS);
		sc_buf_u32(b, SC_AGENT_WINDOW);
	} else {
		sc_msg_begin(&c->wire, SPICE_MSG_MAIN_AGENT_CONNECTED);
	}
	sc_msg_end(&c->wire);
}

/* Switch this client to the agent it should see: the old one is
 * disconnected, the new one connected with a fresh stream (the client
 * sends AGENT_START again; agent data before that is dropped). */
static void agent_switch(struct sc_conn *c)
{
	struct sc_main *m = c->priv;
	enum sc_agent_mode want;

	if (m->mig_in || m->closing)
		return;		/* main_init claims it when the time comes */
	want = agent_mode(c);
	if (want == m->mode)
		return;
	if (m->mode != SC_AGENT_NONE) {
		sc_buf_u32(sc_msg_begin(&c->wire,
					SPICE_MSG_MAIN_AGENT_DISCONNECTED),
			   SPICE_LINK_ERR_OK);
		sc_msg_end(&c->wire);
	}
	m->mode = want;
	m->agent_started = false;
	m->await_start = true;
	m->client_tokens = 0;
	m->server_tokens = SC_AGENT_WINDOW;
	m->out.len = 0;
	m->out_off = 0;
	sc_agent_reset(&m->agent);
	if (want != SC_AGENT_NONE)
		agent_connected(c);
}

/* What a client gets first: INIT, then its name and uuid. */
static void main_init(struct sc_conn *c)
{
	struct sc_model *model = c->chs->model;
	struct sc_main *m = c->priv;
	uint8_t ids[SC_MAX_DISPLAYS];
	struct sc_buf *b;

	m->mode = agent_mode(c);
	b = sc_msg_begin(&c->wire, SPICE_MSG_MAIN_INIT);
	sc_buf_u32(b, c->session_id);
	sc_buf_u32(b, MAX(sc_model_display_ids(model, ids), 1u));
	sc_buf_u32(b, sc_model_mouse_modes(model));
	sc_buf_u32(b, mouse_mode(c));
	sc_buf_u32(b, m->mode != SC_AGENT_NONE);	/* agent_connected:
							 * the guest's or ours */
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

static void main_start(struct sc_conn *c)
{
	struct sc_main *m = g_new0(struct sc_main, 1);

	c->priv = m;
	sc_buf_init(&m->out);
	sc_agent_init(&m->agent, c->chs->model, c->session_id, agent_send, c);
	m->server_tokens = SC_AGENT_WINDOW;
	/* Linked with the connection id it had at the migration source
	 * (the session took it, server/session.c): a migrating client,
	 * which reads nothing here before it sent MIGRATE_END. */
	m->mig_in = c->link.mess.connection_id != 0 &&
		    c->link.mess.connection_id == c->session_id;
	if (m->mig_in) {
		m->mode = SC_AGENT_NONE;	/* no agent claimed yet */
		return;
	}
	main_init(c);
}

/* At the target: the migrating client switched to us. */
static void migrated_in(struct sc_conn *c)
{
	struct sc_main *m = c->priv;
	struct sc_channels *chs = c->chs;

	if (!m->mig_in) {
		g_debug("session %08x: MIGRATE_END from a client that did "
			"not come migrating: ignored", c->session_id);
		return;
	}
	m->mig_in = false;
	main_init(c);
	if (chs->host->migrated_in)
		chs->host->migrated_in(chs->host_opaque, c);
}

/* At the target, seamless: the client's migration data for the main
 * channel, the first thing it sends after switching to us.  It has its
 * INIT from the source (none is sent); its agent connection starts over
 * (the source may have sent half of a message; the client sends
 * AGENT_START again); the mouse mode is ours. */
static int main_mig_restore(struct sc_conn *c, const struct sc_mig_data *d)
{
	struct sc_main *m = c->priv;
	struct sc_channels *chs = c->chs;

	if (!m->mig_in || !m->seamless_in)
		return -1;
	m->mig_in = false;
	m->seamless_in = false;
	if (d->u.main.agent_connected) {
		sc_buf_u32(sc_msg_begin(&c->wire,
					SPICE_MSG_MAIN_AGENT_DISCONNECTED),
			   SPICE_LINK_ERR_OK);
		sc_msg_end(&c->wire);
	}
	m->mode = SC_AGENT_NONE;
	agent_switch(c);
	send_mouse_mode(c);
	if (chs->host->migrated_in)
		chs->host->migrated_in(chs->host_opaque, c);
	return 0;
}

/* At the target: the client asks to go on seamlessly (src_version: the
 * source's SC_MIG_VERSION). */
static void migrate_do_seamless(struct sc_conn *c, uint32_t src_version)
{
	struct sc_main *m = c->priv;
	struct sc_channels *chs = c->chs;
	bool ok = !m->seamless_in && src_version == SC_MIG_VERSION &&
		  chs->host->seamless_in &&
		  chs->host->seamless_in(chs->host_opaque, c);

	m->seamless_in = m->seamless_in || ok;
	send_empty(c, ok ? SPICE_MSG_MAIN_MIGRATE_DST_SEAMLESS_ACK :
			   SPICE_MSG_MAIN_MIGRATE_DST_SEAMLESS_NACK);
	g_message("session %08x: seamless migration %s (source version "
		  "%08x)", c->session_id, ok ? "accepted (DST_SEAMLESS_ACK)" :
		  "refused (DST_SEAMLESS_NACK)", src_version);
}

/* At the source: the client's answer to MIGRATE_BEGIN. */
static void migrate_connected(struct sc_conn *c, bool ok)
{
	struct sc_main *m = c->priv;

	if (m->mig_unanswered == 0) {
		g_debug("session %08x: migration reply without "
			"MIGRATE_BEGIN: ignored", c->session_id);
		return;
	}
	if (--m->mig_unanswered || m->mig != SC_MIG_BEGUN)
		return;		/* to an earlier BEGIN, or cancelled */
	m->mig = ok ? SC_MIG_CONNECTED : SC_MIG_NONE;
	g_message("session %08x: %s%s", c->session_id,
		  ok ? "the client connected to the migration target" :
		       "the client could not connect to the migration target "
		       "(switch-host then)",
		  ok && m->mig_seamless ? " (seamless)" : "");
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
	if (m->await_start || m->mode == SC_AGENT_NONE) {
		/* Meant for the agent before a switch: gone with it. */
		sc_main_agent_token(c);
		return 0;
	}
	if (m->mode == SC_AGENT_GUEST) {
		/* The token comes back when the guest took the chunk. */
		if (!c->chs->model->agentdev ||
		    !sc_agentdev_from_client(c->chs->model->agentdev,
					     msg->u.bytes.data,
					     msg->u.bytes.size))
			sc_stream_close(c->st, "agent data beyond the guest's "
					"window");
		return 0;
	}
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

	if (m->mig_in && msg->kind != SC_MSG_MAIN_MIGRATE_END &&
	    msg->kind != SC_MSG_MAIN_MIGRATE_DST_DO_SEAMLESS)
		return 0;	/* before its MIGRATE_END: not ours yet */
	switch (msg->kind) {
	case SC_MSG_MAIN_MIGRATE_CONNECTED:
	case SC_MSG_MAIN_MIGRATE_CONNECTED_SEAMLESS:
	case SC_MSG_MAIN_MIGRATE_CONNECT_ERROR:
		/* (CONNECTED_SEAMLESS to a plain BEGIN: plain) */
		m->mig_seamless = m->mig_offered && msg->kind ==
				  SC_MSG_MAIN_MIGRATE_CONNECTED_SEAMLESS;
		migrate_connected(c, msg->kind !=
				  SC_MSG_MAIN_MIGRATE_CONNECT_ERROR);
		return 0;
	case SC_MSG_MAIN_MIGRATE_DST_DO_SEAMLESS:
		if (!m->mig_in) {
			g_debug("session %08x: DST_DO_SEAMLESS from a client "
				"that did not come migrating: ignored",
				c->session_id);
			return 0;
		}
		migrate_do_seamless(c, msg->u.mig_version);
		return 0;
	case SC_MSG_MAIN_MIGRATE_END:
		if (m->seamless_in) {
			sc_stream_close(c->st, "MIGRATE_END after the seamless "
					"handshake");
			return 0;
		}
		migrated_in(c);
		return 0;
	case SC_MSG_MAIN_ATTACH_CHANNELS:
		send_channels_list(c);
		return 0;
	case SC_MSG_MAIN_MOUSE_MODE_REQUEST:
		mouse_mode_request(c, msg->u.mouse_mode);
		return 0;
	case SC_MSG_MAIN_AGENT_START:
		m->agent_started = true;
		m->await_start = false;
		m->client_tokens = msg->u.tokens;
		m->out.len = 0;		/* a new stream: nothing half sent */
		m->out_off = 0;
		sc_agent_reset(&m->agent);
		agent_pump(c);	/* a held guest agent may go on */
		return 0;
	case SC_MSG_MAIN_AGENT_TOKEN:
		m->client_tokens = sc_sat_add_u32(m->client_tokens,
						  msg->u.tokens);
		agent_pump(c);
		return 0;
	case SC_MSG_MAIN_AGENT_DATA:
		return agent_data(c, msg);
	default:
		return 0;
	}
}

/*
 * SWITCH_HOST: the client drops its channels and connects to the target
 * (the old, non-seamless SPICE client migration).  MIGRATE_BEGIN has the
 * same body (SpiceMigrationDstInfo): the client links to the target
 * beside its source connection.  The two strings are NUL-terminated
 * arrays the message points at by offset from its body.  false: no
 * target.
 */
static bool send_dst_info(struct sc_conn *c, uint16_t type)
{
	struct sc_model *m = c->chs->model;
	/* MIGRATE_BEGIN_SEAMLESS: src_mig_version after the fixed part */
	bool seamless = type == SPICE_MSG_MAIN_MIGRATE_BEGIN_SEAMLESS;
	uint32_t fixed = seamless ? 24 : 20;
	struct sc_buf *b;
	uint32_t host_len, subj_len;

	g_mutex_lock(&m->lock);
	if (!m->mig_host) {
		g_mutex_unlock(&m->lock);
		return false;
	}
	host_len = (uint32_t)strlen(m->mig_host) + 1;
	subj_len = m->mig_subject ? (uint32_t)strlen(m->mig_subject) + 1 : 0;
	b = sc_msg_begin(&c->wire, type);
	sc_buf_u16(b, m->mig_port);
	sc_buf_u16(b, m->mig_tls_port);
	sc_buf_u32(b, host_len);
	sc_buf_u32(b, fixed);			/* the host, after this part */
	sc_buf_u32(b, subj_len);
	sc_buf_u32(b, subj_len ? fixed + host_len : 0);
	if (seamless)
		sc_buf_u32(b, SC_MIG_VERSION);
	sc_buf_put(b, m->mig_host, host_len);
	if (subj_len)
		sc_buf_put(b, m->mig_subject, subj_len);
	g_mutex_unlock(&m->lock);
	sc_msg_end(&c->wire);
	return true;
}

static bool semi_seamless(const struct sc_conn *c)
{
	return sc_has_cap(c->link.mess.channel_caps,
			  SPICE_MAIN_CAP_SEMI_SEAMLESS_MIGRATE);
}

static bool seamless(const struct sc_conn *c)
{
	bool on;

	g_mutex_lock(&c->chs->model->lock);
	on = c->chs->model->mig_seamless;
	g_mutex_unlock(&c->chs->model->lock);
	return on && sc_has_cap(c->link.mess.channel_caps,
				SPICE_MAIN_CAP_SEAMLESS_MIGRATE);
}

/* Source side of a client migration, one event at a time. */
static void migrate_event(struct sc_conn *c, enum sc_event ev)
{
	struct sc_main *m = c->priv;
	bool seamless_begin;

	switch (ev) {
	case SC_EVENT_MIGRATE_BEGIN:
		if (!semi_seamless(c))
			return;		/* it gets switch-host at the end */
		if (m->mig != SC_MIG_NONE)	/* a new target: forget the
						 * old one first */
			send_empty(c, SPICE_MSG_MAIN_MIGRATE_CANCEL);
		m->mig = SC_MIG_NONE;
		m->mig_seamless = false;
		seamless_begin = seamless(c);
		m->mig_offered = seamless_begin;
		if (send_dst_info(c, seamless_begin ?
				  SPICE_MSG_MAIN_MIGRATE_BEGIN_SEAMLESS :
				  SPICE_MSG_MAIN_MIGRATE_BEGIN)) {
			m->mig = SC_MIG_BEGUN;
			m->mig_unanswered = sc_sat_add_u32(m->mig_unanswered,
							   1);
			g_message("session %08x: %s sent", c->session_id,
				  seamless_begin ? "MIGRATE_BEGIN_SEAMLESS" :
						   "MIGRATE_BEGIN");
		}
		return;
	case SC_EVENT_MIGRATE_SWITCH:
		if (m->mig == SC_MIG_CONNECTED && m->mig_seamless &&
		    c->chs->host->migrate_out) {
			/* Every channel of the session gets SPICE_MSG_MIGRATE
			 * and then its data (channel.c). */
			c->chs->host->migrate_out(c->chs->host_opaque, c);
		} else if (m->mig == SC_MIG_CONNECTED) {
			send_empty(c, SPICE_MSG_MAIN_MIGRATE_END);
			g_message("session %08x: MIGRATE_END sent (the client "
				  "goes on at the target)", c->session_id);
		} else if (send_dst_info(c,
					 SPICE_MSG_MAIN_MIGRATE_SWITCH_HOST)) {
			g_message("session %08x: switch-host sent",
				  c->session_id);
		}
		break;
	case SC_EVENT_MIGRATE_CANCEL:
		if (m->mig != SC_MIG_NONE) {
			send_empty(c, SPICE_MSG_MAIN_MIGRATE_CANCEL);
			g_message("session %08x: MIGRATE_CANCEL sent",
				  c->session_id);
		}
		break;
	default:
		return;
	}
	m->mig = SC_MIG_NONE;
}

static void main_notify(struct sc_conn *c, enum sc_event ev)
{
	struct sc_main *m = c->priv;

	if (m->mig_in)
		return;		/* the client reads nothing from us yet */
	if (ev == SC_EVENT_MOUSE_MODE)
		send_mouse_mode(c);
	if (ev == SC_EVENT_AGENT)
		agent_switch(c);
	migrate_event(c, ev);
}

/* At the source, seamless: what the target's main channel needs. */
static void main_mig_save(struct sc_conn *c, struct sc_mig_data *d)
{
	d->u.main.agent_connected =
		((struct sc_main *)c->priv)->mode != SC_AGENT_NONE;
}

static void main_close(struct sc_conn *c)
{
	struct sc_main *m = c->priv;
	struct sc_agentdev *ad = c->chs->model->agentdev;

	m->closing = true;
	if (ad && ad->owner == c) {
		GList *it;

		sc_agentdev_owner_gone(ad);
		/* The next client, if any, gets the agent. */
		for (it = c->chs->conns; it; it = it->next) {
			struct sc_conn *o = it->data;

			if (o == c || o->ops != &sc_main_channel ||
			    !sc_conn_running(o) || sc_stream_dead(o->st))
				continue;
			agent_switch(o);
			sc_stream_flush(o->st);
		}
	}
	sc_agent_fini(&m->agent);
	sc_buf_free(&m->out);
}

const struct sc_channel_ops sc_main_channel = {
	.name = "main",
	.type = SPICE_CHANNEL_MAIN,
	.caps = 1u << SPICE_MAIN_CAP_NAME_AND_UUID |
		1u << SPICE_MAIN_CAP_AGENT_CONNECTED_TOKENS |
		1u << SPICE_MAIN_CAP_SEMI_SEAMLESS_MIGRATE |
		1u << SPICE_MAIN_CAP_SEAMLESS_MIGRATE,
	.parse = sc_parse_main,
	.exists = sc_exists_once,
	.start = main_start,
	.handle = main_handle,
	.pump = agent_pump,
	.notify = main_notify,
	.close = main_close,
	.mig_save = main_mig_save,
	.mig_restore = main_mig_restore,
};
