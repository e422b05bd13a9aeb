// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the checks of the qxl.ko ioctl arguments
 * (qxlng_uapi.c), fed what a hostile client can pass: arbitrary
 * structures and object sizes.  Whatever a check accepts must be safe to
 * use as is: a relocation writes inside its destination and points
 * inside its source, a surface's allocation holds its picture, an area
 * lies in its surface.
 */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t op;

	while (size) {
		take(&op, 1, &data, &size);
		switch (op % 3) {
		case 0:
			check_reloc(&data, &size);
			break;
		case 1:
			check_surf(&data, &size);
			break;
		default:
			check_simple(&data, &size);
			break;
		}
	}
	return 0;
}
