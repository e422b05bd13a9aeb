// SPDX-License-Identifier: MIT
/* The guest agent API (spice-core.h): the host's agent port, handed to
 * the main channels (channels/agentdev.c). */
#include <errno.h>

#include "channels/agentdev.h"
#include "server/server.h"

int spice_core_agent_open(SpiceCore *core,
			  const struct spice_core_agent_ops *ops, void *opaque)
{
	if (!ops || !ops->write)
		return -EINVAL;
	if (core->model.agentdev)
		return -EBUSY;
	core->model.agentdev = sc_agentdev_new(&core->chs, ops, opaque);
	sc_channels_notify(&core->chs, SC_EVENT_AGENT);
	return 0;
}

void spice_core_agent_close(SpiceCore *core)
{
	struct sc_agentdev *ad = core->model.agentdev;

	if (!ad)
		return;
	core->model.agentdev = NULL;
	sc_channels_notify(&core->chs, SC_EVENT_AGENT);
	sc_agentdev_free(ad);
}

size_t spice_core_agent_read(SpiceCore *core, const void *data, size_t n)
{
	if (!core->model.agentdev)
		return n;
	return sc_agentdev_read(core->model.agentdev, data, n);
}

void spice_core_agent_wakeup(SpiceCore *core)
{
	if (core->model.agentdev)
		sc_agentdev_flush(core->model.agentdev);
}
