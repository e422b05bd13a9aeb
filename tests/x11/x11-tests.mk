# tests/x11: spice-x11 with a real X server (Xvfb, xterm) and real SPICE
# clients (spicy-screenshot, SpiceClientGLib).  Included from
# spice-core/x11.mk.

CHECKS += check-x11

# Pixels equal xwd, keys reach the xterm, a client resize resizes X
# (RandR), XGetImage without MIT-SHM, the X server going away.
check-x11: $(SPICE_X11)
	@$(DEPS) x11 client
	$(SX_KEYS_TEST)
	BUILD=$(BUILD) $(PYTHON) $(SX_TESTS)/x11_test.py

# The scancode table alone (tests/x11/keys_test.c).
SX_KEYS_TEST := $(BUILD)/tests/x11/keys_test
$(SX_KEYS_TEST): $(SX_TESTS)/keys_test.c $(SC_OBJ)/tools/spice-x11-keys.o \
		$(SC_DIR)/tools/spice-x11.h
	@mkdir -p $(dir $@)
	$(CC) $(SC_CFLAGS) -o $@ $< $(SC_OBJ)/tools/spice-x11-keys.o

check-x11: $(SX_KEYS_TEST)

# Debian's Xspice and spice-x11 serving the same session (an xterm
# scrolling, a window dragged) to the same spice-gtk client: bytes and
# server CPU (a benchmark, not a test; tests/x11/bench_xspice.py --help).
.PHONY: bench-xspice
BENCH += bench-xspice
bench-xspice: $(SPICE_X11)
	@$(DEPS) x11 client
	BUILD=$(BUILD) $(PYTHON) $(SX_TESTS)/bench_xspice.py
