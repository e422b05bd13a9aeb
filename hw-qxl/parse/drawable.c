// SPDX-License-Identifier: MIT
/*
 * drawable.c - QXL_CMD_DRAW: the drawable copied once, its target
 * surface id checked, the bbox and clip list turned into a region, and
 * COMPOSITE's transforms.
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_parse.h"

uint8_t *qxl_parse_drawable(const struct qxl_mem *m, qxl_phys addr,
			    uint32_t n_surfaces, struct qxl_drawable *d)
{
	uint8_t *p = qxl_memslot_copy(m, addr, d, sizeof(*d));

	if (p && d->surface_id >= n_surfaces) {
		qxl_report_bug(&m->report, "draw: surface %u >= %u",
			       d->surface_id, n_surfaces);
		return NULL;
	}
	return p;
}

int qxl_parse_draw_region(const struct qxl_mem *m,
			  const struct qxl_drawable *d, uint32_t width,
			  uint32_t height, pixman_region32_t *region)
{
	const struct qxl_rect *b = &d->bbox;
	pixman_region32_t clip;
	struct qxl_clip_rects cr;
	struct qxl_buf buf;
	pixman_box32_t *boxes;
	uint32_t i, n = 0;

	/* Clamp first: guest coordinates may be anywhere in int32. */
	int32_t x1 = b->left < 0 ? 0 : b->left;
	int32_t y1 = b->top < 0 ? 0 : b->top;
	int32_t x2 = b->right > (int32_t)width ? (int32_t)width : b->right;
	int32_t y2 = b->bottom > (int32_t)height ? (int32_t)height : b->bottom;

	if (x2 > x1 && y2 > y1)
		pixman_region32_init_rect(region, x1, y1,
					  (unsigned int)(x2 - x1),
					  (unsigned int)(y2 - y1));
	else
		pixman_region32_init(region);
	if (d->clip.type == QXL_CLIP_TYPE_NONE)
		return 0;
	if (d->clip.type != QXL_CLIP_TYPE_RECTS) {
		qxl_report_bug(&m->report, "draw: unknown clip type %u",
			       d->clip.type);
		return -1;
	}
	if (!qxl_memslot_copy(m, d->clip.data, &cr, sizeof(cr)))
		return -1;
	if (cr.num_rects > QXL_MAX_CLIP_RECTS) {
		qxl_report_bug(&m->report, "clip: %u rectangles (max %u)",
			       cr.num_rects, QXL_MAX_CLIP_RECTS);
		return -1;
	}
	if (qxl_chunks_read_at(m, "clip rects", d->clip.data, sizeof(cr),
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
	pixman_region32_intersect(region, region, &clip);
	pixman_region32_fini(&clip);
	return 0;
}

int qxl_parse_transform(const struct qxl_mem *m, qxl_phys addr,
			struct pixman_transform *pt)
{
	struct qxl_transform t;

	if (!qxl_memslot_copy(m, addr, &t, sizeof(t)))
		return -1;
	pixman_transform_init_identity(pt);
	pt->matrix[0][0] = (pixman_fixed_t)t.t00;
	pt->matrix[0][1] = (pixman_fixed_t)t.t01;
	pt->matrix[0][2] = (pixman_fixed_t)t.t02;
	pt->matrix[1][0] = (pixman_fixed_t)t.t10;
	pt->matrix[1][1] = (pixman_fixed_t)t.t11;
	pt->matrix[1][2] = (pixman_fixed_t)t.t12;
	return 0;
}
