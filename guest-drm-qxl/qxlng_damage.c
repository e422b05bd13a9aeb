// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_damage.c - damage rectangles to QXL_DRAW_COPY rectangles.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>

#include "qxlng_logic.h"

static bool qxlng_rect_contains(const struct qxl_rect *outer,
				const struct qxl_rect *inner)
{
	return inner->left >= outer->left && inner->right <= outer->right &&
	       inner->top >= outer->top && inner->bottom <= outer->bottom;
}

/* Clip r to [0, w) x [0, h); false if nothing is left. */
static bool qxlng_clip(const struct qxlng_damage_rect *r, u32 w, u32 h,
		       struct qxl_rect *out)
{
	s64 x1 = max_t(s64, r->x1, 0), y1 = max_t(s64, r->y1, 0);
	s64 x2 = min_t(s64, r->x2, w), y2 = min_t(s64, r->y2, h);

	if (x1 >= x2 || y1 >= y2)
		return false;
	out->left = x1;
	out->top = y1;
	out->right = x2;
	out->bottom = y2;
	return true;
}

unsigned int qxlng_damage_to_rects(const struct qxlng_damage_rect *in,
				   unsigned int n_in, u32 fb_width,
				   u32 fb_height, struct qxl_rect *out,
				   unsigned int max_out)
{
	struct qxl_rect bbox = { 0 };
	unsigned int i, j, n = 0;
	bool overflow = false, any = false;

	if (!max_out || fb_width > S32_MAX || fb_height > S32_MAX)
		return 0;

	for (i = 0; i < n_in; i++) {
		struct qxl_rect r;
		bool dup = false;

		if (!qxlng_clip(&in[i], fb_width, fb_height, &r))
			continue;
		if (!any) {
			bbox = r;
			any = true;
		} else {
			bbox.left = min(bbox.left, r.left);
			bbox.top = min(bbox.top, r.top);
			bbox.right = max(bbox.right, r.right);
			bbox.bottom = max(bbox.bottom, r.bottom);
		}
		if (overflow)
			continue;
		for (j = 0; j < n; j++) {
			if (qxlng_rect_contains(&out[j], &r)) {
				dup = true;
				break;
			}
		}
		if (dup)
			continue;
		if (n == max_out) {
			overflow = true;
			continue;
		}
		out[n++] = r;
	}
	if (overflow) {
		out[0] = bbox;
		n = 1;
	}
	return n;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_damage_to_rects);

u32 qxlng_damage_band_lines(u32 width, u32 max_bytes)
{
	u32 stride, size;

	if (!qxlng_bitmap_size(width, 1, &stride, &size) || !stride)
		return 0;
	return max_bytes / stride;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_damage_band_lines);

bool qxlng_bitmap_size(u32 width, u32 height, u32 *stride, u32 *size)
{
	u64 s = (u64)width * 4;
	u64 total = s * height;

	if (s > U32_MAX || total > U32_MAX)
		return false;
	*stride = s;
	*size = total;
	return true;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_bitmap_size);

bool qxlng_primary_size(u32 format, u32 width, u32 height, u32 *stride,
			u32 *size)
{
	u64 s, total;

	switch (format) {
	case QXL_SURFACE_FMT_32_xRGB:
		s = (u64)width * 4;
		break;
	case QXL_SURFACE_FMT_16_565:
		/* Lines start on 4 bytes: the device's pixman images. */
		s = round_up((u64)width * 2, 4);
		break;
	default:
		return false;
	}
	total = s * height;
	if (!width || !height || s > U32_MAX || total > U32_MAX)
		return false;
	*stride = s;
	*size = total;
	return true;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_primary_size);
