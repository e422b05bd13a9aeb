// SPDX-License-Identifier: MIT
/*
 * test_written.c - the device tells its host every byte of BAR memory it
 * writes (qxl_device_host_areas + qxl_host_ops.mem_written), so that a
 * migration's last pass can resend only that and still leave the
 * destination's BAR memory equal to the source's.
 *
 * Each case lets the guest queue its commands, copies the BARs, then
 * lets only the device work, and compares: every byte that changed must
 * lie in an area listed afterwards or in a range reported meanwhile.
 */
#include <stdlib.h>

#include "harness.h"

#define N_BARS 3	/* RAM, VRAM, ROM: the ones with host memory */

static struct {
	uint8_t *base[N_BARS];
	uint64_t size[N_BARS];
	uint8_t *before[N_BARS];
	uint8_t *reported[N_BARS];	/* 1: mem_written, 2: an area */
	int bad_reports;
} w;

static int slot_of(unsigned int bar)
{
	switch (bar) {
	case QXL_RAM_RANGE_INDEX:
		return 0;
	case QXL_VRAM_RANGE_INDEX:
		return 1;
	case QXL_ROM_RANGE_INDEX:
		return 2;
	default:
		return -1;
	}
}

static void mark(unsigned int bar, uint64_t offset, uint64_t size,
		 uint8_t how)
{
	int k = slot_of(bar);

	if (k < 0 || offset > w.size[k] || size > w.size[k] - offset) {
		printf("#   bad report: bar %u offset %llu size %llu\n", bar,
		       (unsigned long long)offset, (unsigned long long)size);
		w.bad_reports++;
		return;
	}
	memset(w.reported[k] + offset, how, size);
}

static void on_written(void *opaque, unsigned int bar, uint64_t offset,
		       uint64_t size)
{
	(void)opaque;
	mark(bar, offset, size, 1);
}

static void on_area(void *opaque, unsigned int bar, uint64_t offset,
		    uint64_t size)
{
	(void)opaque;
	mark(bar, offset, size, 2);
}

static struct qxl_sim_ops ops;
static const struct qxl_sim_ops *old_ops;

/* From here on, only the device writes: copy the BARs, listen. */
static void watch(struct guest *g)
{
	unsigned int bars[N_BARS] = { QXL_RAM_RANGE_INDEX,
				      QXL_VRAM_RANGE_INDEX,
				      QXL_ROM_RANGE_INDEX };
	int k;

	memset(&w, 0, sizeof(w));
	for (k = 0; k < N_BARS; k++) {
		w.base[k] = qxl_device_bar_ptr(g->sim.dev, bars[k]);
		w.size[k] = qxl_device_bar_size(g->sim.dev, bars[k]);
		w.before[k] = malloc(w.size[k]);
		w.reported[k] = calloc(1, w.size[k]);
		if (!w.base[k] || !w.before[k] || !w.reported[k])
			abort();
		memcpy(w.before[k], w.base[k], w.size[k]);
	}
	old_ops = g->sim.ops;
	if (g->sim.ops)
		ops = *g->sim.ops;
	ops.mem_written = on_written;
	g->sim.ops = &ops;
}

/*
 * The VM stops: the areas are listed.  Returns the bytes that changed
 * and were not reported; *by_write gets those reported only through
 * mem_written.
 */
static uint64_t unreported(struct guest *g, uint64_t *by_write)
{
	uint64_t missed = 0, i;
	int k;

	qxl_device_host_areas(g->sim.dev, on_area, NULL);
	g->sim.ops = old_ops;
	*by_write = 0;
	for (k = 0; k < N_BARS; k++) {
		for (i = 0; i < w.size[k]; i++) {
			if (w.base[k][i] == w.before[k][i])
				continue;
			if (!w.reported[k][i]) {
				if (missed < 8)
					printf("#   unreported: slot %d at %llu\n",
					       k, (unsigned long long)i);
				missed++;
			} else if (w.reported[k][i] == 1) {
				(*by_write)++;
			}
		}
		free(w.before[k]);
		free(w.reported[k]);
	}
	CHECK_EQ(w.bad_reports, 0);
	return missed;
}

static struct qxl_drawable *copy_bits(struct guest *g, int l, int t, int r,
				      int b, int sx, int sy)
{
	struct qxl_drawable *d = g_drawable(g, QXL_COPY_BITS, 0, l, t, r, b);

	d->u.copy_bits.src_pos.x = sx;
	d->u.copy_bits.src_pos.y = sy;
	return d;
}

static struct qxl_surface_cmd *surface(struct guest *g, uint32_t id,
				       uint8_t type)
{
	return g_surface_cmd(g, NULL, id, type, 16, 16,
			     type == QXL_SURFACE_CMD_CREATE ?
			     g_valloc(g, 16 * 64) : NULL);
}

static struct qxl_cursor_cmd *cursor(struct guest *g, uint8_t type)
{
	struct qxl_cursor *cur = NULL;

	if (type == QXL_CURSOR_SET) {
		cur = g_cursor(g, QXL_CURSOR_TYPE_ALPHA, 4, 4, 64);
		memset(cur->chunk.data, 0x7f, 64);
	}
	return g_cursor_cmd(g, type, cur);
}

static void queue(struct guest *g, uint32_t type, void *cmd)
{
	CHECK(g_queue_cmd(g, type, g_phys(g, cmd)) >= 0);
}

/* A primary, surface 2 with pixels, all done before watching. */
static void setup(struct guest *g)
{
	g_init(g);
	g_create_primary(g, 64, 32, 256, QXL_SURFACE_FMT_32_xRGB);
	g_submit(g, QXL_CMD_SURFACE, surface(g, 2, QXL_SURFACE_CMD_CREATE));
	g_submit(g, QXL_CMD_DRAW, g_fill(g, 2, 0, 0, 16, 16, 0x445566));
}

/*
 * Draws, a surface made and one destroyed, the cursor, an UPDATE_AREA
 * and FLUSH_RELEASE: what the guest queued, then only the device.
 */
static void device_work(struct guest *g)
{
	struct qxl_cursor_cmd *set = cursor(g, QXL_CURSOR_SET);
	struct qxl_cursor_cmd *move = cursor(g, QXL_CURSOR_MOVE);
	int i;

	move->u.position.x = 5;
	move->u.position.y = 6;
	queue(g, QXL_CMD_SURFACE, surface(g, 1, QXL_SURFACE_CMD_CREATE));
	for (i = 0; i < 12; i++)
		queue(g, QXL_CMD_DRAW,
		      g_fill(g, i % 2, i, i, i + 9, i + 7,
			     0x010203u * (uint32_t)(i + 1)));
	queue(g, QXL_CMD_DRAW, copy_bits(g, 20, 2, 60, 30, 10, 0));
	queue(g, QXL_CMD_SURFACE, surface(g, 2, QXL_SURFACE_CMD_DESTROY));
	CHECK(qxl_sim_queue_cursor(&g->sim, QXL_CMD_CURSOR,
				   g_phys(g, set)) >= 0);
	CHECK(qxl_sim_queue_cursor(&g->sim, QXL_CMD_CURSOR,
				   g_phys(g, move)) >= 0);
	g->sim.ramh->update_area = (struct qxl_rect){ 0, 0, 32, 64 };
	g->sim.ramh->update_surface = 0;

	watch(g);
	g_io(g, QXL_IO_NOTIFY_CMD, 0);
	g_io(g, QXL_IO_NOTIFY_CURSOR, 0);
	g_deferred(g);
	g_io(g, QXL_IO_UPDATE_AREA, 0);
	g_io(g, QXL_IO_FLUSH_RELEASE, 0);
}

static void device_writes_all_reported_with_surfaces_live(void)
{
	uint64_t by_write;
	struct guest g;

	setup(&g);
	device_work(&g);
	CHECK(!g_bug(&g));
	CHECK(g.sim.mem_writes > 0);
	CHECK_EQ(unreported(&g, &by_write), 0);
	/* The releases and surface 2's pixels lie outside the areas. */
	CHECK(by_write > 0);
	g_fini(&g);
}

static void device_writes_all_reported_when_surfaces_are_destroyed(void)
{
	uint64_t by_write;
	struct guest g;

	setup(&g);
	device_work(&g);
	g_io(&g, QXL_IO_DESTROY_ALL_SURFACES, 0);
	CHECK(!g_bug(&g));
	CHECK_EQ(unreported(&g, &by_write), 0);
	g_fini(&g);
}

const struct test tests_written[] = {
	{ "device_writes_all_reported_with_surfaces_live",
	  device_writes_all_reported_with_surfaces_live },
	{ "device_writes_all_reported_when_surfaces_are_destroyed",
	  device_writes_all_reported_when_surfaces_are_destroyed },
	{ NULL, NULL },
};
