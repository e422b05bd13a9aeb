/* SPDX-License-Identifier: MIT */
/*
 * harness.h - the hw-qxl tests' host: the device simulator
 * (hw-qxl/sim/qxl_sim.h: the device, its BARs mapped, the guest side)
 * whose display sink is the SPICE adapter (hw-qxl/spice/qxl_spice.h)
 * serving display 0 of a real in-process spice-core, with a recording
 * sink chained behind the adapter.  So every test runs the path QEMU
 * users run, device -> adapter -> spice-core, and can check what
 * spice-core serves (g_spice_check) against what the device drew.
 */
#ifndef HWQXL_HARNESS_H
#define HWQXL_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qxl_device.h"
#include "sim/qxl_sim.h"
#include "spice/qxl_spice.h"

struct guest {
	struct qxl_sim sim;	/* the device, the guest, the host's record */
	/* SPICE: the adapter, active in native mode as in QEMU */
	SpiceCore *core;
	SpiceCoreDisplay *display;
	struct qxl_spice *spice;
	GMainContext *ctx;	/* spice-core's, never run by the harness */
	/* the display sink's calls, recorded behind the adapter */
	int primary_creates, primary_destroys, damages, flushes;
	int damages_woken;	/* of them, seen with spice-core woken */
	struct qxl_primary_info primary;
	int dmg_x1, dmg_y1, dmg_x2, dmg_y2;	/* union of damage */
	int cursor_sets, cursor_moves, cursor_hides;
	int cursor_x, cursor_y;
	bool cursor_visible;
	uint32_t cursor_px0;	/* first ARGB pixel of the last shape */
	uint16_t cursor_w, cursor_h;
	int mon_calls;
	unsigned int mon_n;
	struct qxl_monitor_head mons[64];
};

/* Test bookkeeping (TAP). */
extern int t_failed;
#define CHECK(cond) do { if (!(cond)) { \
	printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	t_failed = 1; } } while (0)
#define CHECK_EQ(a, b) do { unsigned long long _a = (unsigned long long)(a), \
	_b = (unsigned long long)(b); if (_a != _b) { \
	printf("#   %s:%d: %s == 0x%llx, expected 0x%llx\n", __FILE__, \
	       __LINE__, #a, _a, _b); t_failed = 1; } } while (0)

struct test {
	const char *name;
	void (*fn)(void);
};

/* A device with cfg (its BARs mapped, no memslot), served over SPICE;
 * bails out if it cannot be created. */
void g_init_cfg(struct guest *g, const struct qxl_device_config *cfg);
void g_init(struct guest *g);	/* small default device, slots added */
void g_fini(struct guest *g);

/*
 * What spice-core serves on display 0 equals what the device shows: the
 * primary (size, format, every pixel of the device's top-down view as a
 * client gets it), or none; the cursor's shape, position and visibility.
 * Returns the number of differences, each printed.
 */
int g_spice_check(struct guest *g);

/*
 * A port write.  After a NOTIFY_CMD the host runs the device's deferred
 * work once, as QEMU's main loop does soon after a kick: the kicked
 * commands, up to the ring budget, are done on return.
 */
void g_io(struct guest *g, unsigned int port, uint8_t val);
/* qxl_sim_push_cmd, then the same: a kicked command is done on return. */
int g_push_cmd(struct guest *g, uint32_t type, qxl_phys data);
/* A solid DRAW_FILL of color over (l, t)-(r, b) on surface_id. */
struct qxl_drawable *g_fill(struct guest *g, uint32_t surface_id, int l,
			    int t, int r, int b, uint32_t color);

/* The simulator's guest side, on the test's guest (qxl_sim.h says what
 * each does; allocations that do not fit bail out). */
#define g_add_slots(g)		qxl_sim_add_slots(&(g)->sim)
#define g_deferred(g)		qxl_sim_deferred(&(g)->sim)
#define g_bug(g)		qxl_sim_bug(&(g)->sim)
#define g_phys(g, host)		qxl_sim_phys(&(g)->sim, host)
#define g_host(g, phys)		qxl_sim_host(&(g)->sim, phys)
#define g_alloc(g, size)	qxl_sim_alloc(&(g)->sim, size)
#define g_valloc(g, size)	qxl_sim_valloc(&(g)->sim, size)
#define g_create_primary(g, w, h, stride, format) \
	qxl_sim_create_primary(&(g)->sim, w, h, stride, format)
#define g_push_cursor(g, type, data) \
	qxl_sim_push_cursor(&(g)->sim, type, data)
#define g_queue_cmd(g, type, data) qxl_sim_queue_cmd(&(g)->sim, type, data)
#define g_submit(g, type, cmd)	qxl_sim_submit(&(g)->sim, type, cmd)
#define g_submit_cursor(g, cmd)	qxl_sim_submit_cursor(&(g)->sim, cmd)
#define g_releases(g, ids, max)	qxl_sim_releases(&(g)->sim, ids, max)
#define g_px(g, x, y)		qxl_sim_px(&(g)->sim, x, y)
#define g_set_px(g, x, y, v)	qxl_sim_set_px(&(g)->sim, x, y, v)
#define g_drawable(g, type, surface_id, l, t, r, b) \
	qxl_sim_drawable(&(g)->sim, type, surface_id, l, t, r, b)
#define g_bitmap(g, fmt, w, h, stride, flags, pixels, pal, n_pal) \
	qxl_sim_bitmap(&(g)->sim, fmt, w, h, stride, flags, pixels, pal, \
		       n_pal)
#define g_bitmap32(g, w, h, px)	qxl_sim_bitmap32(&(g)->sim, w, h, px, 0)
#define g_clip_rects(g, r, n)	qxl_sim_clip_rects(&(g)->sim, r, n)
#define g_surface_cmd(g, sc, id, type, w, h, mem) \
	qxl_sim_surface_cmd(&(g)->sim, sc, id, type, w, h, mem)
#define g_cursor(g, type, w, h, bytes) \
	qxl_sim_cursor(&(g)->sim, type, w, h, bytes)
#define g_cursor_cmd(g, type, shape) qxl_sim_cursor_cmd(&(g)->sim, type, shape)

#endif /* HWQXL_HARNESS_H */
