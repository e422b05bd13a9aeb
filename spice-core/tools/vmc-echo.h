/* SPDX-License-Identifier: MIT */
/*
 * vmc-echo.h - spice-serve --vmc: a pass-through channel whose "guest"
 * device sends back what the client sends it, through a bounded buffer,
 * with the flow control a real device has (it stops taking bytes while
 * the client has not taken the echo).  For tests of the usbredir, port
 * and webdav channels without a VM.
 */
#ifndef SPICE_SERVE_VMC_ECHO_H
#define SPICE_SERVE_VMC_ECHO_H

#include <spice-core/spice-core.h>

struct vmc_echo;

/*
 * spec: NAME[,stuck][,closed]: the channel's name (usbredir, or a port
 * name); stuck: the device never takes a byte; closed: a port's guest
 * side stays closed.  Prints "vmc NAME TYPE ID" on stdout, and later
 * "vmc-client NAME ID 0|1" and "vmc-event NAME E".  NULL with *why.
 */
struct vmc_echo *vmc_echo_new(SpiceCore *core, const char *spec,
			      const char **why);
void vmc_echo_free(struct vmc_echo *e);

#endif
