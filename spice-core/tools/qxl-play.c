// SPDX-License-Identifier: MIT
/*
 * qxl-play.c - spice-serve --qxl: the picture and the animations as QXL
 * commands through an in-process device (see qxl-play.h).
 *
 * Commands go into the simulated guest's RAM, a frame at a time: the
 * device renders and releases them at the end of the frame
 * (qxl_sim_sync), and the allocator rewinds to the mark taken after the
 * primary and the cursor.  A frame larger than the RAM is played in
 * several batches.
 */
#include <stdio.h>
#include <string.h>

#include "hw-qxl/sim/qxl_sim.h"
#include "hw-qxl/spice/qxl_spice.h"
#include "tools/qxl-play.h"

/* Pixels per bitmap: a big rectangle is copied in bands of rows. */
#define BAND_BYTES	(1u << 20)
/* The device's largest primary area (vgamem). */
#define MAX_VGAMEM	(256u << 20)

struct qxl_play {
	struct qxl_sim sim;
	struct qxl_spice *spice;
	uint64_t mark;		/* the arena above the held commands */
	char error[300];
};

static void on_log(void *opaque, enum qxl_log_level level, const char *msg)
{
	struct qxl_play *p = opaque;

	if (level == QXL_LOG_GUEST_ERROR)
		fprintf(stderr, "spice-serve: qxl device: %s\n", msg);
	if (level == QXL_LOG_GUEST_ERROR && !p->error[0])
		snprintf(p->error, sizeof(p->error), "%s", msg);
}

/* As the QEMU glue does: SPICE serves the device's display once it is
 * native (before that, VGA's would be served). */
static void on_mode_changed(void *opaque, bool native)
{
	struct qxl_play *p = opaque;

	if (p->spice)
		qxl_spice_set_active(p->spice, native);
}

static const struct qxl_sim_ops play_ops = {
	.log = on_log,
	.mode_changed = on_mode_changed,
};

static uint32_t pow2_at_least(uint64_t v, uint32_t min)
{
	uint32_t r = min;

	while (r < v)
		r <<= 1;
	return r;
}

struct qxl_play *qxl_play_new(SpiceCoreDisplay *display, uint32_t w,
			      uint32_t h, uint32_t format, const char **why)
{
	uint32_t bpp = format == SPICE_CORE_FMT_16_565 ||
		       format == SPICE_CORE_FMT_16_555 ? 2 : 4;
	uint32_t stride = (w * bpp + 3) & ~3u;	/* the device's rule */
	uint64_t bytes = (uint64_t)stride * h;
	struct qxl_device_config cfg;
	struct qxl_play *p;

	if (bytes > MAX_VGAMEM) {
		*why = "the primary does not fit the device (256 MiB)";
		return NULL;
	}
	p = g_new0(struct qxl_play, 1);
	qxl_device_config_init(&cfg);
	cfg.vgamem_size = pow2_at_least(bytes, 8u << 20);
	cfg.ram_size = 2 * (uint64_t)cfg.vgamem_size;	/* pages ~ vgamem */
	cfg.vram_size = 1u << 20;
	cfg.n_surfaces = 16;
	if (qxl_sim_init(&p->sim, &cfg, &play_ops, p)) {
		*why = "cannot create the QXL device";
		g_free(p);
		return NULL;
	}
	p->spice = qxl_spice_new(display);
	qxl_spice_set_active(p->spice, p->sim.native);
	qxl_spice_attach(p->spice, p->sim.dev);
	qxl_sim_add_slots(&p->sim);
	if (qxl_sim_create_primary(&p->sim, w, h, (int32_t)stride, format)) {
		*why = "the device refused the primary";
		qxl_play_free(p);
		return NULL;
	}
	p->mark = qxl_sim_mark(&p->sim);
	return p;
}

void qxl_play_free(struct qxl_play *p)
{
	if (!p)
		return;
	qxl_spice_free(p->spice);
	qxl_sim_fini(&p->sim);
	g_free(p);
}

const char *qxl_play_error(const struct qxl_play *p)
{
	return p->error[0] ? p->error : "the device stopped";
}

int qxl_play_flush(struct qxl_play *p)
{
	if (qxl_sim_sync(&p->sim) < 0)
		return -1;
	qxl_sim_rewind(&p->sim, p->mark);
	return 0;
}

/* One drawing, built in guest RAM by build(). */
struct op {
	enum { OP_COPY, OP_FILL, OP_SCROLL } kind;
	int x, y, w, h;
	const uint32_t *px;	/* OP_COPY: the top left pixel */
	uint32_t stride;	/* OP_COPY: pixels a row of px */
	uint32_t color;		/* OP_FILL */
	int dx, dy;		/* OP_SCROLL */
};

static struct qxl_drawable *build(struct qxl_play *p, const struct op *o)
{
	struct qxl_image *im;

	switch (o->kind) {
	case OP_COPY:
		im = qxl_sim_bitmap32(&p->sim, (uint32_t)o->w, (uint32_t)o->h,
				      o->px, o->stride);
		return im ? qxl_sim_copy(&p->sim, 0, o->x, o->y, im) : NULL;
	case OP_FILL:
		return qxl_sim_fill(&p->sim, 0, o->x, o->y, o->x + o->w,
				    o->y + o->h, o->color);
	default:
		return qxl_sim_copy_bits(&p->sim, 0, o->x, o->y, o->x + o->w,
					 o->y + o->h, o->x + o->dx,
					 o->y + o->dy);
	}
}

/* Build and push o; when the guest RAM is full, the frame so far is
 * played first and the RAM reused. */
static int queue(struct qxl_play *p, const struct op *o)
{
	struct qxl_drawable *d = build(p, o);

	if (!d) {
		if (qxl_play_flush(p))
			return -1;
		d = build(p, o);
	}
	if (!d) {
		snprintf(p->error, sizeof(p->error), "a %dx%d drawing does "
			 "not fit in the guest's RAM", o->w, o->h);
		return -1;
	}
	if (qxl_sim_push_cmd(&p->sim, QXL_CMD_DRAW, qxl_sim_phys(&p->sim, d)) ||
	    qxl_sim_bug(&p->sim))
		return -1;
	return 0;
}

int qxl_play_rect(struct qxl_play *p, const uint32_t *px, uint32_t width,
		  uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	uint32_t rows = MAX(BAND_BYTES / 4 / MAX(w, 1u), 1u), y0;
	struct op o = { .kind = OP_COPY, .x = (int)x, .w = (int)w,
			.stride = width };

	for (y0 = y; y0 < y + h; y0 += rows) {
		o.y = (int)y0;
		o.h = (int)MIN(rows, y + h - y0);
		o.px = px + (size_t)y0 * width + x;
		if (queue(p, &o))
			return -1;
	}
	return 0;
}

int qxl_play_fill(struct qxl_play *p, uint32_t x, uint32_t y, uint32_t w,
		  uint32_t h, uint32_t color)
{
	const struct op o = { .kind = OP_FILL, .x = (int)x, .y = (int)y,
			      .w = (int)w, .h = (int)h, .color = color };

	return queue(p, &o);
}

int qxl_play_scroll(struct qxl_play *p, uint32_t x, uint32_t y, uint32_t w,
		    uint32_t h, int dx, int dy)
{
	const struct op o = { .kind = OP_SCROLL, .x = (int)x, .y = (int)y,
			      .w = (int)w, .h = (int)h, .dx = dx, .dy = dy };

	return queue(p, &o);
}

/* The cursor's SET is held by the device while it is shown: it goes
 * below the mark, with the primary. */
int qxl_play_cursor(struct qxl_play *p, const uint32_t *argb, uint16_t w,
		    uint16_t h, uint16_t hot_x, uint16_t hot_y)
{
	struct qxl_cursor *cur;
	struct qxl_cursor_cmd *c;

	if (qxl_play_flush(p))
		return -1;
	cur = qxl_sim_cursor(&p->sim, QXL_CURSOR_TYPE_ALPHA, w, h,
			     (uint32_t)w * h * 4);
	c = cur ? qxl_sim_cursor_cmd(&p->sim, QXL_CURSOR_SET, cur) : NULL;
	if (!c)
		return -1;
	cur->header.hot_spot_x = hot_x;
	cur->header.hot_spot_y = hot_y;
	memcpy(cur->chunk.data, argb, (size_t)w * h * 4);
	p->mark = qxl_sim_mark(&p->sim);
	if (qxl_sim_push_cursor(&p->sim, QXL_CMD_CURSOR,
				qxl_sim_phys(&p->sim, c)))
		return -1;
	return qxl_play_flush(p);
}
