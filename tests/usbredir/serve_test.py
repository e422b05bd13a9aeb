#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The pass-through channels (usbredir, port, webdav) of spice-core, without
a VM: spice-serve --vmc gives them an echoing device (tools/vmc-echo.c).
Checked on the wire: the main channel's CHANNELS_LIST, the echo byte for
byte (a 2 MiB round trip through both flow controls), PORT_INIT's name and
state, PORT_EVENT reaching the device, one client per channel, and hostile
clients (compressed data without the cap, an oversized message, a flood
into a device that takes nothing) dropped or held alone.  Then a real
client: spice-gtk's PortChannel reads PORT_INIT and gets its bytes back."""
import ctypes
import os
import random
import select
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
from vmclib import (EV_BREAK, MSGC_PORT_EVENT, PORT, PORT_INIT,  # noqa: E402
                    USBREDIR, VMC_COMPRESSED, VMC_DATA, WEBDAV, connect,
                    main_session, read_data)
from sclib import (MAIN, Server, closed, done, msg, ok, read_msg,  # noqa: E402
                   rst, session_id)


def round_trip(s, data, chunk=16000):
    """Send data in VMC_DATA messages while reading the echo, both
    non-blocking, so neither side's flow control can deadlock us."""
    out = b"".join(msg(VMC_DATA, data[i:i + chunk])
                   for i in range(0, len(data), chunk))
    s.setblocking(False)
    inbuf, got, sent = bytearray(), bytearray(), 0
    idle = 0
    while len(got) < len(data) and idle < 100:
        w = [s] if sent < len(out) else []
        r, w, _ = select.select([s], w, [], 0.1)
        idle = 0 if (r or w) else idle + 1
        if w:
            sent += s.send(out[sent:sent + 65536])
        if r:
            b = s.recv(65536)
            if not b:
                break
            inbuf += b
            while len(inbuf) >= 6:
                t, size = struct.unpack("<HI", inbuf[:6])
                if len(inbuf) < 6 + size:
                    break
                if t == VMC_DATA:
                    got += inbuf[6:6 + size]
                del inbuf[:6 + size]
    s.setblocking(True)
    s.settimeout(10)
    return bytes(got)


def flood(s, seconds_idle=2.0):
    """Write 60000-byte VMC_DATA messages until the socket takes nothing
    for seconds_idle; returns the bytes it took."""
    m = msg(VMC_DATA, bytes(60000))
    s.setblocking(False)
    total, pos = 0, 0
    while total < 64 << 20:
        _, w, _ = select.select([], [s], [], seconds_idle)
        if not w:
            break
        try:
            n = s.send(m[pos:])
        except BlockingIOError:
            continue
        total += n
        pos = (pos + n) % len(m)
    s.setblocking(True)
    s.settimeout(10)
    return total


srv = Server("--pattern", "solid", "--port", "0", "--disable-ticketing",
             "--vmc", "usbredir", "--vmc", "usbredir,stuck",
             "--vmc", "org.spice-space.webdav.0",
             "--vmc", "com.example.p0,closed", "--vmc", "com.example.p1")
rng = random.Random(13)
try:
    main, sid, pairs = main_session(srv.port)
    want = {(USBREDIR, 0), (USBREDIR, 1), (WEBDAV, 0), (PORT, 0), (PORT, 1)}
    ok(want <= pairs, "CHANNELS_LIST has usbredir 0 and 1, webdav 0, "
       "port 0 and 1",
       "got %s" % sorted(pairs))

    # usbredir 0: the echo, byte for byte, through both flow controls
    u0 = connect(srv.port, USBREDIR, 0, sid)
    ok(srv.read_lines_until(lambda l: l == "vmc-client usbredir 0 1", 10),
       "the device hears a client took usbredir 0")
    small = bytes(rng.getrandbits(8) for _ in range(3000))
    u0.sendall(msg(VMC_DATA, small[:1000]) + msg(VMC_DATA, small[1000:]))
    ok(read_data(u0, len(small)) == small, "3000 bytes echoed as VMC_DATA")
    big = rng.randbytes(2 << 20)
    echoed = round_trip(u0, big)
    ok(echoed == big, "2 MiB round trip, byte for byte",
       "got %d bytes, equal prefix %s" % (len(echoed),
                                          big[:len(echoed)] == echoed))

    # one client per channel: the same session may not link it twice,
    # another client's session gets it dropped
    main2 = connect(srv.port, MAIN, 0, 0)
    sid2 = session_id(main2)
    u0b = connect(srv.port, USBREDIR, 0, sid2, check=False)
    ok(closed(u0b), "a second client of usbredir 0 is dropped")
    u0.sendall(msg(VMC_DATA, b"still here"))
    ok(read_data(u0, 10) == b"still here", "the first keeps the channel")
    ok("has a client already" in srv.log_text(), "the log says why")

    # ports: PORT_INIT, PORT_EVENT
    p0 = connect(srv.port, PORT, 0, sid)
    m = read_msg(p0)
    init = None
    if m and m[0] == PORT_INIT and len(m[1]) >= 9:
        size, off, opened = struct.unpack("<IIB", m[1][:9])
        init = (m[1][off:off + size], opened)
    ok(init == (b"com.example.p0\0", 0),
       "PORT_INIT: name com.example.p0, closed", "got %r" % (init,))
    p0.sendall(msg(MSGC_PORT_EVENT, bytes([EV_BREAK])))
    ok(srv.read_lines_until(lambda l: l == "vmc-event com.example.p0 2", 10),
       "a client's PORT_EVENT (break) reaches the device")
    w0 = connect(srv.port, WEBDAV, 0, sid)
    m = read_msg(w0)
    ok(m and m[0] == PORT_INIT and m[1][9:] == b"org.spice-space.webdav.0\0"
       and m[1][8] == 1, "webdav 0: PORT_INIT with its name, open")
    w0.sendall(msg(VMC_DATA, b"dav"))
    ok(read_data(w0, 3) == b"dav", "webdav 0 passes bytes too")

    # hostile clients
    u0.sendall(msg(VMC_COMPRESSED, bytes(8)))
    ok(closed(u0), "COMPRESSED_DATA without the cap drops that client")
    ok(srv.read_lines_until(lambda l: l == "vmc-client usbredir 0 0", 10),
       "the device hears the client left")
    u0 = connect(srv.port, USBREDIR, 0, sid)
    u0.sendall(msg(VMC_DATA, b"again"))
    ok(read_data(u0, 5) == b"again", "a new client gets the channel")
    u0.sendall(struct.pack("<HI", VMC_DATA, (192 << 10) + 1))
    ok(closed(u0), "a VMC_DATA message over 192 KiB drops the client")
    u1 = connect(srv.port, USBREDIR, 1, sid)
    took = flood(u1)
    ok(took < 24 << 20, "a flood into a stuck device stops being read "
       "(%d KiB taken, socket buffers included)" % (took >> 10))
    w0.sendall(msg(VMC_DATA, b"alive"))
    ok(read_data(w0, 5) == b"alive", "other channels work meanwhile")
    rst(u1)             # unread, it is seen leaving by its reset
    ok(srv.read_lines_until(lambda l: l == "vmc-client usbredir 1 0", 10),
       "the flooding client leaving frees usbredir 1")

    # a real client: spice-gtk's PortChannel
    from scclient import S, GLib, gconnect  # noqa: E402
    sess = S.Session()
    sess.props.host = "127.0.0.1"
    sess.props.port = str(srv.port)
    got = {"data": bytearray(), "ch": None}

    def on_new(s, ch):
        if isinstance(ch, S.PortChannel) and \
                ch.props.channel_type == PORT and ch.props.channel_id == 1:
            got["ch"] = ch
            gconnect(ch, "port-data",
                     lambda c, p, n: got["data"].extend(
                         ctypes.string_at(p, n)))
            ch.connect()
    gconnect(sess, "channel-new", on_new)
    sess.connect()
    ctx = GLib.MainContext.default()
    payload = rng.randbytes(100000)
    deadline = GLib.get_monotonic_time() + 30 * 1000000
    sent = False
    while GLib.get_monotonic_time() < deadline and \
            len(got["data"]) < len(payload):
        ctx.iteration(False)
        ch = got["ch"]
        if ch is not None and not sent and ch.props.port_name:
            ch.write_async(payload, None,
                           lambda c, res: got.update(wrote=c.write_finish(res)))
            sent = True
        if not ctx.pending():
            select.select([], [], [], 0.01)
    ch = got["ch"]
    ok(ch is not None and ch.props.port_name == "com.example.p1"
       and ch.props.port_opened, "spice-gtk: port-name and port-opened "
       "from PORT_INIT", ch and "%r %r" % (ch.props.port_name,
                                           ch.props.port_opened))
    ok(bytes(got["data"]) == payload, "spice-gtk: 100000 bytes written, "
       "the same read back", "wrote %s, got %d" % (got.get("wrote"),
                                                   len(got["data"])))
    sess.disconnect()
finally:
    stats = srv.stop()
ok(srv.proc.returncode == 0, "spice-serve exits cleanly",
   "rc %s; log tail: %s" % (srv.proc.returncode, srv.log_text()[-2000:]))
done()
