// SPDX-License-Identifier: MIT
/* The link phase: REDQ header, link message and capabilities, the reply
 * with a fresh RSA key, auth mechanism selection, ticket or SASL. */
#include <string.h>
#include <glib.h>

#include "internal.h"

#define SC_LINK_REPLY_SIZE 178

static void send_link_reply(struct sc_conn *c, uint32_t error,
			    const uint8_t *pub, const uint32_t *common,
			    unsigned int ncommon, const uint32_t *chan,
			    unsigned int nchan)
{
	struct sc_buf *b = &c->out;
	unsigned int i;

	sc_buf_u32(b, SPICE_MAGIC);
	sc_buf_u32(b, SPICE_VERSION_MAJOR);
	sc_buf_u32(b, SPICE_VERSION_MINOR);
	sc_buf_u32(b, SC_LINK_REPLY_SIZE + 4 * (ncommon + nchan));
	sc_buf_u32(b, error);
	if (pub)
		sc_buf_put(b, pub, SPICE_TICKET_PUBKEY_BYTES);
	else
		memset(sc_buf_append(b, SPICE_TICKET_PUBKEY_BYTES), 0,
		       SPICE_TICKET_PUBKEY_BYTES);
	sc_buf_u32(b, ncommon);
	sc_buf_u32(b, nchan);
	sc_buf_u32(b, SC_LINK_REPLY_SIZE);
	for (i = 0; i < ncommon; i++)
		sc_buf_u32(b, common[i]);
	for (i = 0; i < nchan; i++)
		sc_buf_u32(b, chan[i]);
}

static void link_error(struct sc_conn *c, uint32_t error, const char *why)
{
	send_link_reply(c, error, NULL, NULL, 0, NULL, 0);
	sc_conn_flush(c);
	sc_conn_close(c, "link refused (error %u): %s", error, why);
}

void sc_link_start(struct sc_conn *c)
{
	c->state = SC_ST_LINK_HEADER;
	c->need = SC_LINK_HEADER_SIZE;
}

static uint32_t server_common_caps(SpiceCore *core)
{
	uint32_t caps = 1u << SPICE_COMMON_CAP_PROTOCOL_AUTH_SELECTION |
			1u << SPICE_COMMON_CAP_MINI_HEADER;

	/* With SASL on, the ticket is not an alternative way in (a client
	 * choosing it would skip SASL); spice-server refuses it too. */
	if (core->cfg.sasl && sc_sasl_available(core))
		caps |= 1u << SPICE_COMMON_CAP_AUTH_SASL;
	else
		caps |= 1u << SPICE_COMMON_CAP_AUTH_SPICE;
	return caps;
}

static uint32_t server_channel_caps(uint8_t type)
{
	switch (type) {
	case SPICE_CHANNEL_MAIN:
		return 1u << SPICE_MAIN_CAP_NAME_AND_UUID |
		       1u << SPICE_MAIN_CAP_AGENT_CONNECTED_TOKENS;
	case SPICE_CHANNEL_DISPLAY:
		return 1u << SPICE_DISPLAY_CAP_MONITORS_CONFIG |
		       1u << SPICE_DISPLAY_CAP_PREF_COMPRESSION;
	case SPICE_CHANNEL_INPUTS:
		return 1u << SPICE_INPUTS_CAP_KEY_SCANCODE;
	default:
		return 0;
	}
}

/* Does the channel exist, and may this connection have it? */
static uint32_t check_channel(struct sc_conn *c, const char **why)
{
	SpiceCore *core = c->core;
	const struct sc_link_mess *l = &c->link;
	uint32_t secure_bit = l->channel_type < 32 ? 1u << l->channel_type : 0;
	bool exists = false;

	switch (l->channel_type) {
	case SPICE_CHANNEL_MAIN:
	case SPICE_CHANNEL_INPUTS:
		exists = l->channel_id == 0;
		break;
	case SPICE_CHANNEL_DISPLAY:
	case SPICE_CHANNEL_CURSOR:
		g_mutex_lock(&core->lock);
		exists = l->channel_id < SC_MAX_DISPLAYS &&
			 core->displays[l->channel_id];
		g_mutex_unlock(&core->lock);
		break;
	}
	if (!exists) {
		*why = "no such channel";
		return SPICE_LINK_ERR_CHANNEL_NOT_AVAILABLE;
	}
	if (core->cfg.secure_channels & secure_bit &&
	    !c->tls) {
		*why = "channel must be on the TLS port";
		return SPICE_LINK_ERR_NEED_SECURED;
	}
	if (l->channel_type == SPICE_CHANNEL_MAIN) {
		if (l->connection_id != 0 &&
		    sc_session_find(core, l->connection_id)) {
			*why = "main channel for an existing session";
			return SPICE_LINK_ERR_BAD_CONNECTION_ID;
		}
		if (core->cfg.max_clients &&
		    sc_n_sessions(core) >= core->cfg.max_clients) {
			*why = "too many clients";
			return SPICE_LINK_ERR_ERROR;
		}
		return SPICE_LINK_ERR_OK;
	}
	{
		struct sc_session *s = sc_session_find(core, l->connection_id);
		GList *it;

		if (!s) {
			*why = "connection id of no session";
			return SPICE_LINK_ERR_BAD_CONNECTION_ID;
		}
		for (it = s->conns; it; it = it->next) {
			struct sc_conn *o = it->data;

			if (o->link.channel_type == l->channel_type &&
			    o->link.channel_id == l->channel_id) {
				*why = "channel already linked in this session";
				return SPICE_LINK_ERR_ERROR;
			}
		}
	}
	return SPICE_LINK_ERR_OK;
}

static void handle_link_mess(struct sc_conn *c, const uint8_t *p,
			     size_t size)
{
	uint8_t pub[SPICE_TICKET_PUBKEY_BYTES];
	uint32_t common, chan, err;
	const char *why = NULL;

	err = sc_parse_link_mess(p, size, &c->link, &why);
	if (err) {
		link_error(c, err, why);
		return;
	}
	err = check_channel(c, &why);
	if (err) {
		link_error(c, err, why);
		return;
	}
	c->key = sc_ticket_key_new(pub);
	if (!c->key) {
		link_error(c, SPICE_LINK_ERR_ERROR, "RSA key generation failed");
		return;
	}
	common = server_common_caps(c->core);
	chan = server_channel_caps(c->link.channel_type);
	send_link_reply(c, SPICE_LINK_ERR_OK, pub, &common, 1, &chan, 1);
	c->mini = sc_has_cap(c->link.common_caps,
			     SPICE_COMMON_CAP_MINI_HEADER);
	if (sc_has_cap(c->link.common_caps,
		       SPICE_COMMON_CAP_PROTOCOL_AUTH_SELECTION)) {
		c->state = SC_ST_AUTH_MECH;
		c->need = 4;
	} else if (c->core->cfg.sasl) {
		link_error(c, SPICE_LINK_ERR_INVALID_DATA,
			   "client cannot choose SASL, and SASL is required");
	} else {
		c->state = SC_ST_TICKET;
		c->need = SC_TICKET_SIZE;
	}
}

void sc_link_finish_auth(struct sc_conn *c, bool ok, const char *why)
{
	uint8_t res[4];

	if (c->key) {
		sc_ticket_key_free(c->key);
		c->key = NULL;
	}
	if (!ok) {
		sc_put_u32(res, SPICE_LINK_ERR_PERMISSION_DENIED);
		sc_buf_put(&c->out, res, 4);
		sc_conn_flush(c);
		sc_conn_close(c, "authentication failed: %s", why);
		return;
	}
	/* Recheck: the session may have gone while we authenticated. */
	{
		const char *cwhy = NULL;
		uint32_t err = check_channel(c, &cwhy);

		if (err) {
			sc_put_u32(res, err);
			sc_buf_put(&c->out, res, 4);
			sc_conn_flush(c);
			sc_conn_close(c, "link refused: %s", cwhy);
			return;
		}
	}
	sc_put_u32(res, SPICE_LINK_ERR_OK);
	sc_buf_put(&c->out, res, 4);
	if (c->timeout) {
		g_source_destroy(c->timeout);
		g_source_unref(c->timeout);
		c->timeout = NULL;
	}
	c->core->n_linking--;
	c->state = SC_ST_DATA;
	c->need = c->mini ? SC_MINI_HEADER_SIZE : SC_FULL_HEADER_SIZE;
	if (!c->tls && !c->ssf) {
		sc_channel_start(c);
		return;
	}
	/* spice-gtk reads the 4-byte result, then waits for the socket to
	 * become readable: channel data sharing the result's TLS record or
	 * SASL packet would sit unseen in its buffer.  Send the result in a
	 * record / packet of its own and the channel's first messages after
	 * it. */
	sc_conn_flush(c);
	if (c->state != SC_ST_DEAD)
		c->start_pending = true;
}

static void handle_ticket(struct sc_conn *c, const uint8_t *p)
{
	char pw[SPICE_MAX_PASSWORD_LENGTH + 1];
	const char *why = NULL;
	bool ok;

	if (sc_ticket_decrypt(c->key, p, SC_TICKET_SIZE, pw) < 0) {
		ok = c->core->cfg.disable_ticketing;
		why = "ticket does not decrypt";
	} else {
		ok = sc_ticket_check(c->core, pw, &why);
	}
	memset(pw, 0, sizeof(pw));
	sc_link_finish_auth(c, ok, why);
}

bool sc_link_input(struct sc_conn *c)
{
	const uint8_t *p = sc_in_data(c);
	size_t need = c->need;
	const char *why = NULL;
	uint32_t size, mech;
	int err;

	if (sc_in_len(c) < need)
		return false;
	switch (c->state) {
	case SC_ST_LINK_HEADER:
		err = sc_parse_link_header(p, &size, &why);
		if (err) {
			/* No reply to a bad magic: the peer speaks something
			 * else (spice-server closes too). */
			if (err == SPICE_LINK_ERR_INVALID_MAGIC)
				sc_conn_close(c, "link refused: %s", why);
			else
				link_error(c, (uint32_t)err, why);
			return false;
		}
		c->state = SC_ST_LINK_MESS;
		c->need = size;
		break;
	case SC_ST_LINK_MESS:
		handle_link_mess(c, p, need);
		break;
	case SC_ST_AUTH_MECH:
		mech = sc_get_u32(p);
		if (mech == SPICE_COMMON_CAP_AUTH_SPICE && !c->core->cfg.sasl) {
			c->state = SC_ST_TICKET;
			c->need = SC_TICKET_SIZE;
		} else if (mech == SPICE_COMMON_CAP_AUTH_SASL &&
			   c->core->cfg.sasl && sc_sasl_available(c->core)) {
			sc_in_consume(c, need);
			sc_ticket_key_free(c->key);	/* not needed */
			c->key = NULL;
			if (sc_sasl_start(c) < 0) {
				sc_conn_close(c, "SASL did not start");
				return false;
			}
			return true;
		} else {
			link_error(c, SPICE_LINK_ERR_INVALID_DATA,
				   "auth mechanism not offered");
			return false;
		}
		break;
	case SC_ST_TICKET:
		handle_ticket(c, p);
		break;
	default:
		return false;
	}
	if (c->state == SC_ST_DEAD)
		return false;
	sc_in_consume(c, need);
	return true;
}
