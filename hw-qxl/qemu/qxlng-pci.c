/*
 * qxl-ng QEMU glue: the qxlng-vga and qxlng PCI devices.
 *
 * A thin wrapper around the hw-qxl core (hw-qxl/qxl_device.h): the core owns
 * the BAR memory and the device logic; this file maps that memory into the
 * guest, forwards port writes, drives the IRQ line, runs deferred work from
 * a bottom half and, for qxlng-vga, provides legacy VGA over BAR0 like QEMU's
 * qxl-vga.  The console side is in qxlng-console.c.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "sysemu/runstate.h"
#include "ui/console.h"

#include "qxlng-dev.h"

/* Host ops ------------------------------------------------------------- */

static void qxlng_set_irq(void *opaque, int level)
{
    QxlngState *s = opaque;

    pci_set_irq(&s->pci, level ? 1 : 0);
}

static void qxlng_schedule(void *opaque)
{
    QxlngState *s = opaque;

    if (s->bh) {
        qemu_bh_schedule(s->bh);
    }
}

static void qxlng_log(void *opaque, enum qxl_log_level level, const char *msg)
{
    QxlngState *s = opaque;
    const char *name = object_get_typename(OBJECT(s));

    if (!s->core) {
        /* Still in qxl_device_new(): keep the reason for the error. */
        g_free(s->create_error);
        s->create_error = g_strdup(msg);
        return;
    }
    if (level == QXL_LOG_GUEST_ERROR) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: guest bug: %s\n", name, msg);
    } else if ((uint32_t)level <= s->debug) {
        qemu_log("%s: %s\n", name, msg);
    }
}

static void qxlng_mode_changed(void *opaque, bool native)
{
    qxlng_console_mode_changed(opaque, native);
}

static uint32_t qxlng_mm_time(void *opaque)
{
    return qemu_clock_get_ms(QEMU_CLOCK_HOST);
}

static const struct qxl_host_ops qxlng_host_ops = {
    .set_irq = qxlng_set_irq,
    .schedule = qxlng_schedule,
    .log = qxlng_log,
    .mode_changed = qxlng_mode_changed,
    .mm_time = qxlng_mm_time,
    .mem_written = qxlng_mem_written,
};

static void qxlng_run_deferred(void *opaque)
{
    QxlngState *s = opaque;

    /*
     * A stopped VM's device does nothing (its memory may be on its way
     * to a migration target); qxlng-vmstate.c runs us again on resume.
     */
    if (!runstate_is_running()) {
        return;
    }
    qxl_device_run_deferred(s->core);
}

/* I/O ports (BAR3) ------------------------------------------------------ */

static uint64_t qxlng_io_read(void *opaque, hwaddr addr, unsigned size)
{
    QxlngState *s = opaque;

    return qxl_device_io_read(s->core, addr);
}

static void qxlng_io_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    QxlngState *s = opaque;

    if (s->debug > QXL_LOG_DEBUG) {
        qemu_log("%s: port %u <- %u\n", object_get_typename(OBJECT(s)),
                 (unsigned)addr, (unsigned)val);
    }
    qxl_device_io_write(s->core, addr, val);
}

/* Ports are bytes: wider accesses are refused, as on QEMU's qxl. */
static const MemoryRegionOps qxlng_io_ops = {
    .read = qxlng_io_read,
    .write = qxlng_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 1,
        .max_access_size = 1,
    },
};

/* Legacy VGA ports (qxlng-vga) ------------------------------------------ */

static void qxlng_vga_ioport_write(void *opaque, uint32_t addr, uint32_t val)
{
    VGACommonState *vga = opaque;
    QxlngState *s = container_of(vga, QxlngState, vga);

    /* Revisions < 5 leave native mode here; the core decides. */
    qxl_device_vga_ioport_written(s->core);
    vga_ioport_write(opaque, addr, val);
}

static const MemoryRegionPortio qxlng_vga_portio_list[] = {
    { 0x04,  2, 1, .read = vga_ioport_read,
                   .write = qxlng_vga_ioport_write }, /* 3b4 */
    { 0x0a,  1, 1, .read = vga_ioport_read,
                   .write = qxlng_vga_ioport_write }, /* 3ba */
    { 0x10, 16, 1, .read = vga_ioport_read,
                   .write = qxlng_vga_ioport_write }, /* 3c0 */
    { 0x24,  2, 1, .read = vga_ioport_read,
                   .write = qxlng_vga_ioport_write }, /* 3d4 */
    { 0x2a,  1, 1, .read = vga_ioport_read,
                   .write = qxlng_vga_ioport_write }, /* 3da */
    PORTIO_END_OF_LIST(),
};

/* PCI config space --------------------------------------------------------- */

/* Tell the core where the guest mapped each memory BAR (for memslots). */
void qxlng_sync_bars(QxlngState *s)
{
    unsigned int bar;

    for (bar = 0; bar < QXL_DEVICE_NUM_BARS; bar++) {
        pcibus_t addr;

        if (!(qxl_device_bar_flags(s->core, bar) & QXL_BAR_FLAG_PRESENT) ||
            (qxl_device_bar_flags(s->core, bar) & QXL_BAR_FLAG_IO)) {
            continue;
        }
        addr = pci_get_bar_addr(&s->pci, bar);
        qxl_device_set_bar_address(s->core, bar,
                                   addr == PCI_BAR_UNMAPPED ?
                                   QXL_BAR_UNMAPPED : addr);
    }
}

static void qxlng_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                               int len)
{
    pci_default_write_config(d, addr, val, len);
    qxlng_sync_bars(QXLNG_COMMON(d));
}

/* Realize ---------------------------------------------------------------- */

/*
 * ram_size_mb / vram_size_mb (when not 0) override ram_size / vram_size
 * (bytes, whole MiB); afterwards both spellings hold the size used, so
 * qom-get reads back what the guest got.
 */
static bool qxlng_settle_sizes(QxlngState *s, Error **errp)
{
    if (s->ram_size_mb) {
        if (s->ram_size_mb > UINT32_MAX / MiB) {
            error_setg(errp, "ram_size_mb %u is too large", s->ram_size_mb);
            return false;
        }
        s->ram_size = s->ram_size_mb * MiB;
    }
    if (s->vram_size_mb) {
        s->vram_size = (uint64_t)s->vram_size_mb * MiB;
    }
    if (!s->ram_size || s->ram_size % MiB) {
        error_setg(errp, "ram_size %u is not a non-zero multiple of 1 MiB",
                   s->ram_size);
        return false;
    }
    if (!s->vram_size || s->vram_size % MiB ||
        s->vram_size / MiB > UINT32_MAX) {
        error_setg(errp, "vram_size %" PRIu64
                   " is not a non-zero multiple of 1 MiB", s->vram_size);
        return false;
    }
    s->ram_size_mb = s->ram_size / MiB;
    s->vram_size_mb = s->vram_size / MiB;
    return true;
}

static bool qxlng_create_core(QxlngState *s, Error **errp)
{
    struct qxl_device_config cfg;

    qxl_device_config_init(&cfg);
    cfg.is_vga = s->is_vga;
    cfg.revision = s->revision;
    cfg.ram_size = (uint64_t)s->ram_size_mb * MiB;
    cfg.vram_size = (uint64_t)s->vram_size_mb * MiB;
    cfg.vram64_size = (uint64_t)s->vram64_size_mb * MiB;
    cfg.vgamem_size = (uint64_t)s->vgamem_mb * MiB;
    cfg.max_outputs = s->max_outputs;
    cfg.n_surfaces = s->num_surfaces;
    cfg.id = qemu_console_get_index(s->con);

    if (s->revision > QXL_REVISION_DEFAULT) {
        error_setg(errp, "revision %u is not supported (1..%d)",
                   s->revision, QXL_REVISION_DEFAULT);
        return false;
    }
    s->core = qxl_device_new(&cfg, &qxlng_host_ops, s);
    if (!s->core) {
        error_setg(errp, "cannot create the device: %s",
                   s->create_error ? s->create_error : "invalid config");
        return false;
    }
    return true;
}

static bool qxlng_check_bar(QxlngState *s, unsigned int bar, Error **errp)
{
    uint8_t *ptr = qxl_device_bar_ptr(s->core, bar);
    uint64_t size = qxl_device_bar_size(s->core, bar);

    if (!ptr || !size || !is_power_of_2(size) ||
        ((uintptr_t)ptr & (qemu_real_host_page_size() - 1))) {
        error_setg(errp, "device core gave an unusable BAR%u (%p, %" PRIu64
                   " bytes)", bar, ptr, size);
        return false;
    }
    return true;
}

/* BAR0 as VGA memory: the VBE linear frame buffer is BAR0, as on qxl-vga. */
static bool qxlng_init_vga(QxlngState *s, Error **errp)
{
    VGACommonState *vga = &s->vga;
    const struct qxl_rom *rom = (void *)qxl_device_bar_ptr(s->core,
                                                           QXL_ROM_RANGE_INDEX);
    uint64_t ram_size = qxl_device_bar_size(s->core, QXL_RAM_RANGE_INDEX);
    Object *obj = OBJECT(s);

    vga->vram_size_mb = ram_size / MiB;
    vga->vbe_size = rom->surface0_area_size;
    if (!vga_common_init(vga, obj, errp)) {
        return false;
    }
    if (vga->vram_size != ram_size) {
        error_setg(errp, "ram_size_mb %u is out of VGA range",
                   s->ram_size_mb);
        return false;
    }
    /* Swap VGA's own memory for the core's BAR0 memory. */
    vmstate_unregister_ram(&vga->vram, DEVICE(s));
    object_unparent(OBJECT(&vga->vram));
    memory_region_init_ram_ptr(&vga->vram, obj, "qxlng.ram", ram_size,
                               qxl_device_bar_ptr(s->core,
                                                  QXL_RAM_RANGE_INDEX));
    vga->vram_ptr = qxl_device_bar_ptr(s->core, QXL_RAM_RANGE_INDEX);

    vga_init(vga, obj, pci_address_space(&s->pci),
             pci_address_space_io(&s->pci), false);
    portio_list_init(&s->vga_port_list, obj, qxlng_vga_portio_list, vga,
                     "vga");
    portio_list_set_flush_coalesced(&s->vga_port_list);
    portio_list_add(&s->vga_port_list, pci_address_space_io(&s->pci), 0x3b0);
    vga_dirty_log_start(vga);
    return true;
}

static void qxlng_init_bars(QxlngState *s)
{
    Object *obj = OBJECT(s);
    uint8_t *vram = qxl_device_bar_ptr(s->core, QXL_VRAM_RANGE_INDEX);
    uint8_t *vram64 = qxl_device_bar_ptr(s->core, QXL_VRAM64_RANGE_INDEX);
    uint64_t vram_size = qxl_device_bar_size(s->core, QXL_VRAM_RANGE_INDEX);
    uint64_t vram64_size = qxl_device_bar_size(s->core,
                                               QXL_VRAM64_RANGE_INDEX);

    if (!s->is_vga) {
        memory_region_init_ram_ptr(&s->vga.vram, obj, "qxlng.ram",
                                   qxl_device_bar_size(s->core,
                                                       QXL_RAM_RANGE_INDEX),
                                   qxl_device_bar_ptr(s->core,
                                                      QXL_RAM_RANGE_INDEX));
    }

    /* BAR1 is a window on the first bytes of BAR4 when both exist. */
    if (vram64 == vram && vram64_size > vram_size) {
        memory_region_init_ram_ptr(&s->vram_bar, obj, "qxlng.vram",
                                   vram64_size, vram64);
        memory_region_init_alias(&s->vram32_bar, obj, "qxlng.vram32",
                                 &s->vram_bar, 0, vram_size);
    } else {
        memory_region_init_ram_ptr(&s->vram32_bar, obj, "qxlng.vram32",
                                   vram_size, vram);
        if (vram64 && vram64_size) {
            memory_region_init_ram_ptr(&s->vram_bar, obj, "qxlng.vram",
                                       vram64_size, vram64);
        }
    }

    memory_region_init_ram_ptr(&s->rom_bar, obj, "qxlng.vrom",
                               qxl_device_bar_size(s->core,
                                                   QXL_ROM_RANGE_INDEX),
                               qxl_device_bar_ptr(s->core,
                                                  QXL_ROM_RANGE_INDEX));
    memory_region_set_readonly(&s->rom_bar, true);

    memory_region_init_io(&s->io_bar, obj, &qxlng_io_ops, s, "qxlng.ioports",
                          qxl_device_bar_size(s->core, QXL_IO_RANGE_INDEX));
    memory_region_set_flush_coalesced(&s->io_bar);

    pci_register_bar(&s->pci, QXL_IO_RANGE_INDEX, PCI_BASE_ADDRESS_SPACE_IO,
                     &s->io_bar);
    pci_register_bar(&s->pci, QXL_ROM_RANGE_INDEX,
                     PCI_BASE_ADDRESS_SPACE_MEMORY, &s->rom_bar);
    pci_register_bar(&s->pci, QXL_RAM_RANGE_INDEX,
                     PCI_BASE_ADDRESS_SPACE_MEMORY, &s->vga.vram);
    pci_register_bar(&s->pci, QXL_VRAM_RANGE_INDEX,
                     PCI_BASE_ADDRESS_SPACE_MEMORY, &s->vram32_bar);
    if (qxl_device_bar_flags(s->core, QXL_VRAM64_RANGE_INDEX) &
        QXL_BAR_FLAG_PRESENT) {
        pci_register_bar(&s->pci, QXL_VRAM64_RANGE_INDEX,
                         PCI_BASE_ADDRESS_SPACE_MEMORY |
                         PCI_BASE_ADDRESS_MEM_TYPE_64 |
                         PCI_BASE_ADDRESS_MEM_PREFETCH,
                         &s->vram_bar);
    }
}

static void qxlng_init_pci_ids(QxlngState *s)
{
    uint8_t *config = s->pci.config;
    struct qxl_pci_ids ids;

    qxl_device_pci_ids(s->core, &ids);
    pci_config_set_vendor_id(config, ids.vendor_id);
    pci_config_set_device_id(config, ids.device_id);
    pci_config_set_revision(config, ids.revision);
    pci_config_set_class(config, ids.class_code >> 8);
    pci_config_set_prog_interface(config, ids.class_code & 0xff);
    pci_set_word(config + PCI_SUBSYSTEM_VENDOR_ID, ids.subsystem_vendor_id);
    pci_set_word(config + PCI_SUBSYSTEM_ID, ids.subsystem_id);
    pci_set_byte(config + PCI_INTERRUPT_PIN, ids.interrupt_pin);
}

/* Undo realize: the display sink, the bottom half, the console. */
static void qxlng_teardown(QxlngState *s)
{
    qxlng_vmstate_unrealize(s);
    if (s->core) {
        qxl_device_set_sink(s->core, NULL, NULL);
    }
    if (s->bh) {
        qemu_bh_delete(s->bh);
        s->bh = NULL;
    }
    graphic_console_close(s->con);
}

/* With no spice=ID, the server of -spice if there is one. */
static bool qxlng_attach_default_spice(QxlngState *s, Error **errp)
{
    SpiceCoreObject *sc;

    if (s->spice) {
        return true;
    }
    sc = qxlng_spice_find(NULL, NULL);     /* none: no SPICE, no error */
    return !sc || object_property_set_link(OBJECT(s), "spice", OBJECT(sc),
                                           errp);
}

static void qxlng_realize(PCIDevice *dev, Error **errp)
{
    QxlngState *s = QXLNG_COMMON(dev);
    unsigned int bar;

    s->is_vga = object_dynamic_cast(OBJECT(dev), TYPE_QXLNG_VGA) != NULL;
    s->con = graphic_console_init(DEVICE(dev), 0, &qxlng_gfx_ops, s);
    s->vga.con = s->con;
    if (!qxlng_settle_sizes(s, errp) || !qxlng_attach_default_spice(s, errp) ||
        !qxlng_create_core(s, errp)) {
        goto fail;
    }
    for (bar = 0; bar < QXL_DEVICE_NUM_BARS; bar++) {
        uint32_t flags = qxl_device_bar_flags(s->core, bar);

        if ((flags & QXL_BAR_FLAG_PRESENT) && !(flags & QXL_BAR_FLAG_IO) &&
            !qxlng_check_bar(s, bar, errp)) {
            goto fail;
        }
    }
    if (s->is_vga && !qxlng_init_vga(s, errp)) {
        goto fail;
    }
    qxlng_init_bars(s);
    qxlng_init_pci_ids(s);

    s->bh = qemu_bh_new(qxlng_run_deferred, s);
    if (!qxlng_console_realize(s, errp)) {
        goto fail;
    }
    qxlng_vmstate_realize(s);
    qxlng_console_reset(s);
    return;

fail:
    qxlng_teardown(s);
}

static void qxlng_exit(PCIDevice *dev)
{
    QxlngState *s = QXLNG_COMMON(dev);

    qxlng_console_unrealize(s);
    qxlng_teardown(s);
}

/* The BAR memory belongs to the core: free it only with the device. */
static void qxlng_finalize(Object *obj)
{
    QxlngState *s = QXLNG_COMMON(obj);

    if (s->core) {
        qxl_device_free(s->core);
        s->core = NULL;
    }
    g_free(s->create_error);
}

static void qxlng_reset(DeviceState *dev)
{
    QxlngState *s = QXLNG_COMMON(dev);

    if (s->is_vga) {
        vga_common_reset(&s->vga);
    }
    qxl_device_reset(s->core);
    qxlng_sync_bars(s);
    qxlng_console_reset(s);
}

static Property qxlng_properties[] = {
    DEFINE_PROP_UINT32("ram_size", QxlngState, ram_size,
                       QXL_DEFAULT_RAM_SIZE),
    DEFINE_PROP_UINT64("vram_size", QxlngState, vram_size,
                       QXL_DEFAULT_VRAM_SIZE),
    DEFINE_PROP_UINT32("ram_size_mb", QxlngState, ram_size_mb, 0),
    DEFINE_PROP_UINT32("vram_size_mb", QxlngState, vram_size_mb, 0),
    DEFINE_PROP_UINT32("vram64_size_mb", QxlngState, vram64_size_mb, 0),
    DEFINE_PROP_UINT32("vgamem_mb", QxlngState, vgamem_mb,
                       QXL_DEFAULT_VGAMEM_SIZE / MiB),
    DEFINE_PROP_UINT32("revision", QxlngState, revision,
                       QXL_REVISION_DEFAULT),
    DEFINE_PROP_UINT32("max_outputs", QxlngState, max_outputs, 0),
    DEFINE_PROP_UINT32("surfaces", QxlngState, num_surfaces,
                       QXL_DEFAULT_N_SURFACES),
    DEFINE_PROP_UINT32("debug", QxlngState, debug, 0),
    DEFINE_PROP_LINK("spice", QxlngState, spice, TYPE_SPICE_CORE_OBJECT,
                     SpiceCoreObject *),
    DEFINE_PROP_END_OF_LIST(),
};

static void qxlng_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->vendor_id = QXL_PCI_VENDOR_ID;
    k->device_id = QXL_PCI_DEVICE_ID;
    k->realize = qxlng_realize;
    k->exit = qxlng_exit;
    k->config_write = qxlng_config_write;
    dc->reset = qxlng_reset;
    device_class_set_props(dc, qxlng_properties);
    set_bit(DEVICE_CATEGORY_DISPLAY, dc->categories);
}

static void qxlng_vga_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->class_id = PCI_CLASS_DISPLAY_VGA;
    k->romfile = "vgabios-qxl.bin";
    dc->vmsd = &vmstate_qxlng_vga;
    dc->desc = "qxl-ng VGA-compatible display (QXL ABI)";
    dc->hotpluggable = false;
}

static void qxlng_secondary_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->class_id = PCI_CLASS_DISPLAY_OTHER;
    dc->vmsd = &vmstate_qxlng;
    dc->desc = "qxl-ng secondary display head (QXL ABI)";
}

static const TypeInfo qxlng_common_info = {
    .name = TYPE_QXLNG_COMMON,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(QxlngState),
    .instance_finalize = qxlng_finalize,
    .abstract = true,
    .class_init = qxlng_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_CONVENTIONAL_PCI_DEVICE },
        { },
    },
};

static const TypeInfo qxlng_vga_info = {
    .name = TYPE_QXLNG_VGA,
    .parent = TYPE_QXLNG_COMMON,
    .class_init = qxlng_vga_class_init,
};

static const TypeInfo qxlng_info = {
    .name = TYPE_QXLNG,
    .parent = TYPE_QXLNG_COMMON,
    .class_init = qxlng_secondary_class_init,
};

/*
 * The names libvirt knows (<model type='qxl'>: qxl-vga for the primary
 * head, qxl for the others), as the same devices.  A QEMU built with its
 * own SPICE (CONFIG_SPICE) has its own qxl and qxl-vga: there the names
 * stay QEMU's and ours are only qxlng-vga and qxlng.
 */
#ifndef CONFIG_SPICE
static const TypeInfo qxlng_compat_vga_info = {
    .name = "qxl-vga",
    .parent = TYPE_QXLNG_VGA,
};

static const TypeInfo qxlng_compat_info = {
    .name = "qxl",
    .parent = TYPE_QXLNG,
};
#endif

static void qxlng_register_types(void)
{
    type_register_static(&qxlng_common_info);
    type_register_static(&qxlng_vga_info);
    type_register_static(&qxlng_info);
#ifndef CONFIG_SPICE
    type_register_static(&qxlng_compat_vga_info);
    type_register_static(&qxlng_compat_info);
#endif
}

type_init(qxlng_register_types)
