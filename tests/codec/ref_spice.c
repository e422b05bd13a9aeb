// SPDX-License-Identifier: MIT
/* Adapter to spice-common's quic.c / lz.c (see ref_spice.h).  Built with
 * -I<spice-common>/common; their error callbacks must not return, so they
 * jump back here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quic.h"
#include "lz.h"

#include "ref_spice.h"

struct ref_quic_usr {
	QuicUsrContext usr;
	jmp_buf jmp;
};

struct ref_lz_usr {
	LzUsrContext usr;
	jmp_buf jmp;
};

static int quiet(void)
{
	return getenv("REF_SPICE_VERBOSE") == NULL;
}

static void vreport(const char *who, const char *fmt, va_list ap)
{
	if (quiet())
		return;
	fprintf(stderr, "%s: ", who);
	vfprintf(stderr, fmt, ap);
}

static SPICE_GNUC_NORETURN void quic_error(QuicUsrContext *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("spice-common quic error", fmt, ap);
	va_end(ap);
	longjmp(((struct ref_quic_usr *)u)->jmp, 1);
}

static void quic_warn(QuicUsrContext *u, const char *fmt, ...)
{
	va_list ap;

	(void)u;
	va_start(ap, fmt);
	vreport("spice-common quic", fmt, ap);
	va_end(ap);
}

static void *quic_malloc(QuicUsrContext *u, int size)
{
	(void)u;
	return malloc((size_t)size);
}

static void quic_free(QuicUsrContext *u, void *p)
{
	(void)u;
	free(p);
}

static int quic_more_space(QuicUsrContext *u, uint32_t **io, int rows)
{
	(void)u; (void)io; (void)rows;
	return 0;	/* the whole buffer was given: out of room */
}

static int quic_more_lines(QuicUsrContext *u, uint8_t **lines)
{
	(void)u; (void)lines;
	return 0;
}

static SPICE_GNUC_NORETURN void lz_error(LzUsrContext *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("spice-common lz error", fmt, ap);
	va_end(ap);
	longjmp(((struct ref_lz_usr *)u)->jmp, 1);
}

static void lz_warn(LzUsrContext *u, const char *fmt, ...)
{
	va_list ap;

	(void)u;
	va_start(ap, fmt);
	vreport("spice-common lz", fmt, ap);
	va_end(ap);
}

static void *lz_malloc(LzUsrContext *u, int size)
{
	(void)u;
	return malloc((size_t)size);
}

static void lz_free(LzUsrContext *u, void *p)
{
	(void)u;
	free(p);
}

static int lz_more_space(LzUsrContext *u, uint8_t **io)
{
	(void)u; (void)io;
	return 0;
}

static int lz_more_lines(LzUsrContext *u, uint8_t **lines)
{
	(void)u; (void)lines;
	return 0;
}

static struct ref_quic_usr *quic_usr(void)
{
	static struct ref_quic_usr u = {
		.usr = {
			.error = quic_error, .warn = quic_warn,
			.info = quic_warn, .malloc = quic_malloc,
			.free = quic_free, .more_space = quic_more_space,
			.more_lines = quic_more_lines,
		},
	};
	return &u;
}

static struct ref_lz_usr *lz_usr(void)
{
	static struct ref_lz_usr u = {
		.usr = {
			.error = lz_error, .warn = lz_warn, .info = lz_warn,
			.malloc = lz_malloc, .free = lz_free,
			.more_space = lz_more_space,
			.more_lines = lz_more_lines,
		},
	};
	return &u;
}

size_t ref_quic_encode(const uint32_t *px, uint32_t w, uint32_t h, int alpha,
		       uint8_t *out, size_t cap)
{
	struct ref_quic_usr *u = quic_usr();
	QuicContext *volatile q = quic_create(&u->usr);
	volatile int n = 0;

	if (!q)
		return 0;
	if (!setjmp(u->jmp))
		n = quic_encode(q, alpha ? QUIC_IMAGE_TYPE_RGBA :
				QUIC_IMAGE_TYPE_RGB32, (int)w, (int)h,
				(uint8_t *)(uintptr_t)px, h, (int)(4 * w),
				(uint32_t *)out, (unsigned)(cap / 4));
	else
		n = 0;
	quic_destroy(q);
	return n > 0 ? 4 * (size_t)n : 0;
}

int ref_quic_decode(const uint8_t *in, size_t len, uint32_t w, uint32_t h,
		    int alpha, uint32_t *px)
{
	struct ref_quic_usr *u = quic_usr();
	QuicContext *volatile q = quic_create(&u->usr);
	volatile int ret = -1;
	uint32_t *words = malloc(len + 4);
	QuicImageType type;
	int dw, dh;

	if (!q || !words) {
		free(words);
		quic_destroy(q);
		return -1;
	}
	memcpy(words, in, len);
	if (!setjmp(u->jmp)) {
		if (quic_decode_begin(q, words, (unsigned)(len / 4), &type,
				      &dw, &dh) == QUIC_OK &&
		    (uint32_t)dw == w && (uint32_t)dh == h &&
		    type == (alpha ? QUIC_IMAGE_TYPE_RGBA :
			     QUIC_IMAGE_TYPE_RGB32) &&
		    quic_decode(q, type, (uint8_t *)px, (int)(4 * w)) ==
			    QUIC_OK)
			ret = 0;
	}
	quic_destroy(q);
	free(words);
	return ret;
}

size_t ref_lz_encode(const uint32_t *px, uint32_t w, uint32_t h, int alpha,
		     uint8_t *out, size_t cap)
{
	struct ref_lz_usr *u = lz_usr();
	LzContext *volatile lz = lz_create(&u->usr);
	volatile int n = 0;

	if (!lz)
		return 0;
	if (!setjmp(u->jmp))
		n = lz_encode(lz, alpha ? LZ_IMAGE_TYPE_RGBA :
			      LZ_IMAGE_TYPE_RGB32, (int)w, (int)h, 1,
			      (uint8_t *)(uintptr_t)px, h, (int)(4 * w), out,
			      (unsigned)cap);
	lz_destroy(lz);
	return n > 0 ? (size_t)n : 0;
}

int ref_lz_decode(const uint8_t *in, size_t len, uint32_t w, uint32_t h,
		  int alpha, uint32_t *px)
{
	struct ref_lz_usr *u = lz_usr();
	LzContext *volatile lz = lz_create(&u->usr);
	volatile int ret = -1;
	uint8_t *copy = malloc(len ? len : 1);
	LzImageType type;
	int dw, dh, n, top_down;

	if (!lz || !copy) {
		free(copy);
		lz_destroy(lz);
		return -1;
	}
	memcpy(copy, in, len);
	if (!setjmp(u->jmp)) {
		lz_decode_begin(lz, copy, (unsigned)len, &type, &dw, &dh, &n,
				&top_down, NULL);
		if ((uint32_t)dw == w && (uint32_t)dh == h && top_down &&
		    (uint32_t)n == w * h &&
		    type == (alpha ? LZ_IMAGE_TYPE_RGBA : LZ_IMAGE_TYPE_RGB32)) {
			lz_decode(lz, type, (uint8_t *)px);
			ret = 0;
		}
	}
	lz_destroy(lz);
	free(copy);
	return ret;
}
