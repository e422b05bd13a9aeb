#!/usr/bin/python3
"""damage_client.py: what a real SPICE client (SpiceClientGLib) is sent
for display 0, rectangle by rectangle, for the desktop damage step
(tests/desktop/damage_step.py).

    damage_client.py --port P [--host H] [--timeout S]

Connects and prints, one a line (flushed):
  primary W H          display 0's primary surface was (re)created
  inv X Y W H          the display channel's display-invalidate signal:
                       an area of the primary the server drew into
  snap W H FILE        answer to the stdin command "snap FILE": the
                       primary as it is now, saved as a PPM
  monitors N [X,Y,WxH ...]
                       answer to the stdin command "monitors": display
                       0's monitors config as the server sent it (the
                       guest's head layout on the primary surface)
  error TEXT           a channel error (then exits 1)
Reads commands on stdin: "snap FILE", "monitors", "quit".  Exits 0 on
quit or end of stdin, 1 at the timeout (default 600 s).  Run with Debian's
/usr/bin/python3 (gi).
"""

import argparse
import ctypes
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))

import gi  # noqa: E402
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib  # noqa: E402
from spice_client import primary_ppm  # noqa: E402


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class _GArray(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("len", ctypes.c_uint)]


class _MonitorConfig(ctypes.Structure):
    """SpiceDisplayMonitorConfig (spice-gtk's channel-display.h)."""
    _fields_ = [(n, ctypes.c_uint) for n in
                ("id", "surface_id", "x", "y", "width", "height")]


def channel_monitors(channel):
    """The display channel's "monitors" property as [(x, y, w, h)]: a
    GArray of SpiceDisplayMonitorConfig, which PyGObject cannot convert
    (it takes a GArray property for one of GValues), so it is read with
    g_object_get through ctypes."""
    capsule = ctypes.pythonapi.PyCapsule_GetPointer
    capsule.restype = ctypes.c_void_p
    capsule.argtypes = [ctypes.py_object, ctypes.c_char_p]
    gobject = ctypes.CDLL("libgobject-2.0.so.0")
    glib = ctypes.CDLL("libglib-2.0.so.0")
    arr = ctypes.POINTER(_GArray)()
    gobject.g_object_get(ctypes.c_void_p(capsule(channel.__gpointer__,
                                                 None)),
                         b"monitors", ctypes.byref(arr), None)
    if not arr:
        return []
    heads = ctypes.cast(arr.contents.data, ctypes.POINTER(_MonitorConfig))
    out = [(heads[i].x, heads[i].y, heads[i].width, heads[i].height)
           for i in range(arr.contents.len)]
    glib.g_array_unref(arr)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", required=True)
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()

    loop = GLib.MainLoop()
    rc = {"rc": 1}
    prim = {}
    display = {}
    session = SpiceClientGLib.Session()
    session.set_property("host", args.host)
    session.set_property("port", str(args.port))

    def on_primary(channel, fmt, w, h, stride, shmid, data):
        prim.update(fmt=fmt, w=w, h=h, stride=stride, data=data)
        say("primary %d %d" % (w, h))

    def on_invalidate(channel, x, y, w, h):
        say("inv %d %d %d %d" % (x, y, w, h))

    def on_event(channel, event):
        if event not in (SpiceClientGLib.ChannelEvent.OPENED,
                         SpiceClientGLib.ChannelEvent.CLOSED):
            say("error channel event %s" % event.value_nick)
            loop.quit()

    def on_channel(session, channel):
        GObject.Object.connect(channel, "channel-event", on_event)
        if isinstance(channel, SpiceClientGLib.DisplayChannel):
            if channel.props.channel_id != 0:
                return
            display["channel"] = channel
            GObject.Object.connect(channel, "display-primary-create",
                                   on_primary)
            GObject.Object.connect(channel, "display-invalidate",
                                   on_invalidate)
        channel.connect()

    def on_stdin(source, cond):
        line = sys.stdin.readline()
        words = line.split()
        if not words or words[0] == "quit":
            rc["rc"] = 0
            loop.quit()
            return False
        if words[0] == "snap" and len(words) == 2:
            if not prim.get("data") or prim.get("fmt") != 32:
                say("error no 32 bpp primary yet")
                return True
            with open(words[1], "wb") as f:
                f.write(primary_ppm(prim["data"], prim["w"], prim["h"],
                                    prim["stride"]))
            say("snap %d %d %s" % (prim["w"], prim["h"], words[1]))
        if words[0] == "monitors":
            heads = channel_monitors(display["channel"]) \
                if "channel" in display else []
            say(" ".join(["monitors %d" % len(heads)] +
                         ["%d,%d,%dx%d" % h for h in heads]))
        return True

    GObject.Object.connect(session, "channel-new", on_channel)
    if not session.connect():
        say("error cannot connect")
        return 1
    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, on_stdin)
    GLib.timeout_add_seconds(args.timeout, loop.quit)
    loop.run()
    session.disconnect()
    return rc["rc"]


if __name__ == "__main__":
    sys.exit(main())
