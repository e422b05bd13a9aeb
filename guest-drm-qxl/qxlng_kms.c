// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_kms.c - atomic modesetting.
 *
 * Per head: a CRTC, a primary plane (XRGB8888 or RGB565), a cursor plane
 * (64x64 ARGB8888), a virtual encoder and connector.  All heads share the
 * one primary surface of the device, side by side: head i sits at x = the
 * sum of the widths of the enabled heads before it.  The surface is
 * 32 bpp, or 16 bpp (565) with surface16=1 while every enabled head shows
 * an RGB565 framebuffer; the drawables are 32 bpp bitmaps either way.
 * The commit tail recreates the primary surface when that layout or its
 * format changes and tells the device the layout (MONITORS_CONFIG); plane
 * updates copy damaged rectangles of the (shmem) framebuffer into the
 * surface with DRAW_COPY.  A commit's events go out at the head's next
 * vblank (qxlng_vblank.c).
 */
#include <linux/minmax.h>
#include <linux/module.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_damage_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_fb_helper.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_mode_object.h>
#include <drm/drm_modes.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_property.h>
#include <drm/drm_vblank.h>

#include "qxlng_drv.h"

/*
 * Off by default: spice-server 0.15 (QEMU's qxl) aborts when it sends a
 * 565 surface to a client; qxlng-vga's spice-core takes one.  Read at
 * each commit.
 */
static bool qxlng_surface16;
module_param_named(surface16, qxlng_surface16, bool, 0644);
MODULE_PARM_DESC(surface16,
		 "A desktop of RGB565 framebuffers gets a 16 bpp (565) primary surface (default: 32 bpp)");

/* Damage rectangles taken from one plane update before merging. */
#define QXLNG_DAMAGE_IN_MAX	64

static const u32 qxlng_primary_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_RGB565,
};

static const u32 qxlng_cursor_formats[] = { DRM_FORMAT_ARGB8888 };

static struct qxlng_output *qxlng_output_of_crtc(struct drm_crtc *crtc)
{
	return container_of(crtc, struct qxlng_output, crtc);
}

/* ---------------------------------------------------------------- */
/* Layout of the heads in the primary surface                        */
/* ---------------------------------------------------------------- */

struct qxlng_layout {
	u32 width;
	u32 height;
	u32 format;				/* QXL_SURFACE_FMT_* */
	unsigned int count;			/* enabled heads */
	struct qxl_head heads[QXLNG_MAX_HEADS];	/* enabled heads only */
	u32 x[QXLNG_MAX_HEADS];			/* per output index */
};

static void qxlng_layout_add(struct qxlng_layout *lay, unsigned int index,
			     const struct drm_crtc_state *cs)
{
	struct qxl_head *h;

	lay->x[index] = lay->width;
	if (!cs || !cs->enable)
		return;
	h = &lay->heads[lay->count++];
	h->id = index;
	h->surface_id = 0;
	h->width = cs->mode.hdisplay;
	h->height = cs->mode.vdisplay;
	h->x = lay->width;
	h->y = 0;
	h->flags = 0;
	lay->width += cs->mode.hdisplay;
	lay->height = max_t(u32, lay->height, cs->mode.vdisplay);
}

/* Does an enabled head show an RGB565 framebuffer on its primary plane? */
static bool qxlng_head_is_565(struct drm_atomic_state *state,
			      struct drm_plane *plane)
{
	struct drm_plane_state *ps = NULL;

	if (state)
		ps = drm_atomic_get_new_plane_state(state, plane);
	if (!ps)
		ps = plane->state;
	return ps && ps->fb && ps->fb->format->format == DRM_FORMAT_RGB565;
}

/* Layout from the states in @state, else from the current ones. */
static void qxlng_layout_compute(struct qxlng_device *qdev,
				 struct drm_atomic_state *state,
				 struct qxlng_layout *lay)
{
	bool all_565 = true;
	unsigned int i;

	memset(lay, 0, sizeof(*lay));
	for (i = 0; i < qdev->num_heads; i++) {
		struct drm_crtc *crtc = &qdev->outputs[i].crtc;
		struct drm_crtc_state *cs = NULL;

		if (state)
			cs = drm_atomic_get_new_crtc_state(state, crtc);
		if (!cs)
			cs = crtc->state;
		qxlng_layout_add(lay, i, cs);
		if (cs && cs->enable &&
		    !qxlng_head_is_565(state, &qdev->outputs[i].primary))
			all_565 = false;
	}
	lay->format = lay->count && all_565 && READ_ONCE(qxlng_surface16) ?
		      QXL_SURFACE_FMT_16_565 : QXL_SURFACE_FMT_32_xRGB;
}

/* In the commit tail, after the new states are in place. */
static void qxlng_layout_update(struct qxlng_device *qdev)
{
	struct qxlng_layout lay;
	bool recreate;
	unsigned int i;
	int ret;

	qxlng_layout_compute(qdev, NULL, &lay);
	mutex_lock(&qdev->layout_lock);
	/* A device reset (qxlng_hw_recover) destroyed surface 0. */
	if (READ_ONCE(qdev->primary_lost))
		qdev->primary_created = false;
	recreate = !lay.count || !qdev->primary_created ||
		   lay.width != qdev->primary_width ||
		   lay.height != qdev->primary_height ||
		   lay.format != qdev->primary_format;
	if (recreate && qdev->primary_created) {
		qxlng_cmd_destroy_primary(qdev);
		qdev->primary_created = false;
	}
	if (recreate && lay.count) {
		ret = qxlng_cmd_create_primary(qdev, lay.width, lay.height,
					       lay.format);
		if (ret) {
			drm_err(&qdev->drm, "creating the %ux%u primary (format %u) failed: %d\n",
				lay.width, lay.height, lay.format, ret);
		} else {
			/* A reset during the call came before the create. */
			WRITE_ONCE(qdev->primary_lost, false);
			qdev->primary_created = true;
			qdev->primary_width = lay.width;
			qdev->primary_height = lay.height;
			qdev->primary_format = lay.format;
		}
	}
	for (i = 0; i < qdev->num_heads; i++) {
		struct qxlng_output *out = &qdev->outputs[i];

		if (recreate || out->x != lay.x[i])
			out->full_redraw = true;
		out->x = lay.x[i];
	}
	/*
	 * The device (and SPICE clients) learn the layout whenever it
	 * changes, also when heads only swap places in a surface of the
	 * same size.
	 */
	if (qdev->primary_created && lay.count &&
	    (recreate || lay.count != qdev->sent_count ||
	     memcmp(lay.heads, qdev->sent_heads,
		    lay.count * sizeof(lay.heads[0])))) {
		ret = qxlng_cmd_monitors_config(qdev, lay.heads, lay.count);
		if (ret) {
			drm_err(&qdev->drm, "monitors config (%u heads) failed: %d\n",
				lay.count, ret);
			qdev->sent_count = 0;
		} else {
			memcpy(qdev->sent_heads, lay.heads,
			       lay.count * sizeof(lay.heads[0]));
			qdev->sent_count = lay.count;
		}
	}
	mutex_unlock(&qdev->layout_lock);
}

/*
 * A mode set on one head can move the others (they sit side by side) and
 * recreates the primary surface they share, as does a change of its
 * format (@recreate): every head and its planes then take part in the
 * commit, so each one is drawn again at its new place.  Returns 1 if
 * heads were added, 0 if none were needed, or an error.
 */
static int qxlng_add_all_heads(struct qxlng_device *qdev,
			       struct drm_atomic_state *state, bool recreate)
{
	struct drm_crtc_state *cs;
	struct drm_crtc *crtc;
	bool modeset = recreate, added = false;
	unsigned int i;
	int ret;

	for_each_new_crtc_in_state(state, crtc, cs, i)
		if (drm_atomic_crtc_needs_modeset(cs))
			modeset = true;
	if (!modeset || qdev->num_heads == 1)
		return 0;
	for (i = 0; i < qdev->num_heads; i++) {
		crtc = &qdev->outputs[i].crtc;
		if (drm_atomic_get_new_crtc_state(state, crtc))
			continue;
		cs = drm_atomic_get_crtc_state(state, crtc);
		if (IS_ERR(cs))
			return PTR_ERR(cs);
		ret = drm_atomic_add_affected_planes(state, crtc);
		if (ret)
			return ret;
		added = true;
	}
	return added;
}

static int qxlng_atomic_check(struct drm_device *dev,
			      struct drm_atomic_state *state)
{
	struct qxlng_device *qdev = to_qxlng(dev);
	struct qxlng_layout lay;
	int ret;

	ret = drm_atomic_helper_check(dev, state);
	if (ret)
		return ret;
	/*
	 * A flip between an RGB565 and an XRGB8888 framebuffer, say.  A
	 * racy look: at worst the heads are drawn again for nothing.
	 */
	qxlng_layout_compute(qdev, state, &lay);
	ret = qxlng_add_all_heads(qdev, state,
				  lay.format != READ_ONCE(qdev->primary_format));
	if (ret < 0)
		return ret;
	if (ret) {
		/* Check the planes just added too. */
		ret = drm_atomic_helper_check(dev, state);
		if (ret)
			return ret;
	}
	qxlng_layout_compute(qdev, state, &lay);
	if (!qxlng_fits_surface0(qdev, lay.width, lay.height)) {
		drm_dbg_kms(dev, "layout %ux%u does not fit surface0 (%u bytes)\n",
			    lay.width, lay.height, qdev->layout.surface0_size);
		return -EINVAL;
	}
	return 0;
}

static void qxlng_commit_tail(struct drm_atomic_state *state)
{
	struct drm_device *dev = state->dev;
	struct qxlng_device *qdev = to_qxlng(dev);
	int idx;

	drm_atomic_helper_commit_modeset_disables(dev, state);
	if (drm_dev_enter(dev, &idx)) {
		qxlng_layout_update(qdev);
		drm_dev_exit(idx);
	}
	drm_atomic_helper_commit_modeset_enables(dev, state);
	/* Each active CRTC's atomic_flush arms its event (qxlng_vblank.c). */
	drm_atomic_helper_commit_planes(dev, state,
					DRM_PLANE_COMMIT_ACTIVE_ONLY);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_wait_for_flip_done(dev, state);
	drm_atomic_helper_cleanup_planes(dev, state);
}

static const struct drm_mode_config_helper_funcs qxlng_mode_config_helpers = {
	.atomic_commit_tail = qxlng_commit_tail,
};

static const struct drm_mode_config_funcs qxlng_mode_config_funcs = {
	.fb_create = qxlng_fb_create,
	.atomic_check = qxlng_atomic_check,
	.atomic_commit = drm_atomic_helper_commit,
};

/* ---------------------------------------------------------------- */
/* Planes: primary and cursor                                        */
/* ---------------------------------------------------------------- */

/*
 * No scaling.  A movable plane (the cursor) may lie partly outside its
 * CRTC and be updated while the CRTC is off.
 */
static int qxlng_plane_check(struct drm_plane *plane,
			     struct drm_atomic_state *state, bool movable)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state,
								    plane);
	struct drm_crtc_state *cs = NULL;

	if (ps->crtc)
		cs = drm_atomic_get_new_crtc_state(state, ps->crtc);
	return drm_atomic_helper_check_plane_state(ps, cs,
						   DRM_PLANE_NO_SCALING,
						   DRM_PLANE_NO_SCALING,
						   movable, movable);
}

static int qxlng_primary_atomic_check(struct drm_plane *plane,
				      struct drm_atomic_state *state)
{
	return qxlng_plane_check(plane, state, false);
}

static int qxlng_cursor_atomic_check(struct drm_plane *plane,
				     struct drm_atomic_state *state)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state,
								    plane);
	int ret;

	ret = qxlng_plane_check(plane, state, true);
	if (ret)
		return ret;
	if (ps->fb && (ps->fb->width != QXLNG_CURSOR_SIZE ||
		       ps->fb->height != QXLNG_CURSOR_SIZE)) {
		drm_dbg_kms(plane->dev, "cursor must be %ux%u\n",
			    QXLNG_CURSOR_SIZE, QXLNG_CURSOR_SIZE);
		return -EINVAL;
	}
	return 0;
}

/* What a plane update shows: the old and new state, the head, the pixels. */
struct qxlng_plane_update {
	struct drm_plane_state *old;
	struct drm_plane_state *ps;
	/* The head ps shows on; NULL: it shows nothing. */
	struct qxlng_output *out;
	/* The fb's first pixel in its shadow copy; NULL: not in RAM. */
	const u8 *pixels;
	bool was_shown;		/* old showed a framebuffer */
};

/* Damage of this update in fb coordinates; 0 rects means none. */
static unsigned int qxlng_primary_damage(struct drm_plane_state *old,
					 struct drm_plane_state *ps,
					 bool full, struct qxl_rect *rects)
{
	struct qxlng_damage_rect in[QXLNG_DAMAGE_IN_MAX];
	struct drm_atomic_helper_damage_iter iter;
	struct drm_rect clip;
	unsigned int n = 0;
	bool overflow = false;

	if (!full) {
		drm_atomic_helper_damage_iter_init(&iter, old, ps);
		drm_atomic_for_each_plane_damage(&iter, &clip) {
			if (n == QXLNG_DAMAGE_IN_MAX) {
				overflow = true;
				break;
			}
			in[n].x1 = clip.x1;
			in[n].y1 = clip.y1;
			in[n].x2 = clip.x2;
			in[n].y2 = clip.y2;
			n++;
		}
	}
	if (full || overflow) {
		in[0].x1 = ps->src.x1 >> 16;
		in[0].y1 = ps->src.y1 >> 16;
		in[0].x2 = ps->src.x2 >> 16;
		in[0].y2 = ps->src.y2 >> 16;
		n = 1;
	}
	return qxlng_damage_to_rects(in, n, ps->fb->width, ps->fb->height,
				     rects, QXLNG_DAMAGE_MAX_RECTS);
}

/* Copy the damaged rectangles into the primary surface at the head. */
static void qxlng_primary_update(struct qxlng_device *qdev,
				 const struct qxlng_plane_update *u)
{
	struct drm_plane_state *ps = u->ps;
	struct qxl_rect rects[QXLNG_DAMAGE_MAX_RECTS];
	unsigned int n, i;
	s32 src_x, src_y;
	bool full;

	if (!u->out || !u->pixels || !qdev->primary_created ||
	    READ_ONCE(qdev->primary_lost))
		return;
	full = u->out->full_redraw;
	u->out->full_redraw = false;
	n = qxlng_primary_damage(u->old, ps, full, rects);
	src_x = ps->src.x1 >> 16;
	src_y = ps->src.y1 >> 16;
	for (i = 0; i < n; i++) {
		if (qxlng_cmd_draw_copy(qdev, u->pixels, ps->fb->pitches[0],
					ps->fb->format->cpp[0], &rects[i],
					u->out->x + rects[i].left - src_x,
					rects[i].top - src_y))
			break;
	}
}

static s16 qxlng_clamp_s16(s64 v)
{
	return clamp_t(s64, v, S16_MIN, S16_MAX);
}

/* Set the cursor shape when it changed, else move it; or hide it. */
static void qxlng_cursor_update(struct qxlng_device *qdev,
				const struct qxlng_plane_update *u)
{
	struct drm_plane_state *ps = u->ps, *old = u->old;
	struct drm_framebuffer *fb = ps->fb;
	s16 x, y;

	if (!u->out) {
		if (u->was_shown)
			qxlng_cmd_cursor_hide(qdev);
		return;
	}
	x = qxlng_clamp_s16((s64)u->out->x + ps->crtc_x + fb->hot_x);
	y = qxlng_clamp_s16((s64)ps->crtc_y + fb->hot_y);
	if (!u->was_shown || fb != old->fb) {
		if (u->pixels)
			qxlng_cmd_cursor_set(qdev, u->pixels, fb->pitches[0],
					     fb->hot_x, fb->hot_y, x, y);
	} else if (ps->crtc_x != old->crtc_x || ps->crtc_y != old->crtc_y) {
		qxlng_cmd_cursor_move(qdev, x, y);
	}
}

/*
 * Both planes' atomic_update.  Without an atomic_disable it also runs
 * when a plane is disabled (then it shows nothing: the cursor hides).
 */
static void qxlng_plane_atomic_update(struct drm_plane *plane,
				      struct drm_atomic_state *state)
{
	struct qxlng_device *qdev = to_qxlng(plane->dev);
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state,
								    plane);
	struct drm_shadow_plane_state *shadow = to_drm_shadow_plane_state(ps);
	struct qxlng_plane_update u = {
		.old = drm_atomic_get_old_plane_state(state, plane),
		.ps = ps,
	};
	int idx;

	u.was_shown = u.old->fb && u.old->visible;
	if (ps->fb && ps->visible && ps->crtc) {
		u.out = qxlng_output_of_crtc(ps->crtc);
		if (!shadow->data[0].is_iomem)
			u.pixels = (const u8 *)shadow->data[0].vaddr +
				   ps->fb->offsets[0];
	}
	if (!drm_dev_enter(plane->dev, &idx))
		return;
	if (plane->type == DRM_PLANE_TYPE_CURSOR)
		qxlng_cursor_update(qdev, &u);
	else
		qxlng_primary_update(qdev, &u);
	drm_dev_exit(idx);
}

static const struct drm_plane_helper_funcs qxlng_primary_helper_funcs = {
	DRM_GEM_SHADOW_PLANE_HELPER_FUNCS,
	.atomic_check = qxlng_primary_atomic_check,
	.atomic_update = qxlng_plane_atomic_update,
};

static const struct drm_plane_helper_funcs qxlng_cursor_helper_funcs = {
	DRM_GEM_SHADOW_PLANE_HELPER_FUNCS,
	.atomic_check = qxlng_cursor_atomic_check,
	.atomic_update = qxlng_plane_atomic_update,
};

static const struct drm_plane_funcs qxlng_plane_funcs = {
	.update_plane = drm_atomic_helper_update_plane,
	.disable_plane = drm_atomic_helper_disable_plane,
	.destroy = drm_plane_cleanup,
	DRM_GEM_SHADOW_PLANE_FUNCS,
};

/* ---------------------------------------------------------------- */
/* CRTC                                                              */
/* ---------------------------------------------------------------- */

static enum drm_mode_status qxlng_crtc_mode_valid(struct drm_crtc *crtc,
						  const struct drm_display_mode *mode)
{
	return qxlng_fits_surface0(to_qxlng(crtc->dev), mode->hdisplay,
				   mode->vdisplay) ? MODE_OK : MODE_MEM;
}

/* The commit tail created the primary surface already. */
static void qxlng_crtc_atomic_enable(struct drm_crtc *crtc,
				     struct drm_atomic_state *state)
{
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);

	qxlng_vblank_crtc_on(crtc, &cs->adjusted_mode);
}

static void qxlng_crtc_atomic_disable(struct drm_crtc *crtc,
				      struct drm_atomic_state *state)
{
	qxlng_vblank_crtc_off(crtc, state);
}

static const struct drm_crtc_helper_funcs qxlng_crtc_helper_funcs = {
	.mode_valid = qxlng_crtc_mode_valid,
	.atomic_enable = qxlng_crtc_atomic_enable,
	.atomic_disable = qxlng_crtc_atomic_disable,
	.atomic_flush = qxlng_vblank_flush,
};

/* A new CRTC is off, and so is its vblank. */
static void qxlng_crtc_reset(struct drm_crtc *crtc)
{
	drm_atomic_helper_crtc_reset(crtc);
	drm_crtc_vblank_reset(crtc);
}

static const struct drm_crtc_funcs qxlng_crtc_funcs = {
	.reset = qxlng_crtc_reset,
	.set_config = drm_atomic_helper_set_config,
	.page_flip = drm_atomic_helper_page_flip,
	.atomic_duplicate_state = drm_atomic_helper_crtc_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_crtc_destroy_state,
	.enable_vblank = qxlng_vblank_enable,
	.disable_vblank = qxlng_vblank_disable,
	.get_vblank_timestamp = qxlng_vblank_timestamp,
};

/* ---------------------------------------------------------------- */
/* Connector                                                         */
/* ---------------------------------------------------------------- */

static struct qxlng_output *qxlng_output_of_connector(struct drm_connector *c)
{
	return container_of(c, struct qxlng_output, connector);
}

/*
 * Add a CVT mode of exactly w x h (CVT rounds to 8 pixels) if the
 * primary surface can hold it.  Returns the number of modes added.
 */
static int qxlng_add_mode(struct drm_connector *connector, u32 w, u32 h,
			  bool preferred)
{
	struct drm_display_mode *mode;

	if (!qxlng_fits_surface0(to_qxlng(connector->dev), w, h))
		return 0;
	mode = drm_cvt_mode(connector->dev, w, h, 60, false, false, false);
	if (!mode)
		return 0;
	mode->hdisplay = w;
	mode->vdisplay = h;
	drm_mode_set_name(mode);
	if (preferred)
		mode->type |= DRM_MODE_TYPE_PREFERRED;
	drm_mode_probed_add(connector, mode);
	return 1;
}

/*
 * The size the fbdev console draws at while it shows (no DRM master), or
 * 0 x 0.  Its framebuffer keeps the size it was made with, so a mode of
 * another size would crop the console (smaller) or leave it in a corner
 * (larger): while it shows, the preferred mode stays its size and a
 * client's window size waits for userspace.  A racy look at the master is
 * enough: userspace probes again once it holds the display.
 */
static void qxlng_console_size(struct drm_device *dev, u32 *w, u32 *h)
{
	struct drm_fb_helper *helper = dev->fb_helper;

	*w = 0;
	*h = 0;
	if (READ_ONCE(dev->master) || !helper || !helper->fb)
		return;
	*w = helper->fb->width;
	*h = helper->fb->height;
}

static bool qxlng_rom_has_mode(struct qxlng_device *qdev, u32 w, u32 h)
{
	unsigned int i;

	for (i = 0; i < qdev->n_modes; i++)
		if (qdev->modes[i].width == w && qdev->modes[i].height == h)
			return true;
	return false;
}

static int qxlng_conn_get_modes(struct drm_connector *connector)
{
	struct qxlng_device *qdev = to_qxlng(connector->dev);
	struct qxlng_output *out = qxlng_output_of_connector(connector);
	struct qxlng_head_rect head = { 0 };
	bool has_head, head_preferred;
	u32 cw, ch;
	unsigned int i;
	int count = 0;

	mutex_lock(&qdev->client_lock);
	if ((int)out->index < qdev->n_client_heads)
		head = qdev->client_heads[out->index];
	mutex_unlock(&qdev->client_lock);

	qxlng_console_size(connector->dev, &cw, &ch);
	has_head = head.w && head.h;
	head_preferred = has_head &&
			 (!cw || (head.w == cw && head.h == ch));
	if (has_head)
		count += qxlng_add_mode(connector, head.w, head.h,
					head_preferred);
	for (i = 0; i < qdev->n_modes; i++)
		count += qxlng_add_mode(connector, qdev->modes[i].width,
					qdev->modes[i].height, false);
	if (head_preferred)
		return count;
	if (cw) {
		if (!qxlng_rom_has_mode(qdev, cw, ch) &&
		    !(has_head && head.w == cw && head.h == ch))
			count += qxlng_add_mode(connector, cw, ch, false);
		drm_set_preferred_mode(connector, cw, ch);
	} else {
		drm_set_preferred_mode(connector, 1024, 768);
	}
	return count;
}

static const struct drm_connector_helper_funcs qxlng_conn_helper_funcs = {
	.get_modes = qxlng_conn_get_modes,
};

static enum drm_connector_status
qxlng_conn_detect(struct drm_connector *connector, bool force)
{
	struct qxlng_device *qdev = to_qxlng(connector->dev);
	struct qxlng_output *out = qxlng_output_of_connector(connector);
	bool on;

	if (out->index == 0)
		return connector_status_connected;
	/*
	 * Without a client monitors config every head the num_heads
	 * parameter asked for is there; with one, the heads it enables.
	 */
	mutex_lock(&qdev->client_lock);
	on = qdev->n_client_heads <= 0 ||
	     ((int)out->index < qdev->n_client_heads &&
	      qdev->client_heads[out->index].w);
	mutex_unlock(&qdev->client_lock);
	return on ? connector_status_connected :
		    connector_status_disconnected;
}

static const struct drm_connector_funcs qxlng_conn_funcs = {
	.reset = drm_atomic_helper_connector_reset,
	.detect = qxlng_conn_detect,
	.fill_modes = drm_helper_probe_single_connector_modes,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/* ---------------------------------------------------------------- */
/* Client monitors config                                            */
/* ---------------------------------------------------------------- */

/* Returns true if the config was read and differs from the last one. */
static bool qxlng_client_monitors_update(struct qxlng_device *qdev)
{
	struct qxlng_head_rect heads[QXLNG_MAX_HEADS] = { 0 };
	const struct qxl_urect *req = qdev->client_scratch.heads;
	bool changed;
	int i, n;

	mutex_lock(&qdev->client_lock);
	n = qxlng_monitors_read(qxlng_hw_read_client_config, qdev,
				QXLNG_MONITORS_READ_TRIES,
				&qdev->client_scratch, qdev->num_heads, heads);
	if (n < 0) {
		mutex_unlock(&qdev->client_lock);
		drm_err_ratelimited(&qdev->drm,
				    "client monitors config CRC wrong after %u reads\n",
				    QXLNG_MONITORS_READ_TRIES);
		return false;
	}
	for (i = 0; i < n; i++) {
		const char *why = qxlng_monitors_head_check(&req[i]);

		if (why)
			drm_dbg_kms(&qdev->drm, "client head %d off: %s\n", i,
				    why);
	}
	changed = n != qdev->n_client_heads ||
		  memcmp(heads, qdev->client_heads, sizeof(heads));
	memcpy(qdev->client_heads, heads, sizeof(heads));
	qdev->n_client_heads = n;
	mutex_unlock(&qdev->client_lock);
	return changed;
}

/*
 * Each connector's suggested X/Y: where the client shows that head, so a
 * desktop lays its monitors out as the client window does.
 */
static void qxlng_update_offset_props(struct qxlng_device *qdev)
{
	struct drm_device *dev = &qdev->drm;
	unsigned int i;

	drm_modeset_lock_all(dev);
	mutex_lock(&qdev->client_lock);
	for (i = 0; i < qdev->num_heads; i++) {
		struct drm_connector *c = &qdev->outputs[i].connector;
		struct qxlng_head_rect head = { 0 };

		if ((int)i < qdev->n_client_heads)
			head = qdev->client_heads[i];
		drm_object_property_set_value(&c->base,
					      dev->mode_config.suggested_x_property,
					      head.x);
		drm_object_property_set_value(&c->base,
					      dev->mode_config.suggested_y_property,
					      head.y);
	}
	mutex_unlock(&qdev->client_lock);
	drm_modeset_unlock_all(dev);
}

/* client_monitors_work, scheduled by the IRQ handler (qxlng_hw.c). */
static void qxlng_client_monitors_work(struct work_struct *work)
{
	struct qxlng_device *qdev = container_of(work, struct qxlng_device,
						 client_monitors_work);
	struct drm_device *dev = &qdev->drm;
	struct drm_connector_list_iter iter;
	struct drm_connector *connector;

	if (!qxlng_client_monitors_update(qdev))
		return;
	qxlng_update_offset_props(qdev);
	drm_kms_helper_hotplug_event(dev);
	/*
	 * The fbdev emulation probed with its framebuffer's size as the
	 * limit, which drops every larger mode from the lists userspace
	 * reads in sysfs: probe again with the device's own limits.
	 */
	mutex_lock(&dev->mode_config.mutex);
	drm_connector_list_iter_begin(dev, &iter);
	drm_for_each_connector_iter(connector, &iter)
		connector->funcs->fill_modes(connector,
					     dev->mode_config.max_width,
					     dev->mode_config.max_height);
	drm_connector_list_iter_end(&iter);
	mutex_unlock(&dev->mode_config.mutex);
}

/* ---------------------------------------------------------------- */
/* Setup                                                             */
/* ---------------------------------------------------------------- */

static int qxlng_output_init(struct qxlng_device *qdev, unsigned int i)
{
	struct drm_device *dev = &qdev->drm;
	struct qxlng_output *out = &qdev->outputs[i];
	int ret;

	out->index = i;
	ret = drm_universal_plane_init(dev, &out->primary, BIT(i),
				       &qxlng_plane_funcs,
				       qxlng_primary_formats,
				       ARRAY_SIZE(qxlng_primary_formats),
				       NULL, DRM_PLANE_TYPE_PRIMARY, NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(&out->primary, &qxlng_primary_helper_funcs);
	drm_plane_enable_fb_damage_clips(&out->primary);

	ret = drm_universal_plane_init(dev, &out->cursor, BIT(i),
				       &qxlng_plane_funcs,
				       qxlng_cursor_formats,
				       ARRAY_SIZE(qxlng_cursor_formats),
				       NULL, DRM_PLANE_TYPE_CURSOR, NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(&out->cursor, &qxlng_cursor_helper_funcs);

	ret = drmm_crtc_init_with_planes(dev, &out->crtc, &out->primary,
					 &out->cursor, &qxlng_crtc_funcs,
					 NULL);
	if (ret)
		return ret;
	drm_crtc_helper_add(&out->crtc, &qxlng_crtc_helper_funcs);

	ret = drmm_encoder_init(dev, &out->encoder, NULL,
				DRM_MODE_ENCODER_VIRTUAL, NULL);
	if (ret)
		return ret;
	out->encoder.possible_crtcs = BIT(i);

	ret = drmm_connector_init(dev, &out->connector, &qxlng_conn_funcs,
				  DRM_MODE_CONNECTOR_VIRTUAL, NULL);
	if (ret)
		return ret;
	drm_connector_helper_add(&out->connector, &qxlng_conn_helper_funcs);
	out->connector.polled = DRM_CONNECTOR_POLL_HPD;
	/*
	 * What desktops look for on a virtual display: the preferred mode
	 * follows the client's window (hotplug_mode_update = 1), and the
	 * client's layout of the heads (suggested X/Y).
	 */
	drm_object_attach_property(&out->connector.base,
				   qdev->hotplug_mode_update_property, 1);
	drm_object_attach_property(&out->connector.base,
				   dev->mode_config.suggested_x_property, 0);
	drm_object_attach_property(&out->connector.base,
				   dev->mode_config.suggested_y_property, 0);
	return drm_connector_attach_encoder(&out->connector, &out->encoder);
}

int qxlng_kms_init(struct qxlng_device *qdev)
{
	struct drm_device *dev = &qdev->drm;
	unsigned int i;
	int ret;

	ret = drmm_mode_config_init(dev);
	if (ret)
		return ret;
	dev->mode_config.min_width = 64;
	dev->mode_config.min_height = 64;
	dev->mode_config.max_width = QXLNG_MONITOR_MAX_DIM;
	dev->mode_config.max_height = QXLNG_MONITOR_MAX_DIM;
	dev->mode_config.preferred_depth = 24;
	dev->mode_config.cursor_width = QXLNG_CURSOR_SIZE;
	dev->mode_config.cursor_height = QXLNG_CURSOR_SIZE;
	dev->mode_config.funcs = &qxlng_mode_config_funcs;
	dev->mode_config.helper_private = &qxlng_mode_config_helpers;

	ret = drm_mode_create_suggested_offset_properties(dev);
	if (ret)
		return ret;
	qdev->hotplug_mode_update_property =
		drm_property_create_range(dev, DRM_MODE_PROP_IMMUTABLE,
					  "hotplug_mode_update", 0, 1);
	if (!qdev->hotplug_mode_update_property)
		return -ENOMEM;

	mutex_init(&qdev->layout_lock);
	mutex_init(&qdev->client_lock);
	INIT_WORK(&qdev->client_monitors_work, qxlng_client_monitors_work);
	qdev->n_client_heads = -1;
	qxlng_client_monitors_update(qdev);

	for (i = 0; i < qdev->num_heads; i++) {
		ret = qxlng_output_init(qdev, i);
		if (ret)
			return ret;
	}
	qxlng_update_offset_props(qdev);
	ret = qxlng_vblank_init(qdev);
	if (ret)
		return ret;
	drm_mode_config_reset(dev);
	return 0;
}
