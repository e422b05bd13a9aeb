// SPDX-License-Identifier: MIT
/* The record channel: the client's microphone to the host's
 * ops.record_data, raw S16 stereo only.  START when the host asks
 * (spice_core_record_start), STOP, VOLUME and MUTE to clients with
 * SPICE_RECORD_CAP_VOLUME.  A client that picks another mode, or sends
 * data that is not whole frames or over SPICE_CORE_AUDIO_CHUNK_MAX bytes,
 * is dropped; data while recording is off is ignored. */
#include "channels/channels.h"
#include "channels/sound.h"

struct sc_record {
	uint32_t gen, vol_gen;		/* the model's, as sent */
	bool on;
};

static void send_state(struct sc_conn *c, struct sc_record *rc,
		       const struct sc_audio *a)
{
	struct sc_buf *b;

	if (rc->on)
		sc_msg_send_empty(&c->wire, SPICE_MSG_RECORD_STOP);
	if (a->on) {
		b = sc_msg_begin(&c->wire, SPICE_MSG_RECORD_START);
		sc_buf_u32(b, SC_AUDIO_CHANNELS);
		sc_buf_u16(b, SPICE_AUDIO_FMT_S16);
		sc_buf_u32(b, a->rate);
		sc_msg_end(&c->wire);
	}
	rc->gen = a->gen;
	rc->on = a->on;
}

static void send_volume(struct sc_conn *c, struct sc_record *rc,
			const struct sc_audio *a)
{
	if (sc_has_cap(c->link.mess.channel_caps, SPICE_RECORD_CAP_VOLUME))
		sc_sound_send_volume(c, a, SPICE_MSG_RECORD_VOLUME,
				     SPICE_MSG_RECORD_MUTE);
	rc->vol_gen = a->vol_gen;
}

static void record_start(struct sc_conn *c)
{
	struct sc_record *rc = g_new0(struct sc_record, 1);
	struct sc_audio a;

	c->priv = rc;
	sc_sound_read(c, &c->chs->model->record, &a);
	send_volume(c, rc, &a);
	send_state(c, rc, &a);
}

static void record_pump(struct sc_conn *c)
{
	struct sc_record *rc = c->priv;
	struct sc_audio a;

	sc_sound_read(c, &c->chs->model->record, &a);
	if (rc->vol_gen != a.vol_gen)
		send_volume(c, rc, &a);
	if (rc->gen != a.gen)
		send_state(c, rc, &a);
}

static int record_handle(struct sc_conn *c, const struct sc_msg *msg)
{
	struct sc_record *rc = c->priv;
	const struct spice_core_ops *ops = c->chs->model->ops;
	size_t n = msg->u.record.size;

	switch (msg->kind) {
	case SC_MSG_RECORD_MODE:
		if (msg->u.record.mode != SPICE_AUDIO_DATA_MODE_RAW)
			sc_stream_close(c->st, "record mode %u (only raw, %u, "
					"was offered)", msg->u.record.mode,
					SPICE_AUDIO_DATA_MODE_RAW);
		return 0;
	case SC_MSG_RECORD_DATA:
		if (n % SC_AUDIO_FRAME || n > SPICE_CORE_AUDIO_CHUNK_MAX) {
			sc_stream_close(c->st, "record data of %zu bytes "
					"(whole %u-byte frames, at most %u "
					"bytes)", n,
					SC_AUDIO_FRAME,
					SPICE_CORE_AUDIO_CHUNK_MAX);
			return 0;
		}
		if (rc->on && n && ops->record_data)
			ops->record_data(c->chs->model->opaque, c->session_id,
					 msg->u.record.data, n);
		return 0;
	default:
		return 0;
	}
}

const struct sc_channel_ops sc_record_channel = {
	.name = "record",
	.type = SPICE_CHANNEL_RECORD,
	.caps = 1u << SPICE_RECORD_CAP_VOLUME,
	.parse = sc_parse_record,
	.exists = sc_exists_audio,
	.start = record_start,
	.handle = record_handle,
	.pump = record_pump,
};
