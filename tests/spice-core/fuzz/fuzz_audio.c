// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the record channel's client messages (RECORD_DATA,
 * RECORD_MODE, RECORD_START_MARK; the playback channel has none but the
 * base ones): data header + sc_parse_record.  A parsed message's bytes
 * must lie inside it and account for all of its body after the fixed
 * fields; a refused one must say why.
 */
#include <stddef.h>
#include <stdint.h>

#include "net/buf.h"
#include "wire/demarshal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *body = data + SC_MINI_HEADER_SIZE;
	const char *why = NULL;
	struct sc_msg m;
	uint16_t type;
	uint32_t len;
	size_t fixed;

	if (size < SC_MINI_HEADER_SIZE)
		return 0;
	sc_parse_data_header(data, 1, &type, &len);
	if (len > size - SC_MINI_HEADER_SIZE)
		len = (uint32_t)(size - SC_MINI_HEADER_SIZE);
	if (sc_demarshal(sc_parse_record, type, body, len, &m, &why)) {
		if (!why)
			__builtin_trap();
		return 0;
	}
	switch (m.kind) {
	case SC_MSG_RECORD_DATA:
	case SC_MSG_RECORD_MODE:
		fixed = m.kind == SC_MSG_RECORD_DATA ? 4 : 6;
		if (len < fixed || m.u.record.size != len - fixed)
			__builtin_trap();
		if (m.u.record.size && (m.u.record.data != body + fixed))
			__builtin_trap();
		break;
	case SC_MSG_RECORD_START_MARK:
		if (len < 4)
			__builtin_trap();
		break;
	default:
		break;
	}
	return 0;
}
