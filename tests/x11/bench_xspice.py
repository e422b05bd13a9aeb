#!/usr/bin/python3
"""bench_xspice.py: the same X session served by Debian's Xspice and by
spice-x11, side by side, to the same spice-gtk client (a benchmark, not a
test: it prints numbers and fails only if a server does not run).

    BUILD=build tests/x11/bench_xspice.py [--size WxH] [--lines N]
        [--steps N] [--only xspice|spice-x11] [--keep DIR]

For each server: an X display at WxH (Xspice: Xorg with the spiceqxl
driver; spice-x11: Xvfb and build/bin/spice-x11), a headless SpiceClientGLib
client that opens every channel and decodes what it gets, connected
through a proxy here that counts the bytes each way, then two phases:

  scroll   an xterm (100x40) cats N lines of text (jump scroll on, as
           xterm's default) and waits
  drag     a 320x240 window with text and boxes moved 6,3 pixels a step,
           STEPS steps, 30 steps a second (no window manager: the X server
           copies the window, the desktop under it is exposed)

Each phase ends once the server has sent nothing for a second.  Printed
per server and phase: bytes sent to the client, bytes per second of the
phase, and the CPU seconds of the server's processes (Xspice: its Xorg;
spice-x11: Xvfb plus spice-x11), from /proc.
"""

import argparse
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "interop"))
from peers import free_port  # noqa: E402
PY = "/usr/bin/python3"
TICK = os.sysconf("SC_CLK_TCK")

# Debian's /etc/X11/spiceqxl.xorg.conf crashes Xorg 21.1 here (buffer
# sizes read as 0, no mode for the viewport); these are its documented
# defaults, written out, and one head.
XSPICE_CONF = """
Section "Device"
    Identifier "XSPICE"
    Driver "spiceqxl"
    Option "SurfaceBufferSize" "128"
    Option "CommandBufferSize" "128"
    Option "FrameBufferSize" "16"
EndSection
Section "InputDevice"
    Identifier "XSPICE POINTER"
    Driver "xspice pointer"
EndSection
Section "InputDevice"
    Identifier "XSPICE KEYBOARD"
    Driver "xspice keyboard"
EndSection
Section "Monitor"
    Identifier "Configured Monitor"
EndSection
Section "Screen"
    Identifier "XSPICE Screen"
    Monitor "Configured Monitor"
    Device "XSPICE"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Modes "%(size)s"
    EndSubSection
EndSection
Section "ServerLayout"
    Identifier "XSPICE Example"
    Screen "XSPICE Screen"
    InputDevice "XSPICE KEYBOARD"
    InputDevice "XSPICE POINTER"
EndSection
Section "ServerFlags"
    Option "AutoAddDevices" "False"
EndSection
"""

WATCH_CLIENT = r"""
import sys
import gi
gi.require_version("SpiceClientGLib", "2.0")
from gi.repository import GLib, GObject, SpiceClientGLib
s = SpiceClientGLib.Session()
s.set_property("host", "127.0.0.1")
s.set_property("port", sys.argv[1])
marks = [0]
def on_mark(c, m):
    marks[0] += 1
def on_channel(session, channel):
    if isinstance(channel, SpiceClientGLib.DisplayChannel):
        GObject.Object.connect(channel, "display-mark", on_mark)
    channel.connect()
GObject.Object.connect(s, "channel-new", on_channel)
s.connect()
loop = GLib.MainLoop()
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 15, loop.quit)
loop.run()
print("marks", marks[0], flush=True)
"""


class Proxy:
    """A TCP proxy that counts bytes: down (server to client), up."""

    def __init__(self, target_port):
        self.target = target_port
        self.down = 0
        self.up = 0
        self.last = time.monotonic()
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            s = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self.pump, args=(s, c, "down"),
                             daemon=True).start()
            threading.Thread(target=self.pump, args=(c, s, "up"),
                             daemon=True).start()

    def pump(self, src, dst, way):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    setattr(self, way, getattr(self, way) + len(data))
                    self.last = time.monotonic()
                dst.sendall(data)
        except OSError:
            pass
        for x in (src, dst):
            try:
                x.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def quiet_for(self, seconds):
        with self.lock:
            return time.monotonic() - self.last >= seconds


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])   # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def wait_port(port, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def wait_x(env, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if subprocess.run(["xdpyinfo"], env=env, capture_output=True
                          ).returncode == 0:
            return True
        time.sleep(0.3)
    return False


class Session:
    """An X display served on a SPICE port: start(), pids, stop()."""

    def __init__(self, name, work, size, build):
        self.name = name
        self.work = os.path.join(work, name)
        os.makedirs(self.work, exist_ok=True)
        self.size = size
        self.build = build
        self.procs = []
        self.env = dict(os.environ)
        self.env["XAUTHORITY"] = os.path.join(self.work, "Xauthority")
        self.port = free_port()

    def auth(self, display):
        cookie = subprocess.check_output(["mcookie"], text=True).strip()
        server_auth = os.path.join(self.work, "server.auth")
        for f in (server_auth, self.env["XAUTHORITY"]):
            open(f, "w").close()
        subprocess.check_call(["xauth", "-q", "-f", server_auth, "add",
                               display, ".", cookie])
        subprocess.check_call(["xauth", "-q", "add", display, ".", cookie],
                              env=self.env)
        return server_auth

    def free_display(self):
        n = 40
        while os.path.exists("/tmp/.X%d-lock" % n) or \
                os.path.exists("/tmp/.X11-unix/X%d" % n):
            n += 1
        return ":%d" % n

    def start(self):
        display = self.free_display()
        self.env["DISPLAY"] = display
        server_auth = self.auth(display)
        log = open(os.path.join(self.work, "server.log"), "w")
        if self.name == "xspice":
            conf = os.path.join(self.work, "xspice.conf")
            with open(conf, "w") as f:
                f.write(XSPICE_CONF % {"size": self.size})
            p = subprocess.Popen(
                ["Xspice", "--config", conf, "--numheads", "1", "--port",
                 str(self.port), "--disable-ticketing", display,
                 "-noreset", "-nolisten", "tcp", "-auth", server_auth,
                 "-logfile", os.path.join(self.work, "Xorg.log")],
                stdout=log, stderr=log, env=self.env,
                start_new_session=True)
            self.procs.append(p)
            if not wait_x(self.env, 60) or not wait_port(self.port, 30):
                raise RuntimeError("Xspice did not start (%s)" % self.work)
            self.pids = [p.pid] + children(p.pid)
        else:
            w, h = self.size.split("x")
            x = subprocess.Popen(
                ["Xvfb", display, "-screen", "0", "%sx%sx24" % (w, h),
                 "-noreset", "-nolisten", "tcp", "-auth", server_auth],
                stdout=log, stderr=log, start_new_session=True)
            self.procs.append(x)
            if not wait_x(self.env, 60):
                raise RuntimeError("Xvfb did not start (%s)" % self.work)
            sx = subprocess.Popen(
                [os.path.join(self.build, "bin", "spice-x11"), "--port",
                 str(self.port), "--disable-ticketing"],
                stdout=log, stderr=log, env=self.env,
                start_new_session=True)
            self.procs.append(sx)
            if not wait_port(self.port, 30):
                raise RuntimeError("spice-x11 did not start (%s)"
                                   % self.work)
            self.pids = [x.pid, sx.pid]

    def run(self, args, **kw):
        p = subprocess.Popen(args, env=self.env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, **kw)
        self.procs.append(p)
        return p

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    p.terminate()
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        p.kill()
                    p.wait()


def drag_window(env, steps):
    """A window with text and boxes, moved 6,3 pixels a step (libX11 via
    ctypes, so nothing but the X libraries is needed)."""
    x11 = ctypes.CDLL("libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    vp, ul, ci = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int
    x11.XRootWindow.restype = ul
    x11.XRootWindow.argtypes = [vp, ci]
    x11.XDefaultGC.restype = vp
    x11.XDefaultGC.argtypes = [vp, ci]
    x11.XBlackPixel.restype = ul
    x11.XBlackPixel.argtypes = [vp, ci]
    x11.XWhitePixel.restype = ul
    x11.XWhitePixel.argtypes = [vp, ci]
    x11.XCreateSimpleWindow.restype = ul
    x11.XCreateSimpleWindow.argtypes = [vp, ul, ci, ci, ctypes.c_uint,
                                        ctypes.c_uint, ctypes.c_uint, ul, ul]
    for fn, a in (("XMapRaised", [vp, ul]), ("XSync", [vp, ci]),
                  ("XMoveWindow", [vp, ul, ci, ci]),
                  ("XFillRectangle", [vp, ul, vp, ci, ci, ctypes.c_uint,
                                      ctypes.c_uint]),
                  ("XDrawString", [vp, ul, vp, ci, ci, ctypes.c_char_p, ci]),
                  ("XSetForeground", [vp, vp, ul]),
                  ("XCloseDisplay", [vp])):
        getattr(x11, fn).argtypes = a
    os.environ["XAUTHORITY"] = env["XAUTHORITY"]    # libX11 reads it
    dpy = x11.XOpenDisplay(env["DISPLAY"].encode())
    if not dpy:
        raise RuntimeError("drag: cannot open %s" % env["DISPLAY"])
    root = x11.XRootWindow(dpy, 0)
    gc = x11.XDefaultGC(dpy, 0)
    black, white = x11.XBlackPixel(dpy, 0), x11.XWhitePixel(dpy, 0)
    win = x11.XCreateSimpleWindow(dpy, root, 20, 20, 320, 240, 2, black,
                                  white)
    x11.XMapRaised(dpy, win)
    x11.XSync(dpy, 0)
    time.sleep(0.3)
    x11.XSetForeground(dpy, gc, 0x3050c0)
    x11.XFillRectangle(dpy, win, gc, 0, 0, 320, 20)
    for i in range(14):
        x11.XSetForeground(dpy, gc, black)
        text = b"line %d: the quick brown fox jumps over" % i
        x11.XDrawString(dpy, win, gc, 8, 36 + i * 14, text, len(text))
        x11.XSetForeground(dpy, gc, 0x204080 + i * 0x0a0a00)
        x11.XFillRectangle(dpy, win, gc, 280, 26 + i * 14, 30, 10)
    x11.XSync(dpy, 0)
    for i in range(steps):
        x11.XMoveWindow(dpy, win, 20 + i * 6, 20 + i * 3)
        x11.XSync(dpy, 0)
        time.sleep(1 / 30)
    x11.XCloseDisplay(dpy)


def settle(proxy, limit=30):
    end = time.monotonic() + limit
    time.sleep(1)
    while time.monotonic() < end and not proxy.quiet_for(1.0):
        time.sleep(0.2)


def measure(sess, proxy, phase, fn):
    b0, c0, t0 = proxy.down, cpu_seconds(sess.pids), time.monotonic()
    fn()
    t1 = time.monotonic()
    settle(proxy)
    b1, c1 = proxy.down, cpu_seconds(sess.pids)
    return {"phase": phase, "bytes": b1 - b0, "seconds": t1 - t0,
            "cpu": c1 - c0}


def bench(name, args, work, build):
    sess = Session(name, work, args.size, build)
    rows = []
    try:
        sess.start()
        proxy = Proxy(sess.port)
        client = subprocess.Popen([PY, "-c", WATCH_CLIENT, str(proxy.port)],
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        sess.procs.insert(0, client)
        settle(proxy)
        first = proxy.down
        text = os.path.join(work, "scroll.txt")
        done = os.path.join(sess.work, "scrolled")

        def scroll():
            sess.run(["xterm", "-geometry", "100x40+0+0", "-e", "sh", "-c",
                      "cat %s; touch %s; exec sleep 1000" % (text, done)])
            end = time.monotonic() + 300
            while not os.path.exists(done) and time.monotonic() < end:
                time.sleep(0.1)

        rows.append(measure(sess, proxy, "scroll", scroll))
        rows.append(measure(sess, proxy, "drag",
                            lambda: drag_window(sess.env, args.steps)))
        client.send_signal(signal.SIGTERM)
        marks = client.communicate(timeout=30)[0].strip()
        return first, rows, marks
    finally:
        sess.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="1024x768")
    ap.add_argument("--lines", type=int, default=3000)
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--only", choices=["xspice", "spice-x11"])
    ap.add_argument("--keep")
    args = ap.parse_args()
    build = os.environ.get("BUILD", os.path.join(TOP, "build"))
    missing = [t for t in ("Xspice", "Xvfb", "xterm", "xauth", "mcookie",
                           "xdpyinfo") if not shutil.which(t)]
    if missing:
        print("bench_xspice: missing %s (scripts/install-deps x11)"
              % " ".join(missing), file=sys.stderr)
        return 2
    work = args.keep or tempfile.mkdtemp(prefix="bench-xspice-")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "scroll.txt"), "w") as f:
        for i in range(args.lines):
            f.write("%05d %s\n" % (i, " ".join(
                "w%03d" % ((i * 7 + k * 13) % 997) for k in range(14))))
    print("# %s, xterm cat of %d lines, a 320x240 window dragged %d steps"
          % (args.size, args.lines, args.steps))
    print("%-10s %-7s %12s %10s %12s %8s" % ("server", "phase", "bytes",
                                             "seconds", "bytes/s",
                                             "cpu s"))
    rc = 0
    for name in ("xspice", "spice-x11"):
        if args.only and args.only != name:
            continue
        try:
            first, rows, marks = bench(name, args, work, build)
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            print("%-10s failed: %s" % (name, e))
            rc = 1
            continue
        print("%-10s %-7s %12d %10s %12s %8s   (%s)"
              % (name, "connect", first, "", "", "", marks))
        for r in rows:
            print("%-10s %-7s %12d %10.1f %12.0f %8.2f"
                  % (name, r["phase"], r["bytes"], r["seconds"],
                     r["bytes"] / max(r["seconds"], 0.001), r["cpu"]))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
