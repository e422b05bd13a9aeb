"""desktop-audio (issue 13): the guest's sound card through spice-core.

Our QEMU with

    -object spice-core,id=sc0,...
    -audiodev spice-core,id=snd0,spice=sc0
    -device intel-hda -device hda-duplex,audiodev=snd0

boots the desktop image (no X needed).  A SpiceClientGLib client
(audio_client.py) connects; the guest loads snd-hda-intel and, through
Debian's libasound (tone.c, built here), plays a 1000 Hz sine for 3 s
while it records 6 s.  The client answers the record channel's start with
a 660 Hz sine.  Checks: the client's playback channel started at 48 kHz
S16 stereo and received at least 1.5 s of audio whose frequency is
1000 Hz +- 3 %; the client was asked to record at 48 kHz and sent audio;
the guest recorded a tone of 660 Hz +- 3 %; QEMU is still running.

Before the tones the guest sets its mixer (tone volume / tone mute):
'Master' (the DAC's output amp) unmuted, to 50 %, muted, unmuted, then
'Capture' (the ADC's input amp) the same at 25 %.  The client's playback and
record channels' "volume" and "mute" must go through the states QEMU's
mapping gives (volume_states()), in order.
"""

import json
import os
import shutil
import subprocess

import desktop
from desktop import HERE, DesktopGuest, GuestError, progress

PLAY_HZ = 1000.0
REC_HZ = 660.0


def build_tone(out):
    subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", out,
                    os.path.join(HERE, "tone.c"), "-lasound", "-lm"],
                   check=True)


def build_initrd(work):
    pay = os.path.join(work, "payload")
    shutil.rmtree(pay, ignore_errors=True)
    os.makedirs(os.path.join(pay, "bin"))
    shutil.copy(os.path.join(HERE, "init"), os.path.join(pay, "init"))
    build_tone(os.path.join(pay, "bin", "tone"))
    return desktop.pack_initrd(pay, work)


# hda-codec's amp has QEMU_HDA_AMP_STEPS gain steps (0 dB at the top).
HDA_AMP_STEPS = 74
# (mixer element, percent, client channel)
MIXER = (("Master", 50, "playback"), ("Capture", 25, "record"))


def spice_volume(raw):
    """The u16 a client sees for amp gain step `raw`: hda-codec scales the
    step to 0..255 (hda_audio_set_amp: raw * 255 / QEMU_HDA_AMP_STEPS) for
    AUD_set_volume_out/in, our driver (sc_out_volume) scales that by 257
    to 0..65535."""
    return raw * 255 // HDA_AMP_STEPS * 257


def volume_states(raw):
    """What the client must see, in order, for 'volume PCT' (unmuted),
    'mute on', 'mute off': both channels muted is Volume.mute, and
    hda-codec sends a muted channel's gain as 0."""
    v = spice_volume(raw)
    return [[[v, v], False], [[0, 0], True], [[v, v], False]]


def in_order(want, seen):
    """Whether `want` is a subsequence of `seen` (a stereo change may pass
    through a state with one channel changed)."""
    it = iter(seen)
    return all(any(s == w for s in it) for w in want)


def mixer_script():
    steps = []
    for elem, pct, _ in MIXER:
        # Unmuted first: Linux starts the amps muted, and a muted amp's
        # gain shows as 0 (a volume change alone would not show).
        steps += ["tone mute %s off" % elem,
                  "tone volume %s %d" % (elem, pct),
                  "tone mute %s on" % elem, "tone mute %s off" % elem]
    return " && sleep 1 && ".join(steps) + " && sleep 1"


def near(f, want):
    return abs(f - want) <= 0.03 * want


def case_audio(args, tap):
    work = os.path.join(args.work, "audio")
    os.makedirs(work, exist_ok=True)
    image = desktop.guest_image()
    port = desktop.free_port()
    devs = ["-object", "spice-core,id=sc0,addr=127.0.0.1,port=%d,"
            "disable-ticketing=on" % port,
            "-audiodev", "spice-core,id=snd0,spice=sc0",
            "-device", "intel-hda", "-device", "hda-duplex,audiodev=snd0"]
    progress("audio", "initramfs and boot")
    g = DesktopGuest(args.qemu, build_initrd(work), devs, work, image)
    client = None
    result = os.path.join(work, "client.json")
    if os.path.exists(result):
        os.unlink(result)
    guest_rec = ""
    mixer_out = ""
    try:
        g.start(timeout=300)
        tap.ok(True, "guest_boots")
        g.run("modprobe snd-hda-intel")
        # No codec power saving (udev may have loaded the module with the
        # default of 1 s): a suspended codec only caches amp changes and
        # sends them when it resumes; the mixer steps should reach QEMU
        # as they are made.
        g.run("echo 0 > /sys/module/snd_hda_intel/parameters/power_save")
        ok = desktop.wait_until(g, "[ -e /dev/snd/pcmC0D0p ] && "
                                "[ -e /dev/snd/pcmC0D0c ]")
        if not tap.ok(ok, "hda_pcm_devices",
                      g.run("ls /dev/snd; dmesg | grep -i hda | tail -5",
                            check=False)):
            raise GuestError("no sound card")
        client = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "audio_client.py"),
             "--port", str(port), "--seconds", "25", "--tone",
             str(REC_HZ), result],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        g.run("sleep 3")
        progress("audio", "guest sets its mixer")
        mixer_out = g.run(mixer_script(), timeout=120, check=False)
        tap.comment("mixer: " + mixer_out.strip().replace("\n", "; "))
        progress("audio", "guest plays %g Hz and records" % PLAY_HZ)
        out = g.run_watched("tone record 6 > /tmp/rec.txt 2>&1 & "
                            "tone play %g 3; wait; cat /tmp/rec.txt"
                            % PLAY_HZ, timeout=300)
        guest_rec = out
        tap.comment("guest: " + out.strip().replace("\n", "; "))
    except (GuestError, ValueError, OSError) as e:
        tap.ok(False, "reached_the_end", str(e))
    finally:
        if client is not None:
            try:
                cout, _ = client.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                client.kill()
                cout, _ = client.communicate()
            if cout.strip():
                tap.comment("client: " + cout.strip())
        alive = g.alive()
        g.stop()
    st = {}
    try:
        with open(result) as f:
            st = json.load(f)
    except (OSError, ValueError) as e:
        tap.ok(False, "client_result", str(e))
    tap.comment("client: %s" % {k: v for k, v in st.items()
                                if k != "events"})
    ps = st.get("playback_start")
    # spice-gtk's format number for S16 is SPICE_AUDIO_FMT_S16 = 1.
    tap.ok(ps == [1, 2, 48000], "playback_starts_s16_stereo_48k",
           "playback-start %s" % ps)
    frames = st.get("playback_loud_frames", 0)
    tap.ok(frames >= 48000 * 1.5, "playback_receives_the_tone",
           "%d loud frames of %d" % (frames, st.get("playback_frames", 0)))
    f = st.get("playback_freq", 0)
    tap.ok(near(f, PLAY_HZ), "playback_frequency_%d_hz" % PLAY_HZ,
           "client heard %.1f Hz" % f)
    rs = st.get("record_start")
    tap.ok(rs is not None and rs[2] == 48000 and
           st.get("record_frames_sent", 0) > 0, "record_channel_starts",
           "record-start %s, %d frames sent"
           % (rs, st.get("record_frames_sent", 0)))
    gf = 0.0
    for line in guest_rec.splitlines():
        if line.startswith("freq="):
            gf = float(line.split()[0][5:])
    tap.ok(near(gf, REC_HZ), "guest_records_%d_hz" % REC_HZ,
           "guest recorded %r" % guest_rec.strip()[-200:])
    seen = st.get("volumes", [])
    tap.comment("client volume states: %s" % seen)
    for elem, pct, chan in MIXER:
        raw = None
        for line in mixer_out.splitlines():
            w = line.split()
            if len(w) == 4 and w[0] == elem and w[3] == "max=%d" \
                    % HDA_AMP_STEPS:
                raw = int(w[1][4:])
        want = volume_states(raw) if raw is not None else None
        got = [v[1:3] for v in seen if v[0] == chan]
        tap.ok(want is not None and in_order(want, got),
               "%s_volume_and_mute_reach_the_client" % chan,
               "%s %d%% = step %s of %d: want %s in order, client saw %s"
               % (elem, pct, raw, HDA_AMP_STEPS, want, got))
    tap.ok(alive, "qemu_still_running")
    if tap.failed:
        desktop.comment_tails(tap, work,
                              ("serial.log", "kernel.log", "qemu.stderr"), 15)
