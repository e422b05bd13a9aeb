# guest-drm-qxl: the Linux DRM/KMS driver qxlng.ko, built with Kbuild
# against KDIR from a copy under build/guest/ (the tree stays clean).
#
#   make guest          build/guest/qxlng.ko

GUEST_DIR := $(BUILD)/guest
GUEST_SRC := $(GUEST_DIR)/guest-drm-qxl
GUEST_KO := $(GUEST_DIR)/qxlng.ko
GUEST_SOURCES := $(wildcard $(TOP)/guest-drm-qxl/*.[ch]) \
	$(TOP)/guest-drm-qxl/Makefile $(TOP)/guest-drm-qxl/Kconfig \
	$(TOP)/include/qxl/qxl_abi.h

.PHONY: guest
guest: $(GUEST_KO)

$(GUEST_KO): $(GUEST_SOURCES)
	@$(DEPS) module
	@test -n "$(KDIR)" || { echo "guest: no kernel headers (KDIR)"; exit 1; }
	@mkdir -p $(GUEST_SRC) $(GUEST_DIR)/include/qxl
	@rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*' \
		--exclude 'tests' --exclude '*.mod*' --exclude 'modules.order' \
		--exclude 'Module.symvers' --exclude '*.mk' \
		$(TOP)/guest-drm-qxl/ $(GUEST_SRC)/
	@cp $(TOP)/include/qxl/qxl_abi.h $(GUEST_DIR)/include/qxl/
	nice $(MAKE) -C $(KDIR) M=$(GUEST_SRC) CONFIG_DRM_QXLNG=m modules
	@cp $(GUEST_SRC)/qxlng.ko $@

# The kselftest, static, for the test guest's initramfs.
SELFTEST_DIR := $(BUILD)/tests/selftests/qxlng
SELFTEST_BIN := $(SELFTEST_DIR)/qxlng_kms_test

.PHONY: guest-selftests
guest-selftests: $(SELFTEST_BIN)

$(SELFTEST_BIN): $(wildcard $(TOP)/tests/selftests/qxlng/*.[ch]) \
		$(TOP)/tests/selftests/qxlng/Makefile $(TOP)/include/qxl/qxl_abi.h
	@$(DEPS) guest
	@mkdir -p $(SELFTEST_DIR)
	$(MAKE) -C $(TOP)/tests/selftests/qxlng OUTPUT=$(SELFTEST_DIR)

# Guest tests on the reference device: Debian's QEMU with -vga qxl.
# QEMU, display args and module are parameters of scripts/guest/run-guest
# (--help), so the same tests run on our QEMU with -device qxlng-vga.
GUEST_RUN := $(TOP)/scripts/guest/run-guest
GUEST_FULL_PLAN := load,console,modetest,selftests,reload,reload10,dmesg

.PHONY: check-guest-ref-qxl check-guest-client-config check-guest-stock-qxl
check-guest-ref-qxl: $(GUEST_KO) $(SELFTEST_BIN)
	@$(DEPS) guest kernel
	nice $(GUEST_RUN) --module qxlng --plan $(GUEST_FULL_PLAN) \
		--out $(BUILD)/tests/guest/ref-qxl

# QEMU presets the client monitors config from xres/yres: the driver
# must prefer that size (selftest) and the console must use it (pixels).
check-guest-client-config: $(GUEST_KO) $(SELFTEST_BIN)
	@$(DEPS) guest kernel
	nice $(GUEST_RUN) --module qxlng --plan load,console,selftests,dmesg \
		--display-args "-vga qxl -global qxl-vga.xres=1280 -global qxl-vga.yres=800" \
		--console-size 1280x800 --out $(BUILD)/tests/guest/client-config

# Two heads (num_heads=2) on the reference device: both connectors
# connected, modetest sets 1024x768 and 800x600 side by side; the
# screendump (QEMU shows the whole primary when the monitors config has
# more than one head) matches the SMPTE bars per head, and a real SPICE
# client (spice-monitors) sees both monitors at the right places; then
# the qxlng_multihead_test selftest shows pattern A and B on the heads
# and resizes head 0 only (head 1 must be drawn again at its new place,
# and the client must see it move).
# QEMU's qxl lets spice-server pass on max_outputs monitors (default 0
# means 1), hence max_outputs=2.
.PHONY: check-guest-multihead
check-guest-multihead: $(GUEST_KO) $(SELFTEST_BIN)
	@$(DEPS) guest kernel client
	nice $(GUEST_RUN) --module qxlng --module-args num_heads=2 \
		--plan load,console,multihead,dmesg --console-size 2048x768 \
		--display-args "-vga qxl -global qxl-vga.max_outputs=2" \
		--spice-client --out $(BUILD)/tests/guest/multihead

# The stock qxl.ko on the same tests, for comparison (no reload: stock
# qxl.ko oopses in its IRQ handler on reload, see the report).
check-guest-stock-qxl: $(SELFTEST_BIN)
	@$(DEPS) guest kernel
	nice $(GUEST_RUN) --module qxl --plan load,console,modetest,selftests,dmesg \
		--out $(BUILD)/tests/guest/stock-qxl

# checkpatch --strict on the driver: no errors allowed.
.PHONY: check-guest-checkpatch
check-guest-checkpatch:
	@$(DEPS) kernel
	@tree=$$($(TOP)/scripts/linux-source) && \
	out=$$($$tree/scripts/checkpatch.pl --no-tree --strict --terse \
		--show-types -f $(TOP)/guest-drm-qxl/*.[ch]) ; \
	echo "$$out"; \
	! echo "$$out" | grep -q ': ERROR:'

CHECKS += check-guest-checkpatch check-guest-ref-qxl check-guest-client-config \
	check-guest-stock-qxl check-guest-multihead

# The driver keeps to the layers of guest-drm-qxl/layers: includes, and
# calls read from the module's objects, which the Kbuild build leaves at
# $(GUEST_SRC)/<file>.o.  tests/, hosttest/ and fuzz/ keep to layers
# files of their own (includes; they are built elsewhere).
.PHONY: check-layers-guest
check-layers-guest: $(GUEST_KO)
	$(CHECK_LAYERS) $(TOP)/guest-drm-qxl --objects $(GUEST_SRC)
	@for d in tests hosttest fuzz; do \
		$(CHECK_LAYERS) $(TOP)/guest-drm-qxl/$$d || exit 1; \
	done

CHECKS += check-layers-guest

# libFuzzer target for the hardware-free logic (ROM layout + modes,
# client monitors config, damage), built in userspace with stand-ins
# for the few kernel headers it uses (guest-drm-qxl/fuzz/include).
GUEST_FUZZ := $(BUILD)/fuzz/qxlng_logic_fuzz
GUEST_LOGIC_SRC := $(addprefix $(TOP)/guest-drm-qxl/,qxlng_modes.c \
	qxlng_monitors.c qxlng_damage.c qxlng_ring.c)

.PHONY: fuzz-guest-logic check-guest-logic-fuzz-smoke
fuzz-guest-logic: $(GUEST_FUZZ)

$(GUEST_FUZZ): $(TOP)/guest-drm-qxl/fuzz/qxlng_logic_fuzz.c $(GUEST_LOGIC_SRC) \
		$(TOP)/guest-drm-qxl/qxlng_logic.h $(TOP)/include/qxl/qxl_abi.h \
		$(wildcard $(TOP)/guest-drm-qxl/fuzz/include/*/*.h)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Wall -Wextra -Werror \
		-I$(TOP)/guest-drm-qxl/fuzz/include -I$(TOP)/include \
		-I$(TOP)/guest-drm-qxl -o $@ $< $(GUEST_LOGIC_SRC)

check-guest-logic-fuzz-smoke: $(GUEST_FUZZ)
	$(GUEST_FUZZ) -max_total_time=10 -max_len=4096 -print_final_stats=1

FUZZ += fuzz-guest-logic
CHECKS += check-guest-logic-fuzz-smoke

# libFuzzer target for the checks of the qxl.ko ioctl arguments
# (qxlng_uapi.c): what they accept must be safe to use as is.
GUEST_UAPI_FUZZ := $(BUILD)/fuzz/qxlng_uapi_fuzz

.PHONY: fuzz-guest-uapi check-guest-uapi-fuzz-smoke
fuzz-guest-uapi: $(GUEST_UAPI_FUZZ)

$(GUEST_UAPI_FUZZ): $(TOP)/guest-drm-qxl/fuzz/qxlng_uapi_fuzz.c \
		$(TOP)/guest-drm-qxl/qxlng_uapi.c \
		$(TOP)/guest-drm-qxl/qxlng_logic.h $(TOP)/include/qxl/qxl_abi.h \
		$(wildcard $(TOP)/guest-drm-qxl/fuzz/include/*/*.h)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Wall -Wextra -Werror \
		-I$(TOP)/guest-drm-qxl/fuzz/include -I$(TOP)/include \
		-I$(TOP)/guest-drm-qxl -o $@ $< $(TOP)/guest-drm-qxl/qxlng_uapi.c

check-guest-uapi-fuzz-smoke: $(GUEST_UAPI_FUZZ)
	$(GUEST_UAPI_FUZZ) -max_total_time=10 -max_len=4096 -print_final_stats=1

FUZZ += fuzz-guest-uapi
CHECKS += check-guest-uapi-fuzz-smoke

# Host-side regression tests of the logic against a hostile device
# (guest-drm-qxl/hosttest), under ASan+UBSan, TAP output.
GUEST_HOSTTEST := $(BUILD)/tests/guest/qxlng_release_drain_test

$(GUEST_HOSTTEST): $(TOP)/guest-drm-qxl/hosttest/qxlng_release_drain_test.c \
		$(TOP)/guest-drm-qxl/qxlng_ring.c $(TOP)/guest-drm-qxl/qxlng_logic.h \
		$(TOP)/include/qxl/qxl_abi.h \
		$(wildcard $(TOP)/guest-drm-qxl/fuzz/include/*/*.h)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
		-Wall -Wextra -Werror -I$(TOP)/guest-drm-qxl/fuzz/include \
		-I$(TOP)/include -I$(TOP)/guest-drm-qxl -o $@ $< \
		$(TOP)/guest-drm-qxl/qxlng_ring.c

.PHONY: check-guest-logic-host
check-guest-logic-host: $(GUEST_HOSTTEST)
	$(GUEST_HOSTTEST)

CHECKS += check-guest-logic-host check-guest-kunit-modules

# qxlng.ko and its KUnit suites both as modules, the way a kernel tree
# with DRM_QXLNG=m and DRM_QXLNG_KUNIT_TEST=m builds them: the suites must
# link against the logic in qxlng.ko (namespace QXLNG_KUNIT; Linux 6.1 has
# no EXPORT_SYMBOL_IF_KUNIT).  Debian's kernel has no KUnit, so modpost
# only warns (KBUILD_MODPOST_WARN) about kunit_* symbols; any other
# undefined symbol, or a namespace not imported, fails the check.
GUEST_KMOD_DIR := $(BUILD)/guest-kunit-modules
GUEST_KMOD_SRC := $(GUEST_KMOD_DIR)/guest-drm-qxl
GUEST_KMOD_LOG := $(GUEST_KMOD_DIR)/build.log

.PHONY: check-guest-kunit-modules
check-guest-kunit-modules:
	@$(DEPS) kernel
	@test -n "$(KDIR)" || { echo "guest: no kernel headers (KDIR)"; exit 1; }
	@mkdir -p $(GUEST_KMOD_SRC) $(GUEST_KMOD_DIR)/include/qxl
	@rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*' \
		--exclude '*.mod*' --exclude 'modules.order' \
		--exclude 'Module.symvers' --exclude '*.mk' \
		$(TOP)/guest-drm-qxl/ $(GUEST_KMOD_SRC)/
	@cp $(TOP)/include/qxl/qxl_abi.h $(GUEST_KMOD_DIR)/include/qxl/
	@nice $(MAKE) -C $(KDIR) M=$(GUEST_KMOD_SRC) CONFIG_DRM_QXLNG=m \
		CONFIG_DRM_QXLNG_KUNIT_TEST=m KBUILD_MODPOST_WARN=1 \
		KCFLAGS=-DCONFIG_DRM_QXLNG_KUNIT_TEST_MODULE=1 modules \
		> $(GUEST_KMOD_LOG) 2>&1 || { cat $(GUEST_KMOD_LOG); exit 1; }
	@bad=$$(sed -n 's/.*modpost: "\([^"]*\)" \[\(.*\)\] undefined!.*/\1 (\2)/p' \
		$(GUEST_KMOD_LOG) | grep -v '^_*kunit_' ; \
		grep -E 'does not import|namespace' $(GUEST_KMOD_LOG)); \
	if [ -n "$$bad" ]; then \
		echo "$$bad"; \
		echo "check-guest-kunit-modules: the suites do not link against qxlng.ko"; \
		exit 1; \
	fi
	@n=$$(ls $(GUEST_KMOD_SRC)/tests/*_test.ko | wc -l); \
	want=$$(ls $(TOP)/guest-drm-qxl/tests/*_test.c | wc -l); \
	[ "$$n" = "$$want" ] || { echo "check-guest-kunit-modules: $$n of $$want test modules built"; exit 1; }
	@for f in $(GUEST_KMOD_SRC)/tests/*_test.ko; do \
		syms=$$(nm -u $$f | awk '{print $$2}' | grep '^qxlng_') || continue; \
		[ "$$(/sbin/modinfo -F import_ns $$f)" = QXLNG_KUNIT ] || \
			{ echo "$$f uses $$syms without importing QXLNG_KUNIT"; exit 1; }; \
		for s in $$syms; do \
			grep -qP "^0x[0-9a-f]+\t$$s\t.*\tEXPORT_SYMBOL_GPL\tQXLNG_KUNIT$$" \
				$(GUEST_KMOD_SRC)/Module.symvers || \
				{ echo "$$s ($$f) not exported in namespace QXLNG_KUNIT"; exit 1; }; \
		done; \
		echo "$${f##*/}: $$(echo $$syms | wc -w) qxlng symbols from qxlng.ko (QXLNG_KUNIT)"; \
	done
	@echo "check-guest-kunit-modules: every suite links against qxlng.ko"

# guest-drm-qxl/Kconfig and Makefile dropped into a kernel tree
# (linux-source-6.1 with the Debian config): Kconfig offers DRM_QXLNG and
# the driver builds in-tree.
CHECKS += check-guest-intree
.PHONY: check-guest-intree
check-guest-intree:
	@$(DEPS) kernel
	$(TOP)/scripts/guest/check-intree

# Full-screen page flips per second (modetest -v), qxlng.ko against the
# stock qxl.ko, side by side on QEMU's qxl and on qxlng-vga.  A benchmark:
# it prints rates and fails only when a run gave no sample.
.PHONY: bench-flips
bench-flips: qemu $(GUEST_KO)
	@$(DEPS) kernel guest
	nice $(PYTHON) $(TOP)/guest-drm-qxl/bench/bench-flips --qemu $(QEMU_BIN)

BENCH += bench-flips
