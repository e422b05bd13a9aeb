// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_ioctl_test - kselftest for the qxl.ko driver ioctls
 * (drm/qxl_drm.h) as the qxl DDX uses them: GETPARAM, CLIENTCAP, ALLOC,
 * MAP (and mmap), ALLOC_SURF, EXECBUFFER with relocations and
 * UPDATE_AREA (a copy and a fill on a surface object shown as the
 * framebuffer, read back through its mapping).  On any driver the
 * well-formed calls must behave as qxl.ko's do; on qxlng the abusive
 * ones (bad sizes, handles, formats, offsets, relocations, addresses,
 * surfaces, exhausting the memory, floods of commands) must fail
 * cleanly and leave the device working.  TAP 13; exit 0,
 * 1 on a failure, 4 (skip) without a card.
 *
 *   qxlng_ioctl_test [--help] [card]      card default /dev/dri/card0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <qxl_drm.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "../../../include/qxl/qxl_abi.h"

#include "qxlng_ksft.h"

#define PAGE		4096
#define MAX_OBJECTS	4096

static int fd = -1;
static int test_no, failures;
static bool is_qxlng;

static const char usage[] =
	"usage: %s [card]\n"
	"qxl uapi (qxl_drm.h) ioctls on card (default /dev/dri/card0), TAP 13.\n";

static void result(bool good, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d ", good ? "ok" : "not ok", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!good)
		failures++;
}

static void skip(const char *name, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++test_no, name, why);
	fflush(stdout);
}

/* The ioctl's errno, 0 on success. */
static int qioctl(unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? errno : 0;
}

static int alloc(uint32_t size, uint32_t *handle)
{
	struct drm_qxl_alloc a = { .size = size };
	int err = qioctl(DRM_IOCTL_QXL_ALLOC, &a);

	*handle = err ? 0 : a.handle;
	return err;
}

static void *map(uint32_t handle, size_t len, int *err)
{
	struct drm_qxl_map m = { .handle = handle };
	void *p;

	*err = qioctl(DRM_IOCTL_QXL_MAP, &m);
	if (*err)
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (p == MAP_FAILED) {
		*err = errno;
		return NULL;
	}
	return p;
}

static void close_handle(uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static void fill(uint32_t *p, size_t words, uint32_t seed)
{
	size_t i;

	for (i = 0; i < words; i++)
		p[i] = seed ^ (uint32_t)(i * 2654435761u);
}

static bool same(const uint32_t *p, size_t words, uint32_t seed)
{
	size_t i;

	for (i = 0; i < words; i++)
		if (p[i] != (seed ^ (uint32_t)(i * 2654435761u)))
			return false;
	return true;
}

static void test_getparam(void)
{
	struct drm_qxl_getparam p = { .param = QXL_PARAM_NUM_SURFACES };
	int err;

	err = qioctl(DRM_IOCTL_QXL_GETPARAM, &p);
	result(!err && p.value > 0 && p.value < (1u << 20),
	       "getparam_num_surfaces (%llu, errno %d)",
	       (unsigned long long)p.value, err);
	p.param = QXL_PARAM_MAX_RELOCS;
	p.value = 0;
	err = qioctl(DRM_IOCTL_QXL_GETPARAM, &p);
	result(!err && p.value == 96, "getparam_max_relocs_96 (%llu)",
	       (unsigned long long)p.value);
	p.param = 0x1234567890ull;
	result(qioctl(DRM_IOCTL_QXL_GETPARAM, &p) == EINVAL,
	       "getparam_unknown_einval");
}

static void test_clientcap(void)
{
	struct drm_qxl_clientcap c = { 0 };
	unsigned int i, set = 0, bad = 0;

	/* Each bit of the ROM's 58 bytes: there (0) or not (ENOSYS). */
	for (i = 0; i < 58 * 8; i++) {
		int err;

		c.index = i;
		err = qioctl(DRM_IOCTL_QXL_CLIENTCAP, &c);
		if (!err)
			set++;
		else if (err != ENOSYS)
			bad++;
	}
	result(!bad, "clientcap_each_bit_0_or_enosys (%u set)", set);
	c.index = 58 * 8;
	result(qioctl(DRM_IOCTL_QXL_CLIENTCAP, &c) == ENOSYS,
	       "clientcap_past_the_array_enosys");
	c.index = UINT32_MAX;
	result(qioctl(DRM_IOCTL_QXL_CLIENTCAP, &c) == ENOSYS,
	       "clientcap_index_max_enosys");
}

/* Objects keep what is written to them, each its own. */
static void test_alloc_map(void)
{
	uint32_t h1, h2;
	uint32_t *p1 = NULL, *p2 = NULL;
	int e1, e2, err;
	bool kept;

	e1 = alloc(3 * PAGE, &h1);
	e2 = alloc(PAGE + 1, &h2);
	result(!e1 && !e2 && h1 && h2 && h1 != h2, "alloc_two_objects");
	if (e1 || e2)
		return;
	p1 = map(h1, 3 * PAGE, &e1);
	p2 = map(h2, 2 * PAGE, &e2);
	result(p1 && p2, "map_and_mmap (errno %d, %d)", e1, e2);
	if (!p1 || !p2)
		goto out;
	/* qxl.ko hands out what the memory held before. */
	if (is_qxlng)
		result(p1[0] == 0 && p1[3 * PAGE / 4 - 1] == 0 && p2[0] == 0,
		       "alloc_zeroed");
	else
		skip("alloc_zeroed", "qxl.ko does not clear");
	fill(p1, 3 * PAGE / 4, 0x1111);
	fill(p2, 2 * PAGE / 4, 0x2222);
	result(same(p1, 3 * PAGE / 4, 0x1111) && same(p2, 2 * PAGE / 4, 0x2222),
	       "objects_do_not_overlap");
	/* A second mapping of the same object sees the same bytes. */
	munmap(p1, 3 * PAGE);
	p1 = map(h1, 3 * PAGE, &err);
	kept = p1 && same(p1, 3 * PAGE / 4, 0x1111);
	result(kept, "object_keeps_its_bytes_across_mappings");
out:
	if (p1)
		munmap(p1, 3 * PAGE);
	if (p2)
		munmap(p2, 2 * PAGE);
	close_handle(h1);
	close_handle(h2);
}

static void test_alloc_surf(void)
{
	struct drm_qxl_alloc_surf s = {
		.format = 32, .width = 64, .height = 32, .stride = 256,
	};
	uint32_t *p;
	int err;

	err = qioctl(DRM_IOCTL_QXL_ALLOC_SURF, &s);
	result(!err && s.handle, "alloc_surf_64x32_xrgb (errno %d)", err);
	if (err)
		return;
	p = map(s.handle, 256 * 32, &err);
	result(p != NULL, "alloc_surf_mappable (errno %d)", err);
	if (p) {
		fill(p, 256 * 32 / 4, 0x3333);
		result(same(p, 256 * 32 / 4, 0x3333), "alloc_surf_holds_picture");
		munmap(p, 256 * 32);
	}
	close_handle(s.handle);
}

/* What only qxlng promises: abuse fails cleanly. */
static void test_abuse(void)
{
	static const struct drm_qxl_alloc_surf bad_surfs[] = {
		{ .format = 24, .width = 8, .height = 8, .stride = 32 },
		{ .format = 32, .width = 0, .height = 8, .stride = 32 },
		{ .format = 32, .width = 8, .height = 8, .stride = 28 },
		{ .format = 32, .width = 8, .height = 8, .stride = INT32_MIN },
		{ .format = 32, .width = UINT32_MAX, .height = 8,
		  .stride = 32 },
		{ .format = 32, .width = 8192, .height = 8192,
		  .stride = 32768 },
	};
	static uint32_t handles[MAX_OBJECTS];
	struct drm_qxl_execbuffer eb = { .commands_num = 1000000,
					 .commands = 16 };
	struct drm_qxl_update_area ua = { .handle = 1, .right = 1,
					  .bottom = 1 };
	struct drm_qxl_map m = { .handle = 0xdeadbeef };
	unsigned int i, n = 0, bad = 0;
	uint32_t h;
	void *p;
	int err = 0;

	result(alloc(0, &h) == EINVAL, "alloc_size_0_einval");
	result(alloc(UINT32_MAX, &h) == ENOMEM, "alloc_size_max_enomem");
	result(qioctl(DRM_IOCTL_QXL_MAP, &m) == ENOENT, "map_bad_handle_enoent");
	m.handle = 0;
	result(qioctl(DRM_IOCTL_QXL_MAP, &m) == ENOENT, "map_handle_0_enoent");
	for (i = 0; i < sizeof(bad_surfs) / sizeof(bad_surfs[0]); i++) {
		struct drm_qxl_alloc_surf s = bad_surfs[i];

		err = qioctl(DRM_IOCTL_QXL_ALLOC_SURF, &s);
		if (err != EINVAL && err != ENOMEM)
			bad++;
	}
	result(!bad, "alloc_surf_bad_arguments_refused");

	/* A mapping larger than the object is refused. */
	if (!alloc(PAGE, &h)) {
		struct drm_qxl_map mm = { .handle = h };

		err = qioctl(DRM_IOCTL_QXL_MAP, &mm);
		p = err ? MAP_FAILED : mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED,
					    fd, mm.offset);
		result(p == MAP_FAILED, "mmap_past_object_refused");
		if (p != MAP_FAILED)
			munmap(p, 2 * PAGE);
		close_handle(h);
	}

	/* Exhaust: allocation stops with ENOMEM, and memory comes back. */
	for (n = 0; n < MAX_OBJECTS; n++) {
		err = alloc(1 << 20, &handles[n]);
		if (err)
			break;
	}
	result(n < MAX_OBJECTS && err == ENOMEM,
	       "alloc_until_enomem (%u MiB, errno %d)", n, err);
	for (i = 0; i < n; i++)
		close_handle(handles[i]);
	result(!alloc(1 << 20, &h), "alloc_after_freeing_all");
	close_handle(h);

	/* Not implemented yet: garbage must still fail, not crash. */
	err = qioctl(DRM_IOCTL_QXL_EXECBUFFER, &eb);
	result(err != 0, "execbuffer_garbage_fails (errno %d)", err);
	err = qioctl(DRM_IOCTL_QXL_UPDATE_AREA, &ua);
	result(err != 0, "update_area_garbage_fails (errno %d)", err);
	err = qioctl(DRM_IOWR(DRM_COMMAND_BASE + 0x10, struct drm_qxl_alloc),
		     &m);
	result(err != 0, "ioctl_past_the_table_fails (errno %d)", err);

	/* Objects are not exported as dma-bufs. */
	if (!alloc(PAGE, &h)) {
		int prime = -1;

		err = drmPrimeHandleToFD(fd, h, DRM_CLOEXEC, &prime) ? errno : 0;
		result(err != 0, "prime_export_refused (errno %d)", err);
		if (prime >= 0)
			close(prime);
		close_handle(h);
	}

	/* A mapping outlives its handle and the file; writing is harmless. */
	if (!alloc(PAGE, &h)) {
		p = map(h, PAGE, &err);
		close_handle(h);
		if (p) {
			fill(p, PAGE / 4, 0x4444);
			result(same(p, PAGE / 4, 0x4444),
			       "mapping_outlives_handle");
			munmap(p, PAGE);
		} else {
			result(false, "mapping_outlives_handle (errno %d)", err);
		}
	}
}

/* ------------------------------------------------------------------ */
/* The DDX's drawing: EXECBUFFER with relocations, UPDATE_AREA.         */
/* ------------------------------------------------------------------ */

#define TILE_W		64
#define TILE_H		32
#define TILE_X		16
#define TILE_Y		16
#define FILL_X		100
#define FILL_Y		20
#define FILL_W		40
#define FILL_H		20
#define FILL_RGB	0x00ff8800u
#define AREA_W		160
#define AREA_H		64
/* Where the image BO keeps its chunk and pixels. */
#define IMG_CHUNK_OFF	64
#define IMG_PIXELS_OFF	(IMG_CHUNK_OFF + sizeof(struct qxl_data_chunk))
#define IMG_SIZE	(IMG_PIXELS_OFF + TILE_W * TILE_H * 4)
#define RI		sizeof(union qxl_release_info)

/* The display the sequence draws on: a surface object as framebuffer. */
struct screen {
	uint32_t conn_id, crtc_id, fb;
	drmModeModeInfo mode;
	uint32_t handle;	/* ALLOC_SURF object */
	uint32_t *pixels;	/* its mapping */
	uint32_t w, h;
};

static uint32_t tile_pixel(uint32_t x, uint32_t y)
{
	return ((x * 4) << 16 | (y * 8) << 8 | ((x ^ y) * 3)) & 0xffffff;
}

static int screen_open(struct screen *s)
{
	struct drm_qxl_alloc_surf as = { .format = QXL_SURFACE_FMT_32_xRGB };
	drmModeConnector *conn = NULL;
	drmModeEncoder *enc = NULL;
	drmModeRes *res;
	int i, err = 0;

	memset(s, 0, sizeof(*s));
	res = drmModeGetResources(fd);
	if (!res)
		return errno ? errno : ENODEV;
	for (i = 0; i < res->count_connectors && !conn; i++) {
		conn = drmModeGetConnector(fd, res->connectors[i]);
		if (conn && (conn->connection != DRM_MODE_CONNECTED ||
			     !conn->count_modes || !conn->count_encoders)) {
			drmModeFreeConnector(conn);
			conn = NULL;
		}
	}
	if (conn)
		enc = drmModeGetEncoder(fd, conn->encoders[0]);
	for (i = 0; enc && i < res->count_crtcs; i++)
		if (enc->possible_crtcs & (1u << i)) {
			s->crtc_id = res->crtcs[i];
			break;
		}
	if (!conn || !s->crtc_id) {
		err = ENODEV;
		goto out;
	}
	s->conn_id = conn->connector_id;
	s->mode = conn->modes[0];
	for (i = 0; i < conn->count_modes; i++)
		if (conn->modes[i].hdisplay == 1024 &&
		    conn->modes[i].vdisplay == 768)
			s->mode = conn->modes[i];
	s->w = s->mode.hdisplay;
	s->h = s->mode.vdisplay;
	as.width = s->w;
	as.height = s->h;
	as.stride = s->w * 4;
	err = qioctl(DRM_IOCTL_QXL_ALLOC_SURF, &as);
	if (err)
		goto out;
	s->handle = as.handle;
	s->pixels = map(s->handle, (size_t)s->w * 4 * s->h, &err);
	if (!s->pixels)
		goto out;
	memset(s->pixels, 0, (size_t)s->w * 4 * s->h);
	if (drmModeAddFB(fd, s->w, s->h, 24, 32, s->w * 4, s->handle,
			 &s->fb) ||
	    drmModeSetCrtc(fd, s->crtc_id, s->fb, 0, 0, &s->conn_id, 1,
			   &s->mode))
		err = errno ? errno : EIO;
out:
	drmModeFreeEncoder(enc);
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	return err;
}

static void screen_close(struct screen *s)
{
	if (s->fb)
		drmModeRmFB(fd, s->fb);
	if (s->pixels)
		munmap(s->pixels, (size_t)s->w * 4 * s->h);
	if (s->handle)
		close_handle(s->handle);
	memset(s, 0, sizeof(*s));
}

/* An image object: a TILE_W x TILE_H bitmap, its data relocated. */
static int image_bo(uint32_t *handle, struct drm_qxl_reloc *r)
{
	struct qxl_image img = { 0 };
	struct qxl_data_chunk chunk = { 0 };
	uint32_t x, y, *px;
	uint8_t *p;
	int err;

	err = alloc(IMG_SIZE, handle);
	if (err)
		return err;
	p = map(*handle, IMG_SIZE, &err);
	if (!p)
		return err;
	img.descriptor.type = QXL_IMAGE_TYPE_BITMAP;
	img.descriptor.width = TILE_W;
	img.descriptor.height = TILE_H;
	img.bitmap.format = QXL_BITMAP_FMT_32BIT;
	img.bitmap.flags = QXL_BITMAP_TOP_DOWN;
	img.bitmap.x = TILE_W;
	img.bitmap.y = TILE_H;
	img.bitmap.stride = TILE_W * 4;
	chunk.data_size = TILE_W * TILE_H * 4;
	memcpy(p, &img, sizeof(img));
	memcpy(p + IMG_CHUNK_OFF, &chunk, sizeof(chunk));
	px = (uint32_t *)(p + IMG_PIXELS_OFF);
	for (y = 0; y < TILE_H; y++)
		for (x = 0; x < TILE_W; x++)
			px[y * TILE_W + x] = tile_pixel(x, y);
	munmap(p, IMG_SIZE);
	/* bitmap.data -> the chunk, in the same object. */
	memset(r, 0, sizeof(*r));
	r->reloc_type = QXL_RELOC_TYPE_BO;
	r->dst_handle = *handle;
	r->dst_offset = offsetof(struct qxl_image, bitmap.data);
	r->src_handle = *handle;
	r->src_offset = IMG_CHUNK_OFF;
	return 0;
}

/* A drawable on surface 0, as the DDX writes it: without release info. */
static void drawable_init(struct qxl_drawable *d, uint8_t type, int32_t x,
			  int32_t y, int32_t w, int32_t h)
{
	memset(d, 0, sizeof(*d));
	d->type = type;
	d->effect = QXL_EFFECT_OPAQUE;
	d->bbox.left = x;
	d->bbox.top = y;
	d->bbox.right = x + w;
	d->bbox.bottom = y + h;
	d->clip.type = QXL_CLIP_TYPE_NONE;
	d->surfaces_dest[0] = -1;
	d->surfaces_dest[1] = -1;
	d->surfaces_dest[2] = -1;
}

static void reloc_set(struct drm_qxl_reloc *r, uint32_t type,
		      uint32_t dst_handle, uint64_t dst_offset,
		      uint32_t src_handle, uint64_t src_offset)
{
	memset(r, 0, sizeof(*r));
	r->reloc_type = type;
	r->dst_handle = dst_handle;
	r->dst_offset = dst_offset;
	r->src_handle = src_handle;
	r->src_offset = src_offset;
}

struct draw_cmds {
	struct qxl_drawable copy, fill;
	struct drm_qxl_reloc copy_relocs[3], fill_relocs[1];
	struct drm_qxl_command cmds[2];
};

/* The DDX's pair: a copy of the image and a solid fill. */
static void draw_cmds_init(struct draw_cmds *c, const struct screen *s,
			   uint32_t img, const struct drm_qxl_reloc *img_reloc)
{
	drawable_init(&c->copy, QXL_DRAW_COPY, TILE_X, TILE_Y, TILE_W, TILE_H);
	c->copy.u.copy.src_area.right = TILE_W;
	c->copy.u.copy.src_area.bottom = TILE_H;
	c->copy.u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	c->copy.u.copy.scale_mode = QXL_SCALE_MODE_NEAREST;
	c->copy_relocs[0] = *img_reloc;
	reloc_set(&c->copy_relocs[1], QXL_RELOC_TYPE_BO, 0,
		  offsetof(struct qxl_drawable, u.copy.src_bitmap), img, 0);
	reloc_set(&c->copy_relocs[2], QXL_RELOC_TYPE_SURF, 0,
		  offsetof(struct qxl_drawable, surface_id), s->handle, 0);

	drawable_init(&c->fill, QXL_DRAW_FILL, FILL_X, FILL_Y, FILL_W, FILL_H);
	c->fill.u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	c->fill.u.fill.brush.u.color = FILL_RGB;
	c->fill.u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	reloc_set(&c->fill_relocs[0], QXL_RELOC_TYPE_SURF, 0,
		  offsetof(struct qxl_drawable, surface_id), 0, 0);

	memset(c->cmds, 0, sizeof(c->cmds));
	c->cmds[0].type = QXL_CMD_DRAW;
	c->cmds[0].command = (uintptr_t)&c->copy + RI;
	c->cmds[0].command_size = sizeof(c->copy) - RI;
	c->cmds[0].relocs = (uintptr_t)c->copy_relocs;
	c->cmds[0].relocs_num = 3;
	c->cmds[1].type = QXL_CMD_DRAW;
	c->cmds[1].command = (uintptr_t)&c->fill + RI;
	c->cmds[1].command_size = sizeof(c->fill) - RI;
	c->cmds[1].relocs = (uintptr_t)c->fill_relocs;
	c->cmds[1].relocs_num = 1;
}

static int execbuffer(struct drm_qxl_command *cmds, uint32_t n)
{
	struct drm_qxl_execbuffer eb = {
		.commands = (uintptr_t)cmds, .commands_num = n,
	};

	return qioctl(DRM_IOCTL_QXL_EXECBUFFER, &eb);
}

static int update_area(uint32_t handle, uint32_t l, uint32_t t, uint32_t r,
		       uint32_t b)
{
	struct drm_qxl_update_area ua = {
		.handle = handle, .left = l, .top = t, .right = r, .bottom = b,
	};

	return qioctl(DRM_IOCTL_QXL_UPDATE_AREA, &ua);
}

/* Pixels of the area that differ from the tile, the fill and black. */
static unsigned int area_wrong(const struct screen *s)
{
	unsigned int x, y, wrong = 0;

	for (y = 0; y < AREA_H; y++)
		for (x = 0; x < AREA_W; x++) {
			uint32_t want = 0, got = s->pixels[y * s->w + x];

			if (x >= TILE_X && x < TILE_X + TILE_W &&
			    y >= TILE_Y && y < TILE_Y + TILE_H)
				want = tile_pixel(x - TILE_X, y - TILE_Y);
			else if (x >= FILL_X && x < FILL_X + FILL_W &&
				 y >= FILL_Y && y < FILL_Y + FILL_H)
				want = FILL_RGB;
			if ((got & 0xffffff) != want) {
				if (!wrong)
					printf("# (%u,%u) 0x%06x, want 0x%06x\n",
					       x, y, got & 0xffffff, want);
				wrong++;
			}
		}
	return wrong;
}

#define DDX_TESTS	6

/*
 * The DDX's sequence: a surface object as the framebuffer, an image
 * object whose bitmap points at its chunk, a copy and a fill on surface
 * 0, then UPDATE_AREA and a read of the framebuffer's mapping.  The
 * image's handle is closed right after EXECBUFFER and its memory asked
 * for again: the command keeps it until the device released it.
 */
static void test_ddx_sequence(struct screen *s)
{
	static uint32_t spare[8];
	struct drm_qxl_reloc img_reloc;
	struct draw_cmds c;
	uint32_t img, wrong;
	unsigned int i;
	int err;

	err = image_bo(&img, &img_reloc);
	result(!err, "ddx_image_object (errno %d)", err);
	if (err) {
		for (i = 1; i < DDX_TESTS; i++)
			skip("ddx_sequence", "no image object");
		return;
	}
	draw_cmds_init(&c, s, img, &img_reloc);
	err = execbuffer(c.cmds, 2);
	result(!err, "ddx_execbuffer_copy_and_fill (errno %d)", err);
	close_handle(img);
	for (i = 0; i < 8; i++)
		if (alloc(IMG_SIZE, &spare[i]))
			spare[i] = 0;
	err = update_area(s->handle, 0, 0, AREA_W, AREA_H);
	result(!err, "ddx_update_area (errno %d)", err);
	wrong = area_wrong(s);
	result(!wrong, "ddx_pixels_after_update_area (%u wrong)", wrong);
	for (i = 0; i < 8; i++)
		if (spare[i])
			close_handle(spare[i]);

	/* A second frame, the image object kept this time. */
	memset(s->pixels, 0, (size_t)s->w * 4 * AREA_H);
	err = image_bo(&img, &img_reloc);
	if (!err) {
		draw_cmds_init(&c, s, img, &img_reloc);
		err = execbuffer(c.cmds, 2);
	}
	err = err ? err : update_area(s->handle, 0, 0, AREA_W, AREA_H);
	wrong = area_wrong(s);
	result(!err && !wrong, "ddx_second_frame (errno %d, %u wrong)", err,
	       wrong);
	if (err) {
		skip("ddx_update_area_partial", "no second frame");
		return;
	}
	/* A fill over the tile's corner, read back through a small area. */
	c.fill.bbox.left = TILE_X;
	c.fill.bbox.top = TILE_Y;
	c.fill.bbox.right = TILE_X + 8;
	c.fill.bbox.bottom = TILE_Y + 4;
	err = execbuffer(&c.cmds[1], 1);
	err = err ? err : update_area(s->handle, TILE_X, TILE_Y, TILE_X + 8,
				      TILE_Y + 4);
	result(!err && (s->pixels[(TILE_Y + 3) * s->w + TILE_X + 7] &
			0xffffff) == FILL_RGB,
	       "ddx_update_area_partial (errno %d)", err);
	/* Leave the tile and the fill drawn, as area_wrong() expects. */
	draw_cmds_init(&c, s, img, &img_reloc);
	execbuffer(c.cmds, 2);
	close_handle(img);
}

#define OFF_W		32
#define OFF_H		16
#define OFF_RGB		0x0000c0ffu
#define OFF_DST_X	300
#define OFF_DST_Y	8
#define OFFSCREEN_TESTS	3

/* A surface object that is not shown: the DDX's pixmaps. */
static int offscreen(uint32_t *handle)
{
	struct drm_qxl_alloc_surf as = {
		.format = QXL_SURFACE_FMT_32_xRGB, .width = OFF_W,
		.height = OFF_H, .stride = OFF_W * 4,
	};
	int err = qioctl(DRM_IOCTL_QXL_ALLOC_SURF, &as);

	*handle = err ? 0 : as.handle;
	return err;
}

/* Fill w x h of the off-screen surface handle with rgb. */
static int offscreen_fill_rgb(uint32_t handle, uint32_t w, uint32_t h,
			      uint32_t rgb)
{
	struct qxl_drawable d;
	struct drm_qxl_reloc r;
	struct drm_qxl_command c = { .type = QXL_CMD_DRAW };

	drawable_init(&d, QXL_DRAW_FILL, 0, 0, w, h);
	d.u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d.u.fill.brush.u.color = rgb;
	d.u.fill.rop_descriptor = QXL_ROPD_OP_PUT;
	reloc_set(&r, QXL_RELOC_TYPE_SURF, 0,
		  offsetof(struct qxl_drawable, surface_id), handle, 0);
	c.command = (uintptr_t)&d + RI;
	c.command_size = sizeof(d) - RI;
	c.relocs = (uintptr_t)&r;
	c.relocs_num = 1;
	return execbuffer(&c, 1);
}

static int offscreen_fill(uint32_t handle, uint32_t rgb)
{
	return offscreen_fill_rgb(handle, OFF_W, OFF_H, rgb);
}

static int offscreen_fill_sized(uint32_t handle, uint32_t w, uint32_t h)
{
	return offscreen_fill_rgb(handle, w, h, FILL_RGB);
}

/* Pixels of the off-screen surface's mapping that are not rgb. */
static unsigned int offscreen_wrong(uint32_t handle, uint32_t rgb)
{
	unsigned int i, wrong = 0;
	uint32_t *p;
	int err;

	p = map(handle, OFF_W * 4 * OFF_H, &err);
	if (!p)
		return OFF_W * OFF_H;
	for (i = 0; i < OFF_W * OFF_H; i++)
		if ((p[i] & 0xffffff) != rgb)
			wrong++;
	munmap(p, OFF_W * 4 * OFF_H);
	return wrong;
}

/*
 * Copy the off-screen surface to the screen, as the DDX does: an image
 * of type SURFACE (its id relocated) as source, the surface also in
 * surfaces_dest[0].
 */
static int copy_from_offscreen(const struct screen *s, uint32_t off)
{
	struct qxl_image img = { 0 };
	struct qxl_drawable d;
	struct drm_qxl_reloc r[4];
	struct drm_qxl_command c = { .type = QXL_CMD_DRAW };
	uint32_t ih;
	uint8_t *p;
	int err;

	err = alloc(sizeof(img), &ih);
	if (err)
		return err;
	p = map(ih, PAGE, &err);
	if (!p) {
		close_handle(ih);
		return err;
	}
	img.descriptor.type = QXL_IMAGE_TYPE_SURFACE;
	img.descriptor.width = OFF_W;
	img.descriptor.height = OFF_H;
	memcpy(p, &img, sizeof(img));
	munmap(p, PAGE);
	drawable_init(&d, QXL_DRAW_COPY, OFF_DST_X, OFF_DST_Y, OFF_W, OFF_H);
	d.u.copy.src_area.right = OFF_W;
	d.u.copy.src_area.bottom = OFF_H;
	d.u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	d.u.copy.scale_mode = QXL_SCALE_MODE_NEAREST;
	d.surfaces_rects[0] = d.u.copy.src_area;
	reloc_set(&r[0], QXL_RELOC_TYPE_SURF, ih,
		  offsetof(struct qxl_image, surface_image.surface_id), off, 0);
	reloc_set(&r[1], QXL_RELOC_TYPE_BO, 0,
		  offsetof(struct qxl_drawable, u.copy.src_bitmap), ih, 0);
	reloc_set(&r[2], QXL_RELOC_TYPE_SURF, 0,
		  offsetof(struct qxl_drawable, surfaces_dest[0]), off, 0);
	reloc_set(&r[3], QXL_RELOC_TYPE_SURF, 0,
		  offsetof(struct qxl_drawable, surface_id), s->handle, 0);
	c.command = (uintptr_t)&d + RI;
	c.command_size = sizeof(d) - RI;
	c.relocs = (uintptr_t)r;
	c.relocs_num = 4;
	err = execbuffer(&c, 1);
	close_handle(ih);
	return err;
}

/* Off-screen surfaces: drawn on, read back, copied to the screen, freed. */
static void test_offscreen(struct screen *s)
{
	uint32_t off, x, y, wrong = 0;
	int err;

	err = offscreen(&off);
	err = err ? err : offscreen_fill(off, OFF_RGB);
	err = err ? err : update_area(off, 0, 0, OFF_W, OFF_H);
	wrong = err ? 0 : offscreen_wrong(off, OFF_RGB);
	result(!err && !wrong,
	       "ddx_offscreen_fill_update_area (errno %d, %u wrong)", err, wrong);
	err = err ? err : copy_from_offscreen(s, off);
	err = err ? err : update_area(s->handle, OFF_DST_X, OFF_DST_Y,
				      OFF_DST_X + OFF_W, OFF_DST_Y + OFF_H);
	for (y = 0, wrong = 0; !err && y < OFF_H; y++)
		for (x = 0; x < OFF_W; x++)
			if ((s->pixels[(OFF_DST_Y + y) * s->w + OFF_DST_X + x] &
			     0xffffff) != OFF_RGB)
				wrong++;
	result(!err && !wrong,
	       "ddx_copy_from_offscreen_surface (errno %d, %u wrong)", err, wrong);
	if (off)
		close_handle(off);
	/* Its memory and id come back: a new one works the same. */
	err = offscreen(&off);
	err = err ? err : offscreen_fill(off, FILL_RGB);
	err = err ? err : update_area(off, 0, 0, OFF_W, OFF_H);
	wrong = err ? 0 : offscreen_wrong(off, FILL_RGB);
	result(!err && !wrong,
	       "ddx_offscreen_after_free (errno %d, %u wrong)", err, wrong);
	if (off)
		close_handle(off);
}

#define EXEC_ABUSE_TESTS	22

/* What a hostile client sends: each must fail cleanly, nothing drawn. */
static void test_exec_abuse(struct screen *s)
{
	struct drm_qxl_reloc img_reloc, r;
	struct drm_qxl_alloc_surf other = {
		.format = QXL_SURFACE_FMT_32_xRGB, .width = 16, .height = 16,
		.stride = 64,
	};
	static uint32_t handles[MAX_OBJECTS];
	struct drm_qxl_command cmd;
	struct draw_cmds c;
	uint32_t img = 0, i, bad, h = 0;
	int err, err2;

	err = image_bo(&img, &img_reloc);
	if (err) {
		for (i = 0; i < EXEC_ABUSE_TESTS; i++)
			skip("exec_abuse", "no image object");
		return;
	}
	draw_cmds_init(&c, s, img, &img_reloc);

	result(execbuffer(c.cmds, 257) == EINVAL, "exec_257_commands_einval");
	cmd = c.cmds[1];
	cmd.type = QXL_CMD_SURFACE;
	result(execbuffer(&cmd, 1) == EINVAL, "exec_surface_cmd_einval");
	cmd.type = QXL_CMD_CURSOR;
	result(execbuffer(&cmd, 1) == EINVAL, "exec_cursor_cmd_einval");
	cmd = c.cmds[1];
	cmd.command_size = PAGE;
	result(execbuffer(&cmd, 1) == EINVAL, "exec_command_too_big_einval");
	cmd = c.cmds[1];
	cmd.relocs_num = 97;
	result(execbuffer(&cmd, 1) == EINVAL, "exec_97_relocs_einval");
	cmd = c.cmds[1];
	cmd.command = 16;
	result(execbuffer(&cmd, 1) == EFAULT, "exec_bad_command_pointer_efault");
	cmd = c.cmds[1];
	cmd.relocs = 16;
	result(execbuffer(&cmd, 1) == EFAULT, "exec_bad_relocs_pointer_efault");
	result(execbuffer((struct drm_qxl_command *)16, 1) == EFAULT,
	       "exec_bad_commands_pointer_efault");

	/* Relocations that would write or point outside their objects. */
	cmd = c.cmds[0];
	cmd.relocs = (uintptr_t)&r;
	cmd.relocs_num = 1;
	reloc_set(&r, QXL_RELOC_TYPE_BO, 0, 0, img, 0);
	result(execbuffer(&cmd, 1) == EINVAL, "exec_reloc_over_release_info");
	reloc_set(&r, QXL_RELOC_TYPE_BO, 0, RI + cmd.command_size - 4, img, 0);
	result(execbuffer(&cmd, 1) == EINVAL, "exec_reloc_past_command_end");
	reloc_set(&r, QXL_RELOC_TYPE_BO, img,
		  ((IMG_SIZE + PAGE - 1) & ~(PAGE - 1)) - 4, img, 0);
	result(execbuffer(&cmd, 1) == EINVAL, "exec_reloc_past_object_end");
	reloc_set(&r, QXL_RELOC_TYPE_BO, 0,
		  offsetof(struct qxl_drawable, u.copy.src_bitmap), img,
		  ((IMG_SIZE + PAGE - 1) & ~(PAGE - 1)));
	result(execbuffer(&cmd, 1) == EINVAL, "exec_reloc_source_past_object");
	reloc_set(&r, QXL_RELOC_TYPE_BO, 0,
		  offsetof(struct qxl_drawable, u.copy.src_bitmap), 0xdead, 0);
	result(execbuffer(&cmd, 1) == EINVAL, "exec_reloc_unknown_handle");

	/* Addresses the client wrote itself, other surfaces. */
	c.copy.u.copy.src_bitmap = 0x0100000000001000ull;
	cmd.relocs_num = 0;
	result(execbuffer(&cmd, 1) == EINVAL, "exec_raw_address_einval");
	c.copy.u.copy.src_bitmap = 0;
	/* Without its surface relocation, which would write 0 over it. */
	c.fill.surface_id = 1;
	cmd = c.cmds[1];
	cmd.relocs_num = 0;
	result(execbuffer(&cmd, 1) == EINVAL, "exec_surface_1_einval");
	c.fill.surface_id = 0;
	c.fill_relocs[0].src_handle = img;
	result(execbuffer(&c.cmds[1], 1) == EINVAL,
	       "exec_surf_reloc_to_plain_object_einval");
	result(update_area(img, 0, 0, 1, 1) == EINVAL,
	       "update_area_plain_object_einval");
	c.fill_relocs[0].src_handle = s->handle;

	/* Surface ids run out (ENOSPC) and come back when objects go. */
	for (i = 0, err = 0; i < MAX_OBJECTS && !err; i++) {
		err = qioctl(DRM_IOCTL_QXL_ALLOC_SURF, &other);
		handles[i] = err ? 0 : other.handle;
		if (!err)
			err = offscreen_fill_sized(handles[i], 16, 16);
	}
	bad = i;
	while (i--)
		if (handles[i])
			close_handle(handles[i]);
	err2 = offscreen(&h);
	err2 = err2 ? err2 : offscreen_fill(h, OFF_RGB);
	err2 = err2 ? err2 : update_area(h, 0, 0, OFF_W, OFF_H);
	result((err == ENOSPC || err == ENOMEM) && !err2 &&
	       !offscreen_wrong(h, OFF_RGB),
	       "exec_surfaces_run_out_then_come_back (%u, errno %d, %d)",
	       bad, err, err2);
	if (h)
		close_handle(h);
	result(update_area(s->handle, 0, 0, s->w + 1, 1) == EINVAL &&
	       update_area(s->handle, 5, 0, 5, 1) == EINVAL &&
	       update_area(0xdead, 0, 0, 1, 1) == ENOENT,
	       "update_area_bad_rects_and_handles");

	/* A flood of fills: releases keep up, nothing hangs. */
	memset(s->pixels, 0, (size_t)s->w * 4 * AREA_H);
	{
		static struct drm_qxl_command many[256];
		long unknown = debugfs_value("bad_releases");

		for (i = 0; i < 256; i++)
			many[i] = c.cmds[1];
		for (i = 0, bad = 0; i < 40; i++)
			if (execbuffer(many, 256))
				bad++;
		result(!bad, "exec_flood_40x256_fills (%u failed)", bad);
		/*
		 * Every id the device handed back was one the driver had
		 * pushed.  An unknown one showed QEMU's qxl pushing the
		 * release chain from the vCPU thread (FLUSH_RELEASE) while
		 * its SPICE worker appended to it (issue 19).
		 */
		unknown = debugfs_value("bad_releases") - unknown;
		result(!unknown, "exec_flood_releases_all_known (%ld unknown)",
		       unknown);
	}
	/*
	 * Nothing above drew anything but the same fill again: the whole
	 * area read back is the tile and the fill, and the device works.
	 */
	memset(s->pixels, 0, (size_t)s->w * 4 * AREA_H);
	err = update_area(s->handle, 0, 0, AREA_W, AREA_H);
	bad = area_wrong(s);
	result(!err && !bad, "exec_abuse_drew_nothing_else (errno %d, %u)",
	       err, bad);
	close_handle(img);
}

static void test_ddx(void)
{
	struct screen s;
	int err, i;

	err = screen_open(&s);
	result(!err, "ddx_surface_framebuffer_shown (errno %d)", err);
	if (err) {
		for (i = 0; i < DDX_TESTS + OFFSCREEN_TESTS + EXEC_ABUSE_TESTS;
		     i++)
			skip("ddx", "no framebuffer on a surface object");
		screen_close(&s);
		return;
	}
	test_ddx_sequence(&s);
	test_offscreen(&s);
	if (is_qxlng) {
		test_exec_abuse(&s);
	} else {
		for (i = 0; i < EXEC_ABUSE_TESTS; i++)
			skip("exec_abuse", "only qxlng promises these");
	}
	screen_close(&s);
}

int main(int argc, char **argv)
{
	drmVersionPtr v;
	const char *card;
	bool shots;
	int ret;

	ret = ksft_start(argc, argv, usage, &card, &shots);
	if (ret >= 0)
		return ret;
	fd = open(card, O_RDWR | O_CLOEXEC);
	v = fd < 0 ? NULL : drmGetVersion(fd);
	if (!v) {
		printf("1..0 # SKIP cannot open %s\n", card);
		return KSFT_SKIP;
	}
	is_qxlng = !strcmp(v->name, "qxlng");
	if (strcmp(v->name, "qxl") && !is_qxlng) {
		printf("1..0 # SKIP driver %s has no qxl uapi\n", v->name);
		drmFreeVersion(v);
		return KSFT_SKIP;
	}
	printf("# driver %s\n", v->name);
	drmFreeVersion(v);
	printf("1..%d\n", 14 + 13 + 1 + DDX_TESTS + OFFSCREEN_TESTS +
	       EXEC_ABUSE_TESTS);
	test_getparam();
	test_clientcap();
	test_alloc_map();
	test_alloc_surf();
	if (is_qxlng) {
		test_abuse();
	} else {
		for (ret = 0; ret < 13; ret++)
			skip("abuse", "only qxlng promises these");
	}
	test_ddx();
	close(fd);
	return failures ? KSFT_FAIL : KSFT_PASS;
}
