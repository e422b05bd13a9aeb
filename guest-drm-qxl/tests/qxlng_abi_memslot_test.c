// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: memslot address encoding of qxl_abi.h.  A qxl_phys is
 * slot id | generation | offset, from the high bits down, with the bit
 * split the ROM gives (slot_id_bits, slot_gen_bits).
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <qxl/qxl_abi.h>

#include "qxlng_kunit.h"

struct split_case {
	const char *name;
	unsigned int id_bits;
	unsigned int gen_bits;
	unsigned int offset_bits;	/* 0: the split is invalid */
};

static const struct split_case split_cases[] = {
	{ "qemu_default_8_8", 8, 8, 48 },
	{ "no_generation_bits", 8, 0, 56 },
	{ "one_id_bit", 1, 0, 63 },
	{ "one_offset_bit_left", 1, 62, 1 },
	{ "one_offset_bit_left_no_gen", 63, 0, 1 },
	{ "rejects_zero_id_bits", 0, 8, 0 },
	{ "rejects_no_offset_bits", 32, 32, 0 },
	{ "rejects_all_bits_for_id", 64, 0, 0 },
	{ "rejects_gen_bits_past_64", 8, 200, 0 },
	{ "rejects_u8_max_gen_bits", 8, 255, 0 },
	{ "rejects_u8_max_id_bits", 255, 0, 0 },
	{ "rejects_gen_bits_that_wrap_the_sum", 8, 0xfffffff8u, 0 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(split, split_cases, name);

static void qxlng_memslot_offset_bits_for_split(struct kunit *test)
{
	const struct split_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, qxl_phys_offset_bits(c->id_bits, c->gen_bits),
			c->offset_bits);
}

/* An invalid split encodes nothing and decodes nothing. */
static void qxlng_memslot_invalid_split_gives_no_bits(struct kunit *test)
{
	const struct split_case *c = test->param_value;
	u32 slot = 0x11, gen = 0x22;
	u64 off = 0x33;
	int ok;

	if (c->offset_bits)
		kunit_skip(test, "valid split");
	KUNIT_EXPECT_EQ(test, qxl_memslot_high_bits(1, 1, c->id_bits,
						    c->gen_bits), 0ull);
	ok = qxl_phys_decode(~0ull, c->id_bits, c->gen_bits, &slot, &gen, &off);
	KUNIT_EXPECT_EQ(test, ok, 0);
	KUNIT_EXPECT_EQ(test, slot, 0x11u);
	KUNIT_EXPECT_EQ(test, gen, 0x22u);
	KUNIT_EXPECT_EQ(test, off, 0x33ull);
}

/* The values QEMU's default ROM (8 id bits, 8 generation bits) gives. */
static void qxlng_memslot_high_bits_qemu_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxl_memslot_high_bits(0, 0, 8, 8), 0ull);
	KUNIT_EXPECT_EQ(test, qxl_memslot_high_bits(1, 0, 8, 8),
			0x0100000000000000ull);
	KUNIT_EXPECT_EQ(test, qxl_memslot_high_bits(2, 3, 8, 8),
			0x0203000000000000ull);
	KUNIT_EXPECT_EQ(test, qxl_memslot_high_bits(7, 0xff, 8, 8),
			0x07ff000000000000ull);
}

static void qxlng_memslot_high_bits_masks_generation(struct kunit *test)
{
	/* A generation wider than gen_bits must not spill into the id. */
	KUNIT_EXPECT_EQ(test, qxl_memslot_high_bits(1, 0x1ff, 8, 8),
			0x01ff000000000000ull);
	KUNIT_EXPECT_EQ(test, qxl_memslot_high_bits(1, 5, 8, 0),
			0x0100000000000000ull);
}

/* One address decoded with a valid split. */
struct decode_case {
	const char *name;
	u64 addr;
	unsigned int id_bits;
	unsigned int gen_bits;
	u32 slot, gen;
	u64 off;
};

static const struct decode_case decode_cases[] = {
	{ "qemu_layout", 0x0203123456789abcull, 8, 8, 2, 3,
	  0x123456789abcull },
	{ "without_generation_bits", 0x05ffffffffffffffull, 8, 0, 5, 0,
	  0x00ffffffffffffffull },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(decode, decode_cases, name);

static void qxlng_memslot_decode(struct kunit *test)
{
	const struct decode_case *c = test->param_value;
	u32 slot = 0x5a5a5a5a, gen = 0x5a5a5a5a;
	u64 off = 0x5a5a5a5a;

	KUNIT_ASSERT_EQ(test, qxl_phys_decode(c->addr, c->id_bits, c->gen_bits,
					      &slot, &gen, &off), 1);
	KUNIT_EXPECT_EQ(test, slot, c->slot);
	KUNIT_EXPECT_EQ(test, gen, c->gen);
	KUNIT_EXPECT_EQ(test, off, c->off);
}

/* encode(slot, gen) | offset decodes back to the same three parts. */
static void qxlng_memslot_encode_decode_round_trip(struct kunit *test)
{
	static const u64 offsets[] = { 0, 1, 0xfff, 0x1000, 0x7fffffffull };
	static const struct { unsigned int id, gen; } splits[] = {
		{ 8, 8 }, { 8, 0 }, { 3, 5 }, { 16, 16 }, { 4, 1 },
	};
	unsigned int s, slot, gen, i;

	for (s = 0; s < ARRAY_SIZE(splits); s++) {
		unsigned int idb = splits[s].id, genb = splits[s].gen;
		unsigned int max_gen = genb ? (1u << genb) - 1 : 0;

		for (slot = 0; slot < QXL_NUM_MEMSLOTS && slot < (1u << idb); slot++) {
			for (gen = 0; gen <= min(max_gen, 3u); gen++) {
				for (i = 0; i < ARRAY_SIZE(offsets); i++) {
					u64 addr = qxl_memslot_high_bits(slot, gen, idb, genb) |
						   offsets[i];
					u32 d_slot, d_gen;
					u64 d_off;

					KUNIT_ASSERT_EQ(test, qxl_phys_decode(addr, idb, genb,
									      &d_slot, &d_gen,
									      &d_off), 1);
					KUNIT_EXPECT_EQ(test, d_slot, slot);
					KUNIT_EXPECT_EQ(test, d_gen, gen);
					KUNIT_EXPECT_EQ(test, d_off, offsets[i]);
				}
			}
		}
	}
}

static void qxlng_memslot_offset_keeps_below_generation(struct kunit *test)
{
	unsigned int bits = qxl_phys_offset_bits(8, 8);
	u64 top_offset = (1ull << bits) - 1;

	/* The largest offset fills exactly the bits below the generation. */
	KUNIT_EXPECT_EQ(test, qxl_memslot_high_bits(1, 1, 8, 8) & top_offset,
			0ull);
	KUNIT_EXPECT_EQ(test, (qxl_memslot_high_bits(1, 1, 8, 8) | top_offset) >> bits,
			0x0101ull);
}

static struct kunit_case qxlng_abi_memslot_cases[] = {
	KUNIT_CASE_PARAM(qxlng_memslot_offset_bits_for_split, split_gen_params),
	KUNIT_CASE_PARAM(qxlng_memslot_invalid_split_gives_no_bits,
			 split_gen_params),
	KUNIT_CASE(qxlng_memslot_high_bits_qemu_layout),
	KUNIT_CASE(qxlng_memslot_high_bits_masks_generation),
	KUNIT_CASE_PARAM(qxlng_memslot_decode, decode_gen_params),
	KUNIT_CASE(qxlng_memslot_encode_decode_round_trip),
	KUNIT_CASE(qxlng_memslot_offset_keeps_below_generation),
	{}
};

static struct kunit_suite qxlng_abi_memslot_suite = {
	.name = "qxlng_abi_memslot",
	.test_cases = qxlng_abi_memslot_cases,
};

kunit_test_suite(qxlng_abi_memslot_suite);

MODULE_DESCRIPTION("KUnit tests for the qxl_abi.h memslot address encoding");
MODULE_LICENSE("GPL");
