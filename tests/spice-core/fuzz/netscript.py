#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Inputs for the spice-core-net fuzz target (fuzz_net.c), written as
scripts: this module assembles the byte language fuzz_net.c reads, and run
as a program writes the seed inputs of fuzz/corpus/net (seed-*; the
inputs of past findings, regress-*, are kept as found).

  netscript.py [DIR]     write the seeds into DIR (default: corpus/net
                         next to this file)"""
import os
import struct
import sys

# fuzz_net.c: input byte 0 (configuration).
TLS, TICKET, MAX_CLIENTS, EXCLUSIVE, RAW_ONLY, TWO_DISPLAYS, SECURE, NAME = \
    (1 << i for i in range(8))
# Steps: op byte = hold << 7 | slot << 4 | op.
(OPEN, OPEN_TLS, LINK, AUTH, MSG, AGENT, RAW, REPEAT, FLUSH, HALF_CLOSE, RST,
 CLOSE, DRAIN, PUMP, HOST, SESSION) = range(16)
# LINK channel selectors (fuzz_net.c channel_types).
MAIN, DISPLAY, INPUTS, CURSOR = 0, 1, 2, 3
PLAYBACK, RECORD = 6, 7
USBREDIR, PORT = 8, 9           # fuzz_net.c: usbredir 0, org.fuzz.port0
# Display channel caps: MONITORS_CONFIG (1), LZ4 (5), PREF_COMPRESSION (6),
# MULTI_CODEC (8), CODEC_MJPEG (9).
DISPLAY_CAPS = 1 << 1 | 1 << 5 | 1 << 6 | 1 << 8 | 1 << 9
# OPEN / OPEN_TLS mode and SESSION's (shifted left by one): WebSocket,
# frame size selector (bits 1-3), fragmented (bit 4); on the TLS port: no
# handshake, bytes in plain text (bit 5), writes beneath TLS after the
# handshake (bit 6).
WS, TLS_PLAIN, TLS_UNDER = 1, 1 << 5, 1 << 6


def u16(v):
    return struct.pack("<H", v & 0xffff)


def u32(v):
    return struct.pack("<I", v & 0xffffffff)


def op(slot, code, hold=False):
    """An op byte; hold: the server does not run after this step."""
    return bytes([slot << 4 | code | (0x80 if hold else 0)])


def link_args(ctype, cid=0, join=None, caps=0, flags=0):
    """LINK's arguments: channel selector, id, flags (bit 0: no auth
    selection, bit 1: full headers, 0x80: any id), which session to join
    (None: 0; n: the n-th newest), channel caps."""
    who = 0 if join is None else 16 + join
    return bytes([ctype, cid, flags, who]) + u32(caps)


def auth_args(mode=0):
    """AUTH's arguments: 0 garbage ticket, 1 the right password."""
    return bytes([mode])


def session(slot, ctype, tls=False, join=None, caps=0, auth=0, cid=0, ws=0):
    """Open (ws: a WebSocket mode), link and authenticate in one step."""
    return op(slot, SESSION) + bytes([int(tls) | ws << 1]) + \
        link_args(ctype, cid, join, caps) + auth_args(auth)


def msg(slot, mtype, body=b"", flush=True):
    """A framed message of any type (flags: type given, u16 length),
    written at once unless flush is False (then it waits for a FLUSH)."""
    return op(slot, MSG) + bytes([0, 1 | 2]) + u16(mtype) + u16(len(body)) + \
        body + (op(slot, FLUSH) if flush else b"")


def agent(slot, vtype, body, chunk=16):
    """A VD agent message (raw body), in AGENT_DATA chunks of
    1 + chunk * 128 bytes."""
    return op(slot, AGENT) + bytes([1 | 2 | 8]) + u32(vtype) + bytes([chunk]) + \
        u16(len(body)) + body


def monitors(slot, heads):
    """VD_AGENT_MONITORS_CONFIG with heads (w, h, x, y), any values (flags
    4: u32 sizes; type 1 + 1; chunks of 1 + 15 * 128 bytes)."""
    b = op(slot, AGENT) + bytes([4, 1, 15, len(heads), 0])
    for w, h, x, y in heads:
        b += u32(h) + u32(w) + u32(x) + u32(y)
    return b


def raw(slot, data):
    """Bytes on the wire at once (at most 255)."""
    return op(slot, RAW) + bytes([len(data)]) + data


def host(what, arg=0, rest=b""):
    return op(0, HOST) + bytes([what, arg]) + rest


def pump(n=8):
    return op(0, PUMP) + bytes([n])


def all_channels(tls=False, auth=0, ws=0):
    """A session with every channel, as spice-gtk opens it."""
    return (session(0, MAIN, tls, auth=auth, ws=ws) + msg(0, 104) + pump(16) +
            session(1, DISPLAY, tls, join=0, caps=DISPLAY_CAPS, auth=auth, ws=ws) +
            session(2, INPUTS, tls, join=0, auth=auth, ws=ws) +
            session(3, CURSOR, tls, join=0, auth=auth, ws=ws) + pump(32))


ANNOUNCE = u32(1) + u32(1 << 1 | 1 << 3)

# Seamless migration data (spice-core/wire/migdata.h).
MIG_MAGIC, MIG_VERSION = 0x474d5851, 0x716e0001
MAIN_TYPE, DISPLAY_TYPE = 1, 2          # SPICE_CHANNEL_MAIN, _DISPLAY


def mig_blob(ctype, body):
    return struct.pack("<IIBB", MIG_MAGIC, MIG_VERSION, ctype, len(body)) + body
AUDIO = 0x40                    # second config byte: audio on
SEEDS = {
    "seed-audio": bytes([0, AUDIO]) + session(0, MAIN) + msg(0, 104) +
    pump(16) + session(1, PLAYBACK, join=0, caps=1 << 1) +
    session(2, RECORD, join=0, caps=1 << 1) + pump(16) +
    msg(2, 102, u32(0) + u16(1)) + msg(2, 103, u32(0)) +
    msg(2, 101, u32(0) + bytes(64)) + host(12, 5) + pump(32) +
    host(12, 0x45) + pump(32) + msg(2, 101, u32(0) + bytes(5)) + pump(16),
    "seed-all-channels": bytes([0, 0]) + all_channels() +
    msg(2, 101, u32(0x1e)) + msg(2, 102, u32(0x9e)) +
    msg(2, 111, struct.pack("<iiH", 5, -5, 1)) + msg(1, 2) + host(12) + pump(32),
    "seed-all-channels-tls": bytes([TLS, 0]) + all_channels(tls=True) +
    host(12) + pump(32),
    "seed-password": bytes([TICKET, 0]) + all_channels(auth=1) + host(0, 0,
                                                                      u32(1) + u32(2) + u32(30) + u32(20)),
    # The guest's agent port (host op 13): opens (taking 256 bytes), the
    # client starts its stream and announces, the guest sends a message
    # for the client and one for the server, the owner leaves for a
    # second client, the port closes.
    "seed-guest-agent": bytes([0, 0]) + session(0, MAIN) + msg(0, 104) +
    pump(16) + host(13, 0, bytes([4])) + pump(8) + msg(0, 106, u32(10)) +
    agent(0, 1, ANNOUNCE) + pump(16) +
    host(13, 8, bytes([28]) + u32(1) + u32(1) + bytes(8) + u32(8) +
         ANNOUNCE) + pump(16) + host(13, 4, bytes([8])) +
    host(13, 8 | 16, bytes([20]) + u32(1) + u32(2) + bytes(12)) +
    session(1, MAIN) + pump(16) + op(0, CLOSE) + pump(32) +
    msg(1, 106, u32(10)) + host(13, 2) + pump(32),
    # A guest agent announcing VD_AGENT_CAP_GRAPHICS_DEVICE_INFO (in two
    # chunks for the client's port) gets the device info; the second
    # display goes and comes back with another one (sent again).
    "seed-guest-agent-device-info": bytes([0x20, 0]) + session(0, MAIN) +
    msg(0, 104) + pump(16) + host(13, 0, bytes([16])) + pump(8) +
    msg(0, 106, u32(10)) + pump(8) + host(13, 8, bytes([12]) + u32(1) + u32(6) + bytes(4)) +
    host(13, 8, bytes([16]) + bytes(4) + u32(8) + u32(1) + u32(1 << 15)) +
    pump(16) + host(11, 1) + pump(8) +
    host(11, 1 | 2, bytes([20, 3, 0, 5])) + pump(16) +
    host(13, 4, bytes([16])) + pump(16),
    "seed-agent": bytes([0, 0]) + session(0, MAIN) + msg(0, 106, u32(10)) +
    agent(0, 6, ANNOUNCE) + monitors(0, [(640, 480, 0, 0), (800, 600, 640, 0)]) +
    op(0, FLUSH) + pump(16),
    "seed-websocket": bytes([0, 0]) + all_channels(ws=WS | 3 << 1) +
    msg(1, 103, bytes([8])) + msg(2, 113, struct.pack("<BH", 1, 1)) +
    msg(2, 114, struct.pack("<BH", 1, 0)) + host(12) + pump(32),
    "seed-websocket-tls-fragmented": bytes([TLS, 0]) +
    all_channels(tls=True, ws=WS | 1 << 1 | 16) + host(12) + pump(32),
    "seed-display-messages": bytes([0, 0]) + all_channels() +
    msg(1, 101, struct.pack("<BqBi", 1, 1 << 20, 0, 1 << 16)) + msg(1, 103, bytes([1])) +
    msg(1, 103, bytes([9])) + msg(1, 102, bytes(20)) + msg(1, 105, bytes([1, 1])) +
    host(12) + msg(1, 2) + host(12) + pump(32),
    "seed-pipelined-tls-agent-start": bytes([TLS, 0]) + op(0, OPEN_TLS) + bytes([0]) +
    op(0, LINK) + link_args(MAIN) + op(0, AUTH) + auth_args(0) +
    msg(0, 106, u32(10), False) + agent(0, 6, ANNOUNCE) + op(0, FLUSH) + pump(32),
    "seed-reset-during-mouse-mode": bytes([0, 0x80]) + session(0, MAIN) +
    session(1, MAIN) + session(2, MAIN) + msg(0, 105, u16(2), False) +
    op(1, RST, True) + op(2, RST, True) + op(0, FLUSH) + pump(16),
    "seed-exclusive": bytes([EXCLUSIVE, 0]) + all_channels() + session(4, MAIN) +
    pump(32),
    "seed-max-clients": bytes([MAX_CLIENTS, 0]) + session(0, MAIN) +
    session(1, MAIN) + session(2, MAIN) + session(3, MAIN) + pump(16),
    "seed-host-changes": bytes([TWO_DISPLAYS, 0x31]) + all_channels() +
    host(1, 0, bytes([3])) + host(3, 0, bytes([15, 15, 1, 2])) +
    host(4, 0, u32(10) + u32(0xfffffff0)) + host(6, 0, bytes([2]) + u32(0) + u32(0) +
                                                 u16(64) + u16(48) + u32(64) + u32(0) + u16(64) + u16(48)) +
    host(11, 1) + host(5) + host(2) + host(1, 0, bytes([0x84])) + pump(32),
    "seed-monitors-int32-extremes": bytes([0, 0]) + session(0, MAIN) +
    msg(0, 106, u32(10)) + monitors(0, [(640, 480, 0x7fffffff, 0x7fffffff),
                                        (800, 600, 0x80000000, 0x80000000)]) +
    op(0, FLUSH) + pump(16),
    "seed-inputs-flood-no-read": bytes([0, 0]) + all_channels() + op(2, DRAIN) +
    msg(2, 111, struct.pack("<iiH", 1, 1, 0), False) + op(2, REPEAT) + bytes([255]) +
    op(2, FLUSH) + host(12) + pump(32),
    "seed-tls-port-plaintext": bytes([TLS, 0]) + op(0, OPEN_TLS) + bytes([TLS_PLAIN]) +
    raw(0, b"REDQ" + u32(2) + u32(2) + u32(26)) + op(1, OPEN_TLS) + bytes([TLS_PLAIN]) +
    raw(1, b"\x16\x03\x01\x00\x30\x01\x00\x00\x2c\x03\x03" + bytes(40)) +
    op(1, RST) + all_channels() + pump(32),
    # The pass-through channels (host op 14: arg bit 0 picks usbredir 0
    # or port 0, bits 1-2 the change): the device takes 1 KiB, the client
    # sends data, the guest writes, a port event both ways, the port
    # closes, compressed data drops the client, another takes the
    # channel, the device goes and comes back.
    "seed-usbredir": bytes([0, 0]) + session(0, MAIN) + msg(0, 104) +
    pump(16) + session(1, USBREDIR, join=0) + session(2, PORT, join=0) +
    pump(16) + host(14, 2, bytes([4])) + msg(1, 101, bytes(range(200))) +
    host(14, 0, bytes([16]) + bytes(range(16))) + pump(16) +
    host(14, 1 | 4 | 8) + msg(2, 201, bytes([2])) + msg(2, 101, b"port") +
    host(14, 1 | 2, bytes([1])) + host(14, 1, bytes([3]) + b"abc") +
    host(14, 1 | 4) + pump(16) + msg(1, 102, bytes(8)) + pump(16) +
    session(3, USBREDIR, join=0) + pump(16) + host(14, 6) + pump(32),
    # A client floods usbredir 0 while the device takes nothing: its input
    # is held; then the device takes some and the rest flows.
    "seed-usbredir-flood": bytes([0, 0]) + session(0, MAIN) + pump(16) +
    session(1, USBREDIR, join=0) + pump(8) +
    op(1, MSG) + bytes([0, 1 | 2 | 4]) + u16(101) + u16(60000) +
    op(1, REPEAT) + bytes([4]) +
    op(1, FLUSH) + pump(32) + host(14, 2, bytes([255])) + pump(32) +
    host(14, 0, bytes([255]) + bytes(255)) + pump(32),
    # Client migration (host op 15: arg 0 begin, 1 switch, 2 cancel):
    # messages out of order (MIGRATE_CONNECTED and MIGRATE_END before any
    # BEGIN), a semi-seamless client connects after BEGIN, the switch
    # sends MIGRATE_END; a client linking main with a connection id (a
    # migrating one) and a display to its session, held until its
    # MIGRATE_END; then a cancel with nothing begun.
    "seed-migration": bytes([0, 0]) + session(0, MAIN, caps=1) +
    msg(0, 104) + pump(16) + msg(0, 102) + msg(0, 109) + host(15, 0) +
    pump(16) + msg(0, 103) + host(15, 0) + pump(8) + msg(0, 102) +
    host(15, 1) + pump(16) + op(1, SESSION) + bytes([0, MAIN, 0, 0, 0xff]) +
    u32(0x5eed) + u32(1) + auth_args() + msg(1, 104) + msg(1, 106, u32(10)) +
    pump(8) + session(2, DISPLAY, join=0, caps=DISPLAY_CAPS) + pump(8) +
    host(12) + msg(1, 109) + pump(16) + msg(1, 109) + host(15, 2) +
    pump(32),
    # Seamless migration (input byte 1, 0x20: on): the source side (a
    # client with the seamless cap answers CONNECTED_SEAMLESS, the switch
    # sends SPICE_MSG_MIGRATE, its FLUSH_MARKs get the migration data),
    # then the target side (a migrating main channel asks DO_SEAMLESS,
    # a held display gets its data; main's data; data once more on the
    # running display drops it).
    "seed-seamless-migration": bytes([0, 0x20]) +
    session(0, MAIN, caps=1 | 1 << 3) + msg(0, 104) + pump(16) +
    session(1, DISPLAY, join=0, caps=DISPLAY_CAPS) + pump(16) +
    host(15, 0) + pump(8) + msg(0, 111) + host(15, 1) + pump(8) +
    msg(1, 4) + msg(0, 4) + pump(16) +
    op(2, SESSION) + bytes([0, MAIN, 0, 0, 0xff]) + u32(0x5eed) + u32(1) +
    auth_args() + msg(2, 110, u32(MIG_VERSION)) + pump(8) +
    session(3, DISPLAY, join=0, caps=DISPLAY_CAPS) + pump(8) +
    msg(3, 5, mig_blob(DISPLAY_TYPE, struct.pack("<BIIqBB", 1, 64, 48,
                                                 1 << 20, 0, 1))) +
    pump(16) + msg(2, 5, mig_blob(MAIN_TYPE, b"\x01")) + pump(16) +
    msg(3, 5, mig_blob(DISPLAY_TYPE, b"")) + pump(32),
    # Copies (host op 12, arg bit 7: x, y, w, h, sx, sy bytes, each
    # modulo 208 or 108, less 4 for positions) on a 200x100 primary
    # (host op 1, size 3): a 120x60 block moved twice (its second source
    # the first's destination: stale in the shadow), the strip it
    # uncovers damaged, a small copy out of it; a second client joins
    # between.
    "seed-display-copies": bytes([0, 0]) + all_channels() +
    host(1, 0, bytes([3])) + pump(32) + host(12) + pump(32) + host(12, 0x80, bytes([32, 18, 120, 60, 24, 14])) +
    host(0, 0, u32(20) + u32(10) + u32(8) + u32(60)) + pump(16) +
    session(4, MAIN) + msg(4, 104) + pump(16) +
    session(5, DISPLAY, join=0, caps=DISPLAY_CAPS) + pump(32) +
    host(12, 0x80, bytes([40, 22, 120, 60, 32, 18])) + pump(8) +
    host(12, 0x80, bytes([12, 84, 8, 4, 44, 30])) +
    host(0, 0, u32(40) + u32(40) + u32(30) + u32(30)) + pump(32),
    "seed-tls-garbage-records": bytes([TLS, 0]) +
    session(0, MAIN, tls=True, ws=TLS_UNDER) + raw(0, b"\x17\x03\x03\x00\x20" + bytes(range(32))) +
    session(1, MAIN, tls=True) + session(2, DISPLAY, tls=True, join=0, caps=DISPLAY_CAPS) +
    host(12) + pump(32),
}


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "net")
    os.makedirs(d, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
