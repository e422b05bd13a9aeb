// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the checks of the qxl.ko ioctl arguments
 * (qxlng_uapi.c), fed what a hostile client can pass: arbitrary
 * structures and object sizes.  Whatever a check accepts must be safe to
 * use as is: a relocation writes inside its destination and points
 * inside its source, a surface's allocation holds its picture, an area
 * lies in its surface, a draw command's addresses all come from
 * relocations.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../qxlng_logic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Take n bytes of input, zero-filled past its end. */
static void take(void *out, size_t n, const uint8_t **data, size_t *size)
{
	size_t k = n < *size ? n : *size;

	memset(out, 0, n);
	memcpy(out, *data, k);
	*data += k;
	*size -= k;
}

static void check_reloc(const uint8_t **data, size_t *size)
{
	struct drm_qxl_reloc r;
	struct qxlng_uapi_reloc_op op;
	uint32_t sizes[3];
	uint32_t region;

	take(&r, sizeof(r), data, size);
	take(sizes, sizeof(sizes), data, size);
	if (qxlng_uapi_reloc(&r, sizes[0], sizes[1], sizes[2], &op))
		return;
	region = r.dst_handle ? sizes[1] :
		 (uint32_t)sizeof(union qxl_release_info) + sizes[0];
	if (sizes[0] > QXLNG_UAPI_MAX_COMMAND_SIZE && !r.dst_handle)
		abort();
	if (op.width != 4 && op.width != 8)
		abort();
	if ((uint64_t)op.dst_offset + op.width > region ||
	    op.dst_offset != r.dst_offset)
		abort();
	if (!r.dst_handle && op.dst_offset < sizeof(union qxl_release_info))
		abort();
	if (op.type == QXL_RELOC_TYPE_BO &&
	    (op.src_offset >= sizes[2] || !r.src_handle ||
	     op.src_offset != r.src_offset))
		abort();
	if (op.type != QXL_RELOC_TYPE_BO && op.type != QXL_RELOC_TYPE_SURF)
		abort();
}

static void check_surf(const uint8_t **data, size_t *size)
{
	struct drm_qxl_alloc_surf s;
	uint64_t stride, need;
	uint32_t bytes, bpp;

	take(&s, sizeof(s), data, size);
	if (qxlng_uapi_surf_size(&s, &bytes))
		return;
	bpp = qxlng_uapi_surface_bpp(s.format);
	stride = s.stride < 0 ? -(int64_t)s.stride : s.stride;
	need = stride * s.height;
	if (!bpp || !s.width || !s.height || bytes < need ||
	    stride * 8 < (uint64_t)s.width * bpp || bytes % QXL_PAGE_SIZE ||
	    bytes > QXLNG_UAPI_MAX_BO_SIZE)
		abort();
}

static void check_simple(const uint8_t **data, size_t *size)
{
	struct drm_qxl_update_area a;
	struct drm_qxl_execbuffer eb;
	struct drm_qxl_command c;
	struct qxl_rect r;
	uint32_t wh[2];
	uint64_t v[2];
	uint8_t caps[QXL_CLIENT_CAPS_BYTES];
	uint32_t bytes;

	take(&a, sizeof(a), data, size);
	take(wh, sizeof(wh), data, size);
	if (!qxlng_uapi_area(&a, wh[0], wh[1], &r) &&
	    (r.left < 0 || r.top < 0 || r.left >= r.right ||
	     r.top >= r.bottom || (uint32_t)r.right > wh[0] ||
	     (uint32_t)r.bottom > wh[1]))
		abort();

	take(&eb, sizeof(eb), data, size);
	if (!qxlng_uapi_execbuffer(&eb) &&
	    eb.commands_num > QXLNG_UAPI_MAX_COMMANDS)
		abort();
	take(&c, sizeof(c), data, size);
	if (!qxlng_uapi_command(&c) &&
	    (c.command_size > QXLNG_UAPI_MAX_COMMAND_SIZE ||
	     c.relocs_num > QXLNG_UAPI_MAX_RELOCS))
		abort();

	take(v, sizeof(v), data, size);
	if (!qxlng_uapi_bo_size(v[0], &bytes) &&
	    (bytes < v[0] || bytes % QXL_PAGE_SIZE ||
	     bytes > QXLNG_UAPI_MAX_BO_SIZE))
		abort();
	qxlng_uapi_getparam(v[1], (uint32_t)v[0], &v[0]);

	take(caps, sizeof(caps), data, size);
	qxlng_uapi_clientcap((uint32_t)v[1], caps[0], caps, sizeof(caps));
}

/* Is off one of the addresses the relocations wrote? */
static int noted(const struct qxlng_uapi_addrs *a, size_t off)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (a->offset[i] == off)
			return 1;
	return 0;
}

/*
 * A draw command of fuzzed bytes after fuzzed relocations into it: an
 * accepted one draws on surface 0 or one a relocation named, and its
 * copy source, clip rects and
 * fill pattern (when used) are 0 or relocated.
 */
static void check_draw(const uint8_t **data, size_t *size)
{
	struct qxlng_uapi_addrs a = { 0 };
	struct qxlng_uapi_reloc_op op;
	struct qxl_drawable d;
	uint8_t cmd[sizeof(d) + 16];
	uint8_t n, i;
	uint64_t v;

	take(cmd, sizeof(cmd), data, size);
	take(&n, 1, data, size);
	for (i = 0; i < n % 8; i++) {
		take(&op, sizeof(op), data, size);
		op.width = op.type == QXL_RELOC_TYPE_BO ? 8 : 4;
		op.dst_offset %= sizeof(cmd) - 8;
		qxlng_uapi_addrs_note(&a, &op);
		if (a.n > QXLNG_UAPI_MAX_RELOCS ||
		    a.n_ids > QXLNG_UAPI_MAX_RELOCS)
			abort();
	}
	for (i = 0; i < a.n; i++) {
		for (n = 0; n < a.n; n++)
			if (i != n && a.offset[i] < a.offset[n] + 8 &&
			    a.offset[n] < a.offset[i] + 8)
				abort();
		for (n = 0; n < a.n_ids; n++)
			if (a.offset[i] < a.id_offset[n] + 4 &&
			    a.id_offset[n] < a.offset[i] + 8)
				abort();
	}
	if (qxlng_uapi_drawable(cmd, sizeof(cmd), &a))
		return;
	memcpy(&d, cmd, sizeof(d));
	if (d.type > QXL_DRAW_COMPOSITE)
		abort();
	if (d.surface_id) {
		for (i = 0; i < a.n_ids; i++)
			if (a.id_offset[i] ==
			    offsetof(struct qxl_drawable, surface_id))
				break;
		if (i == a.n_ids)
			abort();
	}
	if (d.type == QXL_DRAW_COPY) {
		v = d.u.copy.src_bitmap;
		if (v && !noted(&a, offsetof(struct qxl_drawable,
					     u.copy.src_bitmap)))
			abort();
	}
	if (d.clip.type == QXL_CLIP_TYPE_RECTS) {
		v = d.clip.data;
		if (v && !noted(&a, offsetof(struct qxl_drawable, clip.data)))
			abort();
	}
	if (d.type == QXL_DRAW_FILL &&
	    d.u.fill.brush.type == QXL_BRUSH_TYPE_PATTERN) {
		v = d.u.fill.brush.u.pattern.pat;
		if (v && !noted(&a, offsetof(struct qxl_drawable,
					     u.fill.brush.u.pattern.pat)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t op;

	while (size) {
		take(&op, 1, &data, &size);
		switch (op % 4) {
		case 0:
			check_reloc(&data, &size);
			break;
		case 1:
			check_surf(&data, &size);
			break;
		case 2:
			check_draw(&data, &size);
			break;
		default:
			check_simple(&data, &size);
			break;
		}
	}
	return 0;
}
