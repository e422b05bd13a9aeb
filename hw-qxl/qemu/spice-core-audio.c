/*
 * qxl-ng QEMU glue: the spice-core audio backend.
 *
 *   -audiodev spice-core,id=snd0,spice=sc0
 *   -device intel-hda -device hda-duplex,audiodev=snd0
 *
 * or, with -spice, QEMU's (and libvirt's) form -audiodev spice,id=snd0.
 * The guest's sound card plays into the playback channel of spice-core
 * object sc0 (or of the one -spice created) and records from its record
 * channel, as raw S16 stereo PCM at 48 kHz.  QEMU's audio core paces
 * both directions (RateCtl): playback PCM is handed to spice-core as the
 * guest writes it (spice-core keeps a bounded queue per client),
 * microphone PCM from the clients waits in a ring of RECORD_RING bytes;
 * when the clients send more than the guest reads, the oldest bytes go,
 * and when they send less the guest reads silence.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
#include "audio/audio.h"
#define AUDIO_CAP "spice-core"
#include "audio/audio_int.h"

#include "qxlng.h"

#define SC_AUDIO_RATE   48000
#define SC_FRAME_BYTES  4                       /* S16, 2 channels */
#define RECORD_RING     (SC_AUDIO_RATE * SC_FRAME_BYTES / 2)    /* 0.5 s */

typedef struct ScAudio {
    SpiceCoreObject *sc;
    SpiceCore *core;
    uint8_t ring[RECORD_RING];
    size_t head;                /* next byte to read */
    size_t fill;                /* bytes waiting */
    uint64_t dropped;           /* record bytes lost to a full ring */
} ScAudio;

typedef struct ScVoiceOut {
    HWVoiceOut hw;
    ScAudio *a;
    RateCtl rate;
    bool on;
} ScVoiceOut;

typedef struct ScVoiceIn {
    HWVoiceIn hw;
    ScAudio *a;
    RateCtl rate;
    bool on;
} ScVoiceIn;

static void sc_audio_settings(struct audsettings *as)
{
    as->freq = SC_AUDIO_RATE;
    as->nchannels = 2;
    as->fmt = AUDIO_FORMAT_S16;
    as->endianness = 0;         /* little-endian, as SPICE's raw PCM */
}

/* Microphone PCM from a client: whole frames (spice-core checked). */
static void sc_audio_record_data(void *opaque, const void *pcm, size_t bytes)
{
    ScAudio *a = opaque;
    const uint8_t *p = pcm;
    size_t tail, n;

    if (bytes > RECORD_RING) {              /* only the newest part fits */
        p += bytes - RECORD_RING;
        a->dropped += bytes - RECORD_RING;
        bytes = RECORD_RING;
    }
    if (a->fill + bytes > RECORD_RING) {    /* drop the oldest */
        n = a->fill + bytes - RECORD_RING;
        a->head = (a->head + n) % RECORD_RING;
        a->fill -= n;
        a->dropped += n;
    }
    tail = (a->head + a->fill) % RECORD_RING;
    n = MIN(bytes, RECORD_RING - tail);
    memcpy(a->ring + tail, p, n);
    memcpy(a->ring, p + n, bytes - n);
    a->fill += bytes;
}

static void *sc_audio_init(Audiodev *dev)
{
    ScAudio *a;
    SpiceCoreObject *sc;
    Error *err = NULL;

    if (dev->driver == AUDIODEV_DRIVER_SPICE_CORE) {
        sc = qxlng_spice_find(dev->u.spice_core.spice, &err);
    } else {
        /* -audiodev spice: QEMU's name, the object -spice created */
        sc = qxlng_spice_find(NULL, NULL);
        if (!sc) {
            error_setg(&err, "needs -spice (the audio of another spice-core "
                       "object: -audiodev spice-core,spice=ID)");
        }
    }
    if (!sc) {
        error_prepend(&err, "audiodev %s: ", dev->id);
        error_report_err(err);
        return NULL;
    }
    a = g_new0(ScAudio, 1);
    a->sc = sc;
    a->core = qxlng_spice_core(sc);
    spice_core_audio_enable(a->core);
    qxlng_spice_set_record_sink(sc, sc_audio_record_data, a);
    return a;
}

static void sc_audio_fini(void *opaque)
{
    ScAudio *a = opaque;

    qxlng_spice_set_record_sink(a->sc, NULL, NULL);
    g_free(a);
}

/* Playback ------------------------------------------------------------------ */

static int sc_out_init(HWVoiceOut *hw, struct audsettings *as, void *opaque)
{
    ScVoiceOut *out = container_of(hw, ScVoiceOut, hw);
    struct audsettings s;

    sc_audio_settings(&s);
    audio_pcm_init_info(&hw->info, &s);
    hw->samples = 1024;
    out->a = opaque;
    audio_rate_start(&out->rate);
    return 0;
}

static void sc_out_fini(HWVoiceOut *hw)
{
    ScVoiceOut *out = container_of(hw, ScVoiceOut, hw);

    if (out->on) {
        spice_core_playback_stop(out->a->core);
        out->on = false;
    }
}

static size_t sc_out_write(HWVoiceOut *hw, void *buf, size_t len)
{
    ScVoiceOut *out = container_of(hw, ScVoiceOut, hw);
    size_t n = audio_rate_get_bytes(&out->rate, &hw->info, len);

    n -= n % SC_FRAME_BYTES;
    if (out->on && n) {
        spice_core_playback_write(out->a->core, buf, n / SC_FRAME_BYTES);
    }
    return n;
}

static void sc_out_enable(HWVoiceOut *hw, bool enable)
{
    ScVoiceOut *out = container_of(hw, ScVoiceOut, hw);

    if (enable == out->on) {
        return;
    }
    out->on = enable;
    if (enable) {
        audio_rate_start(&out->rate);
        spice_core_playback_start(out->a->core, SC_AUDIO_RATE);
    } else {
        spice_core_playback_stop(out->a->core);
    }
}

static void sc_out_volume(HWVoiceOut *hw, Volume *vol)
{
    ScVoiceOut *out = container_of(hw, ScVoiceOut, hw);
    uint16_t l = vol->vol[0] * 257;
    uint16_t r = vol->channels > 1 ? vol->vol[1] * 257 : l;

    spice_core_playback_volume(out->a->core, l, r, vol->mute);
}

/* Record -------------------------------------------------------------------- */

static int sc_in_init(HWVoiceIn *hw, struct audsettings *as, void *opaque)
{
    ScVoiceIn *in = container_of(hw, ScVoiceIn, hw);
    struct audsettings s;

    sc_audio_settings(&s);
    audio_pcm_init_info(&hw->info, &s);
    hw->samples = 1024;
    in->a = opaque;
    audio_rate_start(&in->rate);
    return 0;
}

static void sc_in_fini(HWVoiceIn *hw)
{
    ScVoiceIn *in = container_of(hw, ScVoiceIn, hw);

    if (in->on) {
        spice_core_record_stop(in->a->core);
        in->on = false;
    }
}

static size_t sc_in_read(HWVoiceIn *hw, void *buf, size_t len)
{
    ScVoiceIn *in = container_of(hw, ScVoiceIn, hw);
    ScAudio *a = in->a;
    size_t want = audio_rate_get_bytes(&in->rate, &hw->info, len);
    size_t got = 0, n;
    uint8_t *p = buf;

    want -= want % SC_FRAME_BYTES;
    while (got < want && a->fill) {
        n = MIN(want - got, MIN(a->fill, RECORD_RING - a->head));
        memcpy(p + got, a->ring + a->head, n);
        a->head = (a->head + n) % RECORD_RING;
        a->fill -= n;
        got += n;
    }
    /* No client talking: silence, so the guest's stream keeps going. */
    memset(p + got, 0, want - got);
    return want;
}

static void sc_in_enable(HWVoiceIn *hw, bool enable)
{
    ScVoiceIn *in = container_of(hw, ScVoiceIn, hw);

    if (enable == in->on) {
        return;
    }
    in->on = enable;
    if (enable) {
        audio_rate_start(&in->rate);
        in->a->head = 0;
        in->a->fill = 0;
        spice_core_record_start(in->a->core, SC_AUDIO_RATE);
    } else {
        spice_core_record_stop(in->a->core);
    }
}

static void sc_in_volume(HWVoiceIn *hw, Volume *vol)
{
    ScVoiceIn *in = container_of(hw, ScVoiceIn, hw);
    uint16_t l = vol->vol[0] * 257;
    uint16_t r = vol->channels > 1 ? vol->vol[1] * 257 : l;

    spice_core_record_volume(in->a->core, l, r, vol->mute);
}

static struct audio_pcm_ops sc_audio_pcm_ops = {
    .init_out = sc_out_init,
    .fini_out = sc_out_fini,
    .write = sc_out_write,
    .buffer_get_free = audio_generic_buffer_get_free,
    .run_buffer_out = audio_generic_run_buffer_out,
    .enable_out = sc_out_enable,
    .volume_out = sc_out_volume,

    .init_in = sc_in_init,
    .fini_in = sc_in_fini,
    .read = sc_in_read,
    .run_buffer_in = audio_generic_run_buffer_in,
    .enable_in = sc_in_enable,
    .volume_in = sc_in_volume,
};

static struct audio_driver sc_audio_driver = {
    .name = "spice-core",
    .descr = "qxl-ng spice-core playback and record channels",
    .init = sc_audio_init,
    .fini = sc_audio_fini,
    .pcm_ops = &sc_audio_pcm_ops,
    .max_voices_out = 1,
    .max_voices_in = 1,
    .voice_size_out = sizeof(ScVoiceOut),
    .voice_size_in = sizeof(ScVoiceIn),
};

/* The same backend under QEMU's name (libvirt's default for SPICE). */
static struct audio_driver sc_audio_driver_spice = {
    .name = "spice",
    .descr = "qxl-ng spice-core audio of the -spice server",
    .init = sc_audio_init,
    .fini = sc_audio_fini,
    .pcm_ops = &sc_audio_pcm_ops,
    .max_voices_out = 1,
    .max_voices_in = 1,
    .voice_size_out = sizeof(ScVoiceOut),
    .voice_size_in = sizeof(ScVoiceIn),
};

static void sc_audio_register(void)
{
    audio_driver_register(&sc_audio_driver);
#ifndef CONFIG_SPICE
    audio_driver_register(&sc_audio_driver_spice);
#endif
}

type_init(sc_audio_register)
