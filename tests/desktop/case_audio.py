"""desktop-audio (issue 13): the guest's sound card through spice-core.

Our QEMU with

    -object spice-core,id=sc0,...
    -audiodev spice-core,id=snd0,spice=sc0
    -device intel-hda -device hda-duplex,audiodev=snd0

boots the desktop image (no X needed).  A SpiceClientGLib client
(audio_client.py) connects; the guest loads snd-hda-intel and, through
Debian's libasound (tone.c, built here), plays a 1000 Hz sine for 3 s
while it records 4 s.  The client answers the record channel's start with
a 660 Hz sine.  Checks: the client's playback channel started at 48 kHz
S16 stereo and received at least 1.5 s of audio whose frequency is
1000 Hz +- 3 %; the client was asked to record at 48 kHz and sent audio;
the guest recorded a tone of 660 Hz +- 3 %; QEMU is still running.
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
    try:
        g.start(timeout=300)
        tap.ok(True, "guest_boots")
        g.run("modprobe snd-hda-intel")
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
    tap.ok(alive, "qemu_still_running")
    if tap.failed:
        desktop.comment_tails(tap, work,
                              ("serial.log", "kernel.log", "qemu.stderr"), 15)
