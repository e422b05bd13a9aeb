/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qxlng_kunit.h - what qxlng's KUnit suites share.
 */
#ifndef QXLNG_KUNIT_H
#define QXLNG_KUNIT_H

#include <kunit/test.h>
#include <linux/string.h>

/*
 * KUNIT_ARRAY_PARAM() with each case named by the string desc_member of
 * its array element: defines name_gen_params for KUNIT_CASE_PARAM().
 * Linux 6.4 has this as KUNIT_ARRAY_PARAM_DESC(); 6.1 does not.
 */
#define QXLNG_KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)		\
	static void name##_desc(typeof((array)[0]) *c, char *desc)	\
	{								\
		strscpy(desc, c->desc_member, KUNIT_PARAM_DESC_SIZE);	\
	}								\
	KUNIT_ARRAY_PARAM(name, array, name##_desc)

#endif /* QXLNG_KUNIT_H */
