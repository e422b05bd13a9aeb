#!/usr/bin/python3
"""follow_client.py: a SpiceClientGLib client that stays connected.

    follow_client.py --port P --out PREFIX [--timeout S]

Connects to 127.0.0.1:P and keeps the session until killed or S seconds
passed (default 600).  Whenever display 0 finished an update, its
primary surface is written to PREFIX-<port>.ppm, <port> being the port
the session is connected to now: after a SPICE client migration
spice-gtk goes on at the target (semi-seamless: it linked there after
MIGRATE_BEGIN and switches at MIGRATE_END; or it reconnects there after
SWITCH_HOST), and the pictures then land in the target port's file;
PREFIX-latest.ppm is the latest picture whatever the port.  Each line on
stdout says what happened (channel events, "migration started" when
spice-gtk links to a target after MIGRATE_BEGIN, "switching" events for
switch-host, "new channel" for each channel object of the session,
"primary destroyed" when display 0 loses its surface, "mark" for each
display-mark: a semi-seamless migration resets the channels and the
target marks the display again, a seamless one keeps them as they
were).  Run with
Debian's /usr/bin/python3 (gi).
"""

import argparse
import os
import sys

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "interop"))
from spice_client import primary_ppm  # noqa: E402


def say(msg):
    print("follow_client: %s" % msg, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 epilog=__doc__, formatter_class=argparse.
                                 RawDescriptionHelpFormatter)
    ap.add_argument("--port", required=True)
    ap.add_argument("--out", required=True, metavar="PREFIX")
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()

    loop = GLib.MainLoop()
    session = SpiceClientGLib.Session()
    session.set_property("host", "127.0.0.1")
    session.set_property("port", str(args.port))
    primary = {}
    pending = {"id": 0}

    def save():
        pending["id"] = 0
        if not primary.get("data") or primary.get("fmt") != 32:
            return False
        w, h, stride = primary["w"], primary["h"], primary["stride"]
        ppm = primary_ppm(primary["data"], w, h, stride)
        # (-latest too: after a cancelled migration spice-gtk keeps
        # the target's port as the session's, though it stays here)
        for tail in (session.get_property("port"), "latest"):
            out = "%s-%s.ppm" % (args.out, tail)
            with open(out + ".tmp", "wb") as f:
                f.write(ppm)
            os.replace(out + ".tmp", out)
        return False

    def soon(*_):
        # Coalesce a burst of updates into one picture.
        if not pending["id"]:
            pending["id"] = GLib.timeout_add(200, save)

    def on_primary(channel, fmt, w, h, stride, shmid, data):
        primary.update(fmt=fmt, w=w, h=h, stride=stride, data=data)
        say("display 0: primary %dx%d on port %s" %
            (w, h, session.get_property("port")))

    def on_destroy(channel):
        primary.clear()
        say("display 0: primary destroyed")

    def on_mark(channel, mark):
        say("display 0: mark %d" % mark)
        if mark:
            soon()

    def on_event(channel, event):
        say("%s channel: %s (port %s)" % (
            type(channel).__name__, event.value_nick,
            session.get_property("port")))

    def on_channel(sess, channel):
        say("new channel %s %d" % (type(channel).__name__,
                                   channel.props.channel_id))
        GObject.Object.connect(channel, "channel-event", on_event)
        if isinstance(channel, SpiceClientGLib.MainChannel):
            GObject.Object.connect(channel, "migration-started", lambda c, s:
                                   say("migration started: linking to "
                                       "port %s" % s.get_property("port")))
        if isinstance(channel, SpiceClientGLib.DisplayChannel) and \
                channel.props.channel_id == 0:
            GObject.Object.connect(channel, "display-primary-create",
                                   on_primary)
            GObject.Object.connect(channel, "display-primary-destroy",
                                   on_destroy)
            GObject.Object.connect(channel, "display-mark", on_mark)
            GObject.Object.connect(channel, "display-invalidate", soon)
        channel.connect()

    GObject.Object.connect(session, "channel-new", on_channel)
    GObject.Object.connect(session, "notify::port", lambda s, p: say(
        "session port now %s" % s.get_property("port")))
    if not session.connect():
        say("cannot connect")
        return 1
    GLib.timeout_add_seconds(args.timeout, loop.quit)
    loop.run()
    session.disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
