/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Dumb buffers for the qxlng selftests: create + map + (optional fill) +
 * XRGB8888 framebuffer, fill a rectangle, destroy; and a connector's
 * mode lookup.  Functions return -errno (errno kept) on failure.
 */
#ifndef QXLNG_DUMB_H
#define QXLNG_DUMB_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

struct dumb {
	uint32_t handle, fb, pitch, width, height;
	uint64_t size;
	uint32_t *map;
};

/*
 * Fill the rectangle r = { x1, y1, x2, y2 } (exclusive; NULL = all of
 * @d) with fn(x, y).
 */
static inline void dumb_fill(struct dumb *d,
			     uint32_t (*fn)(uint32_t, uint32_t),
			     const uint32_t *r)
{
	uint32_t x0 = r ? r[0] : 0, y0 = r ? r[1] : 0;
	uint32_t x1 = r ? r[2] : d->width, y1 = r ? r[3] : d->height;
	uint32_t x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			d->map[y * (d->pitch / 4) + x] = fn(x, y);
}

/*
 * A @w x @h 32 bpp dumb buffer on @fd, mapped, filled with fn(x, y)
 * before its framebuffer is added when @fn is not NULL.  On failure @d
 * holds what was made so far (dumb_destroy() frees it).
 */
static inline int dumb_create(int fd, struct dumb *d, uint32_t w, uint32_t h,
			      uint32_t (*fn)(uint32_t, uint32_t))
{
	struct drm_mode_create_dumb create = { .width = w, .height = h,
					       .bpp = 32 };
	struct drm_mode_map_dumb map = { 0 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };

	memset(d, 0, sizeof(*d));
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create))
		return -errno;
	d->handle = create.handle;
	d->pitch = create.pitch;
	d->size = create.size;
	d->width = w;
	d->height = h;
	map.handle = d->handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map))
		return -errno;
	d->map = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		      map.offset);
	if (d->map == MAP_FAILED) {
		d->map = NULL;
		return -errno;
	}
	if (fn)
		dumb_fill(d, fn, NULL);
	handles[0] = d->handle;
	pitches[0] = d->pitch;
	if (drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches,
			  offsets, &d->fb, 0))
		return -errno;
	return 0;
}

static inline void dumb_destroy(int fd, struct dumb *d)
{
	struct drm_mode_destroy_dumb destroy = { .handle = d->handle };

	if (d->fb)
		drmModeRmFB(fd, d->fb);
	if (d->map)
		munmap(d->map, d->size);
	if (d->handle)
		drmIoctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
	memset(d, 0, sizeof(*d));
}

/* The mode of @c that is exactly @w x @h, or NULL. */
static inline drmModeModeInfo *find_mode(drmModeConnector *c, uint32_t w,
					 uint32_t h)
{
	int i;

	for (i = 0; i < c->count_modes; i++)
		if (c->modes[i].hdisplay == w && c->modes[i].vdisplay == h)
			return &c->modes[i];
	return NULL;
}

#endif
