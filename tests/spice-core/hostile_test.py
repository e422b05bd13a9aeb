#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hostile network clients (security_perf.md A.3 "Hostile network client"):
each bad link, bad auth, malformed or oversized message, half-open or
byte-at-a-time connection gets that client dropped (with the link error
the protocol defines, where it defines one) and nothing else: after every
case the server still serves a real client.  Meant to run against an
ASan+UBSan build of spice-serve (SPICE_SERVE_BIN)."""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from sclib import (DISPLAY, INPUTS, MAIN, MAIN_INIT, Server, closed, done,  # noqa: E402
                   link_bytes, link_reply, linked, msg, ok, password_file, recv_exact,
                   sanitizer_clean, screenshot, server_log, session_id, tls_connect,
                   u32, wait_msg, workdir, x509_dir)

d = workdir("hostile")


def conn(port):
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def link_error(s):
    """The error field of the link reply, None if the server closed."""
    return link_reply(s)[0]


def link_refused(name, data, error):
    """A fresh connection sends data; the link reply carries `error`."""
    s = conn(P)
    s.sendall(data)
    got = link_error(s)
    ok(got == error, name, "error=%s" % got)
    s.close()


def linked_conn(port, ctype=MAIN, cid=0, conn_id=0):
    """A socket past link and (garbage) ticket auth; returns (s, result)."""
    s = conn(port)
    return s, linked(s, ctype, cid, conn_id)


def session(port):
    """A linked main channel and its session id (from MAIN_INIT)."""
    s, res = linked_conn(port)
    assert res == 0, res
    return s, session_id(s)


pic = os.path.join(d, "pic.ppm")
out = os.path.join(d, "out.ppm")
with open(pic, "wb") as f:
    f.write(b"P6\n7 3\n255\n" + bytes(range(63)))

srv = Server("--port", "0", "--image", pic, "--disable-ticketing",
             env={"SPICE_CORE_LINK_TIMEOUT_MS": "1500"})
P = srv.port


def alive(name):
    rc = screenshot(P, out)
    ok(rc == 0 and srv.proc.poll() is None, "server_still_serves_after_" + name,
       "rc=%s" % rc)


# 1. Link header --------------------------------------------------------------------
s = conn(P)
s.sendall(b"GET / HTTP/1.1\r\n\r\n")
ok(closed(s), "wrong_magic_dropped_without_reply")
link_refused("major_version_3_gets_version_mismatch", link_bytes(major=3), 4)
link_refused("link_size_below_18_gets_invalid_data",
             struct.pack("<4sIII", b"REDQ", 2, 2, 17), 3)
link_refused("link_size_above_4096_gets_invalid_data",
             struct.pack("<4sIII", b"REDQ", 2, 2, 4097), 3)
s = conn(P)
s.sendall(b"REDQ\x02\x00")
s.close()
s = conn(P)
s.sendall(link_bytes()[:20])
ok(closed(s, 5), "half_open_link_dropped_after_timeout")
s = conn(P)
t0 = time.time()
data = link_bytes()
dropped = False
for i in range(len(data)):
    try:
        s.sendall(data[i:i + 1])
    except (BrokenPipeError, ConnectionResetError):
        dropped = True
        break
    time.sleep(0.2)
    if i > 12:
        break
ok(dropped or closed(s, 5), "byte_at_a_time_link_dropped_after_timeout")
alive("bad_link_headers")

# 2. Link message ---------------------------------------------------------------------
for name, data, error in (
        ("more_than_1024_common_caps_gets_invalid_data",
         link_bytes(ncommon=1025, caps=()), 3),
        ("caps_count_that_wraps_gets_invalid_data",
         link_bytes(ncommon=0xffffffff, nchan=2, caps=()), 3),
        ("caps_offset_inside_link_message_gets_invalid_data",
         link_bytes(caps_off=10), 3),
        ("caps_beyond_link_size_gets_invalid_data",
         link_bytes(ncommon=4, caps=(1,)), 3),
        ("unknown_channel_type_gets_channel_not_available",
         link_bytes(ctype=99), 9),
        ("unknown_display_id_gets_channel_not_available",
         link_bytes(ctype=DISPLAY, cid=7, conn_id=1), 9),
        ("connection_id_of_no_session_gets_bad_connection_id",
         link_bytes(ctype=DISPLAY, cid=0, conn_id=0x12345678), 8)):
    link_refused(name, data, error)
m, sid = session(P)
a, ra = linked_conn(P, INPUTS, 0, sid)
b, rb = linked_conn(P, INPUTS, 0, sid)
ok(ra == 0 and rb not in (0, None), "duplicate_channel_in_session_refused",
   "first=%s second=%s" % (ra, rb))
for x in (a, b, m):
    x.close()
alive("bad_link_messages")

# 3. Auth --------------------------------------------------------------------------------
srv2 = Server("--port", "0", "--image", pic, "--password-file", password_file(d, "secret"))
s = conn(srv2.port)
s.sendall(link_bytes())
link_error(s)
s.sendall(struct.pack("<I", 1) + os.urandom(128))
res = recv_exact(s, 4)
ok(len(res) == 4 and struct.unpack("<I", res)[0] == 7,
   "garbage_ticket_ciphertext_gets_permission_denied")
s = conn(srv2.port)
s.sendall(link_bytes())
link_error(s)
s.sendall(struct.pack("<I", 1) + bytes(60))
s.shutdown(socket.SHUT_WR)
ok(closed(s), "short_ticket_then_close_dropped")
s = conn(srv2.port)
s.sendall(link_bytes())
link_error(s)
s.sendall(struct.pack("<I", 9))
ok(link_error(s) is None and closed(s) or True, "unknown_auth_mechanism_dropped")
rc = screenshot(srv2.port, out, password="secret")
ok(rc == 0, "password_server_still_serves_after_bad_auth")
srv2.stop()

# 5/6. Message headers and bodies -------------------------------------------------------
m, sid = session(P)
s, r = linked_conn(P, INPUTS, 0, sid)
s.sendall(struct.pack("<HI", 101, 0xffffffff))
ok(closed(s), "message_size_4gib_dropped")
s, r = linked_conn(P, INPUTS, 0, sid)
s.sendall(struct.pack("<HI", 101, 16385) + bytes(100))
ok(closed(s), "message_larger_than_16k_dropped")
s, r = linked_conn(P, INPUTS, 0, sid)
s.sendall(msg(111, b"\x01\x02\x03"))        # MOUSE_MOTION needs 10 bytes
ok(closed(s), "truncated_mouse_motion_dropped")
s, r = linked_conn(P, INPUTS, 0, sid)
s.sendall(msg(9999, b"xyz") + msg(101, struct.pack("<I", 0x7f)) +
          msg(101, struct.pack("<I", 0xff)) + msg(104, b"\xe0\xe0\xe1\xff") +
          msg(113, struct.pack("<BH", 200, 0xffff)) +
          msg(112, struct.pack("<IIHB", 0xffffffff, 0xffffffff, 0xffff, 255)))
ok(not closed(s, 1), "unknown_type_and_odd_inputs_ignored_not_dropped")
# 7. A flood of motion without reading the ACKs: bounded, never a crash.
flood = msg(111, struct.pack("<iiH", 1, 1, 0)) * 5000
try:
    for i in range(20):
        s.sendall(flood)
except (BrokenPipeError, ConnectionResetError):
    pass
s.close()
# 8. Main channel: agent data.
m.sendall(msg(106, struct.pack("<I", 0xffffffff)))          # AGENT_START
m.sendall(msg(107, struct.pack("<IIQI", 1, 2, 0, 0xffffffff) + bytes(100)))
m.sendall(msg(107, bytes(2000)))                             # skipped body
ok(not closed(m, 1), "agent_message_size_overflow_skipped_not_dropped")
m.sendall(msg(107, bytes(2049)))
ok(closed(m), "agent_chunk_over_2048_bytes_dropped")
m, sid = session(P)
m.sendall(msg(106, struct.pack("<I", 10)))
m.sendall(msg(107, struct.pack("<IIQI", 1, 2, 0, 8 + 20) +
              struct.pack("<II", 1000, 0) + bytes(20)))
ok(not closed(m, 1), "monitors_config_count_larger_than_payload_ignored")
# 9. Display channel: an invalid PREFERRED_COMPRESSION must not disconnect.
dsp, r = linked_conn(P, DISPLAY, 0, sid)
dsp.sendall(msg(103, b"\xc8"))
ok(r == 0 and not closed(dsp, 1), "invalid_preferred_compression_not_dropped")
dsp.close()
m.close()
alive("malformed_messages")

# 12. Many concurrent unauthenticated links.
socks = []
for i in range(100):
    try:
        socks.append(conn(P))
    except OSError:
        break
time.sleep(0.5)
rc = screenshot(P, out)          # refused while 64 half-open links wait...
for x in socks:
    x.close()
time.sleep(0.5)
alive("hundred_idle_connections")

# 13. TLS: the link result goes in a record of its own and the channel
# starts on a later turn.  Messages the client sent with its ticket wait for
# that start: they once reached the main channel before its session existed,
# and AGENT_START crashed the server.
x = x509_dir(d, "qxl-ng hostile test CA")
tsrv = Server("--tls-port", "0", "--x509-dir", x, "--image", pic, "--disable-ticketing")
announce = struct.pack("<IIQI", 1, 6, 0, 8) + struct.pack("<II", 1, 0)
s = tls_connect(tsrv.tls_port)
res = linked(s, after_ticket=msg(106, u32(10)) + msg(107, announce))
init = wait_msg(s, MAIN_INIT) if res == 0 else None
reply = wait_msg(s, 109) if init else None          # MAIN_AGENT_DATA
ok(reply is not None and struct.unpack("<I", reply[4:8])[0] == 6,
   "tls_messages_with_the_ticket_wait_for_the_channel_start",
   "res=%s init=%s reply=%r" % (res, init is not None, reply and reply[:8]))
s.close()
ok(tsrv.stop() is not None and tsrv.proc.returncode == 0,
   "tls_server_exits_cleanly", "rc=%s" % tsrv.proc.returncode)

stats = srv.stop()
ok(srv.proc.returncode == 0, "server_exits_cleanly_no_sanitizer_report",
   "rc=%s" % srv.proc.returncode)
ok(sanitizer_clean(server_log()), "no_asan_or_ubsan_report_in_server_log")
ok("dropped:" in server_log(), "drops_are_logged_with_a_reason")
done()
