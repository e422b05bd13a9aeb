/* SPDX-License-Identifier: MIT */
/* Small QUIC and LZ decoders written from the format, for the unit test
 * and the fuzzer's round trip (decode(encode(x)) == x).  They check the
 * stream strictly: header, no read past the end, no trailing bytes, runs
 * and matches inside the image, and no run-length step a real decoder
 * would take differently (see quic.c: spice-html5 vs spice-common). */
#ifndef QNC_TEST_DECODE_H
#define QNC_TEST_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* Decode into px (w * h pixels, rows of 4 * w bytes).  RGB32 gives X = 0.
 * Returns 0, or a negative number naming the first problem found, with
 * test_decode_error() saying what it is. */
int test_quic_decode(const uint8_t *in, size_t len, uint32_t w, uint32_t h,
		     int alpha, uint32_t *px);
int test_lz_decode(const uint8_t *in, size_t len, uint32_t w, uint32_t h,
		   int alpha, uint32_t *px);
const char *test_decode_error(int err);

#endif
