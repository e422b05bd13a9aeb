// SPDX-License-Identifier: MIT
/* The playback channel: the host's PCM (spice_core_playback_*) to the
 * client, raw S16 stereo.  MODE (raw) and START when the host starts,
 * DATA for each queued chunk while the client has room, STOP; VOLUME and
 * MUTE to clients with SPICE_PLAYBACK_CAP_VOLUME.  A client joining while
 * audio plays gets what is written from then on; one that falls behind
 * the chunks the model keeps skips to the oldest kept. */
#include "channels/channels.h"
#include "channels/sound.h"

struct sc_playback {
	uint32_t gen, vol_gen;		/* the model's, as sent */
	bool on;
	uint64_t next;			/* the next chunk to send */
};

static void send_start(struct sc_conn *c, const struct sc_audio *a)
{
	struct sc_buf *b = sc_msg_begin(&c->wire, SPICE_MSG_PLAYBACK_MODE);

	sc_buf_u32(b, sc_sound_time());
	sc_buf_u16(b, SPICE_AUDIO_DATA_MODE_RAW);
	sc_msg_end(&c->wire);
	b = sc_msg_begin(&c->wire, SPICE_MSG_PLAYBACK_START);
	sc_buf_u32(b, SC_AUDIO_CHANNELS);
	sc_buf_u16(b, SPICE_AUDIO_FMT_S16);
	sc_buf_u32(b, a->rate);
	sc_buf_u32(b, sc_sound_time());
	sc_msg_end(&c->wire);
}

static bool has_volume(struct sc_conn *c)
{
	return sc_has_cap(c->link.mess.channel_caps,
			  SPICE_PLAYBACK_CAP_VOLUME);
}

static void playback_start(struct sc_conn *c)
{
	struct sc_model *m = c->chs->model;
	struct sc_playback *pb = g_new0(struct sc_playback, 1);
	struct sc_audio a;

	c->priv = pb;
	g_mutex_lock(&m->lock);
	a = m->playback;
	pb->next = m->play_seq;		/* from now on */
	g_mutex_unlock(&m->lock);
	pb->gen = a.gen;
	pb->vol_gen = a.vol_gen;
	pb->on = a.on;
	if (has_volume(c))
		sc_sound_send_volume(c, &a, SPICE_MSG_PLAYBACK_VOLUME,
				     SPICE_MSG_PLAYBACK_MUTE);
	if (a.on)
		send_start(c, &a);
}

static void playback_pump(struct sc_conn *c)
{
	struct sc_playback *pb = c->priv;
	struct sc_model *m = c->chs->model;
	const struct sc_audio_chunk *ch;
	struct sc_audio a;

	g_mutex_lock(&m->lock);
	a = m->playback;
	if (pb->gen != a.gen) {
		if (pb->on)
			sc_msg_send_empty(&c->wire, SPICE_MSG_PLAYBACK_STOP);
		if (a.on)
			send_start(c, &a);
		pb->gen = a.gen;
		pb->on = a.on;
		pb->next = 0;		/* the queue holds this start's */
	}
	if (pb->vol_gen != a.vol_gen) {
		if (has_volume(c))
			sc_sound_send_volume(c, &a, SPICE_MSG_PLAYBACK_VOLUME,
					     SPICE_MSG_PLAYBACK_MUTE);
		pb->vol_gen = a.vol_gen;
	}
	while (pb->on && sc_wire_can_send(&c->wire) &&
	       (ch = sc_model_play_chunk(m, &pb->next))) {
		struct sc_buf *b = sc_msg_begin(&c->wire,
						SPICE_MSG_PLAYBACK_DATA);

		sc_buf_u32(b, ch->time);
		sc_buf_put(b, ch->data, ch->size);
		sc_msg_end(&c->wire);
		pb->next++;
	}
	g_mutex_unlock(&m->lock);
}

const struct sc_channel_ops sc_playback_channel = {
	.name = "playback",
	.type = SPICE_CHANNEL_PLAYBACK,
	.caps = 1u << SPICE_PLAYBACK_CAP_VOLUME,
	.exists = sc_exists_audio,
	.start = playback_start,
	.pump = playback_pump,
};
