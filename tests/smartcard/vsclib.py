# SPDX-License-Identifier: MIT
"""The smartcard channel by hand: VSC messages (vscard_common.h) in
SMARTCARD_DATA, little-endian headers on the SPICE wire.  Linking is
tests/usbredir/vmclib.py's."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "usbredir"))
from vmclib import connect, main_session  # noqa: E402,F401 (re-exported)
from sclib import msg, read_msg  # noqa: E402

SMARTCARD = 8                   # SPICE_CHANNEL_SMARTCARD
DATA = 101                      # SMARTCARD_DATA, both ways
(INIT, ERROR, READER_ADD, READER_REMOVE, ATR, CARD_REMOVE, APDU,
 FLUSH, FLUSH_COMPLETE) = range(1, 10)
SUCCESS, GENERAL_ERROR, CANNOT_ADD_MORE_READERS = 0, 1, 2
UNDEFINED = 0xffffffff


def vsc(vtype, reader=0, payload=b"", length=None):
    """One SMARTCARD_DATA message (length: lie about the payload)."""
    n = len(payload) if length is None else length
    return msg(DATA, struct.pack("<III", vtype, reader, n) + payload)


def error_payload(code):
    return struct.pack("<I", code)


def read_vsc(s):
    """(type, reader_id, length, payload) of the next SMARTCARD_DATA (other
    messages skipped), or None when the connection ends or times out."""
    while True:
        try:
            m = read_msg(s)
        except OSError:
            return None
        if m is None:
            return None
        if m[0] == DATA and len(m[1]) >= 12:
            t, r, n = struct.unpack("<III", m[1][:12])
            return t, r, n, m[1][12:]
