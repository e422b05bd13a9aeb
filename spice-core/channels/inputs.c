// SPDX-License-Identifier: MIT
/* Inputs channel: keys (PC scancodes), LEDs, mouse motion, position,
 * buttons and wheel, handed to the caller's callbacks; MOTION_ACK every
 * SPICE_INPUT_MOTION_ACK_BUNCH motion messages. */
#include "internal.h"

#define BUTTONS_MASK 0x7fu

static const struct spice_core_ops *ops(struct sc_conn *c)
{
	static const struct spice_core_ops none;

	return c->core->cfg.ops ? c->core->cfg.ops : &none;
}

void sc_inputs_send_leds(struct sc_conn *c, uint32_t leds)
{
	sc_buf_u16(sc_msg_begin(c, SPICE_MSG_INPUTS_KEY_MODIFIERS),
		   (uint16_t)leds);
	sc_msg_end(c);
}

void sc_inputs_start(struct sc_conn *c)
{
	uint32_t leds;

	g_mutex_lock(&c->core->lock);
	leds = c->core->leds;
	g_mutex_unlock(&c->core->lock);
	sc_buf_u16(sc_msg_begin(c, SPICE_MSG_INPUTS_INIT), (uint16_t)leds);
	sc_msg_end(c);
}

static void key(struct sc_conn *c, uint32_t sc, bool down)
{
	if ((sc & 0x7f) == 0)
		return;		/* no key has scancode 0 */
	if (ops(c)->key)
		ops(c)->key(c->core->cfg.opaque, sc, down);
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
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t v = p[i];

		if (c->scancode_skip) {
			c->scancode_skip--;
			continue;
		}
		if (v == 0xe0) {
			c->scancode_ext = true;
			continue;
		}
		if (v == 0xe1) {	/* Pause: E1 1D 45 / E1 9D C5 */
			c->scancode_skip = 2;
			key(c, 0x45 | SPICE_CORE_KEY_EXTENDED, true);
			key(c, 0x45 | SPICE_CORE_KEY_EXTENDED, false);
			continue;
		}
		key(c, (c->scancode_ext ? SPICE_CORE_KEY_EXTENDED : 0) |
		    (v & 0x7f), !(v & 0x80));
		c->scancode_ext = false;
	}
}

static void motion_ack(struct sc_conn *c)
{
	if (++c->motion_count % SPICE_INPUT_MOTION_ACK_BUNCH == 0) {
		sc_msg_begin(c, SPICE_MSG_INPUTS_MOUSE_MOTION_ACK);
		sc_msg_end(c);
	}
}

static void button(struct sc_conn *c, uint8_t btn, uint32_t buttons,
		   bool press)
{
	void *op = c->core->cfg.opaque;
	int32_t dz = 0;

	if (press && btn == SPICE_MOUSE_BUTTON_UP)
		dz = -1;
	else if (press && btn == SPICE_MOUSE_BUTTON_DOWN)
		dz = 1;
	buttons &= BUTTONS_MASK;
	if (c->core->mouse_client) {
		if (ops(c)->mouse_abs)
			ops(c)->mouse_abs(op, c->last_display, c->last_x,
					  c->last_y, dz, buttons);
	} else if (ops(c)->mouse_rel) {
		ops(c)->mouse_rel(op, 0, 0, dz, buttons);
	}
}

int sc_inputs_handle(struct sc_conn *c, const struct sc_msg *m)
{
	void *op = c->core->cfg.opaque;

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
		if (ops(c)->key_leds)
			ops(c)->key_leds(op, m->u.modifiers & 7u);
		break;
	case SC_MSG_INPUTS_MOUSE_MOTION:
		motion_ack(c);
		if (!c->core->mouse_client && ops(c)->mouse_rel)
			ops(c)->mouse_rel(op, m->u.motion.dx, m->u.motion.dy, 0,
					  m->u.motion.buttons & BUTTONS_MASK);
		break;
	case SC_MSG_INPUTS_MOUSE_POSITION:
		motion_ack(c);
		c->last_x = (int32_t)MIN(m->u.position.x, (uint32_t)INT32_MAX);
		c->last_y = (int32_t)MIN(m->u.position.y, (uint32_t)INT32_MAX);
		c->last_display = m->u.position.display_id;
		if (c->core->mouse_client && ops(c)->mouse_abs)
			ops(c)->mouse_abs(op, c->last_display, c->last_x,
					  c->last_y, 0,
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
