#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Ticket auth and TLS with real spice-gtk clients: a wrong password gets
no picture and the right one does; a 60-byte password works; TLS with a
CA file works; plain text on the TLS port is refused; a channel required
to be secure is refused on the plain port with NEED_SECURED; over TLS,
large and well-compressed pictures and an animation arrive pixel-exact
(each TLS record carries one message: spice-gtk stalls otherwise)."""
import os
import signal
import socket
import sys

sys.path.insert(0, os.path.dirname(__file__))
import time  # noqa: E402

from sclib import (DISPLAY, MAIN, Server, console_like, done, link_bytes,  # noqa: E402
                   link_reply, linked, msg, noise, ok, password_file, read_ppm,
                   recv_exact, screenshot, server_log, session_id, tls_connect,
                   workdir, write_ppm, x509_dir)
from scclient import Client, auth_refused  # noqa: E402

d = workdir("auth_tls")
pic = os.path.join(d, "pic.ppm")
rgb = noise(123, 77, 9)
write_ppm(pic, 123, 77, rgb)
out = os.path.join(d, "out.ppm")


def serve_with_password(pw, *more):
    return Server("--port", "0", "--image", pic, "--password-file",
                  password_file(d, pw), *more)


srv = serve_with_password("s3cret")
rc = screenshot(srv.port, out, password="wrong")
ok(rc != 0 and not os.path.exists(out), "wrong_password_gets_no_picture", "rc=%s" % rc)
rc = screenshot(srv.port, out, password="")
ok(rc != 0 and not os.path.exists(out), "empty_password_gets_no_picture", "rc=%s" % rc)
rc = screenshot(srv.port, out, password="s3cret")
ok(rc == 0 and read_ppm(out) == (123, 77, rgb), "right_password_gets_the_picture", "rc=%s" % rc)
refused, events = auth_refused(port=srv.port, password="s3cretX")
ok(refused, "wrong_password_is_error_auth_in_spiceclientglib", events)
srv.stop()

pw60 = "p" * 59 + "!"
srv = serve_with_password(pw60)
rc = screenshot(srv.port, out, password=pw60)
ok(rc == 0 and read_ppm(out) == (123, 77, rgb), "password_of_60_bytes_accepted", "rc=%s" % rc)
rc = screenshot(srv.port, out, password=pw60[:-1])
ok(rc != 0, "password_prefix_refused", "rc=%s" % rc)
srv.stop()

# TLS ------------------------------------------------------------------------
x = x509_dir(d, "qxl-ng test CA")

srv = Server("--tls-port", "0", "--x509-dir", x, "--image", pic, "--disable-ticketing")
c = Client(tls_port=srv.tls_port, ca_file=os.path.join(x, "ca-cert.pem"))
ok(c.run_until(lambda: c.primary is not None and c.invalidates > 0, 20),
   "tls_client_with_ca_file_gets_the_display", str(c.events))
c.close()

# Plain text on the TLS port: a REDQ header gets no REDQ reply.
s = socket.create_connection(("127.0.0.1", srv.tls_port), timeout=10)
s.sendall(link_bytes())
reply = recv_exact(s, 16)
ok(not reply.startswith(b"REDQ"), "plain_text_on_tls_port_refused", repr(reply[:16]))
s.close()
srv.stop()

# A channel required to be secure, linked on the plain port.
srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x, "--image", pic,
             "--disable-ticketing", "--secure-channels", "main")
s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
s.sendall(link_bytes(MAIN))
err = link_reply(s)[0]
ok(err == 5, "secure_channel_on_plain_port_gets_need_secured", "error=%s" % err)
s.close()
# spice-gtk then moves to the TLS port by itself.
c = Client(port=srv.port, tls_port=srv.tls_port, ca_file=os.path.join(x, "ca-cert.pem"))
ok(c.run_until(lambda: c.primary is not None and c.invalidates > 0, 20),
   "spice_gtk_follows_need_secured_to_tls_port", str(c.events))
c.close()
srv.stop()

# Pictures over TLS ----------------------------------------------------------
# spice-gtk reads a message with SSL_read() and then goes on only while the
# socket is readable.  A TLS record holding the end of one message and the
# start of the next left those bytes decrypted inside the client's OpenSSL
# with nothing more coming: a 1024x768 text console (a few KiB with LZ4, so
# all its messages in one record) never arrived.  Each case below stalled
# before every record was cut at message ends.


import random  # noqa: E402

ca = os.path.join(x, "ca-cert.pem")
pwf = password_file(d, "s3cret")
pictures = [
    ("console_1024x768_lz4", 1024, 768, console_like(1024, 768, 1), "auto"),
    ("console_1024x768_raw", 1024, 768, console_like(1024, 768, 2, 48), "off"),
    ("noise_1024x768_lz4", 1024, 768, noise(1024, 768, 5), "auto"),
    ("noise_1024x768_raw", 1024, 768, noise(1024, 768, 6), "off"),
    ("noise_1920x1080_raw", 1920, 1080, noise(1920, 1080, 7), "off"),
    ("solid_1024x768_fill", 1024, 768, b"\x20\x40\x60" * (1024 * 768), "auto"),
]
for name, w, h, rgb_big, comp in pictures:
    path = os.path.join(d, name + ".ppm")
    write_ppm(path, w, h, rgb_big)
    srv = Server("--tls-port", "0", "--x509-dir", x, "--image", path,
                 "--password-file", pwf, "--compression", comp)
    rc = screenshot(None, out, password="s3cret", tls_port=srv.tls_port, ca=ca)
    got = read_ppm(out) if rc == 0 else None
    ok(got == (w, h, rgb_big), "tls_%s_pixel_exact_at_spicy_screenshot" % name,
       "rc=%s" % rc if got is None else "picture differs")
    if name == "console_1024x768_lz4":
        c = Client(tls_port=srv.tls_port, password="s3cret", ca_file=ca,
                   channels=("display",))
        c.run_until(lambda: c.invalidates > 0 and c.pixels() == (w, h, rgb_big), 20)
        ok(c.pixels() == (w, h, rgb_big), "tls_%s_pixel_exact_at_spiceclientglib" % name,
           str(c.events))
        c.close()
    srv.stop()

# Animations over TLS: several updates reach a SpiceClientGLib client,
# which then shows the last frame pixel for pixel (compared with a plain-TCP
# spicy-screenshot of the same server once the animation stopped).  'anim'
# redraws everything per frame; 'typing' draws three small glyphs per frame,
# each its own DRAW_COPY, like a text console.
for pattern, comp in (("anim", "auto"), ("typing", "auto"), ("typing", "off")):
    srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x, "--pattern", pattern,
                 "--size", "1024x768", "--fps", "25", "--disable-ticketing",
                 "--compression", comp)
    c = Client(tls_port=srv.tls_port, ca_file=ca, channels=("display",))
    several = c.run_until(lambda: c.invalidates >= 5, 30)
    ok(several, "tls_%s_%s_several_updates_arrive" % (pattern, comp),
       "invalidates=%d" % c.invalidates)
    srv.proc.send_signal(signal.SIGUSR1)
    stopped = srv.read_lines_until(lambda l: l.startswith("anim-done"), 20)
    rc = screenshot(srv.port, out)
    ref = read_ppm(out) if rc == 0 else None
    same = ref is not None and c.run_until(lambda: c.pixels() == ref, 20)
    ok(stopped and same, "tls_%s_%s_last_frame_pixel_exact" % (pattern, comp),
       "stopped=%s ref_rc=%s invalidates=%d" % (stopped, rc, c.invalidates))
    c.close()
    srv.stop()

# A TLS client vanishing while the server writes a big update: the server
# gets EPIPE, never SIGPIPE (which would kill the process).
big = os.path.join(d, "big.ppm")
write_ppm(big, 1920, 1080, random.Random(3).randbytes(1920 * 1080 * 3))
srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x, "--image", big,
             "--disable-ticketing", "--compression", "off")
for attempt in range(3):
    m = tls_connect(srv.tls_port)
    assert linked(m) == 0
    sid = session_id(m)
    dch = tls_connect(srv.tls_port)
    assert linked(dch, DISPLAY, 0, sid) == 0
    dch.sendall(msg(101, bytes(14)))                # DISPLAY_INIT
    recv_exact(dch, 4096)           # the big update is on its way
    # Close without reading on: the server's next write draws a RST, the
    # one after it fails with EPIPE.
    dch.close()
    m.close()
    time.sleep(0.5)
ok(srv.proc.poll() is None, "tls_clients_vanishing_mid_update_leave_the_server_running",
   "exit=%s" % srv.proc.poll())
c = Client(tls_port=srv.tls_port, ca_file=os.path.join(x, "ca-cert.pem"))
ok(c.run_until(lambda: c.primary is not None, 20),
   "tls_still_served_after_a_vanished_client", str(c.events))
c.close()
srv.stop()

# Ticket expiry -------------------------------------------------------------------
srv = serve_with_password("s3cret", "--ticket-lifetime", "3600")
rc = screenshot(srv.port, out, password="s3cret")
ok(rc == 0 and read_ppm(out) == (123, 77, rgb), "ticket_within_its_lifetime_accepted",
   "rc=%s" % rc)
srv.stop()
srv = serve_with_password("s3cret", "--ticket-lifetime", "1")
time.sleep(2.2)                     # past the lifetime (1 s after start)
rc = screenshot(srv.port, out, password="s3cret")
ok(rc != 0 and not os.path.exists(out), "expired_ticket_refused", "rc=%s" % rc)
refused, events = auth_refused(port=srv.port, password="s3cret")
ok(refused, "expired_ticket_is_error_auth", events)
srv.stop()
ok("password expired" in server_log(), "expired_ticket_logged_as_expired")
done()
