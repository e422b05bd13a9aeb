// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_modes.c - ROM layout validation and the ROM mode list.
 *
 * Works on a copy of the ROM: the device could change its ROM bytes
 * under us, so every field is read once from the copy and checked there.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "qxlng_logic.h"

static const char *qxlng_rom_reason(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return reason;
}

int qxlng_rom_check(const void *rom_bytes, size_t rom_size, u64 ram_bar_size,
		    struct qxlng_rom_layout *layout, const char **why)
{
	const struct qxl_rom *rom = rom_bytes;
	u32 hdr_off, s0;
	u64 hdr_end;

	if (!rom_bytes || rom_size < sizeof(*rom)) {
		qxlng_rom_reason(why, "ROM smaller than struct qxl_rom");
		return -EINVAL;
	}
	if (rom->magic != QXL_ROM_MAGIC) {
		qxlng_rom_reason(why, "bad ROM magic");
		return -EINVAL;
	}
	hdr_off = rom->ram_header_offset;
	s0 = rom->surface0_area_size;
	hdr_end = (u64)hdr_off + sizeof(struct qxl_ram_header);
	if (hdr_off % QXL_PAGE_SIZE) {
		qxlng_rom_reason(why, "RAM header not page aligned");
		return -EINVAL;
	}
	if (hdr_end > ram_bar_size) {
		qxlng_rom_reason(why, "RAM header outside BAR0");
		return -EINVAL;
	}
	if (s0 == 0 || s0 % QXL_PAGE_SIZE) {
		qxlng_rom_reason(why, "surface0 area empty or not page aligned");
		return -EINVAL;
	}
	if (s0 >= hdr_off) {
		qxlng_rom_reason(why, "surface0 area overlaps the RAM header");
		return -EINVAL;
	}
	/* The driver draws into surface 0 (the primary) and no other. */
	if (rom->n_surfaces < 1) {
		qxlng_rom_reason(why, "n_surfaces is 0: no primary surface");
		return -EINVAL;
	}
	if (!qxl_phys_offset_bits(rom->slot_id_bits, rom->slot_gen_bits) ||
	    rom->slot_id_bits > 8 || rom->slot_gen_bits > 32) {
		qxlng_rom_reason(why, "bad memslot id/generation bits");
		return -EINVAL;
	}
	if (rom->slots_start > rom->slots_end ||
	    rom->slots_end >= QXL_NUM_MEMSLOTS ||
	    rom->slots_end >= (1u << rom->slot_id_bits)) {
		qxlng_rom_reason(why, "bad memslot range");
		return -EINVAL;
	}

	layout->surface0_size = s0;
	layout->pages_offset = s0;
	layout->pages_size = hdr_off - s0;
	layout->ram_header_offset = hdr_off;
	layout->n_surfaces = rom->n_surfaces;
	layout->slots_start = rom->slots_start;
	layout->slots_end = rom->slots_end;
	layout->slot_id_bits = rom->slot_id_bits;
	layout->slot_gen_bits = rom->slot_gen_bits;
	return 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_rom_check);

static bool qxlng_mode_usable(const struct qxl_mode *m)
{
	u32 min_stride;

	if (m->bits != 32 || m->orientation != 0)
		return false;
	if (!m->x_res || !m->y_res ||
	    m->x_res > QXLNG_MONITOR_MAX_DIM || m->y_res > QXLNG_MONITOR_MAX_DIM)
		return false;
	min_stride = m->x_res * 4;	/* <= 65536, no overflow */
	return m->stride >= min_stride && m->stride % 4 == 0;
}

static bool qxlng_mode_seen(const struct qxlng_mode *modes, unsigned int n,
			    u32 width, u32 height)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (modes[i].width == width && modes[i].height == height)
			return true;
	return false;
}

int qxlng_rom_parse_modes(const void *rom_bytes, size_t rom_size,
			  struct qxlng_mode *modes, unsigned int max_modes,
			  const char **why)
{
	const struct qxl_rom *rom = rom_bytes;
	const struct qxl_modes *list;
	size_t list_end;
	u32 n_modes, i;
	unsigned int n = 0;

	if (!rom_bytes || rom_size < sizeof(*rom)) {
		qxlng_rom_reason(why, "ROM smaller than struct qxl_rom");
		return -EINVAL;
	}
	if (rom->modes_offset > rom_size ||
	    rom_size - rom->modes_offset < sizeof(struct qxl_modes)) {
		qxlng_rom_reason(why, "mode list header outside the ROM");
		return -EINVAL;
	}
	list = (const struct qxl_modes *)((const u8 *)rom_bytes +
					  rom->modes_offset);
	n_modes = list->n_modes;
	if (check_mul_overflow((size_t)n_modes, sizeof(struct qxl_mode),
			       &list_end) ||
	    list_end > rom_size - rom->modes_offset - sizeof(*list)) {
		qxlng_rom_reason(why, "mode list entries outside the ROM");
		return -EINVAL;
	}

	for (i = 0; i < n_modes && n < max_modes; i++) {
		struct qxl_mode m;

		memcpy(&m, &list->modes[i], sizeof(m));
		if (!qxlng_mode_usable(&m) ||
		    qxlng_mode_seen(modes, n, m.x_res, m.y_res))
			continue;
		modes[n].id = m.id;
		modes[n].width = m.x_res;
		modes[n].height = m.y_res;
		modes[n].bits = m.bits;
		modes[n].stride = m.stride;
		n++;
	}
	return n;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_rom_parse_modes);

u64 qxlng_frame_ns(u32 clock_khz, u32 htotal, u32 vtotal)
{
	u64 pixels, ns;

	if (!clock_khz || !htotal || !vtotal)
		return QXLNG_FRAME_NS_DEFAULT;
	pixels = (u64)htotal * vtotal;
	/*
	 * Beyond this the frame is longer than MAX (and pixels * 10^6 could
	 * overflow); below it ns <= MAX.
	 */
	if (pixels > div_u64(QXLNG_FRAME_NS_MAX * clock_khz, 1000000))
		return QXLNG_FRAME_NS_MAX;
	ns = div_u64(pixels * 1000000, clock_khz);
	return max_t(u64, ns, QXLNG_FRAME_NS_MIN);
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_frame_ns);
