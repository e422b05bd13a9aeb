// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_ioctl.c - the qxl.ko driver ioctls (drm/qxl_drm.h), with the same
 * numbers and semantics, so qxl.ko's users find them.
 *
 * Buffer objects live in BAR0's pages, page-aligned, so a client's
 * mapping shows its object and nothing of the driver's commands; all of
 * them together get at most half of the pages, so clients cannot starve
 * the driver.  An object can back a framebuffer: a plane update copies
 * from it as from a dumb buffer.
 *
 * EXECBUFFER takes QXL_CMD_DRAW commands.  Each is copied in once into
 * kernel memory, relocated there, checked (it draws on surface 0 and
 * every address in it was written by a relocation, so lies in one of
 * the client's objects), then copied to the pages and pushed.  The
 * objects its relocations name are held until the device releases the
 * command.  Clients have one surface, 0: the framebuffer a head shows
 * (surface relocations and UPDATE_AREA name it by handle 0 or by that
 * object); UPDATE_AREA copies what the device drew back into the object.
 *
 * Every argument comes from an unprivileged client: the checks are in
 * qxlng_uapi.c, these handlers only copy, look up and apply.
 */
#include <linux/idr.h>
#include <linux/iosys-map.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_plane.h>
#include <drm/drm_print.h>

#include "qxlng_drv.h"

/* Rounds of reclaiming surface ids before ENOSPC. */
#define QXLNG_SURFACE_ID_TRIES	3

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

static struct qxlng_bo *to_qxlng_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct qxlng_bo, base);
}

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
static int qxlng_bo_create(struct qxlng_device *qdev, struct drm_file *file,
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

/* The object behind a handle of file, if it is one of ours; a reference. */
static struct qxlng_bo *qxlng_bo_lookup(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (!obj)
		return NULL;
	if (obj->funcs != &qxlng_bo_funcs || READ_ONCE(to_qxlng_bo(obj)->gone)) {
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
static int qxlng_bo_shown(struct qxlng_device *qdev, struct qxlng_bo *bo)
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
static int qxlng_bo_surface_id(struct qxlng_device *qdev, struct qxlng_bo *bo,
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
 * The objects a client's command refers to, held until the device
 * released the command: their pages are not handed out again before.
 */
struct qxlng_exec_hold {
	unsigned int n;
	struct drm_gem_object *objs[];
};

/* A release's done callback. */
static void qxlng_exec_hold_put(void *arg)
{
	struct qxlng_exec_hold *hold = arg;
	unsigned int i;

	for (i = 0; i < hold->n; i++)
		drm_gem_object_put(hold->objs[i]);
	kfree(hold);
}

/* One command's copy as the device will read it, and its bookkeeping. */
struct qxlng_exec {
	struct drm_qxl_reloc relocs[QXLNG_UAPI_MAX_RELOCS];
	struct qxlng_uapi_addrs addrs;
	u32 size;	/* of cmd: release info + body, at least a drawable */
	u8 cmd[];
};

/* Apply relocation r of the command in e; the objects go into hold. */
static int qxlng_exec_reloc(struct qxlng_device *qdev, struct drm_file *file,
			    struct qxlng_exec *e, u32 cmd_size,
			    const struct drm_qxl_reloc *r,
			    struct qxlng_exec_hold *hold)
{
	struct qxlng_bo *dst = NULL, *src = NULL;
	struct qxlng_uapi_reloc_op op;
	u64 value = 0;
	int ret;

	if (r->dst_handle) {
		dst = qxlng_bo_lookup(file, r->dst_handle);
		if (!dst)
			return -EINVAL;
		hold->objs[hold->n++] = &dst->base;
	}
	if (r->src_handle) {
		src = qxlng_bo_lookup(file, r->src_handle);
		if (!src)
			return -EINVAL;
		hold->objs[hold->n++] = &src->base;
	}
	ret = qxlng_uapi_reloc(r, cmd_size, dst ? dst->size : 0,
			       src ? src->size : 0, &op);
	if (ret)
		return ret;
	if (op.type == QXL_RELOC_TYPE_BO) {
		value = qxlng_phys(qdev, src->offset + op.src_offset);
	} else if (src) {
		/* Handle 0 and the shown framebuffer are surface 0. */
		u32 sid = 0;

		ret = qxlng_bo_shown(qdev, src);
		if (!ret)
			ret = qxlng_bo_surface_id(qdev, src, &sid);
		if (ret < 0)
			return ret;
		value = sid;
	}
	if (dst) {
		memcpy(qdev->ram + dst->offset + op.dst_offset, &value,
		       op.width);
	} else {
		memcpy(e->cmd + op.dst_offset, &value, op.width);
		qxlng_uapi_addrs_note(&e->addrs, &op);
	}
	return 0;
}

/*
 * One command of an EXECBUFFER: copied in once, relocated and checked in
 * kernel memory, then copied to the device's pages and pushed.
 */
static int qxlng_exec_command(struct qxlng_device *qdev,
			      struct drm_file *file,
			      const struct drm_qxl_command *c)
{
	const struct qxl_rom *rom = (const struct qxl_rom *)qdev->rom_live;
	struct qxlng_exec_hold *hold;
	struct qxlng_exec *e;
	union qxl_release_info info = { 0 };
	u32 size, offset, i, mm_time;
	u64 id;
	int ret;

	ret = qxlng_uapi_command(c);
	if (ret)
		return ret;
	size = max_t(u32, sizeof(info) + c->command_size,
		     sizeof(struct qxl_drawable));
	e = kzalloc(struct_size(e, cmd, size), GFP_KERNEL);
	hold = kzalloc(struct_size(hold, objs, 2 * c->relocs_num),
		       GFP_KERNEL);
	if (!e || !hold) {
		ret = -ENOMEM;
		goto out;
	}
	e->size = size;
	if (copy_from_user(e->cmd + sizeof(info),
			   u64_to_user_ptr(c->command), c->command_size) ||
	    copy_from_user(e->relocs, u64_to_user_ptr(c->relocs),
			   c->relocs_num * sizeof(e->relocs[0]))) {
		ret = -EFAULT;
		goto out;
	}
	for (i = 0; i < c->relocs_num; i++) {
		ret = qxlng_exec_reloc(qdev, file, e, c->command_size,
				       &e->relocs[i], hold);
		if (ret)
			goto out;
	}
	ret = qxlng_uapi_drawable(e->cmd, e->size, &e->addrs);
	if (ret)
		goto out;
	mm_time = READ_ONCE(rom->mm_clock);
	memcpy(e->cmd + offsetof(struct qxl_drawable, mm_time), &mm_time,
	       sizeof(mm_time));

	ret = qxlng_mem_alloc(qdev, size, &offset);
	if (ret)
		goto out;
	ret = qxlng_release_add_done(qdev, offset, size, qxlng_exec_hold_put,
				     hold, &id);
	if (ret) {
		qxlng_mem_free(qdev, offset, size);
		goto out;
	}
	/* The release owns hold now, also if the push fails. */
	hold = NULL;
	info.id = id;
	memcpy(e->cmd, &info, sizeof(info));
	memcpy(qdev->ram + offset, e->cmd, size);
	ret = qxlng_cmd_submit_draw(qdev, offset, id);
out:
	if (hold)
		qxlng_exec_hold_put(hold);
	kfree(e);
	return ret;
}

static int qxlng_execbuffer_ioctl(struct drm_device *dev, void *data,
				  struct drm_file *file)
{
	struct qxlng_device *qdev = to_qxlng(dev);
	struct drm_qxl_execbuffer *eb = data;
	struct drm_qxl_command __user *cmds = u64_to_user_ptr(eb->commands);
	struct drm_qxl_command c;
	u32 i;
	int idx, ret;

	ret = qxlng_uapi_execbuffer(eb);
	if (ret)
		return ret;
	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;
	for (i = 0; i < eb->commands_num && !ret; i++) {
		if (copy_from_user(&c, cmds + i, sizeof(c)))
			ret = -EFAULT;
		else
			ret = qxlng_exec_command(qdev, file, &c);
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
	}
	drm_dev_exit(idx);
	return ret;
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
		memcpy(qdev->ram + bo->offset + y * (u32)bo->stride +
		       r->left * 4,
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
	if (qdev->primary_created && !READ_ONCE(qdev->primary_lost) &&
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

/*
 * On remove, before the pages' pool goes: take the memory back from the
 * objects clients still hold and cut their mappings.
 */
static void qxlng_ioctl_fini(void *data)
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

int qxlng_ioctl_init(struct qxlng_device *qdev)
{
	mutex_init(&qdev->uapi_lock);
	INIT_LIST_HEAD(&qdev->uapi_bos);
	ida_init(&qdev->uapi_surface_ids);
	init_llist_head(&qdev->uapi_destroy);
	INIT_WORK(&qdev->uapi_destroy_work, qxlng_bo_destroy_work);
	return devm_add_action_or_reset(&qdev->pdev->dev, qxlng_ioctl_fini,
					qdev);
}
