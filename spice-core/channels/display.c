// SPDX-License-Identifier: MIT
/*
 * The display channel: surface create and destroy, MONITORS_CONFIG, MARK,
 * and the source's changes to each client:
 *
 *   copies   the source's copies (spice_core_display_copy) as COPY_BITS,
 *            when the client is up to date with the source area, else as
 *            damage;
 *   damage   coalesced per client into a region and sent from the latest
 *            pixels.  With the client's picture kept (the shadow: what
 *            was sent), each damaged rectangle is trimmed to what
 *            changed, and a block of it that the client already has
 *            elsewhere (a moved window, a scroll) goes as COPY_BITS
 *            (moves.c); the rest as DRAW_FILL or DRAW_COPY, cut into
 *            pieces of one codec each (sc_codec_plan: QUIC for photo-like
 *            areas, LZ4 or LZ for the rest), each image found in the
 *            client's image cache sent as FROM_CACHE (imgcache.c);
 *   video    with config.video_streaming, a rectangle updated at a
 *            video's rate as an MJPEG stream (video.c), lossy until it
 *            stops, then sent again losslessly.
 *
 * The first update of a surface is one DRAW_COPY (or DRAW_FILL) of all of
 * it: spicy-screenshot saves on the first draw.
 */
#include <string.h>

#include "channels/channels.h"
#include "channels/encode.h"
#include "channels/imgcache.h"
#include "channels/moves.h"
#include "channels/video.h"

#define SC_MAX_RECTS	64	/* more damage rects: send their extents */
#define SC_MAX_OUT_COPIES 64	/* COPY_BITS waiting: more become damage */
#define SC_SHADOW_MAX	(16u << 20)	/* pixels: larger keep no shadow */
/* A source's copy of this many pixels or more is not replayed in the
 * shadow: its destination is marked stale instead (shadow_copy).  The
 * network fuzzer sets it low for its small surfaces. */
#ifndef SC_STALE_COPY_MIN
#define SC_STALE_COPY_MIN 65536
#endif
#define SC_STALE_MAX_RECTS 64	/* more: the stale region's extents */
#define SC_VIDEO_TICK_MS 250

struct sc_out_copy {
	pixman_box32_t dst;
	int32_t src_x, src_y;
};

struct sc_display {
	struct sc_conn *conn;
	uint32_t surface_gen, heads_gen;	/* the source's, as sent */
	bool surface_created, marked;
	uint32_t cw, ch;		/* the surface created, its size */
	bool fresh;			/* the surface's first update is due */
	pixman_region32_t pending;	/* damage not sent yet */
	GArray *copies;			/* struct sc_out_copy, due first */
	struct sc_codec_client codecs;	/* what the client decodes */
	/* The client's picture as sent (NULL: not kept); where the
	 * client's differs from it (lossy stream frames); and where the
	 * shadow is stale: the client shows there what the source showed
	 * (less pending damage), but the shadow was not told (a large copy
	 * from the source, shadow_copy).  Neither lossy nor stale pixels
	 * are ever compared with or taken from the shadow. */
	uint32_t *shadow;
	uint32_t sw, sh;
	pixman_region32_t lossy;
	pixman_region32_t stale;
	int32_t hint_dx, hint_dy;	/* the last move found */
	struct sc_imgcache cache;
	GArray *dropped;		/* cache ids to invalidate (u64) */
	GHashTable *onscreen;		/* pixel hash -> where it was drawn */
	struct sc_video video;
	bool video_create_due;
	uint32_t next_stream_id;
	GSource *video_timer;
	uint32_t *buf;			/* scratch pixels */
	size_t buf_size;
};

static struct sc_model_stats *stats(struct sc_conn *c)
{
	return &c->chs->model->stats;
}

static void count(struct sc_conn *c, uint64_t *field)
{
	sc_model_count(c->chs->model, field, 1);
}

/* g_debug formats its message before any handler can drop it; these run
 * for every image and move, so they are skipped unless someone listens
 * (G_MESSAGES_DEBUG, as GLib's and QEMU's handlers decide). */
#define debug(...)							\
	do {								\
		if (!g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG,	\
						     G_LOG_DOMAIN))	\
			g_debug(__VA_ARGS__);				\
	} while (0)

static uint32_t *scratch(struct sc_display *dc, size_t n)
{
	if (n > dc->buf_size) {
		g_free(dc->buf);
		dc->buf = g_new(uint32_t, n);
		dc->buf_size = n;
	}
	return dc->buf;
}

static void put_rect(struct sc_buf *b, int32_t x, int32_t y, int32_t w,
		     int32_t h)
{
	sc_buf_u32(b, (uint32_t)y);		/* top */
	sc_buf_u32(b, (uint32_t)x);		/* left */
	sc_buf_u32(b, (uint32_t)(y + h));	/* bottom */
	sc_buf_u32(b, (uint32_t)(x + w));	/* right */
}

static void put_box(struct sc_buf *b, const pixman_box32_t *r)
{
	put_rect(b, r->x1, r->y1, r->x2 - r->x1, r->y2 - r->y1);
}

static void put_base(struct sc_buf *b, const pixman_box32_t *r)
{
	sc_buf_u32(b, 0);			/* surface_id */
	put_box(b, r);
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

/* The shadow --------------------------------------------------------------- */

/* The client now shows px (stride pixels a row) at r. */
static void shadow_put(struct sc_display *dc, const pixman_box32_t *r,
		       const uint32_t *px, size_t stride)
{
	size_t w = (size_t)(r->x2 - r->x1);
	int32_t y;

	if (!dc->shadow)
		return;
	/* Fetched into the shadow already (send_rect_in_place). */
	if (px != dc->shadow + (size_t)r->y1 * dc->sw + r->x1)
		for (y = r->y1; y < r->y2; y++)
			memcpy(dc->shadow + (size_t)y * dc->sw + r->x1,
			       px + (size_t)(y - r->y1) * stride, w * 4);
	pixman_region32_subtract(&dc->stale, &dc->stale,
				 &(pixman_region32_t){ *r, NULL });
}

/* Mark region `add` stale.  A larger stale region is always right (it
 * only keeps pixels from being compared), so a complex one becomes its
 * extents: region operations stay cheap whatever the copies. */
static void stale_add(struct sc_display *dc, pixman_region32_t *add)
{
	pixman_region32_union(&dc->stale, &dc->stale, add);
	if (pixman_region32_n_rects(&dc->stale) > SC_STALE_MAX_RECTS) {
		pixman_box32_t e = *pixman_region32_extents(&dc->stale);

		pixman_region32_reset(&dc->stale, &e);
	}
}

static bool touches(pixman_region32_t *reg, const pixman_box32_t *r)
{
	return pixman_region32_contains_rectangle(reg, (pixman_box32_t *)r) !=
	       PIXMAN_REGION_OUT;
}

/* Whether any pixel of r is lossy or stale: the shadow cannot tell what
 * the client shows there. */
static bool shadow_unsure(struct sc_display *dc, const pixman_box32_t *r)
{
	return touches(&dc->lossy, r) || touches(&dc->stale, r);
}

/*
 * COPY_BITS as the client does it: dst takes what src held.  A source's
 * copy (`lazy`) of SC_STALE_COPY_MIN pixels or more is not moved in the
 * shadow: dst becomes stale instead.  That is right because a copy is
 * forwarded only when the client has the source area as the source had
 * it (take_copy), so afterwards the client's dst is the source's dst;
 * what the source draws there later comes as damage, which is then sent
 * whole (a stale rectangle is not trimmed) and makes those pixels known
 * again (shadow_put).  A dragged window costs a region operation a frame
 * instead of a move of all its pixels.  Otherwise the pixels are moved
 * and stale pixels of src stay stale at dst.
 */
static void shadow_copy(struct sc_display *dc, const pixman_box32_t *dst,
			int32_t sx, int32_t sy, bool lazy)
{
	size_t w = (size_t)(dst->x2 - dst->x1), sw = dc->sw;
	int32_t h = dst->y2 - dst->y1, i;
	pixman_region32_t moved;

	if (!dc->shadow)
		return;
	pixman_region32_init_rect(&moved, dst->x1, dst->y1, (unsigned)w,
				  (unsigned)h);
	if (lazy && (uint64_t)w * (uint64_t)h >= SC_STALE_COPY_MIN) {
		stale_add(dc, &moved);
		pixman_region32_fini(&moved);
		return;
	}
	/* What was stale at src is stale at dst; the rest of dst is
	 * known. */
	pixman_region32_translate(&moved, sx - dst->x1, sy - dst->y1);
	pixman_region32_intersect(&moved, &moved, &dc->stale);
	pixman_region32_translate(&moved, dst->x1 - sx, dst->y1 - sy);
	pixman_region32_subtract(&dc->stale, &dc->stale,
				 &(pixman_region32_t){ *dst, NULL });
	if (pixman_region32_not_empty(&moved))
		stale_add(dc, &moved);
	pixman_region32_fini(&moved);
	for (i = 0; i < h; i++) {
		/* Rows in the order that reads each before it is written. */
		int32_t k = sy < dst->y1 ? h - 1 - i : i;

		memmove(dc->shadow + (size_t)(dst->y1 + k) * sw + dst->x1,
			dc->shadow + (size_t)(sy + k) * sw + sx, w * 4);
	}
}

/* Drawing ------------------------------------------------------------------ */

/* The shadow already holds r's pixels (send_pixels put them there). */
static void send_fill(struct sc_conn *c, const pixman_box32_t *r,
		      uint32_t color)
{
	struct sc_buf *b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_DRAW_FILL);

	put_base(b, r);
	sc_buf_u8(b, SPICE_BRUSH_TYPE_SOLID);
	sc_buf_u32(b, color);
	sc_buf_u16(b, SPICE_ROPD_OP_PUT);
	put_no_mask(b);
	sc_msg_end(&c->wire);
	count(c, &stats(c)->fills);
}

/* replay: the shadow does the move too (false: it holds dst's pixels
 * already, an image found on screen); lazy: a source's copy (see
 * shadow_copy). */
static void send_copy_bits(struct sc_conn *c, const pixman_box32_t *dst,
			   int32_t sx, int32_t sy, bool replay, bool lazy)
{
	struct sc_buf *b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_COPY_BITS);

	put_base(b, dst);
	sc_buf_u32(b, (uint32_t)sx);
	sc_buf_u32(b, (uint32_t)sy);
	sc_msg_end(&c->wire);
	if (replay)
		shadow_copy(c->priv, dst, sx, sy, lazy);
	count(c, &stats(c)->copies);
	debug("%s: %s: COPY_BITS %dx%d at %d,%d from %d,%d", c->st->peer,
		c->st->label, dst->x2 - dst->x1, dst->y2 - dst->y1, dst->x1,
		dst->y1, sx, sy);
}

/* Tell the client to forget the cache ids waiting in dc->dropped. */
static void send_inval(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;
	struct sc_buf *b;
	unsigned int i;

	if (!dc->dropped->len)
		return;
	b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_INVAL_LIST);
	sc_buf_u16(b, (uint16_t)dc->dropped->len);
	for (i = 0; i < dc->dropped->len; i++) {
		sc_buf_u8(b, SPICE_RES_TYPE_PIXMAP);
		sc_buf_u64(b, g_array_index(dc->dropped, uint64_t, i));
	}
	sc_msg_end(&c->wire);
	g_array_set_size(dc->dropped, 0);
}

#define SC_ONSCREEN_MAX	65536	/* positions remembered */

/* Where the client shows these pixels already (the shadow says so, and
 * they are exact and not stale there), outside `busy` (the rectangle
 * being sent, whose shadow is ahead of the client): a COPY_BITS source,
 * or false. */
static bool onscreen_find(struct sc_display *dc, uint64_t hash,
			  const pixman_box32_t *r, const uint32_t *px,
			  size_t stride, const pixman_box32_t *busy,
			  int32_t *sx, int32_t *sy)
{
	int32_t w = r->x2 - r->x1, h = r->y2 - r->y1, y;
	gint64 *at = g_hash_table_lookup(dc->onscreen, &hash);
	pixman_box32_t src;

	if (!at)
		return false;
	src.x1 = (int32_t)(at[1] >> 32);
	src.y1 = (int32_t)(uint32_t)at[1];
	src.x2 = src.x1 + w;
	src.y2 = src.y1 + h;
	if (src.x1 < 0 || src.y1 < 0 || (uint32_t)src.x2 > dc->sw ||
	    (uint32_t)src.y2 > dc->sh ||
	    (src.x1 < busy->x2 && busy->x1 < src.x2 && src.y1 < busy->y2 &&
	     busy->y1 < src.y2) || shadow_unsure(dc, &src))
		return false;
	for (y = 0; y < h; y++)
		if (memcmp(dc->shadow + (size_t)(src.y1 + y) * dc->sw + src.x1,
			   px + (size_t)y * stride, (size_t)w * 4))
			return false;
	*sx = src.x1;
	*sy = src.y1;
	return true;
}

static void onscreen_note(struct sc_display *dc, uint64_t hash,
			  const pixman_box32_t *r)
{
	gint64 *at = g_new(gint64, 2);

	if (g_hash_table_size(dc->onscreen) >= SC_ONSCREEN_MAX)
		g_hash_table_remove_all(dc->onscreen);
	at[0] = (gint64)hash;
	at[1] = (gint64)((uint64_t)(uint32_t)r->x1 << 32 | (uint32_t)r->y1);
	g_hash_table_replace(dc->onscreen, at, at);
}

/* send_image's codec when it is chosen only if the image is encoded. */
#define CODEC_LATER	(-1)

/* DRAW_COPY of the pixels px (stride pixels a row) at r: a COPY_BITS
 * when the client shows them elsewhere (outside busy), else from the
 * client's cache, else encoded with `codec_or_later` (kept by the client
 * when worth it). */
static void send_image(struct sc_conn *c, const pixman_box32_t *r,
		       const uint32_t *px, size_t stride, int codec_or_later,
		       const pixman_box32_t *busy)
{
	struct sc_display *dc = c->priv;
	struct sc_model_stats *st = stats(c);
	uint32_t w = (uint32_t)(r->x2 - r->x1), h = (uint32_t)(r->y2 - r->y1);
	uint64_t id = 0, hash = 0, *counter;
	bool cached = false, keep = false, done = false;
	enum sc_codec codec;
	size_t img_off, img_at;
	struct sc_buf *b;

	if ((dc->cache.budget || dc->shadow) &&
	    (uint64_t)w * h >= SC_CODEC_MIN_PIXELS &&
	    (uint64_t)w * h <= SC_CACHE_MAX_PIXELS) {
		int32_t sx, sy;

		hash = sc_pixels_hash(px, stride, w, h);
		if (dc->shadow) {
			if (onscreen_find(dc, hash, r, px, stride, busy, &sx,
					  &sy)) {
				send_copy_bits(c, r, sx, sy, false, false);
				onscreen_note(dc, hash, r);
				return;
			}
			onscreen_note(dc, hash, r);
		}
	}
	if (hash && dc->cache.budget) {
		cached = sc_imgcache_lookup(&dc->cache, hash, &id);
		if (!cached) {
			keep = sc_imgcache_add(&dc->cache, hash,
					       (uint64_t)w * h, &id,
					       dc->dropped);
			send_inval(c);
		}
	}
	b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_DRAW_COPY);
	put_base(b, r);
	img_off = sc_msg_body_len(&c->wire);
	/* The image follows the fixed part: offset counted from the body. */
	sc_buf_u32(b, (uint32_t)(img_off + 4 + 16 + 2 + 1 + 13));
	put_rect(b, 0, 0, (int32_t)w, (int32_t)h);	/* src_area */
	sc_buf_u16(b, SPICE_ROPD_OP_PUT);
	sc_buf_u8(b, SPICE_IMAGE_SCALE_MODE_NEAREST);
	put_no_mask(b);
	img_at = b->len;
	if (cached) {
		sc_buf_u64(b, id);
		sc_buf_u8(b, SPICE_IMAGE_TYPE_FROM_CACHE);
		sc_buf_u8(b, 0);
		sc_buf_u32(b, w);
		sc_buf_u32(b, h);
		sc_msg_end(&c->wire);
		count(c, &st->cache_hits);
		debug("%s: %s: DRAW_COPY %ux%u at %d,%d: cache %" G_GUINT64_FORMAT,
			c->st->peer, c->st->label, w, h, r->x1, r->y1, id);
		return;
	}
	codec = codec_or_later == CODEC_LATER ?
		sc_codec_choose(&dc->codecs, px, stride, w, h) :
		(enum sc_codec)codec_or_later;
	switch (codec) {
	case SC_CODEC_LZ4:
		done = sc_encode_lz4(b, id, px, stride, w, h);
		break;
	case SC_CODEC_QUIC:
		done = sc_encode_quic(b, id, px, stride, w, h);
		break;
	case SC_CODEC_LZ:
		done = sc_encode_lz(b, id, px, stride, w, h);
		break;
	case SC_CODEC_RAW:
		break;
	}
	if (!done) {
		codec = SC_CODEC_RAW;	/* the last resort */
		sc_encode_raw(b, id, px, stride, w, h);
	}
	if (keep) {
		/* descriptor: id (8 bytes), type, then flags */
		b->data[img_at + 9] = SPICE_IMAGE_FLAGS_CACHE_ME;
		count(c, &st->cache_adds);
	}
	debug("%s: %s: DRAW_COPY %ux%u at %d,%d: %s, %zu bytes%s",
		c->st->peer, c->st->label, w, h, r->x1, r->y1,
		sc_codec_name(codec), b->len - img_at, keep ? ", kept" : "");
	sc_msg_end(&c->wire);
	counter = codec == SC_CODEC_LZ4 ? &st->images_lz4 :
		  codec == SC_CODEC_QUIC ? &st->images_quic :
		  codec == SC_CODEC_LZ ? &st->images_lz : &st->images_raw;
	count(c, counter);
}

/* Pixels of r (px, stride pixels a row) as fills and images, in pieces
 * of one codec each (or one image when `whole`). */
static void send_pixels(struct sc_conn *c, const pixman_box32_t *r,
			const uint32_t *px, size_t stride, bool whole)
{
	struct sc_display *dc = c->priv;
	uint32_t w = (uint32_t)(r->x2 - r->x1), h = (uint32_t)(r->y2 - r->y1);
	struct sc_piece pieces[SC_PLAN_MAX];
	unsigned int n, i;
	uint32_t color;
	bool later = false;

	shadow_put(dc, r, px, stride);
	if ((size_t)w * h > 1 && sc_rect_solid(px, stride, w, h, &color)) {
		send_fill(c, r, color);
		return;
	}
	if (whole || (uint64_t)w * h < SC_PLAN_MIN_PIXELS) {
		/* One piece (as sc_codec_plan makes of a small one), its
		 * codec chosen only if it is not on screen or cached. */
		pieces[0] = (struct sc_piece){ 0, 0, w, h, 0 };
		n = 1;
		later = true;
	} else {
		n = sc_codec_plan(&dc->codecs, px, stride, w, h, pieces);
	}
	for (i = 0; i < n; i++) {
		const struct sc_piece *p = &pieces[i];
		const uint32_t *at = px + (size_t)p->y * stride + p->x;
		pixman_box32_t box = { r->x1 + (int32_t)p->x,
				       r->y1 + (int32_t)p->y,
				       r->x1 + (int32_t)(p->x + p->w),
				       r->y1 + (int32_t)(p->y + p->h) };
		int codec = later ? CODEC_LATER : (int)p->codec;

		if (n > 1 && (size_t)p->w * p->h > 1 &&
		    sc_rect_solid(at, stride, p->w, p->h, &color)) {
			send_fill(c, &box, color);
			continue;
		}
		send_image(c, &box, at, stride, codec, r);
	}
}

/* What one damaged rectangle comes to (rect_plan): the box of it that
 * changed, a block of that found moved (COPY_BITS), and the rest, sent
 * as pixels. */
struct rect_plan {
	pixman_box32_t b;
	bool moved;
	pixman_box32_t a;
	int32_t dx, dy;
	pixman_box32_t rest[4];
	int n_rest;
};

/* Decide r against the shadow from its latest pixels px (stride pixels a
 * row, (0, 0) at r's top left); false when nothing in it changed.  Reads
 * px and the shadow only.  lossy: r has lossy pixels, so all of it is
 * sent; its stale pixels are sent whatever the shadow holds there. */
static bool rect_plan(struct sc_display *dc, const pixman_box32_t *r,
		      const uint32_t *px, size_t stride, bool lossy,
		      struct rect_plan *p)
{
	pixman_region32_t rest, avoid;
	/* no region to avoid (the usual case), one of the two, or both */
	const pixman_region32_t *av = &avoid;
	const pixman_box32_t *q;
	int n, i;

	p->b = *r;
	p->moved = false;
	if (!lossy) {
		bool changed = sc_diff_box(dc->shadow, dc->sw, r, px, stride,
					   &p->b);

		if (touches(&dc->stale, r)) {
			pixman_region32_t st;
			pixman_box32_t e;

			pixman_region32_init_rect(&st, r->x1, r->y1,
						  (unsigned)(r->x2 - r->x1),
						  (unsigned)(r->y2 - r->y1));
			pixman_region32_intersect(&st, &st, &dc->stale);
			e = *pixman_region32_extents(&st);
			pixman_region32_fini(&st);
			if (changed) {
				p->b.x1 = MIN(p->b.x1, e.x1);
				p->b.y1 = MIN(p->b.y1, e.y1);
				p->b.x2 = MAX(p->b.x2, e.x2);
				p->b.y2 = MAX(p->b.y2, e.y2);
			} else {
				p->b = e;
			}
			changed = true;
		}
		if (!changed)
			return false;
		px += (size_t)(p->b.y1 - r->y1) * stride +
		      (size_t)(p->b.x1 - r->x1);
	}
	/* r stays lossy or stale while it is sent: the shadow there does
	 * not hold what the client shows, so neither a move nor an image
	 * already on screen may take pixels from it. */
	pixman_region32_init(&avoid);
	if (!pixman_region32_not_empty(&dc->stale))
		av = pixman_region32_not_empty(&dc->lossy) ? &dc->lossy : NULL;
	else if (!pixman_region32_not_empty(&dc->lossy))
		av = &dc->stale;
	else
		pixman_region32_union(&avoid, &dc->lossy, &dc->stale);
	p->moved = sc_find_move(dc->shadow, dc->sw, dc->sh, &p->b, px, stride,
				av, dc->hint_dx, dc->hint_dy, &p->a,
				&p->dx, &p->dy);
	pixman_region32_fini(&avoid);
	if (!p->moved) {
		p->rest[0] = p->b;
		p->n_rest = 1;
		return true;
	}
	pixman_region32_init_rect(&rest, p->b.x1, p->b.y1,
				  (unsigned)(p->b.x2 - p->b.x1),
				  (unsigned)(p->b.y2 - p->b.y1));
	pixman_region32_subtract(&rest, &rest,
				 &(pixman_region32_t){ p->a, NULL });
	q = pixman_region32_rectangles(&rest, &n);
	/* A box less a box inside it: at most four bands' pieces.  More
	 * would be our bug (a move found outside b): warned (the fuzzers
	 * trap on it) and sent as pixels, nothing lost. */
	if (n > (int)G_N_ELEMENTS(p->rest)) {
		g_warning("display: a move leaves %d pieces of its rectangle",
			  n);
		pixman_region32_fini(&rest);
		p->moved = false;
		p->rest[0] = p->b;
		p->n_rest = 1;
		return true;
	}
	p->n_rest = n;
	for (i = 0; i < n; i++)
		p->rest[i] = q[i];
	pixman_region32_fini(&rest);
	return true;
}

/* Send what p decided: the move, then each rest[i] from px[i] (stride[i]
 * pixels a row). */
static void rect_send(struct sc_conn *c, const pixman_box32_t *r,
		      const struct rect_plan *p, bool lossy,
		      const uint32_t *const *px, const size_t *stride)
{
	struct sc_display *dc = c->priv;
	int i;

	if (p->moved) {
		dc->hint_dx = p->dx;
		dc->hint_dy = p->dy;
		send_copy_bits(c, &p->a, p->a.x1 + p->dx, p->a.y1 + p->dy,
			       true, false);
		count(c, &stats(c)->moves);
	}
	for (i = 0; i < p->n_rest; i++)
		send_pixels(c, &p->rest[i], px[i], stride[i], false);
	if (lossy)
		pixman_region32_subtract(&dc->lossy, &dc->lossy,
					 &(pixman_region32_t){ *r, NULL });
}

/* A damaged rectangle r whose latest pixels are px (packed): what
 * changed, moved blocks as COPY_BITS, the rest as pixels. */
static void send_rect(struct sc_conn *c, const pixman_box32_t *r,
		      const uint32_t *px)
{
	struct sc_display *dc = c->priv;
	size_t stride = (size_t)(r->x2 - r->x1), strides[4];
	const uint32_t *at[4];
	struct rect_plan p;
	bool lossy;
	int i;

	if (!dc->shadow) {
		send_pixels(c, r, px, stride, false);
		return;
	}
	lossy = touches(&dc->lossy, r);
	if (!rect_plan(dc, r, px, stride, lossy, &p)) {
		count(c, &stats(c)->unchanged);
		return;
	}
	for (i = 0; i < p.n_rest; i++) {
		at[i] = px + (size_t)(p.rest[i].y1 - r->y1) * stride +
			(size_t)(p.rest[i].x1 - r->x1);
		strides[i] = stride;
	}
	rect_send(c, r, &p, lossy, at, strides);
}

/* Video --------------------------------------------------------------------- */

static void send_stream_create(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;
	const pixman_box32_t *r = &dc->video.box;
	uint32_t w = (uint32_t)(r->x2 - r->x1), h = (uint32_t)(r->y2 - r->y1);
	struct sc_buf *b = sc_msg_begin(&c->wire,
					SPICE_MSG_DISPLAY_STREAM_CREATE);

	sc_buf_u32(b, 0);			/* surface_id */
	sc_buf_u32(b, dc->video.id);
	sc_buf_u8(b, SPICE_STREAM_FLAGS_TOP_DOWN);
	sc_buf_u8(b, SPICE_VIDEO_CODEC_TYPE_MJPEG);
	sc_buf_u64(b, 0);			/* stamp */
	sc_buf_u32(b, w);			/* stream size */
	sc_buf_u32(b, h);
	sc_buf_u32(b, w);			/* source size */
	sc_buf_u32(b, h);
	put_box(b, r);				/* dest */
	sc_buf_u8(b, SPICE_CLIP_TYPE_NONE);
	sc_msg_end(&c->wire);
	count(c, &stats(c)->streams);
	g_message("%s: %s: MJPEG stream %u opened at %ux%u+%d+%d",
		  c->st->peer, c->st->label, dc->video.id, w, h, r->x1, r->y1);
}

/* Close the stream; its area is sent again losslessly. */
static void video_stop(struct sc_conn *c, bool refresh)
{
	struct sc_display *dc = c->priv;

	if (!dc->video.active)
		return;
	if (!dc->video_create_due) {
		sc_buf_u32(sc_msg_begin(&c->wire,
					SPICE_MSG_DISPLAY_STREAM_DESTROY),
			   dc->video.id);
		sc_msg_end(&c->wire);
	}
	dc->video.active = false;
	dc->video_create_due = false;
	dc->video.count = 0;
	if (refresh)
		pixman_region32_union_rect(&dc->pending, &dc->pending,
			dc->video.box.x1, dc->video.box.y1,
			(unsigned)(dc->video.box.x2 - dc->video.box.x1),
			(unsigned)(dc->video.box.y2 - dc->video.box.y1));
	sc_source_drop(&dc->video_timer);
	g_message("%s: %s: MJPEG stream %u closed", c->st->peer,
		  c->st->label, dc->video.id);
}

/* The stream's frame from px (the box's pixels, packed). */
static void send_stream_frame(struct sc_conn *c, const uint32_t *px)
{
	struct sc_display *dc = c->priv;
	const pixman_box32_t *r = &dc->video.box;
	uint32_t w = (uint32_t)(r->x2 - r->x1), h = (uint32_t)(r->y2 - r->y1);
	uint8_t *jpg;
	size_t n = sc_jpeg_encode(px, w, w, h, c->chs->model->video_quality,
				  &jpg);
	struct sc_buf *b;

	if (!n) {		/* cannot encode: lossless, stream ends */
		send_pixels(c, r, px, w, false);
		video_stop(c, false);
		return;
	}
	if (dc->video_create_due) {
		send_stream_create(c);
		dc->video_create_due = false;
	}
	b = sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_STREAM_DATA);
	sc_buf_u32(b, dc->video.id);
	sc_buf_u32(b, (uint32_t)(g_get_monotonic_time() / 1000) +
		   SC_VIDEO_DELAY_MS);
	sc_buf_u32(b, (uint32_t)n);
	sc_buf_put(b, jpg, n);
	sc_msg_end(&c->wire);
	g_free(jpg);
	shadow_put(dc, r, px, w);
	pixman_region32_union_rect(&dc->lossy, &dc->lossy, r->x1, r->y1, w, h);
	dc->video.updated_us = g_get_monotonic_time();
	count(c, &stats(c)->stream_frames);
}

static gboolean video_tick(gpointer data)
{
	struct sc_conn *c = data;
	struct sc_display *dc = c->priv;

	if (!sc_conn_running(c) || !dc->video.active)
		return G_SOURCE_CONTINUE;
	if (g_get_monotonic_time() - dc->video.updated_us < SC_VIDEO_IDLE_US)
		return G_SOURCE_CONTINUE;
	video_stop(c, true);	/* drops this timer: GLib holds it until we
				 * return */
	c->ops->pump(c);
	sc_stream_flush(c->st);
	return G_SOURCE_REMOVE;
}

/* Damage ------------------------------------------------------------------ */

/* Copy w x h pixels at (x, y) of the source into px; false if the source
 * changed under us (the pump notices). */
static bool fetch(struct sc_conn *c, const pixman_box32_t *r, uint32_t *px)
{
	struct sc_display *dc = c->priv;
	struct sc_model *model = c->chs->model;
	struct SpiceCoreDisplay *d;

	d = sc_model_lock_display(model, c->link.mess.channel_id);
	if (!d)
		return false;		/* gone: the pump notices */
	if (!d->has_primary || d->surface_gen != dc->surface_gen ||
	    (uint32_t)r->x2 > d->width || (uint32_t)r->y2 > d->height) {
		g_mutex_unlock(&model->lock);
		return false;		/* the surface changed meanwhile */
	}
	sc_fetch_rect(d->top, d->stride, d->format, (uint32_t)r->x1,
		      (uint32_t)r->y1, (uint32_t)(r->x2 - r->x1),
		      (uint32_t)(r->y2 - r->y1), px, (size_t)(r->x2 - r->x1));
	g_mutex_unlock(&model->lock);
	return true;
}

/* The source's pixels can be read where they are: 32-bit, rows top-down
 * on 4-byte boundaries (the format fetch copies unchanged). */
static bool readable_in_place(const struct SpiceCoreDisplay *d)
{
	return (d->format == SPICE_CORE_FMT_32_xRGB ||
		d->format == SPICE_CORE_FMT_32_ARGB) &&
	       d->stride > 0 && d->stride % 4 == 0 &&
	       ((uintptr_t)d->top & 3) == 0;
}

/*
 * send_rect without copying r out first: under the model lock, r is
 * compared with the shadow and searched for moves in the source's own
 * pixels, and only the pieces to be sent as pixels are copied out
 * (packed, so the encoders need no second copy).  The source may change
 * while it is read, as it may during a copy: whatever it changes after
 * comes as damage, and the shadow only takes what is sent (the moves
 * from the shadow itself, pixels from the copies).  1: done, 0: not
 * readable in place (fetch), -1: the source changed (the pump notices).
 */
static int send_rect_in_place(struct sc_conn *c, const pixman_box32_t *r)
{
	struct sc_display *dc = c->priv;
	struct sc_model *model = c->chs->model;
	struct SpiceCoreDisplay *d;
	const uint32_t *src, *at[4];
	size_t stride, strides[4], off = 0, total = 0;
	struct rect_plan p;
	uint32_t *px;
	bool lossy;
	int i;

	d = sc_model_lock_display(model, c->link.mess.channel_id);
	if (!d)
		return -1;
	if (!d->has_primary || d->surface_gen != dc->surface_gen ||
	    (uint32_t)r->x2 > d->width || (uint32_t)r->y2 > d->height) {
		g_mutex_unlock(&model->lock);
		return -1;
	}
	if (!readable_in_place(d)) {
		g_mutex_unlock(&model->lock);
		return 0;
	}
	stride = (size_t)d->stride / 4;
	src = (const uint32_t *)d->top + (size_t)r->y1 * stride +
	      (size_t)r->x1;
	lossy = touches(&dc->lossy, r);
	if (!rect_plan(dc, r, src, stride, lossy, &p)) {
		g_mutex_unlock(&model->lock);
		count(c, &stats(c)->unchanged);
		return 1;
	}
	if (dc->shadow && p.n_rest == 1 && !p.moved) {
		/*
		 * One piece, no move: straight into the shadow, which the
		 * piece is about to become anyway (send_pixels' shadow_put
		 * sees it there), and sent from there: a full-screen frame
		 * is copied once, not twice.  Not with a move, which reads
		 * the shadow as the client has it, nor with more pieces,
		 * each of which may be found on screen in another's place.
		 */
		const pixman_box32_t *q = &p.rest[0];
		uint32_t *dst = dc->shadow + (size_t)q->y1 * dc->sw +
				(size_t)q->x1;

		sc_fetch_rect(d->top, d->stride, d->format, (uint32_t)q->x1,
			      (uint32_t)q->y1, (uint32_t)(q->x2 - q->x1),
			      (uint32_t)(q->y2 - q->y1), dst, dc->sw);
		at[0] = dst;
		strides[0] = dc->sw;
		g_mutex_unlock(&model->lock);
		rect_send(c, r, &p, lossy, at, strides);
		return 1;
	}
	for (i = 0; i < p.n_rest; i++)
		total += (size_t)(p.rest[i].x2 - p.rest[i].x1) *
			 (size_t)(p.rest[i].y2 - p.rest[i].y1);
	px = scratch(dc, total);
	for (i = 0; i < p.n_rest; i++) {
		const pixman_box32_t *q = &p.rest[i];
		size_t w = (size_t)(q->x2 - q->x1);

		sc_fetch_rect(d->top, d->stride, d->format, (uint32_t)q->x1,
			      (uint32_t)q->y1, (uint32_t)w,
			      (uint32_t)(q->y2 - q->y1), px + off, w);
		at[i] = px + off;
		strides[i] = w;
		off += w * (size_t)(q->y2 - q->y1);
	}
	g_mutex_unlock(&model->lock);
	rect_send(c, r, &p, lossy, at, strides);
	return 1;
}

static uint64_t box_area(const pixman_box32_t *b)
{
	return (uint64_t)(b->x2 - b->x1) * (uint64_t)(b->y2 - b->y1);
}

/*
 * Damage boxes, gathered: each box joins the first group whose extents,
 * with it, add at most 1/32 to the group's area; out gets the groups'
 * extents (at most n).  A window drawn at a new place with the strips it
 * uncovered is one group: the region's bands cut the window into pieces,
 * none of which holds the whole move, while the group's extents do (the
 * few pixels they add are unchanged, and the diff with the shadow drops
 * them).  Scattered boxes (glyphs) stay apart.
 */
static int group_boxes(const pixman_box32_t *b, int n, pixman_box32_t *out)
{
	uint64_t *area = g_new(uint64_t, (size_t)n);
	int m = 0, i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < m; k++) {
			pixman_box32_t e = {
				MIN(out[k].x1, b[i].x1), MIN(out[k].y1, b[i].y1),
				MAX(out[k].x2, b[i].x2), MAX(out[k].y2, b[i].y2),
			};
			uint64_t sum = area[k] + box_area(&b[i]);

			if (box_area(&e) - sum <= sum / 32) {
				out[k] = e;
				area[k] = sum;
				break;
			}
		}
		if (k == m) {
			out[m] = b[i];
			area[m++] = box_area(&b[i]);
		}
	}
	g_free(area);
	return m;
}

/* Send the pending region's latest pixels; the caller holds no lock. */
static bool send_damage(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;
	pixman_box32_t *rects, ext;
	bool whole = dc->fresh;
	uint32_t *px;
	int n, i;

	if (!pixman_region32_not_empty(&dc->pending))
		return false;
	if (dc->video.active &&
	    pixman_region32_contains_rectangle(&dc->pending, &dc->video.box) !=
	    PIXMAN_REGION_OUT) {
		const pixman_box32_t *v = &dc->video.box;

		px = scratch(dc, (size_t)(v->x2 - v->x1) * (v->y2 - v->y1));
		if (!fetch(c, v, px))
			return true;
		send_stream_frame(c, px);
		pixman_region32_subtract(&dc->pending, &dc->pending,
					 &(pixman_region32_t){ *v, NULL });
	}
	rects = pixman_region32_rectangles(&dc->pending, &n);
	if (n > SC_MAX_RECTS || whole) {
		ext = *pixman_region32_extents(&dc->pending);
		rects = g_memdup2(&ext, sizeof(ext));
		n = 1;
	} else if (dc->shadow) {
		const pixman_box32_t *in = rects;

		rects = g_new(pixman_box32_t, (size_t)n);
		n = group_boxes(in, n, rects);
	} else {
		rects = g_memdup2(rects, sizeof(*rects) * (size_t)n);
	}
	pixman_region32_clear(&dc->pending);
	for (i = 0; i < n; i++) {
		pixman_box32_t *r = &rects[i];

		if (!whole && dc->shadow) {
			int done = send_rect_in_place(c, r);

			if (done < 0)
				break;
			if (done)
				continue;
		}
		px = scratch(dc, (size_t)(r->x2 - r->x1) * (r->y2 - r->y1));
		if (!fetch(c, r, px))
			break;
		if (whole) {
			send_pixels(c, r, px, (size_t)(r->x2 - r->x1), true);
			pixman_region32_clear(&dc->lossy);
			dc->fresh = false;
		} else {
			send_rect(c, r, px);
		}
	}
	g_free(rects);
	return true;
}

/* Send the source's copies that are due (COPY_BITS). */
static bool send_copies(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;
	unsigned int i;

	if (!dc->copies->len)
		return false;
	for (i = 0; i < dc->copies->len; i++) {
		struct sc_out_copy *cp = &g_array_index(dc->copies,
						       struct sc_out_copy, i);

		send_copy_bits(c, &cp->dst, cp->src_x, cp->src_y, true,
			       true);
	}
	g_array_set_size(dc->copies, 0);
	return true;
}

/* A new surface (or none): destroy the old one at the client, create the
 * new one with its monitors and all of it pending.  kept: the client
 * has this surface already (seamless migration): only its picture is
 * sent again.  Model locked. */
static void new_surface(struct sc_conn *c, const struct SpiceCoreDisplay *d,
			bool kept)
{
	struct sc_display *dc = c->priv;

	video_stop(c, false);
	dc->video.count = 0;
	if (dc->surface_created && !kept)
		send_surface_destroy(c);
	dc->surface_created = false;
	dc->surface_gen = d->surface_gen;
	pixman_region32_clear(&dc->pending);
	pixman_region32_clear(&dc->lossy);
	pixman_region32_clear(&dc->stale);
	g_array_set_size(dc->copies, 0);
	g_free(dc->shadow);
	dc->shadow = NULL;
	g_hash_table_remove_all(dc->onscreen);
	if (!d->has_primary)
		return;
	if (!kept)
		send_surface_create(c, d->width, d->height);
	dc->cw = d->width;
	dc->ch = d->height;
	send_monitors(c, d);
	dc->heads_gen = d->heads_gen;
	dc->surface_created = true;
	dc->fresh = true;
	pixman_region32_union_rect(&dc->pending, &dc->pending, 0, 0, d->width,
				   d->height);
	if ((uint64_t)d->width * d->height <= SC_SHADOW_MAX) {
		dc->shadow = g_try_new(uint32_t, (size_t)d->width * d->height);
		dc->sw = d->width;
		dc->sh = d->height;
	}
}

static void display_pump(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;
	struct sc_model *model = c->chs->model;

	while (sc_wire_can_send(&c->wire)) {
		struct SpiceCoreDisplay *d = sc_conn_lock_display(c);
		bool sent;

		if (!d)
			return;
		if (d->surface_gen != dc->surface_gen) {
			new_surface(c, d, false);
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
		if (!dc->surface_created)
			break;
		sent = send_copies(c);
		if (!send_damage(c) && !sent)
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

/*
 * Seamless migration, at the target: the client kept its display channel
 * and shows the source's last picture on the surface it has.  What it
 * has beyond that we do not know, so it is made to match our fresh
 * state: its pixmap cache emptied (ours starts empty; its budget is the
 * one it gave the source), its video stream closed.  If our surface has
 * the size of the client's, the client keeps it and gets all of its
 * picture again (the guest may have drawn after the source's last
 * update); otherwise it is destroyed and ours created, as on a mode
 * change.  No MARK: the client had its first one.
 */
static void display_adopt(struct sc_conn *c, const struct sc_mig_data *mig)
{
	struct sc_display *dc = c->priv;
	struct SpiceCoreDisplay *d;

	sc_imgcache_set_budget(&dc->cache, mig->u.display.pixmap_cache);
	dc->codecs.preferred = mig->u.display.compression;
	sc_buf_u8(sc_msg_begin(&c->wire, SPICE_MSG_DISPLAY_INVAL_ALL_PIXMAPS),
		  0);				/* waits for no channel */
	sc_msg_end(&c->wire);
	if (mig->u.display.stream)
		sc_msg_send_empty(&c->wire,
				  SPICE_MSG_DISPLAY_STREAM_DESTROY_ALL);
	dc->surface_created = mig->u.display.has_surface;
	dc->marked = mig->u.display.has_surface;
	d = sc_conn_lock_display(c);
	if (!d)
		return;
	if (mig->u.display.has_surface && d->has_primary &&
	    d->width == mig->u.display.width &&
	    d->height == mig->u.display.height) {
		new_surface(c, d, true);
		dc->marked = true;
		g_message("session %08x: display %u: the client keeps its "
			  "%ux%u surface", c->session_id,
			  c->link.mess.channel_id, d->width, d->height);
	}
	g_mutex_unlock(&c->chs->model->lock);
}

/* At the source: what the target's display channel needs. */
static void display_mig_save(struct sc_conn *c, struct sc_mig_data *mig)
{
	struct sc_display *dc = c->priv;

	mig->u.display.has_surface = dc->surface_created;
	mig->u.display.width = dc->surface_created ? dc->cw : 0;
	mig->u.display.height = dc->surface_created ? dc->ch : 0;
	mig->u.display.pixmap_cache = dc->cache.budget;
	mig->u.display.compression = dc->codecs.preferred;
	mig->u.display.stream = dc->video.active && !dc->video_create_due;
}

static void display_start(struct sc_conn *c)
{
	struct sc_display *dc = g_new0(struct sc_display, 1);
	struct SpiceCoreDisplay *d;

	c->priv = dc;
	dc->conn = c;
	pixman_region32_init(&dc->pending);
	pixman_region32_init(&dc->lossy);
	pixman_region32_init(&dc->stale);
	dc->copies = g_array_new(FALSE, FALSE, sizeof(struct sc_out_copy));
	dc->dropped = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	dc->onscreen = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					     g_free, NULL);
	sc_imgcache_init(&dc->cache);
	dc->codecs.server = c->chs->model->compression;
	dc->codecs.lz4 = lz4_announced(c);
	dc->next_stream_id = 1;
	sc_wire_set_ack(&c->wire);
	/* Differs from the source's: the first pump creates the surface. */
	dc->surface_gen = (uint32_t)-2;
	d = sc_model_lock_display(c->chs->model, c->link.mess.channel_id);
	if (d) {
		dc->surface_gen = d->surface_gen - 2;
		g_mutex_unlock(&c->chs->model->lock);
	}
	if (c->mig)
		display_adopt(c, c->mig);
	display_pump(c);
}

static int display_handle(struct sc_conn *c, const struct sc_msg *m)
{
	struct sc_display *dc = c->priv;

	/* Unknown PREFERRED_COMPRESSION values are ignored, never a
	 * disconnect. */
	if (m->kind == SC_MSG_DISPLAY_INIT) {
		/* Clients keep what we tell them to (their pixels budget);
		 * a second INIT starts afresh, as the client's cache does. */
		sc_imgcache_fini(&dc->cache);
		sc_imgcache_init(&dc->cache);
		sc_imgcache_set_budget(&dc->cache,
				       m->u.display_init.pixmap_cache_size);
		return 0;
	}
	if (m->kind != SC_MSG_DISPLAY_PREFERRED_COMPRESSION)
		return 0;
	if (m->u.compression > SPICE_IMAGE_COMPRESSION_INVALID &&
	    m->u.compression < SPICE_IMAGE_COMPRESSION_ENUM_END)
		dc->codecs.preferred = m->u.compression;
	return 0;
}

/* The source's copy cp, for this client: COPY_BITS when the client is up
 * to date with the source area, else the destination is damage. */
static void take_copy(struct sc_display *dc, const struct sc_copy *cp)
{
	pixman_box32_t src = { cp->src_x, cp->src_y, cp->src_x + cp->w,
			       cp->src_y + cp->h };
	struct sc_out_copy out = {
		{ cp->x, cp->y, cp->x + cp->w, cp->y + cp->h },
		cp->src_x, cp->src_y };

	if (!dc->surface_created || dc->fresh ||
	    dc->copies->len >= SC_MAX_OUT_COPIES ||
	    pixman_region32_contains_rectangle(&dc->pending, &src) !=
	    PIXMAN_REGION_OUT ||
	    pixman_region32_contains_rectangle(&dc->lossy, &src) !=
	    PIXMAN_REGION_OUT ||
	    (dc->video.active &&
	     pixman_region32_contains_rectangle(
		     &(pixman_region32_t){ dc->video.box, NULL }, &src) !=
	     PIXMAN_REGION_OUT)) {
		pixman_region32_union_rect(&dc->pending, &dc->pending, cp->x,
					   cp->y, (unsigned)cp->w,
					   (unsigned)cp->h);
		return;
	}
	g_array_append_val(dc->copies, out);
	/* What was pending there is overwritten by the copy. */
	pixman_region32_subtract(&dc->pending, &dc->pending,
				 &(pixman_region32_t){ out.dst, NULL });
	pixman_region32_subtract(&dc->lossy, &dc->lossy,
				 &(pixman_region32_t){ out.dst, NULL });
}

static void display_changed(struct sc_conn *c, struct sc_changes *ch)
{
	struct sc_display *dc = c->priv;
	unsigned int id = c->link.mess.channel_id, i;
	GArray *copies = ch->copies[id];

	if (copies)
		for (i = 0; i < copies->len; i++) {
			const struct sc_copy *cp = &g_array_index(copies,
							struct sc_copy, i);

			pixman_region32_union(&dc->pending, &dc->pending,
					      (pixman_region32_t *)&cp->before);
			take_copy(dc, cp);
		}
	pixman_region32_union(&dc->pending, &dc->pending, &ch->damage[id]);
	if (c->chs->model->video_streaming && dc->surface_created &&
	    !dc->fresh &&
	    sc_video_seen(&dc->video, &ch->damage[id],
			  g_get_monotonic_time())) {
		dc->video.active = true;
		dc->video.box = dc->video.cand;
		dc->video.id = dc->next_stream_id++;
		dc->video.updated_us = g_get_monotonic_time();
		dc->video_create_due = true;
		if (!dc->video_timer)
			dc->video_timer = sc_timer_new(c->chs->ctx,
						       SC_VIDEO_TICK_MS,
						       video_tick, c);
	}
}

static void display_close(struct sc_conn *c)
{
	struct sc_display *dc = c->priv;

	sc_source_drop(&dc->video_timer);
	pixman_region32_fini(&dc->pending);
	pixman_region32_fini(&dc->lossy);
	pixman_region32_fini(&dc->stale);
	g_array_free(dc->copies, TRUE);
	g_array_free(dc->dropped, TRUE);
	g_hash_table_destroy(dc->onscreen);
	sc_imgcache_fini(&dc->cache);
	g_free(dc->shadow);
	g_free(dc->buf);
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
	.mig_save = display_mig_save,
};
