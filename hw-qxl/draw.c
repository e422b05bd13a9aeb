// SPDX-License-Identifier: MIT
/*
 * draw.c - QXL_CMD_DRAW: copy the drawable once, validate the target
 * surface, bbox and clip, then hand it to the renderer for its type.
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_render.h"

/* bbox & clip rectangles & surface bounds into dr->region. */
static int build_region(struct qxl_device *dev, struct qxl_draw *dr)
{
	const struct qxl_rect *b = &dr->d.bbox;
	pixman_region32_t clip;
	struct qxl_clip_rects cr;
	struct qxl_buf buf;
	pixman_box32_t *boxes;
	uint32_t i, n = 0;
	uint8_t *p;

	/* Clamp first: guest coordinates may be anywhere in int32. */
	int32_t x1 = b->left < 0 ? 0 : b->left;
	int32_t y1 = b->top < 0 ? 0 : b->top;
	int32_t x2 = b->right > (int32_t)dr->dst->width ?
		     (int32_t)dr->dst->width : b->right;
	int32_t y2 = b->bottom > (int32_t)dr->dst->height ?
		     (int32_t)dr->dst->height : b->bottom;

	if (x2 > x1 && y2 > y1)
		pixman_region32_init_rect(&dr->region, x1, y1,
					  (unsigned int)(x2 - x1),
					  (unsigned int)(y2 - y1));
	else
		pixman_region32_init(&dr->region);
	if (dr->d.clip.type == QXL_CLIP_TYPE_NONE)
		return 0;
	if (dr->d.clip.type != QXL_CLIP_TYPE_RECTS) {
		qxl_guest_bug(dev, "draw: unknown clip type %u",
			      dr->d.clip.type);
		return -1;
	}
	p = qxl_memslot_translate(dev, dr->d.clip.data, sizeof(cr));
	if (!p)
		return -1;
	memcpy(&cr, p, sizeof(cr));
	if (cr.num_rects > QXL_MAX_CLIP_RECTS) {
		qxl_guest_bug(dev, "clip: %u rectangles (max %u)", cr.num_rects,
			      QXL_MAX_CLIP_RECTS);
		return -1;
	}
	if (qxl_chunks_read_at(dev, "clip rects", dr->d.clip.data, sizeof(cr),
			       &cr.chunk,
			       (uint64_t)cr.num_rects * sizeof(struct qxl_rect),
			       &buf))
		return -1;
	boxes = malloc((cr.num_rects ? cr.num_rects : 1) * sizeof(*boxes));
	if (!boxes) {
		qxl_buf_free(&buf);
		return -1;
	}
	for (i = 0; i < cr.num_rects; i++) {
		struct qxl_rect r;

		memcpy(&r, buf.ptr + i * sizeof(r), sizeof(r));
		/* Clamp to the clipped bbox; empty rects cover nothing. */
		if (r.left < x1)
			r.left = x1;
		if (r.top < y1)
			r.top = y1;
		if (r.right > x2)
			r.right = x2;
		if (r.bottom > y2)
			r.bottom = y2;
		if (r.left >= r.right || r.top >= r.bottom)
			continue;
		boxes[n].x1 = r.left;
		boxes[n].y1 = r.top;
		boxes[n].x2 = r.right;
		boxes[n].y2 = r.bottom;
		n++;
	}
	qxl_buf_free(&buf);
	pixman_region32_init_rects(&clip, boxes, (int)n);
	free(boxes);
	pixman_region32_intersect(&dr->region, &dr->region, &clip);
	pixman_region32_fini(&clip);
	return 0;
}

static int render(struct qxl_device *dev, struct qxl_draw *dr)
{
	switch (dr->d.type) {
	case QXL_DRAW_NOP:
		return 0;
	case QXL_DRAW_FILL:
		return qxl_render_fill(dev, dr);
	case QXL_DRAW_OPAQUE:
		return qxl_render_opaque(dev, dr);
	case QXL_DRAW_COPY:
		return qxl_render_copy(dev, dr, &dr->d.u.copy);
	case QXL_DRAW_BLEND:
		return qxl_render_copy(dev, dr, &dr->d.u.blend);
	case QXL_COPY_BITS:
		return qxl_render_copy_bits(dev, dr);
	case QXL_DRAW_BLACKNESS:
		return qxl_render_solid_mask(dev, dr, &dr->d.u.blackness.mask,
					     QXL_ROP2_CLEAR);
	case QXL_DRAW_WHITENESS:
		return qxl_render_solid_mask(dev, dr, &dr->d.u.whiteness.mask,
					     QXL_ROP2_SET);
	case QXL_DRAW_INVERS:
		return qxl_render_solid_mask(dev, dr, &dr->d.u.invers.mask,
					     QXL_ROP2_INVERT);
	case QXL_DRAW_ROP3:
		return qxl_render_rop3(dev, dr);
	case QXL_DRAW_STROKE:
		return qxl_render_stroke(dev, dr);
	case QXL_DRAW_TEXT:
		return qxl_render_text(dev, dr);
	case QXL_DRAW_TRANSPARENT:
		return qxl_render_transparent(dev, dr);
	case QXL_DRAW_ALPHA_BLEND:
		return qxl_render_alpha_blend(dev, dr);
	case QXL_DRAW_COMPOSITE:
		return qxl_render_composite(dev, dr);
	default:
		qxl_guest_bug(dev, "draw: unknown draw type %u", dr->d.type);
		return -1;
	}
}

void qxl_cmd_draw(struct qxl_device *dev, qxl_phys addr)
{
	uint8_t *p = qxl_memslot_translate(dev, addr,
					   sizeof(struct qxl_drawable));
	const struct qxl_rect *b;
	struct qxl_draw dr;

	if (!p)
		return;
	memset(&dr, 0, sizeof(dr));
	memcpy(&dr.d, p, sizeof(dr.d));
	dr.surface_id = dr.d.surface_id;
	if (dr.surface_id >= dev->cfg.n_surfaces) {
		qxl_guest_bug(dev, "draw: surface %u >= %u", dr.surface_id,
			      dev->cfg.n_surfaces);
		return;
	}
	if (dev->mode == QXL_MODE_COMPAT) {
		/* qxl-1 commands use the older layout; not drawn. */
		dev->stats.unsupported++;
		qxl_release(dev, p);
		return;
	}
	dr.dst = &dev->surfaces[dr.surface_id];
	b = &dr.d.bbox;
	if (!dr.dst->live || b->left > b->right || b->top > b->bottom) {
		/* Drawing to a missing surface or a reversed box: drop it. */
		qxl_guest_warn(dev, "draw type %u to %s surface %u, bbox "
			       "(%d,%d)-(%d,%d): dropped", dr.d.type,
			       dr.dst->live ? "" : "missing", dr.surface_id,
			       b->left, b->top, b->right, b->bottom);
		qxl_release(dev, p);
		return;
	}
	if (build_region(dev, &dr)) {
		pixman_region32_fini(&dr.region);
		return;
	}
	if (render(dev, &dr) == 0) {
		dev->stats.draws++;
		qxl_damage_add(dev, dr.surface_id, &dr.region);
		qxl_release(dev, p);
	}
	pixman_region32_fini(&dr.region);
}
