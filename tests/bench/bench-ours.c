// SPDX-License-Identifier: MIT
/*
 * bench-ours: a workload (workload.h) played through this project's real
 * path: the guest side of the device simulator builds QXL commands in the
 * device's RAM, the device (hw-qxl) renders them and reports to its
 * display sink, the adapter (hw-qxl/spice) turns that into spice-core
 * display calls, spice-core serves a client over a socket.
 *
 *   bench-ours --workload NAME [--streaming-video]
 *
 * Prints "port N" and waits for "go" on stdin; plays the frames at the
 * workload's rate, prints "played", waits for "stop", then prints what it
 * measured: "cpu_ms" (the process's CPU time since "go", all threads,
 * less the guest side's: generating the frames and building commands),
 * "guest_ms", "bytes_sent", and "submit I USEC" per frame (CLOCK_MONOTONIC
 * when the frame's commands were handed to the device).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <spice-core/spice-core.h>

#include "hw-qxl/sim/qxl_sim.h"
#include "hw-qxl/spice/qxl_spice.h"
#include "workload.h"
#include "bench-util.h"

static struct qxl_sim sim;
static struct qxl_spice *adapter;

static void on_mode(void *opaque, bool native)
{
	(void)opaque;
	if (adapter)
		qxl_spice_set_active(adapter, native);
}

static void on_log(void *opaque, enum qxl_log_level level, const char *msg)
{
	(void)opaque;
	if (level == QXL_LOG_GUEST_ERROR)
		fprintf(stderr, "bench-ours: device: %s\n", msg);
}

static const struct qxl_sim_ops sim_ops = { .log = on_log,
					    .mode_changed = on_mode };

/* The frame's drawables in guest RAM; NULL on out of memory. */
static int build(const struct wl_frame *f, qxl_phys *cmds)
{
	int i;

	for (i = 0; i < f->n; i++) {
		const struct wl_op *o = &f->ops[i];
		struct qxl_drawable *d = NULL;
		struct qxl_image *im;

		switch (o->kind) {
		case WL_FILL:
			d = qxl_sim_fill(&sim, 0, o->x, o->y, o->x + o->w,
					 o->y + o->h, o->color);
			break;
		case WL_BLIT:
			im = qxl_sim_bitmap32(&sim, (uint32_t)o->w,
					      (uint32_t)o->h, o->px, o->stride);
			if (im && o->cache_id) {
				im->descriptor.id = o->cache_id;
				im->descriptor.flags |= QXL_IMAGE_CACHE;
			}
			d = im ? qxl_sim_copy(&sim, 0, o->x, o->y, im) : NULL;
			break;
		case WL_COPYBITS:
			d = qxl_sim_copy_bits(&sim, 0, o->x, o->y, o->x + o->w,
					      o->y + o->h, o->src_x, o->src_y);
			break;
		}
		if (!d)
			return -1;
		cmds[i] = qxl_sim_phys(&sim, d);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	struct spice_core_config cfg = { 0 };
	struct qxl_device_config dcfg;
	struct spice_core_stats st;
	struct workload *wl;
	SpiceCoreDisplay *display;
	SpiceCore *core;
	GError *err = NULL;
	static struct wl_frame f;
	qxl_phys cmds[WL_MAX_OPS];
	uint64_t mark, *submit;
	double guest_ms = 0, cpu0;
	int i, n, k;
	char line[64];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--workload") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--streaming-video"))
			cfg.video_streaming = true;
		else
			bench_die("usage: bench-ours --workload NAME "
				  "[--streaming-video]");
	}
	wl = name ? wl_new(name) : NULL;
	if (!wl)
		bench_die("unknown workload");
	n = wl_count(wl);
	submit = calloc((size_t)n + 1, sizeof(*submit));

	cfg.addr = "127.0.0.1";
	cfg.port = -1;
	cfg.disable_ticketing = true;
	core = spice_core_new(&cfg, &err);
	if (!core)
		bench_die(err->message);
	display = spice_core_display_add(core, 0);

	qxl_device_config_init(&dcfg);
	dcfg.vgamem_size = 16u << 20;
	dcfg.ram_size = 64u << 20;
	dcfg.vram_size = 1u << 20;
	dcfg.n_surfaces = 16;
	if (qxl_sim_init(&sim, &dcfg, &sim_ops, NULL))
		bench_die("cannot create the device");
	adapter = qxl_spice_new(display);
	qxl_spice_set_active(adapter, sim.native);
	qxl_spice_attach(adapter, sim.dev);
	qxl_sim_add_slots(&sim);
	if (qxl_sim_create_primary(&sim, WL_W, WL_H, WL_W * 4,
				   QXL_SURFACE_FMT_32_xRGB))
		bench_die("the device refused the primary");
	mark = qxl_sim_mark(&sim);

	/* The first picture, before the client comes. */
	wl_frame(wl, 0, &f);
	if (build(&f, cmds))
		bench_die("frame 0 does not fit the device's RAM");
	for (k = 0; k < f.n; k++)
		qxl_sim_push_cmd(&sim, QXL_CMD_DRAW, cmds[k]);
	qxl_sim_sync(&sim);
	qxl_sim_rewind(&sim, mark);

	printf("port %d\n", spice_core_get_port(core));
	fflush(stdout);
	bench_wait_line("go");
	cpu0 = bench_process_cpu_ms();
	bench_pace_start(wl_fps(wl));
	for (i = 1; i <= n; i++) {
		double g0;

		bench_pace_wait(i);
		g0 = bench_thread_cpu_ms();
		wl_frame(wl, i, &f);
		if (build(&f, cmds))
			bench_die("a frame does not fit the device's RAM");
		guest_ms += bench_thread_cpu_ms() - g0;
		submit[i] = bench_now_us();
		for (k = 0; k < f.n; k++)
			qxl_sim_push_cmd(&sim, QXL_CMD_DRAW, cmds[k]);
		if (qxl_sim_sync(&sim) < 0)
			bench_die("guest bug");
		qxl_sim_rewind(&sim, mark);
	}
	printf("played\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) && strncmp(line, "stop", 4))
		;
	spice_core_get_stats(core, &st);
	printf("cpu_ms %.3f\nguest_ms %.3f\nbytes_sent %llu\n",
	       bench_process_cpu_ms() - cpu0 - guest_ms, guest_ms,
	       (unsigned long long)st.bytes_sent);
	printf("stats copies=%llu moves=%llu cache_hits=%llu cache_adds=%llu "
	       "quic=%llu lz4=%llu lz=%llu raw=%llu fills=%llu streams=%llu\n",
	       (unsigned long long)st.copies, (unsigned long long)st.moves,
	       (unsigned long long)st.cache_hits,
	       (unsigned long long)st.cache_adds,
	       (unsigned long long)st.images_quic,
	       (unsigned long long)st.images_lz4,
	       (unsigned long long)st.images_lz,
	       (unsigned long long)st.images_raw,
	       (unsigned long long)st.fills, (unsigned long long)st.streams);
	for (i = 1; i <= n; i++)
		printf("submit %d %llu\n", i, (unsigned long long)submit[i]);
	printf("end\n");
	fflush(stdout);
	qxl_spice_free(adapter);
	qxl_sim_fini(&sim);
	spice_core_free(core);
	wl_free(wl);
	free(submit);
	return 0;
}
