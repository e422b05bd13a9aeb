#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A real SPICE client for the port test: spice-gtk's PortChannel (through
SpiceClientGLib) on the port named NAME.  Prints one line per event on
stdout, for vm_test.py to follow:

  init NAME OPENED       the channel's PORT_INIT (port-name, port-opened)
  opened                 the guest's side is open (now or by PORT_EVENT)
  sent N                 N bytes of --send written (once opened)
  got HEX                bytes received, as they come
  closed                 the guest closed its side (PORT_EVENT)

  port_client.py --port P --name NAME --send TEXT [--timeout S]"""
import argparse
import ctypes
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "spice-core"))
from scclient import S, GLib, gconnect  # noqa: E402


def say(*words):
    print(*words, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--send", required=True)
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    loop = GLib.MainLoop()
    st = {"sent": False, "ch": None}
    sess = S.Session()
    sess.props.host = "127.0.0.1"
    sess.props.port = a.port

    def send(ch):
        if st["sent"]:
            return
        st["sent"] = True
        # spice-gtk sends the buffer by reference: keep it alive
        data = st["data"] = a.send.encode()

        def done(c, res):
            say("sent", c.write_finish(res))
        ch.write_async(data, None, done)

    def opened_changed(ch, _pspec):
        if ch.props.port_opened:
            say("opened")
            if ch.props.port_name:
                send(ch)

    def name_known(ch, _pspec):
        say("init", ch.props.port_name, int(ch.props.port_opened))
        if ch.props.port_opened:
            send(ch)

    def on_data(ch, p, n):
        say("got", ctypes.string_at(p, n).hex())

    def on_event(ch, ev):
        if ev == 1:                 # SPICE_PORT_EVENT_CLOSED
            say("closed")
            loop.quit()

    def on_new(s, ch):
        if isinstance(ch, S.PortChannel) and \
                type(ch).__name__ == "PortChannel":
            st["ch"] = ch
            gconnect(ch, "notify::port-name", name_known)
            gconnect(ch, "notify::port-opened", opened_changed)
            gconnect(ch, "port-data", on_data)
            gconnect(ch, "port-event", on_event)
            ch.connect()
    gconnect(sess, "channel-new", on_new)
    sess.connect()
    GLib.timeout_add(int(a.timeout * 1000), loop.quit)
    loop.run()
    sess.disconnect()


if __name__ == "__main__":
    main()
