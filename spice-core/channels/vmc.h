/* SPDX-License-Identifier: MIT */
/*
 * The pass-through channels (usbredir, port, webdav): a host device's byte
 * stream to one client as SPICEVMC_DATA messages, both ways bounded.
 *
 *  - guest -> client: sc_vmc_read() sends what it is offered while the
 *    owner's socket queue holds under SC_VMC_OUT_LIMIT bytes, in messages
 *    of at most SC_VMC_MSG_MAX; the rest is refused (the host throttles
 *    its device) until the client has taken enough: ops->read_ready.
 *    With no client nothing is taken, as the reference does.
 *  - client -> guest: DATA bodies (at most SC_VMC_CLIENT_MSG_MAX) join a
 *    buffer written to the host as far as it takes them; while it holds
 *    SC_VMC_IN_LIMIT bytes or more the owner's messages are left unread
 *    (ops->held), so its socket is not read either (nor its leaving seen,
 *    unless it resets the connection, until the guest takes bytes).
 *
 * The smartcard channel (smartcard.h) shares this owner and client ->
 * host path; its host -> client side is its own.
 *
 * One client owns a channel: a second one linking to it is dropped.  The
 * owner leaving drops its unwritten bytes and tells the host
 * (ops->client(false)).  SPICEVMC_COMPRESSED_DATA: the LZ4 cap is not
 * advertised, so a client that sends it anyway is dropped.
 */
#ifndef SPICE_CORE_CHANNELS_VMC_H
#define SPICE_CORE_CHANNELS_VMC_H

#include "channels/channel.h"
#include "net/buf.h"

#define SC_VMC_MSG_MAX		(64 * 1024)	/* DATA body to the client */
#define SC_VMC_CLIENT_MSG_MAX	(192 * 1024)	/* and from it: spice-gtk
						 * sends a port write whole;
						 * under net's SC_IN_LIMIT */
#define SC_VMC_OUT_LIMIT	(256 * 1024)	/* queued for the client */
#define SC_VMC_IN_LIMIT		(64 * 1024)	/* waiting for the guest */
#define SC_VMC_PER_TYPE		16	/* channels of one type */
#define SC_VMC_NAME_MAX		255	/* port names */

struct spice_core_vmc_ops;
struct sc_smartcard;

struct SpiceCoreVmc {
	struct sc_channels *chs;
	const struct spice_core_vmc_ops *ops;
	void *opaque;
	uint8_t type, id;		/* SPICE_CHANNEL_*, its id */
	char *name;
	bool port_opened;		/* the guest's side (port channels) */
	struct sc_conn *owner;		/* the client that has it */
	bool read_blocked;		/* refused guest bytes */
	bool in_held;			/* owner's input left unread */
	struct sc_buf in;		/* client bytes for the guest ... */
	size_t in_off;			/* ... from here */
	struct sc_smartcard *card;	/* smartcard.c's state, or NULL */
};

/* All of a server's (model->vmcs). */
struct sc_vmcs {
	struct SpiceCoreVmc *list[4 * SC_VMC_PER_TYPE];
	unsigned int n;
};

/* The channel type for a device name, or 0 if none. */
uint8_t sc_vmc_type_for_name(const char *name);
struct SpiceCoreVmc *sc_vmc_add(struct sc_channels *chs, const char *name,
				const struct spice_core_vmc_ops *ops,
				void *opaque, const char **why);
void sc_vmc_remove(struct SpiceCoreVmc *v);
/* Free what is left at server teardown (the connections went first). */
void sc_vmcs_free(struct sc_model *m);
size_t sc_vmc_read(struct SpiceCoreVmc *v, const uint8_t *p, size_t n);
void sc_vmc_flush(struct SpiceCoreVmc *v);
void sc_vmc_port_opened(struct SpiceCoreVmc *v, bool opened);

/* For the smartcard channel: the device of a channel, bytes from its
 * client for the host (flow-controlled as above), and the generic
 * sc_channel_ops steps. */
struct SpiceCoreVmc *sc_vmc_find(struct sc_channels *chs, uint8_t type,
				  uint8_t id);
struct SpiceCoreVmc *sc_vmc_conn(struct sc_conn *c);
void sc_vmc_from_client(struct SpiceCoreVmc *v, const uint8_t *p, size_t n);
void sc_vmc_start(struct sc_conn *c);
bool sc_vmc_held(struct sc_conn *c);
void sc_vmc_pump(struct sc_conn *c);
void sc_vmc_close(struct sc_conn *c);

#endif
