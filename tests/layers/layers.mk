# tests/layers: scripts/check-layers, the check that keeps every part in
# layers that only look down.  Each part's fragment adds its own
# check-layers-<part> target; this one proves the checker itself fails on
# an include and a call that look up.

CHECK_LAYERS := $(TOP)/scripts/check-layers

.PHONY: check-layers-selftest
check-layers-selftest:
	@$(TOP)/tests/layers/selftest.sh $(CHECK_LAYERS) $(BUILD)/tests/layers

CHECKS += check-layers-selftest
