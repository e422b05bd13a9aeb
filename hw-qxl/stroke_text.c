// SPDX-License-Identifier: MIT
/*
 * stroke_text.c - DRAW_STROKE and DRAW_TEXT, best effort: strokes are
 * one-pixel polylines (width, styles and joins ignored; Bezier segments
 * drawn as straight lines between their points) in the solid brush;
 * text draws raster glyphs (A1, A4, A8 thresholded at half) in the solid
 * fore brush over an optional solid back area.  Pattern brushes and
 * non-copy modes draw nothing and count as unsupported.
 */
#include <stdlib.h>
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

int qxl_render_stroke(struct qxl_device *dev, struct qxl_draw *dr)
{
	const struct qxl_stroke *st = &dr->d.u.stroke;
	struct qxl_path path;
	struct qxl_buf buf;
	uint64_t off = 0;
	uint32_t v, budget = QXL_STROKE_BUDGET;
	uint8_t *p;

	if (st->brush.type != QXL_BRUSH_TYPE_SOLID ||
	    qxl_surface_bpp(dr->dst->format) < 16) {
		dev->stats.unsupported++;
		pixman_region32_clear(&dr->region);
		return 0;
	}
	p = qxl_memslot_translate(dev, st->path, sizeof(path));
	if (!p)
		return -1;
	memcpy(&path, p, sizeof(path));
	if (qxl_chunks_read_at(dev, "path", st->path, sizeof(path), &path.chunk,
			       path.data_size, &buf))
		return -1;
	v = qxl_color_to_dest(st->brush.u.color, dr->dst->format);
	while (off + sizeof(struct qxl_path_seg) <= buf.size) {
		struct qxl_path_seg seg;
		struct qxl_point_fix first, prev, pt;
		uint32_t i;

		memcpy(&seg, buf.ptr + off, sizeof(seg));
		off += sizeof(seg);
		if (seg.count > (buf.size - off) / sizeof(pt)) {
			qxl_buf_free(&buf);
			qxl_guest_bug(dev, "path: segment of %u points overruns "
				      "%u bytes", seg.count, path.data_size);
			return -1;
		}
		for (i = 0; i < seg.count; i++) {
			memcpy(&pt, buf.ptr + off + i * sizeof(pt), sizeof(pt));
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
		off += (uint64_t)seg.count * sizeof(pt);
	}
	qxl_buf_free(&buf);
	return 0;
}

int qxl_render_text(struct qxl_device *dev, struct qxl_draw *dr)
{
	const struct qxl_text *t = &dr->d.u.text;
	struct qxl_string str;
	struct qxl_buf buf;
	uint64_t off = 0;
	unsigned int bpp_glyph, g;
	uint32_t fore;
	uint8_t *p;

	if (qxl_surface_bpp(dr->dst->format) < 16) {
		dev->stats.unsupported++;
		pixman_region32_clear(&dr->region);
		return 0;
	}
	p = qxl_memslot_translate(dev, t->str, sizeof(str));
	if (!p)
		return -1;
	memcpy(&str, p, sizeof(str));
	if (str.flags & QXL_STRING_FLAGS_RASTER_A1)
		bpp_glyph = 1;
	else if (str.flags & QXL_STRING_FLAGS_RASTER_A4)
		bpp_glyph = 4;
	else if (str.flags & QXL_STRING_FLAGS_RASTER_A8)
		bpp_glyph = 8;
	else {
		qxl_guest_bug(dev, "text: string flags 0x%x name no raster "
			      "format", str.flags);
		return -1;
	}
	if (qxl_chunks_read_at(dev, "string", t->str, sizeof(str), &str.chunk,
			       str.data_size, &buf))
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
		dev->stats.unsupported++;
		qxl_buf_free(&buf);
		return 0;
	}
	fore = qxl_color_to_dest(t->fore_brush.u.color, dr->dst->format);
	for (g = 0; g < str.length; g++) {
		struct qxl_raster_glyph gl;
		uint64_t line_bytes, size;
		uint32_t x, y, x0, x1, y0, y1;

		if (off + sizeof(gl) > buf.size)
			break;
		memcpy(&gl, buf.ptr + off, sizeof(gl));
		off += sizeof(gl);
		line_bytes = ((uint64_t)gl.width * bpp_glyph + 7) / 8;
		size = line_bytes * gl.height;
		if (size > buf.size - off) {
			qxl_buf_free(&buf);
			qxl_guest_bug(dev, "text: glyph %u (%ux%u) overruns the "
				      "string", g, gl.width, gl.height);
			return -1;
		}
		{
			/* Only the part of the glyph inside the region. */
			pixman_box32_t *e = pixman_region32_extents(&dr->region);
			int64_t gx = (int64_t)gl.render_pos.x + gl.glyph_origin.x;
			int64_t gy = (int64_t)gl.render_pos.y + gl.glyph_origin.y;
			int64_t a;

			a = e->y1 - gy;
			y0 = a <= 0 ? 0 : (a > gl.height ? gl.height : (uint32_t)a);
			a = e->y2 - gy;
			y1 = a <= 0 ? 0 : (a > gl.height ? gl.height : (uint32_t)a);
			a = e->x1 - gx;
			x0 = a <= 0 ? 0 : (a > gl.width ? gl.width : (uint32_t)a);
			a = e->x2 - gx;
			x1 = a <= 0 ? 0 : (a > gl.width ? gl.width : (uint32_t)a);
		}
		for (y = y0; y < y1; y++) {
			const uint8_t *row = buf.ptr + off + y * line_bytes;

			for (x = x0; x < x1; x++) {
				unsigned int v;

				if (bpp_glyph == 1)
					v = (row[x / 8] >> (7 - x % 8)) & 1;
				else if (bpp_glyph == 4)
					v = ((row[x / 2] >> ((x & 1) ? 0 : 4)) &
					     15) >= 8;
				else
					v = row[x] >= 128;
				if (v)
					plot(dr, (int64_t)gl.render_pos.x +
					     gl.glyph_origin.x + x,
					     (int64_t)gl.render_pos.y +
					     gl.glyph_origin.y + y, fore);
			}
		}
		off += size;
	}
	qxl_buf_free(&buf);
	return 0;
}
