// SPDX-License-Identifier: MIT
/*
 * cursor.c - the cursor: SET (the shape parsed and converted below),
 * MOVE, HIDE, TRAIL (ignored), the SET command held while it is shown,
 * and the display sink's cursor calls.
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_dev.h"

/*
 * Forget the cursor.  hand_back: release the SET command it was made
 * from, as spice-server's cursor channel reset does (DESTROY_PRIMARY,
 * DESTROY_ALL_SURFACES); a device reset re-initialises the ring instead.
 */
void qxl_cursor_reset(struct qxl_device *dev, bool hand_back)
{
	uint8_t *set_cmd = dev->cursor.set_cmd;

	free(dev->cursor.img.argb);
	memset(&dev->cursor, 0, sizeof(dev->cursor));
	if (set_cmd && hand_back)
		qxl_hand_back(dev, set_cmd);
}

/*
 * SET: the new shape replaces the old, and the device holds the command
 * until the next SET or a reset, then releases it (spice-server keeps the
 * current cursor command as long).  p_cmd is the command in guest memory.
 */
static void cursor_set(struct qxl_device *dev, const struct qxl_cursor_cmd *c,
		       uint8_t *p_cmd)
{
	struct qxl_cursor_image img;
	struct qxl_cursor_shape shape;
	uint8_t *old_cmd;

	if (qxl_parse_cursor_shape(&dev->mem, c->u.set.shape,
				   QXL_CURSOR_MAX_SIZE, &img))
		return;
	old_cmd = dev->cursor.set_cmd;
	qxl_cursor_reset(dev, false);
	dev->cursor.set_cmd = p_cmd;
	dev->cursor.defined = true;
	dev->cursor.visible = c->u.set.visible;
	dev->cursor.x = c->u.set.position.x;
	dev->cursor.y = c->u.set.position.y;
	dev->cursor.img = img;
	if (dev->sink && dev->sink->cursor_set) {
		int x, y;
		bool vis;

		qxl_device_get_cursor(dev, &shape, &x, &y, &vis);
		dev->sink->cursor_set(dev->sink_opaque, &shape, x, y, vis);
	}
	if (old_cmd && old_cmd != p_cmd)	/* the same SET twice: held once */
		qxl_hand_back(dev, old_cmd);
}

void qxl_cmd_cursor(struct qxl_device *dev, qxl_phys addr)
{
	struct qxl_cursor_cmd c;
	uint8_t *p = qxl_parse_cursor_cmd(&dev->mem, addr, &c);

	if (!p)
		return;
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
	default:	/* TRAIL */
		break;
	}
	qxl_hand_back(dev, p);
}

bool qxl_device_get_cursor(const struct qxl_device *dev,
			   struct qxl_cursor_shape *shape, int *x, int *y,
			   bool *visible)
{
	const struct qxl_cursor_state *c = &dev->cursor;

	if (!c->defined)
		return false;
	shape->unique = c->img.unique;
	shape->type = c->img.type;
	shape->width = c->img.width;
	shape->height = c->img.height;
	shape->hot_x = c->img.hot_x;
	shape->hot_y = c->img.hot_y;
	shape->argb = c->img.argb;
	*x = c->x;
	*y = c->y;
	*visible = c->visible;
	return true;
}
