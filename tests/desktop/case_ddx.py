"""The desktop case 'ddx' (issue 19): Xorg with the qxl DDX
(xserver-xorg-video-qxl, KMS mode) on qxlng.ko.

The DDX draws with qxl.ko's driver ioctls (ALLOC, MAP, ALLOC_SURF,
EXECBUFFER with relocations, UPDATE_AREA), so on qxlng.ko it runs on
qxlng's qxl uapi.  Four pairings, each booting the desktop image, loading
its driver, starting Xorg with the qxl DDX and drawing the final scene
of desktop.py (root colour, two xterms with fixed text, no cursor):

  reference     Debian's QEMU -device qxl-vga, qxl.ko, xorg.conf naming
                the qxl DDX
  qxlng-on-qxl  Debian's QEMU -device qxl-vga, qxlng.ko, same xorg.conf
  qxlng         our QEMU -device qxlng-vga, qxlng.ko, same xorg.conf;
                then Xorg again without xorg.conf: its autoconfiguration
                must pick the qxl DDX itself

Checks per Xorg session: it starts with the qxl DDX in KMS mode, logs no
(EE) line, draws the scene and exits cleanly; with qxlng.ko the DDX's
commands reached the device (client_draws) and the driver's error
counters stay 0; per guest the kernel log is clean and the device logged
no guest error.  Every qxlng picture must equal the reference's pixel
for pixel.  The three guests run side by side (--jobs).
"""

import os

# desktop.py's machinery; it imports this module for its CASES table, so
# it is imported here when the case runs.
D = None

PAIRINGS = (
    # name, our QEMU?, device, driver, then without xorg.conf?
    ("reference", False, "qxl-vga", "qxl", False),
    ("qxlng-on-qxl", False, "qxl-vga", "qxlng", False),
    ("qxlng", True, "qxlng-vga", "qxlng", True),
)


class DdxPairing(object):
    def __init__(self, args, name, ours, device, driver, auto):
        props = ("," + args.device_props) if args.device_props else ""
        self.p = D.Pairing(name, args.qemu if ours else D.DEBIAN_QEMU,
                           ["-device", device + props], driver, "qxl", ours)
        self.auto = auto


def ddx_loaded(log):
    """The qxl DDX drove screen 0 in this Xorg log."""
    return ('LoadModule: "qxl"' in log and "qxl(0):" in log and
            "KMS" in log)


def xorg_session(g, p, res, n, what, xorg_logs):
    """Xorg session n with the qxl DDX: the final scene's picture."""
    tag = "" if n == 1 else "_" + what
    D.progress(p.name, "Xorg with the qxl DDX (%s)" % what)
    if not res.check(D.xorg_start(g, n, "-nocursor"), "xorg_starts" + tag):
        raise D.GuestError("Xorg did not start (%s)" % what)
    drawn = D.final_scene(g)
    img = g.stable_screendump("final" + tag)
    ok, why = D.picture_drawn(img)
    res.check(drawn and ok, "final_scene_on_screen" + tag, why)
    clean, why, xorg_logs[n] = D.xorg_stop(g, n)
    res.check(ddx_loaded(xorg_logs[n]), "qxl_ddx_in_kms_mode" + tag,
              "no qxl(0) KMS lines in the Xorg log")
    res.check(clean, "xorg_no_errors_and_exits_cleanly" + tag, why)
    return img


def run_pairing(args, dp, image, res, top_work):
    p = dp.p
    work, t0 = D.start_pairing(p, top_work)
    g = D.DesktopGuest(p.qemu, D.build_initrd(p, work), p.device, work,
                       image)
    step = "boot"
    xorg_logs = {}
    try:
        g.start(timeout=300)
        res.check(True, "guest_boots")
        g.run("export DISPLAY=:0")
        step = "driver"
        bound = D.load_driver(g, p)
        if not res.check(bound == p.driver, "%s_binds" % p.driver,
                         "driver %r" % bound):
            raise D.GuestError("no driver")
        step = "xorg with xorg.conf"
        res.final = xorg_session(g, p, res, 1, "xorg.conf", xorg_logs)
        if dp.auto:
            step = "xorg autoconfig"
            g.run("rm -f /etc/X11/xorg.conf")
            res.final_auto = xorg_session(g, p, res, 2, "autoconfig",
                                          xorg_logs)
        if p.driver == "qxlng":
            st = res.counts = D.qxlng_state(g)
            bad = {k: st.get(k) for k in ("bad_releases", "irq_error",
                                          "io_timeouts", "io_resets",
                                          "alloc_failures", "guest_bug")
                   if st.get(k) != 0}
            res.check(not bad and st.get("client_draws", 0) > 0,
                      "qxlng_ddx_commands_sent_counters_clean",
                      "%s; %s client draws" % (bad or "no errors",
                                               st.get("client_draws")))
        g.run("sleep 1")
        res.check(g.alive(), "qemu_still_running")
    except (D.GuestError, ValueError, OSError) as e:
        res.check(False, "reached_the_end", "stopped at %s: %s" % (step, e))
        D.fetch_xorg_logs(g, xorg_logs)
    finally:
        g.stop()
    D.finish_pairing(res, p, g, work, xorg_logs, t0)


def case_ddx(args, tap):
    global D
    import desktop
    D = desktop
    image = D.guest_image()
    dps = [DdxPairing(args, *row) for row in PAIRINGS]
    if args.only:
        dps = [dp for dp in dps if dp.p.name in args.only.split(",")]
    results = {dp.p.name: D.Result(dp.p.name) for dp in dps}
    work = os.path.join(args.work, "ddx")
    D.run_side_by_side(args.jobs, [
        (lambda dp=dp: D.run_safe(results[dp.p.name], run_pairing, args, dp,
                                  image, results[dp.p.name], work))
        for dp in dps])
    for dp in dps:
        res = results[dp.p.name]
        D.report(tap, res, "%s: %s %s, %s driver, qxl DDX, %s (%ds)%s"
                 % (dp.p.name, dp.p.qemu, " ".join(dp.p.device),
                    dp.p.driver, "xorg.conf, then none" if dp.auto else
                    "xorg.conf", res.seconds,
                    ", counts %s" % res.counts if res.counts else ""))
    ref = results.get("reference")
    if ref is None or ref.final is None:
        return
    for dp in dps:
        res = results[dp.p.name]
        if dp.p.name == "reference":
            continue
        shots = [("", res.final)]
        if dp.auto:
            shots.append(("_autoconfig", getattr(res, "final_auto", None)))
        for tag, img in shots:
            name = dp.p.name.replace("-", "_") + tag
            test = "%s_final_scene_equals_reference" % name
            if img is None:
                tap.ok(False, test, "no final picture")
                continue
            same, why = D.same_pixels(img, ref.final)
            tap.ok(same, test, why)
            if not same:
                img.save(os.path.join(work, name + "-final.png"))
                ref.final.save(os.path.join(work, "reference-final.png"))
                diff = D.diff_image(img, ref.final)
                if diff is not None:
                    diff.save(os.path.join(work, name + "-diff.png"))
                tap.comment("pictures and their difference in %s" % work)
