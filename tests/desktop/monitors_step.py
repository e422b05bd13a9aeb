"""monitors_step.py: the 'two monitors' step of desktop-session (issue
15): a SPICE client asking for two displays drives two heads of the
desktop.

qxlng.ko is loaded again with num_heads=2; stock qxl.ko keeps the load of
the boot (its num_heads defaults to 4: four connectors and CRTCs; loading
it again oopses, see Documentation/desktop-tests.rst).  Xorg starts
(session 4; on QEMU's qxl-vga the guest agents too: spice-server needs
them).  tests/interop/spice_client.py sends a monitors config for two
displays, HEADS.  Checks:
  two_monitors_driver_has_heads      at least two connectors
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
Then the root is ROOT_RGB and an xterm of MARK_RGB (no border, no text)
sits on the second head at MARK_AT (desktop coordinates).  Then:
  two_monitors_client_layout         a SpiceClientGLib client
                                     (damage_client.py) gets the guest's
                                     head layout on the primary surface:
                                     two heads of HEADS' sizes
  two_monitors_client_shows_both_heads
                                     the client's primary, cut at each
                                     head's place: head 0 all root
                                     colour, head 1 root colour with the
                                     xterm at MARK_AT - the part of the
                                     desktop right of head 0
  two_monitors_screendump_shows_both_heads
                                     the same on QMP's screendump (the
                                     device's primary surface); for
                                     qxlng.ko, which puts the heads side
                                     by side, the primary is their
                                     bounding box with nothing but the
                                     two heads' pixels in it
On QEMU's qxl-vga the device has max_outputs=2 (case_desktop.py, as
libvirt sets it from <model heads='2'>): spice-server 0.15.1 caps the
guest's head layout it sends clients at the device's display count,
which QEMU 7.2's qxl gives it from max_outputs (qxl_realize_common ->
spice_qxl_set_device_info; red-qxl.cpp sets max_monitors to
MAX(1, count), red-worker.cpp's handle_dev_monitors_config_async cuts
count and max_allowed to it), so the default max_outputs=0 leaves the
client one head whatever the guest sends.
Stock qxl.ko gets, instead of the picture checks,
  two_monitors_stock_qxl_heads_on_copies_of_the_fb
                                     what qxl.ko really does with one
                                     framebuffer on two CRTCs (a copy of
                                     it per head; Xorg's drawing reaches
                                     the first copy only): see
                                     stock_qxl_heads
"""

import os
import re

import desktop as D
from case_agent import Client

# display 0 and 1 as the client asks for them: w, h, x, y
HEADS = ((800, 600, 0, 0), (640, 480, 800, 0))
ROOT_RGB = (0x50, 0x20, 0x70)
MARK_RGB = (0xc0, 0xb0, 0x10)
MARK_AT = (840, 40)         # on head 1, 40,40 from its corner
MARK_MIN = 20000            # a 40x10 xterm of the fixed font: 32,000 pixels


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
    if p.driver == "qxlng":
        g.run("rmmod qxlng")
        g.run("insmod /qxlng/modules/qxlng.ko num_heads=2")
        wait_until(g, "[ -e /dev/dri/card0 ]")
    # Stock qxl.ko: its num_heads (default 4) as loaded at boot.
    heads = g.run("cat /sys/module/%s/parameters/num_heads; "
                  "ls -d /sys/class/drm/card0-* | wc -l" % p.driver,
                  check=False).split()
    heads = (heads + ["?", "?"])[:2]
    if not res.check(heads[1].isdigit() and int(heads[1]) >= 2,
                     "two_monitors_driver_has_heads",
                     "num_heads %s, connectors %s" % tuple(heads)):
        return
    if not res.check(D.xorg_start(g, 4), "two_monitors_xorg_starts"):
        return
    g.run("xsetroot -solid '#%02x%02x%02x'" % ROOT_RGB)
    if agent:
        agent[0](g)
    try:
        heads_follow(g, p, res, work, host_tool, wait_until)
    finally:
        if agent:
            agent[1](g)
    clean, why, xlogs[4] = D.xorg_stop(g, 4)
    res.check(clean, "two_monitors_xorg_exits_cleanly", why)


def heads_follow(g, p, res, work, host_tool, wait_until):
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
    g.run("rm -f /tmp/mark.done; xterm -T mark -geometry 40x10+%d+%d -bw 0 "
          "+sb -fn fixed -bg '#%02x%02x%02x' -e sh -c \"printf '\\033[?25l';"
          " touch /tmp/mark.done; exec sleep 100000\" > /dev/null 2>&1 &"
          % (MARK_AT + MARK_RGB))
    wait_until(g, "[ -e /tmp/mark.done ]")
    heads_shown(g, p, res, work, (bw, bh))


def head_shows(img, rect, i):
    """(ok, why): the primary cut at head i's place shows head i's part of
    the desktop: root colour, and on head 1 the xterm at MARK_AT."""
    x, y, w, h = rect
    if x + w > img.size[0] or y + h > img.size[1]:
        return False, "head %d at %d,%d %dx%d outside the %dx%d primary" % (
            (i, x, y, w, h) + img.size)
    cut = img.crop((x, y, x + w, y + h))
    colors = {c: k for k, c in (cut.getcolors(1 << 20) or [])}
    root, mark = colors.get(ROOT_RGB, 0), colors.get(MARK_RGB, 0)
    why = "head %d at %d,%d: %d root, %d xterm pixels" % (i, x, y, root,
                                                          mark)
    if i == 0:
        return root == w * h, why
    mx, my = MARK_AT[0] - HEADS[i][2] + 8, MARK_AT[1] - HEADS[i][3] + 8
    return (mark >= MARK_MIN and root + mark == w * h and
            cut.getpixel((mx, my)) == MARK_RGB), why


def heads_shown(g, p, res, work, box):
    """The client's head layout, then its picture and the screendump cut
    at each head's place."""
    layout = client_heads(g, p, res, work, box)
    if not layout:
        return
    shown = lambda img: all(head_shows(img, r, i)[0]   # noqa: E731
                            for i, r in enumerate(layout))
    img, ok = None, False
    for _ in range(40):
        img = g.stable_screendump("two-monitors")
        ok = shown(img)
        if ok and p.driver == "qxlng":
            # qxlng.ko: heads side by side, the primary their bounding
            # box, nothing in it but the heads
            colors = {c: k for k, c in (img.getcolors(1 << 20) or [])}
            ok = img.size == box and \
                colors.get(ROOT_RGB, 0) + colors.get(MARK_RGB, 0) == \
                sum(h[0] * h[1] for h in HEADS)
        if ok:
            break
        g.run("sleep 0.5")
    res.check(ok, "two_monitors_screendump_shows_both_heads",
              "%dx%d screendump; %s" % (img.size + ("; ".join(
                  head_shows(img, r, i)[1] for i, r in enumerate(layout)),)))


def client_heads(g, p, res, work, box):
    """The client's layout checked, its picture cut at each head's place
    (stock qxl.ko: stock_qxl_heads); the layout if the screendump is to
    be checked too."""
    client = Client(p.port, os.path.join(work, "monitors-client.log"),
                    "damage_client.py")
    try:
        layout = []
        for _ in range(60):
            client.send("monitors")
            line = client.expect(["monitors ", "error "], 30) or ""
            layout = [tuple(int(v) for v in re.split("[,x]", h))
                      for h in line.split()[2:]]
            if len(layout) == len(HEADS) and all(
                    r[2:] == h[:2] for r, h in zip(layout, HEADS)):
                break
            g.run("sleep 0.5")
        if not res.check(len(layout) == len(HEADS) and all(
                r[2:] == h[:2] for r, h in zip(layout, HEADS)),
                "two_monitors_client_layout",
                "heads %s on the primary" % (
                    ", ".join("%dx%d at %d,%d" % (r[2:] + r[:2])
                              for r in layout) or "none")):
            return None
        if p.driver == "qxl":
            stock_qxl_heads(g, res, layout, box)
            return None
        from damage_step import Watch
        watch = Watch(client, work)
        shown = lambda img: all(head_shows(img, r, i)[0]   # noqa: E731
                                for i, r in enumerate(layout))
        img, ok = watch.until(shown, tries=40)
        why = "no picture" if img is None else "%dx%d primary; %s" % (
            img.size + ("; ".join(head_shows(img, r, i)[1]
                                  for i, r in enumerate(layout)),))
        if not ok and img is not None:
            img.save(os.path.join(work, "monitors-client.png"))
        res.check(ok, "two_monitors_client_shows_both_heads", why)
    finally:
        client.stop()
    return layout


def stock_qxl_heads(g, res, layout, box):
    """What stock qxl.ko (Linux 6.1) makes of Xorg's one framebuffer over
    two CRTCs (Documentation/desktop-tests.rst): its primary surface is
    its dumb-buffer shadow, one copy of the whole framebuffer per head side
    by side, each head placed in its copy (head 1 at the framebuffer's
    width plus its X position), a copy written only by a plane update of
    its CRTC; DIRTYFB, where Xorg's drawing goes, writes the first copy
    only.  So the xterm drawn after the mode set is at MARK_AT in the
    primary, on no head, and neither head shows it."""
    bw, bh = box
    want = [(HEADS[0][2], HEADS[0][3]), (bw + HEADS[1][2], HEADS[1][3])]
    img = None
    for _ in range(40):
        img = g.stable_screendump("two-monitors")
        if img.size == (2 * bw, bh) and \
                img.getpixel((MARK_AT[0] + 8, MARK_AT[1] + 8)) == MARK_RGB:
            break
        g.run("sleep 0.5")
    marks = [{c: k for k, c in (img.crop(
        (x, y, x + w, y + h)).getcolors(1 << 20) or [])}.get(MARK_RGB, 0)
        for x, y, w, h in layout]
    ok = img.size == (2 * bw, bh) and [r[:2] for r in layout] == want and \
        img.getpixel((MARK_AT[0] + 8, MARK_AT[1] + 8)) == MARK_RGB and \
        marks == [0, 0]
    res.check(ok, "two_monitors_stock_qxl_heads_on_copies_of_the_fb",
              "%dx%d primary (want %dx%d), heads at %s (want %s), the xterm"
              " at %d,%d: %s, xterm pixels on the heads %s" % (
                  img.size + (2 * bw, bh, [r[:2] for r in layout], want) +
                  MARK_AT + ("yes" if img.getpixel(
                      (MARK_AT[0] + 8, MARK_AT[1] + 8)) == MARK_RGB
                      else "no", marks)))
    res.note("two monitors: stock qxl.ko shows Xorg's desktop on two heads "
             "wrongly (one framebuffer copy per head; DIRTYFB drawing "
             "reaches the first copy only): checked as it is, see "
             "Documentation/desktop-tests.rst")
