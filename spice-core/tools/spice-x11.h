/* SPDX-License-Identifier: MIT */
/*
 * spice-x11: serve an X display over SPICE.  spice-x11.c: setup, the X
 * events, pixels and cursor to spice-core; spice-x11-input.c: the
 * clients' input and resize requests to X; spice-x11-clip.c: the
 * clipboard both ways (X selections); spice-x11-keys.c: the
 * scancode table (no X connection in it, tests reach it alone).
 */
#ifndef SPICE_X11_H
#define SPICE_X11_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <pixman.h>
#include <X11/Xlib.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xdamage.h>
#include <spice-core/spice-core.h>

/* The pointer's position is polled this often while clients watch. */
#define SX_CURSOR_POLL_MS	50

/* Clipboard: X selections served (CLIPBOARD, PRIMARY), X requests kept
 * while a client's data is awaited, and how long it may take. */
#define SX_SELECTIONS		2
#define SX_CLIP_WAITING_MAX	64
#define SX_CLIP_TIMEOUT_MS	5000

/* One X selection, between the clients and X. */
struct sx_selection {
	struct sx *sx;
	Atom atom;
	uint32_t client;	/* the client that owns it (we hold it in X
				 * for that client), 0: none */
	GArray *waiting;	/* XSelectionRequestEvent: X clients waiting
				 * for the owning client's data */
	bool asked;		/* the owning client was asked for it */
	guint timeout_id;	/* gives up on it */
	bool x_owned;		/* another X client owns it (clients told) */
	GArray *readers;	/* uint32_t: clients waiting for X's data */
	bool converting;	/* XConvertSelection sent, not answered */
	guint convert_timeout_id;
};

/* The program's state, one per process. */
struct sx {
	/* X */
	Display *dpy;
	const char *display_name;
	int screen;
	Window root;
	int damage_event, fixes_event, randr_event, xkb_event;
	bool has_randr, has_xkb;
	Atom led_names[3];	/* Scroll, Num, Caps Lock indicators */
	Damage damage;
	bool use_shm;
	XShmSegmentInfo shm;
	XImage *shm_img;
	size_t shm_bytes;
	bool swap_bytes;	/* the X server's pixels are big-endian */

	/* The screen copy served as the primary surface. */
	uint32_t w, h;
	uint32_t *fb;
	pixman_region32_t dirty;

	/* SPICE */
	SpiceCore *core;
	SpiceCoreDisplay *display;
	unsigned int clients;
	bool resize;		/* follow the clients' resize requests */
	uint32_t max_w, max_h;	/* --max-size, 0: RandR's maximum */
	bool resized;		/* the root window changed size */
	bool log_input;

	/* Input state, so that a client going away leaves nothing held. */
	uint32_t buttons;
	uint8_t keys_down[256 / 8];
	int32_t cursor_x, cursor_y;
	guint poll_id;

	/* Clipboard (spice-x11-clip.c) */
	Window clip_win;	/* owns the selections, receives conversions */
	Atom a_targets, a_utf8, a_text, a_prop, a_incr;
	struct sx_selection sel[SX_SELECTIONS];

	GMainLoop *loop;
};

/* spice-x11.c: an X error answered one of our requests since this was
 * last cleared (set by the error handler). */
extern bool sx_x_error_seen;
/* Where the X pointer is now, to the clients (a GSourceFunc). */
gboolean sx_poll_pointer(gpointer sx);

/* spice-x11-input.c: the clients' requests. */
extern const struct spice_core_ops sx_ops;
/* Make the X screen w x h (clamped to RandR's range and --max-size). */
void sx_randr_resize(struct sx *sx, uint32_t w, uint32_t h);
/* XKB: the lock indicators' names, their change events selected. */
void sx_locks_init(struct sx *sx);
/* The lock LEDs X shows now, SPICE_CORE_LED_* bits. */
uint32_t sx_x_leds(struct sx *sx);

/* spice-x11-clip.c: the clipboard window and selection events selected;
 * an X event of the clipboard's (true: handled); the callbacks for
 * sx_ops; a client gone (n: clients left). */
void sx_clip_init(struct sx *sx);
bool sx_clip_event(struct sx *sx, XEvent *ev);
void sx_clip_clients(struct sx *sx, unsigned int n);
void sx_clip_grab(void *o, uint32_t client, unsigned int selection,
		  const uint32_t *types, unsigned int n);
void sx_clip_request(void *o, uint32_t client, unsigned int selection,
		     uint32_t type);
void sx_clip_data(void *o, uint32_t client, unsigned int selection,
		  uint32_t type, const uint8_t *data, size_t size);
void sx_clip_release(void *o, uint32_t client, unsigned int selection);

/*
 * The X keycode (evdev keymap) of a key a SPICE client pressed: scancode
 * is a set-1 make code, SPICE_CORE_KEY_EXTENDED set for 0xE0 ones.  0 for
 * codes that name no key (the client's value is never trusted).
 */
unsigned int sx_scancode_to_keycode(uint32_t scancode);

#endif /* SPICE_X11_H */
