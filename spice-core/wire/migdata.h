/* SPDX-License-Identifier: MIT */
/*
 * Seamless client migration: the state one channel hands from the source
 * server to the target through the client.  The source sends it as the
 * body of SPICE_MSG_MIGRATE_DATA; the client passes it on unchanged as
 * SPICE_MSGC_MIGRATE_DATA on its new connection to the target.  It is
 * opaque to the client and ours alone (spice-server's is another), so
 * the version is checked twice: in the main channel's handshake
 * (MIGRATE_BEGIN_SEAMLESS carries SC_MIG_VERSION, the client echoes it in
 * MIGRATE_DST_DO_SEAMLESS) and in every blob.  At the target the blob
 * is client input: sc_parse_mig_data() checks all of it.
 *
 * Layout, little-endian (Documentation/libvirt.rst, "Seamless"):
 *   u32 magic "QXMG", u32 version, u8 channel type, u8 body size,
 *   then the body of that channel type (empty for channels with no
 *   state to carry):
 *     main     u8 agent_connected (the client was told an agent is there)
 *     display  u8 has_surface, u32 width, u32 height (the surface the
 *              client shows), u64 pixmap cache budget (pixels, from its
 *              DISPLAY_INIT), u8 preferred compression, u8 video stream
 *              open
 *     inputs   u32 motion messages counted (for MOUSE_MOTION_ACK)
 */
#ifndef SPICE_CORE_WIRE_MIGDATA_H
#define SPICE_CORE_WIRE_MIGDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/buf.h"

#define SC_MIG_MAGIC		0x474d5851u	/* "QXMG" */
/* Not a small number: spice-server as a target refuses a source version
 * above its own (1), so a client goes semi-seamless there. */
#define SC_MIG_VERSION		0x716e0001u
#define SC_MIG_HEADER_SIZE	10

struct sc_mig_data {
	uint8_t channel_type;		/* SPICE_CHANNEL_* */
	union {
		struct {
			bool agent_connected;
		} main;
		struct {
			bool has_surface;
			uint32_t width, height;
			int64_t pixmap_cache;	/* 0 .. 2^31 - 1 */
			uint8_t compression;	/* SPICE_IMAGE_COMPRESSION_* */
			bool stream;
		} display;
		struct {
			uint32_t motion_count;
		} inputs;
	} u;
};

/* Append d's blob to b. */
void sc_mig_data_put(struct sc_buf *b, const struct sc_mig_data *d);
/* A blob of `size` bytes: 0 with *d filled, or -1 with *why. */
int sc_parse_mig_data(const uint8_t *p, size_t size, struct sc_mig_data *d,
		      const char **why);

#endif
