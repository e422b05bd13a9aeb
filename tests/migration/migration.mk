# tests/migration: savevm/loadvm and live migration of qxlng-vga on our
# QEMU, pixels compared before and after; bad incoming streams refused
# (issue 14; tests/migration/migration.py --help).

.PHONY: check-migration
check-migration: $(QEMU_BIN) $(GUEST_KO)
	@$(DEPS) kernel guest client
	$(PYTHON) $(TOP)/tests/migration/migration.py --qemu $(QEMU_BIN) \
		--work $(BUILD)/tests/migration

CHECKS += check-migration
