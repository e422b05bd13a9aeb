// SPDX-License-Identifier: MIT
/* VSC messages of the smartcard channel: the client's SMARTCARD_DATA
 * (little-endian header) and the chardev's stream (big-endian headers);
 * smartcard.h. */
#include <string.h>
#include <glib.h>
#include <spice/enums.h>

#include "wire/demarshal.h"
#include "wire/smartcard.h"

void sc_parse_smartcard(uint16_t type, struct sc_rd *r, struct sc_msg *m)
{
	struct sc_vsc *v = &m->u.vsc;

	if (type != SPICE_MSGC_SMARTCARD_DATA)
		return;
	m->kind = SC_MSG_SMARTCARD_DATA;
	v->type = sc_rd_u32(r);
	v->reader_id = sc_rd_u32(r);
	v->length = sc_rd_u32(r);
	if (!r->ok)
		return;
	v->size = r->left;
	v->data = sc_rd_bytes(r, r->left);
	v->length_ok = v->length == v->size;
}

uint32_t sc_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void sc_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

void sc_vsc_put_be(uint8_t *p, uint32_t type, uint32_t reader_id,
		   uint32_t length)
{
	sc_put_be32(p, type);
	sc_put_be32(p + 4, reader_id);
	sc_put_be32(p + 8, length);
}

void sc_vsc_rx_init(struct sc_vsc_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
	sc_buf_init(&rx->buf);
}

void sc_vsc_rx_free(struct sc_vsc_rx *rx)
{
	sc_buf_free(&rx->buf);
	sc_vsc_rx_init(rx);
}

/* One message from a whole header at p and its payload (present). */
static void deliver(const uint8_t *p, sc_vsc_fn *fn, void *opaque)
{
	struct sc_vsc m = {
		.type = sc_get_be32(p),
		.reader_id = sc_get_be32(p + 4),
		.length = sc_get_be32(p + 8),
		.data = p + SC_VSC_HEADER_SIZE,
		.length_ok = true,
	};

	m.size = m.length;
	fn(opaque, &m);
}

void sc_vsc_rx_feed(struct sc_vsc_rx *rx, const uint8_t *p, size_t n,
		    sc_vsc_fn *fn, void *opaque)
{
	while (n) {
		struct sc_buf *b = &rx->buf;
		size_t want, take;
		uint32_t len;

		if (rx->skip) {
			take = MIN(rx->skip, n);
			rx->skip -= take;
			p += take;
			n -= take;
			continue;
		}
		if (b->len < SC_VSC_HEADER_SIZE) {
			take = MIN(SC_VSC_HEADER_SIZE - b->len, n);
			sc_buf_put(b, p, take);
			p += take;
			n -= take;
			if (b->len < SC_VSC_HEADER_SIZE)
				break;
		}
		len = sc_get_be32(b->data + 8);
		if (len > SC_VSC_PAYLOAD_MAX) {
			rx->skip = len;
			rx->oversized++;
			b->len = 0;
			continue;
		}
		want = SC_VSC_HEADER_SIZE + len - b->len;
		take = MIN(want, n);
		sc_buf_put(b, p, take);
		p += take;
		n -= take;
		if (take < want)
			break;
		deliver(b->data, fn, opaque);
		b->len = 0;
	}
}
