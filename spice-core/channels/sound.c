// SPDX-License-Identifier: MIT
/* Helpers of the playback and record channels (sound.h). */
#include "channels/sound.h"

bool sc_exists_audio(struct sc_channels *chs, uint8_t id)
{
	return id == 0 && chs->model->audio;
}

void sc_sound_read(struct sc_conn *c, const struct sc_audio *src,
		   struct sc_audio *out)
{
	g_mutex_lock(&c->chs->model->lock);
	*out = *src;
	g_mutex_unlock(&c->chs->model->lock);
}

void sc_sound_send_volume(struct sc_conn *c, const struct sc_audio *a,
			  uint16_t volume_type, uint16_t mute_type)
{
	struct sc_buf *b = sc_msg_begin(&c->wire, volume_type);

	sc_buf_u8(b, SC_AUDIO_CHANNELS);
	sc_buf_u16(b, a->volume[0]);
	sc_buf_u16(b, a->volume[1]);
	sc_msg_end(&c->wire);
	sc_buf_u8(sc_msg_begin(&c->wire, mute_type), a->mute);
	sc_msg_end(&c->wire);
}

uint32_t sc_sound_time(void)
{
	return (uint32_t)(g_get_monotonic_time() / 1000);
}
