// SPDX-License-Identifier: MIT
/*
 * written.c - which BAR memory the device writes itself, for a host that
 * migrates that memory.
 *
 * A host's dirty tracking sees the guest's writes, not the device's.  The
 * device writes in two kinds of places:
 *  - fixed areas, written over and over: the RAM header (rings, interrupt
 *    bits), the ROM, and the pixels of each live surface.  A host lists
 *    them when the VM stops (qxl_device_host_areas) and resends them;
 *  - scattered bytes: the release_info of each command handed back (and
 *    the link to it in the one before), and the pixels of a surface as
 *    it is destroyed (the area list no longer holds it).  Those are told
 *    to the host as they happen (qxl_host_ops.mem_written).
 * Everything else in the BARs only the guest writes.
 */
#include "qxl_dev.h"

/* BAR and offset of [p, p + size); false if it is not all in one BAR. */
static bool bar_of(const struct qxl_device *dev, const uint8_t *p,
		   uint64_t size, unsigned int *bar, uint64_t *offset)
{
	uintptr_t a = (uintptr_t)p;
	const struct {
		const uint8_t *base;
		uint64_t size;
		unsigned int bar;
	} bars[] = {
		{ dev->ram, dev->cfg.ram_size, QXL_RAM_RANGE_INDEX },
		{ dev->vram, dev->cfg.vram64_size, QXL_VRAM_RANGE_INDEX },
		{ dev->rom, QXL_ROM_SIZE, QXL_ROM_RANGE_INDEX },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bars) / sizeof(bars[0]); i++) {
		uintptr_t base = (uintptr_t)bars[i].base;

		if (!bars[i].base || a < base || a - base > bars[i].size ||
		    size > bars[i].size - (a - base))
			continue;
		*bar = bars[i].bar;
		*offset = a - base;
		return true;
	}
	return false;
}

void qxl_note_written(struct qxl_device *dev, const uint8_t *p, uint64_t size)
{
	unsigned int bar;
	uint64_t offset;

	if (!dev->ops.mem_written || !p || !size)
		return;
	/* Every pointer here came through the memslot translation. */
	if (bar_of(dev, p, size, &bar, &offset))
		dev->ops.mem_written(dev->host_opaque, bar, offset, size);
}

static uint64_t surface_bytes(const struct qxl_surface_state *s)
{
	uint64_t abs_stride = s->stride < 0 ? -(int64_t)s->stride : s->stride;

	return abs_stride * s->height;
}

void qxl_note_surface_written(struct qxl_device *dev, uint32_t id)
{
	const struct qxl_surface_state *s = &dev->render.surfaces[id];

	if (s->live)
		qxl_note_written(dev, s->mem, surface_bytes(s));
}

void qxl_device_host_areas(struct qxl_device *dev, qxl_area_fn fn,
			   void *opaque)
{
	uint32_t i;

	fn(opaque, QXL_RAM_RANGE_INDEX, dev->ram_header_offset,
	   dev->cfg.ram_size - dev->ram_header_offset);
	fn(opaque, QXL_ROM_RANGE_INDEX, 0, QXL_ROM_SIZE);
	for (i = 0; i < dev->cfg.n_surfaces; i++) {
		const struct qxl_surface_state *s = &dev->render.surfaces[i];
		unsigned int bar;
		uint64_t offset, size = surface_bytes(s);

		if (s->live && bar_of(dev, s->mem, size, &bar, &offset))
			fn(opaque, bar, offset, size);
	}
}
