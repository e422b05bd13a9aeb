#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""WebSocket and HTTP on spice-serve's ports, by hand, against the
ASan+UBSan build: the handshake, SPICE through binary frames (fragmented,
with pings between), each kind of bad frame or request dropping only that
client with a log line naming why, the close handshake, files from
--web-root (no way out of the root), wss on the TLS port."""
import os
import socket
import struct
import time

from sclib import (MAIN, DISPLAY, Server, closed, done, link_bytes, link_reply,
                   linked, ok, read_msg, sanitizer_clean, server_log, u32,
                   workdir, x509_dir, MAIN_INIT, AUTH_SPICE, recv_exact,
                   tls_connect, msg)
from wslib import (WS, Reader, frame, handshake_bytes, read_head, BINARY,
                   CONT, TEXT, CLOSE, PING, PONG)

D = workdir("websocket")
ROOT = os.path.join(D, "www")
os.makedirs(os.path.join(ROOT, "sub"), exist_ok=True)
with open(os.path.join(ROOT, "page.html"), "w") as f:
    f.write("<p>hello</p>\n")
with open(os.path.join(ROOT, "sub", "a.js"), "w") as f:
    f.write("export const a = 1;\n")
with open(os.path.join(D, "secret.txt"), "w") as f:
    f.write("outside the root\n")
for name, target in (("out-link", os.path.join(D, "secret.txt")),
                     ("in-link.html", os.path.join(ROOT, "page.html"))):
    p = os.path.join(ROOT, name)
    if not os.path.lexists(p):
        os.symlink(target, p)
fifo = os.path.join(ROOT, "fifo")
if not os.path.exists(fifo):
    os.mkfifo(fifo)

x509 = x509_dir(D, "spice-core websocket test CA")
srv = Server("--port", "0", "--tls-port", "0", "--x509-dir", x509,
             "--disable-ticketing", "--pattern", "bars", "--size", "64x48",
             "--web-root", ROOT,
             env={"SPICE_CORE_LINK_TIMEOUT_MS": "2000",
                  # a client's normal comings and goings log at debug
                  "G_MESSAGES_DEBUG": "spice-core"})


def conn():
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    return s


def ws_conn(**kw):
    return WS(conn(), **kw)


def log_has(text, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in server_log():
            return True
        time.sleep(0.05)
    return False


def spice_main_ok(r):
    """Link a main channel through reader r; True once MAIN_INIT came."""
    if linked(r) != 0:
        return False
    while True:
        m = read_msg(r)
        if m is None:
            return False
        if m[0] == MAIN_INIT:
            return True


# The handshake and SPICE through it ------------------------------------------
w = ws_conn()
ok(w.accepted, "handshake_101_with_the_right_accept_key", repr(w.head[:200]))
ok(b"Sec-WebSocket-Protocol: binary" in w.head, "binary_subprotocol_echoed")
ok(spice_main_ok(Reader(w)), "main_channel_links_through_websocket")
keeper = w          # stays linked while bad clients come and go

w = ws_conn(protocol=None)
ok(w.accepted and b"Sec-WebSocket-Protocol" not in w.head,
   "no_subprotocol_asked_none_echoed")
w.s.sendall(frame(PING, b"are you there"))
ok(w.control() == (PONG, b"are you there"), "ping_answered_with_same_payload")
# The link in three fragments with a ping and a pong between them.
lb = link_bytes(MAIN)
w.s.sendall(frame(BINARY, lb[:5], fin=False) + frame(PING, b"x") +
            frame(CONT, lb[5:9], fin=False) + frame(PONG, b"") +
            frame(CONT, lb[9:], fin=True))
err, _ = link_reply(Reader(w))
ok(err == 0, "fragmented_link_message_with_control_frames_between")
w.s.close()

# SPICE bytes in one-byte frames.
w = ws_conn()
r = Reader(w)
w.send(link_bytes(MAIN), chunk=1)
err, _ = link_reply(r)
w.send(u32(AUTH_SPICE) + bytes(128), chunk=7)
res = r.recv(4)
ok(err == 0 and res == u32(0), "spice_in_one_byte_frames")
w.s.close()

# Bad frames: each drops that client only, with a log line ------------------
BAD = [
    ("unmasked_client_frame", frame(BINARY, b"REDQ", mask=False),
     "unmasked client frame"),
    ("oversize_frame", frame(BINARY, b"", length=300 << 10)[:14] + bytes(1000),
     "frame too large"),
    ("undefined_opcode_3", frame(3, b"abc"), "undefined opcode"),
    ("undefined_opcode_0xb", frame(0xb, b""), "undefined opcode"),
    ("reserved_bit", frame(BINARY, b"abc", rsv=4), "reserved bits"),
    ("fragmented_ping", frame(PING, b"abc", fin=False),
     "fragmented control frame"),
    ("ping_over_125_bytes", frame(PING, bytes(126)), "control frame over 125"),
    ("text_frame", frame(TEXT, b"REDQ"), "text frame"),
    ("continuation_alone", frame(CONT, b"abc"), "continuation frame outside"),
    ("new_message_inside_fragmented", frame(BINARY, b"a", fin=False) +
     frame(BINARY, b"b"), "new message inside"),
    ("close_code_999", frame(CLOSE, struct.pack("!H", 999)), "bad close code"),
    ("close_of_one_byte", frame(CLOSE, b"\x03"), "close frame of one byte"),
]
for name, data, why in BAD:
    w = ws_conn()
    try:
        w.s.sendall(data)
    except OSError:
        pass
    ok(closed(w.s, 5), "bad_frame_%s_drops_the_client" % name)
    ok(log_has("WebSocket: " + why), "bad_frame_%s_logged" % name,
       "no '%s' in the log" % why)
    w.s.close()
# The bad frame after a linked session's bytes: same.
w = ws_conn()
r = Reader(w)
linked_ok = spice_main_ok(r)
w.s.sendall(frame(BINARY, b"abc", mask=False))
ok(linked_ok and closed(w.s, 5), "bad_frame_on_a_linked_channel_drops_it")
w.s.close()

keeper.s.sendall(frame(PING, b"still"))
ok(keeper.control() == (PONG, b"still"),
   "the_other_websocket_client_is_still_served")
s = conn()
ok(spice_main_ok(s), "a_plain_spice_client_is_still_served")
s.close()

# The close handshake ----------------------------------------------------------
w = ws_conn()
ok(spice_main_ok(Reader(w)), "linked_before_close")
w.s.sendall(frame(CLOSE, struct.pack("!H", 1000) + b"bye"))
c = w.control()
ok(c == (CLOSE, struct.pack("!H", 1000)), "close_answered_with_the_same_code",
   repr(c))
ok(closed(w.s, 5), "server_closes_after_its_close_frame")
ok(log_has("WebSocket close from the client (code 1000)"), "close_logged")
w = ws_conn()
w.s.sendall(frame(CLOSE))
ok(w.control() == (CLOSE, b"") and closed(w.s, 5), "empty_close_answered")

# Bad handshakes and requests ----------------------------------------------------


def http(req, timeout=5):
    s = conn()
    s.settimeout(timeout)
    s.sendall(req)
    head, rest = read_head(s)
    body = rest
    while True:
        try:
            chunk = s.recv(65536)
        except (socket.timeout, OSError):
            break
        if not chunk:
            break
        body += chunk
    s.close()
    return head.decode(errors="replace"), body


req, _ = handshake_bytes(version=8)
head, _ = http(req)
ok(head.startswith("HTTP/1.1 426") and "Sec-WebSocket-Version: 13" in head,
   "websocket_version_8_gets_426", head[:80])
req, _ = handshake_bytes(key="short")
head, _ = http(req)
ok(head.startswith("HTTP/1.1 400"), "bad_websocket_key_gets_400", head[:80])
head, _ = http(b"GET / HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n")
ok(head.startswith("HTTP/1.1 400"), "request_head_over_8KiB_gets_400", head[:80])
head, _ = http(b"GET / HTTP/1.1\r\n folded\r\n\r\n")
ok(head.startswith("HTTP/1.1 400"), "folded_header_gets_400")
head, _ = http(b"POST /page.html HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
ok(head.startswith("HTTP/1.1 405"), "post_gets_405")
s = conn()
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
ok(closed(s, 6), "unfinished_request_head_closed_by_the_link_timeout")
s.close()

# Files from the web root ------------------------------------------------------------
head, body = http(b"GET /page.html HTTP/1.1\r\nHost: x\r\n\r\n")
ok(head.startswith("HTTP/1.1 200") and "text/html" in head and
   body == b"<p>hello</p>\n", "file_served_with_its_type")
head, body = http(b"GET /sub/a.js?v=1 HTTP/1.1\r\n\r\n")
ok(head.startswith("HTTP/1.1 200") and "text/javascript" in head and
   body == b"export const a = 1;\n", "module_script_served_as_javascript")
head, body = http(b"HEAD /page.html HTTP/1.1\r\n\r\n")
ok(head.startswith("HTTP/1.1 200") and "Content-Length: 13" in head and
   body == b"", "head_gets_no_body")
head, body = http(b"GET /in-link.html HTTP/1.1\r\n\r\n")
ok(head.startswith("HTTP/1.1 200"), "symlink_inside_the_root_served")
for name, target in (("dotdot", b"/../secret.txt"),
                     ("escaped_dotdot", b"/%2e%2e/secret.txt"),
                     ("escaped_slash", b"/sub%2f..%2f..%2fsecret.txt"),
                     ("symlink_out", b"/out-link"),
                     ("directory", b"/sub"),
                     ("fifo", b"/fifo"),
                     ("missing", b"/nope.js"),
                     ("nul", b"/page.html%00.js"),
                     ("absolute_form", b"http://127.0.0.1/page.html")):
    t0 = time.time()
    head, body = http(b"GET " + target + b" HTTP/1.1\r\n\r\n")
    ok((head.startswith("HTTP/1.1 404") or head.startswith("HTTP/1.1 400")) and
       b"outside the root" not in body and time.time() - t0 < 4,
       "no_file_for_%s" % name, head[:40])

# wss on the TLS port ------------------------------------------------------------------
t = tls_connect(srv.tls_port)
w = WS(t)
ok(w.accepted and spice_main_ok(Reader(w)), "wss_on_the_tls_port_links")
t.close()
t = tls_connect(srv.tls_port)
t.sendall(b"GET /page.html HTTP/1.1\r\n\r\n")
head, rest = read_head(t)
ok(head.startswith(b"HTTP/1.1 200"), "https_file_on_the_tls_port")
t.close()

keeper.s.close()
st = srv.stop()
log = server_log()
ok(sanitizer_clean(log), "no_sanitizer_report", log[-2000:])

# Without --web-root: WebSocket still works, files are 404.
srv = Server("--port", "0", "--disable-ticketing", "--pattern", "bars")
head, body = http(b"GET /spice_auto.html HTTP/1.1\r\n\r\n")
ok(head.startswith("HTTP/1.1 404") and b"no web root" in body,
   "no_web_root_no_files")
w = ws_conn()
ok(w.accepted and spice_main_ok(Reader(w)), "websocket_without_web_root")
w.s.close()
srv.stop()
ok(sanitizer_clean(server_log()), "no_sanitizer_report_without_web_root")
done()
