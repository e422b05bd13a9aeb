# spice-core tests: unit tests of the parsers, real spice-gtk clients
# against spice-serve, hostile clients, fuzz smoke runs.  Included from
# spice-core/spice-core.mk.

SC_PYTEST = @$(DEPS) client && mkdir -p $(SC_TOUT) && \
	BUILD=$(BUILD) $(PYTHON) $(SC_TESTS)

.PHONY: check-spice-serve-screenshot check-spice-core-inputs-cursor \
	check-spice-core-auth-tls check-spice-core-clients \
	check-spice-core-agent-resize

CHECKS += check-spice-serve-screenshot check-spice-core-inputs-cursor \
	check-spice-core-auth-tls check-spice-core-clients \
	check-spice-core-agent-resize

# spicy-screenshot gives back the served picture pixel for pixel (raw, LZ4).
check-spice-serve-screenshot: $(SPICE_SERVE)
	$(SC_PYTEST)/screenshot_test.py

# Keys, mouse (relative and absolute) reach the callbacks; cursor shape.
check-spice-core-inputs-cursor: $(SPICE_SERVE)
	$(SC_PYTEST)/inputs_cursor_test.py

# Wrong password refused, right one accepted; TLS with a CA; plain text on
# the TLS port refused; NEED_SECURED.
check-spice-core-auth-tls: $(SPICE_SERVE)
	$(SC_PYTEST)/auth_tls_test.py

# Two clients at once; a stalled client; 50 connect/disconnect cycles.
check-spice-core-clients: $(SPICE_SERVE)
	$(SC_PYTEST)/clients_test.py

# A client's resize request reaches monitors_request with no guest agent.
check-spice-core-agent-resize: $(SPICE_SERVE)
	$(SC_PYTEST)/agent_resize_test.py

# Fuzzing -----------------------------------------------------------------------
SC_FUZZ_NAMES := link msg_main msg_display msg_inputs msg_cursor agent sasl \
	migdata
SC_FUZZ_BINS := $(addprefix $(BUILD)/fuzz/spice-core-,$(SC_FUZZ_NAMES))
SC_FUZZ_SECONDS ?= 5
FUZZ += $(SC_FUZZ_BINS)
CHECKS += check-spice-core-fuzz

SC_FUZZ_SRCS := $(SC_DIR)/wire/demarshal.c $(SC_DIR)/wire/migdata.c \
	$(SC_DIR)/net/buf.c $(SC_DIR)/wire/agentmsg.c

$(BUILD)/fuzz/spice-core-%: $(SC_TESTS)/fuzz/fuzz_parsers.c $(SC_FUZZ_SRCS) $(SC_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 $(WARN) -I$(TOP)/include \
		-I$(SC_DIR) $(SC_PKG_CFLAGS) \
		-DFUZZ_$(shell echo $* | tr a-z A-Z) -o $@ $< \
		$(SC_FUZZ_SRCS) $(shell pkg-config --libs glib-2.0)

# The whole server through its sockets (fuzz/fuzz_net.c): link, ticket,
# TLS, every channel, several sessions, RST and half-close at any step,
# pipelined input, host-side changes.  All of libspicecore is built in,
# instrumented; FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION makes the ticket
# key once instead of per link; SC_STALE_COPY_MIN=64 makes the display
# channel's lazy copies (a stale shadow) happen on its small surfaces.
# Seeds and the inputs of past findings are in fuzz/corpus/net
# (regressions: each must run clean).
SC_FUZZ_NET := $(BUILD)/fuzz/spice-core-net
SC_FUZZ_NET_SRCS := $(addprefix $(SC_DIR)/,$(SC_LIB_SRCS) $(SC_CODEC_SRCS))
FUZZ += $(SC_FUZZ_NET)

$(SC_FUZZ_NET): $(SC_TESTS)/fuzz/fuzz_net.c $(SC_FUZZ_NET_SRCS) $(SC_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer -std=gnu11 \
		$(WARN) -I$(TOP)/include -I$(BUILD)/include \
		-include $(CONFIG_HEADER) -DG_LOG_DOMAIN='"spice-core"' \
		-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
		-DSC_STALE_COPY_MIN=64 -I$(SC_DIR) \
		$(SC_PKG_CFLAGS) -o $@ $< $(SC_FUZZ_NET_SRCS) $(SPICE_CORE_LIBS)

# A short run of every target under ASan+UBSan (the network target a bit
# longer, from its seeds); a crash fails the check.
SC_FUZZ_NET_SECONDS ?= 20
check-spice-core-fuzz: $(SC_FUZZ_BINS) $(SC_FUZZ_NET)
	@for f in $(SC_FUZZ_BINS) $(SC_FUZZ_NET); do \
		n=$$(basename $$f); t=$(SC_FUZZ_SECONDS); seeds=; \
		if [ $$f = $(SC_FUZZ_NET) ]; then \
			t=$(SC_FUZZ_NET_SECONDS); \
			seeds=$(SC_TESTS)/fuzz/corpus/net; \
		fi; \
		echo "== $$n ($${t}s)"; \
		mkdir -p $(SC_TOUT)/corpus/$$n; \
		$$f -max_total_time=$$t -max_len=8192 \
			$(SC_TOUT)/corpus/$$n $$seeds \
			-artifact_prefix=$(SC_TOUT)/ > $(SC_TOUT)/fuzz.log 2>&1 || \
			{ tail -n 40 $(SC_TOUT)/fuzz.log; exit 1; }; \
		tail -n 1 $(SC_TOUT)/fuzz.log; \
	done

# spice-serve under ASan+UBSan for the hostile-client test.
SC_ASAN_SERVE := $(SC_OUT)/asan/spice-serve
SC_ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# With the QXL device, the simulator and the adapter for --qxl.
SC_ASAN_SRCS := $(addprefix $(SC_DIR)/,$(SC_LIB_SRCS) $(SC_TOOL_SRCS)) \
	$(SC_QXL_SRCS)

$(SC_ASAN_SERVE): $(SC_ASAN_SRCS) $(SC_HDRS) $(SC_QXL_HDRS)
	@$(DEPS) build
	@mkdir -p $(dir $@)
	$(CC) $(SC_ASAN_FLAGS) $(QXL_CFLAGS) -include $(CONFIG_HEADER) \
		-DG_LOG_DOMAIN='"spice-core"' -I$(SC_DIR) $(SC_PKG_CFLAGS) \
		$(SC_QXL_CFLAGS) -I$(HWQXL_DIR) \
		-o $@ $(SC_ASAN_SRCS) $(SPICE_CORE_LIBS)

# A test script against the ASan+UBSan spice-serve (sanitizer options
# follow, then the script).  GLib's slice allocator would hide freed list
# nodes from ASan: plain malloc.
SC_ASAN_PYTEST = @$(DEPS) client && mkdir -p $(SC_TOUT) && BUILD=$(BUILD) \
	SPICE_SERVE_BIN=$(SC_ASAN_SERVE) G_SLICE=always-malloc

.PHONY: check-spice-core-hostile
CHECKS += check-spice-core-hostile

# Hostile network clients (security_perf.md A.3) against the ASan build.
check-spice-core-hostile: $(SC_ASAN_SERVE)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) $(SC_TESTS)/hostile_test.py

.PHONY: check-spice-core-migration
CHECKS += check-spice-core-migration

# Seamless client migration at the target: the handshake, each
# channel's migration data, hostile blobs (migration_test.py).
check-spice-core-migration: $(SC_ASAN_SERVE)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) $(SC_TESTS)/migration_test.py

.PHONY: check-spice-core-agent-guest
CHECKS += check-spice-core-agent-guest

# The pass-through agent path (a guest agent port) against a client over
# its token window, oversized chunks, a flood within the window
# (spice-serve --guest-agent stuck|sink), under ASan+UBSan; the guest's
# capability announce and the graphics device info it gets: a unit test
# of wire/agentmsg.c (hostile streams, the message's bytes) first.
SC_AGENTMSG_UNIT := $(SC_TOUT)/agentmsg-unit
SC_AGENTMSG_SRCS := $(addprefix $(SC_DIR)/,wire/agentmsg.c wire/demarshal.c \
	net/buf.c)
$(SC_AGENTMSG_UNIT): $(SC_TESTS)/agentmsg_unit.c $(SC_TESTS)/tap.h \
		$(SC_AGENTMSG_SRCS) $(SC_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(QXL_CFLAGS) -I$(TOP)/include -I$(SC_DIR) $(SC_PKG_CFLAGS) \
		-o $@ $< $(SC_AGENTMSG_SRCS) $(shell pkg-config --libs glib-2.0)

check-spice-core-agent-guest: $(SC_ASAN_SERVE) $(SC_AGENTMSG_UNIT)
	$(SC_AGENTMSG_UNIT)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) $(SC_TESTS)/agent_guest_test.py

.PHONY: check-spice-core-regressions
CHECKS += check-spice-core-regressions

# Crashes hostile clients found (issue 10), each through a real socket
# against the ASan build: link, ticket and AGENT_START in one TLS record;
# a session reset during a mouse-mode broadcast; monitors at INT32_MAX
# and INT32_MIN.  Each fails on the code before its fix.
check-spice-core-regressions: $(SC_ASAN_SERVE)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) $(SC_TESTS)/regressions_test.py

.PHONY: check-spice-core-limits
CHECKS += check-spice-core-limits

# The second-client policy and the limits, against the ASan build: more
# than --max-clients refused, --exclusive replaces the old client, a
# client that never reads is dropped after the stall timeout with its
# memory bounded, the total output limit drops the largest queue.
check-spice-core-limits: $(SC_ASAN_SERVE)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) $(SC_TESTS)/limits_test.py

.PHONY: check-spice-core-battery hostile-battery
CHECKS += check-spice-core-battery

# The hostile-client battery (battery.py): mutated recordings of real
# clients' sessions, type sweeps on every channel, long streams, races
# between sessions, slowloris and slow readers, reconnect loops, TLS
# abuse, each case followed by a pixel-exact spicy-screenshot, against
# the ASan build.  make check runs the short version (about a minute);
# make hostile-battery all of it (540 cases, about 12 minutes).
check-spice-core-battery: $(SC_ASAN_SERVE)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) $(SC_TESTS)/battery.py --quick

hostile-battery: $(SC_ASAN_SERVE)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		nice $(PYTHON) $(SC_TESTS)/battery.py

.PHONY: check-spice-core-sasl
CHECKS += check-spice-core-sasl

# SASL (cyrus libsasl2) with real spice-gtk clients (DIGEST-MD5 security
# layer on the plain port, any mechanism on TLS) and hostile SASL clients,
# against the ASan+UBSan build.  Without CONFIG_SPICE_SASL it checks that
# --sasl is refused.
check-spice-core-sasl: $(SC_ASAN_SERVE)
ifeq ($(CONFIG_SPICE_SASL),y)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
		LSAN_OPTIONS=suppressions=$(SC_TESTS)/lsan.supp \
		$(PYTHON) $(SC_TESTS)/sasl_test.py
else
	@! timeout 5 $(SC_ASAN_SERVE) --port 0 --pattern bars --sasl 2>&1 | \
		grep -q "^port" && echo "ok: --sasl refused without CONFIG_SPICE_SASL"
endif

# Benchmark (make bench): frames/s, bytes/frame, server CPU/frame.
.PHONY: bench-spice-core
BENCH += bench-spice-core
bench-spice-core: $(SPICE_SERVE)
	$(SC_PYTEST)/bench.py
