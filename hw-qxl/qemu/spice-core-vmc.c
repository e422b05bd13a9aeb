/*
 * qxl-ng QEMU glue: pass-through channels of the spice-core chardev.
 *
 *   -chardev spice-core,id=r0,name=usbredir,spice=sc0
 *   -device usb-redir,chardev=r0
 *
 *   -chardev spice-core,id=p0,name=org.example.port0,spice=sc0
 *   -device virtserialport,chardev=p0,name=org.example.port0
 *
 *   -chardev spice-core,id=ccid,name=smartcard,spice=sc0
 *   -device usb-ccid -device ccid-card-passthru,chardev=ccid
 *
 * The chardev's bytes become a spice-core channel of their own
 * (spice_core_vmc_*): usbredir, smartcard (spice-core reads the VSC
 * messages ccid-card-passthru writes, and takes them all), webdav for
 * org.spice-space.webdav.0, port for any other name with a dot.  As
 * QEMU's spicevmc/spiceport backends do, the backend is open (CHR_EVENT_OPENED) only while a client has the
 * channel, so usb-redir sees a client leaving as a disconnect; a port's
 * frontend opening or closing is the port state the client is told, and
 * a client's port event BREAK is CHR_EVENT_BREAK.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"

#include "spice-core-vmc.h"

struct QxlngVmc {
    Chardev *chr;
    SpiceCoreVmc *vmc;
    bool *blocked;
};

/* spice-core -> guest ------------------------------------------------------ */

static size_t qxlng_vmc_to_guest(void *opaque, const void *data, size_t n)
{
    QxlngVmc *v = opaque;
    int room;
    size_t take;

    if (!v->chr->be_open) {
        return 0;
    }
    room = qemu_chr_be_can_write(v->chr);
    take = MIN(n, room > 0 ? (size_t)room : 0);
    if (take) {
        qemu_chr_be_write(v->chr, (uint8_t *)data, take);
    }
    return take;
}

static void qxlng_vmc_read_ready(void *opaque)
{
    QxlngVmc *v = opaque;

    *v->blocked = false;    /* the write watch fires on the next turn */
}

static void qxlng_vmc_client(void *opaque, bool connected)
{
    QxlngVmc *v = opaque;

    if (v->chr->be_open == connected) {
        return;
    }
    qemu_chr_be_event(v->chr, connected ? CHR_EVENT_OPENED
                                        : CHR_EVENT_CLOSED);
}

static void qxlng_vmc_event(void *opaque, uint8_t event)
{
    QxlngVmc *v = opaque;

    if (event == SPICE_CORE_PORT_EVENT_BREAK) {
        qemu_chr_be_event(v->chr, CHR_EVENT_BREAK);
    }
}

static const struct spice_core_vmc_ops qxlng_vmc_ops = {
    .write = qxlng_vmc_to_guest,
    .read_ready = qxlng_vmc_read_ready,
    .client = qxlng_vmc_client,
    .event = qxlng_vmc_event,
};

/* guest -> spice-core ------------------------------------------------------ */

int qxlng_vmc_write(QxlngVmc *v, const uint8_t *buf, int len)
{
    size_t took;

    if (len <= 0) {
        return 0;
    }
    took = spice_core_vmc_read(v->vmc, buf, len);
    if (took < (size_t)len) {
        *v->blocked = true;
    }
    return (int)took;
}

void qxlng_vmc_accept_input(QxlngVmc *v)
{
    spice_core_vmc_wakeup(v->vmc);
}

void qxlng_vmc_set_fe_open(QxlngVmc *v, int fe_open)
{
    spice_core_vmc_port_opened(v->vmc, fe_open);
}

/* life ---------------------------------------------------------------------- */

QxlngVmc *qxlng_vmc_new(Chardev *chr, SpiceCore *core, const char *name,
                        bool *blocked, Error **errp)
{
    QxlngVmc *v = g_new0(QxlngVmc, 1);
    const char *why = "refused";
    uint8_t type, id;

    v->chr = chr;
    v->blocked = blocked;
    v->vmc = spice_core_vmc_add(core, name, &qxlng_vmc_ops, v, &why);
    if (!v->vmc) {
        error_setg(errp, "chardev spice-core: name=%s: %s (names: vdagent, "
                   "usbredir, smartcard, or a port name with a dot)",
                   name, why);
        g_free(v);
        return NULL;
    }
    spice_core_vmc_channel(v->vmc, &type, &id);
    info_report("chardev %s: SPICE channel type %u id %u (%s)",
                chr->label, type, id, name);
    return v;
}

void qxlng_vmc_free(QxlngVmc *v)
{
    if (v) {
        spice_core_vmc_remove(v->vmc);
        g_free(v);
    }
}
