# hw-qxl: the QXL PCI device model core (emulator-agnostic), its tests,
# fuzz targets and benchmark.  Included from the top-level Makefile.

# The core is four layers, lowest first, each in its directory with one
# header; hw-qxl/layers is the map scripts/check-layers keeps it to.
HWQXL_DIR := $(TOP)/hw-qxl
HWQXL_SRCS := $(addprefix $(HWQXL_DIR)/, \
	$(addprefix mem/,report.c memslot.c chunks.c ring.c release.c) \
	$(addprefix parse/,drawable.c image.c path_string.c surface_cmd.c \
		cursor_cmd.c monitors.c) \
	$(addprefix render/,surface.c render.c stroke_text.c) \
	$(addprefix device/,device.c guest_bug.c pci.c io.c commands.c \
		display.c cursor.c state.c written.c))
HWQXL_HDRS := $(wildcard $(HWQXL_DIR)/*.h $(addprefix $(HWQXL_DIR)/, \
	mem/*.h parse/*.h render/*.h device/*.h)) $(TOP)/include/qxl/qxl_abi.h
HWQXL_PIXMAN_CFLAGS := $(shell pkg-config --cflags pixman-1 2>/dev/null || echo -I/usr/include/pixman-1)
HWQXL_PIXMAN_LIBS := $(shell pkg-config --libs pixman-1 2>/dev/null || echo -lpixman-1)
HWQXL_CFLAGS := $(QXL_CFLAGS) -I$(HWQXL_DIR) $(HWQXL_PIXMAN_CFLAGS)
HWQXL_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

HWQXL_LIB := $(BUILD)/lib/libhwqxl.a
HWQXL_LIB_SAN := $(BUILD)/hw-qxl/san/libhwqxl-san.a
# Object paths mirror the source paths (obj/mem/memslot.o): check-layers
# reads them.
HWQXL_OBJS := $(patsubst $(HWQXL_DIR)/%.c,$(BUILD)/hw-qxl/obj/%.o,$(HWQXL_SRCS))
HWQXL_OBJS_SAN := $(patsubst $(HWQXL_DIR)/%.c,$(BUILD)/hw-qxl/san/%.o,$(HWQXL_SRCS))

# Above the device, through qxl_device.h only (two more layers of
# hw-qxl/layers): the display-sink adapter onto spice-core
# (hw-qxl/spice/, libqxlspice.a; spice-core.h is its only other header)
# and the device simulator (hw-qxl/sim/, libqxlsim.a).  The QEMU glue,
# the tests and spice-serve --qxl link them.
QXLSPICE_SRCS := $(HWQXL_DIR)/spice/qxl_spice.c
QXLSIM_SRCS := $(addprefix $(HWQXL_DIR)/sim/,sim.c build.c)
QXLSPICE_LIB := $(BUILD)/lib/libqxlspice.a
QXLSIM_LIB := $(BUILD)/lib/libqxlsim.a
QXLSPICE_OBJS := $(patsubst $(HWQXL_DIR)/%.c,$(BUILD)/hw-qxl/obj/%.o,$(QXLSPICE_SRCS))
QXLSIM_OBJS := $(patsubst $(HWQXL_DIR)/%.c,$(BUILD)/hw-qxl/obj/%.o,$(QXLSIM_SRCS))
# Sanitizer builds of both, for the tests.
HWQXL_HOST_LIB_SAN := $(BUILD)/hw-qxl/san/libqxlhost-san.a
HWQXL_HOST_OBJS_SAN := $(patsubst $(HWQXL_DIR)/%.c,$(BUILD)/hw-qxl/san/%.o,$(QXLSPICE_SRCS) $(QXLSIM_SRCS))
HWQXL_GLIB_CFLAGS := $(shell pkg-config --cflags glib-2.0 2>/dev/null)
QXLSPICE_HDRS := $(HWQXL_DIR)/spice/qxl_spice.h \
	$(TOP)/include/spice-core/spice-core.h
QXLSIM_HDRS := $(HWQXL_DIR)/sim/qxl_sim.h

# Packages first (pixman; clang for the sanitizer build), once per run.
.PHONY: hwqxl-deps hwqxl-san-deps
hwqxl-deps:
	@$(DEPS) build
hwqxl-san-deps:
	@$(DEPS) build fuzz

$(BUILD)/hw-qxl/obj/%.o: $(HWQXL_DIR)/%.c $(HWQXL_HDRS) $(CONFIG_HEADER) | hwqxl-deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC $(HWQXL_CFLAGS) -c $< -o $@

$(BUILD)/hw-qxl/san/%.o: $(HWQXL_DIR)/%.c $(HWQXL_HDRS) $(CONFIG_HEADER) | hwqxl-san-deps
	@mkdir -p $(dir $@)
	$(CLANG) -O1 -g $(HWQXL_SAN) -fsanitize=fuzzer-no-link $(HWQXL_CFLAGS) -c $< -o $@

$(HWQXL_LIB): $(HWQXL_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(HWQXL_LIB_SAN): $(HWQXL_OBJS_SAN)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The adapter includes spice-core.h, hence GLib's headers.
$(BUILD)/hw-qxl/obj/spice/%.o $(BUILD)/hw-qxl/san/spice/%.o: \
	HWQXL_CFLAGS += $(HWQXL_GLIB_CFLAGS)
$(QXLSPICE_OBJS) $(QXLSPICE_OBJS:$(BUILD)/hw-qxl/obj/%=$(BUILD)/hw-qxl/san/%): \
	$(QXLSPICE_HDRS)
$(QXLSIM_OBJS) $(QXLSIM_OBJS:$(BUILD)/hw-qxl/obj/%=$(BUILD)/hw-qxl/san/%): \
	$(QXLSIM_HDRS)

$(QXLSPICE_LIB): $(QXLSPICE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(QXLSIM_LIB): $(QXLSIM_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(HWQXL_HOST_LIB_SAN): $(HWQXL_HOST_OBJS_SAN)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

ALL += $(HWQXL_LIB) $(QXLSPICE_LIB) $(QXLSIM_LIB)

# Each layer includes and calls only its own and lower layers (hw-qxl/layers,
# from the objects; the adapter and the simulator reach the device through
# qxl_device.h alone); the QEMU glue keeps to hw-qxl/qemu/layers (includes:
# its objects live in QEMU's build tree).
.PHONY: check-layers-hwqxl
check-layers-hwqxl: $(HWQXL_OBJS) $(QXLSPICE_OBJS) $(QXLSIM_OBJS)
	$(CHECK_LAYERS) $(HWQXL_DIR) --objects $(BUILD)/hw-qxl/obj
	$(CHECK_LAYERS) $(HWQXL_DIR)/qemu

CHECKS += check-layers-hwqxl

-include $(TOP)/tests/hw-qxl/tests.mk
