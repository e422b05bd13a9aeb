// SPDX-License-Identifier: MIT
/* The benchmark's workloads (see workload.h). */
#include <stdlib.h>
#include <string.h>

#include "workload.h"
#include "../codec/pictures.h"

#define N_PHOTOS	4
#define GLYPHS		64
#define WIN_W		800
#define WIN_H		600
#define ICONS		4
#define ICON		256

enum wl_id { WL_PHOTO, WL_TEXT, WL_DRAG, WL_DRAG_BLIT, WL_FULL30, WL_ICONS };

struct workload {
	enum wl_id id;
	uint32_t *photo[N_PHOTOS];	/* photo, full30 */
	uint32_t *frame;		/* the photo of this frame */
	uint32_t *wall;			/* drag: the desktop */
	uint32_t *win;			/* drag: the window */
	uint32_t glyph[GLYPHS][8 * 16];	/* text */
	uint32_t line[WL_W * 16];	/* text: the scrolling line at first */
	uint32_t *icon[ICONS];		/* icons */
};

static const char *const names[] = { "photo", "text", "drag", "drag-blit",
				     "full30", "icons", NULL };

const char *const *wl_names(void)
{
	return names;
}

static uint32_t *picture(enum pic_kind k, uint32_t w, uint32_t h,
			 uint64_t seed)
{
	uint32_t *px = malloc((size_t)w * h * 4);

	if (px)
		pic_make(k, px, w, h, seed, 0);
	return px;
}

struct workload *wl_new(const char *name)
{
	struct workload *w;
	int i, k;

	for (i = 0; names[i] && strcmp(names[i], name); i++)
		;
	if (!names[i])
		return NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->id = (enum wl_id)i;
	switch (w->id) {
	case WL_PHOTO:
	case WL_FULL30:
		for (k = 0; k < N_PHOTOS; k++)
			w->photo[k] = picture(PIC_PHOTO, WL_W, WL_H, 100 + k);
		w->frame = malloc((size_t)WL_W * WL_H * 4);
		break;
	case WL_DRAG:
	case WL_DRAG_BLIT:
		w->wall = picture(PIC_GRADIENT, WL_W, WL_H, 7);
		w->win = picture(PIC_UI, WIN_W, WIN_H, 5);
		break;
	case WL_ICONS:
		w->wall = picture(PIC_GRADIENT, WL_W, WL_H, 9);
		for (k = 0; k < ICONS; k++)
			w->icon[k] = picture(k & 1 ? PIC_UI : PIC_PHOTO, ICON,
					     ICON, 30 + k);
		break;
	case WL_TEXT: {
		uint64_t st = 42;

		for (k = 0; k < GLYPHS; k++) {
			int x, y;

			for (y = 0; y < 16; y++) {
				uint64_t bits = y >= 2 && y < 14 ?
						pic_rand(&st) : 0;

				for (x = 0; x < 8; x++)
					w->glyph[k][y * 8 + x] =
						bits >> x & 1 ? 0xd0d0d0 : 0;
			}
		}
		for (k = 0; k < WL_W / 8; k++)
			for (i = 0; i < 16; i++)
				memcpy(w->line + (size_t)i * WL_W + k * 8,
				       w->glyph[k % GLYPHS] + i * 8, 32);
		break;
	}
	}
	return w;
}

void wl_free(struct workload *w)
{
	int k;

	if (!w)
		return;
	for (k = 0; k < N_PHOTOS; k++)
		free(w->photo[k]);
	for (k = 0; k < ICONS; k++)
		free(w->icon[k]);
	free(w->frame);
	free(w->wall);
	free(w->win);
	free(w);
}

int wl_fps(const struct workload *w)
{
	return w->id == WL_FULL30 ? 30 : 10;
}

int wl_count(const struct workload *w)
{
	switch (w->id) {
	case WL_FULL30:
		return 300;
	case WL_PHOTO:
		return 30;
	default:
		return 50;
	}
}

static struct wl_op *add(struct wl_frame *f, enum wl_kind kind, int x, int y,
			 int wd, int h)
{
	struct wl_op *o = &f->ops[f->n++];

	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->x = x;
	o->y = y;
	o->w = wd;
	o->h = h;
	return o;
}

static void blit(struct wl_frame *f, int x, int y, int wd, int h,
		 const uint32_t *px, uint32_t stride)
{
	struct wl_op *o = add(f, WL_BLIT, x, y, wd, h);

	o->px = px;
	o->stride = stride;
}

/* The photo of frame i: one of the pictures made brighter by i (each
 * colour, saturating), so that no two frames are the same and each is
 * as hard to compress as the pictures. */
static const uint32_t *photo_of(struct workload *w, int i)
{
	const uint8_t *src = (const uint8_t *)w->photo[i % N_PHOTOS];
	uint8_t *dst = (uint8_t *)w->frame, k = (uint8_t)(i / N_PHOTOS % 15 + 1);
	size_t n = (size_t)WL_W * WL_H * 4, j;

	for (j = 0; j < n; j++)
		dst[j] = src[j] > 255 - k ? 255 : (uint8_t)(src[j] + k);
	return w->frame;
}

/* Where the window of 'drag' is in frame i. */
static void win_at(int i, int *x, int *y)
{
	*x = 100 + 8 * i;
	*y = 100 + 4 * i;
}

static void glyph_at(struct workload *w, struct wl_frame *f, int g, int x,
		     int y)
{
	struct wl_op *o = add(f, WL_BLIT, x, y, 8, 16);

	o->px = w->glyph[g];
	o->stride = 8;
	o->cache_id = 0x1000 + (uint64_t)g;
}

void wl_frame(struct workload *w, int i, struct wl_frame *f)
{
	int x, y, k;

	f->n = 0;
	switch (w->id) {
	case WL_PHOTO:
	case WL_FULL30:
		blit(f, 0, 0, WL_W, WL_H, photo_of(w, i), WL_W);
		break;
	case WL_TEXT:
		if (i == 0) {
			add(f, WL_FILL, 0, 0, WL_W, WL_H)->color = 0;
			blit(f, 0, 1040, WL_W, 16, w->line, WL_W);
			break;
		}
		/* 20 glyph cells in the upper lines, like typing. */
		for (k = 0; k < 20; k++) {
			int cell = (i * 20 + k) * 7919;

			glyph_at(w, f, (i * 31 + k * 17) % GLYPHS,
				 (cell % (WL_W / 8)) * 8,
				 (cell / (WL_W / 8) % 60) * 16);
		}
		/* The scrolling line: 8 pixels left, a glyph comes in. */
		add(f, WL_COPYBITS, 0, 1040, WL_W - 8, 16)->src_x = 8;
		f->ops[f->n - 1].src_y = 1040;
		glyph_at(w, f, (i * 13) % GLYPHS, WL_W - 8, 1040);
		break;
	case WL_ICONS:
		/* One of four pictures in the same place, in an order of
		 * their own: each comes back after others covered it. */
		if (i == 0) {
			blit(f, 0, 0, WL_W, WL_H, w->wall, WL_W);
			break;
		}
		k = (int)(((uint32_t)i * 2654435761u) >> 16) % ICONS;
		blit(f, 512, 256, ICON, ICON, w->icon[k], ICON);
		break;
	case WL_DRAG:
	case WL_DRAG_BLIT:
		win_at(i, &x, &y);
		if (i == 0) {
			blit(f, 0, 0, WL_W, WL_H, w->wall, WL_W);
			blit(f, x, y, WIN_W, WIN_H, w->win, WIN_W);
			break;
		}
		if (w->id == WL_DRAG) {
			struct wl_op *o = add(f, WL_COPYBITS, x, y, WIN_W,
					      WIN_H);

			o->src_x = x - 8;
			o->src_y = y - 4;
		} else {
			blit(f, x, y, WIN_W, WIN_H, w->win, WIN_W);
		}
		/* What the window uncovered: the desktop again. */
		x -= 8;
		y -= 4;
		blit(f, x, y, 8, WIN_H, w->wall + (size_t)y * WL_W + x, WL_W);
		blit(f, x + 8, y, WIN_W - 8, 4, w->wall + (size_t)y * WL_W + x + 8,
		     WL_W);
		break;
	}
	add(f, WL_FILL, WL_W - WL_STAMP, WL_H - WL_STAMP, WL_STAMP,
	    WL_STAMP)->color = WL_STAMP_COLOR(i);
}

void wl_apply(const struct wl_frame *f, uint32_t *fb)
{
	int i, y;

	for (i = 0; i < f->n; i++) {
		const struct wl_op *o = &f->ops[i];

		for (y = 0; y < o->h; y++) {
			/* COPY_BITS: rows in the order that reads each
			 * before it is overwritten. */
			int r = o->kind == WL_COPYBITS && o->src_y < o->y ?
				o->h - 1 - y : y;
			uint32_t *dst = fb + (size_t)(o->y + r) * WL_W + o->x;
			int x;

			switch (o->kind) {
			case WL_FILL:
				for (x = 0; x < o->w; x++)
					dst[x] = o->color;
				break;
			case WL_BLIT:
				memcpy(dst, o->px + (size_t)r * o->stride,
				       (size_t)o->w * 4);
				break;
			case WL_COPYBITS:
				memmove(dst, fb + (size_t)(o->src_y + r) * WL_W +
					     o->src_x, (size_t)o->w * 4);
				break;
			}
		}
	}
}
