/* SPDX-License-Identifier: MIT */
/* Helpers shared by the encoders of spice-core/codec: argument checks and
 * unaligned little/big-endian stores. */
#ifndef QNC_COMMON_H
#define QNC_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "qnc_codec.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "spice-core/codec reads pixels as little-endian 32-bit words"
#endif

#if defined(__GNUC__)
#define QNC_LIKELY(x) __builtin_expect(!!(x), 1)
#define QNC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define QNC_INLINE inline __attribute__((always_inline))
#else
#define QNC_LIKELY(x) (x)
#define QNC_UNLIKELY(x) (x)
#define QNC_INLINE inline
#endif

/* True if w x h pixels at 'pixels' with 'stride' can be encoded: both
 * sizes non-zero, at most QNC_MAX_PIXELS pixels, |stride| >= 4 * w. */
static inline bool qnc_args_ok(const uint8_t *pixels, int stride, uint32_t w,
			       uint32_t h)
{
	int64_t s = stride;

	if (!pixels || !w || !h)
		return false;
	if ((uint64_t)w * h > QNC_MAX_PIXELS)
		return false;
	if (s < 0)
		s = -s;
	return (uint64_t)s >= 4 * (uint64_t)w;
}

static inline const uint8_t *qnc_row(const uint8_t *pixels, int stride,
				     uint32_t y)
{
	return pixels + (ptrdiff_t)stride * (ptrdiff_t)y;
}

static inline uint32_t qnc_load32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;	/* host order; the codecs are built for little-endian */
}

static inline void qnc_store_le32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* little-endian host (checked above) */
}

static inline void qnc_store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
