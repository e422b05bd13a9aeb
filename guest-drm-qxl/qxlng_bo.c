// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_bo.c - the buffer objects of the qxl uapi (ALLOC, ALLOC_SURF).
 *
 * Objects live in BAR0's pages, page-aligned, so a client's mapping
 * shows its object and nothing of the driver's commands; all of them
 * together get at most half of the pages, so clients cannot starve the
 * driver.  An object can back a framebuffer: a plane update copies from
 * it as from a dumb buffer.  An ALLOC_SURF object gets a device surface
 * over its pages when a command first names it; the surface is destroyed
 * when the object goes, and the pages are freed only once the device
 * released the destroy.
 */
#include <linux/idr.h>
#include <linux/iosys-map.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_plane.h>

#include "qxlng_bo.h"

/* Rounds of reclaiming surface ids before ENOSPC. */
#define QXLNG_SURFACE_ID_TRIES	3

/* Give the object's pages back, unless the driver took them already. */
static void qxlng_bo_release_pages(struct qxlng_device *qdev,
				   struct qxlng_bo *bo)
{
	mutex_lock(&qdev->uapi_lock);
	if (!bo->gone) {
		list_del(&bo->link);
		qxlng_mem_free(qdev, bo->offset, bo->size);
		qdev->uapi_bytes -= bo->size;
		if (bo->surface_id)
			ida_free(&qdev->uapi_surface_ids, bo->surface_id);
	}
	mutex_unlock(&qdev->uapi_lock);
}

/* Done callback of a surface destroy: the device let go of the pages. */
static void qxlng_bo_surface_gone(void *arg)
{
	struct qxlng_bo *bo = arg;

	qxlng_bo_release_pages(bo->qdev, bo);
	mutex_destroy(&bo->surf_lock);
	kfree(bo);
}

/*
 * Objects go from any context, also from a release's done callback
 * under release_lock, where no command can be sent: the destroys go out
 * from this work.
 */
static void qxlng_bo_destroy_work(struct work_struct *work)
{
	struct qxlng_device *qdev = container_of(work, struct qxlng_device,
						 uapi_destroy_work);
	struct qxlng_bo *bo, *tmp;
	struct llist_node *list = llist_del_all(&qdev->uapi_destroy);

	llist_for_each_entry_safe(bo, tmp, list, destroy_node)
		qxlng_cmd_surface(qdev, bo->surface_id, NULL,
				  qxlng_bo_surface_gone, bo);
}

static void qxlng_bo_free(struct drm_gem_object *obj)
{
	struct qxlng_device *qdev = to_qxlng(obj->dev);
	struct qxlng_bo *bo = to_qxlng_bo(obj);

	drm_gem_free_mmap_offset(obj);
	drm_gem_object_release(obj);
	if (bo->surface_id && !READ_ONCE(bo->gone)) {
		llist_add(&bo->destroy_node, &qdev->uapi_destroy);
		schedule_work(&qdev->uapi_destroy_work);
		return;
	}
	qxlng_bo_release_pages(qdev, bo);
	mutex_destroy(&bo->surf_lock);
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
int qxlng_bo_create(struct qxlng_device *qdev, struct drm_file *file,
		    u32 bytes, u32 *handle)
{
	struct qxlng_bo *bo;
	bool reserved;
	int idx, ret;

	if (!drm_dev_enter(&qdev->drm, &idx))
		return -ENODEV;
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo) {
		ret = -ENOMEM;
		goto exit;
	}
	bo->size = bytes;
	bo->qdev = qdev;
	bo->base.funcs = &qxlng_bo_funcs;
	mutex_init(&bo->surf_lock);

	/*
	 * Reserve the bytes, then allocate without uapi_lock: allocating
	 * may collect releases, which put objects (qxlng_bo_free).
	 */
	mutex_lock(&qdev->uapi_lock);
	reserved = bytes <= qdev->layout.pages_size / 2 &&
		   qdev->uapi_bytes <= qdev->layout.pages_size / 2 - bytes;
	if (reserved)
		qdev->uapi_bytes += bytes;
	mutex_unlock(&qdev->uapi_lock);
	if (!reserved) {
		kfree(bo);
		ret = -ENOMEM;
		goto exit;
	}
	ret = qxlng_mem_alloc_pages(qdev, bytes, &bo->offset);
	mutex_lock(&qdev->uapi_lock);
	if (ret)
		qdev->uapi_bytes -= bytes;
	else
		list_add(&bo->link, &qdev->uapi_bos);
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

bool qxlng_bo_is_ours(const struct drm_gem_object *obj)
{
	return obj->funcs == &qxlng_bo_funcs;
}

/* The object behind a handle of file, if it is one of ours; a reference. */
struct qxlng_bo *qxlng_bo_lookup(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (!obj)
		return NULL;
	if (!qxlng_bo_is_ours(obj) || READ_ONCE(to_qxlng_bo(obj)->gone)) {
		drm_gem_object_put(obj);
		return NULL;
	}
	return to_qxlng_bo(obj);
}

/*
 * Is bo the framebuffer a head shows (1, else 0, or a negative errno)?
 * Then it stands for surface 0, the primary surface (as qxl.ko's primary
 * object does).
 */
int qxlng_bo_shown(struct qxlng_device *qdev, struct qxlng_bo *bo)
{
	unsigned int i;
	int shown = 0;

	if (!READ_ONCE(bo->is_surface))
		return 0;
	for (i = 0; i < qdev->num_heads && !shown; i++) {
		struct drm_plane *plane = &qdev->outputs[i].primary;
		int ret = drm_modeset_lock_single_interruptible(&plane->mutex);

		if (ret)
			return ret;
		shown = plane->state && plane->state->fb &&
			plane->state->fb->obj[0] == &bo->base;
		drm_modeset_unlock(&plane->mutex);
	}
	return shown;
}

/*
 * The device surface of a surface object that is not shown, made on
 * first use (as qxl.ko does) over the object's pages.
 */
int qxlng_bo_surface_id(struct qxlng_device *qdev, struct qxlng_bo *bo,
			u32 *surface_id)
{
	struct qxl_surface surf = { 0 };
	unsigned int tries;
	int id, ret = 0;

	if (!READ_ONCE(bo->is_surface) || bo->stride <= 0)
		return -EINVAL;
	mutex_lock(&bo->surf_lock);
	if (bo->surface_id)
		goto out;
	if (qdev->layout.n_surfaces < 2) {
		ret = -ENOSPC;
		goto out;
	}
	/* Ids of objects gone come back once the device destroyed them. */
	for (tries = 0; ; tries++) {
		id = ida_alloc_range(&qdev->uapi_surface_ids, 1,
				     qdev->layout.n_surfaces - 1, GFP_KERNEL);
		if (id != -ENOSPC || tries == QXLNG_SURFACE_ID_TRIES)
			break;
		flush_work(&qdev->uapi_destroy_work);
		qxlng_release_reclaim(qdev);
	}
	if (id < 0) {
		ret = id;
		goto out;
	}
	surf.format = bo->format;
	surf.width = bo->width;
	surf.height = bo->height;
	surf.stride = bo->stride;
	surf.data = qxlng_phys(qdev, bo->offset);
	ret = qxlng_cmd_surface(qdev, id, &surf, NULL, NULL);
	if (ret)
		ida_free(&qdev->uapi_surface_ids, id);
	else
		bo->surface_id = id;
out:
	*surface_id = bo->surface_id;
	mutex_unlock(&bo->surf_lock);
	return ret;
}

/*
 * On remove, before the pages' pool goes: take the memory back from the
 * objects clients still hold and cut their mappings.
 */
static void qxlng_bo_fini(void *data)
{
	struct qxlng_device *qdev = data;
	struct qxlng_bo *bo, *tmp;
	struct llist_node *pending;

	/* The device was reset: destroys not sent yet are not needed. */
	cancel_work_sync(&qdev->uapi_destroy_work);
	pending = llist_del_all(&qdev->uapi_destroy);
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
	ida_destroy(&qdev->uapi_surface_ids);
	llist_for_each_entry_safe(bo, tmp, pending, destroy_node) {
		mutex_destroy(&bo->surf_lock);
		kfree(bo);
	}
}

int qxlng_bo_init(struct qxlng_device *qdev)
{
	mutex_init(&qdev->uapi_lock);
	INIT_LIST_HEAD(&qdev->uapi_bos);
	ida_init(&qdev->uapi_surface_ids);
	init_llist_head(&qdev->uapi_destroy);
	INIT_WORK(&qdev->uapi_destroy_work, qxlng_bo_destroy_work);
	return devm_add_action_or_reset(&qdev->pdev->dev, qxlng_bo_fini, qdev);
}
