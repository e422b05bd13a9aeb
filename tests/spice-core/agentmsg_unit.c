// SPDX-License-Identifier: MIT
/* Unit test (TAP) of spice-core/wire/agentmsg.c: the guest agent's
 * message stream cut into messages (its capability announces), against
 * hostile input, and the VD_AGENT_GRAPHICS_DEVICE_INFO layout. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <spice/vd_agent.h>

#include "wire/agentmsg.h"
#include "tap.h"

/* An agent message: header (protocol, type, size) and `body`. */
static void put_msg(struct sc_buf *b, uint32_t protocol, uint32_t type,
		    uint32_t size, const void *body, size_t n)
{
	sc_buf_u32(b, protocol);
	sc_buf_u32(b, type);
	sc_buf_u64(b, 0);
	sc_buf_u32(b, size);
	sc_buf_put(b, body, n);
}

static void put_announce(struct sc_buf *b, uint32_t request, uint32_t caps0)
{
	uint32_t w[2] = { GUINT32_TO_LE(request), GUINT32_TO_LE(caps0) };

	put_msg(b, VD_AGENT_PROTOCOL, VD_AGENT_ANNOUNCE_CAPABILITIES, 8, w, 8);
}

#define GDI	(1u << VD_AGENT_CAP_GRAPHICS_DEVICE_INFO)

static void test_rx(void)
{
	struct sc_agent_rx rx;
	struct sc_buf b;
	const char *why = NULL;
	uint8_t junk[300];
	size_t i;
	int rc = 0;

	/* A clipboard message, then the announce, one byte at a time. */
	sc_buf_init(&b);
	memset(junk, 0xa5, sizeof(junk));
	put_msg(&b, VD_AGENT_PROTOCOL, VD_AGENT_CLIPBOARD, sizeof(junk), junk,
		sizeof(junk));
	put_announce(&b, 1, GDI | 1);
	sc_agent_rx_init(&rx);
	for (i = 0; i < b.len; i++)
		rc |= sc_agent_rx_feed(&rx, b.data + i, 1, &why);
	ok(rc == 0 && rx.announces == 1 && rx.request == 1 &&
	   rx.caps0 == (GDI | 1),
	   "announce_split_byte_by_byte_after_another_message (%u, %#x)",
	   rx.announces, rx.caps0);

	/* Two announces in one feed: the last one counts. */
	b.len = 0;
	put_announce(&b, 0, GDI);
	put_announce(&b, 0, 0);
	sc_agent_rx_init(&rx);
	rc = sc_agent_rx_feed(&rx, b.data, b.len, &why);
	ok(rc == 0 && rx.announces == 2 && rx.caps0 == 0,
	   "two_announces_in_one_feed_the_last_counts");

	/* An announce with caps beyond the first word; one with only the
	 * request word (no caps); one shorter than that (ignored). */
	b.len = 0;
	{
		uint32_t w[5] = { 0, GDI, 0xffffffff, 0xffffffff, 7 };

		put_msg(&b, VD_AGENT_PROTOCOL, VD_AGENT_ANNOUNCE_CAPABILITIES,
			sizeof(w), w, sizeof(w));
	}
	sc_agent_rx_init(&rx);
	rc = sc_agent_rx_feed(&rx, b.data, b.len, &why);
	ok(rc == 0 && rx.announces == 1 && rx.caps0 == GDI,
	   "long_announce_first_word_kept");
	b.len = 0;
	put_msg(&b, VD_AGENT_PROTOCOL, VD_AGENT_ANNOUNCE_CAPABILITIES, 4,
		"\1\0\0\0", 4);
	put_msg(&b, VD_AGENT_PROTOCOL, VD_AGENT_ANNOUNCE_CAPABILITIES, 3,
		"\1\0\0", 3);
	sc_agent_rx_init(&rx);
	rc = sc_agent_rx_feed(&rx, b.data, b.len, &why);
	ok(rc == 0 && rx.announces == 1 && rx.caps0 == 0,
	   "request_only_announce_has_no_caps_shorter_one_ignored");

	/* A header claiming 4 GiB: the body is skipped, nothing kept
	 * beyond SC_AGENT_RX_KEEP bytes, the stream still followed. */
	b.len = 0;
	put_msg(&b, VD_AGENT_PROTOCOL, VD_AGENT_ANNOUNCE_CAPABILITIES,
		0xffffffff, junk, sizeof(junk));
	sc_agent_rx_init(&rx);
	rc = sc_agent_rx_feed(&rx, b.data, b.len, &why);
	ok(rc == 0 && rx.announces == 0 && !rx.lost &&
	   rx.left == 0xffffffff - sizeof(junk) &&
	   rx.body_len == SC_AGENT_RX_KEEP,
	   "huge_size_header_skipped_bounded (left %u)", rx.left);

	/* A header of another protocol: framing lost, said once, the rest
	 * ignored (an announce after it is not believed). */
	b.len = 0;
	put_msg(&b, 2, VD_AGENT_ANNOUNCE_CAPABILITIES, 0, NULL, 0);
	put_announce(&b, 0, GDI);
	sc_agent_rx_init(&rx);
	why = NULL;
	rc = sc_agent_rx_feed(&rx, b.data, b.len, &why);
	ok(rc == -1 && why && rx.lost && rx.announces == 0,
	   "bad_protocol_loses_the_framing (%s)", why ? why : "no reason");
	why = NULL;
	rc = sc_agent_rx_feed(&rx, b.data + 20, b.len - 20, &why);
	ok(rc == -1 && why && rx.announces == 0,
	   "after_the_framing_is_lost_nothing_is_believed");

	/* Zero-size messages in a row, then an announce. */
	b.len = 0;
	for (i = 0; i < 10; i++)
		put_msg(&b, VD_AGENT_PROTOCOL, VD_AGENT_ANNOUNCE_CAPABILITIES,
			0, NULL, 0);
	put_announce(&b, 1, GDI);
	sc_agent_rx_init(&rx);
	rc = sc_agent_rx_feed(&rx, b.data, b.len, &why);
	ok(rc == 0 && rx.announces == 1 && rx.caps0 == GDI,
	   "empty_messages_then_an_announce");
	sc_buf_free(&b);
}

static void test_device_info(void)
{
	static const struct sc_device_display e[] = {
		{ 0, 0, 0, "pci/0000/02.0" },
		{ 0, 1, 1, "pci/0000/02.0" },
		{ 3, 0, 7, "pci/0000/1e.0/01.2" },
	};
	static const uint8_t want[] = {
		1, 0, 0, 0,  16, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0,
		/* size: 4 + 2 * (16 + 14) + 16 + 19 */
		99, 0, 0, 0,
		3, 0, 0, 0,
		0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  14, 0, 0, 0,
		'p', 'c', 'i', '/', '0', '0', '0', '0', '/', '0', '2', '.',
		'0', 0,
		0, 0, 0, 0,  1, 0, 0, 0,  1, 0, 0, 0,  14, 0, 0, 0,
		'p', 'c', 'i', '/', '0', '0', '0', '0', '/', '0', '2', '.',
		'0', 0,
		3, 0, 0, 0,  0, 0, 0, 0,  7, 0, 0, 0,  19, 0, 0, 0,
		'p', 'c', 'i', '/', '0', '0', '0', '0', '/', '1', 'e', '.',
		'0', '/', '0', '1', '.', '2', 0,
	};
	struct sc_buf b;
	size_t n;

	sc_buf_init(&b);
	sc_buf_u8(&b, 0xee);		/* appends after what is there */
	n = sc_agent_device_info(&b, e, 3);
	ok(VD_AGENT_GRAPHICS_DEVICE_INFO == 16 && n == sizeof(want) &&
	   b.len == 1 + n && !memcmp(b.data + 1, want, sizeof(want)),
	   "device_info_layout (%zu bytes, want %zu)", n, sizeof(want));
	b.len = 0;
	n = sc_agent_device_info(&b, NULL, 0);
	ok(n == 24 && sc_get_u32(b.data + 16) == 4 &&
	   sc_get_u32(b.data + 20) == 0, "device_info_with_no_monitors");
	sc_buf_free(&b);
}

int main(void)
{
	test_rx();
	test_device_info();
	return tap_done();
}
