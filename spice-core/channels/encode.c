// SPDX-License-Identifier: MIT
/* Image encoders.  The LZ4 layout is what spice-gtk's canvas decodes:
 * u8 top_down, u8 bitmap format, then blocks of (u32 big-endian size,
 * LZ4 block) decoded as one stream into rows of width * 4 bytes. */
#include <string.h>
#include <spice/enums.h>
#include <glib.h>
#ifdef CONFIG_SPICE_LZ4
#include <lz4.h>
#endif

#include "channels/encode.h"
#include "codec/qnc_codec.h"

/* The codec everything gets, or -1: by content. */
static int fixed_codec(const struct sc_codec_client *c, uint32_t w,
		       uint32_t h)
{
	if (c->server == SPICE_CORE_COMPRESSION_OFF ||
	    c->preferred == SPICE_IMAGE_COMPRESSION_OFF ||
	    (size_t)w * h < SC_CODEC_MIN_PIXELS)
		return SC_CODEC_RAW;
	if (c->server == SPICE_CORE_COMPRESSION_QUIC)
		return SC_CODEC_QUIC;
	if (c->server == SPICE_CORE_COMPRESSION_LZ)
		return SC_CODEC_LZ;
	if (c->server == SPICE_CORE_COMPRESSION_LZ4 && c->lz4)
		return SC_CODEC_LZ4;
	switch (c->preferred) {
	case SPICE_IMAGE_COMPRESSION_LZ4:
		if (c->lz4)
			return SC_CODEC_LZ4;
		break;
	case SPICE_IMAGE_COMPRESSION_QUIC:
		return SC_CODEC_QUIC;
	case SPICE_IMAGE_COMPRESSION_LZ:
	case SPICE_IMAGE_COMPRESSION_GLZ:	/* no dictionary: plain LZ */
		return SC_CODEC_LZ;
	default:		/* AUTO_LZ, AUTO_GLZ or none said */
		break;
	}
	return -1;
}

/* Points looked at in a tile of sc_codec_plan (rows, points a row): a
 * quarter of a whole region's sample, which a 128x128 tile does not
 * need; the classifier's share of a full-screen photo's CPU drops from
 * about a seventh to under a twentieth. */
#define SC_TILE_ROWS	12
#define SC_TILE_COLS	24

static enum sc_codec by_content(const struct sc_codec_client *c,
				const uint32_t *px, size_t stride,
				uint32_t w, uint32_t h, bool tile)
{
	if (qnc_classify_sample((const uint8_t *)px, (int)(stride * 4), w, h,
				tile ? SC_TILE_ROWS : 24,
				tile ? SC_TILE_COLS : 48) ==
	    QNC_CONTENT_PHOTO)
		return SC_CODEC_QUIC;
	/* AUTO_LZ / AUTO_GLZ ask for LZ on UI; else LZ4 where announced. */
	return c->lz4 && !c->preferred ? SC_CODEC_LZ4 : SC_CODEC_LZ;
}

enum sc_codec sc_codec_choose(const struct sc_codec_client *c,
			      const uint32_t *px, size_t stride, uint32_t w,
			      uint32_t h)
{
	int fixed = fixed_codec(c, w, h);

	return fixed >= 0 ? (enum sc_codec)fixed :
	       by_content(c, px, stride, w, h, false);
}

/* Pieces still open while tile rows are merged. */
struct open_piece {
	struct sc_piece p;
	bool extended;
};

unsigned int sc_codec_plan(const struct sc_codec_client *c,
			   const uint32_t *px, size_t stride, uint32_t w,
			   uint32_t h, struct sc_piece *out)
{
	struct open_piece open[SC_PLAN_MAX];
	unsigned int n_open = 0, n_out = 0, i;
	uint32_t ty, tx;
	int fixed = fixed_codec(c, w, h);

	if (fixed >= 0 || (uint64_t)w * h < SC_PLAN_MIN_PIXELS)
		goto one;
	for (ty = 0; ty < h; ty += SC_PLAN_TILE) {
		uint32_t th = MIN(SC_PLAN_TILE, h - ty), run_x = 0;
		enum sc_codec run = SC_CODEC_RAW;

		for (i = 0; i < n_open; i++)
			open[i].extended = false;
		for (tx = 0;; tx += SC_PLAN_TILE) {
			bool end = tx >= w;
			enum sc_codec k = run;
			uint32_t x2 = MIN(tx, w);
			unsigned int j;

			if (!end)
				k = by_content(c, px + (size_t)ty * stride + tx,
					       stride, MIN(SC_PLAN_TILE, w - tx),
					       th, true);
			if (tx == 0) {
				run = k;
				continue;
			}
			if (!end && k == run)
				continue;
			/* A run [run_x, x2) of `run` ends here. */
			for (j = 0; j < n_open; j++) {
				struct sc_piece *p = &open[j].p;

				if (!open[j].extended && p->x == run_x &&
				    p->w == x2 - run_x && p->codec == run &&
				    p->y + p->h == ty) {
					p->h += th;
					open[j].extended = true;
					break;
				}
			}
			if (j == n_open) {
				if (n_open == SC_PLAN_MAX)
					goto one;
				open[n_open].p = (struct sc_piece){
					run_x, ty, x2 - run_x, th, run };
				open[n_open++].extended = true;
			}
			if (end)
				break;
			run = k;
			run_x = tx;
		}
		/* Pieces not extended by this row are done. */
		for (i = 0; i < n_open;) {
			if (open[i].extended) {
				i++;
				continue;
			}
			if (n_out == SC_PLAN_MAX)
				goto one;
			out[n_out++] = open[i].p;
			open[i] = open[--n_open];
		}
	}
	for (i = 0; i < n_open; i++) {
		if (n_out == SC_PLAN_MAX)
			goto one;
		out[n_out++] = open[i].p;
	}
	if (n_out > 1) {
		for (i = 1; i < n_out && out[i].codec == out[0].codec; i++)
			;
		if (i < n_out)
			return n_out;
	}
one:
	out[0] = (struct sc_piece){ 0, 0, w, h,
				    sc_codec_choose(c, px, stride, w, h) };
	return 1;
}

const char *sc_codec_name(enum sc_codec codec)
{
	static const char *const names[] = { "raw", "lz4", "quic", "lz" };

	return codec < G_N_ELEMENTS(names) ? names[codec] : "?";
}

/* The `bits`-wide field at `shift` of v, widened to 8 bits (the top bits
 * repeated below, so full scale stays full scale). */
static uint32_t widen(uint16_t v, unsigned int shift, unsigned int bits)
{
	uint32_t c = (v >> shift) & ((1u << bits) - 1);

	return (c << (8 - bits)) | (c >> (2 * bits - 8));
}

/* r5g6b5 or x1r5g5b5 -> xRGB. */
static uint32_t from_16(uint16_t v, bool is_565)
{
	unsigned int g = is_565 ? 6 : 5;

	return widen(v, 5 + g, 5) << 16 | widen(v, 5, g) << 8 | widen(v, 0, 5);
}

void sc_fetch_rect(const uint8_t *top, int32_t stride, uint32_t format,
		   uint32_t x, uint32_t y, uint32_t w, uint32_t h,
		   uint32_t *dst, size_t dst_stride)
{
	uint32_t row, i;

	for (row = 0; row < h; row++) {
		const uint8_t *src = top + (ptrdiff_t)(y + row) * stride;

		switch (format) {
		case SPICE_SURFACE_FMT_16_565:
		case SPICE_SURFACE_FMT_16_555:
			for (i = 0; i < w; i++) {
				uint16_t v;

				memcpy(&v, src + 2 * (x + i), 2);
				v = GUINT16_FROM_LE(v);
				dst[i] = from_16(v, format ==
						 SPICE_SURFACE_FMT_16_565);
			}
			break;
		default:
			memcpy(dst, src + 4 * (size_t)x, 4 * (size_t)w);
			break;
		}
		dst += dst_stride;
	}
}

bool sc_rect_solid(const uint32_t *px, size_t stride, uint32_t w,
		   uint32_t h, uint32_t *color)
{
	uint32_t c = px[0] & 0xffffff, x, y;

	for (y = 0; y < h; y++) {
		const uint32_t *row = px + (size_t)y * stride;

		for (x = 0; x < w; x++)
			if ((row[x] & 0xffffff) != c)
				return false;
	}
	*color = c;
	return true;
}

bool sc_pixels_solid(const uint32_t *px, size_t n, uint32_t *color)
{
	uint32_t c = px[0] & 0xffffff;
	size_t i;

	for (i = 1; i < n; i++)
		if ((px[i] & 0xffffff) != c)
			return false;
	*color = c;
	return true;
}

static void put_descriptor(struct sc_buf *b, uint64_t id, uint8_t type,
			   uint32_t w, uint32_t h)
{
	sc_buf_u64(b, id);
	sc_buf_u8(b, type);
	sc_buf_u8(b, 0);		/* flags: no caching */
	sc_buf_u32(b, w);
	sc_buf_u32(b, h);
}

void sc_encode_raw(struct sc_buf *b, uint64_t id, const uint32_t *px,
		   size_t stride, uint32_t w, uint32_t h)
{
	uint32_t row;

	put_descriptor(b, id, SPICE_IMAGE_TYPE_BITMAP, w, h);
	sc_buf_u8(b, SPICE_BITMAP_FMT_32BIT);
	sc_buf_u8(b, SPICE_BITMAP_FLAGS_TOP_DOWN);
	sc_buf_u32(b, w);
	sc_buf_u32(b, h);
	sc_buf_u32(b, w * 4);		/* stride */
	sc_buf_u32(b, 0);		/* no palette */
	if (stride == w) {
		sc_buf_put(b, px, (size_t)w * h * 4);
		return;
	}
	for (row = 0; row < h; row++)
		sc_buf_put(b, px + (size_t)row * stride, (size_t)w * 4);
}

/* descriptor, u32 data_size, then what enc writes: at most the raw size
 * (more would not be worth it). */
static bool encode_with(struct sc_buf *b, uint64_t id, uint8_t type,
			size_t (*enc)(const uint8_t *, int, uint32_t, uint32_t,
				      uint8_t *, size_t),
			const uint32_t *px, size_t stride, uint32_t w,
			uint32_t h)
{
	size_t start = b->len, size_at, cap = (size_t)w * h * 4, got;

	if ((uint64_t)w * h > QNC_MAX_PIXELS || stride < w ||
	    stride > (size_t)INT32_MAX / 4)
		return false;
	put_descriptor(b, id, type, w, h);
	size_at = b->len;
	sc_buf_u32(b, 0);
	sc_buf_reserve(b, cap);
	got = enc((const uint8_t *)px, (int)(stride * 4), w, h,
		  b->data + b->len, cap);
	if (!got) {
		b->len = start;
		return false;
	}
	b->len += got;
	sc_put_u32(b->data + size_at, (uint32_t)got);
	return true;
}

bool sc_encode_quic(struct sc_buf *b, uint64_t id, const uint32_t *px,
		    size_t stride, uint32_t w, uint32_t h)
{
	return encode_with(b, id, SPICE_IMAGE_TYPE_QUIC, qnc_quic_encode_rgb32,
			   px, stride, w, h);
}

bool sc_encode_lz(struct sc_buf *b, uint64_t id, const uint32_t *px,
		  size_t stride, uint32_t w, uint32_t h)
{
	return encode_with(b, id, SPICE_IMAGE_TYPE_LZ_RGB, qnc_lz_encode_rgb32,
			   px, stride, w, h);
}

#ifdef CONFIG_SPICE_LZ4
bool sc_lz4_available(void)
{
	return true;
}

/* sc_encode_lz4 of packed rows: the stream runs over them unbroken. */
static bool lz4_packed(struct sc_buf *b, uint64_t id, const uint32_t *px,
		       uint32_t w, uint32_t h)
{
	size_t total = (size_t)w * h * 4, start = b->len, size_at, off = 0;
	/* Blocks of whole rows, at most 1 MiB each, one LZ4 stream. */
	size_t rows_per = MAX((size_t)1, (1u << 20) / ((size_t)w * 4));
	/* On the stack (16 KiB): a heap one per image cost a fresh
	 * allocation and its page faults each time. */
	LZ4_stream_t stream, *st;

	if (total > (size_t)LZ4_MAX_INPUT_SIZE)
		return false;
	st = LZ4_initStream(&stream, sizeof(stream));
	if (!st)
		return false;
	put_descriptor(b, id, SPICE_IMAGE_TYPE_LZ4, w, h);
	size_at = b->len;
	sc_buf_u32(b, 0);		/* data_size, patched below */
	sc_buf_u8(b, 1);		/* top_down */
	sc_buf_u8(b, SPICE_BITMAP_FMT_32BIT);
	while (off < total) {
		size_t n = MIN(total - off, rows_per * w * 4);
		int bound = LZ4_compressBound((int)n), got;
		uint8_t *p;

		sc_buf_reserve(b, 4 + (size_t)bound);
		p = b->data + b->len;
		got = LZ4_compress_fast_continue(st, (const char *)px + off,
						 (char *)p + 4, (int)n, bound,
						 1);
		if (got <= 0) {
			b->len = start;
			return false;
		}
		p[0] = (uint8_t)(got >> 24);
		p[1] = (uint8_t)(got >> 16);
		p[2] = (uint8_t)(got >> 8);
		p[3] = (uint8_t)got;
		b->len += 4 + (size_t)got;
		off += n;
	}
	sc_put_u32(b->data + size_at, (uint32_t)(b->len - size_at - 4));
	return true;
}

bool sc_encode_lz4(struct sc_buf *b, uint64_t id, const uint32_t *px,
		   size_t stride, uint32_t w, uint32_t h)
{
	uint32_t *packed, row;
	bool done;

	if (stride == w)
		return lz4_packed(b, id, px, w, h);
	packed = g_new(uint32_t, (size_t)w * h);
	for (row = 0; row < h; row++)
		memcpy(packed + (size_t)row * w, px + (size_t)row * stride,
		       (size_t)w * 4);
	done = lz4_packed(b, id, packed, w, h);
	g_free(packed);
	return done;
}
#else
bool sc_lz4_available(void)
{
	return false;
}

bool sc_encode_lz4(struct sc_buf *b, uint64_t id, const uint32_t *px,
		   size_t stride, uint32_t w, uint32_t h)
{
	(void)b; (void)id; (void)px; (void)stride; (void)w; (void)h;
	return false;
}
#endif
