# tests/usbredir: the pass-through channels (usbredir, port, webdav;
# Documentation/channels.rst).
#   check-usbredir-serve  spice-serve --vmc echo devices: the wire, flow
#                         control, hostile clients, spice-gtk's PortChannel
#                         (a few seconds; in make check)
#   check-usbredir-fuzz   the channels' message parser, 5 s of libFuzzer
#   check-usbredir-vm     (= usbredir-vm) through QEMU: a usbredir device the
#                         guest enumerates, a port both ways (about 25 s
#                         under TCG, two minutes under load; in make check)

.PHONY: check-usbredir-serve
CHECKS += check-usbredir-serve

check-usbredir-serve: $(SPICE_SERVE)
	@$(DEPS) client && mkdir -p $(BUILD)/tests/spice-core
	BUILD=$(BUILD) $(PYTHON) $(TOP)/tests/usbredir/serve_test.py

# A short libFuzzer run of the channels' message parser (wire/vmc.c).
.PHONY: check-usbredir-fuzz
CHECKS += check-usbredir-fuzz
USBREDIR_FUZZ := $(BUILD)/fuzz/spice-core-msg_vmc
USBREDIR_TOUT := $(BUILD)/tests/usbredir
FUZZ += $(USBREDIR_FUZZ)

$(USBREDIR_FUZZ): $(TOP)/tests/usbredir/fuzz_vmc.c $(SC_FUZZ_SRCS) \
		$(SC_DIR)/wire/vmc.c $(SC_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 $(WARN) -I$(TOP)/include \
		-I$(SC_DIR) $(SC_PKG_CFLAGS) -o $@ $< \
		$(SC_FUZZ_SRCS) $(SC_DIR)/wire/vmc.c \
		$(shell pkg-config --libs glib-2.0)

check-usbredir-fuzz: $(USBREDIR_FUZZ)
	@mkdir -p $(USBREDIR_TOUT)/corpus/msg_vmc
	$(USBREDIR_FUZZ) -max_total_time=$(SC_FUZZ_SECONDS) -max_len=16384 \
		$(USBREDIR_TOUT)/corpus/msg_vmc \
		-artifact_prefix=$(USBREDIR_TOUT)/ \
		> $(USBREDIR_TOUT)/fuzz.log 2>&1 || \
		{ tail -n 40 $(USBREDIR_TOUT)/fuzz.log; exit 1; }
	@tail -n 1 $(USBREDIR_TOUT)/fuzz.log

# The channels through QEMU: a Python usbredir device enumerated by the
# guest behind qemu-xhci + usb-redir, a spice-gtk PortChannel and the
# guest's virtio-serial port (tests/usbredir/vm_test.py; about 25 s
# under TCG).
.PHONY: usbredir-vm check-usbredir-vm
CHECKS += check-usbredir-vm
check-usbredir-vm: usbredir-vm
usbredir-vm: $(QEMU_BIN)
	@$(DEPS) kernel client
	BUILD=$(BUILD) $(PYTHON) $(TOP)/tests/usbredir/vm_test.py \
		--qemu $(QEMU_BIN)
