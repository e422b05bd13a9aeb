/* SPDX-License-Identifier: MIT */
/*
 * qxl_render.h - layer 3 of the hw-qxl core: rendering.
 *
 * The surface table (surface 0 is the primary) and the drawing of parsed
 * commands onto it with pixman.  Whatever a draw points at in guest memory
 * (images, masks, brushes' patterns, paths, strings, transforms) is read
 * through the parse layer, so this layer never reads guest memory itself.
 * It knows nothing of rings, releases, interrupts or the display sink:
 * the device above decides what a draw's region means.
 */
#ifndef QXL_RENDER_H
#define QXL_RENDER_H

#include "mem/qxl_mem.h"
#include "parse/qxl_parse.h"

/* A surface the device draws on: the primary (id 0) or an off-screen one. */
struct qxl_surface_state {
	bool live;
	uint32_t width;
	uint32_t height;
	int32_t stride;		/* guest's stride; negative = bottom-up */
	uint32_t format;	/* QXL_SURFACE_FMT_* */
	uint8_t *mem;		/* start of the |stride| * height block */
	uint8_t *line0;		/* top line */
	pixman_image_t *image;	/* wraps line0 with the signed stride */
};

/* The renderer's state: guest memory to read through and the surfaces. */
struct qxl_render {
	const struct qxl_mem *mem;
	const struct qxl_report *report;
	struct qxl_surface_state *surfaces;	/* n_surfaces entries */
	uint32_t n_surfaces;
	uint64_t unsupported;	/* draws accepted but not drawn */
};

/* ---- surfaces (surface.c) --------------------------------------------- */

/* 0, or -1 when out of memory. */
int qxl_render_init(struct qxl_render *r, const struct qxl_mem *mem,
		    uint32_t n_surfaces);
/* Frees the table; the surfaces must be free already. */
void qxl_render_fini(struct qxl_render *r);
pixman_format_code_t qxl_surface_pixman_format(uint32_t format);
/* Wrap a parsed surface as surface id, cleared unless keep_data. 0 or -1. */
int qxl_surface_create(struct qxl_render *r, uint32_t id,
		       const struct qxl_surface_desc *desc);
void qxl_surface_free(struct qxl_render *r, uint32_t id);
/*
 * qxl_parse_image() with QXL_IMAGE_TYPE_SURFACE resolved to the surface's
 * own pixman image.  0, -1 after a guest bug, 1 when not drawable (an
 * unsupported type, a missing surface).
 */
int qxl_surface_image(struct qxl_render *r, qxl_phys addr,
		      struct qxl_img *img);

/* ---- drawing (render.c, stroke_text.c) -------------------------------- */

/* A validated draw: the copied drawable plus what it resolved to. */
struct qxl_draw {
	struct qxl_drawable d;		/* copy; never re-read */
	uint32_t surface_id;
	struct qxl_surface_state *dst;
	pixman_region32_t region;	/* bbox & clip & surface bounds */
};

/*
 * Draw dr onto dr->dst.  0 when done (dr->region is what changed, empty
 * when the draw was dropped or not drawn), -1 after a guest bug.
 */
int qxl_render_draw(struct qxl_render *r, struct qxl_draw *dr);

/* The rest is shared by the layer's own files. */

/* Pixels of 32- and 16-bit surfaces (render.c). */
uint8_t *qxl_img_row(pixman_image_t *im, int y);
void qxl_put_px(uint8_t *row, int x, int bpp, uint32_t v);
/* A QXL colour (x8r8g8b8) in a surface format. */
uint32_t qxl_color_to_dest(uint32_t c, uint32_t format);
/* A draw accepted but not drawn: counted, and its region emptied. */
int qxl_render_unsupported(struct qxl_render *r, struct qxl_draw *dr);

/* Best effort (stroke_text.c); each returns 0, or -1 after a guest bug. */
int qxl_render_stroke(struct qxl_render *r, struct qxl_draw *dr);
int qxl_render_text(struct qxl_render *r, struct qxl_draw *dr);

#endif /* QXL_RENDER_H */
