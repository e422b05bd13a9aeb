/*
 * qxl-ng QEMU glue: the spice-core chardev backend (the guest agent).
 *
 *   -chardev spice-core,id=vdagent,name=vdagent,spice=sc0
 *   -device virtio-serial-pci
 *   -device virtserialport,chardev=vdagent,name=com.redhat.spice.0
 *
 * The guest's spice-vdagent writes the VDI chunk stream into the port;
 * while the guest has the port open, spice-core object sc0 passes it
 * through to a client instead of emulating an agent
 * (spice_core_agent_*, Documentation/channels.rst).  Flow control both
 * ways: guest bytes spice-core does not take yet throttle the port (a
 * watch fires when spice-core calls read_ready); bytes for the guest go
 * as far as the port takes them, the rest when the port asks for input
 * again (chr_accept_input -> spice_core_agent_wakeup).
 *
 * Other names (usbredir, a port's FQDN) are pass-through channels:
 * spice-core-vmc.c.
 *
 * The -chardev options name= and spice= are not in QAPI's ChardevBackend
 * (scripts/qemu/patch-channels only lets -chardev accept them): parse()
 * keeps them by chardev id until open() picks them up.  Without spice=
 * the object -spice created serves the channel.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "qemu/option.h"
#include "qapi/error.h"
#include "chardev/char.h"

#include "qxlng.h"
#include "spice-core-vmc.h"

#define TYPE_CHARDEV_SPICE_CORE "chardev-spice-core"
OBJECT_DECLARE_SIMPLE_TYPE(SpiceCoreChardev, CHARDEV_SPICE_CORE)

struct SpiceCoreChardev {
    Chardev parent;
    SpiceCoreObject *sc;
    SpiceCore *core;
    bool agent_open;    /* the guest has the port open */
    bool blocked;       /* spice-core refused guest bytes */
    QxlngVmc *vmc;      /* a pass-through channel, not the agent */
};

typedef struct ScChrOpts {
    char *name;
    char *spice;
} ScChrOpts;

static GHashTable *sc_chr_opts;     /* chardev id -> ScChrOpts */

static void sc_chr_opts_free(gpointer p)
{
    ScChrOpts *o = p;

    g_free(o->name);
    g_free(o->spice);
    g_free(o);
}

/* spice-core -> guest ------------------------------------------------------ */

static size_t sc_chr_agent_write(void *opaque, const void *data, size_t n)
{
    Chardev *chr = opaque;
    int room = qemu_chr_be_can_write(chr);
    size_t take = MIN(n, room > 0 ? (size_t)room : 0);

    if (take) {
        qemu_chr_be_write(chr, (uint8_t *)data, take);
    }
    return take;
}

static void sc_chr_read_ready(void *opaque)
{
    SpiceCoreChardev *s = CHARDEV_SPICE_CORE(opaque);

    s->blocked = false;     /* the port's watch fires on the next turn */
}

static const struct spice_core_agent_ops sc_chr_agent_ops = {
    .write = sc_chr_agent_write,
    .read_ready = sc_chr_read_ready,
};

static void sc_chr_accept_input(Chardev *chr)
{
    SpiceCoreChardev *s = CHARDEV_SPICE_CORE(chr);

    if (s->vmc) {
        qxlng_vmc_accept_input(s->vmc);
    } else if (s->agent_open) {
        spice_core_agent_wakeup(s->core);
    }
}

/* guest -> spice-core ------------------------------------------------------ */

static int sc_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    SpiceCoreChardev *s = CHARDEV_SPICE_CORE(chr);
    size_t took;

    if (s->vmc) {
        return qxlng_vmc_write(s->vmc, buf, len);
    }
    if (!s->agent_open || len <= 0) {
        return len;             /* nobody to read it: dropped */
    }
    took = spice_core_agent_read(s->core, buf, len);
    if (took < (size_t)len) {
        s->blocked = true;
    }
    return (int)took;
}

typedef struct ScChrWatch {
    GSource source;
    SpiceCoreChardev *s;
} ScChrWatch;

static gboolean sc_chr_watch_prepare(GSource *source, gint *timeout)
{
    *timeout = -1;
    return !((ScChrWatch *)source)->s->blocked;
}

static gboolean sc_chr_watch_check(GSource *source)
{
    return !((ScChrWatch *)source)->s->blocked;
}

static gboolean sc_chr_watch_dispatch(GSource *source, GSourceFunc cb,
                                      gpointer data)
{
    return cb ? ((GIOFunc)cb)(NULL, G_IO_OUT, data) : G_SOURCE_REMOVE;
}

static GSourceFuncs sc_chr_watch_funcs = {
    .prepare = sc_chr_watch_prepare,
    .check = sc_chr_watch_check,
    .dispatch = sc_chr_watch_dispatch,
};

static GSource *sc_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    ScChrWatch *w = (ScChrWatch *)g_source_new(&sc_chr_watch_funcs,
                                               sizeof(ScChrWatch));

    w->s = CHARDEV_SPICE_CORE(chr);
    return &w->source;
}

/* the port opening and closing --------------------------------------------- */

static void sc_chr_set_fe_open(Chardev *chr, int fe_open)
{
    SpiceCoreChardev *s = CHARDEV_SPICE_CORE(chr);

    if (s->vmc) {
        qxlng_vmc_set_fe_open(s->vmc, fe_open);
        return;
    }
    if (fe_open && !s->agent_open) {
        int r = spice_core_agent_open(s->core, &sc_chr_agent_ops, chr);

        if (r < 0) {
            warn_report("chardev %s: another agent is open on that "
                        "spice-core object (%d); ignoring this one",
                        chr->label, r);
            return;
        }
        s->agent_open = true;
        s->blocked = false;
    } else if (!fe_open && s->agent_open) {
        s->agent_open = false;
        s->blocked = false;
        spice_core_agent_close(s->core);
    }
}

static void sc_chr_parse(QemuOpts *opts, ChardevBackend *backend,
                         Error **errp)
{
    const char *id = qemu_opts_id(opts);
    ScChrOpts *o;
    ChardevCommon *common;

    if (!id) {
        error_setg(errp, "chardev spice-core: needs an id");
        return;
    }
    o = g_new0(ScChrOpts, 1);
    o->name = g_strdup(qemu_opt_get(opts, "name"));
    o->spice = g_strdup(qemu_opt_get(opts, "spice"));
    if (!sc_chr_opts) {
        sc_chr_opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            sc_chr_opts_free);
    }
    g_hash_table_replace(sc_chr_opts, g_strdup(id), o);
    common = g_new0(ChardevCommon, 1);
    qemu_chr_parse_common(opts, common);
    backend->type = CHARDEV_BACKEND_KIND_NULL;
    backend->u.null.data = common;
}

static void sc_chr_open(Chardev *chr, ChardevBackend *backend,
                        bool *be_opened, Error **errp)
{
    SpiceCoreChardev *s = CHARDEV_SPICE_CORE(chr);
    ScChrOpts *o = sc_chr_opts ? g_hash_table_lookup(sc_chr_opts,
                                                     chr->label) : NULL;

    if (!o) {
        error_setg(errp, "chardev spice-core: set name=vdagent");
        return;
    }
    s->sc = qxlng_spice_find(o->spice, errp);
    if (!s->sc) {
        return;
    }
    s->core = qxlng_spice_core(s->sc);
    if (g_strcmp0(o->name, "vdagent")) {
        /* open only while a client has the channel */
        s->vmc = qxlng_vmc_new(chr, s->core, o->name ? o->name : "",
                               &s->blocked, errp);
        *be_opened = false;
        return;
    }
    *be_opened = true;
}

/* spicevmc and spiceport (spice-core-spicevmc.c) open the same way. */
void qxlng_spice_chardev_open(Chardev *chr, const char *name,
                              const char *spice, bool *be_opened,
                              Error **errp)
{
    ScChrOpts *o = g_new0(ScChrOpts, 1);

    o->name = g_strdup(name);
    o->spice = g_strdup(spice);
    if (!sc_chr_opts) {
        sc_chr_opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            sc_chr_opts_free);
    }
    g_hash_table_replace(sc_chr_opts, g_strdup(chr->label), o);
    sc_chr_open(chr, NULL, be_opened, errp);
}

static void sc_chr_finalize(Object *obj)
{
    SpiceCoreChardev *s = CHARDEV_SPICE_CORE(obj);

    qxlng_vmc_free(s->vmc);
    s->vmc = NULL;
    if (s->agent_open) {
        s->agent_open = false;
        spice_core_agent_close(s->core);
    }
}

static void sc_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->parse = sc_chr_parse;
    cc->open = sc_chr_open;
    cc->chr_write = sc_chr_write;
    cc->chr_add_watch = sc_chr_add_watch;
    cc->chr_accept_input = sc_chr_accept_input;
    cc->chr_set_fe_open = sc_chr_set_fe_open;
}

static const TypeInfo sc_chr_info = {
    .name = TYPE_CHARDEV_SPICE_CORE,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(SpiceCoreChardev),
    .instance_finalize = sc_chr_finalize,
    .class_init = sc_chr_class_init,
};

static void sc_chr_register(void)
{
    type_register_static(&sc_chr_info);
}

type_init(sc_chr_register)
