// SPDX-License-Identifier: MIT
/*
 * bench.c - hw-qxl benchmark (not a test): full-screen 1920x1080
 * DRAW_COPY render time as a ratio to memcpy of the same bytes in the
 * same run (goal <= 1.5), and command ring throughput in commands/s.
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"

#define BW 1920
#define BH 1080

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	struct qxl_device_config cfg;
	struct qxl_drawable *d;
	struct qxl_image *im;
	struct guest g;
	size_t bytes = (size_t)BW * BH * 4;
	double t_copy[31], t_mem[31], t0, ring_rate;
	uint8_t *src, *dst;
	uint64_t ids[64];
	int i, iters = 31, n_cmds = 200000;

	if (argc > 1) {
		printf("usage: %s\nPrints the DRAW_COPY/memcpy ratio and ring "
		       "throughput of the hw-qxl core.\n", argv[0]);
		return 0;
	}
	qxl_device_config_init(&cfg);
	cfg.vgamem_size = 16u << 20;
	cfg.ram_size = 32u << 20;
	g_init_cfg(&g, &cfg);
	g_add_slots(&g);
	g_create_primary(&g, BW, BH, BW * 4, QXL_SURFACE_FMT_32_xRGB);
	src = malloc(bytes);
	dst = malloc(bytes);
	for (i = 0; i < (int)bytes; i++)
		src[i] = (uint8_t)(i * 31);
	im = g_bitmap(&g, QXL_BITMAP_FMT_32BIT, BW, BH, BW * 4,
		      QXL_BITMAP_TOP_DOWN, src, NULL, 0);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 0, BW, BH);
	d->u.copy.src_bitmap = g_phys(&g, im);
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, BH, BW };
	d->u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	memcpy(dst, src, bytes);	/* warm both */
	for (i = 0; i < iters; i++) {
		t0 = now();
		d->release_info.id = g_phys(&g, d);
		g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, d));
		g_io(&g, QXL_IO_NOTIFY_CMD, 0);
		t_copy[i] = now() - t0;
		g_io(&g, QXL_IO_FLUSH_RELEASE, 0);
		g_releases(&g, ids, 64);
		t0 = now();
		memcpy(dst, g.primary.data, bytes);
		t_mem[i] = now() - t0;
	}
	if (qxl_device_guest_bug(g.sim.dev) || memcmp(g.primary.data, src, bytes)) {
		printf("bench: DRAW_COPY did not produce the source pixels\n");
		return 1;
	}
	{
		double c = median(t_copy, iters), m = median(t_mem, iters);

		printf("draw_copy_1920x1080: %.3f ms/frame, memcpy %.3f ms, "
		       "ratio %.2f (goal <= 1.5)\n", c * 1e3, m * 1e3, c / m);
	}

	/* Ring throughput: small solid fills, 1x1, through the ring. */
	d = g_drawable(&g, QXL_DRAW_FILL, 0, 0, 0, 1, 1);
	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = 0x123456;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	t0 = now();
	for (i = 0; i < n_cmds; i++) {
		struct qxl_ring_header *h = &g.sim.ramh->cmd_ring.hdr;
		uint32_t s = qxl_ring_prod_slot(h, 32);

		g.sim.ramh->cmd_ring.items[s].data = g_phys(&g, d);
		g.sim.ramh->cmd_ring.items[s].type = QXL_CMD_DRAW;
		if (qxl_ring_push(h) || qxl_ring_prod_full(h, 32))
			g_io(&g, QXL_IO_NOTIFY_CMD, 0);
		if ((i & 255) == 255)
			g_releases(&g, ids, 64);
	}
	g_io(&g, QXL_IO_NOTIFY_CMD, 0);
	ring_rate = n_cmds / (now() - t0);
	printf("ring_fill_1x1: %.0f commands/s\n", ring_rate);
	free(src);
	free(dst);
	g_fini(&g);
	return 0;
}
