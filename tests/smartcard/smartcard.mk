# tests/smartcard: the smartcard channel (Documentation/channels.rst).
#   check-smartcard-serve  spice-serve --vmc smartcard (an echo device,
#                          ASan+UBSan build): VSC
#                          rewriting, the server's errors, hostile clients
#                          (a few seconds; in make check)
#   check-smartcard-fuzz   the VSC parsers (client messages, the chardev's
#                          stream), 5 s of libFuzzer
#   check-smartcard-vm     (= smartcard-vm) through QEMU's usb-ccid and
#                          ccid-card-passthru: the guest talks CCID to a
#                          card on a scripted SPICE client (in make check)

.PHONY: check-smartcard-serve
CHECKS += check-smartcard-serve
# Under the ASan+UBSan spice-serve (tests/spice-core/tests.mk), leaks too.
check-smartcard-serve: $(SC_ASAN_SERVE)
	$(SC_ASAN_PYTEST) ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) $(TOP)/tests/smartcard/serve_test.py

.PHONY: check-smartcard-fuzz
CHECKS += check-smartcard-fuzz
SMARTCARD_FUZZ := $(BUILD)/fuzz/spice-core-smartcard
SMARTCARD_TOUT := $(BUILD)/tests/smartcard
FUZZ += $(SMARTCARD_FUZZ)

$(SMARTCARD_FUZZ): $(TOP)/tests/smartcard/fuzz_smartcard.c $(SC_FUZZ_SRCS) \
		$(SC_DIR)/wire/smartcard.c $(SC_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 $(WARN) -I$(TOP)/include \
		-I$(SC_DIR) $(SC_PKG_CFLAGS) -o $@ $< \
		$(SC_FUZZ_SRCS) $(SC_DIR)/wire/smartcard.c \
		$(shell pkg-config --libs glib-2.0)

check-smartcard-fuzz: $(SMARTCARD_FUZZ)
	@mkdir -p $(SMARTCARD_TOUT)/corpus
	$(SMARTCARD_FUZZ) -max_total_time=$(SC_FUZZ_SECONDS) -max_len=70000 \
		$(SMARTCARD_TOUT)/corpus -artifact_prefix=$(SMARTCARD_TOUT)/ \
		> $(SMARTCARD_TOUT)/fuzz.log 2>&1 || \
		{ tail -n 40 $(SMARTCARD_TOUT)/fuzz.log; exit 1; }
	@tail -n 1 $(SMARTCARD_TOUT)/fuzz.log

# The channel through QEMU: usb-ccid + ccid-card-passthru on the spicevmc
# chardev, a scripted client as the card, ccid-probe in the guest
# (tests/smartcard/vm_test.py; about 40 s under TCG, longer under load).
SMARTCARD_PROBE := $(BUILD)/tests/smartcard/ccid-probe
$(SMARTCARD_PROBE): $(TOP)/tests/smartcard/ccid-probe.c
	@mkdir -p $(dir $@)
	$(CC) -static -O2 $(QXL_CFLAGS) -o $@ $<

.PHONY: smartcard-vm check-smartcard-vm
CHECKS += check-smartcard-vm
check-smartcard-vm: smartcard-vm
smartcard-vm: $(QEMU_BIN) $(SMARTCARD_PROBE)
	@$(DEPS) kernel guest client
	BUILD=$(BUILD) $(PYTHON) $(TOP)/tests/smartcard/vm_test.py \
		--qemu $(QEMU_BIN)
