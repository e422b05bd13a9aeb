/*
 * qxl-ng QEMU glue: QEMU's SPICE chardev names, served by spice-core.
 *
 *   -spice port=5930,...
 *   -chardev spicevmc,id=charchannel0,name=vdagent
 *   -chardev spicevmc,id=charredir0,name=usbredir
 *   -chardev spiceport,id=charchannel1,name=org.spice-space.webdav.0
 *
 * These are the forms libvirt writes for <channel type='spicevmc'>,
 * <redirdev type='spicevmc'> and <channel type='spiceport'> (also through
 * QMP chardev-add, whose ChardevSpiceChannel / ChardevSpicePort
 * scripts/qemu/patch-channels enables in our build).  Both types are
 * chardev-spice-core with QEMU's option names: the channel is served by
 * the spice-core object -spice created, and opened by the spice-core
 * backend's own open (qxlng_spice_chardev_open), so a channel name it does
 * not serve fails there, with its message.  spicevmc's name is one of the
 * three QEMU's SPICE knows; spiceport's is the port's FQDN and goes to
 * spice-core as the channel name.  spice= is refused on both by
 * chardev/char.c (patch-channels): QEMU's forms have no way to name
 * another object.  A QEMU built with its own SPICE (CONFIG_SPICE) keeps
 * its spicevmc and spiceport.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "qemu/option.h"
#include "qapi/error.h"
#include "qapi/qapi-types-char.h"
#include "chardev/char.h"

#include "qxlng.h"

#define TYPE_CHARDEV_SPICEVMC  "chardev-spicevmc"
#define TYPE_CHARDEV_SPICEPORT "chardev-spiceport"

/* The spicevmc names QEMU's SPICE accepts (spice-server's subtypes). */
static const char *const sc_vmc_names[] = {
    "vdagent", "usbredir", "smartcard",
};

static bool sc_vmc_name_known(const char *name)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(sc_vmc_names); i++) {
        if (!strcmp(name, sc_vmc_names[i])) {
            return true;
        }
    }
    return false;
}

/* QEMU's forms name no object: the one -spice created, or a clear no. */
static bool sc_vmc_have_spice(const char *type, Error **errp)
{
    if (!qxlng_spice_find(NULL, NULL)) {
        error_setg(errp, "chardev %s: needs -spice (a channel of another "
                   "spice-core object: -chardev spice-core,spice=ID)", type);
        return false;
    }
    return true;
}

static void sc_vmc_parse(QemuOpts *opts, ChardevBackend *backend,
                         Error **errp)
{
    const char *name = qemu_opt_get(opts, "name");
    ChardevSpiceChannel *vmc;

    if (!name || !*name) {
        error_setg(errp, "chardev spicevmc: set name= (vdagent, usbredir "
                   "or smartcard)");
        return;
    }
    vmc = g_new0(ChardevSpiceChannel, 1);
    qemu_chr_parse_common(opts, qapi_ChardevSpiceChannel_base(vmc));
    vmc->type = g_strdup(name);
    backend->type = CHARDEV_BACKEND_KIND_SPICEVMC;
    backend->u.spicevmc.data = vmc;
}

static void sc_vmc_open(Chardev *chr, ChardevBackend *backend,
                        bool *be_opened, Error **errp)
{
    const char *name = backend->u.spicevmc.data->type;

    if (!sc_vmc_have_spice("spicevmc", errp)) {
        return;
    }
    if (!sc_vmc_name_known(name)) {
        error_setg(errp, "chardev spicevmc: unknown channel name '%s' "
                   "(vdagent, usbredir or smartcard)", name);
        return;
    }
    qxlng_spice_chardev_open(chr, name, NULL, be_opened, errp);
}

static void sc_port_parse(QemuOpts *opts, ChardevBackend *backend,
                          Error **errp)
{
    const char *name = qemu_opt_get(opts, "name");
    ChardevSpicePort *port;

    if (!name || !*name) {
        error_setg(errp, "chardev spiceport: set name= (the port's FQDN, "
                   "e.g. org.spice-space.webdav.0)");
        return;
    }
    port = g_new0(ChardevSpicePort, 1);
    qemu_chr_parse_common(opts, qapi_ChardevSpicePort_base(port));
    port->fqdn = g_strdup(name);
    backend->type = CHARDEV_BACKEND_KIND_SPICEPORT;
    backend->u.spiceport.data = port;
}

static void sc_port_open(Chardev *chr, ChardevBackend *backend,
                         bool *be_opened, Error **errp)
{
    if (!sc_vmc_have_spice("spiceport", errp)) {
        return;
    }
    qxlng_spice_chardev_open(chr, backend->u.spiceport.data->fqdn, NULL,
                             be_opened, errp);
}

static void sc_vmc_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->parse = sc_vmc_parse;
    cc->open = sc_vmc_open;
}

static void sc_port_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->parse = sc_port_parse;
    cc->open = sc_port_open;
}

static const TypeInfo sc_vmc_types[] = {
    {
        .name = TYPE_CHARDEV_SPICEVMC,
        .parent = TYPE_CHARDEV_SPICE_CORE,
        .class_init = sc_vmc_class_init,
    }, {
        .name = TYPE_CHARDEV_SPICEPORT,
        .parent = TYPE_CHARDEV_SPICE_CORE,
        .class_init = sc_port_class_init,
    },
};

#ifndef CONFIG_SPICE
DEFINE_TYPES(sc_vmc_types)
#endif
