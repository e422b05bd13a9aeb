// SPDX-License-Identifier: MIT
/* Sessions: a client's main channel and the channels that joined it by its
 * connection id; which links may have their channel; the ticket.  These
 * are the dispatcher's host ops (struct sc_channels_host).
 *
 * A second client (Documentation/spice-core.rst, "Several clients"): by
 * default clients share the display, at most max_clients sessions at once,
 * and one more main channel is refused; with config.exclusive a client
 * that authenticated ends every other session, as spice-server does. */
#include <errno.h>
#include <string.h>
#include <spice/enums.h>

#include "channels/agent.h"
#include "link/ticket.h"
#include "server/server.h"

static struct sc_session *session_by_id(SpiceCore *core, uint32_t id)
{
	GList *it;

	for (it = core->sessions; it; it = it->next) {
		struct sc_session *s = it->data;

		if (s->id == id)
			return s;
	}
	return NULL;
}

/* A session whose main channel is still up (a closed one ends when the
 * main channel is freed, on the next turn). */
static struct sc_session *session_find(SpiceCore *core, uint32_t id)
{
	struct sc_session *s = session_by_id(core, id);

	return s && !sc_stream_dead(s->main->st) ? s : NULL;
}

/* Sessions whose main channel is still up. */
static unsigned int live_sessions(SpiceCore *core)
{
	unsigned int n = 0;
	GList *it;

	for (it = core->sessions; it; it = it->next)
		n += !sc_stream_dead(((struct sc_session *)it->data)->main->st);
	return n;
}

static unsigned int max_clients(SpiceCore *core)
{
	return core->cfg.max_clients ? core->cfg.max_clients :
				       SC_DEFAULT_MAX_CLIENTS;
}

static void clients_changed(SpiceCore *core)
{
	unsigned int n = live_sessions(core);
	const struct spice_core_ops *ops = core->model.ops;

	g_mutex_lock(&core->lock);
	core->clients = n;
	g_mutex_unlock(&core->lock);
	if (ops->clients_changed)
		ops->clients_changed(core->model.opaque, n);
}

/* The host's channel_event for c: its peer ("host:port", "/tls" on the
 * TLS port, as the stream names it) taken apart. */
static void channel_event(SpiceCore *core, struct sc_conn *c, bool up)
{
	const struct spice_core_ops *ops = core->model.ops;
	struct spice_core_channel_info info = { 0 };
	char peer[sizeof(c->st->peer)];
	char *colon, *tls;
	size_t len;

	if (!ops->channel_event)
		return;
	g_strlcpy(peer, c->st->peer, sizeof(peer));
	if (!strcmp(peer, "unix")) {	/* listen.c: the unix socket */
		info.unix_socket = true;
		goto out;
	}
	tls = strstr(peer, "/tls");
	if (tls) {
		*tls = '\0';
		info.tls = true;
	}
	colon = strrchr(peer, ':');
	if (colon) {
		*colon = '\0';
		g_strlcpy(info.port, colon + 1, sizeof(info.port));
	}
	/* an IPv6 host comes bare (listen.c); brackets, if any, go */
	len = strlen(peer);
	if (len >= 2 && peer[0] == '[' && peer[len - 1] == ']') {
		peer[len - 1] = '\0';
		g_strlcpy(info.host, peer + 1, sizeof(info.host));
	} else {
		g_strlcpy(info.host, peer, sizeof(info.host));
	}
	info.ipv6 = strchr(info.host, ':') != NULL;
out:
	info.connection_id = c->session_id;
	info.channel_type = c->link.mess.channel_type;
	info.channel_id = c->link.mess.channel_id;
	ops->channel_event(core->model.opaque, &info, up);
}

static uint32_t check_session(SpiceCore *core, const struct sc_link_mess *l,
			      const char **why)
{
	struct sc_session *s;
	GList *it;

	if (l->channel_type == SPICE_CHANNEL_MAIN) {
		if (l->connection_id != 0 &&
		    session_find(core, l->connection_id)) {
			*why = "main channel for an existing session";
			return SPICE_LINK_ERR_BAD_CONNECTION_ID;
		}
		if (!core->cfg.exclusive &&
		    live_sessions(core) >= max_clients(core)) {
			*why = "too many clients";
			return SPICE_LINK_ERR_ERROR;
		}
		return SPICE_LINK_ERR_OK;
	}
	s = session_find(core, l->connection_id);
	if (!s) {
		*why = "connection id of no session";
		return SPICE_LINK_ERR_BAD_CONNECTION_ID;
	}
	for (it = s->conns; it; it = it->next) {
		struct sc_conn *o = it->data;

		if (!sc_stream_dead(o->st) &&
		    o->link.mess.channel_type == l->channel_type &&
		    o->link.mess.channel_id == l->channel_id) {
			*why = "channel already linked in this session";
			return SPICE_LINK_ERR_ERROR;
		}
	}
	return SPICE_LINK_ERR_OK;
}

static uint32_t host_check(void *opaque, struct sc_conn *c, const char **why)
{
	SpiceCore *core = opaque;
	const struct sc_link_mess *l = &c->link.mess;
	uint32_t secure_bit = l->channel_type < 32 ? 1u << l->channel_type : 0;

	if (core->cfg.secure_channels & secure_bit && !c->st->ssl) {
		*why = "channel must be on the TLS port";
		return SPICE_LINK_ERR_NEED_SECURED;
	}
	return check_session(core, l, why);
}

static bool host_ticket_ok(void *opaque, const char *password,
			   const char **why)
{
	SpiceCore *core = opaque;
	bool ok;

	if (core->cfg.disable_ticketing)
		return true;
	g_mutex_lock(&core->lock);
	if (!core->ticket_set || core->ticket[0] == '\0') {
		ok = false;
		*why = "no password set";
	} else if (core->ticket_expires &&
		   g_get_real_time() / G_USEC_PER_SEC >= core->ticket_expires) {
		ok = false;
		*why = "password expired";
	} else {
		ok = sc_ticket_equal(password, core->ticket);
		*why = "wrong password";
	}
	g_mutex_unlock(&core->lock);
	return ok;
}

/* Exclusive mode: the newcomer s ends every other session. */
static void replace_sessions(SpiceCore *core, struct sc_session *s)
{
	GList *it;

	for (it = core->sessions; it; it = it->next) {
		struct sc_session *o = it->data;

		if (o != s)
			sc_stream_close(o->main->st, "replaced by the client of "
					"session %08x", s->id);
	}
}

static bool host_attach(void *opaque, struct sc_conn *c, const char **why)
{
	SpiceCore *core = opaque;
	struct sc_session *s;

	if (c->link.mess.channel_type != SPICE_CHANNEL_MAIN) {
		s = session_find(core, c->link.mess.connection_id);
		if (!s) {
			*why = "its session ended";
			return false;
		}
		s->conns = g_list_prepend(s->conns, c);
	} else {
		/* Checked at link and after auth; checked again here, as
		 * others may have started since. */
		if (!core->cfg.exclusive &&
		    live_sessions(core) >= max_clients(core)) {
			*why = "too many clients";
			return false;
		}
		s = g_new0(struct sc_session, 1);
		/* A main channel linked with a connection id is a client
		 * coming from the migration source (semi-seamless): its
		 * session keeps that id, and its channels wait for the
		 * client's MIGRATE_END (Documentation/libvirt.rst). */
		if (c->link.mess.connection_id != 0 &&
		    !session_by_id(core, c->link.mess.connection_id)) {
			s->id = c->link.mess.connection_id;
			s->mig_in = true;
			g_message("session %08x: a migrating client linked; "
				  "its channels wait for its MIGRATE_END",
				  s->id);
		}
		while (s->id == 0 || (!s->mig_in && session_by_id(core, s->id)))
			s->id = g_random_int();
		s->core = core;
		s->main = c;
		core->sessions = g_list_prepend(core->sessions, s);
		if (core->cfg.exclusive)
			replace_sessions(core, s);
		clients_changed(core);
	}
	c->session = s;
	c->session_id = s->id;
	channel_event(core, c, true);
	return true;
}

/* The main channel went: every channel of the session goes with it. */
static void session_end(struct sc_session *s)
{
	SpiceCore *core = s->core;
	GList *it;

	/* A client leaving is not news: once, at debug level, with its
	 * address (its main channel's peer).  What went wrong, if anything,
	 * was said at the default level where it happened. */
	g_debug("%s: client gone, session %08x ended", s->main->st->peer,
		s->id);
	for (it = s->conns; it; it = it->next) {
		struct sc_conn *c = it->data;

		channel_event(core, c, false);
		c->session = NULL;
		sc_stream_end(c->st);
	}
	g_list_free(s->conns);
	core->sessions = g_list_remove(core->sessions, s);
	g_free(s);
	clients_changed(core);
}

static void host_detach(void *opaque, struct sc_conn *c)
{
	struct sc_session *s = c->session;

	if (!s)
		return;
	channel_event(opaque, c, false);
	c->session = NULL;
	if (s->main == c)
		session_end(s);
	else
		s->conns = g_list_remove(s->conns, c);
}

static bool host_may_start(void *opaque G_GNUC_UNUSED, struct sc_conn *c)
{
	struct sc_session *s = c->session;

	return !s || s->main == c || !s->mig_in;
}

static void host_migrated_in(void *opaque G_GNUC_UNUSED,
			     struct sc_conn *c)
{
	struct sc_session *s = c->session;
	GList *it, *held;

	if (!s || s->main != c || !s->mig_in)
		return;
	s->mig_in = false;
	if (s->seamless) {
		/* Each held channel starts from its own migration data. */
		g_message("session %08x: the migrating client switched to us "
			  "(seamless, main channel's data)", s->id);
		return;
	}
	g_message("session %08x: the migrating client switched to us "
		  "(MIGRATE_END): %u channel(s) start", s->id,
		  g_list_length(s->conns));
	/* A start may close a stream, not change the list: walk a copy. */
	held = g_list_copy(s->conns);
	for (it = held; it; it = it->next)
		sc_conn_unhold(it->data);
	g_list_free(held);
}

static bool host_held_reads(void *opaque G_GNUC_UNUSED, struct sc_conn *c)
{
	struct sc_session *s = c->session;

	return s && s->seamless;
}

static bool host_seamless_in(void *opaque G_GNUC_UNUSED, struct sc_conn *c)
{
	struct sc_session *s = c->session;

	if (!s || s->main != c || !s->mig_in)
		return false;
	s->seamless = true;
	return true;
}

static void host_migrate_out(void *opaque G_GNUC_UNUSED, struct sc_conn *c)
{
	struct sc_session *s = c->session;
	unsigned int n = 1;
	GList *it;

	if (!s || s->main != c)
		return;
	for (it = s->conns; it; it = it->next) {
		struct sc_conn *o = it->data;

		if (sc_conn_running(o)) {
			sc_conn_migrate_out(o);
			n++;
		}
	}
	sc_conn_migrate_out(c);
	g_message("session %08x: SPICE_MSG_MIGRATE sent on %u channel(s) "
		  "(seamless)", s->id, n);
}

const struct sc_channels_host sc_session_host = {
	.check = host_check,
	.ticket_ok = host_ticket_ok,
	.attach = host_attach,
	.detach = host_detach,
	.may_start = host_may_start,
	.migrated_in = host_migrated_in,
	.held_reads = host_held_reads,
	.seamless_in = host_seamless_in,
	.migrate_out = host_migrate_out,
};

void sc_sessions_close_all(SpiceCore *core)
{
	GList *it;

	for (it = core->sessions; it; it = it->next) {
		struct sc_session *s = it->data;
		GList *o;

		for (o = s->conns; o; o = o->next)
			sc_stream_end(((struct sc_conn *)o->data)->st);
		sc_stream_end(s->main->st);
	}
	sc_channels_close_all(&core->chs, "server shutting down");
}

/* Clipboard (server-side: the host's ops.clipboard_* callbacks) ---------------- */

/* The clipboard functions run on the server's context: the caller is on
 * it (inside a callback, or the host runs that context), or nobody is. */
static bool enter_context(SpiceCore *core, bool *acquired)
{
	*acquired = false;
	if (g_main_context_is_owner(core->ctx))
		return true;
	*acquired = g_main_context_acquire(core->ctx);
	return *acquired;
}

static void leave_context(SpiceCore *core, bool acquired)
{
	if (acquired)
		g_main_context_release(core->ctx);
}

static struct sc_agent *session_agent(SpiceCore *core, uint32_t client)
{
	struct sc_session *s = session_find(core, client);
	struct sc_agent *a = s ? sc_main_agent(s->main) : NULL;

	return a && sc_agent_clipboard_on(a) ? a : NULL;
}

static void clipboard_all(SpiceCore *core, bool grab, unsigned int selection,
			  const uint32_t *types, unsigned int n)
{
	bool acquired;
	GList *it;

	if (!enter_context(core, &acquired)) {
		g_warning("spice_core_clipboard_%s: not on the server's "
			  "context", grab ? "grab" : "release");
		return;
	}
	if (selection < SC_CLIP_SELECTIONS) {
		struct sc_clip_grab *g = &core->model.clip[selection];

		g->owned = grab;
		g->n = grab ? MIN(n, (unsigned int)SC_CLIP_TYPES) : 0;
		if (g->n)
			memcpy(g->types, types, g->n * sizeof(*types));
	}
	for (it = core->sessions; it; it = it->next) {
		struct sc_session *s = it->data;
		struct sc_agent *a = sc_main_agent(s->main);

		if (!a)
			continue;
		if (grab)
			sc_agent_clipboard_grab(a, selection, types, n);
		else
			sc_agent_clipboard_release(a, selection);
		sc_stream_flush(s->main->st);
	}
	leave_context(core, acquired);
}

void spice_core_clipboard_grab(SpiceCore *core, unsigned int selection,
			       const uint32_t *types, unsigned int n)
{
	clipboard_all(core, true, selection, types, n);
}

void spice_core_clipboard_release(SpiceCore *core, unsigned int selection)
{
	clipboard_all(core, false, selection, NULL, 0);
}

int spice_core_clipboard_request(SpiceCore *core, uint32_t client,
				 unsigned int selection, uint32_t type)
{
	struct sc_agent *a;
	bool acquired;

	if (!enter_context(core, &acquired))
		return -EAGAIN;
	a = session_agent(core, client);
	if (a) {
		sc_agent_clipboard_request(a, selection, type);
		sc_stream_flush(session_find(core, client)->main->st);
	}
	leave_context(core, acquired);
	return a ? 0 : -ENOENT;
}

int spice_core_clipboard_data(SpiceCore *core, uint32_t client,
			      unsigned int selection, uint32_t type,
			      const void *data, size_t size)
{
	struct sc_session *s;
	struct sc_agent *a;
	bool acquired;
	int rc = 0;

	if (size > SPICE_CORE_CLIPBOARD_MAX)
		return -EINVAL;
	if (!enter_context(core, &acquired))
		return -EAGAIN;
	a = session_agent(core, client);
	s = session_find(core, client);
	if (!a) {
		rc = -ENOENT;
	} else if (sc_main_agent_queued(s->main) + size >
		   SC_AGENT_OUT_MAX - 2 * SC_AGENT_MSG_MAX) {
		rc = -ENOSPC;
	} else {
		sc_agent_clipboard_data(a, selection, type, data, size);
		sc_stream_flush(s->main->st);
	}
	leave_context(core, acquired);
	return rc;
}
