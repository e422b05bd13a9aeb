// SPDX-License-Identifier: MIT
/*
 * keys_test: spice-x11's scancode to X keycode table (evdev keymap).
 * Known keys land on the keycodes Xvfb's keymap gives them (xmodmap -pk),
 * and no value a client can send maps outside 8..255.  TAP output.
 */
#include <stdint.h>
#include <stdio.h>
#include <spice-core/spice-core.h>

#include "tools/spice-x11.h"

#define EXT SPICE_CORE_KEY_EXTENDED

static const struct {
	const char *name;
	uint32_t scancode;
	unsigned int keycode;
} cases[] = {
	{ "escape", 0x01, 9 },
	{ "a", 0x1e, 38 },
	{ "return", 0x1c, 36 },
	{ "left_shift", 0x2a, 50 },
	{ "f12", 0x58, 96 },
	{ "kp_enter", EXT | 0x1c, 104 },
	{ "right_control", EXT | 0x1d, 105 },
	{ "right_alt", EXT | 0x38, 108 },
	{ "home", EXT | 0x47, 110 },
	{ "up", EXT | 0x48, 111 },
	{ "delete", EXT | 0x53, 119 },
	{ "super_left", EXT | 0x5b, 133 },
	{ "menu", EXT | 0x5d, 135 },
	{ "yen", 0x7d, 132 },
	{ "none_zero", 0x00, 0 },
	{ "none_ext_zero", EXT, 0 },
	{ "none_unassigned_ext", EXT | 0x01, 0 },
	{ "none_break_bit", 0x9e, 0 },
	{ "none_high_bits", 0x1001e, 0 },
	{ "none_all_ones", 0xffffffffu, 0 },
};

int main(void)
{
	unsigned int i, n = 0, failed = 0;
	uint32_t sc;

	printf("TAP version 13\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int kc = sx_scancode_to_keycode(cases[i].scancode);
		int ok = kc == cases[i].keycode;

		failed += !ok;
		printf("%sok %u %s%s", ok ? "" : "not ", ++n, cases[i].name,
		       ok ? "\n" : "");
		if (!ok)
			printf(": scancode 0x%x gave keycode %u, want %u\n",
			       cases[i].scancode, kc, cases[i].keycode);
	}
	/* Every 16-bit value and a spread of wider ones: 0 or 8..255. */
	for (sc = 0; sc < 0x1000000; sc = sc < 0x10000 ? sc + 1 : sc * 3) {
		unsigned int kc = sx_scancode_to_keycode(sc);

		if (kc && (kc < 8 || kc > 255)) {
			printf("not ok %u range: scancode 0x%x gave %u\n", ++n,
			       sc, kc);
			failed++;
			break;
		}
	}
	if (!failed || n == sizeof(cases) / sizeof(cases[0]))
		printf("ok %u range\n", ++n);
	printf("1..%u\n", n);
	return failed ? 1 : 0;
}
