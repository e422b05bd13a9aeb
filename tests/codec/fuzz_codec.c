// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for spice-core/codec: random images (sizes, layouts,
 * few or many colours, alpha) through both encoders with a full or a
 * random output capacity.  Checks, crashing on failure:
 *   - an output never exceeds out_cap nor *_bound(), and nothing is
 *     written past out_cap;
 *   - with out_cap = bound the encoders never fail;
 *   - the test decoders give back every pixel (decode(encode(x)) == x);
 *   - the classifier answers without reading out of bounds.
 * Input: 8 bytes of parameters, then pixel bytes (repeated to fill).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "qnc_codec.h"
#include "decode.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

typedef size_t (*enc_fn)(const uint8_t *, int, uint32_t, uint32_t, uint8_t *,
			 size_t);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t w, h, pad, y, i;
	bool alpha, flip, wide, partial;
	uint32_t colour_mask;
	const uint8_t *src;
	size_t nsrc, n, row;
	uint32_t *px, *dec;
	uint8_t *mem, *top;
	int stride, codec;

	if (size < 9)
		return 0;
	wide = data[0] & 0x80;
	/* wide images cross the 2048-pixel steps of QUIC's wait mask */
	w = wide ? 1 + (uint32_t)(data[1] | data[2] << 8) % 5000 :
		   1 + data[1] % 200;
	h = wide ? 1 + data[3] % 3 : 1 + data[3] % 48;
	alpha = data[0] & 1;
	flip = data[0] & 2;
	partial = data[0] & 4;
	pad = (data[0] >> 3) & 3;
	/* few colours give runs and matches, many give literals */
	colour_mask = (data[0] & 0x20) ? 0xffffffffu :
		      (data[0] & 0x40) ? 0xc0c0c0c0u : 0x80808080u;
	src = data + 8;
	nsrc = size - 8;
	n = (size_t)w * h;

	px = malloc(4 * n);
	dec = malloc(4 * n);
	row = 4 * ((size_t)w + pad);
	mem = malloc(row * h);
	CHECK(px && dec && mem);
	for (i = 0; i < n; i++) {
		uint32_t v;
		size_t at = (4 * (size_t)i) % nsrc;

		/* repeat the input, shifted a little each time round so the
		 * picture is not simply periodic */
		v = (uint32_t)src[at] | (uint32_t)src[(at + 1) % nsrc] << 8 |
		    (uint32_t)src[(at + 2) % nsrc] << 16 |
		    (uint32_t)src[(at + 3) % nsrc] << 24;
		if ((data[4] & 1) && i >= nsrc / 4)
			v = px[i - nsrc / 4] + (data[5] & 3);
		px[i] = v & colour_mask;
	}
	memset(mem, 0xee, row * h);
	for (y = 0; y < h; y++)
		memcpy(mem + (flip ? h - 1 - y : y) * row, px + (size_t)y * w,
		       4 * (size_t)w);
	top = flip ? mem + (h - 1) * row : mem;
	stride = flip ? -(int)row : (int)row;

	(void)qnc_classify(top, stride, w, h);
	/* any sample size, clamped: never a read outside the picture */
	(void)qnc_classify_sample(top, stride, w, h, data[6], data[7]);

	for (codec = 0; codec < 2; codec++) {
		enc_fn f = codec ? (alpha ? qnc_lz_encode_rgba :
				    qnc_lz_encode_rgb32) :
				   (alpha ? qnc_quic_encode_rgba :
				    qnc_quic_encode_rgb32);
		size_t bound = codec ? qnc_lz_bound(w, h, alpha) :
				       qnc_quic_bound(w, h, alpha);
		size_t cap = bound, len, k;
		uint8_t *out;
		int err;

		if (partial)
			cap = bound * (data[6] + 1u) / 512;
		out = malloc(cap + 32);
		CHECK(out && bound);
		memset(out, 0x77, cap + 32);
		len = f(top, stride, w, h, out, cap);
		CHECK(len <= cap && len <= bound);
		for (k = cap; k < cap + 32; k++)
			CHECK(out[k] == 0x77);
		CHECK(len || cap < bound);
		if (len) {
			err = codec ? test_lz_decode(out, len, w, h, alpha, dec) :
				      test_quic_decode(out, len, w, h, alpha, dec);
			CHECK(err == 0);
			for (i = 0; i < n; i++)
				CHECK(!((px[i] ^ dec[i]) &
					(alpha ? 0xffffffffu : 0x00ffffffu)));
		}
		free(out);
	}
	free(px);
	free(dec);
	free(mem);
	return 0;
}
