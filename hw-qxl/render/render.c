// SPDX-License-Identifier: MIT
/*
 * render.c - drawing validated commands onto surfaces with pixman.
 *
 * Plain copies, fills, alpha blends and composites go through pixman.
 * Raster ops (ROP2 descriptors, ROP3 codes), masks and colour keys run
 * a per-pixel loop over the clip region on 32- and 16-bit surfaces, with
 * sources first rendered (and scaled) by pixman into the destination's
 * format.  Semantics follow spice-common's software canvas.  What a
 * draw points at in guest memory comes through the parse layer.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "qxl_render.h"

/* ---- raster ops ----------------------------------------------------- */

/*
 * Raster op tables: bit ((s << 1) | d) of the table is the result for
 * source bit s and destination bit d.
 */
#define QXL_ROP2_CLEAR	0x0
#define QXL_ROP2_COPY	0xc
#define QXL_ROP2_NOOP	0xa
#define QXL_ROP2_INVERT	0x5
#define QXL_ROP2_SET	0xf

enum qxl_rop_input { QXL_ROP_IN_SRC, QXL_ROP_IN_BRUSH, QXL_ROP_IN_DEST };

static unsigned int rop2_from_descriptor(uint16_t desc, enum qxl_rop_input s,
					 enum qxl_rop_input d)
{
	static const uint16_t inv_bit[] = {
		[QXL_ROP_IN_SRC] = QXL_ROPD_INVERS_SRC,
		[QXL_ROP_IN_BRUSH] = QXL_ROPD_INVERS_BRUSH,
		[QXL_ROP_IN_DEST] = QXL_ROPD_INVERS_DEST,
	};
	int is = !!(desc & inv_bit[s]), id = !!(desc & inv_bit[d]);
	int ir = !!(desc & QXL_ROPD_INVERS_RES);
	unsigned int table = 0, sb, db;

	if (!(desc & (QXL_ROPD_OP_PUT | QXL_ROPD_OP_OR | QXL_ROPD_OP_AND |
		      QXL_ROPD_OP_XOR))) {
		if (desc & QXL_ROPD_OP_BLACKNESS)
			return QXL_ROP2_CLEAR;
		if (desc & QXL_ROPD_OP_WHITENESS)
			return QXL_ROP2_SET;
		if (desc & QXL_ROPD_OP_INVERS)
			return QXL_ROP2_INVERT;
		return QXL_ROP2_COPY;
	}
	for (sb = 0; sb < 2; sb++) {
		for (db = 0; db < 2; db++) {
			unsigned int a = sb ^ is, b = db ^ id, r;

			if (desc & QXL_ROPD_OP_PUT)
				r = a;
			else if (desc & QXL_ROPD_OP_OR)
				r = a | b;
			else if (desc & QXL_ROPD_OP_AND)
				r = a & b;
			else
				r = a ^ b;
			table |= (r ^ ir) << ((sb << 1) | db);
		}
	}
	return table;
}

static uint32_t rop2(unsigned int t, uint32_t s, uint32_t d)
{
	uint32_t r = 0;

	if (t & 1)
		r |= ~s & ~d;
	if (t & 2)
		r |= ~s & d;
	if (t & 4)
		r |= s & ~d;
	if (t & 8)
		r |= s & d;
	return r;
}

/* Windows ROP3: bit ((p << 2) | (s << 1) | d) of code is the result. */
static uint32_t rop3(uint8_t code, uint32_t p, uint32_t s, uint32_t d)
{
	uint32_t r = 0;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		if (!(code & (1u << i)))
			continue;
		r |= ((i & 4) ? p : ~p) & ((i & 2) ? s : ~s) &
		     ((i & 1) ? d : ~d);
	}
	return r;
}

/* ---- pixels ---------------------------------------------------------- */

uint8_t *qxl_img_row(pixman_image_t *im, int y)
{
	return (uint8_t *)pixman_image_get_data(im) +
	       (ptrdiff_t)y * pixman_image_get_stride(im);
}

static uint32_t get_px(const uint8_t *row, int x, int bpp)
{
	uint32_t v32;
	uint16_t v16;

	if (bpp == 32) {
		memcpy(&v32, row + 4 * x, 4);
		return v32;
	}
	memcpy(&v16, row + 2 * x, 2);
	return v16;
}

void qxl_put_px(uint8_t *row, int x, int bpp, uint32_t v)
{
	uint16_t v16 = (uint16_t)v;

	if (bpp == 32)
		memcpy(row + 4 * x, &v, 4);
	else
		memcpy(row + 2 * x, &v16, 2);
}

uint32_t qxl_color_to_dest(uint32_t c, uint32_t format)
{
	uint32_t r = (c >> 16) & 0xff, g = (c >> 8) & 0xff, b = c & 0xff;

	switch (format) {
	case QXL_SURFACE_FMT_16_555:
		return ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
	case QXL_SURFACE_FMT_16_565:
		return ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3);
	default:
		return c;
	}
}

/* A source in the destination's format: solid, or an image placed so
 * that destination (x, y) reads image pixel (x - ox, y - oy). */
struct plane {
	bool solid;
	uint32_t color;
	pixman_image_t *img;
	int ox, oy;
};

static uint32_t plane_get(const struct plane *pl, int x, int y, int bpp)
{
	if (pl->solid)
		return pl->color;
	return get_px(qxl_img_row(pl->img, y - pl->oy), x - pl->ox, bpp);
}

static void plane_fini(struct plane *pl)
{
	if (pl->img)
		pixman_image_unref(pl->img);
	memset(pl, 0, sizeof(*pl));
}

static bool fits_int(int64_t v)
{
	return v >= -(1 << 30) && v <= (1 << 30);
}

/*
 * Render img's src_area, scaled onto bbox, into a plane covering the
 * region's extents in format fmt.  Out-of-range geometry leaves zeros.
 */
static int image_plane(const struct qxl_img *img, const struct qxl_rect *src,
		       const struct qxl_rect *bbox, int scale_mode,
		       const pixman_box32_t *ext, pixman_format_code_t fmt,
		       struct plane *pl)
{
	int w = ext->x2 - ext->x1, h = ext->y2 - ext->y1;
	int64_t sw = (int64_t)src->right - src->left;
	int64_t sh = (int64_t)src->bottom - src->top;
	int64_t dw = (int64_t)bbox->right - bbox->left;
	int64_t dh = (int64_t)bbox->bottom - bbox->top;

	memset(pl, 0, sizeof(*pl));
	pl->img = pixman_image_create_bits(fmt, w, h, NULL, 0);
	if (!pl->img)
		return -1;
	pl->ox = ext->x1;
	pl->oy = ext->y1;
	if (sw == dw && sh == dh) {
		int64_t sx = (int64_t)src->left + ext->x1 - bbox->left;
		int64_t sy = (int64_t)src->top + ext->y1 - bbox->top;

		if (fits_int(sx) && fits_int(sy))
			pixman_image_composite32(PIXMAN_OP_SRC, img->image,
						 NULL, pl->img, (int)sx,
						 (int)sy, 0, 0, 0, 0, w, h);
	} else {
		double fx = (double)sw / (double)dw, fy = (double)sh / (double)dh;
		double tx = src->left +
			    (double)((int64_t)ext->x1 - bbox->left) * fx;
		double ty = src->top +
			    (double)((int64_t)ext->y1 - bbox->top) * fy;
		struct pixman_transform t;

		/* pixman transforms are 16.16 fixed point: stay in range. */
		if (fx > 30000 || fy > 30000 || fx < 1.0 / 30000 ||
		    fy < 1.0 / 30000 || tx > 30000 || tx < -30000 ||
		    ty > 30000 || ty < -30000)
			return 0;
		pixman_transform_init_scale(&t, pixman_double_to_fixed(fx),
					    pixman_double_to_fixed(fy));
		pixman_transform_translate(&t, NULL,
					   pixman_double_to_fixed(tx),
					   pixman_double_to_fixed(ty));
		pixman_image_set_transform(img->image, &t);
		pixman_image_set_filter(img->image,
					scale_mode == QXL_SCALE_MODE_NEAREST ?
					PIXMAN_FILTER_NEAREST :
					PIXMAN_FILTER_BILINEAR, NULL, 0);
		pixman_image_composite32(PIXMAN_OP_SRC, img->image, NULL,
					 pl->img, 0, 0, 0, 0, 0, 0, w, h);
		pixman_image_set_transform(img->image, NULL);
		pixman_image_set_filter(img->image, PIXMAN_FILTER_NEAREST,
					NULL, 0);
	}
	return 0;
}

/* Brush to plane: solid colour, or a pattern tiled from pos. */
static int brush_plane(struct qxl_render *r, const struct qxl_brush *br,
		       const struct qxl_surface_state *dst,
		       const pixman_box32_t *ext, struct plane *pl)
{
	struct qxl_img pat;
	int64_t sx, sy;
	int ret, w = ext->x2 - ext->x1, h = ext->y2 - ext->y1;

	memset(pl, 0, sizeof(*pl));
	if (br->type == QXL_BRUSH_TYPE_SOLID) {
		pl->solid = true;
		pl->color = qxl_color_to_dest(br->u.color, dst->format);
		return 0;
	}
	if (br->type != QXL_BRUSH_TYPE_PATTERN) {
		qxl_report_bug(r->report, "brush: unknown type %u", br->type);
		return -1;
	}
	ret = qxl_surface_image(r, br->u.pattern.pat, &pat);
	if (ret)
		return ret;
	pl->img = pixman_image_create_bits(qxl_surface_pixman_format(
						   dst->format), w, h, NULL, 0);
	if (!pl->img) {
		qxl_img_free(&pat);
		return -1;
	}
	pl->ox = ext->x1;
	pl->oy = ext->y1;
	sx = ((int64_t)ext->x1 - br->u.pattern.pos.x) % pat.width;
	sy = ((int64_t)ext->y1 - br->u.pattern.pos.y) % pat.height;
	if (sx < 0)
		sx += pat.width;
	if (sy < 0)
		sy += pat.height;
	pixman_image_set_repeat(pat.image, PIXMAN_REPEAT_NORMAL);
	pixman_image_composite32(PIXMAN_OP_SRC, pat.image, NULL, pl->img,
				 (int)sx, (int)sy, 0, 0, 0, 0, w, h);
	pixman_image_set_repeat(pat.image, PIXMAN_REPEAT_NONE);
	qxl_img_free(&pat);
	return 0;
}

/* ---- the per-pixel engine -------------------------------------------- */

enum gen_kind { GEN_ROP2, GEN_ROP3, GEN_KEY };

struct gen_op {
	enum gen_kind kind;
	unsigned int table;	/* GEN_ROP2 */
	uint8_t rop3;		/* GEN_ROP3 */
	uint32_t key;		/* GEN_KEY: source colour not drawn */
	struct plane s, p;
	const struct qxl_img *mask;	/* a8 bytes in mask->owned */
	int64_t mox, moy;	/* mask pixel = (x - mox, y - moy) */
	bool mask_invert;
};

static bool mask_pass(const struct gen_op *op, int x, int y)
{
	int64_t mx = x - op->mox, my = y - op->moy;
	bool set;

	if (!op->mask)
		return true;
	if (mx < 0 || my < 0 || mx >= op->mask->width ||
	    my >= op->mask->height)
		return false;
	set = op->mask->owned[my * op->mask->width + mx] != 0;
	return set != op->mask_invert;
}

static int gen_apply(struct qxl_render *r, struct qxl_draw *dr,
		     const struct gen_op *op)
{
	int bpp = qxl_surface_bpp(dr->dst->format);
	uint32_t keymask = bpp == 32 ? 0xffffff : 0x7fff;
	pixman_box32_t *b;
	int n, i, x, y;

	if (bpp != 32 && bpp != 16) {
		r->unsupported++;
		return 0;
	}
	if (dr->dst->format == QXL_SURFACE_FMT_16_565)
		keymask = 0xffff;
	b = pixman_region32_rectangles(&dr->region, &n);
	for (i = 0; i < n; i++) {
		for (y = b[i].y1; y < b[i].y2; y++) {
			uint8_t *row = qxl_img_row(dr->dst->image, y);

			for (x = b[i].x1; x < b[i].x2; x++) {
				uint32_t d, s, v;

				if (!mask_pass(op, x, y))
					continue;
				d = get_px(row, x, bpp);
				switch (op->kind) {
				case GEN_ROP2:
					s = op->table == QXL_ROP2_CLEAR ||
					    op->table == QXL_ROP2_SET ||
					    op->table == QXL_ROP2_INVERT ? 0 :
					    plane_get(&op->s, x, y, bpp);
					v = rop2(op->table, s, d);
					break;
				case GEN_ROP3:
					v = rop3(op->rop3,
						 plane_get(&op->p, x, y, bpp),
						 plane_get(&op->s, x, y, bpp),
						 d);
					break;
				default:
					s = plane_get(&op->s, x, y, bpp);
					if ((s & keymask) == (op->key & keymask))
						continue;
					v = s;
					break;
				}
				qxl_put_px(row, x, bpp, v);
			}
		}
	}
	return 0;
}

static int get_mask(struct qxl_render *r, struct qxl_draw *dr,
		    const struct qxl_q_mask *m, struct qxl_img *img,
		    struct gen_op *op)
{
	memset(img, 0, sizeof(*img));
	if (!m->bitmap)
		return 0;
	if (qxl_parse_mask(r->mem, m->bitmap, img))
		return -1;
	op->mask = img;
	op->mask_invert = m->flags & QXL_MASK_FLAGS_INVERS;
	op->mox = (int64_t)dr->d.bbox.left - m->pos.x;
	op->moy = (int64_t)dr->d.bbox.top - m->pos.y;
	return 0;
}

/* A dropped draw: nothing changed, so nothing to report as damage. */
static int nothing(struct qxl_draw *dr)
{
	pixman_region32_clear(&dr->region);
	return 0;
}

int qxl_render_unsupported(struct qxl_render *r, struct qxl_draw *dr)
{
	r->unsupported++;
	return nothing(dr);
}

static void fill_solid(struct qxl_draw *dr, uint32_t v)
{
	int bpp = qxl_surface_bpp(dr->dst->format);
	pixman_box32_t *b;
	int n, i, x, y;

	b = pixman_region32_rectangles(&dr->region, &n);
	for (i = 0; i < n; i++) {
		for (y = b[i].y1; y < b[i].y2; y++) {
			uint8_t *row = qxl_img_row(dr->dst->image, y);

			if (bpp == 32) {
				uint32_t *p = (uint32_t *)(void *)row;

				for (x = b[i].x1; x < b[i].x2; x++)
					p[x] = v;
			} else {
				for (x = b[i].x1; x < b[i].x2; x++)
					qxl_put_px(row, x, bpp, v);
			}
		}
	}
}

static bool src_area_ok(struct qxl_render *r, const struct qxl_rect *a)
{
	if (a->left < a->right && a->top < a->bottom)
		return true;
	qxl_report_warn(r->report, "source area (%d,%d)-(%d,%d) is empty or "
			"reversed", a->left, a->top, a->right, a->bottom);
	return false;
}

/* A source image: 1 with img held, 0 when unsupported (the draw is
 * dropped), -1 on error. */
static int get_image(struct qxl_render *r, struct qxl_draw *dr,
		     qxl_phys addr, struct qxl_img *img)
{
	int ret = qxl_surface_image(r, addr, img);

	if (ret)
		return ret < 0 ? -1 : qxl_render_unsupported(r, dr);
	return 1;
}

/*
 * The shared opening of ROP3, TRANSPARENT and ALPHA_BLEND: the source
 * image's area rendered into a plane over the region's extents, in fmt
 * (0: the image's own, a8r8g8b8 if it has alpha, else x8r8g8b8).
 * Returns 1 with the plane held, 0 when the draw was dropped, -1 on error.
 */
static int get_src_plane(struct qxl_render *r, struct qxl_draw *dr,
			 qxl_phys bitmap, const struct qxl_rect *area,
			 int scale_mode, pixman_format_code_t fmt,
			 struct plane *pl)
{
	struct qxl_img img;
	int ret;

	if (!src_area_ok(r, area))
		return nothing(dr);
	ret = get_image(r, dr, bitmap, &img);
	if (ret <= 0)
		return ret;
	if (!fmt)
		fmt = img.has_alpha ? PIXMAN_a8r8g8b8 : PIXMAN_x8r8g8b8;
	ret = image_plane(&img, area, &dr->d.bbox, scale_mode,
			  pixman_region32_extents(&dr->region), fmt, pl);
	qxl_img_free(&img);
	return ret ? -1 : 1;
}

/*
 * The opening of ROP3 and TRANSPARENT, which run the per-pixel engine:
 * op cleared and the source plane, in the destination's format, in op->s.
 * Returns 1, 0 when the draw was dropped (an empty region, a surface
 * below 16 bits), -1 on error.
 */
static int engine_src_plane(struct qxl_render *r, struct qxl_draw *dr,
			    qxl_phys bitmap, const struct qxl_rect *area,
			    int scale_mode, struct gen_op *op)
{
	if (!pixman_region32_not_empty(&dr->region))
		return nothing(dr);
	if (qxl_surface_bpp(dr->dst->format) < 16)
		return qxl_render_unsupported(r, dr);
	memset(op, 0, sizeof(*op));
	return get_src_plane(r, dr, bitmap, area, scale_mode,
			     qxl_surface_pixman_format(dr->dst->format),
			     &op->s);
}

/* ---- draw types ------------------------------------------------------ */

static int render_fill(struct qxl_render *r, struct qxl_draw *dr)
{
	const struct qxl_fill *f = &dr->d.u.fill;
	pixman_box32_t *ext = pixman_region32_extents(&dr->region);
	struct gen_op op;
	struct qxl_img mask;
	int ret;

	memset(&op, 0, sizeof(op));
	op.table = rop2_from_descriptor(f->rop_descriptor, QXL_ROP_IN_BRUSH,
					QXL_ROP_IN_DEST);
	if (f->brush.type == QXL_BRUSH_TYPE_NONE ||
	    op.table == QXL_ROP2_NOOP || !pixman_region32_not_empty(&dr->region))
		return nothing(dr);
	if (qxl_surface_bpp(dr->dst->format) < 16)
		return qxl_render_unsupported(r, dr);
	ret = brush_plane(r, &f->brush, dr->dst, ext, &op.s);
	if (ret)
		return ret < 0 ? -1 : qxl_render_unsupported(r, dr);
	if (get_mask(r, dr, &f->mask, &mask, &op)) {
		plane_fini(&op.s);
		return -1;
	}
	if (op.table == QXL_ROP2_COPY && op.s.solid && !op.mask)
		fill_solid(dr, op.s.color);
	else
		gen_apply(r, dr, &op);
	plane_fini(&op.s);
	qxl_img_free(&mask);
	return 0;
}

/*
 * The box b of dst from (sx, sy) of src when both have the same format
 * and b lies inside both: rows copied as they are, which is what pixman's
 * SRC does there, without its setup for each draw (a glyph's is most of
 * its cost).  false: pixman must do it.
 */
static bool blit_rows(pixman_image_t *src, int64_t sx, int64_t sy,
		      pixman_image_t *dst, const pixman_box32_t *b)
{
	pixman_format_code_t f = pixman_image_get_format(dst);
	int64_t w = (int64_t)b->x2 - b->x1, h = (int64_t)b->y2 - b->y1;
	size_t bpp = PIXMAN_FORMAT_BPP(f) / 8;
	int64_t y;

	if (pixman_image_get_format(src) != f || PIXMAN_FORMAT_BPP(f) % 8 ||
	    !bpp || w <= 0 || h <= 0 || sx < 0 || sy < 0 ||
	    sx + w > pixman_image_get_width(src) ||
	    sy + h > pixman_image_get_height(src) || b->x1 < 0 ||
	    b->y1 < 0 || b->x2 > pixman_image_get_width(dst) ||
	    b->y2 > pixman_image_get_height(dst))
		return false;
	for (y = 0; y < h; y++)
		memcpy(qxl_img_row(dst, (int)(b->y1 + y)) + (size_t)b->x1 * bpp,
		       qxl_img_row(src, (int)(sy + y)) + (size_t)sx * bpp,
		       (size_t)w * bpp);
	return true;
}

/* Image onto the destination with a ROP2 table and optional mask. */
static int blit(struct qxl_render *r, struct qxl_draw *dr,
		const struct qxl_img *img, const struct qxl_rect *src,
		int scale_mode, unsigned int table, struct gen_op *op)
{
	pixman_box32_t *ext = pixman_region32_extents(&dr->region);
	bool same_surface = img->is_surface &&
			    img->surface_id == dr->surface_id;
	int64_t sx = (int64_t)src->left + ext->x1 - dr->d.bbox.left;
	int64_t sy = (int64_t)src->top + ext->y1 - dr->d.bbox.top;
	bool same_size = (int64_t)src->right - src->left ==
			 (int64_t)dr->d.bbox.right - dr->d.bbox.left &&
			 (int64_t)src->bottom - src->top ==
			 (int64_t)dr->d.bbox.bottom - dr->d.bbox.top;

	if (table == QXL_ROP2_COPY && !op->mask && !same_surface &&
	    same_size && fits_int(sx) && fits_int(sy)) {
		if (pixman_region32_n_rects(&dr->region) == 1 &&
		    blit_rows(img->image, sx, sy, dr->dst->image, ext))
			return 0;
		/* The fast path: one pixman blit clipped to the region. */
		pixman_image_set_clip_region32(dr->dst->image, &dr->region);
		pixman_image_composite32(PIXMAN_OP_SRC, img->image, NULL,
					 dr->dst->image, (int)sx, (int)sy, 0,
					 0, ext->x1, ext->y1,
					 ext->x2 - ext->x1, ext->y2 - ext->y1);
		pixman_image_set_clip_region32(dr->dst->image, NULL);
		return 0;
	}
	if (qxl_surface_bpp(dr->dst->format) < 16)
		return qxl_render_unsupported(r, dr);
	if (image_plane(img, src, &dr->d.bbox, scale_mode, ext,
			qxl_surface_pixman_format(dr->dst->format), &op->s))
		return -1;
	op->kind = GEN_ROP2;
	op->table = table;
	gen_apply(r, dr, op);
	plane_fini(&op->s);
	return 0;
}

/*
 * COPY and BLEND (brush NULL): the source area, scaled onto the bbox,
 * through the mask with the descriptor's ROP2 of source and destination.
 * OPAQUE: the source copied, then the brush through the mask with the
 * ROP2 of brush and copied image (spice's canvas: the brush is the source,
 * the copied image the dest).
 */
static int render_copy(struct qxl_render *r, struct qxl_draw *dr,
		       const struct qxl_copy *c, const struct qxl_brush *brush)
{
	unsigned int table = brush ?
		rop2_from_descriptor(c->rop_descriptor, QXL_ROP_IN_BRUSH,
				     QXL_ROP_IN_SRC) :
		rop2_from_descriptor(c->rop_descriptor, QXL_ROP_IN_SRC,
				     QXL_ROP_IN_DEST);
	struct qxl_img img, mask;
	struct gen_op op;
	int ret;

	if (table == QXL_ROP2_NOOP || !pixman_region32_not_empty(&dr->region) ||
	    !src_area_ok(r, &c->src_area))
		return nothing(dr);
	ret = get_image(r, dr, c->src_bitmap, &img);
	if (ret <= 0)
		return ret;
	memset(&op, 0, sizeof(op));
	if (get_mask(r, dr, &c->mask, &mask, &op)) {
		qxl_img_free(&img);
		return -1;
	}
	ret = blit(r, dr, &img, &c->src_area, c->scale_mode,
		   brush ? QXL_ROP2_COPY : table, &op);
	qxl_img_free(&img);
	if (!ret && brush && brush->type != QXL_BRUSH_TYPE_NONE &&
	    pixman_region32_not_empty(&dr->region)) {
		ret = brush_plane(r, brush, dr->dst,
				  pixman_region32_extents(&dr->region), &op.s);
		if (!ret) {
			op.kind = GEN_ROP2;
			op.table = table;
			gen_apply(r, dr, &op);
			plane_fini(&op.s);
		}
	}
	qxl_img_free(&mask);
	return ret < 0 ? -1 : 0;
}

static int render_opaque(struct qxl_render *r, struct qxl_draw *dr)
{
	const struct qxl_opaque *o = &dr->d.u.opaque;
	const struct qxl_copy c = {
		.src_bitmap = o->src_bitmap,
		.src_area = o->src_area,
		.rop_descriptor = o->rop_descriptor,
		.scale_mode = o->scale_mode,
		.mask = o->mask,
	};

	return render_copy(r, dr, &c, &o->brush);
}

/*
 * Move one band's boxes on row y from row y + dy, dx pixels across.  On
 * the same row (dy == 0) the boxes go in the order that reads each
 * source before it is overwritten; memmove handles the overlap inside a
 * box.
 */
static void copy_bits_row(pixman_image_t *img, const pixman_box32_t *b,
			  int n, int y, int dx, int dy, size_t px)
{
	uint8_t *dst = qxl_img_row(img, y);
	const uint8_t *src = qxl_img_row(img, y + dy);
	int i, k;

	for (k = 0; k < n; k++) {
		i = dx < 0 ? n - 1 - k : k;
		memmove(dst + (size_t)b[i].x1 * px,
			src + (size_t)(b[i].x1 + dx) * px,
			(size_t)(b[i].x2 - b[i].x1) * px);
	}
}

/*
 * COPY_BITS in place, with the result of reading the whole source before
 * writing: rows go top-down when the source lies below (dy > 0) and
 * bottom-up otherwise, so no row is written before it has been read.
 */
static int render_copy_bits(struct qxl_render *r, struct qxl_draw *dr)
{
	struct qxl_surface_state *s = dr->dst;
	int bpp = qxl_surface_bpp(s->format);
	int64_t dx = (int64_t)dr->d.u.copy_bits.src_pos.x - dr->d.bbox.left;
	int64_t dy = (int64_t)dr->d.u.copy_bits.src_pos.y - dr->d.bbox.top;
	pixman_region32_t src_ok;
	pixman_box32_t *b;
	int n, first, end, k, y;

	if (bpp < 8)
		return qxl_render_unsupported(r, dr);
	/* Only destination pixels whose source lies on the surface. */
	if (!fits_int(dx) || !fits_int(dy))
		return nothing(dr);
	pixman_region32_init_rect(&src_ok, (int)-dx, (int)-dy, s->width,
				  s->height);
	pixman_region32_intersect(&dr->region, &dr->region, &src_ok);
	pixman_region32_fini(&src_ok);
	if (!pixman_region32_not_empty(&dr->region) || (!dx && !dy))
		return 0;
	b = pixman_region32_rectangles(&dr->region, &n);
	/* Bands (boxes sharing y1, y2; sorted by y then x) in row order. */
	for (k = 0; k < n; k = end) {
		first = dy > 0 ? k : n - 1 - k;
		for (end = k + 1; end < n; end++)
			if (b[dy > 0 ? end : n - 1 - end].y1 != b[first].y1)
				break;
		if (dy <= 0)
			first = n - end;	/* lowest index of the band */
		if (dy > 0)
			for (y = b[first].y1; y < b[first].y2; y++)
				copy_bits_row(s->image, &b[first], end - k, y,
					      (int)dx, (int)dy, bpp / 8);
		else
			for (y = b[first].y2 - 1; y >= b[first].y1; y--)
				copy_bits_row(s->image, &b[first], end - k, y,
					      (int)dx, (int)dy, bpp / 8);
	}
	return 0;
}

static int render_solid_mask(struct qxl_render *r, struct qxl_draw *dr,
			     const struct qxl_q_mask *m, unsigned int table)
{
	struct qxl_img mask;
	struct gen_op op;

	if (qxl_surface_bpp(dr->dst->format) < 16)
		return qxl_render_unsupported(r, dr);
	memset(&op, 0, sizeof(op));
	if (get_mask(r, dr, m, &mask, &op))
		return -1;
	op.kind = GEN_ROP2;
	op.table = table;
	if (!op.mask && table != QXL_ROP2_INVERT)
		fill_solid(dr, table == QXL_ROP2_SET ?
			   (qxl_surface_bpp(dr->dst->format) == 32 ?
			    0xffffffffu : 0xffffu) : 0);
	else
		gen_apply(r, dr, &op);
	qxl_img_free(&mask);
	return 0;
}

static int render_rop3(struct qxl_render *r, struct qxl_draw *dr)
{
	const struct qxl_rop3 *o = &dr->d.u.rop3;
	pixman_box32_t *ext = pixman_region32_extents(&dr->region);
	struct qxl_img mask;
	struct gen_op op;
	int ret;

	ret = engine_src_plane(r, dr, o->src_bitmap, &o->src_area,
			       o->scale_mode, &op);
	if (ret <= 0)
		return ret;
	ret = brush_plane(r, &o->brush, dr->dst, ext, &op.p);
	if (ret) {
		plane_fini(&op.s);
		return ret < 0 ? -1 : qxl_render_unsupported(r, dr);
	}
	if (get_mask(r, dr, &o->mask, &mask, &op)) {
		plane_fini(&op.s);
		plane_fini(&op.p);
		return -1;
	}
	op.kind = GEN_ROP3;
	op.rop3 = o->rop3;
	gen_apply(r, dr, &op);
	plane_fini(&op.s);
	plane_fini(&op.p);
	qxl_img_free(&mask);
	return 0;
}

static int render_transparent(struct qxl_render *r, struct qxl_draw *dr)
{
	const struct qxl_transparent *t = &dr->d.u.transparent;
	struct gen_op op;
	int ret;

	ret = engine_src_plane(r, dr, t->src_bitmap, &t->src_area,
			       QXL_SCALE_MODE_NEAREST, &op);
	if (ret <= 0)
		return ret;
	op.kind = GEN_KEY;
	op.key = qxl_color_to_dest(t->true_color, dr->dst->format);
	gen_apply(r, dr, &op);
	plane_fini(&op.s);
	return 0;
}

static int render_alpha_blend(struct qxl_render *r, struct qxl_draw *dr)
{
	const struct qxl_alpha_blend *a = &dr->d.u.alpha_blend;
	pixman_box32_t *ext = pixman_region32_extents(&dr->region);
	pixman_color_t mc = { 0, 0, 0, (uint16_t)(a->alpha * 257) };
	pixman_image_t *maskimg;
	struct plane pl;
	int ret;

	if (a->alpha == 0 || !pixman_region32_not_empty(&dr->region))
		return nothing(dr);
	ret = get_src_plane(r, dr, a->src_bitmap, &a->src_area,
			    QXL_SCALE_MODE_NEAREST, 0, &pl);
	if (ret <= 0)
		return ret;
	maskimg = pixman_image_create_solid_fill(&mc);
	pixman_image_set_clip_region32(dr->dst->image, &dr->region);
	pixman_image_composite32(PIXMAN_OP_OVER, pl.img, maskimg,
				 dr->dst->image, 0, 0, 0, 0, ext->x1, ext->y1,
				 ext->x2 - ext->x1, ext->y2 - ext->y1);
	pixman_image_set_clip_region32(dr->dst->image, NULL);
	pixman_image_unref(maskimg);
	plane_fini(&pl);
	return 0;
}

static bool composite_op_ok(uint32_t op)
{
	return op <= QXL_OP_SATURATE ||
	       (op >= QXL_OP_MULTIPLY && op <= QXL_OP_HSL_LUMINOSITY);
}

/* Transform, filter and repeat from the command onto img. */
static int composite_setup(struct qxl_render *r, pixman_image_t *im,
			   qxl_phys xform, unsigned int filter,
			   unsigned int repeat)
{
	static const pixman_repeat_t repeats[] = {
		PIXMAN_REPEAT_NONE, PIXMAN_REPEAT_NORMAL, PIXMAN_REPEAT_PAD,
		PIXMAN_REPEAT_REFLECT,
	};

	if (filter > QXL_COMPOSITE_FILTER_BILINEAR) {
		qxl_report_bug(r->report, "composite: unknown filter %u",
			       filter);
		return -1;
	}
	if (xform) {
		struct pixman_transform pt;

		if (qxl_parse_transform(r->mem, xform, &pt))
			return -1;
		pixman_image_set_transform(im, &pt);
	}
	pixman_image_set_filter(im, filter == QXL_COMPOSITE_FILTER_NEAREST ?
				PIXMAN_FILTER_NEAREST : PIXMAN_FILTER_BILINEAR,
				NULL, 0);
	pixman_image_set_repeat(im, repeats[repeat & 3]);
	return 0;
}

static void composite_reset(pixman_image_t *im)
{
	pixman_image_set_transform(im, NULL);
	pixman_image_set_filter(im, PIXMAN_FILTER_NEAREST, NULL, 0);
	pixman_image_set_repeat(im, PIXMAN_REPEAT_NONE);
	pixman_image_set_component_alpha(im, false);
}

static int render_composite(struct qxl_render *r, struct qxl_draw *dr)
{
	const struct qxl_composite *c = &dr->d.u.composite;
	pixman_box32_t *ext = pixman_region32_extents(&dr->region);
	uint32_t op = c->flags & QXL_COMPOSITE_OP_MASK;
	int64_t ox = (int64_t)ext->x1 - dr->d.bbox.left;
	int64_t oy = (int64_t)ext->y1 - dr->d.bbox.top;
	struct qxl_img src, mask;
	int ret;

	if (!composite_op_ok(op)) {
		qxl_report_bug(r->report, "composite: unknown operator 0x%x",
			       op);
		return -1;
	}
	if (!pixman_region32_not_empty(&dr->region) || !fits_int(ox) ||
	    !fits_int(oy))
		return nothing(dr);
	ret = get_image(r, dr, c->src, &src);
	if (ret <= 0)
		return ret;
	memset(&mask, 0, sizeof(mask));
	if (c->mask) {
		ret = get_image(r, dr, c->mask, &mask);
		if (ret <= 0) {
			qxl_img_free(&src);
			return ret;
		}
	}
	if (composite_setup(r, src.image, c->src_transform,
			    (c->flags >> QXL_COMPOSITE_SRC_FILTER_SHIFT) & 7,
			    (c->flags >> QXL_COMPOSITE_SRC_REPEAT_SHIFT) & 3) ||
	    (mask.image &&
	     composite_setup(r, mask.image, c->mask_transform,
			     (c->flags >> QXL_COMPOSITE_MASK_FILTER_SHIFT) & 7,
			     (c->flags >> QXL_COMPOSITE_MASK_REPEAT_SHIFT) &
			     3))) {
		ret = -1;
		goto out;
	}
	if (mask.image && (c->flags & QXL_COMPOSITE_COMPONENT_ALPHA))
		pixman_image_set_component_alpha(mask.image, true);
	pixman_image_set_clip_region32(dr->dst->image, &dr->region);
	pixman_image_composite32((pixman_op_t)op, src.image, mask.image,
				 dr->dst->image,
				 c->src_origin.x + (int)ox,
				 c->src_origin.y + (int)oy,
				 c->mask_origin.x + (int)ox,
				 c->mask_origin.y + (int)oy,
				 ext->x1, ext->y1, ext->x2 - ext->x1,
				 ext->y2 - ext->y1);
	pixman_image_set_clip_region32(dr->dst->image, NULL);
	ret = 0;
out:
	composite_reset(src.image);
	if (mask.image)
		composite_reset(mask.image);
	qxl_img_free(&src);
	qxl_img_free(&mask);
	return ret;
}

/* ---- dispatch -------------------------------------------------------- */

int qxl_render_draw(struct qxl_render *r, struct qxl_draw *dr)
{
	switch (dr->d.type) {
	case QXL_DRAW_NOP:
		return 0;
	case QXL_DRAW_FILL:
		return render_fill(r, dr);
	case QXL_DRAW_OPAQUE:
		return render_opaque(r, dr);
	case QXL_DRAW_COPY:
		return render_copy(r, dr, &dr->d.u.copy, NULL);
	case QXL_DRAW_BLEND:
		return render_copy(r, dr, &dr->d.u.blend, NULL);
	case QXL_COPY_BITS:
		return render_copy_bits(r, dr);
	case QXL_DRAW_BLACKNESS:
		return render_solid_mask(r, dr, &dr->d.u.blackness.mask,
					 QXL_ROP2_CLEAR);
	case QXL_DRAW_WHITENESS:
		return render_solid_mask(r, dr, &dr->d.u.whiteness.mask,
					 QXL_ROP2_SET);
	case QXL_DRAW_INVERS:
		return render_solid_mask(r, dr, &dr->d.u.invers.mask,
					 QXL_ROP2_INVERT);
	case QXL_DRAW_ROP3:
		return render_rop3(r, dr);
	case QXL_DRAW_STROKE:
		return qxl_render_stroke(r, dr);
	case QXL_DRAW_TEXT:
		return qxl_render_text(r, dr);
	case QXL_DRAW_TRANSPARENT:
		return render_transparent(r, dr);
	case QXL_DRAW_ALPHA_BLEND:
		return render_alpha_blend(r, dr);
	case QXL_DRAW_COMPOSITE:
		return render_composite(r, dr);
	default:
		qxl_report_bug(r->report, "draw: unknown draw type %u",
			       dr->d.type);
		return -1;
	}
}
