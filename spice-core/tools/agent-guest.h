/* SPDX-License-Identifier: MIT */
/*
 * agent-guest.h - spice-serve --guest-agent: a stand-in for the guest's
 * spice-vdagent port (spice_core_agent_open), so tests of the pass-through
 * agent path need no VM.
 *
 *   stuck  the port takes no byte: a client's chunks stay unacknowledged
 *          and its token window fills;
 *   sink   the port takes everything and reads the VDI chunk stream;
 *          prints "agent-chunk PORT SIZE" for each whole chunk and
 *          "agent-msg PORT TYPE SIZE" for each agent message header that
 *          starts a chunk, and "agent-mouse X Y BUTTONS DISPLAY" for a
 *          VD_AGENT_MOUSE_STATE (client mouse mode through the agent);
 *          "agent-devinfo HEX" with the body of each
 *          VD_AGENT_GRAPHICS_DEVICE_INFO, put together from its chunks;
 *   sink,announce  the same, and the port announces the agent's
 *          capabilities (VD_AGENT_CAP_GRAPHICS_DEVICE_INFO among them)
 *          as the guest's spice-vdagentd does when it starts.
 */
#ifndef SPICE_SERVE_AGENT_GUEST_H
#define SPICE_SERVE_AGENT_GUEST_H

#include <spice-core/spice-core.h>

struct agent_guest;

/* NULL with *why (a spec that is neither, or the port is taken). */
struct agent_guest *agent_guest_new(SpiceCore *core, const char *spec,
				    const char **why);
void agent_guest_free(struct agent_guest *g);

#endif
