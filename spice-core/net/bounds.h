/* SPDX-License-Identifier: MIT */
/*
 * Numbers a client sent: sizes, lengths, counts, coordinates.  Every sum,
 * difference or product with one of them goes through these helpers,
 * never through plain C arithmetic: sizes are overflow-checked against a
 * limit, coordinates computed in 64 bits and clamped, counters saturate.
 *
 * The rules (Documentation/spice-core.rst, "Limits and clamping"):
 *   sizes, lengths, counts  checked against their limit before use; a sum
 *                           or product past the limit fails the same way
 *                           as a value past it (never wraps): the client
 *                           is dropped, or the item skipped, with a log
 *                           line naming the limit
 *   widths and heights      1..SC_DIM_MAX; outside, the request is refused
 *   monitor positions       clamped to [-SC_COORD_LIMIT, SC_COORD_LIMIT];
 *                           positions made relative stay in
 *                           [0, 2 * SC_COORD_LIMIT]
 *   pointer positions       clamped to [0, SC_DIM_MAX - 1]
 *   relative motion         clamped to [-SC_DIM_MAX, SC_DIM_MAX] per message
 *   tokens, ACK counts      saturate at 0 and UINT32_MAX
 */
#ifndef SPICE_CORE_NET_BOUNDS_H
#define SPICE_CORE_NET_BOUNDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_DIM_MAX	16384			/* widths, heights */
#define SC_COORD_LIMIT	(16 * SC_DIM_MAX)	/* 16 heads side by side */

/* *out = a + b if that is at most limit; false (and *out untouched)
 * otherwise, also when the sum wraps. */
static inline bool sc_size_add(size_t a, size_t b, size_t limit, size_t *out)
{
	size_t r;

	if (__builtin_add_overflow(a, b, &r) || r > limit)
		return false;
	*out = r;
	return true;
}

/* *out = a * b if that is at most limit; false otherwise. */
static inline bool sc_size_mul(size_t a, size_t b, size_t limit, size_t *out)
{
	size_t r;

	if (__builtin_mul_overflow(a, b, &r) || r > limit)
		return false;
	*out = r;
	return true;
}

/* v within [lo, hi]. */
static inline int32_t sc_clamp_i32(int64_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : (int32_t)v;
}

/* A monitor position from a client. */
static inline int32_t sc_coord(int64_t v)
{
	return sc_clamp_i32(v, -SC_COORD_LIMIT, SC_COORD_LIMIT);
}

/* a - b of two clamped positions: within +-2 * SC_COORD_LIMIT, no wrap. */
static inline int32_t sc_coord_sub(int32_t a, int32_t b)
{
	return sc_clamp_i32((int64_t)a - b, -2 * SC_COORD_LIMIT,
			    2 * SC_COORD_LIMIT);
}

/* A pointer position (unsigned on the wire) on a display. */
static inline int32_t sc_pointer_pos(uint32_t v)
{
	return sc_clamp_i32(v, 0, SC_DIM_MAX - 1);
}

/* One relative pointer motion. */
static inline int32_t sc_pointer_delta(int32_t v)
{
	return sc_clamp_i32(v, -SC_DIM_MAX, SC_DIM_MAX);
}

/* A width or height a client asks for. */
static inline bool sc_dim_ok(uint32_t v)
{
	return v >= 1 && v <= SC_DIM_MAX;
}

/* Counters a client moves: saturating. */
static inline uint32_t sc_sat_add_u32(uint32_t a, uint32_t b)
{
	uint32_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT32_MAX : r;
}

static inline uint32_t sc_sat_sub_u32(uint32_t a, uint32_t b)
{
	return a > b ? a - b : 0;
}

#endif
