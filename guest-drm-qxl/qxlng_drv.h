/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qxlng_drv.h - the types, constants and functions the driver's files
 * share.  The files are layers, each calling only those below it (the
 * map is guest-drm-qxl/layers, checked by scripts/check-layers):
 *
 *   qxlng_drv.c      probe/remove, drm_driver, module parameters
 *   qxlng_debugfs.c  debugfs state file
 *   qxlng_ioctl.c    the qxl.ko ioctls
 *   qxlng_exec.c     EXECBUFFER (relocations, checks, holds)
 *   qxlng_bo.c       the ioctls' buffer objects, their surfaces
 *   qxlng_kms.c      CRTCs, planes, connectors, mode config
 *   qxlng_vblank.c   vblank events at each head's refresh rate
 *   qxlng_fb.c       framebuffers, mapped for their whole life
 *   qxlng_cmd.c      one function per device command
 *   qxlng_mem.c      allocator over the BAR0 pages, release ring
 *   qxlng_hw.c       BARs, ROM/RAM validation, reset, IRQ, async I/O,
 *                    memslot
 *   this header
 *   qxlng_modes.c, qxlng_monitors.c, qxlng_damage.c, qxlng_ring.c,
 *   qxlng_async.c, qxlng_irq_plan.c: hardware-free logic (qxlng_logic.h)
 *
 * A lower file reaches a higher one only through what the higher one
 * registered in struct qxlng_device: the works the IRQ handler
 * schedules and the reset callback.
 */
#ifndef QXLNG_DRV_H
#define QXLNG_DRV_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_device.h>
#include <drm/drm_encoder.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_plane.h>

#include "qxlng_logic.h"

#define QXLNG_DRIVER_NAME	"qxlng"
#define QXLNG_DRIVER_DESC	"QXL paravirtual display (qxl-ng)"

#define QXLNG_MAX_HEADS		8
#define QXLNG_MAX_MODES		64
#define QXLNG_CURSOR_SIZE	64
/*
 * Bitmap bytes per DRAW_COPY; larger damage goes out in bands.  A 1024x768
 * flip is one command (fewer commands per frame flip faster).
 */
#define QXLNG_DRAW_MAX_BYTES	(4 * 1024 * 1024)
/* Interrupts the driver handles. */
#define QXLNG_IRQ_MASK		(QXL_INTERRUPT_DISPLAY | \
				 QXL_INTERRUPT_CURSOR | \
				 QXL_INTERRUPT_IO_CMD | \
				 QXL_INTERRUPT_ERROR | \
				 QXL_INTERRUPT_CLIENT_MONITORS_CONFIG)

/*
 * A ring the driver produces on: the command ring or the cursor ring.
 * Its interrupt (DISPLAY or CURSOR) wakes wq.
 */
struct qxlng_ring {
	struct mutex lock;		/* producer side */
	wait_queue_head_t wq;		/* waiters for room */
	struct qxl_ring_header *hdr;
	struct qxl_command *items;
	unsigned int size;
	unsigned int notify_port;	/* QXL_IO_NOTIFY_CMD or _CURSOR */
	const char *name;		/* "cmd" or "cursor" */
};

struct qxlng_output {
	struct drm_crtc crtc;
	struct drm_plane primary;
	struct drm_plane cursor;
	struct drm_encoder encoder;
	struct drm_connector connector;
	unsigned int index;
	/* Set by the layout update, read by the plane update (commit). */
	u32 x;			/* head position in the primary surface */
	bool full_redraw;	/* primary recreated: redraw everything */
	/* qxlng_vblank.c: ticks while the vblank core has vblanks on. */
	struct hrtimer vblank_timer;
	spinlock_t vblank_lock;	/* the two below, the timer's restarts */
	ktime_t vblank_period;	/* the mode's frame time */
	bool vblank_on;
};

struct qxlng_stats {
	atomic_t irqs;
	atomic_t irq_display;
	atomic_t irq_cursor;
	atomic_t irq_io_cmd;
	atomic_t irq_error;
	atomic_t irq_client_monitors;
	atomic_t draws;
	atomic_t client_draws;		/* EXECBUFFER commands pushed */
	atomic_t cursor_cmds;
	atomic_t releases;
	atomic_t bad_releases;
	atomic_t alloc_failures;
	atomic_t oom_notifies;
	atomic_t reclaim_sleeps;	/* reclaims that waited in vain */
	atomic_t io_timeouts;
	atomic_t io_resets;
};

struct qxlng_device {
	struct drm_device drm;
	struct pci_dev *pdev;

	/* BAR0 (RAM): surface0 area, pages, RAM header. */
	u8 *ram;
	resource_size_t ram_bus;
	resource_size_t ram_size;
	struct qxl_ram_header *ram_header;
	/* BAR2 (ROM): the live mapping and a validated copy. */
	const u8 *rom_live;
	size_t rom_size;
	void *rom_copy;
	struct qxlng_rom_layout layout;
	/* BAR3 (I/O ports). */
	void __iomem *io;

	/* Memslot over BAR0 [0, ram_header_offset). */
	unsigned int slot_id;
	u64 slot_high;

	/* Allocator over the pages, freed by release ids. */
	struct gen_pool *pool;
	struct xarray releases;		/* id -> struct qxlng_release */
	struct mutex release_lock;	/* release ring consumer */
	wait_queue_head_t release_wq;
	atomic_t release_seq;		/* collections that freed something */

	struct qxlng_ring cmd_ring;
	struct qxlng_ring cursor_ring;

	/* One async I/O at a time (io_lock), tracked by async. */
	struct mutex io_lock;
	wait_queue_head_t io_wq;
	atomic_t io_done;		/* IO_CMD interrupts seen */
	struct qxlng_async async;	/* under io_lock */
	bool stopping;
	bool guest_bug;
	/* The device was reset to recover: surface 0 must be recreated. */
	bool primary_lost;

	/* Modes from the ROM. */
	struct qxlng_mode modes[QXLNG_MAX_MODES];
	unsigned int n_modes;

	/* KMS. */
	unsigned int num_heads;
	struct qxlng_output outputs[QXLNG_MAX_HEADS];
	bool primary_created;
	u32 primary_width;
	u32 primary_height;
	/* QXL_SURFACE_FMT_32_xRGB, or _16_565 while every head is RGB565. */
	u32 primary_format;
	struct mutex layout_lock;	/* primary surface and head layout */
	/* struct qxl_monitors_config + heads, allocated once in the pages. */
	u32 monitors_offset;
	/* The heads of the last monitors config the device accepted. */
	struct qxl_head sent_heads[QXLNG_MAX_HEADS];
	unsigned int sent_count;

	/* Client monitors config. */
	struct mutex client_lock;	/* client_heads, n_client_heads */
	struct qxlng_head_rect client_heads[QXLNG_MAX_HEADS];
	int n_client_heads;		/* < 0: none valid yet */
	struct qxl_client_monitors_config client_scratch;
	/* Tells desktops the preferred mode follows the client (1). */
	struct drm_property *hotplug_mode_update_property;

	/* Buffer objects of the qxl uapi (qxlng_bo.c). */
	struct mutex uapi_lock;		/* uapi_bos, uapi_bytes */
	struct list_head uapi_bos;
	u32 uapi_bytes;			/* at most half of the pages */
	struct ida uapi_surface_ids;	/* clients' off-screen surfaces */
	/* Objects gone whose device surface is still to be destroyed. */
	struct llist_head uapi_destroy;
	struct work_struct uapi_destroy_work;

	struct qxlng_stats stats;

	/*
	 * Registered by the layers above qxlng_hw.c before qxlng_hw_start():
	 * the works its IRQ handler schedules, and what a recovery reset
	 * calls (with both ring locks and release_lock held) to take back
	 * the memory of the commands the device dropped.
	 */
	struct work_struct release_work;		/* qxlng_mem.c */
	struct work_struct client_monitors_work;	/* qxlng_kms.c */
	void (*reset_reclaim)(struct qxlng_device *qdev); /* qxlng_mem.c */
};

static inline struct qxlng_device *to_qxlng(struct drm_device *dev)
{
	return container_of(dev, struct qxlng_device, drm);
}

/*
 * Does a 32 bpp width x height surface fit the surface0 area (the
 * primary surface, which every head shares)?
 */
static inline bool qxlng_fits_surface0(const struct qxlng_device *qdev,
				       u32 width, u32 height)
{
	u32 stride, size;

	return qxlng_bitmap_size(width, height, &stride, &size) &&
	       size <= qdev->layout.surface0_size;
}

/* The device address of a BAR0 offset, in the driver's memslot. */
static inline u64 qxlng_phys(struct qxlng_device *qdev, u32 ram_offset)
{
	return qdev->slot_high | ram_offset;
}

/* qxlng_hw.c */
int qxlng_hw_init(struct qxlng_device *qdev);
int qxlng_hw_start(struct qxlng_device *qdev);
int qxlng_hw_resume(struct qxlng_device *qdev);
void qxlng_io_write(struct qxlng_device *qdev, unsigned int port, u8 val);
/*
 * Writes what an async I/O reads from the RAM header.  Called with the
 * device idle (after a recovery reset, if one was needed), just before
 * the I/O starts, so addresses use the current memslot.
 */
typedef void (*qxlng_io_setup_fn)(struct qxlng_device *qdev, const void *arg);
int qxlng_io_async(struct qxlng_device *qdev, unsigned int port, u8 val,
		   qxlng_io_setup_fn setup, const void *arg);
/* A qxlng_monitors_read_fn; ctx is the struct qxlng_device. */
void qxlng_hw_read_client_config(void *ctx,
				 struct qxl_client_monitors_config *cfg,
				 u32 *crc);

/* qxlng_mem.c */
int qxlng_mem_init(struct qxlng_device *qdev);
int qxlng_mem_alloc(struct qxlng_device *qdev, u32 size, u32 *offset);
int qxlng_mem_alloc_pages(struct qxlng_device *qdev, u32 size, u32 *offset);
void qxlng_mem_free(struct qxlng_device *qdev, u32 offset, u32 size);
int qxlng_release_add(struct qxlng_device *qdev, u32 offset, u32 size,
		      u64 *id);
int qxlng_release_add_done(struct qxlng_device *qdev, u32 offset, u32 size,
			   void (*done)(void *arg), void *arg, u64 *id);
void qxlng_release_cancel(struct qxlng_device *qdev, u64 id);
bool qxlng_release_reclaim(struct qxlng_device *qdev);
void qxlng_release_pushed(struct qxlng_device *qdev, u64 id);

/* qxlng_cmd.c */
int qxlng_cmd_init(struct qxlng_device *qdev);
int qxlng_cmd_create_primary(struct qxlng_device *qdev, u32 width,
			     u32 height, u32 format);
int qxlng_cmd_destroy_primary(struct qxlng_device *qdev);
int qxlng_cmd_draw_copy(struct qxlng_device *qdev, const u8 *src,
			u32 src_pitch, u32 src_cpp, const struct qxl_rect *r,
			s32 dst_x, s32 dst_y);
int qxlng_cmd_cursor_set(struct qxlng_device *qdev, const u8 *argb,
			 u32 pitch, u16 hot_x, u16 hot_y, s16 x, s16 y);
int qxlng_cmd_cursor_move(struct qxlng_device *qdev, s16 x, s16 y);
int qxlng_cmd_cursor_hide(struct qxlng_device *qdev);
int qxlng_cmd_submit_draw(struct qxlng_device *qdev, u32 offset, u64 id);
int qxlng_cmd_surface(struct qxlng_device *qdev, u32 surface_id,
		      const struct qxl_surface *surf,
		      void (*done)(void *arg), void *arg);
int qxlng_cmd_update_area(struct qxlng_device *qdev, u32 surface_id,
			  const struct qxl_rect *r);
int qxlng_cmd_monitors_config(struct qxlng_device *qdev,
			      const struct qxl_head *heads,
			      unsigned int count);

/* qxlng_fb.c: framebuffers mapped for their whole life */
struct drm_framebuffer *qxlng_fb_create(struct drm_device *dev,
					struct drm_file *file,
					const struct drm_mode_fb_cmd2 *mode_cmd);

/* qxlng_vblank.c: vblank events at each head's refresh rate */
int qxlng_vblank_init(struct qxlng_device *qdev);
int qxlng_vblank_enable(struct drm_crtc *crtc);
void qxlng_vblank_disable(struct drm_crtc *crtc);
bool qxlng_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
			    ktime_t *vblank_time, bool in_vblank_irq);
void qxlng_vblank_crtc_on(struct drm_crtc *crtc,
			  const struct drm_display_mode *mode);
void qxlng_vblank_crtc_off(struct drm_crtc *crtc,
			   struct drm_atomic_state *state);
void qxlng_vblank_flush(struct drm_crtc *crtc, struct drm_atomic_state *state);

/* qxlng_kms.c */
int qxlng_kms_init(struct qxlng_device *qdev);

/* qxlng_ioctl.c: the qxl.ko ioctls (drm/qxl_drm.h) */
#define QXLNG_NUM_IOCTLS	(DRM_QXL_ALLOC_SURF + 1)
extern const struct drm_ioctl_desc qxlng_ioctls[QXLNG_NUM_IOCTLS];
int qxlng_ioctl_init(struct qxlng_device *qdev);

/* qxlng_debugfs.c */
void qxlng_debugfs_init(struct drm_minor *minor);

#endif /* QXLNG_DRV_H */
