// SPDX-License-Identifier: MIT
/*
 * fuzz_state.c - libFuzzer target for qxl_device_load_state(), the
 * parser of a saved device state (savevm, incoming migration).
 *
 * Input: [mode byte][rest].  Even mode: rest is the state, as is.  Odd
 * mode: the state a device with a bottom-up primary and a memslot per
 * BAR saves, with rest[2..] XORed into it from offset u16 rest[0..1]
 * (modulo its length), and with mode & 2 cut there.  A state that loads
 * must leave a device that takes port writes and saves again.
 */
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

/* A device worth saving: a bottom-up primary, the fuzz host's slots. */
static void scene(struct fuzz_host *h)
{
	struct qxl_surface_create *sc = &h->ramh->create_surface;

	memset(sc, 0, sizeof(*sc));
	sc->width = 64;
	sc->height = 32;
	sc->stride = -256;
	sc->format = QXL_SURFACE_FMT_32_xRGB;
	sc->mem = qxl_memslot_high_bits(1, 0, 8, 8);
	qxl_device_io_write(h->dev, QXL_IO_CREATE_PRIMARY, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	struct fuzz_host h;
	uint8_t *state = NULL, *again = NULL;
	size_t slen = 0, alen, off, i;
	char err[256];

	if (len < 1 || f_init(&h))
		return 0;
	if (!(buf[0] & 1)) {
		state = malloc(len - 1 ? len - 1 : 1);
		if (!state)
			goto out;
		memcpy(state, buf + 1, len - 1);
		slen = len - 1;
	} else {
		scene(&h);
		if (qxl_device_save_state(h.dev, &state, &slen) || !slen)
			goto out;
		off = len >= 3 ? (buf[1] | (size_t)buf[2] << 8) % slen : 0;
		for (i = 3; i < len && off + i - 3 < slen; i++)
			state[off + i - 3] ^= buf[i];
		if (buf[0] & 2)
			slen = off;
	}
	if (!qxl_device_load_state(h.dev, state, slen, err, sizeof(err))) {
		qxl_device_io_write(h.dev, QXL_IO_NOTIFY_CMD, 0);
		qxl_device_io_write(h.dev, QXL_IO_NOTIFY_CURSOR, 0);
		f_run_deferred(&h);
		if (!qxl_device_save_state(h.dev, &again, &alen))
			free(again);
	} else if (!err[0]) {
		abort();	/* a refusal always says why */
	}
out:
	free(state);
	qxl_device_free(h.dev);
	return 0;
}
