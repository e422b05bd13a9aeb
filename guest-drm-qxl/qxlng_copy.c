// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_copy.c - the pixel copy of a frame into the device's pages.
 *
 * Not memcpy(): on a CPU with ERMS the kernel's memcpy is one "rep
 * movsb", and QEMU's TCG runs a rep string instruction one element per
 * pass of a translated block, so a full 1024x768 frame took about 6 ms,
 * four times the "rep movsq" that qxl.ko's inlined copy gets.  Moving
 * eight machine words per round costs a TCG guest one pass per 64 bytes
 * and is as quick as memcpy on hardware for the line lengths a frame has.
 */
#include <asm/unaligned.h>

#include "qxlng_logic.h"

/* Bytes per round of the main loop: eight 64-bit words. */
#define QXLNG_COPY_ROUND	64

void qxlng_copy_bytes(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	for (; n >= QXLNG_COPY_ROUND; n -= QXLNG_COPY_ROUND) {
		u64 w0 = get_unaligned((const u64 *)s);
		u64 w1 = get_unaligned((const u64 *)(s + 8));
		u64 w2 = get_unaligned((const u64 *)(s + 16));
		u64 w3 = get_unaligned((const u64 *)(s + 24));
		u64 w4 = get_unaligned((const u64 *)(s + 32));
		u64 w5 = get_unaligned((const u64 *)(s + 40));
		u64 w6 = get_unaligned((const u64 *)(s + 48));
		u64 w7 = get_unaligned((const u64 *)(s + 56));

		put_unaligned(w0, (u64 *)d);
		put_unaligned(w1, (u64 *)(d + 8));
		put_unaligned(w2, (u64 *)(d + 16));
		put_unaligned(w3, (u64 *)(d + 24));
		put_unaligned(w4, (u64 *)(d + 32));
		put_unaligned(w5, (u64 *)(d + 40));
		put_unaligned(w6, (u64 *)(d + 48));
		put_unaligned(w7, (u64 *)(d + 56));
		s += QXLNG_COPY_ROUND;
		d += QXLNG_COPY_ROUND;
	}
	for (; n >= 8; n -= 8) {
		put_unaligned(get_unaligned((const u64 *)s), (u64 *)d);
		s += 8;
		d += 8;
	}
	while (n--)
		*d++ = *s++;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_copy_bytes);

void qxlng_copy_rgb565_to_xrgb8888(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	for (; n; n--, s += 2, d += 4) {
		u32 v = get_unaligned_le16(s);
		u32 r = (v >> 11) & 0x1f, g = (v >> 5) & 0x3f, b = v & 0x1f;

		r = (r << 3) | (r >> 2);
		g = (g << 2) | (g >> 4);
		b = (b << 3) | (b >> 2);
		put_unaligned_le32(r << 16 | g << 8 | b, d);
	}
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_copy_rgb565_to_xrgb8888);
