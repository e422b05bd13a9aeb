#!/usr/bin/python3
"""resize_client.py: a SPICE client whose window is WxH and that stays,
as remote-viewer does after its window was resized.

    resize_client.py --port P WxH

Connects, sends display 0's monitors config once the main channel says
the agent is there, prints "sent WxH" and stays connected until killed.
Each primary surface display 0 gets is printed as "primary WxH": what
the client would scale into its window.
Run with Debian's /usr/bin/python3 (gi).
"""

import argparse
import sys

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", required=True)
    ap.add_argument("size")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    session = SpiceClientGLib.Session()
    session.set_property("host", "127.0.0.1")
    session.set_property("port", str(args.port))
    sent = []

    def try_resize(channel, _pspec=None):
        if sent or not channel.get_property("agent-connected"):
            return
        channel.update_display_enabled(0, True, False)
        channel.update_display(0, 0, 0, w, h, False)
        if channel.send_monitor_config():
            sent.append(1)
            print("sent %dx%d" % (w, h), flush=True)

    def on_event(channel, event):
        if event == SpiceClientGLib.ChannelEvent.OPENED and \
                isinstance(channel, SpiceClientGLib.MainChannel):
            try_resize(channel)

    def on_primary(_channel, _fmt, pw, ph, *_rest):
        print("primary %dx%d" % (pw, ph), flush=True)

    def on_channel(_session, channel):
        GObject.Object.connect(channel, "channel-event", on_event)
        if isinstance(channel, SpiceClientGLib.DisplayChannel) and \
                channel.props.channel_id == 0:
            GObject.Object.connect(channel, "display-primary-create",
                                   on_primary)
        if isinstance(channel, SpiceClientGLib.MainChannel):
            GObject.Object.connect(channel, "notify::agent-connected",
                                   try_resize)
        channel.connect()

    GObject.Object.connect(session, "channel-new", on_channel)
    if not session.connect():
        print("resize_client: cannot connect", file=sys.stderr)
        return 1
    GLib.MainLoop().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
