# tests/hw-qxl: device tests (ASan+UBSan), fuzz targets, benchmark.
# Included from hw-qxl/hw-qxl.mk.

HWQXL_TDIR := $(TOP)/tests/hw-qxl
HWQXL_TOUT := $(BUILD)/tests/hw-qxl
HWQXL_TEST_SRCS := $(addprefix $(HWQXL_TDIR)/,main.c harness.c test_ports.c \
	test_draw.c test_release.c test_hostile.c test_spice.c test_state.c \
	test_written.c)
HWQXL_TEST_BIN := $(HWQXL_TOUT)/hwqxl-tests
# The harness is the simulator with the SPICE adapter onto a real
# spice-core (defined later, in spice-core.mk).
SPICE_CORE_LIB ?= $(BUILD)/lib/libspicecore.a
HWQXL_TEST_LIBS = $(HWQXL_HOST_LIB_SAN) $(HWQXL_LIB_SAN) $(SPICE_CORE_LIB) \
	$(SPICE_CORE_LIBS) $(HWQXL_PIXMAN_LIBS) -lpthread

$(HWQXL_TEST_BIN): $(HWQXL_TEST_SRCS) $(HWQXL_TDIR)/harness.h \
		$(HWQXL_HOST_LIB_SAN) $(HWQXL_LIB_SAN) $(SPICE_CORE_LIB)
	@$(DEPS) build fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -O1 -g $(HWQXL_SAN) $(HWQXL_CFLAGS) $(HWQXL_GLIB_CFLAGS) \
		-I$(HWQXL_TDIR) $(HWQXL_TEST_SRCS) $(HWQXL_TEST_LIBS) -o $@

.PHONY: check-hwqxl
check-hwqxl: $(HWQXL_TEST_BIN)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		$(HWQXL_TEST_BIN)

CHECKS += check-hwqxl

# ---- fuzzing --------------------------------------------------------
HWQXL_FUZZ_TARGETS := fuzz-hwqxl-cmd fuzz-hwqxl-io fuzz-hwqxl-state
HWQXL_FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(HWQXL_FUZZ_TARGETS))
HWQXL_FUZZ_SMOKE_SECONDS ?= 12

# fuzz-hwqxl-<t> from fuzz/fuzz_<t>.c.
$(BUILD)/fuzz/fuzz-hwqxl-%: $(HWQXL_TDIR)/fuzz/fuzz_%.c $(HWQXL_TDIR)/fuzz/fuzz_common.h $(HWQXL_LIB_SAN)
	@$(DEPS) build fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $(HWQXL_CFLAGS) $< \
		$(HWQXL_LIB_SAN) $(HWQXL_PIXMAN_LIBS) -o $@

.PHONY: fuzz-hwqxl check-hwqxl-fuzz-smoke
fuzz-hwqxl: $(HWQXL_FUZZ_BINS)
FUZZ += fuzz-hwqxl

# Each target briefly, from the seed corpus in the tree (read-only) plus
# a scratch corpus under build/.
check-hwqxl-fuzz-smoke: $(HWQXL_FUZZ_BINS)
	@set -e; for t in $(HWQXL_FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$t; \
		echo "$$t: $(HWQXL_FUZZ_SMOKE_SECONDS) s"; \
		$(BUILD)/fuzz/$$t -max_total_time=$(HWQXL_FUZZ_SMOKE_SECONDS) \
			-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/fuzz/$$t- \
			$(BUILD)/fuzz/corpus/$$t $(HWQXL_TDIR)/corpus/$$t \
			2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' ; \
		test $${PIPESTATUS[0]} -eq 0; \
	done

CHECKS += check-hwqxl-fuzz-smoke

# ---- benchmark (not a test) ------------------------------------------
HWQXL_BENCH_BIN := $(HWQXL_TOUT)/hwqxl-bench

$(HWQXL_BENCH_BIN): $(HWQXL_TDIR)/bench.c $(HWQXL_TDIR)/harness.c \
		$(HWQXL_TDIR)/harness.h $(QXLSIM_LIB) $(QXLSPICE_LIB) \
		$(HWQXL_LIB) $(SPICE_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(HWQXL_CFLAGS) $(HWQXL_GLIB_CFLAGS) -I$(HWQXL_TDIR) \
		$(HWQXL_TDIR)/bench.c $(HWQXL_TDIR)/harness.c $(QXLSIM_LIB) \
		$(QXLSPICE_LIB) $(HWQXL_LIB) $(SPICE_CORE_LIB) \
		$(SPICE_CORE_LIBS) $(HWQXL_PIXMAN_LIBS) -o $@

.PHONY: bench-hwqxl
bench-hwqxl: $(HWQXL_BENCH_BIN)
	$(HWQXL_BENCH_BIN)
BENCH += bench-hwqxl
