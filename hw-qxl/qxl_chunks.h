/* SPDX-License-Identifier: MIT */
/* qxl_chunks.h - chunk lists and decoded images (device-internal). */
#ifndef QXL_CHUNKS_H
#define QXL_CHUNKS_H

#include "qxl_internal.h"

/* Bytes read from guest memory: ptr is either guest memory or owned. */
struct qxl_buf {
	const uint8_t *ptr;
	uint64_t size;
	uint8_t *owned;
};

void qxl_buf_free(struct qxl_buf *b);

/*
 * Gather 'need' bytes from a chunk list whose first header (a copy) is
 * 'first' and whose first data (data_size bytes, translated) is 'data0'.
 * Returns 0, or -1 after a guest bug.
 */
int qxl_chunks_read(struct qxl_device *dev, const char *what,
		    const struct qxl_data_chunk *first, const uint8_t *data0,
		    uint64_t need, struct qxl_buf *out);

/*
 * The same for a guest structure of hdr_size bytes at addr whose chunk
 * header the caller already copied out (into 'first', from inside its one
 * copy of the structure): the first chunk's data follows the structure.
 * The structure is not read again.
 */
int qxl_chunks_read_at(struct qxl_device *dev, const char *what,
		       qxl_phys addr, uint64_t hdr_size,
		       const struct qxl_data_chunk *first, uint64_t need,
		       struct qxl_buf *out);

/* A guest image decoded for pixman. */
struct qxl_img {
	pixman_image_t *image;	/* NULL if none */
	uint8_t *owned;		/* converted pixels, if any */
	uint32_t width;
	uint32_t height;
	bool has_alpha;
	bool is_surface;	/* image is a surface's own (not owned) */
	uint32_t surface_id;
};

/*
 * Decode the qxl_image at addr: bitmaps in every QXL_BITMAP_FMT_*
 * (palettes, chunks, bottom-up) and QXL_IMAGE_TYPE_SURFACE.  Returns 0,
 * -1 after a guest bug, or 1 for a valid but unsupported image type
 * (compressed images, which only a SPICE server's own cache produces).
 */
int qxl_image_get(struct qxl_device *dev, qxl_phys addr, struct qxl_img *img);
/* Decode a 1-bit (or 8-bit alpha) mask bitmap into an a8 image. */
int qxl_mask_get(struct qxl_device *dev, qxl_phys addr, struct qxl_img *img);
void qxl_img_free(struct qxl_img *img);

#endif /* QXL_CHUNKS_H */
