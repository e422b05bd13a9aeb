// SPDX-License-Identifier: MIT
/*
 * spice-x11: SPICE scancodes to X keycodes.
 *
 * SPICE clients send PC/XT set-1 make codes, 0xE0-prefixed ones with
 * SPICE_CORE_KEY_EXTENDED.  X servers with the evdev keymap (Xvfb, Xorg
 * with libinput or evdev: every X server Debian ships) number keys as
 * Linux input key codes plus 8.  The plain set-1 codes 0x01..0x58 are the
 * Linux codes themselves; above that, and for the extended codes, the
 * tables below give the Linux code (what the kernel's AT keyboard driver
 * maps them to).
 */
#include <stddef.h>
#include <stdint.h>
#include <spice-core/spice-core.h>

#include "tools/spice-x11.h"

/* Linux key codes of set-1 codes 0x59..0x7f (0: no key). */
static const uint8_t plain_high[0x80 - 0x59] = {
	[0x59 - 0x59] = 117,	/* KEY_KPEQUAL */
	[0x5a - 0x59] = 0,
	[0x5b - 0x59] = 0,
	[0x5c - 0x59] = 95,	/* KEY_KPJPCOMMA */
	[0x5d - 0x59] = 183,	/* KEY_F13 */
	[0x5e - 0x59] = 184,	/* KEY_F14 */
	[0x5f - 0x59] = 185,	/* KEY_F15 */
	[0x63 - 0x59] = 186,	/* KEY_F16 */
	[0x64 - 0x59] = 187,	/* KEY_F17 */
	[0x65 - 0x59] = 188,	/* KEY_F18 */
	[0x66 - 0x59] = 189,	/* KEY_F19 */
	[0x67 - 0x59] = 190,	/* KEY_F20 */
	[0x68 - 0x59] = 191,	/* KEY_F21 */
	[0x69 - 0x59] = 192,	/* KEY_F22 */
	[0x6a - 0x59] = 193,	/* KEY_F23 */
	[0x6b - 0x59] = 194,	/* KEY_F24 */
	[0x70 - 0x59] = 93,	/* KEY_KATAKANAHIRAGANA */
	[0x71 - 0x59] = 123,	/* KEY_HANJA */
	[0x72 - 0x59] = 122,	/* KEY_HANGEUL */
	[0x73 - 0x59] = 89,	/* KEY_RO */
	[0x76 - 0x59] = 85,	/* KEY_ZENKAKUHANKAKU */
	[0x77 - 0x59] = 90,	/* KEY_HIRAGANA */
	[0x78 - 0x59] = 91,	/* KEY_KATAKANA */
	[0x79 - 0x59] = 92,	/* KEY_HENKAN */
	[0x7b - 0x59] = 94,	/* KEY_MUHENKAN */
	[0x7d - 0x59] = 124,	/* KEY_YEN */
	[0x7e - 0x59] = 121,	/* KEY_KPCOMMA */
};

/* Linux key codes of the 0xE0-prefixed set-1 codes (0: no key). */
static const uint8_t extended[0x80] = {
	[0x10] = 165,	/* KEY_PREVIOUSSONG */
	[0x19] = 163,	/* KEY_NEXTSONG */
	[0x1c] = 96,	/* KEY_KPENTER */
	[0x1d] = 97,	/* KEY_RIGHTCTRL */
	[0x20] = 113,	/* KEY_MUTE */
	[0x21] = 140,	/* KEY_CALC */
	[0x22] = 164,	/* KEY_PLAYPAUSE */
	[0x24] = 166,	/* KEY_STOPCD */
	[0x2e] = 114,	/* KEY_VOLUMEDOWN */
	[0x30] = 115,	/* KEY_VOLUMEUP */
	[0x32] = 172,	/* KEY_HOMEPAGE */
	[0x35] = 98,	/* KEY_KPSLASH */
	[0x37] = 99,	/* KEY_SYSRQ (Print Screen) */
	[0x38] = 100,	/* KEY_RIGHTALT */
	[0x46] = 119,	/* KEY_PAUSE (Ctrl+Break) */
	[0x47] = 102,	/* KEY_HOME */
	[0x48] = 103,	/* KEY_UP */
	[0x49] = 104,	/* KEY_PAGEUP */
	[0x4b] = 105,	/* KEY_LEFT */
	[0x4d] = 106,	/* KEY_RIGHT */
	[0x4f] = 107,	/* KEY_END */
	[0x50] = 108,	/* KEY_DOWN */
	[0x51] = 109,	/* KEY_PAGEDOWN */
	[0x52] = 110,	/* KEY_INSERT */
	[0x53] = 111,	/* KEY_DELETE */
	[0x5b] = 125,	/* KEY_LEFTMETA */
	[0x5c] = 126,	/* KEY_RIGHTMETA */
	[0x5d] = 127,	/* KEY_COMPOSE (Menu) */
	[0x5e] = 116,	/* KEY_POWER */
	[0x5f] = 142,	/* KEY_SLEEP */
	[0x63] = 143,	/* KEY_WAKEUP */
	[0x65] = 217,	/* KEY_SEARCH */
	[0x66] = 156,	/* KEY_BOOKMARKS */
	[0x67] = 173,	/* KEY_REFRESH */
	[0x68] = 128,	/* KEY_STOP */
	[0x69] = 159,	/* KEY_FORWARD */
	[0x6a] = 158,	/* KEY_BACK */
	[0x6b] = 157,	/* KEY_COMPUTER */
	[0x6c] = 155,	/* KEY_MAIL */
	[0x6d] = 226,	/* KEY_MEDIA */
};

unsigned int sx_scancode_to_keycode(uint32_t scancode)
{
	uint32_t code = scancode & 0x7f;
	unsigned int linux_key;

	if (scancode & ~(SPICE_CORE_KEY_EXTENDED | 0x7fu))
		return 0;
	if (scancode & SPICE_CORE_KEY_EXTENDED)
		linux_key = extended[code];
	else if (code >= 0x59)
		linux_key = plain_high[code - 0x59];
	else
		linux_key = code;	/* 0x01..0x58 are the same; 0: none */
	return linux_key ? linux_key + 8 : 0;
}
