/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's workloads: a deterministic stream of drawing operations
 * (fills, bitmap copies, COPY_BITS), frame by frame, that both servers
 * are fed as the same QXL commands (bench-ours.c through our device,
 * bench-ref.c through libspice-server's QXL interface).
 *
 * Every frame ends with a 16x16 "stamp" fill at the bottom right whose
 * colour says the frame's number (WL_STAMP_COLOR): the client knows which
 * frame it shows, and when it first showed it.
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stdint.h>

#define WL_W		1920
#define WL_H		1080
#define WL_STAMP	16
#define WL_STAMP_COLOR(i)	(0x800000u | (uint32_t)(i))
#define WL_MAX_OPS	64

enum wl_kind {
	WL_FILL,	/* (x, y, w, h) := color */
	WL_BLIT,	/* (x, y, w, h) := px (stride pixels a row) */
	WL_COPYBITS,	/* (x, y, w, h) := what (src_x, src_y, w, h) held */
};

struct wl_op {
	enum wl_kind kind;
	int x, y, w, h;
	uint32_t color;
	const uint32_t *px;
	uint32_t stride;
	int src_x, src_y;
	/* A BLIT the guest marks cacheable (QXL_IMAGE_CACHE) with this
	 * image id, as a driver does for glyphs; 0: not. */
	uint64_t cache_id;
};

struct wl_frame {
	int n;
	struct wl_op ops[WL_MAX_OPS];
};

struct workload;

/* The workloads, by name: photo, text, drag, drag-blit, full30; and
 * icons (four 256x256 pictures taking turns in one place: the image
 * cache's case), not in the benchmark's list. */
const char *const *wl_names(void);
/* NULL if the name is unknown.  Generating the pictures takes a moment. */
struct workload *wl_new(const char *name);
void wl_free(struct workload *w);
int wl_fps(const struct workload *w);
int wl_count(const struct workload *w);	/* frames after the first */
/* Frame i: 0 is the whole first picture, then 1..wl_count().  The ops'
 * pixels stay valid until the next call. */
void wl_frame(struct workload *w, int i, struct wl_frame *f);
/* Draw f's ops into fb (WL_W x WL_H packed xRGB) as a client shows them:
 * the picture every frame must end in. */
void wl_apply(const struct wl_frame *f, uint32_t *fb);

#endif
