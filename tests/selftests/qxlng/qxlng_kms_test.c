// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_kms_test - kselftest for the qxlng DRM driver (also runs on the
 * stock qxl driver for comparison).  TAP 13 on stdout; exit 0 when every
 * test passed, 1 when one failed, 4 (skip) without a DRM device.
 *
 * Tests that need the host to look at the screen print "@@SHOT <name>"
 * and wait for one line on stdin (scripts/guest/run-guest answers); they
 * run only when QXLNG_SHOTS=1, else the screen checks are skipped.
 *
 *   qxlng_kms_test [--help] [card]      card default /dev/dri/card0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "qxlng_dumb.h"
#include "qxlng_ksft.h"
#include "qxlng_pattern.h"

static int fd = -1;
static int test_no, failures;
static bool shots;
static char driver[64];
static uint32_t crtc_id, conn_id;
static unsigned int crtc_pipe;	/* crtc_id's index among the CRTCs */
static drmModeConnector *conn;

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

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Ask the host for a screendump and wait for its answer. */
static void shot(const char *name)
{
	char line[64];

	sleep(1);
	printf("@@SHOT %s\n", name);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		diag("no answer to @@SHOT %s", name);
}

static int set_mode(struct dumb *d, drmModeModeInfo *mode)
{
	return drmModeSetCrtc(fd, crtc_id, d->fb, 0, 0, &conn_id, 1, mode);
}

static int setup(const char *card)
{
	drmModeRes *res;
	drmVersion *ver;
	drmModeEncoder *enc;
	int i;

	fd = open(card, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ver = drmGetVersion(fd);
	if (ver) {
		snprintf(driver, sizeof(driver), "%s", ver->name);
		drmFreeVersion(ver);
	}
	res = drmModeGetResources(fd);
	if (!res)
		return -1;
	for (i = 0; i < res->count_connectors && !conn; i++) {
		drmModeConnector *c = drmModeGetConnector(fd,
							  res->connectors[i]);

		if (c && c->connection == DRM_MODE_CONNECTED &&
		    c->count_modes) {
			conn = c;
			conn_id = c->connector_id;
		} else {
			drmModeFreeConnector(c);
		}
	}
	if (!conn || !conn->count_encoders) {
		drmModeFreeResources(res);
		return -1;
	}
	enc = drmModeGetEncoder(fd, conn->encoders[0]);
	for (i = 0; enc && i < res->count_crtcs; i++) {
		if (enc->possible_crtcs & (1u << i)) {
			crtc_id = res->crtcs[i];
			crtc_pipe = i;
			break;
		}
	}
	drmModeFreeEncoder(enc);
	drmModeFreeResources(res);
	return crtc_id ? 0 : -1;
}

/* Every offered mode up to 1920x1080 can be set with a dumb buffer. */
static void test_mode_set_every_mode(void)
{
	int i, tried = 0, bad = 0;

	for (i = 0; i < conn->count_modes; i++) {
		drmModeModeInfo *m = &conn->modes[i];
		struct dumb d;

		if (m->hdisplay > 1920 || m->vdisplay > 1080)
			continue;
		tried++;
		if (dumb_create(fd, &d, m->hdisplay, m->vdisplay, NULL) ||
		    (dumb_fill(&d, pattern_a, NULL), set_mode(&d, m))) {
			diag("mode %s failed: %s", m->name, strerror(errno));
			bad++;
		}
		dumb_destroy(fd, &d);
	}
	result(tried > 0 && !bad, "mode_set_every_mode_up_to_1920x1080 (%d modes)",
	       tried);
}

/* client_head 0 WxH from debugfs; false if none. */
static bool client_head0(uint32_t *w, uint32_t *h)
{
	char line[128];
	bool found = false;
	FILE *f = fopen("/sys/kernel/debug/dri/0/qxlng_state", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "client_head 0 %ux%u", w, h) == 2 && *w && *h)
			found = true;
	fclose(f);
	return found;
}

/*
 * The preferred mode is the client's head 0 size if the device offers a
 * client monitors config, else 1024x768.
 */
static void test_preferred_mode(void)
{
	uint32_t want_w = 1024, want_h = 768;
	bool client = false;
	int i;

	if (!strcmp(driver, "qxlng"))
		client = client_head0(&want_w, &want_h);
	for (i = 0; i < conn->count_modes; i++) {
		drmModeModeInfo *m = &conn->modes[i];

		if (!(m->type & DRM_MODE_TYPE_PREFERRED))
			continue;
		diag("preferred mode %ux%u (client config: %s)", m->hdisplay,
		     m->vdisplay, client ? "yes" : "no");
		result(m->hdisplay == want_w && m->vdisplay == want_h,
		       "preferred_mode_is_%s_%ux%u",
		       client ? "client_config" : "default", want_w, want_h);
		return;
	}
	result(false, "preferred_mode_exists");
}

/* A known pattern is shown pixel-exact; then partial damage. */
static void test_pattern_and_damage(void)
{
	drmModeModeInfo *m = find_mode(conn, 1024, 768);
	drmModeClip clip = {
		.x1 = damage_reported[0], .y1 = damage_reported[1],
		.x2 = damage_reported[2], .y2 = damage_reported[3],
	};
	struct dumb d;

	if (!m) {
		result(false, "pattern_mode_1024x768_offered");
		return;
	}
	if (dumb_create(fd, &d, 1024, 768, NULL)) {
		result(false, "pattern_dumb_create: %s", strerror(errno));
		return;
	}
	dumb_fill(&d, pattern_a, NULL);
	result(!set_mode(&d, m), "pattern_a_mode_set");
	if (shots)
		shot("pattern_a");
	else
		skip("pattern_a_screen", "no host screendumps (QXLNG_SHOTS)");

	/* Change two rectangles, report only the first. */
	dumb_fill(&d, pattern_b, damage_reported);
	dumb_fill(&d, pattern_b, damage_unreported);
	result(!drmModeDirtyFB(fd, d.fb, &clip, 1), "damage_dirtyfb_one_rect");
	if (shots)
		shot("damage_partial");
	else
		skip("damage_partial_screen", "no host screendumps");
	dumb_destroy(fd, &d);
}

/* Cursor set, move, hide through the legacy cursor ioctls. */
static void test_cursor(void)
{
	bool is_qxlng = !strcmp(driver, "qxlng");
	long before = is_qxlng ? debugfs_value("cursor_cmds") : 0;
	struct drm_mode_create_dumb create = { .width = 64, .height = 64,
					       .bpp = 32 };
	drmModeModeInfo *m = find_mode(conn, 1024, 768);
	struct dumb screen;
	int ret, tries;

	if (!m || dumb_create(fd, &screen, 1024, 768, NULL) ||
	    set_mode(&screen, m)) {
		result(false, "cursor_screen_setup");
		return;
	}
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create)) {
		result(false, "cursor_dumb_create");
		dumb_destroy(fd, &screen);
		return;
	}
	ret = drmModeSetCursor(fd, crtc_id, create.handle, 64, 64);
	result(!ret, "cursor_set_64x64 (%s)", ret ? strerror(-ret) : "ok");
	ret = drmModeMoveCursor(fd, crtc_id, 200, 150);
	result(!ret, "cursor_move");
	ret = drmModeSetCursor(fd, crtc_id, 0, 0, 0);
	result(!ret, "cursor_hide");
	if (is_qxlng) {
		long after = debugfs_value("cursor_cmds");
		long cons = -1, prod = -2;

		result(after - before == 3,
		       "cursor_three_commands_sent (%ld)", after - before);
		/* The device consumes the cursor ring. */
		for (tries = 0; tries < 50; tries++) {
			FILE *f = fopen("/sys/kernel/debug/dri/0/qxlng_state",
					"r");
			char line[128];

			while (f && fgets(line, sizeof(line), f))
				sscanf(line, "cursor_ring cons %ld prod %ld",
				       &cons, &prod);
			if (f)
				fclose(f);
			if (cons == prod)
				break;
			usleep(100000);
		}
		result(cons == prod, "cursor_ring_consumed_by_device");
	} else {
		skip("cursor_three_commands_sent", "not qxlng");
		skip("cursor_ring_consumed_by_device", "not qxlng");
	}
	{
		struct drm_mode_destroy_dumb destroy = {
			.handle = create.handle };

		drmIoctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
	}
	dumb_destroy(fd, &screen);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The frame time of a mode, as qxlng computes it (qxlng_frame_ns). */
static double frame_ms(const drmModeModeInfo *m)
{
	if (!m->clock || !m->htotal || !m->vtotal)
		return 1000.0 / 60;
	return (double)m->htotal * m->vtotal / m->clock;
}

/*
 * Wait for vblank @seq (@absolute) or the @seq-th after the current one;
 * the sequence it returned with in *@got.
 */
static int wait_vblank(unsigned int seq, bool absolute, unsigned int *got)
{
	drmVBlank vbl = { 0 };
	int ret;

	vbl.request.type = (absolute ? DRM_VBLANK_ABSOLUTE :
			    DRM_VBLANK_RELATIVE) |
			   ((crtc_pipe << DRM_VBLANK_HIGH_CRTC_SHIFT) &
			    DRM_VBLANK_HIGH_CRTC_MASK);
	vbl.request.sequence = seq;
	ret = drmWaitVBlank(fd, &vbl);
	if (!ret)
		*got = vbl.reply.sequence;
	return ret;
}

struct flip_wait {
	bool done;
	unsigned int seq;
	double ms;		/* the event's vblank time */
};

static void flip_done(int fd_, unsigned int seq, unsigned int sec,
		      unsigned int usec, void *data)
{
	struct flip_wait *w = data;

	(void)fd_;
	w->done = true;
	w->seq = seq;
	w->ms = sec * 1e3 + usec / 1e3;
}

#define VBLANK_COUNT	30
#define FLIP_COUNT	30

static const char *const vblank_tests[] = {
	"vblank_wait_at_the_modes_rate",
	"page_flips_one_per_vblank",
	"vblank_timestamps_whole_frames_apart",
};

#define VBLANK_TESTS	(sizeof(vblank_tests) / sizeof(vblank_tests[0]))

/* Each vblank test fails, with why: the plan counts them all. */
static void vblank_not_set_up(const char *why)
{
	unsigned int j;

	for (j = 0; j < VBLANK_TESTS; j++)
		result(false, "%s: not set up: %s", vblank_tests[j], why);
}

/*
 * qxlng sends vblank events at the mode's refresh rate: a wait for the
 * vblank VBLANK_COUNT after one just seen returns with that sequence (or
 * a later one), no sooner than that many frames of the mode later, and page
 * flips, each waiting for its event, each land on a later vblank.
 * Neither can be faster than the mode (a loaded host can make them
 * slower, so that is not checked).  The flip events' times are when the
 * vblanks were due: as many whole frames apart as their sequences, to
 * the microsecond the event carries, however late the guest ran the
 * tick.  Stock qxl has no vblank: skipped.
 */
static void test_vblank(void)
{
	drmModeModeInfo *m = find_mode(conn, 1024, 768);
	drmEventContext ev = { .version = 2, .page_flip_handler = flip_done };
	unsigned int seq0 = 0, seq1 = 0, last = 0, i, j, late = 0;
	struct dumb d[2];
	double t0, ms, frame, last_ms = 0, off, worst = 0;
	bool ok;

	if (strcmp(driver, "qxlng")) {
		for (j = 0; j < VBLANK_TESTS; j++)
			skip(vblank_tests[j], "not qxlng");
		return;
	}
	if (!m || dumb_create(fd, &d[0], 1024, 768, NULL)) {
		vblank_not_set_up(m ? "no dumb buffer" : "no 1024x768 mode");
		return;
	}
	if (dumb_create(fd, &d[1], 1024, 768, NULL)) {
		vblank_not_set_up("no second dumb buffer");
		dumb_destroy(fd, &d[0]);
		return;
	}
	dumb_fill(&d[0], pattern_a, NULL);
	dumb_fill(&d[1], pattern_b, NULL);
	frame = frame_ms(m);
	if (set_mode(&d[0], m) || wait_vblank(1, false, &seq0)) {
		vblank_not_set_up(strerror(errno));
		goto out;
	}
	t0 = now_ms();
	ok = !wait_vblank(seq0 + VBLANK_COUNT, true, &seq1);
	ms = now_ms() - t0;
	diag("%u vblanks in %.1f ms (mode frame %.2f ms): sequence %u -> %u",
	     VBLANK_COUNT, ms, frame, seq0, seq1);
	/* A waiter woken late (a loaded host) is told a later sequence. */
	result(ok && (int)(seq1 - seq0) >= VBLANK_COUNT &&
	       ms >= 0.95 * (VBLANK_COUNT - 1) * frame,
	       "vblank_wait_at_the_modes_rate (%.2f Hz, the mode %.2f Hz)",
	       VBLANK_COUNT * 1000.0 / ms, 1000.0 / frame);

	t0 = now_ms();
	for (i = 0; i < FLIP_COUNT; i++) {
		struct flip_wait w = { false, 0, 0 };

		if (drmModePageFlip(fd, crtc_id, d[(i + 1) % 2].fb,
				    DRM_MODE_PAGE_FLIP_EVENT, &w)) {
			diag("flip %u: %s", i, strerror(errno));
			break;
		}
		while (!w.done)
			if (drmHandleEvent(fd, &ev))
				break;
		if (!w.done)
			break;
		if (i && w.seq <= last)
			late++;
		/* Whole frames apart: how far off, in ms. */
		off = i ? w.ms - last_ms - (int)(w.seq - last) * frame : 0;
		off = off < 0 ? -off : off;
		if (off > worst)
			worst = off;
		last = w.seq;
		last_ms = w.ms;
	}
	ms = now_ms() - t0;
	diag("%u flips in %.1f ms, %u on no later vblank than the one before",
	     i, ms, late);
	result(i == FLIP_COUNT && !late &&
	       ms >= 0.95 * (FLIP_COUNT - 1) * frame,
	       "page_flips_one_per_vblank (%.2f flips/s)",
	       i * 1000.0 / ms);
	/* 2 us: the event's microseconds, rounded at each end. */
	result(i == FLIP_COUNT && worst <= 0.002,
	       "vblank_timestamps_whole_frames_apart (at most %.3f ms off)",
	       worst);
out:
	dumb_destroy(fd, &d[0]);
	dumb_destroy(fd, &d[1]);
}

static const char usage[] =
	"usage: %s [card]\n"
	"kselftest for qxlng: mode sets, pattern and damage\n"
	"(screen checked by the host when QXLNG_SHOTS=1),\n"
	"cursor, preferred mode, vblank events at the mode's rate.\n"
	"Exit 0 pass, 1 fail, 4 skip.\n";

int main(int argc, char **argv)
{
	const char *card;
	int ret;

	ret = ksft_start(argc, argv, usage, &card, &shots);
	if (ret >= 0)
		return ret;
	if (setup(card)) {
		printf("1..0 # SKIP no usable connector/CRTC on %s\n", card);
		return KSFT_SKIP;
	}
	diag("driver %s, connector %u, crtc %u, %d modes", driver, conn_id,
	     crtc_id, conn->count_modes);
	printf("1..12\n");
	test_preferred_mode();
	test_mode_set_every_mode();
	test_pattern_and_damage();
	test_cursor();
	test_vblank();
	drmModeFreeConnector(conn);
	close(fd);
	return failures ? KSFT_FAIL : KSFT_PASS;
}
