// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: ROM layout validation and mode list parsing (qxlng_modes.c), on
 * ROM images built here: one that looks like QEMU's, and hostile ones;
 * and the vblank period of a mode (qxlng_frame_ns).
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "../qxlng_logic.h"
#include "qxlng_kunit.h"

#define TEST_ROM_SIZE	8192
#define TEST_BAR0_SIZE	SZ_64M
#define TEST_MODES_OFF	sizeof(struct qxl_rom)

/* A ROM laid out like QEMU's default: 16 MiB surface0, header at the end. */
static struct qxl_rom *make_rom(struct kunit *test)
{
	struct qxl_rom *rom = kunit_kzalloc(test, TEST_ROM_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rom);
	rom->magic = QXL_ROM_MAGIC;
	rom->modes_offset = TEST_MODES_OFF;
	rom->surface0_area_size = SZ_16M;
	rom->ram_header_offset = TEST_BAR0_SIZE - 2 * QXL_PAGE_SIZE;
	rom->pages_offset = SZ_16M;
	rom->num_pages = (TEST_BAR0_SIZE - 2 * QXL_PAGE_SIZE - SZ_16M) /
			 QXL_PAGE_SIZE;
	rom->n_surfaces = 1024;
	rom->slots_start = QXL_MEMSLOT_START;
	rom->slots_end = QXL_MEMSLOT_END;
	rom->slot_id_bits = QXL_MEMSLOT_ID_BITS;
	rom->slot_gen_bits = QXL_MEMSLOT_GEN_BITS;
	return rom;
}

static struct qxl_modes *rom_modes(struct qxl_rom *rom)
{
	return (struct qxl_modes *)((u8 *)rom + rom->modes_offset);
}

static void add_mode(struct qxl_rom *rom, u32 x, u32 y, u32 bits,
		     u32 stride, u32 orientation)
{
	struct qxl_modes *list = rom_modes(rom);
	struct qxl_mode *m = &list->modes[list->n_modes];

	m->id = list->n_modes;
	m->x_res = x;
	m->y_res = y;
	m->bits = bits;
	m->stride = stride;
	m->orientation = orientation;
	list->n_modes++;
}

static void add_mode32(struct qxl_rom *rom, u32 x, u32 y)
{
	add_mode(rom, x, y, 32, x * 4, 0);
}

/* ---- qxlng_rom_check ------------------------------------------------ */

static void qxlng_rom_check_accepts_qemu_layout(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_rom_layout l;
	const char *why = NULL;

	KUNIT_ASSERT_EQ(test, qxlng_rom_check(rom, TEST_ROM_SIZE,
					      TEST_BAR0_SIZE, &l, &why), 0);
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, l.surface0_size, (u32)SZ_16M);
	KUNIT_EXPECT_EQ(test, l.pages_offset, (u32)SZ_16M);
	KUNIT_EXPECT_EQ(test, l.ram_header_offset,
			(u32)(TEST_BAR0_SIZE - 2 * QXL_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, l.pages_size,
			(u32)(TEST_BAR0_SIZE - 2 * QXL_PAGE_SIZE - SZ_16M));
	KUNIT_EXPECT_EQ(test, l.n_surfaces, 1024u);
	KUNIT_EXPECT_EQ(test, l.slots_start, (u8)1);
	KUNIT_EXPECT_EQ(test, l.slots_end, (u8)7);
	KUNIT_EXPECT_EQ(test, l.slot_id_bits, (u8)8);
	KUNIT_EXPECT_EQ(test, l.slot_gen_bits, (u8)8);
}

static void qxlng_rom_check_accepts_null_why(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_rom_layout l;

	KUNIT_EXPECT_EQ(test, qxlng_rom_check(rom, TEST_ROM_SIZE,
					      TEST_BAR0_SIZE, &l, NULL), 0);
	rom->magic = 0;
	KUNIT_EXPECT_EQ(test, qxlng_rom_check(rom, TEST_ROM_SIZE,
					      TEST_BAR0_SIZE, &l, NULL),
			-EINVAL);
}

/* Surface 0 is all the driver uses: one surface is enough. */
static void qxlng_rom_check_accepts_one_surface(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_rom_layout l;

	rom->n_surfaces = 1;
	KUNIT_EXPECT_EQ(test, qxlng_rom_check(rom, TEST_ROM_SIZE,
					      TEST_BAR0_SIZE, &l, NULL), 0);
	KUNIT_EXPECT_EQ(test, l.n_surfaces, 1u);
}

static void qxlng_rom_check_accepts_ram_header_ending_at_bar_end(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_rom_layout l;
	u64 bar = (u64)rom->ram_header_offset + sizeof(struct qxl_ram_header);

	KUNIT_EXPECT_EQ(test, qxlng_rom_check(rom, TEST_ROM_SIZE, bar, &l,
					      NULL), 0);
	KUNIT_EXPECT_EQ(test, qxlng_rom_check(rom, TEST_ROM_SIZE, bar - 1, &l,
					      NULL), -EINVAL);
}

/* A broken ROM: what to break, and a word the reason must contain. */
struct bad_rom_case {
	const char *name;
	void (*breakit)(struct qxl_rom *rom, size_t *rom_size);
	const char *reason_word;
};

static void short_rom(struct qxl_rom *r, size_t *size)
{
	*size = sizeof(*r) - 1;
}

static void bad_magic(struct qxl_rom *r, size_t *size)
{
	r->magic = QXL_RAM_MAGIC;
}

static void ram_header_unaligned(struct qxl_rom *r, size_t *size)
{
	r->ram_header_offset += 4;
}

static void ram_header_past_bar(struct qxl_rom *r, size_t *size)
{
	r->ram_header_offset = TEST_BAR0_SIZE - QXL_PAGE_SIZE;
}

static void ram_header_at_u32_max(struct qxl_rom *r, size_t *size)
{
	r->ram_header_offset = 0xfffff000;
}

static void surface0_empty(struct qxl_rom *r, size_t *size)
{
	r->surface0_area_size = 0;
}

static void surface0_unaligned(struct qxl_rom *r, size_t *size)
{
	r->surface0_area_size = SZ_16M + 100;
}

static void surface0_reaches_ram_header(struct qxl_rom *r, size_t *size)
{
	r->surface0_area_size = r->ram_header_offset;
}

static void surface0_past_bar(struct qxl_rom *r, size_t *size)
{
	r->surface0_area_size = 0xfffff000;
}

static void no_surfaces(struct qxl_rom *r, size_t *size)
{
	r->n_surfaces = 0;
}

static void slot_id_bits_zero(struct qxl_rom *r, size_t *size)
{
	r->slot_id_bits = 0;
}

static void slot_id_bits_too_wide(struct qxl_rom *r, size_t *size)
{
	r->slot_id_bits = 9;
}

static void slot_bits_leave_no_offset(struct qxl_rom *r, size_t *size)
{
	r->slot_id_bits = 8;
	r->slot_gen_bits = 56;
}

static void slot_gen_bits_255(struct qxl_rom *r, size_t *size)
{
	r->slot_gen_bits = 255;
}

static void slots_start_after_end(struct qxl_rom *r, size_t *size)
{
	r->slots_start = 5;
	r->slots_end = 4;
}

static void slots_end_past_num_memslots(struct qxl_rom *r, size_t *size)
{
	r->slots_end = QXL_NUM_MEMSLOTS;
}

static void slots_end_not_encodable(struct qxl_rom *r, size_t *size)
{
	r->slot_id_bits = 2;	/* slot ids 0..3 */
	r->slots_end = 4;
}

static const struct bad_rom_case bad_rom_cases[] = {
	{ "rejects_rom_smaller_than_struct", short_rom, "ROM" },
	{ "rejects_bad_magic", bad_magic, "magic" },
	{ "rejects_unaligned_ram_header", ram_header_unaligned, "RAM header" },
	{ "rejects_ram_header_past_bar0_end", ram_header_past_bar, "RAM header" },
	{ "rejects_ram_header_offset_near_u32_max", ram_header_at_u32_max,
	  "RAM header" },
	{ "rejects_empty_surface0", surface0_empty, "surface0" },
	{ "rejects_unaligned_surface0", surface0_unaligned, "surface0" },
	{ "rejects_surface0_reaching_ram_header", surface0_reaches_ram_header,
	  "surface0" },
	{ "rejects_surface0_past_bar0_end", surface0_past_bar, "surface0" },
	{ "rejects_zero_surfaces", no_surfaces, "n_surfaces" },
	{ "rejects_zero_slot_id_bits", slot_id_bits_zero, "memslot" },
	{ "rejects_slot_id_bits_above_8", slot_id_bits_too_wide, "memslot" },
	{ "rejects_slot_bits_leaving_no_offset", slot_bits_leave_no_offset,
	  "memslot" },
	{ "rejects_slot_gen_bits_255", slot_gen_bits_255, "memslot" },
	{ "rejects_slots_start_after_end", slots_start_after_end, "memslot" },
	{ "rejects_slots_end_past_num_memslots", slots_end_past_num_memslots,
	  "memslot" },
	{ "rejects_slots_end_not_encodable_in_id_bits",
	  slots_end_not_encodable, "memslot" },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(bad_rom, bad_rom_cases, name);

static void qxlng_rom_check_rejects_hostile_rom(struct kunit *test)
{
	const struct bad_rom_case *c = test->param_value;
	struct qxl_rom *rom = make_rom(test);
	size_t size = TEST_ROM_SIZE;
	struct qxlng_rom_layout l;
	const char *why = NULL;

	c->breakit(rom, &size);
	KUNIT_EXPECT_EQ(test, qxlng_rom_check(rom, size, TEST_BAR0_SIZE, &l,
					      &why), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, c->reason_word),
				  "reason '%s' does not name '%s'", why,
				  c->reason_word);
}

/* ---- qxlng_rom_parse_modes --------------------------------------------- */

static void qxlng_modes_parses_qemu_style_list(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_mode modes[8];
	const char *why = NULL;

	add_mode32(rom, 640, 480);
	add_mode32(rom, 800, 600);
	add_mode(rom, 1024, 768, 32, 4096 + 64, 0);	/* padded stride */
	KUNIT_ASSERT_EQ(test, qxlng_rom_parse_modes(rom, TEST_ROM_SIZE, modes,
						    ARRAY_SIZE(modes), &why),
			3);
	KUNIT_EXPECT_EQ(test, modes[0].width, 640u);
	KUNIT_EXPECT_EQ(test, modes[0].height, 480u);
	KUNIT_EXPECT_EQ(test, modes[0].bits, 32u);
	KUNIT_EXPECT_EQ(test, modes[0].stride, 2560u);
	KUNIT_EXPECT_EQ(test, modes[0].id, 0u);
	KUNIT_EXPECT_EQ(test, modes[1].width, 800u);
	KUNIT_EXPECT_EQ(test, modes[1].id, 1u);
	KUNIT_EXPECT_EQ(test, modes[2].width, 1024u);
	KUNIT_EXPECT_EQ(test, modes[2].height, 768u);
	KUNIT_EXPECT_EQ(test, modes[2].stride, 4160u);
	KUNIT_EXPECT_EQ(test, modes[2].id, 2u);
}

static void qxlng_modes_empty_list_gives_zero_modes(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_mode modes[4];

	KUNIT_EXPECT_EQ(test, qxlng_rom_parse_modes(rom, TEST_ROM_SIZE, modes,
						    ARRAY_SIZE(modes), NULL),
			0);
}

static void qxlng_modes_stores_at_most_max_modes(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_mode modes[3];

	add_mode32(rom, 640, 480);
	add_mode32(rom, 800, 600);
	add_mode32(rom, 1024, 768);
	add_mode32(rom, 1280, 1024);
	memset(modes, 0xa5, sizeof(modes));
	KUNIT_EXPECT_EQ(test, qxlng_rom_parse_modes(rom, TEST_ROM_SIZE, modes,
						    2, NULL), 2);
	KUNIT_EXPECT_EQ(test, modes[1].width, 800u);
	KUNIT_EXPECT_EQ(test, modes[2].width, 0xa5a5a5a5u);	/* untouched */
	KUNIT_EXPECT_EQ(test, qxlng_rom_parse_modes(rom, TEST_ROM_SIZE, modes,
						    0, NULL), 0);
}

/* One unusable mode between two good ones: it is skipped, not an error. */
struct bad_mode_case {
	const char *name;
	u32 x, y, bits, stride, orientation;
};

static const struct bad_mode_case bad_mode_cases[] = {
	{ "skips_16_bpp", 1024, 768, 16, 2048, 0 },
	{ "skips_rotated", 1024, 768, 32, 4096, 1 },
	{ "skips_zero_width", 0, 768, 32, 4096, 0 },
	{ "skips_zero_height", 1024, 0, 32, 4096, 0 },
	{ "skips_width_above_16384", 16385, 16, 32, 16385 * 4, 0 },
	{ "skips_height_above_16384", 16, 16385, 32, 64, 0 },
	{ "skips_width_wrapping_stride_math", 0x40000001, 16, 32, 4, 0 },
	{ "skips_stride_below_width_times_4", 1024, 768, 32, 4092, 0 },
	{ "skips_stride_not_multiple_of_4", 1024, 768, 32, 4098, 0 },
	{ "skips_duplicate_of_earlier_size", 640, 480, 32, 2560 + 64, 0 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(bad_mode, bad_mode_cases, name);

static void qxlng_modes_skips_unusable_mode(struct kunit *test)
{
	const struct bad_mode_case *c = test->param_value;
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_mode modes[4];

	add_mode32(rom, 640, 480);
	add_mode(rom, c->x, c->y, c->bits, c->stride, c->orientation);
	add_mode32(rom, 1920, 1080);
	KUNIT_ASSERT_EQ(test, qxlng_rom_parse_modes(rom, TEST_ROM_SIZE, modes,
						    ARRAY_SIZE(modes), NULL),
			2);
	KUNIT_EXPECT_EQ(test, modes[0].width, 640u);
	KUNIT_EXPECT_EQ(test, modes[1].width, 1920u);
	KUNIT_EXPECT_EQ(test, modes[1].id, 2u);
}

static void qxlng_modes_accepts_16384_square(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_mode modes[1];

	add_mode32(rom, 16384, 16384);
	KUNIT_ASSERT_EQ(test, qxlng_rom_parse_modes(rom, TEST_ROM_SIZE, modes,
						    1, NULL), 1);
	KUNIT_EXPECT_EQ(test, modes[0].stride, 65536u);
}

/* The last entry ends exactly at the end of the ROM: still inside. */
static void qxlng_modes_accepts_list_ending_at_rom_end(struct kunit *test)
{
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_mode modes[2];
	size_t size;

	add_mode32(rom, 640, 480);
	add_mode32(rom, 800, 600);
	size = TEST_MODES_OFF + sizeof(struct qxl_modes) +
	       2 * sizeof(struct qxl_mode);
	KUNIT_EXPECT_EQ(test, qxlng_rom_parse_modes(rom, size, modes, 2, NULL),
			2);
	KUNIT_EXPECT_EQ(test, qxlng_rom_parse_modes(rom, size - 1, modes, 2,
						    NULL), -EINVAL);
}

/* Mode list placement a hostile device could give. */
struct bad_list_case {
	const char *name;
	u32 modes_offset;
	u32 n_modes;
	size_t rom_size;
};

static const struct bad_list_case bad_list_cases[] = {
	{ "rejects_offset_past_rom_end", TEST_ROM_SIZE + 4, 0, TEST_ROM_SIZE },
	{ "rejects_offset_at_rom_end", TEST_ROM_SIZE, 0, TEST_ROM_SIZE },
	{ "rejects_header_straddling_rom_end", TEST_ROM_SIZE - 2, 0,
	  TEST_ROM_SIZE },
	{ "rejects_offset_u32_max", 0xffffffff, 0, TEST_ROM_SIZE },
	{ "rejects_entries_past_rom_end", TEST_ROM_SIZE - 4 - 31, 1,
	  TEST_ROM_SIZE },
	{ "rejects_n_modes_u32_max", TEST_MODES_OFF, 0xffffffff,
	  TEST_ROM_SIZE },
	{ "rejects_n_modes_one_too_many", TEST_MODES_OFF,
	  (TEST_ROM_SIZE - TEST_MODES_OFF - 4) / 32 + 1, TEST_ROM_SIZE },
	{ "rejects_rom_smaller_than_struct", TEST_MODES_OFF, 0,
	  sizeof(struct qxl_rom) - 1 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(bad_list, bad_list_cases, name);

static void qxlng_modes_rejects_list_outside_rom(struct kunit *test)
{
	const struct bad_list_case *c = test->param_value;
	struct qxl_rom *rom = make_rom(test);
	struct qxlng_mode modes[4];
	const char *why = NULL;

	rom->modes_offset = c->modes_offset;
	if ((u64)c->modes_offset + 4 <= TEST_ROM_SIZE)
		rom_modes(rom)->n_modes = c->n_modes;
	memset(modes, 0xa5, sizeof(modes));
	KUNIT_EXPECT_EQ(test, qxlng_rom_parse_modes(rom, c->rom_size, modes,
						    ARRAY_SIZE(modes), &why),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, modes[0].width, 0xa5a5a5a5u);
}

/* ---- qxlng_frame_ns: the vblank period of a mode ---- */

/* CVT 1024x768 at 60 Hz as drm_cvt_mode() makes it: 63.5 MHz, 1344 x 795. */
static void qxlng_frame_ns_of_cvt_60hz_mode(struct kunit *test)
{
	u64 ns = qxlng_frame_ns(63500, 1344, 795);

	KUNIT_EXPECT_EQ(test, ns, 16826456ULL);
}

static void qxlng_frame_ns_without_timings_is_60hz(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxlng_frame_ns(0, 1344, 795),
			QXLNG_FRAME_NS_DEFAULT);
	KUNIT_EXPECT_EQ(test, qxlng_frame_ns(63500, 0, 795),
			QXLNG_FRAME_NS_DEFAULT);
	KUNIT_EXPECT_EQ(test, qxlng_frame_ns(63500, 1344, 0),
			QXLNG_FRAME_NS_DEFAULT);
}

/* A user's mode with a huge clock must not make the timer spin. */
static void qxlng_frame_ns_huge_clock_held_at_240hz(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxlng_frame_ns(U32_MAX, 1, 1),
			QXLNG_FRAME_NS_MIN);
}

/* ... nor a 1 kHz clock or a huge frame stall its events. */
static void qxlng_frame_ns_slow_mode_held_at_10hz(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxlng_frame_ns(1, 1344, 795),
			QXLNG_FRAME_NS_MAX);
	KUNIT_EXPECT_EQ(test, qxlng_frame_ns(1, U32_MAX, U32_MAX),
			QXLNG_FRAME_NS_MAX);
	KUNIT_EXPECT_EQ(test, qxlng_frame_ns(U32_MAX, U32_MAX, U32_MAX),
			QXLNG_FRAME_NS_MAX);
}

static struct kunit_case qxlng_rom_check_cases[] = {
	KUNIT_CASE(qxlng_rom_check_accepts_qemu_layout),
	KUNIT_CASE(qxlng_rom_check_accepts_null_why),
	KUNIT_CASE(qxlng_rom_check_accepts_one_surface),
	KUNIT_CASE(qxlng_rom_check_accepts_ram_header_ending_at_bar_end),
	KUNIT_CASE_PARAM(qxlng_rom_check_rejects_hostile_rom,
			 bad_rom_gen_params),
	{}
};

static struct kunit_suite qxlng_rom_check_suite = {
	.name = "qxlng_rom_check",
	.test_cases = qxlng_rom_check_cases,
};

static struct kunit_case qxlng_modes_cases[] = {
	KUNIT_CASE(qxlng_modes_parses_qemu_style_list),
	KUNIT_CASE(qxlng_modes_empty_list_gives_zero_modes),
	KUNIT_CASE(qxlng_modes_stores_at_most_max_modes),
	KUNIT_CASE_PARAM(qxlng_modes_skips_unusable_mode, bad_mode_gen_params),
	KUNIT_CASE(qxlng_modes_accepts_16384_square),
	KUNIT_CASE(qxlng_modes_accepts_list_ending_at_rom_end),
	KUNIT_CASE_PARAM(qxlng_modes_rejects_list_outside_rom,
			 bad_list_gen_params),
	{}
};

static struct kunit_suite qxlng_modes_suite = {
	.name = "qxlng_modes",
	.test_cases = qxlng_modes_cases,
};

static struct kunit_case qxlng_frame_cases[] = {
	KUNIT_CASE(qxlng_frame_ns_of_cvt_60hz_mode),
	KUNIT_CASE(qxlng_frame_ns_without_timings_is_60hz),
	KUNIT_CASE(qxlng_frame_ns_huge_clock_held_at_240hz),
	KUNIT_CASE(qxlng_frame_ns_slow_mode_held_at_10hz),
	{}
};

static struct kunit_suite qxlng_frame_suite = {
	.name = "qxlng_frame",
	.test_cases = qxlng_frame_cases,
};

kunit_test_suites(&qxlng_rom_check_suite, &qxlng_modes_suite,
		  &qxlng_frame_suite);

MODULE_DESCRIPTION("KUnit tests for qxlng's ROM checks and mode list");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QXLNG_KUNIT);
