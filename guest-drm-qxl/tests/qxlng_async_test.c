// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: async I/O bookkeeping (qxlng_async.c), driven the way
 * qxlng_io_async() drives it, against a fake device that behaves like
 * QEMU's: one async operation at a time, starting another while one is
 * pending is a guest bug, a reset drops the pending one.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "../qxlng_logic.h"

/* How the device finishes the next operation. */
enum fake_finish {
	FINISH_NOW,	/* before the driver's wait times out */
	FINISH_LATE,	/* after it timed out, during the next wait */
	FINISH_NEVER,	/* only a reset ends it */
};

struct fake_dev {
	u32 done;		/* the IRQ handler's completion count */
	bool busy;		/* an operation is pending in the device */
	bool late;		/* ... and completes during the next wait */
	bool guest_bug;		/* an operation was started while busy */
	unsigned int started;
	unsigned int resets;
	unsigned int waits;	/* waits for a pending operation */
};

static void dev_start(struct fake_dev *d, enum fake_finish how)
{
	if (d->busy)
		d->guest_bug = true;
	d->started++;
	d->busy = how != FINISH_NOW;
	d->late = how == FINISH_LATE;
	if (how == FINISH_NOW)
		d->done++;
}

/* The driver waits for a pending operation: a late one completes. */
static void dev_wait(struct fake_dev *d)
{
	d->waits++;
	if (d->busy && d->late) {
		d->busy = false;
		d->done++;
	}
}

static void dev_reset(struct fake_dev *d)
{
	d->busy = false;
	d->resets++;
}

/* qxlng_io_async() without the hardware: 0 or -ETIMEDOUT. */
static int drive(struct qxlng_async *a, struct fake_dev *d,
		 enum fake_finish how)
{
	bool waited = false;
	u32 target;

	for (;;) {
		enum qxlng_async_step step = qxlng_async_next(a, d->done,
							      waited);

		if (step == QXLNG_ASYNC_ISSUE)
			break;
		if (step == QXLNG_ASYNC_WAIT) {
			dev_wait(d);
			waited = true;
			continue;
		}
		dev_reset(d);
		qxlng_async_reset(a, d->done);
	}
	target = qxlng_async_start(a);
	dev_start(d, how);
	return qxlng_async_reached(d->done, target) ? 0 : -ETIMEDOUT;
}

static void qxlng_async_ops_complete_in_turn(struct kunit *test)
{
	struct fake_dev d = { 0 };
	struct qxlng_async a;
	int i;

	qxlng_async_init(&a, d.done);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NOW), 0);
	KUNIT_EXPECT_EQ(test, a.issued, 3u);
	KUNIT_EXPECT_EQ(test, d.waits, 0u);
	KUNIT_EXPECT_EQ(test, d.resets, 0u);
	KUNIT_EXPECT_FALSE(test, d.guest_bug);
}

/*
 * The first operation times out and completes later.  The next one must
 * wait for that completion before it starts (no guest bug), and that
 * completion must not count as its own: the device never finishes the
 * second one, so it has to time out too.
 */
static void qxlng_async_late_completion_does_not_end_next_wait(struct kunit *test)
{
	struct fake_dev d = { 0 };
	struct qxlng_async a;

	qxlng_async_init(&a, d.done);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_LATE), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NEVER), -ETIMEDOUT);
	KUNIT_EXPECT_FALSE(test, d.guest_bug);
	KUNIT_EXPECT_EQ(test, d.waits, 1u);
	KUNIT_EXPECT_EQ(test, d.resets, 0u);
	KUNIT_EXPECT_EQ(test, d.started, 2u);
}

static void qxlng_async_late_completion_then_normal_op(struct kunit *test)
{
	struct fake_dev d = { 0 };
	struct qxlng_async a;

	qxlng_async_init(&a, d.done);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_LATE), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NOW), 0);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NOW), 0);
	KUNIT_EXPECT_FALSE(test, d.guest_bug);
	KUNIT_EXPECT_EQ(test, d.resets, 0u);
	KUNIT_EXPECT_EQ(test, a.spurious, 0u);
}

/* The completion never comes: reset the device, then carry on. */
static void qxlng_async_lost_completion_resets_device(struct kunit *test)
{
	struct fake_dev d = { 0 };
	struct qxlng_async a;

	qxlng_async_init(&a, d.done);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NEVER), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NOW), 0);
	KUNIT_EXPECT_FALSE(test, d.guest_bug);
	KUNIT_EXPECT_EQ(test, d.waits, 1u);
	KUNIT_EXPECT_EQ(test, d.resets, 1u);
	KUNIT_EXPECT_EQ(test, a.resets, 1u);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NOW), 0);
	KUNIT_EXPECT_EQ(test, d.resets, 1u);
}

/* An IO_CMD interrupt nobody asked for must not complete a later op. */
static void qxlng_async_spurious_completion_is_dropped(struct kunit *test)
{
	struct fake_dev d = { 0 };
	struct qxlng_async a;

	qxlng_async_init(&a, d.done);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NOW), 0);
	d.done += 2;	/* a hostile or confused device */
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NEVER), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, a.spurious, 2u);
	KUNIT_EXPECT_FALSE(test, d.guest_bug);
}

/* Counts near U32_MAX wrap without confusing old and new. */
static void qxlng_async_counts_wrap(struct kunit *test)
{
	struct fake_dev d = { .done = U32_MAX - 1 };
	struct qxlng_async a;
	int i;

	qxlng_async_init(&a, d.done);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NOW), 0);
	KUNIT_EXPECT_EQ(test, a.issued, 1u);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_LATE), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NEVER), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, drive(&a, &d, FINISH_NOW), 0);
	KUNIT_EXPECT_EQ(test, d.resets, 1u);
	KUNIT_EXPECT_EQ(test, a.spurious, 0u);
	KUNIT_EXPECT_FALSE(test, d.guest_bug);
}

static void qxlng_async_next_steps(struct kunit *test)
{
	struct qxlng_async a;

	qxlng_async_init(&a, 10);
	KUNIT_EXPECT_EQ(test, qxlng_async_next(&a, 10, false),
			QXLNG_ASYNC_ISSUE);
	KUNIT_EXPECT_EQ(test, qxlng_async_start(&a), 11u);
	KUNIT_EXPECT_EQ(test, qxlng_async_next(&a, 10, false),
			QXLNG_ASYNC_WAIT);
	KUNIT_EXPECT_EQ(test, qxlng_async_next(&a, 10, true),
			QXLNG_ASYNC_RESET);
	KUNIT_EXPECT_EQ(test, qxlng_async_next(&a, 11, true),
			QXLNG_ASYNC_ISSUE);
	KUNIT_EXPECT_TRUE(test, qxlng_async_reached(11, 11));
	KUNIT_EXPECT_TRUE(test, qxlng_async_reached(12, 11));
	KUNIT_EXPECT_FALSE(test, qxlng_async_reached(10, 11));
	KUNIT_EXPECT_TRUE(test, qxlng_async_reached(0, U32_MAX));
	KUNIT_EXPECT_FALSE(test, qxlng_async_reached(U32_MAX, 0));
}

static struct kunit_case qxlng_async_cases[] = {
	KUNIT_CASE(qxlng_async_ops_complete_in_turn),
	KUNIT_CASE(qxlng_async_late_completion_does_not_end_next_wait),
	KUNIT_CASE(qxlng_async_late_completion_then_normal_op),
	KUNIT_CASE(qxlng_async_lost_completion_resets_device),
	KUNIT_CASE(qxlng_async_spurious_completion_is_dropped),
	KUNIT_CASE(qxlng_async_counts_wrap),
	KUNIT_CASE(qxlng_async_next_steps),
	{}
};

static struct kunit_suite qxlng_async_suite = {
	.name = "qxlng_async",
	.test_cases = qxlng_async_cases,
};

kunit_test_suite(qxlng_async_suite);

MODULE_DESCRIPTION("KUnit tests for qxlng's async I/O bookkeeping");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QXLNG_KUNIT);
