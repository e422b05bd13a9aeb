// SPDX-License-Identifier: MIT
/*
 * guest_bug.c - the guest-bug state and logging.
 *
 * A guest bug is any guest input the device refuses.  Like QEMU, the
 * device then raises QXL_INTERRUPT_ERROR and ignores everything but
 * QXL_IO_RESET until a reset; only the first message per reset is
 * logged so a hostile guest cannot flood the host log.
 */
#include <stdarg.h>
#include <stdio.h>

#include "qxl_internal.h"

void qxl_log(struct qxl_device *dev, enum qxl_log_level level,
	     const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!dev->ops.log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dev->ops.log(dev->host_opaque, level, buf);
}

/*
 * Tolerated guest errors (a draw to a missing surface, an empty source
 * area...) are logged up to QXL_GUEST_WARN_LIMIT times per reset, then
 * once more to say the rest are suppressed: a guest repeating them
 * cannot flood the host log.
 */
void qxl_guest_warn(struct qxl_device *dev, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	dev->stats.guest_warnings++;
	if (dev->guest_warns > QXL_GUEST_WARN_LIMIT)
		return;
	if (dev->guest_warns++ == QXL_GUEST_WARN_LIMIT) {
		qxl_log(dev, QXL_LOG_GUEST_ERROR, "qxl-%u: further guest "
			"errors not logged until reset", dev->cfg.id);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	qxl_log(dev, QXL_LOG_GUEST_ERROR, "qxl-%u: %s", dev->cfg.id, buf);
}

void qxl_guest_bug(struct qxl_device *dev, const char *fmt, ...)
{
	va_list ap;

	dev->stats.guest_bugs++;
	if (dev->guest_bug)
		return;
	va_start(ap, fmt);
	vsnprintf(dev->guest_bug_msg, sizeof(dev->guest_bug_msg), fmt, ap);
	va_end(ap);
	dev->guest_bug = true;
	qxl_log(dev, QXL_LOG_GUEST_ERROR, "qxl-%u: guest bug: %s",
		dev->cfg.id, dev->guest_bug_msg);
	qxl_send_events(dev, QXL_INTERRUPT_ERROR);
}

bool qxl_device_guest_bug(const struct qxl_device *dev)
{
	return dev->guest_bug;
}

const char *qxl_device_guest_bug_reason(const struct qxl_device *dev)
{
	return dev->guest_bug ? dev->guest_bug_msg : NULL;
}
