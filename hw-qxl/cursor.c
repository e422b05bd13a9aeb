// SPDX-License-Identifier: MIT
/*
 * cursor.c - cursor ring commands: SET (shape copied once, bounded and
 * converted to ARGB), MOVE, HIDE, TRAIL (ignored).
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_chunks.h"

/*
 * Forget the cursor.  hand_back: release the SET command it was made
 * from, as spice-server's cursor channel reset does (DESTROY_PRIMARY,
 * DESTROY_ALL_SURFACES); a device reset re-initialises the ring instead.
 */
void qxl_cursor_reset(struct qxl_device *dev, bool hand_back)
{
	uint8_t *set_cmd = dev->cursor.set_cmd;

	free(dev->cursor.argb);
	memset(&dev->cursor, 0, sizeof(dev->cursor));
	if (set_cmd && hand_back)
		qxl_release(dev, set_cmd);
}

static int bit_be(const uint8_t *row, uint32_t x)
{
	return (row[x / 8] >> (7 - x % 8)) & 1;
}

/* Bytes of shape data a cursor of this type and size needs. */
static uint64_t cursor_need(uint16_t type, uint64_t w, uint64_t h)
{
	uint64_t mask = (w + 7) / 8 * h;

	switch (type) {
	case QXL_CURSOR_TYPE_ALPHA:
		return w * h * 4;
	case QXL_CURSOR_TYPE_MONO:
		return 2 * mask;
	case QXL_CURSOR_TYPE_COLOR4:
		return (w + 1) / 2 * h + 16 * 4 + mask;
	case QXL_CURSOR_TYPE_COLOR8:
		return w * h + 256 * 4 + mask;
	case QXL_CURSOR_TYPE_COLOR16:
		return w * h * 2 + mask;
	case QXL_CURSOR_TYPE_COLOR24:
		return w * h * 3 + mask;
	case QXL_CURSOR_TYPE_COLOR32:
		return w * h * 4 + mask;
	default:
		return 0;
	}
}

static uint32_t color_pixel(uint16_t type, const uint8_t *d, uint32_t w,
			    uint32_t h, uint32_t x, uint32_t y)
{
	uint32_t v = 0, idx;
	uint16_t v16;

	switch (type) {
	case QXL_CURSOR_TYPE_COLOR4:
		idx = (d[y * ((w + 1) / 2) + x / 2] >> ((x & 1) ? 0 : 4)) & 15;
		memcpy(&v, d + (w + 1) / 2 * h + idx * 4, 4);
		return v;
	case QXL_CURSOR_TYPE_COLOR8:
		idx = d[y * w + x];
		memcpy(&v, d + w * h + idx * 4, 4);
		return v;
	case QXL_CURSOR_TYPE_COLOR16:
		memcpy(&v16, d + 2 * (y * w + x), 2);
		return ((v16 >> 10 & 31) * 255 / 31) << 16 |
		       ((v16 >> 5 & 31) * 255 / 31) << 8 |
		       ((v16 & 31) * 255 / 31);
	case QXL_CURSOR_TYPE_COLOR24:
		memcpy(&v, d + 3 * (y * w + x), 3);
		return v & 0xffffff;
	default:
		memcpy(&v, d + 4 * (y * w + x), 4);
		return v & 0xffffff;
	}
}

static uint64_t color_bytes(uint16_t type, uint32_t w, uint32_t h)
{
	uint64_t mask = (uint64_t)(w + 7) / 8 * h;

	return cursor_need(type, w, h) - mask;
}

static void convert(const struct qxl_cursor_header *hd, const uint8_t *d,
		    uint32_t *out)
{
	uint32_t w = hd->width, h = hd->height, x, y;
	uint32_t mbpl = (w + 7) / 8;

	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			uint32_t *o = &out[y * w + x];

			if (hd->type == QXL_CURSOR_TYPE_ALPHA) {
				memcpy(o, d + 4 * (y * w + x), 4);
			} else if (hd->type == QXL_CURSOR_TYPE_MONO) {
				int a = bit_be(d + y * mbpl, x);
				int xr = bit_be(d + mbpl * h + y * mbpl, x);

				/* transparent, black, white; invert: black */
				*o = a && !xr ? 0 : (!a && xr ? 0xffffffff :
						     0xff000000);
			} else {
				const uint8_t *m = d + color_bytes(hd->type, w,
								   h);

				*o = bit_be(m + y * mbpl, x) ? 0 :
				     0xff000000 |
				     color_pixel(hd->type, d, w, h, x, y);
			}
		}
	}
}

/*
 * SET: the new shape replaces the old, and the device holds the command
 * until the next SET or a reset, then releases it (spice-server keeps the
 * current cursor command as long).  p_cmd is the command in guest memory.
 */
static int cursor_set(struct qxl_device *dev, const struct qxl_cursor_cmd *c,
		      uint8_t *p_cmd)
{
	uint8_t *old_cmd;
	struct qxl_cursor cur;
	struct qxl_buf buf;
	struct qxl_cursor_shape shape;
	uint64_t need;
	uint32_t *argb;
	uint8_t *p;

	p = qxl_memslot_translate(dev, c->u.set.shape, sizeof(cur));
	if (!p)
		return -1;
	memcpy(&cur, p, sizeof(cur));
	if (cur.header.width == 0 || cur.header.height == 0 ||
	    cur.header.width > QXL_CURSOR_MAX_SIZE ||
	    cur.header.height > QXL_CURSOR_MAX_SIZE) {
		qxl_guest_bug(dev, "cursor: size %ux%u outside 1..%u",
			      cur.header.width, cur.header.height,
			      QXL_CURSOR_MAX_SIZE);
		return -1;
	}
	need = cursor_need(cur.header.type, cur.header.width,
			   cur.header.height);
	if (!need) {
		qxl_guest_bug(dev, "cursor: unknown type %u", cur.header.type);
		return -1;
	}
	if (cur.data_size < need || cur.data_size > QXL_MAX_CURSOR_BYTES) {
		qxl_guest_bug(dev, "cursor: data_size %u, a %ux%u type %u "
			      "cursor needs %llu", cur.data_size,
			      cur.header.width, cur.header.height,
			      cur.header.type, (unsigned long long)need);
		return -1;
	}
	if (qxl_chunks_read_at(dev, "cursor", c->u.set.shape, sizeof(cur),
			       &cur.chunk, need, &buf))
		return -1;
	argb = malloc((size_t)cur.header.width * cur.header.height * 4);
	if (!argb) {
		qxl_buf_free(&buf);
		return -1;
	}
	convert(&cur.header, buf.ptr, argb);
	qxl_buf_free(&buf);
	old_cmd = dev->cursor.set_cmd;
	qxl_cursor_reset(dev, false);
	dev->cursor.set_cmd = p_cmd;
	dev->cursor.defined = true;
	dev->cursor.visible = c->u.set.visible;
	dev->cursor.x = c->u.set.position.x;
	dev->cursor.y = c->u.set.position.y;
	dev->cursor.unique = cur.header.unique;
	dev->cursor.type = cur.header.type;
	dev->cursor.width = cur.header.width;
	dev->cursor.height = cur.header.height;
	dev->cursor.hot_x = cur.header.hot_spot_x;
	dev->cursor.hot_y = cur.header.hot_spot_y;
	dev->cursor.argb = argb;
	if (dev->sink && dev->sink->cursor_set) {
		int x, y;
		bool vis;

		qxl_device_get_cursor(dev, &shape, &x, &y, &vis);
		dev->sink->cursor_set(dev->sink_opaque, &shape, x, y, vis);
	}
	if (old_cmd && old_cmd != p_cmd)	/* the same SET twice: held once */
		qxl_release(dev, old_cmd);
	return 0;
}

void qxl_cmd_cursor(struct qxl_device *dev, qxl_phys addr)
{
	uint8_t *p = qxl_memslot_translate(dev, addr,
					   sizeof(struct qxl_cursor_cmd));
	struct qxl_cursor_cmd c;

	if (!p)
		return;
	memcpy(&c, p, sizeof(c));
	switch (c.type) {
	case QXL_CURSOR_SET:
		cursor_set(dev, &c, p);
		return;		/* held (or a guest bug): no release now */
	case QXL_CURSOR_MOVE:
		dev->cursor.x = c.u.position.x;
		dev->cursor.y = c.u.position.y;
		dev->cursor.visible = true;
		if (dev->sink && dev->sink->cursor_move)
			dev->sink->cursor_move(dev->sink_opaque, dev->cursor.x,
					       dev->cursor.y);
		break;
	case QXL_CURSOR_HIDE:
		dev->cursor.visible = false;
		if (dev->sink && dev->sink->cursor_hide)
			dev->sink->cursor_hide(dev->sink_opaque);
		break;
	case QXL_CURSOR_TRAIL:
		break;
	default:
		qxl_guest_bug(dev, "cursor command: unknown type %u", c.type);
		return;
	}
	qxl_release(dev, p);
}
