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
#include <linux/stddef.h>
#include <linux/string.h>

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

/* Drop the entries of list (each width bytes) that op overlaps. */
static unsigned int qxlng_uapi_addrs_drop(u32 *list, unsigned int n,
					  u32 width,
					  const struct qxlng_uapi_reloc_op *op)
{
	unsigned int i, kept = 0;

	for (i = 0; i < n; i++) {
		u32 o = list[i];

		if (o < op->dst_offset + op->width && op->dst_offset < o + width)
			continue;
		list[kept++] = o;
	}
	return kept;
}

void qxlng_uapi_addrs_note(struct qxlng_uapi_addrs *a,
			   const struct qxlng_uapi_reloc_op *op)
{
	a->n = qxlng_uapi_addrs_drop(a->offset, a->n, sizeof(u64), op);
	a->n_ids = qxlng_uapi_addrs_drop(a->id_offset, a->n_ids, sizeof(u32),
					 op);
	if (op->type == QXL_RELOC_TYPE_BO && op->width == sizeof(u64) &&
	    a->n < ARRAY_SIZE(a->offset))
		a->offset[a->n++] = op->dst_offset;
	if (op->type == QXL_RELOC_TYPE_SURF && op->width == sizeof(u32) &&
	    a->n_ids < ARRAY_SIZE(a->id_offset))
		a->id_offset[a->n_ids++] = op->dst_offset;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_addrs_note);

/* The address at offset off of the drawable d: 0 or relocated. */
static bool qxlng_uapi_addr_ok(const u8 *cmd, size_t off,
			       const struct qxlng_uapi_addrs *a)
{
	unsigned int i;
	u64 v;

	memcpy(&v, cmd + off, sizeof(v));
	if (!v)
		return true;
	for (i = 0; i < a->n; i++)
		if (a->offset[i] == off)
			return true;
	return false;
}

#define QXLNG_DRAW_OFF(field) offsetof(struct qxl_drawable, field)

/* Did a surface relocation write the id at offset off? */
static bool qxlng_uapi_id_noted(const struct qxlng_uapi_addrs *a, size_t off)
{
	unsigned int i;

	for (i = 0; i < a->n_ids; i++)
		if (a->id_offset[i] == off)
			return true;
	return false;
}

static bool qxlng_uapi_brush_ok(const u8 *cmd, size_t off,
				const struct qxlng_uapi_addrs *a)
{
	u32 type;

	memcpy(&type, cmd + off + offsetof(struct qxl_brush, type),
	       sizeof(type));
	if (type != QXL_BRUSH_TYPE_PATTERN)
		return true;
	return qxlng_uapi_addr_ok(cmd, off +
				  offsetof(struct qxl_brush, u.pattern.pat), a);
}

static bool qxlng_uapi_mask_ok(const u8 *cmd, size_t off,
			       const struct qxlng_uapi_addrs *a)
{
	return qxlng_uapi_addr_ok(cmd, off +
				  offsetof(struct qxl_q_mask, bitmap), a);
}

/* The addresses that type's part of the union holds. */
static bool qxlng_uapi_draw_addrs_ok(const u8 *cmd, u8 type,
				     const struct qxlng_uapi_addrs *a)
{
#define ADDR(f)		qxlng_uapi_addr_ok(cmd, QXLNG_DRAW_OFF(u.f), a)
#define BRUSH(f)	qxlng_uapi_brush_ok(cmd, QXLNG_DRAW_OFF(u.f), a)
#define MASK(f)		qxlng_uapi_mask_ok(cmd, QXLNG_DRAW_OFF(u.f), a)
	u8 line_flags;

	switch (type) {
	case QXL_DRAW_NOP:
	case QXL_COPY_BITS:
		return true;
	case QXL_DRAW_FILL:
		return BRUSH(fill.brush) && MASK(fill.mask);
	case QXL_DRAW_OPAQUE:
		return ADDR(opaque.src_bitmap) && BRUSH(opaque.brush) &&
		       MASK(opaque.mask);
	case QXL_DRAW_COPY:
	case QXL_DRAW_BLEND:
		return ADDR(copy.src_bitmap) && MASK(copy.mask);
	case QXL_DRAW_BLACKNESS:
	case QXL_DRAW_WHITENESS:
	case QXL_DRAW_INVERS:
		return MASK(blackness.mask);
	case QXL_DRAW_ROP3:
		return ADDR(rop3.src_bitmap) && BRUSH(rop3.brush) &&
		       MASK(rop3.mask);
	case QXL_DRAW_STROKE:
		line_flags = cmd[QXLNG_DRAW_OFF(u.stroke.attr.flags)];
		return ADDR(stroke.path) && BRUSH(stroke.brush) &&
		       (!(line_flags & QXL_LINE_FLAGS_STYLED) ||
			ADDR(stroke.attr.style));
	case QXL_DRAW_TEXT:
		return ADDR(text.str) && BRUSH(text.fore_brush) &&
		       BRUSH(text.back_brush);
	case QXL_DRAW_TRANSPARENT:
		return ADDR(transparent.src_bitmap);
	case QXL_DRAW_ALPHA_BLEND:
		return ADDR(alpha_blend.src_bitmap);
	case QXL_DRAW_COMPOSITE:
		return ADDR(composite.src) && ADDR(composite.src_transform) &&
		       ADDR(composite.mask) && ADDR(composite.mask_transform);
	default:
		return false;
	}
#undef ADDR
#undef BRUSH
#undef MASK
}

int qxlng_uapi_drawable(const u8 *cmd, u32 size,
			const struct qxlng_uapi_addrs *a)
{
	struct qxl_drawable d;
	unsigned int i;

	if (size < sizeof(d))
		return -EINVAL;
	memcpy(&d, cmd, sizeof(d));
	if (d.surface_id &&
	    !qxlng_uapi_id_noted(a, QXLNG_DRAW_OFF(surface_id)))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(d.surfaces_dest); i++)
		if (d.surfaces_dest[i] != -1 && d.surfaces_dest[i] != 0 &&
		    !qxlng_uapi_id_noted(a, QXLNG_DRAW_OFF(surfaces_dest) +
					 i * sizeof(d.surfaces_dest[0])))
			return -EINVAL;
	if (d.clip.type == QXL_CLIP_TYPE_RECTS) {
		if (!qxlng_uapi_addr_ok(cmd, QXLNG_DRAW_OFF(clip.data), a))
			return -EINVAL;
	} else if (d.clip.type != QXL_CLIP_TYPE_NONE) {
		return -EINVAL;
	}
	return qxlng_uapi_draw_addrs_ok(cmd, d.type, a) ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_uapi_drawable);
