/* SPDX-License-Identifier: MIT */
/*
 * spice-x11: serve an X display over SPICE (spice-x11.c); the parts with
 * no X connection in them, kept apart so that tests reach them alone.
 */
#ifndef SPICE_X11_H
#define SPICE_X11_H

#include <stdint.h>

/*
 * The X keycode (evdev keymap) of a key a SPICE client pressed: scancode
 * is a set-1 make code, SPICE_CORE_KEY_EXTENDED set for 0xE0 ones.  0 for
 * codes that name no key (the client's value is never trusted).
 */
unsigned int sx_scancode_to_keycode(uint32_t scancode);

#endif /* SPICE_X11_H */
