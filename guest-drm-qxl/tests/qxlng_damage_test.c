// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: damage rectangles to QXL_DRAW_COPY rectangles (qxlng_damage.c):
 * clipping to the framebuffer, dropping empty and covered rectangles,
 * the bounding box when too many remain, and bitmap size arithmetic.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "../qxlng_logic.h"
#include "qxlng_kunit.h"

#define FB_W 1024
#define FB_H 768

static void expect_rect(struct kunit *test, const struct qxl_rect *r,
			s32 left, s32 top, s32 right, s32 bottom)
{
	KUNIT_EXPECT_EQ(test, r->left, left);
	KUNIT_EXPECT_EQ(test, r->top, top);
	KUNIT_EXPECT_EQ(test, r->right, right);
	KUNIT_EXPECT_EQ(test, r->bottom, bottom);
}

/* One damage rectangle against a 1024x768 framebuffer. */
struct clip_case {
	const char *name;
	struct qxlng_damage_rect in;
	unsigned int n;			/* 0: dropped */
	s32 left, top, right, bottom;	/* expected when n == 1 */
};

static const struct clip_case clip_cases[] = {
	{ "inside_kept_as_is", { 10, 20, 110, 220 }, 1, 10, 20, 110, 220 },
	{ "whole_framebuffer", { 0, 0, FB_W, FB_H }, 1, 0, 0, FB_W, FB_H },
	{ "one_pixel", { 5, 6, 6, 7 }, 1, 5, 6, 6, 7 },
	{ "clipped_at_left_and_top", { -50, -10, 100, 100 }, 1, 0, 0, 100, 100 },
	{ "clipped_at_right_and_bottom", { 1000, 700, 2000, 5000 }, 1,
	  1000, 700, FB_W, FB_H },
	{ "s32_extremes_clipped_to_fb", { S32_MIN, S32_MIN, S32_MAX, S32_MAX },
	  1, 0, 0, FB_W, FB_H },
	{ "dropped_left_of_fb", { -100, 0, 0, 100 }, 0 },
	{ "dropped_below_fb", { 0, FB_H, 100, FB_H + 10 }, 0 },
	{ "dropped_right_of_fb", { FB_W, 0, FB_W + 1, 10 }, 0 },
	{ "dropped_empty_width", { 10, 10, 10, 20 }, 0 },
	{ "dropped_empty_height", { 10, 10, 20, 10 }, 0 },
	{ "dropped_inverted", { 200, 200, 100, 100 }, 0 },
	{ "dropped_inverted_huge", { S32_MAX, S32_MAX, S32_MIN, S32_MIN }, 0 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(clip, clip_cases, name);

static void qxlng_damage_clips_to_framebuffer(struct kunit *test)
{
	const struct clip_case *c = test->param_value;
	struct qxl_rect out[2];

	memset(out, 0x5a, sizeof(out));
	KUNIT_ASSERT_EQ(test, qxlng_damage_to_rects(&c->in, 1, FB_W, FB_H, out,
						    ARRAY_SIZE(out)), c->n);
	if (c->n)
		expect_rect(test, &out[0], c->left, c->top, c->right,
			    c->bottom);
}

static void qxlng_damage_keeps_order_and_fields(struct kunit *test)
{
	static const struct qxlng_damage_rect in[] = {
		{ 1, 2, 3, 4 }, { 100, 200, 300, 400 }, { 500, 10, 600, 20 },
	};
	struct qxl_rect out[4];

	KUNIT_ASSERT_EQ(test, qxlng_damage_to_rects(in, ARRAY_SIZE(in), FB_W,
						    FB_H, out, 4), 3u);
	expect_rect(test, &out[0], 1, 2, 3, 4);
	expect_rect(test, &out[1], 100, 200, 300, 400);
	expect_rect(test, &out[2], 500, 10, 600, 20);
}

static void qxlng_damage_drops_rect_covered_by_earlier(struct kunit *test)
{
	static const struct qxlng_damage_rect in[] = {
		{ 0, 0, 500, 500 }, { 10, 10, 20, 20 }, { 0, 0, 500, 500 },
		{ -5, -5, 100, 100 },	/* covered once clipped */
	};
	struct qxl_rect out[4];

	KUNIT_ASSERT_EQ(test, qxlng_damage_to_rects(in, ARRAY_SIZE(in), FB_W,
						    FB_H, out, 4), 1u);
	expect_rect(test, &out[0], 0, 0, 500, 500);
}

static void qxlng_damage_keeps_rect_covering_earlier(struct kunit *test)
{
	static const struct qxlng_damage_rect in[] = {
		{ 10, 10, 20, 20 }, { 0, 0, 500, 500 },
	};
	struct qxl_rect out[4];

	/* Not required to merge, but nothing may be lost. */
	KUNIT_ASSERT_EQ(test, qxlng_damage_to_rects(in, ARRAY_SIZE(in), FB_W,
						    FB_H, out, 4), 2u);
	expect_rect(test, &out[1], 0, 0, 500, 500);
}

static void qxlng_damage_exactly_max_out_kept(struct kunit *test)
{
	struct qxlng_damage_rect in[QXLNG_DAMAGE_MAX_RECTS];
	struct qxl_rect out[QXLNG_DAMAGE_MAX_RECTS];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++)
		in[i] = (struct qxlng_damage_rect){ i * 10, i, i * 10 + 5, i + 1 };
	KUNIT_ASSERT_EQ(test, qxlng_damage_to_rects(in, ARRAY_SIZE(in), FB_W,
						    FB_H, out, ARRAY_SIZE(out)),
			(unsigned int)QXLNG_DAMAGE_MAX_RECTS);
	expect_rect(test, &out[QXLNG_DAMAGE_MAX_RECTS - 1],
		    (QXLNG_DAMAGE_MAX_RECTS - 1) * 10, QXLNG_DAMAGE_MAX_RECTS - 1,
		    (QXLNG_DAMAGE_MAX_RECTS - 1) * 10 + 5, QXLNG_DAMAGE_MAX_RECTS);
}

/* One more than fits: a single bounding box of all, including the last. */
static void qxlng_damage_too_many_becomes_bounding_box(struct kunit *test)
{
	struct qxlng_damage_rect in[QXLNG_DAMAGE_MAX_RECTS + 3];
	struct qxl_rect out[QXLNG_DAMAGE_MAX_RECTS];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++)
		in[i] = (struct qxlng_damage_rect){ 100 + i * 10, 50 + i,
						    105 + i * 10, 51 + i };
	in[ARRAY_SIZE(in) - 1] = (struct qxlng_damage_rect){ 900, 700, 2000,
							     2000 };
	KUNIT_ASSERT_EQ(test, qxlng_damage_to_rects(in, ARRAY_SIZE(in), FB_W,
						    FB_H, out, ARRAY_SIZE(out)),
			1u);
	expect_rect(test, &out[0], 100, 50, FB_W, FB_H);
}

static void qxlng_damage_covered_rects_do_not_count_toward_limit(struct kunit *test)
{
	static const struct qxlng_damage_rect in[] = {
		{ 0, 0, 100, 100 }, { 10, 10, 20, 20 }, { 30, 30, 40, 40 },
		{ 500, 500, 600, 600 },
	};
	struct qxl_rect out[2];

	KUNIT_ASSERT_EQ(test, qxlng_damage_to_rects(in, ARRAY_SIZE(in), FB_W,
						    FB_H, out, 2), 2u);
	expect_rect(test, &out[0], 0, 0, 100, 100);
	expect_rect(test, &out[1], 500, 500, 600, 600);
}

static void qxlng_damage_max_out_zero_stores_nothing(struct kunit *test)
{
	static const struct qxlng_damage_rect in = { 0, 0, 10, 10 };
	struct qxl_rect out;

	memset(&out, 0x5a, sizeof(out));
	KUNIT_EXPECT_EQ(test, qxlng_damage_to_rects(&in, 1, FB_W, FB_H, &out, 0),
			0u);
	KUNIT_EXPECT_EQ(test, out.left, (s32)0x5a5a5a5a);
}

static void qxlng_damage_no_input_or_empty_fb_gives_nothing(struct kunit *test)
{
	static const struct qxlng_damage_rect in = { 0, 0, 10, 10 };
	struct qxl_rect out[1];

	KUNIT_EXPECT_EQ(test, qxlng_damage_to_rects(&in, 0, FB_W, FB_H, out, 1),
			0u);
	KUNIT_EXPECT_EQ(test, qxlng_damage_to_rects(&in, 1, 0, FB_H, out, 1),
			0u);
	KUNIT_EXPECT_EQ(test, qxlng_damage_to_rects(&in, 1, FB_W, 0, out, 1),
			0u);
}

static void qxlng_damage_rejects_fb_wider_than_s32(struct kunit *test)
{
	static const struct qxlng_damage_rect in = { 0, 0, 10, 10 };
	struct qxl_rect out[1];

	KUNIT_EXPECT_EQ(test, qxlng_damage_to_rects(&in, 1, 0x80000000u, FB_H,
						    out, 1), 0u);
	KUNIT_EXPECT_EQ(test, qxlng_damage_to_rects(&in, 1, FB_W, 0xffffffffu,
						    out, 1), 0u);
}

/* ---- band lines and bitmap sizes ------------------------------------- */

struct band_case {
	const char *name;
	u32 width;
	u32 max_bytes;
	u32 lines;
};

static const struct band_case band_cases[] = {
	{ "exact_fit", 1024, 4096 * 100, 100 },
	{ "partial_line_dropped", 1024, 4096 * 100 + 4095, 100 },
	{ "one_line", 1024, 4096, 1 },
	{ "not_one_line", 1024, 4095, 0 },
	{ "zero_width", 0, 4096, 0 },
	{ "zero_bytes", 1024, 0, 0 },
	{ "stride_overflows_u32", 0x40000000, 0xffffffff, 0 },
	{ "widest_u32_stride", 0x3fffffff, 0xffffffff, 1 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(band, band_cases, name);

static void qxlng_damage_band_lines_cases(struct kunit *test)
{
	const struct band_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, qxlng_damage_band_lines(c->width, c->max_bytes),
			c->lines);
}

struct bitmap_case {
	const char *name;
	u32 width, height;
	bool ok;
	u32 stride, size;
};

static const struct bitmap_case bitmap_cases[] = {
	{ "xga", 1024, 768, true, 4096, 3145728 },
	{ "empty_width", 0, 768, true, 0, 0 },
	{ "empty_height", 1024, 0, true, 4096, 0 },
	{ "largest_size", 0x4000, 0xffff, true, 0x10000, 0xffff0000 },
	{ "size_overflows_u32", 0x4000, 0x10000, false },
	{ "stride_overflows_u32", 0x40000000, 1, false },
	{ "both_u32_max", 0xffffffff, 0xffffffff, false },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(bitmap, bitmap_cases, name);

static void qxlng_bitmap_size_cases(struct kunit *test)
{
	const struct bitmap_case *c = test->param_value;
	u32 stride = 0x5a5a5a5a, size = 0x5a5a5a5a;

	KUNIT_ASSERT_EQ(test, qxlng_bitmap_size(c->width, c->height, &stride,
						&size), c->ok);
	if (!c->ok)
		return;
	KUNIT_EXPECT_EQ(test, stride, c->stride);
	KUNIT_EXPECT_EQ(test, size, c->size);
}

struct primary_case {
	const char *name;
	u32 format;
	u32 width;
	u32 height;
	bool ok;
	u32 stride;
	u32 size;
};

static const struct primary_case primary_cases[] = {
	{ "xrgb_xga", QXL_SURFACE_FMT_32_xRGB, 1024, 768, true, 4096,
	  3145728 },
	{ "rgb565_xga", QXL_SURFACE_FMT_16_565, 1024, 768, true, 2048,
	  1572864 },
	/* Two heads side by side: 1024 + 800. */
	{ "rgb565_two_heads", QXL_SURFACE_FMT_16_565, 1824, 768, true, 3648,
	  2801664 },
	/* An odd width (a client's window) pads each line to 4 bytes. */
	{ "rgb565_odd_width_padded", QXL_SURFACE_FMT_16_565, 881, 3, true,
	  1764, 5292 },
	{ "rgb565_one_pixel", QXL_SURFACE_FMT_16_565, 1, 1, true, 4, 4 },
	{ "rgb565_size_overflows_u32", QXL_SURFACE_FMT_16_565, 0x8000,
	  0x10000, false },
	{ "rgb565_u32_max_width", QXL_SURFACE_FMT_16_565, 0xffffffff, 1,
	  false },
	{ "xrgb_stride_overflows_u32", QXL_SURFACE_FMT_32_xRGB, 0x40000000, 1,
	  false },
	{ "empty_width", QXL_SURFACE_FMT_16_565, 0, 768, false },
	{ "empty_height", QXL_SURFACE_FMT_32_xRGB, 1024, 0, false },
	/* Not primary formats of this driver. */
	{ "rgb555", QXL_SURFACE_FMT_16_555, 1024, 768, false },
	{ "argb", QXL_SURFACE_FMT_32_ARGB, 1024, 768, false },
	{ "invalid", QXL_SURFACE_FMT_INVALID, 1024, 768, false },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(primary, primary_cases, name);

static void qxlng_primary_size_cases(struct kunit *test)
{
	const struct primary_case *c = test->param_value;
	u32 stride = 0x5a5a5a5a, size = 0x5a5a5a5a;

	KUNIT_ASSERT_EQ(test, qxlng_primary_size(c->format, c->width,
						 c->height, &stride, &size),
			c->ok);
	if (!c->ok) {
		/* Nothing is stored on failure. */
		KUNIT_EXPECT_EQ(test, stride, 0x5a5a5a5a);
		KUNIT_EXPECT_EQ(test, size, 0x5a5a5a5a);
		return;
	}
	KUNIT_EXPECT_EQ(test, stride, c->stride);
	KUNIT_EXPECT_EQ(test, size, c->size);
	KUNIT_EXPECT_EQ(test, stride % 4, 0);
}

static struct kunit_case qxlng_damage_cases[] = {
	KUNIT_CASE_PARAM(qxlng_damage_clips_to_framebuffer, clip_gen_params),
	KUNIT_CASE(qxlng_damage_keeps_order_and_fields),
	KUNIT_CASE(qxlng_damage_drops_rect_covered_by_earlier),
	KUNIT_CASE(qxlng_damage_keeps_rect_covering_earlier),
	KUNIT_CASE(qxlng_damage_exactly_max_out_kept),
	KUNIT_CASE(qxlng_damage_too_many_becomes_bounding_box),
	KUNIT_CASE(qxlng_damage_covered_rects_do_not_count_toward_limit),
	KUNIT_CASE(qxlng_damage_max_out_zero_stores_nothing),
	KUNIT_CASE(qxlng_damage_no_input_or_empty_fb_gives_nothing),
	KUNIT_CASE(qxlng_damage_rejects_fb_wider_than_s32),
	KUNIT_CASE_PARAM(qxlng_damage_band_lines_cases, band_gen_params),
	KUNIT_CASE_PARAM(qxlng_bitmap_size_cases, bitmap_gen_params),
	KUNIT_CASE_PARAM(qxlng_primary_size_cases, primary_gen_params),
	{}
};

static struct kunit_suite qxlng_damage_suite = {
	.name = "qxlng_damage",
	.test_cases = qxlng_damage_cases,
};

kunit_test_suite(qxlng_damage_suite);

MODULE_DESCRIPTION("KUnit tests for qxlng's damage clipping");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QXLNG_KUNIT);
