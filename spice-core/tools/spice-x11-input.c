// SPDX-License-Identifier: MIT
/*
 * spice-x11: what SPICE clients ask of the X server (spice-x11.c has the
 * way back): a resize as a RandR mode, the keyboard locks, keys and mouse
 * through XTest.  Every value a client sends is checked or clamped here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <X11/Xlib.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/Xrandr.h>
#include <spice-core/spice-core.h>

#include "tools/spice-x11.h"

/* Wheel clicks one mouse message may cause. */
#define SX_MAX_WHEEL_STEPS	16

/* SPICE button bits and the X buttons they press. */
static const struct {
	uint32_t bit;
	unsigned int button;
} button_map[] = {
	{ SPICE_CORE_BUTTON_LEFT, 1 },
	{ SPICE_CORE_BUTTON_MIDDLE, 2 },
	{ SPICE_CORE_BUTTON_RIGHT, 3 },
	{ SPICE_CORE_BUTTON_SIDE, 8 },
	{ SPICE_CORE_BUTTON_EXTRA, 9 },
};

/* RandR ------------------------------------------------------------------- */

static RRMode find_or_make_mode(struct sx *sx, XRRScreenResources *res,
				RROutput output, uint32_t w, uint32_t h)
{
	XRROutputInfo *oi = XRRGetOutputInfo(sx->dpy, res, output);
	XRRModeInfo mi = { 0 };
	char name[32];
	RRMode mode = None;
	int i, j;

	for (i = 0; i < res->nmode && !mode; i++) {
		if (res->modes[i].width != w || res->modes[i].height != h)
			continue;
		for (j = 0; oi && j < oi->nmode; j++)
			if (oi->modes[j] == res->modes[i].id)
				mode = res->modes[i].id;
	}
	if (oi)
		XRRFreeOutputInfo(oi);
	if (mode)
		return mode;
	/* A mode of our own: the timings only need to be plausible for a
	 * virtual screen (Xvfb, Xorg's dummy driver), 60 Hz with blanking. */
	snprintf(name, sizeof(name), "%ux%u", w, h);
	mi.width = w;
	mi.height = h;
	mi.hSyncStart = w + 48;
	mi.hSyncEnd = w + 80;
	mi.hTotal = w + 160;
	mi.vSyncStart = h + 3;
	mi.vSyncEnd = h + 9;
	mi.vTotal = h + 30;
	mi.dotClock = (unsigned long)mi.hTotal * mi.vTotal * 60;
	mi.name = name;
	mi.nameLength = (unsigned int)strlen(name);
	sx_x_error_seen = false;
	mode = XRRCreateMode(sx->dpy, sx->root, &mi);
	XRRAddOutputMode(sx->dpy, output, mode);
	XSync(sx->dpy, False);
	return sx_x_error_seen ? None : mode;
}

/* Make the X screen w x h: the first connected output's CRTC gets a mode
 * of that size (made if none exists), and the screen that size.  The
 * RRScreenChangeNotify that follows resizes what we serve. */
void sx_randr_resize(struct sx *sx, uint32_t w, uint32_t h)
{
	XRRScreenResources *res;
	XRRCrtcInfo *ci = NULL;
	RROutput output = None;
	RRCrtc crtc = None;
	RRMode mode;
	int i, minw, minh, maxw, maxh;

	if (!sx->has_randr)
		return;
	if (!XRRGetScreenSizeRange(sx->dpy, sx->root, &minw, &minh, &maxw,
				   &maxh))
		return;
	if (sx->max_w) {
		maxw = MIN(maxw, (int)sx->max_w);
		maxh = MIN(maxh, (int)sx->max_h);
	}
	w = CLAMP(w, (uint32_t)MAX(minw, 1), (uint32_t)MAX(maxw, 1));
	h = CLAMP(h, (uint32_t)MAX(minh, 1), (uint32_t)MAX(maxh, 1));
	if (w == sx->w && h == sx->h)
		return;
	res = XRRGetScreenResourcesCurrent(sx->dpy, sx->root);
	if (!res)
		return;
	for (i = 0; i < res->noutput && !output; i++) {
		XRROutputInfo *oi = XRRGetOutputInfo(sx->dpy, res,
						     res->outputs[i]);

		if (oi && oi->connection == RR_Connected && oi->ncrtc) {
			output = res->outputs[i];
			crtc = oi->crtc ? oi->crtc : oi->crtcs[0];
		}
		if (oi)
			XRRFreeOutputInfo(oi);
	}
	if (!output)
		goto out;
	mode = find_or_make_mode(sx, res, output, w, h);
	ci = XRRGetCrtcInfo(sx->dpy, res, crtc);
	if (!mode || !ci)
		goto out;
	XGrabServer(sx->dpy);
	if (ci->mode && (ci->x + ci->width > w || ci->y + ci->height > h))
		XRRSetCrtcConfig(sx->dpy, res, crtc, CurrentTime, 0, 0, None,
				 RR_Rotate_0, NULL, 0);
	/* 96 dpi */
	XRRSetScreenSize(sx->dpy, sx->root, (int)w, (int)h,
			 (int)((uint64_t)w * 254 / 960),
			 (int)((uint64_t)h * 254 / 960));
	XRRSetCrtcConfig(sx->dpy, res, crtc, CurrentTime, 0, 0, mode,
			 RR_Rotate_0, &output, 1);
	XUngrabServer(sx->dpy);
	XSync(sx->dpy, False);
out:
	if (ci)
		XRRFreeCrtcInfo(ci);
	XRRFreeScreenResources(res);
}

/* Keyboard locks ----------------------------------------------------------- */

/* SPICE LED bits, the X indicator names that show them, and the keys
 * (evdev keycodes) that toggle them. */
static const struct {
	uint32_t led;
	const char *name;
	unsigned int keycode;
} locks[3] = {
	{ SPICE_CORE_LED_SCROLL_LOCK, "Scroll Lock", 70 + 8 },
	{ SPICE_CORE_LED_NUM_LOCK, "Num Lock", 69 + 8 },
	{ SPICE_CORE_LED_CAPS_LOCK, "Caps Lock", 58 + 8 },
};

void sx_locks_init(struct sx *sx)
{
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(locks); i++)
		sx->led_names[i] = XInternAtom(sx->dpy, locks[i].name, False);
	XkbSelectEvents(sx->dpy, XkbUseCoreKbd, XkbIndicatorStateNotifyMask,
			XkbIndicatorStateNotifyMask);
}

/* The lock LEDs X shows now, as SPICE_CORE_LED_* bits. */
uint32_t sx_x_leds(struct sx *sx)
{
	uint32_t leds = 0;
	unsigned int i;
	Bool on;

	if (!sx->has_xkb)
		return 0;
	for (i = 0; i < G_N_ELEMENTS(locks); i++)
		if (sx->led_names[i] &&
		    XkbGetNamedIndicator(sx->dpy, sx->led_names[i], NULL, &on,
					 NULL, NULL) && on)
			leds |= locks[i].led;
	return leds;
}

/* A client's lock state (sent when it connects or gets the focus): X
 * takes it by the keys a user would press, and shows it on its LEDs. */
static void on_key_leds(void *o, uint32_t leds)
{
	struct sx *sx = o;
	uint32_t now = sx_x_leds(sx);
	unsigned int i;

	if (sx->log_input) {
		printf("leds %u (X: %u)\n", leds, now);
		fflush(stdout);
	}
	if (!sx->has_xkb)
		return;
	for (i = 0; i < G_N_ELEMENTS(locks); i++) {
		if (!((leds ^ now) & locks[i].led))
			continue;
		XTestFakeKeyEvent(sx->dpy, locks[i].keycode, True, CurrentTime);
		XTestFakeKeyEvent(sx->dpy, locks[i].keycode, False, CurrentTime);
	}
	XFlush(sx->dpy);
}

/* Client input ------------------------------------------------------------- */

static void key_event(struct sx *sx, unsigned int keycode, bool down)
{
	uint8_t bit = (uint8_t)(1u << (keycode & 7));

	if (down)
		sx->keys_down[keycode / 8] |= bit;
	else
		sx->keys_down[keycode / 8] &= (uint8_t)~bit;
	XTestFakeKeyEvent(sx->dpy, keycode, down, CurrentTime);
}

static void on_key(void *o, uint32_t scancode, bool down)
{
	struct sx *sx = o;
	unsigned int kc = sx_scancode_to_keycode(scancode);

	if (sx->log_input) {
		printf("key 0x%03x %s keycode %u\n", scancode,
		       down ? "down" : "up", kc);
		fflush(stdout);
	}
	if (!kc || kc > 255)
		return;
	key_event(sx, kc, down);
	XFlush(sx->dpy);
}

static void set_buttons(struct sx *sx, uint32_t buttons, int32_t dz)
{
	unsigned int i, steps, b;

	for (i = 0; i < G_N_ELEMENTS(button_map); i++) {
		uint32_t bit = button_map[i].bit;

		if ((buttons ^ sx->buttons) & bit)
			XTestFakeButtonEvent(sx->dpy, button_map[i].button,
					     !!(buttons & bit), CurrentTime);
	}
	sx->buttons = buttons;
	/* dz < 0 is wheel up: X button 4; down is 5. */
	steps = dz < 0 ? (dz < -SX_MAX_WHEEL_STEPS ? SX_MAX_WHEEL_STEPS :
			  (unsigned int)-dz) :
		(dz > SX_MAX_WHEEL_STEPS ? SX_MAX_WHEEL_STEPS :
		 (unsigned int)dz);
	b = dz < 0 ? 4 : 5;
	for (i = 0; i < steps; i++) {
		XTestFakeButtonEvent(sx->dpy, b, True, CurrentTime);
		XTestFakeButtonEvent(sx->dpy, b, False, CurrentTime);
	}
}

static void on_mouse_rel(void *o, int32_t dx, int32_t dy, int32_t dz,
			 uint32_t buttons)
{
	struct sx *sx = o;

	dx = CLAMP(dx, -(int32_t)sx->w, (int32_t)sx->w);
	dy = CLAMP(dy, -(int32_t)sx->h, (int32_t)sx->h);
	if (dx || dy)
		XTestFakeRelativeMotionEvent(sx->dpy, dx, dy, CurrentTime);
	set_buttons(sx, buttons, dz);
	XFlush(sx->dpy);
	sx_poll_pointer(sx);
}

static void on_mouse_abs(void *o, uint32_t display_id, int32_t x, int32_t y,
			 int32_t dz, uint32_t buttons)
{
	struct sx *sx = o;

	if (display_id != 0)
		return;
	x = CLAMP(x, 0, (int32_t)sx->w - 1);
	y = CLAMP(y, 0, (int32_t)sx->h - 1);
	XTestFakeMotionEvent(sx->dpy, sx->screen, x, y, CurrentTime);
	set_buttons(sx, buttons, dz);
	XFlush(sx->dpy);
}

static bool on_monitors(void *o, uint32_t display_id,
			const struct spice_core_head *heads, unsigned int n)
{
	struct sx *sx = o;
	int64_t w = 0, h = 0;
	unsigned int i;

	if (display_id != 0)
		return false;
	/* The screen holds every head: the box from (0, 0) around them. */
	for (i = 0; i < n; i++) {
		w = MAX(w, (int64_t)MAX(heads[i].x, 0) + heads[i].width);
		h = MAX(h, (int64_t)MAX(heads[i].y, 0) + heads[i].height);
	}
	if (sx->log_input) {
		printf("monitors %u heads, box %" PRId64 "x%" PRId64 "%s\n", n,
		       w, h, sx->resize ? "" : " (ignored: --no-resize)");
		fflush(stdout);
	}
	if (!sx->resize || w < 1 || h < 1)
		return false;
	sx_randr_resize(sx, (uint32_t)MIN(w, 16384), (uint32_t)MIN(h, 16384));
	return true;
}

/* No client left: release what they held, stop watching the pointer. */
static void on_clients(void *o, unsigned int n)
{
	struct sx *sx = o;
	unsigned int kc;

	sx->clients = n;
	sx_clip_clients(sx, n);
	if (sx->log_input) {
		printf("clients %u\n", n);
		fflush(stdout);
	}
	if (n && !sx->poll_id) {
		sx->poll_id = g_timeout_add(SX_CURSOR_POLL_MS, sx_poll_pointer, sx);
	} else if (!n) {
		if (sx->poll_id)
			g_source_remove(sx->poll_id);
		sx->poll_id = 0;
		for (kc = 8; kc < 256; kc++)
			if (sx->keys_down[kc / 8] & (1u << (kc & 7)))
				key_event(sx, kc, false);
		set_buttons(sx, 0, 0);
		XFlush(sx->dpy);
	}
}

const struct spice_core_ops sx_ops = {
	.key = on_key,
	.key_leds = on_key_leds,
	.mouse_rel = on_mouse_rel,
	.mouse_abs = on_mouse_abs,
	.monitors_request = on_monitors,
	.clients_changed = on_clients,
	.clipboard_grab = sx_clip_grab,
	.clipboard_request = sx_clip_request,
	.clipboard_data = sx_clip_data,
	.clipboard_release = sx_clip_release,
};

