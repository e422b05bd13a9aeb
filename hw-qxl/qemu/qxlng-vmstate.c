/*
 * qxl-ng QEMU glue: savevm and migration of the qxlng-vga and qxlng
 * devices.
 *
 * The BAR memory (BAR0 RAM with the primary and the rings, VRAM with the
 * off-screen surfaces, the ROM) travels as RAM blocks; the device's other
 * state is the core's saved state (hw-qxl/qxl_device.h,
 * qxl_device_save_state), one buffer in the device's section after the
 * PCI config space and, for qxlng-vga, the VGA registers.  A loaded state
 * is checked by the core before it replaces anything; a bad one fails the
 * load with the core's reason.
 *
 * The core writes BAR memory from the host, which QEMU's dirty tracking
 * does not see.  Scattered writes (a command's release_info as it is
 * handed back, a surface's pixels as it is destroyed) are marked dirty as
 * the core reports them (qxlng_mem_written).  The areas it writes over and
 * over (the RAM header with the rings, the ROM, each live surface) are
 * marked when the VM stops (migration's last pass, savevm), so the last
 * pass sends them and not the whole BARs, as QEMU's qxl does; deferred
 * work waits while the VM is stopped so the memory stays as sent.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"

#include "qxlng-dev.h"

/* The BAR memory regions that are RAM (BAR1 may be an alias of BAR4). */
static void qxlng_ram_regions(QxlngState *s, MemoryRegion *mr[3])
{
    uint64_t vram_size = qxl_device_bar_size(s->core, QXL_VRAM_RANGE_INDEX);
    uint64_t vram64_size = qxl_device_bar_size(s->core,
                                               QXL_VRAM64_RANGE_INDEX);

    mr[0] = &s->vga.vram;
    mr[1] = vram64_size > vram_size ? &s->vram_bar : &s->vram32_bar;
    mr[2] = &s->rom_bar;
}

/* size bytes at offset of a BAR the core wrote: dirty for migration. */
void qxlng_mem_written(void *opaque, unsigned int bar, uint64_t offset,
                       uint64_t size)
{
    QxlngState *s = opaque;
    MemoryRegion *mr[3], *r;

    qxlng_ram_regions(s, mr);
    switch (bar) {
    case QXL_RAM_RANGE_INDEX:
        r = mr[0];
        break;
    case QXL_VRAM_RANGE_INDEX:
        r = mr[1];
        break;
    case QXL_ROM_RANGE_INDEX:
        r = mr[2];
        break;
    default:
        return;
    }
    if (offset <= memory_region_size(r) &&
        size <= memory_region_size(r) - offset) {
        memory_region_set_dirty(r, offset, size);
    }
}

static void qxlng_vm_state_change(void *opaque, bool running, RunState state)
{
    QxlngState *s = opaque;

    if (running) {
        /* Work the device deferred while stopped runs now. */
        qemu_bh_schedule(s->bh);
        return;
    }
    qxl_device_host_areas(s->core, qxlng_mem_written, s);
}

void qxlng_vmstate_realize(QxlngState *s)
{
    MemoryRegion *mr[3];
    unsigned int i;

    qxlng_ram_regions(s, mr);
    for (i = 0; i < ARRAY_SIZE(mr); i++) {
        vmstate_register_ram(mr[i], DEVICE(s));
    }
    s->vmstate_change = qemu_add_vm_change_state_handler(
        qxlng_vm_state_change, s);
}

void qxlng_vmstate_unrealize(QxlngState *s)
{
    MemoryRegion *mr[3];
    unsigned int i;

    if (s->vmstate_change) {
        qemu_del_vm_change_state_handler(s->vmstate_change);
        s->vmstate_change = NULL;
        qxlng_ram_regions(s, mr);
        for (i = 0; i < ARRAY_SIZE(mr); i++) {
            vmstate_unregister_ram(mr[i], DEVICE(s));
        }
    }
    g_free(s->saved_state);
    s->saved_state = NULL;
}

static int qxlng_pre_save(void *opaque)
{
    QxlngState *s = opaque;
    uint8_t *buf;
    size_t len;

    g_free(s->saved_state);
    s->saved_state = NULL;
    if (qxl_device_save_state(s->core, &buf, &len) || len > UINT32_MAX) {
        error_report("%s: out of memory saving the device state",
                     object_get_typename(OBJECT(s)));
        return -ENOMEM;
    }
    s->saved_state = g_memdup2(buf, len);
    s->saved_state_len = len;
    free(buf);
    return 0;
}

static int qxlng_post_save(void *opaque)
{
    QxlngState *s = opaque;

    g_free(s->saved_state);
    s->saved_state = NULL;
    return 0;
}

static int qxlng_pre_load(void *opaque)
{
    return qxlng_post_save(opaque);
}

/* The length comes from the stream: bound it before it is allocated. */
static bool qxlng_state_len_ok(void *opaque, int version_id)
{
    QxlngState *s = opaque;
    size_t max = qxl_device_state_max_size(s->core);

    if (s->saved_state_len > max) {
        error_report("%s: saved device state of %u bytes, at most %zu "
                     "expected", object_get_typename(OBJECT(s)),
                     s->saved_state_len, max);
        return false;
    }
    return true;
}

static int qxlng_post_load(void *opaque, int version_id)
{
    QxlngState *s = opaque;
    char err[256];
    int ret;

    ret = qxl_device_load_state(s->core, s->saved_state, s->saved_state_len,
                                err, sizeof(err));
    g_free(s->saved_state);
    s->saved_state = NULL;
    if (ret) {
        error_report("%s: bad device state: %s",
                     object_get_typename(OBJECT(s)), err);
        return -EINVAL;
    }
    /* The BAR addresses came with the PCI config space. */
    qxlng_sync_bars(s);
    qxlng_console_reload(s);
    return 0;
}

/*
 * PCI config (and VGA registers), then the core's state: its length,
 * bounded before QEMU allocates it, then the bytes.
 */
const VMStateDescription vmstate_qxlng_vga = {
    .name = "qxlng-vga",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = qxlng_pre_save,
    .post_save = qxlng_post_save,
    .pre_load = qxlng_pre_load,
    .post_load = qxlng_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(pci, QxlngState),
        VMSTATE_STRUCT(vga, QxlngState, 0, vmstate_vga_common,
                       VGACommonState),
        VMSTATE_UINT32(saved_state_len, QxlngState),
        VMSTATE_VALIDATE("device state size", qxlng_state_len_ok),
        VMSTATE_VBUFFER_ALLOC_UINT32(saved_state, QxlngState, 0, NULL,
                                     saved_state_len),
        VMSTATE_END_OF_LIST()
    },
};

const VMStateDescription vmstate_qxlng = {
    .name = "qxlng",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = qxlng_pre_save,
    .post_save = qxlng_post_save,
    .pre_load = qxlng_pre_load,
    .post_load = qxlng_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(pci, QxlngState),
        VMSTATE_UINT32(saved_state_len, QxlngState),
        VMSTATE_VALIDATE("device state size", qxlng_state_len_ok),
        VMSTATE_VBUFFER_ALLOC_UINT32(saved_state, QxlngState, 0, NULL,
                                     saved_state_len),
        VMSTATE_END_OF_LIST()
    },
};
