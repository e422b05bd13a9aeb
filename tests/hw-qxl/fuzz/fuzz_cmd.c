// SPDX-License-Identifier: MIT
/*
 * fuzz_cmd.c - libFuzzer target for the command parser and renderer.
 *
 * Input: [n][n x (type byte, 4-byte offset)] then the guest data.  The
 * data is copied to the fuzz area (slot 3); each ring entry points at
 * data + offset through slot 3.  Types: 0..5 on the command ring, 6 for
 * a cursor command.  A 64x64 primary exists, so draws hit pixels.
 *
 * Whatever the commands, every byte the device writes in the fuzz data
 * area and in VRAM (where hostile commands and surfaces may lie) must
 * have been told to the host, as a migration relies on (written.c):
 * otherwise the target traps.
 */
#include <stdlib.h>

#include "fuzz_common.h"

static uint8_t before_data[F_DATA_SIZE], before_vram[F_VRAM_SIZE];
static uint8_t told_data[F_DATA_SIZE], told_vram[F_VRAM_SIZE];

/* Every changed byte of the watched copies was told. */
static void check_told(struct fuzz_host *h)
{
	const uint8_t *vram = qxl_device_bar_ptr(h->dev, QXL_VRAM_RANGE_INDEX);
	size_t i;

	qxl_device_host_areas(h->dev, f_told, h);
	for (i = 0; i < F_DATA_SIZE; i++)
		if (h->data[i] != before_data[i] && !told_data[i])
			abort();
	for (i = 0; i < F_VRAM_SIZE; i++)
		if (vram[i] != before_vram[i] && !told_vram[i])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static const uint32_t types[] = { QXL_CMD_NOP, QXL_CMD_DRAW,
		QXL_CMD_UPDATE, QXL_CMD_MESSAGE, QXL_CMD_SURFACE,
		QXL_CMD_DRAW };
	struct fuzz_host h;
	size_t n, i, hdr;
	const uint8_t *data;

	if (len < 1)
		return 0;
	n = buf[0] % 33;
	hdr = 1 + n * 5;
	if (len < hdr)
		return 0;
	data = buf + hdr;
	if (f_init(&h))
		return 0;
	memcpy(h.data, data, len - hdr < F_DATA_SIZE ? len - hdr : F_DATA_SIZE);
	h.ramh->create_surface.width = 64;
	h.ramh->create_surface.height = 64;
	h.ramh->create_surface.stride = 256;
	h.ramh->create_surface.format = QXL_SURFACE_FMT_32_xRGB;
	h.ramh->create_surface.mem = qxl_memslot_high_bits(1, 0, 8, 8);
	qxl_device_io_write(h.dev, QXL_IO_CREATE_PRIMARY, 0);
	memcpy(before_data, h.data, F_DATA_SIZE);
	memcpy(before_vram, qxl_device_bar_ptr(h.dev, QXL_VRAM_RANGE_INDEX),
	       F_VRAM_SIZE);
	memset(told_data, 0, F_DATA_SIZE);
	memset(told_vram, 0, F_VRAM_SIZE);
	h.told_data = told_data;
	h.told_vram = told_vram;
	for (i = 0; i < n; i++) {
		const uint8_t *e = buf + 1 + i * 5;
		uint32_t off;
		qxl_phys addr;
		struct qxl_ring_header *r;
		struct qxl_command *items;
		unsigned int port;

		memcpy(&off, e + 1, 4);
		addr = qxl_memslot_high_bits(3, 0, 8, 8) | (off % F_DATA_SIZE);
		if (e[0] % 7 == 6) {
			r = &h.ramh->cursor_ring.hdr;
			items = h.ramh->cursor_ring.items;
			port = QXL_IO_NOTIFY_CURSOR;
		} else {
			r = &h.ramh->cmd_ring.hdr;
			items = h.ramh->cmd_ring.items;
			port = QXL_IO_NOTIFY_CMD;
		}
		if (qxl_ring_prod_full(r, 32))
			break;
		items[qxl_ring_prod_slot(r, 32)].data = addr;
		items[qxl_ring_prod_slot(r, 32)].type =
			e[0] % 7 == 6 ? QXL_CMD_CURSOR : types[e[0] % 7 % 6];
		qxl_ring_push(r);
		qxl_device_io_write(h.dev, port, 0);
		f_run_deferred(&h);
	}
	qxl_device_io_write(h.dev, QXL_IO_FLUSH_RELEASE, 0);
	check_told(&h);
	qxl_device_free(h.dev);
	return 0;
}
