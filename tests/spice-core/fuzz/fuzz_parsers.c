// SPDX-License-Identifier: MIT
/*
 * libFuzzer targets for spice-core's parsers of client bytes.  One source,
 * one target per parser, chosen at build time with -DFUZZ_<NAME>:
 *   LINK            link header + link message (caps, offsets)
 *   MSG_MAIN, MSG_DISPLAY, MSG_INPUTS, MSG_CURSOR
 *                   data header + the channel's message demarshaller
 *   AGENT           VD agent header, monitors config, capabilities;
 *                   and the same bytes as a guest agent's message stream
 *                   (wire/agentmsg.c), fed in pieces
 *   SASL            the client's SASL stream: mechanism name length and
 *                   name against an offered list, then start/step data
 *                   lengths and data
 *   MIGDATA         seamless migration data a client hands the target
 *                   (wire/migdata.c): what parses must write back the
 *                   same bytes
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "net/buf.h"
#include "wire/agentmsg.h"
#include "wire/demarshal.h"
#include "wire/migdata.h"

/* Step over `skip` bytes; whether `want` more follow. */
static __attribute__((unused)) int step(const uint8_t **data, size_t *size,
					size_t skip, size_t want)
{
	*data += skip;
	*size -= skip;
	return want <= *size;
}

static __attribute__((unused)) void check_msg(sc_parse_fn *parse,
					      const uint8_t *data, size_t size)
{
	struct sc_msg m;
	const char *why = NULL;
	uint16_t type;
	uint32_t len;

	if (size < SC_MINI_HEADER_SIZE)
		return;
	sc_parse_data_header(data, 1, &type, &len);
	if (len > size - SC_MINI_HEADER_SIZE)
		len = (uint32_t)(size - SC_MINI_HEADER_SIZE);
	if (sc_demarshal(parse, type, data + SC_MINI_HEADER_SIZE, len, &m,
			 &why) == 0) {
		/* Byte views must stay inside the message. */
		if (m.kind == SC_MSG_MAIN_AGENT_DATA ||
		    m.kind == SC_MSG_INPUTS_KEY_SCANCODE) {
			const uint8_t *end = data + SC_MINI_HEADER_SIZE + len;

			if (m.u.bytes.size && (m.u.bytes.data < data ||
			    m.u.bytes.data + m.u.bytes.size > end))
				__builtin_trap();
		}
	} else if (!why) {
		__builtin_trap();	/* an error must say why */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(FUZZ_LINK)
	struct sc_link_mess l;
	const char *why = NULL;
	uint32_t len;

	if (size < SC_LINK_HEADER_SIZE)
		return 0;
	if (sc_parse_link_header(data, &len, &why) != 0)
		return 0;
	data += SC_LINK_HEADER_SIZE;
	size -= SC_LINK_HEADER_SIZE;
	if (len > size)
		return 0;
	if (sc_parse_link_mess(data, len, &l, &why) == 0 &&
	    (l.num_common_caps > SC_LINK_MAX_CAPS ||
	     l.num_channel_caps > SC_LINK_MAX_CAPS))
		__builtin_trap();
#elif defined(FUZZ_MSG_MAIN)
	check_msg(sc_parse_main, data, size);
#elif defined(FUZZ_MSG_DISPLAY)
	check_msg(sc_parse_display, data, size);
#elif defined(FUZZ_MSG_INPUTS)
	check_msg(sc_parse_inputs, data, size);
#elif defined(FUZZ_MSG_CURSOR)
	check_msg(NULL, data, size);	/* base messages only */
#elif defined(FUZZ_AGENT)
	struct sc_agent_header h;
	struct spice_core_head heads[SC_MAX_HEADS];
	const char *why = NULL;
	uint32_t req, caps;
	unsigned int n;
	struct sc_agent_rx rx;
	size_t off, piece;

	/* The guest's stream: pieces of 1..8 bytes as the first byte says. */
	sc_agent_rx_init(&rx);
	for (off = 0; off < size; off += piece) {
		piece = MIN(size - off, (size_t)(1 + (data[0] >> (off % 5) & 7)));
		why = NULL;
		if (sc_agent_rx_feed(&rx, data + off, piece, &why) && !why)
			__builtin_trap();	/* an error must say why */
		if (rx.hdr_len > SC_AGENT_MSG_HDR ||
		    rx.body_len > SC_AGENT_RX_KEEP ||
		    (rx.announces && rx.announces * (SC_AGENT_MSG_HDR + 4) >
		     off + piece))
			__builtin_trap();
	}
	why = NULL;

	if (size < SC_AGENT_HEADER_SIZE)
		return 0;
	if (sc_parse_agent_header(data, &h, &why))
		return 0;
	data += SC_AGENT_HEADER_SIZE;
	size -= SC_AGENT_HEADER_SIZE;
	if (sc_parse_agent_monitors(data, size, heads, &n, &why) == 0 &&
	    (n == 0 || n > SC_MAX_HEADS))
		__builtin_trap();
	sc_parse_agent_caps(data, size, &req, &caps, &why);
#elif defined(FUZZ_SASL)
	/* The first byte picks the offered list, the rest is the stream. */
	static const char *const lists[] = { ",DIGEST-MD5,",
		",SCRAM-SHA-1,DIGEST-MD5,PLAIN,", ",A,", "," };
	char mech[SC_SASL_MECH_MAX + 1];
	const char *why = NULL, *list;
	uint32_t len;
	int steps = 0;

	if (size < 1)
		return 0;
	list = lists[data[0] % 4];
	data++;
	size--;
	if (size < 4)
		return 0;
	if (sc_parse_sasl_mechlen(data, &len, &why)) {
		if (!why)
			__builtin_trap();
		return 0;
	}
	if (len < 1 || len > SC_SASL_MECH_MAX)
		__builtin_trap();
	if (!step(&data, &size, 4, len))
		return 0;
	if (sc_parse_sasl_mechname(data, len, list, mech, &why) == 0) {
		char quoted[SC_SASL_MECH_MAX + 3];

		/* Accepted: a whole listed name, nothing but A-Z 0-9 - _. */
		if (strlen(mech) != len || strspn(mech,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != len)
			__builtin_trap();
		quoted[0] = ',';
		memcpy(quoted + 1, mech, len);
		quoted[len + 1] = ',';
		quoted[len + 2] = '\0';
		if (!strstr(list, quoted))
			__builtin_trap();
	} else if (!why || mech[0]) {
		__builtin_trap();
	}
	data += len;
	size -= len;
	while (size >= 4 && steps++ < 64) {
		if (sc_parse_sasl_datalen(data, &len, &why))
			return 0;
		if (len > SC_SASL_DATA_MAX)
			__builtin_trap();
		if (!step(&data, &size, 4, len))
			return 0;
		data += len;
		size -= len;
	}
#elif defined(FUZZ_MIGDATA)
	struct sc_mig_data d;
	const char *why = NULL;
	struct sc_buf b;

	if (sc_parse_mig_data(data, size, &d, &why) < 0) {
		if (!why)
			__builtin_trap();
		return 0;
	}
	sc_buf_init(&b);
	sc_mig_data_put(&b, &d);
	if (b.len != size || memcmp(b.data, data, size))
		__builtin_trap();
	sc_buf_free(&b);
#else
#error "define one FUZZ_<NAME>"
#endif
	return 0;
}
