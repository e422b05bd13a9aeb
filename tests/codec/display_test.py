#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The display channel's choices seen by a real client (spice-gtk's
SpiceClientGLib) of spice-serve, each ending pixel-exact:

- a window dragged with damage only ('drag', no COPY_BITS from the
  source): spice-core finds the moves and sends them as COPY_BITS;
- a window dragged by the source's copies ('drag-copy'), too large for
  the client's shadow to replay, with draws and copies across it, to two
  clients: both end pixel-exact;
- the codec per region: a photo as QUIC and UI as LZ4 (spice-gtk
  announces LZ4), and what spice-gtk asks for with PREFERRED_COMPRESSION
  (its preferred-compression property: LZ, QUIC, OFF);
- MJPEG streams only with --streaming-video on: a video-rate area is
  streamed then, never by default; once it stops the area is sent again
  losslessly.

The counts come from spice-serve's exit stats, the pixels from the
client's own surface against --save-picture."""
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "spice-core"))
from sclib import Server, console_like, done, ok, read_ppm, workdir, write_ppm  # noqa: E402
import scclient  # noqa: E402
from scclient import Client  # noqa: E402

D = workdir("display")

# SpiceImageCompression (spice/enums.h)
COMP_OFF, COMP_QUIC, COMP_LZ = 1, 4, 6


class _SpiceWith:
    """SpiceClientGLib with Session() made with these properties set
    before connecting (scclient.Client connects in its constructor)."""
    def __init__(self, real, props):
        self._real, self._props = real, props

    def __getattr__(self, name):
        return getattr(self._real, name)

    def Session(self):
        s = self._real.Session()
        for k, v in self._props.items():
            s.set_property(k, v)
        return s


def client(port, **props):
    real = scclient.S
    scclient.S = _SpiceWith(real, props)
    try:
        return Client(port=port, channels=("display",))
    finally:
        scclient.S = real


def photo(w, h, seed):
    """Smooth colour gradients with grain: photo-like."""
    rnd = random.Random(seed)
    grain = rnd.randbytes(w * h)
    out = bytearray(w * h * 3)
    i = 0
    for y in range(h):
        gy = y * 255 // (h - 1)
        for x in range(w):
            n = (grain[i // 3] & 15) - 8
            gx = x * 255 // (w - 1)
            out[i] = max(0, min(255, gx + n))
            out[i + 1] = max(0, min(255, gy + n))
            out[i + 2] = max(0, min(255, (gx + gy) // 2 - n))
            i += 3
    return bytes(out)


def settle(c, quiet=1.5, timeout=30):
    """Run the client until no update came for `quiet` seconds."""
    import time
    last = [c.invalidates, time.time()]

    def still():
        if c.invalidates != last[0]:
            last[0], last[1] = c.invalidates, time.time()
        return time.time() - last[1] >= quiet
    return c.run_until(still, timeout)


def watch(args, props=None, frames=None, quiet=1.5):
    """Serve `args` to a client (with session `props`); after the
    animation's frames (if any) and a quiet spell, the client's pixels,
    the picture served and the server's stats."""
    saved = os.path.join(D, "served-%d.ppm" % os.getpid())
    if os.path.exists(saved):
        os.unlink(saved)
    srv = Server("--port", "0", "--disable-ticketing", "--save-picture",
                 saved, "--log-images", *args)
    c = client(srv.port, **(props or {}))
    c.run_until(lambda: c.pixels() is not None, 20)
    want = None
    if frames:
        from scclient import wait_line
        wait_line(srv, lambda l: l.startswith("anim-done"), 60)
        want = read_ppm(saved)		# written before anim-done
        settle_to(c, want, "the", quiet)
    else:
        settle(c, quiet)
    got = c.pixels()
    c.close()
    stats = srv.stop()
    # The codec of each image in order (--log-images).
    stats["codecs"] = re.findall(
        r"DRAW_COPY \d+x\d+ at \d+,\d+: (\w+), \d+ bytes", srv.log_text())
    return got, want or read_ppm(saved), stats


def settle_to(c, want, name, quiet=1.5):
    """Settle c once the animation is over (want: its last picture).
    Quiet for `quiet` seconds is not "nothing left to send" on a loaded
    machine, so a client whose picture is not want yet is run again, up
    to three times, each waiting longer; a picture that never comes right
    still fails the caller's check."""
    for rounds in range(1, 4):
        settle(c, quiet * rounds)
        if same(c.pixels(), want)[0]:
            break
    if rounds > 1:
        print("# %s client: %s after %d settles" %
              (name, same(c.pixels(), want)[1], rounds))


def same(got, want):
    if got is None or want is None:
        return False, "no picture"
    if got[:2] != want[:2]:
        return False, "size %s vs %s" % (got[:2], want[:2])
    bad = sum(1 for i in range(0, len(want[2]), 3)
              if got[2][i:i + 3] != want[2][i:i + 3])
    return bad == 0, "%d pixels differ" % bad


# Moves found in damage ------------------------------------------------------
got, want, st = watch(["--pattern", "drag", "--size", "640x480", "--fps",
                       "10", "--frames", "20"], frames=20)
exact, why = same(got, want)
ok(exact, "drag_damage_only_client_ends_pixel_exact", why)
ok(st.get("moves", 0) >= 5 and st.get("copies", 0) >= st.get("moves", 0),
   "drag_moves_found_in_damage_sent_as_copy_bits", str(st))

# Copies from the source, the shadow stale ----------------------------------
# 'drag-copy': a 320x240 window moved by the source's copies, each too
# large for spice-core to replay in a client's shadow (it marks the
# destination stale instead), with photo boxes drawn across the window's
# edge, copies inside the window whose sources are stale pixels, and a
# glyph drawn again after the window took the first one away.  Two
# clients in different states (one from the start, one joining a second
# and a half later): both end pixel-exact, the copies reach them as
# COPY_BITS.
def drag_copy(frames=40):
    saved = os.path.join(D, "served-copy-%d.ppm" % os.getpid())
    if os.path.exists(saved):
        os.unlink(saved)
    srv = Server("--port", "0", "--disable-ticketing", "--save-picture",
                 saved, "--pattern", "drag-copy", "--size", "640x480",
                 "--fps", "10", "--frames", str(frames))
    a = client(srv.port)
    a.run_until(lambda: a.pixels() is not None, 20)
    a.run_until(lambda: False, 1.5)
    b = client(srv.port)
    from scclient import wait_line
    wait_line(srv, lambda l: l.startswith("anim-done"), 60)
    want = read_ppm(saved)		# written before anim-done
    pics = []
    for c, name in ((a, "first"), (b, "late")):
        settle_to(c, want, name)
        pics.append(c.pixels())
    a.close()
    b.close()
    st = srv.stop()
    return pics, want, st


(got_a, got_b), want, st = drag_copy()
exact, why = same(got_a, want)
ok(exact, "drag_copy_stale_shadow_first_client_pixel_exact", why)
exact, why = same(got_b, want)
ok(exact, "drag_copy_stale_shadow_late_client_pixel_exact", why)
ok(st.get("copies", 0) >= 40, "drag_copy_copies_sent_as_copy_bits", str(st))

# The codec per region, spice-gtk's menu and its preferences -----------------
pics = {"photo": (640, 480, photo(640, 480, 7)),
        "ui": (640, 480, console_like(640, 480, 3, rows=20))}
for name, (w, h, rgb) in pics.items():
    write_ppm(os.path.join(D, name + ".ppm"), w, h, rgb)

for pic in ("photo", "ui"):
    # The first update of a still picture, no preference said.
    want_key, other = (("images_quic", "images_lz4") if pic == "photo" else
                       ("images_lz4", "images_quic"))
    got, want, st = watch(["--image", os.path.join(D, pic + ".ppm")])
    exact, why = same(got, want)
    ok(exact, "codec_%s_auto_pixel_exact" % pic, why)
    ok(st.get(want_key, 0) >= 1 and st.get(other, 0) == 0 and
       st.get("images_lz", 0) == 0 and st.get("images_raw", 0) == 0,
       "codec_%s_auto_sent_as_%s" % (pic, want_key[7:]), str(st))

# 'mixed' (a photo left, UI right, all changing each frame): by content
# both codecs in one update; with a preference (it comes once the channel
# is open, so the first update may precede it) that codec for the rest.
for pref, want_key in ((None, None), (COMP_LZ, "images_lz"),
                       (COMP_QUIC, "images_quic"), (COMP_OFF, "images_raw")):
    props = {} if pref is None else {"preferred-compression": pref}
    got, want, st = watch(["--pattern", "mixed", "--size", "640x480",
                           "--fps", "10", "--frames", "20"], props, frames=20)
    exact, why = same(got, want)
    label = {None: "auto", COMP_LZ: "pref_lz", COMP_QUIC: "pref_quic",
             COMP_OFF: "pref_off"}[pref]
    ok(exact, "codec_mixed_%s_pixel_exact" % label, why)
    if pref is None:
        ok(st.get("images_quic", 0) >= 5 and st.get("images_lz4", 0) >= 5 and
           st.get("images_lz", 0) == 0,
           "codec_mixed_auto_photo_quic_ui_lz4", str(st))
    else:
        # The images after the preference came: the last ten all of
        # the codec asked for.
        last = st["codecs"][-10:]
        ok(len(last) == 10 and set(last) == {want_key[7:]},
           "codec_mixed_%s_honoured" % label, " ".join(st["codecs"]))

# MJPEG only when asked -------------------------------------------------------
for on in (False, True):
    args = ["--pattern", "video", "--size", "320x240", "--fps", "25",
            "--frames", "50"]
    if on:
        args += ["--streaming-video", "on"]
    # Quiet long enough for a stream to end and its area to come again
    # losslessly.
    got, want, st = watch(args, frames=50, quiet=3.0)
    exact, why = same(got, want)
    tag = "on" if on else "default"
    ok(exact, "video_%s_client_ends_pixel_exact" % tag, why)
    if on:
        ok(st.get("streams", 0) >= 1 and st.get("stream_frames", 0) >= 5,
           "video_streaming_on_sends_mjpeg", str(st))
    else:
        ok(st.get("streams", 0) == 0 and st.get("stream_frames", 0) == 0,
           "video_streaming_off_by_default_no_mjpeg", str(st))
done()
