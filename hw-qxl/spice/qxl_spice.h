/* SPDX-License-Identifier: MIT */
/*
 * qxl_spice.h - the display-sink adapter: a QXL device's display served
 * as a spice-core display source.
 *
 * It is the one piece of glue between the two cores, written against
 * their public headers only (qxl_device.h, spice-core.h): it implements
 * struct qxl_display_sink onto a SpiceCoreDisplay.  Its users:
 *   - the QEMU glue (hw-qxl/qemu/qxlng-console.c): device -> adapter ->
 *     the console sink, so screendump and VNC see the same pixels;
 *   - the device simulator's users: the hw-qxl tests (device -> adapter
 *     -> a recording sink) and spice-serve --qxl.
 *
 *   device --sink--> adapter --spice_core_display_*--> SpiceCoreDisplay
 *                       |
 *                       +--same sink calls--> next sink (optional)
 *
 * The adapter owns its display source only while active: the QEMU glue
 * hands the source to the VGA console while the device is not in native
 * mode.  Threading: the device's thread (the sink's rule); spice-core's
 * display calls may come from any thread.
 */
#ifndef QXL_SPICE_H
#define QXL_SPICE_H

#include <stdbool.h>
#include <spice-core/spice-core.h>

#include "../qxl_device.h"

#ifdef __cplusplus
extern "C" {
#endif

struct qxl_spice;

/*
 * An adapter serving `display` (which must outlive it), active, attached
 * to no device.  NULL if memory is short.
 */
struct qxl_spice *qxl_spice_new(SpiceCoreDisplay *display);
/* Withdraw from the display (as qxl_spice_set_active(a, false)), detach
 * from the device and free.  a may be NULL. */
void qxl_spice_free(struct qxl_spice *a);

/*
 * Pass every sink call on to `next` (with next_opaque), after the adapter
 * handled it, active or not: a host fans the display out (QEMU: SPICE and
 * the console; the tests: SPICE and a recorder).  NULL: no next sink.
 */
void qxl_spice_chain(struct qxl_spice *a, const struct qxl_display_sink *next,
		     void *next_opaque);

/*
 * Become dev's display sink (qxl_device_set_sink) and, when active, serve
 * what dev shows now (its primary, cursor and monitors).  dev NULL:
 * detach from the device the adapter was attached to.
 */
void qxl_spice_attach(struct qxl_spice *a, struct qxl_device *dev);

/*
 * Whether the adapter feeds its display source.  Turning it on serves the
 * attached device's current state at once (replacing whatever another
 * source put on the display: a primary of the same size and format is
 * replaced without a surface destroy/create on the clients).  Turning it
 * off withdraws: the primary it set is cleared (its memory is the
 * device's), its cursor hidden and its monitors layout reset, so the next
 * source starts from a clean display.  Sink calls still reach the next
 * sink while off.
 */
void qxl_spice_set_active(struct qxl_spice *a, bool active);
bool qxl_spice_active(const struct qxl_spice *a);

/* The sink the adapter implements (what qxl_spice_attach() installs),
 * for hosts that chain the adapter behind a sink of their own. */
extern const struct qxl_display_sink qxl_spice_sink;

/* The QXL surface format as a SPICE_CORE_FMT_*; 0 if spice-core has
 * none for it. */
uint32_t qxl_spice_format(uint32_t qxl_format);

#ifdef __cplusplus
}
#endif

#endif /* QXL_SPICE_H */
