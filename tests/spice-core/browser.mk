# spice-core for browsers: WebSocket on the SPICE ports, HTTP from a web
# root, the image codecs a browser decodes; spice-html5 in Debian's
# headless chromium.  Included from spice-core/spice-core.mk.
#
#   check-spice-core-websocket       unit test of the handshake and frame
#                                    parsers (TAP); bad frames and HTTP
#                                    requests against the ASan spice-serve
#   check-spice-core-websocket-fuzz  a short libFuzzer run of them
#   check-spice-core-browser         spice-html5 in chromium: canvas pixel-
#                                    identical to spicy-screenshot, password,
#                                    keys, wss, bytes of a 1080p update

# The ASan spice-serve (tests.mk) links the image encoders too.
SC_ASAN_SRCS += $(addprefix $(SC_DIR)/,$(SC_CODEC_SRCS))
$(SC_ASAN_SERVE): $(addprefix $(SC_DIR)/,$(SC_CODEC_SRCS))

SC_WS_UNIT := $(SC_TOUT)/websocket-unit
SC_WS_SRCS := $(SC_DIR)/net/websocket.c $(SC_DIR)/net/buf.c

$(SC_WS_UNIT): $(SC_TESTS)/websocket_unit.c $(SC_TESTS)/tap.h $(SC_WS_SRCS) \
		$(SC_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(QXL_CFLAGS) -I$(SC_DIR) $(SC_PKG_CFLAGS) -o $@ $< $(SC_WS_SRCS) \
		$(shell pkg-config --libs glib-2.0)

.PHONY: check-spice-core-websocket check-spice-core-websocket-fuzz \
	check-spice-core-browser
CHECKS += check-spice-core-websocket check-spice-core-websocket-fuzz \
	check-spice-core-browser

check-spice-core-websocket: $(SC_WS_UNIT) $(SC_ASAN_SERVE)
	$(SC_WS_UNIT)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) $(SC_TESTS)/websocket_test.py

SC_WS_FUZZ := $(BUILD)/fuzz/spice-core-websocket
FUZZ += $(SC_WS_FUZZ)

$(SC_WS_FUZZ): $(SC_TESTS)/fuzz/fuzz_websocket.c $(SC_WS_SRCS) $(SC_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 $(WARN) -I$(TOP)/include \
		-I$(SC_DIR) $(SC_PKG_CFLAGS) -o $@ $< $(SC_WS_SRCS) \
		$(shell pkg-config --libs glib-2.0)

check-spice-core-websocket-fuzz: $(SC_WS_FUZZ)
	@mkdir -p $(SC_TOUT)/corpus/websocket
	@$(SC_WS_FUZZ) -max_total_time=$(SC_FUZZ_SECONDS) -max_len=4096 \
		$(SC_TOUT)/corpus/websocket -artifact_prefix=$(SC_TOUT)/ws- \
		> $(SC_TOUT)/fuzz-websocket.log 2>&1 || \
		{ tail -n 40 $(SC_TOUT)/fuzz-websocket.log; exit 1; }
	@tail -n 1 $(SC_TOUT)/fuzz-websocket.log

# Debian's chromium and chromium-driver, python3-selenium, spice-html5.
check-spice-core-browser: $(SPICE_SERVE)
	@$(DEPS) client browser
	@mkdir -p $(SC_TOUT)
	BUILD=$(BUILD) $(PYTHON) $(SC_TESTS)/browser_test.py
