// SPDX-License-Identifier: MIT
/* The display channel: surface create and destroy, damage coalesced per
 * client into a region and sent as DRAW_COPY (LZ4, QUIC, LZ or raw, per
 * client: sc_codec_choose) or DRAW_FILL of the latest pixels, MARK,
 * MONITORS_CONFIG. */
#include <string.h>

#include "channels/channels.h"
#include "channels/encode.h"

#define SC_MAX_RECTS 64		/* more damage rects: send their extents */

struct sc_display {
	uint32_t surface_gen, heads_gen;	/* the source's, as sent */
	bool surface_created, marked;
	pixman_region32_t pending;	/* damage not sent yet */
	struct sc_codec_client codecs;	/* what the client decodes */
};

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
	struct sc_buf *b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_SURFACE_CREATE);

	sc_buf_u32(b, 0);
	sc_buf_u32(b, w);
	sc_buf_u32(b, h);
	sc_buf_u32(b, SPICE_SURFACE_FMT_32_xRGB);
	sc_buf_u32(b, SPICE_SURFACE_FLAGS_PRIMARY);
	sc_msg_end(&c->wire);
}

static void send_surface_destroy(struct sc_conn *c)
{
	sc_buf_u32(sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_SURFACE_DESTROY), 0);
	sc_msg_end(&c->wire);
}

static void send_monitors(struct sc_conn *c, const struct SpiceCoreDisplay *d)
{
	struct spice_core_head one = { 0, 0, d->width, d->height };
	const struct spice_core_head *h = d->n_heads ? d->heads : &one;
	unsigned int n = d->n_heads ? d->n_heads : 1, i;
	struct sc_buf *b;

	if (!sc_has_cap(c->link.mess.channel_caps,
			SPICE_DISPLAY_CAP_MONITORS_CONFIG))
		return;
	b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_MONITORS_CONFIG);
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
	sc_msg_end(&c->wire);
}

static void send_fill(struct sc_conn *c, const pixman_box32_t *r,
		      uint32_t color)
{
	struct sc_buf *b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_DRAW_FILL);

	put_base(b, r->x1, r->y1, r->x2 - r->x1, r->y2 - r->y1);
	sc_buf_u8(b, SPICE_BRUSH_TYPE_SOLID);
	sc_buf_u32(b, color);
	sc_buf_u16(b, SPICE_ROPD_OP_PUT);
	put_no_mask(b);
	sc_msg_end(&c->wire);
	sc_model_count(c->chs->model, &c->chs->model->stats.fills, 1);
}

static void send_copy(struct sc_conn *c, const pixman_box32_t *r,
		      const uint32_t *px)
{
	struct sc_display *dc = c->priv;
	struct sc_model_stats *stats = &c->chs->model->stats;
	uint32_t w = (uint32_t)(r->x2 - r->x1), h = (uint32_t)(r->y2 - r->y1);
	uint64_t image_id = 0;	/* not cached: the id is unused */
	struct sc_buf *b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_DRAW_COPY);
	size_t img_off, img_at;
	enum sc_codec codec = sc_codec_choose(&dc->codecs, px, w, h);
	bool done = false;
	uint64_t *count;

	put_base(b, r->x1, r->y1, (int32_t)w, (int32_t)h);
	img_off = sc_msg_body_len(&c->wire);
	/* The image follows the fixed part: offset counted from the body. */
	sc_buf_u32(b, (uint32_t)(img_off + 4 + 16 + 2 + 1 + 13));
	put_rect(b, 0, 0, (int32_t)w, (int32_t)h);	/* src_area */
	sc_buf_u16(b, SPICE_ROPD_OP_PUT);
	sc_buf_u8(b, SPICE_IMAGE_SCALE_MODE_NEAREST);
	put_no_mask(b);
	img_at = b->len;
	switch (codec) {
	case SC_CODEC_LZ4:
		done = sc_encode_lz4(b, image_id, px, w, h);
		break;
	case SC_CODEC_QUIC:
		done = sc_encode_quic(b, image_id, px, w, h);
		break;
	case SC_CODEC_LZ:
		done = sc_encode_lz(b, image_id, px, w, h);
		break;
	case SC_CODEC_RAW:
		break;
	}
	if (!done) {
		codec = SC_CODEC_RAW;	/* the last resort */
		sc_encode_raw(b, image_id, px, w, h);
	}
	g_debug("%s: %s: DRAW_COPY %ux%u at %d,%d: %s, %zu bytes",
		c->st->peer, c->st->label, w, h, r->x1, r->y1,
		sc_codec_name(codec), b->len - img_at);
	sc_msg_end(&c->wire);
	count = codec == SC_CODEC_LZ4 ? &stats->images_lz4 :
		codec == SC_CODEC_QUIC ? &stats->images_quic :
		codec == SC_CODEC_LZ ? &stats->images_lz : &stats->images_raw;
	sc_model_count(c->chs->model, count, 1);
}

/* Send the pending region's latest pixels; the caller holds no lock. */
static bool send_damage(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;
	struct sc_model *model = c->chs->model;
	pixman_box32_t *rects, ext;
	uint32_t *px = NULL;
	size_t px_size = 0;
	int n, i;

	if (!pixman_region32_not_empty(&dc->pending))
		return false;
	rects = pixman_region32_rectangles(&dc->pending, &n);
	if (n > SC_MAX_RECTS) {
		ext = *pixman_region32_extents(&dc->pending);
		rects = &ext;
		n = 1;
	}
	rects = g_memdup2(rects, sizeof(*rects) * (size_t)n);
	pixman_region32_clear(&dc->pending);
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
		d = sc_model_lock_display(model, c->link.mess.channel_id);
		if (!d)
			break;		/* gone: the pump notices */
		if (!d->has_primary || d->surface_gen != dc->surface_gen ||
		    (uint32_t)r->x2 > d->width || (uint32_t)r->y2 > d->height) {
			g_mutex_unlock(&model->lock);
			break;		/* the surface changed meanwhile */
		}
		sc_fetch_rect(d->top, d->stride, d->format, (uint32_t)r->x1,
			      (uint32_t)r->y1, w, h, px);
		g_mutex_unlock(&model->lock);
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

/* A new surface (or none): destroy the old one at the client, create the
 * new one with its monitors and all of it pending.  Model locked. */
static void new_surface(struct sc_conn *c, const struct SpiceCoreDisplay *d)
{
	struct sc_display *dc = c->priv;

	if (dc->surface_created)
		send_surface_destroy(c);
	dc->surface_created = false;
	dc->surface_gen = d->surface_gen;
	pixman_region32_clear(&dc->pending);
	if (!d->has_primary)
		return;
	send_surface_create(c, d->width, d->height);
	send_monitors(c, d);
	dc->heads_gen = d->heads_gen;
	dc->surface_created = true;
	pixman_region32_union_rect(&dc->pending, &dc->pending, 0, 0, d->width,
				   d->height);
}

static void display_pump(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;
	struct sc_model *model = c->chs->model;

	while (sc_wire_can_send(&c->wire)) {
		struct SpiceCoreDisplay *d = sc_conn_lock_display(c);

		if (!d)
			return;
		if (d->surface_gen != dc->surface_gen) {
			new_surface(c, d);
			g_mutex_unlock(&model->lock);
			continue;
		}
		if (dc->surface_created && dc->heads_gen != d->heads_gen) {
			send_monitors(c, d);
			dc->heads_gen = d->heads_gen;
			g_mutex_unlock(&model->lock);
			continue;
		}
		g_mutex_unlock(&model->lock);
		if (!dc->surface_created || !send_damage(c))
			break;
		if (!dc->marked) {
			sc_msg_send_empty(&c->wire, SPICE_MSG_DISPLAY_MARK);
			dc->marked = true;
		}
		sc_model_count(model, &model->stats.frames, 1);
	}
}

static bool lz4_announced(const struct sc_conn *c)
{
	return sc_lz4_available() &&
	       sc_has_cap(c->link.mess.channel_caps,
			  SPICE_DISPLAY_CAP_LZ4_COMPRESSION);
}

static void display_start(struct sc_conn *c)
{
	struct sc_display *dc = g_new0(struct sc_display, 1);
	struct SpiceCoreDisplay *d;

	c->priv = dc;
	pixman_region32_init(&dc->pending);
	dc->codecs.server = c->chs->model->compression;
	dc->codecs.lz4 = lz4_announced(c);
	sc_wire_set_ack(&c->wire);
	/* Differs from the source's: the first pump creates the surface. */
	dc->surface_gen = (uint32_t)-2;
	d = sc_model_lock_display(c->chs->model, c->link.mess.channel_id);
	if (d) {
		dc->surface_gen = d->surface_gen - 2;
		g_mutex_unlock(&c->chs->model->lock);
	}
	display_pump(c);
}

static int display_handle(struct sc_conn *c, const struct sc_msg *m)
{
	struct sc_display *dc = c->priv;

	/* Unknown PREFERRED_COMPRESSION values are ignored, never a
	 * disconnect. */
	if (m->kind != SC_MSG_DISPLAY_PREFERRED_COMPRESSION)
		return 0;
	if (m->u.compression > SPICE_IMAGE_COMPRESSION_INVALID &&
	    m->u.compression < SPICE_IMAGE_COMPRESSION_ENUM_END)
		dc->codecs.preferred = m->u.compression;
	return 0;
}

static void display_changed(struct sc_conn *c, struct sc_changes *ch)
{
	struct sc_display *dc = c->priv;

	pixman_region32_union(&dc->pending, &dc->pending,
			      &ch->damage[c->link.mess.channel_id]);
}

static void display_close(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;

	pixman_region32_fini(&dc->pending);
}

const struct sc_channel_ops sc_display_channel = {
	.name = "display",
	.type = SPICE_CHANNEL_DISPLAY,
	.caps = 1u << SPICE_DISPLAY_CAP_MONITORS_CONFIG |
		1u << SPICE_DISPLAY_CAP_PREF_COMPRESSION,
	.parse = sc_parse_display,
	.exists = sc_exists_per_display,
	.start = display_start,
	.handle = display_handle,
	.pump = display_pump,
	.changed = display_changed,
	.close = display_close,
};
