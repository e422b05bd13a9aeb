/* SPDX-License-Identifier: MIT */
/*
 * qnc_codec: lossless SPICE image encoders that every client decodes,
 * spice-html5 in a browser included.
 *
 *   QUIC    SPICE_IMAGE_TYPE_QUIC, QUIC_IMAGE_TYPE_RGB32 / _RGBA: adaptive
 *           Golomb-Rice coding of predicted pixels; best on photos and
 *           gradients.
 *   LZ      SPICE_IMAGE_TYPE_LZ_RGB, LZ_IMAGE_TYPE_RGB32 / _RGBA: LZ77
 *           over whole pixels; best on text, UI and flat areas.
 *
 * Each encoder writes the image's data, the bytes that follow the u32
 * data_size of a SpiceQUICData / SpiceLZRGBData on the wire: the codec's
 * own header (magic, version, type, size) and its stream.
 *
 * Pixels are 32-bit little-endian xRGB / ARGB (bytes B, G, R, X|A), as
 * SPICE_SURFACE_FMT_32_xRGB / _ARGB.  'pixels' is the top row; 'stride'
 * is the byte distance from one row to the next and may be negative
 * (bottom-up memory); |stride| must be at least 4 * w.  The X byte of
 * RGB32 input is ignored (decoders give 0, or 255 in spice-html5).
 *
 * Every function is pure: no global state, no locks, safe on any thread.
 * Nothing aborts: a bad argument, an image too large for the clients, a
 * failed allocation or an output that does not fit in out_cap make an
 * encoder return 0, and the caller sends the image another way (raw).
 * An output never exceeds the matching *_bound(w, h).
 *
 * The part depends on nothing but libc (see spice-core/codec/layers).
 */
#ifndef QNC_CODEC_H
#define QNC_CODEC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest image, in pixels, either encoder accepts: the clients' limits
 * (spice-common's LZ decoder refuses images of 1 GiB or more, i.e. 2^28
 * RGB32 pixels; its QUIC decoder 2^29 - 1 pixels; both want width and
 * height below 2^31). */
#define QNC_MAX_PIXELS ((1u << 28) - 1)

/* QUIC ------------------------------------------------------------------ */

/* Bytes a QUIC encoding of a w x h image can take at most (alpha != 0:
 * RGBA); 0 if no such image can be encoded (w or h 0, too many pixels). */
size_t qnc_quic_bound(uint32_t w, uint32_t h, int alpha);

/* Encode w x h xRGB pixels as QUIC_IMAGE_TYPE_RGB32 into out.  Returns
 * the number of bytes written (a multiple of 4), or 0 if it does not fit
 * in out_cap or cannot be encoded.  The output is the same, byte for
 * byte, as spice-common's quic_encode() gives for the same pixels. */
size_t qnc_quic_encode_rgb32(const uint8_t *pixels, int stride, uint32_t w,
			     uint32_t h, uint8_t *out, size_t out_cap);

/* The same as QUIC_IMAGE_TYPE_RGBA: the alpha byte is coded too. */
size_t qnc_quic_encode_rgba(const uint8_t *pixels, int stride, uint32_t w,
			    uint32_t h, uint8_t *out, size_t out_cap);

/* LZ -------------------------------------------------------------------- */

/* Bytes an LZ encoding of a w x h image can take at most; 0 if no such
 * image can be encoded. */
size_t qnc_lz_bound(uint32_t w, uint32_t h, int alpha);

/* Encode w x h xRGB pixels as LZ_IMAGE_TYPE_RGB32 (top_down 1).  Returns
 * the bytes written, or 0 if it does not fit in out_cap or cannot be
 * encoded. */
size_t qnc_lz_encode_rgb32(const uint8_t *pixels, int stride, uint32_t w,
			   uint32_t h, uint8_t *out, size_t out_cap);

/* The same as LZ_IMAGE_TYPE_RGBA: the RGB stream, then the alpha bytes as
 * a second stream. */
size_t qnc_lz_encode_rgba(const uint8_t *pixels, int stride, uint32_t w,
			  uint32_t h, uint8_t *out, size_t out_cap);

/* Content classifier ---------------------------------------------------- */

enum qnc_content {
	QNC_CONTENT_UI = 0,	/* few colours, flat runs, hard edges: LZ/LZ4 */
	QNC_CONTENT_PHOTO = 1,	/* many colours, gradients, noise: QUIC */
};

/* Look at a sample of at most a few thousand pixels (cost independent of
 * the image size) and say which kind of content the region holds.  Any
 * argument the encoders would refuse gives QNC_CONTENT_UI. */
enum qnc_content qnc_classify(const uint8_t *pixels, int stride, uint32_t w,
			      uint32_t h);
/* The same from `rows` rows of `cols` points each (clamped to 1..24 and
 * 1..48, qnc_classify's sample): a cheaper look, for small regions such
 * as the tiles of a larger one. */
enum qnc_content qnc_classify_sample(const uint8_t *pixels, int stride,
				     uint32_t w, uint32_t h, uint32_t rows,
				     uint32_t cols);

#ifdef __cplusplus
}
#endif

#endif
