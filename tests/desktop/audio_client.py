#!/usr/bin/python3
"""audio_client.py: the client side of desktop-audio, a SpiceClientGLib
session that listens to the playback channel and talks into the record
channel.

    audio_client.py --port P [--seconds S] [--tone HZ] OUT.json

Collects every playback-data buffer for S seconds (default 30) after the
first one, and answers record-start with a sine of HZ (default 660) at the
asked rate, as much as real time says is due every 20 ms, until
record-stop or the end.  Writes OUT.json: the playback format, rate,
channels, the number of frames received, the frequency found in them (as
tone.c measures it in the guest: sign changes over the stretches of
sound), how many record frames were sent, and "volumes": each state the
playback and record channels' "volume" (u16 per channel) and "mute"
properties went through, in order, each as [channel, volume, mute,
seconds since the start].  Exits 1 if the session could not connect.
Run with Debian's /usr/bin/python3 (gi).
"""

import argparse
import ctypes
import json
import math
import struct
import sys

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib  # noqa: E402


def frequency(pcm, rate):
    """The left channel's pitch as tone.c measures it (pitch()): sign
    changes over the time between the first and last of each stretch of
    sound, gaps (2 ms under 200) cut out; (Hz, peak, frames measured)."""
    n = len(pcm) // 4
    left = struct.unpack("<%dh" % (2 * n), pcm[:4 * n])[0::2]
    peak = max((abs(v) for v in left), default=0)
    halves = span = measured = 0
    i = 0
    while i < n:
        while i < n and abs(left[i]) < 200:
            i += 1
        start = end = i
        quiet = 0
        while end < n:
            quiet = quiet + 1 if abs(left[end]) < 200 else 0
            if quiet >= rate // 500:
                break
            end += 1
        i = end
        if end - start < rate // 50:
            continue
        cross = [j for j in range(start + 1, end)
                 if (left[j] >= 0) != (left[j - 1] >= 0)]
        if len(cross) >= 3:
            halves += len(cross) - 1
            span += cross[-1] - cross[0]
            measured += end - start
    return (halves / 2.0 * rate / span if span else 0.0), peak, measured


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", required=True)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--tone", type=float, default=660)
    ap.add_argument("out")
    args = ap.parse_args()

    loop = GLib.MainLoop()
    t_start = GLib.get_monotonic_time()
    st = {"connected": False, "playback_start": None, "playback_bytes": 0,
          "record_start": None, "record_frames_sent": 0, "events": [],
          "volumes": []}
    pcm = bytearray()
    rec = {"timer": 0, "t": 0, "t0": 0, "chan": None}
    session = SpiceClientGLib.Session()
    session.set_property("host", args.host)
    session.set_property("port", str(args.port))

    def on_event(channel, event):
        st["events"].append("%s:%s" % (type(channel).__name__,
                                       event.value_nick))
        if event == SpiceClientGLib.ChannelEvent.OPENED:
            st["connected"] = True

    def on_play_start(channel, fmt, channels, rate):
        st["playback_start"] = [fmt, channels, rate]

    def on_play_data(channel, data, size):
        if not pcm:
            GLib.timeout_add(int(args.seconds * 1000), loop.quit)
        pcm.extend(ctypes.string_at(data, size))
        st["playback_bytes"] += size

    def send_record():
        chan = rec["chan"]
        rate = st["record_start"][2]
        # As many frames as real time says are due (timers run late
        # under load; the guest would hear gaps).
        due = (GLib.get_monotonic_time() - rec["t0"]) * rate // 1000000
        n = min(max(due - rec["t"], 0), rate // 5)
        if n == 0:
            return True
        buf = bytearray()
        for i in range(n):
            v = int(12000 * math.sin(2 * math.pi * args.tone *
                                     (rec["t"] + i) / rate))
            buf += struct.pack("<hh", v, v)
        rec["t"] += n
        cbuf = (ctypes.c_char * len(buf)).from_buffer(buf)
        chan.send_data(ctypes.addressof(cbuf), len(buf), 0)
        st["record_frames_sent"] += n
        return True

    def on_record_start(channel, fmt, channels, rate):
        st["record_start"] = [fmt, channels, rate]
        rec["chan"] = channel
        rec["t0"] = GLib.get_monotonic_time()
        rec["t"] = 0
        if not rec["timer"]:
            rec["timer"] = GLib.timeout_add(20, send_record)

    def on_record_stop(channel):
        if rec["timer"]:
            GLib.source_remove(rec["timer"])
            rec["timer"] = 0

    def on_volume(channel, pspec, name):
        # "volume" is a gpointer property: the address of nchannels u16.
        n = channel.get_property("nchannels")
        addr = channel.get_property("volume")
        vol = list((ctypes.c_uint16 * n).from_address(addr)) \
            if n and addr else []
        state = [name, vol, bool(channel.get_property("mute"))]
        seen = [v[:3] for v in st["volumes"] if v[0] == name]
        if not seen or seen[-1] != state:
            st["volumes"].append(state + [round(
                (GLib.get_monotonic_time() - t_start) / 1e6, 2)])

    def on_channel(session, channel):
        GObject.Object.connect(channel, "channel-event", on_event)
        for cls, name in ((SpiceClientGLib.PlaybackChannel, "playback"),
                          (SpiceClientGLib.RecordChannel, "record")):
            if isinstance(channel, cls):
                for prop in ("volume", "mute"):
                    GObject.Object.connect(channel, "notify::" + prop,
                                           on_volume, name)
        if isinstance(channel, SpiceClientGLib.PlaybackChannel):
            GObject.Object.connect(channel, "playback-start", on_play_start)
            GObject.Object.connect(channel, "playback-data", on_play_data)
        if isinstance(channel, SpiceClientGLib.RecordChannel):
            GObject.Object.connect(channel, "record-start", on_record_start)
            GObject.Object.connect(channel, "record-stop", on_record_stop)
        channel.connect()

    GObject.Object.connect(session, "channel-new", on_channel)
    if not session.connect():
        print("audio_client: cannot connect", file=sys.stderr)
        return 1
    # No playback at all: give up after a while (the host side decides).
    GLib.timeout_add(int((args.seconds + 240) * 1000), loop.quit)
    loop.run()
    session.disconnect()
    rate = st["playback_start"][2] if st["playback_start"] else 48000
    f, peak, loud = frequency(bytes(pcm), rate)
    st.update(playback_frames=len(pcm) // 4, playback_freq=round(f, 1),
              playback_peak=peak, playback_loud_frames=loud)
    with open(args.out, "w") as fh:
        json.dump(st, fh)
    return 0 if st["connected"] else 1


if __name__ == "__main__":
    sys.exit(main())
