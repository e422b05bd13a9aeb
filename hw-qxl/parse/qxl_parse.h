/* SPDX-License-Identifier: MIT */
/*
 * qxl_parse.h - layer 2 of the hw-qxl core: command parsing.
 *
 * Each command, and each structure it points at (clip lists, images,
 * palettes, masks, paths, strings, cursor shapes, monitors configs), is
 * copied out of guest memory once through layer 1, validated, and handed
 * up as a host-side value: the renderer and the device use the copy and
 * never read the command again.  Pixel data is read in place only after
 * its whole extent was translated.  Everything the guest got wrong goes
 * to the mem layer's report context; these functions return 0 or a
 * pointer on success and -1 or NULL after a guest bug.  The layer knows
 * nothing of surfaces, rendering or the device.
 */
#ifndef QXL_PARSE_H
#define QXL_PARSE_H

#include <pixman.h>

#include "mem/qxl_mem.h"

/* Caps on guest-described data, so a hostile guest costs bounded work. */
#define QXL_MAX_CLIP_RECTS	4096	  /* rectangles in one clip list */
#define QXL_MAX_SURFACE_DIM	16384	  /* width or height of a surface */
#define QXL_MAX_IMAGE_DIM	16384	  /* width or height of a bitmap */
#define QXL_MAX_CURSOR_BYTES	(4u << 20)

/* ---- QXL_CMD_DRAW (drawable.c) --------------------------------------- */

/*
 * Copy the drawable at addr into *d and check its surface id is below
 * n_surfaces.  Returns the command in guest memory (for its release).
 */
uint8_t *qxl_parse_drawable(const struct qxl_mem *m, qxl_phys addr,
			    uint32_t n_surfaces, struct qxl_drawable *d);
/*
 * The drawable's bbox & clip rectangles & a width x height destination
 * into *region, which is initialised even on failure.  0 or -1.
 */
int qxl_parse_draw_region(const struct qxl_mem *m,
			  const struct qxl_drawable *d, uint32_t width,
			  uint32_t height, pixman_region32_t *region);
/* A COMPOSITE source or mask transform. 0 or -1. */
int qxl_parse_transform(const struct qxl_mem *m, qxl_phys addr,
			struct pixman_transform *t);

/* ---- images (image.c) -------------------------------------------------- */

/* A guest image decoded for pixman. */
struct qxl_img {
	pixman_image_t *image;	/* NULL if none */
	uint8_t *owned;		/* converted pixels, if any */
	uint32_t width;
	uint32_t height;
	bool has_alpha;
	bool is_surface;	/* a surface's own image (not owned) */
	uint32_t surface_id;
};

/*
 * Decode the qxl_image at addr: bitmaps in every QXL_BITMAP_FMT_*
 * (palettes, chunks, bottom-up).  A QXL_IMAGE_TYPE_SURFACE only names its
 * surface (is_surface, surface_id, no image): the surfaces' owner resolves
 * it.  Returns 0, -1 after a guest bug, or 1 for a valid but unsupported
 * image type (compressed images, which only a SPICE server produces).
 */
int qxl_parse_image(const struct qxl_mem *m, qxl_phys addr,
		    struct qxl_img *img);
/* Decode a 1-bit mask bitmap into 8-bit values (0 or 0xff) in owned. */
int qxl_parse_mask(const struct qxl_mem *m, qxl_phys addr,
		   struct qxl_img *img);
void qxl_img_free(struct qxl_img *img);
/*
 * Pixel x of a line in a 1/4/8-bit QXL_BITMAP_FMT_* (a palette index or
 * a mask bit).  Glyphs and cursor masks use the _BE and 8BIT layouts.
 */
uint32_t qxl_bitmap_index(const uint8_t *line, uint32_t x, uint8_t fmt);

/* ---- STROKE paths and TEXT strings (path_string.c) --------------------- */

/* A path's segments, read one at a time (qxl_path_next). */
struct qxl_path_iter {
	struct qxl_buf buf;
	uint64_t off;
	uint32_t data_size;
};

int qxl_parse_path(const struct qxl_mem *m, qxl_phys addr,
		   struct qxl_path_iter *path);
/*
 * The next segment: 1 with *seg and its seg->count points (struct
 * qxl_point_fix, unaligned) at *points, 0 at the end, -1 after a guest
 * bug.
 */
int qxl_path_next(const struct qxl_mem *m, struct qxl_path_iter *path,
		  struct qxl_path_seg *seg, const uint8_t **points);
void qxl_path_free(struct qxl_path_iter *path);

/* One raster glyph, placed. */
struct qxl_glyph {
	int64_t x, y;		/* top left: render_pos + glyph_origin */
	uint32_t width;
	uint32_t height;
	uint64_t line_bytes;
	const uint8_t *bits;	/* height lines of line_bytes */
};

/* A string's raster glyphs, read one at a time (qxl_glyph_next). */
struct qxl_glyph_iter {
	struct qxl_buf buf;
	uint64_t off;
	uint32_t index;
	uint32_t length;	/* glyphs the string says it has */
	unsigned int bpp;	/* 1, 4 or 8 bits a pixel */
	uint8_t fmt;		/* the same as QXL_BITMAP_FMT_1BIT_BE, _4BIT_BE
				 * or _8BIT, for qxl_bitmap_index() */
};

int qxl_parse_string(const struct qxl_mem *m, qxl_phys addr,
		     struct qxl_glyph_iter *glyphs);
/* The next glyph: 1 and *gl, 0 at the end, -1 after a guest bug. */
int qxl_glyph_next(const struct qxl_mem *m, struct qxl_glyph_iter *glyphs,
		   struct qxl_glyph *gl);
void qxl_glyphs_free(struct qxl_glyph_iter *glyphs);

/* ---- QXL_CMD_SURFACE and CREATE_PRIMARY (surface_cmd.c) ---------------- */

/* Bits per pixel of a QXL_SURFACE_FMT_*; 0 if unknown. */
int qxl_surface_bpp(uint32_t format);

/* A surface the guest described, checked, over translated memory. */
struct qxl_surface_desc {
	uint32_t width;
	uint32_t height;
	int32_t stride;		/* guest's stride; negative = bottom-up */
	uint32_t format;	/* QXL_SURFACE_FMT_* */
	uint8_t *mem;		/* start of the |stride| * height block */
	uint64_t size;		/* |stride| * height */
	bool keep_data;
};

/*
 * Copy the surface command at addr: surface id below n_surfaces, a known
 * type, no CREATE of surface 0.  Returns the command in guest memory.
 */
uint8_t *qxl_parse_surface_cmd(const struct qxl_mem *m, qxl_phys addr,
			       uint32_t n_surfaces,
			       struct qxl_surface_cmd *cmd);
/* A CREATE command's surface. 0 or -1. */
int qxl_parse_surface_create(const struct qxl_mem *m,
			     const struct qxl_surface_cmd *cmd,
			     struct qxl_surface_desc *out);
/*
 * CREATE_PRIMARY's request (copied by the device): a display format,
 * inside the area_size bytes of surface 0, and no primary existing.
 */
int qxl_parse_primary(const struct qxl_mem *m,
		      const struct qxl_surface_create *sc, uint64_t area_size,
		      bool exists, struct qxl_surface_desc *out);

/* ---- QXL_CMD_CURSOR (cursor_cmd.c) -------------------------------------- */

/* Copy the cursor command at addr; its type must be known. */
uint8_t *qxl_parse_cursor_cmd(const struct qxl_mem *m, qxl_phys addr,
			      struct qxl_cursor_cmd *cmd);

/* A cursor shape converted to straight ARGB. */
struct qxl_cursor_image {
	uint64_t unique;
	uint16_t type;		/* QXL_CURSOR_TYPE_* */
	uint16_t width;
	uint16_t height;
	uint16_t hot_x;
	uint16_t hot_y;
	uint32_t *argb;		/* width * height, malloc'ed */
};

/* A SET's shape, at most max_size pixels a side. 0 or -1. */
int qxl_parse_cursor_shape(const struct qxl_mem *m, qxl_phys addr,
			   unsigned int max_size,
			   struct qxl_cursor_image *img);

/* ---- MONITORS_CONFIG_ASYNC (monitors.c) --------------------------------- */

/*
 * The guest's monitors config at addr into heads[]: returns the number of
 * heads (at most max_outputs, when not 0), 0 when a config with no heads
 * or more than its max_allowed or max_heads was ignored (a warning), -1
 * after a guest bug.
 */
int qxl_parse_monitors_config(const struct qxl_mem *m, qxl_phys addr,
			      unsigned int max_heads, uint32_t max_outputs,
			      struct qxl_head *heads);

#endif /* QXL_PARSE_H */
