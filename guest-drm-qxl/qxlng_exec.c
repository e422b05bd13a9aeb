// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_exec.c - EXECBUFFER of the qxl uapi: a client's QXL_CMD_DRAW
 * commands, relocated, checked and pushed.
 *
 * Each command is copied in once into kernel memory, relocated there,
 * checked (it draws on surface 0 or a client's surface and every
 * address in it was written by a relocation, so lies in one of the
 * client's objects), then copied to the pages and pushed.  The objects
 * its relocations name are held until the device releases the command.
 * The checks are in qxlng_uapi.c; this file copies, looks up and applies.
 */
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "qxlng_bo.h"
#include "qxlng_exec.h"

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

int qxlng_execbuffer_ioctl(struct drm_device *dev, void *data,
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
