# tests/x11: spice-x11 with a real X server (Xvfb, xterm) and real SPICE
# clients (spicy-screenshot, SpiceClientGLib).  Included from
# spice-core/x11.mk.

CHECKS += check-x11

# Pixels equal xwd, keys reach the xterm, a client resize resizes X
# (RandR), XGetImage without MIT-SHM, the X server going away.
check-x11: $(SPICE_X11)
	@$(DEPS) x11 client
	BUILD=$(BUILD) $(PYTHON) $(SX_TESTS)/x11_test.py
