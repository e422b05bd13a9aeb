# spice-core: the SPICE server library (build/lib/libspicecore.a), the
# spice-serve tool, its tests, fuzz targets and benchmark.

SC_DIR := $(TOP)/spice-core
SC_OUT := $(BUILD)/spice-core
SC_TESTS := $(TOP)/tests/spice-core
SC_TOUT := $(BUILD)/tests/spice-core

SC_PKGS := glib-2.0 pixman-1 spice-protocol openssl libjpeg
SC_LIBS_EXTRA :=
ifeq ($(CONFIG_SPICE_LZ4),y)
SC_PKGS += liblz4
endif
ifeq ($(CONFIG_SPICE_SASL),y)
SC_LIBS_EXTRA += -lsasl2
endif
SC_PKG_CFLAGS = $(shell pkg-config --cflags $(SC_PKGS))
# Everything a program linking libspicecore.a needs after it.
SPICE_CORE_LIBS = $(shell pkg-config --libs $(SC_PKGS)) $(SC_LIBS_EXTRA) \
	-lm -lpthread
SC_CFLAGS = $(CFLAGS) $(QXL_CFLAGS) -include $(CONFIG_HEADER) \
	-DG_LOG_DOMAIN='"spice-core"' -I$(SC_DIR) $(SC_PKG_CFLAGS)

# The library's layers, lowest first (spice-core/layers has the map that
# make check-layers-spicecore holds them to); every .c in them is built,
# so a new channel is a file in channels/ and its line in the server's
# registry.  Objects mirror the sources under $(SC_OBJ).
SC_LAYER_DIRS := net wire link channels server
SC_LIB_SRCS := $(patsubst $(SC_DIR)/%,%,$(wildcard \
	$(addprefix $(SC_DIR)/,$(addsuffix /*.c,$(SC_LAYER_DIRS)))))
SC_TOOL_SRCS := tools/spice-serve.c tools/options.c tools/ppm.c tools/qxl-play.c \
	tools/vmc-echo.c tools/agent-guest.c
SC_OBJ := $(SC_OUT)/obj
SC_LIB_OBJS := $(addprefix $(SC_OBJ)/,$(SC_LIB_SRCS:.c=.o))
SC_TOOL_OBJS := $(addprefix $(SC_OBJ)/,$(SC_TOOL_SRCS:.c=.o))
SC_HDRS := $(wildcard $(addprefix $(SC_DIR)/,$(addsuffix /*.h,$(SC_LAYER_DIRS) \
	tools codec))) $(TOP)/include/spice-core/spice-core.h $(CONFIG_HEADER)
# The QUIC and LZ encoders (spice-core/codec, a part of its own built by
# tests/codec/codec.mk) go into the library too.
SC_CODEC_SRCS := codec/quic.c codec/lz.c codec/classify.c
SC_CODEC_OBJS := $(addprefix $(BUILD)/spice-core/,$(SC_CODEC_SRCS:.c=.o))
SPICE_CORE_LIB := $(BUILD)/lib/libspicecore.a
SPICE_SERVE := $(BUILD)/bin/spice-serve

ALL += $(SPICE_CORE_LIB) $(SPICE_SERVE)

$(SC_OBJ)/%.o: $(SC_DIR)/%.c $(SC_HDRS)
	@$(DEPS) build
	@mkdir -p $(dir $@)
	$(CC) $(SC_CFLAGS) -c -o $@ $<

# spice-serve --qxl (tools/qxl-play.c) plays through a QXL device: the
# device simulator and the display-sink adapter of hw-qxl (hw-qxl.mk),
# reached by their public headers.  The ASan+UBSan spice-serve compiles
# their sources in (tests/spice-core/tests.mk).
SC_QXL_CFLAGS := -I$(TOP) $(HWQXL_PIXMAN_CFLAGS)
SC_QXL_LIBS := $(QXLSIM_LIB) $(QXLSPICE_LIB) $(HWQXL_LIB)
SC_QXL_SRCS := $(HWQXL_SRCS) $(QXLSIM_SRCS) $(QXLSPICE_SRCS)
SC_QXL_HDRS := $(HWQXL_HDRS) $(QXLSIM_HDRS) $(QXLSPICE_HDRS)
$(SC_OBJ)/tools/%.o: SC_CFLAGS += $(SC_QXL_CFLAGS)
$(SC_OBJ)/tools/qxl-play.o: $(SC_QXL_HDRS)

$(SPICE_CORE_LIB): $(SC_LIB_OBJS) $(SC_CODEC_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(SPICE_SERVE): $(SC_TOOL_OBJS) $(SC_QXL_LIBS) $(SPICE_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(SC_TOOL_OBJS) $(SC_QXL_LIBS) $(SPICE_CORE_LIB) \
		$(SPICE_CORE_LIBS)

.PHONY: spice-core
spice-core: $(SPICE_CORE_LIB) $(SPICE_SERVE)

# spice-core keeps to the layers of spice-core/layers: includes, and calls
# read from the objects.  codec/ is a part of its own (its own layers).
.PHONY: check-layers-spicecore
check-layers-spicecore: $(SC_LIB_OBJS) $(SC_TOOL_OBJS)
	$(CHECK_LAYERS) $(SC_DIR) --objects $(SC_OBJ)

CHECKS += check-layers-spicecore

-include $(SC_TESTS)/tests.mk
-include $(SC_TESTS)/browser.mk
-include $(SC_TESTS)/audio.mk

# spice-x11 and the xspice launcher (X desktops without a VM).
include $(SC_DIR)/x11.mk
