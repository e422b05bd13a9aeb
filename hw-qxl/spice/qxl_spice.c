// SPDX-License-Identifier: MIT
/*
 * qxl_spice.c - the display-sink adapter: each display sink call of the
 * device becomes the matching spice-core display-source call (while
 * active), then goes on to the next sink (a move as damage to a sink that
 * takes no moves).
 */
#include <stdlib.h>

#include "qxl_spice.h"

struct qxl_spice {
	SpiceCoreDisplay *display;
	struct qxl_device *dev;		/* attached device, or NULL */
	const struct qxl_display_sink *next;
	void *next_opaque;
	bool active;
	/* What the adapter put on the display, to withdraw it. */
	bool primary_set;
	bool cursor_set;
	bool cursor_hidden;
	bool monitors_set;
	bool held;	/* spice-core's wake-up, until the batch's flush */
};

/* Call the next sink's `op`, if it has one. */
#define NEXT(a, op, ...)						\
	do {								\
		if ((a)->next && (a)->next->op)				\
			(a)->next->op((a)->next_opaque, ##__VA_ARGS__);	\
	} while (0)

uint32_t qxl_spice_format(uint32_t qxl_format)
{
	switch (qxl_format) {
	case QXL_SURFACE_FMT_32_xRGB:
		return SPICE_CORE_FMT_32_xRGB;
	case QXL_SURFACE_FMT_32_ARGB:
		return SPICE_CORE_FMT_32_ARGB;
	case QXL_SURFACE_FMT_16_565:
		return SPICE_CORE_FMT_16_565;
	case QXL_SURFACE_FMT_16_555:
		return SPICE_CORE_FMT_16_555;
	default:
		return 0;
	}
}

/*
 * A batch's damage and copies reach clients together: the server is held
 * from the first of them to the device's flush, which follows them.
 */
static void hold(struct qxl_spice *a)
{
	if (a->held)
		return;
	spice_core_display_hold(a->display);
	a->held = true;
}

static void unhold(struct qxl_spice *a)
{
	if (!a->held)
		return;
	a->held = false;
	spice_core_display_release(a->display);
}

/* Serve the primary described by info (NULL: none). */
static void serve_primary(struct qxl_spice *a,
			  const struct qxl_primary_info *info)
{
	uint32_t format = info ? qxl_spice_format(info->format) : 0;

	unhold(a);
	a->primary_set = format &&
		spice_core_display_set_primary(a->display, info->data,
					       info->width, info->height,
					       (int32_t)info->stride,
					       format) == 0;
	if (!a->primary_set)
		spice_core_display_clear_primary(a->display);
}

/* A guest's hot spot may lie outside its shape; spice-core's may not. */
static uint16_t clamp_hot(uint16_t hot, uint16_t size)
{
	return hot < size ? hot : (uint16_t)(size ? size - 1 : 0);
}

static void serve_cursor(struct qxl_spice *a,
			 const struct qxl_cursor_shape *shape, int x, int y,
			 bool visible)
{
	a->cursor_set = shape->argb &&
		spice_core_display_cursor_set(a->display, shape->argb,
			shape->width, shape->height,
			clamp_hot(shape->hot_x, shape->width),
			clamp_hot(shape->hot_y, shape->height)) == 0;
	spice_core_display_cursor_move(a->display, x, y);
	a->cursor_hidden = !visible || !a->cursor_set;
	if (a->cursor_hidden)
		spice_core_display_cursor_hide(a->display);
}

static void serve_monitors(struct qxl_spice *a, unsigned int n,
			   const struct qxl_monitor_head *heads)
{
	struct spice_core_head h[SPICE_CORE_MAX_HEADS];
	unsigned int i;

	if (n > SPICE_CORE_MAX_HEADS)
		n = SPICE_CORE_MAX_HEADS;
	for (i = 0; i < n; i++) {
		h[i].x = (int32_t)heads[i].x;
		h[i].y = (int32_t)heads[i].y;
		h[i].width = heads[i].width;
		h[i].height = heads[i].height;
	}
	spice_core_display_set_monitors(a->display, h, n);
	a->monitors_set = n > 0;
}

/* Serve everything the attached device shows now. */
static void serve_device(struct qxl_spice *a)
{
	struct qxl_monitor_head heads[QXL_MAX_MONITOR_HEADS];
	struct qxl_primary_info info;
	struct qxl_cursor_shape shape;
	bool visible;
	int x, y;

	serve_primary(a, qxl_device_get_primary(a->dev, &info) ? &info :
			 NULL);
	if (qxl_device_get_cursor(a->dev, &shape, &x, &y, &visible))
		serve_cursor(a, &shape, x, y, visible);
	else
		spice_core_display_cursor_hide(a->display);
	serve_monitors(a, qxl_device_get_monitors(a->dev, heads,
						  QXL_MAX_MONITOR_HEADS),
		       heads);
}

/* Take back what the adapter put on the display. */
static void withdraw(struct qxl_spice *a)
{
	unhold(a);
	if (a->primary_set)
		spice_core_display_clear_primary(a->display);
	if (a->cursor_set && !a->cursor_hidden)
		spice_core_display_cursor_hide(a->display);
	if (a->monitors_set)
		spice_core_display_set_monitors(a->display, NULL, 0);
	a->primary_set = a->cursor_set = a->monitors_set = false;
	a->cursor_hidden = false;
}

/* Display sink ---------------------------------------------------------- */

static void s_primary_create(void *opaque,
			     const struct qxl_primary_info *info)
{
	struct qxl_spice *a = opaque;

	if (a->active)
		serve_primary(a, info);
	NEXT(a, primary_create, info);
}

static void s_primary_destroy(void *opaque)
{
	struct qxl_spice *a = opaque;

	if (a->active)
		serve_primary(a, NULL);
	NEXT(a, primary_destroy);
}

static void s_damage(void *opaque, int x, int y, int w, int h)
{
	struct qxl_spice *a = opaque;

	if (a->active && a->primary_set) {
		hold(a);
		spice_core_display_damage(a->display, x, y, (uint32_t)w,
					  (uint32_t)h);
	}
	NEXT(a, damage, x, y, w, h);
}

/* The end of a batch: spice-core sends what it got (it reads damaged
 * pixels when a client has room). */
static void s_flush(void *opaque)
{
	struct qxl_spice *a = opaque;

	unhold(a);
	NEXT(a, flush);
}

static void s_cursor_set(void *opaque, const struct qxl_cursor_shape *shape,
			 int x, int y, bool visible)
{
	struct qxl_spice *a = opaque;

	if (a->active)
		serve_cursor(a, shape, x, y, visible);
	NEXT(a, cursor_set, shape, x, y, visible);
}

/*
 * A QXL MOVE also shows a hidden cursor; spice-core's move keeps the
 * cursor hidden, so the shape is set again first.
 */
static void s_cursor_move(void *opaque, int x, int y)
{
	struct qxl_spice *a = opaque;
	struct qxl_cursor_shape shape;
	bool visible;
	int cx, cy;

	if (a->active) {
		if (a->cursor_hidden && a->dev &&
		    qxl_device_get_cursor(a->dev, &shape, &cx, &cy, &visible))
			serve_cursor(a, &shape, x, y, true);
		else
			spice_core_display_cursor_move(a->display, x, y);
	}
	NEXT(a, cursor_move, x, y);
}

static void s_cursor_hide(void *opaque)
{
	struct qxl_spice *a = opaque;

	if (a->active) {
		spice_core_display_cursor_hide(a->display);
		a->cursor_hidden = true;
	}
	NEXT(a, cursor_hide);
}

/*
 * A COPY_BITS on the primary: spice-core sends clients that are up to
 * date a SPICE COPY_BITS (they replay the move), the others the pixels.
 * A next sink without moves gets the destination as damage.
 */
static void s_copy(void *opaque, int x, int y, int w, int h, int src_x,
		   int src_y)
{
	struct qxl_spice *a = opaque;

	if (a->active && a->primary_set) {
		hold(a);
		spice_core_display_copy(a->display, x, y, (uint32_t)w,
					(uint32_t)h, src_x, src_y);
	}
	if (a->next && a->next->copy)
		a->next->copy(a->next_opaque, x, y, w, h, src_x, src_y);
	else
		NEXT(a, damage, x, y, w, h);
}

static void s_monitors_config(void *opaque, unsigned int n,
			      const struct qxl_monitor_head *heads)
{
	struct qxl_spice *a = opaque;

	if (a->active)
		serve_monitors(a, n, heads);
	NEXT(a, monitors_config, n, heads);
}

const struct qxl_display_sink qxl_spice_sink = {
	.primary_create = s_primary_create,
	.primary_destroy = s_primary_destroy,
	.damage = s_damage,
	.flush = s_flush,
	.cursor_set = s_cursor_set,
	.cursor_move = s_cursor_move,
	.cursor_hide = s_cursor_hide,
	.monitors_config = s_monitors_config,
	.copy = s_copy,
};

/* Life cycle ----------------------------------------------------------- */

struct qxl_spice *qxl_spice_new(SpiceCoreDisplay *display)
{
	struct qxl_spice *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->display = display;
	a->active = true;
	return a;
}

void qxl_spice_free(struct qxl_spice *a)
{
	if (!a)
		return;
	qxl_spice_set_active(a, false);
	qxl_spice_attach(a, NULL);
	free(a);
}

void qxl_spice_chain(struct qxl_spice *a, const struct qxl_display_sink *next,
		     void *next_opaque)
{
	a->next = next;
	a->next_opaque = next_opaque;
}

void qxl_spice_attach(struct qxl_spice *a, struct qxl_device *dev)
{
	unhold(a);
	if (a->dev)
		qxl_device_set_sink(a->dev, NULL, NULL);
	a->dev = dev;
	if (!dev)
		return;
	qxl_device_set_sink(dev, &qxl_spice_sink, a);
	if (a->active)
		serve_device(a);
}

void qxl_spice_set_active(struct qxl_spice *a, bool active)
{
	if (active == a->active)
		return;
	a->active = active;
	if (!active)
		withdraw(a);
	else if (a->dev)
		serve_device(a);
}

bool qxl_spice_active(const struct qxl_spice *a)
{
	return a->active;
}
