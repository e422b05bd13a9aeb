#!/usr/bin/python3
"""cursor_shot.py: the cursor shape a real SPICE client (SpiceClientGLib)
receives, saved as an RGBA PNG.

    cursor_shot.py --port P [--host H] [--timeout S] [--want R,G,B] OUT.png

Connects, opens the cursor channel and keeps the latest shape of its
cursor-set signal.  Exits 0 as soon as a shape holding an opaque pixel of
colour --want arrives (default 255,0,0: the test cursor's red quadrant),
else at the timeout with the last shape seen (exit 1, or 2 when none
came).  Prints "WxH hot X,Y" of the saved shape.  Run with Debian's
/usr/bin/python3 (gi, PIL).
"""

import argparse
import ctypes
import sys

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib  # noqa: E402
from PIL import Image  # noqa: E402


def to_image(w, h, data):
    """The shape of cursor-set: R, G, B, A bytes per pixel (spice-gtk turns
    the ARGB words of the wire into what GdkPixbuf takes)."""
    return Image.frombytes("RGBA", (w, h), bytes(data))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", required=True)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--want", default="255,0,0")
    ap.add_argument("out")
    args = ap.parse_args()
    want = tuple(int(v) for v in args.want.split(",")) + (255,)

    loop = GLib.MainLoop()
    state = {"img": None, "hot": None, "found": False}

    def on_cursor(channel, w, h, hot_x, hot_y, rgba):
        if not rgba or w <= 0 or h <= 0 or w > 512 or h > 512:
            return
        addr = rgba if isinstance(rgba, int) else ctypes.cast(
            rgba, ctypes.c_void_p).value
        img = to_image(w, h, ctypes.string_at(addr, w * h * 4))
        state["img"], state["hot"] = img, (hot_x, hot_y)
        if want in (c for _, c in (img.getcolors(w * h) or [])):
            state["found"] = True
            loop.quit()

    def on_channel(session, channel):
        if isinstance(channel, SpiceClientGLib.CursorChannel):
            GObject.Object.connect(channel, "cursor-set", on_cursor)
        channel.connect()

    session = SpiceClientGLib.Session()
    session.set_property("host", args.host)
    session.set_property("port", str(args.port))
    GObject.Object.connect(session, "channel-new", on_channel)
    if not session.connect():
        print("cursor_shot: cannot connect", file=sys.stderr)
        return 2
    GLib.timeout_add_seconds(args.timeout, loop.quit)
    loop.run()
    session.disconnect()
    if state["img"] is None:
        print("cursor_shot: no cursor shape received")
        return 2
    state["img"].save(args.out)
    print("%dx%d hot %d,%d" % (state["img"].size + state["hot"]))
    return 0 if state["found"] else 1


if __name__ == "__main__":
    sys.exit(main())
