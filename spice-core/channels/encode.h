/* SPDX-License-Identifier: MIT */
/* Pixels -> SPICE images: fetch a rectangle as xRGB; raw bitmap, LZ4,
 * QUIC, LZ_RGB; which one a client gets. */
#ifndef SPICE_CORE_ENCODE_H
#define SPICE_CORE_ENCODE_H

#include <stdbool.h>
#include <stdint.h>

#include <spice-core/spice-core.h>

#include "net/buf.h"

/* What a DRAW_COPY's image is. */
enum sc_codec {
	SC_CODEC_RAW,		/* SPICE_IMAGE_TYPE_BITMAP */
	SC_CODEC_LZ4,		/* SPICE_IMAGE_TYPE_LZ4 (spice-gtk) */
	SC_CODEC_QUIC,		/* SPICE_IMAGE_TYPE_QUIC (every client) */
	SC_CODEC_LZ,		/* SPICE_IMAGE_TYPE_LZ_RGB (every client) */
};

/* What one display client can decode and asked for. */
struct sc_codec_client {
	enum spice_core_compression server;	/* the server's policy */
	bool lz4;		/* announced SPICE_DISPLAY_CAP_LZ4_COMPRESSION
				 * (and LZ4 is built in) */
	uint8_t preferred;	/* its PREFERRED_COMPRESSION
				 * (SPICE_IMAGE_COMPRESSION_*); 0: none said */
};

/* Rectangles under this many pixels go raw. */
#define SC_CODEC_MIN_PIXELS 64

/* The codec for w x h pixels px (xRGB, stride pixels between rows) to
 * this client.  Raw for tiny rectangles, when compression is off (server
 * or client), and never otherwise (the caller falls back to raw only when
 * an encoder fails).  A codec the client prefers (PREFERRED_COMPRESSION)
 * or the server forces is used for everything; otherwise by content
 * (qnc_classify): photo-like pixels QUIC, UI-like ones LZ4 to a client
 * that announced it (spice-gtk), LZ to one that did not (spice-html5). */
enum sc_codec sc_codec_choose(const struct sc_codec_client *c,
			      const uint32_t *px, size_t stride, uint32_t w,
			      uint32_t h);

/* A piece of a rectangle and its codec (sc_codec_plan). */
struct sc_piece {
	uint32_t x, y, w, h;
	enum sc_codec codec;
};

#define SC_PLAN_TILE		128	/* classified in tiles of this */
#define SC_PLAN_MIN_PIXELS	(256 * 256)	/* smaller: one piece */
#define SC_PLAN_MAX		64	/* more pieces: one piece */

/* Cut w x h pixels (stride pixels between rows) into pieces of one codec
 * each, when the codec goes by content: tiles are classified and tiles of
 * a kind merged into rectangles (rows of runs, runs of the same span one
 * below the other), so a photo inside a window goes as QUIC and the rest
 * as LZ/LZ4.  One piece (sc_codec_choose) when small, when one kind
 * covers it all, or when the pieces would be many.  Returns how many
 * were written to out (at most SC_PLAN_MAX). */
unsigned int sc_codec_plan(const struct sc_codec_client *c,
			   const uint32_t *px, size_t stride, uint32_t w,
			   uint32_t h, struct sc_piece *out);
/* The codec's name, for logs and tests. */
const char *sc_codec_name(enum sc_codec codec);

/* Copy w x h pixels at (x, y) of a surface into dst as 32-bit xRGB,
 * dst_stride pixels between rows.  The caller has checked the rectangle
 * against the surface. */
void sc_fetch_rect(const uint8_t *top, int32_t stride, uint32_t format,
		   uint32_t x, uint32_t y, uint32_t w, uint32_t h,
		   uint32_t *dst, size_t dst_stride);
/* True if all n pixels are equal (ignoring the x byte); *color gets it. */
bool sc_pixels_solid(const uint32_t *px, size_t n, uint32_t *color);
/* The same for w x h pixels, stride pixels between rows. */
bool sc_rect_solid(const uint32_t *px, size_t stride, uint32_t w,
		   uint32_t h, uint32_t *color);
/* The encoders read w x h pixels px, stride pixels between rows (LZ4
 * packs them into a copy first when stride is not w). */
/* SpiceImage (descriptor + BitmapData + pixels), raw 32-bit top-down. */
void sc_encode_raw(struct sc_buf *b, uint64_t id, const uint32_t *px,
		   size_t stride, uint32_t w, uint32_t h);
/* SpiceImage of type LZ4; false if LZ4 is not built in or fails (the
 * buffer is then unchanged). */
bool sc_encode_lz4(struct sc_buf *b, uint64_t id, const uint32_t *px,
		   size_t stride, uint32_t w, uint32_t h);
bool sc_lz4_available(void);
/* SpiceImage of type QUIC (RGB32) or LZ_RGB (RGB32, top-down); false if
 * the encoder gives up (the buffer is then unchanged). */
bool sc_encode_quic(struct sc_buf *b, uint64_t id, const uint32_t *px,
		    size_t stride, uint32_t w, uint32_t h);
bool sc_encode_lz(struct sc_buf *b, uint64_t id, const uint32_t *px,
		  size_t stride, uint32_t w, uint32_t h);

#endif
