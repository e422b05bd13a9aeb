/* SPDX-License-Identifier: MIT */
/* qxl_render.h - drawing onto surfaces (device-internal). */
#ifndef QXL_RENDER_H
#define QXL_RENDER_H

#include "qxl_chunks.h"

/* A validated draw: the copied drawable plus what it resolved to. */
struct qxl_draw {
	struct qxl_drawable d;		/* copy; never re-read */
	uint32_t surface_id;
	struct qxl_surface_state *dst;
	pixman_region32_t region;	/* bbox & clip & surface bounds */
};

/*
 * Raster op tables: bit ((s << 1) | d) of the table is the result for
 * source bit s and destination bit d.
 */
#define QXL_ROP2_CLEAR	0x0
#define QXL_ROP2_COPY	0xc
#define QXL_ROP2_NOOP	0xa
#define QXL_ROP2_INVERT	0x5
#define QXL_ROP2_SET	0xf

enum qxl_rop_input { QXL_ROP_IN_SRC, QXL_ROP_IN_BRUSH, QXL_ROP_IN_DEST };

unsigned int qxl_rop2_from_descriptor(uint16_t desc, enum qxl_rop_input s,
				      enum qxl_rop_input d);

/* Pixels of 32- and 16-bit surfaces (render.c). */
uint8_t *qxl_img_row(pixman_image_t *im, int y);
void qxl_put_px(uint8_t *row, int x, int bpp, uint32_t v);
/* A QXL colour (x8r8g8b8) in a surface format. */
uint32_t qxl_color_to_dest(uint32_t c, uint32_t format);

/* One function per draw type; each returns 0, or -1 after a guest bug. */
int qxl_render_fill(struct qxl_device *dev, struct qxl_draw *dr);
int qxl_render_copy(struct qxl_device *dev, struct qxl_draw *dr,
		    const struct qxl_copy *c);
int qxl_render_opaque(struct qxl_device *dev, struct qxl_draw *dr);
int qxl_render_copy_bits(struct qxl_device *dev, struct qxl_draw *dr);
int qxl_render_solid_mask(struct qxl_device *dev, struct qxl_draw *dr,
			  const struct qxl_q_mask *m, unsigned int table);
int qxl_render_rop3(struct qxl_device *dev, struct qxl_draw *dr);
int qxl_render_transparent(struct qxl_device *dev, struct qxl_draw *dr);
int qxl_render_alpha_blend(struct qxl_device *dev, struct qxl_draw *dr);
int qxl_render_composite(struct qxl_device *dev, struct qxl_draw *dr);
int qxl_render_stroke(struct qxl_device *dev, struct qxl_draw *dr);
int qxl_render_text(struct qxl_device *dev, struct qxl_draw *dr);

#endif /* QXL_RENDER_H */
