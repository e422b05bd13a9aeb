# SPDX-License-Identifier: MIT
"""Helpers for the spice-core tests: run spice-serve on a free port, run
real spice-gtk clients against it, write and compare PPM pictures.
Runs under Debian's /usr/bin/python3."""
import os
import random
import signal
import socket
import ssl
import struct
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
SERVE = os.environ.get("SPICE_SERVE_BIN", os.path.join(BUILD, "bin", "spice-serve"))
OUT = os.path.join(BUILD, "tests", "spice-core")
LOG = os.path.join(OUT, "serve-%d.log" % os.getpid())

_n = 0
_failed = 0


def ok(cond, name, detail=""):
    """One TAP line."""
    global _n, _failed
    _n += 1
    if cond:
        print("ok %d %s" % (_n, name))
    else:
        _failed += 1
        print("not ok %d %s%s" % (_n, name, (" # " + detail) if detail else ""))
    sys.stdout.flush()
    return cond


def done():
    print("1..%d" % _n)
    sys.exit(1 if _failed else 0)


def workdir(name):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    return d


def server_log():
    """Everything the servers this test started logged (stderr) so far."""
    try:
        with open(LOG) as f:
            return f.read()
    except OSError:
        return ""


def sanitizer_clean(text):
    """No AddressSanitizer, LeakSanitizer or UBSan report in text."""
    return ("ERROR: AddressSanitizer" not in text and
            "ERROR: LeakSanitizer" not in text and "runtime error" not in text)


def password_file(d, password):
    """d/pw holding password, for --password-file."""
    path = os.path.join(d, "pw")
    with open(path, "w") as f:
        f.write(password + "\n")
    return path


class Server:
    """spice-serve in the background; ports read from its stdout, its
    stderr appended to LOG."""
    started = []        # every Server of this test

    def __init__(self, *args, env=None):
        Server.started.append(self)
        self.log = open(LOG, "a")
        self.log_start = self.log.tell()
        e = dict(os.environ)
        if env:
            e.update(env)
        self.proc = subprocess.Popen([SERVE] + list(args), stdout=subprocess.PIPE,
                                     stderr=self.log, env=e)
        self.port = self.tls_port = None
        self.lines = []         # every line seen
        self.pending = []       # lines not yet consumed by read_lines_until
        self.partial = b""
        deadline = time.time() + 20
        want = ("--port" in args) + ("--tls-port" in args)
        got = 0
        while got < want and time.time() < deadline:
            line = self.read_lines_until(lambda l: True, 1)
            if line is None:
                if self.proc.poll() is not None:
                    break
                continue
            w = line.split()
            if w[0] == "port":
                self.port = int(w[1])
                got += 1
            elif w[0] == "tls-port":
                self.tls_port = int(w[1])
                got += 1
        if got < want:
            raise RuntimeError("spice-serve did not start: %s" % (args,))

    def _fill(self, timeout):
        import select
        fd = self.proc.stdout.fileno()
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return False
        data = os.read(fd, 65536)
        if not data:
            return False
        data = self.partial + data
        *full, self.partial = data.split(b"\n")
        for line in full:
            line = line.decode(errors="replace")
            self.lines.append(line)
            self.pending.append(line)
        return True

    def read_lines_until(self, pred, timeout=10):
        """Consume stdout lines until pred(line) is true; returns the line
        or None after timeout seconds."""
        deadline = time.time() + timeout
        while True:
            while self.pending:
                line = self.pending.pop(0)
                if pred(line):
                    return line
            left = deadline - time.time()
            if left <= 0:
                return None
            self._fill(min(left, 0.2))

    def kill(self):
        """SIGKILL, if still running (a test that gave up on it)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def log_text(self):
        """What this server logged (stderr) so far."""
        return server_log()[self.log_start:]

    def stop(self):
        """SIGTERM; returns the stats dict printed at exit."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rest, _ = self.proc.communicate(timeout=20)
        self.lines += (self.partial + rest).decode(errors="replace").splitlines()
        self.log.close()
        stats = {}
        for line in self.lines:
            if line.startswith("stats "):
                for kv in line.split()[1:]:
                    k, v = kv.split("=")
                    stats[k] = int(v)
        return stats


def recv_exact(s, n):
    """n bytes from socket s, or fewer when it closes, resets or times out."""
    buf = b""
    while len(buf) < n:
        try:
            chunk = s.recv(n - len(buf))
        except (socket.timeout, ConnectionResetError, ssl.SSLError):
            return buf
        if not chunk:
            return buf
        buf += chunk
    return buf


def rst(s):
    """Close socket s with a reset (RST) instead of a FIN."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def closed(s, timeout=5):
    """True once the server closed the connection (reads EOF)."""
    s.settimeout(timeout)
    try:
        while True:
            data = s.recv(65536)
            if not data:
                return True
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


# The wire, by hand (hostile and auth tests) ------------------------------------

MAIN, DISPLAY, INPUTS, CURSOR = 1, 2, 3, 4
AUTH_SELECTION, AUTH_SPICE, AUTH_SASL, MINI_HEADER = 0, 1, 2, 3
CAPS_COMMON = (1 << AUTH_SELECTION) | (1 << MINI_HEADER)
MAIN_INIT = 103                     # SPICE_MSG_MAIN_INIT


def u32(v):
    return struct.pack("<I", v)


def link_bytes(ctype=MAIN, cid=0, conn_id=0, major=2, ncommon=1, nchan=0,
               caps_off=18, size=None, caps=(CAPS_COMMON,)):
    """A REDQ link header and message; every field may be made wrong."""
    body = struct.pack("<IBBIII", conn_id, ctype, cid, ncommon, nchan, caps_off)
    body += b"".join(u32(c) for c in caps)
    if size is None:
        size = len(body)
    return struct.pack("<4sIII", b"REDQ", major, 2, size) + body


def link_reply(s):
    """(error, the server's first common caps word) of a link reply;
    (None, 0) if the server closed instead."""
    hdr = recv_exact(s, 16)
    if len(hdr) < 16 or hdr[:4] != b"REDQ":
        return None, 0
    body = recv_exact(s, struct.unpack("<I", hdr[12:16])[0])
    if len(body) < 4:
        return None, 0
    err, caps = struct.unpack("<I", body[:4])[0], 0
    if err == 0 and len(body) >= 178:
        ncommon, off = struct.unpack("<I", body[166:170])[0], \
            struct.unpack("<I", body[174:178])[0]
        if ncommon and len(body) >= off + 4:
            caps = struct.unpack("<I", body[off:off + 4])[0]
    return err, caps


def linked(s, ctype=MAIN, cid=0, conn_id=0, after_ticket=b""):
    """Link on socket s and authenticate with a ticket (any ticket does
    with --disable-ticketing; after_ticket goes in the same write).
    Returns the link error, else the auth result; None if closed."""
    s.sendall(link_bytes(ctype, cid, conn_id))
    err, _ = link_reply(s)
    if err != 0:
        return err
    s.sendall(u32(AUTH_SPICE) + bytes(128) + after_ticket)
    res = recv_exact(s, 4)
    return struct.unpack("<I", res)[0] if len(res) == 4 else None


def msg(mtype, body=b""):
    """A client message with a mini header."""
    return struct.pack("<HI", mtype, len(body)) + body


def read_msg(s):
    """(type, body) of the next server message (mini header), or None."""
    hdr = recv_exact(s, 6)
    if len(hdr) < 6:
        return None
    mtype, size = struct.unpack("<HI", hdr)
    return mtype, recv_exact(s, size)


def wait_msg(s, mtype):
    """The body of the next message of type mtype, or None."""
    while True:
        m = read_msg(s)
        if m is None or m[0] == mtype:
            return m and m[1]


def session_id(s):
    """The session id in MAIN_INIT on a linked main channel."""
    body = wait_msg(s, MAIN_INIT)
    assert body is not None, "no MAIN_INIT"
    return struct.unpack("<I", body[:4])[0]


def tls_connect(port):
    """A TLS socket to the server, certificate not checked."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx.wrap_socket(socket.create_connection(("127.0.0.1", port),
                                                    timeout=10))


def write_ppm(path, w, h, rgb):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (w, h))
        f.write(rgb)


def read_ppm(path):
    """(w, h, rgb bytes) of a P6 maxval-255 file, or None."""
    try:
        data = open(path, "rb").read()
    except OSError:
        return None
    parts = []
    pos = 2
    while len(parts) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while data[pos:pos + 1].isdigit():
            pos += 1
        parts.append(int(data[start:pos]))
    pos += 1
    return parts[0], parts[1], data[pos:]


def console_like(w, h, seed, rows=1):
    """Black with a few short lines of light-grey 8x16 glyphs at the top:
    a freshly booted text console, which LZ4 packs into a few KiB."""
    rnd = random.Random(seed)
    glyphs = [[rnd.getrandbits(8) if 2 <= y < 14 else 0 for y in range(16)]
              for _ in range(16)]
    rgb = bytearray(w * h * 3)
    for row in range(min(h // 16, rows)):
        for col in range(min(w // 8, rnd.randrange(5, 25))):
            g = rnd.choice(glyphs)
            for y in range(16):
                base = ((row * 16 + y) * w + col * 8) * 3
                for x in range(8):
                    if g[y] >> x & 1:
                        rgb[base + 3 * x:base + 3 * x + 3] = b"\xaa\xaa\xaa"
    return bytes(rgb)


def typing_frame(w, h, n):
    """RGB of spice-serve's 'typing' pattern after frame n (see
    typing_frame() in spice-core/tools/spice-serve.c)."""
    rgb = bytearray(w * h * 3)
    cols, rows = w // 8, h // 16
    for t in range(1, n + 1):
        for i in range(3):
            k = t * 3 + i
            col, row = (k * 37) % cols, (k * 11) % rows
            seed = (k * 2654435761) & 0xffffffff
            for y in range(16):
                bits = seed >> (y % 24) if 2 <= y < 14 else 0
                base = ((row * 16 + y) * w + col * 8) * 3
                for x in range(8):
                    px = b"\xaa\xaa\xaa" if bits >> x & 1 else b"\0\0\0"
                    rgb[base + 3 * x:base + 3 * x + 3] = px
    return bytes(rgb)


def noise(w, h, seed):
    return random.Random(seed).randbytes(w * h * 3)


def screenshot(port, out, password=None, timeout=30, tls_port=None, ca=None,
               user=None):
    """Run spicy-screenshot (on tls_port, trusting the CA file ca, when
    given; as SASL user `user` when given); returns its exit code (None
    on timeout)."""
    if os.path.exists(out):
        os.unlink(out)
    cmd = ["spicy-screenshot", "-o", out]
    if user:
        cmd += ["--uri", "spice://%s@127.0.0.1:%d" % (user, port) if not tls_port
                else "spice://%s@127.0.0.1?tls-port=%d" % (user, tls_port)]
    else:
        cmd += ["-h", "127.0.0.1"]
        cmd += ["-s", str(tls_port)] if tls_port else ["-p", str(port)]
    if password is not None:
        cmd += ["-w", password]
    env = dict(os.environ)
    if ca:
        env["SSL_CERT_FILE"] = ca   # spicy-screenshot has no CA option
    try:
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env,
                           stderr=subprocess.DEVNULL, timeout=timeout)
        return r.returncode
    except subprocess.TimeoutExpired:
        return None


def picture_ok(port, ppm, out, **kw):
    """spicy-screenshot on port gives back the picture in file ppm, pixel
    for pixel (kw: as screenshot())."""
    return screenshot(port, out, **kw) == 0 and read_ppm(out) == read_ppm(ppm)


def x509_dir(parent, ca_cn):
    """parent/x509 with a test CA (subject CN ca_cn: ca-cert.pem, ca-key.pem)
    and a server certificate for IP 127.0.0.1 it signed (server-cert.pem,
    server-key.pem), as spice-serve --x509-dir wants; made once, kept."""
    x = os.path.join(parent, "x509")
    os.makedirs(x, exist_ok=True)
    if os.path.exists(os.path.join(x, "server-cert.pem")):
        return x

    def sh(*cmd):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
       "-subj", "/CN=" + ca_cn, "-keyout", os.path.join(x, "ca-key.pem"),
       "-out", os.path.join(x, "ca-cert.pem"))
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
       "-keyout", os.path.join(x, "server-key.pem"), "-out", os.path.join(x, "server.csr"))
    ext = os.path.join(x, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    sh("openssl", "x509", "-req", "-in", os.path.join(x, "server.csr"), "-days", "30",
       "-CA", os.path.join(x, "ca-cert.pem"), "-CAkey", os.path.join(x, "ca-key.pem"),
       "-CAcreateserial", "-extfile", ext, "-out", os.path.join(x, "server-cert.pem"))
    return x
