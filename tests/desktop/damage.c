// SPDX-License-Identifier: MIT
/*
 * damage: plane updates that carry damage, for the desktop-session damage
 * step (tests/desktop/damage_step.py).  Holds one full-screen dumb
 * framebuffer on the first connected output of /dev/dri/card0 (X must be
 * stopped: this program becomes the DRM master) and reads commands from
 * stdin, one a line, answering "ok ..." or "error ..." on stdout:
 *
 *   show RRGGBB               fill the framebuffer with the colour, then an
 *                             atomic commit setting the mode (1024x768 or
 *                             the first mode) with this framebuffer
 *   atomic RRGGBB X Y W H     fill the WHOLE framebuffer with the colour,
 *                             then an atomic commit of the same framebuffer
 *                             whose plane has FB_DAMAGE_CLIPS X,Y WxH
 *   dirty RRGGBB X Y W H      the same through the legacy
 *                             DRM_IOCTL_MODE_DIRTYFB with that clip
 *   quit
 *
 * Only the damaged pixels may reach the screen: outside the clip it keeps
 * the previous colour although the framebuffer holds the new one.  The
 * first line says whether the primary plane has FB_DAMAGE_CLIPS
 * ("damage_clips 1"; Linux 6.1's qxl.ko has none, so "atomic" cannot
 * work there).
 * Built on the host against libdrm (same Debian release as the guest).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

static int fd = -1;
static uint32_t conn_id, crtc_id, plane_id, fb_id, mode_blob;
static drmModeModeInfo mode;
static uint32_t *pixels;
static uint32_t pitch;
static size_t fb_size;

static uint32_t prop_id(uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectProperties *props;
	uint32_t id = 0;
	uint32_t i;

	props = drmModeObjectGetProperties(fd, obj, type);
	if (!props)
		return 0;
	for (i = 0; i < props->count_props && !id; i++) {
		drmModePropertyRes *p = drmModeGetProperty(fd, props->props[i]);

		if (p && strcmp(p->name, name) == 0)
			id = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return id;
}

static uint64_t plane_type(uint32_t plane)
{
	drmModeObjectProperties *props;
	uint32_t t = prop_id(plane, DRM_MODE_OBJECT_PLANE, "type");
	uint64_t v = ~0ull;
	uint32_t i;

	props = drmModeObjectGetProperties(fd, plane, DRM_MODE_OBJECT_PLANE);
	for (i = 0; props && i < props->count_props; i++)
		if (t && props->props[i] == t)
			v = props->prop_values[i];
	drmModeFreeObjectProperties(props);
	return v;
}

static int add(drmModeAtomicReq *req, uint32_t obj, uint32_t type,
	       const char *name, uint64_t value)
{
	uint32_t id = prop_id(obj, type, name);

	if (!id) {
		printf("error no property %s on object %u\n", name, obj);
		return -1;
	}
	return drmModeAtomicAddProperty(req, obj, id, value) < 0 ? -1 : 0;
}

static int find_pipe(void)
{
	drmModeRes *res = drmModeGetResources(fd);
	drmModePlaneRes *pres = drmModeGetPlaneResources(fd);
	int crtc_index = -1;
	int i, k;

	if (!res || !pres)
		return -1;
	for (i = 0; i < res->count_connectors && !conn_id; i++) {
		drmModeConnector *c = drmModeGetConnector(fd, res->connectors[i]);

		if (c && c->connection == DRM_MODE_CONNECTED &&
		    c->count_modes > 0) {
			conn_id = c->connector_id;
			mode = c->modes[0];
			for (k = 0; k < c->count_modes; k++)
				if (c->modes[k].hdisplay == 1024 &&
				    c->modes[k].vdisplay == 768) {
					mode = c->modes[k];
					break;
				}
		}
		drmModeFreeConnector(c);
	}
	if (!conn_id || res->count_crtcs < 1)
		return -1;
	crtc_id = res->crtcs[0];
	crtc_index = 0;
	for (i = 0; i < (int)pres->count_planes && !plane_id; i++) {
		drmModePlane *pl = drmModeGetPlane(fd, pres->planes[i]);

		if (pl && (pl->possible_crtcs & (1u << crtc_index)) &&
		    plane_type(pl->plane_id) == DRM_PLANE_TYPE_PRIMARY)
			plane_id = pl->plane_id;
		drmModeFreePlane(pl);
	}
	drmModeFreePlaneResources(pres);
	drmModeFreeResources(res);
	return plane_id ? 0 : -1;
}

static int make_fb(void)
{
	struct drm_mode_create_dumb create = {
		.width = mode.hdisplay, .height = mode.vdisplay, .bpp = 32,
	};
	struct drm_mode_map_dumb map = { 0 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	void *p;

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0)
		return -1;
	handles[0] = create.handle;
	pitches[0] = create.pitch;
	if (drmModeAddFB2(fd, create.width, create.height, DRM_FORMAT_XRGB8888,
			  handles, pitches, offsets, &fb_id, 0) < 0)
		return -1;
	map.handle = create.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map) < 0)
		return -1;
	p = mmap(NULL, create.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 map.offset);
	if (p == MAP_FAILED)
		return -1;
	pixels = p;
	pitch = create.pitch;
	fb_size = create.size;
	return 0;
}

static void fill(uint32_t rgb)
{
	uint32_t x, y;

	for (y = 0; y < mode.vdisplay; y++)
		for (x = 0; x < mode.hdisplay; x++)
			pixels[y * (pitch / 4) + x] = rgb;
}

static int show(void)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	int ret = -1;

	if (!mode_blob &&
	    drmModeCreatePropertyBlob(fd, &mode, sizeof(mode), &mode_blob) < 0)
		goto out;
	if (add(req, conn_id, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", crtc_id) ||
	    add(req, crtc_id, DRM_MODE_OBJECT_CRTC, "MODE_ID", mode_blob) ||
	    add(req, crtc_id, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "FB_ID", fb_id) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "CRTC_ID", crtc_id) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "SRC_X", 0) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "SRC_Y", 0) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "SRC_W",
		(uint64_t)mode.hdisplay << 16) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "SRC_H",
		(uint64_t)mode.vdisplay << 16) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "CRTC_X", 0) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "CRTC_Y", 0) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "CRTC_W",
		mode.hdisplay) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "CRTC_H", mode.vdisplay))
		goto out;
	ret = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
out:
	drmModeAtomicFree(req);
	return ret;
}

static int atomic_damage(const struct drm_mode_rect *r)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	uint32_t blob = 0;
	int ret = -1;

	if (drmModeCreatePropertyBlob(fd, r, sizeof(*r), &blob) < 0)
		goto out;
	if (add(req, plane_id, DRM_MODE_OBJECT_PLANE, "FB_ID", fb_id) ||
	    add(req, plane_id, DRM_MODE_OBJECT_PLANE, "FB_DAMAGE_CLIPS", blob))
		goto out;
	ret = drmModeAtomicCommit(fd, req, 0, NULL);
out:
	drmModeAtomicFree(req);
	if (blob)
		drmModeDestroyPropertyBlob(fd, blob);
	return ret;
}

static int command(char *line)
{
	char verb[16];
	unsigned int rgb, x, y, w, h;
	int n = sscanf(line, "%15s %x %u %u %u %u", verb, &rgb, &x, &y, &w, &h);
	drmModeClip clip;
	struct drm_mode_rect r;

	if (n >= 1 && strcmp(verb, "quit") == 0)
		return 1;
	if (n == 2 && strcmp(verb, "show") == 0) {
		fill(rgb);
		if (show() < 0)
			return printf("error show: %s\n", strerror(errno)), 0;
		return printf("ok show %06x %ux%u\n", rgb, mode.hdisplay,
			      mode.vdisplay), 0;
	}
	if (n != 6 || w == 0 || h == 0 || x >= mode.hdisplay ||
	    y >= mode.vdisplay || w > mode.hdisplay - x ||
	    h > mode.vdisplay - y)
		return printf("error bad command: %s", line), 0;
	fill(rgb);
	if (strcmp(verb, "atomic") == 0) {
		r.x1 = x;
		r.y1 = y;
		r.x2 = x + w;
		r.y2 = y + h;
		if (atomic_damage(&r) < 0)
			return printf("error atomic: %s\n", strerror(errno)), 0;
	} else if (strcmp(verb, "dirty") == 0) {
		clip.x1 = x;
		clip.y1 = y;
		clip.x2 = x + w;
		clip.y2 = y + h;
		if (drmModeDirtyFB(fd, fb_id, &clip, 1) < 0)
			return printf("error dirty: %s\n", strerror(errno)), 0;
	} else {
		return printf("error bad command: %s", line), 0;
	}
	return printf("ok %s %06x %u,%u %ux%u\n", verb, rgb, x, y, w, h), 0;
}

int main(void)
{
	char line[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("damage: /dev/dri/card0");
		return 1;
	}
	if (drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) < 0 ||
	    drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) < 0) {
		perror("damage: atomic client caps");
		return 1;
	}
	if (find_pipe() < 0 || make_fb() < 0) {
		fprintf(stderr, "damage: no connected output, primary plane or "
			"framebuffer: %s\n", strerror(errno));
		return 1;
	}
	printf("ready connector %u crtc %u plane %u fb %u %ux%u "
	       "damage_clips %d\n", conn_id, crtc_id, plane_id, fb_id,
	       mode.hdisplay, mode.vdisplay,
	       prop_id(plane_id, DRM_MODE_OBJECT_PLANE, "FB_DAMAGE_CLIPS") != 0);
	while (fgets(line, sizeof(line), stdin))
		if (command(line))
			break;
	munmap(pixels, fb_size);
	close(fd);
	return 0;
}
