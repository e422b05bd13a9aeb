// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the hardware-free driver logic: the ROM layout
 * check and mode list parser, the client monitors config parser and the
 * damage clipper, fed arbitrary bytes (a hostile or broken device).
 * Built in userspace with stand-ins for the few kernel headers used.
 */
#include <stdlib.h>
#include <string.h>

#include "../qxlng_logic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qxlng_rom_layout layout;
	struct qxlng_mode modes[64];
	struct qxlng_head_rect heads[8];
	struct qxl_client_monitors_config cfg;
	struct qxlng_damage_rect in[32];
	struct qxl_rect out[16];
	const char *why = NULL;
	unsigned int i, n, n_in;
	uint8_t *rom;
	uint64_t bar;
	uint32_t crc;
	int r;

	/* ROM: exactly the input bytes, in their own allocation (ASan). */
	rom = malloc(size ? size : 1);
	if (!rom)
		return 0;
	memcpy(rom, data, size);
	bar = size >= 8 ? ((uint64_t)data[0] << 20) | data[1] : 0;
	if (!qxlng_rom_check(rom, size, bar, &layout, &why)) {
		if (layout.ram_header_offset + sizeof(struct qxl_ram_header) > bar ||
		    layout.surface0_size >= layout.ram_header_offset)
			abort();
	}
	r = qxlng_rom_parse_modes(rom, size, modes, 64, &why);
	for (i = 0; r > 0 && i < (unsigned int)r; i++)
		if (modes[i].stride < modes[i].width * 4 || modes[i].bits != 32)
			abort();
	free(rom);

	/* The vblank period of a mode with any timings stays in range. */
	if (size >= 12) {
		uint32_t t[3];
		uint64_t ns;

		memcpy(t, data, sizeof(t));
		ns = qxlng_frame_ns(t[0], t[1], t[2]);
		if (ns < QXLNG_FRAME_NS_MIN || ns > QXLNG_FRAME_NS_MAX)
			abort();
	}

	/* Client monitors config, with its real CRC half of the time. */
	memset(&cfg, 0, sizeof(cfg));
	memcpy(&cfg, data, size < sizeof(cfg) ? size : sizeof(cfg));
	crc = qxl_client_monitors_config_crc(&cfg, sizeof(cfg));
	if (size && (data[size - 1] & 1))
		crc ^= 1;
	r = qxlng_monitors_parse(&cfg, crc, 8, heads);
	if (r > 8)
		abort();

	/* Damage rectangles from the input. */
	n_in = size / sizeof(struct qxlng_damage_rect);
	if (n_in > 32)
		n_in = 32;
	memcpy(in, data, n_in * sizeof(struct qxlng_damage_rect));
	n = qxlng_damage_to_rects(in, n_in, 1024, 768, out, 16);
	for (i = 0; i < n; i++)
		if (out[i].left < 0 || out[i].top < 0 || out[i].right > 1024 ||
		    out[i].bottom > 768 || out[i].left >= out[i].right ||
		    out[i].top >= out[i].bottom)
			abort();
	return 0;
}
