// SPDX-License-Identifier: MIT
/*
 * LZ encoder (SPICE_IMAGE_TYPE_LZ_RGB, LZ_IMAGE_TYPE_RGB32 / _RGBA).
 *
 * The format, as spice-gtk (spice-common lz.c) and spice-html5 (lz.js)
 * decode it: seven big-endian u32s (magic "LZ  ", version 1.1, type 8
 * RGB32 / 9 RGBA, width, height, stride = 4 * width, top_down), then a
 * byte stream that rebuilds the w * h pixels in order (one row after the
 * other), made of:
 *
 *   literals  ctrl = count - 1 (0..31), then count pixels as B, G, R;
 *   matches   copy 'len' pixels from 'dist' pixels back (dist 1 is a run):
 *             ctrl = (L << 5) | hi with L = len - bias in 1..6, or L = 7
 *             followed by bytes adding up to len - bias - 7 (255 means
 *             "more follows"); then lo.  Near: dist - 1 = hi << 8 | lo,
 *             at most 8190.  Far: hi = 31, lo = 255, then dist - 8192 as
 *             a big-endian u16 (dist up to 73727).
 *
 * bias is 0 for RGB (matches of 1 pixel exist).  RGBA appends a second
 * stream of the same shape for the alpha bytes, with literals of one byte
 * and bias 2 (matches of at least 3).  The stream must end exactly at the
 * last pixel.
 *
 * The matcher is greedy and single pass, in the spirit of LZ4: at each
 * position it tries a run (the left pixel), the pixel above (one row back:
 * vertical repetition in UI), and a hash table of the last position of
 * each pair of pixels (three bytes for alpha); it takes the longest, and
 * steps over incompressible stretches faster the longer they last.
 */
#include <stdlib.h>

#include "common.h"

#define LZ_MAGIC 0x20205a4cu		/* "LZ  " */
#define LZ_VERSION 0x00010001u
#define LZ_TYPE_RGB32 8u
#define LZ_TYPE_RGBA 9u
#define HEADER_BYTES 28

#define MAX_LITERALS 32
#define NEAR_MAX 8191			/* dist - 1 below this: near */
#define FAR_MAX (NEAR_MAX + 1 + 65535)	/* largest distance */
#define HASH_BITS 15
#define GOOD_RUN 32			/* a run this long is taken at once */

struct lz_out {
	uint8_t *p, *end;
	bool full;
};

/* Room for n more bytes; sets full and returns false if there is not. */
static QNC_INLINE bool room(struct lz_out *o, size_t n)
{
	if (QNC_UNLIKELY((size_t)(o->end - o->p) < n)) {
		o->full = true;
		return false;
	}
	return true;
}

static void put_literals(struct lz_out *o, const uint32_t *px, size_t n,
			 bool alpha)
{
	size_t per = alpha ? 1 : 3;

	if (!n || !room(o, n * per + (n + MAX_LITERALS - 1) / MAX_LITERALS))
		return;
	while (n) {
		size_t k = n < MAX_LITERALS ? n : MAX_LITERALS, i;

		*o->p++ = (uint8_t)(k - 1);
		if (alpha) {
			for (i = 0; i < k; i++)
				*o->p++ = (uint8_t)(px[i] >> 24);
		} else {
			for (i = 0; i + 1 < k; i++) {
				/* B, G, R and a byte the next pixel overwrites */
				memcpy(o->p, &px[i], 4);
				o->p += 3;
			}
			o->p[0] = (uint8_t)px[i];
			o->p[1] = (uint8_t)(px[i] >> 8);
			o->p[2] = (uint8_t)(px[i] >> 16);
			o->p += 3;
		}
		px += k;
		n -= k;
	}
}

static void put_match(struct lz_out *o, size_t len, size_t dist, bool alpha)
{
	size_t l = len - (alpha ? 2 : 0), b = dist - 1;
	uint8_t hi, lo;

	if (!room(o, 2 + (b >= NEAR_MAX ? 2 : 0) + (l >= 7 ? (l - 7) / 255 + 1 : 0)))
		return;
	if (b < NEAR_MAX) {
		hi = (uint8_t)(b >> 8);
		lo = (uint8_t)b;
	} else {
		hi = 31;
		lo = 255;
	}
	if (l < 7) {
		*o->p++ = (uint8_t)(l << 5 | hi);
	} else {
		*o->p++ = (uint8_t)(7 << 5 | hi);
		for (l -= 7; l >= 255; l -= 255)
			*o->p++ = 255;
		*o->p++ = (uint8_t)l;
	}
	*o->p++ = lo;
	if (b >= NEAR_MAX) {
		b -= NEAR_MAX;
		*o->p++ = (uint8_t)(b >> 8);
		*o->p++ = (uint8_t)b;
	}
}

/* Pixels equal (under mask) from a and b onwards, up to max. */
static QNC_INLINE size_t match_len(const uint32_t *a, const uint32_t *b,
				   size_t max, uint32_t mask)
{
	size_t n = 0;

	while (n + 2 <= max) {
		uint64_t x, y;

		memcpy(&x, a + n, 8);
		memcpy(&y, b + n, 8);
		if ((x ^ y) & ((uint64_t)mask << 32 | mask)) {
			if (!((a[n] ^ b[n]) & mask))
				n++;
			return n;
		}
		n += 2;
	}
	if (n < max && !((a[n] ^ b[n]) & mask))
		n++;
	return n;
}

/* Hash of the pixels a match must start with: two RGB pixels (48 bits),
 * or three alpha bytes (alpha matches are at least 3 long).  The caller
 * makes sure they exist. */
static QNC_INLINE uint32_t hash_at(const uint32_t *p, bool alpha)
{
	uint64_t k;

	if (alpha)
		k = (uint64_t)(p[0] >> 24) | (uint64_t)(p[1] >> 24) << 8 |
		    (uint64_t)(p[2] >> 24) << 16;
	else
		k = (uint64_t)(p[0] & 0xffffff) << 24 | (p[1] & 0xffffff);
	return (uint32_t)((k * 0x9e3779b185ebca87ull) >> (64 - HASH_BITS));
}

/* Fewest pixels a match needs to be shorter than the literals it
 * replaces (counting the literal run it may split). */
static QNC_INLINE size_t min_len(size_t dist, bool alpha)
{
	if (alpha)
		return dist > NEAR_MAX ? 6 : 3;
	return dist > NEAR_MAX ? 3 : 2;
}

/*
 * One stream over n pixels: RGB (mask 0x00ffffff) or alpha (mask
 * 0xff000000).  tab has 1 << HASH_BITS entries, zeroed.
 */
static void lz_stream(struct lz_out *o, const uint32_t *px, size_t n,
		      uint32_t w, uint32_t *tab, bool alpha)
{
	const uint32_t mask = alpha ? 0xff000000u : 0x00ffffffu;
	size_t ip = 0, lit = 0;

	while (ip < n && !o->full) {
		uint32_t cur = px[ip] & mask;
		size_t best = 0, dist = 0, len;

		if (ip && (px[ip - 1] & mask) == cur) {
			best = match_len(px + ip - 1, px + ip, n - ip, mask);
			dist = 1;
		}
		if (best < GOOD_RUN && ip >= w && w > 1 && w <= FAR_MAX &&
		    (px[ip - w] & mask) == cur) {
			len = match_len(px + ip - w, px + ip, n - ip, mask);
			if (len > best) {
				best = len;
				dist = w;
			}
		}
		if (best < GOOD_RUN && ip + (alpha ? 2 : 1) < n) {
			uint32_t h = hash_at(px + ip, alpha);
			size_t cand = tab[h];

			/* inside a run of RGB pixels every pair looks
			 * alike: keep the run's start, which has a better
			 * chance to lead a long match (periodic patterns);
			 * alpha planes gain more from every position */
			if (alpha || !ip || (px[ip - 1] & mask) != cur)
				tab[h] = (uint32_t)ip;
			if (cand < ip && ip - cand <= FAR_MAX &&
			    ip - cand != dist && (px[cand] & mask) == cur) {
				len = match_len(px + cand, px + ip, n - ip,
						mask);
				if (len > best) {
					best = len;
					dist = ip - cand;
				}
			}
		}
		if (best && best >= min_len(dist, alpha)) {
			put_literals(o, px + lit, ip - lit, alpha);
			put_match(o, best, dist, alpha);
			ip += best;
			lit = ip;
			/* remember a pair near the end of the match */
			if (ip >= 3 && ip + 1 < n &&
			    ((px[ip - 3] ^ px[ip - 2]) & mask))
				tab[hash_at(px + ip - 2, alpha)] =
					(uint32_t)(ip - 2);
		} else {
			/* step faster over long literal stretches */
			ip += 1 + ((ip - lit) >> 6);
		}
	}
	if (!o->full)
		put_literals(o, px + lit, n - lit, alpha);
}

size_t qnc_lz_bound(uint32_t w, uint32_t h, int alpha)
{
	uint64_t n, b;

	if (!w || !h || (uint64_t)w * h > QNC_MAX_PIXELS)
		return 0;
	n = (uint64_t)w * h;
	/* all literals: 3 bytes a pixel and a ctrl byte per 32; a match
	 * never costs more than the literals it replaces */
	b = HEADER_BYTES + 3 * n + n / MAX_LITERALS + 16;
	if (alpha)
		b += n + n / MAX_LITERALS + 16;
	return b > SIZE_MAX ? 0 : (size_t)b;
}

static size_t lz_encode(const uint8_t *pixels, int stride, uint32_t w,
			uint32_t h, uint8_t *out, size_t out_cap, bool alpha)
{
	size_t n, ret = 0;
	const uint32_t *px;
	uint32_t *copy = NULL, *tab;
	struct lz_out o;

	if (!qnc_args_ok(pixels, stride, w, h) || !out ||
	    out_cap < HEADER_BYTES + 4)
		return 0;
	n = (size_t)w * h;
	tab = calloc((size_t)1 << HASH_BITS, sizeof(*tab));
	if (!tab)
		return 0;
	if (stride == (int)(4 * w) && !((uintptr_t)pixels & 3)) {
		px = (const uint32_t *)(const void *)pixels;
	} else {
		uint32_t y;

		copy = malloc(4 * n);
		if (!copy)
			goto out;
		for (y = 0; y < h; y++)
			memcpy(copy + (size_t)y * w, qnc_row(pixels, stride, y),
			       4 * (size_t)w);
		px = copy;
	}

	qnc_store_be32(out, LZ_MAGIC);
	qnc_store_be32(out + 4, LZ_VERSION);
	qnc_store_be32(out + 8, alpha ? LZ_TYPE_RGBA : LZ_TYPE_RGB32);
	qnc_store_be32(out + 12, w);
	qnc_store_be32(out + 16, h);
	qnc_store_be32(out + 20, 4 * w);
	qnc_store_be32(out + 24, 1);		/* top_down */
	o.p = out + HEADER_BYTES;
	o.end = out + out_cap;
	o.full = false;

	lz_stream(&o, px, n, w, tab, false);
	if (alpha && !o.full) {
		memset(tab, 0, sizeof(*tab) << HASH_BITS);
		lz_stream(&o, px, n, w, tab, true);
	}
	if (!o.full)
		ret = (size_t)(o.p - out);
out:
	free(copy);
	free(tab);
	return ret;
}

size_t qnc_lz_encode_rgb32(const uint8_t *pixels, int stride, uint32_t w,
			   uint32_t h, uint8_t *out, size_t out_cap)
{
	return lz_encode(pixels, stride, w, h, out, out_cap, false);
}

size_t qnc_lz_encode_rgba(const uint8_t *pixels, int stride, uint32_t w,
			  uint32_t h, uint8_t *out, size_t out_cap)
{
	return lz_encode(pixels, stride, w, h, out, out_cap, true);
}
