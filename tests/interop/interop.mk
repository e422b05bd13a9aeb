# tests/interop: the interop matrix of our QEMU build (tests/interop/interop.py).
# Each case boots the Debian kernel under TCG on build/qemu/qemu-system-x86_64
# with -device qxlng-vga and checks pixels, keys and modes; see the --help of
# tests/interop/interop.py.  `make interop` runs them all.

INTEROP := $(TOP)/tests/interop/interop.py
INTEROP_DIR := $(BUILD)/tests/interop
INTEROP_HOSTILE := $(INTEROP_DIR)/qxl-hostile
INTEROP_EVDEV := $(INTEROP_DIR)/evdev-read
INTEROP_CASES := stock-qxl-on-qxlng-vga qxlng-on-qxlng-vga spice-screenshot \
	spice-key spice-browser spice-mouse spice-tablet spice-resize spice-tls-password spice-tls-native \
	vnc hostile-guest two-heads make-run
INTEROP_TARGETS := $(addprefix interop-,$(INTEROP_CASES))
# make check runs every case.
INTEROP_CHECKS := interop-stock-qxl-on-qxlng-vga interop-qxlng-on-qxlng-vga \
	interop-spice-screenshot \
	interop-spice-key interop-spice-browser interop-spice-mouse interop-spice-tablet \
	interop-spice-resize \
	interop-spice-tls-password interop-spice-tls-native \
	interop-vnc interop-hostile-guest interop-two-heads interop-make-run

# Runs inside the guest: static, so the initramfs needs no libraries.
$(INTEROP_HOSTILE): $(TOP)/tests/interop/qxl-hostile.c $(TOP)/include/qxl/qxl_abi.h
	@mkdir -p $(dir $@)
	$(CC) -static -O2 $(QXL_CFLAGS) -o $@ $<

.PHONY: interop interop-reference $(INTEROP_TARGETS)
interop: $(INTEROP_TARGETS)

$(INTEROP_EVDEV): $(TOP)/tests/interop/evdev-read.c
	@mkdir -p $(dir $@)
	$(CC) -static -O2 $(QXL_CFLAGS) -o $@ $<

$(INTEROP_TARGETS): interop-%: $(QEMU_BIN) $(INTEROP_HOSTILE) $(INTEROP_EVDEV) \
		$(GUEST_KO)
	@$(DEPS) kernel guest client browser
	$(PYTHON) $(INTEROP) $*

# Pictures from Debian's own QEMU (qxl-vga + stock qxl.ko) the cases
# compare against; cached in build/tests/interop/reference/.
interop-reference:
	@$(DEPS) kernel guest
	$(PYTHON) $(INTEROP) reference

CHECKS += $(INTEROP_CHECKS)
