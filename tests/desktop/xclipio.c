// SPDX-License-Identifier: MIT
/*
 * xclipio: the X CLIPBOARD from a shell, for desktop-agent
 * (tests/desktop/case_agent.py); the guest image has no xclip or xsel.
 *
 *   xclipio get [SECONDS]   print the CLIPBOARD as UTF8_STRING (exit 1 if
 *                           no owner answered within SECONDS, default 10)
 *   xclipio set TEXT        own the CLIPBOARD with TEXT (UTF8_STRING,
 *                           TARGETS) and serve it until another client
 *                           takes it or SIGTERM; forks into the background
 *                           once it owns the selection
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
static Atom a_clip, a_utf8, a_targets, a_prop;

static int get(double seconds)
{
	XEvent ev;
	fd_set fds;
	struct timeval tv;
	int fd = ConnectionNumber(dpy);
	double left = seconds;

	XConvertSelection(dpy, a_clip, a_utf8, a_prop, win, CurrentTime);
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
				if (data) {
					fwrite(data, 1, n, stdout);
					XFree(data);
				}
				return 0;
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

static int set(const char *text)
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
			Atom t[2] = { a_targets, a_utf8 };

			XChangeProperty(dpy, rq->requestor, reply.property,
					XA_ATOM, 32, PropModeReplace,
					(unsigned char *)t, 2);
		} else if (rq->target == a_utf8 || rq->target == XA_STRING) {
			XChangeProperty(dpy, rq->requestor, reply.property,
					rq->target, 8, PropModeReplace,
					(const unsigned char *)text,
					(int)strlen(text));
		} else {
			reply.property = None;
		}
		XSendEvent(dpy, rq->requestor, False, 0, (XEvent *)&reply);
		XFlush(dpy);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || (strcmp(argv[1], "get") && strcmp(argv[1], "set")) ||
	    (!strcmp(argv[1], "set") && argc < 3)) {
		fprintf(stderr, "usage: xclipio get [SECONDS] | "
			"xclipio set TEXT\n");
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
	if (!strcmp(argv[1], "get"))
		return get(argc > 2 ? atof(argv[2]) : 10);
	return set(argv[2]);
}
