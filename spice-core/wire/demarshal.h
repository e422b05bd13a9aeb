/* SPDX-License-Identifier: MIT */
/*
 * Client bytes -> message structs.  Pure functions with no state and no
 * allocation, so each one can be fuzzed alone.  Every parser returns 0 on
 * success or -1 with *why naming what was wrong.
 */
#ifndef SPICE_CORE_DEMARSHAL_H
#define SPICE_CORE_DEMARSHAL_H

#include <stddef.h>
#include <stdint.h>
#include <spice-core/spice-core.h>
#include "wire/smartcard.h"

#define SC_LINK_HEADER_SIZE	16
#define SC_LINK_MESS_SIZE	18
#define SC_LINK_MAX_SIZE	4096	/* largest link message we accept */
#define SC_LINK_MAX_CAPS	1024	/* cap words per list */
#define SC_CAP_WORDS		4	/* cap words we keep (128 caps) */
#define SC_MINI_HEADER_SIZE	6
#define SC_FULL_HEADER_SIZE	18
#define SC_TICKET_SIZE		128	/* RSA-1024 ciphertext */
#define SC_AGENT_HEADER_SIZE	20	/* VDAgentMessage */
#define SC_MAX_HEADS		16
#define SC_SASL_MECH_MAX	100	/* longest SASL mechanism name */
#define SC_SASL_DATA_MAX	65536	/* largest SASL start/step payload */

struct sc_link_mess {
	uint32_t connection_id;
	uint8_t channel_type;
	uint8_t channel_id;
	uint32_t num_common_caps;
	uint32_t num_channel_caps;
	uint32_t common_caps[SC_CAP_WORDS];	/* first words, rest zero */
	uint32_t channel_caps[SC_CAP_WORDS];
};

/* Link header (16 bytes): *size gets the link message size.  Returns a
 * SPICE_LINK_ERR_* (0 when fine). */
int sc_parse_link_header(const uint8_t *p, uint32_t *size, const char **why);
/* Link message of `size` bytes.  Returns a SPICE_LINK_ERR_*. */
int sc_parse_link_mess(const uint8_t *p, size_t size,
		       struct sc_link_mess *out, const char **why);

static inline int sc_has_cap(const uint32_t *caps, unsigned int cap)
{
	return cap / 32 < SC_CAP_WORDS && (caps[cap / 32] >> (cap % 32)) & 1;
}

/* Data header, mini (6 bytes) or full (18 bytes). */
void sc_parse_data_header(const uint8_t *p, int mini, uint16_t *type,
			  uint32_t *size);

enum sc_msg_kind {
	SC_MSG_IGNORED = 0,	/* known but unused, or unknown type */
	SC_MSG_ACK_SYNC,
	SC_MSG_ACK,
	SC_MSG_PONG,
	SC_MSG_DISCONNECTING,
	SC_MSG_MIGRATE_FLUSH_MARK,	/* seamless migration, at the source */
	SC_MSG_MIGRATE_DATA,		/* at the target (bytes: the blob) */
	SC_MSG_MAIN_ATTACH_CHANNELS,
	SC_MSG_MAIN_MOUSE_MODE_REQUEST,
	SC_MSG_MAIN_AGENT_START,
	SC_MSG_MAIN_AGENT_DATA,
	SC_MSG_MAIN_AGENT_TOKEN,
	SC_MSG_MAIN_MIGRATE_CONNECTED,	/* linked to the migration target */
	SC_MSG_MAIN_MIGRATE_CONNECT_ERROR,
	SC_MSG_MAIN_MIGRATE_END,	/* at the target: switched to us */
	SC_MSG_MAIN_MIGRATE_CONNECTED_SEAMLESS,
	SC_MSG_MAIN_MIGRATE_DST_DO_SEAMLESS,	/* at the target (version) */
	SC_MSG_DISPLAY_INIT,
	SC_MSG_DISPLAY_PREFERRED_COMPRESSION,
	SC_MSG_INPUTS_KEY_DOWN,
	SC_MSG_INPUTS_KEY_UP,
	SC_MSG_INPUTS_KEY_MODIFIERS,
	SC_MSG_INPUTS_KEY_SCANCODE,
	SC_MSG_INPUTS_MOUSE_MOTION,
	SC_MSG_INPUTS_MOUSE_POSITION,
	SC_MSG_INPUTS_MOUSE_PRESS,
	SC_MSG_INPUTS_MOUSE_RELEASE,
	SC_MSG_RECORD_DATA,
	SC_MSG_RECORD_MODE,
	SC_MSG_RECORD_START_MARK,
	SC_MSG_VMC_DATA,		/* wire/vmc.c */
	SC_MSG_VMC_COMPRESSED_DATA,
	SC_MSG_PORT_EVENT,
	SC_MSG_SMARTCARD_DATA,		/* wire/smartcard.c */
};

/* Base messages: wire.c and the dispatcher handle them, channels never
 * see them. */
static inline int sc_msg_is_base(enum sc_msg_kind kind)
{
	return kind <= SC_MSG_MIGRATE_DATA;
}

struct sc_msg {
	uint16_t type;			/* SPICE_MSGC_* as sent */
	enum sc_msg_kind kind;
	union {
		uint32_t generation;		/* ACK_SYNC */
		struct { uint32_t id; uint64_t timestamp; } pong;
		uint16_t mouse_mode;		/* MOUSE_MODE_REQUEST */
		uint32_t tokens;		/* AGENT_START, AGENT_TOKEN */
		uint32_t mig_version;		/* DST_DO_SEAMLESS */
		struct { const uint8_t *data; size_t size; } bytes;
				/* AGENT_DATA, KEY_SCANCODE, MIGRATE_DATA */
		struct { int64_t pixmap_cache_size;
			 int32_t glz_window; } display_init;
		uint8_t compression;		/* PREFERRED_COMPRESSION */
		uint32_t key_code;		/* KEY_DOWN, KEY_UP */
		uint16_t modifiers;		/* KEY_MODIFIERS */
		struct { int32_t dx, dy; uint16_t buttons; } motion;
		struct { uint32_t x, y; uint16_t buttons;
			 uint8_t display_id; } position;
		struct { uint8_t button; uint16_t buttons; } press;
		/* RECORD_DATA (data: the samples), RECORD_MODE (data: the
		 * codec's), RECORD_START_MARK (time only). */
		struct { uint32_t time; uint16_t mode;
			 const uint8_t *data; size_t size; } record;
		/* VMC_DATA, VMC_COMPRESSED_DATA (data: all of the body) */
		struct { const uint8_t *data; size_t size; } vmc;
		uint8_t port_event;		/* PORT_EVENT */
		struct sc_vsc vsc;		/* SMARTCARD_DATA */
	} u;
};

struct sc_rd;
/* A channel's own client messages: fills *m for the types it knows (a
 * short body is caught by the reader r), leaves the rest SC_MSG_IGNORED. */
typedef void sc_parse_fn(uint16_t type, struct sc_rd *r, struct sc_msg *m);
sc_parse_fn sc_parse_main;
sc_parse_fn sc_parse_display;
sc_parse_fn sc_parse_inputs;
sc_parse_fn sc_parse_record;
sc_parse_fn sc_parse_vmc;	/* usbredir (wire/vmc.c) */
sc_parse_fn sc_parse_port;	/* port, webdav: the above + PORT_EVENT */
sc_parse_fn sc_parse_smartcard;	/* SMARTCARD_DATA (wire/smartcard.c) */

/* One client message: the base messages every channel accepts, else
 * `parse`'s (NULL: none).  Bytes pointers in the result point into
 * `body`. */
int sc_demarshal(sc_parse_fn *parse, uint16_t type, const uint8_t *body,
		 size_t size, struct sc_msg *out, const char **why);

/* VD agent message header (20 bytes). */
struct sc_agent_header {
	uint32_t protocol;
	uint32_t type;
	uint64_t opaque;
	uint32_t size;
};
int sc_parse_agent_header(const uint8_t *p, struct sc_agent_header *out,
			  const char **why);
/* VDAgentMonitorsConfig body of `size` bytes -> heads (at most
 * SC_MAX_HEADS), skipping disabled (0x0) entries; sizes 1..SC_DIM_MAX,
 * positions clamped to +-SC_COORD_LIMIT (net/bounds.h). */
int sc_parse_agent_monitors(const uint8_t *p, size_t size,
			    struct spice_core_head *heads, unsigned int *n,
			    const char **why);
/* VDAgentAnnounceCapabilities: *request and the first cap word. */
int sc_parse_agent_caps(const uint8_t *p, size_t size, uint32_t *request,
			uint32_t *caps0, const char **why);

/* SASL (after the client chose SPICE_COMMON_CAP_AUTH_SASL).  The client
 * sends u32 mechanism-name length, the name, then u32 data length and the
 * data (length counts a trailing NUL; 0 means "no data") for the start and
 * for every further step. */
/* Mechanism name length: 1..SC_SASL_MECH_MAX. */
int sc_parse_sasl_mechlen(const uint8_t *p, uint32_t *len, const char **why);
/* Mechanism name of `len` bytes: only A-Z 0-9 - _ and listed in `mechlist`
 * (",A,B," as sasl_listmech gives it); copied NUL-terminated into out. */
int sc_parse_sasl_mechname(const uint8_t *p, size_t len, const char *mechlist,
			   char out[SC_SASL_MECH_MAX + 1], const char **why);
/* Start/step data length: 0..SC_SASL_DATA_MAX. */
int sc_parse_sasl_datalen(const uint8_t *p, uint32_t *len, const char **why);

#endif
