"""desktop-agent (issue 13): Debian's spice-vdagent through the spice-core
chardev.

Our QEMU with

    -object spice-core,id=sc0,...  -device qxlng-vga,spice=sc0
    -chardev spice-core,id=vdagent,name=vdagent,spice=sc0
    -device virtio-serial-pci
    -device virtserialport,chardev=vdagent,name=com.redhat.spice.0

boots the desktop image with qxlng.ko and Xorg, then spice-vdagentd and
spice-vdagent (the image's).  A SpiceClientGLib client (agent_client.py)
is connected throughout.  One boot; every step polls for its effect.
Checks:

  - the client sees the guest's agent (its capabilities, not the
    emulation's);
  - spice-vdagent gets the graphics device info (VD_AGENT_GRAPHICS_DEVICE_
    INFO, as spice-server sends it for QEMU's qxl): for display channel 0,
    monitors 0..n-1 (n = the device's max_outputs) are the guest's
    heads 0..n-1 of the device at the PCI address sysfs gives card0, and
    it finds the xrandr output of each (its -d log);
  - text the client grabs reaches the guest's CLIPBOARD (read with
    xclipio, tests/desktop/xclipio.c, built here: the image has no xclip),
    and text the guest puts there reaches the client;
  - a PNG the client grabs (VD_AGENT_CLIPBOARD_IMAGE_PNG) makes the
    guest's CLIPBOARD offer image/png, and the PNG read there has the
    client's pixels; a PNG an X client in the guest owns the CLIPBOARD
    with reaches the client with the same pixels (spice-vdagent may
    re-encode: pixels are compared, not bytes);
  - with the agent (and no tablet in the VM) the client gets client mouse
    mode, and a pointer position it sends lands there in the guest's X
    (spice-core sends VD_AGENT_MOUSE_STATE, spice-vdagentd moves a uinput
    tablet; read with xclipio pointer);
  - a monitor size the client asks (VD_AGENT_MONITORS_CONFIG) while the
    guest's agent is connected reaches the display device (the output's
    preferred mode), not the agent, as with spice-server and QEMU's qxl
    (see step_monitor);
  - a 128 KiB file the client sends (file_copy_async, more chunks than
    the client's token window) lands in the guest byte for byte (sha256);
  - QEMU is still running.
"""

import base64
import hashlib
import io
import os
import queue
import re
import shutil
import subprocess
import threading
import time

from PIL import Image

import desktop
from desktop import HERE, DesktopGuest, GuestError, progress

TO_GUEST = "from the client \u00e9t\u00e9 42"
TO_CLIENT = "from the guest 1234"
MONITOR = (912, 684)            # not one of the output's listed modes
POINTER = (333, 222)


class Client:
    """agent_client.py (or another client script of HERE) with a reader
    thread; expect() waits for a line."""

    def __init__(self, port, log, script="agent_client.py"):
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, script),
             "--port", str(port)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            bufsize=1)
        self.lines = queue.Queue()
        self.log = open(log, "w")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.log.write(line)
            self.log.flush()
            self.lines.put(line.rstrip("\n"))

    def send(self, cmd):
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()

    def expect(self, prefixes, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                line = self.lines.get(timeout=max(0.1,
                                                  deadline - time.time()))
            except queue.Empty:
                break
            if line.startswith(tuple(prefixes)):
                return line
        return None

    def stop(self):
        try:
            self.send("quit")
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def pattern_png(path, size, seed):
    """A small RGB picture whose pixels all differ along both axes; the
    Image."""
    w, h = size
    img = Image.new("RGB", size)
    img.putdata([((x * 5 + seed) & 255, (y * 7 + seed) & 255,
                  (x ^ y) * 3 & 255) for y in range(h) for x in range(w)])
    img.save(path)
    return img


def same_pixels(data, want):
    """(same, why): PNG bytes `data` decode to `want`'s size and RGB
    pixels."""
    try:
        got = Image.open(io.BytesIO(data))
        got.load()
    except (OSError, ValueError) as e:
        return False, "%d bytes, not a PNG: %s" % (len(data), e)
    if got.size != want.size:
        return False, "size %dx%d, want %dx%d" % (got.size + want.size)
    diff = sum(a != b for a, b in zip(got.convert("RGB").getdata(),
                                      want.getdata()))
    return diff == 0, "%d of %d pixels differ" % (diff,
                                                  want.size[0] * want.size[1])


def build_initrd(p, work):
    pay = desktop.build_payload(p, work)
    subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                    os.path.join(pay, "bin", "xclipio"),
                    os.path.join(HERE, "xclipio.c"), "-lX11"], check=True)
    guest_png = pattern_png(os.path.join(pay, "share", "guest.png"),
                            (48, 32), 99)
    return desktop.pack_initrd(pay, work), guest_png


def poll(step, timeout):
    """Call step() until it returns a true value or timeout seconds pass;
    its last value."""
    deadline = time.time() + timeout
    while True:
        got = step()
        if got or time.time() > deadline:
            return got
        time.sleep(0.5)


HEADS = 1       # the device's max_outputs: QEMU's qxl sends that many
ADDRESS_LINE = re.compile(
    r"channel_id: (\d+) monitor_id: (\d+) device_address: (\S+), "
    r"device_display_id: (\d+) xrandr output ID(?:: (\d+)| NOT FOUND)")


def spice_address(sysfs_path):
    """QEMU's device address ("pci/0000/02.0", qemu_console_fill_device_
    address) of the PCI device a sysfs path lies under, or None."""
    m = re.search(r"/pci([0-9a-f]{4}):[0-9a-f]{2}((?:/[0-9a-f]{4}:[0-9a-f]{2}:"
                  r"[0-9a-f]{2}\.[0-7])+)", sysfs_path)
    if not m:
        return None
    devs = [d.split(":")[2] for d in m.group(2).strip("/").split("/")]
    return "pci/%s/%s" % (m.group(1), "/".join(devs))


def step_device_info(g, tap):
    """spice-vdagent got VD_AGENT_GRAPHICS_DEVICE_INFO with the device's
    PCI address and ids 0..HEADS-1, and mapped each to an xrandr output."""
    progress("agent", "graphics device info")
    sysfs = g.run("readlink -f /sys/class/drm/card0", check=False).strip()
    want = spice_address(sysfs)
    seen = [[]]

    def logged():
        log = g.run("cat /tmp/vdagent.log", check=False)
        seen[0] = [m.groups() for m in ADDRESS_LINE.finditer(log)]
        return len(seen[0]) >= HEADS
    poll(logged, 60)
    tap.comment("spice-vdagent: " + "; ".join(
        "channel %s monitor %s %s id %s output %s" % (c, m, a, d, o)
        for c, m, a, d, o in seen[0]))
    got = sorted(set((int(c), int(m), a, int(d), o is not None)
                     for c, m, a, d, o in seen[0]))
    expect = [(0, i, want, i, True) for i in range(HEADS)]
    tap.ok(want is not None and got == expect,
           "agent_gets_the_graphics_device_info",
           "card0 is %s (%s); spice-vdagent logged %r, want %r" %
           (sysfs, want, got, expect))


def step_clipboard_text(g, client, tap):
    progress("agent", "clipboard text client -> guest")
    client.send("grab " + TO_GUEST)
    client.expect(["grabbed"], 30)
    seen = [""]

    def guest_has():
        seen[0] = g.run("xclipio get 5", check=False, timeout=60)
        return seen[0] == TO_GUEST
    tap.ok(poll(guest_has, 60), "clipboard_reaches_the_guest",
           "guest read %r" % seen[0])

    progress("agent", "clipboard text guest -> client")
    g.run("xclipio set '%s'" % TO_CLIENT)
    got = [None]

    def client_has():
        client.send("request")
        got[0] = client.expect(["clip: "], 5)
        return got[0] == "clip: " + TO_CLIENT
    tap.ok(poll(client_has, 60), "clipboard_reaches_the_client",
           "client got %r" % got[0])


def step_clipboard_png(g, client, work, guest_png, tap):
    progress("agent", "clipboard image client -> guest")
    path = os.path.join(work, "client.png")
    want = pattern_png(path, (64, 40), 17)
    client.send("grab-png " + path)
    client.expect(["grabbed"], 30)
    targets = [""]

    def offered():
        targets[0] = g.run("xclipio get 5 TARGETS", check=False,
                           timeout=60)
        return "image/png" in targets[0].split()
    if tap.ok(poll(offered, 60), "clipboard_png_offered_in_the_guest",
              "TARGETS %r" % targets[0]):
        out = g.run("xclipio get 20 image/png > /tmp/c.png && "
                    "base64 -w0 /tmp/c.png", check=False, timeout=90)
        try:
            data = base64.b64decode(out.strip(), validate=True)
        except ValueError:
            data = b""
        same, why = same_pixels(data, want)
        tap.ok(same, "clipboard_png_pixels_in_the_guest", why)
    else:
        tap.ok(False, "clipboard_png_pixels_in_the_guest", "not offered")

    progress("agent", "clipboard image guest -> client")
    g.run("xclipio put image/png /qxlng/share/guest.png")
    back = os.path.join(work, "from-guest.png")
    got = [None]

    def client_has():
        client.send("request-png " + back)
        got[0] = client.expect(["clip-png: ", "clip: "], 10)
        return got[0] is not None and got[0].startswith("clip-png: ") and \
            got[0] != "clip-png: 0"
    if poll(client_has, 60):
        with open(back, "rb") as f:
            same, why = same_pixels(f.read(), guest_png)
    else:
        same, why = False, "client got %r" % got[0]
    tap.ok(same, "clipboard_png_pixels_in_the_client", why)


def step_mouse(g, client, tap):
    """Client mouse mode through the agent (the VM has no tablet): the
    client's pointer position lands there in the guest's X (spice-vdagentd
    moves a uinput tablet)."""
    progress("agent", "client mouse mode, pointer to %d,%d" % POINTER)
    mode = [None]
    where = [""]

    def landed():
        client.send("mouse %d %d" % POINTER)
        mode[0] = client.expect(["mouse: ", "mouse-error: "], 10)
        if mode[0] != "mouse: 2":
            return False
        where[0] = g.run("xclipio pointer", check=False).strip()
        try:
            x, y = (int(v) for v in where[0].split())
        except ValueError:
            return False
        # (uinput's range and X's scaling may round by one)
        return abs(x - POINTER[0]) <= 1 and abs(y - POINTER[1]) <= 1
    ok = poll(landed, 90)
    tap.ok(mode[0] == "mouse: 2", "client_mouse_mode_with_the_agent",
           "client %r" % mode[0])
    tap.ok(ok, "client_pointer_lands_in_the_guest",
           "want %d %d, guest pointer %r%s" %
           (POINTER + (where[0], "" if ok else "; vdagentd: " + desktop.tail(
               g.run("cat /tmp/vdagentd.log", check=False), 6))))


def step_monitor(g, client, tap):
    """VD_AGENT_MONITORS_CONFIG with the guest's agent connected goes to
    the display device first, as spice-server does with QEMU's qxl: qxlng.ko
    handles client monitors configs, so the device takes it (the output's
    preferred mode becomes the client's size) and spice-vdagentd never sees
    it.  (Had it gone on, Debian 12's spice-vdagentd 0.22.1 would have
    dropped it: spice-gtk 0.42 adds the monitors' physical sizes, which
    it does not expect, "invalid message size for VDAgentMonitorsConfig".)"""
    progress("agent", "monitor %dx%d with the agent connected" % MONITOR)
    client.send("monitor %d %d" % MONITOR)
    sent = client.expect(["monitor: ", "monitor-error: "], 30)
    want = "%dx%d" % MONITOR
    seen = [""]

    def reached():
        seen[0] = g.run("cat /sys/class/drm/card0-*-1/modes | head -n 1",
                        check=False).strip()
        if seen[0] == want:
            return True
        # spice-gtk may drop a request made before it knew the display:
        # ask again while waiting.
        client.send("monitor %d %d" % MONITOR)
        return False
    ok = poll(reached, 90)
    tap.ok(ok, "agent_connected_monitors_config_reaches_the_device",
           "client %r, preferred mode %r" % (sent, seen[0]))
    agent_saw = g.run("grep -c 'VDAgentMonitorsConfig' /tmp/vdagentd.log",
                      check=False).strip()
    tap.ok(agent_saw == "0", "monitors_config_taken_not_passed_to_the_agent",
           "spice-vdagentd logged it %s time(s)" % agent_saw)


def step_file(g, client, work, tap):
    blob = os.urandom(128 * 1024)
    blob_path = os.path.join(work, "xfer-blob.bin")
    with open(blob_path, "wb") as f:
        f.write(blob)
    progress("agent", "file transfer (%d bytes)" % len(blob))
    client.send("file " + blob_path)
    res = client.expect(["file: ", "file-error: "], 180)
    sums = g.run("sha256sum /tmp/xfer/* 2>&1", check=False)
    want = hashlib.sha256(blob).hexdigest()
    tap.ok(res == "file: ok" and want in sums and
           "xfer-blob.bin" in sums, "file_lands_in_the_guest",
           "client %r, guest %r" % (res, sums.strip()))


def case_agent(args, tap):
    work = os.path.join(args.work, "agent")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    image = desktop.guest_image()
    port = desktop.free_port()
    p = desktop.Pairing("agent", args.qemu, [], "qxlng", "modesetting", True)
    devs = ["-object", "spice-core,id=sc0,addr=127.0.0.1,port=%d,"
            "disable-ticketing=on" % port,
            "-device", "qxlng-vga,spice=sc0,max_outputs=%d" % HEADS,
            "-chardev", "spice-core,id=vdagent,name=vdagent,spice=sc0",
            "-device", "virtio-serial-pci",
            "-device", "virtserialport,chardev=vdagent,"
            "name=com.redhat.spice.0"]
    progress("agent", "initramfs and boot")
    initrd, guest_png = build_initrd(p, work)
    g = DesktopGuest(args.qemu, initrd, devs, work, image)
    client = None
    try:
        g.start(timeout=300)
        tap.ok(True, "guest_boots")
        client = Client(port, os.path.join(work, "client.log"))
        g.run("export DISPLAY=:0; modprobe -a virtio_console uinput; "
              "mkdir -p /run/spice-vdagentd /tmp/xfer")
        if not tap.ok(desktop.load_driver(g, p) == "qxlng", "qxlng_binds"):
            raise GuestError("no display driver")
        # The system daemon needs only the port: it starts with Xorg.
        if not desktop.wait_until(g, "[ -e /dev/virtio-ports/"
                                  "com.redhat.spice.0 ]"):
            raise GuestError("no virtio port com.redhat.spice.0")
        g.run("spice-vdagentd -x -X -d > /tmp/vdagentd.log 2>&1 &")
        if not tap.ok(desktop.xorg_start(g, 1), "xorg_starts"):
            raise GuestError("Xorg did not start")
        progress("agent", "spice-vdagent")
        desktop.wait_until(g, "[ -S /run/spice-vdagentd/"
                           "spice-vdagent-sock ]")
        g.run("eval $(dbus-launch --sh-syntax); "
              "spice-vdagent -x -d -f /tmp/xfer -o 0 > /tmp/vdagent.log "
              "2>&1 &")
        got = client.expect(["agent: guest"], 180)
        if not tap.ok(got is not None, "client_sees_the_guest_agent",
                      g.run("cat /tmp/vdagentd.log /tmp/vdagent.log",
                            check=False)):
            raise GuestError("no guest agent")
        step_device_info(g, tap)
        step_clipboard_text(g, client, tap)
        step_clipboard_png(g, client, work, guest_png, tap)
        step_mouse(g, client, tap)
        step_monitor(g, client, tap)
        step_file(g, client, work, tap)
        tap.ok(g.alive(), "qemu_still_running")
    except (GuestError, ValueError, OSError) as e:
        tap.ok(False, "reached_the_end", str(e))
    finally:
        if tap.failed:
            try:
                tap.comment(g.run("cat /tmp/vdagentd.log /tmp/vdagent.log",
                                  check=False, timeout=20))
            except (GuestError, ValueError, OSError):
                pass
        if client is not None:
            client.stop()
        g.stop()
    if tap.failed:
        desktop.comment_tails(tap, work,
                              ("client.log", "qemu.stderr", "serial.log"), 20)
