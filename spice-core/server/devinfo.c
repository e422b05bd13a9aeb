// SPDX-License-Identifier: MIT
/* A display's device address and head ids for the guest's agent
 * (spice_core_display_set_device_info, channels/agentinfo.c). */
#include <errno.h>
#include <string.h>

#include "server/server.h"

int spice_core_display_set_device_info(SpiceCoreDisplay *d,
				       const char *address,
				       uint32_t first_id, unsigned int n)
{
	size_t len = address ? strnlen(address,
				       SPICE_CORE_DEVICE_ADDRESS_MAX) : 0;

	if (len >= SPICE_CORE_DEVICE_ADDRESS_MAX || n > SC_MAX_HEADS)
		return -EINVAL;
	g_mutex_lock(&d->model->lock);
	if (strcmp(d->dev_address, len ? address : "") ||
	    d->dev_first_id != first_id || d->dev_heads != n) {
		memcpy(d->dev_address, len ? address : "", len);
		d->dev_address[len] = '\0';
		d->dev_first_id = first_id;
		d->dev_heads = n;
		d->model->devinfo_gen++;
	}
	g_mutex_unlock(&d->model->lock);
	sc_wake(d->core);		/* the agent hears the change */
	return 0;
}
