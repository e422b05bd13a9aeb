// SPDX-License-Identifier: MIT
/*
 * Content classifier: QUIC or LZ?
 *
 * QUIC codes every pixel (at best about 1 bit per channel), so it wins
 * where neighbouring pixels differ a little everywhere: photos, gradients,
 * noise.  LZ codes repeated pixels almost for free and copies repeated
 * shapes, so it wins on UI and text: long runs of one colour, few colours.
 *
 * The sample: up to 24 rows spread over the region and up to 48 points
 * on each (at most 1152 points, whatever the size).  At each point the
 * pixel is compared with its left and upper neighbours.  UI if at least
 * 40% of those pairs are equal or the sample has few distinct colours
 * (under one for every four points); photo otherwise: smooth or noisy,
 * QUIC is never much worse there and usually far better.
 */
#include "common.h"

#define ROWS 24
#define COLS 48
#define SET_BITS 11		/* distinct-colour set, 2048 slots */

static uint32_t max_diff(uint32_t a, uint32_t b)
{
	uint32_t m = 0, k;

	for (k = 0; k < 24; k += 8) {
		int d = (int)((a >> k) & 0xff) - (int)((b >> k) & 0xff);
		uint32_t ad = (uint32_t)(d < 0 ? -d : d);

		if (ad > m)
			m = ad;
	}
	return m;
}

enum qnc_content qnc_classify(const uint8_t *pixels, int stride, uint32_t w,
			      uint32_t h)
{
	return qnc_classify_sample(pixels, stride, w, h, ROWS, COLS);
}

enum qnc_content qnc_classify_sample(const uint8_t *pixels, int stride,
				     uint32_t w, uint32_t h, uint32_t rows,
				     uint32_t cols)
{
	uint32_t set[1u << SET_BITS];
	uint32_t r, c, equal = 0, pairs = 0, distinct = 0;

	/* too small for QUIC to pay (spice-server does not use QUIC below
	 * 3 pixels either) */
	if (!qnc_args_ok(pixels, stride, w, h) || w < 3 || h < 3)
		return QNC_CONTENT_UI;
	memset(set, 0xff, sizeof(set));
	rows = rows < 1 ? 1 : rows > ROWS ? ROWS : rows;
	cols = cols < 1 ? 1 : cols > COLS ? COLS : cols;
	rows = h - 1 < rows ? h - 1 : rows;
	cols = w - 1 < cols ? w - 1 : cols;
	for (r = 0; r < rows; r++) {
		/* rows 1..h-1 and columns 1..w-1, evenly spread */
		uint32_t y = 1 + (uint32_t)((uint64_t)r * (h - 1) / rows);
		const uint8_t *line = qnc_row(pixels, stride, y);
		const uint8_t *up = qnc_row(pixels, stride, y - 1);

		for (c = 0; c < cols; c++) {
			uint32_t x = 1 + (uint32_t)((uint64_t)c * (w - 1) / cols);
			uint32_t p = qnc_load32(line + 4 * (size_t)x) & 0xffffff;
			uint32_t l = qnc_load32(line + 4 * (size_t)x - 4);
			uint32_t u = qnc_load32(up + 4 * (size_t)x);
			uint32_t slot = (p * 0x9e3779b1u) >> (32 - SET_BITS);

			equal += !max_diff(p, l) + !max_diff(p, u);
			pairs += 2;
			/* open addressing; the set never fills (1152 < 2048) */
			while (set[slot] != 0xffffffffu && set[slot] != p)
				slot = (slot + 1) & ((1u << SET_BITS) - 1);
			if (set[slot] != p) {
				set[slot] = p;
				distinct++;
			}
		}
	}
	if (equal * 10 >= pairs * 4)
		return QNC_CONTENT_UI;
	/* few colours for the points looked at: a palette, not a photo */
	if (distinct * 4 < rows * cols)
		return QNC_CONTENT_UI;
	return QNC_CONTENT_PHOTO;
}
