#!/usr/bin/python3
"""agent_client.py: the client side of desktop-agent, a SpiceClientGLib
session driven by commands on stdin, one a line:

    grab TEXT      own the client's CLIPBOARD with TEXT (UTF-8); answers
                   the agent's requests for it
    request        ask the guest's CLIPBOARD as UTF-8; prints
                   "clip: TEXT" (or "clip-error: WHY")
    grab-png PATH  own the client's CLIPBOARD with the PNG file PATH
                   (VD_AGENT_CLIPBOARD_IMAGE_PNG)
    request-png PATH
                   ask the guest's CLIPBOARD as image/png; writes it to
                   PATH and prints "clip-png: SIZE"
    monitor W H    ask the guest (through the agent's monitors config)
                   for one W x H monitor; prints "monitor: sent" or
                   "monitor-error: WHY"
    mouse X Y      ask for client mouse mode (the agent makes it possible)
                   and send the pointer position X, Y on display 0 on the
                   inputs channel; prints "mouse: MODE" (the mouse mode
                   then, 2 is client) or "mouse-error: WHY"
    file PATH      send the file to the guest (file_copy_async); prints
                   "file: ok" or "file-error: WHY"
    quit

It prints "agent: guest" once the main channel's agent is the guest's
spice-vdagent (it announced VD_AGENT_CAP_GUEST_LINEEND_LF, which spice-core's
emulation does not) and "agent: gone" if the agent disconnects.  Output
lines are flushed at once.  Run with Debian's /usr/bin/python3 (gi).

    agent_client.py --port P
"""

import argparse
import ctypes
import sys

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import Gio, GLib, GObject, SpiceClientGLib  # noqa: E402

UTF8 = 1                        # VD_AGENT_CLIPBOARD_UTF8_TEXT
PNG = 2                         # VD_AGENT_CLIPBOARD_IMAGE_PNG
CAP_GUEST_LINEEND_LF = 8        # VD_AGENT_CAP_GUEST_LINEEND_LF
SELECTION = 0                   # VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD
MOUSE_CLIENT = 2                # SPICE_MOUSE_MODE_CLIENT


def say(text):
    print(text, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", required=True)
    args = ap.parse_args()

    loop = GLib.MainLoop()
    st = {"main": None, "data": {}, "guest": False, "png_path": None,
          "inputs": None}
    session = SpiceClientGLib.Session()
    session.set_property("host", args.host)
    session.set_property("port", str(args.port))

    def check_agent(main, _pspec=None):
        guest = bool(main.props.agent_connected) and \
            main.agent_test_capability(CAP_GUEST_LINEEND_LF)
        say("debug: agent-connected %s caps-0 %#x" %
            (main.props.agent_connected, main.props.agent_caps_0))
        if guest != st["guest"]:
            st["guest"] = guest
            say("agent: guest" if guest else "agent: gone")

    def on_sel_request(main, selection, type_):
        main.clipboard_selection_notify(selection, type_,
                                        st["data"].get(type_, b""))
        return True

    def on_sel(main, selection, type_, data, size):
        raw = ctypes.string_at(data, size)
        if type_ == PNG and st["png_path"]:
            with open(st["png_path"], "wb") as f:
                f.write(raw)
            say("clip-png: %d" % size)
        else:
            say("clip: " + raw.decode("utf-8", "replace"))

    def on_event(channel, event):
        if event != SpiceClientGLib.ChannelEvent.OPENED:
            say("event: %s %s" % (type(channel).__name__, event.value_nick))

    def on_channel(session, channel):
        GObject.Object.connect(channel, "channel-event", on_event)
        if isinstance(channel, SpiceClientGLib.MainChannel):
            say("debug: main channel")
            st["main"] = channel
            GObject.Object.connect(channel, "notify::agent-connected",
                                   check_agent)
            # (the capabilities change without a notify)
            GObject.Object.connect(channel, "main-agent-update",
                                   check_agent)
            GObject.Object.connect(channel,
                                   "main-clipboard-selection-request",
                                   on_sel_request)
            GObject.Object.connect(channel, "main-clipboard-selection",
                                   on_sel)
        if isinstance(channel, SpiceClientGLib.InputsChannel):
            st["inputs"] = channel
        channel.connect()

    def file_done(main, res, _data=None):
        try:
            main.file_copy_finish(res)
            say("file: ok")
        except GLib.Error as e:
            say("file-error: %s" % e.message)

    def on_line(source, cond):
        line = source.readline()
        if not line:
            loop.quit()
            return False
        cmd, _, arg = line.rstrip("\n").partition(" ")
        main = st["main"]
        if cmd == "quit":
            loop.quit()
            return False
        if main is None:
            say("error: no main channel")
        elif cmd == "grab":
            st["data"] = {UTF8: arg.encode("utf-8")}
            main.clipboard_selection_grab(SELECTION, [UTF8])
            say("grabbed")
        elif cmd == "grab-png":
            with open(arg, "rb") as f:
                st["data"] = {PNG: f.read()}
            main.clipboard_selection_grab(SELECTION, [PNG])
            say("grabbed")
        elif cmd == "request":
            main.clipboard_selection_request(SELECTION, UTF8)
        elif cmd == "request-png":
            st["png_path"] = arg
            main.clipboard_selection_request(SELECTION, PNG)
        elif cmd == "monitor":
            w, h = (int(v) for v in arg.split())
            main.update_display_enabled(0, True, False)
            main.update_display(0, 0, 0, w, h, False)
            if main.send_monitor_config():
                say("monitor: sent")
            else:
                say("monitor-error: spice-gtk did not send it")
        elif cmd == "mouse":
            x, y = (int(v) for v in arg.split())
            if main.props.mouse_mode != MOUSE_CLIENT:
                main.request_mouse_mode(MOUSE_CLIENT)
            if st["inputs"] is None:
                say("mouse-error: no inputs channel")
            else:
                if main.props.mouse_mode == MOUSE_CLIENT:
                    st["inputs"].position(x, y, 0, 0)
                say("mouse: %d" % main.props.mouse_mode)
        elif cmd == "file":
            main.file_copy_async([Gio.File.new_for_path(arg)],
                                 Gio.FileCopyFlags.NONE, None, None, None,
                                 file_done, None)
        return True

    GObject.Object.connect(session, "channel-new", on_channel)
    if not session.connect():
        say("error: cannot connect")
        return 1
    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, on_line)
    loop.run()
    session.disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
