/* SPDX-License-Identifier: MIT */
/*
 * harness.h - plays the guest against the hw-qxl core in-process: guest
 * RAM is the device's own BARs, mapped at fixed guest-physical addresses
 * through PCI config writes; IRQ, deferred work, log and display sink
 * are recorded for the tests to check.
 */
#ifndef HWQXL_HARNESS_H
#define HWQXL_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qxl_device.h"

#define G_RAM_GPA	0xe0000000ull
#define G_VRAM_GPA	0xd0000000ull
#define G_ROM_GPA	0xcfff0000ull
#define G_IO_PORT	0xc000u
#define G_SLOT_RAM	1
#define G_SLOT_VRAM	2

struct guest {
	struct qxl_device *dev;
	uint8_t *ram, *vram, *rom;
	uint64_t ram_size, vram_size;
	struct qxl_ram_header *ramh;
	const struct qxl_rom *romp;
	uint64_t ram_next;	/* bump allocator in the RAM pages */
	uint64_t vram_next;	/* bump allocator in VRAM */
	/* host side */
	int irq;
	int irq_changes;
	int schedules;
	int logs;
	int guest_errors;
	char last_log[600];
	/* sink side */
	int primary_creates, primary_destroys, damages, flushes;
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
	int mode_changes;
	bool native;
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

void g_init_cfg(struct guest *g, const struct qxl_device_config *cfg);
void g_init(struct guest *g);	/* small default device, slots added */
void g_fini(struct guest *g);
void g_add_slots(struct guest *g);
void g_io(struct guest *g, unsigned int port, uint8_t val);
void g_deferred(struct guest *g);	/* run scheduled work */
qxl_phys g_phys(struct guest *g, const void *host);
void *g_host(struct guest *g, qxl_phys phys);
void *g_alloc(struct guest *g, size_t size);
void *g_valloc(struct guest *g, size_t size);
int g_create_primary(struct guest *g, uint32_t w, uint32_t h,
		     int32_t stride, uint32_t format);
/* Push on a ring; kick the device (NOTIFY_*) when the ring asks for it. */
void g_push_cmd(struct guest *g, uint32_t type, qxl_phys data);
void g_push_cursor(struct guest *g, uint32_t type, qxl_phys data);
/* Push without kicking. */
void g_queue_cmd(struct guest *g, uint32_t type, qxl_phys data);
/* Push the command at cmd (guest RAM) and kick the device in any case. */
void g_submit(struct guest *g, uint32_t type, const void *cmd);
void g_submit_cursor(struct guest *g, const void *cmd);
/* Pop the release ring; store ids; returns how many. */
int g_releases(struct guest *g, uint64_t *ids, int max);
uint32_t g_px(struct guest *g, int x, int y);	/* primary pixel */
void g_set_px(struct guest *g, int x, int y, uint32_t v);

/* Command builders (all in guest RAM). */
struct qxl_drawable *g_drawable(struct guest *g, uint8_t type,
				uint32_t surface_id, int l, int t, int r,
				int b);
struct qxl_image *g_bitmap(struct guest *g, uint8_t fmt, uint32_t w,
			   uint32_t h, uint32_t stride, uint8_t flags,
			   const void *pixels, const uint32_t *pal,
			   unsigned int n_pal);
struct qxl_image *g_bitmap32(struct guest *g, uint32_t w, uint32_t h,
			     const uint32_t *px);
qxl_phys g_clip_rects(struct guest *g, const struct qxl_rect *r, unsigned n);
/*
 * A surface command at sc (NULL: a new one), cleared first: w x h xRGB,
 * stride w * 4, its memory at mem (NULL: none).
 */
struct qxl_surface_cmd *g_surface_cmd(struct guest *g,
				      struct qxl_surface_cmd *sc, uint32_t id,
				      uint8_t type, uint32_t w, uint32_t h,
				      void *mem);
/* A cursor shape whose one chunk holds bytes (data_size says the same). */
struct qxl_cursor *g_cursor(struct guest *g, uint16_t type, uint16_t w,
			    uint16_t h, uint32_t bytes);
/* A cursor command; a SET shows shape, visible. */
struct qxl_cursor_cmd *g_cursor_cmd(struct guest *g, uint8_t type,
				    const struct qxl_cursor *shape);
bool g_bug(struct guest *g);

#endif /* HWQXL_HARNESS_H */
