/* SPDX-License-Identifier: MIT */
/*
 * The smartcard channel's two framings of libcacard's VSC messages (a
 * 12-byte header: type, reader_id, length, then `length` payload bytes;
 * vscard_common.h):
 *
 *  - on the SPICE wire, one VSC message per SMARTCARD_DATA body, its
 *    header little-endian like all SPICE data (sc_parse_smartcard, through
 *    sc_demarshal);
 *  - on the host's chardev (QEMU's ccid-card-passthru), a byte stream of
 *    VSC messages with big-endian headers (struct sc_vsc_rx cuts it into
 *    messages; sc_vsc_put_be writes one header).
 */
#ifndef SPICE_CORE_WIRE_SMARTCARD_H
#define SPICE_CORE_WIRE_SMARTCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/buf.h"

#define SC_VSC_HEADER_SIZE	12
/* Largest VSC payload either way: ccid-card-passthru's input buffer is
 * 64 KiB, header included; usb-ccid's APDUs are far smaller. */
#define SC_VSC_PAYLOAD_MAX	(64 * 1024 - SC_VSC_HEADER_SIZE)

/* VSCMsgType and VSCErrorCode (vscard_common.h) */
enum {
	SC_VSC_INIT = 1,
	SC_VSC_ERROR,
	SC_VSC_READER_ADD,
	SC_VSC_READER_REMOVE,
	SC_VSC_ATR,
	SC_VSC_CARD_REMOVE,
	SC_VSC_APDU,
	SC_VSC_FLUSH,
	SC_VSC_FLUSH_COMPLETE,
};
enum {
	SC_VSC_SUCCESS = 0,
	SC_VSC_GENERAL_ERROR,
	SC_VSC_CANNOT_ADD_MORE_READERS,
	SC_VSC_CARD_ALREADY_INSERTED,
};
#define SC_VSC_UNDEFINED_READER	0xffffffffu

/* One VSC message; data points into the bytes it was parsed from. */
struct sc_vsc {
	uint32_t type, reader_id, length;
	const uint8_t *data;
	size_t size;		/* payload bytes present */
	bool length_ok;		/* length == size (SPICE side) */
};

/* Write a header in the chardev's byte order (big-endian) at p. */
void sc_vsc_put_be(uint8_t *p, uint32_t type, uint32_t reader_id,
		   uint32_t length);
uint32_t sc_get_be32(const uint8_t *p);
void sc_put_be32(uint8_t *p, uint32_t v);

/* The chardev's stream cut into messages.  A header announcing more than
 * SC_VSC_PAYLOAD_MAX is not buffered: its payload is skipped (counted in
 * `oversized`), and the stream stays in step. */
struct sc_vsc_rx {
	struct sc_buf buf;	/* a partial message */
	size_t skip;		/* bytes of an oversized payload still due */
	unsigned long oversized;
};

typedef void sc_vsc_fn(void *opaque, const struct sc_vsc *msg);
void sc_vsc_rx_init(struct sc_vsc_rx *rx);
void sc_vsc_rx_free(struct sc_vsc_rx *rx);
/* Feed n bytes; `fn` is called for each whole message (payload pointers
 * valid during the call only). */
void sc_vsc_rx_feed(struct sc_vsc_rx *rx, const uint8_t *p, size_t n,
		    sc_vsc_fn *fn, void *opaque);

#endif
