// SPDX-License-Identifier: MIT
/* Unchanged and moved pixels in damage (see moves.h). */
#include <string.h>

#include "channels/moves.h"

#define PROBE		16	/* pixels a probe compares */
#define PROBES_X	3
#define PROBES_Y	4
#define FAR		1024	/* vertical / horizontal shifts looked at */
#define NEAR		48	/* any move within this */
#define MAX_CANDS	64
#define VERIFY		4	/* candidates grown, most votes first */

bool sc_diff_box(const uint32_t *shadow, uint32_t sw,
		 const pixman_box32_t *r, const uint32_t *px, size_t pstride,
		 pixman_box32_t *out)
{
	int32_t w = r->x2 - r->x1, h = r->y2 - r->y1, top, bot, y;
	int32_t minx, maxx;
	const uint32_t *s0 = shadow + (size_t)r->y1 * sw + r->x1;

#define ROW_EQ(y) (memcmp(px + (size_t)(y) * pstride, s0 + (size_t)(y) * sw, \
			  (size_t)w * 4) == 0)
	for (top = 0; top < h && ROW_EQ(top); top++)
		;
	if (top == h)
		return false;
	for (bot = h - 1; bot > top && ROW_EQ(bot); bot--)
		;
#undef ROW_EQ
	minx = w;
	maxx = 0;
	for (y = top; y <= bot; y++) {
		const uint32_t *a = px + (size_t)y * pstride;
		const uint32_t *b = s0 + (size_t)y * sw;
		int32_t i, j;

		for (i = 0; i < minx && a[i] == b[i]; i++)
			;
		if (i < minx)
			minx = i;
		for (j = w - 1; j >= maxx && a[j] == b[j]; j--)
			;
		if (j >= maxx)
			maxx = j + 1;
	}
	if (minx >= maxx)		/* rows differed only... never */
		return false;
	out->x1 = r->x1 + minx;
	out->x2 = r->x1 + maxx;
	out->y1 = r->y1 + top;
	out->y2 = r->y1 + bot + 1;
	return true;
}

struct cand {
	int32_t dx, dy;
	int votes;
};

struct search {
	const uint32_t *shadow;
	uint32_t sw, sh;
	const pixman_box32_t *r;
	const uint32_t *px;
	size_t pstride;
	struct cand c[MAX_CANDS];
	int n;
};

static void vote(struct search *s, int32_t dx, int32_t dy)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->c[i].dx == dx && s->c[i].dy == dy) {
			s->c[i].votes++;
			return;
		}
	if (s->n < MAX_CANDS)
		s->c[s->n++] = (struct cand){ dx, dy, 1 };
}

/* Does the probe at r-relative (x, y) match the shadow moved by (dx,
 * dy)? */
static bool probe_at(const struct search *s, int32_t x, int32_t y,
		     int32_t dx, int32_t dy)
{
	int64_t sx = (int64_t)s->r->x1 + x + dx, sy = (int64_t)s->r->y1 + y + dy;
	const uint32_t *a = s->px + (size_t)y * s->pstride + x, *b;

	if (sx < 0 || sy < 0 || sx + PROBE > s->sw || sy >= s->sh)
		return false;
	b = s->shadow + (size_t)sy * s->sw + (size_t)sx;
	return a[0] == b[0] && memcmp(a, b, PROBE * 4) == 0;
}

/* The probe's matches: votes for each (dx, dy) that fits, at most
 * `limit` of them (repetitive content matches everywhere). */
static void search_probe(struct search *s, int32_t x, int32_t y,
			 int32_t hint_dx, int32_t hint_dy)
{
	int64_t X = s->r->x1 + x, Y = s->r->y1 + y;
	int32_t d, dx, dy, found = 0, limit = 8;

#define TRY(DX, DY)							\
	do {								\
		if (probe_at(s, x, y, (DX), (DY))) {			\
			vote(s, (DX), (DY));				\
			if (++found >= limit)				\
				return;					\
		}							\
	} while (0)
	if (hint_dx || hint_dy)
		TRY(hint_dx, hint_dy);
	for (d = 1; d <= FAR; d++) {
		if (Y - d < 0 && Y + d >= s->sh && X - d < 0 &&
		    X + d + PROBE > s->sw)
			break;
		if (Y - d >= 0)
			TRY(0, -d);
		if (Y + d < s->sh)
			TRY(0, d);
		if (X - d >= 0)
			TRY(-d, 0);
		if (X + d + PROBE <= s->sw)
			TRY(d, 0);
		if (d > NEAR)
			continue;
		/* The ring at distance d off the axes. */
		for (dx = -d + 1; dx < d; dx++) {
			if (!dx)
				continue;
			TRY(dx, -d);
			TRY(dx, d);
		}
		for (dy = -d; dy <= d; dy++) {
			if (!dy)
				continue;
			TRY(-d, dy);
			TRY(d, dy);
		}
	}
#undef TRY
}

static bool px_eq(const struct search *s, int32_t x, int32_t y, int32_t dx,
		  int32_t dy)
{
	return s->px[(size_t)y * s->pstride + x] ==
	       s->shadow[(size_t)(s->r->y1 + y + dy) * s->sw +
			 (size_t)(s->r->x1 + x + dx)];
}

static bool span_eq(const struct search *s, int32_t y, int32_t xa,
		    int32_t xb, int32_t dx, int32_t dy)
{
	return memcmp(s->px + (size_t)y * s->pstride + xa,
		      s->shadow + (size_t)(s->r->y1 + y + dy) * s->sw +
		      (size_t)(s->r->x1 + xa + dx), (size_t)(xb - xa) * 4) == 0;
}

/* The rectangle grown from the probe at (x, y) where the move (dx, dy)
 * holds; r-relative. */
static int64_t grow(const struct search *s, int32_t x, int32_t y,
		    int32_t dx, int32_t dy, pixman_box32_t *out)
{
	int32_t w = s->r->x2 - s->r->x1, h = s->r->y2 - s->r->y1;
	/* r-relative limits that keep the source inside the surface. */
	int32_t lo_x = -s->r->x1 - dx > 0 ? -s->r->x1 - dx : 0;
	int32_t hi_x = (int32_t)s->sw - s->r->x1 - dx < w ?
		       (int32_t)s->sw - s->r->x1 - dx : w;
	int32_t lo_y = -s->r->y1 - dy > 0 ? -s->r->y1 - dy : 0;
	int32_t hi_y = (int32_t)s->sh - s->r->y1 - dy < h ?
		       (int32_t)s->sh - s->r->y1 - dy : h;
	int32_t xa = x, xb = x + PROBE, ya = y, yb = y + 1;

	while (xa > lo_x && px_eq(s, xa - 1, y, dx, dy))
		xa--;
	while (xb < hi_x && px_eq(s, xb, y, dx, dy))
		xb++;
	while (ya > lo_y && span_eq(s, ya - 1, xa, xb, dx, dy))
		ya--;
	while (yb < hi_y && span_eq(s, yb, xa, xb, dx, dy))
		yb++;
	out->x1 = xa;
	out->x2 = xb;
	out->y1 = ya;
	out->y2 = yb;
	return (int64_t)(xb - xa) * (yb - ya);
}

/* A probe position on row y near column x whose pixels are not all the
 * same (flat areas match anywhere); false if none. */
static bool pick_probe(const struct search *s, int32_t *x, int32_t y)
{
	int32_t w = s->r->x2 - s->r->x1, tries, i;

	for (tries = 0; tries < 8; tries++) {
		const uint32_t *a = s->px + (size_t)y * s->pstride + *x;

		for (i = 1; i < PROBE && a[i] == a[0]; i++)
			;
		if (i < PROBE)
			return true;
		*x += PROBE;
		if (*x + PROBE > w)
			*x = 0;
	}
	return false;
}

bool sc_find_move(const uint32_t *shadow, uint32_t sw, uint32_t sh,
		  const pixman_box32_t *r, const uint32_t *px, size_t pstride,
		  const pixman_region32_t *avoid, int32_t hint_dx,
		  int32_t hint_dy, pixman_box32_t *a, int32_t *dx,
		  int32_t *dy)
{
	struct search s = { shadow, sw, sh, r, px, pstride, { { 0 } }, 0 };
	int32_t w = r->x2 - r->x1, h = r->y2 - r->y1;
	int32_t probes[PROBES_X * PROBES_Y][2];
	int np = 0, i, j, k;
	int64_t best = 0;

	if (w < PROBE || h < 8 || (int64_t)w * h < SC_MOVE_MIN_PIXELS)
		return false;
	/* A window dragged or a text scrolled keeps its move: the hint
	 * alone, when it covers most of r, saves the search. */
	if (hint_dx || hint_dy) {
		for (i = 0; i < PROBES_Y; i++) {
			int32_t y = (int32_t)(((int64_t)2 * i + 1) * h /
					      (2 * PROBES_Y));
			int32_t x = w / 2 - PROBE / 2;
			pixman_box32_t got, src;
			int64_t area;

			if (!pick_probe(&s, &x, y) ||
			    !probe_at(&s, x, y, hint_dx, hint_dy))
				continue;
			area = grow(&s, x, y, hint_dx, hint_dy, &got);
			if (area * 2 < (int64_t)w * h ||
			    area < SC_MOVE_MIN_PIXELS)
				continue;
			src.x1 = r->x1 + got.x1 + hint_dx;
			src.x2 = r->x1 + got.x2 + hint_dx;
			src.y1 = r->y1 + got.y1 + hint_dy;
			src.y2 = r->y1 + got.y2 + hint_dy;
			if (avoid && pixman_region32_contains_rectangle(
				    (pixman_region32_t *)avoid, &src) !=
				    PIXMAN_REGION_OUT)
				break;
			a->x1 = r->x1 + got.x1;
			a->x2 = r->x1 + got.x2;
			a->y1 = r->y1 + got.y1;
			a->y2 = r->y1 + got.y2;
			*dx = hint_dx;
			*dy = hint_dy;
			return true;
		}
	}
	for (i = 0; i < PROBES_Y; i++) {
		int32_t y = (int32_t)(((int64_t)2 * i + 1) * h / (2 * PROBES_Y));

		for (j = 0; j < PROBES_X; j++) {
			int32_t x = (int32_t)(((int64_t)2 * j + 1) * w /
					      (2 * PROBES_X)) - PROBE / 2;

			if (x < 0)
				x = 0;
			if (x + PROBE > w)
				x = w - PROBE;
			if (!pick_probe(&s, &x, y))
				continue;
			probes[np][0] = x;
			probes[np][1] = y;
			np++;
			search_probe(&s, x, y, hint_dx, hint_dy);
		}
		/* New content (a photo, a video frame): give up early. */
		if (np >= 3 && s.n == 0)
			return false;
	}
	/* Most votes first (a few: selection, not a sort). */
	for (k = 0; k < VERIFY && k < s.n; k++) {
		struct cand t;

		for (i = k + 1; i < s.n; i++)
			if (s.c[i].votes > s.c[k].votes) {
				t = s.c[k];
				s.c[k] = s.c[i];
				s.c[i] = t;
			}
		for (i = 0; i < np; i++) {
			pixman_box32_t got, src;
			int64_t area;

			if (!probe_at(&s, probes[i][0], probes[i][1],
				      s.c[k].dx, s.c[k].dy))
				continue;
			area = grow(&s, probes[i][0], probes[i][1], s.c[k].dx,
				    s.c[k].dy, &got);
			if (area <= best || area < SC_MOVE_MIN_PIXELS)
				continue;
			src.x1 = r->x1 + got.x1 + s.c[k].dx;
			src.x2 = r->x1 + got.x2 + s.c[k].dx;
			src.y1 = r->y1 + got.y1 + s.c[k].dy;
			src.y2 = r->y1 + got.y2 + s.c[k].dy;
			if (avoid && pixman_region32_contains_rectangle(
				    (pixman_region32_t *)avoid, &src) !=
				    PIXMAN_REGION_OUT)
				continue;
			best = area;
			a->x1 = r->x1 + got.x1;
			a->x2 = r->x1 + got.x2;
			a->y1 = r->y1 + got.y1;
			a->y2 = r->y1 + got.y2;
			*dx = s.c[k].dx;
			*dy = s.c[k].dy;
		}
	}
	return best > 0;
}
