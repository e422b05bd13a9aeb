// SPDX-License-Identifier: MIT
/*
 * xclipio: the X CLIPBOARD and pointer from a shell, for desktop-agent
 * (tests/desktop/case_agent.py); the guest image has no xclip, xsel or
 * xdotool.
 *
 *   xclipio get [SECONDS [TARGET]]
 *                           write the CLIPBOARD converted to TARGET
 *                           (default UTF8_STRING; e.g. image/png, or
 *                           TARGETS: the offered targets' names, one a
 *                           line) to stdout, bytes as they come; exit 1 if
 *                           no owner answered within SECONDS (default 10)
 *                           or it refused TARGET
 *   xclipio set TEXT        own the CLIPBOARD with TEXT (UTF8_STRING,
 *                           TARGETS) and serve it until another client
 *                           takes it or SIGTERM; forks into the background
 *                           once it owns the selection
 *   xclipio put TARGET FILE the same with FILE's bytes as TARGET (at most
 *                           1 MiB, e.g. image/png)
 *   xclipio pointer         print the pointer's root position "X Y"
 *
 * Built on the host against libX11 (same Debian release as the guest).
 */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static Display *dpy;
static Window win;
static Atom a_clip, a_utf8, a_targets, a_prop, a_want;
static const unsigned char *serve_data;
static int serve_len;

/* The TARGETS reply: atom names, one a line. */
static void print_targets(const unsigned char *data, unsigned long n)
{
	const Atom *atoms = (const Atom *)data;
	unsigned long i;

	for (i = 0; i < n; i++) {
		char *name = atoms[i] ? XGetAtomName(dpy, atoms[i]) : NULL;

		if (name) {
			printf("%s\n", name);
			XFree(name);
		}
	}
}

static int get(double seconds)
{
	XEvent ev;
	fd_set fds;
	struct timeval tv;
	int fd = ConnectionNumber(dpy);
	double left = seconds;

	XConvertSelection(dpy, a_clip, a_want, a_prop, win, CurrentTime);
	XFlush(dpy);
	while (left > 0) {
		while (XPending(dpy)) {
			XNextEvent(dpy, &ev);
			if (ev.type == SelectionNotify) {
				Atom type;
				int format;
				unsigned long n, after;
				unsigned char *data = NULL;

				if (ev.xselection.property == None)
					return 1;
				XGetWindowProperty(dpy, win, a_prop, 0, 1 << 24,
						   True, AnyPropertyType, &type,
						   &format, &n, &after, &data);
				if (!data)
					return 1;
				if (a_want == a_targets && format == 32)
					print_targets(data, n);
				else if (format == 8)
					fwrite(data, 1, n, stdout);
				XFree(data);
				/* INCR transfers are not read: the tests' data
				 * fit one property. */
				return type == XInternAtom(dpy, "INCR", False);
			}
		}
		FD_ZERO(&fds);
		FD_SET(fd, &fds);
		tv.tv_sec = 0;
		tv.tv_usec = 100000;
		select(fd + 1, &fds, NULL, NULL, &tv);
		left -= 0.1;
	}
	return 1;
}

static int serve(void)
{
	XEvent ev;

	XSetSelectionOwner(dpy, a_clip, win, CurrentTime);
	if (XGetSelectionOwner(dpy, a_clip) != win)
		return 1;
	XFlush(dpy);
	if (fork() > 0)
		_exit(0);
	for (;;) {
		XSelectionRequestEvent *rq;
		XSelectionEvent reply;

		XNextEvent(dpy, &ev);
		if (ev.type == SelectionClear)
			return 0;
		if (ev.type != SelectionRequest)
			continue;
		rq = &ev.xselectionrequest;
		memset(&reply, 0, sizeof(reply));
		reply.type = SelectionNotify;
		reply.requestor = rq->requestor;
		reply.selection = rq->selection;
		reply.target = rq->target;
		reply.time = rq->time;
		reply.property = rq->property ? rq->property : rq->target;
		if (rq->target == a_targets) {
			Atom t[2] = { a_targets, a_want };

			XChangeProperty(dpy, rq->requestor, reply.property,
					XA_ATOM, 32, PropModeReplace,
					(unsigned char *)t, 2);
		} else if (rq->target == a_want ||
			   (a_want == a_utf8 && rq->target == XA_STRING)) {
			XChangeProperty(dpy, rq->requestor, reply.property,
					rq->target, 8, PropModeReplace,
					serve_data, serve_len);
		} else {
			reply.property = None;
		}
		XSendEvent(dpy, rq->requestor, False, 0, (XEvent *)&reply);
		XFlush(dpy);
	}
}

/* FILE's bytes, at most 1 MiB, into a static buffer. */
static int load(const char *path)
{
	static unsigned char buf[1 << 20];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	serve_data = buf;
	serve_len = (int)n;
	return 0;
}

static int pointer(void)
{
	Window root, child;
	int x, y, wx, wy;
	unsigned int mask;

	if (!XQueryPointer(dpy, DefaultRootWindow(dpy), &root, &child, &x, &y,
			   &wx, &wy, &mask))
		return 1;
	printf("%d %d\n", x, y);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: xclipio get [SECONDS [TARGET]] | "
		"xclipio set TEXT | xclipio put TARGET FILE | "
		"xclipio pointer\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!((!strcmp(cmd, "get") && argc <= 4) ||
	      (!strcmp(cmd, "set") && argc == 3) ||
	      (!strcmp(cmd, "put") && argc == 4) ||
	      (!strcmp(cmd, "pointer") && argc == 2))) {
		usage();
		return 2;
	}
	dpy = XOpenDisplay(NULL);
	if (!dpy) {
		fprintf(stderr, "xclipio: cannot open the display\n");
		return 1;
	}
	win = XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 1, 1, 0,
				  0, 0);
	a_clip = XInternAtom(dpy, "CLIPBOARD", False);
	a_utf8 = XInternAtom(dpy, "UTF8_STRING", False);
	a_targets = XInternAtom(dpy, "TARGETS", False);
	a_prop = XInternAtom(dpy, "XCLIPIO", False);
	a_want = a_utf8;
	if (!strcmp(cmd, "pointer"))
		return pointer();
	if (!strcmp(cmd, "get")) {
		if (argc > 3)
			a_want = XInternAtom(dpy, argv[3], False);
		return get(argc > 2 ? atof(argv[2]) : 10);
	}
	if (!strcmp(cmd, "set")) {
		serve_data = (const unsigned char *)argv[2];
		serve_len = (int)strlen(argv[2]);
	} else {
		a_want = XInternAtom(dpy, argv[2], False);
		if (load(argv[3]))
			return 1;
	}
	return serve();
}
