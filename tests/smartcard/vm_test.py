#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The smartcard channel through QEMU: the interop guest (Debian's kernel,
busybox initramfs; tests/interop/vm.py) under TCG with libvirt's forms

  -spice port=P,addr=127.0.0.1,disable-ticketing=on
  -device qemu-xhci -device usb-ccid
  -chardev spicevmc,name=smartcard -device ccid-card-passthru

and a scripted SPICE client that is the card (vsclib.py: VSC messages on
the smartcard channel).  The guest talks CCID to the reader through
usbdevfs (ccid-probe.c): it enumerates 08e6:4433, sees no card, then the
card the client inserted (ReaderAdd + ATR: the ATR the guest reads back
is the client's), sends an APDU that reaches the client byte for byte
and gets the client's answer back, and sees the card go on CardRemove.
QEMU's own answers (VSC_Error SUCCESS for ReaderAdd, ATR, CardRemove)
reach the client.  Before the boot, QEMU with no guest checks that
-chardev spice-core,name=smartcard opens too (CHANNELS_LIST offers
smartcard 0).

  vm_test.py [--qemu BIN] [--work DIR]"""
import argparse
import gzip
import os
import queue
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
from vsclib import (APDU, ATR, CARD_REMOVE, ERROR, READER_ADD,  # noqa: E402
                    SMARTCARD, SUCCESS, UNDEFINED, connect, error_payload,
                    main_session, read_vsc, vsc)

BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
CARD_ATR = bytes([0x3b, 0x05]) + b"QXLNG"     # T0, 5 historical bytes
GUEST_APDU = "00a4040007a0000000041010"       # SELECT by AID
CARD_RESP = b"qxl-ng card says hi" + bytes([0x90, 0x00])
OK = (ERROR, 0, 4, error_payload(SUCCESS))


class Card(Reader):
    """The client side: every VSC message from the server goes to
    self.got; an APDU is answered with CARD_RESP."""

    def __init__(self, s):
        super().__init__(s, read_vsc)
        self.got = queue.Queue()
        self.apdus = []
        self.start()

    def handle(self, m):
        if m[0] == APDU:
            self.apdus.append(m[3])
            self.s.sendall(vsc(APDU, 0, CARD_RESP))
        else:
            self.got.put(m)

    def next(self, timeout=120):
        try:
            return self.got.get(timeout=timeout)
        except queue.Empty:
            return None

def initramfs(work):
    """The interop initramfs (xhci) plus bin/ccid-probe, appended as one
    more gzip'd cpio archive."""
    vm.EXTRA_MODULES = vm.EXTRA_MODULES + ("xhci_pci",)
    out = vm.build_initramfs(os.path.join(work, "initrd.gz"), "qxl", work)
    probe = os.path.join(BUILD, "tests", "smartcard", "ccid-probe")
    tree = os.path.join(work, "overlay-smartcard")
    subprocess.check_call(["rm", "-rf", tree])
    os.makedirs(os.path.join(tree, "bin"))
    subprocess.check_call(["cp", probe, os.path.join(tree, "bin")])
    files = subprocess.check_output(["find", "."], cwd=tree)
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=tree,
                          input=files, check=True,
                          stdout=subprocess.PIPE).stdout
    with open(out, "ab") as f:
        f.write(gzip.compress(cpio, 1))
    return out


def spice_core_form(tap, qemu, work):
    """-chardev spice-core,name=smartcard on QEMU with no guest (-S)."""
    port = free_port()
    err = open(os.path.join(work, "noguest.stderr"), "w")
    p = subprocess.Popen([qemu, "-accel", "tcg", "-S", "-display", "none",
                          "-nodefaults", "-machine", "q35",
                          "-object", "spice-core,id=sc0,addr=127.0.0.1,"
                          "port=%d,disable-ticketing=on" % port,
                          "-device", "qemu-xhci,id=xhci",
                          "-device", "usb-ccid,id=ccid0,bus=xhci.0",
                          "-chardev", "spice-core,id=cc,name=smartcard,"
                          "spice=sc0",
                          "-device", "ccid-card-passthru,chardev=cc,"
                          "bus=ccid0.0"],
                         stdin=subprocess.DEVNULL, stdout=err, stderr=err)
    pairs = set()
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        try:
            main, _, pairs = main_session(port)
            main.close()
            break
        except OSError:
            time.sleep(0.5)
    p.terminate()
    p.wait(30)
    err.close()
    tap.ok((SMARTCARD, 0) in pairs, "-chardev spice-core,name=smartcard "
           "with ccid-card-passthru: CHANNELS_LIST offers smartcard 0",
           "got %s; qemu: %s" % (sorted(pairs), open(err.name).read()[-800:]))


def probe(g, *args):
    return g.run("ccid-probe %s 2>&1" % " ".join(args), timeout=180,
                 check=False).strip()


def wait_status(g, want, timeout=120):
    deadline = time.time() + timeout
    while True:
        out = probe(g, "status")
        if want in out or time.time() > deadline:
            return out
        time.sleep(1)


def card_cases(tap, g, port):
    out = ""
    deadline = time.time() + 240
    while time.time() < deadline:
        out = g.run("cat /sys/bus/usb/devices/*/idVendor "
                    "/sys/bus/usb/devices/*/idProduct 2>/dev/null; true")
        if "08e6" in out and "4433" in out:
            break
        time.sleep(1)
    tap.ok("08e6" in out and "4433" in out, "the guest enumerates the "
           "CCID reader (08e6:4433)", "sysfs ids: %r" % out)
    out = probe(g, "status")
    tap.ok("slot ICC=2" in out, "no client: the reader has no card",
           "ccid-probe: %r" % out)

    main, sid, pairs = main_session(port)
    tap.ok((SMARTCARD, 0) in pairs, "CHANNELS_LIST offers smartcard 0",
           "got %s" % sorted(pairs))
    card = Card(connect(port, SMARTCARD, 0, sid))
    card.s.sendall(vsc(READER_ADD, UNDEFINED, b"qxl-ng test reader\0"))
    got = card.next()
    tap.ok(got == OK, "ReaderAdd: ccid-card-passthru answers VSC_Error "
           "SUCCESS for reader 0", "got %r" % (got,))
    card.s.sendall(vsc(ATR, 0, CARD_ATR))
    got = card.next()
    tap.ok(got == OK, "ATR: ccid-card-passthru takes the card (SUCCESS)",
           "got %r" % (got,))
    out = wait_status(g, "slot ICC=0")
    tap.ok("slot ICC=0" in out, "the guest sees a card, powered",
           "ccid-probe: %r" % out)
    out = probe(g, "atr")
    tap.ok(out.startswith("atr %s status 0" % CARD_ATR.hex()),
           "IccPowerOn in the guest returns the client's ATR (%s)"
           % CARD_ATR.hex(), "ccid-probe: %r" % out)
    out = probe(g, "apdu", GUEST_APDU)
    tap.ok(card.apdus[:1] == [bytes.fromhex(GUEST_APDU)], "the guest's APDU "
           "reaches the client byte for byte", "client got %r"
           % card.apdus)
    tap.ok(out.startswith("resp %s status 0" % CARD_RESP.hex()),
           "the client's answer reaches the guest byte for byte",
           "ccid-probe: %r" % out)
    card.s.sendall(vsc(CARD_REMOVE, 0))
    got = card.next()
    tap.ok(got == OK, "CardRemove: SUCCESS", "got %r" % (got,))
    out = wait_status(g, "slot ICC=2")
    tap.ok("slot ICC=2" in out, "the guest sees the card gone",
           "ccid-probe: %r" % out)
    card.stop()
    main.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qemu", default=os.path.join(BUILD, "qemu",
                                                   "qemu-system-x86_64"))
    ap.add_argument("--work", default=os.path.join(BUILD, "tests",
                                                   "smartcard"))
    a = ap.parse_args()
    work = os.path.join(a.work, "vm")
    os.makedirs(work, exist_ok=True)
    tap = Tap()
    spice_core_form(tap, a.qemu, work)
    print("# building the initramfs (xhci, ccid-probe)", flush=True)
    initrd = initramfs(a.work)
    port = free_port()
    args = ["-spice", "port=%d,addr=127.0.0.1,disable-ticketing=on" % port,
            "-device", "qemu-xhci,id=xhci",
            "-device", "usb-ccid,id=ccid0,bus=xhci.0",
            "-chardev", "spicevmc,id=charsmartcard0,name=smartcard",
            "-device", "ccid-card-passthru,chardev=charsmartcard0,"
            "id=smartcard0,bus=ccid0.0"]
    print("# booting the guest under TCG", flush=True)
    try:
        with vm.Guest(a.qemu, initrd, args, work) as g:
            card_cases(tap, g, port)
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
