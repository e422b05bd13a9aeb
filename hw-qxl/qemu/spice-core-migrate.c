/*
 * qxl-ng QEMU glue: SPICE client migration for the spice-core object.
 *
 * QMP client_migrate_info (protocol spice) names the server the clients
 * go to once the VM migrated, and (as QEMU's SPICE does) starts the
 * semi-seamless protocol at once: clients that support it get
 * MIGRATE_BEGIN and link to the target while the VM still runs here
 * (spice_core_migrate_begin).  When QEMU's migration completes, those
 * get MIGRATE_END and the others SWITCH_HOST (spice_core_migrate_switch),
 * and the monitor gets SPICE_MIGRATE_COMPLETED.  A failed or cancelled
 * migration sends MIGRATE_CANCEL and forgets the target.  With
 * seamless-migration=on (libvirt's default), clients that can get
 * MIGRATE_BEGIN_SEAMLESS instead and, at the end, keep their channels:
 * each hands its state from here to the target (spice-core's channel.c,
 * wire/migdata.h).
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/notify.h"
#include "migration/misc.h"
#include "qapi/qapi-events-ui.h"

#include "qxlng.h"

static SpiceCoreObject *qxlng_mig_server;   /* has a target set */
static Notifier qxlng_mig_notifier;
static bool qxlng_mig_notifier_added;

static void qxlng_mig_state_changed(Notifier *notifier, void *data)
{
    MigrationState *s = data;
    SpiceCore *core;
    int n;

    if (!qxlng_mig_server) {
        return;
    }
    core = qxlng_spice_core(qxlng_mig_server);
    if (migration_has_finished(s)) {
        n = core ? spice_core_migrate_switch(core) : -ENOENT;
        if (n > 0) {
            info_report("spice: %d client(s) sent on to the migration "
                        "target", n);
        }
        qxlng_mig_server = NULL;
        qapi_event_send_spice_migrate_completed();
    } else if (migration_has_failed(s)) {
        if (core) {
            spice_core_migrate_cancel(core);
            info_report("spice: migration failed or cancelled: the "
                        "clients stay");
        }
        qxlng_mig_server = NULL;
    }
}

int qxlng_spice_client_migrate_info(SpiceCoreObject *sc, const char *host,
                                    int port, int tls_port,
                                    const char *subject)
{
    SpiceCore *core = sc ? qxlng_spice_core(sc) : NULL;
    const char *why = NULL;

    if (!core) {
        error_report("client_migrate_info: no SPICE server running");
        return -1;
    }
    if (spice_core_migrate_target(core, host, port, tls_port, subject,
                                  &why) < 0) {
        /* QMP's reply is generic: say here what was wrong. */
        error_report("client_migrate_info: %s", why);
        return -1;
    }
    if (!qxlng_mig_notifier_added) {
        qxlng_mig_notifier.notify = qxlng_mig_state_changed;
        add_migration_state_change_notifier(&qxlng_mig_notifier);
        qxlng_mig_notifier_added = true;
    }
    qxlng_mig_server = sc;
    spice_core_migrate_begin(core);
    return 0;
}
