// SPDX-License-Identifier: MIT
/*
 * guest_bug.c - the guest-bug state and logging.
 *
 * A guest bug is any guest input the device refuses.  Like QEMU, the
 * device then raises QXL_INTERRUPT_ERROR and ignores everything but
 * QXL_IO_RESET until a reset; only the first message per reset is
 * logged so a hostile guest cannot flood the host log.  The layers below
 * report here through the callback the device registered with them.
 */
#include <stdarg.h>
#include <stdio.h>

#include "qxl_dev.h"

static void log_v(struct qxl_device *dev, enum qxl_log_level level,
		  const char *fmt, va_list ap)
{
	char buf[512];

	if (!dev->ops.log)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	dev->ops.log(dev->host_opaque, level, buf);
}

void qxl_log(struct qxl_device *dev, enum qxl_log_level level,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(dev, level, fmt, ap);
	va_end(ap);
}

/* A message of a layer below, with the device's prefix. */
static void log_prefixed(struct qxl_device *dev, enum qxl_log_level level,
			 const char *fmt, va_list ap)
{
	char buf[400];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	qxl_log(dev, level, "qxl-%u: %s", dev->cfg.id, buf);
}

/*
 * Tolerated guest errors (a draw to a missing surface, an empty source
 * area...) are logged up to QXL_GUEST_WARN_LIMIT times per reset, then
 * once more to say the rest are suppressed: a guest repeating them
 * cannot flood the host log.
 */
static void guest_warn_v(struct qxl_device *dev, const char *fmt, va_list ap)
{
	dev->stats.guest_warnings++;
	if (dev->guest_warns > QXL_GUEST_WARN_LIMIT)
		return;
	if (dev->guest_warns++ == QXL_GUEST_WARN_LIMIT) {
		qxl_log(dev, QXL_LOG_GUEST_ERROR, "qxl-%u: further guest "
			"errors not logged until reset", dev->cfg.id);
		return;
	}
	log_prefixed(dev, QXL_LOG_GUEST_ERROR, fmt, ap);
}

static void guest_bug_v(struct qxl_device *dev, const char *fmt, va_list ap)
{
	dev->stats.guest_bugs++;
	if (dev->guest_bug)
		return;
	vsnprintf(dev->guest_bug_msg, sizeof(dev->guest_bug_msg), fmt, ap);
	dev->guest_bug = true;
	qxl_log(dev, QXL_LOG_GUEST_ERROR, "qxl-%u: guest bug: %s",
		dev->cfg.id, dev->guest_bug_msg);
	qxl_send_events(dev, QXL_INTERRUPT_ERROR);
}

void qxl_guest_warn(struct qxl_device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	guest_warn_v(dev, fmt, ap);
	va_end(ap);
}

void qxl_guest_bug(struct qxl_device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	guest_bug_v(dev, fmt, ap);
	va_end(ap);
}

void qxl_guest_report(void *opaque, enum qxl_report_kind kind,
		      const char *fmt, va_list ap)
{
	struct qxl_device *dev = opaque;

	switch (kind) {
	case QXL_REPORT_BUG:
		guest_bug_v(dev, fmt, ap);
		break;
	case QXL_REPORT_WARN:
		guest_warn_v(dev, fmt, ap);
		break;
	default:
		log_prefixed(dev, QXL_LOG_DEBUG, fmt, ap);
		break;
	}
}

bool qxl_device_guest_bug(const struct qxl_device *dev)
{
	return dev->guest_bug;
}

const char *qxl_device_guest_bug_reason(const struct qxl_device *dev)
{
	return dev->guest_bug ? dev->guest_bug_msg : NULL;
}
