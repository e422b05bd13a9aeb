// SPDX-License-Identifier: MIT
/* The pass-through channel API (spice-core.h): the host's devices, handed
 * to channels/vmc.c. */
#include "channels/vmc.h"
#include "server/server.h"

SpiceCoreVmc *spice_core_vmc_add(SpiceCore *core, const char *name,
				 const struct spice_core_vmc_ops *ops,
				 void *opaque, const char **why)
{
	const char *dummy;
	SpiceCoreVmc *v;

	if (!why)
		why = &dummy;
	v = sc_vmc_add(&core->chs, name, ops, opaque, why);
	if (v)
		g_message("%s: channel type %u id %u", v->name, v->type,
			  v->id);
	return v;
}

void spice_core_vmc_remove(SpiceCoreVmc *vmc)
{
	if (vmc)
		sc_vmc_remove(vmc);
}

void spice_core_vmc_channel(const SpiceCoreVmc *vmc, uint8_t *type,
			    uint8_t *id)
{
	*type = vmc->type;
	*id = vmc->id;
}

size_t spice_core_vmc_read(SpiceCoreVmc *vmc, const void *data, size_t n)
{
	return sc_vmc_read(vmc, data, n);
}

void spice_core_vmc_wakeup(SpiceCoreVmc *vmc)
{
	sc_vmc_flush(vmc);
}

void spice_core_vmc_port_opened(SpiceCoreVmc *vmc, bool opened)
{
	sc_vmc_port_opened(vmc, opened);
}
