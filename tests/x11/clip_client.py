#!/usr/bin/python3
"""clip_client.py: a SpiceClientGLib client that copies and pastes through
the server's clipboard, driven by lines on stdin.

    clip_client.py --port P [--password PW] [--timeout S]

Prints 'ready' once the server's agent capabilities say it has a
clipboard (VD_AGENT_CAP_CLIPBOARD_BY_DEMAND), then on stdin:

  set SEL HEX     the client owns selection SEL (0 CLIPBOARD, 1 PRIMARY)
                  with UTF-8 text HEX (bytes in hex); the server's
                  requests for it are answered with it ('served SEL N')
  release SEL     the client lets SEL go
  quit            disconnect and exit 0

and whenever the server grabs a selection it asks for the text and prints
'got SEL HEX' when it comes ('grab SEL' first, 'release SEL' when the
server lets go).  Exits 1 on a connection error or after the timeout.
"""

import argparse
import ctypes
import os
import sys

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib  # noqa: E402

UTF8_TEXT = 1                   # VD_AGENT_CLIPBOARD_UTF8_TEXT
CAP_CLIPBOARD_BY_DEMAND = 5     # VD_AGENT_CAP_CLIPBOARD_BY_DEMAND


def say(*words):
    print(*words, flush=True)


def as_bytes(data, size):
    """A signal's gpointer argument, as bytes."""
    if not size:
        return b""
    if isinstance(data, int):
        return ctypes.string_at(data, size)
    return bytes(data)[:size]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", required=True)
    ap.add_argument("--password")
    ap.add_argument("--timeout", type=int, default=60)
    args = ap.parse_args()

    loop = GLib.MainLoop()
    state = {"rc": 1, "main": None, "ready": False, "owned": {}}
    s = SpiceClientGLib.Session()
    s.set_property("host", "127.0.0.1")
    s.set_property("port", str(args.port))
    if args.password:
        s.set_property("password", args.password)

    def on_agent_update(main):
        if not state["ready"] and \
                main.agent_test_capability(CAP_CLIPBOARD_BY_DEMAND):
            state["ready"] = True
            say("ready")

    def on_grab(main, sel, types, ntypes):
        say("grab", sel)
        main.clipboard_selection_request(sel, UTF8_TEXT)
        return True

    def on_data(main, sel, typ, data, size):
        say("got", sel, as_bytes(data, size).hex())

    def on_request(main, sel, typ):
        text = state["owned"].get(sel)
        if text is None or typ != UTF8_TEXT:
            return False
        main.clipboard_selection_notify(sel, typ, text)
        say("served", sel, len(text))
        return True

    def on_release(main, sel):
        say("release", sel)

    def on_channel(session, channel):
        if isinstance(channel, SpiceClientGLib.MainChannel):
            state["main"] = channel
            for name, cb in (("main-agent-update", on_agent_update),
                             ("main-clipboard-selection-grab", on_grab),
                             ("main-clipboard-selection", on_data),
                             ("main-clipboard-selection-request", on_request),
                             ("main-clipboard-selection-release",
                              on_release)):
                GObject.Object.connect(channel, name, cb)
        channel.connect()

    def on_line(fd, cond):
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            loop.quit()
            return False
        state["in"] = state.get("in", b"") + chunk
        *lines, state["in"] = state["in"].split(b"\n")
        for cmd in lines:
            w = cmd.decode().split()
            main = state["main"]
            if not w:
                continue
            if w[0] == "quit":
                state["rc"] = 0
                loop.quit()
                return False
            if w[0] == "set" and main:
                sel = int(w[1])
                state["owned"][sel] = bytes.fromhex(w[2] if len(w) > 2
                                                    else "")
                main.clipboard_selection_grab(sel, [UTF8_TEXT])
            elif w[0] == "release" and main:
                sel = int(w[1])
                state["owned"].pop(sel, None)
                main.clipboard_selection_release(sel)
        return True

    GObject.Object.connect(s, "channel-new", on_channel)
    if not s.connect():
        return 1
    GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, on_line)
    GLib.timeout_add_seconds(args.timeout, loop.quit)
    loop.run()
    s.disconnect()
    return state["rc"]


if __name__ == "__main__":
    sys.exit(main())
