// SPDX-License-Identifier: MIT
/*
 * stroke_text.c - DRAW_STROKE and DRAW_TEXT, best effort: strokes are
 * one-pixel polylines (width, styles and joins ignored; Bezier segments
 * drawn as straight lines between their points) in the solid brush;
 * text draws raster glyphs (A1, A4, A8 thresholded at half) in the solid
 * fore brush over an optional solid back area.  Pattern brushes and
 * non-copy modes draw nothing and count as unsupported.
 */
#include <string.h>

#include "qxl_render.h"

static void plot(struct qxl_draw *dr, int64_t x, int64_t y, uint32_t v)
{
	struct qxl_surface_state *s = dr->dst;

	if (x < 0 || y < 0 || x >= s->width || y >= s->height ||
	    !pixman_region32_contains_point(&dr->region, (int)x, (int)y, NULL))
		return;
	qxl_put_px(qxl_img_row(s->image, (int)y), (int)x,
		   qxl_surface_bpp(s->format), v);
}

/* Pixels one stroke may plot: bounds the work a hostile path costs. */
#define QXL_STROKE_BUDGET	(1 << 22)

static void line(struct qxl_draw *dr, int64_t x0, int64_t y0, int64_t x1,
		 int64_t y1, uint32_t v, uint32_t *budget)
{
	int64_t dx = x1 > x0 ? x1 - x0 : x0 - x1;
	int64_t dy = y1 > y0 ? y0 - y1 : y1 - y0;
	int64_t sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int64_t err = dx + dy, steps = 0;

	for (;;) {
		int64_t e2 = 2 * err;

		plot(dr, x0, y0, v);
		if ((x0 == x1 && y0 == y1) || ++steps > 65536 || !*budget)
			break;
		(*budget)--;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

int qxl_render_stroke(struct qxl_render *r, struct qxl_draw *dr)
{
	const struct qxl_stroke *st = &dr->d.u.stroke;
	struct qxl_path_iter path;
	struct qxl_path_seg seg;
	const uint8_t *points;
	uint32_t v, budget = QXL_STROKE_BUDGET;
	int ret;

	if (st->brush.type != QXL_BRUSH_TYPE_SOLID ||
	    qxl_surface_bpp(dr->dst->format) < 16)
		return qxl_render_unsupported(r, dr);
	if (qxl_parse_path(r->mem, st->path, &path))
		return -1;
	v = qxl_color_to_dest(st->brush.u.color, dr->dst->format);
	while ((ret = qxl_path_next(r->mem, &path, &seg, &points)) > 0) {
		struct qxl_point_fix first, prev, pt;
		uint32_t i;

		for (i = 0; i < seg.count; i++) {
			memcpy(&pt, points + i * sizeof(pt), sizeof(pt));
			if (i == 0)
				first = pt;
			else
				line(dr, prev.x >> 4, prev.y >> 4, pt.x >> 4,
				     pt.y >> 4, v, &budget);
			prev = pt;
		}
		if (seg.count && (seg.flags & QXL_PATH_CLOSE))
			line(dr, prev.x >> 4, prev.y >> 4, first.x >> 4,
			     first.y >> 4, v, &budget);
		if (seg.count == 1)
			plot(dr, pt.x >> 4, pt.y >> 4, v);
	}
	qxl_path_free(&path);
	return ret;
}

/* a limited to [0, max]. */
static uint32_t clamp_to(int64_t a, uint32_t max)
{
	return a <= 0 ? 0 : (a > max ? max : (uint32_t)a);
}

static void draw_glyph(struct qxl_draw *dr, const struct qxl_glyph *gl,
		       const struct qxl_glyph_iter *it, uint32_t fore)
{
	/* Only the part of the glyph inside the region. */
	pixman_box32_t *e = pixman_region32_extents(&dr->region);
	uint32_t y0 = clamp_to(e->y1 - gl->y, gl->height);
	uint32_t y1 = clamp_to(e->y2 - gl->y, gl->height);
	uint32_t x0 = clamp_to(e->x1 - gl->x, gl->width);
	uint32_t x1 = clamp_to(e->x2 - gl->x, gl->width);
	uint32_t half = 1u << (it->bpp - 1), x, y;

	for (y = y0; y < y1; y++) {
		const uint8_t *row = gl->bits + y * gl->line_bytes;

		for (x = x0; x < x1; x++)
			if (qxl_bitmap_index(row, x, it->fmt) >= half)
				plot(dr, gl->x + x, gl->y + y, fore);
	}
}

int qxl_render_text(struct qxl_render *r, struct qxl_draw *dr)
{
	const struct qxl_text *t = &dr->d.u.text;
	struct qxl_glyph_iter glyphs;
	struct qxl_glyph gl;
	uint32_t fore;
	int ret;

	if (qxl_surface_bpp(dr->dst->format) < 16)
		return qxl_render_unsupported(r, dr);
	if (qxl_parse_string(r->mem, t->str, &glyphs))
		return -1;
	if (t->back_mode && t->back_brush.type == QXL_BRUSH_TYPE_SOLID) {
		uint32_t bv = qxl_color_to_dest(t->back_brush.u.color,
						dr->dst->format);
		int64_t x, y;
		const struct qxl_rect *ba = &t->back_area;
		pixman_box32_t *e = pixman_region32_extents(&dr->region);

		for (y = ba->top > e->y1 ? ba->top : e->y1;
		     y < ba->bottom && y < e->y2; y++)
			for (x = ba->left > e->x1 ? ba->left : e->x1;
			     x < ba->right && x < e->x2; x++)
				plot(dr, x, y, bv);
	}
	if (t->fore_brush.type != QXL_BRUSH_TYPE_SOLID) {
		/* The back area was drawn: the region stays as damage. */
		r->unsupported++;
		qxl_glyphs_free(&glyphs);
		return 0;
	}
	fore = qxl_color_to_dest(t->fore_brush.u.color, dr->dst->format);
	while ((ret = qxl_glyph_next(r->mem, &glyphs, &gl)) > 0)
		draw_glyph(dr, &gl, &glyphs, fore);
	qxl_glyphs_free(&glyphs);
	return ret;
}
