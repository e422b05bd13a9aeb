"""viewer.py: virt-viewer and remote-viewer against a domain (issue 14).

Debian's virt-viewer 11 under a private Xvfb (tests/x11's Fixture):

  - virt_viewer_case: `virt-viewer --connect URI NAME` finds the domain
    by name through libvirtd, reads its <graphics> (with the ticket: the
    connection may read the secure XML) and connects to the address and
    port there; with --attach it asks libvirtd instead for one connected
    socket per SPICE channel (virDomainOpenGraphicsFD: QMP getfd +
    add_client with skipauth).  Either way query-spice then lists its
    main and display channels, and its window on the X screen shows,
    pixel for pixel, what virsh screenshot gives;
  - vv_case: remote-viewer opens a .vv file ([virt-viewer] type=spice,
    host, port, password): with the right password query-spice lists its
    main channel; once the ticket has expired its debug log says "auth
    failure" and query-spice lists no channel.  The same runs against
    Debian's QEMU with its own -spice (the reference), and both must
    behave alike.

Whoever calls gives the domain's query-spice (a function returning the
QMP reply's "return" or None) and its picture (a PIL image).
"""

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "x11"))
from x11_test import Fixture  # noqa: E402

PY = "/usr/bin/python3"
MAIN, DISPLAY = 1, 2     # SPICE channel types in query-spice


def start_x(work):
    """A private Xvfb (its own cookie); 1280x1024 holds a 1024x768 guest
    with virt-viewer's header bar at 1:1."""
    os.makedirs(work, exist_ok=True)
    fx = Fixture(work, None)
    fx.start_x("1280x1024")
    return fx


def channel_types(query_spice):
    info = query_spice()
    if not info:
        return None
    return sorted(c.get("channel-type") for c in info.get("channels", []))


def wait_for(cond, timeout, step=0.3):
    deadline = time.time() + timeout
    while True:
        got = cond()
        if got or time.time() > deadline:
            return got
        time.sleep(step)


def grab(fx, path):
    """The X screen as a PIL image (Pillow's XCB grab, in a child with the
    Xvfb's DISPLAY and XAUTHORITY)."""
    from PIL import Image
    subprocess.run([PY, "-c", "import sys; from PIL import ImageGrab; "
                    "ImageGrab.grab(xdisplay=sys.argv[1]).save(sys.argv[2])",
                    fx.env["DISPLAY"], path], env=fx.env, check=True,
                   timeout=60)
    return Image.open(path).convert("RGB")


def find_picture(screen, pic):
    """(x, y) where pic appears pixel for pixel on screen, or None.  The
    row of pic with the most colours is looked for in each screen row,
    then the whole picture is compared there."""
    w, h = pic.size
    sw, sh = screen.size
    if w > sw or h > sh:
        return None
    pb, sb = pic.tobytes(), screen.tobytes()
    rows = [pb[y * w * 3:(y + 1) * w * 3] for y in range(h)]
    key = max(range(h), key=lambda y: len(set(
        rows[y][i:i + 3] for i in range(0, w * 3, 3))))
    for sy in range(key, sh - (h - key) + 1):
        line = sb[sy * sw * 3:(sy + 1) * sw * 3]
        at = line.find(rows[key])
        while at >= 0:
            if at % 3 == 0 and at // 3 + w <= sw:
                x, y = at // 3, sy - key
                if all(sb[(y + r) * sw * 3 + x * 3:
                          (y + r) * sw * 3 + (x + w) * 3] == rows[r]
                       for r in range(h)):
                    return x, y
            at = line.find(rows[key], at + 1)
    return None


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def type_password(fx, log, password):
    """Answer virt-viewer's password dialog as a user does: wait for it
    (its log says auth failure first), focus its window, type, Return.
    Returns what went wrong, or None."""
    if not wait_for(lambda: "auth failure" in tail(log, 200), 60):
        return "no auth failure (so no dialog) in virt-viewer's log"
    r = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible",
                        "--name", "Authentication"], env=fx.env,
                       capture_output=True, text=True, timeout=60)
    wins = r.stdout.split()
    if not wins:
        return "no Authentication window on the X screen: " + r.stderr
    for cmd in (["windowfocus", "--sync", wins[-1]],
                ["type", "--delay", "30", password], ["key", "Return"]):
        r = subprocess.run(["xdotool"] + cmd, env=fx.env,
                           capture_output=True, text=True, timeout=60)
        if r.returncode:
            return "xdotool %s: %s" % (cmd[0], r.stderr)
    return None


def virt_viewer_case(tap, fx, uri, name, query_spice, picture, work,
                     password=None):
    """virt-viewer by domain name: through libvirtd's sockets (--attach)
    without a password, else to the domain's SPICE address and port,
    answering its password dialog with `password`.  Its channels in
    query-spice, its window's picture equal to the domain's."""
    how = "by_address" if password else "attach"
    log = os.path.join(work, "virt-viewer-%s.log" % how)
    p = subprocess.Popen(["virt-viewer", "--debug", "--connect", uri] +
                         ([] if password else ["--attach"]) + [name],
                         env=fx.env, stdin=subprocess.DEVNULL,
                         stdout=open(log, "w"), stderr=subprocess.STDOUT)
    try:
        if password:
            why = type_password(fx, log, password)
            tap.ok(why is None, "virt_viewer_asks_for_the_password", why)
        types = wait_for(lambda: (lambda t: t if t and MAIN in t and
                                  DISPLAY in t else None)(
                                      channel_types(query_spice)), 90)
        tap.ok(bool(types), "virt_viewer_%s_channels_in_query_spice" % how,
               "query-spice channel types %s; virt-viewer said:\n%s"
               % (channel_types(query_spice), tail(log)))
        where, why = None, "no picture"
        for i in range(20):
            # The picture may change while it is looked at (a text
            # cursor blinks): the domain's is dumped before and after
            # the X screen is grabbed, and either one will do.
            dump = os.path.join(work, "viewer-dump-%s-%d%%s.png" % (how, i))
            before = picture(dump % "a")
            shot = grab(fx, os.path.join(work, "xvfb-%s-%d.png" % (how, i)))
            pic = picture(dump % "b")
            where = find_picture(shot, before) or find_picture(shot, pic)
            if where:
                break
            why = "the %dx%d screendump is nowhere on the X screen " \
                "(xvfb-%s-%d.png)" % (pic.size + (how, i))
            time.sleep(0.5)
        tap.ok(where is not None,
               "virt_viewer_%s_window_shows_domain_picture" % how, why)
    finally:
        stop(p)
    gone = wait_for(lambda: channel_types(query_spice) == [], 30)
    tap.ok(gone, "virt_viewer_%s_channels_gone_after_it_quits" % how,
           str(channel_types(query_spice)))


def remote_viewer(fx, work, label, port, password):
    """Start remote-viewer on a .vv file; (process, log path)."""
    vv = os.path.join(work, label + ".vv")
    with open(vv, "w") as f:
        f.write("[virt-viewer]\ntype=spice\nhost=127.0.0.1\nport=%d\n"
                "password=%s\ndelete-this-file=0\ntitle=%s\n"
                % (port, password, label))
    log = os.path.join(work, label + ".log")
    p = subprocess.Popen(["remote-viewer", "--debug", vv], env=fx.env,
                         stdin=subprocess.DEVNULL, stdout=open(log, "w"),
                         stderr=subprocess.STDOUT)
    return p, log


def vv_outcome(fx, work, label, port, password, query_spice):
    """What a .vv file gets: "accepted" (query-spice lists its main
    channel), "refused" (remote-viewer says auth failure and query-spice
    lists nothing), or what was seen instead."""
    p, log = remote_viewer(fx, work, label, port, password)
    try:
        def seen():
            if MAIN in (channel_types(query_spice) or []):
                return "accepted"
            with open(log, errors="replace") as f:
                if "auth failure" in f.read():
                    return "refused" if channel_types(query_spice) == [] \
                        else "auth failure, but channels %s" % \
                        channel_types(query_spice)
            return None
        out = wait_for(seen, 60)
    finally:
        stop(p)
    wait_for(lambda: channel_types(query_spice) == [], 30)
    return out or "nothing within 60 s:\n" + tail(log)


def vv_case(fx, work, label, port, query_spice, set_ticket, expire):
    """The .vv file with the password, then with the ticket expired;
    returns the two outcomes.  set_ticket(password) sets a ticket with
    no expiry, expire(password) one that has expired."""
    set_ticket("vv-pass")
    ok = vv_outcome(fx, work, label + "-valid", port, "vv-pass", query_spice)
    expire("vv-pass")
    expired = vv_outcome(fx, work, label + "-expired", port, "vv-pass",
                         query_spice)
    return ok, expired


def tail(path, n=12):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError as e:
        return str(e)
