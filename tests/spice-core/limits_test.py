#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The second-client policy and the limits (Documentation/spice-core.rst,
"Several clients" and "Limits"), against the ASan+UBSan spice-serve:

* shared (the default): clients share the display up to --max-clients;
  one more main channel is refused at link with SPICE_LINK_ERR_ERROR, and
  gets in once a place is free;
* --exclusive: a client that authenticated disconnects the others, as
  spice-server does; one that did not authenticate disconnects nobody;
* a client that never reads while the screen changes holds a bounded
  queue and is dropped once it took nothing for the stall timeout
  (SPICE_CORE_STALL_TIMEOUT_MS); the others keep getting updates;
* over the total output limit (SPICE_CORE_OUT_TOTAL_LIMIT) the largest
  queue goes.

After each case a real client gets the right picture."""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from sclib import (DISPLAY, MAIN, Server, done, link_bytes, link_reply, linked,  # noqa: E402
                   ok, picture_ok, sanitizer_clean, session_id, workdir, write_ppm, noise)
from scclient import Client, S, pump  # noqa: E402

d = workdir("limits")
pic = os.path.join(d, "pic.ppm")
write_ppm(pic, 64, 40, noise(64, 40, 7))
out = os.path.join(d, "out.ppm")
ERR_ERROR = 1


def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main_conn(port, rcvbuf=None):
    """A raw main channel, linked; (socket, link result)."""
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    return s, linked(s)


def logged(srv, text, timeout=5):
    """Whether srv logs text within timeout seconds."""
    deadline = time.time() + timeout
    while text not in srv.log_text() and time.time() < deadline:
        time.sleep(0.05)
    return text in srv.log_text()


def finish(srv, name):
    ok(picture_ok(srv.port, pic, out), name + "_then_a_client_gets_the_right_picture")
    srv.stop()
    ok(srv.proc.returncode == 0 and sanitizer_clean(srv.log_text()),
       name + "_then_clean_exit", "rc=%s" % srv.proc.returncode)


# Shared, at most --max-clients ------------------------------------------------------
srv = Server("--port", "0", "--image", pic, "--disable-ticketing", "--max-clients", "2",
             "--log-input")
a, ra = main_conn(srv.port)
b, rb = main_conn(srv.port)
c = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
c.sendall(link_bytes())
rc, _ = link_reply(c)
ok(ra == 0 and rb == 0 and rc == ERR_ERROR, "client_over_max_clients_refused_at_link",
   "a=%s b=%s c=%s" % (ra, rb, rc))
ok(logged(srv, "too many clients"), "refusal_logged_with_the_reason")
ok(srv.read_lines_until(lambda l: l.strip() == "clients 2", 5) is not None,
   "two_clients_share_the_display")
b.close()
ok(srv.read_lines_until(lambda l: l.strip() == "clients 1", 5) is not None,
   "a_leaving_client_frees_its_place")
finish(srv, "max_clients")         # the screenshot is the second client
a.close()

# Exclusive --------------------------------------------------------------------------
srv = Server("--port", "0", "--image", pic, "--disable-ticketing", "--exclusive",
             "--log-input")
old = Client(port=srv.port)
ok(old.run_until(lambda: old.primary is not None, 15), "exclusive_first_client_attached")
# A link that never authenticates replaces nobody.
half = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
half.sendall(link_bytes())
link_reply(half)
pump(1)
ok(not old.errors() and "replaced" not in srv.log_text(),
   "unauthenticated_link_replaces_nobody", str(old.events))
ok(picture_ok(srv.port, pic, out), "exclusive_new_client_gets_the_picture")
ok(old.run_until(lambda: any(n == "main" and e != S.ChannelEvent.OPENED
                             for n, e in old.events), 10),
   "exclusive_new_client_disconnects_the_old_one", str(old.events))
ok(logged(srv, "replaced by the client of session"), "replacement_logged")
old.close()
half.close()
finish(srv, "exclusive")

# A client that never reads while the screen changes ------------------------------------
srv = Server("--port", "0", "--pattern", "anim", "--size", "1280x720", "--fps", "30",
             "--compression", "off", "--disable-ticketing",
             env={"SPICE_CORE_STALL_TIMEOUT_MS": "4000",
                  # ASan's quarantine would count freed frames in the RSS.
                  "ASAN_OPTIONS": "detect_leaks=1:quarantine_size_mb=4"})
m, r = main_conn(srv.port, rcvbuf=4096)
sid = session_id(m) if r == 0 else 0
dsp = socket.socket()
dsp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
dsp.settimeout(10)
dsp.connect(("127.0.0.1", srv.port))
rd = linked(dsp, DISPLAY, 0, sid)
# From here on neither socket is read.
good = Client(port=srv.port)
t0 = time.time()
base = None
peak = 0
while time.time() - t0 < 9:
    pump(0.2)
    kb = rss_kb(srv.proc.pid)
    if base is None and time.time() - t0 > 1.5:
        base = kb
    peak = max(peak, kb)
dropped = "client took nothing of" in srv.log_text()
ok(rd == 0 and dropped, "client_that_never_reads_dropped_after_the_stall_timeout",
   "rd=%s" % rd)
ok(base is not None and peak - base < 64 * 1024, "never_reading_client_memory_bounded",
   "grew %d KiB" % (peak - (base or 0)))
t1 = good.invalidates
ok(good.run_until(lambda: good.invalidates >= t1 + 10, 15),
   "other_client_keeps_updating", "invalidates %d" % good.invalidates)
good.close()
m.close()
dsp.close()
srv.stop()
ok(srv.proc.returncode == 0 and sanitizer_clean(srv.log_text()), "stall_then_clean_exit")

# Over the total output limit the largest queue goes ----------------------------------
srv = Server("--port", "0", "--pattern", "anim", "--size", "1280x720", "--fps", "30",
             "--compression", "off", "--disable-ticketing",
             env={"SPICE_CORE_OUT_TOTAL_LIMIT": str(6 << 20),
                  "SPICE_CORE_STALL_TIMEOUT_MS": "600000"})
socks = []
for i in range(3):
    m, r = main_conn(srv.port, rcvbuf=4096)
    sid = session_id(m)
    x = socket.socket()
    x.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    x.settimeout(10)
    x.connect(("127.0.0.1", srv.port))
    linked(x, DISPLAY, 0, sid)
    socks += [m, x]
ok(logged(srv, "dropping the largest queue", 10),
   "over_the_total_limit_the_largest_queue_goes")
for x in socks:
    x.close()
srv.stop()
ok(srv.proc.returncode == 0 and sanitizer_clean(srv.log_text()), "total_limit_then_clean_exit")
done()
