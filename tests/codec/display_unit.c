// SPDX-License-Identifier: MIT
/*
 * Unit tests of the display channel's choices (spice-core/channels,
 * linked from libspicecore.a): moves found in damage (moves.c), the
 * per-client image cache and its invalidations (imgcache.c), and the
 * codec each client gets per region (encode.c: its menu, spice-gtk's
 * with LZ4 or spice-html5's without, and its PREFERRED_COMPRESSION).
 * TAP output; each check looks at the values computed, not at timing.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spice/enums.h>

#include "channels/encode.h"
#include "channels/imgcache.h"
#include "channels/moves.h"
#include "pictures.h"

static int n_tests, n_failed;

static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	if (!ok)
		n_failed++;
	printf("%s %d - ", ok ? "ok" : "not ok", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#define SW 640
#define SH 480

/* px := the w x h pixels of `from` (SW wide) at (x, y). */
static void cut(uint32_t *px, const uint32_t *from, int x, int y, int w,
		int h)
{
	int r;

	for (r = 0; r < h; r++)
		memcpy(px + (size_t)r * w, from + (size_t)(y + r) * SW + x,
		       (size_t)w * 4);
}

/* Moves ------------------------------------------------------------------ */

static void check_moves(void)
{
	uint32_t *shadow = malloc((size_t)SW * SH * 4);
	uint32_t *screen = malloc((size_t)SW * SH * 4);
	uint32_t *px = malloc((size_t)SW * SH * 4);
	pixman_box32_t r, a, d;
	pixman_region32_t avoid;
	int32_t dx, dy;
	bool found;
	int y;

	pic_make(PIC_UI, shadow, SW, SH, 11, 0);

	/* Unchanged damage: nothing differs. */
	r = (pixman_box32_t){ 10, 20, 300, 200 };
	cut(px, shadow, 10, 20, 290, 180);
	result(!sc_diff_box(shadow, SW, &r, px, 290, &d),
	       "damage over unchanged pixels: no difference");
	/* One pixel changed: the box is that pixel. */
	px[(size_t)50 * 290 + 70] ^= 0x00102030;
	result(sc_diff_box(shadow, SW, &r, px, 290, &d) &&
	       d.x1 == 80 && d.x2 == 81 && d.y1 == 70 && d.y2 == 71,
	       "damage trimmed to the one pixel that changed");

	/* A scroll: the screen's rows 0..SH-32 are what the shadow held at
	 * rows 32..SH.  The move found is (0, +32) and covers the rows that
	 * came from the shadow. */
	memcpy(screen, shadow + (size_t)32 * SW, (size_t)SW * (SH - 32) * 4);
	for (y = SH - 32; y < SH; y++)
		memset(screen + (size_t)y * SW, 0x55, SW * 4);
	r = (pixman_box32_t){ 0, 0, SW, SH };
	found = sc_find_move(shadow, SW, SH, &r, screen, SW, NULL, 0, 0, &a,
			     &dx, &dy);
	result(found && dx == 0 && dy == 32 && a.x1 == 0 && a.x2 == SW &&
	       a.y1 == 0 && a.y2 == SH - 32,
	       "a 32-row scroll is found as a move (0, 32) over %d rows "
	       "(got %d: %d,%d %d,%d-%d,%d)", SH - 32, found, dx, dy, a.x1,
	       a.y1, a.x2, a.y2);
	/* The same with the last move as the hint. */
	found = sc_find_move(shadow, SW, SH, &r, screen, SW, NULL, 0, 32, &a,
			     &dx, &dy);
	result(found && dx == 0 && dy == 32 && a.y2 == SH - 32,
	       "the scroll found again from the hint");
	/* A wrong hint is not taken. */
	found = sc_find_move(shadow, SW, SH, &r, screen, SW, NULL, 8, 4, &a,
			     &dx, &dy);
	result(found && dx == 0 && dy == 32,
	       "a wrong hint does not hide the move");

	/* A window dragged: 200x150 at (100, 80) now at (108, 84). */
	memcpy(screen, shadow, (size_t)SW * SH * 4);
	for (y = 0; y < 150; y++)
		memcpy(screen + (size_t)(84 + y) * SW + 108,
		       shadow + (size_t)(80 + y) * SW + 100, 200 * 4);
	r = (pixman_box32_t){ 100, 80, 308, 234 };
	cut(px, screen, 100, 80, 208, 154);
	found = sc_find_move(shadow, SW, SH, &r, px, 208, NULL, 0, 0, &a, &dx,
			     &dy);
	result(found && dx == -8 && dy == -4 && a.x1 <= 108 && a.x2 >= 308 &&
	       a.y1 <= 84 && a.y2 >= 234,
	       "a window dragged by (8, 4) is found as a move (-8, -4) "
	       "covering it (got %d: %d,%d)", found, dx, dy);
	/* Every pixel of the move's area is what its source held. */
	if (found) {
		bool same = true;
		int x;

		for (y = a.y1; y < a.y2 && same; y++)
			for (x = a.x1; x < a.x2; x++)
				if (screen[(size_t)y * SW + x] !=
				    shadow[(size_t)(y + dy) * SW + x + dx]) {
					same = false;
					break;
				}
		result(same, "the move's area equals its source exactly");
	}
	/* The source where the client's pixels are not exact: no move. */
	pixman_region32_init_rect(&avoid, 90, 70, 230, 180);
	found = sc_find_move(shadow, SW, SH, &r, px, 208, &avoid, -8, -4, &a,
			     &dx, &dy);
	result(!found, "no move from pixels the client does not have exactly");
	pixman_region32_fini(&avoid);

	/* New content (a photo): no move. */
	pic_make(PIC_PHOTO, px, 300, 200, 5, 0);
	r = (pixman_box32_t){ 0, 0, 300, 200 };
	result(!sc_find_move(shadow, SW, SH, &r, px, 300, NULL, 0, 0, &a, &dx,
			     &dy), "a new photo is not taken for a move");
	/* Too small to be worth it. */
	r = (pixman_box32_t){ 0, 0, 40, 40 };
	cut(px, shadow, 0, 8, 40, 40);
	result(!sc_find_move(shadow, SW, SH, &r, px, 40, NULL, 0, 8, &a, &dx,
			     &dy), "moves under %d pixels are not sent",
	       SC_MOVE_MIN_PIXELS);
	free(shadow);
	free(screen);
	free(px);
}

/* The image cache -------------------------------------------------------- */

static void check_cache(void)
{
	struct sc_imgcache c;
	GArray *dropped = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	uint32_t a[64 * 64], b[64 * 64];
	uint64_t ha, hb, hc, id_a, id_b, id_c, id;
	bool kept;

	pic_make(PIC_UI, a, 64, 64, 1, 0);
	memcpy(b, a, sizeof(a));
	b[4095] ^= 1;
	ha = sc_pixels_hash(a, 64, 64, 64);
	hb = sc_pixels_hash(b, 64, 64, 64);
	result(ha && hb && ha != hb, "images one pixel apart hash apart");
	result(sc_pixels_hash(a, 64, 64, 32) != sc_pixels_hash(a, 64, 32, 64) &&
	       sc_pixels_hash(a, 64, 64, 64) == ha,
	       "the hash covers the size and is repeatable");

	sc_imgcache_init(&c);
	/* No budget (the client keeps nothing): never kept. */
	result(!sc_imgcache_add(&c, ha, 4096, &id, dropped) &&
	       !sc_imgcache_add(&c, ha, 4096, &id, dropped),
	       "no budget: nothing is kept");
	sc_imgcache_fini(&c);

	/* Room for two 64x64 images. */
	sc_imgcache_init(&c);
	sc_imgcache_set_budget(&c, 2 * 4096);
	kept = sc_imgcache_add(&c, ha, 4096, &id_a, dropped);
	result(!kept && !sc_imgcache_lookup(&c, ha, &id),
	       "an image seen once is not kept");
	kept = sc_imgcache_add(&c, ha, 4096, &id_a, dropped);
	result(kept && sc_imgcache_lookup(&c, ha, &id) && id == id_a,
	       "seen twice it is kept and found (FROM_CACHE) after");
	sc_imgcache_add(&c, hb, 4096, &id_b, dropped);
	kept = sc_imgcache_add(&c, hb, 4096, &id_b, dropped);
	result(kept && id_b != id_a && dropped->len == 0,
	       "a second image fits the budget: nothing dropped");
	/* a used last: b is the least recently used. */
	sc_imgcache_lookup(&c, ha, &id);
	hc = ha ^ 0x5a5a5a5a5a5aull;
	sc_imgcache_add(&c, hc, 4096, &id_c, dropped);
	kept = sc_imgcache_add(&c, hc, 4096, &id_c, dropped);
	result(kept && dropped->len == 1 &&
	       g_array_index(dropped, uint64_t, 0) == id_b &&
	       !sc_imgcache_lookup(&c, hb, &id) &&
	       sc_imgcache_lookup(&c, ha, &id) && id == id_a,
	       "over budget the least recently used is dropped and listed "
	       "for INVAL_LIST (dropped %u)", dropped->len);
	g_array_set_size(dropped, 0);
	/* Larger than the whole budget: never kept, nothing dropped. */
	sc_imgcache_add(&c, hb ^ 1, 3 * 4096, &id, dropped);
	result(!sc_imgcache_add(&c, hb ^ 1, 3 * 4096, &id, dropped) &&
	       dropped->len == 0 && sc_imgcache_lookup(&c, ha, &id),
	       "an image over the budget is not kept and drops nothing");
	sc_imgcache_fini(&c);
	g_array_free(dropped, TRUE);
}

/* Codec choice ----------------------------------------------------------- */

static const char *name(enum sc_codec k)
{
	return sc_codec_name(k);
}

static void check_codecs(void)
{
	enum { W = 512, H = 384 };
	uint32_t *photo = malloc((size_t)W * H * 4);
	uint32_t *ui = malloc((size_t)W * H * 4);
	uint32_t *mixed = malloc((size_t)W * H * 4);
	struct sc_codec_client gtk = { SPICE_CORE_COMPRESSION_AUTO, true, 0 };
	struct sc_codec_client html5 = { SPICE_CORE_COMPRESSION_AUTO, false,
					 0 };
	struct sc_codec_client c;
	struct sc_piece pieces[SC_PLAN_MAX];
	unsigned int n, i, quic = 0, other = 0;
	enum sc_codec k;
	int y;

	pic_make(PIC_PHOTO, photo, W, H, 3, 0);
	pic_make(PIC_UI, ui, W, H, 4, 0);
	/* The left half photo, the right half UI (tile-aligned). */
	for (y = 0; y < H; y++) {
		memcpy(mixed + (size_t)y * W, photo + (size_t)y * W, W / 2 * 4);
		memcpy(mixed + (size_t)y * W + W / 2, ui + (size_t)y * W + W / 2,
		       W / 2 * 4);
	}

	k = sc_codec_choose(&gtk, photo, W, W, H);
	result(k == SC_CODEC_QUIC, "spice-gtk: a photo goes as QUIC (%s)",
	       name(k));
	k = sc_codec_choose(&gtk, ui, W, W, H);
	result(k == SC_CODEC_LZ4, "spice-gtk: UI goes as LZ4 (%s)", name(k));
	k = sc_codec_choose(&html5, photo, W, W, H);
	result(k == SC_CODEC_QUIC, "spice-html5: a photo goes as QUIC (%s)",
	       name(k));
	k = sc_codec_choose(&html5, ui, W, W, H);
	result(k == SC_CODEC_LZ,
	       "spice-html5 (no LZ4 in its menu): UI goes as LZ (%s)", name(k));
	k = sc_codec_choose(&html5, ui, W, 4, 4);
	result(k == SC_CODEC_RAW, "a rectangle under %d pixels goes raw (%s)",
	       SC_CODEC_MIN_PIXELS, name(k));

	/* PREFERRED_COMPRESSION, as spice-gtk sends it. */
	c = gtk;
	c.preferred = SPICE_IMAGE_COMPRESSION_LZ;
	result(sc_codec_choose(&c, photo, W, W, H) == SC_CODEC_LZ &&
	       sc_codec_choose(&c, ui, W, W, H) == SC_CODEC_LZ,
	       "preferred LZ: LZ for photo and UI");
	c.preferred = SPICE_IMAGE_COMPRESSION_QUIC;
	result(sc_codec_choose(&c, ui, W, W, H) == SC_CODEC_QUIC,
	       "preferred QUIC: QUIC for UI too");
	c.preferred = SPICE_IMAGE_COMPRESSION_OFF;
	result(sc_codec_choose(&c, photo, W, W, H) == SC_CODEC_RAW,
	       "preferred OFF: raw");
	c.preferred = SPICE_IMAGE_COMPRESSION_LZ4;
	result(sc_codec_choose(&c, ui, W, W, H) == SC_CODEC_LZ4 &&
	       sc_codec_choose(&c, photo, W, W, H) == SC_CODEC_LZ4,
	       "preferred LZ4 (announced): LZ4 for all");
	c = html5;
	c.preferred = SPICE_IMAGE_COMPRESSION_LZ4;
	k = sc_codec_choose(&c, ui, W, W, H);
	result(k != SC_CODEC_LZ4,
	       "preferred LZ4 from a client without the cap: never LZ4 (%s)",
	       name(k));
	c = gtk;
	c.preferred = SPICE_IMAGE_COMPRESSION_AUTO_GLZ;
	result(sc_codec_choose(&c, photo, W, W, H) == SC_CODEC_QUIC &&
	       sc_codec_choose(&c, ui, W, W, H) == SC_CODEC_LZ,
	       "preferred AUTO_GLZ: QUIC for photo, LZ for UI");
	c = gtk;
	c.server = SPICE_CORE_COMPRESSION_OFF;
	c.preferred = SPICE_IMAGE_COMPRESSION_QUIC;
	result(sc_codec_choose(&c, photo, W, W, H) == SC_CODEC_RAW,
	       "the server's compression off wins over the client's wish");

	/* A rectangle half photo, half UI: pieces of each. */
	n = sc_codec_plan(&html5, mixed, W, W, H, pieces);
	for (i = 0; i < n; i++) {
		if (pieces[i].codec == SC_CODEC_QUIC) {
			quic += pieces[i].w * pieces[i].h;
			if (pieces[i].x + pieces[i].w > W / 2)
				quic = 0, i = n;	/* spills over the UI */
		} else if (pieces[i].codec == SC_CODEC_LZ) {
			other += pieces[i].w * pieces[i].h;
		}
	}
	result(n >= 2 && quic == W / 2 * H && other == W / 2 * H,
	       "spice-html5, half photo half UI: the photo half QUIC, the "
	       "UI half LZ (%u pieces)", n);
	n = sc_codec_plan(&gtk, ui, W, W, H, pieces);
	result(n == 1 && pieces[0].codec == SC_CODEC_LZ4 && pieces[0].w == W &&
	       pieces[0].h == H, "all UI: one LZ4 piece");
	free(photo);
	free(ui);
	free(mixed);
}

int main(void)
{
	printf("TAP version 13\n");
	check_moves();
	check_cache();
	check_codecs();
	printf("1..%d\n", n_tests);
	printf("%d passed, %d failed\n", n_tests - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
