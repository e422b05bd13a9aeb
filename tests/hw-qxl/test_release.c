// SPDX-License-Identifier: MIT
/*
 * test_release.c - when each command comes back on the release ring.
 * One test per rule of the table "Releases" in
 * Documentation/qxl-device.rst: the device hands a resource back exactly
 * when QEMU + libspice-server 0.15.1 does, or earlier only where no
 * driver can tell.  Stock drivers reuse command memory on that promise
 * (Linux qxl.ko writes a surface's DESTROY into its CREATE's buffer).
 */
#include "harness.h"

#define MAX_IDS 64

static void setup(struct guest *g)
{
	g_init(g);
	g_create_primary(g, 32, 32, 128, QXL_SURFACE_FMT_32_xRGB);
}

/* Every id the device handed back since the last call, after a flush. */
static int flushed(struct guest *g, uint64_t *ids)
{
	g_io(g, QXL_IO_FLUSH_RELEASE, 0);
	return g_releases(g, ids, MAX_IDS);
}

static struct qxl_surface_cmd *surface_cmd(struct guest *g, uint32_t id,
					   uint8_t type)
{
	return g_surface_cmd(g, NULL, id, type, 8, 8,
			     type == QXL_SURFACE_CMD_CREATE ?
			     g_valloc(g, 8 * 32) : NULL);
}

static struct qxl_drawable *fill_on(struct guest *g, uint32_t surface_id,
				    uint32_t color)
{
	struct qxl_drawable *d = g_drawable(g, QXL_DRAW_FILL, surface_id,
					    0, 0, 8, 8);

	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = color;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	return d;
}

static struct qxl_cursor_cmd *cursor_cmd(struct guest *g, uint8_t type)
{
	struct qxl_cursor *cur = NULL;

	if (type == QXL_CURSOR_SET) {
		cur = g_cursor(g, QXL_CURSOR_TYPE_ALPHA, 4, 4, 4 * 4 * 4);
		memset(cur->chunk.data, 0x80, 64);
	}
	return g_cursor_cmd(g, type, cur);
}

static void surface_create_released_only_with_its_destroy_in_that_order(void)
{
	struct qxl_surface_cmd *create, *destroy;
	uint64_t ids[MAX_IDS];
	struct guest g;
	int n;

	setup(&g);
	create = surface_cmd(&g, 3, QXL_SURFACE_CMD_CREATE);
	g_submit(&g, QXL_CMD_SURFACE, create);
	g_submit(&g, QXL_CMD_DRAW, fill_on(&g, 3, 0x123456));
	n = flushed(&g, ids);
	CHECK_EQ(n, 1);				/* the draw only */
	CHECK(n < 1 || ids[0] != g_phys(&g, create));
	CHECK_EQ(create->release_info.id, g_phys(&g, create));	/* intact */
	destroy = surface_cmd(&g, 3, QXL_SURFACE_CMD_DESTROY);
	g_submit(&g, QXL_CMD_SURFACE, destroy);
	n = flushed(&g, ids);
	CHECK_EQ(n, 2);
	CHECK_EQ(ids[0], g_phys(&g, create));
	CHECK_EQ(ids[1], g_phys(&g, destroy));
	CHECK(!g_bug(&g));
	g_fini(&g);
}

/*
 * Linux qxl.ko: CREATE at offset k*128 of a page, the DESTROY at +64 of
 * the same buffer; every other released command is reused at once.
 */
static void destroy_written_into_the_create_buffer_as_qxl_ko_does(void)
{
	uint64_t ids[MAX_IDS];
	struct qxl_surface_cmd *create, *destroy;
	struct guest g;
	uint8_t *page;
	int round, n, i;

	setup(&g);
	page = g_alloc(&g, 4096);
	for (round = 0; round < 8; round++) {
		uint8_t *slot = page + (round % 4) * 128;
		void *mem = g_valloc(&g, 8 * 32);

		create = (struct qxl_surface_cmd *)slot;
		destroy = (struct qxl_surface_cmd *)(slot + 64);
		g_surface_cmd(&g, create, 7, QXL_SURFACE_CMD_CREATE, 8, 8, mem);
		g_submit(&g, QXL_CMD_SURFACE, create);
		g_submit(&g, QXL_CMD_DRAW,
			 fill_on(&g, 7, 0x010203 * (uint32_t)(round + 1)));
		n = flushed(&g, ids);
		for (i = 0; i < n; i++) {
			/* The driver frees what came back: scribble on it. */
			CHECK(ids[i] != g_phys(&g, create));
			memset(g_host(&g, ids[i]), 0xa5, 16);
		}
		CHECK_EQ(((uint32_t *)mem)[0], 0x010203u * (round + 1));
		g_surface_cmd(&g, destroy, 7, QXL_SURFACE_CMD_DESTROY, 8, 8,
			      NULL);
		g_submit(&g, QXL_CMD_SURFACE, destroy);
		n = flushed(&g, ids);
		CHECK_EQ(n, 2);
		CHECK_EQ(ids[0], g_phys(&g, create));
		CHECK_EQ(ids[1], g_phys(&g, destroy));
		memset(slot, 0x5a, 128);	/* reused for the next pair */
	}
	CHECK(!g_bug(&g));
	CHECK_EQ(g.sim.guest_errors, 0);
	g_fini(&g);
}

static void destroy_surface_wait_keeps_the_surface_and_its_create(void)
{
	struct qxl_surface_cmd *create, *destroy;
	uint64_t ids[MAX_IDS];
	struct guest g;
	void *mem;

	setup(&g);
	create = surface_cmd(&g, 4, QXL_SURFACE_CMD_CREATE);
	mem = g_host(&g, create->u.surface_create.data);
	g_submit(&g, QXL_CMD_SURFACE, create);
	g_io(&g, QXL_IO_DESTROY_SURFACE_WAIT, 4);
	CHECK_EQ(flushed(&g, ids), 0);
	/* still there: drawn */
	g_submit(&g, QXL_CMD_DRAW, fill_on(&g, 4, 0x00ff00));
	CHECK_EQ(((uint32_t *)mem)[0], 0x00ff00);
	destroy = surface_cmd(&g, 4, QXL_SURFACE_CMD_DESTROY);
	g_submit(&g, QXL_CMD_SURFACE, destroy);
	CHECK_EQ(flushed(&g, ids), 3);
	CHECK_EQ(ids[1], g_phys(&g, create));
	CHECK_EQ(ids[2], g_phys(&g, destroy));
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void destroy_all_surfaces_releases_creates_in_id_order_and_cursor(void)
{
	struct qxl_surface_cmd *c9, *c2;
	struct qxl_cursor_cmd *set;
	uint64_t ids[MAX_IDS];
	struct guest g;

	setup(&g);
	c9 = surface_cmd(&g, 9, QXL_SURFACE_CMD_CREATE);
	c2 = surface_cmd(&g, 2, QXL_SURFACE_CMD_CREATE);
	g_submit(&g, QXL_CMD_SURFACE, c9);
	g_submit(&g, QXL_CMD_SURFACE, c2);
	set = cursor_cmd(&g, QXL_CURSOR_SET);
	g_submit_cursor(&g, set);
	CHECK_EQ(flushed(&g, ids), 0);
	g_io(&g, QXL_IO_DESTROY_ALL_SURFACES, 0);
	CHECK_EQ(flushed(&g, ids), 3);
	CHECK_EQ(ids[0], g_phys(&g, c2));
	CHECK_EQ(ids[1], g_phys(&g, c9));
	CHECK_EQ(ids[2], g_phys(&g, set));
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void reset_drops_held_commands_without_releasing_them(void)
{
	uint64_t ids[MAX_IDS];
	struct qxl_surface_cmd *create;
	struct guest g;

	setup(&g);
	create = surface_cmd(&g, 5, QXL_SURFACE_CMD_CREATE);
	g_submit(&g, QXL_CMD_SURFACE, create);
	g_submit_cursor(&g, cursor_cmd(&g, QXL_CURSOR_SET));
	g_io(&g, QXL_IO_RESET, 0);
	CHECK_EQ(flushed(&g, ids), 0);
	CHECK_EQ(create->release_info.id, g_phys(&g, create));
	g_fini(&g);
}

static void cursor_set_held_until_the_next_set(void)
{
	struct qxl_cursor_cmd *set1, *set2, *move, *hide;
	uint64_t ids[MAX_IDS];
	struct guest g;

	setup(&g);
	set1 = cursor_cmd(&g, QXL_CURSOR_SET);
	g_submit_cursor(&g, set1);
	move = cursor_cmd(&g, QXL_CURSOR_MOVE);
	g_submit_cursor(&g, move);
	hide = cursor_cmd(&g, QXL_CURSOR_HIDE);
	g_submit_cursor(&g, hide);
	CHECK_EQ(flushed(&g, ids), 2);		/* MOVE and HIDE at once */
	CHECK_EQ(ids[0], g_phys(&g, move));
	CHECK_EQ(ids[1], g_phys(&g, hide));
	set2 = cursor_cmd(&g, QXL_CURSOR_SET);
	g_submit_cursor(&g, set2);
	CHECK_EQ(flushed(&g, ids), 1);		/* the shape replaced */
	CHECK_EQ(ids[0], g_phys(&g, set1));
	CHECK_EQ(g.cursor_sets, 2);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void cursor_set_released_by_destroy_primary(void)
{
	struct qxl_cursor_cmd *set;
	uint64_t ids[MAX_IDS];
	struct guest g;

	setup(&g);
	set = cursor_cmd(&g, QXL_CURSOR_SET);
	g_submit_cursor(&g, set);
	CHECK_EQ(flushed(&g, ids), 0);
	g_io(&g, QXL_IO_DESTROY_PRIMARY, 0);
	CHECK_EQ(flushed(&g, ids), 1);
	CHECK_EQ(ids[0], g_phys(&g, set));
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void draw_update_and_message_released_once_processed(void)
{
	struct qxl_update_cmd *up;
	struct qxl_message *msg;
	struct qxl_drawable *d;
	uint64_t ids[MAX_IDS];
	struct guest g;

	setup(&g);
	d = fill_on(&g, 0, 0xff0000);
	g_submit(&g, QXL_CMD_DRAW, d);
	up = g_alloc(&g, sizeof(*up));
	up->release_info.id = g_phys(&g, up);
	g_push_cmd(&g, QXL_CMD_UPDATE, g_phys(&g, up));
	msg = g_alloc(&g, sizeof(*msg) + 4);
	msg->release_info.id = g_phys(&g, msg);
	g_push_cmd(&g, QXL_CMD_MESSAGE, g_phys(&g, msg));
	g_io(&g, QXL_IO_NOTIFY_CMD, 0);
	CHECK_EQ(flushed(&g, ids), 3);
	CHECK_EQ(ids[0], g_phys(&g, d));
	CHECK_EQ(ids[1], g_phys(&g, up));
	CHECK_EQ(ids[2], g_phys(&g, msg));
	CHECK_EQ(g_px(&g, 3, 3) & 0xffffff, 0xff0000);
	g_fini(&g);
}

/*
 * A kick only schedules the drain; a port written before the host runs
 * it still comes after the kicked commands: FLUSH_RELEASE hands them
 * back, drawn.
 */
static void flush_release_right_after_a_kick_hands_back_its_commands(void)
{
	uint64_t ids[MAX_IDS];
	struct qxl_drawable *d;
	struct guest g;

	setup(&g);
	d = fill_on(&g, 0, 0x00ff00);
	g_queue_cmd(&g, QXL_CMD_DRAW, g_phys(&g, d));
	qxl_sim_io(&g.sim, QXL_IO_NOTIFY_CMD, 0);	/* host runs nothing */
	CHECK((g_px(&g, 3, 3) & 0xffffff) != 0x00ff00);
	CHECK_EQ(flushed(&g, ids), 1);
	CHECK_EQ(ids[0], g_phys(&g, d));
	CHECK_EQ(g_px(&g, 3, 3) & 0xffffff, 0x00ff00);
	g_fini(&g);
}

static void surface_create_twice_released_and_the_first_kept(void)
{
	struct qxl_surface_cmd *first, *second;
	uint64_t ids[MAX_IDS];
	struct guest g;
	void *mem;

	setup(&g);
	first = surface_cmd(&g, 6, QXL_SURFACE_CMD_CREATE);
	mem = g_host(&g, first->u.surface_create.data);
	g_submit(&g, QXL_CMD_SURFACE, first);
	second = surface_cmd(&g, 6, QXL_SURFACE_CMD_CREATE);
	g_submit(&g, QXL_CMD_SURFACE, second);
	CHECK(!g_bug(&g));
	CHECK(g.sim.guest_errors > 0);
	CHECK_EQ(flushed(&g, ids), 1);
	CHECK_EQ(ids[0], g_phys(&g, second));
	g_submit(&g, QXL_CMD_DRAW, fill_on(&g, 6, 0x0000ff));
	CHECK_EQ(((uint32_t *)mem)[0], 0x0000ff);	/* the first's memory */
	g_fini(&g);
}

static void destroy_of_a_missing_surface_released_at_once(void)
{
	struct qxl_surface_cmd *destroy;
	uint64_t ids[MAX_IDS];
	struct guest g;

	setup(&g);
	destroy = surface_cmd(&g, 11, QXL_SURFACE_CMD_DESTROY);
	g_submit(&g, QXL_CMD_SURFACE, destroy);
	CHECK(!g_bug(&g));
	CHECK_EQ(flushed(&g, ids), 1);
	CHECK_EQ(ids[0], g_phys(&g, destroy));
	g_fini(&g);
}

const struct test tests_release[] = {
	{ "surface_create_released_only_with_its_destroy_in_that_order",
	  surface_create_released_only_with_its_destroy_in_that_order },
	{ "destroy_written_into_the_create_buffer_as_qxl_ko_does",
	  destroy_written_into_the_create_buffer_as_qxl_ko_does },
	{ "destroy_surface_wait_keeps_the_surface_and_its_create",
	  destroy_surface_wait_keeps_the_surface_and_its_create },
	{ "destroy_all_surfaces_releases_creates_in_id_order_and_cursor",
	  destroy_all_surfaces_releases_creates_in_id_order_and_cursor },
	{ "reset_drops_held_commands_without_releasing_them",
	  reset_drops_held_commands_without_releasing_them },
	{ "cursor_set_held_until_the_next_set",
	  cursor_set_held_until_the_next_set },
	{ "cursor_set_released_by_destroy_primary",
	  cursor_set_released_by_destroy_primary },
	{ "draw_update_and_message_released_once_processed",
	  draw_update_and_message_released_once_processed },
	{ "flush_release_right_after_a_kick_hands_back_its_commands",
	  flush_release_right_after_a_kick_hands_back_its_commands },
	{ "surface_create_twice_released_and_the_first_kept",
	  surface_create_twice_released_and_the_first_kept },
	{ "destroy_of_a_missing_surface_released_at_once",
	  destroy_of_a_missing_surface_released_at_once },
	{ NULL, NULL }
};
