// SPDX-License-Identifier: MIT
/* GLib sources: an fd watch that reports its ready condition, timers, and
 * dropping a source. */
#include "net/net.h"

struct fd_source {
	GSource src;
	gpointer tag;
	void (*cb)(void *data, GIOCondition cond);
	void *data;
};

static gboolean fd_source_dispatch(GSource *s, GSourceFunc unused,
				   gpointer unused2)
{
	struct fd_source *fs = (struct fd_source *)s;

	(void)unused;
	(void)unused2;
	g_source_set_ready_time(s, -1);
	fs->cb(fs->data, g_source_query_unix_fd(s, fs->tag));
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs fd_source_funcs = {
	.dispatch = fd_source_dispatch,
};

GSource *sc_fd_source_new(GMainContext *ctx, int fd, GIOCondition cond,
			  void (*cb)(void *data, GIOCondition cond),
			  void *data, gpointer *tag)
{
	GSource *s = g_source_new(&fd_source_funcs, sizeof(struct fd_source));
	struct fd_source *fs = (struct fd_source *)s;

	fs->cb = cb;
	fs->data = data;
	fs->tag = g_source_add_unix_fd(s, fd, cond);
	*tag = fs->tag;
	g_source_attach(s, ctx);
	return s;
}

GSource *sc_timer_new(GMainContext *ctx, unsigned int ms, GSourceFunc cb,
		      void *data)
{
	GSource *s = g_timeout_source_new(ms);

	g_source_set_callback(s, cb, data, NULL);
	g_source_attach(s, ctx);
	return s;
}

void sc_source_drop(GSource **s)
{
	if (!*s)
		return;
	g_source_destroy(*s);
	g_source_unref(*s);
	*s = NULL;
}
