// SPDX-License-Identifier: MIT
/* The guest agent API (spice-core.h): the host's agent port, handed to
 * the main channels (channels/agentdev.c). */
#include <errno.h>

#include "channels/agentdev.h"
#include "server/server.h"

/* What the calls queued for the clients goes out now (the server's own
 * dispatch flushes after each turn; these run from the host's). */
static void flush_clients(SpiceCore *core)
{
	GList *it;

	for (it = core->chs.conns; it; it = it->next) {
		struct sc_conn *c = it->data;

		if (sc_conn_running(c) && !sc_stream_dead(c->st))
			sc_stream_flush(c->st);
	}
}

int spice_core_agent_open(SpiceCore *core,
			  const struct spice_core_agent_ops *ops, void *opaque)
{
	if (!ops || !ops->write)
		return -EINVAL;
	if (core->model.agentdev)
		return -EBUSY;
	core->model.agentdev = sc_agentdev_new(&core->chs, ops, opaque);
	sc_channels_notify(&core->chs, SC_EVENT_AGENT);
	sc_mouse_changed(core);		/* client mode through the agent */
	g_message("agent: the guest's agent is there; %s",
		  core->model.agentdev->owner ? "a client has it" :
		  "no client yet");
	return 0;
}

void spice_core_agent_close(SpiceCore *core)
{
	struct sc_agentdev *ad = core->model.agentdev;

	if (!ad)
		return;
	core->model.agentdev = NULL;
	g_message("agent: the guest's agent went; emulating one");
	sc_channels_notify(&core->chs, SC_EVENT_AGENT);
	sc_mouse_changed(core);
	sc_agentdev_free(ad);
}

size_t spice_core_agent_read(SpiceCore *core, const void *data, size_t n)
{
	size_t took;

	if (!core->model.agentdev)
		return n;
	took = sc_agentdev_read(core->model.agentdev, data, n);
	flush_clients(core);
	return took;
}

void spice_core_agent_wakeup(SpiceCore *core)
{
	if (!core->model.agentdev)
		return;
	sc_agentdev_flush(core->model.agentdev);	/* tokens back */
	flush_clients(core);
}
