// SPDX-License-Identifier: MIT
/*
 * test_state.c - savevm / migration of the device core: a device whose
 * state and BAR memory are copied into a second one shows the same
 * pixels, holds the same commands and keeps working; a truncated or
 * corrupted state is refused with a reason and changes nothing.
 */
#include <stdlib.h>

#include "harness.h"

#define MAX_IDS 64

static struct qxl_cursor_cmd *cursor_set(struct guest *g)
{
	struct qxl_cursor *cur = g_cursor(g, QXL_CURSOR_TYPE_ALPHA, 4, 4, 64);
	unsigned int i;

	for (i = 0; i < 64; i++)
		cur->chunk.data[i] = (uint8_t)(i * 3 + 1);
	return g_cursor_cmd(g, QXL_CURSOR_SET, cur);
}

static uint8_t *saved(struct guest *g, size_t *len)
{
	uint8_t *buf = NULL;

	CHECK_EQ(qxl_device_save_state(g->sim.dev, &buf, len), 0);
	CHECK(*len <= qxl_device_state_max_size(g->sim.dev));
	return buf;
}

/* After a load, the host shows what the device shows now. */
static void reread(struct guest *g)
{
	g->sim.native = qxl_device_in_native_mode(g->sim.dev);
	qxl_spice_set_active(g->spice, false);
	qxl_spice_set_active(g->spice, g->sim.native);
}

/*
 * What a migration does: BAR memory first (the host's RAM), then the
 * state; the host re-reads the display (the adapter re-serves).
 */
static int migrate(struct guest *from, struct guest *to, char *err,
		   size_t err_size)
{
	size_t len;
	uint8_t *buf = saved(from, &len);
	int ret;

	memcpy(to->sim.ram, from->sim.ram, from->sim.ram_size);
	memcpy(to->sim.vram, from->sim.vram, from->sim.vram_size);
	memcpy(qxl_device_bar_ptr(to->sim.dev, QXL_ROM_RANGE_INDEX),
	       from->sim.rom,
	       qxl_device_bar_size(from->sim.dev, QXL_ROM_RANGE_INDEX));
	to->sim.ram_next = from->sim.ram_next;
	to->sim.vram_next = from->sim.vram_next;
	ret = qxl_device_load_state(to->sim.dev, buf, len, err, err_size);
	free(buf);
	if (!ret)
		reread(to);
	return ret;
}

static int differing_pixels(struct guest *a, struct guest *b, int w, int h)
{
	int x, y, n = 0;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			n += g_px(a, x, y) != g_px(b, x, y);
	return n;
}

/* A primary with two fills, surface 3 with its CREATE held, a cursor. */
static struct qxl_surface_cmd *draw_scene(struct guest *g, int32_t stride)
{
	struct qxl_surface_cmd *create;

	g_create_primary(g, 64, 48, stride, QXL_SURFACE_FMT_32_xRGB);
	g_submit(g, QXL_CMD_DRAW, g_fill(g, 0, 0, 0, 64, 48, 0x203040));
	g_submit(g, QXL_CMD_DRAW, g_fill(g, 0, 8, 4, 40, 30, 0xc08010));
	create = g_surface_cmd(g, NULL, 3, QXL_SURFACE_CMD_CREATE, 8, 8,
			       g_valloc(g, 8 * 32));
	g_submit(g, QXL_CMD_SURFACE, create);
	g_submit(g, QXL_CMD_DRAW, g_fill(g, 3, 0, 0, 8, 8, 0x0a0b0c));
	g_submit_cursor(g, cursor_set(g));
	g_deferred(g);
	return create;
}

static void check_restored(struct guest *a, struct guest *b)
{
	struct qxl_cursor_shape ca, cb;
	int xa, ya, xb, yb;
	bool va, vb;

	CHECK_EQ(differing_pixels(a, b, 64, 48), 0);
	CHECK_EQ(g_px(b, 10, 10), 0xc08010);
	CHECK(qxl_device_in_native_mode(b->sim.dev));
	CHECK(qxl_device_get_cursor(a->sim.dev, &ca, &xa, &ya, &va));
	CHECK(qxl_device_get_cursor(b->sim.dev, &cb, &xb, &yb, &vb));
	CHECK_EQ(cb.width, ca.width);
	CHECK_EQ(cb.height, ca.height);
	CHECK(ca.argb && cb.argb &&
	      !memcmp(ca.argb, cb.argb, (size_t)ca.width * ca.height * 4));
	CHECK_EQ(xb, xa);
	CHECK_EQ(vb, va);
	CHECK_EQ(g_spice_check(b), 0);
	CHECK(!g_bug(b));
}

static void round_trip(int32_t stride)
{
	struct qxl_surface_cmd *create, *destroy;
	uint64_t ids[MAX_IDS];
	struct guest a, b;
	char err[256];
	int n;

	g_init(&a);
	g_init(&b);
	create = draw_scene(&a, stride);
	CHECK_EQ(migrate(&a, &b, err, sizeof(err)), 0);
	if (err[0])
		printf("#   load: %s\n", err);
	check_restored(&a, &b);

	/* The copy keeps working: a draw through the migrated ring... */
	g_submit(&b, QXL_CMD_DRAW, g_fill(&b, 0, 50, 40, 60, 46, 0x00ff00));
	CHECK_EQ(g_px(&b, 55, 42), 0x00ff00);
	/*
	 * ...and surface 3's held CREATE (at a's address: the same guest
	 * address in b) comes back with its DESTROY.
	 */
	destroy = g_surface_cmd(&b, NULL, 3, QXL_SURFACE_CMD_DESTROY, 8, 8,
				NULL);
	g_submit(&b, QXL_CMD_SURFACE, destroy);
	g_io(&b, QXL_IO_FLUSH_RELEASE, 0);
	n = g_releases(&b, ids, MAX_IDS);
	CHECK(n >= 2);
	CHECK(n >= 2 && ids[n - 2] == g_phys(&a, create));
	CHECK(n >= 2 && ids[n - 1] == g_phys(&b, destroy));
	CHECK(!g_bug(&b));
	CHECK_EQ(g_spice_check(&b), 0);
	g_fini(&a);
	g_fini(&b);
}

static void state_restores_primary_surfaces_cursor_and_held_commands(void)
{
	round_trip(64 * 4);
}

static void state_restores_a_bottom_up_primary(void)
{
	round_trip(-64 * 4);
}

static void state_restores_the_guest_bug_state(void)
{
	struct guest a, b;
	char err[256];

	g_init(&a);
	g_init(&b);
	g_create_primary(&a, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	g_io(&a, QXL_IO_CREATE_PRIMARY, 1);	/* argument != 0: a bug */
	CHECK(g_bug(&a));
	CHECK_EQ(migrate(&a, &b, err, sizeof(err)), 0);
	CHECK(g_bug(&b));
	CHECK(qxl_device_guest_bug_reason(b.sim.dev) &&
	      !strcmp(qxl_device_guest_bug_reason(a.sim.dev),
		      qxl_device_guest_bug_reason(b.sim.dev)));
	g_io(&b, QXL_IO_RESET, 0);		/* only a reset clears it */
	CHECK(!g_bug(&b));
	g_fini(&a);
	g_fini(&b);
}

/* b's picture is intact after a refused load. */
static void check_unchanged(struct guest *b)
{
	CHECK_EQ(g_px(b, 10, 10), 0xc08010);
	CHECK(!g_bug(b));
}

static void state_truncated_anywhere_is_refused_with_a_reason(void)
{
	struct guest a, b;
	size_t len, cut;
	uint8_t *buf;
	char err[256];
	int bad = 0;

	g_init(&a);
	g_init(&b);
	draw_scene(&a, 64 * 4);
	CHECK_EQ(migrate(&a, &b, err, sizeof(err)), 0);
	buf = saved(&a, &len);
	for (cut = 0; cut < len; cut++) {
		err[0] = 0;
		if (qxl_device_load_state(b.sim.dev, buf, cut, err,
					  sizeof(err)) != -1 || !err[0])
			bad++;
	}
	CHECK_EQ(bad, 0);
	check_unchanged(&b);
	CHECK_EQ(qxl_device_load_state(b.sim.dev, NULL, 0, err, sizeof(err)),
		 -1);
	printf("#   e.g. %s\n", err);
	free(buf);
	g_fini(&a);
	g_fini(&b);
}

/* Every byte flipped in turn: refused, or loaded into a usable device. */
static void state_with_any_byte_corrupted_never_breaks_the_device(void)
{
	struct guest a, b;
	size_t len, i;
	uint8_t *buf;
	char err[256];
	int refused = 0;

	g_init(&a);
	g_init(&b);
	draw_scene(&a, 64 * 4);
	buf = saved(&a, &len);
	for (i = 0; i < len; i++) {
		buf[i] ^= 0xa5;
		if (qxl_device_load_state(b.sim.dev, buf, len, err,
					  sizeof(err))) {
			refused++;
		} else {
			/* Whatever loaded, the device takes work safely. */
			reread(&b);
			g_io(&b, QXL_IO_NOTIFY_CMD, 0);
			g_deferred(&b);
		}
		buf[i] ^= 0xa5;
	}
	printf("#   %d of %zu corruptions refused\n", refused, len);
	CHECK(refused > 0);
	/* The intact state still loads. */
	CHECK_EQ(qxl_device_load_state(b.sim.dev, buf, len, err, sizeof(err)),
		 0);
	free(buf);
	g_fini(&a);
	g_fini(&b);
}

static void state_of_a_differently_sized_device_is_refused(void)
{
	struct qxl_device_config cfg;
	struct guest a, b;
	size_t len;
	uint8_t *buf;
	char err[256];

	g_init(&a);
	qxl_device_config_init(&cfg);
	cfg.vgamem_size = 8u << 20;
	cfg.ram_size = 32u << 20;	/* the default sim device has 16 */
	cfg.vram_size = 4u << 20;
	cfg.n_surfaces = 64;
	g_init_cfg(&b, &cfg);
	draw_scene(&a, 64 * 4);
	buf = saved(&a, &len);
	CHECK_EQ(qxl_device_load_state(b.sim.dev, buf, len, err, sizeof(err)),
		 -1);
	CHECK(strstr(err, "ram_size") != NULL);
	printf("#   %s\n", err);
	free(buf);
	g_fini(&a);
	g_fini(&b);
}

const struct test tests_state[] = {
	{ "state_restores_primary_surfaces_cursor_and_held_commands",
	  state_restores_primary_surfaces_cursor_and_held_commands },
	{ "state_restores_a_bottom_up_primary",
	  state_restores_a_bottom_up_primary },
	{ "state_restores_the_guest_bug_state",
	  state_restores_the_guest_bug_state },
	{ "state_truncated_anywhere_is_refused_with_a_reason",
	  state_truncated_anywhere_is_refused_with_a_reason },
	{ "state_with_any_byte_corrupted_never_breaks_the_device",
	  state_with_any_byte_corrupted_never_breaks_the_device },
	{ "state_of_a_differently_sized_device_is_refused",
	  state_of_a_differently_sized_device_is_refused },
	{ NULL, NULL },
};
