/* SPDX-License-Identifier: MIT */
/*
 * qxl_internal.h - device state shared by the hw-qxl core's files.
 * Not for hosts: they include qxl_device.h only.
 */
#ifndef QXL_INTERNAL_H
#define QXL_INTERNAL_H

#include <pixman.h>

#include "qxl_device.h"

#define QXL_ROM_SIZE		8192	/* struct qxl_rom + mode list, 2 pages */
#define QXL_DEFAULT_RING_BUDGET	64	/* commands per kick */
#define QXL_FREE_BUNCH_SIZE	32	/* releases collected before a push */
#define QXL_UPDATE_AREA_LIMIT	4096	/* commands drained by UPDATE_AREA */

/* Caps on guest-described data, so a hostile guest costs bounded work. */
#define QXL_MAX_CHUNKS		4096	  /* data chunks in one list */
#define QXL_MAX_IMAGE_BYTES	(256u << 20) /* one bitmap's pixel bytes */
#define QXL_MAX_CLIP_RECTS	4096	  /* rectangles in one clip list */
#define QXL_MAX_SURFACE_DIM	16384	  /* width or height of a surface */
#define QXL_MAX_IMAGE_DIM	16384	  /* width or height of a bitmap */
#define QXL_MAX_CURSOR_BYTES	(4u << 20)
/* Non-fatal guest errors logged per reset; the rest are counted only. */
#define QXL_GUEST_WARN_LIMIT	16

enum qxl_dev_mode {
	QXL_MODE_UNDEFINED,	/* no primary */
	QXL_MODE_VGA,		/* legacy VGA owns the display */
	QXL_MODE_COMPAT,	/* qxl-1 SET_MODE primary */
	QXL_MODE_NATIVE,	/* CREATE_PRIMARY primary */
};

/* A memslot, resolved at MEMSLOT_ADD time into a BAR range. */
struct qxl_slot {
	bool active;
	unsigned int bar;	/* BAR backing the slot */
	uint64_t bar_offset;	/* slot start inside the BAR */
	uint64_t size;		/* mem_end - mem_start */
	uint64_t delta;		/* subtracted from offsets (0; SET_MODE: gpa) */
	uint32_t generation;
};

/* A surface the device draws on: the primary (id 0) or an off-screen one. */
struct qxl_surface_state {
	bool live;
	uint32_t width;
	uint32_t height;
	int32_t stride;		/* guest's stride; negative = bottom-up */
	uint32_t format;	/* QXL_SURFACE_FMT_* */
	uint8_t *mem;		/* start of the |stride| * height block */
	uint8_t *line0;		/* top line */
	pixman_image_t *image;	/* wraps line0 with the signed stride */
	/*
	 * The CREATE command of an off-screen surface, held until the
	 * surface is destroyed: spice-server keeps it that long and Linux's
	 * qxl.ko writes the DESTROY into the same buffer, so it must not
	 * come back before (Documentation/qxl-device.rst, "Releases").
	 */
	uint8_t *create_cmd;
};

struct qxl_cursor_state {
	bool defined;
	bool visible;
	int x, y;
	uint64_t unique;
	uint16_t type;
	uint16_t width, height, hot_x, hot_y;
	uint32_t *argb;
	uint8_t *set_cmd;	/* the SET shown, held until replaced/reset */
};

struct qxl_device {
	struct qxl_device_config cfg;
	struct qxl_host_ops ops;
	void *host_opaque;
	const struct qxl_display_sink *sink;
	void *sink_opaque;
	struct qxl_display_sink sink_copy;

	/* BARs */
	uint8_t *ram;		/* BAR0, ram_size bytes */
	uint8_t *vram;		/* BAR1 and BAR4, vram64_size bytes */
	uint8_t *rom;		/* BAR2, QXL_ROM_SIZE bytes */
	uint64_t bar_size[QXL_DEVICE_NUM_BARS];
	uint64_t bar_gpa[QXL_DEVICE_NUM_BARS];
	uint32_t io_size;
	uint8_t pci_revision;
	uint16_t pci_command;
	uint8_t pci_int_line;
	uint32_t bar_sizing;	/* bit n: BAR n register was written ~0 */

	/* ROM and RAM header */
	struct qxl_rom shadow_rom;	/* what we wrote; never read back */
	struct qxl_ram_header *ramh;	/* in BAR0 */
	uint32_t ram_header_offset;
	uint32_t surface0_area_size;
	uint32_t n_modes;
	struct qxl_mode modes[160];	/* 37 resolutions x 4 */

	/* state */
	enum qxl_dev_mode mode;
	struct qxl_slot slots[QXL_NUM_MEMSLOTS];
	struct qxl_surface_state *surfaces;	/* n_surfaces entries */
	uint8_t *primary_shadow;	/* top-down copy of a bottom-up primary */
	struct qxl_cursor_state cursor;
	struct qxl_monitor_head monitors[QXL_MAX_MONITOR_HEADS];
	unsigned int n_monitors;

	int async_io;		/* pending async port, or -1 */
	bool async_done;	/* work finished, IRQ due in deferred run */
	bool deferred_scheduled;
	bool cmd_pending;	/* command ring may have more work */
	bool cursor_pending;
	bool in_processing;	/* re-entrancy guard */

	/* release ring */
	uint32_t rel_prod;	/* our producer index (guest can't move it) */
	uint32_t num_free_res;	/* ids in the chain at items[rel_prod] */
	uint8_t *last_release;	/* release_info of the chain's tail */
	bool oom_running;

	int irq_level;
	bool guest_bug;
	char guest_bug_msg[256];
	uint32_t guest_warns;	/* non-fatal guest errors since reset */
	struct qxl_device_stats stats;
	/* damage accumulated on the primary during one batch */
	pixman_region32_t damage;
};

/* guest_bug.c */
void qxl_guest_bug(struct qxl_device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void qxl_log(struct qxl_device *dev, enum qxl_log_level level,
	     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A guest error the device tolerates: rate-limited log, no ERROR. */
void qxl_guest_warn(struct qxl_device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* device.c */
void qxl_set_dev_mode(struct qxl_device *dev, enum qxl_dev_mode mode);
void qxl_soft_reset(struct qxl_device *dev);
void qxl_hard_reset(struct qxl_device *dev);

/* pci.c */
int qxl_pci_init_layout(struct qxl_device *dev);
void qxl_rom_init(struct qxl_device *dev);
void qxl_rom_write_back(struct qxl_device *dev);

/* memslot.c */
void *qxl_memslot_translate(struct qxl_device *dev, qxl_phys phys,
			    uint64_t len);
int qxl_memslot_add(struct qxl_device *dev, unsigned int slot_id,
		    uint64_t start, uint64_t end, uint64_t delta);
void qxl_memslot_del(struct qxl_device *dev, unsigned int slot_id);
void qxl_memslots_reset(struct qxl_device *dev);

/* io.c */
void qxl_send_events(struct qxl_device *dev, uint32_t events);
void qxl_update_irq(struct qxl_device *dev);
void qxl_schedule(struct qxl_device *dev);

/* ring.c */
void qxl_process_cmd_ring(struct qxl_device *dev, unsigned int budget);
void qxl_process_cursor_ring(struct qxl_device *dev, unsigned int budget);
void qxl_ram_init(struct qxl_device *dev);

/* release.c */
void qxl_release(struct qxl_device *dev, uint8_t *release_info);
void qxl_push_free_res(struct qxl_device *dev, bool flush);
void qxl_release_reset(struct qxl_device *dev);

/* surface.c */
int qxl_surface_create(struct qxl_device *dev, uint32_t id, uint32_t width,
		       uint32_t height, int32_t stride, uint32_t format,
		       uint8_t *mem, bool keep_data);
void qxl_surface_destroy(struct qxl_device *dev, uint32_t id);
void qxl_surfaces_destroy_all(struct qxl_device *dev, bool hand_back);
int qxl_primary_create(struct qxl_device *dev,
		       const struct qxl_surface_create *sc);
bool qxl_primary_destroy(struct qxl_device *dev);
void qxl_damage_add(struct qxl_device *dev, uint32_t surface_id,
		    const pixman_region32_t *region);
void qxl_damage_flush(struct qxl_device *dev);
int qxl_surface_bpp(uint32_t format);
pixman_format_code_t qxl_surface_pixman_format(uint32_t format);

/*
 * One handler per command kind.  Each hands its command back (qxl_release)
 * exactly when the reference stack does; see "Releases" in
 * Documentation/qxl-device.rst.
 */
void qxl_cmd_draw(struct qxl_device *dev, qxl_phys addr);
void qxl_cmd_surface(struct qxl_device *dev, qxl_phys addr);
void qxl_cmd_cursor(struct qxl_device *dev, qxl_phys addr);
void qxl_cursor_reset(struct qxl_device *dev, bool hand_back);
void qxl_monitors_config_read(struct qxl_device *dev);

/* Overflow-safe helpers. */
static inline bool qxl_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

static inline bool qxl_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

#endif /* QXL_INTERNAL_H */
