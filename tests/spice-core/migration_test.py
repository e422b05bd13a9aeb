#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Seamless client migration at the target, from the client's side
(spice-serve plays the target; no VM): a client that comes migrating
(its main channel linked with the source's connection id) asks for the
seamless path (MIGRATE_DST_DO_SEAMLESS), links its display, and hands
each channel the migration data the source gave it (wire/migdata.h).

  - a wrong source version gets DST_SEAMLESS_NACK, the right one ACK;
  - a held display channel that gets a bad blob (bad magic, version,
    another channel's, a flag of 2, a size out of range, short, long,
    or another message first) is dropped alone: the session's main
    channel stays and a new display channel links;
  - good display data whose surface is the size the server shows keeps
    the client's surface (no SURFACE_CREATE, the picture drawn again);
    another size gets SURFACE_DESTROY and a SURFACE_CREATE;
  - the main channel's data gets no INIT but the mouse mode; bad main
    data drops the session.

Runs against the ASan+UBSan spice-serve (SPICE_SERVE_BIN)."""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sclib import (DISPLAY, MAIN, Server, closed, done, linked, msg, ok,  # noqa: E402
                   read_msg, sanitizer_clean, server_log, workdir)

MIG_MAGIC = 0x474d5851               # "QXMG"
MIG_VERSION = 0x716e0001
MSGC_MIGRATE_DATA = 5
MSGC_DO_SEAMLESS = 110
MSG_ACK, MSG_NACK = 117, 118
MSG_INIT, MSG_MOUSE_MODE = 103, 105
MSG_INVAL_ALL_PIXMAPS = 106
MSG_DRAW_COPY, MSG_DRAW_FILL = 304, 302
MSG_SURFACE_CREATE, MSG_SURFACE_DESTROY = 314, 315
W, H = 7, 3

d = workdir("migration")
pic = os.path.join(d, "pic.ppm")
with open(pic, "wb") as f:
    f.write(b"P6\n%d %d\n255\n" % (W, H) + bytes(range(W * H * 3)))
srv = Server("--port", "0", "--image", pic, "--disable-ticketing")
P = srv.port


def conn():
    return socket.create_connection(("127.0.0.1", P), timeout=5)


def blob(ctype, body, magic=MIG_MAGIC, version=MIG_VERSION, size=None):
    return struct.pack("<IIBB", magic, version, ctype,
                       len(body) if size is None else size) + body


def display_body(has=1, w=W, h=H, cache=1 << 20, comp=0, stream=0):
    return struct.pack("<BIIqBB", has, w, h, cache, comp, stream)


def messages(s, until, limit=40):
    """Types of the server's messages up to one of `until` (or a close)."""
    seen = []
    while len(seen) < limit:
        try:
            m = read_msg(s)
        except socket.timeout:
            break
        if m is None:
            break
        seen.append(m[0])
        if m[0] in until:
            break
    return seen


def quiet(s, timeout=0.5):
    """Nothing from the server for a while (a held channel)."""
    s.settimeout(timeout)
    try:
        data = s.recv(1)
    except socket.timeout:
        return True
    finally:
        s.settimeout(5)
    return False if data else None


SID = 0x5eed0001
main = conn()
ok(linked(main, MAIN, 0, SID) == 0, "migrating_main_channel_links")
ok(quiet(main), "migrating_main_channel_gets_nothing_before_the_handshake")
main.sendall(msg(MSGC_DO_SEAMLESS, struct.pack("<I", 1)))
got = messages(main, (MSG_ACK, MSG_NACK))
ok(got[-1:] == [MSG_NACK], "do_seamless_with_another_version_nacked",
   "got %s" % got)
main.sendall(msg(MSGC_DO_SEAMLESS, struct.pack("<I", MIG_VERSION)))
got = messages(main, (MSG_ACK, MSG_NACK))
ok(got[-1:] == [MSG_ACK], "do_seamless_with_our_version_acked", "got %s" % got)

bad = {
    "bad_magic": blob(DISPLAY, display_body(), magic=0x12345678),
    "other_version": blob(DISPLAY, display_body(), version=1),
    "main_data_on_display": blob(MAIN, b"\x01"),
    "flag_of_2": blob(DISPLAY, display_body(has=2)),
    "surface_0x0": blob(DISPLAY, display_body(w=0, h=0)),
    "surface_huge": blob(DISPLAY, display_body(w=1 << 20)),
    "negative_cache": blob(DISPLAY, display_body(cache=-1)),
    "unknown_compression": blob(DISPLAY, display_body(comp=200)),
    "short_body": blob(DISPLAY, display_body()[:-1], size=19),
    "long_body": blob(DISPLAY, display_body() + b"x", size=19),
    "header_only": struct.pack("<II", MIG_MAGIC, MIG_VERSION),
    "empty": b"",
}
for name, data in bad.items():
    s = conn()
    res = linked(s, DISPLAY, 0, SID)
    held = res == 0 and quiet(s, 0.1)
    s.sendall(msg(MSGC_MIGRATE_DATA, data))
    ok(held and closed(s), "display_migration_data_%s_drops_the_channel" % name,
       "link=%s held=%s" % (res, held))
    s.close()
s = conn()
res = linked(s, DISPLAY, 0, SID)
s.sendall(msg(1, struct.pack("<I", 0)))           # ACK_SYNC before the data
ok(res == 0 and closed(s), "display_message_before_migration_data_drops_it")
s.close()
ok(quiet(main) is True, "main_channel_stays_after_bad_display_data")

# Good data, the server's surface size: the client keeps its surface.
s = conn()
ok(linked(s, DISPLAY, 0, SID) == 0, "display_links_after_the_bad_ones")
s.sendall(msg(MSGC_MIGRATE_DATA, blob(DISPLAY, display_body(stream=1))))
got = messages(s, (MSG_DRAW_COPY, MSG_DRAW_FILL, MSG_SURFACE_CREATE))
ok(MSG_INVAL_ALL_PIXMAPS in got and MSG_SURFACE_CREATE not in got and
   MSG_SURFACE_DESTROY not in got and got[-1:] in ([MSG_DRAW_COPY],
                                                   [MSG_DRAW_FILL]),
   "display_data_of_the_same_size_keeps_the_surface_and_redraws",
   "got %s" % got)
s.close()

# Another size: destroyed and created again (as a mode change).
s = conn()
linked(s, DISPLAY, 0, SID)
s.sendall(msg(MSGC_MIGRATE_DATA, blob(DISPLAY, display_body(w=640, h=480))))
got = messages(s, (MSG_DRAW_COPY, MSG_DRAW_FILL))
ok(MSG_SURFACE_DESTROY in got and MSG_SURFACE_CREATE in got and
   got.index(MSG_SURFACE_DESTROY) < got.index(MSG_SURFACE_CREATE),
   "display_data_of_another_size_recreates_the_surface", "got %s" % got)
s.close()

# Main: no INIT, the mouse mode.
main.sendall(msg(MSGC_MIGRATE_DATA, blob(MAIN, b"\x00")))
got = messages(main, (MSG_MOUSE_MODE, MSG_INIT))
ok(got[-1:] == [MSG_MOUSE_MODE] and MSG_INIT not in got,
   "main_migration_data_gets_mouse_mode_and_no_init", "got %s" % got)
main.sendall(msg(MSGC_MIGRATE_DATA, blob(MAIN, b"\x00")))
ok(closed(main), "second_main_migration_data_drops_the_session")
main.close()

# A fresh migrating session whose main data is bad.
main = conn()
linked(main, MAIN, 0, SID + 1)
main.sendall(msg(MSGC_DO_SEAMLESS, struct.pack("<I", MIG_VERSION)))
messages(main, (MSG_ACK, MSG_NACK))
main.sendall(msg(MSGC_MIGRATE_DATA, blob(MAIN, b"\x07")))
ok(closed(main), "main_migration_data_with_a_bad_flag_drops_the_session")
main.close()

srv.stop()
ok(srv.proc.returncode == 0, "server_exits_cleanly_no_sanitizer_report",
   "rc=%s" % srv.proc.returncode)
ok(sanitizer_clean(server_log()), "no_asan_or_ubsan_report_in_server_log")
log = server_log()
ok("migration data taken" in log and "bad magic" in log,
   "server_log_says_what_was_taken_and_what_was_wrong")
done()
