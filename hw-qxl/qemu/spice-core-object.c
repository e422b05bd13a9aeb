/*
 * qxl-ng QEMU glue: the spice-core object.
 *
 *   -object spice-core,id=ID,addr=127.0.0.1,port=5900,tls-port=N,
 *           tls-creds=<tls-creds-x509 id>,password-secret=<secret id>,
 *           disable-ticketing=on|off,seamless-migration=on|off,web-root=DIR,
 *           image-compression=auto_glz|auto_lz|quic|glz|lz|lz4|off,
 *           streaming-video=off|all|filter,video-quality=1..100,
 *           unix-path=PATH
 *
 * A SPICE server (libspicecore) on QEMU's main loop.  Display devices attach
 * their console with qxlng_spice_attach() (the qxlng devices do so with
 * spice=ID), one display channel each, served from the console through a
 * DisplayChangeListener (a qxlng device in native mode feeds its channel
 * itself and switches that off); the clients' keys and mouse go into
 * QEMU's input layer, their monitor layout requests back to the device.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qapi/error.h"
#include "qapi/qapi-events-ui.h"
#include "qapi/visitor.h"
#include "qom/object_interfaces.h"
#include "sysemu/runstate.h"
#include "crypto/secret_common.h"
#include "crypto/tlscredsx509.h"
#include "sysemu/sysemu.h"
#include "ui/console.h"
#include "ui/input.h"
#include "ui/qemu-pixman.h"

#include "spice-core/spice-core.h"
#include "qxlng.h"

#define SPICE_CORE_MAX_DISPLAYS 16

struct QxlngSpiceDisplay {
    DisplayChangeListener dcl;
    SpiceCoreObject *owner;
    SpiceCoreDisplay *src;
    unsigned int channel_id;
    const QxlngSpiceDisplayOps *ops;
    void *opaque;
    DisplaySurface *surface;    /* the console's, followed or not */
    pixman_image_t *shadow;     /* 32-bit copy for formats SPICE lacks */
    bool follow;                /* the console feeds the source */
};

struct SpiceCoreObject {
    Object parent;

    /* properties */
    char *addr;
    int64_t port;
    int64_t tls_port;
    char *unix_path;            /* a unix socket for plain clients too */
    char *tls_creds;
    char *password_secret;
    bool disable_ticketing;
    bool seamless_migration;
    bool ticket_later;      /* no password yet: set over QMP (-spice) */
    char *web_root;
    unsigned int image_compression;     /* index in spice_core_compressions */
    unsigned int streaming_video;       /* index in spice_core_streaming */
    int64_t video_quality;

    /* state */
    SpiceCore *core;
    QxlngSpiceDisplay *displays[SPICE_CORE_MAX_DISPLAYS];
    Notifier mouse_mode_notifier;
    QEMUPutLEDEntry *led_entry;
    uint32_t buttons;
    unsigned int n_clients;
    GList *channels;        /* SpiceChannel *: the clients' live channels */
    QxlngRecordSink record_sink;        /* the audiodev's (NULL: none) */
    void *record_opaque;
};

/* Input: SPICE client -> QEMU --------------------------------------------- */

static void spice_core_obj_key(void *opaque, uint32_t scancode, bool down)
{
    /* QEMU's key numbers are XT codes with 0x80 for 0xE0-prefixed keys. */
    int num = (scancode & 0x7f) |
              ((scancode & SPICE_CORE_KEY_EXTENDED) ? 0x80 : 0);

    qemu_input_event_send_key_number(NULL, num, down);
    qemu_input_event_sync();
}

static void spice_core_obj_buttons(SpiceCoreObject *sc, QemuConsole *con,
                                   int32_t dz, uint32_t buttons)
{
    static uint32_t bmap[INPUT_BUTTON__MAX] = {
        [INPUT_BUTTON_LEFT] = SPICE_CORE_BUTTON_LEFT,
        [INPUT_BUTTON_MIDDLE] = SPICE_CORE_BUTTON_MIDDLE,
        [INPUT_BUTTON_RIGHT] = SPICE_CORE_BUTTON_RIGHT,
        [INPUT_BUTTON_SIDE] = SPICE_CORE_BUTTON_SIDE,
        [INPUT_BUTTON_EXTRA] = SPICE_CORE_BUTTON_EXTRA,
    };
    uint32_t mask = SPICE_CORE_BUTTON_WHEEL_UP | SPICE_CORE_BUTTON_WHEEL_DOWN;

    buttons &= ~mask;
    if (dz) {
        InputButton wheel = dz < 0 ? INPUT_BUTTON_WHEEL_UP
                                   : INPUT_BUTTON_WHEEL_DOWN;

        qemu_input_queue_btn(con, wheel, true);
        qemu_input_event_sync();
        qemu_input_queue_btn(con, wheel, false);
    }
    if (buttons != sc->buttons) {
        qemu_input_update_buttons(con, bmap, sc->buttons, buttons);
        sc->buttons = buttons;
    }
}

static void spice_core_obj_mouse_rel(void *opaque, int32_t dx, int32_t dy,
                                     int32_t dz, uint32_t buttons)
{
    SpiceCoreObject *sc = opaque;

    qemu_input_queue_rel(NULL, INPUT_AXIS_X, dx);
    qemu_input_queue_rel(NULL, INPUT_AXIS_Y, dy);
    spice_core_obj_buttons(sc, NULL, dz, buttons);
    qemu_input_event_sync();
}

static void spice_core_obj_mouse_abs(void *opaque, uint32_t display_id,
                                     int32_t x, int32_t y, int32_t dz,
                                     uint32_t buttons)
{
    SpiceCoreObject *sc = opaque;
    QxlngSpiceDisplay *d = display_id < SPICE_CORE_MAX_DISPLAYS ?
                           sc->displays[display_id] : NULL;
    QemuConsole *con = d ? d->dcl.con : NULL;
    DisplaySurface *surface = con ? qemu_console_surface(con) : NULL;

    if (!surface) {
        return;
    }
    qemu_input_queue_abs(con, INPUT_AXIS_X, x, 0, surface_width(surface));
    qemu_input_queue_abs(con, INPUT_AXIS_Y, y, 0, surface_height(surface));
    spice_core_obj_buttons(sc, con, dz, buttons);
    qemu_input_event_sync();
}

static bool spice_core_obj_monitors_request(void *opaque, uint32_t display_id,
                                            const struct spice_core_head *heads,
                                            unsigned int n)
{
    SpiceCoreObject *sc = opaque;
    QxlngSpiceDisplay *d = display_id < SPICE_CORE_MAX_DISPLAYS ?
                           sc->displays[display_id] : NULL;
    QxlngHead h[SPICE_CORE_MAX_DISPLAYS];

    if (!d || !d->ops || !d->ops->monitors_request) {
        return false;
    }
    n = QXLNG_COPY_HEADS(h, heads, n);
    return n && d->ops->monitors_request(d->opaque, h, n);
}

static void spice_core_obj_clients_changed(void *opaque, unsigned int n)
{
    SpiceCoreObject *sc = opaque;

    sc->n_clients = n;
}

/* QMP: the SPICE_* events, as QEMU's SPICE sends them ------------------ */

static void spice_core_obj_server_info(SpiceCoreObject *sc, bool tls,
                                       bool unix_socket, SpiceBasicInfo *out)
{
    if (unix_socket) {
        out->host = g_strdup(sc->unix_path ? sc->unix_path : "");
        out->port = g_strdup("");
        out->family = NETWORK_ADDRESS_FAMILY_UNIX;
        return;
    }
    out->host = g_strdup(sc->addr);
    out->port = g_strdup_printf("%d", tls ? spice_core_get_tls_port(sc->core)
                                          : spice_core_get_port(sc->core));
    out->family = strchr(sc->addr, ':') ? NETWORK_ADDRESS_FAMILY_IPV6
                                        : NETWORK_ADDRESS_FAMILY_IPV4;
}

static SpiceChannel *spice_core_obj_channel(
    const struct spice_core_channel_info *info)
{
    SpiceChannel *ch = g_new0(SpiceChannel, 1);

    ch->host = g_strdup(info->host);
    ch->port = g_strdup(info->port);
    ch->family = info->unix_socket ? NETWORK_ADDRESS_FAMILY_UNIX :
                 info->ipv6 ? NETWORK_ADDRESS_FAMILY_IPV6
                            : NETWORK_ADDRESS_FAMILY_IPV4;
    ch->connection_id = info->connection_id;
    ch->channel_type = info->channel_type;
    ch->channel_id = info->channel_id;
    ch->tls = info->tls;
    return ch;
}

static bool spice_core_obj_same_channel(const SpiceChannel *a,
                                        const SpiceChannel *b)
{
    return a->connection_id == b->connection_id &&
           a->channel_type == b->channel_type &&
           a->channel_id == b->channel_id;
}

/*
 * spice-core tells a channel once it is linked and authenticated: that is
 * SPICE_CONNECTED and SPICE_INITIALIZED at once (QEMU's SPICE sends the
 * first at the TCP connect); SPICE_DISCONNECTED when it goes.
 */
static void spice_core_obj_channel_event(
    void *opaque, const struct spice_core_channel_info *info, bool up)
{
    SpiceCoreObject *sc = opaque;
    g_autoptr(SpiceChannel) ch = spice_core_obj_channel(info);
    g_autoptr(SpiceServerInfo) server = g_new0(SpiceServerInfo, 1);
    g_autoptr(SpiceBasicInfo) client = g_new0(SpiceBasicInfo, 1);
    GList *it;

    spice_core_obj_server_info(sc, info->tls, info->unix_socket,
                               qapi_SpiceServerInfo_base(server));
    server->has_auth = true;
    server->auth = g_strdup(sc->disable_ticketing ? "none" : "spice");
    client->host = g_strdup(ch->host);
    client->port = g_strdup(ch->port);
    client->family = ch->family;
    for (it = sc->channels; it; it = it->next) {
        if (spice_core_obj_same_channel(it->data, ch)) {
            qapi_free_SpiceChannel(it->data);
            sc->channels = g_list_delete_link(sc->channels, it);
            break;
        }
    }
    if (up) {
        qapi_event_send_spice_connected(qapi_SpiceServerInfo_base(server),
                                        client);
        qapi_event_send_spice_initialized(server, ch);
        sc->channels = g_list_append(sc->channels,
                                     spice_core_obj_channel(info));
    } else {
        qapi_event_send_spice_disconnected(qapi_SpiceServerInfo_base(server),
                                           client);
    }
}

SpiceChannelList *qxlng_spice_channels(SpiceCoreObject *sc)
{
    SpiceChannelList *head = NULL, **tail = &head;
    GList *it;

    for (it = sc->channels; it; it = it->next) {
        const SpiceChannel *ch = it->data;
        SpiceChannel *copy = g_memdup2(ch, sizeof(*ch));

        copy->host = g_strdup(ch->host);
        copy->port = g_strdup(ch->port);
        QAPI_LIST_APPEND(tail, copy);
    }
    return head;
}

static void spice_core_obj_record_data(void *opaque, uint32_t client,
                                       const void *pcm, size_t bytes)
{
    SpiceCoreObject *sc = opaque;

    if (sc->record_sink) {
        sc->record_sink(sc->record_opaque, pcm, bytes);
    }
}

/* Seamless client migration: the clients' channels wait while the
 * incoming migration loads the devices (the displays show the guest's
 * picture once it has). */
static bool spice_core_obj_migration_loading(void *opaque)
{
    return runstate_check(RUN_STATE_INMIGRATE);
}

static const struct spice_core_ops spice_core_obj_ops = {
    .channel_event = spice_core_obj_channel_event,
    .clients_changed = spice_core_obj_clients_changed,
    .key = spice_core_obj_key,
    .mouse_rel = spice_core_obj_mouse_rel,
    .mouse_abs = spice_core_obj_mouse_abs,
    .monitors_request = spice_core_obj_monitors_request,
    .record_data = spice_core_obj_record_data,
    .migration_loading = spice_core_obj_migration_loading,
};

/* Channels beyond the display ------------------------------------------- */

SpiceCoreObject *qxlng_spice_find(const char *id, Error **errp)
{
    Object *obj;
    SpiceCoreObject *sc;

    if (!id || !*id) {
        sc = qxlng_spice_default();
        if (!sc) {
            error_setg(errp, "no spice-core object to use: start QEMU with "
                       "-spice, or create one with -object spice-core and "
                       "name it with spice=ID");
        }
        return sc;
    }
    obj = object_resolve_path_component(object_get_objects_root(), id);
    sc = obj ? (SpiceCoreObject *)
        object_dynamic_cast(obj, TYPE_SPICE_CORE_OBJECT) : NULL;
    if (!sc || !sc->core) {
        error_setg(errp, "no spice-core object with id '%s'", id);
        return NULL;
    }
    return sc;
}

void qxlng_spice_set_record_sink(SpiceCoreObject *sc, QxlngRecordSink sink,
                                 void *opaque)
{
    sc->record_sink = sink;
    sc->record_opaque = opaque;
}

/* Client mode needs an absolute pointing device (e.g. usb-tablet). */
static void spice_core_obj_mouse_mode(Notifier *notifier, void *data)
{
    SpiceCoreObject *sc = container_of(notifier, SpiceCoreObject,
                                       mouse_mode_notifier);

    if (sc->core) {
        spice_core_set_mouse_absolute(sc->core, qemu_input_is_absolute());
    }
}

static void spice_core_obj_leds(void *opaque, int ledstate)
{
    SpiceCoreObject *sc = opaque;
    uint32_t leds = 0;

    if (ledstate & QEMU_SCROLL_LOCK_LED) {
        leds |= SPICE_CORE_LED_SCROLL_LOCK;
    }
    if (ledstate & QEMU_NUM_LOCK_LED) {
        leds |= SPICE_CORE_LED_NUM_LOCK;
    }
    if (ledstate & QEMU_CAPS_LOCK_LED) {
        leds |= SPICE_CORE_LED_CAPS_LOCK;
    }
    spice_core_set_key_leds(sc->core, leds);
}

/* Display: QEMU console -> SPICE display channel ------------------------ */

static bool spice_core_obj_format(pixman_format_code_t format,
                                  uint32_t *out)
{
    switch (format) {
    case PIXMAN_x8r8g8b8:
    case PIXMAN_a8r8g8b8:
        *out = SPICE_CORE_FMT_32_xRGB;
        return true;
    case PIXMAN_r5g6b5:
        *out = SPICE_CORE_FMT_16_565;
        return true;
    case PIXMAN_x1r5g5b5:
        *out = SPICE_CORE_FMT_16_555;
        return true;
    default:
        return false;
    }
}

static void spice_core_dpy_refresh(DisplayChangeListener *dcl)
{
    graphic_hw_update(dcl->con);
}

static void spice_core_dpy_update(DisplayChangeListener *dcl,
                                  int x, int y, int w, int h)
{
    QxlngSpiceDisplay *d = container_of(dcl, QxlngSpiceDisplay, dcl);

    if (!d->follow || !d->surface || w <= 0 || h <= 0) {
        return;
    }
    if (d->shadow) {
        pixman_image_composite(PIXMAN_OP_SRC, d->surface->image, NULL,
                               d->shadow, x, y, 0, 0, x, y, w, h);
    }
    spice_core_display_damage(d->src, x, y, w, h);
}

/* Serve the console's surface d->surface (replacing what was served). */
static void spice_core_dpy_serve(QxlngSpiceDisplay *d)
{
    DisplaySurface *surface = d->surface;
    pixman_image_t *old = d->shadow;
    uint32_t format;
    int w, h;

    d->shadow = NULL;
    if (!surface) {
        spice_core_display_clear_primary(d->src);
    } else if (spice_core_obj_format(surface_format(surface), &format)) {
        spice_core_display_set_primary(d->src, surface_data(surface),
                                       surface_width(surface),
                                       surface_height(surface),
                                       surface_stride(surface), format);
    } else {
        /* 8-bit and 24-bit VGA modes: serve a 32-bit copy. */
        w = surface_width(surface);
        h = surface_height(surface);
        d->shadow = pixman_image_create_bits(PIXMAN_x8r8g8b8, w, h, NULL, 0);
        pixman_image_composite(PIXMAN_OP_SRC, surface->image, NULL,
                               d->shadow, 0, 0, 0, 0, 0, 0, w, h);
        spice_core_display_set_primary(d->src,
                                       pixman_image_get_data(d->shadow), w, h,
                                       pixman_image_get_stride(d->shadow),
                                       SPICE_CORE_FMT_32_xRGB);
    }
    /* The source no longer reads the old copy. */
    if (old) {
        qemu_pixman_image_unref(old);
    }
}

static void spice_core_dpy_switch(DisplayChangeListener *dcl,
                                  DisplaySurface *surface)
{
    QxlngSpiceDisplay *d = container_of(dcl, QxlngSpiceDisplay, dcl);

    d->surface = surface;
    if (d->follow) {
        spice_core_dpy_serve(d);
    }
}

static bool spice_core_dpy_check_format(DisplayChangeListener *dcl,
                                        pixman_format_code_t format)
{
    return true;    /* anything else is served from a 32-bit copy */
}

static void spice_core_dpy_mouse_set(DisplayChangeListener *dcl,
                                     int x, int y, int on)
{
    QxlngSpiceDisplay *d = container_of(dcl, QxlngSpiceDisplay, dcl);

    if (!d->follow) {
        return;
    }
    if (on) {
        spice_core_display_cursor_move(d->src, x, y);
    } else {
        spice_core_display_cursor_hide(d->src);
    }
}

static void spice_core_dpy_cursor_define(DisplayChangeListener *dcl,
                                         QEMUCursor *c)
{
    QxlngSpiceDisplay *d = container_of(dcl, QxlngSpiceDisplay, dcl);

    if (d->follow && c->width > 0 && c->height > 0 &&
        c->width <= UINT16_MAX && c->height <= UINT16_MAX) {
        spice_core_display_cursor_set(d->src, c->data, c->width, c->height,
                                      c->hot_x, c->hot_y);
    }
}

static const DisplayChangeListenerOps spice_core_dcl_ops = {
    .dpy_name = "spice-core",
    .dpy_refresh = spice_core_dpy_refresh,
    .dpy_gfx_update = spice_core_dpy_update,
    .dpy_gfx_switch = spice_core_dpy_switch,
    .dpy_gfx_check_format = spice_core_dpy_check_format,
    .dpy_mouse_set = spice_core_dpy_mouse_set,
    .dpy_cursor_define = spice_core_dpy_cursor_define,
};

bool qxlng_spice_device_info(QxlngSpiceDisplay *d, QemuConsole *con,
                             uint32_t first_id, uint32_t n, Error **errp)
{
    char address[SPICE_CORE_DEVICE_ADDRESS_MAX] = "";

    if (!object_property_get_link(OBJECT(con), "device", NULL)) {
        error_setg(errp, "spice-core: the console has no device");
        return false;
    }
    if (!qemu_console_fill_device_address(con, address, sizeof(address),
                                          errp)) {
        return false;
    }
    if (spice_core_display_set_device_info(d->src, address, first_id, n)) {
        error_setg(errp, "spice-core: device info for %s with %u heads "
                   "(at most %d)", address, n, SPICE_CORE_MAX_HEADS);
        return false;
    }
    return true;
}

QxlngSpiceDisplay *qxlng_spice_attach(SpiceCoreObject *sc, QemuConsole *con,
                                      const QxlngSpiceDisplayOps *ops,
                                      void *opaque, Error **errp)
{
    QxlngSpiceDisplay *d;
    unsigned int id;

    if (!sc->core) {
        error_setg(errp, "spice-core object is not running");
        return NULL;
    }
    for (id = 0; id < SPICE_CORE_MAX_DISPLAYS && sc->displays[id]; id++) {
        /* find the first free channel id */
    }
    if (id == SPICE_CORE_MAX_DISPLAYS) {
        error_setg(errp, "spice-core: all %d display channels are in use",
                   SPICE_CORE_MAX_DISPLAYS);
        return NULL;
    }
    d = g_new0(QxlngSpiceDisplay, 1);
    d->src = spice_core_display_add(sc->core, id);
    if (!d->src) {
        error_setg(errp, "spice-core: cannot add display channel %u", id);
        g_free(d);
        return NULL;
    }
    d->owner = sc;
    d->channel_id = id;
    d->ops = ops;
    d->opaque = opaque;
    d->dcl.ops = &spice_core_dcl_ops;
    d->dcl.con = con;
    d->follow = true;
    sc->displays[id] = d;
    register_displaychangelistener(&d->dcl);
    /*
     * As QEMU's spice-display does for a console: its head of its device
     * (a non-PCI device has no address to tell; the device may say more,
     * as the qxlng devices do).
     */
    qxlng_spice_device_info(d, con, qemu_console_get_head(con), 1, NULL);
    return d;
}

void qxlng_spice_detach(QxlngSpiceDisplay *d)
{
    unregister_displaychangelistener(&d->dcl);
    spice_core_display_remove(d->src);
    d->owner->displays[d->channel_id] = NULL;
    if (d->shadow) {
        qemu_pixman_image_unref(d->shadow);
    }
    g_free(d);
}

SpiceCoreDisplay *qxlng_spice_source(QxlngSpiceDisplay *d)
{
    return d->src;
}

void qxlng_spice_follow_console(QxlngSpiceDisplay *d, bool follow)
{
    if (d->follow == follow) {
        return;
    }
    d->follow = follow;
    if (follow) {
        spice_core_dpy_serve(d);
    }
}

SpiceCore *qxlng_spice_core(SpiceCoreObject *sc)
{
    return sc->core;
}

unsigned int qxlng_spice_n_clients(SpiceCoreObject *sc)
{
    return sc->n_clients;
}

unsigned int qxlng_spice_n_displays(SpiceCoreObject *sc)
{
    unsigned int i, n = 0;

    for (i = 0; i < SPICE_CORE_MAX_DISPLAYS; i++) {
        n += sc->displays[i] != NULL;
    }
    return n;
}

void qxlng_spice_ticket_later(SpiceCoreObject *sc)
{
    sc->ticket_later = true;
}

/* Object ---------------------------------------------------------------- */

/* x509 files and key password from a tls-creds-x509 object. */
static bool spice_core_obj_tls(SpiceCoreObject *sc,
                               struct spice_core_config *cfg,
                               char **dir, char **key_password, Error **errp)
{
    Object *creds;
    g_autofree char *passwordid = NULL;

    creds = object_resolve_path_component(object_get_objects_root(),
                                          sc->tls_creds);
    if (!creds) {
        error_setg(errp, "spice-core: no TLS credentials with id '%s'",
                   sc->tls_creds);
        return false;
    }
    if (!object_dynamic_cast(creds, TYPE_QCRYPTO_TLS_CREDS_X509)) {
        error_setg(errp, "spice-core: object '%s' is not a %s",
                   sc->tls_creds, TYPE_QCRYPTO_TLS_CREDS_X509);
        return false;
    }
    *dir = object_property_get_str(creds, "dir", errp);
    if (!*dir) {
        return false;
    }
    passwordid = object_property_get_str(creds, "passwordid", NULL);
    if (passwordid && *passwordid) {
        *key_password = qcrypto_secret_lookup_as_utf8(passwordid, errp);
        if (!*key_password) {
            return false;
        }
    }
    cfg->x509_dir = *dir;
    cfg->x509_key_password = *key_password;
    return true;
}

/*
 * -spice's spellings.  spice-core has no GLZ (LZ with a dictionary shared
 * between images): glz is LZ, auto_glz and auto_lz are its content-based
 * choice (QUIC for photo-like areas, LZ4 or LZ for the rest).
 */
static const struct {
    const char *name;
    enum spice_core_compression value;
} spice_core_compressions[] = {
    { "auto_glz", SPICE_CORE_COMPRESSION_AUTO },
    { "auto_lz", SPICE_CORE_COMPRESSION_AUTO },
    { "quic", SPICE_CORE_COMPRESSION_QUIC },
    { "glz", SPICE_CORE_COMPRESSION_LZ },
    { "lz", SPICE_CORE_COMPRESSION_LZ },
    { "lz4", SPICE_CORE_COMPRESSION_LZ4 },
    { "off", SPICE_CORE_COMPRESSION_OFF },
};

/*
 * spice-core streams only areas updated at a video's rate, so filter and
 * all both turn that on.
 */
static const struct {
    const char *name;
    bool on;
} spice_core_streaming[] = {
    { "off", false },
    { "all", true },
    { "filter", true },
};

static void spice_core_obj_complete(UserCreatable *uc, Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(uc);
    struct spice_core_config cfg = { 0 };
    g_autofree char *dir = NULL;
    g_autofree char *key_password = NULL;
    g_autofree char *password = NULL;
    GError *err = NULL;

    if (sc->port < 0 || sc->port > 65535 ||
        sc->tls_port < 0 || sc->tls_port > 65535) {
        error_setg(errp, "spice-core: port and tls-port must be 0..65535");
        return;
    }
    /* -spice port=0 (ticket_later): QMP add_client is the way in */
    if (!sc->port && !sc->tls_port && !sc->unix_path && !sc->ticket_later) {
        error_setg(errp, "spice-core: set port, tls-port or unix-path");
        return;
    }
    if (sc->tls_port && !sc->tls_creds) {
        error_setg(errp, "spice-core: tls-port needs tls-creds");
        return;
    }
    if (!sc->disable_ticketing && !sc->password_secret && !sc->ticket_later) {
        error_setg(errp, "spice-core: set password-secret, or "
                   "disable-ticketing=on to let anyone connect");
        return;
    }
    if (sc->password_secret) {
        password = qcrypto_secret_lookup_as_utf8(sc->password_secret, errp);
        if (!password) {
            return;
        }
    }

    cfg.context = g_main_context_default();  /* QEMU's main loop */
    cfg.addr = sc->addr;
    cfg.port = sc->port;
    cfg.tls_port = sc->tls_port;
    cfg.unix_path = sc->unix_path;
    if (sc->tls_creds && !spice_core_obj_tls(sc, &cfg, &dir, &key_password,
                                             errp)) {
        return;
    }
    cfg.disable_ticketing = sc->disable_ticketing;
    cfg.seamless_migration = sc->seamless_migration;
    cfg.web_root = sc->web_root;
    cfg.image_compression =
        spice_core_compressions[sc->image_compression].value;
    cfg.video_streaming = spice_core_streaming[sc->streaming_video].on;
    cfg.video_quality = sc->video_quality;
    cfg.name = qemu_get_vm_name();
    cfg.uuid = qemu_uuid_set ? qemu_uuid.data : NULL;
    cfg.ops = &spice_core_obj_ops;
    cfg.opaque = sc;

    sc->core = spice_core_new(&cfg, &err);
    if (!sc->core) {
        error_setg(errp, "spice-core: %s", err ? err->message : "failed");
        g_clear_error(&err);
        return;
    }
    if (password && spice_core_set_ticket(sc->core, password, 0) < 0) {
        error_setg(errp, "spice-core: password is too long (max 60 bytes)");
        spice_core_free(sc->core);
        sc->core = NULL;
        return;
    }
    sc->mouse_mode_notifier.notify = spice_core_obj_mouse_mode;
    qemu_add_mouse_mode_change_notifier(&sc->mouse_mode_notifier);
    spice_core_set_mouse_absolute(sc->core, qemu_input_is_absolute());
    sc->led_entry = qemu_add_led_event_handler(spice_core_obj_leds, sc);
}

static bool spice_core_obj_can_be_deleted(UserCreatable *uc)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(uc);
    unsigned int i;

    for (i = 0; i < SPICE_CORE_MAX_DISPLAYS; i++) {
        if (sc->displays[i]) {
            return false;
        }
    }
    return true;
}

static void spice_core_obj_finalize(Object *obj)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);

    if (sc->core) {
        qemu_remove_mouse_mode_change_notifier(&sc->mouse_mode_notifier);
        qemu_remove_led_event_handler(sc->led_entry);
        spice_core_free(sc->core);
    }
    g_list_free_full(sc->channels, (GDestroyNotify)qapi_free_SpiceChannel);
    g_free(sc->addr);
    g_free(sc->unix_path);
    g_free(sc->tls_creds);
    g_free(sc->password_secret);
    g_free(sc->web_root);
}

static void spice_core_obj_init(Object *obj)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);

    sc->addr = g_strdup("127.0.0.1");
    sc->video_quality = 80;
}

/* Properties: set before complete only. */
static bool spice_core_obj_settable(SpiceCoreObject *sc, Error **errp)
{
    if (sc->core) {
        error_setg(errp, "spice-core: properties are fixed once running");
        return false;
    }
    return true;
}

#define SPICE_CORE_STR_PROP(field)                                          \
static char *spice_core_obj_get_##field(Object *obj, Error **errp)          \
{                                                                           \
    return g_strdup(SPICE_CORE_OBJECT(obj)->field);                         \
}                                                                           \
static void spice_core_obj_set_##field(Object *obj, const char *v,          \
                                       Error **errp)                        \
{                                                                           \
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);                           \
    if (spice_core_obj_settable(sc, errp)) {                                \
        g_free(sc->field);                                                  \
        sc->field = g_strdup(v);                                            \
    }                                                                       \
}

SPICE_CORE_STR_PROP(addr)
SPICE_CORE_STR_PROP(unix_path)
SPICE_CORE_STR_PROP(tls_creds)
SPICE_CORE_STR_PROP(password_secret)
SPICE_CORE_STR_PROP(web_root)

static void spice_core_obj_get_port(Object *obj, Visitor *v, const char *name,
                                void *opaque, Error **errp)
{
    int64_t *field = opaque;

    visit_type_int(v, name, field, errp);
}

static void spice_core_obj_set_port(Object *obj, Visitor *v, const char *name,
                                void *opaque, Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);
    int64_t *field = opaque;
    int64_t value;

    if (!spice_core_obj_settable(sc, errp) ||
        !visit_type_int(v, name, &value, errp)) {
        return;
    }
    if (value < 0 || value > 65535) {
        error_setg(errp, "spice-core: %s must be 0..65535", name);
        return;
    }
    *field = value;
}

static bool spice_core_obj_get_seamless_migration(Object *obj, Error **errp)
{
    return SPICE_CORE_OBJECT(obj)->seamless_migration;
}

static void spice_core_obj_set_seamless_migration(Object *obj, bool value,
                                                  Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);

    if (spice_core_obj_settable(sc, errp)) {
        sc->seamless_migration = value;
    }
}

static bool spice_core_obj_get_disable_ticketing(Object *obj, Error **errp)
{
    return SPICE_CORE_OBJECT(obj)->disable_ticketing;
}

static void spice_core_obj_set_disable_ticketing(Object *obj, bool value,
                                             Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);

    if (spice_core_obj_settable(sc, errp)) {
        sc->disable_ticketing = value;
    }
}

static char *spice_core_obj_get_image_compression(Object *obj, Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);

    return g_strdup(spice_core_compressions[sc->image_compression].name);
}

static void spice_core_obj_set_image_compression(Object *obj, const char *v,
                                                 Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);
    unsigned int i;

    if (!spice_core_obj_settable(sc, errp)) {
        return;
    }
    for (i = 0; i < ARRAY_SIZE(spice_core_compressions); i++) {
        if (!strcmp(v, spice_core_compressions[i].name)) {
            sc->image_compression = i;
            return;
        }
    }
    error_setg(errp, "spice-core: image-compression '%s' is not one of "
               "auto_glz, auto_lz, quic, glz, lz, lz4, off", v);
}

static char *spice_core_obj_get_streaming_video(Object *obj, Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);

    return g_strdup(spice_core_streaming[sc->streaming_video].name);
}

static void spice_core_obj_set_streaming_video(Object *obj, const char *v,
                                               Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);
    unsigned int i;

    if (!spice_core_obj_settable(sc, errp)) {
        return;
    }
    for (i = 0; i < ARRAY_SIZE(spice_core_streaming); i++) {
        if (!strcmp(v, spice_core_streaming[i].name)) {
            sc->streaming_video = i;
            return;
        }
    }
    error_setg(errp, "spice-core: streaming-video '%s' is not one of "
               "off, all, filter", v);
}

static void spice_core_obj_get_video_quality(Object *obj, Visitor *v,
                                             const char *name, void *opaque,
                                             Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);

    visit_type_int(v, name, &sc->video_quality, errp);
}

static void spice_core_obj_set_video_quality(Object *obj, Visitor *v,
                                             const char *name, void *opaque,
                                             Error **errp)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);
    int64_t value;

    if (!spice_core_obj_settable(sc, errp) ||
        !visit_type_int(v, name, &value, errp)) {
        return;
    }
    if (value < 1 || value > 100) {
        error_setg(errp, "spice-core: video-quality must be 1..100");
        return;
    }
    sc->video_quality = value;
}

static void spice_core_obj_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = spice_core_obj_complete;
    ucc->can_be_deleted = spice_core_obj_can_be_deleted;

    object_class_property_add_str(oc, "addr", spice_core_obj_get_addr,
                                  spice_core_obj_set_addr);
    object_class_property_set_description(oc, "addr",
        "listen address (default 127.0.0.1)");
    object_class_property_add_str(oc, "unix-path",
                                  spice_core_obj_get_unix_path,
                                  spice_core_obj_set_unix_path);
    object_class_property_set_description(oc, "unix-path",
        "also listen on this unix socket, for plain clients (default none)");
    object_class_property_add_str(oc, "tls-creds", spice_core_obj_get_tls_creds,
                                  spice_core_obj_set_tls_creds);
    object_class_property_set_description(oc, "tls-creds",
        "id of a tls-creds-x509 object (endpoint=server) for tls-port");
    object_class_property_add_str(oc, "password-secret",
                                  spice_core_obj_get_password_secret,
                                  spice_core_obj_set_password_secret);
    object_class_property_set_description(oc, "password-secret",
        "id of a secret object holding the client password");
    object_class_property_add_bool(oc, "disable-ticketing",
                                   spice_core_obj_get_disable_ticketing,
                                   spice_core_obj_set_disable_ticketing);
    object_class_property_set_description(oc, "disable-ticketing",
        "on: clients need no password");
    object_class_property_add_bool(oc, "seamless-migration",
                                   spice_core_obj_get_seamless_migration,
                                   spice_core_obj_set_seamless_migration);
    object_class_property_set_description(oc, "seamless-migration",
        "on: clients that can follow a migration seamlessly");
    object_class_property_add_str(oc, "web-root", spice_core_obj_get_web_root,
                                  spice_core_obj_set_web_root);
    object_class_property_set_description(oc, "web-root",
        "serve the files under this directory over HTTP on the ports "
        "(e.g. /usr/share/spice-html5); WebSocket clients are always "
        "welcome");
    object_class_property_add_str(oc, "image-compression",
                                  spice_core_obj_get_image_compression,
                                  spice_core_obj_set_image_compression);
    object_class_property_set_description(oc, "image-compression",
        "auto_glz (default), auto_lz, quic, glz, lz, lz4 or off; "
        "auto_glz and auto_lz choose by content, glz is lz");
    object_class_property_add_str(oc, "streaming-video",
                                  spice_core_obj_get_streaming_video,
                                  spice_core_obj_set_streaming_video);
    object_class_property_set_description(oc, "streaming-video",
        "off (default), all or filter: MJPEG streams for areas updated "
        "at a video's rate (all and filter are the same)");
    object_class_property_add(oc, "video-quality", "int",
                              spice_core_obj_get_video_quality,
                              spice_core_obj_set_video_quality, NULL, NULL);
    object_class_property_set_description(oc, "video-quality",
        "JPEG quality of video streams, 1..100 (default 80)");
}

/* Port properties point at their field, so they are per instance. */
static void spice_core_obj_instance_props(Object *obj)
{
    SpiceCoreObject *sc = SPICE_CORE_OBJECT(obj);

    spice_core_obj_init(obj);
    object_property_add(obj, "port", "int", spice_core_obj_get_port,
                        spice_core_obj_set_port, NULL, &sc->port);
    object_property_set_description(obj, "port",
        "plain TCP port (0: none)");
    object_property_add(obj, "tls-port", "int", spice_core_obj_get_port,
                        spice_core_obj_set_port, NULL, &sc->tls_port);
    object_property_set_description(obj, "tls-port",
        "TLS port (0: none); needs tls-creds");
}

static const TypeInfo spice_core_obj_info = {
    .name = TYPE_SPICE_CORE_OBJECT,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(SpiceCoreObject),
    .instance_init = spice_core_obj_instance_props,
    .instance_finalize = spice_core_obj_finalize,
    .class_init = spice_core_obj_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    },
};

static void spice_core_obj_register_types(void)
{
    type_register_static(&spice_core_obj_info);
}

type_init(spice_core_obj_register_types)
