#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Keys and mouse sent by a real spice-gtk client arrive in spice-core's
callbacks (spice-serve --log-input prints them); the cursor shape set on
the server is what the client sees, also when a QXL device sets it
(--qxl)."""
import ctypes
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from sclib import Server, done, ok  # noqa: E402
from scclient import Client, S, gconnect, pump, wait_line  # noqa: E402


LEFT, RIGHT, WHEEL_UP = 1, 3, 4        # SPICE_MOUSE_BUTTON_*
MASK_LEFT, MASK_RIGHT = 1, 4           # SPICE_MOUSE_BUTTON_MASK_*


def arrow():
    """spice-serve's --cursor arrow, as ARGB u32 little-endian bytes."""
    out = bytearray()
    for y in range(16):
        for x in range(16):
            if x <= y and x + y < 24:
                v = 0xff000000 if (x == 0 or x == y) else 0xffffffff
            else:
                v = 0
            out += v.to_bytes(4, "little")
    return bytes(out)


# Server (relative) mouse mode ------------------------------------------------
srv = Server("--port", "0", "--pattern", "bars", "--disable-ticketing",
             "--cursor", "--log-input")
shapes = []
c = Client(port=srv.port)


def on_new(s, ch):
    if isinstance(ch, S.CursorChannel):
        gconnect(ch, "cursor-set", lambda ch, w, h, x, y, d: shapes.append(
            (w, h, x, y, ctypes.string_at(d, w * h * 4) if d else None)))


gconnect(c.s, "channel-new", on_new)
ok(c.run_until(lambda: "inputs" in c.opened and shapes, 15),
   "client_opens_inputs_and_gets_cursor", str(c.events))
ok(shapes and shapes[0][:4] == (16, 16, 0, 0), "cursor_size_and_hotspot_seen_by_client",
   str(shapes[0][:4]) if shapes else "none")
ok(shapes and shapes[0][4] == arrow(), "cursor_pixels_seen_by_client")

c.inputs.key_press(0x1e)
ok(wait_line(srv, "key 0x01e down"), "key_press_a_arrives_as_scancode_0x1e")
c.inputs.key_release(0x1e)
ok(wait_line(srv, "key 0x01e up"), "key_release_a_arrives")
c.inputs.key_press(0x11d)       # right control: E0 1D
ok(wait_line(srv, "key 0x11d down"), "extended_key_right_ctrl_arrives_with_e0_flag")
c.inputs.key_release(0x11d)
ok(wait_line(srv, "key 0x11d up"), "extended_key_release_arrives")
c.inputs.key_press_and_release(0x39)   # space, via KEY_SCANCODE bytes
ok(wait_line(srv, "key 0x039 down") and wait_line(srv, "key 0x039 up"),
   "key_scancode_message_press_and_release_arrive")
c.inputs.motion(7, -3, 0)
ok(wait_line(srv, "mouse-rel 7 -3 0 buttons 0"), "relative_motion_arrives")
c.inputs.button_press(LEFT, MASK_LEFT)
ok(wait_line(srv, "mouse-rel 0 0 0 buttons 1"), "left_button_press_arrives")
c.inputs.button_release(LEFT, 0)
ok(wait_line(srv, "mouse-rel 0 0 0 buttons 0"), "left_button_release_arrives")
c.inputs.button_press(WHEEL_UP, 0)
ok(wait_line(srv, "mouse-rel 0 0 -1 buttons 0"), "wheel_up_arrives_as_dz_minus_1")
# spice-gtk drops motion once 8 are unacked: 40 motions all arriving
# proves the server sends MOUSE_MOTION_ACK.
for i in range(40):
    c.inputs.motion(1, 1, 0)
    pump(0.01)
n = 0
deadline = time.time() + 10
while n < 40 and time.time() < deadline:
    pump(0.02)
    while srv.read_lines_until(lambda l: l.startswith("mouse-rel 1 1"), 0.05):
        n += 1
ok(n == 40, "forty_motions_arrive_so_motion_acks_flow", "got %d" % n)
c.close()
srv.stop()

# Client (absolute) mouse mode -------------------------------------------------
srv = Server("--port", "0", "--pattern", "bars", "--disable-ticketing",
             "--mouse-absolute", "--log-input")
c = Client(port=srv.port)
ok(wait_line(srv, "mouse-mode client"), "client_mouse_mode_granted_when_absolute_offered")
c.run_until(lambda: "inputs" in c.opened and
            c.mouse_mode == 2, 10)  # SPICE_MOUSE_MODE_CLIENT
c.inputs.position(100, 50, 0, 0)
ok(wait_line(srv, "mouse-abs 0 100 50 0 buttons 0"), "absolute_position_arrives")
c.inputs.button_press(RIGHT, MASK_RIGHT)
ok(wait_line(srv, "mouse-abs 0 100 50 0 buttons 4"), "right_press_at_last_position_arrives")
c.close()
srv.stop()

# The cursor through a QXL device (--qxl): a cursor SET of an ALPHA shape,
# converted by the device, handed on by the display-sink adapter.
srv = Server("--port", "0", "--pattern", "bars", "--disable-ticketing",
             "--cursor", "--qxl")
shapes = []
c = Client(port=srv.port)
gconnect(c.s, "channel-new", on_new)
ok(c.run_until(lambda: shapes, 15), "qxl_client_gets_cursor", str(c.events))
ok(shapes and shapes[0][:4] == (16, 16, 0, 0) and shapes[0][4] == arrow(),
   "qxl_cursor_shape_and_hotspot_seen_by_client",
   str(shapes[0][:4]) if shapes else "none")
c.close()
srv.stop()
done()
