/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qxlng_bo.h - the buffer objects of the qxl uapi (qxlng_bo.c), shared
 * by the ioctls (qxlng_ioctl.c) and EXECBUFFER (qxlng_exec.c).
 */
#ifndef QXLNG_BO_H
#define QXLNG_BO_H

#include <linux/llist.h>
#include <linux/mutex.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "qxlng_drv.h"

/*
 * An object in BAR0's pages, page-aligned, so a client's mapping shows
 * it and nothing of the driver's commands.
 */
struct qxlng_bo {
	struct drm_gem_object base;
	struct qxlng_device *qdev;
	struct list_head link;	/* qdev->uapi_bos, under uapi_lock */
	u32 offset;		/* in BAR0, page-aligned */
	u32 size;		/* bytes, whole pages */
	bool gone;		/* the driver went: offset is not ours */
	/* ALLOC_SURF: the surface the object holds. */
	bool is_surface;
	u32 format;
	u32 width;
	u32 height;
	s32 stride;
	/*
	 * Its device surface, made on the first surface relocation naming
	 * the object (0: none yet), destroyed when the object goes; the
	 * pages are freed once the device released the destroy.
	 */
	struct mutex surf_lock;
	u32 surface_id;
	struct llist_node destroy_node;
};

static inline struct qxlng_bo *to_qxlng_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct qxlng_bo, base);
}

int qxlng_bo_init(struct qxlng_device *qdev);
int qxlng_bo_create(struct qxlng_device *qdev, struct drm_file *file,
		    u32 bytes, u32 *handle);
bool qxlng_bo_is_ours(const struct drm_gem_object *obj);
struct qxlng_bo *qxlng_bo_lookup(struct drm_file *file, u32 handle);
int qxlng_bo_shown(struct qxlng_device *qdev, struct qxlng_bo *bo);
int qxlng_bo_surface_id(struct qxlng_device *qdev, struct qxlng_bo *bo,
			u32 *surface_id);

#endif /* QXLNG_BO_H */
