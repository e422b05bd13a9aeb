# tests/desktop: X desktop tests on the Debian desktop guest image
# (tests/desktop/desktop.py --help).  The image is built once by
# scripts/guest/mkimage and cached in $(QXLNG_CACHE)/guest-image/ (a few
# minutes the first time, seconds after); each run adds a small initramfs
# with its own init, scripts and modules.
#
#   make guest-image                  build (or find) the cached image
#   make desktop-stock-qxl-surfaces   issue 22: Xorg churning off-screen
#                                     surfaces on qxl.ko/qxlng.ko, three
#                                     pairings, final pictures compared
#   make desktop-ddx                  issue 19: Xorg's qxl DDX on qxlng.ko
#   make desktop-audio                issue 13: a tone each way and the
#                                     mixer's volume and mute through
#                                     -audiodev spice-core and hda-duplex
#   make desktop-session              issue 15: Xorg (modesetting), xrandr,
#                                     SPICE picture and ARGB cursor, client
#                                     resize, page flips, kmscube, damage clips,
#                                     weston, S3, reload, two monitors;
#                                     three pairings
#                                     (tests/desktop/case_desktop.py)
#   make desktop-full                 the same plus the reference pairing
#                                     (QEMU's qxl, qxl.ko), weston, depth
#                                     16, S3 and reload on qxl.ko (not in
#                                     make check)
#   make desktop-agent                issue 13: spice-vdagent through
#                                     -chardev spice-core: clipboard text
#                                     and images both ways, client mouse
#                                     mode, monitors config, a file to
#                                     the guest, graphics device info
#                                     (one boot)

DESKTOP := $(TOP)/tests/desktop/desktop.py
DESKTOP_CASES := stock-qxl-surfaces ddx audio session agent
DESKTOP_TARGETS := $(addprefix desktop-,$(DESKTOP_CASES))

.PHONY: guest-image desktop desktop-full $(DESKTOP_TARGETS)
guest-image:
	@$(DEPS) kernel image
	@$(TOP)/scripts/guest/mkimage > /dev/null

desktop: $(DESKTOP_TARGETS)

$(DESKTOP_TARGETS): desktop-%: $(QEMU_BIN) $(GUEST_KO) guest-image
	@$(DEPS) kernel guest image
	$(PYTHON) $(DESKTOP) --qemu $(QEMU_BIN) $*

CHECKS += $(DESKTOP_TARGETS)

desktop-full: $(QEMU_BIN) $(GUEST_KO) guest-image
	@$(DEPS) kernel guest image
	$(PYTHON) $(DESKTOP) --qemu $(QEMU_BIN) full
