// SPDX-License-Identifier: MIT
/*
 * device.c - device life cycle: configuration, creation (with the layers
 * below wired up), resets, deferred work and the state getters.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "qxl_dev.h"

static uint64_t pow2ceil(uint64_t v)
{
	uint64_t p = 1;

	while (p < v && p < (1ull << 62))
		p <<= 1;
	return p;
}

void qxl_device_config_init(struct qxl_device_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->is_vga = true;
	cfg->revision = QXL_REVISION_DEFAULT;
	cfg->ram_size = QXL_DEFAULT_RAM_SIZE;
	cfg->vram_size = QXL_DEFAULT_VRAM_SIZE;
	cfg->vram64_size = QXL_DEFAULT_VRAM_SIZE;
	cfg->vgamem_size = QXL_DEFAULT_VGAMEM_SIZE;
	cfg->max_outputs = QXL_DEFAULT_MAX_OUTPUTS;
	cfg->n_surfaces = QXL_DEFAULT_N_SURFACES;
	cfg->ring_budget = QXL_DEFAULT_RING_BUDGET;
}

/* QEMU's qxl_init_ramsize rules; returns a message if cfg is unusable. */
static const char *normalize_config(struct qxl_device_config *c)
{
	if (!c->revision)
		c->revision = QXL_REVISION_DEFAULT;
	if (c->revision > QXL_REVISION_STABLE_V12_VGA_SAFE)
		return "revision must be 1..5";
	if (!c->vgamem_size)
		c->vgamem_size = QXL_DEFAULT_VGAMEM_SIZE;
	if (c->vgamem_size < (8u << 20))
		c->vgamem_size = 8u << 20;
	if (c->vgamem_size > (256u << 20))
		c->vgamem_size = 256u << 20;
	if (!c->ram_size)
		c->ram_size = QXL_DEFAULT_RAM_SIZE;
	if (c->ram_size < c->vgamem_size * 2)
		c->ram_size = c->vgamem_size * 2;
	if (!c->vram_size)
		c->vram_size = QXL_DEFAULT_VRAM_SIZE;
	if (c->vram_size < 4096)
		c->vram_size = 4096;
	if (c->vram64_size < c->vram_size)
		c->vram64_size = c->vram_size;
	if (c->revision == 1) {
		c->vram_size = 4096;
		c->vram64_size = 4096;
	}
	c->vgamem_size = pow2ceil(c->vgamem_size);
	c->ram_size = pow2ceil(c->ram_size);
	c->vram_size = pow2ceil(c->vram_size);
	c->vram64_size = pow2ceil(c->vram64_size);
	if (c->ram_size > (1ull << 31))
		return "ram_size above 2 GiB";
	if (c->vram_size > (1ull << 31))
		return "vram_size above 2 GiB";
	if (c->vram64_size > (1ull << 36))
		return "vram64_size above 64 GiB";
	if (!c->n_surfaces)
		c->n_surfaces = QXL_DEFAULT_N_SURFACES;
	if (c->n_surfaces > QXL_MAX_N_SURFACES)
		return "n_surfaces above 65536";
	if (c->max_outputs > QXL_CLIENT_MONITORS_MAX)
		c->max_outputs = QXL_CLIENT_MONITORS_MAX;
	if (!c->ring_budget)
		c->ring_budget = QXL_DEFAULT_RING_BUDGET;
	return NULL;
}

static void *bar_alloc(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

struct qxl_device *qxl_device_new(const struct qxl_device_config *cfg,
				  const struct qxl_host_ops *ops,
				  void *host_opaque)
{
	struct qxl_device *dev = calloc(1, sizeof(*dev));
	const char *err;

	if (!dev)
		return NULL;
	if (ops)
		dev->ops = *ops;
	dev->host_opaque = host_opaque;
	if (cfg)
		dev->cfg = *cfg;
	else
		qxl_device_config_init(&dev->cfg);
	err = normalize_config(&dev->cfg);
	if (err) {
		qxl_log(dev, QXL_LOG_GUEST_ERROR, "qxl: bad config: %s", err);
		free(dev);
		return NULL;
	}
	pixman_region32_init(&dev->damage);
	dev->async_io = -1;
	/* What the layers below find wrong in guest memory comes back here. */
	dev->mem.report.report = qxl_guest_report;
	dev->mem.report.opaque = dev;
	dev->held_create = calloc(dev->cfg.n_surfaces,
				  sizeof(*dev->held_create));
	dev->ram = bar_alloc(dev->cfg.ram_size);
	dev->vram = bar_alloc(dev->cfg.vram64_size);
	dev->rom = bar_alloc(QXL_ROM_SIZE);
	if (qxl_render_init(&dev->render, &dev->mem, dev->cfg.n_surfaces) ||
	    !dev->held_create || !dev->ram || !dev->vram || !dev->rom ||
	    qxl_pci_init_layout(dev)) {
		qxl_log(dev, QXL_LOG_GUEST_ERROR, "qxl: out of memory");
		qxl_device_free(dev);
		return NULL;
	}
	dev->mode = dev->cfg.is_vga ? QXL_MODE_VGA : QXL_MODE_UNDEFINED;
	qxl_rom_init(dev);
	qxl_ram_init(dev);
	qxl_release_init(&dev->rel, &dev->ramh->release_ring,
			 &dev->mem.report);
	return dev;
}

void qxl_device_free(struct qxl_device *dev)
{
	if (!dev)
		return;
	dev->ops.mem_written = NULL;	/* the memory goes with the device */
	if (dev->render.surfaces && dev->held_create)
		qxl_surfaces_destroy_all(dev, false);
	qxl_cursor_reset(dev, false);
	qxl_render_fini(&dev->render);
	free(dev->held_create);
	free(dev->primary_shadow);
	if (dev->ram)
		munmap(dev->ram, dev->cfg.ram_size);
	if (dev->vram)
		munmap(dev->vram, dev->cfg.vram64_size);
	if (dev->rom)
		munmap(dev->rom, QXL_ROM_SIZE);
	pixman_region32_fini(&dev->damage);
	free(dev);
}

void qxl_device_set_sink(struct qxl_device *dev,
			 const struct qxl_display_sink *sink, void *opaque)
{
	if (sink) {
		dev->sink_copy = *sink;
		dev->sink = &dev->sink_copy;
	} else {
		dev->sink = NULL;
	}
	dev->sink_opaque = opaque;
}

void qxl_set_dev_mode(struct qxl_device *dev, enum qxl_dev_mode mode)
{
	bool was_vga = dev->mode == QXL_MODE_VGA;

	dev->mode = mode;
	if (was_vga != (mode == QXL_MODE_VGA) && dev->ops.mode_changed)
		dev->ops.mode_changed(dev->host_opaque, mode != QXL_MODE_VGA);
}

/* QEMU's qxl_soft_reset: forget the guest bug and any async op. */
void qxl_soft_reset(struct qxl_device *dev)
{
	dev->guest_bug = false;
	dev->guest_bug_msg[0] = 0;
	dev->guest_warns = 0;
	dev->async_io = -1;
	dev->async_done = false;
	qxl_set_dev_mode(dev, dev->cfg.is_vga ? QXL_MODE_VGA : QXL_MODE_UNDEFINED);
}

/*
 * QEMU's qxl_hard_reset: everything back to power-on state.  Held
 * commands (surface creates, the cursor SET) are dropped, not released:
 * QEMU releases them into the ring it re-initialises right after, so a
 * guest never sees those releases either.
 */
void qxl_hard_reset(struct qxl_device *dev)
{
	qxl_cursor_reset(dev, false);
	if (dev->sink && dev->sink->cursor_hide)
		dev->sink->cursor_hide(dev->sink_opaque);
	qxl_surfaces_destroy_all(dev, false);
	if (dev->mode != QXL_MODE_VGA)
		dev->mode = QXL_MODE_UNDEFINED;
	qxl_memslots_reset(&dev->mem);
	qxl_rom_write_back(dev);
	qxl_ram_init(dev);
	qxl_release_reset(&dev->rel);
	dev->cmd_pending = false;
	dev->cursor_pending = false;
	dev->n_monitors = 0;
	qxl_update_irq(dev);
	qxl_soft_reset(dev);
}

void qxl_device_reset(struct qxl_device *dev)
{
	qxl_hard_reset(dev);
}

void qxl_device_run_deferred(struct qxl_device *dev)
{
	dev->deferred_scheduled = false;
	if (dev->cmd_pending && !dev->guest_bug)
		qxl_process_cmd_ring(dev, dev->cfg.ring_budget);
	if (dev->cursor_pending && !dev->guest_bug)
		qxl_process_cursor_ring(dev, dev->cfg.ring_budget);
	if (dev->async_io >= 0 && dev->async_done) {
		dev->async_io = -1;
		dev->async_done = false;
		qxl_send_events(dev, QXL_INTERRUPT_IO_CMD);
	}
}

bool qxl_device_in_native_mode(const struct qxl_device *dev)
{
	return dev->mode != QXL_MODE_VGA;
}

unsigned int qxl_device_get_monitors(const struct qxl_device *dev,
				     struct qxl_monitor_head *heads,
				     unsigned int max)
{
	unsigned int n = dev->n_monitors < max ? dev->n_monitors : max;

	memcpy(heads, dev->monitors, n * sizeof(*heads));
	return n;
}

void qxl_device_get_stats(const struct qxl_device *dev,
			  struct qxl_device_stats *stats)
{
	*stats = dev->stats;
	stats->releases = dev->rel.releases;
	stats->release_pushes = dev->rel.pushes;
	stats->unsupported += dev->render.unsupported;
}
