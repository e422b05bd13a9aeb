// SPDX-License-Identifier: MIT
/* Display sources, the public API: primary surface, damage, monitors and
 * cursor, written into the model from any thread under its lock; each
 * change wakes the server thread, which delivers it to the channels.
 * Snapshots copy the model out for tests. */
#include <errno.h>
#include <string.h>

#include "channels/encode.h"
#include "server/server.h"

G_STATIC_ASSERT(SPICE_CORE_MAX_HEADS == SC_MAX_HEADS);

static void lock(SpiceCoreDisplay *d)
{
	g_mutex_lock(&d->model->lock);
}

/* Done changing d: unlock and wake the server to deliver the change (at
 * the last release, while held). */
static void changed(SpiceCoreDisplay *d)
{
	bool wake = !d->holds;

	if (!wake)
		d->wake_due = true;
	g_mutex_unlock(&d->model->lock);
	if (wake)
		sc_wake(d->core);
}

void spice_core_display_hold(SpiceCoreDisplay *d)
{
	lock(d);
	if (d->holds < G_MAXUINT)
		d->holds++;
	g_mutex_unlock(&d->model->lock);
}

void spice_core_display_release(SpiceCoreDisplay *d)
{
	bool wake;

	lock(d);
	if (d->holds)
		d->holds--;
	wake = !d->holds && d->wake_due;
	if (wake)
		d->wake_due = false;
	g_mutex_unlock(&d->model->lock);
	if (wake)
		sc_wake(d->core);
}

static uint32_t bytes_per_pixel(uint32_t format)
{
	switch (format) {
	case SPICE_CORE_FMT_32_xRGB:
	case SPICE_CORE_FMT_32_ARGB:
		return 4;
	case SPICE_CORE_FMT_16_555:
	case SPICE_CORE_FMT_16_565:
		return 2;
	default:
		return 0;
	}
}

SpiceCoreDisplay *spice_core_display_add(SpiceCore *core,
					 unsigned int channel_id)
{
	struct sc_model *m = &core->model;
	SpiceCoreDisplay *d;

	if (channel_id >= SC_MAX_DISPLAYS)
		return NULL;
	g_mutex_lock(&m->lock);
	if (m->displays[channel_id]) {
		g_mutex_unlock(&m->lock);
		return NULL;
	}
	d = g_new0(SpiceCoreDisplay, 1);
	d->core = core;
	d->model = m;
	d->id = channel_id;
	pixman_region32_init(&d->damage);
	m->displays[channel_id] = d;
	g_mutex_unlock(&m->lock);
	return d;
}

void spice_core_display_remove(SpiceCoreDisplay *d)
{
	lock(d);
	d->model->displays[d->id] = NULL;
	if (d->dev_address[0])	/* the guest's agent hears it */
		d->model->devinfo_gen++;
	changed(d);		/* its clients notice and drop */
	pixman_region32_fini(&d->damage);
	sc_copies_free(d->copies);
	g_free(d->cursor);
	g_free(d);
}

int spice_core_display_set_primary(SpiceCoreDisplay *d, const void *top_line,
				   uint32_t width, uint32_t height,
				   int32_t stride, uint32_t format)
{
	uint32_t bpp = bytes_per_pixel(format);
	uint64_t abs_stride = stride < 0 ? -(int64_t)stride : stride;

	if (!top_line || !bpp || width == 0 || height == 0 ||
	    width > SC_MAX_SURFACE || height > SC_MAX_SURFACE ||
	    abs_stride < (uint64_t)width * bpp)
		return -EINVAL;
	lock(d);
	if (!d->has_primary || d->width != width || d->height != height ||
	    d->format != format)
		d->surface_gen++;
	d->has_primary = true;
	d->top = top_line;
	d->width = width;
	d->height = height;
	d->stride = stride;
	d->format = format;
	/* All of it is damage now: earlier copies need not be replayed. */
	sc_copies_free(d->copies);
	d->copies = NULL;
	pixman_region32_union_rect(&d->damage, &d->damage, 0, 0, width,
				   height);
	changed(d);
	return 0;
}

void spice_core_display_clear_primary(SpiceCoreDisplay *d)
{
	lock(d);
	if (d->has_primary)
		d->surface_gen++;
	d->has_primary = false;
	d->top = NULL;
	pixman_region32_clear(&d->damage);
	sc_copies_free(d->copies);
	d->copies = NULL;
	changed(d);
}

void spice_core_display_damage(SpiceCoreDisplay *d, int32_t x, int32_t y,
			       uint32_t w, uint32_t h)
{
	int64_t x0 = MAX(x, 0), y0 = MAX(y, 0);
	int64_t x1, y1;

	lock(d);
	x1 = MIN((int64_t)x + w, (int64_t)d->width);
	y1 = MIN((int64_t)y + h, (int64_t)d->height);
	if (d->has_primary && x1 > x0 && y1 > y0)
		pixman_region32_union_rect(&d->damage, &d->damage, (int)x0,
					   (int)y0, (unsigned)(x1 - x0),
					   (unsigned)(y1 - y0));
	changed(d);
}

/* Whether (x, y, w, h) lies inside d's primary.  Model locked. */
static bool inside(const SpiceCoreDisplay *d, int32_t x, int32_t y,
		   uint32_t w, uint32_t h)
{
	return x >= 0 && y >= 0 && w && h &&
	       (uint64_t)x + w <= d->width && (uint64_t)y + h <= d->height;
}

void spice_core_display_copy(SpiceCoreDisplay *d, int32_t x, int32_t y,
			     uint32_t w, uint32_t h, int32_t src_x,
			     int32_t src_y)
{
	struct sc_copy cp;

	lock(d);
	if (!d->has_primary) {
		changed(d);
		return;
	}
	if (!inside(d, x, y, w, h) || !inside(d, src_x, src_y, w, h) ||
	    (d->copies && d->copies->len >= SC_MAX_COPIES)) {
		/* Not a copy clients can replay: the pixels are damage. */
		g_mutex_unlock(&d->model->lock);
		spice_core_display_damage(d, x, y, w, h);
		return;
	}
	if (x == src_x && y == src_y) {
		changed(d);
		return;
	}
	if (!d->copies)
		d->copies = g_array_new(FALSE, FALSE, sizeof(struct sc_copy));
	cp.x = x;
	cp.y = y;
	cp.w = (int32_t)w;
	cp.h = (int32_t)h;
	cp.src_x = src_x;
	cp.src_y = src_y;
	pixman_region32_init(&cp.before);
	pixman_region32_copy(&cp.before, &d->damage);
	pixman_region32_clear(&d->damage);
	g_array_append_val(d->copies, cp);
	changed(d);
}

int spice_core_display_set_monitors(SpiceCoreDisplay *d,
				    const struct spice_core_head *heads,
				    unsigned int n)
{
	if (n > SC_MAX_HEADS || (n && !heads))
		return -EINVAL;
	lock(d);
	memcpy(d->heads, heads, n * sizeof(*heads));
	d->n_heads = n;
	d->heads_gen++;
	changed(d);
	return 0;
}

int spice_core_display_cursor_set(SpiceCoreDisplay *d, const uint32_t *argb,
				  uint16_t width, uint16_t height,
				  uint16_t hot_x, uint16_t hot_y)
{
	uint32_t *copy;

	if (!argb || width == 0 || height == 0 || width > SC_MAX_CURSOR ||
	    height > SC_MAX_CURSOR || hot_x >= width || hot_y >= height)
		return -EINVAL;
	copy = g_memdup2(argb, (size_t)width * height * 4);
	lock(d);
	g_free(d->cursor);
	d->cursor = copy;
	d->cw = width;
	d->ch = height;
	d->hot_x = hot_x;
	d->hot_y = hot_y;
	d->cursor_visible = true;
	d->cursor_gen++;
	changed(d);
	return 0;
}

void spice_core_display_cursor_move(SpiceCoreDisplay *d, int32_t x,
				    int32_t y)
{
	lock(d);
	d->cursor_x = x;
	d->cursor_y = y;
	d->cursor_pos_gen++;
	changed(d);
}

void spice_core_display_cursor_hide(SpiceCoreDisplay *d)
{
	lock(d);
	if (d->cursor_visible) {
		d->cursor_visible = false;
		d->cursor_gen++;
	}
	changed(d);
}

void spice_core_display_snapshot(SpiceCoreDisplay *d,
				 struct spice_core_snapshot *out)
{
	memset(out, 0, sizeof(*out));
	lock(d);
	out->has_primary = d->has_primary;
	out->generation = d->surface_gen;
	if (d->has_primary) {
		out->width = d->width;
		out->height = d->height;
		out->format = d->format;
		out->pixels = g_new(uint32_t, (size_t)d->width * d->height);
		sc_fetch_rect(d->top, d->stride, d->format, 0, 0, d->width,
			      d->height, out->pixels, d->width);
	}
	if (d->cursor) {
		out->cursor = g_memdup2(d->cursor, (size_t)d->cw * d->ch * 4);
		out->cursor_width = d->cw;
		out->cursor_height = d->ch;
		out->hot_x = d->hot_x;
		out->hot_y = d->hot_y;
	}
	out->cursor_visible = d->cursor_visible;
	out->cursor_x = d->cursor_x;
	out->cursor_y = d->cursor_y;
	out->n_heads = d->n_heads;
	memcpy(out->heads, d->heads, d->n_heads * sizeof(*d->heads));
	g_mutex_unlock(&d->model->lock);
}

void spice_core_snapshot_clear(struct spice_core_snapshot *snap)
{
	g_free(snap->pixels);
	g_free(snap->cursor);
	memset(snap, 0, sizeof(*snap));
}
