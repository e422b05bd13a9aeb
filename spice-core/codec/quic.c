// SPDX-License-Identifier: MIT
/*
 * QUIC encoder (SPICE_IMAGE_TYPE_QUIC, lossless, 8 bits per channel).
 *
 * The stream, as spice-gtk (spice-common quic.c) and spice-html5 (quic.js)
 * decode it: a bit stream written most significant bit first into 32-bit
 * words stored little-endian.  It opens with five words: "QUIC", version
 * 0, image type (4 RGB32, 5 RGBA), width, height.  Then, row by row, each
 * channel's prediction residual, mapped to 0..255 by a zig-zag (0, -1, 1,
 * -2, ...), is written as a Golomb-Rice codeword (codes l = 0..7, with an
 * escape once the unary prefix reaches 18 zeros, so no codeword exceeds
 * 26 bits).  Prediction: the left pixel on row 0, the pixel above for
 * column 0, floor((left + above) / 2) elsewhere.  Which code l is used
 * depends on the channel's previous residual (the context), mapped to one
 * of 8 buckets (contexts 0, 1-2, 3-6, ..., 127-255); each bucket keeps
 * the summed codeword lengths of all 8 codes and uses the shortest.  Those
 * sums are updated only at pseudo-random pixels (a fixed 256-word table
 * drives the gaps, which grow to at most 63 pixels over the first 6 x 2048
 * pixels) and halved when the best passes a threshold.  When the pixel
 * above equals its left neighbour and the two pixels to the left are equal
 * too, a run of pixels equal to the left one is coded instead, with the
 * adaptive run-length (MELCODE) states.  The stream ends with the partial
 * word and one zero word.  RGB32 codes R, G, B per pixel with one shared
 * state; RGBA also codes A, row by row after each RGB row, with its own.
 *
 * Everything a decoder does is mirrored exactly, so the output is the
 * reference encoder's, byte for byte.  The speed comes from how it is
 * computed: the residuals of a whole row at once (SSE2 when available),
 * one table lookup per symbol (context -> code, code x residual ->
 * codeword), the three codewords of a pixel merged into one write of a
 * 64-bit bit accumulator that stores a word per call without a branch,
 * and the model update (8 counters) in one SSE2 register.
 *
 * One deliberate difference from the reference: a run is cut before the
 * run-length state would step past its last entry (runs of more than
 * about 16000 pixels in one row), because spice-html5's decoder handles
 * that step differently from spice-common's.  Both then decode the rest
 * as ordinary pixels.
 */
#include <pthread.h>
#include <stdlib.h>
#if defined(__SSE2__) && !defined(QNC_NO_SIMD)
#include <emmintrin.h>
#define QNC_SSE2 1
#endif

#include "common.h"

#define QUIC_MAGIC 0x43495551u		/* "QUIC" */
#define QUIC_VERSION 0u
#define QUIC_TYPE_RGB32 4u
#define QUIC_TYPE_RGBA 5u

#define N_CODES 8		/* Golomb codes l = 0..7 */
#define N_BUCKETS 8
#define ESCAPE_PREFIX 18	/* unary prefix of the escape codeword */
#define WM_MAX 6		/* the wait mask index stops here */
#define WM_NEXT 2048		/* pixels between wait mask steps */
#define MELC_LAST 31		/* last run-length state */

/* Worst case bits per pixel: three 26-bit codewords, plus a run of length
 * 0 (at most 16 bits) before each, plus one hit bit; alpha likewise. */
#define RGB_ROW_BYTES(w) (12 * (size_t)(w) + 16)
#define A_ROW_BYTES(w) (6 * (size_t)(w) + 16)
#define HEADER_BYTES 20
#define SLACK 8

/* Threshold for halving the counters, by wait mask index (model
 * evolution 3, the one every SPICE decoder uses). */
static const uint16_t wm_trigger_tab[11] = {
	110, 550, 900, 800, 550, 400, 350, 250, 140, 160, 140,
};

/* log2 of the expected run length in each run-length state. */
static const uint8_t melc_len[MELC_LAST + 1] = {
	0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
	4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};

/* The pseudo-random gaps between model updates (part of the format). */
static const uint32_t update_gaps[256] = {
	0x02c57542, 0x35427717, 0x2f5a2153, 0x9244f155, 0x7bd26d07, 0x354c6052,
	0x57329b28, 0x2993868e, 0x6cd8808c, 0x147b46e0, 0x99db66af, 0xe32b4cac,
	0x1b671264, 0x9d433486, 0x62a4c192, 0x06089a4b, 0x9e3dce44, 0xdaabee13,
	0x222425ea, 0xa46f331d, 0xcd589250, 0x8bb81d7f, 0xc8b736b9, 0x35948d33,
	0xd7ac7fd0, 0x5fbe2803, 0x2cfbc105, 0x013dbc4e, 0x7a37820f, 0x39f88e9e,
	0xedd58794, 0xc5076689, 0xfcada5a4, 0x64c2f46d, 0xb3ba3243, 0x8974b4f9,
	0x5a05aebd, 0x20afcd00, 0x39e2b008, 0x88a18a45, 0x600bde29, 0xf3971ace,
	0xf37b0a6b, 0x7041495b, 0x70b707ab, 0x06beffbb, 0x4206051f, 0xe13c4ee3,
	0xc1a78327, 0x91aa067c, 0x8295f72a, 0x732917a6, 0x1d871b4d, 0x4048f136,
	0xf1840e7e, 0x6a6048c1, 0x696cb71a, 0x7ff501c3, 0x0fc6310b, 0x57e0f83d,
	0x8cc26e74, 0x11a525a2, 0x946934c7, 0x7cd888f0, 0x8f9d8604, 0x4f86e73b,
	0x04520316, 0xdeeea20c, 0xf1def496, 0x67687288, 0xf540c5b2, 0x22401484,
	0x3478658a, 0xc2385746, 0x01979c2c, 0x5dad73c8, 0x0321f58b, 0xf0fedbee,
	0x92826ddf, 0x284bec73, 0x5b1a1975, 0x03df1e11, 0x20963e01, 0xa17cf12b,
	0x740d776e, 0xa7a6bf3c, 0x01b5cce4, 0x1118aa76, 0xfc6fac0a, 0xce927e9b,
	0x00bf2567, 0x806f216c, 0xbca69056, 0x795bd3e9, 0xc9dc4557, 0x8929b6c2,
	0x789d52ec, 0x3f3fbf40, 0xb9197368, 0xa38c15b5, 0xc3b44fa8, 0xca8333b0,
	0xb7e8d590, 0xbe807feb, 0xbf5f8360, 0xd99e2f5c, 0x372928e1, 0x7c757c4c,
	0x0db5b154, 0xc01ede02, 0x1fc86e78, 0x1f3985be, 0xb4805c77, 0x00c880fa,
	0x974c1b12, 0x35ab0214, 0xb2dc840d, 0x5b00ae37, 0xd313b026, 0xb260969d,
	0x7f4c8879, 0x1734c4d3, 0x49068631, 0xb9f6a021, 0x6b863e6f, 0xcee5debf,
	0x29f8c9fb, 0x53dd6880, 0x72b61223, 0x1f67a9fd, 0x0a0f6993, 0x13e59119,
	0x11cca12e, 0xfe6b6766, 0x16b6effc, 0x97918fc4, 0xc2b8a563, 0x94f2f741,
	0x0bfa8c9a, 0xd1537ae8, 0xc1da349c, 0x873c60ca, 0x95005b85, 0x9b5c080e,
	0xbc8abbd9, 0xe1eab1d2, 0x6dac9070, 0x4ea9ebf1, 0xe0cf30d4, 0x1ef5bd7b,
	0xd161043e, 0x5d2fa2e2, 0xff5d3cae, 0x86ed9f87, 0x2aa1daa1, 0xbd731a34,
	0x9e8f4b22, 0xb1c2c67a, 0xc21758c9, 0xa182215d, 0xccb01948, 0x8d168df7,
	0x04238cfe, 0x368c3dbc, 0x0aeadca5, 0xbad21c24, 0x0a71fee5, 0x9fc5d872,
	0x54c152c6, 0xfc329483, 0x6783384a, 0xeddb3e1c, 0x65f90e30, 0x884ad098,
	0xce81675a, 0x4b372f7d, 0x68bf9a39, 0x43445f1e, 0x40f8d8cb, 0x90d5acb6,
	0x4cd07282, 0x349eeb06, 0x0c9d5332, 0x520b24ef, 0x80020447, 0x67976491,
	0x2f931ca3, 0xfe9b0535, 0xfcd30220, 0x61a9e6cc, 0xa487d8d7, 0x3f7c5dd1,
	0x7d0127c5, 0x48f51d15, 0x60dea871, 0xc9a91cb7, 0x58b53bb3, 0x9d5e0b2d,
	0x624a78b4, 0x30dbee1b, 0x9bdf22e7, 0x1df5c299, 0x2d5643a7, 0xf4dd35ff,
	0x03ca8fd6, 0x53b47ed8, 0x6f2c19aa, 0xfeb0c1f4, 0x49e54438, 0x2f2577e6,
	0xbf876969, 0x72440ea9, 0xfa0bafb8, 0x74f5b3a0, 0x7dd357cd, 0x89ce1358,
	0x6ef2cdda, 0x1e7767f3, 0xa6be9fdb, 0x4f5f88f8, 0xba994a3a, 0x08ca6b65,
	0xe0893818, 0x9e00a16a, 0xf42bfc8f, 0x9972eedc, 0x749c8b51, 0x32c05f5e,
	0xd706805f, 0x6bfbb7cf, 0xd9210a10, 0x31a1db97, 0x923a9559, 0x37a7a1f6,
	0x059f8861, 0xca493e62, 0x65157e81, 0x8f6467dd, 0xab85ff9f, 0x9331aff2,
	0x8616b9f5, 0xedbd5695, 0xee7e29b1, 0x313ac44f, 0xb903112f, 0x432ef649,
	0xdc0a36c0, 0x61cf2bba, 0x81474925, 0xa8b6c7ad, 0xee5931de, 0xb2f8158d,
	0x59fb7409, 0x2e3dfaed, 0x9af25a3f, 0xe1fed4d5,
};

/* Tables computed once. */
struct quic_tables {
	/* [l * 256 + n]: codeword length << 8 | codeword of residual n
	 * with code l (every codeword is below 256 and at most 26 bits). */
	uint16_t code[N_CODES * 256];
	/* [n][7 - l]: length of n's codeword with code l (the counters'
	 * increments, highest code first for the SSE2 minimum search). */
	uint16_t len_rev[256][N_CODES] __attribute__((aligned(16)));
	uint8_t bucket[256];		/* context -> bucket */
	uint16_t bucket_start[N_BUCKETS + 1];
	uint8_t zigzag[256];		/* residual mod 256 -> 0, 1, 2, .. */
};

static struct quic_tables tabs;
static pthread_once_t tabs_once = PTHREAD_ONCE_INIT;

static unsigned ceil_log2(unsigned v)
{
	unsigned r = 0;

	while ((1u << r) < v)
		r++;
	return r;
}

static void tables_init(void)
{
	unsigned l, n, b;

	for (l = 0; l < N_CODES; l++) {
		unsigned prefix = ESCAPE_PREFIX, n_gr, suffix;

		if (prefix > (1u << (8 - l)) - 1)
			prefix = (1u << (8 - l)) - 1;
		n_gr = prefix << l;		/* residuals with a plain GR code */
		suffix = ceil_log2(256 - n_gr);
		for (n = 0; n < 256; n++) {
			unsigned word, len;

			if (n < n_gr) {
				word = (1u << l) | (n & ((1u << l) - 1));
				len = (n >> l) + l + 1;
			} else {
				word = n - n_gr;
				len = prefix + suffix;
			}
			tabs.code[l * 256 + n] = (uint16_t)(len << 8 | word);
			tabs.len_rev[n][N_CODES - 1 - l] = (uint16_t)len;
		}
	}
	/* Buckets of 1, 2, 4, .. contexts; the last takes the remainder. */
	for (b = 0, n = 0; b < N_BUCKETS; b++) {
		unsigned size = 1u << b, end = n + size;

		if (end + size > 256 || b == N_BUCKETS - 1)
			end = 256;
		tabs.bucket_start[b] = (uint16_t)n;
		for (; n < end; n++)
			tabs.bucket[n] = (uint8_t)b;
	}
	tabs.bucket_start[N_BUCKETS] = 256;
	for (n = 0; n < 256; n++)
		tabs.zigzag[n] = (uint8_t)(n < 128 ? 2 * n : 2 * (255 - n) + 1);
}

/* Adaptive state shared by the channels coded together (R, G, B share
 * one; A has its own). */
struct quic_state {
	uint32_t waitcnt;	/* pixels left before the next model update */
	uint32_t seed;		/* index into update_gaps */
	uint32_t trigger;	/* counter halving threshold */
	uint32_t wmidx;		/* wait mask index, 0..WM_MAX */
	uint32_t wmileft;	/* pixels left before wmidx grows */
	uint32_t melc;		/* run-length state, 0..MELC_LAST */
};

struct quic_channel {
	/* Summed codeword lengths per bucket, [bucket][7 - code]. */
	uint16_t cnt[N_BUCKETS][N_CODES] __attribute__((aligned(16)));
	uint8_t best[N_BUCKETS];
	/* context -> best code of its bucket * 256 (an index into code[]) */
	uint16_t off[256];
};

/* The bit writer: 'n' pending bits at the top of 'acc'.  Every put stores
 * the top 32 bits at p (a partial word is stored again once complete), so
 * p always needs 4 writable bytes. */
struct bitw {
	uint64_t acc;
	uint32_t n;
	uint8_t *p;
};

struct quic_enc {
	uint32_t w;
	struct quic_state st[2];	/* RGB, alpha */
	struct quic_channel ch[4];	/* R, G, B, A */
	uint32_t *res;			/* residuals of the row, bytes as pixels */
	uint8_t *filled;		/* which blocks of res are computed */
	uint32_t *corr;			/* last coded residuals; corr[-1] valid */
	uint8_t *corr_a;		/* alpha, likewise */
	uint8_t *scratch;		/* a row's output when out is nearly full */
	uint8_t *pos, *end;		/* output written so far, its end */
	bool in_scratch;
	struct bitw bw;
};

static QNC_INLINE void bw_put(struct bitw *b, uint32_t word, uint32_t len)
{
	uint32_t full;

	/* 1 <= len <= 32 and b->n < 32, so the shift is 0..63 */
	b->acc |= (uint64_t)word << (64 - b->n - len);
	b->n += len;
	qnc_store_le32(b->p, (uint32_t)(b->acc >> 32));
	full = b->n >> 5;
	b->p += full << 2;
	b->acc <<= full << 5;
	b->n &= 31;
}

static void bw_ones(struct bitw *b, uint32_t n)
{
	for (; n >= 32; n -= 32)
		bw_put(b, 0xffffffffu, 32);
	if (n)
		bw_put(b, (1u << n) - 1, n);
}

static void state_init(struct quic_state *s)
{
	s->waitcnt = 0;
	s->seed = 0xff;
	s->wmidx = 0;
	s->wmileft = WM_NEXT;
	s->trigger = wm_trigger_tab[0];
	s->melc = 0;
}

static QNC_INLINE uint32_t next_gap(struct quic_state *s)
{
	return update_gaps[++s->seed & 0xff];
}

static void channel_init(struct quic_channel *c)
{
	unsigned i;

	memset(c->cnt, 0, sizeof(c->cnt));
	memset(c->best, N_CODES - 1, sizeof(c->best));
	for (i = 0; i < 256; i++)
		c->off[i] = (N_CODES - 1) * 256;
}

/* Add the codeword lengths of residual 'val' to the counters of the
 * bucket of context 'ctx'; pick the shortest (the highest code on ties);
 * halve them all when it passes 'trigger'. */
static QNC_INLINE void model_update(struct quic_channel *c, uint32_t ctx,
				    uint32_t val, uint32_t trigger)
{
	uint32_t b = tabs.bucket[ctx], best, minv;
#ifdef QNC_SSE2
	__m128i *cp = (__m128i *)c->cnt[b];
	__m128i x = _mm_add_epi16(_mm_load_si128(cp),
				  _mm_load_si128((const __m128i *)
						 tabs.len_rev[val]));
	/* counters stay below 47000: compare as signed after a bias */
	__m128i s = _mm_xor_si128(x, _mm_set1_epi16((short)0x8000));
	__m128i m = _mm_min_epi16(s, _mm_shuffle_epi32(s, 0x4e));

	m = _mm_min_epi16(m, _mm_shuffle_epi32(m, 0xb1));
	m = _mm_min_epi16(m, _mm_shufflelo_epi16(m, 0xb1));
	m = _mm_shuffle_epi32(_mm_shufflelo_epi16(m, 0), 0);
	best = N_CODES - 1 - ((uint32_t)__builtin_ctz(
		(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi16(s, m))) >> 1);
	minv = ((uint32_t)_mm_cvtsi128_si32(m) & 0xffff) ^ 0x8000;
	if (minv > trigger)
		x = _mm_srli_epi16(x, 1);
	_mm_store_si128(cp, x);
#else
	uint16_t *cnt = c->cnt[b];
	const uint16_t *add = tabs.len_rev[val];
	unsigned k;

	best = N_CODES - 1;
	minv = 0xffff;
	for (k = 0; k < N_CODES; k++) {
		cnt[k] = (uint16_t)(cnt[k] + add[k]);
		if (cnt[k] < minv) {
			minv = cnt[k];
			best = N_CODES - 1 - k;
		}
	}
	if (minv > trigger)
		for (k = 0; k < N_CODES; k++)
			cnt[k] >>= 1;
#endif
	if (QNC_UNLIKELY(best != c->best[b])) {
		uint32_t i;

		c->best[b] = (uint8_t)best;
		for (i = tabs.bucket_start[b]; i < tabs.bucket_start[b + 1]; i++)
			c->off[i] = (uint16_t)(best << 8);
	}
}

/* Code a run of 'len' pixels equal to their left neighbour; returns the
 * length actually coded (shorter only to keep out of the last state). */
static uint32_t code_run(struct bitw *b, struct quic_state *s, uint32_t len)
{
	uint32_t rest = len, hits = 0;

	for (;;) {
		uint32_t order = 1u << melc_len[s->melc];

		if (rest < order)
			break;
		if (s->melc == MELC_LAST) {
			len -= rest - (order - 1);
			rest = order - 1;
			break;
		}
		rest -= order;
		hits++;
		s->melc++;
	}
	bw_ones(b, hits);
	bw_put(b, rest, melc_len[s->melc] + 1u);
	if (s->melc)
		s->melc--;
	return len;
}

/* Residuals of pixels [from, to) of a row, every byte of every pixel (A
 * too; unused for RGB32).  prev is NULL on row 0. */
static void residuals(uint32_t *restrict res, const uint32_t *restrict prev,
		      const uint32_t *restrict cur, uint32_t from, uint32_t to)
{
	uint32_t i = from, k;

	if (i == 0) {
		uint32_t v = 0;

		for (k = 0; k < 32; k += 8) {
			uint32_t x = (cur[0] >> k) & 0xff;
			uint32_t p = prev ? (prev[0] >> k) & 0xff : 0;

			v |= (uint32_t)tabs.zigzag[(x - p) & 0xff] << k;
		}
		res[0] = v;
		i = 1;
	}
#ifdef QNC_SSE2
	{
		const __m128i one = _mm_set1_epi8(1), zero = _mm_setzero_si128();

		for (; i + 4 <= to; i += 4) {
			__m128i a = _mm_loadu_si128((const __m128i *)(cur + i - 1));
			__m128i x = _mm_loadu_si128((const __m128i *)(cur + i));
			__m128i pred = a, d;

			if (prev) {
				__m128i u = _mm_loadu_si128((const __m128i *)
							    (prev + i));

				pred = _mm_sub_epi8(_mm_avg_epu8(a, u),
					_mm_and_si128(_mm_xor_si128(a, u), one));
			}
			d = _mm_sub_epi8(x, pred);
			d = _mm_xor_si128(_mm_add_epi8(d, d),
					  _mm_cmpgt_epi8(zero, d));
			_mm_storeu_si128((__m128i *)(res + i), d);
		}
	}
#endif
	for (; i < to; i++) {
		uint32_t v = 0;

		for (k = 0; k < 32; k += 8) {
			uint32_t x = (cur[i] >> k) & 0xff;
			uint32_t a = (cur[i - 1] >> k) & 0xff;
			uint32_t p = prev ? (a + ((prev[i] >> k) & 0xff)) >> 1 : a;

			v |= (uint32_t)tabs.zigzag[(x - p) & 0xff] << k;
		}
		res[i] = v;
	}
}

/* Residuals are computed a block at a time when first needed, so that
 * pixels inside runs cost nothing. */
#define RES_BLOCK_LOG 6
#define RES_BLOCK (1u << RES_BLOCK_LOG)

/* The hot loop's data, in locals so that the compiler keeps the pointers
 * in registers across the output stores. */
struct seg_ctx {
	uint32_t *corr;
	uint32_t *res;
	uint8_t *corr_a;
	uint8_t *filled;		/* per block of res: computed yet? */
	const uint16_t *off0, *off1, *off2, *off3;
	const uint32_t *prev, *cur;
	uint32_t w;
};

static __attribute__((noinline)) void fill_block(const struct seg_ctx *x,
						 uint32_t i)
{
	uint32_t k = i >> RES_BLOCK_LOG, from = k << RES_BLOCK_LOG;
	uint32_t to = x->w - from < RES_BLOCK ? x->w : from + RES_BLOCK;

	residuals(x->res, x->prev, x->cur, from, to);
	x->filled[k] = 1;
}

static QNC_INLINE uint32_t res_at(const struct seg_ctx *x, uint32_t i)
{
	if (QNC_UNLIKELY(!x->filled[i >> RES_BLOCK_LOG]))
		fill_block(x, i);
	return x->res[i];
}

/* R, G, B are bytes 2, 1, 0 of a pixel; channels 0, 1, 2. */
static QNC_INLINE void code_rgb(const struct seg_ctx *x, struct bitw *b,
				uint32_t i)
{
	uint32_t ctx = x->corr[(ptrdiff_t)i - 1], v = res_at(x, i);
	uint32_t c0, c1, c2, l0, l1, l2, tot;

	x->corr[i] = v;
	c0 = tabs.code[x->off0[(ctx >> 16) & 0xff] + ((v >> 16) & 0xff)];
	c1 = tabs.code[x->off1[(ctx >> 8) & 0xff] + ((v >> 8) & 0xff)];
	c2 = tabs.code[x->off2[ctx & 0xff] + (v & 0xff)];
	l0 = c0 >> 8;
	l1 = c1 >> 8;
	l2 = c2 >> 8;
	tot = l0 + l1 + l2;
	if (QNC_LIKELY(tot <= 32)) {
		bw_put(b, (c0 & 0xff) << (l1 + l2) | (c1 & 0xff) << l2 |
			  (c2 & 0xff), tot);
	} else {
		bw_put(b, c0 & 0xff, l0);
		bw_put(b, c1 & 0xff, l1);
		bw_put(b, c2 & 0xff, l2);
	}
}

static QNC_INLINE void update_rgb(struct quic_enc *e, const struct seg_ctx *x,
				  uint32_t i)
{
	uint32_t ctx = x->corr[(ptrdiff_t)i - 1], v = x->corr[i];
	uint32_t t = e->st[0].trigger;

	model_update(&e->ch[0], (ctx >> 16) & 0xff, (v >> 16) & 0xff, t);
	model_update(&e->ch[1], (ctx >> 8) & 0xff, (v >> 8) & 0xff, t);
	model_update(&e->ch[2], ctx & 0xff, v & 0xff, t);
}

static QNC_INLINE void code_a(const struct seg_ctx *x, struct bitw *b,
			      uint32_t i)
{
	uint32_t v = res_at(x, i) >> 24, c;

	c = tabs.code[x->off3[x->corr_a[(ptrdiff_t)i - 1]] + v];
	x->corr_a[i] = (uint8_t)v;
	bw_put(b, c & 0xff, c >> 8);
}

static QNC_INLINE void update_a(struct quic_enc *e, const struct seg_ctx *x,
				uint32_t i)
{
	model_update(&e->ch[3], x->corr_a[(ptrdiff_t)i - 1], x->corr_a[i],
		     e->st[1].trigger);
}

static QNC_INLINE bool same_rgb(uint32_t a, uint32_t b)
{
	return !((a ^ b) & 0x00ffffffu);
}

static QNC_INLINE bool same_a(uint32_t a, uint32_t b)
{
	return !((a ^ b) & 0xff000000u);
}

/* The first j >= i below end whose pixel differs from pixel i - 1. */
static QNC_INLINE uint32_t run_end(const uint32_t *cur, uint32_t j,
				   uint32_t end, uint32_t mask)
{
	uint32_t ref = cur[j - 1] & mask;
#ifdef QNC_SSE2
	const __m128i r = _mm_set1_epi32((int)ref), m = _mm_set1_epi32((int)mask);

	for (; j + 4 <= end; j += 4) {
		__m128i v = _mm_and_si128(_mm_loadu_si128((const __m128i *)
							  (cur + j)), m);
		unsigned eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi32(v, r));

		if (eq != 0xffff)
			return j + ((unsigned)__builtin_ctz(~eq) >> 2);
	}
#endif
	while (j < end && (cur[j] & mask) == ref)
		j++;
	return j;
}

/* A run may start at i when the pixel above equals its left neighbour
 * and the two pixels left of i are equal, unless one was just coded at i.
 * One branch on the whole condition: its parts are often unpredictable. */
#define RUN_AT(same, i)							\
	((i) > 2 && ((int)(same)(prev[(i) - 1], prev[(i)]) &		\
		     (int)(same)(cur[(i) - 1], cur[(i) - 2]) &		\
		     (int)(run_index != (i))))

/*
 * Code pixels [i, end) of one row segment with the given wait mask: the
 * loop every QUIC decoder runs, as a template over the plane (RGB or A)
 * and row 0 (no pixel above, no runs).
 */
static QNC_INLINE void code_segment(struct quic_enc *e, bool alpha, bool row0,
				    const uint32_t *prev, const uint32_t *cur,
				    uint32_t i, uint32_t end, uint32_t waitmask)
{
	struct quic_state *s = &e->st[alpha];
	struct bitw b = e->bw;
	const struct seg_ctx x = {
		.corr = e->corr, .res = e->res, .corr_a = e->corr_a,
		.filled = e->filled,
		.off0 = e->ch[0].off, .off1 = e->ch[1].off,
		.off2 = e->ch[2].off, .off3 = e->ch[3].off,
		.prev = prev, .cur = cur, .w = e->w,
	};
	uint32_t stopidx, run_index = 0;

#define CODE(i) (alpha ? code_a(&x, &b, (i)) : code_rgb(&x, &b, (i)))
#define UPDATE(i) (alpha ? update_a(e, &x, (i)) : update_rgb(e, &x, (i)))
#define RUN(i) (!row0 && (alpha ? RUN_AT(same_a, i) : RUN_AT(same_rgb, i)))
	if (i == 0) {
		CODE(0);
		if (s->waitcnt) {
			s->waitcnt--;
		} else {
			s->waitcnt = next_gap(s) & waitmask;
			UPDATE(0);
		}
		stopidx = ++i + s->waitcnt;
	} else {
		stopidx = i + s->waitcnt;
	}
	for (;;) {
		uint32_t j;

		while (stopidx < end) {
			for (; i <= stopidx; i++) {
				if (RUN(i))
					goto run;
				CODE(i);
			}
			UPDATE(stopidx);
			stopidx = i + (next_gap(s) & waitmask);
		}
		for (; i < end; i++) {
			if (RUN(i))
				goto run;
			CODE(i);
		}
		s->waitcnt = stopidx - end;
		break;
run:
		run_index = i;
		s->waitcnt = stopidx - i;
		j = run_end(cur, i, end, alpha ? 0xff000000u : 0x00ffffffu);
		i += code_run(&b, s, j - i);
		if (i == end)
			break;
		stopidx = i + s->waitcnt;
	}
#undef CODE
#undef UPDATE
#undef RUN
	e->bw = b;
}

static void seg_rgb0(struct quic_enc *e, const uint32_t *prev,
		     const uint32_t *cur, uint32_t i, uint32_t end, uint32_t m)
{
	code_segment(e, false, true, prev, cur, i, end, m);
}

static void seg_rgb(struct quic_enc *e, const uint32_t *prev,
		    const uint32_t *cur, uint32_t i, uint32_t end, uint32_t m)
{
	code_segment(e, false, false, prev, cur, i, end, m);
}

static void seg_a0(struct quic_enc *e, const uint32_t *prev,
		   const uint32_t *cur, uint32_t i, uint32_t end, uint32_t m)
{
	code_segment(e, true, true, prev, cur, i, end, m);
}

static void seg_a(struct quic_enc *e, const uint32_t *prev,
		  const uint32_t *cur, uint32_t i, uint32_t end, uint32_t m)
{
	code_segment(e, true, false, prev, cur, i, end, m);
}

typedef void (*seg_fn)(struct quic_enc *, const uint32_t *, const uint32_t *,
		       uint32_t, uint32_t, uint32_t);

/* One row of one plane: split where the wait mask index steps up. */
static void code_row(struct quic_enc *e, struct quic_state *s, seg_fn seg,
		     const uint32_t *prev, const uint32_t *cur)
{
	uint32_t width = e->w, pos = 0;

	while (s->wmidx < WM_MAX && s->wmileft <= width) {
		if (s->wmileft) {
			seg(e, prev, cur, pos, pos + s->wmileft,
			    (1u << s->wmidx) - 1);
			width -= s->wmileft;
			pos += s->wmileft;
		}
		s->wmidx++;
		s->trigger = wm_trigger_tab[s->wmidx];
		s->wmileft = WM_NEXT;
	}
	if (width) {
		seg(e, prev, cur, pos, pos + width, (1u << s->wmidx) - 1);
		if (s->wmidx < WM_MAX)
			s->wmileft -= width;
	}
}

/* Point the bit writer at the output if a worst-case row fits there, else
 * at the scratch buffer. */
static void row_begin(struct quic_enc *e, size_t worst)
{
	e->in_scratch = (size_t)(e->end - e->pos) < worst + SLACK;
	e->bw.p = e->in_scratch ? e->scratch : e->pos;
}

/* The row's complete words are in place; false if they do not fit. */
static bool row_end(struct quic_enc *e)
{
	size_t n;

	if (!e->in_scratch) {
		e->pos = e->bw.p;
		return true;
	}
	n = (size_t)(e->bw.p - e->scratch);
	if (n > (size_t)(e->end - e->pos))
		return false;
	memcpy(e->pos, e->scratch, n);
	e->pos += n;
	return true;
}

size_t qnc_quic_bound(uint32_t w, uint32_t h, int alpha)
{
	uint64_t row, b;

	if (!w || !h || (uint64_t)w * h > QNC_MAX_PIXELS)
		return 0;
	row = 12 * (uint64_t)w + 16 + (alpha ? 6 * (uint64_t)w + 16 : 0);
	/* w * h < 2^28 keeps this below 2^34; on 32-bit hosts it may not
	 * fit a size_t */
	b = row * h + HEADER_BYTES + SLACK;
	return b > SIZE_MAX ? 0 : (size_t)b;
}

static size_t quic_encode(const uint8_t *pixels, int stride, uint32_t w,
			  uint32_t h, uint8_t *out, size_t out_cap, bool alpha)
{
	struct quic_enc *e;
	size_t worst, nblocks, ret = 0;
	uint8_t *mem;
	uint32_t y, *prev = NULL, *cur;
	uint32_t *rowbuf = NULL;
	int c;

	if (!qnc_args_ok(pixels, stride, w, h) || !out ||
	    out_cap < HEADER_BYTES + 4)
		return 0;
	/* the row buffers below take under 40 bytes a pixel of a row */
	if (40 * (uint64_t)w + 4096 > SIZE_MAX)
		return 0;
	pthread_once(&tabs_once, tables_init);

	worst = RGB_ROW_BYTES(w) + (alpha ? A_ROW_BYTES(w) : 0);
	e = aligned_alloc(16, sizeof(*e));
	/* res, corr[-1..w-1], corr_a[-1..w-1], filled, scratch */
	nblocks = ((size_t)w + RES_BLOCK - 1) >> RES_BLOCK_LOG;
	mem = malloc(4 * (size_t)w + 4 * ((size_t)w + 1) + ((size_t)w + 1) +
		     nblocks + worst + SLACK + 16);
	/* rows whose address is not 4-aligned are copied first */
	if (((uintptr_t)pixels | (uintptr_t)(ptrdiff_t)stride) & 3)
		rowbuf = malloc(8 * (size_t)w);
	if (!e || !mem ||
	    ((((uintptr_t)pixels | (uintptr_t)(ptrdiff_t)stride) & 3) &&
	     !rowbuf))
		goto out;

	e->w = w;
	e->res = (uint32_t *)mem;
	e->corr = e->res + w + 1;
	e->corr[-1] = 0;
	e->corr_a = (uint8_t *)(e->corr + w) + 1;
	e->corr_a[-1] = 0;
	e->filled = e->corr_a + w;
	e->scratch = e->filled + nblocks;
	for (c = 0; c < 2; c++)
		state_init(&e->st[c]);
	for (c = 0; c < 4; c++)
		channel_init(&e->ch[c]);

	qnc_store_le32(out, QUIC_MAGIC);
	qnc_store_le32(out + 4, QUIC_VERSION);
	qnc_store_le32(out + 8, alpha ? QUIC_TYPE_RGBA : QUIC_TYPE_RGB32);
	qnc_store_le32(out + 12, w);
	qnc_store_le32(out + 16, h);
	e->pos = out + HEADER_BYTES;
	e->end = out + out_cap;
	e->bw.acc = 0;
	e->bw.n = 0;

	for (y = 0; y < h; y++) {
		const uint8_t *src = qnc_row(pixels, stride, y);

		if (rowbuf) {
			cur = rowbuf + (y & 1) * w;
			memcpy(cur, src, 4 * (size_t)w);
		} else {
			cur = (uint32_t *)(uintptr_t)src;
		}
		memset(e->filled, 0, nblocks);
		row_begin(e, worst);
		if (y)
			e->corr[-1] = e->corr[0];
		code_row(e, &e->st[0], y ? seg_rgb : seg_rgb0, prev, cur);
		if (alpha) {
			if (y)
				e->corr_a[-1] = e->corr_a[0];
			code_row(e, &e->st[1], y ? seg_a : seg_a0, prev, cur);
		}
		if (!row_end(e))
			goto out;
		prev = cur;
	}

	/* the partial word, then one zero word */
	if ((size_t)(e->end - e->pos) < (e->bw.n ? 8u : 4u))
		goto out;
	if (e->bw.n) {
		qnc_store_le32(e->pos, (uint32_t)(e->bw.acc >> 32));
		e->pos += 4;
	}
	qnc_store_le32(e->pos, 0);
	e->pos += 4;
	ret = (size_t)(e->pos - out);
out:
	free(rowbuf);
	free(mem);
	free(e);
	return ret;
}

size_t qnc_quic_encode_rgb32(const uint8_t *pixels, int stride, uint32_t w,
			     uint32_t h, uint8_t *out, size_t out_cap)
{
	return quic_encode(pixels, stride, w, h, out, out_cap, false);
}

size_t qnc_quic_encode_rgba(const uint8_t *pixels, int stride, uint32_t w,
			    uint32_t h, uint8_t *out, size_t out_cap)
{
	return quic_encode(pixels, stride, w, h, out, out_cap, true);
}
