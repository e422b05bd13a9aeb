// SPDX-License-Identifier: MIT
/* Cursor: the display source's cursor API and the cursor channel
 * (INIT, SET, MOVE, HIDE), sent as the latest state when the client has
 * room, so a slow client never queues stale cursor updates. */
#include <errno.h>
#include <string.h>

#include "internal.h"

int spice_core_display_cursor_set(SpiceCoreDisplay *display,
				  const uint32_t *argb, uint16_t width,
				  uint16_t height, uint16_t hot_x,
				  uint16_t hot_y)
{
	struct SpiceCoreDisplay *d = (struct SpiceCoreDisplay *)display;
	uint32_t *copy;

	if (!argb || width == 0 || height == 0 || width > SC_MAX_CURSOR ||
	    height > SC_MAX_CURSOR || hot_x >= width || hot_y >= height)
		return -EINVAL;
	copy = g_memdup2(argb, (size_t)width * height * 4);
	g_mutex_lock(&d->core->lock);
	g_free(d->cursor);
	d->cursor = copy;
	d->cw = width;
	d->ch = height;
	d->hot_x = hot_x;
	d->hot_y = hot_y;
	d->cursor_visible = true;
	d->cursor_gen++;
	g_mutex_unlock(&d->core->lock);
	sc_wake(d->core);
	return 0;
}

void spice_core_display_cursor_move(SpiceCoreDisplay *display, int32_t x,
				    int32_t y)
{
	struct SpiceCoreDisplay *d = (struct SpiceCoreDisplay *)display;

	g_mutex_lock(&d->core->lock);
	d->cursor_x = x;
	d->cursor_y = y;
	d->cursor_pos_gen++;
	g_mutex_unlock(&d->core->lock);
	sc_wake(d->core);
}

void spice_core_display_cursor_hide(SpiceCoreDisplay *display)
{
	struct SpiceCoreDisplay *d = (struct SpiceCoreDisplay *)display;

	g_mutex_lock(&d->core->lock);
	if (d->cursor_visible) {
		d->cursor_visible = false;
		d->cursor_gen++;
	}
	g_mutex_unlock(&d->core->lock);
	sc_wake(d->core);
}

static int16_t clamp16(int32_t v)
{
	return (int16_t)CLAMP(v, INT16_MIN, INT16_MAX);
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

void sc_cursor_start(struct sc_conn *c)
{
	SpiceCore *core = c->core;
	struct SpiceCoreDisplay *d;
	struct sc_buf *b;

	sc_send_set_ack(c);
	g_mutex_lock(&core->lock);
	d = core->displays[c->link.channel_id];
	if (!d) {
		g_mutex_unlock(&core->lock);
		sc_conn_close(c, "display source removed");
		return;
	}
	b = sc_msg_begin(c, SPICE_MSG_CURSOR_INIT);
	sc_buf_u16(b, (uint16_t)clamp16(d->cursor_x));
	sc_buf_u16(b, (uint16_t)clamp16(d->cursor_y));
	sc_buf_u16(b, 0);			/* trail length */
	sc_buf_u16(b, 0);			/* trail frequency */
	sc_buf_u8(b, d->cursor_visible && d->cursor);
	put_cursor(b, d);
	sc_msg_end(c);
	c->cursor_gen = d->cursor_gen;
	c->cursor_pos_gen = d->cursor_pos_gen;
	g_mutex_unlock(&core->lock);
}

void sc_cursor_pump(struct sc_conn *c)
{
	SpiceCore *core = c->core;
	struct SpiceCoreDisplay *d;
	struct sc_buf *b;

	if (!sc_conn_can_send(c))
		return;
	g_mutex_lock(&core->lock);
	d = core->displays[c->link.channel_id];
	if (!d) {
		g_mutex_unlock(&core->lock);
		sc_conn_close(c, "display source removed");
		return;
	}
	if (c->cursor_gen != d->cursor_gen) {
		if (d->cursor_visible && d->cursor) {
			b = sc_msg_begin(c, SPICE_MSG_CURSOR_SET);
			sc_buf_u16(b, (uint16_t)clamp16(d->cursor_x));
			sc_buf_u16(b, (uint16_t)clamp16(d->cursor_y));
			sc_buf_u8(b, 1);
			put_cursor(b, d);
		} else {
			sc_msg_begin(c, SPICE_MSG_CURSOR_HIDE);
		}
		sc_msg_end(c);
		c->cursor_gen = d->cursor_gen;
		c->cursor_pos_gen = d->cursor_pos_gen;
	} else if (c->cursor_pos_gen != d->cursor_pos_gen) {
		b = sc_msg_begin(c, SPICE_MSG_CURSOR_MOVE);
		sc_buf_u16(b, (uint16_t)clamp16(d->cursor_x));
		sc_buf_u16(b, (uint16_t)clamp16(d->cursor_y));
		sc_msg_end(c);
		c->cursor_pos_gen = d->cursor_pos_gen;
	}
	g_mutex_unlock(&core->lock);
}
