/* SPDX-License-Identifier: MIT */
/*
 * qxl_sim.h - the device simulator: a hw-qxl device and an in-process
 * guest driving it, the way a driver would, through the public API only.
 *
 * The guest's RAM is the device's own BAR memory, mapped at fixed guest
 * physical addresses by PCI config writes (as firmware does); memslot 1
 * covers BAR0 and memslot 2 BAR1.  The guest allocates commands, images
 * and surfaces in the BAR pages (bump allocators that a player rewinds
 * between frames), pushes them on the rings and kicks the device through
 * its ports.  The host side records the IRQ line, deferred-work requests,
 * logs and mode changes; deferred work runs when the guest asks
 * (qxl_sim_deferred).  The display sink is the caller's
 * (qxl_device_set_sink, e.g. the SPICE adapter in hw-qxl/spice/).
 *
 * Users: the hw-qxl tests (tests/hw-qxl/harness.h, a thin layer over
 * this), spice-serve --qxl (pictures and animations as QXL commands) and
 * benchmarks that feed a deterministic command stream through the real
 * path.  Single-threaded, like the device.
 */
#ifndef QXL_SIM_H
#define QXL_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../qxl_device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where the simulated firmware maps the BARs. */
#define QXL_SIM_RAM_GPA		0xe0000000ull
#define QXL_SIM_VRAM_GPA	0xd0000000ull
#define QXL_SIM_ROM_GPA		0xcfff0000ull
#define QXL_SIM_IO_PORT		0xc000u
/* The memslots qxl_sim_add_slots() adds. */
#define QXL_SIM_SLOT_RAM	1
#define QXL_SIM_SLOT_VRAM	2

/* Optional hooks (any may be NULL). */
struct qxl_sim_ops {
	/* The device's log lines (after the simulator counted them). */
	void (*log)(void *opaque, enum qxl_log_level level, const char *msg);
	/* The device entered (native) or left native mode. */
	void (*mode_changed)(void *opaque, bool native);
	/* An allocation did not fit in the BAR pages; the builder returns
	 * NULL after this returns. */
	void (*out_of_memory)(void *opaque, const char *what, size_t size);
	/* The device told the host it wrote BAR memory (mem_written). */
	void (*mem_written)(void *opaque, unsigned int bar, uint64_t offset,
			    uint64_t size);
};

struct qxl_sim {
	struct qxl_device *dev;
	/* The guest's view of the BARs. */
	uint8_t *ram, *vram, *rom;
	uint64_t ram_size, vram_size;
	struct qxl_ram_header *ramh;
	const struct qxl_rom *romp;
	uint64_t ram_next;	/* bump allocator in the BAR0 pages */
	uint64_t vram_next;	/* bump allocator in VRAM */
	/* The host side, recorded. */
	int irq;		/* the INTx level */
	int irq_changes;
	int schedules;		/* deferred-work requests not yet run */
	int logs;
	int guest_errors;
	int mode_changes;
	int mem_writes;		/* mem_written reports */
	bool native;
	char last_log[600];
	const struct qxl_sim_ops *ops;
	void *opaque;
};

/*
 * Create the device with cfg (NULL: a small one, 8 MiB vgamem, 16 MiB
 * RAM, 4 MiB VRAM, 64 surfaces) and map its BARs.  No memslot yet.
 * -1 if the device cannot be created (the reason went to ops->log).
 */
int qxl_sim_init(struct qxl_sim *s, const struct qxl_device_config *cfg,
		 const struct qxl_sim_ops *ops, void *opaque);
void qxl_sim_fini(struct qxl_sim *s);
/* Memslots QXL_SIM_SLOT_RAM (all of BAR0) and _VRAM (all of BAR1). */
void qxl_sim_add_slots(struct qxl_sim *s);

/* Port write (QXL_IO_*). */
void qxl_sim_io(struct qxl_sim *s, unsigned int port, uint8_t val);
/* Run the deferred work the device asked for, until it asks no more. */
void qxl_sim_deferred(struct qxl_sim *s);
/* True after a guest bug. */
bool qxl_sim_bug(struct qxl_sim *s);

/* Guest memory ------------------------------------------------------- */

/* A guest (memslot) address for host memory in BAR0 or BAR1, and back. */
qxl_phys qxl_sim_phys(struct qxl_sim *s, const void *host);
void *qxl_sim_host(struct qxl_sim *s, qxl_phys phys);
/* size zeroed bytes in the BAR0 pages (8-aligned) or VRAM (64-aligned);
 * NULL (after ops->out_of_memory) when they do not fit. */
void *qxl_sim_alloc(struct qxl_sim *s, size_t size);
void *qxl_sim_valloc(struct qxl_sim *s, size_t size);
/*
 * The BAR0 allocator's position, and a rewind to it: a player frees a
 * frame's commands at once, after the device released them all
 * (qxl_sim_sync).  Commands the device holds (a surface's CREATE, the
 * cursor's SET) must lie below the mark.
 */
uint64_t qxl_sim_mark(const struct qxl_sim *s);
void qxl_sim_rewind(struct qxl_sim *s, uint64_t mark);

/* Rings -------------------------------------------------------------- */

/*
 * Push a command on the command (cursor) ring: 1 when the device asked to
 * be kicked, 0 if not, -1 if the ring is full (nothing pushed).
 */
int qxl_sim_queue_cmd(struct qxl_sim *s, uint32_t type, qxl_phys data);
int qxl_sim_queue_cursor(struct qxl_sim *s, uint32_t type, qxl_phys data);
/*
 * Push, and kick (NOTIFY_CMD / NOTIFY_CURSOR) when the device asks; a
 * full ring is kicked and its deferred work run first.  -1 if the ring
 * stays full (the device consumes nothing, e.g. in VGA mode).
 */
int qxl_sim_push_cmd(struct qxl_sim *s, uint32_t type, qxl_phys data);
int qxl_sim_push_cursor(struct qxl_sim *s, uint32_t type, qxl_phys data);
/*
 * Push the command at cmd (guest memory), kick in any case, and run the
 * deferred work: the command is done on return.
 */
void qxl_sim_submit(struct qxl_sim *s, uint32_t type, const void *cmd);
void qxl_sim_submit_cursor(struct qxl_sim *s, const void *cmd);
/* Pop the release ring; store up to max ids (every id of each chain);
 * returns how many. */
int qxl_sim_releases(struct qxl_sim *s, uint64_t *ids, int max);
/*
 * A player's end of frame: kick both rings, run the deferred work, have
 * the device push its releases (FLUSH_RELEASE) and pop them.  Afterwards
 * the device holds only surface CREATEs and the cursor SET, so a frame's
 * other commands may be rewound (qxl_sim_rewind).  Returns the number of
 * ids popped, -1 after a guest bug.
 */
int qxl_sim_sync(struct qxl_sim *s);

/* The primary ---------------------------------------------------------- */

/* CREATE_PRIMARY of a w x h primary at BAR0 offset 0 (stride < 0:
 * bottom-up).  -1 after a guest bug. */
int qxl_sim_create_primary(struct qxl_sim *s, uint32_t w, uint32_t h,
			   int32_t stride, uint32_t format);
/* A 32-bit pixel of the primary, (0, 0) at the top left, as the display
 * sink sees it (qxl_device_get_primary); 0 without a primary. */
uint32_t qxl_sim_px(struct qxl_sim *s, int x, int y);
/* Write one where qxl_sim_px reads it: for a top-down primary, guest
 * memory, as the guest's CPU would (no damage). */
void qxl_sim_set_px(struct qxl_sim *s, int x, int y, uint32_t v);

/* Command builders (in guest RAM; NULL when out of memory) ----------- */

/* A drawable of type on surface_id with bbox (l, t, r, b): opaque
 * effect, no clip, no surfaces used; its release id is its address. */
struct qxl_drawable *qxl_sim_drawable(struct qxl_sim *s, uint8_t type,
				      uint32_t surface_id, int l, int t,
				      int r, int b);
/* A FILL of rect with a solid colour (ROP put). */
struct qxl_drawable *qxl_sim_fill(struct qxl_sim *s, uint32_t surface_id,
				  int l, int t, int r, int b, uint32_t color);
/* A COPY of image (all of it) to (x, y). */
struct qxl_drawable *qxl_sim_copy(struct qxl_sim *s, uint32_t surface_id,
				  int x, int y, const struct qxl_image *image);
/* A COPY_BITS: the pixels of (l, t, r, b) come from the same-sized
 * rectangle at (src_x, src_y). */
struct qxl_drawable *qxl_sim_copy_bits(struct qxl_sim *s,
				       uint32_t surface_id, int l, int t,
				       int r, int b, int src_x, int src_y);
/* A bitmap image, one chunk holding stride * h bytes of pixels; pal
 * (n_pal entries) for the palette formats, else NULL. */
struct qxl_image *qxl_sim_bitmap(struct qxl_sim *s, uint8_t fmt, uint32_t w,
				 uint32_t h, uint32_t stride, uint8_t flags,
				 const void *pixels, const uint32_t *pal,
				 unsigned int n_pal);
/* A top-down 32-bit bitmap of w * h pixels; px_stride pixels between
 * rows of px (0: w). */
struct qxl_image *qxl_sim_bitmap32(struct qxl_sim *s, uint32_t w, uint32_t h,
				   const uint32_t *px, uint32_t px_stride);
/* A clip rectangle list; its address, 0 when out of memory. */
qxl_phys qxl_sim_clip_rects(struct qxl_sim *s, const struct qxl_rect *r,
			    unsigned int n);
/*
 * A surface command at sc (NULL: a new one), cleared first: w x h xRGB,
 * stride w * 4, its memory at mem (NULL: none).
 */
struct qxl_surface_cmd *qxl_sim_surface_cmd(struct qxl_sim *s,
					    struct qxl_surface_cmd *sc,
					    uint32_t id, uint8_t type,
					    uint32_t w, uint32_t h, void *mem);
/* A cursor shape whose one chunk holds bytes (data_size says the same);
 * the caller fills cursor->chunk.data. */
struct qxl_cursor *qxl_sim_cursor(struct qxl_sim *s, uint16_t type,
				  uint16_t w, uint16_t h, uint32_t bytes);
/* A cursor command; a SET shows shape, visible, at (0, 0). */
struct qxl_cursor_cmd *qxl_sim_cursor_cmd(struct qxl_sim *s, uint8_t type,
					  const struct qxl_cursor *shape);

#ifdef __cplusplus
}
#endif

#endif /* QXL_SIM_H */
