// SPDX-License-Identifier: MIT
/*
 * monitors.c - QXL_IO_MONITORS_CONFIG_ASYNC's input: the guest's head
 * layout, read once and bounded.  Like spice-server, a config with no
 * heads or more heads than it allows is ignored with a warning; a bad
 * address is a guest bug.
 */
#include <string.h>

#include "qxl_parse.h"

int qxl_parse_monitors_config(const struct qxl_mem *m, qxl_phys addr,
			      unsigned int max_heads, uint32_t max_outputs,
			      struct qxl_head *heads)
{
	struct qxl_monitors_config hdr;
	unsigned int n;
	uint8_t *p;

	if (!qxl_memslot_copy(m, addr, &hdr, sizeof(hdr)))
		return -1;
	if (hdr.count == 0 || (hdr.max_allowed && hdr.count > hdr.max_allowed) ||
	    hdr.count > max_heads) {
		qxl_report_warn(&m->report, "monitors config with %u heads "
				"(max_allowed %u, device max %u) ignored",
				hdr.count, hdr.max_allowed, max_heads);
		return 0;
	}
	n = hdr.count;
	if (max_outputs && max_outputs < n)
		n = max_outputs;
	p = qxl_memslot_translate(m, addr, sizeof(hdr) +
				  (uint64_t)n * sizeof(struct qxl_head));
	if (!p)
		return -1;
	memcpy(heads, p + sizeof(hdr), n * sizeof(struct qxl_head));
	return (int)n;
}
