// SPDX-License-Identifier: MIT
/*
 * memslot.c - guest memory slots and the one translation from a guest
 * address (qxl_phys) plus a length to a host pointer.
 *
 * A slot is a guest-physical range the guest registered with
 * MEMSLOT_ADD; it must lie inside one window the device offers (a mapped
 * memory BAR: 0, 1 or 4), so every translation resolves into memory the
 * device owns, never into arbitrary guest or host memory.  The host range
 * is fixed when the slot is added, so a later BAR move cannot widen it.
 */
#include <string.h>

#include "qxl_mem.h"

int qxl_memslot_add(struct qxl_mem *m, unsigned int slot_id, uint64_t start,
		    uint64_t end, uint64_t delta, uint32_t generation,
		    const struct qxl_mem_window *win, unsigned int n)
{
	struct qxl_slot *slot;
	unsigned int i;

	if (slot_id >= QXL_NUM_MEMSLOTS) {
		qxl_report_bug(&m->report, "MEMSLOT_ADD: slot %u >= %u",
			       slot_id, QXL_NUM_MEMSLOTS);
		return -1;
	}
	slot = &m->slots[slot_id];
	if (slot->active) {
		qxl_report_bug(&m->report, "MEMSLOT_ADD: slot %u already "
			       "active", slot_id);
		return -1;
	}
	if (start > end) {
		qxl_report_bug(&m->report, "MEMSLOT_ADD: slot %u start 0x%llx "
			       "> end 0x%llx", slot_id,
			       (unsigned long long)start,
			       (unsigned long long)end);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (start < win[i].gpa || end - win[i].gpa > win[i].size)
			continue;
		slot->host = win[i].host + (start - win[i].gpa);
		slot->size = end - start;
		slot->delta = delta;
		slot->generation = generation;
		slot->active = true;
		return 0;
	}
	qxl_report_bug(&m->report, "MEMSLOT_ADD: slot %u range 0x%llx-0x%llx "
		       "is not inside one mapped RAM/VRAM BAR", slot_id,
		       (unsigned long long)start, (unsigned long long)end);
	return -1;
}

void qxl_memslot_del(struct qxl_mem *m, unsigned int slot_id)
{
	if (slot_id >= QXL_NUM_MEMSLOTS) {
		qxl_report_bug(&m->report, "MEMSLOT_DEL: slot %u >= %u",
			       slot_id, QXL_NUM_MEMSLOTS);
		return;
	}
	m->slots[slot_id].active = false;
}

void qxl_memslots_reset(struct qxl_mem *m)
{
	unsigned int i;

	for (i = 0; i < QXL_NUM_MEMSLOTS; i++)
		m->slots[i].active = false;
}

void *qxl_memslot_translate(const struct qxl_mem *m, qxl_phys phys,
			    uint64_t len)
{
	const struct qxl_report *r = &m->report;
	const struct qxl_slot *slot;
	uint32_t slot_id, gen;
	uint64_t offset, end;

	if (!qxl_phys_decode(phys, QXL_MEMSLOT_ID_BITS, QXL_MEMSLOT_GEN_BITS,
			     &slot_id, &gen, &offset))
		return NULL;
	if (slot_id >= QXL_NUM_MEMSLOTS) {
		qxl_report_bug(r, "address 0x%llx: slot %u >= %u",
			       (unsigned long long)phys, slot_id,
			       QXL_NUM_MEMSLOTS);
		return NULL;
	}
	slot = &m->slots[slot_id];
	if (!slot->active) {
		qxl_report_bug(r, "address 0x%llx: slot %u is not active",
			       (unsigned long long)phys, slot_id);
		return NULL;
	}
	if (gen != slot->generation) {
		qxl_report_bug(r, "address 0x%llx: generation %u, slot %u has "
			       "%u", (unsigned long long)phys, gen, slot_id,
			       slot->generation);
		return NULL;
	}
	if (offset < slot->delta) {
		qxl_report_bug(r, "address 0x%llx: offset below slot %u start",
			       (unsigned long long)phys, slot_id);
		return NULL;
	}
	offset -= slot->delta;
	if (__builtin_add_overflow(offset, len, &end) || end > slot->size) {
		qxl_report_bug(r, "address 0x%llx + %llu bytes runs past slot "
			       "%u (%llu bytes)", (unsigned long long)phys,
			       (unsigned long long)len, slot_id,
			       (unsigned long long)slot->size);
		return NULL;
	}
	/* Inside the slot, so inside its window (checked when added). */
	return slot->host + offset;
}

uint8_t *qxl_memslot_copy(const struct qxl_mem *m, qxl_phys phys, void *out,
			  uint64_t len)
{
	uint8_t *p = qxl_memslot_translate(m, phys, len);

	if (p)
		memcpy(out, p, len);
	return p;
}
