#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Benchmark (not a test): stream a 1920x1080 animated pattern to a real
spice-gtk client (SpiceClientGLib) for N frames; print frames/s,
bytes/frame and server CPU/frame, raw and LZ4."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from sclib import Server  # noqa: E402
from scclient import Client  # noqa: E402

N = int(os.environ.get("FRAMES", "60"))


def cpu_s(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


for mode in ("raw", "lz4"):
    args = ["--port", "0", "--pattern", "anim", "--size", "1920x1080", "--fps", "60",
            "--disable-ticketing"]
    if mode == "raw":
        args += ["--compression", "off"]
    srv = Server(*args)
    c = Client(port=srv.port, channels=("display",))
    c.run_until(lambda: c.invalidates > 0, 20)
    c0, t0, cpu0 = c.invalidates, time.time(), cpu_s(srv.proc.pid)
    c.run_until(lambda: c.invalidates >= c0 + N, 120)
    frames = c.invalidates - c0
    dt, cpu = time.time() - t0, cpu_s(srv.proc.pid) - cpu0
    c.close()
    st = srv.stop()
    sent = st.get("images_raw", 0) + st.get("images_lz4", 0) + st.get("fills", 0)
    print("%-4s 1920x1080: %d frames in %.1f s = %.1f frames/s, %.0f KiB/frame, "
          "server CPU %.1f ms/frame" % (mode, frames, dt, frames / dt,
                                        st.get("bytes_sent", 0) / max(sent, 1) / 1024,
                                        1000 * cpu / max(frames, 1)))
