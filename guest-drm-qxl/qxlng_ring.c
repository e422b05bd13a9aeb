// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_ring.c - draining the release ring, which the device produces.
 *
 * The device owns prod and may move it (or cons) at any time; a device
 * that keeps producing must not keep the driver in the loop, so one
 * drain takes a bounded number of entries and reports whether it
 * stopped early.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "qxlng_logic.h"

int qxlng_release_ring_drain(struct qxl_release_ring *ring, unsigned int max,
			     qxlng_release_take_fn take, void *ctx)
{
	unsigned int n = 0;
	u32 slot;
	u64 id;
	int r;

	while (n < max) {
		r = qxl_ring_cons_slot(&ring->hdr, QXL_RELEASE_RING_SIZE,
				       &slot);
		if (r < 0)
			return -EIO;
		if (r == 0)
			break;
		/* Packed, so 4-byte aligned: copy the entry out once. */
		memcpy(&id, &ring->items[slot], sizeof(id));
		take(ctx, id);
		qxl_ring_pop(&ring->hdr);
		n++;
	}
	return n;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_release_ring_drain);
