#!/usr/bin/python3
"""x11_test.py: spice-x11 against a real X server and real SPICE clients.

    BUILD=build tests/x11/x11_test.py [--keep DIR]

Xvfb (1024x768 framebuffer, a cookie of its own) runs an xterm whose shell
reads a line and prints it back; spice-x11 serves it with a password at
640x480 (--size, through RandR).  TAP cases:

  picture      spicy-screenshot is pixel-identical to `xwd -root`
  key          keys typed by a SpiceClientGLib client (tests/interop/
               spice_client.py) reach the xterm's shell, which writes them
               to a file
  damage       the xterm's echo of them reaches the client: the next
               picture equals xwd again
  resize       a client's monitors config of 800x600 makes the X screen
               800x600 (xrandr --current), and the next picture is that
               size and equals xwd
  resize-clamped  a request for 9000x7000 gives Xvfb's largest, 1024x768
  cursor       the cursor shapes a client is sent follow the pointer from
               the xterm to the root window, and the last one is the
               shape XFixes says X shows (size, hotspot, alpha mask)
  locks        a client's Caps Lock, then Num Lock, become X's (xset q) and
               come back to it as the server's KEY_MODIFIERS
  clipboard    with a SpiceClientGLib client (clip_client.py) and no
               agent: its CLIPBOARD and PRIMARY texts (UTF-8) are what
               `xclip -o` prints in X, 1 MB of it too; texts X clients set
               with `xclip -i` reach it through the grab / request it gets,
               one set before it connected too
  clipboard_grab_after_x_owner_left  the X owner leaves and a client grabs
               while Xvfb is stopped: after it runs again, X's late news of
               the owner leaving does not undo the grab (xclip -o)
  clipboard-hostile  raw clients whose clipboard messages are malformed
               (unknown selection, torn grab, short request) are dropped
               with the reason logged; 16 MiB + 9 bytes of clipboard data
               is skipped, the client stays; spice-x11 still serves
  no-shm       a second spice-x11 with --no-shm (XGetImage) serves the
               same picture
  x-gone       killing Xvfb ends spice-x11 with status 1 and a message
  launcher     scripts/xspice with the password in QXLNG_PASSWORD serves
               640x400; SIGINT to its process group (a terminal's Ctrl-C)
               stops it, spice-x11 printing its stats, the X socket and
               the port gone
  launcher-xorg  the same on Xorg's dummy driver (--xorg; root only), and
               a client asking for 9000x7000 gets --max-size, 800x600

Pictures are compared once the screen has settled: a mismatch is retried
(the X client may still be drawing), the case fails if it never matches.
"""

import argparse
import ctypes
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import queue
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "interop"))
import xwd  # noqa: E402
sys.path.insert(0, os.path.join(TOP, "tests", "spice-core"))
from peers import free_port  # noqa: E402
import sclib  # noqa: E402
from tap import Tap  # noqa: E402

PY = "/usr/bin/python3"
CLIENT = os.path.join(TOP, "tests", "interop", "spice_client.py")
CURSOR_CLIENT = os.path.join(HERE, "cursor_client.py")
CLIP_CLIENT = os.path.join(HERE, "clip_client.py")
PASSWORD = "x11-test-pw"
TRIES = 20          # settling retries for picture comparisons


class Fixture:
    def __init__(self, work, spice_x11):
        self.work = work
        self.spice_x11 = spice_x11
        self.procs = []
        self.env = dict(os.environ)
        self.env["XAUTHORITY"] = os.path.join(work, "Xauthority")

    def start_x(self, size="1024x768"):
        cookie = subprocess.check_output(["mcookie"], text=True).strip()
        server_auth = os.path.join(self.work, "Xvfb.auth")
        for f in (server_auth, self.env["XAUTHORITY"]):
            open(f, "w").close()
        subprocess.check_call(["xauth", "-q", "-f", server_auth, "add", ":0",
                               ".", cookie])
        r, w = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-screen", "0", size + "x24", "-nolisten", "tcp",
             "-noreset", "-auth", server_auth, "-displayfd", str(w)],
            pass_fds=(w,), stderr=open(os.path.join(self.work, "Xvfb.log"),
                                       "w"))
        os.close(w)
        self.procs.append(xvfb)
        self.xvfb = xvfb
        # Xvfb writes the number and the newline apart, and dies if the
        # pipe is gone before the second: read the whole line, keep r.
        self.displayfd = r
        num = b""
        while not num.endswith(b"\n"):
            chunk = os.read(r, 32)
            if not chunk:
                break
            num += chunk
        num = num.decode().strip()
        if not num.isdigit():
            raise RuntimeError("Xvfb did not start")
        self.env["DISPLAY"] = ":" + num
        subprocess.check_call(["xauth", "-q", "add", self.env["DISPLAY"], ".",
                               cookie], env=self.env)

    def start_xterm(self, typed):
        # The shell says when it runs, reads a line, writes it to a file
        # and shows it, then stays so the picture holds still.
        ready = os.path.join(self.work, "ready")
        script = ('echo ready > %s; read l; echo "got:$l" > %s; '
                  'echo "typed [$l]"; exec sleep 1000' % (ready, typed))
        p = subprocess.Popen(["xterm", "-geometry", "60x12+40+40", "-e", "sh",
                              "-c", script], env=self.env,
                             stderr=subprocess.DEVNULL)
        self.procs.append(p)
        if not wait_for(lambda: os.path.exists(ready), 30):
            raise RuntimeError("the xterm did not start")

    def start_spice_x11(self, *extra):
        pwfile = os.path.join(self.work, "password")
        with open(pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        log = open(os.path.join(self.work, "spice-x11-%d.log"
                                % len(self.procs)), "w+")
        auth = [] if "--disable-ticketing" in extra else \
            ["--password-file", pwfile]
        p = subprocess.Popen([self.spice_x11, "--port", "0"] + auth +
                             list(extra),
                             env=self.env, stdout=subprocess.PIPE,
                             stderr=log, text=True)
        p.log = log
        self.procs.append(p)
        for line in p.stdout:
            m = re.match(r"port (\d+)", line)
            if m:
                return p, int(m.group(1))
        raise RuntimeError("spice-x11 exited: %s" % read_log(p))

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


def read_log(p):
    p.log.seek(0)
    return p.log.read()


def wait_for(cond, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.2)
    return cond()


def client(port, *args):
    r = subprocess.run([PY, CLIENT, "--port", str(port), "--password",
                        PASSWORD, "--timeout", "20"] + list(args),
                       capture_output=True, text=True, timeout=60)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def screenshot(fx, port):
    out = os.path.join(fx.work, "shot.ppm")
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run(["spicy-screenshot", "-h", "127.0.0.1", "-p",
                        str(port), "-w", PASSWORD, "-o", out],
                       capture_output=True, text=True, timeout=60,
                       env=fx.env)
    if r.returncode or not os.path.exists(out):
        raise RuntimeError("spicy-screenshot: " + (r.stdout + r.stderr))
    with open(out, "rb") as f:
        return xwd.read_ppm(f.read())


def root_picture(fx):
    data = subprocess.check_output(["xwd", "-root", "-silent"], env=fx.env)
    return xwd.read_xwd(data)


def compare_settled(fx, port):
    """(ok, why): the client's picture equals X's, retried while X draws."""
    why = ""
    for _ in range(TRIES):
        cw, ch, cpx = screenshot(fx, port)
        xw, xh, xpx = root_picture(fx)
        if (cw, ch) == (xw, xh) and cpx == xpx:
            colours = len({cpx[i:i + 3] for i in range(0, len(cpx), 3 * 7)})
            return True, "%dx%d, %d colours" % (cw, ch, colours)
        if (cw, ch) != (xw, xh):
            why = "client %dx%d, X %dx%d" % (cw, ch, xw, xh)
        else:
            why = "first difference (x, y, client, X): %s" % (
                xwd.first_difference(cw, cpx, xpx),)
        time.sleep(0.5)
    return False, why


class XFixesCursorImage(ctypes.Structure):
    _fields_ = [("x", ctypes.c_short), ("y", ctypes.c_short),
                ("width", ctypes.c_ushort), ("height", ctypes.c_ushort),
                ("xhot", ctypes.c_ushort), ("yhot", ctypes.c_ushort),
                ("cursor_serial", ctypes.c_ulong),
                ("pixels", ctypes.POINTER(ctypes.c_ulong))]


def xfixes_cursor(env):
    """[W, H, HOTX, HOTY, alpha mask] of the cursor X shows now, in
    cursor_client.py's form."""
    x11 = ctypes.CDLL("libX11.so.6")
    xf = ctypes.CDLL("libXfixes.so.3")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XFree.argtypes = [ctypes.c_void_p]
    xf.XFixesGetCursorImage.restype = ctypes.POINTER(XFixesCursorImage)
    xf.XFixesGetCursorImage.argtypes = [ctypes.c_void_p]
    os.environ["XAUTHORITY"] = env["XAUTHORITY"]   # libX11 reads it
    dpy = x11.XOpenDisplay(env["DISPLAY"].encode())
    if not dpy:
        return None
    img = xf.XFixesGetCursorImage(dpy)
    out = None
    if img:
        c = img.contents
        bits = 0
        for i in range(c.width * c.height):
            bits = bits << 1 | (((c.pixels[i] >> 24) & 0xff) != 0)
        out = [str(c.width), str(c.height), str(c.xhot), str(c.yhot),
               "%x" % bits]
        x11.XFree(img)
    x11.XCloseDisplay(dpy)
    return out


def xrandr_size(fx):
    out = subprocess.check_output(["xrandr", "--current"], env=fx.env,
                                  text=True)
    m = re.search(r"current (\d+) x (\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


class ClipClient:
    """clip_client.py, its stdout read on a thread."""

    def __init__(self, fx, port):
        self.p = subprocess.Popen(
            [PY, CLIP_CLIENT, "--port", str(port), "--password", PASSWORD,
             "--timeout", "120"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        fx.procs.append(self.p)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.put(line.strip())

    def send(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def expect(self, prefix, seconds=20):
        """The first line starting with prefix (others are skipped), or
        None after `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=end - time.monotonic())
            except queue.Empty:
                break
            if line.startswith(prefix):
                return line
        return None


def xclip_out(fx, sel):
    r = subprocess.run(["xclip", "-o", "-selection", sel], env=fx.env,
                       capture_output=True, timeout=30)
    return r.stdout if r.returncode == 0 else None


def clipboard(tap, fx, port):
    """Copy and paste both ways with no agent."""
    if not shutil.which("xclip"):
        tap.skip("clipboard", "no xclip (scripts/install-deps x11)")
        return
    names = {0: "clipboard", 1: "primary"}

    def xclip_in(sel, text):
        xc = subprocess.Popen(["xclip", "-quiet", "-i", "-selection",
                               names[sel]], env=fx.env,
                              stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        fx.procs.append(xc)
        xc.stdin.write(text)
        xc.stdin.close()
        return xc

    def got(sel):
        line = cc.expect("got %d " % sel) or ""
        return bytes.fromhex(line.split()[2]) if len(line.split()) > 2 \
            else b""

    # X's selection from before the client connected reaches it too.
    early = b"set in X before the client came"
    xc = xclip_in(0, early)
    wait_for(lambda: xclip_out(fx, "clipboard") == early, 20)
    cc = ClipClient(fx, port)
    ready = cc.expect("ready")
    data = got(0)
    results = [data == early]
    why = ["X before the client -> client: %r" % data]
    xc.terminate()
    xc.wait(10)
    texts = {0: "copied from SPICE \u00fc \u2605".encode(),
             1: b"primary from SPICE"}
    for sel in (0, 1):
        cc.send("set %d %s" % (sel, texts[sel].hex()))
        seen = []
        wait_for(lambda: seen.append(xclip_out(fx, names[sel])) or
                 seen[-1] == texts[sel], 20)
        results.append(seen[-1] == texts[sel])
        why.append("%s -> X: %r" % (names[sel], seen[-1]))
    big = bytes(0x21 + (i * 7) % 90 for i in range(1 << 20))
    cc.send("set 0 " + big.hex())
    seen = []
    wait_for(lambda: seen.append(xclip_out(fx, "clipboard")) or
             seen[-1] == big, 30)
    results.append(seen[-1] == big)
    why.append("1 MB -> X: %s bytes" % (len(seen[-1]) if seen[-1] else None))
    x_texts = {0: "pasted from X \u00e9".encode(), 1: b"X primary"}
    for sel in (0, 1):
        xc = xclip_in(sel, x_texts[sel])
        data = got(sel)
        results.append(data == x_texts[sel])
        why.append("X %s -> client: %r" % (names[sel], data))
        xc.terminate()
        xc.wait(10)
    cc.send("quit")
    try:
        cc.p.wait(20)
    except subprocess.TimeoutExpired:
        cc.p.kill()
    tap.ok(ready is not None and all(results) and len(results) == 6,
           "clipboard", "; ".join(why))


def clipboard_grab_after_x_owner_left(tap, fx, port, sx):
    """The X owner leaves and a client grabs while the X server is stopped:
    the server then tells spice-x11 of the owner's leaving only in answer
    to the grab's round trip, after the grab.  That stale owner-change
    event must not undo the grab."""
    if not shutil.which("xclip"):
        tap.skip("clipboard_grab_after_x_owner_left", "no xclip")
        return
    old = b"X owner about to leave"
    xc = subprocess.Popen(["xclip", "-quiet", "-i", "-selection",
                           "clipboard"], env=fx.env, stdin=subprocess.PIPE,
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    fx.procs.append(xc)
    xc.stdin.write(old)
    xc.stdin.close()
    wait_for(lambda: xclip_out(fx, "clipboard") == old, 20)
    cc = ClipClient(fx, port)
    ready = cc.expect("ready")
    cc.expect("got 0 ")         # spice-x11 told the client of X's grab
    text = b"grabbed while the X owner left"
    os.kill(fx.xvfb.pid, signal.SIGSTOP)
    try:
        xc.terminate()
        xc.wait(10)
        cc.send("set 0 " + text.hex())
        time.sleep(1)           # spice-x11 now waits on the X server
    finally:
        os.kill(fx.xvfb.pid, signal.SIGCONT)
    seen = []
    wait_for(lambda: seen.append(xclip_out(fx, "clipboard")) or
             seen[-1] == text, 20)
    cc.send("quit")
    try:
        cc.p.wait(20)
    except subprocess.TimeoutExpired:
        cc.p.kill()
    tap.ok(ready is not None and seen[-1] == text,
           "clipboard_grab_after_x_owner_left",
           "X clipboard after the client's grab: %r" % seen[-1])


def agent_msg(vtype, body):
    """AGENT_DATA carrying one VDAgentMessage."""
    return sclib.msg(107, struct.pack("<IIQI", 1, vtype, 0, len(body)) + body)


def clipboard_hostile(tap, fx):
    """Malformed clipboard messages drop that client with a reason in
    the log; a skipped oversized one does not; spice-x11 serves on."""
    sx, port = fx.start_spice_x11("--disable-ticketing")
    caps = struct.pack("<II", 1, (1 << 5) | (1 << 6))   # BY_DEMAND, SELECTION

    def client():
        s = socket.create_connection(("127.0.0.1", port), 10)
        if sclib.linked(s) != 0:
            raise RuntimeError("raw client not linked")
        sclib.session_id(s)
        s.sendall(sclib.msg(106, struct.pack("<I", 0xffffffff)) +
                  agent_msg(6, caps))
        return s

    results, why = [], []
    for name, body, vtype, reason in (
            ("unknown selection", bytes([9, 0, 0, 0]) + struct.pack("<I", 1),
             8, "clipboard message for an unknown selection"),
            ("torn grab", bytes([0, 0, 0, 0, 1, 0]), 7,
             "clipboard grab not a whole number of types"),
            ("short request", bytes([0, 0, 0, 0, 1]), 8,
             "clipboard message without its type")):
        s = client()
        s.sendall(agent_msg(vtype, body))
        dropped = sclib.closed(s, 10)
        logged = wait_for(lambda: reason in read_log(sx), 10)
        results.append(dropped and logged)
        why.append("%s: dropped %s, logged %s" % (name, dropped, logged))
        s.close()
    # Clipboard data over 16 MiB: skipped as it streams in, not stored,
    # and the client stays.
    s = client()
    huge = 8 + (16 << 20) + 1
    s.sendall(sclib.msg(107, struct.pack("<IIQI", 1, 4, 0, huge) +
                        bytes(2048 - 20)))
    left = huge - (2048 - 20)
    chunk = sclib.msg(107, bytes(2048)) * 64
    while left >= 2048 * 64:
        s.sendall(chunk)
        left -= 2048 * 64
    while left:
        n = min(left, 2048)
        s.sendall(sclib.msg(107, bytes(n)))
        left -= n
    stays = not sclib.closed(s, 2)
    skipped = wait_for(lambda: "bytes skipped" in read_log(sx), 10)
    results.append(stays and skipped)
    why.append("16 MiB + 9: client stays %s, skipped %s" % (stays, skipped))
    s.close()
    alive = sx.poll() is None
    try:
        w, h, _ = screenshot(fx, port)
        served = w > 0
    except RuntimeError as e:
        served, why = False, why + [str(e)]
    tap.ok(all(results) and alive and served, "clipboard-hostile",
           "; ".join(why) + "; alive %s, serves %s" % (alive, served))
    sx.terminate()
    sx.wait(10)


def run(tap, fx):
    typed = os.path.join(fx.work, "typed")
    fx.start_x()
    fx.start_xterm(typed)
    sx, port = fx.start_spice_x11("--size", "640x480")

    ok, why = compare_settled(fx, port)
    tap.ok(ok and why.startswith("640x480"), "picture", why)

    ok, why = client(port, "position", "100,80")   # over the xterm
    if ok:
        ok, why = client(port, "key", "0x1e,0x30,0x2e,0x1c")  # a b c Enter
    got = ""
    if ok and wait_for(lambda: os.path.exists(typed) and
                       os.path.getsize(typed) > 0, 20):
        with open(typed) as f:
            got = f.read().strip()
    tap.ok(got == "got:abc", "key", "typed file holds %r; %s" % (got, why))

    ok, why = compare_settled(fx, port)
    tap.ok(ok, "damage", why)

    ok, why = client(port, "resize", "800x600")
    size = None
    if ok and wait_for(lambda: xrandr_size(fx) == (800, 600), 20):
        size = (800, 600)
    if size:
        ok, why = compare_settled(fx, port)
        tap.ok(ok and why.startswith("800x600"), "resize", why)
    else:
        tap.ok(False, "resize", "xrandr says %s; %s" % (xrandr_size(fx), why))

    # A size beyond the X server's: clamped to RandR's maximum (Xvfb's
    # framebuffer), never trusted.
    ok, why = client(port, "resize", "9000x7000")
    if ok and wait_for(lambda: xrandr_size(fx) == (1024, 768), 20):
        ok, why = compare_settled(fx, port)
        tap.ok(ok and why.startswith("1024x768"), "resize-clamped", why)
    else:
        tap.ok(False, "resize-clamped", "xrandr says %s; %s"
               % (xrandr_size(fx), why))

    # The cursor: the xterm's where the last click left the pointer, then
    # the root window's once the client moves it off the xterm; the last
    # shape is the one XFixes says X shows.
    r = subprocess.run([PY, CURSOR_CLIENT, "--port", str(port), "--password",
                        PASSWORD, "--count", "2", "--move", "900,700"],
                       capture_output=True, text=True, timeout=60)
    shapes = [ln.split()[1:] for ln in r.stdout.splitlines()
              if ln.startswith("cursor ")]
    want = xfixes_cursor(fx.env)
    tap.ok(len(shapes) == 2 and shapes[0] != shapes[1] and
           shapes[1] == want, "cursor",
           "client got %s, XFixes shows %s" % (shapes, want))

    # Keyboard locks: a client's Caps Lock on, then Num Lock instead,
    # become X's (xset q) and come back as the server's LEDs.
    states = []
    for locks in (4, 2):
        r = subprocess.run([PY, CURSOR_CLIENT, "--port", str(port),
                            "--password", PASSWORD, "--locks", str(locks)],
                           capture_output=True, text=True, timeout=60)
        q = subprocess.run(["xset", "q"], env=fx.env, capture_output=True,
                           text=True).stdout
        states.append((r.stdout.strip(),
                       re.search(r"Caps Lock:\s+(\w+)", q).group(1),
                       re.search(r"Num Lock:\s+(\w+)", q).group(1)))
    tap.ok(states == [("modifiers 4", "on", "off"),
                      ("modifiers 2", "off", "on")], "locks",
           "client echo, X's Caps and Num Lock: %s" % states)

    clipboard(tap, fx, port)
    clipboard_grab_after_x_owner_left(tap, fx, port, sx)
    clipboard_hostile(tap, fx)

    sx2, port2 = fx.start_spice_x11("--no-shm")
    ok, why = compare_settled(fx, port2)
    tap.ok(ok, "no-shm", why)
    sx2.terminate()
    sx2.wait(10)

    fx.xvfb.kill()
    try:
        rc = sx.wait(20)
    except subprocess.TimeoutExpired:
        rc = None
    log = read_log(sx)
    tap.ok(rc == 1 and "X server went away" in log, "x-gone",
           "status %s, log: %s" % (rc, log.strip().splitlines()[-1:]))


def launcher(tap, build, work, xorg=False):
    """scripts/xspice as a user runs it: the password from the
    environment, a session, Ctrl-C (SIGINT to its process group, as a
    terminal sends) stops everything it started.  With xorg, on Xorg's
    dummy driver, and a client's huge resize gives --max-size."""
    name = "launcher-xorg" if xorg else "launcher"
    if xorg and (os.getuid() != 0 or not shutil.which("Xorg") or
                 not os.path.exists("/usr/lib/xorg/modules/drivers/"
                                    "dummy_drv.so")):
        tap.skip(name, "needs root, Xorg and its dummy driver")
        return
    port = free_port()
    env = dict(os.environ)
    env["QXLNG_PASSWORD"] = PASSWORD
    env.pop("DISPLAY", None)
    lw = os.path.join(work, name)
    p = subprocess.Popen(
        [os.path.join(TOP, "scripts", "xspice"), "--spice-x11",
         os.path.join(build, "bin", "spice-x11"), "--port", str(port),
         "--size", "640x400", "--max-size", "800x600", "--work", lw] +
        (["--xorg"] if xorg else []) + ["--", "xterm"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    out, display = [], None
    for line in p.stdout:
        out.append(line)
        m = re.search(r" on :(\d+),", line)
        if m:
            display = m.group(1)
        if line.startswith("port"):
            break
    fx = Fixture(lw, None)
    fx.env["DISPLAY"] = ":%s" % display
    fx.env["XAUTHORITY"] = os.path.join(lw, "Xauthority")
    try:
        w, h, _ = screenshot(fx, port)
        why = "served %dx%d" % (w, h)
        ok = (w, h) == (640, 400)
        if ok and xorg:
            sent, cwhy = client(port, "resize", "9000x7000")
            ok = sent and wait_for(lambda: xrandr_size(fx) == (800, 600),
                                   20)
            why += "; after a 9000x7000 request X is %s (%s)" % (
                xrandr_size(fx), cwhy)
    except RuntimeError as e:
        ok, why = False, str(e)
    os.killpg(p.pid, signal.SIGINT)
    try:
        rest = p.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        rest = p.communicate()[0]
    out = "".join(out) + rest
    sock = "/tmp/.X11-unix/X%s" % display
    gone = display is not None and not os.path.exists(sock)
    try:
        socket.create_connection(("127.0.0.1", port), 2).close()
        gone = False
    except OSError:
        pass
    tap.ok(ok and gone and "stats " in out, name,
           "%s; X socket and port gone: %s; output: %s"
           % (why, gone, out.strip()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", help="work in DIR and keep it")
    args = ap.parse_args()
    build = os.environ.get("BUILD", os.path.join(TOP, "build"))
    spice_x11 = os.path.join(build, "bin", "spice-x11")
    tap = Tap()
    missing = [t for t in ("Xvfb", "xterm", "xwd", "xrandr", "xset", "xauth",
                           "mcookie", "spicy-screenshot")
               if not shutil.which(t)]
    if missing or not os.access(spice_x11, os.X_OK):
        tap.skip("x11", "missing: %s" % " ".join(missing or [spice_x11]))
        return tap.done()
    work = args.keep or tempfile.mkdtemp(prefix="x11-test-")
    os.makedirs(work, exist_ok=True)
    fx = Fixture(work, spice_x11)
    try:
        run(tap, fx)
        launcher(tap, build, work)
        launcher(tap, build, work, xorg=True)
    except Exception as e:  # a broken fixture is a failure, not a crash
        tap.ok(False, "fixture", "%s: %s" % (type(e).__name__, e))
    finally:
        fx.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main())
