# SPDX-License-Identifier: MIT
"""A USB device that speaks the usbredir protocol, as a SPICE client's
usbredir channel would (the "usb-host" side; QEMU's usb-redir is the
"usb-guest" side).  It emulates one full-speed vendor-specific device with
device, configuration and string descriptors and a bulk IN endpoint it
never uses; enough for a guest to enumerate it.

The byte stream: a header {type u32, length u32, id}, a fixed type
header for the type, then data for the data packets.  The id is a u32 in
the hello packets (neither side knows the other's caps yet) and a u64
after them (both sides have the 64-bit ids cap).  We offer the caps QEMU's usb-redir wants behind an XHCI
controller (ep_info max packet size, 32-bit bulk length, 64-bit ids) and
the device version in device_connect.  Facts from usbredirproto.h
(libusbredirparser-dev)."""
import struct

# packet types
HELLO, DEVICE_CONNECT, DEVICE_DISCONNECT, RESET = 0, 1, 2, 3
INTERFACE_INFO, EP_INFO = 4, 5
SET_CONFIGURATION, GET_CONFIGURATION, CONFIGURATION_STATUS = 6, 7, 8
SET_ALT_SETTING, GET_ALT_SETTING, ALT_SETTING_STATUS = 9, 10, 11
CONTROL_PACKET, BULK_PACKET = 100, 101
# caps
CAP_CONNECT_DEVICE_VERSION, CAP_EP_INFO_MAX_PACKET_SIZE = 1, 4
CAP_64BITS_IDS, CAP_32BITS_BULK_LENGTH = 5, 6
CAPS = 1 << CAP_CONNECT_DEVICE_VERSION | 1 << CAP_EP_INFO_MAX_PACKET_SIZE | \
    1 << CAP_64BITS_IDS | 1 << CAP_32BITS_BULK_LENGTH
HEADER_HELLO, HEADER = 12, 16
# status
SUCCESS, STALL = 0, 4
SPEED_FULL = 1
TYPE_CONTROL, TYPE_BULK, TYPE_INVALID = 0, 2, 255

VENDOR, PRODUCT = 0x1209, 0x7013
STRINGS = {1: "qxl-ng", 2: "qxl-ng usbredir test", 3: "13"}

# fixed header length of each type we may receive (with our caps and the
# peer's: QEMU has them all; a cap counts only when both sides have it)
TYPE_HEADER = {HELLO: 64, DEVICE_CONNECT: 10, DEVICE_DISCONNECT: 0, RESET: 0,
               INTERFACE_INFO: 132, EP_INFO: 160, SET_CONFIGURATION: 1,
               GET_CONFIGURATION: 0, CONFIGURATION_STATUS: 2,
               SET_ALT_SETTING: 2, GET_ALT_SETTING: 1,
               ALT_SETTING_STATUS: 3, CONTROL_PACKET: 10, BULK_PACKET: 10}


def device_descriptor():
    return struct.pack("<BBHBBBBHHHBBBB", 18, 1, 0x0200, 0xff, 0, 0, 64,
                       VENDOR, PRODUCT, 0x0100, 1, 2, 3, 1)


def config_descriptor():
    iface = struct.pack("<BBBBBBBBB", 9, 4, 0, 0, 1, 0xff, 0, 0, 0)
    ep = struct.pack("<BBBBHB", 7, 5, 0x81, 2, 64, 0)
    total = 9 + len(iface) + len(ep)
    return struct.pack("<BBHBBBBB", 9, 2, total, 1, 1, 0, 0x80, 50) + \
        iface + ep


def string_descriptor(index):
    if index == 0:
        return bytes([4, 3, 0x09, 0x04])
    s = STRINGS.get(index)
    if s is None:
        return None
    raw = s.encode("utf-16-le")
    return bytes([2 + len(raw), 3]) + raw


def packet(ptype, type_header=b"", data=b"", pid=0):
    body = type_header + data
    if ptype == HELLO:
        return struct.pack("<III", ptype, len(body), pid) + body
    return struct.pack("<IIQ", ptype, len(body), pid) + body


class Device:
    """Feed it the bytes the guest side sends (feed()); it returns what the
    device answers.  log collects what happened, for a failing test."""

    def __init__(self):
        self.buf = b""
        self.log = []
        self.peer_hello = None
        self.config = 0
        self.requests = []          # (requesttype, request, value, index)

    def connect_packets(self):
        """hello, interface and endpoint info, device_connect."""
        out = packet(HELLO, b"qxl-ng usbredir test device".ljust(64, b"\0"),
                     struct.pack("<I", CAPS))
        info = struct.pack("<I", 1) + bytes([0] * 32) + \
            bytes([0xff] + [0] * 31) + bytes(32) + bytes(32)
        out += packet(INTERFACE_INFO, info)
        types = [TYPE_INVALID] * 32
        types[0] = types[16] = TYPE_CONTROL
        types[17] = TYPE_BULK          # 0x81: index 16 + 1
        ifaces = [0] * 32
        mps = [0] * 32
        mps[0] = mps[16] = mps[17] = 64
        out += packet(EP_INFO, bytes(types) + bytes(32) + bytes(ifaces) +
                      struct.pack("<32H", *mps))
        out += packet(DEVICE_CONNECT,
                      struct.pack("<BBBBHHH", SPEED_FULL, 0xff, 0, 0,
                                  VENDOR, PRODUCT, 0x0100))
        return out

    def disconnect_packet(self):
        return packet(DEVICE_DISCONNECT)

    def feed(self, data):
        self.buf += data
        out = b""
        while True:
            n = HEADER if self.peer_hello is not None else HEADER_HELLO
            if len(self.buf) < n:
                break
            if n == HEADER:
                ptype, length, pid = struct.unpack("<IIQ", self.buf[:n])
            else:
                ptype, length, pid = struct.unpack("<III", self.buf[:n])
            if len(self.buf) < n + length:
                break
            body = self.buf[n:n + length]
            self.buf = self.buf[n + length:]
            hlen = TYPE_HEADER.get(ptype, 0)
            out += self.handle(ptype, pid, body[:hlen], body[hlen:])
        return out

    def handle(self, ptype, pid, hdr, data):
        if ptype == HELLO:
            self.peer_hello = hdr.split(b"\0")[0].decode(errors="replace")
            caps = struct.unpack("<I", data[:4])[0] if len(data) >= 4 else 0
            self.log.append("hello from %r, caps %#x" % (self.peer_hello,
                                                        caps))
            if caps & CAPS != CAPS:
                self.log.append("the peer lacks caps %#x: our headers "
                                "are wrong for it" % (CAPS & ~caps))
            return b""
        if ptype == SET_CONFIGURATION:
            self.config = hdr[0]
            self.log.append("set_configuration %d" % hdr[0])
            return packet(CONFIGURATION_STATUS, bytes([SUCCESS, self.config]),
                          pid=pid)
        if ptype == GET_CONFIGURATION:
            return packet(CONFIGURATION_STATUS, bytes([SUCCESS, self.config]),
                          pid=pid)
        if ptype == SET_ALT_SETTING:
            return packet(ALT_SETTING_STATUS, bytes([SUCCESS, hdr[0], hdr[1]]),
                          pid=pid)
        if ptype == GET_ALT_SETTING:
            return packet(ALT_SETTING_STATUS, bytes([SUCCESS, hdr[0], 0]),
                          pid=pid)
        if ptype == CONTROL_PACKET:
            return self.control(pid, hdr)
        self.log.append("packet type %d ignored" % ptype)
        return b""

    def control(self, pid, hdr):
        ep, req, rtype, _, value, index, length = \
            struct.unpack("<BBBBHHH", hdr)
        self.requests.append((rtype, req, value, index))
        reply = None
        if rtype == 0x80 and req == 6:              # GET_DESCRIPTOR
            kind, idx = value >> 8, value & 0xff
            if kind == 1:
                reply = device_descriptor()
            elif kind == 2 and idx == 0:
                reply = config_descriptor()
            elif kind == 3:
                reply = string_descriptor(idx)
        elif rtype == 0x80 and req == 0:            # GET_STATUS
            reply = b"\0\0"
        elif not rtype & 0x80:                       # other OUT: accept
            reply = b""
        if reply is None:
            self.log.append("control %02x %02x %04x stalled"
                            % (rtype, req, value))
            return packet(CONTROL_PACKET, struct.pack(
                "<BBBBHHH", ep, req, rtype, STALL, value, index, 0), pid=pid)
        reply = reply[:length] if rtype & 0x80 else b""
        return packet(CONTROL_PACKET, struct.pack(
            "<BBBBHHH", ep, req, rtype, SUCCESS, value, index, len(reply)),
            reply, pid=pid)
