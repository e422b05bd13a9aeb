// SPDX-License-Identifier: MIT
/* Video detection and the MJPEG frames' encoder (see video.h). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

#include "channels/video.h"

static bool same_box(const pixman_box32_t *a, const pixman_box32_t *b)
{
	return a->x1 == b->x1 && a->y1 == b->y1 && a->x2 == b->x2 &&
	       a->y2 == b->y2;
}

bool sc_video_seen(struct sc_video *v, const pixman_region32_t *damage,
		   gint64 now_us)
{
	const pixman_box32_t *r, *big = NULL;
	int n, i;

	if (v->active || !pixman_region32_not_empty(damage))
		return false;
	if (v->count &&
	    pixman_region32_contains_rectangle((pixman_region32_t *)damage,
					       &v->cand) == PIXMAN_REGION_IN) {
		gint64 gap = now_us - v->last_us;

		if (gap > SC_VIDEO_MAX_GAP_US) {
			v->count = 1;
		} else if (gap >= SC_VIDEO_MIN_GAP_US) {
			v->count++;
		} else {
			return false;	/* the same frame, in pieces */
		}
		v->last_us = now_us;
		return v->count >= SC_VIDEO_FRAMES;
	}
	/* A new candidate: the largest rectangle big enough. */
	r = pixman_region32_rectangles((pixman_region32_t *)damage, &n);
	for (i = 0; i < n; i++) {
		if (r[i].x2 - r[i].x1 < SC_VIDEO_MIN_SIZE ||
		    r[i].y2 - r[i].y1 < SC_VIDEO_MIN_SIZE)
			continue;
		if (!big || (int64_t)(r[i].x2 - r[i].x1) * (r[i].y2 - r[i].y1) >
			    (int64_t)(big->x2 - big->x1) * (big->y2 - big->y1))
			big = &r[i];
	}
	if (!big) {
		if (v->count && now_us - v->last_us > SC_VIDEO_MAX_GAP_US)
			v->count = 0;
		return false;
	}
	if (!v->count || !same_box(big, &v->cand) ||
	    now_us - v->last_us > SC_VIDEO_MAX_GAP_US) {
		v->cand = *big;
		v->count = 1;
		v->last_us = now_us;
	}
	return false;
}

struct jerr {
	struct jpeg_error_mgr mgr;
	jmp_buf jmp;
};

static void on_error(j_common_ptr cinfo)
{
	longjmp(((struct jerr *)cinfo->err)->jmp, 1);
}

static void on_message(j_common_ptr cinfo)
{
	(void)cinfo;		/* warnings: not on stderr */
}

size_t sc_jpeg_encode(const uint32_t *px, size_t stride, uint32_t w,
		      uint32_t h, int quality, uint8_t **out)
{
	struct jpeg_compress_struct ci;
	struct jerr err;
	unsigned char *volatile buf = NULL;
	unsigned long size = 0;
	size_t got = 0;
	uint32_t y;

	*out = NULL;
	if (!w || !h || w > 65500 || h > 65500)
		return 0;
	memset(&ci, 0, sizeof(ci));
	ci.err = jpeg_std_error(&err.mgr);
	err.mgr.error_exit = on_error;
	err.mgr.output_message = on_message;
	if (setjmp(err.jmp)) {
		jpeg_destroy_compress(&ci);
		free(buf);
		return 0;
	}
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, (unsigned char **)&buf, &size);
	ci.image_width = w;
	ci.image_height = h;
	ci.input_components = 4;
	ci.in_color_space = JCS_EXT_BGRX;	/* xRGB in memory */
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, quality < 1 ? 1 : quality > 100 ? 100 : quality,
			 TRUE);
	ci.dct_method = JDCT_ISLOW;
	jpeg_start_compress(&ci, TRUE);
	for (y = 0; y < h; y++) {
		JSAMPROW row = (JSAMPROW)(px + (size_t)y * stride);

		jpeg_write_scanlines(&ci, &row, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	if (buf && size) {
		*out = g_memdup2(buf, size);
		got = size;
	}
	free(buf);
	return got;
}
