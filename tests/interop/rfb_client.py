"""rfb_client.py: a minimal VNC (RFB 3.8) client that stays connected.

gvnccapture takes one picture per connection, and QEMU's VNC server sends a
new client the whole console, so it cannot tell whether the display device
reports its damage.  This client keeps one connection open and follows the
screen through incremental updates, as a VNC viewer does:

    c = RfbClient("127.0.0.1", 5910)
    img = c.follow(until=lambda img: img == want, timeout=10)

Security type None only; 32 bpp true colour; Raw encoding plus the
DesktopSize pseudo-encoding (mode changes).  Returns PIL RGB images.
"""

import select
import socket
import struct
import time

from PIL import Image

RAW = 0
DESKTOP_SIZE = -223


class RfbError(Exception):
    pass


class RfbClient:
    def __init__(self, host, port, timeout=30):
        self.sock = socket.create_connection((host, port), timeout)
        self.sock.settimeout(timeout)
        self._handshake()

    def _recv(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RfbError("server closed the connection")
            data += chunk
        return data

    def _handshake(self):
        version = self._recv(12)
        if not version.startswith(b"RFB 003."):
            raise RfbError("not an RFB server: %r" % version)
        self.sock.sendall(b"RFB 003.008\n")
        n = self._recv(1)[0]
        if n == 0:
            size = struct.unpack(">I", self._recv(4))[0]
            raise RfbError("refused: %r" % self._recv(size))
        types = self._recv(n)
        if 1 not in types:
            raise RfbError("no security type None offered: %r" % types)
        self.sock.sendall(b"\x01")
        if struct.unpack(">I", self._recv(4))[0] != 0:
            raise RfbError("security handshake failed")
        self.sock.sendall(b"\x01")                      # ClientInit: shared
        w, h = struct.unpack(">HH", self._recv(4))
        self._recv(16)                                  # server's format
        name_len = struct.unpack(">I", self._recv(4))[0]
        self.name = self._recv(name_len).decode("utf-8", "replace")
        # SetPixelFormat: 32 bpp, depth 24, little endian, true colour,
        # red/green/blue max 255 at shifts 16/8/0 (bytes B, G, R, X).
        self.sock.sendall(struct.pack(">B3xBBBBHHHBBB3x", 0, 32, 24, 0, 1,
                                      255, 255, 255, 16, 8, 0))
        encodings = (RAW, DESKTOP_SIZE)
        self.sock.sendall(struct.pack(">BxH%di" % len(encodings), 2,
                                      len(encodings), *encodings))
        self._resize(w, h)
        self._request(False)

    def _resize(self, w, h):
        self.width, self.height = w, h
        self.fb = bytearray(w * h * 4)

    def _request(self, incremental):
        self.sock.sendall(struct.pack(">BBHHHH", 3, 1 if incremental else 0,
                                      0, 0, self.width, self.height))

    def _read_message(self):
        """Read one server message; True if it was a frame buffer update."""
        kind = self._recv(1)[0]
        if kind == 0:
            self._recv(1)
            n = struct.unpack(">H", self._recv(2))[0]
            for _ in range(n):
                x, y, w, h, enc = struct.unpack(">HHHHi", self._recv(12))
                if enc == RAW:
                    self._raw(x, y, w, h)
                elif enc == DESKTOP_SIZE:
                    self._resize(w, h)
                else:
                    raise RfbError("unexpected encoding %d" % enc)
            return True
        if kind == 1:                                   # colour map
            self._recv(3)
            n = struct.unpack(">H", self._recv(2))[0]
            self._recv(6 * n)
        elif kind == 2:                                 # bell
            pass
        elif kind == 3:                                 # cut text
            self._recv(3)
            self._recv(struct.unpack(">I", self._recv(4))[0])
        else:
            raise RfbError("unexpected server message %d" % kind)
        return False

    def _raw(self, x, y, w, h):
        data = self._recv(w * h * 4)
        if x + w > self.width or y + h > self.height:
            raise RfbError("rectangle %dx%d+%d+%d outside %dx%d" %
                           (w, h, x, y, self.width, self.height))
        for row in range(h):
            dst = ((y + row) * self.width + x) * 4
            self.fb[dst:dst + w * 4] = data[row * w * 4:(row + 1) * w * 4]

    def image(self):
        return Image.frombuffer("RGBX", (self.width, self.height),
                                bytes(self.fb), "raw", "BGRX", 0,
                                1).convert("RGB")

    def follow(self, until, timeout=10):
        """Apply updates (asking for more after each) until until(image) is
        true or `timeout` seconds pass; returns the last image."""
        deadline = time.time() + timeout
        img = self.image()
        while not until(img) and time.time() < deadline:
            wait = max(0.1, min(1.0, deadline - time.time()))
            if not select.select([self.sock], [], [], wait)[0]:
                self._request(True)     # nothing came: ask again
                continue
            if self._read_message():    # (whole messages, blocking)
                self._request(True)
            img = self.image()
        return img

    def close(self):
        self.sock.close()
