// SPDX-License-Identifier: MIT
/*
 * bench-codec: bytes and CPU time of our QUIC and LZ encoders against
 * spice-common's (the reference spice-server uses), per test picture, and
 * a check that both agree:
 *   - our QUIC output is byte-identical to the reference's;
 *   - spice-common's decoders (what spice-gtk runs) give back every pixel
 *     of our QUIC and LZ output.
 * Exit status 1 if a check fails.
 *
 *   codec-bench [--quick] [--check] [--runs N] [--only PICTURE]
 *
 * --check skips the timing (the interop check of make check-codec-interop);
 * --quick uses small pictures only.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qnc_codec.h"
#include "pictures.h"
#include "ref_spice.h"

struct pic {
	enum pic_kind kind;
	uint32_t w, h;
	int alpha;
};

static const struct pic full[] = {
	{ PIC_PHOTO, 1920, 1080, 0 },
	{ PIC_PHOTO, 1024, 768, 1 },
	{ PIC_GRADIENT, 1920, 1080, 0 },
	{ PIC_NOISE, 1024, 768, 0 },
	{ PIC_UI, 1920, 1080, 0 },
	{ PIC_TEXT, 1920, 1080, 0 },
	{ PIC_BANDS, 1920, 1080, 0 },
	{ PIC_FLAT, 1920, 1080, 0 },
	{ PIC_UI, 800, 600, 1 },
	{ PIC_TEXT, 256, 64, 0 },
	{ PIC_PHOTO, 64, 64, 0 },
};

static const struct pic quick[] = {
	{ PIC_PHOTO, 320, 200, 0 },
	{ PIC_PHOTO, 97, 61, 1 },
	{ PIC_UI, 400, 300, 0 },
	{ PIC_TEXT, 333, 77, 1 },
	{ PIC_NOISE, 129, 65, 1 },
	{ PIC_GRADIENT, 7, 3, 0 },
	{ PIC_FLAT, 1, 1, 0 },
	{ PIC_BANDS, 4099, 3, 0 },
	{ PIC_FLAT, 70000, 2, 0 },	/* runs cut before the last state */
};

static double cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

typedef size_t (*enc_fn)(const uint32_t *px, uint32_t w, uint32_t h,
			 int alpha, uint8_t *out, size_t cap);

static size_t our_quic(const uint32_t *px, uint32_t w, uint32_t h, int alpha,
		       uint8_t *out, size_t cap)
{
	return (alpha ? qnc_quic_encode_rgba : qnc_quic_encode_rgb32)(
		(const uint8_t *)px, (int)(4 * w), w, h, out, cap);
}

static size_t our_lz(const uint32_t *px, uint32_t w, uint32_t h, int alpha,
		     uint8_t *out, size_t cap)
{
	return (alpha ? qnc_lz_encode_rgba : qnc_lz_encode_rgb32)(
		(const uint8_t *)px, (int)(4 * w), w, h, out, cap);
}

/* Least CPU ms of 'runs' encodes; *bytes gets the size. */
static double timed(enc_fn f, const struct pic *p, const uint32_t *px,
		    uint8_t *out, size_t cap, int runs, size_t *bytes)
{
	double t[64];
	int i;

	if (runs > 64)
		runs = 64;
	for (i = 0; i < runs; i++) {
		double t0 = cpu_ms();

		*bytes = f(px, p->w, p->h, p->alpha, out, cap);
		t[i] = cpu_ms() - t0;
	}
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
	return t[0];	/* the least disturbed run */
}

static bool same_pixels(const uint32_t *a, const uint32_t *b, size_t n,
			int alpha)
{
	uint32_t mask = alpha ? 0xffffffffu : 0x00ffffffu;
	size_t i;

	for (i = 0; i < n; i++)
		if ((a[i] ^ b[i]) & mask)
			return false;
	return true;
}

static const char *mb(size_t n, char *buf)
{
	if (n >= 100000)
		sprintf(buf, "%.2fMB", n / 1e6);
	else
		sprintf(buf, "%zuB", n);
	return buf;
}

int main(int argc, char **argv)
{
	const struct pic *pics = full;
	size_t npics = sizeof(full) / sizeof(full[0]), k;
	bool check_only = false;
	const char *only = NULL;
	int runs = 7, failures = 0, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			pics = quick;
			npics = sizeof(quick) / sizeof(quick[0]);
		} else if (!strcmp(argv[i], "--check")) {
			check_only = true;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
			if (runs < 1)
				runs = 1;
		} else {
			fprintf(stderr, "usage: %s [--quick] [--check] [--runs N] "
				"[--only PICTURE]\n",
				argv[0]);
			return 2;
		}
	}
	if (!check_only)
		printf("%-9s %-11s | %-19s %-19s %-11s | %-19s %-19s %-11s | %s\n",
		       "picture", "size", "QUIC ours", "QUIC spice-common",
		       "ours/ref", "LZ ours", "LZ spice-common", "ours/ref",
		       "class");
	for (k = 0; k < npics; k++) {
		if (only && strcmp(only, pic_name(pics[k].kind)))
			continue;
		const struct pic *p = &pics[k];
		size_t n = (size_t)p->w * p->h;
		size_t qcap = qnc_quic_bound(p->w, p->h, p->alpha);
		size_t lcap = qnc_lz_bound(p->w, p->h, p->alpha);
		uint32_t *px = malloc(4 * n), *dec = malloc(4 * n);
		uint8_t *oq = malloc(qcap), *rq = malloc(qcap);
		uint8_t *ol = malloc(lcap), *rl = malloc(lcap + 4096);
		size_t noq, nrq, nol, nrl;
		double toq = 0, trq = 0, tol = 0, trl = 0;
		char name[32], b1[32], b2[32], b3[32], b4[32];
		enum qnc_content cls;
		int failed_before = failures;
		if (!px || !dec || !oq || !rq || !ol || !rl) {
			fprintf(stderr, "out of memory\n");
			return 1;
		}
		pic_make(p->kind, px, p->w, p->h, k + 1, p->alpha);
		snprintf(name, sizeof(name), "%s%s", pic_name(p->kind),
			 p->alpha ? "+a" : "");
		if (check_only) {
			noq = our_quic(px, p->w, p->h, p->alpha, oq, qcap);
			nrq = ref_quic_encode(px, p->w, p->h, p->alpha, rq, qcap);
			nol = our_lz(px, p->w, p->h, p->alpha, ol, lcap);
			nrl = ref_lz_encode(px, p->w, p->h, p->alpha, rl,
					    lcap + 4096);
		} else {
			toq = timed(our_quic, p, px, oq, qcap, runs, &noq);
			trq = timed(ref_quic_encode, p, px, rq, qcap, runs, &nrq);
			tol = timed(our_lz, p, px, ol, lcap, runs, &nol);
			trl = timed(ref_lz_encode, p, px, rl, lcap + 4096, runs,
				    &nrl);
		}
		cls = qnc_classify((const uint8_t *)px, (int)(4 * p->w), p->w,
				   p->h);

		/* interop: identical QUIC bytes, spice-common decodes ours */
		if (!noq || !nol) {
			printf("FAIL %s %ux%u: our encoder returned 0\n", name,
			       p->w, p->h);
			failures++;
		}
		/* rows over 16384 pixels may hold runs we cut on purpose
		 * (quic.c); there only the decoding counts */
		if (p->w <= 16384 && (noq != nrq || memcmp(oq, rq, noq))) {
			printf("FAIL %s %ux%u: QUIC differs from spice-common's "
			       "(%zu vs %zu bytes)\n", name, p->w, p->h, noq, nrq);
			failures++;
		}
		memset(dec, 0x5a, 4 * n);
		if (noq && (ref_quic_decode(oq, noq, p->w, p->h, p->alpha, dec) ||
			    !same_pixels(px, dec, n, p->alpha))) {
			printf("FAIL %s %ux%u: spice-common's QUIC decoder does "
			       "not give back our picture\n", name, p->w, p->h);
			failures++;
		}
		memset(dec, 0x5a, 4 * n);
		if (nol && (ref_lz_decode(ol, nol, p->w, p->h, p->alpha, dec) ||
			    !same_pixels(px, dec, n, p->alpha))) {
			printf("FAIL %s %ux%u: spice-common's LZ decoder does "
			       "not give back our picture\n", name, p->w, p->h);
			failures++;
		}
		if (check_only) {
			if (failures == failed_before)
				printf("ok   %-9s %5ux%-5u QUIC %zu B (%s), LZ "
				       "%zu B (ref %zu B), decoded by "
				       "spice-common\n", name, p->w, p->h, noq,
				       noq == nrq && !memcmp(oq, rq, noq) ?
				       "identical" : "runs cut", nol, nrl);
		} else {
			char s1[64], s2[64], s3[64], s4[64], dims[32];

			snprintf(dims, sizeof(dims), "%ux%u", p->w, p->h);
			snprintf(s1, sizeof(s1), "%s %.2fms", mb(noq, b1), toq);
			snprintf(s2, sizeof(s2), "%s %.2fms", mb(nrq, b2), trq);
			snprintf(s3, sizeof(s3), "%s %.2fms", mb(nol, b3), tol);
			snprintf(s4, sizeof(s4), "%s %.2fms", mb(nrl, b4), trl);
			printf("%-9s %-11s | %-19s %-19s B%.2f t%.2f | "
			       "%-19s %-19s B%.2f t%.2f | %s\n",
			       name, dims, s1, s2,
			       nrq ? (double)noq / nrq : 0, trq > 0 ? toq / trq : 0,
			       s3, s4, nrl ? (double)nol / nrl : 0,
			       trl > 0 ? tol / trl : 0,
			       cls == QNC_CONTENT_PHOTO ? "photo" : "ui");
		}
		fflush(stdout);
		free(px);
		free(dec);
		free(oq);
		free(rq);
		free(ol);
		free(rl);
	}
	if (!check_only)
		printf("B = bytes ours/ref, t = CPU time ours/ref (best of %d "
		       "runs, one thread)\n", runs);
	printf("%s\n", failures ? "interop: FAILED" : "interop: ok");
	return failures ? 1 : 0;
}
