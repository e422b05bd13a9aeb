/*
 * qxl-ng QEMU glue: the device's display, on a QemuConsole and on SPICE.
 *
 * In native mode the console's surface wraps the QXL primary in BAR0 (no
 * copy) and the core's damage becomes dpy_gfx_update(); otherwise the
 * qxlng-vga device shows legacy VGA through VGACommonState.  Screendump
 * and VNC see the console.
 *
 * With spice=ID the device's display sink is the display-sink adapter
 * (hw-qxl/spice/qxl_spice.h), the one the tests and spice-serve --qxl run
 * too: in native mode it feeds the SPICE display channel straight from
 * the device (primary, damage, cursor, the guest's monitors config) and
 * passes every call on to the console sink below.  In VGA mode (BIOS,
 * boot text: QEMU's VGA code draws them) the channel follows the console
 * instead, through the spice-core object's DisplayChangeListener.  A mode
 * change hands the channel over: device -> adapter -> channel, or
 * console -> channel, never both.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "ui/console.h"

#include "hw-qxl/spice/qxl_spice.h"
#include "qxlng-dev.h"

static bool qxlng_pixman_format(uint32_t format, pixman_format_code_t *out)
{
    switch (format) {
    case QXL_SURFACE_FMT_32_xRGB:
    case QXL_SURFACE_FMT_32_ARGB:   /* a scanout has no alpha */
        *out = PIXMAN_x8r8g8b8;
        return true;
    case QXL_SURFACE_FMT_16_565:
        *out = PIXMAN_r5g6b5;
        return true;
    case QXL_SURFACE_FMT_16_555:
        *out = PIXMAN_x1r5g5b5;
        return true;
    default:
        return false;
    }
}

static bool qxlng_vga_active(QxlngState *s)
{
    return s->is_vga && !s->native;
}

/*
 * Put on the console what the device shows now.  The console frees the
 * surface it replaces, so the primary gets a fresh wrapper each time.
 */
static void qxlng_console_show(QxlngState *s)
{
    pixman_format_code_t format;

    if (s->native && s->have_primary &&
        qxlng_pixman_format(s->primary.format, &format)) {
        dpy_gfx_replace_surface(s->con,
            qemu_create_displaysurface_from(s->primary.width,
                                            s->primary.height, format,
                                            s->primary.stride,
                                            s->primary.data));
    } else if (qxlng_vga_active(s)) {
        /* VGA recreates its surface on the next update. */
        s->vga.hw_ops->invalidate(&s->vga);
        graphic_hw_update(s->con);
    } else {
        dpy_gfx_replace_surface(s->con, NULL);
    }
}

/* debug=3 traces what the console is told. */
#define QXLNG_TRACE(s, fmt, ...)                                           \
    do {                                                                    \
        if ((s)->debug >= QXL_LOG_DEBUG) {                                  \
            qemu_log("%s: " fmt "\n", object_get_typename(OBJECT(s)),      \
                     ## __VA_ARGS__);                                       \
        }                                                                   \
    } while (0)

/*
 * Who feeds the SPICE channel: the adapter in native mode, the console
 * otherwise.  Entering native mode the adapter takes the channel over
 * before the console lets go of it; leaving it, the adapter withdraws
 * (clears a primary it still served) before the console is served again.
 * So the channel never serves memory QEMU or the device freed.
 */
static void qxlng_spice_source_switch(QxlngState *s)
{
    if (!s->spice_sink) {
        return;
    }
    if (s->native) {
        qxl_spice_set_active(s->spice_sink, true);
        qxlng_spice_follow_console(s->spice_display, false);
    } else {
        qxl_spice_set_active(s->spice_sink, false);
        qxlng_spice_follow_console(s->spice_display, true);
    }
}

void qxlng_console_mode_changed(QxlngState *s, bool native)
{
    QXLNG_TRACE(s, "mode %s", native ? "native" : "vga");
    if (s->native == native) {
        return;
    }
    s->native = native;
    qxlng_spice_source_switch(s);
    qxlng_console_show(s);
}

void qxlng_console_reset(QxlngState *s)
{
    s->native = qxl_device_in_native_mode(s->core);
    s->have_primary = qxl_device_get_primary(s->core, &s->primary);
    qxlng_spice_source_switch(s);
    qxlng_console_show(s);
}

/*
 * A load replaced the core's state under the adapter and the console:
 * the adapter withdraws what it served, then both serve the loaded state.
 */
void qxlng_console_reload(QxlngState *s)
{
    if (s->spice_sink) {
        qxl_spice_set_active(s->spice_sink, false);
    }
    qxlng_console_reset(s);
}

/* GraphicHwOps ----------------------------------------------------------- */

static void qxlng_gfx_update(void *opaque)
{
    QxlngState *s = opaque;

    /* Native mode pushes its damage as it happens. */
    if (qxlng_vga_active(s)) {
        s->vga.hw_ops->gfx_update(&s->vga);
    }
}

static void qxlng_gfx_invalidate(void *opaque)
{
    QxlngState *s = opaque;

    if (qxlng_vga_active(s)) {
        s->vga.hw_ops->invalidate(&s->vga);
    } else {
        dpy_gfx_update_full(s->con);
    }
}

static void qxlng_text_update(void *opaque, console_ch_t *chardata)
{
    QxlngState *s = opaque;

    if (qxlng_vga_active(s) && s->vga.hw_ops->text_update) {
        s->vga.hw_ops->text_update(&s->vga, chardata);
    }
}

static bool qxlng_request_heads(QxlngState *s, const QxlngHead *heads,
                                unsigned int n)
{
    struct qxl_client_head ch[QXL_CLIENT_MONITORS_MAX];

    n = QXLNG_COPY_HEADS(ch, heads, n);
    if (n && qxl_device_client_monitors_config(s->core, n, ch)) {
        return true;
    }
    if (n && s->debug) {
        qemu_log("%s: guest not ready for a monitors config\n",
                 object_get_typename(OBJECT(s)));
    }
    return false;
}

/* A QEMU UI (e.g. a resized GTK window) asks for a new size. */
static void qxlng_ui_info(void *opaque, uint32_t head, QemuUIInfo *info)
{
    QxlngState *s = opaque;
    QxlngHead h = {
        .x = info->xoff, .y = info->yoff,
        .width = info->width, .height = info->height,
    };

    if (head == 0 && h.width && h.height) {
        qxlng_request_heads(s, &h, 1);
    }
}

const GraphicHwOps qxlng_gfx_ops = {
    .invalidate = qxlng_gfx_invalidate,
    .gfx_update = qxlng_gfx_update,
    .text_update = qxlng_text_update,
    .ui_info = qxlng_ui_info,
};

/* Display sink ------------------------------------------------------------ */

static void qxlng_primary_create(void *opaque,
                                 const struct qxl_primary_info *info)
{
    QxlngState *s = opaque;
    pixman_format_code_t format;

    QXLNG_TRACE(s, "primary %ux%u stride %u format %u", info->width,
                info->height, info->stride, info->format);
    if (!qxlng_pixman_format(info->format, &format)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: primary format %u not shown\n",
                      object_get_typename(OBJECT(s)), info->format);
    }
    s->primary = *info;
    s->have_primary = true;
    qxlng_console_show(s);
}

static void qxlng_primary_destroy(void *opaque)
{
    QxlngState *s = opaque;

    QXLNG_TRACE(s, "primary destroyed");
    s->have_primary = false;
    qxlng_console_show(s);
}

static void qxlng_damage(void *opaque, int x, int y, int w, int h)
{
    QxlngState *s = opaque;

    if (s->native && s->have_primary) {
        dpy_gfx_update(s->con, x, y, w, h);
    }
}

static void qxlng_cursor_set(void *opaque,
                             const struct qxl_cursor_shape *shape,
                             int x, int y, bool visible)
{
    QxlngState *s = opaque;
    QEMUCursor *c;

    if (shape->width && shape->height && shape->argb) {
        c = cursor_alloc(shape->width, shape->height);
        c->hot_x = shape->hot_x;
        c->hot_y = shape->hot_y;
        memcpy(c->data, shape->argb,
               (size_t)shape->width * shape->height * sizeof(uint32_t));
        dpy_cursor_define(s->con, c);
        cursor_put(c);
    }
    dpy_mouse_set(s->con, x, y, visible);
}

static void qxlng_cursor_move(void *opaque, int x, int y)
{
    QxlngState *s = opaque;

    dpy_mouse_set(s->con, x, y, 1);
}

static void qxlng_cursor_hide(void *opaque)
{
    QxlngState *s = opaque;

    dpy_mouse_set(s->con, 0, 0, 0);
}

/* The console sink: behind the SPICE adapter when there is one. */
static const struct qxl_display_sink qxlng_console_sink = {
    .primary_create = qxlng_primary_create,
    .primary_destroy = qxlng_primary_destroy,
    .damage = qxlng_damage,
    .cursor_set = qxlng_cursor_set,
    .cursor_move = qxlng_cursor_move,
    .cursor_hide = qxlng_cursor_hide,
};

/* spice-core ----------------------------------------------------------- */

static bool qxlng_spice_monitors_request(void *opaque, const QxlngHead *heads,
                                         unsigned int n)
{
    return qxlng_request_heads(opaque, heads, n);
}

static const QxlngSpiceDisplayOps qxlng_spice_ops = {
    .monitors_request = qxlng_spice_monitors_request,
};

/*
 * The device's display sink: the console's, or with spice=ID the SPICE
 * adapter chained to it.  qxlng_console_reset() then decides who feeds
 * the channel.
 */
bool qxlng_console_realize(QxlngState *s, Error **errp)
{
    Error *err = NULL;

    if (!s->spice) {
        qxl_device_set_sink(s->core, &qxlng_console_sink, s);
        return true;
    }
    s->spice_display = qxlng_spice_attach(s->spice, s->con, &qxlng_spice_ops,
                                          s, errp);
    if (!s->spice_display) {
        return false;
    }
    /* As QEMU's qxl: heads 0..max_outputs-1 (none when max_outputs is 0) */
    if (!qxlng_spice_device_info(s->spice_display, s->con, 0, s->max_outputs,
                                 &err)) {
        error_report_err(err);
    }
    s->spice_sink = qxl_spice_new(qxlng_spice_source(s->spice_display));
    if (!s->spice_sink) {
        error_setg(errp, "cannot create the SPICE display sink");
        qxlng_console_unrealize(s);
        return false;
    }
    qxl_spice_set_active(s->spice_sink, false);
    qxl_spice_chain(s->spice_sink, &qxlng_console_sink, s);
    qxl_spice_attach(s->spice_sink, s->core);
    return true;
}

void qxlng_console_unrealize(QxlngState *s)
{
    if (s->spice_sink) {
        qxl_spice_free(s->spice_sink);     /* withdraws, detaches */
        s->spice_sink = NULL;
    }
    if (s->spice_display) {
        qxlng_spice_detach(s->spice_display);
        s->spice_display = NULL;
    }
}
