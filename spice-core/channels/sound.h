/* SPDX-License-Identifier: MIT */
/* What the playback and record channels share: whether they exist (id 0,
 * with config.audio), and the START/VOLUME/MUTE messages of a stream. */
#ifndef SPICE_CORE_CHANNELS_SOUND_H
#define SPICE_CORE_CHANNELS_SOUND_H

#include "channels/channel.h"

#define SC_AUDIO_CHANNELS	2	/* stereo */
#define SC_AUDIO_FRAME		4	/* bytes: two S16 samples */

bool sc_exists_audio(struct sc_channels *chs, uint8_t id);
/* Copy the stream under the lock. */
void sc_sound_read(struct sc_conn *c, const struct sc_audio *src,
		   struct sc_audio *out);
/* VOLUME then MUTE, with the message types of c's channel. */
void sc_sound_send_volume(struct sc_conn *c, const struct sc_audio *a,
			  uint16_t volume_type, uint16_t mute_type);
uint32_t sc_sound_time(void);

#endif
