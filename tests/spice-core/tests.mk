# spice-core tests: unit tests of the parsers, real spice-gtk clients
# against spice-serve, hostile clients, fuzz smoke runs.  Included from
# spice-core/spice-core.mk.

SC_PYTEST = @$(DEPS) client && mkdir -p $(SC_TOUT) && \
	BUILD=$(BUILD) $(PYTHON) $(SC_TESTS)

.PHONY: check-spice-serve-screenshot check-spice-core-inputs-cursor \
	check-spice-core-auth-tls check-spice-core-clients

CHECKS += check-spice-serve-screenshot check-spice-core-inputs-cursor \
	check-spice-core-auth-tls check-spice-core-clients

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

# Fuzzing -----------------------------------------------------------------------
SC_FUZZ_NAMES := link msg_main msg_display msg_inputs msg_cursor agent
SC_FUZZ_BINS := $(addprefix $(BUILD)/fuzz/spice-core-,$(SC_FUZZ_NAMES))
SC_FUZZ_SECONDS ?= 5
FUZZ += $(SC_FUZZ_BINS)
CHECKS += check-spice-core-fuzz

$(BUILD)/fuzz/spice-core-%: $(SC_TESTS)/fuzz/fuzz_parsers.c $(SC_DIR)/demarshal.c \
		$(SC_DIR)/buf.c $(SC_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 $(WARN) -I$(TOP)/include \
		-I$(SC_DIR) $(SC_PKG_CFLAGS) \
		-DFUZZ_$(shell echo $* | tr a-z A-Z) -o $@ $< \
		$(SC_DIR)/demarshal.c $(SC_DIR)/buf.c $(shell pkg-config --libs glib-2.0)

# A short run of every target under ASan+UBSan; a crash fails the check.
check-spice-core-fuzz: $(SC_FUZZ_BINS)
	@for f in $(SC_FUZZ_BINS); do \
		echo "== $$(basename $$f) ($(SC_FUZZ_SECONDS)s)"; \
		mkdir -p $(SC_TOUT)/corpus/$$(basename $$f); \
		$$f -max_total_time=$(SC_FUZZ_SECONDS) -max_len=8192 \
			$(SC_TOUT)/corpus/$$(basename $$f) \
			-artifact_prefix=$(SC_TOUT)/ > $(SC_TOUT)/fuzz.log 2>&1 || \
			{ tail -n 40 $(SC_TOUT)/fuzz.log; exit 1; }; \
		tail -n 1 $(SC_TOUT)/fuzz.log; \
	done
