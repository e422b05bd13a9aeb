// SPDX-License-Identifier: MIT
/* Client messages of the pass-through channels: SPICEVMC_DATA and
 * SPICEVMC_COMPRESSED_DATA carry the whole body (the channel decides what
 * to do with it), the port channels' PORT_EVENT one byte. */
#include <spice/enums.h>

#include "net/buf.h"
#include "wire/demarshal.h"

void sc_parse_vmc(uint16_t type, struct sc_rd *r, struct sc_msg *m)
{
	switch (type) {
	case SPICE_MSGC_SPICEVMC_DATA:
		m->kind = SC_MSG_VMC_DATA;
		break;
	case SPICE_MSGC_SPICEVMC_COMPRESSED_DATA:
		m->kind = SC_MSG_VMC_COMPRESSED_DATA;
		break;
	default:
		return;
	}
	m->u.vmc.size = r->left;
	m->u.vmc.data = sc_rd_bytes(r, r->left);
}

void sc_parse_port(uint16_t type, struct sc_rd *r, struct sc_msg *m)
{
	if (type == SPICE_MSGC_PORT_EVENT) {
		m->kind = SC_MSG_PORT_EVENT;
		m->u.port_event = sc_rd_u8(r);
		return;
	}
	sc_parse_vmc(type, r, m);
}
