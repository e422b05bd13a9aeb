// SPDX-License-Identifier: MIT
/*
 * io.c - the I/O ports (BAR3), async completion and interrupts, with
 * QEMU 7.2's semantics.  One function per port; io_write dispatches.
 */
#include <string.h>

#include "qxl_dev.h"

/* ---- interrupts ---------------------------------------------------- */

void qxl_update_irq(struct qxl_device *dev)
{
	uint32_t pending = __atomic_load_n(&dev->ramh->int_pending,
					   __ATOMIC_SEQ_CST);
	uint32_t mask = QXL_RING_READ(dev->ramh->int_mask);
	int level = (pending & mask) != 0;

	if (level != dev->irq_level) {
		dev->irq_level = level;
		if (dev->ops.set_irq)
			dev->ops.set_irq(dev->host_opaque, level);
	}
}

/* Set bits in int_pending; re-evaluate the line if any bit is new. */
void qxl_send_events(struct qxl_device *dev, uint32_t events)
{
	uint32_t old = __atomic_fetch_or(&dev->ramh->int_pending, events,
					 __ATOMIC_SEQ_CST);

	if ((old & events) == events)
		return;
	dev->stats.irqs_raised++;
	qxl_update_irq(dev);
}

void qxl_schedule(struct qxl_device *dev)
{
	if (dev->deferred_scheduled || !dev->ops.schedule)
		return;
	dev->deferred_scheduled = true;
	dev->ops.schedule(dev->host_opaque);
}

/* ---- async I/O ----------------------------------------------------- */

static bool async_begin(struct qxl_device *dev, unsigned int port)
{
	if (dev->async_io >= 0) {
		qxl_guest_bug(dev, "async port %u started while port %d is "
			      "still pending", port, dev->async_io);
		return false;
	}
	dev->async_io = (int)port;
	dev->async_done = false;
	return true;
}

/* The async op's work is done: IO_CMD fires from the deferred run. */
static void async_finish(struct qxl_device *dev)
{
	if (dev->async_io < 0)
		return;
	if (!dev->ops.schedule) {
		dev->async_io = -1;
		qxl_send_events(dev, QXL_INTERRUPT_IO_CMD);
		return;
	}
	dev->async_done = true;
	qxl_schedule(dev);
}

/* QEMU's cancel_async: complete at once (a refused async op). */
static void async_cancel(struct qxl_device *dev)
{
	if (dev->async_io < 0)
		return;
	dev->async_io = -1;
	dev->async_done = false;
	qxl_send_events(dev, QXL_INTERRUPT_IO_CMD);
}

/* ---- ports --------------------------------------------------------- */

static void io_update_area(struct qxl_device *dev)
{
	struct qxl_rect r;
	uint32_t sid;

	memcpy(&r, (const void *)&dev->ramh->update_area, sizeof(r));
	sid = QXL_RING_READ(dev->ramh->update_surface);
	if (sid >= dev->cfg.n_surfaces) {
		qxl_guest_bug(dev, "UPDATE_AREA: surface %u >= %u", sid,
			      dev->cfg.n_surfaces);
		return;
	}
	if (r.left >= r.right || r.top >= r.bottom || r.left < 0 ||
	    r.top < 0) {
		/* Old drivers send empty areas; QEMU lets them pass. */
		if (r.left == r.right || r.top == r.bottom) {
			async_cancel(dev);
			return;
		}
		qxl_guest_bug(dev, "UPDATE_AREA: invalid area (%d,%d)-(%d,%d)",
			      r.left, r.top, r.right, r.bottom);
		return;
	}
	/* Rendering is immediate, so updating = draining the ring. */
	qxl_process_cmd_ring(dev, QXL_UPDATE_AREA_LIMIT);
	async_finish(dev);
}

static void io_notify_oom(struct qxl_device *dev)
{
	struct qxl_ring_header *r = &dev->ramh->release_ring.hdr;

	if (!qxl_ring_cons_empty(r))
		return;
	dev->rel.hold = true;
	qxl_process_cmd_ring(dev, QXL_UPDATE_AREA_LIMIT);
	dev->rel.hold = false;
	qxl_flush_releases(dev);
}

/*
 * MEMSLOT_ADD over the mapped memory BARs, BAR0 first.  The ROM shows the
 * generation: QEMU reports 0 for every slot.
 */
static int memslot_add(struct qxl_device *dev, unsigned int slot_id,
		       uint64_t start, uint64_t end, uint64_t delta)
{
	static const unsigned int bars[] = {
		QXL_RAM_RANGE_INDEX, QXL_VRAM_RANGE_INDEX,
		QXL_VRAM64_RANGE_INDEX,
	};
	struct qxl_mem_window win[3];
	unsigned int i, n = 0;

	for (i = 0; i < 3; i++) {
		unsigned int bar = bars[i];

		if (!dev->bar_size[bar] ||
		    dev->bar_gpa[bar] == QXL_BAR_UNMAPPED)
			continue;
		win[n].host = qxl_device_bar_ptr(dev, bar);
		win[n].gpa = dev->bar_gpa[bar];
		win[n].size = dev->bar_size[bar];
		n++;
	}
	if (qxl_memslot_add(&dev->mem, slot_id, start, end, delta,
			    dev->shadow_rom.slot_generation, win, n))
		return -1;
	((struct qxl_rom *)dev->rom)->slot_generation =
		dev->shadow_rom.slot_generation;
	return 0;
}

static void io_set_mode(struct qxl_device *dev, unsigned int modenr)
{
	uint64_t devmem = dev->bar_gpa[QXL_RAM_RANGE_INDEX];
	struct qxl_surface_create sc;
	const struct qxl_mode *m;

	if (modenr >= dev->n_modes) {
		qxl_guest_bug(dev, "SET_MODE: mode %u >= %u modes", modenr,
			      dev->n_modes);
		return;
	}
	if (devmem == QXL_BAR_UNMAPPED) {
		qxl_guest_bug(dev, "SET_MODE: RAM BAR is not mapped");
		return;
	}
	m = &dev->modes[modenr];
	qxl_hard_reset(dev);
	/* Slot 0 covers BAR0 with guest-physical offsets, like QEMU. */
	if (memslot_add(dev, 0, devmem,
			devmem + dev->bar_size[QXL_RAM_RANGE_INDEX], devmem))
		return;
	memset(&sc, 0, sizeof(sc));
	sc.width = m->x_res;
	sc.height = m->y_res;
	sc.stride = -(int32_t)(m->x_res * 4);
	sc.format = QXL_SURFACE_FMT_32_xRGB;
	sc.mouse_mode = 1;
	sc.mem = devmem + dev->shadow_rom.draw_area_offset;
	if (qxl_primary_create(dev, &sc))
		return;
	qxl_set_dev_mode(dev, QXL_MODE_COMPAT);
	dev->shadow_rom.mode = modenr;
	((struct qxl_rom *)dev->rom)->mode = modenr;
}

static void io_log(struct qxl_device *dev)
{
	char buf[QXL_LOG_BUF_SIZE + 1];
	size_t i, n;

	/* Copy once; the guest need not NUL-terminate. */
	memcpy(buf, (const void *)dev->ramh->log_buf, QXL_LOG_BUF_SIZE);
	buf[QXL_LOG_BUF_SIZE] = 0;
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	qxl_log(dev, QXL_LOG_GUEST_MSG, "qxl-%u: guest: %.1000s", dev->cfg.id,
		buf);
}

static void io_memslot_add(struct qxl_device *dev, unsigned int val)
{
	struct qxl_memslot ms;

	if (val >= QXL_NUM_MEMSLOTS) {
		qxl_guest_bug(dev, "MEMSLOT_ADD: slot %u >= %u", val,
			      QXL_NUM_MEMSLOTS);
		return;
	}
	memcpy(&ms, (const void *)&dev->ramh->mem_slot, sizeof(ms));
	if (memslot_add(dev, val, ms.mem_start, ms.mem_end, 0))
		return;
	async_finish(dev);
}

static void io_create_primary(struct qxl_device *dev, unsigned int val)
{
	struct qxl_surface_create sc;

	if (val != 0) {
		qxl_guest_bug(dev, "CREATE_PRIMARY: argument %u != 0", val);
		async_cancel(dev);
		return;
	}
	memcpy(&sc, (const void *)&dev->ramh->create_surface, sizeof(sc));
	if (qxl_primary_create(dev, &sc))
		return;
	qxl_set_dev_mode(dev, QXL_MODE_NATIVE);
	async_finish(dev);
}

static void io_destroy_primary(struct qxl_device *dev, unsigned int val)
{
	if (val != 0) {
		qxl_guest_bug(dev, "DESTROY_PRIMARY: argument %u != 0", val);
		async_cancel(dev);
		return;
	}
	if (dev->mode == QXL_MODE_UNDEFINED) {
		async_cancel(dev);	/* nothing to destroy: QEMU ignores */
		return;
	}
	qxl_process_cmd_ring(dev, QXL_UPDATE_AREA_LIMIT);
	qxl_primary_destroy(dev);
	qxl_set_dev_mode(dev, QXL_MODE_UNDEFINED);
	qxl_cursor_reset(dev, true);
	async_finish(dev);
}

/*
 * DESTROY_SURFACE_WAIT waits until the surface's queued work is done; it
 * does not destroy the surface (spice-server keeps it, and its CREATE,
 * until a DESTROY command): the guest sends the DESTROY on the ring first.
 */
static void io_destroy_surface_wait(struct qxl_device *dev, unsigned int val)
{
	if (val >= dev->cfg.n_surfaces) {
		qxl_guest_bug(dev, "DESTROY_SURFACE: surface %u >= %u", val,
			      dev->cfg.n_surfaces);
		async_cancel(dev);
		return;
	}
	qxl_process_cmd_ring(dev, QXL_UPDATE_AREA_LIMIT);
	async_finish(dev);
}

/* Every surface goes, their CREATE commands come back, the cursor too. */
static void io_destroy_all_surfaces(struct qxl_device *dev)
{
	qxl_process_cmd_ring(dev, QXL_UPDATE_AREA_LIMIT);
	qxl_surfaces_destroy_all(dev, true);
	qxl_cursor_reset(dev, true);
	if (dev->mode != QXL_MODE_VGA)
		qxl_set_dev_mode(dev, QXL_MODE_UNDEFINED);
	async_finish(dev);
}

static void io_monitors_config(struct qxl_device *dev)
{
	qxl_monitors_config_read(dev);
	if (!dev->guest_bug)
		async_finish(dev);
}

static bool port_is_async(unsigned int port)
{
	return port >= QXL_IO_UPDATE_AREA_ASYNC &&
	       port != QXL_IO_FLUSH_RELEASE && port < QXL_IO_RANGE_SIZE;
}

/* Ports QEMU accepts while the device is in VGA mode. */
static bool port_allowed_in_vga(unsigned int port)
{
	switch (port) {
	case QXL_IO_RESET:
	case QXL_IO_SET_MODE:
	case QXL_IO_MEMSLOT_ADD:
	case QXL_IO_MEMSLOT_DEL:
	case QXL_IO_CREATE_PRIMARY:
	case QXL_IO_UPDATE_IRQ:
	case QXL_IO_LOG:
	case QXL_IO_MEMSLOT_ADD_ASYNC:
	case QXL_IO_CREATE_PRIMARY_ASYNC:
		return true;
	default:
		return false;
	}
}

/*
 * A kick does not drain the ring at once: the deferred run does, so the
 * commands a guest queues while that run is on its way come as one batch
 * (one damage report, one wake-up of the server), as spice-server's worker
 * thread takes them.  Without a host scheduler the kick drains at once.
 */
static void notify_cmd(struct qxl_device *dev)
{
	if (!dev->ops.schedule) {
		qxl_process_cmd_ring(dev, dev->cfg.ring_budget);
		return;
	}
	dev->cmd_pending = true;
	qxl_schedule(dev);
}

/*
 * A port's effect comes after every command kicked before it, as when
 * each kick drained the ring.  Not for the kicks, the IRQ and log ports,
 * NOTIFY_OOM, which drains the ring itself, holding releases, or RESET,
 * which discards it.
 */
static bool port_sees_commands_first(unsigned int port)
{
	switch (port) {
	case QXL_IO_NOTIFY_CMD:
	case QXL_IO_NOTIFY_CURSOR:
	case QXL_IO_UPDATE_IRQ:
	case QXL_IO_LOG:
	case QXL_IO_NOTIFY_OOM:
	case QXL_IO_RESET:
		return false;
	default:
		return true;
	}
}

void qxl_device_io_write(struct qxl_device *dev, unsigned int port,
			 uint8_t val)
{
	if (dev->guest_bug && port != QXL_IO_RESET)
		return;
	if (dev->cfg.revision <= QXL_REVISION_STABLE_V10 &&
	    port > QXL_IO_FLUSH_RELEASE) {
		qxl_guest_bug(dev, "port %u needs revision 4, device has %u",
			      port, dev->cfg.revision);
		return;
	}
	if (port >= QXL_IO_RANGE_SIZE) {
		qxl_guest_bug(dev, "unknown port %u", port);
		return;
	}
	if (dev->mode == QXL_MODE_VGA && !port_allowed_in_vga(port)) {
		/* QEMU: ignored, but async ones still complete. */
		if (port >= QXL_IO_UPDATE_AREA_ASYNC)
			qxl_send_events(dev, QXL_INTERRUPT_IO_CMD);
		return;
	}
	if (port_is_async(port) && !async_begin(dev, port))
		return;
	if (dev->cmd_pending && port_sees_commands_first(port)) {
		qxl_process_cmd_ring(dev, QXL_UPDATE_AREA_LIMIT);
		if (dev->guest_bug)
			return;
	}

	switch (port) {
	case QXL_IO_NOTIFY_CMD:
		notify_cmd(dev);
		break;
	case QXL_IO_NOTIFY_CURSOR:
		qxl_process_cursor_ring(dev, dev->cfg.ring_budget);
		break;
	case QXL_IO_UPDATE_AREA:
	case QXL_IO_UPDATE_AREA_ASYNC:
		io_update_area(dev);
		break;
	case QXL_IO_UPDATE_IRQ:
		qxl_update_irq(dev);
		break;
	case QXL_IO_NOTIFY_OOM:
		io_notify_oom(dev);
		break;
	case QXL_IO_RESET:
		qxl_hard_reset(dev);
		break;
	case QXL_IO_SET_MODE:
		io_set_mode(dev, val);
		break;
	case QXL_IO_LOG:
		io_log(dev);
		break;
	case QXL_IO_MEMSLOT_ADD:
	case QXL_IO_MEMSLOT_ADD_ASYNC:
		io_memslot_add(dev, val);
		break;
	case QXL_IO_MEMSLOT_DEL:
		qxl_memslot_del(&dev->mem, val);
		break;
	case QXL_IO_CREATE_PRIMARY:
	case QXL_IO_CREATE_PRIMARY_ASYNC:
		io_create_primary(dev, val);
		break;
	case QXL_IO_DESTROY_PRIMARY:
	case QXL_IO_DESTROY_PRIMARY_ASYNC:
		io_destroy_primary(dev, val);
		break;
	case QXL_IO_DESTROY_SURFACE_WAIT:
	case QXL_IO_DESTROY_SURFACE_ASYNC:
		io_destroy_surface_wait(dev, val);
		break;
	case QXL_IO_DESTROY_ALL_SURFACES:
	case QXL_IO_DESTROY_ALL_SURFACES_ASYNC:
		io_destroy_all_surfaces(dev);
		break;
	case QXL_IO_FLUSH_SURFACES_ASYNC:
		qxl_process_cmd_ring(dev, QXL_UPDATE_AREA_LIMIT);
		async_finish(dev);
		break;
	case QXL_IO_FLUSH_RELEASE:
		qxl_flush_releases(dev);
		break;
	case QXL_IO_MONITORS_CONFIG_ASYNC:
		io_monitors_config(dev);
		break;
	default:	/* DETACH_PRIMARY, ATTACH_PRIMARY */
		qxl_guest_bug(dev, "unexpected port %u", port);
		break;
	}
}

uint8_t qxl_device_io_read(struct qxl_device *dev, unsigned int port)
{
	(void)dev;
	(void)port;
	return 0xff;
}

void qxl_device_vga_ioport_written(struct qxl_device *dev)
{
	if (dev->mode == QXL_MODE_VGA ||
	    dev->cfg.revision > QXL_REVISION_STABLE_V12)
		return;
	qxl_primary_destroy(dev);
	qxl_cursor_reset(dev, true);
	dev->mode = QXL_MODE_UNDEFINED;
	qxl_soft_reset(dev);
}

/* ---- host -> device ------------------------------------------------- */

int qxl_device_client_monitors_config(struct qxl_device *dev, unsigned int n,
				      const struct qxl_client_head *heads)
{
	struct qxl_client_monitors_config cmc;
	struct qxl_rom *rom = (struct qxl_rom *)dev->rom;
	uint32_t mask = QXL_RING_READ(dev->ramh->int_mask);
	unsigned int max = QXL_CLIENT_MONITORS_MAX, i;
	bool changed;

	if (dev->cfg.revision < QXL_REVISION_STABLE_V12)
		return 0;
	/* Old Windows drivers toggle int_mask 0 / ~0: they can't take it. */
	if (mask == 0 || mask == ~0u ||
	    !(mask & QXL_INTERRUPT_CLIENT_MONITORS_CONFIG))
		return 0;
	if (dev->cfg.max_outputs && dev->cfg.max_outputs < max)
		max = dev->cfg.max_outputs;
	if (n > max)
		n = max;
	memset(&cmc, 0, sizeof(cmc));
	cmc.count = (uint16_t)n;
	for (i = 0; i < n; i++) {
		cmc.heads[i].left = (uint32_t)heads[i].x;
		cmc.heads[i].top = (uint32_t)heads[i].y;
		cmc.heads[i].right = (uint32_t)heads[i].x + heads[i].width;
		cmc.heads[i].bottom = (uint32_t)heads[i].y + heads[i].height;
	}
	changed = memcmp(&cmc, &dev->shadow_rom.client_monitors_config,
			 sizeof(cmc)) != 0;
	dev->shadow_rom.client_monitors_config = cmc;
	dev->shadow_rom.client_monitors_config_crc =
		qxl_client_monitors_config_crc(&cmc, sizeof(cmc));
	memcpy(&rom->client_monitors_config, &cmc, sizeof(cmc));
	rom->client_monitors_config_crc =
		dev->shadow_rom.client_monitors_config_crc;
	if (changed)
		qxl_send_events(dev, QXL_INTERRUPT_CLIENT_MONITORS_CONFIG);
	return 1;
}

static void client_changed(struct qxl_device *dev)
{
	struct qxl_rom *rom = (struct qxl_rom *)dev->rom;

	rom->client_present = dev->shadow_rom.client_present;
	memcpy(rom->client_capabilities, dev->shadow_rom.client_capabilities,
	       QXL_CLIENT_CAPS_BYTES);
	qxl_send_events(dev, QXL_INTERRUPT_CLIENT);
}

void qxl_device_set_client_present(struct qxl_device *dev, bool present)
{
	if (dev->cfg.revision < QXL_REVISION_STABLE_V12)
		return;
	dev->shadow_rom.client_present = present;
	client_changed(dev);
}

void qxl_device_set_client_caps(struct qxl_device *dev,
				const uint8_t caps[QXL_CLIENT_CAPS_BYTES])
{
	if (dev->cfg.revision < QXL_REVISION_STABLE_V12)
		return;
	memcpy(dev->shadow_rom.client_capabilities, caps,
	       QXL_CLIENT_CAPS_BYTES);
	client_changed(dev);
}
