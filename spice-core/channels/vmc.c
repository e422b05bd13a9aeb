// SPDX-License-Identifier: MIT
/* The pass-through channels: usbredir, port, webdav, and the device side
 * of smartcard (vmc.h, smartcard.h). */
#include <string.h>
#include <spice/protocol.h>

#include "spice-core/spice-core.h"
#include "channels/channels.h"
#include "channels/smartcard.h"
#include "channels/vmc.h"

/* c->priv: which channel the connection has (NULL once it went). */
struct sc_vmc_conn {
	struct SpiceCoreVmc *vmc;
};

struct SpiceCoreVmc *sc_vmc_find(struct sc_channels *chs, uint8_t type,
				  uint8_t id)
{
	struct sc_vmcs *vs = chs->model->vmcs;
	unsigned int i;

	for (i = 0; vs && i < vs->n; i++)
		if (vs->list[i]->type == type && vs->list[i]->id == id)
			return vs->list[i];
	return NULL;
}

static bool is_port(const struct SpiceCoreVmc *v)
{
	return v->type == SPICE_CHANNEL_PORT || v->type == SPICE_CHANNEL_WEBDAV;
}

uint8_t sc_vmc_type_for_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n > SC_VMC_NAME_MAX)
		return 0;
	if (!strcmp(name, "usbredir"))
		return SPICE_CHANNEL_USBREDIR;
	if (!strcmp(name, "smartcard"))
		return SPICE_CHANNEL_SMARTCARD;
	if (!strcmp(name, "org.spice-space.webdav.0"))
		return SPICE_CHANNEL_WEBDAV;
	if (strchr(name, '.'))
		return SPICE_CHANNEL_PORT;
	return 0;
}

/* Adding and removing --------------------------------------------------------- */

struct SpiceCoreVmc *sc_vmc_add(struct sc_channels *chs, const char *name,
				const struct spice_core_vmc_ops *ops,
				void *opaque, const char **why)
{
	struct sc_model *m = chs->model;
	uint8_t type = sc_vmc_type_for_name(name);
	struct SpiceCoreVmc *v;
	unsigned int id;

	if (!ops || !ops->write) {
		*why = "no write callback";
		return NULL;
	}
	if (!type) {
		*why = "not a channel name (usbredir, smartcard, or a port "
		       "name with a dot)";
		return NULL;
	}
	if (type == SPICE_CHANNEL_SMARTCARD &&
	    sc_vmc_find(chs, type, 0)) {
		*why = "one smartcard device per server (one reader)";
		return NULL;
	}
	if (!m->vmcs)
		m->vmcs = g_new0(struct sc_vmcs, 1);
	for (id = 0; id < SC_VMC_PER_TYPE; id++)
		if (!sc_vmc_find(chs, type, (uint8_t)id))
			break;
	if (id == SC_VMC_PER_TYPE ||
	    m->vmcs->n == G_N_ELEMENTS(m->vmcs->list)) {
		*why = "too many channels of that type";
		return NULL;
	}
	v = g_new0(struct SpiceCoreVmc, 1);
	v->chs = chs;
	v->ops = ops;
	v->opaque = opaque;
	v->type = type;
	v->id = (uint8_t)id;
	v->name = g_strdup(name);
	sc_buf_init(&v->in);
	if (type == SPICE_CHANNEL_SMARTCARD)
		sc_smartcard_init(v);
	m->vmcs->list[m->vmcs->n++] = v;
	return v;
}

static void vmc_free(struct SpiceCoreVmc *v)
{
	sc_smartcard_free(v);
	sc_buf_free(&v->in);
	g_free(v->name);
	g_free(v);
}

void sc_vmc_remove(struct SpiceCoreVmc *v)
{
	struct sc_vmcs *vs = v->chs->model->vmcs;
	unsigned int i;

	if (v->owner) {
		((struct sc_vmc_conn *)v->owner->priv)->vmc = NULL;
		sc_stream_close(v->owner->st, "%s channel %u removed by the "
				"host", v->name, v->id);
		v->owner = NULL;
	}
	for (i = 0; i < vs->n; i++) {
		if (vs->list[i] == v) {
			vs->list[i] = vs->list[--vs->n];
			break;
		}
	}
	vmc_free(v);
}

void sc_vmcs_free(struct sc_model *m)
{
	struct sc_vmcs *vs = m->vmcs;
	unsigned int i;

	if (!vs)
		return;
	for (i = 0; i < vs->n; i++)
		vmc_free(vs->list[i]);
	g_free(vs);
	m->vmcs = NULL;
}

/* Client -> guest --------------------------------------------------------- */

static size_t in_pending(const struct SpiceCoreVmc *v)
{
	return v->in.len - v->in_off;
}

void sc_vmc_flush(struct SpiceCoreVmc *v)
{
	while (in_pending(v)) {
		size_t want = in_pending(v);
		size_t took = v->ops->write(v->opaque, v->in.data + v->in_off,
					    want);

		took = MIN(took, want);
		v->in_off += took;
		if (took < want)
			break;
	}
	if (!in_pending(v)) {
		v->in.len = 0;
		v->in_off = 0;
		if (v->in.cap > 2 * SC_VMC_IN_LIMIT) {
			sc_buf_free(&v->in);
			sc_buf_init(&v->in);
		}
	}
	if (v->in_held && in_pending(v) < SC_VMC_IN_LIMIT && v->owner) {
		v->in_held = false;
		sc_conn_resume(v->owner);
	}
}

void sc_vmc_from_client(struct SpiceCoreVmc *v, const uint8_t *p, size_t n)
{
	if (!n)
		return;
	if (v->in_off && v->in_off >= v->in.len / 2) {
		sc_buf_consume(&v->in, v->in_off);
		v->in_off = 0;
	}
	sc_buf_put(&v->in, p, n);
	sc_vmc_flush(v);
}

/* Guest -> client --------------------------------------------------------- */

static bool client_room(const struct SpiceCoreVmc *v)
{
	return v->owner && sc_conn_running(v->owner) &&
	       sc_stream_queued(v->owner->st) < SC_VMC_OUT_LIMIT;
}

size_t sc_vmc_read(struct SpiceCoreVmc *v, const uint8_t *p, size_t n)
{
	size_t done = 0;

	if (v->card)
		return sc_smartcard_from_host(v, p, n);
	while (done < n && client_room(v)) {
		size_t take = MIN(n - done, (size_t)SC_VMC_MSG_MAX);
		struct sc_buf *b = sc_msg_begin(&v->owner->wire,
						SPICE_MSG_SPICEVMC_DATA);

		sc_buf_put(b, p + done, take);
		sc_msg_end(&v->owner->wire);
		done += take;
	}
	if (done < n)
		v->read_blocked = true;
	if (done && v->owner)
		sc_stream_flush(v->owner->st);
	return done;
}

static void maybe_read_ready(struct SpiceCoreVmc *v)
{
	if (v->read_blocked && client_room(v)) {
		v->read_blocked = false;
		if (v->ops->read_ready)
			v->ops->read_ready(v->opaque);
	}
}

/* Port events ------------------------------------------------------------- */

static void send_port_event(struct sc_conn *c, uint8_t event)
{
	sc_buf_u8(sc_msg_begin(&c->wire, SPICE_MSG_PORT_EVENT), event);
	sc_msg_end(&c->wire);
}

void sc_vmc_port_opened(struct SpiceCoreVmc *v, bool opened)
{
	if (v->port_opened == opened)
		return;
	v->port_opened = opened;
	if (v->owner && is_port(v) && sc_conn_running(v->owner)) {
		send_port_event(v->owner, opened ? SPICE_PORT_EVENT_OPENED :
				SPICE_PORT_EVENT_CLOSED);
		sc_stream_flush(v->owner->st);
	}
}

/* The channel ------------------------------------------------------------- */

struct SpiceCoreVmc *sc_vmc_conn(struct sc_conn *c)
{
	struct sc_vmc_conn *vc = c->priv;

	return vc ? vc->vmc : NULL;
}

void sc_vmc_start(struct sc_conn *c)
{
	struct SpiceCoreVmc *v = sc_vmc_find(c->chs, c->ops->type,
					  c->link.mess.channel_id);
	struct sc_vmc_conn *vc = g_new0(struct sc_vmc_conn, 1);
	struct sc_buf *b;
	size_t len;

	c->priv = vc;
	if (!v) {
		sc_stream_close(c->st, "channel removed while linking");
		return;
	}
	if (v->owner) {
		sc_stream_close(c->st, "%s channel %u has a client already",
				v->name, v->id);
		return;
	}
	vc->vmc = v;
	v->owner = c;
	c->wire.max_msg = SC_VMC_CLIENT_MSG_MAX;
	if (is_port(v)) {
		/* name_size, the name's offset, opened; the name with its
		 * NUL at that offset */
		len = strlen(v->name) + 1;
		b = sc_msg_begin(&c->wire, SPICE_MSG_PORT_INIT);
		sc_buf_u32(b, (uint32_t)len);
		sc_buf_u32(b, 9);
		sc_buf_u8(b, v->port_opened);
		sc_buf_put(b, v->name, len);
		sc_msg_end(&c->wire);
	}
	g_message("%s channel %u: a client has it", v->name, v->id);
	if (v->ops->client)
		v->ops->client(v->opaque, true);
	maybe_read_ready(v);
}

static int vmc_handle(struct sc_conn *c, const struct sc_msg *m)
{
	struct SpiceCoreVmc *v = sc_vmc_conn(c);

	/* A client that left (or never got the channel) has no say, even
	 * in messages it sent before it went. */
	if (!v || v->owner != c)
		return 0;
	switch (m->kind) {
	case SC_MSG_VMC_DATA:
		sc_vmc_from_client(v, m->u.vmc.data, m->u.vmc.size);
		return 0;
	case SC_MSG_VMC_COMPRESSED_DATA:
		return -1;		/* the cap was not offered */
	case SC_MSG_PORT_EVENT:
		if (is_port(v) && v->ops->event)
			v->ops->event(v->opaque, m->u.port_event);
		return 0;
	default:
		return 0;
	}
}

bool sc_vmc_held(struct sc_conn *c)
{
	struct SpiceCoreVmc *v = sc_vmc_conn(c);

	if (v && in_pending(v) >= SC_VMC_IN_LIMIT) {
		v->in_held = true;
		return true;
	}
	return false;
}

void sc_vmc_pump(struct sc_conn *c)
{
	struct SpiceCoreVmc *v = sc_vmc_conn(c);

	if (v)
		maybe_read_ready(v);
}

void sc_vmc_close(struct sc_conn *c)
{
	struct SpiceCoreVmc *v = sc_vmc_conn(c);

	if (!v || v->owner != c)
		return;
	v->owner = NULL;
	v->in_held = false;
	/* Its unwritten bytes go; not a smartcard's: the device may have
	 * half a VSC message, the rest must follow (smartcard.c). */
	if (!v->card) {
		v->in.len = 0;
		v->in_off = 0;
	}
	g_message("%s channel %u: its client left", v->name, v->id);
	if (v->ops->client)
		v->ops->client(v->opaque, false);
}

static bool exists_usbredir(struct sc_channels *chs, uint8_t id)
{
	return sc_vmc_find(chs, SPICE_CHANNEL_USBREDIR, id);
}

static bool exists_port(struct sc_channels *chs, uint8_t id)
{
	return sc_vmc_find(chs, SPICE_CHANNEL_PORT, id);
}

static bool exists_webdav(struct sc_channels *chs, uint8_t id)
{
	return sc_vmc_find(chs, SPICE_CHANNEL_WEBDAV, id);
}

const struct sc_channel_ops sc_usbredir_channel = {
	.name = "usbredir",
	.type = SPICE_CHANNEL_USBREDIR,
	.parse = sc_parse_vmc,
	.exists = exists_usbredir,
	.start = sc_vmc_start,
	.handle = vmc_handle,
	.pump = sc_vmc_pump,
	.held = sc_vmc_held,
	.close = sc_vmc_close,
};

const struct sc_channel_ops sc_port_channel = {
	.name = "port",
	.type = SPICE_CHANNEL_PORT,
	.parse = sc_parse_port,
	.exists = exists_port,
	.start = sc_vmc_start,
	.handle = vmc_handle,
	.pump = sc_vmc_pump,
	.held = sc_vmc_held,
	.close = sc_vmc_close,
};

const struct sc_channel_ops sc_webdav_channel = {
	.name = "webdav",
	.type = SPICE_CHANNEL_WEBDAV,
	.parse = sc_parse_port,
	.exists = exists_webdav,
	.start = sc_vmc_start,
	.handle = vmc_handle,
	.pump = sc_vmc_pump,
	.held = sc_vmc_held,
	.close = sc_vmc_close,
};
