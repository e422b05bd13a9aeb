// SPDX-License-Identifier: MIT
/*
 * build.c - the simulated guest's command builders: drawables (fills,
 * copies, copy bits), bitmaps, clip lists, surface and cursor commands,
 * laid out in guest RAM as a driver lays them out.
 */
#include <string.h>

#include "qxl_sim.h"

struct qxl_drawable *qxl_sim_drawable(struct qxl_sim *s, uint8_t type,
				      uint32_t surface_id, int l, int t,
				      int r, int b)
{
	struct qxl_drawable *d = qxl_sim_alloc(s, sizeof(*d));

	if (!d)
		return NULL;
	d->release_info.id = qxl_sim_phys(s, d);
	d->surface_id = surface_id;
	d->effect = QXL_EFFECT_OPAQUE;
	d->type = type;
	d->bbox.left = l;
	d->bbox.top = t;
	d->bbox.right = r;
	d->bbox.bottom = b;
	d->clip.type = QXL_CLIP_TYPE_NONE;
	d->surfaces_dest[0] = d->surfaces_dest[1] = d->surfaces_dest[2] = -1;
	return d;
}

struct qxl_drawable *qxl_sim_fill(struct qxl_sim *s, uint32_t surface_id,
				  int l, int t, int r, int b, uint32_t color)
{
	struct qxl_drawable *d = qxl_sim_drawable(s, QXL_DRAW_FILL,
						  surface_id, l, t, r, b);

	if (!d)
		return NULL;
	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = color;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	return d;
}

struct qxl_drawable *qxl_sim_copy(struct qxl_sim *s, uint32_t surface_id,
				  int x, int y, const struct qxl_image *image)
{
	int w = (int)image->descriptor.width, h = (int)image->descriptor.height;
	struct qxl_drawable *d = qxl_sim_drawable(s, QXL_DRAW_COPY,
						  surface_id, x, y, x + w,
						  y + h);

	if (!d)
		return NULL;
	d->u.copy.src_bitmap = qxl_sim_phys(s, image);
	d->u.copy.src_area.right = w;
	d->u.copy.src_area.bottom = h;
	d->u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	return d;
}

struct qxl_drawable *qxl_sim_copy_bits(struct qxl_sim *s,
				       uint32_t surface_id, int l, int t,
				       int r, int b, int src_x, int src_y)
{
	struct qxl_drawable *d = qxl_sim_drawable(s, QXL_COPY_BITS,
						  surface_id, l, t, r, b);

	if (!d)
		return NULL;
	d->u.copy_bits.src_pos.x = src_x;
	d->u.copy_bits.src_pos.y = src_y;
	return d;
}

struct qxl_image *qxl_sim_bitmap(struct qxl_sim *s, uint8_t fmt, uint32_t w,
				 uint32_t h, uint32_t stride, uint8_t flags,
				 const void *pixels, const uint32_t *pal,
				 unsigned int n_pal)
{
	struct qxl_image *im = qxl_sim_alloc(s, sizeof(*im));
	struct qxl_data_chunk *ch = im ? qxl_sim_alloc(s, sizeof(*ch) +
						       (size_t)stride * h) :
				    NULL;
	struct qxl_palette *p = NULL;

	if (ch && pal) {
		p = qxl_sim_alloc(s, sizeof(*p) + 4 * (size_t)n_pal);
		if (!p)
			return NULL;
		p->num_ents = (uint16_t)n_pal;
		memcpy(p->ents, pal, 4 * (size_t)n_pal);
	}
	if (!ch)
		return NULL;
	im->descriptor.type = QXL_IMAGE_TYPE_BITMAP;
	im->descriptor.width = w;
	im->descriptor.height = h;
	im->bitmap.format = fmt;
	im->bitmap.flags = flags;
	im->bitmap.x = w;
	im->bitmap.y = h;
	im->bitmap.stride = stride;
	ch->data_size = stride * h;
	if (pixels)
		memcpy(ch->data, pixels, (size_t)stride * h);
	im->bitmap.data = qxl_sim_phys(s, ch);
	if (p)
		im->bitmap.palette = qxl_sim_phys(s, p);
	return im;
}

struct qxl_image *qxl_sim_bitmap32(struct qxl_sim *s, uint32_t w, uint32_t h,
				   const uint32_t *px, uint32_t px_stride)
{
	struct qxl_image *im;
	struct qxl_data_chunk *ch;
	uint32_t y;

	if (!px_stride || px_stride == w)
		return qxl_sim_bitmap(s, QXL_BITMAP_FMT_32BIT, w, h, w * 4,
				      QXL_BITMAP_TOP_DOWN, px, NULL, 0);
	im = qxl_sim_bitmap(s, QXL_BITMAP_FMT_32BIT, w, h, w * 4,
			    QXL_BITMAP_TOP_DOWN, NULL, NULL, 0);
	if (!im)
		return NULL;
	ch = qxl_sim_host(s, im->bitmap.data);
	for (y = 0; y < h; y++)
		memcpy(ch->data + (size_t)y * w * 4, px + (size_t)y * px_stride,
		       (size_t)w * 4);
	return im;
}

qxl_phys qxl_sim_clip_rects(struct qxl_sim *s, const struct qxl_rect *r,
			    unsigned int n)
{
	struct qxl_clip_rects *c = qxl_sim_alloc(s, sizeof(*c) +
						 n * sizeof(*r));

	if (!c)
		return 0;
	c->num_rects = n;
	c->chunk.data_size = n * sizeof(*r);
	memcpy(c->chunk.data, r, n * sizeof(*r));
	return qxl_sim_phys(s, c);
}

struct qxl_surface_cmd *qxl_sim_surface_cmd(struct qxl_sim *s,
					    struct qxl_surface_cmd *sc,
					    uint32_t id, uint8_t type,
					    uint32_t w, uint32_t h, void *mem)
{
	if (!sc)
		sc = qxl_sim_alloc(s, sizeof(*sc));
	if (!sc)
		return NULL;
	memset(sc, 0, sizeof(*sc));
	sc->release_info.id = qxl_sim_phys(s, sc);
	sc->surface_id = id;
	sc->type = type;
	sc->u.surface_create.format = QXL_SURFACE_FMT_32_xRGB;
	sc->u.surface_create.width = w;
	sc->u.surface_create.height = h;
	sc->u.surface_create.stride = (int32_t)(w * 4);
	sc->u.surface_create.data = mem ? qxl_sim_phys(s, mem) : 0;
	return sc;
}

struct qxl_cursor *qxl_sim_cursor(struct qxl_sim *s, uint16_t type,
				  uint16_t w, uint16_t h, uint32_t bytes)
{
	struct qxl_cursor *cur = qxl_sim_alloc(s, sizeof(*cur) + bytes);

	if (!cur)
		return NULL;
	cur->header.type = type;
	cur->header.width = w;
	cur->header.height = h;
	cur->data_size = bytes;
	cur->chunk.data_size = bytes;
	return cur;
}

struct qxl_cursor_cmd *qxl_sim_cursor_cmd(struct qxl_sim *s, uint8_t type,
					  const struct qxl_cursor *shape)
{
	struct qxl_cursor_cmd *c = qxl_sim_alloc(s, sizeof(*c));

	if (!c)
		return NULL;
	c->release_info.id = qxl_sim_phys(s, c);
	c->type = type;
	if (type == QXL_CURSOR_SET) {
		c->u.set.visible = 1;
		c->u.set.shape = qxl_sim_phys(s, shape);
	}
	return c;
}
