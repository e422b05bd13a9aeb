# The side-by-side benchmark (issue 11): the same QXL command stream
# (tests/bench/workload.c) through this project's path (bench-ours: the
# device simulator, the device, the display-sink adapter, spice-core, a
# socket) and through libspice-server's QXL interface (bench-ref), each
# watched by the same spice-gtk client (client.py); bench.py runs them
# interleaved and prints the table (Documentation/performance.rst).

BENCH_DIR := $(TOP)/tests/bench
BENCH_OUT := $(BUILD)/bench
BENCH_OURS := $(BENCH_OUT)/bench-ours
BENCH_REF := $(BENCH_OUT)/bench-ref
BENCH_HDRS := $(wildcard $(BENCH_DIR)/*.h) $(TOP)/tests/codec/pictures.h
BENCH_WL := $(BENCH_DIR)/workload.c $(TOP)/tests/codec/pictures.c

$(BENCH_OURS): $(BENCH_DIR)/bench-ours.c $(BENCH_WL) $(BENCH_HDRS) \
		$(QXLSIM_LIB) $(QXLSPICE_LIB) $(HWQXL_LIB) $(SPICE_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(QXL_CFLAGS) -I$(TOP) $(SC_PKG_CFLAGS) -o $@ \
		$(BENCH_DIR)/bench-ours.c $(BENCH_WL) $(QXLSIM_LIB) \
		$(QXLSPICE_LIB) $(HWQXL_LIB) $(SPICE_CORE_LIB) \
		$(SPICE_CORE_LIBS) $(shell pkg-config --libs pixman-1)

$(BENCH_REF): $(BENCH_DIR)/bench-ref.c $(BENCH_WL) $(BENCH_HDRS)
	@$(DEPS) client
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror \
		$(shell pkg-config --cflags spice-server glib-2.0) -o $@ \
		$(BENCH_DIR)/bench-ref.c $(BENCH_WL) \
		$(shell pkg-config --libs spice-server glib-2.0) -lm

# The software picture of a workload (check-bench-paths).
BENCH_RENDER := $(BENCH_OUT)/wl-render
$(BENCH_RENDER): $(BENCH_DIR)/wl-render.c $(BENCH_WL) $(BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror -o $@ \
		$(BENCH_DIR)/wl-render.c $(BENCH_WL) -lm

# Not a benchmark: the workloads through our path end pixel-exact and
# take the way meant for them (COPY_BITS forwarded and found, FROM_CACHE,
# INVAL_LIST with a small client cache).
.PHONY: check-bench-paths
CHECKS += check-bench-paths
check-bench-paths: $(BENCH_OURS) $(BENCH_RENDER)
	@$(DEPS) client
	BUILD=$(BUILD) $(PYTHON) $(BENCH_DIR)/paths_test.py

.PHONY: bench-vs-ref
BENCH += bench-vs-ref
# WORKLOADS=photo,text,... and REPEAT=N choose; REF_MODES the reference's
# image compressions (its best per workload is the one compared).
bench-vs-ref: $(BENCH_OURS) $(BENCH_REF)
	@$(DEPS) client
	BUILD=$(BUILD) $(PYTHON) $(BENCH_DIR)/bench.py
