# tests/hw-qxl: device tests (ASan+UBSan), fuzz targets, benchmark.
# Included from hw-qxl/hw-qxl.mk.

HWQXL_TDIR := $(TOP)/tests/hw-qxl
HWQXL_TOUT := $(BUILD)/tests/hw-qxl
HWQXL_TEST_SRCS := $(addprefix $(HWQXL_TDIR)/,main.c harness.c test_ports.c \
	test_draw.c test_hostile.c)
HWQXL_TEST_BIN := $(HWQXL_TOUT)/hwqxl-tests

$(HWQXL_TEST_BIN): $(HWQXL_TEST_SRCS) $(HWQXL_TDIR)/harness.h $(HWQXL_LIB_SAN)
	@$(DEPS) build fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -O1 -g $(HWQXL_SAN) $(HWQXL_CFLAGS) -I$(HWQXL_TDIR) \
		$(HWQXL_TEST_SRCS) $(HWQXL_LIB_SAN) $(HWQXL_PIXMAN_LIBS) \
		-lpthread -o $@

.PHONY: check-hwqxl
check-hwqxl: $(HWQXL_TEST_BIN)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		$(HWQXL_TEST_BIN)

CHECKS += check-hwqxl
