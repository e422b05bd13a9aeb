// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the client monitors config (qxlng_monitors.c): CRC check, count
 * clamping, rectangle conversion, and the bounded re-read loop, fed with
 * snapshots a device (or a torn read) could give.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "../qxlng_logic.h"
#include "qxlng_kunit.h"

static struct qxl_client_monitors_config *new_config(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	return cfg;
}

static void set_head(struct qxl_client_monitors_config *cfg, unsigned int i,
		     u32 left, u32 top, u32 right, u32 bottom)
{
	cfg->heads[i].left = left;
	cfg->heads[i].top = top;
	cfg->heads[i].right = right;
	cfg->heads[i].bottom = bottom;
}

static u32 crc_of(const struct qxl_client_monitors_config *cfg)
{
	return qxl_client_monitors_config_crc(cfg, sizeof(*cfg));
}

static void expect_head(struct kunit *test, const struct qxlng_head_rect *got,
			u32 x, u32 y, u32 w, u32 h)
{
	KUNIT_EXPECT_EQ(test, got->x, x);
	KUNIT_EXPECT_EQ(test, got->y, y);
	KUNIT_EXPECT_EQ(test, got->w, w);
	KUNIT_EXPECT_EQ(test, got->h, h);
}

/* Two heads side by side, as a client with two windows would ask. */
static void two_heads(struct qxl_client_monitors_config *cfg)
{
	cfg->count = 2;
	set_head(cfg, 0, 0, 0, 1024, 768);
	set_head(cfg, 1, 1024, 0, 2944, 1080);
}

static void qxlng_monitors_parses_two_heads(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[4];

	two_heads(cfg);
	KUNIT_ASSERT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), 4, heads),
			2);
	expect_head(test, &heads[0], 0, 0, 1024, 768);
	expect_head(test, &heads[1], 1024, 0, 1920, 1080);
}

/* The CRC QEMU stores for this config (zlib, see qxlng_abi_crc_test.c). */
static void qxlng_monitors_accepts_device_computed_crc(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[2];

	two_heads(cfg);
	KUNIT_EXPECT_EQ(test, qxlng_monitors_parse(cfg, 0x0696195f, 2, heads),
			2);
}

static void qxlng_monitors_rejects_crc_mismatch(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[2];
	u32 crc;

	two_heads(cfg);
	crc = crc_of(cfg);
	memset(heads, 0xa5, sizeof(heads));
	KUNIT_EXPECT_EQ(test, qxlng_monitors_parse(cfg, crc ^ 1, 2, heads),
			-EBADMSG);
	/* A head changed after the CRC was computed: a torn read. */
	cfg->heads[1].right = 3000;
	KUNIT_EXPECT_EQ(test, qxlng_monitors_parse(cfg, crc, 2, heads),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, heads[0].w, 0xa5a5a5a5u);	/* untouched */
}

static void qxlng_monitors_zero_count_gives_no_heads(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[2];

	set_head(cfg, 0, 0, 0, 1024, 768);	/* ignored: count is 0 */
	KUNIT_EXPECT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), 2, heads),
			0);
}

static void qxlng_monitors_clamps_count_to_max_heads(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[3];

	two_heads(cfg);
	cfg->count = 4;
	set_head(cfg, 2, 0, 768, 800, 1368);
	set_head(cfg, 3, 800, 768, 1600, 1368);
	memset(heads, 0xa5, sizeof(heads));
	KUNIT_EXPECT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), 2, heads),
			2);
	KUNIT_EXPECT_EQ(test, heads[2].w, 0xa5a5a5a5u);	/* untouched */
	KUNIT_EXPECT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), 0, heads),
			0);
}

/* A count beyond the array in the ROM, with a matching CRC. */
static void qxlng_monitors_clamps_count_to_rom_array(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect *heads;
	const unsigned int room = QXL_CLIENT_MONITORS_MAX + 16;

	heads = kunit_kcalloc(test, room, sizeof(*heads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, heads);
	memset(heads, 0xa5, room * sizeof(*heads));
	cfg->count = 0xffff;
	KUNIT_EXPECT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), room,
						   heads),
			QXL_CLIENT_MONITORS_MAX);
	KUNIT_EXPECT_EQ(test, heads[QXL_CLIENT_MONITORS_MAX].w, 0xa5a5a5a5u);
}

/*
 * One client head (next to a usable one) and what the driver makes of
 * it.  An "off" head gets w = h = 0 and keeps its position, unless the
 * position is one no desktop has (an edge beyond QXLNG_MONITOR_MAX_COORD,
 * x or y near 2^32): then nothing of it survives.
 */
struct head_case {
	const char *name;
	u32 left, top, right, bottom;
	u32 x, y, w, h;		/* expected */
	const char *why;	/* in qxlng_monitors_head_check(); NULL: usable */
};

#define MAX_COORD	QXLNG_MONITOR_MAX_COORD

static const struct head_case head_cases[] = {
	{ "head_normal", 10, 20, 810, 620, 10, 20, 800, 600, NULL },
	{ "head_16384_wide_kept", 0, 0, 16384, 16, 0, 0, 16384, 16, NULL },
	{ "head_16384_high_kept", 0, 0, 16, 16384, 0, 0, 16, 16384, NULL },
	{ "head_ending_at_max_coord_kept", MAX_COORD - 1024, MAX_COORD - 768,
	  MAX_COORD, MAX_COORD, MAX_COORD - 1024, MAX_COORD - 768, 1024, 768,
	  NULL },
	{ "head_empty_width_off", 100, 0, 100, 768, 100, 0, 0, 0, "empty" },
	{ "head_empty_height_off", 0, 50, 1024, 50, 0, 50, 0, 0, "empty" },
	{ "head_inverted_x_off", 1024, 0, 0, 768, 1024, 0, 0, 0, "inverted" },
	{ "head_inverted_y_off", 0, 768, 1024, 0, 0, 768, 0, 0, "inverted" },
	{ "head_wider_than_16384_off", 0, 0, 16385, 16, 0, 0, 0, 0, "16384" },
	{ "head_higher_than_16384_off", 0, 0, 16, 16385, 0, 0, 0, 0, "16384" },
	{ "head_u32_max_extent_off", 0, 0, 0xffffffff, 0xffffffff,
	  0, 0, 0, 0, "MAX_COORD" },
	{ "x_near_u32_max_off", 0xfffff000, 0, 0xfffff400, 768,
	  0, 0, 0, 0, "MAX_COORD" },
	{ "y_near_u32_max_off", 0, 0xfffffc00, 1024, 0xffffffff,
	  0, 0, 0, 0, "MAX_COORD" },
	{ "x_plus_width_past_max_coord_off", MAX_COORD - 1023, 0,
	  MAX_COORD + 1, 768, 0, 0, 0, 0, "MAX_COORD" },
	{ "y_plus_height_past_max_coord_off", 0, 100, 1024, MAX_COORD + 1,
	  0, 0, 0, 0, "MAX_COORD" },
	{ "inverted_with_x_near_u32_max_off", 0xfffff000, 0, 16, 768,
	  0, 0, 0, 0, "MAX_COORD" },
	{ "inverted_with_y_near_u32_max_off", 0, 0xffffff00, 16, 768,
	  0, 0, 0, 0, "MAX_COORD" },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(head, head_cases, name);

static void qxlng_monitors_converts_head(struct kunit *test)
{
	const struct head_case *c = test->param_value;
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[2];
	const char *why;

	cfg->count = 2;
	set_head(cfg, 0, c->left, c->top, c->right, c->bottom);
	set_head(cfg, 1, 0, 0, 800, 600);
	memset(heads, 0xa5, sizeof(heads));
	KUNIT_ASSERT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), 2, heads),
			2);
	expect_head(test, &heads[0], c->x, c->y, c->w, c->h);
	/* The other head is unaffected. */
	expect_head(test, &heads[1], 0, 0, 800, 600);
	/* The reason logged for a head switched off names what is wrong. */
	why = qxlng_monitors_head_check(&cfg->heads[0]);
	if (!c->why) {
		KUNIT_EXPECT_NULL(test, why);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, c->why),
				  "reason '%s' does not name '%s'", why,
				  c->why);
}

/* ---- qxlng_monitors_read: the re-read loop ---------------------------- */

/* A fake ROM: the first 'torn' snapshots carry a wrong CRC. */
struct fake_rom {
	struct qxl_client_monitors_config cfg;
	unsigned int torn;
	unsigned int reads;
};

static void fake_read(void *ctx, struct qxl_client_monitors_config *cfg,
		      u32 *crc)
{
	struct fake_rom *rom = ctx;

	memcpy(cfg, &rom->cfg, sizeof(*cfg));
	*crc = crc_of(&rom->cfg);
	if (rom->reads < rom->torn) {
		/* The device rewrote a head between the CRC and the copy. */
		cfg->heads[0].right += rom->reads + 1;
	}
	rom->reads++;
}

static struct fake_rom *new_fake_rom(struct kunit *test, unsigned int torn)
{
	struct fake_rom *rom = kunit_kzalloc(test, sizeof(*rom), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rom);
	two_heads(&rom->cfg);
	rom->torn = torn;
	return rom;
}

/* The re-read loop against a ROM whose first 'torn' snapshots are torn. */
struct read_case {
	const char *name;
	unsigned int torn;
	unsigned int max_tries;
	int ret;		/* expected from qxlng_monitors_read() */
	unsigned int reads;	/* snapshots it takes */
};

#define TRIES	QXLNG_MONITORS_READ_TRIES

static const struct read_case read_cases[] = {
	{ "first_snapshot_good", 0, TRIES, 2, 1 },
	{ "retries_torn_snapshots", TRIES - 1, TRIES, 2, TRIES },
	{ "gives_up_after_max_tries", 1000, TRIES, -EBADMSG, TRIES },
	{ "zero_tries_reads_nothing", 0, 0, -EBADMSG, 0 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(read, read_cases, name);

static void qxlng_monitors_read_snapshots(struct kunit *test)
{
	const struct read_case *c = test->param_value;
	struct fake_rom *rom = new_fake_rom(test, c->torn);
	struct qxl_client_monitors_config *scratch = new_config(test);
	struct qxlng_head_rect heads[2];

	KUNIT_EXPECT_EQ(test, qxlng_monitors_read(fake_read, rom, c->max_tries,
						  scratch, 2, heads), c->ret);
	KUNIT_EXPECT_EQ(test, rom->reads, c->reads);
	if (c->ret < 0)
		return;
	/* The result is the good snapshot, not a torn one. */
	expect_head(test, &heads[0], 0, 0, 1024, 768);
	expect_head(test, &heads[1], 1024, 0, 1920, 1080);
}

static struct kunit_case qxlng_monitors_cases[] = {
	KUNIT_CASE(qxlng_monitors_parses_two_heads),
	KUNIT_CASE(qxlng_monitors_accepts_device_computed_crc),
	KUNIT_CASE(qxlng_monitors_rejects_crc_mismatch),
	KUNIT_CASE(qxlng_monitors_zero_count_gives_no_heads),
	KUNIT_CASE(qxlng_monitors_clamps_count_to_max_heads),
	KUNIT_CASE(qxlng_monitors_clamps_count_to_rom_array),
	KUNIT_CASE_PARAM(qxlng_monitors_converts_head, head_gen_params),
	KUNIT_CASE_PARAM(qxlng_monitors_read_snapshots, read_gen_params),
	{}
};

static struct kunit_suite qxlng_monitors_suite = {
	.name = "qxlng_monitors",
	.test_cases = qxlng_monitors_cases,
};

kunit_test_suite(qxlng_monitors_suite);

MODULE_DESCRIPTION("KUnit tests for qxlng's client monitors config");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QXLNG_KUNIT);
