#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Several clients: two at once both see updates of an animation; a client
that stops reading neither blocks the others nor grows the server's memory
without bound; 50 connect/disconnect cycles leak no connections or memory."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from sclib import Server, done, ok, screenshot, workdir  # noqa: E402
from scclient import Client, pump  # noqa: E402

d = workdir("clients")


def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# Two clients at once --------------------------------------------------------------
srv = Server("--port", "0", "--pattern", "anim", "--size", "320x240", "--fps", "20",
             "--disable-ticketing", "--log-input")
a = Client(port=srv.port)
b = Client(port=srv.port)
ok(a.run_until(lambda: a.invalidates >= 10 and b.invalidates >= 10, 20),
   "two_clients_at_once_both_see_updates",
   "a=%d b=%d" % (a.invalidates, b.invalidates))
ok(srv.read_lines_until(lambda l: l.strip() == "clients 2", 5) is not None,
   "server_counts_two_clients")
a.close()
b.close()
srv.stop()

# A client that stops reading --------------------------------------------------------
srv = Server("--port", "0", "--pattern", "anim", "--size", "1920x1080", "--fps", "30",
             "--disable-ticketing", "--compression", "off")
slow = subprocess.Popen([sys.executable, "-c", """
import sys, time
sys.path.insert(0, %r)
from scclient import Client
c = Client(port=%d)
c.run_until(lambda: c.invalidates > 0, 20)
print("attached", flush=True)
time.sleep(30)  # never runs the loop again: never reads
""" % (os.path.dirname(__file__), srv.port)], stdout=subprocess.PIPE, text=True)
attached = slow.stdout.readline().strip() == "attached"
ok(attached, "slow_client_attached")
time.sleep(1)
base = rss_kb(srv.proc.pid)
good = Client(port=srv.port)
t0 = good.invalidates
ok(good.run_until(lambda: good.invalidates >= t0 + 20, 30),
   "other_client_keeps_updating_while_one_stalls", "got %d" % good.invalidates)
pump(3)
grown = rss_kb(srv.proc.pid) - base
# Without coalescing, 30 raw 8 MB frames a second would queue ~1 GB here.
ok(grown < 96 * 1024, "stalled_client_memory_bounded", "grew %d KiB" % grown)
good.close()
slow.kill()
slow.wait()
srv.stop()

# 50 connect/disconnect cycles ----------------------------------------------------------
srv = Server("--port", "0", "--pattern", "gradient", "--disable-ticketing", "--log-input")
out = os.path.join(d, "cycle.ppm")
for i in range(5):
    screenshot(srv.port, out)
time.sleep(0.5)
base = rss_kb(srv.proc.pid)
fails = 0
for i in range(50):
    if screenshot(srv.port, out) != 0:
        fails += 1
ok(fails == 0, "fifty_connect_disconnect_cycles_all_get_the_picture", "%d failed" % fails)
time.sleep(0.5)
grown = rss_kb(srv.proc.pid) - base
ok(grown < 2048, "fifty_cycles_leak_no_memory", "grew %d KiB" % grown)
stats = srv.stop()
ok(stats.get("connections") == 0 and stats.get("clients") == 0,
   "fifty_cycles_leave_no_connection_open", str(stats))
clients_lines = [l for l in srv.lines if l.startswith("clients ")]
ok(clients_lines.count("clients 1") == 55 and clients_lines[-1] == "clients 0",
   "every_cycle_counted_in_and_out", "%d connects" % clients_lines.count("clients 1"))
done()
