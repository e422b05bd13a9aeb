# hw-qxl/qemu: Debian's QEMU 7.2 with the qxlng-vga / qxlng devices and the
# spice-core object (scripts/qemu/build-qemu; source and build tree cached in
# $(QXLNG_CACHE)/qemu-<version>/, the binary copied to build/qemu/).
#
#   make qemu       build/qemu/qemu-system-x86_64
#   make run        a demo guest on it, served on spice://127.0.0.1:$(PORT)
#
# The first build takes several minutes; later ones rebuild only our files.

QEMU_DIR := $(BUILD)/qemu
QEMU_BIN := $(QEMU_DIR)/qemu-system-x86_64
HWQXL_LIB ?= $(BUILD)/lib/libhwqxl.a
QXLSPICE_LIB ?= $(BUILD)/lib/libqxlspice.a
SPICE_CORE_LIB ?= $(BUILD)/lib/libspicecore.a

# What the glue links: the display-sink adapter between the two cores,
# both cores and the libraries they use (openssl, lz4, sasl2 per .config,
# from spice-core.mk; glib and pixman QEMU has).
QEMU_GLUE_LIBS = $(QXLSPICE_LIB) $(HWQXL_LIB) $(SPICE_CORE_LIB) \
	$(SPICE_CORE_LIBS) -lm

.PHONY: qemu qemu-deps qemu-stock FORCE
# Packages first: the core libraries need them too (a fresh machine).
qemu: qemu-deps $(QEMU_BIN)

qemu-deps:
	@$(DEPS) build qemu run

# Always ask build-qemu: ninja knows which of our sources and headers
# changed (a no-op run takes a few seconds); the copy keeps its time stamp
# when the binary did not change.
$(QEMU_BIN): $(QXLSPICE_LIB) $(HWQXL_LIB) $(SPICE_CORE_LIB) $(CONFIG_HEADER) \
		FORCE
	@$(DEPS) build qemu run
	@QXLNG_CACHE=$(QXLNG_CACHE) $(TOP)/scripts/qemu/build-qemu \
		--libs "$(strip $(QEMU_GLUE_LIBS))" --out $@

# The same QEMU without our glue (proves the recipe; not used by tests).
qemu-stock:
	@$(DEPS) build qemu run
	@QXLNG_CACHE=$(QXLNG_CACHE) $(TOP)/scripts/qemu/build-qemu --stock \
		--out $(QEMU_DIR)/qemu-system-x86_64-stock

# make run: the main job.  ADDR: where to listen (another address than
# 127.0.0.1 without a password draws a warning).  PASSWORD (or
# QXLNG_PASSWORD) comes from the environment and reaches run-demo the same
# way, never on a command line: ps would show it.  PASSWORD_FILE names a
# file holding it instead.
ADDR ?= 127.0.0.1
PORT ?= 5900
PASSWORD ?=
PASSWORD_FILE ?=

# Given after make, a password is on make's own command line (any user's
# ps shows it) and in MAKEFLAGS, which every recipe inherits: refuse it
# before anything runs, whatever the goal (make xspice takes it too).
$(foreach v,PASSWORD QXLNG_PASSWORD,$(if $(and \
	$(filter command line,$(origin $(v))),$(value $(v))),$(error \
	$(v)=... on make's command line shows in ps; put it in the \
	environment (PASSWORD=... make run) or in a file \
	(make run PASSWORD_FILE=FILE))))
RUN_TARGET := qemu-run

.PHONY: qemu-run run-deps
# Only what the demo needs: the host libraries, the QEMU build, the guest
# kernel and module build, the guest's boot tools.
run-deps:
	@$(DEPS) build qemu module run

qemu-run: export QXLNG_PASSWORD := $(or $(PASSWORD),$(QXLNG_PASSWORD))
qemu-run: run-deps $(QEMU_BIN) guest
	@$(TOP)/scripts/qemu/run-demo --qemu $(QEMU_BIN) --addr '$(ADDR)' \
		--port '$(PORT)' $(if $(PASSWORD_FILE),--password-file '$(PASSWORD_FILE)') \
		--module $(GUEST_KO) --work $(BUILD)/run
