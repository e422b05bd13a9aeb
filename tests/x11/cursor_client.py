#!/usr/bin/python3
"""cursor_client.py: a SpiceClientGLib client that prints the cursor
shapes it is sent, one line each, until --count shapes or the timeout.

    cursor_client.py --port P [--password PW] [--count N] [--timeout S]
        [--move X,Y]

Each line: 'cursor W H HOTX HOTY ALPHA' where ALPHA is the shape's alpha
mask as hex, one bit a pixel, rows top first (what a test compares with
XFixes' image; colours depend on premultiplication, the mask does not).
--move: once the inputs channel is open, put the pointer at X,Y (client
mouse mode) so that the X server shows the cursor of what is there.
Exits 0 after --count shapes, 1 on a connection error or timeout.
"""

import argparse
import ctypes
import sys

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib  # noqa: E402


def alpha_mask(w, h, data):
    """One bit per pixel: alpha != 0.  spice-gtk hands the shape over as
    32-bit pixels with alpha in the top byte of the native-endian u32."""
    bits = 0
    for i in range(w * h):
        bits = bits << 1 | (data[i * 4 + 3] != 0)
    return "%x" % bits


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", required=True)
    ap.add_argument("--password")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=20)
    ap.add_argument("--move")
    args = ap.parse_args()

    loop = GLib.MainLoop()
    state = {"n": 0, "rc": 1}
    s = SpiceClientGLib.Session()
    s.set_property("host", "127.0.0.1")
    s.set_property("port", str(args.port))
    if args.password:
        s.set_property("password", args.password)

    def on_cursor(channel, w, h, hx, hy, rgba):
        if not rgba or w <= 0 or h <= 0:
            return
        data = ctypes.string_at(rgba, w * h * 4)
        print("cursor %d %d %d %d %s" % (w, h, hx, hy,
                                         alpha_mask(w, h, data)), flush=True)
        state["n"] += 1
        if state["n"] >= args.count:
            state["rc"] = 0
            loop.quit()

    def on_event(channel, event):
        if event == SpiceClientGLib.ChannelEvent.OPENED and args.move and \
                isinstance(channel, SpiceClientGLib.InputsChannel):
            x, y = (int(v) for v in args.move.split(","))
            # Client mouse mode may come a moment after the channel opens.
            GLib.timeout_add(300, lambda: channel.position(x, y, 0, 0))

    def on_channel(session, channel):
        if isinstance(channel, SpiceClientGLib.CursorChannel):
            GObject.Object.connect(channel, "cursor-set", on_cursor)
        GObject.Object.connect(channel, "channel-event", on_event)
        channel.connect()

    GObject.Object.connect(s, "channel-new", on_channel)
    if not s.connect():
        return 1
    GLib.timeout_add_seconds(args.timeout, loop.quit)
    loop.run()
    s.disconnect()
    return state["rc"]


if __name__ == "__main__":
    sys.exit(main())
