/* SPDX-License-Identifier: MIT */
/*
 * fuzz_common.h - a minimal host for the hw-qxl fuzz targets: a small
 * device with its BARs mapped, slot 1 over all of BAR0, slot 2 over
 * VRAM and slot 3 starting at the fuzz data area (so small offsets in
 * fuzzed addresses land in fuzzed bytes).
 */
#ifndef HWQXL_FUZZ_COMMON_H
#define HWQXL_FUZZ_COMMON_H

#include <stdint.h>
#include <string.h>

#include "qxl_device.h"

#define F_RAM_GPA	0xe0000000ull
#define F_VRAM_GPA	0xd0000000ull
#define F_DATA_SIZE	(256u << 10)	/* fuzz data area in BAR0 pages */

struct fuzz_host {
	struct qxl_device *dev;
	uint8_t *ram;
	struct qxl_ram_header *ramh;
	uint8_t *data;		/* fuzz data area, slot 3 offset 0 */
	uint64_t data_offset;	/* its offset in BAR0 */
	int scheduled;
	/* Bytes of the data area and VRAM the device said it wrote
	 * (mem_written, qxl_device_host_areas); NULL: not watched. */
	uint8_t *told_data, *told_vram;
};

static void f_irq(void *o, int l) { (void)o; (void)l; }
static void f_sched(void *o) { ((struct fuzz_host *)o)->scheduled = 1; }
static void f_log(void *o, enum qxl_log_level l, const char *m)
{
	(void)o; (void)l; (void)m;
}

#define F_VRAM_SIZE	(64u << 10)

/* Mark [offset, offset + size) of a BAR in the watched copies. */
static void f_told(void *o, unsigned int bar, uint64_t offset,
		   uint64_t size)
{
	struct fuzz_host *h = o;
	uint64_t end = offset + size, lo, hi;

	if (bar == QXL_VRAM_RANGE_INDEX && h->told_vram) {
		if (offset < F_VRAM_SIZE)
			memset(h->told_vram + offset, 1,
			       (end < F_VRAM_SIZE ? end : F_VRAM_SIZE) - offset);
	} else if (bar == QXL_RAM_RANGE_INDEX && h->told_data) {
		lo = offset > h->data_offset ? offset : h->data_offset;
		hi = end < h->data_offset + F_DATA_SIZE ? end :
		     h->data_offset + F_DATA_SIZE;
		if (lo < hi)
			memset(h->told_data + (lo - h->data_offset), 1, hi - lo);
	}
}

static const struct qxl_host_ops f_ops = {
	.set_irq = f_irq, .schedule = f_sched, .log = f_log,
	.mem_written = f_told,
};

static void f_slot(struct fuzz_host *h, unsigned int id, uint64_t s,
		   uint64_t e)
{
	h->ramh->mem_slot.mem_start = s;
	h->ramh->mem_slot.mem_end = e;
	qxl_device_io_write(h->dev, QXL_IO_MEMSLOT_ADD, (uint8_t)id);
}

static int f_init(struct fuzz_host *h)
{
	struct qxl_device_config cfg;
	const struct qxl_rom *rom;
	uint64_t ram_size;

	qxl_device_config_init(&cfg);
	cfg.vgamem_size = 8u << 20;
	cfg.ram_size = 16u << 20;
	cfg.vram_size = F_VRAM_SIZE;
	cfg.n_surfaces = 16;
	memset(h, 0, sizeof(*h));
	h->dev = qxl_device_new(&cfg, &f_ops, h);
	if (!h->dev)
		return -1;
	qxl_device_set_bar_address(h->dev, 0, F_RAM_GPA);
	qxl_device_set_bar_address(h->dev, 1, F_VRAM_GPA);
	h->ram = qxl_device_bar_ptr(h->dev, 0);
	ram_size = qxl_device_bar_size(h->dev, 0);
	rom = (const struct qxl_rom *)qxl_device_bar_ptr(h->dev, 2);
	h->ramh = (struct qxl_ram_header *)(h->ram + rom->ram_header_offset);
	h->data = h->ram + rom->pages_offset;
	h->data_offset = rom->pages_offset;
	f_slot(h, 1, F_RAM_GPA, F_RAM_GPA + ram_size);
	f_slot(h, 2, F_VRAM_GPA, F_VRAM_GPA + F_VRAM_SIZE);
	f_slot(h, 3, F_RAM_GPA + rom->pages_offset,
	       F_RAM_GPA + rom->pages_offset + F_DATA_SIZE);
	return 0;
}

static void f_run_deferred(struct fuzz_host *h)
{
	int n = 0;

	while (h->scheduled && n++ < 64) {
		h->scheduled = 0;
		qxl_device_run_deferred(h->dev);
	}
}

#endif
