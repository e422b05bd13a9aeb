#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""spicy-screenshot of a picture served by spice-serve is pixel-exact, for
odd sizes, 1x1, large and random-noise pictures, on the raw path
(--compression off) and the LZ4 path (spice-gtk advertises LZ4); and for
16-bit (565, 555) primaries, which clients get as 32-bit xRGB.  Each case
runs twice: the picture straight to spice-core, and (--qxl, tests named
..._qxl) drawn by an in-process QXL device whose display reaches
spice-core through the display-sink adapter, as a QEMU guest's does.
Patterns and animations stopped after a frame give their computed
pixels both ways ('bars' and 'solid' are fills with --qxl, 'anim'
scrolls with COPY_BITS, 'typing' draws small bitmaps)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sclib import (Server, done, noise, ok, read_ppm, screenshot,
                   typing_frame, workdir, write_ppm)

d = workdir("screenshot")

cases = [
    ("1x1", 1, 1, bytes([12, 34, 56])),
    ("odd_3x5_noise", 3, 5, noise(3, 5, 1)),
    ("odd_641x479_noise", 641, 479, noise(641, 479, 2)),
    ("solid_100x50", 100, 50, bytes([200, 100, 50]) * 5000),
    ("gradient_257x131", 257, 131,
     bytes(v for y in range(131) for x in range(257)
           for v in (x & 255, y * 255 // 130, (x ^ y) & 255))),
    ("large_1920x1080_noise", 1920, 1080, noise(1920, 1080, 3)),
]



def through_16bit(rgb, fmt):
    """What a client shows of rgb served as --format 565 or 555: each
    channel cut to its top 5 (green of 565: 6) bits, then widened back to
    8 by repeating its top bits below them."""
    def widen(c, bits):
        c >>= 8 - bits
        return c << (8 - bits) | c >> (2 * bits - 8)
    table = [bytes(widen(c, bits) for c in range(256)) for bits in (5, 6)]
    g = table[fmt == "565"]
    out = bytearray(rgb)
    out[0::3] = rgb[0::3].translate(table[0])
    out[1::3] = rgb[1::3].translate(g)
    out[2::3] = rgb[2::3].translate(table[0])
    return bytes(out)


gradient = cases[4][3]
cases += [
    ("gradient_257x131_565", 257, 131, gradient, "565"),
    ("odd_641x479_noise_555", 641, 479, cases[2][3], "555"),
]

for via, mode in ((v, m) for v in ("", "_qxl") for m in ("raw", "lz4")):
    for name, w, h, rgb, *fmt in cases:
        src = os.path.join(d, name + ".ppm")
        out = os.path.join(d, "%s-%s%s-out.ppm" % (name, mode, via))
        write_ppm(src, w, h, rgb)
        args = ["--port", "0", "--image", src, "--disable-ticketing"]
        if via:
            args += ["--qxl"]
        if fmt:
            args += ["--format", fmt[0]]
            rgb = through_16bit(rgb, fmt[0])
        # auto would send photo-like pictures as QUIC: lz4 forces LZ4
        args += ["--compression", "off" if mode == "raw" else "lz4"]
        srv = Server(*args)
        rc = screenshot(srv.port, out)
        stats = srv.stop()
        got = read_ppm(out)
        exact = got is not None and got == (w, h, rgb)
        detail = "rc=%s" % rc
        if got is not None and not exact:
            if got[:2] != (w, h):
                detail += " size %dx%d" % got[:2]
            else:
                bad = sum(1 for i in range(0, len(rgb), 3)
                          if got[2][i:i + 3] != rgb[i:i + 3])
                detail += " %d pixels differ" % bad
        ok(rc == 0 and exact,
           "screenshot_pixel_exact_%s_%s%s" % (mode, name, via), detail)
        if name.startswith("solid"):
            ok(stats.get("fills", 0) >= 1,
               "solid_picture_sent_as_draw_fill_%s%s" % (mode, via),
               str(stats))
        elif w * h >= 64:
            key = "images_raw" if mode == "raw" else "images_lz4"
            ok(stats.get(key, 0) >= 1 and
               stats.get("images_lz4" if mode == "raw" else "images_raw", 0) == 0,
               "%s_path_used_%s%s" % (mode, name, via), str(stats))


BARS = [0xc0c0c0, 0xc0c000, 0x00c0c0, 0x00c000, 0xc000c0, 0xc00000,
        0x0000c0, 0x000000]


def pattern_rgb(name, w, h, t=0):
    """RGB of spice-serve's pattern `name` at frame t (pattern_fill() in
    spice-core/tools/spice-serve.c)."""
    if name == "typing":
        return typing_frame(w, h, t)
    out = bytearray()
    for y in range(h):
        for x in range(w):
            if name == "bars":
                v = BARS[x * 8 // w]
            elif name == "solid":
                v = 0x336699
            elif name == "checker":
                v = 0xffffff if (x // 16 + y // 16) & 1 else 0
            elif y < h // 2:        # anim
                v = BARS[((x + t * 8) // 32) % 8]
            else:
                v = ((x + t * 4) & 255) << 16 | (y & 255) << 8 | (t & 255)
            out += bytes((v >> 16 & 255, v >> 8 & 255, v & 255))
    return bytes(out)


for via in ("", "_qxl"):
    for name, frames in (("bars", 0), ("solid", 0), ("checker", 0),
                         ("anim", 9), ("typing", 40)):
        w, h = 203, 97
        args = ["--port", "0", "--pattern", name, "--size", "%dx%d" % (w, h),
                "--disable-ticketing"]
        if frames:
            args += ["--fps", "100", "--frames", str(frames)]
        if via:
            args += ["--qxl"]
        srv = Server(*args)
        line = srv.read_lines_until(lambda l: l.startswith("anim-done"),
                                    30) if frames else "static"
        out = os.path.join(d, "pattern-%s%s-out.ppm" % (name, via))
        rc = screenshot(srv.port, out)
        srv.stop()
        got = read_ppm(out)
        ok(line and rc == 0 and
           got == (w, h, pattern_rgb(name, w, h, frames)),
           "pattern_%s%s_pixel_exact%s" %
           (name, "_after_%d_frames" % frames if frames else "", via),
           "done=%s rc=%s" % (line, rc))

# A client watching 'anim' played by the QXL device: the device's
# COPY_BITS (the bars scrolling) reach it as SPICE COPY_BITS through the
# display-sink adapter, and replayed they give the last frame exactly.
from scclient import Client  # noqa: E402
w, h, frames = 320, 200, 60
srv = Server("--port", "0", "--pattern", "anim", "--size", "%dx%d" % (w, h),
             "--fps", "30", "--frames", str(frames), "--disable-ticketing",
             "--compression", "off", "--qxl")
c = Client(port=srv.port, channels=("display",))
watching = c.run_until(lambda: c.invalidates >= 3, 20)
line = srv.read_lines_until(lambda l: l.startswith("anim-done"), 30)
want = (w, h, pattern_rgb("anim", w, h, frames))
same = watching and line and c.run_until(lambda: c.pixels() == want, 20)
c.close()
stats = srv.stop()
ok(same, "qxl_anim_watched_by_a_client_ends_pixel_exact",
   "done=%s invalidates=%d" % (line, c.invalidates))
# Moves spice-core finds in damage count too: these are the device's own.
ok(stats.get("copies", 0) > stats.get("moves", 0),
   "qxl_copy_bits_reach_the_client_as_copy_bits", str(stats))
done()
