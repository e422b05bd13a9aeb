#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""usbredir and port channels through QEMU: the interop guest (Debian's
kernel, busybox initramfs; tests/interop/vm.py) under TCG with

  -device qemu-xhci
  -chardev spice-core,name=usbredir (x2) + -device usb-redir
  -device virtio-serial-pci
  -chardev spice-core,name=org.qxlng.test.0 + -device virtserialport

A USB device written in Python (usbdev.py) speaks usbredir over a real
SPICE usbredir channel: the guest enumerates it (idVendor, idProduct and
product in /sys/bus/usb/devices), and the client leaving removes it.
Garbage usbredir bytes and a flood on the second channel leave QEMU and
the guest running, and the device enumerates again afterwards.  Then
spice-gtk's PortChannel (port_client.py) and the guest's
/dev/vportNp1 exchange bytes both ways; PORT_INIT names the port.

  vm_test.py [--qemu BIN] [--work DIR]"""
import argparse
import os
import random
import select
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "interop"))
sys.path.insert(0, HERE)
import vm  # noqa: E402
from peers import Reader, free_port  # noqa: E402
from tap import Tap  # noqa: E402
from usbdev import Device, PRODUCT, STRINGS, VENDOR  # noqa: E402
from vmclib import (PORT, USBREDIR, VMC_DATA, connect,  # noqa: E402
                    main_session)
from sclib import msg, read_msg  # noqa: E402

BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
PORT_NAME = "org.qxlng.test.0"
WANT = "%04x:%04x:%s" % (VENDOR, PRODUCT, STRINGS[2])


class Redirect(Reader):
    """The device on usbredir channel `cid`: what QEMU's usb-redir sends
    goes to usbdev.Device, its answers go back; stop() closes the
    channel (the client leaves)."""

    def __init__(self, port, sid, cid):
        super().__init__(connect(port, USBREDIR, cid, sid), read_msg)
        self.dev = Device()
        self.s.sendall(msg(VMC_DATA, self.dev.connect_packets()))
        self.start()

    def handle(self, m):
        if m[0] == VMC_DATA:
            out = self.dev.feed(m[1])
            if out:
                self.s.sendall(msg(VMC_DATA, out))


def usb_devices(g):
    out = g.run("for d in /sys/bus/usb/devices/*; do [ -f $d/idVendor ] && "
                "echo \"$(cat $d/idVendor):$(cat $d/idProduct):"
                "$(cat $d/product 2>/dev/null)\"; done; true")
    return [line.strip() for line in out.splitlines() if line.strip()]


def wait_usb(g, present, timeout=240):
    deadline = time.time() + timeout
    while True:
        devs = usb_devices(g)
        if (WANT in devs) == present or time.time() > deadline:
            return devs
        time.sleep(1)


def usb_cases(tap, g, port):
    main, sid, pairs = main_session(port)
    tap.ok({(USBREDIR, 0), (USBREDIR, 1), (PORT, 0)} <= pairs,
           "CHANNELS_LIST: usbredir 0 and 1, port 0", "got %s" % sorted(pairs))
    r = Redirect(port, sid, 0)
    devs = wait_usb(g, True)
    tap.ok(WANT in devs, "the guest enumerates the redirected device "
           "(%s)" % WANT, "guest sees %s; device log: %s; requests %s"
           % (devs, r.dev.log, r.dev.requests[:20]))
    tap.ok(r.dev.config == 1, "the guest set its configuration",
           "device log: %s" % r.dev.log)
    r.stop()
    devs = wait_usb(g, False)
    tap.ok(WANT not in devs, "the client leaving removes it from the guest",
           "guest still sees %s" % devs)

    # hostile: garbage, then a flood, on usbredir 1
    h = connect(port, USBREDIR, 1, sid)
    rng = random.Random(13)
    for _ in range(64):
        h.sendall(msg(VMC_DATA, rng.randbytes(rng.randrange(1, 4096))))
    junk = msg(VMC_DATA, bytes([0xff]) * 60000)
    h.setblocking(False)
    sent, t_end = 0, time.time() + 20
    while sent < (4 << 20) and time.time() < t_end:
        _, w, _ = select.select([], [h], [], 1)
        if w:
            try:
                sent += h.send(junk)
            except (BlockingIOError, ConnectionError):
                break
    h.close()
    out = g.run("echo still-here", timeout=120)
    tap.ok("still-here" in out and g.alive(), "garbage and a flood (%d KiB) "
           "on usbredir 1: QEMU and the guest go on" % (sent >> 10))
    r = Redirect(port, sid, 0)
    devs = wait_usb(g, True)
    tap.ok(WANT in devs, "the device enumerates again afterwards",
           "guest sees %s; device log %s" % (devs, r.dev.log))
    r.stop()
    main.close()


def port_cases(tap, g, port, work):
    names = g.run("for p in /sys/class/virtio-ports/*; do echo "
                  "$(basename $p) $(cat $p/name); done")
    dev = None
    for line in names.splitlines():
        w = line.split()
        if len(w) == 2 and w[1] == PORT_NAME:
            dev = "/dev/" + w[0]
    tap.ok(dev is not None, "the guest has the virtio port %s" % PORT_NAME,
           "ports: %r" % names)
    if dev is None:
        return
    g.run("exec 3<>%s" % dev)
    token = "client-to-guest-%08x" % random.getrandbits(32)
    back = "guest-to-client-%08x" % random.getrandbits(32)
    log = open(os.path.join(work, "port_client.log"), "w")
    cl = subprocess.Popen([sys.executable, os.path.join(HERE, "port_client.py"),
                           "--port", str(port), "--name", PORT_NAME,
                           "--send", token, "--timeout", "300"],
                          stdout=subprocess.PIPE, stderr=log)
    lines = []
    pending = [b""]     # unread lines, and a partial one last

    def until(pred, timeout=120):
        """The client's next line for which pred is true (read from the
        pipe unbuffered: select sees only what the buffer has not)."""
        deadline = time.time() + timeout
        fd = cl.stdout.fileno()
        while time.time() < deadline:
            while len(pending) > 1:
                line = pending.pop(0).decode(errors="replace").strip()
                lines.append(line)
                if pred(line):
                    return line
            r, _, _ = select.select([fd], [], [], 1)
            if r:
                data = os.read(fd, 4096)
                if not data:
                    return None
                parts = (pending.pop() + data).split(b"\n")
                pending.extend(parts)
        return None

    init = until(lambda l: l.startswith("init "))
    tap.ok(init == "init %s 1" % PORT_NAME, "PORT_INIT: the port's name, "
           "open", "client said %r" % lines)
    until(lambda l: l.startswith("sent "))
    got = g.run("dd bs=1 count=%d <&3 2>/dev/null" % len(token), timeout=120)
    tap.ok(token in got, "the client's bytes reach the guest's port",
           "guest read %r" % got)
    g.run("echo -n %s >&3" % back)
    want_hex = back.encode().hex()
    acc = ""

    def got_all(line):
        nonlocal acc
        if line.startswith("got "):
            acc += line[4:]
        return want_hex in acc
    until(got_all)
    tap.ok(want_hex in acc, "the guest's bytes reach the client",
           "client got %r" % bytes.fromhex(acc))
    g.run("exec 3<&-")
    closed = until(lambda l: l == "closed")
    tap.ok(closed == "closed", "the guest closing its port is a PORT_EVENT",
           "client said %r" % lines)
    cl.kill()
    cl.wait()
    log.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qemu", default=os.path.join(BUILD, "qemu",
                                                   "qemu-system-x86_64"))
    ap.add_argument("--work", default=os.path.join(BUILD, "tests",
                                                   "usbredir"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    tap = Tap()
    vm.EXTRA_MODULES = vm.EXTRA_MODULES + ("xhci_pci", "virtio_console")
    print("# building the initramfs (xhci, virtio-console)", flush=True)
    initrd = vm.build_initramfs(os.path.join(a.work, "initrd.gz"), "qxl",
                                a.work)
    port = free_port()
    args = ["-object", "spice-core,id=sc0,addr=127.0.0.1,port=%d,"
            "disable-ticketing=on" % port,
            "-device", "qemu-xhci,id=xhci",
            "-chardev", "spice-core,id=r0,name=usbredir,spice=sc0",
            "-device", "usb-redir,chardev=r0,id=redir0,bus=xhci.0",
            "-chardev", "spice-core,id=r1,name=usbredir,spice=sc0",
            "-device", "usb-redir,chardev=r1,id=redir1,bus=xhci.0",
            "-device", "virtio-serial-pci",
            "-chardev", "spice-core,id=p0,name=%s,spice=sc0" % PORT_NAME,
            "-device", "virtserialport,chardev=p0,name=%s" % PORT_NAME]
    work = os.path.join(a.work, "vm")
    print("# booting the guest under TCG (a few minutes under load)",
          flush=True)
    try:
        with vm.Guest(a.qemu, initrd, args, work) as g:
            usb_cases(tap, g, port)
            port_cases(tap, g, port, work)
    except vm.GuestError as e:
        tap.ok(False, "the guest ran the cases", str(e))
    if tap.failed:
        err = os.path.join(work, "qemu.stderr")
        if os.path.exists(err):
            tap.comment("qemu.stderr (last lines):\n" +
                        "\n".join(open(err).read().splitlines()[-30:]))
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
