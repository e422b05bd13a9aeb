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
#define DEVINFO_MAX	(128 * 1024)	/* a device info body kept */

struct agent_guest {
	SpiceCore *core;
	bool stuck;
	uint8_t hdr[CHUNK_HDR + MSG_HDR + MOUSE];	/* the chunk's start */
	size_t have;			/* bytes of hdr filled */
	uint32_t port, size, left;	/* the chunk being read */
	bool in_chunk;
	/* A VD_AGENT_GRAPHICS_DEVICE_INFO on the server port, put together
	 * from its chunks: its body so far and the bytes still to come. */
	GByteArray *devinfo;
	uint32_t devinfo_left;
	/* What the port writes towards the clients, not taken yet. */
	GByteArray *out;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void devinfo_done(struct agent_guest *g)
{
	guint i;

	printf("agent-devinfo ");
	for (i = 0; i < g->devinfo->len; i++)
		printf("%02x", g->devinfo->data[i]);
	printf("\n");
	g_byte_array_set_size(g->devinfo, 0);
}

/* Body bytes of a chunk on the server port: the device info's, while one
 * is being put together. */
static void devinfo_bytes(struct agent_guest *g, const uint8_t *p, size_t n)
{
	size_t take = MIN(n, (size_t)g->devinfo_left);

	if (g->port != VDP_SERVER_PORT || !g->devinfo_left)
		return;
	g_byte_array_append(g->devinfo, p, (guint)take);
	g->devinfo_left -= (uint32_t)take;
	if (!g->devinfo_left)
		devinfo_done(g);
}

static void chunk_start(struct agent_guest *g)
{
	const uint8_t *m = g->hdr + CHUNK_HDR;

	if (g->size < MSG_HDR || le32(m) != VD_AGENT_PROTOCOL)
		return;
	printf("agent-msg %u %u %u\n", g->port, le32(m + 4), le32(m + 16));
	if (g->port == VDP_SERVER_PORT && !g->devinfo_left &&
	    le32(m + 4) == VD_AGENT_GRAPHICS_DEVICE_INFO &&
	    le32(m + 16) <= DEVINFO_MAX) {
		g->devinfo_left = le32(m + 16);
		/* what of its body came with the header */
		devinfo_bytes(g, m + MSG_HDR, g->have - CHUNK_HDR - MSG_HDR);
		if (!le32(m + 16))
			devinfo_done(g);
	}
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
		/* Keep the body's first bytes, skip the rest (but for a
		 * device info's). */
		want = CHUNK_HDR + MIN((size_t)g->size, (size_t)MSG_HDR + MOUSE);
		take = MIN(n, (size_t)g->left);
		if (g->port == VDP_SERVER_PORT && g->devinfo_left &&
		    g->have == CHUNK_HDR) {
			/* a device info's next chunk */
			devinfo_bytes(g, p, take);
		} else if (g->have < want) {
			size_t keep = MIN(take, want - g->have);

			memcpy(g->hdr + g->have, p, keep);
			g->have += keep;
			if (g->have == want)
				chunk_start(g);
			devinfo_bytes(g, p + keep, take - keep);
		} else if (g->have > CHUNK_HDR) {
			devinfo_bytes(g, p, take);
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

/* Offer the clients what the port wrote, as far as they take it. */
static void guest_read_ready(void *opaque)
{
	struct agent_guest *g = opaque;
	size_t took;

	if (!g->out->len)
		return;
	took = spice_core_agent_read(g->core, g->out->data, g->out->len);
	g_byte_array_remove_range(g->out, 0, (guint)MIN(took, g->out->len));
}

static const struct spice_core_agent_ops guest_ops = {
	.write = guest_write,
	.read_ready = guest_read_ready,
};

/* spice-vdagentd's first words: its capabilities, asking for the
 * client's (one chunk for the client's port). */
static void announce(struct agent_guest *g)
{
	uint8_t m[CHUNK_HDR + MSG_HDR + 8];

	memset(m, 0, sizeof(m));
	m[0] = VDP_CLIENT_PORT;
	m[4] = MSG_HDR + 8;
	m[CHUNK_HDR] = VD_AGENT_PROTOCOL;
	m[CHUNK_HDR + 4] = VD_AGENT_ANNOUNCE_CAPABILITIES;
	m[CHUNK_HDR + 16] = 8;
	m[CHUNK_HDR + MSG_HDR] = 1;			/* request */
	m[CHUNK_HDR + MSG_HDR + 4] = 1 << VD_AGENT_CAP_MOUSE_STATE |
				     1 << VD_AGENT_CAP_MONITORS_CONFIG;
	m[CHUNK_HDR + MSG_HDR + 5] = 1 << (VD_AGENT_CAP_GRAPHICS_DEVICE_INFO -
					   8);
	g_byte_array_append(g->out, m, sizeof(m));
	guest_read_ready(g);
}

struct agent_guest *agent_guest_new(SpiceCore *core, const char *spec,
				    const char **why)
{
	struct agent_guest *g;

	if (strcmp(spec, "stuck") && strcmp(spec, "sink") &&
	    strcmp(spec, "sink,announce")) {
		*why = "not stuck, sink or sink,announce";
		return NULL;
	}
	g = g_new0(struct agent_guest, 1);
	g->core = core;
	g->stuck = !strcmp(spec, "stuck");
	g->devinfo = g_byte_array_new();
	g->out = g_byte_array_new();
	if (spice_core_agent_open(core, &guest_ops, g)) {
		g_byte_array_unref(g->devinfo);
		g_byte_array_unref(g->out);
		g_free(g);
		*why = "the agent port cannot be opened";
		return NULL;
	}
	if (!strcmp(spec, "sink,announce"))
		announce(g);
	return g;
}

void agent_guest_free(struct agent_guest *g)
{
	if (!g)
		return;
	spice_core_agent_close(g->core);
	g_byte_array_unref(g->devinfo);
	g_byte_array_unref(g->out);
	g_free(g);
}
