// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the interrupt handler's plan (qxlng_irq_plan.c).  In particular,
 * once unload has started (stopping) the handler must not re-arm the
 * interrupts the unload path masked, nor schedule new work.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "../qxlng_logic.h"

#define ALL_INTERRUPTS	(QXL_INTERRUPT_DISPLAY | QXL_INTERRUPT_CURSOR | \
			 QXL_INTERRUPT_IO_CMD | QXL_INTERRUPT_ERROR | \
			 QXL_INTERRUPT_CLIENT_MONITORS_CONFIG)

static void qxlng_irq_plan_nothing_pending_is_not_ours(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxlng_irq_plan(0, false), 0u);
	KUNIT_EXPECT_EQ(test, qxlng_irq_plan(0, true), 0u);
}

static void qxlng_irq_plan_running_rearms(struct kunit *test)
{
	u32 plan = qxlng_irq_plan(ALL_INTERRUPTS, false);

	KUNIT_EXPECT_EQ(test, plan,
			(u32)(QXLNG_IRQ_WAKE_DISPLAY | QXLNG_IRQ_WAKE_CURSOR |
			      QXLNG_IRQ_IO_DONE | QXLNG_IRQ_GUEST_BUG |
			      QXLNG_IRQ_COLLECT_RELEASES |
			      QXLNG_IRQ_CLIENT_CONFIG | QXLNG_IRQ_REARM |
			      QXLNG_IRQ_UPDATE_LINE));
	KUNIT_EXPECT_EQ(test, qxlng_irq_plan(QXL_INTERRUPT_IO_CMD, false),
			(u32)(QXLNG_IRQ_IO_DONE | QXLNG_IRQ_REARM |
			      QXLNG_IRQ_UPDATE_LINE));
}

/* The regression: unload cleared int_mask, the handler must not undo it. */
static void qxlng_irq_plan_stopping_does_not_rearm(struct kunit *test)
{
	u32 pending;

	for (pending = 1; pending <= ALL_INTERRUPTS; pending++) {
		u32 plan = qxlng_irq_plan(pending, true);

		KUNIT_EXPECT_FALSE_MSG(test, plan & QXLNG_IRQ_REARM,
				       "pending %#x re-arms while stopping",
				       pending);
		KUNIT_EXPECT_TRUE_MSG(test, plan & QXLNG_IRQ_UPDATE_LINE,
				      "pending %#x leaves the line up", pending);
		KUNIT_EXPECT_FALSE_MSG(test, plan & (QXLNG_IRQ_COLLECT_RELEASES |
						     QXLNG_IRQ_CLIENT_CONFIG),
				       "pending %#x schedules work while stopping",
				       pending);
	}
}

/* Waiters still wake while stopping, so nothing sleeps out a timeout. */
static void qxlng_irq_plan_stopping_still_wakes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxlng_irq_plan(ALL_INTERRUPTS, true),
			(u32)(QXLNG_IRQ_WAKE_DISPLAY | QXLNG_IRQ_WAKE_CURSOR |
			      QXLNG_IRQ_IO_DONE | QXLNG_IRQ_GUEST_BUG |
			      QXLNG_IRQ_UPDATE_LINE));
}

/* Bits the driver does not handle are claimed but do nothing else. */
static void qxlng_irq_plan_unknown_bits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxlng_irq_plan(BIT(31), false),
			(u32)(QXLNG_IRQ_REARM | QXLNG_IRQ_UPDATE_LINE));
	KUNIT_EXPECT_EQ(test, qxlng_irq_plan(BIT(31), true),
			(u32)QXLNG_IRQ_UPDATE_LINE);
}

static struct kunit_case qxlng_irq_plan_cases[] = {
	KUNIT_CASE(qxlng_irq_plan_nothing_pending_is_not_ours),
	KUNIT_CASE(qxlng_irq_plan_running_rearms),
	KUNIT_CASE(qxlng_irq_plan_stopping_does_not_rearm),
	KUNIT_CASE(qxlng_irq_plan_stopping_still_wakes),
	KUNIT_CASE(qxlng_irq_plan_unknown_bits),
	{}
};

static struct kunit_suite qxlng_irq_plan_suite = {
	.name = "qxlng_irq_plan",
	.test_cases = qxlng_irq_plan_cases,
};

kunit_test_suite(qxlng_irq_plan_suite);

MODULE_DESCRIPTION("KUnit tests for qxlng's interrupt handling plan");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QXLNG_KUNIT);
