// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_multihead_test - kselftest for two heads side by side (qxlng
 * loaded with num_heads=2).  TAP 13 on stdout; exit 0 pass, 1 fail,
 * 4 (skip) without a device or without two connected heads.
 *
 * Head 0 shows pattern A (1024x768), head 1 pattern B (800x600), each
 * from its own dumb buffer; then only head 0 changes to 800x600.  That
 * moves head 1 to x = 800 in the primary surface the heads share, so
 * the driver must draw head 1 again there although the commit was for
 * head 0 only.  With QXLNG_SHOTS=1 it prints "@@SHOT heads_ab_<W0>x<H0>_
 * <W1>x<H1>" after each step and waits for a line on stdin; the host
 * (scripts/guest/run-guest) compares each head's region of the screendump
 * with its pattern and asks a SPICE client where it sees the monitors.
 *
 *   qxlng_multihead_test [--help] [card]    card default /dev/dri/card0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "qxlng_dumb.h"
#include "qxlng_ksft.h"
#include "qxlng_pattern.h"

struct head {
	drmModeConnector *conn;
	uint32_t crtc_id;
};

static int fd = -1;
static int test_no, failures;
static bool shots;
static struct head heads[2];

static void result(bool good, const char *name)
{
	printf("%s %d %s\n", good ? "ok" : "not ok", ++test_no, name);
	fflush(stdout);
	if (!good)
		failures++;
}

static void shot(uint32_t w0, uint32_t h0, uint32_t w1, uint32_t h1)
{
	char line[64];

	if (!shots)
		return;
	sleep(1);
	printf("@@SHOT heads_ab_%ux%u_%ux%u\n", w0, h0, w1, h1);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		printf("# no answer to @@SHOT\n");
}

/* Show @d full screen on head @i in mode @w x @h. */
static bool show(unsigned int i, struct dumb *d, uint32_t w, uint32_t h)
{
	drmModeModeInfo *mode = find_mode(heads[i].conn, w, h);
	uint32_t conn_id = heads[i].conn->connector_id;

	if (!mode) {
		printf("# head %u offers no %ux%u\n", i, w, h);
		return false;
	}
	if (drmModeSetCrtc(fd, heads[i].crtc_id, d->fb, 0, 0, &conn_id, 1,
			   mode)) {
		printf("# head %u: set %ux%u: %s\n", i, w, h, strerror(errno));
		return false;
	}
	return true;
}

/* The first two connected connectors, each with its own CRTC. */
static int setup(const char *card)
{
	drmModeRes *res;
	uint32_t used = 0;
	int i, j, n = 0;

	fd = open(card, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	res = drmModeGetResources(fd);
	if (!res)
		return -1;
	for (i = 0; i < res->count_connectors && n < 2; i++) {
		drmModeConnector *c = drmModeGetConnector(fd,
							  res->connectors[i]);
		drmModeEncoder *enc;

		if (!c || c->connection != DRM_MODE_CONNECTED ||
		    !c->count_modes || !c->count_encoders) {
			drmModeFreeConnector(c);
			continue;
		}
		enc = drmModeGetEncoder(fd, c->encoders[0]);
		for (j = 0; enc && j < res->count_crtcs && j < 32; j++) {
			if ((enc->possible_crtcs & (1u << j)) &&
			    !(used & (1u << j))) {
				used |= 1u << j;
				heads[n].conn = c;
				heads[n].crtc_id = res->crtcs[j];
				n++;
				c = NULL;
				break;
			}
		}
		drmModeFreeEncoder(enc);
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	return n == 2 ? 0 : -1;
}

static const char usage[] =
	"usage: %s [card]\n"
	"kselftest for qxlng with two heads: pattern A and B\n"
	"side by side, then only head 0 resized (head 1 moves);\n"
	"screen checked by the host when QXLNG_SHOTS=1.\n"
	"Exit 0 pass, 1 fail, 4 skip (no two connected heads).\n";

int main(int argc, char **argv)
{
	const char *card;
	struct dumb a = { 0 }, a_small = { 0 }, b = { 0 };
	bool good;
	int ret;

	ret = ksft_start(argc, argv, usage, &card, &shots);
	if (ret >= 0)
		return ret;
	if (setup(card)) {
		printf("1..0 # SKIP fewer than two connected heads on %s\n",
		       card);
		return KSFT_SKIP;
	}
	printf("1..3\n");
	good = !dumb_create(fd, &a, 1024, 768, pattern_a) &&
	       !dumb_create(fd, &a_small, 800, 600, pattern_a) &&
	       !dumb_create(fd, &b, 800, 600, pattern_b);
	result(good, "multihead_dumb_buffers");
	good = good && show(0, &a, 1024, 768) && show(1, &b, 800, 600);
	result(good, "multihead_head0_1024x768_head1_800x600");
	if (good)
		shot(1024, 768, 800, 600);
	/* Only head 0 changes: head 1 moves from x = 1024 to x = 800. */
	good = good && show(0, &a_small, 800, 600);
	result(good, "multihead_resize_head0_only");
	if (good)
		shot(800, 600, 800, 600);
	dumb_destroy(fd, &a);
	dumb_destroy(fd, &a_small);
	dumb_destroy(fd, &b);
	drmModeFreeConnector(heads[0].conn);
	drmModeFreeConnector(heads[1].conn);
	close(fd);
	return failures ? KSFT_FAIL : KSFT_PASS;
}
