// SPDX-License-Identifier: MIT
/*
 * migrate.c - SPICE client migration.  The host names the target server
 * (spice_core_migrate_target) and says when the clients may link there
 * (spice_core_migrate_begin): clients with the semi-seamless capability
 * get MIGRATE_BEGIN and link to the target beside their connection here,
 * then answer MIGRATE_CONNECTED.  Once the VM runs there
 * (spice_core_migrate_switch) those get MIGRATE_END and go on with the
 * target connection; the others get SWITCH_HOST and reconnect to the
 * target on their own.  A failed migration (spice_core_migrate_cancel)
 * sends MIGRATE_CANCEL to those that began.  With
 * config.seamless_migration, clients that can get MIGRATE_BEGIN_SEAMLESS
 * instead and, at the switch, each of their channels hands its state to
 * the target through the client (channels/channel.c, wire/migdata.h).
 * The per-client steps are the main channel's (channels/main.c); the
 * target's side, a session whose channels wait for the client's
 * MIGRATE_END or their migration data, is server/session.c.
 */
#include <errno.h>
#include <string.h>

#include "server/server.h"

#define SC_MIG_HOST_MAX		255
#define SC_MIG_SUBJECT_MAX	1024

/* 1..max bytes of printable ASCII; spaces only if spaces_ok. */
static bool printable(const char *s, size_t max, bool spaces_ok)
{
	size_t n = strnlen(s, max + 1), i;

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < (spaces_ok ? 0x20 : 0x21) || s[i] > 0x7e)
			return false;
	return true;
}

static bool port_ok(int port)
{
	return port >= -1 && port <= 65535;
}

int spice_core_migrate_target(SpiceCore *core, const char *host, int port,
			      int tls_port, const char *cert_subject,
			      const char **why)
{
	struct sc_model *m = &core->model;
	char *old_host, *old_subject;

	*why = NULL;
	if (host) {
		if (!printable(host, SC_MIG_HOST_MAX, false)) {
			*why = "hostname must be 1..255 printable characters "
			       "without spaces";
			return -EINVAL;
		}
		if (!port_ok(port) || !port_ok(tls_port)) {
			*why = "port and tls-port must be 0..65535";
			return -EINVAL;
		}
		if (port <= 0 && tls_port <= 0) {
			*why = "port or tls-port is needed";
			return -EINVAL;
		}
		if (cert_subject && !printable(cert_subject,
					       SC_MIG_SUBJECT_MAX, true)) {
			*why = "cert-subject must be 1..1024 printable "
			       "characters";
			return -EINVAL;
		}
	}
	g_mutex_lock(&m->lock);
	old_host = m->mig_host;
	old_subject = m->mig_subject;
	m->mig_host = g_strdup(host);
	m->mig_subject = host ? g_strdup(cert_subject) : NULL;
	m->mig_port = host && port > 0 ? (uint16_t)port : 0;
	m->mig_tls_port = host && tls_port > 0 ? (uint16_t)tls_port : 0;
	g_mutex_unlock(&m->lock);
	g_free(old_host);
	g_free(old_subject);
	return 0;
}

static gboolean begin_cb(gpointer data)
{
	sc_channels_notify(&((SpiceCore *)data)->chs, SC_EVENT_MIGRATE_BEGIN);
	return G_SOURCE_REMOVE;
}

/* The migration ended (switch or cancel): tell the clients, then forget
 * the target.  One allocation per call: the event rides with the core. */
struct end_call {
	SpiceCore *core;
	enum sc_event ev;
};

static gboolean end_cb(gpointer data)
{
	struct end_call *call = data;

	sc_channels_notify(&call->core->chs, call->ev);
	spice_core_migrate_target(call->core, NULL, 0, 0, NULL,
				  &(const char *){ NULL });
	return G_SOURCE_REMOVE;
}

static void migrate_end(SpiceCore *core, enum sc_event ev)
{
	struct end_call *call = g_new(struct end_call, 1);

	call->core = core;
	call->ev = ev;
	g_main_context_invoke_full(core->ctx, G_PRIORITY_DEFAULT, end_cb, call,
				   g_free);
}

int spice_core_migrate_begin(SpiceCore *core)
{
	bool set;

	g_mutex_lock(&core->model.lock);
	set = core->model.mig_host != NULL;
	g_mutex_unlock(&core->model.lock);
	if (!set)
		return -ENOENT;
	g_main_context_invoke(core->ctx, begin_cb, core);
	return 0;
}

void spice_core_migrate_cancel(SpiceCore *core)
{
	migrate_end(core, SC_EVENT_MIGRATE_CANCEL);
}

int spice_core_migrate_switch(SpiceCore *core)
{
	int n;

	g_mutex_lock(&core->model.lock);
	n = core->model.mig_host ? 0 : -ENOENT;
	g_mutex_unlock(&core->model.lock);
	if (n < 0)
		return n;
	g_mutex_lock(&core->lock);
	n = (int)core->clients;
	g_mutex_unlock(&core->lock);
	migrate_end(core, SC_EVENT_MIGRATE_SWITCH);
	return n;
}
