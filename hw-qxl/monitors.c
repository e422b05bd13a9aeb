// SPDX-License-Identifier: MIT
/*
 * monitors.c - QXL_IO_MONITORS_CONFIG_ASYNC: the guest's head layout at
 * ram.monitors_config, read once and bounded, passed to the sink.
 * Like spice-server, a config with no heads or more heads than it
 * allows is ignored with a log line; a bad address is a guest bug.
 */
#include <string.h>

#include "qxl_internal.h"

void qxl_monitors_config_read(struct qxl_device *dev)
{
	qxl_phys addr = dev->ramh->monitors_config;	/* read once */
	struct qxl_monitors_config hdr;
	struct qxl_head heads[QXL_MAX_MONITOR_HEADS];
	unsigned int n, i, max = QXL_MAX_MONITOR_HEADS;
	uint8_t *p;

	p = qxl_memslot_translate(dev, addr, sizeof(hdr));
	if (!p)
		return;
	memcpy(&hdr, p, sizeof(hdr));
	if (hdr.count == 0 || (hdr.max_allowed && hdr.count > hdr.max_allowed) ||
	    hdr.count > QXL_MAX_MONITOR_HEADS) {
		qxl_guest_warn(dev, "monitors config with %u heads "
			       "(max_allowed %u, device max %u) ignored",
			       hdr.count, hdr.max_allowed, QXL_MAX_MONITOR_HEADS);
		return;
	}
	n = hdr.count;
	if (dev->cfg.max_outputs && dev->cfg.max_outputs < max)
		max = dev->cfg.max_outputs;
	if (n > max)
		n = max;
	p = qxl_memslot_translate(dev, addr, sizeof(hdr) +
				  (uint64_t)n * sizeof(struct qxl_head));
	if (!p)
		return;
	memcpy(heads, p + sizeof(hdr), n * sizeof(struct qxl_head));
	for (i = 0; i < n; i++) {
		dev->monitors[i].id = heads[i].id;
		dev->monitors[i].surface_id = heads[i].surface_id;
		dev->monitors[i].x = heads[i].x;
		dev->monitors[i].y = heads[i].y;
		dev->monitors[i].width = heads[i].width;
		dev->monitors[i].height = heads[i].height;
		dev->monitors[i].flags = heads[i].flags;
	}
	dev->n_monitors = n;
	if (dev->sink && dev->sink->monitors_config)
		dev->sink->monitors_config(dev->sink_opaque, n, dev->monitors);
}
