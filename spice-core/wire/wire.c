// SPDX-License-Identifier: MIT
/* Data messages both ways: headers, the ACK window, base messages. */
#include <glib.h>
#include <spice/protocol.h>

#include "net/bounds.h"
#include "wire/wire.h"

static size_t header_size(const struct sc_wire *w)
{
	return w->mini ? SC_MINI_HEADER_SIZE : SC_FULL_HEADER_SIZE;
}

void sc_wire_init(struct sc_wire *w, struct sc_stream *st, bool mini)
{
	w->st = st;
	w->mini = mini;
	w->serial = 0;
	w->msg_start = 0;
	w->acks = false;
	w->unacked = 0;
	w->max_msg = SC_MAX_MSG_SIZE;
}

struct sc_buf *sc_msg_begin(struct sc_wire *w, uint16_t type)
{
	struct sc_buf *b = &w->st->out;

	w->msg_start = b->len;
	if (w->mini) {
		sc_buf_u16(b, type);
		sc_buf_u32(b, 0);
	} else {
		sc_buf_u64(b, ++w->serial);
		sc_buf_u16(b, type);
		sc_buf_u32(b, 0);
		sc_buf_u32(b, 0);	/* sub_list */
	}
	return b;
}

size_t sc_msg_body_len(const struct sc_wire *w)
{
	return w->st->out.len - w->msg_start - header_size(w);
}

void sc_msg_end(struct sc_wire *w)
{
	size_t body = sc_msg_body_len(w);

	g_assert(body <= UINT32_MAX);	/* we built it: never client data */
	sc_put_u32(w->st->out.data + w->msg_start + (w->mini ? 2 : 10),
		   (uint32_t)body);
	if (w->acks)
		w->unacked++;
	sc_stream_end_unit(w->st);
}

void sc_msg_send_empty(struct sc_wire *w, uint16_t type)
{
	sc_msg_begin(w, type);
	sc_msg_end(w);
}

void sc_wire_set_ack(struct sc_wire *w)
{
	struct sc_buf *b = sc_msg_begin(w, SPICE_MSG_SET_ACK);

	sc_buf_u32(b, 1);		/* generation */
	sc_buf_u32(b, SC_ACK_WINDOW);
	sc_msg_end(w);
	w->acks = true;
	w->unacked = 0;
}

bool sc_wire_can_send(const struct sc_wire *w)
{
	if (sc_stream_dead(w->st) || sc_stream_queued(w->st) >= SC_OUT_LIMIT)
		return false;
	return !w->acks || w->unacked < 2 * SC_ACK_WINDOW;
}

void sc_wire_ping(struct sc_wire *w, uint32_t id)
{
	struct sc_buf *b = sc_msg_begin(w, SPICE_MSG_PING);

	sc_buf_u32(b, id);
	sc_buf_u64(b, (uint64_t)g_get_monotonic_time());
	sc_msg_end(w);
}

int sc_wire_recv(struct sc_wire *w, sc_parse_fn *parse, struct sc_msg *m)
{
	struct sc_stream *st = w->st;
	size_t hdr = header_size(w), whole;
	const char *why = "malformed";
	uint16_t type;
	uint32_t size;

	if (sc_stream_in_len(st) < hdr)
		return 0;
	sc_parse_data_header(sc_stream_in_data(st), w->mini, &type, &size);
	if (!sc_size_add(hdr, size, hdr + w->max_msg, &whole)) {
		sc_stream_close(st, "message type %u of %u bytes exceeds %u",
				type, size, w->max_msg);
		return -1;
	}
	if (sc_stream_in_len(st) < whole)
		return 0;
	if (sc_demarshal(parse, type, sc_stream_in_data(st) + hdr, size, m,
			 &why) < 0) {
		sc_stream_close(st, "message type %u: %s", type, why);
		return -1;
	}
	/* Byte views in *m stay valid: the buffer only moves on a read. */
	sc_stream_consume(st, whole);
	/* An ACK the client owes no message for opens nothing. */
	if (m->kind == SC_MSG_ACK)
		w->unacked = sc_sat_sub_u32(w->unacked, SC_ACK_WINDOW);
	return 1;
}
