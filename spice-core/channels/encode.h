/* SPDX-License-Identifier: MIT */
/* Pixels -> SPICE images: fetch a rectangle as xRGB, raw bitmap, LZ4. */
#ifndef SPICE_CORE_ENCODE_H
#define SPICE_CORE_ENCODE_H

#include <stdbool.h>
#include <stdint.h>

#include "net/buf.h"

/* Copy w x h pixels at (x, y) of a surface into dst as packed 32-bit
 * xRGB.  The caller has checked the rectangle against the surface. */
void sc_fetch_rect(const uint8_t *top, int32_t stride, uint32_t format,
		   uint32_t x, uint32_t y, uint32_t w, uint32_t h,
		   uint32_t *dst);
/* True if all n pixels are equal (ignoring the x byte); *color gets it. */
bool sc_pixels_solid(const uint32_t *px, size_t n, uint32_t *color);
/* SpiceImage (descriptor + BitmapData + pixels), raw 32-bit top-down. */
void sc_encode_raw(struct sc_buf *b, uint64_t id, const uint32_t *px,
		   uint32_t w, uint32_t h);
/* SpiceImage of type LZ4; false if LZ4 is not built in or fails (the
 * buffer is then unchanged). */
bool sc_encode_lz4(struct sc_buf *b, uint64_t id, const uint32_t *px,
		   uint32_t w, uint32_t h);
bool sc_lz4_available(void);

#endif
