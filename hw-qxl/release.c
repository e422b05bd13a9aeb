// SPDX-License-Identifier: MIT
/*
 * release.c - handing command resources back to the guest.
 *
 * QEMU's scheme: the release ring slot at prod holds the head id of a
 * chain; each further id is linked through the previous resource's
 * release_info.next.  The chain is pushed (prod advanced) once it has
 * QXL_FREE_BUNCH_SIZE ids, on QXL_IO_FLUSH_RELEASE and after NOTIFY_OOM.
 * One slot stays free for the chain being built, so the ring counts as
 * full at size - 1 published entries.
 *
 * The device keeps its own producer index and chain state: a guest
 * scribbling on the ring cannot make it follow a stale pointer.
 */
#include <string.h>

#include "qxl_internal.h"

static void put_u64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

void qxl_release_reset(struct qxl_device *dev)
{
	dev->rel_prod = 0;
	dev->num_free_res = 0;
	dev->last_release = NULL;
	dev->oom_running = false;
}

/*
 * release_info points at the first 8 bytes of a command the device
 * translated (inside a BAR, so it stays valid for the device's life).
 */
void qxl_release(struct qxl_device *dev, uint8_t *release_info)
{
	struct qxl_release_ring *ring = &dev->ramh->release_ring;
	uint32_t slot = qxl_ring_slot(dev->rel_prod, QXL_RELEASE_RING_SIZE);
	uint64_t id;

	memcpy(&id, release_info, sizeof(id));
	if (dev->num_free_res == 0) {
		ring->items[slot] = id;
	} else {
		put_u64(dev->last_release, id);
	}
	put_u64(release_info, 0);
	dev->last_release = release_info;
	dev->num_free_res++;
	dev->stats.releases++;
	qxl_push_free_res(dev, false);
}

void qxl_push_free_res(struct qxl_device *dev, bool flush)
{
	struct qxl_release_ring *ring = &dev->ramh->release_ring;
	uint32_t cons = QXL_RING_READ(ring->hdr.cons);
	uint32_t used = dev->rel_prod - cons;
	uint32_t old;

	if (dev->num_free_res == 0)
		return;
	if (used > QXL_RELEASE_RING_SIZE) {
		qxl_guest_bug(dev, "release ring cons %u is not within %u of "
			      "prod %u", cons, QXL_RELEASE_RING_SIZE,
			      dev->rel_prod);
		return;
	}
	if (used + 1 >= QXL_RELEASE_RING_SIZE)
		return;		/* full: keep chaining until the guest pops */
	if (!flush && dev->oom_running)
		return;
	if (!flush && dev->num_free_res < QXL_FREE_BUNCH_SIZE)
		return;

	old = dev->rel_prod;
	dev->rel_prod = old + 1;
	qxl_ring_wmb();
	QXL_RING_WRITE(ring->hdr.prod, dev->rel_prod);
	qxl_ring_mb();
	dev->stats.release_pushes++;
	if (qxl_ring_need_notify(old, dev->rel_prod,
				 QXL_RING_READ(ring->hdr.notify_on_prod)))
		qxl_send_events(dev, QXL_INTERRUPT_DISPLAY);
	ring->items[qxl_ring_slot(dev->rel_prod, QXL_RELEASE_RING_SIZE)] = 0;
	dev->num_free_res = 0;
	dev->last_release = NULL;
}
