// SPDX-License-Identifier: MIT
/*
 * surface_cmd.c - QXL_CMD_SURFACE and CREATE_PRIMARY's request: the
 * command copied once, the surface's format, size and stride checked and
 * its memory translated as one block.
 */
#include <string.h>

#include "qxl_parse.h"

int qxl_surface_bpp(uint32_t format)
{
	switch (format) {
	case QXL_SURFACE_FMT_32_xRGB:
	case QXL_SURFACE_FMT_32_ARGB:
		return 32;
	case QXL_SURFACE_FMT_16_555:
	case QXL_SURFACE_FMT_16_565:
		return 16;
	case QXL_SURFACE_FMT_8_A:
		return 8;
	case QXL_SURFACE_FMT_1_A:
		return 1;
	default:
		return 0;
	}
}

/*
 * Check a surface's parameters the guest gave and translate its memory
 * at addr into *out.  0 or -1.
 */
static int surface_desc(const struct qxl_mem *m, const char *what,
			uint32_t width, uint32_t height, int32_t stride,
			uint32_t format, qxl_phys addr,
			struct qxl_surface_desc *out)
{
	const struct qxl_report *r = &m->report;
	int bpp = qxl_surface_bpp(format);
	uint64_t abs_stride, min_stride;

	if (!bpp) {
		qxl_report_bug(r, "%s: invalid format %u", what, format);
		return -1;
	}
	if (width == 0 || height == 0 || width > QXL_MAX_SURFACE_DIM ||
	    height > QXL_MAX_SURFACE_DIM) {
		qxl_report_bug(r, "%s: size %ux%u outside 1..%u", what, width,
			       height, QXL_MAX_SURFACE_DIM);
		return -1;
	}
	if (stride == INT32_MIN) {
		qxl_report_bug(r, "%s: stride INT32_MIN", what);
		return -1;
	}
	if (stride & 3) {
		qxl_report_bug(r, "%s: stride %d is not a multiple of 4", what,
			       stride);
		return -1;
	}
	abs_stride = stride < 0 ? -(int64_t)stride : stride;
	min_stride = ((uint64_t)width * (uint64_t)bpp + 7) / 8;
	if (abs_stride < min_stride) {
		qxl_report_bug(r, "%s: stride %d < %llu bytes for width %u",
			       what, stride, (unsigned long long)min_stride,
			       width);
		return -1;
	}
	out->width = width;
	out->height = height;
	out->stride = stride;
	out->format = format;
	/* Both factors are < 2^31, so this cannot overflow 64 bits. */
	out->size = abs_stride * height;
	out->mem = qxl_memslot_translate(m, addr, out->size);
	return out->mem ? 0 : -1;
}

uint8_t *qxl_parse_surface_cmd(const struct qxl_mem *m, qxl_phys addr,
			       uint32_t n_surfaces,
			       struct qxl_surface_cmd *cmd)
{
	uint8_t *p = qxl_memslot_copy(m, addr, cmd, sizeof(*cmd));

	if (!p)
		return NULL;
	if (cmd->surface_id >= n_surfaces) {
		qxl_report_bug(&m->report, "surface command: surface %u >= %u",
			       cmd->surface_id, n_surfaces);
		return NULL;
	}
	switch (cmd->type) {
	case QXL_SURFACE_CMD_CREATE:
		if (cmd->surface_id == 0) {
			qxl_report_bug(&m->report, "surface create: surface 0 "
				       "is the primary");
			return NULL;
		}
		return p;
	case QXL_SURFACE_CMD_DESTROY:
		return p;
	default:
		qxl_report_bug(&m->report, "surface command: unknown type %u",
			       cmd->type);
		return NULL;
	}
}

int qxl_parse_surface_create(const struct qxl_mem *m,
			     const struct qxl_surface_cmd *cmd,
			     struct qxl_surface_desc *out)
{
	const struct qxl_surface *sc = &cmd->u.surface_create;

	out->keep_data = cmd->flags & QXL_SURF_FLAG_KEEP_DATA;
	return surface_desc(m, "surface create", sc->width, sc->height,
			    sc->stride, sc->format, sc->data, out);
}

int qxl_parse_primary(const struct qxl_mem *m,
		      const struct qxl_surface_create *sc, uint64_t area_size,
		      bool exists, struct qxl_surface_desc *out)
{
	const struct qxl_report *r = &m->report;

	if (sc->stride == INT32_MIN) {
		qxl_report_bug(r, "CREATE_PRIMARY: stride INT32_MIN");
		return -1;
	}
	if ((uint64_t)(sc->stride < 0 ? -(int64_t)sc->stride : sc->stride) *
	    sc->height > area_size) {
		qxl_report_bug(r, "CREATE_PRIMARY: stride %d x height %u is "
			       "larger than vgamem (%llu)", sc->stride,
			       sc->height, (unsigned long long)area_size);
		return -1;
	}
	if (exists) {
		qxl_report_bug(r, "CREATE_PRIMARY: a primary already exists");
		return -1;
	}
	if (sc->format != QXL_SURFACE_FMT_32_xRGB &&
	    sc->format != QXL_SURFACE_FMT_32_ARGB &&
	    sc->format != QXL_SURFACE_FMT_16_555 &&
	    sc->format != QXL_SURFACE_FMT_16_565) {
		qxl_report_bug(r, "CREATE_PRIMARY: format %u is not a display "
			       "format", sc->format);
		return -1;
	}
	out->keep_data = sc->flags & QXL_SURF_FLAG_KEEP_DATA;
	return surface_desc(m, "CREATE_PRIMARY", sc->width, sc->height,
			    sc->stride, sc->format, sc->mem, out);
}
