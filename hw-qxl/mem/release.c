// SPDX-License-Identifier: MIT
/*
 * release.c - handing command resources back to the guest.
 *
 * QEMU's scheme: the release ring slot at prod holds the head id of a
 * chain; each further id is linked through the previous resource's
 * release_info.next.  The chain is pushed (prod advanced) once it has
 * QXL_FREE_BUNCH_SIZE ids, or when flushed (QXL_IO_FLUSH_RELEASE, after
 * NOTIFY_OOM).  One slot stays free for the chain being built, so the
 * ring counts as full at size - 1 published entries.
 *
 * The chain keeps its own producer index and tail: a guest scribbling on
 * the ring cannot make it follow a stale pointer.  When a push reaches the
 * guest's notify_on_prod the functions say so; raising the interrupt is
 * the device's business.
 */
#include <string.h>

#include "qxl_mem.h"

static void put_u64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

void qxl_release_init(struct qxl_release_chain *c,
		      struct qxl_release_ring *ring,
		      const struct qxl_report *report)
{
	memset(c, 0, sizeof(*c));
	c->ring = ring;
	c->report = report;
}

void qxl_release_reset(struct qxl_release_chain *c)
{
	c->prod = 0;
	c->n_ids = 0;
	c->tail = NULL;
	c->hold = false;
}

/*
 * release_info points at the first 8 bytes of a command the device
 * translated (inside a BAR, so it stays valid for the device's life).
 */
bool qxl_release(struct qxl_release_chain *c, uint8_t *release_info)
{
	uint32_t slot = qxl_ring_slot(c->prod, QXL_RELEASE_RING_SIZE);
	uint64_t id;

	memcpy(&id, release_info, sizeof(id));
	if (c->n_ids == 0)
		c->ring->items[slot] = id;
	else
		put_u64(c->tail, id);
	put_u64(release_info, 0);
	c->tail = release_info;
	c->n_ids++;
	c->releases++;
	return qxl_release_push(c, false);
}

bool qxl_release_push(struct qxl_release_chain *c, bool flush)
{
	struct qxl_release_ring *ring = c->ring;
	uint32_t cons = QXL_RING_READ(ring->hdr.cons);
	uint32_t used = c->prod - cons;
	uint32_t old;
	bool notify;

	if (c->n_ids == 0)
		return false;
	if (used > QXL_RELEASE_RING_SIZE) {
		qxl_report_bug(c->report, "release ring cons %u is not within "
			       "%u of prod %u", cons, QXL_RELEASE_RING_SIZE,
			       c->prod);
		return false;
	}
	if (used + 1 >= QXL_RELEASE_RING_SIZE)
		return false;	/* full: keep chaining until the guest pops */
	if (!flush && (c->hold || c->n_ids < QXL_FREE_BUNCH_SIZE))
		return false;

	old = c->prod;
	c->prod = old + 1;
	qxl_ring_wmb();
	QXL_RING_WRITE(ring->hdr.prod, c->prod);
	qxl_ring_mb();
	c->pushes++;
	notify = qxl_ring_need_notify(old, c->prod,
				      QXL_RING_READ(ring->hdr.notify_on_prod));
	ring->items[qxl_ring_slot(c->prod, QXL_RELEASE_RING_SIZE)] = 0;
	c->n_ids = 0;
	c->tail = NULL;
	return notify;
}
