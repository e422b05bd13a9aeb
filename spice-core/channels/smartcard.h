/* SPDX-License-Identifier: MIT */
/*
 * The smartcard channel (SPICE_CHANNEL_SMARTCARD, id 0): one reader whose
 * card is on the client, behind a host device speaking libcacard's VSC
 * protocol (QEMU's ccid-card-passthru, a chardev named "smartcard").  The
 * channel is a pass-through channel (vmc.h: one owner, flow control
 * towards the host) that understands the VSC framing:
 *
 *  - client -> host: each SMARTCARD_DATA is one VSC message
 *    (wire/smartcard.h).  ReaderAdd becomes a bare ReaderAdd for reader 0
 *    (a second one is answered VSC_Error CANNOT_ADD_MORE_READERS),
 *    ReaderRemove a ReaderRemove (none added: VSC_Error GENERAL_ERROR);
 *    ATR, APDU, CardRemove and Error go on for reader 0 (another reader
 *    id: VSC_Error GENERAL_ERROR, not passed on); Init is ignored, as are
 *    unknown types (logged once per client).  A header whose length is
 *    not the body's drops the client.
 *  - host -> client: the device's stream cut into messages; each goes to
 *    the client as SMARTCARD_DATA with the reader id 0 (undefined kept),
 *    except Init, which is the device's greeting to the server.  With no
 *    client, messages are dropped; a payload over SC_VSC_PAYLOAD_MAX is
 *    skipped (logged once).  The host's bytes are always all taken.
 *  - VSC_Error's code is network order on the chardev and little-endian
 *    on the wire (what spice-gtk reads); it is converted both ways.
 *  - The owner leaving sends ReaderRemove if a reader was added.
 */
#ifndef SPICE_CORE_CHANNELS_SMARTCARD_H
#define SPICE_CORE_CHANNELS_SMARTCARD_H

#include <stddef.h>
#include <stdint.h>

struct SpiceCoreVmc;

/* Client messages a channel may have queued for it before it is dropped
 * as not reading. */
#define SC_SMARTCARD_OUT_LIMIT	(1024 * 1024)

void sc_smartcard_init(struct SpiceCoreVmc *v);
void sc_smartcard_free(struct SpiceCoreVmc *v);	/* NULL card: nothing */
/* The host's bytes: all taken. */
size_t sc_smartcard_from_host(struct SpiceCoreVmc *v, const uint8_t *p,
			      size_t n);

#endif
