/* SPDX-License-Identifier: MIT */
/*
 * Layer 2, the wire: SPICE data messages on a stream, both ways.  Framing
 * (mini or full headers), the client's messages turned into struct sc_msg
 * (demarshal.h), the base messages every channel shares (ACK, PONG, ...)
 * and the ACK window that paces what a channel may send.  Nothing here
 * knows which channel it carries: the caller passes the channel's parser.
 */
#ifndef SPICE_CORE_WIRE_WIRE_H
#define SPICE_CORE_WIRE_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "net/net.h"
#include "wire/demarshal.h"

#define SC_ACK_WINDOW		20	/* messages per client ACK */
#define SC_OUT_LIMIT		(4u << 20)	/* queue more only below this */
#define SC_MAX_MSG_SIZE		16384	/* largest client message */

struct sc_wire {
	struct sc_stream *st;
	bool mini;			/* mini headers (the client's cap) */
	uint64_t serial;		/* full headers: last serial sent */
	size_t msg_start;		/* header of the message being built */
	bool acks;			/* SET_ACK flow control on */
	uint32_t unacked;
	uint32_t max_msg;		/* largest client message body:
					 * SC_MAX_MSG_SIZE unless the channel
					 * raises it */
};

void sc_wire_init(struct sc_wire *w, struct sc_stream *st, bool mini);

/* Start a message of `type` on the stream's output; append its body to
 * the buffer returned, then sc_msg_end(). */
struct sc_buf *sc_msg_begin(struct sc_wire *w, uint16_t type);
void sc_msg_end(struct sc_wire *w);
/* A message without a body. */
void sc_msg_send_empty(struct sc_wire *w, uint16_t type);
/* Body bytes of the message being built so far. */
size_t sc_msg_body_len(const struct sc_wire *w);

/* Send SET_ACK: from now on the window paces sc_wire_can_send(). */
void sc_wire_set_ack(struct sc_wire *w);
/* May the channel queue another message (window open, output small)? */
bool sc_wire_can_send(const struct sc_wire *w);
/* A PING (wakes a client that waits for the socket). */
void sc_wire_ping(struct sc_wire *w, uint32_t id);

/* The next complete client message: 1 with *m filled (and consumed from
 * the stream), 0 if it has not all arrived, -1 after closing the stream
 * for a malformed or oversized one.  Base messages are handled here (an
 * ACK opens the window) and come back with their kind for the caller to
 * skip (sc_msg_is_base). */
int sc_wire_recv(struct sc_wire *w, sc_parse_fn *parse, struct sc_msg *m);

#endif
