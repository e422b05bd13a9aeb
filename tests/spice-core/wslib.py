# SPDX-License-Identifier: MIT
"""A WebSocket client by hand (RFC 6455) for the spice-core tests: the
handshake, masked frames (or not, to misbehave), and SPICE bytes carried in
binary frames.  Runs under Debian's /usr/bin/python3."""
import base64
import hashlib
import os
import socket
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
CONT, TEXT, BINARY, CLOSE, PING, PONG = 0, 1, 2, 8, 9, 10


def handshake_bytes(path="/websockify", key=None, version=13,
                    protocol="binary", extra=b""):
    key = key if key is not None else base64.b64encode(os.urandom(16)).decode()
    req = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n" % (path, key))
    if version is not None:
        req += "Sec-WebSocket-Version: %d\r\n" % version
    if protocol:
        req += "Sec-WebSocket-Protocol: %s\r\n" % protocol
    return req.encode() + extra + b"\r\n", key


def accept_for(key):
    return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()


def read_head(s, limit=65536):
    """An HTTP response head (bytes up to the blank line) and what came
    after it; (b"", b"") if the server closed first."""
    buf = b""
    while b"\r\n\r\n" not in buf and len(buf) < limit:
        try:
            chunk = s.recv(4096)
        except (socket.timeout, ConnectionResetError, OSError):
            break
        if not chunk:
            break
        buf += chunk
    head, sep, rest = buf.partition(b"\r\n\r\n")
    return (head, rest) if sep else (b"", b"")


def frame(opcode, payload=b"", fin=True, mask=True, rsv=0, length=None):
    """A client frame; every field may be made wrong."""
    b0 = (0x80 if fin else 0) | rsv << 4 | opcode
    n = len(payload) if length is None else length
    mbit = 0x80 if mask else 0
    if n < 126:
        h = struct.pack("!BB", b0, mbit | n)
    elif n < 65536:
        h = struct.pack("!BBH", b0, mbit | 126, n)
    else:
        h = struct.pack("!BBQ", b0, mbit | 127, n)
    if not mask:
        return h + payload
    key = os.urandom(4)
    return h + key + bytes(c ^ key[i & 3] for i, c in enumerate(payload))


class WS:
    """A WebSocket connection to the server carrying SPICE bytes."""

    def __init__(self, sock, path="/websockify", protocol="binary"):
        self.s = sock
        req, key = handshake_bytes(path, protocol=protocol)
        self.s.sendall(req)
        self.head, self.raw = read_head(self.s)
        self.accepted = (self.head.startswith(b"HTTP/1.1 101") and
                         ("Sec-WebSocket-Accept: " + accept_for(key)).encode()
                         in self.head)
        self.data = b""
        self.events = []        # (opcode, payload) of control frames

    def send(self, data, chunk=None):
        """SPICE bytes in binary frames (of chunk bytes each)."""
        chunk = chunk or max(len(data), 1)
        for i in range(0, max(len(data), 1), chunk):
            self.s.sendall(frame(BINARY, data[i:i + chunk]))

    def _recv_raw(self):
        try:
            chunk = self.s.recv(65536)
        except (socket.timeout, ConnectionResetError, OSError):
            return False
        if not chunk:
            return False
        self.raw += chunk
        return True

    def next_frame(self):
        """(fin, opcode, payload) of the server's next frame, or None when
        the connection ends first."""
        while True:
            r = self.raw
            if len(r) >= 2:
                n, off = r[1] & 0x7f, 2
                if n == 126 and len(r) >= 4:
                    n, off = struct.unpack("!H", r[2:4])[0], 4
                elif n == 127 and len(r) >= 10:
                    n, off = struct.unpack("!Q", r[2:10])[0], 10
                if (r[1] & 0x7f) < 126 or off > 2:
                    if r[1] & 0x80:
                        raise AssertionError("server frame is masked")
                    if len(r) >= off + n:
                        self.raw = r[off + n:]
                        return bool(r[0] & 0x80), r[0] & 0x0f, r[off:off + n]
            if not self._recv_raw():
                return None

    def recv(self, n):
        """n SPICE bytes (fewer if the connection ends)."""
        while len(self.data) < n:
            f = self.next_frame()
            if f is None:
                break
            fin, op, payload = f
            if op in (BINARY, CONT):
                self.data += payload
            else:
                self.events.append((op, payload))
                if op == CLOSE:
                    break
        out, self.data = self.data[:n], self.data[n:]
        return out

    def control(self):
        """The next control frame (opcode, payload), or None."""
        while not self.events:
            f = self.next_frame()
            if f is None:
                return None
            fin, op, payload = f
            if op in (BINARY, CONT):
                self.data += payload
            else:
                self.events.append((op, payload))
        return self.events.pop(0)


class Reader:
    """recv_exact()-like access to a WS for sclib's link helpers."""

    def __init__(self, ws):
        self.ws = ws

    def recv(self, n):
        return self.ws.recv(n)

    def sendall(self, data):
        self.ws.send(data)
