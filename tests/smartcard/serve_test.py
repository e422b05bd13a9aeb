#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The smartcard channel of spice-core without a VM: spice-serve --vmc
smartcard gives it an echoing device (tools/vmc-echo.c), so every VSC
message the server writes to the device (big-endian headers) comes back
to it and is sent to the client again (little-endian).  Checked on the
wire: CHANNELS_LIST, ReaderAdd rewritten to a bare ReaderAdd for reader
0, an APDU and an Error code round trip, the server's own errors
(a second ReaderAdd, another reader id, ReaderRemove of no reader), Init
and unknown types ignored, and hostile clients: a header length that lies,
a body shorter than a header, a message over 64 KiB, garbage, and a client
that floods without reading; each is dropped alone and the channel serves
the next client."""
import os
import random
import select
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from vsclib import (APDU, ATR, CANNOT_ADD_MORE_READERS, DATA,  # noqa: E402
                    ERROR, GENERAL_ERROR, INIT, READER_ADD, READER_REMOVE,
                    SMARTCARD, UNDEFINED, connect, error_payload,
                    main_session, read_vsc, vsc)
from sclib import (MAIN, Server, closed, done, msg, ok, rst,  # noqa: E402
                   sanitizer_clean, session_id)


def reconnect(port, sid, srv):
    s = connect(port, SMARTCARD, 0, sid)
    srv.read_lines_until(lambda l: l == "vmc-client smartcard 0 1", 10)
    return s


srv = Server("--pattern", "solid", "--port", "0", "--disable-ticketing",
             "--vmc", "smartcard")
rng = random.Random(13)
try:
    main, sid, pairs = main_session(srv.port)
    ok((SMARTCARD, 0) in pairs, "CHANNELS_LIST has smartcard 0",
       "got %s" % sorted(pairs))
    s = connect(srv.port, SMARTCARD, 0, sid)
    ok(srv.read_lines_until(lambda l: l == "vmc-client smartcard 0 1", 10),
       "the device hears a client took the smartcard channel")

    s.sendall(vsc(READER_ADD, UNDEFINED, b"Test Reader\0"))
    got = read_vsc(s)
    ok(got == (READER_ADD, 0, 0, b""), "ReaderAdd reaches the device as a "
       "bare ReaderAdd for reader 0 (its echo: type 3, reader 0, length 0)",
       "got %r" % (got,))

    apdu = bytes([0x00, 0xa4, 0x04, 0x00, 0x07]) + rng.randbytes(7)
    s.sendall(vsc(APDU, 0, apdu))
    got = read_vsc(s)
    ok(got == (APDU, 0, len(apdu), apdu), "an APDU for reader 0 goes to the "
       "device and its echo back, header and payload intact",
       "got %r" % (got,))
    atr = bytes([0x3b, 0x95, 0x13, 0x81, 0x01, 0x80, 0x73, 0xff, 0x01, 0x00,
                 0x0b])
    s.sendall(vsc(ATR, 0, atr))
    ok(read_vsc(s) == (ATR, 0, len(atr), atr), "an ATR likewise")
    s.sendall(vsc(ERROR, 0, error_payload(0x01020304)))
    got = read_vsc(s)
    ok(got == (ERROR, 0, 4, error_payload(0x01020304)), "an Error's code "
       "comes back in the client's byte order (turned around both ways)",
       "got %r" % (got,))

    s.sendall(vsc(READER_ADD, UNDEFINED, b"second\0"))
    got = read_vsc(s)
    ok(got == (ERROR, UNDEFINED, 4, error_payload(CANNOT_ADD_MORE_READERS)),
       "a second ReaderAdd: VSC_Error CANNOT_ADD_MORE_READERS from the "
       "server", "got %r" % (got,))
    s.sendall(vsc(APDU, 5, apdu))
    got = read_vsc(s)
    ok(got == (ERROR, 5, 4, error_payload(GENERAL_ERROR)), "an APDU for "
       "reader 5: VSC_Error GENERAL_ERROR, nothing to the device",
       "got %r" % (got,))
    s.sendall(vsc(INIT, UNDEFINED, bytes(12)) + vsc(99, 0, b"x" * 40) +
              vsc(APDU, 0, b"after"))
    got = read_vsc(s)
    ok(got == (APDU, 0, 5, b"after"), "Init and an unknown type (99) are "
       "ignored: the next thing back is the APDU after them",
       "got %r" % (got,))
    ok("VSC type 99 from the client ignored" in srv.log_text(),
       "the log names the unknown type")
    s.sendall(vsc(READER_REMOVE, 0))
    got = read_vsc(s)
    ok(got == (READER_REMOVE, 0, 0, b""), "ReaderRemove reaches the device",
       "got %r" % (got,))
    s.sendall(vsc(READER_REMOVE, 0))
    got = read_vsc(s)
    ok(got == (ERROR, 0, 4, error_payload(GENERAL_ERROR)), "ReaderRemove "
       "with no reader added: VSC_Error GENERAL_ERROR", "got %r" % (got,))

    # one client: a second session's link is dropped
    main2 = connect(srv.port, MAIN, 0, 0)
    s2 = connect(srv.port, SMARTCARD, 0, session_id(main2), check=False)
    ok(closed(s2), "a second client's link of smartcard 0 is dropped")
    main2.close()
    s.sendall(vsc(APDU, 0, b"still"))
    ok(read_vsc(s) == (APDU, 0, 5, b"still"), "the first keeps the channel")

    # hostile clients, each dropped alone
    s.sendall(vsc(APDU, 0, b"abcd", length=100))
    ok(closed(s), "a header length (100) that is not the payload's (4) "
       "drops the client")
    ok("VSC length 100, the message has 4 payload bytes" in srv.log_text(),
       "the log says why")
    s = reconnect(srv.port, sid, srv)
    s.sendall(msg(DATA, bytes(8)))
    ok(closed(s), "a body shorter than a VSC header drops the client")
    s = reconnect(srv.port, sid, srv)
    s.sendall(vsc(APDU, 0, bytes(64 * 1024)))
    ok(closed(s), "a message over 64 KiB drops the client")
    s = reconnect(srv.port, sid, srv)
    for _ in range(200):
        t = rng.choice([INIT, ERROR, READER_ADD, READER_REMOVE, ATR, APDU,
                        8, 9, 77, 0xffffffff])
        s.sendall(vsc(t, rng.choice([0, 1, UNDEFINED]),
                      rng.randbytes(rng.randrange(0, 300))))
    s.sendall(vsc(APDU, 0, b"sane"))
    seen = None
    for _ in range(1000):
        got = read_vsc(s)
        if got is None or got[3] == b"sane":
            seen = got
            break
    ok(seen == (APDU, 0, 4, b"sane"), "200 random well-framed VSC messages "
       "of every type: the channel still echoes", "last %r" % (seen,))
    s.close()
    srv.read_lines_until(lambda l: l == "vmc-client smartcard 0 0", 10)

    # a client that floods and never reads: the echo piles up for it
    f = reconnect(srv.port, sid, srv)
    m = vsc(APDU, 0, bytes(32000))
    f.setblocking(False)
    sent = 0
    while sent < 64 << 20:
        _, w, _ = select.select([], [f], [], 2.0)
        if not w:
            break
        try:
            sent += f.send(m)
        except (BlockingIOError, ConnectionError):
            break
    ok(sent < 64 << 20, "a client that floods without reading stops "
       "being read or is dropped (%d KiB taken)" % (sent >> 10))
    rst(f)
    ok(srv.read_lines_until(lambda l: l == "vmc-client smartcard 0 0", 20),
       "the flooding client is gone")
    s = reconnect(srv.port, sid, srv)
    s.sendall(vsc(READER_ADD, UNDEFINED, b"again\0") + vsc(APDU, 0, b"ok"))
    got = []
    while len(got) < 10:
        got.append(read_vsc(s))
        if got[-1] is None or got[-1][3] == b"ok":
            break
    old = got[:-2]
    ok(got[-2:] == [(READER_ADD, 0, 0, b""), (APDU, 0, 2, b"ok")] and
       len(old) <= 1 and all(m[:3] == (APDU, 0, 32000) for m in old),
       "a new client gets its ReaderAdd and APDU back, after at most the "
       "one old message the device was in the middle of (%d)" % len(old),
       "got %r" % [g[:3] if g else g for g in got])
    main.close()
finally:
    stats = srv.stop()
ok(srv.proc.returncode == 0, "spice-serve exits cleanly",
   "rc %s; log tail: %s" % (srv.proc.returncode, srv.log_text()[-2000:]))
ok(sanitizer_clean(srv.log_text()), "no sanitizer report (under the ASan "
   "build)", srv.log_text()[-3000:])
done()
