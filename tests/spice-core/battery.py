#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The hostile-client battery (issue 10): every kind of abuse a client can
attempt, against the ASan+UBSan spice-serve (SPICE_SERVE_BIN), each case
followed by a real client (spicy-screenshot) that must get the right
picture, pixel for pixel.  Each kind runs on a server of its own, which
must then exit cleanly with no sanitizer report.

  mutated   sessions of real clients (spicy-screenshot; SpiceClientGLib
            with every channel, keys, motion, a resize, a mouse-mode
            change) recorded through a proxy, replayed with one mutation
            each: bit flips, bytes overwritten, inserted, deleted,
            repeated, truncated, a message's type, size or body changed,
            a message spliced from another channel, other write
            boundaries, a reset mid-stream
  sweep     every message type 0..65535 on every channel, with bodies of
            several sizes (short, exact, long, the largest, one over)
  long      long streams: a million motion messages, 64 MiB of agent data
            under the token window, a million KEY_SCANCODE bytes and
            ACKs, an animation watched for seconds
  race      several sessions; with the server stopped (SIGSTOP), resets,
            half-closes, new links into dying sessions, mouse-mode and
            resize requests and input land in one poll; two clients
            authenticating at once over --max-clients and in --exclusive
            mode
  slow      slowloris: links, messages and TLS handshakes a byte at a
            time; slow readers (a client reading 64 KiB/s stays, one
            never reading is dropped after the stall timeout) while the
            screen changes
  reconnect connect/disconnect loops of whole sessions (RST, FIN, half
            way through the link) and of spicy-screenshot; connections
            back to 0, memory flat
  tls       plaintext on the TLS port, TLS 1.0/1.1, renegotiation, key
            updates, garbage and oversized records, ClientHellos with
            random bytes, handshakes abandoned at every step, close_notify
            mid-message

  battery.py [--quick] [--only KIND[,KIND]] [--seed N]

--quick is the short version make check runs (check-spice-core-battery);
make hostile-battery runs it all.  The last line says how many cases ran."""
import argparse
import os
import random
import select
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from sclib import (AUTH_SPICE, CURSOR, DISPLAY, INPUTS, MAIN, MAIN_INIT, Server,  # noqa: E402
                   done, link_bytes, link_reply, msg, noise, ok, picture_ok, read_ppm,
                   rst, sanitizer_clean, tls_connect, typing_frame, u32, workdir,
                   write_ppm, x509_dir)

ap = argparse.ArgumentParser()
ap.add_argument("--quick", action="store_true")
ap.add_argument("--only", default="")
ap.add_argument("--seed", type=int, default=10)
args = ap.parse_args()
QUICK = args.quick
ONLY = set(args.only.split(",")) if args.only else None

d = workdir("battery")
PIC = os.path.join(d, "pic.ppm")
OUT = os.path.join(d, "out.ppm")
write_ppm(PIC, 97, 61, noise(97, 61, 42))
X509 = x509_dir(d, "qxl-ng battery CA")
CA = os.path.join(X509, "ca-cert.pem")
rnd = random.Random(args.seed)
cases = 0


def case_done(srv, name, tls=False):
    """One case ended: the server still runs and a real client gets the
    right picture (over TLS too when tls)."""
    global cases
    cases += 1
    good = srv.proc.poll() is None and picture_ok(srv.port, PIC, OUT)
    if good and tls:
        good = picture_ok(None, PIC, OUT, tls_port=srv.tls_port, ca=CA)
    ok(good, name, "server rc=%s" % srv.proc.poll())
    return good


def serve(*extra, env=None, tls=False):
    base = ["--port", "0", "--image", PIC, "--disable-ticketing"]
    if tls:
        base += ["--tls-port", "0", "--x509-dir", X509]
    return Server(*(base + list(extra)), env=env)


def stop(srv, kind):
    """The kind's server exits cleanly, without a sanitizer report."""
    srv.stop()
    ok(srv.proc.returncode == 0 and sanitizer_clean(srv.log_text()),
       "%s_server_exits_cleanly_no_sanitizer_report" % kind,
       "rc=%s" % srv.proc.returncode)


class Drain:
    """Reads (and drops) whatever the server sends on a socket, in a
    thread, keeping the first bytes; stops at EOF or error."""

    def __init__(self, s, keep=65536):
        self.s, self.keep, self.data, self.eof = s, keep, b"", False
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self):
        try:
            self.s.settimeout(None)
            while True:
                b = self.s.recv(65536)
                if not b:
                    break
                if len(self.data) < self.keep:
                    self.data += b[:self.keep - len(self.data)]
        except (OSError, ValueError):
            pass
        self.eof = True


def connect(port, tls=False, rcvbuf=None):
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s)
    return s


def link(s, ctype=MAIN, cid=0, conn_id=0):
    """Link and send a (garbage) ticket; the result, None if closed."""
    s.sendall(link_bytes(ctype, cid, conn_id))
    err, _ = link_reply(s)
    if err != 0:
        return err
    s.sendall(u32(AUTH_SPICE) + bytes(128))
    res = b""
    while len(res) < 4:
        try:
            b = s.recv(4 - len(res))
        except OSError:
            return None
        if not b:
            return None
        res += b
    return struct.unpack("<I", res)[0]


def read_until_msg(s, want, timeout=5):
    """Read mini-header messages until one of type want; its body."""
    s.settimeout(timeout)
    buf = b""
    try:
        while True:
            while len(buf) >= 6:
                t, n = struct.unpack("<HI", buf[:6])
                if len(buf) < 6 + n:
                    break
                body, buf = buf[6:6 + n], buf[6 + n:]
                if t == want:
                    return body
            b = s.recv(65536)
            if not b:
                return None
            buf += b
    except OSError:
        return None


def session(port, channels=(DISPLAY, INPUTS, CURSOR), tls=False, drain=True,
            rcvbuf=None):
    """A raw session: main (and its id) plus channels; {type: socket} with
    a Drain on each when drain."""
    m = connect(port, tls, rcvbuf)
    if link(m) != 0:
        return None, {}
    body = read_until_msg(m, MAIN_INIT)
    if body is None:
        return None, {}
    sid = struct.unpack("<I", body[:4])[0]
    socks = {MAIN: m}
    for t in channels:
        s = connect(port, tls, rcvbuf)
        if link(s, t, 0, sid) == 0:
            socks[t] = s
    if drain:
        for s in socks.values():
            Drain(s)
    return sid, socks


def hangup(s, how="fin"):
    """Close s with a FIN or a reset (how "rst").  A Drain thread blocked
    in recv() holds the socket: close() alone would leave it open, so
    shutdown() wakes it first (SHUT_RD only for a reset: no FIN)."""
    try:
        if how == "rst":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.shutdown(socket.SHUT_RD if how == "rst" else socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass


def close_all(socks, how="fin"):
    for s in socks.values():
        hangup(s, how)


# Recording real clients --------------------------------------------------------------

class Recorder:
    """A TCP proxy to the server recording what clients send, per
    connection in accept order, with the write boundaries."""

    def __init__(self, target):
        self.target = target
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(16)
        self.port = self.ls.getsockname()[1]
        self.conns = []
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            chunks = []
            self.conns.append(chunks)
            u = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._relay, args=(c, u, chunks), daemon=True).start()

    def _relay(self, c, u, chunks):
        try:
            while True:
                r, _, _ = select.select([c, u], [], [], 30)
                if not r:
                    break
                for s in r:
                    b = s.recv(65536)
                    if not b:
                        raise EOFError
                    if s is c:
                        chunks.append(b)
                        u.sendall(b)
                    else:
                        c.sendall(b)
        except (OSError, EOFError):
            pass
        for s in (c, u):
            try:
                s.close()
            except OSError:
                pass

    def stop(self):
        self.stopped = True
        self.ls.close()


def record_sessions(srv):
    """Recorded sessions: lists of per-connection chunk lists."""
    from scclient import Client, pump
    sessions = []
    rec = Recorder(srv.port)
    subprocess.run(["spicy-screenshot", "-h", "127.0.0.1", "-p", str(rec.port), "-o", OUT],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    time.sleep(0.3)
    sessions.append([c for c in rec.conns if c])
    rec.stop()
    rec = Recorder(srv.port)
    c = Client(port=rec.port)
    c.run_until(lambda: c.primary is not None and c.inputs is not None and
                c.main is not None and c.main.props.agent_connected, 15)
    c.run_until(lambda: c.main.agent_test_capability(1), 5)
    for k in (0x1e, 0x11d, 0x39):
        c.inputs.key_press(k)
        c.inputs.key_release(k)
    c.inputs.key_press_and_release(0x2c)
    for i in range(12):
        c.inputs.motion(3, -2, 0)
        c.inputs.position(10 + i, 20, 0, 0)
        pump(0.02)
    c.inputs.button_press(1, 1)
    c.inputs.button_release(1, 0)
    c.main.update_display_enabled(0, True, False)
    c.main.update_display(0, 0, 0, 800, 600, False)
    c.main.send_monitor_config()
    if hasattr(c.main, "request_mouse_mode"):
        c.main.request_mouse_mode(2)
    pump(1)
    c.close()
    time.sleep(0.3)
    sessions.append([c for c in rec.conns if c])
    rec.stop()
    return sessions


def messages(stream):
    """Split a recorded client stream (link, mech, ticket, mini-header
    messages) into (start, end) spans of its messages."""
    spans = []
    if len(stream) < 16:
        return spans
    pos = 16 + struct.unpack("<I", stream[12:16])[0] + 4 + 128
    while pos + 6 <= len(stream):
        n = struct.unpack("<I", stream[pos + 2:pos + 6])[0]
        if pos + 6 + n > len(stream):
            break
        spans.append((pos, pos + 6 + n))
        pos += 6 + n
    return spans


def mutate(streams, r):
    """One mutation of one connection's stream; (streams, how, rst_at)."""
    streams = [bytearray(s) for s in streams]
    i = r.randrange(len(streams))
    s = streams[i]
    spans = messages(bytes(s))
    how = r.choice(["flip", "overwrite", "insert", "delete", "repeat", "truncate",
                    "type", "size", "body", "splice", "onewrite", "bytewise", "rst"])
    rst_at = None
    if how == "flip":
        for _ in range(r.randint(1, 8)):
            p = r.randrange(len(s))
            s[p] ^= 1 << r.randrange(8)
    elif how == "overwrite":
        p = r.randrange(len(s))
        n = r.randint(1, 16)
        s[p:p + n] = r.randbytes(n)
    elif how == "insert":
        p = r.randrange(len(s) + 1)
        s[p:p] = r.randbytes(r.randint(1, 64))
    elif how == "delete":
        p = r.randrange(len(s))
        del s[p:p + r.randint(1, 32)]
    elif how == "repeat" and spans:
        a, b = r.choice(spans)
        s[b:b] = s[a:b] * r.randint(2, 2000)
    elif how == "truncate":
        del s[r.randrange(len(s)):]
    elif how in ("type", "size", "body") and spans:
        a, b = r.choice(spans)
        if how == "type":
            s[a:a + 2] = struct.pack("<H", r.choice([r.randrange(65536), r.randrange(100, 120),
                                                     r.randrange(1, 7)]))
        elif how == "size":
            s[a + 2:a + 6] = struct.pack("<I", r.choice([0, 1, b - a, 16384, 16385,
                                                         0xffffffff, r.randrange(1 << 32)]))
        elif b - a > 6:
            s[a + 6:b] = r.randbytes(b - a - 6)
    elif how == "splice":
        j = r.randrange(len(streams))
        other = messages(bytes(streams[j]))
        if other and spans:
            a, b = r.choice(other)
            p = r.choice(spans)[1]
            s[p:p] = streams[j][a:b]
    elif how == "rst":
        rst_at = r.randrange(len(s))
    return [bytes(x) for x in streams], "%s:%d" % (how, i), rst_at


def replay(port, sess, r, mutated):
    """Replay a recorded session (streams in accept order, main first),
    patched with the new session id, with the writes mutated describes."""
    chunks, how, rst_at, conn_i = sess
    socks = []
    sid = None
    mode = how.split(":")[0]
    for i, stream in enumerate(mutated):
        s = connect(port)
        socks.append(s)
        if i > 0 and len(stream) >= 20 and sid is not None:
            stream = stream[:16] + u32(sid) + stream[20:]
        if mode == "onewrite" or len(chunks[i]) == 0:
            writes = [stream]
        elif mode == "bytewise" and i == conn_i:
            writes = [stream[k:k + 1] for k in range(min(len(stream), 200))] + \
                [stream[200:]]
        else:
            writes, pos = [], 0
            for c in chunks[i]:
                writes.append(stream[pos:pos + len(c)])
                pos += len(c)
            writes.append(stream[pos:])
        sent = 0
        try:
            for w in writes:
                if rst_at is not None and i == conn_i and sent + len(w) > rst_at:
                    s.sendall(w[:rst_at - sent])
                    hangup(s, "rst")
                    break
                s.sendall(w)
                sent += len(w)
        except OSError:
            pass
        if i == 0:
            # The link reply and result, then messages up to MAIN_INIT.
            s.settimeout(2)
            try:
                err, _ = link_reply(s)
                body = read_until_msg(s, MAIN_INIT, 2) \
                    if err == 0 and len(s.recv(4)) == 4 else None
            except OSError:
                body = None
            if body and len(body) >= 4:
                sid = struct.unpack("<I", body[:4])[0]
        Drain(s)
    time.sleep(0.05)
    for s in socks:
        hangup(s, "rst" if r.random() < 0.5 else "fin")


def kind_mutated():
    srv = serve("--mouse-absolute")
    recorded = record_sessions(srv)
    ok(len(recorded) == 2 and all(len(x) >= 2 for x in recorded),
       "recorded_real_client_sessions", str([len(x) for x in recorded]))
    n = 30 if QUICK else 400
    r = random.Random(args.seed)
    for k in range(n):
        conns = r.choice(recorded)
        streams = [b"".join(c) for c in conns]
        mutated, how, rst_at = mutate(streams, r)
        conn_i = int(how.split(":")[1])
        try:
            replay(srv.port, (conns, how, rst_at, conn_i), r, mutated)
        except OSError:
            pass
        if not case_done(srv, "mutated_session_%03d_%s" % (k, how.replace(":", "_conn"))):
            srv.kill()
            srv = serve("--mouse-absolute")
    stop(srv, "mutated")


# Type sweeps ----------------------------------------------------------------------------

def sweep_channel(port, ctype, body_len, types):
    """Each of types, with a body of body_len random bytes, on a channel
    of ctype: known types (under 200) one message at a time, the rest
    pipelined in writes of up to 1 MiB; a new session after each drop.
    Returns (messages sent, drops)."""
    r = random.Random(ctype * 100000 + body_len)
    body = r.randbytes(body_len)
    sent = drops = 0
    types = list(types)
    i = 0
    while i < len(types):
        sid, socks = session(port, () if ctype == MAIN else (ctype,), drain=False)
        s = socks.get(ctype)
        if s is None:
            return sent, -1
        dr = Drain(s)
        for x in socks.values():
            if x is not s:
                Drain(x)
        try:
            while i < len(types) and not dr.eof:
                if types[i] < 200:
                    s.sendall(msg(types[i], body))
                    i += 1
                    time.sleep(0.002)
                else:
                    n = max(1, min(4096, (1 << 20) // (6 + body_len)))
                    s.sendall(b"".join(msg(t, body) for t in types[i:i + n]))
                    i += n
                sent += 1
        except OSError:
            pass
        if dr.eof or i < len(types):
            drops += 1
        close_all(socks, "rst")
    return sent, drops


def kind_sweep():
    srv = serve()
    r = random.Random(args.seed + 4)
    small = [0, 12] if QUICK else [0, 3, 12, 64]
    large = [] if QUICK else [16384, 16385]
    sampled = list(range(200)) + sorted(r.sample(range(200, 65536), 50))
    for ctype, name in ((MAIN, "main"), (DISPLAY, "display"), (INPUTS, "inputs"),
                        (CURSOR, "cursor")):
        for n in small + large:
            types = range(65536) if n in small else sampled
            sent, drops = sweep_channel(srv.port, ctype, n, types)
            ok(sent > 0 and srv.proc.poll() is None,
               "sweep_%s_%s_types_body_%d" % (name, "all" if n in small else "sampled", n),
               "writes %d, drops %d" % (sent, drops))
            case_done(srv, "sweep_%s_body_%d_then_right_picture" % (name, n))
    stop(srv, "sweep")


# Long streams --------------------------------------------------------------------------------

def kind_long():
    srv = serve()
    scale = 10 if QUICK else 1
    sid, socks = session(srv.port)
    motion = msg(111, struct.pack("<iiH", 1, -1, 0)) * 10000
    try:
        for i in range(100 // scale):
            socks[INPUTS].sendall(motion)
    except OSError:
        pass
    case_done(srv, "long_million_motion_messages")
    sc = msg(104, bytes(r & 0x7f | 1 for r in range(1000))) * 100
    acks = msg(2) * 10000
    try:
        for i in range(10 // scale):
            socks[INPUTS].sendall(sc)
            socks[DISPLAY].sendall(acks)
    except OSError:
        pass
    case_done(srv, "long_million_scancode_bytes_and_acks")
    close_all(socks)
    # Agent data under the token window: every AGENT_DATA is answered by
    # a token; a clipboard message of 1 MiB at a time, 2048-byte chunks.
    m = connect(srv.port)
    link(m)
    read_until_msg(m, MAIN_INIT)
    m.sendall(msg(106, u32(10)))
    total = (64 << 20) // scale
    body = b"x" * (1 << 20)
    vd = struct.pack("<IIQI", 1, 4, 0, len(body)) + body        # CLIPBOARD
    chunks = [vd[i:i + 2048] for i in range(0, len(vd), 2048)]
    tokens, sent, buf = 10, 0, b""
    m.settimeout(10)
    try:
        while sent < total:
            for c in chunks:
                while tokens == 0:
                    b = m.recv(65536)
                    if not b:
                        raise EOFError
                    buf += b
                    while len(buf) >= 6:
                        t, n = struct.unpack("<HI", buf[:6])
                        if len(buf) < 6 + n:
                            break
                        if t == 110:            # MAIN_AGENT_TOKEN
                            tokens += struct.unpack("<I", buf[6:10])[0]
                        buf = buf[6 + n:]
                m.sendall(msg(107, c))
                tokens -= 1
                sent += len(c)
    except (OSError, EOFError):
        pass
    ok(sent >= total, "long_agent_stream_within_the_token_window", "sent %d" % sent)
    m.close()
    case_done(srv, "long_agent_data_64mib")
    stop(srv, "long")
    # An animation watched for a while, then its last frame exact.
    from scclient import Client, pump
    w, h = 320, 240
    srv = Server("--port", "0", "--pattern", "typing", "--size", "%dx%d" % (w, h),
                 "--fps", "60", "--disable-ticketing")
    c = Client(port=srv.port)
    c.run_until(lambda: False, 3 if QUICK else 20)
    srv.proc.send_signal(signal.SIGUSR1)
    line = srv.read_lines_until(lambda l: l.startswith("anim-done"), 5)
    n = int(line.split()[1]) if line else -1
    c.run_until(lambda: c.pixels() is not None and c.pixels()[2] == typing_frame(w, h, n), 10)
    got = c.pixels()
    ok(got is not None and got[2] == typing_frame(w, h, n),
       "long_animation_watched_ends_on_its_last_frame", "frame %d" % n)
    c.close()
    global cases
    cases += 1
    stop(srv, "long_animation")


# Races ------------------------------------------------------------------------------------------

def kind_race():
    srv = serve("--mouse-absolute", tls=True)
    rounds = 4 if QUICK else 30
    r = random.Random(args.seed + 1)
    for k in range(rounds):
        sess = []
        for i in range(r.randint(2, 4)):
            tls = r.random() < 0.3
            sid, socks = session(srv.tls_port if tls else srv.port, tls=tls)
            if sid:
                sess.append((sid, socks))
        os.kill(srv.proc.pid, signal.SIGSTOP)
        late = []
        try:
            for sid, socks in sess:
                act = r.choice(["rst", "fin", "half", "mouse", "monitors", "input",
                                "join", "rst_main_join"])
                m = socks[MAIN]
                if act == "rst":
                    close_all(socks, "rst")
                elif act == "fin":
                    close_all(socks)
                elif act == "half":
                    m.shutdown(socket.SHUT_WR) if not isinstance(m, ssl.SSLSocket) else m.close()
                elif act == "mouse":
                    m.sendall(msg(105, struct.pack("<H", r.choice([1, 2, 3]))))
                elif act == "monitors":
                    heads = struct.pack("<II", 2, 0) + struct.pack(
                        "<IIIii", 600, 800, 32, 0x7fffffff, -5) + struct.pack(
                        "<IIIii", 480, 640, 32, -0x80000000, 7)
                    m.sendall(msg(106, u32(10)) + msg(107, struct.pack(
                        "<IIQI", 1, 2, 0, len(heads)) + heads))
                elif act == "input" and INPUTS in socks:
                    socks[INPUTS].sendall(msg(112, struct.pack("<IIHB", 0xffffffff, 5, 1, 0)) +
                                          msg(101, u32(0x1e)) + msg(102, u32(0x9e)))
                elif act in ("join", "rst_main_join"):
                    # A new link into this session lands with its end.
                    s = connect(srv.port)
                    s.sendall(link_bytes(DISPLAY, 0, sid))
                    late.append(s)
                    if act == "rst_main_join":
                        close_all(socks, "rst")
        except OSError:
            pass
        time.sleep(0.05)
        os.kill(srv.proc.pid, signal.SIGCONT)
        time.sleep(0.1)
        for s in late:
            hangup(s)
        for sid, socks in sess:
            close_all(socks, "rst")
        case_done(srv, "race_round_%02d" % k, tls=(k % 5 == 0))
    stop(srv, "race")
    # Authenticating at once: over --max-clients, and in exclusive mode.
    for extra, name in ((["--max-clients", "2"], "max_clients"), (["--exclusive"], "exclusive")):
        srv = serve(*extra, "--log-input")
        socks = []
        for i in range(4):
            s = connect(srv.port)
            s.sendall(link_bytes())
            link_reply(s)
            socks.append(s)
        os.kill(srv.proc.pid, signal.SIGSTOP)
        for s in socks:
            s.sendall(u32(AUTH_SPICE) + bytes(128))
        os.kill(srv.proc.pid, signal.SIGCONT)
        srv.read_lines_until(lambda l: False, 1)
        counts = [int(l.split()[1]) for l in srv.lines if l.startswith("clients ")]
        limit = 2 if name == "max_clients" else 1
        ok(counts and max(counts) <= limit, "race_%s_authenticating_at_once_keeps_the_limit" % name,
           str(counts))
        for s in socks:
            s.close()
        case_done(srv, "race_%s_then_right_picture" % name)
        stop(srv, "race_" + name)


# Slowloris and slow readers --------------------------------------------------------------------

def kind_slow():
    srv = serve(tls=True, env={"SPICE_CORE_LINK_TIMEOUT_MS": "3000"})
    n = 10 if QUICK else 40
    slow = [connect(srv.port) for _ in range(n)]
    data = link_bytes()
    for i in range(4):
        for s in slow:
            try:
                s.send(data[i:i + 1])
            except OSError:
                pass
        time.sleep(0.3)
    case_done(srv, "slowloris_%d_links_a_byte_at_a_time_others_served" % n)
    time.sleep(3)
    dropped = sum(1 for s in slow if closed_now(s))
    ok(dropped == n, "slowloris_links_dropped_after_the_link_timeout", "%d of %d" % (dropped, n))
    for s in slow:
        s.close()
    # TLS handshakes a byte at a time.
    hello = tls_client_hello()
    slow = [connect(srv.tls_port) for _ in range(n // 2)]
    for i in range(6):
        for s in slow:
            try:
                s.send(hello[i:i + 1])
            except OSError:
                pass
        time.sleep(0.2)
    case_done(srv, "slowloris_tls_handshakes_a_byte_at_a_time", tls=True)
    for s in slow:
        s.close()
    # Linked, then a message a byte per 100 ms.
    sid, socks = session(srv.port)
    m = msg(101, u32(0x1e))
    for i in range(len(m)):
        socks[INPUTS].send(m[i:i + 1])
        time.sleep(0.1)
    case_done(srv, "slowloris_message_a_byte_at_a_time")
    close_all(socks)
    stop(srv, "slowloris")
    # Readers: while the screen changes, one reads 64 KiB/s, one never
    # (a raw first frame larger than the socket buffers: it queues here).
    w, h = 1280, 720
    srv = Server("--port", "0", "--pattern", "typing", "--size", "%dx%d" % (w, h),
                 "--fps", "30", "--compression", "off", "--disable-ticketing",
                 env={"SPICE_CORE_STALL_TIMEOUT_MS": "3000"})
    sid, slow_s = session(srv.port, (DISPLAY,), drain=False, rcvbuf=8192)
    sid2, never = session(srv.port, (DISPLAY,), drain=False, rcvbuf=4096)
    t0, got = time.time(), 0
    slow_s[DISPLAY].setblocking(False)
    while time.time() - t0 < (4 if QUICK else 8):
        try:
            got += len(slow_s[DISPLAY].recv(6554))
        except (BlockingIOError, OSError):
            pass
        time.sleep(0.1)
    alive = not closed_now(slow_s[DISPLAY])
    ok(got > 0 and alive, "slow_reader_at_64kib_per_second_stays", "got %d" % got)
    ok("client took nothing of" in srv.log_text(), "never_reader_dropped_after_the_stall_timeout")
    srv.proc.send_signal(signal.SIGUSR1)
    line = srv.read_lines_until(lambda l: l.startswith("anim-done"), 5)
    n = int(line.split()[1]) if line else -1
    write_ppm(os.path.join(d, "typing.ppm"), w, h, typing_frame(w, h, n))
    global cases
    cases += 1
    ok(picture_ok(srv.port, os.path.join(d, "typing.ppm"), OUT),
       "slow_readers_then_right_picture", "frame %d" % n)
    close_all(slow_s)
    close_all(never)
    stop(srv, "slow_readers")


def closed_now(s):
    """Whether the server closed s (EOF or reset readable now)."""
    try:
        s.setblocking(False)
        while True:
            b = s.recv(65536)
            if not b:
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


# Reconnect loops ----------------------------------------------------------------------------------

def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def kind_reconnect():
    srv = serve(env={"ASAN_OPTIONS": "detect_leaks=1:quarantine_size_mb=8"})
    loops = 40 if QUICK else 400
    r = random.Random(args.seed + 2)
    base = None
    for i in range(loops):
        how = r.choice(["fin", "rst", "midlink", "midticket"])
        if how in ("midlink", "midticket"):
            s = connect(srv.port)
            data = link_bytes()
            if how == "midticket":
                s.sendall(data)
                link_reply(s)
                s.sendall(u32(AUTH_SPICE) + bytes(50))
            else:
                s.sendall(data[:r.randrange(1, len(data))])
            rst(s) if r.random() < 0.5 else s.close()
        else:
            sid, socks = session(srv.port)
            close_all(socks, how)
        if i == loops // 4:
            time.sleep(0.3)
            base = rss_kb(srv.proc.pid)
    time.sleep(0.5)
    grown = rss_kb(srv.proc.pid) - (base or 0)
    ok(grown < 8192, "reconnect_loop_%d_sessions_memory_flat" % loops, "grew %d KiB" % grown)
    case_done(srv, "reconnect_loop_raw_sessions")
    for i in range(5 if QUICK else 40):
        subprocess.run(["spicy-screenshot", "-h", "127.0.0.1", "-p", str(srv.port), "-o", OUT],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    case_done(srv, "reconnect_loop_spicy_screenshot")
    stats = srv.stop()
    ok(stats.get("connections") == 0 and stats.get("clients") == 0,
       "reconnect_loops_leave_no_connection_open", str(stats))
    ok(srv.proc.returncode == 0 and sanitizer_clean(srv.log_text()),
       "reconnect_server_exits_cleanly_no_sanitizer_report")


# TLS abuse -------------------------------------------------------------------------------------------

def tls_client_hello():
    """A real ClientHello (TLS 1.2/1.3), taken from an in-memory client."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    a, b = ssl.MemoryBIO(), ssl.MemoryBIO()
    o = ctx.wrap_bio(a, b)
    try:
        o.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return b.read()


def s_client(port, opts, stdin_data, secs=2):
    """openssl s_client with opts, stdin_data typed in; its output."""
    # Not -quiet nor -ign_eof: they turn the command letters off.
    p = subprocess.Popen(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port] +
                         opts, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for chunk in stdin_data:
            p.stdin.write(chunk)
            p.stdin.flush()
            time.sleep(0.2)
        out, _ = p.communicate(timeout=secs)
    except (subprocess.TimeoutExpired, BrokenPipeError):
        p.kill()
        out, _ = p.communicate()
    return out


def kind_tls():
    srv = serve(tls=True)
    T = srv.tls_port
    r = random.Random(args.seed + 3)

    def raw(data, name):
        s = connect(T)
        try:
            s.sendall(data)
            s.settimeout(2)
            s.recv(65536)
        except OSError:
            pass
        s.close()
        case_done(srv, name, tls=True)

    raw(link_bytes(), "tls_plaintext_link_on_the_tls_port")
    hello = tls_client_hello()
    raw(hello[:5] + struct.pack(">H", 0x4800) + hello[7:], "tls_record_length_over_the_maximum")
    raw(hello[:1] + b"\x03\x01" + hello[3:9] + b"\x03\x01" + hello[11:],
        "tls_client_hello_version_1_0")
    raw(b"\x80\x2e\x01\x00\x02" + bytes(46), "tls_sslv2_client_hello")
    for k in range(5 if QUICK else 40):
        h = bytearray(hello)
        for _ in range(r.randint(1, 12)):
            h[r.randrange(5, len(h))] = r.randrange(256)
        raw(bytes(h), "tls_client_hello_mutated_%02d" % k)
    for cut in ([10, 40, len(hello) // 2] if QUICK else range(5, len(hello), 23)):
        raw(hello[:cut], "tls_handshake_abandoned_after_%d_bytes" % cut)
    for v in (["-tls1"], ["-tls1_1"]):
        # The server refuses (a protocol_version alert), not our client.
        out = s_client(T, v + ["-cipher", "DEFAULT@SECLEVEL=0"], [b"x"])
        ok(b"alert protocol version" in out and b"Cipher is (NONE)" in out,
           "tls_%s_handshake_refused_by_the_server" % v[0][1:])
        case_done(srv, "tls_%s_refused_then_right_picture" % v[0][1:], tls=True)
    out = s_client(T, ["-tls1_2"], [b"R\n", b"R\n"])
    ok(b"RENEGOTIATING" in out and b"no renegotiation" in out,
       "tls_client_renegotiation_refused_by_the_server")
    case_done(srv, "tls_client_renegotiation_then_right_picture", tls=True)
    s_client(T, ["-tls1_3"], [b"k\n"] * 20 + [b"K\n"] * 5)
    case_done(srv, "tls_key_update_flood", tls=True)
    # After a handshake: garbage records, close_notify mid-message.
    s = tls_connect(T)
    link(s)
    s.sendall(msg(106, u32(10))[:4])
    s.settimeout(3)
    try:
        s.unwrap()
    except OSError:
        pass
    s.close()
    case_done(srv, "tls_close_notify_mid_message", tls=True)
    s = tls_connect(T)
    link(s)
    try:        # under the TLS layer: records that do not decrypt
        os.write(s.fileno(), b"\x17\x03\x03\x00\x20" + r.randbytes(32) + r.randbytes(300))
    except OSError:
        pass
    s.close()
    case_done(srv, "tls_garbage_records_after_the_handshake", tls=True)
    # Many handshakes left half done, then real clients.
    half = []
    for i in range(30):
        s = connect(T)
        s.sendall(hello)
        half.append(s)
    case_done(srv, "tls_thirty_handshakes_left_half_done", tls=True)
    for s in half:
        rst(s)
    stop(srv, "tls")


KINDS = [("mutated", kind_mutated), ("sweep", kind_sweep), ("long", kind_long),
         ("race", kind_race), ("slow", kind_slow), ("reconnect", kind_reconnect),
         ("tls", kind_tls)]
t_start = time.time()
for kname, fn in KINDS:
    if ONLY and kname not in ONLY:
        continue
    t0 = time.time()
    servers = len(Server.started)
    try:
        fn()
    except Exception as e:      # a broken case must not hide the others
        ok(False, "%s_ran_to_the_end" % kname, repr(e))
        for srv in Server.started[servers:]:
            srv.kill()
    print("# %s: %.0f s" % (kname, time.time() - t0))
print("# battery: %d cases, each followed by a pixel-exact picture, in %.0f s" %
      (cases, time.time() - t_start))
done()
