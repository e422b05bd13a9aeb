// SPDX-License-Identifier: MIT
/* harness.c - the hw-qxl tests' host: simulator, SPICE adapter, recorder. */
#include <stdlib.h>

#include "harness.h"

int t_failed;

/* The simulator's hooks ------------------------------------------------- */

static void h_log(void *o, enum qxl_log_level level, const char *msg)
{
	(void)o;
	(void)level;
	if (getenv("HWQXL_VERBOSE"))
		printf("#   log: %s\n", msg);
}

/* As in QEMU: SPICE shows the device's own display in native mode only
 * (the VGA console's otherwise). */
static void h_mode_changed(void *o, bool native)
{
	struct guest *g = o;

	qxl_spice_set_active(g->spice, native);
}

static void h_out_of_memory(void *o, const char *what, size_t size)
{
	(void)o;
	printf("Bail out! %s exhausted (%zu bytes more)\n", what, size);
	exit(1);
}

static const struct qxl_sim_ops sim_ops = {
	.log = h_log,
	.mode_changed = h_mode_changed,
	.out_of_memory = h_out_of_memory,
};

/* The recording sink, behind the adapter -------------------------------- */

static void rec_primary_create(void *o, const struct qxl_primary_info *i)
{
	struct guest *g = o;

	g->primary_creates++;
	g->primary = *i;
}

static void rec_primary_destroy(void *o)
{
	((struct guest *)o)->primary_destroys++;
}

static void rec_damage(void *o, int x, int y, int w, int h)
{
	struct guest *g = o;

	if (!g->damages || x < g->dmg_x1)
		g->dmg_x1 = x;
	if (!g->damages || y < g->dmg_y1)
		g->dmg_y1 = y;
	if (!g->damages || x + w > g->dmg_x2)
		g->dmg_x2 = x + w;
	if (!g->damages || y + h > g->dmg_y2)
		g->dmg_y2 = y + h;
	g->damages++;
	/* The adapter told spice-core first: was its server woken? */
	if (g_main_context_pending(g->ctx))
		g->damages_woken++;
}

static void rec_flush(void *o)
{
	((struct guest *)o)->flushes++;
}

static void rec_cursor_set(void *o, const struct qxl_cursor_shape *s, int x,
			 int y, bool visible)
{
	struct guest *g = o;

	g->cursor_sets++;
	g->cursor_x = x;
	g->cursor_y = y;
	g->cursor_visible = visible;
	g->cursor_w = s->width;
	g->cursor_h = s->height;
	g->cursor_px0 = s->argb[0];
}

static void rec_cursor_move(void *o, int x, int y)
{
	struct guest *g = o;

	g->cursor_moves++;
	g->cursor_x = x;
	g->cursor_y = y;
}

static void rec_cursor_hide(void *o)
{
	struct guest *g = o;

	g->cursor_hides++;
	g->cursor_visible = false;
}

static void rec_monitors(void *o, unsigned int n,
		       const struct qxl_monitor_head *h)
{
	struct guest *g = o;

	g->mon_calls++;
	g->mon_n = n;
	memcpy(g->mons, h, n * sizeof(*h));
}

static const struct qxl_display_sink recorder = {
	.primary_create = rec_primary_create,
	.primary_destroy = rec_primary_destroy,
	.damage = rec_damage,
	.flush = rec_flush,
	.cursor_set = rec_cursor_set,
	.cursor_move = rec_cursor_move,
	.cursor_hide = rec_cursor_hide,
	.monitors_config = rec_monitors,
};

/* Life cycle ------------------------------------------------------------ */

/* A spice-core on a context of the test's own, never run: display-source
 * calls only record into its model, which snapshots read. */
static void spice_up(struct guest *g)
{
	struct spice_core_config cfg = { 0 };
	GError *err = NULL;

	cfg.context = g_main_context_new();
	cfg.port = -1;
	cfg.disable_ticketing = true;
	g->core = spice_core_new(&cfg, &err);
	g->ctx = cfg.context;
	if (!g->core) {
		printf("Bail out! spice_core_new: %s\n", err->message);
		exit(1);
	}
	g->display = spice_core_display_add(g->core, 0);
	g->spice = qxl_spice_new(g->display);
	if (!g->display || !g->spice) {
		printf("Bail out! no SPICE display\n");
		exit(1);
	}
	qxl_spice_chain(g->spice, &recorder, g);
	qxl_spice_set_active(g->spice, g->sim.native);
	qxl_spice_attach(g->spice, g->sim.dev);
}

void g_init_cfg(struct guest *g, const struct qxl_device_config *cfg)
{
	memset(g, 0, sizeof(*g));
	if (qxl_sim_init(&g->sim, cfg, &sim_ops, g)) {
		printf("Bail out! qxl_device_new failed: %s\n",
		       g->sim.last_log);
		exit(1);
	}
	spice_up(g);
}

void g_init(struct guest *g)
{
	g_init_cfg(g, NULL);
	g_add_slots(g);
}

void g_fini(struct guest *g)
{
	qxl_spice_free(g->spice);
	spice_core_free(g->core);
	g_main_context_unref(g->ctx);
	qxl_sim_fini(&g->sim);
	memset(g, 0, sizeof(*g));
}

/* SPICE's view ------------------------------------------------------- */

#define DIFF(cond, ...) do { if (cond) { printf("#   spice: " __VA_ARGS__); \
	printf("\n"); bad++; } } while (0)

/* A 16-bit channel widened to 8 bits as clients get it: its top bits
 * repeated below. */
static uint32_t widen(uint32_t v, unsigned int shift, unsigned int bits)
{
	uint32_t c = v >> shift & ((1u << bits) - 1);

	return c << (8 - bits) | c >> (2 * bits - 8);
}

/* The device's top-down primary as a client gets it (xRGB). */
static uint32_t device_px(const struct qxl_primary_info *p, uint32_t x,
			  uint32_t y)
{
	const uint8_t *row = p->data + (size_t)y * p->stride;
	unsigned int g;
	uint32_t v;
	uint16_t w;

	if (p->format != QXL_SURFACE_FMT_16_565 &&
	    p->format != QXL_SURFACE_FMT_16_555) {
		memcpy(&v, row + 4 * (size_t)x, 4);
		return v;
	}
	memcpy(&w, row + 2 * (size_t)x, 2);
	g = p->format == QXL_SURFACE_FMT_16_565 ? 6 : 5;
	return widen(w, 5 + g, 5) << 16 | widen(w, 5, g) << 8 | widen(w, 0, 5);
}

int g_spice_check(struct guest *g)
{
	struct spice_core_snapshot snap;
	struct qxl_primary_info p;
	struct qxl_cursor_shape cur;
	bool has_p = qxl_device_get_primary(g->sim.dev, &p), vis;
	uint32_t x, y, wrong = 0;
	int cx, cy, bad = 0;

	spice_core_display_snapshot(g->display, &snap);
	DIFF(snap.has_primary != has_p, "primary %d, device's %d",
	     snap.has_primary, has_p);
	if (snap.has_primary && has_p) {
		DIFF(snap.width != p.width || snap.height != p.height ||
		     snap.format != qxl_spice_format(p.format),
		     "%ux%u format %u, device's %ux%u format %u", snap.width,
		     snap.height, snap.format, p.width, p.height, p.format);
		for (y = 0; y < snap.height && y < p.height; y++)
			for (x = 0; x < snap.width && x < p.width; x++)
				if ((snap.pixels[(size_t)y * snap.width + x] ^
				     device_px(&p, x, y)) & 0xffffff &&
				    wrong++ < 3)
					printf("#   spice: pixel (%u,%u) %06x, "
					       "device's %06x\n", x, y,
					       snap.pixels[(size_t)y *
							   snap.width + x],
					       device_px(&p, x, y));
		DIFF(wrong, "%u pixels differ", wrong);
	}
	if (qxl_spice_active(g->spice) &&
	    qxl_device_get_cursor(g->sim.dev, &cur, &cx, &cy, &vis)) {
		DIFF(snap.cursor_visible != vis, "cursor visible %d, device's %d",
		     snap.cursor_visible, vis);
		DIFF(snap.cursor_x != cx || snap.cursor_y != cy,
		     "cursor at %d,%d, device's %d,%d", snap.cursor_x,
		     snap.cursor_y, cx, cy);
		DIFF(!snap.cursor || snap.cursor_width != cur.width ||
		     snap.cursor_height != cur.height ||
		     memcmp(snap.cursor, cur.argb,
			    (size_t)cur.width * cur.height * 4),
		     "cursor shape differs from the device's %ux%u",
		     cur.width, cur.height);
	}
	spice_core_snapshot_clear(&snap);
	return bad;
}

static void run_deferred_once(struct guest *g)
{
	if (g->sim.schedules) {
		g->sim.schedules = 0;
		qxl_device_run_deferred(g->sim.dev);
	}
}

void g_io(struct guest *g, unsigned int port, uint8_t val)
{
	qxl_sim_io(&g->sim, port, val);
	if (port == QXL_IO_NOTIFY_CMD)
		run_deferred_once(g);
}

int g_push_cmd(struct guest *g, uint32_t type, qxl_phys data)
{
	int r = qxl_sim_push_cmd(&g->sim, type, data);

	run_deferred_once(g);
	return r;
}

struct qxl_drawable *g_fill(struct guest *g, uint32_t surface_id, int l,
			    int t, int r, int b, uint32_t color)
{
	struct qxl_drawable *d = g_drawable(g, QXL_DRAW_FILL, surface_id,
					    l, t, r, b);

	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = color;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	return d;
}
