// SPDX-License-Identifier: MIT
/* spice-serve --guest-agent: a stand-in guest agent port (agent-guest.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <spice/vd_agent.h>

#include "tools/agent-guest.h"

#define CHUNK_HDR	8	/* VDIChunkHeader: port, size */
#define MSG_HDR		20	/* VDAgentMessage: protocol, type, opaque, size */
#define MOUSE		13	/* VDAgentMouseState: x, y, buttons, display */

struct agent_guest {
	SpiceCore *core;
	bool stuck;
	uint8_t hdr[CHUNK_HDR + MSG_HDR + MOUSE];	/* the chunk's start */
	size_t have;			/* bytes of hdr filled */
	uint32_t port, size, left;	/* the chunk being read */
	bool in_chunk;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void chunk_start(struct agent_guest *g)
{
	const uint8_t *m = g->hdr + CHUNK_HDR;

	if (g->size < MSG_HDR || le32(m) != VD_AGENT_PROTOCOL)
		return;
	printf("agent-msg %u %u %u\n", g->port, le32(m + 4), le32(m + 16));
	if (le32(m + 4) == VD_AGENT_MOUSE_STATE && g->size >= MSG_HDR + MOUSE)
		printf("agent-mouse %u %u %#x %u\n", le32(m + MSG_HDR),
		       le32(m + MSG_HDR + 4), le32(m + MSG_HDR + 8),
		       m[MSG_HDR + 12]);
}

/* Read the stream: chunk headers, the first bytes of each body. */
static void sink(struct agent_guest *g, const uint8_t *p, size_t n)
{
	while (n) {
		size_t want, take;

		if (!g->in_chunk) {
			take = MIN(n, (size_t)CHUNK_HDR - g->have);
			memcpy(g->hdr + g->have, p, take);
			g->have += take;
			p += take;
			n -= take;
			if (g->have < CHUNK_HDR)
				continue;
			g->port = le32(g->hdr);
			g->size = g->left = le32(g->hdr + 4);
			g->in_chunk = true;
			if (!g->left) {
				printf("agent-chunk %u 0\n", g->port);
				g->in_chunk = false;
				g->have = 0;
				continue;
			}
		}
		/* Keep the body's first bytes, skip the rest. */
		want = CHUNK_HDR + MIN((size_t)g->size, (size_t)MSG_HDR + MOUSE);
		take = MIN(n, (size_t)g->left);
		if (g->have < want) {
			size_t keep = MIN(take, want - g->have);

			memcpy(g->hdr + g->have, p, keep);
			g->have += keep;
			if (g->have == want)
				chunk_start(g);
		}
		g->left -= (uint32_t)take;
		p += take;
		n -= take;
		if (!g->left) {
			printf("agent-chunk %u %u\n", g->port, g->size);
			g->in_chunk = false;
			g->have = 0;
		}
	}
	fflush(stdout);
}

static size_t guest_write(void *opaque, const void *data, size_t n)
{
	struct agent_guest *g = opaque;

	if (g->stuck)
		return 0;
	sink(g, data, n);
	return n;
}

static const struct spice_core_agent_ops guest_ops = {
	.write = guest_write,
};

struct agent_guest *agent_guest_new(SpiceCore *core, const char *spec,
				    const char **why)
{
	struct agent_guest *g;

	if (strcmp(spec, "stuck") && strcmp(spec, "sink")) {
		*why = "not stuck or sink";
		return NULL;
	}
	g = g_new0(struct agent_guest, 1);
	g->core = core;
	g->stuck = !strcmp(spec, "stuck");
	if (spice_core_agent_open(core, &guest_ops, g)) {
		g_free(g);
		*why = "the agent port cannot be opened";
		return NULL;
	}
	return g;
}

void agent_guest_free(struct agent_guest *g)
{
	if (!g)
		return;
	spice_core_agent_close(g->core);
	g_free(g);
}
