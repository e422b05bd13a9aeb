#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""SPICE audio against spice-serve: a real spice-gtk client's playback
channel receives the --audio-tone sine as raw PCM (its pitch measured by
counting zero crossings over the samples, not by timing), the PCM its
record channel sends lands byte for byte in --record-to's file, and a
hand-made record channel with malformed RECORD_DATA is dropped alone.
Without audio options no audio channel is announced."""
import ctypes
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from sclib import (Server, closed, done, linked, msg, ok, read_msg,  # noqa: E402
                   server_log, session_id, workdir)
from scclient import S, GLib, gconnect, pump  # noqa: E402

PLAYBACK, RECORD = 5, 6                 # SPICE_CHANNEL_*
MSG_RECORD_START = 101
MSGC_RECORD_DATA, MSGC_RECORD_MODE = 101, 102
RATE, TONE = 48000, 440
FRAME_BYTES = 480 * 4                   # spice-gtk's raw record packet

d = workdir("audio")
rec_path = os.path.join(d, "record.raw")


class AudioClient:
    def __init__(self, port):
        self.s = S.Session()
        self.s.props.host = "127.0.0.1"
        self.s.props.port = str(port)
        self.types = set()
        self.start = None
        self.pcm = bytearray()
        self.record = None
        self.record_start = None
        gconnect(self.s, "channel-new", self._new)
        self.s.connect()

    def _new(self, s, ch):
        self.types.add(type(ch).__name__)
        if isinstance(ch, S.PlaybackChannel):
            gconnect(ch, "playback-start", self._pstart)
            gconnect(ch, "playback-data", self._pdata)
            ch.connect()
        elif isinstance(ch, S.RecordChannel):
            self.record = ch
            gconnect(ch, "record-start", self._rstart)
            ch.connect()

    def _pstart(self, ch, fmt, channels, rate):
        self.start = (fmt, channels, rate)

    def _pdata(self, ch, data, size):
        self.pcm += ctypes.string_at(data, size)

    def _rstart(self, ch, fmt, channels, rate):
        self.record_start = (fmt, channels, rate)

    def run_until(self, pred, timeout=20.0):
        ctx = GLib.MainContext.default()
        deadline = time.time() + timeout
        while time.time() < deadline and not pred():
            ctx.iteration(False)
            time.sleep(0.002)
        return pred()

    def close(self):
        self.s.disconnect()
        pump(0.2)


def tone_hz(pcm):
    """The pitch of the left channel: zero crossings over the samples."""
    n = len(pcm) // 4
    left = struct.unpack("<%dh" % (2 * n), pcm[:4 * n])[0::2]
    cross = sum(1 for a, b in zip(left, left[1:]) if (a < 0) != (b < 0))
    return cross / 2 / (n / RATE)


srv = Server("--port", "0", "--pattern", "solid", "--disable-ticketing",
             "--audio-tone", str(TONE), "--record-to", rec_path)
c = AudioClient(srv.port)

# Playback ---------------------------------------------------------------------
ok(c.run_until(lambda: c.start is not None), "playback_start_seen",
   str(c.types))
ok(c.start == (1, 2, RATE), "playback_start_is_s16_stereo_48000",
   str(c.start))
want = RATE * 4                         # one second of frames
ok(c.run_until(lambda: len(c.pcm) >= want, 30), "playback_data_arrives",
   "%d bytes" % len(c.pcm))
pcm = bytes(c.pcm[:want])
hz = tone_hz(pcm)
ok(abs(hz - TONE) <= TONE * 0.01, "playback_pitch_is_the_tone", "%.1f Hz" % hz)
print("# measured %.1f Hz" % hz)
ok(pcm[0::4] == pcm[2::4] and pcm[1::4] == pcm[3::4],
   "playback_left_equals_right")
peak = max(abs(v) for v in struct.unpack("<%dh" % (want // 2), pcm))
ok(7000 <= peak <= 8000, "playback_amplitude_as_written", str(peak))

# Record -------------------------------------------------------------------------
ok(c.run_until(lambda: c.record_start is not None), "record_start_seen")
ok(c.record_start == (1, 2, RATE), "record_start_is_s16_stereo_48000",
   str(c.record_start))
sent = bytes((i * 7 + i // 251) & 0xff for i in range(FRAME_BYTES * 5))
buf = ctypes.create_string_buffer(sent, len(sent))
c.record.send_data(ctypes.addressof(buf), len(sent), 0)


def rec_size():
    return os.path.getsize(rec_path)


ok(c.run_until(lambda: rec_size() >= len(sent)), "record_data_arrives",
   "%d bytes" % rec_size())
with open(rec_path, "rb") as f:
    got = f.read()
ok(got == sent, "record_data_byte_exact", "%d of %d bytes" % (len(got),
                                                              len(sent)))

# Hostile record channels ------------------------------------------------------------
def record_conn():
    m = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    assert linked(m) == 0
    sid = session_id(m)
    r = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    res = linked(r, RECORD, 0, sid)
    return m, r, res


for name, body in (("odd_size", struct.pack("<I", 0) + bytes(5)),
                   ("over_8192_bytes", struct.pack("<I", 0) + bytes(8196)),
                   ("shorter_than_its_time", b"\x01\x02")):
    m, r, res = record_conn()
    ok(res == 0, "raw_record_channel_links_" + name, str(res))
    first = read_msg(r)
    r.sendall(msg(MSGC_RECORD_MODE, struct.pack("<IH", 0, 1)) +
              msg(MSGC_RECORD_DATA, body))
    ok(closed(r), "record_data_%s_drops_that_client" % name,
       str(first and first[0]))
    m.close()
m, r, res = record_conn()
r.sendall(msg(MSGC_RECORD_MODE, struct.pack("<IH", 0, 3)))
ok(closed(r), "record_mode_opus_not_offered_drops_that_client")
m.close()
ok("record data of 5 bytes" in server_log(), "drop_is_logged_with_the_size")

before = len(c.pcm)
ok(c.run_until(lambda: len(c.pcm) >= before + RATE), "good_client_still_plays")
sent2 = (bytes(range(256)) * 16)[:FRAME_BYTES * 2]
buf2 = ctypes.create_string_buffer(sent2, len(sent2))
c.record.send_data(ctypes.addressof(buf2), len(sent2), 0)
ok(c.run_until(lambda: rec_size() >= len(sent) + len(sent2)),
   "good_client_still_records")
with open(rec_path, "rb") as f:
    ok(f.read() == sent + sent2, "record_file_holds_both_byte_exact")
c.close()
srv.stop()

# No audio: no audio channels ------------------------------------------------------
srv = Server("--port", "0", "--pattern", "solid", "--disable-ticketing")
c = AudioClient(srv.port)
ok(c.run_until(lambda: "DisplayChannel" in c.types), "plain_server_lists_display")
pump(0.5)
ok(not ({"PlaybackChannel", "RecordChannel"} & c.types),
   "plain_server_lists_no_audio_channel", str(c.types))
c.close()
srv.stop()
done()
