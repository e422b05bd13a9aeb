#!/usr/bin/python3
"""spice_client.py: a scripted SpiceClientGLib client for the interop tests.

    spice_client.py --port P [--host H] [--password PW] key SCANCODE[,...]
    spice_client.py --port P [--host H] [--password PW] resize WxH
    spice_client.py --port P [--host H] [--password PW] motion DX,DY
    spice_client.py --port P [--host H] [--password PW] position X,Y[,D]
    spice_client.py --port P [--host H] [--password PW] shot D:FILE.ppm
    spice_client.py --port P [--host H] [--password PW] channels -
    spice_client.py --unix-path PATH ...   (a unix socket instead of a port)
    spice_client.py --fd N [--password PW] link -

key     press and release keys (PC/XT set-1 scancodes, e.g. 0x1e = 'a',
        0x1c = Enter; 0x2a+0x04 holds shift for '#') once the inputs
        channel is open, --key-gap MS apart
motion  move the mouse by DX,DY (server mouse mode), no buttons
position  once the main channel's mouse mode is CLIENT (the server offers
        it when the guest has an absolute pointing device), put the
        pointer at X,Y of display D (default 0), then press and release
        the left button there; fails if client mode never comes
resize  ask for display 0 to be WxH (a monitors config, as when the client
        window is resized) once the main channel says the agent is there;
        WxH+X+Y,WxH+X+Y,... asks for displays 0, 1, ... at those places
shot    save display channel D's primary surface as a PPM once its first
        update is complete (spicy-screenshot does display 0 only)
channels  print the types of the channels the server offers (main's
        channel list: "channels main,display,...") once display 0 is open
link    succeed once the main channel is linked (with --fd N: the main
        channel on the connected socket N, e.g. one handed to QEMU's QMP
        add_client; the other channels would need sockets of their own)
Exits 0 when the message was sent, 1 on a connection error or timeout.
Run with Debian's /usr/bin/python3 (gi).
"""

import argparse
import ctypes
import sys

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib  # noqa: E402

# spice-protocol's enums (not in the GObject introspection data)
SPICE_MOUSE_MODE_CLIENT = 2
SPICE_MOUSE_BUTTON_LEFT = 1
SPICE_MOUSE_BUTTON_MASK_LEFT = 1


def primary_ppm(data, w, h, stride):
    """A 32 bpp (BGRx) primary surface at address data as PPM bytes."""
    raw = ctypes.string_at(data, stride * h)
    rgb = bytearray(w * h * 3)
    for y in range(h):
        row = raw[y * stride:y * stride + w * 4]
        rgb[y * w * 3 + 0:(y + 1) * w * 3:3] = row[2::4]
        rgb[y * w * 3 + 1:(y + 1) * w * 3:3] = row[1::4]
        rgb[y * w * 3 + 2:(y + 1) * w * 3:3] = row[0::4]
    return b"P6\n%d %d\n255\n" % (w, h) + bytes(rgb)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port")
    ap.add_argument("--unix-path", metavar="PATH",
                    help="connect to this unix socket instead of a port")
    ap.add_argument("--fd", type=int, metavar="N",
                    help="the main channel on this connected socket")
    ap.add_argument("--password")
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("--key-gap", type=int, default=0, metavar="MS",
                    help="key: MS milliseconds between keys (default 0)")
    ap.add_argument("action",
                    choices=["key", "motion", "position", "resize", "shot",
                             "channels", "link"])
    ap.add_argument("arg")
    args = ap.parse_args()

    loop = GLib.MainLoop()
    result = {"rc": 1, "why": "timeout"}
    session = SpiceClientGLib.Session()
    if args.unix_path:
        session.set_property("unix-path", args.unix_path)
    elif args.fd is not None:
        pass                    # session.open_fd() below
    elif args.port:
        session.set_property("host", args.host)
        session.set_property("port", str(args.port))
    else:
        ap.error("give --port or --unix-path")
    if args.password:
        session.set_property("password", args.password)

    def finish(rc, why):
        result["rc"], result["why"] = rc, why
        GLib.timeout_add(500, loop.quit)    # let the message go out

    def send_key(channel):
        # "A+B" is a chord: A held while B goes down and up (0x2a+0x04:
        # shift-3, '#').  --key-gap spaces the keys out for a guest whose
        # keyboard buffer is small (PS/2 holds 16 bytes, about 5 keys).
        chords = [[int(c, 0) for c in k.split("+")]
                  for k in args.arg.split(",")]

        def press(chord):
            for code in chord:
                channel.key_press(code)
            for code in reversed(chord):
                channel.key_release(code)

        if args.key_gap <= 0:
            for chord in chords:
                press(chord)
            finish(0, "keys %s sent" % args.arg)
            return

        def next_key():
            press(chords.pop(0))
            if chords:
                return True
            finish(0, "keys %s sent" % args.arg)
            return False
        GLib.timeout_add(args.key_gap, next_key)

    def send_motion(channel):
        dx, dy = (int(v) for v in args.arg.split(","))
        channel.motion(dx, dy, 0)
        finish(0, "motion %d,%d sent" % (dx, dy))

    pos = {"inputs": None, "client": False}

    def try_position():
        if not pos["inputs"] or not pos["client"] or result["rc"] == 0:
            return
        v = [int(a) for a in args.arg.split(",")]
        x, y, d = v[0], v[1], (v[2] if len(v) > 2 else 0)
        left = SPICE_MOUSE_BUTTON_LEFT
        inputs = pos["inputs"]
        inputs.position(x, y, d, 0)
        inputs.button_press(left, 0)
        inputs.button_release(left, SPICE_MOUSE_BUTTON_MASK_LEFT)
        finish(0, "mouse mode client; position %d,%d on display %d and a "
               "left click sent" % (x, y, d))

    def on_mouse_mode(channel, _pspec):
        mode = channel.get_property("mouse-mode")
        if mode == SPICE_MOUSE_MODE_CLIENT:
            pos["client"] = True
            try_position()
        else:
            result["why"] = "mouse mode %d (not CLIENT)" % mode

    def try_resize(channel):
        if not channel.get_property("agent-connected"):
            return
        # WxH, or WxH+X+Y,WxH+X+Y,... for displays 0, 1, ...
        for i, d in enumerate(args.arg.split(",")):
            v = [int(n) for n in d.replace("+", "x").split("x")] + [0, 0]
            channel.update_display_enabled(i, True, False)
            channel.update_display(i, v[2], v[3], v[0], v[1], False)
        if channel.send_monitor_config():
            finish(0, "monitors config %s sent" % args.arg)
        else:
            finish(1, "send_monitor_config refused")

    shot = {}

    def on_primary(channel, fmt, w, h, stride, shmid, data):
        shot.update(fmt=fmt, w=w, h=h, stride=stride, data=data)

    def on_mark(channel, mark):
        if not mark or "data" not in shot or result["rc"] == 0:
            return
        w, h, stride = shot["w"], shot["h"], shot["stride"]
        if shot["fmt"] != 32 or not shot["data"]:
            finish(1, "primary format %d" % shot["fmt"])
            return
        with open(args.arg.split(":", 1)[1], "wb") as f:
            f.write(primary_ppm(shot["data"], w, h, stride))
        finish(0, "display %d: %dx%d saved" % (channel.props.channel_id, w,
                                                h))

    offered = []

    def on_event(channel, event):
        if event == SpiceClientGLib.ChannelEvent.OPENED:
            # main's channel list made every channel before display opened
            if args.action == "channels" and \
                    isinstance(channel, SpiceClientGLib.DisplayChannel):
                finish(0, "channels " + ",".join(offered))
            if args.action == "link" and \
                    isinstance(channel, SpiceClientGLib.MainChannel):
                finish(0, "main channel linked")
            if args.action == "key" and \
                    isinstance(channel, SpiceClientGLib.InputsChannel):
                send_key(channel)
            if args.action == "motion" and \
                    isinstance(channel, SpiceClientGLib.InputsChannel):
                send_motion(channel)
            if args.action == "position" and \
                    isinstance(channel, SpiceClientGLib.InputsChannel):
                pos["inputs"] = channel
                try_position()
            if args.action == "resize" and \
                    isinstance(channel, SpiceClientGLib.MainChannel):
                try_resize(channel)
        elif event != SpiceClientGLib.ChannelEvent.CLOSED:
            finish(1, "channel event %s" % event.value_nick)

    def on_channel(session, channel):
        # PlaybackChannel -> playback (the type's name in spice-gtk)
        offered.append(type(channel).__name__[:-len("Channel")].lower())
        if args.action == "link" and \
                not isinstance(channel, SpiceClientGLib.MainChannel):
            return              # main only (--fd has one socket)
        GObject.Object.connect(channel, "channel-event", on_event)
        if isinstance(channel, SpiceClientGLib.MainChannel) and \
                args.action == "resize":
            GObject.Object.connect(channel, "notify::agent-connected",
                                   lambda c, p: try_resize(c))
        if isinstance(channel, SpiceClientGLib.MainChannel) and \
                args.action == "position":
            GObject.Object.connect(channel, "notify::mouse-mode",
                                   on_mouse_mode)
        if isinstance(channel, SpiceClientGLib.DisplayChannel) and \
                args.action == "shot":
            if channel.props.channel_id != int(args.arg.split(":")[0]):
                return
            GObject.Object.connect(channel, "display-primary-create",
                                   on_primary)
            GObject.Object.connect(channel, "display-mark", on_mark)
        channel.connect()

    GObject.Object.connect(session, "channel-new", on_channel)
    if args.fd is not None:
        ok = session.open_fd(args.fd)
    else:
        ok = session.connect()
    if not ok:
        print("spice_client: cannot connect", file=sys.stderr)
        return 1
    GLib.timeout_add_seconds(args.timeout, loop.quit)
    loop.run()
    session.disconnect()
    print("spice_client: %s" % result["why"])
    return result["rc"]


if __name__ == "__main__":
    sys.exit(main())
