// SPDX-License-Identifier: MIT
/* Deterministic test pictures (see pictures.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pictures.h"

static const char *const names[PIC_N] = {
	[PIC_PHOTO] = "photo", [PIC_GRADIENT] = "gradient",
	[PIC_NOISE] = "noise", [PIC_FLAT] = "flat", [PIC_TEXT] = "text",
	[PIC_UI] = "ui", [PIC_BANDS] = "bands",
};

const char *pic_name(enum pic_kind k)
{
	return k < PIC_N ? names[k] : "?";
}

uint64_t pic_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t hash2(int64_t x, int64_t y, uint64_t seed)
{
	uint64_t s = seed ^ ((uint64_t)x * 0x632be59bd9b4e019ull) ^
		     ((uint64_t)y * 0x8cb92ba72f3d8dd7ull);

	return (uint32_t)(pic_rand(&s) >> 32);
}

static uint32_t pack(double r, double g, double b, uint32_t a)
{
	int ri = (int)lround(r), gi = (int)lround(g), bi = (int)lround(b);

	ri = ri < 0 ? 0 : ri > 255 ? 255 : ri;
	gi = gi < 0 ? 0 : gi > 255 ? 255 : gi;
	bi = bi < 0 ? 0 : bi > 255 ? 255 : bi;
	return a << 24 | (uint32_t)ri << 16 | (uint32_t)gi << 8 | (uint32_t)bi;
}

/* Smooth value noise in [-1, 1] with cell size 'cell' (smoothstep
 * interpolation of random lattice values). */
static double vnoise(double x, double y, double cell, uint64_t seed)
{
	double fx = x / cell, fy = y / cell;
	int64_t ix = (int64_t)floor(fx), iy = (int64_t)floor(fy);
	double tx = fx - (double)ix, ty = fy - (double)iy;
	double v00 = hash2(ix, iy, seed) / 2147483648.0 - 1.0;
	double v10 = hash2(ix + 1, iy, seed) / 2147483648.0 - 1.0;
	double v01 = hash2(ix, iy + 1, seed) / 2147483648.0 - 1.0;
	double v11 = hash2(ix + 1, iy + 1, seed) / 2147483648.0 - 1.0;

	tx = tx * tx * (3 - 2 * tx);
	ty = ty * ty * (3 - 2 * ty);
	return (v00 * (1 - tx) + v10 * tx) * (1 - ty) +
	       (v01 * (1 - tx) + v11 * tx) * ty;
}

/* Fractal (1/f) noise: octaves from 'big' pixels down to 2. */
static double fractal(double x, double y, double big, uint64_t seed)
{
	double sum = 0, amp = 1, norm = 0, cell;

	for (cell = big; cell >= 2; cell /= 2) {
		sum += amp * vnoise(x, y, cell, seed++);
		norm += amp;
		amp *= 0.62;
	}
	return sum / norm;
}

/* Roughly Gaussian grain, sd about 1. */
static double grain(uint64_t *s)
{
	uint64_t r = pic_rand(s);
	double a = (double)(r & 0xffff), b = (double)((r >> 16) & 0xffff);
	double c = (double)((r >> 32) & 0xffff), d = (double)(r >> 48);

	return ((a + b + c + d) / 65536.0 - 2.0) * 1.7;
}

static void photo(uint32_t *px, uint32_t w, uint32_t h, uint64_t seed)
{
	uint64_t s = seed * 7 + 1;
	double scale = (w > h ? w : h) / 1920.0;
	uint32_t x, y;

	if (scale < 0.1)
		scale = 0.1;
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			double fx = x / scale, fy = y / scale;
			/* light: a sky-to-ground slope, hills, texture */
			double sky = 1.0 - (double)y / (h ? h : 1);
			double hills = fractal(fx, fy, 512, seed + 11);
			double tex = fractal(fx, fy, 24, seed + 101);
			double lum = 95 + 70 * sky + 75 * hills + 28 * tex;
			double warm = 30 * fractal(fx, fy, 700, seed + 201);
			double green = 25 * fractal(fx, fy, 300, seed + 301);
			double gr = grain(&s) * 3.4;

			px[(size_t)y * w + x] = pack(
				lum + warm - 0.3 * green + gr + 1.7 * grain(&s),
				lum + green + gr + 1.7 * grain(&s),
				lum - warm + 25 * sky + gr + 1.7 * grain(&s), 255);
		}
	}
}

static void gradient(uint32_t *px, uint32_t w, uint32_t h, uint64_t seed)
{
	uint64_t s = seed + 5;
	uint32_t x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			double t = (double)(x + y) / (double)(w + h);
			double d = (double)(pic_rand(&s) & 3) * 0.5;

			px[(size_t)y * w + x] = pack(40 + 200 * t + d,
						     220 - 150 * t + d,
						     90 + 120 * t * t + d, 255);
		}
}

/* A 7x9 glyph from its number: a few random strokes, deterministic. */
static uint64_t glyph_bits(uint32_t g)
{
	uint64_t s = 0x5eed0000ull + g, bits = 0;
	int k;

	for (k = 0; k < 4; k++) {
		uint64_t r = pic_rand(&s);
		int x0 = (int)(r % 7), y0 = (int)((r >> 8) % 9);
		int dir = (int)((r >> 16) % 3), len = 3 + (int)((r >> 20) % 6);
		int i;

		for (i = 0; i < len; i++) {
			int x = x0 + (dir == 0 ? i : dir == 2 ? i / 2 : 0);
			int y = y0 + (dir == 1 ? i : dir == 2 ? i : 0);

			if (x < 7 && y < 9)
				bits |= 1ull << (y * 7 + x);
		}
	}
	return bits;
}

static void put_px(uint32_t *px, uint32_t w, uint32_t h, int64_t x, int64_t y,
		   uint32_t c)
{
	if (x >= 0 && y >= 0 && x < w && y < h)
		px[(size_t)y * w + (size_t)x] = c;
}

static void fill_rect(uint32_t *px, uint32_t w, uint32_t h, int64_t x0,
		      int64_t y0, int64_t rw, int64_t rh, uint32_t c)
{
	int64_t x, y;

	for (y = y0; y < y0 + rh; y++)
		for (x = x0; x < x0 + rw; x++)
			put_px(px, w, h, x, y, c);
}

/* Lines of text in a box; glyphs 8 px apart, lines 14 px apart, with a
 * grey anti-aliasing pixel right of some strokes. */
static void text_block(uint32_t *px, uint32_t w, uint32_t h, int64_t x0,
		       int64_t y0, int64_t bw, int64_t bh, uint32_t fg,
		       uint32_t aa, uint64_t *s)
{
	int64_t line, col;

	for (line = 0; (line + 1) * 14 <= bh; line++) {
		int64_t words = bw / 8, len = words - (int64_t)(pic_rand(s) % 12);

		for (col = 0; col < len; col++) {
			uint32_t g = (uint32_t)(pic_rand(s) % 70);
			uint64_t bits;
			int gx, gy;

			if (g >= 60)
				continue;	/* a space */
			bits = glyph_bits(g);
			for (gy = 0; gy < 9; gy++)
				for (gx = 0; gx < 7; gx++) {
					int64_t x = x0 + col * 8 + gx;
					int64_t y = y0 + line * 14 + 2 + gy;

					if (!(bits >> (gy * 7 + gx) & 1))
						continue;
					put_px(px, w, h, x, y, fg);
					if (gx < 6 && !(bits >> (gy * 7 + gx + 1) & 1) &&
					    (g & 1))
						put_px(px, w, h, x + 1, y, aa);
				}
		}
	}
}

static void text(uint32_t *px, uint32_t w, uint32_t h, uint64_t seed)
{
	uint64_t s = seed + 17;
	size_t i;

	for (i = 0; i < (size_t)w * h; i++)
		px[i] = 0xfff8f8f8;
	text_block(px, w, h, 4, 2, (int64_t)w - 8, (int64_t)h - 4, 0xff202020,
		   0xff9a9a9a, &s);
}

static void ui(uint32_t *px, uint32_t w, uint32_t h, uint64_t seed)
{
	uint64_t s = seed + 23;
	uint32_t x, y;
	int n;

	/* desktop background: a soft vertical gradient in 3 bands */
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			px[(size_t)y * w + x] = pack(40 + 30.0 * y / h,
						     70 + 20.0 * y / h,
						     110, 255);
	/* a panel with icons */
	fill_rect(px, w, h, 0, 0, w, 28, 0xff303030);
	for (n = 0; n < 12; n++)
		fill_rect(px, w, h, 6 + n * 30, 5, 18, 18,
			  0xff000000 | (uint32_t)(pic_rand(&s) & 0xffffff));
	/* windows: border, title bar gradient, body with text, buttons */
	for (n = 0; n < 6; n++) {
		int64_t ww = (int64_t)(w / 3 + pic_rand(&s) % (w / 3 + 1));
		int64_t wh = (int64_t)(h / 3 + pic_rand(&s) % (h / 3 + 1));
		int64_t wx = (int64_t)(pic_rand(&s) % (w - ww / 2 + 1));
		int64_t wy = 30 + (int64_t)(pic_rand(&s) % (h / 2 + 1));
		int64_t tx;

		fill_rect(px, w, h, wx - 1, wy - 1, ww + 2, wh + 2, 0xff505050);
		fill_rect(px, w, h, wx, wy, ww, wh, 0xffececec);
		for (tx = 0; tx < ww; tx++)
			fill_rect(px, w, h, wx + tx, wy, 1, 24,
				  pack(60 + 60.0 * tx / ww, 90 + 50.0 * tx / ww,
				       160, 255));
		text_block(px, w, h, wx + 8, wy + 6, ww / 2, 14, 0xffffffff,
			   0xffb0c0d0, &s);
		text_block(px, w, h, wx + 10, wy + 34, ww - 20, wh - 80,
			   0xff101010, 0xff8c8c8c, &s);
		fill_rect(px, w, h, wx + ww - 90, wy + wh - 34, 80, 24,
			  0xffd0d0d0);
		fill_rect(px, w, h, wx + ww - 180, wy + wh - 34, 80, 24,
			  0xff3d7edb);
	}
}

static void bands(uint32_t *px, uint32_t w, uint32_t h, uint64_t seed)
{
	static const uint32_t pal[4] = {
		0xff2e3440, 0xffd8dee9, 0xff88c0d0, 0xffbf616a,
	};
	uint64_t s = seed + 29;
	uint32_t x, y, bw = 1 + (uint32_t)(pic_rand(&s) % 37);

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			px[(size_t)y * w + x] =
				pal[((x / bw) + (y / 23)) & 3];
}

/* An alpha plane of its own: a radial fade, a hole, a flat part. */
static void add_alpha(uint32_t *px, uint32_t w, uint32_t h, uint64_t seed)
{
	uint32_t x, y;
	double cx = w * 0.4, cy = h * 0.6, r = (w + h) / 3.0 + 1;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			double d = hypot(x - cx, y - cy) / r;
			uint32_t a = d > 1 ? 0 : (uint32_t)lround(255 * (1 - d));

			if (x < w / 5)
				a = 255;
			if ((x + seed) % 97 < 3)
				a = 128;
			px[(size_t)y * w + x] = (px[(size_t)y * w + x] &
						 0xffffff) | a << 24;
		}
}

void pic_make(enum pic_kind k, uint32_t *px, uint32_t w, uint32_t h,
	      uint64_t seed, int alpha)
{
	uint64_t s = seed + 3;
	size_t i;

	switch (k) {
	case PIC_PHOTO:
		photo(px, w, h, seed);
		break;
	case PIC_GRADIENT:
		gradient(px, w, h, seed);
		break;
	case PIC_NOISE:
		for (i = 0; i < (size_t)w * h; i++)
			px[i] = (uint32_t)pic_rand(&s);
		break;
	case PIC_FLAT:
		for (i = 0; i < (size_t)w * h; i++)
			px[i] = 0xff000000 | (uint32_t)(seed * 0x9e3779b1u &
							0xffffff);
		break;
	case PIC_TEXT:
		text(px, w, h, seed);
		break;
	case PIC_UI:
		ui(px, w, h, seed);
		break;
	case PIC_BANDS:
	default:
		bands(px, w, h, seed);
		break;
	}
	if (alpha && k != PIC_NOISE)
		add_alpha(px, w, h, seed);
}
