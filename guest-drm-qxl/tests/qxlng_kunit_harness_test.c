// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: a check of the harness itself.  'make check-kunit-harness' boots
 * the test kernel with qxlng_kunit_harness_test.fail=1 and expects the run
 * to fail and name this suite, so a broken report parser or a suite that
 * silently stops running cannot pass as green.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static bool fail;
module_param(fail, bool, 0444);
MODULE_PARM_DESC(fail, "Fail qxlng_kunit_harness on purpose (tests the harness)");

static void qxlng_kunit_harness_fails_only_when_asked(struct kunit *test)
{
	KUNIT_EXPECT_FALSE_MSG(test, fail,
			       "failing on purpose: qxlng_kunit_harness_test.fail=1");
}

static struct kunit_case qxlng_kunit_harness_cases[] = {
	KUNIT_CASE(qxlng_kunit_harness_fails_only_when_asked),
	{}
};

static struct kunit_suite qxlng_kunit_harness_suite = {
	.name = "qxlng_kunit_harness",
	.test_cases = qxlng_kunit_harness_cases,
};

kunit_test_suite(qxlng_kunit_harness_suite);

MODULE_DESCRIPTION("KUnit harness check for qxlng's suites");
MODULE_LICENSE("GPL");
