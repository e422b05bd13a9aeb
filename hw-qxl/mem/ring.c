// SPDX-License-Identifier: MIT
/*
 * ring.c - taking entries off the command and cursor rings.  Each entry
 * is copied out of guest memory once; impossible indexes are a guest bug.
 */
#include <string.h>

#include "qxl_mem.h"

int qxl_ring_take(const struct qxl_report *r, struct qxl_ring_header *hdr,
		  struct qxl_command *items, uint32_t size,
		  struct qxl_command *cmd, bool *notify)
{
	uint32_t slot;
	int ret;

	*notify = false;
	ret = qxl_ring_cons_slot(hdr, size, &slot);
	if (ret == 0 && qxl_ring_cons_wait(hdr))
		return 0;
	if (ret == 0)
		ret = qxl_ring_cons_slot(hdr, size, &slot);
	if (ret < 0) {
		qxl_report_bug(r, "ring indexes impossible: prod %u cons %u",
			       QXL_RING_READ(hdr->prod),
			       QXL_RING_READ(hdr->cons));
		return -1;
	}
	if (ret == 0)
		return 0;
	memcpy(cmd, (const void *)&items[slot], sizeof(*cmd));
	*notify = qxl_ring_pop(hdr);
	return 1;
}
