// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_async.c - bookkeeping of the device's async I/O.
 *
 * The device runs one async I/O at a time and signals each completion
 * with QXL_INTERRUPT_IO_CMD, which the IRQ handler counts.  The driver
 * compares that count with the number of operations it started instead
 * of waiting for "any change": the late completion of an operation that
 * timed out then cannot end the wait of the next one, and the next one
 * is not started while the device still runs the old one (which the
 * device would flag as a guest bug).  If the old one never completes,
 * the driver resets the device.
 */
#include <linux/kernel.h>

#include "qxlng_logic.h"

void qxlng_async_init(struct qxlng_async *a, u32 done)
{
	a->issued = done;
	a->spurious = 0;
	a->resets = 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_async_init);

bool qxlng_async_reached(u32 done, u32 target)
{
	/* Serial number arithmetic: the counters wrap. */
	return (s32)(done - target) >= 0;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_async_reached);

enum qxlng_async_step qxlng_async_next(struct qxlng_async *a, u32 done,
				       bool waited)
{
	if (qxlng_async_reached(done, a->issued)) {
		/* More completions than operations: nobody's, forget them. */
		a->spurious += done - a->issued;
		a->issued = done;
		return QXLNG_ASYNC_ISSUE;
	}
	return waited ? QXLNG_ASYNC_RESET : QXLNG_ASYNC_WAIT;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_async_next);

u32 qxlng_async_start(struct qxlng_async *a)
{
	return ++a->issued;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_async_start);

void qxlng_async_reset(struct qxlng_async *a, u32 done)
{
	a->issued = done;
	a->resets++;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_async_reset);
