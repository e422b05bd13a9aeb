// SPDX-License-Identifier: MIT
/* The server object: configuration, ticket, sessions, the wake-up that
 * carries display-source changes from any thread to the server's. */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>

#include "internal.h"

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

static void deliver_changes(SpiceCore *core)
{
	pixman_region32_t damage[SC_MAX_DISPLAYS];
	unsigned int i;
	GList *it, *next;

	g_mutex_lock(&core->lock);
	for (i = 0; i < SC_MAX_DISPLAYS; i++) {
		pixman_region32_init(&damage[i]);
		if (core->displays[i]) {
			pixman_region32_copy(&damage[i],
					     &core->displays[i]->damage);
			pixman_region32_clear(&core->displays[i]->damage);
		}
	}
	g_mutex_unlock(&core->lock);
	for (it = core->conns; it; it = next) {
		struct sc_conn *c = it->data;

		next = it->next;
		if (c->state != SC_ST_DATA)
			continue;
		if (c->link.channel_type == SPICE_CHANNEL_DISPLAY &&
		    c->link.channel_id < SC_MAX_DISPLAYS)
			sc_display_add_damage(c, &damage[c->link.channel_id]);
		sc_conn_pump(c);
		if (c->state == SC_ST_DATA)
			sc_conn_flush(c);
	}
	for (i = 0; i < SC_MAX_DISPLAYS; i++)
		pixman_region32_fini(&damage[i]);
}

static gboolean wake_dispatch(GSource *s, GSourceFunc cb, gpointer data)
{
	struct wake_source *ws = (struct wake_source *)s;

	(void)cb;
	(void)data;
	g_atomic_int_set(&ws->pending, 0);
	deliver_changes(ws->core);
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

void sc_stat_add(SpiceCore *core, uint64_t *field, uint64_t n)
{
	g_mutex_lock(&core->lock);
	*field += n;
	g_mutex_unlock(&core->lock);
}

/* Ticket ---------------------------------------------------------------------- */

bool sc_ticket_check(SpiceCore *core, const char *password, const char **why)
{
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

/* Sessions -------------------------------------------------------------------- */

struct sc_session *sc_session_find(SpiceCore *core, uint32_t id)
{
	GList *it;

	for (it = core->sessions; it; it = it->next) {
		struct sc_session *s = it->data;

		if (s->id == id)
			return s;
	}
	return NULL;
}

unsigned int sc_n_sessions(SpiceCore *core)
{
	return g_list_length(core->sessions);
}

void sc_notify_clients(SpiceCore *core)
{
	unsigned int n = sc_n_sessions(core);

	g_mutex_lock(&core->lock);
	core->stats.clients = n;
	g_mutex_unlock(&core->lock);
	if (core->cfg.ops && core->cfg.ops->clients_changed)
		core->cfg.ops->clients_changed(core->cfg.opaque, n);
}

struct sc_session *sc_session_new(SpiceCore *core, struct sc_conn *main)
{
	struct sc_session *s = g_new0(struct sc_session, 1);

	do {
		s->id = g_random_int();
	} while (s->id == 0 || sc_session_find(core, s->id));
	s->core = core;
	s->main = main;
	sc_buf_init(&s->agent_in);
	core->sessions = g_list_prepend(core->sessions, s);
	main->session = s;
	sc_notify_clients(core);
	return s;
}

void sc_session_close(struct sc_session *s)
{
	SpiceCore *core = s->core;

	while (s->conns) {
		struct sc_conn *c = s->conns->data;

		sc_conn_close(c, "its session ended");
	}
	if (s->main) {
		struct sc_conn *m = s->main;

		s->main = NULL;
		m->session = NULL;
		sc_conn_close(m, "session ended");
	}
	core->sessions = g_list_remove(core->sessions, s);
	sc_buf_free(&s->agent_in);
	g_free(s);
	sc_notify_clients(core);
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

SpiceCore *spice_core_new(const struct spice_core_config *config,
			  GError **err)
{
	SpiceCore *core = g_new0(SpiceCore, 1);
	GSource *wake;

	core->cfg = *config;
	core->addr = g_strdup(config->addr ? config->addr : "127.0.0.1");
	core->x509_ca = x509_path(config->x509_ca_file, config->x509_dir,
				  "ca-cert.pem");
	core->x509_cert = x509_path(config->x509_cert_file, config->x509_dir,
				    "server-cert.pem");
	core->x509_key = x509_path(config->x509_key_file, config->x509_dir,
				   "server-key.pem");
	core->x509_key_pw = g_strdup(config->x509_key_password);
	core->ciphers = g_strdup(config->tls_ciphers);
	core->name = g_strdup(config->name);
	core->sasl_appname = g_strdup(config->sasl_appname ?
				      config->sasl_appname : "spice");
	if (config->uuid) {
		memcpy(core->uuid, config->uuid, 16);
		core->has_uuid = true;
	}
	core->cfg.addr = core->addr;
	core->cfg.name = core->name;
	core->cfg.x509_dir = NULL;
	core->cfg.x509_ca_file = core->x509_ca;
	core->cfg.x509_cert_file = core->x509_cert;
	core->cfg.x509_key_file = core->x509_key;
	core->cfg.x509_key_password = core->x509_key_pw;
	core->cfg.tls_ciphers = core->ciphers;
	core->cfg.sasl_appname = core->sasl_appname;
	core->cfg.uuid = NULL;
	core->listen_fd[0] = core->listen_fd[1] = -1;
	g_mutex_init(&core->lock);
	core->ctx = config->context ? g_main_context_ref(config->context) :
				      g_main_context_new();
	wake = g_source_new(&wake_funcs, sizeof(struct wake_source));
	((struct wake_source *)wake)->core = core;
	g_source_attach(wake, core->ctx);
	core->wake = wake;

	if (config->sasl && !sc_sasl_available(core)) {
		g_set_error(err, SC_ERROR, SC_ERR_FAILED,
			    "SASL requested but not built in or not usable");
		goto fail;
	}
	if (config->port == 0 && config->tls_port == 0) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID,
			    "neither a port nor a TLS port given");
		goto fail;
	}
	if (config->port && sc_listen(core, 0, core->addr, config->port, err))
		goto fail;
	if (config->tls_port) {
		if (!core->x509_cert || !core->x509_key) {
			g_set_error(err, SC_ERROR,
				    SC_ERR_INVALID,
				    "TLS port needs x509 files");
			goto fail;
		}
		if (sc_tls_init(core, err) ||
		    sc_listen(core, 1, core->addr, config->tls_port, err))
			goto fail;
	}
	if (!config->context) {
		core->loop = g_main_loop_new(core->ctx, FALSE);
		core->thread = g_thread_new("spice-core", server_thread, core);
	}
	return core;
fail:
	spice_core_free(core);
	return NULL;
}

static gboolean quit_loop(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

static void close_all(SpiceCore *core)
{
	while (core->sessions)
		sc_session_close(core->sessions->data);
	while (core->conns)
		sc_conn_close(core->conns->data, "server shutting down");
}

static void free_dead(SpiceCore *core)
{
	g_list_free_full(core->dead, (GDestroyNotify)sc_conn_free);
	core->dead = NULL;
	if (core->reaper) {
		g_source_destroy(core->reaper);
		g_source_unref(core->reaper);
		core->reaper = NULL;
	}
}

static gboolean close_all_cb(gpointer data)
{
	close_all(data);
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
	close_all(core);
	free_dead(core);
	sc_listen_close(core, 0);
	sc_listen_close(core, 1);
	for (i = 0; i < SC_MAX_DISPLAYS; i++)
		if (core->displays[i])
			spice_core_display_remove(core->displays[i]);
	if (core->wake) {
		g_source_destroy(core->wake);
		g_source_unref(core->wake);
	}
	if (core->loop)
		g_main_loop_unref(core->loop);
	g_main_context_unref(core->ctx);
	sc_tls_free(core);
	OPENSSL_cleanse(core->ticket, sizeof(core->ticket));
	g_free(core->addr);
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
	return core->port[0];
}

int spice_core_get_tls_port(SpiceCore *core)
{
	return core->port[1];
}

static gboolean mouse_changed_cb(gpointer data)
{
	SpiceCore *core = data;
	bool avail;
	GList *it;

	g_mutex_lock(&core->lock);
	avail = core->mouse_abs_available;
	g_mutex_unlock(&core->lock);
	if (!avail && core->mouse_client) {
		core->mouse_client = false;
		if (core->cfg.ops && core->cfg.ops->mouse_mode)
			core->cfg.ops->mouse_mode(core->cfg.opaque, false);
	}
	for (it = core->sessions; it; it = it->next) {
		struct sc_session *s = it->data;

		if (s->main) {
			sc_main_send_mouse_mode(s->main);
			sc_conn_flush(s->main);
		}
	}
	return G_SOURCE_REMOVE;
}

void spice_core_set_mouse_absolute(SpiceCore *core, bool available)
{
	g_mutex_lock(&core->lock);
	core->mouse_abs_available = available;
	g_mutex_unlock(&core->lock);
	g_main_context_invoke(core->ctx, mouse_changed_cb, core);
}

static gboolean leds_changed_cb(gpointer data)
{
	SpiceCore *core = data;
	uint32_t leds;
	GList *it, *next;

	g_mutex_lock(&core->lock);
	leds = core->leds;
	g_mutex_unlock(&core->lock);
	for (it = core->conns; it; it = next) {
		struct sc_conn *c = it->data;

		next = it->next;
		if (c->state == SC_ST_DATA &&
		    c->link.channel_type == SPICE_CHANNEL_INPUTS) {
			sc_inputs_send_leds(c, leds);
			sc_conn_flush(c);
		}
	}
	return G_SOURCE_REMOVE;
}

void spice_core_set_key_leds(SpiceCore *core, uint32_t leds)
{
	g_mutex_lock(&core->lock);
	core->leds = leds & 7;
	g_mutex_unlock(&core->lock);
	g_main_context_invoke(core->ctx, leds_changed_cb, core);
}

void spice_core_disconnect_clients(SpiceCore *core)
{
	g_main_context_invoke(core->ctx, close_all_cb, core);
}

void spice_core_get_stats(SpiceCore *core, struct spice_core_stats *out)
{
	g_mutex_lock(&core->lock);
	*out = core->stats;
	g_mutex_unlock(&core->lock);
}
