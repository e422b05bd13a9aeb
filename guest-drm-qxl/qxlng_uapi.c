// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_uapi.c - checks of the arguments of the qxl.ko driver ioctls
 * (drm/qxl_drm.h), which any client that can open the card node passes.
 *
 * Nothing here touches a device or a GEM object: the ioctl handlers
 * (qxlng_ioctl.c) copy each argument in, look handles up, and call these
 * with plain numbers; what these accept can be used without further
 * checks.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>

#include "qxlng_logic.h"

int qxlng_uapi_getparam(u64 param, u32 n_surfaces, u64 *value)
{
	switch (param) {
	case QXL_PARAM_NUM_SURFACES:
		*value = n_surfaces;
		return 0;
	case QXL_PARAM_MAX_RELOCS:
		*value = QXLNG_UAPI_MAX_RELOCS;
		return 0;
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_getparam);

/*
 * -ENOSYS for a missing capability is what qxl.ko answers and its users
 * test for, although checkpatch reserves ENOSYS for missing syscalls.
 */
int qxlng_uapi_clientcap(u32 index, u8 revision, const u8 *caps,
			 size_t n_caps)
{
	u32 byte = index / 8;

	if (revision < QXL_REVISION_STABLE_V12 || byte >= n_caps)
		return -ENOSYS;
	return caps[byte] & BIT(index % 8) ? 0 : -ENOSYS;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_clientcap);

int qxlng_uapi_bo_size(u64 size, u32 *bytes)
{
	if (!size)
		return -EINVAL;
	if (size > QXLNG_UAPI_MAX_BO_SIZE)
		return -ENOMEM;
	*bytes = round_up((u32)size, QXL_PAGE_SIZE);
	return 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_bo_size);

u32 qxlng_uapi_surface_bpp(u32 format)
{
	switch (format) {
	case QXL_SURFACE_FMT_1_A:
		return 1;
	case QXL_SURFACE_FMT_8_A:
		return 8;
	case QXL_SURFACE_FMT_16_555:
	case QXL_SURFACE_FMT_16_565:
		return 16;
	case QXL_SURFACE_FMT_32_xRGB:
	case QXL_SURFACE_FMT_32_ARGB:
		return 32;
	default:
		return 0;
	}
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_surface_bpp);

int qxlng_uapi_surf_size(const struct drm_qxl_alloc_surf *s, u32 *bytes)
{
	u32 bpp = qxlng_uapi_surface_bpp(s->format);
	u64 line, stride, size;

	if (!bpp || !s->width || !s->height ||
	    s->width > QXLNG_UAPI_MAX_SURFACE_DIM ||
	    s->height > QXLNG_UAPI_MAX_SURFACE_DIM || s->stride == S32_MIN)
		return -EINVAL;
	line = DIV_ROUND_UP((u64)s->width * bpp, 8);
	stride = s->stride < 0 ? -(s64)s->stride : s->stride;
	if (stride < line || stride % 4)
		return -EINVAL;
	/* One line more than the picture, as qxl.ko allocates. */
	size = stride * ((u64)s->height + 1);
	if (size > QXLNG_UAPI_MAX_BO_SIZE)
		return -ENOMEM;
	*bytes = round_up((u32)size, QXL_PAGE_SIZE);
	return 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_surf_size);

int qxlng_uapi_area(const struct drm_qxl_update_area *a, u32 width,
		    u32 height, struct qxl_rect *r)
{
	if (a->left >= a->right || a->top >= a->bottom ||
	    a->right > width || a->bottom > height || width > S32_MAX ||
	    height > S32_MAX)
		return -EINVAL;
	r->left = a->left;
	r->top = a->top;
	r->right = a->right;
	r->bottom = a->bottom;
	return 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_area);

int qxlng_uapi_execbuffer(const struct drm_qxl_execbuffer *eb)
{
	if (eb->flags || eb->commands_num > QXLNG_UAPI_MAX_COMMANDS)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_execbuffer);

int qxlng_uapi_command(const struct drm_qxl_command *c)
{
	if (c->type != QXL_CMD_DRAW ||
	    c->command_size > QXLNG_UAPI_MAX_COMMAND_SIZE ||
	    c->relocs_num > QXLNG_UAPI_MAX_RELOCS)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_command);

int qxlng_uapi_reloc(const struct drm_qxl_reloc *r, u32 cmd_size,
		     u32 dst_size, u32 src_size, struct qxlng_uapi_reloc_op *op)
{
	u32 region, width;

	switch (r->reloc_type) {
	case QXL_RELOC_TYPE_BO:
		width = sizeof(u64);
		/* An address inside the source object, never past it. */
		if (!r->src_handle || r->src_offset >= src_size)
			return -EINVAL;
		break;
	case QXL_RELOC_TYPE_SURF:
		width = sizeof(u32);
		/* Handle 0 is surface 0, the primary. */
		if (r->src_handle && !src_size)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (r->dst_handle) {
		region = dst_size;
	} else {
		/* The command as the device reads it: release info, body. */
		if (cmd_size > QXLNG_UAPI_MAX_COMMAND_SIZE)
			return -EINVAL;
		region = sizeof(union qxl_release_info) + cmd_size;
	}
	if (r->dst_offset > region || region - r->dst_offset < width)
		return -EINVAL;
	/* The release info belongs to the driver. */
	if (!r->dst_handle && r->dst_offset < sizeof(union qxl_release_info))
		return -EINVAL;
	op->type = r->reloc_type;
	op->width = width;
	op->dst_offset = r->dst_offset;
	op->src_offset = r->reloc_type == QXL_RELOC_TYPE_BO ?
			 (u32)r->src_offset : 0;
	return 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_reloc);
