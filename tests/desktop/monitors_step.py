"""monitors_step.py: the 'two monitors' step of desktop-session (issue
15): a SPICE client asking for two displays drives two heads of the
desktop.

qxlng.ko is loaded again with num_heads=2 and Xorg started (session 4)
(on QEMU's qxl-vga the guest agents too: spice-server needs them).
tests/interop/spice_client.py sends a monitors config for two displays,
HEADS.  Checks:
  two_monitors_hotplug_uevent        a HOTPLUG=1 uevent of the drm card
  two_monitors_preferred_modes       each connector's first mode in sysfs
                                     is its display's size
  two_monitors_suggested_xy          xrandr --props: each output's
                                     'suggested X'/'suggested Y' are its
                                     display's position
  two_monitors_xrandr_follows        'xrandr --output O --auto --pos X,Y'
                                     for both: xrandr shows both outputs
                                     at those sizes and places, the
                                     screen the heads' bounding box
  two_monitors_screendump_shows_both_heads
                                     the screendump is the heads' bounding
                                     box with the root colour exactly over
                                     both heads
"""

import os
import re

import desktop as D

# display 0 and 1 as the client asks for them: w, h, x, y
HEADS = ((800, 600, 0, 0), (640, 480, 800, 0))
ROOT_RGB = (0x50, 0x20, 0x70)


def client_arg():
    return ",".join("%dx%d+%d+%d" % h for h in HEADS)


def outputs_props(text):
    """xrandr --props: {output: {prop: first value}} and the lines of
    connected outputs."""
    props, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^(\S+) (connected|disconnected)", line)
        if m:
            cur = m.group(1)
            props[cur] = {"line": line}
            continue
        m = re.match(r"^\t(\S[^:]*): *(\S+)", line)
        if cur and m:
            props[cur].setdefault(m.group(1), m.group(2))
    return props


def step_two_monitors(g, p, res, work, host_tool, wait_until, xlogs,
                      agent=None):
    """agent: (start, stop) of the guest agent a spice-server needs for a
    monitors config, or None."""
    g.run("rmmod qxlng")
    g.run("insmod /qxlng/modules/qxlng.ko num_heads=2")
    if not res.check(wait_until(g, "[ -e /dev/dri/card0 ]"),
                     "two_monitors_driver_loads", "num_heads=2"):
        return
    if not res.check(D.xorg_start(g, 4), "two_monitors_xorg_starts"):
        return
    g.run("xsetroot -solid '#%02x%02x%02x'" % ROOT_RGB)
    if agent:
        agent[0](g)
    try:
        heads_follow(g, p, res, host_tool, wait_until)
    finally:
        if agent:
            agent[1](g)
    clean, why, xlogs[4] = D.xorg_stop(g, 4)
    res.check(clean, "two_monitors_xorg_exits_cleanly", why)


def heads_follow(g, p, res, host_tool, wait_until):
    g.run("stdbuf -oL udevadm monitor --kernel --property "
          "--subsystem-match=drm > /tmp/uevents2 2>&1 & UPID=$!")
    g.run("sleep 1")
    r = host_tool(os.path.join("..", "interop", "spice_client.py"),
                  "--port", str(p.port), "--timeout", "60", "resize",
                  client_arg())
    if not res.check(r.returncode == 0, "two_monitors_client_sends_config",
                     r.stdout.strip()):
        return
    want = ["%dx%d" % h[:2] for h in HEADS]
    cond = " && ".join("[ \"$(head -n 1 /sys/class/drm/card0-*-%d/modes)\" "
                       "= %s ]" % (i + 1, w) for i, w in enumerate(want))
    wait_until(g, cond, tries=300)
    got = [g.run("head -n 1 /sys/class/drm/card0-*-%d/modes" % (i + 1),
                 check=False).strip() for i in range(len(HEADS))]
    status = g.run("cat /sys/class/drm/card0-*-[12]/status",
                   check=False).split()
    res.check(got == want and status == ["connected"] * 2,
              "two_monitors_preferred_modes",
              "preferred %s (want %s), status %s" % (got, want, status))
    wait_until(g, "grep -q HOTPLUG=1 /tmp/uevents2", tries=100)
    ev = g.run("kill $UPID; grep -c 'HOTPLUG=1' /tmp/uevents2",
               check=False).strip()
    res.check(ev.isdigit() and int(ev) > 0, "two_monitors_hotplug_uevent",
              "%s HOTPLUG=1 uevents" % ev)
    props = outputs_props(g.run("xrandr --props"))
    names = sorted(props)[:len(HEADS)]
    sug = [(props[n].get("suggested X"), props[n].get("suggested Y"))
           for n in names]
    want_sug = [(str(h[2]), str(h[3])) for h in HEADS]
    res.check(sug == want_sug, "two_monitors_suggested_xy",
              "outputs %s: suggested X/Y %s (want %s)" % (names, sug,
                                                          want_sug))
    if len(names) < 2:
        return
    g.run("xrandr " + " ".join("--output %s --auto --pos %dx%d"
                               % (n, h[2], h[3])
                               for n, h in zip(names, HEADS)))
    text = g.run("xrandr")
    placed = ["%dx%d+%d+%d" % h in props_line
              for h, props_line in zip(
                  HEADS, [outputs_props(text)[n]["line"] for n in names])]
    bw = max(h[0] + h[2] for h in HEADS)
    bh = max(h[1] + h[3] for h in HEADS)
    screen = re.search(r"current (\d+) x (\d+)", text)
    ok = all(placed) and screen is not None and \
        (int(screen.group(1)), int(screen.group(2))) == (bw, bh)
    res.check(ok, "two_monitors_xrandr_follows", text if not ok else
              "both heads placed, screen %dx%d" % (bw, bh))
    # The screendump is the bounding box of the heads: the root colour
    # exactly over both, black where no head is.
    area = sum(h[0] * h[1] for h in HEADS)
    img, n = None, 0
    for _ in range(40):
        img = g.stable_screendump("two-monitors")
        n = {c: k for k, c in (img.getcolors(1 << 20) or [])}.get(ROOT_RGB,
                                                                   0)
        if img.size == (bw, bh) and n == area:
            break
        g.run("sleep 0.5")
    res.check(img.size == (bw, bh) and n == area,
              "two_monitors_screendump_shows_both_heads",
              "%dx%d, %d root pixels (want %dx%d, %d)"
              % (img.size + (n, bw, bh, area)))
