// SPDX-License-Identifier: MIT
/* The cursor channel: INIT, SET, MOVE, HIDE, sent as the latest state when
 * the client has room, so a slow client never queues stale updates. */
#include "channels/channels.h"

struct sc_cursor {
	uint32_t cursor_gen, cursor_pos_gen;	/* the source's, as sent */
};

static int16_t clamp16(int32_t v)
{
	return (int16_t)CLAMP(v, INT16_MIN, INT16_MAX);
}

static void put_position(struct sc_buf *b, const struct SpiceCoreDisplay *d)
{
	sc_buf_u16(b, (uint16_t)clamp16(d->cursor_x));
	sc_buf_u16(b, (uint16_t)clamp16(d->cursor_y));
}

/* Cursor struct: flags, header, ARGB data (to the end of the message). */
static void put_cursor(struct sc_buf *b, const struct SpiceCoreDisplay *d)
{
	if (!d->cursor) {
		sc_buf_u16(b, SPICE_CURSOR_FLAGS_NONE);
		return;
	}
	sc_buf_u16(b, 0);
	sc_buf_u64(b, 0);			/* unique: not cached */
	sc_buf_u8(b, SPICE_CURSOR_TYPE_ALPHA);
	sc_buf_u16(b, d->cw);
	sc_buf_u16(b, d->ch);
	sc_buf_u16(b, d->hot_x);
	sc_buf_u16(b, d->hot_y);
	sc_buf_put(b, d->cursor, (size_t)d->cw * d->ch * 4);
}

/* Now the client has the source's cursor and position. */
static void sent(struct sc_conn *c, const struct SpiceCoreDisplay *d)
{
	struct sc_cursor *cc = c->priv;

	cc->cursor_gen = d->cursor_gen;
	cc->cursor_pos_gen = d->cursor_pos_gen;
}

static void cursor_start(struct sc_conn *c)
{
	struct SpiceCoreDisplay *d;
	struct sc_buf *b;

	c->priv = g_new0(struct sc_cursor, 1);
	sc_wire_set_ack(&c->wire);
	/* Seamless migration: the client had its INIT from the source and
	 * takes one only after a RESET (which empties its cursor cache, as
	 * ours starts empty). */
	if (c->mig)
		sc_msg_send_empty(&c->wire, SPICE_MSG_CURSOR_RESET);
	d = sc_conn_lock_display(c);
	if (!d)
		return;
	b = sc_msg_begin(&c->wire, SPICE_MSG_CURSOR_INIT);
	put_position(b, d);
	sc_buf_u16(b, 0);			/* trail length */
	sc_buf_u16(b, 0);			/* trail frequency */
	sc_buf_u8(b, d->cursor_visible && d->cursor);
	put_cursor(b, d);
	sc_msg_end(&c->wire);
	sent(c, d);
	g_mutex_unlock(&c->chs->model->lock);
}

static void cursor_pump(struct sc_conn *c)
{
	struct sc_cursor *cc = c->priv;
	struct SpiceCoreDisplay *d;
	struct sc_buf *b;

	if (!sc_wire_can_send(&c->wire))
		return;
	d = sc_conn_lock_display(c);
	if (!d)
		return;
	if (cc->cursor_gen != d->cursor_gen) {
		if (d->cursor_visible && d->cursor) {
			b = sc_msg_begin(&c->wire, SPICE_MSG_CURSOR_SET);
			put_position(b, d);
			sc_buf_u8(b, 1);
			put_cursor(b, d);
			sc_msg_end(&c->wire);
		} else {
			sc_msg_send_empty(&c->wire, SPICE_MSG_CURSOR_HIDE);
		}
		sent(c, d);
	} else if (cc->cursor_pos_gen != d->cursor_pos_gen) {
		b = sc_msg_begin(&c->wire, SPICE_MSG_CURSOR_MOVE);
		put_position(b, d);
		sc_msg_end(&c->wire);
		cc->cursor_pos_gen = d->cursor_pos_gen;
	}
	g_mutex_unlock(&c->chs->model->lock);
}

const struct sc_channel_ops sc_cursor_channel = {
	.name = "cursor",
	.type = SPICE_CHANNEL_CURSOR,
	.exists = sc_exists_per_display,
	.start = cursor_start,
	.pump = cursor_pump,
};
