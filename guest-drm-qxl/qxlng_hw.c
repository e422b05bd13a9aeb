// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_hw.c - the device: BARs, ROM and RAM header validation, reset,
 * interrupts, I/O ports (sync and async) and the memslot.
 *
 * The lowest layer with hardware: it calls only the hardware-free logic.
 * What it must tell the layers above goes through what they registered
 * in struct qxlng_device (the works its IRQ handler schedules and
 * reset_reclaim).
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/pci.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "qxlng_drv.h"

/* Largest ROM BAR we copy (QEMU's is 8 KiB). */
#define QXLNG_ROM_MAX_COPY	(64 * 1024)
/* How long an async I/O may take before we give up on it. */
#define QXLNG_IO_TIMEOUT	(5 * HZ)

void qxlng_io_write(struct qxlng_device *qdev, unsigned int port, u8 val)
{
	iowrite8(val, qdev->io + port);
}

static u32 qxlng_io_done(struct qxlng_device *qdev)
{
	return (u32)atomic_read(&qdev->io_done);
}

static int qxlng_add_memslot(struct qxlng_device *qdev, bool async);

/*
 * An async I/O that timed out never completed: reset the device (which
 * also ends its pending operation) and set it up again the way
 * qxlng_hw_init() left it.  Called with io_lock held.  Both ring locks
 * keep commands off the rings meanwhile; what the rings held is dropped
 * by the reset, so its memory is taken back (reset_reclaim, registered by
 * the allocator).  Surface 0 is gone too:
 * primary_lost makes the next commit create it again.
 */
static int qxlng_hw_reset_locked(struct qxlng_device *qdev)
{
	struct qxl_ram_header *ram = qdev->ram_header;
	int ret;

	lockdep_assert_held(&qdev->io_lock);
	mutex_lock(&qdev->cmd_ring.lock);
	mutex_lock(&qdev->cursor_ring.lock);
	/* No release collection while the device rewrites its rings. */
	mutex_lock(&qdev->release_lock);
	qxlng_io_write(qdev, QXL_IO_RESET, 0);
	/* A handler still counting the old completion finishes first. */
	synchronize_irq(qdev->pdev->irq);
	qxlng_async_reset(&qdev->async, qxlng_io_done(qdev));
	WRITE_ONCE(qdev->primary_lost, true);
	if (qdev->reset_reclaim)
		qdev->reset_reclaim(qdev);
	mutex_unlock(&qdev->release_lock);
	if (READ_ONCE(ram->magic) != QXL_RAM_MAGIC) {
		drm_err(&qdev->drm, "bad RAM header magic after reset\n");
		ret = -EIO;
		goto out;
	}
	if (!READ_ONCE(qdev->stopping)) {
		WRITE_ONCE(ram->int_mask, QXLNG_IRQ_MASK);
		qxlng_io_write(qdev, QXL_IO_UPDATE_IRQ, 0);
	}
	ret = qxlng_add_memslot(qdev, false);
	if (!ret)
		WRITE_ONCE(qdev->guest_bug, false);
out:
	mutex_unlock(&qdev->cursor_ring.lock);
	mutex_unlock(&qdev->cmd_ring.lock);
	return ret;
}

static int qxlng_hw_recover(struct qxlng_device *qdev)
{
	atomic_inc(&qdev->stats.io_resets);
	drm_warn(&qdev->drm,
		 "async I/O never completed; resetting the device\n");
	return qxlng_hw_reset_locked(qdev);
}

/*
 * After a system sleep: the machine's wakeup may have reset the device
 * (QEMU's does, and the VGA console owns the screen again) or not.
 * Reset it either way and set it up as qxlng_hw_start() did, so the
 * state the driver keeps matches the device's; the primary surface is
 * created again by the next commit (primary_lost).
 */
int qxlng_hw_resume(struct qxlng_device *qdev)
{
	int ret;

	mutex_lock(&qdev->io_lock);
	ret = qxlng_hw_reset_locked(qdev);
	mutex_unlock(&qdev->io_lock);
	return ret;
}

/*
 * Start an async I/O and wait for its QXL_INTERRUPT_IO_CMD.  The device
 * runs one at a time (io_lock).  Completions are counted, not just
 * noticed (qxlng_async.c): after a timeout the next call first waits for
 * the late completion, so it neither starts a second operation while the
 * device still runs the first (a guest bug to the device) nor takes that
 * completion for its own; if it never comes, the device is reset.  Only
 * then does setup() write the operation's parameters: a reset clears
 * the RAM header.
 */
int qxlng_io_async(struct qxlng_device *qdev, unsigned int port, u8 val,
		   qxlng_io_setup_fn setup, const void *arg)
{
	struct qxlng_async *a = &qdev->async;
	bool waited = false;
	u32 target;
	int ret = 0;

	mutex_lock(&qdev->io_lock);
	for (;;) {
		enum qxlng_async_step step;

		if (READ_ONCE(qdev->guest_bug)) {
			ret = -EIO;
			goto out;
		}
		step = qxlng_async_next(a, qxlng_io_done(qdev), waited);
		if (step == QXLNG_ASYNC_ISSUE)
			break;
		if (step == QXLNG_ASYNC_WAIT) {
			wait_event_timeout(qdev->io_wq,
					   qxlng_async_reached(qxlng_io_done(qdev),
							       a->issued),
					   QXLNG_IO_TIMEOUT);
			waited = true;
			continue;
		}
		ret = qxlng_hw_recover(qdev);
		if (ret)
			goto out;
	}
	if (setup)
		setup(qdev, arg);
	target = qxlng_async_start(a);
	qxlng_io_write(qdev, port, val);
	if (!wait_event_timeout(qdev->io_wq,
				qxlng_async_reached(qxlng_io_done(qdev), target),
				QXLNG_IO_TIMEOUT)) {
		atomic_inc(&qdev->stats.io_timeouts);
		drm_err(&qdev->drm, "async I/O port %u timed out\n", port);
		ret = -ETIMEDOUT;
	}
out:
	mutex_unlock(&qdev->io_lock);
	return ret;
}

static irqreturn_t qxlng_irq(int irq, void *arg)
{
	struct qxlng_device *qdev = arg;
	u32 pending, plan;

	pending = xchg(&qdev->ram_header->int_pending, 0);
	plan = qxlng_irq_plan(pending, READ_ONCE(qdev->stopping));
	if (!plan)
		return IRQ_NONE;

	atomic_inc(&qdev->stats.irqs);
	if (plan & QXLNG_IRQ_WAKE_DISPLAY) {
		atomic_inc(&qdev->stats.irq_display);
		wake_up_all(&qdev->cmd_ring.wq);
	}
	if (plan & QXLNG_IRQ_WAKE_CURSOR) {
		atomic_inc(&qdev->stats.irq_cursor);
		wake_up_all(&qdev->cursor_ring.wq);
	}
	if (plan & QXLNG_IRQ_COLLECT_RELEASES)
		schedule_work(&qdev->release_work);
	if (plan & QXLNG_IRQ_IO_DONE) {
		atomic_inc(&qdev->stats.irq_io_cmd);
		atomic_inc(&qdev->io_done);
		wake_up_all(&qdev->io_wq);
	}
	if (plan & QXLNG_IRQ_GUEST_BUG) {
		atomic_inc(&qdev->stats.irq_error);
		WRITE_ONCE(qdev->guest_bug, true);
		drm_err_ratelimited(&qdev->drm,
				    "device reports a guest bug; commands stop until reset\n");
	}
	if (plan & QXLNG_IRQ_CLIENT_CONFIG) {
		atomic_inc(&qdev->stats.irq_client_monitors);
		schedule_work(&qdev->client_monitors_work);
	}
	/* Unload clears int_mask: then leave it cleared. */
	if (plan & QXLNG_IRQ_REARM)
		WRITE_ONCE(qdev->ram_header->int_mask, QXLNG_IRQ_MASK);
	if (plan & QXLNG_IRQ_UPDATE_LINE)
		qxlng_io_write(qdev, QXL_IO_UPDATE_IRQ, 0);
	return IRQ_HANDLED;
}

static int qxlng_map_bars(struct qxlng_device *qdev)
{
	struct pci_dev *pdev = qdev->pdev;
	struct device *dev = &pdev->dev;
	resource_size_t rom_bus, rom_len;

	if (!(pci_resource_flags(pdev, QXL_RAM_RANGE_INDEX) & IORESOURCE_MEM) ||
	    !(pci_resource_flags(pdev, QXL_ROM_RANGE_INDEX) & IORESOURCE_MEM) ||
	    !(pci_resource_flags(pdev, QXL_IO_RANGE_INDEX) & IORESOURCE_IO)) {
		drm_err(&qdev->drm, "unexpected BAR types\n");
		return -ENODEV;
	}
	if (pci_resource_len(pdev, QXL_IO_RANGE_INDEX) < QXL_IO_RANGE_SIZE) {
		drm_err(&qdev->drm, "I/O BAR too small\n");
		return -ENODEV;
	}

	qdev->ram_bus = pci_resource_start(pdev, QXL_RAM_RANGE_INDEX);
	qdev->ram_size = pci_resource_len(pdev, QXL_RAM_RANGE_INDEX);
	qdev->ram = devm_memremap(dev, qdev->ram_bus, qdev->ram_size,
				  MEMREMAP_WB);
	if (IS_ERR(qdev->ram))
		return PTR_ERR(qdev->ram);

	rom_bus = pci_resource_start(pdev, QXL_ROM_RANGE_INDEX);
	rom_len = pci_resource_len(pdev, QXL_ROM_RANGE_INDEX);
	if (rom_len < sizeof(struct qxl_rom)) {
		drm_err(&qdev->drm, "ROM BAR smaller than struct qxl_rom\n");
		return -ENODEV;
	}
	qdev->rom_size = min_t(resource_size_t, rom_len, QXLNG_ROM_MAX_COPY);
	qdev->rom_live = devm_memremap(dev, rom_bus, qdev->rom_size,
				       MEMREMAP_WB);
	if (IS_ERR(qdev->rom_live))
		return PTR_ERR(qdev->rom_live);

	qdev->io = pcim_iomap(pdev, QXL_IO_RANGE_INDEX, 0);
	if (!qdev->io)
		return -ENOMEM;
	return 0;
}

/* Copy the ROM once and validate the copy; only the copy is trusted. */
static int qxlng_check_rom(struct qxlng_device *qdev)
{
	const char *why = NULL;
	int n, ret;

	qdev->rom_copy = drmm_kmalloc(&qdev->drm, qdev->rom_size, GFP_KERNEL);
	if (!qdev->rom_copy)
		return -ENOMEM;
	memcpy(qdev->rom_copy, qdev->rom_live, qdev->rom_size);

	ret = qxlng_rom_check(qdev->rom_copy, qdev->rom_size, qdev->ram_size,
			      &qdev->layout, &why);
	if (ret) {
		drm_err(&qdev->drm, "invalid ROM: %s\n", why);
		return ret;
	}
	n = qxlng_rom_parse_modes(qdev->rom_copy, qdev->rom_size, qdev->modes,
				  QXLNG_MAX_MODES, &why);
	if (n < 0) {
		drm_err(&qdev->drm, "invalid ROM mode list: %s\n", why);
		return n;
	}
	qdev->n_modes = n;
	qdev->ram_header = (struct qxl_ram_header *)(qdev->ram +
					qdev->layout.ram_header_offset);
	drm_dbg_driver(&qdev->drm,
		       "surface0 %u KiB, pages %u KiB, %u modes, slots %u-%u\n",
		       qdev->layout.surface0_size >> 10,
		       qdev->layout.pages_size >> 10, qdev->n_modes,
		       qdev->layout.slots_start, qdev->layout.slots_end);
	return 0;
}

/* Memslot over BAR0 below the RAM header (sync only while recovering). */
static int qxlng_add_memslot(struct qxlng_device *qdev, bool async)
{
	struct qxl_ram_header *ram = qdev->ram_header;
	const struct qxl_rom *rom = (const struct qxl_rom *)qdev->rom_live;
	struct qxlng_rom_layout *l = &qdev->layout;
	int ret = 0;

	qdev->slot_id = l->slots_start;
	WRITE_ONCE(ram->mem_slot.mem_start, qdev->ram_bus);
	WRITE_ONCE(ram->mem_slot.mem_end,
		   qdev->ram_bus + l->ram_header_offset);
	if (async)
		ret = qxlng_io_async(qdev, QXL_IO_MEMSLOT_ADD_ASYNC,
				     qdev->slot_id, NULL, NULL);
	else
		qxlng_io_write(qdev, QXL_IO_MEMSLOT_ADD, qdev->slot_id);
	if (ret)
		return ret;
	/* The generation is only valid after the add. */
	qdev->slot_high = qxl_memslot_high_bits(qdev->slot_id,
						READ_ONCE(rom->slot_generation),
						l->slot_id_bits,
						l->slot_gen_bits);
	return 0;
}

static void qxlng_hw_quiesce(void *data)
{
	struct qxlng_device *qdev = data;

	WRITE_ONCE(qdev->stopping, true);
	/* A handler that saw stopping == false re-arms before we clear. */
	synchronize_irq(qdev->pdev->irq);
	WRITE_ONCE(qdev->ram_header->int_mask, 0);
	/* Reset drops every command, surface and memslot on the device. */
	qxlng_io_write(qdev, QXL_IO_RESET, 0);
	cancel_work_sync(&qdev->release_work);
	cancel_work_sync(&qdev->client_monitors_work);
}

/* Called by qxlng_monitors_read(), which checks the CRC. */
void qxlng_hw_read_client_config(void *ctx,
				 struct qxl_client_monitors_config *cfg,
				 u32 *crc)
{
	struct qxlng_device *qdev = ctx;
	const struct qxl_rom *rom = (const struct qxl_rom *)qdev->rom_live;

	*crc = READ_ONCE(rom->client_monitors_config_crc);
	virt_rmb();	/* the CRC before the config it covers */
	memcpy(cfg, &rom->client_monitors_config, sizeof(*cfg));
}

static void qxlng_ring_setup(struct qxlng_ring *ring,
			     struct qxl_ring_header *hdr,
			     struct qxl_command *items, unsigned int size,
			     unsigned int notify_port, const char *name)
{
	mutex_init(&ring->lock);
	init_waitqueue_head(&ring->wq);
	ring->hdr = hdr;
	ring->items = items;
	ring->size = size;
	ring->notify_port = notify_port;
	ring->name = name;
}

/*
 * Map the BARs, check the ROM and reset the device: the layers above
 * can then set up, before qxlng_hw_start() turns interrupts on.
 */
int qxlng_hw_init(struct qxlng_device *qdev)
{
	struct qxl_ram_header *ram;
	int ret;

	mutex_init(&qdev->io_lock);
	init_waitqueue_head(&qdev->io_wq);
	ret = qxlng_map_bars(qdev);
	if (ret)
		return ret;
	ret = qxlng_check_rom(qdev);
	if (ret)
		return ret;
	ram = qdev->ram_header;
	qxlng_ring_setup(&qdev->cmd_ring, &ram->cmd_ring.hdr,
			 ram->cmd_ring.items, QXL_COMMAND_RING_SIZE,
			 QXL_IO_NOTIFY_CMD, "cmd");
	qxlng_ring_setup(&qdev->cursor_ring, &ram->cursor_ring.hdr,
			 ram->cursor_ring.items, QXL_CURSOR_RING_SIZE,
			 QXL_IO_NOTIFY_CURSOR, "cursor");

	/* Start from a known state: rings empty, no memslots, no primary. */
	qxlng_io_write(qdev, QXL_IO_RESET, 0);
	if (READ_ONCE(ram->magic) != QXL_RAM_MAGIC) {
		drm_err(&qdev->drm, "bad RAM header magic %#x\n",
			READ_ONCE(ram->magic));
		return -ENODEV;
	}
	return 0;
}

/*
 * Interrupts on and the memslot added.  The works the IRQ handler
 * schedules must be set up by now; the devm action this adds runs
 * before those of the layers set up earlier, so the device is quiet
 * (reset, works cancelled) before they free anything.
 */
int qxlng_hw_start(struct qxlng_device *qdev)
{
	struct pci_dev *pdev = qdev->pdev;
	struct qxl_ram_header *ram = qdev->ram_header;
	int ret;

	WRITE_ONCE(ram->int_pending, 0);
	WRITE_ONCE(ram->int_mask, QXLNG_IRQ_MASK);
	qxlng_async_init(&qdev->async, qxlng_io_done(qdev));
	ret = devm_request_irq(&pdev->dev, pdev->irq, qxlng_irq, IRQF_SHARED,
			       QXLNG_DRIVER_NAME, qdev);
	if (ret) {
		drm_err(&qdev->drm, "cannot get IRQ %d: %d\n", pdev->irq, ret);
		return ret;
	}
	ret = devm_add_action_or_reset(&pdev->dev, qxlng_hw_quiesce, qdev);
	if (ret)
		return ret;
	qxlng_io_write(qdev, QXL_IO_UPDATE_IRQ, 0);

	return qxlng_add_memslot(qdev, true);
}
