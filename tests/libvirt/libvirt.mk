# tests/libvirt: libvirt 9.0 (a private libvirtd the test starts and stops)
# starts a domain on the project's QEMU with <video model='qxl'> and SPICE
# graphics with a password; a SPICE client, virt-viewer by domain name and
# remote-viewer with a .vv file see it; QMP passwords (issue 14;
# tests/libvirt/libvirt.py --help).

.PHONY: check-libvirt
check-libvirt: $(QEMU_BIN)
	@$(DEPS) module guest client libvirt
	$(PYTHON) $(TOP)/tests/libvirt/libvirt.py --qemu $(QEMU_BIN) \
		--work $(BUILD)/tests/libvirt

CHECKS += check-libvirt
