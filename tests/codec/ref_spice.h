/* SPDX-License-Identifier: MIT */
/* The reference: spice-common's QUIC and LZ (the code spice-server encodes
 * with and spice-gtk decodes with), called through a small adapter.  Only
 * the benchmark and the interop check link it, built at run time from
 * Debian's spice source package (tests/codec/spice-common-src); no
 * spice-common code is part of this tree. */
#ifndef QNC_TEST_REF_SPICE_H
#define QNC_TEST_REF_SPICE_H

#include <stddef.h>
#include <stdint.h>

/* Encode w x h pixels (rows of 4 * w bytes) as QUIC RGB32 / RGBA or LZ
 * RGB32 / RGBA; returns the bytes written, 0 on error or no room. */
size_t ref_quic_encode(const uint32_t *px, uint32_t w, uint32_t h, int alpha,
		       uint8_t *out, size_t cap);
size_t ref_lz_encode(const uint32_t *px, uint32_t w, uint32_t h, int alpha,
		     uint8_t *out, size_t cap);
/* Decode as spice-gtk's canvas does into px (w * h pixels, rows of 4 * w
 * bytes); 0 on success, -1 if the decoder reports an error or the header
 * does not say w x h of the expected type. */
int ref_quic_decode(const uint8_t *in, size_t len, uint32_t w, uint32_t h,
		    int alpha, uint32_t *px);
int ref_lz_decode(const uint8_t *in, size_t len, uint32_t w, uint32_t h,
		  int alpha, uint32_t *px);

#endif
