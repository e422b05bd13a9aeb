/* SPDX-License-Identifier: MIT */
/*
 * qxl_device.h - public API of the hw-qxl device core.
 *
 * The core models the QXL PCI display device (revision 1..5, default 5)
 * exactly as include/qxl/qxl_abi.h describes it.  It knows nothing about
 * QEMU or SPICE: a host (the QEMU glue in hw-qxl/qemu/, the test harness,
 * the fuzzers) creates a device, maps the BAR memory the core owns into its
 * guest, forwards port and PCI config accesses, and receives:
 *   - host ops: the IRQ line level, a request to run deferred work, logs;
 *   - display sink calls: primary surface, damage, cursor, monitors.
 *
 * Threading: the core is not thread-safe.  Every function here, and every
 * callback it makes, runs on the host's one device thread (QEMU: the main
 * loop under the BQL).  Callbacks may be NULL.  Callbacks must not call
 * back into the device except for the getters (qxl_device_get_*,
 * qxl_device_bar_*, qxl_device_guest_bug*).
 *
 * This is the only header hosts include; it is self-contained.
 */
#ifndef QXL_DEVICE_H
#define QXL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <qxl/qxl_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QXL_DEVICE_API_VERSION 1

struct qxl_device;

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

/*
 * Sizes are bytes.  A zero field takes the default.  Like QEMU, the core
 * rounds sizes up to powers of two and raises them to their minimum:
 * vgamem >= 8 MiB, ram >= 2 * vgamem, vram >= 4 KiB, vram64 >= vram.
 * Revision 1 forces vram and vram64 to 4 KiB.
 */
#define QXL_DEFAULT_VGAMEM_SIZE	(32u << 20) /* fits a 3840x2160x32 primary */
#define QXL_DEFAULT_RAM_SIZE	(64u << 20) /* BAR0: vgamem + pages + hdr */
#define QXL_DEFAULT_VRAM_SIZE	(64u << 20) /* BAR1 */
#define QXL_DEFAULT_N_SURFACES	1024
#define QXL_DEFAULT_MAX_OUTPUTS	0	/* 0: no limit (QEMU's default) */
#define QXL_MAX_N_SURFACES	65536	/* upper bound the core accepts */

struct qxl_device_config {
	bool is_vga;		/* class 0x0300 (qxlng-vga) vs 0x0380 (qxlng) */
	uint8_t revision;	/* 1..5; 0 = QXL_REVISION_DEFAULT (5) */
	uint64_t ram_size;	/* BAR0 size */
	uint64_t vram_size;	/* BAR1 size (32-bit VRAM) */
	uint64_t vram64_size;	/* BAR4 size; BAR4 exists iff > vram_size */
	uint64_t vgamem_size;	/* primary surface area at BAR0 offset 0 */
	uint32_t max_outputs;	/* client monitors cap; 0 = no cap (64) */
	uint32_t n_surfaces;	/* rom.n_surfaces; 0 = 1024 */
	uint32_t id;		/* rom.id, device instance number */
	/* Commands handled per ring kick before the rest is deferred. */
	uint32_t ring_budget;	/* 0 = default (64) */
};

/* Fill *cfg with the defaults (VGA class, revision 5, sizes above). */
void qxl_device_config_init(struct qxl_device_config *cfg);

/* ------------------------------------------------------------------ */
/* Host ops                                                            */
/* ------------------------------------------------------------------ */

enum qxl_log_level {
	QXL_LOG_GUEST_ERROR = 0,	/* the guest did something wrong */
	QXL_LOG_GUEST_MSG = 1,		/* text the guest printed (IO_LOG) */
	QXL_LOG_INFO = 2,		/* device state changes */
	QXL_LOG_DEBUG = 3,
};

struct qxl_host_ops {
	/* The INTx line: high while (int_pending & int_mask) != 0. */
	void (*set_irq)(void *opaque, int level);
	/*
	 * Ask the host to call qxl_device_run_deferred() soon, from its main
	 * loop, not from inside this call (QEMU: qemu_bh_schedule).  Extra
	 * requests before the run may be merged.
	 */
	void (*schedule)(void *opaque);
	/* One line of text, no trailing newline. */
	void (*log)(void *opaque, enum qxl_log_level level, const char *msg);
	/*
	 * The device switched between VGA/legacy display (native == false)
	 * and the QXL primary (native == true).  The glue shows its VGA
	 * console while not native.
	 */
	void (*mode_changed)(void *opaque, bool native);
	/* Milliseconds for rom.mm_clock; NULL: the core leaves it alone. */
	uint32_t (*mm_time)(void *opaque);
	/*
	 * The device wrote size bytes at offset of a BAR's memory outside
	 * the areas qxl_device_host_areas() lists: a command's release_info
	 * as it is handed back, the link to it in the one handed back
	 * before, a surface's pixels as it is destroyed.  bar is
	 * QXL_RAM_RANGE_INDEX, QXL_VRAM_RANGE_INDEX (VRAM, whichever BAR
	 * shows it) or QXL_ROM_RANGE_INDEX.  A host migrating the BAR
	 * memory marks it dirty now (QEMU: memory_region_set_dirty).
	 */
	void (*mem_written)(void *opaque, unsigned int bar, uint64_t offset,
			    uint64_t size);
};

/* ------------------------------------------------------------------ */
/* Display sink                                                        */
/* ------------------------------------------------------------------ */

struct qxl_primary_info {
	uint32_t width;
	uint32_t height;
	uint32_t stride;	/* bytes between lines, top-down, > 0 */
	uint32_t format;	/* QXL_SURFACE_FMT_32_xRGB, _16_565, ... */
	uint8_t *data;		/* first (top) line, in BAR memory */
};

/* A cursor image converted to 32-bit ARGB, straight (not premultiplied). */
struct qxl_cursor_shape {
	uint64_t unique;	/* the guest's shape id, 0 = none */
	uint16_t type;		/* original QXL_CURSOR_TYPE_* */
	uint16_t width;		/* <= QXL_CURSOR_MAX_SIZE */
	uint16_t height;
	uint16_t hot_x;
	uint16_t hot_y;
	const uint32_t *argb;	/* width * height pixels, row-major */
};

#define QXL_CURSOR_MAX_SIZE	512	/* larger shapes are a guest bug */

/* One head of the guest's monitors config (MONITORS_CONFIG_ASYNC). */
struct qxl_monitor_head {
	uint32_t id;
	uint32_t surface_id;
	uint32_t x;		/* position in the surface */
	uint32_t y;
	uint32_t width;
	uint32_t height;
	uint32_t flags;
};

#define QXL_MAX_MONITOR_HEADS	64

struct qxl_display_sink {
	/* A primary surface exists; info->data stays valid until destroy. */
	void (*primary_create)(void *opaque,
			       const struct qxl_primary_info *info);
	void (*primary_destroy)(void *opaque);
	/* Pixels of the primary changed; clipped to it, w > 0, h > 0. */
	void (*damage)(void *opaque, int x, int y, int w, int h);
	/* A batch of commands was processed: a good moment to send a frame. */
	void (*flush)(void *opaque);
	/* shape (and shape->argb) is valid during the call only: copy it. */
	void (*cursor_set)(void *opaque, const struct qxl_cursor_shape *shape,
			   int x, int y, bool visible);
	void (*cursor_move)(void *opaque, int x, int y);
	void (*cursor_hide)(void *opaque);
	/* The guest's monitors layout; heads valid during the call only. */
	void (*monitors_config)(void *opaque, unsigned int n,
				const struct qxl_monitor_head *heads);
	/*
	 * Optional: a QXL_COPY_BITS moved pixels of the primary: (x, y, w, h)
	 * now holds what (src_x, src_y, w, h) held; both lie in the primary.
	 * A copy clipped to several rectangles comes as one call each, in an
	 * order in which replaying the calls one after the other gives the
	 * device's pixels; damage from before the copy comes first.  Without
	 * this callback the rectangles come as damage.
	 */
	void (*copy)(void *opaque, int x, int y, int w, int h, int src_x,
		     int src_y);
};

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */
/* ------------------------------------------------------------------ */

/*
 * Create a device in its power-on state (VGA mode if is_vga, else not
 * native until CREATE_PRIMARY).  cfg and ops are copied.  Returns NULL if
 * cfg is invalid (revision > 5, sizes too large) or memory is short; the
 * reason goes to ops->log when given.
 */
struct qxl_device *qxl_device_new(const struct qxl_device_config *cfg,
				  const struct qxl_host_ops *ops,
				  void *host_opaque);
void qxl_device_free(struct qxl_device *dev);

/* Attach (or with sink == NULL detach) the display sink. */
void qxl_device_set_sink(struct qxl_device *dev,
			 const struct qxl_display_sink *sink, void *opaque);

/* PCI reset (QEMU's hard reset): surfaces, memslots, rings, ROM, IRQ. */
void qxl_device_reset(struct qxl_device *dev);

/* The host's deferred-work callback (see qxl_host_ops.schedule). */
void qxl_device_run_deferred(struct qxl_device *dev);

/*
 * The BAR memory the device itself writes over and over, area by area
 * (bar and offset as in qxl_host_ops.mem_written): the RAM header with
 * the rings, the ROM, each live surface's pixels (the primary's too).
 * Dirty tracking does not see the device's writes, so a host migrating
 * the BAR memory marks these dirty when the VM stops, before the last
 * pass; with mem_written that is all the device wrote.
 */
typedef void (*qxl_area_fn)(void *opaque, unsigned int bar, uint64_t offset,
			    uint64_t size);
void qxl_device_host_areas(struct qxl_device *dev, qxl_area_fn fn,
			   void *opaque);

/* ------------------------------------------------------------------ */
/* PCI identity, config space and BARs                                 */
/* ------------------------------------------------------------------ */

struct qxl_pci_ids {
	uint16_t vendor_id;		/* QXL_PCI_VENDOR_ID */
	uint16_t device_id;		/* QXL_PCI_DEVICE_ID */
	uint16_t subsystem_vendor_id;
	uint16_t subsystem_id;
	uint32_t class_code;		/* 24 bits: 0x030000 or 0x038000 */
	uint8_t revision;
	uint8_t interrupt_pin;		/* 1 = INTA# */
};
void qxl_device_pci_ids(const struct qxl_device *dev, struct qxl_pci_ids *ids);

#define QXL_DEVICE_NUM_BARS	5	/* indexes 0..4, QXL_*_RANGE_INDEX */

#define QXL_BAR_FLAG_PRESENT	(1u << 0)
#define QXL_BAR_FLAG_IO		(1u << 1)	/* I/O space (BAR3) */
#define QXL_BAR_FLAG_64BIT	(1u << 2)	/* 64-bit memory (BAR4) */
#define QXL_BAR_FLAG_PREFETCH	(1u << 3)
#define QXL_BAR_FLAG_READONLY	(1u << 4)	/* guest must not write (ROM) */

/* BAR geometry; size 0 / flags 0 for absent BARs. */
uint64_t qxl_device_bar_size(const struct qxl_device *dev, unsigned int bar);
uint32_t qxl_device_bar_flags(const struct qxl_device *dev, unsigned int bar);
/*
 * Host memory backing a memory BAR (0, 1, 2, 4); NULL for BAR3 and absent
 * BARs.  The core owns it for the device's lifetime; BAR4 backs the same
 * memory as BAR1 for its first vram_size bytes, like QEMU.
 */
uint8_t *qxl_device_bar_ptr(struct qxl_device *dev, unsigned int bar);

#define QXL_BAR_UNMAPPED	UINT64_MAX
/*
 * Where the guest mapped a memory BAR (guest physical); QXL_BAR_UNMAPPED
 * when unmapped.  Memslots must lie inside a mapped BAR0, 1 or 4.
 */
void qxl_device_set_bar_address(struct qxl_device *dev, unsigned int bar,
				uint64_t gpa);

/*
 * A 256-byte type 0 PCI config space for hosts that have none.  Reads of
 * BAR registers report the address set by qxl_device_set_bar_address or a
 * write; writing all-ones then reading gives the size mask (standard BAR
 * sizing).  Writes to BAR registers call qxl_device_set_bar_address; other
 * writes go to command/status/interrupt line only.  size is 1, 2 or 4.
 */
void qxl_device_pci_config(const struct qxl_device *dev, uint8_t out[256]);
uint32_t qxl_device_pci_config_read(const struct qxl_device *dev,
				    unsigned int offset, unsigned int size);
void qxl_device_pci_config_write(struct qxl_device *dev, unsigned int offset,
				 unsigned int size, uint32_t val);

/* ------------------------------------------------------------------ */
/* I/O ports (BAR3; port = offset, QXL_IO_*)                           */
/* ------------------------------------------------------------------ */

void qxl_device_io_write(struct qxl_device *dev, unsigned int port,
			 uint8_t val);
/* Reads return 0xff, like QEMU. */
uint8_t qxl_device_io_read(struct qxl_device *dev, unsigned int port);

/*
 * The glue saw a write to a legacy VGA register.  Revisions < 5 drop to
 * VGA mode (destroy primary, soft reset) like QEMU; revision 5 ignores it.
 */
void qxl_device_vga_ioport_written(struct qxl_device *dev);

/* ------------------------------------------------------------------ */
/* Host -> device                                                      */
/* ------------------------------------------------------------------ */

struct qxl_client_head {
	int32_t x;
	int32_t y;
	uint32_t width;
	uint32_t height;
};

/*
 * A client's monitor layout: written to rom.client_monitors_config with
 * its CRC and signalled with QXL_INTERRUPT_CLIENT_MONITORS_CONFIG, by
 * QEMU's rules (revision >= 4, the guest unmasked that interrupt; n capped
 * at max_outputs and QXL_CLIENT_MONITORS_MAX).  Returns 1 if written,
 * 0 if the guest cannot take it now (the caller may retry later).
 */
int qxl_device_client_monitors_config(struct qxl_device *dev, unsigned int n,
				      const struct qxl_client_head *heads);
/* rom.client_present / rom.client_capabilities; raises QXL_INTERRUPT_CLIENT
 * when they change (revision >= 4). */
void qxl_device_set_client_present(struct qxl_device *dev, bool present);
void qxl_device_set_client_caps(struct qxl_device *dev,
				const uint8_t caps[QXL_CLIENT_CAPS_BYTES]);

/* ------------------------------------------------------------------ */
/* State queries                                                       */
/* ------------------------------------------------------------------ */

/* True after a guest bug; only QXL_IO_RESET (or a PCI reset) clears it. */
bool qxl_device_guest_bug(const struct qxl_device *dev);
/* The first guest bug's message since the last reset, or NULL. */
const char *qxl_device_guest_bug_reason(const struct qxl_device *dev);

/* False while in VGA/legacy mode (the glue shows VGA). */
bool qxl_device_in_native_mode(const struct qxl_device *dev);

/* The current primary; false (and *info untouched) if none. */
bool qxl_device_get_primary(const struct qxl_device *dev,
			    struct qxl_primary_info *info);
/*
 * The current cursor; false if the guest never set one.  shape->argb
 * stays valid until the next device call.
 */
bool qxl_device_get_cursor(const struct qxl_device *dev,
			   struct qxl_cursor_shape *shape, int *x, int *y,
			   bool *visible);
/* The guest's last monitors config; returns the head count (<= max). */
unsigned int qxl_device_get_monitors(const struct qxl_device *dev,
				     struct qxl_monitor_head *heads,
				     unsigned int max);

/* Counters for tests and benchmarks. */
struct qxl_device_stats {
	uint64_t commands;		/* command ring items consumed */
	uint64_t cursor_commands;	/* cursor ring items consumed */
	uint64_t draws;			/* draw commands rendered */
	uint64_t releases;		/* release ids handed back */
	uint64_t release_pushes;	/* chains pushed on the release ring */
	uint64_t irqs_raised;		/* interrupt bits newly set */
	uint64_t guest_bugs;		/* guest bugs since creation */
	uint64_t unsupported;		/* commands accepted but not drawn */
	uint64_t guest_warnings;	/* tolerated guest errors */
};
void qxl_device_get_stats(const struct qxl_device *dev,
			  struct qxl_device_stats *stats);

/* ------------------------------------------------------------------ */
/* State transfer (savevm, migration)                                  */
/* ------------------------------------------------------------------ */

/*
 * The device's state outside its BAR memory as a self-contained byte
 * string (format: Documentation/qxl-device.rst, "Migration").  The BARs'
 * memory (qxl_device_bar_ptr) must travel with it, byte for byte, and be
 * in place before the load.  Save: *out is malloc'ed, 0, or -1 when
 * memory is short.
 */
int qxl_device_save_state(const struct qxl_device *dev, uint8_t **out,
			  size_t *len);
/* An upper bound of the saved length for this device's configuration. */
size_t qxl_device_state_max_size(const struct qxl_device *dev);
/*
 * Check every field of a saved state (made by a device of the same
 * configuration) and only then replace this device's state by it: 0, or
 * -1 with the reason in err (NUL-terminated, truncated to err_size) and
 * the device unchanged (reset if memory ran short half-way).  No sink
 * call is made: the host re-reads what the device shows
 * (qxl_device_get_primary, qxl_device_get_cursor, ...).
 */
int qxl_device_load_state(struct qxl_device *dev, const uint8_t *buf,
			  size_t len, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* QXL_DEVICE_H */
