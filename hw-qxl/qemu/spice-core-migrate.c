/*
 * qxl-ng QEMU glue: SPICE client migration for the spice-core object.
 *
 * QMP client_migrate_info (protocol spice) names the server the clients
 * go to once the VM migrated; when QEMU's migration completes, every
 * connected client gets SPICE_MSG_MAIN_MIGRATE_SWITCH_HOST from spice-core
 * (spice_core_migrate_switch) and reconnects there, and the monitor gets
 * SPICE_MIGRATE_COMPLETED.  A failed or cancelled migration forgets the
 * target.  The semi-seamless and seamless protocols (MIGRATE_BEGIN/END,
 * migration data) are not offered: spice-gtk then uses switch-host.
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
            info_report("spice: %d client(s) told to switch to the "
                        "migration target", n);
        }
        qxlng_mig_server = NULL;
        qapi_event_send_spice_migrate_completed();
    } else if (migration_has_failed(s)) {
        if (core) {
            const char *why;

            spice_core_migrate_target(core, NULL, 0, 0, NULL, &why);
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
    return 0;
}
