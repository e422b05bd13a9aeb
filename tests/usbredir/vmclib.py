# SPDX-License-Identifier: MIT
"""SPICE by hand for the pass-through channel tests: link a channel of a
session, VMC_DATA messages both ways (mini headers).  The link itself is
tests/spice-core/sclib.py's."""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "spice-core"))
from sclib import (AUTH_SPICE, MAIN, link_bytes, link_reply,  # noqa: E402
                   msg, read_msg, recv_exact, session_id, u32)

USBREDIR, PORT, WEBDAV = 9, 10, 11          # SPICE_CHANNEL_*
MSG_CHANNELS_LIST, MSGC_ATTACH = 104, 104   # main channel
VMC_DATA, VMC_COMPRESSED = 101, 102         # both ways
PORT_INIT, PORT_EVENT = 201, 202            # server
MSGC_PORT_EVENT = 201
EV_OPENED, EV_CLOSED, EV_BREAK = 0, 1, 2


def connect(port, ctype, cid, sid, check=True):
    """A linked, authenticated channel (no ticket: disable-ticketing)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(link_bytes(ctype, cid, sid))
    err, _ = link_reply(s)
    if err != 0:
        raise RuntimeError("link %d:%d: error %s" % (ctype, cid, err))
    s.sendall(u32(AUTH_SPICE) + bytes(128))
    if not check:
        return s
    res = recv_exact(s, 4)
    if res != u32(0):
        raise RuntimeError("auth %d:%d: %r" % (ctype, cid, res))
    return s


def main_session(port):
    """(main channel socket, session id, {(type, id)} of CHANNELS_LIST)."""
    main = connect(port, MAIN, 0, 0)
    sid = session_id(main)
    main.sendall(msg(MSGC_ATTACH))
    pairs = set()
    while True:
        m = read_msg(main)
        if m is None:
            break
        if m[0] == MSG_CHANNELS_LIST:
            body = m[1]
            n = struct.unpack("<I", body[:4])[0]
            pairs = {(body[4 + 2 * i], body[5 + 2 * i]) for i in range(n)}
            break
    return main, sid, pairs


def read_data(s, n):
    """n bytes of VMC_DATA from s (other messages skipped), or fewer."""
    got = bytearray()
    while len(got) < n:
        m = read_msg(s)
        if m is None:
            break
        if m[0] == VMC_DATA:
            got += m[1]
    return bytes(got)
