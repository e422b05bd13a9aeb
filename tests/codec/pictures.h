/* SPDX-License-Identifier: MIT */
/* Deterministic test pictures for the codec tests, fuzzer and benchmark:
 * 32-bit little-endian xRGB / ARGB (bytes B, G, R, A), rows of 4 * w bytes. */
#ifndef QNC_TEST_PICTURES_H
#define QNC_TEST_PICTURES_H

#include <stdint.h>

enum pic_kind {
	PIC_PHOTO,	/* natural-looking: fractal light and colour, grain */
	PIC_GRADIENT,	/* smooth diagonal gradient with mild dither */
	PIC_NOISE,	/* uniform random bytes (alpha random too) */
	PIC_FLAT,	/* one colour */
	PIC_TEXT,	/* dark glyph-like text on a light background */
	PIC_UI,		/* desktop: windows, title bars, buttons, text, icons */
	PIC_BANDS,	/* few colours in long vertical and horizontal runs */
	PIC_N
};

const char *pic_name(enum pic_kind k);
/* Fill px (w * h pixels) with picture k; seed varies it.  The alpha byte
 * is 255 except for PIC_NOISE (random) and when 'alpha' is set, where
 * it gets a shape of its own (gradients, holes, flat areas). */
void pic_make(enum pic_kind k, uint32_t *px, uint32_t w, uint32_t h,
	      uint64_t seed, int alpha);
/* splitmix64, for tests that need their own random numbers. */
uint64_t pic_rand(uint64_t *state);

#endif
