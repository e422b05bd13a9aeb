/*
 * qxl-ng QEMU glue: the device state, shared by qxlng-pci.c (PCI, BARs,
 * ports, VGA) and qxlng-console.c (display sink -> SPICE adapter and
 * QemuConsole).
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#ifndef HW_DISPLAY_QXLNG_DEV_H
#define HW_DISPLAY_QXLNG_DEV_H

#include "hw/pci/pci.h"
#include "hw/isa/isa.h"
#include "hw/display/vga_int.h"
#include "qxlng.h"

#include "hw-qxl/qxl_device.h"

OBJECT_DECLARE_SIMPLE_TYPE(QxlngState, QXLNG_COMMON)

struct qxl_spice;       /* hw-qxl/spice/qxl_spice.h */

struct QxlngState {
    /* parent */
    PCIDevice pci;

    /* memory regions (BAR0 is vga.vram: VGA memory and QXL RAM are one) */
    VGACommonState vga;
    PortioList vga_port_list;
    MemoryRegion vram_bar;      /* BAR4 when present, else BAR1 */
    MemoryRegion vram32_bar;    /* BAR1: the first vram_size bytes */
    MemoryRegion rom_bar;       /* BAR2, read-only for the guest */
    MemoryRegion io_bar;        /* BAR3 */

    /*
     * configuration (properties); the BAR sizes in bytes (ram_size,
     * vram_size, as libvirt sets and reads them) or in MiB (*_mb, which
     * win when set, as on QEMU's qxl); realize makes the two agree
     */
    uint32_t ram_size;
    uint64_t vram_size;
    uint32_t ram_size_mb;
    uint32_t vram_size_mb;
    uint32_t vram64_size_mb;
    uint32_t vgamem_mb;
    uint32_t revision;
    uint32_t max_outputs;
    uint32_t num_surfaces;
    uint32_t debug;
    SpiceCoreObject *spice;

    /* state */
    bool is_vga;                /* qxlng-vga: class 0x0300, legacy VGA */
    struct qxl_device *core;
    QEMUBH *bh;
    QemuConsole *con;
    QxlngSpiceDisplay *spice_display;
    struct qxl_spice *spice_sink;   /* the display sink, with spice=ID */
    struct qxl_primary_info primary; /* valid while have_primary */
    bool have_primary;
    bool native;                /* showing the QXL primary, not VGA */
    char *create_error;         /* the core's reason while creating */

    /* migration (qxlng-vmstate.c) */
    uint8_t *saved_state;       /* the core's state while saved / loaded */
    uint32_t saved_state_len;
    VMChangeStateEntry *vmstate_change;
};

/* qxlng-console.c */
extern const GraphicHwOps qxlng_gfx_ops;
void qxlng_console_mode_changed(QxlngState *s, bool native);
void qxlng_console_reset(QxlngState *s);
/* Attach the display sink (and SPICE); before qxlng_console_reset(). */
bool qxlng_console_realize(QxlngState *s, Error **errp);
void qxlng_console_unrealize(QxlngState *s);
/* After a load replaced the core's state: show what it shows now. */
void qxlng_console_reload(QxlngState *s);

/* qxlng-pci.c: tell the core where the guest mapped each memory BAR. */
void qxlng_sync_bars(QxlngState *s);

/* qxlng-vmstate.c */
extern const VMStateDescription vmstate_qxlng_vga;
extern const VMStateDescription vmstate_qxlng;
/* Register the BAR memory as RAM to migrate; after the BARs exist. */
void qxlng_vmstate_realize(QxlngState *s);
void qxlng_mem_written(void *opaque, unsigned int bar, uint64_t offset,
                       uint64_t size);
void qxlng_vmstate_unrealize(QxlngState *s);

#endif
