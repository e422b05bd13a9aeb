// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_cmd.c - one function per device command.
 *
 * Each command is built on the stack, copied once into an allocation in
 * BAR0's pages, registered for release and pushed on its ring.
 */
#include <linux/device.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include <drm/drm_print.h>

#include "qxlng_drv.h"

#define QXLNG_RING_TRIES	50
#define QXLNG_RING_WAIT		(HZ / 10)

/*
 * Put one command on ring and kick the device if it asked.  While the
 * ring is full, every wait that runs out kicks it again: QEMU's SPICE
 * worker has been seen idle for good with a full command ring (waiting
 * for a kick it had missed, after NOTIFY_OOMs); a kick it did not need
 * costs one I/O exit.
 */
static int qxlng_push(struct qxlng_device *qdev, struct qxlng_ring *ring,
		      u32 offset, u32 type, u64 id)
{
	struct qxl_command cmd = {
		.data = qxlng_phys(qdev, offset),
		.type = type,
	};
	unsigned int tries = 0;
	int ret = 0;

	mutex_lock(&ring->lock);
	while (qxl_ring_prod_wait(ring->hdr, ring->size)) {
		if (++tries > QXLNG_RING_TRIES || READ_ONCE(qdev->guest_bug)) {
			drm_err_ratelimited(&qdev->drm, "%s ring stuck full\n",
					    ring->name);
			ret = -EBUSY;
			goto out;
		}
		if (!wait_event_timeout(ring->wq,
					!qxl_ring_prod_full(ring->hdr, ring->size),
					QXLNG_RING_WAIT))
			qxlng_io_write(qdev, ring->notify_port, 0);
	}
	memcpy(&ring->items[qxl_ring_prod_slot(ring->hdr, ring->size)], &cmd,
	       sizeof(cmd));
	qxlng_release_pushed(qdev, id);
	if (qxl_ring_push(ring->hdr))
		qxlng_io_write(qdev, ring->notify_port, 0);
out:
	mutex_unlock(&ring->lock);
	return ret;
}

/* Allocate size bytes for a command and give it a release id. */
static int qxlng_cmd_alloc(struct qxlng_device *qdev, u32 size, u32 *offset,
			   u64 *id)
{
	int ret = qxlng_mem_alloc(qdev, size, offset);

	if (ret)
		return ret;
	ret = qxlng_release_add(qdev, *offset, size, id);
	if (ret)
		qxlng_mem_free(qdev, *offset, size);
	return ret;
}

static int qxlng_push_or_cancel(struct qxlng_device *qdev,
				struct qxlng_ring *ring, u32 offset, u32 type,
				u64 id)
{
	int ret = qxlng_push(qdev, ring, offset, type, id);

	if (ret)
		qxlng_release_cancel(qdev, id);
	return ret;
}

struct qxlng_primary_args {
	u32 width;
	u32 height;
	u32 stride;
	u32 format;
};

static void qxlng_create_primary_setup(struct qxlng_device *qdev,
				       const void *arg)
{
	const struct qxlng_primary_args *p = arg;
	struct qxl_surface_create cs = { 0 };

	cs.width = p->width;
	cs.height = p->height;
	cs.stride = p->stride;
	cs.format = p->format;
	cs.type = QXL_SURF_TYPE_PRIMARY;
	cs.mem = qxlng_phys(qdev, 0);
	memcpy(&qdev->ram_header->create_surface, &cs, sizeof(cs));
}

/* format: QXL_SURFACE_FMT_32_xRGB or QXL_SURFACE_FMT_16_565. */
int qxlng_cmd_create_primary(struct qxlng_device *qdev, u32 width,
			     u32 height, u32 format)
{
	struct qxlng_primary_args p = {
		.width = width, .height = height, .format = format,
	};
	u32 size;

	if (!qxlng_primary_size(format, width, height, &p.stride, &size) ||
	    size > qdev->layout.surface0_size)
		return -EINVAL;
	return qxlng_io_async(qdev, QXL_IO_CREATE_PRIMARY_ASYNC, 0,
			      qxlng_create_primary_setup, &p);
}

int qxlng_cmd_destroy_primary(struct qxlng_device *qdev)
{
	return qxlng_io_async(qdev, QXL_IO_DESTROY_PRIMARY_ASYNC, 0, NULL,
			      NULL);
}

/* Layout of one DRAW_COPY allocation. */
#define QXLNG_DRAW_IMAGE_OFF	ALIGN(sizeof(struct qxl_drawable), 8)
#define QXLNG_DRAW_CHUNK_OFF	ALIGN(QXLNG_DRAW_IMAGE_OFF + \
				      sizeof(struct qxl_image), 8)
#define QXLNG_DRAW_PIXELS_OFF	(QXLNG_DRAW_CHUNK_OFF + \
				 sizeof(struct qxl_data_chunk))

/*
 * Copy lines [y, y + h) of columns [x, x + w) of src to the primary.  The
 * bitmap is 32 bpp also for an RGB565 source (src_cpp 2): the ABI's
 * 16-bit bitmap is x555, which would drop a bit of green.
 */
static int qxlng_draw_band(struct qxlng_device *qdev, const u8 *src,
			   u32 src_pitch, u32 src_cpp, u32 x, u32 y, u32 w,
			   u32 h, s32 dst_x, s32 dst_y)
{
	struct qxl_drawable d = { 0 };
	struct qxl_image img = { 0 };
	struct qxl_data_chunk chunk = { 0 };
	u32 stride, bytes, total, offset, line;
	const struct qxl_rom *rom = (const struct qxl_rom *)qdev->rom_live;
	u8 *base, *pixels;
	u64 id;
	int ret;

	if (!qxlng_bitmap_size(w, h, &stride, &bytes) ||
	    check_add_overflow(bytes, (u32)QXLNG_DRAW_PIXELS_OFF, &total))
		return -EINVAL;
	ret = qxlng_cmd_alloc(qdev, total, &offset, &id);
	if (ret)
		return ret;
	base = qdev->ram + offset;

	d.release_info.id = id;
	d.surface_id = 0;
	d.effect = QXL_EFFECT_OPAQUE;
	d.type = QXL_DRAW_COPY;
	d.bbox.left = dst_x;
	d.bbox.top = dst_y;
	d.bbox.right = dst_x + w;
	d.bbox.bottom = dst_y + h;
	d.clip.type = QXL_CLIP_TYPE_NONE;
	d.mm_time = READ_ONCE(rom->mm_clock);
	d.surfaces_dest[0] = -1;
	d.surfaces_dest[1] = -1;
	d.surfaces_dest[2] = -1;
	d.u.copy.src_bitmap = qxlng_phys(qdev, offset + QXLNG_DRAW_IMAGE_OFF);
	d.u.copy.src_area.right = w;
	d.u.copy.src_area.bottom = h;
	d.u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	d.u.copy.scale_mode = QXL_SCALE_MODE_NEAREST;

	img.descriptor.type = QXL_IMAGE_TYPE_BITMAP;
	img.descriptor.width = w;
	img.descriptor.height = h;
	img.bitmap.format = QXL_BITMAP_FMT_32BIT;
	img.bitmap.flags = QXL_BITMAP_TOP_DOWN;
	img.bitmap.x = w;
	img.bitmap.y = h;
	img.bitmap.stride = stride;
	img.bitmap.data = qxlng_phys(qdev, offset + QXLNG_DRAW_CHUNK_OFF);

	chunk.data_size = bytes;

	memcpy(base, &d, sizeof(d));
	memcpy(base + QXLNG_DRAW_IMAGE_OFF, &img, sizeof(img));
	memcpy(base + QXLNG_DRAW_CHUNK_OFF, &chunk, sizeof(chunk));
	pixels = base + QXLNG_DRAW_PIXELS_OFF;
	for (line = 0; line < h; line++) {
		const u8 *from = src + (size_t)(y + line) * src_pitch +
				 (size_t)x * src_cpp;

		if (src_cpp == 2)
			qxlng_copy_rgb565_to_xrgb8888(pixels +
						      (size_t)line * stride,
						      from, w);
		else
			qxlng_copy_bytes(pixels + (size_t)line * stride, from,
					 stride);
	}

	ret = qxlng_push_or_cancel(qdev, &qdev->cmd_ring, offset, QXL_CMD_DRAW,
				   id);
	if (!ret)
		atomic_inc(&qdev->stats.draws);
	return ret;
}

/*
 * Copy rectangle r of an XRGB8888 (src_cpp 4) or RGB565 (src_cpp 2)
 * buffer (src, src_pitch) to the primary surface at (dst_x, dst_y), in
 * bands that fit QXLNG_DRAW_MAX_BYTES.
 */
int qxlng_cmd_draw_copy(struct qxlng_device *qdev, const u8 *src,
			u32 src_pitch, u32 src_cpp, const struct qxl_rect *r,
			s32 dst_x, s32 dst_y)
{
	u32 w, h, lines, y;
	int ret;

	if (r->right <= r->left || r->bottom <= r->top || r->left < 0 ||
	    r->top < 0 || (src_cpp != 2 && src_cpp != 4))
		return -EINVAL;
	w = r->right - r->left;
	h = r->bottom - r->top;
	lines = qxlng_damage_band_lines(w, QXLNG_DRAW_MAX_BYTES);
	if (!lines)
		return -EINVAL;
	for (y = 0; y < h; y += lines) {
		u32 band = min(lines, h - y);

		ret = qxlng_draw_band(qdev, src, src_pitch, src_cpp, r->left,
				      r->top + y, w, band, dst_x, dst_y + y);
		if (ret)
			return ret;
	}
	return 0;
}

/* Layout of one cursor SET allocation. */
#define QXLNG_CURSOR_SHAPE_OFF	ALIGN(sizeof(struct qxl_cursor_cmd), 8)
#define QXLNG_CURSOR_BYTES	(QXLNG_CURSOR_SIZE * QXLNG_CURSOR_SIZE * 4)

int qxlng_cmd_cursor_set(struct qxlng_device *qdev, const u8 *argb,
			 u32 pitch, u16 hot_x, u16 hot_y, s16 x, s16 y)
{
	struct qxl_cursor_cmd cmd = { 0 };
	struct qxl_cursor cur = { 0 };
	const u32 total = QXLNG_CURSOR_SHAPE_OFF + sizeof(cur) +
			  QXLNG_CURSOR_BYTES;
	const u32 line_bytes = QXLNG_CURSOR_SIZE * 4;
	u32 offset, line;
	u8 *base, *pixels;
	u64 id;
	int ret;

	ret = qxlng_cmd_alloc(qdev, total, &offset, &id);
	if (ret)
		return ret;
	base = qdev->ram + offset;

	cmd.release_info.id = id;
	cmd.type = QXL_CURSOR_SET;
	cmd.u.set.position.x = x;
	cmd.u.set.position.y = y;
	cmd.u.set.visible = 1;
	cmd.u.set.shape = qxlng_phys(qdev, offset + QXLNG_CURSOR_SHAPE_OFF);

	cur.header.type = QXL_CURSOR_TYPE_ALPHA;
	cur.header.width = QXLNG_CURSOR_SIZE;
	cur.header.height = QXLNG_CURSOR_SIZE;
	cur.header.hot_spot_x = hot_x;
	cur.header.hot_spot_y = hot_y;
	cur.data_size = QXLNG_CURSOR_BYTES;
	cur.chunk.data_size = QXLNG_CURSOR_BYTES;

	memcpy(base, &cmd, sizeof(cmd));
	memcpy(base + QXLNG_CURSOR_SHAPE_OFF, &cur, sizeof(cur));
	pixels = base + QXLNG_CURSOR_SHAPE_OFF + sizeof(cur);
	for (line = 0; line < QXLNG_CURSOR_SIZE; line++)
		qxlng_copy_bytes(pixels + line * line_bytes,
				 argb + (size_t)line * pitch, line_bytes);

	ret = qxlng_push_or_cancel(qdev, &qdev->cursor_ring, offset,
				   QXL_CMD_CURSOR, id);
	if (!ret)
		atomic_inc(&qdev->stats.cursor_cmds);
	return ret;
}

/* MOVE and HIDE: a bare struct qxl_cursor_cmd. */
static int qxlng_cursor_simple(struct qxlng_device *qdev, u8 type, s16 x,
			       s16 y)
{
	struct qxl_cursor_cmd cmd = { 0 };
	u32 offset;
	u64 id;
	int ret;

	ret = qxlng_cmd_alloc(qdev, sizeof(cmd), &offset, &id);
	if (ret)
		return ret;
	cmd.release_info.id = id;
	cmd.type = type;
	if (type == QXL_CURSOR_MOVE) {
		cmd.u.position.x = x;
		cmd.u.position.y = y;
	}
	memcpy(qdev->ram + offset, &cmd, sizeof(cmd));
	ret = qxlng_push_or_cancel(qdev, &qdev->cursor_ring, offset,
				   QXL_CMD_CURSOR, id);
	if (!ret)
		atomic_inc(&qdev->stats.cursor_cmds);
	return ret;
}

int qxlng_cmd_cursor_move(struct qxlng_device *qdev, s16 x, s16 y)
{
	return qxlng_cursor_simple(qdev, QXL_CURSOR_MOVE, x, y);
}

int qxlng_cmd_cursor_hide(struct qxlng_device *qdev)
{
	return qxlng_cursor_simple(qdev, QXL_CURSOR_HIDE, 0, 0);
}

static void qxlng_monitors_config_setup(struct qxlng_device *qdev,
					const void *arg)
{
	WRITE_ONCE(qdev->ram_header->monitors_config,
		   qxlng_phys(qdev, qdev->monitors_offset));
}

/*
 * Push a client's draw command (qxlng_ioctl.c built it at offset and
 * registered it as id); on failure it is cancelled.
 */
int qxlng_cmd_submit_draw(struct qxlng_device *qdev, u32 offset, u64 id)
{
	int ret = qxlng_push_or_cancel(qdev, &qdev->cmd_ring, offset,
				       QXL_CMD_DRAW, id);

	if (!ret)
		atomic_inc(&qdev->stats.client_draws);
	return ret;
}

/*
 * Create (surf given) or destroy a client's off-screen surface.  done,
 * if given, runs with arg once the device released the command, or
 * now if it could not be sent; a create keeps the client's pixels, as
 * qxl.ko's does.
 */
int qxlng_cmd_surface(struct qxlng_device *qdev, u32 surface_id,
		      const struct qxl_surface *surf,
		      void (*done)(void *arg), void *arg)
{
	struct qxl_surface_cmd c = { 0 };
	u32 offset;
	u64 id;
	int ret;

	ret = qxlng_mem_alloc(qdev, sizeof(c), &offset);
	if (ret)
		goto fail;
	ret = qxlng_release_add_done(qdev, offset, sizeof(c), done, arg, &id);
	if (ret) {
		qxlng_mem_free(qdev, offset, sizeof(c));
		goto fail;
	}
	c.release_info.id = id;
	c.surface_id = surface_id;
	if (surf) {
		c.type = QXL_SURFACE_CMD_CREATE;
		c.flags = QXL_SURF_FLAG_KEEP_DATA;
		c.u.surface_create = *surf;
	} else {
		c.type = QXL_SURFACE_CMD_DESTROY;
	}
	memcpy(qdev->ram + offset, &c, sizeof(c));
	/* On failure the release is cancelled, which runs done. */
	return qxlng_push_or_cancel(qdev, &qdev->cmd_ring, offset,
				    QXL_CMD_SURFACE, id);
fail:
	if (done)
		done(arg);
	return ret;
}

struct qxlng_update_args {
	u32 surface_id;
	struct qxl_rect r;
};

static void qxlng_update_area_setup(struct qxlng_device *qdev,
				    const void *arg)
{
	const struct qxlng_update_args *u = arg;

	memcpy(&qdev->ram_header->update_area, &u->r, sizeof(u->r));
	WRITE_ONCE(qdev->ram_header->update_surface, u->surface_id);
}

/*
 * Have the device render everything queued for r of the surface into
 * its memory.  The caller checked r lies in the surface.
 */
int qxlng_cmd_update_area(struct qxlng_device *qdev, u32 surface_id,
			  const struct qxl_rect *r)
{
	struct qxlng_update_args u = { .surface_id = surface_id, .r = *r };

	return qxlng_io_async(qdev, QXL_IO_UPDATE_AREA_ASYNC, 0,
			      qxlng_update_area_setup, &u);
}

/* Tell the device (and through it, SPICE clients) the head layout. */
int qxlng_cmd_monitors_config(struct qxlng_device *qdev,
			      const struct qxl_head *heads,
			      unsigned int count)
{
	struct qxl_monitors_config mc = { 0 };
	u8 *base = qdev->ram + qdev->monitors_offset;

	if (count > qdev->num_heads)
		return -EINVAL;
	mc.count = count;
	mc.max_allowed = qdev->num_heads;
	memcpy(base, &mc, sizeof(mc));
	memcpy(base + sizeof(mc), heads, count * sizeof(*heads));
	return qxlng_io_async(qdev, QXL_IO_MONITORS_CONFIG_ASYNC, 0,
			      qxlng_monitors_config_setup, NULL);
}

static size_t qxlng_monitors_config_size(struct qxlng_device *qdev)
{
	return struct_size((struct qxl_monitors_config *)NULL, heads,
			   qdev->num_heads);
}

static void qxlng_cmd_fini(void *data)
{
	struct qxlng_device *qdev = data;

	qxlng_mem_free(qdev, qdev->monitors_offset,
		       qxlng_monitors_config_size(qdev));
}

/*
 * The monitors config lives in the pages for the driver's lifetime: the
 * device reads it at every MONITORS_CONFIG_ASYNC.  Freed by a devm action
 * that runs after qxlng_hw_start()'s (the device is reset by then).
 */
int qxlng_cmd_init(struct qxlng_device *qdev)
{
	int ret = qxlng_mem_alloc(qdev, qxlng_monitors_config_size(qdev),
				  &qdev->monitors_offset);

	if (ret)
		return ret;
	return devm_add_action_or_reset(&qdev->pdev->dev, qxlng_cmd_fini,
					qdev);
}
