# The ABI header's tests: field-by-field against spice-protocol, strict
# userspace helpers, and a kernel module build against Debian's headers.

ABI_DIR := $(TOP)/tests/abi
ABI_OUT := $(BUILD)/tests/abi
ABI_HDR := $(TOP)/include/qxl/qxl_abi.h
SPICE_PROTOCOL_CFLAGS = $(shell pkg-config --cflags spice-protocol)

ALL += $(ABI_OUT)/abi_test $(ABI_OUT)/abi_helpers_test
CHECKS += check-abi check-abi-moved-field check-abi-helpers check-abi-kmod

$(ABI_OUT)/abi_test: $(ABI_DIR)/abi_test.c $(ABI_DIR)/abi_ours.c \
		$(ABI_DIR)/abi_spice.c $(ABI_DIR)/abi_fields.def \
		$(ABI_DIR)/abi_table.h $(ABI_HDR)
	@$(DEPS) build
	@mkdir -p $(dir $@)
	$(CC) $(QXL_CFLAGS) -o $@ $(ABI_DIR)/abi_test.c $(ABI_DIR)/abi_ours.c \
		$(SPICE_PROTOCOL_CFLAGS) $(ABI_DIR)/abi_spice.c

$(ABI_OUT)/abi_helpers_test: $(ABI_DIR)/abi_helpers_test.c $(ABI_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(QXL_CFLAGS) -o $@ $<

.PHONY: check-abi check-abi-moved-field check-abi-helpers check-abi-kmod

check-abi: $(ABI_OUT)/abi_test
	$<

# The ABI test must catch a moved field: swap two u32 fields of the ROM in a
# copy of the header and expect the test built against it to fail.
check-abi-moved-field: $(ABI_OUT)/abi_test
	@mkdir -p $(ABI_OUT)/moved/qxl
	@sed -e '/^struct qxl_rom {/,/^}/{s/qxl_u32 id;/qxl_u32 XX_update_id;/;s/qxl_u32 update_id;/qxl_u32 id;/;s/XX_update_id/update_id/}' \
		$(ABI_HDR) > $(ABI_OUT)/moved/qxl/qxl_abi.h
	@! cmp -s $(ABI_HDR) $(ABI_OUT)/moved/qxl/qxl_abi.h
	@$(CC) -std=gnu11 -I$(ABI_OUT)/moved -o $(ABI_OUT)/moved/abi_test \
		$(ABI_DIR)/abi_test.c $(ABI_DIR)/abi_ours.c \
		$(SPICE_PROTOCOL_CFLAGS) $(ABI_DIR)/abi_spice.c
	@if $(ABI_OUT)/moved/abi_test > $(ABI_OUT)/moved/out.txt; then \
		echo "abi_test passed with qxl_rom.id and update_id swapped"; \
		exit 1; \
	fi
	@grep '^not ok' $(ABI_OUT)/moved/out.txt
	@echo "abi_test fails as it must when a field moves"

check-abi-helpers: $(ABI_OUT)/abi_helpers_test
	$<
	$(CLANG) $(QXL_CFLAGS) -fsyntax-only $(ABI_DIR)/abi_helpers_test.c

# Build a kernel module that includes the header, against the newest
# installed Debian linux-headers-*-amd64 (or KDIR).
check-abi-kmod:
	@$(DEPS) kernel
	@rm -rf $(ABI_OUT)/kmod && mkdir -p $(ABI_OUT)/kmod
	@cp $(ABI_DIR)/kmod/Kbuild $(ABI_DIR)/kmod/*.c $(ABI_OUT)/kmod/
	$(MAKE) -C $(KDIR) M=$(ABI_OUT)/kmod QXL_ABI_INCLUDE=$(TOP)/include modules
	@test -f $(ABI_OUT)/kmod/qxl_abi_kmod.ko

# The header is kernel code too: checkpatch --strict from linux-source-6.1
# must report no errors (userspace-branch warnings are expected).
CHECKS += check-abi-checkpatch
.PHONY: check-abi-checkpatch
check-abi-checkpatch:
	@tree=$$($(TOP)/scripts/linux-source) && \
	$$tree/scripts/checkpatch.pl --no-tree --strict --quiet -f $(ABI_HDR) \
		> $(BUILD)/abi-checkpatch.txt 2>&1; \
	cat $(BUILD)/abi-checkpatch.txt; \
	grep -q '^total: 0 errors' $(BUILD)/abi-checkpatch.txt

# Documentation/qxl-device.rst's port and interrupt tables must match the
# header, and every document must be valid reStructuredText.
CHECKS += check-abi-doc
.PHONY: check-abi-doc
check-abi-doc:
	$(PYTHON) $(ABI_DIR)/doc_check.py $(ABI_HDR) $(TOP)/Documentation/qxl-device.rst
	@for f in $(TOP)/Documentation/*.rst; do \
		rst2html --halt=warning $$f > /dev/null || exit 1; \
	done; echo "all Documentation/*.rst parse cleanly"
