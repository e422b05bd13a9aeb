/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test patterns shared with the host checks (scripts/guest/patterns.py
 * has the Python twin of each): XRGB8888 values of (x, y).
 */
#ifndef QXLNG_PATTERN_H
#define QXLNG_PATTERN_H

#include <stdint.h>

static inline uint32_t pattern_a(uint32_t x, uint32_t y)
{
	return ((x & 0xff) << 16) | ((y & 0xff) << 8) | ((x ^ y) & 0xff);
}

static inline uint32_t pattern_b(uint32_t x, uint32_t y)
{
	return ((0xff - (x & 0xff)) << 16) | (0x80 << 8) | ((x + y) & 0xff);
}

/* The damage test's rectangles: x1, y1, x2, y2 (exclusive). */
static const uint32_t damage_reported[4] = { 100, 50, 300, 210 };
static const uint32_t damage_unreported[4] = { 600, 400, 700, 500 };

#endif
