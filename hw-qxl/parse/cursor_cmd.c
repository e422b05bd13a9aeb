// SPDX-License-Identifier: MIT
/*
 * cursor_cmd.c - QXL_CMD_CURSOR: the command copied once; a SET's shape
 * copied once, bounded and converted to straight ARGB.
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_parse.h"

uint8_t *qxl_parse_cursor_cmd(const struct qxl_mem *m, qxl_phys addr,
			      struct qxl_cursor_cmd *cmd)
{
	uint8_t *p = qxl_memslot_copy(m, addr, cmd, sizeof(*cmd));

	if (!p)
		return NULL;
	switch (cmd->type) {
	case QXL_CURSOR_SET:
	case QXL_CURSOR_MOVE:
	case QXL_CURSOR_HIDE:
	case QXL_CURSOR_TRAIL:
		return p;
	default:
		qxl_report_bug(&m->report, "cursor command: unknown type %u",
			       cmd->type);
		return NULL;
	}
}

static int mask_bit(const uint8_t *row, uint32_t x)
{
	return qxl_bitmap_index(row, x, QXL_BITMAP_FMT_1BIT_BE);
}

/* Bytes of shape data a cursor of this type and size needs. */
static uint64_t cursor_need(uint16_t type, uint64_t w, uint64_t h)
{
	uint64_t mask = (w + 7) / 8 * h;

	switch (type) {
	case QXL_CURSOR_TYPE_ALPHA:
		return w * h * 4;
	case QXL_CURSOR_TYPE_MONO:
		return 2 * mask;
	case QXL_CURSOR_TYPE_COLOR4:
		return (w + 1) / 2 * h + 16 * 4 + mask;
	case QXL_CURSOR_TYPE_COLOR8:
		return w * h + 256 * 4 + mask;
	case QXL_CURSOR_TYPE_COLOR16:
		return w * h * 2 + mask;
	case QXL_CURSOR_TYPE_COLOR24:
		return w * h * 3 + mask;
	case QXL_CURSOR_TYPE_COLOR32:
		return w * h * 4 + mask;
	default:
		return 0;
	}
}

static uint32_t color_pixel(uint16_t type, const uint8_t *d, uint32_t w,
			    uint32_t h, uint32_t x, uint32_t y)
{
	uint32_t v = 0, idx;
	uint16_t v16;

	switch (type) {
	case QXL_CURSOR_TYPE_COLOR4:
		idx = qxl_bitmap_index(d + y * ((w + 1) / 2), x,
				       QXL_BITMAP_FMT_4BIT_BE);
		memcpy(&v, d + (w + 1) / 2 * h + idx * 4, 4);
		return v;
	case QXL_CURSOR_TYPE_COLOR8:
		idx = d[y * w + x];
		memcpy(&v, d + w * h + idx * 4, 4);
		return v;
	case QXL_CURSOR_TYPE_COLOR16:
		memcpy(&v16, d + 2 * (y * w + x), 2);
		return ((v16 >> 10 & 31) * 255 / 31) << 16 |
		       ((v16 >> 5 & 31) * 255 / 31) << 8 |
		       ((v16 & 31) * 255 / 31);
	case QXL_CURSOR_TYPE_COLOR24:
		memcpy(&v, d + 3 * (y * w + x), 3);
		return v & 0xffffff;
	default:
		memcpy(&v, d + 4 * (y * w + x), 4);
		return v & 0xffffff;
	}
}

static uint64_t color_bytes(uint16_t type, uint32_t w, uint32_t h)
{
	uint64_t mask = (uint64_t)(w + 7) / 8 * h;

	return cursor_need(type, w, h) - mask;
}

static void convert(const struct qxl_cursor_header *hd, const uint8_t *d,
		    uint32_t *out)
{
	uint32_t w = hd->width, h = hd->height, x, y;
	uint32_t mbpl = (w + 7) / 8;

	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			uint32_t *o = &out[y * w + x];

			if (hd->type == QXL_CURSOR_TYPE_ALPHA) {
				memcpy(o, d + 4 * (y * w + x), 4);
			} else if (hd->type == QXL_CURSOR_TYPE_MONO) {
				int a = mask_bit(d + y * mbpl, x);
				int xr = mask_bit(d + mbpl * h + y * mbpl, x);

				/* transparent, black, white; invert: black */
				*o = a && !xr ? 0 : (!a && xr ? 0xffffffff :
						     0xff000000);
			} else {
				const uint8_t *mk = d + color_bytes(hd->type, w,
								    h);

				*o = mask_bit(mk + y * mbpl, x) ? 0 :
				     0xff000000 |
				     color_pixel(hd->type, d, w, h, x, y);
			}
		}
	}
}

int qxl_parse_cursor_shape(const struct qxl_mem *m, qxl_phys addr,
			   unsigned int max_size,
			   struct qxl_cursor_image *img)
{
	const struct qxl_report *r = &m->report;
	struct qxl_cursor cur;
	struct qxl_buf buf;
	uint64_t need;

	if (!qxl_memslot_copy(m, addr, &cur, sizeof(cur)))
		return -1;
	if (cur.header.width == 0 || cur.header.height == 0 ||
	    cur.header.width > max_size || cur.header.height > max_size) {
		qxl_report_bug(r, "cursor: size %ux%u outside 1..%u",
			       cur.header.width, cur.header.height, max_size);
		return -1;
	}
	need = cursor_need(cur.header.type, cur.header.width,
			   cur.header.height);
	if (!need) {
		qxl_report_bug(r, "cursor: unknown type %u", cur.header.type);
		return -1;
	}
	if (cur.data_size < need || cur.data_size > QXL_MAX_CURSOR_BYTES) {
		qxl_report_bug(r, "cursor: data_size %u, a %ux%u type %u cursor "
			       "needs %llu", cur.data_size, cur.header.width,
			       cur.header.height, cur.header.type,
			       (unsigned long long)need);
		return -1;
	}
	if (qxl_chunks_read_at(m, "cursor", addr, sizeof(cur), &cur.chunk,
			       need, &buf))
		return -1;
	img->argb = malloc((size_t)cur.header.width * cur.header.height * 4);
	if (!img->argb) {
		qxl_buf_free(&buf);
		return -1;
	}
	convert(&cur.header, buf.ptr, img->argb);
	qxl_buf_free(&buf);
	img->unique = cur.header.unique;
	img->type = cur.header.type;
	img->width = cur.header.width;
	img->height = cur.header.height;
	img->hot_x = cur.header.hot_spot_x;
	img->hot_y = cur.header.hot_spot_y;
	return 0;
}
