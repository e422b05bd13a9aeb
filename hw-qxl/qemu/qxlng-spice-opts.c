/*
 * qxl-ng QEMU glue: -spice and the SPICE monitor commands, on a spice-core
 * server, so management tools (libvirt) drive it as QEMU's own SPICE.
 *
 *   -spice port=N,tls-port=N,addr=A,x509-dir=DIR,disable-ticketing=on,
 *          password-secret=ID,image-compression=..,streaming-video=..,...
 *
 * creates one spice-core object, id "spice", before the devices; qxl-vga,
 * qxl, qxlng-vga and qxlng devices with no spice=ID attach to it, and when
 * none did, the first graphic console is served (vga + spice).  Options
 * spice-core has no use for (agent-mouse, the WAN
 * compressions, ...) are accepted and noted with -d unimp; options it cannot
 * honour (SASL, TLS channel selection, x509 file names) are
 * refused with a message saying so.  gl and rendernode are not listed, so
 * libvirt's probe reports no SPICE OpenGL and refuses <gl enable='yes'>.
 * With neither password-secret nor disable-ticketing nobody gets in until
 * QMP set_password, as with QEMU's SPICE (libvirt's way of passing a
 * password).
 *
 * QMP: query-spice; set_password / expire_password with protocol spice
 * (QEMU's monitor code calls qemu_spice.set_passwd / set_pw_expire).
 * The SPICE_CONNECTED / _INITIALIZED / _DISCONNECTED events and the
 * channels come from the spice-core object (spice-core-object.c).
 * add_client protocol=spice hands spice-core a connected client (with
 * port=0 and no unix, libvirt's <listen type='none'>, the only way in).
 * client_migrate_info and SPICE_MIGRATE_COMPLETED: spice-core-migrate.c.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include "qemu/config-file.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/option.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-ui.h"
#include "qom/object_interfaces.h"
#include "crypto/tlscredsx509.h"
#include "ui/console.h"
#include "ui/input.h"
#include "ui/qemu-spice-module.h"

#include "qxlng.h"

#define QXLNG_SPICE_ID "spice"
#define QXLNG_SPICE_TLS_ID "spice-tls-creds"

static QemuOptsList qxlng_spice_opts = {
    .name = "spice",
    .head = QTAILQ_HEAD_INITIALIZER(qxlng_spice_opts.head),
    .merge_lists = true,
    .desc = {
        { .name = "port", .type = QEMU_OPT_NUMBER },
        { .name = "tls-port", .type = QEMU_OPT_NUMBER },
        { .name = "addr", .type = QEMU_OPT_STRING },
        { .name = "ipv4", .type = QEMU_OPT_BOOL },
        { .name = "ipv6", .type = QEMU_OPT_BOOL },
        { .name = "unix", .type = QEMU_OPT_BOOL },
        { .name = "password-secret", .type = QEMU_OPT_STRING },
        { .name = "disable-ticketing", .type = QEMU_OPT_BOOL },
        { .name = "disable-copy-paste", .type = QEMU_OPT_BOOL },
        { .name = "disable-agent-file-xfer", .type = QEMU_OPT_BOOL },
        { .name = "sasl", .type = QEMU_OPT_BOOL },
        { .name = "x509-dir", .type = QEMU_OPT_STRING },
        { .name = "x509-key-file", .type = QEMU_OPT_STRING },
        { .name = "x509-key-password", .type = QEMU_OPT_STRING },
        { .name = "x509-cert-file", .type = QEMU_OPT_STRING },
        { .name = "x509-cacert-file", .type = QEMU_OPT_STRING },
        { .name = "x509-dh-key-file", .type = QEMU_OPT_STRING },
        { .name = "tls-ciphers", .type = QEMU_OPT_STRING },
        { .name = "tls-channel", .type = QEMU_OPT_STRING },
        { .name = "plaintext-channel", .type = QEMU_OPT_STRING },
        { .name = "image-compression", .type = QEMU_OPT_STRING },
        { .name = "jpeg-wan-compression", .type = QEMU_OPT_STRING },
        { .name = "zlib-glz-wan-compression", .type = QEMU_OPT_STRING },
        { .name = "streaming-video", .type = QEMU_OPT_STRING },
        { .name = "video-codecs", .type = QEMU_OPT_STRING },
        { .name = "agent-mouse", .type = QEMU_OPT_BOOL },
        { .name = "playback-compression", .type = QEMU_OPT_BOOL },
        { .name = "seamless-migration", .type = QEMU_OPT_BOOL },
        { /* end of list */ }
    },
};

/* Accepted, no effect on spice-core (it has no WAN modes, agent, GLZ). */
static const char *const qxlng_spice_ignored[] = {
    "ipv4", "ipv6", "disable-copy-paste", "disable-agent-file-xfer",
    "jpeg-wan-compression", "zlib-glz-wan-compression", "video-codecs",
    "agent-mouse", "playback-compression",
};

/* Refused when set (the on/off ones when on): what we cannot do yet. */
static const struct {
    const char *name;
    const char *why;
    bool is_bool;
} qxlng_spice_refused[] = {
    { "sasl", "SASL is not wired to -spice yet", true },
    { "x509-key-file", "give x509-dir (ca-cert.pem, server-cert.pem, "
      "server-key.pem)" },
    { "x509-key-password", "give x509-dir with an unencrypted key" },
    { "x509-cert-file", "give x509-dir" },
    { "x509-cacert-file", "give x509-dir" },
    { "x509-dh-key-file", "spice-core uses no DH parameter file" },
    { "tls-ciphers", "spice-core uses OpenSSL's default ciphers here" },
    { "tls-channel", "with tls-port every channel may use TLS" },
    { "plaintext-channel", "with tls-port every channel may use TLS" },
};

static SpiceCoreObject *qxlng_spice_server;
static char *qxlng_spice_password;      /* from set_password */
static time_t qxlng_spice_expires = TIME_MAX;

SpiceCoreObject *qxlng_spice_default(void)
{
    return qxlng_spice_server;
}

static bool qxlng_spice_check_opts(QemuOpts *opts, Error **errp)
{
    unsigned int i;
    const char *v;

    for (i = 0; i < ARRAY_SIZE(qxlng_spice_refused); i++) {
        const char *name = qxlng_spice_refused[i].name;

        v = qemu_opt_get(opts, name);
        /* on/off options (sasl) only when on; the others when set */
        if (v && (!qxlng_spice_refused[i].is_bool ||
                  qemu_opt_get_bool(opts, name, false))) {
            error_setg(errp, "-spice %s=%s is not supported by qxl-ng: %s",
                       name, v,
                       qxlng_spice_refused[i].why);
            return false;
        }
    }
    for (i = 0; i < ARRAY_SIZE(qxlng_spice_ignored); i++) {
        v = qemu_opt_get(opts, qxlng_spice_ignored[i]);
        if (v) {
            qemu_log_mask(LOG_UNIMP, "qxl-ng: -spice %s=%s has no effect\n",
                          qxlng_spice_ignored[i], v);
        }
    }
    return true;
}

/* A port option as spice-core's property: 0..65535. */
static bool qxlng_spice_port(QemuOpts *opts, const char *name, Object *obj,
                             Error **errp)
{
    const char *v = qemu_opt_get(opts, name);
    uint64_t port;

    if (!v) {
        return true;
    }
    port = qemu_opt_get_number(opts, name, 0);
    if (port > 65535) {
        error_setg(errp, "-spice %s=%s: expected 0..65535", name, v);
        return false;
    }
    return object_property_set_int(obj, name, port, errp);
}

static Object *qxlng_spice_tls_creds(const char *dir, Error **errp)
{
    return object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_X509,
                                 object_get_objects_root(),
                                 QXLNG_SPICE_TLS_ID, errp,
                                 "dir", dir, "endpoint", "server",
                                 "verify-peer", "off", NULL);
}

/* -spice unix=on: addr is the socket's path; no TCP port besides it. */
static bool qxlng_spice_unix(QemuOpts *opts, Object *obj, Error **errp)
{
    const char *path = qemu_opt_get(opts, "addr");

    if (!path || !*path) {
        error_setg(errp, "-spice unix=on needs addr=<socket path>");
        return false;
    }
    if (qemu_opt_get_number(opts, "port", 0) ||
        qemu_opt_get_number(opts, "tls-port", 0)) {
        error_setg(errp, "-spice unix=on listens on the socket addr names "
                   "only: drop port and tls-port");
        return false;
    }
    return object_property_set_str(obj, "unix-path", path, errp);
}

static Object *qxlng_spice_create(QemuOpts *opts, Error **errp)
{
    Object *obj = object_new(TYPE_SPICE_CORE_OBJECT);
    static const char *const copied[] = {
        "addr", "password-secret", "image-compression", "streaming-video",
    };
    const char *dir = qemu_opt_get(opts, "x509-dir");
    bool unix_socket = qemu_opt_get_bool(opts, "unix", false);
    unsigned int i;
    const char *v;

    /* libvirt's <listen type='socket'>: unix,addr=PATH and no port */
    if (unix_socket && !qxlng_spice_unix(opts, obj, errp)) {
        goto fail;
    }

    if (!qxlng_spice_port(opts, "port", obj, errp) ||
        !qxlng_spice_port(opts, "tls-port", obj, errp)) {
        goto fail;
    }
    for (i = 0; i < ARRAY_SIZE(copied); i++) {
        v = qemu_opt_get(opts, copied[i]);
        if (unix_socket && !strcmp(copied[i], "addr")) {
            continue;           /* the socket's path, set above */
        }
        if (v && !object_property_set_str(obj, copied[i], v, errp)) {
            error_prepend(errp, "-spice %s=%s: ", copied[i], v);
            goto fail;
        }
    }
    if (!object_property_set_bool(obj, "disable-ticketing",
                                  qemu_opt_get_bool(opts, "disable-ticketing",
                                                    false), errp) ||
        !object_property_set_bool(obj, "seamless-migration",
                                  qemu_opt_get_bool(opts, "seamless-migration",
                                                    false), errp)) {
        goto fail;
    }
    if (qemu_opt_get_number(opts, "tls-port", 0)) {
        if (!dir) {
            error_setg(errp, "-spice tls-port needs x509-dir");
            goto fail;
        }
        if (!qxlng_spice_tls_creds(dir, errp) ||
            !object_property_set_str(obj, "tls-creds", QXLNG_SPICE_TLS_ID,
                                     errp)) {
            goto fail;
        }
    }
    /*
     * Neither port nor tls-port nor unix (libvirt's <listen type='none'>,
     * port=0): no listener; clients come through QMP add_client.  libvirt
     * passes the password later, with set_password.
     */
    qxlng_spice_ticket_later(SPICE_CORE_OBJECT(obj));
    object_property_add_child(object_get_objects_root(), QXLNG_SPICE_ID, obj);
    if (!user_creatable_complete(USER_CREATABLE(obj), errp)) {
        object_unparent(obj);
        object_unref(obj);
        return NULL;
    }
    object_unref(obj);
    return obj;

fail:
    object_unref(obj);
    return NULL;
}

/* qemu_spice.init: after -object, before the devices. */
static void qxlng_spice_init(void)
{
    QemuOpts *opts = qemu_opts_find(qemu_find_opts("spice"), NULL);
    Error *err = NULL;
    Object *obj;

    if (!opts) {
        return;
    }
    obj = qxlng_spice_check_opts(opts, &err) ?
        qxlng_spice_create(opts, &err) : NULL;
    if (!obj) {
        error_report_err(err);
        exit(1);
    }
    qxlng_spice_server = SPICE_CORE_OBJECT(obj);
    using_spice = 1;
}

/* qemu_spice.display_init: after the devices. */
static void qxlng_spice_display_init(void)
{
    QemuConsole *con;
    Error *err = NULL;
    int i;

    if (qxlng_spice_n_displays(qxlng_spice_server)) {
        return;
    }
    for (i = 0; (con = qemu_console_lookup_by_index(i)); i++) {
        if (qemu_console_is_graphic(con)) {
            if (!qxlng_spice_attach(qxlng_spice_server, con, NULL, NULL,
                                    &err)) {
                error_report_err(err);
                exit(1);
            }
            return;
        }
    }
}

static int qxlng_spice_apply_ticket(void)
{
    SpiceCore *core = qxlng_spice_core(qxlng_spice_server);
    int64_t expires_at;

    if (qxlng_spice_expires == TIME_MAX) {
        expires_at = 0;                 /* never */
    } else if (qxlng_spice_expires <= 1) {
        expires_at = 1;                 /* long past: expired now */
    } else {
        expires_at = qxlng_spice_expires;
    }
    return spice_core_set_ticket(core, qxlng_spice_password ?
                                 qxlng_spice_password : "", expires_at);
}

static int qxlng_spice_set_passwd(const char *passwd, bool fail_if_connected,
                                  bool disconnect_if_connected)
{
    SpiceCore *core = qxlng_spice_core(qxlng_spice_server);
    char *old = qxlng_spice_password;

    if (!core) {
        return -1;
    }
    if (fail_if_connected && qxlng_spice_n_clients(qxlng_spice_server)) {
        return -1;
    }
    qxlng_spice_password = g_strdup(passwd ? passwd : "");
    if (qxlng_spice_apply_ticket() < 0) {
        /* too long: keep the old one */
        g_free(qxlng_spice_password);
        qxlng_spice_password = old;
        return -1;
    }
    g_free(old);
    if (disconnect_if_connected) {
        spice_core_disconnect_clients(core);
    }
    return 0;
}

static int qxlng_spice_set_pw_expire(time_t expires)
{
    if (!qxlng_spice_core(qxlng_spice_server)) {
        return -1;
    }
    qxlng_spice_expires = expires;
    return qxlng_spice_apply_ticket();
}

/* SPICE client migration: spice-core-migrate.c. */
static int qxlng_spice_migrate_info(const char *host, int port, int tls_port,
                                    const char *subject)
{
    return qxlng_spice_client_migrate_info(qxlng_spice_server, host, port,
                                           tls_port, subject);
}

SpiceInfo *qmp_query_spice(Error **errp)
{
    SpiceInfo *info = g_new0(SpiceInfo, 1);
    Object *obj;
    SpiceCore *core;
    int port, tls_port;

    if (!qxlng_spice_server || !qxlng_spice_core(qxlng_spice_server)) {
        info->enabled = false;
        return info;
    }
    obj = OBJECT(qxlng_spice_server);
    core = qxlng_spice_core(qxlng_spice_server);
    info->enabled = true;
    info->migrated = false;
    info->has_host = true;
    info->host = object_property_get_str(obj, "unix-path", NULL);
    if (!info->host || !*info->host) {
        g_free(info->host);
        info->host = object_property_get_str(obj, "addr", NULL);
    }
    port = spice_core_get_port(core);
    tls_port = spice_core_get_tls_port(core);
    if (port) {
        info->has_port = true;
        info->port = port;
    }
    if (tls_port) {
        info->has_tls_port = true;
        info->tls_port = tls_port;
    }
    info->has_auth = true;
    info->auth = g_strdup(object_property_get_bool(obj, "disable-ticketing",
                                                   NULL) ? "none" : "spice");
    info->has_compiled_version = true;
    info->compiled_version = g_strdup("qxl-ng spice-core");
    info->mouse_mode = qemu_input_is_absolute() ?
        SPICE_QUERY_MOUSE_MODE_CLIENT : SPICE_QUERY_MOUSE_MODE_SERVER;
    info->has_channels = true;
    info->channels = qxlng_spice_channels(qxlng_spice_server);
    return info;
}

/* QMP add_client protocol=spice: a client connected elsewhere. */
static int qxlng_spice_add_client(int fd, int skipauth, int tls)
{
    SpiceCore *core = qxlng_spice_core(qxlng_spice_server);
    GError *err = NULL;

    if (!core) {
        return -1;      /* the caller closes fd */
    }
    if (spice_core_add_client(core, fd, tls, skipauth, &err) < 0) {
        error_report("spice add_client: %s", err->message);
        g_clear_error(&err);
        return -1;      /* the caller closes fd */
    }
    return 0;
}

static void qxlng_spice_register(void)
{
    qemu_add_opts(&qxlng_spice_opts);
    qemu_spice.init = qxlng_spice_init;
    qemu_spice.display_init = qxlng_spice_display_init;
    qemu_spice.migrate_info = qxlng_spice_migrate_info;
    qemu_spice.set_passwd = qxlng_spice_set_passwd;
    qemu_spice.set_pw_expire = qxlng_spice_set_pw_expire;
    qemu_spice.display_add_client = qxlng_spice_add_client;
}

opts_init(qxlng_spice_register);
