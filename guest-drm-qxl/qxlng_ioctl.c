// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_ioctl.c - the qxl.ko driver ioctls (drm/qxl_drm.h), with the same
 * numbers and semantics, so qxl.ko's users find them.
 *
 * Done: GETPARAM, CLIENTCAP, ALLOC, MAP and ALLOC_SURF.  Buffer objects
 * live in BAR0's pages, page-aligned, so a client's mapping shows its
 * object and nothing of the driver's commands; all of them together get
 * at most half of the pages, so clients cannot starve the driver.  An
 * object can back a framebuffer: a plane update copies from it as from
 * a dumb buffer.  EXECBUFFER and UPDATE_AREA are not there yet (the
 * ioctls fail with -EINVAL, as unknown driver ioctls do).
 *
 * Every argument comes from an unprivileged client: the checks are in
 * qxlng_uapi.c, these handlers only copy, look up and apply.
 */
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>

#include "qxlng_drv.h"

struct qxlng_bo {
	struct drm_gem_object base;
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
};

static struct qxlng_bo *to_qxlng_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct qxlng_bo, base);
}

static void qxlng_bo_free(struct drm_gem_object *obj)
{
	struct qxlng_device *qdev = to_qxlng(obj->dev);
	struct qxlng_bo *bo = to_qxlng_bo(obj);

	mutex_lock(&qdev->uapi_lock);
	if (!bo->gone) {
		list_del(&bo->link);
		qxlng_mem_free(qdev, bo->offset, bo->size);
		qdev->uapi_bytes -= bo->size;
	}
	mutex_unlock(&qdev->uapi_lock);
	drm_gem_free_mmap_offset(obj);
	drm_gem_object_release(obj);
	kfree(bo);
}

/* Map the object's pages of BAR0 (and nothing else) into the client. */
static int qxlng_bo_mmap(struct drm_gem_object *obj,
			 struct vm_area_struct *vma)
{
	struct qxlng_device *qdev = to_qxlng(obj->dev);
	struct qxlng_bo *bo = to_qxlng_bo(obj);
	unsigned long len = vma->vm_end - vma->vm_start;
	int idx, ret = -ENODEV;

	if (len > bo->size)
		return -EINVAL;
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_page_prot = pgprot_writecombine(vm_get_page_prot(vma->vm_flags));
	if (!drm_dev_enter(obj->dev, &idx))
		return ret;
	mutex_lock(&qdev->uapi_lock);
	if (!bo->gone)
		ret = io_remap_pfn_range(vma, vma->vm_start,
					 (qdev->ram_bus + bo->offset) >>
					 PAGE_SHIFT, len, vma->vm_page_prot);
	mutex_unlock(&qdev->uapi_lock);
	drm_dev_exit(idx);
	return ret;
}

/* For a framebuffer on the object: the plane update copies from here. */
static int qxlng_bo_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct qxlng_device *qdev = to_qxlng(obj->dev);
	struct qxlng_bo *bo = to_qxlng_bo(obj);

	if (READ_ONCE(bo->gone))
		return -ENODEV;
	iosys_map_set_vaddr(map, qdev->ram + bo->offset);
	return 0;
}

/*
 * Not shared through dma-buf: an importer would need a scatter list of
 * BAR pages, which these objects do not offer.
 */
static struct dma_buf *qxlng_bo_export(struct drm_gem_object *obj, int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static const struct vm_operations_struct qxlng_bo_vm_ops = {
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

static const struct drm_gem_object_funcs qxlng_bo_funcs = {
	.free = qxlng_bo_free,
	.mmap = qxlng_bo_mmap,
	.vmap = qxlng_bo_vmap,
	.export = qxlng_bo_export,
	.vm_ops = &qxlng_bo_vm_ops,
};

/* A new object of bytes (whole pages), zeroed, with a handle for file. */
static int qxlng_bo_create(struct qxlng_device *qdev, struct drm_file *file,
			   u32 bytes, u32 *handle)
{
	struct qxlng_bo *bo;
	int idx, ret;

	if (!drm_dev_enter(&qdev->drm, &idx))
		return -ENODEV;
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo) {
		ret = -ENOMEM;
		goto exit;
	}
	bo->size = bytes;
	bo->base.funcs = &qxlng_bo_funcs;

	mutex_lock(&qdev->uapi_lock);
	if (qdev->uapi_bytes > qdev->layout.pages_size / 2 - bytes ||
	    bytes > qdev->layout.pages_size / 2)
		ret = -ENOMEM;
	else
		ret = qxlng_mem_alloc_pages(qdev, bytes, &bo->offset);
	if (!ret) {
		qdev->uapi_bytes += bytes;
		list_add(&bo->link, &qdev->uapi_bos);
	}
	mutex_unlock(&qdev->uapi_lock);
	if (ret) {
		kfree(bo);
		goto exit;
	}
	memset(qdev->ram + bo->offset, 0, bytes);
	/* From here on, qxlng_bo_free undoes everything. */
	drm_gem_private_object_init(&qdev->drm, &bo->base, bytes);
	ret = drm_gem_create_mmap_offset(&bo->base);
	if (!ret)
		ret = drm_gem_handle_create(file, &bo->base, handle);
	/* The handle, if any, holds the object now; bo is not used after. */
	drm_gem_object_put(&bo->base);
exit:
	drm_dev_exit(idx);
	return ret;
}

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
	if (obj->funcs != &qxlng_bo_funcs) {
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

const struct drm_ioctl_desc qxlng_ioctls[QXLNG_NUM_IOCTLS] = {
	DRM_IOCTL_DEF_DRV(QXL_ALLOC, qxlng_alloc_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_MAP, qxlng_map_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_GETPARAM, qxlng_getparam_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_CLIENTCAP, qxlng_clientcap_ioctl, DRM_AUTH),
	DRM_IOCTL_DEF_DRV(QXL_ALLOC_SURF, qxlng_alloc_surf_ioctl, DRM_AUTH),
};

/*
 * On remove, before the pages' pool goes: take the memory back from the
 * objects clients still hold and cut their mappings.
 */
static void qxlng_ioctl_fini(void *data)
{
	struct qxlng_device *qdev = data;
	struct qxlng_bo *bo, *tmp;

	mutex_lock(&qdev->uapi_lock);
	list_for_each_entry_safe(bo, tmp, &qdev->uapi_bos, link) {
		drm_vma_node_unmap(&bo->base.vma_node,
				   qdev->drm.anon_inode->i_mapping);
		WRITE_ONCE(bo->gone, true);
		list_del(&bo->link);
		qxlng_mem_free(qdev, bo->offset, bo->size);
	}
	qdev->uapi_bytes = 0;
	mutex_unlock(&qdev->uapi_lock);
}

int qxlng_ioctl_init(struct qxlng_device *qdev)
{
	mutex_init(&qdev->uapi_lock);
	INIT_LIST_HEAD(&qdev->uapi_bos);
	return devm_add_action_or_reset(&qdev->pdev->dev, qxlng_ioctl_fini,
					qdev);
}
