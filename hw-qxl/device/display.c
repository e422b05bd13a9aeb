// SPDX-License-Identifier: MIT
/*
 * display.c - the surfaces as the guest and the display sink see them:
 * the primary (created by a port, with a top-down shadow when the guest's
 * is bottom-up), off-screen surfaces' lifetimes and the CREATE commands
 * they hold, damage on the primary (and moves, for sinks that take them),
 * and the guest's monitors config.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "qxl_dev.h"

static void primary_shadow_refresh(struct qxl_device *dev, int y, int h)
{
	struct qxl_surface_state *s = &dev->render.surfaces[0];
	uint32_t abs_stride = (uint32_t)-s->stride;
	int i;

	for (i = y; i < y + h; i++)
		memcpy(dev->primary_shadow + (size_t)i * abs_stride,
		       s->line0 - (ptrdiff_t)i * abs_stride, abs_stride);
}

int qxl_primary_create(struct qxl_device *dev,
		       const struct qxl_surface_create *sc)
{
	struct qxl_surface_desc desc;
	struct qxl_primary_info info;

	if (qxl_parse_primary(&dev->mem, sc, dev->cfg.vgamem_size,
			      dev->mode == QXL_MODE_NATIVE ||
			      dev->render.surfaces[0].live, &desc))
		return -1;
	if (desc.stride < 0) {
		free(dev->primary_shadow);
		dev->primary_shadow = malloc(desc.size);
		if (!dev->primary_shadow) {
			qxl_guest_warn(dev, "no memory for a %llu byte shadow",
				       (unsigned long long)desc.size);
			return -1;
		}
	}
	if (qxl_surface_create(&dev->render, 0, &desc))
		return -1;
	if (desc.stride < 0)
		primary_shadow_refresh(dev, 0, (int)desc.height);
	if (dev->sink && dev->sink->primary_create &&
	    qxl_device_get_primary(dev, &info))
		dev->sink->primary_create(dev->sink_opaque, &info);
	return 0;
}

bool qxl_primary_destroy(struct qxl_device *dev)
{
	if (!dev->render.surfaces[0].live)
		return false;
	qxl_damage_flush(dev);
	qxl_note_surface_written(dev, 0);
	qxl_surface_free(&dev->render, 0);	/* made by a port: no command */
	free(dev->primary_shadow);
	dev->primary_shadow = NULL;
	pixman_region32_clear(&dev->damage);
	if (dev->sink && dev->sink->primary_destroy)
		dev->sink->primary_destroy(dev->sink_opaque);
	return true;
}

/*
 * Forget a surface.  hand_back: release the CREATE command it held (the
 * DESTROY command and the DESTROY_ALL_SURFACES port do; a device reset,
 * which re-initialises the release ring, does not).
 */
void qxl_surface_destroy(struct qxl_device *dev, uint32_t id, bool hand_back)
{
	uint8_t *create_cmd;

	if (id == 0) {
		qxl_primary_destroy(dev);
		return;
	}
	create_cmd = dev->held_create[id];
	qxl_note_surface_written(dev, id);
	qxl_surface_free(&dev->render, id);
	dev->held_create[id] = NULL;
	if (create_cmd && hand_back)
		qxl_hand_back(dev, create_cmd);
}

/* In id order, as spice-server walks its surface table. */
void qxl_surfaces_destroy_all(struct qxl_device *dev, bool hand_back)
{
	uint32_t i;

	qxl_primary_destroy(dev);
	for (i = 1; i < dev->cfg.n_surfaces; i++)
		if (dev->render.surfaces[i].live)
			qxl_surface_destroy(dev, i, hand_back);
}

void qxl_damage_add(struct qxl_device *dev, uint32_t surface_id,
		    const pixman_region32_t *region)
{
	if (surface_id != 0)
		return;
	pixman_region32_union(&dev->damage, &dev->damage,
			      (pixman_region32_t *)region);
}

/* The damage so far goes to the sink (the shadow refreshed first). */
static bool damage_report(struct qxl_device *dev)
{
	struct qxl_surface_state *s = &dev->render.surfaces[0];
	pixman_box32_t *boxes;
	int n, i;

	if (!pixman_region32_not_empty(&dev->damage))
		return false;
	boxes = pixman_region32_rectangles(&dev->damage, &n);
	for (i = 0; i < n && s->live; i++) {
		int w = boxes[i].x2 - boxes[i].x1, h = boxes[i].y2 - boxes[i].y1;

		if (w <= 0 || h <= 0)
			continue;
		if (s->stride < 0)
			primary_shadow_refresh(dev, boxes[i].y1, h);
		if (dev->sink && dev->sink->damage)
			dev->sink->damage(dev->sink_opaque, boxes[i].x1,
					  boxes[i].y1, w, h);
	}
	pixman_region32_clear(&dev->damage);
	dev->sink_unflushed = true;
	return true;
}

/* The sink hears of a batch's end after any damage or copy in it. */
void qxl_damage_flush(struct qxl_device *dev)
{
	damage_report(dev);
	if (!dev->sink_unflushed)
		return;
	dev->sink_unflushed = false;
	if (dev->sink && dev->sink->flush)
		dev->sink->flush(dev->sink_opaque);
}

/* One band's moves (n boxes, one y range), against the motion. */
static void copy_band(struct qxl_device *dev, const pixman_box32_t *b, int n,
		      int dx, int dy)
{
	struct qxl_surface_state *s = &dev->render.surfaces[0];
	int i;

	for (i = 0; i < n; i++) {
		const pixman_box32_t *r = &b[dx < 0 ? n - 1 - i : i];

		if (s->stride < 0)
			primary_shadow_refresh(dev, r->y1, r->y2 - r->y1);
		dev->sink->copy(dev->sink_opaque, r->x1, r->y1, r->x2 - r->x1,
				r->y2 - r->y1, r->x1 + dx, r->y1 + dy);
	}
}

/*
 * A sink that takes moves gets the copy's rectangles as moves, after the
 * damage before them.  They go in the order X copies an overlapping
 * region in: bands top down and boxes left to right, each reversed when
 * the source lies above (dy < 0) or to the left (dx < 0), so that no move
 * overwrites the source of a later one.  Other sinks get damage.
 */
void qxl_damage_copy(struct qxl_device *dev, uint32_t surface_id,
		     const pixman_region32_t *region, int dx, int dy)
{
	pixman_box32_t *b;
	int n, k, end;

	if (surface_id != 0)
		return;
	if (!dev->sink || !dev->sink->copy) {
		qxl_damage_add(dev, surface_id, region);
		return;
	}
	damage_report(dev);
	dev->sink_unflushed = true;
	b = pixman_region32_rectangles((pixman_region32_t *)region, &n);
	if (dy >= 0) {
		for (k = 0; k < n; k = end) {
			for (end = k + 1; end < n && b[end].y1 == b[k].y1; end++)
				;
			copy_band(dev, b + k, end - k, dx, dy);
		}
	} else {
		for (end = n; end > 0; end = k) {
			for (k = end - 1; k > 0 && b[k - 1].y1 == b[end - 1].y1;
			     k--)
				;
			copy_band(dev, b + k, end - k, dx, dy);
		}
	}
}

bool qxl_device_get_primary(const struct qxl_device *dev,
			    struct qxl_primary_info *info)
{
	const struct qxl_surface_state *s = &dev->render.surfaces[0];

	if (!s->live)
		return false;
	info->width = s->width;
	info->height = s->height;
	info->format = s->format;
	if (s->stride < 0) {
		info->stride = (uint32_t)-s->stride;
		info->data = dev->primary_shadow;
	} else {
		info->stride = (uint32_t)s->stride;
		info->data = s->line0;
	}
	return true;
}

/* MONITORS_CONFIG_ASYNC: the guest's head layout, kept and sunk. */
void qxl_monitors_config_read(struct qxl_device *dev)
{
	struct qxl_head heads[QXL_MAX_MONITOR_HEADS];
	int n, i;

	n = qxl_parse_monitors_config(&dev->mem, dev->ramh->monitors_config,
				      QXL_MAX_MONITOR_HEADS,
				      dev->cfg.max_outputs, heads);
	if (n <= 0)
		return;
	for (i = 0; i < n; i++) {
		dev->monitors[i].id = heads[i].id;
		dev->monitors[i].surface_id = heads[i].surface_id;
		dev->monitors[i].x = heads[i].x;
		dev->monitors[i].y = heads[i].y;
		dev->monitors[i].width = heads[i].width;
		dev->monitors[i].height = heads[i].height;
		dev->monitors[i].flags = heads[i].flags;
	}
	dev->n_monitors = (unsigned int)n;
	if (dev->sink && dev->sink->monitors_config)
		dev->sink->monitors_config(dev->sink_opaque, dev->n_monitors,
					   dev->monitors);
}
