#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The pass-through agent path (a guest agent port, spice-core's
channels/agentdev.c) against hostile and flooding clients, with
spice-serve --guest-agent standing in for the guest's spice-vdagent
(tools/agent-guest.h):

  stuck  a guest that takes nothing: a client's chunks are not
         acknowledged (no AGENT_TOKEN); one chunk beyond the token window
         MAIN_INIT granted drops that client; the next client owns the
         agent (its chunk is not acknowledged either); a chunk over 2048 bytes drops it too; the server serves on;
  sink   a guest that takes everything: chunks a client sends as fast as
         its tokens allow (many times the window) all reach the port, whole
         and in order (port 1, the client's), each token comes back; when
         the client leaves, the guest hears CLIENT_DISCONNECTED on port 2;
         spice-gtk gets client mouse mode with no absolute device on the
         host, and its pointer position and buttons reach the guest as
         VD_AGENT_MOUSE_STATE; the display has a device info, but this
         guest never announced VD_AGENT_CAP_GRAPHICS_DEVICE_INFO, so it
         never gets VD_AGENT_GRAPHICS_DEVICE_INFO;
  sink,announce  a guest that announces that cap gets the message on
         port 2 (--device-info pci/0000/05.0,3,2: count 2, channel 0,
         monitors 0 and 1 as the guest's ids 3 and 4, the address with its
         NUL), byte for byte, with no client connected; when the device
         info changes (SIGUSR2: ids from 4) it gets it again.

Meant to run against an ASan+UBSan build of spice-serve too
(SPICE_SERVE_BIN)."""
import os
import signal
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sclib import (MAIN_INIT, Server, closed, done, linked, msg, ok,  # noqa: E402
                   read_msg, sanitizer_clean, u32, wait_msg, workdir)
from scclient import Client, wait_line  # noqa: E402

AGENT_START, AGENT_DATA = 106, 107              # client messages
AGENT_TOKEN = 110                               # server message
CLIENT_DISCONNECTED = 13                        # VD_AGENT_CLIENT_DISCONNECTED

d = workdir("agent-guest")
pic = os.path.join(d, "pic.ppm")
with open(pic, "wb") as f:
    f.write(b"P6\n4 2\n255\n" + bytes(range(24)))


def main_channel(port):
    """A linked main channel: (socket, agent_connected, agent_tokens)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    assert linked(s) == 0
    init = wait_msg(s, MAIN_INIT)
    assert init is not None, "no MAIN_INIT"
    connected, tokens = struct.unpack("<II", init[16:24])
    return s, connected, tokens


def tokens_back(s, timeout):
    """AGENT_TOKEN counts the server sends within timeout seconds (until
    it goes quiet)."""
    n = 0
    s.settimeout(timeout)
    try:
        while True:
            m = read_msg(s)
            if m is None:
                return n
            if m[0] == AGENT_TOKEN:
                n += struct.unpack("<I", m[1][:4])[0]
    except socket.timeout:
        return n


# -- stuck -------------------------------------------------------------------
srv = Server("--port", "0", "--image", pic, "--disable-ticketing",
             "--guest-agent", "stuck")
s, connected, window = main_channel(srv.port)
ok(connected == 1 and window > 0, "stuck_agent_connected_with_a_window",
   "connected %d, tokens %d" % (connected, window))
s.sendall(msg(AGENT_START, u32(10)))
chunk = bytes(2048)
s.sendall(msg(AGENT_DATA, chunk) * window)
back = tokens_back(s, 1)
ok(back == 0 and not closed(s, 0.5), "stuck_agent_window_filled_no_token_back",
   "tokens back %d" % back)
s.sendall(msg(AGENT_DATA, chunk))
ok(closed(s), "stuck_agent_chunk_beyond_the_window_drops_the_client")
ok("beyond its token window" in srv.log_text(), "stuck_agent_drop_logged",
   srv.log_text()[-300:])
s2, connected, _ = main_channel(srv.port)
s2.sendall(msg(AGENT_START, u32(10)))
s2.sendall(msg(AGENT_DATA, chunk))
back = tokens_back(s2, 1)
# (the emulation, or a client without the agent, would give it back)
ok(connected == 1 and back == 0, "next_client_owns_the_stuck_agent",
   "connected %d, tokens back %d" % (connected, back))
s2.sendall(msg(AGENT_DATA, bytes(2049)))
ok(closed(s2), "guest_agent_chunk_over_2048_bytes_drops_the_client")
s3, connected, _ = main_channel(srv.port)
ok(connected == 1, "server_serves_on_after_the_drops")
s3.close()
srv.stop()
ok(srv.proc.returncode == 0, "stuck_server_exits_cleanly",
   "rc=%s" % srv.proc.returncode)

# -- sink --------------------------------------------------------------------
srv = Server("--port", "0", "--image", pic, "--disable-ticketing",
             "--guest-agent", "sink", "--device-info", "pci/0000/05.0,0,1")
s, connected, window = main_channel(srv.port)
s.sendall(msg(AGENT_START, u32(10)))
# A well-formed message (CLIPBOARD_RELEASE, empty) then filler chunks,
# window * 8 in all, sent only as tokens come back.
first = struct.pack("<IIQI", 1, 9, 0, 0)
sizes = [len(first)] + [2048 - (i % 7) * 100 for i in range(window * 8 - 1)]
tokens, sent, got_back = window, 0, 0
s.settimeout(10)
for i, n in enumerate(sizes):
    while tokens == 0:
        m = read_msg(s)
        if m is None:
            break
        if m[0] == AGENT_TOKEN:
            t = struct.unpack("<I", m[1][:4])[0]
            tokens += t
            got_back += t
    if tokens == 0:
        break
    s.sendall(msg(AGENT_DATA, first if i == 0 else bytes([i & 255]) * n))
    tokens -= 1
    sent += 1
got_back += tokens_back(s, 2)
ok(sent == len(sizes) and got_back == sent, "sink_every_token_comes_back",
   "sent %d of %d chunks, %d tokens back" % (sent, len(sizes), got_back))
want = ["agent-chunk 1 %d" % n for n in sizes]
line = srv.read_lines_until(lambda l: False, 0.5)
seen = [x for x in srv.lines if x.startswith("agent-chunk ")]
ok(seen == want, "sink_chunks_reach_the_guest_whole_and_in_order",
   "%d of %d chunks; first differing %r" %
   (len(seen), len(want), next((a for a, b in zip(seen, want) if a != b),
                               None)))
ok("agent-msg 1 9 0" in srv.lines, "sink_guest_reads_the_client_message")
s.close()
line = srv.read_lines_until(lambda l: l == "agent-msg 2 %d 0" %
                            CLIENT_DISCONNECTED, 10)
ok(line is not None, "sink_guest_hears_client_disconnected",
   str([x for x in srv.lines if x.startswith("agent-")][-3:]))

# Client mouse mode through the agent: no absolute device on the host, yet
# spice-gtk gets client mode, and its positions and buttons reach the
# guest as VD_AGENT_MOUSE_STATE (port 2).
c = Client(port=srv.port)
ok(c.run_until(lambda: "inputs" in c.opened and c.mouse_mode == 2, 15),
   "client_mouse_mode_through_the_agent", "mode %s" % c.mouse_mode)
c.inputs.position(321, 123, 0, 0)
ok(wait_line(srv, "agent-mouse 321 123 0 0"), "position_reaches_the_agent",
   str([x for x in srv.lines if x.startswith("agent-")][-3:]))
c.inputs.button_press(3, 4)             # RIGHT, MASK_RIGHT
ok(wait_line(srv, "agent-mouse 321 123 0x8 0"),
   "button_reaches_the_agent_as_its_mask",
   str([x for x in srv.lines if x.startswith("agent-")][-3:]))
c.close()
srv.stop()
ok(srv.proc.returncode == 0, "sink_server_exits_cleanly",
   "rc=%s" % srv.proc.returncode)
info = [x for x in srv.lines if x.startswith("agent-devinfo") or
        x.startswith("agent-msg 2 16 ")]
ok(not info, "no_device_info_without_the_guest_cap", str(info))
ok(sanitizer_clean(srv.log_text()), "no_sanitizer_report")

# -- sink,announce: VD_AGENT_GRAPHICS_DEVICE_INFO -----------------------------
GRAPHICS_DEVICE_INFO = 16
ADDR = b"pci/0000/05.0\0"


def device_info(first, n):
    """The body spice-server would send for one display (channel 0) of
    n heads, the guest's ids from first."""
    body = struct.pack("<I", n)
    for i in range(n):
        body += struct.pack("<IIII", 0, i, first + i, len(ADDR)) + ADDR
    return body


def next_devinfo(srv, timeout=10):
    line = srv.read_lines_until(lambda l: l.startswith("agent-devinfo "),
                                timeout)
    return bytes.fromhex(line.split()[1]) if line else None


srv = Server("--port", "0", "--image", pic, "--disable-ticketing",
             "--guest-agent", "sink,announce",
             "--device-info", "pci/0000/05.0,3,2")
got = next((bytes.fromhex(x.split()[1]) for x in srv.lines
            if x.startswith("agent-devinfo ")), None) or next_devinfo(srv)
want = device_info(3, 2)
ok(got == want, "device_info_reaches_the_announcing_guest_byte_for_byte",
   "got %s want %s" % (got.hex() if got else None, want.hex()))
ok("agent-msg 2 %d %d" % (GRAPHICS_DEVICE_INFO, len(want)) in srv.lines,
   "device_info_on_the_server_port_whole",
   str([x for x in srv.lines if x.startswith("agent-")][-4:]))
srv.proc.send_signal(signal.SIGUSR2)
got = next_devinfo(srv)
want = device_info(4, 2)
ok(got == want, "changed_device_info_sent_again",
   "got %s want %s" % (got.hex() if got else None, want.hex()))
s, connected, _ = main_channel(srv.port)
ok(connected == 1, "client_sees_the_announcing_agent")
s.close()
srv.stop()
ok(srv.proc.returncode == 0, "announce_server_exits_cleanly",
   "rc=%s" % srv.proc.returncode)
ok(sanitizer_clean(srv.log_text()), "no_sanitizer_report_announce")
done()
