// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_irq_plan.c - what the interrupt handler does for the interrupts
 * the device reports pending, and whether it re-arms them.
 */
#include <linux/bits.h>

#include "qxlng_logic.h"

u32 qxlng_irq_plan(u32 pending, bool stopping)
{
	/* The line follows int_pending & int_mask: always let it drop. */
	u32 plan = QXLNG_IRQ_UPDATE_LINE;

	if (!pending)
		return 0;
	if (pending & QXL_INTERRUPT_DISPLAY)
		plan |= QXLNG_IRQ_WAKE_DISPLAY;
	if (pending & QXL_INTERRUPT_CURSOR)
		plan |= QXLNG_IRQ_WAKE_CURSOR;
	if (pending & QXL_INTERRUPT_IO_CMD)
		plan |= QXLNG_IRQ_IO_DONE;
	if (pending & QXL_INTERRUPT_ERROR)
		plan |= QXLNG_IRQ_GUEST_BUG;
	/* Waiters are always woken; nothing new starts while stopping. */
	if (stopping)
		return plan;
	if (pending & (QXL_INTERRUPT_DISPLAY | QXL_INTERRUPT_CURSOR))
		plan |= QXLNG_IRQ_COLLECT_RELEASES;
	if (pending & QXL_INTERRUPT_CLIENT_MONITORS_CONFIG)
		plan |= QXLNG_IRQ_CLIENT_CONFIG;
	return plan | QXLNG_IRQ_REARM;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_irq_plan);
