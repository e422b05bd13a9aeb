// SPDX-License-Identifier: MIT
/*
 * report.c - how the lower layers tell the device what the guest did
 * wrong without calling up into it: through the callback the device
 * registered in struct qxl_report.
 */
#include <stddef.h>

#include "qxl_mem.h"

static void report(const struct qxl_report *r, enum qxl_report_kind kind,
		   const char *fmt, va_list ap)
{
	if (r && r->report)
		r->report(r->opaque, kind, fmt, ap);
}

void qxl_report_bug(const struct qxl_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(r, QXL_REPORT_BUG, fmt, ap);
	va_end(ap);
}

void qxl_report_warn(const struct qxl_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(r, QXL_REPORT_WARN, fmt, ap);
	va_end(ap);
}

void qxl_report_debug(const struct qxl_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(r, QXL_REPORT_DEBUG, fmt, ap);
	va_end(ap);
}
