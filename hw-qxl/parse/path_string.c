// SPDX-License-Identifier: MIT
/*
 * path_string.c - what DRAW_STROKE and DRAW_TEXT point at: a path's
 * segments and a string's raster glyphs.  The header is copied once, the
 * chunk list gathered once; the renderer then takes one segment or glyph
 * at a time, each checked to lie inside what was gathered.
 */
#include <string.h>

#include "qxl_parse.h"

int qxl_parse_path(const struct qxl_mem *m, qxl_phys addr,
		   struct qxl_path_iter *path)
{
	struct qxl_path hdr;

	memset(path, 0, sizeof(*path));
	if (!qxl_memslot_copy(m, addr, &hdr, sizeof(hdr)))
		return -1;
	path->data_size = hdr.data_size;
	return qxl_chunks_read_at(m, "path", addr, sizeof(hdr), &hdr.chunk,
				  hdr.data_size, &path->buf);
}

int qxl_path_next(const struct qxl_mem *m, struct qxl_path_iter *path,
		  struct qxl_path_seg *seg, const uint8_t **points)
{
	const struct qxl_buf *b = &path->buf;

	if (path->off + sizeof(*seg) > b->size)
		return 0;
	memcpy(seg, b->ptr + path->off, sizeof(*seg));
	path->off += sizeof(*seg);
	if (seg->count > (b->size - path->off) / sizeof(struct qxl_point_fix)) {
		qxl_report_bug(&m->report, "path: segment of %u points "
			       "overruns %u bytes", seg->count,
			       path->data_size);
		return -1;
	}
	*points = b->ptr + path->off;
	path->off += (uint64_t)seg->count * sizeof(struct qxl_point_fix);
	return 1;
}

void qxl_path_free(struct qxl_path_iter *path)
{
	qxl_buf_free(&path->buf);
}

int qxl_parse_string(const struct qxl_mem *m, qxl_phys addr,
		     struct qxl_glyph_iter *glyphs)
{
	struct qxl_string str;

	memset(glyphs, 0, sizeof(*glyphs));
	if (!qxl_memslot_copy(m, addr, &str, sizeof(str)))
		return -1;
	if (str.flags & QXL_STRING_FLAGS_RASTER_A1) {
		glyphs->bpp = 1;
		glyphs->fmt = QXL_BITMAP_FMT_1BIT_BE;
	} else if (str.flags & QXL_STRING_FLAGS_RASTER_A4) {
		glyphs->bpp = 4;
		glyphs->fmt = QXL_BITMAP_FMT_4BIT_BE;
	} else if (str.flags & QXL_STRING_FLAGS_RASTER_A8) {
		glyphs->bpp = 8;
		glyphs->fmt = QXL_BITMAP_FMT_8BIT;
	} else {
		qxl_report_bug(&m->report, "text: string flags 0x%x name no "
			       "raster format", str.flags);
		return -1;
	}
	glyphs->length = str.length;
	return qxl_chunks_read_at(m, "string", addr, sizeof(str), &str.chunk,
				  str.data_size, &glyphs->buf);
}

int qxl_glyph_next(const struct qxl_mem *m, struct qxl_glyph_iter *glyphs,
		   struct qxl_glyph *gl)
{
	const struct qxl_buf *b = &glyphs->buf;
	struct qxl_raster_glyph rg;
	uint64_t size;

	if (glyphs->index == glyphs->length ||
	    glyphs->off + sizeof(rg) > b->size)
		return 0;
	memcpy(&rg, b->ptr + glyphs->off, sizeof(rg));
	glyphs->off += sizeof(rg);
	gl->line_bytes = ((uint64_t)rg.width * glyphs->bpp + 7) / 8;
	size = gl->line_bytes * rg.height;
	if (size > b->size - glyphs->off) {
		qxl_report_bug(&m->report, "text: glyph %u (%ux%u) overruns "
			       "the string", glyphs->index, rg.width,
			       rg.height);
		return -1;
	}
	gl->x = (int64_t)rg.render_pos.x + rg.glyph_origin.x;
	gl->y = (int64_t)rg.render_pos.y + rg.glyph_origin.y;
	gl->width = rg.width;
	gl->height = rg.height;
	gl->bits = b->ptr + glyphs->off;
	glyphs->off += size;
	glyphs->index++;
	return 1;
}

void qxl_glyphs_free(struct qxl_glyph_iter *glyphs)
{
	qxl_buf_free(&glyphs->buf);
}
