// SPDX-License-Identifier: MIT
/* The server object: configuration, the layers it owns and wires together,
 * the channels it serves, the wake-up that carries display-source changes
 * from any thread to the server's, the ticket, mouse, LEDs and stats. */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>

#include "channels/channels.h"
#include "link/link.h"
#include "channels/agentdev.h"
#include "channels/vmc.h"
#include "server/server.h"

/* The channels served, in CHANNELS_LIST order after main.  A new channel
 * is a file in channels/ and a line here. */
static const struct sc_channel_ops *const channels[] = {
	&sc_main_channel,
	&sc_display_channel,
	&sc_inputs_channel,
	&sc_cursor_channel,
	&sc_playback_channel,
	&sc_record_channel,
	&sc_usbredir_channel,
	&sc_port_channel,
	&sc_webdav_channel,
	&sc_smartcard_channel,
	NULL,
};

/* Wake source: dispatches when another thread changed display state. */
struct wake_source {
	GSource src;
	SpiceCore *core;
	gint pending;
};

static gboolean wake_prepare(GSource *s, gint *timeout)
{
	*timeout = -1;
	return g_atomic_int_get(&((struct wake_source *)s)->pending);
}

static gboolean wake_check(GSource *s)
{
	return g_atomic_int_get(&((struct wake_source *)s)->pending);
}

static gboolean wake_dispatch(GSource *s, GSourceFunc cb, gpointer data)
{
	struct wake_source *ws = (struct wake_source *)s;

	(void)cb;
	(void)data;
	g_atomic_int_set(&ws->pending, 0);
	sc_channels_deliver(&ws->core->chs);
	if (ws->core->model.agentdev)	/* a display's device info */
		sc_agentdev_info_changed(ws->core->model.agentdev);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs wake_funcs = {
	.prepare = wake_prepare,
	.check = wake_check,
	.dispatch = wake_dispatch,
};

void sc_wake(SpiceCore *core)
{
	struct wake_source *ws = (struct wake_source *)core->wake;

	if (!g_atomic_int_compare_and_exchange(&ws->pending, 0, 1))
		return;
	g_main_context_wakeup(core->ctx);
}

/* Ticket ---------------------------------------------------------------------- */

int spice_core_set_ticket(SpiceCore *core, const char *password,
			  int64_t expires_at)
{
	size_t n = password ? strlen(password) : 0;

	if (n > SPICE_MAX_PASSWORD_LENGTH)
		return -EINVAL;
	g_mutex_lock(&core->lock);
	OPENSSL_cleanse(core->ticket, sizeof(core->ticket));
	if (n)
		memcpy(core->ticket, password, n);
	core->ticket_expires = expires_at;
	core->ticket_set = true;
	g_mutex_unlock(&core->lock);
	return 0;
}

void spice_core_expire_ticket(SpiceCore *core)
{
	g_mutex_lock(&core->lock);
	core->ticket_expires = 1;	/* long past */
	g_mutex_unlock(&core->lock);
}

/* Server ---------------------------------------------------------------------- */

static gpointer server_thread(gpointer data)
{
	SpiceCore *core = data;

	g_main_context_push_thread_default(core->ctx);
	g_main_loop_run(core->loop);
	g_main_context_pop_thread_default(core->ctx);
	return NULL;
}

static char *x509_path(const char *file, const char *dir, const char *name)
{
	if (file)
		return g_strdup(file);
	if (dir)
		return g_build_filename(dir, name, NULL);
	return NULL;
}

/* Our copies of the caller's strings, in core->cfg too. */
static void copy_config(SpiceCore *core, const struct spice_core_config *c)
{
	core->cfg = *c;
	core->addr = g_strdup(c->addr ? c->addr : "127.0.0.1");
	core->x509_ca = x509_path(c->x509_ca_file, c->x509_dir, "ca-cert.pem");
	core->x509_cert = x509_path(c->x509_cert_file, c->x509_dir,
				    "server-cert.pem");
	core->x509_key = x509_path(c->x509_key_file, c->x509_dir,
				   "server-key.pem");
	core->x509_key_pw = g_strdup(c->x509_key_password);
	core->ciphers = g_strdup(c->tls_ciphers);
	core->name = g_strdup(c->name);
	core->sasl_appname = g_strdup(c->sasl_appname ? c->sasl_appname :
				      "spice");
	if (c->uuid)
		memcpy(core->uuid, c->uuid, 16);
	core->cfg.addr = core->addr;
	core->unix_path = g_strdup(c->unix_path);
	core->cfg.unix_path = core->unix_path;
	core->cfg.name = core->name;
	core->cfg.x509_dir = NULL;
	core->cfg.x509_ca_file = core->x509_ca;
	core->cfg.x509_cert_file = core->x509_cert;
	core->cfg.x509_key_file = core->x509_key;
	core->cfg.x509_key_password = core->x509_key_pw;
	core->cfg.tls_ciphers = core->ciphers;
	core->cfg.sasl_appname = core->sasl_appname;
	core->cfg.uuid = c->uuid ? core->uuid : NULL;
}

static int start_listening(SpiceCore *core, GError **err)
{
	const struct spice_core_config *c = &core->cfg;

	if (c->sasl && !sc_sasl_available(core->sasl_appname)) {
		g_set_error(err, SC_ERROR, SC_ERR_FAILED,
			    "SASL requested but not built in or not usable");
		return -1;
	}
	if (c->port && sc_net_listen(&core->net, false, core->addr, c->port,
				     err))
		return -1;
	if (c->unix_path && sc_net_listen_unix(&core->net, c->unix_path, err))
		return -1;
	if (!c->tls_port)
		return 0;
	if (!core->x509_cert || !core->x509_key) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID,
			    "TLS port needs x509 files");
		return -1;
	}
	if (sc_net_tls_init(&core->net, core->x509_cert, core->x509_key,
			    core->x509_key_pw, core->x509_ca, core->ciphers,
			    err))
		return -1;
	return sc_net_listen(&core->net, true, core->addr, c->tls_port, err);
}

SpiceCore *spice_core_new(const struct spice_core_config *config,
			  GError **err)
{
	SpiceCore *core = g_new0(SpiceCore, 1);
	const struct sc_link_config link_cfg = {
		.sasl = config->sasl,
		.disable_ticketing = config->disable_ticketing,
	};
	GSource *wake;

	copy_config(core, config);
	g_mutex_init(&core->lock);
	core->ctx = config->context ? g_main_context_ref(config->context) :
				      g_main_context_new();
	wake = g_source_new(&wake_funcs, sizeof(struct wake_source));
	((struct wake_source *)wake)->core = core;
	g_source_attach(wake, core->ctx);
	core->wake = wake;
	sc_model_init(&core->model, config->ops, config->opaque,
		      config->image_compression, core->name, core->cfg.uuid);
	core->model.video_streaming = config->video_streaming;
	core->model.audio = config->audio;
	core->model.mig_seamless = config->seamless_migration;
	core->model.video_quality = config->video_quality > 0 &&
		config->video_quality <= 100 ? config->video_quality : 80;
	sc_channels_init(&core->chs, core->ctx, channels, &sc_session_host,
			 core, &core->model, &link_cfg);
	sc_net_init(&core->net, core->ctx, &sc_channels_net_ops, &core->chs);
	if (sc_net_set_web_root(&core->net, config->web_root, err) ||
	    start_listening(core, err)) {
		spice_core_free(core);
		return NULL;
	}
	if (!config->context) {
		core->loop = g_main_loop_new(core->ctx, FALSE);
		core->thread = g_thread_new("spice-core", server_thread, core);
	}
	return core;
}

static gboolean quit_loop(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

static gboolean close_all_cb(gpointer data)
{
	sc_sessions_close_all(data);
	return G_SOURCE_REMOVE;
}

void spice_core_free(SpiceCore *core)
{
	unsigned int i;

	if (!core)
		return;
	if (core->thread) {
		g_main_context_invoke(core->ctx, quit_loop, core->loop);
		g_thread_join(core->thread);
		core->thread = NULL;
	}
	sc_sessions_close_all(core);
	sc_net_fini(&core->net);	/* frees every connection */
	sc_agentdev_free(core->model.agentdev);
	core->model.agentdev = NULL;
	sc_vmcs_free(&core->model);
	for (i = 0; i < SC_MAX_DISPLAYS; i++)
		if (core->model.displays[i])
			spice_core_display_remove(core->model.displays[i]);
	sc_source_drop(&core->wake);
	if (core->loop)
		g_main_loop_unref(core->loop);
	g_main_context_unref(core->ctx);
	sc_model_fini(&core->model);
	OPENSSL_cleanse(core->ticket, sizeof(core->ticket));
	g_free(core->addr);
	g_free(core->unix_path);
	g_free(core->x509_ca);
	g_free(core->x509_cert);
	g_free(core->x509_key);
	g_free(core->x509_key_pw);
	g_free(core->ciphers);
	g_free(core->name);
	g_free(core->sasl_appname);
	g_mutex_clear(&core->lock);
	g_free(core);
}

int spice_core_get_port(SpiceCore *core)
{
	return core->net.listener[0].port;
}

int spice_core_get_tls_port(SpiceCore *core)
{
	return core->net.listener[1].port;
}

void sc_mouse_changed(SpiceCore *core)
{
	struct sc_model *m = &core->model;

	if (!sc_model_mouse_abs_available(m) && m->mouse_client) {
		m->mouse_client = false;
		if (m->ops->mouse_mode)
			m->ops->mouse_mode(m->opaque, false);
	}
	sc_channels_notify(&core->chs, SC_EVENT_MOUSE_MODE);
}

static gboolean mouse_changed_cb(gpointer data)
{
	sc_mouse_changed(data);
	return G_SOURCE_REMOVE;
}

void spice_core_set_mouse_absolute(SpiceCore *core, bool available)
{
	g_mutex_lock(&core->model.lock);
	core->model.mouse_abs_available = available;
	g_mutex_unlock(&core->model.lock);
	g_main_context_invoke(core->ctx, mouse_changed_cb, core);
}

static gboolean leds_changed_cb(gpointer data)
{
	SpiceCore *core = data;

	sc_channels_notify(&core->chs, SC_EVENT_LEDS);
	return G_SOURCE_REMOVE;
}

void spice_core_set_key_leds(SpiceCore *core, uint32_t leds)
{
	g_mutex_lock(&core->model.lock);
	core->model.leds = leds & 7;
	g_mutex_unlock(&core->model.lock);
	g_main_context_invoke(core->ctx, leds_changed_cb, core);
}

void spice_core_disconnect_clients(SpiceCore *core)
{
	g_main_context_invoke(core->ctx, close_all_cb, core);
}

int spice_core_add_client(SpiceCore *core, int fd, bool tls, bool skip_auth,
			  GError **err)
{
	const char *why = NULL;
	bool acquired = false;
	int rc;

	if (fd < 0) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID, "no file descriptor");
		return -1;
	}
	if (!g_main_context_is_owner(core->ctx)) {
		acquired = g_main_context_acquire(core->ctx);
		if (!acquired) {
			g_set_error(err, SC_ERROR, SC_ERR_FAILED,
				    "not on the server's context");
			return -1;
		}
	}
	rc = sc_net_adopt(&core->net, fd, tls, skip_auth, &why);
	if (acquired)
		g_main_context_release(core->ctx);
	if (rc < 0) {
		g_message("client handed over: refused: %s", why);
		g_set_error(err, SC_ERROR, SC_ERR_FAILED, "%s", why);
	}
	return rc;
}

void spice_core_get_stats(SpiceCore *core, struct spice_core_stats *out)
{
	struct sc_net_stats net;
	struct sc_model_stats model;

	sc_net_get_stats(&core->net, &net);
	g_mutex_lock(&core->model.lock);
	model = core->model.stats;
	g_mutex_unlock(&core->model.lock);
	memset(out, 0, sizeof(*out));
	g_mutex_lock(&core->lock);
	out->clients = core->clients;
	g_mutex_unlock(&core->lock);
	out->connections = net.connections;
	out->bytes_sent = net.bytes_sent;
	out->bytes_received = net.bytes_received;
	out->queued_bytes = net.queued_bytes;
	out->images_raw = model.images_raw;
	out->images_lz4 = model.images_lz4;
	out->images_quic = model.images_quic;
	out->images_lz = model.images_lz;
	out->fills = model.fills;
	out->frames = model.frames;
	out->copies = model.copies;
	out->moves = model.moves;
	out->unchanged = model.unchanged;
	out->cache_hits = model.cache_hits;
	out->cache_adds = model.cache_adds;
	out->streams = model.streams;
	out->stream_frames = model.stream_frames;
}
