// SPDX-License-Identifier: MIT
/* PPM reader for spice-serve (and the tests). */
#include <ctype.h>
#include <glib.h>

#include "tools/ppm.h"

#define PPM_MAX_SIDE 16384

/* Next decimal field, skipping whitespace and # comments. */
static int ppm_field(const uint8_t *d, size_t len, size_t *pos, uint32_t *v)
{
	uint64_t n = 0;
	size_t digits = 0;

	while (*pos < len) {
		if (d[*pos] == '#') {
			while (*pos < len && d[*pos] != '\n')
				(*pos)++;
		} else if (isspace(d[*pos])) {
			(*pos)++;
		} else {
			break;
		}
	}
	while (*pos < len && isdigit(d[*pos]) && digits < 10) {
		n = n * 10 + (uint64_t)(d[*pos] - '0');
		(*pos)++;
		digits++;
	}
	if (!digits || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

uint32_t *sc_ppm_parse(const uint8_t *d, size_t len, uint32_t *width,
		       uint32_t *height, const char **why)
{
	uint32_t w, h, maxval, *px;
	size_t pos = 2, n, i;

	if (len < 2 || d[0] != 'P' || d[1] != '6') {
		*why = "not a binary PPM (P6) file";
		return NULL;
	}
	if (ppm_field(d, len, &pos, &w) || ppm_field(d, len, &pos, &h) ||
	    ppm_field(d, len, &pos, &maxval)) {
		*why = "bad PPM header";
		return NULL;
	}
	if (w == 0 || h == 0 || w > PPM_MAX_SIDE || h > PPM_MAX_SIDE) {
		*why = "PPM size outside 1..16384";
		return NULL;
	}
	if (maxval == 0 || maxval > 255) {
		*why = "PPM maxval must be 1..255";
		return NULL;
	}
	if (pos >= len || !isspace(d[pos])) {
		*why = "bad PPM header";
		return NULL;
	}
	pos++;
	n = (size_t)w * h;
	if (len - pos < n * 3) {
		*why = "PPM pixel data truncated";
		return NULL;
	}
	px = g_new(uint32_t, n);
	for (i = 0; i < n; i++, pos += 3) {
		uint32_t r = d[pos], g = d[pos + 1], b = d[pos + 2];

		if (maxval != 255) {
			r = MIN(r, maxval) * 255 / maxval;
			g = MIN(g, maxval);
			b = MIN(b, maxval);
			g = g * 255 / maxval;
			b = b * 255 / maxval;
		}
		px[i] = r << 16 | g << 8 | b;
	}
	*width = w;
	*height = h;
	return px;
}
