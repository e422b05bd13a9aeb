// SPDX-License-Identifier: MIT
/*
 * test_draw.c - each command type rendered onto a 32-bit primary and
 * compared pixel by pixel with values computed here independently.
 */
#include <stdlib.h>

#include "harness.h"

#define W 32
#define H 24
#define RGB(v) ((v) & 0xffffff)

static void setup(struct guest *g)
{
	g_init(g);
	g_create_primary(g, W, H, W * 4, QXL_SURFACE_FMT_32_xRGB);
}

static void fill_bg(struct guest *g, uint32_t v)
{
	int x, y;

	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			g_set_px(g, x, y, v);
}

/* Check every pixel: inside [l,t,r,b) want 'in(x,y)', outside 'out'. */
#define EXPECT_RECT(g, l, t, r, b, in_expr, out) do { int x, y, bad = 0; \
	for (y = 0; y < H; y++) for (x = 0; x < W; x++) { \
		uint32_t want = (x >= (l) && x < (r) && y >= (t) && y < (b)) ? \
			(uint32_t)(in_expr) : (uint32_t)(out); \
		if (RGB(g_px(g, x, y)) != RGB(want) && bad++ < 3) \
			printf("#   pixel (%d,%d) = %06x, want %06x\n", x, y, \
			       RGB(g_px(g, x, y)), RGB(want)); } \
	CHECK_EQ(bad, 0); } while (0)

static void draw_fill_solid_copies_brush(void)
{
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	d = g_drawable(&g, QXL_DRAW_FILL, 0, 2, 3, 10, 7);
	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = 0x123456;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	g_submit(&g, QXL_CMD_DRAW, d);
	EXPECT_RECT(&g, 2, 3, 10, 7, 0x123456, 0);
	CHECK_EQ(g.dmg_x1, 2);
	CHECK_EQ(g.dmg_y1, 3);
	CHECK_EQ(g.dmg_x2, 10);
	CHECK_EQ(g.dmg_y2, 7);
	CHECK(g.flushes > 0);
	CHECK(!g_bug(&g));
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

static void draw_fill_clip_rects_limit_pixels(void)
{
	struct qxl_rect clip[2] = { { 0, 0, 4, 4 }, { 10, 10, 12, 12 } };
	struct guest g;
	struct qxl_drawable *d;
	int x, y, bad = 0;

	setup(&g);
	d = g_drawable(&g, QXL_DRAW_FILL, 0, 0, 0, W, H);
	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = 0xff0000;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	d->clip.type = QXL_CLIP_TYPE_RECTS;
	d->clip.data = g_clip_rects(&g, clip, 2);
	g_submit(&g, QXL_CMD_DRAW, d);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			bool in = (x < 4 && y < 4) ||
				  (x >= 10 && x < 12 && y >= 10 && y < 12);

			bad += RGB(g_px(&g, x, y)) != (in ? 0xff0000u : 0u);
		}
	CHECK_EQ(bad, 0);
	g_fini(&g);
}

static void draw_fill_rop_xor_and_inverted_brush(void)
{
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	fill_bg(&g, 0x0f0f0f);
	d = g_drawable(&g, QXL_DRAW_FILL, 0, 0, 0, 8, 8);
	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = 0x00ff33;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_XOR;
	g_submit(&g, QXL_CMD_DRAW, d);
	EXPECT_RECT(&g, 0, 0, 8, 8, 0x0f0f0f ^ 0x00ff33, 0x0f0f0f);
	d = g_drawable(&g, QXL_DRAW_FILL, 0, 8, 0, 16, 8);
	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = 0x00ff33;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_AND | QXL_ROPD_INVERS_BRUSH;
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 9, 1)), 0x0f0f0f & ~0x00ff33u);
	g_fini(&g);
}

static uint32_t pat(int x, int y)
{
	return (uint32_t)(x * 7 + y * 1000 + 0x10203);
}

static void draw_copy_bitmap32_exact(void)
{
	uint32_t px[6 * 5];
	struct guest g;
	struct qxl_drawable *d;
	int i;

	setup(&g);
	for (i = 0; i < 30; i++)
		px[i] = pat(i % 6, i / 6);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 5, 4, 9, 7);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap32(&g, 6, 5, px));
	d->u.copy.src_area = (struct qxl_rect){ 1, 2, 4, 6 };	/* t l b r */
	d->u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	g_submit(&g, QXL_CMD_DRAW, d);
	EXPECT_RECT(&g, 5, 4, 9, 7, pat(x - 5 + 2, y - 4 + 1), 0);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

/* A copy whose region is two rectangles: pixman's clipped blit, not the
 * one-rectangle row copy; only the clip's pixels change. */
static void draw_copy_clipped_to_two_rects_exact(void)
{
	struct qxl_rect clip[2] = { { 0, 0, 2, 2 }, { 3, 3, 5, 6 } };
	uint32_t px[6 * 5];
	struct guest g;
	struct qxl_drawable *d;
	int i, x, y, bad = 0;

	setup(&g);
	for (i = 0; i < 30; i++)
		px[i] = pat(i % 6, i / 6);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 0, 6, 5);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap32(&g, 6, 5, px));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 5, 6 };	/* t l b r */
	d->u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	d->clip.type = QXL_CLIP_TYPE_RECTS;
	d->clip.data = g_clip_rects(&g, clip, 2);
	g_submit(&g, QXL_CMD_DRAW, d);
	for (y = 0; y < 6; y++)
		for (x = 0; x < 7; x++) {
			bool in = (x < 2 && y < 2) ||
				  (x >= 3 && x < 6 && y >= 3 && y < 5);

			bad += RGB(g_px(&g, x, y)) != (in ? RGB(pat(x, y)) : 0u);
		}
	CHECK_EQ(bad, 0);
	g_fini(&g);
}

static void draw_copy_chunked_bottom_up_bitmap(void)
{
	uint32_t px[4 * 4];
	struct qxl_image *im;
	struct qxl_data_chunk *c1, *c2;
	struct guest g;
	struct qxl_drawable *d;
	int i;

	setup(&g);
	for (i = 0; i < 16; i++)
		px[i] = pat(i % 4, i / 4);
	/* Two chunks of 24 and 40 bytes, lines stored bottom-up. */
	im = g_bitmap(&g, QXL_BITMAP_FMT_32BIT, 4, 4, 16, 0, px, NULL, 0);
	c1 = g_alloc(&g, sizeof(*c1) + 24);
	c2 = g_alloc(&g, sizeof(*c2) + 40);
	c1->data_size = 24;
	c2->data_size = 40;
	for (i = 0; i < 4; i++) {
		uint8_t line[16];

		memcpy(line, &px[(3 - i) * 4], 16);
		if (i * 16 + 16 <= 24) {
			memcpy(c1->data + i * 16, line, 16);
		} else if (i * 16 >= 24) {
			memcpy(c2->data + i * 16 - 24, line, 16);
		} else {
			memcpy(c1->data + i * 16, line, 24 - i * 16);
			memcpy(c2->data, line + (24 - i * 16), 16 - (24 - i * 16));
		}
	}
	c1->next_chunk = g_phys(&g, c2);
	im->bitmap.data = g_phys(&g, c1);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 0, 4, 4);
	d->u.copy.src_bitmap = g_phys(&g, im);
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 4, 4 };
	d->u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	g_submit(&g, QXL_CMD_DRAW, d);
	EXPECT_RECT(&g, 0, 0, 4, 4, pat(x, y), 0);
	g_fini(&g);
}

static void draw_copy_palette_8_4_1_bit(void)
{
	uint32_t pal[4] = { 0x000000, 0xff0000, 0x00ff00, 0x0000ff };
	uint8_t p8[4 * 2] = { 0, 1, 2, 3, 3, 2, 1, 0 };
	uint8_t p4be[4] = { 0x01, 0x23, 0x32, 0x10 };	/* 2 bytes/line */
	uint8_t p1le[2] = { 0x05, 0x0a };	/* 1010 / 0101 in LE bits */
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 0, 4, 2);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap(&g, QXL_BITMAP_FMT_8BIT, 4,
		2, 4, QXL_BITMAP_TOP_DOWN, p8, pal, 4));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 2, 4 };
	g_submit(&g, QXL_CMD_DRAW, d);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 4, 4, 6);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap(&g, QXL_BITMAP_FMT_4BIT_BE,
		4, 2, 2, QXL_BITMAP_TOP_DOWN, p4be, pal, 4));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 2, 4 };
	g_submit(&g, QXL_CMD_DRAW, d);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 8, 4, 10);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap(&g, QXL_BITMAP_FMT_1BIT_LE,
		4, 2, 1, QXL_BITMAP_TOP_DOWN, p1le, pal, 2));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 2, 4 };
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 1, 0)), 0xff0000);
	CHECK_EQ(RGB(g_px(&g, 3, 0)), 0x0000ff);
	CHECK_EQ(RGB(g_px(&g, 0, 1)), 0x0000ff);
	CHECK_EQ(RGB(g_px(&g, 0, 4)), 0x000000);
	CHECK_EQ(RGB(g_px(&g, 1, 4)), 0xff0000);
	CHECK_EQ(RGB(g_px(&g, 2, 4)), 0x00ff00);
	CHECK_EQ(RGB(g_px(&g, 2, 5)), 0xff0000);
	CHECK_EQ(RGB(g_px(&g, 0, 8)), 0xff0000);
	CHECK_EQ(RGB(g_px(&g, 1, 8)), 0x000000);
	CHECK_EQ(RGB(g_px(&g, 2, 8)), 0xff0000);
	CHECK_EQ(RGB(g_px(&g, 1, 9)), 0xff0000);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void draw_copy_16_24_rgba_formats(void)
{
	uint16_t p16[2] = { 0x7c00, 0x001f };		/* red, blue x555 */
	uint8_t p24[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0, 0 };
	uint32_t prgba[2] = { 0xff808080, 0xff010203 };
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 0, 2, 1);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap(&g, QXL_BITMAP_FMT_16BIT, 2,
		1, 4, QXL_BITMAP_TOP_DOWN, p16, NULL, 0));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 1, 2 };
	g_submit(&g, QXL_CMD_DRAW, d);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 1, 2, 2);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap(&g, QXL_BITMAP_FMT_24BIT, 2,
		1, 8, QXL_BITMAP_TOP_DOWN, p24, NULL, 0));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 1, 2 };
	g_submit(&g, QXL_CMD_DRAW, d);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 2, 2, 3);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap(&g, QXL_BITMAP_FMT_RGBA, 2,
		1, 8, QXL_BITMAP_TOP_DOWN, prgba, NULL, 0));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 1, 2 };
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 0, 0)), 0xff0000);
	CHECK_EQ(RGB(g_px(&g, 1, 0)), 0x0000ff);
	CHECK_EQ(RGB(g_px(&g, 0, 1)), 0x332211);
	CHECK_EQ(RGB(g_px(&g, 1, 1)), 0x665544);
	CHECK_EQ(RGB(g_px(&g, 0, 2)), 0x808080);
	CHECK_EQ(RGB(g_px(&g, 1, 2)), 0x010203);
	g_fini(&g);
}

static void draw_copy_scaled_nearest_doubles(void)
{
	uint32_t px[4] = { 0x111111, 0x222222, 0x333333, 0x444444 };
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 0, 0, 4, 4);
	d->u.copy.src_bitmap = g_phys(&g, g_bitmap32(&g, 2, 2, px));
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 2, 2 };
	d->u.copy.scale_mode = QXL_SCALE_MODE_NEAREST;
	g_submit(&g, QXL_CMD_DRAW, d);
	EXPECT_RECT(&g, 0, 0, 4, 4, px[(y / 2) * 2 + x / 2], 0);
	g_fini(&g);
}

static void draw_blend_rop_and_with_dest(void)
{
	uint32_t px[4] = { 0xf0f0f0, 0x0f0f0f, 0xffffff, 0x000000 };
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	fill_bg(&g, 0x336699);
	d = g_drawable(&g, QXL_DRAW_BLEND, 0, 0, 0, 2, 2);
	d->u.blend.src_bitmap = g_phys(&g, g_bitmap32(&g, 2, 2, px));
	d->u.blend.src_area = (struct qxl_rect){ 0, 0, 2, 2 };
	d->u.blend.rop_descriptor = QXL_ROPD_OP_AND;
	g_submit(&g, QXL_CMD_DRAW, d);
	EXPECT_RECT(&g, 0, 0, 2, 2, px[y * 2 + x] & 0x336699, 0x336699);
	g_fini(&g);
}

static void draw_opaque_image_then_brush_rop(void)
{
	uint32_t px[4] = { 0x00ff00, 0x0000ff, 0xff0000, 0x123456 };
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	fill_bg(&g, 0xabcdef);
	d = g_drawable(&g, QXL_DRAW_OPAQUE, 0, 0, 0, 2, 2);
	d->u.opaque.src_bitmap = g_phys(&g, g_bitmap32(&g, 2, 2, px));
	d->u.opaque.src_area = (struct qxl_rect){ 0, 0, 2, 2 };
	d->u.opaque.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.opaque.brush.u.color = 0x0f0f0f;
	d->u.opaque.rop_descriptor = QXL_ROPD_OP_OR;	/* brush | src */
	g_submit(&g, QXL_CMD_DRAW, d);
	EXPECT_RECT(&g, 0, 0, 2, 2, px[y * 2 + x] | 0x0f0f0f, 0xabcdef);
	g_fini(&g);
}

static void copy_bits_overlapping_moves_pixels(void)
{
	struct guest g;
	struct qxl_drawable *d;
	int x, y, bad = 0;

	setup(&g);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			g_set_px(&g, x, y, pat(x, y));
	/* Move the 10x10 block at (2,2) right/down by (3,1): overlaps. */
	d = g_drawable(&g, QXL_COPY_BITS, 0, 5, 3, 15, 13);
	d->u.copy_bits.src_pos.x = 2;
	d->u.copy_bits.src_pos.y = 2;
	g_submit(&g, QXL_CMD_DRAW, d);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			bool in = x >= 5 && x < 15 && y >= 3 && y < 13;
			uint32_t want = in ? pat(x - 3, y - 1) : pat(x, y);

			bad += g_px(&g, x, y) != want;
		}
	CHECK_EQ(bad, 0);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

/*
 * An overlapping move in each of the 8 directions, clipped to a region
 * with several boxes per band and several bands, so the order of both
 * rows and boxes matters; the result must be as if the whole source was
 * read first.
 */
static void copy_bits_overlap_all_directions(void)
{
	static const int dir[8][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 },
				       { 0, -1 }, { 1, 1 }, { -1, -1 },
				       { 1, -1 }, { -1, 1 } };
	/* Two boxes 2 px apart in a band: closer than the 3 px move. */
	struct qxl_rect clip[4] = {
		{ .left = 4, .top = 4, .right = 10, .bottom = 12 },
		{ .left = 12, .top = 4, .right = 20, .bottom = 12 },
		{ .left = 6, .top = 12, .right = 18, .bottom = 16 },
		{ .left = 4, .top = 16, .right = 9, .bottom = 20 },
	};
	static uint32_t want[H][W];
	struct guest g;
	struct qxl_drawable *d;
	int i, x, y, bad, sx, sy;

	for (i = 0; i < 8; i++) {
		int mx = dir[i][0] * 3, my = dir[i][1] * 2;

		setup(&g);
		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++)
				g_set_px(&g, x, y, pat(x, y));
		/* Destination (4,4)-(20,20); source (4-mx,4-my). */
		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++) {
				bool in = false;
				int c;

				for (c = 0; c < 4; c++)
					in |= x >= clip[c].left &&
					      x < clip[c].right &&
					      y >= clip[c].top &&
					      y < clip[c].bottom;
				sx = x - mx;
				sy = y - my;
				want[y][x] = in ? pat(sx, sy) : pat(x, y);
			}
		d = g_drawable(&g, QXL_COPY_BITS, 0, 4, 4, 20, 20);
		d->u.copy_bits.src_pos.x = 4 - mx;
		d->u.copy_bits.src_pos.y = 4 - my;
		d->clip.type = QXL_CLIP_TYPE_RECTS;
		d->clip.data = g_clip_rects(&g, clip, 4);
		g_submit(&g, QXL_CMD_DRAW, d);
		bad = 0;
		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++)
				if (g_px(&g, x, y) != want[y][x] && bad++ < 3)
					printf("#   move (%d,%d): pixel (%d,%d) = %06x, want %06x\n",
					       mx, my, x, y, RGB(g_px(&g, x, y)),
					       RGB(want[y][x]));
		CHECK_EQ(bad, 0);
		CHECK(!g_bug(&g));
		CHECK_EQ(g_spice_check(&g), 0);
		g_fini(&g);
	}
}

static void blackness_whiteness_invers_with_mask(void)
{
	uint8_t maskbits[2] = { 0x80, 0x40 };	/* BE: (0,0) and (1,1) set */
	struct qxl_image *mask;
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	fill_bg(&g, 0x5a5a5a);
	d = g_drawable(&g, QXL_DRAW_BLACKNESS, 0, 0, 0, 2, 2);
	g_submit(&g, QXL_CMD_DRAW, d);
	d = g_drawable(&g, QXL_DRAW_WHITENESS, 0, 2, 0, 4, 2);
	g_submit(&g, QXL_CMD_DRAW, d);
	d = g_drawable(&g, QXL_DRAW_INVERS, 0, 4, 0, 6, 2);
	g_submit(&g, QXL_CMD_DRAW, d);
	mask = g_bitmap(&g, QXL_BITMAP_FMT_1BIT_BE, 2, 2, 1,
			QXL_BITMAP_TOP_DOWN, maskbits, NULL, 0);
	d = g_drawable(&g, QXL_DRAW_BLACKNESS, 0, 6, 0, 8, 2);
	d->u.blackness.mask.bitmap = g_phys(&g, mask);
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 1, 1)), 0);
	CHECK_EQ(RGB(g_px(&g, 3, 1)), 0xffffff);
	CHECK_EQ(RGB(g_px(&g, 5, 1)), 0xa5a5a5);
	CHECK_EQ(RGB(g_px(&g, 6, 0)), 0);
	CHECK_EQ(RGB(g_px(&g, 7, 0)), 0x5a5a5a);
	CHECK_EQ(RGB(g_px(&g, 6, 1)), 0x5a5a5a);
	CHECK_EQ(RGB(g_px(&g, 7, 1)), 0);
	CHECK_EQ(RGB(g_px(&g, 8, 0)), 0x5a5a5a);
	g_fini(&g);
}

static void rop3_pattern_source_dest(void)
{
	uint32_t px[2] = { 0xff00ff, 0x00ff00 };
	struct guest g;
	struct qxl_drawable *d;
	uint32_t P = 0x0f0f0f, D = 0x3c3c3c;

	setup(&g);
	fill_bg(&g, D);
	d = g_drawable(&g, QXL_DRAW_ROP3, 0, 0, 0, 2, 1);
	d->u.rop3.src_bitmap = g_phys(&g, g_bitmap32(&g, 2, 1, px));
	d->u.rop3.src_area = (struct qxl_rect){ 0, 0, 1, 2 };
	d->u.rop3.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.rop3.brush.u.color = P;
	d->u.rop3.rop3 = 0xb8;	/* PSDPxax: (P ^ (S & (D ^ P))) */
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 0, 0)), RGB(P ^ (px[0] & (D ^ P))));
	CHECK_EQ(RGB(g_px(&g, 1, 0)), RGB(P ^ (px[1] & (D ^ P))));
	d = g_drawable(&g, QXL_DRAW_ROP3, 0, 2, 0, 4, 1);
	d->u.rop3.src_bitmap = g_phys(&g, g_bitmap32(&g, 2, 1, px));
	d->u.rop3.src_area = (struct qxl_rect){ 0, 0, 1, 2 };
	d->u.rop3.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.rop3.brush.u.color = P;
	d->u.rop3.rop3 = 0x66;	/* SRCINVERT: S ^ D */
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 2, 0)), RGB(px[0] ^ D));
	g_fini(&g);
}

static void transparent_skips_key_color(void)
{
	uint32_t px[3] = { 0x00ff00, 0x123456, 0x00ff00 };
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	fill_bg(&g, 0x999999);
	d = g_drawable(&g, QXL_DRAW_TRANSPARENT, 0, 0, 0, 3, 1);
	d->u.transparent.src_bitmap = g_phys(&g, g_bitmap32(&g, 3, 1, px));
	d->u.transparent.src_area = (struct qxl_rect){ 0, 0, 1, 3 };
	d->u.transparent.true_color = 0x00ff00;
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 0, 0)), 0x999999);
	CHECK_EQ(RGB(g_px(&g, 1, 0)), 0x123456);
	CHECK_EQ(RGB(g_px(&g, 2, 0)), 0x999999);
	g_fini(&g);
}

/* pixman's rounding of a * b / 255. */
static uint32_t mul8(uint32_t a, uint32_t b)
{
	uint32_t t = a * b + 0x80;

	return (t + (t >> 8)) >> 8;
}

static void alpha_blend_constant_alpha_over(void)
{
	uint32_t px[1] = { 0xc8641e };		/* opaque (x8r8g8b8) */
	struct guest g;
	struct qxl_drawable *d;
	uint32_t D = 0x204060, a = 0x80, want = 0;
	int sh;

	setup(&g);
	fill_bg(&g, D);
	d = g_drawable(&g, QXL_DRAW_ALPHA_BLEND, 0, 0, 0, 1, 1);
	d->u.alpha_blend.alpha = (uint8_t)a;
	d->u.alpha_blend.src_bitmap = g_phys(&g, g_bitmap32(&g, 1, 1, px));
	d->u.alpha_blend.src_area = (struct qxl_rect){ 0, 0, 1, 1 };
	g_submit(&g, QXL_CMD_DRAW, d);
	for (sh = 0; sh < 24; sh += 8) {
		uint32_t s = mul8((px[0] >> sh) & 0xff, a);
		uint32_t dd = mul8((D >> sh) & 0xff, 255 - mul8(255, a));

		want |= ((s + dd > 255 ? 255 : s + dd)) << sh;
	}
	CHECK_EQ(RGB(g_px(&g, 0, 0)), want);
	CHECK_EQ(RGB(g_px(&g, 1, 0)), D);
	g_fini(&g);
}

static void composite_over_with_alpha_source(void)
{
	uint32_t px[2] = { 0x80ff0000, 0x00000000 };	/* premultiplied */
	struct guest g;
	struct qxl_drawable *d;
	uint32_t D = 0x0000ff;

	setup(&g);
	fill_bg(&g, D);
	d = g_drawable(&g, QXL_DRAW_COMPOSITE, 0, 0, 0, 2, 1);
	d->u.composite.flags = QXL_OP_OVER;
	d->u.composite.src = g_phys(&g, g_bitmap(&g, QXL_BITMAP_FMT_RGBA, 2, 1,
		8, QXL_BITMAP_TOP_DOWN, px, NULL, 0));
	g_submit(&g, QXL_CMD_DRAW, d);
	/* OVER: src + dst * (1 - src_alpha) per channel. */
	CHECK_EQ(RGB(g_px(&g, 0, 0)), (0xffu << 16) | mul8(0xff, 0xff - 0x80));
	CHECK_EQ(RGB(g_px(&g, 1, 0)), D);
	CHECK(!g_bug(&g));
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

static void surface_create_draw_then_copy_from_surface_image(void)
{
	struct qxl_surface_cmd *sc;
	struct qxl_image *si;
	struct guest g;
	struct qxl_drawable *d;
	void *mem;

	setup(&g);
	mem = g_valloc(&g, 8 * 8 * 4);
	sc = g_alloc(&g, sizeof(*sc));
	sc->release_info.id = g_phys(&g, sc);
	sc->surface_id = 5;
	sc->type = QXL_SURFACE_CMD_CREATE;
	sc->u.surface_create.format = QXL_SURFACE_FMT_32_xRGB;
	sc->u.surface_create.width = 8;
	sc->u.surface_create.height = 8;
	sc->u.surface_create.stride = 32;
	sc->u.surface_create.data = g_phys(&g, mem);
	g_push_cmd(&g, QXL_CMD_SURFACE, g_phys(&g, sc));
	d = g_drawable(&g, QXL_DRAW_FILL, 5, 0, 0, 8, 8);
	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = 0x445566;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(((uint32_t *)mem)[9], 0x445566);
	CHECK_EQ(g.damages, 0);		/* off-screen: no primary damage */
	si = g_alloc(&g, sizeof(*si));
	si->descriptor.type = QXL_IMAGE_TYPE_SURFACE;
	si->surface_image.surface_id = 5;
	d = g_drawable(&g, QXL_DRAW_COPY, 0, 10, 10, 14, 14);
	d->u.copy.src_bitmap = g_phys(&g, si);
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 4, 4 };
	g_submit(&g, QXL_CMD_DRAW, d);
	EXPECT_RECT(&g, 10, 10, 14, 14, 0x445566, 0);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void stroke_draws_line_best_effort(void)
{
	struct qxl_path *p;
	struct qxl_path_seg *seg;
	struct guest g;
	struct qxl_drawable *d;
	size_t sz = sizeof(*seg) + 2 * sizeof(struct qxl_point_fix);

	setup(&g);
	p = g_alloc(&g, sizeof(*p) + sz);
	p->data_size = (uint32_t)sz;
	p->chunk.data_size = (uint32_t)sz;
	seg = (struct qxl_path_seg *)p->chunk.data;
	seg->flags = QXL_PATH_BEGIN | QXL_PATH_END;
	seg->count = 2;
	seg->points[0] = (struct qxl_point_fix){ 1 << 4, 5 << 4 };
	seg->points[1] = (struct qxl_point_fix){ 10 << 4, 5 << 4 };
	d = g_drawable(&g, QXL_DRAW_STROKE, 0, 0, 0, W, H);
	d->u.stroke.path = g_phys(&g, p);
	d->u.stroke.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.stroke.brush.u.color = 0xffffff;
	d->u.stroke.fore_mode = QXL_ROPD_OP_PUT;
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 5, 5)), 0xffffff);
	CHECK_EQ(RGB(g_px(&g, 5, 6)), 0);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void text_a1_glyph_best_effort(void)
{
	struct qxl_string *s;
	struct qxl_raster_glyph *gl;
	struct guest g;
	struct qxl_drawable *d;
	size_t sz = sizeof(*gl) + 2;

	setup(&g);
	s = g_alloc(&g, sizeof(*s) + sz);
	s->data_size = (uint32_t)sz;
	s->length = 1;
	s->flags = QXL_STRING_FLAGS_RASTER_A1;
	s->chunk.data_size = (uint32_t)sz;
	gl = (struct qxl_raster_glyph *)s->chunk.data;
	gl->render_pos = (struct qxl_point){ 4, 4 };
	gl->width = 3;
	gl->height = 2;
	gl->data[0] = 0xa0;	/* X.X */
	gl->data[1] = 0x40;	/* .X. */
	d = g_drawable(&g, QXL_DRAW_TEXT, 0, 0, 0, W, H);
	d->u.text.str = g_phys(&g, s);
	d->u.text.fore_brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.text.fore_brush.u.color = 0xff00ff;
	d->u.text.fore_mode = QXL_ROPD_OP_PUT;
	g_submit(&g, QXL_CMD_DRAW, d);
	CHECK_EQ(RGB(g_px(&g, 4, 4)), 0xff00ff);
	CHECK_EQ(RGB(g_px(&g, 5, 4)), 0);
	CHECK_EQ(RGB(g_px(&g, 5, 5)), 0xff00ff);
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

static void cursor_set_move_hide_reach_sink(void)
{
	struct qxl_cursor_cmd *c;
	struct qxl_cursor *cur;
	struct guest g;
	int i;

	setup(&g);
	cur = g_cursor(&g, QXL_CURSOR_TYPE_ALPHA, 4, 4, 4 * 4 * 4);
	cur->header.hot_spot_x = 1;
	for (i = 0; i < 16; i++) {
		uint32_t v = 0x80112233;

		memcpy(cur->chunk.data + 4 * i, &v, 4);
	}
	c = g_cursor_cmd(&g, QXL_CURSOR_SET, cur);
	c->u.set.position.x = 7;
	c->u.set.position.y = 9;
	g_push_cursor(&g, QXL_CMD_CURSOR, g_phys(&g, c));
	CHECK_EQ(g.cursor_sets, 1);
	CHECK_EQ(g.cursor_w, 4);
	CHECK_EQ(g.cursor_px0, 0x80112233);
	CHECK_EQ(g.cursor_x, 7);
	c = g_cursor_cmd(&g, QXL_CURSOR_MOVE, NULL);
	c->u.position.x = 20;
	c->u.position.y = 21;
	g_submit_cursor(&g, c);
	CHECK_EQ(g.cursor_moves, 1);
	CHECK_EQ(g.cursor_y, 21);
	g_submit_cursor(&g, g_cursor_cmd(&g, QXL_CURSOR_HIDE, NULL));
	CHECK_EQ(g.cursor_hides, 1);
	CHECK(!g_bug(&g));
	CHECK_EQ(g_spice_check(&g), 0);
	g_fini(&g);
}

static void cursor_mono_converted_to_argb(void)
{
	struct qxl_cursor_cmd *c;
	struct qxl_cursor *cur;
	struct qxl_cursor_shape shape;
	struct guest g;
	int x, y;
	bool vis;

	setup(&g);
	cur = g_cursor(&g, QXL_CURSOR_TYPE_MONO, 2, 2, 4);
	/* AND rows: 10, 00; XOR rows: 00, 10 -> transparent, black / white,
	 * black. */
	cur->chunk.data[0] = 0x80;
	cur->chunk.data[1] = 0x00;
	cur->chunk.data[2] = 0x00;
	cur->chunk.data[3] = 0x80;
	c = g_cursor_cmd(&g, QXL_CURSOR_SET, cur);
	g_push_cursor(&g, QXL_CMD_CURSOR, g_phys(&g, c));
	CHECK(qxl_device_get_cursor(g.sim.dev, &shape, &x, &y, &vis));
	CHECK_EQ(shape.argb[0], 0);
	CHECK_EQ(shape.argb[1], 0xff000000);
	CHECK_EQ(shape.argb[2], 0xffffffff);
	CHECK_EQ(shape.argb[3], 0xff000000);
	g_fini(&g);
}

static void update_area_drains_ring_before_returning(void)
{
	struct guest g;
	struct qxl_drawable *d;

	setup(&g);
	d = g_drawable(&g, QXL_DRAW_WHITENESS, 0, 0, 0, 4, 4);
	g_queue_cmd(&g, QXL_CMD_DRAW, g_phys(&g, d));	/* no NOTIFY_CMD */
	g.sim.ramh->update_area = (struct qxl_rect){ 0, 0, 4, 4 };
	g.sim.ramh->update_surface = 0;
	g_io(&g, QXL_IO_UPDATE_AREA, 0);
	CHECK_EQ(RGB(g_px(&g, 3, 3)), 0xffffff);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

const struct test tests_draw[] = {
	{ "draw_fill_solid_copies_brush", draw_fill_solid_copies_brush },
	{ "draw_fill_clip_rects_limit_pixels",
	  draw_fill_clip_rects_limit_pixels },
	{ "draw_fill_rop_xor_and_inverted_brush",
	  draw_fill_rop_xor_and_inverted_brush },
	{ "draw_copy_bitmap32_exact", draw_copy_bitmap32_exact },
	{ "draw_copy_clipped_to_two_rects_exact",
	  draw_copy_clipped_to_two_rects_exact },
	{ "draw_copy_chunked_bottom_up_bitmap",
	  draw_copy_chunked_bottom_up_bitmap },
	{ "draw_copy_palette_8_4_1_bit", draw_copy_palette_8_4_1_bit },
	{ "draw_copy_16_24_rgba_formats", draw_copy_16_24_rgba_formats },
	{ "draw_copy_scaled_nearest_doubles",
	  draw_copy_scaled_nearest_doubles },
	{ "draw_blend_rop_and_with_dest", draw_blend_rop_and_with_dest },
	{ "draw_opaque_image_then_brush_rop",
	  draw_opaque_image_then_brush_rop },
	{ "copy_bits_overlapping_moves_pixels",
	  copy_bits_overlapping_moves_pixels },
	{ "copy_bits_overlap_all_directions",
	  copy_bits_overlap_all_directions },
	{ "blackness_whiteness_invers_with_mask",
	  blackness_whiteness_invers_with_mask },
	{ "rop3_pattern_source_dest", rop3_pattern_source_dest },
	{ "transparent_skips_key_color", transparent_skips_key_color },
	{ "alpha_blend_constant_alpha_over", alpha_blend_constant_alpha_over },
	{ "composite_over_with_alpha_source",
	  composite_over_with_alpha_source },
	{ "surface_create_draw_then_copy_from_surface_image",
	  surface_create_draw_then_copy_from_surface_image },
	{ "stroke_draws_line_best_effort", stroke_draws_line_best_effort },
	{ "text_a1_glyph_best_effort", text_a1_glyph_best_effort },
	{ "cursor_set_move_hide_reach_sink", cursor_set_move_hide_reach_sink },
	{ "cursor_mono_converted_to_argb", cursor_mono_converted_to_argb },
	{ "update_area_drains_ring_before_returning",
	  update_area_drains_ring_before_returning },
	{ NULL, NULL },
};
