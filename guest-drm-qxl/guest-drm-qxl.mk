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
	@$(DEPS) kernel
	@test -n "$(KDIR)" || { echo "guest: no kernel headers (KDIR)"; exit 1; }
	@mkdir -p $(GUEST_SRC) $(GUEST_DIR)/include/qxl
	@rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*' \
		--exclude 'tests' --exclude '*.mod*' --exclude 'modules.order' \
		--exclude 'Module.symvers' --exclude '*.mk' \
		$(TOP)/guest-drm-qxl/ $(GUEST_SRC)/
	@cp $(TOP)/include/qxl/qxl_abi.h $(GUEST_DIR)/include/qxl/
	nice $(MAKE) -C $(KDIR) M=$(GUEST_SRC) CONFIG_DRM_QXLNG=m modules
	@cp $(GUEST_SRC)/qxlng.ko $@
