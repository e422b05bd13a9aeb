// SPDX-License-Identifier: MIT
/*
 * spice-x11: serve an X display's screen over SPICE with spice-core, no
 * VM.  See --help and Documentation/xspice.rst.
 *
 * One thread: the X connection and the SPICE server share the default
 * GMainContext, so the server reads the screen copy (sx.fb) only between
 * our updates of it.  Pixels: XDamage reports what changed (raw
 * rectangles), gathered into a region while events are pending, then
 * each rectangle is read with XShmGetImage (XGetImage without MIT-SHM)
 * into sx.fb and handed to spice-core as damage.  The cursor comes from
 * XFixes, keys and mouse go back through XTest, and a client's resize
 * request becomes a RandR mode on the X screen.
 *
 * Client input is never trusted: keys outside the table, positions
 * outside the screen, sizes outside RandR's range are dropped or clamped.
 * X errors caused by a request of ours are logged and survived; losing the
 * X connection ends the program with a message.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <glib.h>
#include <glib-unix.h>
#include <pixman.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/Xrandr.h>
#include <spice-core/spice-core.h>

#include "tools/options.h"
#include "tools/spice-x11.h"

static const char usage[] =
"Usage: spice-x11 [OPTION]...\n"
"Serve an X display's screen to SPICE clients (remote-viewer, spicy,\n"
"spice-html5): the picture, the cursor, keys and mouse back through\n"
"XTest, and the client's window size applied through RandR.\n"
"\n"
"  --display D          the X display (default $DISPLAY)\n"
"  --addr A             listen address (default 127.0.0.1)\n"
"  --port N             plain port; 0 picks a free one\n"
"  --tls-port N         TLS port; 0 picks a free one (needs --x509-dir)\n"
"  --x509-dir D         holds ca-cert.pem, server-cert.pem, server-key.pem\n"
"  --secure-channels L  channels that must use TLS: all, or a comma list\n"
"                       of main,display,inputs,cursor\n"
"  --password-file F    ticket: the first line of F (at most 60 bytes)\n"
"  --disable-ticketing  no password (one of these two, or --sasl, is\n"
"                       required)\n"
"  --sasl               authenticate with SASL (service 'spice')\n"
"  --compression M      auto (default), off, lz4, quic or lz\n"
"  --web-root DIR       serve DIR over HTTP on the ports (spice-html5)\n"
"  --name NAME          name sent to clients (default: the display)\n"
"  --size WxH           set the X screen to WxH through RandR at start\n"
"  --max-size WxH       the largest screen a client may ask for (default:\n"
"                       RandR's maximum; Xorg's dummy driver claims more\n"
"                       than its framebuffer holds)\n"
"  --no-resize          ignore the clients' resize requests\n"
"  --no-shm             read pixels with XGetImage, not MIT-SHM\n"
"  --log-input          print input events and resize requests on stdout\n"
"  -h, --help           this help\n"
"\n"
"Once listening, prints 'port P' and/or 'tls-port P' lines on stdout.\n"
"Stops on SIGINT or SIGTERM (printing a 'stats' line), and with exit\n"
"status 1 when the X server goes away.\n";

/* More damage rectangles in one batch than this: their bounding box. */
#define SX_MAX_RECTS		64
/* X events handled before the damage gathered is read and shown. */
#define SX_MAX_BATCH		4096

static struct sx *the_sx;	/* for the Xlib error handlers */

/* X errors ---------------------------------------------------------------- */

bool sx_x_error_seen;

/* An X error answers one request of ours (a RandR mode the server
 * refused, a rectangle that left the screen as it shrank): log it and go
 * on; the caller checks sx_x_error_seen where it matters. */
static int on_x_error(Display *dpy, XErrorEvent *ev)
{
	char text[128];

	sx_x_error_seen = true;
	XGetErrorText(dpy, ev->error_code, text, sizeof(text));
	fprintf(stderr, "spice-x11: X error: %s (request %u.%u)\n", text,
		ev->request_code, ev->minor_code);
	return 0;
}

static int on_x_io_error(Display *dpy)
{
	(void)dpy;
	fprintf(stderr, "spice-x11: lost the connection to X display %s "
		"(the X server went away); stopping\n",
		the_sx && the_sx->display_name ? the_sx->display_name : "");
	exit(1);
}

/* Pixels ------------------------------------------------------------------ */

static void shm_free(struct sx *sx)
{
	if (!sx->shm_img)
		return;
	XShmDetach(sx->dpy, &sx->shm);
	XSync(sx->dpy, False);
	sx->shm_img->data = NULL;
	XDestroyImage(sx->shm_img);
	shmdt(sx->shm.shmaddr);
	sx->shm_img = NULL;
	sx->shm_bytes = 0;
}

/* A shared segment for w x h pixels; false (MIT-SHM off from then on) if
 * the X server cannot attach it, e.g. over the network. */
static bool shm_alloc(struct sx *sx, uint32_t w, uint32_t h)
{
	Visual *vis = DefaultVisual(sx->dpy, sx->screen);
	int depth = DefaultDepth(sx->dpy, sx->screen);
	size_t bytes = (size_t)w * h * 4;

	if (sx->shm_img && sx->shm_bytes >= bytes)
		return true;
	shm_free(sx);
	sx->shm_img = XShmCreateImage(sx->dpy, vis, (unsigned int)depth,
				      ZPixmap, NULL, &sx->shm, w, h);
	if (!sx->shm_img)
		goto fail;
	sx->shm.shmid = shmget(IPC_PRIVATE, bytes, IPC_CREAT | 0600);
	if (sx->shm.shmid < 0) {
		XDestroyImage(sx->shm_img);
		sx->shm_img = NULL;
		goto fail;
	}
	sx->shm.shmaddr = shmat(sx->shm.shmid, NULL, 0);
	sx->shm_img->data = sx->shm.shmaddr;
	sx->shm.readOnly = False;
	sx_x_error_seen = false;
	if (sx->shm.shmaddr == (void *)-1 ||
	    !XShmAttach(sx->dpy, &sx->shm) ||
	    (XSync(sx->dpy, False), sx_x_error_seen)) {
		if (sx->shm.shmaddr != (void *)-1)
			shmdt(sx->shm.shmaddr);
		shmctl(sx->shm.shmid, IPC_RMID, NULL);
		sx->shm_img->data = NULL;
		XDestroyImage(sx->shm_img);
		sx->shm_img = NULL;
		goto fail;
	}
	/* Both ends are attached: the segment goes when both detach. */
	shmctl(sx->shm.shmid, IPC_RMID, NULL);
	sx->shm_bytes = bytes;
	return true;
fail:
	fprintf(stderr, "spice-x11: MIT-SHM unavailable, reading pixels "
		"with XGetImage\n");
	sx->use_shm = false;
	return false;
}

/* Copy rows of 32-bit pixels from an X image into the screen copy. */
static void put_rows(struct sx *sx, const char *src, size_t src_stride,
		     uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	uint32_t row, i;

	for (row = 0; row < h; row++) {
		uint32_t *dst = sx->fb + (size_t)(y + row) * sx->w + x;
		const char *s = src + row * src_stride;

		memcpy(dst, s, (size_t)w * 4);
		if (sx->swap_bytes)
			for (i = 0; i < w; i++)
				dst[i] = GUINT32_SWAP_LE_BE(dst[i]);
	}
}

/* Read (x, y, w, h) of the root window into sx.fb; false on an X error
 * (the rectangle left the screen as it shrank: a resize follows). */
static bool grab_rect(struct sx *sx, uint32_t x, uint32_t y, uint32_t w,
		      uint32_t h)
{
	XImage *img;

	if (sx->use_shm && shm_alloc(sx, sx->w, sx->h)) {
		img = sx->shm_img;
		img->width = (int)w;
		img->height = (int)h;
		img->bytes_per_line = (int)(w * 4);
		if (!XShmGetImage(sx->dpy, sx->root, img, (int)x, (int)y,
				  AllPlanes))
			return false;
		put_rows(sx, img->data, (size_t)w * 4, x, y, w, h);
		return true;
	}
	img = XGetImage(sx->dpy, sx->root, (int)x, (int)y, w, h, AllPlanes,
			ZPixmap);
	if (!img)
		return false;
	if (img->bits_per_pixel == 32 && img->bytes_per_line >= (int)w * 4)
		put_rows(sx, img->data, (size_t)img->bytes_per_line, x, y, w,
			 h);
	XDestroyImage(img);
	return true;
}

/* Read the damage gathered since the last call and show it. */
static void flush_damage(struct sx *sx)
{
	pixman_region32_t clip;
	pixman_box32_t *boxes;
	int i, n;

	pixman_region32_init_rect(&clip, 0, 0, sx->w, sx->h);
	pixman_region32_intersect(&sx->dirty, &sx->dirty, &clip);
	pixman_region32_fini(&clip);
	boxes = pixman_region32_rectangles(&sx->dirty, &n);
	if (n > SX_MAX_RECTS) {
		boxes = pixman_region32_extents(&sx->dirty);
		n = 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t x = (uint32_t)boxes[i].x1, y = (uint32_t)boxes[i].y1;
		uint32_t w = (uint32_t)(boxes[i].x2 - boxes[i].x1);
		uint32_t h = (uint32_t)(boxes[i].y2 - boxes[i].y1);

		if (w && h && grab_rect(sx, x, y, w, h))
			spice_core_display_damage(sx->display, (int32_t)x,
						  (int32_t)y, w, h);
	}
	pixman_region32_clear(&sx->dirty);
}

/* The X screen is w x h (at start, or after a RandR change): a new screen
 * copy, read whole, served as the new primary. */
static void screen_size(struct sx *sx, uint32_t w, uint32_t h)
{
	uint32_t *old = sx->fb;

	if (!w || !h || w > 16384 || h > 16384)
		tool_die("the X screen is %ux%u, outside 1..16384", w, h);
	if (sx->fb && w == sx->w && h == sx->h)
		return;
	sx->fb = g_new0(uint32_t, (size_t)w * h);
	sx->w = w;
	sx->h = h;
	grab_rect(sx, 0, 0, w, h);
	pixman_region32_clear(&sx->dirty);
	if (spice_core_display_set_primary(sx->display, sx->fb, w, h,
					   (int32_t)(w * 4),
					   SPICE_CORE_FMT_32_xRGB))
		tool_die("cannot serve a %ux%u screen", w, h);
	g_free(old);	/* never read again after set_primary */
	printf("size %ux%u\n", w, h);
	fflush(stdout);
}

/* Cursor ------------------------------------------------------------------ */

static void update_cursor_shape(struct sx *sx)
{
	XFixesCursorImage *ci = XFixesGetCursorImage(sx->dpy);
	uint32_t *argb;
	size_t i, n;

	if (!ci)
		return;
	if (ci->width && ci->height && ci->width <= 512 &&
	    ci->height <= 512 && ci->xhot < ci->width &&
	    ci->yhot < ci->height) {
		n = (size_t)ci->width * ci->height;
		argb = g_new(uint32_t, n);
		for (i = 0; i < n; i++)	/* unsigned long per pixel */
			argb[i] = (uint32_t)ci->pixels[i];
		spice_core_display_cursor_set(sx->display, argb, ci->width,
					      ci->height, ci->xhot, ci->yhot);
		g_free(argb);
	}
	sx->cursor_x = ci->x;
	sx->cursor_y = ci->y;
	spice_core_display_cursor_move(sx->display, ci->x, ci->y);
	XFree(ci);
}

/* X has no pointer-motion event for the whole screen short of XInput2
 * raw events: while clients watch, look where the pointer is. */
gboolean sx_poll_pointer(gpointer data)
{
	struct sx *sx = data;
	Window r, c;
	int rx, ry, wx, wy;
	unsigned int mask;

	if (XQueryPointer(sx->dpy, sx->root, &r, &c, &rx, &ry, &wx, &wy,
			  &mask) &&
	    (rx != sx->cursor_x || ry != sx->cursor_y)) {
		sx->cursor_x = rx;
		sx->cursor_y = ry;
		spice_core_display_cursor_move(sx->display, rx, ry);
	}
	return G_SOURCE_CONTINUE;
}

/* X events ----------------------------------------------------------------- */

static void handle_event(struct sx *sx, XEvent *ev)
{
	if (sx_clip_event(sx, ev))
		return;
	if (ev->type == sx->damage_event + XDamageNotify) {
		XDamageNotifyEvent *de = (XDamageNotifyEvent *)ev;

		pixman_region32_union_rect(&sx->dirty, &sx->dirty, de->area.x,
					   de->area.y, de->area.width,
					   de->area.height);
	} else if (sx->has_xkb && ev->type == sx->xkb_event &&
		   ((XkbEvent *)ev)->any.xkb_type == XkbIndicatorStateNotify) {
		if (sx->log_input) {
			printf("x-leds %u\n", sx_x_leds(sx));
			fflush(stdout);
		}
		spice_core_set_key_leds(sx->core, sx_x_leds(sx));
	} else if (ev->type == sx->fixes_event + XFixesCursorNotify) {
		update_cursor_shape(sx);
	} else if (sx->has_randr &&
		   ev->type == sx->randr_event + RRScreenChangeNotify) {
		XRRUpdateConfiguration(ev);
	} else if (ev->type == ConfigureNotify &&
		   ev->xconfigure.window == sx->root) {
		XRRUpdateConfiguration(ev);
		sx->resized = true;
	}
}

/* The root window changed size: serve the size it has now (a RandR
 * change can pass through sizes already gone when their events come). */
static void follow_root_size(struct sx *sx)
{
	Window root;
	int x, y;
	unsigned int w, h, border, depth;

	sx->resized = false;
	if (XGetGeometry(sx->dpy, sx->root, &root, &x, &y, &w, &h, &border,
			 &depth))
		screen_size(sx, w, h);
}

/* A GSource for the X connection: events may sit in Xlib's queue with
 * nothing left to read on the socket (an XSync or XQueryPointer read them),
 * so the queue is checked as well as the fd. */
struct x_source {
	GSource base;
	struct sx *sx;
};

static gboolean x_prepare(GSource *src, gint *timeout)
{
	struct sx *sx = ((struct x_source *)src)->sx;

	*timeout = -1;
	XFlush(sx->dpy);
	return XEventsQueued(sx->dpy, QueuedAlready) > 0;
}

static gboolean x_check(GSource *src)
{
	struct sx *sx = ((struct x_source *)src)->sx;

	return XEventsQueued(sx->dpy, QueuedAfterReading) > 0;
}

static gboolean x_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
	struct sx *sx = ((struct x_source *)src)->sx;
	unsigned int n;
	XEvent ev;

	(void)cb;
	(void)data;
	/* A batch ends when the queue is empty, or after SX_MAX_BATCH
	 * events so that a flood of drawing still shows. */
	for (n = 0; n < SX_MAX_BATCH && XPending(sx->dpy); n++) {
		XNextEvent(sx->dpy, &ev);
		handle_event(sx, &ev);
	}
	if (sx->resized)
		follow_root_size(sx);
	if (pixman_region32_not_empty(&sx->dirty))
		flush_damage(sx);
	XFlush(sx->dpy);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs x_source_funcs = {
	.prepare = x_prepare,
	.check = x_check,
	.dispatch = x_dispatch,
};

/* Setup -------------------------------------------------------------------- */

static void x_open(struct sx *sx, bool no_shm)
{
	int err_base, major, minor;
	Visual *vis;
	XImage *probe;

	sx->dpy = XOpenDisplay(sx->display_name);
	if (!sx->dpy)
		tool_die("cannot open X display '%s'", XDisplayName(sx->display_name));
	sx->display_name = DisplayString(sx->dpy);
	XSetErrorHandler(on_x_error);
	XSetIOErrorHandler(on_x_io_error);
	sx->screen = DefaultScreen(sx->dpy);
	sx->root = RootWindow(sx->dpy, sx->screen);

	vis = DefaultVisual(sx->dpy, sx->screen);
	probe = XGetImage(sx->dpy, sx->root, 0, 0, 1, 1, AllPlanes, ZPixmap);
	if (vis->class != TrueColor || vis->red_mask != 0xff0000 ||
	    vis->green_mask != 0xff00 || vis->blue_mask != 0xff || !probe ||
	    probe->bits_per_pixel != 32)
		tool_die("display %s is not 24-bit TrueColor at 32 bits per pixel "
		    "(start the X server with depth 24)", sx->display_name);
	sx->swap_bytes = probe->byte_order != (G_BYTE_ORDER == G_LITTLE_ENDIAN ?
					       LSBFirst : MSBFirst);
	XDestroyImage(probe);

	if (!XDamageQueryExtension(sx->dpy, &sx->damage_event, &err_base))
		tool_die("display %s has no DAMAGE extension", sx->display_name);
	if (!XFixesQueryExtension(sx->dpy, &sx->fixes_event, &err_base))
		tool_die("display %s has no XFIXES extension", sx->display_name);
	if (!XTestQueryExtension(sx->dpy, &err_base, &err_base, &major,
				 &minor))
		tool_die("display %s has no XTEST extension", sx->display_name);
	sx->has_randr = XRRQueryExtension(sx->dpy, &sx->randr_event,
					  &err_base) &&
			XRRQueryVersion(sx->dpy, &major, &minor) &&
			(major > 1 || minor >= 2);
	if (!sx->has_randr)
		fprintf(stderr, "spice-x11: no RandR 1.2 on %s: client "
			"resize requests are ignored\n", sx->display_name);
	sx->use_shm = !no_shm && XShmQueryExtension(sx->dpy);
	major = XkbMajorVersion;
	minor = XkbMinorVersion;
	sx->has_xkb = XkbQueryExtension(sx->dpy, &err_base, &sx->xkb_event,
					&err_base, &major, &minor);
	if (sx->has_xkb)
		sx_locks_init(sx);

	sx->damage = XDamageCreate(sx->dpy, sx->root,
				   XDamageReportRawRectangles);
	XFixesSelectCursorInput(sx->dpy, sx->root,
				XFixesDisplayCursorNotifyMask);
	XSelectInput(sx->dpy, sx->root, StructureNotifyMask);
	if (sx->has_randr)
		XRRSelectInput(sx->dpy, sx->root, RRScreenChangeNotifyMask);
	sx_clip_init(sx);
	XSync(sx->dpy, False);
}

static void parse_size(const char *opt, const char *v, uint32_t *w,
		       uint32_t *h)
{
	char tail;

	if (sscanf(v, "%ux%u%c", w, h, &tail) != 2 || !*w || !*h ||
	    *w > 16384 || *h > 16384)
		tool_die("%s: '%s' is not WxH within 16384", opt, v);
}

static gboolean on_signal(gpointer data)
{
	g_main_loop_quit(((struct sx *)data)->loop);
	return G_SOURCE_REMOVE;
}

enum { O_DISPLAY = 256, O_ADDR, O_PORT, O_TLS_PORT, O_X509, O_SECURE,
       O_PWFILE, O_NOTICKET, O_SASL, O_COMPRESS, O_WEBROOT, O_NAME, O_SIZE,
       O_MAXSIZE, O_NORESIZE, O_NOSHM, O_LOG };

static const struct option long_opts[] = {
	{ "display", required_argument, NULL, O_DISPLAY },
	{ "addr", required_argument, NULL, O_ADDR },
	{ "port", required_argument, NULL, O_PORT },
	{ "tls-port", required_argument, NULL, O_TLS_PORT },
	{ "x509-dir", required_argument, NULL, O_X509 },
	{ "secure-channels", required_argument, NULL, O_SECURE },
	{ "password-file", required_argument, NULL, O_PWFILE },
	{ "disable-ticketing", no_argument, NULL, O_NOTICKET },
	{ "sasl", no_argument, NULL, O_SASL },
	{ "compression", required_argument, NULL, O_COMPRESS },
	{ "web-root", required_argument, NULL, O_WEBROOT },
	{ "name", required_argument, NULL, O_NAME },
	{ "size", required_argument, NULL, O_SIZE },
	{ "max-size", required_argument, NULL, O_MAXSIZE },
	{ "no-resize", no_argument, NULL, O_NORESIZE },
	{ "no-shm", no_argument, NULL, O_NOSHM },
	{ "log-input", no_argument, NULL, O_LOG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	struct spice_core_config cfg = { 0 };
	const char *pwfile = NULL;
	bool noticket = false, no_shm = false;
	uint32_t want_w = 0, want_h = 0;
	struct sx sx = { 0 };
	struct x_source *xsrc;
	struct spice_core_stats st;
	char *password = NULL;
	GError *err = NULL;
	int opt;

	g_set_prgname("spice-x11");
	the_sx = &sx;
	sx.resize = true;
	cfg.addr = "127.0.0.1";
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case O_DISPLAY: sx.display_name = optarg; break;
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
		case O_COMPRESS:
			cfg.image_compression = tool_opt_compression(optarg);
			break;
		case O_WEBROOT: cfg.web_root = optarg; break;
		case O_NAME: cfg.name = optarg; break;
		case O_SIZE:
			parse_size("--size", optarg, &want_w, &want_h);
			break;
		case O_MAXSIZE:
			parse_size("--max-size", optarg, &sx.max_w, &sx.max_h);
			break;
		case O_NORESIZE: sx.resize = false; break;
		case O_NOSHM: no_shm = true; break;
		case O_LOG: sx.log_input = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "Try 'spice-x11 --help'.\n");
			return 2;
		}
	}
	if (optind < argc)
		tool_die("unexpected argument '%s' (see --help)", argv[optind]);
	password = tool_opt_check_auth(&cfg, pwfile, noticket);

	pixman_region32_init(&sx.dirty);
	x_open(&sx, no_shm);
	if (!cfg.name)
		cfg.name = sx.display_name;

	cfg.context = g_main_context_default();
	cfg.disable_ticketing = noticket;
	cfg.ops = &sx_ops;
	cfg.opaque = &sx;
	sx.core = spice_core_new(&cfg, &err);
	if (!sx.core)
		tool_die("%s", err->message);
	if (password) {
		spice_core_set_ticket(sx.core, password, 0);
		memset(password, 0, strlen(password));
		g_free(password);
	}
	spice_core_set_mouse_absolute(sx.core, true);
	spice_core_set_key_leds(sx.core, sx_x_leds(&sx));
	sx.display = spice_core_display_add(sx.core, 0);
	if (want_w)
		sx_randr_resize(&sx, want_w, want_h);
	follow_root_size(&sx);	/* DisplayWidth would wait for the event */
	if (!sx.fb)
		tool_die("cannot read the size of display %s", sx.display_name);
	update_cursor_shape(&sx);

	xsrc = (struct x_source *)g_source_new(&x_source_funcs,
					       sizeof(*xsrc));
	xsrc->sx = &sx;
	g_source_add_unix_fd(&xsrc->base, ConnectionNumber(sx.dpy),
			     G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_attach(&xsrc->base, NULL);

	if (spice_core_get_port(sx.core))
		printf("port %d\n", spice_core_get_port(sx.core));
	if (spice_core_get_tls_port(sx.core))
		printf("tls-port %d\n", spice_core_get_tls_port(sx.core));
	fflush(stdout);

	sx.loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGINT, on_signal, &sx);
	g_unix_signal_add(SIGTERM, on_signal, &sx);
	g_main_loop_run(sx.loop);

	spice_core_get_stats(sx.core, &st);
	printf("stats bytes_sent=%" PRIu64 " frames=%" PRIu64
	       " images_raw=%" PRIu64 " images_lz4=%" PRIu64
	       " images_quic=%" PRIu64 " images_lz=%" PRIu64
	       " copies=%" PRIu64 " unchanged=%" PRIu64 "\n",
	       st.bytes_sent, st.frames, st.images_raw, st.images_lz4,
	       st.images_quic, st.images_lz, st.copies, st.unchanged);
	fflush(stdout);
	g_source_destroy(&xsrc->base);
	g_source_unref(&xsrc->base);
	spice_core_free(sx.core);
	shm_free(&sx);
	XDamageDestroy(sx.dpy, sx.damage);
	XCloseDisplay(sx.dpy);
	pixman_region32_fini(&sx.dirty);
	g_free(sx.fb);
	g_main_loop_unref(sx.loop);
	return 0;
}
