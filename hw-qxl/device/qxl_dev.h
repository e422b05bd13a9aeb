/* SPDX-License-Identifier: MIT */
/*
 * qxl_dev.h - layer 4 of the hw-qxl core: the device, shared by its files.
 *
 * The device owns the BARs, the registers and ports, the interrupt line,
 * the guest-bug state, resets and deferred work; it takes commands off
 * the rings and dispatches them down to the parse and render layers,
 * hands them back on the release ring when the reference does, and
 * reports to the host's display sink.  The layers below reach it only
 * through what it registered with them (the report callback) and through
 * return values.  Not for hosts: they include qxl_device.h only.
 */
#ifndef QXL_DEV_H
#define QXL_DEV_H

#include <pixman.h>

#include "mem/qxl_mem.h"
#include "parse/qxl_parse.h"
#include "render/qxl_render.h"
#include "qxl_device.h"

#define QXL_ROM_SIZE		8192	/* struct qxl_rom + mode list, 2 pages */
#define QXL_DEFAULT_RING_BUDGET	64	/* commands per kick */
#define QXL_UPDATE_AREA_LIMIT	4096	/* commands drained by UPDATE_AREA */
/* Non-fatal guest errors logged per reset; the rest are counted only. */
#define QXL_GUEST_WARN_LIMIT	16

enum qxl_dev_mode {
	QXL_MODE_UNDEFINED,	/* no primary */
	QXL_MODE_VGA,		/* legacy VGA owns the display */
	QXL_MODE_COMPAT,	/* qxl-1 SET_MODE primary */
	QXL_MODE_NATIVE,	/* CREATE_PRIMARY primary */
};

struct qxl_cursor_state {
	bool defined;
	bool visible;
	int x, y;
	struct qxl_cursor_image img;
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

	/* the layers below */
	struct qxl_mem mem;		/* memslots; reports come back here */
	struct qxl_release_chain rel;	/* the release ring */
	struct qxl_render render;	/* the surfaces */

	/* state */
	enum qxl_dev_mode mode;
	/*
	 * The CREATE command of each off-screen surface, held until the
	 * surface is destroyed: spice-server keeps it that long and Linux's
	 * qxl.ko writes the DESTROY into the same buffer, so it must not
	 * come back before (Documentation/qxl-device.rst, "Releases").
	 */
	uint8_t **held_create;		/* n_surfaces entries */
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
	bool sink_unflushed;	/* damage or copies told, no flush yet */

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
/* The callback the device registers in the mem layer's report context. */
void qxl_guest_report(void *opaque, enum qxl_report_kind kind,
		      const char *fmt, va_list ap);

/* device.c */
void qxl_set_dev_mode(struct qxl_device *dev, enum qxl_dev_mode mode);
void qxl_soft_reset(struct qxl_device *dev);
void qxl_hard_reset(struct qxl_device *dev);

/* pci.c */
int qxl_pci_init_layout(struct qxl_device *dev);
void qxl_rom_init(struct qxl_device *dev);
void qxl_rom_write_back(struct qxl_device *dev);
void qxl_ram_init(struct qxl_device *dev);

/* io.c */
void qxl_send_events(struct qxl_device *dev, uint32_t events);
void qxl_update_irq(struct qxl_device *dev);
void qxl_schedule(struct qxl_device *dev);

/*
 * commands.c: the rings and one handler per command kind.  Each command
 * goes back (qxl_hand_back) exactly when the reference stack releases it;
 * see "Releases" in Documentation/qxl-device.rst.
 */
void qxl_process_cmd_ring(struct qxl_device *dev, unsigned int budget);
void qxl_process_cursor_ring(struct qxl_device *dev, unsigned int budget);
void qxl_hand_back(struct qxl_device *dev, uint8_t *cmd);
void qxl_flush_releases(struct qxl_device *dev);

/* display.c: surfaces as the guest and the display sink see them. */
int qxl_primary_create(struct qxl_device *dev,
		       const struct qxl_surface_create *sc);
bool qxl_primary_destroy(struct qxl_device *dev);
/* hand_back: release the CREATE command the surface held. */
void qxl_surface_destroy(struct qxl_device *dev, uint32_t id, bool hand_back);
void qxl_surfaces_destroy_all(struct qxl_device *dev, bool hand_back);
void qxl_damage_add(struct qxl_device *dev, uint32_t surface_id,
		    const pixman_region32_t *region);
void qxl_damage_flush(struct qxl_device *dev);
/* COPY_BITS moved region's pixels from (+dx, +dy) on surface_id. */
void qxl_damage_copy(struct qxl_device *dev, uint32_t surface_id,
		     const pixman_region32_t *region, int dx, int dy);
void qxl_monitors_config_read(struct qxl_device *dev);

/* written.c: BAR memory the device wrote, told to the host. */
void qxl_note_written(struct qxl_device *dev, const uint8_t *p, uint64_t size);
void qxl_note_surface_written(struct qxl_device *dev, uint32_t id);

/* cursor.c */
void qxl_cmd_cursor(struct qxl_device *dev, qxl_phys addr);
void qxl_cursor_reset(struct qxl_device *dev, bool hand_back);

#endif /* QXL_DEV_H */
