// SPDX-License-Identifier: MIT
/* Inputs channel: keys (PC scancodes), LEDs, mouse motion, position,
 * buttons and wheel, handed to the caller's callbacks; MOTION_ACK every
 * SPICE_INPUT_MOTION_ACK_BUNCH motion messages. */
#include <spice/vd_agent.h>

#include "channels/agentdev.h"
#include "channels/channels.h"
#include "net/bounds.h"

#define BUTTONS_MASK 0x7fu

struct sc_inputs {
	unsigned int motion_count;
	int32_t last_x, last_y;
	uint32_t last_display;
	bool scancode_ext;		/* KEY_SCANCODE: after 0xE0 */
	unsigned int scancode_skip;	/* KEY_SCANCODE: Pause bytes left */
};

/* INIT and KEY_MODIFIERS: the LEDs in the model now. */
static void send_leds(struct sc_conn *c, uint16_t type)
{
	struct sc_model *m = c->chs->model;
	uint32_t leds;

	g_mutex_lock(&m->lock);
	leds = m->leds;
	g_mutex_unlock(&m->lock);
	sc_buf_u16(sc_msg_begin(&c->wire, type), (uint16_t)leds);
	sc_msg_end(&c->wire);
}

static void inputs_start(struct sc_conn *c)
{
	struct sc_inputs *in = g_new0(struct sc_inputs, 1);

	c->priv = in;
	if (c->mig) {
		/* Seamless migration: the client had its INIT from the
		 * source and counts motion since; the LEDs are ours. */
		in->motion_count = c->mig->u.inputs.motion_count %
				   SPICE_INPUT_MOTION_ACK_BUNCH;
		send_leds(c, SPICE_MSG_INPUTS_KEY_MODIFIERS);
		return;
	}
	send_leds(c, SPICE_MSG_INPUTS_INIT);
}

/* At the source: motion not acked yet (the client waits for the ACK of
 * its bunch). */
static void inputs_mig_save(struct sc_conn *c, struct sc_mig_data *d)
{
	d->u.inputs.motion_count = ((struct sc_inputs *)c->priv)->motion_count %
				   SPICE_INPUT_MOTION_ACK_BUNCH;
}

static void inputs_notify(struct sc_conn *c, enum sc_event ev)
{
	if (ev == SC_EVENT_LEDS)
		send_leds(c, SPICE_MSG_INPUTS_KEY_MODIFIERS);
}

static void key(struct sc_conn *c, uint32_t sc, bool down)
{
	struct sc_model *m = c->chs->model;

	if ((sc & 0x7f) == 0)
		return;		/* no key has scancode 0 */
	if (m->ops->key)
		m->ops->key(m->opaque, sc, down);
}

/* KEY_DOWN/KEY_UP code: low byte the scancode, or 0xE0 with the
 * scancode in the next byte; bit 7 of the scancode marks a release. */
static void key_code(struct sc_conn *c, uint32_t code, bool down)
{
	uint32_t b0 = code & 0xff, b1 = (code >> 8) & 0xff;

	if (b0 == 0xe0)
		key(c, SPICE_CORE_KEY_EXTENDED | (b1 & 0x7f), down);
	else
		key(c, b0 & 0x7f, down);
}

/* KEY_SCANCODE: a raw set-1 byte stream (0xE0 prefixes, 0xE1 Pause). */
static void key_bytes(struct sc_conn *c, const uint8_t *p, size_t n)
{
	struct sc_inputs *in = c->priv;
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t v = p[i];

		if (in->scancode_skip) {
			in->scancode_skip--;
			continue;
		}
		if (v == 0xe0) {
			in->scancode_ext = true;
			continue;
		}
		if (v == 0xe1) {	/* Pause: E1 1D 45 / E1 9D C5 */
			in->scancode_skip = 2;
			key(c, 0x45 | SPICE_CORE_KEY_EXTENDED, true);
			key(c, 0x45 | SPICE_CORE_KEY_EXTENDED, false);
			continue;
		}
		key(c, (in->scancode_ext ? SPICE_CORE_KEY_EXTENDED : 0) |
		    (v & 0x7f), !(v & 0x80));
		in->scancode_ext = false;
	}
}

static void motion_ack(struct sc_conn *c)
{
	struct sc_inputs *in = c->priv;

	if (++in->motion_count % SPICE_INPUT_MOTION_ACK_BUNCH == 0)
		sc_msg_send_empty(&c->wire, SPICE_MSG_INPUTS_MOUSE_MOTION_ACK);
}

/* Client mode: the host's absolute device if it has one, else the
 * guest's agent (VD_AGENT_*BUTTON_MASK: SPICE's bits one up; a wheel
 * press is the U or D bit). */
static void client_mouse(struct sc_conn *c, int32_t dz, uint32_t buttons)
{
	struct sc_inputs *in = c->priv;
	struct sc_model *m = c->chs->model;

	if (m->ops->mouse_abs && sc_model_mouse_host_abs(m)) {
		m->ops->mouse_abs(m->opaque, in->last_display, in->last_x,
				  in->last_y, dz, buttons);
	} else if (m->agentdev) {
		uint32_t ab = (buttons & BUTTONS_MASK) << 1;

		if (dz < 0)
			ab |= VD_AGENT_UBUTTON_MASK;
		else if (dz > 0)
			ab |= VD_AGENT_DBUTTON_MASK;
		sc_agentdev_mouse(m->agentdev, (uint32_t)MAX(in->last_x, 0),
				  (uint32_t)MAX(in->last_y, 0), ab,
				  (uint8_t)MIN(in->last_display, 255u));
	}
}

static void button(struct sc_conn *c, uint8_t btn, uint32_t buttons,
		   bool press)
{
	struct sc_model *m = c->chs->model;
	int32_t dz = 0;

	if (press && btn == SPICE_MOUSE_BUTTON_UP)
		dz = -1;
	else if (press && btn == SPICE_MOUSE_BUTTON_DOWN)
		dz = 1;
	buttons &= BUTTONS_MASK;
	if (m->mouse_client) {
		client_mouse(c, dz, buttons);
	} else if (m->ops->mouse_rel) {
		m->ops->mouse_rel(m->opaque, 0, 0, dz, buttons);
	}
}

static int inputs_handle(struct sc_conn *c, const struct sc_msg *m)
{
	struct sc_inputs *in = c->priv;
	const struct spice_core_ops *ops = c->chs->model->ops;
	void *op = c->chs->model->opaque;
	bool client_mode = c->chs->model->mouse_client;

	switch (m->kind) {
	case SC_MSG_INPUTS_KEY_DOWN:
		key_code(c, m->u.key_code, true);
		break;
	case SC_MSG_INPUTS_KEY_UP:
		key_code(c, m->u.key_code, false);
		break;
	case SC_MSG_INPUTS_KEY_SCANCODE:
		key_bytes(c, m->u.bytes.data, m->u.bytes.size);
		break;
	case SC_MSG_INPUTS_KEY_MODIFIERS:
		if (ops->key_leds)
			ops->key_leds(op, m->u.modifiers & 7u);
		break;
	case SC_MSG_INPUTS_MOUSE_MOTION:
		motion_ack(c);
		if (!client_mode && ops->mouse_rel)
			ops->mouse_rel(op, sc_pointer_delta(m->u.motion.dx),
				       sc_pointer_delta(m->u.motion.dy), 0,
				       m->u.motion.buttons & BUTTONS_MASK);
		break;
	case SC_MSG_INPUTS_MOUSE_POSITION:
		motion_ack(c);
		in->last_x = sc_pointer_pos(m->u.position.x);
		in->last_y = sc_pointer_pos(m->u.position.y);
		in->last_display = m->u.position.display_id;
		if (client_mode)
			client_mouse(c, 0,
				     m->u.position.buttons & BUTTONS_MASK);
		break;
	case SC_MSG_INPUTS_MOUSE_PRESS:
		button(c, m->u.press.button, m->u.press.buttons, true);
		break;
	case SC_MSG_INPUTS_MOUSE_RELEASE:
		button(c, m->u.press.button, m->u.press.buttons, false);
		break;
	default:
		break;
	}
	return 0;
}

const struct sc_channel_ops sc_inputs_channel = {
	.name = "inputs",
	.type = SPICE_CHANNEL_INPUTS,
	.caps = 1u << SPICE_INPUTS_CAP_KEY_SCANCODE,
	.parse = sc_parse_inputs,
	.exists = sc_exists_once,
	.start = inputs_start,
	.handle = inputs_handle,
	.notify = inputs_notify,
	.mig_save = inputs_mig_save,
};
