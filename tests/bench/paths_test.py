#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""check-bench-paths: the benchmark's workloads through this project's
real path (bench-ours: device simulator -> device -> display-sink adapter
-> spice-core -> socket), each watched by spice-gtk (client.py), must end
in the picture drawn in software from the same ops (wl-render), and take
the way meant for them:

  text       the guest's scrolling COPY_BITS forwarded as COPY_BITS, the
             glyphs the client already shows sent as COPY_BITS too
  drag       the guest's COPY_BITS of a dragged window forwarded
  drag-blit  the window blitted again each frame: the move found in
             damage and sent as COPY_BITS, the whole window as one move
             although the strips it uncovered cut its damage into bands
  icons      four pictures taking turns in one place: FROM_CACHE; then
             with a client cache of two of them (cache-size), images
             dropped (INVAL_LIST) and kept again, still pixel-exact

Counts come from bench-ours's stats, never from timing; the frames are
paced at the workload's rate but nothing here depends on how fast they
are shown."""
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
OUT = os.path.join(BUILD, "tests", "bench")
PY = "/usr/bin/python3"
n_tests = n_failed = 0


def ok(cond, name, detail=""):
    global n_tests, n_failed
    n_tests += 1
    if not cond:
        n_failed += 1
    print("%s %d %s%s" % ("ok" if cond else "not ok", n_tests, name,
                          " # " + detail if detail and not cond else ""))
    sys.stdout.flush()


def readline(p, timeout):
    import select
    end = time.time() + timeout
    buf = b""
    fd = p.stdout.fileno()
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            c = os.read(fd, 1)
            if not c:
                return None
            if c == b"\n":
                return buf.decode()
            buf += c
    return None


def play(wl, frames, tag, cache_size=0):
    """bench-ours playing wl to client.py: (stats dict, client's last
    picture path, or None when something did not run)."""
    base = os.path.join(OUT, "%s-%s" % (wl, tag))
    srv = subprocess.Popen([os.path.join(BUILD, "bench", "bench-ours"),
                            "--workload", wl], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE,
                           stderr=open(base + ".server.log", "w"))
    line = readline(srv, 60)
    if not line or not line.startswith("port "):
        srv.kill()
        return None, None
    cmd = [PY, os.path.join(HERE, "client.py"), "--port", line.split()[1],
           "--frames", str(frames), "--out", base + ".json", "--dump",
           base + ".ppm", "--idle", "10", "--timeout", "180"]
    if cache_size:
        cmd += ["--cache-size", str(cache_size)]
    cli = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                           stderr=open(base + ".client.log", "w"))
    if readline(cli, 60) != "ready":
        srv.kill()
        cli.kill()
        return None, None
    srv.stdin.write(b"go\n")
    srv.stdin.flush()
    readline(srv, 180)                  # played
    cli.wait(timeout=240)
    srv.stdin.write(b"stop\n")
    srv.stdin.flush()
    out, _ = srv.communicate(timeout=60)
    stats = {}
    for l in out.decode().splitlines():
        if l.startswith("stats "):
            stats = {k: int(v) for k, v in
                     (kv.split("=") for kv in l.split()[1:])}
    return stats, base + ".ppm"


def same_file(a, b):
    try:
        return open(a, "rb").read() == open(b, "rb").read()
    except OSError:
        return False


os.makedirs(OUT, exist_ok=True)
FRAMES = 50
ICON = 256 * 256
cases = [
    ("text", 0, lambda s: s.get("copies", 0) >= 10 + FRAMES,
     "scroll_forwarded_and_glyphs_on_screen_as_copy_bits"),
    ("drag", 0, lambda s: s.get("copies", 0) >= 10,
     "guest_copy_bits_forwarded"),
    ("drag-blit", 0, lambda s: s.get("moves", 0) >= 10,
     "moved_window_found_in_damage"),
    # The window and the strips it uncovered come as one region, whose
    # bands cut the window: it must still be found whole, each frame's
    # images being the two strips only (and the first picture).
    ("drag-blit", 0, lambda s: s.get("moves", 0) >= FRAMES - 1 and
     sum(s.get(k, 0) for k in ("quic", "lz4", "lz", "raw", "cache_hits"))
     <= 2 * FRAMES + 2,
     "moved_window_found_whole_beside_its_strips"),
    ("icons", 0, lambda s: s.get("cache_hits", 0) >= 10,
     "pictures_coming_back_sent_from_cache"),
    # Room for two of the four (spice-gtk's cache-size is in bytes, it
    # announces a quarter of it in pixels): keeping a third drops one
    # (INVAL_LIST goes before the image that needs the room).
    ("icons", 4 * (2 * ICON + 1000),
     lambda s: s.get("cache_adds", 0) >= 3 and s.get("cache_hits", 0) >= 1,
     "small_client_cache_drops_and_keeps_again"),
]
for wl, cache, good, what in cases:
    tag = "cache%d" % cache if cache else "default"
    want = os.path.join(OUT, "%s-want.ppm" % wl)
    rc = subprocess.call([os.path.join(BUILD, "bench", "wl-render"),
                          "--workload", wl, "--out", want])
    stats, got = play(wl, FRAMES, tag, cache)
    name = wl.replace("-", "_") + ("_small_cache" if cache else "")
    ok(rc == 0 and got is not None and same_file(got, want),
       "%s_client_ends_pixel_exact" % name, "rc=%s %s" % (rc, got))
    ok(stats is not None and good(stats), "%s_%s" % (name, what),
       str(stats))
    print("# %s: %s" % (name, stats))
print("1..%d" % n_tests)
sys.exit(1 if n_failed else 0)
