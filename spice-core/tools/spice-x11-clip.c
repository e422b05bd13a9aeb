// SPDX-License-Identifier: MIT
/*
 * spice-x11: the clipboard both ways between the SPICE clients and the X
 * selections CLIPBOARD and PRIMARY, through spice-core's server-side
 * clipboard (ops.clipboard_*, spice_core_clipboard_*): no vdagent.
 *
 * Client to X: a client's GRAB with UTF-8 text makes our unmapped window
 * the selection's owner; an X client's SelectionRequest (UTF8_STRING,
 * STRING, TEXT) waits while the owning client is asked for its text, then
 * gets it as a property of its window; TARGETS is answered at once.
 *
 * X to client: XFixes tells us when another X client takes a selection;
 * every client gets a GRAB of UTF-8 text.  A client's REQUEST becomes an
 * XConvertSelection to UTF8_STRING; the property's bytes go back to every
 * client that asked.  INCR transfers (text over the X server's request
 * size) are not done: the answer is empty.
 *
 * Every wait has a time limit (SX_CLIP_TIMEOUT_MS); the client's sizes are
 * spice-core's business (at most SPICE_CORE_CLIPBOARD_MAX bytes).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xfixes.h>
#include <spice/vd_agent.h>
#include <spice-core/spice-core.h>

#include "tools/spice-x11.h"

static struct sx_selection *sel_of(struct sx *sx, unsigned int selection)
{
	return selection < SX_SELECTIONS ? &sx->sel[selection] : NULL;
}

static struct sx_selection *sel_by_atom(struct sx *sx, Atom a,
					unsigned int *idx)
{
	unsigned int i;

	for (i = 0; i < SX_SELECTIONS; i++) {
		if (sx->sel[i].atom == a) {
			if (idx)
				*idx = i;
			return &sx->sel[i];
		}
	}
	return NULL;
}

void sx_clip_init(struct sx *sx)
{
	unsigned int i;

	sx->clip_win = XCreateSimpleWindow(sx->dpy, sx->root, -10, -10, 1, 1,
					   0, 0, 0);
	XSelectInput(sx->dpy, sx->clip_win, PropertyChangeMask);
	sx->a_targets = XInternAtom(sx->dpy, "TARGETS", False);
	sx->a_utf8 = XInternAtom(sx->dpy, "UTF8_STRING", False);
	sx->a_text = XInternAtom(sx->dpy, "TEXT", False);
	sx->a_incr = XInternAtom(sx->dpy, "INCR", False);
	sx->a_prop = XInternAtom(sx->dpy, "SPICE_X11_SELECTION", False);
	sx->sel[0].atom = XInternAtom(sx->dpy, "CLIPBOARD", False);
	sx->sel[1].atom = XA_PRIMARY;
	for (i = 0; i < SX_SELECTIONS; i++) {
		sx->sel[i].sx = sx;
		sx->sel[i].waiting = g_array_new(FALSE, FALSE,
						 sizeof(XSelectionRequestEvent));
		sx->sel[i].readers = g_array_new(FALSE, FALSE,
						 sizeof(uint32_t));
		XFixesSelectSelectionInput(sx->dpy, sx->root, sx->sel[i].atom,
					   XFixesSetSelectionOwnerNotifyMask |
					   XFixesSelectionWindowDestroyNotifyMask |
					   XFixesSelectionClientCloseNotifyMask);
	}
}

static void log_clip(struct sx *sx, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void log_clip(struct sx *sx, const char *fmt, ...)
{
	va_list ap;

	if (!sx->log_input)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Client to X --------------------------------------------------------------- */

/* Tell X client `req` its conversion failed (None) or is in `prop`. */
static void notify_requestor(struct sx *sx, const XSelectionRequestEvent *req,
			     Atom prop)
{
	XEvent ev;

	memset(&ev, 0, sizeof(ev));
	ev.xselection.type = SelectionNotify;
	ev.xselection.display = sx->dpy;
	ev.xselection.requestor = req->requestor;
	ev.xselection.selection = req->selection;
	ev.xselection.target = req->target;
	ev.xselection.property = prop;
	ev.xselection.time = req->time;
	XSendEvent(sx->dpy, req->requestor, False, NoEventMask, &ev);
}

/* The property an X client wants its answer in (obsolete clients: the
 * target's name). */
static Atom req_prop(const XSelectionRequestEvent *req)
{
	return req->property != None ? req->property : req->target;
}

/* The largest property we write in one request (no INCR). */
static size_t max_prop_bytes(struct sx *sx)
{
	long units = XExtendedMaxRequestSize(sx->dpy);

	if (units <= 0)
		units = XMaxRequestSize(sx->dpy);
	return (size_t)units * 4 > 4096 ? (size_t)units * 4 - 4096 : 0;
}

/* UTF-8 to Latin-1 for STRING: characters it lacks become '?'. */
static char *to_latin1(const uint8_t *data, size_t size, gsize *out_len)
{
	char *s = g_convert_with_fallback((const char *)data, (gssize)size,
					  "ISO-8859-1", "UTF-8", "?", NULL,
					  out_len, NULL);

	if (!s) {
		*out_len = 0;
		s = g_strdup("");
	}
	return s;
}

/* Answer X client `req` with the owning client's text (NULL: refuse). */
static void answer_requestor(struct sx *sx, const XSelectionRequestEvent *req,
			     const uint8_t *data, size_t size)
{
	Atom prop = req_prop(req);

	if (!data || size > max_prop_bytes(sx)) {
		notify_requestor(sx, req, None);
		return;
	}
	if (req->target == XA_STRING) {
		gsize n;
		char *l1 = to_latin1(data, size, &n);

		XChangeProperty(sx->dpy, req->requestor, prop, XA_STRING, 8,
				PropModeReplace, (unsigned char *)l1, (int)n);
		g_free(l1);
	} else {
		XChangeProperty(sx->dpy, req->requestor, prop, sx->a_utf8, 8,
				PropModeReplace, data, (int)size);
	}
	notify_requestor(sx, req, prop);
}

/* Every X client waiting on `s` gets data (NULL: refused). */
static void answer_waiting(struct sx *sx, struct sx_selection *s,
			   const uint8_t *data, size_t size)
{
	guint i;

	for (i = 0; i < s->waiting->len; i++)
		answer_requestor(sx, &g_array_index(s->waiting,
						    XSelectionRequestEvent, i),
				 data, size);
	g_array_set_size(s->waiting, 0);
	s->asked = false;
	if (s->timeout_id)
		g_source_remove(s->timeout_id);
	s->timeout_id = 0;
	XFlush(sx->dpy);
}

static gboolean waiting_timeout(gpointer data)
{
	struct sx_selection *s = data;
	struct sx *sx = s->sx;

	s->timeout_id = 0;
	fprintf(stderr, "spice-x11: client %08x did not send its clipboard "
		"in %d ms\n", s->client, SX_CLIP_TIMEOUT_MS);
	answer_waiting(sx, s, NULL, 0);
	return G_SOURCE_REMOVE;
}

/* X no longer has our window as `s`'s owner, or the client let go. */
static void drop_client_owner(struct sx *sx, struct sx_selection *s)
{
	s->client = 0;
	answer_waiting(sx, s, NULL, 0);
}

static void on_selection_request(struct sx *sx, XSelectionRequestEvent *req)
{
	unsigned int idx;
	struct sx_selection *s = sel_by_atom(sx, req->selection, &idx);

	if (!s || !s->client || req->owner != sx->clip_win) {
		notify_requestor(sx, req, None);
		return;
	}
	if (req->target == sx->a_targets) {
		Atom t[4] = { sx->a_targets, sx->a_utf8, XA_STRING, sx->a_text };

		XChangeProperty(sx->dpy, req->requestor, req_prop(req), XA_ATOM,
				32, PropModeReplace, (unsigned char *)t, 4);
		notify_requestor(sx, req, req_prop(req));
		return;
	}
	if ((req->target != sx->a_utf8 && req->target != XA_STRING &&
	     req->target != sx->a_text) ||
	    s->waiting->len >= SX_CLIP_WAITING_MAX) {
		notify_requestor(sx, req, None);
		return;
	}
	g_array_append_val(s->waiting, *req);
	if (s->asked)
		return;
	if (spice_core_clipboard_request(sx->core, s->client, idx,
					 VD_AGENT_CLIPBOARD_UTF8_TEXT) < 0) {
		drop_client_owner(sx, s);
		XSetSelectionOwner(sx->dpy, s->atom, None, CurrentTime);
		return;
	}
	log_clip(sx, "clip-request-client %u", idx);
	s->asked = true;
	s->timeout_id = g_timeout_add(SX_CLIP_TIMEOUT_MS, waiting_timeout, s);
}

void sx_clip_grab(void *o, uint32_t client, unsigned int selection,
		  const uint32_t *types, unsigned int n)
{
	struct sx *sx = o;
	struct sx_selection *s = sel_of(sx, selection);
	bool text = false;
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		text |= types[i] == VD_AGENT_CLIPBOARD_UTF8_TEXT;
	log_clip(sx, "clip-grab-client %u text %d", selection, text);
	answer_waiting(sx, s, NULL, 0);	/* for the previous owner's text */
	s->x_owned = false;
	if (!text) {
		/* Something X cannot take: X's selection goes empty. */
		if (s->client)
			XSetSelectionOwner(sx->dpy, s->atom, None,
					   CurrentTime);
		s->client = 0;
		XFlush(sx->dpy);
		return;
	}
	s->client = client;
	XSetSelectionOwner(sx->dpy, s->atom, sx->clip_win, CurrentTime);
	if (XGetSelectionOwner(sx->dpy, s->atom) != sx->clip_win)
		s->client = 0;
	XFlush(sx->dpy);
}

void sx_clip_data(void *o, uint32_t client, unsigned int selection,
		  uint32_t type, const uint8_t *data, size_t size)
{
	struct sx *sx = o;
	struct sx_selection *s = sel_of(sx, selection);

	if (!s || client != s->client || !s->asked)
		return;		/* not asked for, or too late */
	log_clip(sx, "clip-data-client %u %zu bytes", selection, size);
	if (type != VD_AGENT_CLIPBOARD_UTF8_TEXT || !data)
		answer_waiting(sx, s, NULL, 0);
	else
		answer_waiting(sx, s, data, size);
}

void sx_clip_release(void *o, uint32_t client, unsigned int selection)
{
	struct sx *sx = o;
	struct sx_selection *s = sel_of(sx, selection);

	if (!s || client != s->client)
		return;
	log_clip(sx, "clip-release-client %u", selection);
	drop_client_owner(sx, s);
	if (XGetSelectionOwner(sx->dpy, s->atom) == sx->clip_win)
		XSetSelectionOwner(sx->dpy, s->atom, None, CurrentTime);
	XFlush(sx->dpy);
}

/* X to client --------------------------------------------------------------- */

/* Every client waiting for X's `s` gets data (NULL: empty). */
static void answer_readers(struct sx *sx, struct sx_selection *s,
			   unsigned int idx, const uint8_t *data, size_t size)
{
	guint i;

	for (i = 0; i < s->readers->len; i++)
		spice_core_clipboard_data(sx->core,
					  g_array_index(s->readers, uint32_t, i),
					  idx, VD_AGENT_CLIPBOARD_UTF8_TEXT,
					  data, data ? size : 0);
	g_array_set_size(s->readers, 0);
	s->converting = false;
	if (s->convert_timeout_id)
		g_source_remove(s->convert_timeout_id);
	s->convert_timeout_id = 0;
}

static gboolean convert_timeout(gpointer data)
{
	struct sx_selection *s = data;
	struct sx *sx = s->sx;

	s->convert_timeout_id = 0;
	fprintf(stderr, "spice-x11: the X owner of a selection did not "
		"answer in %d ms\n", SX_CLIP_TIMEOUT_MS);
	answer_readers(sx, s, (unsigned int)(s - sx->sel), NULL, 0);
	return G_SOURCE_REMOVE;
}

void sx_clip_request(void *o, uint32_t client, unsigned int selection,
		     uint32_t type)
{
	struct sx *sx = o;
	struct sx_selection *s = sel_of(sx, selection);
	guint i;

	if (!s || type != VD_AGENT_CLIPBOARD_UTF8_TEXT || !s->x_owned ||
	    XGetSelectionOwner(sx->dpy, s->atom) == None) {
		spice_core_clipboard_data(sx->core, client, selection, type,
					  NULL, 0);
		return;
	}
	log_clip(sx, "clip-request-x %u", selection);
	for (i = 0; i < s->readers->len; i++)
		if (g_array_index(s->readers, uint32_t, i) == client)
			break;
	if (i == s->readers->len)
		g_array_append_val(s->readers, client);
	if (s->converting)
		return;
	XDeleteProperty(sx->dpy, sx->clip_win, sx->a_prop);
	XConvertSelection(sx->dpy, s->atom, sx->a_utf8, sx->a_prop,
			  sx->clip_win, CurrentTime);
	XFlush(sx->dpy);
	s->converting = true;
	s->convert_timeout_id = g_timeout_add(SX_CLIP_TIMEOUT_MS,
					      convert_timeout, s);
}

static void on_selection_notify(struct sx *sx, XSelectionEvent *ev)
{
	unsigned int idx;
	struct sx_selection *s = sel_by_atom(sx, ev->selection, &idx);
	unsigned char *prop = NULL;
	unsigned long n = 0, after = 0;
	Atom type = None;
	int format = 0;

	if (!s || !s->converting)
		return;
	if (ev->property == None ||
	    XGetWindowProperty(sx->dpy, sx->clip_win, sx->a_prop, 0,
			       (long)(SPICE_CORE_CLIPBOARD_MAX / 4), True,
			       AnyPropertyType, &type, &format, &n, &after,
			       &prop) != Success) {
		answer_readers(sx, s, idx, NULL, 0);
		return;
	}
	if (type == sx->a_incr || format != 8 || after) {
		fprintf(stderr, "spice-x11: selection not taken (%s)\n",
			type == sx->a_incr ? "INCR transfer" :
			after ? "over the clipboard limit" :
				"not 8-bit text");
		answer_readers(sx, s, idx, NULL, 0);
	} else {
		log_clip(sx, "clip-data-x %u %lu bytes", idx, n);
		answer_readers(sx, s, idx, prop, n);
	}
	if (prop)
		XFree(prop);
}

/* XFixes: a selection's owner changed. */
static void on_owner_change(struct sx *sx, XFixesSelectionNotifyEvent *ev)
{
	unsigned int idx;
	struct sx_selection *s = sel_by_atom(sx, ev->selection, &idx);
	uint32_t utf8 = VD_AGENT_CLIPBOARD_UTF8_TEXT;

	if (!s || ev->owner == sx->clip_win)
		return;		/* ours: a client's grab */
	/* Events are read late: one telling of an owner from before a
	 * client's grab (the previous X owner going away) must not undo
	 * that grab.  While X says we own it, the event is such a one. */
	if (s->client && XGetSelectionOwner(sx->dpy, s->atom) == sx->clip_win)
		return;
	if (s->client)
		drop_client_owner(sx, s);
	if (ev->owner == None) {
		if (s->x_owned)
			spice_core_clipboard_release(sx->core, idx);
		s->x_owned = false;
		log_clip(sx, "clip-release-x %u", idx);
		return;
	}
	s->x_owned = true;
	log_clip(sx, "clip-grab-x %u", idx);
	spice_core_clipboard_grab(sx->core, idx, &utf8, 1);
}

bool sx_clip_event(struct sx *sx, XEvent *ev)
{
	switch (ev->type) {
	case SelectionRequest:
		on_selection_request(sx, &ev->xselectionrequest);
		return true;
	case SelectionNotify:
		on_selection_notify(sx, &ev->xselection);
		return true;
	case SelectionClear: {
		struct sx_selection *s = sel_by_atom(sx,
						     ev->xselectionclear.selection,
						     NULL);

		if (s && s->client)
			drop_client_owner(sx, s);
		return true;
	}
	case PropertyNotify:
		return ev->xproperty.window == sx->clip_win;
	default:
		if (ev->type == sx->fixes_event + XFixesSelectionNotify) {
			on_owner_change(sx, (XFixesSelectionNotifyEvent *)ev);
			return true;
		}
		return false;
	}
}

/* A client came: selections X clients took before it are spice-core's
 * grabs (told to clients as their agent caps arrive).  The last client
 * left: X's selections no longer have a client behind them. */
void sx_clip_clients(struct sx *sx, unsigned int n)
{
	uint32_t utf8 = VD_AGENT_CLIPBOARD_UTF8_TEXT;
	unsigned int i;

	if (n) {
		for (i = 0; i < SX_SELECTIONS; i++) {
			struct sx_selection *s = &sx->sel[i];
			Window w = XGetSelectionOwner(sx->dpy, s->atom);

			if (s->x_owned || w == None || w == sx->clip_win)
				continue;
			s->x_owned = true;
			spice_core_clipboard_grab(sx->core, i, &utf8, 1);
		}
		return;
	}
	for (i = 0; i < SX_SELECTIONS; i++) {
		struct sx_selection *s = &sx->sel[i];

		g_array_set_size(s->readers, 0);
		if (s->client) {
			drop_client_owner(sx, s);
			if (XGetSelectionOwner(sx->dpy, s->atom) ==
			    sx->clip_win)
				XSetSelectionOwner(sx->dpy, s->atom, None,
						   CurrentTime);
		}
	}
	XFlush(sx->dpy);
}
