"""vm.py: boot the interop guest under QEMU (TCG) and drive it.

A Guest runs QEMU with the guest's serial console on a pipe and a QMP
socket.  The guest's /init (tests/interop/init) runs each line we send as a
shell command and answers "@@RC <status>", so a test reads like a script:

    with Guest(qemu, initrd, ["-device", "qxlng-vga"], work) as g:
        g.run("insmod /modules/qxl.ko")
        img = g.screendump("after-load")

Run with Debian's /usr/bin/python3 (PIL).
"""

import json
import os
import socket
import subprocess
import threading
import time

from PIL import Image

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class GuestError(Exception):
    pass


def kernel_version():
    kdir = subprocess.check_output([os.path.join(TOP, "scripts", "kdir")],
                                   text=True).strip()
    return os.path.basename(os.path.dirname(kdir))


# Input drivers for the mouse and tablet cases (with their dependencies);
# virtio_console for virtio-serial ports (tests/libvirt: the agent's port).
EXTRA_MODULES = ("psmouse", "virtio_pci", "virtio_input", "evdev",
                 "virtio_console")


def add_module(name, extra, order):
    """Copy module `name` of the guest kernel, after its dependencies, into
    `extra`; `order` collects the file names in load order."""
    kver = kernel_version()
    path = subprocess.check_output(["modinfo", "-k", kver, "-n", name],
                                   text=True).strip()
    deps = subprocess.check_output(["modinfo", "-k", kver, "-F", "depends",
                                    name], text=True).strip()
    deps = [d for d in deps.split(",") if d]
    base = os.path.basename(path)
    if base in order or path == "(builtin)":
        return
    for dep in deps:
        add_module(dep, extra, order)
    subprocess.check_call(["cp", path, extra])
    order.append(base)


def build_initramfs(out, module, work, ko=None):
    """scripts/guest/mkinitramfs (modules, modetest) plus our /init and the
    hostile-guest program, appended as a second cpio archive."""
    os.makedirs(work, exist_ok=True)
    base = out + ".base"
    cmd = [os.path.join(TOP, "scripts", "guest", "mkinitramfs"),
           "--out", base, "--module", module]
    if ko:
        cmd += ["--ko", ko]
    subprocess.check_call(cmd, stdout=subprocess.DEVNULL)
    overlay = os.path.join(work, "overlay-" + module)
    subprocess.check_call(["rm", "-rf", overlay])
    os.makedirs(os.path.join(overlay, "bin"))
    subprocess.check_call(["cp", os.path.join(TOP, "tests", "interop", "init"),
                           os.path.join(overlay, "init")])
    for prog in ("qxl-hostile", "evdev-read"):
        path = os.path.join(TOP, "build", "tests", "interop", prog)
        if os.path.exists(path):
            subprocess.check_call(["cp", path, os.path.join(overlay, "bin")])
    # Extra input drivers, loaded by /init in the order of modules/extra/order:
    # the PS/2 mouse (spice-mouse), the virtio tablet and evdev (spice-tablet).
    extra = os.path.join(overlay, "modules", "extra")
    os.makedirs(extra)
    order = []
    for name in EXTRA_MODULES:
        add_module(name, extra, order)
    with open(os.path.join(extra, "order"), "w") as f:
        f.write(" ".join(order) + "\n")
    files = subprocess.check_output(["find", "."], cwd=overlay)
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"],
                          cwd=overlay, input=files, check=True,
                          stdout=subprocess.PIPE).stdout
    with open(out, "wb") as f, open(base, "rb") as b:
        f.write(b.read())
        gz = subprocess.run(["gzip", "-1"], input=cpio, check=True,
                            stdout=subprocess.PIPE).stdout
        f.write(gz)
    os.unlink(base)
    return out


class QMP:
    def __init__(self, path, timeout=60):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise GuestError("QMP socket %s never came up" % path)
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.f = self.sock.makefile("rw")
        json.loads(self.f.readline())       # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            line = self.f.readline()
            if not line:
                raise GuestError("QMP closed during %s" % name)
            reply = json.loads(line)
            if "event" in reply:
                continue
            if "error" in reply:
                raise GuestError("QMP %s: %s" % (name, reply["error"]))
            return reply.get("return")

    def close(self):
        try:
            self.f.close()
            self.sock.close()
        except OSError:
            pass


class Guest:
    def __init__(self, qemu, initrd, device_args, work, extra_args=(),
                 memory=512, append="", no_reboot=True):
        self.qemu = qemu
        self.work = work
        os.makedirs(work, exist_ok=True)
        self.qmp_path = os.path.join(work, "qmp.sock")
        if os.path.exists(self.qmp_path):
            os.unlink(self.qmp_path)
        kver = kernel_version()
        # no_timer_check: on a loaded host, TCG can run the guest's
        # IO-APIC timer check too slowly to see its ticks, and the kernel
        # panics ("IO-APIC + timer doesn't work", seen in a CI run).
        self.argv = [qemu, "-accel", "tcg", "-cpu", "max", "-m", str(memory),
                     "-L", "/usr/share/seabios", "-L", "/usr/share/qemu",
                     "-display", "none", "-vga", "none",
                     "-net", "none", "-monitor", "none",
                     "-serial", "stdio",
                     "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
                     "-kernel", "/boot/vmlinuz-" + kver, "-initrd", initrd,
                     "-append", ("console=ttyS0 quiet panic=-1 "
                                 "no_timer_check " + append)]
        if no_reboot:
            self.argv.append("-no-reboot")
        self.argv += list(device_args) + list(extra_args)
        self.log_path = os.path.join(work, "serial.log")
        self.buf = ""
        self.pos = 0
        self.lock = threading.Condition()
        self.proc = None
        self.qmp = None

    # -- lifetime -----------------------------------------------------------

    def start(self, timeout=180, wait_ready=True):
        """Start QEMU, its serial reader and QMP; then wait for the guest's
        @@READY unless wait_ready is False (e.g. a QEMU started with
        -incoming, whose guest is already up)."""
        with open(os.path.join(work_log(self.work)), "w") as f:
            f.write(" ".join(self.argv) + "\n")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(
                                         self.work, "qemu.stderr"), "w"))
        self.log = open(self.log_path, "w")
        threading.Thread(target=self._reader, daemon=True).start()
        self.qmp = QMP(self.qmp_path)
        if wait_ready:
            self.expect("@@READY", timeout)
        return self

    def _reader(self):
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                break
            text = data.decode("utf-8", "replace").replace("\r", "")
            self.log.write(text)
            self.log.flush()
            with self.lock:
                self.buf += text
                self.lock.notify_all()
        with self.lock:
            self.lock.notify_all()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.qmp:
            try:
                self.qmp.cmd("quit")
            except (GuestError, OSError):
                pass
            self.qmp.close()
            self.qmp = None
        if self.proc:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- serial ---------------------------------------------------------------

    def expect(self, marker, timeout=60):
        """Wait for marker after the read position; return what came before."""
        deadline = time.time() + timeout
        with self.lock:
            while True:
                i = self.buf.find(marker, self.pos)
                if i >= 0:
                    out = self.buf[self.pos:i]
                    self.pos = i + len(marker)
                    return out
                if not self.alive():
                    raise GuestError("QEMU exited (%s) waiting for %r; see %s"
                                     % (self.proc.poll(), marker, self.work))
                left = deadline - time.time()
                if left <= 0:
                    raise GuestError("timeout waiting for %r; see %s"
                                     % (marker, self.log_path))
                self.lock.wait(min(left, 1.0))

    def run(self, cmd, timeout=60, check=True):
        """Run one shell line in the guest; return its output."""
        if "\n" in cmd:
            raise ValueError("one line per command")
        self.proc.stdin.write((cmd + "\n").encode())
        self.proc.stdin.flush()
        out = self.expect("@@RC ", timeout)
        rc_line = self.expect("\n", 10)
        rc = int(rc_line.strip() or "0")
        if check and rc != 0:
            raise GuestError("guest command failed (rc %d): %s\n%s"
                             % (rc, cmd, out))
        self.rc = rc
        return out

    # -- QMP ------------------------------------------------------------------

    def screendump(self, name, device=None):
        path = os.path.join(self.work, name + ".ppm")
        if os.path.exists(path):
            os.unlink(path)
        if device:
            self.qmp.cmd("screendump", filename=path, device=device)
        else:
            self.qmp.cmd("screendump", filename=path)
        img = Image.open(path)
        img.load()
        return img.convert("RGB")

    def stable_screendump(self, name, tries=20, interval=0.5, device=None):
        """A screendump once the picture stopped changing."""
        last = self.screendump(name, device)
        for _ in range(tries):
            time.sleep(interval)
            cur = self.screendump(name, device)
            if cur.size == last.size and cur.tobytes() == last.tobytes():
                return cur
            last = cur
        raise GuestError("screen %s never settled" % name)


def work_log(work):
    return os.path.join(work, "qemu.cmdline")


def qxlng_state(g):
    """qxlng.ko's counters (debugfs qxlng_state), the numeric ones."""
    out = g.run("mount -t debugfs none /sys/kernel/debug 2>/dev/null; "
                "cat /sys/kernel/debug/dri/0/qxlng_state")
    state = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 2 and f[1].isdigit():
            state[f[0]] = int(f[1])
    return state


def same_pixels(a, b):
    """(True, "") when a and b are pixel-identical, else (False, why)."""
    if a.size != b.size:
        return False, "size %dx%d != %dx%d" % (a.size + b.size)
    if a.tobytes() == b.tobytes():
        return True, ""
    pa, pb = a.load(), b.load()
    diff, first = 0, None
    for y in range(a.size[1]):
        for x in range(a.size[0]):
            if pa[x, y] != pb[x, y]:
                diff += 1
                if first is None:
                    first = (x, y, pa[x, y], pb[x, y])
    return False, "%d pixels differ, first at (%d,%d): %s vs %s" % (
        (diff,) + first)
