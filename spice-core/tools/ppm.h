/* SPDX-License-Identifier: MIT */
/* Binary PPM (P6, maxval <= 255) -> 32-bit xRGB pixels. */
#ifndef SPICE_CORE_PPM_H
#define SPICE_CORE_PPM_H

#include <stdint.h>
#include <stddef.h>

/* Parse a P6 image held in memory.  Returns a g_malloc'ed xRGB buffer
 * (stride width * 4) or NULL with *why set. */
uint32_t *sc_ppm_parse(const uint8_t *data, size_t len, uint32_t *width,
		       uint32_t *height, const char **why);

#endif
