#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The benchmark's client: spice-gtk's SpiceClientGLib (the real client
library, unmodified) on the display channel.  At each display-invalidate
covering the frame stamp (workload.h) it reads the stamp's colour from the
client's own surface and notes when each frame was first shown
(CLOCK_MONOTONIC, as the servers' submit times).  Prints "ready" once the
first picture (frame 0) is shown; ends when the last frame is shown or
nothing new came for --idle seconds; writes a JSON result (frames seen
and when, display channel bytes since ready) and the last picture (PPM).

  client.py --port N --frames LAST --out result.json --dump last.ppm
            [--cache-size BYTES]
"""
import argparse
import ctypes
import json
import sys
import time

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib as S  # noqa: E402

W, H, STAMP = 1920, 1080, 16
ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--frames", type=int, required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--dump", required=True)
ap.add_argument("--idle", type=float, default=6.0)
ap.add_argument("--timeout", type=float, default=120.0)
ap.add_argument("--cache-size", type=int, default=0,
                help="the session's cache-size in bytes (spice-gtk "
                "announces a quarter of it in pixels, DISPLAY_INIT's "
                "pixmap_cache_size); 0: spice-gtk's default")
a = ap.parse_args()

st = {"primary": None, "display": None, "seen": {}, "bytes0": None,
      "last_new": time.monotonic(), "start": time.monotonic()}
loop = GLib.MainLoop()


def stamp():
    p = st["primary"]
    if not p:
        return None
    data, stride = p
    off = (H - STAMP // 2) * stride + (W - STAMP // 2) * 4
    v = ctypes.c_uint32.from_address(data + off).value & 0xffffff
    return v & 0x7fffff if v & 0x800000 else None


def on_primary(ch, fmt, w, h, stride, shmid, data):
    st["primary"] = (data, stride)


def on_invalidate(ch, x, y, w, h):
    sx, sy = W - STAMP // 2, H - STAMP // 2
    if not (x <= sx < x + w and y <= sy < y + h):
        return
    i = stamp()
    # Not a stamp: the picture of a frame drawn before its stamp (a torn
    # update) shows there what the frame drew.
    if i is None or i > a.frames or i in st["seen"]:
        return
    st["seen"][i] = time.monotonic()
    st["last_new"] = time.monotonic()
    if i == 0 and st["bytes0"] is None:
        st["bytes0"] = ch.props.total_read_bytes
        print("ready", flush=True)


def on_channel(s, ch):
    if isinstance(ch, S.DisplayChannel):
        st["display"] = ch
        GObject.Object.connect(ch, "display-primary-create", on_primary)
        GObject.Object.connect(ch, "display-invalidate", on_invalidate)
        ch.connect()


def check():
    now = time.monotonic()
    done = a.frames in st["seen"]
    idle = st["bytes0"] is not None and now - st["last_new"] > a.idle
    if done or idle or now - st["start"] > a.timeout:
        loop.quit()
        return False
    return True


s = S.Session()
s.props.host = "127.0.0.1"
s.props.port = str(a.port)
if a.cache_size:
    s.set_property("cache-size", a.cache_size)
GObject.Object.connect(s, "channel-new", on_channel)
s.connect()
GLib.timeout_add(50, check)
loop.run()
# Let the last messages land (a server still sending them is counted).
end = time.monotonic() + 0.5
ctx = GLib.MainContext.default()
while time.monotonic() < end:
    ctx.iteration(False)
    time.sleep(0.005)

ch = st["display"]
res = {"seen": {str(k): v for k, v in st["seen"].items()},
       "bytes": (ch.props.total_read_bytes - st["bytes0"])
       if ch is not None and st["bytes0"] is not None else None}
if st["primary"]:
    data, stride = st["primary"]
    raw = ctypes.string_at(data, stride * H)
    rows = b"".join(raw[y * stride:y * stride + W * 4] for y in range(H))
    rgb = bytearray(W * H * 3)
    rgb[0::3] = rows[2::4]
    rgb[1::3] = rows[1::4]
    rgb[2::3] = rows[0::4]
    with open(a.dump, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (W, H))
        f.write(rgb)
with open(a.out, "w") as f:
    json.dump(res, f)
s.disconnect()
sys.exit(0)
