// SPDX-License-Identifier: MIT
/*
 * tone: the guest's side of desktop-audio (tests/desktop/case_audio.py),
 * through Debian's libasound (the image has it; it has no alsa-utils).
 *
 *   tone play FREQ SECONDS [DEVICE]   a sine of FREQ Hz, S16 stereo 48 kHz
 *   tone record SECONDS [DEVICE]      capture, S16 stereo 48 kHz, then
 *                                     print the pitch heard (see pitch())
 *                                     "freq=F peak=P frames=N"
 *   tone volume ELEM PCT [CARD]       set mixer element ELEM's playback
 *                                     (else capture) volume to PCT % of
 *                                     its range: "ELEM raw=R min=A max=B"
 *   tone mute ELEM on|off [CARD]      mute (switch off) or unmute ELEM
 *
 * DEVICE defaults to "default" (alsa-lib's plug on card 0, which converts
 * to what the sound card takes), CARD to "hw:0".  The raw value of an HDA
 * amp's volume control is the amp's gain step, what the codec sees.  Built on the host against libasound.so.2
 * (same Debian release as the guest image).
 */
#include <alsa/asoundlib.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE	48000
#define CHUNK	960		/* frames per write/read: 20 ms */

static snd_pcm_t *open_pcm(const char *dev, snd_pcm_stream_t dir)
{
	snd_pcm_t *pcm;
	int err = snd_pcm_open(&pcm, dev, dir, 0);

	if (err < 0) {
		fprintf(stderr, "tone: open %s: %s\n", dev, snd_strerror(err));
		exit(1);
	}
	err = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE,
				 SND_PCM_ACCESS_RW_INTERLEAVED, 2, RATE, 1,
				 200000);
	if (err < 0) {
		fprintf(stderr, "tone: params: %s\n", snd_strerror(err));
		exit(1);
	}
	return pcm;
}

static int play(double freq, double seconds, const char *dev)
{
	snd_pcm_t *pcm = open_pcm(dev, SND_PCM_STREAM_PLAYBACK);
	long total = (long)(seconds * RATE), done = 0;
	int16_t buf[CHUNK * 2];

	while (done < total) {
		snd_pcm_sframes_t n;
		int i;

		for (i = 0; i < CHUNK; i++) {
			double t = (double)(done + i) / RATE;
			int16_t v = (int16_t)(12000 * sin(2 * M_PI * freq * t));

			buf[2 * i] = v;
			buf[2 * i + 1] = v;
		}
		n = snd_pcm_writei(pcm, buf, CHUNK);
		if (n < 0)
			n = snd_pcm_recover(pcm, (int)n, 0);
		if (n < 0) {
			fprintf(stderr, "tone: write: %s\n", snd_strerror((int)n));
			return 1;
		}
		done += n;
	}
	snd_pcm_drain(pcm);
	snd_pcm_close(pcm);
	printf("played frames=%ld\n", done);
	return 0;
}

/*
 * The pitch of the left channel: the signal is cut into stretches of
 * sound at the gaps (2 ms or more under QUIET: silence where a client or
 * the guest fell behind); in each stretch of 20 ms or more, the sign
 * changes between its first and its last are counted half periods over
 * that time.  Summed over the stretches: Hz, and the frames measured.
 */
#define QUIET	200

static double pitch(const int16_t *lr, long n, long *measured)
{
	double halves = 0, span = 0;
	long i = 0;

	*measured = 0;
	while (i < n) {
		long start, end, quiet = 0, first = -1, last = -1, c = 0;

		while (i < n && abs(lr[2 * i]) < QUIET)
			i++;
		start = i;
		for (end = i; end < n; end++) {
			quiet = abs(lr[2 * end]) < QUIET ? quiet + 1 : 0;
			if (quiet >= RATE / 500)
				break;
		}
		i = end;
		if (end - start < RATE / 50)
			continue;
		for (long j = start + 1; j < end; j++) {
			if ((lr[2 * j] >= 0) == (lr[2 * j - 2] >= 0))
				continue;
			if (first < 0)
				first = j;
			last = j;
			c++;
		}
		if (c >= 3) {
			halves += c - 1;
			span += last - first;
			*measured += end - start;
		}
	}
	return span > 0 ? halves / 2 * RATE / span : 0.0;
}

static int record(double seconds, const char *dev)
{
	snd_pcm_t *pcm = open_pcm(dev, SND_PCM_STREAM_CAPTURE);
	long total = (long)(seconds * RATE), got = 0, measured;
	int16_t *all = calloc((size_t)total * 2 + CHUNK * 2, sizeof(int16_t));
	int peak = 0;
	double f;
	long i;

	if (!all)
		return 1;
	while (got < total) {
		snd_pcm_sframes_t n = snd_pcm_readi(pcm, all + 2 * got, CHUNK);

		if (n < 0)
			n = snd_pcm_recover(pcm, (int)n, 0);
		if (n < 0) {
			fprintf(stderr, "tone: read: %s\n", snd_strerror((int)n));
			return 1;
		}
		got += n;
	}
	snd_pcm_close(pcm);
	for (i = 0; i < got; i++)
		peak = abs(all[2 * i]) > peak ? abs(all[2 * i]) : peak;
	f = pitch(all, got, &measured);
	printf("freq=%.1f peak=%d frames=%ld\n", f, peak, measured);
	free(all);
	return 0;
}

static snd_mixer_elem_t *find_elem(snd_mixer_t **mixer, const char *name,
				    const char *card)
{
	snd_mixer_selem_id_t *id;
	snd_mixer_elem_t *e;
	int err;

	if ((err = snd_mixer_open(mixer, 0)) < 0 ||
	    (err = snd_mixer_attach(*mixer, card)) < 0 ||
	    (err = snd_mixer_selem_register(*mixer, NULL, NULL)) < 0 ||
	    (err = snd_mixer_load(*mixer)) < 0) {
		fprintf(stderr, "tone: mixer %s: %s\n", card, snd_strerror(err));
		exit(1);
	}
	snd_mixer_selem_id_alloca(&id);
	snd_mixer_selem_id_set_name(id, name);
	e = snd_mixer_find_selem(*mixer, id);
	if (!e) {
		fprintf(stderr, "tone: no mixer element %s on %s; there are:",
			name, card);
		for (e = snd_mixer_first_elem(*mixer); e;
		     e = snd_mixer_elem_next(e))
			fprintf(stderr, " '%s'", snd_mixer_selem_get_name(e));
		fprintf(stderr, "\n");
		exit(1);
	}
	return e;
}

static int volume(const char *name, double pct, const char *card)
{
	snd_mixer_t *mixer;
	snd_mixer_elem_t *e = find_elem(&mixer, name, card);
	bool play = snd_mixer_selem_has_playback_volume(e);
	long min, max, raw;
	int err;

	if (!play && !snd_mixer_selem_has_capture_volume(e)) {
		fprintf(stderr, "tone: %s has no volume\n", name);
		return 1;
	}
	if (play)
		snd_mixer_selem_get_playback_volume_range(e, &min, &max);
	else
		snd_mixer_selem_get_capture_volume_range(e, &min, &max);
	raw = min + (long)((max - min) * pct / 100);
	err = play ? snd_mixer_selem_set_playback_volume_all(e, raw) :
		     snd_mixer_selem_set_capture_volume_all(e, raw);
	if (err < 0) {
		fprintf(stderr, "tone: set %s: %s\n", name, snd_strerror(err));
		return 1;
	}
	printf("%s raw=%ld min=%ld max=%ld\n", name, raw, min, max);
	snd_mixer_close(mixer);
	return 0;
}

static int mute(const char *name, bool on, const char *card)
{
	snd_mixer_t *mixer;
	snd_mixer_elem_t *e = find_elem(&mixer, name, card);
	int err;

	/* An ALSA switch is on when the sound passes: mute = switch off. */
	if (snd_mixer_selem_has_playback_switch(e))
		err = snd_mixer_selem_set_playback_switch_all(e, !on);
	else if (snd_mixer_selem_has_capture_switch(e))
		err = snd_mixer_selem_set_capture_switch_all(e, !on);
	else
		err = -ENOENT;
	if (err < 0) {
		fprintf(stderr, "tone: switch %s: %s\n", name,
			snd_strerror(err));
		return 1;
	}
	printf("%s %s\n", name, on ? "muted" : "unmuted");
	snd_mixer_close(mixer);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "play"))
		return play(atof(argv[2]), atof(argv[3]),
			    argc > 4 ? argv[4] : "default");
	if (argc >= 3 && !strcmp(argv[1], "record"))
		return record(atof(argv[2]), argc > 3 ? argv[3] : "default");
	if (argc >= 4 && !strcmp(argv[1], "volume"))
		return volume(argv[2], atof(argv[3]),
			      argc > 4 ? argv[4] : "hw:0");
	if (argc >= 4 && !strcmp(argv[1], "mute") &&
	    (!strcmp(argv[3], "on") || !strcmp(argv[3], "off")))
		return mute(argv[2], !strcmp(argv[3], "on"),
			    argc > 4 ? argv[4] : "hw:0");
	fprintf(stderr, "usage: tone play FREQ SECONDS [DEVICE] | "
		"tone record SECONDS [DEVICE] |\n"
		"       tone volume ELEM PCT [CARD] | "
		"tone mute ELEM on|off [CARD]\n");
	return 2;
}
