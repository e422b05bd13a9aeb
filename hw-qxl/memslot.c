// SPDX-License-Identifier: MIT
/*
 * memslot.c - guest memory slots and the one translation from a guest
 * address (qxl_phys) plus a length to a host pointer.
 *
 * A slot is a guest-physical range the guest registered with
 * MEMSLOT_ADD; it must lie inside one mapped memory BAR (0, 1 or 4), so
 * every translation resolves into memory the device owns, never into
 * arbitrary guest or host memory.  The BAR-relative range is fixed when
 * the slot is added, so a later BAR move cannot widen it.
 */
#include "qxl_internal.h"

static const unsigned int slot_bars[] = {
	QXL_RAM_RANGE_INDEX, QXL_VRAM_RANGE_INDEX, QXL_VRAM64_RANGE_INDEX,
};

static uint8_t *bar_base(struct qxl_device *dev, unsigned int bar)
{
	return bar == QXL_RAM_RANGE_INDEX ? dev->ram : dev->vram;
}

int qxl_memslot_add(struct qxl_device *dev, unsigned int slot_id,
		    uint64_t start, uint64_t end, uint64_t delta)
{
	struct qxl_slot *slot;
	unsigned int i;

	if (slot_id >= QXL_NUM_MEMSLOTS) {
		qxl_guest_bug(dev, "MEMSLOT_ADD: slot %u >= %u", slot_id,
			      QXL_NUM_MEMSLOTS);
		return -1;
	}
	slot = &dev->slots[slot_id];
	if (slot->active) {
		qxl_guest_bug(dev, "MEMSLOT_ADD: slot %u already active",
			      slot_id);
		return -1;
	}
	if (start > end) {
		qxl_guest_bug(dev, "MEMSLOT_ADD: slot %u start 0x%llx > end "
			      "0x%llx", slot_id, (unsigned long long)start,
			      (unsigned long long)end);
		return -1;
	}
	for (i = 0; i < sizeof(slot_bars) / sizeof(slot_bars[0]); i++) {
		unsigned int bar = slot_bars[i];
		uint64_t base = dev->bar_gpa[bar];
		uint64_t size = dev->bar_size[bar];

		if (!size || base == QXL_BAR_UNMAPPED)
			continue;
		if (start < base || end - base > size)
			continue;
		slot->bar = bar;
		slot->bar_offset = start - base;
		slot->size = end - start;
		slot->delta = delta;
		slot->generation = dev->shadow_rom.slot_generation;
		slot->active = true;
		/* QEMU reports generation 0 for every slot. */
		((struct qxl_rom *)dev->rom)->slot_generation =
			dev->shadow_rom.slot_generation;
		return 0;
	}
	qxl_guest_bug(dev, "MEMSLOT_ADD: slot %u range 0x%llx-0x%llx is not "
		      "inside one mapped RAM/VRAM BAR", slot_id,
		      (unsigned long long)start, (unsigned long long)end);
	return -1;
}

void qxl_memslot_del(struct qxl_device *dev, unsigned int slot_id)
{
	if (slot_id >= QXL_NUM_MEMSLOTS) {
		qxl_guest_bug(dev, "MEMSLOT_DEL: slot %u >= %u", slot_id,
			      QXL_NUM_MEMSLOTS);
		return;
	}
	dev->slots[slot_id].active = false;
}

void qxl_memslots_reset(struct qxl_device *dev)
{
	unsigned int i;

	for (i = 0; i < QXL_NUM_MEMSLOTS; i++)
		dev->slots[i].active = false;
}

/*
 * The only way the device turns a guest address into a host pointer:
 * [phys, phys + len) must lie inside one active slot whose generation
 * matches.  Any failure is a guest bug and returns NULL.
 */
void *qxl_memslot_translate(struct qxl_device *dev, qxl_phys phys,
			    uint64_t len)
{
	uint32_t slot_id, gen;
	uint64_t offset, end;
	struct qxl_slot *slot;

	if (!qxl_phys_decode(phys, QXL_MEMSLOT_ID_BITS, QXL_MEMSLOT_GEN_BITS,
			     &slot_id, &gen, &offset))
		return NULL;
	if (slot_id >= QXL_NUM_MEMSLOTS) {
		qxl_guest_bug(dev, "address 0x%llx: slot %u >= %u",
			      (unsigned long long)phys, slot_id,
			      QXL_NUM_MEMSLOTS);
		return NULL;
	}
	slot = &dev->slots[slot_id];
	if (!slot->active) {
		qxl_guest_bug(dev, "address 0x%llx: slot %u is not active",
			      (unsigned long long)phys, slot_id);
		return NULL;
	}
	if (gen != slot->generation) {
		qxl_guest_bug(dev, "address 0x%llx: generation %u, slot %u has "
			      "%u", (unsigned long long)phys, gen, slot_id,
			      slot->generation);
		return NULL;
	}
	if (offset < slot->delta) {
		qxl_guest_bug(dev, "address 0x%llx: offset below slot %u start",
			      (unsigned long long)phys, slot_id);
		return NULL;
	}
	offset -= slot->delta;
	if (!qxl_add_u64(offset, len, &end) || end > slot->size) {
		qxl_guest_bug(dev, "address 0x%llx + %llu bytes runs past "
			      "slot %u (%llu bytes)", (unsigned long long)phys,
			      (unsigned long long)len, slot_id,
			      (unsigned long long)slot->size);
		return NULL;
	}
	/* Slot lies inside its BAR (checked at add time), so this does too. */
	return bar_base(dev, slot->bar) + slot->bar_offset + offset;
}
