// SPDX-License-Identifier: MIT
/*
 * image.c - guest images (struct qxl_image) to pixman images, and masks.
 *
 * Headers are copied once and validated; pixel bytes are read through
 * one bounds-checked translation covering stride * height.  32-bit,
 * RGBA, 16-bit, 24-bit and alpha bitmaps stored top-down with a 4-byte
 * aligned stride are wrapped in place; everything else (palettes,
 * bottom-up, chunked, odd strides) is converted into a host buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_parse.h"

static int bitmap_bpp(uint8_t fmt)
{
	switch (fmt) {
	case QXL_BITMAP_FMT_1BIT_LE:
	case QXL_BITMAP_FMT_1BIT_BE:
		return 1;
	case QXL_BITMAP_FMT_4BIT_LE:
	case QXL_BITMAP_FMT_4BIT_BE:
		return 4;
	case QXL_BITMAP_FMT_8BIT:
	case QXL_BITMAP_FMT_8BIT_A:
		return 8;
	case QXL_BITMAP_FMT_16BIT:
		return 16;
	case QXL_BITMAP_FMT_24BIT:
		return 24;
	case QXL_BITMAP_FMT_32BIT:
	case QXL_BITMAP_FMT_RGBA:
		return 32;
	default:
		return 0;
	}
}

static pixman_format_code_t bitmap_pixman(uint8_t fmt)
{
	switch (fmt) {
	case QXL_BITMAP_FMT_8BIT_A:
		return PIXMAN_a8;
	case QXL_BITMAP_FMT_16BIT:
		return PIXMAN_x1r5g5b5;
	case QXL_BITMAP_FMT_24BIT:
		return PIXMAN_r8g8b8;
	case QXL_BITMAP_FMT_32BIT:
		return PIXMAN_x8r8g8b8;
	case QXL_BITMAP_FMT_RGBA:
		return PIXMAN_a8r8g8b8;
	default:
		return PIXMAN_x8r8g8b8;	/* palette formats, converted */
	}
}

void qxl_img_free(struct qxl_img *img)
{
	if (img->image)
		pixman_image_unref(img->image);
	free(img->owned);
	memset(img, 0, sizeof(*img));
}

/* Copy the palette (capped at 256 entries) out of guest memory. */
static int read_palette(const struct qxl_mem *m, qxl_phys addr,
			uint32_t pal[256], unsigned int *n)
{
	struct qxl_palette hdr;
	uint8_t *p;

	if (!addr) {
		qxl_report_bug(&m->report, "bitmap: palette format without "
			       "palette");
		return -1;
	}
	if (!qxl_memslot_copy(m, addr, &hdr, sizeof(hdr)))
		return -1;
	if (hdr.num_ents == 0 || hdr.num_ents > 256) {
		qxl_report_bug(&m->report, "bitmap: palette has %u entries "
			       "(1..256)", hdr.num_ents);
		return -1;
	}
	p = qxl_memslot_translate(m, addr, sizeof(hdr) +
				  (uint64_t)hdr.num_ents * 4);
	if (!p)
		return -1;
	memset(pal, 0, 256 * sizeof(uint32_t));
	memcpy(pal, p + sizeof(hdr), (size_t)hdr.num_ents * 4);
	*n = hdr.num_ents;
	return 0;
}

/* Fetch stride * height pixel bytes (direct or chunked). */
static int read_pixels(const struct qxl_mem *m, const struct qxl_bitmap *bm,
		       uint64_t need, struct qxl_buf *buf)
{
	struct qxl_data_chunk hdr;
	uint8_t *p;

	if (bm->flags & QXL_BITMAP_DIRECT) {
		p = qxl_memslot_translate(m, bm->data, need);
		if (!p)
			return -1;
		memset(buf, 0, sizeof(*buf));
		buf->ptr = p;
		buf->size = need;
		return 0;
	}
	if (!qxl_memslot_copy(m, bm->data, &hdr, sizeof(hdr)))
		return -1;
	return qxl_chunks_read_at(m, "bitmap", bm->data, sizeof(hdr), &hdr,
				  need, buf);
}

/*
 * The checks a bitmap and a mask share: size, stride for bpp bits a
 * pixel, bytes under the cap.  Returns stride * height, or 0 after a
 * guest bug.
 */
static uint64_t bitmap_check(const struct qxl_mem *m, const char *what,
			     const struct qxl_bitmap *bm, int bpp)
{
	uint64_t min_stride, need;

	if (bm->x == 0 || bm->y == 0 || bm->x > QXL_MAX_IMAGE_DIM ||
	    bm->y > QXL_MAX_IMAGE_DIM) {
		qxl_report_bug(&m->report, "%s: size %ux%u outside 1..%u",
			       what, bm->x, bm->y, QXL_MAX_IMAGE_DIM);
		return 0;
	}
	min_stride = ((uint64_t)bm->x * bpp + 7) / 8;
	if (bm->stride < min_stride) {
		qxl_report_bug(&m->report, "%s: stride %u < %llu bytes for %u "
			       "pixels", what, bm->stride,
			       (unsigned long long)min_stride, bm->x);
		return 0;
	}
	need = (uint64_t)bm->stride * bm->y;
	if (need > QXL_MAX_IMAGE_BYTES) {
		qxl_report_bug(&m->report, "%s: %llu bytes is above the cap",
			       what, (unsigned long long)need);
		return 0;
	}
	return need;
}

uint32_t qxl_bitmap_index(const uint8_t *line, uint32_t x, uint8_t fmt)
{
	switch (fmt) {
	case QXL_BITMAP_FMT_1BIT_LE:
		return (line[x / 8] >> (x % 8)) & 1;
	case QXL_BITMAP_FMT_1BIT_BE:
		return (line[x / 8] >> (7 - x % 8)) & 1;
	case QXL_BITMAP_FMT_4BIT_LE:
		return (line[x / 2] >> ((x & 1) * 4)) & 15;
	case QXL_BITMAP_FMT_4BIT_BE:
		return (line[x / 2] >> ((x & 1) ? 0 : 4)) & 15;
	default:
		return line[x];
	}
}

static int convert_bitmap(const struct qxl_mem *m, const struct qxl_bitmap *bm,
			  const uint8_t *src, const uint32_t *pal,
			  struct qxl_img *img)
{
	int bpp = bitmap_bpp(bm->format);
	bool palette = bpp <= 8 && bm->format != QXL_BITMAP_FMT_8BIT_A;
	uint32_t line_bytes = palette ? bm->x * 4 :
			      (uint32_t)(((uint64_t)bm->x * bpp + 7) / 8);
	uint32_t out_stride = (line_bytes + 3) & ~3u;
	bool top_down = bm->flags & QXL_BITMAP_TOP_DOWN;
	uint32_t y, x;

	if ((uint64_t)out_stride * bm->y > QXL_MAX_IMAGE_BYTES) {
		qxl_report_bug(&m->report, "bitmap: %ux%u converts to more "
			       "than %u bytes", bm->x, bm->y,
			       QXL_MAX_IMAGE_BYTES);
		return -1;
	}
	img->owned = malloc((size_t)out_stride * bm->y);
	if (!img->owned) {
		qxl_report_warn(&m->report, "no memory for an image");
		return -1;
	}
	for (y = 0; y < bm->y; y++) {
		const uint8_t *in = src + (uint64_t)bm->stride *
				    (top_down ? y : bm->y - 1 - y);
		uint8_t *out = img->owned + (size_t)out_stride * y;

		if (!palette) {
			memcpy(out, in, line_bytes);
			memset(out + line_bytes, 0, out_stride - line_bytes);
			continue;
		}
		for (x = 0; x < bm->x; x++) {
			uint32_t v = pal[qxl_bitmap_index(in, x, bm->format)];

			memcpy(out + 4 * x, &v, 4);
		}
	}
	img->image = pixman_image_create_bits(bitmap_pixman(bm->format),
					      (int)bm->x, (int)bm->y,
					      (uint32_t *)(void *)img->owned,
					      (int)out_stride);
	return img->image ? 0 : -1;
}

static int bitmap_get(const struct qxl_mem *m, const struct qxl_bitmap *bm,
		      struct qxl_img *img)
{
	int bpp = bitmap_bpp(bm->format);
	uint32_t pal[256];
	unsigned int n_pal = 0;
	struct qxl_buf buf;
	uint64_t need;
	int ret;

	if (!bpp) {
		qxl_report_bug(&m->report, "bitmap: invalid format %u",
			       bm->format);
		return -1;
	}
	need = bitmap_check(m, "bitmap", bm, bpp);
	if (!need)
		return -1;
	if (bpp <= 8 && bm->format != QXL_BITMAP_FMT_8BIT_A &&
	    read_palette(m, bm->palette, pal, &n_pal))
		return -1;
	if (read_pixels(m, bm, need, &buf))
		return -1;
	img->width = bm->x;
	img->height = bm->y;
	img->has_alpha = bm->format == QXL_BITMAP_FMT_RGBA ||
			 bm->format == QXL_BITMAP_FMT_8BIT_A;
	if (bpp >= 8 && n_pal == 0 && (bm->flags & QXL_BITMAP_TOP_DOWN) &&
	    !(bm->stride & 3) && bm->stride <= INT32_MAX) {
		/* Wrap in place: pixman only reads x * bpp per line. */
		img->owned = buf.owned;
		img->image = pixman_image_create_bits(
			bitmap_pixman(bm->format), (int)bm->x, (int)bm->y,
			(uint32_t *)(uintptr_t)buf.ptr, (int)bm->stride);
		return img->image ? 0 : -1;
	}
	ret = convert_bitmap(m, bm, buf.ptr, pal, img);
	qxl_buf_free(&buf);
	return ret;
}

int qxl_parse_image(const struct qxl_mem *m, qxl_phys addr,
		    struct qxl_img *img)
{
	struct qxl_image im;
	uint8_t *p;

	memset(img, 0, sizeof(*img));
	if (!qxl_memslot_copy(m, addr, &im.descriptor, sizeof(im.descriptor)))
		return -1;
	switch (im.descriptor.type) {
	case QXL_IMAGE_TYPE_BITMAP:
		p = qxl_memslot_translate(m, addr, sizeof(im.descriptor) +
					  sizeof(struct qxl_bitmap));
		if (!p)
			return -1;
		/* The descriptor was copied already: copy only the bitmap. */
		memcpy(&im.bitmap, p + sizeof(im.descriptor),
		       sizeof(struct qxl_bitmap));
		return bitmap_get(m, &im.bitmap, img);
	case QXL_IMAGE_TYPE_SURFACE:
		p = qxl_memslot_translate(m, addr, sizeof(im.descriptor) +
					  sizeof(struct qxl_surface_id));
		if (!p)
			return -1;
		memcpy(&img->surface_id, p + sizeof(im.descriptor),
		       sizeof(img->surface_id));
		img->is_surface = true;
		return 0;
	default:
		/* Compressed or cached images come from SPICE servers only. */
		qxl_report_debug(&m->report, "image type %u not drawn",
				 im.descriptor.type);
		return 1;
	}
}

int qxl_parse_mask(const struct qxl_mem *m, qxl_phys addr,
		   struct qxl_img *img)
{
	struct qxl_image im;
	struct qxl_buf buf;
	uint64_t need;
	uint32_t x, y;

	memset(img, 0, sizeof(*img));
	if (!qxl_memslot_copy(m, addr, &im, sizeof(im.descriptor) +
			      sizeof(struct qxl_bitmap)))
		return -1;
	if (im.descriptor.type != QXL_IMAGE_TYPE_BITMAP ||
	    (im.bitmap.format != QXL_BITMAP_FMT_1BIT_LE &&
	     im.bitmap.format != QXL_BITMAP_FMT_1BIT_BE)) {
		qxl_report_bug(&m->report, "mask: not a 1-bit bitmap (type %u "
			       "format %u)", im.descriptor.type,
			       im.bitmap.format);
		return -1;
	}
	need = bitmap_check(m, "mask", &im.bitmap, 1);
	if (!need)
		return -1;
	if ((uint64_t)im.bitmap.x * im.bitmap.y > QXL_MAX_IMAGE_BYTES) {
		qxl_report_bug(&m->report, "mask: %ux%u is above the cap",
			       im.bitmap.x, im.bitmap.y);
		return -1;
	}
	if (read_pixels(m, &im.bitmap, need, &buf))
		return -1;
	img->owned = malloc((size_t)im.bitmap.x * im.bitmap.y);
	if (!img->owned) {
		qxl_buf_free(&buf);
		return -1;
	}
	for (y = 0; y < im.bitmap.y; y++) {
		const uint8_t *in = buf.ptr + (uint64_t)im.bitmap.stride *
			((im.bitmap.flags & QXL_BITMAP_TOP_DOWN) ? y :
			 im.bitmap.y - 1 - y);

		for (x = 0; x < im.bitmap.x; x++)
			img->owned[(size_t)y * im.bitmap.x + x] =
				qxl_bitmap_index(in, x, im.bitmap.format) ?
				0xff : 0;
	}
	qxl_buf_free(&buf);
	img->width = im.bitmap.x;
	img->height = im.bitmap.y;
	return 0;
}
