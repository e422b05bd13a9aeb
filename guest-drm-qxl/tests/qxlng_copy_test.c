// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the pixel copy (qxlng_copy.c).  Every byte of the range
 * arrives, in order, whatever the length (rounds of 64, words of 8, a
 * byte tail) and the alignment of either end; nothing before or after
 * the destination range is written.  The RGB565 widening gives each
 * pixel its XRGB8888 value and narrows back to the same 565 value.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../qxlng_logic.h"
#include "qxlng_kunit.h"

/* Bytes around the destination range that must stay as they were. */
#define GUARD	16
#define GUARD_BYTE	0xa5

struct copy_case {
	const char *name;
	size_t len;
	unsigned int src_off;	/* from an 8-byte aligned address */
	unsigned int dst_off;
};

static const struct copy_case copy_cases[] = {
	{ "empty", 0, 0, 0 },
	{ "one_byte", 1, 0, 0 },
	{ "byte_tail_only", 7, 3, 5 },
	{ "one_word", 8, 0, 0 },
	{ "words_and_tail", 63, 1, 0 },
	{ "one_round", 64, 0, 0 },
	{ "round_and_byte", 65, 0, 7 },
	{ "round_word_tail", 64 + 8 + 3, 5, 2 },
	{ "cursor_line", 64 * 4, 0, 4 },
	{ "frame_line_aligned", 1024 * 4, 0, 0 },
	{ "frame_line_chunk_header", 1024 * 4, 0, 20 },
	{ "odd_width_line", 1023 * 4, 4, 0 },
	{ "both_misaligned", 4099, 3, 7 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(copy, copy_cases, name);

static void qxlng_copy_bytes_cases(struct kunit *test)
{
	const struct copy_case *c = test->param_value;
	size_t i, size = c->len + 2 * GUARD + 8;
	u8 *src, *dst, *d;

	src = kunit_kmalloc(test, size, GFP_KERNEL);
	dst = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	/* A pattern that repeats only every 251 bytes: shifts show. */
	for (i = 0; i < size; i++)
		src[i] = (u8)(i % 251 + 1);
	memset(dst, GUARD_BYTE, size);
	d = dst + GUARD + c->dst_off;

	qxlng_copy_bytes(d, src + c->src_off, c->len);

	for (i = 0; i < c->len; i++)
		KUNIT_ASSERT_EQ_MSG(test, d[i], src[c->src_off + i],
				    "byte %zu of %zu", i, c->len);
	for (i = 0; i < GUARD + c->dst_off; i++)
		KUNIT_ASSERT_EQ_MSG(test, dst[i], GUARD_BYTE,
				    "byte %zu before the range written", i);
	for (i = GUARD + c->dst_off + c->len; i < size; i++)
		KUNIT_ASSERT_EQ_MSG(test, dst[i], GUARD_BYTE,
				    "byte %zu after the range written", i);
}

/* The source is only read. */
static void qxlng_copy_bytes_leaves_source(struct kunit *test)
{
	u8 src[200], want[200], dst[200];
	size_t i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 7);
	memcpy(want, src, sizeof(src));
	qxlng_copy_bytes(dst, src + 1, 150);
	KUNIT_EXPECT_EQ(test, memcmp(src, want, sizeof(src)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(dst, src + 1, 150), 0);
}

/* One RGB565 pixel and the XRGB8888 it widens to. */
struct rgb565_case {
	const char *name;
	u16 in;
	u32 out;
};

static const struct rgb565_case rgb565_cases[] = {
	{ "black", 0x0000, 0x000000 },
	{ "white", 0xffff, 0xffffff },
	{ "red", 0xf800, 0xff0000 },
	{ "green", 0x07e0, 0x00ff00 },
	{ "blue", 0x001f, 0x0000ff },
	/* Lowest bit of each channel: 5 bits 00001 -> 00001000. */
	{ "red_lsb", 0x0800, 0x080000 },
	{ "green_lsb", 0x0020, 0x000400 },
	{ "blue_lsb", 0x0001, 0x000008 },
	/* The desktop test's root: #306030 at depth 16. */
	{ "root_306030", (6 << 11) | (24 << 5) | 6, 0x316131 },
	/* Top bits repeat into the low ones: 10000 -> 10000100. */
	{ "top_bits_repeat", (16 << 11) | (32 << 5) | 16, 0x848284 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(rgb565, rgb565_cases, name);

static void qxlng_rgb565_pixel_cases(struct kunit *test)
{
	const struct rgb565_case *c = test->param_value;
	u8 src[3] = { 0xee, c->in & 0xff, c->in >> 8 };
	u8 dst[4 + GUARD];
	u32 got;

	memset(dst, GUARD_BYTE, sizeof(dst));
	/* An odd source address: the pixels need no alignment. */
	qxlng_copy_rgb565_to_xrgb8888(dst, src + 1, 1);
	got = dst[0] | dst[1] << 8 | dst[2] << 16 | (u32)dst[3] << 24;
	KUNIT_EXPECT_EQ(test, got, c->out);
	KUNIT_EXPECT_EQ(test, dst[4], GUARD_BYTE);
}

/*
 * Every 565 value widens to a distinct pixel, and narrowing it again
 * (what a 565 surface does with a 32 bpp bitmap) gives the value back.
 */
static void qxlng_rgb565_round_trip(struct kunit *test)
{
	const unsigned int n = 0x10000;
	u8 *src = kunit_kmalloc(test, 2 * n, GFP_KERNEL);
	u8 *dst = kunit_kmalloc(test, 4 * n + GUARD, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	for (i = 0; i < n; i++) {
		src[2 * i] = i & 0xff;
		src[2 * i + 1] = i >> 8;
	}
	memset(dst, GUARD_BYTE, 4 * n + GUARD);
	qxlng_copy_rgb565_to_xrgb8888(dst, src, n);
	for (i = 0; i < n; i++) {
		const u8 *p = dst + 4 * i;
		u32 back = (p[2] >> 3) << 11 | (p[1] >> 2) << 5 | p[0] >> 3;

		KUNIT_ASSERT_EQ_MSG(test, back, i, "pixel %#x", i);
		KUNIT_ASSERT_EQ_MSG(test, p[3], 0, "pixel %#x: x byte", i);
	}
	for (i = 0; i < GUARD; i++)
		KUNIT_ASSERT_EQ(test, dst[4 * n + i], GUARD_BYTE);
}

static struct kunit_case qxlng_copy_cases[] = {
	KUNIT_CASE_PARAM(qxlng_copy_bytes_cases, copy_gen_params),
	KUNIT_CASE(qxlng_copy_bytes_leaves_source),
	KUNIT_CASE_PARAM(qxlng_rgb565_pixel_cases, rgb565_gen_params),
	KUNIT_CASE(qxlng_rgb565_round_trip),
	{}
};

static struct kunit_suite qxlng_copy_suite = {
	.name = "qxlng_copy",
	.test_cases = qxlng_copy_cases,
};

kunit_test_suite(qxlng_copy_suite);

MODULE_DESCRIPTION("KUnit tests for qxlng's pixel copy");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QXLNG_KUNIT);
