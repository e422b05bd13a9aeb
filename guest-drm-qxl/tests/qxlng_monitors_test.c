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
	KUNIT_EXPECT_EQ(test, heads[0].x, 0u);
	KUNIT_EXPECT_EQ(test, heads[0].y, 0u);
	KUNIT_EXPECT_EQ(test, heads[0].w, 1024u);
	KUNIT_EXPECT_EQ(test, heads[0].h, 768u);
	KUNIT_EXPECT_EQ(test, heads[1].x, 1024u);
	KUNIT_EXPECT_EQ(test, heads[1].y, 0u);
	KUNIT_EXPECT_EQ(test, heads[1].w, 1920u);
	KUNIT_EXPECT_EQ(test, heads[1].h, 1080u);
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

/* A head the driver must treat as "off" (w = h = 0), x/y kept. */
struct off_head_case {
	const char *name;
	u32 left, top, right, bottom;
	u32 w, h;	/* expected */
};

static const struct off_head_case head_cases[] = {
	{ "head_normal", 10, 20, 810, 620, 800, 600 },
	{ "head_16384_wide_kept", 0, 0, 16384, 16, 16384, 16 },
	{ "head_16384_high_kept", 0, 0, 16, 16384, 16, 16384 },
	{ "head_empty_width_off", 100, 0, 100, 768, 0, 0 },
	{ "head_empty_height_off", 0, 50, 1024, 50, 0, 0 },
	{ "head_inverted_x_off", 1024, 0, 0, 768, 0, 0 },
	{ "head_inverted_y_off", 0, 768, 1024, 0, 0, 0 },
	{ "head_wider_than_16384_off", 0, 0, 16385, 16, 0, 0 },
	{ "head_higher_than_16384_off", 0, 0, 16, 16385, 0, 0 },
	{ "head_u32_max_extent_off", 0, 0, 0xffffffff, 0xffffffff, 0, 0 },
};

static void head_desc(const struct off_head_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(head, head_cases, head_desc);

static void qxlng_monitors_converts_head(struct kunit *test)
{
	const struct off_head_case *c = test->param_value;
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[1];

	cfg->count = 1;
	set_head(cfg, 0, c->left, c->top, c->right, c->bottom);
	KUNIT_ASSERT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), 1, heads),
			1);
	KUNIT_EXPECT_EQ(test, heads[0].w, c->w);
	KUNIT_EXPECT_EQ(test, heads[0].h, c->h);
	KUNIT_EXPECT_EQ(test, heads[0].x, c->left);
	KUNIT_EXPECT_EQ(test, heads[0].y, c->top);
}

/* A position no desktop has: x or y near 2^32, or an edge past the limit. */
struct far_head_case {
	const char *name;
	u32 left, top, right, bottom;
};

static const struct far_head_case far_head_cases[] = {
	{ "x_near_u32_max_off", 0xfffff000, 0, 0xfffff400, 768 },
	{ "y_near_u32_max_off", 0, 0xfffffc00, 1024, 0xffffffff },
	{ "x_plus_width_past_max_coord_off", QXLNG_MONITOR_MAX_COORD - 1023, 0,
	  QXLNG_MONITOR_MAX_COORD + 1, 768 },
	{ "y_plus_height_past_max_coord_off", 0, 100, 1024,
	  QXLNG_MONITOR_MAX_COORD + 1 },
	{ "inverted_with_x_near_u32_max_off", 0xfffff000, 0, 16, 768 },
	{ "inverted_with_y_near_u32_max_off", 0, 0xffffff00, 16, 768 },
};

static void far_head_desc(const struct far_head_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(far_head, far_head_cases, far_head_desc);

static void qxlng_monitors_rejects_head_off_desktop(struct kunit *test)
{
	const struct far_head_case *c = test->param_value;
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[2];
	const char *why;

	cfg->count = 2;
	set_head(cfg, 0, c->left, c->top, c->right, c->bottom);
	set_head(cfg, 1, 0, 0, 800, 600);
	memset(heads, 0xa5, sizeof(heads));
	KUNIT_ASSERT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), 2, heads),
			2);
	/* Nothing of the hostile head survives, not even its position. */
	KUNIT_EXPECT_EQ(test, heads[0].x, 0u);
	KUNIT_EXPECT_EQ(test, heads[0].y, 0u);
	KUNIT_EXPECT_EQ(test, heads[0].w, 0u);
	KUNIT_EXPECT_EQ(test, heads[0].h, 0u);
	/* The other head is unaffected. */
	KUNIT_EXPECT_EQ(test, heads[1].w, 800u);
	KUNIT_EXPECT_EQ(test, heads[1].h, 600u);
	why = qxlng_monitors_head_check(&cfg->heads[0]);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, "MAX_COORD"),
				  "reason '%s' does not name the limit", why);
}

/* The last pixel column/row allowed: kept. */
static void qxlng_monitors_accepts_head_ending_at_max_coord(struct kunit *test)
{
	struct qxl_client_monitors_config *cfg = new_config(test);
	struct qxlng_head_rect heads[1];

	cfg->count = 1;
	set_head(cfg, 0, QXLNG_MONITOR_MAX_COORD - 1024,
		 QXLNG_MONITOR_MAX_COORD - 768, QXLNG_MONITOR_MAX_COORD,
		 QXLNG_MONITOR_MAX_COORD);
	KUNIT_ASSERT_EQ(test, qxlng_monitors_parse(cfg, crc_of(cfg), 1, heads),
			1);
	KUNIT_EXPECT_EQ(test, heads[0].x, (u32)QXLNG_MONITOR_MAX_COORD - 1024);
	KUNIT_EXPECT_EQ(test, heads[0].y, (u32)QXLNG_MONITOR_MAX_COORD - 768);
	KUNIT_EXPECT_EQ(test, heads[0].w, 1024u);
	KUNIT_EXPECT_EQ(test, heads[0].h, 768u);
	KUNIT_EXPECT_NULL(test, qxlng_monitors_head_check(&cfg->heads[0]));
}

static void qxlng_monitors_head_check_names_reason(struct kunit *test)
{
	struct qxl_urect empty = { .left = 10, .right = 10, .bottom = 5 };
	struct qxl_urect big = { .right = 16385, .bottom = 5 };

	KUNIT_EXPECT_NOT_NULL(test, strstr(qxlng_monitors_head_check(&empty),
					   "empty"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(qxlng_monitors_head_check(&big),
					   "16384"));
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

static void qxlng_monitors_read_first_snapshot_good(struct kunit *test)
{
	struct fake_rom *rom = new_fake_rom(test, 0);
	struct qxl_client_monitors_config *scratch = new_config(test);
	struct qxlng_head_rect heads[2];

	KUNIT_EXPECT_EQ(test, qxlng_monitors_read(fake_read, rom,
						  QXLNG_MONITORS_READ_TRIES,
						  scratch, 2, heads), 2);
	KUNIT_EXPECT_EQ(test, rom->reads, 1u);
	KUNIT_EXPECT_EQ(test, heads[1].w, 1920u);
}

static void qxlng_monitors_read_retries_torn_snapshots(struct kunit *test)
{
	struct fake_rom *rom = new_fake_rom(test, QXLNG_MONITORS_READ_TRIES - 1);
	struct qxl_client_monitors_config *scratch = new_config(test);
	struct qxlng_head_rect heads[2];

	KUNIT_EXPECT_EQ(test, qxlng_monitors_read(fake_read, rom,
						  QXLNG_MONITORS_READ_TRIES,
						  scratch, 2, heads), 2);
	KUNIT_EXPECT_EQ(test, rom->reads, (unsigned int)QXLNG_MONITORS_READ_TRIES);
	/* The result is the good snapshot, not a torn one. */
	KUNIT_EXPECT_EQ(test, heads[0].w, 1024u);
}

static void qxlng_monitors_read_gives_up_after_max_tries(struct kunit *test)
{
	struct fake_rom *rom = new_fake_rom(test, 1000);
	struct qxl_client_monitors_config *scratch = new_config(test);
	struct qxlng_head_rect heads[2];

	KUNIT_EXPECT_EQ(test, qxlng_monitors_read(fake_read, rom,
						  QXLNG_MONITORS_READ_TRIES,
						  scratch, 2, heads), -EBADMSG);
	KUNIT_EXPECT_EQ(test, rom->reads, (unsigned int)QXLNG_MONITORS_READ_TRIES);
}

static void qxlng_monitors_read_zero_tries_reads_nothing(struct kunit *test)
{
	struct fake_rom *rom = new_fake_rom(test, 0);
	struct qxl_client_monitors_config *scratch = new_config(test);
	struct qxlng_head_rect heads[2];

	KUNIT_EXPECT_EQ(test, qxlng_monitors_read(fake_read, rom, 0, scratch, 2,
						  heads), -EBADMSG);
	KUNIT_EXPECT_EQ(test, rom->reads, 0u);
}

static struct kunit_case qxlng_monitors_cases[] = {
	KUNIT_CASE(qxlng_monitors_parses_two_heads),
	KUNIT_CASE(qxlng_monitors_accepts_device_computed_crc),
	KUNIT_CASE(qxlng_monitors_rejects_crc_mismatch),
	KUNIT_CASE(qxlng_monitors_zero_count_gives_no_heads),
	KUNIT_CASE(qxlng_monitors_clamps_count_to_max_heads),
	KUNIT_CASE(qxlng_monitors_clamps_count_to_rom_array),
	KUNIT_CASE_PARAM(qxlng_monitors_converts_head, head_gen_params),
	KUNIT_CASE_PARAM(qxlng_monitors_rejects_head_off_desktop,
			 far_head_gen_params),
	KUNIT_CASE(qxlng_monitors_accepts_head_ending_at_max_coord),
	KUNIT_CASE(qxlng_monitors_head_check_names_reason),
	KUNIT_CASE(qxlng_monitors_read_first_snapshot_good),
	KUNIT_CASE(qxlng_monitors_read_retries_torn_snapshots),
	KUNIT_CASE(qxlng_monitors_read_gives_up_after_max_tries),
	KUNIT_CASE(qxlng_monitors_read_zero_tries_reads_nothing),
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
