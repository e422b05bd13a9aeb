"""Small pieces the tests that play a SPICE peer over a raw socket share:
a free TCP port on loopback, and a thread that reads one message after
another from a socket and hands each to its handler."""

import select
import socket
import threading


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on (at the time of asking)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Reader(threading.Thread):
    """Reads messages from the socket `s` with `read(s)` (None at the end
    of the stream) and calls `self.handle(message)` for each, until the
    stream ends or stop() is called; stop() closes the socket."""

    def __init__(self, s, read):
        super().__init__(daemon=True)
        self.s = s
        self.read = read
        self.running = True

    def handle(self, message):
        raise NotImplementedError

    def run(self):
        self.s.settimeout(None)
        while self.running:
            r, _, _ = select.select([self.s], [], [], 0.2)
            if not r:
                continue
            m = self.read(self.s)
            if m is None:
                break
            self.handle(m)

    def stop(self):
        self.running = False
        self.join(5)
        self.s.close()
