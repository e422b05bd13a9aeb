# spice-x11: serve an X display over SPICE with no VM (issue 21), and the
# xspice launcher (scripts/xspice) that runs it on Xvfb with a session.
# Included from spice-core/spice-core.mk.  Not part of `all`: it needs the
# X client libraries (scripts/install-deps x11).

SX_PKGS := x11 xext xdamage xfixes xtst xrandr
SX_SRCS := tools/spice-x11.c tools/spice-x11-input.c tools/spice-x11-keys.c \
	tools/spice-x11-clip.c
SX_OBJS := $(addprefix $(SC_OBJ)/,$(SX_SRCS:.c=.o))
SPICE_X11 := $(BUILD)/bin/spice-x11
SX_TESTS := $(TOP)/tests/x11

.PHONY: x11-deps spice-x11 xspice check-x11

x11-deps:
	@$(DEPS) build x11

# The X flags are read when the recipe runs, after x11-deps installed them.
$(SX_OBJS): SC_CFLAGS += $(shell pkg-config --cflags $(SX_PKGS) 2>/dev/null)
$(SX_OBJS): $(SC_DIR)/tools/spice-x11.h | x11-deps

# tools/options.c (the options both tools take) is built with spice-serve.
SX_SHARED := $(SC_OBJ)/tools/options.o

$(SPICE_X11): $(SX_OBJS) $(SX_SHARED) $(SPICE_CORE_LIB) | x11-deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(SX_OBJS) $(SX_SHARED) $(SPICE_CORE_LIB) \
		$(shell pkg-config --libs $(SX_PKGS)) $(SPICE_CORE_LIBS)

spice-x11: $(SPICE_X11)

# An X desktop over SPICE: Xvfb (or with XSPICE_XORG=1 Xorg's dummy
# driver) at SIZE, SESSION in it (an xterm by default), spice-x11 on PORT;
# Ctrl-C stops all (scripts/xspice --help).  PASSWORD / PASSWORD_FILE as
# for `make run`.
XSPICE_SIZE ?= 1024x768
XSPICE_SESSION ?=
XSPICE_XORG ?=
xspice: export QXLNG_PASSWORD := $(or $(PASSWORD),$(QXLNG_PASSWORD))
xspice: $(SPICE_X11)
	$(TOP)/scripts/xspice --spice-x11 $(SPICE_X11) --port '$(PORT)' \
		--size '$(XSPICE_SIZE)' $(if $(XSPICE_XORG),--xorg) \
		$(if $(PASSWORD_FILE),--password-file '$(PASSWORD_FILE)') \
		$(XSPICE_SESSION)

# The layer check sees spice-x11's objects with the other tools'.
check-layers-spicecore: $(SX_OBJS)

-include $(SX_TESTS)/x11-tests.mk
