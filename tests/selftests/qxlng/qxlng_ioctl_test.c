// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_ioctl_test - kselftest for the qxl.ko driver ioctls
 * (drm/qxl_drm.h) as the qxl DDX uses them: GETPARAM, CLIENTCAP, ALLOC,
 * MAP (and mmap) and ALLOC_SURF.  On any driver the well-formed calls
 * must behave as qxl.ko's do; on qxlng the abusive ones (bad sizes,
 * handles, formats, offsets, exhausting the memory, ioctls it does not
 * have) must fail cleanly and leave the device working.  TAP 13; exit 0,
 * 1 on a failure, 4 (skip) without a card.
 *
 *   qxlng_ioctl_test [--help] [card]      card default /dev/dri/card0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <qxl_drm.h>
#include <xf86drm.h>

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
	printf("1..%d\n", 14 + 13);
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
	close(fd);
	return failures ? KSFT_FAIL : KSFT_PASS;
}
