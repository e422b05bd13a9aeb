# tests/codec: spice-core/codec, the QUIC and LZ encoders and the content
# classifier (build/lib/libqnccodec.a), with their tests, fuzz target,
# interop check and benchmark.  Included from the top-level Makefile.
#
#   check-codec              unit tests (SSE2 and plain C builds) and the
#                            spice-html5 decode test (node)
#   check-codec-fuzz-smoke   10 s of libFuzzer (ASan + UBSan)
#   check-codec-interop      spice-common's decoders (spice-gtk's) decode
#                            our output; our QUIC is byte-identical to its
#   check-layers-codec       spice-core/codec keeps to its layer
#   check-codec-display      the display channel's choices (moves found
#                            in damage, image cache and INVAL, the codec
#                            per client menu and PREFERRED_COMPRESSION),
#                            unit-tested; then real spice-gtk clients of
#                            spice-serve: COPY_BITS for a dragged window,
#                            the codecs asked for, MJPEG only when on
#   bench-codec              bytes and CPU ms, ours vs spice-common's

CODEC_DIR := $(TOP)/spice-core/codec
CODEC_TESTS := $(TOP)/tests/codec
CODEC_OUT := $(BUILD)/spice-core/codec
CODEC_TOUT := $(BUILD)/tests/codec
CODEC_NAMES := quic lz classify
CODEC_HDRS := $(wildcard $(CODEC_DIR)/*.h)
CODEC_CFLAGS = $(CFLAGS) -std=gnu11 $(WARN) -fPIC -I$(CODEC_DIR)
CODEC_LIB := $(BUILD)/lib/libqnccodec.a
# The same code without SSE2, for the unit test of the plain C paths.
CODEC_LIB_PLAIN := $(CODEC_OUT)/plain/libqnccodec-plain.a
CODEC_LIBS := -lm -lpthread

ALL += $(CODEC_LIB)

$(CODEC_OUT)/%.o: $(CODEC_DIR)/%.c $(CODEC_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CODEC_CFLAGS) -c -o $@ $<

$(CODEC_OUT)/plain/%.o: $(CODEC_DIR)/%.c $(CODEC_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CODEC_CFLAGS) -DQNC_NO_SIMD -c -o $@ $<

$(CODEC_LIB): $(CODEC_NAMES:%=$(CODEC_OUT)/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(CODEC_LIB_PLAIN): $(CODEC_NAMES:%=$(CODEC_OUT)/plain/%.o)
	rm -f $@ && ar rcs $@ $^

CODEC_UNIT_SRCS := $(addprefix $(CODEC_TESTS)/,unit.c decode.c pictures.c)
CODEC_TEST_HDRS := $(wildcard $(CODEC_TESTS)/*.h) $(CODEC_TESTS)/quic_gaps.inc
CODEC_TEST_CFLAGS = $(CODEC_CFLAGS) -I$(CODEC_TESTS)

$(CODEC_TOUT)/codec-unit: $(CODEC_UNIT_SRCS) $(CODEC_TEST_HDRS) $(CODEC_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CODEC_TEST_CFLAGS) -o $@ $(CODEC_UNIT_SRCS) $(CODEC_LIB) \
		$(CODEC_LIBS)

$(CODEC_TOUT)/codec-unit-plain: $(CODEC_UNIT_SRCS) $(CODEC_TEST_HDRS) \
		$(CODEC_LIB_PLAIN)
	@mkdir -p $(dir $@)
	$(CC) $(CODEC_TEST_CFLAGS) -o $@ $(CODEC_UNIT_SRCS) \
		$(CODEC_LIB_PLAIN) $(CODEC_LIBS)

.PHONY: check-codec check-codec-fuzz-smoke check-codec-interop \
	check-layers-codec bench-codec check-codec-display
CHECKS += check-codec check-codec-fuzz-smoke check-codec-interop \
	check-layers-codec check-codec-display
BENCH += bench-codec

# Round trips through the C test decoders (both builds), then every
# picture of the first run decoded by spice-html5's quic.js and lz.js.
check-codec: $(CODEC_TOUT)/codec-unit $(CODEC_TOUT)/codec-unit-plain
	@$(DEPS) codec
	rm -rf $(CODEC_TOUT)/pictures
	$(CODEC_TOUT)/codec-unit --dump $(CODEC_TOUT)/pictures
	$(CODEC_TOUT)/codec-unit-plain --quick
	node $(CODEC_TESTS)/html5_decode.mjs $(CODEC_TOUT)/pictures
	rm -rf $(CODEC_TOUT)/pictures

# Fuzzing ---------------------------------------------------------------
CODEC_FUZZ := $(BUILD)/fuzz/codec
CODEC_FUZZ_SECONDS ?= 10
FUZZ += $(CODEC_FUZZ)

$(CODEC_FUZZ): $(CODEC_TESTS)/fuzz_codec.c $(CODEC_TESTS)/decode.c \
		$(CODEC_NAMES:%=$(CODEC_DIR)/%.c) $(CODEC_HDRS) $(CODEC_TEST_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 $(WARN) -I$(CODEC_DIR) \
		-I$(CODEC_TESTS) -o $@ $(CODEC_TESTS)/fuzz_codec.c \
		$(CODEC_TESTS)/decode.c $(CODEC_NAMES:%=$(CODEC_DIR)/%.c) \
		$(CODEC_LIBS)

check-codec-fuzz-smoke: $(CODEC_FUZZ)
	@mkdir -p $(CODEC_TOUT)/corpus
	$(CODEC_FUZZ) -max_total_time=$(CODEC_FUZZ_SECONDS) -max_len=20000 \
		-rss_limit_mb=2048 $(CODEC_TOUT)/corpus \
		-artifact_prefix=$(CODEC_TOUT)/ > $(CODEC_TOUT)/fuzz.log 2>&1 || \
		{ tail -n 40 $(CODEC_TOUT)/fuzz.log; exit 1; }
	@tail -n 1 $(CODEC_TOUT)/fuzz.log

# The reference: spice-common from Debian's spice source package --------
# (tests/codec/spice-common-src fetches it into $(QXLNG_CACHE)).  Built
# here, linked into the benchmark only; never part of the tree.
CODEC_REF_OUT := $(CODEC_TOUT)/ref
CODEC_BENCH_SRCS := $(addprefix $(CODEC_TESTS)/,bench.c pictures.c)

$(CODEC_TOUT)/codec-bench: $(CODEC_BENCH_SRCS) $(CODEC_TESTS)/ref_spice.c \
		$(CODEC_TEST_HDRS) $(CODEC_LIB) $(CODEC_TESTS)/spice-common-src
	@$(DEPS) codec
	@mkdir -p $(CODEC_REF_OUT)
	@set -e; src=$$($(CODEC_TESTS)/spice-common-src); \
	echo "codec-bench: reference from $$src"; \
	: > $(CODEC_REF_OUT)/config.h; \
	ref_cflags="$(CFLAGS) -w -I$(CODEC_REF_OUT) -I$$src -I$$src/.. \
		$$(pkg-config --cflags glib-2.0 spice-protocol)"; \
	for f in quic lz log backtrace; do \
		$(CC) $$ref_cflags -c -o $(CODEC_REF_OUT)/$$f.o $$src/$$f.c; \
	done; \
	$(CC) $$ref_cflags -c -o $(CODEC_REF_OUT)/ref_spice.o \
		$(CODEC_TESTS)/ref_spice.c; \
	$(CC) $(CODEC_TEST_CFLAGS) -o $@ $(CODEC_BENCH_SRCS) \
		$(CODEC_REF_OUT)/ref_spice.o \
		$(addprefix $(CODEC_REF_OUT)/,quic.o lz.o log.o backtrace.o) \
		$(CODEC_LIB) $$(pkg-config --libs glib-2.0) $(CODEC_LIBS)

check-codec-interop: $(CODEC_TOUT)/codec-bench
	$(CODEC_TOUT)/codec-bench --quick --check

bench-codec: $(CODEC_TOUT)/codec-bench
	$(CODEC_TOUT)/codec-bench

check-layers-codec: $(CODEC_LIB)
	$(TOP)/scripts/check-layers $(CODEC_DIR) --objects $(CODEC_OUT)

# The display channel (spice-core/channels) ------------------------------
$(CODEC_TOUT)/display-unit: $(CODEC_TESTS)/display_unit.c \
		$(CODEC_TESTS)/pictures.c $(CODEC_TEST_HDRS) $(SPICE_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(SC_CFLAGS) -I$(CODEC_TESTS) -o $@ \
		$(CODEC_TESTS)/display_unit.c $(CODEC_TESTS)/pictures.c \
		$(SPICE_CORE_LIB) $(SPICE_CORE_LIBS)

check-codec-display: $(CODEC_TOUT)/display-unit $(SPICE_SERVE)
	$(CODEC_TOUT)/display-unit
	@$(DEPS) client
	BUILD=$(BUILD) $(PYTHON) $(CODEC_TESTS)/display_test.py
