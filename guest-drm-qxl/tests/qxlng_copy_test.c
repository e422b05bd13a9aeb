// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the pixel copy (qxlng_copy.c).  Every byte of the range
 * arrives, in order, whatever the length (rounds of 64, words of 8, a
 * byte tail) and the alignment of either end; nothing before or after
 * the destination range is written.
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

static struct kunit_case qxlng_copy_cases[] = {
	KUNIT_CASE_PARAM(qxlng_copy_bytes_cases, copy_gen_params),
	KUNIT_CASE(qxlng_copy_bytes_leaves_source),
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
