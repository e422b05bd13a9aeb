// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: qxl_client_monitors_config_crc() of qxl_abi.h, the CRC the
 * device stores in rom.client_monitors_config_crc.  It must equal the
 * kernel's crc32_le(0, ...) (what Linux's qxl.ko checks) and QEMU's
 * zlib crc32(0xffffffff, ...) ^ 0xffffffff (what the device writes).
 */
#include <kunit/test.h>
#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <qxl/qxl_abi.h>

#include "qxlng_kunit.h"

/* Known answers, computed independently with zlib (see the comment above). */
struct crc_vector {
	const char *name;
	const u8 *data;
	unsigned long len;
	u32 crc;
};

static const u8 digits[] = "123456789";
static const u8 zeros[4];
static const u8 ones[4] = { 0xff, 0xff, 0xff, 0xff };

static const struct crc_vector crc_vectors[] = {
	{ "empty_buffer_is_zero", digits, 0, 0 },
	{ "check_string_123456789", digits, 9, 0x2dfd2d88 },
	{ "zero_bytes_give_zero", zeros, sizeof(zeros), 0 },
	{ "ff_bytes", ones, sizeof(ones), 0xdebb20e3 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(crc_vector, crc_vectors, name);

static void qxlng_crc_known_answers(struct kunit *test)
{
	const struct crc_vector *v = test->param_value;

	KUNIT_EXPECT_EQ(test, qxl_client_monitors_config_crc(v->data, v->len),
			v->crc);
	KUNIT_EXPECT_EQ(test, crc32_le(0, v->data, v->len), v->crc);
}

static void fill_config(struct qxl_client_monitors_config *cfg, u16 count)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->count = count;
	cfg->heads[0].bottom = 768;
	cfg->heads[0].right = 1024;
	if (count > 1) {
		cfg->heads[1].left = 1024;
		cfg->heads[1].bottom = 1080;
		cfg->heads[1].right = 2944;
	}
}

/* Whole configs as QEMU would store them (zlib-computed values). */
static void qxlng_crc_monitors_config_matches_device_value(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	KUNIT_ASSERT_EQ(test, sizeof(*cfg), (size_t)1028);

	fill_config(cfg, 1);
	KUNIT_EXPECT_EQ(test, qxl_client_monitors_config_crc(cfg, sizeof(*cfg)),
			0x3dec149cu);
	fill_config(cfg, 2);
	KUNIT_EXPECT_EQ(test, qxl_client_monitors_config_crc(cfg, sizeof(*cfg)),
			0x0696195fu);
}

static void qxlng_crc_equals_crc32_le_on_random_buffers(struct kunit *test)
{
	struct rnd_state rnd;
	u8 *buf;
	int round;

	buf = kunit_kmalloc(test, 2048, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	prandom_seed_state(&rnd, 0x71786c);
	for (round = 0; round < 64; round++) {
		unsigned long len = prandom_u32_state(&rnd) % 2049;

		prandom_bytes_state(&rnd, buf, len);
		KUNIT_EXPECT_EQ_MSG(test,
				    qxl_client_monitors_config_crc(buf, len),
				    crc32_le(0, buf, len), "len %lu", len);
	}
}

/* Every single-bit change of a config changes its CRC. */
static void qxlng_crc_detects_every_single_bit_flip(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg;
	u32 good;
	size_t bit;
	u8 *p;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	fill_config(cfg, 2);
	good = qxl_client_monitors_config_crc(cfg, sizeof(*cfg));
	p = (u8 *)cfg;
	for (bit = 0; bit < sizeof(*cfg) * 8; bit++) {
		p[bit / 8] ^= 1 << (bit % 8);
		if (qxl_client_monitors_config_crc(cfg, sizeof(*cfg)) == good)
			KUNIT_FAIL(test, "flip of bit %zu not detected", bit);
		p[bit / 8] ^= 1 << (bit % 8);
	}
	KUNIT_EXPECT_EQ(test, qxl_client_monitors_config_crc(cfg, sizeof(*cfg)),
			good);
}

static struct kunit_case qxlng_abi_crc_cases[] = {
	KUNIT_CASE_PARAM(qxlng_crc_known_answers, crc_vector_gen_params),
	KUNIT_CASE(qxlng_crc_monitors_config_matches_device_value),
	KUNIT_CASE(qxlng_crc_equals_crc32_le_on_random_buffers),
	KUNIT_CASE(qxlng_crc_detects_every_single_bit_flip),
	{}
};

static struct kunit_suite qxlng_abi_crc_suite = {
	.name = "qxlng_abi_crc",
	.test_cases = qxlng_abi_crc_cases,
};

kunit_test_suite(qxlng_abi_crc_suite);

MODULE_DESCRIPTION("KUnit tests for the qxl_abi.h monitors config CRC");
MODULE_LICENSE("GPL");
