// SPDX-License-Identifier: MIT
/*
 * bench-ref: a workload (workload.h) played through the reference server,
 * libspice-server (Debian's libspice-server1), by its QXL interface: the
 * same drawing operations as the same QXL commands (spice/qxl_dev.h) in a
 * memory slot that maps host addresses one to one, handed to its worker
 * by get_command, released by release_resource.  Our own SpiceCoreInterface
 * runs its timers and watches on a GLib main loop.
 *
 *   bench-ref --workload NAME [--compression auto_glz|auto_lz|quic|glz|lz|lz4|off]
 *             [--streaming-video]
 *
 * Talks on stdin/stdout as bench-ours does.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <glib.h>
#include <glib-unix.h>
#include <spice.h>

#include "workload.h"
#include "bench-util.h"

/* The core interface on the default GLib context ------------------------ */

struct SpiceTimer {
	SpiceTimerFunc func;
	void *opaque;
	GSource *src;
};

static SpiceTimer *timer_add(SpiceTimerFunc func, void *opaque)
{
	SpiceTimer *t = g_new0(SpiceTimer, 1);

	t->func = func;
	t->opaque = opaque;
	return t;
}

static gboolean timer_fire(gpointer data)
{
	SpiceTimer *t = data;

	g_source_unref(t->src);
	t->src = NULL;
	t->func(t->opaque);
	return G_SOURCE_REMOVE;
}

static void timer_cancel(SpiceTimer *t)
{
	if (t->src) {
		g_source_destroy(t->src);
		g_source_unref(t->src);
		t->src = NULL;
	}
}

static void timer_start(SpiceTimer *t, uint32_t ms)
{
	timer_cancel(t);
	t->src = g_timeout_source_new(ms);
	g_source_set_callback(t->src, timer_fire, t, NULL);
	g_source_attach(t->src, NULL);
}

static void timer_remove(SpiceTimer *t)
{
	timer_cancel(t);
	g_free(t);
}

struct SpiceWatch {
	int fd;
	int mask;
	SpiceWatchFunc func;
	void *opaque;
	GSource *src;
};

static gboolean watch_fire(gint fd, GIOCondition cond, gpointer data)
{
	SpiceWatch *w = data;
	int ev = 0;

	(void)fd;
	if (cond & (G_IO_IN | G_IO_HUP | G_IO_ERR))
		ev |= SPICE_WATCH_EVENT_READ;
	if (cond & G_IO_OUT)
		ev |= SPICE_WATCH_EVENT_WRITE;
	ev &= w->mask | (cond & (G_IO_HUP | G_IO_ERR) ?
			 SPICE_WATCH_EVENT_READ : 0);
	if (ev)
		w->func(w->fd, ev, w->opaque);
	return G_SOURCE_CONTINUE;
}

static void watch_update_mask(SpiceWatch *w, int mask)
{
	GIOCondition cond = 0;

	if (w->src) {
		g_source_destroy(w->src);
		g_source_unref(w->src);
		w->src = NULL;
	}
	w->mask = mask;
	if (mask & SPICE_WATCH_EVENT_READ)
		cond |= G_IO_IN | G_IO_HUP | G_IO_ERR;
	if (mask & SPICE_WATCH_EVENT_WRITE)
		cond |= G_IO_OUT;
	if (!cond)
		return;
	w->src = g_unix_fd_source_new(w->fd, cond);
	g_source_set_callback(w->src, (GSourceFunc)(void (*)(void))watch_fire,
			      w, NULL);
	g_source_attach(w->src, NULL);
}

static SpiceWatch *watch_add(int fd, int mask, SpiceWatchFunc func,
			     void *opaque)
{
	SpiceWatch *w = g_new0(SpiceWatch, 1);

	w->fd = fd;
	w->func = func;
	w->opaque = opaque;
	watch_update_mask(w, mask);
	return w;
}

static void watch_remove(SpiceWatch *w)
{
	watch_update_mask(w, 0);
	g_free(w);
}

static void channel_event(int event, SpiceChannelEventInfo *info)
{
	(void)event;
	(void)info;
}

static SpiceCoreInterface core_if = {
	.base = { .type = SPICE_INTERFACE_CORE,
		  .description = "bench core",
		  .major_version = SPICE_INTERFACE_CORE_MAJOR,
		  .minor_version = SPICE_INTERFACE_CORE_MINOR },
	.timer_add = timer_add,
	.timer_start = timer_start,
	.timer_cancel = timer_cancel,
	.timer_remove = timer_remove,
	.watch_add = watch_add,
	.watch_update_mask = watch_update_mask,
	.watch_remove = watch_remove,
	.channel_event = channel_event,
};

/* The QXL device: commands in a queue, host memory in slot 0 ------------- */

static GMutex q_lock;
static GQueue q = G_QUEUE_INIT;		/* QXLDrawable * */
static bool want_wakeup;
static QXLInstance qxl;
static uint8_t *primary;

static QXLPHYSICAL phys(const void *p)
{
	return (QXLPHYSICAL)(uintptr_t)p;
}

static void q_attached(QXLInstance *qin)
{
	(void)qin;
}

static void q_set_compression_level(QXLInstance *qin, int level)
{
	(void)qin;
	(void)level;
}

static void q_get_init_info(QXLInstance *qin, QXLDevInitInfo *info)
{
	(void)qin;
	memset(info, 0, sizeof(*info));
	info->num_memslots_groups = 1;
	info->num_memslots = 1;
	info->memslot_gen_bits = 1;
	info->memslot_id_bits = 1;
	info->qxl_ram_size = 1u << 30;
	info->internal_groupslot_id = 0;
	info->n_surfaces = 1;
}

static int q_get_command(QXLInstance *qin, struct QXLCommandExt *ext)
{
	QXLDrawable *d;

	(void)qin;
	g_mutex_lock(&q_lock);
	d = g_queue_pop_head(&q);
	g_mutex_unlock(&q_lock);
	if (!d)
		return 0;
	memset(ext, 0, sizeof(*ext));
	ext->cmd.data = phys(d);
	ext->cmd.type = QXL_CMD_DRAW;
	ext->group_id = 0;
	return 1;
}

static int q_req_cmd_notification(QXLInstance *qin)
{
	int ret;

	(void)qin;
	g_mutex_lock(&q_lock);
	ret = g_queue_is_empty(&q);
	want_wakeup = ret;
	g_mutex_unlock(&q_lock);
	return ret;
}

/* A drawable, its image and the pixels are one allocation: release frees
 * it. */
static void q_release_resource(QXLInstance *qin, struct QXLReleaseInfoExt ri)
{
	(void)qin;
	free((void *)(uintptr_t)ri.info->id);
}

static int q_get_cursor_command(QXLInstance *qin, struct QXLCommandExt *ext)
{
	(void)qin;
	(void)ext;
	return 0;
}

static int q_req_cursor_notification(QXLInstance *qin)
{
	(void)qin;
	return 1;
}

static void q_notify_update(QXLInstance *qin, uint32_t update_id)
{
	(void)qin;
	(void)update_id;
}

static int q_flush_resources(QXLInstance *qin)
{
	(void)qin;
	return 0;
}

static void q_async_complete(QXLInstance *qin, uint64_t cookie)
{
	(void)qin;
	(void)cookie;
}

static void q_update_area_complete(QXLInstance *qin, uint32_t surface_id,
				   struct QXLRect *rects, uint32_t n)
{
	(void)qin;
	(void)surface_id;
	(void)rects;
	(void)n;
}

static void q_set_client_capabilities(QXLInstance *qin, uint8_t present,
				      uint8_t caps[SPICE_CAPABILITIES_SIZE])
{
	(void)qin;
	(void)present;
	(void)caps;
}

static int q_client_monitors_config(QXLInstance *qin,
				    VDAgentMonitorsConfig *mc)
{
	(void)qin;
	(void)mc;
	return 0;
}

static const QXLInterface qxl_if = {
	.base = { .type = SPICE_INTERFACE_QXL,
		  .description = "bench qxl",
		  .major_version = SPICE_INTERFACE_QXL_MAJOR,
		  .minor_version = SPICE_INTERFACE_QXL_MINOR },
	{ .attached_worker = q_attached },
	.set_compression_level = q_set_compression_level,
	.get_init_info = q_get_init_info,
	.get_command = q_get_command,
	.req_cmd_notification = q_req_cmd_notification,
	.release_resource = q_release_resource,
	.get_cursor_command = q_get_cursor_command,
	.req_cursor_notification = q_req_cursor_notification,
	.notify_update = q_notify_update,
	.flush_resources = q_flush_resources,
	.async_complete = q_async_complete,
	.update_area_complete = q_update_area_complete,
	.set_client_capabilities = q_set_client_capabilities,
	.client_monitors_config = q_client_monitors_config,
};

static void set_rect(QXLRect *r, int x, int y, int w, int h)
{
	r->left = x;
	r->top = y;
	r->right = x + w;
	r->bottom = y + h;
}

static uint64_t next_image_id = 1;

/* One QXL drawable for op o (a guest driver's work). */
static QXLDrawable *build(const struct wl_op *o)
{
	size_t px_bytes = o->kind == WL_BLIT ? (size_t)o->w * o->h * 4 : 0;
	size_t size = sizeof(QXLDrawable) + sizeof(QXLImage) +
		      sizeof(QXLDataChunk) + px_bytes;
	uint8_t *block = calloc(1, size);
	QXLDrawable *d = (QXLDrawable *)block;
	int i;

	if (!block)
		bench_die("out of memory");
	d->release_info.id = (uint64_t)(uintptr_t)block;
	d->surface_id = 0;
	d->effect = QXL_EFFECT_OPAQUE;
	d->clip.type = SPICE_CLIP_TYPE_NONE;
	for (i = 0; i < 3; i++)
		d->surfaces_dest[i] = -1;
	set_rect(&d->bbox, o->x, o->y, o->w, o->h);
	switch (o->kind) {
	case WL_FILL:
		d->type = QXL_DRAW_FILL;
		d->u.fill.brush.type = SPICE_BRUSH_TYPE_SOLID;
		d->u.fill.brush.u.color = o->color;
		d->u.fill.rop_descriptor = SPICE_ROPD_OP_PUT;
		break;
	case WL_COPYBITS:
		d->type = QXL_COPY_BITS;
		d->u.copy_bits.src_pos.x = o->src_x;
		d->u.copy_bits.src_pos.y = o->src_y;
		break;
	case WL_BLIT: {
		QXLImage *im = (QXLImage *)(block + sizeof(QXLDrawable));
		QXLDataChunk *ch = (QXLDataChunk *)((uint8_t *)im +
						    sizeof(QXLImage));
		int y;

		d->type = QXL_DRAW_COPY;
		d->u.copy.src_bitmap = phys(im);
		set_rect(&d->u.copy.src_area, 0, 0, o->w, o->h);
		d->u.copy.rop_descriptor = SPICE_ROPD_OP_PUT;
		d->u.copy.scale_mode = SPICE_IMAGE_SCALE_MODE_NEAREST;
		im->descriptor.id = o->cache_id ? o->cache_id :
				    (1ull << 40) + next_image_id++;
		im->descriptor.type = SPICE_IMAGE_TYPE_BITMAP;
		im->descriptor.flags = o->cache_id ? QXL_IMAGE_CACHE : 0;
		im->descriptor.width = (uint32_t)o->w;
		im->descriptor.height = (uint32_t)o->h;
		im->bitmap.format = SPICE_BITMAP_FMT_32BIT;
		im->bitmap.flags = QXL_BITMAP_TOP_DOWN;
		im->bitmap.x = (uint32_t)o->w;
		im->bitmap.y = (uint32_t)o->h;
		im->bitmap.stride = (uint32_t)o->w * 4;
		im->bitmap.palette = 0;
		im->bitmap.data = phys(ch);
		ch->data_size = (uint32_t)px_bytes;
		for (y = 0; y < o->h; y++)
			memcpy(ch->data + (size_t)y * o->w * 4,
			       o->px + (size_t)y * o->stride, (size_t)o->w * 4);
		break;
	}
	}
	return d;
}

static void push(QXLDrawable **ds, int n)
{
	bool wake;
	int i;

	g_mutex_lock(&q_lock);
	for (i = 0; i < n; i++)
		g_queue_push_tail(&q, ds[i]);
	wake = want_wakeup;
	want_wakeup = false;
	g_mutex_unlock(&q_lock);
	if (wake || n)
		spice_qxl_wakeup(&qxl);
}

/* Playing ------------------------------------------------------------------- */

static struct workload *wl;
static int n_frames, cur;
static uint64_t *submit;
static double guest_ms, cpu0;
static GMainLoop *loop;

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		bench_die("no free port");
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static void play_frame(int i)
{
	static struct wl_frame f;
	QXLDrawable *ds[WL_MAX_OPS];
	double g0 = bench_thread_cpu_ms();
	int k;

	wl_frame(wl, i, &f);
	for (k = 0; k < f.n; k++)
		ds[k] = build(&f.ops[k]);
	if (i)
		guest_ms += bench_thread_cpu_ms() - g0;
	submit[i] = bench_now_us();
	push(ds, f.n);
}

static gboolean frame_tick(gpointer data);

/* A timer for frame cur's time (the loop keeps serving meanwhile). */
static void schedule_next(void)
{
	uint64_t due = bench_t0_us + (uint64_t)(cur - 1) * 1000000u /
				     (uint64_t)bench_fps;
	uint64_t now = bench_now_us();

	g_timeout_add(due > now ? (guint)((due - now + 999) / 1000) : 0,
		      frame_tick, NULL);
}

/* The next frame; "played" after the last. */
static gboolean frame_tick(gpointer data)
{
	(void)data;
	play_frame(cur++);
	if (cur > n_frames) {
		printf("played\n");
		fflush(stdout);
	} else {
		schedule_next();
	}
	return G_SOURCE_REMOVE;
}

static gboolean on_stdin(gint fd, GIOCondition cond, gpointer data)
{
	char line[64];
	ssize_t got;

	(void)cond;
	(void)data;
	got = read(fd, line, sizeof(line) - 1);
	if (got <= 0) {
		g_main_loop_quit(loop);
		return G_SOURCE_REMOVE;
	}
	line[got] = 0;
	if (strstr(line, "go")) {
		cpu0 = bench_process_cpu_ms();
		guest_ms = 0;
		bench_pace_start(wl_fps(wl));
		cur = 1;
		schedule_next();
	}
	if (strstr(line, "stop"))
		g_main_loop_quit(loop);
	return G_SOURCE_CONTINUE;
}

static int compression(const char *s)
{
	static const struct { const char *name; int v; } m[] = {
		{ "auto_glz", SPICE_IMAGE_COMPRESSION_AUTO_GLZ },
		{ "auto_lz", SPICE_IMAGE_COMPRESSION_AUTO_LZ },
		{ "quic", SPICE_IMAGE_COMPRESSION_QUIC },
		{ "glz", SPICE_IMAGE_COMPRESSION_GLZ },
		{ "lz", SPICE_IMAGE_COMPRESSION_LZ },
		{ "lz4", SPICE_IMAGE_COMPRESSION_LZ4 },
		{ "off", SPICE_IMAGE_COMPRESSION_OFF },
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(m); i++)
		if (!strcmp(s, m[i].name))
			return m[i].v;
	bench_die("unknown --compression");
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	int comp = SPICE_IMAGE_COMPRESSION_AUTO_GLZ, streaming = 0, i, port;
	QXLDevMemSlot slot = { 0 };
	QXLDevSurfaceCreate sc = { 0 };
	SpiceServer *server;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--workload") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--compression") && i + 1 < argc)
			comp = compression(argv[++i]);
		else if (!strcmp(argv[i], "--streaming-video"))
			streaming = 1;
		else
			bench_die("usage: bench-ref --workload NAME "
				  "[--compression MODE] [--streaming-video]");
	}
	wl = name ? wl_new(name) : NULL;
	if (!wl)
		bench_die("unknown workload");
	n_frames = wl_count(wl);
	submit = calloc((size_t)n_frames + 1, sizeof(*submit));
	loop = g_main_loop_new(NULL, FALSE);

	port = free_port();
	server = spice_server_new();
	spice_server_set_port(server, port);
	spice_server_set_addr(server, "127.0.0.1", 0);
	spice_server_set_noauth(server);
	spice_server_set_image_compression(server, comp);
	spice_server_set_jpeg_compression(server, SPICE_WAN_COMPRESSION_NEVER);
	spice_server_set_zlib_glz_compression(server,
					      SPICE_WAN_COMPRESSION_NEVER);
	spice_server_set_streaming_video(server, streaming ?
					 SPICE_STREAM_VIDEO_FILTER :
					 SPICE_STREAM_VIDEO_OFF);
	if (spice_server_init(server, &core_if))
		bench_die("spice_server_init failed");
	qxl.base.sif = &qxl_if.base;
	qxl.id = 0;
	spice_server_add_interface(server, &qxl.base);

	slot.slot_group_id = 0;
	slot.slot_id = 0;
	slot.generation = 0;
	slot.virt_start = 0;
	slot.virt_end = ~(uintptr_t)0 >> 2;	/* below the id and gen bits */
	slot.addr_delta = 0;
	slot.qxl_ram_size = 1u << 30;
	spice_qxl_add_memslot(&qxl, &slot);
	primary = calloc((size_t)WL_W * WL_H, 4);
	sc.width = WL_W;
	sc.height = WL_H;
	sc.stride = WL_W * 4;			/* top-down, as ours */
	sc.format = SPICE_SURFACE_FMT_32_xRGB;
	sc.mouse_mode = 0;
	sc.flags = 0;
	sc.type = 0;
	sc.mem = (uint64_t)(uintptr_t)primary;
	sc.group_id = 0;
	spice_qxl_create_primary_surface(&qxl, 0, &sc);
	spice_server_vm_start(server);

	play_frame(0);
	printf("port %d\n", port);
	fflush(stdout);
	g_unix_fd_add(0, G_IO_IN | G_IO_HUP, on_stdin, NULL);
	g_main_loop_run(loop);

	printf("cpu_ms %.3f\nguest_ms %.3f\n",
	       bench_process_cpu_ms() - cpu0 - guest_ms, guest_ms);
	for (i = 1; i <= n_frames; i++)
		printf("submit %d %llu\n", i, (unsigned long long)submit[i]);
	printf("end\n");
	fflush(stdout);
	spice_server_vm_stop(server);
	spice_server_destroy(server);
	_exit(0);
}
