# spice-core: the SPICE server library (build/lib/libspicecore.a), the
# spice-serve tool, its tests, fuzz targets and benchmark.

SC_DIR := $(TOP)/spice-core
SC_OUT := $(BUILD)/spice-core
SC_TESTS := $(TOP)/tests/spice-core
SC_TOUT := $(BUILD)/tests/spice-core

SC_PKGS := glib-2.0 pixman-1 spice-protocol openssl
SC_LIBS_EXTRA :=
ifeq ($(CONFIG_SPICE_LZ4),y)
SC_PKGS += liblz4
endif
ifeq ($(CONFIG_SPICE_SASL),y)
SC_LIBS_EXTRA += -lsasl2
endif
SC_PKG_CFLAGS = $(shell pkg-config --cflags $(SC_PKGS))
# Everything a program linking libspicecore.a needs after it.
SPICE_CORE_LIBS = $(shell pkg-config --libs $(SC_PKGS)) $(SC_LIBS_EXTRA)
SC_CFLAGS = $(CFLAGS) $(QXL_CFLAGS) -include $(CONFIG_HEADER) \
	-DG_LOG_DOMAIN='"spice-core"' -I$(SC_DIR) $(SC_PKG_CFLAGS)

SC_LIB_SRCS := buf.c demarshal.c ticket.c net.c link.c channel.c server.c \
	encode.c display.c cursor.c inputs.c main-channel.c agent.c sasl.c
SC_LIB_OBJS := $(addprefix $(SC_OUT)/,$(SC_LIB_SRCS:.c=.o))
SC_HDRS := $(wildcard $(SC_DIR)/*.h) $(TOP)/include/spice-core/spice-core.h \
	$(CONFIG_HEADER)
SPICE_CORE_LIB := $(BUILD)/lib/libspicecore.a
SPICE_SERVE := $(BUILD)/bin/spice-serve

ALL += $(SPICE_CORE_LIB) $(SPICE_SERVE)

$(SC_OUT)/%.o: $(SC_DIR)/%.c $(SC_HDRS)
	@$(DEPS) build
	@mkdir -p $(dir $@)
	$(CC) $(SC_CFLAGS) -c -o $@ $<

$(SPICE_CORE_LIB): $(SC_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(SC_OUT)/tools/%.o: $(SC_DIR)/tools/%.c $(SC_HDRS) $(wildcard $(SC_DIR)/tools/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(SC_CFLAGS) -c -o $@ $<

$(SPICE_SERVE): $(SC_OUT)/tools/spice-serve.o $(SC_OUT)/tools/ppm.o $(SPICE_CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter %.o,$^) $(SPICE_CORE_LIB) $(SPICE_CORE_LIBS)

.PHONY: spice-core
spice-core: $(SPICE_CORE_LIB) $(SPICE_SERVE)

-include $(SC_TESTS)/tests.mk
