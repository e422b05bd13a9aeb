// SPDX-License-Identifier: MIT
/*
 * ring.c - the RAM header rings: initialisation and consumption of the
 * command and cursor rings.  Each entry is copied out of guest memory
 * once; work per call is bounded by a budget and the rest is deferred.
 */
#include <string.h>

#include "qxl_internal.h"

void qxl_ram_init(struct qxl_device *dev)
{
	struct qxl_ram_header *r = dev->ramh;

	memset(r, 0, sizeof(*r));
	r->magic = QXL_RAM_MAGIC;
	qxl_ring_init(&r->cmd_ring.hdr, QXL_COMMAND_RING_SIZE);
	qxl_ring_init(&r->cursor_ring.hdr, QXL_CURSOR_RING_SIZE);
	qxl_ring_init(&r->release_ring.hdr, QXL_RELEASE_RING_SIZE);
}

/*
 * Take one entry: 1 and *cmd filled, 0 when empty (notification armed),
 * -1 on a guest bug.  Raises 'irq' when the guest asked for a kick.
 */
static int ring_take(struct qxl_device *dev, struct qxl_ring_header *hdr,
		     struct qxl_command *items, uint32_t size,
		     struct qxl_command *cmd, uint32_t irq)
{
	uint32_t slot;
	int r;

	r = qxl_ring_cons_slot(hdr, size, &slot);
	if (r == 0 && qxl_ring_cons_wait(hdr))
		return 0;
	if (r == 0)
		r = qxl_ring_cons_slot(hdr, size, &slot);
	if (r < 0) {
		qxl_guest_bug(dev, "ring indexes impossible: prod %u cons %u",
			      QXL_RING_READ(hdr->prod),
			      QXL_RING_READ(hdr->cons));
		return -1;
	}
	if (r == 0)
		return 0;
	memcpy(cmd, (const void *)&items[slot], sizeof(*cmd));
	if (qxl_ring_pop(hdr))
		qxl_send_events(dev, irq);
	return 1;
}

static void handle_command(struct qxl_device *dev,
			   const struct qxl_command *cmd)
{
	switch (cmd->type) {
	case QXL_CMD_DRAW:
		qxl_cmd_draw(dev, cmd->data);
		break;
	case QXL_CMD_SURFACE:
		qxl_cmd_surface(dev, cmd->data);
		break;
	case QXL_CMD_UPDATE:
	case QXL_CMD_MESSAGE: {
		/* Legacy: nothing to do but hand the resource back. */
		uint8_t *ri = qxl_memslot_translate(dev, cmd->data,
						    sizeof(union qxl_release_info));

		if (ri)
			qxl_release(dev, ri);
		break;
	}
	default:
		qxl_guest_bug(dev, "command ring: unknown command type %u",
			      cmd->type);
		break;
	}
}

void qxl_process_cmd_ring(struct qxl_device *dev, unsigned int budget)
{
	struct qxl_command cmd;
	unsigned int n = 0;

	dev->cmd_pending = false;
	if (dev->guest_bug || dev->mode == QXL_MODE_VGA || dev->in_processing)
		return;
	dev->in_processing = true;
	while (!dev->guest_bug) {
		if (n == budget) {
			/* More may be waiting; finish it later. */
			dev->cmd_pending = true;
			qxl_schedule(dev);
			break;
		}
		if (ring_take(dev, &dev->ramh->cmd_ring.hdr,
			      dev->ramh->cmd_ring.items, QXL_COMMAND_RING_SIZE,
			      &cmd, QXL_INTERRUPT_DISPLAY) <= 0)
			break;
		n++;
		dev->stats.commands++;
		handle_command(dev, &cmd);
	}
	dev->in_processing = false;
	qxl_damage_flush(dev);
}

void qxl_process_cursor_ring(struct qxl_device *dev, unsigned int budget)
{
	struct qxl_command cmd;
	unsigned int n = 0;

	dev->cursor_pending = false;
	if (dev->guest_bug || dev->mode == QXL_MODE_VGA)
		return;
	while (!dev->guest_bug) {
		if (n == budget) {
			dev->cursor_pending = true;
			qxl_schedule(dev);
			break;
		}
		if (ring_take(dev, &dev->ramh->cursor_ring.hdr,
			      dev->ramh->cursor_ring.items,
			      QXL_CURSOR_RING_SIZE, &cmd,
			      QXL_INTERRUPT_CURSOR) <= 0)
			break;
		n++;
		dev->stats.cursor_commands++;
		if (cmd.type != QXL_CMD_CURSOR) {
			qxl_guest_bug(dev, "cursor ring: command type %u is not "
				      "QXL_CMD_CURSOR", cmd.type);
			break;
		}
		qxl_cmd_cursor(dev, cmd.data);
	}
}
