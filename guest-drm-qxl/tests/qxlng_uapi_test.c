// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the checks of the qxl.ko ioctl arguments (qxlng_uapi.c):
 * GETPARAM and CLIENTCAP answers, buffer and surface sizes, UPDATE_AREA
 * rectangles, EXECBUFFER and command limits, relocations that must
 * stay inside their objects, and draw commands whose addresses must all
 * come from relocations.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "../qxlng_logic.h"
#include "qxlng_kunit.h"

static void qxlng_uapi_getparam_values(struct kunit *test)
{
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, qxlng_uapi_getparam(QXL_PARAM_NUM_SURFACES, 1024,
						  &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1024ull);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_getparam(QXL_PARAM_MAX_RELOCS, 1024,
						  &v), 0);
	KUNIT_EXPECT_EQ(test, v, (u64)QXLNG_UAPI_MAX_RELOCS);
	v = 77;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_getparam(0, 1024, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_getparam(3, 1024, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_getparam(U64_MAX, 1024, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, v, 77ull);
}

static void qxlng_uapi_clientcap_bits(struct kunit *test)
{
	u8 caps[QXL_CLIENT_CAPS_BYTES] = { 0 };

	caps[0] = BIT(3);
	caps[QXL_CLIENT_CAPS_BYTES - 1] = BIT(7);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_clientcap(3, 5, caps, sizeof(caps)), 0);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_clientcap(2, 5, caps, sizeof(caps)),
			-ENOSYS);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_clientcap(QXL_CLIENT_CAPS_BYTES * 8 - 1,
						   5, caps, sizeof(caps)), 0);
	/* Past the array, and a device older than the field. */
	KUNIT_EXPECT_EQ(test, qxlng_uapi_clientcap(QXL_CLIENT_CAPS_BYTES * 8, 5,
						   caps, sizeof(caps)), -ENOSYS);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_clientcap(U32_MAX, 5, caps,
						   sizeof(caps)), -ENOSYS);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_clientcap(3, 3, caps, sizeof(caps)),
			-ENOSYS);
}

static void qxlng_uapi_bo_sizes(struct kunit *test)
{
	u32 b = 0;

	KUNIT_EXPECT_EQ(test, qxlng_uapi_bo_size(0, &b), -EINVAL);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_bo_size(1, &b), 0);
	KUNIT_EXPECT_EQ(test, b, (u32)QXL_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_bo_size(QXL_PAGE_SIZE + 1, &b), 0);
	KUNIT_EXPECT_EQ(test, b, 2u * QXL_PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_bo_size(QXLNG_UAPI_MAX_BO_SIZE, &b), 0);
	KUNIT_EXPECT_EQ(test, b, QXLNG_UAPI_MAX_BO_SIZE);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_bo_size(QXLNG_UAPI_MAX_BO_SIZE + 1,
						 &b), -ENOMEM);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_bo_size(U32_MAX, &b), -ENOMEM);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_bo_size(U64_MAX, &b), -ENOMEM);
}

struct surf_case {
	const char *name;
	struct drm_qxl_alloc_surf s;
	int ret;
	u32 bytes;
};

static const struct surf_case surf_cases[] = {
	{ "xrgb_1024x768", { QXL_SURFACE_FMT_32_xRGB, 1024, 768, 4096 }, 0,
	  4096 * 769 },
	{ "negative_stride_is_bottom_up", { QXL_SURFACE_FMT_32_ARGB, 10, 10,
	  -40 }, 0, QXL_PAGE_SIZE },
	{ "a1_line_rounded_up", { QXL_SURFACE_FMT_1_A, 33, 2, 8 }, 0,
	  QXL_PAGE_SIZE },
	{ "rgb565", { QXL_SURFACE_FMT_16_565, 100, 100, 200 }, 0,
	  5 * QXL_PAGE_SIZE },
	{ "unknown_format", { 24, 10, 10, 40 }, -EINVAL },
	{ "invalid_format", { QXL_SURFACE_FMT_INVALID, 10, 10, 40 }, -EINVAL },
	{ "zero_width", { QXL_SURFACE_FMT_32_xRGB, 0, 10, 40 }, -EINVAL },
	{ "zero_height", { QXL_SURFACE_FMT_32_xRGB, 10, 0, 40 }, -EINVAL },
	{ "stride_short_of_a_line", { QXL_SURFACE_FMT_32_xRGB, 10, 10, 36 },
	  -EINVAL },
	{ "negative_stride_short", { QXL_SURFACE_FMT_32_xRGB, 10, 10, -36 },
	  -EINVAL },
	{ "stride_not_multiple_of_4", { QXL_SURFACE_FMT_8_A, 10, 10, 10 },
	  -EINVAL },
	{ "stride_s32_min", { QXL_SURFACE_FMT_32_xRGB, 10, 10, S32_MIN },
	  -EINVAL },
	{ "huge_width", { QXL_SURFACE_FMT_32_xRGB, U32_MAX, 1, S32_MAX & ~3 },
	  -EINVAL },
	{ "too_many_bytes", { QXL_SURFACE_FMT_32_xRGB, 8192, 8192, 32768 },
	  -ENOMEM },
	{ "stride_overflows_size", { QXL_SURFACE_FMT_32_xRGB, 1, 8192,
	  S32_MAX & ~3 }, -ENOMEM },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(surf, surf_cases, name);

static void qxlng_uapi_surf_sizes(struct kunit *test)
{
	const struct surf_case *c = test->param_value;
	u32 bytes = 0;

	KUNIT_ASSERT_EQ(test, qxlng_uapi_surf_size(&c->s, &bytes), c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, bytes, round_up(c->bytes, QXL_PAGE_SIZE));
}

static void qxlng_uapi_area_inside_surface(struct kunit *test)
{
	struct drm_qxl_update_area a = { .left = 10, .top = 20, .right = 30,
					 .bottom = 40 };
	struct qxl_rect r;

	KUNIT_ASSERT_EQ(test, qxlng_uapi_area(&a, 30, 40, &r), 0);
	KUNIT_EXPECT_EQ(test, r.left, 10);
	KUNIT_EXPECT_EQ(test, r.top, 20);
	KUNIT_EXPECT_EQ(test, r.right, 30);
	KUNIT_EXPECT_EQ(test, r.bottom, 40);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_area(&a, 29, 40, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_area(&a, 30, 39, &r), -EINVAL);
	a.right = a.left;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_area(&a, 100, 100, &r), -EINVAL);
	a.right = 5;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_area(&a, 100, 100, &r), -EINVAL);
	a.left = 0;
	a.right = U32_MAX;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_area(&a, U32_MAX, U32_MAX, &r),
			-EINVAL);
}

static void qxlng_uapi_execbuffer_limits(struct kunit *test)
{
	struct drm_qxl_execbuffer eb = { .commands_num = 1 };
	struct drm_qxl_command c = { .type = QXL_CMD_DRAW,
				     .command_size = 200, .relocs_num = 3 };

	KUNIT_EXPECT_EQ(test, qxlng_uapi_execbuffer(&eb), 0);
	eb.commands_num = QXLNG_UAPI_MAX_COMMANDS + 1;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_execbuffer(&eb), -EINVAL);
	eb.commands_num = 1;
	eb.flags = 1;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_execbuffer(&eb), -EINVAL);

	KUNIT_EXPECT_EQ(test, qxlng_uapi_command(&c), 0);
	c.command_size = QXLNG_UAPI_MAX_COMMAND_SIZE;
	c.relocs_num = QXLNG_UAPI_MAX_RELOCS;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_command(&c), 0);
	c.command_size++;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_command(&c), -EINVAL);
	c.command_size = 200;
	c.relocs_num = U32_MAX;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_command(&c), -EINVAL);
	c.relocs_num = 0;
	c.type = QXL_CMD_SURFACE;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_command(&c), -EINVAL);
	c.type = QXL_CMD_CURSOR;
	KUNIT_EXPECT_EQ(test, qxlng_uapi_command(&c), -EINVAL);
}

struct reloc_case {
	const char *name;
	struct drm_qxl_reloc r;
	u32 cmd_size, dst_size, src_size;
	int ret;
	u32 width;
};

#define RI	sizeof(union qxl_release_info)

static const struct reloc_case reloc_cases[] = {
	{ "bo_into_command", { 16, RI + 8, 5, 0, QXL_RELOC_TYPE_BO },
	  100, 0, 4096, 0, 8 },
	{ "bo_into_command_last_bytes", { 0, RI + 92, 5, 0, QXL_RELOC_TYPE_BO },
	  100, 0, 4096, 0, 8 },
	{ "bo_past_command_end", { 0, RI + 93, 5, 0, QXL_RELOC_TYPE_BO },
	  100, 0, 4096, -EINVAL },
	{ "bo_over_release_info", { 0, 0, 5, 0, QXL_RELOC_TYPE_BO },
	  100, 0, 4096, -EINVAL },
	{ "bo_into_object", { 0, 4088, 5, 6, QXL_RELOC_TYPE_BO },
	  100, 4096, 4096, 0, 8 },
	{ "bo_past_object_end", { 0, 4089, 5, 6, QXL_RELOC_TYPE_BO },
	  100, 4096, 4096, -EINVAL },
	{ "bo_dst_offset_huge", { 0, U64_MAX - 3, 5, 6, QXL_RELOC_TYPE_BO },
	  100, 4096, 4096, -EINVAL },
	{ "bo_src_offset_at_end", { 4096, RI, 5, 0, QXL_RELOC_TYPE_BO },
	  100, 0, 4096, -EINVAL },
	{ "bo_src_offset_huge", { U64_MAX, RI, 5, 0, QXL_RELOC_TYPE_BO },
	  100, 0, 4096, -EINVAL },
	{ "bo_src_handle_zero", { 0, RI, 0, 0, QXL_RELOC_TYPE_BO },
	  100, 0, 0, -EINVAL },
	{ "surf_primary", { 0, RI + 4, 0, 0, QXL_RELOC_TYPE_SURF },
	  100, 0, 0, 0, 4 },
	{ "surf_last_bytes", { 0, RI + 96, 7, 0, QXL_RELOC_TYPE_SURF },
	  100, 0, 8192, 0, 4 },
	{ "surf_past_end", { 0, RI + 97, 7, 0, QXL_RELOC_TYPE_SURF },
	  100, 0, 8192, -EINVAL },
	{ "unknown_type", { 0, RI, 5, 0, 3 }, 100, 0, 4096, -EINVAL },
	{ "type_zero", { 0, RI, 5, 0, 0 }, 100, 0, 4096, -EINVAL },
	{ "command_too_big", { 0, RI, 5, 0, QXL_RELOC_TYPE_BO },
	  QXLNG_UAPI_MAX_COMMAND_SIZE + 1, 0, 4096, -EINVAL },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(reloc, reloc_cases, name);

static void qxlng_uapi_reloc_bounds(struct kunit *test)
{
	const struct reloc_case *c = test->param_value;
	struct qxlng_uapi_reloc_op op;

	KUNIT_ASSERT_EQ(test, qxlng_uapi_reloc(&c->r, c->cmd_size, c->dst_size,
					       c->src_size, &op), c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, op.width, c->width);
	KUNIT_EXPECT_EQ(test, (u64)op.dst_offset, c->r.dst_offset);
	KUNIT_EXPECT_EQ(test, op.type, c->r.reloc_type);
	if (op.type == QXL_RELOC_TYPE_BO)
		KUNIT_EXPECT_EQ(test, (u64)op.src_offset, c->r.src_offset);
}

/* A drawable of type with every address field at off set to a value. */
struct draw_case {
	const char *name;
	u8 type;
	size_t addr_off;	/* an address field; 0: none */
	u32 brush_off;		/* a brush made a pattern brush; 0: none */
	bool relocated;		/* the address came from a BO relocation */
	int ret;
};

#define DOFF(f)	offsetof(struct qxl_drawable, f)

static const struct draw_case draw_cases[] = {
	{ "copy_src_relocated", QXL_DRAW_COPY, DOFF(u.copy.src_bitmap), 0,
	  true, 0 },
	{ "copy_src_raw_address", QXL_DRAW_COPY, DOFF(u.copy.src_bitmap), 0,
	  false, -EINVAL },
	{ "copy_mask_raw_address", QXL_DRAW_COPY, DOFF(u.copy.mask.bitmap), 0,
	  false, -EINVAL },
	{ "blend_src_raw_address", QXL_DRAW_BLEND, DOFF(u.blend.src_bitmap), 0,
	  false, -EINVAL },
	{ "fill_pattern_raw_address", QXL_DRAW_FILL,
	  DOFF(u.fill.brush.u.pattern.pat), DOFF(u.fill.brush), false,
	  -EINVAL },
	{ "fill_pattern_relocated", QXL_DRAW_FILL,
	  DOFF(u.fill.brush.u.pattern.pat), DOFF(u.fill.brush), true, 0 },
	{ "fill_solid_colour_not_an_address", QXL_DRAW_FILL,
	  DOFF(u.fill.brush.u.color), 0, false, 0 },
	{ "opaque_src_raw_address", QXL_DRAW_OPAQUE,
	  DOFF(u.opaque.src_bitmap), 0, false, -EINVAL },
	{ "rop3_mask_raw_address", QXL_DRAW_ROP3, DOFF(u.rop3.mask.bitmap), 0,
	  false, -EINVAL },
	{ "stroke_path_raw_address", QXL_DRAW_STROKE, DOFF(u.stroke.path), 0,
	  false, -EINVAL },
	{ "text_string_raw_address", QXL_DRAW_TEXT, DOFF(u.text.str), 0,
	  false, -EINVAL },
	{ "text_back_pattern_raw_address", QXL_DRAW_TEXT,
	  DOFF(u.text.back_brush.u.pattern.pat), DOFF(u.text.back_brush),
	  false, -EINVAL },
	{ "transparent_src_raw_address", QXL_DRAW_TRANSPARENT,
	  DOFF(u.transparent.src_bitmap), 0, false, -EINVAL },
	{ "alpha_blend_src_raw_address", QXL_DRAW_ALPHA_BLEND,
	  DOFF(u.alpha_blend.src_bitmap), 0, false, -EINVAL },
	{ "whiteness_mask_raw_address", QXL_DRAW_WHITENESS,
	  DOFF(u.whiteness.mask.bitmap), 0, false, -EINVAL },
	{ "composite_mask_transform_raw_address", QXL_DRAW_COMPOSITE,
	  DOFF(u.composite.mask_transform), 0, false, -EINVAL },
	{ "composite_src_relocated", QXL_DRAW_COMPOSITE,
	  DOFF(u.composite.src), 0, true, 0 },
	{ "copy_bits_no_addresses", QXL_COPY_BITS, 0, 0, false, 0 },
	{ "unknown_type", 15, 0, 0, false, -EINVAL },
	{ "clip_rects_raw_address", QXL_DRAW_FILL, DOFF(clip.data), 0, false,
	  -EINVAL },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(draw, draw_cases, name);

static void qxlng_uapi_drawable_addresses(struct kunit *test)
{
	const struct draw_case *c = test->param_value;
	struct qxlng_uapi_addrs a = { 0 };
	struct qxl_drawable d = { 0 };
	u8 cmd[sizeof(d)];
	u64 addr = 0x0100000000001000ull;
	u32 pattern = QXL_BRUSH_TYPE_PATTERN, clip = QXL_CLIP_TYPE_RECTS;

	d.type = c->type;
	d.surfaces_dest[0] = -1;
	d.surfaces_dest[1] = -1;
	d.surfaces_dest[2] = -1;
	memcpy(cmd, &d, sizeof(d));
	if (c->brush_off)
		memcpy(cmd + c->brush_off, &pattern, sizeof(pattern));
	if (c->addr_off == DOFF(clip.data))
		memcpy(cmd + DOFF(clip.type), &clip, sizeof(clip));
	if (c->addr_off)
		memcpy(cmd + c->addr_off, &addr, sizeof(addr));
	if (c->relocated) {
		struct qxlng_uapi_reloc_op op = {
			.type = QXL_RELOC_TYPE_BO, .width = 8,
			.dst_offset = c->addr_off,
		};

		qxlng_uapi_addrs_note(&a, &op);
	}
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(cmd), &a),
			c->ret);
}

static void qxlng_uapi_drawable_surfaces(struct kunit *test)
{
	struct qxlng_uapi_reloc_op op = { .type = QXL_RELOC_TYPE_SURF,
					  .width = 4 };
	struct qxlng_uapi_reloc_op bo = { .type = QXL_RELOC_TYPE_BO,
					  .width = 8 };
	struct qxlng_uapi_addrs a = { 0 };
	struct qxl_drawable d = { 0 };
	u8 cmd[sizeof(d) + 4] = { 0 };

	d.type = QXL_DRAW_BLACKNESS;
	d.surfaces_dest[0] = -1;
	d.surfaces_dest[1] = 0;
	d.surfaces_dest[2] = -1;
	memcpy(cmd, &d, sizeof(d));
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(cmd), &a), 0);
	/* Too short to be a drawable. */
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(d) - 1, &a),
			-EINVAL);
	/* Other surfaces: only as a surface relocation wrote them. */
	d.surface_id = 1;
	memcpy(cmd, &d, sizeof(d));
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(cmd), &a),
			-EINVAL);
	op.dst_offset = offsetof(struct qxl_drawable, surface_id);
	qxlng_uapi_addrs_note(&a, &op);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(cmd), &a), 0);
	d.surfaces_dest[2] = 5;
	memcpy(cmd, &d, sizeof(d));
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(cmd), &a),
			-EINVAL);
	op.dst_offset = offsetof(struct qxl_drawable, surfaces_dest[2]);
	qxlng_uapi_addrs_note(&a, &op);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(cmd), &a), 0);
	/* A BO address written over the id voids it. */
	bo.dst_offset = offsetof(struct qxl_drawable, surfaces_dest[1]);
	qxlng_uapi_addrs_note(&a, &bo);
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(cmd), &a),
			-EINVAL);
	memset(&a, 0, sizeof(a));
	d.surface_id = 0;
	d.surfaces_dest[2] = -1;
	d.clip.type = 2;
	memcpy(cmd, &d, sizeof(d));
	KUNIT_EXPECT_EQ(test, qxlng_uapi_drawable(cmd, sizeof(cmd), &a),
			-EINVAL);
}

/* A later relocation over part of a relocated address voids it. */
static void qxlng_uapi_addrs_overwritten(struct kunit *test)
{
	struct qxlng_uapi_addrs a = { 0 };
	struct qxlng_uapi_reloc_op bo = {
		.type = QXL_RELOC_TYPE_BO, .width = 8, .dst_offset = 64,
	};
	struct qxlng_uapi_reloc_op surf = {
		.type = QXL_RELOC_TYPE_SURF, .width = 4, .dst_offset = 68,
	};
	unsigned int i;

	qxlng_uapi_addrs_note(&a, &bo);
	KUNIT_ASSERT_EQ(test, a.n, 1u);
	KUNIT_EXPECT_EQ(test, a.offset[0], 64u);
	qxlng_uapi_addrs_note(&a, &surf);
	KUNIT_EXPECT_EQ(test, a.n, 0u);
	/* Neighbours stay; a BO relocation 7 bytes on replaces it. */
	qxlng_uapi_addrs_note(&a, &bo);
	surf.dst_offset = 72;
	qxlng_uapi_addrs_note(&a, &surf);
	surf.dst_offset = 60;
	qxlng_uapi_addrs_note(&a, &surf);
	KUNIT_EXPECT_EQ(test, a.n, 1u);
	bo.dst_offset = 71;
	qxlng_uapi_addrs_note(&a, &bo);
	KUNIT_ASSERT_EQ(test, a.n, 1u);
	KUNIT_EXPECT_EQ(test, a.offset[0], 71u);
	/* Never more entries than it holds. */
	for (i = 0; i < 2 * QXLNG_UAPI_MAX_RELOCS; i++) {
		bo.dst_offset = 8 * i;
		qxlng_uapi_addrs_note(&a, &bo);
	}
	KUNIT_EXPECT_EQ(test, a.n, (unsigned int)QXLNG_UAPI_MAX_RELOCS);
}

static struct kunit_case qxlng_uapi_cases[] = {
	KUNIT_CASE(qxlng_uapi_getparam_values),
	KUNIT_CASE(qxlng_uapi_clientcap_bits),
	KUNIT_CASE(qxlng_uapi_bo_sizes),
	KUNIT_CASE_PARAM(qxlng_uapi_surf_sizes, surf_gen_params),
	KUNIT_CASE(qxlng_uapi_area_inside_surface),
	KUNIT_CASE(qxlng_uapi_execbuffer_limits),
	KUNIT_CASE_PARAM(qxlng_uapi_reloc_bounds, reloc_gen_params),
	KUNIT_CASE_PARAM(qxlng_uapi_drawable_addresses, draw_gen_params),
	KUNIT_CASE(qxlng_uapi_drawable_surfaces),
	KUNIT_CASE(qxlng_uapi_addrs_overwritten),
	{}
};

static struct kunit_suite qxlng_uapi_suite = {
	.name = "qxlng_uapi",
	.test_cases = qxlng_uapi_cases,
};

kunit_test_suite(qxlng_uapi_suite);

MODULE_DESCRIPTION("KUnit tests for qxlng's qxl uapi argument checks");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QXLNG_KUNIT);
