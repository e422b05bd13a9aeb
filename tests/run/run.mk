# tests/run: the first hour with qxl-ng (issue 18), as a newcomer meets it:
# make run's password stays out of ps and off the disk, a client's normal
# disconnect is not news in the terminal, every command line in README.md
# and Documentation/ works as written, two clones share one QEMU build
# (tests/run/firsthour.py --help).

FIRSTHOUR := $(TOP)/tests/run/firsthour.py
FIRSTHOUR_DIR := $(BUILD)/tests/run

.PHONY: check-run-secrets check-run-disconnect-log check-docs-commands \
	check-run-console-resize check-qemu-cache
check-run-secrets: $(QEMU_BIN) $(GUEST_KO)
	@$(DEPS) run client
	$(PYTHON) $(FIRSTHOUR) secrets --work $(FIRSTHOUR_DIR)

check-run-disconnect-log: $(SPICE_SERVE)
	@$(DEPS) client
	$(PYTHON) $(FIRSTHOUR) disconnect --work $(FIRSTHOUR_DIR)

check-docs-commands: $(QEMU_BIN) $(GUEST_KO) $(SPICE_SERVE)
	@$(DEPS) run client
	$(PYTHON) $(FIRSTHOUR) docs --work $(FIRSTHOUR_DIR)

# make run's console while SPICE clients stay connected at 800x600,
# 1920x1080 and 1280x1024: fbcon cannot follow (its framebuffer keeps its
# size), so the mode stays 1024x768.  A long line typed through a client
# fills all 128 columns; every QMP screendump and SPICE picture at each
# size shows it and the prompt cell by cell, and the resizing client gets
# the whole 1024x768 console to scale (as with QEMU's qxl); remote-viewer
# in Xvfb shows all of it scaled down into its window.  sysfs prefers
# 1024x768 while still listing 800x600 and the large modes.  About 100 s.
check-run-console-resize: $(QEMU_BIN) $(GUEST_KO)
	@$(DEPS) run client x11
	$(PYTHON) $(FIRSTHOUR) console-resize --work $(FIRSTHOUR_DIR)

check-qemu-cache: $(QEMU_BIN)
	$(PYTHON) $(FIRSTHOUR) cache --work $(FIRSTHOUR_DIR)

CHECKS += check-run-secrets check-run-disconnect-log check-docs-commands \
	check-run-console-resize check-qemu-cache
