/* SPDX-License-Identifier: MIT */
/*
 * What the channels serve: the display sources (primary surface, damage,
 * cursor, monitor layout), the mouse mode and keyboard LEDs, the caller's
 * callbacks and the settings channels read.  The server's public API
 * (server/) writes it from any thread under `lock`; the channels read it
 * on the server thread.  Connections never keep a pointer to a display
 * source: they look it up by channel id under the lock, so a source may go
 * at any time.
 */
#ifndef SPICE_CORE_CHANNELS_MODEL_H
#define SPICE_CORE_CHANNELS_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <pixman.h>
#include <spice-core/spice-core.h>

#include "wire/demarshal.h"

#define SC_MAX_DISPLAYS		16
#define SC_MAX_SURFACE		16384
#define SC_MAX_CURSOR		512
#define SC_MAX_COPIES		256	/* copies queued per delivery */
#define SC_CLIP_SELECTIONS	3	/* CLIPBOARD, PRIMARY, SECONDARY */
#define SC_CLIP_TYPES		16	/* types of a clipboard grab kept */

/* A copy of pixels inside a display (spice_core_display_copy): the
 * rectangle (x, y, w, h) takes what (src_x, src_y) held, after the damage
 * in `before` (the source's damage since the previous copy). */
struct sc_copy {
	pixman_region32_t before;
	int32_t x, y, w, h;
	int32_t src_x, src_y;
};

struct SpiceCoreDisplay {
	SpiceCore *core;
	struct sc_model *model;
	unsigned int id;
	/* Everything below is guarded by model->lock. */
	bool has_primary;
	const uint8_t *top;
	uint32_t width, height, format;
	int32_t stride;
	uint32_t surface_gen;		/* bumps on create/destroy/resize */
	pixman_region32_t damage;	/* since the last delivery (and
					 * since the last copy, if any) */
	GArray *copies;			/* struct sc_copy, in order */
	uint32_t *cursor;		/* ARGB, cw * ch */
	uint16_t cw, ch, hot_x, hot_y;
	bool cursor_visible;
	int32_t cursor_x, cursor_y;
	uint32_t cursor_gen, cursor_pos_gen;
	struct spice_core_head heads[SC_MAX_HEADS];
	unsigned int n_heads;
	uint32_t heads_gen;
	/* spice_core_display_set_device_info(): "" or the device's
	 * address, and the guest's ids of heads 0..dev_heads-1. */
	char dev_address[SPICE_CORE_DEVICE_ADDRESS_MAX];
	uint32_t dev_first_id;
	unsigned int dev_heads;
	/* spice_core_display_hold(): changes wake the server at the last
	 * release (wake_due), not each. */
	unsigned int holds;
	bool wake_due;
};

/* Audio (config.audio): one playback and one record stream shared by
 * every client.  A chunk of PCM the host wrote (S16 stereo), numbered:
 * each playback connection remembers the next number it sends, so a
 * client that falls behind the SPICE_CORE_AUDIO_QUEUE chunks kept skips
 * to the oldest one. */
struct sc_audio_chunk {
	uint64_t seq;
	uint32_t time;			/* ms, for PLAYBACK_DATA */
	uint32_t size;			/* bytes, <= CHUNK_MAX, whole frames */
	uint8_t data[];
};

struct sc_audio {
	bool on;
	uint32_t rate;			/* frames per second while on */
	uint32_t gen;			/* bumps on every start and stop */
	uint16_t volume[2];
	bool mute;
	uint32_t vol_gen;		/* bumps on every volume/mute */
};

struct sc_model_stats {
	uint64_t images_raw, images_lz4, images_quic, images_lz, fills, frames;
	uint64_t copies, moves, unchanged, cache_hits, cache_adds;
	uint64_t streams, stream_frames;
};

struct sc_model {
	/* Set at spice_core_new(), then read-only. */
	const struct spice_core_ops *ops;	/* never NULL */
	void *opaque;
	enum spice_core_compression compression;
	bool video_streaming;			/* MJPEG streams for video */
	int video_quality;			/* their JPEG quality, 1..100 */
	const char *name;			/* NULL: none */
	const uint8_t *uuid;			/* 16 bytes or NULL */

	bool mouse_client;		/* server thread: client mode in use */
	/* Server thread: the host's clipboard grabs in force
	 * (spice_core_clipboard_grab), told to clients that announce their
	 * agent caps later. */
	struct sc_clip_grab {
		bool owned;
		unsigned int n;
		uint32_t types[SC_CLIP_TYPES];
	} clip[SC_CLIP_SELECTIONS];

	GMutex lock;			/* guards the fields below */
	struct SpiceCoreDisplay *displays[SC_MAX_DISPLAYS];
	bool mouse_abs_available;
	uint32_t leds;
	struct sc_model_stats stats;
	struct sc_audio playback, record;
	GQueue play_chunks;		/* struct sc_audio_chunk, oldest 1st */
	uint64_t play_seq;		/* the number of the next chunk */
	struct sc_vmcs *vmcs;		/* pass-through channels (vmc.h) */
	uint32_t devinfo_gen;		/* bumps when a display's device
					 * info changes or it goes */
	struct sc_agentdev *agentdev;	/* the guest's agent; NULL: we
					 * emulate one (agent.c) */
	bool audio;			/* audio channels exist: set at
					 * spice_core_new() or, on the
					 * server's context, by
					 * spice_core_audio_enable() */
	/* SPICE client migration: where the clients switch to
	 * (spice_core_migrate_target); mig_host NULL: nowhere. */
	char *mig_host;
	char *mig_subject;		/* NULL: none */
	uint16_t mig_port, mig_tls_port;	/* 0: none */
	bool mig_seamless;		/* config.seamless_migration */
};

/* Damage taken from every display at once, for the channels to share:
 * per display the copies in order (each after its `before` damage), then
 * `damage`. */
struct sc_changes {
	GArray *copies[SC_MAX_DISPLAYS];	/* struct sc_copy, or NULL */
	pixman_region32_t damage[SC_MAX_DISPLAYS];
};

/* ops NULL: no callbacks.  name and uuid must outlive the model. */
void sc_model_init(struct sc_model *m, const struct spice_core_ops *ops,
		   void *opaque, enum spice_core_compression compression,
		   const char *name, const uint8_t *uuid);
void sc_model_fini(struct sc_model *m);
/* Lock the model; the display source `id`, or NULL (unlocked again). */
struct SpiceCoreDisplay *sc_model_lock_display(struct sc_model *m,
					       unsigned int id);
/* Whether display source `id` exists now. */
bool sc_model_has_display(struct sc_model *m, unsigned int id);
/* The ids of the display sources, ascending; returns how many. */
unsigned int sc_model_display_ids(struct sc_model *m,
				  uint8_t ids[SC_MAX_DISPLAYS]);
/* Move every display's damage and copies into ch (sc_changes_fini()
 * it). */
void sc_model_take_changes(struct sc_model *m, struct sc_changes *ch);
void sc_changes_fini(struct sc_changes *ch);
/* Free an array of struct sc_copy (NULL: nothing). */
void sc_copies_free(GArray *copies);
/* With m->lock held: add `size` bytes of PCM as chunks, dropping the
 * oldest beyond SPICE_CORE_AUDIO_QUEUE; drop them all (stop). */
void sc_model_play_push(struct sc_model *m, const uint8_t *pcm, size_t size,
			uint32_t time);
void sc_model_play_clear(struct sc_model *m);
/* With m->lock held: the oldest chunk numbered *seq or later (then *seq
 * is its number), or NULL if none is queued yet. */
const struct sc_audio_chunk *sc_model_play_chunk(struct sc_model *m,
						 uint64_t *seq);
/* Count n into one of m->stats' fields. */
void sc_model_count(struct sc_model *m, uint64_t *field, uint64_t n);
/* Client mouse mode is possible: the host has an absolute input device
 * (sc_model_mouse_host_abs) or, server thread only, the guest's agent port
 * is open (agentdev.h). */
bool sc_model_mouse_abs_available(struct sc_model *m);
bool sc_model_mouse_host_abs(struct sc_model *m);
/* SPICE_MOUSE_MODE_* bits the clients may choose from. */
uint32_t sc_model_mouse_modes(struct sc_model *m);

#endif
