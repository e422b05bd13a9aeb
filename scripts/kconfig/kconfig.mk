# Kconfig through Debian's python3-kconfiglib (no parser of our own).
#
# .config is the user's choice; build/include/generated/qxlng_config.h and
# build/include/generated/qxlng_config.mk follow it.  Without a .config,
# the defaults apply.

KCONFIGLIB := /usr/lib/python3/dist-packages
CONFIG_HEADER := $(BUILD)/include/generated/qxlng_config.h
CONFIG_MK := $(BUILD)/include/generated/qxlng_config.mk
KCONFIG_SRCS := $(TOP)/Kconfig $(wildcard $(TOP)/*/Kconfig) \
	$(wildcard $(TOP)/scripts/kconfig/*.Kconfig)

.PHONY: defconfig menuconfig oldconfig savedefconfig

$(KCONFIG_CONFIG): $(KCONFIG_SRCS)
	@$(DEPS) build
	@if [ -f $@ ]; then \
		cd $(TOP) && KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) $(KCONFIGLIB)/olddefconfig.py Kconfig; \
	else \
		cd $(TOP) && KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) $(KCONFIGLIB)/alldefconfig.py Kconfig; \
	fi
	@touch $@

# One genconfig run writes both: C sees the header, make the .mk (the top
# Makefile includes it), so the two always agree.
$(CONFIG_HEADER) $(CONFIG_MK) &: $(KCONFIG_CONFIG)
	@mkdir -p $(dir $(CONFIG_HEADER))
	@cd $(TOP) && KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) $(KCONFIGLIB)/genconfig.py Kconfig \
		--header-path $(CONFIG_HEADER) --config-out $(CONFIG_MK)
	@echo "  GEN     $(patsubst $(TOP)/%,%,$(CONFIG_HEADER))"

defconfig:
	@$(DEPS) build
	@cd $(TOP) && KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) $(KCONFIGLIB)/alldefconfig.py Kconfig
	@$(MAKE) --no-print-directory $(CONFIG_HEADER)

menuconfig:
	@$(DEPS) build
	@cd $(TOP) && KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) $(KCONFIGLIB)/menuconfig.py Kconfig
	@$(MAKE) --no-print-directory $(CONFIG_HEADER)

oldconfig:
	@cd $(TOP) && KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) $(KCONFIGLIB)/oldconfig.py Kconfig
	@$(MAKE) --no-print-directory $(CONFIG_HEADER)

savedefconfig:
	@cd $(TOP) && KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) $(KCONFIGLIB)/savedefconfig.py --kconfig Kconfig \
		--out defconfig
