// SPDX-License-Identifier: MIT
/* The link phase: REDQ header, link message and capabilities, the reply
 * with a fresh RSA key, auth mechanism selection, ticket or SASL, the
 * link result; and the wake-up PINGs behind a SASL security layer. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <spice/protocol.h>

#include "link/link.h"
#include "link/sasl.h"
#include "link/ticket.h"

#define SC_LINK_REPLY_SIZE 178

static void send_link_reply(struct sc_link *l, uint32_t error,
			    const uint8_t *pub, uint32_t common, uint32_t chan)
{
	struct sc_buf *b = &l->st->out;
	unsigned int n = pub ? 1 : 0;	/* one word of each, on success */

	sc_buf_u32(b, SPICE_MAGIC);
	sc_buf_u32(b, SPICE_VERSION_MAJOR);
	sc_buf_u32(b, SPICE_VERSION_MINOR);
	sc_buf_u32(b, SC_LINK_REPLY_SIZE + 4 * 2 * n);
	sc_buf_u32(b, error);
	if (pub)
		sc_buf_put(b, pub, SPICE_TICKET_PUBKEY_BYTES);
	else
		memset(sc_buf_append(b, SPICE_TICKET_PUBKEY_BYTES), 0,
		       SPICE_TICKET_PUBKEY_BYTES);
	sc_buf_u32(b, n);
	sc_buf_u32(b, n);
	sc_buf_u32(b, SC_LINK_REPLY_SIZE);
	if (n) {
		sc_buf_u32(b, common);
		sc_buf_u32(b, chan);
	}
}

static void link_error(struct sc_link *l, uint32_t error, const char *why)
{
	send_link_reply(l, error, NULL, 0, 0);
	sc_stream_flush(l->st);
	sc_stream_close(l->st, "link refused (error %u): %s", error, why);
}

/* After auth: a u32 result the client reads before giving up. */
static void refuse(struct sc_link *l, uint32_t error, const char *what,
		   const char *why)
{
	sc_buf_u32(&l->st->out, error);
	sc_stream_flush(l->st);
	sc_stream_close(l->st, "%s: %s", what, why);
}

static gboolean link_timeout(gpointer data)
{
	struct sc_link *l = data;

	g_source_unref(l->timer);
	l->timer = NULL;
	sc_stream_close(l->st, "link not complete in time");
	return G_SOURCE_REMOVE;
}

static unsigned int link_timeout_ms(void)
{
	const char *e = g_getenv("SPICE_CORE_LINK_TIMEOUT_MS");
	unsigned long v = e ? strtoul(e, NULL, 10) : 0;

	return v ? (unsigned int)MIN(v, 600000ul) : 10000;
}

void sc_link_init(struct sc_link *l, struct sc_stream *st, GMainContext *ctx,
		  const struct sc_link_config *cfg,
		  const struct sc_link_ops *ops, void *opaque)
{
	memset(l, 0, sizeof(*l));
	l->st = st;
	l->ctx = ctx;
	l->cfg = cfg;
	l->ops = ops;
	l->opaque = opaque;
	l->state = SC_LINK_HEADER;
	l->need = SC_LINK_HEADER_SIZE;
	l->timer = sc_timer_new(ctx, link_timeout_ms(), link_timeout, l);
}

static uint32_t server_common_caps(const struct sc_link *l)
{
	uint32_t caps = 1u << SPICE_COMMON_CAP_PROTOCOL_AUTH_SELECTION |
			1u << SPICE_COMMON_CAP_MINI_HEADER;

	/* With SASL on, the ticket is not an alternative way in (a client
	 * choosing it would skip SASL); spice-server refuses it too. */
	if (l->cfg->sasl && sc_sasl_available(NULL))
		caps |= 1u << SPICE_COMMON_CAP_AUTH_SASL;
	else
		caps |= 1u << SPICE_COMMON_CAP_AUTH_SPICE;
	return caps;
}

static void expect(struct sc_link *l, enum sc_link_state state, size_t need)
{
	l->state = state;
	l->need = need;
}

static void handle_link_mess(struct sc_link *l, const uint8_t *p,
			     size_t size)
{
	uint8_t pub[SPICE_TICKET_PUBKEY_BYTES];
	const char *why = NULL;
	uint32_t chan_caps = 0, err;

	err = sc_parse_link_mess(p, size, &l->mess, &why);
	sc_stream_set_label(l->st, "channel %u:%u", l->mess.channel_type,
			    l->mess.channel_id);
	if (!err)
		err = l->ops->check(l->opaque, &l->mess, &chan_caps, &why);
	if (err) {
		link_error(l, err, why);
		return;
	}
	l->key = sc_ticket_key_new(pub);
	if (!l->key) {
		link_error(l, SPICE_LINK_ERR_ERROR, "RSA key generation failed");
		return;
	}
	send_link_reply(l, SPICE_LINK_ERR_OK, pub, server_common_caps(l),
			chan_caps);
	l->mini = sc_has_cap(l->mess.common_caps, SPICE_COMMON_CAP_MINI_HEADER);
	if (sc_has_cap(l->mess.common_caps,
		       SPICE_COMMON_CAP_PROTOCOL_AUTH_SELECTION))
		expect(l, SC_LINK_AUTH_MECH, 4);
	else if (l->cfg->sasl)
		link_error(l, SPICE_LINK_ERR_INVALID_DATA,
			   "client cannot choose SASL, and SASL is required");
	else
		expect(l, SC_LINK_TICKET, SC_TICKET_SIZE);
}

static void finish_auth(struct sc_link *l, bool ok, const char *why)
{
	uint32_t err, caps;

	sc_ticket_key_free(l->key);
	l->key = NULL;
	if (!ok) {
		refuse(l, SPICE_LINK_ERR_PERMISSION_DENIED,
		       "authentication failed", why);
		return;
	}
	/* Recheck: the session may have gone while we authenticated. */
	err = l->ops->check(l->opaque, &l->mess, &caps, &why);
	if (err) {
		refuse(l, err, "link refused", why);
		return;
	}
	sc_buf_u32(&l->st->out, SPICE_LINK_ERR_OK);
	sc_source_drop(&l->timer);
	l->state = SC_LINK_DONE;
	l->ops->linked(l->opaque);
}

static void handle_ticket(struct sc_link *l, const uint8_t *p)
{
	char pw[SPICE_MAX_PASSWORD_LENGTH + 1];
	const char *why = NULL;
	bool ok;

	if (l->st->skip_auth) {		/* spice_core_add_client() */
		ok = true;
	} else if (sc_ticket_decrypt(l->key, p, SC_TICKET_SIZE, pw) < 0) {
		ok = l->cfg->disable_ticketing;
		why = "ticket does not decrypt";
	} else {
		ok = l->ops->ticket_ok(l->opaque, pw, &why);
	}
	memset(pw, 0, sizeof(pw));
	finish_auth(l, ok, why);
}

static void choose_mech(struct sc_link *l, uint32_t mech)
{
	if (mech == SPICE_COMMON_CAP_AUTH_SPICE && !l->cfg->sasl) {
		expect(l, SC_LINK_TICKET, SC_TICKET_SIZE);
	} else if (mech == SPICE_COMMON_CAP_AUTH_SASL && l->cfg->sasl &&
		   sc_sasl_available(NULL)) {
		sc_ticket_key_free(l->key);	/* not needed */
		l->key = NULL;
		l->sasl = sc_sasl_new(l->st);
		if (!l->sasl)
			sc_stream_close(l->st, "SASL did not start");
		l->state = SC_LINK_SASL;
	} else {
		link_error(l, SPICE_LINK_ERR_INVALID_DATA,
			   "auth mechanism not offered");
	}
}

static bool sasl_input(struct sc_link *l)
{
	const char *why = NULL;

	switch (sc_sasl_input(l->sasl, &why)) {
	case SC_SASL_PROGRESS:
		return true;
	case SC_SASL_OK:
		finish_auth(l, true, NULL);
		return !sc_stream_dead(l->st);
	case SC_SASL_DENIED:
		finish_auth(l, false, why);
		return false;
	default:
		return false;
	}
}

bool sc_link_input(struct sc_link *l)
{
	const uint8_t *p = sc_stream_in_data(l->st);
	size_t need = l->need;
	const char *why = NULL;
	uint32_t size;
	int err;

	if (l->state == SC_LINK_SASL)
		return sasl_input(l);
	if (l->state == SC_LINK_DONE || sc_stream_in_len(l->st) < need)
		return false;
	/* Consumed first: the handlers may queue a reply, never read. */
	sc_stream_consume(l->st, need);
	switch (l->state) {
	case SC_LINK_HEADER:
		err = sc_parse_link_header(p, &size, &why);
		if (err == SPICE_LINK_ERR_INVALID_MAGIC)
			/* No reply: the peer speaks something else
			 * (spice-server closes too). */
			sc_stream_close(l->st, "link refused: %s", why);
		else if (err)
			link_error(l, (uint32_t)err, why);
		else
			expect(l, SC_LINK_MESS, size);
		break;
	case SC_LINK_MESS:
		handle_link_mess(l, p, need);
		break;
	case SC_LINK_AUTH_MECH:
		choose_mech(l, sc_get_u32(p));
		break;
	case SC_LINK_TICKET:
		handle_ticket(l, p);
		break;
	default:
		break;
	}
	return !sc_stream_dead(l->st);
}

/*
 * spice-gtk reads the link result through its SASL layer with one read of
 * up to 8 KiB, then waits for the socket to become readable before it
 * looks at what it decoded.  If the channel's first packets arrived
 * together with the result they sit decoded but unseen until more bytes
 * come.  Those bytes are a few PINGs (harmless: the client answers PONG)
 * sent after the channel started, each in a packet of its own.
 */
static const unsigned int wake_ms[] = { 20, 200, 1000 };

static gboolean wake_ping(gpointer data)
{
	struct sc_link *l = data;

	g_source_unref(l->timer);
	l->timer = NULL;
	if (sc_stream_dead(l->st))
		return G_SOURCE_REMOVE;
	sc_wire_ping(l->wire, ++l->pings);
	sc_stream_flush(l->st);
	if (!sc_stream_dead(l->st) && l->pings < G_N_ELEMENTS(wake_ms))
		l->timer = sc_timer_new(l->ctx, wake_ms[l->pings], wake_ping,
					l);
	return G_SOURCE_REMOVE;
}

void sc_link_data_started(struct sc_link *l, struct sc_wire *w)
{
	if (!l->sasl || !l->st->filter || l->timer)
		return;
	l->wire = w;
	l->timer = sc_timer_new(l->ctx, wake_ms[0], wake_ping, l);
}

void sc_link_fini(struct sc_link *l)
{
	sc_source_drop(&l->timer);
	sc_ticket_key_free(l->key);
	l->key = NULL;
	sc_sasl_free(l->sasl);
	l->sasl = NULL;
}
