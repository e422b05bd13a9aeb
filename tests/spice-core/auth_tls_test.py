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
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import time  # noqa: E402

from sclib import (OUT, Server, console_like, done, noise, ok, read_ppm,  # noqa: E402
                   screenshot, workdir, write_ppm, x509_dir)
from scclient import Client, S  # noqa: E402

d = workdir("auth_tls")
pic = os.path.join(d, "pic.ppm")
rgb = noise(123, 77, 9)
write_ppm(pic, 123, 77, rgb)
out = os.path.join(d, "out.ppm")


def serve_with_password(pw):
    pwf = os.path.join(d, "pw")
    with open(pwf, "w") as f:
        f.write(pw + "\n")
    return Server("--port", "0", "--image", pic, "--password-file", pwf)


srv = serve_with_password("s3cret")
rc = screenshot(srv.port, out, password="wrong")
ok(rc != 0 and not os.path.exists(out), "wrong_password_gets_no_picture", "rc=%s" % rc)
rc = screenshot(srv.port, out, password="")
ok(rc != 0 and not os.path.exists(out), "empty_password_gets_no_picture", "rc=%s" % rc)
rc = screenshot(srv.port, out, password="s3cret")
ok(rc == 0 and read_ppm(out) == (123, 77, rgb), "right_password_gets_the_picture", "rc=%s" % rc)
c = Client(port=srv.port, password="s3cretX")
c.run_until(lambda: c.errors(), 10)
ok(S.ChannelEvent.ERROR_AUTH in c.errors(), "wrong_password_is_error_auth_in_spiceclientglib",
   str(c.events))
c.close()
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
s.sendall(struct.pack("<4sIII", b"REDQ", 2, 2, 18) + bytes(18))
try:
    reply = s.recv(100)
except (ConnectionResetError, socket.timeout):
    reply = b""
ok(not reply.startswith(b"REDQ"), "plain_text_on_tls_port_refused", repr(reply[:16]))
s.close()
srv.stop()

# A channel required to be secure, linked on the plain port.
srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x, "--image", pic,
             "--disable-ticketing", "--secure-channels", "main")
s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
s.sendall(struct.pack("<4sIII", b"REDQ", 2, 2, 18 + 4) +
          struct.pack("<IBBIII", 0, 1, 0, 1, 0, 18) + struct.pack("<I", 0b1001))
hdr = s.recv(16 + 4, socket.MSG_WAITALL)
err = struct.unpack("<I", hdr[16:20])[0] if len(hdr) == 20 else None
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
pwf = os.path.join(d, "pw")
with open(pwf, "w") as f:
    f.write("s3cret\n")
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
import ssl  # noqa: E402

big = os.path.join(d, "big.ppm")
write_ppm(big, 1920, 1080, random.Random(3).randbytes(1920 * 1080 * 3))
srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x, "--image", big,
             "--disable-ticketing", "--compression", "off")
tctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
tctx.check_hostname = False
tctx.verify_mode = ssl.CERT_NONE


def tls_recv(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return buf


def tls_link(ctype, conn_id):
    raw = socket.create_connection(("127.0.0.1", srv.tls_port), timeout=10)
    s = tctx.wrap_socket(raw)
    body = struct.pack("<IBBIII", conn_id, ctype, 0, 1, 0, 18) + struct.pack("<I", 0b1001)
    s.sendall(struct.pack("<4sIII", b"REDQ", 2, 2, len(body)) + body)
    hdr = tls_recv(s, 16)
    tls_recv(s, struct.unpack("<I", hdr[12:16])[0])
    s.sendall(struct.pack("<I", 1) + bytes(128))
    assert tls_recv(s, 4) == bytes(4)
    return raw, s


for attempt in range(3):
    raw_main, m = tls_link(1, 0)
    while True:
        mtype, size = struct.unpack("<HI", tls_recv(m, 6))
        body = tls_recv(m, size)
        if mtype == 103:            # MAIN_INIT: session id
            sid = struct.unpack("<I", body[:4])[0]
            break
    raw_disp, dch = tls_link(2, sid)
    dch.sendall(struct.pack("<HI", 101, 14) + bytes(14))      # DISPLAY_INIT
    tls_recv(dch, 4096)             # the big update is on its way
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
pwf = os.path.join(d, "pw")
with open(pwf, "w") as f:
    f.write("s3cret\n")
srv = Server("--port", "0", "--image", pic, "--password-file", pwf,
             "--ticket-lifetime", "3600")
rc = screenshot(srv.port, out, password="s3cret")
ok(rc == 0 and read_ppm(out) == (123, 77, rgb), "ticket_within_its_lifetime_accepted",
   "rc=%s" % rc)
srv.stop()
srv = Server("--port", "0", "--image", pic, "--password-file", pwf,
             "--ticket-lifetime", "1")
time.sleep(2.2)                     # past the lifetime (1 s after start)
rc = screenshot(srv.port, out, password="s3cret")
ok(rc != 0 and not os.path.exists(out), "expired_ticket_refused", "rc=%s" % rc)
c = Client(port=srv.port, password="s3cret")
c.run_until(lambda: c.errors(), 10)
ok(S.ChannelEvent.ERROR_AUTH in c.errors(), "expired_ticket_is_error_auth", str(c.events))
c.close()
srv.stop()
ok(any("password expired" in line for line in open(
    os.path.join(OUT, "serve-%d.log" % os.getpid()))), "expired_ticket_logged_as_expired")
done()
