// SPDX-License-Identifier: MIT
/* VD agent messages between spice-core and the guest's agent
 * (agentmsg.h). */
#include <string.h>
#include <glib.h>
#include <spice/vd_agent.h>

#include "wire/agentmsg.h"
#include "wire/demarshal.h"

void sc_agent_rx_init(struct sc_agent_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
}

/* The message is whole (or all we keep of it is): look at an announce. */
static void message_done(struct sc_agent_rx *rx, uint32_t size)
{
	const char *why = NULL;
	uint32_t request, caps0;

	if (rx->type != VD_AGENT_ANNOUNCE_CAPABILITIES)
		return;
	/* A short announce says nothing: skip it, as a client would. */
	if (sc_parse_agent_caps(rx->body, MIN(size, (uint32_t)rx->body_len),
				&request, &caps0, &why))
		return;
	rx->announces++;
	rx->request = request;
	rx->caps0 = caps0;
}

int sc_agent_rx_feed(struct sc_agent_rx *rx, const uint8_t *p, size_t n,
		     const char **why)
{
	struct sc_agent_header h;

	while (n && !rx->lost) {
		size_t take;

		if (rx->hdr_len < SC_AGENT_MSG_HDR) {
			take = MIN(n, (size_t)(SC_AGENT_MSG_HDR - rx->hdr_len));
			memcpy(rx->hdr + rx->hdr_len, p, take);
			rx->hdr_len += (unsigned int)take;
			p += take;
			n -= take;
			if (rx->hdr_len < SC_AGENT_MSG_HDR)
				break;
			if (sc_parse_agent_header(rx->hdr, &h, why)) {
				rx->lost = true;
				return -1;
			}
			rx->type = h.type;
			rx->left = h.size;
			rx->body_len = 0;
		} else {
			take = MIN(n, (size_t)rx->left);
			if (rx->body_len < SC_AGENT_RX_KEEP) {
				size_t keep = MIN(take, (size_t)(SC_AGENT_RX_KEEP -
								 rx->body_len));

				memcpy(rx->body + rx->body_len, p, keep);
				rx->body_len += (unsigned int)keep;
			}
			rx->left -= (uint32_t)take;
			p += take;
			n -= take;
		}
		if (!rx->left) {
			message_done(rx, sc_get_u32(rx->hdr + 16));
			rx->hdr_len = 0;	/* the next message */
		}
	}
	if (rx->lost) {
		*why = "agent message protocol is not 1";
		return -1;
	}
	return 0;
}

size_t sc_agent_device_info(struct sc_buf *out,
			    const struct sc_device_display *e, unsigned int n)
{
	size_t start = out->len, body = 4;
	unsigned int i;
	uint8_t *h;

	for (i = 0; i < n; i++)
		body += 16 + strlen(e[i].address) + 1;
	h = sc_buf_append(out, SC_AGENT_MSG_HDR + 4);
	sc_put_u32(h, VD_AGENT_PROTOCOL);
	sc_put_u32(h + 4, VD_AGENT_GRAPHICS_DEVICE_INFO);
	memset(h + 8, 0, 8);			/* opaque */
	sc_put_u32(h + 16, (uint32_t)body);
	sc_put_u32(h + 20, n);
	for (i = 0; i < n; i++) {
		size_t len = strlen(e[i].address) + 1;
		uint8_t *d = sc_buf_append(out, 16);

		sc_put_u32(d, e[i].channel_id);
		sc_put_u32(d + 4, e[i].monitor_id);
		sc_put_u32(d + 8, e[i].device_display_id);
		sc_put_u32(d + 12, (uint32_t)len);
		sc_buf_put(out, e[i].address, len);
	}
	return out->len - start;
}
