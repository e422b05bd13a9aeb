// SPDX-License-Identifier: MIT
/*
 * fuzz_io.c - libFuzzer target for port-write sequences over fuzzed
 * guest memory.
 *
 * Input: [2-byte header length L][L bytes copied over the RAM header
 * from its start][then the fuzz data area bytes up to a 0xff 0xff
 * marker][then (port, value) byte pairs].  Host events (deferred runs,
 * client monitors config, client caps, PCI reset) are ports >= 0xf0.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	struct fuzz_host h;
	size_t L, pos, i, dlen;
	uint16_t l16;

	if (len < 2)
		return 0;
	memcpy(&l16, buf, 2);
	L = l16 % (sizeof(struct qxl_ram_header) + 1);
	if (len < 2 + L)
		return 0;
	if (f_init(&h))
		return 0;
	memcpy(h.ramh, buf + 2, L);
	pos = 2 + L;
	for (dlen = 0; pos + dlen + 1 < len; dlen++)
		if (buf[pos + dlen] == 0xff && buf[pos + dlen + 1] == 0xff)
			break;
	memcpy(h.data, buf + pos, dlen < F_DATA_SIZE ? dlen : F_DATA_SIZE);
	pos += dlen + 2;
	for (i = 0; pos + 1 < len && i < 256; pos += 2, i++) {
		uint8_t port = buf[pos], val = buf[pos + 1];

		switch (port) {
		case 0xf0:
			f_run_deferred(&h);
			break;
		case 0xf1: {
			struct qxl_client_head heads[4];

			memset(heads, val, sizeof(heads));
			qxl_device_client_monitors_config(h.dev, val % 5,
							  heads);
			break;
		}
		case 0xf2: {
			uint8_t caps[QXL_CLIENT_CAPS_BYTES];

			memset(caps, val, sizeof(caps));
			qxl_device_set_client_present(h.dev, val & 1);
			qxl_device_set_client_caps(h.dev, caps);
			break;
		}
		case 0xf3:
			qxl_device_reset(h.dev);
			break;
		case 0xf4:
			qxl_device_vga_ioport_written(h.dev);
			break;
		case 0xf5:
			qxl_device_pci_config_write(h.dev, val & 0xfc, 4,
						    0xffffffffu);
			(void)qxl_device_pci_config_read(h.dev, val, 4);
			break;
		default:
			qxl_device_io_write(h.dev, port % 32, val);
			break;
		}
	}
	f_run_deferred(&h);
	qxl_device_free(h.dev);
	return 0;
}
