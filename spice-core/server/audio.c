// SPDX-License-Identifier: MIT
/* The audio API (spice-core.h): the host's playback PCM and the record
 * and volume state go into the model, and the server thread is woken to
 * hand them to the playback and record channels. */
#include <errno.h>

#include "server/server.h"

#define FRAME_BYTES	4	/* S16 stereo */

static bool rate_ok(uint32_t rate)
{
	return rate == 44100 || rate == 48000;
}

/* Start (rate != 0) or stop a stream; -ENODEV without audio. */
static int set_stream(SpiceCore *core, struct sc_audio *a, uint32_t rate,
		      bool playback)
{
	struct sc_model *m = &core->model;

	if (!m->audio)
		return -ENODEV;
	if (rate && !rate_ok(rate))
		return -EINVAL;
	g_mutex_lock(&m->lock);
	if (a->on || rate) {
		a->on = rate != 0;
		a->rate = rate;
		a->gen++;
		if (playback)
			sc_model_play_clear(m);
	}
	g_mutex_unlock(&m->lock);
	sc_wake(core);
	return 0;
}

static void set_volume(SpiceCore *core, struct sc_audio *a, uint16_t left,
		       uint16_t right, bool mute)
{
	struct sc_model *m = &core->model;

	if (!m->audio)
		return;
	g_mutex_lock(&m->lock);
	a->volume[0] = left;
	a->volume[1] = right;
	a->mute = mute;
	a->vol_gen++;
	g_mutex_unlock(&m->lock);
	sc_wake(core);
}

int spice_core_playback_start(SpiceCore *core, uint32_t rate)
{
	if (!rate)
		return -EINVAL;
	return set_stream(core, &core->model.playback, rate, true);
}

void spice_core_playback_stop(SpiceCore *core)
{
	set_stream(core, &core->model.playback, 0, true);
}

int spice_core_playback_write(SpiceCore *core, const int16_t *pcm,
			      size_t n_frames)
{
	struct sc_model *m = &core->model;
	size_t keep = (size_t)SPICE_CORE_AUDIO_QUEUE *
		      (SPICE_CORE_AUDIO_CHUNK_MAX / FRAME_BYTES);

	if (!m->audio)
		return -ENODEV;
	/* More than the queue keeps: only its newest part would stay. */
	if (n_frames > keep) {
		pcm += (n_frames - keep) * 2;
		n_frames = keep;
	}
	g_mutex_lock(&m->lock);
	if (!m->playback.on) {
		g_mutex_unlock(&m->lock);
		return -EAGAIN;
	}
	sc_model_play_push(m, (const uint8_t *)pcm, n_frames * FRAME_BYTES,
			   (uint32_t)(g_get_monotonic_time() / 1000));
	g_mutex_unlock(&m->lock);
	sc_wake(core);
	return 0;
}

void spice_core_playback_volume(SpiceCore *core, uint16_t left,
				uint16_t right, bool mute)
{
	set_volume(core, &core->model.playback, left, right, mute);
}

int spice_core_record_start(SpiceCore *core, uint32_t rate)
{
	if (!rate)
		return -EINVAL;
	return set_stream(core, &core->model.record, rate, false);
}

void spice_core_record_stop(SpiceCore *core)
{
	set_stream(core, &core->model.record, 0, false);
}

void spice_core_record_volume(SpiceCore *core, uint16_t left,
			      uint16_t right, bool mute)
{
	set_volume(core, &core->model.record, left, right, mute);
}

void spice_core_audio_enable(SpiceCore *core)
{
	struct sc_model *m = &core->model;

	g_mutex_lock(&m->lock);
	m->audio = true;
	g_mutex_unlock(&m->lock);
	sc_wake(core);
}
