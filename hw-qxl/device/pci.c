// SPDX-License-Identifier: MIT
/*
 * pci.c - PCI identity, BAR layout, config space, the ROM image and the
 * RAM header.
 *
 * BAR0 (RAM): [0, surface0_area_size) primary surface area, then command
 * pages, then the RAM header in its last page(s).  BAR1: 32-bit VRAM.
 * BAR2: the ROM (struct qxl_rom, then the mode list).  BAR3: I/O ports.
 * BAR4: 64-bit VRAM (all of it; BAR1 shows its first vram_size bytes),
 * present only when vram64_size > vram_size, as in QEMU.
 */
#include <string.h>

#include "qxl_dev.h"

#define PCI_SUBVENDOR_QEMU	0x1af4
#define PCI_SUBDEVICE_QEMU	0x1100
#define PCI_BAR_MEM_64		0x04
#define PCI_BAR_MEM_PREFETCH	0x08
#define PCI_BAR_IO		0x01

/* QEMU's mode list: resolutions, each at 16 and 32 bpp, orientations 0, 1. */
static const uint16_t mode_res[][2] = {
	{ 640, 480 }, { 800, 480 }, { 800, 600 }, { 832, 624 },
	{ 960, 640 }, { 1024, 600 }, { 1024, 768 }, { 1152, 864 },
	{ 1152, 870 }, { 1280, 720 }, { 1280, 760 }, { 1280, 768 },
	{ 1280, 800 }, { 1280, 960 }, { 1280, 1024 }, { 1360, 768 },
	{ 1366, 768 }, { 1400, 1050 }, { 1440, 900 }, { 1600, 900 },
	{ 1600, 1200 }, { 1680, 1050 }, { 1920, 1080 }, { 1920, 1200 },
	{ 1920, 1440 }, { 2000, 2000 }, { 2048, 1536 }, { 2048, 2048 },
	{ 2560, 1440 }, { 2560, 1600 }, { 2560, 2048 }, { 2800, 2100 },
	{ 3200, 2400 }, { 3840, 2160 }, { 4096, 2160 }, { 7680, 4320 },
	{ 8192, 4320 },
};

int qxl_pci_init_layout(struct qxl_device *dev)
{
	static const uint8_t revs[] = { 0, QXL_REVISION_STABLE_V04,
		QXL_REVISION_STABLE_V06, QXL_REVISION_STABLE_V10,
		QXL_REVISION_STABLE_V12, QXL_REVISION_STABLE_V12_VGA_SAFE };
	static const uint8_t io_sizes[] = { 0, 8, 16, 32, 32, 32 };
	unsigned int i;

	dev->pci_revision = revs[dev->cfg.revision];
	dev->io_size = io_sizes[dev->cfg.revision];
	dev->bar_size[QXL_RAM_RANGE_INDEX] = dev->cfg.ram_size;
	dev->bar_size[QXL_VRAM_RANGE_INDEX] = dev->cfg.vram_size;
	dev->bar_size[QXL_ROM_RANGE_INDEX] = QXL_ROM_SIZE;
	dev->bar_size[QXL_IO_RANGE_INDEX] = dev->io_size;
	dev->bar_size[QXL_VRAM64_RANGE_INDEX] =
		dev->cfg.vram64_size > dev->cfg.vram_size ?
		dev->cfg.vram64_size : 0;
	for (i = 0; i < QXL_DEVICE_NUM_BARS; i++)
		dev->bar_gpa[i] = QXL_BAR_UNMAPPED;
	return 0;
}

void qxl_rom_init(struct qxl_device *dev)
{
	struct qxl_rom *rom = &dev->shadow_rom;
	uint32_t ram_header_size, num_pages;
	unsigned int i, o;

	memset(rom, 0, sizeof(*rom));
	rom->magic = QXL_ROM_MAGIC;
	rom->id = dev->cfg.id;
	rom->modes_offset = sizeof(struct qxl_rom);
	rom->slot_gen_bits = QXL_MEMSLOT_GEN_BITS;
	rom->slot_id_bits = QXL_MEMSLOT_ID_BITS;
	rom->slots_start = QXL_MEMSLOT_START;
	rom->slots_end = QXL_MEMSLOT_END;
	rom->n_surfaces = dev->cfg.n_surfaces;

	dev->n_modes = 0;
	for (i = 0; i < sizeof(mode_res) / sizeof(mode_res[0]); i++) {
		for (o = 0; o < 4; o++) {
			uint32_t bits = (o & 1) ? 32 : 16;
			uint32_t orient = o >> 1;
			struct qxl_mode *m = &dev->modes[dev->n_modes];
			uint32_t stride = mode_res[i][0] * bits / 8;

			if ((uint64_t)stride * mode_res[i][1] >
			    dev->cfg.vgamem_size)
				continue;
			m->id = i * 4 + o;
			m->x_res = mode_res[i][0];
			m->y_res = mode_res[i][1];
			m->bits = bits;
			m->stride = stride;
			/* QEMU: 0.2936875 mm per pixel */
			m->x_mili = (uint32_t)((uint64_t)m->x_res * 2936875 /
					       10000000);
			m->y_mili = (uint32_t)((uint64_t)m->y_res * 2936875 /
					       10000000);
			m->orientation = orient;
			dev->n_modes++;
		}
	}

	ram_header_size = (sizeof(struct qxl_ram_header) + QXL_PAGE_SIZE - 1) &
			  ~(uint32_t)(QXL_PAGE_SIZE - 1);
	dev->surface0_area_size = (uint32_t)dev->cfg.vgamem_size;
	num_pages = (uint32_t)dev->cfg.ram_size - ram_header_size -
		    dev->surface0_area_size;
	rom->draw_area_offset = 0;
	rom->surface0_area_size = dev->surface0_area_size;
	rom->pages_offset = dev->surface0_area_size;
	rom->num_pages = num_pages / QXL_PAGE_SIZE;
	dev->ram_header_offset = (uint32_t)dev->cfg.ram_size - ram_header_size;
	rom->ram_header_offset = dev->ram_header_offset;
	dev->ramh = (struct qxl_ram_header *)(dev->ram +
					      dev->ram_header_offset);
	qxl_rom_write_back(dev);
}

/* The RAM header as the device leaves it on reset: empty rings. */
void qxl_ram_init(struct qxl_device *dev)
{
	struct qxl_ram_header *r = dev->ramh;

	memset(r, 0, sizeof(*r));
	r->magic = QXL_RAM_MAGIC;
	qxl_ring_init(&r->cmd_ring.hdr, QXL_COMMAND_RING_SIZE);
	qxl_ring_init(&r->cursor_ring.hdr, QXL_CURSOR_RING_SIZE);
	qxl_ring_init(&r->release_ring.hdr, QXL_RELEASE_RING_SIZE);
}

/* Rewrite the guest-visible ROM from the shadow (reset, client changes). */
void qxl_rom_write_back(struct qxl_device *dev)
{
	struct qxl_modes *modes;

	dev->shadow_rom.update_id = 0;
	memset(dev->rom, 0, QXL_ROM_SIZE);
	memcpy(dev->rom, &dev->shadow_rom, sizeof(dev->shadow_rom));
	modes = (struct qxl_modes *)(dev->rom + sizeof(struct qxl_rom));
	modes->n_modes = dev->n_modes;
	memcpy(modes->modes, dev->modes, dev->n_modes * sizeof(struct qxl_mode));
}

void qxl_device_pci_ids(const struct qxl_device *dev, struct qxl_pci_ids *ids)
{
	ids->vendor_id = QXL_PCI_VENDOR_ID;
	ids->device_id = QXL_PCI_DEVICE_ID;
	ids->subsystem_vendor_id = PCI_SUBVENDOR_QEMU;
	ids->subsystem_id = PCI_SUBDEVICE_QEMU;
	ids->class_code = (dev->cfg.is_vga ? QXL_PCI_CLASS_VGA :
			   QXL_PCI_CLASS_DISPLAY_OTHER) << 8;
	ids->revision = dev->pci_revision;
	ids->interrupt_pin = QXL_PCI_INTERRUPT_PIN;
}

uint64_t qxl_device_bar_size(const struct qxl_device *dev, unsigned int bar)
{
	return bar < QXL_DEVICE_NUM_BARS ? dev->bar_size[bar] : 0;
}

uint32_t qxl_device_bar_flags(const struct qxl_device *dev, unsigned int bar)
{
	if (bar >= QXL_DEVICE_NUM_BARS || !dev->bar_size[bar])
		return 0;
	switch (bar) {
	case QXL_IO_RANGE_INDEX:
		return QXL_BAR_FLAG_PRESENT | QXL_BAR_FLAG_IO;
	case QXL_ROM_RANGE_INDEX:
		return QXL_BAR_FLAG_PRESENT | QXL_BAR_FLAG_READONLY;
	case QXL_VRAM64_RANGE_INDEX:
		return QXL_BAR_FLAG_PRESENT | QXL_BAR_FLAG_64BIT |
		       QXL_BAR_FLAG_PREFETCH;
	default:
		return QXL_BAR_FLAG_PRESENT;
	}
}

uint8_t *qxl_device_bar_ptr(struct qxl_device *dev, unsigned int bar)
{
	switch (bar) {
	case QXL_RAM_RANGE_INDEX:
		return dev->ram;
	case QXL_VRAM_RANGE_INDEX:
		return dev->vram;
	case QXL_ROM_RANGE_INDEX:
		return dev->rom;
	case QXL_VRAM64_RANGE_INDEX:
		return dev->bar_size[bar] ? dev->vram : NULL;
	default:
		return NULL;
	}
}

void qxl_device_set_bar_address(struct qxl_device *dev, unsigned int bar,
				uint64_t gpa)
{
	if (bar >= QXL_DEVICE_NUM_BARS || !dev->bar_size[bar])
		return;
	if (gpa != QXL_BAR_UNMAPPED)
		gpa &= ~(dev->bar_size[bar] - 1);
	dev->bar_gpa[bar] = gpa;
}

/* The value of BAR register 'reg' (0..5) as a guest reads it. */
static uint32_t bar_register(const struct qxl_device *dev, unsigned int reg)
{
	unsigned int bar = reg;
	uint64_t size, addr, val;
	uint32_t lowbits;
	bool high = false;

	if (reg == 5) {		/* upper half of 64-bit BAR4 */
		bar = QXL_VRAM64_RANGE_INDEX;
		high = true;
	}
	size = dev->bar_size[bar];
	if (!size)
		return 0;
	if (bar == QXL_IO_RANGE_INDEX)
		lowbits = PCI_BAR_IO;
	else if (bar == QXL_VRAM64_RANGE_INDEX)
		lowbits = PCI_BAR_MEM_64 | PCI_BAR_MEM_PREFETCH;
	else
		lowbits = 0;
	if (dev->bar_sizing & (1u << reg))
		val = ~(size - 1);
	else {
		addr = dev->bar_gpa[bar];
		val = addr == QXL_BAR_UNMAPPED ? 0 : addr;
	}
	if (high)
		return (uint32_t)(val >> 32);
	if (bar == QXL_IO_RANGE_INDEX)
		return ((uint32_t)val & ~3u) | lowbits;
	return ((uint32_t)val & ~15u) | lowbits;
}

void qxl_device_pci_config(const struct qxl_device *dev, uint8_t out[256])
{
	struct qxl_pci_ids ids;
	unsigned int i;

	memset(out, 0, 256);
	qxl_device_pci_ids(dev, &ids);
	out[0x00] = ids.vendor_id & 0xff;
	out[0x01] = ids.vendor_id >> 8;
	out[0x02] = ids.device_id & 0xff;
	out[0x03] = ids.device_id >> 8;
	out[0x04] = dev->pci_command & 0xff;
	out[0x05] = dev->pci_command >> 8;
	out[0x08] = ids.revision;
	out[0x09] = ids.class_code & 0xff;
	out[0x0a] = (ids.class_code >> 8) & 0xff;
	out[0x0b] = (ids.class_code >> 16) & 0xff;
	out[0x0e] = 0;		/* header type 0 */
	for (i = 0; i < 6; i++) {
		uint32_t v = bar_register(dev, i);

		memcpy(&out[0x10 + 4 * i], &v, 4);
	}
	out[0x2c] = PCI_SUBVENDOR_QEMU & 0xff;
	out[0x2d] = PCI_SUBVENDOR_QEMU >> 8;
	out[0x2e] = PCI_SUBDEVICE_QEMU & 0xff;
	out[0x2f] = PCI_SUBDEVICE_QEMU >> 8;
	out[0x3c] = dev->pci_int_line;
	out[0x3d] = ids.interrupt_pin;
}

uint32_t qxl_device_pci_config_read(const struct qxl_device *dev,
				    unsigned int offset, unsigned int size)
{
	uint8_t cfg[256];
	uint32_t v = 0;
	unsigned int i;

	if ((size != 1 && size != 2 && size != 4) || offset > 256 - size)
		return 0xffffffff;
	qxl_device_pci_config(dev, cfg);
	for (i = 0; i < size; i++)
		v |= (uint32_t)cfg[offset + i] << (8 * i);
	return v;
}

void qxl_device_pci_config_write(struct qxl_device *dev, unsigned int offset,
				 unsigned int size, uint32_t val)
{
	if ((size != 1 && size != 2 && size != 4) || offset > 256 - size)
		return;
	if (offset == 0x04 && size >= 2) {
		dev->pci_command = val & 0x0547;
	} else if (offset == 0x3c) {
		dev->pci_int_line = val & 0xff;
	} else if (offset >= 0x10 && offset < 0x28 && size == 4 &&
		   !(offset & 3)) {
		unsigned int reg = (offset - 0x10) / 4;
		unsigned int bar = reg == 5 ? QXL_VRAM64_RANGE_INDEX : reg;
		uint64_t cur;

		if (!dev->bar_size[bar])
			return;
		if (val == 0xffffffff) {
			dev->bar_sizing |= 1u << reg;
			return;
		}
		dev->bar_sizing &= ~(1u << reg);
		cur = dev->bar_gpa[bar] == QXL_BAR_UNMAPPED ? 0 :
		      dev->bar_gpa[bar];
		if (reg == 5)
			cur = (cur & 0xffffffffull) | ((uint64_t)val << 32);
		else
			cur = (cur & ~0xffffffffull) | (val & ~15u);
		if (bar == QXL_IO_RANGE_INDEX)
			cur = val & ~3u;
		qxl_device_set_bar_address(dev, bar, cur);
	}
}
