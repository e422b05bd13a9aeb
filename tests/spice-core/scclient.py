# SPDX-License-Identifier: MIT
"""A scriptable real SPICE client: spice-gtk's SpiceClientGLib through
GObject introspection (Debian's /usr/bin/python3)."""
import time

import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib as S  # noqa: E402


def gconnect(obj, sig, cb):
    # Session/channel objects have their own connect(); use GObject's.
    return GObject.Object.connect(obj, sig, cb)


class Client:
    def __init__(self, port=None, tls_port=None, password=None, ca_file=None,
                 channels=("display", "inputs", "cursor"), username=None):
        self.s = S.Session()
        self.s.props.host = "127.0.0.1"
        if port:
            self.s.props.port = str(port)
        if tls_port:
            self.s.props.tls_port = str(tls_port)
        if password is not None:
            self.s.props.password = password
        if username is not None:
            self.s.props.username = username
        if ca_file:
            self.s.props.ca_file = ca_file
        self.want = channels
        self.events = []
        self.primary = None
        self.invalidates = 0
        self.main = self.display = self.inputs = self.cursor_ch = None
        self.cursor = None
        self.opened = set()
        self.mouse_mode = None
        gconnect(self.s, "channel-new", self._channel_new)
        self.s.connect()

    def _event(self, ch, ev):
        name = type(ch).__name__.replace("Channel", "").lower()
        self.events.append((name, ev))
        if ev == S.ChannelEvent.OPENED:
            self.opened.add(name)

    def _channel_new(self, s, ch):
        gconnect(ch, "channel-event", self._event)
        if isinstance(ch, S.MainChannel):
            self.main = ch
            gconnect(ch, "main-mouse-update", self._mouse)
        elif isinstance(ch, S.DisplayChannel) and "display" in self.want:
            self.display = ch
            gconnect(ch, "display-primary-create", self._primary)
            gconnect(ch, "display-invalidate", self._invalidate)
            ch.connect()
        elif isinstance(ch, S.InputsChannel) and "inputs" in self.want:
            self.inputs = ch
            ch.connect()
        elif isinstance(ch, S.CursorChannel) and "cursor" in self.want:
            self.cursor_ch = ch
            gconnect(ch, "notify::cursor", self._cursor)
            ch.connect()

    def _mouse(self, ch):
        self.mouse_mode = ch.props.mouse_mode

    def _primary(self, ch, fmt, w, h, stride, shmid, data):
        self.primary = (fmt, w, h, stride)
        self.primary_data = data

    def pixels(self):
        """(w, h, rgb bytes) of the client's primary surface (32-bit xRGB
        in spice-gtk's memory, read through its address), or None."""
        import ctypes
        if self.primary is None or not getattr(self, "primary_data", None):
            return None
        fmt, w, h, stride = self.primary
        if fmt != 32 or stride < w * 4:
            return None
        raw = ctypes.string_at(self.primary_data, stride * h)
        if stride != w * 4:
            raw = b"".join(raw[y * stride:y * stride + w * 4] for y in range(h))
        rgb = bytearray(w * h * 3)
        rgb[0::3] = raw[2::4]
        rgb[1::3] = raw[1::4]
        rgb[2::3] = raw[0::4]
        return w, h, bytes(rgb)

    def _invalidate(self, ch, x, y, w, h):
        self.invalidates += 1

    def _cursor(self, ch, pspec):
        self.cursor = ch.props.cursor

    def run_until(self, pred, timeout=15.0):
        ctx = GLib.MainContext.default()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if pred():
                return True
            ctx.iteration(False)
            time.sleep(0.002)
        return pred()

    def errors(self):
        return [e for _, e in self.events
                if e not in (S.ChannelEvent.OPENED, S.ChannelEvent.CLOSED)]

    def close(self):
        self.s.disconnect()
        ctx = GLib.MainContext.default()
        for _ in range(50):
            ctx.iteration(False)


def pump(seconds):
    ctx = GLib.MainContext.default()
    deadline = time.time() + seconds
    while time.time() < deadline:
        ctx.iteration(False)
        time.sleep(0.002)


def wait_line(srv, want, timeout=10):
    """Run the client loop (clients send from it) while reading the
    server's stdout for a line: `want` exactly (stripped) or want(line).
    Returns the stripped line, or None after timeout seconds."""
    pred = want if callable(want) else (lambda line: line.strip() == want)
    deadline = time.time() + timeout
    while time.time() < deadline:
        pump(0.02)
        line = srv.read_lines_until(pred, 0.05)
        if line:
            return line.strip()
    return None


def auth_refused(**kw):
    """Connect a Client(**kw); (whether it ends in ERROR_AUTH, its events)."""
    c = Client(**kw)
    c.run_until(lambda: c.errors(), 10)
    refused = S.ChannelEvent.ERROR_AUTH in c.errors()
    c.close()
    return refused, str(c.events)
