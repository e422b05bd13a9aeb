#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""SASL authentication (cyrus libsasl2) with real spice-gtk clients and
hostile ones.

A private SASL setup in a temp dir: spice.conf (found through
SASL_CONF_PATH) with mech_list and sasldb_path, users made by saslpasswd2.
On the plain port only DIGEST-MD5 qualifies (spice-gtk demands a security
layer of SSF >= 56 without TLS), so a right password proves the whole
security layer too: the picture comes back pixel-exact through it and keys
go the other way.  On TLS any mechanism is allowed.  Hostile clients speak
the wire protocol by hand: bad lengths, bad mechanism names, a client
stopping at each step; each gets only itself dropped, with a logged
reason, and the server still serves a real client afterwards.  Meant to
run against the ASan+UBSan spice-serve (SPICE_SERVE_BIN)."""
import os
import shutil
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import signal  # noqa: E402

from sclib import (AUTH_SASL, AUTH_SELECTION, AUTH_SPICE, MAIN, MINI_HEADER,  # noqa: E402
                   Server, closed, console_like, done, link_bytes, link_reply, noise,
                   ok, read_ppm, recv_exact, sanitizer_clean, screenshot, server_log,
                   typing_frame, u32, write_ppm, workdir, x509_dir)
from scclient import Client, auth_refused, wait_line  # noqa: E402

d = workdir("sasl")
USER, PASSWORD = "alice", "s3cret-sasl"

# Private SASL configuration and user database --------------------------------
conf = os.path.join(d, "conf")
shutil.rmtree(conf, ignore_errors=True)
os.makedirs(conf)
db = os.path.join(conf, "sasldb")
with open(os.path.join(conf, "spice.conf"), "w") as f:
    f.write("mech_list: digest-md5 scram-sha-1 plain\nsasldb_path: %s\n" % db)
SENV = {"SASL_CONF_PATH": conf}
subprocess.run(["saslpasswd2", "-f", db, "-a", "spice", "-c", "-p", USER],
               input=PASSWORD.encode(), check=True, env=dict(os.environ, **SENV))

pic = os.path.join(d, "pic.ppm")
W, H = 97, 61
rgb = noise(W, H, 5)
write_ppm(pic, W, H, rgb)
out = os.path.join(d, "out.ppm")


def alive(srv, name):
    rc = screenshot(srv.port, out, PASSWORD, user=USER)
    return ok(rc == 0 and read_ppm(out) == (W, H, rgb), name, "rc=%s" % rc)


# Wire helpers ---------------------------------------------------------------------
CAPS = (1 << AUTH_SELECTION) | (1 << AUTH_SASL) | (1 << MINI_HEADER)


def link(port):
    """Link a main channel; returns (socket, server common caps)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(link_bytes(MAIN, caps=(CAPS,)))
    err, caps = link_reply(s)
    assert err == 0, err
    return s, caps


def sasl_begin(port):
    """Link, choose SASL; returns (socket, mechanism list)."""
    s, _ = link(port)
    s.sendall(u32(AUTH_SASL))
    n = struct.unpack("<I", recv_exact(s, 4))[0]
    return s, recv_exact(s, n).decode()


def start_digest(s):
    """Send mechanism DIGEST-MD5 with no initial data; returns the reply."""
    s.sendall(u32(10) + b"DIGEST-MD5" + u32(0))
    n = struct.unpack("<I", recv_exact(s, 4))[0]
    data = recv_exact(s, n)
    complete = recv_exact(s, 1)
    return data, complete


# Real clients on the plain port (DIGEST-MD5 with a security layer) ------------------
srv = Server("--port", "0", "--image", pic, "--sasl", "--log-input", env=SENV)

s, caps = link(srv.port)
ok(caps & (1 << AUTH_SASL) and not caps & (1 << AUTH_SPICE),
   "sasl_offered_and_ticket_not_offered", "caps=%#x" % caps)
s.sendall(u32(AUTH_SASL))
n = struct.unpack("<I", recv_exact(s, 4))[0]
mechs = recv_exact(s, n).decode()
ok(mechs == ",DIGEST-MD5,", "plain_port_offers_only_mechanisms_with_a_security_layer", mechs)
s.close()

alive(srv, "sasl_right_password_gets_the_picture_through_the_security_layer")
ok("SASL DIGEST-MD5: authenticated 'alice' with a security layer" in server_log(),
   "server_logs_the_authenticated_user")

refused, events = auth_refused(port=srv.port, username=USER, password="wrong")
ok(refused, "sasl_wrong_password_is_error_auth", events)
refused, events = auth_refused(port=srv.port, username="mallory", password=PASSWORD)
ok(refused, "sasl_unknown_user_is_error_auth", events)
rc = screenshot(srv.port, out, "wrong", user=USER)
ok(rc != 0 and not os.path.exists(out), "sasl_wrong_password_gets_no_picture", "rc=%s" % rc)

c = Client(port=srv.port, username=USER, password=PASSWORD)
ok(c.run_until(lambda: "inputs" in c.opened, 15), "sasl_client_opens_every_channel", str(c.events))
c.inputs.key_press(0x1e)
ok(wait_line(srv, "key 0x01e down"), "sasl_keys_arrive_through_the_security_layer")
c.close()

# Choosing the ticket when SASL is on gets no way in.
s, _ = link(srv.port)
s.sendall(u32(AUTH_SPICE) + b"\0" * 128)
res = recv_exact(s, 4)
ok(res != u32(0) and closed(s), "ticket_auth_refused_when_sasl_is_on", repr(res))

# Hostile clients -------------------------------------------------------------------


def hostile(name, send, reason):
    """Start SASL, send bytes, expect a drop and `reason` in the log."""
    s, _ = sasl_begin(srv.port)
    before = len(server_log())
    s.sendall(send)
    dropped = closed(s)
    ok(dropped and reason in server_log()[before:], name,
       "dropped=%s log=%r" % (dropped, server_log()[before:][-300:]))
    s.close()


hostile("sasl_mechname_length_zero_dropped", u32(0), "mechanism name length")
hostile("sasl_mechname_length_huge_dropped", u32(0xffffffff), "mechanism name length")
hostile("sasl_mechname_length_101_dropped", u32(101) + b"A" * 101, "mechanism name length")
hostile("sasl_mechname_not_offered_dropped", u32(5) + b"PLAIN", "not offered")
hostile("sasl_mechname_prefix_of_offered_dropped", u32(6) + b"DIGEST", "not offered")
hostile("sasl_mechname_with_comma_dropped", u32(12) + b"DIGEST-MD5,X", "character")
hostile("sasl_mechname_lowercase_dropped", u32(10) + b"digest-md5", "character")
hostile("sasl_mechname_with_nul_dropped", u32(11) + b"DIGEST-MD5\0", "character")
hostile("sasl_start_length_huge_dropped", u32(10) + b"DIGEST-MD5" + u32(0xffffffff),
        "SASL data longer")
hostile("sasl_start_length_65537_dropped", u32(10) + b"DIGEST-MD5" + u32(65537),
        "SASL data longer")

s, _ = sasl_begin(srv.port)
data, complete = start_digest(s)
ok(b"nonce=" in data and complete == b"\0", "digest_md5_start_gives_a_challenge",
   repr(data[:40]))
before = len(server_log())
s.sendall(u32(0xfffffff0))
ok(closed(s) and "SASL data longer" in server_log()[before:], "sasl_step_length_huge_dropped")

s, _ = sasl_begin(srv.port)
start_digest(s)
before = len(server_log())
junk = b"username=\"alice\",response=" + b"\xff" * 300 + b"\0"
s.sendall(u32(len(junk)) + junk)
ok(closed(s) and "authentication failed" in server_log()[before:],
   "sasl_garbage_step_data_is_an_auth_failure")

# DIGEST-MD5 is server-first: initial data is ignored and the challenge
# comes anyway (or the client is dropped); never anything else.
s, _ = sasl_begin(srv.port)
s.sendall(u32(10) + b"DIGEST-MD5" + u32(3) + b"\xff\xfe\xfd")
hdr = recv_exact(s, 4)
if len(hdr) == 4:
    n = struct.unpack("<I", hdr)[0]
    data = recv_exact(s, n)
    good = n <= 65536 and b"nonce=" in data and recv_exact(s, 1) == b"\0"
else:
    good = True
ok(good, "sasl_unexpected_start_data_gets_a_challenge_or_a_drop", repr(hdr))
s.close()

alive(srv, "real_client_still_served_after_hostile_sasl_clients")
srv.stop()

# Stopping at each step: a short link timeout drops every half-open one.
srv = Server("--port", "0", "--image", pic, "--sasl", env=dict(
    SENV, SPICE_CORE_LINK_TIMEOUT_MS="1500"))
stops = {
    "after_mechlist": b"",
    "after_mechname_length": u32(10),
    "inside_mechname": u32(10) + b"DIGE",
    "after_mechname": u32(10) + b"DIGEST-MD5",
    "after_start_length": u32(10) + b"DIGEST-MD5" + u32(100),
    "inside_start_data": u32(10) + b"DIGEST-MD5" + u32(100) + b"x" * 50,
}
socks = []
for name, data in stops.items():
    s, _ = sasl_begin(srv.port)
    s.sendall(data)
    socks.append((name, s))
s, _ = sasl_begin(srv.port)
start_digest(s)
socks.append(("after_first_challenge", s))
for name, s in socks:
    ok(closed(s, 10), "sasl_client_stopping_%s_dropped_by_link_timeout" % name)
    s.close()
ok(server_log().count("link not complete in time") >= len(socks),
   "each_stopped_client_logged")
alive(srv, "real_client_served_after_stopped_sasl_clients")
srv.stop()

# TLS: SASL without a security layer -----------------------------------------------
x = x509_dir(d, "qxl-ng sasl test CA")

srv = Server("--tls-port", "0", "--x509-dir", x, "--image", pic, "--sasl", env=SENV)
ca = os.path.join(x, "ca-cert.pem")
c = Client(tls_port=srv.tls_port, ca_file=ca, username=USER, password=PASSWORD)
ok(c.run_until(lambda: c.primary is not None and c.invalidates > 0, 20),
   "sasl_over_tls_gets_the_display", str(c.events))
c.close()
refused, events = auth_refused(tls_port=srv.tls_port, ca_file=ca, username=USER,
                               password="nope")
ok(refused, "sasl_over_tls_wrong_password_is_error_auth", events)
srv.stop()

# Big and well-compressed pictures and an animation, through the DIGEST-MD5
# security layer (sasl_encode in chunks of the client's maxoutbuf) and over
# TLS (SCRAM, no layer: TLS records cut at message ends).
big = [("console_1024x768_lz4", 1024, 768, console_like(1024, 768, 1), "auto"),
       ("noise_1920x1080_raw", 1920, 1080, noise(1920, 1080, 8), "off"),
       ("solid_1024x768_fill", 1024, 768, b"\x10\x80\x30" * (1024 * 768), "auto")]
for name, w, h, px, comp in big:
    path = os.path.join(d, name + ".ppm")
    write_ppm(path, w, h, px)
    srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x, "--image", path,
                 "--sasl", "--compression", comp, env=SENV)
    rc = screenshot(srv.port, out, PASSWORD, 60, user=USER)
    got = read_ppm(out) if rc == 0 else None
    ok(got == (w, h, px), "sasl_layer_%s_pixel_exact" % name,
       "rc=%s" % rc if got is None else "picture differs")
    rc = screenshot(srv.port, out, PASSWORD, 60, srv.tls_port, ca, user=USER)
    got = read_ppm(out) if rc == 0 else None
    ok(got == (w, h, px), "sasl_over_tls_%s_pixel_exact" % name,
       "rc=%s" % rc if got is None else "picture differs")
    srv.stop()

for where in ("layer", "tls"):
    srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x, "--pattern", "typing",
                 "--size", "1024x768", "--fps", "25", "--sasl", env=SENV)
    if where == "layer":
        c = Client(port=srv.port, username=USER, password=PASSWORD, channels=("display",))
    else:
        c = Client(tls_port=srv.tls_port, ca_file=ca, username=USER, password=PASSWORD,
                   channels=("display",))
    several = c.run_until(lambda: c.invalidates >= 5, 30)
    ok(several, "sasl_%s_typing_several_updates_arrive" % where,
       "invalidates=%d %s" % (c.invalidates, c.events))
    srv.proc.send_signal(signal.SIGUSR1)
    line = srv.read_lines_until(lambda l: l.startswith("anim-done"), 20)
    want = (1024, 768, typing_frame(1024, 768, int(line.split()[1]))) if line else None
    same = want is not None and c.run_until(lambda: c.pixels() == want, 20)
    ok(same, "sasl_%s_typing_last_frame_pixel_exact" % where, "done=%s" % line)
    c.close()
    srv.stop()

ok(sanitizer_clean(server_log()), "no_sanitizer_reports_from_the_server")
done()
