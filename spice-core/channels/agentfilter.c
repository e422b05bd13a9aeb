// SPDX-License-Identifier: MIT
/* Monitors configs taken out of the client's agent stream for the display
 * devices (agentfilter.h). */
#include <string.h>
#include <glib.h>
#include <spice/vd_agent.h>

#include "channels/agent.h"
#include "channels/agentfilter.h"
#include "wire/demarshal.h"

void sc_agentfilter_init(struct sc_agentfilter *f)
{
	memset(f, 0, sizeof(*f));
	sc_buf_init(&f->held);
}

void sc_agentfilter_free(struct sc_agentfilter *f)
{
	sc_buf_free(&f->held);
	sc_agentfilter_init(f);
}

void sc_agentfilter_reset(struct sc_agentfilter *f)
{
	unsigned int taken = f->taken;

	sc_agentfilter_free(f);
	f->taken = taken;
}

/* The held message is whole: a device takes it, or it goes on. */
static void offer(struct sc_agentfilter *f, struct sc_model *model,
		  struct sc_buf *out)
{
	struct spice_core_head heads[SC_MAX_HEADS];
	const char *why = NULL;
	unsigned int n = 0;

	if (sc_parse_agent_monitors(f->held.data + SC_AGENTFILTER_HDR,
				    f->held.len - SC_AGENTFILTER_HDR, heads,
				    &n, &why) == 0 &&
	    sc_model_route_heads(model, heads, n)) {
		f->taken++;
		g_debug("agent: monitors config (%u heads) taken by the "
			"display", n);
	} else {
		sc_buf_put(out, f->held.data, f->held.len);
	}
	f->held.len = 0;
	f->holding = false;
}

/* The header is whole: hold the message or let it through. */
static void header_done(struct sc_agentfilter *f, struct sc_model *model,
			struct sc_buf *out)
{
	uint32_t type = sc_get_u32(f->hdr + 4);

	f->left = sc_get_u32(f->hdr + 16);
	f->holding = type == VD_AGENT_MONITORS_CONFIG &&
		     f->left <= SC_AGENTFILTER_HOLD_MAX - SC_AGENTFILTER_HDR;
	sc_buf_put(f->holding ? &f->held : out, f->hdr, SC_AGENTFILTER_HDR);
	if (f->holding && !f->left)
		offer(f, model, out);
}

void sc_agentfilter_feed(struct sc_agentfilter *f, struct sc_model *model,
			 const uint8_t *p, size_t n, struct sc_buf *out)
{
	while (n) {
		size_t take;

		if (f->hdr_len < SC_AGENTFILTER_HDR) {
			take = MIN(n, SC_AGENTFILTER_HDR - f->hdr_len);
			memcpy(f->hdr + f->hdr_len, p, take);
			f->hdr_len += (unsigned int)take;
			p += take;
			n -= take;
			if (f->hdr_len == SC_AGENTFILTER_HDR)
				header_done(f, model, out);
		} else {
			take = MIN(n, (size_t)f->left);
			sc_buf_put(f->holding ? &f->held : out, p, take);
			f->left -= (uint32_t)take;
			p += take;
			n -= take;
			if (f->holding && !f->left)
				offer(f, model, out);
		}
		if (f->hdr_len == SC_AGENTFILTER_HDR && !f->left)
			f->hdr_len = 0;		/* the next message */
	}
}
