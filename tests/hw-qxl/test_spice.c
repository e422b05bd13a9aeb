// SPDX-License-Identifier: MIT
/*
 * test_spice.c - the display-sink adapter (hw-qxl/spice) on a real
 * in-process spice-core: what spice-core serves (its snapshot) equals
 * what the device drew, through mode changes, resets, 16-bit and
 * bottom-up primaries, the cursor and the monitors config.
 */
#include "harness.h"

#define W 40
#define H 30

static void native_32(struct guest *g, int32_t stride)
{
	g_init(g);
	g_create_primary(g, W, H, stride, QXL_SURFACE_FMT_32_xRGB);
}

static void fill(struct guest *g, int l, int t, int r, int b, uint32_t c)
{
	g_submit(g, QXL_CMD_DRAW, qxl_sim_fill(&g->sim, 0, l, t, r, b, c));
}

static void snap(struct guest *g, struct spice_core_snapshot *s)
{
	spice_core_display_snapshot(g->display, s);
}

static void spice_serves_nothing_in_vga_mode(void)
{
	struct spice_core_snapshot s;
	struct guest g;

	g_init(&g);
	CHECK(!g.sim.native);
	CHECK(!qxl_spice_active(g.spice));
	snap(&g, &s);
	CHECK(!s.has_primary);
	CHECK(s.cursor == NULL);
	spice_core_snapshot_clear(&s);
	g_fini(&g);
}

static void spice_serves_the_primary_once_native(void)
{
	struct spice_core_snapshot s;
	struct guest g;

	native_32(&g, W * 4);
	CHECK(qxl_spice_active(g.spice));
	fill(&g, 3, 4, 20, 10, 0x123456);
	fill(&g, 0, 0, 2, 2, 0xabcdef);
	snap(&g, &s);
	CHECK(s.has_primary);
	CHECK_EQ(s.width, W);
	CHECK_EQ(s.height, H);
	CHECK_EQ(s.format, SPICE_CORE_FMT_32_xRGB);
	CHECK_EQ(s.generation, 1);	/* one SURFACE_CREATE, no churn */
	CHECK_EQ(s.pixels[5 * W + 3] & 0xffffff, 0x123456);
	CHECK_EQ(s.pixels[0] & 0xffffff, 0xabcdef);
	spice_core_snapshot_clear(&s);
	CHECK_EQ(g_spice_check(&g), 0);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

/* A bottom-up primary (negative stride) is served top line first: the
 * device's shadow, not the guest's memory upside down. */
static void spice_serves_bottom_up_primary_top_down(void)
{
	struct spice_core_snapshot s;
	struct guest g;

	native_32(&g, -W * 4);
	fill(&g, 0, 0, W, 1, 0xff0000);		/* top line */
	fill(&g, 0, H - 1, W, H, 0x0000ff);	/* bottom line */
	snap(&g, &s);
	CHECK_EQ(s.pixels[0] & 0xffffff, 0xff0000);
	CHECK_EQ(s.pixels[(H - 1) * W] & 0xffffff, 0x0000ff);
	spice_core_snapshot_clear(&s);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

/* 16-bit primaries keep their format; a 32-bit bitmap drawn on them is
 * cut to the top bits of each channel (what spice-serve --qxl --format
 * relies on); clients get them widened. */
static void spice_serves_16bit_primaries(void)
{
	static const uint32_t formats[] = { QXL_SURFACE_FMT_16_565,
					    QXL_SURFACE_FMT_16_555 };
	uint32_t px[4 * 4], i;
	struct spice_core_snapshot s;
	struct guest g;
	uint16_t v;

	for (i = 0; i < 16; i++)
		px[i] = 0x10204080u * (i + 1) & 0xffffff;
	for (i = 0; i < 2; i++) {
		bool is_565 = formats[i] == QXL_SURFACE_FMT_16_565;
		uint32_t r = px[5] >> 16 & 0xff, gr = px[5] >> 8 & 0xff,
			 b = px[5] & 0xff;

		g_init(&g);
		g_create_primary(&g, W, H, W * 2, formats[i]);
		fill(&g, 0, 0, W, H, 0x336699);
		g_submit(&g, QXL_CMD_DRAW, qxl_sim_copy(&g.sim, 0, 8, 8,
			 g_bitmap32(&g, 4, 4, px)));
		memcpy(&v, g.sim.ram + 9 * W * 2 + 9 * 2, 2);	/* px[5] */
		CHECK_EQ(v, is_565 ? (r >> 3) << 11 | (gr >> 2) << 5 | b >> 3 :
				     (r >> 3) << 10 | (gr >> 3) << 5 | b >> 3);
		snap(&g, &s);
		CHECK_EQ(s.format, is_565 ? SPICE_CORE_FMT_16_565 :
					    SPICE_CORE_FMT_16_555);
		spice_core_snapshot_clear(&s);
		CHECK_EQ(g_spice_check(&g), 0);
		CHECK(!g_bug(&g));
		g_fini(&g);
	}
}

/* COPY_BITS (a scroll) reaches SPICE as the moved pixels. */
static void spice_serves_copy_bits(void)
{
	uint32_t px[W];
	struct guest g;
	int i;

	native_32(&g, W * 4);
	for (i = 0; i < W; i++)
		px[i] = (uint32_t)i * 0x060402;
	for (i = 0; i < H; i++)
		g_submit(&g, QXL_CMD_DRAW, qxl_sim_copy(&g.sim, 0, 0, i,
			 qxl_sim_bitmap32(&g.sim, W, 1, px, 0)));
	g_submit(&g, QXL_CMD_DRAW, qxl_sim_copy_bits(&g.sim, 0, 0, 0, W - 8,
						     H, 8, 0));
	CHECK_EQ(g_px(&g, 0, 5) & 0xffffff, 8 * 0x060402);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

static struct qxl_cursor_cmd *arrow(struct guest *g, int x, int y)
{
	struct qxl_cursor *cur = g_cursor(g, QXL_CURSOR_TYPE_ALPHA, 8, 8,
					  8 * 8 * 4);
	struct qxl_cursor_cmd *c;
	uint32_t i, v;

	for (i = 0; i < 64; i++) {
		v = i % 9 ? 0xff000000u | i * 0x040404 : 0;
		memcpy(cur->chunk.data + 4 * i, &v, 4);
	}
	cur->header.hot_spot_x = 9;	/* outside: spice-core gets 7 */
	c = g_cursor_cmd(g, QXL_CURSOR_SET, cur);
	c->u.set.position.x = x;
	c->u.set.position.y = y;
	return c;
}

/* SET, MOVE, HIDE and a MOVE that shows the cursor again (QXL's rule;
 * spice-core's move alone would leave it hidden). */
static void spice_follows_the_cursor(void)
{
	struct qxl_cursor_cmd *c;
	struct spice_core_snapshot s;
	struct guest g;

	native_32(&g, W * 4);
	g_submit_cursor(&g, arrow(&g, 5, 6));
	CHECK_EQ(g_spice_check(&g), 0);
	snap(&g, &s);
	CHECK(s.cursor_visible);
	CHECK_EQ(s.hot_x, 7);
	spice_core_snapshot_clear(&s);
	g_submit_cursor(&g, g_cursor_cmd(&g, QXL_CURSOR_HIDE, NULL));
	CHECK_EQ(g_spice_check(&g), 0);
	c = g_cursor_cmd(&g, QXL_CURSOR_MOVE, NULL);
	c->u.position.x = 30;
	c->u.position.y = 20;
	g_submit_cursor(&g, c);
	snap(&g, &s);
	CHECK(s.cursor_visible);
	CHECK_EQ(s.cursor_x, 30);
	CHECK_EQ(s.cursor_y, 20);
	spice_core_snapshot_clear(&s);
	CHECK_EQ(g_spice_check(&g), 0);
	CHECK_EQ(g.cursor_moves, 1);	/* the chain saw it too */
	g_fini(&g);
}

static void spice_serves_the_monitors_config(void)
{
	struct qxl_monitors_config *mc;
	struct spice_core_snapshot s;
	struct guest g;

	native_32(&g, W * 4);
	mc = g_alloc(&g, sizeof(*mc) + 2 * sizeof(struct qxl_head));
	mc->count = 2;
	mc->heads[0] = (struct qxl_head){ 0, 0, 20, 30, 0, 0, 0 };
	mc->heads[1] = (struct qxl_head){ 1, 0, 20, 30, 20, 0, 0 };
	g.sim.ramh->monitors_config = g_phys(&g, mc);
	g_io(&g, QXL_IO_MONITORS_CONFIG_ASYNC, 0);
	g_deferred(&g);
	snap(&g, &s);
	CHECK_EQ(s.n_heads, 2);
	CHECK_EQ(s.heads[1].x, 20);
	CHECK_EQ(s.heads[1].width, 20);
	CHECK_EQ(s.heads[1].height, 30);
	spice_core_snapshot_clear(&s);
	CHECK_EQ(g.mon_calls, 1);
	g_fini(&g);
}

/* A reset takes everything back to VGA mode: the adapter withdraws (no
 * stale primary into the device's memory, no cursor, no heads), and a
 * new primary is served again. */
static void spice_reset_withdraws_then_serves_again(void)
{
	struct qxl_monitors_config *mc;
	struct spice_core_snapshot s;
	struct guest g;

	native_32(&g, W * 4);
	g_submit_cursor(&g, arrow(&g, 1, 1));
	mc = g_alloc(&g, sizeof(*mc) + sizeof(struct qxl_head));
	mc->count = 1;
	mc->heads[0] = (struct qxl_head){ 0, 0, W, H, 0, 0, 0 };
	g.sim.ramh->monitors_config = g_phys(&g, mc);
	g_io(&g, QXL_IO_MONITORS_CONFIG_ASYNC, 0);
	g_deferred(&g);
	qxl_device_reset(g.sim.dev);
	CHECK(!g.sim.native);
	CHECK(!qxl_spice_active(g.spice));
	snap(&g, &s);
	CHECK(!s.has_primary);
	CHECK(!s.cursor_visible);
	CHECK_EQ(s.n_heads, 0);
	CHECK_EQ(s.generation, 2);	/* created, destroyed */
	spice_core_snapshot_clear(&s);
	g_add_slots(&g);
	g_create_primary(&g, W, H, W * 4, QXL_SURFACE_FMT_32_xRGB);
	fill(&g, 0, 0, W, H, 0x00ff00);
	snap(&g, &s);
	CHECK_EQ(s.generation, 3);
	CHECK_EQ(s.pixels[W * H - 1] & 0xffffff, 0x00ff00);
	spice_core_snapshot_clear(&s);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

/* DESTROY_PRIMARY leaves the device native without a primary: SPICE
 * serves none (not the device's memory, which the guest may reuse). */
static void spice_destroy_primary_clears_the_surface(void)
{
	struct spice_core_snapshot s;
	struct guest g;

	native_32(&g, -W * 4);
	g_io(&g, QXL_IO_DESTROY_PRIMARY, 0);
	CHECK(g.sim.native);
	CHECK_EQ(g.primary_destroys, 1);
	snap(&g, &s);
	CHECK(!s.has_primary);
	CHECK_EQ(s.generation, 2);
	spice_core_snapshot_clear(&s);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

/*
 * QEMU's case: the VGA console served a picture of the same size; when
 * the guest creates its primary, the adapter replaces it in place: no
 * SURFACE_DESTROY/CREATE on the clients, and never the old memory again.
 */
static void spice_takes_over_a_same_sized_picture_without_churn(void)
{
	static uint32_t vga[W * H];
	struct spice_core_snapshot s;
	struct guest g;
	uint32_t gen;

	g_init(&g);
	spice_core_display_set_primary(g.display, vga, W, H, W * 4,
				       SPICE_CORE_FMT_32_xRGB);
	snap(&g, &s);
	gen = s.generation;
	spice_core_snapshot_clear(&s);
	g_create_primary(&g, W, H, W * 4, QXL_SURFACE_FMT_32_xRGB);
	fill(&g, 0, 0, W, H, 0x445566);
	vga[0] = 0x111111;	/* the VGA picture changes: not served */
	snap(&g, &s);
	CHECK_EQ(s.generation, gen);
	CHECK_EQ(s.pixels[0] & 0xffffff, 0x445566);
	spice_core_snapshot_clear(&s);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

/* An adapter attached to a device that already shows things serves them
 * at once; detached, it leaves the display clean. */
static void spice_late_attach_catches_up_and_free_withdraws(void)
{
	struct spice_core_snapshot s;
	struct guest g;
	struct qxl_spice *late;

	native_32(&g, W * 4);
	fill(&g, 0, 0, W, H, 0x0a0b0c);
	g_submit_cursor(&g, arrow(&g, 3, 4));
	qxl_spice_free(g.spice);
	snap(&g, &s);
	CHECK(!s.has_primary);
	CHECK(!s.cursor_visible);
	spice_core_snapshot_clear(&s);
	late = qxl_spice_new(g.display);
	qxl_spice_attach(late, g.sim.dev);
	g.spice = late;
	CHECK_EQ(g_spice_check(&g), 0);
	snap(&g, &s);
	CHECK(s.has_primary);
	CHECK_EQ(s.cursor_x, 3);
	spice_core_snapshot_clear(&s);
	g_fini(&g);
}

/* A sink that takes moves, chained behind the adapter: it keeps the
 * order of damage ('d') and moves ('c') and the moves themselves. */
struct mover {
	char log[64];
	int n_log, n;
	int mv[16][6];		/* x, y, w, h, src_x, src_y */
};

static void mv_damage(void *o, int x, int y, int w, int h)
{
	struct mover *m = o;

	(void)x, (void)y, (void)w, (void)h;
	if (m->n_log < 63)
		m->log[m->n_log++] = 'd';
}

static void mv_copy(void *o, int x, int y, int w, int h, int sx, int sy)
{
	struct mover *m = o;

	if (m->n_log < 63)
		m->log[m->n_log++] = 'c';
	if (m->n < 16)
		memcpy(m->mv[m->n++], (int[6]){ x, y, w, h, sx, sy },
		       sizeof(m->mv[0]));
}

static const struct qxl_display_sink mover_sink = {
	.damage = mv_damage,
	.copy = mv_copy,
};

/*
 * A COPY_BITS clipped to rectangles in two bands, overlapping its source,
 * reaches a sink that takes moves as one move per rectangle, after the
 * damage drawn before it in the same batch, in an order that replayed one
 * after the other gives the device's pixels; the adapter still serves it
 * to spice-core (as damage) and passes it on.
 */
static void spice_copy_bits_moves_replay_in_order(void)
{
	static const int dirs[4][2] = { { 3, 2 }, { -3, -2 }, { 4, -1 },
					{ -2, 3 } };
	struct qxl_rect clip[3] = { { 4, 4, 12, 14 }, { 4, 18, 12, 26 },
				    { 12, 6, 20, 30 } };
	uint32_t before[W * H], px[W];
	struct qxl_drawable *d;
	struct mover m;
	struct guest g;
	int i, k, x, y, bad;

	for (k = 0; k < 4; k++) {
		native_32(&g, W * 4);
		memset(&m, 0, sizeof(m));
		qxl_spice_chain(g.spice, &mover_sink, &m);
		for (y = 0; y < H; y++) {
			for (x = 0; x < W; x++)
				px[x] = (uint32_t)(x * 5 + y * 700 + 1);
			g_submit(&g, QXL_CMD_DRAW, qxl_sim_copy(&g.sim, 0, 0, y,
				 qxl_sim_bitmap32(&g.sim, W, 1, px, 0)));
		}
		memset(&m, 0, sizeof(m));
		g_queue_cmd(&g, QXL_CMD_DRAW, g_phys(&g, qxl_sim_fill(&g.sim,
			    0, 30, 0, 34, 2, 0x777777)));
		for (i = 0; i < W * H; i++)
			before[i] = i % W >= 30 && i % W < 34 && i / W < 2 ?
				    0x777777 : g_px(&g, i % W, i / W);
		d = qxl_sim_copy_bits(&g.sim, 0, 2, 2, 26, 30,
				      2 + dirs[k][0], 2 + dirs[k][1]);
		d->clip.type = QXL_CLIP_TYPE_RECTS;
		d->clip.data = g_clip_rects(&g, clip, 3);
		g_queue_cmd(&g, QXL_CMD_DRAW, g_phys(&g, d));
		g_io(&g, QXL_IO_NOTIFY_CMD, 0);
		CHECK(!g_bug(&g));
		CHECK(m.n >= 3);
		CHECK(m.n_log > 0 && m.log[0] == 'd');
		CHECK(strchr(m.log, 'c') && !strchr(strchr(m.log, 'c'), 'd'));
		for (i = 0; i < m.n; i++) {	/* replay on the old picture */
			int *v = m.mv[i], dy = v[5] - v[1], dx = v[4] - v[0];
			uint32_t tmp[W * H];

			memcpy(tmp, before, sizeof(tmp));
			for (y = v[1]; y < v[1] + v[3]; y++)
				for (x = v[0]; x < v[0] + v[2]; x++)
					before[y * W + x] =
						tmp[(y + dy) * W + x + dx];
		}
		for (bad = 0, i = 0; i < W * H; i++)
			bad += ((before[i] ^ g_px(&g, i % W, i / W)) & 0xffffff) != 0;
		CHECK_EQ(bad, 0);
		CHECK_EQ(g_spice_check(&g), 0);
		g_fini(&g);
	}
}

/* Run what spice-core's server has pending (no clients: nothing sent). */
static void serve_pending(struct guest *g)
{
	while (g_main_context_iteration(g->ctx, FALSE))
		;
}

/*
 * Kicks before the host runs the device's deferred work make one batch:
 * nothing is drawn at the kicks, then all of it with one flush, and
 * spice-core's server is woken once, after the last rectangle (the
 * adapter holds it from the first), not while the rest is reported.
 */
static void spice_kicked_burst_is_one_batch_and_one_wake(void)
{
	struct guest g;
	int i;

	native_32(&g, W * 4);
	serve_pending(&g);
	g.damages = g.flushes = g.damages_woken = 0;
	for (i = 0; i < 4; i++) {
		g_queue_cmd(&g, QXL_CMD_DRAW, g_phys(&g, qxl_sim_fill(&g.sim,
			    0, i * 8, i * 6, i * 8 + 4, i * 6 + 3,
			    0x102030u * (uint32_t)(i + 1))));
		qxl_sim_io(&g.sim, QXL_IO_NOTIFY_CMD, 0);
	}
	CHECK_EQ(g.damages, 0);
	CHECK(!g_main_context_pending(g.ctx));
	g_deferred(&g);
	CHECK_EQ(g.flushes, 1);
	CHECK_EQ(g.damages, 4);		/* four boxes, one region */
	CHECK_EQ(g.damages_woken, 0);
	CHECK(g_main_context_pending(g.ctx));
	CHECK_EQ(g_px(&g, 24, 18) & 0xffffff, 0x102030u * 4);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

/* A batch of moves only still ends with a flush, which wakes spice-core. */
static void spice_batch_of_moves_only_is_flushed(void)
{
	struct guest g;

	native_32(&g, W * 4);
	fill(&g, 0, 0, 8, 8, 0xabcdef);
	serve_pending(&g);
	g.flushes = 0;
	g_submit(&g, QXL_CMD_DRAW, qxl_sim_copy_bits(&g.sim, 0, 16, 16, 24,
						     24, 0, 0));
	CHECK_EQ(g.flushes, 1);
	CHECK(g_main_context_pending(g.ctx));
	CHECK_EQ(g_px(&g, 20, 20) & 0xffffff, 0xabcdef);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

const struct test tests_spice[] = {
	{ "spice_serves_nothing_in_vga_mode",
	  spice_serves_nothing_in_vga_mode },
	{ "spice_serves_the_primary_once_native",
	  spice_serves_the_primary_once_native },
	{ "spice_serves_bottom_up_primary_top_down",
	  spice_serves_bottom_up_primary_top_down },
	{ "spice_serves_16bit_primaries", spice_serves_16bit_primaries },
	{ "spice_serves_copy_bits", spice_serves_copy_bits },
	{ "spice_copy_bits_moves_replay_in_order",
	  spice_copy_bits_moves_replay_in_order },
	{ "spice_kicked_burst_is_one_batch_and_one_wake",
	  spice_kicked_burst_is_one_batch_and_one_wake },
	{ "spice_batch_of_moves_only_is_flushed",
	  spice_batch_of_moves_only_is_flushed },
	{ "spice_follows_the_cursor", spice_follows_the_cursor },
	{ "spice_serves_the_monitors_config",
	  spice_serves_the_monitors_config },
	{ "spice_reset_withdraws_then_serves_again",
	  spice_reset_withdraws_then_serves_again },
	{ "spice_destroy_primary_clears_the_surface",
	  spice_destroy_primary_clears_the_surface },
	{ "spice_takes_over_a_same_sized_picture_without_churn",
	  spice_takes_over_a_same_sized_picture_without_churn },
	{ "spice_late_attach_catches_up_and_free_withdraws",
	  spice_late_attach_catches_up_and_free_withdraws },
	{ NULL, NULL },
};
