// SPDX-License-Identifier: MIT
/*
 * Unit tests of spice-core/codec: round trips through the test decoders
 * over many pictures, sizes, strides and alignments; output bounds and
 * out_cap handling; bad arguments; the classifier.  TAP output.
 *
 *   codec-unit               run the tests
 *   codec-unit --dump DIR    also write every picture and its encodings
 *                            to DIR (for the spice-html5 decode test):
 *                            NAME.raw, NAME.quic, NAME.lz and a line per
 *                            picture in DIR/manifest.txt
 *   codec-unit --quick       skip the 1920x1080 pictures
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qnc_codec.h"
#include "decode.h"
#include "pictures.h"

static int n_tests, n_failed;
static const char *dump_dir;
static FILE *manifest;

static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	if (!ok)
		n_failed++;
	printf("%s %d - ", ok ? "ok" : "not ok", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static bool same_pixels(const uint32_t *a, const uint32_t *b, size_t n,
			int alpha)
{
	uint32_t mask = alpha ? 0xffffffffu : 0x00ffffffu;
	size_t i;

	for (i = 0; i < n; i++)
		if ((a[i] ^ b[i]) & mask) {
			printf("# first difference at pixel %zu: %08x vs %08x\n",
			       i, a[i], b[i]);
			return false;
		}
	return true;
}

static void write_file(const char *name, const char *ext, const void *p,
		       size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", dump_dir, name, ext);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

typedef size_t (*enc_fn)(const uint8_t *, int, uint32_t, uint32_t, uint8_t *,
			 size_t);

/* Encode px (w x h, rows of 4 * w) laid out with 'pad' extra pixels per
 * row, bottom-up if 'flip', at an address 'misalign' bytes off 4. */
static size_t encode_laid_out(enc_fn f, const uint32_t *px, uint32_t w,
			      uint32_t h, uint32_t pad, bool flip,
			      unsigned misalign, uint8_t *out, size_t cap)
{
	size_t row = 4 * ((size_t)w + pad), ret;
	uint8_t *mem = malloc(row * h + 8), *base = mem + misalign;
	uint32_t y;
	int stride = (int)row;
	const uint8_t *top;

	if (!mem)
		return 0;
	memset(mem, 0xcd, row * h + 8);
	for (y = 0; y < h; y++) {
		uint32_t at = flip ? h - 1 - y : y;

		memcpy(base + at * row, px + (size_t)y * w, 4 * (size_t)w);
	}
	top = base;
	if (flip) {
		top = base + (h - 1) * row;
		stride = -stride;
	}
	ret = f(top, stride, w, h, out, cap);
	free(mem);
	return ret;
}

/* Everything about one picture: both codecs, round trip, bound, layouts,
 * exact out_cap; optionally dumped for the node test. */
static void check_picture(enum pic_kind kind, uint32_t w, uint32_t h,
			  int alpha, uint64_t seed)
{
	size_t n = (size_t)w * h;
	uint32_t *px = malloc(4 * n), *dec = malloc(4 * n);
	char name[96];
	int codec;

	if (!px || !dec) {
		result(false, "out of memory for %ux%u", w, h);
		exit(1);
	}
	pic_make(kind, px, w, h, seed, alpha);
	snprintf(name, sizeof(name), "%s%s_%ux%u_%llu", pic_name(kind),
		 alpha ? "_rgba" : "", w, h, (unsigned long long)seed);

	for (codec = 0; codec < 2; codec++) {
		bool quic = codec == 0;
		const char *cname = quic ? "quic" : "lz";
		enc_fn f = quic ? (alpha ? qnc_quic_encode_rgba :
				   qnc_quic_encode_rgb32) :
				  (alpha ? qnc_lz_encode_rgba :
				   qnc_lz_encode_rgb32);
		size_t bound = quic ? qnc_quic_bound(w, h, alpha) :
				      qnc_lz_bound(w, h, alpha);
		uint8_t *out = malloc(bound + 64), *out2 = malloc(bound + 64);
		size_t len, len2, i;
		int err;
		bool untouched = true;

		if (!out || !out2) {
			result(false, "out of memory");
			exit(1);
		}
		memset(out, 0xaa, bound + 64);
		len = f((const uint8_t *)px, (int)(4 * w), w, h, out, bound);
		for (i = bound; i < bound + 64; i++)
			untouched &= out[i] == 0xaa;
		result(len > 0 && len <= bound && untouched,
		       "%s %s: %zu bytes, bound %zu, nothing written past it",
		       name, cname, len, bound);
		if (!len) {
			free(out);
			free(out2);
			continue;
		}
		err = quic ? test_quic_decode(out, len, w, h, alpha, dec) :
			     test_lz_decode(out, len, w, h, alpha, dec);
		result(!err && same_pixels(px, dec, n, alpha),
		       "%s %s decodes to the picture (%s)", name, cname,
		       test_decode_error(err));

		/* the same bytes for any layout of the same pixels */
		{
			static const struct {
				uint32_t pad;
				bool flip;
				unsigned misalign;
			} lay[] = { { 3, false, 0 }, { 0, true, 0 },
				    { 1, true, 1 }, { 0, false, 2 } };
			unsigned k;
			bool same = true;

			for (k = 0; k < sizeof(lay) / sizeof(lay[0]); k++) {
				len2 = encode_laid_out(f, px, w, h, lay[k].pad,
						       lay[k].flip,
						       lay[k].misalign, out2,
						       bound);
				same &= len2 == len && !memcmp(out, out2, len);
			}
			result(same, "%s %s: padded, bottom-up and unaligned "
			       "rows give the same bytes", name, cname);
		}

		/* exactly enough room works; one byte less gives 0 and
		 * stays inside the buffer */
		memset(out2, 0xaa, bound + 64);
		len2 = f((const uint8_t *)px, (int)(4 * w), w, h, out2, len);
		result(len2 == len && !memcmp(out, out2, len) &&
		       out2[len] == 0xaa,
		       "%s %s: out_cap = size fits", name, cname);
		memset(out2, 0xaa, bound + 64);
		len2 = f((const uint8_t *)px, (int)(4 * w), w, h, out2, len - 1);
		result(len2 == 0 && out2[len - 1] == 0xaa,
		       "%s %s: out_cap = size - 1 gives 0", name, cname);

		if (dump_dir)
			write_file(name, cname, out, len);
		free(out);
		free(out2);
	}
	if (dump_dir) {
		write_file(name, "raw", px, 4 * n);
		fprintf(manifest, "%s %u %u %d\n", name, w, h, alpha);
	}
	free(px);
	free(dec);
}

static void check_bad_arguments(void)
{
	uint32_t px[16] = { 0 };
	uint8_t out[256];
	const uint8_t *p = (const uint8_t *)px;
	static const enc_fn fns[4] = {
		qnc_quic_encode_rgb32, qnc_quic_encode_rgba,
		qnc_lz_encode_rgb32, qnc_lz_encode_rgba,
	};
	int i;

	for (i = 0; i < 4; i++) {
		enc_fn f = fns[i];

		result(!f(NULL, 16, 4, 4, out, sizeof(out)) &&
		       !f(p, 16, 0, 4, out, sizeof(out)) &&
		       !f(p, 16, 4, 0, out, sizeof(out)) &&
		       !f(p, 12, 4, 4, out, sizeof(out)) &&
		       !f(p, -12, 4, 4, out, sizeof(out)) &&
		       !f(p, 16, 4, 4, NULL, sizeof(out)) &&
		       !f(p, 16, 4, 4, out, 0) && !f(p, 16, 4, 4, out, 20) &&
		       !f(p, 4 * 16384, 16384, 16384, out, sizeof(out)) &&
		       !f(p, 4, 1, QNC_MAX_PIXELS + 1u, out, sizeof(out)),
		       "encoder %d refuses NULL, empty, short stride, too "
		       "large and no room", i);
	}
	result(!qnc_quic_bound(0, 1, 0) && !qnc_quic_bound(1, 0, 0) &&
	       !qnc_lz_bound(0, 5, 1) &&
	       !qnc_quic_bound(1u << 16, 1u << 16, 0) &&
	       !qnc_lz_bound(UINT32_MAX, UINT32_MAX, 1) &&
	       qnc_quic_bound(1, QNC_MAX_PIXELS, 1) > 0 &&
	       qnc_lz_bound(QNC_MAX_PIXELS, 1, 1) > 0,
	       "bounds: 0 for impossible sizes, > 0 up to QNC_MAX_PIXELS");
	result(qnc_classify(NULL, 16, 4, 4) == QNC_CONTENT_UI &&
	       qnc_classify(p, 4, 4, 4) == QNC_CONTENT_UI &&
	       qnc_classify(p, 8, 2, 2) == QNC_CONTENT_UI,
	       "classify: bad arguments and tiny regions are UI");
}

/* A row-long run of more than 65820 pixels: the run-length state reaches
 * its last entry and would take another step there, where spice-html5 and
 * spice-common disagree; the encoder must cut the run (the test decoder
 * fails on such a step). */
static void check_long_run(void)
{
	check_picture(PIC_FLAT, 70000, 2, 0, 9);
	check_picture(PIC_FLAT, 66000, 3, 1, 10);
}

static void check_classifier(void)
{
	static const struct {
		enum pic_kind kind;
		enum qnc_content want;
	} cases[] = {
		{ PIC_PHOTO, QNC_CONTENT_PHOTO },
		{ PIC_GRADIENT, QNC_CONTENT_PHOTO },
		{ PIC_NOISE, QNC_CONTENT_PHOTO },
		{ PIC_FLAT, QNC_CONTENT_UI },
		{ PIC_TEXT, QNC_CONTENT_UI },
		{ PIC_UI, QNC_CONTENT_UI },
		{ PIC_BANDS, QNC_CONTENT_UI },
	};
	uint32_t w = 640, h = 400;
	uint32_t *px = malloc(4 * (size_t)w * h);
	size_t qcap = qnc_quic_bound(w, h, 0), lcap = qnc_lz_bound(w, h, 0);
	uint8_t *out = malloc(qcap > lcap ? qcap : lcap);
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum qnc_content got;
		size_t q, l;
		uint64_t seed;
		bool ok = true;

		for (seed = 1; seed <= 3; seed++) {
			pic_make(cases[i].kind, px, w, h, seed, 0);
			got = qnc_classify((const uint8_t *)px, (int)(4 * w),
					   w, h);
			q = qnc_quic_encode_rgb32((const uint8_t *)px,
						  (int)(4 * w), w, h, out, qcap);
			l = qnc_lz_encode_rgb32((const uint8_t *)px,
						(int)(4 * w), w, h, out, lcap);
			/* the choice must be right and must not cost more
			 * than 10% over the other codec's bytes */
			ok &= got == cases[i].want &&
			      (got == QNC_CONTENT_PHOTO ? q * 10 <= l * 11 :
							  l * 10 <= q * 11);
			printf("# %s seed %llu: %s, QUIC %zu B, LZ %zu B\n",
			       pic_name(cases[i].kind),
			       (unsigned long long)seed,
			       got == QNC_CONTENT_PHOTO ? "photo" : "ui", q, l);
		}
		result(ok, "classify %s as %s, and that codec is the smaller",
		       pic_name(cases[i].kind),
		       cases[i].want == QNC_CONTENT_PHOTO ? "photo" : "ui");
	}
	/* The tiles' cheaper look (12 rows of 24 points, as the display
	 * channel classifies 128x128 tiles) says the same of at least 90%
	 * of a picture's tiles, on every kind. */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int tiles = 0, same = 0;
		uint32_t tx, ty;

		pic_make(cases[i].kind, px, w, h, 5, 0);
		for (ty = 0; ty + 128 <= h; ty += 128)
			for (tx = 0; tx + 128 <= w; tx += 128) {
				tiles++;
				same += qnc_classify_sample(
					(const uint8_t *)(px + (size_t)ty * w + tx),
					(int)(4 * w), 128, 128, 12, 24) ==
					cases[i].want;
			}
		result(same * 10 >= tiles * 9,
		       "%s: %u of %u 128x128 tiles classified as the picture "
		       "from a 12x24 sample", pic_name(cases[i].kind), same,
		       tiles);
	}
	/* A sample larger than the classifier's is its sample; rows or
	 * points of 0 are one. */
	pic_make(PIC_PHOTO, px, w, h, 6, 0);
	result(qnc_classify_sample((const uint8_t *)px, (int)(4 * w), w, h,
				   1000, 1000) == qnc_classify(
				   (const uint8_t *)px, (int)(4 * w), w, h) &&
	       qnc_classify_sample((const uint8_t *)px, (int)(4 * w), w, h,
				   0, 0) == qnc_classify_sample(
				   (const uint8_t *)px, (int)(4 * w), w, h, 1, 1),
	       "sample sizes are clamped");
	/* a photo with a flat UI frame around it: still the photo's */
	pic_make(PIC_PHOTO, px, w, h, 4, 0);
	for (i = 0; i < w * 20; i++)
		px[i] = 0xffdddddd;
	result(qnc_classify((const uint8_t *)px, (int)(4 * w), w, h) ==
	       QNC_CONTENT_PHOTO, "a photo under a title bar is a photo");
	free(px);
	free(out);
}

int main(int argc, char **argv)
{
	static const struct {
		uint32_t w, h;
	} sizes[] = {
		{ 1, 1 }, { 2, 1 }, { 1, 2 }, { 3, 3 }, { 7, 3 }, { 4, 4 },
		{ 5, 9 }, { 17, 5 }, { 64, 64 }, { 333, 77 }, { 97, 61 },
		{ 2047, 3 }, { 2049, 4 }, { 4099, 3 }, { 1, 300 },
	};
	bool quick = false;
	unsigned k, s;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dump") && i + 1 < argc) {
			dump_dir = argv[++i];
		} else if (!strcmp(argv[i], "--quick")) {
			quick = true;
		} else {
			fprintf(stderr, "usage: %s [--quick] [--dump DIR]\n",
				argv[0]);
			return 2;
		}
	}
	if (dump_dir) {
		char path[4096];

		mkdir(dump_dir, 0777);
		snprintf(path, sizeof(path), "%s/manifest.txt", dump_dir);
		manifest = fopen(path, "w");
		if (!manifest) {
			fprintf(stderr, "cannot write %s\n", path);
			return 1;
		}
	}
	printf("TAP version 13\n");
	for (k = 0; k < PIC_N; k++)
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			check_picture((enum pic_kind)k, sizes[s].w, sizes[s].h,
				      (int)((k + s) % 3 == 0), k * 100 + s);
	if (!quick) {
		check_picture(PIC_PHOTO, 1920, 1080, 0, 1);
		check_picture(PIC_UI, 1920, 1080, 0, 2);
		check_picture(PIC_TEXT, 1920, 1080, 1, 3);
		check_picture(PIC_NOISE, 1920, 1080, 0, 4);
		check_picture(PIC_FLAT, 1920, 1080, 0, 5);
		check_picture(PIC_GRADIENT, 1920, 1080, 1, 6);
	}
	check_long_run();
	check_bad_arguments();
	check_classifier();
	if (manifest)
		fclose(manifest);
	printf("1..%d\n", n_tests);
	printf("%d passed, %d failed\n", n_tests - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
