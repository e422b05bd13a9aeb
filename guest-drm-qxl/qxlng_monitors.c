// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_monitors.c - the client monitors config from the ROM.
 *
 * A SPICE client asks for a head layout; the device stores it in
 * rom.client_monitors_config with a CRC and raises
 * QXL_INTERRUPT_CLIENT_MONITORS_CONFIG.  The device may rewrite it while
 * we read, so we read a snapshot, check the CRC, and re-read a bounded
 * number of times.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "qxlng_logic.h"

/* Any edge beyond QXLNG_MONITOR_MAX_COORD: the position is garbage. */
static bool qxlng_head_off_desktop(u32 top, u32 left, u32 bottom, u32 right)
{
	return max(left, right) > QXLNG_MONITOR_MAX_COORD ||
	       max(top, bottom) > QXLNG_MONITOR_MAX_COORD;
}

const char *qxlng_monitors_head_check(const struct qxl_urect *r)
{
	u32 top = r->top, left = r->left, bottom = r->bottom, right = r->right;

	if (qxlng_head_off_desktop(top, left, bottom, right))
		return "edge beyond QXLNG_MONITOR_MAX_COORD";
	if (right <= left || bottom <= top)
		return "empty or inverted";
	if (right - left > QXLNG_MONITOR_MAX_DIM ||
	    bottom - top > QXLNG_MONITOR_MAX_DIM)
		return "larger than 16384";
	return NULL;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_monitors_head_check);

static void qxlng_head_from_urect(const struct qxl_urect *r,
				  struct qxlng_head_rect *head)
{
	u32 top = r->top, left = r->left, bottom = r->bottom, right = r->right;

	memset(head, 0, sizeof(*head));
	if (qxlng_head_off_desktop(top, left, bottom, right))
		return;		/* not even the position can be trusted */
	head->x = left;
	head->y = top;
	if (qxlng_monitors_head_check(r))
		return;
	head->w = right - left;
	head->h = bottom - top;
}

int qxlng_monitors_parse(const struct qxl_client_monitors_config *cfg,
			 u32 crc, unsigned int max_heads,
			 struct qxlng_head_rect *heads)
{
	unsigned int count, i;

	if (qxl_client_monitors_config_crc(cfg, sizeof(*cfg)) != crc)
		return -EBADMSG;

	count = min_t(unsigned int, cfg->count, QXL_CLIENT_MONITORS_MAX);
	count = min(count, max_heads);
	for (i = 0; i < count; i++)
		qxlng_head_from_urect(&cfg->heads[i], &heads[i]);
	return count;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_monitors_parse);

int qxlng_monitors_read(qxlng_monitors_read_fn read, void *ctx,
			unsigned int max_tries,
			struct qxl_client_monitors_config *scratch,
			unsigned int max_heads, struct qxlng_head_rect *heads)
{
	unsigned int try;
	int ret = -EBADMSG;

	for (try = 0; try < max_tries; try++) {
		u32 crc = 0;

		read(ctx, scratch, &crc);
		ret = qxlng_monitors_parse(scratch, crc, max_heads, heads);
		if (ret != -EBADMSG)
			return ret;
	}
	return -EBADMSG;
}
EXPORT_SYMBOL_IF_QXLNG_KUNIT(qxlng_monitors_read);
