// SPDX-License-Identifier: MIT
/*
 * spice-serve: serve a picture or an animated pattern over SPICE with
 * spice-core.  See --help.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib-unix.h>
#include <spice-core/spice-core.h>

#include "tools/options.h"
#include "tools/ppm.h"
#include "tools/qxl-play.h"
#include "tools/vmc-echo.h"
#include "tools/agent-guest.h"

static const char usage[] =
"Usage: spice-serve [OPTION]... (--image FILE.ppm | --pattern NAME)\n"
"Serve a picture or an animation to SPICE clients.\n"
"\n"
"  --qxl                play it as QXL commands: an in-process QXL device\n"
"                       (hw-qxl) draws them, and the display sink adapter\n"
"                       gives its display to spice-core, the path a QEMU\n"
"                       guest's display takes (bitmaps, fills for 'solid'\n"
"                       and 'bars', COPY_BITS scrolling in 'anim')\n"
"\n"
"  --addr A             listen address (default 127.0.0.1)\n"
"  --port N             plain port; 0 picks a free one\n"
"  --tls-port N         TLS port; 0 picks a free one (needs --x509-dir)\n"
"  --x509-dir D         holds ca-cert.pem, server-cert.pem, server-key.pem\n"
"  --secure-channels L  channels that must use TLS: all, or a comma list\n"
"                       of main,display,inputs,cursor\n"
"  --password-file F    ticket: the first line of F (at most 60 bytes)\n"
"  --disable-ticketing  no password (one of these two is required)\n"
"  --sasl               authenticate with SASL (service 'spice') instead\n"
"                       of a ticket; libsasl2 reads spice.conf from\n"
"                       SASL_CONF_PATH (e.g. 'mech_list: digest-md5' and\n"
"                       'sasldb_path: /path/sasldb', users added with\n"
"                       saslpasswd2 -f /path/sasldb -a spice USER).  On\n"
"                       the plain port the mechanism must give a security\n"
"                       layer (digest-md5, gssapi); on TLS any will do\n"
"  --ticket-lifetime S  the password expires S seconds after start\n"
"  --image FILE.ppm     serve this binary PPM (P6) picture\n"
"  --pattern NAME       serve a pattern: bars, gradient, noise, checker,\n"
"                       solid, anim (moving; see --fps), typing (black,\n"
"                       three 8x16 grey glyphs drawn per frame, each\n"
"                       damaged on its own, like a text console), drag\n"
"                       (a window moved 8x4 px a frame, damage only),\n"
"                       drag-copy (a 320x240 window moved 8x4 px a frame\n"
"                       by copies, with draws across it and copies\n"
"                       inside it; not with --qxl),\n"
"                       video (a 192x144 photo-like area changing every\n"
"                       frame), mixed (photo left, UI right, all changing)\n"
"  --size WxH           pattern size (default 640x480)\n"
"  --fps N              frames per second of 'anim' (default 30)\n"
"  --frames N           'anim' stops after frame N and prints\n"
"                       'anim-done N' (default: runs for ever)\n"
"  --compression M      auto (per client and region by content: QUIC for\n"
"                       photo-like areas, LZ4 if the client has it or LZ\n"
"                       for the rest), off (raw), lz4 (LZ4 where the\n"
"                       client has it), quic or lz (that codec for every\n"
"                       client)\n"
"  --streaming-video on|off  MJPEG streams for areas updated at a video's\n"
"                       rate (default off)\n"
"  --video-quality N    their JPEG quality, 1..100 (default 80)\n"
"  --web-root DIR       serve the files under DIR over HTTP on the ports,\n"
"                       e.g. /usr/share/spice-html5: then\n"
"                       http://ADDR:PORT/spice_auto.html?password=... opens\n"
"                       the picture in a browser (WebSocket is always on)\n"
"  --format F           the primary's pixel format: 32 (xRGB, default),\n"
"                       565 or 555 (16-bit, the picture rounded down to\n"
"                       it; not with anim or typing)\n"
"  --cursor             set a 16x16 arrow cursor\n"
"  --mouse-absolute     offer client (absolute) mouse mode\n"
"  --log-input          print input events and resize requests on stdout\n"
"  --log-images         log each image sent (codec, bytes) on stderr\n"
"  --name NAME          VM name sent to clients\n"
"  --save-picture F     write the picture served to F (PPM) at exit, and\n"
"                       when an animation ends (before 'anim-done')\n"
"  --max-clients N      clients sharing the display at once (default 16);\n"
"                       one more is refused\n"
"  --exclusive          a client that authenticated disconnects the\n"
"                       others (spice-server's behaviour)\n"
"  --audio-tone HZ      play a sine of HZ (20..20000) to playback clients\n"
"                       (48000 Hz S16 stereo, raw PCM)\n"
"  --record-to FILE     ask clients for their microphone (48000 Hz S16\n"
"                       stereo) and write the raw PCM they send to FILE\n"
"  --vmc NAME[,stuck][,closed]  a pass-through channel (usbredir, or a\n"
"                       port name with a dot) whose device echoes what\n"
"                       the client sends; stuck: it takes nothing; closed:\n"
"                       the port stays closed (repeatable, at most 8)\n"
"  --guest-agent stuck|sink  a stand-in guest agent port instead of the\n"
"                       emulation: stuck takes nothing, sink takes all\n"
"                       and prints its chunks (tools/agent-guest.h);\n"
"                       sink,announce also announces the agent's caps\n"
"  --device-info ADDR,FIRST,N  the display's device address and the\n"
"                       guest's ids FIRST.. of its N heads, for the guest\n"
"                       agent (graphics device info); SIGUSR2 adds 1 to\n"
"                       FIRST (prints 'device-info FIRST')\n"
"  -h, --help           this help\n"
"\n"
"Once listening, prints 'port P' and/or 'tls-port P' lines on stdout.\n"
"SIGUSR1 stops 'anim' after the frame it shows (prints 'anim-done N').\n";

struct serve {
	SpiceCore *core;
	SpiceCoreDisplay *display;
	struct qxl_play *qxl;	/* --qxl: the picture goes through a device */
	uint32_t *px;
	uint32_t w, h;
	unsigned int frame;
	bool log_input;
	GMainLoop *loop;
	unsigned int tone_hz;	/* --audio-tone, 0: none */
	uint64_t tone_frame;	/* frames written so far */
	FILE *record;		/* --record-to */
	const char *vmc_spec[8];	/* --vmc */
	struct vmc_echo *vmc[8];
	unsigned int n_vmc;
	const char *agent_spec;	/* --guest-agent */
	struct agent_guest *agent;
	char *dev_address;	/* --device-info */
	uint32_t dev_first;
	unsigned int dev_heads;
};

static uint32_t scene_px(const struct serve *s, const char *name,
			 unsigned int t, uint32_t x, uint32_t y);

static void pattern_fill(struct serve *s, const char *name, unsigned int t)
{
	static const uint32_t bars[] = { 0xc0c0c0, 0xc0c000, 0x00c0c0,
					 0x00c000, 0xc000c0, 0xc00000,
					 0x0000c0, 0x000000 };
	uint32_t x, y;
	GRand *r = NULL;

	if (!strcmp(name, "noise"))
		r = g_rand_new_with_seed(1234 + t);
	for (y = 0; y < s->h; y++) {
		for (x = 0; x < s->w; x++) {
			uint32_t v;

			if (!strcmp(name, "bars"))
				v = bars[(uint64_t)x * 8 / s->w];
			else if (!strcmp(name, "gradient"))
				v = (x * 255 / s->w) << 16 |
				    (y * 255 / s->h) << 8 | 0x80;
			else if (!strcmp(name, "noise"))
				v = g_rand_int(r) & 0xffffff;
			else if (!strcmp(name, "checker"))
				v = ((x / 16 + y / 16) & 1) ? 0xffffff : 0;
			else if (!strcmp(name, "solid"))
				v = 0x336699;
			else if (!strcmp(name, "typing"))
				v = 0;
			else if (!strcmp(name, "drag") ||
				 !strcmp(name, "drag-copy") ||
				 !strcmp(name, "video") ||
				 !strcmp(name, "mixed"))
				v = scene_px(s, name, t, x, y);
			else	/* anim: bars sliding right, a gradient below */
				v = y < s->h / 2 ?
				    bars[((x + t * 8) / 32) % 8] :
				    (((x + t * 4) & 255) << 16) |
				    ((y & 255) << 8) | (t & 255);
			s->px[(size_t)y * s->w + x] = v;
		}
	}
	if (r)
		g_rand_free(r);
}

/* A photo-like pixel (smooth colours with grain), seed k. */
static uint32_t photo_px(uint32_t x, uint32_t y, uint32_t k)
{
	uint32_t n = (x * 73856093u) ^ (y * 19349663u) ^ (k * 83492791u);

	n ^= n >> 13;
	n *= 0x5bd1e995u;
	n ^= n >> 15;
	return (((x + k * 5) * 3 / 4 + (n & 15)) & 255) << 16 |
	       (((y + k * 3) / 2 + (n >> 4 & 15)) & 255) << 8 |
	       (((x + y) / 3 + (n >> 8 & 15)) & 255);
}

/* A desktop: a grey background with a light grid (UI-like). */
static uint32_t desktop_px(uint32_t x, uint32_t y)
{
	return (x % 64 == 0 || y % 64 == 0) ? 0x8090a0 : 0x406080;
}

/* The window of 'drag' at frame t: (x, y), 240 x 160, 8 pixels right and
 * 4 down a frame, wrapping. */
static void drag_window(const struct serve *s, unsigned int t, uint32_t *x,
			uint32_t *y, uint32_t *w, uint32_t *h)
{
	*w = MIN(240u, s->w);
	*h = MIN(160u, s->h);
	*x = s->w > *w ? (t * 8) % (s->w - *w) : 0;
	*y = s->h > *h ? (t * 4) % (s->h - *h) : 0;
}

/* The window of 'drag-copy': as drag_window's, but 320 x 240 (more
 * than spice-core replays in a client's shadow, SC_STALE_COPY_MIN). */
static void copy_window(const struct serve *s, unsigned int t, uint32_t *x,
			uint32_t *y, uint32_t *w, uint32_t *h)
{
	*w = MIN(320u, s->w);
	*h = MIN(240u, s->h);
	*x = s->w > *w ? (t * 8) % (s->w - *w) : 0;
	*y = s->h > *h ? (t * 4) % (s->h - *h) : 0;
}

/* The video rectangle of 'video': 192 x 144 at (32, 32) (clipped). */
static void video_rect(const struct serve *s, uint32_t *x, uint32_t *y,
		       uint32_t *w, uint32_t *h)
{
	*x = MIN(32u, s->w);
	*y = MIN(32u, s->h);
	*w = MIN(192u, s->w - *x);
	*h = MIN(144u, s->h - *y);
}

/*
 * 'drag': a window (a title bar, text-like rows, a photo) moved over a
 * desktop, damage only (as a guest that redraws instead of copying);
 * 'video': a desktop with a photo-like rectangle changing every frame;
 * 'mixed': a photo on the left half, bars and text-like rows on the
 * right, all of it changing every frame.
 */
static uint32_t scene_px(const struct serve *s, const char *name,
			 unsigned int t, uint32_t x, uint32_t y)
{
	uint32_t wx, wy, ww, wh;

	if (!strcmp(name, "drag") || !strcmp(name, "drag-copy")) {
		if (!strcmp(name, "drag"))
			drag_window(s, t, &wx, &wy, &ww, &wh);
		else
			copy_window(s, t, &wx, &wy, &ww, &wh);
		if (x < wx || y < wy || x >= wx + ww || y >= wy + wh)
			return desktop_px(x, y);
		x -= wx;
		y -= wy;
		if (y < 20)
			return 0x3050c0;
		if (x >= ww / 2)
			return photo_px(x, y, 7);
		return ((x / 2 + y / 3) * 2654435761u >> 28) < 5 &&
		       y % 12 < 9 ? 0x202020 : 0xf0f0f0;
	}
	if (!strcmp(name, "video")) {
		video_rect(s, &wx, &wy, &ww, &wh);
		if (x >= wx && y >= wy && x < wx + ww && y < wy + wh)
			return photo_px(x - wx, y - wy, t);
		return desktop_px(x, y);
	}
	/* mixed */
	if (x < s->w / 2)
		return photo_px(x, y, t);
	return (y / 16 + t) % 3 ? 0xffffff :
	       (((x + t) * 2654435761u) >> 29) < 3 ? 0x000000 : 0xe0e0ff;
}

static const char *save_path;

/* The picture served at exit, as a binary PPM (tests compare a client's
 * picture with it). */
static void save_picture(const struct serve *s, const char *path)
{
	FILE *f = fopen(path, "wb");
	size_t i, n = (size_t)s->w * s->h;

	if (!f) {
		fprintf(stderr, "spice-serve: cannot write %s\n", path);
		return;
	}
	fprintf(f, "P6\n%u %u\n255\n", s->w, s->h);
	for (i = 0; i < n; i++) {
		uint8_t rgb[3] = { (uint8_t)(s->px[i] >> 16),
				   (uint8_t)(s->px[i] >> 8), (uint8_t)s->px[i] };

		fwrite(rgb, 1, 3, f);
	}
	fclose(f);
}

static bool is_anim(const char *name)
{
	return !strcmp(name, "anim") || !strcmp(name, "typing") ||
	       !strcmp(name, "drag") || !strcmp(name, "drag-copy") ||
	       !strcmp(name, "video") ||
	       !strcmp(name, "mixed");
}

/* The picture's pixels in (x, y, w, h) changed: show them.  Without
 * --qxl the primary is the picture itself; with it the rectangle is drawn
 * by the device. */
static void show_rect(struct serve *s, uint32_t x, uint32_t y, uint32_t w,
		      uint32_t h)
{
	if (!s->qxl)
		spice_core_display_damage(s->display, (int32_t)x, (int32_t)y, w,
					  h);
	else if (qxl_play_rect(s->qxl, s->px, s->w, x, y, w, h))
		tool_die("--qxl: %s", qxl_play_error(s->qxl));
}

/* End of a frame: the device renders what it was given. */
static void show_frame(struct serve *s)
{
	if (s->qxl && qxl_play_flush(s->qxl))
		tool_die("--qxl: %s", qxl_play_error(s->qxl));
}

/*
 * The first picture.  With --qxl, pictures whose rows are all alike
 * ('solid', 'bars') become fills, one per run of a colour; the rest
 * bitmaps.
 */
static void show_picture(struct serve *s, const char *pattern)
{
	uint32_t x0, x;

	if (!s->qxl || !pattern ||
	    (strcmp(pattern, "solid") && strcmp(pattern, "bars"))) {
		show_rect(s, 0, 0, s->w, s->h);
	} else {
		for (x0 = 0; x0 < s->w; x0 = x) {
			for (x = x0; x < s->w && s->px[x] == s->px[x0]; x++)
				;
			if (qxl_play_fill(s->qxl, x0, 0, x - x0, s->h,
					  s->px[x0]))
				tool_die("--qxl: %s", qxl_play_error(s->qxl));
		}
	}
	show_frame(s);
}

/*
 * An 'anim' frame with --qxl: the bars above slide left 8 pixels a frame,
 * so the device scrolls them (COPY_BITS) and draws the 8 new columns; the
 * gradient below changes everywhere.
 */
static void anim_frame_qxl(struct serve *s)
{
	uint32_t top = s->h / 2;

	if (s->w > 8 && top) {
		if (qxl_play_scroll(s->qxl, 0, 0, s->w - 8, top, 8, 0))
			tool_die("--qxl: %s", qxl_play_error(s->qxl));
		show_rect(s, s->w - 8, 0, 8, top);
	} else {
		show_rect(s, 0, 0, s->w, top);
	}
	show_rect(s, 0, top, s->w, s->h - top);
}

static const char *anim_name;
static unsigned int anim_frames;	/* stop after this frame; 0: never */
static bool anim_stop;			/* SIGUSR1 came */

/* 'typing': three glyph cells per frame, scattered, each its own damage
 * rectangle (several small updates per frame, as a text console makes). */
static void typing_frame(struct serve *s, unsigned int t)
{
	unsigned int cols = s->w / 8, rows = s->h / 16, i, x, y;

	if (!cols || !rows)
		return;
	for (i = 0; i < 3; i++) {
		uint32_t k = t * 3 + i;
		uint32_t col = (k * 37u) % cols, row = (k * 11u) % rows;
		uint32_t seed = k * 2654435761u;

		for (y = 0; y < 16; y++) {
			uint32_t bits = y >= 2 && y < 14 ? (seed >> (y % 24)) : 0;

			for (x = 0; x < 8; x++)
				s->px[(size_t)(row * 16 + y) * s->w + col * 8 + x] =
					bits >> x & 1 ? 0xaaaaaa : 0;
		}
		show_rect(s, col * 8, row * 16, 8, 16);
	}
}

/* Copy (w x h at sx, sy) to (x, y) in the picture, as the client will,
 * and tell spice-core (no --qxl: the picture is the primary). */
static void copy_rect(struct serve *s, uint32_t x, uint32_t y, uint32_t w,
		      uint32_t h, uint32_t sx, uint32_t sy)
{
	uint32_t i;

	for (i = 0; i < h; i++) {
		uint32_t k = sy < y ? h - 1 - i : i;

		memmove(s->px + (size_t)(y + k) * s->w + x,
			s->px + (size_t)(sy + k) * s->w + sx, (size_t)w * 4);
	}
	spice_core_display_copy(s->display, (int32_t)x, (int32_t)y, w, h,
				(int32_t)sx, (int32_t)sy);
}

/* Draw w x h at (x, y) (clipped) with pixel k(i, j) and damage it. */
static void draw_rect(struct serve *s, uint32_t x, uint32_t y, uint32_t w,
		      uint32_t h, uint32_t seed, bool glyph)
{
	uint32_t i, j;

	if (x >= s->w || y >= s->h)
		return;
	w = MIN(w, s->w - x);
	h = MIN(h, s->h - y);
	for (j = 0; j < h; j++)
		for (i = 0; i < w; i++)
			s->px[(size_t)(y + j) * s->w + x + i] = glyph ?
				((seed >> ((j * 8 + i) % 31)) & 1 ? 0xe0e0e0 :
				 0x101010) : photo_px(i, j, seed);
	show_rect(s, x, y, w, h);
}

/*
 * A 'drag-copy' frame: the window moves by a copy and the desktop it
 * uncovers is drawn again (damage), as a guest with COPY_BITS drags one;
 * then, by turns, a photo box drawn across the window's right edge, the
 * window's content scrolled up 12 rows by a copy inside it (its source
 * the destination of the move just made) with new rows drawn below, a
 * 100x50 block of it copied inside it, and the same glyph drawn inside
 * the window and on the desktop (the window's glyph moves away with it
 * before the next one is drawn).  Every copy's source is pixels the
 * previous copies made.
 */
static void drag_copy_frame(struct serve *s, unsigned int t)
{
	uint32_t ox, oy, x, y, w, h, row, i;

	copy_window(s, t - 1, &ox, &oy, &w, &h);
	copy_window(s, t, &x, &y, &w, &h);
	if (x != ox || y != oy)
		copy_rect(s, x, y, w, h, ox, oy);
	/* The old window's rows less the new window: one or two pieces a
	 * row. */
	for (row = oy; row < oy + h; row++) {
		uint32_t a = ox, b = ox + w;

		if (row >= y && row < y + h) {
			if (x > ox)
				b = MIN(b, x);
			else
				a = MAX(a, x + w);
		}
		if (a >= b)
			continue;
		for (i = a; i < b; i++)
			s->px[(size_t)row * s->w + i] = desktop_px(i, row);
		show_rect(s, a, row, b - a, 1);
	}
	if (t % 3 == 1)
		draw_rect(s, x + w - 32, y + h / 2, 64, 40, t, false);
	if (t % 4 == 2 && h > 44) {
		copy_rect(s, x, y + 20, w, h - 32, x, y + 32);
		draw_rect(s, x, y + h - 12, w, 12, t + 100, false);
	}
	if (t % 4 == 0 && w > 120 && h > 130)
		copy_rect(s, x + 10, y + 70, 100, 50, x + 15, y + 25);
	if (t % 5 == 3) {
		draw_rect(s, x + 40, y + 40, 8, 16, 0x5bd1e995u, true);
		draw_rect(s, 8 + t % 64, s->h - 20, 8, 16, 0x5bd1e995u, true);
	}
}

/* The animation ended: its last picture is final, so --save-picture's
 * file is written now (and again at exit), before the line says so. */
static void anim_done(const struct serve *s)
{
	if (save_path)
		save_picture(s, save_path);
	printf("anim-done %u\n", s->frame);
	fflush(stdout);
}

static gboolean anim_tick(gpointer data)
{
	struct serve *s = data;

	if (anim_stop) {
		anim_done(s);
		return G_SOURCE_REMOVE;
	}
	s->frame++;
	if (!strcmp(anim_name, "typing")) {
		typing_frame(s, s->frame);
	} else if (!strcmp(anim_name, "drag")) {
		uint32_t x, y, w, h;

		drag_window(s, s->frame - 1, &x, &y, &w, &h);
		pattern_fill(s, anim_name, s->frame);
		show_rect(s, x, y, w, h);	/* where it was */
		drag_window(s, s->frame, &x, &y, &w, &h);
		show_rect(s, x, y, w, h);
	} else if (!strcmp(anim_name, "drag-copy")) {
		drag_copy_frame(s, s->frame);
	} else if (!strcmp(anim_name, "video")) {
		uint32_t x, y, w, h;

		pattern_fill(s, anim_name, s->frame);
		video_rect(s, &x, &y, &w, &h);
		if (w && h)
			show_rect(s, x, y, w, h);
	} else {
		pattern_fill(s, anim_name, s->frame);
		if (s->qxl && !strcmp(anim_name, "anim"))
			anim_frame_qxl(s);
		else
			show_rect(s, 0, 0, s->w, s->h);
	}
	show_frame(s);
	if (anim_frames && s->frame >= anim_frames) {
		anim_done(s);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static void on_key(void *o, uint32_t sc, bool down)
{
	struct serve *s = o;

	if (s->log_input)
		printf("key 0x%03x %s\n", sc, down ? "down" : "up");
	fflush(stdout);
}

static void on_leds(void *o, uint32_t leds)
{
	struct serve *s = o;

	if (s->log_input)
		printf("leds %u\n", leds);
	fflush(stdout);
}

static void on_rel(void *o, int32_t dx, int32_t dy, int32_t dz,
		   uint32_t buttons)
{
	struct serve *s = o;

	if (s->log_input)
		printf("mouse-rel %d %d %d buttons %u\n", dx, dy, dz, buttons);
	fflush(stdout);
}

static void on_abs(void *o, uint32_t id, int32_t x, int32_t y, int32_t dz,
		   uint32_t buttons)
{
	struct serve *s = o;

	if (s->log_input)
		printf("mouse-abs %u %d %d %d buttons %u\n", id, x, y, dz,
		       buttons);
	fflush(stdout);
}

static void on_mode(void *o, bool absolute)
{
	struct serve *s = o;

	if (s->log_input)
		printf("mouse-mode %s\n", absolute ? "client" : "server");
	fflush(stdout);
}

/* Logged only: the pictures here have fixed sizes, so with --guest-agent
 * the request goes on to the agent. */
static bool on_monitors(void *o, uint32_t id,
			const struct spice_core_head *heads, unsigned int n)
{
	struct serve *s = o;
	unsigned int i;

	if (!s->log_input)
		return false;
	printf("monitors %u %u", id, n);
	for (i = 0; i < n; i++)
		printf(" %ux%u+%d+%d", heads[i].width, heads[i].height,
		       heads[i].x, heads[i].y);
	printf("\n");
	fflush(stdout);
	return false;
}

static void on_clients(void *o, unsigned int n)
{
	struct serve *s = o;

	if (s->log_input)
		printf("clients %u\n", n);
	fflush(stdout);
}

#define AUDIO_RATE	48000
#define TONE_MS		20

/* The next TONE_MS of the sine, its phase continuing. */
static gboolean tone_tick(gpointer data)
{
	struct serve *s = data;
	int16_t pcm[AUDIO_RATE / 1000 * TONE_MS * 2];
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(pcm) / 2; i++) {
		uint64_t f = s->tone_frame++ * s->tone_hz % AUDIO_RATE;
		int16_t v = (int16_t)(8000 * sin(2 * G_PI * (double)f /
						 AUDIO_RATE));

		pcm[2 * i] = pcm[2 * i + 1] = (int16_t)GINT16_TO_LE(v);
	}
	spice_core_playback_write(s->core, pcm, G_N_ELEMENTS(pcm) / 2);
	return G_SOURCE_CONTINUE;
}

static void on_record(void *o, uint32_t client, const void *pcm,
		      size_t bytes)
{
	struct serve *s = o;

	(void)client;
	if (fwrite(pcm, 1, bytes, s->record) != bytes ||
	    fflush(s->record))
		g_warning("--record-to: write failed: %s", strerror(errno));
}

static const struct spice_core_ops serve_ops = {
	.record_data = on_record,
	.key = on_key,
	.key_leds = on_leds,
	.mouse_rel = on_rel,
	.mouse_abs = on_abs,
	.mouse_mode = on_mode,
	.monitors_request = on_monitors,
	.clients_changed = on_clients,
};

static gboolean on_usr1(gpointer data)
{
	(void)data;
	anim_stop = true;
	return G_SOURCE_CONTINUE;
}

/* SIGUSR2: the device info changes (its first head id goes up). */
static gboolean on_usr2(gpointer data)
{
	struct serve *s = data;

	if (s->dev_address) {
		s->dev_first++;
		spice_core_display_set_device_info(s->display, s->dev_address,
						   s->dev_first, s->dev_heads);
		printf("device-info %u\n", s->dev_first);
		fflush(stdout);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean on_signal(gpointer data)
{
	g_main_loop_quit(((struct serve *)data)->loop);
	return G_SOURCE_REMOVE;
}

/* The picture as little-endian r5g6b5 or x1r5g5b5 (each channel's top
 * bits). */
static uint16_t *to_16bit(const struct serve *s, bool is_565)
{
	size_t i, n = (size_t)s->w * s->h;
	uint16_t *out = g_new(uint16_t, n);

	for (i = 0; i < n; i++) {
		uint32_t v = s->px[i], r = v >> 16 & 0xff, g = v >> 8 & 0xff,
			 b = v & 0xff;

		out[i] = GUINT16_TO_LE(is_565 ?
			(r >> 3) << 11 | (g >> 2) << 5 | b >> 3 :
			(r >> 3) << 10 | (g >> 3) << 5 | b >> 3);
	}
	return out;
}

enum { O_ADDR = 256, O_PORT, O_TLS_PORT, O_X509, O_SECURE, O_PWFILE,
       O_NOTICKET, O_SASL, O_IMAGE, O_PATTERN, O_SIZE, O_FPS, O_COMPRESS,
       O_CURSOR, O_MABS, O_LOG, O_NAME, O_LIFETIME, O_FRAMES, O_FORMAT,
       O_WEBROOT, O_LOGIMG, O_MAXCLIENTS, O_EXCLUSIVE, O_QXL, O_STREAMING,
       O_VQUALITY, O_SAVE, O_TONE, O_RECORD, O_VMC, O_AGENT, O_DEVINFO };

static const struct option long_opts[] = {
	{ "addr", required_argument, NULL, O_ADDR },
	{ "vmc", required_argument, NULL, O_VMC },
	{ "guest-agent", required_argument, NULL, O_AGENT },
	{ "device-info", required_argument, NULL, O_DEVINFO },
	{ "port", required_argument, NULL, O_PORT },
	{ "tls-port", required_argument, NULL, O_TLS_PORT },
	{ "x509-dir", required_argument, NULL, O_X509 },
	{ "secure-channels", required_argument, NULL, O_SECURE },
	{ "password-file", required_argument, NULL, O_PWFILE },
	{ "disable-ticketing", no_argument, NULL, O_NOTICKET },
	{ "sasl", no_argument, NULL, O_SASL },
	{ "image", required_argument, NULL, O_IMAGE },
	{ "pattern", required_argument, NULL, O_PATTERN },
	{ "size", required_argument, NULL, O_SIZE },
	{ "fps", required_argument, NULL, O_FPS },
	{ "frames", required_argument, NULL, O_FRAMES },
	{ "compression", required_argument, NULL, O_COMPRESS },
	{ "streaming-video", required_argument, NULL, O_STREAMING },
	{ "video-quality", required_argument, NULL, O_VQUALITY },
	{ "save-picture", required_argument, NULL, O_SAVE },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "cursor", no_argument, NULL, O_CURSOR },
	{ "qxl", no_argument, NULL, O_QXL },
	{ "mouse-absolute", no_argument, NULL, O_MABS },
	{ "log-input", no_argument, NULL, O_LOG },
	{ "log-images", no_argument, NULL, O_LOGIMG },
	{ "web-root", required_argument, NULL, O_WEBROOT },
	{ "max-clients", required_argument, NULL, O_MAXCLIENTS },
	{ "exclusive", no_argument, NULL, O_EXCLUSIVE },
	{ "name", required_argument, NULL, O_NAME },
	{ "ticket-lifetime", required_argument, NULL, O_LIFETIME },
	{ "audio-tone", required_argument, NULL, O_TONE },
	{ "record-to", required_argument, NULL, O_RECORD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void set_arrow_cursor(struct serve *s)
{
	uint32_t argb[16 * 16];
	int x, y;

	for (y = 0; y < 16; y++)
		for (x = 0; x < 16; x++)
			argb[y * 16 + x] = x <= y && x + y < 24 ?
				(x == 0 || x == y ? 0xff000000 : 0xffffffff) :
				0;
	if (!s->qxl)
		spice_core_display_cursor_set(s->display, argb, 16, 16, 0, 0);
	else if (qxl_play_cursor(s->qxl, argb, 16, 16, 0, 0))
		tool_die("--qxl: %s", qxl_play_error(s->qxl));
}

int main(int argc, char **argv)
{
	struct spice_core_config cfg = { 0 };
	const char *image = NULL, *pattern = NULL, *pwfile = NULL;
	bool noticket = false, cursor = false, mabs = false, qxl = false;
	unsigned int fps = 30;
	long lifetime = 0;
	uint32_t format = SPICE_CORE_FMT_32_xRGB;
	uint16_t *px16 = NULL;
	struct serve s = { 0 };
	char *password = NULL;
	GError *err = NULL;
	int opt;

	g_set_prgname("spice-serve");
	/* stdout carries the events tests read (keys, mouse, monitors):
	 * every log line, debug ones too, goes to stderr. */
	g_log_writer_default_set_use_stderr(TRUE);
	s.w = 640;
	s.h = 480;
	cfg.addr = "127.0.0.1";
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case O_ADDR: cfg.addr = optarg; break;
		case O_PORT: cfg.port = tool_opt_port("--port", optarg); break;
		case O_TLS_PORT:
			cfg.tls_port = tool_opt_port("--tls-port", optarg);
			break;
		case O_X509: cfg.x509_dir = optarg; break;
		case O_SECURE: cfg.secure_channels = tool_opt_secure(optarg);
			break;
		case O_PWFILE: pwfile = optarg; break;
		case O_NOTICKET: noticket = true; break;
		case O_SASL: cfg.sasl = true; break;
		case O_IMAGE: image = optarg; break;
		case O_PATTERN: pattern = optarg; break;
		case O_SIZE:
			if (sscanf(optarg, "%ux%u", &s.w, &s.h) != 2 ||
			    !s.w || !s.h || s.w > 16384 || s.h > 16384)
				tool_die("--size: '%s' is not WxH within 16384",
				    optarg);
			break;
		case O_FPS:
			fps = (unsigned int)atoi(optarg);
			if (fps < 1 || fps > 1000)
				tool_die("--fps: '%s' is not 1..1000", optarg);
			break;
		case O_FRAMES: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !*optarg || v < 1 || v > 1000000)
				tool_die("--frames: '%s' is not 1..1000000", optarg);
			anim_frames = (unsigned int)v;
			break;
		}
		case O_COMPRESS:
			cfg.image_compression = tool_opt_compression(optarg);
			break;
		case O_STREAMING:
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				tool_die("--streaming-video: '%s' is not on or off",
				    optarg);
			cfg.video_streaming = !strcmp(optarg, "on");
			break;
		case O_VQUALITY: {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || !*optarg || v < 1 || v > 100)
				tool_die("--video-quality: '%s' is not 1..100",
				    optarg);
			cfg.video_quality = (int)v;
			break;
		}
		case O_FORMAT:
			if (!strcmp(optarg, "565"))
				format = SPICE_CORE_FMT_16_565;
			else if (!strcmp(optarg, "555"))
				format = SPICE_CORE_FMT_16_555;
			else if (strcmp(optarg, "32"))
				tool_die("--format: '%s' is not 32, 565 or 555",
				    optarg);
			break;
		case O_CURSOR: cursor = true; break;
		case O_QXL: qxl = true; break;
		case O_MABS: mabs = true; break;
		case O_LOG: s.log_input = true; break;
		case O_LOGIMG:
			g_setenv("G_MESSAGES_DEBUG", "spice-core", TRUE);
			break;
		case O_WEBROOT: cfg.web_root = optarg; break;
		case O_MAXCLIENTS: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !*optarg || v < 1 || v > 1000)
				tool_die("--max-clients: '%s' is not 1..1000",
				    optarg);
			cfg.max_clients = (unsigned int)v;
			break;
		}
		case O_EXCLUSIVE: cfg.exclusive = true; break;
		case O_NAME: cfg.name = optarg; break;
		case O_SAVE: save_path = optarg; break;
		case O_LIFETIME: {
			char *end;

			errno = 0;
			lifetime = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || lifetime < 1 ||
			    lifetime > 100L * 365 * 86400)
				tool_die("--ticket-lifetime: '%s' is not a number of "
				    "seconds (1..3153600000)", optarg);
			break;
		}
		case O_TONE: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !*optarg || v < 20 || v > 20000)
				tool_die("--audio-tone: '%s' is not 20..20000",
				    optarg);
			s.tone_hz = (unsigned int)v;
			cfg.audio = true;
			break;
		}
		case O_RECORD:
			s.record = fopen(optarg, "wb");
			if (!s.record)
				tool_die("--record-to: %s: %s", optarg,
				    strerror(errno));
			cfg.audio = true;
			break;
		case O_VMC:
			if (s.n_vmc == G_N_ELEMENTS(s.vmc_spec))
				tool_die("--vmc: at most %zu",
				    G_N_ELEMENTS(s.vmc_spec));
			s.vmc_spec[s.n_vmc++] = optarg;
			break;
		case O_AGENT:
			s.agent_spec = optarg;
			break;
		case O_DEVINFO: {
			char **f = g_strsplit(optarg, ",", 3);
			char *end1 = NULL, *end2 = NULL;
			unsigned long first = 0, n = 0;

			if (g_strv_length(f) == 3) {
				first = strtoul(f[1], &end1, 10);
				n = strtoul(f[2], &end2, 10);
			}
			if (!end1 || *end1 || !*f[1] || !end2 || *end2 ||
			    !*f[2] || first > UINT32_MAX || n > 16)
				tool_die("--device-info: '%s' is not ADDR,FIRST,N "
				    "(N 0..16)", optarg);
			g_free(s.dev_address);
			s.dev_address = g_strdup(f[0]);
			s.dev_first = (uint32_t)first;
			s.dev_heads = (unsigned int)n;
			g_strfreev(f);
			break;
		}
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "Try 'spice-serve --help'.\n");
			return 2;
		}
	}
	if (optind < argc)
		tool_die("unexpected argument '%s' (see --help)", argv[optind]);
	if (lifetime && !pwfile)
		tool_die("--ticket-lifetime needs --password-file");
	if (!image == !pattern)
		tool_die("give exactly one of --image FILE.ppm or --pattern NAME");
	if (pattern && strcmp(pattern, "bars") && strcmp(pattern, "gradient") &&
	    strcmp(pattern, "noise") && strcmp(pattern, "checker") &&
	    strcmp(pattern, "solid") && !is_anim(pattern))
		tool_die("--pattern: unknown pattern '%s' (see --help)", pattern);
	if (qxl && pattern && !strcmp(pattern, "drag-copy"))
		tool_die("--pattern drag-copy: not with --qxl");
	if (format != SPICE_CORE_FMT_32_xRGB && pattern && is_anim(pattern))
		tool_die("--format %s: the animations are 32-bit only",
		    format == SPICE_CORE_FMT_16_565 ? "565" : "555");
	password = tool_opt_check_auth(&cfg, pwfile, noticket);
	if (image) {
		gchar *data;
		gsize len;
		const char *why;

		if (!g_file_get_contents(image, &data, &len, &err))
			tool_die("--image: %s", err->message);
		s.px = sc_ppm_parse((const uint8_t *)data, len, &s.w, &s.h,
				    &why);
		g_free(data);
		if (!s.px)
			tool_die("--image: %s: %s", image, why);
	} else {
		s.px = g_new(uint32_t, (size_t)s.w * s.h);
		pattern_fill(&s, pattern, 0);
	}

	cfg.context = g_main_context_default();
	cfg.disable_ticketing = noticket;
	cfg.ops = &serve_ops;
	cfg.opaque = &s;
	s.core = spice_core_new(&cfg, &err);
	if (!s.core)
		tool_die("%s", err->message);
	if (password) {
		spice_core_set_ticket(s.core, password, lifetime ?
				      g_get_real_time() / G_USEC_PER_SEC +
				      lifetime : 0);
		memset(password, 0, strlen(password));
		g_free(password);
	}
	spice_core_set_mouse_absolute(s.core, mabs);
	s.display = spice_core_display_add(s.core, 0);
	if (qxl) {
		/* The device rounds the picture to a 16-bit primary itself. */
		const char *why;

		s.qxl = qxl_play_new(s.display, s.w, s.h, format, &why);
		if (!s.qxl)
			tool_die("--qxl: %s", why);
		show_picture(&s, pattern);
	} else {
		if (format != SPICE_CORE_FMT_32_xRGB)
			px16 = to_16bit(&s, format == SPICE_CORE_FMT_16_565);
		if (spice_core_display_set_primary(s.display,
			px16 ? (void *)px16 : (void *)s.px, s.w, s.h,
			(int32_t)(s.w * (px16 ? 2 : 4)), format))
			tool_die("cannot set the primary surface");
	}
	if (cursor)
		set_arrow_cursor(&s);
	if (s.dev_address &&
	    spice_core_display_set_device_info(s.display, s.dev_address,
					       s.dev_first, s.dev_heads))
		tool_die("--device-info: the address is too long");
	for (unsigned int i = 0; i < s.n_vmc; i++) {
		const char *why = "";

		s.vmc[i] = vmc_echo_new(s.core, s.vmc_spec[i], &why);
		if (!s.vmc[i])
			tool_die("--vmc %s: %s", s.vmc_spec[i], why);
	}
	if (s.agent_spec) {
		const char *why = "";

		s.agent = agent_guest_new(s.core, s.agent_spec, &why);
		if (!s.agent)
			tool_die("--guest-agent %s: %s", s.agent_spec, why);
	}
	if (s.tone_hz) {
		spice_core_playback_start(s.core, AUDIO_RATE);
		g_timeout_add(TONE_MS, tone_tick, &s);
	}
	if (s.record)
		spice_core_record_start(s.core, AUDIO_RATE);
	if (pattern && is_anim(pattern)) {
		anim_name = pattern;
		g_timeout_add(1000 / fps, anim_tick, &s);
	}
	/* The signals are ours before the ports tell a test to go on. */
	s.loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGINT, on_signal, &s);
	g_unix_signal_add(SIGTERM, on_signal, &s);
	g_unix_signal_add(SIGUSR1, on_usr1, NULL);
	g_unix_signal_add(SIGUSR2, on_usr2, &s);
	if (spice_core_get_port(s.core))
		printf("port %d\n", spice_core_get_port(s.core));
	if (spice_core_get_tls_port(s.core))
		printf("tls-port %d\n", spice_core_get_tls_port(s.core));
	fflush(stdout);

	g_main_loop_run(s.loop);
	{
		struct spice_core_stats st;

		spice_core_get_stats(s.core, &st);
		printf("stats clients=%u connections=%u bytes_sent=%" PRIu64
		       " images_raw=%" PRIu64 " images_lz4=%" PRIu64
		       " images_quic=%" PRIu64 " images_lz=%" PRIu64
		       " fills=%" PRIu64 " frames=%" PRIu64 " copies=%" PRIu64
		       " moves=%" PRIu64 " unchanged=%" PRIu64
		       " cache_hits=%" PRIu64 " cache_adds=%" PRIu64
		       " streams=%" PRIu64 " stream_frames=%" PRIu64 "\n",
		       st.clients, st.connections, st.bytes_sent,
		       st.images_raw, st.images_lz4, st.images_quic,
		       st.images_lz, st.fills, st.frames, st.copies, st.moves,
		       st.unchanged, st.cache_hits, st.cache_adds, st.streams,
		       st.stream_frames);
	}
	qxl_play_free(s.qxl);
	for (unsigned int i = 0; i < s.n_vmc; i++)
		vmc_echo_free(s.vmc[i]);
	agent_guest_free(s.agent);
	spice_core_free(s.core);
	if (s.record)
		fclose(s.record);
	g_main_loop_unref(s.loop);
	if (save_path)
		save_picture(&s, save_path);
	g_free(s.px);
	g_free(s.dev_address);
	g_free(px16);
	return 0;
}
