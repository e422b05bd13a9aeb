#!/usr/bin/python3
"""desktop.py: X desktop tests on the Debian guest image.

    tests/desktop/desktop.py [--qemu BIN] [--work DIR] [--only PAIRING,...]
                             [--rounds N] [--windows N] [--switches N]
                             [--jobs N] [--repeat N] CASE

Boots the desktop guest image (scripts/guest/mkimage, built once and cached
outside the clone) with the Debian kernel and a small per-run initramfs
(scripts/guest/mkimage-initrd) carrying this run's init, scripts and
modules; drives the guest over its first serial port (tests/interop/vm.py)
and looks at it through QMP screendump.  The kernel's console is a second
serial port, a file on the host: the kernel log survives a guest that dies.

Cases:
  stock-qxl-surfaces   issue 22: Xorg, then rounds of xterms opening,
                       printing, scrolling, moving, resizing and closing
                       while the screen changes size again and again
                       (xrandr -s): with the qxl DDX every size is a new
                       QXL off-screen surface, so qxl.ko creates and
                       destroys hundreds of them and runs its release
                       garbage collection over a thousand times (counted
                       with kprobes); then Xorg once more and a fixed final
                       scene (screendump).  Three pairings, side by side:
                         reference   Debian's QEMU -device qxl-vga, stock
                                     qxl.ko, Xorg's qxl DDX
                         stock-qxl   our QEMU -device qxlng-vga, stock
                                     qxl.ko, Xorg's qxl DDX
                         qxlng       our QEMU -device qxlng-vga, qxlng.ko,
                                     Xorg's modesetting driver
                       Checks per pairing: the surfaces and GC runs really
                       happen, the kernel log has no BUG/Oops/WARNING/
                       general protection/use-after-free/"Buffer eviction
                       failed" line, both Xorg sessions exit cleanly, the
                       device logged no guest error; the final pictures of
                       stock-qxl and qxlng equal the reference's pixel for
                       pixel.
  ddx                  issue 19: Xorg with the qxl DDX on qxlng.ko (QEMU's
                       qxl-vga and qxlng-vga, with and without xorg.conf)
                       against qxl.ko: no (EE), the final scene pixel-
                       identical (tests/desktop/case_ddx.py).
  session, full        issue 15: a user's desktop on every pairing
                       (tests/desktop/case_desktop.py has the list)
Prints TAP (progress on stderr); exits 1 on failure.  Files per pairing in
WORK/<pairing>/ (default build/tests/desktop/).  Needs /usr/bin/python3
(PIL).  Documentation/desktop-tests.rst has the details.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from tap import Tap  # noqa
from vm import Guest, GuestError, TOP, kernel_version, same_pixels  # noqa
from vm import qxlng_state  # noqa: F401 (cases use D.qxlng_state)
from interop import free_port  # noqa (the cases' SPICE ports)
import case_ddx  # noqa

BUILD = os.path.join(TOP, "build")
DEBIAN_QEMU = "/usr/bin/qemu-system-x86_64"
SIZE = (1024, 768)

# Kernel log lines that fail a run.
BAD_KERNEL = re.compile(r"BUG:|general protection|Oops|WARNING:|"
                        r"use-after-free|Buffer eviction failed|"
                        r"kernel BUG|blocked for more than")
# The qxl.ko functions counted with kprobes while the desktop runs.
PROBES = ("qxl_hw_surface_alloc", "qxl_alloc_surface_release_reserved",
          "qxl_surface_evict", "qxl_garbage_collect")

# The final scene: a window with the core font, one with Xft, fixed text,
# no cursor (Xorg -nocursor, xterm's text cursor hidden).
FINAL_TEXT = [
    "qxl-ng desktop test: final scene",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
    "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "issue 22: surfaces created and destroyed, then this.",
]
FINAL_WINDOWS = (
    # title, geometry, font arguments
    ("final-core", "64x10+40+40", "-fn fixed"),
    ("final-xft", "56x9+420+420", "-fa DejaVu-Sans-Mono -fs 10"),
)
ROOT_RGB = (0x20, 0x40, 0x60)
TERM_BG = (0x18, 0x18, 0x18)


class Pairing:
    def __init__(self, name, qemu, device, driver, ddx, ours):
        self.name, self.qemu, self.device = name, qemu, device
        self.driver, self.ddx, self.ours = driver, ddx, ours


# The same BAR sizes on every device.  With the defaults (64 MiB each) the
# stock qxl.ko fails allocations ("Buffer eviction failed") under this
# workload on Debian's QEMU too: spice-server keeps each drawable, and the
# image and surface buffers it uses, until something covers it, so a few
# dozen screen-size changes fill both BARs.  That is not what is tested.
DEVICE_PROPS = "ram_size_mb=256,vram_size_mb=256,vgamem_mb=32"


def pairings(args):
    props = ("," + args.device_props) if args.device_props else ""
    return [
        Pairing("reference", DEBIAN_QEMU, ["-device", "qxl-vga" + props],
                "qxl", "qxl", False),
        Pairing("stock-qxl", args.qemu, ["-device", "qxlng-vga" + props],
                "qxl", "qxl", True),
        Pairing("qxlng", args.qemu, ["-device", "qxlng-vga" + props],
                "qxlng", "modesetting", True),
    ]


# -- results ------------------------------------------------------------------

class Result:
    """What one pairing's run found: checks (name, ok, why), notes for the
    log, the final picture, counters."""

    def __init__(self, name):
        self.name = name
        self.checks = []
        self.notes = []
        self.final = None
        self.counts = {}
        self.seconds = 0

    def check(self, ok, name, why=""):
        self.checks.append((bool(ok), "%s_%s" % (self.name.replace("-", "_"),
                                                 name), why))
        return ok

    def note(self, text):
        for line in text.rstrip().splitlines():
            self.notes.append(line)




_print_lock = threading.Lock()


def progress(pairing, text):
    with _print_lock:
        print("# [%s] %s" % (pairing, text), file=sys.stderr, flush=True)


# -- the guest ----------------------------------------------------------------------

class DesktopGuest(Guest):
    """vm.Guest booting the desktop image (read-only, under a tmpfs overlay
    in the guest) with the kernel's console on a second serial port, a
    file on the host: the whole kernel log survives a guest that dies.  A
    command still running 20 s after the kernel log shows a problem (an
    oops in a worker leaves Xorg waiting forever) fails at once instead of
    at its timeout."""

    STALL = 20

    def __init__(self, qemu, initrd, device_args, work, image):
        self.klog_path = os.path.join(work, "kernel.log")
        extra = ["-drive", "file=%s,format=raw,if=none,id=root,readonly=on"
                 % image,
                 "-device", "virtio-blk-pci,drive=root",
                 "-serial", "file:" + self.klog_path,
                 "-d", "guest_errors"]
        super().__init__(qemu, initrd, device_args, work, extra_args=extra,
                         memory=1024, append="qxlng.root=/dev/vda loglevel=7")
        i = self.argv.index("-append") + 1
        self.argv[i] = self.argv[i].replace("console=ttyS0", "console=ttyS1")

    def run_watched(self, cmd, timeout):
        """Run `cmd` in the background of the guest's shell and poll it, so
        the shell stays free: when the kernel reports a problem and `cmd`
        hangs, the logs can still be read.  Returns cmd's output."""
        self.run("rm -f /tmp/bg.rc; { %s; echo $? > /tmp/bg.rc; } "
                 "> /tmp/bg.out 2>&1 &" % cmd)
        deadline = time.time() + timeout
        stall = None
        while True:
            self.run("[ -e /tmp/bg.rc ]", check=False)
            if self.rc == 0:
                out = self.run("cat /tmp/bg.out; exit_rc=$(cat /tmp/bg.rc);"
                               " [ $exit_rc = 0 ]", check=False)
                if self.rc != 0:
                    raise GuestError("%s failed: %s" % (cmd, tail(out, 5)))
                return out
            bad = kernel_log_problems(self.kernel_log())
            if bad and stall is None:
                stall = time.time() + self.STALL
            if stall is not None and time.time() > stall:
                raise GuestError("stuck after the kernel reported: %s"
                                 % bad[0].strip())
            if time.time() > deadline:
                raise GuestError("timeout (%ds) running %s" % (timeout, cmd))
            time.sleep(1)

    def kernel_log(self):
        try:
            with open(self.klog_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def expect(self, marker, timeout=60):
        deadline = time.time() + timeout
        while True:
            try:
                return Guest.expect(self, marker,
                                    max(0.1, min(2, deadline - time.time())))
            except GuestError:
                if not self.alive() or time.time() >= deadline:
                    raise
            bad = kernel_log_problems(self.kernel_log())
            if bad:
                deadline = min(deadline, time.time() + self.STALL)
                if time.time() + 2 >= deadline:
                    raise GuestError("stuck after the kernel reported: %s"
                                     % bad[0].strip())


# -- building -------------------------------------------------------------------

def guest_image():
    """The cached image (scripts/guest/mkimage builds it the first time)."""
    out = subprocess.run([os.path.join(TOP, "scripts", "guest", "mkimage")],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return out.strip().splitlines()[-1]


def xorg_conf(ddx):
    dev = ['Section "Device"', '    Identifier "card0"',
           '    Driver "%s"' % ddx]
    if ddx == "modesetting":
        # No GL in the guest: glamor would only fail; draw with pixman.
        dev.append('    Option "AccelMethod" "none"')
    dev.append("EndSection")
    return "\n".join([
        'Section "ServerFlags"',
        '    Option "BlankTime" "0"',
        '    Option "StandbyTime" "0"',
        '    Option "SuspendTime" "0"',
        '    Option "OffTime" "0"',
        "EndSection",
        ""] + dev + [
        "",
        'Section "Screen"',
        '    Identifier "screen0"',
        '    Device "card0"',
        "    DefaultDepth 24",
        '    SubSection "Display"',
        '        Modes "%dx%d"' % SIZE,
        "    EndSubSection",
        "EndSection",
        ""])


def build_payload(p, work):
    """The run's files for /qxlng in the guest: init, scripts, xorg.conf,
    the module policy, qxlng.ko when it is the driver under test."""
    pay = os.path.join(work, "payload")
    shutil.rmtree(pay, ignore_errors=True)
    for d in ("bin", "modules", "share", "etc/modprobe.d", "etc/X11"):
        os.makedirs(os.path.join(pay, d))
    shutil.copy(os.path.join(HERE, "init"), os.path.join(pay, "init"))
    shutil.copy(os.path.join(HERE, "xstorm"), os.path.join(pay, "bin"))
    with open(os.path.join(pay, "etc", "modprobe.d", "qxlng-test.conf"),
              "w") as f:
        f.write("# the test loads the display driver under test itself\n"
                "blacklist qxl\n")
    with open(os.path.join(pay, "etc", "X11", "xorg.conf"), "w") as f:
        f.write(xorg_conf(p.ddx))
    with open(os.path.join(pay, "share", "final.txt"), "w") as f:
        f.write("\n".join(FINAL_TEXT) + "\n")
    if p.driver == "qxlng":
        shutil.copy(os.path.join(BUILD, "guest", "qxlng.ko"),
                    os.path.join(pay, "modules", "qxlng.ko"))
    return pay


def pack_initrd(pay, work):
    """The payload folder pay packed by mkimage-initrd into
    work/initrd.gz; its path."""
    out = os.path.join(work, "initrd.gz")
    subprocess.run([os.path.join(TOP, "scripts", "guest", "mkimage-initrd"),
                    "--out", out, "--payload", pay],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def build_initrd(p, work):
    return pack_initrd(build_payload(p, work), work)


# -- guest steps -----------------------------------------------------------------

def wait_until(g, cond, tries=600, timeout=120):
    """Run `cond` in the guest every 0.1 s until it succeeds; its status."""
    g.run("i=0; until %s; do [ $i -ge %d ] && break; sleep 0.1; "
          "i=$((i+1)); done" % (cond, tries), timeout=timeout)
    g.run(cond, timeout=30, check=False)
    return g.rc == 0


def load_driver(g, p):
    if p.driver == "qxl":
        g.run("modprobe qxl")
    else:
        g.run("modprobe -a $(modinfo -F depends /qxlng/modules/qxlng.ko | "
              "tr , ' ') && insmod /qxlng/modules/qxlng.ko")
    if not wait_until(g, "[ -e /dev/dri/card0 ]"):
        return ""
    return g.run("basename $(readlink /sys/class/drm/card0/device/driver)"
                 ).strip()


def add_probes(g):
    """kprobes on qxl.ko's surface and garbage collection functions; their
    hit counts are in kprobe_profile (nothing is traced)."""
    t = "/sys/kernel/tracing"
    g.run("echo 0 > %s/tracing_on" % t)
    for fn in PROBES:
        g.run("echo 'p:qxlng/%s qxl:%s' >> %s/kprobe_events && "
              "echo 1 > %s/events/qxlng/%s/enable" % (fn, fn, t, t, fn))


def probe_counts(g):
    out = g.run("cat /sys/kernel/tracing/kprobe_profile")
    counts = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 2 and f[1].isdigit():
            counts[f[0].split("/")[-1]] = int(f[1])
    return counts


def surface_counts(hits):
    """qxl.ko's surface creates (qxl_hw_surface_alloc), destroys (the rest
    of qxl_alloc_surface_release_reserved's calls: one per create and one
    per destroy), release garbage collection runs, and calls of
    qxl_surface_evict (each freed buffer, and surfaces moved out of the
    surface BAR)."""
    creates = hits.get("qxl_hw_surface_alloc", 0)
    return {"creates": creates,
            "destroys": hits.get("qxl_alloc_surface_release_reserved", 0) -
            creates,
            "gc_runs": hits.get("qxl_garbage_collect", 0),
            "evict_calls": hits.get("qxl_surface_evict", 0)}


def xorg_start(g, n, flags=""):
    """Start Xorg session n on vt7; True once clients can connect."""
    g.run("Xorg :0 vt7 -nolisten tcp -noreset -s 0 -dpms %s "
          "-logfile /tmp/xorg-%d.log > /tmp/xorg-%d.out 2>&1 & XPID=$!"
          % (flags, n, n))
    up = wait_until(g, "{ xdpyinfo > /dev/null 2>&1 || ! kill -0 $XPID; }",
                    tries=1800, timeout=240)
    g.run("kill -0 $XPID", check=False)
    return up and g.rc == 0


def xorg_stop(g, n):
    """SIGTERM to Xorg; (clean, why): exit status 0, 'Server terminated
    successfully' in its log and no (EE) or fatal lines there."""
    out = g.run("kill -TERM $XPID; i=0; while kill -0 $XPID 2>/dev/null && "
                "[ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; "
                "if kill -0 $XPID 2>/dev/null; then kill -KILL $XPID; "
                "echo 'status: still running 30 s after SIGTERM'; "
                "else wait $XPID; echo status $?; fi", timeout=120)
    status = out.strip().splitlines()[-1] if out.strip() else "?"
    log = g.run("cat /tmp/xorg-%d.log" % n, check=False)
    bad = [line for line in log.splitlines()
           if line.startswith("(EE)") or "Fatal server error" in line]
    clean = (status == "status 0" and not bad and
             "Server terminated successfully" in log)
    why = "%s; %s" % (status, "; ".join(bad[:8]) or
                      "no 'Server terminated successfully' in the log"
                      if not clean else "")
    return clean, why, log


def final_scene(g):
    """Root colour, two xterms with fixed text, cursor hidden; returns once
    both have drawn their text."""
    g.run("xsetroot -solid '#%02x%02x%02x'" % ROOT_RGB)
    for title, geom, font in FINAL_WINDOWS:
        g.run("rm -f /tmp/%s.done; xterm -T %s -geometry %s %s +sb "
              "-fg '#f0f0f0' -bg '#%02x%02x%02x' -e sh -c "
              "\"printf '\\033[?25l'; cat /qxlng/share/final.txt; "
              "touch /tmp/%s.done; exec sleep 100000\" > /dev/null 2>&1 &"
              % ((title, title, geom, font) + TERM_BG + (title,)))
    for title, _, _ in FINAL_WINDOWS:
        if not wait_until(g, "[ -e /tmp/%s.done ]" % title, timeout=180):
            return False
    g.run("sleep 2")
    return True


def picture_drawn(img):
    """The final scene is on screen: right size, root colour, both windows'
    background and light text pixels."""
    if img.size != SIZE:
        return False, "size %dx%d" % img.size
    colors = img.getcolors(1 << 20) or []
    n = {c: k for k, c in colors}
    light = sum(k for k, c in colors if min(c) >= 0xa0)
    root, term = n.get(ROOT_RGB, 0), n.get(TERM_BG, 0)
    ok = root > 100000 and term > 100000 and light > 2000
    return ok, "root %d, window %d, text %d pixels" % (root, term, light)


def kernel_log_problems(text):
    return [line for line in text.splitlines() if BAD_KERNEL.search(line)]


def tail(text, n):
    return "\n".join(text.rstrip().splitlines()[-n:])


# -- one pairing ----------------------------------------------------------------

def start_pairing(p, top_work):
    """A fresh folder top_work/<pairing> and the start time."""
    work = os.path.join(top_work, p.name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    t0 = time.time()
    progress(p.name, "initramfs and boot")
    return work, t0


def run_pairing(args, p, image, res, top_work):
    work, t0 = start_pairing(p, top_work)
    initrd = build_initrd(p, work)
    g = DesktopGuest(p.qemu, initrd, p.device, work, image)
    step = "boot"
    xorg_logs = {}
    try:
        g.start(timeout=300)
        res.check(True, "guest_boots")
        g.run("export DISPLAY=:0")
        step = "driver"
        bound = load_driver(g, p)
        if not res.check(bound == p.driver, "%s_binds" % p.driver,
                         "driver %r" % bound):
            raise GuestError("no driver")
        if p.driver == "qxl":
            add_probes(g)

        step = "xorg session 1"
        progress(p.name, "Xorg (%s DDX): %d rounds of %d xterms and %d "
                 "screen sizes" % (p.ddx, args.rounds, args.windows,
                                   args.switches))
        if not res.check(xorg_start(g, 1), "xorg_starts"):
            raise GuestError("Xorg did not start")
        step = "xstorm"
        sizes = 0
        for r in range(args.rounds):
            step = "xstorm round %d" % r
            out = g.run_watched("xstorm %d %d %d" % (r, args.windows,
                                                      args.switches),
                                timeout=600).strip()
            m = re.search(r"(\d+) screen sizes", out)
            sizes += int(m.group(1)) if m else 0
            g.run("kill -0 $XPID", check=False)
            if g.rc != 0:
                raise GuestError("Xorg died in round %d" % r)
            progress(p.name, out.splitlines()[-1] if out else "round %d" % r)
        res.check(sizes == args.rounds * args.switches,
                  "screen_size_changes_done", "%d of %d"
                  % (sizes, args.rounds * args.switches))
        step = "xorg exit 1"
        clean, why, xorg_logs[1] = xorg_stop(g, 1)
        res.check(clean, "xorg_exits_cleanly", why)
        if p.driver == "qxl":
            # (freed buffers reach qxl.ko's destroy a moment later)
            g.run("sleep 2")
            c = res.counts = surface_counts(probe_counts(g))
            progress(p.name, "qxl.ko: %s" % c)
            # Each size change is a new screen surface and the end of the
            # old one: hundreds of creates and destroys.  (spice-server
            # keeps drawables, and the surfaces they use, until something
            # covers them: on the reference some outlive Xorg.)
            want_destroys = sizes if p.ours else 0
            res.check(c["creates"] >= sizes >= 100 and
                      c["destroys"] >= want_destroys,
                      "hundreds_of_surfaces_created_and_destroyed",
                      "%d creates, %d destroys for %d screen sizes"
                      % (c["creates"], c["destroys"], sizes))
            res.check(c["gc_runs"] >= sizes, "release_garbage_collection_runs",
                      "%d runs for %d screen sizes" % (c["gc_runs"], sizes))
        if p.driver == "qxlng":
            st = res.counts = qxlng_state(g)
            progress(p.name, "qxlng.ko: %s" % st)
            bad = {k: st.get(k) for k in ("bad_releases", "irq_error",
                                          "io_timeouts", "io_resets",
                                          "guest_bug") if st.get(k) != 0}
            res.check(not bad and st.get("draws", 0) >= sizes,
                      "qxlng_counters_clean",
                      "%s; %s draws for %d screen sizes"
                      % (bad or "no errors", st.get("draws"), sizes))

        step = "xorg session 2"
        progress(p.name, "Xorg again, final scene")
        if not res.check(xorg_start(g, 2, "-nocursor"), "xorg_restarts"):
            raise GuestError("Xorg did not start again")
        step = "final scene"
        drawn = final_scene(g)
        img = g.stable_screendump("final")
        res.final = img
        ok, why = picture_drawn(img)
        res.check(drawn and ok, "final_scene_on_screen", why)
        step = "xorg exit 2"
        clean, why, xorg_logs[2] = xorg_stop(g, 2)
        res.check(clean, "xorg_exits_cleanly_again", why)
        g.run("sleep 1")
        res.check(g.alive(), "qemu_still_running")
    except (GuestError, ValueError, OSError) as e:
        res.check(False, "reached_the_end", "stopped at %s: %s" % (step, e))
        fetch_xorg_logs(g, xorg_logs)
    finally:
        g.stop()
    finish_pairing(res, p, g, work, xorg_logs, t0)


def fetch_xorg_logs(g, xorg_logs, sessions=(1, 2), again=False):
    """After a failed step: the guest's /tmp/xorg-N.log for each session
    into xorg_logs while the guest still answers (those already there
    only when again)."""
    if not g.alive() or g.qmp is None:
        return
    for n in sessions:
        if n in xorg_logs and not again:
            continue
        try:
            log = Guest.run(g, "cat /tmp/xorg-%d.log" % n,
                            timeout=10, check=False)
            if g.rc == 0:
                xorg_logs[n] = log
        except (GuestError, ValueError, OSError):
            break


def finish_pairing(res, p, g, work, xorg_logs, t0, panics=False):
    """Once the guest g has stopped: check its kernel log and QEMU's
    stderr, keep the Xorg logs in work, explain any failed check, time
    the pairing.  With panics, 'Kernel panic' lines are problems too and
    the check gives no reason for a missing kernel log."""
    klog = g.kernel_log()
    problems = kernel_log_problems(klog)
    if panics:
        problems += [line for line in klog.splitlines()
                     if "Kernel panic" in line]
    res.check(not problems and "Linux version" in klog, "kernel_log_clean",
              "; ".join(problems[:4]) if problems or panics else
              ("" if "Linux version" in klog else "no kernel log"))
    stderr_path = os.path.join(work, "qemu.stderr")
    qerr = open(stderr_path, errors="replace").read() \
        if os.path.exists(stderr_path) else ""
    guest_errors = [line for line in qerr.splitlines()
                    if "qxl" in line.lower()]
    res.check(not guest_errors, "device_logs_no_guest_error",
              "; ".join(guest_errors[:4]))
    for n, log in sorted(xorg_logs.items()):
        with open(os.path.join(work, "xorg-%d.log" % n), "w") as f:
            f.write(log)
    if not all(ok for ok, _, _ in res.checks):
        explain(res, klog, problems, xorg_logs, qerr, work)
    res.seconds = time.time() - t0
    progress(p.name, "done in %ds" % res.seconds)


def run_safe(res, fn, *fn_args):
    """fn(*fn_args), with any surprise (a missing qxlng.ko, a bug here)
    reported as res's failed check 'ran' instead of a dead thread."""
    try:
        fn(*fn_args)
    except Exception as e:  # noqa: B902 (the thread must report it)
        res.check(False, "ran", "%s: %s" % (type(e).__name__, e))


def run_side_by_side(jobs, calls):
    """Each of calls (functions of no arguments) in a thread of its own,
    at most jobs at a time, in order; returns when all are done."""
    pending, running = list(calls), []
    while pending or running:
        while pending and len(running) < jobs:
            t = threading.Thread(target=pending.pop(0))
            t.start()
            running.append(t)
        running.pop(0).join()


def report(tap, res, title):
    """A pairing's result as TAP: title as a comment, its checks, its
    notes."""
    tap.comment(title)
    for ok, name, why in res.checks:
        tap.ok(ok, name, why)
    if res.notes:
        tap.comment("\n".join(res.notes))


def comment_tails(tap, work, names, n):
    """The last n lines of each of work's files names that exists, as TAP
    comments."""
    for name in names:
        path = os.path.join(work, name)
        if os.path.exists(path):
            with open(path, errors="replace") as fh:
                tap.comment("%s (tail):\n%s"
                            % (name, "".join(fh.readlines()[-n:])))


def explain(res, klog, problems, xorg_logs, qerr, work):
    """The kernel log from its first problem (or its tail), the Xorg logs'
    errors (or tails), the device's complaints."""
    path = os.path.join(work, "kernel.log")
    if problems:
        lines = klog.splitlines()
        i = next(k for k, line in enumerate(lines) if line == problems[0])
        res.note("kernel log from its first problem (%s):" % path)
        res.note("\n".join(lines[max(0, i - 3):i + 45]))
    else:
        res.note("kernel log tail (%s):" % path)
        res.note(tail(klog, 25))
    for n, log in sorted(xorg_logs.items()):
        lines = [line for line in log.splitlines()
                 if re.search(r"\((EE|WW)\) |Fatal|Backtrace|"
                              r"qxl\(0\).*(error|fail)", line) and
                 not re.search(r"\(WW\) warning, \(EE\) error|"
                               r"does not exist|setsid failed", line)]
        res.note("Xorg session %d (%s):" % (
            n, os.path.join(work, "xorg-%d.log" % n)))
        if lines:
            res.note("\n".join(lines[:30]))
        res.note("... its last lines:")
        res.note(tail(log, 8))
    if qerr.strip():
        res.note("QEMU stderr (%s):" % os.path.join(work, "qemu.stderr"))
        res.note(tail(qerr, 15))


def one_run(args, tap, image, work):
    ps = pairings(args)
    if args.only:
        ps = [p for p in ps if p.name in args.only.split(",")]
    results = {p.name: Result(p.name) for p in ps}
    # Each guest is one TCG vCPU: --jobs of them run side by side.
    run_side_by_side(args.jobs, [
        (lambda p=p: run_safe(results[p.name], run_pairing, args, p, image,
                              results[p.name], work)) for p in ps])
    for p in ps:
        res = results[p.name]
        report(tap, res, "%s: %s %s, %s driver, Xorg %s DDX (%ds)%s"
               % (p.name, p.qemu, " ".join(p.device), p.driver, p.ddx,
                  res.seconds, ", %s counts %s" % (p.driver, res.counts)
                  if res.counts else ""))
    ref = results.get("reference")
    if ref is None or ref.final is None:
        return
    for name, test in (("stock-qxl", "stock_qxl_final_scene_equals_reference"),
                       ("qxlng", "qxlng_final_scene_equals_reference")):
        res = results.get(name)
        if res is None:
            continue
        if res.final is None:
            tap.ok(False, test, "no final picture from %s" % name)
            continue
        same, why = same_pixels(res.final, ref.final)
        tap.ok(same, test, why)
        if not same:
            res.final.save(os.path.join(work, name + "-final.png"))
            ref.final.save(os.path.join(work, "reference-final.png"))
            diff = diff_image(res.final, ref.final)
            if diff is not None:
                diff.save(os.path.join(work, name + "-diff.png"))
                tap.comment("pictures and their difference in %s" % work)


def diff_image(a, b):
    """White where a and b differ (same size only)."""
    if a.size != b.size:
        return None
    from PIL import ImageChops
    return ImageChops.difference(a, b).convert("L").point(
        lambda v: 255 if v else 0)


def case_stock_qxl_surfaces(args, tap):
    image = guest_image()
    if args.repeat == 1:
        one_run(args, tap, image, args.work)
        return
    for i in range(args.repeat):
        tap.comment("run %d of %d" % (i + 1, args.repeat))
        one_run(args, tap, image, os.path.join(args.work, "run-%d" % (i + 1)))


CASES = {
    "stock-qxl-surfaces": case_stock_qxl_surfaces,
    "ddx": case_ddx.case_ddx,
    "audio": lambda a, t: __import__("case_audio").case_audio(a, t),
    # issue 15, in tests/desktop/case_desktop.py (imported when run)
    "session": lambda a, t: __import__("case_desktop").case_desktop(a, t),
    "full": lambda a, t: __import__("case_desktop").case_desktop_full(a, t),
    "agent": lambda a, t: __import__("case_agent").case_agent(a, t),
}


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--qemu", default=os.path.join(BUILD, "qemu",
                                                    "qemu-system-x86_64"),
                    help="our QEMU (default %(default)s)")
    ap.add_argument("--work", default=os.path.join(BUILD, "tests",
                                                    "desktop"))
    ap.add_argument("--rounds", type=int, default=5,
                    help="xstorm rounds per pairing (default %(default)s)")
    ap.add_argument("--windows", type=int, default=2,
                    help="xterms per round (default %(default)s)")
    ap.add_argument("--switches", type=int, default=40,
                    help="screen size changes per round "
                         "(default %(default)s)")
    ap.add_argument("--only", default="",
                    help="comma-separated pairings: reference,stock-qxl,"
                         "qxlng")
    ap.add_argument("--jobs", type=int, default=3,
                    help="guests at a time (default %(default)s)")
    ap.add_argument("--device-props", default=DEVICE_PROPS,
                    help="properties of every display device "
                         "(default %(default)s)")
    ap.add_argument("--steps", default="",
                    help="session and full: only these steps, comma-"
                         "separated (xorg always runs; default all: "
                         "xrandr,cursor,resize,s3,flips,damage,kmscube,"
                         "weston,reload,depth16,monitors)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run everything N times (how often does it fail?)")
    ap.add_argument("case", choices=sorted(CASES))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    kernel_version()
    tap = Tap()
    try:
        CASES[args.case](args, tap)
    except (GuestError, subprocess.CalledProcessError, OSError) as e:
        tap.ok(False, args.case, str(e))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
