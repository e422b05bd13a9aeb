// SPDX-License-Identifier: MIT
/*
 * surface.c - the surface table (primary = id 0, off-screen surfaces in
 * guest memory), pixman images over memory the parse layer validated,
 * and images that name a surface.
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_render.h"

int qxl_render_init(struct qxl_render *r, const struct qxl_mem *mem,
		    uint32_t n_surfaces)
{
	memset(r, 0, sizeof(*r));
	r->mem = mem;
	r->report = &mem->report;
	r->n_surfaces = n_surfaces;
	r->surfaces = calloc(n_surfaces, sizeof(*r->surfaces));
	return r->surfaces ? 0 : -1;
}

void qxl_render_fini(struct qxl_render *r)
{
	free(r->surfaces);
	r->surfaces = NULL;
}

pixman_format_code_t qxl_surface_pixman_format(uint32_t format)
{
	switch (format) {
	case QXL_SURFACE_FMT_32_xRGB:
		return PIXMAN_x8r8g8b8;
	case QXL_SURFACE_FMT_32_ARGB:
		return PIXMAN_a8r8g8b8;
	case QXL_SURFACE_FMT_16_555:
		return PIXMAN_x1r5g5b5;
	case QXL_SURFACE_FMT_16_565:
		return PIXMAN_r5g6b5;
	case QXL_SURFACE_FMT_8_A:
		return PIXMAN_a8;
	case QXL_SURFACE_FMT_1_A:
		return PIXMAN_a1;
	default:
		return 0;
	}
}

int qxl_surface_create(struct qxl_render *r, uint32_t id,
		       const struct qxl_surface_desc *desc)
{
	struct qxl_surface_state *s = &r->surfaces[id];
	uint64_t abs_stride = desc->stride < 0 ? -(int64_t)desc->stride :
			      desc->stride;
	uint8_t *line0 = desc->stride < 0 ?
			 desc->mem + abs_stride * (desc->height - 1) :
			 desc->mem;

	s->image = pixman_image_create_bits(
		qxl_surface_pixman_format(desc->format), (int)desc->width,
		(int)desc->height, (uint32_t *)(void *)line0, desc->stride);
	if (!s->image) {
		qxl_report_bug(r->report, "surface %u: pixman refused %ux%u "
			       "stride %d", id, desc->width, desc->height,
			       desc->stride);
		return -1;
	}
	if (!desc->keep_data)
		memset(desc->mem, 0, desc->size);
	s->live = true;
	s->width = desc->width;
	s->height = desc->height;
	s->stride = desc->stride;
	s->format = desc->format;
	s->mem = desc->mem;
	s->line0 = line0;
	return 0;
}

void qxl_surface_free(struct qxl_render *r, uint32_t id)
{
	struct qxl_surface_state *s = &r->surfaces[id];

	if (s->image)
		pixman_image_unref(s->image);
	memset(s, 0, sizeof(*s));
}

int qxl_surface_image(struct qxl_render *r, qxl_phys addr,
		      struct qxl_img *img)
{
	struct qxl_surface_state *s;
	int ret = qxl_parse_image(r->mem, addr, img);

	if (ret || !img->is_surface)
		return ret;
	if (img->surface_id >= r->n_surfaces) {
		qxl_report_bug(r->report, "surface image: surface %u >= %u",
			       img->surface_id, r->n_surfaces);
		return -1;
	}
	s = &r->surfaces[img->surface_id];
	if (!s->live) {
		qxl_report_warn(r->report, "image of missing surface %u",
				img->surface_id);
		return 1;
	}
	img->image = pixman_image_ref(s->image);
	img->width = s->width;
	img->height = s->height;
	img->has_alpha = s->format == QXL_SURFACE_FMT_32_ARGB;
	return 0;
}
