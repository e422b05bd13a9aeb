// SPDX-License-Identifier: MIT
/* Display sources (public API) and the display channel: surface create
 * and destroy, damage coalesced per client into a region and sent as
 * DRAW_COPY (raw or LZ4) or DRAW_FILL of the latest pixels, MARK,
 * MONITORS_CONFIG.
 *
 * Connections never hold a pointer to a display source: they look it up
 * by channel id under core->lock, so a source can go away at any time. */
#include <errno.h>
#include <string.h>

#include "channels/encode.h"
#include "internal.h"

#define SC_MAX_RECTS 64		/* more damage rects: send their extents */

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
	struct SpiceCoreDisplay *d;

	if (channel_id >= SC_MAX_DISPLAYS)
		return NULL;
	g_mutex_lock(&core->lock);
	if (core->displays[channel_id]) {
		g_mutex_unlock(&core->lock);
		return NULL;
	}
	d = g_new0(struct SpiceCoreDisplay, 1);
	d->core = core;
	d->id = channel_id;
	pixman_region32_init(&d->damage);
	core->displays[channel_id] = d;
	g_mutex_unlock(&core->lock);
	return (SpiceCoreDisplay *)d;
}

void spice_core_display_remove(SpiceCoreDisplay *display)
{
	struct SpiceCoreDisplay *d = (struct SpiceCoreDisplay *)display;
	SpiceCore *core = d->core;

	g_mutex_lock(&core->lock);
	core->displays[d->id] = NULL;
	g_mutex_unlock(&core->lock);
	sc_wake(core);		/* its clients notice and drop */
	pixman_region32_fini(&d->damage);
	g_free(d->cursor);
	g_free(d);
}

int spice_core_display_set_primary(SpiceCoreDisplay *display,
				   const void *top_line, uint32_t width,
				   uint32_t height, int32_t stride,
				   uint32_t format)
{
	struct SpiceCoreDisplay *d = (struct SpiceCoreDisplay *)display;
	uint32_t bpp = bytes_per_pixel(format);
	uint64_t abs_stride = stride < 0 ? -(int64_t)stride : stride;

	if (!top_line || !bpp || width == 0 || height == 0 ||
	    width > SC_MAX_SURFACE || height > SC_MAX_SURFACE ||
	    abs_stride < (uint64_t)width * bpp)
		return -EINVAL;
	g_mutex_lock(&d->core->lock);
	if (!d->has_primary || d->width != width || d->height != height ||
	    d->format != format)
		d->surface_gen++;
	d->has_primary = true;
	d->top = top_line;
	d->width = width;
	d->height = height;
	d->stride = stride;
	d->format = format;
	pixman_region32_union_rect(&d->damage, &d->damage, 0, 0, width,
				   height);
	g_mutex_unlock(&d->core->lock);
	sc_wake(d->core);
	return 0;
}

void spice_core_display_clear_primary(SpiceCoreDisplay *display)
{
	struct SpiceCoreDisplay *d = (struct SpiceCoreDisplay *)display;

	g_mutex_lock(&d->core->lock);
	if (d->has_primary)
		d->surface_gen++;
	d->has_primary = false;
	d->top = NULL;
	pixman_region32_clear(&d->damage);
	g_mutex_unlock(&d->core->lock);
	sc_wake(d->core);
}

void spice_core_display_damage(SpiceCoreDisplay *display, int32_t x,
			       int32_t y, uint32_t w, uint32_t h)
{
	struct SpiceCoreDisplay *d = (struct SpiceCoreDisplay *)display;
	int64_t x0 = MAX(x, 0), y0 = MAX(y, 0);
	int64_t x1, y1;

	g_mutex_lock(&d->core->lock);
	x1 = MIN((int64_t)x + w, (int64_t)d->width);
	y1 = MIN((int64_t)y + h, (int64_t)d->height);
	if (d->has_primary && x1 > x0 && y1 > y0)
		pixman_region32_union_rect(&d->damage, &d->damage, (int)x0,
					   (int)y0, (unsigned)(x1 - x0),
					   (unsigned)(y1 - y0));
	g_mutex_unlock(&d->core->lock);
	sc_wake(d->core);
}

int spice_core_display_set_monitors(SpiceCoreDisplay *display,
				    const struct spice_core_head *heads,
				    unsigned int n)
{
	struct SpiceCoreDisplay *d = (struct SpiceCoreDisplay *)display;

	if (n > SC_MAX_HEADS || (n && !heads))
		return -EINVAL;
	g_mutex_lock(&d->core->lock);
	memcpy(d->heads, heads, n * sizeof(*heads));
	d->n_heads = n;
	d->heads_gen++;
	g_mutex_unlock(&d->core->lock);
	sc_wake(d->core);
	return 0;
}

/* Channel ------------------------------------------------------------------- */

void sc_display_add_damage(struct sc_conn *c, pixman_region32_t *r)
{
	pixman_region32_union(&c->pending, &c->pending, r);
}

static void put_rect(struct sc_buf *b, int32_t x, int32_t y, int32_t w,
		     int32_t h)
{
	sc_buf_u32(b, (uint32_t)y);		/* top */
	sc_buf_u32(b, (uint32_t)x);		/* left */
	sc_buf_u32(b, (uint32_t)(y + h));	/* bottom */
	sc_buf_u32(b, (uint32_t)(x + w));	/* right */
}

static void put_base(struct sc_buf *b, int32_t x, int32_t y, int32_t w,
		     int32_t h)
{
	sc_buf_u32(b, 0);			/* surface_id */
	put_rect(b, x, y, w, h);
	sc_buf_u8(b, SPICE_CLIP_TYPE_NONE);
}

static void put_no_mask(struct sc_buf *b)
{
	sc_buf_u8(b, 0);			/* flags */
	sc_buf_u32(b, 0);			/* pos.x */
	sc_buf_u32(b, 0);			/* pos.y */
	sc_buf_u32(b, 0);			/* bitmap: none */
}

static void send_surface_create(struct sc_conn *c, uint32_t w, uint32_t h)
{
	struct sc_buf *b = sc_msg_begin(c, SPICE_MSG_DISPLAY_SURFACE_CREATE);

	sc_buf_u32(b, 0);
	sc_buf_u32(b, w);
	sc_buf_u32(b, h);
	sc_buf_u32(b, SPICE_SURFACE_FMT_32_xRGB);
	sc_buf_u32(b, SPICE_SURFACE_FLAGS_PRIMARY);
	sc_msg_end(c);
}

static void send_surface_destroy(struct sc_conn *c)
{
	sc_buf_u32(sc_msg_begin(c, SPICE_MSG_DISPLAY_SURFACE_DESTROY), 0);
	sc_msg_end(c);
}

static void send_monitors(struct sc_conn *c, const struct SpiceCoreDisplay *d)
{
	struct spice_core_head one = { 0, 0, d->width, d->height };
	const struct spice_core_head *h = d->n_heads ? d->heads : &one;
	unsigned int n = d->n_heads ? d->n_heads : 1, i;
	struct sc_buf *b;

	if (!sc_has_cap(c->link.channel_caps,
			SPICE_DISPLAY_CAP_MONITORS_CONFIG))
		return;
	b = sc_msg_begin(c, SPICE_MSG_DISPLAY_MONITORS_CONFIG);
	sc_buf_u16(b, (uint16_t)n);
	sc_buf_u16(b, SC_MAX_HEADS);
	for (i = 0; i < n; i++) {
		sc_buf_u32(b, i);			/* monitor_id */
		sc_buf_u32(b, 0);			/* surface_id */
		sc_buf_u32(b, h[i].width);
		sc_buf_u32(b, h[i].height);
		sc_buf_u32(b, (uint32_t)h[i].x);
		sc_buf_u32(b, (uint32_t)h[i].y);
		sc_buf_u32(b, 0);			/* flags */
	}
	sc_msg_end(c);
}

static void send_fill(struct sc_conn *c, const pixman_box32_t *r,
		      uint32_t color)
{
	struct sc_buf *b = sc_msg_begin(c, SPICE_MSG_DISPLAY_DRAW_FILL);

	put_base(b, r->x1, r->y1, r->x2 - r->x1, r->y2 - r->y1);
	sc_buf_u8(b, SPICE_BRUSH_TYPE_SOLID);
	sc_buf_u32(b, color);
	sc_buf_u16(b, SPICE_ROPD_OP_PUT);
	put_no_mask(b);
	sc_msg_end(c);
	sc_stat_add(c->core, &c->core->stats.fills, 1);
}

static void send_copy(struct sc_conn *c, const pixman_box32_t *r,
		      const uint32_t *px)
{
	uint32_t w = (uint32_t)(r->x2 - r->x1), h = (uint32_t)(r->y2 - r->y1);
	uint64_t image_id = 0;	/* not cached: the id is unused */
	struct sc_buf *b = sc_msg_begin(c, SPICE_MSG_DISPLAY_DRAW_COPY);
	size_t img_off;
	bool lz4 = false;

	put_base(b, r->x1, r->y1, (int32_t)w, (int32_t)h);
	img_off = b->len - c->msg_start -
		  (c->mini ? SC_MINI_HEADER_SIZE : SC_FULL_HEADER_SIZE);
	/* The image follows the fixed part: offset counted from the body. */
	sc_buf_u32(b, (uint32_t)(img_off + 4 + 16 + 2 + 1 + 13));
	put_rect(b, 0, 0, (int32_t)w, (int32_t)h);	/* src_area */
	sc_buf_u16(b, SPICE_ROPD_OP_PUT);
	sc_buf_u8(b, SPICE_IMAGE_SCALE_MODE_NEAREST);
	put_no_mask(b);
	if (c->lz4 && (size_t)w * h >= 64)
		lz4 = sc_encode_lz4(b, image_id, px, w, h);
	if (!lz4)
		sc_encode_raw(b, image_id, px, w, h);
	sc_msg_end(c);
	sc_stat_add(c->core, lz4 ? &c->core->stats.images_lz4 :
		    &c->core->stats.images_raw, 1);
}

/* Send the pending region's latest pixels; the caller holds no lock. */
static bool send_damage(struct sc_conn *c)
{
	SpiceCore *core = c->core;
	pixman_box32_t *rects, ext;
	uint32_t *px = NULL;
	size_t px_size = 0;
	int n, i;

	if (!pixman_region32_not_empty(&c->pending))
		return false;
	rects = pixman_region32_rectangles(&c->pending, &n);
	if (n > SC_MAX_RECTS) {
		ext = *pixman_region32_extents(&c->pending);
		rects = &ext;
		n = 1;
	}
	rects = g_memdup2(rects, sizeof(*rects) * (size_t)n);
	pixman_region32_clear(&c->pending);
	for (i = 0; i < n; i++) {
		pixman_box32_t *r = &rects[i];
		uint32_t w = (uint32_t)(r->x2 - r->x1);
		uint32_t h = (uint32_t)(r->y2 - r->y1);
		struct SpiceCoreDisplay *d;
		uint32_t color;

		if ((size_t)w * h > px_size) {
			px_size = (size_t)w * h;
			px = g_renew(uint32_t, px, px_size);
		}
		g_mutex_lock(&core->lock);
		d = core->displays[c->link.channel_id];
		if (!d || !d->has_primary || d->surface_gen != c->surface_gen ||
		    (uint32_t)r->x2 > d->width || (uint32_t)r->y2 > d->height) {
			g_mutex_unlock(&core->lock);
			break;		/* the surface changed meanwhile */
		}
		sc_fetch_rect(d->top, d->stride, d->format, (uint32_t)r->x1,
			      (uint32_t)r->y1, w, h, px);
		g_mutex_unlock(&core->lock);
		if ((size_t)w * h > 1 && sc_pixels_solid(px, (size_t)w * h,
							 &color))
			send_fill(c, r, color);
		else
			send_copy(c, r, px);
	}
	g_free(px);
	g_free(rects);
	return true;
}

void sc_display_pump(struct sc_conn *c)
{
	SpiceCore *core = c->core;

	while (sc_conn_can_send(c)) {
		struct SpiceCoreDisplay *d;
		uint32_t gen, w = 0, h = 0;
		bool has;

		g_mutex_lock(&core->lock);
		d = core->displays[c->link.channel_id];
		if (!d) {
			g_mutex_unlock(&core->lock);
			sc_conn_close(c, "display source removed");
			return;
		}
		gen = d->surface_gen;
		has = d->has_primary;
		if (has) {
			w = d->width;
			h = d->height;
		}
		if (gen != c->surface_gen) {
			if (c->surface_created)
				send_surface_destroy(c);
			c->surface_created = false;
			c->surface_gen = gen;
			pixman_region32_clear(&c->pending);
			if (has) {
				send_surface_create(c, w, h);
				send_monitors(c, d);
				c->heads_gen = d->heads_gen;
				c->surface_created = true;
				pixman_region32_union_rect(&c->pending,
							   &c->pending, 0, 0,
							   w, h);
			}
			g_mutex_unlock(&core->lock);
			continue;
		}
		if (c->surface_created && c->heads_gen != d->heads_gen) {
			send_monitors(c, d);
			c->heads_gen = d->heads_gen;
			g_mutex_unlock(&core->lock);
			continue;
		}
		g_mutex_unlock(&core->lock);
		if (!c->surface_created || !send_damage(c))
			break;
		if (!c->marked) {
			sc_msg_begin(c, SPICE_MSG_DISPLAY_MARK);
			sc_msg_end(c);
			c->marked = true;
		}
		sc_stat_add(core, &core->stats.frames, 1);
	}
}

void sc_display_start(struct sc_conn *c)
{
	SpiceCore *core = c->core;

	c->lz4 = sc_lz4_available() &&
		 core->cfg.image_compression != SPICE_CORE_COMPRESSION_OFF &&
		 sc_has_cap(c->link.channel_caps,
			    SPICE_DISPLAY_CAP_LZ4_COMPRESSION);
	c->surface_gen = (uint32_t)-1;
	sc_send_set_ack(c);
	g_mutex_lock(&core->lock);
	if (core->displays[c->link.channel_id])
		c->surface_gen =
			core->displays[c->link.channel_id]->surface_gen - 1;
	g_mutex_unlock(&core->lock);
	c->surface_gen--;	/* differs from the display's: create */
	c->surface_created = false;
	sc_display_pump(c);
}

int sc_display_handle(struct sc_conn *c, const struct sc_msg *m)
{
	switch (m->kind) {
	case SC_MSG_DISPLAY_INIT:
		return 0;
	case SC_MSG_DISPLAY_PREFERRED_COMPRESSION:
		/* Unknown values are ignored, never a disconnect. */
		if (m->u.compression == SPICE_IMAGE_COMPRESSION_OFF)
			c->lz4 = false;
		else if (m->u.compression >= SPICE_IMAGE_COMPRESSION_AUTO_GLZ &&
			 m->u.compression < SPICE_IMAGE_COMPRESSION_ENUM_END)
			c->lz4 = sc_lz4_available() &&
				 c->core->cfg.image_compression !=
				 SPICE_CORE_COMPRESSION_OFF &&
				 sc_has_cap(c->link.channel_caps,
					    SPICE_DISPLAY_CAP_LZ4_COMPRESSION);
		return 0;
	default:
		return 0;
	}
}
