// SPDX-License-Identifier: MIT
/*
 * wl-render: the picture a workload (workload.h) ends in, drawn in
 * software from its ops, as a PPM (what client.py --dump writes).
 *
 *   wl-render --workload NAME --out FILE.ppm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

int main(int argc, char **argv)
{
	const char *name = NULL, *out = NULL;
	static struct wl_frame f;
	struct workload *w;
	uint32_t *fb;
	uint8_t *rgb;
	size_t n = (size_t)WL_W * WL_H, j;
	FILE *fp;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--workload") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
	}
	if (!name || !out) {
		fprintf(stderr, "usage: wl-render --workload NAME --out F.ppm\n");
		return 2;
	}
	w = wl_new(name);
	fb = calloc(n, 4);
	rgb = malloc(n * 3);
	if (!w || !fb || !rgb) {
		fprintf(stderr, "wl-render: unknown workload or no memory\n");
		return 1;
	}
	for (i = 0; i <= wl_count(w); i++) {
		wl_frame(w, i, &f);
		wl_apply(&f, fb);
	}
	for (j = 0; j < n; j++) {
		rgb[3 * j] = (uint8_t)(fb[j] >> 16);
		rgb[3 * j + 1] = (uint8_t)(fb[j] >> 8);
		rgb[3 * j + 2] = (uint8_t)fb[j];
	}
	fp = fopen(out, "wb");
	if (!fp || fprintf(fp, "P6\n%d %d\n255\n", WL_W, WL_H) < 0 ||
	    fwrite(rgb, 3, n, fp) != n || fclose(fp)) {
		fprintf(stderr, "wl-render: cannot write %s\n", out);
		return 1;
	}
	wl_free(w);
	free(fb);
	free(rgb);
	return 0;
}
