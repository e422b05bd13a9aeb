/* SPDX-License-Identifier: MIT */
/*
 * Damage against what a client already shows: which damaged pixels did
 * not change, and which moved (a window dragged, a scroll) so that a
 * COPY_BITS of the client's own pixels replaces sending them.  Pure
 * functions over 32-bit pixels: `shadow` is the client's picture as sent
 * (sw x sh, packed), `px` the damaged rectangle's new pixels (`pstride`
 * pixels between rows, (0, 0) at r's top left).
 */
#ifndef SPICE_CORE_CHANNELS_MOVES_H
#define SPICE_CORE_CHANNELS_MOVES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pixman.h>

/* Moves smaller than this many pixels are not worth a COPY_BITS. */
#define SC_MOVE_MIN_PIXELS	4096

/*
 * The bounding box, in surface coordinates inside r, of the pixels of r
 * where px differs from the shadow.  false (and *out untouched) when none
 * does.
 */
bool sc_diff_box(const uint32_t *shadow, uint32_t sw,
		 const pixman_box32_t *r, const uint32_t *px, size_t pstride,
		 pixman_box32_t *out);

/*
 * A rectangle *a inside r whose new pixels the shadow holds at *a moved
 * by (*dx, *dy) != (0, 0), the source inside the sw x sh surface and
 * outside `avoid` (pixels the client does not have exactly); the largest
 * found, of at least SC_MOVE_MIN_PIXELS.  (hint_dx, hint_dy), the last
 * move found, is tried first.  Looks for vertical and horizontal shifts
 * of up to 1024 pixels and any move of up to 48 in each direction, from
 * a few probes of 16 pixels; costs about a comparison of the area found.
 */
bool sc_find_move(const uint32_t *shadow, uint32_t sw, uint32_t sh,
		  const pixman_box32_t *r, const uint32_t *px, size_t pstride,
		  const pixman_region32_t *avoid, int32_t hint_dx,
		  int32_t hint_dy, pixman_box32_t *a, int32_t *dx,
		  int32_t *dy);

#endif
