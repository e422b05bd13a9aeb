// SPDX-License-Identifier: MIT
/* Data phase shared by every channel: message framing both ways, the ACK
 * window, dispatch to the channel's handler. */
#include <string.h>

#include "internal.h"

struct sc_buf *sc_msg_begin(struct sc_conn *c, uint16_t type)
{
	struct sc_buf *b = &c->out;

	c->msg_start = b->len;
	if (c->mini) {
		sc_buf_u16(b, type);
		sc_buf_u32(b, 0);
	} else {
		sc_buf_u64(b, ++c->serial);
		sc_buf_u16(b, type);
		sc_buf_u32(b, 0);
		sc_buf_u32(b, 0);	/* sub_list */
	}
	return b;
}

void sc_msg_end(struct sc_conn *c)
{
	struct sc_buf *b = &c->out;
	size_t hdr = c->mini ? SC_MINI_HEADER_SIZE : SC_FULL_HEADER_SIZE;
	size_t body = b->len - c->msg_start - hdr;

	g_assert(body <= UINT32_MAX);
	sc_put_u32(b->data + c->msg_start + (c->mini ? 2 : 10), (uint32_t)body);
	if (c->acks)
		c->unacked++;
	sc_conn_mark_msg_end(c);
}

bool sc_conn_can_send(const struct sc_conn *c)
{
	if (c->state != SC_ST_DATA)
		return false;
	if (sc_conn_queued(c) >= SC_OUT_LIMIT)
		return false;
	return !c->acks || c->unacked < 2 * SC_ACK_WINDOW;
}

void sc_conn_pump(struct sc_conn *c)
{
	if (c->state != SC_ST_DATA)
		return;
	switch (c->link.channel_type) {
	case SPICE_CHANNEL_DISPLAY:
		sc_display_pump(c);
		break;
	case SPICE_CHANNEL_CURSOR:
		sc_cursor_pump(c);
		break;
	}
}

void sc_channel_start(struct sc_conn *c)
{
	if (c->link.channel_type != SPICE_CHANNEL_MAIN) {
		struct sc_session *s = sc_session_find(c->core,
						       c->link.connection_id);

		if (!s) {
			sc_conn_close(c, "its session ended");
			return;
		}
		c->session = s;
		s->conns = g_list_prepend(s->conns, c);
	}
	switch (c->link.channel_type) {
	case SPICE_CHANNEL_MAIN:
		sc_main_start(c);
		break;
	case SPICE_CHANNEL_DISPLAY:
		sc_display_start(c);
		break;
	case SPICE_CHANNEL_CURSOR:
		sc_cursor_start(c);
		break;
	case SPICE_CHANNEL_INPUTS:
		sc_inputs_start(c);
		break;
	}
}

void sc_send_set_ack(struct sc_conn *c)
{
	struct sc_buf *b = sc_msg_begin(c, SPICE_MSG_SET_ACK);

	sc_buf_u32(b, 1);		/* generation */
	sc_buf_u32(b, SC_ACK_WINDOW);
	sc_msg_end(c);
	c->acks = true;
	c->unacked = 0;
}

static int handle_base(struct sc_conn *c, const struct sc_msg *m)
{
	switch (m->kind) {
	case SC_MSG_ACK:
		c->unacked = c->unacked > SC_ACK_WINDOW ?
			     c->unacked - SC_ACK_WINDOW : 0;
		sc_conn_pump(c);
		return 1;
	case SC_MSG_ACK_SYNC:
	case SC_MSG_PONG:
	case SC_MSG_IGNORED:
		return 1;
	case SC_MSG_DISCONNECTING:
		return 1;
	default:
		return 0;
	}
}

bool sc_data_input(struct sc_conn *c)
{
	size_t hdr = c->mini ? SC_MINI_HEADER_SIZE : SC_FULL_HEADER_SIZE;
	const char *why = "malformed";
	struct sc_msg m;
	uint16_t type;
	uint32_t size;
	int rc = 0;

	if (sc_in_len(c) < hdr)
		return false;
	sc_parse_data_header(sc_in_data(c), c->mini, &type, &size);
	if (size > SC_MAX_MSG_SIZE) {
		sc_conn_close(c, "message type %u of %u bytes exceeds %u",
			      type, size, SC_MAX_MSG_SIZE);
		return false;
	}
	if (sc_in_len(c) - hdr < size)
		return false;
	if (sc_demarshal(c->link.channel_type, type, sc_in_data(c) + hdr, size,
			 &m, &why) < 0) {
		sc_conn_close(c, "message type %u: %s", type, why);
		return false;
	}
	if (!handle_base(c, &m)) {
		switch (c->link.channel_type) {
		case SPICE_CHANNEL_MAIN:
			rc = sc_main_handle(c, &m);
			break;
		case SPICE_CHANNEL_DISPLAY:
			rc = sc_display_handle(c, &m);
			break;
		case SPICE_CHANNEL_INPUTS:
			rc = sc_inputs_handle(c, &m);
			break;
		}
	}
	if (c->state == SC_ST_DEAD)
		return false;
	if (rc < 0) {
		sc_conn_close(c, "message type %u rejected", type);
		return false;
	}
	sc_in_consume(c, hdr + size);
	return true;
}
