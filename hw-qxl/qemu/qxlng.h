/*
 * qxl-ng QEMU glue: declarations shared by the device and the spice-core
 * object.
 *
 * The device (qxlng-pci.c) wraps the emulator-agnostic hw-qxl core; the
 * spice-core object (spice-core-object.c) serves QEMU consoles to SPICE
 * clients through libspicecore and feeds their input into QEMU's input
 * layer.  They meet only through QemuConsole and the small display-source
 * interface below: a device attaches its console, which the source follows
 * while the device shows VGA; in native mode the device feeds the source
 * itself, through the display-sink adapter (hw-qxl/spice/qxl_spice.h).
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#ifndef HW_DISPLAY_QXLNG_H
#define HW_DISPLAY_QXLNG_H

#include "qom/object.h"
#include "ui/console.h"

#include "spice-core/spice-core.h"

#define TYPE_QXLNG_COMMON "qxlng-common"
#define TYPE_QXLNG_VGA    "qxlng-vga"
#define TYPE_QXLNG        "qxlng"
#define TYPE_SPICE_CORE_OBJECT "spice-core"

OBJECT_DECLARE_SIMPLE_TYPE(SpiceCoreObject, SPICE_CORE_OBJECT)

/* One display source of a spice-core server: a QEMU console it serves. */
typedef struct QxlngSpiceDisplay QxlngSpiceDisplay;

/* One monitor of a layout, in the console's surface coordinates. */
typedef struct QxlngHead {
    int32_t x, y;
    uint32_t width, height;
} QxlngHead;

/*
 * Copy up to @n heads into the array @out, between any of the head types
 * the glue meets (QxlngHead, the core's struct qxl_client_head and struct
 * qxl_monitor_head, spice-core's struct spice_core_head: each has x, y,
 * width and height).  Evaluates to the number copied, at most
 * ARRAY_SIZE(@out).
 */
#define QXLNG_COPY_HEADS(out, heads, n) ({                           \
    unsigned int n_ = MIN((unsigned int)(n), ARRAY_SIZE(out)), i_;   \
    for (i_ = 0; i_ < n_; i_++) {                                    \
        (out)[i_].x = (heads)[i_].x;                                 \
        (out)[i_].y = (heads)[i_].y;                                 \
        (out)[i_].width = (heads)[i_].width;                         \
        (out)[i_].height = (heads)[i_].height;                       \
    }                                                                \
    n_;                                                              \
})

typedef struct QxlngSpiceDisplayOps {
    /*
     * A client asked for this monitor layout (n >= 1); may be NULL.
     * Returns true when the device took it (its guest driver handles
     * client monitors configs).
     */
    bool (*monitors_request)(void *opaque, const QxlngHead *heads,
                             unsigned int n);
} QxlngSpiceDisplayOps;

/*
 * Serve @con on @core as the next free display channel.  The server follows
 * the console (its surface, damage and cursor) until told otherwise.  @ops
 * may be NULL.
 */
QxlngSpiceDisplay *qxlng_spice_attach(SpiceCoreObject *core,
                                      QemuConsole *con,
                                      const QxlngSpiceDisplayOps *ops,
                                      void *opaque, Error **errp);
void qxlng_spice_detach(QxlngSpiceDisplay *d);
/*
 * Tell the guest's agent where @d's heads are: the PCI address of @con's
 * device (QEMU's qemu_console_fill_device_address) and the guest's ids
 * @first_id.. of its @n heads (VD_AGENT_GRAPHICS_DEVICE_INFO).  false
 * with @errp set when @con's device is not PCI or @n is over 16.
 */
bool qxlng_spice_device_info(QxlngSpiceDisplay *d, QemuConsole *con,
                             uint32_t first_id, uint32_t n, Error **errp);
/* The display source itself, for a device that feeds it directly. */
SpiceCoreDisplay *qxlng_spice_source(QxlngSpiceDisplay *d);
/*
 * Whether the source follows the console.  A device that feeds the source
 * itself stops it first (after taking the source over, so the source never
 * points at a console surface QEMU freed) and starts it again when it
 * gives the source back: the console's current surface is served at once.
 */
void qxlng_spice_follow_console(QxlngSpiceDisplay *d, bool follow);

/* The running server, or NULL before complete. */
SpiceCore *qxlng_spice_core(SpiceCoreObject *sc);
/* Clients connected (authenticated main channel). */
unsigned int qxlng_spice_n_clients(SpiceCoreObject *sc);
unsigned int qxlng_spice_n_displays(SpiceCoreObject *sc);
/* The clients' live channels, for query-spice (a copy for the caller). */
typedef struct SpiceChannelList SpiceChannelList;
SpiceChannelList *qxlng_spice_channels(SpiceCoreObject *sc);
/*
 * Before complete: with neither password-secret nor disable-ticketing,
 * start with no valid ticket (nobody gets in) instead of failing; the
 * ticket comes later, e.g. from QMP set_password (qxlng-spice-opts.c).
 */
void qxlng_spice_ticket_later(SpiceCoreObject *sc);
/*
 * spice-core-migrate.c: QMP client_migrate_info on @sc: the clients switch
 * to @host once a migration completes.  0, or -1 with the reason reported.
 */
int qxlng_spice_client_migrate_info(SpiceCoreObject *sc, const char *host,
                                    int port, int tls_port,
                                    const char *subject);

/*
 * qxlng-spice-opts.c: the server -spice created (id "spice"), or NULL;
 * devices with no spice=ID attach to it.
 */
SpiceCoreObject *qxlng_spice_default(void);
/*
 * The one lookup of devices, audiodevs and chardevs: the spice-core object
 * with id @id, or with @id NULL or empty the one -spice created; NULL with
 * @errp set when there is none (its server is qxlng_spice_core()).  And
 * where the clients' microphone PCM goes (ops.record_data; NULL: nowhere).
 */
typedef void (*QxlngRecordSink)(void *opaque, const void *pcm, size_t bytes);
SpiceCoreObject *qxlng_spice_find(const char *id, Error **errp);
void qxlng_spice_set_record_sink(SpiceCoreObject *sc, QxlngRecordSink sink,
                                 void *opaque);

/*
 * spice-core-chardev.c: open @chr, a chardev-spice-core or a subtype
 * (spice-core-spicevmc.c), as channel @name of the spice-core object
 * @spice (NULL: the one -spice created).
 */
#define TYPE_CHARDEV_SPICE_CORE "chardev-spice-core"
void qxlng_spice_chardev_open(Chardev *chr, const char *name,
                              const char *spice, bool *be_opened,
                              Error **errp);

#endif
