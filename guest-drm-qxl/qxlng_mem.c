// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_mem.c - allocator over BAR0's pages and the release ring.
 *
 * Every command the driver sends lives in one contiguous allocation in
 * the pages area between surface0 and the RAM header.  Its release id is
 * an index into an xarray holding (offset, size), so ids the device
 * hands back are looked up, never trusted as addresses.  The device
 * returns ids on the release ring as chains linked through the
 * release_info.next field of each released command.
 */
#include <linux/device.h>
#include <linux/genalloc.h>
#include <linux/slab.h>

#include <drm/drm_print.h>

#include "qxlng_drv.h"

/* Allocation granule: 64 bytes. */
#define QXLNG_POOL_ORDER	6
/* gen_pool returns 0 for failure, so pool addresses are offset + bias. */
#define QXLNG_POOL_BIAS		((unsigned long)QXL_PAGE_SIZE)
/* Bounds on waiting for the device to release memory. */
#define QXLNG_ALLOC_TRIES	50
#define QXLNG_ALLOC_WAIT	(HZ / 10)
/* Longest release chain walked for one ring entry. */
#define QXLNG_RELEASE_CHAIN_MAX	4096

struct qxlng_release {
	u32 offset;
	u32 size;
	bool pushed;	/* on a ring: the device owns it (ring lock) */
	/* Called once the memory is free (a client's objects go then). */
	void (*done)(void *arg);
	void *arg;
};

void qxlng_mem_free(struct qxlng_device *qdev, u32 offset, u32 size)
{
	gen_pool_free(qdev->pool, QXLNG_POOL_BIAS + offset, size);
}

/* Free a release already erased from the xarray, and its allocation. */
static void qxlng_release_put(struct qxlng_device *qdev,
			      struct qxlng_release *rel)
{
	qxlng_mem_free(qdev, rel->offset, rel->size);
	if (rel->done)
		rel->done(rel->arg);
	kfree(rel);
}

/* Free every registered allocation, or only those the device owned. */
static void qxlng_release_free_all(struct qxlng_device *qdev,
				   bool pushed_only)
{
	struct qxlng_release *rel;
	unsigned long id;

	xa_for_each(&qdev->releases, id, rel) {
		if (pushed_only && !rel->pushed)
			continue;
		xa_erase(&qdev->releases, id);
		qxlng_release_put(qdev, rel);
	}
}

/* Free one chain; returns the number of commands freed. */
static int qxlng_release_chain(struct qxlng_device *qdev, u64 id)
{
	int n = 0;

	while (id && n < QXLNG_RELEASE_CHAIN_MAX) {
		struct qxlng_release *rel = NULL;
		union qxl_release_info *info;
		u64 next;

		if (id <= U32_MAX)
			rel = xa_erase(&qdev->releases, id);
		if (!rel) {
			atomic_inc(&qdev->stats.bad_releases);
			drm_err_ratelimited(&qdev->drm,
					    "device released unknown id %llu\n",
					    id);
			break;
		}
		info = (union qxl_release_info *)(qdev->ram + rel->offset);
		next = READ_ONCE(info->next);
		qxlng_release_put(qdev, rel);
		atomic_inc(&qdev->stats.releases);
		n++;
		id = next;
	}
	return n;
}

struct qxlng_collect {
	struct qxlng_device *qdev;
	int freed;
};

static void qxlng_release_take(void *ctx, u64 id)
{
	struct qxlng_collect *c = ctx;

	c->freed += qxlng_release_chain(c->qdev, id);
}

/*
 * Drain the release ring; returns commands freed or -EIO if corrupt.
 * One call takes at most a ring's worth of entries: if the device kept
 * producing, the rest is left to the release work.
 */
static int qxlng_release_collect(struct qxlng_device *qdev)
{
	struct qxlng_collect c = { .qdev = qdev };
	struct qxl_ring_header *hdr = &qdev->ram_header->release_ring.hdr;
	bool more;
	int ret;

	mutex_lock(&qdev->release_lock);
	ret = qxlng_release_ring_drain(&qdev->ram_header->release_ring,
				       QXL_RELEASE_RING_SIZE,
				       qxlng_release_take, &c);
	/*
	 * Drained: ask for the DISPLAY interrupt at the device's next push,
	 * so releases are collected as they come instead of when the pages
	 * run out.  An entry that arrived meanwhile is collected now.
	 */
	more = ret == QXL_RELEASE_RING_SIZE ||
	       (ret >= 0 && !qxl_ring_cons_wait(hdr));
	mutex_unlock(&qdev->release_lock);
	if (ret < 0) {
		drm_err_ratelimited(&qdev->drm, "release ring indexes corrupt\n");
		return -EIO;
	}
	if (more && !READ_ONCE(qdev->stopping))
		schedule_work(&qdev->release_work);
	if (c.freed) {
		atomic_inc(&qdev->release_seq);
		wake_up_all(&qdev->release_wq);
	}
	return c.freed;
}

/*
 * Get some released commands back: collect releases; then ask the
 * device to release what it can and push the releases it holds back
 * for a bunch (NOTIFY_OOM), collect again and wait a while until
 * something was collected or the ring has entries.
 * seq is release_seq as the caller read it before it found the memory
 * short: a collection since then (by the release work, which the
 * interrupt of the device's push wakes and which may run first) freed
 * memory the caller has not tried yet, so there is nothing to wait for.
 * Returns true if something was freed (or may be on the ring now).
 *
 * Never QXL_IO_FLUSH_RELEASE: QEMU's qxl pushes the release chain for it
 * in the vCPU thread, while spice-server's worker thread appends to the
 * same chain (interface_release_resource()) with no lock between them.
 * A push in the middle of an append publishes a chain whose last
 * release_info still holds its own id (id and next share it), or leaves
 * the worker appending through a NULL tail (it segfaults).  NOTIFY_OOM
 * has the worker flush the chain itself; qxl.ko sends only that, too.
 */
static bool qxlng_release_reclaim_since(struct qxlng_device *qdev, int seq)
{
	struct qxl_ring_header *hdr = &qdev->ram_header->release_ring.hdr;

	if (qxlng_release_collect(qdev) > 0 ||
	    atomic_read(&qdev->release_seq) != seq)
		return true;
	if (READ_ONCE(qdev->guest_bug))
		return false;
	atomic_inc(&qdev->stats.oom_notifies);
	qxlng_io_write(qdev, QXL_IO_NOTIFY_OOM, 0);
	/* A device that handles it at once has pushed by now. */
	if (qxlng_release_collect(qdev) > 0 ||
	    atomic_read(&qdev->release_seq) != seq)
		return true;
	if (wait_event_timeout(qdev->release_wq,
			       atomic_read(&qdev->release_seq) != seq ||
			       !qxl_ring_cons_empty(hdr),
			       QXLNG_ALLOC_WAIT))
		return true;
	atomic_inc(&qdev->stats.reclaim_sleeps);
	return false;
}

bool qxlng_release_reclaim(struct qxlng_device *qdev)
{
	return qxlng_release_reclaim_since(qdev,
					   atomic_read(&qdev->release_seq));
}

/*
 * Allocate size bytes in the pages; when full, reclaim released
 * commands, a bounded number of times.
 */
static int qxlng_mem_alloc_align(struct qxlng_device *qdev, u32 size,
				 u32 align, u32 *offset)
{
	struct genpool_data_align data = { .align = align };
	unsigned int tries;

	if (!size || size > qdev->layout.pages_size)
		return -EINVAL;
	for (tries = 0; tries < QXLNG_ALLOC_TRIES; tries++) {
		int seq = atomic_read(&qdev->release_seq);
		unsigned long addr;

		if (align)
			addr = gen_pool_alloc_algo(qdev->pool, size,
						   gen_pool_first_fit_align,
						   &data);
		else
			addr = gen_pool_alloc(qdev->pool, size);
		if (addr) {
			*offset = addr - QXLNG_POOL_BIAS;
			return 0;
		}
		if (READ_ONCE(qdev->guest_bug))
			break;
		qxlng_release_reclaim_since(qdev, seq);
	}
	atomic_inc(&qdev->stats.alloc_failures);
	drm_err_ratelimited(&qdev->drm, "device memory full (%u bytes)\n",
			    size);
	return -ENOMEM;
}

int qxlng_mem_alloc(struct qxlng_device *qdev, u32 size, u32 *offset)
{
	return qxlng_mem_alloc_align(qdev, size, 0, offset);
}

/*
 * Allocate whole pages (size a multiple of PAGE_SIZE) at a page-aligned
 * BAR0 offset, for memory a client maps: its mapping then shows nothing
 * else.
 */
int qxlng_mem_alloc_pages(struct qxlng_device *qdev, u32 size, u32 *offset)
{
	int ret;

	if (!size || size % PAGE_SIZE)
		return -EINVAL;
	ret = qxlng_mem_alloc_align(qdev, size, PAGE_SIZE, offset);
	if (ret)
		return ret;
	/* Aligned in the pool, but the pool may start off a page. */
	if (*offset % PAGE_SIZE) {
		qxlng_mem_free(qdev, *offset, size);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Register an allocation holding a command; *id goes in release_info.
 * done(arg), if given, runs when the allocation is freed: after the
 * device released the command, after a reset dropped it, or on cancel.
 * It may run with the ring locks and release_lock held.
 */
int qxlng_release_add_done(struct qxlng_device *qdev, u32 offset, u32 size,
			   void (*done)(void *arg), void *arg, u64 *id)
{
	struct qxlng_release *rel;
	u32 index;
	int ret;

	rel = kmalloc(sizeof(*rel), GFP_KERNEL);
	if (!rel)
		return -ENOMEM;
	rel->offset = offset;
	rel->size = size;
	rel->pushed = false;
	rel->done = done;
	rel->arg = arg;
	ret = xa_alloc(&qdev->releases, &index, rel, xa_limit_31b, GFP_KERNEL);
	if (ret) {
		kfree(rel);
		return ret;
	}
	*id = index;
	return 0;
}

int qxlng_release_add(struct qxlng_device *qdev, u32 offset, u32 size,
		      u64 *id)
{
	return qxlng_release_add_done(qdev, offset, size, NULL, NULL, id);
}

/* The command was never pushed: free it now. */
void qxlng_release_cancel(struct qxlng_device *qdev, u64 id)
{
	struct qxlng_release *rel = xa_erase(&qdev->releases, id);

	if (rel)
		qxlng_release_put(qdev, rel);
}

/* Called with the ring's lock held, once the command is on the ring. */
void qxlng_release_pushed(struct qxlng_device *qdev, u64 id)
{
	struct qxlng_release *rel = xa_load(&qdev->releases, id);

	if (rel)
		rel->pushed = true;
}

/*
 * qdev->reset_reclaim: the device was reset (qxlng_hw.c), which drops
 * every command it had: take back what was pushed.  Commands allocated
 * but not pushed yet still belong to their senders.  Called with both
 * ring locks and release_lock held.
 */
static void qxlng_release_reclaim_pushed(struct qxlng_device *qdev)
{
	lockdep_assert_held(&qdev->cmd_ring.lock);
	lockdep_assert_held(&qdev->cursor_ring.lock);
	lockdep_assert_held(&qdev->release_lock);
	qxlng_release_free_all(qdev, true);
	wake_up_all(&qdev->release_wq);
}

static void qxlng_release_work(struct work_struct *work)
{
	struct qxlng_device *qdev = container_of(work, struct qxlng_device,
						 release_work);

	qxlng_release_collect(qdev);
}

/*
 * A devm action, so it runs after qxlng_hw_start()'s: the device was
 * reset and the release work cancelled, everything outstanding is ours
 * again.  Allocations of the layers above are theirs to free first.
 */
static void qxlng_mem_fini(void *data)
{
	struct qxlng_device *qdev = data;

	qxlng_release_free_all(qdev, false);
	xa_destroy(&qdev->releases);
	gen_pool_destroy(qdev->pool);
}

int qxlng_mem_init(struct qxlng_device *qdev)
{
	const struct qxlng_rom_layout *l = &qdev->layout;
	int ret;

	mutex_init(&qdev->release_lock);
	init_waitqueue_head(&qdev->release_wq);
	INIT_WORK(&qdev->release_work, qxlng_release_work);
	qdev->reset_reclaim = qxlng_release_reclaim_pushed;
	xa_init_flags(&qdev->releases, XA_FLAGS_ALLOC1);
	qdev->pool = gen_pool_create(QXLNG_POOL_ORDER, -1);
	if (!qdev->pool)
		return -ENOMEM;
	ret = gen_pool_add(qdev->pool, QXLNG_POOL_BIAS + l->pages_offset,
			   l->pages_size, -1);
	if (ret) {
		gen_pool_destroy(qdev->pool);
		return ret;
	}
	return devm_add_action_or_reset(&qdev->pdev->dev, qxlng_mem_fini,
					qdev);
}
