# tests/x11: spice-x11 with a real X server (Xvfb, xterm) and real SPICE
# clients (spicy-screenshot, SpiceClientGLib).  Included from
# spice-core/x11.mk.

CHECKS += check-x11

# Pixels equal xwd, keys reach the xterm, a client resize resizes X
# (RandR), XGetImage without MIT-SHM, the X server going away.
check-x11: $(SPICE_X11)
	@$(DEPS) x11 client
	$(SX_KEYS_TEST)
	$(SX_CLIP_TEST)
	BUILD=$(BUILD) $(PYTHON) $(SX_TESTS)/x11_test.py

# The scancode table alone (tests/x11/keys_test.c).
SX_KEYS_TEST := $(BUILD)/tests/x11/keys_test
$(SX_KEYS_TEST): $(SX_TESTS)/keys_test.c $(SC_OBJ)/tools/spice-x11-keys.o \
		$(SC_DIR)/tools/spice-x11.h
	@mkdir -p $(dir $@)
	$(CC) $(SC_CFLAGS) -o $@ $< $(SC_OBJ)/tools/spice-x11-keys.o

check-x11: $(SX_KEYS_TEST)

# Debian's Xspice and spice-x11 serving the same session (an xterm
# scrolling, a window dragged) to the same spice-gtk client: bytes and
# server CPU (a benchmark, not a test; tests/x11/bench_xspice.py --help).
.PHONY: bench-xspice
BENCH += bench-xspice
bench-xspice: $(SPICE_X11)
	@$(DEPS) x11 client
	BUILD=$(BUILD) $(PYTHON) $(SX_TESTS)/bench_xspice.py

# spice-core's server-side clipboard (channels/agent.c) alone: chunked
# agent messages, selections, limits, malformed ones (agent_clip_test.c).
SX_CLIP_TEST := $(BUILD)/tests/x11/agent_clip_test
SX_CLIP_OBJS := $(addprefix $(SC_OBJ)/,channels/agent.o channels/model.o \
	wire/demarshal.o net/buf.o)
$(SX_CLIP_TEST): $(SX_TESTS)/agent_clip_test.c $(SX_CLIP_OBJS) $(SC_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(SC_CFLAGS) -o $@ $< $(SX_CLIP_OBJS) $(SPICE_CORE_LIBS)

check-x11: $(SX_CLIP_TEST)

# The same file as a libFuzzer target: an agent stream with the clipboard
# on, cut in chunks of the first byte's size.  A short run is a check.
SX_CLIP_FUZZ := $(BUILD)/fuzz/spice-core-agent-clipboard
SX_CLIP_FUZZ_SRCS := $(addprefix $(SC_DIR)/,channels/agent.c \
	channels/model.c wire/demarshal.c net/buf.c)
SX_CLIP_FUZZ_SECONDS ?= 10
FUZZ += $(SX_CLIP_FUZZ)
CHECKS += check-x11-clipboard-fuzz
.PHONY: check-x11-clipboard-fuzz

$(SX_CLIP_FUZZ): $(SX_TESTS)/agent_clip_test.c $(SX_CLIP_FUZZ_SRCS) $(SC_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 $(WARN) -I$(TOP)/include \
		-I$(BUILD)/include -include $(CONFIG_HEADER) -I$(SC_DIR) \
		$(SC_PKG_CFLAGS) -DFUZZ_CLIPBOARD -o $@ $< \
		$(SX_CLIP_FUZZ_SRCS) $(SPICE_CORE_LIBS)

check-x11-clipboard-fuzz: $(SX_CLIP_FUZZ)
	@mkdir -p $(BUILD)/tests/x11/corpus-clipboard
	$(SX_CLIP_FUZZ) -max_total_time=$(SX_CLIP_FUZZ_SECONDS) -max_len=65536 \
		$(BUILD)/tests/x11/corpus-clipboard \
		-artifact_prefix=$(BUILD)/tests/x11/ > $(BUILD)/tests/x11/clip-fuzz.log 2>&1 || \
		{ tail -n 40 $(BUILD)/tests/x11/clip-fuzz.log; exit 1; }
	@tail -n 1 $(BUILD)/tests/x11/clip-fuzz.log
