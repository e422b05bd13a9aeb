/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qxlng_logic.h - the parts of qxlng that need no hardware.
 *
 * Everything declared here works on plain copies of device data (ROM
 * bytes, a client monitors config) and on plain rectangles, so it can be
 * unit-tested (KUnit, CONFIG_DRM_QXLNG_KUNIT_TEST) without a device.  The
 * implementations depend only on core kernel headers and qxl_abi.h.
 *
 * The interface is stable: the KUnit suites in tests/ are written
 * against it.
 */
#ifndef QXLNG_LOGIC_H
#define QXLNG_LOGIC_H

#include <linux/bits.h>
#include <linux/types.h>
#include <drm/qxl_drm.h>
#include <qxl/qxl_abi.h>

/*
 * When the KUnit suites are modules of their own
 * (CONFIG_DRM_QXLNG_KUNIT_TEST=m, qxlng built in or a module) they link
 * against these functions in qxlng: export them, GPL-only, in namespace
 * QXLNG_KUNIT (the suites import it).  Linux 6.1 has no
 * EXPORT_SYMBOL_IF_KUNIT (6.2).  Otherwise nothing is exported: built-in
 * suites need no exports, and without the suites nothing should link to
 * qxlng's internals.
 */
#ifdef CONFIG_DRM_QXLNG_KUNIT_TEST_MODULE
#include <linux/export.h>
#define EXPORT_SYMBOL_IF_QXLNG_KUNIT(sym)	EXPORT_SYMBOL_NS_GPL(sym, QXLNG_KUNIT)
#else
#define EXPORT_SYMBOL_IF_QXLNG_KUNIT(sym)
#endif

/* ------------------------------------------------------------------ */
/* ROM: layout validation and the mode list (qxlng_modes.c)            */
/* ------------------------------------------------------------------ */

/*
 * What the driver needs from a validated ROM.  All offsets are from the
 * start of BAR0 (the RAM BAR).
 */
struct qxlng_rom_layout {
	u32 surface0_size;	/* primary surface area at BAR0 offset 0 */
	u32 pages_offset;	/* first byte of the command/bitmap pages */
	u32 pages_size;		/* bytes of pages, up to the RAM header */
	u32 ram_header_offset;	/* struct qxl_ram_header */
	u32 n_surfaces;
	u8 slots_start;		/* first memslot id the guest may use */
	u8 slots_end;		/* last memslot id the guest may use */
	u8 slot_id_bits;
	u8 slot_gen_bits;
};

/*
 * Check a copy of the ROM (rom_size bytes, at least sizeof(struct
 * qxl_rom)) against the size of BAR0 and fill *layout.
 *
 * Checks: magic; RAM header page-aligned, inside BAR0 with room for a
 * whole struct qxl_ram_header; surface0 area non-empty and below the RAM
 * header; at least one surface (n_surfaces >= 1: the driver uses surface 0,
 * the primary, and no other); memslot id/generation bit split usable; slot range within
 * QXL_NUM_MEMSLOTS.
 *
 * Returns 0, or -EINVAL (and *why set to a short static reason).
 */
int qxlng_rom_check(const void *rom, size_t rom_size, u64 ram_bar_size,
		    struct qxlng_rom_layout *layout, const char **why);

/* One usable mode from the ROM's list. */
struct qxlng_mode {
	u32 id;			/* qxl_mode.id */
	u32 width;
	u32 height;
	u32 bits;		/* always 32 in the output */
	u32 stride;		/* bytes per line, >= width * 4 */
};

/*
 * Parse the ROM mode list from a copy of the ROM bytes.
 *
 * The list header (struct qxl_modes at rom.modes_offset) and all n_modes
 * entries must lie within rom_size, else -EINVAL (with *why set).  Of
 * the entries, only usable ones are returned, in ROM order: 32 bits per
 * pixel, orientation 0, non-zero size, stride >= width * 4 and a
 * multiple of 4, width and height <= 16384, not a duplicate of an
 * earlier width x height.  At most max_modes are stored (the rest are
 * dropped, not an error).
 *
 * Returns the number of modes stored (maybe 0) or -EINVAL.
 */
int qxlng_rom_parse_modes(const void *rom, size_t rom_size,
			  struct qxlng_mode *modes, unsigned int max_modes,
			  const char **why);

/*
 * The time between two vblanks of a mode: clock_khz (the pixel clock in
 * kHz, drm_display_mode.clock) over htotal * vtotal pixels a frame.  The
 * timings may come from userspace (a mode set with any numbers), so the
 * result is held between QXLNG_FRAME_NS_MIN and QXLNG_FRAME_NS_MAX, and
 * a mode without timings (a zero) gets QXLNG_FRAME_NS_DEFAULT.
 */
#define QXLNG_FRAME_NS_DEFAULT	16666667ULL	/* 60 Hz */
#define QXLNG_FRAME_NS_MIN	4166666ULL	/* 240 Hz */
#define QXLNG_FRAME_NS_MAX	100000000ULL	/* 10 Hz */
u64 qxlng_frame_ns(u32 clock_khz, u32 htotal, u32 vtotal);

/* ------------------------------------------------------------------ */
/* Client monitors config (qxlng_monitors.c)                           */
/* ------------------------------------------------------------------ */

/* One head the client asks for; w == 0 or h == 0 means "off". */
struct qxlng_head_rect {
	u32 x;
	u32 y;
	u32 w;
	u32 h;
};

/* Largest width/height accepted from a client request. */
#define QXLNG_MONITOR_MAX_DIM	16384
/*
 * Largest right/bottom edge accepted from a client request: eight heads
 * of QXLNG_MONITOR_MAX_DIM side by side.  Keeps x + w and y + h far
 * below 2^31, so no later sum of positions and sizes can overflow.
 */
#define QXLNG_MONITOR_MAX_COORD	(8 * QXLNG_MONITOR_MAX_DIM)

/*
 * Why the client's head rectangle r cannot be used: a short static
 * reason ("empty or inverted", "larger than 16384", "edge beyond
 * QXLNG_MONITOR_MAX_COORD"), or NULL if it is usable.
 */
const char *qxlng_monitors_head_check(const struct qxl_urect *r);

/*
 * Validate a copy of rom.client_monitors_config against the CRC the ROM
 * gives for it (qxl_client_monitors_config_crc over the whole struct).
 *
 * On a CRC mismatch returns -EBADMSG.  Otherwise the count is clamped to
 * QXL_CLIENT_MONITORS_MAX and then to max_heads, each head's rectangle is
 * converted to (x, y, w, h) in heads[0..n-1]; a head whose rectangle is
 * empty, inverted or larger than QXLNG_MONITOR_MAX_DIM gets w = h = 0
 * (x, y kept); a head with any edge beyond QXLNG_MONITOR_MAX_COORD (x
 * or y near 2^32, say) gets x = y = w = h = 0.
 * qxlng_monitors_head_check() tells why a head was switched off.
 * Returns n (0..max_heads).
 */
int qxlng_monitors_parse(const struct qxl_client_monitors_config *cfg,
			 u32 crc, unsigned int max_heads,
			 struct qxlng_head_rect *heads);

/*
 * Reads one snapshot of the ROM's client monitors config and its CRC
 * (the device may be updating it concurrently).
 */
typedef void (*qxlng_monitors_read_fn)(void *ctx,
				       struct qxl_client_monitors_config *cfg,
				       u32 *crc);

/* How often qxlng_monitors_read() re-reads a config whose CRC is wrong. */
#define QXLNG_MONITORS_READ_TRIES	10

/*
 * Read the config through read() into *scratch and parse it; on a CRC
 * mismatch read again, at most max_tries times in all.  Returns what
 * qxlng_monitors_parse() returned for the first good snapshot, or
 * -EBADMSG if none was good (or max_tries is 0).
 */
int qxlng_monitors_read(qxlng_monitors_read_fn read, void *ctx,
			unsigned int max_tries,
			struct qxl_client_monitors_config *scratch,
			unsigned int max_heads, struct qxlng_head_rect *heads);

/* ------------------------------------------------------------------ */
/* Damage rectangles -> QXL rectangles (qxlng_damage.c)                */
/* ------------------------------------------------------------------ */

/* A damage rectangle as DRM gives it: x2/y2 exclusive, may be outside. */
struct qxlng_damage_rect {
	s32 x1;
	s32 y1;
	s32 x2;
	s32 y2;
};

/* Most QXL_DRAW_COPY rectangles sent for one update. */
#define QXLNG_DAMAGE_MAX_RECTS	16

/*
 * Clip n_in damage rectangles to the fb_width x fb_height framebuffer and
 * store them as struct qxl_rect (top, left, bottom, right; exclusive) in
 * out[].  Empty results are dropped, a rectangle contained in one already
 * stored is dropped.  If more than max_out remain, all of them are
 * replaced by their bounding box (one rectangle).  max_out == 0 stores
 * nothing.  Returns the number stored.
 */
unsigned int qxlng_damage_to_rects(const struct qxlng_damage_rect *in,
				   unsigned int n_in, u32 fb_width,
				   u32 fb_height, struct qxl_rect *out,
				   unsigned int max_out);

/*
 * How many lines of a rectangle 'width' pixels wide (32 bpp) fit in
 * max_bytes of bitmap data; 0 if not even one line fits or width is 0.
 * Used to split big damage into bands that fit the device's pages.
 */
u32 qxlng_damage_band_lines(u32 width, u32 max_bytes);

/* ------------------------------------------------------------------ */
/* Pixel copy (qxlng_copy.c)                                           */
/* ------------------------------------------------------------------ */

/*
 * Copy n bytes from src to dst (not overlapping, any alignment), eight
 * 64-bit words per round: memcpy's "rep movsb" runs a byte at a time
 * on an emulated CPU (QEMU TCG).  For frame and cursor pixels.
 */
void qxlng_copy_bytes(void *dst, const void *src, size_t n);

/*
 * Bytes of a 32 bpp bitmap of width x height: stores width * 4 in
 * *stride and the total in *size; returns false if it overflows u32.
 */
bool qxlng_bitmap_size(u32 width, u32 height, u32 *stride, u32 *size);

/*
 * The primary surface's line stride and bytes in a QXL_SURFACE_FMT_*:
 * 32_xRGB takes width * 4, 16_565 width * 2 rounded up to 4 bytes.
 * Returns false for another format, an empty surface or a u32 overflow.
 */
bool qxlng_primary_size(u32 format, u32 width, u32 height, u32 *stride,
			u32 *size);

/*
 * Widen n RGB565 pixels at src (little-endian, any alignment) to
 * XRGB8888 at dst, each channel's top bits repeated into its low ones
 * (0x1f -> 0xff), so narrowing it again gives back the same pixel.
 */
void qxlng_copy_rgb565_to_xrgb8888(void *dst, const void *src, size_t n);

/* Called with each release ring entry (the head id of a chain). */
typedef void (*qxlng_release_take_fn)(void *ctx, u64 id);

/*
 * Take at most max entries from the release ring, calling take() for
 * each and popping it.  Returns the number taken (max: there may be
 * more), or -EIO if the ring indexes are impossible.
 */
int qxlng_release_ring_drain(struct qxl_release_ring *ring, unsigned int max,
			     qxlng_release_take_fn take, void *ctx);

/* ------------------------------------------------------------------ */
/* Async I/O bookkeeping (qxlng_async.c)                               */
/* ------------------------------------------------------------------ */

/*
 * The device runs one async I/O (QXL_IO_*_ASYNC) at a time and signals
 * each completion with QXL_INTERRUPT_IO_CMD; the IRQ handler counts them
 * in a u32 ("done", wraps).  An operation that timed out is still
 * pending in the device: its late completion must not end the wait of a
 * later operation, and starting another one while it is pending is a
 * guest bug in the device's eyes.  The caller serialises all calls.
 *
 * Use: step = qxlng_async_next(a, done, false); on QXLNG_ASYNC_WAIT wait
 * (bounded) until qxlng_async_reached(done, a->issued) and call it again
 * with waited = true; on QXLNG_ASYNC_RESET reset the device and call
 * qxlng_async_reset(); on QXLNG_ASYNC_ISSUE target = qxlng_async_start(a),
 * start the operation and wait until qxlng_async_reached(done, target).
 */
struct qxlng_async {
	u32 issued;	/* operations started (the completion count wanted) */
	u32 spurious;	/* completions no operation was waiting for */
	u32 resets;	/* device resets after a lost completion */
};

enum qxlng_async_step {
	QXLNG_ASYNC_ISSUE,	/* the device is idle: start the operation */
	QXLNG_ASYNC_WAIT,	/* an earlier operation is still pending */
	QXLNG_ASYNC_RESET,	/* it never completed: reset the device */
};

/* Start bookkeeping with the IRQ handler's current count. */
void qxlng_async_init(struct qxlng_async *a, u32 done);

/*
 * What to do before starting an operation, given the completion count
 * and whether the caller already waited for a pending one.  Completions
 * beyond the operations started are counted in a->spurious and dropped.
 */
enum qxlng_async_step qxlng_async_next(struct qxlng_async *a, u32 done,
				       bool waited);

/* Account one started operation; returns the count that completes it. */
u32 qxlng_async_start(struct qxlng_async *a);

/* Has the completion count reached target?  (Wrap-safe.) */
bool qxlng_async_reached(u32 done, u32 target);

/*
 * The device was reset (and the IRQ handler synchronised): nothing is
 * pending any more, done is the handler's count now.
 */
void qxlng_async_reset(struct qxlng_async *a, u32 done);

/* ------------------------------------------------------------------ */
/* Interrupt handling plan (qxlng_irq_plan.c)                          */
/* ------------------------------------------------------------------ */

#define QXLNG_IRQ_WAKE_DISPLAY		BIT(0)	/* command ring waiters */
#define QXLNG_IRQ_WAKE_CURSOR		BIT(1)	/* cursor ring waiters */
#define QXLNG_IRQ_IO_DONE		BIT(2)	/* count an async completion */
#define QXLNG_IRQ_GUEST_BUG		BIT(3)	/* the device flagged an error */
#define QXLNG_IRQ_COLLECT_RELEASES	BIT(4)	/* schedule release work */
#define QXLNG_IRQ_CLIENT_CONFIG		BIT(5)	/* schedule the config re-read */
#define QXLNG_IRQ_REARM			BIT(6)	/* write int_mask back */
#define QXLNG_IRQ_UPDATE_LINE		BIT(7)	/* QXL_IO_UPDATE_IRQ */

/*
 * The QXLNG_IRQ_* actions for the interrupts in pending (0: not ours).
 * Every plan for a non-zero pending includes QXLNG_IRQ_UPDATE_LINE (the
 * device then lowers its level-triggered line).  While the driver is
 * stopping (unload clears int_mask) the handler only wakes waiters and
 * counts: no work is scheduled and int_mask is not written back.
 */
u32 qxlng_irq_plan(u32 pending, bool stopping);

/* ------------------------------------------------------------------ */
/* The qxl.ko uapi: argument checks (qxlng_uapi.c)                     */
/* ------------------------------------------------------------------ */

/*
 * Every ioctl argument comes from an unprivileged client.  These check
 * the copies the handlers made; each returns 0 or the errno the ioctl
 * returns.
 */

/* Relocations per command (GETPARAM QXL_PARAM_MAX_RELOCS), as qxl.ko. */
#define QXLNG_UAPI_MAX_RELOCS		96
/* Commands per EXECBUFFER. */
#define QXLNG_UAPI_MAX_COMMANDS		256
/* A command body: a page less its release info, as qxl.ko. */
#define QXLNG_UAPI_MAX_COMMAND_SIZE	(QXL_PAGE_SIZE - \
					 sizeof(union qxl_release_info))
/* One buffer object, and a surface's width or height. */
#define QXLNG_UAPI_MAX_BO_SIZE		(64u << 20)
#define QXLNG_UAPI_MAX_SURFACE_DIM	8192

/* GETPARAM: QXL_PARAM_NUM_SURFACES, QXL_PARAM_MAX_RELOCS; else -EINVAL. */
int qxlng_uapi_getparam(u64 param, u32 n_surfaces, u64 *value);
/*
 * CLIENTCAP: 0 when bit index of the ROM's client_capabilities (caps,
 * n_caps bytes) is set, -ENOSYS when it is not, is past the array, or
 * the device predates the field (revision < 4).
 */
int qxlng_uapi_clientcap(u32 index, u8 revision, const u8 *caps,
			 size_t n_caps);
/* ALLOC: the bytes to allocate (whole pages); -EINVAL for 0. */
int qxlng_uapi_bo_size(u64 size, u32 *bytes);
/* Bits per pixel of a QXL_SURFACE_FMT_*, 0 for an unknown format. */
u32 qxlng_uapi_surface_bpp(u32 format);
/*
 * ALLOC_SURF: known format, 1..QXLNG_UAPI_MAX_SURFACE_DIM pixels each
 * way, |stride| a multiple of 4 holding a line; the bytes to allocate
 * (|stride| * (height + 1), whole pages).
 */
int qxlng_uapi_surf_size(const struct drm_qxl_alloc_surf *s, u32 *bytes);
/* UPDATE_AREA: a non-empty rectangle inside width x height, as *r. */
int qxlng_uapi_area(const struct drm_qxl_update_area *a, u32 width,
		    u32 height, struct qxl_rect *r);
/* EXECBUFFER: no flags, at most QXLNG_UAPI_MAX_COMMANDS commands. */
int qxlng_uapi_execbuffer(const struct drm_qxl_execbuffer *eb);
/*
 * One command of an EXECBUFFER: QXL_CMD_DRAW (as qxl.ko), body up to
 * QXLNG_UAPI_MAX_COMMAND_SIZE, up to QXLNG_UAPI_MAX_RELOCS relocations.
 */
int qxlng_uapi_command(const struct drm_qxl_command *c);

/* What an accepted relocation writes, and where. */
struct qxlng_uapi_reloc_op {
	u32 type;		/* QXL_RELOC_TYPE_BO or _SURF */
	u32 width;		/* bytes written: 8 (address) or 4 (surface id) */
	u32 dst_offset;		/* in the command (from its release info) or BO */
	u32 src_offset;		/* in the source BO (QXL_RELOC_TYPE_BO) */
};

/*
 * One relocation of a command whose body has cmd_size bytes.  dst_size
 * and src_size are the sizes of the objects r->dst_handle and
 * r->src_handle name (the caller looked them up; 0 for handle 0).  A
 * QXL_RELOC_TYPE_BO writes the device address of src_offset in the
 * source object, which it must lie in; a QXL_RELOC_TYPE_SURF writes the
 * source object's surface id (handle 0: the primary, id 0).  The bytes
 * written lie inside the destination: the object, or with dst_handle 0
 * the command after its release info (offsets count from the release
 * info, as in qxl.ko).
 */
int qxlng_uapi_reloc(const struct drm_qxl_reloc *r, u32 cmd_size,
		     u32 dst_size, u32 src_size,
		     struct qxlng_uapi_reloc_op *op);

/*
 * What a command's relocations wrote into the command itself (offsets
 * from its release info): BO addresses and surface ids.  A later
 * relocation over part of one takes it out: only whole, untouched
 * values count.
 */
struct qxlng_uapi_addrs {
	unsigned int n;
	unsigned int n_ids;
	u32 offset[QXLNG_UAPI_MAX_RELOCS];	/* 8-byte BO addresses */
	u32 id_offset[QXLNG_UAPI_MAX_RELOCS];	/* 4-byte surface ids */
};

/* Note what op (with dst_handle 0) wrote into the command. */
void qxlng_uapi_addrs_note(struct qxlng_uapi_addrs *a,
			   const struct qxlng_uapi_reloc_op *op);

/*
 * A QXL_CMD_DRAW as the device will read it: cmd holds size bytes, at
 * least a struct qxl_drawable, relocations applied.  It has a known
 * type; its surface ids (surface_id; surfaces_dest, also -1 for none)
 * are 0 or written by a surface relocation, so name the framebuffer or
 * one of the client's surfaces; every address the device reads in it
 * (clip rects, images, brush patterns, masks, paths, line styles,
 * strings, transforms) is 0 or written by a BO relocation, so lies
 * inside one of the client's objects.
 */
int qxlng_uapi_drawable(const u8 *cmd, u32 size,
			const struct qxlng_uapi_addrs *a);

#endif /* QXLNG_LOGIC_H */
