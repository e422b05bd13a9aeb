// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_ioctl.c - the qxl.ko driver ioctls (drm/qxl_drm.h), with the same
 * numbers and semantics, so qxl.ko's users find them.
 *
 * The buffer objects are in qxlng_bo.c, EXECBUFFER in qxlng_exec.c.
 * Clients have one surface besides their ALLOC_SURF ones, 0: the
 * framebuffer a head shows (surface relocations and UPDATE_AREA name it
 * by handle 0 or by that object); UPDATE_AREA copies what the device
 * drew back into the object.
 *
 * Every argument comes from an unprivileged client: the checks are in
 * qxlng_uapi.c, these handlers only copy, look up and apply.
 */
#include <linux/mutex.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>

#include "qxlng_bo.h"
#include "qxlng_exec.h"

static int qxlng_alloc_ioctl(struct drm_device *dev, void *data,
			     struct drm_file *file)
{
	struct drm_qxl_alloc *a = data;
	u32 bytes, handle;
	int ret;

	ret = qxlng_uapi_bo_size(a->size, &bytes);
	if (ret)
		return ret;
	ret = qxlng_bo_create(to_qxlng(dev), file, bytes, &handle);
	if (ret)
		return ret;
	a->handle = handle;
	return 0;
}

static int qxlng_alloc_surf_ioctl(struct drm_device *dev, void *data,
				  struct drm_file *file)
{
	struct qxlng_device *qdev = to_qxlng(dev);
	struct drm_qxl_alloc_surf *s = data;
	struct drm_gem_object *obj;
	struct qxlng_bo *bo;
	u32 bytes, handle;
	int ret;

	ret = qxlng_uapi_surf_size(s, &bytes);
	if (ret)
		return ret;
	ret = qxlng_bo_create(qdev, file, bytes, &handle);
	if (ret)
		return ret;
	/* Another thread may have closed the handle already. */
	obj = drm_gem_object_lookup(file, handle);
	if (!obj)
		return -ENOENT;
	bo = to_qxlng_bo(obj);
	bo->format = s->format;
	bo->width = s->width;
	bo->height = s->height;
	bo->stride = s->stride;
	WRITE_ONCE(bo->is_surface, true);
	drm_gem_object_put(obj);
	s->handle = handle;
	return 0;
}

static int qxlng_map_ioctl(struct drm_device *dev, void *data,
			   struct drm_file *file)
{
	struct drm_qxl_map *m = data;
	struct drm_gem_object *obj;
	int ret;

	obj = drm_gem_object_lookup(file, m->handle);
	if (!obj)
		return -ENOENT;
	if (!qxlng_bo_is_ours(obj)) {
		ret = -EINVAL;
	} else {
		ret = drm_gem_create_mmap_offset(obj);
		if (!ret)
			m->offset = drm_vma_node_offset_addr(&obj->vma_node);
	}
	drm_gem_object_put(obj);
	return ret;
}

static int qxlng_getparam_ioctl(struct drm_device *dev, void *data,
				struct drm_file *file)
{
	struct drm_qxl_getparam *p = data;
	u64 value;
	int ret;

	ret = qxlng_uapi_getparam(p->param, to_qxlng(dev)->layout.n_surfaces,
				  &value);
	if (!ret)
		p->value = value;
	return ret;
}

static int qxlng_clientcap_ioctl(struct drm_device *dev, void *data,
				 struct drm_file *file)
{
	struct qxlng_device *qdev = to_qxlng(dev);
	const struct qxl_rom *rom = (const struct qxl_rom *)qdev->rom_live;
	struct drm_qxl_clientcap *c = data;
	u8 caps[QXL_CLIENT_CAPS_BYTES];
	int idx;

	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;
	/* The device changes them as clients come and go: one copy. */
	memcpy(caps, rom->client_capabilities, sizeof(caps));
	drm_dev_exit(idx);
	return qxlng_uapi_clientcap(c->index, qdev->pdev->revision, caps,
				    sizeof(caps));
}

/*
 * Copy r of the primary surface (stride pstride) into the object, a
 * 32 bpp surface drawn top-down, so the client's mapping shows what the
 * device drew.
 */
static void qxlng_copy_back(struct qxlng_device *qdev, struct qxlng_bo *bo,
			    const struct qxl_rect *r, u32 pstride)
{
	u32 y, bytes = (r->right - r->left) * 4;

	for (y = r->top; y < r->bottom; y++)
		qxlng_copy_bytes(qdev->ram + bo->offset +
				 y * (u32)bo->stride + r->left * 4,
				 qdev->ram + y * pstride + r->left * 4, bytes);
}

/*
 * UPDATE_AREA: the device renders what it queued for the area of the
 * object's surface.  For the shown framebuffer's object (surface 0) the
 * pixels are then copied into the object.
 */
static int qxlng_update_area_ioctl(struct drm_device *dev, void *data,
				   struct drm_file *file)
{
	struct qxlng_device *qdev = to_qxlng(dev);
	struct drm_qxl_update_area *a = data;
	struct qxlng_bo *bo;
	struct qxl_rect r;
	u32 pstride, psize;
	int idx, ret, shown;

	bo = qxlng_bo_lookup(file, a->handle);
	if (!bo)
		return -ENOENT;
	if (!drm_dev_enter(dev, &idx)) {
		ret = -ENODEV;
		goto put;
	}
	ret = -EINVAL;
	if (!READ_ONCE(bo->is_surface) ||
	    qxlng_uapi_area(a, bo->width, bo->height, &r))
		goto exit;
	shown = qxlng_bo_shown(qdev, bo);
	if (shown < 0) {
		ret = shown;
		goto exit;
	}
	if (!shown) {
		u32 sid;

		/*
		 * An off-screen surface: the device draws in the object's
		 * pages.  Never used in a command: nothing to draw.
		 */
		mutex_lock(&bo->surf_lock);
		sid = bo->surface_id;
		mutex_unlock(&bo->surf_lock);
		ret = sid ? qxlng_cmd_update_area(qdev, sid, &r) : 0;
		goto exit;
	}
	if (qxlng_uapi_surface_bpp(bo->format) != 32 || bo->stride <= 0)
		goto exit;
	mutex_lock(&qdev->layout_lock);
	/* A 16 bpp primary has no 32 bpp object to copy back into. */
	if (qdev->primary_created && !READ_ONCE(qdev->primary_lost) &&
	    qdev->primary_format == QXL_SURFACE_FMT_32_xRGB &&
	    qxlng_bitmap_size(qdev->primary_width, qdev->primary_height,
			      &pstride, &psize) &&
	    r.right <= qdev->primary_width &&
	    r.bottom <= qdev->primary_height) {
		ret = qxlng_cmd_update_area(qdev, 0, &r);
		if (!ret)
			qxlng_copy_back(qdev, bo, &r, pstride);
	}
	mutex_unlock(&qdev->layout_lock);
exit:
	drm_dev_exit(idx);
put:
	drm_gem_object_put(&bo->base);
	return ret;
}

const struct drm_ioctl_desc qxlng_ioctls[QXLNG_NUM_IOCTLS] = {
	DRM_IOCTL_DEF_DRV(QXL_ALLOC, qxlng_alloc_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_MAP, qxlng_map_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_EXECBUFFER, qxlng_execbuffer_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_UPDATE_AREA, qxlng_update_area_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_GETPARAM, qxlng_getparam_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_CLIENTCAP, qxlng_clientcap_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_ALLOC_SURF, qxlng_alloc_surf_ioctl, DRM_AUTH),
};

int qxlng_ioctl_init(struct qxlng_device *qdev)
{
	return qxlng_bo_init(qdev);
}
