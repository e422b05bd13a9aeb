/* SPDX-License-Identifier: MIT */
/*
 * Video in damage: a rectangle the source updates at a video's rate
 * becomes an MJPEG stream (SPICE_MSG_DISPLAY_STREAM_*) while it keeps
 * changing, when the server allows it (config.video_streaming).  The
 * detection (sc_video_seen) is per client, over the damage it gets; the
 * frames are JPEG (libjpeg-turbo) of the rectangle's pixels.
 */
#ifndef SPICE_CORE_CHANNELS_VIDEO_H
#define SPICE_CORE_CHANNELS_VIDEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include <pixman.h>

#define SC_VIDEO_MIN_SIZE	96	/* both sides at least */
#define SC_VIDEO_FRAMES		10	/* updates before a stream opens */
#define SC_VIDEO_MAX_GAP_US	(200 * 1000)	/* between two of them */
#define SC_VIDEO_MIN_GAP_US	(4 * 1000)	/* one frame, not two */
#define SC_VIDEO_IDLE_US	(1000 * 1000)	/* no update: stream ends */
#define SC_VIDEO_DELAY_MS	20	/* frames shown this much later */

struct sc_video {
	/* The candidate: the same rectangle damaged again and again. */
	pixman_box32_t cand;
	int count;
	gint64 last_us;
	/* The stream, while `active`. */
	bool active;
	uint32_t id;
	pixman_box32_t box;
	gint64 updated_us;
};

/*
 * A change's damage reached the client at now_us: true when a stream
 * over v->cand is due (the caller opens it).  Nothing while a stream is
 * active.
 */
bool sc_video_seen(struct sc_video *v, const pixman_region32_t *damage,
		   gint64 now_us);

/*
 * JPEG of w x h xRGB pixels (stride pixels between rows) at quality
 * 1..100, baseline, 4:2:0: a g_malloc'ed buffer in *out and its size, or
 * 0 on failure.
 */
size_t sc_jpeg_encode(const uint32_t *px, size_t stride, uint32_t w,
		      uint32_t h, int quality, uint8_t **out);

#endif
