// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the checks of the qxl.ko ioctl arguments (qxlng_uapi.c):
 * GETPARAM and CLIENTCAP answers, buffer and surface sizes, UPDATE_AREA
 * rectangles, EXECBUFFER and command limits, and relocations that must
 * stay inside their objects.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
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

static struct kunit_case qxlng_uapi_cases[] = {
	KUNIT_CASE(qxlng_uapi_getparam_values),
	KUNIT_CASE(qxlng_uapi_clientcap_bits),
	KUNIT_CASE(qxlng_uapi_bo_sizes),
	KUNIT_CASE_PARAM(qxlng_uapi_surf_sizes, surf_gen_params),
	KUNIT_CASE(qxlng_uapi_area_inside_surface),
	KUNIT_CASE(qxlng_uapi_execbuffer_limits),
	KUNIT_CASE_PARAM(qxlng_uapi_reloc_bounds, reloc_gen_params),
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
