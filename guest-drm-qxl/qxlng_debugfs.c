// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_debugfs.c - /sys/kernel/debug/dri/N/qxlng_state: counters and
 * state the selftests read to check what the driver sent.
 */
#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>

#include "qxlng_drv.h"

static void qxlng_ring_show(struct seq_file *m, const struct qxlng_ring *ring)
{
	seq_printf(m, "%s_ring cons %u prod %u\n", ring->name,
		   READ_ONCE(ring->hdr->cons), READ_ONCE(ring->hdr->prod));
}

static int qxlng_state_show(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct qxlng_device *qdev = to_qxlng(node->minor->dev);
	struct qxlng_stats *s = &qdev->stats;
	int i;

	seq_printf(m, "irqs %d\n", atomic_read(&s->irqs));
	seq_printf(m, "irq_display %d\n", atomic_read(&s->irq_display));
	seq_printf(m, "irq_cursor %d\n", atomic_read(&s->irq_cursor));
	seq_printf(m, "irq_io_cmd %d\n", atomic_read(&s->irq_io_cmd));
	seq_printf(m, "irq_error %d\n", atomic_read(&s->irq_error));
	seq_printf(m, "irq_client_monitors %d\n",
		   atomic_read(&s->irq_client_monitors));
	seq_printf(m, "draws %d\n", atomic_read(&s->draws));
	seq_printf(m, "client_draws %d\n", atomic_read(&s->client_draws));
	seq_printf(m, "cursor_cmds %d\n", atomic_read(&s->cursor_cmds));
	seq_printf(m, "releases %d\n", atomic_read(&s->releases));
	seq_printf(m, "bad_releases %d\n", atomic_read(&s->bad_releases));
	seq_printf(m, "alloc_failures %d\n", atomic_read(&s->alloc_failures));
	seq_printf(m, "oom_notifies %d\n", atomic_read(&s->oom_notifies));
	seq_printf(m, "reclaim_sleeps %d\n",
		   atomic_read(&s->reclaim_sleeps));
	seq_printf(m, "io_timeouts %d\n", atomic_read(&s->io_timeouts));
	seq_printf(m, "io_resets %d\n", atomic_read(&s->io_resets));
	seq_printf(m, "guest_bug %d\n", READ_ONCE(qdev->guest_bug));
	seq_printf(m, "primary %ux%u %s\n", qdev->primary_width,
		   qdev->primary_height, qdev->primary_created ? "on" : "off");
	seq_printf(m, "primary_bpp %u\n",
		   qdev->primary_format == QXL_SURFACE_FMT_16_565 ? 16 : 32);
	qxlng_ring_show(m, &qdev->cursor_ring);
	qxlng_ring_show(m, &qdev->cmd_ring);
	mutex_lock(&qdev->client_lock);
	seq_printf(m, "client_heads %d\n", qdev->n_client_heads);
	for (i = 0; i < qdev->n_client_heads; i++)
		seq_printf(m, "client_head %d %ux%u+%u+%u\n", i,
			   qdev->client_heads[i].w, qdev->client_heads[i].h,
			   qdev->client_heads[i].x, qdev->client_heads[i].y);
	mutex_unlock(&qdev->client_lock);
	return 0;
}

static const struct drm_info_list qxlng_debugfs_list[] = {
	{ "qxlng_state", qxlng_state_show, 0, NULL },
};

void qxlng_debugfs_init(struct drm_minor *minor)
{
	drm_debugfs_create_files(qxlng_debugfs_list,
				 ARRAY_SIZE(qxlng_debugfs_list),
				 minor->debugfs_root, minor);
}
