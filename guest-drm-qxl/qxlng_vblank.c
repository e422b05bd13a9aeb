// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_vblank.c - vblank events at each head's refresh rate.
 *
 * A QXL device has no scanout and no vblank interrupt: what the driver
 * draws is shown at once.  Userspace still paces itself by vblank
 * events (page flip events, DRM_IOCTL_WAIT_VBLANK, atomic commits with
 * an event), so each CRTC has a timer that ticks at its mode's refresh
 * rate while the CRTC is on and someone holds a vblank reference.  A
 * commit's event goes out at the next tick, so a compositor or modetest
 * -v flips at the refresh rate instead of as fast as the guest CPU can
 * copy frames.  Each vblank's timestamp is when its tick was due, so
 * the times userspace gets are whole frames apart.
 *
 * With fake_vblank=1 every event goes out at the end of its commit, as
 * stock qxl.ko does (unpaced page flips, for benchmarks).
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/spinlock.h>

#include <drm/drm_atomic.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "qxlng_drv.h"

static bool qxlng_fake_vblank;
module_param_named(fake_vblank, qxlng_fake_vblank, bool, 0644);
MODULE_PARM_DESC(fake_vblank,
		 "Send each commit's events at once instead of at the head's next vblank (unpaced page flips, as stock qxl; default: 0)");

static struct qxlng_output *qxlng_vblank_output(struct drm_crtc *crtc)
{
	return container_of(crtc, struct qxlng_output, crtc);
}

/*
 * vblank_lock orders the tick against enable/disable: a disable and an
 * enable may both come while a tick runs, and the enable's hrtimer_start
 * then queues the timer again; the tick must not move a queued timer.
 */
static enum hrtimer_restart qxlng_vblank_tick(struct hrtimer *timer)
{
	struct qxlng_output *out = container_of(timer, struct qxlng_output,
						vblank_timer);
	unsigned long flags;
	bool on;

	spin_lock_irqsave(&out->vblank_lock, flags);
	on = out->vblank_on && !hrtimer_is_queued(timer);
	if (on)
		hrtimer_forward_now(timer, out->vblank_period);
	spin_unlock_irqrestore(&out->vblank_lock, flags);
	if (!on)
		return HRTIMER_NORESTART;
	drm_crtc_handle_vblank(&out->crtc);
	/* Stopped meanwhile: the next tick sees it and ends. */
	return HRTIMER_RESTART;
}

/* drm_crtc_funcs.enable_vblank: under the vblank core's spinlock. */
int qxlng_vblank_enable(struct drm_crtc *crtc)
{
	struct qxlng_output *out = qxlng_vblank_output(crtc);
	unsigned long flags;

	spin_lock_irqsave(&out->vblank_lock, flags);
	out->vblank_on = true;
	hrtimer_start(&out->vblank_timer, out->vblank_period,
		      HRTIMER_MODE_REL);
	spin_unlock_irqrestore(&out->vblank_lock, flags);
	return 0;
}

/*
 * drm_crtc_funcs.disable_vblank: under the vblank core's spinlock, so it
 * cannot wait for a running tick; that tick, or the next, sees
 * vblank_on cleared and ends.
 */
void qxlng_vblank_disable(struct drm_crtc *crtc)
{
	struct qxlng_output *out = qxlng_vblank_output(crtc);
	unsigned long flags;

	spin_lock_irqsave(&out->vblank_lock, flags);
	out->vblank_on = false;
	hrtimer_try_to_cancel(&out->vblank_timer);
	spin_unlock_irqrestore(&out->vblank_lock, flags);
}

/*
 * drm_crtc_funcs.get_vblank_timestamp: a vblank happened when its tick
 * was due, not when the tick ran (late on a busy host).  The tick moves
 * the timer on by whole periods before it reports, so the vblank being
 * reported was due one period before the timer's next expiry.  The
 * vblank core also counts the vblanks between two reports from these
 * times, so a tick that ran late after missing some counts them all.
 * While the ticks are off: now.
 */
bool qxlng_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
			    ktime_t *vblank_time, bool in_vblank_irq)
{
	struct qxlng_output *out = qxlng_vblank_output(crtc);
	unsigned long flags;

	spin_lock_irqsave(&out->vblank_lock, flags);
	if (out->vblank_on)
		*vblank_time = ktime_sub(hrtimer_get_expires(&out->vblank_timer),
					 out->vblank_period);
	else
		*vblank_time = ktime_get();
	spin_unlock_irqrestore(&out->vblank_lock, flags);
	return true;
}

/* From the CRTC's atomic_enable: tick at the new mode's rate. */
void qxlng_vblank_crtc_on(struct drm_crtc *crtc,
			  const struct drm_display_mode *mode)
{
	struct qxlng_output *out = qxlng_vblank_output(crtc);
	ktime_t period = ns_to_ktime(qxlng_frame_ns(mode->clock, mode->htotal,
						    mode->vtotal));
	unsigned long flags;

	spin_lock_irqsave(&out->vblank_lock, flags);
	out->vblank_period = period;
	spin_unlock_irqrestore(&out->vblank_lock, flags);
	drm_crtc_vblank_on(crtc);
}

static void qxlng_vblank_send_now(struct drm_crtc *crtc,
				  struct drm_pending_vblank_event *event)
{
	spin_lock_irq(&crtc->dev->event_lock);
	drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irq(&crtc->dev->event_lock);
}

/*
 * From the CRTC's atomic_disable: no more ticks.  A commit that turns
 * the CRTC off gets no atomic_flush (the planes are committed for
 * active CRTCs only), so its event goes out here.
 */
void qxlng_vblank_crtc_off(struct drm_crtc *crtc,
			   struct drm_atomic_state *state)
{
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);

	drm_crtc_vblank_off(crtc);
	if (cs && cs->event && !cs->active) {
		qxlng_vblank_send_now(crtc, cs->event);
		cs->event = NULL;
	}
}

/*
 * From the CRTC's atomic_flush, after its planes were drawn: the
 * commit's event (userspace's, or the one the helpers wait on) goes
 * out at the next tick.
 */
void qxlng_vblank_flush(struct drm_crtc *crtc, struct drm_atomic_state *state)
{
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);
	struct drm_pending_vblank_event *event = cs->event;

	if (!event)
		return;
	cs->event = NULL;
	if (READ_ONCE(qxlng_fake_vblank) || !cs->active) {
		qxlng_vblank_send_now(crtc, event);
		return;
	}
	spin_lock_irq(&crtc->dev->event_lock);
	if (drm_crtc_vblank_get(crtc) == 0)
		drm_crtc_arm_vblank_event(crtc, event);
	else
		drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irq(&crtc->dev->event_lock);
}

static void qxlng_vblank_fini(struct drm_device *dev, void *data)
{
	struct qxlng_device *qdev = data;
	unsigned int i;

	for (i = 0; i < qdev->num_heads; i++) {
		struct qxlng_output *out = &qdev->outputs[i];
		unsigned long flags;

		spin_lock_irqsave(&out->vblank_lock, flags);
		out->vblank_on = false;
		spin_unlock_irqrestore(&out->vblank_lock, flags);
		hrtimer_cancel(&out->vblank_timer);
	}
}

/* Before the CRTCs are reset; the timers are stopped when dev goes. */
int qxlng_vblank_init(struct qxlng_device *qdev)
{
	unsigned int i;
	int ret;

	for (i = 0; i < qdev->num_heads; i++) {
		struct qxlng_output *out = &qdev->outputs[i];

		spin_lock_init(&out->vblank_lock);
		hrtimer_init(&out->vblank_timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL);
		out->vblank_timer.function = qxlng_vblank_tick;
		out->vblank_period = ns_to_ktime(QXLNG_FRAME_NS_DEFAULT);
	}
	ret = drm_vblank_init(&qdev->drm, qdev->num_heads);
	if (ret)
		return ret;
	return drmm_add_action_or_reset(&qdev->drm, qxlng_vblank_fini, qdev);
}
