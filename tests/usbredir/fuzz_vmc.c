// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the pass-through channels' client messages
 * (usbredir, port, webdav): data header + sc_parse_port (which covers
 * sc_parse_vmc's SPICEVMC_DATA and SPICEVMC_COMPRESSED_DATA, and adds
 * PORT_EVENT).  A parsed DATA message's bytes must be all of its body and
 * lie inside it; PORT_EVENT needs its byte; a refused message says why.
 */
#include <stddef.h>
#include <stdint.h>

#include "net/buf.h"
#include "wire/demarshal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *body = data + SC_MINI_HEADER_SIZE;
	sc_parse_fn *parse;
	const char *why = NULL;
	struct sc_msg m;
	uint16_t type;
	uint32_t len;

	if (size < SC_MINI_HEADER_SIZE + 1)
		return 0;
	/* the first byte picks the channel's parser */
	parse = data[0] & 1 ? sc_parse_port : sc_parse_vmc;
	data++;
	size--;
	body = data + SC_MINI_HEADER_SIZE;
	sc_parse_data_header(data, 1, &type, &len);
	if (len > size - SC_MINI_HEADER_SIZE)
		len = (uint32_t)(size - SC_MINI_HEADER_SIZE);
	if (sc_demarshal(parse, type, body, len, &m, &why)) {
		if (!why)
			__builtin_trap();
		return 0;
	}
	switch (m.kind) {
	case SC_MSG_VMC_DATA:
	case SC_MSG_VMC_COMPRESSED_DATA:
		if (m.u.vmc.size != len)
			__builtin_trap();
		if (len && m.u.vmc.data != body)
			__builtin_trap();
		break;
	case SC_MSG_PORT_EVENT:
		if (parse != sc_parse_port || len < 1 ||
		    m.u.port_event != body[0])
			__builtin_trap();
		break;
	default:
		break;
	}
	return 0;
}
