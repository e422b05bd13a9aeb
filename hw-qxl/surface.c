// SPDX-License-Identifier: MIT
/*
 * surface.c - the surface table (primary = id 0, off-screen surfaces in
 * guest memory), pixman images over validated memory, and primary damage
 * reporting to the display sink.
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_internal.h"

int qxl_surface_bpp(uint32_t format)
{
	switch (format) {
	case QXL_SURFACE_FMT_32_xRGB:
	case QXL_SURFACE_FMT_32_ARGB:
		return 32;
	case QXL_SURFACE_FMT_16_555:
	case QXL_SURFACE_FMT_16_565:
		return 16;
	case QXL_SURFACE_FMT_8_A:
		return 8;
	case QXL_SURFACE_FMT_1_A:
		return 1;
	default:
		return 0;
	}
}

pixman_format_code_t qxl_surface_pixman_format(uint32_t format)
{
	switch (format) {
	case QXL_SURFACE_FMT_32_xRGB:
		return PIXMAN_x8r8g8b8;
	case QXL_SURFACE_FMT_32_ARGB:
		return PIXMAN_a8r8g8b8;
	case QXL_SURFACE_FMT_16_555:
		return PIXMAN_x1r5g5b5;
	case QXL_SURFACE_FMT_16_565:
		return PIXMAN_r5g6b5;
	case QXL_SURFACE_FMT_8_A:
		return PIXMAN_a8;
	case QXL_SURFACE_FMT_1_A:
		return PIXMAN_a1;
	default:
		return 0;
	}
}

/*
 * Validate geometry and wrap mem (|stride| * height bytes, already
 * translated by the caller) as surface 'id'.  Returns 0 or -1 (guest bug).
 */
int qxl_surface_create(struct qxl_device *dev, uint32_t id, uint32_t width,
		       uint32_t height, int32_t stride, uint32_t format,
		       uint8_t *mem, bool keep_data)
{
	struct qxl_surface_state *s = &dev->surfaces[id];
	uint64_t abs_stride, total;

	abs_stride = stride < 0 ? -(int64_t)stride : stride;
	total = abs_stride * height;
	s->image = pixman_image_create_bits(qxl_surface_pixman_format(format),
					    (int)width, (int)height,
					    (uint32_t *)(void *)(stride < 0 ?
					    mem + abs_stride * (height - 1) :
					    mem), stride);
	if (!s->image) {
		qxl_guest_bug(dev, "surface %u: pixman refused %ux%u stride %d",
			      id, width, height, stride);
		return -1;
	}
	if (!keep_data)
		memset(mem, 0, total);
	s->live = true;
	s->width = width;
	s->height = height;
	s->stride = stride;
	s->format = format;
	s->mem = mem;
	s->line0 = stride < 0 ? mem + abs_stride * (height - 1) : mem;
	return 0;
}

/*
 * Check a surface's parameters the guest gave; returns the byte size
 * (|stride| * height) or 0 after a guest bug.
 */
static uint64_t surface_params_ok(struct qxl_device *dev, const char *what,
				  uint32_t width, uint32_t height,
				  int32_t stride, uint32_t format)
{
	int bpp = qxl_surface_bpp(format);
	uint64_t abs_stride, min_stride;

	if (!bpp) {
		qxl_guest_bug(dev, "%s: invalid format %u", what, format);
		return 0;
	}
	if (width == 0 || height == 0 || width > QXL_MAX_SURFACE_DIM ||
	    height > QXL_MAX_SURFACE_DIM) {
		qxl_guest_bug(dev, "%s: size %ux%u outside 1..%u", what, width,
			      height, QXL_MAX_SURFACE_DIM);
		return 0;
	}
	if (stride == INT32_MIN) {
		qxl_guest_bug(dev, "%s: stride INT32_MIN", what);
		return 0;
	}
	if (stride & 3) {
		qxl_guest_bug(dev, "%s: stride %d is not a multiple of 4", what,
			      stride);
		return 0;
	}
	abs_stride = stride < 0 ? -(int64_t)stride : stride;
	min_stride = ((uint64_t)width * (uint64_t)bpp + 7) / 8;
	if (abs_stride < min_stride) {
		qxl_guest_bug(dev, "%s: stride %d < %llu bytes for width %u",
			      what, stride, (unsigned long long)min_stride,
			      width);
		return 0;
	}
	/* Both factors are < 2^31, so this cannot overflow 64 bits. */
	return abs_stride * height;
}

static void primary_shadow_refresh(struct qxl_device *dev, int y, int h)
{
	struct qxl_surface_state *s = &dev->surfaces[0];
	uint32_t abs_stride = (uint32_t)-s->stride;
	int i;

	for (i = y; i < y + h; i++)
		memcpy(dev->primary_shadow + (size_t)i * abs_stride,
		       s->line0 - (ptrdiff_t)i * abs_stride, abs_stride);
}

int qxl_primary_create(struct qxl_device *dev,
		       const struct qxl_surface_create *sc)
{
	struct qxl_surface_state *s = &dev->surfaces[0];
	struct qxl_primary_info info;
	uint64_t size;
	uint8_t *mem;

	if (sc->stride == INT32_MIN) {
		qxl_guest_bug(dev, "CREATE_PRIMARY: stride INT32_MIN");
		return -1;
	}
	if ((uint64_t)(sc->stride < 0 ? -(int64_t)sc->stride : sc->stride) *
	    sc->height > dev->cfg.vgamem_size) {
		qxl_guest_bug(dev, "CREATE_PRIMARY: stride %d x height %u is "
			      "larger than vgamem (%llu)", sc->stride,
			      sc->height,
			      (unsigned long long)dev->cfg.vgamem_size);
		return -1;
	}
	if (dev->mode == QXL_MODE_NATIVE || s->live) {
		qxl_guest_bug(dev, "CREATE_PRIMARY: a primary already exists");
		return -1;
	}
	if (sc->format != QXL_SURFACE_FMT_32_xRGB &&
	    sc->format != QXL_SURFACE_FMT_32_ARGB &&
	    sc->format != QXL_SURFACE_FMT_16_555 &&
	    sc->format != QXL_SURFACE_FMT_16_565) {
		qxl_guest_bug(dev, "CREATE_PRIMARY: format %u is not a "
			      "display format", sc->format);
		return -1;
	}
	size = surface_params_ok(dev, "CREATE_PRIMARY", sc->width, sc->height,
				 sc->stride, sc->format);
	if (!size)
		return -1;
	mem = qxl_memslot_translate(dev, sc->mem, size);
	if (!mem)
		return -1;
	if (sc->stride < 0) {
		free(dev->primary_shadow);
		dev->primary_shadow = malloc(size);
		if (!dev->primary_shadow) {
			qxl_guest_warn(dev, "no memory for a %llu byte "
				       "shadow", (unsigned long long)size);
			return -1;
		}
	}
	if (qxl_surface_create(dev, 0, sc->width, sc->height, sc->stride,
			       sc->format, mem,
			       sc->flags & QXL_SURF_FLAG_KEEP_DATA))
		return -1;
	if (sc->stride < 0)
		primary_shadow_refresh(dev, 0, (int)sc->height);
	if (dev->sink && dev->sink->primary_create &&
	    qxl_device_get_primary(dev, &info))
		dev->sink->primary_create(dev->sink_opaque, &info);
	return 0;
}

/*
 * Forget a surface.  hand_back: release the CREATE command it held (the
 * DESTROY command and the DESTROY_ALL_SURFACES port do; a device reset,
 * which re-initialises the release ring, does not).
 */
static void surface_free(struct qxl_device *dev, struct qxl_surface_state *s,
			 bool hand_back)
{
	uint8_t *create_cmd = s->create_cmd;

	if (s->image)
		pixman_image_unref(s->image);
	memset(s, 0, sizeof(*s));
	if (create_cmd && hand_back)
		qxl_release(dev, create_cmd);
}

bool qxl_primary_destroy(struct qxl_device *dev)
{
	struct qxl_surface_state *s = &dev->surfaces[0];

	if (!s->live)
		return false;
	qxl_damage_flush(dev);
	surface_free(dev, s, false);	/* made by a port: no command */
	free(dev->primary_shadow);
	dev->primary_shadow = NULL;
	pixman_region32_clear(&dev->damage);
	if (dev->sink && dev->sink->primary_destroy)
		dev->sink->primary_destroy(dev->sink_opaque);
	return true;
}

void qxl_surface_destroy(struct qxl_device *dev, uint32_t id)
{
	if (id == 0) {
		qxl_primary_destroy(dev);
		return;
	}
	surface_free(dev, &dev->surfaces[id], true);
}

/* In id order, as spice-server walks its surface table. */
void qxl_surfaces_destroy_all(struct qxl_device *dev, bool hand_back)
{
	uint32_t i;

	qxl_primary_destroy(dev);
	for (i = 1; i < dev->cfg.n_surfaces; i++)
		if (dev->surfaces[i].live)
			surface_free(dev, &dev->surfaces[i], hand_back);
}

void qxl_damage_add(struct qxl_device *dev, uint32_t surface_id,
		    const pixman_region32_t *region)
{
	if (surface_id != 0)
		return;
	pixman_region32_union(&dev->damage, &dev->damage,
			      (pixman_region32_t *)region);
}

void qxl_damage_flush(struct qxl_device *dev)
{
	struct qxl_surface_state *s = &dev->surfaces[0];
	pixman_box32_t *boxes;
	int n, i;

	if (!pixman_region32_not_empty(&dev->damage))
		return;
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
	if (dev->sink && dev->sink->flush)
		dev->sink->flush(dev->sink_opaque);
}

/* ---- QXL_CMD_SURFACE ------------------------------------------------ */

/*
 * CREATE: 0 when the surface now holds the command (released with its
 * DESTROY), 1 when the command is to be released now, -1 on a guest bug.
 */
static int surface_cmd_create(struct qxl_device *dev,
			      const struct qxl_surface_cmd *cmd, uint8_t *p)
{
	const struct qxl_surface *sc = &cmd->u.surface_create;
	uint64_t size;
	uint8_t *mem;

	if (cmd->surface_id == 0) {
		qxl_guest_bug(dev, "surface create: surface 0 is the primary");
		return -1;
	}
	if (dev->surfaces[cmd->surface_id].live) {
		/* spice-server: warned, dropped, released; the old stays. */
		qxl_guest_warn(dev, "surface create: surface %u exists",
			       cmd->surface_id);
		return 1;
	}
	size = surface_params_ok(dev, "surface create", sc->width, sc->height,
				 sc->stride, sc->format);
	if (!size)
		return -1;
	mem = qxl_memslot_translate(dev, sc->data, size);
	if (!mem)
		return -1;
	if (qxl_surface_create(dev, cmd->surface_id, sc->width, sc->height,
			       sc->stride, sc->format, mem,
			       cmd->flags & QXL_SURF_FLAG_KEEP_DATA))
		return -1;
	dev->surfaces[cmd->surface_id].create_cmd = p;
	return 0;
}

void qxl_cmd_surface(struct qxl_device *dev, qxl_phys addr)
{
	uint8_t *p = qxl_memslot_translate(dev, addr,
					   sizeof(struct qxl_surface_cmd));
	struct qxl_surface_cmd cmd;

	if (!p)
		return;
	memcpy(&cmd, p, sizeof(cmd));
	if (cmd.surface_id >= dev->cfg.n_surfaces) {
		qxl_guest_bug(dev, "surface command: surface %u >= %u",
			      cmd.surface_id, dev->cfg.n_surfaces);
		return;
	}
	switch (cmd.type) {
	case QXL_SURFACE_CMD_CREATE:
		if (surface_cmd_create(dev, &cmd, p) <= 0)
			return;
		break;
	case QXL_SURFACE_CMD_DESTROY:
		if (!dev->surfaces[cmd.surface_id].live) {
			/* Harmless (e.g. after a device reset): log, drop. */
			qxl_guest_warn(dev, "destroy of missing surface %u",
				       cmd.surface_id);
			break;
		}
		/* Hands the CREATE back first, then this DESTROY below. */
		qxl_surface_destroy(dev, cmd.surface_id);
		break;
	default:
		qxl_guest_bug(dev, "surface command: unknown type %u",
			      cmd.type);
		return;
	}
	qxl_release(dev, p);
}
