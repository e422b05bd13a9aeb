# KUnit suites for qxlng's hardware-free logic and the qxl_abi.h helpers,
# built into a User-Mode Linux kernel from Debian's linux-source-6.1 and
# run with its tools/testing/kunit/kunit.py (scripts/kunit/run-kunit).
# The kernel tree and build directory are cached in $(QXLNG_CACHE)/kunit,
# so a rerun only rebuilds what changed.
#
#   make kunit                build and run every suite, print the report
#   make check-kunit          the same, as part of 'make check'
#   make check-kunit-harness  a failing test must fail the run, by name

KUNIT_OUT := $(BUILD)/tests/kunit
KUNIT_RUN := $(TOP)/scripts/kunit/run-kunit

CHECKS += check-kunit check-kunit-harness

.PHONY: kunit check-kunit check-kunit-harness

kunit:
	@$(DEPS) kernel
	@$(KUNIT_RUN) --out $(KUNIT_OUT)

check-kunit: kunit

# Boot the same kernel with the harness suite told to fail: run-kunit must
# exit non-zero, name that suite and no other, and still see the rest pass.
KUNIT_HARNESS_LOG := $(KUNIT_OUT)/harness.log
KUNIT_HARNESS_FAILED := run-kunit: suite qxlng_kunit_harness failed

check-kunit-harness:
	@$(DEPS) kernel
	@mkdir -p $(KUNIT_OUT)
	@if $(KUNIT_RUN) --out $(KUNIT_OUT)/harness \
			--kernel-args qxlng_kunit_harness_test.fail=1 \
			> $(KUNIT_HARNESS_LOG) 2>&1; then \
		cat $(KUNIT_HARNESS_LOG); \
		echo "check-kunit-harness: a failing KUnit test did not fail the run"; \
		exit 1; \
	fi
	@grep -F 'failing on purpose' $(KUNIT_HARNESS_LOG) && \
	grep -x '$(KUNIT_HARNESS_FAILED)' $(KUNIT_HARNESS_LOG) && \
	grep -E '^ok [0-9]+ qxlng_abi_ring$$' $(KUNIT_OUT)/harness/results.tap || \
		{ tail -n 40 $(KUNIT_HARNESS_LOG); \
		  echo "check-kunit-harness: the run failed, but not as expected"; \
		  exit 1; }
	@if grep 'run-kunit: suite ' $(KUNIT_HARNESS_LOG) | \
			grep -v -x '$(KUNIT_HARNESS_FAILED)'; then \
		echo "check-kunit-harness: other suites failed too"; exit 1; \
	fi
	@echo "check-kunit-harness: a failing KUnit test fails the run, by name"
