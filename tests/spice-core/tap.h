/* SPDX-License-Identifier: MIT */
/*
 * TAP output for spice-core's C unit tests: ok() prints one numbered
 * "ok"/"not ok" line with its printf-style name, tap_done() the plan and
 * the exit status.  One test program per binary, so the counters are
 * file-local.
 */
#ifndef SC_TESTS_TAP_H
#define SC_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <glib.h>

static int n_test, n_failed;

static void ok(int cond, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	n_test++;
	printf("%sok %d ", cond ? "" : "not ", n_test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		n_failed++;
}

/* The plan; main() returns this. */
static int tap_done(void)
{
	printf("1..%d\n", n_test);
	if (n_failed)
		printf("# %d of %d failed\n", n_failed, n_test);
	return n_failed ? 1 : 0;
}

#endif
