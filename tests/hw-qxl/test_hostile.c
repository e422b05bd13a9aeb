// SPDX-License-Identifier: MIT
/*
 * test_hostile.c - the hostile-guest classes of
 * /work/shared/research/security_perf.md section A.3 (1..14; 15 is the
 * guest driver's).  Each test feeds bad input and checks the device
 * refused it the documented way: guest-bug state + ERROR interrupt for
 * protocol violations, a logged drop for harmless ones; never a crash
 * (the suite runs under ASan and UBSan).
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#include "harness.h"

static void setup(struct guest *g)
{
	g_init(g);
	g_create_primary(g, 32, 32, 128, QXL_SURFACE_FMT_32_xRGB);
	g->sim.ramh->int_mask = QXL_INTERRUPT_ALL;
	g_io(g, QXL_IO_UPDATE_IRQ, 0);
}

/* Guest-bug state: ERROR raised, IRQ up, ports ignored, RESET clears. */
static void expect_guest_bug(struct guest *g)
{
	CHECK(g_bug(g));
	CHECK(g->sim.ramh->int_pending & QXL_INTERRUPT_ERROR);
	CHECK_EQ(g->sim.irq, !!(g->sim.ramh->int_mask & QXL_INTERRUPT_ERROR));
	CHECK(qxl_device_guest_bug_reason(g->sim.dev) != NULL);
	g_io(g, QXL_IO_RESET, 0);
	CHECK(!g_bug(g));
}

static struct qxl_drawable *fill(struct guest *g)
{
	struct qxl_drawable *d = g_drawable(g, QXL_DRAW_FILL, 0, 0, 0, 4, 4);

	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = 0xffffff;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	return d;
}

static void hostile_01_phys_bad_slot_generation_offset_wrap(void)
{
	qxl_phys bad[6];
	struct guest g;
	unsigned int i;

	bad[0] = (9ull << 56) | 0x100;			/* slot >= 8 */
	bad[1] = (5ull << 56) | 0x100;			/* inactive slot */
	bad[2] = (1ull << 56) | (3ull << 48) | 0x1000;	/* wrong generation */
	bad[3] = (1ull << 56) | ((16ull << 20) - 8);	/* runs past slot end */
	bad[4] = (1ull << 56) | ((1ull << 48) - 1);	/* offset+len wraps */
	bad[5] = (0ull << 56) | 0x100;			/* host slot 0 */
	for (i = 0; i < 6; i++) {
		setup(&g);
		g_push_cmd(&g, QXL_CMD_DRAW, bad[i]);
		g_io(&g, QXL_IO_NOTIFY_CMD, 0);
		expect_guest_bug(&g);
		g_fini(&g);
	}
	setup(&g);
	/* A memslot straddling RAM and beyond / spanning two BARs. */
	g.sim.ramh->mem_slot.mem_start = QXL_SIM_RAM_GPA + 4096;
	g.sim.ramh->mem_slot.mem_end = QXL_SIM_RAM_GPA + g.sim.ram_size + 4096;
	g_io(&g, QXL_IO_MEMSLOT_ADD, 4);
	expect_guest_bug(&g);
	g_fini(&g);
}

static void hostile_02_ring_indices_impossible(void)
{
	struct guest g;
	uint64_t ids[4];

	setup(&g);
	g.sim.ramh->cmd_ring.hdr.prod = 1000;	/* prod - cons > 32 */
	g_io(&g, QXL_IO_NOTIFY_CMD, 0);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);
	g.sim.ramh->cursor_ring.hdr.cons = 5;	/* cons past prod */
	g_io(&g, QXL_IO_NOTIFY_CURSOR, 0);
	expect_guest_bug(&g);
	g_fini(&g);

	/* Release ring: guest cons far from our prod. */
	setup(&g);
	g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, fill(&g)));
	g.sim.ramh->release_ring.hdr.cons = 0x80000000u;
	g_io(&g, QXL_IO_FLUSH_RELEASE, 0);
	expect_guest_bug(&g);
	g_fini(&g);

	/* Release ring full: the device keeps chaining, pushes later. */
	setup(&g);
	{
		int i;

		for (i = 0; i < 10; i++) {
			g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, fill(&g)));
			g_io(&g, QXL_IO_FLUSH_RELEASE, 0);
		}
		CHECK_EQ(g.sim.ramh->release_ring.hdr.prod, 7);
		CHECK(!g_bug(&g));
		CHECK_EQ(g_releases(&g, ids, 4), 4);	/* drains, then ok */
		g_io(&g, QXL_IO_FLUSH_RELEASE, 0);
		CHECK_EQ(g.sim.ramh->release_ring.hdr.prod, 8);
	}
	g_fini(&g);
}

static void hostile_03_unknown_command_types(void)
{
	struct guest g;

	setup(&g);
	g_push_cmd(&g, 77, g_phys(&g, fill(&g)));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* a draw command on the cursor ring */
	g_push_cursor(&g, QXL_CMD_DRAW, g_phys(&g, fill(&g)));
	g_io(&g, QXL_IO_NOTIFY_CURSOR, 0);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* unknown draw type */
	{
		struct qxl_drawable *d = fill(&g);

		d->type = 99;
		g_submit(&g, QXL_CMD_DRAW, d);
	}
	expect_guest_bug(&g);
	g_fini(&g);
}

static struct qxl_surface_cmd *surf_cmd(struct guest *g, uint32_t id,
					uint8_t type)
{
	return g_surface_cmd(g, NULL, id, type, 4, 4, g_valloc(g, 64));
}

static void hostile_04_surface_ids(void)
{
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);	/* id >= n_surfaces */
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, surf_cmd(&g, 64,
			QXL_SURFACE_CMD_CREATE)));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* UPDATE_AREA with update_surface == n_surfaces */
	g.sim.ramh->update_area = (struct qxl_rect){ 0, 0, 4, 4 };
	g.sim.ramh->update_surface = 64;
	g_io(&g, QXL_IO_UPDATE_AREA, 0);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* create twice: logged and dropped, as spice-server */
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, surf_cmd(&g, 3,
			QXL_SURFACE_CMD_CREATE)));
	CHECK(!g_bug(&g));
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, surf_cmd(&g, 3,
			QXL_SURFACE_CMD_CREATE)));
	CHECK(!g_bug(&g));
	CHECK(g.sim.guest_errors > 0);
	g_fini(&g);

	setup(&g);	/* destroy missing: logged and dropped */
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, surf_cmd(&g, 9,
			QXL_SURFACE_CMD_DESTROY)));
	CHECK(!g_bug(&g));
	CHECK(g.sim.guest_errors > 0);
	/* draw to a destroyed surface (CVE-2015-5260): dropped */
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, surf_cmd(&g, 3,
			QXL_SURFACE_CMD_CREATE)));
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, surf_cmd(&g, 3,
			QXL_SURFACE_CMD_DESTROY)));
	d = fill(&g);
	d->surface_id = 3;
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK(!g_bug(&g));
	{
		struct qxl_device_stats st;

		qxl_device_get_stats(g.sim.dev, &st);
		CHECK_EQ(st.draws, 0);
	}
	g_fini(&g);
}

static void create_primary_expect_bug(uint32_t w, uint32_t h, int32_t stride,
				      uint32_t fmt)
{
	struct guest g;

	g_init(&g);
	CHECK_EQ(g_create_primary(&g, w, h, stride, fmt), -1);
	expect_guest_bug(&g);
	g_fini(&g);
}

static void hostile_05_surface_and_primary_parameters(void)
{
	struct guest g;
	struct qxl_surface_cmd *sc;

	create_primary_expect_bug(16, 16, INT32_MIN, QXL_SURFACE_FMT_32_xRGB);
	create_primary_expect_bug(16, 16, 66, QXL_SURFACE_FMT_32_xRGB);
	create_primary_expect_bug(16, 16, 32, QXL_SURFACE_FMT_32_xRGB);
	create_primary_expect_bug(16, 0x40000000, 64,
				  QXL_SURFACE_FMT_32_xRGB);	/* > vgamem */
	create_primary_expect_bug(16, 16, 64, 7);		/* bad format */
	create_primary_expect_bug(0, 16, 64, QXL_SURFACE_FMT_32_xRGB);

	g_init(&g);	/* CREATE_PRIMARY twice */
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	g_io(&g, QXL_IO_CREATE_PRIMARY, 0);
	expect_guest_bug(&g);
	g_fini(&g);

	/* off-screen surfaces: height*|stride| overflowing, beyond slot */
	setup(&g);
	sc = surf_cmd(&g, 2, QXL_SURFACE_CMD_CREATE);
	sc->u.surface_create.height = 0xffffffffu;
	sc->u.surface_create.stride = -0x7ffffffc;
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, sc));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);
	sc = surf_cmd(&g, 2, QXL_SURFACE_CMD_CREATE);
	sc->u.surface_create.width = 1024;
	sc->u.surface_create.height = 1100;
	sc->u.surface_create.stride = -4096;	/* 4.4 MB: past VRAM slot */
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, sc));
	expect_guest_bug(&g);
	g_fini(&g);
}

static struct qxl_drawable *copy_of(struct guest *g, struct qxl_image *im)
{
	struct qxl_drawable *d = g_drawable(g, QXL_DRAW_COPY, 0, 0, 0, 4, 4);

	d->u.copy.src_bitmap = g_phys(g, im);
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 4, 4 };
	return d;
}

static void hostile_06_bitmaps(void)
{
	static uint32_t px[16];
	struct qxl_palette *pal;
	struct qxl_image *im;
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);	/* stride < width * bpp */
	im = g_bitmap32(&g, 4, 4, px);
	im->bitmap.stride = 8;
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* zero area */
	im = g_bitmap32(&g, 4, 4, px);
	im->bitmap.x = 0;
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* palette format without palette */
	im = g_bitmap(&g, QXL_BITMAP_FMT_8BIT, 4, 4, 4, QXL_BITMAP_TOP_DOWN,
		      px, NULL, 0);
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* huge num_ents */
	im = g_bitmap(&g, QXL_BITMAP_FMT_8BIT, 4, 4, 4, QXL_BITMAP_TOP_DOWN,
		      px, px, 2);
	pal = g_host(&g, im->bitmap.palette);
	pal->num_ents = 60000;
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* image bigger than the cap: stride*height huge */
	im = g_bitmap32(&g, 4, 4, px);
	im->bitmap.x = 16000;
	im->bitmap.y = 16000;
	im->bitmap.stride = 64000;
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* swapped source rectangle: dropped, no draw */
	d = copy_of(&g, g_bitmap32(&g, 4, 4, px));
	d->u.copy.src_area = (struct qxl_rect){ 4, 4, 0, 0 };
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK(!g_bug(&g));
	CHECK(g.sim.guest_errors > 0);
	/* source rectangle outside the bitmap: draws zeros, no overread */
	d = copy_of(&g, g_bitmap32(&g, 4, 4, px));
	d->u.copy.src_area = (struct qxl_rect){ 1000, 1000, 1004, 1004 };
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK(!g_bug(&g));
	/* compressed (QUIC) image claiming a size: not drawn, no bug */
	im = g_alloc(&g, sizeof(*im));
	im->descriptor.type = QXL_IMAGE_TYPE_QUIC;
	im->quic.data_size = 0x7fffffff;
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	CHECK(!g_bug(&g));
	g_fini(&g);
}

/* Found by fuzz-hwqxl-cmd: scaled copy with bbox.left = INT32_MIN. */
static void hostile_06_scaled_copy_bbox_int32_min(void)
{
	static uint32_t px[16];
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	d = copy_of(&g, g_bitmap32(&g, 4, 4, px));
	d->bbox.left = INT32_MIN;
	d->bbox.top = INT32_MIN;
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 2, 2 };	/* scaled */
	g_submit(&g, QXL_CMD_DRAW, d);
	d = copy_of(&g, g_bitmap32(&g, 4, 4, px));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0x40000000, 3,
						  0x40000003 };
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

/*
 * Found by fuzz-hwqxl-cmd: a COPY_BITS whose source lies more than
 * INT32_MAX from its box.  Dropped without overflow; the surface keeps
 * its pixels.
 */
static void hostile_06_copy_bits_offset_beyond_int(void)
{
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	g_set_px(&g, 1, 1, 0x123456);
	d = g_drawable(&g, QXL_COPY_BITS, 0, 0, 0, 4, 4);
	d->bbox.left = -0x7fffff00;
	d->bbox.top = -0x7fffff00;
	d->u.copy_bits.src_pos.x = 0x7fffff00;
	d->u.copy_bits.src_pos.y = 0x7fffff00;
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(g_px(&g, 1, 1) & 0xffffff, 0x123456);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void hostile_07_chunk_lists(void)
{
	static uint32_t px[64 * 64];
	struct qxl_data_chunk *c1, *c2;
	struct qxl_image *im;
	struct guest g;

	setup(&g);	/* circular list of empty chunks */
	im = g_bitmap32(&g, 4, 4, px);
	c1 = g_alloc(&g, sizeof(*c1));
	c2 = g_alloc(&g, sizeof(*c2));
	c1->next_chunk = g_phys(&g, c2);
	c2->next_chunk = g_phys(&g, c1);
	im->bitmap.data = g_phys(&g, c1);
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* circular list of 1-byte chunks */
	im = g_bitmap32(&g, 64, 64, px);	/* needs 16 KiB */
	im->bitmap.stride = 256;
	c1 = g_alloc(&g, sizeof(*c1) + 1);
	c1->data_size = 1;
	c1->next_chunk = g_phys(&g, c1);
	im->bitmap.data = g_phys(&g, c1);
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* list ends before the data does */
	im = g_bitmap32(&g, 4, 4, px);
	c1 = g_host(&g, im->bitmap.data);
	c1->data_size = 10;
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* a chunk pointing into an inactive slot */
	im = g_bitmap32(&g, 4, 4, px);
	c1 = g_host(&g, im->bitmap.data);
	c1->data_size = 8;
	c1->next_chunk = (6ull << 56) | 64;
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* chunk data_size above the slot */
	im = g_bitmap32(&g, 4, 4, px);
	c1 = g_host(&g, im->bitmap.data);
	c1->data_size = 0xfffffff0u;
	g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
	expect_guest_bug(&g);
	g_fini(&g);
}

static void hostile_08_clip_path_glyph_overflow(void)
{
	struct qxl_clip_rects *cr;
	struct qxl_path *p;
	struct qxl_path_seg *seg;
	struct qxl_string *s;
	struct qxl_raster_glyph *gl;
	struct qxl_drawable *d;
	struct guest g;

	setup(&g);	/* clip rect count overflowing count * 16 */
	d = fill(&g);
	d->clip.type = QXL_CLIP_TYPE_RECTS;
	cr = g_alloc(&g, sizeof(*cr));
	cr->num_rects = 0x10000001u;
	d->clip.data = g_phys(&g, cr);
	g_submit(&g, QXL_CMD_DRAW, d);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* unknown clip type */
	d = fill(&g);
	d->clip.type = 7;
	g_submit(&g, QXL_CMD_DRAW, d);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* path segment whose count * 8 overruns the data */
	p = g_alloc(&g, sizeof(*p) + 16);
	p->data_size = 16;
	p->chunk.data_size = 16;
	seg = (struct qxl_path_seg *)p->chunk.data;
	seg->count = 0x20000001u;
	d = g_drawable(&g, QXL_DRAW_STROKE, 0, 0, 0, 8, 8);
	d->u.stroke.path = g_phys(&g, p);
	d->u.stroke.brush.type = QXL_BRUSH_TYPE_SOLID;
	g_submit(&g, QXL_CMD_DRAW, d);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* glyph width * height overruns the string */
	s = g_alloc(&g, sizeof(*s) + sizeof(*gl) + 4);
	s->data_size = sizeof(*gl) + 4;
	s->length = 1;
	s->flags = QXL_STRING_FLAGS_RASTER_A8;
	s->chunk.data_size = s->data_size;
	gl = (struct qxl_raster_glyph *)s->chunk.data;
	gl->width = 0xffff;
	gl->height = 0xffff;
	d = g_drawable(&g, QXL_DRAW_TEXT, 0, 0, 0, 8, 8);
	d->u.text.str = g_phys(&g, s);
	d->u.text.fore_brush.type = QXL_BRUSH_TYPE_SOLID;
	g_submit(&g, QXL_CMD_DRAW, d);
	expect_guest_bug(&g);
	g_fini(&g);
}

static void push_cursor_set(struct guest *g, struct qxl_cursor *cur)
{
	g_submit_cursor(g, g_cursor_cmd(g, QXL_CURSOR_SET, cur));
}

static void hostile_09_cursor_shapes(void)
{
	struct qxl_cursor *cur;
	struct guest g;

	setup(&g);	/* huge: w*h*4 would overflow 32 bits */
	cur = g_cursor(&g, QXL_CURSOR_TYPE_ALPHA, 0xffff, 0xffff, 64);
	push_cursor_set(&g, cur);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* data_size smaller than the shape */
	cur = g_cursor(&g, QXL_CURSOR_TYPE_ALPHA, 32, 32, 64);
	push_cursor_set(&g, cur);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* data_size claims more than the chunks hold */
	cur = g_cursor(&g, QXL_CURSOR_TYPE_MONO, 32, 32, 16);
	cur->data_size = 256;
	push_cursor_set(&g, cur);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* unknown cursor type */
	cur = g_cursor(&g, 42, 2, 2, 16);
	push_cursor_set(&g, cur);
	expect_guest_bug(&g);
	g_fini(&g);
}

struct racer {
	volatile int stop;
	volatile uint8_t *w16;	/* 2 bytes, little-endian */
	volatile uint8_t *w32;	/* 4 bytes, little-endian */
};

static void *race(void *arg)
{
	struct racer *r = arg;
	unsigned int i = 0;

	while (!r->stop) {
		r->w16[0] = (i & 1) ? 8 : 0xff;
		r->w16[1] = (i & 1) ? 0 : 0xff;
		r->w32[0] = (i & 1) ? 16 : 0xff;
		r->w32[3] = (i & 1) ? 0 : 0x7f;
		i++;
	}
	return NULL;
}

/*
 * Double fetch: a second thread flips the cursor's width and a bitmap's
 * stride while the device handles them.  Each is copied once, so either
 * value is validated and used consistently; ASan would catch an overrun.
 */
static void hostile_10_double_fetch_race(void)
{
	static uint32_t px[64];
	struct qxl_cursor *cur;
	struct qxl_image *im;
	struct racer r;
	pthread_t th;
	struct guest g;
	int i;

	setup(&g);
	cur = g_cursor(&g, QXL_CURSOR_TYPE_ALPHA, 8, 8, 8 * 8 * 4);
	im = g_bitmap32(&g, 4, 4, px);
	r.stop = 0;
	r.w16 = (uint8_t *)cur + offsetof(struct qxl_cursor, header.width);
	r.w32 = (uint8_t *)im + offsetof(struct qxl_image, bitmap.stride);
	pthread_create(&th, NULL, race, &r);
	for (i = 0; i < 200; i++) {
		if (g_bug(&g))
			g_io(&g, QXL_IO_RESET, 0), g_add_slots(&g),
			g_create_primary(&g, 32, 32, 128,
					 QXL_SURFACE_FMT_32_xRGB);
		g_submit_cursor(&g, g_cursor_cmd(&g, QXL_CURSOR_SET, cur));
		g_submit(&g, QXL_CMD_DRAW, copy_of(&g, im));
		g_releases(&g, (uint64_t[64]){ 0 }, 64);
	}
	r.stop = 1;
	pthread_join(th, NULL);
	CHECK(1);	/* reaching here under ASan is the assertion */
	g_fini(&g);
}

static void hostile_11_monitors_config(void)
{
	struct qxl_monitors_config *mc;
	struct guest g;
	int i;

	for (i = 0; i < 3; i++) {
		setup(&g);
		mc = g_alloc(&g, sizeof(*mc) + 4 * sizeof(struct qxl_head));
		mc->count = i == 0 ? 0 : (i == 1 ? 3 : 65);
		mc->max_allowed = i == 1 ? 2 : 0;
		g.sim.ramh->monitors_config = g_phys(&g, mc);
		g_io(&g, QXL_IO_MONITORS_CONFIG_ASYNC, 0);
		g_deferred(&g);
		CHECK(!g_bug(&g));		/* ignored, like spice */
		CHECK_EQ(g.mon_calls, 0);
		CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_IO_CMD);
		g_fini(&g);
	}
	setup(&g);	/* heads run past the slot */
	mc = (struct qxl_monitors_config *)(g.sim.ram + g.sim.ram_size - 8);
	mc->count = 60;
	mc->max_allowed = 64;
	g.sim.ramh->monitors_config = g_phys(&g, mc);
	g_io(&g, QXL_IO_MONITORS_CONFIG_ASYNC, 0);
	expect_guest_bug(&g);
	g_fini(&g);
}

static void hostile_12_io_sequences(void)
{
	struct guest g;
	int i;

	setup(&g);	/* async while another is pending */
	g_io(&g, QXL_IO_FLUSH_SURFACES_ASYNC, 0);
	g_io(&g, QXL_IO_FLUSH_SURFACES_ASYNC, 0);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* MEMSLOT_ADD on an active slot */
	g_io(&g, QXL_IO_MEMSLOT_ADD, QXL_SIM_SLOT_RAM);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* slot id out of range */
	g_io(&g, QXL_IO_MEMSLOT_ADD, 8);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* start > end */
	g.sim.ramh->mem_slot.mem_start = QXL_SIM_RAM_GPA + 8192;
	g.sim.ramh->mem_slot.mem_end = QXL_SIM_RAM_GPA;
	g_io(&g, QXL_IO_MEMSLOT_ADD, 5);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* a range spanning the VRAM and RAM BARs */
	g.sim.ramh->mem_slot.mem_start = QXL_SIM_VRAM_GPA;
	g.sim.ramh->mem_slot.mem_end = QXL_SIM_RAM_GPA + 4096;
	g_io(&g, QXL_IO_MEMSLOT_ADD, 5);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* CREATE_PRIMARY with val != 0 */
	g_io(&g, QXL_IO_DESTROY_PRIMARY, 0);
	g_io(&g, QXL_IO_CREATE_PRIMARY, 1);
	expect_guest_bug(&g);
	g_fini(&g);

	g_init(&g);	/* DESTROY_PRIMARY with no primary: ignored */
	g_io(&g, QXL_IO_DESTROY_PRIMARY, 0);
	CHECK(!g_bug(&g));
	g_fini(&g);

	setup(&g);	/* SET_MODE out of range */
	g_io(&g, QXL_IO_SET_MODE, 250);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* NOTIFY_OOM storm */
	for (i = 0; i < 10000; i++)
		g_io(&g, QXL_IO_NOTIFY_OOM, 0);
	CHECK(!g_bug(&g));
	g_fini(&g);

	setup(&g);	/* LOG buffer without NUL, with control bytes */
	memset(g.sim.ramh->log_buf, 'A', QXL_LOG_BUF_SIZE);
	g.sim.ramh->log_buf[5] = 0x1b;
	g_io(&g, QXL_IO_LOG, 0);
	CHECK(!g_bug(&g));
	CHECK(strchr(g.sim.last_log, 0x1b) == NULL);
	g_fini(&g);

	{		/* ports above the revision's range (rev 3) */
		struct qxl_device_config cfg;

		qxl_device_config_init(&cfg);
		cfg.revision = 3;
		cfg.vgamem_size = 8u << 20;
		g_init_cfg(&g, &cfg);
		g_add_slots(&g);
		g_io(&g, QXL_IO_MONITORS_CONFIG_ASYNC, 0);
		CHECK(g_bug(&g));
		g_fini(&g);
	}

	setup(&g);	/* ports past the end, unused ports */
	g_io(&g, 25, 0);
	expect_guest_bug(&g);
	g_fini(&g);
	setup(&g);
	g_io(&g, QXL_IO_ATTACH_PRIMARY, 0);
	expect_guest_bug(&g);
	g_fini(&g);

	setup(&g);	/* RESET while an async op is pending */
	g_io(&g, QXL_IO_FLUSH_SURFACES_ASYNC, 0);
	g_io(&g, QXL_IO_RESET, 0);
	g_deferred(&g);
	CHECK(!g_bug(&g));
	CHECK_EQ(g.sim.ramh->int_pending, 0);	/* no stale completion */
	g_add_slots(&g);
	g_io(&g, QXL_IO_FLUSH_SURFACES_ASYNC, 0);	/* accepted again */
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void hostile_13_release_after_reset(void)
{
	struct qxl_drawable *d1, *d2;
	struct guest g;
	uint64_t ids[4];

	setup(&g);
	d1 = fill(&g);
	g_submit(&g, QXL_CMD_DRAW, d1);		/* chain holds d1 */
	g_io(&g, QXL_IO_RESET, 0);
	g_add_slots(&g);
	g_create_primary(&g, 32, 32, 128, QXL_SURFACE_FMT_32_xRGB);
	d1->release_info.next = 0x1234;	/* stale pointer must not be used */
	d2 = fill(&g);
	g_submit(&g, QXL_CMD_DRAW, d2);
	g_io(&g, QXL_IO_FLUSH_RELEASE, 0);
	CHECK_EQ(g_releases(&g, ids, 4), 1);
	CHECK_EQ(ids[0], g_phys(&g, d2));
	CHECK_EQ(d1->release_info.next, 0x1234);
	CHECK(!g_bug(&g));
	/* Guest scribbles on the release ring head slot: no effect on us. */
	g.sim.ramh->release_ring.items[1] = 0xdeadbeef;
	g_submit(&g, QXL_CMD_DRAW, fill(&g));
	g_io(&g, QXL_IO_FLUSH_RELEASE, 0);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void hostile_14_vga_port_writes_in_native_mode(void)
{
	struct qxl_device_config cfg;
	struct guest g;

	setup(&g);	/* revision 5: ignored */
	qxl_device_vga_ioport_written(g.sim.dev);
	CHECK(qxl_device_in_native_mode(g.sim.dev));
	CHECK_EQ(g.primary_destroys, 0);
	g_fini(&g);

	qxl_device_config_init(&cfg);
	cfg.revision = 4;
	cfg.vgamem_size = 8u << 20;
	g_init_cfg(&g, &cfg);
	g_add_slots(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	qxl_device_vga_ioport_written(g.sim.dev);	/* rev 4: back to VGA */
	CHECK(!qxl_device_in_native_mode(g.sim.dev));
	CHECK_EQ(g.primary_destroys, 1);
	CHECK(!g.sim.native);
	/* Ring kicks in VGA mode are ignored; async ones still complete. */
	g.sim.ramh->int_mask = QXL_INTERRUPT_IO_CMD;
	g_io(&g, QXL_IO_FLUSH_SURFACES_ASYNC, 0);
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_IO_CMD);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

/*
 * Log flood: tolerated guest errors (here a draw to a missing surface,
 * repeated) are not guest bugs, but each used to log a line.  The host
 * log must get a bounded number of lines per reset; the stats still
 * count every one, and a reset re-arms the log.
 */
static void hostile_15_log_flood_rate_limited(void)
{
	struct qxl_device_stats st;
	struct guest g;
	int i, logged;

	setup(&g);
	g.sim.guest_errors = 0;
	for (i = 0; i < 200; i++) {
		g_submit(&g, QXL_CMD_DRAW,
			 g_drawable(&g, QXL_DRAW_FILL, 5, 0, 0, 4, 4));
		g_releases(&g, (uint64_t[64]){ 0 }, 64);
		if (g.sim.ram_next > g.sim.romp->pages_offset + (1u << 20))
			g.sim.ram_next = g.sim.romp->pages_offset;
	}
	CHECK(!g_bug(&g));
	qxl_device_get_stats(g.sim.dev, &st);
	CHECK_EQ(st.guest_warnings, 200);
	CHECK(g.sim.guest_errors >= 2);
	CHECK(g.sim.guest_errors <= 20);
	logged = g.sim.guest_errors;
	g_io(&g, QXL_IO_RESET, 0);
	g_add_slots(&g);
	g_create_primary(&g, 32, 32, 128, QXL_SURFACE_FMT_32_xRGB);
	g_submit(&g, QXL_CMD_DRAW,
		 g_drawable(&g, QXL_DRAW_FILL, 5, 0, 0, 4, 4));
	CHECK_EQ(g.sim.guest_errors, logged + 1);
	g_fini(&g);
}

/*
 * A guest that reuses command memory the moment the device hands it back
 * (Linux qxl.ko frees it in its garbage collector): a held command (a live
 * surface's CREATE, the cursor SET shown) must never be among the
 * releases, and what was released is never read again.
 */
struct reuse_state {
	struct guest g;
	uint64_t held_create[8];	/* per surface id 1..7, 0 = none */
	uint64_t held_set;
	int released_creates;
};

static void reuse_collect(struct reuse_state *st)
{
	uint64_t ids[64];
	int n, i, k;

	g_io(&st->g, QXL_IO_FLUSH_RELEASE, 0);
	n = g_releases(&st->g, ids, 64);
	for (i = 0; i < n; i++) {
		for (k = 1; k < 8; k++)
			CHECK(ids[i] != st->held_create[k]);
		CHECK(ids[i] != st->held_set);
		memset(g_host(&st->g, ids[i]), 0xff, 40);	/* reused */
	}
}

static void hostile_16_memory_reused_the_moment_it_is_released(void)
{
	struct reuse_state st;
	uint32_t seed = 1;
	int step, k;

	memset(&st, 0, sizeof(st));
	setup(&st.g);
	for (step = 0; step < 400; step++) {
		uint32_t id;

		seed = seed * 1103515245u + 12345u;
		id = 1 + (seed >> 16) % 7;
		switch ((seed >> 8) % 4) {
		case 0: {	/* create, or destroy what exists */
			struct qxl_surface_cmd *sc;

			if (!st.held_create[id]) {
				sc = surf_cmd(&st.g, id,
					      QXL_SURFACE_CMD_CREATE);
				st.held_create[id] = g_phys(&st.g, sc);
			} else {
				sc = surf_cmd(&st.g, id,
					      QXL_SURFACE_CMD_DESTROY);
				st.held_create[id] = 0;
				st.released_creates++;
			}
			g_submit(&st.g, QXL_CMD_SURFACE, sc);
			break;
		}
		case 1: {	/* draw on a surface, live or not */
			struct qxl_drawable *d = fill(&st.g);

			d->surface_id = id;
			g_submit(&st.g, QXL_CMD_DRAW, d);
			break;
		}
		case 2: {	/* a new cursor shape */
			struct qxl_cursor_cmd *c = g_cursor_cmd(&st.g,
				QXL_CURSOR_SET, g_cursor(&st.g,
				QXL_CURSOR_TYPE_ALPHA, 2, 2, 16));

			st.held_set = g_phys(&st.g, c);
			g_submit_cursor(&st.g, c);
			break;
		}
		default:
			g_submit(&st.g, QXL_CMD_DRAW, fill(&st.g));
			break;
		}
		reuse_collect(&st);
		CHECK(!g_bug(&st.g));
	}
	CHECK(st.released_creates > 10);
	/* DESTROY_ALL_SURFACES hands back every held command. */
	g_io(&st.g, QXL_IO_DESTROY_ALL_SURFACES, 0);
	for (k = 1; k < 8; k++)
		st.held_create[k] = 0;
	st.held_set = 0;
	reuse_collect(&st);
	CHECK(!g_bug(&st.g));
	g_fini(&st.g);
}

const struct test tests_hostile[] = {
	{ "hostile_01_phys_bad_slot_generation_offset_wrap",
	  hostile_01_phys_bad_slot_generation_offset_wrap },
	{ "hostile_02_ring_indices_impossible",
	  hostile_02_ring_indices_impossible },
	{ "hostile_03_unknown_command_types",
	  hostile_03_unknown_command_types },
	{ "hostile_04_surface_ids", hostile_04_surface_ids },
	{ "hostile_05_surface_and_primary_parameters",
	  hostile_05_surface_and_primary_parameters },
	{ "hostile_06_bitmaps", hostile_06_bitmaps },
	{ "hostile_06_scaled_copy_bbox_int32_min",
	  hostile_06_scaled_copy_bbox_int32_min },
	{ "hostile_06_copy_bits_offset_beyond_int",
	  hostile_06_copy_bits_offset_beyond_int },
	{ "hostile_07_chunk_lists", hostile_07_chunk_lists },
	{ "hostile_08_clip_path_glyph_overflow",
	  hostile_08_clip_path_glyph_overflow },
	{ "hostile_09_cursor_shapes", hostile_09_cursor_shapes },
	{ "hostile_10_double_fetch_race", hostile_10_double_fetch_race },
	{ "hostile_11_monitors_config", hostile_11_monitors_config },
	{ "hostile_12_io_sequences", hostile_12_io_sequences },
	{ "hostile_13_release_after_reset", hostile_13_release_after_reset },
	{ "hostile_14_vga_port_writes_in_native_mode",
	  hostile_14_vga_port_writes_in_native_mode },
	{ "hostile_15_log_flood_rate_limited",
	  hostile_15_log_flood_rate_limited },
	{ "hostile_16_memory_reused_the_moment_it_is_released",
	  hostile_16_memory_reused_the_moment_it_is_released },
	{ NULL, NULL },
};
