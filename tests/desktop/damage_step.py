"""damage_step.py: the 'damage' step of desktop-session (issue 15): plane
updates carrying damage send only what changed.

With X stopped, tests/desktop/damage.c (built here against libdrm) takes
the output with a full-screen dumb framebuffer filled with colour A (an
atomic modeset).  A SpiceClientGLib client (damage_client.py) connects
and waits until its primary surface is all A.  Then the program fills the
WHOLE framebuffer with colour B and commits it with FB_DAMAGE_CLIPS of one
rectangle (CLIP_ATOMIC), then fills it with colour C and calls the legacy
DRM_IOCTL_MODE_DIRTYFB with another (CLIP_DIRTY).  A primary plane without
the FB_DAMAGE_CLIPS property (Linux 6.1's qxl.ko) skips the atomic part
with a TAP note: then only CLIP_DIRTY may differ from A.  Checks:
  damage_atomic_commit_reaches_client   the client shows B in CLIP_ATOMIC
                                         (a plane with FB_DAMAGE_CLIPS)
  damage_dirtyfb_reaches_client          ... and C in CLIP_DIRTY
  damage_only_clips_on_client            the client's whole picture is A
                                         outside the clips, B and C in
                                         them (more than the damage sent
                                         would show B or C outside)
  damage_client_rects_within_clips       every display-invalidate
                                         rectangle the client got after
                                         the all-A picture lies inside
                                         one of the clips
"""

import os
import queue
import subprocess
import time

import desktop as D
from case_agent import Client

COLOR_A = (0x30, 0x40, 0x50)
COLOR_B = (0xe0, 0x80, 0x20)
COLOR_C = (0x20, 0xc0, 0x60)
CLIP_ATOMIC = (100, 80, 64, 48)
CLIP_DIRTY = (300, 200, 40, 30)


def build(pay):
    """damage.c into the payload's bin/."""
    subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror",
                    "-I/usr/include/libdrm", "-o",
                    os.path.join(pay, "bin", "damage"),
                    os.path.join(D.HERE, "damage.c"), "-ldrm"], check=True)


def hexrgb(c):
    return "%02x%02x%02x" % c


def inside(rect, clip):
    x, y, w, h = rect
    cx, cy, cw, ch = clip
    return x >= cx and y >= cy and x + w <= cx + cw and y + h <= cy + ch


def expected(size, clips):
    """The picture the client must show: A, each clip in its colour."""
    from PIL import Image
    img = Image.new("RGB", size, COLOR_A)
    for (x, y, w, h), color in clips:
        img.paste(color, (x, y, x + w, y + h))
    return img


def region_is(img, clip, color):
    x, y, w, h = clip
    if img.size[0] < x + w or img.size[1] < y + h:
        return False
    return img.crop((x, y, x + w, y + h)).getcolors(1) == [(w * h, color)]


class Watch:
    """The client's lines: invalidated rectangles collected, snapshots
    taken on demand."""

    def __init__(self, client, work):
        self.client, self.work = client, work
        self.rects, self.n = [], 0

    def drain(self, timeout=0.0):
        """Collect rectangles; stop at the first other line."""
        while True:
            try:
                line = self.client.lines.get(timeout=timeout)
            except queue.Empty:
                return None
            if line.startswith("inv "):
                self.rects.append(tuple(int(v) for v in line.split()[1:]))
            elif not line.startswith("primary "):
                return line

    def snap(self):
        from PIL import Image
        self.n += 1
        path = os.path.join(self.work, "damage-client-%d.ppm" % self.n)
        self.client.send("snap " + path)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.drain(1.0)
            if line and line.startswith("snap "):
                return Image.open(path).convert("RGB")
            if line and line.startswith("error no "):
                return None         # no primary surface yet
            if line and line.startswith("error "):
                raise D.GuestError("damage client: " + line)
        return None

    def until(self, pred, tries=120):
        """Snapshots every 0.5 s until pred(img) holds; the last one."""
        img = None
        for _ in range(tries):
            img = self.snap()
            if img is not None and pred(img):
                return img, True
            time.sleep(0.5)
        return img, False


def guest_cmd(g, line, n):
    """Send line to the damage program; its n-th answer."""
    g.run("echo '%s' >&7" % line)
    D.wait_until(g, "[ $(grep -c '^ok\\|^error' /tmp/dmg.out) -ge %d ]" % n,
                 tries=600, timeout=120)
    return g.run("grep '^ok\\|^error' /tmp/dmg.out | sed -n %dp" % n,
                 check=False).strip()


def step_damage(g, p, res, work):
    g.run("rm -f /tmp/dmg.in; mkfifo /tmp/dmg.in; "
          "damage < /tmp/dmg.in > /tmp/dmg.out 2>&1 & DMGPID=$!; "
          "exec 7> /tmp/dmg.in")
    client = None
    try:
        ans = guest_cmd(g, "show " + hexrgb(COLOR_A), 1)
        if not res.check(ans.startswith("ok show"), "damage_program_shows",
                         ans + " " + g.run("cat /tmp/dmg.out", check=False)):
            return
        size = tuple(int(v) for v in ans.split()[-1].split("x"))
        ready = g.run("grep '^ready' /tmp/dmg.out", check=False)
        clips_prop = "damage_clips 1" in ready
        client = Client(p.port, os.path.join(work, "damage-client.log"),
                        "damage_client.py")
        watch = Watch(client, work)
        img, ok = watch.until(lambda i: i.size == size and
                              i.getcolors(1) == [(size[0] * size[1],
                                                  COLOR_A)])
        seen = None if img is None else "%dx%d, colours %s" % (
            img.size + (img.getcolors(4) or "many",))
        if not res.check(ok, "damage_client_shows_full_frame",
                         "client picture %s" % seen):
            return
        watch.drain(1.0)
        watch.rects = []
        done, n = [], 1
        # Only stock qxl.ko may lack the property: qxlng.ko without it
        # fails the atomic part rather than skipping it.
        if clips_prop or p.driver != "qxl":
            done.append((CLIP_ATOMIC, COLOR_B))
            n += 1
            ans = guest_cmd(g, "atomic %s %d %d %d %d"
                            % ((hexrgb(COLOR_B),) + CLIP_ATOMIC), n)
            img, ok = watch.until(lambda i: region_is(i, CLIP_ATOMIC,
                                                      COLOR_B))
            res.check(ans.startswith("ok") and ok,
                      "damage_atomic_commit_reaches_client", ans)
        else:
            # Linux 6.1's qxl.ko: no FB_DAMAGE_CLIPS on its primary plane;
            # its plane updates send the whole framebuffer
            # (Documentation/desktop-tests.rst).
            res.note("damage: atomic FB_DAMAGE_CLIPS part skipped: the "
                     "primary plane has no FB_DAMAGE_CLIPS property (%s)"
                     % ready.strip())
        done.append((CLIP_DIRTY, COLOR_C))
        n += 1
        ans = guest_cmd(g, "dirty %s %d %d %d %d"
                        % ((hexrgb(COLOR_C),) + CLIP_DIRTY), n)
        img, ok = watch.until(lambda i: region_is(i, CLIP_DIRTY, COLOR_C))
        res.check(ans.startswith("ok") and ok,
                  "damage_dirtyfb_reaches_client", ans)
        want = expected(size, done)
        same, why = (False, "no picture") if img is None else \
            D.same_pixels(img, want)
        if not same and img is not None:
            img.save(os.path.join(work, "damage-client.png"))
            why += " (%s)" % os.path.join(work, "damage-client.png")
        res.check(same, "damage_only_clips_on_client", why)
        outside = [r for r in watch.rects
                   if not any(inside(r, c) for c, _ in done)]
        res.check(watch.rects and not outside,
                  "damage_client_rects_within_clips",
                  "%d rectangles, outside the clips: %s"
                  % (len(watch.rects), outside[:6]))
    finally:
        if client is not None:
            client.stop()
        g.run("echo quit >&7; exec 7>&-; wait $DMGPID", check=False,
              timeout=60)
