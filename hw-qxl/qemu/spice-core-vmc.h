/*
 * qxl-ng QEMU glue: the pass-through channels of the spice-core chardev
 * backend (spice-core-vmc.c), for names other than vdagent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QXLNG_SPICE_CORE_VMC_H
#define QXLNG_SPICE_CORE_VMC_H

#include "chardev/char.h"
#include "spice-core/spice-core.h"

typedef struct QxlngVmc QxlngVmc;

/*
 * A channel for chr named name ("usbredir", or a port's FQDN).  *blocked
 * is the chardev's flag its write watch waits on: set when spice-core
 * refuses guest bytes, cleared when it takes them again.
 */
QxlngVmc *qxlng_vmc_new(Chardev *chr, SpiceCore *core, const char *name,
                        bool *blocked, Error **errp);
void qxlng_vmc_free(QxlngVmc *v);
/* The frontend's bytes (chr_write): how many spice-core took. */
int qxlng_vmc_write(QxlngVmc *v, const uint8_t *buf, int len);
/* The frontend can take bytes again (chr_accept_input). */
void qxlng_vmc_accept_input(QxlngVmc *v);
/* The frontend opened or closed (chr_set_fe_open): a port's state. */
void qxlng_vmc_set_fe_open(QxlngVmc *v, int fe_open);

#endif
