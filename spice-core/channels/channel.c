// SPDX-License-Identifier: MIT
/* The channel dispatcher: connections from accept to the data phase, each
 * message to its channel's ops (see channel.h). */
#include <stdlib.h>
#include <string.h>
#include <spice/protocol.h>

#include "channels/channel.h"

const struct sc_channel_ops *sc_channels_find(const struct sc_channels *chs,
					      uint8_t type)
{
	const struct sc_channel_ops *const *ops;

	for (ops = chs->registry; *ops; ops++)
		if ((*ops)->type == type)
			return *ops;
	return NULL;
}

/* Limits on what waits for the clients ------------------------------------------ */

/* A client that took none of its queued bytes for stall_ms goes: it
 * holds at most what the channels queue before they wait for it (a
 * display client SC_OUT_LIMIT and one update), and no longer than that. */
static void check_stalled(struct sc_conn *c, gint64 now)
{
	uint64_t sent = sc_stream_sent(c->st);
	size_t queued = sc_stream_queued(c->st);

	if (!queued || sent != c->sent_seen || !c->progress_at) {
		c->sent_seen = sent;
		c->progress_at = now;
		return;
	}
	if (now - c->progress_at > (gint64)c->chs->stall_ms * 1000)
		sc_stream_close(c->st, "client took nothing of %zu queued "
				"bytes for %u ms", queued, c->chs->stall_ms);
}

/* Over out_total_limit queued in all: the largest queue goes, until the
 * rest fits. */
static void check_total(struct sc_channels *chs)
{
	for (;;) {
		struct sc_conn *largest = NULL;
		size_t total = 0, most = 0;
		GList *it;

		for (it = chs->conns; it; it = it->next) {
			struct sc_conn *c = it->data;
			size_t q;

			if (sc_stream_dead(c->st))
				continue;
			q = sc_stream_queued(c->st);
			total += q;
			if (q > most) {
				most = q;
				largest = c;
			}
		}
		if (total <= chs->out_total_limit || !largest)
			return;
		sc_stream_close(largest->st, "%zu bytes queued for all "
				"clients, over %zu: dropping the largest queue "
				"(%zu bytes)", total, chs->out_total_limit,
				most);
	}
}

static unsigned long env_limit(const char *name, unsigned long dflt)
{
	const char *e = g_getenv(name);
	unsigned long v = e ? strtoul(e, NULL, 10) : 0;

	return v ? v : dflt;
}

/* Connections --------------------------------------------------------------------- */

static void pump(struct sc_conn *c)
{
	if (sc_conn_running(c) && c->ops->pump)
		c->ops->pump(c);
}

/* The client's MIGRATE_DATA, parsed into *d; false after dropping the
 * client for a bad one. */
static bool mig_parse(struct sc_conn *c, const struct sc_msg *m,
		      struct sc_mig_data *d)
{
	const char *why = NULL;

	if (sc_parse_mig_data(m->u.bytes.data, m->u.bytes.size, d, &why) < 0) {
		sc_stream_close(c->st, "%s", why);
		return false;
	}
	if (d->channel_type != c->link.mess.channel_type) {
		sc_stream_close(c->st, "migration data of channel type %u on "
				"a %s channel", d->channel_type, c->ops->name);
		return false;
	}
	return true;
}

/* Migration data for a running channel (main, which reads before the
 * rest starts). */
static void mig_running(struct sc_conn *c, const struct sc_msg *m)
{
	struct sc_mig_data d;

	if (!c->ops->mig_restore) {
		sc_stream_close(c->st, "unexpected migration data");
		return;
	}
	if (mig_parse(c, m, &d) && c->ops->mig_restore(c, &d) < 0)
		sc_stream_close(c->st, "migration data refused");
}

/* One data message; true once consumed. */
static bool data_input(struct sc_conn *c)
{
	struct sc_msg m;

	if (c->ops->held && c->ops->held(c))
		return false;
	if (sc_wire_recv(&c->wire, c->ops->parse, &m) <= 0)
		return false;
	if (m.kind == SC_MSG_ACK)
		pump(c);
	else if (m.kind == SC_MSG_MIGRATE_DATA)
		mig_running(c, &m);
	else if (!sc_msg_is_base(m.kind) && c->ops->handle &&
		 c->ops->handle(c, &m) < 0)
		sc_stream_close(c->st, "message type %u rejected", m.type);
	return !sc_stream_dead(c->st);
}

/* Seamless, at the source: the client's FLUSH_MARK says it read
 * everything before SPICE_MSG_MIGRATE and we read everything it sent
 * before: the state is final, send it.  The rest is not read any more
 * than it is answered. */
static bool mig_out_input(struct sc_conn *c)
{
	struct sc_mig_data d;
	struct sc_msg m;

	if (sc_wire_recv(&c->wire, c->ops->parse, &m) <= 0)
		return false;
	if (m.kind != SC_MSG_MIGRATE_FLUSH_MARK || c->mig_sent)
		return !sc_stream_dead(c->st);
	memset(&d, 0, sizeof(d));
	d.channel_type = c->link.mess.channel_type;
	if (c->ops->mig_save)
		c->ops->mig_save(c, &d);
	sc_mig_data_put(sc_msg_begin(&c->wire, SPICE_MSG_MIGRATE_DATA), &d);
	sc_msg_end(&c->wire);
	c->mig_sent = true;
	g_message("session %08x: %s channel %u: migration data sent",
		  c->session_id, c->ops->name, c->link.mess.channel_id);
	return !sc_stream_dead(c->st);
}

static bool vm_loading(struct sc_channels *chs)
{
	const struct spice_core_ops *ops = chs->model->ops;

	return ops->migration_loading &&
	       ops->migration_loading(chs->model->opaque);
}

static void mig_start(struct sc_conn *c, const struct sc_mig_data *d)
{
	g_message("session %08x: %s channel %u: migration data taken, it "
		  "goes on seamlessly", c->session_id, c->ops->name,
		  c->link.mess.channel_id);
	c->mig = d;
	sc_conn_unhold(c);
	c->mig = NULL;
}

/* How often parked migration data asks whether the VM's state has loaded.
 * The client's channels (display, inputs) stay still until then; asking
 * is only a read of the run state, so ask often. */
#define MIG_PARKED_POLL_MS 10

/* Parked migration data, while the VM's state loads: the channels start
 * once it is loaded (a display would otherwise be judged by the picture
 * the target had before). */
static gboolean mig_parked_tick(gpointer data)
{
	struct sc_channels *chs = data;
	GList *it;

	if (vm_loading(chs))
		return G_SOURCE_CONTINUE;
	for (it = chs->conns; it; it = it->next) {
		struct sc_conn *c = it->data;
		struct sc_mig_data *d = c->mig_parked;

		if (!d)
			continue;
		c->mig_parked = NULL;
		if (c->phase == SC_CONN_HELD && !sc_stream_dead(c->st))
			mig_start(c, d);
		g_free(d);
	}
	g_source_unref(chs->mig_timer);
	chs->mig_timer = NULL;
	return G_SOURCE_REMOVE;
}

/* Seamless, at the target: a held channel waits for its migration data
 * (the first thing the client sends on it), then starts from it. */
static bool held_input(struct sc_conn *c)
{
	struct sc_mig_data d;
	struct sc_msg m;

	if (sc_wire_recv(&c->wire, c->ops->parse, &m) <= 0)
		return false;
	if (m.kind != SC_MSG_MIGRATE_DATA) {
		sc_stream_close(c->st, "message type %u before the migration "
				"data", m.type);
		return false;
	}
	if (!mig_parse(c, &m, &d))
		return false;
	if (c->mig_parked) {
		sc_stream_close(c->st, "second migration data");
		return false;
	}
	if (vm_loading(c->chs)) {
		c->mig_parked = g_memdup2(&d, sizeof(d));
		if (!c->chs->mig_timer)
			c->chs->mig_timer = sc_timer_new(c->chs->ctx,
							 MIG_PARKED_POLL_MS,
							 mig_parked_tick,
							 c->chs);
		g_message("session %08x: %s channel %u: migration data "
			  "waits for the VM's state", c->session_id,
			  c->ops->name, c->link.mess.channel_id);
		return true;
	}
	mig_start(c, &d);
	return !sc_stream_dead(c->st);
}

static bool held_reads(struct sc_conn *c)
{
	struct sc_channels *chs = c->chs;

	return chs->host->held_reads &&
	       chs->host->held_reads(chs->host_opaque, c);
}

static void conn_input(void *opaque)
{
	struct sc_conn *c = opaque;
	bool progress = true;

	while (progress && !sc_stream_dead(c->st)) {
		if (c->phase == SC_CONN_LINKING)
			progress = sc_link_input(&c->link);
		else if (c->phase == SC_CONN_RUNNING)
			progress = data_input(c);
		else if (c->phase == SC_CONN_MIG_OUT)
			progress = mig_out_input(c);
		else if (c->phase == SC_CONN_HELD && held_reads(c))
			progress = held_input(c);
		else
			progress = false;	/* waits for the start */
	}
	/* Replies to what it sent count towards the limits too. */
	sc_stream_flush(c->st);
	check_total(c->chs);
}

static void start(struct sc_conn *c)
{
	struct sc_channels *chs = c->chs;
	const char *why = "refused";

	if (!chs->host->attach(chs->host_opaque, c, &why)) {
		sc_stream_close(c->st, "%s", why);
		return;
	}
	if (chs->host->may_start &&
	    !chs->host->may_start(chs->host_opaque, c)) {
		c->phase = SC_CONN_HELD;	/* its input stays unread */
		return;
	}
	c->phase = SC_CONN_RUNNING;
	if (c->ops->start)
		c->ops->start(c);
	if (!sc_stream_dead(c->st))
		sc_link_data_started(&c->link, &c->wire);
}

void sc_conn_unhold(struct sc_conn *c)
{
	if (c->phase != SC_CONN_HELD || sc_stream_dead(c->st))
		return;
	c->phase = SC_CONN_RUNNING;
	if (c->ops->start)
		c->ops->start(c);
	if (sc_stream_dead(c->st))
		return;
	sc_link_data_started(&c->link, &c->wire);
	sc_stream_flush(c->st);
	sc_stream_call_soon(c->st);	/* read what it sent meanwhile */
}

void sc_conn_migrate_out(struct sc_conn *c)
{
	if (!sc_conn_running(c))
		return;
	sc_buf_u32(sc_msg_begin(&c->wire, SPICE_MSG_MIGRATE),
		   SPICE_MIGRATE_NEED_FLUSH | SPICE_MIGRATE_NEED_DATA_TRANSFER);
	sc_msg_end(&c->wire);
	c->phase = SC_CONN_MIG_OUT;
	sc_stream_flush(c->st);
	sc_stream_call_soon(c->st);	/* a FLUSH_MARK may be in already */
}

static void conn_writable(void *opaque)
{
	pump(opaque);
}

/* The link result went out on its own: start, then read what the client
 * sent meanwhile. */
static void conn_soon(void *opaque)
{
	struct sc_conn *c = opaque;

	if (c->phase == SC_CONN_RUNNING || c->phase == SC_CONN_MIG_OUT ||
	    c->phase == SC_CONN_HELD) {
		conn_input(c);		/* sc_conn_resume */
		return;
	}
	if (c->phase != SC_CONN_LINKED)
		return;
	if (sc_stream_queued(c->st)) {
		sc_stream_call_soon(c->st);
		return;
	}
	start(c);
	conn_input(c);
}

void sc_conn_resume(struct sc_conn *c)
{
	if (!sc_stream_dead(c->st))
		sc_stream_call_soon(c->st);
}

static void conn_release(void *opaque)
{
	struct sc_conn *c = opaque;
	struct sc_channels *chs = c->chs;

	if (c->phase == SC_CONN_LINKING)
		chs->n_linking--;
	if ((c->phase == SC_CONN_RUNNING || c->phase == SC_CONN_MIG_OUT) &&
	    c->ops->close)
		c->ops->close(c);
	g_free(c->priv);
	g_free(c->mig_parked);
	chs->host->detach(chs->host_opaque, c);
	sc_link_fini(&c->link);
	chs->conns = g_list_remove(chs->conns, c);
	g_free(c);
}

static const struct sc_stream_ops conn_stream_ops = {
	.input = conn_input,
	.writable = conn_writable,
	.soon = conn_soon,
	.release = conn_release,
};

/* Link ------------------------------------------------------------------------ */

static uint32_t conn_check(void *opaque, const struct sc_link_mess *l,
			   uint32_t *caps, const char **why)
{
	struct sc_conn *c = opaque;
	struct sc_channels *chs = c->chs;
	const struct sc_channel_ops *ops = sc_channels_find(chs,
							    l->channel_type);

	if (!ops || !ops->exists(chs, l->channel_id)) {
		*why = "no such channel";
		return SPICE_LINK_ERR_CHANNEL_NOT_AVAILABLE;
	}
	c->ops = ops;
	*caps = ops->caps;
	return chs->host->check(chs->host_opaque, c, why);
}

static bool conn_ticket_ok(void *opaque, const char *password,
			   const char **why)
{
	struct sc_channels *chs = ((struct sc_conn *)opaque)->chs;

	return chs->host->ticket_ok(chs->host_opaque, password, why);
}

static void conn_linked(void *opaque)
{
	struct sc_conn *c = opaque;

	c->chs->n_linking--;
	c->phase = SC_CONN_LINKED;
	sc_wire_init(&c->wire, c->st, c->link.mini);
	if (!sc_stream_in_records(c->st)) {
		start(c);
		return;
	}
	/* spice-gtk reads the 4-byte result, then waits for the socket to
	 * become readable: channel data sharing the result's TLS record or
	 * SASL packet would sit unseen in its buffer.  Send the result in a
	 * record / packet of its own and the channel's first messages after
	 * it. */
	sc_stream_flush(c->st);
	sc_stream_call_soon(c->st);
}

static const struct sc_link_ops conn_link_ops = {
	.check = conn_check,
	.ticket_ok = conn_ticket_ok,
	.linked = conn_linked,
};

/* Net ----------------------------------------------------------------------------- */

static bool net_admit(void *opaque, const char **why)
{
	struct sc_channels *chs = opaque;

	*why = "too many connections";
	return chs->n_linking < SC_MAX_LINKING;
}

static void net_accepted(void *opaque, struct sc_stream *st)
{
	struct sc_channels *chs = opaque;
	struct sc_conn *c = g_new0(struct sc_conn, 1);

	c->chs = chs;
	c->st = st;
	c->phase = SC_CONN_LINKING;
	chs->n_linking++;
	chs->conns = g_list_prepend(chs->conns, c);
	sc_stream_set_ops(st, &conn_stream_ops, c);
	sc_link_init(&c->link, st, chs->ctx, &chs->link_cfg, &conn_link_ops,
		     c);
}

const struct sc_net_ops sc_channels_net_ops = {
	.admit = net_admit,
	.accepted = net_accepted,
};

/* The dispatcher ----------------------------------------------------------------- */

void sc_channels_init(struct sc_channels *chs, GMainContext *ctx,
		      const struct sc_channel_ops *const *registry,
		      const struct sc_channels_host *host, void *host_opaque,
		      struct sc_model *model,
		      const struct sc_link_config *link_cfg)
{
	chs->ctx = ctx;
	chs->registry = registry;
	chs->host = host;
	chs->host_opaque = host_opaque;
	chs->model = model;
	chs->link_cfg = *link_cfg;
	chs->conns = NULL;
	chs->n_linking = 0;
	chs->mig_timer = NULL;
	chs->stall_ms = (unsigned int)MIN(env_limit(
		"SPICE_CORE_STALL_TIMEOUT_MS", SC_STALL_TIMEOUT_MS), 3600000ul);
	chs->out_total_limit = env_limit("SPICE_CORE_OUT_TOTAL_LIMIT",
					 SC_OUT_TOTAL_LIMIT);
}

/* Closing never frees a connection before the next turn, so walking the
 * list while channels run is safe. */
void sc_channels_deliver(struct sc_channels *chs)
{
	struct sc_changes ch;
	GList *it;

	gint64 now = g_get_monotonic_time();

	sc_model_take_changes(chs->model, &ch);
	for (it = chs->conns; it; it = it->next) {
		struct sc_conn *c = it->data;

		if (!sc_conn_running(c))
			continue;
		if (c->ops->changed)
			c->ops->changed(c, &ch);
		pump(c);
		sc_stream_flush(c->st);
		if (!sc_stream_dead(c->st))
			check_stalled(c, now);
	}
	sc_changes_fini(&ch);
	check_total(chs);
}

void sc_channels_notify(struct sc_channels *chs, enum sc_event ev)
{
	GList *it;

	for (it = chs->conns; it; it = it->next) {
		struct sc_conn *c = it->data;

		if (!sc_conn_running(c) || !c->ops->notify)
			continue;
		c->ops->notify(c, ev);
		sc_stream_flush(c->st);
	}
	check_total(chs);
}

void sc_channels_close_all(struct sc_channels *chs, const char *why)
{
	GList *it;

	sc_source_drop(&chs->mig_timer);

	for (it = chs->conns; it; it = it->next)
		sc_stream_close(((struct sc_conn *)it->data)->st, "%s", why);
}

struct SpiceCoreDisplay *sc_conn_lock_display(struct sc_conn *c)
{
	struct SpiceCoreDisplay *d =
		sc_model_lock_display(c->chs->model, c->link.mess.channel_id);

	if (!d)
		sc_stream_close(c->st, "display source removed");
	return d;
}

bool sc_exists_once(struct sc_channels *chs, uint8_t id)
{
	(void)chs;
	return id == 0;
}

bool sc_exists_per_display(struct sc_channels *chs, uint8_t id)
{
	return sc_model_has_display(chs->model, id);
}
