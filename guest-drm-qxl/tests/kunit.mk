# KUnit suites for qxlng's hardware-free logic and the qxl_abi.h helpers,
# built into a User-Mode Linux kernel from Debian's linux-source-6.1 and
# run with its tools/testing/kunit/kunit.py (scripts/kunit/run-kunit).
# The kernel tree and build directory are cached in $(QXLNG_CACHE)/kunit,
# so a rerun only rebuilds what changed.
#
#   make kunit          build and run every suite, print the KUnit report
#   make check-kunit    the same, as part of 'make check'

KUNIT_OUT := $(BUILD)/tests/kunit
KUNIT_RUN := $(TOP)/scripts/kunit/run-kunit

.PHONY: kunit check-kunit

kunit:
	@$(DEPS) kernel
	@$(KUNIT_RUN) --out $(KUNIT_OUT)

check-kunit: kunit
