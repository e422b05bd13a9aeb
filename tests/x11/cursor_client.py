#!/usr/bin/python3
"""cursor_client.py: a SpiceClientGLib client that prints the cursor
shapes it is sent, one line each, until --count shapes or the timeout;
or, with --locks, sets the keyboard locks and prints the server's answer.

    cursor_client.py --port P [--password PW] [--count N] [--timeout S]
        [--move X,Y]
    cursor_client.py --port P [--password PW] --locks L

Each line: 'cursor W H HOTX HOTY ALPHA' where ALPHA is the shape's alpha
mask as hex, one bit a pixel, rows top first (what a test compares with
XFixes' image; colours depend on premultiplication, the mask does not).
--move: once the inputs channel is open, put the pointer at X,Y (client
mouse mode) so that the X server shows the cursor of what is there.
--locks: once the inputs channel is open, send lock state L (spice-gtk's
set_key_locks: 1 scroll, 2 num, 4 caps) and wait until the server's
KEY_MODIFIERS (the LEDs it shows) say L; prints 'modifiers M'.
Exits 0 after --count shapes (or the locks echoed), 1 on a connection
error or timeout.
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
    ap.add_argument("--locks", type=int)
    args = ap.parse_args()

    loop = GLib.MainLoop()
    state = {"n": 0, "rc": 1}
    s = SpiceClientGLib.Session()
    s.set_property("host", "127.0.0.1")
    s.set_property("port", str(args.port))
    if args.password:
        s.set_property("password", args.password)

    def on_cursor(channel, w, h, hx, hy, rgba):
        if args.locks is not None or not rgba or w <= 0 or h <= 0:
            return
        data = ctypes.string_at(rgba, w * h * 4)
        print("cursor %d %d %d %d %s" % (w, h, hx, hy,
                                         alpha_mask(w, h, data)), flush=True)
        state["n"] += 1
        if state["n"] >= args.count:
            state["rc"] = 0
            loop.quit()

    def on_modifiers(channel, _pspec):
        m = channel.get_property("key-modifiers")
        if args.locks is not None and m == args.locks:
            print("modifiers %d" % m, flush=True)
            state["rc"] = 0
            loop.quit()

    def on_event(channel, event):
        if event == SpiceClientGLib.ChannelEvent.OPENED and \
                args.locks is not None and \
                isinstance(channel, SpiceClientGLib.InputsChannel):
            # spice-gtk tells a server's KEY_MODIFIERS by this signal,
            # not by notify:: on the property.
            GObject.Object.connect(channel, "inputs-modifiers",
                                   lambda c: on_modifiers(c, None))
            channel.set_key_locks(args.locks)
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
