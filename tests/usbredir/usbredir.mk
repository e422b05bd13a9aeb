# tests/usbredir: the pass-through channels (usbredir, port, webdav;
# Documentation/channels.rst).
#   check-usbredir-serve  spice-serve --vmc echo devices: the wire, flow
#                         control, hostile clients, spice-gtk's PortChannel
#                         (a few seconds; in make check)

.PHONY: check-usbredir-serve
CHECKS += check-usbredir-serve

check-usbredir-serve: $(SPICE_SERVE)
	@$(DEPS) client && mkdir -p $(BUILD)/tests/spice-core
	BUILD=$(BUILD) $(PYTHON) $(TOP)/tests/usbredir/serve_test.py
