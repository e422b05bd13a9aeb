# qxl-ng top-level Makefile.
#
#   make            build the host parts into build/
#   make check      run every test (what CI runs)
#   make run        the main job: a demo guest on our QEMU, served over SPICE
#   make help       all targets
#
# Each part adds its own rules in a fragment (<dir>/<dir>.mk), included below;
# fragments append to ALL (host outputs), CHECKS (test targets, each one a
# make target that fails when its test fails), FUZZ and BENCH.

.DEFAULT_GOAL := all
SHELL := /bin/bash

TOP := $(CURDIR)
BUILD ?= $(TOP)/build
export QXLNG_CACHE ?= $(HOME)/.cache/qxl-ng
# Not exported: kernel builds (KUnit, modules) read KCONFIG_CONFIG too.
KCONFIG_CONFIG ?= $(TOP)/.config

# The guest kernel: newest installed Debian linux-headers-*-amd64.
KDIR ?= $(shell $(TOP)/scripts/kdir 2>/dev/null)
KVER ?= $(notdir $(patsubst %/build,%,$(KDIR)))

# Debian's python3 with its modules (kconfiglib, gi, PIL), not a pyenv one.
PYTHON := /usr/bin/python3
DEPS := $(TOP)/scripts/install-deps

CC ?= cc
CLANG ?= clang
WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
# Paths inside the tree are recorded relative to it (debug info, __FILE__),
# so two clones build the same bytes and share the QEMU cache unchanged.
QXL_CFLAGS := -std=gnu11 $(WARN) -ffile-prefix-map=$(TOP)=. \
	-I$(TOP)/include -I$(BUILD)/include

ALL :=
CHECKS :=
FUZZ :=
BENCH :=

# Configuration (Kconfig): .config, and generated from it
# build/include/generated/qxlng_config.{h,mk} (CONFIG_* for C and for make).
include scripts/kconfig/kconfig.mk
-include $(CONFIG_MK)

# Parts, in dependency order.  Each fragment belongs to one part.
include tests/abi/abi.mk
include tests/layers/layers.mk
include hw-qxl/hw-qxl.mk
include spice-core/spice-core.mk
include tests/codec/codec.mk
include tests/bench/bench.mk
include guest-drm-qxl/guest-drm-qxl.mk
include guest-drm-qxl/tests/kunit.mk
include hw-qxl/qemu/qemu.mk
include tests/interop/interop.mk
include tests/desktop/desktop.mk
include tests/run/run.mk
include tests/qemu-props/qemu-props.mk
include tests/libvirt/libvirt.mk
include tests/migration/migration.mk
include tests/usbredir/usbredir.mk
include tests/smartcard/smartcard.mk

.PHONY: all check fuzz bench run deps clean distclean help

all: $(CONFIG_HEADER) $(ALL)

deps:
	@$(DEPS)

# Every test, one after another; a summary line at the end.
# make check installs first only the packages its first checks need; the
# others (chromium, libvirt, QEMU's build tools, ...) and the big cached
# builds (kunit's UML kernel, QEMU, the desktop guest image) start in the
# background while those checks run (scripts/prebuild).  Each check still
# installs what it needs itself (scripts/install-deps waits for apt's lock).
DEPS_FIRST := build module kernel fuzz client
PREBUILD := "deps qemu" "kunit" "guest-image"

.PHONY: deps-first
deps-first:
	@$(DEPS) $(DEPS_FIRST)

check: deps-first all
	@$(TOP)/scripts/prebuild start $(PREBUILD)
	@$(TOP)/scripts/run-checks $(CHECKS); rc=$$?; \
		$(TOP)/scripts/prebuild stop; exit $$rc

fuzz: $(FUZZ)

bench: $(BENCH)

# The main job; RUN_TARGET comes from hw-qxl/qemu/qemu.mk.
run: $(RUN_TARGET)

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -f $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old

help:
	@echo "Targets:"
	@echo "  all (default)  build host parts into build/ (libhwqxl, libspicecore, spice-serve)"
	@echo "  run            the main job: a demo guest on our QEMU, served over SPICE (README.md)"
	@echo "  check          run every test (what CI runs)"
	@echo "  xspice         an X desktop over SPICE, no VM: Xvfb, an xterm, spice-x11 (Documentation/xspice.rst)"
	@echo "  qemu           build/qemu/qemu-system-x86_64 with the qxl-ng devices"
	@echo "  guest          build/guest/qxlng.ko for the installed Debian kernel"
	@echo "  kunit          the driver's KUnit suites on a UML kernel"
	@echo "  fuzz           build fuzz targets into build/fuzz/"
	@echo "  bench          run benchmarks (not tests)"
	@echo "  defconfig      write .config with every option at its default"
	@echo "  menuconfig     edit .config in a terminal menu"
	@echo "  deps           install the Debian packages (scripts/install-deps)"
	@echo "  guest-image    build (once) the desktop guest image (scripts/guest/mkimage)"
	@echo "  desktop-full   desktop-session + the reference pairing (QEMU's qxl with qxl.ko), depth 16 and S3/reload on qxl.ko (not in check)"
	@echo "  desktop-agent  spice-vdagent through -chardev spice-core: clipboard text and images, mouse, monitors, a file, graphics device info"
	@echo "  usbredir-vm    a usbredir device and a port through QEMU's usb-redir and virtio-serial (make check runs it as check-usbredir-vm)"
	@echo "  smartcard-vm   a guest talks CCID to a card on a scripted SPICE client (usb-ccid, ccid-card-passthru; make check runs it as check-smartcard-vm)"
	@echo "  clean          remove build/"
	@echo "Tests (make check runs them all, each is also a target):"
	@echo "  $(CHECKS)" | fold -s -w 78 | sed '2,$$s/^/  /'
	@echo "Fuzz targets: $(notdir $(FUZZ))"
	@echo "Benchmarks: $(BENCH)"
