#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Regression tests for crashes a hostile client found (issue 10), each
through a real socket against the ASan+UBSan spice-serve (SPICE_SERVE_BIN),
each on a server of its own so a crash is pinned to its case:

1. link, ticket and the first main-channel message (AGENT_START) in one
   TLS record: the message reached the main channel before its session
   existed (NULL dereference).  It must wait for the channel start.
2. two sessions; the server broadcasts session A's MOUSE_MODE_REQUEST
   while B has reset its socket: the failed write closed B and freed its
   session under the broadcast loop (heap use-after-free).  Closing now
   only marks B dead; it is freed after the dispatch.
3. an agent monitors config with heads at x = INT32_MAX and INT32_MIN:
   signed overflow making the positions relative.  Positions are clamped
   to +-SC_COORD_LIMIT (262144) first, so the request arrives clamped.

After each case the server must still serve a correct picture and exit
without a sanitizer report."""
import os
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from sclib import (MAIN, Server, done, link_bytes, link_reply, linked, msg, ok,  # noqa: E402
                   picture_ok, read_msg, rst, sanitizer_clean, server_log, session_id,
                   tls_connect, u32, wait_msg, workdir, write_ppm, x509_dir, AUTH_SPICE)

d = workdir("regressions")
pic = os.path.join(d, "pic.ppm")
write_ppm(pic, 31, 17, bytes((i * 7) & 255 for i in range(31 * 17 * 3)))

AGENT_START, AGENT_DATA, MOUSE_MODE_REQUEST = 106, 107, 105     # client
MSG_MOUSE_MODE, MSG_AGENT_DATA = 105, 109                       # server
VD_MONITORS_CONFIG, VD_REPLY, VD_ANNOUNCE, VD_SUCCESS = 2, 3, 6, 1
MOUSE_MODE_CLIENT = 2


def agent_msg(vtype, body):
    """One VD agent message (protocol 1) as AGENT_DATA."""
    return msg(AGENT_DATA, struct.pack("<IIQI", 1, vtype, 0, len(body)) + body)


def finish(srv, name):
    """The server serves the right picture, stops cleanly, logged no
    sanitizer report."""
    ok(picture_ok(srv.port, pic, os.path.join(d, name + ".ppm")),
       name + "_then_a_client_gets_the_right_picture")
    srv.stop()
    ok(srv.proc.returncode == 0 and sanitizer_clean(srv.log_text()),
       name + "_then_clean_exit_no_sanitizer_report",
       "rc=%s" % srv.proc.returncode)

# 1. Link, ticket and AGENT_START in one TLS record ---------------------------------
def case1():
    name = "agent_start_in_the_tls_record_of_link_and_ticket_waits_for_the_session"
    x = x509_dir(d, "qxl-ng regressions CA")
    srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x, "--image", pic,
                 "--disable-ticketing")
    announce = struct.pack("<II", 1, 0)             # request, caps
    for port, wrap in ((srv.tls_port, "tls"), (srv.port, "plain")):
        s = tls_connect(port) if wrap == "tls" else \
            socket.create_connection(("127.0.0.1", port), timeout=10)
        # One write: with ticketing off any ticket will do, so a client need
        # not wait for the link reply before sending it.
        s.sendall(link_bytes() + u32(AUTH_SPICE) + bytes(128) +
                  msg(AGENT_START, u32(10)) + agent_msg(VD_ANNOUNCE, announce))
        err, _ = link_reply(s)
        res = s.recv(4) if err == 0 else b""
        init = wait_msg(s, 103) if res == u32(0) else None
        reply = wait_msg(s, MSG_AGENT_DATA) if init else None
        ok(reply is not None and struct.unpack("<I", reply[4:8])[0] == VD_ANNOUNCE,
           name if wrap == "tls" else name.replace("tls_record", "tcp_write"),
           "err=%s res=%r init=%s reply=%r" % (err, res, init is not None,
                                               reply and reply[:8]))
        s.close()
    finish(srv, name)


# 2. A session reset while a mouse-mode request is broadcast ------------------------
def case2():
    name = "session_reset_during_mouse_mode_broadcast_is_freed_after_the_broadcast"
    srv = Server("--port", "0", "--image", pic, "--disable-ticketing", "--mouse-absolute",
                 "--log-input")
    fine = 0
    for attempt in range(3):
        a = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        ok_a = linked(a) == 0 and session_id(a)
        others = []
        for i in range(3):
            b = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            if linked(b) == 0:
                session_id(b)
                others.append(b)
        # Stop the server so that A's request and B's reset wait in the same
        # poll: A's source (attached first) is dispatched first, and the
        # broadcast meets the dead socket before B's own source can notice.
        os.kill(srv.proc.pid, signal.SIGSTOP)
        for b in others:
            rst(b)
        a.sendall(msg(MOUSE_MODE_REQUEST, struct.pack("<H", MOUSE_MODE_CLIENT)))
        time.sleep(0.1)
        os.kill(srv.proc.pid, signal.SIGCONT)
        got = wait_msg(a, MSG_MOUSE_MODE)
        alive = srv.proc.poll() is None
        if ok_a and len(others) == 3 and got is not None and alive and \
                struct.unpack("<HH", got[:4])[1] == MOUSE_MODE_CLIENT:
            fine += 1
        # Back to server mode for the next round.
        a.sendall(msg(MOUSE_MODE_REQUEST, struct.pack("<H", 1)))
        wait_msg(a, MSG_MOUSE_MODE)
        a.close()
        if not alive:
            break
    ok(fine == 3, name, "%d of 3 rounds" % fine)
    # The scenario happened: the broadcast's write found a reset socket.
    ok("dropped: send: Connection reset" in srv.log_text(),
       "a_reset_session_dropped_by_the_broadcast_write")
    finish(srv, name)


# 3. Monitors config with heads at INT32_MAX and INT32_MIN --------------------------
def case3():
    name = "monitors_config_heads_at_int32_max_and_min_are_clamped"
    srv = Server("--port", "0", "--image", pic, "--disable-ticketing", "--log-input")
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    res = linked(s)
    sid = session_id(s) if res == 0 else None
    heads = [(640, 480, 0x7fffffff, 0x7fffffff), (800, 600, -0x80000000, -0x80000000),
             (320, 200, 5, -7)]
    body = struct.pack("<II", len(heads), 0) + b"".join(
        struct.pack("<IIIii", h, w, 32, x, y) for w, h, x, y in heads)
    s.sendall(msg(AGENT_START, u32(10)) + agent_msg(VD_MONITORS_CONFIG, body))
    reply = wait_msg(s, MSG_AGENT_DATA) if sid else None
    line = srv.read_lines_until(lambda l: l.startswith("monitors "), 5)
    L = 262144
    want = "monitors 0 3 640x480+%d+%d 800x600+0+0 320x200+%d+%d" % (2 * L, 2 * L, L + 5, L - 7)
    ok(reply is not None and struct.unpack("<I", reply[4:8])[0] == VD_REPLY and
       struct.unpack("<II", reply[20:28]) == (VD_MONITORS_CONFIG, VD_SUCCESS)
       and line == want, name, "reply=%r line=%r" % (reply and reply[20:28], line))
    s.close()
    finish(srv, name)


for case in (case1, case2, case3):
    servers = len(Server.started)
    try:
        case()
    except (OSError, AssertionError, RuntimeError) as e:
        ok(False, case.__name__ + "_ran_to_the_end", repr(e))
        for srv in Server.started[servers:]:
            srv.kill()
done()
