// SPDX-License-Identifier: MIT
/*
 * commands.c - the command and cursor rings: entries taken (bounded by a
 * budget, the rest deferred), each command parsed and drawn through the
 * layers below, and handed back on the release ring exactly when the
 * reference stack releases it ("Releases" in Documentation/qxl-device.rst).
 */
#include <string.h>

#include "qxl_dev.h"

void qxl_hand_back(struct qxl_device *dev, uint8_t *cmd)
{
	uint8_t *link = dev->rel.tail;	/* written too, if the chain goes on */
	bool notify = qxl_release(&dev->rel, cmd);

	qxl_note_written(dev, link, sizeof(union qxl_release_info));
	qxl_note_written(dev, cmd, sizeof(union qxl_release_info));
	if (notify)
		qxl_send_events(dev, QXL_INTERRUPT_DISPLAY);
}

void qxl_flush_releases(struct qxl_device *dev)
{
	if (qxl_release_push(&dev->rel, true))
		qxl_send_events(dev, QXL_INTERRUPT_DISPLAY);
}

/*
 * A drawn COPY_BITS as moves.  The guest's offset may not fit an int, but
 * the renderer has then emptied the region: only a non-empty one is sent.
 */
static void damage_copy_bits(struct qxl_device *dev, const struct qxl_draw *dr)
{
	int64_t dx = (int64_t)dr->d.u.copy_bits.src_pos.x - dr->d.bbox.left;
	int64_t dy = (int64_t)dr->d.u.copy_bits.src_pos.y - dr->d.bbox.top;

	if (pixman_region32_not_empty((pixman_region32_t *)&dr->region))
		qxl_damage_copy(dev, dr->surface_id, &dr->region, (int)dx,
				(int)dy);
}

/* QXL_CMD_DRAW: released once drawn, or when dropped. */
static void cmd_draw(struct qxl_device *dev, qxl_phys addr)
{
	const struct qxl_rect *b;
	struct qxl_draw dr;
	uint8_t *p;

	memset(&dr, 0, sizeof(dr));
	p = qxl_parse_drawable(&dev->mem, addr, dev->cfg.n_surfaces, &dr.d);
	if (!p)
		return;
	dr.surface_id = dr.d.surface_id;
	if (dev->mode == QXL_MODE_COMPAT) {
		/* qxl-1 commands use the older layout; not drawn. */
		dev->stats.unsupported++;
		qxl_hand_back(dev, p);
		return;
	}
	dr.dst = &dev->render.surfaces[dr.surface_id];
	b = &dr.d.bbox;
	if (!dr.dst->live || b->left > b->right || b->top > b->bottom) {
		/* Drawing to a missing surface or a reversed box: drop it. */
		qxl_guest_warn(dev, "draw type %u to %s surface %u, bbox "
			       "(%d,%d)-(%d,%d): dropped", dr.d.type,
			       dr.dst->live ? "" : "missing", dr.surface_id,
			       b->left, b->top, b->right, b->bottom);
		qxl_hand_back(dev, p);
		return;
	}
	if (qxl_parse_draw_region(&dev->mem, &dr.d, dr.dst->width,
				  dr.dst->height, &dr.region)) {
		pixman_region32_fini(&dr.region);
		return;
	}
	if (qxl_render_draw(&dev->render, &dr) == 0) {
		dev->stats.draws++;
		if (dr.d.type == QXL_COPY_BITS)
			damage_copy_bits(dev, &dr);
		else
			qxl_damage_add(dev, dr.surface_id, &dr.region);
		qxl_hand_back(dev, p);
	}
	pixman_region32_fini(&dr.region);
}

/*
 * QXL_CMD_SURFACE: a CREATE is held by its surface until the surface is
 * destroyed; a DESTROY hands the CREATE back first, then itself.
 */
static void cmd_surface(struct qxl_device *dev, qxl_phys addr)
{
	struct qxl_surface_desc desc;
	struct qxl_surface_cmd cmd;
	uint8_t *p;
	bool live;

	p = qxl_parse_surface_cmd(&dev->mem, addr, dev->cfg.n_surfaces, &cmd);
	if (!p)
		return;
	live = dev->render.surfaces[cmd.surface_id].live;
	if (cmd.type == QXL_SURFACE_CMD_CREATE && !live) {
		if (qxl_parse_surface_create(&dev->mem, &cmd, &desc) ||
		    qxl_surface_create(&dev->render, cmd.surface_id, &desc))
			return;
		dev->held_create[cmd.surface_id] = p;
		return;
	}
	if (cmd.type == QXL_SURFACE_CMD_CREATE)
		/* spice-server: warned, dropped, released; the old stays. */
		qxl_guest_warn(dev, "surface create: surface %u exists",
			       cmd.surface_id);
	else if (!live)
		/* Harmless (e.g. after a device reset): log, drop. */
		qxl_guest_warn(dev, "destroy of missing surface %u",
			       cmd.surface_id);
	else
		qxl_surface_destroy(dev, cmd.surface_id, true);
	qxl_hand_back(dev, p);
}

static void handle_command(struct qxl_device *dev,
			   const struct qxl_command *cmd)
{
	switch (cmd->type) {
	case QXL_CMD_DRAW:
		cmd_draw(dev, cmd->data);
		break;
	case QXL_CMD_SURFACE:
		cmd_surface(dev, cmd->data);
		break;
	case QXL_CMD_UPDATE:
	case QXL_CMD_MESSAGE: {
		/* Legacy: nothing to do but hand the resource back. */
		uint8_t *ri = qxl_memslot_translate(&dev->mem, cmd->data,
						    sizeof(union qxl_release_info));

		if (ri)
			qxl_hand_back(dev, ri);
		break;
	}
	default:
		qxl_guest_bug(dev, "command ring: unknown command type %u",
			      cmd->type);
		break;
	}
}

/*
 * Up to budget entries of a ring, each handed to handle; the rest is
 * deferred (*pending, a scheduled run).  The pop raises irq when the
 * guest asked for a kick.
 */
static void drain(struct qxl_device *dev, struct qxl_ring_header *hdr,
		  struct qxl_command *items, uint32_t size, uint32_t irq,
		  unsigned int budget, bool *pending, uint64_t *count,
		  void (*handle)(struct qxl_device *dev,
				 const struct qxl_command *cmd))
{
	struct qxl_command cmd;
	unsigned int n = 0;
	bool notify;

	while (!dev->guest_bug) {
		if (n == budget) {
			/* More may be waiting; finish it later. */
			*pending = true;
			qxl_schedule(dev);
			break;
		}
		if (qxl_ring_take(&dev->mem.report, hdr, items, size, &cmd,
				  &notify) <= 0)
			break;
		if (notify)
			qxl_send_events(dev, irq);
		n++;
		(*count)++;
		handle(dev, &cmd);
	}
}

void qxl_process_cmd_ring(struct qxl_device *dev, unsigned int budget)
{
	dev->cmd_pending = false;
	if (dev->guest_bug || dev->mode == QXL_MODE_VGA || dev->in_processing)
		return;
	dev->in_processing = true;
	drain(dev, &dev->ramh->cmd_ring.hdr, dev->ramh->cmd_ring.items,
	      QXL_COMMAND_RING_SIZE, QXL_INTERRUPT_DISPLAY, budget,
	      &dev->cmd_pending, &dev->stats.commands, handle_command);
	dev->in_processing = false;
	qxl_damage_flush(dev);
}

static void handle_cursor_command(struct qxl_device *dev,
				  const struct qxl_command *cmd)
{
	if (cmd->type != QXL_CMD_CURSOR)
		qxl_guest_bug(dev, "cursor ring: command type %u is not "
			      "QXL_CMD_CURSOR", cmd->type);
	else
		qxl_cmd_cursor(dev, cmd->data);
}

void qxl_process_cursor_ring(struct qxl_device *dev, unsigned int budget)
{
	dev->cursor_pending = false;
	if (dev->guest_bug || dev->mode == QXL_MODE_VGA)
		return;
	drain(dev, &dev->ramh->cursor_ring.hdr, dev->ramh->cursor_ring.items,
	      QXL_CURSOR_RING_SIZE, QXL_INTERRUPT_CURSOR, budget,
	      &dev->cursor_pending, &dev->stats.cursor_commands,
	      handle_cursor_command);
}
