// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the smartcard channel's two parsers
 * (spice-core/wire/smartcard.c):
 *
 *  - first byte even: the rest is a client message (data header + body)
 *    through sc_demarshal(sc_parse_smartcard): a parsed SMARTCARD_DATA
 *    has the body's header fields, its payload is the rest of the body,
 *    and length_ok says whether the header's length matches it;
 *  - first byte odd: the rest is the chardev's stream, fed to a
 *    struct sc_vsc_rx in pieces whose sizes the input picks: every
 *    message delivered lies inside what was fed, has at most
 *    SC_VSC_PAYLOAD_MAX bytes, and the same stream fed at once delivers
 *    the same messages.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/buf.h"
#include "wire/demarshal.h"
#include "wire/smartcard.h"

struct tally {
	uint64_t sum;		/* of types, lengths and payload bytes */
	unsigned int n;
};

static void count(void *opaque, const struct sc_vsc *m)
{
	struct tally *t = opaque;
	size_t i;

	if (m->length > SC_VSC_PAYLOAD_MAX || m->size != m->length ||
	    !m->length_ok)
		__builtin_trap();
	t->sum += m->type * 31u + m->reader_id * 7u + m->length;
	for (i = 0; i < m->size; i++)	/* ASan checks every byte */
		t->sum += m->data[i];
	t->n++;
}

static void fuzz_stream(const uint8_t *data, size_t size)
{
	struct sc_vsc_rx rx;
	struct tally a = { 0 }, b = { 0 };
	size_t pos = 0;

	sc_vsc_rx_init(&rx);
	sc_vsc_rx_feed(&rx, data, size, count, &a);
	sc_vsc_rx_free(&rx);

	/* the same bytes in pieces of 1..16 bytes (sizes from the data) */
	sc_vsc_rx_init(&rx);
	while (pos < size) {
		size_t piece = 1 + data[pos] % 16;

		if (piece > size - pos)
			piece = size - pos;
		sc_vsc_rx_feed(&rx, data + pos, piece, count, &b);
		pos += piece;
	}
	sc_vsc_rx_free(&rx);
	if (a.n != b.n || a.sum != b.sum)
		__builtin_trap();
}

static void fuzz_message(const uint8_t *data, size_t size)
{
	const uint8_t *body = data + SC_MINI_HEADER_SIZE;
	const char *why = NULL;
	struct sc_msg m;
	uint16_t type;
	uint32_t len;

	if (size < SC_MINI_HEADER_SIZE)
		return;
	sc_parse_data_header(data, 1, &type, &len);
	if (len > size - SC_MINI_HEADER_SIZE)
		len = (uint32_t)(size - SC_MINI_HEADER_SIZE);
	if (sc_demarshal(sc_parse_smartcard, type, body, len, &m, &why)) {
		if (!why)
			__builtin_trap();
		return;
	}
	if (m.kind != SC_MSG_SMARTCARD_DATA)
		return;
	if (len < SC_VSC_HEADER_SIZE || m.u.vsc.size != len - 12 ||
	    (m.u.vsc.size && m.u.vsc.data != body + 12) ||
	    m.u.vsc.type != sc_get_u32(body) ||
	    m.u.vsc.length != sc_get_u32(body + 8) ||
	    m.u.vsc.length_ok != (m.u.vsc.length == m.u.vsc.size))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_stream(data + 1, size - 1);
	else
		fuzz_message(data + 1, size - 1);
	return 0;
}
