# tests/qemu-props: the spice-core object's image-compression,
# streaming-video and video-quality properties on the project's QEMU,
# started with no guest (issue 11; tests/qemu-props/props.py --help).

.PHONY: check-qemu-props
check-qemu-props: $(QEMU_BIN)
	$(PYTHON) $(TOP)/tests/qemu-props/props.py --qemu $(QEMU_BIN) \
		--work $(BUILD)/tests/qemu-props

CHECKS += check-qemu-props
