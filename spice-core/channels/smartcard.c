// SPDX-License-Identifier: MIT
/* The smartcard channel: VSC messages between one client's card and the
 * host's ccid-card-passthru (smartcard.h). */
#include <string.h>
#include <spice/protocol.h>

#include "channels/channels.h"
#include "channels/smartcard.h"
#include "channels/vmc.h"
#include "wire/smartcard.h"

#define READER_ID	0u	/* the one reader */

struct sc_smartcard {
	struct sc_vsc_rx rx;		/* the host's stream */
	bool reader_added;		/* ReaderAdd sent to the host */
	bool warned_unknown;		/* this client's unknown types */
	bool warned_oversized;
	bool stale;			/* the message coming in began
					 * before this client came */
	/* Where the messages queued for the host end (counted in bytes
	 * ever queued), so that a client leaving drops its unwritten
	 * messages but not the rest of one the host has begun. */
	uint64_t queued;
	GArray *ends;			/* uint64_t, oldest first */
	guint ends_head;
	uint64_t done;			/* the last end the host passed */
};

void sc_smartcard_init(struct SpiceCoreVmc *v)
{
	v->card = g_new0(struct sc_smartcard, 1);
	sc_vsc_rx_init(&v->card->rx);
	v->card->ends = g_array_new(FALSE, FALSE, sizeof(uint64_t));
}

void sc_smartcard_free(struct SpiceCoreVmc *v)
{
	if (!v->card)
		return;
	sc_vsc_rx_free(&v->card->rx);
	g_array_free(v->card->ends, TRUE);
	g_free(v->card);
	v->card = NULL;
}

/* Host -> client ---------------------------------------------------------- */

static void send_vsc(struct sc_conn *c, uint32_t type, uint32_t reader_id,
		     const uint8_t *payload, uint32_t length)
{
	struct sc_buf *b = sc_msg_begin(&c->wire, SPICE_MSG_SMARTCARD_DATA);

	sc_buf_u32(b, type);
	sc_buf_u32(b, reader_id);
	sc_buf_u32(b, length);
	if (type == SC_VSC_ERROR && length == 4)
		sc_buf_u32(b, sc_get_be32(payload));
	else
		sc_buf_put(b, payload, length);
	sc_msg_end(&c->wire);
	sc_stream_flush(c->st);
}

/* The server's own VSC_Error to the client (code little-endian). */
static void send_error(struct sc_conn *c, uint32_t reader_id, uint32_t code)
{
	uint8_t be[4];

	sc_put_be32(be, code);		/* send_vsc turns it around */
	send_vsc(c, SC_VSC_ERROR, reader_id, be, 4);
}

static void from_host_msg(void *opaque, const struct sc_vsc *m)
{
	struct SpiceCoreVmc *v = opaque;
	struct sc_conn *c = v->owner;

	if (v->card->stale) {
		v->card->stale = false;
		return;
	}
	if (m->type == SC_VSC_INIT)
		return;		/* the device's greeting; nothing to answer */
	if (!c || !sc_conn_running(c)) {
		g_debug("smartcard: no client, VSC type %u dropped", m->type);
		return;
	}
	if (sc_stream_queued(c->st) > SC_SMARTCARD_OUT_LIMIT) {
		sc_stream_close(c->st, "smartcard: the client takes no "
				"messages (%zu bytes queued)",
				sc_stream_queued(c->st));
		return;
	}
	send_vsc(c, m->type, m->reader_id == SC_VSC_UNDEFINED_READER ?
		 SC_VSC_UNDEFINED_READER : READER_ID, m->data, m->length);
}

size_t sc_smartcard_from_host(struct SpiceCoreVmc *v, const uint8_t *p,
			      size_t n)
{
	struct sc_smartcard *sc = v->card;

	sc_vsc_rx_feed(&sc->rx, p, n, from_host_msg, v);
	if (sc->rx.oversized && !sc->warned_oversized) {
		sc->warned_oversized = true;
		g_message("smartcard: the device sent a VSC message over "
			  "%u bytes; skipped (logged once)",
			  SC_VSC_PAYLOAD_MAX);
	}
	return n;
}

/* Client -> host ---------------------------------------------------------- */

/* Bytes the host has taken, ever. */
static uint64_t host_took(const struct SpiceCoreVmc *v)
{
	return v->card->queued - (v->in.len - v->in_off);
}

/* Forget the ends of messages the host has all of; returns the end of
 * the first one it has not (0: none queued). */
static uint64_t first_open_end(struct SpiceCoreVmc *v)
{
	struct sc_smartcard *sc = v->card;
	uint64_t took = host_took(v);

	while (sc->ends_head < sc->ends->len &&
	       g_array_index(sc->ends, uint64_t, sc->ends_head) <= took)
		sc->done = g_array_index(sc->ends, uint64_t, sc->ends_head++);
	if (sc->ends_head > 64 && sc->ends_head * 2 > sc->ends->len) {
		g_array_remove_range(sc->ends, 0, sc->ends_head);
		sc->ends_head = 0;
	}
	if (sc->ends_head == sc->ends->len)
		return 0;
	return g_array_index(sc->ends, uint64_t, sc->ends_head);
}

/* The owner leaves: keep only the rest of a message the host has begun. */
static void drop_unwritten(struct SpiceCoreVmc *v)
{
	struct sc_smartcard *sc = v->card;
	uint64_t took = host_took(v), end = first_open_end(v);
	size_t keep = 0;

	if (end && took > sc->done)	/* the host is inside a message */
		keep = (size_t)(end - took);
	v->in.len = v->in_off + keep;
	sc->queued = took + keep;
	g_array_set_size(sc->ends, 0);
	sc->ends_head = 0;
	if (keep)
		g_array_append_val(sc->ends, sc->queued);
}

static void to_host(struct SpiceCoreVmc *v, uint32_t type,
		    const uint8_t *payload, uint32_t length)
{
	uint8_t h[SC_VSC_HEADER_SIZE];
	uint64_t end;

	first_open_end(v);
	v->card->queued += SC_VSC_HEADER_SIZE + (uint64_t)length;
	end = v->card->queued;
	g_array_append_val(v->card->ends, end);
	sc_vsc_put_be(h, type, READER_ID, length);
	sc_vmc_from_client(v, h, sizeof(h));
	if (type == SC_VSC_ERROR && length == 4) {
		uint8_t be[4];

		sc_put_be32(be, sc_get_u32(payload));
		sc_vmc_from_client(v, be, 4);
	} else if (length) {
		sc_vmc_from_client(v, payload, length);
	}
}

static int smartcard_handle(struct sc_conn *c, const struct sc_msg *msg)
{
	struct SpiceCoreVmc *v = sc_vmc_conn(c);
	const struct sc_vsc *m = &msg->u.vsc;

	if (!v || v->owner != c || msg->kind != SC_MSG_SMARTCARD_DATA)
		return 0;	/* a client that left may have messages read */
	if (!m->length_ok) {
		sc_stream_close(c->st, "smartcard: VSC length %u, the message "
				"has %zu payload bytes", m->length, m->size);
		return -1;
	}
	switch (m->type) {
	case SC_VSC_READER_ADD:
		if (v->card->reader_added) {
			send_error(c, SC_VSC_UNDEFINED_READER,
				   SC_VSC_CANNOT_ADD_MORE_READERS);
			return 0;
		}
		v->card->reader_added = true;
		to_host(v, SC_VSC_READER_ADD, NULL, 0);
		return 0;
	case SC_VSC_READER_REMOVE:
		if (!v->card->reader_added || m->reader_id != READER_ID) {
			send_error(c, m->reader_id, SC_VSC_GENERAL_ERROR);
			return 0;
		}
		v->card->reader_added = false;
		to_host(v, SC_VSC_READER_REMOVE, NULL, 0);
		return 0;
	case SC_VSC_INIT:
		return 0;
	case SC_VSC_ERROR:
	case SC_VSC_ATR:
	case SC_VSC_CARD_REMOVE:
	case SC_VSC_APDU:
		if (m->reader_id != READER_ID) {
			send_error(c, m->reader_id, SC_VSC_GENERAL_ERROR);
			return 0;
		}
		to_host(v, m->type, m->data, m->length);
		return 0;
	default:
		if (!v->card->warned_unknown) {
			v->card->warned_unknown = true;
			g_message("smartcard: VSC type %u from the client "
				  "ignored (logged once per client)", m->type);
		}
		return 0;
	}
}

static void smartcard_start(struct sc_conn *c)
{
	struct SpiceCoreVmc *v;

	sc_vmc_start(c);
	v = sc_vmc_conn(c);
	if (!v)
		return;
	c->wire.max_msg = SC_VSC_HEADER_SIZE + SC_VSC_PAYLOAD_MAX;
	v->card->warned_unknown = false;
	v->card->stale = v->card->rx.buf.len > 0;
	sc_vmc_flush(v);	/* what an earlier client left the device */
}

static void smartcard_close(struct sc_conn *c)
{
	struct SpiceCoreVmc *v = sc_vmc_conn(c);

	if (v && v->owner == c) {
		drop_unwritten(v);
		if (v->card->reader_added) {
			v->card->reader_added = false;
			to_host(v, SC_VSC_READER_REMOVE, NULL, 0);
		}
	}
	sc_vmc_close(c);
}

static bool exists_smartcard(struct sc_channels *chs, uint8_t id)
{
	return sc_vmc_find(chs, SPICE_CHANNEL_SMARTCARD, id);
}

const struct sc_channel_ops sc_smartcard_channel = {
	.name = "smartcard",
	.type = SPICE_CHANNEL_SMARTCARD,
	.parse = sc_parse_smartcard,
	.exists = exists_smartcard,
	.start = smartcard_start,
	.handle = smartcard_handle,
	.pump = sc_vmc_pump,
	.held = sc_vmc_held,
	.close = smartcard_close,
};
