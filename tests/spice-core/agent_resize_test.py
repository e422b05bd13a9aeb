#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Resize without a guest agent: spice-core announces an agent, answers
spice-gtk's capability handshake, and turns the client's monitors-config
request into the monitors_request callback (spice-serve --log-input
prints it)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sclib import Server, done, ok  # noqa: E402
from scclient import Client, wait_line  # noqa: E402


srv = Server("--port", "0", "--pattern", "bars", "--disable-ticketing", "--log-input")
c = Client(port=srv.port)
ok(c.run_until(lambda: c.main is not None and c.main.props.agent_connected
               and c.primary is not None, 15),
   "client_sees_an_agent_connected")
# spice-gtk only sends once the agent's capabilities arrived.
ok(c.run_until(lambda: c.main.agent_test_capability(1), 10),   # MONITORS_CONFIG
   "client_sees_agent_monitors_config_capability")
c.main.update_display_enabled(0, True, False)
c.main.update_display(0, 0, 0, 1024, 768, False)
ok(c.main.send_monitor_config(), "client_sends_monitor_config")
line = wait_line(srv, lambda l: l.startswith("monitors "))
ok(line == "monitors 0 1 1024x768+0+0", "resize_request_reaches_monitors_callback",
   str(line))
c.main.update_display(0, 0, 0, 641, 479, False)
c.main.send_monitor_config()
line = wait_line(srv, lambda l: l.startswith("monitors "))
ok(line == "monitors 0 1 641x479+0+0", "second_resize_request_with_odd_size", str(line))
c.close()
srv.stop()
done()
