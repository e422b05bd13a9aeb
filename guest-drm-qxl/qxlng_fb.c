// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_fb.c - framebuffers mapped into the kernel for their whole life.
 *
 * A plane update copies the damaged pixels through a kernel mapping of
 * the framebuffer.  The shadow-plane helpers map an object when a commit
 * starts to use it and unmap it when the commit is done; for a shmem
 * object that drops the last mapping, so a page flip between two
 * buffers paid on every flip a vmap, a vunmap and the put and get of
 * every page of the buffer (several ms under TCG, more than the copy).
 * Mapped here once, the helpers' map and unmap only count.  The pages
 * of a framebuffer stay in memory while it exists, as they must anyway
 * while a head shows it.
 */
#include <linux/iosys-map.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include <drm/drm_damage_helper.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>

#include "qxlng_drv.h"

struct qxlng_fb {
	/* First: drm_gem_fb_destroy() frees the whole struct through it. */
	struct drm_framebuffer base;
	struct iosys_map map[DRM_FORMAT_MAX_PLANES];
	struct iosys_map data[DRM_FORMAT_MAX_PLANES];
	bool mapped;
};

static void qxlng_fb_destroy(struct drm_framebuffer *fb)
{
	struct qxlng_fb *qfb = container_of(fb, struct qxlng_fb, base);

	if (qfb->mapped)
		drm_gem_fb_vunmap(fb, qfb->map);
	drm_gem_fb_destroy(fb);
}

static const struct drm_framebuffer_funcs qxlng_fb_funcs = {
	.destroy = qxlng_fb_destroy,
	.create_handle = drm_gem_fb_create_handle,
	.dirty = drm_atomic_helper_dirtyfb,
};

struct drm_framebuffer *qxlng_fb_create(struct drm_device *dev,
					struct drm_file *file,
					const struct drm_mode_fb_cmd2 *mode_cmd)
{
	struct qxlng_fb *qfb;
	int ret;

	BUILD_BUG_ON(offsetof(struct qxlng_fb, base) != 0);
	/*
	 * The planes scan out linear buffers only.  Linux 6.1's core checks
	 * a modifier only when a plane is given the framebuffer, so one
	 * made with DRM_FORMAT_MOD_INVALID (kmscube on Mesa's kms_swrast)
	 * would be accepted here and refused by every mode set; refused now,
	 * the client retries without modifiers.
	 */
	if ((mode_cmd->flags & DRM_MODE_FB_MODIFIERS) &&
	    mode_cmd->modifier[0] != DRM_FORMAT_MOD_LINEAR)
		return ERR_PTR(-EINVAL);
	qfb = kzalloc(sizeof(*qfb), GFP_KERNEL);
	if (!qfb)
		return ERR_PTR(-ENOMEM);
	ret = drm_gem_fb_init_with_funcs(dev, &qfb->base, file, mode_cmd,
					 &qxlng_fb_funcs);
	if (ret) {
		kfree(qfb);
		return ERR_PTR(ret);
	}
	ret = drm_gem_fb_vmap(&qfb->base, qfb->map, qfb->data);
	if (ret) {
		/* Registered already: the last reference frees it. */
		drm_framebuffer_put(&qfb->base);
		return ERR_PTR(ret);
	}
	qfb->mapped = true;
	return &qfb->base;
}
