"""desktop-agent (issue 13): Debian's spice-vdagent through the spice-core
chardev.

Our QEMU with

    -object spice-core,id=sc0,...  -device qxlng-vga,spice=sc0
    -chardev spice-core,id=vdagent,name=vdagent,spice=sc0
    -device virtio-serial-pci
    -device virtserialport,chardev=vdagent,name=com.redhat.spice.0

boots the desktop image with qxlng.ko and Xorg, then spice-vdagentd and
spice-vdagent (the image's).  A SpiceClientGLib client (agent_client.py)
is connected throughout.  Checks: the client sees the guest's agent
(its capabilities, not the emulation's); text the client grabs reaches
the guest's CLIPBOARD (read with xclipio, tests/desktop/xclipio.c, built
here: the image has no xclip); text the guest puts on its CLIPBOARD
reaches the client; a 300 KiB file the client sends (file_copy_async) lands
in the guest byte for byte (sha256); QEMU is still running.
"""

import hashlib
import os
import queue
import shutil
import subprocess
import threading
import time

import desktop
from desktop import HERE, DesktopGuest, GuestError, progress

TO_GUEST = "from the client \u00e9t\u00e9 42"
TO_CLIENT = "from the guest 1234"


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


def build_initrd(p, work):
    pay = desktop.build_payload(p, work)
    subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                    os.path.join(pay, "bin", "xclipio"),
                    os.path.join(HERE, "xclipio.c"), "-lX11"], check=True)
    return desktop.pack_initrd(pay, work)


def case_agent(args, tap):
    work = os.path.join(args.work, "agent")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    image = desktop.guest_image()
    port = desktop.free_port()
    p = desktop.Pairing("agent", args.qemu, [], "qxlng", "modesetting", True)
    devs = ["-object", "spice-core,id=sc0,addr=127.0.0.1,port=%d,"
            "disable-ticketing=on" % port,
            "-device", "qxlng-vga,spice=sc0",
            "-chardev", "spice-core,id=vdagent,name=vdagent,spice=sc0",
            "-device", "virtio-serial-pci",
            "-device", "virtserialport,chardev=vdagent,"
            "name=com.redhat.spice.0"]
    progress("agent", "initramfs and boot")
    g = DesktopGuest(args.qemu, build_initrd(p, work), devs, work, image)
    client = None
    blob = os.urandom(300 * 1024)
    blob_path = os.path.join(work, "xfer-blob.bin")
    with open(blob_path, "wb") as f:
        f.write(blob)
    try:
        g.start(timeout=300)
        tap.ok(True, "guest_boots")
        g.run("export DISPLAY=:0")
        if not tap.ok(desktop.load_driver(g, p) == "qxlng", "qxlng_binds"):
            raise GuestError("no display driver")
        if not tap.ok(desktop.xorg_start(g, 1), "xorg_starts"):
            raise GuestError("Xorg did not start")
        client = Client(port, os.path.join(work, "client.log"))
        g.run("modprobe -a virtio_console uinput")
        if not desktop.wait_until(g, "[ -e /dev/virtio-ports/"
                                  "com.redhat.spice.0 ]"):
            raise GuestError("no virtio port com.redhat.spice.0")
        progress("agent", "spice-vdagentd and spice-vdagent")
        g.run("mkdir -p /run/spice-vdagentd /tmp/xfer; "
              "spice-vdagentd -x -X -d > /tmp/vdagentd.log 2>&1 &")
        desktop.wait_until(g, "[ -S /run/spice-vdagentd/"
                           "spice-vdagent-sock ]")
        g.run("eval $(dbus-launch --sh-syntax); "
              "spice-vdagent -x -f /tmp/xfer -o 0 > /tmp/vdagent.log 2>&1 &")
        got = client.expect(["agent: guest"], 180)
        if not tap.ok(got is not None, "client_sees_the_guest_agent",
                      g.run("cat /tmp/vdagentd.log /tmp/vdagent.log",
                            check=False)):
            raise GuestError("no guest agent")

        progress("agent", "clipboard client -> guest")
        client.send("grab " + TO_GUEST)
        client.expect(["grabbed"], 30)
        seen = ""
        for _ in range(30):
            seen = g.run("xclipio get 5", check=False, timeout=60)
            if seen == TO_GUEST:
                break
            time.sleep(1)
        tap.ok(seen == TO_GUEST, "clipboard_reaches_the_guest",
               "guest read %r" % seen)

        progress("agent", "clipboard guest -> client")
        g.run("xclipio set '%s'" % TO_CLIENT)
        clip = None
        for _ in range(30):
            client.send("request")
            clip = client.expect(["clip: "], 5)
            if clip == "clip: " + TO_CLIENT:
                break
        tap.ok(clip == "clip: " + TO_CLIENT, "clipboard_reaches_the_client",
               "client got %r" % clip)

        progress("agent", "file transfer (%d bytes)" % len(blob))
        client.send("file " + blob_path)
        res = client.expect(["file: ", "file-error: "], 300)
        sums = g.run("sha256sum /tmp/xfer/* 2>&1", check=False)
        want = hashlib.sha256(blob).hexdigest()
        tap.ok(res == "file: ok" and want in sums and
               "xfer-blob.bin" in sums, "file_lands_in_the_guest",
               "client %r, guest %r" % (res, sums.strip()))
        tap.ok(g.alive(), "qemu_still_running")
    except (GuestError, ValueError, OSError) as e:
        tap.ok(False, "reached_the_end", str(e))
        try:
            tap.comment(g.run("cat /tmp/vdagentd.log /tmp/vdagent.log",
                              check=False, timeout=20))
        except (GuestError, ValueError, OSError):
            pass
    finally:
        if client is not None:
            client.stop()
        g.stop()
    if tap.failed:
        desktop.comment_tails(tap, work,
                              ("client.log", "qemu.stderr", "serial.log"), 20)
